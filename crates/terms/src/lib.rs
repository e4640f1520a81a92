//! Mining key terms from aligned Chinese–English beads and pairing each Chinese term
//! with how the English renders it; and ([`termbase`]) the concept model that keeps
//! them.
//!
//! - Chinese candidates are runs of jieba words inside punctuation-free stretches,
//!   with no function word (particle, preposition, conjunction, pronoun, numeral,
//!   measure word, adverb) at either edge, no verb opening a run, no conjunction,
//!   preposition or particle inside, no verb before the last word, scored by C-value
//!   (frequency discounted by the frequency of the longer candidates that contain
//!   them). Names (people, places, organisations) and dictionary words count from a
//!   single word.
//! - English candidates are runs of up to eight words (hyphen parts counted) with a
//!   content word at each edge ("and"/"of" allowed inside, "up" at the end), keyed by
//!   their stems, so that "opening-up" and "opening up" are one candidate.
//! - In each bead, a Chinese term takes the English candidate that best covers it and
//!   is covered by it through the lexicon (word, piece, character and name links);
//!   a term the lexicon cannot see takes the unexplained span next to the English of
//!   its translated neighbour. The most frequent rendering is the term's, weighed by
//!   how consistently the two occur together (Dice over beads); others are variants.
//! - Names are also found from the English (module `english_names`): capitalized
//!   pinyin words matched to the Chinese span that reads so.
//! - Pairs a terminologist would not keep for their boundaries are dropped (module
//!   `boundaries`): runs leaving part of their Chinese unrendered, verb phrases over a
//!   term, pieces of one longer term.
//! - Abbreviations the corpus uses (经开区) are linked to their full forms.
//!
//! Pure: beads in, term pairs out. Beads are processed in parallel chunks; the result
//! does not depend on the number of threads.
#![warn(missing_docs)]

mod affixed_names;
mod boundaries;
mod calibration;
mod cooccurring_names;
mod english_names;
pub mod termbase;

use rayon::prelude::*;
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
    /// How sure the alignment of the bead is.
    pub alignment: BeadAlignment,
}

/// How sure the alignment of a bead is: evidence from a doubtful bead counts less.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeadAlignment {
    /// The aligner's confidence that the bead is right, in [0, 1].
    pub confidence: f32,
    /// The aligner flagged the bead for review.
    pub flagged: bool,
}

impl BeadAlignment {
    /// A bead a person or a translation memory paired.
    pub const GIVEN: BeadAlignment = BeadAlignment {
        confidence: 1.0,
        flagged: false,
    };

    /// How much one occurrence in the bead counts as evidence, in (0, 1]: its
    /// confidence, and at most a quarter when flagged, so that a rendering read off
    /// four doubtful beads weighs what one sure bead does.
    pub fn weight(&self) -> f32 {
        let confidence = if self.confidence.is_nan() {
            0.0
        } else {
            self.confidence.clamp(0.0, 1.0)
        };
        let weight = if self.flagged {
            confidence.min(FLAGGED_WEIGHT)
        } else {
            confidence
        };
        weight.max(LEAST_WEIGHT)
    }
}

/// Most weight of an occurrence in a bead flagged for review.
const FLAGGED_WEIGHT: f32 = 0.25;
/// Least weight of an occurrence: a bead the aligner doubts still says something.
const LEAST_WEIGHT: f32 = 0.05;

/// Thresholds of [`mine`].
#[derive(Debug, Clone)]
pub struct MiningConfig {
    /// Least number of beads a pair must share.
    pub min_frequency: usize,
    /// Least lexical agreement (F-measure of mutual coverage) of a pair.
    pub min_agreement: f32,
    /// Least score (estimated probability of acceptance) of a pair listed.
    pub min_score: f32,
}

impl MiningConfig {
    /// The configuration measured in `BENCHMARKS.md`.
    pub fn standard() -> MiningConfig {
        MiningConfig {
            min_frequency: 1,
            min_agreement: 0.7,
            min_score: 0.0,
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
    /// The estimated probability that a terminologist accepts the pair as listed
    /// (module `calibration`), in (0, 1).
    pub score: f32,
    /// What the score is estimated from.
    pub signals: PairSignals,
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
    /// Abbreviations of the term the corpus uses (经开区 for 经济技术开发区).
    pub abbreviations: Vec<String>,
}

/// The evidence of a pair that its score is estimated from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairSignals {
    /// Best lexical agreement of the term and its rendering in one bead, in [0, 1]
    /// (1 for a name spelled in the English).
    pub agreement: f32,
    /// How consistently the two occur together (Dice over beads), in [0, 1].
    pub consistency: f32,
    /// Beads with both, each weighed by how sure its alignment is.
    pub support: f32,
    /// Share of the term's beads with English that render it so, in [0, 1].
    pub share: f32,
    /// Share of the evidence beads flagged for review, in [0, 1].
    pub flagged_share: f32,
    /// The rendering was only ever read off the gap the term's translated
    /// neighbours leave (内生动力 → "endogenous momentum"), never seen through the
    /// lexicon.
    pub from_gap: bool,
    /// The rendering is the name's spelling in the English.
    pub spelled: bool,
    /// The dictionary knows the Chinese as one word.
    pub dictionary_word: bool,
}

impl PairSignals {
    /// How well the English fits the Chinese, lexically and across beads.
    pub fn lexical_fit(&self) -> f32 {
        self.agreement * (0.5 + 0.5 * self.consistency.min(1.0))
    }
}

/// Weighed support of a rendering and the share of its beads flagged for review.
fn support_of(evidence: &[usize], beads: &[MiningBead]) -> (f32, f32) {
    let support = evidence.iter().map(|&i| beads[i].alignment.weight()).sum();
    let flagged = evidence
        .iter()
        .filter(|&&i| beads[i].alignment.flagged)
        .count();
    (support, flagged as f32 / evidence.len().max(1) as f32)
}

/// POS tags that may not begin or end a Chinese term.
fn is_function_tag(tag: &str) -> bool {
    matches!(
        tag.chars().next(),
        Some('u' | 'p' | 'c' | 'r' | 'y' | 'e' | 'o' | 'm' | 'q' | 'd' | 'x' | 'w' | 'f' | 'z')
    )
}

fn is_name_tag(tag: &str) -> bool {
    is_proper_name_tag(tag) || matches!(tag, "nz" | "j")
}

/// Tags of people, places and organisations; jieba's nz ("other proper noun") also
/// covers common coinages (开放型), and j abbreviations of any kind.
fn is_proper_name_tag(tag: &str) -> bool {
    matches!(tag, "nr" | "ns" | "nt" | "nrt" | "nrfg")
}

/// Most jieba words joined into one dictionary name by [`mining_words`].
const MOST_NAME_PIECES: usize = 3;

/// jieba's words of `text` with its tags, where a run of words the dictionary knows as
/// one proper noun (扎克 + 伯格 → 扎克伯格, Zuckerberg; 比特 + 币 → 比特币, bitcoin) is
/// joined into one, tagged `nz` (other proper noun): jieba's own dictionary lacks many
/// brands and foreign names that CC-CEDICT has. jieba's words are slices of `text`,
/// so a run is the text from its first word's start to its last word's end.
fn mining_words<'a>(zh: &'a ZhTokenizer, text: &'a str) -> Vec<(&'a str, &'a str)> {
    let tagged = zh.tagged(text);
    let offset = |word: &str| word.as_ptr() as usize - text.as_ptr() as usize;
    let mut words = Vec::with_capacity(tagged.len());
    let mut k = 0;
    while k < tagged.len() {
        let start = offset(tagged[k].0);
        let joined = (2..=MOST_NAME_PIECES.min(tagged.len() - k))
            .rev()
            .find_map(|pieces| {
                let last = tagged[k + pieces - 1].0;
                let end = offset(last) + last.len();
                let run = &text[start..end];
                // Whole words next to each other, none of them punctuation.
                let contiguous = tagged[k..k + pieces]
                    .windows(2)
                    .all(|w| offset(w[0].0) + w[0].0.len() == offset(w[1].0));
                let text_only = tagged[k..k + pieces].iter().all(|(_, tag)| *tag != "x");
                (contiguous && text_only && tongwen_lexicon::is_proper_noun(run))
                    .then_some((run, pieces))
            });
        match joined {
            Some((run, pieces)) => {
                words.push((run, "nz"));
                k += pieces;
            }
            None => {
                words.push(tagged[k]);
                k += 1;
            }
        }
    }
    words
}

#[derive(Default)]
struct Candidate {
    frequency: usize,
    beads: Vec<usize>,
    words: usize,
    name: bool,
    /// Tagged as a person, place or organisation somewhere.
    proper_name: bool,
    containers: HashSet<String>,
}

/// Chinese candidates of every bead.
fn chinese_candidates(zh: &ZhTokenizer, beads: &[MiningBead]) -> HashMap<String, Candidate> {
    // Chunks in parallel, merged pairwise as they finish so that only a few partial
    // tables are alive at once; bead lists are sorted at the end.
    let mut candidates = beads
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| chinese_candidates_of(zh, chunk, c * CHUNK))
        .reduce(HashMap::default, |a, b| {
            let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (text, other) in from {
                let candidate = into.entry(text).or_default();
                candidate.frequency += other.frequency;
                candidate.beads.extend(other.beads);
                candidate.words = candidate.words.max(other.words);
                candidate.name |= other.name;
                candidate.proper_name |= other.proper_name;
                candidate.containers.extend(other.containers);
            }
            into
        });
    for candidate in candidates.values_mut() {
        candidate.beads.sort_unstable();
    }
    candidates.retain(|_, c| c.frequency > 0);
    candidates
}

/// Beads mined by one thread at a time.
const CHUNK: usize = 4096;

/// Chinese candidates of `beads`, the first of which has index `offset`.
fn chinese_candidates_of(
    zh: &ZhTokenizer,
    beads: &[MiningBead],
    offset: usize,
) -> HashMap<String, Candidate> {
    const MAX_WORDS: usize = 6;
    let lexicon = tongwen_lexicon::Lexicon::get();
    let mut candidates: HashMap<String, Candidate> = HashMap::default();
    for (index, bead) in beads.iter().enumerate() {
        let index = offset + index;
        let tagged = mining_words(zh, &bead.zh);
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
                    // A verb opening a run of words makes a predicate (发展新质生产力), and a
                    // conjunction, preposition or particle inside joins two phrases.
                    let clean = !is_function_tag(chunk[start].1)
                        && !is_function_tag(chunk[end].1)
                        && (words == 1 || chunk[start].1 != "v")
                        // A one-character verb at the end is a predicate's (祭司要, 苏州开幕 is
                        // two characters and kept out by agreement instead).
                        && (words == 1 || chunk[end].1 != "v" || chunk[end].0.chars().count() > 1)
                        && chunk[start..=end]
                            .iter()
                            .all(|(_, tag)| !matches!(tag.chars().next(), Some('c' | 'p' | 'u')))
                        // A verb with words after it takes them for its object: a clause
                        // (高水平对外开放促进深层次改革), not a term.
                        && chunk[start..end].iter().all(|(_, tag)| *tag != "v")
                        // A name and a verb after it are a subject and its predicate
                        // (扎克伯格回应, 范明正总理出席).
                        && (words == 1 || !(is_name_tag(chunk[start].1) && chunk[end].1 == "v"));
                    if !clean && (words == 1 || lexicon.lookup(&text).is_none()) {
                        continue;
                    }
                    // A time word alone (近年来) is no term; inside one (青年演员) it may be.
                    // Nor is an idiom (积极参与 "actively participate", 前所未有): general
                    // language, whatever its frequency, unless the dictionary knows it as
                    // a name (百事可乐 is an idiom to jieba and Pepsi to CC-CEDICT).
                    let idiom = chunk[start].1 == "i" && !tongwen_lexicon::is_proper_noun(&text);
                    if words == 1 && (chunk[start].1 == "t" || idiom) {
                        continue;
                    }
                    // A proper noun of the dictionary is a name whatever jieba's tag
                    // (微信 and 松下 are common nouns to jieba).
                    let dictionary_name = words == 1 && tongwen_lexicon::is_proper_noun(&text);
                    let name = words == 1 && is_name_tag(chunk[start].1) || dictionary_name;
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
                    candidate.proper_name |=
                        words == 1 && is_proper_name_tag(chunk[start].1) || dictionary_name;
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

/// The words of an English bead, lowercase, with the punctuation-free stretch each
/// belongs to.
struct EnglishWords {
    surface: Vec<String>,
    lower: Vec<String>,
    stretch: Vec<usize>,
    /// The word is the second or later part of a hyphenated word.
    joined: Vec<bool>,
    /// Where the same lowercase word was last said before, if anywhere.
    said_before: Vec<Option<usize>>,
    /// The word may begin or end a term.
    content: Vec<bool>,
}

/// `text` with the acronyms it glosses in parentheses moved to its end, each in its
/// own parentheses: in place they split the name they stand in ("the Communist Party
/// of China (CPC) Central Committee"), at the end they are still candidates (中共 →
/// "CPC").
fn glossed_acronyms_moved_to_the_end(text: &str) -> std::borrow::Cow<'_, str> {
    let is_acronym = |inside: &str| {
        (2..=6).contains(&inside.len()) && inside.chars().all(|c| c.is_ascii_uppercase())
    };
    if !text.contains('(') {
        return text.into();
    }
    let mut kept = String::with_capacity(text.len());
    let mut moved = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) if is_acronym(&after[..close]) => {
                kept.push_str(rest[..open].trim_end());
                moved.push_str(" (");
                moved.push_str(&after[..close]);
                moved.push(')');
                rest = &after[close + 1..];
            }
            _ => {
                kept.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    kept.push_str(rest);
    kept.push_str(&moved);
    kept.into()
}

impl EnglishWords {
    fn new(text: &str) -> EnglishWords {
        let text = glossed_acronyms_moved_to_the_end(text);
        let mut words = EnglishWords {
            surface: Vec::new(),
            lower: Vec::new(),
            stretch: Vec::new(),
            joined: Vec::new(),
            said_before: Vec::new(),
            content: Vec::new(),
        };
        for (stretch, chunk) in text
            .split(|c: char| {
                matches!(
                    c,
                    ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '"' | '[' | ']'
                )
            })
            .enumerate()
        {
            for word in chunk
                .split(|c: char| c.is_whitespace() || c == '/')
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
            {
                for (k, part) in word
                    .split(['-', '\u{2010}'])
                    .filter(|p| !p.is_empty())
                    .enumerate()
                {
                    words.surface.push(part.to_string());
                    words.lower.push(part.to_lowercase());
                    words.stretch.push(stretch);
                    words.joined.push(k > 0);
                }
            }
        }
        let mut last_seen: HashMap<&str, usize> = HashMap::default();
        words.said_before = words
            .lower
            .iter()
            .enumerate()
            .map(|(k, word)| last_seen.insert(word, k))
            .collect();
        words.content = words
            .lower
            .iter()
            .map(|lower| {
                !tongwen_lexicon::is_stopword(lower)
                    && !lower.chars().all(|c| c.is_ascii_digit())
                    && lower != "'s"
            })
            .collect();
        words
    }

    /// The words `start..=end` as written, hyphens restored.
    fn text(&self, start: usize, end: usize) -> String {
        let mut text = self.surface[start].clone();
        for k in start + 1..=end {
            text.push(if self.joined[k] { '-' } else { ' ' });
            text.push_str(&self.surface[k]);
        }
        text
    }

    /// Whether the word is written with a capital first letter.
    fn is_capitalized(&self, k: usize) -> bool {
        self.surface[k]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// A word that may begin or end a term.
    fn is_content(&self, k: usize) -> bool {
        self.content[k]
    }
}

/// An English candidate of a bead: surface form, stem key and word range.
struct EnglishCandidate {
    surface: String,
    key: String,
    start: usize,
    end: usize,
}

/// English candidates of one bead.
fn english_candidates(en: &EnTokenizer, words: &EnglishWords) -> Vec<EnglishCandidate> {
    // Hyphenated parts count as words: "state-level economic and technological
    // development zones" is seven.
    const MAX_WORDS: usize = 8;
    let mut out = Vec::new();
    let count = words.lower.len();
    let stems: Vec<String> = words.lower.iter().map(|w| stem_key(en, w)).collect();
    // A phrasal particle may end a term after a content word ("opening up").
    let may_end = |k: usize| {
        words.is_content(k) || (k > 0 && words.lower[k] == "up" && words.is_content(k - 1))
    };
    for start in 0..count {
        if !words.is_content(start) || words.joined[start] {
            continue;
        }
        for end in start..count.min(start + MAX_WORDS) {
            if words.stretch[end] != words.stretch[start] {
                break;
            }
            // A term does not end inside a hyphenated word.
            if words.joined.get(end + 1) == Some(&true) {
                continue;
            }
            // Inside a term only "and" and "of" may stand between content words.
            if end > start
                && !words.is_content(end)
                && !matches!(words.lower[end].as_str(), "and" | "of" | "up")
            {
                break;
            }
            if !may_end(end) {
                continue;
            }
            if end == start && !words.is_capitalized(start) {
                continue;
            }
            out.push(EnglishCandidate {
                surface: words.text(start, end),
                key: joined_stems(&stems[start..=end]),
                start,
                end,
            });
        }
    }
    out
}

/// The stem key of a lowercase word: hyphenated parts split, each stemmed.
fn stem_key(en: &EnTokenizer, lower: &str) -> String {
    lower
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| en.stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stem key of words in a row, from the key of each ([`stem_key`]), each stemmed
/// once per bead however many candidates it is in.
fn joined_stems(stems: &[String]) -> String {
    let mut key = String::new();
    for stem in stems.iter().filter(|s| !s.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(stem);
    }
    key
}

/// A set of word positions in one English bead.
#[derive(Clone, Default, PartialEq)]
struct Positions(Vec<u64>);

impl Positions {
    fn with_len(len: usize) -> Positions {
        Positions(vec![0; len.div_ceil(64)])
    }
    fn insert(&mut self, k: usize) {
        self.0[k / 64] |= 1 << (k % 64);
    }
    fn contains(&self, k: usize) -> bool {
        self.0
            .get(k / 64)
            .is_some_and(|block| block & (1 << (k % 64)) != 0)
    }
    fn union_with(&mut self, other: &Positions) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|&b| b == 0)
    }
}

/// A token's number in the vocabulary of [`Links`]: links compare numbers, not text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct TokenId(u32);

/// Lexical links, cached: what each Chinese word may translate to, and the tokens of
/// each English word, every token numbered once.
#[derive(Default)]
struct Links {
    vocabulary: HashMap<Token, TokenId>,
    chinese: HashMap<String, WordLinks>,
    /// The targets of each Chinese token, every link and strong links only.
    all: HashMap<Token, Targets>,
    strong: HashMap<Token, Targets>,
    english: HashMap<String, Vec<TokenId>>,
}

/// The English-side tokens one Chinese token translates to.
struct Targets {
    /// Sorted for binary search.
    ids: Vec<TokenId>,
    /// The texts of its name keys, which a run of capitalized words may spell
    /// ("helifeng" is "He Lifeng").
    names: Vec<String>,
}

/// What one Chinese word links to beside its tokens' own targets.
struct WordLinks {
    /// Its tokens, marks left out.
    tokens: Vec<Token>,
    /// The acronyms its gloss makes ([`gloss_acronyms`]).
    acronyms: Vec<String>,
    /// Its entry's strong targets when the tokenizer cuts a word the dictionary knows
    /// whole (扎克 + 伯格 of 扎克伯格, "Mark Zuckerberg"): every piece reaches them.
    whole: Vec<TokenId>,
}

/// The number of `token`, given one if it has none yet.
fn token_id(vocabulary: &mut HashMap<Token, TokenId>, token: &Token) -> TokenId {
    if let Some(&id) = vocabulary.get(token) {
        return id;
    }
    // More distinct tokens than u32 numbers would need more text than memory holds.
    let id = TokenId(vocabulary.len() as u32);
    vocabulary.insert(token.clone(), id);
    id
}

/// The targets of a token, numbered.
fn targets_of(vocabulary: &mut HashMap<Token, TokenId>, tokens: &[Token]) -> Targets {
    let mut ids: Vec<TokenId> = tokens.iter().map(|t| token_id(vocabulary, t)).collect();
    ids.sort_unstable();
    Targets {
        ids,
        names: tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Name)
            .map(|t| t.text.clone())
            .collect(),
    }
}

impl WordLinks {
    fn new(zh: &ZhTokenizer, vocabulary: &mut HashMap<Token, TokenId>, zh_word: &str) -> WordLinks {
        let tokens: Vec<Token> = zh
            .tokenize(zh_word)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Mark)
            .collect();
        let entry = tongwen_lexicon::Lexicon::get().lookup(zh_word);
        let whole = if entry.is_some() && tokens.len() > 1 {
            let word = Token {
                kind: TokenKind::Word,
                text: zh_word.to_string(),
            };
            targets_of(vocabulary, &translation_targets(&word, false)).ids
        } else {
            Vec::new()
        };
        WordLinks {
            tokens,
            acronyms: entry.map(gloss_acronyms).unwrap_or_default(),
            whole,
        }
    }
}

/// The acronyms a dictionary entry's English makes: the initials of two to four of
/// its gloss words in a row (阿联酋, "United Arab Emirates" → UAE).
fn gloss_acronyms(entry: tongwen_lexicon::Entry<'_>) -> Vec<String> {
    let initials: Vec<char> = entry
        .stems()
        .filter_map(|s| s.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut acronyms: Vec<String> = (2..=4)
        .flat_map(|width| initials.windows(width).map(|w| w.iter().collect()))
        .collect();
    acronyms.sort_unstable();
    acronyms.dedup();
    acronyms
}

/// Which dictionary links [`Links::reach`] follows.
#[derive(Clone, Copy, PartialEq)]
enum LinkStrength {
    /// Every link, the single characters' glosses too (国 → "country").
    All,
    /// Whole words, dictionary pieces, names and numbers only.
    Strong,
}

impl Links {
    /// The tokens of each word of `words`, tokenized once per distinct word.
    fn english_tokens(&mut self, en: &EnTokenizer, words: &EnglishWords) -> Vec<Vec<TokenId>> {
        words
            .surface
            .iter()
            .map(|word| {
                if let Some(ids) = self.english.get(word) {
                    return ids.clone();
                }
                let ids: Vec<TokenId> = en
                    .tokenize(word)
                    .iter()
                    .map(|t| token_id(&mut self.vocabulary, t))
                    .collect();
                self.english.insert(word.clone(), ids.clone());
                ids
            })
            .collect()
    }

    /// Which words of `words` the Chinese text `zh_word` (one or more tokens) reaches;
    /// `english` holds the tokens of each word ([`Links::english_tokens`]).
    fn reach(
        &mut self,
        zh: &ZhTokenizer,
        zh_word: &str,
        words: &EnglishWords,
        english: &[Vec<TokenId>],
        strength: LinkStrength,
    ) -> Vec<Positions> {
        let Links {
            vocabulary,
            chinese,
            all,
            strong,
            ..
        } = self;
        if !chinese.contains_key(zh_word) {
            let links = WordLinks::new(zh, vocabulary, zh_word);
            chinese.insert(zh_word.to_string(), links);
        }
        let links = &chinese[zh_word];
        let cache = match strength {
            LinkStrength::All => all,
            LinkStrength::Strong => strong,
        };
        for token in &links.tokens {
            if !cache.contains_key(token) {
                let targets = translation_targets(token, strength == LinkStrength::All);
                cache.insert(token.clone(), targets_of(vocabulary, &targets));
            }
        }
        let reaches = |targets: &[TokenId], k: usize| {
            english[k].iter().any(|t| targets.binary_search(t).is_ok())
        };
        // An acronym or a whole-word gloss stands for the whole word, so every token
        // reaches it.
        let mut whole_word_at = Positions::with_len(words.lower.len());
        if !links.acronyms.is_empty() || !links.whole.is_empty() {
            for (k, word) in words.surface.iter().enumerate() {
                if links.acronyms.contains(word) || reaches(&links.whole, k) {
                    whole_word_at.insert(k);
                }
            }
        }
        let mut out = Vec::with_capacity(links.tokens.len());
        for targets in links.tokens.iter().map(|token| &cache[token]) {
            let mut reached = whole_word_at.clone();
            if !targets.ids.is_empty() {
                for k in 0..words.surface.len() {
                    if reaches(&targets.ids, k) {
                        reached.insert(k);
                    }
                    if targets.names.is_empty() {
                        continue;
                    }
                    // A name key covers the run of capitalized words that spells it
                    // ("helifeng" covers "He Lifeng").
                    let mut spelled = String::new();
                    for j in k..words.lower.len().min(k + 4) {
                        if !words.is_capitalized(j) {
                            break;
                        }
                        spelled.push_str(&words.lower[j]);
                        if targets.names.contains(&spelled) {
                            (k..=j).for_each(|i| reached.insert(i));
                        }
                    }
                }
            }
            out.push(reached);
        }
        // A token without dictionary targets reaches nothing: it counts as uncovered.
        out
    }
}

/// How well a Chinese term and an English span translate each other: the F-measure of
/// the share of the term's tokens that reach into the span and the share of the
/// span's content words reached (a repeated word reached once).
fn agreement(reach: &[Positions], words: &EnglishWords, start: usize, end: usize) -> f32 {
    if reach.is_empty() {
        return 0.0;
    }
    let covered_tokens = reach
        .iter()
        .filter(|r| (start..=end).any(|k| r.contains(k)))
        .count();
    let content: Vec<usize> = (start..=end).filter(|&k| words.is_content(k)).collect();
    if content.is_empty() {
        return 0.0;
    }
    // A word said twice is covered once: a term renders its head once, and
    // "Ministry of Education and Ministry" is two terms' English.
    let covered_words = content
        .iter()
        .filter(|&&k| {
            reach.iter().any(|r| r.contains(k))
                && words.said_before[k].is_none_or(|before| before < start)
        })
        .count();
    let (p, r) = (
        covered_tokens as f32 / reach.len() as f32,
        covered_words as f32 / content.len() as f32,
    );
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// One rendering of a term while mining: best agreement, beads, surface forms counted.
#[derive(Default)]
struct RenderingTally {
    agreement: f32,
    /// The beads weighed by how sure their alignment is, summed once they are all
    /// in, in bead order, so that the sum does not depend on the threads.
    support: f32,
    /// Share of the beads flagged for review.
    flagged_share: f32,
    /// Seen through the lexicon in some bead, not only read off a gap.
    lexical: bool,
    beads: Vec<usize>,
    surfaces: HashMap<String, usize>,
}

/// The Chinese words of a bead with their reach into its English.
struct ChineseWords {
    /// Each word, and whether it is text (not punctuation, which ends a stretch).
    words: Vec<(String, bool)>,
    reach: Vec<Positions>,
}

impl ChineseWords {
    fn new(
        zh: &ZhTokenizer,
        links: &mut Links,
        text: &str,
        words: &EnglishWords,
        word_tokens: &[Vec<TokenId>],
    ) -> ChineseWords {
        let tagged = mining_words(zh, text);
        let mut out = ChineseWords {
            words: Vec::with_capacity(tagged.len()),
            reach: Vec::with_capacity(tagged.len()),
        };
        for (word, tag) in tagged {
            let separator = tag == "x" || !word.chars().any(char::is_alphanumeric);
            let mut reached = Positions::with_len(words.lower.len());
            if !separator {
                for r in links.reach(zh, word, words, word_tokens, LinkStrength::All) {
                    reached.union_with(&r);
                }
            }
            // A function word links only to function words; it anchors nothing.
            let anchor = !separator && !is_function_tag(tag);
            out.words.push((word.to_string(), !separator));
            out.reach.push(if anchor {
                reached
            } else {
                Positions::with_len(words.lower.len())
            });
        }
        out
    }

    /// Word ranges where `term` occurs as a run of whole words.
    fn occurrences(&self, term: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for start in 0..self.words.len() {
            let mut text = String::new();
            for end in start..self.words.len() {
                text.push_str(&self.words[end].0);
                if text.len() >= term.len() {
                    if text == term {
                        found.push((start, end));
                    }
                    break;
                }
            }
        }
        found
    }

    /// The English words the Chinese words outside `start..=end` reach.
    fn explained_besides(&self, start: usize, end: usize, words: &EnglishWords) -> Positions {
        let mut explained = Positions::with_len(words.lower.len());
        for (k, reach) in self.reach.iter().enumerate() {
            if k < start || k > end {
                explained.union_with(reach);
            }
        }
        explained
    }

    /// The reach of the nearest anchoring word from `from` in direction `step`, within
    /// the punctuation-free stretch.
    fn anchor(&self, from: usize, step: isize) -> Option<&Positions> {
        let mut k = from as isize + step;
        while k >= 0 && (k as usize) < self.words.len() {
            let (_, in_stretch) = &self.words[k as usize];
            if !in_stretch {
                return None;
            }
            if !self.reach[k as usize].is_empty() {
                return Some(&self.reach[k as usize]);
            }
            k += step;
        }
        None
    }
}

/// The rendering of a term that the lexicon cannot see, read off the gap its
/// neighbours leave: in "创新活力和内生动力" ↔ "innovation vitality and endogenous
/// momentum", 活力 is "vitality", so the unexplained words after it are what 内生动力
/// became. The span must be a whole run of words no other Chinese word explains,
/// next (across function words) to the English of the term's nearest Chinese
/// neighbour.
fn residual_rendering<'c>(
    chinese: &ChineseWords,
    term: &str,
    term_reach: &[Positions],
    words: &EnglishWords,
    candidates: &'c [EnglishCandidate],
) -> Option<&'c EnglishCandidate> {
    // Only for a term the lexicon mostly cannot see.
    let unseen = term_reach.iter().filter(|r| r.is_empty()).count();
    if unseen * 2 < term_reach.len() {
        return None;
    }
    let mut reached = Positions::with_len(words.lower.len());
    for r in term_reach {
        reached.union_with(r);
    }
    let (start, end) = chinese.occurrences(term).into_iter().next()?;
    let explained = chinese.explained_besides(start, end, words);
    let left = chinese.anchor(start, -1);
    let right = chinese.anchor(end, 1);
    let unexplained_content = |k: usize| words.is_content(k) && !explained.contains(k);
    // The nearest content word from `k` in direction `step` within the stretch.
    let neighbour = |k: usize, step: isize| -> Option<usize> {
        let mut j = k as isize + step;
        while j >= 0 && (j as usize) < words.lower.len() {
            let j_u = j as usize;
            if words.stretch[j_u] != words.stretch[k] {
                return None;
            }
            if words.is_content(j_u) {
                return Some(j_u);
            }
            j += step;
        }
        None
    };
    let capitalized = |k: usize| words.is_capitalized(k);
    candidates
        .iter()
        .filter(|c| {
            (c.start..=c.end)
                .filter(|&k| words.is_content(k))
                .all(unexplained_content)
        })
        // A name does not run on into the words after it ("Kvesic gave"): inside a
        // sentence, a span that opens capitalized stays capitalized.
        .filter(|c| {
            c.start == 0
                || !capitalized(c.start)
                || (c.start..=c.end)
                    .filter(|&k| words.is_content(k))
                    .all(capitalized)
        })
        // What the lexicon does see of the term lies inside the span.
        .filter(|c| {
            (0..words.lower.len()).all(|k| (c.start..=c.end).contains(&k) || !reached.contains(k))
        })
        // Whole runs only: the content words on both sides are explained or absent.
        .filter(|c| {
            neighbour(c.start, -1).is_none_or(|k| !unexplained_content(k))
                && neighbour(c.end, 1).is_none_or(|k| !unexplained_content(k))
        })
        // Next to the English of a Chinese neighbour; or, for a name, a capitalized
        // run around what the lexicon sees of the term itself and more (豪登省 →
        // "Gauteng Province" holds 省's "Province").
        .filter(|c| {
            left.zip(neighbour(c.start, -1))
                .is_some_and(|(a, k)| a.contains(k))
                || right
                    .zip(neighbour(c.end, 1))
                    .is_some_and(|(a, k)| a.contains(k))
                || (!reached.is_empty()
                    && c.start > 0
                    && (c.start..=c.end)
                        .filter(|&k| words.is_content(k))
                        .all(capitalized)
                    && (c.start..=c.end).any(|k| words.is_content(k) && !reached.contains(k)))
        })
        .max_by_key(|c| (c.end - c.start, std::cmp::Reverse(c.start)))
}

/// A one-word term's capitalized English grown over the capitalized words after it
/// that no other Chinese word of the bead explains, as names are written: 常春藤 is
/// "Ivy" to the dictionary and "Ivy League" to the text. Not where the English may be some other word's: in a title-case line,
/// over an all-capital word (an acronym names something else), from a sentence's
/// first word, or when a one-character word stands next to the term in the Chinese
/// (新 + 京报 of 新京报, "Beijing News"; 欧阳 + 瑜, "Ouyang Yu": jieba's pieces of a
/// longer name, whose English the rest of the name explains).
/// Only where [`may_grow`] allows it, which needs no Chinese words of the bead.
fn name_run_completed<'c>(
    chinese: &ChineseWords,
    term: &str,
    rendering: &EnglishCandidate,
    words: &EnglishWords,
    candidates: &'c [EnglishCandidate],
) -> Option<&'c EnglishCandidate> {
    let all_capitals = |k: usize| {
        words.surface[k].chars().count() > 1 && words.surface[k].chars().all(|c| !c.is_lowercase())
    };
    let (start, end) = chinese.occurrences(term).into_iter().next()?;
    let lone_character = |k: usize| {
        chinese.words.get(k).is_some_and(|(word, text)| {
            *text && word.chars().count() == 1 && !chinese.reach[k].is_empty()
        })
    };
    if (start > 0 && lone_character(start - 1)) || lone_character(end + 1) {
        return None;
    }
    let explained = chinese.explained_besides(start, end, words);
    let mut last = rendering.end;
    while last + 1 < words.lower.len()
        && words.stretch[last + 1] == words.stretch[rendering.end]
        && words.is_content(last + 1)
        && words.is_capitalized(last + 1)
        && !all_capitals(last + 1)
        && !explained.contains(last + 1)
    {
        last += 1;
    }
    candidates
        .iter()
        .find(|c| c.start == rendering.start && c.end == last && last > rendering.end)
}

/// Whether the English side lets `rendering` grow ([`name_run_completed`]): it opens
/// capitalized, not as the sentence's first word, a capitalized word follows in its
/// stretch, and the line is not in title case.
fn may_grow(rendering: &EnglishCandidate, words: &EnglishWords) -> bool {
    let next = rendering.end + 1;
    let opens_a_run = rendering.start > 0
        && words.is_capitalized(rendering.start)
        && next < words.lower.len()
        && words.stretch[next] == words.stretch[rendering.end]
        && words.is_capitalized(next);
    opens_a_run && {
        let content: Vec<usize> = (0..words.lower.len())
            .filter(|&k| words.is_content(k))
            .collect();
        content.iter().filter(|&&k| words.is_capitalized(k)).count() * 2 <= content.len()
    }
}

/// Beads mined together, and the terms that occur in each.
struct BeadChunk<'b> {
    beads: &'b [MiningBead],
    /// The terms of each bead, by term index.
    terms_of: &'b [Vec<u32>],
    /// The index of the first bead in the corpus.
    offset: usize,
}

/// The rendering each term takes in each bead of a chunk, by term index.
fn renderings_of(
    zh: &ZhTokenizer,
    en: &EnTokenizer,
    links: &mut Links,
    config: &MiningConfig,
    terms: &[(&String, &Candidate)],
    chunk: BeadChunk<'_>,
) -> HashMap<u32, HashMap<String, RenderingTally>> {
    let BeadChunk {
        beads,
        terms_of,
        offset,
    } = chunk;
    let mut tallies: HashMap<u32, HashMap<String, RenderingTally>> = HashMap::default();
    for (k, bead) in beads.iter().enumerate() {
        if bead.en.is_empty() || terms_of[k].is_empty() {
            continue;
        }
        let words = EnglishWords::new(&bead.en);
        let english = english_candidates(en, &words);
        if english.is_empty() {
            continue;
        }
        let word_tokens = links.english_tokens(en, &words);
        let mut chinese: Option<ChineseWords> = None;
        let mut claims: Vec<Claim> = Vec::new();
        for &t in &terms_of[k] {
            let (text, candidate) = terms[t as usize];
            let reach = links.reach(zh, text, &words, &word_tokens, LinkStrength::All);
            // The English candidate that agrees best; on a tie the one more of the
            // term's tokens reach through strong links (中国 is "China", not "Center"
            // through 中's gloss), then one that does not run from the end of one
            // "X of Y" phrase to the head of the next (of "Ministry of Education and
            // Ministry of Justice", 教育部 is not "Education and Ministry"), then the
            // fuller one.
            let of_at = |k: usize, head: usize| {
                words.lower.get(k).is_some_and(|w| w == "of")
                    && words.is_content(head)
                    && words.stretch[k] == words.stretch[head]
            };
            let straddles = |c: &EnglishCandidate| {
                c.start >= 2 && of_at(c.start - 1, c.start - 2) && of_at(c.end + 1, c.end)
            };
            let scored: Vec<(f32, &EnglishCandidate)> = english
                .iter()
                .map(|c| (agreement(&reach, &words, c.start, c.end), c))
                .collect();
            let top = scored.iter().map(|s| s.0).fold(0.0, f32::max);
            let tied: Vec<(f32, &EnglishCandidate)> =
                scored.into_iter().filter(|s| s.0 == top).collect();
            // Only a choice that will be kept is worth a second look.
            let strong = if tied.len() > 1 && top >= config.min_agreement {
                let reach = links.reach(zh, text, &words, &word_tokens, LinkStrength::Strong);
                tied.iter()
                    .map(|(_, c)| {
                        reach
                            .iter()
                            .filter(|r| (c.start..=c.end).any(|k| r.contains(k)))
                            .count()
                    })
                    .collect()
            } else {
                vec![0; tied.len()]
            };
            let best = tied
                .iter()
                .zip(&strong)
                .max_by(|(a, a_strong), (b, b_strong)| {
                    a_strong
                        .cmp(b_strong)
                        .then(straddles(b.1).cmp(&straddles(a.1)))
                        .then(a.1.key.len().cmp(&b.1.key.len()))
                        .then(b.1.start.cmp(&a.1.start))
                })
                .map(|(best, _)| *best);
            let chosen = match best {
                Some((score, c))
                    if score >= config.min_agreement
                        && candidate.words == 1
                        && may_grow(c, &words) =>
                {
                    let chinese = chinese.get_or_insert_with(|| {
                        ChineseWords::new(zh, links, &bead.zh, &words, &word_tokens)
                    });
                    let whole = name_run_completed(chinese, text, c, &words, &english);
                    Some((score, whole.unwrap_or(c), false))
                }
                Some((score, c)) if score >= config.min_agreement => Some((score, c, false)),
                _ if candidate.words > 1 => {
                    let chinese = chinese.get_or_insert_with(|| {
                        ChineseWords::new(zh, links, &bead.zh, &words, &word_tokens)
                    });
                    residual_rendering(chinese, text, &reach, &words, &english)
                        .map(|c| (config.min_agreement, c, true))
                }
                _ => None,
            };
            if let Some((score, c, from_gap)) = chosen {
                claims.push(Claim {
                    term: t,
                    agreement: score,
                    english: c,
                    from_gap,
                });
            }
        }
        let holds = competitive_links(&claims, terms, &bead.zh);
        for (claim, _) in claims.iter().zip(holds).filter(|(_, holds)| *holds) {
            let tally = tallies
                .entry(claim.term)
                .or_default()
                .entry(claim.english.key.clone())
                .or_default();
            tally.agreement = tally.agreement.max(claim.agreement);
            tally.lexical |= !claim.from_gap;
            tally.beads.push(offset + k);
            *tally
                .surfaces
                .entry(claim.english.surface.clone())
                .or_default() += 1;
        }
    }
    tallies
}

/// A term's rendering in one bead, before other terms of the bead are heard.
struct Claim<'c> {
    term: u32,
    agreement: f32,
    english: &'c EnglishCandidate,
    /// Read off the gap the term's neighbours leave, not seen through the lexicon.
    from_gap: bool,
}

/// The claims of a bead that hold when one English span renders one Chinese term: of
/// two terms at different places in the Chinese whose renderings overlap in the
/// English, the one the English agrees with more keeps it, the longer on a tie (the
/// longer Chinese, then the longer English: in
/// 以高水平对外开放…打造排头兵 ↔ "high-standard opening up", 排头兵 loses "opening up").
/// Terms overlapping in the Chinese (高水平 in 高水平对外开放, 发展新质 across
/// 新质生产力) may share English.
fn competitive_links(claims: &[Claim], terms: &[(&String, &Candidate)], zh: &str) -> Vec<bool> {
    if claims.len() < 2 {
        return vec![true; claims.len()];
    }
    let places: Vec<Vec<std::ops::Range<usize>>> = claims
        .iter()
        .map(|claim| {
            let text = terms[claim.term as usize].0.as_str();
            zh.match_indices(text)
                .map(|(at, _)| at..at + text.len())
                .collect()
        })
        .collect();
    let strength = |claim: &Claim| {
        (
            claim.agreement,
            terms[claim.term as usize].0.len(),
            claim.english.end - claim.english.start,
        )
    };
    // A person, place or organisation yields its English only to another, not to a
    // longer neighbouring run whose English takes the name in (司法部 keeps "Ministry of
    // Justice").
    let proper = |claim: &Claim| terms[claim.term as usize].1.proper_name;
    (0..claims.len())
        .map(|k| {
            let mine = &claims[k];
            !claims.iter().enumerate().any(|(j, other)| {
                let english_overlaps = other.english.start <= mine.english.end
                    && mine.english.start <= other.english.end;
                let chinese_overlaps = places[k]
                    .iter()
                    .any(|a| places[j].iter().any(|b| a.start < b.end && b.start < a.end));
                let (theirs, ours) = (strength(other), strength(mine));
                j != k
                    && (!proper(mine) || proper(other))
                    && english_overlaps
                    && !chinese_overlaps
                    && theirs
                        .0
                        .total_cmp(&ours.0)
                        .then((theirs.1, theirs.2).cmp(&(ours.1, ours.2)))
                        == std::cmp::Ordering::Greater
            })
        })
        .collect()
}

/// Mines term pairs from `beads`, best first.
pub fn mine(
    beads: &[MiningBead],
    config: &MiningConfig,
    zh: &ZhTokenizer,
    en: &EnTokenizer,
) -> Vec<TermPair> {
    let candidates = chinese_candidates(zh, beads);
    let termhood = termhood(&candidates);
    let lexicon = tongwen_lexicon::Lexicon::get();
    // The candidates worth pairing, and the beads each occurs in.
    let mut terms: Vec<(&String, &Candidate)> = candidates
        .iter()
        .filter(|(text, candidate)| {
            let hood = termhood.get(*text).copied().unwrap_or(0.0);
            // A run of several words seen once is a phrase, not yet a term, unless
            // the dictionary knows it as one word (一带一路).
            let known = lexicon.lookup(text).is_some();
            let has_termhood = hood > 0.0 || candidate.name;
            let recurs = candidate.words == 1 || candidate.frequency >= 2;
            known || (has_termhood && recurs)
        })
        .collect();
    terms.sort_by(|a, b| a.0.cmp(b.0));
    let mut by_bead: Vec<Vec<u32>> = vec![Vec::new(); beads.len()];
    for (t, (_, candidate)) in terms.iter().enumerate() {
        for &b in &candidate.beads {
            by_bead[b].push(t as u32);
        }
    }
    // Chunks of beads in parallel, a link cache kept from chunk to chunk of a thread:
    // the links of a word are the same in every bead.
    let mut tallies: Vec<HashMap<String, RenderingTally>> =
        (0..terms.len()).map(|_| HashMap::default()).collect();
    let merged = beads
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(Links::default, |links, (c, chunk)| {
            let offset = c * CHUNK;
            renderings_of(
                zh,
                en,
                links,
                config,
                &terms,
                BeadChunk {
                    beads: chunk,
                    terms_of: &by_bead[offset..offset + chunk.len()],
                    offset,
                },
            )
        })
        .reduce(HashMap::default, |a, b| {
            let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (t, renderings) in from {
                let target = into.entry(t).or_default();
                for (key, other) in renderings {
                    let tally = target.entry(key).or_default();
                    tally.agreement = tally.agreement.max(other.agreement);
                    tally.lexical |= other.lexical;
                    tally.beads.extend(other.beads);
                    for (surface, count) in other.surfaces {
                        *tally.surfaces.entry(surface).or_default() += count;
                    }
                }
            }
            into
        });
    for (t, renderings) in merged {
        for (key, mut tally) in renderings {
            tally.beads.sort_unstable();
            (tally.support, tally.flagged_share) = support_of(&tally.beads, beads);
            tallies[t as usize].insert(key, tally);
        }
    }
    // The main rendering of each term, and how often its key occurs at all (Dice).
    let mut ranked_per_term: Vec<Vec<(String, RenderingTally, String)>> = Vec::new();
    let mut main_keys: HashMap<String, usize> = HashMap::default();
    for tally in tallies {
        let mut ranked: Vec<(String, RenderingTally, String)> = tally
            .into_iter()
            .map(|(key, tally)| {
                let surface = tally
                    .surfaces
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                (key, tally, surface)
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.1.support
                .total_cmp(&a.1.support)
                .then(b.1.beads.len().cmp(&a.1.beads.len()))
                .then(b.1.agreement.total_cmp(&a.1.agreement))
                .then(a.0.cmp(&b.0))
        });
        if let Some((key, _, _)) = ranked.first() {
            main_keys.insert(key.clone(), 0);
        }
        ranked_per_term.push(ranked);
    }
    let counted: Vec<HashMap<String, usize>> = beads
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut counts: HashMap<String, usize> = HashMap::default();
            for bead in chunk.iter().filter(|b| !b.en.is_empty()) {
                let words = EnglishWords::new(&bead.en);
                let mut seen: HashSet<String> = HashSet::default();
                for c in english_candidates(en, &words) {
                    if main_keys.contains_key(&c.key) && seen.insert(c.key.clone()) {
                        *counts.entry(c.key).or_default() += 1;
                    }
                }
            }
            counts
        })
        .collect();
    for counts in counted {
        for (key, count) in counts {
            if let Some(total) = main_keys.get_mut(&key) {
                *total += count;
            }
        }
    }
    let mut pairs = Vec::new();
    for ((text, candidate), ranked) in terms.iter().zip(ranked_per_term) {
        let Some((key, main, surface)) = ranked.first() else {
            continue;
        };
        if main.beads.len() < config.min_frequency {
            continue;
        }
        let dice = 2.0 * main.beads.len() as f32
            / (candidate.beads.len() + main_keys.get(key).copied().unwrap_or(0)) as f32;
        let dates: Vec<i64> = main.beads.iter().filter_map(|&i| beads[i].date).collect();
        let with_english = candidate
            .beads
            .iter()
            .filter(|&&b| !beads[b].en.is_empty())
            .count();
        let signals = PairSignals {
            agreement: main.agreement,
            consistency: dice.min(1.0),
            support: main.support,
            share: main.beads.len() as f32 / with_english.max(1) as f32,
            flagged_share: main.flagged_share,
            from_gap: !main.lexical,
            spelled: false,
            dictionary_word: lexicon.lookup(text).is_some(),
        };
        pairs.push(TermPair {
            zh: (*text).clone(),
            en: surface.clone(),
            score: 0.0,
            signals,
            frequency: main.beads.len(),
            termhood: termhood.get(*text).copied().unwrap_or(0.0),
            name: candidate.name,
            first_seen: dates.iter().min().copied(),
            last_seen: dates.iter().max().copied(),
            evidence: main.beads.iter().map(|&i| beads[i].id).collect(),
            // A second rendering counts when it recurs or agrees clearly, and is not
            // drowned by the main one (one bead in twenty or more): a rare weak match
            // is noise of the lexicon or of the alignment.
            variants: ranked[1..]
                .iter()
                .filter(|(_, tally, _)| {
                    (tally.beads.len() >= 2 || tally.agreement >= 0.75)
                        && tally.beads.len() * 20 >= main.beads.len()
                })
                .map(|(_, tally, surface)| Rendering {
                    en: surface.clone(),
                    frequency: tally.beads.len(),
                    evidence: tally.beads.iter().map(|&i| beads[i].id).collect(),
                })
                .collect(),
            abbreviations: Vec::new(),
        });
    }
    add_names_from_english(&mut pairs, beads, config, en);
    add_cooccurring_names(&mut pairs, beads, config, en);
    let occurrences_of: HashMap<&str, &Candidate> =
        terms.iter().map(|(text, c)| (text.as_str(), *c)).collect();
    let mut pairs = boundaries::clean_boundaries(
        pairs,
        |text| {
            occurrences_of.get(text).map(|c| boundaries::Occurrences {
                beads: &c.beads,
                frequency: c.frequency,
            })
        },
        zh,
        en,
    );
    link_abbreviations(&mut pairs, &candidates, en);
    for pair in &mut pairs {
        pair.score = calibration::acceptance(pair);
    }
    pairs.retain(|p| p.score >= config.min_score);
    // Most likely accepted first; of two alike, the one with more evidence.
    pairs.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.frequency.cmp(&a.frequency))
            .then(a.zh.cmp(&b.zh))
    });
    pairs
}

/// Adds the names the English spells in pinyin (see `english_names`), whole with a
/// title, clan or place affix (see `affixed_names`): a name not
/// mined from the Chinese side becomes a pair; one mined with another rendering takes
/// the spelled one when it is seen at least as often or when the other is part of it,
/// the other kept as a variant.
fn add_names_from_english(
    pairs: &mut Vec<TermPair>,
    beads: &[MiningBead],
    config: &MiningConfig,
    en: &EnTokenizer,
) {
    let mut position: HashMap<String, usize> = pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (p.zh.clone(), k))
        .collect();
    let spelled = english_names::names_from_english(beads);
    let affixed = affixed_names::affixed_names(beads, spelled.wade_giles, en);
    for name in spelled.names.into_iter().chain(affixed) {
        if name.beads.len() < config.min_frequency {
            continue;
        }
        let spelled = Rendering {
            en: name.en.clone(),
            frequency: name.beads.len(),
            evidence: name.beads.iter().map(|&i| beads[i].id).collect(),
        };
        let dates: Vec<i64> = name.beads.iter().filter_map(|&i| beads[i].date).collect();
        let (support, flagged_share) = support_of(&name.beads, beads);
        match position.get(&name.zh) {
            // Found beside the text around it (欧阳明远 "Ouyang Mingyuan" in a gap)
            // and spelled: a name, on the evidence of every bead that spells it.
            Some(&k) if pairs[k].en.eq_ignore_ascii_case(&name.en) => {
                let pair = &mut pairs[k];
                if pair.name && pair.signals.spelled {
                    continue;
                }
                let mut evidence = std::mem::take(&mut pair.evidence);
                evidence.extend(&spelled.evidence);
                evidence.sort_unstable();
                evidence.dedup();
                let share = (pair.signals.share * evidence.len() as f32
                    / pair.frequency.max(1) as f32)
                    .min(1.0);
                pair.frequency = evidence.len();
                pair.evidence = evidence;
                pair.name = true;
                pair.signals = PairSignals {
                    agreement: 1.0,
                    consistency: pair.signals.consistency.max(share),
                    support: pair.signals.support.max(support),
                    share,
                    from_gap: false,
                    spelled: true,
                    ..pair.signals
                };
            }
            // The full name is the entry, the short form ("Xi" of Xi Jinping) its variant.
            Some(&k)
                if spelled.frequency >= pairs[k].frequency
                    || boundaries::spells_part(&spelled.en, &pairs[k].en) =>
            {
                let pair = &mut pairs[k];
                let share = pair.signals.share * spelled.frequency as f32 / pair.frequency as f32;
                let before = Rendering {
                    en: std::mem::replace(&mut pair.en, spelled.en),
                    frequency: pair.frequency,
                    evidence: std::mem::replace(&mut pair.evidence, spelled.evidence),
                };
                pair.frequency = spelled.frequency;
                pair.name = true;
                pair.signals = PairSignals {
                    agreement: 1.0,
                    support,
                    share: share.min(1.0),
                    flagged_share,
                    from_gap: false,
                    spelled: true,
                    ..pair.signals
                };
                pair.variants
                    .retain(|v| !v.en.eq_ignore_ascii_case(&pair.en));
                pair.variants.insert(0, before);
            }
            Some(&k) => {
                if !pairs[k]
                    .variants
                    .iter()
                    .any(|v| v.en.eq_ignore_ascii_case(&spelled.en))
                {
                    pairs[k].variants.push(spelled);
                }
            }
            None => {
                position.insert(name.zh.clone(), pairs.len());
                pairs.push(TermPair {
                    signals: PairSignals {
                        agreement: 1.0,
                        // How often the name goes unspelled is not counted.
                        consistency: 1.0,
                        support,
                        share: 1.0,
                        flagged_share,
                        from_gap: false,
                        spelled: true,
                        dictionary_word: tongwen_lexicon::Lexicon::get().lookup(&name.zh).is_some(),
                    },
                    zh: name.zh,
                    en: spelled.en,
                    score: 0.0,
                    frequency: spelled.frequency,
                    termhood: 0.0,
                    name: true,
                    first_seen: dates.iter().min().copied(),
                    last_seen: dates.iter().max().copied(),
                    evidence: spelled.evidence,
                    variants: Vec::new(),
                    abbreviations: Vec::new(),
                });
            }
        }
    }
}

/// Adds the translated names (see `cooccurring_names`) whose Chinese no pair holds.
fn add_cooccurring_names(
    pairs: &mut Vec<TermPair>,
    beads: &[MiningBead],
    config: &MiningConfig,
    en: &EnTokenizer,
) {
    let explained: HashSet<String> = pairs
        .iter()
        .flat_map(|p| std::iter::once(&p.en).chain(p.variants.iter().map(|v| &v.en)))
        .flat_map(|en| en.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let paired: HashSet<&str> = pairs.iter().map(|p| p.zh.as_str()).collect();
    let found = cooccurring_names::cooccurring_names(beads, &explained, &paired, en);
    let lexicon = tongwen_lexicon::Lexicon::get();
    for name in found
        .into_iter()
        .filter(|name| name.beads.len() >= config.min_frequency)
    {
        let dates: Vec<i64> = name.beads.iter().filter_map(|&i| beads[i].date).collect();
        let (support, flagged_share) = support_of(&name.beads, beads);
        pairs.push(TermPair {
            signals: PairSignals {
                agreement: name.dice,
                consistency: name.dice,
                support,
                share: name.share,
                flagged_share,
                from_gap: true,
                spelled: false,
                dictionary_word: lexicon.lookup(&name.zh).is_some(),
            },
            score: 0.0,
            frequency: name.beads.len(),
            termhood: 0.0,
            name: true,
            first_seen: dates.iter().min().copied(),
            last_seen: dates.iter().max().copied(),
            evidence: name.beads.iter().map(|&i| beads[i].id).collect(),
            variants: Vec::new(),
            abbreviations: Vec::new(),
            zh: name.zh,
            en: name.en,
        });
    }
}

/// Whether `short` abbreviates `full` the way Chinese abbreviations are formed:
/// same first and last character, the rest of `short` picked in order from `full`,
/// and not simply a piece of it (经开区 ← 经济技术开发区).
fn abbreviates(short: &str, full: &str) -> bool {
    let (s, f): (Vec<char>, Vec<char>) = (short.chars().collect(), full.chars().collect());
    if s.len() < 2 || f.len() < s.len() + 2 || s[0] != f[0] || s.last() != f.last() {
        return false;
    }
    if full.contains(short) {
        return false;
    }
    let mut rest = f.iter();
    s.iter().all(|c| rest.any(|d| d == c))
}

/// Links abbreviations the corpus uses to the full forms among the mined terms. A
/// mined abbreviation is folded into its full form when its own rendering is part of
/// the full form's ("development zones" of "state-level economic and technological
/// development zones"), an unpaired one too, when the dictionary does not know it as
/// a word of its own.
fn link_abbreviations(
    pairs: &mut Vec<TermPair>,
    candidates: &HashMap<String, Candidate>,
    en: &EnTokenizer,
) {
    let mut by_edges: HashMap<(char, char), Vec<&str>> = HashMap::default();
    for (text, candidate) in candidates {
        let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else {
            continue;
        };
        if candidate.frequency >= 2 && text.chars().count() <= 8 {
            by_edges.entry((first, last)).or_default().push(text);
        }
    }
    let key_words = |text: &str| -> HashSet<String> {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !tongwen_lexicon::is_stopword(w))
            .map(|w| en.stem(w))
            .collect()
    };
    let position: HashMap<String, usize> = pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (p.zh.clone(), k))
        .collect();
    let lexicon = tongwen_lexicon::Lexicon::get();
    // (full form, abbreviation, the abbreviation's own pair if mined)
    let mut links: Vec<(usize, String, Option<usize>)> = Vec::new();
    for (k, pair) in pairs.iter().enumerate() {
        let (Some(first), Some(last)) = (pair.zh.chars().next(), pair.zh.chars().last()) else {
            continue;
        };
        let full_words = key_words(&pair.en);
        let mut shorts: Vec<&str> = by_edges
            .get(&(first, last))
            .into_iter()
            .flatten()
            .copied()
            .filter(|short| abbreviates(short, &pair.zh))
            .collect();
        shorts.sort_unstable();
        for short in shorts {
            match position.get(short) {
                // A word the dictionary knows (中国, 橄榄油) is a term of its own, not
                // the abbreviation of a longer run that starts and ends like it.
                Some(&s) if lexicon.lookup(short).is_none() => {
                    let own = key_words(&pairs[s].en);
                    if !own.is_empty() && own.is_subset(&full_words) {
                        links.push((k, short.to_string(), Some(s)));
                    }
                }
                None if lexicon.lookup(short).is_none() => {
                    links.push((k, short.to_string(), None));
                }
                _ => {}
            }
        }
    }
    let mut absorbed: HashSet<usize> = HashSet::default();
    for (full, short, own) in links {
        pairs[full].abbreviations.push(short);
        if let Some(own) = own {
            absorbed.insert(own);
        }
    }
    let mut index = 0;
    pairs.retain(|_| {
        index += 1;
        !absorbed.contains(&(index - 1))
    });
}

#[cfg(test)]
mod tests;

/// A bead of the unit tests: given, undated, its texts as written.
#[cfg(test)]
fn given_bead(zh: &str, en: &str) -> MiningBead {
    MiningBead {
        id: 0,
        zh: zh.into(),
        en: en.into(),
        date: None,
        alignment: BeadAlignment::GIVEN,
    }
}
