//! Helpers of the tests over real text in `../shared` and the gold lists in
//! `tests/data/mining`.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// A path from the project root.
pub fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The lines of a file, failing with what the test needs when it is missing.
pub fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("this test needs {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

/// English compared lowercase, apostrophes straight, a plural -s ignored.
pub fn fold(text: &str) -> String {
    let text = text.trim().to_lowercase().replace('\u{2019}', "'");
    match text.strip_suffix('s') {
        Some(singular) if !text.ends_with("ss") => singular.to_string(),
        _ => text,
    }
}
