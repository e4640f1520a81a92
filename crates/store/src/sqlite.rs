//! The embedded SQLite backend.

use std::path::Path;
use std::time::Duration;

use rusqlite::{
    params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use tongwen_text::Lang;

use crate::schema::{latest_version, MIGRATIONS};
use crate::{
    BeadRow, Counts, DocumentId, DocumentText, Error, GivenPair, NewBead, NewDocument, Origin,
    PairId, PairRow, Result, Store, UnitNote, Upsert,
};

/// File name of the database inside the data directory.
pub const DATABASE_FILE: &str = "tongwen.sqlite";

/// How long a write waits for another writer (another process, or another connection
/// of this one) before it gives up with [`Error::Busy`], unless the opener says.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A store in one SQLite file (WAL mode) inside a data directory.
pub struct SqliteStore {
    pub(crate) connection: Connection,
    read_only: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir` and migrates it to the latest
    /// schema; writers wait up to [`DEFAULT_BUSY_TIMEOUT`] for each other.
    pub fn open(dir: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(dir, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`SqliteStore::open`] with the time a write waits for other writers.
    pub fn open_with(dir: &Path, busy_timeout: Duration) -> Result<SqliteStore> {
        SqliteStore::open_writable(dir, busy_timeout).map_err(|error| {
            let read_only = match &error {
                Error::Database(e) => matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
                ),
                Error::DataDir { source, .. } => {
                    source.kind() == std::io::ErrorKind::PermissionDenied
                }
                _ => false,
            };
            if read_only && dir.join(DATABASE_FILE).is_file() {
                Error::ReadOnly(dir.display().to_string())
            } else {
                error
            }
        })
    }

    fn open_writable(dir: &Path, busy_timeout: Duration) -> Result<SqliteStore> {
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let connection = Connection::open(dir.join(DATABASE_FILE))?;
        connection.busy_timeout(busy_timeout)?;
        // WAL keeps readers and one writer apart and makes every commit atomic on a
        // crash; NORMAL sync loses at most the last commits on power loss, never
        // consistency.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = SqliteStore {
            connection,
            read_only: false,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens the store in `dir` for commands that only read: as [`SqliteStore::open`]
    /// where the data directory can be written, else read-only (a store on read-only
    /// media or shared without write permission), provided its schema is current.
    pub fn open_for_reading(dir: &Path) -> Result<SqliteStore> {
        let database = dir.join(DATABASE_FILE);
        match SqliteStore::open(dir) {
            Ok(store) => Ok(store),
            Err(error) if database.is_file() => match SqliteStore::open_read_only(dir) {
                Ok(store) => Ok(store),
                Err(Error::OldSchema { found, supported }) => {
                    Err(Error::OldSchema { found, supported })
                }
                Err(_) => Err(error),
            },
            Err(error) => Err(error),
        }
    }

    fn open_read_only(dir: &Path) -> Result<SqliteStore> {
        let database = dir.join(DATABASE_FILE);
        let absolute = std::path::absolute(&database).map_err(|source| Error::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        // Without a write-ahead log beside it the file is complete, and nobody can
        // add one to a directory that cannot be written: it may be read as immutable,
        // which needs no shared-memory file either.
        let wal = dir.join(format!("{DATABASE_FILE}-wal"));
        let mode = if wal.exists() {
            "mode=ro"
        } else {
            "mode=ro&immutable=1"
        };
        let uri = format!("file:{}?{mode}", uri_path(&absolute.to_string_lossy()));
        let connection = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(DEFAULT_BUSY_TIMEOUT)?;
        let store = SqliteStore {
            connection,
            read_only: true,
        };
        let found = store.schema_version()?;
        if found != latest_version() {
            return Err(if found > latest_version() {
                Error::NewerSchema {
                    found,
                    supported: latest_version(),
                }
            } else {
                Error::OldSchema {
                    found,
                    supported: latest_version(),
                }
            });
        }
        Ok(store)
    }

    /// Sets how long a write waits for other writers before [`Error::Busy`].
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<()> {
        Ok(self.connection.busy_timeout(timeout)?)
    }

    /// Whether the store was opened read-only (see [`SqliteStore::open_for_reading`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .connection
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// A write transaction holding the write lock from its first statement. A
    /// deferred transaction that reads first and writes later cannot wait for a
    /// writer that committed in between (SQLite answers BUSY at once, since the read
    /// snapshot is stale); one that takes the lock first waits its turn for up to
    /// the busy timeout.
    pub(crate) fn write_transaction(&mut self) -> Result<Transaction<'_>> {
        if self.read_only {
            return Err(Error::ReadOnly(
                self.connection
                    .path()
                    .unwrap_or("the data directory")
                    .to_string(),
            ));
        }
        Ok(self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    fn migrate(&mut self) -> Result<()> {
        if self.schema_version()? == latest_version() {
            return Ok(());
        }
        // Two processes opening a fresh store at once: the second waits for the
        // first's migration and then finds nothing left to do.
        let transaction = self.write_transaction()?;
        let found: i64 = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if found > latest_version() {
            return Err(Error::NewerSchema {
                found,
                supported: latest_version(),
            });
        }
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            transaction.execute_batch(migration)?;
            transaction.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        transaction.commit()?;
        Ok(())
    }
}

/// A file path as the path part of an SQLite URI: `%`, `?` and `#` escaped.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    out
}

/// Which form of a stored sentence to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SentenceForm {
    /// As written.
    Verbatim,
    /// Normalized for matching.
    Normalized,
}

/// The sentences of a document, in order.
pub(crate) fn document_sentences(
    connection: &Connection,
    document: i64,
    form: SentenceForm,
) -> Result<Vec<String>> {
    let mut statement = connection.prepare_cached(match form {
        SentenceForm::Verbatim => {
            "SELECT text FROM sentences WHERE document_id = ?1 ORDER BY position"
        }
        SentenceForm::Normalized => {
            "SELECT normalized FROM sentences WHERE document_id = ?1 ORDER BY position"
        }
    })?;
    let rows = statement.query_map([document], |row| row.get::<_, String>(0))?;
    Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
}

/// The sentences `start..end` of a document that a bead of `pair` names; a range
/// outside the document is a corrupt store.
pub(crate) fn bead_span(
    sentences: &[String],
    start: i64,
    end: i64,
    pair: i64,
) -> Result<&[String]> {
    let range =
        usize::try_from(start).unwrap_or(usize::MAX)..usize::try_from(end).unwrap_or(usize::MAX);
    sentences.get(range).ok_or_else(|| {
        Error::Corrupt(format!(
            "bead {start}..{end} outside its document in pair {pair}"
        ))
    })
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The stored document of `origin` in `lang`.
fn find_document(connection: &Connection, origin: &Origin, lang: Lang) -> Result<Option<i64>> {
    Ok(connection
        .query_row(
            "SELECT id FROM documents WHERE origin_kind = ?1 AND origin = ?2 AND lang = ?3",
            params![origin.kind(), origin.key(), lang_code(lang)],
            |row| row.get(0),
        )
        .optional()?)
}

/// Stores `document` inside `transaction`; see [`Store::upsert_document`].
fn upsert_in(transaction: &Transaction, document: &NewDocument) -> Result<Upsert> {
    let existing: Option<i64> = transaction
        .query_row(
            "SELECT id FROM documents WHERE content_hash = ?1",
            [&document.content_hash],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Ok(Upsert::Unchanged(DocumentId(id)));
    }
    let previous = find_document(transaction, &document.origin, document.lang)?;
    let mut pair_removed = false;
    if let Some(old) = previous {
        pair_removed = transaction
            .query_row(
                "SELECT 1 FROM pairs WHERE zh_document_id = ?1 OR en_document_id = ?1",
                [old],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        transaction.execute("DELETE FROM documents WHERE id = ?1", [old])?;
    }
    let meta = &document.metadata;
    transaction.execute(
        "INSERT INTO documents (lang, origin_kind, origin, format, content_hash, title, published, source, author, editor, place, dateline_date, agency, sentence_count, lang_tag, ingested_at)
         VALUES (?1, ?14, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        params![
            lang_code(document.lang),
            document.origin.key(),
            document.format,
            document.content_hash,
            meta.title,
            meta.published,
            meta.source,
            meta.author,
            meta.editor,
            meta.place,
            meta.dateline_date,
            meta.agency,
            document.sentences.len() as i64,
            document.origin.kind(),
            document.lang_tag,
        ],
    )?;
    let id = transaction.last_insert_rowid();
    let mut insert = transaction.prepare_cached("INSERT INTO sentences (document_id, position, text, normalized, headline) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (position, sentence) in document.sentences.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            sentence.text,
            sentence.normalized,
            sentence.headline
        ])?;
    }
    Ok(match previous {
        Some(old) => Upsert::Replaced {
            old: DocumentId(old),
            new: DocumentId(id),
            pair_removed,
        },
        None => Upsert::Inserted(DocumentId(id)),
    })
}

fn insert_beads(transaction: &Transaction, pair: i64, beads: &[NewBead]) -> Result<()> {
    let mut insert = transaction.prepare_cached(
        "INSERT INTO beads (pair_id, position, zh_start, zh_end, en_start, en_end, score, low_confidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, bead) in beads.iter().enumerate() {
        insert.execute(params![
            pair,
            position as i64,
            bead.zh.start as i64,
            bead.zh.end as i64,
            bead.en.start as i64,
            bead.en.end as i64,
            f64::from(bead.score),
            bead.low_confidence
        ])?;
        if !bead.notes.is_empty() {
            let mut note = transaction.prepare_cached(
                "INSERT INTO unit_notes (pair_id, position, seq, kind, name, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (seq, unit_note) in bead.notes.iter().enumerate() {
                let (kind, name, value) = match unit_note {
                    UnitNote::Id { value } => ("id", None, value),
                    UnitNote::Property { name, value } => ("property", Some(name), value),
                    UnitNote::Note { value } => ("note", None, value),
                };
                note.execute(params![
                    pair,
                    position as i64,
                    seq as i64,
                    kind,
                    name,
                    value
                ])?;
            }
        }
    }
    Ok(())
}

/// The unit notes of a pair's beads, by bead position.
fn unit_notes(
    connection: &rusqlite::Connection,
    pair: i64,
) -> Result<std::collections::HashMap<i64, Vec<UnitNote>>> {
    let mut statement = connection.prepare_cached(
        "SELECT position, kind, name, value FROM unit_notes WHERE pair_id = ?1 ORDER BY position, seq",
    )?;
    let rows = statement.query_map([pair], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut notes: std::collections::HashMap<i64, Vec<UnitNote>> = std::collections::HashMap::new();
    for row in rows {
        let (position, kind, name, value) = row?;
        let note = match (kind.as_str(), name) {
            ("id", _) => UnitNote::Id { value },
            ("property", Some(name)) => UnitNote::Property { name, value },
            ("note", _) => UnitNote::Note { value },
            (other, _) => {
                return Err(Error::Corrupt(format!(
                    "a note of bead {position} of pair {pair} has the kind {other}"
                )))
            }
        };
        notes.entry(position).or_default().push(note);
    }
    Ok(notes)
}

fn lang_of(code: &str) -> Result<Lang> {
    match code {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => Err(Error::Corrupt(format!("document language {other:?}"))),
    }
}

impl Store for SqliteStore {
    fn upsert_document(&mut self, document: &NewDocument) -> Result<Upsert> {
        let transaction = self.write_transaction()?;
        let outcome = upsert_in(&transaction, document)?;
        transaction.commit()?;
        Ok(outcome)
    }

    fn upsert_given_pair(
        &mut self,
        zh: &NewDocument,
        en: &NewDocument,
        beads: &[NewBead],
    ) -> Result<GivenPair> {
        let transaction = self.write_transaction()?;
        let (zh_outcome, en_outcome) = (upsert_in(&transaction, zh)?, upsert_in(&transaction, en)?);
        let (zh_id, en_id) = (zh_outcome.id(), en_outcome.id());
        let existing: Option<i64> = transaction
            .query_row("SELECT id FROM pairs WHERE zh_document_id = ?1 AND en_document_id = ?2 AND given = 1", params![zh_id.0, en_id.0], |row| row.get(0))
            .optional()?;
        if let Some(id) = existing {
            transaction.commit()?;
            return Ok(GivenPair {
                pair: PairId(id),
                zh: zh_outcome,
                en: en_outcome,
                displaced: 0,
            });
        }
        // The same text may already be stored from another source, in a pair of its
        // own: that pair gives way to this one, and the caller is told.
        let displaced = transaction.execute(
            "DELETE FROM pairs WHERE zh_document_id = ?1 OR en_document_id = ?2",
            params![zh_id.0, en_id.0],
        )?;
        transaction.execute("INSERT INTO pairs (zh_document_id, en_document_id, score, given) VALUES (?1, ?2, 1.0, 1)", params![zh_id.0, en_id.0])?;
        let pair = transaction.last_insert_rowid();
        insert_beads(&transaction, pair, beads)?;
        transaction.commit()?;
        Ok(GivenPair {
            pair: PairId(pair),
            zh: zh_outcome,
            en: en_outcome,
            displaced,
        })
    }

    fn counts(&self) -> Result<Counts> {
        let count = |sql: &str| -> Result<usize> {
            Ok(self
                .connection
                .query_row(sql, [], |row| row.get::<_, i64>(0))? as usize)
        };
        Ok(Counts {
            zh_documents: count("SELECT count(*) FROM documents WHERE lang = 'zh'")?,
            en_documents: count("SELECT count(*) FROM documents WHERE lang = 'en'")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            pairs: count("SELECT count(*) FROM pairs")?,
            beads: count("SELECT count(*) FROM beads")?,
        })
    }

    fn pairs(&self) -> Result<Vec<PairRow>> {
        let mut statement = self.connection.prepare(
            "SELECT p.id, z.origin, e.origin, p.score, p.given, (SELECT count(*) FROM beads b WHERE b.pair_id = p.id)
             FROM pairs p JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id
             ORDER BY z.origin, e.origin",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(PairRow {
                id: PairId(row.get(0)?),
                zh_origin: row.get(1)?,
                en_origin: row.get(2)?,
                score: row.get::<_, f64>(3)? as f32,
                given: row.get(4)?,
                beads: row.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn unpaired_documents(&self) -> Result<Vec<DocumentText>> {
        let mut documents = self.connection.prepare(
            "SELECT d.id, d.lang, d.origin FROM documents d
             WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.zh_document_id = d.id OR p.en_document_id = d.id)
             ORDER BY d.id",
        )?;
        let rows = documents.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, lang, origin) = row?;
            let text = document_sentences(&self.connection, id, SentenceForm::Normalized)?;
            out.push(DocumentText {
                id: DocumentId(id),
                lang: lang_of(&lang)?,
                origin,
                sentences: text,
            });
        }
        Ok(out)
    }

    fn insert_found_pairs(&mut self, pairs: &[(DocumentId, DocumentId, f32)]) -> Result<usize> {
        let transaction = self.write_transaction()?;
        let mut stored = 0;
        {
            let mut insert = transaction.prepare_cached("INSERT OR IGNORE INTO pairs (zh_document_id, en_document_id, score, given) VALUES (?1, ?2, ?3, 0)")?;
            for (zh, en, score) in pairs {
                stored += insert.execute(params![zh.0, en.0, f64::from(*score)])?;
            }
        }
        transaction.commit()?;
        Ok(stored)
    }

    fn give_pair(&mut self, zh_origin: &Origin, en_origin: &Origin) -> Result<PairId> {
        let transaction = self.write_transaction()?;
        let find = |origin: &Origin, lang: Lang| -> Result<i64> {
            find_document(&transaction, origin, lang)?.ok_or_else(|| {
                Error::NotFound(format!(
                    "no {lang} document from {origin} ({})",
                    origin.kind()
                ))
            })
        };
        let (zh, en) = (find(zh_origin, Lang::Zh)?, find(en_origin, Lang::En)?);
        transaction.execute(
            "DELETE FROM pairs WHERE zh_document_id = ?1 OR en_document_id = ?2",
            params![zh, en],
        )?;
        transaction.execute("INSERT INTO pairs (zh_document_id, en_document_id, score, given) VALUES (?1, ?2, 1.0, 1)", params![zh, en])?;
        let pair = transaction.last_insert_rowid();
        transaction.commit()?;
        Ok(PairId(pair))
    }

    fn unaligned_pairs(&self) -> Result<Vec<PairId>> {
        let mut statement = self.connection.prepare("SELECT p.id FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM beads b WHERE b.pair_id = p.id) ORDER BY p.id")?;
        let rows = statement.query_map([], |row| Ok(PairId(row.get(0)?)))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn pair_sentences(&self, pair: PairId) -> Result<(Vec<String>, Vec<String>)> {
        let (zh, en): (i64, i64) = self.connection.query_row(
            "SELECT zh_document_id, en_document_id FROM pairs WHERE id = ?1",
            [pair.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let side = |id: i64| document_sentences(&self.connection, id, SentenceForm::Normalized);
        Ok((side(zh)?, side(en)?))
    }

    fn save_alignment(&mut self, pair: PairId, beads: &[NewBead]) -> Result<()> {
        let transaction = self.write_transaction()?;
        transaction.execute("DELETE FROM beads WHERE pair_id = ?1", [pair.0])?;
        insert_beads(&transaction, pair.0, beads)?;
        transaction.execute("UPDATE pairs SET indexed = 0 WHERE id = ?1", [pair.0])?;
        transaction.commit()?;
        Ok(())
    }

    fn pairs_to_index(&self) -> Result<Vec<PairId>> {
        let mut statement = self.connection.prepare("SELECT p.id FROM pairs p WHERE p.indexed = 0 AND EXISTS (SELECT 1 FROM beads b WHERE b.pair_id = p.id) ORDER BY p.id")?;
        let rows = statement.query_map([], |row| Ok(PairId(row.get(0)?)))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn pair_beads(&self, pair: PairId) -> Result<Vec<BeadRow>> {
        #[allow(clippy::type_complexity)]
        let (zh, en, title, source, published, zh_origin, en_origin, zh_lang_tag, en_lang_tag): (i64, i64, Option<String>, Option<String>, Option<String>, String, String, Option<String>, Option<String>) = self.connection.query_row(
            "SELECT z.id, e.id, coalesce(z.title, e.title), coalesce(z.source, z.agency, e.source, e.agency), coalesce(z.published, e.published), z.origin, e.origin, z.lang_tag, e.lang_tag
             FROM pairs p JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id WHERE p.id = ?1",
            [pair.0],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?)),
        )?;
        let mut notes = unit_notes(&self.connection, pair.0)?;
        let side = |id: i64| document_sentences(&self.connection, id, SentenceForm::Verbatim);
        let (zh_sentences, en_sentences) = (side(zh)?, side(en)?);
        let mut beads = self.connection.prepare_cached(
            "SELECT position, zh_start, zh_end, en_start, en_end, score, low_confidence FROM beads WHERE pair_id = ?1 AND zh_end > zh_start AND en_end > en_start ORDER BY position",
        )?;
        let rows = beads.query_map([pair.0], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, f64>(5)?,
                row.get::<_, bool>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (position, zh_start, zh_end, en_start, en_end, score, low_confidence) = row?;
            out.push(BeadRow {
                pair,
                position: position as usize,
                zh_text: bead_span(&zh_sentences, zh_start, zh_end, pair.0)?.join(""),
                en_text: bead_span(&en_sentences, en_start, en_end, pair.0)?.join(" "),
                score: score as f32,
                low_confidence,
                title: title.clone(),
                source: source.clone(),
                published: published.clone(),
                zh_origin: zh_origin.clone(),
                en_origin: en_origin.clone(),
                zh_lang_tag: zh_lang_tag.clone(),
                en_lang_tag: en_lang_tag.clone(),
                notes: notes.remove(&position).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    fn mark_indexed(&mut self, pairs: &[PairId]) -> Result<()> {
        let transaction = self.write_transaction()?;
        {
            let mut update =
                transaction.prepare_cached("UPDATE pairs SET indexed = 1 WHERE id = ?1")?;
            for pair in pairs {
                update.execute([pair.0])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    fn index_tombstones(&self) -> Result<Vec<PairId>> {
        let mut statement = self
            .connection
            .prepare("SELECT pair_id FROM index_tombstones ORDER BY pair_id")?;
        let rows = statement.query_map([], |row| Ok(PairId(row.get(0)?)))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn indexed_pair_count(&self) -> Result<usize> {
        Ok(self
            .connection
            .query_row("SELECT count(*) FROM pairs WHERE indexed = 1", [], |row| {
                row.get::<_, i64>(0)
            })? as usize)
    }

    fn reset_indexed(&mut self) -> Result<usize> {
        let transaction = self.write_transaction()?;
        let reset = transaction.execute("UPDATE pairs SET indexed = 0 WHERE indexed = 1", [])?;
        transaction.execute("DELETE FROM index_tombstones", [])?;
        transaction.commit()?;
        Ok(reset)
    }

    fn clear_tombstones(&mut self, pairs: &[PairId]) -> Result<()> {
        let transaction = self.write_transaction()?;
        {
            let mut delete =
                transaction.prepare_cached("DELETE FROM index_tombstones WHERE pair_id = ?1")?;
            for pair in pairs {
                delete.execute([pair.0])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewSentence;
    use tongwen_text::Metadata;

    fn document(lang: Lang, origin: &str, hash: &str, sentences: &[&str]) -> NewDocument {
        NewDocument {
            lang,
            origin: Origin::File(origin.into()),
            format: "txt".into(),
            content_hash: hash.into(),
            lang_tag: None,
            metadata: Metadata {
                title: Some(format!("title of {origin}")),
                ..Metadata::default()
            },
            sentences: sentences
                .iter()
                .map(|s| NewSentence {
                    text: s.to_string(),
                    normalized: s.to_string(),
                    headline: false,
                })
                .collect(),
        }
    }

    #[test]
    fn migrates_once_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
        drop(store);
        let store = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        drop(SqliteStore::open(dir.path()).unwrap());
        let connection = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        connection.pragma_update(None, "user_version", 99).unwrap();
        drop(connection);
        assert!(matches!(
            SqliteStore::open(dir.path()),
            Err(Error::NewerSchema { found: 99, .. })
        ));
    }

    #[test]
    fn same_content_is_stored_once_and_changes_replace() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let first = store
            .upsert_document(&document(Lang::Zh, "a.txt", "h1", &["一。", "二。"]))
            .unwrap();
        assert!(matches!(first, Upsert::Inserted(_)));
        assert_eq!(
            store
                .upsert_document(&document(Lang::Zh, "a.txt", "h1", &["一。", "二。"]))
                .unwrap(),
            Upsert::Unchanged(first.id())
        );
        let replaced = store
            .upsert_document(&document(Lang::Zh, "a.txt", "h2", &["三。"]))
            .unwrap();
        assert!(matches!(replaced, Upsert::Replaced { old, .. } if old == first.id()));
        let counts = store.counts().unwrap();
        assert_eq!((counts.zh_documents, counts.sentences), (1, 1));
    }

    #[test]
    fn replacing_a_document_drops_the_evidence_read_from_its_beads() {
        use crate::{bead_ref, Termbase};
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let zh = document(Lang::Zh, "m.tmx", "z1", &["开放。", "改革。"]);
        let en = document(Lang::En, "m.tmx", "e1", &["Opening up.", "Reform."]);
        let pair = store
            .upsert_given_pair(&zh, &en, &NewBead::one_to_one(2))
            .unwrap()
            .pair;
        let mut concept = tongwen_terms::termbase::Concept::default();
        concept
            .set_status("zh", "开放", tongwen_terms::termbase::TermStatus::Preferred)
            .unwrap();
        concept.evidence = vec![bead_ref(pair, 0), bead_ref(pair, 1)];
        store.save_mined(&[concept], "miner").unwrap();
        let evidence = |store: &SqliteStore| -> i64 {
            store
                .connection
                .query_row("SELECT count(*) FROM concept_evidence", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(evidence(&store), 2);
        store
            .upsert_document(&document(Lang::Zh, "m.tmx", "z2", &["开放。"]))
            .unwrap();
        assert_eq!(evidence(&store), 0, "no evidence points at a deleted bead");
    }

    #[test]
    fn a_writer_waits_its_turn_and_gives_up_only_after_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = SqliteStore::open(dir.path()).unwrap();
        let mut waiting = SqliteStore::open(dir.path()).unwrap();
        let mut impatient = SqliteStore::open_with(dir.path(), Duration::from_millis(50)).unwrap();
        // Both later writers read first, as the termbase's updates do; a deferred
        // transaction would then fail at once on the stale snapshot.
        let holder = std::thread::spawn(move || {
            let transaction = first.write_transaction().unwrap();
            transaction
                .execute("INSERT INTO index_tombstones (pair_id) VALUES (1)", [])
                .unwrap();
            std::thread::sleep(Duration::from_millis(400));
            transaction.commit().unwrap();
        });
        std::thread::sleep(Duration::from_millis(100));
        assert!(matches!(
            impatient.upsert_document(&document(Lang::Zh, "b.txt", "h2", &["二。"])),
            Err(Error::Busy)
        ));
        let started = std::time::Instant::now();
        waiting
            .upsert_document(&document(Lang::Zh, "a.txt", "h1", &["一。"]))
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(200));
        holder.join().unwrap();
        assert_eq!(waiting.counts().unwrap().zh_documents, 1);
    }

    #[test]
    fn given_pairs_with_beads_and_cascade() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let zh = document(Lang::Zh, "m.tmx", "z1", &["一。", "二。"]);
        let en = document(Lang::En, "m.tmx", "e1", &["One.", "Two."]);
        let beads = NewBead::one_to_one(2);
        let first = store.upsert_given_pair(&zh, &en, &beads).unwrap();
        assert!(matches!(first.zh, Upsert::Inserted(_)));
        let again = store.upsert_given_pair(&zh, &en, &beads).unwrap();
        assert_eq!(again.pair, first.pair);
        assert!(matches!(
            (again.zh, again.en),
            (Upsert::Unchanged(_), Upsert::Unchanged(_))
        ));
        let pairs = store.pairs().unwrap();
        assert_eq!(pairs.len(), 1);
        assert!(pairs[0].given && pairs[0].beads == 2);
        // A new version of the Chinese side removes the pair and its beads.
        store
            .upsert_document(&document(Lang::Zh, "m.tmx", "z2", &["三。"]))
            .unwrap();
        let counts = store.counts().unwrap();
        assert_eq!((counts.pairs, counts.beads, counts.en_documents), (0, 0, 1));
    }
}
