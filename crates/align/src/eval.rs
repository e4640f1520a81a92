//! Alignment files and their evaluation against gold.
//!
//! The `align` format has one bead a line, `[zh indices]:[en indices]`, 0-based
//! (`[0,1]:[0]`, `[5]:[]`). Scores follow Sennrich & Volk (2010) as used by Vecalign
//! and Bertalign: strict counts a bead only when identical to a gold bead, lax when
//! it overlaps one on both sides; precision is over the system's beads (null beads
//! included), recall over the gold's non-null beads, counted over all files together.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// A bead as index lists, as in the `align` format.
pub type IndexBead = (Vec<usize>, Vec<usize>);

/// A malformed `align` line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}: {text:?}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: &'static str,
    /// The line as found (truncated).
    pub text: String,
}

/// Parses an `align` file.
pub fn parse_align(text: &str) -> Result<Vec<IndexBead>, ParseError> {
    let mut beads = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let error = |reason| ParseError {
            line: k + 1,
            reason,
            text: line.chars().take(80).collect(),
        };
        let (zh, en) = line
            .split_once("]:[")
            .ok_or_else(|| error("expected [zh]:[en]"))?;
        let zh = zh
            .strip_prefix('[')
            .ok_or_else(|| error("expected [ at the start"))?;
        let en = en
            .strip_suffix(']')
            .ok_or_else(|| error("expected ] at the end"))?;
        let list = |side: &str| -> Result<Vec<usize>, ParseError> {
            side.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().map_err(|_| error("not a sentence index")))
                .collect()
        };
        beads.push((list(zh)?, list(en)?));
    }
    Ok(beads)
}

/// Writes beads in the `align` format, one a line.
pub fn format_align(beads: &[IndexBead]) -> String {
    let mut out = String::new();
    for (zh, en) in beads {
        let join = |v: &Vec<usize>| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        out.push_str(&format!("[{}]:[{}]\n", join(zh), join(en)));
    }
    out
}

/// Strict and lax precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Strict precision.
    pub strict_precision: f64,
    /// Strict recall.
    pub strict_recall: f64,
    /// Strict F1.
    pub strict_f1: f64,
    /// Lax precision.
    pub lax_precision: f64,
    /// Lax recall.
    pub lax_recall: f64,
    /// Lax F1.
    pub lax_f1: f64,
}

/// True and false positive counts, strict and lax, summed over files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    precision: [u64; 4],
    recall: [u64; 4],
}

impl Counts {
    /// Adds one file's test beads against its gold beads.
    pub fn add(&mut self, test: &[IndexBead], gold: &[IndexBead]) {
        let p = match_counts(gold, test);
        let non_null = |beads: &[IndexBead]| {
            beads
                .iter()
                .filter(|(z, e)| !z.is_empty() && !e.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        };
        let r = match_counts(&non_null(test), &non_null(gold));
        for k in 0..4 {
            self.precision[k] += p[k];
            self.recall[k] += r[k];
        }
    }

    /// The scores of everything added.
    pub fn scores(&self) -> Scores {
        let ratio = |tp: u64, fp: u64| {
            if tp + fp == 0 {
                0.0
            } else {
                tp as f64 / (tp + fp) as f64
            }
        };
        let f1 = |p: f64, r: f64| {
            if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            }
        };
        let (sp, lp) = (
            ratio(self.precision[0], self.precision[1]),
            ratio(self.precision[2], self.precision[3]),
        );
        let (sr, lr) = (
            ratio(self.recall[0], self.recall[1]),
            ratio(self.recall[2], self.recall[3]),
        );
        Scores {
            strict_precision: sp,
            strict_recall: sr,
            strict_f1: f1(sp, sr),
            lax_precision: lp,
            lax_recall: lr,
            lax_f1: f1(lp, lr),
        }
    }
}

/// `[strict tp, strict fp, lax tp, lax fp]` of `test` against `gold`.
fn match_counts(gold: &[IndexBead], test: &[IndexBead]) -> [u64; 4] {
    let gold_set: HashSet<&IndexBead> = gold
        .iter()
        .filter(|(z, e)| !z.is_empty() || !e.is_empty())
        .collect();
    let mut zh_to_gold_en: HashMap<usize, HashSet<usize>> = HashMap::new();
    for (zh, en) in &gold_set {
        for &s in zh {
            zh_to_gold_en
                .entry(s)
                .or_default()
                .extend(en.iter().copied());
        }
    }
    let test_set: HashSet<&IndexBead> = test
        .iter()
        .filter(|(z, e)| !z.is_empty() || !e.is_empty())
        .collect();
    let mut counts = [0u64; 4];
    for bead in test_set {
        if gold_set.contains(bead) {
            counts[0] += 1;
            counts[2] += 1;
        } else {
            counts[1] += 1;
            let overlaps = bead.0.iter().any(|s| {
                zh_to_gold_en
                    .get(s)
                    .is_some_and(|targets| bead.1.iter().any(|e| targets.contains(e)))
            });
            counts[if overlaps { 2 } else { 3 }] += 1;
        }
    }
    counts
}

/// Merges beads within a verse, for verse-level gold (the Bible): a bead whose
/// sentences all lie in one verse on each side, the same verse on both (an empty side
/// takes the other side's verse), joins the bead before it when that one lies in the
/// same verse.
pub fn merge_within_verses(
    beads: &[IndexBead],
    zh_verses: &[String],
    en_verses: &[String],
) -> Vec<IndexBead> {
    let verse_of = |ids: &[usize], verses: &[String]| -> Option<Option<String>> {
        let mut found: Option<&String> = None;
        for &id in ids {
            let verse = verses.get(id)?;
            match found {
                Some(v) if v != verse => return Some(None),
                _ => found = Some(verse),
            }
        }
        Some(found.cloned())
    };
    let bead_verse = |(zh, en): &IndexBead| -> Option<String> {
        let z = verse_of(zh, zh_verses)?;
        let e = verse_of(en, en_verses)?;
        match (zh.is_empty(), en.is_empty()) {
            (true, _) => e,
            (_, true) => z,
            _ if z.is_some() && z == e => z,
            _ => None,
        }
    };
    let mut merged: Vec<(IndexBead, Option<String>)> = Vec::new();
    for bead in beads {
        let verse = bead_verse(bead);
        if let (Some(v), Some((last, last_verse))) = (&verse, merged.last_mut()) {
            if last_verse.as_ref() == Some(v) {
                last.0.extend(bead.0.iter().copied());
                last.1.extend(bead.1.iter().copied());
                continue;
            }
        }
        merged.push((bead.clone(), verse));
    }
    merged.into_iter().map(|(b, _)| b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let text = "[0,1]:[0]\n[2]:[]\n[]:[1,2]\n";
        let beads = parse_align(text).expect("valid");
        assert_eq!(
            beads,
            vec![
                (vec![0, 1], vec![0]),
                (vec![2], vec![]),
                (vec![], vec![1, 2])
            ]
        );
        assert_eq!(format_align(&beads), text);
        let error = parse_align("[0]:[0]\n[1:2]\n").expect_err("malformed");
        assert_eq!(error.line, 2);
    }

    #[test]
    fn scoring_follows_the_published_definition() {
        let gold = vec![(vec![0], vec![0]), (vec![1, 2], vec![1]), (vec![3], vec![])];
        let test = vec![
            (vec![0], vec![0]),
            (vec![1], vec![1]),
            (vec![2], vec![]),
            (vec![3], vec![]),
        ];
        let mut counts = Counts::default();
        counts.add(&test, &gold);
        let s = counts.scores();
        // Precision over 4 test beads: [0]:[0] and [3]:[] strict; [1]:[1] lax only; [2]:[] neither.
        assert_eq!((s.strict_precision, s.lax_precision), (0.5, 0.75));
        // Recall over 2 gold non-null beads: [0]:[0] strict; [1,2]:[1] lax via [1]:[1].
        assert_eq!((s.strict_recall, s.lax_recall), (0.5, 1.0));
    }

    #[test]
    fn verse_merge() {
        let zh_verses: Vec<String> = ["a", "b", "b", "b"].iter().map(|s| s.to_string()).collect();
        let en_verses: Vec<String> = ["a", "b", "b"].iter().map(|s| s.to_string()).collect();
        let beads = vec![
            (vec![0], vec![0]),
            (vec![1], vec![1]),
            (vec![2], vec![]),
            (vec![3], vec![2]),
        ];
        assert_eq!(
            merge_within_verses(&beads, &zh_verses, &en_verses),
            vec![(vec![0], vec![0]), (vec![1, 2, 3], vec![1, 2])]
        );
    }
}
