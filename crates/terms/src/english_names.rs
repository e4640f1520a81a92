//! Names found from the English side: a run of capitalized pinyin words (Liu Zunyi,
//! Ouyang Yu, Ming-er) is matched, syllable by syllable, to a span of the bead's
//! Chinese that reads that way, whether or not jieba made a word of it (刘遵义 comes
//! out of jieba as 刘 + 遵义, the city).

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use tongwen_lexicon::{is_pinyin, is_stopword, Lexicon};

use crate::{MiningBead, CHUNK};

/// A name and its English spelling, with the beads (indices) where both occur.
pub(crate) struct EnglishName {
    pub(crate) zh: String,
    pub(crate) en: String,
    pub(crate) beads: Vec<usize>,
}

/// A span of the Chinese spelled by some words of one capitalized run.
struct Match {
    span: std::ops::Range<usize>,
    run: usize,
    words: std::ops::Range<usize>,
    en: String,
}

/// Readings a character takes in names beside the one the lexicon gives first (朝 is
/// chao to the lexicon, Zhao in 江朝晖; 柏 bai, Bo in 龚柏威).
const NAME_READINGS: &[(char, &str)] = &[
    ('朝', "zhao"),
    ('柏', "bo"),
    ('长', "zhang"),
    ('重', "chong"),
    ('单', "shan"),
    ('曾', "zeng"),
    ('乐', "yue"),
    ('解', "xie"),
    ('查', "zha"),
    ('朴', "piao"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('盖', "ge"),
    ('覃', "qin"),
    ('翟', "zhai"),
    ('缪', "miao"),
    ('沈', "shen"),
    ('行', "hang"),
    ('屮', "che"),
    ('茜', "xi"),
    ('晟', "sheng"),
    ('尉', "yu"),
    ('会', "kuai"),
    ('藏', "zang"),
    ('厦', "xia"),
    ('蚌', "beng"),
    ('六', "lu"),
    ('儿', "er"),
];

/// Shortest spelling taken for a name: "Xi" and "Li" alone name too many.
const LEAST_LETTERS: usize = 4;

/// Most characters of a name found this way.
const MOST_CHARACTERS: usize = 4;

/// The names every bead's English spells in pinyin, with the Chinese that reads so.
pub(crate) fn names_from_english(beads: &[MiningBead]) -> Vec<EnglishName> {
    let lexicon = Lexicon::get();
    let readings = |c: char| -> Vec<&'static str> {
        let mut found: Vec<&'static str> = lexicon
            .lookup(c.encode_utf8(&mut [0; 4]))
            .map(|e| e.syllables().collect())
            .unwrap_or_default();
        found.extend(
            NAME_READINGS
                .iter()
                .filter(|(n, _)| *n == c)
                .map(|(_, r)| *r),
        );
        found
    };
    // Chunks in parallel, as the other passes over the beads; bead lists sorted after.
    let mut seen = (0..beads.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            names_of(
                beads,
                c * CHUNK..beads.len().min((c + 1) * CHUNK),
                &readings,
            )
        })
        .reduce(HashMap::default, |a, b| {
            let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (pair, beads) in from {
                into.entry(pair).or_default().extend(beads);
            }
            into
        });
    for found in seen.values_mut() {
        found.sort_unstable();
    }
    let mut names: Vec<EnglishName> = seen
        .into_iter()
        .map(|((zh, en), beads)| EnglishName { zh, en, beads })
        .collect();
    names.sort_by(|a, b| a.zh.cmp(&b.zh).then(a.en.cmp(&b.en)));
    names
}

/// The spans of `chars` that pinyin words of `en`'s capitalized runs spell.
/// `char_readings` are looked up on first need, as most English has no pinyin run.
fn spelled_spans(
    en: &str,
    chars: &[char],
    char_readings: &mut Option<Vec<Vec<&'static str>>>,
    readings: &impl Fn(char) -> Vec<&'static str>,
) -> Vec<Match> {
    let mut matches: Vec<Match> = Vec::new();
    for (run_index, run) in capitalized_runs(en).iter().enumerate() {
        for start in 0..run.len() {
            for end in start + 1..=run.len().min(start + 3) {
                let words = &run[start..end];
                let letters: String = words
                    .iter()
                    .flat_map(|w| w.chars())
                    .filter(|c| c.is_ascii_alphabetic())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let pinyin = words.iter().all(|w| {
                    let lower = w.to_lowercase();
                    is_pinyin(&lower) && !is_stopword(&lower)
                });
                if letters.len() < LEAST_LETTERS || !pinyin {
                    continue;
                }
                let char_readings = char_readings
                    .get_or_insert_with(|| chars.iter().map(|&c| readings(c)).collect());
                for span in spans_reading(chars, char_readings, &letters) {
                    matches.push(Match {
                        span,
                        run: run_index,
                        words: start..end,
                        en: words.join(" "),
                    });
                }
            }
        }
    }
    matches
}

/// The names the English of `beads[range]` spells, by bead index.
fn names_of(
    beads: &[MiningBead],
    range: std::ops::Range<usize>,
    readings: &(impl Fn(char) -> Vec<&'static str> + Sync),
) -> HashMap<(String, String), Vec<usize>> {
    let mut seen: HashMap<(String, String), Vec<usize>> = HashMap::default();
    for index in range {
        let bead = &beads[index];
        let chars: Vec<char> = bead.zh.chars().collect();
        let mut char_readings: Option<Vec<Vec<&'static str>>> = None;
        let matches = spelled_spans(&bead.en, &chars, &mut char_readings, readings);
        let mut in_bead: Vec<(String, String)> = Vec::new();
        for m in &matches {
            // 李兰 reads "Lilan" of Zhu Lilan, but lies in 李兰娟, spelled Li Lanjuan.
            let inside_another_name = matches.iter().any(|other| {
                other.span.len() > m.span.len()
                    && other.span.start < m.span.end
                    && m.span.start < other.span.end
                    && !(other.run == m.run
                        && other.words.start <= m.words.start
                        && m.words.end <= other.words.end)
            });
            // "Shangwu" of Zhang Shangwu (张尚武) is not 上午 elsewhere in the bead.
            let elsewhere_than_its_whole_name = matches.iter().any(|whole| {
                whole.run == m.run
                    && whole.words.start <= m.words.start
                    && m.words.end <= whole.words.end
                    && whole.words != m.words
                    && !(whole.span.start <= m.span.start && m.span.end <= whole.span.end)
            });
            let pair = (chars[m.span.clone()].iter().collect(), m.en.clone());
            if !inside_another_name && !elsewhere_than_its_whole_name && !in_bead.contains(&pair) {
                in_bead.push(pair);
            }
        }
        // A bead whose English names a person by one part only ("Xi said") takes the
        // full name a neighbouring bead spells for the same Chinese ("Chinese President
        // Xi Jinping" one bead up, where the aligner put the sentence).
        let own_words: Vec<&str> = capitalized_runs(&bead.en).into_iter().flatten().collect();
        let neighbours = [index.checked_sub(1), Some(index + 1)];
        for neighbour in neighbours
            .into_iter()
            .flatten()
            .filter(|&n| n < beads.len())
        {
            for m in spelled_spans(&beads[neighbour].en, &chars, &mut char_readings, readings) {
                let parts: Vec<&str> = m.en.split(' ').collect();
                let named_in_part = parts.len() >= 2
                    && parts.iter().any(|part| own_words.contains(part))
                    && !own_words
                        .windows(parts.len())
                        .any(|w| w == parts.as_slice());
                let pair = (chars[m.span.clone()].iter().collect(), m.en.clone());
                if named_in_part && !in_bead.iter().any(|(zh, _)| *zh == pair.0) {
                    in_bead.push(pair);
                }
            }
        }
        for pair in in_bead {
            seen.entry(pair).or_default().push(index);
        }
    }
    seen
}

/// Runs of consecutive capitalized words, each word as written (hyphens and
/// apostrophes kept inside it).
fn capitalized_runs(en: &str) -> Vec<Vec<&str>> {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in en.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let word = word.trim_matches(|c| c == '-' || c == '\'');
        if word.chars().next().is_some_and(char::is_uppercase) {
            current.push(word);
        } else if !current.is_empty() {
            // A lowercase word or a mark between words ends the run.
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The spans of two to [`MOST_CHARACTERS`] Han characters whose readings, one syllable
/// each, spell `letters` exactly; `readings[k]` are those of `chars[k]`.
fn spans_reading(
    chars: &[char],
    readings: &[Vec<&'static str>],
    letters: &str,
) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    for start in 0..chars.len() {
        // Letters consumed after each character, for every way of reading them.
        let mut reached: Vec<usize> = vec![0];
        for (offset, &c) in chars[start..].iter().enumerate().take(MOST_CHARACTERS) {
            if !tongwen_text::is_han(c) {
                break;
            }
            let syllables = &readings[start + offset];
            let mut next: Vec<usize> = Vec::new();
            for &at in &reached {
                for syllable in syllables {
                    if letters[at..].starts_with(syllable) && !next.contains(&(at + syllable.len()))
                    {
                        next.push(at + syllable.len());
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            if offset >= 1 && next.contains(&letters.len()) {
                spans.push(start..start + offset + 1);
            }
            reached = next;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(zh: &str, en: &str) -> MiningBead {
        MiningBead {
            id: 0,
            zh: zh.into(),
            en: en.into(),
            date: None,
            alignment: crate::BeadAlignment::GIVEN,
        }
    }

    #[test]
    fn a_pinyin_name_is_matched_to_the_chinese_that_reads_so() {
        let names = names_from_english(&[
            bead(
                "澳门大学向刘遵义、江朝晖颁授荣誉博士学位。",
                "The University of Macau awarded honorary doctorates to Liu Zunyi and Jiang Zhaohui.",
            ),
            bead("欧阳瑜出席典礼。", "Ouyang Yu attended the ceremony."),
            bead("向李兰娟、朱丽兰颁授学位。", "Degrees went to Li Lanjuan and Zhu Lilan."),
        ]);
        let found: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str()))
            .collect();
        assert!(found.contains(&("刘遵义", "Liu Zunyi")), "{found:?}");
        assert!(found.contains(&("江朝晖", "Jiang Zhaohui")), "{found:?}");
        assert!(found.contains(&("欧阳瑜", "Ouyang Yu")), "{found:?}");
        assert!(found.contains(&("李兰娟", "Li Lanjuan")), "{found:?}");
        assert!(found.contains(&("丽兰", "Lilan")), "{found:?}");
        assert!(!found.contains(&("李兰", "Lilan")), "{found:?}");
        // "Macau" is not pinyin; "The" and "University" are no names.
        assert!(found.iter().all(|(_, en)| !en.contains("Macau")));
    }

    #[test]
    fn a_given_name_is_read_inside_its_full_name_only() {
        let names = names_from_english(&[bead(
            "记者张尚武报道，上午举行推介会。",
            "Reported by Zhang Shangwu: the fair was held in the morning.",
        )]);
        let found: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str()))
            .collect();
        assert!(found.contains(&("张尚武", "Zhang Shangwu")), "{found:?}");
        assert!(!found.contains(&("上午", "Shangwu")), "{found:?}");
    }

    #[test]
    fn the_er_of_a_pet_name_is_spelled_whole() {
        // The lexicon reads 儿 as the "r" of erhua; names spell it "er" (Ban-er).
        let names = names_from_english(&[bead(
            "有子小名狗儿，生子小名板儿。",
            "a son called Gou-er, and a grandson called Ban-er.",
        )]);
        let found: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str()))
            .collect();
        assert!(found.contains(&("狗儿", "Gou-er")), "{found:?}");
        assert!(found.contains(&("板儿", "Ban-er")), "{found:?}");
    }

    #[test]
    fn short_spellings_and_non_pinyin_runs_are_left_alone() {
        let names = names_from_english(&[bead("习近平会见李强。", "Xi met Li Qiang in Beijing.")]);
        let found: Vec<&str> = names.iter().map(|n| n.en.as_str()).collect();
        assert!(!found.contains(&"Xi"));
        assert!(found.contains(&"Li Qiang"), "{found:?}");
    }

    #[test]
    fn a_name_said_in_part_takes_the_full_spelling_of_a_neighbouring_bead() {
        let names = names_from_english(&[
            bead(
                "不断激发创新活力。",
                "Chinese President Xi Jinping urged innovation.",
            ),
            bead("习近平指出，要扩大开放。", "Xi said opening up must widen."),
            bead("习近平强调改革。", "Reform was stressed."),
        ]);
        let found: Vec<(&str, &str, &[usize])> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str(), n.beads.as_slice()))
            .collect();
        // Only the bead whose English says "Xi": the third names no part of him.
        assert_eq!(found, [("习近平", "Xi Jinping", &[1][..])]);
    }

    #[test]
    fn capitalized_runs_split_at_lowercase_words_and_punctuation() {
        assert_eq!(
            capitalized_runs("Message from Hunan Daily: Gong Bowei, a journalist of Xinhua."),
            vec![
                vec!["Message"],
                vec!["Hunan", "Daily"],
                vec!["Gong", "Bowei"],
                vec!["Xinhua"]
            ]
        );
    }
}
