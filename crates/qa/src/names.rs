//! The name rule: a person or place of the Chinese whose name the English lacks.
//!
//! A part-of-speech tag alone is no evidence: jieba tags common words and word pieces
//! as names (东西, 之日起, 段时间). A word is a name when the dictionary says so (every
//! CC-CEDICT sense a proper noun: 天津, 习近平, 双子座), or, weaker, when jieba tags an
//! unknown word as a person and it starts with a surname (李强). A name is rendered
//! when the English holds a dictionary rendering of it or of its people (中国 → China,
//! Chinese; 英国 → Britain, British, UK; 美国 → US, American), an acronym of one
//! (U.K.), or its pinyin: in full, the given name alone, or the surname alone after the
//! first mention (Xi), spaced, hyphenated or with apostrophes (Xi'an, Ming-er).
//!
//! What the English writes instead decides the report. A capitalized run close to the
//! name's pinyin (and closer to it than to the dictionary's English) is a misspelling
//! (Li Qaing for 李强); a Latin spelling the source gives itself is none, and a name
//! jieba may have cut short counts as rendered by its pinyin and a letter or two
//! (巴拉巴|克 → Balabac). Otherwise a dictionary name is reported when every
//! capitalized run nothing in the source explains is pinyin — one that is not pinyin
//! may be a title or an English name the dictionary lacks (四海 → "Only Fools Rush
//! In") — and a place also when another one-word pinyin name stands there (a place
//! swapped for another); a surname-led person name only when the English holds
//! another unexplained pinyin person name in its place; a word only jieba tags a name
//! only when the English spells something very close to its pinyin that is not
//! pinyin itself.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use tongwen_align::translation_targets;
use tongwen_lexicon::{is_pinyin, is_stopword, surname_length, Lexicon};
use tongwen_text::{EnTokenizer, Token, TokenKind};

use crate::Evidence;

/// How sure the source is that a word is a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameEvidence {
    /// Every dictionary sense is a proper noun.
    Dictionary,
    /// jieba tags it a person, the dictionary lacks it, and it starts with a surname.
    Tagged,
    /// jieba tags it a name and nothing else says so: it counts only when the English
    /// spells something very close to its pinyin (Yixni for 易欣).
    TaggedOnly,
}

/// Stems of proper-noun glosses that say what kind of name it is, not which.
const GENERIC_STEMS: &[&str] = &[
    "abbr",
    "ancient",
    "capit",
    "central",
    "citi",
    "counti",
    "district",
    "east",
    "great",
    "island",
    "lake",
    "mountain",
    "municip",
    "name",
    "nation",
    "new",
    "north",
    "old",
    "person",
    "peopl",
    "place",
    "prefectur",
    "provinc",
    "region",
    "republ",
    "river",
    "sea",
    "south",
    "state",
    "town",
    "unit",
    "west",
    "autonom",
    "kingdom",
];

/// What a place name may end with that English translates rather than spells.
const PLACE_SUFFIXES: &[&str] = &[
    "群岛", "岛", "省", "市", "县", "区", "山", "湖", "河", "江", "海", "镇", "村", "州",
];

/// Acronyms written with stops: U.S., U.K., U.N.
static DOTTED_ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[A-Z]\.){2,}").expect("valid regex"));

/// A word of the English and where it stands.
struct EnglishWord {
    lower: String,
    capitalized: bool,
    /// First word of a sentence, capitalized whatever it is.
    sentence_start: bool,
}

/// A run of consecutive capitalized words that nothing in the source accounts for.
struct UnexplainedRun {
    /// Lowercase, apostrophes kept.
    words: Vec<String>,
    /// All pinyin, of four letters or more (a name, not "Long").
    pinyin: bool,
    /// Pinyin of two words or more: a Chinese person's name (Wang Yi).
    pinyin_person: bool,
    /// The whole capitalized run it lies in ("Tang Fegn" around "Fegn"), lowercase.
    context: Vec<String>,
    /// Where it lies in `context`.
    span: std::ops::Range<usize>,
    /// The source writes it in Latin letters too: no misspelling of anything.
    given_by_source: bool,
}

impl UnexplainedRun {
    /// Spellings that may be a misspelled name: each stretch of the capitalized run
    /// that holds an unexplained word ("Tang Fegn", "Fegn"; not "Hunan" of "Hunan
    /// Expo Centre"), letters run together.
    fn candidate_spellings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..self.context.len() {
            for j in i + 1..=self.context.len() {
                if i < self.span.end && j > self.span.start {
                    out.push(self.context[i..j].concat().replace('\'', ""));
                }
            }
        }
        out
    }
}

/// What the English side offers the name rule. The capitalized runs nothing in
/// the source explains are worked out only when a name is not found, as that needs
/// what every source word may translate to.
struct EnglishSide<'t> {
    en_tokenizer: &'t EnTokenizer,
    /// Every concatenation of up to four consecutive capitalized words.
    spelled: FxHashSet<String>,
    /// Those ending where the capitalized words end (`xi` of "President Xi").
    run_ends: Vec<String>,
    /// Stems in text order, made when a rendering of several words is looked for.
    stems: OnceCell<Vec<String>>,
    /// Lowercase words, accents folded, apostrophes dropped.
    words: Vec<String>,
    /// The words as read, for the unexplained runs.
    read: Vec<EnglishWord>,
    unexplained: OnceCell<Vec<UnexplainedRun>>,
}

impl<'t> EnglishSide<'t> {
    /// Reads the English.
    fn read(en: &str, en_tokenizer: &'t EnTokenizer) -> EnglishSide<'t> {
        let words = words_of(en);
        let mut spelled = FxHashSet::default();
        let mut run_ends = Vec::new();
        let capitalized = |k: usize| words.get(k).is_some_and(|w| w.capitalized);
        for start in 0..words.len() {
            let mut run = String::new();
            for k in (start..words.len()).take(4) {
                if !capitalized(k) {
                    break;
                }
                run.extend(words[k].lower.chars().filter(|c| *c != '\''));
                spelled.insert(run.clone());
                if !capitalized(k + 1) {
                    run_ends.push(run.clone());
                }
            }
        }
        EnglishSide {
            en_tokenizer,
            spelled,
            run_ends,
            stems: OnceCell::new(),
            words: words
                .iter()
                .map(|w| w.lower.chars().filter(|c| *c != '\'').collect())
                .collect(),
            read: words,
            unexplained: OnceCell::new(),
        }
    }

    /// The capitalized runs nothing in the source explains: not a stopword, not a
    /// translation or pinyin of a source word, not an ordinary word opening a
    /// sentence.
    fn unexplained(&self, tagged: &[(&str, &str)], source: &str) -> &[UnexplainedRun] {
        self.unexplained.get_or_init(|| {
            unexplained_runs(
                &self.read,
                self.en_tokenizer,
                &source_targets(tagged),
                source,
            )
        })
    }

    fn stems(&self) -> &[String] {
        self.stems.get_or_init(|| {
            self.words
                .iter()
                .map(|w| self.en_tokenizer.stem(w))
                .collect()
        })
    }
}

fn words_of(en: &str) -> Vec<EnglishWord> {
    let undotted = DOTTED_ACRONYM.replace_all(en, |c: &regex::Captures| c[0].replace('.', ""));
    let mut words = Vec::new();
    let mut sentence_start = true;
    let mut current = String::new();
    let flush = |current: &mut String, words: &mut Vec<EnglishWord>, sentence_start: &mut bool| {
        if current.is_empty() {
            return;
        }
        let word = current.trim_matches('\'');
        let word = word.strip_suffix("'s").unwrap_or(word);
        if !word.is_empty() {
            let lower = word.to_lowercase();
            words.push(EnglishWord {
                lower: if lower.is_ascii() {
                    lower
                } else {
                    fold_accents(&lower)
                },
                capitalized: word.chars().next().is_some_and(char::is_uppercase),
                sentence_start: *sentence_start,
            });
            *sentence_start = false;
        }
        current.clear();
    };
    for c in undotted.chars() {
        // Latin script only: a stray 丨 must not glue itself to "Beijing".
        if c.is_ascii_alphanumeric() || c == '\'' || (c.is_alphabetic() && (c as u32) < 0x2000) {
            current.push(c);
        } else {
            flush(&mut current, &mut words, &mut sentence_start);
            if matches!(c, '.' | '!' | '?' | ':' | '"' | '(' | ';' | '-' | '|') {
                sentence_start = true;
            }
        }
    }
    flush(&mut current, &mut words, &mut sentence_start);
    words
}

fn unexplained_runs(
    words: &[EnglishWord],
    en_tokenizer: &EnTokenizer,
    source_targets: &[Rc<[Token]>],
    source: &str,
) -> Vec<UnexplainedRun> {
    // 安本·皮莱（Unben Pillay）: a spelling the source gives itself.
    let source_latin = fold_accents(&source.to_lowercase());
    // Few English words are capitalized: each is looked for among the targets, not
    // the targets gathered into sets first.
    let targets = || source_targets.iter().flat_map(|targets| targets.iter());
    let explained = |word: &EnglishWord| {
        if is_stopword(&word.lower)
            || word.lower.chars().all(|c| c.is_ascii_digit())
            || (word.sentence_start && !is_pinyin(&word.lower))
        {
            return true;
        }
        let stem = en_tokenizer.stem(&word.lower);
        let spelled = word.lower.replace('\'', "");
        targets().any(|t| match t.kind {
            TokenKind::Word => t.text == stem,
            TokenKind::Name => t.text == spelled,
            _ => false,
        })
    };
    let mut unexplained: Vec<UnexplainedRun> = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if !words[k].capitalized || explained(&words[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < words.len() && words[k].capitalized && !explained(&words[k]) {
            k += 1;
        }
        let run = &words[start..k];
        let letters: usize = run.iter().map(|w| w.lower.len()).sum();
        // "He" of "He Lifeng", "Mr": too short to be a name of its own.
        if letters < 4 {
            continue;
        }
        let pinyin = run
            .iter()
            .all(|w| is_pinyin(&w.lower) && !is_stopword(&w.lower));
        let mut first = start;
        while first > 0 && words[first - 1].capitalized {
            first -= 1;
        }
        let mut last = k;
        while last < words.len() && words[last].capitalized {
            last += 1;
        }
        unexplained.push(UnexplainedRun {
            words: run.iter().map(|w| w.lower.clone()).collect(),
            pinyin,
            pinyin_person: pinyin && run.len() >= 2,
            context: words[first..last].iter().map(|w| w.lower.clone()).collect(),
            span: start - first..k - first,
            given_by_source: run
                .iter()
                .all(|w| w.lower.len() >= 3 && source_latin.contains(w.lower.as_str())),
        });
    }
    unexplained
}

/// The tokens every word of the source may translate to, for telling which English
/// capitalized words the source explains.
fn source_targets(tagged: &[(&str, &str)]) -> Vec<Rc<[Token]>> {
    tagged
        .iter()
        .filter(|(w, _)| w.chars().any(tongwen_text::is_han))
        .map(|(word, _)| {
            remembered(&TARGETS_MEMO, TARGETS_MEMO_WORDS, word, || {
                translation_targets(
                    &Token {
                        kind: TokenKind::Word,
                        text: (*word).to_string(),
                    },
                    true,
                )
                .into()
            })
        })
        .collect()
}

/// A value that depends on a source word alone, remembered per thread, as running
/// text repeats its words; at `limit` words the memo starts afresh.
fn remembered<V: Clone>(
    memo: &'static std::thread::LocalKey<RefCell<FxHashMap<String, V>>>,
    limit: usize,
    word: &str,
    make: impl FnOnce() -> V,
) -> V {
    memo.with(|memo| {
        if let Some(known) = memo.borrow().get(word) {
            return known.clone();
        }
        let made = make();
        let mut memo = memo.borrow_mut();
        if memo.len() >= limit {
            memo.clear();
        }
        memo.insert(word.to_string(), made.clone());
        made
    })
}

/// How many source words' translation targets a thread remembers.
const TARGETS_MEMO_WORDS: usize = 50_000;

thread_local! {
    static TARGETS_MEMO: RefCell<FxHashMap<String, Rc<[Token]>>> =
        RefCell::new(FxHashMap::default());
}

/// What a source word offers the name rule whatever its tag and segment: looked up
/// once per word and thread, as running text repeats its names.
struct NameWord {
    /// The dictionary has it as a proper noun.
    proper: bool,
    /// The dictionary has it at all.
    known: bool,
    /// Pinyin and other spellings it may be written in, the full name first.
    keys: Vec<String>,
    /// Its dictionary renderings, as stem sequences.
    renderings: Vec<Vec<String>>,
}

impl NameWord {
    fn read(word: &str) -> NameWord {
        let entry = Lexicon::get().lookup(word);
        let name_keys = |text: &str| -> Vec<String> {
            translation_targets(
                &Token {
                    kind: TokenKind::Word,
                    text: text.to_string(),
                },
                false,
            )
            .into_iter()
            .filter(|t| t.kind == TokenKind::Name)
            .map(|t| t.text)
            .collect()
        };
        // The full name first, then the given name alone.
        let mut keys = name_keys(word);
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        // 南沙群岛 → Nansha Islands: the proper part of a place name in pinyin.
        if let Some(proper) = PLACE_SUFFIXES
            .iter()
            .find_map(|suffix| word.strip_suffix(suffix))
            .filter(|p| p.chars().count() >= 2)
        {
            keys.extend(name_keys(proper));
        }
        NameWord {
            proper: entry.as_ref().is_some_and(|e| e.proper),
            known: entry.is_some(),
            keys,
            renderings: dictionary_renderings(word),
        }
    }

    /// The word's name information, remembered per thread.
    fn of(word: &str) -> Rc<NameWord> {
        remembered(&NAME_WORDS_MEMO, NAME_WORDS_MEMO_WORDS, word, || {
            Rc::new(NameWord::read(word))
        })
    }
}

/// How many name-tagged words' information a thread remembers.
const NAME_WORDS_MEMO_WORDS: usize = 20_000;

thread_local! {
    static NAME_WORDS_MEMO: RefCell<FxHashMap<String, Rc<NameWord>>> =
        RefCell::new(FxHashMap::default());
}

/// Whether a jieba tag names a person.
fn is_person_tag(tag: &str) -> bool {
    matches!(tag, "nr" | "nrfg" | "nrt")
}

/// Whether a jieba tag names a person, place, organization or other proper noun.
fn is_name_tag(tag: &str) -> bool {
    is_person_tag(tag) || matches!(tag, "ns" | "nt" | "nz")
}

/// Why a source word counts as a name, if it does.
fn name_evidence(word: &str, tag: &str, info: &NameWord) -> Option<NameEvidence> {
    let person = is_person_tag(tag);
    // 美的 is only the Midea brand to the dictionary, and "beauty's" in text.
    if info.proper {
        return Some(NameEvidence::Dictionary);
    }
    let length = word.chars().count();
    if !info.known && person && surname_length(word).is_some_and(|s| length > s && length <= s + 2)
    {
        Some(NameEvidence::Tagged)
    } else {
        ((person || tag == "ns") && length <= 4).then_some(NameEvidence::TaggedOnly)
    }
}

/// Dictionary renderings of a name, as stem sequences: its gloss stems that name it
/// (not "province" or "north"), pairs of neighbouring gloss stems ("united nations",
/// "south china"), those of its people (中国人 → chines), and the acronyms of the
/// pairs (united kingdom → uk).
fn dictionary_renderings(word: &str) -> Vec<Vec<String>> {
    let lexicon = Lexicon::get();
    let mut renderings = Vec::new();
    for headword in [word.to_string(), format!("{word}人")] {
        let Some(entry) = lexicon.lookup(&headword) else {
            continue;
        };
        let stems: Vec<String> = entry.stems().map(fold_accents).collect();
        for width in [2, 3] {
            for run in stems.windows(width) {
                if width == 2 {
                    renderings.push(run.to_vec());
                }
                renderings.push(vec![run.iter().filter_map(|s| s.chars().next()).collect()]);
            }
        }
        renderings.extend(
            stems
                .iter()
                .filter(|s| !GENERIC_STEMS.contains(&s.as_str()))
                .map(|s| vec![s.clone()]),
        );
    }
    renderings
}

/// Endings that make a name's adjective, people or site (Pakistani, Korean,
/// Japanese, Xinhuanet, Geminid): a rendering followed by one is still the name.
const NAME_ENDINGS: &[&str] = &["", "s", "n", "an", "ian", "ese", "i", "ish", "net", "d"];

/// Whether the English holds a rendering: the stems in a row, or one stem as the
/// start of a word with a name ending after it, or a word of five letters or more
/// that starts the stem and is three letters shorter (Afghan of Afghanistan); a stem
/// ending in "a" with "ese" for it (Chinese of China, Viennese); a spelling with one
/// vowel more, as transliterations vary (Teheran of Tehran).
fn holds_rendering(english: &EnglishSide, rendering: &[String]) -> bool {
    if let [single] = rendering {
        if english.spelled.contains(single) {
            return true;
        }
        let one_vowel_more = |w: &str| {
            single.len() >= 5
                && w.len() == single.len() + 1
                && w.char_indices().any(|(k, c)| {
                    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
                        && single.get(..k) == w.get(..k)
                        && single.get(k..) == w.get(k + 1..)
                })
        };
        if english.words.iter().any(|w| {
            (single.len() >= 4
                && w.strip_prefix(single.as_str())
                    .is_some_and(|ending| NAME_ENDINGS.contains(&ending)))
                || (w.len() >= 5
                    && single
                        .strip_prefix(w.as_str())
                        .is_some_and(|ending| ending.len() >= 3 || NAME_ENDINGS.contains(&ending)))
                || (single.len() >= 4
                    && single
                        .strip_suffix('a')
                        .is_some_and(|root| w.strip_prefix(root) == Some("ese")))
                || one_vowel_more(w)
        }) {
            return true;
        }
    }
    !rendering.is_empty()
        && english
            .stems()
            .windows(rendering.len())
            .any(|w| w == rendering)
}

/// Similarity of two lowercase keys, 0 to 1.
fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b)
}

/// Their similarity if it reaches `threshold`. Lengths alone bound it (each letter
/// one is longer by is an edit), which spares most comparisons.
fn similarity_reaching(a: &str, b: &str, threshold: f64) -> Option<f64> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    if longest > 0 && 1.0 - (la.abs_diff(lb) as f64 / longest as f64) < threshold {
        return None;
    }
    Some(similarity(a, b)).filter(|score| *score >= threshold)
}

/// Names of the source the English lacks: a message and its evidence each.
pub(crate) fn check_names(
    tagged: &[(&str, &str)],
    zh: &str,
    en: &str,
    en_tokenizer: &EnTokenizer,
    covered_by_terms: impl Fn(&str) -> bool,
) -> Vec<(String, Evidence)> {
    // Read only when the source has a name to look for.
    let english_side = OnceCell::new();
    let read_english = || english_side.get_or_init(|| EnglishSide::read(en, en_tokenizer));
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (at, &(word, tag)) in tagged.iter().enumerate() {
        if word.chars().count() < 2 || !is_name_tag(tag) || seen.contains(&word) {
            continue;
        }
        seen.push(word);
        // 20日电 is cut 20 | 日电 (NEC to the dictionary): a date, not a name.
        let after_number = at > 0
            && tagged[at - 1]
                .0
                .ends_with(|c: char| c.is_ascii_digit() || "〇一二三四五六七八九十".contains(c));
        if after_number && word.starts_with(['日', '月', '年', '号']) {
            continue;
        }
        let info = NameWord::of(word);
        let Some(evidence) = name_evidence(word, tag, &info) else {
            continue;
        };
        if covered_by_terms(word) {
            continue;
        }
        let english = read_english();
        let (keys, renderings) = (&info.keys, &info.renderings);
        let place = tag == "ns";
        let rendered = keys.iter().any(|key| {
            english.spelled.contains(key)
                // The English has more of the name than jieba cut (陈凯|先 → Chen Kaixian).
                || (key.len() >= 4
                    && english.spelled.iter().any(|s| {
                        s.strip_prefix(key.as_str()).is_some_and(is_pinyin)
                    }))
                // A surname alone names the person after the first mention (Xi).
                || (!place && english.run_ends.iter().any(|s| s.len() >= 2 && key.starts_with(s.as_str())))
        }) || renderings.iter().any(|r| holds_rendering(english, r))
            // jieba may cut a name it does not know short (巴拉巴|克 → Balabac).
            || (evidence != NameEvidence::Dictionary
                && keys.iter().any(|key| {
                    english
                        .spelled
                        .iter()
                        .any(|s| s.strip_prefix(key.as_str()).is_some_and(|rest| rest.len() <= 2))
                }));
        if rendered {
            continue;
        }
        let expected: Vec<String> = keys.iter().take(1).map(|k| capitalize(k)).collect();
        let unexplained = english.unexplained(tagged, zh);
        let threshold = if evidence == NameEvidence::TaggedOnly {
            0.75
        } else {
            0.65
        };
        let closest = unexplained
            .iter()
            .filter(|run| !run.given_by_source)
            .flat_map(|run| {
                let spellings = run.candidate_spellings();
                keys.iter().flat_map(move |key| {
                    spellings
                        .iter()
                        .filter_map(|part| {
                            similarity_reaching(key, part, threshold)
                                .map(|score| (score, run, part.clone()))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        // Closer to the dictionary's English name than to the pinyin, it is that
        // name spelled another way (Dominique for 多米尼克 → Dominica).
        let english_name_similarity = |run: &UnexplainedRun| {
            let part = run.words.concat().replace('\'', "");
            renderings
                .iter()
                .filter_map(|r| r.first().filter(|_| r.len() == 1))
                .map(|r| similarity(r, &part))
                .fold(0.0, f64::max)
        };
        let misspelled = closest
            .filter(|(score, run, _)| english_name_similarity(run) <= *score)
            // With jieba's tag its only evidence, a near spelling that is pinyin too
            // (Sunning for 苏宁) is more likely another reading than a typing error.
            .filter(|(_, _, part)| evidence != NameEvidence::TaggedOnly || !is_pinyin(part))
            .map(|(_, run, _)| run);
        let report = misspelled.is_some()
            || match evidence {
                // A place swapped for another spells another pinyin name.
                NameEvidence::Dictionary => {
                    unexplained.iter().all(|r| r.pinyin)
                        || (place && unexplained.iter().any(|r| r.pinyin && r.words.len() == 1))
                }
                NameEvidence::Tagged => unexplained.iter().any(|r| r.pinyin_person),
                NameEvidence::TaggedOnly => false,
            };
        if !report {
            continue;
        }
        let shown_expected = if expected.is_empty() {
            renderings
                .iter()
                .take(1)
                .map(|r| capitalize(&r.join(" ")))
                .collect()
        } else {
            expected
        };
        let message = match misspelled {
            Some(run) => format!(
                "{word} ({}) is written {}",
                shown_expected.join(" / "),
                run.words
                    .iter()
                    .map(|w| capitalize(w))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => format!(
                "{word} ({}) is not in the English",
                shown_expected.join(" / ")
            ),
        };
        out.push((
            message,
            Evidence {
                source: word.to_string(),
                expected: shown_expected,
                found: misspelled
                    .map(|run| {
                        vec![run
                            .words
                            .iter()
                            .map(|w| capitalize(w))
                            .collect::<Vec<_>>()
                            .join(" ")]
                    })
                    .unwrap_or_default(),
            },
        ));
    }
    out
}

/// Latin letters without their accents (ürümqi → urumqi), as glosses and
/// translations spell names either way.
fn fold_accents(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ǎ' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ǐ' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ǒ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
