//! Names found from the English side: a run of capitalized pinyin words (Liu Zunyi,
//! Ouyang Yu, Ming-er) is matched, syllable by syllable, to a span of the bead's
//! Chinese that reads that way, whether or not jieba made a word of it (刘遵义 comes
//! out of jieba as 刘 + 遵义, the city). Wade–Giles spellings (Pao-yu, Hsi-feng) are
//! read too once the corpus proves it writes them: several beads spell a name that
//! only a Wade–Giles reading finds.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use tongwen_lexicon::{is_pinyin, is_stopword, wade_giles_syllables, Lexicon};

use crate::{MiningBead, CHUNK};

/// A name and its English spelling, with the beads (indices) where both occur.
pub(crate) struct EnglishName {
    pub(crate) zh: String,
    pub(crate) en: String,
    pub(crate) beads: Vec<usize>,
}

/// A span of the Chinese spelled by some words of one capitalized run.
#[derive(Clone)]
struct Match {
    span: std::ops::Range<usize>,
    run: usize,
    words: std::ops::Range<usize>,
    en: String,
    /// Read as Wade–Giles, not as pinyin (Pao-yu, Hsi-feng).
    wade_giles: bool,
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

/// Least beads that must spell a name only a Wade–Giles reading finds before the
/// corpus is read as writing Wade–Giles: one such bead may be a coincidence of an
/// English word and the Chinese beside it.
const WADE_GILES_PROOF: usize = 3;

/// Most pinyin readings tried for one window of words: an unmarked Wade–Giles
/// aspirate doubles them per syllable.
const MOST_READINGS: usize = 16;

/// The names a corpus's English spells, and how it spells them.
pub(crate) struct EnglishNames {
    pub(crate) names: Vec<EnglishName>,
    /// The corpus writes Wade–Giles as well as pinyin.
    pub(crate) wade_giles: bool,
}

/// The syllables a character may be read as in a name.
pub(crate) fn name_readings(c: char) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Lexicon::get()
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
}

/// The names every bead's English spells in pinyin, with the Chinese that reads so.
pub(crate) fn names_from_english(beads: &[MiningBead]) -> EnglishNames {
    let readings = name_readings;
    // Chunks in parallel, as the other passes over the beads; bead lists sorted after.
    let found = (0..beads.len().div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            names_of(
                beads,
                c * CHUNK..beads.len().min((c + 1) * CHUNK),
                &readings,
            )
        })
        .reduce(SpelledNames::default, SpelledNames::merged);
    let mut seen = found.plain;
    let wade_giles_proven = found.wade_giles_proof >= WADE_GILES_PROOF;
    let readings = if wade_giles_proven {
        found.with_wade_giles
    } else {
        found.pinyin_only
    };
    for (pair, beads) in readings {
        seen.entry(pair).or_default().extend(beads);
    }
    for found in seen.values_mut() {
        found.sort_unstable();
    }
    let mut names: Vec<EnglishName> = seen
        .into_iter()
        .map(|((zh, en), beads)| EnglishName { zh, en, beads })
        .collect();
    names.sort_by(|a, b| a.zh.cmp(&b.zh).then(a.en.cmp(&b.en)));
    EnglishNames {
        names,
        wade_giles: wade_giles_proven,
    }
}

/// Names spelled by the beads of a range, by bead index. Beads where a Wade–Giles
/// reading matched are kept both ways, read with and without it, since whether the
/// corpus writes Wade–Giles is known only once every bead has been read.
#[derive(Default)]
struct SpelledNames {
    /// Names of beads no Wade–Giles reading touched.
    plain: HashMap<(String, String), Vec<usize>>,
    /// The other beads' names, read as pinyin only.
    pinyin_only: HashMap<(String, String), Vec<usize>>,
    /// The other beads' names, Wade–Giles readings included.
    with_wade_giles: HashMap<(String, String), Vec<usize>>,
    /// Beads spelling a name only a Wade–Giles reading finds.
    wade_giles_proof: usize,
}

impl SpelledNames {
    fn merged(a: SpelledNames, b: SpelledNames) -> SpelledNames {
        fn union(
            a: HashMap<(String, String), Vec<usize>>,
            b: HashMap<(String, String), Vec<usize>>,
        ) -> HashMap<(String, String), Vec<usize>> {
            let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (pair, beads) in from {
                into.entry(pair).or_default().extend(beads);
            }
            into
        }
        SpelledNames {
            plain: union(a.plain, b.plain),
            pinyin_only: union(a.pinyin_only, b.pinyin_only),
            with_wade_giles: union(a.with_wade_giles, b.with_wade_giles),
            wade_giles_proof: a.wade_giles_proof + b.wade_giles_proof,
        }
    }
}

/// The pinyin letters a window of capitalized words may spell, each with whether it
/// is read as Wade–Giles only (tried when `wade_giles`).
pub(crate) fn spellings(words: &[&str], wade_giles: bool) -> Vec<(String, bool)> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if lower.iter().any(|w| is_stopword(w)) {
        return Vec::new();
    }
    let mut found: Vec<(String, bool)> = Vec::new();
    if lower.iter().all(|w| is_pinyin(w)) {
        found.push((
            lower
                .iter()
                .flat_map(|w| w.chars())
                .filter(char::is_ascii_alphabetic)
                .collect(),
            false,
        ));
    }
    if !wade_giles {
        return found;
    }
    // Wade–Giles writes one syllable between hyphens (Tse-tung, Hsi-feng).
    let mut readings: Vec<String> = vec![String::new()];
    for syllable in lower.iter().flat_map(|w| w.split('-')) {
        let alternatives = wade_giles_syllables(syllable);
        if alternatives.is_empty() || readings.len() * alternatives.len() > MOST_READINGS {
            return found;
        }
        readings = readings
            .iter()
            .flat_map(|so_far| alternatives.iter().map(move |a| format!("{so_far}{a}")))
            .collect();
    }
    let pinyin = found.first().map(|(letters, _)| letters.clone());
    for letters in readings {
        if Some(&letters) != pinyin.as_ref() {
            found.push((letters, true));
        }
    }
    found
}

/// The spans of `chars` that pinyin (or Wade–Giles) words of `en`'s capitalized runs
/// spell. `char_readings` are looked up on first need, as most English has no
/// pinyin run.
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
                let written = words
                    .iter()
                    .flat_map(|w| w.chars())
                    .filter(|c| c.is_ascii_alphabetic())
                    .count();
                if written < LEAST_LETTERS {
                    continue;
                }
                let spelled = spellings(words, true);
                if spelled.is_empty() {
                    continue;
                }
                let char_readings = char_readings
                    .get_or_insert_with(|| chars.iter().map(|&c| readings(c)).collect());
                let first_match = matches.len();
                for (letters, wade_giles) in spelled {
                    for span in spans_reading(chars, char_readings, &letters) {
                        if !matches[first_match..].iter().any(|m| m.span == span) {
                            matches.push(Match {
                                span,
                                run: run_index,
                                words: start..end,
                                en: words.join(" "),
                                wade_giles,
                            });
                        }
                    }
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
) -> SpelledNames {
    let mut found = SpelledNames::default();
    for index in range {
        let bead = &beads[index];
        let chars: Vec<char> = bead.zh.chars().collect();
        let mut char_readings: Option<Vec<Vec<&'static str>>> = None;
        let matches = spelled_spans(&bead.en, &chars, &mut char_readings, readings);
        let neighbours: Vec<Match> = [index.checked_sub(1), Some(index + 1)]
            .into_iter()
            .flatten()
            .filter(|&n| n < beads.len())
            .flat_map(|n| spelled_spans(&beads[n].en, &chars, &mut char_readings, readings))
            .collect();
        let with_wade_giles = bead_names(&bead.en, &chars, &matches, &neighbours);
        let record = |into: &mut HashMap<(String, String), Vec<usize>>, names| {
            for pair in names {
                into.entry(pair).or_default().push(index);
            }
        };
        if matches.iter().chain(&neighbours).any(|m| m.wade_giles) {
            let pinyin = |all: &[Match]| -> Vec<Match> {
                all.iter().filter(|m| !m.wade_giles).cloned().collect()
            };
            let pinyin_only = bead_names(&bead.en, &chars, &pinyin(&matches), &pinyin(&neighbours));
            let proves = with_wade_giles
                .iter()
                .any(|name| !pinyin_only.contains(name))
                && matches.iter().any(|m| m.wade_giles);
            found.wade_giles_proof += usize::from(proves);
            record(&mut found.pinyin_only, pinyin_only);
            record(&mut found.with_wade_giles, with_wade_giles);
        } else {
            record(&mut found.plain, with_wade_giles);
        }
    }
    found
}

/// The (Chinese, English) names one bead spells, from the spans its own English
/// spells (`matches`) and those its neighbours' English spells in its Chinese.
fn bead_names(
    en: &str,
    chars: &[char],
    matches: &[Match],
    neighbours: &[Match],
) -> Vec<(String, String)> {
    let mut in_bead: Vec<(String, String)> = Vec::new();
    for m in matches {
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
    let own_words: Vec<&str> = capitalized_runs(en).into_iter().flatten().collect();
    for m in neighbours {
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
    in_bead
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
            let next = next_reached(&reached, &readings[start + offset], letters);
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

/// Whether the characters whose readings are `readings`, one syllable each, spell
/// `letters` exactly.
pub(crate) fn reads_exactly(readings: &[Vec<&'static str>], letters: &str) -> bool {
    let mut reached: Vec<usize> = vec![0];
    for syllables in readings {
        reached = next_reached(&reached, syllables, letters);
        if reached.is_empty() {
            return false;
        }
    }
    reached.contains(&letters.len())
}

/// The letter offsets reached by reading one more character as any of `syllables`
/// from each offset of `reached`.
fn next_reached(reached: &[usize], syllables: &[&'static str], letters: &str) -> Vec<usize> {
    let mut next: Vec<usize> = Vec::new();
    for &at in reached {
        for syllable in syllables {
            if letters[at..].starts_with(syllable) && !next.contains(&(at + syllable.len())) {
                next.push(at + syllable.len());
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_from_english_of(beads: &[MiningBead]) -> Vec<EnglishName> {
        names_from_english(beads).names
    }

    use crate::given_bead as bead;

    #[test]
    fn a_pinyin_name_is_matched_to_the_chinese_that_reads_so() {
        let names = names_from_english_of(&[
            bead(
                "澳门大学向刘遵义、江朝晖颁授荣誉博士学位。",
                "The University of Macau awarded honorary doctorates to Liu Zunyi and Jiang Zhaohui.",
            ),
            bead("欧阳瑜出席典礼。", "Ouyang Yu attended the ceremony."),
            bead("欧阳明远说,竹编需要耐心。", "Ouyang Mingyuan said bamboo weaving takes patience."),
            bead("向李兰娟、朱丽兰颁授学位。", "Degrees went to Li Lanjuan and Zhu Lilan."),
        ]);
        let found: Vec<(&str, &str)> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str()))
            .collect();
        assert!(found.contains(&("刘遵义", "Liu Zunyi")), "{found:?}");
        assert!(found.contains(&("江朝晖", "Jiang Zhaohui")), "{found:?}");
        assert!(found.contains(&("欧阳瑜", "Ouyang Yu")), "{found:?}");
        assert!(
            found.contains(&("欧阳明远", "Ouyang Mingyuan")),
            "{found:?}"
        );
        assert!(found.contains(&("李兰娟", "Li Lanjuan")), "{found:?}");
        assert!(found.contains(&("丽兰", "Lilan")), "{found:?}");
        assert!(!found.contains(&("李兰", "Lilan")), "{found:?}");
        // "Macau" is not pinyin; "The" and "University" are no names.
        assert!(found.iter().all(|(_, en)| !en.contains("Macau")));
    }

    #[test]
    fn a_given_name_is_read_inside_its_full_name_only() {
        let names = names_from_english_of(&[bead(
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
        let names = names_from_english_of(&[bead(
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
        let names =
            names_from_english_of(&[bead("习近平会见李强。", "Xi met Li Qiang in Beijing.")]);
        let found: Vec<&str> = names.iter().map(|n| n.en.as_str()).collect();
        assert!(!found.contains(&"Xi"));
        assert!(found.contains(&"Li Qiang"), "{found:?}");
    }

    #[test]
    fn a_name_said_in_part_takes_the_full_spelling_of_a_neighbouring_bead() {
        let names = names_from_english_of(&[
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
    fn wade_giles_names_are_read_once_the_corpus_proves_it_writes_them() {
        let beads = [
            bead("宝玉笑道：“好妹妹。”", "Pao-yu laughed: 'Dear cousin.'"),
            bead("黛玉听了，便不理宝玉。", "Tai-yu turned away from Pao-yu."),
            bead("熙凤走了进来。", "Hsi-feng came in."),
            bead("贾政叫宝玉过去。", "Chia Cheng sent for him."),
        ];
        let names = names_from_english_of(&beads);
        let found: Vec<(&str, &str, usize)> = names
            .iter()
            .map(|n| (n.zh.as_str(), n.en.as_str(), n.beads.len()))
            .collect();
        for expected in [
            ("宝玉", "Pao-yu", 2),
            ("黛玉", "Tai-yu", 1),
            ("熙凤", "Hsi-feng", 1),
            ("贾政", "Chia Cheng", 1),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        // One bead reading so is a coincidence, not a corpus written in Wade–Giles.
        let names = names_from_english_of(&[
            bead("戴玉出席了会议。", "Tai Yu attended the meeting."),
            bead("李强出席了会议。", "Li Qiang attended the meeting."),
        ]);
        let found: Vec<&str> = names.iter().map(|n| n.zh.as_str()).collect();
        assert_eq!(found, ["李强"]);
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
