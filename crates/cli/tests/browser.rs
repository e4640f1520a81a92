//! End to end in a real browser: Debian's headless Chromium driven through
//! chromedriver (W3C WebDriver, spoken here over plain HTTP) against `tongwen serve`
//! on the demo store. It opens the home page, searches 高水平对外开放, opens the
//! concept, opens a story in the parallel reader, logs in as an editor and approves a
//! candidate, checking the page content at each step. Screenshots are written to
//! `target/e2e-screenshots/` as test artifacts.
//!
//! Needs `chromium` and `chromedriver` on the PATH (`.ci/run` installs Debian's
//! `chromium` and `chromium-driver`); fails with a clear message when they are
//! missing.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn program(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    found.unwrap_or_else(|| panic!("this test needs `{name}` on the PATH: install Debian's chromium and chromium-driver (.ci/run does)"))
}

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request with a JSON body; the JSON answer.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Read the head, then exactly the body it announces: chromedriver may keep the
    // connection open.
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let lower = head.to_ascii_lowercase();
    let payload = if lower.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).unwrap();
            out.extend_from_slice(&chunk[..size]);
        }
        out
    } else {
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        body
    };
    let text = String::from_utf8_lossy(&payload).into_owned();
    let payload = text.clone();
    serde_json::from_str(&payload).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
}

struct Browser {
    port: u16,
    session: String,
    shots: PathBuf,
}

impl Browser {
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        if let Some(error) = answer["value"]["error"].as_str() {
            panic!(
                "WebDriver {method} {path}: {error}: {}",
                answer["value"]["message"]
            );
        }
        answer["value"].clone()
    }

    fn open(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let answer = http(
                self.port,
                "POST",
                &format!("/session/{}/element", self.session),
                Some(&json!({ "using": "css selector", "value": css })),
            );
            if let Some(map) = answer["value"].as_object() {
                if let Some(id) = map
                    .values()
                    .next()
                    .and_then(Value::as_str)
                    .filter(|_| !map.contains_key("error"))
                {
                    return id.to_string();
                }
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits until the browser is at a URL containing `part` (a click's navigation
    /// may still be under way when the click returns).
    fn wait_for_url(&self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.url().contains(part) {
            assert!(
                Instant::now() < deadline,
                "never reached a URL with {part}; at {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The page once it shows every one of `parts`: a navigation or a script may
    /// still be rendering when the command that started it returns. On timeout the
    /// failure names what is missing and shows the page as it stands.
    fn page_with(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let source = self.source();
            let missing: Vec<&str> = parts
                .iter()
                .copied()
                .filter(|part| !source.contains(part))
                .collect();
            if missing.is_empty() {
                return source;
            }
            if Instant::now() >= deadline {
                let excerpt: String = source.chars().take(4000).collect();
                panic!(
                    "{} never showed {missing:?}; the page was:\n{excerpt}",
                    self.url()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn source(&self) -> String {
        self.command("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn title(&self) -> String {
        self.command("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn screenshot(&self, name: &str) {
        let png = self.command("GET", "/screenshot", None);
        let bytes = decode_base64(png.as_str().unwrap());
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), bytes).unwrap();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (k, c)| {
            acc | (u32::from(value(*c)) << (18 - 6 * k))
        });
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

fn tongwen(data: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("tongwen").unwrap();
    command.arg("--data").arg(data);
    command
}

#[test]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and includes it"]
fn a_reader_and_an_editor_use_the_showcase_in_chromium() {
    let chromium = program("chromium");
    let chromedriver = program("chromedriver");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    tongwen(&data)
        .args(["demo", "--no-serve"])
        .assert()
        .success();
    tongwen(&data)
        .args(["user", "add", "editor", "--role", "editor"])
        .env("TONGWEN_PASSWORD", "a-long-editor-password")
        .assert()
        .success();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let mut server = Command::new(assert_cmd::cargo::cargo_bin("tongwen"))
        .arg("--data")
        .arg(&data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let _server = Running(server);
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break format!("http://{}", rest.trim_end_matches('/'));
        }
    };
    std::thread::spawn(move || for _ in lines {});

    let port = free_port();
    let driver = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _driver = Running(driver);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let created = http(
        port,
        "POST",
        "/session",
        Some(&json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US"] }
    } } })),
    );
    let session = created["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
        .to_string();
    let browser = Browser {
        port,
        session,
        shots,
    };

    // The home page: key concepts, approved first, and stories.
    browser.open(&format!("{base}/"));
    browser.page_with(&["Key concepts", "高水平对外开放", "Recent stories"]);
    assert!(browser.title().contains("Tongwen"));
    browser.screenshot("1-home");

    // Search from the header box.
    browser.type_into("header input[name=q]", "高水平对外开放");
    browser.click("header button[type=submit]");
    browser.wait_for_url("/search?q=");
    browser.page_with(&["<mark>高水平对外开放</mark>", "high-standard opening up"]);
    browser.screenshot("2-search");

    // The concept, from the matching concepts above the concordance.
    browser.click("#matching-concepts ~ ul a[href^='/concepts/']");
    browser.wait_for_url("/concepts/");
    browser.page_with(&[
        "high-standard opening up",
        "high-level opening-up",
        "deprecated",
        "<svg",
        "Evidence",
    ]);
    browser.screenshot("3-concept");

    // A story of its evidence, in the parallel reader.
    browser.click(".parallel a[href^='/stories/']");
    browser.wait_for_url("/stories/");
    // "no counterpart" marks the sentence the English leaves out.
    browser.page_with(&[
        "State-level development zones drive high-standard opening up",
        "国家级经开区推动高水平对外开放",
        "no counterpart",
    ]);
    browser.screenshot("4-story");

    // On a phone-sized window the reader stacks the two languages and nothing
    // overflows sideways.
    browser.command(
        "POST",
        "/window/rect",
        Some(json!({ "width": 390, "height": 844 })),
    );
    let fits = browser.command(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "return document.documentElement.scrollWidth <= window.innerWidth;", "args": [] })),
    );
    assert_eq!(fits, json!(true), "the story page overflows a phone screen");
    browser.screenshot("4b-story-phone");
    browser.command(
        "POST",
        "/window/rect",
        Some(json!({ "width": 1280, "height": 1000 })),
    );

    // An editor logs in and approves the first candidate.
    browser.open(&format!("{base}/login"));
    browser.type_into("#name", "editor");
    browser.type_into("#password", "a-long-editor-password");
    browser.click("form[action='/login'] button");
    browser.wait_for_url("/review");
    let queue = browser.page_with(&["article class=\"candidate\""]);
    let first = queue
        .split("article class=\"candidate\" id=\"c")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a candidate")
        .to_string();
    browser.screenshot("5-review");
    browser.click(&format!("#c{first} form input[value=approve] ~ button"));
    browser.wait_for_url(&format!("/review?done={first}"));
    browser.page_with(&["Saved"]);
    browser.screenshot("6-approved");
    browser.open(&format!("{base}/concepts/{first}"));
    browser.page_with(&["status-approved"]);
    browser.command("DELETE", "", None);
}
