//! HTTP: the served site from memory, the live-reload script and the event stream.
//!
//! In: requests, the current `ServedSite` and the `LiveEvents`. Out: responses. A URL maps only
//! to a path of the served site (never to a file on disk), after percent-decoding and refusing
//! any `.`/`..` segment, backslash or control character, so nothing outside the output can be
//! reached. HTML responses get the live-reload script here, at serve time only.

use std::io::{self, Cursor, Write};
use std::net::TcpListener;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::events::LiveEvents;
use super::served::ServedSite;

/// The event stream's URL path.
pub const EVENTS_PATH: &str = "/__factbook/events";
/// The live-reload script's URL path.
pub const SCRIPT_PATH: &str = "/__factbook/live.js";
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Request handlers run on this many threads; each event stream gets a thread of its own.
const WORKERS: usize = 4;
/// A comment is sent on an idle event stream this often, to notice closed pages.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Served when a path has no page and the site has no `404.html` (before a first good build).
const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not found · factbook serve</title></head>\n<body>\n<main>\n<h1>Not found</h1>\n<p>Nothing is served at this address. If the build is failing, the problems are shown on this page and in the terminal; the page reloads when the site builds.</p>\n</main>\n</body>\n</html>\n";

/// What the server shares with the serve loop.
pub struct ServerState {
    /// The last good build. Swapped whole after each good rebuild.
    pub site: RwLock<Arc<ServedSite>>,
    pub events: LiveEvents,
    /// The URL path the site lives under (`/`, or `/docs/` for such a `base_url`).
    pub base_path: String,
}

impl ServerState {
    pub fn new(events: LiveEvents, base_path: String) -> Self {
        ServerState {
            site: RwLock::new(Arc::new(ServedSite::default())),
            events,
            base_path,
        }
    }

    pub fn current_site(&self) -> Arc<ServedSite> {
        Arc::clone(&self.site.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn replace_site(&self, site: Arc<ServedSite>) {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = site;
    }
}

/// Serves on `listener` from worker threads; returns once they are started.
pub fn spawn(listener: TcpListener, state: Arc<ServerState>) -> io::Result<()> {
    let server = Server::from_listener(listener, None).map_err(io::Error::other)?;
    let server = Arc::new(server);
    for i in 0..WORKERS {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        std::thread::Builder::new()
            .name(format!("factbook-http-{i}"))
            .spawn(move || {
                while let Ok(request) = server.recv() {
                    // A bug in a handler must not take a worker down with it.
                    let _ = catch_unwind(AssertUnwindSafe(|| handle(request, &state)));
                }
            })?;
    }
    Ok(())
}

/// Where a request's URL leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Events,
    LiveScript,
    /// A file of the served site, by its path there.
    File(String),
    /// A directory without its slash, or the base path without its slash: go here instead.
    Redirect(String),
    NotFound,
}

/// Maps a request target (`/a/b?x`) to a route. Pure: the served site is only looked up.
pub fn route(target: &str, base_path: &str, site: &ServedSite) -> Route {
    let (raw_path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    match raw_path {
        EVENTS_PATH => return Route::Events,
        SCRIPT_PATH => return Route::LiveScript,
        _ => {}
    }
    let Some(path) = decode_path(raw_path) else {
        return Route::NotFound;
    };
    let with_query = |p: String| match query {
        Some(q) => format!("{p}?{q}"),
        None => p,
    };
    let Some(rel) = path.strip_prefix(base_path) else {
        return if format!("{path}/") == base_path {
            Route::Redirect(with_query(base_path.to_string()))
        } else {
            Route::NotFound
        };
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if site.contains(&index) {
            Route::File(index)
        } else {
            Route::NotFound
        };
    }
    if site.contains(rel) {
        return Route::File(rel.to_string());
    }
    if site.contains(&format!("{rel}/index.html")) {
        return Route::Redirect(with_query(format!("{}/", ascii_only(raw_path))));
    }
    Route::NotFound
}

/// Percent-decodes a URL path and refuses anything that could name a file outside the output
/// or be read differently by a file system: `.` and `..` segments (encoded or not), empty
/// segments other than a trailing one, backslashes, control characters, invalid UTF-8.
fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hi = hex(it.next()?)?;
            let lo = hex(it.next()?)?;
            bytes.push(hi * 16 + lo);
        } else {
            bytes.push(b);
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    if path.contains('\\') || path.chars().any(char::is_control) {
        return None;
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." || (segment.is_empty() && i != last) {
            return None;
        }
    }
    Some(path)
}

/// The value of `name=` in a request target's query, as written.
fn query_param<'a>(target: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes the non-ASCII bytes of a request path, for a `Location` header.
fn ascii_only(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii() && !b.is_ascii_control() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" | "md" | "toml" | "yaml" | "yml" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

/// The live-reload script's tag: the page's build and server (so that a page reconnecting
/// later learns what changed since), and for a miss, the URL of the 404 page.
pub fn live_script_tag(build: u64, server: &str, not_found: Option<&str>) -> String {
    let not_found = not_found
        .map(|url| format!(" data-not-found=\"{}\"", crate::markdown::escape_attr(url)))
        .unwrap_or_default();
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{build}\" data-server=\"{}\"{not_found}></script>\n",
        crate::markdown::escape_attr(server)
    )
}

/// Inserts a tag before the last `</body>` (or at the end).
pub fn inject_live_script(html: &[u8], tag: &str) -> Vec<u8> {
    let at = rfind_ascii_case_insensitive(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Bytes shared with the served site, read without copying.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(request: Request, status: u16, content_type: &str, body: Arc<Vec<u8>>) {
    let len = body.len();
    let headers = [
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let response = Response::new(
        StatusCode(status),
        headers,
        Cursor::new(SharedBytes(body)),
        Some(len),
        None,
    );
    let _ = request.respond(response);
}

fn handle(request: Request, state: &ServerState) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let mut response =
            Response::from_string("only GET and HEAD are served\n").with_status_code(405);
        if let Some(h) = header("Allow", "GET, HEAD") {
            response.add_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    let site = state.current_site();
    match route(request.url(), &state.base_path, &site) {
        Route::Events => {
            // EventSource sends the last id it saw when it reconnects; a page that opens a new
            // stream says which build it has.
            let since = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Last-Event-ID"))
                .and_then(|h| h.value.as_str().trim().parse().ok())
                .or_else(|| query_param(request.url(), "since").and_then(|v| v.parse().ok()));
            stream_events(request, state, since)
        }
        Route::LiveScript => respond(
            request,
            200,
            "text/javascript; charset=utf-8",
            Arc::new(LIVE_SCRIPT.as_bytes().to_vec()),
        ),
        Route::File(path) => {
            let Some(file) = site.get(&path) else {
                return not_found(request, state, &site);
            };
            let kind = content_type(&path);
            let body = if kind.starts_with("text/html") {
                let tag = live_script_tag(site.build, state.events.server_id(), None);
                Arc::new(inject_live_script(&file.bytes, &tag))
            } else {
                Arc::clone(&file.bytes)
            };
            respond(request, 200, kind, body);
        }
        Route::Redirect(location) => {
            let mut response =
                Response::from_string(format!("moved to {location}\n")).with_status_code(301);
            if let Some(h) = header("Location", &location) {
                response.add_header(h);
            }
            let _ = request.respond(response);
        }
        Route::NotFound => not_found(request, state, &site),
    }
}

fn not_found(request: Request, state: &ServerState, site: &ServedSite) {
    let page = site
        .get("404.html")
        .map(|f| f.bytes.as_slice())
        .unwrap_or(FALLBACK_404.as_bytes());
    let url = format!("{}404.html", state.base_path);
    let tag = live_script_tag(site.build, state.events.server_id(), Some(&url));
    let body = inject_live_script(page, &tag);
    respond(request, 404, "text/html; charset=utf-8", Arc::new(body));
}

/// Keeps the connection open on a thread of its own and writes every live event to it.
fn stream_events(request: Request, state: &ServerState, since: Option<u64>) {
    let (first, events) = state.events.subscribe(since);
    let mut out = request.into_writer();
    let spawned = std::thread::Builder::new()
        .name("factbook-events".into())
        .spawn(move || {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\n";
            if out
                .write_all(head.as_bytes())
                .and_then(|()| out.write_all(first.as_bytes()))
                .and_then(|()| out.flush())
                .is_err()
            {
                return;
            }
            loop {
                let text = match events.recv_timeout(KEEP_ALIVE) {
                    Ok(text) => text,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".into(),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                };
                if out
                    .write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("warning: cannot start an event stream: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Artifact, ArtifactContent};
    use crate::serve::served::{CopyCache, collect};

    fn site() -> ServedSite {
        let files = [
            "index.html",
            "404.html",
            "about/index.html",
            "factbook.css",
            "caf\u{e9}/index.html",
        ];
        let artifacts = files
            .iter()
            .map(|p| Artifact {
                path: (*p).to_string(),
                content: ArtifactContent::Bytes(b"x".to_vec()),
                page: None,
            })
            .collect();
        collect(artifacts, &mut CopyCache::default()).0
    }

    fn file(p: &str) -> Route {
        Route::File(p.to_string())
    }

    #[test]
    fn directories_serve_their_index_and_need_their_slash() {
        let s = site();
        assert_eq!(route("/", "/", &s), file("index.html"));
        assert_eq!(route("/about/", "/", &s), file("about/index.html"));
        assert_eq!(route("/about/?x=1", "/", &s), file("about/index.html"));
        assert_eq!(
            route("/about/index.html", "/", &s),
            file("about/index.html")
        );
        assert_eq!(
            route("/about?x=1", "/", &s),
            Route::Redirect("/about/?x=1".into())
        );
        assert_eq!(route("/caf%C3%A9/", "/", &s), file("caf\u{e9}/index.html"));
        assert_eq!(
            route("/caf\u{e9}", "/", &s),
            Route::Redirect("/caf%C3%A9/".into())
        );
        assert_eq!(route("/factbook.css?v=2", "/", &s), file("factbook.css"));
        assert_eq!(route("/nope", "/", &s), Route::NotFound);
        assert_eq!(route(EVENTS_PATH, "/", &s), Route::Events);
        assert_eq!(route(SCRIPT_PATH, "/docs/", &s), Route::LiveScript);
    }

    #[test]
    fn the_base_path_is_stripped() {
        let s = site();
        assert_eq!(
            route("/docs/about/", "/docs/", &s),
            file("about/index.html")
        );
        assert_eq!(
            route("/docs", "/docs/", &s),
            Route::Redirect("/docs/".into())
        );
        assert_eq!(route("/about/", "/docs/", &s), Route::NotFound);
    }

    #[test]
    fn traversal_in_any_spelling_is_not_found() {
        let s = site();
        for target in [
            "/../book.toml",
            "/about/../../book.toml",
            "/%2e%2e/book.toml",
            "/%2E%2E%2Fbook.toml",
            "/..%2fbook.toml",
            "/about/%2e%2e/index.html",
            "/./index.html",
            "/..\\book.toml",
            "/%5c..%5cbook.toml",
            "//etc/passwd",
            "/about//index.html",
            "/%00index.html",
            "/%ff",
            "/%zz",
            "/%2",
            "about/",
            "http://example.org/",
            "",
        ] {
            assert_eq!(route(target, "/", &s), Route::NotFound, "{target}");
        }
        // A doubly encoded dot-dot is a literal name, which is simply not there.
        assert_eq!(route("/%252e%252e/book.toml", "/", &s), Route::NotFound);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("factbook.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("data/models.json"), "application/json");
        assert_eq!(content_type("img/a.svg"), "image/svg+xml");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let tag = live_script_tag(3, "s", None);
        assert_eq!(
            tag,
            format!("<script src=\"{SCRIPT_PATH}\" data-build=\"3\" data-server=\"s\"></script>\n")
        );
        let out = String::from_utf8(inject_live_script(html, &tag)).expect("utf-8");
        assert_eq!(
            out,
            format!("<html><body><p>&lt;/body&gt;</p>{tag}</BODY></html>")
        );
        let tag = live_script_tag(3, "s", Some("/404.html"));
        let bare = String::from_utf8(inject_live_script(b"<p>x", &tag)).expect("utf-8");
        assert!(bare.starts_with("<p>x<script") && bare.contains("data-not-found=\"/404.html\""));
        assert_eq!(query_param("/e?a=1&since=12", "since"), Some("12"));
        assert_eq!(query_param("/e?a=1", "since"), None);
    }
}
