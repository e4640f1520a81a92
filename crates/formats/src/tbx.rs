//! TBX-Basic in both generations in use: ISO 30042:2019 (TBX v3, `<tbx>` root,
//! `conceptEntry` / `langSec` / `termSec`) and the older `<martif>` files
//! (`termEntry` / `langSet` / `tig` or `ntig`/`termGrp`).
//!
//! Interpreted data categories: `subjectField`, `definition`, `note`,
//! `administrativeStatus` (term status), `partOfSpeech`, `termType`, and Tongwen's
//! review state as a concept-level `<admin type="processStatus">` (approved,
//! candidate, rejected; TBX's `finalized` reads as approved). A file that does not
//! give a state is approved: a glossary someone publishes is a decision. Every other
//! element is kept as a [`Field`] at its level — simple ones with their type and
//! text, groups (`transacGrp`, `descripGrp`…) as their markup — and written back
//! unchanged, so a file round-trips without loss of data.

use std::fmt::Write as _;

use tongwen_terms::termbase::{Concept, ConceptState, Field, LangSection, Term, TermStatus};

use crate::read::ReadError;
use crate::xml::{self, Element};

/// Which TBX generation to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TbxDialect {
    /// ISO 30042:2019, TBX-Basic DCA style.
    V3,
    /// The older `martif` TBX-Basic.
    Martif,
}

/// Reads the concepts of a TBX document of either generation.
pub fn read_tbx(text: &str) -> Result<Vec<Concept>, ReadError> {
    let root = xml::parse(text, "TBX")?;
    let (entry, lang_section, term_section) = match root.local_name() {
        "tbx" => ("conceptEntry", "langSec", "termSec"),
        "martif" => ("termEntry", "langSet", "tig"),
        other => {
            return Err(root.error(format!(
                "not a TBX document: the root is <{other}>, expected <tbx> or <martif>"
            )))
        }
    };
    let body = root
        .child("text")
        .and_then(|t| t.child("body"))
        .ok_or_else(|| root.error("no <text><body> in the TBX document"))?;
    let mut concepts = Vec::new();
    for element in body.elements() {
        if element.local_name() != entry {
            return Err(element.error(format!("<{}> where <{entry}> was expected", element.name)));
        }
        concepts.push(read_concept(element, lang_section, term_section)?);
    }
    Ok(concepts)
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

fn read_concept(
    element: &Element,
    lang_section: &str,
    term_section: &str,
) -> Result<Concept, ReadError> {
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
            ("admin", Some("processStatus")) => {
                let value = child.text();
                concept.state = match value.trim() {
                    "finalized" => ConceptState::Approved,
                    "provisionallyProcessed" | "unprocessed" => ConceptState::Candidate,
                    other => ConceptState::parse(other)
                        .filter(|s| *s != ConceptState::Merged)
                        .ok_or_else(|| child.error(format!("unknown processStatus \"{other}\"")))?,
                };
            }
            ("note", _) if !child.has_element_children() => concept.notes.push(child.text()),
            (name, _) if name == lang_section => {
                concept.languages.push(read_language(child, term_section)?);
            }
            _ => concept.fields.push(read_field(child)),
        }
    }
    if concept.all_terms().next().is_none() {
        return Err(element.error("a concept entry without any term"));
    }
    Ok(concept)
}

fn read_language(element: &Element, term_section: &str) -> Result<LangSection, ReadError> {
    let lang = element
        .attribute("xml:lang")
        .or(element.attribute("lang"))
        .ok_or_else(|| element.error(format!("<{}> without xml:lang", element.name)))?;
    let mut section = LangSection {
        lang: lang.to_string(),
        definition: None,
        notes: Vec::new(),
        fields: Vec::new(),
        terms: Vec::new(),
    };
    for child in element.elements() {
        match (child.local_name(), child.attribute("type")) {
            ("descrip", Some("definition")) if section.definition.is_none() => {
                section.definition = Some(child.text())
            }
            ("note", _) if !child.has_element_children() => section.notes.push(child.text()),
            (name, _) if name == term_section || name == "ntig" => {
                section.terms.push(read_term(child)?)
            }
            _ => section.fields.push(read_field(child)),
        }
    }
    Ok(section)
}

fn read_term(element: &Element) -> Result<Term, ReadError> {
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
            ("term", _) => {
                term.text = child.text().trim().to_string();
                found = true;
            }
            ("termNote", Some("administrativeStatus")) => {
                let value = child.text();
                term.status = Some(TermStatus::parse(&value).ok_or_else(|| {
                    child.error(format!("unknown administrativeStatus \"{}\"", value.trim()))
                })?);
            }
            ("termNote", Some("partOfSpeech")) => term.part_of_speech = Some(child.text()),
            ("termNote", Some("termType")) => term.term_type = Some(child.text()),
            ("note", _) if !child.has_element_children() => term.notes.push(child.text()),
            _ => term.fields.push(read_field(child)),
        }
    }
    if !found || term.text.is_empty() {
        return Err(element.error(format!("<{}> without a <term>", element.name)));
    }
    Ok(term)
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

/// Writes concepts as a TBX-Basic document. `ids` are the concepts' identifiers in
/// the file (the store's ids; an imported file's own ids are kept in a field).
pub fn write_tbx(concepts: &[(String, &Concept)], dialect: TbxDialect) -> String {
    let (entry, lang_section, term_section) = match dialect {
        TbxDialect::V3 => ("conceptEntry", "langSec", "termSec"),
        TbxDialect::Martif => ("termEntry", "langSet", "tig"),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match dialect {
        TbxDialect::V3 => out.push_str(
            "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>Exported by Tongwen</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n",
        ),
        TbxDialect::Martif => out.push_str(
            "<martif type=\"TBX-Basic\" xml:lang=\"en\">\n  <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>Exported by Tongwen</p>\n      </sourceDesc>\n    </fileDesc>\n  </martifHeader>\n",
        ),
    }
    out.push_str("  <text>\n    <body>\n");
    for (id, concept) in concepts {
        let id = concept.external_id.as_deref().unwrap_or(id);
        let _ = writeln!(out, "      <{entry} id=\"{}\">", escape(id));
        let indent = "        ";
        if let Some(subject) = &concept.subject {
            write_simple(&mut out, indent, "descrip", Some("subjectField"), subject);
        }
        write_simple(
            &mut out,
            indent,
            "admin",
            Some("processStatus"),
            concept.state.name(),
        );
        for note in &concept.notes {
            write_simple(&mut out, indent, "note", None, note);
        }
        for field in &concept.fields {
            write_field(&mut out, indent, field);
        }
        for section in &concept.languages {
            let _ = writeln!(
                out,
                "{indent}<{lang_section} xml:lang=\"{}\">",
                escape(&section.lang)
            );
            let inner = "          ";
            if let Some(definition) = &section.definition {
                write_simple(&mut out, inner, "descrip", Some("definition"), definition);
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
                if let Some(status) = term.status {
                    write_simple(
                        &mut out,
                        deepest,
                        "termNote",
                        Some("administrativeStatus"),
                        status.tbx_value(),
                    );
                }
                if let Some(pos) = &term.part_of_speech {
                    write_simple(&mut out, deepest, "termNote", Some("partOfSpeech"), pos);
                }
                if let Some(kind) = &term.term_type {
                    write_simple(&mut out, deepest, "termNote", Some("termType"), kind);
                }
                for note in &term.notes {
                    write_simple(&mut out, deepest, "note", None, note);
                }
                for field in &term.fields {
                    write_field(&mut out, deepest, field);
                }
                let _ = writeln!(out, "{inner}</{term_section}>");
            }
            let _ = writeln!(out, "{indent}</{lang_section}>");
        }
        let _ = writeln!(out, "      </{entry}>");
    }
    out.push_str("    </body>\n  </text>\n");
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
        let concepts = read_tbx(MARTIF).unwrap();
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
            let written = write_tbx(&[("1".into(), c)], dialect);
            let again = read_tbx(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
            assert_eq!(&again, &concepts, "{written}");
        }
        let v3 = write_tbx(&[("1".into(), c)], TbxDialect::V3);
        assert!(
            v3.contains("<conceptEntry id=\"e1\">") && v3.contains("<langSec xml:lang=\"zh-CN\">")
        );
    }

    #[test]
    fn bad_tbx_names_the_place() {
        let no_term = "<tbx><text><body><conceptEntry id=\"a\">\n<langSec xml:lang=\"en\"><termSec><termNote type=\"partOfSpeech\">noun</termNote></termSec></langSec></conceptEntry></body></text></tbx>";
        let error = read_tbx(no_term).unwrap_err().to_string();
        assert!(error.starts_with("line 2, column 24"), "{error}");
        let status = "<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>x</term><termNote type=\"administrativeStatus\">great</termNote></termSec></langSec></conceptEntry></body></text></tbx>";
        assert!(read_tbx(status).unwrap_err().to_string().contains("great"));
        assert!(read_tbx("<tmx/>")
            .unwrap_err()
            .to_string()
            .contains("<tmx>"));
        assert!(read_tbx("<tbx><text><body><conceptEntry>").is_err());
    }
}
