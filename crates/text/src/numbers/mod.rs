//! The numeral reader shared by alignment and the checks: the numbers of a Chinese
//! or English text, in every notation news and software write them (the `zh` and
//! `en` modules list them), as [`NumberMention`]s with the values each may stand
//! for; codes (`COVID-19`, `V12`) and placeholders (`%1$s`, `{0}`) kept apart.
//! Below them, the values of single numerals: Chinese (四十, 一百二十三, 3.5万,
//! 二〇二四) and English number words (forty, twenty-one, twentieth).

use serde::Serialize;

mod en;
mod placeholders;
mod zh;

pub use en::english_numbers;
pub use placeholders::{strip_placeholders, strip_urls};
pub use zh::{chinese_numbers, digit_runs_as_arabic};

/// How a number was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Notation {
    /// In Arabic digits (`40`, `3.5万`).
    Digits,
    /// In words or Chinese numerals (`forty`, `四十`, `October`).
    Words,
}

/// What a number counts, where it changes how it may be rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberUnit {
    /// A percentage (`5%`, `百分之五`, `5 percent`).
    Percent,
    /// A calendar year (`2024年`).
    Year,
    /// A month (`10月`, `October`).
    Month,
    /// A day of the month (`20日`), which news English may give as a weekday.
    DayOfMonth,
    /// An hour of the clock (`15时`), which English may give on a 12-hour clock.
    Hour,
    /// A weekday (`Sunday`): no value, but it may stand for a day of the month.
    Weekday,
    /// A century (`20世纪`), which English may give by its years (the 1980s).
    Century,
}

/// One number in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberMention {
    /// The word or words it was read from.
    pub text: String,
    /// The values it may stand for (`3.5 million` is 3.5 or 3,500,000; `七八十` is 70
    /// or 80); empty for counts with no value (`dozens`).
    pub values: Vec<f64>,
    /// Digits or words.
    pub notation: Notation,
    /// What it counts, where that matters.
    pub unit: Option<NumberUnit>,
    /// An estimate (`五千多` "over 5,000", `几十` "dozens"), not an exact figure.
    pub approximate: bool,
    /// The numeral is part of a dictionary word (百年 "century", 三思 "think twice"),
    /// which translations often render without a number.
    pub in_dictionary: bool,
}

impl NumberMention {
    fn new(
        text: &str,
        values: Vec<f64>,
        notation: Notation,
        unit: Option<NumberUnit>,
    ) -> NumberMention {
        NumberMention {
            text: text.to_string(),
            values,
            notation,
            unit,
            approximate: false,
            in_dictionary: false,
        }
    }
}

/// The numbers and codes of one text.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NumberReading {
    /// Numbers, in text order.
    pub numbers: Vec<NumberMention>,
    /// Letters and digits run together (`covid19`, `v12`, `5g`), lowercase, letters
    /// and digits only: a translation carries them over as they are.
    pub codes: Vec<String>,
}

/// The value of a Chinese number written with Chinese numerals, Arabic digits or a mix
/// of both with 万/亿 multipliers. Returns `None` unless the whole string is a number.
pub fn parse_chinese_number(text: &str) -> Option<f64> {
    let text = text.strip_prefix('第').unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    if let Some(value) = parse_arabic(text) {
        return Some(value);
    }
    // Digit-by-digit years: 二〇二四.
    if text.chars().count() >= 2
        && text.chars().all(|c| digit_value(c).is_some())
        && text.contains(['〇', '零'])
    {
        return text
            .chars()
            .try_fold(0f64, |acc, c| Some(acc * 10.0 + f64::from(digit_value(c)?)));
    }
    let mut total = 0f64;
    let mut section = 0f64;
    let mut number: Option<f64> = None;
    let mut chars = text.char_indices().peekable();
    let mut saw_any = false;
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            let end = text[i..]
                .find(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == ','))
                .map_or(text.len(), |e| i + e);
            number = Some(parse_arabic(&text[i..end])?);
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
            saw_any = true;
            continue;
        }
        if let Some(d) = digit_value(c) {
            number = Some(f64::from(d));
            saw_any = true;
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10.0,
            '百' | '佰' => 100.0,
            '千' | '仟' => 1000.0,
            '万' | '萬' => 1e4,
            '亿' | '億' => 1e8,
            _ => return None,
        };
        saw_any = true;
        if unit >= 1e4 {
            section += number.take().unwrap_or(0.0);
            if section == 0.0 {
                section = 1.0;
            }
            total += section * unit;
            section = 0.0;
        } else {
            section += number.take().unwrap_or(1.0) * unit;
        }
    }
    if !saw_any {
        return None;
    }
    Some(total + section + number.unwrap_or(0.0))
}

pub(crate) fn parse_arabic(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty()
        || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
        || cleaned.starts_with('.')
    {
        return None;
    }
    cleaned.parse().ok()
}

pub(crate) fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The value of one lowercase English number word: cardinals (`forty`, `twenty-one`),
/// ordinals (`fortieth`, `first`) and multipliers (`hundred`, `thousand`, `million`).
pub fn parse_english_number_word(word: &str) -> Option<f64> {
    if let Some((tens, ones)) = word.split_once('-') {
        let tens = simple_number_word(tens)?;
        let ones = simple_number_word(ones)?;
        return (tens >= 20.0 && tens % 10.0 == 0.0 && ones < 10.0).then_some(tens + ones);
    }
    simple_number_word(word)
}

fn simple_number_word(word: &str) -> Option<f64> {
    if let Some(value) = cardinal_word(word) {
        return Some(value);
    }
    let ordinal = match word {
        "first" => 1.0,
        "second" => 2.0,
        "third" => 3.0,
        "fifth" => 5.0,
        "eighth" => 8.0,
        "ninth" => 9.0,
        "twelfth" => 12.0,
        _ => {
            // fourth, sixth, thirteenth, twentieth, fortieth, hundredth ...
            return match word.strip_suffix("ieth") {
                Some(tens) => cardinal_word(&format!("{tens}y")),
                None => cardinal_word(word.strip_suffix("th")?),
            };
        }
    };
    Some(ordinal)
}

/// The value of a cardinal number word (`forty`, `million`, `dozen`, `twice`).
fn cardinal_word(word: &str) -> Option<f64> {
    Some(match word {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "thousand" => 1e3,
        "million" => 1e6,
        "billion" => 1e9,
        "trillion" => 1e12,
        "dozen" => 12.0,
        "decade" => 10.0,
        "centenary" => 100.0,
        "centennial" => 100.0,
        "twice" => 2.0,
        "once" => 1.0,
        "both" => 2.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let cases = [
            ("四十", Some(40.0)),
            ("十", Some(10.0)),
            ("二十", Some(20.0)),
            ("一百二十三", Some(123.0)),
            ("两千", Some(2000.0)),
            ("3.5万", Some(35000.0)),
            ("三千五百万", Some(35_000_000.0)),
            ("二〇二四", Some(2024.0)),
            ("40", Some(40.0)),
            ("1,200", Some(1200.0)),
            ("第二十", Some(20.0)),
            ("一亿二千万", Some(120_000_000.0)),
            ("十五", Some(15.0)),
            ("开发", None),
            ("", None),
            ("万", Some(10000.0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_chinese_number(text), expected, "{text}");
        }
    }

    #[test]
    fn english_words() {
        let cases = [
            ("forty", Some(40.0)),
            ("twenty-one", Some(21.0)),
            ("fortieth", Some(40.0)),
            ("first", Some(1.0)),
            ("twentieth", Some(20.0)),
            ("fourth", Some(4.0)),
            ("million", Some(1e6)),
            ("forth", None),
            ("month", None),
        ];
        for (word, expected) in cases {
            assert_eq!(parse_english_number_word(word), expected, "{word}");
        }
    }
}
