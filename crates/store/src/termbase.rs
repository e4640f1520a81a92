//! The termbase in the store: concepts with a version each, an index of their terms
//! for lookup, and an append-only audit log (schema version 3).
//!
//! Every change goes through [`Termbase::update_concept`] or one of the operations
//! built on it: it refuses an edit made against a stale version, applies the change,
//! bumps the version and appends an audit entry with the concept before and after,
//! all in one transaction.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use tongwen_terms::termbase::{
    primary_language, term_key, Concept, ConceptState, Conflict, GlossaryMatter, ImportMerge,
    LifecycleError, PROPER_NOUN,
};

use crate::sqlite::{bead_span, document_sentences, SentenceForm};
use crate::{Error, PairId, Result, SqliteStore};

/// A reference to one bead, as kept in a concept's evidence: the pair id in the high
/// bits, the bead's position in the low 24.
pub fn bead_ref(pair: PairId, position: usize) -> u64 {
    ((pair.0 as u64) << 24) | (position as u64 & 0xFF_FFFF)
}

/// The pair and position of a bead reference.
pub fn bead_of(reference: u64) -> (PairId, usize) {
    (
        PairId((reference >> 24) as i64),
        (reference & 0xFF_FFFF) as usize,
    )
}

/// A stored concept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConceptRow {
    /// Its id.
    pub id: i64,
    /// Its version, raised by every change.
    pub version: i64,
    /// The concept a merge folded this one into.
    pub merged_into: Option<i64>,
    /// When it last changed (UTC, RFC 3339).
    pub updated_at: String,
    /// Who changed it last.
    pub updated_by: String,
    /// The concept.
    pub concept: Concept,
}

/// Which concepts to list.
#[derive(Debug, Clone, Default)]
pub struct ConceptFilter {
    /// Only this state.
    pub state: Option<ConceptState>,
    /// Only concepts with a term containing this text (case-insensitive).
    pub text: Option<String>,
    /// At most this many (all when `None`).
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: usize,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRow {
    /// Its id, in order of writing.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// The concept concerned.
    pub concept_id: Option<i64>,
    /// What was done: `mined`, `approve`, `reject`, `edit`, `deprecate`, `merge`,
    /// `merged-into`, `split`, `import`…
    pub action: String,
    /// The concept's version after the action.
    pub version: Option<i64>,
    /// Details as JSON: the concept before and after, arguments.
    pub detail: serde_json::Value,
}

/// What saving mined concepts did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MineOutcome {
    /// New candidates.
    pub added: usize,
    /// Concepts already known whose figures and evidence were refreshed.
    pub refreshed: usize,
}

/// How an import finds the stored concept an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ImportMatching {
    /// Every entry of the file is a concept of its own, never merged with another
    /// entry. An entry updates a stored concept only when it is that concept: the
    /// stored concept came from an entry with the same id and shares a term with it,
    /// or it has the entry's subject and holds all the entry's terms as written (the
    /// same file imported again). Else the entry is added, and a stored concept
    /// sharing a term in a language and the subject is reported as a likely duplicate
    /// for review.
    #[default]
    Entries,
    /// As [`ImportMatching::Entries`], for a file Tongwen exported: an entry whose id
    /// is a concept's Tongwen id (`c42`) is that concept.
    EntriesWithTongwenIds,
    /// Any entry that shares a Chinese term with a stored concept or an earlier entry
    /// (any term, for entries without Chinese) is merged into it.
    ChineseTerm,
}

/// A stored concept an added entry may duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyDuplicate {
    /// Position of the entry in the file (from 1).
    pub entry: usize,
    /// The concept the entry was added as.
    pub added_as: i64,
    /// The stored concept it shares a term with.
    pub concept_id: i64,
    /// The language of the shared term.
    pub lang: String,
    /// The shared term, as the entry writes it.
    pub term: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportOutcome {
    /// Concepts added.
    pub added: usize,
    /// Imported concepts merged into stored ones (the same concept by id, or sharing
    /// a term under [`ImportMatching::ChineseTerm`]).
    pub merged: usize,
    /// Added concepts that share a term and the subject with a concept stored
    /// before, for review.
    pub likely_duplicates: Vec<LikelyDuplicate>,
    /// Values that differ from stored ones, which were kept.
    pub conflicts: Vec<ImportConflict>,
}

/// A conflict of an import, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportConflict {
    /// The stored concept.
    pub concept_id: i64,
    /// Position of the imported concept in the file (from 1).
    pub entry: usize,
    /// What differs.
    #[serde(flatten)]
    pub conflict: Conflict,
}

/// A term found by text, with its concept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermMatch {
    /// The concept.
    pub concept: i64,
    /// The concept's state.
    pub state: ConceptState,
    /// The term's language.
    pub lang: String,
    /// The term.
    pub term: String,
    /// Its status, if given.
    pub status: Option<String>,
}

/// A bead of evidence with its story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// The bead reference kept in the concept.
    pub reference: u64,
    /// The pair.
    pub pair: PairId,
    /// The bead's position.
    pub position: usize,
    /// Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
    /// Title of the story.
    pub title: Option<String>,
    /// Publication time as written.
    pub published: Option<String>,
}

/// A bead to mine: normalized texts and date.
#[derive(Debug, Clone, PartialEq)]
pub struct BeadToMine {
    /// Its reference.
    pub reference: u64,
    /// Chinese sentences, normalized, joined.
    pub zh: String,
    /// English sentences, normalized, joined with spaces; empty when omitted.
    pub en: String,
    /// Publication date of the story (`YYYYMMDD`).
    pub date: Option<i64>,
    /// The aligner's confidence that the bead is right, in [0, 1].
    pub confidence: f32,
    /// The aligner flagged the bead for review.
    pub flagged: bool,
}

/// A Chinese name of a live concept, for teaching the tokenizer.
#[derive(Debug, Clone, PartialEq)]
pub struct ConceptName {
    /// The name.
    pub text: String,
    /// The state of its concept (candidate or approved).
    pub state: ConceptState,
    /// The concept's mining score, if it was mined.
    pub mined_score: Option<f32>,
}

/// The termbase operations of a store.
pub trait Termbase {
    /// Saves mined concepts: a concept whose Chinese headword is stored already is
    /// refreshed (figures, evidence, new renderings) without touching its review
    /// state; a rejected one stays rejected; others are added as candidates.
    fn save_mined(&mut self, concepts: &[Concept], actor: &str) -> Result<MineOutcome>;
    /// Concepts matching `filter`, best-scored first within a state.
    fn concepts(&self, filter: &ConceptFilter) -> Result<Vec<ConceptRow>>;
    /// Number of concepts per state.
    fn concept_counts(&self) -> Result<Vec<(ConceptState, usize)>>;
    /// One concept.
    fn concept(&self, id: i64) -> Result<ConceptRow>;
    /// Applies `change` to a concept. With `expected_version`, a concept changed since
    /// is refused with [`Error::Stale`].
    fn update_concept(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
        actor: &str,
        action: &str,
        change: &mut dyn FnMut(&mut Concept) -> std::result::Result<(), LifecycleError>,
    ) -> Result<ConceptRow>;
    /// Folds `source` into `target`; `source` is marked merged.
    fn merge_concepts(
        &mut self,
        target: (i64, Option<i64>),
        source: (i64, Option<i64>),
        actor: &str,
    ) -> Result<ConceptRow>;
    /// Moves the named `(lang, term)`s of a concept into a new candidate concept.
    fn split_concept(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
        moving: &[(String, String)],
        actor: &str,
    ) -> Result<(ConceptRow, ConceptRow)>;
    /// Imports concepts in one transaction, matched to stored ones as `matching`
    /// says, and keeps the file's `matter` (header sources, back matter) for export.
    fn import_concepts(
        &mut self,
        concepts: &[Concept],
        matching: ImportMatching,
        matter: &GlossaryMatter,
        actor: &str,
    ) -> Result<ImportOutcome>;
    /// The header sources and back matter of every glossary imported.
    fn glossary_matter(&self) -> Result<GlossaryMatter>;
    /// Live concepts whose Chinese terms contain one of `keys` or are contained in
    /// one (经开区 and 国家级经开区), other than `id`, as (id, state, zh, en).
    fn related_concepts(
        &self,
        id: i64,
        keys: &[String],
        limit: usize,
    ) -> Result<Vec<(i64, ConceptState, String, String)>>;
    /// The terms of concepts in `state` that are not deprecated, as (lang, text,
    /// concept), for finding them in text.
    fn terms_of_state(&self, state: ConceptState) -> Result<Vec<(String, String, i64)>>;
    /// The Chinese names (proper nouns, not deprecated) of candidate and approved
    /// concepts.
    fn concept_names(&self) -> Result<Vec<ConceptName>>;
    /// Terms containing `text` (case-insensitive), of live concepts.
    fn find_terms(
        &self,
        text: &str,
        lang: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<TermMatch>>;
    /// A number that changes whenever the termbase does (the last audit entry).
    fn termbase_generation(&self) -> Result<i64>;
    /// The audit log, newest first, of one concept or of all.
    fn audit(&self, concept: Option<i64>, limit: usize) -> Result<Vec<AuditRow>>;
    /// The beads a concept's evidence names, with their texts.
    fn evidence(&self, references: &[u64]) -> Result<Vec<EvidenceRow>>;
    /// The first `limit` evidence beads of a concept (in corpus order), with texts,
    /// and how many there are in all.
    fn concept_evidence(&self, id: i64, limit: usize) -> Result<(Vec<EvidenceRow>, usize)>;
    /// A concept's evidence beads per month (`YYYY-MM` of the story's publication
    /// time), in order; beads of undated stories are left out.
    fn concept_timeline(&self, id: i64) -> Result<Vec<(String, usize)>>;
    /// Calls `visit` with every aligned bead that has Chinese text.
    fn beads_to_mine(&self, visit: &mut dyn FnMut(BeadToMine)) -> Result<()>;
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(format!("cannot encode concept: {e}")))
}

fn read_row(
    row: &rusqlite::Row,
) -> rusqlite::Result<(i64, i64, Option<i64>, String, String, String)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn decode_row(
    (id, version, merged_into, updated_at, updated_by, body): (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        String,
    ),
) -> Result<ConceptRow> {
    let concept: Concept = serde_json::from_str(&body)
        .map_err(|e| Error::Corrupt(format!("concept {id} cannot be read: {e}")))?;
    Ok(ConceptRow {
        id,
        version,
        merged_into,
        updated_at,
        updated_by,
        concept,
    })
}

const CONCEPT_COLUMNS: &str = "id, version, merged_into, updated_at, updated_by, body";

fn load(transaction: &Transaction, id: i64) -> Result<ConceptRow> {
    let row = transaction
        .query_row(
            &format!("SELECT {CONCEPT_COLUMNS} FROM concepts WHERE id = ?1"),
            [id],
            read_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("concept {id}")))?;
    decode_row(row)
}

/// Writes a concept's body, state and term index; returns its new version.
fn write(
    transaction: &Transaction,
    id: Option<i64>,
    concept: &Concept,
    merged_into: Option<i64>,
    actor: &str,
) -> Result<(i64, i64)> {
    if let Some((place, control)) = concept.stray_control() {
        return Err(Error::Query(format!("{place}: {control}")));
    }
    // Evidence lives in its own table: a body stays small however often a term occurs.
    let mut stored = concept.clone();
    let evidence = std::mem::take(&mut stored.evidence);
    let body = to_json(&stored)?;
    let headword = |lang: &str| concept.headword(lang).map(|t| t.text.clone());
    let (score, frequency) = concept
        .mined
        .as_ref()
        .map_or((0.0, 0), |m| (f64::from(m.score), m.frequency as i64));
    // Listing order: confident, frequent pairs first.
    let rank = score * (1.0 + (1.0 + frequency as f64).ln());
    let at = now();
    let id = match id {
        Some(id) => {
            transaction.execute(
                "UPDATE concepts SET state = ?2, version = version + 1, headword_zh = ?3, headword_en = ?4, score = ?5, frequency = ?6, merged_into = ?7, body = ?8, updated_at = ?9, updated_by = ?10, rank = ?11 WHERE id = ?1",
                params![id, concept.state.name(), headword("zh"), headword("en"), score, frequency, merged_into, body, at, actor, rank],
            )?;
            transaction.execute("DELETE FROM concept_terms WHERE concept_id = ?1", [id])?;
            id
        }
        None => {
            transaction.execute(
                "INSERT INTO concepts (state, version, headword_zh, headword_en, score, frequency, merged_into, body, created_at, updated_at, updated_by, rank) VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
                params![concept.state.name(), headword("zh"), headword("en"), score, frequency, merged_into, body, at, actor, rank],
            )?;
            transaction.last_insert_rowid()
        }
    };
    let mut insert = transaction.prepare_cached(
        "INSERT INTO concept_terms (concept_id, lang, key, text, status) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (lang, term) in concept.all_terms() {
        let lang = primary_language(lang);
        insert.execute(params![
            id,
            lang,
            term_key(&lang, &term.text),
            term.text,
            term.status.map(|s| s.name())
        ])?;
    }
    if !evidence.is_empty() {
        transaction.execute("DELETE FROM concept_evidence WHERE concept_id = ?1", [id])?;
        let mut insert = transaction.prepare_cached(
            "INSERT OR IGNORE INTO concept_evidence (concept_id, bead) VALUES (?1, ?2)",
        )?;
        for bead in evidence {
            insert.execute(params![id, bead as i64])?;
        }
    }
    let version: i64 =
        transaction.query_row("SELECT version FROM concepts WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    Ok((id, version))
}

/// The evidence bead references of a concept, in order.
fn evidence_refs(
    connection: &rusqlite::Connection,
    id: i64,
    limit: Option<usize>,
) -> Result<Vec<u64>> {
    let mut statement = connection.prepare_cached(
        "SELECT bead FROM concept_evidence WHERE concept_id = ?1 ORDER BY bead LIMIT ?2",
    )?;
    let rows = statement.query_map(params![id, limit.map_or(-1, |l| l as i64)], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(rows
        .map(|r| r.map(|b| b as u64))
        .collect::<std::result::Result<Vec<_>, _>>()?)
}

/// Copies the evidence of one concept to another (merges and splits).
fn copy_evidence(transaction: &Transaction, from: i64, to: i64) -> Result<()> {
    transaction.execute(
        "INSERT OR IGNORE INTO concept_evidence (concept_id, bead) SELECT ?2, bead FROM concept_evidence WHERE concept_id = ?1",
        params![from, to],
    )?;
    Ok(())
}

/// A concept for the audit log: without its evidence, which can run to thousands of
/// bead references and is not a decision.
fn audited(concept: &Concept) -> serde_json::Value {
    let mut value = serde_json::to_value(concept).unwrap_or(serde_json::Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.remove("evidence");
    }
    value
}

/// What a change did to a concept, for the audit log: a JSON Patch (RFC 6902) from
/// the concept before to the concept after. The log holds each concept whole once,
/// when it is made, and then only what each change changed, so an entry stays the
/// size of its change however large the concept grows.
fn changes(before: &Concept, after: &Concept) -> serde_json::Value {
    serde_json::to_value(json_patch::diff(&audited(before), &audited(after)))
        .unwrap_or(serde_json::Value::Null)
}

fn append_audit(
    transaction: &Transaction,
    actor: &str,
    concept: Option<i64>,
    action: &str,
    version: Option<i64>,
    detail: &serde_json::Value,
) -> Result<()> {
    transaction.execute(
        "INSERT INTO audit_log (at, actor, concept_id, action, version, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![now(), actor, concept, action, version, detail.to_string()],
    )?;
    Ok(())
}

/// Stores a new concept and records `action` for it in the audit log.
fn add_concept(
    transaction: &Transaction,
    concept: &Concept,
    actor: &str,
    action: &str,
) -> Result<i64> {
    let (id, version) = write(transaction, None, concept, None, actor)?;
    append_audit(
        transaction,
        actor,
        Some(id),
        action,
        Some(version),
        &serde_json::json!({ "after": audited(concept) }),
    )?;
    Ok(id)
}

fn check_version(row: &ConceptRow, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(expected) if expected != row.version => Err(Error::Stale {
            id: row.id,
            expected,
            found: row.version,
        }),
        _ => Ok(()),
    }
}

/// A merged concept lives on only as a pointer to the one it went into: changes go
/// there.
fn refuse_merged(row: &ConceptRow) -> Result<()> {
    if row.concept.state == ConceptState::Merged {
        return Err(Error::Lifecycle {
            id: row.id,
            error: LifecycleError::WrongState {
                state: "merged",
                operation: "a change",
            },
        });
    }
    Ok(())
}

/// The live concept holding `key` in `lang`, if any.
fn find_by_term(transaction: &Transaction, lang: &str, key: &str) -> Result<Option<i64>> {
    Ok(transaction
        .query_row(
            "SELECT t.concept_id FROM concept_terms t JOIN concepts c ON c.id = t.concept_id
             WHERE t.lang = ?1 AND t.key = ?2 AND c.state != 'merged' ORDER BY c.id LIMIT 1",
            params![lang, key],
            |r| r.get(0),
        )
        .optional()?)
}

fn lifecycle(id: i64) -> impl Fn(LifecycleError) -> Error {
    move |error| Error::Lifecycle { id, error }
}

/// Where an imported entry goes: into a stored concept, or into the concept an entry
/// of this import adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Stored(i64),
    Added(usize),
}

/// Each target with the entries going into it, in file order.
type Groups = Vec<(Target, Vec<usize>)>;

/// The old matching: entries sharing a Chinese term (any term, without Chinese) with
/// a stored concept or an earlier entry go into it.
fn groups_by_chinese_term(transaction: &Transaction, concepts: &[Concept]) -> Result<Groups> {
    let mut groups: Groups = Vec::new();
    let mut group_of: HashMap<Target, usize> = HashMap::new();
    let mut claimed: HashMap<(String, String), Target> = HashMap::new();
    for (entry, imported) in concepts.iter().enumerate() {
        // English renderings are shared by different concepts too often (发展 and
        // 开发 are both "development"): Chinese terms decide when there are any.
        let has_chinese = imported.terms("zh").next().is_some();
        let mut target = None;
        for (lang, term) in imported.all_terms() {
            let lang = primary_language(lang);
            if has_chinese && lang != "zh" {
                continue;
            }
            let key = term_key(&lang, &term.text);
            if let Some(found) = claimed.get(&(lang.clone(), key.clone())) {
                target = Some(*found);
                break;
            }
            if let Some(id) = find_by_term(transaction, &lang, &key)? {
                target = Some(Target::Stored(id));
                break;
            }
        }
        let target = target.unwrap_or(Target::Added(entry));
        let group = *group_of.entry(target).or_insert_with(|| {
            groups.push((target, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(entry);
        for (lang, term) in imported.all_terms() {
            let lang = primary_language(lang);
            let key = term_key(&lang, &term.text);
            claimed.entry((lang, key)).or_insert(target);
        }
    }
    Ok(groups)
}

/// The id a Tongwen export gives a concept (`c42`).
fn tongwen_id(external: &str) -> Option<i64> {
    external
        .strip_prefix('c')
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()
}

/// Entries as concepts of their own: each goes into the stored concept it is (by
/// Tongwen id, or by the id of the entry it was imported from and a shared term),
/// else is added; two entries of one file never share a concept unless they are the
/// same stored one.
fn groups_by_entry(
    transaction: &Transaction,
    concepts: &[Concept],
    tongwen_ids: bool,
) -> Result<Groups> {
    // Stored concepts by the entry id they were imported with, read once.
    let mut by_external: HashMap<String, Vec<i64>> = HashMap::new();
    {
        let mut statement = transaction.prepare_cached(
            "SELECT id, json_extract(body, '$.external_id') FROM concepts
             WHERE state != 'merged' AND json_extract(body, '$.external_id') IS NOT NULL",
        )?;
        let rows =
            statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, external) = row?;
            by_external.entry(external).or_default().push(id);
        }
    }
    let mut shares_a_term = transaction.prepare_cached(
        "SELECT 1 FROM concept_terms WHERE concept_id = ?1 AND lang = ?2 AND key = ?3",
    )?;
    let mut live =
        transaction.prepare_cached("SELECT 1 FROM concepts WHERE id = ?1 AND state != 'merged'")?;
    let mut groups: Groups = Vec::new();
    let mut group_of: HashMap<i64, usize> = HashMap::new();
    for (entry, imported) in concepts.iter().enumerate() {
        let mut target = None;
        if let Some(external) = imported.external_id.as_deref() {
            if let Some(id) = tongwen_id(external).filter(|_| tongwen_ids) {
                if live.exists([id])? {
                    target = Some(id);
                }
            }
            if target.is_none() {
                for &id in by_external.get(external).into_iter().flatten() {
                    let mut shared = false;
                    for (lang, term) in imported.all_terms() {
                        let lang = primary_language(lang);
                        if shares_a_term.exists(params![id, lang, term_key(&lang, &term.text)])? {
                            shared = true;
                            break;
                        }
                    }
                    if shared {
                        target = Some(id);
                        break;
                    }
                }
            }
        }
        if target.is_none() {
            target = holding_all_terms(transaction, imported)?;
        }
        match target {
            Some(id) => {
                let group = *group_of.entry(id).or_insert_with(|| {
                    groups.push((Target::Stored(id), Vec::new()));
                    groups.len() - 1
                });
                groups[group].1.push(entry);
            }
            None => groups.push((Target::Added(entry), vec![entry])),
        }
    }
    Ok(groups)
}

/// A live stored concept with the entry's subject that already holds every term of the
/// entry, as written: the entry imported before (a glossary without ids imported
/// again), so nothing is added.
fn holding_all_terms(transaction: &Transaction, imported: &Concept) -> Result<Option<i64>> {
    let Some((lang, first)) = imported.all_terms().next() else {
        return Ok(None);
    };
    let lang = primary_language(lang);
    let mut candidates = transaction.prepare_cached(
        "SELECT DISTINCT t.concept_id FROM concept_terms t JOIN concepts c ON c.id = t.concept_id
         WHERE t.lang = ?1 AND t.key = ?2 AND c.state != 'merged' ORDER BY t.concept_id LIMIT 20",
    )?;
    let ids: Vec<i64> = candidates
        .query_map(params![lang, term_key(&lang, &first.text)], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for id in ids {
        let stored = load(transaction, id)?.concept;
        let holds_all = stored.subject == imported.subject
            && imported.all_terms().all(|(lang, term)| {
                stored
                    .terms(&primary_language(lang))
                    .any(|t| t.text == term.text)
            });
        if holds_all {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// A concept stored before this import (id up to `stored_before`) that shares a term
/// in a language and the subject with `concept`, entry `entry` of the file added as
/// concept `added_as`.
fn likely_duplicate(
    transaction: &Transaction,
    (entry, added_as): (usize, i64),
    concept: &Concept,
    stored_before: i64,
) -> Result<Option<LikelyDuplicate>> {
    let mut statement = transaction.prepare_cached(
        "SELECT t.concept_id, json_extract(c.body, '$.subject') FROM concept_terms t
         JOIN concepts c ON c.id = t.concept_id
         WHERE t.lang = ?1 AND t.key = ?2 AND c.state != 'merged' AND c.id <= ?3
         ORDER BY c.id LIMIT 20",
    )?;
    for (lang, term) in concept.all_terms() {
        let lang = primary_language(lang);
        let rows = statement.query_map(
            params![lang, term_key(&lang, &term.text), stored_before],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)),
        )?;
        for row in rows {
            let (id, subject) = row?;
            if subject == concept.subject {
                return Ok(Some(LikelyDuplicate {
                    entry,
                    added_as,
                    concept_id: id,
                    lang,
                    term: term.text.clone(),
                }));
            }
        }
    }
    Ok(None)
}

impl Termbase for SqliteStore {
    fn save_mined(&mut self, concepts: &[Concept], actor: &str) -> Result<MineOutcome> {
        let transaction = self.write_transaction()?;
        let mut outcome = MineOutcome::default();
        for fresh in concepts {
            let Some(zh) = fresh.headword("zh") else {
                continue;
            };
            match find_by_term(&transaction, "zh", &term_key("zh", &zh.text))? {
                Some(id) => {
                    let mut row = load(&transaction, id)?;
                    row.concept.evidence = evidence_refs(&transaction, id, None)?;
                    let before = row.concept.clone();
                    row.concept.refresh_from_mined(fresh);
                    if row.concept != before {
                        let added_terms =
                            row.concept.all_terms().count() != before.all_terms().count();
                        let (_, version) =
                            write(&transaction, Some(id), &row.concept, row.merged_into, actor)?;
                        if added_terms {
                            append_audit(
                                &transaction,
                                actor,
                                Some(id),
                                "mined-rendering",
                                Some(version),
                                &serde_json::json!({ "changes": changes(&before, &row.concept) }),
                            )?;
                        }
                        outcome.refreshed += 1;
                    }
                }
                None => {
                    add_concept(&transaction, fresh, actor, "mined")?;
                    outcome.added += 1;
                }
            }
        }
        transaction.commit()?;
        Ok(outcome)
    }

    fn concepts(&self, filter: &ConceptFilter) -> Result<Vec<ConceptRow>> {
        let like = filter
            .text
            .as_ref()
            .map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
        let mut statement = self.connection.prepare_cached(&format!(
            "SELECT {CONCEPT_COLUMNS} FROM concepts c
             WHERE ((?1 IS NULL AND state != 'merged') OR state = ?1)
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM concept_terms t WHERE t.concept_id = c.id AND lower(t.text) LIKE ?2))
             ORDER BY CASE state WHEN 'approved' THEN 0 WHEN 'candidate' THEN 1 WHEN 'rejected' THEN 2 ELSE 3 END,
                      rank DESC, id
             LIMIT ?3 OFFSET ?4"
        ))?;
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let rows = statement.query_map(
            params![
                filter.state.map(|s| s.name()),
                like,
                limit,
                filter.offset as i64
            ],
            read_row,
        )?;
        rows.map(|row| decode_row(row?)).collect()
    }

    fn concept_counts(&self) -> Result<Vec<(ConceptState, usize)>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT state, count(*) FROM concepts GROUP BY state ORDER BY state")?;
        let rows =
            statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (state, count) = row?;
            let state = ConceptState::parse(&state)
                .ok_or_else(|| Error::Corrupt(format!("unknown concept state {state}")))?;
            out.push((state, count as usize));
        }
        Ok(out)
    }

    fn concept(&self, id: i64) -> Result<ConceptRow> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT {CONCEPT_COLUMNS} FROM concepts WHERE id = ?1"),
                [id],
                read_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("concept {id}")))?;
        decode_row(row)
    }

    fn update_concept(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
        actor: &str,
        action: &str,
        change: &mut dyn FnMut(&mut Concept) -> std::result::Result<(), LifecycleError>,
    ) -> Result<ConceptRow> {
        let transaction = self.write_transaction()?;
        let row = load(&transaction, id)?;
        check_version(&row, expected_version)?;
        refuse_merged(&row)?;
        let mut concept = row.concept.clone();
        change(&mut concept).map_err(lifecycle(id))?;
        let (_, version) = write(&transaction, Some(id), &concept, row.merged_into, actor)?;
        append_audit(
            &transaction,
            actor,
            Some(id),
            action,
            Some(version),
            &serde_json::json!({ "changes": changes(&row.concept, &concept) }),
        )?;
        let updated = load(&transaction, id)?;
        transaction.commit()?;
        Ok(updated)
    }

    fn merge_concepts(
        &mut self,
        target: (i64, Option<i64>),
        source: (i64, Option<i64>),
        actor: &str,
    ) -> Result<ConceptRow> {
        if target.0 == source.0 {
            return Err(Error::Lifecycle {
                id: source.0,
                error: LifecycleError::MergeIntoItself,
            });
        }
        let transaction = self.write_transaction()?;
        let (into, from) = (load(&transaction, target.0)?, load(&transaction, source.0)?);
        check_version(&into, target.1)?;
        check_version(&from, source.1)?;
        let mut merged = into.concept.clone();
        merged.absorb(&from.concept).map_err(lifecycle(into.id))?;
        let (_, version) = write(&transaction, Some(into.id), &merged, None, actor)?;
        copy_evidence(&transaction, from.id, into.id)?;
        append_audit(
            &transaction,
            actor,
            Some(into.id),
            "merge",
            Some(version),
            &serde_json::json!({ "absorbed": from.id, "changes": changes(&into.concept, &merged) }),
        )?;
        let mut folded = from.concept.clone();
        folded.state = ConceptState::Merged;
        let (_, folded_version) =
            write(&transaction, Some(from.id), &folded, Some(into.id), actor)?;
        append_audit(
            &transaction,
            actor,
            Some(from.id),
            "merged-into",
            Some(folded_version),
            &serde_json::json!({ "into": into.id }),
        )?;
        let updated = load(&transaction, into.id)?;
        transaction.commit()?;
        Ok(updated)
    }

    fn split_concept(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
        moving: &[(String, String)],
        actor: &str,
    ) -> Result<(ConceptRow, ConceptRow)> {
        let transaction = self.write_transaction()?;
        let row = load(&transaction, id)?;
        check_version(&row, expected_version)?;
        refuse_merged(&row)?;
        let mut kept = row.concept.clone();
        let split = kept.split_off(moving).map_err(lifecycle(id))?;
        let (_, version) = write(&transaction, Some(id), &kept, None, actor)?;
        let (new_id, new_version) = write(&transaction, None, &split, None, actor)?;
        copy_evidence(&transaction, id, new_id)?;
        append_audit(
            &transaction,
            actor,
            Some(id),
            "split",
            Some(version),
            &serde_json::json!({ "new": new_id, "moved": moving, "changes": changes(&row.concept, &kept) }),
        )?;
        append_audit(
            &transaction,
            actor,
            Some(new_id),
            "split-from",
            Some(new_version),
            &serde_json::json!({ "from": id, "after": audited(&split) }),
        )?;
        let out = (load(&transaction, id)?, load(&transaction, new_id)?);
        transaction.commit()?;
        Ok(out)
    }

    fn import_concepts(
        &mut self,
        concepts: &[Concept],
        matching: ImportMatching,
        matter: &GlossaryMatter,
        actor: &str,
    ) -> Result<ImportOutcome> {
        for (entry, imported) in concepts.iter().enumerate() {
            if let Some((place, control)) = imported.stray_control() {
                return Err(Error::Query(format!(
                    "entry {}: {place}: {control}",
                    entry + 1
                )));
            }
        }
        let transaction = self.write_transaction()?;
        // First every entry finds its concept, then each concept takes all its
        // entries in one pass and is written once: a file of many entries sharing
        // one term costs one write of the grown concept, not one per entry.
        let groups = match matching {
            ImportMatching::ChineseTerm => groups_by_chinese_term(&transaction, concepts)?,
            ImportMatching::Entries | ImportMatching::EntriesWithTongwenIds => groups_by_entry(
                &transaction,
                concepts,
                matching == ImportMatching::EntriesWithTongwenIds,
            )?,
        };
        let stored_before: i64 =
            transaction.query_row("SELECT coalesce(max(id), 0) FROM concepts", [], |r| {
                r.get(0)
            })?;
        let mut insert_matter = transaction.prepare_cached(
            "INSERT OR IGNORE INTO glossary_matter (kind, markup) VALUES (?1, ?2)",
        )?;
        for source in &matter.sources {
            insert_matter.execute(params!["source", source])?;
        }
        for back in &matter.back {
            insert_matter.execute(params!["back", back])?;
        }
        drop(insert_matter);
        let mut outcome = ImportOutcome::default();
        for (target, entries) in &groups {
            let (stored, mut concept, merging) = match *target {
                Target::Stored(id) => {
                    let row = load(&transaction, id)?;
                    let concept = row.concept.clone();
                    (Some(row), concept, &entries[..])
                }
                Target::Added(first) => (None, concepts[first].clone(), &entries[1..]),
            };
            let mut found = Vec::new();
            let mut merger = ImportMerge::new(&mut concept);
            for &entry in merging {
                found.extend(
                    merger
                        .merge(&concepts[entry])
                        .into_iter()
                        .map(|c| (entry + 1, c)),
                );
            }
            outcome.merged += merging.len();
            let id = match stored {
                Some(row) => {
                    let (_, version) =
                        write(&transaction, Some(row.id), &concept, row.merged_into, actor)?;
                    let own: Vec<&Conflict> = found.iter().map(|(_, c)| c).collect();
                    append_audit(
                        &transaction,
                        actor,
                        Some(row.id),
                        "import-merge",
                        Some(version),
                        &serde_json::json!({ "changes": changes(&row.concept, &concept), "conflicts": own }),
                    )?;
                    row.id
                }
                None => {
                    outcome.added += 1;
                    let id = add_concept(&transaction, &concept, actor, "import")?;
                    if matching != ImportMatching::ChineseTerm {
                        outcome.likely_duplicates.extend(likely_duplicate(
                            &transaction,
                            (entries[0] + 1, id),
                            &concept,
                            stored_before,
                        )?);
                    }
                    id
                }
            };
            outcome
                .conflicts
                .extend(found.into_iter().map(|(entry, conflict)| ImportConflict {
                    concept_id: id,
                    entry,
                    conflict,
                }));
        }
        transaction.commit()?;
        outcome.conflicts.sort_by_key(|c| c.entry);
        outcome.likely_duplicates.sort_by_key(|d| d.entry);
        Ok(outcome)
    }

    fn glossary_matter(&self) -> Result<GlossaryMatter> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT kind, markup FROM glossary_matter ORDER BY rowid")?;
        let mut matter = GlossaryMatter::default();
        let rows =
            statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, markup) = row?;
            if kind == "back" {
                matter.back.push(markup);
            } else {
                matter.sources.push(markup);
            }
        }
        Ok(matter)
    }

    fn related_concepts(
        &self,
        id: i64,
        keys: &[String],
        limit: usize,
    ) -> Result<Vec<(i64, ConceptState, String, String)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT DISTINCT c.id, c.state, coalesce(c.headword_zh, ''), coalesce(c.headword_en, '')
             FROM concept_terms t JOIN concepts c ON c.id = t.concept_id
             WHERE t.lang = 'zh' AND c.id != ?1 AND c.state IN ('approved', 'candidate')
               AND length(t.key) >= 2 AND (instr(t.key, ?2) > 0 OR instr(?2, t.key) > 0)
             ORDER BY c.state = 'approved' DESC, c.rank DESC LIMIT ?3",
        )?;
        let mut out: Vec<(i64, ConceptState, String, String)> = Vec::new();
        for key in keys.iter().filter(|k| k.chars().count() >= 2) {
            let rows = statement.query_map(params![id, key, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (other, state, zh, en) = row?;
                let state = ConceptState::parse(&state)
                    .ok_or_else(|| Error::Corrupt(format!("concept {other} has state {state}")))?;
                if out.len() < limit && !out.iter().any(|r| r.0 == other) {
                    out.push((other, state, zh, en));
                }
            }
        }
        Ok(out)
    }

    fn terms_of_state(&self, state: ConceptState) -> Result<Vec<(String, String, i64)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT t.lang, t.text, t.concept_id FROM concept_terms t JOIN concepts c ON c.id = t.concept_id
             WHERE c.state = ?1 AND coalesce(t.status, '') != 'deprecated'",
        )?;
        let rows =
            statement.query_map([state.name()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn concept_names(&self) -> Result<Vec<ConceptName>> {
        // The substring test is a cheap filter before the body is read; the body's
        // terms decide.
        let mut statement = self.connection.prepare_cached(
            "SELECT id, body FROM concepts
             WHERE state IN ('candidate', 'approved') AND instr(body, ?1) > 0",
        )?;
        let rows = statement.query_map([format!("\"{PROPER_NOUN}\"")], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut names = Vec::new();
        for row in rows {
            let (id, body) = row?;
            let concept: Concept = serde_json::from_str(&body)
                .map_err(|e| Error::Corrupt(format!("concept {id} cannot be read: {e}")))?;
            for name in concept.chinese_names() {
                names.push(ConceptName {
                    text: name.to_string(),
                    state: concept.state,
                    mined_score: concept.mined.as_ref().map(|m| m.score),
                });
            }
        }
        Ok(names)
    }

    fn find_terms(
        &self,
        text: &str,
        lang: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<TermMatch>> {
        let like = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
        let mut statement = self.connection.prepare_cached(
            "SELECT t.concept_id, c.state, t.lang, t.text, t.status FROM concept_terms t JOIN concepts c ON c.id = t.concept_id
             WHERE c.state != 'merged' AND lower(t.text) LIKE ?1 AND (?2 IS NULL OR t.lang = ?2)
             ORDER BY c.state = 'approved' DESC, c.rank DESC, t.concept_id, t.text LIMIT ?3 OFFSET ?4",
        )?;
        let rows = statement.query_map(params![like, lang, limit as i64, offset as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, state, lang, term, status) = row?;
            let state = ConceptState::parse(&state)
                .ok_or_else(|| Error::Corrupt(format!("concept {id} has state {state}")))?;
            out.push(TermMatch {
                concept: id,
                state,
                lang,
                term,
                status,
            });
        }
        Ok(out)
    }

    fn termbase_generation(&self) -> Result<i64> {
        Ok(self
            .connection
            .query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
                r.get(0)
            })?)
    }

    fn audit(&self, concept: Option<i64>, limit: usize) -> Result<Vec<AuditRow>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT id, at, actor, concept_id, action, version, detail FROM audit_log
             WHERE (?1 IS NULL OR concept_id = ?1) ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![concept, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, actor, concept_id, action, version, detail) = row?;
            let detail = serde_json::from_str(&detail)
                .map_err(|e| Error::Corrupt(format!("audit entry {id}: {e}")))?;
            out.push(AuditRow {
                id,
                at,
                actor,
                concept_id,
                action,
                version,
                detail,
            });
        }
        Ok(out)
    }

    fn concept_evidence(&self, id: i64, limit: usize) -> Result<(Vec<EvidenceRow>, usize)> {
        let refs = evidence_refs(&self.connection, id, Some(limit))?;
        let total: i64 = self.connection.query_row(
            "SELECT count(*) FROM concept_evidence WHERE concept_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok((self.evidence(&refs)?, total as usize))
    }

    fn concept_timeline(&self, id: i64) -> Result<Vec<(String, usize)>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT coalesce(z.published, e.published, z.dateline_date, e.dateline_date), count(*)
             FROM concept_evidence v JOIN pairs p ON p.id = (v.bead >> 24)
             JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id
             WHERE v.concept_id = ?1 GROUP BY p.id",
        )?;
        let rows = statement.query_map([id], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut months: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        for row in rows {
            let (published, count) = row?;
            if let Some(date) = published.as_deref().and_then(crate::index::date_number) {
                *months
                    .entry(format!("{:04}-{:02}", date / 10000, date / 100 % 100))
                    .or_default() += count as usize;
            }
        }
        Ok(months.into_iter().collect())
    }

    fn evidence(&self, references: &[u64]) -> Result<Vec<EvidenceRow>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT b.zh_start, b.zh_end, b.en_start, b.en_end, p.zh_document_id, p.en_document_id,
                    coalesce(z.title, e.title), coalesce(z.published, e.published)
             FROM beads b JOIN pairs p ON p.id = b.pair_id
             JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id
             WHERE b.pair_id = ?1 AND b.position = ?2",
        )?;
        let mut sentences = self.connection.prepare_cached(
            "SELECT text FROM sentences WHERE document_id = ?1 AND position >= ?2 AND position < ?3 ORDER BY position",
        )?;
        let mut out = Vec::new();
        for &reference in references {
            let (pair, position) = bead_of(reference);
            let found = statement
                .query_row(params![pair.0, position as i64], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                })
                .optional()?;
            // Evidence of a story re-aligned since mining is gone until the next run.
            let Some((zs, ze, es, ee, zd, ed, title, published)) = found else {
                continue;
            };
            let mut text =
                |document: i64, start: i64, end: i64, separator: &str| -> Result<String> {
                    let parts = sentences
                        .query_map(params![document, start, end], |r| r.get::<_, String>(0))?
                        .collect::<std::result::Result<Vec<_>, _>>()?;
                    Ok(parts.join(separator))
                };
            out.push(EvidenceRow {
                reference,
                pair,
                position,
                zh: text(zd, zs, ze, "")?,
                en: text(ed, es, ee, " ")?,
                title,
                published,
            });
        }
        Ok(out)
    }

    fn beads_to_mine(&self, visit: &mut dyn FnMut(BeadToMine)) -> Result<()> {
        let mut pairs = self.connection.prepare(
            "SELECT p.id, p.zh_document_id, p.en_document_id, coalesce(z.published, e.published, z.dateline_date, e.dateline_date)
             FROM pairs p JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id ORDER BY p.id",
        )?;
        let mut beads = self.connection.prepare_cached(
            "SELECT position, zh_start, zh_end, en_start, en_end, score, low_confidence FROM beads WHERE pair_id = ?1 AND zh_end > zh_start ORDER BY position",
        )?;
        let rows = pairs.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (pair, zh_document, en_document, published) = row?;
            let date = published.as_deref().and_then(crate::index::date_number);
            let side = |id: i64| document_sentences(&self.connection, id, SentenceForm::Normalized);
            let (zh, en) = (side(zh_document)?, side(en_document)?);
            let spans = beads
                .query_map([pair], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, f64>(5)?,
                        r.get::<_, bool>(6)?,
                    ))
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            for (position, zs, ze, es, ee, score, flagged) in spans {
                visit(BeadToMine {
                    reference: bead_ref(PairId(pair), position as usize),
                    zh: bead_span(&zh, zs, ze, pair)?.join(""),
                    en: bead_span(&en, es, ee, pair)?.join(" "),
                    date,
                    confidence: score as f32,
                    flagged,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongwen_terms::termbase::{Term, TermStatus};

    fn concept(zh: &str, en: &str) -> Concept {
        let mut c = Concept::default();
        c.set_status("zh", zh, TermStatus::Preferred).unwrap();
        c.set_status("en", en, TermStatus::Preferred).unwrap();
        c
    }

    #[test]
    fn bead_references_round_trip() {
        assert_eq!(
            bead_of(bead_ref(PairId(123_456), 7_890)),
            (PairId(123_456), 7_890)
        );
    }

    #[test]
    fn stale_edits_are_refused_and_every_change_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let outcome = store
            .save_mined(
                &[concept("新质生产力", "new quality productive forces")],
                "miner",
            )
            .unwrap();
        assert_eq!(outcome.added, 1);
        let id = store.concepts(&ConceptFilter::default()).unwrap()[0].id;
        let approved = store
            .update_concept(id, Some(1), "editor", "approve", &mut |c| c.approve(None))
            .unwrap();
        assert_eq!(approved.version, 2);
        assert_eq!(approved.concept.state, ConceptState::Approved);
        let stale = store.update_concept(id, Some(1), "other", "reject", &mut |c| c.reject());
        assert!(
            matches!(
                stale,
                Err(Error::Stale {
                    expected: 1,
                    found: 2,
                    ..
                })
            ),
            "{stale:?}"
        );
        assert_eq!(
            store.concept(id).unwrap().concept.state,
            ConceptState::Approved
        );
        let log = store.audit(Some(id), 10).unwrap();
        assert_eq!(
            log.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
            ["approve", "mined"]
        );
        // The log cannot be rewritten, even by hand.
        assert!(store
            .connection
            .execute("UPDATE audit_log SET actor = 'x'", [])
            .is_err());
        assert!(store
            .connection
            .execute("DELETE FROM audit_log", [])
            .is_err());
        // Mining again refreshes figures but keeps the review decision.
        store
            .save_mined(&[concept("新质生产力", "new productive forces")], "miner")
            .unwrap();
        let row = store.concept(id).unwrap();
        assert_eq!(row.concept.state, ConceptState::Approved);
        assert_eq!(
            row.concept.headword("en").unwrap().text,
            "new quality productive forces"
        );
        assert_eq!(row.concept.terms("en").count(), 2);
    }

    #[test]
    fn the_names_of_live_concepts_are_listed_with_state_and_score() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let name = |zh: &str, en: &str, score: f32| {
            let mut named = concept(zh, en);
            for term in named.languages.iter_mut().flat_map(|s| s.terms.iter_mut()) {
                term.part_of_speech = Some(PROPER_NOUN.into());
            }
            named.mined = Some(tongwen_terms::termbase::MinedStats {
                score,
                frequency: 3,
                termhood: 0.0,
                name: true,
                first_seen: None,
                last_seen: None,
                has_variants: false,
            });
            named
        };
        store
            .save_mined(
                &[
                    name("欧阳明远", "Ouyang Mingyuan", 0.8),
                    name("克韦西奇", "Kvesic", 0.3),
                    concept("新质生产力", "new quality productive forces"),
                ],
                "miner",
            )
            .unwrap();
        let names = |store: &SqliteStore| {
            let mut names: Vec<(String, ConceptState, Option<f32>)> = store
                .concept_names()
                .unwrap()
                .into_iter()
                .map(|n| (n.text, n.state, n.mined_score))
                .collect();
            names.sort_by(|a, b| a.0.cmp(&b.0));
            names
        };
        assert_eq!(
            names(&store),
            [
                ("克韦西奇".to_string(), ConceptState::Candidate, Some(0.3)),
                ("欧阳明远".to_string(), ConceptState::Candidate, Some(0.8)),
            ]
        );
        let id = |store: &SqliteStore, zh: &str| {
            store
                .concepts(&ConceptFilter::default())
                .unwrap()
                .into_iter()
                .find(|r| r.concept.headword("zh").is_some_and(|t| t.text == zh))
                .unwrap()
                .id
        };
        let rejected = id(&store, "克韦西奇");
        store
            .update_concept(rejected, None, "editor", "reject", &mut |c| c.reject())
            .unwrap();
        let approved = id(&store, "欧阳明远");
        store
            .update_concept(approved, None, "editor", "approve", &mut |c| {
                c.approve(None)
            })
            .unwrap();
        assert_eq!(
            names(&store),
            [("欧阳明远".to_string(), ConceptState::Approved, Some(0.8))]
        );
    }

    #[test]
    fn control_characters_never_reach_the_termbase() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store
            .save_mined(&[concept("发展", "development")], "miner")
            .unwrap();
        let id = store.concepts(&ConceptFilter::default()).unwrap()[0].id;
        let edit = store.update_concept(id, None, "editor", "edit", &mut |c| {
            c.set_status("en", "develop\u{1b}[31m", TermStatus::Admitted)
        });
        assert!(
            matches!(&edit, Err(Error::Query(m)) if m.contains("U+001B") && m.contains("en term")),
            "{edit:?}"
        );
        let mut noted = concept("改革", "reform");
        noted.notes.push("bell\u{7}".into());
        let import = store.import_concepts(
            &[concept("开放", "opening up"), noted],
            ImportMatching::Entries,
            &GlossaryMatter::default(),
            "importer",
        );
        assert!(
            matches!(&import, Err(Error::Query(m)) if m.starts_with("entry 2: note")),
            "{import:?}"
        );
        assert_eq!(store.concepts(&ConceptFilter::default()).unwrap().len(), 1);
    }

    #[test]
    fn an_import_of_entries_sharing_a_term_is_one_write_and_a_small_audit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store
            .save_mined(&[concept("发展", "development")], "miner")
            .unwrap();
        let entries: Vec<Concept> = (0..1_000)
            .map(|k| concept("发展", &format!("development sense {k}")))
            .collect();
        let outcome = store
            .import_concepts(
                &entries,
                ImportMatching::ChineseTerm,
                &GlossaryMatter::default(),
                "importer",
            )
            .unwrap();
        assert_eq!((outcome.added, outcome.merged), (0, 1_000));
        let id = store.concepts(&ConceptFilter::default()).unwrap()[0].id;
        assert_eq!(
            store.concept(id).unwrap().concept.terms("en").count(),
            1_001
        );
        let log = store.audit(Some(id), 10).unwrap();
        assert_eq!(
            log.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
            ["import-merge", "mined"]
        );
        let detail_bytes: i64 = store
            .connection
            .query_row("SELECT sum(length(detail)) FROM audit_log", [], |r| {
                r.get(0)
            })
            .unwrap();
        // The change is a thousand added terms, recorded once: well under 200 KB.
        assert!(
            detail_bytes < 200_000,
            "{detail_bytes} bytes of audit detail"
        );
        let changes = &log[0].detail["changes"];
        assert!(
            changes.as_array().is_some_and(|ops| !ops.is_empty()),
            "{changes}"
        );
    }

    #[test]
    fn merge_split_and_import_keep_the_termbase_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store
            .save_mined(
                &[
                    concept("高水平对外开放", "high-standard opening up"),
                    concept("高水平开放", "high-level opening-up"),
                ],
                "miner",
            )
            .unwrap();
        let rows = store.concepts(&ConceptFilter::default()).unwrap();
        let (a, b) = (rows[0].id, rows[1].id);
        let merged = store
            .merge_concepts((a, Some(1)), (b, Some(1)), "editor")
            .unwrap();
        assert_eq!(merged.concept.terms("zh").count(), 2);
        assert_eq!(store.concept(b).unwrap().merged_into, Some(a));
        // The merged concept takes no more changes: they belong to the one it went into.
        let edit = store.update_concept(b, None, "editor", "edit", &mut |c| {
            c.set_status("en", "opening", TermStatus::Admitted)
        });
        assert!(matches!(edit, Err(Error::Lifecycle { .. })), "{edit:?}");
        assert_eq!(
            store
                .concepts(&ConceptFilter {
                    state: Some(ConceptState::Candidate),
                    ..Default::default()
                })
                .unwrap()
                .len(),
            1
        );
        let (_, split) = store
            .split_concept(
                a,
                None,
                &[
                    ("zh".into(), "高水平开放".into()),
                    ("en".into(), "high-level opening-up".into()),
                ],
                "editor",
            )
            .unwrap();
        assert_eq!(split.concept.headword("zh").unwrap().text, "高水平开放");
        // An import sharing a term merges and reports what differs.
        let mut imported = concept("高水平对外开放", "high-standard opening-up");
        imported.languages[1].terms[0].status = Some(TermStatus::Deprecated);
        imported.languages[1].terms.push(Term::new(
            "high-level opening up",
            Some(TermStatus::Admitted),
        ));
        let outcome = store
            .import_concepts(
                &[imported, concept("一带一路", "Belt and Road")],
                ImportMatching::ChineseTerm,
                &GlossaryMatter::default(),
                "importer",
            )
            .unwrap();
        assert_eq!((outcome.added, outcome.merged), (1, 1));
        assert_eq!(outcome.conflicts.len(), 1, "{:?}", outcome.conflicts);
        assert_eq!(outcome.conflicts[0].entry, 1);
        let found = store
            .concepts(&ConceptFilter {
                text: Some("OPENING".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn entries_of_a_file_stay_apart_and_match_only_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.save_mined(&[concept("行", "line")], "miner").unwrap();
        let mined = store.concepts(&ConceptFilter::default()).unwrap()[0].id;
        // Homographs in one file: 行 = "row" and 行 = "OK" are two entries.
        let mut row = concept("行", "row");
        row.external_id = Some("e1".into());
        let mut ok = concept("行", "OK");
        ok.external_id = Some("e2".into());
        ok.subject = Some("dialogue".into());
        let mut items = concept("项目", "item");
        items.languages[1].terms.push(Term::new("items", None));
        items.external_id = Some("e3".into());
        let matter = GlossaryMatter {
            sources: vec!["Desk glossary".into()],
            back: vec!["<refObjectSec type=\"respPerson\"/>".into()],
        };
        let file = [row, ok, items];
        let first = store
            .import_concepts(&file, ImportMatching::Entries, &matter, "importer")
            .unwrap();
        assert_eq!((first.added, first.merged), (3, 0));
        // The mined 行 → line shares a term and (no) subject with "row", not with "OK".
        assert_eq!(
            first.likely_duplicates.len(),
            1,
            "{:?}",
            first.likely_duplicates
        );
        assert_eq!(
            (
                first.likely_duplicates[0].entry,
                first.likely_duplicates[0].concept_id
            ),
            (1, mined)
        );
        let stored = store.concepts(&ConceptFilter::default()).unwrap();
        assert_eq!(stored.len(), 4);
        let items = stored
            .iter()
            .find(|r| r.concept.external_id.as_deref() == Some("e3"))
            .unwrap();
        assert_eq!(
            items.concept.terms("en").count(),
            2,
            "item and items stay two terms"
        );
        // The same file again: each entry finds itself, nothing is added.
        let again = store
            .import_concepts(&file, ImportMatching::Entries, &matter, "importer")
            .unwrap();
        assert_eq!((again.added, again.merged), (0, 3));
        assert!(again.conflicts.is_empty(), "{:?}", again.conflicts);
        // A Tongwen export's ids name the concepts they came from.
        let mut renamed = concept("行", "text line");
        renamed.external_id = Some(format!("c{mined}"));
        let by_id = store
            .import_concepts(
                &[renamed],
                ImportMatching::EntriesWithTongwenIds,
                &GlossaryMatter::default(),
                "importer",
            )
            .unwrap();
        assert_eq!((by_id.added, by_id.merged), (0, 1));
        assert_eq!(store.concept(mined).unwrap().concept.terms("en").count(), 2);
        assert_eq!(store.glossary_matter().unwrap(), matter, "kept once");
    }
}
