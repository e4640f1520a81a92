//! Mining real text (`../shared/eval/wmt22-general`, read in place: each source line
//! with each professional reference a bead) against the gold list built by hand
//! (`tests/data/mining/wmt22-gold.tsv`) and the hand judgements of mined pairs the gold
//! lacks (`tests/data/mining/wmt22-judged.tsv`). Guards the figures in BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{fold, lines, project};
use tongwen_terms::{mine, BeadAlignment, MiningBead, MiningConfig};
use tongwen_text::{EnTokenizer, ZhTokenizer};

/// Rows of a `#`-commented TSV file.
fn rows(path: &Path) -> Vec<Vec<String>> {
    lines(path)
        .into_iter()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
#[ignore = "needs ../shared (wmt22-general); .ci/run includes it"]
fn names_are_found_and_the_top_of_the_list_is_clean() {
    let shared = project("../shared/eval/wmt22-general");
    let source = lines(&shared.join("src.zh"));
    let mut beads = Vec::new();
    for reference in ["ref.A.en", "ref.B.en"] {
        for (zh, en) in source.iter().zip(lines(&shared.join(reference))) {
            beads.push(MiningBead {
                id: beads.len() as u64,
                zh: tongwen_text::normalize(zh),
                en: tongwen_text::normalize(&en),
                date: None,
                alignment: BeadAlignment::GIVEN,
            });
        }
    }
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);

    // kind, renderings, by Chinese term.
    let gold: HashMap<String, (String, Vec<String>)> =
        rows(&project("tests/data/mining/wmt22-gold.tsv"))
            .into_iter()
            .map(|row| {
                let renderings = row[2].split('|').map(fold).collect();
                (row[1].clone(), (row[0].clone(), renderings))
            })
            .collect();
    let judged: HashMap<(String, String), bool> =
        rows(&project("tests/data/mining/wmt22-judged.tsv"))
            .into_iter()
            .map(|row| ((row[0].clone(), fold(&row[1])), row[2] == "accept"))
            .collect();

    let names: Vec<&String> = gold
        .iter()
        .filter(|(_, (kind, _))| kind != "concept")
        .map(|(zh, _)| zh)
        .collect();
    let found = names
        .iter()
        .filter(|zh| {
            let renderings = &gold[**zh].1;
            pairs
                .iter()
                .any(|p| &p.zh == **zh && renderings.contains(&fold(&p.en)))
        })
        .count();
    let recall = found as f64 / names.len() as f64;

    let (mut right, mut wrong) = (0, 0);
    for pair in pairs.iter().take(100) {
        let verdict = match gold.get(&pair.zh) {
            Some((_, renderings)) if renderings.contains(&fold(&pair.en)) => Some(true),
            _ => judged
                .get(&(pair.zh.clone(), fold(&pair.en)))
                .copied()
                .or(gold.contains_key(&pair.zh).then_some(false)),
        };
        match verdict {
            Some(true) => right += 1,
            Some(false) => wrong += 1,
            None => {}
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    eprintln!(
        "{} pairs; name recall {recall:.3} ({found} of {}); top 100: {right} acceptable, {wrong} not, {} unjudged",
        pairs.len(),
        names.len(),
        100 - right - wrong
    );
    // Today's figures (BENCHMARKS.md), with a little room for the judgements still to
    // be made of pairs new to the top.
    assert!(recall >= 0.85, "name recall {recall:.3}");
    assert!(
        precision >= 0.92,
        "precision of the judged top 100 {precision:.3}"
    );
}
