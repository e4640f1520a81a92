//! Which mined pairs a terminologist would not keep for their boundaries: pieces of a
//! longer term, runs whose English leaves part of their Chinese unrendered, and verb
//! phrases over a term. Judged over the whole list, as each rule compares a pair with
//! the pairs it lies inside or holds.

use rustc_hash::FxHashMap as HashMap;
use tongwen_align::translation_targets;
use tongwen_text::{EnTokenizer, Token, TokenKind, ZhTokenizer};

use crate::TermPair;

/// Where a pair's Chinese term occurs: the beads (sorted) and how many times.
pub(crate) struct Occurrences<'a> {
    pub(crate) beads: &'a [usize],
    pub(crate) frequency: usize,
}

/// How many beads a verb phrase over a term must be seen in, always rendered the same
/// way, to count as a fixed unit of the corpus.
const FIXED_PHRASE_BEADS: usize = 3;

/// The pairs worth listing: without those that
/// - leave part of their Chinese unrendered: a longer run whose English says no more
///   than that of a term inside it (中国特色社会主义 → "Chinese characteristics" beside
///   中国特色 → "Chinese characteristics");
/// - are a verb with a term for object (发展新质生产力 → "develop new quality productive
///   forces"), unless the corpus uses the phrase as a fixed unit: seen in
///   [`FIXED_PHRASE_BEADS`] beads or more, with one rendering;
/// - are a piece of one longer listed term, every occurrence inside it (国家级经济 in
///   国家级经济技术开发区), unless a name or a dictionary word.
pub(crate) fn clean_boundaries<'o>(
    pairs: Vec<TermPair>,
    occurrences: impl Fn(&str) -> Option<Occurrences<'o>>,
    zh: &ZhTokenizer,
    en: &EnTokenizer,
) -> Vec<TermPair> {
    let lexicon = tongwen_lexicon::Lexicon::get();
    let stems: Vec<Vec<String>> = pairs.iter().map(|p| english_stems(en, &p.en)).collect();
    let index: HashMap<&str, usize> = pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (p.zh.as_str(), k))
        .collect();
    // Pairs inside each pair's Chinese: every substring that is itself listed.
    let parts_of = |k: usize| -> Vec<usize> {
        let text = &pairs[k].zh;
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut parts = Vec::new();
        for &start in &starts {
            for end in text[start..]
                .char_indices()
                .skip(1)
                .map(|(i, _)| start + i)
                .chain(std::iter::once(text.len()))
            {
                if (start, end) == (0, text.len()) {
                    continue;
                }
                if let Some(&part) = index.get(&text[start..end]) {
                    parts.push(part);
                }
            }
        }
        parts
    };
    let parts: Vec<Vec<usize>> = (0..pairs.len()).map(parts_of).collect();
    // For each run that is no term, the term inside it that says so.
    let term_of_unclean: Vec<Option<usize>> = (0..pairs.len())
        .map(|k| {
            parts[k].iter().copied().find(|&part| {
                // Of two runs rendered alike, the one the English agrees with less.
                (pairs[k].signals.lexical_fit() < pairs[part].signals.lexical_fit()
                    && leaves_unrendered(&pairs[k].zh, &stems[k], &pairs[part].zh, &stems[part]))
                    || is_verb_phrase_over(&pairs[k], &stems[k], &pairs[part], &stems[part], zh)
            })
        })
        .collect();
    let unclean: Vec<bool> = term_of_unclean.iter().map(Option::is_some).collect();
    // A piece of a kept term, or one crossing the edge of a kept term inside a run that
    // is not kept (发展新质 in 发展新质生产力, across 新质生产力), with every occurrence
    // inside that longer run.
    let mut inside_one_term = vec![false; pairs.len()];
    for (whole, parts) in parts.iter().enumerate() {
        let outer = occurrences(&pairs[whole].zh);
        let kept_parts: Vec<std::ops::Range<usize>> = term_of_unclean[whole]
            .map(|term| spans(&pairs[whole].zh, &pairs[term].zh).collect())
            .unwrap_or_default();
        for &part in parts {
            let always_inside = match (occurrences(&pairs[part].zh), &outer) {
                (Some(inner), Some(outer)) => {
                    inner.frequency <= outer.frequency && is_subset(inner.beads, outer.beads)
                }
                // A name only the English spelled: where its spelling was seen.
                _ => {
                    let (mut inner, mut outer) =
                        (pairs[part].evidence.clone(), pairs[whole].evidence.clone());
                    inner.sort_unstable();
                    outer.sort_unstable();
                    is_subset(&inner, &outer)
                }
            };
            let crosses_a_term = || {
                spans(&pairs[whole].zh, &pairs[part].zh).any(|span| {
                    kept_parts.iter().any(|kept| {
                        span.start < kept.end
                            && kept.start < span.end
                            && !(kept.start <= span.start && span.end <= kept.end)
                            && !(span.start <= kept.start && kept.end <= span.end)
                    })
                })
            };
            // A name or a word the dictionary knows is a unit wherever it stands
            // (南宁 of the dateline 新华社南宁, 冬奥会 of 北京冬奥会).
            // Except a given name or surname that never stands without the rest of the
            // name (近平 of 习近平 → "Xi Jinping"); a place inside an organisation's
            // name (阿联酋 of 阿联酋外交部) is still a unit.
            let is_personal_name =
                |k: usize| pairs[k].name && pairs[k].zh.chars().count() <= PERSONAL_NAME_CHARACTERS;
            // Nor is a piece the English renders exactly as the whole (京报 of 新京报,
            // both "Beijing News"): it is the same name, cut.
            let is_unit = (pairs[part].name || lexicon.lookup(&pairs[part].zh).is_some())
                && !(is_personal_name(whole) && spells_part(&pairs[whole].en, &pairs[part].en))
                && stems[part] != stems[whole];
            if always_inside && !is_unit && (!unclean[whole] || crosses_a_term()) {
                inside_one_term[part] = true;
            }
        }
    }
    pairs
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !unclean[*k] && !inside_one_term[*k])
        .map(|(_, p)| p)
        .collect()
}

/// Most characters of a Chinese personal name (欧阳明远).
const PERSONAL_NAME_CHARACTERS: usize = 4;

/// Where `part` occurs in `whole`, as byte ranges.
fn spans<'a>(whole: &'a str, part: &'a str) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    whole
        .match_indices(part)
        .map(move |(at, _)| at..at + part.len())
}

/// Lowercase stems of a rendering, hyphenated parts apart.
fn english_stems(en: &EnTokenizer, text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| en.stem(&w.to_lowercase()))
        .collect()
}

/// Whether a longer run adds Chinese its English leaves unrendered: a word or more
/// beside the part (a suffix such as 学 of 伦理学 is rendered inside the part's English
/// word), its English saying nothing the part's does not, and no dictionary link from
/// the added Chinese into that English (数字化转型 → "digital transformation" renders
/// 转型 even where 数字化 was paired with the same words).
fn leaves_unrendered(
    whole: &str,
    whole_stems: &[String],
    part: &str,
    part_stems: &[String],
) -> bool {
    let added: String = whole.replacen(part, "", 1);
    if added.chars().count() < 2 || !renders_nothing_more(whole_stems, part_stems) {
        return false;
    }
    let targets = translation_targets(
        &Token {
            kind: TokenKind::Word,
            text: added,
        },
        false,
    );
    !targets.iter().any(|t| whole_stems.contains(&t.text))
}

/// Whether a longer term's rendering holds nothing its part's rendering lacks.
fn renders_nothing_more(whole: &[String], part: &[String]) -> bool {
    let mut left: Vec<&String> = part.iter().collect();
    whole
        .iter()
        .all(|stem| match left.iter().position(|p| *p == stem) {
            Some(found) => {
                left.swap_remove(found);
                true
            }
            None => false,
        })
}

/// Whether `whole` is a verb and the term `part`, rendered as one English word (the
/// verb) before the part's rendering, and not a fixed unit of the corpus: 发展新质生产力
/// → "develop new quality productive forces", 高水平对外开放促进 → "promote
/// high-standard opening up". A word after the rendering keeps the run a term (乡村振兴
/// → "rural revitalization").
fn is_verb_phrase_over(
    whole: &TermPair,
    whole_stems: &[String],
    part: &TermPair,
    part_stems: &[String],
    zh: &ZhTokenizer,
) -> bool {
    let rendered_as_verb_and_part =
        whole_stems.len() == part_stems.len() + 1 && whole_stems[1..] == *part_stems;
    let fixed = whole.frequency >= FIXED_PHRASE_BEADS && whole.variants.is_empty();
    if !rendered_as_verb_and_part || fixed {
        return false;
    }
    let words = zh.tagged(&whole.zh);
    let is_verb = |word: Option<&(&str, &str)>, text: &str| {
        word.is_some_and(|(w, tag)| *w == text && matches!(*tag, "v" | "vn"))
    };
    match (
        whole.zh.strip_suffix(part.zh.as_str()),
        whole.zh.strip_prefix(part.zh.as_str()),
    ) {
        (Some(head), _) if is_verb(words.first(), head) => true,
        (_, Some(tail)) => is_verb(words.last(), tail),
        _ => false,
    }
}

/// Whether every element of the sorted `inner` is in the sorted `outer`.
fn is_subset<T: PartialEq>(inner: &[T], outer: &[T]) -> bool {
    let mut rest = outer.iter();
    inner.iter().all(|b| rest.any(|o| o == b))
}

/// Whether the name `whole` is written with `part` as some of its words
/// ("Xi Jinping" and "Jinping", "Hou Shunli" and "Shunli").
pub(crate) fn spells_part(whole: &str, part: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (whole, part) = (words(whole), words(part));
    !part.is_empty()
        && whole.len() > part.len()
        && whole.windows(part.len()).any(|w| w == part.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(zh: &str, en: &str, frequency: usize) -> TermPair {
        TermPair {
            zh: zh.into(),
            en: en.into(),
            score: 0.5,
            signals: crate::PairSignals {
                agreement: 1.0,
                consistency: 1.0,
                support: frequency as f32,
                share: 1.0,
                flagged_share: 0.0,
                from_gap: false,
                spelled: false,
                dictionary_word: false,
            },
            frequency,
            termhood: 1.0,
            name: false,
            first_seen: None,
            last_seen: None,
            evidence: Vec::new(),
            variants: Vec::new(),
            abbreviations: Vec::new(),
        }
    }

    fn kept(pairs: Vec<TermPair>, beads: &[(&str, Vec<usize>, usize)]) -> Vec<String> {
        let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
        let occurrences = |text: &str| {
            beads
                .iter()
                .find(|(t, _, _)| *t == text)
                .map(|(_, b, f)| Occurrences {
                    beads: b,
                    frequency: *f,
                })
        };
        clean_boundaries(pairs, occurrences, &zh, &en)
            .into_iter()
            .map(|p| p.zh)
            .collect()
    }

    #[test]
    fn a_given_name_never_standing_alone_is_not_listed_but_a_place_in_a_name_is() {
        let name = |zh: &str, en: &str, frequency: usize| TermPair {
            name: true,
            ..pair(zh, en, frequency)
        };
        let pairs = vec![
            name("习近平", "Xi Jinping", 3),
            name("近平", "Jinping", 3),
            name(
                "阿联酋外交部",
                "Ministry of Foreign Affairs of the United Arab Emirates",
                2,
            ),
            name("阿联酋", "United Arab Emirates", 2),
        ];
        let beads = [
            ("习近平", vec![1, 2, 3], 3),
            ("近平", vec![1, 2, 3], 3),
            ("阿联酋外交部", vec![4, 5], 2),
            ("阿联酋", vec![4, 5], 2),
        ];
        assert_eq!(kept(pairs, &beads), ["习近平", "阿联酋外交部", "阿联酋"]);
    }

    #[test]
    fn a_piece_always_inside_one_longer_term_is_not_listed() {
        let pairs = vec![
            pair(
                "国家级经济技术开发区",
                "state-level economic and technological development zones",
                3,
            ),
            pair("国家级经济", "state-level economic", 3),
            pair("国家级", "state-level", 5),
        ];
        let beads = [
            ("国家级经济技术开发区", vec![1, 2, 3], 3),
            ("国家级经济", vec![1, 2, 3], 3),
            // Seen outside the longer term too: a term of its own.
            ("国家级", vec![1, 2, 3, 7, 9], 5),
        ];
        assert_eq!(kept(pairs, &beads), ["国家级经济技术开发区", "国家级"]);
    }

    #[test]
    fn a_run_whose_english_renders_no_more_than_its_part_is_dropped() {
        // Agreement as mined from wmt22-general: the English agrees less with the run.
        let mut whole = pair("中国特色社会主义", "Chinese characteristics", 4);
        whole.signals.agreement = 0.769;
        let pairs = vec![whole, pair("中国特色", "Chinese characteristics", 6)];
        let beads = [
            ("中国特色社会主义", vec![1, 2, 3, 4], 4),
            ("中国特色", vec![1, 2, 3, 4, 5, 6], 6),
        ];
        assert_eq!(kept(pairs, &beads), ["中国特色"]);

        // 转型 is rendered by "transformation", which 数字化 was paired with too.
        let mut part = pair("数字化", "digital transformation", 22);
        part.signals.agreement = 1.0;
        let mut whole = pair("数字化转型", "digital transformation", 20);
        whole.signals.agreement = 0.955;
        let beads = [
            ("数字化转型", (1..=20).collect(), 20),
            ("数字化", (1..=22).collect(), 22),
        ];
        assert_eq!(kept(vec![whole, part], &beads), ["数字化转型", "数字化"]);
    }

    #[test]
    fn a_verb_over_a_term_is_no_term_unless_the_corpus_fixes_it() {
        let pairs = vec![
            pair("发展新质生产力", "develop new quality productive forces", 1),
            pair("新质生产力", "new quality productive forces", 1),
        ];
        let beads = [("发展新质生产力", vec![1], 1), ("新质生产力", vec![1], 1)];
        // The phrase dropped, the term is no longer inside a kept longer one.
        assert_eq!(kept(pairs, &beads), ["新质生产力"]);

        let fixed = vec![
            pair("发展新质生产力", "develop new quality productive forces", 4),
            pair("新质生产力", "new quality productive forces", 6),
        ];
        let beads = [
            ("发展新质生产力", vec![1, 2, 3, 4], 4),
            ("新质生产力", vec![1, 2, 3, 4, 5, 6], 6),
        ];
        assert_eq!(kept(fixed, &beads), ["发展新质生产力", "新质生产力"]);
    }

    #[test]
    fn a_piece_across_the_edge_of_a_term_inside_a_dropped_phrase_goes_with_it() {
        let pairs = vec![
            pair("发展新质生产力", "develop new quality productive forces", 1),
            pair("发展新质", "develop new quality", 1),
            pair("新质生产力", "new quality productive forces", 1),
            pair("高水平对外开放促进", "promote high-standard opening up", 1),
            pair("高水平对外开放", "high-standard opening up", 2),
        ];
        let beads = [
            ("发展新质生产力", vec![1], 1),
            ("发展新质", vec![1], 1),
            ("新质生产力", vec![1], 1),
            ("高水平对外开放促进", vec![2], 1),
            ("高水平对外开放", vec![2, 3], 2),
        ];
        assert_eq!(kept(pairs, &beads), ["新质生产力", "高水平对外开放"]);
    }

    #[test]
    fn subsets_of_sorted_beads() {
        assert!(is_subset(&[2, 5], &[1, 2, 3, 5]));
        assert!(!is_subset(&[2, 6], &[1, 2, 3, 5]));
        assert!(is_subset(&[], &[1]));
    }
}
