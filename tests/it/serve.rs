//! `blatt serve` end to end: the real binary on a free port, spoken to with
//! raw HTTP over a TcpStream (HTTP clients normalise `..` away, and the
//! traversal requests must reach the server as written), pages read back
//! with scraper and the status with serde_json.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use predicates::prelude::PredicateBooleanExt;
use scraper::{Html, Selector};

/// Every wait in these tests ends here; none is an assertion about speed.
const DEADLINE: Duration = Duration::from_secs(20);

/// Text that is in site.yaml and must never be served.
const SECRET: &str = "geheimnis-7f3a9c";

const FIRST: &str = "2022/01/erster.md";

fn article(title: &str, slug: &str, day: u32) -> String {
    format!("---\ntitle: {title}\ndate: 2022-01-{day:02}\nslug: {slug}\n---\n\nEin Absatz über {title}.\n")
}

/// A small site whose base_url has a path: the preview must still link
/// from `/`.
fn site() -> tempfile::TempDir {
    let dir = crate::common::site_with(&[
        (FIRST, article("Erster Artikel", "erster", 20)),
        ("2022/01/zweiter.md", article("Zweiter Artikel", "zweiter", 21)),
    ]);
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap().replace(
        "base_url: \"https://example.org/\"",
        &format!("# {SECRET}\nbase_url: \"https://example.org/archiv/\""),
    );
    assert!(
        yaml.contains("/archiv/"),
        "the example site.yaml changed; adapt this test"
    );
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/hallo.txt"), "hallo vom static-Ordner\n").unwrap();
    dir
}

struct Server {
    child: Child,
    port: u16,
    /// Its TMPDIR (`tmp`: a temporary build folder goes there, and must go
    /// away) and its cache folder (`cache`: where it keeps the site's
    /// build), unless the caller named another one.
    home: tempfile::TempDir,
    /// The cache folder its environment names.
    cache: PathBuf,
    /// What it printed to standard error so far.
    stderr: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// What it printed to standard output before it served.
    printed: Vec<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// With these variables in the server's environment.
    fn start_with(root: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_on(root, env, 0)
    }

    /// On `port` (0: one the system chooses).
    fn start_on(root: &Path, env: &[(&str, &str)], port: u16) -> Server {
        let (mut server, rx) = Server::spawn_on(root, env, port);
        let started = Instant::now();
        loop {
            let left = DEADLINE.saturating_sub(started.elapsed());
            let line = rx.recv_timeout(left).expect("blatt serve printed no `serving` line");
            server.printed.push(line.clone());
            if let Some(rest) = line.strip_prefix("serving ") {
                assert!(rest.ends_with("(Ctrl-C to stop)"), "{line}");
                let url = rest.split(" at ").nth(1).unwrap().split(' ').next().unwrap();
                let port = url
                    .strip_prefix("http://127.0.0.1:")
                    .and_then(|p| p.strip_suffix('/'))
                    .unwrap_or_else(|| panic!("not a loopback URL: {line}"))
                    .parse()
                    .unwrap();
                server.port = port;
                return server;
            }
        }
    }

    /// Started, its output read as it comes: standard error into
    /// `stderr`, standard output into the receiver.
    fn spawn(root: &Path, env: &[(&str, &str)]) -> (Server, mpsc::Receiver<String>) {
        Server::spawn_on(root, env, 0)
    }

    fn spawn_on(root: &Path, env: &[(&str, &str)], port: u16) -> (Server, mpsc::Receiver<String>) {
        let home = tempfile::tempdir().unwrap();
        let cache = env
            .iter()
            .find(|(name, _)| *name == "XDG_CACHE_HOME")
            .map_or_else(|| home.path().join("cache"), |(_, dir)| PathBuf::from(dir));
        std::fs::create_dir(home.path().join("tmp")).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("blatt"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", &port.to_string()])
            .env("TMPDIR", home.path().join("tmp"))
            .env("XDG_CACHE_HOME", &cache)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        // From here on, a failed wait still ends the process (Drop).
        let server = Server {
            child,
            port: 0,
            home,
            cache,
            stderr: Default::default(),
            printed: Vec::new(),
        };
        let lines = std::sync::Arc::clone(&server.stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        (server, rx)
    }

    /// Waits for a line of standard error that starts with `prefix`.
    fn wait_for_stderr(&self, prefix: &str) {
        let started = Instant::now();
        while !self.stderr.lock().unwrap().iter().any(|l| l.starts_with(prefix)) {
            assert!(
                started.elapsed() < DEADLINE,
                "no `{prefix}` line: {:?}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn send_interrupt(&self) {
        let sent = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Ctrl-C, and the exit status once it has stopped.
    fn interrupt(&mut self) -> ExitStatus {
        self.send_interrupt();
        self.exit_status()
    }

    fn exit_status(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < DEADLINE, "blatt serve did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// The folder the server builds into: a temporary one below its
    /// TMPDIR if it made one, else the site's kept folder.
    fn output(&self) -> PathBuf {
        let made = std::fs::read_dir(self.temp_dir()).unwrap().map(|e| e.unwrap().path());
        made.map(|p| p.join("public"))
            .find(|p| p.is_dir())
            .unwrap_or_else(|| self.kept().join("public"))
    }

    fn temp_dir(&self) -> PathBuf {
        self.home.path().join("tmp")
    }

    /// What is left in its TMPDIR: nothing once it stopped.
    fn left_in_temp_dir(&self) -> Vec<PathBuf> {
        let left = std::fs::read_dir(self.temp_dir()).unwrap();
        left.map(|e| e.unwrap().path()).collect()
    }

    /// The site's folder in the cache (one site per cache in these tests).
    fn kept(&self) -> PathBuf {
        let kept: Vec<PathBuf> = std::fs::read_dir(self.cache.join("blatt/serve"))
            .expect("no kept folder")
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        kept[0].clone()
    }

    /// Stopped cleanly: its temporary folder gone, if it had one, and the
    /// kept folder holding a whole build, marked as synced for the next
    /// server to trust.
    fn assert_stopped_cleanly(&self) {
        let left = self.left_in_temp_dir();
        assert!(left.is_empty(), "the temporary folder was not removed: {left:?}");
        let kept = self.kept();
        assert!(kept.join("public/index.html").is_file(), "no build in {kept:?}");
        assert!(kept.join("synced").is_file(), "{kept:?} not marked as synced");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }
}

/// One HTTP/1.0 request with the path exactly as given; the server closes
/// the connection after the response, so the body is everything after the
/// head.
fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

fn select(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn live_scripts(doc: &Html) -> usize {
    doc.select(&Selector::parse(r#"body script[src="/__blatt/live.js"][defer]"#).unwrap())
        .count()
}

/// An open `/__blatt/events` stream, read event by event.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        write!(stream, "GET /__blatt/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        // The server's first comment: from here on, no event is missed.
        let started = Instant::now();
        while !events.buffer.contains(": blatt") {
            assert!(started.elapsed() < DEADLINE, "no event stream: {:?}", events.buffer);
            events.read_some();
        }
        let head_end = events.buffer.find("\r\n\r\n").unwrap();
        assert!(
            events.buffer[..head_end].contains("text/event-stream"),
            "{}",
            events.buffer
        );
        events.buffer.drain(..head_end + 4);
        events
    }

    fn read_some(&mut self) {
        let mut chunk = [0; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => panic!("the event stream ended"),
            Ok(n) => self.buffer.push_str(std::str::from_utf8(&chunk[..n]).unwrap()),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(e) => panic!("{e}"),
        }
    }

    /// The data of the next event named `name`; other events are skipped.
    fn wait_for(&mut self, name: &str) -> String {
        let started = Instant::now();
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = "message";
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                if event == name {
                    return data.join("\n");
                }
            }
            assert!(started.elapsed() < DEADLINE, "no `{name}` event; got {:?}", self.buffer);
            self.read_some();
        }
    }
}

/// Saves as editors do, through a hidden temporary file renamed over the
/// old one: a build never sees the file half written.
fn save(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// Polls `path` until `check` holds for its page.
fn wait_until(server: &Server, path: &str, check: impl Fn(&Response) -> bool) -> Response {
    let started = Instant::now();
    loop {
        let response = server.get(path);
        if check(&response) {
            return response;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "{path} never became as expected:\n{}",
            response.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn status(server: &Server) -> serde_json::Value {
    let response = server.get("/__blatt/status");
    assert_eq!(response.status, 200);
    serde_json::from_str(&response.body).unwrap()
}

/// Ctrl-C as soon as the server says it serves: its handler is in place by
/// then, so the server stops the graceful way and leaves its build folder
/// whole and marked as synced. (The handler used to be installed by the
/// first poll of a task, and a signal before that ended the process, the
/// then temporary folder left behind: seen once in CI under load; on an
/// idle machine this test passed then too.)
#[test]
fn ctrl_c_right_after_the_serving_line_stops_cleanly() {
    let dir = site();
    for _ in 0..3 {
        let mut server = Server::start(dir.path());
        let exit = server.interrupt();
        assert!(exit.success(), "{exit:?}");
        server.assert_stopped_cleanly();
    }
}

/// A site whose first build takes long enough for a Ctrl-C to come during
/// it: seconds in a debug build, a good part of one in release.
fn slow_site() -> tempfile::TempDir {
    let articles: Vec<(String, String)> = (0..800)
        .map(|i| {
            let title = format!("Artikel Nummer {i}");
            (
                format!("2022/01/a{i}.md"),
                article(&title, &format!("a{i}"), 1 + i % 28),
            )
        })
        .collect();
    crate::common::site_with(&articles)
}

/// Ctrl-C while the first build runs: the server finishes that build,
/// never starts serving, exits successfully and leaves the finished build
/// for the next server (it used to end the default way and leave a
/// temporary folder, 1.6 GB at 100 000 articles, behind).
#[test]
fn ctrl_c_during_the_first_build_stops_when_it_is_done() {
    let dir = slow_site();
    let (mut server, stdout) = Server::spawn(dir.path(), &[]);
    server.wait_for_stderr("building ");
    server.send_interrupt();
    let exit = server.exit_status();
    assert!(exit.success(), "{exit:?}");
    let told = server.stderr.lock().unwrap().join("\n");
    assert!(told.contains("stopping when the build under way is done"), "{told}");
    let printed: Vec<String> = stdout.try_iter().collect();
    assert!(printed.iter().all(|l| !l.starts_with("serving ")), "{printed:?}");
    assert!(printed.iter().any(|l| l.starts_with("built ")), "{printed:?}");
    server.assert_stopped_cleanly();
}

/// A second Ctrl-C stops at once, with the exit status of an interrupted
/// process, and leaves no temporary folder.
#[test]
fn a_second_ctrl_c_stops_at_once() {
    let dir = slow_site();
    let (mut server, stdout) = Server::spawn(dir.path(), &[]);
    server.wait_for_stderr("building ");
    server.send_interrupt();
    server.wait_for_stderr("stopping when");
    server.send_interrupt();
    let exit = server.exit_status();
    assert_eq!(exit.code(), Some(130), "{exit:?}");
    let told = server.stderr.lock().unwrap().join("\n");
    assert!(told.contains("stopping now"), "{told}");
    let printed: Vec<String> = stdout.try_iter().collect();
    assert!(
        printed.iter().all(|l| !l.starts_with("built ")),
        "the build was not abandoned: {printed:?}"
    );
    let left = server.left_in_temp_dir();
    assert!(left.is_empty(), "a temporary folder was left: {left:?}");
    // The abandoned build's folder stays, not marked as synced: the next
    // server trusts it only within this boot of the machine.
    assert!(!server.kept().join("synced").exists());
}

/// A cache folder for servers that must find each other's kept folder
/// (each [`Server`] otherwise has a cache of its own).
struct SharedCache(tempfile::TempDir);

impl SharedCache {
    fn new() -> SharedCache {
        SharedCache(tempfile::tempdir().unwrap())
    }

    /// The environment that points a server at it.
    fn env(&self) -> [(&str, &str); 1] {
        [("XDG_CACHE_HOME", self.0.path().to_str().unwrap())]
    }
}

/// A port free a moment ago, for two servers in turn that must both
/// render the same `base_url`.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The next server of a site starts from the build the last one kept: an
/// article edited while no server ran is rendered again and the rest kept
/// as it was (the same files, not a build from nothing), and what it
/// serves is what a clean build makes.
#[test]
fn the_next_serve_of_a_site_starts_from_the_kept_build() {
    use std::os::unix::fs::MetadataExt;
    let dir = site();
    let cache = SharedCache::new();
    let env = cache.env();
    let port = free_port();
    let mut first = Server::start_on(dir.path(), &env, port);
    let built = |server: &Server| server.printed.iter().find(|l| l.starts_with("built ")).cloned();
    let from_nothing = built(&first).expect("no `built` line");
    assert!(
        !from_nothing.contains(" again") && !from_nothing.contains("nothing changed"),
        "{from_nothing}"
    );
    assert!(first.interrupt().success());
    first.assert_stopped_cleanly();
    let untouched = first.kept().join("public/2022/01/zweiter/index.html");
    let inode = std::fs::metadata(&untouched).unwrap().ino();

    let edited = "---\ntitle: Erster Artikel\ndate: 2022-01-20\nslug: erster\n---\n\nEin neuer Absatz.\n";
    save(&dir.path().join("content").join(FIRST), edited);
    let second = Server::start_on(dir.path(), &env, port);
    let again = built(&second).expect("no `built` line");
    assert!(again.contains("rendered again"), "not an incremental build: {again}");
    assert!(second.get("/2022/01/erster/").body.contains("Ein neuer Absatz."));
    assert_eq!(
        std::fs::metadata(&untouched).unwrap().ino(),
        inode,
        "a page the edit does not reach was written again"
    );
    let clean = tempfile::tempdir().unwrap();
    serves_a_clean_build(&second, dir.path(), &clean.path().join("public"), "a restart");
}

/// Two servers of one site at once: the second builds into a temporary
/// folder, says so and why, and removes it when it stops; the first keeps
/// serving from the site's folder.
#[test]
fn a_second_server_of_a_running_site_builds_into_a_temporary_folder() {
    let dir = site();
    let cache = SharedCache::new();
    let env = cache.env();
    let mut first = Server::start_with(dir.path(), &env);
    let mut second = Server::start_with(dir.path(), &env);
    second.wait_for_stderr("building ");
    let told = second.stderr.lock().unwrap().join("\n");
    assert!(
        told.contains("into a temporary folder") && told.contains("another `blatt serve` of this site"),
        "{told}"
    );
    assert_eq!(select(&second.get("/2022/01/erster/").html(), "h1"), ["Erster Artikel"]);
    assert!(
        !second.left_in_temp_dir().is_empty(),
        "the second server built into its kept folder"
    );
    assert!(second.interrupt().success());
    let left = second.left_in_temp_dir();
    assert!(left.is_empty(), "the temporary folder was not removed: {left:?}");
    assert_eq!(select(&first.get("/2022/01/erster/").html(), "h1"), ["Erster Artikel"]);
    assert!(first.interrupt().success());
    first.assert_stopped_cleanly();
}

#[test]
fn serves_pages_with_the_live_script_static_files_and_the_404_page() {
    let dir = site();
    let mut server = Server::start(dir.path());

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let doc = home.html();
    assert_eq!(live_scripts(&doc), 1, "{}", home.body);
    assert!(select(&doc, "main a").iter().any(|t| t.contains("Erster Artikel")));
    // The base path of site.yaml is not in the preview's links.
    let stylesheet = doc
        .select(&Selector::parse(r#"link[rel="stylesheet"]"#).unwrap())
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(stylesheet.starts_with("/static/"), "{stylesheet}");
    let css = server.get(&stylesheet);
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert!(!css.body.contains("__blatt"));

    let article = server.get("/2022/01/erster/");
    assert_eq!(article.status, 200);
    assert_eq!(select(&article.html(), "h1"), ["Erster Artikel"]);
    assert_eq!(live_scripts(&article.html()), 1);

    let file = server.get("/static/hallo.txt");
    assert_eq!(file.status, 200);
    assert_eq!(file.body, "hallo vom static-Ordner\n");

    let missing = server.get("/gibt/es/nicht/");
    assert_eq!(missing.status, 404);
    let built_404 = {
        // The 404 page is the site's own, with the script.
        let doc = missing.html();
        assert_eq!(live_scripts(&doc), 1);
        select(&doc, "h1")
    };
    assert!(!built_404.is_empty() && !built_404[0].is_empty());

    let status_json = status(&server);
    assert_eq!(status_json["ok"], true);

    let exit = server.interrupt();
    assert!(exit.success(), "{exit:?}");
    server.assert_stopped_cleanly();

    // `blatt build` of the same site knows nothing of the preview.
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("blatt")
        .unwrap()
        .arg("--root")
        .arg(dir.path())
        .args(["build", "--quiet", "--out"])
        .arg(out.path().join("public"))
        .assert()
        .success();
    let built = crate::common::output_files(&out.path().join("public"));
    assert!(built.contains_key("index.html") && built.contains_key("404.html"));
    for (name, bytes) in built {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__blatt"),
            "{name} of `blatt build` has the live script"
        );
    }
}

#[test]
fn traversal_gets_404_and_nothing_outside_the_output() {
    let dir = site();
    let server = Server::start(dir.path());
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/..%2fsite.yaml",
        "/..%2Fsite.yaml",
        "/static/..%2f..%2fsite.yaml",
        "/static/../../site.yaml",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/2022/..%2f..%2f..%2fcontent/2022/01/erster.md",
        "/..%5csite.yaml",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.body.contains(SECRET), "{path} served site.yaml");
        assert!(!response.body.contains("root:"), "{path} served /etc/passwd");
        assert!(
            !response.body.contains("Ein Absatz über"),
            "{path} served a content file"
        );
    }
}

#[test]
fn edits_reload_and_errors_show_until_fixed() {
    let dir = site();
    let server = Server::start(dir.path());
    let file: PathBuf = dir.path().join("content").join(FIRST);
    let mut events = Events::open(server.port);

    save(&file, &article("Neuer <Titel> & mehr", "erster", 20));
    events.wait_for("reload");
    let page = server.get("/2022/01/erster/");
    assert_eq!(select(&page.html(), "h1"), ["Neuer <Titel> & mehr"]);

    // A broken front matter: an error naming the file, the last good page.
    // The message quotes the file: markup in it arrives as plain text
    // (the overlay sets it with textContent).
    let payload = "<img src=x onerror=alert(1)></script>";
    let broken = format!("---\ntitle: Kaputt\ndate: 2022-01-20\n\"{payload}\": 1\n---\n\nText.\n");
    save(&file, &broken);
    let error = events.wait_for("error");
    assert!(error.contains("erster.md:4: unknown key"), "{error}");
    assert!(error.contains(payload), "{error}");
    let status_json = status(&server);
    assert_eq!(status_json["ok"], false, "{status_json}");
    assert_eq!(status_json["errors"].as_str(), Some(error.as_str()));
    let page = server.get("/2022/01/erster/");
    assert_eq!(page.status, 200);
    assert_eq!(select(&page.html(), "h1"), ["Neuer <Titel> & mehr"]);
    assert_eq!(live_scripts(&page.html()), 1);

    // Fixed: a reload, and the status is good again.
    save(&file, &article("Repariert", "erster", 20));
    events.wait_for("reload");
    assert_eq!(status(&server)["ok"], true);
    wait_until(&server, "/2022/01/erster/", |r| {
        select(&r.html(), "h1") == ["Repariert"]
    });
}

#[test]
fn a_broken_site_at_start_still_serves_the_overlay() {
    let dir = site();
    std::fs::write(dir.path().join("content").join(FIRST), "---\ntitle: [\n---\n").unwrap();
    let server = Server::start(dir.path());
    let status_json = status(&server);
    assert_eq!(status_json["ok"], false);
    assert!(status_json["errors"].as_str().unwrap().contains("erster.md"));
    // No build yet: any page is a 404 that still carries the script.
    let home = server.get("/");
    assert_eq!(home.status, 404);
    assert_eq!(live_scripts(&home.html()), 1);
    let script = server.get("/__blatt/live.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("blatt-error-overlay"));
    assert!(script.body.contains("textContent") && !script.body.contains("innerHTML"));

    let mut events = Events::open(server.port);
    save(&dir.path().join("content").join(FIRST), &article("Gut", "erster", 20));
    events.wait_for("reload");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = site();
    assert_cmd::Command::cargo_bin("blatt")
        .unwrap()
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--port", &port])
        .timeout(DEADLINE)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("in use").and(predicates::str::contains("--port")));
}

/// The inotify watches a process holds, from /proc.
fn inotify_watches(pid: u32) -> usize {
    let mut watches = 0;
    for fd in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(Result::ok)
    {
        if std::fs::read_link(fd.path()).is_ok_and(|t| t.to_string_lossy().contains("inotify")) {
            let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy()))
                .unwrap_or_default();
            watches += info.lines().filter(|l| l.starts_with("inotify wd:")).count();
        }
    }
    watches
}

/// A link out of the site is neither served nor watched (a `content/usr ->
/// /usr` link used to cost 15 535 inotify watches); the server warns of it
/// as `blatt build` does. A link to a folder inside the site is followed,
/// and watched: an edit there reloads the page.
#[test]
fn links_out_of_the_site_are_neither_served_nor_watched() {
    let outside = tempfile::tempdir().unwrap();
    for n in 0..300 {
        std::fs::create_dir_all(outside.path().join(format!("tree/{n}"))).unwrap();
    }
    std::fs::write(outside.path().join("secret.txt"), "nicht veröffentlichen\n").unwrap();
    let dir = site();
    let root = dir.path();
    std::os::unix::fs::symlink(outside.path().join("tree"), root.join("content/usr")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.join("static/leak.txt")).unwrap();
    std::fs::create_dir_all(root.join("shared/more")).unwrap();
    let linked = root.join("shared/more/dritter.md");
    std::fs::write(&linked, article("Dritter Artikel", "dritter", 22)).unwrap();
    std::os::unix::fs::symlink("../shared/more", root.join("content/more")).unwrap();

    let server = Server::start(root);
    assert_eq!(server.get("/static/leak.txt").status, 404);
    assert_eq!(server.get("/static/hallo.txt").status, 200);
    assert_eq!(
        select(&server.get("/2022/01/dritter/").html(), "h1"),
        ["Dritter Artikel"]
    );
    let watches = inotify_watches(server.child.id());
    eprintln!("{watches} inotify watches");
    assert!(
        watches > 0 && watches < 50,
        "{watches} watches for a site of a few folders (300 more outside it)"
    );
    let warned = server.stderr.lock().unwrap().clone();
    for link in ["content/usr", "static/leak.txt"] {
        let shown = format!("warning: {}: is a symbolic link to", root.join(link).display());
        assert!(warned.iter().any(|l| l.starts_with(&shown)), "{link}: {warned:?}");
    }

    let mut events = Events::open(server.port);
    save(&linked, &article("Dritter, geändert", "dritter", 22));
    events.wait_for("reload");
    wait_until(&server, "/2022/01/dritter/", |r| {
        select(&r.html(), "h1") == ["Dritter, geändert"]
    });
}

/// After each change a rebuild of the server makes what a clean build of
/// the same site makes, byte for byte, while its rebuilds ask only for the
/// paths the watcher reported (the timings say so): an edit, a file added
/// and one removed, a folder with articles moved in (its files are not
/// reported one by one: only a walk finds them) and moved out again, one
/// whose name the watcher takes for scratch.
#[test]
fn rebuilds_told_what_changed_make_what_a_clean_build_makes() {
    let dir = site();
    let root = dir.path();
    let server = Server::start_with(root, &[("BLATT_TIMINGS", "1")]);
    let clean = tempfile::tempdir().unwrap();
    let same_as_clean = |step: &str| serves_a_clean_build(&server, root, &clean.path().join(step), step);
    let content = root.join("content");

    save(&content.join(FIRST), &article("Geänderter Titel", "erster", 20));
    same_as_clean("edit");
    save(
        &content.join("2022/01/dritter.md"),
        &article("Dritter Artikel", "dritter", 22),
    );
    same_as_clean("added");
    std::fs::remove_file(content.join("2022/01/zweiter.md")).unwrap();
    same_as_clean("removed");
    let staging = root.join("staging/2023/03");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("vierter.md"), article("Vierter Artikel", "vierter", 23)).unwrap();
    std::fs::rename(root.join("staging/2023"), content.join("2023")).unwrap();
    same_as_clean("folder moved in");
    assert_eq!(server.get("/2022/01/vierter/").status, 200);
    std::fs::rename(content.join("2023"), root.join("away")).unwrap();
    same_as_clean("folder moved out");
    assert_eq!(server.get("/2022/01/vierter/").status, 404);
    // A folder named as an editor's backup: moving it in starts no build,
    // but the next build, told of the edit that follows, must find it.
    let staging = root.join("staging/entwurf~");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("fuenfter.md"), article("Fünfter Artikel", "fuenfter", 24)).unwrap();
    std::fs::rename(&staging, content.join("entwurf~")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    save(&content.join(FIRST), &article("Wieder geändert", "erster", 20));
    same_as_clean("backup-named folder moved in");
    assert_eq!(server.get("/2022/01/fuenfter/").status, 200);

    let timings = server.stderr.lock().unwrap().clone();
    let told = timings.iter().filter(|l| l.contains("stat the sources told")).count();
    assert!(told >= 2, "no rebuild was told what changed:\n{}", timings.join("\n"));
}

/// The files of the server's build folder, as `output_files` gives them;
/// a file a rebuild moves or removes while they are read is left out
/// (the caller looks again).
fn served_files(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::common::file_paths(out)
        .into_iter()
        .filter(|p| p.file_name().is_none_or(|n| n != blatt::output::build_dir::PROBE))
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.strip_prefix(out).ok()?.display().to_string(), bytes))
        })
        .collect()
}

/// Waits until the server's build folder holds what a clean build of the
/// site at `root` into `out` makes (a change may come in two batches,
/// each with its build), and fails with the files that differ.
fn serves_a_clean_build(server: &Server, root: &Path, out: &Path, step: &str) {
    let url = format!("http://127.0.0.1:{}/", server.port);
    crate::common::blatt(root)
        .args(["build", "--quiet", "--base-url", &url, "--out"])
        .arg(out)
        .assert()
        .success();
    let expected = crate::common::output_files(out);
    let started = Instant::now();
    loop {
        let served = served_files(&server.output());
        if served == expected {
            return;
        }
        if started.elapsed() > DEADLINE {
            let differ: Vec<&String> = expected
                .keys()
                .chain(served.keys())
                .filter(|k| expected.get(*k) != served.get(*k))
                .collect();
            panic!("after {step} the served files differ from a clean build: {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A site whose `content/` is a link to a folder elsewhere: the watcher
/// names its files under the site, where they are not, so its rebuilds
/// walk, and an edit still reaches the page.
#[test]
fn a_content_folder_that_is_a_link_is_walked() {
    let dir = site();
    let root = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("artikel");
    std::fs::rename(root.join("content"), &target).unwrap();
    std::os::unix::fs::symlink(&target, root.join("content")).unwrap();
    let server = Server::start(root);
    let clean = tempfile::tempdir().unwrap();
    save(
        &root.join("content").join(FIRST),
        &article("Über den Link geändert", "erster", 20),
    );
    serves_a_clean_build(&server, root, &clean.path().join("edit"), "an edit through the link");
    let page = server.get("/2022/01/erster/");
    assert_eq!(select(&page.html(), "h1"), ["Über den Link geändert"]);
}

/// The `THP_enabled` line of a process's /proc status (Linux 5.0 on): 0
/// when the process asked for no transparent huge pages.
fn thp_enabled(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("THP_enabled:"))?;
    Some(line["THP_enabled:".len()..].trim().to_string())
}

/// blatt turns transparent huge pages off for itself (src/main.rs says why),
/// and a user's `MIMALLOC_ALLOW_THP` leaves the kernel's default in place.
#[test]
fn the_process_takes_no_transparent_huge_pages_unless_told_to() {
    let dir = site();
    let server = Server::start(dir.path());
    let Some(default) = thp_enabled(server.child.id()) else {
        eprintln!("this kernel's /proc/PID/status has no THP_enabled line; nothing to check");
        return;
    };
    assert_eq!(default, "0", "blatt serve runs with transparent huge pages allowed");
    drop(server);
    // A kernel built without transparent huge pages shows 0 either way.
    if std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
        let server = Server::start_with(dir.path(), &[("MIMALLOC_ALLOW_THP", "1")]);
        assert_eq!(thp_enabled(server.child.id()).as_deref(), Some("1"));
    }
}
