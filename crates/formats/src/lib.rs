//! Writers for Tongwen's interchange formats, streaming into any `io::Write`:
//! the `align` index format of the evaluation sets, TSV, TMX 1.4b and JSON.
//!
//! ```
//! use tongwen_formats::{AlignedPair, write_tsv};
//! let pair = AlignedPair { zh_indices: vec![0], en_indices: vec![0, 1], zh_text: "他来了。".into(), en_text: "He came. He stayed.".into(), score: 0.9, low_confidence: false };
//! let mut out = Vec::new();
//! write_tsv(&mut out, [&pair]).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap(), "他来了。\tHe came. He stayed.\n");
//! ```
#![warn(missing_docs)]

mod glossary;
mod read;
mod tbx;
mod tmx;
mod xliff;
pub mod xml;

pub use glossary::{read_csv, read_json_glossary, write_csv, JsonConcept, CSV_COLUMNS};
pub use read::{
    read_html, read_jsonl, read_markdown, HtmlPage, JsonlRecord, ReadError, MAX_HTML_DEPTH,
};
pub use tbx::{
    read_tbx, write_tbx, TbxDialect, TbxDocument, TbxEntry, TbxProblem, EXPORT_MARK, STATE_NOTE,
};
pub use tmx::{read_tmx, TmxPair, TmxProperty, TmxSegment, TmxUnit};
pub use xliff::{read_xliff, XliffDocument, XliffSegment};
pub use xml::decode_xml;

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde::Serialize;

/// One bead with its text, ready to be written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedPair {
    /// Chinese sentence indices (0-based).
    #[serde(rename = "zh")]
    pub zh_indices: Vec<usize>,
    /// English sentence indices (0-based).
    #[serde(rename = "en")]
    pub en_indices: Vec<usize>,
    /// The Chinese sentences, verbatim, joined.
    pub zh_text: String,
    /// The English sentences, verbatim, joined with spaces.
    pub en_text: String,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Flagged for review.
    pub low_confidence: bool,
}

/// Writes `[zh]:[en]` lines.
pub fn write_align<'a>(
    out: &mut impl Write,
    pairs: impl IntoIterator<Item = &'a AlignedPair>,
) -> io::Result<()> {
    for pair in pairs {
        writeln!(
            out,
            "[{}]:[{}]",
            join(&pair.zh_indices),
            join(&pair.en_indices)
        )?;
    }
    Ok(())
}

fn join(indices: &[usize]) -> String {
    indices
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Writes `zh<TAB>en` lines; cells as [`tsv_cell`] writes them.
pub fn write_tsv<'a>(
    out: &mut impl Write,
    pairs: impl IntoIterator<Item = &'a AlignedPair>,
) -> io::Result<()> {
    for pair in pairs {
        writeln!(
            out,
            "{}\t{}",
            tsv_cell(&pair.zh_text),
            tsv_cell(&pair.en_text)
        )?;
    }
    Ok(())
}

/// Characters that make a spreadsheet read a cell as a formula when it starts with
/// one (a cell `=HYPERLINK(…)` in an exported glossary would run when opened).
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text as a cell of a CSV or TSV file meant for spreadsheets: control characters
/// removed, and a cell a spreadsheet would take as a formula prefixed with `'` (as
/// spreadsheet tools themselves do), which [`spreadsheet_text`] takes off again; a
/// text that itself starts with `'` gets one more, so that reading gives it back.
pub fn spreadsheet_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let text = tongwen_text::strip_stray_controls(text);
    if text.starts_with(FORMULA_STARTS) || text.starts_with('\'') {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// A cell read from a CSV file as the text it stands for: the `'` that
/// [`spreadsheet_cell`] (or a spreadsheet) put before a formula character or another
/// `'` is dropped.
pub fn spreadsheet_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// A text as one TSV cell: [`spreadsheet_cell`], with tabs and line breaks inside it
/// made spaces.
pub fn tsv_cell(text: &str) -> String {
    spreadsheet_cell(&text.replace(['\t', '\n', '\r'], " ")).into_owned()
}

/// Header fields of a TMX document.
#[derive(Debug, Clone)]
pub struct TmxHeader<'a> {
    /// `YYYYMMDDThhmmssZ`, UTC.
    pub creation_date: &'a str,
    /// Source language tag, e.g. `zh-CN`.
    pub source_lang: &'a str,
    /// Target language tag, e.g. `en`.
    pub target_lang: &'a str,
    /// Document-level properties written as `<prop type="...">` in the header.
    pub properties: Vec<(String, String)>,
}

/// Streams a TMX 1.4b document: one `<tu>` per bead with text on both sides (null
/// beads have nothing to translate and are left out), its score as a property.
pub fn write_tmx<'a, W: Write>(
    out: W,
    header: &TmxHeader,
    pairs: impl IntoIterator<Item = &'a AlignedPair>,
) -> io::Result<()> {
    let mut writer = TmxWriter::new(out, header)?;
    for pair in pairs {
        writer.add(pair, &UnitMetadata::default())?;
    }
    writer.finish()
}

/// What a `<tu>` says beside its two segments.
#[derive(Debug, Clone, Default)]
pub struct UnitMetadata<'a> {
    /// The `tuid`; units without one are numbered.
    pub id: Option<&'a str>,
    /// The Chinese side's language tag, if not the header's.
    pub zh_lang: Option<&'a str>,
    /// The English side's language tag, if not the header's.
    pub en_lang: Option<&'a str>,
    /// `<prop type="…">` elements, in order.
    pub properties: Vec<(&'a str, &'a str)>,
    /// `<note>` elements, in order.
    pub notes: Vec<&'a str>,
}

/// A TMX 1.4b document written unit by unit, so that any number of units stream
/// through constant memory.
pub struct TmxWriter<'h, W: Write> {
    writer: Writer<W>,
    header: &'h TmxHeader<'h>,
    units: usize,
}

impl<'h, W: Write> TmxWriter<'h, W> {
    /// Writes the XML declaration, the `<header>` and opens `<body>`.
    pub fn new(out: W, header: &'h TmxHeader<'h>) -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(out, b' ', 1);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer.write_event(Event::Start(
            BytesStart::new("tmx").with_attributes([("version", "1.4")]),
        ))?;
        let version = env!("CARGO_PKG_VERSION");
        let head = BytesStart::new("header").with_attributes([
            ("creationtool", "Tongwen"),
            ("creationtoolversion", version),
            ("segtype", "sentence"),
            ("o-tmf", "Tongwen"),
            ("adminlang", "en"),
            ("srclang", header.source_lang),
            ("datatype", "plaintext"),
            ("creationdate", header.creation_date),
        ]);
        if header.properties.is_empty() {
            writer.write_event(Event::Empty(head))?;
        } else {
            writer.write_event(Event::Start(head))?;
            for (kind, value) in &header.properties {
                write_prop(&mut writer, kind, value)?;
            }
            writer.write_event(Event::End(BytesEnd::new("header")))?;
        }
        writer.write_event(Event::Start(BytesStart::new("body")))?;
        Ok(TmxWriter {
            writer,
            header,
            units: 0,
        })
    }

    /// Writes one bead as a `<tu>` with its notes, score, review flag and properties,
    /// and its sides in their language variants; a bead without text on both sides
    /// is skipped.
    pub fn add(&mut self, pair: &AlignedPair, unit: &UnitMetadata) -> io::Result<()> {
        if pair.zh_text.is_empty() || pair.en_text.is_empty() {
            return Ok(());
        }
        self.units += 1;
        let writer = &mut self.writer;
        let number = self.units.to_string();
        let tuid = xml_safe(unit.id.unwrap_or(&number));
        writer.write_event(Event::Start(
            BytesStart::new("tu").with_attributes([("tuid", tuid.as_ref())]),
        ))?;
        // TMX wants a unit's notes before its properties, and both before its
        // variants.
        for note in &unit.notes {
            writer.write_event(Event::Start(BytesStart::new("note")))?;
            writer.write_event(Event::Text(BytesText::new(&xml_safe(note))))?;
            writer.write_event(Event::End(BytesEnd::new("note")))?;
        }
        write_prop(writer, "x-tongwen-score", &format!("{:.3}", pair.score))?;
        if pair.low_confidence {
            write_prop(writer, "x-tongwen-review", "low-confidence")?;
        }
        for (kind, value) in &unit.properties {
            write_prop(writer, kind, value)?;
        }
        for (lang, text) in [
            (
                unit.zh_lang.unwrap_or(self.header.source_lang),
                &pair.zh_text,
            ),
            (
                unit.en_lang.unwrap_or(self.header.target_lang),
                &pair.en_text,
            ),
        ] {
            writer.write_event(Event::Start(
                BytesStart::new("tuv").with_attributes([("xml:lang", xml_safe(lang).as_ref())]),
            ))?;
            writer.write_event(Event::Start(BytesStart::new("seg")))?;
            writer.write_event(Event::Text(BytesText::new(&xml_safe(text))))?;
            writer.write_event(Event::End(BytesEnd::new("seg")))?;
            writer.write_event(Event::End(BytesEnd::new("tuv")))?;
        }
        writer.write_event(Event::End(BytesEnd::new("tu")))
    }

    /// Closes `<body>` and `<tmx>`.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new("body")))?;
        self.writer.write_event(Event::End(BytesEnd::new("tmx")))?;
        self.writer.into_inner().write_all(b"\n")
    }
}

fn write_prop<W: Write>(writer: &mut Writer<W>, kind: &str, value: &str) -> io::Result<()> {
    writer.write_event(Event::Start(
        BytesStart::new("prop").with_attributes([("type", kind)]),
    ))?;
    writer.write_event(Event::Text(BytesText::new(&xml_safe(value))))?;
    writer.write_event(Event::End(BytesEnd::new("prop")))
}

/// XML 1.0 cannot carry most C0 controls even escaped, nor U+FFFE and U+FFFF; they
/// are dropped from text, with the other control characters no text should hold.
pub(crate) fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_in_xml = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            || tongwen_text::is_stray_control(c)
    };
    if text.contains(unsafe_in_xml) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !unsafe_in_xml(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A whole alignment as one JSON document.
#[derive(Debug, Serialize)]
pub struct JsonAlignment<'a, M: Serialize> {
    /// The Chinese input's name.
    pub zh_file: &'a str,
    /// The English input's name.
    pub en_file: &'a str,
    /// Metadata recognized on each side.
    pub metadata: M,
    /// The beads.
    pub beads: &'a [AlignedPair],
}

/// Writes `alignment` as pretty JSON.
pub fn write_json<M: Serialize>(
    out: &mut impl Write,
    alignment: &JsonAlignment<M>,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, alignment).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs() -> Vec<AlignedPair> {
        vec![
            AlignedPair {
                zh_indices: vec![0, 1],
                en_indices: vec![0],
                zh_text: "“高水平”开放。<b>&</b>".into(),
                en_text: "High-standard \"opening up\" <b>&</b>.".into(),
                score: 0.875,
                low_confidence: false,
            },
            AlignedPair {
                zh_indices: vec![2],
                en_indices: vec![],
                zh_text: "省略的句子。".into(),
                en_text: String::new(),
                score: 0.5,
                low_confidence: true,
            },
        ]
    }

    #[test]
    fn spreadsheet_cells_cannot_be_formulas_and_read_back() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-ization",
            "@SUM(A1)",
            "\tx",
        ] {
            let cell = spreadsheet_cell(text);
            assert!(cell.starts_with('\''), "{cell}");
            assert_eq!(spreadsheet_text(&cell), text);
        }
        assert_eq!(spreadsheet_cell("plain \u{1b}[2Jtext"), "plain [2Jtext");
        assert_eq!(
            spreadsheet_text("'tis"),
            "'tis",
            "an apostrophe of the text stays"
        );
        assert_eq!(spreadsheet_text(&spreadsheet_cell("'-")), "'-");
        assert_eq!(spreadsheet_text(&spreadsheet_cell("'tis")), "'tis");
        assert_eq!(tsv_cell("-a\tb\nc"), "'-a b c");
    }

    #[test]
    fn align_and_tsv() {
        let mut out = Vec::new();
        write_align(&mut out, &pairs()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[0,1]:[0]\n[2]:[]\n");
        let mut out = Vec::new();
        write_tsv(&mut out, &pairs()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "“高水平”开放。<b>&</b>\tHigh-standard \"opening up\" <b>&</b>.\n省略的句子。\t\n"
        );
    }

    #[test]
    fn tmx_golden() {
        let header = TmxHeader {
            creation_date: "20261126T120000Z",
            source_lang: "zh-CN",
            target_lang: "en",
            properties: vec![("x-zh-file".into(), "a&b.txt".into())],
        };
        let mut out = Vec::new();
        write_tmx(&mut out, &header, &pairs()).unwrap();
        let expected =
            include_str!("../tests/golden.tmx").replace("{version}", env!("CARGO_PKG_VERSION"));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
