//! The number rule: every figure of the Chinese is in the English and every figure
//! the English writes in digits is in the Chinese, read by the numeral reader of
//! `tongwen-text` in all their notations.
//!
//! What is not held against a translation, because professional translations do it:
//! small counts and dictionary words written in Chinese numerals rendered without a
//! number (一个 "a", 两国 "both countries", 百年 "a century"); estimates (五千多
//! "over 5,000", 几十 "dozens"); a lone digit 1 ("a", "each", "once"); a day of the
//! month given as a weekday (20日 → "on Sunday", Xinhua's house style); an hour on
//! the 12-hour clock (15时 → "3 p.m.");
//! the same figure written twice on one side and once on the other. Codes (`V12`,
//! `5G`) are carried over as they are; English codes the Chinese writes in words
//! (COVID-19 for 新冠) are not reported.

use tongwen_text::{english_numbers, Notation, NumberMention, NumberReading, NumberUnit};

use crate::Evidence;

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

/// How a mention is shown: as written, with its value when that differs.
fn shown(mention: &NumberMention) -> String {
    match mention.values.first() {
        Some(value) if show(*value) != mention.text => {
            format!("{} ({})", mention.text, show(*value))
        }
        _ => mention.text.clone(),
    }
}

/// Whether a Chinese figure must be found in the English.
fn must_be_rendered(mention: &NumberMention) -> bool {
    if mention.approximate || mention.values.is_empty() {
        return false;
    }
    match mention.notation {
        // A lone 1 is as often "a", "each" or "once" as "one".
        Notation::Digits => !mention.values.iter().all(|v| same(*v, 1.0)),
        // A percentage is a figure however small (百分之五); a small count is not.
        Notation::Words => {
            !mention.in_dictionary
                && (mention.values.iter().any(|v| *v >= 10.0)
                    || mention.unit == Some(NumberUnit::Percent))
        }
    }
}

/// Whether `value` of a mention with `unit` is among `others`, read the way the
/// other language may write it.
fn rendered_among(
    value: f64,
    unit: Option<NumberUnit>,
    others: &[(f64, Option<NumberUnit>)],
) -> bool {
    let is = |u: Option<NumberUnit>, wanted: NumberUnit| u == Some(wanted);
    others.iter().any(|(other, other_unit)| {
        same(value, *other)
            || ((is(unit, NumberUnit::Hour) || is(*other_unit, NumberUnit::Hour))
                && (same(value, other + 12.0) || same(value + 12.0, *other)))
            // 20世纪 ↔ the 1980s.
            || (is(unit, NumberUnit::Century) && in_century(*other, value))
            || (is(*other_unit, NumberUnit::Century) && in_century(value, *other))
    })
}

/// Whether `year` falls in the `century`-th century (1980 in the 20th).
fn in_century(year: f64, century: f64) -> bool {
    year >= 1000.0 && ((year / 100.0).floor() + 1.0 - century).abs() < 0.5
}

/// The digit groups of codes (`rescue2021` → 2021), as numbers.
fn code_numbers(codes: &[String]) -> Vec<(f64, Option<NumberUnit>)> {
    codes
        .iter()
        .flat_map(|code| {
            code.split(|c: char| !c.is_ascii_digit())
                .filter_map(|d| d.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .map(|v| (v, None))
        .collect()
}

fn values_of(reading: &NumberReading) -> Vec<(f64, Option<NumberUnit>)> {
    reading
        .numbers
        .iter()
        .flat_map(|m| m.values.iter().map(move |v| (*v, m.unit)))
        .collect()
}

/// Numbers that differ in a segment.
pub(crate) struct NumberFinding {
    pub(crate) message: String,
    /// `expected`: figures of the Chinese the English lacks; `found`: figures the
    /// English writes in digits that the Chinese lacks.
    pub(crate) evidence: Evidence,
}

/// The numbers of a segment that differ, if any.
pub(crate) fn check_numbers(
    zh_reading: NumberReading,
    zh: &str,
    en: &str,
) -> Option<NumberFinding> {
    let en_reading = english_numbers(en);
    let mut zh_values = values_of(&zh_reading);
    zh_values.extend(code_numbers(&zh_reading.codes));
    let mut en_values = values_of(&en_reading);
    // Peaceful Rescue-2021: the year inside an English code is still the year.
    en_values.extend(code_numbers(&en_reading.codes));
    let en_has_weekday = en_reading
        .numbers
        .iter()
        .any(|m| m.unit == Some(NumberUnit::Weekday));
    let en_letters_and_digits: String = en
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();

    let mut missing: Vec<String> = Vec::new();
    let mut missing_values: Vec<f64> = Vec::new();
    for mention in zh_reading.numbers.iter().filter(|m| must_be_rendered(m)) {
        let rendered = mention
            .values
            .iter()
            .any(|v| rendered_among(*v, mention.unit, &en_values))
            || (mention.unit == Some(NumberUnit::DayOfMonth) && en_has_weekday);
        let value = mention.values[0];
        if !rendered && !missing_values.iter().any(|v| same(*v, value)) {
            missing_values.push(value);
            missing.push(shown(mention));
        }
    }
    for code in &zh_reading.codes {
        if !en_letters_and_digits.contains(code.as_str()) && !missing.contains(code) {
            missing.push(code.clone());
        }
    }
    let mut extra: Vec<String> = Vec::new();
    let mut extra_values: Vec<f64> = Vec::new();
    for mention in en_reading
        .numbers
        .iter()
        .filter(|m| m.notation == Notation::Digits && !m.approximate)
    {
        let in_chinese = mention
            .values
            .iter()
            .any(|v| rendered_among(*v, mention.unit, &zh_values));
        let value = mention.values[0];
        if !in_chinese && !extra_values.iter().any(|v| same(*v, value)) {
            extra_values.push(value);
            extra.push(mention.text.clone());
        }
    }
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
    Some(NumberFinding {
        message: format!("numbers differ: {}", parts.join("; ")),
        evidence: Evidence {
            source: zh.to_string(),
            expected: missing,
            found: extra,
        },
    })
}
