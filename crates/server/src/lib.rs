//! Tongwen's showcase: server-rendered bilingual pages and a versioned JSON API over
//! the store (corpus, concordance, termbase). Thin: every answer is a store query or
//! an index search rendered as HTML (maud, escaped by construction) or JSON.
//!
//! Routes: `/` home, `/concepts/{id}`, `/stories/{id}`, `/search?q=…`, `/ui/{lang}`
//! (interface language), `/login`, `/logout`, `/review` and `/review/{id}` (editors),
//! `/healthz`, `/static/site.css`, and `/api/v1/…` (see [`api::openapi`]).
//!
//! Reading is public; writing needs an editor, by session (forms carry the session's
//! CSRF token) or by API token (`Authorization: Bearer`, no cookies, so no CSRF).
#![warn(missing_docs)]

pub mod api;
pub mod auth;
mod error;
mod highlight;
mod i18n;
mod pages;
mod review;
mod state;
mod svg;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;

pub use error::ServerError;
pub use state::{AppState, STORE_BUSY_TIMEOUT, WRITE_QUEUE_TIMEOUT};

/// The stylesheet, served by the binary itself.
const STYLESHEET: &str = include_str!("../static/site.css");

/// All routes over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/concepts/{id}", get(pages::concept))
        .route("/stories/{id}", get(pages::story))
        .route("/search", get(pages::search))
        .route("/ui/{lang}", get(pages::switch_language))
        .route("/login", get(review::login_page).post(review::login))
        .route("/logout", post(review::logout))
        .route("/review", get(review::review))
        .route("/review/{id}", post(review::review_action))
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/static/site.css",
            get(|| async {
                (
                    [
                        (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    STYLESHEET,
                )
            }),
        )
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(api_errors_as_json))
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(axum::middleware::from_fn(request_timeout))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response(neutralize_controls))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// `text` without the blank characters around it: Unicode white space and U+FEFF,
/// the characters the OpenAPI document's `[^\s\u0085]` pattern (JavaScript's `\s`
/// plus NEL) also counts as blank, so that document and server agree on what is empty.
pub(crate) fn trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Whether a request is answered in JSON (the API) rather than with a page.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// An error answer in the request's form: JSON under `/api/`, a page elsewhere.
fn refusal(path: &str, ui: i18n::Ui, error: ServerError) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_api(path) {
        error.into_response()
    } else {
        pages::error_page(ui, &error)
    }
}

/// Under `/api/`, every error is the documented JSON error, including those the
/// framework answers itself (a method a route does not take, a body over the limit,
/// a path that cannot be decoded).
async fn api_errors_as_json(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let api = is_api(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "this route does not take that method")
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            "the request body is larger than the 64 KiB accepted",
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such API route"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long and was dropped"),
        status if status.is_server_error() => (
            "internal",
            "something went wrong on the server; it has been logged",
        ),
        _ => ("bad_request", "the request cannot be read"),
    };
    let mut json = (
        status,
        axum::Json(serde_json::json!({ "error": { "code": code, "message": message } })),
    )
        .into_response();
    if let Some(allow) = response.headers().get(header::ALLOW) {
        json.headers_mut().insert(header::ALLOW, allow.clone());
    }
    json
}

/// A request that takes longer than [`REQUEST_TIMEOUT`] (a body trickling in, a
/// store that does not answer) is answered 408 and its work dropped.
async fn request_timeout(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path().to_string();
    let ui = i18n::Ui::from_headers(request.headers());
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refusal(&path, ui, ServerError::Timeout),
    }
}

/// Writes must come from this site: beside the CSRF token of forms, a browser's
/// `Origin` (or, without it, `Sec-Fetch-Site`) naming another site refuses the
/// request. Clients that send neither (scripts with an API token) are let through to
/// the token check.
async fn same_origin_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, Method};
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let cross_site = match text("origin") {
        Some(origin) => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            authority.is_none() || authority != host
        }
        None => text("sec-fetch-site").is_some_and(|site| site == "cross-site"),
    };
    if cross_site {
        let path = request.uri().path().to_string();
        return refusal(
            &path,
            i18n::Ui::from_headers(headers),
            ServerError::Forbidden("a write from another site is refused".into()),
        );
    }
    next.run(request).await
}

/// One debug line per request: method, path, status, time taken.
async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (method, path) = (request.method().clone(), request.uri().path().to_string());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() {
        tracing::warn!(%method, %path, status = status.as_u16(), micros = started.elapsed().as_micros() as u64, "request failed");
    } else {
        tracing::debug!(%method, %path, status = status.as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    }
    response
}

/// Bidirectional control characters in corpus or user text could reorder what a
/// page shows around them (a spoofed rendering, a reversed number). Pages show each
/// as U+FFFD instead, and drop other control characters (which no valid input holds,
/// but an older store might); the JSON API keeps the text as stored, escaped.
async fn neutralize_controls(response: axum::response::Response) -> axum::response::Response {
    let is_html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    let text = String::from_utf8_lossy(&bytes);
    let is_bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let body = if text.contains(is_bidi) || text.contains(tongwen_text::is_stray_control) {
        let text = tongwen_text::strip_stray_controls(&text);
        axum::body::Body::from(text.replace(is_bidi, "\u{fffd}"))
    } else {
        axum::body::Body::from(bytes)
    };
    let mut response = axum::response::Response::from_parts(parts, body);
    response
        .headers_mut()
        .remove(axum::http::header::CONTENT_LENGTH);
    response
}

/// Headers that keep browsers from running anything the pages did not mean to run:
/// only this server's stylesheet and images, no scripts, no framing, no sniffing.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::header::{
        HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
        X_FRAME_OPTIONS,
    };
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// How the server is run.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Cookies are marked `Secure` (an HTTPS proxy stands in front).
    pub secure_cookies: bool,
    /// The client's address is the last one in `X-Forwarded-For` (a proxy that
    /// appends it stands in front); otherwise the connection's peer.
    pub forwarded_for: bool,
}

/// A client that has not sent a whole request head within this time is cut off; an
/// idle keep-alive connection is closed after it too.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A request (its body read and its answer computed) that takes longer is answered
/// 408 and dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request body accepted (forms and API actions are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Requests in flight finish within this time after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The connection's peer address, put on every request by [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// Serves `data` on `addr` until `shutdown` completes; in-flight requests finish.
pub async fn serve(
    data: &Path,
    addr: SocketAddr,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    use tower::ServiceExt;
    let started = std::time::Instant::now();
    let mut state = AppState::open(data)?;
    state.secure_cookies = options.secure_cookies;
    state.forwarded_for = options.forwarded_for;
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServerError::Bind(addr.to_string(), e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServerError::Bind(addr.to_string(), e))?;
    tracing::info!(address = %bound, data = %data.display(), ready_in_ms = started.elapsed().as_millis() as u64, "serving");
    eprintln!("tongwen: serving {} on http://{bound}/", data.display());
    let app = router(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors or a connection reset before it was
                    // taken: wait a moment rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(PeerAddr(peer));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .max_buf_size(64 * 1024);
        let connection = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after {}s; stopping anyway", SHUTDOWN_GRACE.as_secs());
        }
    }
    tracing::info!("stopped");
    Ok(())
}
