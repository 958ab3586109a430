//! The preview server: serves the last good build from memory, injects the
//! live-reload script into HTML, and pushes reload and error events over
//! server-sent events.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::translations;
use crate::link::coverage::Coverage;
use crate::output::SiteFiles;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/__gazette/events";
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// A message to open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them.
    Stylesheets,
    /// The last change failed; show this text.
    Error(String),
}

/// A good build as the preview shows it.
#[derive(Default)]
pub struct PreviewSite {
    /// Output paths → bytes.
    pub files: SiteFiles,
    /// The translation coverage report, shown at `translations::PAGE`.
    pub coverage: Option<Arc<Coverage>>,
}

/// What the server shows: the last good site and the current error, if any.
pub struct Preview {
    site: RwLock<Arc<PreviewSite>>,
    error: RwLock<Option<String>>,
    notices: broadcast::Sender<Notice>,
}

impl Preview {
    /// A preview of `site`.
    pub fn new(site: PreviewSite) -> Arc<Self> {
        Arc::new(Preview {
            site: RwLock::new(Arc::new(site)),
            error: RwLock::new(None),
            notices: broadcast::channel(16).0,
        })
    }

    /// A successful rebuild: serve `site` and tell open pages. The last site
    /// is freed off this thread and outside the lock (a large one takes a
    /// while), so neither the next rebuild nor a request waits for it.
    pub fn publish(&self, site: PreviewSite, notice: Notice) {
        let last = std::mem::replace(
            &mut *self.site.write().unwrap_or_else(|e| e.into_inner()),
            Arc::new(site),
        );
        crate::background::drop_later(last);
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        let _ = self.notices.send(notice);
    }

    /// A failed rebuild: keep serving the last good site, show `text` in open pages.
    pub fn fail(&self, text: String) {
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(text.clone());
        let _ = self.notices.send(Notice::Error(text));
    }

    fn snapshot(&self) -> Arc<PreviewSite> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The HTTP routes.
pub fn router(preview: Arc<Preview>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(page)
        .with_state(preview)
}

/// Serve `preview` on `listener` until the process ends.
pub async fn serve(
    listener: tokio::net::TcpListener,
    preview: Arc<Preview>,
) -> std::io::Result<()> {
    axum::serve(listener, router(preview)).await
}

/// Bind `addr`, or, when its port is taken, one of the next ten ports.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let mut last_error = None;
    for offset in 0..=10u16 {
        let candidate = SocketAddr::new(addr.ip(), addr.port().saturating_add(offset));
        match tokio::net::TcpListener::bind(candidate).await {
            Ok(listener) => {
                let bound = listener.local_addr()?;
                return Ok((listener, bound));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && addr.port() != 0 => {
                last_error = Some(e)
            }
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free port")))
}

async fn events(
    State(preview): State<Arc<Preview>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let current = preview
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let first = tokio_stream::iter(current.map(|text| Ok(to_event(Notice::Error(text)))));
    let rest = BroadcastStream::new(preview.notices.subscribe())
        .filter_map(|n| n.ok().map(|n| Ok(to_event(n))));
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

fn to_event(notice: Notice) -> Event {
    match notice {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Stylesheets => Event::default().event("css").data("css"),
        Notice::Error(text) => Event::default().event("error").data(text),
    }
}

/// The output file a request path names, or `None` for paths that try to
/// leave the site (`..`, encoded dots, backslashes, NUL).
pub fn file_for(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let joined = segments.join("/");
    Some(if decoded.ends_with('/') || joined.is_empty() {
        format!(
            "{joined}{}index.html",
            if joined.is_empty() { "" } else { "/" }
        )
    } else {
        joined
    })
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn page(State(preview): State<Arc<Preview>>, uri: Uri) -> Response {
    let site = preview.snapshot();
    let files = &site.files;
    let Some(file) = file_for(uri.path()) else {
        return not_found(files);
    };
    if let (true, Some(coverage)) = (file == translations::PAGE, &site.coverage) {
        let page = translations::page(coverage);
        return respond(StatusCode::OK, &file, page.as_bytes());
    }
    if let Some(bytes) = files.get(&file) {
        return respond(StatusCode::OK, &file, &bytes.bytes());
    }
    // A folder asked for without its slash: send the browser to the right URL,
    // so that relative links in the page resolve.
    if files.contains_key(&format!("{file}/index.html")) {
        let location = format!("{}/", uri.path());
        let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return response;
    }
    not_found(files)
}

fn not_found(files: &SiteFiles) -> Response {
    match files.get("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", &bytes.bytes()),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn respond(status: StatusCode, file: &str, bytes: &[u8]) -> Response {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        inject(bytes)
    } else {
        bytes.to_vec()
    };
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/json"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let cache = if is_html { "no-store" } else { "no-cache" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The page with the live-reload script before `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let script = format!("<script>{RELOAD_SCRIPT}</script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_files_inside_the_site() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(file_for("/news/").as_deref(), Some("news/index.html"));
        assert_eq!(file_for("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            file_for("/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/").as_deref(),
            Some("ru/новости/index.html")
        );
        for hostile in [
            "/../etc/passwd",
            "/%2e%2e/secret",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(file_for(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
