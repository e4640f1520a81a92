//! Mining on the news fixture written for this project.

use super::*;

fn beads(pairs: &[(&str, &str)]) -> Vec<MiningBead> {
    pairs
        .iter()
        .enumerate()
        .map(|(k, (zh, en))| MiningBead {
            id: k as u64,
            zh: tongwen_text::normalize(zh),
            en: tongwen_text::normalize(en),
            date: Some(20260517),
            alignment: BeadAlignment::GIVEN,
        })
        .collect()
}

#[test]
fn finds_terms_names_and_their_renderings() {
    let beads = beads(&[
        ("第十届中国大运河文化节17日在浙江杭州开幕,来自沿河八个省市的三百多个文化项目参加展出。", "The 10th China Grand Canal Culture Festival opened on Sunday in Hangzhou, east China's Zhejiang Province, with more than 300 cultural projects on display."),
        ("大运河全长约三千二百公里。", "The Grand Canal is about 3,200 km long."),
        ("杭州市市长陈立新出席大运河文化节开幕式。", "Hangzhou Mayor Chen Lixin attended the opening ceremony of the Grand Canal Culture Festival."),
        ("文化节期间还将举办非物质文化遗产展。", "An intangible cultural heritage exhibition will be held during the festival."),
        ("杭州保护非物质文化遗产。", "Hangzhou protects its intangible cultural heritage."),
    ]);
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);
    let find = |term: &str| {
        pairs.iter().find(|p| p.zh == term).unwrap_or_else(|| {
            panic!(
                "{term} not mined: {:?}",
                pairs.iter().map(|p| (&p.zh, &p.en)).collect::<Vec<_>>()
            )
        })
    };
    assert_eq!(find("大运河").en, "Grand Canal");
    assert_eq!(find("大运河").frequency, 3);
    assert_eq!(find("陈立新").en, "Chen Lixin");
    assert!(find("陈立新").name);
    assert_eq!(find("非物质文化遗产").en, "intangible cultural heritage");
    // Only ever inside 非物质文化遗产, but a word of the dictionary: a unit of its own.
    assert_eq!(find("文化遗产").en, "cultural heritage");
    assert_eq!(find("杭州").en, "Hangzhou");
    assert_eq!(find("大运河").evidence, vec![0, 1, 2]);
    // A run of words seen once is a phrase, not yet a term.
    assert!(pairs.iter().all(|p| p.zh != "全长约三千二百公里"));
}

#[test]
fn a_doubtful_bead_weighs_less_and_cannot_make_a_pair_likely() {
    let sure = BeadAlignment {
        confidence: 0.9,
        flagged: false,
    };
    let doubtful = BeadAlignment {
        confidence: 0.4,
        flagged: true,
    };
    assert_eq!(sure.weight(), 0.9);
    assert_eq!(doubtful.weight(), FLAGGED_WEIGHT);
    let nonsense = BeadAlignment {
        confidence: f32::NAN,
        flagged: false,
    };
    assert_eq!(nonsense.weight(), LEAST_WEIGHT);

    let text = [(
        "杭州市市长陈立新出席大运河文化节开幕式。",
        "Hangzhou Mayor Chen Lixin attended the opening ceremony of the Grand Canal Culture Festival.",
    ); 3];
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let mined = |alignment: BeadAlignment| {
        let mut beads = beads(&text);
        for bead in &mut beads {
            bead.alignment = alignment;
        }
        mine(&beads, &MiningConfig::standard(), &zh, &en)
    };
    let (trusted, flagged) = (mined(BeadAlignment::GIVEN), mined(doubtful));
    let canal = |pairs: &[TermPair]| {
        pairs
            .iter()
            .find(|p| p.zh == "大运河")
            .map(|p| (p.score, p.signals))
            .unwrap()
    };
    let ((trusted_score, trusted_signals), (flagged_score, flagged_signals)) =
        (canal(&trusted), canal(&flagged));
    assert_eq!(trusted_signals.support, 3.0);
    assert_eq!(flagged_signals.support, 0.75);
    assert_eq!(flagged_signals.flagged_share, 1.0);
    assert!(flagged_score <= 0.5 && flagged_score < trusted_score);
    assert!(trusted.iter().all(|p| p.score > 0.0 && p.score < 0.99));
    // `min_score` keeps exactly the pairs scoring at least that.
    let least = MiningConfig {
        min_score: 0.6,
        ..MiningConfig::standard()
    };
    let kept = mine(&beads(&text), &least, &zh, &en);
    let expected: Vec<&str> = trusted
        .iter()
        .filter(|p| p.score >= 0.6)
        .map(|p| p.zh.as_str())
        .collect();
    assert_eq!(
        kept.iter().map(|p| p.zh.as_str()).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn one_english_span_renders_one_chinese_term() {
    // 排头兵 and 高水平对外开放 stand apart in the Chinese; "opening up" is the latter's.
    let beads = beads(
        &[(
            "以高水平对外开放为引领,打造改革排头兵。",
            "They should lead with high-standard opening up.",
        ); 2],
    );
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);
    assert!(
        pairs.iter().all(|p| p.zh != "排头兵"),
        "{:?}",
        pairs.iter().map(|p| (&p.zh, &p.en)).collect::<Vec<_>>()
    );
}

#[test]
fn an_acronym_glossed_in_parentheses_does_not_split_the_name_it_glosses() {
    assert_eq!(
        glossed_acronyms_moved_to_the_end("the Communist Party of China (CPC) Central Committee"),
        "the Communist Party of China Central Committee (CPC)"
    );
    assert_eq!(
        glossed_acronyms_moved_to_the_end("a rise (of 5%) (see below)"),
        "a rise (of 5%) (see below)"
    );
    assert_eq!(
        glossed_acronyms_moved_to_the_end("(Xinhua) (WHO"),
        "(Xinhua) (WHO"
    );
}
