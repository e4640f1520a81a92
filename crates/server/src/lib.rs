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

use axum::routing::{get, post};
use axum::Router;

pub use error::ServerError;
pub use state::AppState;

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
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response(neutralize_bidi_controls))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
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
/// as U+FFFD instead; the JSON API keeps the text as stored.
async fn neutralize_bidi_controls(response: axum::response::Response) -> axum::response::Response {
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
    let body = if text.contains(is_bidi) {
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

/// Serves `data` on `addr` until `shutdown` completes; in-flight requests finish.
/// With `secure_cookies` (behind an HTTPS proxy) cookies are marked `Secure`.
pub async fn serve(
    data: &Path,
    addr: SocketAddr,
    secure_cookies: bool,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let started = std::time::Instant::now();
    let mut state = AppState::open(data)?;
    state.secure_cookies = secure_cookies;
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServerError::Bind(addr.to_string(), e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| ServerError::Bind(addr.to_string(), e))?;
    tracing::info!(address = %bound, data = %data.display(), ready_in_ms = started.elapsed().as_millis() as u64, "serving");
    eprintln!("tongwen: serving {} on http://{bound}/", data.display());
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| ServerError::Internal(format!("serving on {bound}: {e}")))?;
    tracing::info!("stopped");
    Ok(())
}
