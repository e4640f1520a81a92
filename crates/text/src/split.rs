//! Sentence splitting of one paragraph (a line of text).
//!
//! Both splitters return byte ranges into their input, in order, without overlap and
//! without surrounding whitespace; together they cover every non-whitespace character.

use std::ops::Range;

use crate::lang::is_han;

/// Characters that close a sentence-final quotation or bracket and stay with it.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | '》' | '〉' | ']' | '\'' | '"' | '〕'
    )
}

/// Splits Chinese text after 。！？；…… and their ASCII counterparts (as scraped news
/// uses them), keeping closing quotes and brackets with the sentence they close.
pub fn split_zh(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        let terminator = match c {
            '。' | '！' | '？' | '；' | '!' | '?' | ';' | '…' | '｡' => true,
            // An ASCII full stop ends a Chinese sentence unless it is a decimal point or
            // part of a Latin abbreviation.
            '.' => {
                let prev_han = i > 0 && is_han(chars[i - 1].1);
                let next_digit = chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
                prev_han && !next_digit
            }
            _ => false,
        };
        if !terminator {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len()
            && (matches!(chars[end].1, '。' | '！' | '？' | '!' | '?' | '…' | '.')
                || is_closer(chars[end].1))
        {
            // A straight quote closes only if one is open in this sentence.
            if chars[end].1 == '"'
                && text[byte_at(&chars, start, text)..chars[end].0]
                    .matches('"')
                    .count()
                    .is_multiple_of(2)
            {
                break;
            }
            end += 1;
        }
        let end_byte = byte_at(&chars, end, text);
        push_trimmed(text, byte_at(&chars, start, text)..end_byte, &mut sentences);
        start = end;
        i = end;
    }
    push_trimmed(
        text,
        byte_at(&chars, start, text)..text.len(),
        &mut sentences,
    );
    sentences
}

fn byte_at(chars: &[(usize, char)], index: usize, text: &str) -> usize {
    chars.get(index).map_or(text.len(), |(b, _)| *b)
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        let start = range.start + leading;
        out.push(start..start + trimmed.len());
    }
}

/// Abbreviations after which a full stop does not end an English sentence.
const ABBREVIATIONS: &[&str] = &[
    "adm", "approx", "apr", "aug", "capt", "cf", "co", "col", "corp", "dec", "dept", "dr", "e.g",
    "feb", "fig", "fri", "ft", "gen", "gov", "hon", "i.e", "inc", "jan", "jr", "jul", "jun", "lt",
    "ltd", "maj", "mar", "mon", "mr", "mrs", "ms", "mt", "no", "nos", "nov", "oct", "pp", "prof",
    "rep", "rev", "sat", "sen", "sep", "sept", "sgt", "sr", "st", "sun", "thu", "tue", "vol", "vs",
    "wed",
];

/// Splits English text at `.`, `!`, `?` and `…` followed by space and a plausible
/// sentence start, keeping abbreviations (Oct., Dr., U.S.), initials (J. K.) and
/// decimals intact and closing quotes with their sentence.
pub fn split_en(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i].1;
        if !matches!(c, '.' | '!' | '?' | '…') {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len()
            && (matches!(chars[end].1, '.' | '!' | '?' | '…') || is_closer(chars[end].1))
        {
            end += 1;
        }
        // A boundary needs whitespace after it and a sentence-like start after that.
        let mut next = end;
        while next < chars.len() && chars[next].1.is_whitespace() {
            next += 1;
        }
        let spaced = next > end;
        let starts_sentence = next >= chars.len()
            || chars[next].1.is_uppercase()
            || chars[next].1.is_ascii_digit()
            || matches!(chars[next].1, '"' | '“' | '‘' | '\'' | '(' | '[' | '«')
            || is_han(chars[next].1);
        let abbreviation = c == '.'
            && end == i + 1
            && is_abbreviation(text, &chars, start, i, chars.get(next).map(|x| x.1));
        if (spaced || next >= chars.len()) && starts_sentence && !abbreviation {
            push_trimmed(
                text,
                byte_at(&chars, start, text)..byte_at(&chars, end, text),
                &mut sentences,
            );
            start = end;
        }
        i = end;
    }
    push_trimmed(
        text,
        byte_at(&chars, start, text)..text.len(),
        &mut sentences,
    );
    sentences
}

/// Whether the full stop at `dot` belongs to the word before it.
fn is_abbreviation(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    dot: usize,
    next: Option<char>,
) -> bool {
    let mut word_start = dot;
    while word_start > start
        && !chars[word_start - 1].1.is_whitespace()
        && !matches!(chars[word_start - 1].1, '(' | '"' | '“')
    {
        word_start -= 1;
    }
    let word = &text[byte_at(chars, word_start, text)..chars[dot].0];
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    let single_upper = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
    // U.S., U.N., a.m.: single letters joined by full stops.
    let dotted = word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1);
    if dotted {
        // "a.m." and "p.m." end sentences as often as not; an acronym rarely does
        // before a capitalized function word, so only keep those before a lowercase
        // or digit continuation.
        return !next.is_some_and(char::is_uppercase) || lower.len() > 4;
    }
    single_upper || ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, split: fn(&str) -> Vec<Range<usize>>) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn abbreviations_are_sorted() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn chinese() {
        assert_eq!(
            pieces(
                "国家级经开区40周年座谈会20日在天津召开。何立峰指出,要深入学习。",
                split_zh
            ),
            [
                "国家级经开区40周年座谈会20日在天津召开。",
                "何立峰指出,要深入学习。"
            ]
        );
        assert_eq!(
            pieces("他说：“我来了！”她笑了……然后走了", split_zh),
            ["他说：“我来了！”", "她笑了……", "然后走了"]
        );
        assert_eq!(
            pieces("增长了3.5个百分点;这是好事.明天见", split_zh),
            ["增长了3.5个百分点;", "这是好事.", "明天见"]
        );
        assert_eq!(
            pieces("要勇当排头兵；积极参与“一带一路”。", split_zh),
            ["要勇当排头兵；", "积极参与“一带一路”。"]
        );
    }

    #[test]
    fn english() {
        assert_eq!(
            pieces("He met Dr. Smith on Oct. 20 in the U.S. capital. It cost 3.5 dollars. \"Good,\" he said at 5 p.m. Then J. K. Rowling left!", split_en),
            ["He met Dr. Smith on Oct. 20 in the U.S. capital.", "It cost 3.5 dollars.", "\"Good,\" he said at 5 p.m.", "Then J. K. Rowling left!"]
        );
        assert_eq!(
            pieces("\"Stop!\" she cried. \"Why?\"", split_en),
            ["\"Stop!\" she cried.", "\"Why?\""]
        );
        assert_eq!(pieces("no full stop here", split_en), ["no full stop here"]);
    }
}
