//! Mining the seed pair (`../shared/seed`, read in place): the pairs the product
//! brief names must be found. Fails with a clear message when the shared data is
//! missing.

use std::path::Path;

use tongwen_align::{align, AlignConfig, Segment};
use tongwen_terms::{mine, BeadAlignment, MiningBead, MiningConfig};
use tongwen_text::{decode, prepare, EnTokenizer, Lang, SplitMode, ZhTokenizer};

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "this test needs the shared seed texts at {}: {e}",
            path.display()
        )
    });
    decode(&bytes).expect("seed text decodes").text
}

#[test]
#[ignore = "needs ../shared (the seed texts); .ci/run includes it"]
fn seed_pair_yields_the_named_concepts() {
    let (zh_tokenizer, en_tokenizer) = (ZhTokenizer::new(), EnTokenizer::new());
    let zh = prepare(&read("etdz-zh.txt"), Lang::Zh, SplitMode::Auto);
    let en = prepare(&read("etdz-en.txt"), Lang::En, SplitMode::Auto);
    let zh_segments: Vec<Segment> = zh
        .sentences
        .iter()
        .map(|s| Segment::zh(&zh_tokenizer, &s.normalized))
        .collect();
    let en_segments: Vec<Segment> = en
        .sentences
        .iter()
        .map(|s| Segment::en(&en_tokenizer, &s.normalized))
        .collect();
    let beads: Vec<MiningBead> = align(&zh_segments, &en_segments, &AlignConfig::standard())
        .into_iter()
        .filter(|b| !b.zh.is_empty())
        .enumerate()
        .map(|(k, b)| MiningBead {
            id: k as u64,
            zh: zh.sentences[b.zh]
                .iter()
                .map(|s| s.normalized.as_str())
                .collect::<Vec<_>>()
                .join(""),
            en: en.sentences[b.en]
                .iter()
                .map(|s| s.normalized.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            date: Some(20241020),
            alignment: BeadAlignment {
                confidence: b.score,
                flagged: b.low_confidence,
            },
        })
        .collect();
    let pairs = mine(
        &beads,
        &MiningConfig::standard(),
        &zh_tokenizer,
        &en_tokenizer,
    );
    let found = |zh: &str, en: &str| {
        pairs.iter().any(|p| {
            p.zh == zh
                && (p.en.eq_ignore_ascii_case(en)
                    || p.variants.iter().any(|v| v.en.eq_ignore_ascii_case(en)))
        })
    };
    let expected = [
        ("新质生产力", "new quality productive forces"),
        ("高水平对外开放", "high-standard opening up"),
        ("一带一路", "Belt and Road"),
        (
            "国家级经济技术开发区",
            "state-level economic and technological development zones",
        ),
        ("何立峰", "He Lifeng"),
        // No dictionary path (内生 is not in CC-CEDICT): found in the gap its
        // neighbours leave.
        ("内生动力", "endogenous momentum"),
    ];
    let missing: Vec<_> = expected.iter().filter(|(zh, en)| !found(zh, en)).collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?}; mined: {:#?}",
        pairs
            .iter()
            .map(|p| (&p.zh, &p.en, p.frequency))
            .collect::<Vec<_>>()
    );
    // The abbreviation the story uses is linked to its full form.
    let zones = pairs
        .iter()
        .find(|p| p.zh == "经济技术开发区" || p.zh == "国家级经济技术开发区")
        .expect("development zones mined");
    assert!(
        pairs
            .iter()
            .any(|p| p.abbreviations.iter().any(|a| a.ends_with("经开区"))),
        "经开区 not linked: {zones:?}"
    );
    // Evidence from beads the aligner doubts does not make a pair likely (锐意进取 →
    // "Building" came from a bead whose two sides say different things), and no
    // pair is certain.
    for pair in &pairs {
        assert!(pair.score < 0.99, "{pair:?}");
        if pair.signals.flagged_share >= 1.0 {
            assert!(pair.score <= 0.5, "{pair:?}");
        }
    }
    // Wrong pairs read off neighbouring text are not listed: one English span renders
    // one Chinese term.
    let listed = |zh: &str, en: &str| pairs.iter().any(|p| p.zh == zh && p.en == en);
    for (zh, en) in [
        ("排头兵", "opening up"),
        ("开放型", "opening up"),
        ("中央军委", "Central Committee"),
        ("中共中央", "Communist Party of China"),
    ] {
        assert!(!listed(zh, en), "{zh} → {en} listed");
    }
    // The share of listed pairs a terminologist accepts (tests/data/mining/
    // seed-judged.tsv; BENCHMARKS.md), with room for nothing worse than today's.
    let judged = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/mining/seed-judged.tsv"),
    )
    .unwrap();
    let verdicts: Vec<(&str, &str, bool)> = judged
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            (fields[0], fields[1], fields[2] == "accept")
        })
        .collect();
    let (accepted, others): (Vec<_>, Vec<_>) = pairs.iter().partition(|p| {
        verdicts
            .iter()
            .any(|(zh, en, ok)| *ok && *zh == p.zh && en.eq_ignore_ascii_case(&p.en))
    });
    let share = accepted.len() as f64 / pairs.len() as f64;
    assert!(
        share >= 0.9,
        "{} of {} listed pairs acceptable; not: {:?}",
        accepted.len(),
        pairs.len(),
        others.iter().map(|p| (&p.zh, &p.en)).collect::<Vec<_>>()
    );
    for (zh, en, freq) in pairs.iter().map(|p| (&p.zh, &p.en, p.frequency)).take(40) {
        eprintln!("{zh}\t{en}\t{freq}");
    }
}
