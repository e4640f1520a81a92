//! Reads every TMX, TBX and XLIFF file under a folder (`../shared/interop`) and
//! prints a Markdown table: what each file is read as (units, concepts and terms,
//! segments) or why it is refused, and how long decoding and reading took. Not a
//! test (`tests/interop.rs` holds the assertions); run it for BENCHMARKS.md:
//!
//! ```sh
//! cargo bench -p tongwen-formats --bench interop -- "$PWD/../shared/interop"
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use tongwen_formats::{decode_xml, read_tbx, read_tmx, read_xliff};

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, found);
        } else if matches!(
            path.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("tmx" | "tbx" | "xlf" | "xliff")
        ) {
            found.push(path);
        }
    }
}

fn main() {
    let Some(root) = std::env::args().skip(1).find(|a| a != "--bench") else {
        eprintln!("usage: cargo bench -p tongwen-formats --bench interop -- FOLDER");
        std::process::exit(2);
    };
    let root = PathBuf::from(root);
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    println!("| file | bytes | read as | ms |\n|---|---|---|---|");
    let mut refused = 0;
    for path in &all {
        let bytes = std::fs::read(path).unwrap_or_default();
        let started = Instant::now();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let outcome = decode_xml(&bytes)
            .and_then(|text| match extension.as_str() {
                "tmx" => read_tmx(&text).map(|units| {
                    let pairs = units
                        .iter()
                        .filter(|u| u.chinese_and_english().is_some())
                        .count();
                    format!("{} units ({pairs} Chinese-English)", units.len())
                }),
                "tbx" => read_tbx(&text).map(|document| {
                    let terms: usize = document
                        .entries
                        .iter()
                        .map(|e| e.concept.all_terms().count())
                        .sum();
                    format!(
                        "{} concepts, {terms} terms, {} skipped",
                        document.entries.len(),
                        document.problems.len()
                    )
                }),
                _ => read_xliff(&text)
                    .map(|document| format!("{} segments", document.segments.len())),
            })
            .unwrap_or_else(|error| {
                refused += 1;
                format!("refused: {error}")
            });
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let name = path.strip_prefix(&root).unwrap_or(path).display();
        println!("| {name} | {} | {outcome} | {ms:.1} |", bytes.len());
    }
    println!(
        "\n{} files, {} read, {refused} refused",
        all.len(),
        all.len() - refused
    );
}
