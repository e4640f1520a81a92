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
//! Each finding has a [`Severity`] (its rule's default, lowered where the evidence is
//! weaker: English figures the Chinese lacks, names the English may render its own
//! way), a [`Place`] saying where its segment is, and an id that stays the same for
//! the same rule on the same text, by which it can be dismissed.
//!
//! English matching is tolerant where a translator is: case, hyphens and
//! inflection ("Opening-up" finds "opening up", "zones" finds "zone"). Chinese
//! matching expands the abbreviations the termbase links (国家级经开区 is read as
//! 国家级经济技术开发区 too).
//!
//! Pure: concepts and segments in, findings out.
#![warn(missing_docs)]

use serde::{Deserialize, Serialize};
use tongwen_terms::termbase::Concept;
use tongwen_text::{is_han, EnTokenizer, ZhTokenizer};

mod names;
mod numbers;
mod terms;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// Chinese left in the English, or the English source left as the Chinese.
    Untranslated,
    /// One side of the segment is empty.
    EmptySegment,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 6] = [
        Rule::MissingTerm,
        Rule::DeprecatedTerm,
        Rule::NumberMismatch,
        Rule::NameMismatch,
        Rule::Untranslated,
        Rule::EmptySegment,
    ];

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

    /// The rule a report name stands for.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// How serious a finding of this rule is unless its evidence says otherwise:
    /// a wrong or missing approved term, a changed figure, text left untranslated
    /// or empty are errors; a name is a warning, as translations may render a name
    /// in a way no dictionary knows.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::NameMismatch => Severity::Warning,
            Rule::MissingTerm
            | Rule::DeprecatedTerm
            | Rule::NumberMismatch
            | Rule::Untranslated
            | Rule::EmptySegment => Severity::Error,
        }
    }
}

/// How serious a finding is, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth a look; often a translator's choice.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong.
    Error,
}

impl Severity {
    /// The name as written in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which way a segment was translated. The checks compare the Chinese with the
/// English either way; the direction says which side is the translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// From Chinese into English.
    #[default]
    ZhToEn,
    /// From English into Chinese (software localization: Angular, Xcode, Weblate).
    EnToZh,
}

/// Lines of a plain text, 1-based, first to last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineSpan {
    /// First line.
    pub first: usize,
    /// Last line.
    pub last: usize,
}

/// Where a segment is, in the terms of its format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Place {
    /// An XLIFF unit or segment: its id (`u7`, `u7/2`, `f2/u7/2` when the document has
    /// several files) and the line of its unit.
    XliffUnit {
        /// Unit id, with segment and file ids where they are needed.
        id: String,
        /// 1-based line of the unit in the file.
        line: usize,
    },
    /// A TMX translation unit: its number in the file, its `tuid` if any, and line.
    TmxUnit {
        /// 1-based number among the file's units.
        number: usize,
        /// The unit's `tuid`.
        #[serde(skip_serializing_if = "Option::is_none")]
        tuid: Option<String>,
        /// 1-based line of the unit in the file.
        line: usize,
    },
    /// Sentences of a Chinese and an English plain text aligned by Tongwen, by the
    /// lines they are on (none on a side the bead leaves empty).
    Lines {
        /// Lines of the Chinese text.
        #[serde(skip_serializing_if = "Option::is_none")]
        zh: Option<LineSpan>,
        /// Lines of the English text.
        #[serde(skip_serializing_if = "Option::is_none")]
        en: Option<LineSpan>,
    },
    /// A segment known by a name alone (given through the API or a test).
    Named {
        /// The name.
        id: String,
    },
}

impl Place {
    /// How a report names the place in one short label: `u7/2`, `TU 3` (or the
    /// tuid), `zh 4-5 / en 6`.
    pub fn label(&self) -> String {
        let lines = |span: &Option<LineSpan>| match span {
            None => "-".to_string(),
            Some(s) if s.first == s.last => s.first.to_string(),
            Some(s) => format!("{}-{}", s.first, s.last),
        };
        match self {
            Place::XliffUnit { id, .. } | Place::Named { id } => id.clone(),
            Place::TmxUnit {
                tuid: Some(tuid), ..
            } => tuid.clone(),
            Place::TmxUnit { number, .. } => format!("TU {number}"),
            Place::Lines { zh, en } => format!("zh {} / en {}", lines(zh), lines(en)),
        }
    }
}

/// One segment to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Where it is.
    pub place: Place,
    /// The Chinese side.
    pub zh: String,
    /// The English side.
    pub en: String,
    /// Which side is the translation.
    pub direction: Direction,
}

impl Segment {
    /// A segment named `id`, translated from Chinese into English.
    pub fn named(id: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Segment {
        Segment {
            place: Place::Named { id: id.into() },
            zh: zh.into(),
            en: en.into(),
            direction: Direction::ZhToEn,
        }
    }
}

/// What was seen, for the reader of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Evidence {
    /// The part of the source concerned.
    pub source: String,
    /// What the translation should contain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<String>,
    /// What the translation contains instead, where known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
}

/// A problem found in a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stays the same for the same rule on the same Chinese and English text: what a
    /// dismissal names.
    pub id: String,
    /// The segment's label ([`Place::label`]).
    pub segment: String,
    /// Where the segment is.
    pub place: Place,
    /// The rule.
    pub rule: Rule,
    /// How serious it is.
    pub severity: Severity,
    /// A sentence saying what is wrong.
    pub message: String,
    /// What was seen.
    pub evidence: Evidence,
    /// The termbase concept concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<i64>,
}

/// The id of a finding of `rule` on a segment's text: 16 hex digits of a BLAKE3 hash
/// over the rule and the normalized texts, so that a changed segment gets new ids.
pub fn finding_id(rule: Rule, zh: &str, en: &str) -> String {
    id_of_normalized(
        rule,
        &tongwen_text::normalize(zh),
        &tongwen_text::normalize(en),
    )
}

fn id_of_normalized(rule: Rule, zh: &str, en: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in [rule.name(), zh, en] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Checks segments against a termbase.
pub struct Checker<'t> {
    terms: terms::TermIndex,
    zh: &'t ZhTokenizer,
    en: &'t EnTokenizer,
}

impl<'t> Checker<'t> {
    /// A checker for the given approved concepts (with their store ids when known).
    pub fn new(
        concepts: &[(Option<i64>, Concept)],
        zh: &'t ZhTokenizer,
        en: &'t EnTokenizer,
    ) -> Checker<'t> {
        Checker {
            terms: terms::TermIndex::new(concepts, en),
            zh,
            en,
        }
    }

    /// All findings of one segment.
    pub fn check(&self, segment: &Segment) -> Vec<Finding> {
        let zh = tongwen_text::normalize(&segment.zh);
        let en = tongwen_text::normalize(&segment.en);
        let label = segment.place.label();
        // A segment's findings of one rule share their id: hashed once.
        let ids: std::cell::RefCell<Vec<(Rule, String)>> = std::cell::RefCell::default();
        let id_of = |rule: Rule| {
            let mut ids = ids.borrow_mut();
            if let Some((_, id)) = ids.iter().find(|(r, _)| *r == rule) {
                return id.clone();
            }
            let id = id_of_normalized(rule, &zh, &en);
            ids.push((rule, id.clone()));
            id
        };
        let finding = |rule: Rule,
                       severity: Severity,
                       message: String,
                       evidence: Evidence,
                       concept: Option<i64>| Finding {
            id: id_of(rule),
            segment: label.clone(),
            place: segment.place.clone(),
            rule,
            severity,
            message,
            evidence,
            concept,
        };
        let (zh_empty, en_empty) = (zh.trim().is_empty(), en.trim().is_empty());
        if zh_empty || en_empty {
            if zh_empty && en_empty {
                return Vec::new();
            }
            let (source_empty, message) = match (segment.direction, en_empty) {
                (Direction::ZhToEn, true) => (false, "the English translation is empty"),
                (Direction::ZhToEn, false) => (true, "the Chinese source is empty"),
                (Direction::EnToZh, true) => (true, "the English source is empty"),
                (Direction::EnToZh, false) => (false, "the Chinese translation is empty"),
            };
            let source = if en_empty { zh.clone() } else { en.clone() };
            // A translation with no source is odd, but nothing was left out.
            let severity = if source_empty {
                Severity::Warning
            } else {
                Severity::Error
            };
            return vec![finding(
                Rule::EmptySegment,
                severity,
                message.to_string(),
                Evidence {
                    source: if source_empty {
                        String::new()
                    } else {
                        source.clone()
                    },
                    found: if source_empty {
                        vec![source]
                    } else {
                        Vec::new()
                    },
                    ..Evidence::default()
                },
                None,
            )];
        }
        let mut findings = Vec::new();
        let en_stems = terms::stems(self.en, &en);
        let term_hits = self.terms.chinese_hits(&zh);
        for term in self
            .terms
            .check(&zh, &term_hits, &en_stems, segment.direction)
        {
            findings.push(finding(
                term.rule,
                term.rule.default_severity(),
                term.message,
                term.evidence,
                term.concept,
            ));
        }
        let tagged = self.zh.tagged(&zh);
        let words: Vec<&str> = tagged.iter().map(|(w, _)| *w).collect();
        if let Some(numbers) =
            numbers::check_numbers(self.zh.numbers_of_words(&zh, &words), &zh, &en)
        {
            // Figures only the English has are mostly the translator making explicit
            // what the Chinese leaves implicit (the 19th Central Committee).
            let severity = if numbers.evidence.expected.is_empty() {
                Severity::Warning
            } else {
                Severity::Error
            };
            findings.push(finding(
                Rule::NumberMismatch,
                severity,
                numbers.message,
                numbers.evidence,
                None,
            ));
        }
        let covered_by_terms = |word: &str| term_hits.covers(&zh, word);
        for (message, evidence) in names::check_names(&tagged, &zh, &en, self.en, covered_by_terms)
        {
            findings.push(finding(
                Rule::NameMismatch,
                Rule::NameMismatch.default_severity(),
                message,
                evidence,
                None,
            ));
        }
        // Into Chinese, a translation left as the English source is untranslated.
        if segment.direction == Direction::EnToZh
            && zh == en
            && !zh.chars().any(is_han)
            && zh.chars().any(|c| c.is_alphabetic())
        {
            findings.push(finding(
                Rule::Untranslated,
                Severity::Error,
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
                Severity::Error,
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
}

#[cfg(test)]
mod tests;
