//! Reading stored pairs as stories: listings with their metadata, and a whole story
//! bead by bead (sentences without a counterpart included).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use tongwen_text::Metadata;

use crate::sqlite::{bead_span, document_sentences, SentenceForm};
use crate::{Error, PairId, Result, SqliteStore};

/// A story (a stored document pair) as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryRow {
    /// The pair.
    pub id: PairId,
    /// Chinese title, else English.
    pub title: Option<String>,
    /// English title.
    pub en_title: Option<String>,
    /// Publication time as written.
    pub published: Option<String>,
    /// Source or agency.
    pub source: Option<String>,
    /// Beads with text on both sides.
    pub beads: usize,
}

/// One side of a story: its document's metadata and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StorySide {
    /// Header and dateline fields.
    #[serde(flatten)]
    pub metadata: Metadata,
    /// Where the document came from.
    pub origin: String,
}

/// One bead of a story: its sentences on each side (either may be empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryBead {
    /// Position in the pair.
    pub position: usize,
    /// Chinese sentences, verbatim.
    pub zh: Vec<String>,
    /// English sentences, verbatim.
    pub en: Vec<String>,
    /// Confidence.
    pub score: f32,
    /// Flagged for review.
    pub low_confidence: bool,
}

/// A whole story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// The pair.
    pub id: PairId,
    /// Chinese side.
    pub zh: StorySide,
    /// English side.
    pub en: StorySide,
    /// Beads in order.
    pub beads: Vec<StoryBead>,
}

/// Reading stories.
pub trait Stories {
    /// Stories, newest first (by publication time as written, then id).
    fn stories(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>>;
    /// Number of stories.
    fn story_count(&self) -> Result<usize>;
    /// The highest pair id: changes whenever a story is added or replaced.
    fn last_pair_id(&self) -> Result<i64>;
    /// One story with all its beads.
    fn story(&self, id: PairId) -> Result<Story>;
}

fn side(connection: &rusqlite::Connection, document: i64) -> Result<StorySide> {
    Ok(connection.query_row(
        "SELECT title, published, source, author, editor, place, dateline_date, agency, origin FROM documents WHERE id = ?1",
        [document],
        |r| {
            Ok(StorySide {
                metadata: Metadata {
                    title: r.get(0)?,
                    published: r.get(1)?,
                    source: r.get(2)?,
                    author: r.get(3)?,
                    editor: r.get(4)?,
                    place: r.get(5)?,
                    dateline_date: r.get(6)?,
                    agency: r.get(7)?,
                },
                origin: r.get(8)?,
            })
        },
    )?)
}

impl Stories for SqliteStore {
    fn stories(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT p.id, coalesce(z.title, e.title), e.title, coalesce(z.published, e.published),
                    coalesce(z.source, z.agency, e.source, e.agency),
                    (SELECT count(*) FROM beads b WHERE b.pair_id = p.id AND b.zh_end > b.zh_start AND b.en_end > b.en_start)
             FROM pairs p JOIN documents z ON z.id = p.zh_document_id JOIN documents e ON e.id = p.en_document_id
             ORDER BY coalesce(z.published, e.published) IS NULL, coalesce(z.published, e.published) DESC, p.id DESC
             LIMIT ?1 OFFSET ?2",
        )?;
        let rows = statement.query_map(params![limit as i64, offset as i64], |r| {
            Ok(StoryRow {
                id: PairId(r.get(0)?),
                title: r.get(1)?,
                en_title: r.get(2)?,
                published: r.get(3)?,
                source: r.get(4)?,
                beads: r.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn story_count(&self) -> Result<usize> {
        Ok(self
            .connection
            .query_row("SELECT count(*) FROM pairs", [], |r| r.get::<_, i64>(0))?
            as usize)
    }

    fn last_pair_id(&self) -> Result<i64> {
        Ok(self
            .connection
            .query_row("SELECT coalesce(max(id), 0) FROM pairs", [], |r| r.get(0))?)
    }

    fn story(&self, id: PairId) -> Result<Story> {
        let (zh_document, en_document): (i64, i64) = self
            .connection
            .query_row(
                "SELECT zh_document_id, en_document_id FROM pairs WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("story {}", id.0)))?;
        let side_text =
            |document: i64| document_sentences(&self.connection, document, SentenceForm::Verbatim);
        let (zh_sentences, en_sentences) = (side_text(zh_document)?, side_text(en_document)?);
        let mut statement = self.connection.prepare_cached(
            "SELECT position, zh_start, zh_end, en_start, en_end, score, low_confidence FROM beads WHERE pair_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([id.0], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, f64>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })?;
        let mut beads = Vec::new();
        for row in rows {
            let (position, zs, ze, es, ee, score, low_confidence) = row?;
            beads.push(StoryBead {
                position: position as usize,
                zh: bead_span(&zh_sentences, zs, ze, id.0)?.to_vec(),
                en: bead_span(&en_sentences, es, ee, id.0)?.to_vec(),
                score: score as f32,
                low_confidence,
            });
        }
        Ok(Story {
            id,
            zh: side(&self.connection, zh_document)?,
            en: side(&self.connection, en_document)?,
            beads,
        })
    }
}
