//! Corpus commands over the data directory: `ingest` and `pairs`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tongwen_app::ingest::{collect_files, ingest, FileOutcome, IngestOptions};
use tongwen_store::{SqliteStore, Store, UnitNote};
use tongwen_text::Lang;

use crate::printable;

#[derive(Args)]
pub struct IngestArgs {
    /// Files and folders (searched recursively) of .txt, .md, .html, .tmx and .jsonl.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Take every document as this language instead of detecting it.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
}

pub fn open_store(data: &Path) -> Result<SqliteStore> {
    SqliteStore::open(data).with_context(|| format!("cannot open the store in {}", data.display()))
}

/// The store for a command that only reads: read-only where the data directory
/// cannot be written.
pub fn open_reading(data: &Path) -> Result<SqliteStore> {
    if !data.join(tongwen_store::DATABASE_FILE).is_file() {
        anyhow::bail!(
            "there is no store in {}: `tongwen ingest` makes one (or name another with --data)",
            data.display()
        );
    }
    SqliteStore::open_for_reading(data)
        .with_context(|| format!("cannot open the store in {}", data.display()))
}

pub fn run_ingest(data: &Path, args: &IngestArgs) -> Result<ExitCode> {
    ingest_with(data, &args.paths, args.lang)
}

/// Ingests files and folders, languages detected.
pub fn ingest_paths(data: &Path, paths: &[PathBuf]) -> Result<ExitCode> {
    ingest_with(data, paths, None)
}

fn ingest_with(data: &Path, paths: &[PathBuf], lang: Option<LangArg>) -> Result<ExitCode> {
    let (files, skipped) = collect_files(paths)?;
    let mut store = open_store(data)?;
    let progress = ProgressBar::new(files.len() as u64);
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} ingest [{bar:30}] {pos}/{len} files, {per_sec}, {elapsed} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    progress.enable_steady_tick(Duration::from_millis(200));
    let options = IngestOptions {
        lang: lang.map(|l| match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }),
    };
    let report = ingest(&mut store, &files, &options, &mut |path, outcome| {
        progress.suspend(|| match outcome {
            FileOutcome::Failed(reason) => {
                eprintln!("tongwen: {}: {}", path.display(), printable(reason))
            }
            FileOutcome::Stored(stored) => {
                for problem in &stored.problems {
                    eprintln!(
                        "tongwen: {}: {}; the rest of the file is stored",
                        path.display(),
                        printable(problem)
                    );
                }
                for note in &stored.notes {
                    eprintln!("tongwen: {}: {}", path.display(), printable(note));
                }
                for replaced in &stored.replaced {
                    eprintln!(
                        "tongwen: replaced the earlier {} version of {}{}",
                        replaced.lang,
                        printable(&replaced.origin.to_string()),
                        if replaced.pair_removed {
                            " with its pair, beads and the concept evidence read from them (`tongwen update` pairs and aligns it again)"
                        } else {
                            ""
                        }
                    );
                }
                if stored.pairs_displaced > 0 {
                    eprintln!(
                        "tongwen: {}: its pair replaces {} earlier pair(s) of the same text from another source",
                        path.display(),
                        stored.pairs_displaced
                    );
                }
            }
        });
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    eprintln!(
        "tongwen: {} files: {} documents added, {} already stored, {} replaced, {} files failed, {} entries refused{}",
        report.files,
        report.inserted,
        report.unchanged,
        report.replaced.len(),
        report.failures.len(),
        report.problems.len(),
        if skipped > 0 {
            format!(", {skipped} files of other formats skipped")
        } else {
            String::new()
        }
    );
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[derive(Args)]
pub struct PairsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "tsv")]
    format: PairsFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PairsFormat {
    /// `zh_origin<TAB>en_origin<TAB>score` a line.
    Tsv,
    /// A JSON array of pairs.
    Json,
}

pub fn run_pairs(data: &Path, args: &PairsArgs) -> Result<ExitCode> {
    let store = open_reading(data)?;
    let pairs = store.pairs()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        PairsFormat::Tsv => {
            for pair in &pairs {
                writeln!(
                    out,
                    "{}\t{}\t{:.3}",
                    tongwen_formats::tsv_cell(&pair.zh_origin),
                    tongwen_formats::tsv_cell(&pair.en_origin),
                    pair.score
                )?;
            }
        }
        PairsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &pairs)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn bar(len: usize, what: &str) -> ProgressBar {
    let progress = ProgressBar::new(len as u64);
    let template =
        format!("{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}}, {{per_sec}}, {{elapsed}}");
    progress.set_style(
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    progress.enable_steady_tick(Duration::from_millis(200));
    progress
}

#[derive(Args)]
pub struct UpdateArgs {
    /// Rebuild the search index from the store.
    #[arg(long)]
    pub reindex: bool,
}

/// Pairs unpaired documents; with `align`, also aligns every pair without beads and
/// indexes every pair not yet searchable (all of them with `reindex`, or when the index
/// has been lost).
pub fn run_update(data: &Path, align: bool, reindex: bool) -> Result<ExitCode> {
    let mut store = open_store(data)?;
    let tokenizers = tongwen_app::corpus::Tokenizers::with_names(&store)?;
    let found = tongwen_app::corpus::pair_unpaired(
        &mut store,
        &tokenizers,
        &tongwen_align::pairing::PairingConfig::standard(),
    )?;
    eprintln!("tongwen: {found} new pairs found");
    if align {
        let pending = store.unaligned_pairs()?.len();
        let progress = bar(pending, "align");
        let aligned = tongwen_app::corpus::align_unaligned(
            &mut store,
            &tokenizers,
            &tongwen_align::AlignConfig::standard(),
            &mut || progress.inc(1),
        )?;
        progress.finish_and_clear();
        eprintln!("tongwen: {aligned} pairs aligned");
        let pending = store.pairs_to_index()?.len();
        let progress = bar(pending, "index");
        let report = tongwen_app::corpus::index_corpus(
            &mut store,
            &data.join("index"),
            std::sync::Arc::new(tokenizers.zh),
            reindex,
            &mut || progress.inc(1),
        )?;
        progress.finish_and_clear();
        match report.rebuilt {
            Some(tongwen_app::corpus::Rebuild::Lost(recorded)) => eprintln!(
                "tongwen: the index was empty while {recorded} pairs were recorded as indexed; rebuilt it"
            ),
            Some(tongwen_app::corpus::Rebuild::OlderLayout) => eprintln!(
                "tongwen: the index was of an older layout (without substring search); rebuilt it"
            ),
            Some(tongwen_app::corpus::Rebuild::OlderBigrams) => eprintln!(
                "tongwen: the index was built when 〇 and rare CJK characters made no substrings; rebuilt it"
            ),
            Some(tongwen_app::corpus::Rebuild::NamesChanged) => eprintln!(
                "tongwen: the termbase's names changed since the index was built; rebuilt it with them as words"
            ),
            _ => {}
        }
        eprintln!(
            "tongwen: {} pairs indexed, {} beads searchable",
            report.indexed, report.searchable
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Prints what the store holds.
pub fn run_stats(data: &Path, args: &StatsArgs) -> Result<ExitCode> {
    let store = open_reading(data)?;
    let counts = store.counts()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&counts)?);
    } else {
        println!("Chinese documents  {}", counts.zh_documents);
        println!("English documents  {}", counts.en_documents);
        println!("sentences          {}", counts.sentences);
        println!("pairs              {}", counts.pairs);
        println!("beads              {}", counts.beads);
    }
    Ok(ExitCode::SUCCESS)
}

/// Which stories a search or an export takes.
#[derive(Args)]
pub struct StoryFilter {
    /// Only stories from this source or agency (exact).
    #[arg(long)]
    source: Option<String>,
    /// Only stories published on or after this date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Only stories published on or before this date (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
}

impl StoryFilter {
    /// The source and the date range as numbers (`YYYYMMDD`).
    fn parsed(&self) -> Result<(Option<String>, Option<i64>, Option<i64>)> {
        Ok((
            self.source.clone(),
            parse_date(&self.from, "from")?,
            parse_date(&self.to, "to")?,
        ))
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words and "quoted phrases", Chinese or English; all must match.
    query: String,
    /// Search only this side (default: each word on the side of its script).
    #[arg(long, value_enum, default_value = "any")]
    lang: SearchLang,
    #[command(flatten)]
    stories: StoryFilter,
    /// Most results.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SearchLang {
    /// Chinese side.
    Zh,
    /// English side.
    En,
    /// By script.
    Any,
}

fn parse_date(text: &Option<String>, flag: &str) -> Result<Option<i64>> {
    match text {
        None => Ok(None),
        Some(text) => tongwen_store::index::date_number(text)
            .map(Some)
            .with_context(|| format!("--{flag} {text:?} is not a date like 2024-10-20")),
    }
}

/// Searches the concordance.
pub fn run_search(data: &Path, args: &SearchArgs) -> Result<ExitCode> {
    let (source, from, to) = args.stories.parsed()?;
    if args.limit > tongwen_store::index::MAX_HITS {
        anyhow::bail!(
            "--limit {} is more than a search returns ({}); `tongwen export` writes the whole corpus",
            args.limit,
            tongwen_store::index::MAX_HITS
        );
    }
    let store = open_reading(data)?;
    let index = tongwen_app::corpus::search_index(
        &store,
        &data.join("index"),
        std::sync::Arc::new(tongwen_app::corpus::Tokenizers::with_names(&store)?.zh),
    )?;
    let query = tongwen_store::SearchQuery {
        text: args.query.clone(),
        lang: match args.lang {
            SearchLang::Zh => Some(Lang::Zh),
            SearchLang::En => Some(Lang::En),
            SearchLang::Any => None,
        },
        source,
        from,
        to,
        limit: args.limit,
        offset: 0,
    };
    let hits = index.search(&query)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
    } else {
        use std::io::IsTerminal;
        let (open, close) = if std::io::stdout().is_terminal() {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("[", "]")
        };
        let mark = |text: &str, ranges: &[std::ops::Range<usize>]| {
            let mut marked = String::with_capacity(text.len() + 16);
            let mut at = 0;
            for range in ranges {
                if range.start < at
                    || range.end > text.len()
                    || !text.is_char_boundary(range.start)
                    || !text.is_char_boundary(range.end)
                {
                    continue;
                }
                marked.push_str(&printable(&text[at..range.start]));
                marked.push_str(open);
                marked.push_str(&printable(&text[range.clone()]));
                marked.push_str(close);
                at = range.end;
            }
            marked.push_str(&printable(&text[at..]));
            marked
        };
        for hit in &hits {
            let bead = &hit.bead;
            let context = [
                bead.title.as_deref(),
                bead.source.as_deref(),
                bead.published.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" | ");
            writeln!(
                out,
                "{}  (bead {} of pair {}, confidence {:.2})",
                printable(&context),
                bead.position,
                bead.pair.0,
                bead.score
            )?;
            writeln!(out, "  zh: {}", mark(&bead.zh_text, &hit.zh_highlights))?;
            writeln!(out, "  en: {}", mark(&bead.en_text, &hit.en_highlights))?;
        }
        if hits.is_empty() {
            writeln!(out, "no match")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(value_enum)]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    stories: StoryFilter,
    /// Only beads at least this confident (0 to 1).
    #[arg(long)]
    min_score: Option<f32>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    /// TMX 1.4b, source metadata as properties.
    Tmx,
    /// `zh<TAB>en` a bead.
    Tsv,
    /// One JSON object a bead.
    Jsonl,
}

/// Exports the aligned beads of the store.
pub fn run_export(data: &Path, args: &ExportArgs) -> Result<ExitCode> {
    let store = open_reading(data)?;
    let (source, from, to) = args.stories.parsed()?;
    let filter = tongwen_app::corpus::ExportFilter {
        source,
        from,
        to,
        min_score: args.min_score,
    };
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let written = match args.format {
        ExportFormat::Tsv => tongwen_app::corpus::export(&store, &filter, &mut |row| {
            use tongwen_formats::tsv_cell;
            writeln!(
                out,
                "{}\t{}",
                tsv_cell(&row.zh_text),
                tsv_cell(&row.en_text)
            )
        })?,
        ExportFormat::Jsonl => tongwen_app::corpus::export(&store, &filter, &mut |row| {
            serde_json::to_writer(&mut out, row).map_err(std::io::Error::other)?;
            writeln!(out)
        })?,
        ExportFormat::Tmx => {
            let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
            let header = tongwen_formats::TmxHeader {
                creation_date: &now,
                source_lang: Lang::Zh.tag(),
                target_lang: Lang::En.tag(),
                properties: Vec::new(),
            };
            let mut writer = tongwen_formats::TmxWriter::new(&mut out, &header)?;
            let written = tongwen_app::corpus::export(&store, &filter, &mut |row| {
                let pair = tongwen_formats::AlignedPair {
                    zh_indices: Vec::new(),
                    en_indices: Vec::new(),
                    zh_text: row.zh_text.clone(),
                    en_text: row.en_text.clone(),
                    score: row.score,
                    low_confidence: row.low_confidence,
                };
                let mut unit = tongwen_formats::UnitMetadata {
                    zh_lang: row.zh_lang_tag.as_deref(),
                    en_lang: row.en_lang_tag.as_deref(),
                    properties: vec![
                        ("x-zh-origin", &row.zh_origin),
                        ("x-en-origin", &row.en_origin),
                    ],
                    ..Default::default()
                };
                for (kind, value) in [
                    ("x-title", &row.title),
                    ("x-source", &row.source),
                    ("x-published", &row.published),
                ] {
                    if let Some(value) = value {
                        unit.properties.push((kind, value));
                    }
                }
                // What the translation memory said of the unit comes back with it.
                for note in &row.notes {
                    match note {
                        UnitNote::Id { value } => unit.id = Some(value),
                        UnitNote::Property { name, value } => unit.properties.push((name, value)),
                        UnitNote::Note { value } => unit.notes.push(value),
                    }
                }
                writer.add(&pair, &unit)
            })?;
            writer.finish()?;
            written
        }
    };
    out.flush()?;
    eprintln!("tongwen: {written} beads exported");
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct PairArgs {
    /// Declare a pair instead of searching: the Chinese and the English document's
    /// files (any spelling of their paths), `FILE#ID` for JSON Lines records, or the
    /// `url` of a record.
    #[arg(long, num_args = 2, value_names = ["ZH", "EN"])]
    given: Option<Vec<String>>,
}

/// Finds pairs, or records one given pair.
pub fn run_pair(data: &Path, args: &PairArgs) -> Result<ExitCode> {
    match args.given.as_deref() {
        Some([zh, en]) => {
            let mut store = open_store(data)?;
            let pair = store.give_pair(
                &tongwen_app::ingest::named_origin(zh),
                &tongwen_app::ingest::named_origin(en),
            )?;
            eprintln!(
                "tongwen: pair {} given; `tongwen update` aligns and indexes it",
                pair.0
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => run_update(data, false, false),
    }
}
