//! How long a line and a sentence may be. Longer "sentences" are whole files on one
//! line, which no sentence aligner can place; refusing them at the door beats hours
//! of quadratic work (or a corpus with one useless giant bead) later.

use crate::Document;

/// Longest sentence accepted, in characters.
pub const MAX_SENTENCE_CHARS: usize = 20_000;

/// Longest line accepted, in bytes. Paragraphs are never this long; a longer line is
/// a file without line breaks (or not prose), and splitting it would take memory in
/// proportion.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Text that breaks a length limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TooLong {
    /// A line over [`MAX_LINE_BYTES`].
    #[error("line {line} is {mib:.1} MiB long, more than the 1 MiB a paragraph may have; is this text missing its line breaks?")]
    Line {
        /// 1-based line.
        line: usize,
        /// Its length in MiB.
        mib: f64,
    },
    /// A sentence over [`MAX_SENTENCE_CHARS`].
    #[error("sentence {sentence} (line {line}) has {chars} characters, more than the {MAX_SENTENCE_CHARS} a sentence may have; is the text missing its line breaks or punctuation?")]
    Sentence {
        /// 1-based sentence number.
        sentence: usize,
        /// 1-based line where it starts.
        line: usize,
        /// Its length in characters.
        chars: usize,
    },
}

/// The first line of `text` longer than [`MAX_LINE_BYTES`]; check before preparing
/// the text, whose cost such a line would decide.
pub fn long_line(text: &str) -> Option<TooLong> {
    text.split('\n')
        .enumerate()
        .find(|(_, line)| line.len() > MAX_LINE_BYTES)
        .map(|(index, line)| TooLong::Line {
            line: index + 1,
            mib: line.len() as f64 / f64::from(1u32 << 20),
        })
}

/// The first sentence of `document` (prepared from `text`) longer than
/// [`MAX_SENTENCE_CHARS`].
pub fn long_sentence(text: &str, document: &Document) -> Option<TooLong> {
    document
        .sentences
        .iter()
        .enumerate()
        .find(|(_, s)| s.text.chars().count() > MAX_SENTENCE_CHARS)
        .map(|(index, sentence)| TooLong::Sentence {
            sentence: index + 1,
            line: text[..sentence.span.start.min(text.len())]
                .matches('\n')
                .count()
                + 1,
            chars: sentence.text.chars().count(),
        })
}
