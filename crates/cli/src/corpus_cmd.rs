//! Corpus commands over the data directory: `ingest` and `pairs`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tongwen_app::ingest::{collect_files, ingest, FileOutcome, IngestOptions};
use tongwen_store::{SqliteStore, Store};
use tongwen_text::Lang;

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

pub fn run_ingest(data: &Path, args: &IngestArgs) -> Result<ExitCode> {
    let (files, skipped) = collect_files(&args.paths)?;
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
        lang: args.lang.map(|l| match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }),
    };
    let report = ingest(&mut store, &files, &options, &mut |path, outcome| {
        if let FileOutcome::Failed(reason) = outcome {
            progress.suspend(|| eprintln!("tongwen: {}: {reason}", path.display()));
        }
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    eprintln!(
        "tongwen: {} files: {} documents added, {} already stored, {} replaced, {} files failed{}",
        report.files,
        report.inserted,
        report.unchanged,
        report.replaced,
        report.failures.len(),
        if skipped > 0 {
            format!(", {skipped} files of other formats skipped")
        } else {
            String::new()
        }
    );
    Ok(if report.failures.is_empty() {
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
    let store = open_store(data)?;
    let pairs = store.pairs()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        PairsFormat::Tsv => {
            for pair in &pairs {
                writeln!(
                    out,
                    "{}\t{}\t{:.3}",
                    pair.zh_origin, pair.en_origin, pair.score
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

/// Pairs unpaired documents; with `align`, also aligns every pair without beads.
pub fn run_update(data: &Path, align: bool) -> Result<ExitCode> {
    let mut store = open_store(data)?;
    let tokenizers = tongwen_app::corpus::Tokenizers::load();
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
    let store = open_store(data)?;
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
