//! Tokens for comparing Chinese and English sentences: Chinese words from jieba,
//! English stems from the Snowball stemmer, plus numbers, names and dialogue marks
//! that both languages share.

use jieba_rs::Jieba;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

use crate::lang::is_han;
use crate::numbers::{
    chinese_numbers, digit_runs_as_arabic, english_numbers, parse_english_number_word,
    strip_placeholders, strip_urls, NumberReading,
};

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TokenKind {
    /// A Chinese word, or a lowercased English stem.
    Word,
    /// A Latin-script word inside Chinese text (CPC, GDP, iPhone), stemmed.
    Latin,
    /// A number's value in canonical decimal form (`40`, `3.5`, `35000`).
    Number,
    /// A lowercase capitalized English word or two run together (`lifeng`,
    /// `helifeng`), to meet the pinyin of Chinese names.
    Name,
    /// `?`, `!` or an opening quotation mark: dialogue structure.
    Mark,
}

/// One comparison token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Token {
    /// Kind of token.
    pub kind: TokenKind,
    /// Its matching form.
    pub text: String,
}

impl Token {
    fn new(kind: TokenKind, text: impl Into<String>) -> Token {
        Token {
            kind,
            text: text.into(),
        }
    }
}

/// A word for a search index: where it is in the text and at which position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexWord {
    /// Byte range in the indexed text.
    pub range: std::ops::Range<usize>,
    /// Position of the whole word it belongs to (sub-words share it).
    pub position: usize,
}

/// Chinese word segmentation (jieba with its bundled dictionary, HMM for new words),
/// plus the names a corpus has taught it ([`ZhTokenizer::add_names`]).
pub struct ZhTokenizer {
    jieba: Jieba,
    stemmer: Stemmer,
    names: Vec<String>,
}

/// The jieba tag of a name added from a termbase: a proper noun whose kind (person,
/// place, organisation) the termbase does not record.
pub const ADDED_NAME_TAG: &str = "nz";

/// Longest name, in characters, taken as a word: longer "names" are phrases a review
/// has not yet cut.
const MAX_ADDED_NAME_CHARS: usize = 8;

impl Default for ZhTokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl ZhTokenizer {
    /// Loads jieba's dictionary (about 160 ms): build one and reuse it.
    pub fn new() -> ZhTokenizer {
        ZhTokenizer {
            jieba: Jieba::new(),
            stemmer: Stemmer::create(Algorithm::English),
            names: Vec::new(),
        }
    }

    /// Makes each name a word of its own, whatever jieba's dictionary made of it
    /// (欧阳|明远 → 欧阳明远, 克|韦|西奇 → 克韦西奇), tagged [`ADDED_NAME_TAG`]: names
    /// a corpus or a glossary taught, so that mining, alignment, search and checks see
    /// the name and not its pieces. Only runs of two to eight Han
    /// characters are taken; others are left out. Returns how many names jieba did not
    /// already keep whole.
    pub fn add_names<S: AsRef<str>>(&mut self, names: impl IntoIterator<Item = S>) -> usize {
        let mut added = 0;
        for name in names {
            let name = name.as_ref();
            let length = name.chars().count();
            if !(2..=MAX_ADDED_NAME_CHARS).contains(&length) || !name.chars().all(is_han) {
                continue;
            }
            let Err(at) = self
                .names
                .binary_search_by(|known| known.as_str().cmp(name))
            else {
                continue;
            };
            let whole = self.jieba.cut(name, false);
            if whole.len() == 1 && whole[0].word == name {
                continue;
            }
            self.jieba.add_word(name, None, Some(ADDED_NAME_TAG));
            self.names.insert(at, name.to_string());
            added += 1;
        }
        added
    }

    /// The names [`ZhTokenizer::add_names`] made words (those jieba did not keep
    /// whole), in code-point order.
    pub fn added_names(&self) -> &[String] {
        &self.names
    }

    /// jieba segmentation with part-of-speech tags (`n`, `v`, `nr` person, `ns` place,
    /// `nt` organisation, `u` particle, `x` punctuation, …), whitespace dropped.
    pub fn tagged<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a str)> {
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|t| (t.word, t.tag))
            .filter(|(w, _)| !w.trim().is_empty())
            .collect()
    }

    /// Plain jieba segmentation of `text`, whitespace dropped.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.word)
            .filter(|w| !w.trim().is_empty())
            .collect()
    }

    /// Words for a search index: each word of the segmentation at its own position,
    /// followed by the dictionary sub-words jieba's search mode finds inside it (对外开放
    /// → 对外, 开放) at the same position, so that a query for a part finds the whole
    /// and a phrase of whole words still matches exactly. Byte ranges index `text`.
    pub fn index_words(&self, text: &str) -> Vec<IndexWord> {
        let mut words = Vec::new();
        let mut position = 0;
        for token in self.jieba.cut(text, true) {
            if token.word.trim().is_empty() || !token.word.chars().any(char::is_alphanumeric) {
                continue;
            }
            let start = token.byte_start;
            words.push(IndexWord {
                range: start..token.byte_end,
                position,
            });
            if token.word.chars().count() > 2 {
                for part in self.jieba.cut_for_search(token.word, true) {
                    if part.word != token.word && part.word.chars().count() > 1 {
                        words.push(IndexWord {
                            range: start + part.byte_start..start + part.byte_end,
                            position,
                        });
                    }
                }
            }
            position += 1;
        }
        words
    }

    /// The numbers and codes of a normalized Chinese text (the shared numeral reader
    /// over jieba's words).
    pub fn numbers(&self, normalized: &str) -> NumberReading {
        if !may_hold_numbers(normalized) {
            return NumberReading::default();
        }
        self.cut_for_numbers(&numbers_text(normalized))
    }

    /// [`ZhTokenizer::numbers`] of a text whose jieba words the caller has already
    /// (whitespace may be left out): they are read as they are unless preparing the
    /// text for numbers rewrote it (placeholders, addresses, years written digit by
    /// digit), which is then cut afresh.
    pub fn numbers_of_words(&self, normalized: &str, words: &[&str]) -> NumberReading {
        if !may_hold_numbers(normalized) {
            return NumberReading::default();
        }
        let text = numbers_text(normalized);
        if text == normalized {
            chinese_numbers(words)
        } else {
            self.cut_for_numbers(&text)
        }
    }

    fn cut_for_numbers(&self, text: &str) -> NumberReading {
        let words: Vec<&str> = self
            .jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.word)
            .collect();
        chinese_numbers(&words)
    }

    /// Comparison tokens of a normalized Chinese sentence: its words, Latin-script
    /// words, dialogue marks, then its numbers.
    pub fn tokenize(&self, normalized: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut quotes = 0usize;
        for word in self.words(normalized) {
            let first = word.chars().next().unwrap_or(' ');
            if word.chars().all(is_han) {
                if !word.chars().all(is_numeral_char) {
                    tokens.push(Token::new(TokenKind::Word, word));
                }
            } else if first.is_ascii_alphabetic() {
                let lower = word.to_lowercase();
                tokens.push(Token::new(
                    TokenKind::Latin,
                    self.stemmer.stem(&lower).into_owned(),
                ));
            } else if !first.is_ascii_digit() {
                push_mark(&mut tokens, word, &mut quotes);
            }
        }
        push_numbers(&mut tokens, &self.numbers(normalized));
        tokens
    }
}

/// Whether a text has any character a number could be written with.
fn may_hold_numbers(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_ascii_digit() || is_numeral_char(c) || matches!(c, '两' | '几' | '数'))
}

/// The text numbers are read from: placeholders and addresses blanked, years written
/// digit by digit (二〇二四) in Arabic digits.
fn numbers_text(normalized: &str) -> String {
    digit_runs_as_arabic(&strip_placeholders(&strip_urls(normalized)))
}

fn is_numeral_char(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

/// One Number token per value of each exact number; estimates (几十) and counts
/// without a value (dozens) give none.
fn push_numbers(tokens: &mut Vec<Token>, reading: &NumberReading) {
    for mention in reading.numbers.iter().filter(|m| !m.approximate) {
        for value in &mention.values {
            tokens.push(Token::new(TokenKind::Number, canonical_number(*value)));
        }
    }
}

fn canonical_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn push_mark(tokens: &mut Vec<Token>, text: &str, quotes: &mut usize) {
    for c in text.chars() {
        match c {
            '?' | '？' => tokens.push(Token::new(TokenKind::Mark, "?")),
            '!' | '！' => tokens.push(Token::new(TokenKind::Mark, "!")),
            '"' => {
                // Normalized text has straight quotes only: every other one opens.
                if (*quotes).is_multiple_of(2) {
                    tokens.push(Token::new(TokenKind::Mark, "\""));
                }
                *quotes += 1;
            }
            '「' | '『' | '“' => tokens.push(Token::new(TokenKind::Mark, "\"")),
            _ => {}
        }
    }
}

/// How many stemmed words a thread remembers before it starts afresh.
pub const STEM_MEMO_WORDS: usize = 100_000;

thread_local! {
    static STEM_MEMO: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// English tokenization: lowercase Snowball stems, numbers (digits and words, months),
/// names from capitalized words.
pub struct EnTokenizer {
    stemmer: Stemmer,
}

impl Default for EnTokenizer {
    fn default() -> Self {
        Self::new()
    }
}

impl EnTokenizer {
    /// A tokenizer with the English Snowball stemmer.
    pub fn new() -> EnTokenizer {
        EnTokenizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Stems one lowercase word. Words seen lately on this thread are remembered (up
    /// to `STEM_MEMO_WORDS` of them), as running text repeats its vocabulary and
    /// stemming is the checks' and the aligner's commonest step.
    pub fn stem(&self, lower: &str) -> String {
        STEM_MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some(stem) = memo.get(lower) {
                return stem.clone();
            }
            let stem = self.stemmer.stem(lower).into_owned();
            if memo.len() >= STEM_MEMO_WORDS {
                memo.clear();
            }
            memo.insert(lower.to_string(), stem.clone());
            stem
        })
    }

    /// Comparison tokens of a normalized English sentence: stems, names from
    /// capitalized words, dialogue marks, then its numbers.
    pub fn tokenize(&self, normalized: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut quotes = 0usize;
        let mut previous_capitalized: Option<String> = None;
        for piece in lex_en(normalized) {
            let first = piece.chars().next().unwrap_or(' ');
            if first.is_ascii_digit() {
                previous_capitalized = None;
            } else if first.is_alphabetic() {
                let lower = piece.to_lowercase();
                let lower = lower.strip_suffix("'s").unwrap_or(&lower).replace('\'', "");
                if lower.contains('-') && parse_english_number_word(&lower).is_some() {
                    previous_capitalized = None;
                    continue;
                }
                for part in lower.split('-').filter(|p| !p.is_empty()) {
                    self.push_word(
                        &mut tokens,
                        part,
                        first.is_uppercase(),
                        &mut previous_capitalized,
                    );
                }
            } else {
                push_mark(&mut tokens, piece, &mut quotes);
                previous_capitalized = None;
            }
        }
        push_numbers(&mut tokens, &english_numbers(normalized));
        tokens
    }

    /// One lowercase word (or hyphen part): its stem and name keys.
    fn push_word(
        &self,
        tokens: &mut Vec<Token>,
        lower: &str,
        capitalized: bool,
        previous_capitalized: &mut Option<String>,
    ) {
        let stopword = tongwen_lexicon::is_stopword(lower);
        if !stopword {
            tokens.push(Token::new(TokenKind::Word, self.stem(lower)));
        }
        if capitalized && !stopword {
            tokens.push(Token::new(TokenKind::Name, lower));
            if let Some(prev) = previous_capitalized.take() {
                tokens.push(Token::new(TokenKind::Name, format!("{prev}{lower}")));
            }
            *previous_capitalized = Some(lower.to_string());
        } else {
            *previous_capitalized = None;
        }
    }
}

/// Splits English text into words (letters with inner apostrophes), numbers (with
/// inner `.`/`,` and a trailing `%` or ordinal suffix), and single other characters.
fn lex_en(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < bytes.len() {
        let (start, c) = bytes[i];
        let mut j = i + 1;
        if c.is_alphabetic() {
            while j < bytes.len()
                && (bytes[j].1.is_alphabetic()
                    || (matches!(bytes[j].1, '\'' | '-')
                        && bytes.get(j + 1).is_some_and(|n| n.1.is_alphabetic())))
            {
                j += 1;
            }
        } else if c.is_ascii_digit() {
            while j < bytes.len()
                && (bytes[j].1.is_ascii_digit()
                    || (matches!(bytes[j].1, '.' | ',')
                        && bytes.get(j + 1).is_some_and(|n| n.1.is_ascii_digit())))
            {
                j += 1;
            }
            while j < bytes.len()
                && (bytes[j].1 == '%' || bytes[j].1.is_ascii_alphabetic())
                && j - i < 24
            {
                j += 1;
            }
        } else if c.is_whitespace() {
            i += 1;
            continue;
        }
        let end = bytes.get(j).map_or(text.len(), |b| b.0);
        pieces.push(&text[start..end]);
        i = j;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token], kind: TokenKind) -> Vec<&str> {
        tokens
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text.as_str())
            .collect()
    }

    #[test]
    fn english_tokens() {
        let en = EnTokenizer::new();
        let tokens = en.tokenize("Chinese Vice Premier He Lifeng met forty-two delegates on Oct. 20, 2024; profits rose 3.5 million dollars (40%)?");
        assert_eq!(
            texts(&tokens, TokenKind::Number),
            ["42", "10", "20", "2024", "3.5", "3500000", "40"]
        );
        assert!(texts(&tokens, TokenKind::Name).contains(&"helifeng"));
        assert!(texts(&tokens, TokenKind::Word).contains(&"deleg"));
        assert!(!texts(&tokens, TokenKind::Word).contains(&"on"));
        assert_eq!(texts(&tokens, TokenKind::Mark), ["?"]);
    }

    #[test]
    fn index_words_share_positions_with_their_parts() {
        let zh = ZhTokenizer::new();
        let text = "推进高水平对外开放。";
        let words: Vec<(&str, usize)> = zh
            .index_words(text)
            .iter()
            .map(|w| (&text[w.range.clone()], w.position))
            .collect();
        let position = |word: &str| words.iter().find(|(w, _)| *w == word).map(|(_, p)| *p);
        assert_eq!(position("开放"), position("对外开放"));
        assert!(position("对外开放").is_some() && position("高水平").is_some());
        assert_eq!(position("对外开放"), position("高水平").map(|p| p + 1));
        assert!(words.iter().all(|(w, _)| *w != "。"));
    }

    #[test]
    fn an_added_name_is_one_word_everywhere() {
        let text = "欧阳明远和克韦西奇在丈亭镇见面。";
        let mut zh = ZhTokenizer::new();
        let before = zh.words(text);
        assert!(
            !before.contains(&"欧阳明远") && !before.contains(&"克韦西奇"),
            "{before:?}"
        );
        let added = zh.add_names(["克韦西奇", "欧阳明远", "Kvesic", "欧", "欧阳明远"]);
        assert_eq!(added, 2);
        assert_eq!(zh.added_names(), ["克韦西奇", "欧阳明远"]);
        let words = zh.words(text);
        assert!(
            words.contains(&"欧阳明远") && words.contains(&"克韦西奇"),
            "{words:?}"
        );
        assert!(zh.tagged(text).contains(&("克韦西奇", ADDED_NAME_TAG)));
        let indexed: Vec<&str> = zh
            .index_words(text)
            .iter()
            .map(|w| &text[w.range.clone()])
            .collect();
        assert!(indexed.contains(&"欧阳明远"), "{indexed:?}");
        assert!(texts(&zh.tokenize(text), TokenKind::Word).contains(&"克韦西奇"));
    }

    #[test]
    fn a_name_jieba_keeps_whole_is_not_added() {
        let mut zh = ZhTokenizer::new();
        assert_eq!(zh.add_names(["北京"]), 0);
        assert!(zh.added_names().is_empty());
        assert_eq!(zh.words("北京大学"), ZhTokenizer::new().words("北京大学"));
    }

    #[test]
    fn chinese_tokens() {
        let zh = ZhTokenizer::new();
        let tokens = zh.tokenize("40年来,何立峰说:\"四十个开发区有3.5万家企业吗?\"GDP增长");
        let numbers = texts(&tokens, TokenKind::Number);
        assert!(
            numbers.contains(&"40") && numbers.contains(&"35000"),
            "{numbers:?}"
        );
        assert!(texts(&tokens, TokenKind::Word).contains(&"何立峰"));
        assert_eq!(texts(&tokens, TokenKind::Latin), ["gdp"]);
        assert_eq!(texts(&tokens, TokenKind::Mark), ["\"", "?"]);
    }
}
