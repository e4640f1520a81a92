//! `check`: a translation held to the approved termbase and to its source.
//! Exit 0 clean, 1 findings, 2 bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use tongwen_align::{align, AlignConfig};
use tongwen_app::corpus::Tokenizers;
use tongwen_app::terms::read_glossary;
use tongwen_formats::{read_tmx, read_xliff, TmxUnit};
use tongwen_qa::{Checker, Direction, Finding, Segment};
use tongwen_store::{ConceptFilter, Termbase};
use tongwen_terms::termbase::{primary_language, Concept, ConceptState};
use tongwen_text::{detect_lang, tag_lang, Lang, LangGuess};

use crate::input::read_side;
use crate::Output;
use crate::SplitArg;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// One finding a line, then its evidence.
    Text,
    /// A JSON array of findings.
    Json,
    /// A standalone HTML page.
    Html,
}

#[derive(Args)]
pub struct CheckArgs {
    /// A pre-segmented file: .tmx, .xlf or .xliff.
    #[arg(conflicts_with_all = ["zh", "en"], required_unless_present_all = ["zh", "en"])]
    file: Option<PathBuf>,
    /// The Chinese source, plain text (aligned with --en first).
    #[arg(long, requires = "en")]
    zh: Option<PathBuf>,
    /// The English translation, plain text.
    #[arg(long, requires = "zh")]
    en: Option<PathBuf>,
    /// Check against this glossary (.tbx, .csv, .json: its approved concepts)
    /// instead of the store's termbase.
    #[arg(long)]
    termbase: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
    /// Write the report here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn segments_of(args: &CheckArgs, tokenizers: &Tokenizers) -> Result<Vec<Segment>> {
    if let (Some(zh_path), Some(en_path)) = (&args.zh, &args.en) {
        let zh = read_side(zh_path, Lang::Zh, SplitArg::Auto, tokenizers)?;
        let en = read_side(en_path, Lang::En, SplitArg::Auto, tokenizers)?;
        let beads = align(&zh.segments, &en.segments, &AlignConfig::standard());
        let (zh, en) = (zh.document, en.document);
        let range = |r: &std::ops::Range<usize>| match r.len() {
            0 => "-".to_string(),
            1 => format!("{}", r.start + 1),
            _ => format!("{}-{}", r.start + 1, r.end),
        };
        return Ok(beads
            .iter()
            .map(|b| Segment {
                id: format!("zh {} / en {}", range(&b.zh), range(&b.en)),
                zh: zh.sentences[b.zh.clone()]
                    .iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(""),
                direction: Direction::ZhToEn,
                en: en.sentences[b.en.clone()]
                    .iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect());
    }
    let Some(path) = &args.file else {
        bail!("give a .tmx/.xlf/.xliff file, or --zh and --en");
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let shown = crate::shown(path);
    let text = tongwen_formats::decode_xml(&crate::input::read_bytes(path)?)
        .with_context(|| format!("{shown}: cannot be decoded"))?;
    match extension.as_str() {
        "tmx" => {
            let units =
                read_tmx(&text).with_context(|| format!("{shown}: not a readable TMX file"))?;
            let first = |unit: &TmxUnit, lang: Lang| {
                unit.segments
                    .iter()
                    .find(|s| tag_lang(&s.lang) == Some(lang))
                    .map(|s| s.text.clone())
                    .unwrap_or_default()
            };
            Ok(units
                .iter()
                .enumerate()
                .map(|(k, unit)| {
                    let id = unit.id.clone().unwrap_or_else(|| format!("TU {}", k + 1));
                    // A memory from English into Chinese says so in its srclang.
                    let direction = match unit.source_lang.as_deref().and_then(tag_lang) {
                        Some(Lang::En) => Direction::EnToZh,
                        _ => Direction::ZhToEn,
                    };
                    match unit.chinese_and_english() {
                        Some(pair) => Segment {
                            id,
                            zh: pair.zh.text.clone(),
                            en: pair.en.text.clone(),
                            direction,
                        },
                        None => Segment {
                            id,
                            zh: first(unit, Lang::Zh),
                            en: first(unit, Lang::En),
                            direction,
                        },
                    }
                })
                .collect())
        }
        "xlf" | "xliff" => {
            let document =
                read_xliff(&text).with_context(|| format!("{shown}: not a readable XLIFF file"))?;
            // Angular and other tools leave the target language out: the texts of
            // that side say which it is.
            let language = |declared: Option<&str>, texts: Vec<&str>, side: &str| {
                if let Some(tag) = declared {
                    return Some(primary_language(tag));
                }
                let guess = match detect_lang(&texts.join("\n")) {
                    LangGuess::Clear(Lang::Zh) => Some("zh".to_string()),
                    LangGuess::Clear(Lang::En) => Some("en".to_string()),
                    LangGuess::Unknown => None,
                };
                if let Some(lang) = &guess {
                    eprintln!("tongwen: {shown}: the file names no {side} language; its {side} texts read as {lang}");
                }
                guess
            };
            let segments = &document.segments;
            let source = language(
                document.source_lang.as_deref(),
                segments.iter().map(|s| s.source.as_str()).collect(),
                "source",
            );
            let target = language(
                document.target_lang.as_deref(),
                segments
                    .iter()
                    .filter_map(|s| s.target.as_deref())
                    .collect(),
                "target",
            );
            let reversed = match (source.as_deref(), target.as_deref()) {
                (Some("en"), Some("zh")) => true,
                (Some("zh") | None, Some("en") | None) => false,
                (s, t) => bail!(
                    "{shown}: Tongwen checks Chinese-English translations; this file is {} → {}",
                    s.unwrap_or("?"),
                    t.unwrap_or("?")
                ),
            };
            Ok(document
                .segments
                .into_iter()
                .map(|s| {
                    let target = s.target.unwrap_or_default();
                    let (zh, en) = if reversed {
                        (target, s.source)
                    } else {
                        (s.source, target)
                    };
                    Segment {
                        id: s.id,
                        zh,
                        en,
                        direction: if reversed {
                            Direction::EnToZh
                        } else {
                            Direction::ZhToEn
                        },
                    }
                })
                .collect())
        }
        _ => {
            bail!("{shown}: check reads .tmx, .xlf or .xliff files (or --zh and --en plain texts)")
        }
    }
}

fn termbase(data: &Path, args: &CheckArgs) -> Result<Vec<(Option<i64>, Concept)>> {
    if let Some(path) = &args.termbase {
        let glossary = read_glossary(path)?;
        for problem in &glossary.problems {
            eprintln!(
                "tongwen: {}: {}",
                crate::shown(path),
                crate::printable(problem)
            );
        }
        return Ok(glossary
            .concepts
            .into_iter()
            .filter(|c| c.state == ConceptState::Approved)
            .map(|c| (None, c))
            .collect());
    }
    // Checking never creates a store: without one, only the source is checked.
    if !data.join(tongwen_store::DATABASE_FILE).exists() {
        return Ok(Vec::new());
    }
    let store = crate::corpus_cmd::open_reading(data)?;
    let rows = store.concepts(&ConceptFilter {
        state: Some(ConceptState::Approved),
        ..ConceptFilter::default()
    })?;
    Ok(rows.into_iter().map(|r| (Some(r.id), r.concept)).collect())
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Bidi controls would reorder the report around them.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("&#x{:x};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn write_report(
    out: &mut dyn Write,
    format: ReportFormat,
    findings: &[Finding],
    segments: usize,
) -> Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, findings)?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            for f in findings {
                writeln!(out, "{}\t{}\t{}", f.segment, f.rule.name(), f.message)?;
                if !f.evidence.source.is_empty() {
                    writeln!(out, "\tsource: {}", f.evidence.source)?;
                }
                if !f.evidence.expected.is_empty() {
                    writeln!(out, "\texpected: {}", f.evidence.expected.join(" | "))?;
                }
                if !f.evidence.found.is_empty() {
                    writeln!(out, "\tfound: {}", f.evidence.found.join(" | "))?;
                }
            }
            writeln!(out, "{} findings in {segments} segments", findings.len())?;
        }
        ReportFormat::Html => {
            writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Tongwen check: {} findings</title>", findings.len())?;
            writeln!(out, "<style>body{{font-family:system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}}</style></head>\n<body>\n<h1>{} findings in {segments} segments</h1>", findings.len())?;
            writeln!(out, "<table>\n<thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Rule</th><th scope=\"col\">Message</th><th scope=\"col\">Source</th><th scope=\"col\">Expected</th><th scope=\"col\">Found</th></tr></thead>\n<tbody>")?;
            for f in findings {
                writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td lang=\"zh\">{}</td><td lang=\"en\">{}</td><td>{}</td></tr>",
                    escape_html(&f.segment),
                    f.rule.name(),
                    escape_html(&f.message),
                    escape_html(&f.evidence.source),
                    escape_html(&f.evidence.expected.join(" | ")),
                    escape_html(&f.evidence.found.join(" | "))
                )?;
            }
            writeln!(out, "</tbody>\n</table>\n</body>\n</html>")?;
        }
    }
    Ok(())
}

pub fn run(data: &Path, args: &CheckArgs) -> Result<ExitCode> {
    let tokenizers = Tokenizers::load();
    let segments = segments_of(args, &tokenizers)?;
    let concepts = termbase(data, args)?;
    let checker = Checker::new(&concepts, &tokenizers.zh, &tokenizers.en);
    let findings: Vec<Finding> = segments.iter().flat_map(|s| checker.check(s)).collect();
    let mut sink: Output = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", crate::shown(path)))?,
        ),
        None => Box::new(crate::PrintableWriter::new(std::io::stdout())),
    };
    write_report(&mut sink, args.format, &findings, segments.len())?;
    sink.flush()?;
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
