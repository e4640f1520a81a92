//! Names with a title, clan or place affix, paired whole: 荣府 → "the Rong mansion",
//! 华妃 → "Concubine Hua", 周瑞家的 → "Zhou Rui's wife", 四王子 → "the Fourth Prince",
//! 魏王 → "the Prince of Wei". The stem, a name the English spells or a numeral it
//! writes as a number word, is found in the bead's English beside a word rendering the
//! affix. Which word renders an affix, and on which side of the stem, is learned from
//! the corpus: the dictionary's gloss of the affix, or a word seen beside several
//! stems of it.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tongwen_lexicon::{is_stopword, Lexicon};
use tongwen_text::{is_han, parse_chinese_number, parse_english_number_word, EnTokenizer};

use crate::english_names::{name_readings, reads_exactly, spellings, EnglishName};
use crate::{MiningBead, CHUNK};

/// Titles and kin written after a name.
const TITLES: &[&str] = &[
    "王子", "阿哥", "公主", "格格", "娘娘", "贵妃", "贵人", "夫人", "太太", "奶奶", "老爷", "将军",
    "家的", "妃", "嫔", "王", "公", "侯", "帝",
];
/// Houses, clans and schools.
const HOUSES: &[&str] = &["府", "家", "氏", "门", "帮", "派"];
/// Places named after a name. Their English takes no article of its own: a "the"
/// before "Malan Mountain" belongs to the park named after it.
const PLACES: &[&str] = &[
    "宫", "殿", "院", "寺", "庙", "楼", "阁", "堂", "山", "岛", "湖", "江", "河", "村", "镇", "庄",
    "寨",
];

/// Characters some affix starts with, to pass over beads without one at once.
const AFFIX_CHARACTERS: &str =
    "王阿公格娘贵夫太奶老将家妃嫔侯帝府氏门帮派宫殿院寺庙楼阁堂山岛湖江河村镇庄寨";

/// Most characters after an affix that may make a longer dictionary word of it (家政,
/// 公司, 王国), which is then no affix.
const MOST_WORD_TAIL: usize = 2;

/// Affixes a numeral stands before as an ordinal (四王子 → "the Fourth Prince").
const ORDINAL_TITLES: &[&str] = &[
    "王子", "阿哥", "公主", "格格", "娘娘", "夫人", "太太", "奶奶", "老爷",
];

/// Most characters of a name stem before an affix (欧阳 + 家, 宁国 + 府).
const MOST_STEM_CHARACTERS: usize = 3;

/// Distinct stems a word must be seen beside an affix with, the dictionary silent,
/// for the corpus to show it renders the affix: a capitalized word or one in a fixed
/// frame ("X's wife", "Prince of X")…
const LEARNED_STEMS: usize = 2;
/// …and a lowercase word beside the stem ("the Murong clan"), which a verb can be too.
const LEARNED_STEMS_LOWERCASE: usize = 3;
/// Beads one stem must show a word in a fixed frame in, the dictionary silent and no
/// other stem seen with it.
const LEARNED_BEADS_ONE_STEM: usize = 3;

/// Where the affix's word stands beside the stem in the English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Frame {
    /// "Rong mansion", "Fourth Prince".
    After,
    /// "Zhou Rui's wife".
    Possessive,
    /// "Concubine Hua".
    Before,
    /// "Prince of Wei".
    Of,
}

impl Frame {
    /// A frame that a verb or an adverb beside a name does not fill by chance.
    fn is_fixed(self) -> bool {
        matches!(self, Frame::Possessive | Frame::Of)
    }
}

/// How the English renders an affix: a word, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct AffixRendering {
    affix: &'static str,
    frame: Frame,
    /// Lowercase.
    word: String,
}

/// One bead's English naming a stem + affix with a word beside the stem.
struct Sighting {
    name: String,
    stem: String,
    rendering: AffixRendering,
    capitalized: bool,
    /// The English words, "the" included when it leads them.
    surface: String,
    bead: usize,
    /// Where the affix stands in the bead's Chinese, in characters.
    at: usize,
}

/// The affixed names of the corpus, each with the English most of its sightings use,
/// in a frame the corpus shows renders its affix.
pub(crate) fn affixed_names(
    beads: &[MiningBead],
    wade_giles: bool,
    en: &EnTokenizer,
) -> Vec<EnglishName> {
    let sightings: Vec<Sighting> = (0..beads.len().div_ceil(CHUNK))
        .into_par_iter()
        .flat_map_iter(|c| {
            (c * CHUNK..beads.len().min((c + 1) * CHUNK))
                .flat_map(|b| sightings_of(&beads[b], b, wade_giles))
                .collect::<Vec<_>>()
        })
        .collect();
    let sightings = longest_stems(sightings);
    let learned = learned_renderings(&sightings, en);
    let mut by_name: HashMap<&str, Vec<&Sighting>> = HashMap::default();
    for sighting in longest_affixes(&sightings, &learned) {
        by_name.entry(&sighting.name).or_default().push(sighting);
    }
    let mut names: Vec<EnglishName> = by_name
        .into_iter()
        .filter_map(|(name, sightings)| name_rendered(name, sightings, &learned))
        .collect();
    names.sort_by(|a, b| a.zh.cmp(&b.zh));
    names
}

/// Of the stems before one affix (周瑞 and 瑞 of 周瑞家的), the sightings of the
/// longest the English spells: the shorter is the same name cut.
fn longest_stems(sightings: Vec<Sighting>) -> Vec<Sighting> {
    let mut longest: HashMap<(usize, usize, &str), usize> = HashMap::default();
    for s in &sightings {
        let best = longest
            .entry((s.bead, s.at, s.rendering.affix))
            .or_default();
        *best = (*best).max(s.stem.chars().count());
    }
    let keep: Vec<bool> = sightings
        .iter()
        .map(|s| longest[&(s.bead, s.at, s.rendering.affix)] == s.stem.chars().count())
        .collect();
    sightings
        .into_iter()
        .zip(keep)
        .filter_map(|(s, keep)| keep.then_some(s))
        .collect()
}

/// Of the affixes read at one place (周瑞家的 and 周瑞家), the sightings of the longest
/// whose rendering the corpus shows.
fn longest_affixes<'s>(
    sightings: &'s [Sighting],
    learned: &HashMap<&AffixRendering, usize>,
) -> Vec<&'s Sighting> {
    let shown: Vec<&Sighting> = sightings
        .iter()
        .filter(|s| learned.contains_key(&s.rendering))
        .collect();
    let mut longest: HashMap<(usize, usize), usize> = HashMap::default();
    for s in &shown {
        let best = longest.entry((s.bead, s.at)).or_default();
        *best = (*best).max(s.rendering.affix.chars().count());
    }
    shown
        .into_iter()
        .filter(|s| longest[&(s.bead, s.at)] == s.rendering.affix.chars().count())
        .collect()
}

/// A name's English: the rendering most of its beads use (of two alike, the one the
/// corpus uses more for the affix), in the words most of them write.
fn name_rendered(
    name: &str,
    sightings: Vec<&Sighting>,
    learned: &HashMap<&AffixRendering, usize>,
) -> Option<EnglishName> {
    let mut per_rendering: HashMap<&AffixRendering, Vec<&Sighting>> = HashMap::default();
    for s in sightings {
        per_rendering.entry(&s.rendering).or_default().push(s);
    }
    let beads = |s: &[&Sighting]| s.iter().map(|s| s.bead).collect::<HashSet<_>>().len();
    let (_, chosen) = per_rendering.into_iter().max_by(|a, b| {
        beads(&a.1)
            .cmp(&beads(&b.1))
            .then(learned[a.0].cmp(&learned[b.0]))
            .then(b.0.cmp(a.0))
    })?;
    let mut surfaces: HashMap<&str, usize> = HashMap::default();
    for s in &chosen {
        *surfaces.entry(&s.surface).or_default() += 1;
    }
    let en = surfaces
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(surface, _)| surface.to_string())?;
    let mut evidence: Vec<usize> = chosen.iter().map(|s| s.bead).collect();
    evidence.sort_unstable();
    evidence.dedup();
    Some(EnglishName {
        zh: name.to_string(),
        en,
        beads: evidence,
    })
}

/// The renderings of affixes the corpus shows, with how many beads use each.
fn learned_renderings<'s>(
    sightings: &'s [Sighting],
    en: &EnTokenizer,
) -> HashMap<&'s AffixRendering, usize> {
    struct Seen<'s> {
        stems: HashSet<&'s str>,
        beads: HashSet<usize>,
        capitalized: usize,
    }
    let mut seen: HashMap<&AffixRendering, Seen> = HashMap::default();
    for s in sightings {
        let entry = seen.entry(&s.rendering).or_insert_with(|| Seen {
            stems: HashSet::default(),
            beads: HashSet::default(),
            capitalized: 0,
        });
        entry.stems.insert(&s.stem);
        entry.beads.insert(s.bead);
        entry.capitalized += usize::from(s.capitalized);
    }
    let lexicon = Lexicon::get();
    seen.into_iter()
        .filter(|(rendering, seen)| {
            let glossed = lexicon
                .lookup(rendering.affix)
                .is_some_and(|entry| entry.stems().any(|s| s == en.stem(&rendering.word)));
            let fixed = rendering.frame.is_fixed() || seen.capitalized * 2 > seen.beads.len();
            glossed
                || (fixed && seen.stems.len() >= LEARNED_STEMS)
                || seen.stems.len() >= LEARNED_STEMS_LOWERCASE
                || (rendering.frame.is_fixed() && seen.beads.len() >= LEARNED_BEADS_ONE_STEM)
        })
        .map(|(rendering, seen)| (rendering, seen.beads.len()))
        .collect()
}

/// A word of the English, with whether only spaces part it from the one before.
struct Word<'a> {
    text: &'a str,
    joined: bool,
}

fn words_of(en: &str) -> Vec<Word<'_>> {
    let is_word_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '\u{2019}');
    let mut words = Vec::new();
    let mut rest = en;
    let mut first = true;
    while let Some(start) = rest.find(is_word_char) {
        let gap = &rest[..start];
        let after = &rest[start..];
        let len = after
            .find(|c: char| !is_word_char(c))
            .unwrap_or(after.len());
        let text = after[..len].trim_matches(|c| matches!(c, '-' | '\'' | '\u{2019}'));
        if !text.is_empty() {
            words.push(Word {
                text,
                joined: !first && gap.chars().all(char::is_whitespace),
            });
            first = false;
        }
        rest = &after[len..];
    }
    words
}

/// The stem a window of words names, and whether it ends in a possessive 's.
fn without_possessive(word: &str) -> (&str, bool) {
    match word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
    {
        Some(stem) => (stem, true),
        None => (word, false),
    }
}

/// The affixed names one bead's English names with a word beside the stem.
fn sightings_of(bead: &MiningBead, index: usize, wade_giles: bool) -> Vec<Sighting> {
    if bead.en.is_empty() || !bead.zh.chars().any(|c| AFFIX_CHARACTERS.contains(c)) {
        return Vec::new();
    }
    let words = words_of(&bead.en);
    let spelled = spelled_windows(&words, wade_giles);
    let has_ordinal = || words.iter().any(|w| is_ordinal(w.text));
    if spelled.is_empty() && !has_ordinal() {
        return Vec::new();
    }
    let chars: Vec<char> = bead.zh.chars().collect();
    let lexicon = Lexicon::get();
    // Every affix that fits at a place (家的 and 家 of 慕容家的人): which one the
    // English renders is known once the corpus has shown how each is rendered.
    let affixes: Vec<(usize, &'static str)> = (1..chars.len())
        .filter(|&p| is_han(chars[p - 1]))
        .flat_map(|p| {
            affixes_starting(&chars[p..], lexicon)
                .into_iter()
                .map(move |affix| (p, affix))
        })
        .collect();
    let mut found = Vec::new();
    for (p, affix) in affixes {
        let numeral_start = (0..p).rev().take_while(|&k| is_numeral(chars[k])).last();
        let stems: Vec<usize> = match numeral_start {
            Some(start) if ORDINAL_TITLES.contains(&affix) => vec![start],
            Some(_) => Vec::new(),
            None => (p.saturating_sub(MOST_STEM_CHARACTERS)..p)
                .filter(|&s| chars[s..p].iter().all(|&c| is_han(c)))
                .collect(),
        };
        for start in stems {
            let stem: String = chars[start..p].iter().collect();
            let name = format!("{stem}{affix}");
            for named in stem_windows(&chars[start..p], &words, &spelled) {
                for (frame, at) in frames(&words, &named) {
                    let word = words[at].text;
                    if !is_affix_word(word) {
                        continue;
                    }
                    found.push(Sighting {
                        name: name.clone(),
                        stem: stem.clone(),
                        rendering: AffixRendering {
                            affix,
                            frame,
                            word: word.to_lowercase(),
                        },
                        capitalized: word.chars().next().is_some_and(char::is_uppercase),
                        surface: surface_of(&words, &named, at, affix),
                        bead: index,
                        at: p,
                    });
                }
            }
        }
    }
    found
}

/// The affixes `tail` starts with, unless the affix begins a longer dictionary word
/// there: 家政 of 丰桂家政 is a word, 家世 of 杨家世代 is not, as 世代 reaches further.
fn affixes_starting(tail: &[char], lexicon: &Lexicon) -> Vec<&'static str> {
    let is_word = |chars: &[char]| lexicon.lookup(&chars.iter().collect::<String>()).is_some();
    let is_affix = |chars: &[char]| {
        let text: String = chars.iter().collect();
        TITLES
            .iter()
            .chain(HOUSES)
            .chain(PLACES)
            .any(|a| *a == text)
    };
    let mut found = Vec::new();
    for &affix in TITLES.iter().chain(HOUSES).chain(PLACES) {
        let length = affix.chars().count();
        if length > tail.len() || !affix.chars().zip(tail).all(|(a, &c)| a == c) {
            continue;
        }
        let in_longer_word = (length + 1..=(length + MOST_WORD_TAIL).min(tail.len())).any(|end| {
            let overlapped = (end + 1..=(end + MOST_WORD_TAIL).min(tail.len()))
                .any(|further| is_word(&tail[length..further]));
            is_word(&tail[..end]) && !overlapped && !is_affix(&tail[..end])
        });
        if !in_longer_word {
            found.push(affix);
        }
    }
    found
}

/// Whether a word is an ordinal number word (Fourth, thirteenth).
fn is_ordinal(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["st", "nd", "rd", "th"].iter().any(|e| lower.ends_with(e))
        && parse_english_number_word(&lower).is_some()
}

fn is_numeral(c: char) -> bool {
    "〇零一二两三四五六七八九十百".contains(c)
}

/// A word that may render an affix: a content word of letters, no number.
fn is_affix_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().count() >= 3
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !is_stopword(&lower)
        && parse_english_number_word(&lower).is_none()
}

/// Up to [`MOST_STEM_CHARACTERS`] capitalized words in a row, a possessive 's cut off
/// the last, with the pinyin letters they may spell.
struct SpelledWindow {
    words: std::ops::Range<usize>,
    letters: Vec<String>,
}

fn spelled_windows(words: &[Word<'_>], wade_giles: bool) -> Vec<SpelledWindow> {
    let mut windows = Vec::new();
    for start in 0..words.len() {
        for end in start + 1..=words.len().min(start + MOST_STEM_CHARACTERS) {
            let window = &words[start..end];
            let capitalized = window
                .iter()
                .all(|w| w.text.chars().next().is_some_and(char::is_uppercase));
            if !capitalized || window[1..].iter().any(|w| !w.joined) {
                break;
            }
            let mut texts: Vec<&str> = window.iter().map(|w| w.text).collect();
            let last = texts.len() - 1;
            texts[last] = without_possessive(texts[last]).0;
            let letters: Vec<String> = spellings(&texts, wade_giles)
                .into_iter()
                .filter(|(letters, _)| letters.len() >= 2)
                .map(|(letters, _)| letters)
                .collect();
            if !letters.is_empty() {
                windows.push(SpelledWindow {
                    words: start..end,
                    letters,
                });
            }
        }
    }
    windows
}

/// The windows of `words` that name a stem: capitalized words spelling it (a name),
/// or an ordinal number word of its value (a numeral).
fn stem_windows(
    stem: &[char],
    words: &[Word<'_>],
    spelled: &[SpelledWindow],
) -> Vec<std::ops::Range<usize>> {
    let text: String = stem.iter().collect();
    if let Some(value) = parse_chinese_number(&text).filter(|v| *v >= 1.0) {
        return (0..words.len())
            .filter(|&k| {
                is_ordinal(words[k].text)
                    && parse_english_number_word(&words[k].text.to_lowercase()) == Some(value)
            })
            .map(|k| k..k + 1)
            .collect();
    }
    let readings: Vec<Vec<&'static str>> = stem.iter().map(|&c| name_readings(c)).collect();
    spelled
        .iter()
        .filter(|window| {
            window.words.len() <= stem.len()
                && window
                    .letters
                    .iter()
                    .any(|letters| reads_exactly(&readings, letters))
        })
        .map(|window| window.words.clone())
        .collect()
}

/// The English of a stem and its affix's word, "the" included when it leads them and
/// the affix is no place's.
fn surface_of(
    words: &[Word<'_>],
    named: &std::ops::Range<usize>,
    at: usize,
    affix: &str,
) -> String {
    let first = named.start.min(at);
    let last = named.end.max(at + 1);
    let article = first.checked_sub(1).filter(|&k| {
        !PLACES.contains(&affix) && words[first].joined && words[k].text.eq_ignore_ascii_case("the")
    });
    let mut surface: Vec<&str> = Vec::new();
    if article.is_some() {
        surface.push("the");
    }
    surface.extend(words[first..last].iter().map(|w| w.text));
    surface.join(" ")
}

/// The frames a named stem stands in, each with the position of the affix's word.
fn frames(words: &[Word<'_>], named: &std::ops::Range<usize>) -> Vec<(Frame, usize)> {
    let mut frames = Vec::new();
    let (_, possessive) = without_possessive(words[named.end - 1].text);
    if words.get(named.end).is_some_and(|w| w.joined) {
        frames.push((
            if possessive {
                Frame::Possessive
            } else {
                Frame::After
            },
            named.end,
        ));
    }
    if possessive || named.start == 0 || !words[named.start].joined {
        return frames;
    }
    let before = named.start - 1;
    if words[before].text.eq_ignore_ascii_case("of") {
        if before >= 1 && words[before].joined {
            frames.push((Frame::Of, before - 1));
        }
    } else {
        frames.push((Frame::Before, before));
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    fn affixed(pairs: &[(&str, &str)]) -> Vec<(String, String, usize)> {
        let beads: Vec<MiningBead> = pairs
            .iter()
            .map(|(zh, en)| crate::given_bead(zh, en))
            .collect();
        affixed_names(&beads, false, &EnTokenizer::new())
            .into_iter()
            .map(|n| (n.zh, n.en, n.beads.len()))
            .collect()
    }

    fn has(found: &[(String, String, usize)], zh: &str, en: &str) -> bool {
        found.iter().any(|(z, e, _)| z == zh && e == en)
    }

    #[test]
    fn an_affix_the_dictionary_glosses_is_rendered_beside_its_stem() {
        let found = affixed(&[
            (
                "这日正往荣府中来。",
                "That day she set out for the Rong mansion.",
            ),
            (
                "到了荣府大门前。",
                "She reached the gates of the Rong mansion.",
            ),
            ("华妃冷笑一声。", "Concubine Hua gave a cold laugh."),
            ("四王子没有说话。", "The Fourth Prince said nothing."),
        ]);
        assert!(has(&found, "荣府", "the Rong mansion"), "{found:?}");
        assert!(has(&found, "华妃", "Concubine Hua"), "{found:?}");
        assert!(has(&found, "四王子", "the Fourth Prince"), "{found:?}");
        assert_eq!(found.iter().find(|n| n.0 == "荣府").map(|n| n.2), Some(2));
    }

    #[test]
    fn a_rendering_the_dictionary_does_not_give_is_learned_from_several_stems() {
        let found = affixed(&[
            ("慕容家的人都来了。", "The whole Murong Clan had come."),
            (
                "杨家世代习武。",
                "For generations the Yang Clan had trained in arms.",
            ),
            ("魏王起身相迎。", "The Prince of Wei rose to greet him."),
            ("赵王不肯。", "The Prince of Zhao would not agree."),
            ("张家来信了。", "Zhang wrote that day."),
        ]);
        assert!(has(&found, "杨家", "the Yang Clan"), "{found:?}");
        assert!(has(&found, "魏王", "the Prince of Wei"), "{found:?}");
        assert!(has(&found, "赵王", "the Prince of Zhao"), "{found:?}");
        // A verb beside one stem renders nothing.
        assert!(!found.iter().any(|n| n.0 == "张家"), "{found:?}");
    }

    #[test]
    fn one_stem_seen_often_in_a_fixed_frame_shows_its_affix() {
        let found = affixed(&[
            ("周瑞家的笑道。", "Zhou Rui's wife laughed."),
            ("周瑞家的听了。", "Zhou Rui's wife heard this."),
            ("只见周瑞家的进来。", "In came Zhou Rui's wife."),
        ]);
        assert_eq!(
            found,
            [("周瑞家的".to_string(), "Zhou Rui's wife".to_string(), 3)]
        );
        let once = affixed(&[("周瑞家的笑道。", "Zhou Rui's wife laughed.")]);
        assert!(once.is_empty(), "{once:?}");
    }

    #[test]
    fn a_longer_word_is_no_affix_and_a_place_takes_no_article() {
        let found = affixed(&[
            (
                "丰桂家政帮你做到。",
                "Feng Gui Housekeeping does it for you.",
            ),
            (
                "丰桂家政服务爱家。",
                "Feng Gui Housekeeping serves your home.",
            ),
            (
                "他在马栏山视频文创园宣讲。",
                "He spoke in the Malan Mountain creative park.",
            ),
        ]);
        assert!(!found.iter().any(|n| n.0 == "丰桂家"), "{found:?}");
        assert!(has(&found, "马栏山", "Malan Mountain"), "{found:?}");
    }
}
