//! Reading one side of a pair: bytes, decoding, language check, sentences, tokens.

use std::path::Path;

use anyhow::{bail, Context, Result};
use tongwen_align::Segment;
use tongwen_app::corpus::Tokenizers;
use tongwen_text::{
    decode, detect_lang, long_line, long_sentence, prepare, Document, Lang, LangGuess, SplitMode,
};

use crate::SplitArg;

/// One prepared side of a pair.
pub struct Side {
    /// The decoded text the document was prepared from.
    pub text: String,
    pub document: Document,
    pub segments: Vec<Segment>,
}

/// Largest input file read whole (a translation memory or XLIFF to check, one side of
/// a pair to align).
const MAX_INPUT_BYTES: u64 = 1 << 30;

/// The bytes of `path`, refused beyond [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_INPUT_BYTES {
        bail!(
            "{}: {size} bytes, more than the 1 GiB an input file may have; split it",
            path.display()
        );
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads, decodes and prepares `path` as `lang` text.
pub fn read_side(
    path: &Path,
    lang: Lang,
    split: SplitArg,
    tokenizers: &Tokenizers,
) -> Result<Side> {
    let bytes = read_bytes(path)?;
    let decoded = decode(&bytes).with_context(|| format!("{}", path.display()))?;
    let text = decoded.text;
    match detect_lang(&text) {
        LangGuess::Clear(found) if found != lang => {
            bail!("{} should be {lang} but looks like {found} text (are the two files swapped or the same language?)", path.display())
        }
        _ => {}
    }
    if let Some(too_long) = long_line(&text) {
        bail!("{}: {too_long}", path.display());
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
    if let Some(too_long) = long_sentence(&text, &document) {
        bail!("{}: {too_long}", path.display());
    }
    let segments = document
        .sentences
        .iter()
        .map(|s| match lang {
            Lang::Zh => Segment::zh(&tokenizers.zh, &s.normalized),
            Lang::En => Segment::en(&tokenizers.en, &s.normalized),
        })
        .collect();
    Ok(Side {
        text,
        document,
        segments,
    })
}
