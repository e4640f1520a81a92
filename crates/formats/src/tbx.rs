//! TBX in both generations in use: ISO 30042:2019 (TBX v3, `<tbx>` root,
//! `conceptEntry` / `langSec` / `termSec`, in DCA style or DCT style with `min:` and
//! `basic:` elements) and the older `<martif>` files (`termEntry` / `langSet` /
//! `tig` or `ntig`/`termGrp`). DCT elements are read as their DCA equivalents
//! (`<min:partOfSpeech>` is `<termNote type="partOfSpeech">`), so one reader
//! interprets both styles.
//!
//! Interpreted data categories: `subjectField`, `definition` (at entry, language and
//! term level, alone or in a `descripGrp` with its `source`), `note`,
//! `administrativeStatus` (every ISO 12620 value, kept as written), `partOfSpeech`,
//! `termType`, and Tongwen's review state. TBX-Basic has no data category for a
//! review state, so a concept that is not approved says so in a note
//! ([`STATE_NOTE`]); the older `<admin type="processStatus">` is read too. A file
//! that does not give a state is approved: a glossary someone publishes is a
//! decision. Every other element is kept as a [`Field`] at its level and written
//! back; the header's source descriptions and the back matter are kept as
//! [`GlossaryMatter`].
//!
//! One bad entry or term does not cost the file: an empty `<term/>` (Weblate writes
//! one per untranslated entry) or an entry without terms is skipped and reported with
//! its line, and the rest is read.

use std::fmt::Write as _;

use tongwen_terms::termbase::{
    Concept, ConceptState, Definition, Field, GlossaryMatter, LangSection, Term, TermStatus,
};
use tongwen_text::normalize_tag;

use crate::read::ReadError;
use crate::xml::{self, Element, Node};

/// Which TBX generation to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TbxDialect {
    /// ISO 30042:2019, TBX-Basic DCA style.
    V3,
    /// The older `martif` TBX-Basic.
    Martif,
}

/// The start of the note that carries a concept's review state.
pub const STATE_NOTE: &str = "Tongwen review state: ";

/// The header paragraph of every file Tongwen writes: a file that has it was exported
/// from a Tongwen termbase, and its `c<number>` entry ids are that termbase's ids.
pub const EXPORT_MARK: &str = "Exported by Tongwen";

/// One entry of a TBX file, read into a concept.
#[derive(Debug, Clone, PartialEq)]
pub struct TbxEntry {
    /// The concept.
    pub concept: Concept,
    /// 1-based line of the entry.
    pub line: usize,
}

/// Something of a file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TbxProblem {
    /// 1-based line.
    pub line: usize,
    /// What was skipped and why.
    pub message: String,
}

/// A TBX file read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TbxDocument {
    /// The entries read, in file order.
    pub entries: Vec<TbxEntry>,
    /// What was skipped (empty terms, entries without terms, unknown statuses).
    pub problems: Vec<TbxProblem>,
    /// Header sources and back matter.
    pub matter: GlossaryMatter,
    /// The file was exported by Tongwen (its header says so).
    pub from_tongwen: bool,
}

impl TbxDocument {
    /// The concepts, in file order.
    pub fn concepts(&self) -> Vec<Concept> {
        self.entries.iter().map(|e| e.concept.clone()).collect()
    }

    /// The concepts with the lines their entries start on, in file order.
    pub fn into_concepts(self) -> (Vec<Concept>, Vec<usize>) {
        self.entries
            .into_iter()
            .map(|e| (e.concept, e.line))
            .unzip()
    }
}

/// The DCA element that carries a TBX-Basic data category written DCT style.
fn dca_element(category: &str) -> Option<&'static str> {
    Some(match category {
        "customerSubset" | "projectSubset" | "source" => "admin",
        "subjectField" | "context" | "definition" => "descrip",
        "crossReference" => "ref",
        "administrativeStatus"
        | "partOfSpeech"
        | "geographicalUsage"
        | "grammaticalGender"
        | "termLocation"
        | "termType" => "termNote",
        "transactionType" => "transac",
        "responsibility" => "transacNote",
        "externalCrossReference" | "xGraphic" => "xref",
        _ => return None,
    })
}

/// Rewrites DCT-style elements (`<basic:definition>`) below `element` into DCA form
/// (`<descrip type="definition">`); categories TBX-Basic does not name stay as
/// they are.
fn to_dca(element: &mut Element) {
    for node in &mut element.children {
        if let Node::Element(child) = node {
            if let Some((prefix, category)) = child.name.split_once(':') {
                if prefix != "xml" {
                    if let Some(kind) = dca_element(category) {
                        let category = category.to_string();
                        child.name = kind.to_string();
                        child.attributes.insert(0, ("type".into(), category));
                    }
                }
            }
            to_dca(child);
        }
    }
}

/// `date` elements in ISO 8601 form (`2005-03-10 14:45:27` → `2005-03-10T14:45:27`,
/// `20050310` → `2005-03-10`), as TBX v3 requires.
fn iso_dates(element: &mut Element) {
    for node in &mut element.children {
        if let Node::Element(child) = node {
            if child.local_name() == "date" {
                if let [Node::Text(text)] = child.children.as_mut_slice() {
                    *text = iso_date(text.trim());
                }
            }
            iso_dates(child);
        }
    }
}

fn iso_date(text: &str) -> String {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let date = if date.len() == 8 && digits(date) {
        format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..])
    } else {
        date.to_string()
    };
    let Some(time) = time else {
        return date;
    };
    // The basic form of a time (105725Z) in the extended one (10:57:25Z).
    let (clock, zone) = time
        .find(['Z', '+', '-'])
        .map_or((time, ""), |at| time.split_at(at));
    let clock = if clock.len() == 6 && digits(clock) {
        format!("{}:{}:{}", &clock[..2], &clock[2..4], &clock[4..])
    } else {
        clock.to_string()
    };
    format!("{date}T{clock}{zone}")
}

/// The element names of a TBX generation.
#[derive(Debug, Clone, Copy)]
struct Names {
    entry: &'static str,
    lang_section: &'static str,
    term_section: &'static str,
    header: &'static str,
}

/// Reads a TBX document of either generation and style, one entry at a time.
pub fn read_tbx(text: &str) -> Result<TbxDocument, ReadError> {
    let mut document = TbxDocument::default();
    let mut names: Option<Names> = None;
    let mut root_place = (1, 1);
    let opened = xml::for_each_part(
        text,
        "TBX",
        &["text", "body"],
        &mut |ancestors, mut element| {
            let Some(names) = names else {
                root_place = (element.line, element.column);
                names = Some(match element.local_name() {
                    "tbx" => Names {
                        entry: "conceptEntry",
                        lang_section: "langSec",
                        term_section: "termSec",
                        header: "tbxHeader",
                    },
                    "martif" => Names {
                        entry: "termEntry",
                        lang_section: "langSet",
                        term_section: "tig",
                        header: "martifHeader",
                    },
                    other => {
                        return Err(element.error(format!(
                            "not a TBX document: the root is <{other}>, expected <tbx> or <martif>"
                        )))
                    }
                });
                return Ok(());
            };
            to_dca(&mut element);
            iso_dates(&mut element);
            match (ancestors.len(), element.local_name()) {
                (1, header) if header == names.header => read_header(&element, &mut document),
                (2, "back") => {
                    for section in element.elements() {
                        let mut markup = String::new();
                        xml::write_element(section, &mut markup);
                        // Kept in v3 terms; written in the terms of the dialect written.
                        document.matter.back.push(back_in(TbxDialect::V3, &markup));
                    }
                }
                (3, entry) if entry == names.entry && ancestors[2] == "body" => {
                    read_entry(&element, names, &mut document);
                }
                (3, _) => {
                    document.problems.push(TbxProblem {
                        line: element.line,
                        message: format!(
                            "<{}> where <{}> was expected: skipped",
                            element.name, names.entry
                        ),
                    });
                }
                _ => {}
            }
            Ok(())
        },
    )?;
    if !opened.iter().any(|path| path.ends_with("/text/body")) {
        return Err(ReadError::Xml {
            line: root_place.0,
            column: root_place.1,
            message: "no <text><body> in the TBX document".into(),
        });
    }
    Ok(document)
}

fn read_header(header: &Element, document: &mut TbxDocument) {
    let Some(sources) = header.child("fileDesc").and_then(|f| f.child("sourceDesc")) else {
        return;
    };
    for paragraph in sources.elements() {
        let said = paragraph.text().trim().to_string();
        if said == EXPORT_MARK {
            document.from_tongwen = true;
        } else if !said.is_empty() {
            document.matter.sources.push(said);
        }
    }
}

fn read_entry(element: &Element, names: Names, document: &mut TbxDocument) {
    let concept = read_concept(
        element,
        names.lang_section,
        names.term_section,
        &mut document.problems,
    );
    if concept.all_terms().next().is_some() {
        document.entries.push(TbxEntry {
            concept,
            line: element.line,
        });
    } else {
        document.problems.push(TbxProblem {
            line: element.line,
            message: format!(
                "entry {}without any term: skipped",
                element
                    .attribute("id")
                    .map_or_else(String::new, |id| format!("\"{id}\" "))
            ),
        });
    }
}

fn read_field(element: &Element) -> Field {
    let markup = element.has_element_children();
    Field {
        element: element.name.clone(),
        kind: element.attribute("type").map(str::to_string),
        value: if markup {
            element.inner_xml()
        } else {
            element.text()
        },
        target: element.attribute("target").map(str::to_string),
        markup,
    }
}

/// The definition a `descrip type="definition"`, or a `descripGrp` holding one (and
/// perhaps its source, nothing else), gives.
fn read_definition(element: &Element) -> Option<Definition> {
    match (element.local_name(), element.attribute("type")) {
        ("descrip", Some("definition")) => Some(Definition {
            text: element.text(),
            source: None,
        }),
        ("descripGrp", _) => {
            let mut definition = None;
            let mut source = None;
            for part in element.elements() {
                match (part.local_name(), part.attribute("type")) {
                    ("descrip", Some("definition")) if definition.is_none() => {
                        definition = Some(part.text())
                    }
                    ("admin", Some("source")) if source.is_none() => source = Some(part.text()),
                    _ => return None,
                }
            }
            Some(Definition {
                text: definition?,
                source,
            })
        }
        _ => None,
    }
}

fn read_concept(
    element: &Element,
    lang_section: &str,
    term_section: &str,
    problems: &mut Vec<TbxProblem>,
) -> Concept {
    let mut concept = Concept {
        external_id: element.attribute("id").map(str::to_string),
        state: ConceptState::Approved,
        ..Concept::default()
    };
    for child in element.elements() {
        match (child.local_name(), child.attribute("type")) {
            ("descrip", Some("subjectField")) if concept.subject.is_none() => {
                concept.subject = Some(child.text())
            }
            ("admin", Some("processStatus")) => match read_state(&child.text()) {
                Some(state) => concept.state = state,
                None => {
                    problems.push(TbxProblem {
                        line: child.line,
                        message: format!(
                            "unknown processStatus \"{}\": kept as written, the concept is approved",
                            child.text().trim()
                        ),
                    });
                    concept.fields.push(read_field(child));
                }
            },
            ("note", _) if !child.has_element_children() => {
                let text = child.text();
                match text.strip_prefix(STATE_NOTE).and_then(read_state) {
                    Some(state) => concept.state = state,
                    None => concept.notes.push(text),
                }
            }
            (name, _) if name == lang_section => {
                if let Some(section) = read_language(child, term_section, problems) {
                    concept.languages.push(section);
                }
            }
            _ => match read_definition(child) {
                Some(definition) if concept.definition.is_none() => {
                    concept.definition = Some(definition)
                }
                _ => concept.fields.push(read_field(child)),
            },
        }
    }
    concept
}

fn read_state(text: &str) -> Option<ConceptState> {
    match text.trim() {
        "finalized" => Some(ConceptState::Approved),
        "provisionallyProcessed" | "unprocessed" => Some(ConceptState::Candidate),
        other => ConceptState::parse(other).filter(|s| *s != ConceptState::Merged),
    }
}

fn read_language(
    element: &Element,
    term_section: &str,
    problems: &mut Vec<TbxProblem>,
) -> Option<LangSection> {
    let Some(lang) = element.attribute("xml:lang").or(element.attribute("lang")) else {
        problems.push(TbxProblem {
            line: element.line,
            message: format!("<{}> without xml:lang: skipped", element.name),
        });
        return None;
    };
    let mut section = LangSection {
        lang: normalize_tag(lang),
        ..LangSection::default()
    };
    for child in element.elements() {
        match (child.local_name(), child.attribute("type")) {
            ("note", _) if !child.has_element_children() => section.notes.push(child.text()),
            (name, _) if name == term_section || name == "ntig" => {
                if let Some(term) = read_term(child, problems) {
                    section.terms.push(term)
                }
            }
            _ => match read_definition(child) {
                Some(definition) if section.definition.is_none() => {
                    section.definition = Some(definition.text);
                    section.definition_source = definition.source;
                }
                _ => section.fields.push(read_field(child)),
            },
        }
    }
    // A section whose only term was empty says nothing.
    let says_something = !section.terms.is_empty()
        || section.definition.is_some()
        || !section.notes.is_empty()
        || !section.fields.is_empty();
    says_something.then_some(section)
}

fn read_term(element: &Element, problems: &mut Vec<TbxProblem>) -> Option<Term> {
    let mut term = Term::new("", None);
    let mut found = false;
    // `ntig` wraps the term and its term notes in a `termGrp`.
    let children: Vec<&Element> = element
        .elements()
        .flat_map(|e| {
            if e.local_name() == "termGrp" {
                e.elements().collect::<Vec<_>>()
            } else {
                vec![e]
            }
        })
        .collect();
    for child in children {
        match (child.local_name(), child.attribute("type")) {
            ("term", _) if !found => {
                term.text = child.text().trim().to_string();
                found = true;
            }
            ("termNote", Some("administrativeStatus")) => {
                let value = child.text().trim().to_string();
                match TermStatus::parse(&value) {
                    Some(status) => {
                        term.status = Some(status);
                        term.status_as_written = Some(value).filter(|v| v != status.tbx_value());
                    }
                    None => {
                        problems.push(TbxProblem {
                            line: child.line,
                            message: format!(
                                "unknown administrativeStatus \"{value}\": kept as written, not used in checks"
                            ),
                        });
                        term.fields.push(read_field(child));
                    }
                }
            }
            ("termNote", Some("partOfSpeech")) => term.part_of_speech = Some(child.text()),
            ("termNote", Some("termType")) => term.term_type = Some(child.text()),
            ("note", _) if !child.has_element_children() => term.notes.push(child.text()),
            _ => match read_definition(child) {
                Some(definition) if term.definition.is_none() => term.definition = Some(definition),
                _ => term.fields.push(read_field(child)),
            },
        }
    }
    if term.text.is_empty() {
        problems.push(TbxProblem {
            line: element.line,
            message: format!(
                "<{}> {}: skipped",
                element.name,
                if found {
                    "with an empty <term>"
                } else {
                    "without a <term>"
                }
            ),
        });
        return None;
    }
    Some(term)
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(crate::xml_safe(text).as_ref()).into_owned()
}

fn write_field(out: &mut String, indent: &str, field: &Field) {
    let _ = write!(out, "{indent}<{}", field.element);
    if let Some(kind) = &field.kind {
        let _ = write!(out, " type=\"{}\"", escape(kind));
    }
    if let Some(target) = &field.target {
        let _ = write!(out, " target=\"{}\"", escape(target));
    }
    let value = if field.markup {
        crate::xml_safe(&field.value)
    } else {
        std::borrow::Cow::Owned(escape(&field.value))
    };
    let _ = writeln!(out, ">{value}</{}>", field.element);
}

fn write_simple(out: &mut String, indent: &str, element: &str, kind: Option<&str>, value: &str) {
    let kind = kind.map(|k| format!(" type=\"{k}\"")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{indent}<{element}{kind}>{}</{element}>",
        escape(value)
    );
}

/// A definition: a `descripGrp` with its source when it has one.
fn write_definition(out: &mut String, indent: &str, text: &str, source: Option<&str>) {
    match source {
        Some(source) => {
            let _ = writeln!(out, "{indent}<descripGrp>");
            let inner = format!("{indent}  ");
            write_simple(out, &inner, "descrip", Some("definition"), text);
            write_simple(out, &inner, "admin", Some("source"), source);
            let _ = writeln!(out, "{indent}</descripGrp>");
        }
        None => write_simple(out, indent, "descrip", Some("definition"), text),
    }
}

/// Term notes come right after the term in TBX v3, before anything else of the
/// term section.
fn is_term_note(field: &Field) -> bool {
    matches!(field.element.as_str(), "termNote" | "termNoteGrp")
}

/// Back matter markup in the dialect's element names (`refObjectSec` in v3,
/// `refObjectList` in v2).
fn back_in(dialect: TbxDialect, markup: &str) -> String {
    let (from, to) = match dialect {
        TbxDialect::V3 => ("refObjectList", "refObjectSec"),
        TbxDialect::Martif => ("refObjectSec", "refObjectList"),
    };
    markup
        .replace(&format!("<{from}"), &format!("<{to}"))
        .replace(&format!("</{from}>"), &format!("</{to}>"))
}

/// Writes concepts as a TBX-Basic document, with `matter` (source descriptions in the
/// header, the back matter their references point into). `ids` are the concepts'
/// identifiers in the file (the store's ids; an imported file's own ids are kept).
/// Language tags are written in BCP 47 form.
pub fn write_tbx(
    concepts: &[(String, &Concept)],
    matter: &GlossaryMatter,
    dialect: TbxDialect,
) -> String {
    let (entry, lang_section, term_section) = match dialect {
        TbxDialect::V3 => ("conceptEntry", "langSec", "termSec"),
        TbxDialect::Martif => ("termEntry", "langSet", "tig"),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Categories TBX-Basic does not name stay in their DCT namespace when a file
    // brought them; the namespaces are declared so that the file stays well-formed.
    let prefixes = ["min", "basic"]
        .into_iter()
        .filter(|prefix| {
            let tag = format!("<{prefix}:");
            concepts.iter().any(|(_, c)| {
                c.all_fields()
                    .any(|f| f.element.starts_with(&tag[1..]) || f.value.contains(&tag))
            })
        })
        .map(|prefix| format!(" xmlns:{prefix}=\"http://www.tbxinfo.net/ns/{prefix}\""))
        .collect::<String>();
    let mut sources = format!("        <p>{EXPORT_MARK}</p>\n");
    for source in &matter.sources {
        let _ = writeln!(sources, "        <p>{}</p>", escape(source));
    }
    match dialect {
        TbxDialect::V3 => {
            let _ = write!(
            out,
            "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\"{prefixes}>\n  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n{sources}      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n"
        );
        }
        TbxDialect::Martif => {
            let _ = write!(
            out,
            "<martif type=\"TBX-Basic\" xml:lang=\"en\"{prefixes}>\n  <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n{sources}      </sourceDesc>\n    </fileDesc>\n  </martifHeader>\n"
        );
        }
    }
    out.push_str("  <text>\n    <body>\n");
    for (id, concept) in concepts {
        let id = concept.external_id.as_deref().unwrap_or(id);
        let _ = writeln!(out, "      <{entry} id=\"{}\">", escape(id));
        let indent = "        ";
        if let Some(subject) = &concept.subject {
            write_simple(&mut out, indent, "descrip", Some("subjectField"), subject);
        }
        if let Some(definition) = &concept.definition {
            write_definition(
                &mut out,
                indent,
                &definition.text,
                definition.source.as_deref(),
            );
        }
        if concept.state != ConceptState::Approved {
            let state = format!("{STATE_NOTE}{}", concept.state.name());
            write_simple(&mut out, indent, "note", None, &state);
        }
        for note in &concept.notes {
            write_simple(&mut out, indent, "note", None, note);
        }
        for field in &concept.fields {
            write_field(&mut out, indent, field);
        }
        // TBX v3 has no language section without a term.
        for section in concept
            .languages
            .iter()
            .filter(|s| dialect == TbxDialect::Martif || !s.terms.is_empty())
        {
            let _ = writeln!(
                out,
                "{indent}<{lang_section} xml:lang=\"{}\">",
                escape(&normalize_tag(&section.lang))
            );
            let inner = "          ";
            if let Some(definition) = &section.definition {
                write_definition(
                    &mut out,
                    inner,
                    definition,
                    section.definition_source.as_deref(),
                );
            }
            for note in &section.notes {
                write_simple(&mut out, inner, "note", None, note);
            }
            for field in &section.fields {
                write_field(&mut out, inner, field);
            }
            for term in &section.terms {
                let _ = writeln!(out, "{inner}<{term_section}>");
                let deepest = "            ";
                write_simple(&mut out, deepest, "term", None, &term.text);
                if let Some(status) = term.status_value() {
                    write_simple(
                        &mut out,
                        deepest,
                        "termNote",
                        Some("administrativeStatus"),
                        status,
                    );
                }
                if let Some(pos) = &term.part_of_speech {
                    write_simple(&mut out, deepest, "termNote", Some("partOfSpeech"), pos);
                }
                if let Some(kind) = &term.term_type {
                    write_simple(&mut out, deepest, "termNote", Some("termType"), kind);
                }
                for field in term.fields.iter().filter(|f| is_term_note(f)) {
                    write_field(&mut out, deepest, field);
                }
                if let Some(definition) = &term.definition {
                    write_definition(
                        &mut out,
                        deepest,
                        &definition.text,
                        definition.source.as_deref(),
                    );
                }
                for note in &term.notes {
                    write_simple(&mut out, deepest, "note", None, note);
                }
                for field in term.fields.iter().filter(|f| !is_term_note(f)) {
                    write_field(&mut out, deepest, field);
                }
                let _ = writeln!(out, "{inner}</{term_section}>");
            }
            let _ = writeln!(out, "{indent}</{lang_section}>");
        }
        let _ = writeln!(out, "      </{entry}>");
    }
    out.push_str("    </body>\n");
    if !matter.back.is_empty() {
        out.push_str("    <back>\n");
        for section in &matter.back {
            let _ = writeln!(out, "      {}", back_in(dialect, &crate::xml_safe(section)));
        }
        out.push_str("    </back>\n");
    }
    out.push_str("  </text>\n");
    out.push_str(match dialect {
        TbxDialect::V3 => "</tbx>\n",
        TbxDialect::Martif => "</martif>\n",
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARTIF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>Desk glossary</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="e1">
      <descrip type="subjectField">economy</descrip>
      <transacGrp><transac type="transactionType">origination</transac><date>2025-03-01</date></transacGrp>
      <langSet xml:lang="zh-CN">
        <tig><term>新质生产力</term><termNote type="partOfSpeech">noun</termNote></tig>
      </langSet>
      <langSet xml:lang="en-US">
        <descrip type="definition">Productive forces driven by innovation &amp; technology.</descrip>
        <tig>
          <term>new quality productive forces</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <descrip type="context">Develop new quality productive forces.</descrip>
        </tig>
        <ntig><termGrp><term>new productive forces</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
      </langSet>
    </termEntry>
  </body></text>
</martif>"#;

    #[test]
    fn martif_reads_into_concepts_and_round_trips_through_both_generations() {
        let document = read_tbx(MARTIF).unwrap();
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        assert_eq!(document.matter.sources, vec!["Desk glossary".to_string()]);
        let concepts = document.concepts();
        assert_eq!(concepts.len(), 1);
        let c = &concepts[0];
        assert_eq!(c.state, ConceptState::Approved);
        assert_eq!(c.subject.as_deref(), Some("economy"));
        assert_eq!(c.external_id.as_deref(), Some("e1"));
        assert_eq!(
            c.headword("en").unwrap().text,
            "new quality productive forces"
        );
        assert_eq!(
            c.terms("en").nth(1).unwrap().status,
            Some(TermStatus::Deprecated)
        );
        assert_eq!(
            c.terms("zh").next().unwrap().part_of_speech.as_deref(),
            Some("noun")
        );
        assert_eq!(
            c.terms("en").next().unwrap().fields[0].kind.as_deref(),
            Some("context")
        );
        assert!(c.fields[0].markup);
        for dialect in [TbxDialect::V3, TbxDialect::Martif] {
            let written = write_tbx(&[("1".into(), c)], &document.matter, dialect);
            let again = read_tbx(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
            assert_eq!(again.concepts(), concepts, "{written}");
            assert_eq!(again.matter, document.matter);
            assert!(again.from_tongwen);
        }
        let v3 = write_tbx(&[("1".into(), c)], &document.matter, TbxDialect::V3);
        assert!(
            v3.contains("<conceptEntry id=\"e1\">") && v3.contains("<langSec xml:lang=\"zh-CN\">")
        );
    }

    #[test]
    fn definitions_statuses_and_dct_elements_are_read_at_every_level() {
        let dct = r#"<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
<tbxHeader><fileDesc><sourceDesc><p>Desk</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="k1"><min:subjectField>trade</min:subjectField><descrip type="definition">A zone for trade.</descrip>
<langSec xml:lang="en"><descripGrp><basic:definition>An area with lower tariffs.</basic:definition><basic:source>Desk manual</basic:source></descripGrp>
<termSec><term>free trade zone</term><min:administrativeStatus>standardizedTerm-admn-sts</min:administrativeStatus><min:partOfSpeech>noun</min:partOfSpeech></termSec>
<termSec><term>FTZ</term><min:termType>acronym</min:termType><basic:grammaticalGender>neuter</basic:grammaticalGender><transacGrp><basic:transactionType>origination</basic:transactionType><date>2024-01-02 10:00:00</date></transacGrp></termSec></langSec>
<langSec xml:lang="zh_Hans"><termSec><term>自由贸易区</term></termSec><termSec><term/></termSec></langSec></conceptEntry>
<conceptEntry id="k2"><langSec xml:lang="en"><termSec><term>  </term></termSec></langSec></conceptEntry>
</body></text></tbx>"#;
        let document = read_tbx(dct).unwrap();
        let messages: Vec<String> = document
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.line, p.message))
            .collect();
        assert_eq!(
            messages,
            [
                "7: <termSec> with an empty <term>: skipped",
                "8: <termSec> with an empty <term>: skipped",
                "8: entry \"k2\" without any term: skipped"
            ]
        );
        let concepts = document.concepts();
        assert_eq!(concepts.len(), 1);
        let c = &concepts[0];
        assert_eq!(c.subject.as_deref(), Some("trade"));
        assert_eq!(c.definition.as_ref().unwrap().text, "A zone for trade.");
        let en = c.section("en").unwrap();
        assert_eq!(
            en.definition.as_deref(),
            Some("An area with lower tariffs.")
        );
        assert_eq!(en.definition_source.as_deref(), Some("Desk manual"));
        let zone = &en.terms[0];
        assert_eq!(zone.status, Some(TermStatus::Preferred));
        assert_eq!(zone.status_value(), Some("standardizedTerm-admn-sts"));
        let acronym = &en.terms[1];
        assert_eq!(acronym.term_type.as_deref(), Some("acronym"));
        assert_eq!(acronym.fields[0].element, "termNote");
        assert!(
            acronym.fields[1].value.contains("2024-01-02T10:00:00"),
            "{:?}",
            acronym.fields[1]
        );
        let written = write_tbx(&[("1".into(), c)], &document.matter, TbxDialect::V3);
        assert!(
            !written.contains("min:") && !written.contains("basic:"),
            "{written}"
        );
        assert_eq!(concepts[0].languages[1].lang, "zh-Hans");
        assert!(written.contains("<descripGrp>"), "{written}");
        assert_eq!(iso_date("20010507T10:57:25Z"), "2001-05-07T10:57:25Z");
        assert_eq!(iso_date("20010507T105725+0100"), "2001-05-07T10:57:25+0100");
        assert_eq!(iso_date("2010-04-17"), "2010-04-17");
        let again = read_tbx(&written).unwrap();
        assert_eq!(again.concepts(), concepts, "{written}");
    }

    #[test]
    fn the_review_state_travels_in_a_note() {
        let mut concepts = read_tbx(MARTIF).unwrap().concepts();
        concepts[0].state = ConceptState::Candidate;
        let written = write_tbx(
            &[("1".into(), &concepts[0])],
            &GlossaryMatter::default(),
            TbxDialect::V3,
        );
        assert!(!written.contains("processStatus"), "{written}");
        assert!(written.contains(&format!("<note>{STATE_NOTE}candidate</note>")));
        assert_eq!(read_tbx(&written).unwrap().concepts(), concepts);
    }

    #[test]
    fn bad_tbx_names_the_place() {
        let no_term = "<tbx><text><body><conceptEntry id=\"a\">\n<langSec xml:lang=\"en\"><termSec><termNote type=\"partOfSpeech\">noun</termNote></termSec></langSec></conceptEntry></body></text></tbx>";
        let document = read_tbx(no_term).unwrap();
        assert!(document.entries.is_empty());
        assert_eq!(document.problems[0].line, 2);
        let status = "<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>x</term><termNote type=\"administrativeStatus\">great</termNote></termSec></langSec></conceptEntry></body></text></tbx>";
        let document = read_tbx(status).unwrap();
        assert!(document.problems[0].message.contains("great"));
        assert_eq!(
            document.entries[0]
                .concept
                .terms("en")
                .next()
                .unwrap()
                .fields
                .len(),
            1
        );
        assert!(read_tbx("<tmx/>")
            .unwrap_err()
            .to_string()
            .contains("<tmx>"));
        assert!(read_tbx("<tbx><text><body><conceptEntry>").is_err());
    }

    /// The rules of TBX-Basic's Schematron (`TBX-Basic_DCA.sch`) that hold for what
    /// Tongwen writes, checked over an export of a concept in every state.
    #[test]
    fn exports_follow_the_tbx_basic_rules() {
        let mut concept = read_tbx(MARTIF).unwrap().concepts().remove(0);
        concept.definition = Some(Definition {
            text: "Forces of production led by innovation.".into(),
            source: Some("Desk manual".into()),
        });
        concept.languages[1].definition_source = Some("Style guide".into());
        concept.external_id = None;
        for state in [
            ConceptState::Approved,
            ConceptState::Candidate,
            ConceptState::Rejected,
        ] {
            concept.state = state;
            let written = write_tbx(
                &[("c7".into(), &concept)],
                &GlossaryMatter::default(),
                TbxDialect::V3,
            );
            let root = xml::parse(&written, "TBX").unwrap();
            assert_eq!(root.attribute("type"), Some("TBX-Basic"));
            assert_eq!(root.attribute("style"), Some("dca"));
            let mut ids = Vec::new();
            let mut targets = Vec::new();
            check_basic_rules(&root, &[], &mut ids, &mut targets);
            for target in targets {
                assert!(
                    target.starts_with("http://")
                        || target.starts_with("https://")
                        || ids.contains(&target),
                    "dangling target {target}"
                );
            }
        }
    }

    fn check_basic_rules(
        element: &Element,
        ancestors: &[&str],
        ids: &mut Vec<String>,
        targets: &mut Vec<String>,
    ) {
        let name = element.local_name();
        assert!(
            !element.name.contains(':'),
            "DCT element <{}> in DCA",
            element.name
        );
        let parent = ancestors.last().copied().unwrap_or_default();
        // The level a data category is at: its parent, or a group's parent.
        let level = if parent.ends_with("Grp") {
            ancestors.iter().rev().nth(1).copied().unwrap_or_default()
        } else {
            parent
        };
        let kind = element.attribute("type");
        match (name, kind) {
            ("termNote", Some(kind)) => {
                assert_eq!(level, "termSec", "termNote {kind} at {level}");
                assert!(
                    [
                        "administrativeStatus",
                        "partOfSpeech",
                        "geographicalUsage",
                        "grammaticalGender",
                        "termLocation",
                        "termType"
                    ]
                    .contains(&kind),
                    "termNote type {kind}"
                );
                if kind == "administrativeStatus" {
                    assert!([
                        "admittedTerm-admn-sts",
                        "deprecatedTerm-admn-sts",
                        "supersededTerm-admn-sts",
                        "preferredTerm-admn-sts"
                    ]
                    .contains(&element.text().as_str()));
                }
                if kind == "partOfSpeech" {
                    assert!(["adjective", "noun", "other", "verb", "adverb"]
                        .contains(&element.text().as_str()));
                }
            }
            ("admin", Some(kind)) => {
                assert!(
                    ["customerSubset", "projectSubset", "source"].contains(&kind),
                    "admin {kind}"
                )
            }
            ("descrip", Some("subjectField")) => assert_eq!(level, "conceptEntry"),
            ("descrip", Some("definition")) => {
                assert!(
                    ["conceptEntry", "langSec"].contains(&level),
                    "definition at {level}"
                )
            }
            ("descrip", Some("context")) => assert_eq!(level, "termSec"),
            ("descrip", Some(kind)) => panic!("descrip {kind}"),
            (_, Some("")) => panic!("<{name}> with an empty type"),
            _ => {}
        }
        if let Some(id) = element.attribute("id") {
            ids.push(id.to_string());
        }
        if let Some(target) = element.attribute("target") {
            targets.push(target.to_string());
        }
        let mut below = ancestors.to_vec();
        below.push(name);
        for child in element.elements() {
            check_basic_rules(child, &below, ids, targets);
        }
    }
}
