//! The term rules, against approved concepts indexed once: Chinese terms and linked
//! abbreviations in one Aho–Corasick automaton, English renderings by their first
//! stem, so that a segment costs what it holds, not the size of the termbase.
//!
//! From Chinese into English, a concept whose Chinese term is in the source needs one
//! of its preferred or admitted renderings in the English, and a deprecated rendering
//! is reported. From English into Chinese, a concept whose rendering is in the
//! English source needs one of its Chinese terms in the translation, and a deprecated
//! Chinese term is reported.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;
use tongwen_terms::termbase::{Concept, Term, TermStatus};
use tongwen_text::EnTokenizer;

use crate::{Direction, Evidence, Rule};

/// A rendering as written and as the stem sequence it is matched by.
#[derive(Debug, Clone)]
struct Rendering {
    text: String,
    stems: Vec<String>,
}

/// An approved concept as the checks use it.
#[derive(Debug, Clone)]
struct CheckedConcept {
    id: Option<i64>,
    /// Chinese terms that are not deprecated, longest first.
    zh: Vec<String>,
    /// Deprecated Chinese terms.
    zh_deprecated: Vec<String>,
    /// Preferred and admitted renderings.
    renderings: Vec<Rendering>,
    /// Deprecated renderings.
    deprecated: Vec<Rendering>,
}

/// What a Chinese pattern of the automaton stands for.
#[derive(Debug, Clone, Copy)]
enum ZhPattern {
    /// A term of a concept: the concept and the term's place among its terms.
    Term(usize, usize),
    /// A deprecated term of a concept.
    Deprecated(usize),
    /// An abbreviation the termbase links to its full form (index into `full_forms`).
    Abbreviation(usize),
}

/// Which rendering of which concept an English stem starts.
#[derive(Debug, Clone, Copy)]
enum EnPattern {
    Rendering(usize, usize),
    Deprecated(usize, usize),
}

/// What the automaton found in a Chinese text, read once per segment by every rule
/// that needs it.
#[derive(Default)]
pub(crate) struct ChineseHits {
    /// Terms found, as (concept, term) indices.
    terms: Vec<(usize, usize)>,
    /// Concepts with a term found, in termbase order (longest term first).
    concepts: Vec<usize>,
    /// Concepts with a deprecated Chinese term found.
    deprecated: Vec<usize>,
    /// Where terms, deprecated terms and abbreviations lie in the text.
    spans: Vec<Range<usize>>,
}

impl ChineseHits {
    /// Whether a word of the text lies inside an approved term or linked abbreviation
    /// it holds: the term rule judges it.
    pub(crate) fn covers(&self, zh: &str, word: &str) -> bool {
        self.spans
            .iter()
            .any(|span| zh.get(span.clone()).is_some_and(|term| term.contains(word)))
    }
}

/// Renderings found in an English text, as (concept, rendering) indices.
struct EnglishHits {
    renderings: Vec<(usize, usize)>,
    deprecated: Vec<(usize, usize)>,
}

/// One term finding before it is tied to its segment.
pub(crate) struct TermFinding {
    pub(crate) rule: Rule,
    pub(crate) message: String,
    pub(crate) evidence: Evidence,
    pub(crate) concept: Option<i64>,
}

/// The approved termbase, indexed for checking.
pub(crate) struct TermIndex {
    /// Longest first Chinese term first, so that a term inside a longer one is judged
    /// with it.
    concepts: Vec<CheckedConcept>,
    zh_automaton: Option<AhoCorasick>,
    zh_patterns: Vec<ZhPattern>,
    /// Full forms of linked abbreviations, with the concepts they belong to.
    full_forms: Vec<(String, String)>,
    /// First stem (one-stem renderings) or first two stems joined by a space →
    /// renderings starting with them.
    en_patterns: FxHashMap<String, Vec<EnPattern>>,
}

/// Lowercase stems of English text, hyphenated words split: the form renderings are
/// matched in.
pub(crate) fn stems(en: &EnTokenizer, text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            let lower = lower.strip_suffix("'s").unwrap_or(&lower);
            if lower.contains('\'') {
                en.stem(&lower.replace('\'', ""))
            } else {
                en.stem(lower)
            }
        })
        .collect()
}

/// The key a rendering is found by: its stem, or its first two stems.
fn pattern_key(stems: &[String]) -> String {
    match stems {
        [first, second, ..] => format!("{first} {second}"),
        [first] => first.clone(),
        [] => String::new(),
    }
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn is_abbreviation(term: &Term) -> bool {
    term.term_type.as_deref().is_some_and(|k| {
        k.eq_ignore_ascii_case("abbreviation")
            || k.eq_ignore_ascii_case("acronym")
            || k.eq_ignore_ascii_case("shortForm")
    })
}

impl TermIndex {
    pub(crate) fn new(concepts: &[(Option<i64>, Concept)], en: &EnTokenizer) -> TermIndex {
        let mut checked = Vec::new();
        let mut abbreviations: Vec<(String, String)> = Vec::new();
        for (id, concept) in concepts {
            let zh_of = |deprecated: bool| -> Vec<String> {
                concept
                    .terms("zh")
                    .filter(|t| (t.effective_status() == TermStatus::Deprecated) == deprecated)
                    .map(|t| tongwen_text::normalize(&t.text))
                    .filter(|t| !t.is_empty())
                    .collect()
            };
            let mut zh_terms = zh_of(false);
            zh_terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
            if let Some(full) = concept.headword("zh") {
                for term in concept.terms("zh").filter(|t| is_abbreviation(t)) {
                    if term.text != full.text {
                        abbreviations.push((
                            tongwen_text::normalize(&term.text),
                            tongwen_text::normalize(&full.text),
                        ));
                    }
                }
            }
            let renderings_of = |deprecated: bool| -> Vec<Rendering> {
                concept
                    .terms("en")
                    .filter(|t| (t.effective_status() == TermStatus::Deprecated) == deprecated)
                    .map(|t| Rendering {
                        text: t.text.clone(),
                        stems: stems(en, &t.text),
                    })
                    .filter(|r| !r.stems.is_empty())
                    .collect()
            };
            let renderings = renderings_of(false);
            let deprecated = renderings_of(true);
            if zh_terms.is_empty() || (renderings.is_empty() && deprecated.is_empty()) {
                continue;
            }
            checked.push(CheckedConcept {
                id: *id,
                zh: zh_terms,
                zh_deprecated: zh_of(true),
                renderings,
                deprecated,
            });
        }
        checked.sort_by_key(|c| std::cmp::Reverse(c.zh[0].chars().count()));
        abbreviations.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
        abbreviations.dedup();

        let mut zh_texts: Vec<&str> = Vec::new();
        let mut zh_patterns = Vec::new();
        let mut en_patterns: FxHashMap<String, Vec<EnPattern>> = FxHashMap::default();
        for (k, concept) in checked.iter().enumerate() {
            for (t, term) in concept.zh.iter().enumerate() {
                zh_texts.push(term);
                zh_patterns.push(ZhPattern::Term(k, t));
            }
            for term in &concept.zh_deprecated {
                zh_texts.push(term);
                zh_patterns.push(ZhPattern::Deprecated(k));
            }
            for (r, rendering) in concept.renderings.iter().enumerate() {
                en_patterns
                    .entry(pattern_key(&rendering.stems))
                    .or_default()
                    .push(EnPattern::Rendering(k, r));
            }
            for (r, rendering) in concept.deprecated.iter().enumerate() {
                en_patterns
                    .entry(pattern_key(&rendering.stems))
                    .or_default()
                    .push(EnPattern::Deprecated(k, r));
            }
        }
        for (a, (short, _)) in abbreviations.iter().enumerate() {
            zh_texts.push(short);
            zh_patterns.push(ZhPattern::Abbreviation(a));
        }
        let zh_automaton = (!zh_texts.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&zh_texts)
                    .ok()
            })
            .flatten();
        TermIndex {
            concepts: checked,
            zh_automaton,
            zh_patterns,
            full_forms: abbreviations,
            en_patterns,
        }
    }

    /// The Chinese terms the text holds, abbreviations read as their full forms too,
    /// and which concepts have a deprecated term in it.
    pub(crate) fn chinese_hits(&self, zh: &str) -> ChineseHits {
        let mut hits = ChineseHits::default();
        let Some(automaton) = &self.zh_automaton else {
            return hits;
        };
        let mut full_forms: Vec<&str> = Vec::new();
        for m in automaton.find_overlapping_iter(zh) {
            hits.spans.push(m.range());
            match self.zh_patterns[m.pattern().as_usize()] {
                ZhPattern::Term(k, t) => {
                    hits.terms.push((k, t));
                    hits.concepts.push(k);
                }
                ZhPattern::Deprecated(k) => hits.deprecated.push(k),
                ZhPattern::Abbreviation(a) => full_forms.push(&self.full_forms[a].1),
            }
        }
        // 国家级经开区 is read as 国家级经济技术开发区 too.
        for full in full_forms {
            for m in automaton.find_overlapping_iter(full) {
                if let ZhPattern::Term(k, t) = self.zh_patterns[m.pattern().as_usize()] {
                    hits.terms.push((k, t));
                    hits.concepts.push(k);
                }
            }
        }
        hits.concepts.sort_unstable();
        hits.concepts.dedup();
        hits
    }

    /// Renderings the English stems hold: preferred or admitted ones, and deprecated
    /// ones.
    fn english_hits(&self, en_stems: &[String]) -> EnglishHits {
        let mut renderings = Vec::new();
        let mut deprecated = Vec::new();
        let mut key = String::new();
        for (at, stem) in en_stems.iter().enumerate() {
            let single = self.en_patterns.get(stem);
            let pair = en_stems.get(at + 1).and_then(|next| {
                key.clear();
                key.push_str(stem);
                key.push(' ');
                key.push_str(next);
                self.en_patterns.get(&key)
            });
            for pattern in single.into_iter().chain(pair).flatten() {
                let (k, r, list, out) = match *pattern {
                    EnPattern::Rendering(k, r) => {
                        (k, r, &self.concepts[k].renderings, &mut renderings)
                    }
                    EnPattern::Deprecated(k, r) => {
                        (k, r, &self.concepts[k].deprecated, &mut deprecated)
                    }
                };
                if en_stems[at..].starts_with(&list[r].stems) && !out.contains(&(k, r)) {
                    out.push((k, r));
                }
            }
        }
        EnglishHits {
            renderings,
            deprecated,
        }
    }

    /// The term findings of one segment.
    pub(crate) fn check(
        &self,
        zh: &str,
        hits: &ChineseHits,
        en_stems: &[String],
        direction: Direction,
    ) -> Vec<TermFinding> {
        match direction {
            Direction::ZhToEn => self.check_into_english(hits, en_stems),
            Direction::EnToZh => self.check_into_chinese(zh, hits, en_stems),
        }
    }

    fn check_into_english(&self, hits: &ChineseHits, en_stems: &[String]) -> Vec<TermFinding> {
        let EnglishHits {
            renderings: rendered,
            deprecated: deprecated_used,
        } = self.english_hits(en_stems);
        let mut candidates: Vec<usize> = hits.concepts.clone();
        candidates.extend(deprecated_used.iter().map(|(k, _)| *k));
        candidates.sort_unstable();
        candidates.dedup();
        // Terms of the concepts already judged: a term inside one of them (经济技术开发区
        // inside 国家级经济技术开发区) was judged with it.
        let mut claimed: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for k in candidates {
            let concept = &self.concepts[k];
            let found = concept
                .zh
                .iter()
                .enumerate()
                .find(|(t, _)| hits.terms.contains(&(k, *t)))
                .map(|(_, term)| term)
                .filter(|term| !claimed.iter().any(|c| c.contains(term.as_str())));
            if found.is_some() {
                claimed.extend(concept.zh.iter().map(String::as_str));
            }
            let expected =
                || -> Vec<String> { concept.renderings.iter().map(|r| r.text.clone()).collect() };
            // "opening up" deprecated inside "high-standard opening up" preferred is fine.
            let deprecated: Vec<&Rendering> = deprecated_used
                .iter()
                .filter(|(c, _)| *c == k)
                .map(|(_, r)| &concept.deprecated[*r])
                .filter(|d| {
                    !concept.renderings.iter().any(|r| {
                        r.stems.len() > d.stems.len()
                            && contains_run(en_stems, &r.stems)
                            && contains_run(&r.stems, &d.stems)
                    })
                })
                .collect();
            if let Some(first) = deprecated.first() {
                out.push(TermFinding {
                    rule: Rule::DeprecatedTerm,
                    message: format!(
                        "deprecated rendering \"{}\" used{}",
                        first.text,
                        concept
                            .renderings
                            .first()
                            .map(|e| format!("; use \"{}\"", e.text))
                            .unwrap_or_default()
                    ),
                    evidence: Evidence {
                        source: found.cloned().unwrap_or_default(),
                        expected: expected(),
                        found: deprecated.iter().map(|d| d.text.clone()).collect(),
                    },
                    concept: concept.id,
                });
                continue;
            }
            let Some(term) = found else {
                continue;
            };
            if concept.renderings.is_empty() || rendered.iter().any(|(c, _)| *c == k) {
                continue;
            }
            out.push(TermFinding {
                rule: Rule::MissingTerm,
                message: format!(
                    "{term} is not rendered as \"{}\"",
                    concept.renderings[0].text
                ),
                evidence: Evidence {
                    source: term.clone(),
                    expected: expected(),
                    found: Vec::new(),
                },
                concept: concept.id,
            });
        }
        out
    }

    fn check_into_chinese(
        &self,
        zh: &str,
        hits: &ChineseHits,
        en_stems: &[String],
    ) -> Vec<TermFinding> {
        let rendered = self.english_hits(en_stems).renderings;
        let mut out = Vec::new();
        let mut judged: Vec<usize> = Vec::new();
        for (k, r) in rendered {
            if judged.contains(&k) {
                continue;
            }
            judged.push(k);
            let concept = &self.concepts[k];
            let source = concept.renderings[r].text.clone();
            if hits.deprecated.contains(&k) {
                let used: Vec<String> = concept
                    .zh_deprecated
                    .iter()
                    .filter(|t| zh.contains(t.as_str()))
                    .cloned()
                    .collect();
                out.push(TermFinding {
                    rule: Rule::DeprecatedTerm,
                    message: format!(
                        "deprecated Chinese term {} used; use {}",
                        used.first().map(String::as_str).unwrap_or_default(),
                        concept.zh[0]
                    ),
                    evidence: Evidence {
                        source,
                        expected: concept.zh.clone(),
                        found: used,
                    },
                    concept: concept.id,
                });
            } else if !hits.concepts.contains(&k) {
                out.push(TermFinding {
                    rule: Rule::MissingTerm,
                    message: format!("\"{source}\" is not rendered as {}", concept.zh[0]),
                    evidence: Evidence {
                        source,
                        expected: concept.zh.clone(),
                        found: Vec::new(),
                    },
                    concept: concept.id,
                });
            }
        }
        out
    }
}
