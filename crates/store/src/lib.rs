//! Tongwen's store: documents with their metadata and sentences, document pairs, and
//! alignment beads.
//!
//! [`Store`] is the interface the rest of Tongwen uses, so that a PostgreSQL backend
//! can follow without touching callers; [`SqliteStore`] is the embedded default, one
//! SQLite file in a data directory. The schema is versioned and migrated on open (see
//! [`schema`]). Every write of a document, with everything derived from it, is one
//! transaction: a crash leaves either the old state or the new one.
//!
//! ```
//! use tongwen_store::{NewDocument, NewSentence, Origin, SqliteStore, Store, Upsert};
//! use tongwen_text::{Lang, Metadata};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = SqliteStore::open(dir.path()).unwrap();
//! let sentences = [NewSentence { text: "你好。".into(), normalized: "你好。".into(), headline: false }];
//! let doc = NewDocument { lang: Lang::Zh, origin: Origin::File("/corpus/a.txt".into()), format: "txt".into(), content_hash: "h1".into(), metadata: Metadata::default(), sentences: sentences.to_vec(), lang_tag: None };
//! assert!(matches!(store.upsert_document(&doc).unwrap(), Upsert::Inserted(_)));
//! assert!(matches!(store.upsert_document(&doc).unwrap(), Upsert::Unchanged(_)));
//! ```
#![warn(missing_docs)]

pub mod accounts;
pub mod dismissals;
pub mod index;
pub mod schema;
mod sqlite;
pub mod stories;
pub mod termbase;

pub use accounts::{account_name, Accounts, ApiToken, Role, Session, User, UserRow};
pub use dismissals::{Dismissal, Dismissals, NewDismissal};
pub use index::{ConcordanceIndex, Hit, SearchQuery};
pub use sqlite::{SqliteStore, DATABASE_FILE, DEFAULT_BUSY_TIMEOUT};
pub use stories::{Stories, Story, StoryBead, StoryRow, StorySide};
pub use termbase::{
    bead_of, bead_ref, AuditRow, BeadToMine, ConceptFilter, ConceptName, ConceptRow, EvidenceRow,
    ImportConflict, ImportMatching, ImportOutcome, LikelyDuplicate, MineOutcome, TermMatch,
    Termbase,
};

use serde::Serialize;
use tongwen_text::{Lang, Metadata};

/// Store errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database failed or refused an operation.
    #[error("database error: {0}")]
    Database(rusqlite::Error),
    /// Another writer held the store for longer than the busy timeout; nothing was
    /// changed, and the same request may be tried again.
    #[error("the store is busy with another writer; try again shortly")]
    Busy,
    /// The store can only be read here (a read-only data directory or file).
    #[error("the store in {0} is read-only here: this command needs to write")]
    ReadOnly(String),
    /// The data directory cannot be created or opened.
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The database was written by a newer Tongwen.
    #[error("the store has schema version {found}, newer than this Tongwen understands ({supported}); upgrade Tongwen")]
    NewerSchema {
        /// Version in the file.
        found: i64,
        /// Latest version known here.
        supported: i64,
    },
    /// The database has an older schema and cannot be upgraded here (read-only).
    #[error("the store has schema version {found}, older than this Tongwen's ({supported}), and is read-only here; open it once where it can be written to upgrade it")]
    OldSchema {
        /// Version in the file.
        found: i64,
        /// Latest version known here.
        supported: i64,
    },
    /// Stored data that cannot be read back (a corrupted or hand-edited database).
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The full-text index failed.
    #[error("index error: {0}")]
    Index(String),
    /// Something asked for by name is not stored.
    #[error("not in the store: {0}")]
    NotFound(String),
    /// A search query or request that cannot be run.
    #[error("bad query: {0}")]
    Query(String),
    /// An edit made against a version of a concept that has changed since.
    #[error("concept {id} has changed since version {expected} (now version {found}); reload it and edit again")]
    Stale {
        /// The concept.
        id: i64,
        /// The version the edit was made against.
        expected: i64,
        /// The stored version.
        found: i64,
    },
    /// A review operation the concept's state does not allow.
    #[error("concept {id}: {error}")]
    Lifecycle {
        /// The concept.
        id: i64,
        /// Why.
        error: tongwen_terms::termbase::LifecycleError,
    },
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::Busy
            }
            _ => Error::Database(error),
        }
    }
}

/// Seconds since the Unix epoch, as session and token expiry times are stored.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Row id of a stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DocumentId(pub i64);

/// Row id of a stored document pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PairId(pub i64);

/// Where a document comes from: its identity in the store. Each kind is its own
/// namespace, so a record's address can never name a file, nor a file a record; only a
/// document of the same kind, origin and language is ever replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A file, by its canonical path (symbolic links and `..` resolved), so that one
    /// file has one identity however a command line spells it.
    File(String),
    /// One record of a multi-document file (JSON Lines), by the file's canonical path
    /// and the record's id within it.
    Record {
        /// The file's canonical path.
        file: String,
        /// The record's id (its `id` field, else its line number).
        id: String,
    },
    /// The address a record names as its original (its `url` field).
    Url(String),
}

impl Origin {
    /// The kind, as stored in `documents.origin_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::File(_) => "file",
            Origin::Record { .. } => "record",
            Origin::Url(_) => "url",
        }
    }

    /// The origin within its kind, as stored in `documents.origin` and shown.
    pub fn key(&self) -> String {
        match self {
            Origin::File(path) | Origin::Url(path) => path.clone(),
            Origin::Record { file, id } => format!("{file}#{id}"),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// One sentence to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSentence {
    /// Verbatim text.
    pub text: String,
    /// Normalized text for matching.
    pub normalized: String,
    /// A headline or short line standing alone.
    pub headline: bool,
}

/// A document to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// Its language.
    pub lang: Lang,
    /// Where it came from. A new version from the same origin replaces the old one.
    pub origin: Origin,
    /// Input format: `txt`, `md`, `html`, `tmx` or `jsonl`.
    pub format: String,
    /// Hash of the document's content; the same content is stored once.
    pub content_hash: String,
    /// Header and dateline fields.
    pub metadata: Metadata,
    /// Content sentences in order.
    pub sentences: Vec<NewSentence>,
    /// The language tag the input gave (BCP 47: `zh-TW`, `zh-Hant-HK`, `en-GB`), when
    /// it says more than the language.
    pub lang_tag: Option<String>,
}

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new document.
    Inserted(DocumentId),
    /// The same content was stored already; nothing changed.
    Unchanged(DocumentId),
    /// The origin held other content, which was replaced with everything derived from
    /// it (pairs, beads, the concept evidence read from them).
    Replaced {
        /// The removed version.
        old: DocumentId,
        /// The new version.
        new: DocumentId,
        /// The removed version was in a pair, which went with it.
        pair_removed: bool,
    },
}

impl Upsert {
    /// The id of the stored document.
    pub fn id(self) -> DocumentId {
        match self {
            Upsert::Inserted(id) | Upsert::Unchanged(id) | Upsert::Replaced { new: id, .. } => id,
        }
    }
}

/// A bead to store, as sentence index ranges of the pair's two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBead {
    /// Chinese sentence indices.
    pub zh: std::ops::Range<usize>,
    /// English sentence indices.
    pub en: std::ops::Range<usize>,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Flagged for review.
    pub low_confidence: bool,
    /// What a translation memory said of the unit (its `tuid`, `<prop>`s, `<note>`s),
    /// kept for export.
    pub notes: Vec<UnitNote>,
}

/// Something a translation memory says of one of its units.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UnitNote {
    /// The unit's identifier (`tuid`).
    Id {
        /// The identifier.
        value: String,
    },
    /// A `<prop type="…">`.
    Property {
        /// Its type.
        name: String,
        /// Its text.
        value: String,
    },
    /// A `<note>`.
    Note {
        /// Its text.
        value: String,
    },
}

impl NewBead {
    /// `count` one-to-one beads, certain: sentence k with sentence k, as a translation
    /// memory pairs its segments.
    pub fn one_to_one(count: usize) -> Vec<NewBead> {
        (0..count)
            .map(|k| NewBead {
                zh: k..k + 1,
                en: k..k + 1,
                score: 1.0,
                low_confidence: false,
                notes: Vec::new(),
            })
            .collect()
    }
}

/// What storing a given pair did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GivenPair {
    /// The pair.
    pub pair: PairId,
    /// What happened to the Chinese document.
    pub zh: Upsert,
    /// What happened to the English document.
    pub en: Upsert,
    /// Earlier pairs that either document was in, removed for this one (the same text
    /// stored before from another source, paired differently).
    pub displaced: usize,
}

/// A stored pair, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairRow {
    /// Its id.
    pub id: PairId,
    /// The Chinese document's origin.
    pub zh_origin: String,
    /// The English document's origin.
    pub en_origin: String,
    /// Pairing score in [0, 1]; 1 for given pairs.
    pub score: f32,
    /// Given by the input (TMX, sidecar) rather than found.
    pub given: bool,
    /// Beads stored.
    pub beads: usize,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Documents per language: Chinese.
    pub zh_documents: usize,
    /// English documents.
    pub en_documents: usize,
    /// Sentences.
    pub sentences: usize,
    /// Document pairs.
    pub pairs: usize,
    /// Alignment beads.
    pub beads: usize,
}

/// The storage interface of Tongwen.
pub trait Store {
    /// Stores a document unless its content is stored already; a different content
    /// from the same origin (same kind, origin and language) replaces the old version
    /// and everything derived from it.
    fn upsert_document(&mut self, document: &NewDocument) -> Result<Upsert>;

    /// Stores two documents given as each other's versions (a TMX file, a sidecar)
    /// with their alignment, in one transaction.
    fn upsert_given_pair(
        &mut self,
        zh: &NewDocument,
        en: &NewDocument,
        beads: &[NewBead],
    ) -> Result<GivenPair>;

    /// Everything stored, counted.
    fn counts(&self) -> Result<Counts>;

    /// All pairs, Chinese origin order.
    fn pairs(&self) -> Result<Vec<PairRow>>;

    /// Documents in no pair, with their normalized sentences, id order.
    fn unpaired_documents(&self) -> Result<Vec<DocumentText>>;

    /// Stores pairs found by pairing (`given` = false). Pairs whose documents are
    /// paired already are skipped; returns how many were stored.
    fn insert_found_pairs(&mut self, pairs: &[(DocumentId, DocumentId, f32)]) -> Result<usize>;

    /// Makes the Chinese document stored under `zh_origin` and the English one under
    /// `en_origin` a given pair, replacing any pair either was in; it is aligned by the
    /// next alignment run.
    fn give_pair(&mut self, zh_origin: &Origin, en_origin: &Origin) -> Result<PairId>;

    /// Pairs without beads yet, id order.
    fn unaligned_pairs(&self) -> Result<Vec<PairId>>;

    /// The normalized sentences of a pair's Chinese and English documents.
    fn pair_sentences(&self, pair: PairId) -> Result<(Vec<String>, Vec<String>)>;

    /// Replaces a pair's beads (the pair then needs indexing again).
    fn save_alignment(&mut self, pair: PairId, beads: &[NewBead]) -> Result<()>;

    /// Pairs with beads that the full-text index does not have yet, id order.
    fn pairs_to_index(&self) -> Result<Vec<PairId>>;

    /// A pair's non-null beads with their text and the pair's metadata, for indexing
    /// and export.
    fn pair_beads(&self, pair: PairId) -> Result<Vec<BeadRow>>;

    /// Records that the index holds these pairs' beads.
    fn mark_indexed(&mut self, pairs: &[PairId]) -> Result<()>;

    /// Pairs deleted since the index last dropped them.
    fn index_tombstones(&self) -> Result<Vec<PairId>>;

    /// Forgets tombstones once the index has dropped those pairs.
    fn clear_tombstones(&mut self, pairs: &[PairId]) -> Result<()>;

    /// Pairs recorded as being in the index.
    fn indexed_pair_count(&self) -> Result<usize>;

    /// Marks every pair as not indexed and forgets all tombstones, for rebuilding the
    /// index from scratch; returns how many pairs were marked indexed before.
    fn reset_indexed(&mut self) -> Result<usize>;
}

/// One aligned bead with everything a concordance line or an export shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeadRow {
    /// The pair.
    pub pair: PairId,
    /// The bead's position in the pair.
    pub position: usize,
    /// Chinese sentences, verbatim, joined.
    pub zh_text: String,
    /// English sentences, verbatim, joined with spaces.
    pub en_text: String,
    /// Bead confidence in [0, 1].
    pub score: f32,
    /// Flagged for review.
    pub low_confidence: bool,
    /// Title of the Chinese document, else of the English one.
    pub title: Option<String>,
    /// Source or agency, Chinese side first.
    pub source: Option<String>,
    /// Publication time as written, Chinese side first.
    pub published: Option<String>,
    /// Origin of the Chinese document.
    pub zh_origin: String,
    /// Origin of the English document.
    pub en_origin: String,
    /// Language tag of the Chinese document, when its input gave one (`zh-TW`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh_lang_tag: Option<String>,
    /// Language tag of the English document, when its input gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en_lang_tag: Option<String>,
    /// What the translation memory the bead came from said of its unit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<UnitNote>,
}

/// A stored document's text, for pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentText {
    /// Its id.
    pub id: DocumentId,
    /// Its language.
    pub lang: Lang,
    /// Where it came from.
    pub origin: String,
    /// Normalized sentences in order.
    pub sentences: Vec<String>,
}
