//! Reading the WMT22 general test set (`../shared/eval/wmt22-general`) for the tests
//! over real translations.

use std::path::{Path, PathBuf};

/// The test set's directory; fails the test, naming it, when `../shared` is absent.
pub fn wmt22() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/wmt22-general");
    assert!(
        dir.join("src.zh").is_file(),
        "{} is missing: this test needs ../shared beside the project",
        dir.display()
    );
    dir
}

/// The lines of one of its files (`src.zh`, `ref.A.en`, `ref.B.en`), as written.
pub fn lines(name: &str) -> Vec<String> {
    let path = wmt22().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}
