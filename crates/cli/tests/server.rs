//! HTTP-level tests of the showcase and the API, over a store built by `tongwen demo
//! --no-serve` from the sample corpus: every route, the error format, the interface
//! language, escaping of hostile text, roles, sessions, CSRF, conflicts, login
//! limits, and a real server process stopped by SIGTERM.
// Helpers outside the test functions panic on failure too: that is the test failing.
#![allow(clippy::unwrap_used)]

mod common;

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

/// Status, headers and body of a GET on a store, by a fresh server state.
fn get(
    data: &Path,
    uri: &str,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
    Client::new(data).send("GET", uri, &headers, "")
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
    let beads = json(&get(data, &format!("/api/v1/stories/{story_id}/beads"), None).2);
    assert_eq!(
        beads["items"].as_array().unwrap().len(),
        story["beads"].as_array().unwrap().len()
    );
    let terms = json(&get(data, "/api/v1/terms?q=opening&lang=en", None).2);
    assert!(terms["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["term"] == "high-standard opening up" && t["status"] == "preferred"));
    assert_eq!(get(data, "/api/v1/terms", None).0, StatusCode::BAD_REQUEST);
    let (_, _, filtered) = get(
        data,
        "/search?q=zones&source=%E5%90%8C%E6%96%87%E7%A4%BA%E4%BE%8B",
        None,
    );
    assert!(filtered.contains("同文示例") && filtered.contains("<mark>"));
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
        !story.contains('\u{202e}') && story.contains('\u{fffd}'),
        "bidi controls are neutralized"
    );
    assert!(
        story.contains("&lt;script&gt;") || story.contains("\\u003cscript"),
        "{story}"
    );
}

/// A real process: it answers, and SIGTERM stops it cleanly.
#[test]
fn serve_starts_answers_and_stops_on_sigterm() {
    let server = common::Server::start(demo_store(), &[]);
    let (status, _, body) = server.request("GET", "/healthz", &[], "");
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let status = server.terminate();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}

/// A demo store of its own, for tests that write.
fn fresh_demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    Command::cargo_bin("tongwen")
        .unwrap()
        .arg("--data")
        .arg(&data)
        .args(["demo", "--no-serve"])
        .assert()
        .success();
    for (name, role) in [("ed", "editor"), ("vi", "viewer"), ("ad", "admin")] {
        Command::cargo_bin("tongwen")
            .unwrap()
            .arg("--data")
            .arg(&data)
            .args(["user", "add", name, "--role", role])
            .env("TONGWEN_PASSWORD", format!("{name}-long-password"))
            .assert()
            .success();
    }
    (dir, data)
}

fn token_of(data: &Path, name: &str) -> String {
    let output = Command::cargo_bin("tongwen")
        .unwrap()
        .arg("--data")
        .arg(data)
        .args(["user", "token", name])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// One server instance (one login limiter) for a sequence of requests.
struct Client {
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
}

impl Client {
    fn new(data: &Path) -> Client {
        let state = Arc::new(tongwen_server::AppState::open(data).expect("state"));
        Client {
            router: tongwen_server::router(state),
            runtime: runtime(),
        }
    }

    fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Body::from(body.to_string())).unwrap();
        self.runtime.block_on(async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let (status, headers) = (response.status(), response.headers().clone());
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                headers,
                String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
            )
        })
    }

    /// Logs in through the form; returns the session cookie and the page's CSRF token.
    fn log_in(&self, name: &str, password: &str) -> Option<(String, String)> {
        let (_, headers, form) = self.send("GET", "/login", &[], "");
        let login_cookie = headers["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let token = between(&form, "name=\"csrf\" value=\"", "\"");
        let body = format!("name={name}&password={password}&csrf={token}");
        let (status, headers, _) = self.send(
            "POST",
            "/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &login_cookie),
            ],
            &body,
        );
        if status != StatusCode::SEE_OTHER || headers.get("set-cookie").is_none() {
            return None;
        }
        let set = headers["set-cookie"].to_str().unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        let session = set.split(';').next().unwrap().to_string();
        let (_, _, page) = self.send("GET", "/review", &[("cookie", &session)], "");
        let csrf = if page.contains("name=\"csrf\"") {
            between(&page, "name=\"csrf\" value=\"", "\"")
        } else {
            String::new()
        };
        Some((session, csrf))
    }
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {text}"))
        + start.len();
    text[from..].split(end).next().unwrap().to_string()
}

fn candidate(data: &Path) -> (i64, i64) {
    let page = json(&get(data, "/api/v1/concepts?state=candidate&limit=1", None).2);
    (
        page["items"][0]["id"].as_i64().unwrap(),
        page["items"][0]["version"].as_i64().unwrap(),
    )
}

#[test]
fn viewers_and_strangers_cannot_write_by_any_route() {
    let (_dir, data) = fresh_demo();
    let client = Client::new(&data);
    let (id, version) = candidate(&data);
    let viewer_token = format!("Bearer {}", token_of(&data, "vi"));
    let (viewer_session, viewer_csrf) = client
        .log_in("vi", "vi-long-password")
        .expect("viewer logs in");
    for action in ["approve", "reject", "deprecate", "edit", "merge"] {
        let uri = format!("/api/v1/concepts/{id}/{action}");
        let body = format!("{{\"version\": {version}, \"text\": \"x\", \"into\": \"1\"}}");
        let json_type = ("content-type", "application/json");
        assert_eq!(
            client.send("POST", &uri, &[json_type], &body).0,
            StatusCode::UNAUTHORIZED,
            "{uri} anonymous"
        );
        assert_eq!(
            client
                .send(
                    "POST",
                    &uri,
                    &[json_type, ("authorization", "Basic dmk6dmk=")],
                    &body
                )
                .0,
            StatusCode::UNAUTHORIZED,
            "{uri} basic"
        );
        assert_eq!(
            client
                .send(
                    "POST",
                    &uri,
                    &[json_type, ("authorization", "Bearer not-a-token")],
                    &body
                )
                .0,
            StatusCode::UNAUTHORIZED,
            "{uri} bad token"
        );
        let (status, _, answer) = client.send(
            "POST",
            &uri,
            &[json_type, ("authorization", &viewer_token)],
            &body,
        );
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri} viewer token");
        assert_eq!(json(&answer)["error"]["code"], "forbidden");
        // The session cookie does not open the API either.
        assert_eq!(
            client
                .send(
                    "POST",
                    &uri,
                    &[json_type, ("cookie", &viewer_session)],
                    &body
                )
                .0,
            StatusCode::UNAUTHORIZED,
            "{uri} viewer cookie"
        );
        let form = format!("action={action}&version={version}&csrf={viewer_csrf}&text=x&into=1");
        let form_type = ("content-type", "application/x-www-form-urlencoded");
        let (status, headers, _) =
            client.send("POST", &format!("/review/{id}"), &[form_type], &form);
        assert_eq!(
            (
                status,
                headers
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string())
            ),
            (StatusCode::SEE_OTHER, Some("/login".into())),
            "{action} anonymous form"
        );
        assert_eq!(
            client
                .send(
                    "POST",
                    &format!("/review/{id}"),
                    &[form_type, ("cookie", &viewer_session)],
                    &form
                )
                .0,
            StatusCode::FORBIDDEN,
            "{action} viewer form"
        );
    }
    assert_eq!(
        client.send("GET", "/review", &[], "").0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        client
            .send("GET", "/review", &[("cookie", &viewer_session)], "")
            .0,
        StatusCode::FORBIDDEN
    );
    let after = json(&get(&data, &format!("/api/v1/concepts/{id}"), None).2);
    assert_eq!(
        after["version"].as_i64().unwrap(),
        version,
        "nothing changed"
    );
    assert_eq!(after["concept"]["state"], "candidate");
}

#[test]
fn editors_review_with_csrf_and_see_conflicts() {
    let (_dir, data) = fresh_demo();
    let client = Client::new(&data);
    let (session, csrf) = client
        .log_in("ed", "ed-long-password")
        .expect("editor logs in");
    assert!(!csrf.is_empty());
    let (id, version) = candidate(&data);
    let form_type = ("content-type", "application/x-www-form-urlencoded");
    let cookie = ("cookie", session.as_str());
    // A form from elsewhere (wrong or missing token) changes nothing.
    let forged = format!("action=reject&version={version}&csrf=forged");
    assert_eq!(
        client
            .send(
                "POST",
                &format!("/review/{id}"),
                &[form_type, cookie],
                &forged
            )
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client
            .send(
                "POST",
                &format!("/review/{id}"),
                &[form_type, cookie],
                &format!("action=reject&version={version}")
            )
            .0,
        StatusCode::FORBIDDEN
    );
    let approve = format!("action=approve&version={version}&csrf={csrf}");
    let (status, headers, _) = client.send(
        "POST",
        &format!("/review/{id}"),
        &[form_type, cookie],
        &approve,
    );
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], format!("/review?done={id}"));
    let after = json(&get(&data, &format!("/api/v1/concepts/{id}"), None).2);
    assert_eq!(after["concept"]["state"], "approved");
    assert_eq!(after["updated_by"], "ed");
    // A second decision made on the old version is refused and the concept shown again.
    let (status, _, page) = client.send(
        "POST",
        &format!("/review/{id}"),
        &[form_type, cookie],
        &format!("action=reject&version={version}&csrf={csrf}"),
    );
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("role=\"alert\"") && page.contains(&format!("v{}", version + 1)),
        "{page}"
    );
    assert_eq!(
        json(&get(&data, &format!("/api/v1/concepts/{id}"), None).2)["concept"]["state"],
        "approved"
    );

    // Scripts use tokens.
    let token = format!("Bearer {}", token_of(&data, "ed"));
    let (other, other_version) = candidate(&data);
    let json_type = ("content-type", "application/json");
    let uri = format!("/api/v1/concepts/{other}/edit");
    let (status, _, body) = client.send("POST", &uri, &[json_type, ("authorization", &token)], &format!("{{\"version\": {other_version}, \"lang\": \"en\", \"text\": \"a better rendering\", \"status\": \"preferred\"}}"));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["version"].as_i64().unwrap(), other_version + 1);
    let (status, _, body) = client.send(
        "POST",
        &uri,
        &[json_type, ("authorization", &token)],
        &format!("{{\"version\": {other_version}, \"text\": \"again\"}}"),
    );
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(json(&body)["error"]["code"], "stale_version");
    let (status, _, body) = client.send(
        "POST",
        &format!("/api/v1/concepts/{other}/explode"),
        &[json_type, ("authorization", &token)],
        "{}",
    );
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(json(&body)["error"]["code"], "not_found");
    // An admin may do what an editor does, by token and by session.
    let admin = format!("Bearer {}", token_of(&data, "ad"));
    let (third, third_version) = candidate(&data);
    let (status, _, body) = client.send(
        "POST",
        &format!("/api/v1/concepts/{third}/reject"),
        &[json_type, ("authorization", &admin)],
        &format!("{{\"version\": {third_version}}}"),
    );
    assert_eq!(status, StatusCode::OK, "{body}");
    let (admin_session, admin_csrf) = client
        .log_in("ad", "ad-long-password")
        .expect("admin logs in");
    assert!(!admin_csrf.is_empty());
    assert_eq!(
        client
            .send("GET", "/review", &[("cookie", &admin_session)], "")
            .0,
        StatusCode::OK
    );
    // Logging out ends the session.
    client.send(
        "POST",
        "/logout",
        &[form_type, cookie],
        &format!("csrf={csrf}"),
    );
    assert_eq!(
        client.send("GET", "/review", &[cookie], "").0,
        StatusCode::SEE_OTHER
    );
}

#[test]
fn logins_are_rate_limited() {
    let (_dir, data) = fresh_demo();
    let client = Client::new(&data);
    for _ in 0..5 {
        assert!(client.log_in("ed", "wrong-password-here").is_none());
    }
    let (_, headers, form) = client.send("GET", "/login", &[], "");
    let login_cookie = headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = between(&form, "name=\"csrf\" value=\"", "\"");
    let (status, _, _) = client.send(
        "POST",
        "/login",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &login_cookie),
        ],
        &format!("name=ed&password=ed-long-password&csrf={token}"),
    );
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // A login form from another site (no matching cookie) is refused.
    let (status, _, _) = client.send(
        "POST",
        "/login",
        &[("content-type", "application/x-www-form-urlencoded")],
        &format!("name=vi&password=vi-long-password&csrf={token}"),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn editors_dismiss_findings_through_the_api_and_check_stops_reporting_them() {
    let (dir, data) = fresh_demo();
    let client = Client::new(&data);
    let json_type = ("content-type", "application/json");
    let editor = format!("Bearer {}", token_of(&data, "ed"));
    let viewer = format!("Bearer {}", token_of(&data, "vi"));
    let tmx = dir.path().join("draft.tmx");
    std::fs::write(&tmx, "<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body><tu><tuv xml:lang=\"zh-CN\"><seg>会议召开。</seg></tuv><tuv xml:lang=\"en\"><seg>The 19th congress opened.</seg></tuv></tu></body></tmx>").unwrap();
    let check = || {
        let output = Command::cargo_bin("tongwen")
            .unwrap()
            .arg("--data")
            .arg(&data)
            .args(["check", "--format", "json"])
            .arg(&tmx)
            .output()
            .unwrap();
        json(&String::from_utf8(output.stdout).unwrap())
    };
    let findings = check();
    let id = findings[0]["id"].as_str().unwrap().to_string();
    let body = format!(
        "{{\"rule\": \"number-mismatch\", \"zh\": \"会议召开。\", \"en\": \"The 19th congress opened.\", \"reason\": \"the English names the congress\", \"finding\": \"{id}\"}}"
    );
    // Viewers and strangers may not.
    let (status, _, _) = client.send(
        "POST",
        "/api/v1/dismissals",
        &[json_type, ("authorization", &viewer)],
        &body,
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = client.send("POST", "/api/v1/dismissals", &[json_type], &body);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // An id that is not this rule's on this text is refused.
    let wrong = body.replace(&id, "0123456789abcdef");
    let (status, _, answer) = client.send(
        "POST",
        "/api/v1/dismissals",
        &[json_type, ("authorization", &editor)],
        &wrong,
    );
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(json(&answer)["error"]["code"], "finding_mismatch");
    let (status, _, answer) = client.send(
        "POST",
        "/api/v1/dismissals",
        &[json_type, ("authorization", &editor)],
        &body,
    );
    assert_eq!(status, StatusCode::OK, "{answer}");
    let dismissal = json(&answer);
    assert_eq!(
        (
            dismissal["finding"].as_str(),
            dismissal["dismissed_by"].as_str()
        ),
        (Some(id.as_str()), Some("ed"))
    );
    let (_, _, listed) = client.send(
        "GET",
        "/api/v1/dismissals",
        &[("authorization", &editor)],
        "",
    );
    assert_eq!(
        json(&listed)["items"][0]["reason"],
        "the English names the congress"
    );
    assert!(
        check().as_array().unwrap().is_empty(),
        "dismissed findings are not reported"
    );
    // Withdrawn, it is reported again.
    let (status, _, _) = client.send(
        "DELETE",
        &format!("/api/v1/dismissals/{id}"),
        &[("authorization", &editor)],
        "",
    );
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = client.send(
        "DELETE",
        &format!("/api/v1/dismissals/{id}"),
        &[("authorization", &editor)],
        "",
    );
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(check().as_array().unwrap().len(), 1);
}
