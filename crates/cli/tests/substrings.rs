//! Concordance substrings on real text: a store built from every TMX in
//! `../shared/interop` and the six MAC-Dev chapters, and Chinese substrings of two to
//! four characters sampled from its beads, each of which must be found.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use tongwen_store::{ConcordanceIndex, SearchQuery, SqliteStore, Termbase};
use tongwen_text::{is_han, ZhTokenizer};

fn shared() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    assert!(
        dir.join("interop").is_dir() && dir.join("eval/mac-dev/zh").is_dir(),
        "this test needs the shared data beside the project at {}; it is missing",
        dir.display()
    );
    dir
}

fn tmx_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            tmx_files(&path, found);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tmx"))
        {
            found.push(path);
        }
    }
}

#[test]
#[ignore = "needs ../shared (interop TMX and MAC-Dev); .ci/run includes it"]
fn every_sampled_chinese_substring_is_found() {
    let shared = shared();
    let scratch = tempfile::tempdir().unwrap();
    // MAC-Dev chapters have no extension: named as the text files they are.
    for side in ["zh", "en"] {
        std::fs::create_dir_all(scratch.path().join("mac").join(side)).unwrap();
        for chapter in ["001", "002", "003", "004", "005", "006"] {
            std::fs::copy(
                shared.join("eval/mac-dev").join(side).join(chapter),
                scratch
                    .path()
                    .join("mac")
                    .join(side)
                    .join(format!("{chapter}.txt")),
            )
            .unwrap();
        }
    }
    let mut inputs = vec![scratch.path().join("mac")];
    tmx_files(&shared.join("interop"), &mut inputs);
    let data = scratch.path().join("data");
    let tongwen = || {
        let mut command = Command::cargo_bin("tongwen").unwrap();
        command.arg("--data").arg(&data);
        command
    };
    // Some interop TMX hold no Chinese: those are reported, the rest stored.
    tongwen().arg("ingest").args(&inputs).output().unwrap();
    tongwen().arg("update").assert().success();

    let store = SqliteStore::open(&data).unwrap();
    let mut texts = Vec::new();
    store
        .beads_to_mine(&mut |bead| {
            // The concordance holds the beads with text on both sides.
            if !bead.en.is_empty() {
                texts.push(bead.zh)
            }
        })
        .unwrap();
    assert!(texts.len() > 1_000, "{} beads", texts.len());
    let index =
        ConcordanceIndex::open_existing(&data.join("index"), Arc::new(ZhTokenizer::new())).unwrap();
    // A deterministic sample: every k-th bead, a substring of 2, 3 or 4 Han characters
    // at a position that moves with k.
    let mut sampled = 0;
    let mut missed = Vec::new();
    for (k, text) in texts.iter().enumerate().step_by(3) {
        let characters: Vec<char> = text.chars().collect();
        let length = 2 + k % 3;
        let Some(start) = (0..characters.len().saturating_sub(length))
            .map(|offset| (offset + k) % characters.len().max(1))
            .find(|&s| {
                s + length <= characters.len()
                    && characters[s..s + length].iter().all(|c| is_han(*c))
            })
        else {
            continue;
        };
        let needle: String = characters[start..start + length].iter().collect();
        sampled += 1;
        let hits = index
            .search(&SearchQuery {
                text: needle.clone(),
                limit: 10_000,
                ..SearchQuery::default()
            })
            .unwrap();
        let contains = hits
            .iter()
            .filter(|h| h.bead.zh_text.contains(&needle))
            .count();
        if hits.is_empty() || contains != hits.len() {
            missed.push((needle, hits.len(), contains));
        }
    }
    println!(
        "{sampled} substrings sampled from {} beads, {} missed or mixed with non-matches",
        texts.len(),
        missed.len()
    );
    assert!(sampled >= 300, "only {sampled} substrings sampled");
    assert!(missed.is_empty(), "{missed:?}");
}
