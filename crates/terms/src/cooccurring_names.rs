//! Names translated rather than spelled (袭人 → Aroma, 韦小宝 → Trinket, 基列 →
//! Gilead): a run of capitalized English words inside sentences, which no mined pair
//! explains and which is no pinyin, is paired with the span of two to five Han
//! characters that comes and goes with it bead by bead (the Dice coefficient of the
//! beads holding each), whether or not jieba made a word of that span.

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tongwen_lexicon::{is_pinyin, is_stopword, Lexicon};
use tongwen_text::{is_han, parse_chinese_number, EnTokenizer};

use crate::{MiningBead, CHUNK};

/// A translated name and the beads holding both sides.
pub(crate) struct CooccurringName {
    pub(crate) zh: String,
    pub(crate) en: String,
    pub(crate) beads: Vec<usize>,
    /// Dice coefficient of the beads holding the Chinese and those holding the English.
    pub(crate) dice: f32,
    /// Share of the beads holding the Chinese that hold the English too.
    pub(crate) share: f32,
}

/// Least beads holding both sides.
const LEAST_BEADS: usize = 3;
/// Least distinct Chinese sentences holding both sides: a corpus with two translations
/// of one source holds each sentence twice, and a span and a run both seen in one or
/// two sentences only are tied by chance, whatever their Dice.
const LEAST_SENTENCES: usize = 3;
/// Least beads showing a run inside a sentence, where only a name is capitalized.
const LEAST_BEADS_INSIDE_SENTENCES: usize = 2;
/// Least Dice coefficient of a pair: a name and its translation come and go together.
const LEAST_DICE: f32 = 0.7;
/// Shortest and longest Chinese spans tried.
const SPAN_CHARACTERS: std::ops::RangeInclusive<usize> = 2..=5;
/// Most beads of a run read for the spans common to them.
const MOST_SAMPLED_BEADS: usize = 64;
/// Most words of an English run.
const MOST_RUN_WORDS: usize = 3;
/// Runs seen in more beads than this are the corpus's everyday vocabulary (God,
/// Lord), which the lexicon pairs, not names waiting to be found.
const MOST_RUN_BEADS: usize = 2000;

/// Translated names: for each unexplained English run seen in [`LEAST_BEADS`] beads or
/// more, the Chinese span most tied to it, if tied at [`LEAST_DICE`] or more.
/// `explained` holds the lowercase words of every mined rendering; `paired` the
/// Chinese of every mined pair, which is not paired again.
pub(crate) fn cooccurring_names(
    beads: &[MiningBead],
    explained: &HashSet<String>,
    paired: &HashSet<&str>,
    en: &EnTokenizer,
) -> Vec<CooccurringName> {
    let runs = unexplained_runs(beads, explained);
    // Spans of the Chinese of each run's beads seen in enough of them.
    let candidates: Vec<RunSpans> = runs
        .into_par_iter()
        .map(|(run, run_beads)| {
            let least = LEAST_BEADS.max(run_beads.len().div_ceil(2));
            let spans = common_spans(beads, &run_beads)
                .into_iter()
                .filter(|span| !paired.contains(span.as_str()))
                .map(|span| {
                    let both: Vec<usize> = run_beads
                        .iter()
                        .copied()
                        .filter(|&b| beads[b].zh.contains(span.as_str()))
                        .collect();
                    (span, both)
                })
                .filter(|(_, both)| {
                    both.len() >= least && distinct_sentences(beads, both) >= LEAST_SENTENCES
                })
                .collect();
            RunSpans {
                run,
                run_beads: run_beads.len(),
                spans,
            }
        })
        .filter(|candidate| !candidate.spans.is_empty())
        .collect();
    let mut patterns: Vec<&str> = candidates
        .iter()
        .flat_map(|c| c.spans.iter().map(|(s, _)| s.as_str()))
        .collect();
    patterns.sort_unstable();
    patterns.dedup();
    let Some(span_beads) = beads_holding(beads, &patterns) else {
        return Vec::new();
    };
    let mut best_per_span: HashMap<&str, CooccurringName> = HashMap::default();
    for RunSpans {
        run,
        run_beads,
        spans,
    } in &candidates
    {
        let scored: Vec<ScoredSpan> = spans
            .iter()
            .map(|(span, both)| {
                let holding = patterns
                    .binary_search(&span.as_str())
                    .map_or(both.len(), |k| span_beads[k]);
                ScoredSpan {
                    span,
                    both,
                    holding,
                    dice: 2.0 * both.len() as f32 / (holding + *run_beads) as f32,
                }
            })
            .collect();
        let Some(name) = tied_name(&scored) else {
            continue;
        };
        let (span, both, dice) = (name.span, name.both, name.dice);
        let share = both.len() as f32 / name.holding.max(1) as f32;
        if dice < LEAST_DICE || glossed(span, run, en) {
            continue;
        }
        // A span two runs want goes to the one tied to it more.
        let better = best_per_span
            .get(span.as_str())
            .is_none_or(|other| dice > other.dice);
        if better {
            best_per_span.insert(
                span,
                CooccurringName {
                    zh: span.clone(),
                    en: run.clone(),
                    beads: both.clone(),
                    dice,
                    share,
                },
            );
        }
    }
    let mut names: Vec<CooccurringName> = best_per_span.into_values().collect();
    names.sort_by(|a, b| a.zh.cmp(&b.zh));
    names
}

/// An English run, how many beads hold it, and the Chinese spans seen in enough of
/// them, each with the beads holding both.
struct RunSpans {
    run: String,
    run_beads: usize,
    spans: Vec<(String, Vec<usize>)>,
}

/// The English runs no rendering explains, each with the beads (sorted) holding it.
fn unexplained_runs(
    beads: &[MiningBead],
    explained: &HashSet<String>,
) -> Vec<(String, Vec<usize>)> {
    let per_chunk: Vec<HashMap<String, usize>> = beads
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut runs: HashMap<String, usize> = HashMap::default();
            for bead in chunk {
                let mut in_bead: Vec<String> = runs_inside_sentences(&bead.en)
                    .into_iter()
                    .map(|mut run| {
                        if let Some(last) = run.last_mut() {
                            *last = without_possessive(last);
                        }
                        run
                    })
                    .filter(|run| {
                        let lower: Vec<String> = run.iter().map(|w| w.to_lowercase()).collect();
                        // A one-word run shorter than three letters is a title (Mr, Dr).
                        let title = lower.len() == 1 && lower[0].len() < 3;
                        !title
                            && !lower.iter().all(|w| explained.contains(w))
                            && !lower.iter().all(|w| is_pinyin(w))
                            && !lower.iter().any(|w| is_stopword(w))
                    })
                    .map(|run| run.join(" "))
                    .collect();
                in_bead.sort_unstable();
                in_bead.dedup();
                for run in in_bead {
                    *runs.entry(run).or_default() += 1;
                }
            }
            runs
        })
        .collect();
    let mut runs: HashMap<String, usize> = HashMap::default();
    for chunk in per_chunk {
        for (run, inside) in chunk {
            *runs.entry(run).or_default() += inside;
        }
    }
    let mut discovered: Vec<String> = runs
        .into_iter()
        .filter(|(_, inside)| *inside >= LEAST_BEADS_INSIDE_SENTENCES)
        .map(|(run, _)| run)
        .collect();
    discovered.sort_unstable();
    // Once known for a name, a run counts wherever it stands, opening a sentence too.
    let Some(holding) = beads_holding_runs(beads, &discovered) else {
        return Vec::new();
    };
    discovered
        .into_iter()
        .zip(holding)
        .filter(|(_, found)| (LEAST_BEADS..=MOST_RUN_BEADS).contains(&found.len()))
        .collect()
}

/// The beads (sorted) whose English holds each of `runs` as whole words.
fn beads_holding_runs(beads: &[MiningBead], runs: &[String]) -> Option<Vec<Vec<usize>>> {
    let automaton = AhoCorasick::new(runs).ok()?;
    let per_chunk: Vec<Vec<(usize, usize)>> = beads
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut found: Vec<(usize, usize)> = Vec::new();
            for (offset, bead) in chunk.iter().enumerate() {
                let text = bead.en.as_str();
                for m in automaton.find_overlapping_iter(text) {
                    let whole_word = !text[..m.start()]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                        && !text[m.end()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric);
                    if whole_word {
                        found.push((m.pattern().as_usize(), c * CHUNK + offset));
                    }
                }
            }
            found
        })
        .collect();
    let mut holding: Vec<Vec<usize>> = vec![Vec::new(); runs.len()];
    for (run, bead) in per_chunk.into_iter().flatten() {
        holding[run].push(bead);
    }
    for found in &mut holding {
        found.sort_unstable();
        found.dedup();
    }
    Some(holding)
}

/// Runs of up to [`MOST_RUN_WORDS`] capitalized words of letters, parted by spaces
/// only, not opening a sentence, a quotation or a line (where any word is capitalized).
fn runs_inside_sentences(en: &str) -> Vec<Vec<&str>> {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut opens = true;
    let mut rest = en;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(rest.len());
        let gap = &rest[..start];
        let after = &rest[start..];
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .unwrap_or(after.len());
        let word = &after[..len];
        rest = &after[len..];
        if word.is_empty() {
            break;
        }
        let parted = !gap.chars().all(char::is_whitespace);
        if parted && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        if gap.contains([
            '.', '!', '?', ':', ';', '"', '\u{201c}', '\u{2018}', '(', '\n',
        ]) {
            opens = true;
        }
        let capitalized = word.chars().next().is_some_and(char::is_uppercase)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            && word.chars().skip(1).any(char::is_lowercase);
        if capitalized && !opens {
            current.push(word);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        // The opening word is capitalized by position, and so may the words after it
        // be ("Upper Library" opening a sentence): none of them is trusted, unless
        // the opening word is a function word ("Then Aroma said").
        opens = opens && capitalized && !is_stopword(&word.to_lowercase());
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs.into_iter()
        .filter(|run| run.len() <= MOST_RUN_WORDS)
        .collect()
}

/// The Chinese spans in at least half of the beads `run_beads` (judged on an even
/// sample of them, as a run may stand in thousands).
fn common_spans(beads: &[MiningBead], run_beads: &[usize]) -> Vec<String> {
    let step = run_beads.len().div_ceil(MOST_SAMPLED_BEADS).max(1);
    let sample: Vec<usize> = run_beads.iter().step_by(step).copied().collect();
    let mut counts: HashMap<&[char], usize> = HashMap::default();
    let texts: Vec<Vec<char>> = sample
        .iter()
        .map(|&b| beads[b].zh.chars().collect())
        .collect();
    for chars in &texts {
        let mut in_bead: HashSet<&[char]> = HashSet::default();
        for start in 0..chars.len() {
            for length in SPAN_CHARACTERS {
                let Some(span) = chars.get(start..start + length) else {
                    break;
                };
                if !span.iter().all(|&c| is_han(c)) {
                    break;
                }
                in_bead.insert(span);
            }
        }
        for span in in_bead {
            *counts.entry(span).or_default() += 1;
        }
    }
    let least = sample.len().div_ceil(2);
    counts
        .into_iter()
        .filter(|(_, count)| *count >= least)
        .map(|(span, _)| span.iter().collect())
        .collect()
}

/// A Chinese span common to a run's beads: the beads holding both, how many hold the
/// span, and the Dice coefficient of the two.
struct ScoredSpan<'c> {
    span: &'c String,
    both: &'c Vec<usize>,
    holding: usize,
    dice: f32,
}

/// The span most tied to a run, cut to the name: of spans tied alike the longest
/// (韦小宝 rather than 韦小), without the text around the name that comes with it
/// (儿子拿顺 → 拿顺). `None` when another span no part of it is tied as closely, the
/// coincidence of a few repeated sentences (a shop's listing), or when what is left
/// opens or closes with a function character.
fn tied_name<'s, 'c>(scored: &'s [ScoredSpan<'c>]) -> Option<&'s ScoredSpan<'c>> {
    let longest = scored.iter().max_by(|a, b| {
        a.dice
            .total_cmp(&b.dice)
            .then(a.span.chars().count().cmp(&b.span.chars().count()))
            .then(b.span.cmp(a.span))
    })?;
    let tied: HashMap<&str, usize> = scored
        .iter()
        .filter(|s| s.dice >= longest.dice)
        .map(|s| (s.span.as_str(), s.holding))
        .collect();
    if tied.keys().any(|other| !longest.span.contains(other)) {
        return None;
    }
    let holding: HashMap<&str, usize> = scored
        .iter()
        .map(|s| (s.span.as_str(), s.holding))
        .collect();
    let core = peeled(longest.span, &tied, &holding);
    if starts_or_ends_with_function_character(core) {
        return None;
    }
    scored.iter().find(|s| s.span.as_str() == core)
}

/// Characters that open or close no name: what is tied to a name only as often as the
/// name itself is the text around it (赫人和, 比利亚的). Not 以, which opens many
/// transliterations (以弗仑 Ephron, 以撒 Isaac).
const FUNCTION_CHARACTERS: &str = "的了是在和与及把被将从对向于也就都又而并着过";

fn starts_or_ends_with_function_character(span: &str) -> bool {
    let edges = [span.chars().next(), span.chars().next_back()];
    edges
        .into_iter()
        .flatten()
        .any(|c| FUNCTION_CHARACTERS.contains(c))
}

/// `span` with what surrounds the name cut off its edges, a function character or a
/// dictionary word seen in twice the beads or more (儿子拿顺 → 拿顺, 西拨的儿子 → 西拨;
/// not 西奇 of 克韦西奇, seen only there), as long as what is left is `tied` to the run
/// as closely and two characters or more. `holding`: beads holding each span.
fn peeled<'s>(
    span: &'s str,
    tied: &HashMap<&str, usize>,
    holding: &HashMap<&str, usize>,
) -> &'s str {
    let lexicon = Lexicon::get();
    let surrounds = |piece: &str, name: &str| {
        let mut chars = piece.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => FUNCTION_CHARACTERS.contains(c),
            _ => {
                // A number is part of a title (四十二章经), not text around it.
                let common = holding.get(piece).copied().unwrap_or(0) >= 2 * tied[name];
                common
                    && parse_chinese_number(piece).is_none()
                    && lexicon.lookup(piece).is_some_and(|entry| !entry.proper)
            }
        }
    };
    let mut core = span;
    'peeling: loop {
        let bounds: Vec<usize> = core.char_indices().map(|(i, _)| i).skip(1).collect();
        for &cut in &bounds {
            let (head, rest) = core.split_at(cut);
            if rest.chars().count() >= 2 && tied.contains_key(rest) && surrounds(head, rest) {
                core = rest;
                continue 'peeling;
            }
        }
        for &cut in bounds.iter().rev() {
            let (rest, tail) = core.split_at(cut);
            if rest.chars().count() >= 2 && tied.contains_key(rest) && surrounds(tail, rest) {
                core = rest;
                continue 'peeling;
            }
        }
        return core;
    }
}

/// Whether the dictionary translates `span` by every word of `run` (周六 → Saturday,
/// 先生 → Mr): everyday vocabulary the lexicon pairs, where the miner left it out on
/// purpose, not a name translated.
fn glossed(span: &str, run: &str, en: &EnTokenizer) -> bool {
    Lexicon::get().lookup(span).is_some_and(|entry| {
        run.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| {
                let stem = en.stem(&w.to_lowercase());
                entry.stems().any(|s| s == stem)
            })
    })
}

/// How many distinct Chinese texts the beads hold, counted up to [`LEAST_SENTENCES`].
fn distinct_sentences(beads: &[MiningBead], indices: &[usize]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for &b in indices {
        if !seen.contains(&beads[b].zh.as_str()) {
            seen.push(&beads[b].zh);
            if seen.len() >= LEAST_SENTENCES {
                break;
            }
        }
    }
    seen.len()
}

/// A run without the possessive ending of its last word (Aroma's, Whiskers').
fn without_possessive(run: &str) -> &str {
    run.strip_suffix("'s")
        .or_else(|| run.strip_suffix('\''))
        .unwrap_or(run)
}

/// How many beads hold each of `patterns` (sorted), by one pass over the Chinese;
/// `None` when the patterns are too many for one automaton.
fn beads_holding(beads: &[MiningBead], patterns: &[&str]) -> Option<Vec<usize>> {
    let automaton = AhoCorasick::new(patterns).ok()?;
    let counts = beads
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut counts = vec![0usize; patterns.len()];
            let mut seen: Vec<usize> = Vec::new();
            for bead in chunk {
                seen.clear();
                for found in automaton.find_overlapping_iter(&bead.zh) {
                    seen.push(found.pattern().as_usize());
                }
                seen.sort_unstable();
                seen.dedup();
                for &k in &seen {
                    counts[k] += 1;
                }
            }
            counts
        })
        .reduce(
            || vec![0; patterns.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        );
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<(String, String, usize)> {
        let beads: Vec<MiningBead> = pairs
            .iter()
            .map(|(zh, en)| crate::given_bead(zh, en))
            .collect();
        cooccurring_names(
            &beads,
            &HashSet::default(),
            &HashSet::default(),
            &EnTokenizer::new(),
        )
        .into_iter()
        .map(|n| (n.zh, n.en, n.beads.len()))
        .collect()
    }

    #[test]
    fn a_translated_name_is_paired_with_the_chinese_it_comes_and_goes_with() {
        let names = found(&[
            ("袭人端了茶来。", "Then Aroma brought the tea."),
            ("宝玉叫袭人进来。", "Bao-yu called Aroma in."),
            (
                "袭人笑着说不必。",
                "Aroma laughed and said there was no need.",
            ),
            ("他把扇子交给袭人。", "He handed the fan to Aroma's maid."),
            (
                "晚上只有袭人陪着他。",
                "In the evening only Aroma stayed with him.",
            ),
            ("宝玉睡了。", "Bao-yu fell asleep."),
            ("天亮了。", "Dawn came."),
        ]);
        // Counted where it opens a sentence too, once known for a name; "Bao-yu" is
        // pinyin, left to the spelled names.
        assert_eq!(names, [("袭人".to_string(), "Aroma".to_string(), 5)]);
    }

    #[test]
    fn repeated_listings_everyday_words_and_one_sentence_twice_give_no_name() {
        // Every span of a shop's listing is tied to its English alike.
        let listing = found(&[
            ("新品德芙一块巧克力礼盒", "New: the Sweet Hearts gift box"),
            (
                "新品德芙一块巧克力礼盒装",
                "New: the Sweet Hearts gift box, boxed",
            ),
            (
                "新品德芙一块巧克力礼盒特价",
                "New: the Sweet Hearts gift box on sale",
            ),
        ]);
        assert!(listing.is_empty(), "{listing:?}");
        let everyday = found(&[
            ("我们周六见面。", "We meet on Saturday."),
            ("周六下雨了。", "It rained on Saturday."),
            ("他周六不上班。", "He does not work on Saturday."),
        ]);
        assert!(everyday.is_empty(), "{everyday:?}");
        // Two references of one source hold two sentences, not four.
        let twice = found(&[
            ("乌鸦岭下有座庙。", "Below Crow Ridge stood a temple."),
            ("乌鸦岭下有座庙。", "There was a temple under Crow Ridge."),
            ("他们翻过乌鸦岭。", "They crossed Crow Ridge."),
            ("他们翻过乌鸦岭。", "They went over Crow Ridge."),
        ]);
        assert!(twice.is_empty(), "{twice:?}");
    }

    #[test]
    fn the_text_around_a_name_is_cut_off_but_a_transliteration_is_kept_whole() {
        let mut pairs = vec![
            (
                "亚米拿达的儿子拿顺作首领。",
                "Nahshon the son of Amminadab was captain.",
            ),
            (
                "第一日献供物的是儿子拿顺。",
                "On the first day the offering was brought by Nahshon.",
            ),
            (
                "儿子拿顺献上银盘。",
                "His offering was a silver dish, said Nahshon's clerk.",
            ),
            ("克韦西奇表示满意。", "The coach, Kvesic, was satisfied."),
            (
                "克韦西奇说球队很努力。",
                "And Kvesic said the team worked hard.",
            ),
            ("记者采访了克韦西奇。", "Reporters spoke to Kvesic."),
        ];
        // 儿子 stands in many more beads than the name.
        pairs.extend([("他有一个儿子。", "He had a son."); 6]);
        let names = found(&pairs);
        let names: Vec<(&str, &str)> = names.iter().map(|n| (n.0.as_str(), n.1.as_str())).collect();
        assert!(names.contains(&("拿顺", "Nahshon")), "{names:?}");
        assert!(names.contains(&("克韦西奇", "Kvesic")), "{names:?}");
    }

    #[test]
    fn runs_inside_sentences_leave_out_what_opens_a_sentence_or_a_quotation() {
        assert_eq!(
            runs_inside_sentences(
                "Upper Library was shut. Then Aroma said: \"Misty, come.\" and Old Hai"
            ),
            vec![vec!["Aroma"], vec!["Old", "Hai"]]
        );
    }
}
