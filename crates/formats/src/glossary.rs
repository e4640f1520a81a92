//! Glossaries as CSV and JSON.
//!
//! CSV (UTF-8, a header row, RFC 4180 quoting) comes in two shapes:
//! - one term per row, as Tongwen exports it: `concept, state, subject, lang, term,
//!   status, part_of_speech, term_type, definition, note` — rows with the same
//!   `concept` value form one concept; `definition` is the definition in the row's
//!   language;
//! - one concept per row, as people keep glossaries: a column per language named by
//!   its tag (`zh`, `en`, `zh-CN`…), optional `subject`, `note`, `state`, and
//!   `status` (the status of the English term; the Chinese one is preferred).
//!
//! JSON is an array of concepts as [`Concept`] serializes them, plus the store's `id`
//! and `version` on export (ignored on import).

use serde::{Deserialize, Serialize};
use tongwen_terms::termbase::{Concept, ConceptState, Definition, LangSection, Term, TermStatus};

use crate::read::ReadError;
use crate::{spreadsheet_cell, spreadsheet_text};

/// The columns of the term-per-row CSV shape, in export order.
pub const CSV_COLUMNS: [&str; 12] = [
    "concept",
    "state",
    "subject",
    "lang",
    "term",
    "status",
    "part_of_speech",
    "term_type",
    "definition",
    "note",
    "concept_definition",
    "concept_note",
];

fn csv_error(line: u64, message: impl Into<String>) -> ReadError {
    ReadError::Csv {
        line: line as usize,
        message: message.into(),
    }
}

/// Reads a CSV glossary of either shape.
pub fn read_csv(text: &str) -> Result<Vec<Concept>, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let per_term = column("lang").is_some() && column("term").is_some();
    let languages: Vec<(usize, String)> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            let primary = h.split(['-', '_']).next().unwrap_or_default();
            !per_term
                && (primary == "zh"
                    || primary == "en"
                    || (h.len() == 2
                        && h.chars().all(|c| c.is_ascii_lowercase())
                        && !CSV_COLUMNS.contains(&h.as_str())))
        })
        .map(|(k, h)| (k, h.clone()))
        .collect();
    if !per_term && languages.is_empty() {
        return Err(csv_error(
            1,
            "the header names neither `lang` and `term` columns nor language columns (zh, en…)",
        ));
    }
    let mut concepts: Vec<Concept> = Vec::new();
    let mut groups: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            csv_error(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| {
            column(name)
                .and_then(|k| record.get(k))
                .map(|v| spreadsheet_text(v.trim()))
                .filter(|v| !v.is_empty())
        };
        let state = match get("state") {
            Some(value) => ConceptState::parse(value)
                .filter(|s| *s != ConceptState::Merged)
                .ok_or_else(|| {
                    csv_error(line, format!("field `state`: unknown state \"{value}\""))
                })?,
            None => ConceptState::Approved,
        };
        let status = |value: Option<&str>| -> Result<Option<TermStatus>, ReadError> {
            value
                .map(|v| {
                    TermStatus::parse(v).ok_or_else(|| {
                        csv_error(line, format!("field `status`: unknown status \"{v}\""))
                    })
                })
                .transpose()
        };
        if per_term {
            let lang = get("lang").ok_or_else(|| csv_error(line, "field `lang` is empty"))?;
            let text = get("term").ok_or_else(|| csv_error(line, "field `term` is empty"))?;
            let group = get("concept").map_or_else(|| format!("line {line}"), str::to_string);
            let index = *groups.entry(group).or_insert_with(|| {
                concepts.push(Concept {
                    external_id: get("concept").map(str::to_string),
                    state,
                    subject: get("subject").map(str::to_string),
                    ..Concept::default()
                });
                concepts.len() - 1
            });
            let mut term = Term::new(text, status(get("status"))?);
            term.part_of_speech = get("part_of_speech").map(str::to_string);
            term.term_type = get("term_type").map(str::to_string);
            term.notes
                .extend(get("note").into_iter().flat_map(notes_of));
            let concept = &mut concepts[index];
            if concept.definition.is_none() {
                concept.definition = get("concept_definition").map(|text| Definition {
                    text: text.to_string(),
                    source: None,
                });
            }
            if concept.notes.is_empty() {
                concept
                    .notes
                    .extend(get("concept_note").into_iter().flat_map(notes_of));
            }
            let section = match concept.languages.iter().position(|s| s.lang == lang) {
                Some(p) => &mut concept.languages[p],
                None => {
                    concept.languages.push(LangSection {
                        lang: lang.to_string(),
                        definition: None,
                        terms: Vec::new(),
                        ..LangSection::default()
                    });
                    let last = concept.languages.len() - 1;
                    &mut concept.languages[last]
                }
            };
            if section.definition.is_none() {
                section.definition = get("definition").map(str::to_string);
            }
            section.terms.push(term);
        } else {
            let mut concept = Concept {
                state,
                subject: get("subject").map(str::to_string),
                ..Concept::default()
            };
            concept
                .notes
                .extend(get("note").into_iter().flat_map(notes_of));
            let english_status = status(get("status"))?;
            for (k, lang) in &languages {
                let Some(text) = record
                    .get(*k)
                    .map(|t| spreadsheet_text(t.trim()))
                    .filter(|t| !t.is_empty())
                else {
                    continue;
                };
                let term_status = if lang.starts_with("en") {
                    english_status.or(Some(TermStatus::Preferred))
                } else {
                    Some(TermStatus::Preferred)
                };
                concept.languages.push(LangSection {
                    lang: lang.clone(),
                    definition: None,
                    terms: vec![Term::new(text, term_status)],
                    ..LangSection::default()
                });
            }
            if concept.languages.is_empty() {
                return Err(csv_error(line, "a row without any term"));
            }
            concepts.push(concept);
        }
    }
    Ok(concepts)
}

/// The notes of a cell: one a line.
fn notes_of(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
}

/// Writes concepts as term-per-row CSV; what belongs to the whole concept (its
/// definition and notes) is on its first row, several notes one a line of a cell.
pub fn write_csv(concepts: &[(String, &Concept)]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for (id, concept) in concepts {
        for section in &concept.languages {
            for (k, term) in section.terms.iter().enumerate() {
                let definition = if k == 0 {
                    section.definition.as_deref()
                } else {
                    None
                };
                let notes = term.notes.join("\n");
                // What belongs to the whole concept is written once, on its first row.
                let first_row = k == 0 && std::ptr::eq(section, &concept.languages[0]);
                let concept_definition = concept
                    .definition
                    .as_ref()
                    .filter(|_| first_row)
                    .map_or("", |d| d.text.as_str());
                let concept_notes = if first_row {
                    concept.notes.join("\n")
                } else {
                    String::new()
                };
                let cells = [
                    id.as_str(),
                    concept.state.name(),
                    concept.subject.as_deref().unwrap_or_default(),
                    section.lang.as_str(),
                    term.text.as_str(),
                    term.status.map_or("", |s| s.name()),
                    term.part_of_speech.as_deref().unwrap_or_default(),
                    term.term_type.as_deref().unwrap_or_default(),
                    definition.unwrap_or_default(),
                    notes.as_str(),
                    concept_definition,
                    concept_notes.as_str(),
                ];
                writer
                    .write_record(cells.iter().map(|cell| spreadsheet_cell(cell).into_owned()))?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A concept as exported to JSON, with its store id and version.
#[derive(Debug, Serialize, Deserialize)]
pub struct JsonConcept {
    /// Store id (ignored on import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Store version (ignored on import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The concept.
    #[serde(flatten)]
    pub concept: Concept,
}

/// Reads a JSON glossary: an array of concepts. A concept that does not give its
/// state is approved.
pub fn read_json_glossary(text: &str) -> Result<Vec<Concept>, ReadError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| ReadError::Json {
            line: e.line(),
            message: e.to_string(),
        })?;
    values
        .into_iter()
        .enumerate()
        .map(|(k, mut value)| {
            if let Some(object) = value.as_object_mut() {
                object
                    .entry("state")
                    .or_insert_with(|| serde_json::Value::from("approved"));
            }
            let concept: JsonConcept = serde_json::from_value(value)
                .map_err(|e| ReadError::Invalid(format!("concept {} of the array: {e}", k + 1)))?;
            if concept.concept.all_terms().next().is_none() {
                return Err(ReadError::Invalid(format!(
                    "concept {} of the array has no term",
                    k + 1
                )));
            }
            Ok(concept.concept)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_csv_becomes_approved_concepts() {
        let csv = "\u{feff}zh,en,status,subject,note\n新质生产力,new quality productive forces,,economy,\n\"一带一路\",\"Belt and Road\",preferred,,\"a note, with a comma\"\n";
        let concepts = read_csv(csv).unwrap();
        assert_eq!(concepts.len(), 2);
        assert_eq!(concepts[0].state, ConceptState::Approved);
        assert_eq!(concepts[0].subject.as_deref(), Some("economy"));
        assert_eq!(concepts[1].headword("en").unwrap().text, "Belt and Road");
        assert_eq!(concepts[1].notes, ["a note, with a comma"]);
    }

    #[test]
    fn term_rows_round_trip() {
        let csv = "concept,state,subject,lang,term,status,part_of_speech,term_type,definition,note,concept_definition,concept_note\nc1,candidate,economy,zh,经济技术开发区,preferred,noun,fullForm,,,Zones with preferential policies.,\"Set up since 1984.\nSee also 高新区.\"\nc1,candidate,economy,zh,经开区,admitted,noun,abbreviation,,,,\nc1,candidate,economy,en,economic and technological development zone,preferred,noun,,A zone.,\"said \"\"ETDZ\"\" too\",,\n";
        let concepts = read_csv(csv).unwrap();
        assert_eq!(concepts.len(), 1);
        assert_eq!(concepts[0].terms("zh").count(), 2);
        assert_eq!(concepts[0].state, ConceptState::Candidate);
        assert_eq!(
            concepts[0].definition.as_ref().map(|d| d.text.as_str()),
            Some("Zones with preferential policies.")
        );
        assert_eq!(
            concepts[0].notes,
            ["Set up since 1984.", "See also 高新区."]
        );
        let written = write_csv(&[("c1".into(), &concepts[0])]).unwrap();
        assert_eq!(read_csv(&written).unwrap(), concepts);
        assert_eq!(written, csv);
    }

    #[test]
    fn bad_csv_names_the_line_and_field() {
        let error = read_csv("zh,en,status\n新,new,best\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("line 2") && error.contains("status"),
            "{error}"
        );
        let error = read_csv("zh,en\n新,new,extra\n").unwrap_err().to_string();
        assert!(error.starts_with("line 2"), "{error}");
        assert!(read_csv("a,b\n1,2\n").is_err());
    }

    #[test]
    fn json_glossary_defaults_to_approved() {
        let json = r#"[{"languages":[{"lang":"zh","terms":[{"text":"天津"}]},{"lang":"en","terms":[{"text":"Tianjin","status":"preferred"}]}]}]"#;
        let concepts = read_json_glossary(json).unwrap();
        assert_eq!(concepts[0].state, ConceptState::Approved);
        assert!(read_json_glossary(r#"[{"languages":[]}]"#).is_err());
        assert!(read_json_glossary("[{")
            .unwrap_err()
            .to_string()
            .starts_with("line 1"));
    }
}
