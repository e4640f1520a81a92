//! The bilingual concordance: a tantivy index of aligned beads, kept in step with the
//! store, searched by Chinese or English words and phrases.
//!
//! Chinese is indexed with jieba (each word at its own position, its dictionary
//! sub-words at the same position: 开放 finds 对外开放, and the phrase 高水平对外开放
//! still matches exactly); English with tantivy's stemming analyzer. The verbatim text
//! is indexed, so highlight ranges point into what is displayed.

use std::ops::{Bound, Range};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{
    doc, DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};
use tongwen_text::{is_han, normalize, Lang, ZhTokenizer};

use crate::{BeadRow, Error, PairId, Result, Store};

const ZH_ANALYZER: &str = "tongwen_zh";
const ZH_GRAMS_ANALYZER: &str = "tongwen_zh_bigrams";
/// The field of Chinese character bigrams; an index without it is of the layout
/// before substring search and is rebuilt.
const ZH_GRAMS_FIELD: &str = "zh_grams";
const EN_ANALYZER: &str = "en_stem";

/// The first line of each commit's payload: which characters made the bigrams. Indexes
/// without it were built when 〇 and the CJK extensions beyond A made none, so that
/// 二〇二四 was found in no bead.
const SEGMENTATION_RECORD: &str = "han bigrams 2";

/// The commit payload: [`SEGMENTATION_RECORD`], then the [`names_record`].
fn commit_payload(jieba: &ZhTokenizer) -> String {
    format!("{SEGMENTATION_RECORD}\n{}", names_record(jieba))
}

/// The names taught to the tokenizer: their number and a digest, or nothing when there
/// are none (as in indexes from before names were taught).
fn names_record(jieba: &ZhTokenizer) -> String {
    let names = jieba.added_names();
    if names.is_empty() {
        return String::new();
    }
    let mut digest = blake3::Hasher::new();
    for name in names {
        digest.update(name.as_bytes());
        digest.update(b"\n");
    }
    format!("names {} {}", names.len(), digest.finalize().to_hex())
}

/// jieba as a tantivy tokenizer: words and their sub-words, full-width forms folded.
#[derive(Clone)]
struct JiebaTokenizer {
    jieba: Arc<ZhTokenizer>,
}

struct WordStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        let tokens = self
            .jieba
            .index_words(text)
            .into_iter()
            .map(|word| Token {
                text: normalize(&text[word.range.clone()]),
                offset_from: word.range.start,
                offset_to: word.range.end,
                position: word.position,
                position_length: 1,
            })
            .collect();
        WordStream { tokens, next: 0 }
    }
}

/// Chinese text as overlapping character bigrams (新质生产力 → 新质 质生 生产 产力),
/// each at the position of its first character, so that any verbatim substring of two
/// or more characters is a phrase of bigrams, found whatever jieba made of the text
/// around it (器翻译 inside 机器翻译). Only runs of Han characters make bigrams.
#[derive(Clone, Copy)]
struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        WordStream {
            tokens: han_bigrams(text),
            next: 0,
        }
    }
}

fn han_bigrams(text: &str) -> Vec<Token> {
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    for (position, pair) in characters.windows(2).enumerate() {
        let [(start, first), (second_start, second)] = [pair[0], pair[1]];
        if is_han(first) && is_han(second) {
            let end = second_start + second.len_utf8();
            tokens.push(Token {
                text: normalize(&text[start..end]),
                offset_from: start,
                offset_to: end,
                position,
                position_length: 1,
            });
        }
    }
    tokens
}

#[derive(Clone, Copy)]
struct Fields {
    zh: Field,
    zh_grams: Field,
    en: Field,
    pair: Field,
    position: Field,
    score: Field,
    review: Field,
    source: Field,
    date: Field,
    title: Field,
    published: Field,
    zh_origin: Field,
    en_origin: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        zh: builder.add_text_field("zh", text(ZH_ANALYZER)),
        zh_grams: builder.add_text_field(
            ZH_GRAMS_FIELD,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ZH_GRAMS_ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        en: builder.add_text_field("en", text(EN_ANALYZER)),
        pair: builder.add_u64_field("pair", INDEXED | STORED | FAST),
        position: builder.add_u64_field("position", STORED),
        score: builder.add_f64_field("score", STORED | FAST),
        review: builder.add_bool_field("low_confidence", STORED),
        source: builder.add_text_field("source", STRING | STORED),
        date: builder.add_i64_field("date", INDEXED | FAST),
        title: builder.add_text_field("title", STORED),
        published: builder.add_text_field("published", STORED),
        zh_origin: builder.add_text_field("zh_origin", STORED),
        en_origin: builder.add_text_field("en_origin", STORED),
    };
    (builder.build(), fields)
}

/// `2024-10-21 09:11:02`, `2024/10/21`, `2024年10月21日` → 20241021.
pub fn date_number(text: &str) -> Option<i64> {
    let digits: Vec<i64> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .map(|p| p.parse().unwrap_or(-1))
        .collect();
    match digits.as_slice() {
        [year, month, day]
            if (1000..10000).contains(year)
                && (1..=12).contains(month)
                && (1..=31).contains(day) =>
        {
            Some(year * 10000 + month * 100 + day)
        }
        _ => None,
    }
}

/// A concordance search.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Words and `"quoted phrases"`, Chinese or English; all must match.
    pub text: String,
    /// Search only this side; by default each part searches the side of its script.
    pub lang: Option<Lang>,
    /// Only beads from this source (exact).
    pub source: Option<String>,
    /// Only beads published on or after this date (`YYYYMMDD`).
    pub from: Option<i64>,
    /// Only beads published on or before this date (`YYYYMMDD`).
    pub to: Option<i64>,
    /// Most hits returned.
    pub limit: usize,
    /// Hits skipped first (paging).
    pub offset: usize,
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The bead and its context.
    #[serde(flatten)]
    pub bead: BeadRow,
    /// Byte ranges of the matches in `zh_text`.
    pub zh_highlights: Vec<Range<usize>>,
    /// Byte ranges of the matches in `en_text`.
    pub en_highlights: Vec<Range<usize>>,
    /// Relevance (BM25, phrase boost, bead confidence).
    pub relevance: f32,
}

/// The full-text index of aligned beads.
pub struct ConcordanceIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    jieba: Arc<ZhTokenizer>,
}

/// Most hits one search returns (exports take the whole corpus).
pub const MAX_HITS: usize = 10_000;
/// Most hits a search may skip (paging).
pub const MAX_OFFSET: usize = 1_000_000;

/// Whether files can be made in `dir` (tried, since permissions alone do not tell:
/// root ignores them, and read-only mounts override them).
fn is_writable(dir: &Path) -> bool {
    let probe = dir.join(".tongwen-write-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => std::fs::remove_file(&probe).is_ok(),
        Err(_) => false,
    }
}

/// An index directory that cannot be written (read-only media, a store shared
/// without write permission): files are read as usual; the readers' lock, which
/// keeps a writer's clean-up from deleting files being read, is taken as held, since
/// nothing can be written or deleted here; every write is refused.
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(tantivy::directory::MmapDirectory);

fn read_only_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        "the index directory is read-only",
    )
}

impl tantivy::Directory for ReadOnlyDirectory {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<
        Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }

    fn delete(
        &self,
        path: &Path,
    ) -> std::result::Result<(), tantivy::directory::error::DeleteError> {
        Err(tantivy::directory::error::DeleteError::IoError {
            io_error: Arc::new(read_only_error()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(
        &self,
        path: &Path,
    ) -> std::result::Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(
        &self,
        path: &Path,
    ) -> std::result::Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError>
    {
        Err(tantivy::directory::error::OpenWriteError::IoError {
            io_error: Arc::new(read_only_error()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(
        &self,
        path: &Path,
    ) -> std::result::Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> std::result::Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError>
    {
        Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
    }

    fn watch(
        &self,
        callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(callback)
    }
}

/// Whether `dir` holds an index (tantivy's `meta.json`).
fn holds_index(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

impl ConcordanceIndex {
    /// Whether `dir` holds an index of a layout before this one's (without substring
    /// search), which must be rebuilt from the store to be opened.
    /// A damaged index (a meta file that is not JSON) is not of an older layout.
    pub fn is_of_older_layout(dir: &Path) -> bool {
        let Ok(meta) = std::fs::read_to_string(dir.join("meta.json")) else {
            return false;
        };
        let Ok(meta) = serde_json::from_str::<serde_json::Value>(&meta) else {
            return false;
        };
        meta["schema"].as_array().is_some_and(|fields| {
            !fields
                .iter()
                .any(|field| field["name"].as_str() == Some(ZH_GRAMS_FIELD))
        })
    }

    /// Opens the index in `dir`, creating an empty one where there is none.
    pub fn open(dir: &Path, jieba: Arc<ZhTokenizer>) -> Result<ConcordanceIndex> {
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        Self::open_in(dir, jieba)
    }

    /// Opens the index in `dir`, which must exist: a search of a lost index says so
    /// rather than finding nothing.
    pub fn open_existing(dir: &Path, jieba: Arc<ZhTokenizer>) -> Result<ConcordanceIndex> {
        if !holds_index(dir) {
            return Err(Error::Index(format!(
                "there is no concordance index in {}; `tongwen update` builds it",
                dir.display()
            )));
        }
        Self::open_in(dir, jieba).map_err(|error| {
            Error::Index(format!(
                "the concordance index in {} cannot be read ({error}); `tongwen update --reindex` rebuilds it",
                dir.display()
            ))
        })
    }

    /// Deletes whatever is in `dir` (a damaged index, one of an older layout) and
    /// creates an empty index there, for a rebuild from the store.
    pub fn recreate(dir: &Path, jieba: Arc<ZhTokenizer>) -> Result<ConcordanceIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|source| Error::DataDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        Self::open(dir, jieba)
    }

    fn open_in(dir: &Path, jieba: Arc<ZhTokenizer>) -> Result<ConcordanceIndex> {
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| Error::Index(e.to_string()))?;
        let index = if holds_index(dir) && !is_writable(dir) {
            Index::open(ReadOnlyDirectory(directory))
        } else {
            Index::open_or_create(directory, schema)
        }
        .map_err(|e| Error::Index(e.to_string()))?;
        if index.schema().get_field(ZH_GRAMS_FIELD).is_err() {
            return Err(Error::Index(
                "the index is of an older layout, without substring search; `tongwen update` rebuilds it".into(),
            ));
        }
        index
            .tokenizers()
            .register(ZH_GRAMS_ANALYZER, TextAnalyzer::from(BigramTokenizer));
        index.tokenizers().register(
            ZH_ANALYZER,
            TextAnalyzer::builder(JiebaTokenizer {
                jieba: jieba.clone(),
            })
            .filter(LowerCaser)
            .build(),
        );
        // Another process (`tongwen update`) commits to the same index: readers
        // follow its commits by watching the index's meta file.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e: tantivy::TantivyError| Error::Index(e.to_string()))?;
        Ok(ConcordanceIndex {
            index,
            reader,
            fields,
            jieba,
        })
    }

    /// Brings the index in step with the store: drops deleted pairs, adds pairs not yet
    /// indexed. Returns how many pairs were added.
    pub fn update(&mut self, store: &mut dyn Store, on_pair: &mut dyn FnMut()) -> Result<usize> {
        let index_error = |e: tantivy::TantivyError| Error::Index(e.to_string());
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer(128 << 20).map_err(index_error)?;
        let tombstones = store.index_tombstones()?;
        for pair in &tombstones {
            writer.delete_term(Term::from_field_u64(self.fields.pair, pair.0 as u64));
        }
        let pending = store.pairs_to_index()?;
        // Commit in batches so that an interrupted update keeps what it did and the
        // store's `indexed` flags never run ahead of the index.
        const BATCH: usize = 2_000;
        for batch in pending.chunks(BATCH) {
            for &pair in batch {
                writer.delete_term(Term::from_field_u64(self.fields.pair, pair.0 as u64));
                for row in store.pair_beads(pair)? {
                    writer
                        .add_document(self.document(&row))
                        .map_err(index_error)?;
                }
                on_pair();
            }
            self.commit(&mut writer)?;
            store.mark_indexed(batch)?;
        }
        self.commit(&mut writer)?;
        store.clear_tombstones(&tombstones)?;
        writer.wait_merging_threads().map_err(index_error)?;
        self.reader.reload().map_err(index_error)?;
        Ok(pending.len())
    }

    fn document(&self, row: &BeadRow) -> TantivyDocument {
        let f = &self.fields;
        let mut document = doc!(
            f.zh => row.zh_text.as_str(),
            f.zh_grams => row.zh_text.as_str(),
            f.en => row.en_text.as_str(),
            f.pair => row.pair.0 as u64,
            f.position => row.position as u64,
            f.score => f64::from(row.score),
            f.review => row.low_confidence,
            f.zh_origin => row.zh_origin.as_str(),
            f.en_origin => row.en_origin.as_str(),
        );
        if let Some(source) = &row.source {
            document.add_text(f.source, source);
        }
        if let Some(title) = &row.title {
            document.add_text(f.title, title);
        }
        if let Some(published) = &row.published {
            document.add_text(f.published, published);
            if let Some(date) = date_number(published) {
                document.add_i64(f.date, date);
            }
        }
        document
    }

    /// Drops every bead from the index (for a rebuild with [`Store::reset_indexed`]).
    pub fn clear(&mut self) -> Result<()> {
        let index_error = |e: tantivy::TantivyError| Error::Index(e.to_string());
        let mut writer: IndexWriter<TantivyDocument> =
            self.index.writer(32 << 20).map_err(index_error)?;
        writer.delete_all_documents().map_err(index_error)?;
        self.commit(&mut writer)?;
        self.reader.reload().map_err(index_error)?;
        Ok(())
    }

    /// Commits with a record of the names the tokenizer was taught, so that an index
    /// built with other words is known as such.
    fn commit(&self, writer: &mut IndexWriter<TantivyDocument>) -> Result<()> {
        let index_error = |e: tantivy::TantivyError| Error::Index(e.to_string());
        let mut prepared = writer.prepare_commit().map_err(index_error)?;
        prepared.set_payload(&commit_payload(&self.jieba));
        prepared.commit().map_err(index_error)?;
        Ok(())
    }

    /// Whether the beads were indexed with other names as words than the tokenizer
    /// now knows (a termbase gained or lost names since): the index still finds every
    /// substring, but whole-word ranking and highlighting would follow the old words
    /// until it is rebuilt.
    pub fn built_with_other_names(&self) -> Result<bool> {
        if self.is_empty() {
            return Ok(false);
        }
        let payload = self.payload()?;
        let names = match payload.split_once('\n') {
            Some((SEGMENTATION_RECORD, names)) => names,
            _ => payload.as_str(),
        };
        Ok(names != names_record(&self.jieba))
    }

    /// Whether the beads were indexed before 〇 and the CJK extensions beyond A made
    /// bigrams: such substrings are found only once the index is rebuilt.
    pub fn built_with_older_bigrams(&self) -> Result<bool> {
        if self.is_empty() {
            return Ok(false);
        }
        Ok(self.payload()?.lines().next() != Some(SEGMENTATION_RECORD))
    }

    /// The payload of the last commit, empty when there is none.
    fn payload(&self) -> Result<String> {
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::Index(e.to_string()))?;
        Ok(metas.payload.unwrap_or_default())
    }

    /// Number of beads in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no beads.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// English terms of one query part, as the index analyzed them.
    fn english_terms(&self, field: Field, text: &str) -> Vec<Term> {
        let Some(mut analyzer) = self.index.tokenizers().get(EN_ANALYZER) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(Term::from_field_text(field, &stream.token().text));
        }
        terms
    }

    /// A description of what is wrong when the index has none of the beads the store
    /// records as indexed (its files were deleted or replaced).
    pub fn missing_beads(&self, store: &dyn Store) -> Result<Option<String>> {
        let recorded = store.indexed_pair_count()?;
        Ok((recorded > 0 && self.is_empty()).then(|| {
            format!("the concordance index is empty while {recorded} pairs are recorded as indexed")
        }))
    }

    /// Searches the concordance.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>> {
        if query.limit > MAX_HITS || query.offset > MAX_OFFSET {
            return Err(Error::Query(format!(
                "a search returns at most {MAX_HITS} hits and skips at most {MAX_OFFSET}"
            )));
        }
        let parts = split_query(&query.text);
        if parts.is_empty() {
            return Err(Error::Query("the query has no words".into()));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (text, quoted) in &parts {
            let han = text.chars().any(is_han);
            let side = query.lang.unwrap_or(if han { Lang::Zh } else { Lang::En });
            let terms = match side {
                Lang::Zh => self.whole_words(self.fields.zh, text),
                Lang::En => self.english_terms(self.fields.en, text),
            };
            // A run of Chinese characters only: other characters make no bigrams, and a
            // part mixing them (经开区2024) is matched by its words.
            let grams: Vec<Term> = if side == Lang::Zh && text.chars().all(is_han) {
                han_bigrams(text)
                    .into_iter()
                    .map(|t| Term::from_field_text(self.fields.zh_grams, &t.text))
                    .collect()
            } else {
                Vec::new()
            };
            let part: Box<dyn Query> = match terms.len() {
                // Any verbatim substring is found through its bigrams (and only
                // verbatim ones: words either side of a comma are not); the same
                // text as whole jieba words ranks first.
                _ if !grams.is_empty() => {
                    let substring: Box<dyn Query> = match grams.len() {
                        1 => Box::new(TermQuery::new(
                            grams[0].clone(),
                            IndexRecordOption::WithFreqsAndPositions,
                        )),
                        _ => Box::new(PhraseQuery::new(grams)),
                    };
                    let mut ranked: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, substring)];
                    if !terms.is_empty() {
                        let words: Box<dyn Query> = match terms.len() {
                            1 => Box::new(TermQuery::new(
                                terms[0].clone(),
                                IndexRecordOption::WithFreqsAndPositions,
                            )),
                            _ => Box::new(PhraseQuery::new(terms)),
                        };
                        ranked.push((Occur::Should, Box::new(BoostQuery::new(words, 2.0))));
                    }
                    Box::new(BooleanQuery::new(ranked))
                }
                0 => return Ok(Vec::new()),
                1 => Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqsAndPositions,
                )),
                // Chinese runs and quoted text are phrases; loose English words each
                // must occur, and occurring together as written ranks first.
                _ if side == Lang::Zh || *quoted => Box::new(PhraseQuery::new(terms)),
                _ => {
                    let words: Vec<(Occur, Box<dyn Query>)> = terms
                        .iter()
                        .map(|t| {
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
                                    as Box<dyn Query>,
                            )
                        })
                        .collect();
                    Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Must,
                            Box::new(BooleanQuery::new(words)) as Box<dyn Query>,
                        ),
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), 2.0)),
                        ),
                    ]))
                }
            };
            clauses.push((Occur::Must, part));
        }
        if let Some(source) = &query.source {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.source, source),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if query.from.is_some() || query.to.is_some() {
            let bound = |value: Option<i64>| {
                value.map_or(Bound::Unbounded, |v| {
                    Bound::Included(Term::from_field_i64(self.fields.date, v))
                })
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(query.from), bound(query.to))),
            ));
        }
        let query_all = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        // Confident beads first among equals: relevance scaled by 0.5 + score / 2.
        let collector = TopDocs::with_limit(query.limit.max(1))
            .and_offset(query.offset)
            .tweak_score(move |segment: &tantivy::SegmentReader| {
                let scores = segment.fast_fields().f64("score").ok();
                move |doc: tantivy::DocId, relevance: tantivy::Score| {
                    let confidence =
                        scores.as_ref().and_then(|c| c.first(doc)).unwrap_or(0.5) as f32;
                    relevance * (0.5 + confidence / 2.0)
                }
            });
        let top: Vec<(f32, DocAddress)> = searcher
            .search(&query_all, &collector)
            .map_err(|e| Error::Index(e.to_string()))?;
        let snippets = |field: Field| -> Result<SnippetGenerator> {
            let mut generator = SnippetGenerator::create(&searcher, &query_all, field)
                .map_err(|e| Error::Index(e.to_string()))?;
            generator.set_max_num_chars(1 << 20);
            Ok(generator)
        };
        let (zh_snippets, en_snippets) = (snippets(self.fields.zh)?, snippets(self.fields.en)?);
        let mut hits = Vec::with_capacity(top.len());
        for (relevance, address) in top {
            let document: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| Error::Index(e.to_string()))?;
            let text = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let number = |field: Field| {
                document
                    .get_first(field)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0)
            };
            let zh_text = text(self.fields.zh).unwrap_or_default();
            let en_text = text(self.fields.en).unwrap_or_default();
            let ranges = |generator: &SnippetGenerator, body: &str| -> Vec<Range<usize>> {
                let snippet = generator.snippet(body);
                let start = snippet.fragment_range().start;
                snippet
                    .highlighted()
                    .iter()
                    .map(|r| r.start + start..r.end + start)
                    .collect()
            };
            // A substring inside a longer word has no word of its own to highlight:
            // its occurrences are.
            let mut zh_highlights = ranges(&zh_snippets, &zh_text);
            for (part, _) in &parts {
                if part.chars().count() >= 2 && part.chars().all(is_han) {
                    zh_highlights.extend(
                        zh_text
                            .match_indices(part.as_str())
                            .map(|(at, found)| at..at + found.len()),
                    );
                }
            }
            zh_highlights.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
            zh_highlights.dedup_by(|later, earlier| later.start < earlier.end);
            hits.push(Hit {
                zh_highlights,
                en_highlights: ranges(&en_snippets, &en_text),
                bead: BeadRow {
                    pair: PairId(number(self.fields.pair) as i64),
                    position: number(self.fields.position) as usize,
                    score: document
                        .get_first(self.fields.score)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0) as f32,
                    low_confidence: document
                        .get_first(self.fields.review)
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                    title: text(self.fields.title),
                    source: text(self.fields.source),
                    published: text(self.fields.published),
                    zh_origin: text(self.fields.zh_origin).unwrap_or_default(),
                    en_origin: text(self.fields.en_origin).unwrap_or_default(),
                    zh_text,
                    en_text,
                    // A concordance line shows the text; an export reads the rest
                    // from the store.
                    zh_lang_tag: None,
                    en_lang_tag: None,
                    notes: Vec::new(),
                },
                relevance,
            });
        }
        Ok(hits)
    }

    /// Whole jieba words of a Chinese query part (no sub-words).
    fn whole_words(&self, field: Field, text: &str) -> Vec<Term> {
        let words = self.jieba.index_words(text);
        let mut terms = Vec::new();
        let mut last_position = None;
        for word in words {
            if last_position != Some(word.position) {
                terms.push(Term::from_field_text(
                    field,
                    &normalize(&text[word.range.clone()]).to_lowercase(),
                ));
                last_position = Some(word.position);
            }
        }
        terms
    }
}

/// Splits a query into parts: `"quoted phrases"` whole, other text at whitespace.
fn split_query(text: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    for (k, piece) in normalize(text).split('"').enumerate() {
        if k % 2 == 1 {
            if !piece.trim().is_empty() {
                parts.push((piece.trim().to_string(), true));
            }
        } else {
            parts.extend(piece.split_whitespace().map(|w| (w.to_string(), false)));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_query_parts() {
        assert_eq!(date_number("2024-10-21 09:11:02"), Some(20241021));
        assert_eq!(date_number("2024年1月5日"), Some(20240105));
        assert_eq!(date_number("Oct. 20"), None);
        assert_eq!(
            split_query("开放 \"high-standard opening up\" zones"),
            vec![
                ("开放".into(), false),
                ("high-standard opening up".into(), true),
                ("zones".into(), false)
            ]
        );
    }

    #[test]
    fn an_index_without_bigrams_is_of_the_older_layout() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            !ConcordanceIndex::is_of_older_layout(dir.path()),
            "no index"
        );
        let meta = dir.path().join("meta.json");
        std::fs::write(&meta, r#"{"schema": [{"name": "zh"}, {"name": "en"}]}"#).unwrap();
        assert!(ConcordanceIndex::is_of_older_layout(dir.path()));
        std::fs::write(
            &meta,
            r#"{"schema": [{"name": "zh"}, {"name": "zh_grams"}]}"#,
        )
        .unwrap();
        assert!(!ConcordanceIndex::is_of_older_layout(dir.path()));
        std::fs::write(&meta, "{ not json").unwrap();
        assert!(
            !ConcordanceIndex::is_of_older_layout(dir.path()),
            "damaged, not older"
        );
        let tokens: Vec<String> = han_bigrams("新质 生产力ok")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(tokens, ["新质", "生产", "产力"]);
        let tokens: Vec<String> = han_bigrams("二〇𠮷田")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            tokens,
            ["二〇", "〇𠮷", "𠮷田"],
            "〇 and Extension B are Han"
        );
    }
}
