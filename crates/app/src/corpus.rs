//! Pairing the stored documents and aligning the pairs.

use rayon::prelude::*;
use tongwen_align::pairing::{pair_documents, PairingConfig};
use tongwen_align::{align, AlignConfig, Segment};
use tongwen_store::{ConceptName, ConcordanceIndex, DocumentId, NewBead, Store, Termbase};
use tongwen_terms::termbase::{Concept, ConceptState};
use tongwen_text::{EnTokenizer, Lang, Token, ZhTokenizer};

use crate::Result;

/// Tokenizers loaded once and shared.
pub struct Tokenizers {
    /// Chinese.
    pub zh: ZhTokenizer,
    /// English.
    pub en: EnTokenizer,
}

impl Tokenizers {
    /// Loads both (jieba's dictionary takes about 100 ms).
    pub fn load() -> Tokenizers {
        Tokenizers {
            zh: ZhTokenizer::new(),
            en: EnTokenizer::new(),
        }
    }

    /// Both, with the Chinese one taught the termbase's names, for reading the corpus
    /// (pairing, alignment, the index, search, mining), so that a name jieba cuts or
    /// does not know is one word wherever the corpus is segmented: the names of
    /// approved concepts and of candidates a glossary brought. Mined candidates wait
    /// for review: a wrong one, however well scored (赫人以 → "Hittite", of 赫人以弗仑,
    /// at 0.99), would cut the names around it (以弗仑 → "Ephron") in every later
    /// reading.
    pub fn with_names(store: &dyn Termbase) -> Result<Tokenizers> {
        let mut tokenizers = Tokenizers::load();
        let names = store.concept_names()?;
        tokenizers
            .zh
            .add_names(names.iter().filter(|n| is_taught(n)).map(|n| &n.text));
        Ok(tokenizers)
    }

    /// Both, with the Chinese one taught the names of `concepts`: a check holds a
    /// translation to the names of the termbase it checks against.
    pub fn with_names_of<'a>(concepts: impl IntoIterator<Item = &'a Concept>) -> Tokenizers {
        let mut tokenizers = Tokenizers::load();
        tokenizers
            .zh
            .add_names(concepts.into_iter().flat_map(Concept::chinese_names));
        tokenizers
    }

    fn segment(&self, lang: Lang, normalized: &str) -> Segment {
        match lang {
            Lang::Zh => Segment::zh(&self.zh, normalized),
            Lang::En => Segment::en(&self.en, normalized),
        }
    }
}

fn is_taught(name: &ConceptName) -> bool {
    match name.state {
        ConceptState::Approved => true,
        ConceptState::Candidate => name.mined_score.is_none(),
        ConceptState::Rejected | ConceptState::Merged => false,
    }
}

/// Share of one side's sentences that a confident non-null bead must cover, on the
/// better-covered side, for a candidate pair to count as versions of each other: a
/// condensed English release leaves much of its Chinese original unaligned, but its
/// own sentences align; an unrelated look-alike aligns on neither side.
pub const MIN_VERIFIED_SHARE: f32 = 0.5;

/// Finds pairs among the unpaired documents, verifies each by aligning it, and stores
/// the verified ones; returns how many.
pub fn pair_unpaired(
    store: &mut dyn Store,
    tokenizers: &Tokenizers,
    config: &PairingConfig,
) -> Result<usize> {
    let documents = store.unpaired_documents()?;
    let side = |lang: Lang| -> (Vec<DocumentId>, Vec<Vec<Segment>>) {
        documents
            .par_iter()
            .filter(|d| d.lang == lang)
            .map(|d| {
                (
                    d.id,
                    d.sentences
                        .iter()
                        .map(|s| tokenizers.segment(lang, s))
                        .collect(),
                )
            })
            .unzip()
    };
    let (zh_ids, zh_segments) = side(Lang::Zh);
    let (en_ids, en_segments) = side(Lang::En);
    let flatten = |segments: &Vec<Vec<Segment>>| -> Vec<Vec<Token>> {
        segments
            .iter()
            .map(|doc| doc.iter().flat_map(|s| s.tokens.iter().cloned()).collect())
            .collect()
    };
    let align_config = AlignConfig::standard();
    let mut verify = |batch: &[(usize, usize)]| -> Vec<bool> {
        batch
            .par_iter()
            .map(|&(z, e)| {
                verified_share(&zh_segments[z], &en_segments[e], &align_config)
                    >= MIN_VERIFIED_SHARE
            })
            .collect()
    };
    let found = pair_documents(
        &flatten(&zh_segments),
        &flatten(&en_segments),
        config,
        &mut verify,
    );
    let pairs: Vec<(DocumentId, DocumentId, f32)> = found
        .iter()
        .map(|p| (zh_ids[p.zh], en_ids[p.en], p.score))
        .collect();
    Ok(store.insert_found_pairs(&pairs)?)
}

/// The larger of the two sides' shares of sentences in confident non-null beads.
fn verified_share(zh: &[Segment], en: &[Segment], config: &AlignConfig) -> f32 {
    let beads = align(zh, en, config);
    let covered = |side: fn(&tongwen_align::Bead) -> usize| -> usize {
        beads
            .iter()
            .filter(|b| !b.zh.is_empty() && !b.en.is_empty() && !b.low_confidence)
            .map(side)
            .sum()
    };
    let zh_share = covered(|b| b.zh.len()) as f32 / zh.len().max(1) as f32;
    let en_share = covered(|b| b.en.len()) as f32 / en.len().max(1) as f32;
    zh_share.max(en_share)
}

/// Aligns every pair without beads, both cores working; calls `on_pair` after each.
pub fn align_unaligned(
    store: &mut dyn Store,
    tokenizers: &Tokenizers,
    config: &AlignConfig,
    on_pair: &mut dyn FnMut(),
) -> Result<usize> {
    let pairs = store.unaligned_pairs()?;
    // Pairs are read and written in chunks so that memory stays flat however many
    // there are; each chunk is aligned in parallel.
    const CHUNK: usize = 64;
    for chunk in pairs.chunks(CHUNK) {
        let texts = chunk
            .iter()
            .map(|&pair| Ok((pair, store.pair_sentences(pair)?)))
            .collect::<Result<Vec<_>>>()?;
        let aligned: Vec<_> = texts
            .par_iter()
            .map(|(pair, (zh, en))| {
                let zh: Vec<Segment> = zh.iter().map(|s| tokenizers.segment(Lang::Zh, s)).collect();
                let en: Vec<Segment> = en.iter().map(|s| tokenizers.segment(Lang::En, s)).collect();
                let beads: Vec<NewBead> = align(&zh, &en, config)
                    .into_iter()
                    .map(|b| NewBead {
                        zh: b.zh,
                        en: b.en,
                        score: b.score,
                        low_confidence: b.low_confidence,
                        notes: Vec::new(),
                    })
                    .collect();
                (*pair, beads)
            })
            .collect();
        for (pair, beads) in aligned {
            store.save_alignment(pair, &beads)?;
            on_pair();
        }
    }
    Ok(pairs.len())
}

/// Why the index was rebuilt from the store rather than brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuild {
    /// The caller asked for it (`update --reindex`).
    Requested,
    /// The index had none of the beads the store records as indexed (its files were
    /// deleted); this many pairs were recorded.
    Lost(usize),
    /// The index was of an older layout (before substring search).
    OlderLayout,
    /// The beads were indexed when 〇 and the CJK extensions beyond A made no
    /// substrings.
    OlderBigrams,
    /// The beads were indexed with other names as words than the termbase now has.
    NamesChanged,
}

/// What indexing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexReport {
    /// Whether, and why, the index was rebuilt from scratch.
    pub rebuilt: Option<Rebuild>,
    /// Pairs added to the index.
    pub indexed: usize,
    /// Beads the index now holds.
    pub searchable: u64,
}

/// Brings the concordance index in `dir` in step with the store; with `rebuild` the
/// index is deleted and built again from the store, which also mends an index whose
/// files are damaged. An index that cannot be opened is an error naming that remedy.
pub fn index_corpus(
    store: &mut dyn Store,
    dir: &std::path::Path,
    jieba: std::sync::Arc<ZhTokenizer>,
    rebuild: bool,
    on_pair: &mut dyn FnMut(),
) -> Result<IndexReport> {
    let (mut index, rebuilt) = if rebuild {
        (
            ConcordanceIndex::recreate(dir, jieba)?,
            Some(Rebuild::Requested),
        )
    } else if ConcordanceIndex::is_of_older_layout(dir) {
        (
            ConcordanceIndex::recreate(dir, jieba)?,
            Some(Rebuild::OlderLayout),
        )
    } else {
        let index = ConcordanceIndex::open(dir, jieba).map_err(|error| crate::Error::Input {
            path: dir.display().to_string(),
            reason: format!(
                "the concordance index cannot be opened ({error}); `tongwen update --reindex` rebuilds it"
            ),
        })?;
        let lost = index
            .missing_beads(store)?
            .map(|_| Rebuild::Lost(store.indexed_pair_count().unwrap_or(0)));
        let rebuilt = match lost {
            Some(lost) => Some(lost),
            None if index.built_with_older_bigrams()? => Some(Rebuild::OlderBigrams),
            None => index
                .built_with_other_names()?
                .then_some(Rebuild::NamesChanged),
        };
        (index, rebuilt)
    };
    if rebuilt.is_some() {
        index.clear()?;
        store.reset_indexed()?;
    }
    let indexed = index.update(store, on_pair)?;
    Ok(IndexReport {
        rebuilt,
        indexed,
        searchable: index.len(),
    })
}

/// The concordance index in `dir`, for searching: a missing index, or one that has lost
/// the beads the store records as indexed, is an error saying how to rebuild it, not
/// an index that finds nothing.
pub fn search_index(
    store: &dyn Store,
    dir: &std::path::Path,
    jieba: std::sync::Arc<ZhTokenizer>,
) -> Result<ConcordanceIndex> {
    let index = ConcordanceIndex::open_existing(dir, jieba)?;
    if let Some(problem) = index.missing_beads(store)? {
        return Err(crate::Error::Input {
            path: dir.display().to_string(),
            reason: format!("{problem}; `tongwen update --reindex` rebuilds it"),
        });
    }
    Ok(index)
}

/// Which beads an export takes.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Only stories from this source or agency (exact).
    pub source: Option<String>,
    /// Only stories published on or after this date (`YYYYMMDD`).
    pub from: Option<i64>,
    /// Only stories published on or before this date (`YYYYMMDD`).
    pub to: Option<i64>,
    /// Only beads at least this confident.
    pub min_score: Option<f32>,
}

impl ExportFilter {
    fn accepts(&self, row: &tongwen_store::BeadRow) -> bool {
        let date = row
            .published
            .as_deref()
            .and_then(tongwen_store::index::date_number);
        let in_range = match (self.from, self.to) {
            (None, None) => true,
            (from, to) => {
                date.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
            }
        };
        in_range
            && self
                .source
                .as_ref()
                .is_none_or(|s| row.source.as_deref() == Some(s.as_str()))
            && self.min_score.is_none_or(|m| row.score >= m)
    }
}

/// Streams every aligned bead the filter accepts to `sink`, pair by pair, so that
/// memory stays flat however large the store. Returns how many beads were written.
pub fn export(
    store: &dyn Store,
    filter: &ExportFilter,
    sink: &mut dyn FnMut(&tongwen_store::BeadRow) -> std::io::Result<()>,
) -> Result<usize> {
    let mut written = 0;
    for pair in store.pairs()? {
        for row in store.pair_beads(pair.id)? {
            if filter.accepts(&row) {
                sink(&row).map_err(|e| crate::Error::Input {
                    path: "output".into(),
                    reason: e.to_string(),
                })?;
                written += 1;
            }
        }
    }
    Ok(written)
}
