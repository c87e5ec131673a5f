// blatt serve: reloads the page after a rebuild and shows build errors over
// it. Added to pages only by `blatt serve`, never to a built site.
// Error text quotes the site's content: it is only ever set as textContent.
(() => {
  "use strict";
  const ID = "blatt-error-overlay";

  function show(text) {
    let overlay = document.getElementById(ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = ID;
      overlay.setAttribute("role", "alert");
      Object.assign(overlay.style, {
        position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
        background: "rgba(20, 20, 20, 0.94)", color: "#fff", padding: "2rem",
        font: "16px/1.5 system-ui, sans-serif",
      });
      const heading = document.createElement("p");
      heading.textContent = "blatt: the last build failed. Showing the last good build; fix the file and save.";
      Object.assign(heading.style, { fontWeight: "bold", margin: "0 0 1rem" });
      const pre = document.createElement("pre");
      Object.assign(pre.style, {
        whiteSpace: "pre-wrap", font: "14px/1.5 ui-monospace, monospace", color: "#ffb4b4", margin: "0",
      });
      overlay.append(heading, pre);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  fetch("/__blatt/status", { cache: "no-store" })
    .then((response) => response.json())
    .then((status) => { if (!status.ok) show(status.errors); })
    .catch(() => {});

  const events = new EventSource("/__blatt/events");
  events.addEventListener("reload", () => location.reload());
  // EventSource fires a plain "error" Event of its own when the connection
  // drops; the server's "error" events are MessageEvents with data.
  events.addEventListener("error", (event) => {
    if (event instanceof MessageEvent && typeof event.data === "string") show(event.data);
  });
})();
