//! The schema, as numbered migrations applied in order on open. `PRAGMA user_version`
//! records the last one applied. Never edit a published migration: add the next one.
//!
//! Tables (version 1):
//! - `documents`: one row per stored document version — `lang` (`zh`/`en`), `origin`
//!   (path or URL as given, `#n` for records of multi-document files), `format`,
//!   `content_hash` (unique), metadata columns (`title`, `published`, `source`,
//!   `author`, `editor`, `place`, `dateline_date`, `agency`), `sentence_count`,
//!   `ingested_at` (UTC, RFC 3339).
//! - `sentences`: `(document_id, position)` → `text` (verbatim), `normalized`,
//!   `headline`.
//! - `pairs`: a Chinese and an English document that are versions of each other, with
//!   `score` and `given` (1 when the input said so, 0 when pairing found it); each
//!   document is in at most one pair.
//! - `beads`: `(pair_id, position)` → sentence ranges `zh_start..zh_end`,
//!   `en_start..en_end`, `score`, `low_confidence`.
//!
//! Deleting a document deletes its sentences, its pair and the pair's beads.
//!
//! Version 2 adds what the full-text index needs to follow the store incrementally:
//! `pairs.indexed` (1 once the pair's beads are in the index; reset when they are
//! replaced) and `index_tombstones`, filled by a trigger with the id of every deleted
//! pair until the index has dropped its entries.

//!
//! Version 3 adds the termbase:
//! - `concepts`: one row per concept — `state` (candidate, approved, rejected,
//!   merged), `version` (raised by every change; edits name the version they were
//!   made against), headwords and mining figures for listing, `merged_into`, and
//!   `body`, the whole concept as JSON (`tongwen_terms::termbase::Concept`).
//! - `concept_terms`: every term of every concept by language and match key, so that
//!   mining, imports and checks find a concept by any of its terms.
//! - `audit_log`: append-only (triggers refuse updates and deletes) — who did what
//!   to which concept when, with the concept before and after as JSON.

//!
//! Version 4 adds accounts: `users` (unique `name`, `role` viewer/editor/admin,
//! `password_hash` in PHC form), `sessions` (`token_hash` of the cookie, `csrf`
//! token of its forms, `expires_at` in Unix seconds) and `api_tokens` (`token_hash`,
//! `label`); deleting a user deletes their sessions and tokens.

//!
//! Version 5 moves concepts' evidence out of their JSON bodies into
//! `concept_evidence` (`concept_id`, `bead` = `pair_id << 24 | position`), so that a
//! term seen in 80,000 beads does not make its concept a megabyte to read.

//!
//! Version 6 makes a document's identity explicit and keeps derived data from
//! outliving what it derives from:
//! - `documents.origin_kind`: `file` (`origin` is the file's canonical path),
//!   `record` (`origin` is `PATH#id`, a record of a multi-document file) or `url`
//!   (`origin` is the address a record named); `(origin_kind, origin, lang)` is
//!   unique, and only a document of the same kind and origin is ever replaced.
//!   Stores from before keep their origins as they were given.
//! - a trigger deletes the `concept_evidence` rows of every deleted bead (a document
//!   replaced, a pair re-aligned), and evidence already dangling is dropped.
//! - `api_tokens` gains an `id` (to list and revoke tokens by) and `expires_at` (Unix
//!   seconds); tokens from before expire 90 days after the migration.

//!
//! Version 7 keeps what files from other tools say beyond their text, for export:
//! - `glossary_matter`: what imported glossaries hold besides their concepts — `kind`
//!   `source` (a paragraph of a TBX header's source description) or `back` (a
//!   back-matter section, as markup, that fields' `target` attributes point into);
//!   each distinct piece once.
//! - `documents.lang_tag`: the language tag the input gave (`zh-TW`, `zh-Hant-HK`),
//!   BCP 47, when it says more than `lang`.
//! - `unit_notes`: what a translation memory said of the unit a bead came from —
//!   `(pair_id, position, seq)`, `kind` `id` (the `tuid`), `property` (`name` = the
//!   `<prop>` type) or `note`, and `value`; a trigger deletes them with their bead.
//!
//! Version 8 adds `dismissals`: check findings judged "not an error" — `finding`
//! (the finding id, a hash of rule and segment text), `rule`, the segment's `zh` and
//! `en`, `reason`, `dismissed_by`, `dismissed_at` (UTC, RFC 3339).

/// Migrations, the n-th bringing the schema to version n + 1.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
    origin TEXT NOT NULL,
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT,
    published TEXT,
    source TEXT,
    author TEXT,
    editor TEXT,
    place TEXT,
    dateline_date TEXT,
    agency TEXT,
    sentence_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_by_origin ON documents (origin);
CREATE TABLE sentences (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    normalized TEXT NOT NULL,
    headline INTEGER NOT NULL,
    PRIMARY KEY (document_id, position)
) WITHOUT ROWID;
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY,
    zh_document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
    en_document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
    score REAL NOT NULL,
    given INTEGER NOT NULL
);
CREATE TABLE beads (
    pair_id INTEGER NOT NULL REFERENCES pairs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    zh_start INTEGER NOT NULL,
    zh_end INTEGER NOT NULL,
    en_start INTEGER NOT NULL,
    en_end INTEGER NOT NULL,
    score REAL NOT NULL,
    low_confidence INTEGER NOT NULL,
    PRIMARY KEY (pair_id, position)
) WITHOUT ROWID;
"#,
    r#"
ALTER TABLE pairs ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE index_tombstones (pair_id INTEGER PRIMARY KEY);
CREATE TRIGGER pairs_deleted AFTER DELETE ON pairs BEGIN
    INSERT OR IGNORE INTO index_tombstones (pair_id) VALUES (old.id);
END;
"#,
    r#"
CREATE TABLE concepts (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('candidate', 'approved', 'rejected', 'merged')),
    version INTEGER NOT NULL,
    headword_zh TEXT,
    headword_en TEXT,
    score REAL NOT NULL,
    frequency INTEGER NOT NULL,
    rank REAL NOT NULL,
    merged_into INTEGER REFERENCES concepts (id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX concepts_by_state ON concepts (state, rank DESC);
CREATE TABLE concept_terms (
    concept_id INTEGER NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT
);
CREATE INDEX concept_terms_by_key ON concept_terms (lang, key);
CREATE INDEX concept_terms_by_concept ON concept_terms (concept_id);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    concept_id INTEGER,
    action TEXT NOT NULL,
    version INTEGER,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_by_concept ON audit_log (concept_id);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
"#,
    r#"
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
"#,
    r#"
CREATE TABLE concept_evidence (
    concept_id INTEGER NOT NULL REFERENCES concepts (id) ON DELETE CASCADE,
    bead INTEGER NOT NULL,
    PRIMARY KEY (concept_id, bead)
) WITHOUT ROWID;
INSERT OR IGNORE INTO concept_evidence (concept_id, bead)
    SELECT c.id, j.value FROM concepts c, json_each(c.body, '$.evidence') j;
UPDATE concepts SET body = json_remove(body, '$.evidence') WHERE json_type(body, '$.evidence') IS NOT NULL;
"#,
    r#"
ALTER TABLE documents ADD COLUMN origin_kind TEXT NOT NULL DEFAULT 'file'
    CHECK (origin_kind IN ('file', 'record', 'url'));
UPDATE documents SET origin_kind = CASE
    WHEN origin GLOB '[A-Za-z]*://*' THEN 'url'
    WHEN format = 'jsonl' THEN 'record'
    ELSE 'file' END;
DROP INDEX documents_by_origin;
CREATE UNIQUE INDEX documents_by_origin ON documents (origin_kind, origin, lang);
CREATE INDEX concept_evidence_by_bead ON concept_evidence (bead);
DELETE FROM concept_evidence WHERE NOT EXISTS (
    SELECT 1 FROM beads b WHERE b.pair_id = concept_evidence.bead >> 24
        AND b.position = concept_evidence.bead & 16777215);
CREATE TRIGGER beads_deleted AFTER DELETE ON beads BEGIN
    DELETE FROM concept_evidence WHERE bead = (old.pair_id << 24) | old.position;
END;
CREATE TABLE api_tokens_v6 (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO api_tokens_v6 (token_hash, user_id, label, created_at, expires_at)
    SELECT token_hash, user_id, label, created_at, CAST(strftime('%s', 'now') AS INTEGER) + 90 * 86400
    FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_v6 RENAME TO api_tokens;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
"#,
    r#"
CREATE TABLE glossary_matter (
    kind TEXT NOT NULL CHECK (kind IN ('source', 'back')),
    markup TEXT NOT NULL,
    PRIMARY KEY (kind, markup)
);
ALTER TABLE documents ADD COLUMN lang_tag TEXT;
CREATE TABLE unit_notes (
    pair_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('id', 'property', 'note')),
    name TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (pair_id, position, seq)
) WITHOUT ROWID;
CREATE TRIGGER beads_deleted_unit_notes AFTER DELETE ON beads BEGIN
    DELETE FROM unit_notes WHERE pair_id = old.pair_id AND position = old.position;
END;
"#,
    r#"
CREATE TABLE dismissals (
    finding TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    reason TEXT NOT NULL,
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL
) WITHOUT ROWID;
"#,
];

/// The schema version this code writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
