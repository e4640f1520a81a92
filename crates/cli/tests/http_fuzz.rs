//! Property test of the HTTP handlers, in process over a demo store: requests of any
//! method to the known routes with arbitrary segments, query strings, headers and
//! bodies never get a server error, and every API error is the documented JSON error.
// Helpers and assertions panic on failure: that is the test failing.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use proptest::prelude::*;
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    token: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (dir, data): (tempfile::TempDir, PathBuf) = common::demo_with_users();
        let token = common::token_of(&data, "ed");
        let state = Arc::new(tongwen_server::AppState::open(&data).unwrap());
        Fixture {
            _dir: dir,
            router: tongwen_server::router(state),
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
            token,
        }
    })
}

/// A path segment: an id that exists, one that does not, a number out of range, or
/// text that is no id (escaped so that the request line stays valid).
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        (1i64..20).prop_map(|id| id.to_string()),
        Just("0".to_string()),
        Just("-7".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("%FF%FE".to_string()),
        "[a-z0-9%.~-]{0,12}",
        any::<String>().prop_map(|s| escape(&s)),
    ]
}

fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn path() -> impl Strategy<Value = String> {
    let templates = [
        "/",
        "/concepts/{}",
        "/stories/{}",
        "/search",
        "/ui/{}",
        "/login",
        "/logout",
        "/review",
        "/review/{}",
        "/healthz",
        "/static/site.css",
        "/api/v1/concepts",
        "/api/v1/concepts/{}",
        "/api/v1/concepts/{}/approve",
        "/api/v1/concepts/{}/reject",
        "/api/v1/concepts/{}/deprecate",
        "/api/v1/concepts/{}/edit",
        "/api/v1/concepts/{}/merge",
        "/api/v1/concepts/{}/{}",
        "/api/v1/stories",
        "/api/v1/stories/{}",
        "/api/v1/stories/{}/beads",
        "/api/v1/terms",
        "/api/v1/search",
        "/api/v1/openapi.json",
        "/api/v1/{}",
        "/api/{}",
        "/{}",
    ];
    (0..templates.len(), segment(), segment())
        .prop_map(move |(k, a, b)| templates[k].replacen("{}", &a, 1).replacen("{}", &b, 1))
}

fn query() -> impl Strategy<Value = String> {
    let names = prop_oneof![
        Just("q"),
        Just("lang"),
        Just("limit"),
        Just("offset"),
        Just("state"),
        Just("page"),
        Just("source"),
        Just("done"),
        Just("failed"),
        Just("x"),
    ];
    let values = prop_oneof![
        Just(String::new()),
        (-5i64..200).prop_map(|n| n.to_string()),
        Just("4294967296".to_string()),
        Just("%E8%BF%90%E6%B2%B3".to_string()),
        Just("zh".to_string()),
        Just("candidate".to_string()),
        any::<String>().prop_map(|s| escape(&s)),
    ];
    prop::collection::vec((names, values), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"{}".to_vec()),
        Just(
            br#"{"version": 1, "lang": "en", "text": "opening up", "into": "2", "prefer": "x"}"#
                .to_vec()
        ),
        Just(br#"{"version": 1.5}"#.to_vec()),
        Just(b"csrf=x&action=approve&version=1&name=ed&password=p".to_vec()),
        "[ -~]{0,200}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_request_gets_a_server_error(
        method in prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE"), Just("HEAD"), Just("OPTIONS"), Just("PATCH")],
        path in path(),
        query in query(),
        body in body(),
        content_type in prop_oneof![Just(None), Just(Some("application/json")), Just(Some("application/x-www-form-urlencoded")), Just(Some("text/plain"))],
        authorized in any::<bool>(),
        origin in prop_oneof![Just(None), Just(Some("https://elsewhere.example")), Just(Some("null"))],
    ) {
        let fixture = fixture();
        let uri = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
        let mut request = Request::builder().method(method).uri(&uri).header("host", "localhost");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if authorized {
            request = request.header("authorization", format!("Bearer {}", fixture.token));
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let Ok(request) = request.body(Body::from(body)) else {
            // Not a request a client could send (the URI does not parse).
            return Ok(());
        };
        let (status, content_type, text) = fixture.runtime.block_on(async {
            let response = fixture.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, content_type, String::from_utf8_lossy(&bytes).into_owned())
        });
        prop_assert!(!status.is_server_error(), "{method} {uri}: {status} {text}");
        if path.starts_with("/api/") && status.is_client_error() && method != "HEAD" {
            prop_assert!(content_type.starts_with("application/json"), "{method} {uri}: {status} {content_type} {text}");
            let error: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("{method} {uri}: {e}: {text}")))?;
            prop_assert!(error["error"]["code"].is_string() && error["error"]["message"].is_string(), "{text}");
        }
    }
}
