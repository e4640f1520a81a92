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
