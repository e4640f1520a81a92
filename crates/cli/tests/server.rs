//! HTTP-level tests of the showcase and the API, over a store built by `tongwen demo
//! --no-serve` from the sample corpus: every route, the error format, the interface
//! language, escaping of hostile text, and a real server process stopped by SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use assert_cmd::Command;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn demo_store() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, data) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        Command::cargo_bin("tongwen")
            .expect("tongwen binary")
            .arg("--data")
            .arg(&data)
            .args(["demo", "--no-serve"])
            .assert()
            .success();
        (dir, data)
    });
    data
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Status, headers and body of a GET on the demo store.
fn get(
    data: &Path,
    uri: &str,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let state = Arc::new(tongwen_server::AppState::open(data).expect("state"));
    runtime().block_on(async {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = tongwen_server::router(state)
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            headers,
            String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
        )
    })
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn pages_show_concepts_stories_and_search_results() {
    let data = demo_store();
    let (status, headers, home) = get(data, "/", None);
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        home.contains("<html lang=\"en\">")
            && home.contains("高水平对外开放")
            && home.contains("high-standard opening up")
    );
    assert!(
        !home.contains("http://") && !home.contains("https://"),
        "no external resources"
    );

    let concepts = json(&get(data, "/api/v1/concepts?q=高水平对外开放", None).2);
    let id = concepts["items"][0]["id"].as_i64().expect("concept id");
    let (status, _, concept) = get(data, &format!("/concepts/{id}"), None);
    assert_eq!(status, StatusCode::OK);
    assert!(concept.contains("high-standard opening up") && concept.contains("status-deprecated"));
    assert!(
        concept.contains("<mark><a href=\"/concepts/") && concept.contains("/stories/"),
        "evidence with the term marked and linked"
    );
    assert!(
        concept.contains("<svg") && concept.contains("2026-05"),
        "frequency chart"
    );

    let stories = json(&get(data, "/api/v1/stories?limit=100", None).2);
    let zones = stories["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap_or("").contains("经开区"))
        .expect("zones story");
    let (status, _, story) = get(data, &format!("/stories/{}", zones["id"]), None);
    assert_eq!(status, StatusCode::OK);
    assert!(story.contains("lang=\"zh-Hans\"") && story.contains("lang=\"en\""));
    assert!(story.contains("周航"), "editor shown: {story}");
    assert!(story.contains(&format!(
        "<mark><a href=\"/concepts/{id}\">高水平对外开放</a></mark>"
    )));
    assert!(
        story.contains("no counterpart"),
        "an untranslated sentence is marked"
    );

    let (status, _, results) = get(
        data,
        "/search?q=%E9%AB%98%E6%B0%B4%E5%B9%B3%E5%AF%B9%E5%A4%96%E5%BC%80%E6%94%BE",
        None,
    );
    assert_eq!(status, StatusCode::OK);
    assert!(results.contains("<mark>高水平对外开放</mark>"), "{results}");
    let (_, _, page_two) = get(data, "/search?q=zones&page=2", None);
    assert!(page_two.contains("rel=\"prev\""));

    assert_eq!(get(data, "/healthz", None).2, "ok\n");
    assert_eq!(get(data, "/static/site.css", None).0, StatusCode::OK);
    let (status, _, missing) = get(data, "/no/such/page", None);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("<html"));
    assert_eq!(get(data, "/concepts/abc", None).0, StatusCode::NOT_FOUND);
}

#[test]
fn the_interface_language_switches_and_sticks() {
    let data = demo_store();
    let (status, headers, _) = get(data, "/ui/zh", None);
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (_, _, home) = get(data, "/", Some(&cookie));
    assert!(home.contains("<html lang=\"zh-Hans\">") && home.contains("核心概念"));
    assert_eq!(get(data, "/ui/fr", None).0, StatusCode::NOT_FOUND);
}

#[test]
fn the_api_answers_json_with_stable_error_codes() {
    let data = demo_store();
    let (status, headers, body) = get(data, "/api/v1/concepts?limit=2", None);
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let page = json(&body);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["state"], "approved");
    let first = page["items"][0]["id"].as_i64().unwrap();
    let concept = json(&get(data, &format!("/api/v1/concepts/{first}"), None).2);
    assert!(
        concept["concept"]["languages"].is_array()
            && concept["evidence"].is_array()
            && concept["timeline"].is_array()
    );
    let story_id = json(&get(data, "/api/v1/stories?limit=1", None).2)["items"][0]["id"]
        .as_i64()
        .unwrap();
    let story = json(&get(data, &format!("/api/v1/stories/{story_id}"), None).2);
    assert!(story["beads"].as_array().unwrap().len() > 3);
    let hits = json(&get(data, "/api/v1/search?q=Grand%20Canal&limit=2", None).2);
    assert_eq!(hits["items"].as_array().unwrap().len(), 2);
    let openapi = json(&get(data, "/api/v1/openapi.json", None).2);
    assert_eq!(openapi["openapi"], "3.1.0");

    for (uri, status, code) in [
        (
            "/api/v1/concepts?limit=0",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/concepts?limit=abc",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/concepts?state=great",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "/api/v1/concepts/999999",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/api/v1/concepts/x", StatusCode::BAD_REQUEST, "bad_request"),
        ("/api/v1/stories/424242", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/search", StatusCode::BAD_REQUEST, "bad_request"),
        (
            "/api/v1/search?q=a&lang=fr",
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        ("/api/v1/nothing", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let (got, _, body) = get(data, uri, None);
        assert_eq!(got, status, "{uri}: {body}");
        let error = json(&body);
        assert_eq!(error["error"]["code"], code, "{uri}");
        assert!(!error["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let zh = dir.path().join("hostile-zh.txt");
    let en = dir.path().join("hostile-en.txt");
    std::fs::write(&zh, "标题<script>alert(1)</script>\n\n他说:\"><img src=x onerror=alert(1)>好。\n这是第二句话\u{202e}反转。\n").unwrap();
    std::fs::write(&en, "Title<script>alert(1)</script>\n\nHe said: \"><img src=x onerror=alert(1)> fine.\nThis is the second sentence\u{202e} reversed.\n").unwrap();
    let tongwen = |args: &[&str]| {
        Command::cargo_bin("tongwen")
            .unwrap()
            .arg("--data")
            .arg(&data)
            .args(args)
            .assert()
            .success();
    };
    tongwen(&["ingest", zh.to_str().unwrap(), en.to_str().unwrap()]);
    tongwen(&[
        "pair",
        "--given",
        zh.to_str().unwrap(),
        en.to_str().unwrap(),
    ]);
    tongwen(&["update"]);
    // HTML escapes; JSON carries the text as it is, served as JSON that browsers may
    // not sniff into HTML, under a policy that runs no script at all.
    let (_, headers, api) = get(&data, "/api/v1/stories/1", None);
    assert!(json(&api)["beads"][0]["zh"][0]
        .as_str()
        .unwrap()
        .contains("<script>"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    for uri in [
        "/stories/1",
        "/search?q=alert",
        "/search?q=%3Cscript%3E%22%3E%3Cimg",
    ] {
        let (status, _, body) = get(&data, uri, None);
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{uri}: {status}"
        );
        assert!(
            !body.contains("<script>alert") && !body.contains("<img src=x"),
            "{uri} lets markup through: {body}"
        );
    }
    let (_, _, story) = get(&data, "/stories/1", None);
    assert!(
        story.contains("&lt;script&gt;") || story.contains("\\u003cscript"),
        "{story}"
    );
}

/// A real process: it answers, and SIGTERM stops it cleanly.
#[test]
fn serve_starts_answers_and_stops_on_sigterm() {
    let data = demo_store();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tongwen"))
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn tongwen serve");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines.next().expect("server output").expect("line");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim_end_matches('/').to_string();
        }
    };
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200") && response.ends_with("ok\n"),
        "{response}"
    );
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let status = child.wait().expect("wait");
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}
