//! Each rule on sentences written for these tests.

use super::*;
use tongwen_terms::termbase::{Concept, TermStatus};

/// A concept with Chinese terms (and their term types) and English renderings.
fn concept(zh: &[(&str, Option<&str>)], en: &[(&str, TermStatus)]) -> Concept {
    let mut c = Concept::default();
    for (text, kind) in zh {
        c.set_status("zh", text, TermStatus::Preferred).unwrap();
        c.languages[0].terms.last_mut().unwrap().term_type = kind.map(str::to_string);
    }
    for (text, status) in en {
        c.set_status("en", text, *status).unwrap();
    }
    c
}

fn rules(checker: &Checker, zh: &str, en: &str) -> Vec<Rule> {
    let findings = checker.check(&Segment {
        id: "1".into(),
        zh: zh.into(),
        en: en.into(),
        direction: Direction::ZhToEn,
    });
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn each_rule_fires_on_its_flaw_and_only_there() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let termbase = vec![
        (
            Some(1),
            concept(
                &[("高水平对外开放", None)],
                &[
                    ("high-standard opening up", TermStatus::Preferred),
                    ("high-level opening-up", TermStatus::Deprecated),
                ],
            ),
        ),
        (
            Some(2),
            concept(
                &[
                    ("国家级经济技术开发区", None),
                    ("国家级经开区", Some("abbreviation")),
                ],
                &[(
                    "state-level economic and technological development zone",
                    TermStatus::Preferred,
                )],
            ),
        ),
        (
            Some(3),
            concept(
                &[("经开区", Some("abbreviation")), ("经济技术开发区", None)],
                &[("development zone", TermStatus::Preferred)],
            ),
        ),
    ];
    let checker = Checker::new(&termbase, &zh, &en);
    // Clean: tolerant of case, hyphens and plurals.
    assert_eq!(
        rules(
            &checker,
            "推动高水平对外开放。",
            "Promote High-Standard Opening-Up."
        ),
        []
    );
    assert_eq!(
        rules(
            &checker,
            "国家级经开区发展迅速。",
            "State-level economic and technological development zones grow fast."
        ),
        []
    );
    assert_eq!(
        rules(&checker, "推动高水平对外开放。", "Promote opening up."),
        [Rule::MissingTerm]
    );
    assert_eq!(
        rules(
            &checker,
            "推动高水平对外开放。",
            "Promote high-level opening up."
        ),
        [Rule::DeprecatedTerm]
    );
    // The abbreviation is read as its full form; the shorter concept inside is not judged twice.
    assert_eq!(
        rules(&checker, "国家级经开区发展迅速。", "The zones grow fast."),
        [Rule::MissingTerm]
    );
    assert_eq!(
        rules(
            &checker,
            "会议于10月20日召开,共有四十个单位参加。",
            "The meeting opened on Oct. 20 with forty units."
        ),
        []
    );
    assert_eq!(
        rules(
            &checker,
            "会议于10月20日召开,共有四十个单位参加。",
            "The meeting opened on Oct. 21 with forty units."
        ),
        [Rule::NumberMismatch]
    );
    assert_eq!(
        rules(&checker, "投资3.5万元。", "It invested 35,000 yuan."),
        []
    );
    assert_eq!(rules(&checker, "增长百分之五。", "It grew 5 percent."), []);
    assert_eq!(
        rules(&checker, "增长百分之五。", "It grew 6 percent."),
        [Rule::NumberMismatch]
    );
    assert_eq!(
        rules(
            &checker,
            "何立峰在天津讲话。",
            "He Lifeng spoke in Tianjin."
        ),
        []
    );
    assert_eq!(
        rules(
            &checker,
            "何立峰在天津讲话。",
            "He Lifang spoke in Tianjin."
        ),
        [Rule::NameMismatch]
    );
    assert_eq!(
        rules(&checker, "何立峰在天津讲话。", "He Lifeng spoke in 天津."),
        [Rule::NameMismatch, Rule::Untranslated]
    );
    // Dropped or swapped for another place: the dictionary knows 天津 is a name.
    assert_eq!(
        rules(&checker, "何立峰在天津讲话。", "He Lifeng spoke in the city."),
        [Rule::NameMismatch]
    );
    assert_eq!(
        rules(&checker, "何立峰在天津讲话。", "He Lifeng spoke in Shanghai."),
        [Rule::NameMismatch]
    );
    assert_eq!(
        rules(&checker, "何立峰在天津讲话。", "  "),
        [Rule::EmptySegment]
    );
}

#[test]
fn findings_name_segment_rule_and_evidence() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let termbase = vec![(
        Some(7),
        concept(
            &[("新质生产力", None)],
            &[("new quality productive forces", TermStatus::Preferred)],
        ),
    )];
    let checker = Checker::new(&termbase, &zh, &en);
    let findings = checker.check(&Segment {
        id: "u3/s1".into(),
        zh: "发展新质生产力。".into(),
        en: "Develop new productive forces.".into(),
        direction: Direction::ZhToEn,
    });
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(
        (f.segment.as_str(), f.rule, f.concept),
        ("u3/s1", Rule::MissingTerm, Some(7))
    );
    assert_eq!(f.evidence.expected, ["new quality productive forces"]);
    assert!(f.message.contains("新质生产力"), "{}", f.message);
}
