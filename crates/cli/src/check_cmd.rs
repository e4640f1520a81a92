//! `check`: a translation held to the approved termbase and to its source, or a
//! finding of it dismissed. Exit 0 clean, 1 findings, 2 bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::collections::HashSet;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use tongwen_align::{align, AlignConfig};
use tongwen_app::check::{self, Report, Selection};
use tongwen_app::corpus::Tokenizers;
use tongwen_app::terms::read_glossary;
use tongwen_qa::{Checker, Finding, Rule, Segment, Severity};
use tongwen_store::{ConceptFilter, Termbase};
use tongwen_terms::termbase::{Concept, ConceptState};
use tongwen_text::Lang;

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

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(arg: SeverityArg) -> Severity {
        match arg {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
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
    /// Leave out findings less serious than this.
    #[arg(long, value_enum, default_value = "info")]
    min_severity: SeverityArg,
    /// Leave out the findings whose ids this file lists (one a line, `#` comments),
    /// besides those dismissed in the store.
    #[arg(long)]
    dismissals: Option<PathBuf>,
    /// Record in the store that the finding with this id (from a report) is not an
    /// error, then stop; it is not reported again for the same text.
    #[arg(long, value_name = "ID")]
    dismiss: Option<String>,
    /// Why the finding given with --dismiss is not an error.
    #[arg(long, requires = "dismiss", default_value = "")]
    reason: String,
    /// Who dismisses, for the store.
    #[arg(long, default_value = "cli")]
    by: String,
}

fn segments_of(args: &CheckArgs, tokenizers: &Tokenizers) -> Result<Vec<Segment>> {
    if let (Some(zh_path), Some(en_path)) = (&args.zh, &args.en) {
        let zh = read_side(zh_path, Lang::Zh, SplitArg::Auto, tokenizers)?;
        let en = read_side(en_path, Lang::En, SplitArg::Auto, tokenizers)?;
        let beads = align(&zh.segments, &en.segments, &AlignConfig::standard());
        return Ok(check::segments_of_texts(
            (&zh.document, &zh.text),
            (&en.document, &en.text),
            &beads,
        ));
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
    let file = check::segments_of_file(&shown, &extension, &text)?;
    for note in &file.notes {
        eprintln!("tongwen: {}", crate::printable(note));
    }
    Ok(file.segments)
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

fn summary(report: &Report) -> String {
    let mut line = format!(
        "{} findings in {} segments",
        report.findings.len(),
        report.segments
    );
    let mut left_out = Vec::new();
    if report.dismissed > 0 {
        left_out.push(format!("{} dismissed", report.dismissed));
    }
    if report.below_severity > 0 {
        left_out.push(format!(
            "{} below the minimum severity",
            report.below_severity
        ));
    }
    if !left_out.is_empty() {
        line.push_str(&format!(" ({} left out)", left_out.join(", ")));
    }
    line
}

fn write_report(out: &mut dyn Write, format: ReportFormat, report: &Report) -> Result<()> {
    let findings = &report.findings;
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, findings)?;
            writeln!(out)?;
        }
        ReportFormat::Text => {
            for f in findings {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    f.segment,
                    f.rule.name(),
                    f.severity.name(),
                    f.message
                )?;
                if !f.evidence.source.is_empty() {
                    writeln!(out, "\tsource: {}", f.evidence.source)?;
                }
                if !f.evidence.expected.is_empty() {
                    writeln!(out, "\texpected: {}", f.evidence.expected.join(" | "))?;
                }
                if !f.evidence.found.is_empty() {
                    writeln!(out, "\tfound: {}", f.evidence.found.join(" | "))?;
                }
                writeln!(out, "\tid: {}", f.id)?;
            }
            writeln!(out, "{}", summary(report))?;
        }
        ReportFormat::Html => write_html(out, report)?,
    }
    Ok(())
}

/// A standalone page: a count per rule, then the findings grouped by rule.
fn write_html(out: &mut dyn Write, report: &Report) -> Result<()> {
    let findings = &report.findings;
    let by_rule: Vec<(Rule, Vec<&Finding>)> = Rule::ALL
        .into_iter()
        .map(|rule| {
            (
                rule,
                findings
                    .iter()
                    .filter(|f| f.rule == rule)
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Tongwen check: {} findings</title>", findings.len())?;
    writeln!(out, "<style>body{{font-family:system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}}.error{{color:#a00}}.warning{{color:#850}}.info{{color:#555}}</style></head>\n<body>\n<h1>{}</h1>", escape_html(&summary(report)))?;
    if !by_rule.is_empty() {
        writeln!(out, "<nav><ul>")?;
        for (rule, list) in &by_rule {
            writeln!(
                out,
                "<li><a href=\"#{0}\">{0}</a>: {1}</li>",
                rule.name(),
                list.len()
            )?;
        }
        writeln!(out, "</ul></nav>")?;
    }
    for (rule, list) in &by_rule {
        writeln!(
            out,
            "<section id=\"{0}\"><h2>{0} ({1})</h2>\n<table>\n<thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Severity</th><th scope=\"col\">Message</th><th scope=\"col\">Source</th><th scope=\"col\">Expected</th><th scope=\"col\">Found</th><th scope=\"col\">Id</th></tr></thead>\n<tbody>",
            rule.name(),
            list.len()
        )?;
        for f in list {
            writeln!(
                out,
                "<tr><td>{}</td><td class=\"{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                escape_html(&f.segment),
                escape_html(&f.message),
                escape_html(&f.evidence.source),
                escape_html(&f.evidence.expected.join(" | ")),
                escape_html(&f.evidence.found.join(" | ")),
                f.id,
                sev = f.severity.name(),
            )?;
        }
        writeln!(out, "</tbody>\n</table></section>")?;
    }
    writeln!(out, "</body>\n</html>")?;
    Ok(())
}

/// The ids dismissed in the store (when there is one) and in a dismissals file.
fn dismissed(data: &Path, args: &CheckArgs) -> Result<HashSet<String>> {
    let mut ids = if data.join(tongwen_store::DATABASE_FILE).exists() {
        check::dismissed_ids(&crate::corpus_cmd::open_reading(data)?)?
    } else {
        HashSet::new()
    };
    if let Some(path) = &args.dismissals {
        let text = String::from_utf8(crate::input::read_bytes(path)?)
            .with_context(|| format!("{}: not UTF-8 text", crate::shown(path)))?;
        let (listed, problems) = check::read_dismissal_ids(&text);
        for (line, problem) in &problems {
            eprintln!(
                "tongwen: {}:{line}: {}",
                crate::shown(path),
                crate::printable(problem)
            );
        }
        ids.extend(listed);
    }
    Ok(ids)
}

pub fn run(data: &Path, args: &CheckArgs) -> Result<ExitCode> {
    let concepts = termbase(data, args)?;
    let tokenizers = Tokenizers::with_names_of(concepts.iter().map(|(_, concept)| concept));
    let segments = segments_of(args, &tokenizers)?;
    let checker = Checker::new(&concepts, &tokenizers.zh, &tokenizers.en);
    if let Some(id) = &args.dismiss {
        crate::terms_cmd::actor_name(&args.by)?;
        let mut store = crate::corpus_cmd::open_store(data)?;
        let dismissal =
            check::dismiss(&mut store, &checker, &segments, id, &args.reason, &args.by)?;
        println!(
            "dismissed {} ({}) by {} at {}",
            dismissal.finding, dismissal.rule, dismissal.dismissed_by, dismissal.dismissed_at
        );
        return Ok(ExitCode::SUCCESS);
    }
    let selection = Selection {
        min_severity: args.min_severity.into(),
        dismissed: dismissed(data, args)?,
    };
    let report = check::check(&checker, &segments, &selection);
    let mut sink: Output = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", crate::shown(path)))?,
        ),
        None => Box::new(crate::PrintableWriter::new(std::io::stdout())),
    };
    write_report(&mut sink, args.format, &report)?;
    sink.flush()?;
    Ok(if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
