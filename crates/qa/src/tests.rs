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
        direction: Direction::ZhToEn,
        ..Segment::named("1", zh, en)
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
        rules(
            &checker,
            "何立峰在天津讲话。",
            "He Lifeng spoke in the city."
        ),
        [Rule::NameMismatch]
    );
    assert_eq!(
        rules(
            &checker,
            "何立峰在天津讲话。",
            "He Lifeng spoke in Shanghai."
        ),
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
        direction: Direction::ZhToEn,
        ..Segment::named(
            "u3/s1",
            "发展新质生产力。",
            "Develop new productive forces.",
        )
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

#[test]
fn into_chinese_the_english_term_needs_its_approved_chinese() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let mut opening = concept(
        &[("高水平对外开放", None)],
        &[("high-standard opening up", TermStatus::Preferred)],
    );
    opening
        .set_status("zh", "高层次开放", TermStatus::Deprecated)
        .unwrap();
    let checker = Checker::new(&[(Some(4), opening)], &zh, &en);
    let rules_into_chinese = |source: &str, translation: &str| -> Vec<(Rule, Severity)> {
        checker
            .check(&Segment {
                direction: Direction::EnToZh,
                ..Segment::named("s", translation, source)
            })
            .iter()
            .map(|f| (f.rule, f.severity))
            .collect()
    };
    let source = "We promote high-standard opening up.";
    assert_eq!(rules_into_chinese(source, "我们推动高水平对外开放。"), []);
    assert_eq!(
        rules_into_chinese(source, "我们推动更大范围开放。"),
        [(Rule::MissingTerm, Severity::Error)]
    );
    assert_eq!(
        rules_into_chinese(source, "我们推动高层次开放。"),
        [(Rule::DeprecatedTerm, Severity::Error)]
    );
    // Left as the English source, or empty: untranslated, named as the translation.
    assert_eq!(
        rules_into_chinese("Save", "Save"),
        [(Rule::Untranslated, Severity::Error)]
    );
    let empty = checker.check(&Segment {
        direction: Direction::EnToZh,
        ..Segment::named("s", "", "Save")
    });
    assert_eq!(empty[0].message, "the Chinese translation is empty");
}

#[test]
fn severities_and_ids() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let checker = Checker::new(&[], &zh, &en);
    let check = |zh: &str, en: &str| checker.check(&Segment::named("1", zh, en));
    // A changed figure is an error; one only the English has is a warning.
    assert_eq!(
        check("增长5%。", "It grew 6%.")[0].severity,
        Severity::Error
    );
    assert_eq!(
        check("会议召开。", "The 19th congress opened.")[0].severity,
        Severity::Warning
    );
    assert_eq!(
        check("何立峰在天津讲话。", "He Lifeng spoke in Shanghai.")[0].severity,
        Severity::Warning
    );
    // The same text gives the same id; another text another.
    let first = check("增长5%。", "It grew 6%.");
    assert_eq!(first[0].id, check("增长5%。", "It grew  6%.")[0].id);
    assert_ne!(first[0].id, check("增长5%。", "It grew 7%.")[0].id);
    assert_eq!(first[0].id.len(), 16);
    assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
    assert_eq!(
        Rule::from_name("number-mismatch"),
        Some(Rule::NumberMismatch)
    );
}

/// The classes of false alarm seen on professional translations, each on short real
/// strings: none of these may be reported.
#[test]
fn what_professional_translations_do_is_not_reported() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let checker = Checker::new(&[], &zh, &en);
    let clean = [
        // Common words jieba tags as names.
        ("我买了很多东西。", "I bought a lot of things."),
        (
            "自本办法公布之日起施行。",
            "These measures take effect from the date of promulgation.",
        ),
        ("此药味甘性平。", "This medicine is sweet and mild."),
        // Places by their English names, their people and abbreviations.
        (
            "在中国，每年有三百万人意外死亡。",
            "In China, 3 million people die from accidents every year.",
        ),
        ("中国学生很多。", "There are many Chinese students."),
        (
            "英国和美国签署了协议。",
            "Britain and the US signed the agreement.",
        ),
        ("英国代表发言。", "The UK representative spoke."),
        // A people's adjective from a name in -a; a transliteration with a vowel more
        // than the dictionary's (Tehran).
        (
            "华夏文明源远流长。",
            "Chinese civilization goes back a long way.",
        ),
        ("会谈在德黑兰举行。", "The talks were held in Teheran."),
        ("英国游客来了。", "British tourists came."),
        (
            "美国公司宣布裁员。",
            "The American company announced layoffs.",
        ),
        ("美国经济增长。", "The U.S. economy grew."),
        (
            "双子座流星雨将迎来极大。",
            "The Geminid meteor shower will peak.",
        ),
        // Numbers in other notations.
        ("新冠疫情持续。", "The COVID-19 pandemic goes on."),
        ("依照第二十条规定。", "Under Article 20."),
        ("五千多名学生参加。", "More than 5,000 students took part."),
        ("价格2000-3000元。", "Prices are 2,000-3,000 yuan."),
        ("全国有百万人参与。", "A million people took part."),
        ("搭载V12发动机。", "It has a V12 engine."),
        ("三个人和六位专家。", "Three people and six experts."),
        ("摄影师是95后。", "The photographer is one of the post-95s."),
        ("新华社北京10月20日电", "BEIJING, Oct. 20 (Xinhua) --"),
        ("他20日说。", "He said on Sunday."),
        ("零售业和无人机发展很快。", "Retail and drones grow fast."),
        ("会议于15时开始。", "The meeting began at 3 p.m."),
        ("已删除%d个文件", "Deleted %d files"),
        ("共{0}项", "{0} items in all"),
        ("20世纪80年代以来", "since the 1980s"),
        ("增长2万4801人", "up by 24,801 people"),
    ];
    for (source, translation) in clean {
        let findings = checker.check(&Segment::named("1", source, translation));
        assert!(
            findings.is_empty(),
            "{source} / {translation}: {:?}",
            findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
    }
}

/// Each class of real flaw is still found.
#[test]
fn real_flaws_are_still_reported() {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let checker = Checker::new(&[], &zh, &en);
    let flawed = [
        (
            "在中国，每年有三百万人意外死亡。",
            "In China, 4 million people die from accidents every year.",
            Rule::NumberMismatch,
        ),
        (
            "五千多名学生参加。",
            "More than 6,000 students took part.",
            Rule::NumberMismatch,
        ),
        (
            "价格2000-3000元。",
            "Prices are 2,000-4,000 yuan.",
            Rule::NumberMismatch,
        ),
        (
            "搭载V12发动机。",
            "It has a V8 engine.",
            Rule::NumberMismatch,
        ),
        (
            "依照第二十条规定。",
            "Under Article 21.",
            Rule::NumberMismatch,
        ),
        (
            "李强总理在北京会见了他。",
            "Premier Li Qaing met him in Beijing.",
            Rule::NameMismatch,
        ),
        (
            "李强总理在北京会见了他。",
            "Premier Li Qiang met him in Chengdu.",
            Rule::NameMismatch,
        ),
        (
            "李强总理在北京会见了他。",
            "Premier 李强 met him in Beijing.",
            Rule::Untranslated,
        ),
    ];
    for (source, translation, rule) in flawed {
        let findings = checker.check(&Segment::named("1", source, translation));
        assert!(
            findings.iter().any(|f| f.rule == rule),
            "{source} / {translation}: {:?}",
            findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
    }
}
