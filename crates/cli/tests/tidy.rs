//! Repository hygiene as an ordinary test: every Rust file opens with a `//!`
//! comment saying what it is for, and no line ends in whitespace.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable directory")
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && !name.to_string_lossy().starts_with('.') {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_is_documented_and_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    assert!(files.len() > 10, "found only {} Rust files", files.len());
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("UTF-8 source");
        if !text.starts_with("//!") {
            problems.push(format!(
                "{}: does not start with a //! comment",
                file.display()
            ));
        }
        for (number, line) in text.lines().enumerate() {
            if line.ends_with([' ', '\t']) {
                problems.push(format!(
                    "{}:{}: trailing whitespace",
                    file.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The server's handlers reach the concordance index only through
/// `AppState::search`, which runs it on a blocking thread: a search read on an async
/// worker would stall every other request that worker holds.
#[test]
fn handlers_search_the_index_only_through_the_blocking_pool() {
    let server = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let mut files = Vec::new();
    rust_files(&server, &mut files);
    assert!(files.len() > 3, "found only {} server files", files.len());
    let mut problems = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("state.rs")) {
        let text = std::fs::read_to_string(file).expect("UTF-8 source");
        for (number, line) in text.lines().enumerate() {
            if line.contains(".index.search(") {
                problems.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
