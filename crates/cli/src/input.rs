//! Reading one side of a pair: bytes, decoding, language check, sentences, tokens.

use std::path::Path;

use anyhow::{bail, Context, Result};
use tongwen_align::Segment;
use tongwen_app::corpus::Tokenizers;
use tongwen_text::{decode, detect_lang, prepare, Document, Lang, LangGuess, SplitMode};

use crate::SplitArg;

/// Longest sentence accepted. Longer "sentences" are whole files on one line, which
/// no sentence aligner can place; refusing them beats hours of quadratic work.
pub const MAX_SENTENCE_CHARS: usize = 20_000;

/// Longest line accepted, in bytes. Paragraphs are never this long; a longer line is
/// a file without line breaks (or not prose), and splitting it would take memory in
/// proportion.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One prepared side of a pair.
pub struct Side {
    pub document: Document,
    pub segments: Vec<Segment>,
}

/// Reads and decodes a text file in any encoding the text pipeline detects.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(decode(&bytes)
        .with_context(|| format!("{}", path.display()))?
        .text)
}

/// Reads, decodes and prepares `path` as `lang` text.
pub fn read_side(
    path: &Path,
    lang: Lang,
    split: SplitArg,
    tokenizers: &Tokenizers,
) -> Result<Side> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let decoded = decode(&bytes).with_context(|| format!("{}", path.display()))?;
    let text = decoded.text;
    match detect_lang(&text) {
        LangGuess::Clear(found) if found != lang => {
            bail!("{} should be {lang} but looks like {found} text (are the two files swapped or the same language?)", path.display())
        }
        _ => {}
    }
    if let Some((index, line)) = text
        .split('\n')
        .enumerate()
        .find(|(_, line)| line.len() > MAX_LINE_BYTES)
    {
        bail!(
            "{}: line {} is {:.1} MiB long, more than the 1 MiB a paragraph may have; is this text missing its line breaks?",
            path.display(),
            index + 1,
            line.len() as f64 / f64::from(1u32 << 20)
        );
    }
    let mode = match split {
        SplitArg::Auto => SplitMode::Auto,
        SplitArg::Lines => SplitMode::Lines,
    };
    let document = prepare(&text, lang, mode);
    if document.sentences.iter().all(|s| s.normalized.is_empty()) {
        bail!(
            "{}: no text to align (only whitespace, metadata or symbols)",
            path.display()
        );
    }
    if let Some((index, sentence)) = document
        .sentences
        .iter()
        .enumerate()
        .find(|(_, s)| s.text.chars().count() > MAX_SENTENCE_CHARS)
    {
        let line = text[..sentence.span.start].matches('\n').count() + 1;
        bail!(
            "{}: sentence {} (line {line}) has {} characters, more than the {MAX_SENTENCE_CHARS} a sentence may have; is the text missing its line breaks or punctuation?",
            path.display(),
            index + 1,
            sentence.text.chars().count()
        );
    }
    let segments = document
        .sentences
        .iter()
        .map(|s| match lang {
            Lang::Zh => Segment::zh(&tokenizers.zh, &s.normalized),
            Lang::En => Segment::en(&tokenizers.en, &s.normalized),
        })
        .collect();
    Ok(Side { document, segments })
}
