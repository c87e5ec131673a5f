//! The HTTP side of `blatt serve`: the output folder through tower-http's
//! `ServeDir`, live reload by server-sent events, and the script that shows
//! build errors over the page.
//!
//! Only this server adds the script: it is inserted into HTML responses on
//! the way out, so the built files stay exactly what `blatt build` writes.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};
use tower_http::services::{ServeDir, ServeFile};

use super::Shared;
use crate::error::Error;

/// What the server adds before `</body>` of every HTML page it serves.
pub const SCRIPT_TAG: &str = r#"<script src="/__blatt/live.js" defer></script>"#;

const LIVE_JS: &str = include_str!("live.js");

/// Served for a missing page when the site has no `404.html` (its first
/// build failed), so that the error overlay still has a page to sit on.
const NO_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>blatt serve</title></head><body><p>Nothing here: the site has not been built yet.</p>\
</body></html>\n";

#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// A build succeeded; the number of builds so far.
    Reload(u64),
    /// A build failed, with what it reported.
    Error(String),
}

impl LiveEvent {
    fn to_sse(&self) -> Event {
        match self {
            LiveEvent::Reload(n) => Event::default().event("reload").data(n.to_string()),
            LiveEvent::Error(text) => Event::default().event("error").data(text),
        }
    }
}

/// The messages of a failed build, one `path:line: message` per line, as
/// the terminal shows them. The text quotes content; it is only ever set as
/// text in the page, and carriage returns and other control characters,
/// which would end or garble an event-stream line, are shown escaped.
pub fn error_text(error: &Error) -> String {
    let text = match error {
        Error::Files(list) => list.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
        other => other.to_string(),
    };
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

pub(super) fn router(shared: Arc<Shared>, out: &Path) -> Router {
    // ServeDir refuses `..` and its encoded forms (%2e%2e, ..%2f) by itself;
    // such a request, like any missing file, gets 404.html with status 404.
    let files = ServeDir::new(out).not_found_service(ServeFile::new(out.join("404.html")));
    Router::new()
        .route("/__blatt/events", get(events))
        .route("/__blatt/live.js", get(live_js))
        .route("/__blatt/status", get(status))
        .fallback_service(files)
        .layer(middleware::from_fn(inject))
        .with_state(shared)
}

async fn live_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS)
}

async fn status(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let status = shared.status.lock().unwrap_or_else(|p| p.into_inner());
    axum::Json(serde_json::json!({
        "ok": status.errors.is_none(),
        "builds": status.builds,
        "errors": status.errors,
    }))
}

async fn events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // A client that falls behind misses events, not the next reload.
    let live = BroadcastStream::new(shared.events.subscribe()).filter_map(|e| e.ok().map(|e| Some(e.to_sse())));
    let stop = WatchStream::new(shared.stop.subscribe())
        .filter(|stop| *stop)
        .map(|_| None);
    // A first comment sends the headers at once: the page is then known to
    // be listening.
    let stream = tokio_stream::once(Some(Event::default().comment("blatt")))
        .chain(live.merge(stop))
        .map_while(|e| e.map(Ok));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Adds the live script to HTML and keeps browsers from caching: a page
/// rebuilt within the same second as its last version has the same
/// Last-Modified, and a conditional request would get the old one back.
async fn inject(mut request: Request, next: Next) -> Response {
    for name in [
        header::IF_MODIFIED_SINCE,
        header::IF_NONE_MATCH,
        header::IF_UNMODIFIED_SINCE,
        header::IF_RANGE,
        header::RANGE,
    ] {
        request.headers_mut().remove(name);
    }
    let head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(header::LAST_MODIFIED);
    // Range requests were made whole above.
    parts.headers.remove(header::ACCEPT_RANGES);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let html = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let body = if html {
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => with_script(&bytes),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    } else if parts.status == StatusCode::NOT_FOUND && !parts.headers.contains_key(header::CONTENT_TYPE) {
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        with_script(NO_PAGE.as_bytes())
    } else {
        return Response::from_parts(parts, body);
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if head {
        return Response::from_parts(parts, Body::empty());
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}

/// `page` with [`SCRIPT_TAG`] before its last `</body>`, or at its end.
fn with_script(page: &[u8]) -> Vec<u8> {
    let at = page
        .windows(b"</body>".len())
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{FileError, InputProblem, Location, Problem, YamlProblem};

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = with_script(b"<html><body><p>&lt;/body&gt;</p></BODY></html>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            format!("<html><body><p>&lt;/body&gt;</p>{SCRIPT_TAG}</BODY></html>")
        );
        assert_eq!(with_script(b"<p>x"), format!("<p>x{SCRIPT_TAG}").into_bytes());
    }

    #[test]
    fn error_text_is_one_line_per_problem_without_carriage_returns() {
        let error = Error::Files(vec![
            FileError::new(
                Location::line("content/a.md", 3),
                Problem::Yaml(YamlProblem::Yaml("bad\r\u{1b}[31m".into())),
            ),
            FileError::new(Location::file("content/b.md"), Problem::Input(InputProblem::NoTitle)),
        ]);
        let text = error_text(&error);
        assert_eq!(
            text,
            "content/a.md:3: invalid YAML: bad\\r\\u{1b}[31m\ncontent/b.md: has no title"
        );
        // axum panics on a carriage return in event data.
        let _ = LiveEvent::Error(text).to_sse();
    }
}
