//! Helpers shared by the integration tests: the `tongwen` command on a data
//! directory, a demo store with users, and a real server process spoken to over
//! plain HTTP/1.1.
// Helpers panic on failure: that is the test failing.
#![allow(clippy::unwrap_used, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// A file of the repository's test data.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name)
}

/// `tongwen --data DATA`.
pub fn tongwen(data: &Path) -> Command {
    let mut command = Command::cargo_bin("tongwen").expect("tongwen binary");
    command.arg("--data").arg(data);
    command
}

/// A demo store of its own, with an editor `ed`, a viewer `vi` and an admin `ad`
/// (passwords `NAME-long-password`).
pub fn demo_with_users() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    tongwen(&data)
        .args(["demo", "--no-serve"])
        .assert()
        .success();
    for (name, role) in [("ed", "editor"), ("vi", "viewer"), ("ad", "admin")] {
        tongwen(&data)
            .args(["user", "add", name, "--role", role])
            .env("TONGWEN_PASSWORD", format!("{name}-long-password"))
            .assert()
            .success();
    }
    (dir, data)
}

/// A new API token of a user.
pub fn token_of(data: &Path, name: &str) -> String {
    let output = tongwen(data)
        .args(["user", "token", name])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// A `tongwen serve` process, killed when dropped.
pub struct Server {
    child: std::process::Child,
    /// `host:port` it listens on.
    pub address: String,
}

impl Server {
    /// Serves `data` on a free port; returns once it listens.
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tongwen"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
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
        // Keep draining the server's log so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, address }
    }

    /// Sends one request (`Connection: close`) and returns status, headers (lower
    /// case names) and body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Vec<(String, String)>, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("response");
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers, body.to_string())
    }

    /// Stops the server with SIGTERM, as a service manager would, and returns how it
    /// exited.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        self.child.wait().expect("wait")
    }

    /// A JSON GET.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, _, body) = self.request("GET", path, &[], "");
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a response header.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
