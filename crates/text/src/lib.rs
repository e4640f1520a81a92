//! Tongwen's text pipeline for Chinese–English document pairs.
//!
//! Bytes go in, [`Document`]s come out: [`decode`] detects and decodes UTF-8,
//! UTF-16, GB18030/GBK and Big5; [`prepare`] recognizes metadata that is not content
//! (scraped Chinese headers, datelines, stray symbols) and splits the rest into
//! [`Sentence`]s whose original text is kept verbatim next to a normalized form for
//! matching; [`ZhTokenizer`] and [`EnTokenizer`] turn sentences into the tokens that
//! alignment and mining compare.
//!
//! The crate does no I/O and never panics on user text.
//!
//! ```
//! use tongwen_text::{prepare, Lang, SplitMode};
//! let doc = prepare("TIANJIN, Oct. 20 (Xinhua) -- Xi spoke. Dr. Li agreed.", Lang::En, SplitMode::Auto);
//! assert_eq!(doc.metadata.place.as_deref(), Some("TIANJIN"));
//! assert_eq!(doc.sentences.len(), 2);
//! assert_eq!(doc.sentences[1].text, "Dr. Li agreed.");
//! ```
#![warn(missing_docs)]

mod controls;
mod decode;
mod document;
mod lang;
mod limits;
mod metadata;
mod normalize;
mod numbers;
mod split;
mod tags;
mod tokenize;

pub use controls::{find_stray_control, is_stray_control, strip_stray_controls, StrayControl};
pub use decode::{decode, decode_chinese, DecodeError, Decoded};
pub use document::{prepare, Document, Sentence, SplitMode};
pub use lang::{detect_lang, is_han, Lang, LangGuess};
pub use limits::{long_line, long_sentence, TooLong, MAX_LINE_BYTES, MAX_SENTENCE_CHARS};
pub use metadata::Metadata;
pub use normalize::normalize;
pub use numbers::{
    chinese_numbers, digit_runs_as_arabic, english_numbers, parse_chinese_number,
    parse_english_number_word, strip_placeholders, Notation, NumberMention, NumberReading,
    NumberUnit,
};
pub use split::{split_en, split_zh};
pub use tags::{normalize_tag, tag_lang};
pub use tokenize::{EnTokenizer, IndexWord, Token, TokenKind, ZhTokenizer, ADDED_NAME_TAG};
