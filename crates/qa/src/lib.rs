//! Translation checks: holds an English translation to the approved termbase and to
//! its Chinese source, segment by segment.
//!
//! Rules ([`Rule`]):
//! - `missing-term`: an approved concept's Chinese term (or a linked abbreviation)
//!   is in the source, and none of its preferred or admitted renderings is in the
//!   English;
//! - `deprecated-term`: a deprecated rendering is used;
//! - `number-mismatch`: numbers, dates, percentages and amounts that differ (40 ↔
//!   四十, 10月20日 ↔ Oct. 20, 3.5万 ↔ 35,000);
//! - `name-mismatch`: a person or place in the source whose name is not in the
//!   English;
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
use tongwen_align::translation_targets;
use tongwen_terms::termbase::{Concept, TermStatus};
use tongwen_text::{is_han, parse_chinese_number, EnTokenizer, Token, TokenKind, ZhTokenizer};

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

/// 百分之五 → 5%: the percentage written in words, in the form the number rule reads.
fn percentages_as_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("百分之") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "百分之".len()..];
        let number: String = after
            .chars()
            .take_while(|c| "〇零一二两三四五六七八九十百千点.0123456789".contains(*c))
            .collect();
        let value = parse_chinese_number(&number.replace('点', "."))
            .or_else(|| parse_point_number(&number));
        match value {
            Some(v) => {
                out.push_str(&format!("{v}%"));
                rest = &after[number.len()..];
            }
            None => {
                out.push_str("百分之");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// 二〇二四 → 2024: years written digit by digit, which jieba cuts into single
/// characters.
fn digit_runs_as_arabic(text: &str) -> String {
    let digit = |c: char| "〇零一二三四五六七八九".find(c).map(|_| c);
    let value = |c: char| match c {
        '〇' | '零' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        _ => '9',
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    while k < chars.len() {
        let run = chars[k..]
            .iter()
            .take_while(|c| digit(**c).is_some())
            .count();
        // Three or more bare digits with a zero among them, or four, are digits of a
        // number, not a count (三五成群 is not 35).
        if run >= 4 || (run == 3 && chars[k..k + run].iter().any(|c| matches!(c, '〇' | '零'))) {
            out.extend(chars[k..k + run].iter().map(|c| value(*c)));
            k += run;
        } else {
            out.push(chars[k]);
            k += 1;
        }
    }
    out
}

/// 三点五 → 3.5.
fn parse_point_number(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('点')?;
    let whole = parse_chinese_number(whole)?;
    let digits: String = fraction
        .chars()
        .map(|c| parse_chinese_number(&c.to_string()).map(|d| d as u8))
        .collect::<Option<Vec<u8>>>()?
        .iter()
        .map(|d| char::from(b'0' + d % 10))
        .collect();
    format!("{whole}.{digits}").parse().ok()
}

/// Numbers of a token stream, each with the values it may stand for (3.5 followed
/// by 万 is 3.5 or 35000).
fn number_groups(tokens: &[Token]) -> Vec<Vec<f64>> {
    let values: Vec<Option<f64>> = tokens
        .iter()
        .map(|t| {
            (t.kind == TokenKind::Number)
                .then(|| t.text.parse::<f64>().ok())
                .flatten()
        })
        .collect();
    let mut groups: Vec<Vec<f64>> = Vec::new();
    let mut k = 0;
    while k < values.len() {
        if let Some(value) = values[k] {
            let mut group = vec![value];
            // The tokenizer writes a multiplied amount right after its number.
            if let Some(Some(next)) = values.get(k + 1) {
                let ratio = next / value;
                if value != 0.0
                    && [1e2, 1e3, 1e4, 1e6, 1e8, 1e9]
                        .iter()
                        .any(|f| (ratio - f).abs() < 1e-6 * f)
                {
                    group.push(*next);
                    k += 1;
                }
            }
            groups.push(group);
        }
        k += 1;
    }
    groups
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

fn show(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
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
        let en_tokens = self.en.tokenize(&en);
        if let Some((message, evidence)) = self.check_numbers(&zh, &en, &en_tokens) {
            findings.push(finding(Rule::NumberMismatch, message, evidence, None));
        }
        for (message, evidence) in self.check_names(&zh, &en, &en_tokens, &en_stems) {
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
        let han: String = en.chars().filter(|c| is_han(*c)).collect();
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

    fn check_numbers(&self, zh: &str, en: &str, en_tokens: &[Token]) -> Option<(String, Evidence)> {
        let zh_groups = number_groups(
            &self
                .zh
                .tokenize(&digit_runs_as_arabic(&percentages_as_digits(zh))),
        );
        let en_groups = number_groups(en_tokens);
        let mut used = vec![false; en_groups.len()];
        let mut missing = Vec::new();
        for group in &zh_groups {
            let matched = en_groups.iter().enumerate().find(|(k, other)| {
                !used[*k] && group.iter().any(|a| other.iter().any(|b| same(*a, *b)))
            });
            match matched {
                Some((k, _)) => used[k] = true,
                None => missing.push(show(*group.last().unwrap_or(&0.0))),
            }
        }
        // English numbers the source lacks: only those written in digits count, as
        // words such as "one" or "second" are often not numbers at all.
        let digit_words: Vec<f64> = en
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .filter_map(|w| {
                w.trim_matches(|c| c == '.' || c == ',')
                    .replace(',', "")
                    .parse::<f64>()
                    .ok()
            })
            .collect();
        let extra: Vec<String> = en_groups
            .iter()
            .enumerate()
            .filter(|(k, group)| {
                !used[*k]
                    && group
                        .iter()
                        .any(|v| digit_words.iter().any(|d| same(*d, *v)))
            })
            .filter(|(_, group)| {
                !zh_groups
                    .iter()
                    .any(|z| z.iter().any(|a| group.iter().any(|b| same(*a, *b))))
            })
            .map(|(_, group)| show(*group.last().unwrap_or(&0.0)))
            .collect();
        if missing.is_empty() && extra.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("{} not in the English", missing.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("{} not in the Chinese", extra.join(", ")));
        }
        Some((
            format!("numbers differ: {}", parts.join("; ")),
            Evidence {
                source: zh.to_string(),
                expected: missing,
                found: extra,
            },
        ))
    }

    fn check_names(
        &self,
        zh: &str,
        en: &str,
        en_tokens: &[Token],
        en_stems: &[String],
    ) -> Vec<(String, Evidence)> {
        // Runs of capitalized words, concatenated and lowercase: "He Lifeng" → helifeng.
        let words: Vec<&str> = en
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let capitalized = |k: usize| {
            words
                .get(k)
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        };
        let mut spelled: Vec<String> = Vec::new();
        // Runs that end where the capitalized words end ("Xi" of "President Xi").
        let mut run_ends: Vec<String> = Vec::new();
        for start in 0..words.len() {
            let mut run = String::new();
            for (k, word) in words.iter().enumerate().skip(start).take(4) {
                if !capitalized(k) {
                    break;
                }
                run.push_str(&word.to_lowercase());
                spelled.push(run.clone());
                if !capitalized(k + 1) {
                    run_ends.push(run.clone());
                }
            }
        }
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (word, tag) in self.zh.tagged(zh) {
            if !matches!(tag, "nr" | "ns" | "nrfg" | "nrt")
                || word.chars().count() < 2
                || seen.contains(&word)
            {
                continue;
            }
            seen.push(word);
            // Names the termbase covers are held to the termbase by the term rule.
            if self.concepts.iter().any(|c| {
                c.zh.iter()
                    .any(|t| t.contains(word) && zh.contains(t.as_str()))
            }) || self
                .abbreviations
                .iter()
                .any(|(short, _)| short.contains(word) && zh.contains(short.as_str()))
            {
                continue;
            }
            let targets = translation_targets(
                &Token {
                    kind: TokenKind::Word,
                    text: word.to_string(),
                },
                false,
            );
            let names: Vec<&Token> = targets
                .iter()
                .filter(|t| t.kind == TokenKind::Name)
                .collect();
            if names.is_empty() {
                continue;
            }
            let present = targets.iter().any(|t| {
                en_tokens.contains(t)
                    || (t.kind == TokenKind::Name && spelled.iter().any(|s| s == &t.text))
                    // A surname alone names the person after the first mention (Xi).
                    || (t.kind == TokenKind::Name && tag != "ns" && run_ends.iter().any(|s| s.len() >= 2 && t.text.starts_with(s.as_str())))
                    || (t.kind == TokenKind::Word && en_stems.contains(&t.text))
            });
            if present {
                continue;
            }
            let expected: Vec<String> = names.iter().map(|t| capitalize(&t.text)).collect();
            out.push((
                format!("{word} ({}) is not in the English", expected.join(" / ")),
                Evidence {
                    source: word.to_string(),
                    expected,
                    found: Vec::new(),
                },
            ));
        }
        out
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
