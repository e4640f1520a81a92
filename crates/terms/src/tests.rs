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

/// The English each term is mined with, by its Chinese.
fn renderings(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    mine(&beads(pairs), &MiningConfig::standard(), &zh, &en)
        .into_iter()
        .map(|p| (p.zh, p.en))
        .collect()
}

#[test]
fn a_name_jieba_cuts_but_the_dictionary_knows_is_one_word() {
    let zh = ZhTokenizer::new();
    let text = "扎克伯格回应了批评。";
    assert!(zh.tagged(text).iter().all(|(word, _)| *word != "扎克伯格"));
    assert!(mining_words(&zh, text).contains(&("扎克伯格", "nz")));
    let mined = renderings(&[(text, "Zuckerberg answered the criticism."); 2]);
    assert_eq!(
        mined.get("扎克伯格").map(String::as_str),
        Some("Zuckerberg")
    );
    // A proper noun of the dictionary is a name even where jieba tags it a common
    // noun (脸书, Facebook).
    let mined = renderings(&[("她每天都看脸书。", "She reads Facebook every day."); 2]);
    assert_eq!(mined.get("脸书").map(String::as_str), Some("Facebook"));
}

#[test]
fn a_place_keeps_its_own_name_beside_the_capital_that_names_it() {
    // CC-CEDICT glosses 维也纳 "Vienna, capital of Austria": only "Vienna" is 维也纳's,
    // and "Austria" stays 奥地利's. 阿联酋 is "UAE" by the initials of its gloss.
    let mined = renderings(&[
        (
            "会谈在奥地利首都维也纳举行。",
            "The talks were held in Vienna, the capital of Austria.",
        ),
        (
            "沙特阿拉伯、阿联酋和巴林断绝了关系。",
            "Saudi Arabia, UAE and Bahrain severed relations.",
        ),
    ]);
    assert_eq!(mined.get("维也纳").map(String::as_str), Some("Vienna"));
    assert_eq!(mined.get("奥地利").map(String::as_str), Some("Austria"));
    assert_eq!(mined.get("阿联酋").map(String::as_str), Some("UAE"));
}

#[test]
fn of_two_coordinated_names_each_takes_its_own_phrase() {
    let mined = renderings(
        &[(
            "他们向教育部和司法部提交申诉。",
            "They submitted a complaint to the Ministry of Education and Ministry of Justice.",
        ); 2],
    );
    assert_eq!(
        mined.get("教育部").map(String::as_str),
        Some("Ministry of Education")
    );
    assert_eq!(
        mined.get("司法部").map(String::as_str),
        Some("Ministry of Justice")
    );
}

#[test]
fn a_proper_name_yields_its_english_only_to_another_name() {
    let english = |start, end, surface: &str| EnglishCandidate {
        surface: surface.to_string(),
        key: surface.to_lowercase(),
        start,
        end,
    };
    let (justice, complaint) = (
        english(0, 2, "Ministry of Justice"),
        english(0, 4, "Ministry of Justice complaint letter"),
    );
    let (ministry, letter) = ("司法部".to_string(), "申诉书".to_string());
    let name = Candidate {
        proper_name: true,
        ..Candidate::default()
    };
    let common = Candidate::default();
    let claim = |term, english| Claim {
        term,
        agreement: 1.0,
        english,
        from_gap: false,
    };
    let claims = [claim(0, &justice), claim(1, &complaint)];
    // The longer English of 申诉书 would take "Ministry of Justice" from an ordinary
    // term; from a name it does not.
    let as_names = [(&ministry, &name), (&letter, &common)];
    assert_eq!(
        competitive_links(&claims, &as_names, "司法部的申诉书"),
        [true, true]
    );
    let as_words = [(&ministry, &common), (&letter, &common)];
    assert_eq!(
        competitive_links(&claims, &as_words, "司法部的申诉书"),
        [false, true]
    );
}

#[test]
fn a_spelled_name_takes_every_bead_that_spells_it_and_its_pieces_go() {
    let beads = beads(&[
        (
            "竹编艺人欧阳明远在杭州经营一家工坊。",
            "Bamboo weaving artisan Ouyang Mingyuan runs a workshop in Hangzhou.",
        ),
        (
            "欧阳明远说,竹编需要耐心。",
            "Ouyang Mingyuan said bamboo weaving takes patience.",
        ),
        (
            "去年,欧阳明远的工坊接待了五千多名游客。",
            "Last year, Ouyang Mingyuan's workshop received more than 5,000 visitors.",
        ),
        (
            "当地政府支持欧阳明远开设培训班。",
            "The local government has supported Ouyang Mingyuan in opening training classes.",
        ),
    ]);
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);
    let listed: Vec<(&str, &str, usize, bool)> = pairs
        .iter()
        .map(|p| (p.zh.as_str(), p.en.as_str(), p.frequency, p.name))
        .collect();
    assert!(
        listed.contains(&("欧阳明远", "Ouyang Mingyuan", 4, true)),
        "{listed:?}"
    );
    assert!(
        listed.iter().all(|(zh, ..)| *zh != "欧阳" && *zh != "明远"),
        "{listed:?}"
    );
}

#[test]
fn a_name_and_the_verb_after_it_are_no_term() {
    let beads = beads(&[
        (
            "扎克伯格回应了批评。",
            "Zuckerberg responded to the criticism.",
        ),
        (
            "扎克伯格回应说,公司会改进。",
            "Zuckerberg responded that the company would improve.",
        ),
    ]);
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
    let pairs = mine(&beads, &MiningConfig::standard(), &zh, &en);
    let listed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (p.zh.as_str(), p.en.as_str()))
        .collect();
    assert!(listed.contains(&("扎克伯格", "Zuckerberg")), "{listed:?}");
    assert!(
        listed.iter().all(|(zh, _)| *zh != "扎克伯格回应"),
        "{listed:?}"
    );
}
