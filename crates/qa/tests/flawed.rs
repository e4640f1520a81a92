//! The quality bar of the checks, on deliberately flawed translations written for
//! this project (`tests/data/qa/flawed.tsv`, each flaw labelled with its rule) and a
//! glossary written for it (`demo/glossary.tbx`): recall of the labelled
//! flaws ≥ 0.95 and precision of the findings ≥ 0.90, counted as (segment, rule).
//! Prints the figures recorded in BENCHMARKS.md.

use std::collections::BTreeSet;
use std::path::Path;

use tongwen_qa::{Checker, Segment};
use tongwen_terms::termbase::ConceptState;
use tongwen_text::{EnTokenizer, ZhTokenizer};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/qa")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn flawed_translations_are_caught_with_few_false_alarms() {
    let glossary_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/glossary.tbx");
    let glossary = std::fs::read_to_string(&glossary_path)
        .unwrap_or_else(|e| panic!("{}: {e}", glossary_path.display()));
    let glossary = tongwen_formats::read_tbx(&glossary).expect("glossary reads");
    let concepts: Vec<_> = glossary
        .concepts()
        .into_iter()
        .filter(|c| c.state == ConceptState::Approved)
        .map(|c| (None, c))
        .collect();
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let checker = Checker::new(&concepts, &zh, &en);
    let mut labelled = BTreeSet::new();
    let mut found = BTreeSet::new();
    let mut segments = 0;
    for line in fixture("flawed.tsv").lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "bad fixture line: {line}");
        segments += 1;
        for flaw in fields[3].split(',').filter(|f| *f != "-") {
            labelled.insert((fields[0].to_string(), flaw.to_string()));
        }
        let segment = Segment::named(fields[0], fields[1], fields[2]);
        for finding in checker.check(&segment) {
            found.insert((finding.segment, finding.rule.name().to_string()));
        }
    }
    let hits = labelled.intersection(&found).count();
    let recall = hits as f64 / labelled.len() as f64;
    let precision = hits as f64 / found.len().max(1) as f64;
    eprintln!(
        "{segments} segments, {} labelled flaws, {} findings: recall {recall:.3}, precision {precision:.3}",
        labelled.len(),
        found.len()
    );
    eprintln!(
        "missed: {:?}",
        labelled.difference(&found).collect::<Vec<_>>()
    );
    eprintln!(
        "false alarms: {:?}",
        found.difference(&labelled).collect::<Vec<_>>()
    );
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(precision >= 0.90, "precision {precision:.3}");
}
