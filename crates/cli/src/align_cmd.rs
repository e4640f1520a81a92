//! `tongwen align`: one pair to standard output, or two directories to a third.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use tongwen_align::{align, AlignConfig, Bead};
use tongwen_formats::{
    write_align, write_json, write_tmx, write_tsv, AlignedPair, JsonAlignment, TmxHeader,
};
use tongwen_text::{Lang, Metadata};

use tongwen_app::corpus::Tokenizers;

use crate::input::{read_side, Side};
use crate::{FormatArg, SplitArg};

#[derive(Args)]
pub struct AlignArgs {
    /// The Chinese text.
    #[arg(required_unless_present = "zh_dir", conflicts_with = "zh_dir")]
    zh_file: Option<PathBuf>,
    /// Its English version.
    #[arg(required_unless_present = "zh_dir")]
    en_file: Option<PathBuf>,
    /// Directory of Chinese texts (pairs are matched by file name).
    #[arg(long, requires_all = ["en_dir", "out_dir"])]
    zh_dir: Option<PathBuf>,
    /// Directory of English texts.
    #[arg(long, requires = "zh_dir")]
    en_dir: Option<PathBuf>,
    /// Where `NAME.<format>` files are written.
    #[arg(long, requires = "zh_dir")]
    out_dir: Option<PathBuf>,
    /// How input is cut into sentences.
    #[arg(long, value_enum, default_value = "auto")]
    split: SplitArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "align")]
    format: FormatArg,
}

pub fn run(args: &AlignArgs) -> Result<ExitCode> {
    let config = AlignConfig::standard();
    if let (Some(zh_dir), Some(en_dir), Some(out_dir)) = (&args.zh_dir, &args.en_dir, &args.out_dir)
    {
        return run_directories(zh_dir, en_dir, out_dir, args, &config);
    }
    let (Some(zh_file), Some(en_file)) = (&args.zh_file, &args.en_file) else {
        bail!("give ZH_FILE and EN_FILE, or --zh-dir, --en-dir and --out-dir");
    };
    let tokenizers = Tokenizers::load();
    let (zh, en) = rayon::join(
        || read_side(zh_file, Lang::Zh, args.split, &tokenizers),
        || read_side(en_file, Lang::En, args.split, &tokenizers),
    );
    let (zh, en) = (zh?, en?);
    let beads = align(&zh.segments, &en.segments, &config);
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    write_output(
        &mut out,
        args.format,
        &zh,
        &en,
        &beads,
        (&crate::shown(zh_file), &crate::shown(en_file)),
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_directories(
    zh_dir: &Path,
    en_dir: &Path,
    out_dir: &Path,
    args: &AlignArgs,
    config: &AlignConfig,
) -> Result<ExitCode> {
    let names = |dir: &Path| -> Result<BTreeSet<String>> {
        let mut names = BTreeSet::new();
        for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                names.insert(entry.file_name().to_string_lossy().into_owned());
            }
        }
        Ok(names)
    };
    let (zh_names, en_names) = (names(zh_dir)?, names(en_dir)?);
    let common: Vec<&String> = zh_names.intersection(&en_names).collect();
    for name in zh_names.symmetric_difference(&en_names) {
        let (present, missing) = if zh_names.contains(name) {
            (zh_dir, en_dir)
        } else {
            (en_dir, zh_dir)
        };
        eprintln!(
            "tongwen: warning: {name} is in {} but not in {}; skipped",
            present.display(),
            missing.display()
        );
    }
    if common.is_empty() {
        bail!(
            "{} and {} have no file name in common, so there is nothing to align",
            zh_dir.display(),
            en_dir.display()
        );
    }
    fs::create_dir_all(out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let tokenizers = Tokenizers::load();
    let failures: Vec<String> = common
        .par_iter()
        .filter_map(|name| {
            let result = (|| -> Result<()> {
                let zh = read_side(&zh_dir.join(name), Lang::Zh, args.split, &tokenizers)?;
                let en = read_side(&en_dir.join(name), Lang::En, args.split, &tokenizers)?;
                let beads = align(&zh.segments, &en.segments, config);
                let target = out_dir.join(format!("{name}.{}", args.format.extension()));
                let file = fs::File::create(&target)
                    .with_context(|| format!("cannot create {}", target.display()))?;
                let mut out = BufWriter::new(file);
                write_output(
                    &mut out,
                    args.format,
                    &zh,
                    &en,
                    &beads,
                    (
                        &zh_dir.join(name).display().to_string(),
                        &en_dir.join(name).display().to_string(),
                    ),
                )?;
                out.flush()
                    .with_context(|| format!("cannot write {}", target.display()))?;
                Ok(())
            })();
            result.err().map(|e| format!("{e:#}"))
        })
        .collect();
    for failure in &failures {
        eprintln!("tongwen: error: {failure}");
    }
    eprintln!(
        "tongwen: aligned {} of {} pairs into {}",
        common.len() - failures.len(),
        common.len(),
        out_dir.display()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn pairs(zh: &Side, en: &Side, beads: &[Bead]) -> Vec<AlignedPair> {
    beads
        .iter()
        .map(|bead| AlignedPair {
            zh_indices: bead.zh.clone().collect(),
            en_indices: bead.en.clone().collect(),
            zh_text: zh.document.sentences_text(bead.zh.clone(), ""),
            en_text: en.document.sentences_text(bead.en.clone(), " "),
            score: bead.score,
            low_confidence: bead.low_confidence,
        })
        .collect()
}

#[derive(serde::Serialize)]
struct SidesMetadata<'a> {
    zh: &'a Metadata,
    en: &'a Metadata,
}

fn write_output(
    out: &mut impl Write,
    format: FormatArg,
    zh: &Side,
    en: &Side,
    beads: &[Bead],
    (zh_name, en_name): (&str, &str),
) -> Result<()> {
    let pairs = pairs(zh, en, beads);
    match format {
        FormatArg::Align => write_align(out, &pairs)?,
        FormatArg::Tsv => write_tsv(out, &pairs)?,
        FormatArg::Json => write_json(
            out,
            &JsonAlignment {
                zh_file: zh_name,
                en_file: en_name,
                metadata: SidesMetadata {
                    zh: &zh.document.metadata,
                    en: &en.document.metadata,
                },
                beads: &pairs,
            },
        )?,
        FormatArg::Tmx => {
            let now = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
            let mut properties = vec![
                ("x-zh-file".to_string(), zh_name.to_string()),
                ("x-en-file".to_string(), en_name.to_string()),
            ];
            for (lang, meta) in [("zh", &zh.document.metadata), ("en", &en.document.metadata)] {
                let fields = [
                    ("title", &meta.title),
                    ("published", &meta.published),
                    ("source", &meta.source),
                    ("author", &meta.author),
                    ("editor", &meta.editor),
                    ("place", &meta.place),
                    ("agency", &meta.agency),
                ];
                for (field, value) in fields {
                    if let Some(value) = value {
                        properties.push((format!("x-{lang}-{field}"), value.clone()));
                    }
                }
            }
            write_tmx(
                out,
                &TmxHeader {
                    creation_date: &now,
                    source_lang: Lang::Zh.tag(),
                    target_lang: Lang::En.tag(),
                    properties,
                },
                &pairs,
            )?
        }
    }
    Ok(())
}
