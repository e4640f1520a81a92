//! Literary names on MAC-Dev (`../shared/eval/mac-dev`, read in place: six chapters of
//! Chinese novels and their published translations, one sentence a line), each
//! chapter aligned by Tongwen and mined, against the hand-built name list
//! `tests/data/mining/macdev-gold.tsv`. Guards the figure in BENCHMARKS.md.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fold, lines, project};
use tongwen_align::{align, AlignConfig, Segment};
use tongwen_terms::{mine, BeadAlignment, MiningBead, MiningConfig};
use tongwen_text::{EnTokenizer, ZhTokenizer};

#[test]
#[ignore = "needs ../shared (MAC-Dev); .ci/run includes it"]
fn literary_names_are_mined_with_the_translators_renderings() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let shared = project("../shared/eval/mac-dev");
    let mut beads = Vec::new();
    for chapter in ["001", "002", "003", "004", "005", "006"] {
        let normalized = |side: &str| -> Vec<String> {
            lines(&shared.join(side).join(chapter))
                .iter()
                .map(|l| tongwen_text::normalize(l))
                .collect()
        };
        let (zh_lines, en_lines) = (normalized("zh"), normalized("en"));
        let zh_segments: Vec<Segment> = zh_lines.iter().map(|s| Segment::zh(&zh, s)).collect();
        let en_segments: Vec<Segment> = en_lines.iter().map(|s| Segment::en(&en, s)).collect();
        for bead in align(&zh_segments, &en_segments, &AlignConfig::standard()) {
            if bead.zh.is_empty() {
                continue;
            }
            beads.push(MiningBead {
                id: beads.len() as u64,
                zh: zh_lines[bead.zh].concat(),
                en: en_lines[bead.en].join(" "),
                date: None,
                alignment: BeadAlignment {
                    confidence: bead.score,
                    flagged: bead.low_confidence,
                },
            });
        }
    }
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);
    let gold = std::fs::read_to_string(project("tests/data/mining/macdev-gold.tsv")).unwrap();
    let entries: Vec<(&str, Vec<String>)> = gold
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            (fields[1], fields[2].split('|').map(fold).collect())
        })
        .collect();
    let (found, missed): (Vec<_>, Vec<_>) = entries.iter().partition(|(term, renderings)| {
        pairs
            .iter()
            .any(|p| p.zh == *term && renderings.contains(&fold(&p.en)))
    });
    let recall = found.len() as f64 / entries.len() as f64;
    eprintln!("{} of {} names", found.len(), entries.len());
    // Today's figure (BENCHMARKS.md): 26 of 32.
    assert!(
        recall >= 0.8,
        "name recall {recall:.3}; missed {:?}",
        missed.iter().map(|(term, _)| term).collect::<Vec<_>>()
    );
}
