//! False alarms on professional translations: the WMT22 general zh→en test set
//! (`../shared/eval/wmt22-general`, 1,875 real segments, two independent professional
//! translations, nearly all correct). With an empty termbase at most 2 % of the
//! segments of each reference may get any finding. Prints the figures recorded in
//! BENCHMARKS.md; `TONGWEN_DUMP=1` prints every finding.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use tongwen_qa::{Checker, Segment};
use tongwen_text::{EnTokenizer, ZhTokenizer};

mod common;

#[test]
#[ignore = "needs ../shared/eval/wmt22-general"]
fn professional_translations_get_few_findings() {
    let source = common::lines("src.zh");
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let checker = Checker::new(&[], &zh, &en);
    let dump = std::env::var_os("TONGWEN_DUMP").is_some();
    for reference in ["ref.A.en", "ref.B.en"] {
        let translation = common::lines(reference);
        assert_eq!(source.len(), translation.len(), "{reference}: line count");
        let mut flagged = 0;
        let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, (zh, en)) in source.iter().zip(&translation).enumerate() {
            let findings = checker.check(&Segment::named(
                format!("{}", k + 1),
                zh.as_str(),
                en.as_str(),
            ));
            if !findings.is_empty() {
                flagged += 1;
            }
            let mut rules: Vec<&str> = findings.iter().map(|f| f.rule.name()).collect();
            rules.dedup();
            for rule in rules {
                *per_rule.entry(rule).or_default() += 1;
            }
            if dump {
                for f in &findings {
                    eprintln!(
                        "{reference}:{}\t{}\t{}\n\tzh: {zh}\n\ten: {en}",
                        k + 1,
                        f.rule.name(),
                        f.message
                    );
                }
            }
        }
        let rate = flagged as f64 / source.len() as f64;
        eprintln!(
            "{reference}: {flagged} of {} segments flagged ({:.2} %); per rule: {per_rule:?}",
            source.len(),
            100.0 * rate
        );
        assert!(
            rate <= 0.02,
            "{reference}: {:.2} % of segments flagged",
            100.0 * rate
        );
    }
}
