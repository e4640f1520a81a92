//! Numbers as English writes them: digits with separators (`2,000-3,000`, `10:30`,
//! `1/3`), number words (`forty-two`, `a million`, `3.5 billion`), ordinals (`20th`,
//! `second`), decades (`1990s`, `post-95s`), months and weekdays; codes (`COVID-19`,
//! `V12`, `5G`) and placeholders are not numbers.

use super::placeholders::{strip_placeholders, strip_urls};
use super::{
    parse_arabic, parse_english_number_word, Notation, NumberMention, NumberReading, NumberUnit,
};

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words before a hyphen that leave a number a number (`post-95s`, `top-10`).
const NUMBER_PREFIXES: &[&str] = &["post", "pre", "mid", "top", "over", "under", "about"];

/// Letters after digits that leave them a number: ordinals, decades, units.
const NUMBER_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "s", "km", "kg", "mg", "cm", "mm", "ml", "m", "g", "t", "gb", "mb",
    "tb", "kb", "kw", "kwh", "mw", "gw", "mah", "hz", "ghz", "mhz", "mph", "h", "hr", "hrs", "min",
    "am", "pm", "x", "ms",
];

/// The month a lowercase English word names (`oct`, `october`, `sept`). `may` and
/// `march` are months only when capitalized, as they are mostly a verb otherwise.
fn month_number(lower: &str, capitalized: bool) -> Option<usize> {
    if let Some(i) = MONTHS.iter().position(|m| *m == lower) {
        return (capitalized || !matches!(lower, "may" | "march")).then_some(i + 1);
    }
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| m.len() > 3 && &m[..3] == lower && !matches!(lower, "may" | "mar"))
        .map(|i| i + 1)
}

/// Splits text into runs of letters and digits, joined by inner `-`, `'`, `/`, `:`,
/// and by `.`/`,` between digits (`2,000.5`) or after single letters (`U.S.`).
fn runs(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let next = chars.get(j + 1).map(|n| n.1);
            let joins = match c {
                c if c.is_alphanumeric() => true,
                '-' | '\'' | '/' | ':' => next.is_some_and(char::is_alphanumeric),
                '.' | ',' => {
                    chars[j - 1].1.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit())
                }
                _ => false,
            };
            if !joins {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        out.push(&text[start..end]);
        i = j;
    }
    out
}

fn multiplier(lower: &str) -> Option<f64> {
    Some(match lower {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mln" => 1e6,
        "billion" | "bln" | "bn" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

/// Plural multipliers and other counts that name no value ("dozens of", "thousands").
fn is_vague_count(lower: &str) -> bool {
    matches!(
        lower,
        "dozens" | "hundreds" | "thousands" | "millions" | "billions" | "trillions" | "tens"
    )
}

/// A digit part with its ordinal, decade or unit suffix taken off: the number and
/// whether it was a decade (`1990s`). `None` when the letters make it a code (`5G`
/// keeps its `G`: a unit of one letter counts only in lowercase).
fn digits_with_suffix(part: &str) -> Option<(&str, bool)> {
    let split = part.find(|c: char| c.is_alphabetic()).unwrap_or(part.len());
    let (digits, suffix) = part.split_at(split);
    if suffix.is_empty() {
        return Some((digits, false));
    }
    // km/h, m/s: every piece a unit.
    if suffix.contains('/') {
        let units = suffix
            .split('/')
            .all(|u| NUMBER_SUFFIXES.contains(&u.to_ascii_lowercase().as_str()));
        return units.then_some((digits, false));
    }
    if suffix.chars().any(|c| !c.is_ascii_alphabetic()) {
        return None;
    }
    let lower = suffix.to_ascii_lowercase();
    if suffix.len() == 1 && suffix != lower && suffix != "S" {
        return None;
    }
    let decade = lower == "s" || lower == "'s";
    NUMBER_SUFFIXES
        .contains(&lower.as_str())
        .then_some((digits, decade))
}

/// The numbers and codes of English text.
pub fn english_numbers(text: &str) -> NumberReading {
    let without_urls = strip_urls(text);
    let text = strip_placeholders(&without_urls);
    let runs = runs(&text);
    let mut reading = NumberReading::default();
    // Every run lowercased into one buffer: text is mostly words that are no number.
    let mut lowered = String::with_capacity(text.len());
    let mut lower_spans = Vec::with_capacity(runs.len());
    for run in &runs {
        let start = lowered.len();
        if run.is_ascii() {
            lowered.push_str(run);
            lowered[start..].make_ascii_lowercase();
        } else {
            lowered.push_str(&run.to_lowercase());
        }
        lower_spans.push(start..lowered.len());
    }
    let lower_of = |k: usize| lower_spans.get(k).map(|span| &lowered[span.clone()]);
    let mut k = 0;
    while k < runs.len() {
        let run = runs[k];
        let next = lower_of(k + 1);
        let next_multiplier = next.and_then(multiplier);
        if !run.chars().any(|c| c.is_ascii_digit()) {
            let lower = &lowered[lower_spans[k].clone()];
            let lower = lower.strip_suffix("'s").unwrap_or(lower);
            let capitalized = run.chars().next().is_some_and(char::is_uppercase);
            if WEEKDAYS.contains(&lower) {
                reading.numbers.push(NumberMention::new(
                    run,
                    Vec::new(),
                    Notation::Words,
                    Some(NumberUnit::Weekday),
                ));
            } else if let Some(month) = month_number(lower, capitalized) {
                reading.numbers.push(NumberMention::new(
                    run,
                    vec![month as f64],
                    Notation::Words,
                    Some(NumberUnit::Month),
                ));
            } else if is_vague_count(lower) {
                let mut vague = NumberMention::new(run, Vec::new(), Notation::Words, None);
                vague.approximate = true;
                reading.numbers.push(vague);
            } else if let Some(factor) = multiplier(lower) {
                // "a million", "a hundred": the multiplier alone is one of it.
                let previous = k.checked_sub(1).and_then(lower_of);
                if matches!(previous, Some("a" | "an" | "one")) {
                    reading.numbers.push(NumberMention::new(
                        run,
                        vec![factor],
                        Notation::Words,
                        None,
                    ));
                }
            } else if let Some(value) = parse_english_number_word(lower).or_else(|| {
                // five-year-old, seven-day: the number word leads the compound.
                lower
                    .split_once('-')
                    .and_then(|(head, _)| parse_english_number_word(head))
            }) {
                let mut values = vec![value];
                if let Some(factor) = next_multiplier {
                    values.push(value * factor);
                    k += 1;
                }
                if lower == "dozen" {
                    values = vec![12.0];
                }
                reading
                    .numbers
                    .push(NumberMention::new(run, values, Notation::Words, None));
            }
            k += 1;
            continue;
        }
        read_digit_run(run, next_multiplier, &mut reading);
        if next_multiplier.is_some() {
            k += 1;
        }
        let percent =
            next == Some("percent") || (next == Some("per") && lower_of(k + 1) == Some("cent"));
        if percent {
            if let Some(last) = reading.numbers.last_mut() {
                last.unit = Some(NumberUnit::Percent);
            }
        }
        k += 1;
    }
    reading
}

/// One run holding digits: numbers joined by `-`, `/` or `:`, or a code.
fn read_digit_run(run: &str, next_multiplier: Option<f64>, reading: &mut NumberReading) {
    let parts: Vec<&str> = run.split('-').collect();
    let mut numbers = Vec::new();
    for (at, part) in parts.iter().enumerate() {
        if !part.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        // Letters right before the digits make a code: COVID-19, G-20, V12.
        let letters_before = part.starts_with(|c: char| c.is_alphabetic())
            || (at > 0
                && parts[at - 1].chars().all(char::is_alphabetic)
                && !NUMBER_PREFIXES.contains(&parts[at - 1].to_lowercase().as_str()));
        let Some((digits, decade)) = (!letters_before)
            .then(|| digits_with_suffix(part.trim_end_matches("'s")))
            .flatten()
        else {
            reading.codes.push(code_form(run));
            return;
        };
        let pieces: Vec<&str> = digits.split(['/', ':']).collect();
        for (index, piece) in pieces.iter().enumerate() {
            // 15:00 is the hour 15; its zero minutes are no number.
            if index > 0 && digits.contains(':') && piece.chars().all(|c| c == '0') {
                continue;
            }
            let Some(value) = parse_arabic(piece) else {
                reading.codes.push(code_form(run));
                return;
            };
            let mut values = vec![value];
            if decade && value >= 1000.0 {
                values.push(value % 100.0);
            }
            numbers.push(values);
        }
        if let [numerator, denominator] = pieces.as_slice() {
            if let (Some(n), Some(d)) = (parse_arabic(numerator), parse_arabic(denominator)) {
                if d != 0.0 && digits.contains('/') {
                    numbers.push(vec![n / d]);
                }
            }
        }
    }
    let count = numbers.len();
    for (at, mut values) in numbers.into_iter().enumerate() {
        // "3.5 million", "2-3 million": the multiplier belongs to the last number of
        // the run, and to a range's first number too.
        if let Some(factor) = next_multiplier {
            if at + 1 == count || count == 2 {
                let scaled: Vec<f64> = values.iter().map(|v| v * factor).collect();
                values.extend(scaled);
            }
        }
        let unit = run.ends_with('%').then_some(NumberUnit::Percent);
        reading
            .numbers
            .push(NumberMention::new(run, values, Notation::Digits, unit));
    }
}

/// A code's matching form: lowercase letters and digits only (`COVID-19` → `covid19`).
pub(crate) fn code_form(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<f64>> {
        english_numbers(text)
            .numbers
            .into_iter()
            .map(|m| m.values)
            .collect()
    }

    #[test]
    fn digits_words_and_multipliers() {
        assert_eq!(values("It rose 3.5 million"), [vec![3.5, 3_500_000.0]]);
        assert_eq!(
            values("prices of 2,000-3,000 yuan"),
            [vec![2000.0], vec![3000.0]]
        );
        assert_eq!(values("forty-two delegates"), [vec![42.0]]);
        assert_eq!(values("a million people"), [vec![1e6]]);
        assert_eq!(values("more than 5,000 students"), [vec![5000.0]]);
        assert_eq!(values("at 10:30"), [vec![10.0], vec![30.0]]);
        assert_eq!(values("the 2nd summit"), [vec![2.0]]);
        assert_eq!(values("Article 20"), [vec![20.0]]);
        assert_eq!(values("2-3 billion"), [vec![2.0, 2e9], vec![3.0, 3e9]]);
        assert_eq!(values("a dozen eggs"), [vec![12.0]]);
        assert_eq!(
            values("achieving 108.5 thousand tons"),
            [vec![108.5, 108_500.0]]
        );
        assert_eq!(values("a five-year-old child"), [vec![5.0]]);
        assert_eq!(values("from 0 to 100km/h"), [vec![0.0], vec![100.0]]);
        assert_eq!(values("at about 15:00 on"), [vec![15.0]]);
    }

    #[test]
    fn decades_and_generations() {
        assert_eq!(values("the post-95s"), [vec![95.0]]);
        assert_eq!(values("in the 1990s"), [vec![1990.0, 90.0]]);
    }

    #[test]
    fn codes_are_not_numbers() {
        for text in [
            "COVID-19 cases",
            "a V12 engine",
            "5G networks",
            "the G20",
            "Covid-19",
        ] {
            let reading = english_numbers(text);
            assert!(reading.numbers.is_empty(), "{text}: {:?}", reading.numbers);
            assert_eq!(reading.codes.len(), 1, "{text}");
        }
        assert_eq!(english_numbers("COVID-19").codes, ["covid19"]);
        assert_eq!(values("a 100km race and 3kg"), [vec![100.0], vec![3.0]]);
    }

    #[test]
    fn placeholders_are_not_numbers() {
        assert!(values("%1$s deleted %d of {0} files").is_empty());
        assert!(values("{count, plural, =1 {1 file} other {# files}}").is_empty());
    }

    #[test]
    fn months_weekdays_and_vague_counts() {
        let reading = english_numbers("On Sunday, Oct. 20, dozens of people may march.");
        let units: Vec<Option<NumberUnit>> = reading.numbers.iter().map(|m| m.unit).collect();
        assert_eq!(
            units,
            [
                Some(NumberUnit::Weekday),
                Some(NumberUnit::Month),
                None,
                None
            ]
        );
        assert!(reading.numbers[3].approximate);
        assert_eq!(values("in March"), [vec![3.0]]);
    }
}
