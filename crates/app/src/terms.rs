//! Mining the stored corpus into the termbase, and reading glossary files.

use std::path::Path;

use tongwen_formats::{read_csv, read_json_glossary, read_tbx, ReadError, TbxDocument};
use tongwen_store::{BeadToMine, ImportMatching, ImportOutcome, MineOutcome, Termbase};
use tongwen_terms::termbase::{Concept, GlossaryMatter};
use tongwen_terms::{mine, BeadAlignment, MiningBead, MiningConfig, TermPair};

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
            alignment: BeadAlignment {
                confidence: bead.confidence,
                flagged: bead.flagged,
            },
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

/// A glossary file read: its concepts with the lines they start on (TBX), what was
/// skipped, and what else it holds.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// The concepts, in file order.
    pub concepts: Vec<Concept>,
    /// The line each concept starts on, where the format has lines per entry.
    pub lines: Vec<Option<usize>>,
    /// Entries, terms or values skipped, each with its line and reason.
    pub problems: Vec<String>,
    /// Header sources and back matter.
    pub matter: GlossaryMatter,
    /// The file was exported by Tongwen: its `c<number>` ids are the termbase's.
    pub from_tongwen: bool,
}

impl Glossary {
    /// Where entry `entry` (from 1) is: "entry 3 (line 40)".
    pub fn place(&self, entry: usize) -> String {
        match self.lines.get(entry.wrapping_sub(1)).copied().flatten() {
            Some(line) => format!("entry {entry} (line {line})"),
            None => format!("entry {entry}"),
        }
    }
}

/// Reads a glossary file (TBX, CSV or JSON by extension). TBX is decoded as its XML
/// declaration says; CSV and JSON as UTF-8, or any encoding the text pipeline
/// detects, GB18030 preferred over Windows-1252 since a glossary holds Chinese.
pub fn read_glossary(path: &Path) -> Result<Glossary, Error> {
    let shown = path.display().to_string();
    let fail = |reason: String| Error::Input {
        path: shown.clone(),
        reason,
    };
    let format = GlossaryFormat::of(path)
        .ok_or_else(|| fail("unknown glossary format: use .tbx, .csv or .json".into()))?;
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    if format == GlossaryFormat::Tbx {
        let text = tongwen_formats::decode_xml(&bytes).map_err(|e| fail(e.to_string()))?;
        let TbxDocument {
            entries,
            problems,
            matter,
            from_tongwen,
        } = read_tbx(&text).map_err(|e| fail(e.to_string()))?;
        drop(text);
        let problems = problems
            .iter()
            .map(|p| format!("line {}: {}", p.line, p.message))
            .collect();
        let (concepts, lines): (Vec<Concept>, Vec<Option<usize>>) = entries
            .into_iter()
            .map(|e| (e.concept, Some(e.line)))
            .unzip();
        return Ok(Glossary {
            concepts,
            lines,
            problems,
            matter,
            from_tongwen,
        });
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
    let concepts = read.map_err(|e| fail(e.to_string()))?;
    Ok(Glossary {
        lines: vec![None; concepts.len()],
        concepts,
        ..Glossary::default()
    })
}

/// What importing a glossary file did.
#[derive(Debug, Clone)]
pub struct GlossaryImport {
    /// The file as read.
    pub glossary: Glossary,
    /// What the store did with it.
    pub outcome: ImportOutcome,
}

/// Reads a glossary file and imports it: entries are concepts of their own (matched
/// to stored concepts only by id, see [`ImportMatching::Entries`]), or merged by a
/// shared Chinese term when `merge_by_chinese_term`.
pub fn import_glossary(
    store: &mut dyn Termbase,
    path: &Path,
    merge_by_chinese_term: bool,
    actor: &str,
) -> Result<GlossaryImport, Error> {
    let glossary = read_glossary(path)?;
    let matching = if merge_by_chinese_term {
        ImportMatching::ChineseTerm
    } else if glossary.from_tongwen {
        ImportMatching::EntriesWithTongwenIds
    } else {
        ImportMatching::Entries
    };
    let outcome = store.import_concepts(&glossary.concepts, matching, &glossary.matter, actor)?;
    Ok(GlossaryImport { glossary, outcome })
}
