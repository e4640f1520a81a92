//! Which language a text is in.

use serde::{Deserialize, Serialize};

/// The two languages Tongwen pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese (simplified or traditional).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// BCP 47 tag as used in TMX (`zh-CN`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Lang::Zh => "Chinese",
            Lang::En => "English",
        })
    }
}

/// What a text looks like, from its letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangGuess {
    /// Mostly Han characters or Latin letters: the language is clear.
    Clear(Lang),
    /// Too few letters to tell (numbers, symbols, nothing).
    Unknown,
}

/// Guesses the language from the share of Han characters among letters. Chinese text
/// quotes Latin names and English quotes the odd character, so the bar is a share,
/// not a purity test.
pub fn detect_lang(text: &str) -> LangGuess {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars().take(200_000) {
        if is_han(c) {
            han += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Han character carries about as much text as four Latin letters.
    let han_weight = han * 4;
    if han_weight + latin < 8 {
        LangGuess::Unknown
    } else if han_weight * 10 >= (han_weight + latin) * 3 {
        LangGuess::Clear(Lang::Zh)
    } else {
        LangGuess::Clear(Lang::En)
    }
}

/// Whether `c` is a Chinese character: CJK unified ideographs (main block,
/// extensions, compatibility) and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses() {
        assert_eq!(
            detect_lang("国家级经济技术开发区 (ETDZ) 坚持扩大开放"),
            LangGuess::Clear(Lang::Zh)
        );
        assert_eq!(
            detect_lang("Xi stresses promoting high-standard opening-up 开放"),
            LangGuess::Clear(Lang::En)
        );
        assert_eq!(detect_lang("2024-10-20 ■"), LangGuess::Unknown);
    }
}
