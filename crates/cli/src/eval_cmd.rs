//! `tongwen eval`: strict and lax precision, recall and F1 of alignment files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use tongwen_align::eval::{merge_within_verses, parse_align, Counts, IndexBead};

#[derive(Args)]
pub struct EvalArgs {
    /// Directory of system alignments (`NAME.align`).
    test_dir: PathBuf,
    /// Directory of gold alignments (`NAME.align`).
    gold_dir: PathBuf,
    /// Verse id of each Chinese sentence line: merge beads within verses first. A
    /// directory holds one such file per alignment, named like it without `.align`.
    #[arg(long, requires = "en_verse")]
    zh_verse: Option<PathBuf>,
    /// Verse id of each English sentence line (a file, or a directory as above).
    #[arg(long, requires = "zh_verse")]
    en_verse: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn read_beads(path: &Path) -> Result<Vec<IndexBead>> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_align(&text).with_context(|| format!("{}", path.display()))
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    Ok(fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .lines()
        .map(|l| l.trim().to_string())
        .collect())
}

pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    let verses_for = |name: &str| -> Result<Option<(Vec<String>, Vec<String>)>> {
        let (Some(zh), Some(en)) = (&args.zh_verse, &args.en_verse) else {
            return Ok(None);
        };
        let pick = |path: &PathBuf| {
            if path.is_dir() {
                path.join(name)
            } else {
                path.clone()
            }
        };
        Ok(Some((read_lines(&pick(zh))?, read_lines(&pick(en))?)))
    };
    let mut gold_files: Vec<PathBuf> = fs::read_dir(&args.gold_dir)
        .with_context(|| format!("cannot list {}", args.gold_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "align"))
        .collect();
    gold_files.sort();
    if gold_files.is_empty() {
        bail!("{} has no .align files", args.gold_dir.display());
    }
    let mut counts = Counts::default();
    let mut files = 0usize;
    for gold_path in &gold_files {
        let name = gold_path.file_name().unwrap_or_default();
        let test_path = args.test_dir.join(name);
        if !test_path.exists() {
            bail!(
                "{} has no counterpart {} in {}",
                gold_path.display(),
                name.to_string_lossy(),
                args.test_dir.display()
            );
        }
        let gold = read_beads(gold_path)?;
        let mut test = read_beads(&test_path)?;
        let stem = name.to_string_lossy();
        if let Some((zh, en)) = verses_for(stem.trim_end_matches(".align"))? {
            test = merge_within_verses(&test, &zh, &en);
        }
        counts.add(&test, &gold);
        files += 1;
    }
    let scores = counts.scores();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "files": files, "scores": scores }))?
        );
    } else {
        println!("files: {files}");
        println!("         precision  recall  F1");
        println!(
            "strict   {:9.4}  {:6.4}  {:.4}",
            scores.strict_precision, scores.strict_recall, scores.strict_f1
        );
        println!(
            "lax      {:9.4}  {:6.4}  {:.4}",
            scores.lax_precision, scores.lax_recall, scores.lax_f1
        );
    }
    Ok(ExitCode::SUCCESS)
}
