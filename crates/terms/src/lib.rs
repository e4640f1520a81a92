//! Mining key terms from aligned Chinese–English beads and pairing each Chinese term
//! with how the English renders it.
//!
//! - Chinese candidates are runs of jieba words inside punctuation-free stretches,
//!   with no function word (particle, preposition, conjunction, pronoun, numeral,
//!   measure word, adverb) at either edge, scored by C-value (frequency discounted by
//!   the frequency of the longer candidates that contain them). Names (people, places,
//!   organisations) and dictionary abbreviations count from a single word.
//! - English candidates are runs of one to six words with a content word at each edge
//!   ("and"/"of" allowed inside), keyed by their stems, so that "opening-up" and
//!   "opening up" are one candidate.
//! - A Chinese candidate is paired with the English candidate of its beads that best
//!   covers it and is covered by it through the lexicon (word, piece, character and
//!   name links), weighed with how consistently the two occur together (Dice over
//!   beads). Other renderings of the same term in other beads are kept as variants.
//!
//! Pure: beads in, term pairs out.
#![warn(missing_docs)]

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use tongwen_align::translation_targets;
use tongwen_text::{EnTokenizer, Token, TokenKind, ZhTokenizer};

/// One aligned bead to mine.
#[derive(Debug, Clone)]
pub struct MiningBead {
    /// A stable id of the bead, kept as evidence.
    pub id: u64,
    /// The Chinese text (normalized).
    pub zh: String,
    /// The English text (normalized); empty for a Chinese sentence the English
    /// leaves out, which counts towards termhood but not towards renderings.
    pub en: String,
    /// Publication date (`YYYYMMDD`) if known.
    pub date: Option<i64>,
}

/// Thresholds of [`mine`].
#[derive(Debug, Clone)]
pub struct MiningConfig {
    /// Least number of beads a pair must share.
    pub min_frequency: usize,
    /// Least lexical agreement (F-measure of mutual coverage) of a pair.
    pub min_agreement: f32,
}

impl MiningConfig {
    /// The configuration measured in `BENCHMARKS.md`.
    pub fn standard() -> MiningConfig {
        MiningConfig {
            min_frequency: 1,
            min_agreement: 0.6,
        }
    }
}

/// An English rendering of a term, with where it was seen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendering {
    /// The English term as most often written.
    pub en: String,
    /// Beads where the term is rendered this way.
    pub frequency: usize,
    /// Those beads' ids.
    pub evidence: Vec<u64>,
}

/// A Chinese term and its rendering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermPair {
    /// The Chinese term.
    pub zh: String,
    /// Its most frequent English rendering.
    pub en: String,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Beads with both the term and this rendering.
    pub frequency: usize,
    /// Termhood of the Chinese term (C-value).
    pub termhood: f32,
    /// A name of a person, place or organisation.
    pub name: bool,
    /// First and last date seen, when dates are known.
    pub first_seen: Option<i64>,
    /// Last date seen.
    pub last_seen: Option<i64>,
    /// Ids of the beads with both.
    pub evidence: Vec<u64>,
    /// Other renderings of the same term, most frequent first.
    pub variants: Vec<Rendering>,
}

/// POS tags that may not begin or end a Chinese term.
fn is_function_tag(tag: &str) -> bool {
    matches!(
        tag.chars().next(),
        Some('u' | 'p' | 'c' | 'r' | 'y' | 'e' | 'o' | 'm' | 'q' | 'd' | 'x' | 'w' | 'f' | 'z')
    )
}

fn is_name_tag(tag: &str) -> bool {
    matches!(tag, "nr" | "ns" | "nt" | "nrt" | "nz" | "j" | "nrfg")
}

#[derive(Default)]
struct Candidate {
    frequency: usize,
    beads: Vec<usize>,
    words: usize,
    name: bool,
    containers: HashSet<String>,
}

/// Chinese candidates of every bead.
fn chinese_candidates(zh: &ZhTokenizer, beads: &[MiningBead]) -> HashMap<String, Candidate> {
    const MAX_WORDS: usize = 6;
    let lexicon = tongwen_lexicon::Lexicon::get();
    let mut candidates: HashMap<String, Candidate> = HashMap::default();
    for (index, bead) in beads.iter().enumerate() {
        let tagged = zh.tagged(&bead.zh);
        for chunk in
            tagged.split(|(word, tag)| *tag == "x" || !word.chars().any(char::is_alphanumeric))
        {
            for start in 0..chunk.len() {
                let mut text = String::new();
                for end in start..chunk.len().min(start + MAX_WORDS) {
                    text.push_str(chunk[end].0);
                    let words = end - start + 1;
                    let length = text.chars().count();
                    if !(2..=16).contains(&length) {
                        continue;
                    }
                    // Clean edges, unless the dictionary knows the run as one word
                    // (一带一路 comes out of jieba as 一带 + 一路, the latter tagged a numeral).
                    let clean = !is_function_tag(chunk[start].1) && !is_function_tag(chunk[end].1);
                    if !clean && (words == 1 || lexicon.lookup(&text).is_none()) {
                        continue;
                    }
                    let name = words == 1 && is_name_tag(chunk[start].1);
                    if words == 1 && !name && text.chars().count() < 3 {
                        continue;
                    }
                    let candidate = candidates.entry(text.clone()).or_default();
                    candidate.frequency += 1;
                    if candidate.beads.last() != Some(&index) {
                        candidate.beads.push(index);
                    }
                    candidate.words = words;
                    candidate.name |= name;
                    // Every shorter candidate inside this one is nested in it.
                    for inner_start in start..=end {
                        let mut inner = String::new();
                        for (inner_end, (word, _)) in
                            chunk.iter().enumerate().take(end + 1).skip(inner_start)
                        {
                            inner.push_str(word);
                            if (inner_start, inner_end) != (start, end) {
                                candidates
                                    .entry(inner.clone())
                                    .or_default()
                                    .containers
                                    .insert(text.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    candidates.retain(|_, c| c.frequency > 0);
    candidates
}

/// C-value: `log2(1 + words) * (f - mean f of the candidates containing it)`.
fn termhood(candidates: &HashMap<String, Candidate>) -> HashMap<String, f32> {
    candidates
        .iter()
        .map(|(text, c)| {
            let containers: Vec<f32> = c
                .containers
                .iter()
                .filter_map(|t| candidates.get(t))
                .map(|b| b.frequency as f32)
                .collect();
            let nested = if containers.is_empty() {
                0.0
            } else {
                containers.iter().sum::<f32>() / containers.len() as f32
            };
            (
                text.clone(),
                (1.0 + c.words as f32).log2() * (c.frequency as f32 - nested),
            )
        })
        .collect()
}

/// English candidates of one bead: surface form, stem key, and its tokens.
fn english_candidates(en: &EnTokenizer, text: &str) -> Vec<(String, String)> {
    const MAX_WORDS: usize = 6;
    let mut out = Vec::new();
    for chunk in text.split(|c: char| {
        matches!(
            c,
            ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '"' | '[' | ']'
        )
    }) {
        let words: Vec<&str> = chunk
            .split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let content = |k: usize| {
            !tongwen_lexicon::is_stopword(&lower[k])
                && !lower[k].chars().all(|c| c.is_ascii_digit())
                && lower[k] != "'s"
        };
        // A phrasal particle may end a term after a content word ("opening up").
        let may_end = |k: usize| content(k) || (k > 0 && lower[k] == "up" && content(k - 1));
        for start in 0..words.len() {
            if !content(start) {
                continue;
            }
            for end in start..words.len().min(start + MAX_WORDS) {
                // Inside a term only "and" and "of" may stand between content words.
                if end > start
                    && !content(end)
                    && !matches!(lower[end].as_str(), "and" | "of" | "up")
                {
                    break;
                }
                if !may_end(end) {
                    continue;
                }
                let single = end == start;
                if single && !words[start].chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let key: Vec<String> = lower[start..=end]
                    .iter()
                    .flat_map(|w| w.split('-').map(str::to_string).collect::<Vec<_>>())
                    .filter(|w| !w.is_empty())
                    .map(|w| en.stem(&w))
                    .collect();
                out.push((words[start..=end].join(" "), key.join(" ")));
            }
        }
    }
    out
}

/// How well a Chinese term and an English term translate each other: the F-measure of
/// the share of the Chinese words with a counterpart in the English and the share of
/// English content words with a counterpart in the Chinese.
fn agreement(zh_tokens: &[Token], targets: &[Vec<Token>], en_tokens: &[Token]) -> f32 {
    let english: HashSet<&Token> = en_tokens.iter().collect();
    let mut zh_covered = 0usize;
    let mut zh_total = 0usize;
    let mut reached: HashSet<&Token> = HashSet::default();
    for (token, targets) in zh_tokens.iter().zip(targets) {
        if targets.is_empty() || token.kind == TokenKind::Mark {
            continue;
        }
        zh_total += 1;
        let mut hit = false;
        for target in targets {
            if let Some(found) = english.get(target) {
                reached.insert(found);
                hit = true;
            }
        }
        zh_covered += usize::from(hit);
    }
    // A word is covered when reached itself or as part of a reached name (何立峰 reaches
    // the key "helifeng", which covers "He" and "Lifeng").
    let names: Vec<&str> = reached
        .iter()
        .filter(|t| t.kind == TokenKind::Name)
        .map(|t| t.text.as_str())
        .collect();
    let words: Vec<&Token> = en_tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word || t.kind == TokenKind::Number)
        .collect();
    let en_covered = words
        .iter()
        .filter(|w| {
            reached.contains(**w) || names.iter().any(|name| name.contains(w.text.as_str()))
        })
        .count();
    if zh_total == 0 || words.is_empty() {
        return 0.0;
    }
    let (p, r) = (
        zh_covered as f32 / zh_total as f32,
        en_covered as f32 / words.len() as f32,
    );
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// One rendering of a term while mining: best agreement, beads, surface forms counted.
type RenderingTally = (f32, Vec<usize>, HashMap<String, usize>);

/// Mines term pairs from `beads`, best first.
pub fn mine(
    beads: &[MiningBead],
    config: &MiningConfig,
    zh: &ZhTokenizer,
    en: &EnTokenizer,
) -> Vec<TermPair> {
    let candidates = chinese_candidates(zh, beads);
    let termhood = termhood(&candidates);
    // English candidates per bead, and in how many beads each key occurs.
    let mut en_per_bead: Vec<Vec<(String, String)>> = Vec::with_capacity(beads.len());
    let mut en_beads: HashMap<String, usize> = HashMap::default();
    for bead in beads {
        let mut found = english_candidates(en, &bead.en);
        found.sort_by(|a, b| a.1.cmp(&b.1));
        found.dedup_by(|a, b| a.1 == b.1);
        for (_, key) in &found {
            *en_beads.entry(key.clone()).or_default() += 1;
        }
        en_per_bead.push(found);
    }
    let mut en_token_cache: HashMap<String, Vec<Token>> = HashMap::default();
    let mut pairs = Vec::new();
    for (text, candidate) in &candidates {
        let hood = termhood.get(text).copied().unwrap_or(0.0);
        // A run of several words seen once is a phrase, not yet a term, unless the
        // dictionary knows it as one word (一带一路).
        let known = tongwen_lexicon::Lexicon::get().lookup(text).is_some();
        if (hood <= 0.0 && !candidate.name && !known)
            || (candidate.words > 1 && candidate.frequency < 2 && !known)
        {
            continue;
        }
        let zh_tokens = zh.tokenize(text);
        let targets: Vec<Vec<Token>> = zh_tokens
            .iter()
            .map(|t| translation_targets(t, true))
            .collect();
        if targets.iter().all(Vec::is_empty) {
            continue;
        }
        // In each bead, the English candidate that agrees best with the term.
        let mut renderings: HashMap<String, RenderingTally> = HashMap::default();
        for &index in candidate.beads.iter().filter(|&&i| !beads[i].en.is_empty()) {
            let mut best: Option<(f32, &String, &String)> = None;
            for (surface, key) in &en_per_bead[index] {
                let en_tokens = en_token_cache
                    .entry(surface.clone())
                    .or_insert_with(|| en.tokenize(surface));
                let score = agreement(&zh_tokens, &targets, en_tokens);
                let better = match best {
                    None => true,
                    // Prefer the fuller rendering when two agree as well.
                    Some((s, _, k)) => {
                        score > s + 1e-6 || ((score - s).abs() <= 1e-6 && key.len() > k.len())
                    }
                };
                if better {
                    best = Some((score, surface, key));
                }
            }
            if let Some((score, surface, key)) = best.filter(|b| b.0 >= config.min_agreement) {
                let entry = renderings
                    .entry(key.clone())
                    .or_insert_with(|| (0.0, Vec::new(), HashMap::default()));
                entry.0 = entry.0.max(score);
                entry.1.push(index);
                *entry.2.entry(surface.clone()).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, f32, Vec<usize>, String)> = renderings
            .into_iter()
            .map(|(key, (score, indices, surfaces))| {
                let surface = surfaces
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                (key, score, indices, surface)
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.2.len()
                .cmp(&a.2.len())
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        let Some((key, agreement_score, indices, surface)) = ranked.first().cloned() else {
            continue;
        };
        if indices.len() < config.min_frequency {
            continue;
        }
        let dice = 2.0 * indices.len() as f32
            / (candidate.beads.len() + en_beads.get(&key).copied().unwrap_or(0)) as f32;
        let dates: Vec<i64> = indices.iter().filter_map(|&i| beads[i].date).collect();
        pairs.push(TermPair {
            zh: text.clone(),
            en: surface,
            score: agreement_score * (0.5 + 0.5 * dice.min(1.0)),
            frequency: indices.len(),
            termhood: hood,
            name: candidate.name,
            first_seen: dates.iter().min().copied(),
            last_seen: dates.iter().max().copied(),
            evidence: indices.iter().map(|&i| beads[i].id).collect(),
            variants: ranked[1..]
                .iter()
                .map(|(_, _, indices, surface)| Rendering {
                    en: surface.clone(),
                    frequency: indices.len(),
                    evidence: indices.iter().map(|&i| beads[i].id).collect(),
                })
                .collect(),
        });
    }
    // Best first: agreement and consistency, then how much of a term it is.
    pairs.sort_by(|a, b| {
        let rank = |p: &TermPair| {
            p.score * (1.0 + (1.0 + p.termhood.max(0.0)).ln()) * (1.0 + (p.frequency as f32).ln())
        };
        rank(b).total_cmp(&rank(a)).then(a.zh.cmp(&b.zh))
    });
    pairs
}

#[cfg(test)]
mod tests;
