//! The concept-oriented termbase model, after TBX (ISO 30042): a [`Concept`] has a
//! subject field, notes, and one [`LangSection`] per language with a definition,
//! notes and its [`Term`]s; each term has a status and, where known, a part of speech
//! and a term type (full form, abbreviation).
//!
//! Data categories Tongwen does not interpret (a term's `context`, a concept's
//! `customerSubset`, …) are kept as [`Field`]s at the level they came from, so that an
//! imported glossary is exported again without loss.
//!
//! The review lifecycle lives here as pure functions on concepts — approve, reject,
//! deprecate a rendering, edit, merge two concepts, split one — and so does the merge
//! of an imported glossary into existing concepts, which reports conflicts instead of
//! overwriting. Persistence, versions and the audit log belong to the store.

use serde::{Deserialize, Serialize};

use crate::TermPair;

/// The status of a term within its concept (TBX `administrativeStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    /// The rendering to use.
    Preferred,
    /// Acceptable, not preferred.
    Admitted,
    /// Not to be used.
    Deprecated,
}

impl TermStatus {
    /// The lowercase name used in CSV, JSON and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferred",
            TermStatus::Admitted => "admitted",
            TermStatus::Deprecated => "deprecated",
        }
    }

    /// Parses a status name, accepting the ISO 12620 values TBX uses too
    /// (`preferredTerm-admn-sts`; standardized, legal and regulated terms are
    /// preferred; superseded, obsolete and not-recommended terms are deprecated).
    pub fn parse(text: &str) -> Option<TermStatus> {
        let lower = text.trim().to_ascii_lowercase();
        let name = lower.strip_suffix("-admn-sts").unwrap_or(&lower);
        let name = name.strip_suffix("term").unwrap_or(name);
        match name {
            // Standardized, legal and regulated terms are mandated: the one to use.
            "preferred" | "standardized" | "legal" | "regulated" => Some(TermStatus::Preferred),
            "admitted" => Some(TermStatus::Admitted),
            "deprecated" | "superseded" | "obsolete" | "notrecommended" => {
                Some(TermStatus::Deprecated)
            }
            _ => None,
        }
    }

    /// The TBX `administrativeStatus` value.
    pub fn tbx_value(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferredTerm-admn-sts",
            TermStatus::Admitted => "admittedTerm-admn-sts",
            TermStatus::Deprecated => "deprecatedTerm-admn-sts",
        }
    }
}

/// Where a concept stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ConceptState {
    /// Proposed by mining (or an import that says so), awaiting review.
    #[default]
    Candidate,
    /// Reviewed and in force: translation checks use it.
    Approved,
    /// Reviewed and refused; mining does not propose it again.
    Rejected,
    /// Folded into another concept by a merge.
    Merged,
}

impl ConceptState {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            ConceptState::Candidate => "candidate",
            ConceptState::Approved => "approved",
            ConceptState::Rejected => "rejected",
            ConceptState::Merged => "merged",
        }
    }

    /// Parses a lowercase name.
    pub fn parse(text: &str) -> Option<ConceptState> {
        match text.trim().to_ascii_lowercase().as_str() {
            "candidate" => Some(ConceptState::Candidate),
            "approved" => Some(ConceptState::Approved),
            "rejected" => Some(ConceptState::Rejected),
            "merged" => Some(ConceptState::Merged),
            _ => None,
        }
    }
}

/// A data category kept verbatim: the TBX element (`descrip`, `admin`, `termNote`,
/// `xref`, `ref`, `transac`…), its `type` attribute, its text and its `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The element name.
    pub element: String,
    /// The `type` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub kind: Option<String>,
    /// The text content.
    pub value: String,
    /// The `target` attribute of cross-references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `value` is XML markup (the content of a group such as `transacGrp`), written
    /// back as is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub markup: bool,
}

/// One term of a concept in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The term as written.
    pub text: String,
    /// Status; a term without one counts as admitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TermStatus>,
    /// The status as an imported file wrote it (`standardizedTerm-admn-sts`), when
    /// that is more than [`TermStatus`] says; written back while it still means
    /// `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_as_written: Option<String>,
    /// A definition given with this term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
    /// Part of speech (TBX `partOfSpeech`: noun, verb, adjective, properNoun…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of_speech: Option<String>,
    /// Term type (TBX `termType`: fullForm, abbreviation, acronym, variant…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_type: Option<String>,
    /// Notes on the term.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other data categories of the term, kept verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Aligned beads where mining saw this term rendered (English terms only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<u64>,
}

impl Term {
    /// A term with only its text and status.
    pub fn new(text: &str, status: Option<TermStatus>) -> Term {
        Term {
            text: text.to_string(),
            status,
            status_as_written: None,
            definition: None,
            part_of_speech: None,
            term_type: None,
            notes: Vec::new(),
            fields: Vec::new(),
            frequency: None,
        }
    }

    /// The ISO 12620 value to write for the status: as the file wrote it while that
    /// still means the status, else the status's own.
    pub fn status_value(&self) -> Option<&str> {
        let status = self.status?;
        Some(
            self.status_as_written
                .as_deref()
                .filter(|written| TermStatus::parse(written) == Some(status))
                .unwrap_or(status.tbx_value()),
        )
    }

    /// The status in force: a term without one is admitted.
    pub fn effective_status(&self) -> TermStatus {
        self.status.unwrap_or(TermStatus::Admitted)
    }
}

/// What a glossary file holds besides its concepts, kept so that an export can
/// carry it on: the descriptions of its sources (a TBX header's `sourceDesc`) and
/// its back matter (the `refObjectSec`s that `target` attributes point into, as
/// markup).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GlossaryMatter {
    /// Descriptions of where the glossary comes from, one per paragraph.
    pub sources: Vec<String>,
    /// Back matter, one piece of markup per `refObjectSec` (`refObjectList` in TBX
    /// v2).
    pub back: Vec<String>,
}

/// A definition and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Definition {
    /// The text.
    pub text: String,
    /// Its source (TBX `<admin type="source">` in a `descripGrp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A concept's content in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LangSection {
    /// The language tag as given (`zh`, `zh-CN`, `en`, `en-US`…).
    pub lang: String,
    /// Definition in this language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// The source of the definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_source: Option<String>,
    /// Notes in this language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other data categories of the section, kept verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// The terms, in order.
    pub terms: Vec<Term>,
}

/// Figures from mining, refreshed by every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MinedStats {
    /// Pairing confidence of the main rendering, in [0, 1].
    pub score: f32,
    /// Aligned beads with the term and its main rendering.
    pub frequency: u64,
    /// Termhood of the Chinese term (C-value).
    pub termhood: f32,
    /// A person, place or organisation.
    pub name: bool,
    /// First date seen (`YYYYMMDD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<i64>,
    /// Last date seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<i64>,
    /// The term is rendered in more than one way across the corpus.
    pub has_variants: bool,
}

/// A concept: everything said about one idea in every language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Concept {
    /// The identifier the concept had in an imported file, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Review state.
    #[serde(default)]
    pub state: ConceptState,
    /// Subject field (economy, culture…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A definition of the concept as a whole (TBX entry level), in no one language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
    /// Concept-level notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other concept-level data categories, kept verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// One section per language.
    #[serde(default)]
    pub languages: Vec<LangSection>,
    /// Figures from mining, if the concept was mined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mined: Option<MinedStats>,
    /// Evidence: ids of the aligned beads the concept was mined from. The store keeps
    /// evidence in a table of its own; concepts read back from it have this empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<u64>,
}

/// The primary language subtag of a language tag, lowercase (`zh-Hans-CN` → `zh`).
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Why a lifecycle operation cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The concept is not in a state that allows the operation.
    #[error("the concept is {state}; {operation} needs a candidate or approved concept")]
    WrongState {
        /// The current state.
        state: &'static str,
        /// What was tried.
        operation: &'static str,
    },
    /// No term with this text in the concept.
    #[error("the concept has no {lang} term \"{text}\"")]
    NoSuchTerm {
        /// Language asked for.
        lang: String,
        /// Term asked for.
        text: String,
    },
    /// Splitting would leave one side without terms.
    #[error("a split must leave terms in both concepts")]
    EmptySplit,
    /// The edit would leave the concept without any term.
    #[error("a concept needs at least one term")]
    NoTerms,
    /// A concept asked to be merged into itself.
    #[error("a concept cannot be merged into itself")]
    MergeIntoItself,
}

/// TBX's part of speech of a name.
pub const PROPER_NOUN: &str = "properNoun";

impl Concept {
    /// The Chinese terms of the concept that are names (part of speech
    /// [`PROPER_NOUN`]) and not deprecated.
    pub fn chinese_names(&self) -> impl Iterator<Item = &str> {
        self.languages
            .iter()
            .filter(|section| primary_language(&section.lang) == "zh")
            .flat_map(|section| &section.terms)
            .filter(|term| {
                term.part_of_speech.as_deref() == Some(PROPER_NOUN)
                    && term.status != Some(TermStatus::Deprecated)
            })
            .map(|term| term.text.as_str())
    }

    /// The first control character in any text of the concept (a term, a note, a
    /// definition, a kept data category), with where it is: such a concept is refused
    /// where it enters, since the character would command a terminal or break XML.
    pub fn stray_control(&self) -> Option<(String, tongwen_text::StrayControl)> {
        let found = |place: &dyn Fn() -> String, text: &str| {
            tongwen_text::find_stray_control(text).map(|c| (place(), c))
        };
        let fields = |place: &str, fields: &[Field]| {
            fields.iter().find_map(|f| {
                found(&|| format!("{place} {}", f.element), &f.value)
                    .or_else(|| {
                        f.kind
                            .as_deref()
                            .and_then(|k| found(&|| format!("{place} {} type", f.element), k))
                    })
                    .or_else(|| {
                        f.target
                            .as_deref()
                            .and_then(|t| found(&|| format!("{place} {} target", f.element), t))
                    })
            })
        };
        let concept_level = self
            .subject
            .as_deref()
            .and_then(|s| found(&|| "subject".into(), s))
            .or_else(|| self.notes.iter().find_map(|n| found(&|| "note".into(), n)))
            .or_else(|| fields("concept", &self.fields));
        concept_level.or_else(|| {
            self.languages.iter().find_map(|section| {
                let lang = section.lang.as_str();
                found(&|| format!("{lang} language tag"), lang)
                    .or_else(|| {
                        section
                            .definition
                            .as_deref()
                            .and_then(|d| found(&|| format!("{lang} definition"), d))
                    })
                    .or_else(|| {
                        section
                            .notes
                            .iter()
                            .find_map(|n| found(&|| format!("{lang} note"), n))
                    })
                    .or_else(|| fields(lang, &section.fields))
                    .or_else(|| {
                        section.terms.iter().find_map(|term| {
                            let place = || {
                                format!(
                                    "{lang} term {:?}",
                                    tongwen_text::strip_stray_controls(&term.text)
                                )
                            };
                            found(&place, &term.text)
                                .or_else(|| {
                                    term.part_of_speech
                                        .as_deref()
                                        .and_then(|p| found(&place, p))
                                })
                                .or_else(|| {
                                    term.term_type.as_deref().and_then(|t| found(&place, t))
                                })
                                .or_else(|| term.notes.iter().find_map(|n| found(&place, n)))
                                .or_else(|| fields(&place(), &term.fields))
                        })
                    })
            })
        })
    }

    /// The section of a language (by primary subtag), if any.
    pub fn section(&self, lang: &str) -> Option<&LangSection> {
        self.languages
            .iter()
            .find(|s| primary_language(&s.lang) == lang)
    }

    fn section_mut(&mut self, lang: &str) -> &mut LangSection {
        let position = self
            .languages
            .iter()
            .position(|s| primary_language(&s.lang) == lang);
        let position = match position {
            Some(p) => p,
            None => {
                self.languages.push(LangSection {
                    lang: lang.to_string(),
                    definition: None,
                    terms: Vec::new(),
                    ..LangSection::default()
                });
                self.languages.len() - 1
            }
        };
        &mut self.languages[position]
    }

    /// The terms of a language.
    pub fn terms(&self, lang: &str) -> impl Iterator<Item = &Term> {
        let lang = lang.to_string();
        self.languages
            .iter()
            .filter(move |s| primary_language(&s.lang) == lang)
            .flat_map(|s| s.terms.iter())
    }

    /// The first preferred term of a language, else its first non-deprecated one.
    pub fn headword(&self, lang: &str) -> Option<&Term> {
        self.terms(lang)
            .find(|t| t.status == Some(TermStatus::Preferred))
            .or_else(|| {
                self.terms(lang)
                    .find(|t| t.effective_status() != TermStatus::Deprecated)
            })
    }

    /// Every kept field of the concept, its languages and its terms.
    pub fn all_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields
            .iter()
            .chain(self.languages.iter().flat_map(|section| {
                section
                    .fields
                    .iter()
                    .chain(section.terms.iter().flat_map(|t| t.fields.iter()))
            }))
    }

    /// Every term of the concept, with its language.
    pub fn all_terms(&self) -> impl Iterator<Item = (&str, &Term)> {
        self.languages
            .iter()
            .flat_map(|s| s.terms.iter().map(move |t| (s.lang.as_str(), t)))
    }

    /// A concept proposed by mining: the Chinese term, its main rendering (preferred
    /// once approved) and the other renderings seen as admitted variants.
    pub fn from_mined(pair: &TermPair) -> Concept {
        let mut zh = Term::new(&pair.zh, Some(TermStatus::Preferred));
        if pair.name {
            zh.part_of_speech = Some(PROPER_NOUN.into());
        }
        let mut main = Term::new(&pair.en, Some(TermStatus::Preferred));
        main.frequency = Some(pair.frequency as u64);
        if pair.name {
            main.part_of_speech = Some(PROPER_NOUN.into());
        }
        let mut english = vec![main];
        for variant in &pair.variants {
            let mut term = Term::new(&variant.en, Some(TermStatus::Admitted));
            term.term_type = Some("variant".into());
            term.frequency = Some(variant.frequency as u64);
            english.push(term);
        }
        let mut zh_terms = vec![zh];
        for abbreviation in &pair.abbreviations {
            let mut term = Term::new(abbreviation, Some(TermStatus::Admitted));
            term.term_type = Some("abbreviation".into());
            zh_terms.push(term);
        }
        let mut evidence = pair.evidence.clone();
        evidence.extend(
            pair.variants
                .iter()
                .flat_map(|v| v.evidence.iter().copied()),
        );
        evidence.sort_unstable();
        evidence.dedup();
        Concept {
            external_id: None,
            state: ConceptState::Candidate,
            subject: None,
            definition: None,
            notes: Vec::new(),
            fields: Vec::new(),
            languages: vec![
                LangSection {
                    lang: "zh".into(),
                    definition: None,
                    terms: zh_terms,
                    ..LangSection::default()
                },
                LangSection {
                    lang: "en".into(),
                    definition: None,
                    terms: english,
                    ..LangSection::default()
                },
            ],
            mined: Some(MinedStats {
                score: pair.score,
                frequency: pair.frequency as u64,
                termhood: pair.termhood,
                name: pair.name,
                first_seen: pair.first_seen,
                last_seen: pair.last_seen,
                has_variants: !pair.variants.is_empty(),
            }),
            evidence,
        }
    }

    /// Refreshes what mining knows (figures, evidence, renderings not yet listed)
    /// without touching review decisions: statuses, states and edits stay.
    pub fn refresh_from_mined(&mut self, fresh: &Concept) {
        self.mined.clone_from(&fresh.mined);
        self.evidence.clone_from(&fresh.evidence);
        for (lang, term) in fresh.all_terms() {
            let lang = primary_language(lang);
            let known = self
                .terms(&lang)
                .any(|t| term_key(&lang, &t.text) == term_key(&lang, &term.text));
            if known {
                let key = term_key(&lang, &term.text);
                for existing in &mut self.section_mut(&lang).terms {
                    if term_key(&lang, &existing.text) == key {
                        existing.frequency = term.frequency;
                    }
                }
            } else {
                let mut added = term.clone();
                // A rendering first seen after review is a variant to look at, never
                // a new preferred term.
                if self.state != ConceptState::Candidate {
                    added.status = Some(TermStatus::Admitted);
                    added.term_type = Some("variant".into());
                }
                self.section_mut(&lang).terms.push(added);
                if let Some(mined) = &mut self.mined {
                    mined.has_variants |= lang == "en";
                }
            }
        }
    }

    fn require_open(&self, operation: &'static str) -> Result<(), LifecycleError> {
        match self.state {
            ConceptState::Candidate | ConceptState::Approved => Ok(()),
            state => Err(LifecycleError::WrongState {
                state: state.name(),
                operation,
            }),
        }
    }

    /// Approves the concept; with `preferred`, that English term becomes the
    /// preferred rendering and any other preferred English term is admitted.
    pub fn approve(&mut self, preferred: Option<&str>) -> Result<(), LifecycleError> {
        if self.state == ConceptState::Merged {
            return Err(LifecycleError::WrongState {
                state: "merged",
                operation: "approve",
            });
        }
        if let Some(text) = preferred {
            self.set_status("en", text, TermStatus::Preferred)?;
            let key = term_key("en", text);
            for term in &mut self.section_mut("en").terms {
                if term.status == Some(TermStatus::Preferred) && term_key("en", &term.text) != key {
                    term.status = Some(TermStatus::Admitted);
                }
            }
        }
        self.state = ConceptState::Approved;
        Ok(())
    }

    /// Rejects the concept.
    pub fn reject(&mut self) -> Result<(), LifecycleError> {
        self.require_open("reject")?;
        self.state = ConceptState::Rejected;
        Ok(())
    }

    /// Sets the status of a term, adding the term if the concept lacks it.
    pub fn set_status(
        &mut self,
        lang: &str,
        text: &str,
        status: TermStatus,
    ) -> Result<(), LifecycleError> {
        let key = term_key(lang, text);
        let section = self.section_mut(lang);
        match section
            .terms
            .iter_mut()
            .find(|t| term_key(lang, &t.text) == key)
        {
            Some(term) => term.status = Some(status),
            None => section.terms.push(Term::new(text, Some(status))),
        }
        Ok(())
    }

    /// Sets the part of speech of an existing term.
    pub fn set_part_of_speech(
        &mut self,
        lang: &str,
        text: &str,
        pos: &str,
    ) -> Result<(), LifecycleError> {
        let key = term_key(lang, text);
        let term = self
            .section_mut(lang)
            .terms
            .iter_mut()
            .find(|t| term_key(lang, &t.text) == key)
            .ok_or_else(|| LifecycleError::NoSuchTerm {
                lang: lang.into(),
                text: text.into(),
            })?;
        term.part_of_speech = Some(pos.to_string()).filter(|p| !p.is_empty());
        Ok(())
    }

    /// Marks an existing term deprecated.
    pub fn deprecate(&mut self, lang: &str, text: &str) -> Result<(), LifecycleError> {
        self.require_open("deprecate")?;
        let key = term_key(lang, text);
        if !self.terms(lang).any(|t| term_key(lang, &t.text) == key) {
            return Err(LifecycleError::NoSuchTerm {
                lang: lang.into(),
                text: text.into(),
            });
        }
        self.set_status(lang, text, TermStatus::Deprecated)
    }

    /// Removes a term.
    pub fn remove_term(&mut self, lang: &str, text: &str) -> Result<(), LifecycleError> {
        let key = term_key(lang, text);
        let section = self.section_mut(lang);
        let before = section.terms.len();
        section.terms.retain(|t| term_key(lang, &t.text) != key);
        if section.terms.len() == before {
            return Err(LifecycleError::NoSuchTerm {
                lang: lang.into(),
                text: text.into(),
            });
        }
        self.languages
            .retain(|s| !s.terms.is_empty() || s.definition.is_some() || !s.notes.is_empty());
        if self.all_terms().next().is_none() {
            return Err(LifecycleError::NoTerms);
        }
        Ok(())
    }

    /// Sets the definition of a language (`None` clears it).
    pub fn set_definition(&mut self, lang: &str, definition: Option<String>) {
        self.section_mut(lang).definition = definition.filter(|d| !d.trim().is_empty());
    }

    /// Adds a note in a language, or at concept level when `lang` is `None`.
    pub fn add_note(&mut self, lang: Option<&str>, note: String) {
        match lang {
            Some(lang) => self.section_mut(lang).notes.push(note),
            None => self.notes.push(note),
        }
    }

    /// Folds `other` into this concept: its terms (those not present already, keeping
    /// their status), definitions where this one has none, notes, fields and evidence.
    /// The caller marks `other` merged.
    pub fn absorb(&mut self, other: &Concept) -> Result<(), LifecycleError> {
        self.require_open("merge")?;
        other.require_open("merge")?;
        for section in &other.languages {
            let lang = primary_language(&section.lang);
            for term in &section.terms {
                let key = term_key(&lang, &term.text);
                if !self.terms(&lang).any(|t| term_key(&lang, &t.text) == key) {
                    let mut moved = term.clone();
                    // One concept has one preferred term per language.
                    if moved.status == Some(TermStatus::Preferred)
                        && self
                            .terms(&lang)
                            .any(|t| t.status == Some(TermStatus::Preferred))
                    {
                        moved.status = Some(TermStatus::Admitted);
                    }
                    self.section_mut(&lang).terms.push(moved);
                }
            }
            let mine = self.section_mut(&lang);
            if mine.definition.is_none() {
                mine.definition.clone_from(&section.definition);
            }
            mine.notes.extend(section.notes.iter().cloned());
            mine.fields.extend(section.fields.iter().cloned());
        }
        if self.subject.is_none() {
            self.subject.clone_from(&other.subject);
        }
        self.notes.extend(other.notes.iter().cloned());
        self.fields.extend(other.fields.iter().cloned());
        self.evidence.extend(other.evidence.iter().copied());
        self.evidence.sort_unstable();
        self.evidence.dedup();
        if let (Some(mine), Some(theirs)) = (&mut self.mined, &other.mined) {
            mine.frequency += theirs.frequency;
            mine.has_variants = true;
        }
        Ok(())
    }

    /// Splits the named terms off into a new candidate concept, which is returned;
    /// definitions and notes stay here.
    pub fn split_off(&mut self, moving: &[(String, String)]) -> Result<Concept, LifecycleError> {
        self.require_open("split")?;
        let mut split = Concept::default();
        for (lang, text) in moving {
            let key = term_key(lang, text);
            let term = self
                .terms(lang)
                .find(|t| term_key(lang, &t.text) == key)
                .cloned()
                .ok_or_else(|| LifecycleError::NoSuchTerm {
                    lang: lang.clone(),
                    text: text.clone(),
                })?;
            self.section_mut(lang)
                .terms
                .retain(|t| term_key(lang, &t.text) != key);
            split.section_mut(lang).terms.push(term);
        }
        self.languages
            .retain(|s| !s.terms.is_empty() || s.definition.is_some() || !s.notes.is_empty());
        if self.all_terms().next().is_none() || split.all_terms().next().is_none() {
            return Err(LifecycleError::EmptySplit);
        }
        split.subject.clone_from(&self.subject);
        split.evidence.clone_from(&self.evidence);
        Ok(split)
    }
}

/// The key under which a term is matched: Chinese without spaces; English
/// lowercase, with hyphens and slashes as spaces, and each word reduced to a crude
/// singular so that "zones" finds "zone". Translation checks use the finer stems of
/// the English tokenizer; this key only decides which stored terms are the same.
pub fn term_key(lang: &str, text: &str) -> String {
    if primary_language(lang) == "zh" {
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    }
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == '\u{2010}')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.strip_suffix('s')
                .filter(|stem| stem.len() > 2 && !stem.ends_with('s'))
                .unwrap_or(w)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A disagreement between an imported concept and a stored one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The term both concepts share.
    pub term: String,
    /// What differs.
    pub field: String,
    /// The stored value.
    pub stored: String,
    /// The imported value.
    pub imported: String,
}

/// Merges an imported concept into a stored one that shares a term with it: new
/// terms, definitions, notes and fields are added; a value that differs from a
/// stored one (a term's status or part of speech, a definition, the subject) is a
/// conflict and keeps the stored value.
pub fn merge_imported(stored: &mut Concept, imported: &Concept) -> Vec<Conflict> {
    ImportMerge::new(stored).merge(imported)
}

/// What makes two terms of a language one term when concepts merge: the words as
/// written, however spaced or hyphenated (and, for Chinese, whitespace aside), so
/// that "opening-up" and "opening up" are one term while "item" and "items",
/// "Fast-forward" and "fast-forward" stay terms of their own.
fn same_term_key(lang: &str, text: &str) -> String {
    if lang == "zh" {
        return term_key(lang, text);
    }
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '\u{2010}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Merges many imported concepts, one after another, into one stored concept:
/// [`merge_imported`] for each, with the concept's terms and notes indexed once, so
/// that a glossary of thousands of entries sharing a term costs time in proportion to
/// its length, not to its square.
pub struct ImportMerge<'a> {
    concept: &'a mut Concept,
    /// (language, term key) → (section, term) positions in `concept`.
    terms: std::collections::HashMap<(String, String), (usize, usize)>,
    /// Concept-level notes already present.
    notes: std::collections::HashSet<String>,
}

impl<'a> ImportMerge<'a> {
    /// Indexes `concept` for merging.
    pub fn new(concept: &'a mut Concept) -> ImportMerge<'a> {
        let mut terms = std::collections::HashMap::new();
        for (s, section) in concept.languages.iter().enumerate() {
            let lang = primary_language(&section.lang);
            for (t, term) in section.terms.iter().enumerate() {
                terms
                    .entry((lang.clone(), same_term_key(&lang, &term.text)))
                    .or_insert((s, t));
            }
        }
        let notes = concept.notes.iter().cloned().collect();
        ImportMerge {
            concept,
            terms,
            notes,
        }
    }

    fn section_index(&mut self, lang: &str) -> usize {
        match self
            .concept
            .languages
            .iter()
            .position(|s| primary_language(&s.lang) == lang)
        {
            Some(position) => position,
            None => {
                self.concept.section_mut(lang);
                self.concept.languages.len() - 1
            }
        }
    }

    /// Merges `imported` in; returns its conflicts.
    pub fn merge(&mut self, imported: &Concept) -> Vec<Conflict> {
        let mut conflicts = Vec::new();
        let shared = imported
            .all_terms()
            .find(|(lang, t)| {
                let lang = primary_language(lang);
                let key = same_term_key(&lang, &t.text);
                self.terms.contains_key(&(lang, key))
            })
            .map(|(_, t)| t.text.clone())
            .unwrap_or_default();
        let mut differ = |field: String, stored: &str, imported: &str| {
            conflicts.push(Conflict {
                term: shared.clone(),
                field,
                stored: stored.to_string(),
                imported: imported.to_string(),
            });
        };
        match (&self.concept.subject, &imported.subject) {
            (Some(a), Some(b)) if a != b => differ("subject".into(), a, b),
            (None, Some(b)) => self.concept.subject = Some(b.clone()),
            _ => {}
        }
        match (&self.concept.definition, &imported.definition) {
            (Some(a), Some(b)) if a.text != b.text => differ("definition".into(), &a.text, &b.text),
            (None, Some(b)) => self.concept.definition = Some(b.clone()),
            _ => {}
        }
        for section in &imported.languages {
            let lang = primary_language(&section.lang);
            let at = self.section_index(&lang);
            for term in &section.terms {
                let key = (lang.clone(), same_term_key(&lang, &term.text));
                let Some(&(s, t)) = self.terms.get(&key) else {
                    let target = &mut self.concept.languages[at].terms;
                    target.push(term.clone());
                    self.terms.insert(key, (at, target.len() - 1));
                    continue;
                };
                let existing = &mut self.concept.languages[s].terms[t];
                let (a, b) = (existing.status, term.status);
                if let (Some(a), Some(b)) = (a, b) {
                    if a != b {
                        differ(
                            format!("status of {lang} term \"{}\"", term.text),
                            a.name(),
                            b.name(),
                        );
                    }
                } else if a.is_none() {
                    existing.status = b;
                    existing
                        .status_as_written
                        .clone_from(&term.status_as_written);
                }
                if existing.definition.is_none() {
                    existing.definition.clone_from(&term.definition);
                }
                match (&existing.part_of_speech, &term.part_of_speech) {
                    (Some(a), Some(b)) if a != b => differ(
                        format!("part of speech of {lang} term \"{}\"", term.text),
                        a,
                        b,
                    ),
                    (None, Some(b)) => existing.part_of_speech = Some(b.clone()),
                    _ => {}
                }
                for note in &term.notes {
                    if !existing.notes.contains(note) {
                        existing.notes.push(note.clone());
                    }
                }
                for field in &term.fields {
                    if !existing.fields.contains(field) {
                        existing.fields.push(field.clone());
                    }
                }
            }
            let target = &mut self.concept.languages[at];
            match (&target.definition, &section.definition) {
                (Some(a), Some(b)) if a != b => {
                    let (a, b) = (a.clone(), b.clone());
                    differ(format!("{lang} definition"), &a, &b);
                }
                (None, Some(b)) => {
                    target.definition = Some(b.clone());
                    target
                        .definition_source
                        .clone_from(&section.definition_source);
                }
                _ => {}
            }
            let target = &mut self.concept.languages[at];
            for note in &section.notes {
                if !target.notes.contains(note) {
                    target.notes.push(note.clone());
                }
            }
        }
        for note in &imported.notes {
            if self.notes.insert(note.clone()) {
                self.concept.notes.push(note.clone());
            }
        }
        conflicts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(zh: &str, en: &[(&str, TermStatus)]) -> Concept {
        let mut c = Concept::default();
        c.set_status("zh", zh, TermStatus::Preferred).unwrap();
        for (text, status) in en {
            c.set_status("en", text, *status).unwrap();
        }
        c
    }

    #[test]
    fn status_parses_tbx_and_plain_names() {
        assert_eq!(
            TermStatus::parse("preferredTerm-admn-sts"),
            Some(TermStatus::Preferred)
        );
        assert_eq!(TermStatus::parse("Admitted"), Some(TermStatus::Admitted));
        assert_eq!(
            TermStatus::parse("supersededTerm-admn-sts"),
            Some(TermStatus::Deprecated)
        );
        assert_eq!(TermStatus::parse("great"), None);
    }

    #[test]
    fn term_keys_ignore_case_hyphens_and_plurals() {
        assert_eq!(
            term_key("en", "High-standard Opening-up"),
            term_key("en", "high standard opening up")
        );
        assert_eq!(
            term_key("en", "development zones"),
            term_key("en", "development zone")
        );
        assert_ne!(term_key("en", "process"), term_key("en", "proces"));
        assert_eq!(term_key("zh-CN", "新质 生产力"), "新质生产力");
    }

    #[test]
    fn approving_with_a_choice_makes_it_the_only_preferred_rendering() {
        let mut c = concept(
            "高水平对外开放",
            &[
                ("high-level opening-up", TermStatus::Preferred),
                ("high-standard opening up", TermStatus::Admitted),
            ],
        );
        c.approve(Some("high-standard opening up")).unwrap();
        assert_eq!(c.state, ConceptState::Approved);
        assert_eq!(c.headword("en").unwrap().text, "high-standard opening up");
        assert_eq!(
            c.terms("en")
                .filter(|t| t.status == Some(TermStatus::Preferred))
                .count(),
            1
        );
    }

    #[test]
    fn rejected_and_merged_concepts_refuse_edits() {
        let mut c = concept(
            "内生动力",
            &[("endogenous momentum", TermStatus::Preferred)],
        );
        c.reject().unwrap();
        assert!(c.deprecate("en", "endogenous momentum").is_err());
        c.state = ConceptState::Merged;
        assert!(c.approve(None).is_err());
    }

    #[test]
    fn deprecating_needs_an_existing_term() {
        let mut c = concept("经开区", &[("development zone", TermStatus::Preferred)]);
        assert!(matches!(
            c.deprecate("en", "ETDZ"),
            Err(LifecycleError::NoSuchTerm { .. })
        ));
        c.deprecate("en", "development zones").unwrap();
        assert_eq!(
            c.terms("en").next().unwrap().status,
            Some(TermStatus::Deprecated)
        );
    }

    #[test]
    fn merge_keeps_one_preferred_term_per_language_and_split_undoes_it() {
        let mut a = concept(
            "高水平对外开放",
            &[("high-standard opening up", TermStatus::Preferred)],
        );
        let b = concept(
            "高水平开放",
            &[("high-level opening-up", TermStatus::Preferred)],
        );
        a.absorb(&b).unwrap();
        assert_eq!(a.terms("zh").count(), 2);
        assert_eq!(
            a.terms("en")
                .filter(|t| t.status == Some(TermStatus::Preferred))
                .count(),
            1
        );
        let split = a
            .split_off(&[
                ("zh".into(), "高水平开放".into()),
                ("en".into(), "high-level opening-up".into()),
            ])
            .unwrap();
        assert_eq!(split.terms("zh").next().unwrap().text, "高水平开放");
        assert_eq!(a.terms("zh").count(), 1);
        assert_eq!(
            a.split_off(&[
                ("zh".into(), "高水平对外开放".into()),
                ("en".into(), "high-standard opening up".into())
            ]),
            Err(LifecycleError::EmptySplit)
        );
    }

    #[test]
    fn imported_glossaries_add_what_is_new_and_report_what_differs() {
        let mut stored = concept("一带一路", &[("Belt and Road", TermStatus::Preferred)]);
        stored.set_definition("en", Some("A development initiative.".into()));
        let mut imported = concept(
            "一带一路",
            &[
                ("Belt and Road", TermStatus::Deprecated),
                ("BRI", TermStatus::Admitted),
            ],
        );
        imported.set_definition("en", Some("An initiative.".into()));
        let conflicts = merge_imported(&mut stored, &imported);
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
        assert_eq!(stored.terms("en").count(), 2);
        assert_eq!(stored.headword("en").unwrap().text, "Belt and Road");
        assert_eq!(
            stored.section("en").unwrap().definition.as_deref(),
            Some("A development initiative.")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn term_texts() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec("[a-z]{1,6}( [a-z]{1,6}){0,2}", 1..5)
    }

    fn concept_of(zh: &str, en: &[String], statuses: &[u8]) -> Concept {
        let mut c = Concept::default();
        c.set_status("zh", zh, TermStatus::Preferred).unwrap();
        for (text, s) in en.iter().zip(statuses.iter().cycle()) {
            let status = [
                TermStatus::Preferred,
                TermStatus::Admitted,
                TermStatus::Deprecated,
            ][*s as usize % 3];
            c.set_status("en", text, status).unwrap();
        }
        c
    }

    proptest! {
        #[test]
        fn approving_a_rendering_leaves_exactly_it_preferred(en in term_texts(), statuses in prop::collection::vec(0u8..3, 1..5), pick in 0usize..5) {
            let mut c = concept_of("术语", &en, &statuses);
            let chosen = en[pick % en.len()].clone();
            c.approve(Some(&chosen)).unwrap();
            let preferred: Vec<&Term> = c.terms("en").filter(|t| t.status == Some(TermStatus::Preferred)).collect();
            prop_assert_eq!(preferred.len(), 1);
            prop_assert_eq!(term_key("en", &preferred[0].text), term_key("en", &chosen));
        }

        #[test]
        fn merging_keeps_every_term_and_one_preferred_per_language(a in term_texts(), b in term_texts(), sa in prop::collection::vec(0u8..3, 1..5), sb in prop::collection::vec(0u8..3, 1..5)) {
            let mut target = concept_of("甲", &a, &sa);
            let source = concept_of("乙", &b, &sb);
            let preferred_before = target.terms("en").filter(|t| t.status == Some(TermStatus::Preferred)).count();
            target.absorb(&source).unwrap();
            for (lang, term) in source.all_terms() {
                let lang = primary_language(lang);
                prop_assert!(target.terms(&lang).any(|t| term_key(&lang, &t.text) == term_key(&lang, &term.text)));
            }
            prop_assert_eq!(target.terms("zh").filter(|t| t.status == Some(TermStatus::Preferred)).count(), 1);
            let preferred_after = target.terms("en").filter(|t| t.status == Some(TermStatus::Preferred)).count();
            prop_assert!(preferred_after <= preferred_before.max(1));
        }

        #[test]
        fn concepts_survive_their_json_form(en in term_texts(), statuses in prop::collection::vec(0u8..3, 1..5)) {
            let c = concept_of("概念", &en, &statuses);
            let json = serde_json::to_string(&c).unwrap();
            let back: Concept = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, c);
        }
    }
}
