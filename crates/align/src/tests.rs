//! Invariants of the aligner: beads partition both sides in order, on any input.

use proptest::prelude::*;
use tongwen_text::{EnTokenizer, ZhTokenizer};

use super::*;

fn segments(zh: &[&str], en: &[&str]) -> (Vec<Segment>, Vec<Segment>) {
    let (zt, et) = (ZhTokenizer::new(), EnTokenizer::new());
    (
        zh.iter().map(|s| Segment::zh(&zt, s)).collect(),
        en.iter().map(|s| Segment::en(&et, s)).collect(),
    )
}

fn assert_partition(beads: &[Bead], n: usize, m: usize) {
    let (mut i, mut j) = (0, 0);
    for bead in beads {
        assert_eq!(
            (bead.zh.start, bead.en.start),
            (i, j),
            "gap or overlap at {bead:?}"
        );
        assert!(!bead.zh.is_empty() || !bead.en.is_empty(), "empty bead");
        i = bead.zh.end;
        j = bead.en.end;
    }
    assert_eq!((i, j), (n, m));
}

#[test]
fn merges_and_omissions() {
    let (zh, en) = segments(
        &[
            "习近平在天津讲话。",
            "他强调要扩大开放。",
            "会议由何立峰主持。",
            "商务部和江苏省的负责同志作了发言。",
            "四十个开发区参加了会议。",
        ],
        &[
            "Xi Jinping spoke in Tianjin and stressed expanding opening up.",
            "He Lifeng chaired the meeting.",
            "Forty development zones attended the meeting.",
        ],
    );
    let beads = align(&zh, &en, &AlignConfig::standard());
    assert_partition(&beads, 5, 3);
    let pairs: Vec<(Range<usize>, Range<usize>)> =
        beads.iter().map(|b| (b.zh.clone(), b.en.clone())).collect();
    assert_eq!(
        pairs,
        vec![(0..2, 0..1), (2..3, 1..2), (3..4, 2..2), (4..5, 2..3)]
    );
}

#[test]
fn empty_sides() {
    let (zh, en) = segments(&["你好。"], &[]);
    let beads = align(&zh, &en, &AlignConfig::standard());
    assert_partition(&beads, 1, 0);
    assert!(align(&[], &[], &AlignConfig::standard()).is_empty());
}

#[test]
fn banded_search_agrees_with_full_search() {
    let zh_text: Vec<String> = (0..40)
        .map(|k| format!("第{k}号开发区在天津发展新质生产力。"))
        .collect();
    let en_text: Vec<String> = (0..40)
        .map(|k| {
            format!("Development zone No. {k} develops new quality productive forces in Tianjin.")
        })
        .collect();
    let zh_refs: Vec<&str> = zh_text.iter().map(String::as_str).collect();
    let en_refs: Vec<&str> = en_text.iter().map(String::as_str).collect();
    let (zh, en) = segments(&zh_refs, &en_refs);
    let full = align(&zh, &en, &AlignConfig::standard());
    let banded = align(
        &zh,
        &en,
        &AlignConfig {
            full_search_cells: 0,
            band_margin: 3,
            ..AlignConfig::standard()
        },
    );
    let spans = |beads: &[Bead]| {
        beads
            .iter()
            .map(|b| (b.zh.clone(), b.en.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(spans(&full), spans(&banded));
    assert_eq!(full.len(), 40);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn beads_partition_both_sides(
        zh in proptest::collection::vec("[一二三天津开发区新质生产力我你他。]{0,12}", 0..14),
        en in proptest::collection::vec("[a-zA-Z0-9 .?]{0,30}", 0..14),
        banded in any::<bool>(),
    ) {
        let zh_refs: Vec<&str> = zh.iter().map(String::as_str).collect();
        let en_refs: Vec<&str> = en.iter().map(String::as_str).collect();
        let (zh_segments, en_segments) = segments(&zh_refs, &en_refs);
        let config = if banded { AlignConfig { full_search_cells: 0, band_margin: 1, ..AlignConfig::standard() } } else { AlignConfig::standard() };
        let beads = align(&zh_segments, &en_segments, &config);
        assert_partition(&beads, zh.len(), en.len());
        for bead in &beads {
            prop_assert!(bead.zh.len() <= config.max_zh && bead.en.len() <= config.max_en);
            prop_assert!((0.0..=1.0).contains(&bead.score));
        }
    }
}
