//! Mining the stored corpus into the termbase, and reading glossary files.

use std::path::Path;

use tongwen_formats::{read_csv, read_json_glossary, read_tbx, ReadError};
use tongwen_store::{BeadToMine, MineOutcome, Termbase};
use tongwen_terms::termbase::Concept;
use tongwen_terms::{mine, MiningBead, MiningConfig, TermPair};

use crate::corpus::Tokenizers;
use crate::Error;

/// Mines every aligned bead of the store and saves the pairs as candidate concepts
/// (refreshing concepts already known). Returns the pairs, best first.
pub fn mine_store(
    store: &mut dyn Termbase,
    tokenizers: &Tokenizers,
    config: &MiningConfig,
    actor: &str,
) -> Result<(Vec<TermPair>, MineOutcome), Error> {
    let mut beads: Vec<MiningBead> = Vec::new();
    store.beads_to_mine(&mut |bead: BeadToMine| {
        beads.push(MiningBead {
            id: bead.reference,
            zh: bead.zh,
            en: bead.en,
            date: bead.date,
        })
    })?;
    let pairs = mine(&beads, config, &tokenizers.zh, &tokenizers.en);
    drop(beads);
    let concepts: Vec<Concept> = pairs.iter().map(Concept::from_mined).collect();
    let outcome = store.save_mined(&concepts, actor)?;
    Ok((pairs, outcome))
}

/// A glossary file's format, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlossaryFormat {
    /// TBX, either generation.
    Tbx,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

impl GlossaryFormat {
    /// The format of a path by its extension.
    pub fn of(path: &Path) -> Option<GlossaryFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "tbx" | "xml" => Some(GlossaryFormat::Tbx),
            "csv" => Some(GlossaryFormat::Csv),
            "json" => Some(GlossaryFormat::Json),
            _ => None,
        }
    }
}

/// Reads the concepts of a glossary file (TBX, CSV or JSON by extension; UTF-8, or
/// any encoding the text pipeline detects, GB18030 preferred over Windows-1252 since
/// a glossary holds Chinese).
pub fn read_glossary(path: &Path) -> Result<Vec<Concept>, Error> {
    let shown = path.display().to_string();
    let fail = |reason: String| Error::Input {
        path: shown.clone(),
        reason,
    };
    let format = GlossaryFormat::of(path)
        .ok_or_else(|| fail("unknown glossary format: use .tbx, .csv or .json".into()))?;
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    // XML names its own encoding; a spreadsheet or JSON file is detected.
    if format == GlossaryFormat::Tbx {
        let text = tongwen_formats::decode_xml(&bytes).map_err(|e| fail(e.to_string()))?;
        return read_tbx(&text).map_err(|e| fail(e.to_string()));
    }
    let decoded = tongwen_text::decode_chinese(&bytes).map_err(|e| fail(e.to_string()))?;
    // A Chinese-English glossary read as Western text without a Chinese character is
    // in an encoding the detector missed (or mixes encodings): refuse, never import
    // mojibake.
    if decoded.encoding == "windows-1252" && !decoded.text.chars().any(tongwen_text::is_han) {
        return Err(fail(
            "the file reads as Windows-1252 and holds no Chinese; save it as UTF-8 (or GB18030) and import again".into(),
        ));
    }
    let read: Result<Vec<Concept>, ReadError> = if format == GlossaryFormat::Csv {
        read_csv(&decoded.text)
    } else {
        read_json_glossary(&decoded.text)
    };
    read.map_err(|e| fail(e.to_string()))
}
