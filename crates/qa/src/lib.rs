//! Translation checks: holds an English translation to the approved termbase and to
//! its Chinese source, segment by segment.
//!
//! Rules ([`Rule`]):
//! - `missing-term`: an approved concept's Chinese term (or a linked abbreviation)
//!   is in the source, and none of its preferred or admitted renderings is in the
//!   English;
//! - `deprecated-term`: a deprecated rendering is used;
//! - `number-mismatch`: numbers, dates, percentages, amounts and codes that differ
//!   (40 ↔ 四十, 10月20日 ↔ Oct. 20, 3.5万 ↔ 35,000), with the leniencies of
//!   professional translation (the `numbers` module lists them);
//! - `name-mismatch`: a person or place in the source, with evidence that it is a
//!   name, whose name is not in the English or is misspelled there (the `names`
//!   module says what counts);
//! - `untranslated`: Chinese characters left in the English, or (translating into
//!   Chinese) the English source left as the translation;
//! - `empty-segment`: a segment with one side empty.
//!
//! English matching is tolerant where a translator is: case, hyphens and
//! inflection ("Opening-up" finds "opening up", "zones" finds "zone"). Chinese
//! matching expands the abbreviations the termbase links (国家级经开区 is read as
//! 国家级经济技术开发区 too).
//!
//! Pure: concepts and segments in, findings out.
#![warn(missing_docs)]

use serde::Serialize;
use tongwen_terms::termbase::{Concept, TermStatus};
use tongwen_text::{is_han, EnTokenizer, ZhTokenizer};

mod names;
mod numbers;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The approved rendering of a term in the source is missing.
    MissingTerm,
    /// A deprecated rendering is used.
    DeprecatedTerm,
    /// Numbers differ.
    NumberMismatch,
    /// A name differs or is missing.
    NameMismatch,
    /// Chinese left in the English.
    Untranslated,
    /// One side of the segment is empty.
    EmptySegment,
}

impl Rule {
    /// The rule's name as written in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::MissingTerm => "missing-term",
            Rule::DeprecatedTerm => "deprecated-term",
            Rule::NumberMismatch => "number-mismatch",
            Rule::NameMismatch => "name-mismatch",
            Rule::Untranslated => "untranslated",
            Rule::EmptySegment => "empty-segment",
        }
    }
}

/// Which way a segment was translated. The checks compare the Chinese with the
/// English either way; the direction says which side is the translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// From Chinese into English.
    #[default]
    ZhToEn,
    /// From English into Chinese (software localization: Angular, Xcode, Weblate).
    EnToZh,
}

/// One segment to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// How reports name it (XLIFF unit/segment id, TMX unit number, bead number).
    pub id: String,
    /// The Chinese side.
    pub zh: String,
    /// The English side.
    pub en: String,
    /// Which side is the translation.
    pub direction: Direction,
}

/// What was seen, for the reader of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Evidence {
    /// The part of the source concerned.
    pub source: String,
    /// What the English should contain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<String>,
    /// What the English contains instead, where known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
}

/// A problem found in a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The segment's id.
    pub segment: String,
    /// The rule.
    pub rule: Rule,
    /// A sentence saying what is wrong.
    pub message: String,
    /// What was seen.
    pub evidence: Evidence,
    /// The termbase concept concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<i64>,
}

/// An approved concept as the checks use it.
#[derive(Debug, Clone)]
struct CheckedConcept {
    id: Option<i64>,
    /// Chinese terms, longest first.
    zh: Vec<String>,
    /// Preferred and admitted renderings, as written and as stem sequences.
    renderings: Vec<(String, Vec<String>)>,
    /// Deprecated renderings.
    deprecated: Vec<(String, Vec<String>)>,
}

/// Checks segments against a termbase.
pub struct Checker<'t> {
    concepts: Vec<CheckedConcept>,
    /// (abbreviation, full form) pairs, for reading sources.
    abbreviations: Vec<(String, String)>,
    zh: &'t ZhTokenizer,
    en: &'t EnTokenizer,
}

/// Lowercase stems of English text, hyphenated words split: the form renderings are
/// matched in.
fn stems(en: &EnTokenizer, text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            let lower = lower.strip_suffix("'s").unwrap_or(&lower).replace('\'', "");
            en.stem(&lower)
        })
        .collect()
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

impl<'t> Checker<'t> {
    /// A checker for the given approved concepts (with their store ids when known).
    pub fn new(
        concepts: &[(Option<i64>, Concept)],
        zh: &'t ZhTokenizer,
        en: &'t EnTokenizer,
    ) -> Checker<'t> {
        let mut checked = Vec::new();
        let mut abbreviations = Vec::new();
        for (id, concept) in concepts {
            let mut zh_terms: Vec<String> = concept
                .terms("zh")
                .filter(|t| t.effective_status() != TermStatus::Deprecated)
                .map(|t| tongwen_text::normalize(&t.text))
                .filter(|t| !t.is_empty())
                .collect();
            zh_terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
            if let Some(full) = concept.headword("zh") {
                for term in concept.terms("zh") {
                    if term.term_type.as_deref().is_some_and(|k| {
                        k.eq_ignore_ascii_case("abbreviation")
                            || k.eq_ignore_ascii_case("acronym")
                            || k.eq_ignore_ascii_case("shortForm")
                    }) && term.text != full.text
                    {
                        abbreviations.push((
                            tongwen_text::normalize(&term.text),
                            tongwen_text::normalize(&full.text),
                        ));
                    }
                }
            }
            let rendering =
                |t: &tongwen_terms::termbase::Term| (t.text.clone(), stems(en, &t.text));
            let renderings: Vec<(String, Vec<String>)> = concept
                .terms("en")
                .filter(|t| t.effective_status() != TermStatus::Deprecated)
                .map(rendering)
                .filter(|(_, s)| !s.is_empty())
                .collect();
            let deprecated: Vec<(String, Vec<String>)> = concept
                .terms("en")
                .filter(|t| t.effective_status() == TermStatus::Deprecated)
                .map(rendering)
                .filter(|(_, s)| !s.is_empty())
                .collect();
            if zh_terms.is_empty() || (renderings.is_empty() && deprecated.is_empty()) {
                continue;
            }
            checked.push(CheckedConcept {
                id: *id,
                zh: zh_terms,
                renderings,
                deprecated,
            });
        }
        // Longer terms first, so that a term inside a longer one is judged with it.
        checked.sort_by_key(|c| std::cmp::Reverse(c.zh[0].chars().count()));
        abbreviations.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
        Checker {
            concepts: checked,
            abbreviations,
            zh,
            en,
        }
    }

    /// All findings of one segment.
    pub fn check(&self, segment: &Segment) -> Vec<Finding> {
        let zh = tongwen_text::normalize(&segment.zh);
        let en = tongwen_text::normalize(&segment.en);
        let finding =
            |rule: Rule, message: String, evidence: Evidence, concept: Option<i64>| Finding {
                segment: segment.id.clone(),
                rule,
                message,
                evidence,
                concept,
            };
        let (zh_empty, en_empty) = (zh.trim().is_empty(), en.trim().is_empty());
        if zh_empty || en_empty {
            if zh_empty && en_empty {
                return Vec::new();
            }
            let message = match (segment.direction, en_empty) {
                (Direction::ZhToEn, true) => "the English translation is empty",
                (Direction::ZhToEn, false) => "the Chinese source is empty",
                (Direction::EnToZh, true) => "the English source is empty",
                (Direction::EnToZh, false) => "the Chinese translation is empty",
            }
            .to_string();
            return vec![finding(
                Rule::EmptySegment,
                message,
                Evidence {
                    source: zh.clone(),
                    found: if en_empty {
                        Vec::new()
                    } else {
                        vec![en.clone()]
                    },
                    ..Evidence::default()
                },
                None,
            )];
        }
        let mut findings = Vec::new();
        let en_stems = stems(self.en, &en);
        findings.extend(
            self.check_terms(&zh, &en_stems).into_iter().map(
                |(rule, message, evidence, concept)| finding(rule, message, evidence, concept),
            ),
        );
        if let Some((message, evidence)) = numbers::check_numbers(self.zh, &zh, &en) {
            findings.push(finding(Rule::NumberMismatch, message, evidence, None));
        }
        let tagged = self.zh.tagged(&zh);
        let english = names::EnglishSide::read(&en, self.en, &names::source_targets(&tagged));
        let covered_by_terms = |word: &str| {
            // Names the termbase covers are held to the termbase by the term rule.
            self.concepts.iter().any(|c| {
                c.zh.iter()
                    .any(|t| t.contains(word) && zh.contains(t.as_str()))
            }) || self
                .abbreviations
                .iter()
                .any(|(short, _)| short.contains(word) && zh.contains(short.as_str()))
        };
        for (message, evidence) in names::check_names(self.zh, &zh, &english, covered_by_terms) {
            findings.push(finding(Rule::NameMismatch, message, evidence, None));
        }
        // Into Chinese, a translation left as the English source is untranslated.
        if segment.direction == Direction::EnToZh
            && zh == en
            && !zh.chars().any(is_han)
            && zh.chars().any(|c| c.is_alphabetic())
        {
            findings.push(finding(
                Rule::Untranslated,
                "the Chinese translation is the English source, untranslated".into(),
                Evidence {
                    source: en.clone(),
                    found: vec![zh.clone()],
                    ..Evidence::default()
                },
                None,
            ));
        }
        // 丨 is the stroke headlines use as a bar, in English too.
        let han: String = en
            .chars()
            .filter(|c| is_han(*c) && !matches!(c, '丨' | '丿' | '丶'))
            .collect();
        if !han.is_empty() {
            findings.push(finding(
                Rule::Untranslated,
                format!("Chinese characters left in the English: {han}"),
                Evidence {
                    source: zh.clone(),
                    found: vec![han],
                    ..Evidence::default()
                },
                None,
            ));
        }
        findings
    }

    fn check_terms(
        &self,
        zh: &str,
        en_stems: &[String],
    ) -> Vec<(Rule, String, Evidence, Option<i64>)> {
        let mut expanded = zh.to_string();
        for (short, full) in &self.abbreviations {
            if expanded.contains(short.as_str()) && !expanded.contains(full.as_str()) {
                expanded = expanded.replace(short.as_str(), full);
            }
        }
        // Terms of the concepts already judged: a term inside one of them (经济技术开发区
        // inside 国家级经济技术开发区) was judged with it.
        let mut claimed: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for concept in &self.concepts {
            let found = concept
                .zh
                .iter()
                .find(|term| zh.contains(term.as_str()) || expanded.contains(term.as_str()))
                .filter(|term| !claimed.iter().any(|c| c.contains(term.as_str())))
                .cloned();
            if found.is_some() {
                claimed.extend(concept.zh.iter().map(String::as_str));
            }
            let deprecated_used: Vec<&String> = concept
                .deprecated
                .iter()
                .filter(|(_, stems)| contains_run(en_stems, stems))
                // "opening up" deprecated inside "high-standard opening up" preferred is fine.
                .filter(|(_, stems)| {
                    !concept.renderings.iter().any(|(_, r)| {
                        r.len() > stems.len() && contains_run(en_stems, r) && contains_run(r, stems)
                    })
                })
                .map(|(text, _)| text)
                .collect();
            let expected: Vec<String> = concept.renderings.iter().map(|(t, _)| t.clone()).collect();
            if !deprecated_used.is_empty() {
                out.push((
                    Rule::DeprecatedTerm,
                    format!(
                        "deprecated rendering \"{}\" used{}",
                        deprecated_used[0],
                        expected
                            .first()
                            .map(|e| format!("; use \"{e}\""))
                            .unwrap_or_default()
                    ),
                    Evidence {
                        source: found.clone().unwrap_or_default(),
                        expected,
                        found: deprecated_used.iter().map(|s| (*s).clone()).collect(),
                    },
                    concept.id,
                ));
                continue;
            }
            let Some(term) = found else {
                continue;
            };
            if concept.renderings.is_empty()
                || concept
                    .renderings
                    .iter()
                    .any(|(_, stems)| contains_run(en_stems, stems))
            {
                continue;
            }
            out.push((
                Rule::MissingTerm,
                format!("{term} is not rendered as \"{}\"", expected[0]),
                Evidence {
                    source: term,
                    expected,
                    found: Vec::new(),
                },
                concept.id,
            ));
        }
        out
    }

}

#[cfg(test)]
mod tests;
