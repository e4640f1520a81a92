//! Termbase commands: `mine` and `terms list|show|approve|reject|deprecate|edit|merge|
//! split|import|export|log`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use tongwen_app::corpus::Tokenizers;
use tongwen_app::terms::{import_glossary, mine_store, GlossaryImport};
use tongwen_formats::{write_csv, write_tbx, JsonConcept, TbxDialect};
use tongwen_store::{ConceptFilter, ConceptRow, Termbase};
use tongwen_terms::termbase::{ConceptState, TermStatus};
use tongwen_terms::{MiningConfig, PairSignals};

use crate::corpus_cmd::{open_reading, open_store};
use crate::Output;

#[derive(Args)]
pub struct MineArgs {
    /// Least number of aligned beads a pair must be seen in.
    #[arg(long, default_value_t = 1)]
    min_freq: usize,
    /// How many of the best pairs to print.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Keep only pairs whose score (the estimated probability that a terminologist
    /// accepts them, 0–1) is at least this; the others are neither listed nor saved.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    min_score: f32,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
    /// Who is recorded in the audit log.
    #[arg(long, default_value = "miner")]
    by: String,
}

/// A mined pair as printed.
#[derive(Serialize)]
struct MinedView<'a> {
    zh: &'a str,
    en: &'a str,
    score: f32,
    signals: &'a PairSignals,
    frequency: usize,
    termhood: f32,
    name: bool,
    first_seen: Option<i64>,
    last_seen: Option<i64>,
    variants: Vec<&'a str>,
    abbreviations: &'a [String],
    evidence: &'a [u64],
}

pub fn run_mine(data: &Path, args: &MineArgs) -> Result<ExitCode> {
    actor_name(&args.by)?;
    let mut store = open_store(data)?;
    let tokenizers = Tokenizers::with_names(&store)?;
    let config = MiningConfig {
        min_frequency: args.min_freq.max(1),
        min_score: args.min_score,
        ..MiningConfig::standard()
    };
    let (pairs, outcome) = mine_store(&mut store, &tokenizers, &config, &args.by)?;
    let top: Vec<MinedView> = pairs
        .iter()
        .take(args.top)
        .map(|p| MinedView {
            zh: &p.zh,
            en: &p.en,
            score: p.score,
            signals: &p.signals,
            frequency: p.frequency,
            termhood: p.termhood,
            name: p.name,
            first_seen: p.first_seen,
            last_seen: p.last_seen,
            variants: p.variants.iter().map(|v| v.en.as_str()).collect(),
            abbreviations: &p.abbreviations,
            evidence: &p.evidence[..p.evidence.len().min(20)],
        })
        .collect();
    let mut out = crate::PrintableWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &top)?;
        writeln!(out)?;
    } else {
        writeln!(out, "score\tfreq\tzh\ten\tvariants")?;
        for p in &top {
            writeln!(
                out,
                "{:.3}\t{}\t{}\t{}\t{}",
                p.score,
                p.frequency,
                p.zh,
                p.en,
                p.variants.join(" | ")
            )?;
        }
    }
    eprintln!(
        "tongwen: {} pairs mined; {} new candidates, {} known concepts refreshed",
        pairs.len(),
        outcome.added,
        outcome.refreshed
    );
    Ok(ExitCode::SUCCESS)
}

/// A number in [0, 1].
fn probability(text: &str) -> std::result::Result<f32, String> {
    match text.parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a number from 0 to 1, got {text:?}")),
    }
}

#[derive(Args)]
pub struct TermsArgs {
    #[command(subcommand)]
    command: TermsCommand,
    /// Who is recorded in the audit log.
    #[arg(long, global = true, default_value = "cli")]
    by: String,
}

/// The language whose shared terms merge imported entries.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum MergeByArg {
    /// A shared Chinese term (any term, for entries without Chinese).
    Zh,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum StateArg {
    Candidate,
    Approved,
    Rejected,
    Merged,
}

impl StateArg {
    fn state(self) -> ConceptState {
        match self {
            StateArg::Candidate => ConceptState::Candidate,
            StateArg::Approved => ConceptState::Approved,
            StateArg::Rejected => ConceptState::Rejected,
            StateArg::Merged => ConceptState::Merged,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum ExportFormat {
    /// TBX-Basic, ISO 30042:2019 (TBX v3).
    Tbx,
    /// TBX-Basic in the older `martif` form.
    Martif,
    /// CSV, one term per row.
    Csv,
    /// JSON array of concepts.
    Json,
}

#[derive(Subcommand)]
enum TermsCommand {
    /// List concepts (approved first, then candidates by score).
    List {
        #[arg(long, value_enum)]
        state: Option<StateArg>,
        /// Only concepts with a term containing this text.
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show a concept with its evidence and history.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Approve a concept, optionally choosing its preferred English rendering.
    Approve {
        id: i64,
        #[arg(long)]
        prefer: Option<String>,
        /// The version the decision was made on (refused if the concept changed since).
        #[arg(long)]
        version: Option<i64>,
    },
    /// Reject a candidate.
    Reject {
        id: i64,
        #[arg(long)]
        version: Option<i64>,
    },
    /// Mark a rendering (or a Chinese term) deprecated.
    Deprecate {
        id: i64,
        /// The English term.
        #[arg(long, required_unless_present = "zh")]
        en: Option<String>,
        /// The Chinese term.
        #[arg(long)]
        zh: Option<String>,
        #[arg(long)]
        version: Option<i64>,
    },
    /// Edit a concept: terms, statuses, definitions, notes, subject.
    Edit {
        id: i64,
        /// Add a term or set its status: LANG=TEXT[=STATUS] (status preferred,
        /// admitted or deprecated; admitted when left out).
        #[arg(long = "term", value_name = "LANG=TEXT[=STATUS]")]
        terms: Vec<String>,
        /// Remove a term: LANG=TEXT.
        #[arg(long = "remove", value_name = "LANG=TEXT")]
        remove: Vec<String>,
        /// Set a definition: LANG=TEXT (empty text clears it).
        #[arg(long = "definition", value_name = "LANG=TEXT")]
        definitions: Vec<String>,
        /// Set a term's part of speech: LANG=TEXT=POS.
        #[arg(long = "pos", value_name = "LANG=TEXT=POS")]
        parts_of_speech: Vec<String>,
        /// Add a note (LANG=TEXT for a language, or TEXT for the concept).
        #[arg(long = "note")]
        notes: Vec<String>,
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        version: Option<i64>,
    },
    /// Merge SOURCE into TARGET.
    Merge {
        target: i64,
        source: i64,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long)]
        source_version: Option<i64>,
    },
    /// Move terms of a concept into a new one.
    Split {
        id: i64,
        /// A term to move: LANG=TEXT.
        #[arg(long = "move", value_name = "LANG=TEXT", required = true)]
        moving: Vec<String>,
        #[arg(long)]
        version: Option<i64>,
    },
    /// Import a glossary (.tbx, .csv, .json). Each entry is a concept of its own; an
    /// entry updates a stored concept only when it is that concept (a file this
    /// termbase exported, or the same file imported again). Stored concepts sharing a
    /// term and the subject with an added one are listed as likely duplicates.
    Import {
        file: PathBuf,
        /// Merge entries into stored concepts (and into each other) when they share
        /// a Chinese term: the behaviour before entries were kept apart.
        #[arg(long, value_enum, value_name = "LANG")]
        merge_by: Option<MergeByArg>,
    },
    /// Export the termbase.
    Export {
        #[arg(long, value_enum, default_value = "tbx")]
        format: ExportFormat,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum)]
        state: Option<StateArg>,
    },
    /// The audit log, newest first.
    Log {
        id: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

fn split_spec(spec: &str, parts: usize) -> Result<Vec<String>> {
    let pieces: Vec<String> = spec
        .splitn(parts, '=')
        .map(|s| s.trim().to_string())
        .collect();
    if pieces.len() < 2 || pieces[0].is_empty() {
        bail!("\"{spec}\" is not LANG=TEXT");
    }
    Ok(pieces)
}

/// `LANG=TEXT[=STATUS]`: the text is everything after the first `=`, unless what
/// follows its last `=` is a status name, so a term may itself hold `=`.
fn term_spec(spec: &str) -> Result<(String, String, TermStatus)> {
    let pieces = split_spec(spec, 2)?;
    let (lang, rest) = (pieces[0].clone(), pieces[1].clone());
    let (text, status) = match rest.rsplit_once('=') {
        Some((text, status)) if TermStatus::parse(status.trim()).is_some() => (
            text.trim().to_string(),
            TermStatus::parse(status.trim()).unwrap_or(TermStatus::Admitted),
        ),
        _ => (rest, TermStatus::Admitted),
    };
    if text.is_empty() {
        bail!("\"{spec}\" names no term: LANG=TEXT[=STATUS]");
    }
    Ok((lang, text, status))
}

fn print_row(out: &mut dyn Write, row: &ConceptRow) -> Result<()> {
    let head = |lang: &str| {
        row.concept
            .headword(lang)
            .map(|t| t.text.clone())
            .unwrap_or_default()
    };
    let (score, frequency) = row
        .concept
        .mined
        .as_ref()
        .map_or((0.0, 0), |m| (m.score, m.frequency));
    writeln!(
        out,
        "{}\t{}\tv{}\t{:.3}\t{}\t{}\t{}",
        row.id,
        row.concept.state.name(),
        row.version,
        score,
        frequency,
        head("zh"),
        head("en")
    )?;
    Ok(())
}

fn print_concept(out: &mut dyn Write, row: &ConceptRow) -> Result<()> {
    let c = &row.concept;
    writeln!(
        out,
        "concept {} ({}, version {}, last changed {} by {})",
        row.id,
        c.state.name(),
        row.version,
        row.updated_at,
        row.updated_by
    )?;
    if let Some(into) = row.merged_into {
        writeln!(out, "  merged into concept {into}")?;
    }
    if let Some(subject) = &c.subject {
        writeln!(out, "  subject: {subject}")?;
    }
    let source = |source: &Option<String>| {
        source
            .as_ref()
            .map_or_else(String::new, |s| format!(" (source: {s})"))
    };
    if let Some(d) = &c.definition {
        writeln!(out, "  definition: {}{}", d.text, source(&d.source))?;
    }
    for note in &c.notes {
        writeln!(out, "  note: {note}")?;
    }
    for section in &c.languages {
        writeln!(out, "  [{}]", section.lang)?;
        if let Some(d) = &section.definition {
            writeln!(
                out,
                "    definition: {d}{}",
                source(&section.definition_source)
            )?;
        }
        for note in &section.notes {
            writeln!(out, "    note: {note}")?;
        }
        for term in &section.terms {
            let mut extra = Vec::new();
            if let Some(pos) = &term.part_of_speech {
                extra.push(pos.clone());
            }
            if let Some(kind) = &term.term_type {
                extra.push(kind.clone());
            }
            if let Some(f) = term.frequency {
                extra.push(format!("seen {f}×"));
            }
            writeln!(
                out,
                "    {} ({}{}{})",
                term.text,
                term.effective_status().name(),
                if extra.is_empty() { "" } else { "; " },
                extra.join(", ")
            )?;
        }
    }
    if let Some(m) = &c.mined {
        writeln!(
            out,
            "  mined: score {:.3}, {} beads, termhood {:.2}{}{}",
            m.score,
            m.frequency,
            m.termhood,
            m.first_seen
                .map(|d| format!(", first seen {d}"))
                .unwrap_or_default(),
            if m.has_variants {
                ", rendered in several ways"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

/// An actor name for the audit log, as given with `--by`.
pub fn actor_name(by: &str) -> Result<&str> {
    if by.trim().is_empty() || by.chars().count() > 64 || by.chars().any(char::is_control) {
        anyhow::bail!("--by names who acts: 1 to 64 characters and no control characters");
    }
    Ok(by)
}

pub fn run_terms(data: &Path, args: &TermsArgs) -> Result<ExitCode> {
    let reads_only = matches!(
        args.command,
        TermsCommand::List { .. }
            | TermsCommand::Show { .. }
            | TermsCommand::Export { .. }
            | TermsCommand::Log { .. }
    );
    let mut store = if reads_only {
        open_reading(data)?
    } else {
        open_store(data)?
    };
    let actor = actor_name(&args.by)?;
    let mut out = crate::PrintableWriter::new(std::io::stdout().lock());
    match &args.command {
        TermsCommand::List {
            state,
            search,
            limit,
            offset,
            json,
        } => {
            let rows = store.concepts(&ConceptFilter {
                state: state.map(StateArg::state),
                text: search.clone(),
                limit: Some(*limit),
                offset: *offset,
            })?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                writeln!(out, "id\tstate\tversion\tscore\tfreq\tzh\ten")?;
                for row in &rows {
                    print_row(&mut out, row)?;
                }
            }
        }
        TermsCommand::Show { id, json } => {
            let row = store.concept(*id)?;
            let (evidence, evidence_total) = store.concept_evidence(*id, 10)?;
            let log = store.audit(Some(*id), 20)?;
            if *json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &serde_json::json!({ "concept": row, "evidence": evidence, "evidence_total": evidence_total, "log": log }),
                )?;
                writeln!(out)?;
            } else {
                print_concept(&mut out, &row)?;
                if !evidence.is_empty() {
                    writeln!(
                        out,
                        "  evidence ({} beads, first {}):",
                        evidence_total,
                        evidence.len()
                    )?;
                    for e in &evidence {
                        writeln!(
                            out,
                            "    {}  {}\n    {}  {}",
                            e.title.as_deref().unwrap_or("-"),
                            e.zh,
                            " ".repeat(e.title.as_deref().unwrap_or("-").chars().count()),
                            e.en
                        )?;
                    }
                }
                writeln!(out, "  history:")?;
                for entry in &log {
                    writeln!(
                        out,
                        "    {} {} {} (version {})",
                        entry.at,
                        entry.actor,
                        entry.action,
                        entry.version.unwrap_or(0)
                    )?;
                }
            }
        }
        TermsCommand::Approve {
            id,
            prefer,
            version,
        } => {
            let row = store.update_concept(*id, *version, actor, "approve", &mut |c| {
                c.approve(prefer.as_deref())
            })?;
            print_row(&mut out, &row)?;
        }
        TermsCommand::Reject { id, version } => {
            let row = store.update_concept(*id, *version, actor, "reject", &mut |c| c.reject())?;
            print_row(&mut out, &row)?;
        }
        TermsCommand::Deprecate {
            id,
            en,
            zh,
            version,
        } => {
            let (lang, text) = match (en, zh) {
                (Some(en), _) => ("en", en.clone()),
                (None, Some(zh)) => ("zh", zh.clone()),
                (None, None) => bail!("name the term to deprecate with --en or --zh"),
            };
            let row = store.update_concept(*id, *version, actor, "deprecate", &mut |c| {
                c.deprecate(lang, &text)
            })?;
            print_row(&mut out, &row)?;
        }
        TermsCommand::Edit {
            id,
            terms,
            remove,
            definitions,
            parts_of_speech,
            notes,
            subject,
            version,
        } => {
            let mut term_edits = Vec::new();
            for spec in terms {
                term_edits.push(term_spec(spec)?);
            }
            let removals: Vec<Vec<String>> = remove
                .iter()
                .map(|s| split_spec(s, 2))
                .collect::<Result<_>>()?;
            let defs: Vec<Vec<String>> = definitions
                .iter()
                .map(|s| split_spec(s, 2))
                .collect::<Result<_>>()?;
            let pos: Vec<Vec<String>> = parts_of_speech
                .iter()
                .map(|s| {
                    split_spec(s, 3).and_then(|p| {
                        if p.len() == 3 {
                            Ok(p)
                        } else {
                            bail!("\"{s}\" is not LANG=TEXT=POS")
                        }
                    })
                })
                .collect::<Result<_>>()?;
            if term_edits.is_empty()
                && removals.is_empty()
                && defs.is_empty()
                && pos.is_empty()
                && notes.is_empty()
                && subject.is_none()
            {
                bail!("nothing to edit: give --term, --remove, --definition, --pos, --note or --subject");
            }
            let row = store.update_concept(*id, *version, actor, "edit", &mut |c| {
                for (lang, text, status) in &term_edits {
                    c.set_status(lang, text, *status)?;
                }
                for r in &removals {
                    c.remove_term(&r[0], &r[1])?;
                }
                for d in &defs {
                    c.set_definition(&d[0], Some(d[1].clone()));
                }
                for p in &pos {
                    c.set_part_of_speech(&p[0], &p[1], &p[2])?;
                }
                for note in notes {
                    match note.split_once('=').filter(|(lang, _)| {
                        lang.len() <= 8
                            && lang.chars().all(|ch| ch.is_ascii_alphabetic() || ch == '-')
                    }) {
                        Some((lang, text)) => c.add_note(Some(lang), text.to_string()),
                        None => c.add_note(None, note.clone()),
                    }
                }
                if let Some(subject) = subject {
                    c.subject = Some(subject.clone()).filter(|s| !s.is_empty());
                }
                Ok(())
            })?;
            print_concept(&mut out, &row)?;
        }
        TermsCommand::Merge {
            target,
            source,
            version,
            source_version,
        } => {
            let row =
                store.merge_concepts((*target, *version), (*source, *source_version), actor)?;
            print_concept(&mut out, &row)?;
        }
        TermsCommand::Split {
            id,
            moving,
            version,
        } => {
            let moving: Vec<(String, String)> = moving
                .iter()
                .map(|s| split_spec(s, 2).map(|p| (p[0].clone(), p[1].clone())))
                .collect::<Result<_>>()?;
            let (kept, split) = store.split_concept(*id, *version, &moving, actor)?;
            print_row(&mut out, &kept)?;
            print_row(&mut out, &split)?;
        }
        TermsCommand::Import { file, merge_by } => {
            let shown = crate::shown(file);
            let GlossaryImport { glossary, outcome } =
                import_glossary(&mut store, file, merge_by.is_some(), actor)?;
            for problem in &glossary.problems {
                writeln!(out, "skipped: {shown}: {problem}")?;
            }
            writeln!(
                out,
                "{shown}: {} concepts read, {} added, {} merged into stored concepts, {} conflicts, {} likely duplicates, {} skipped",
                glossary.concepts.len(),
                outcome.added,
                outcome.merged,
                outcome.conflicts.len(),
                outcome.likely_duplicates.len(),
                glossary.problems.len()
            )?;
            for conflict in &outcome.conflicts {
                writeln!(
                    out,
                    "conflict: {} ↔ concept {}: {} — kept \"{}\", file says \"{}\"",
                    glossary.place(conflict.entry),
                    conflict.concept_id,
                    conflict.conflict.field,
                    conflict.conflict.stored,
                    conflict.conflict.imported
                )?;
            }
            for duplicate in &outcome.likely_duplicates {
                writeln!(
                    out,
                    "likely duplicate: {} (added as concept {}) shares {} \"{}\" with concept {}; merge them with `tongwen terms merge` if they are one concept",
                    glossary.place(duplicate.entry),
                    duplicate.added_as,
                    duplicate.lang,
                    duplicate.term,
                    duplicate.concept_id
                )?;
            }
            if !outcome.conflicts.is_empty() || !glossary.problems.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        TermsCommand::Export {
            format,
            out: path,
            state,
        } => {
            let rows = store.concepts(&ConceptFilter {
                state: state.map(StateArg::state),
                ..ConceptFilter::default()
            })?;
            let text = match format {
                ExportFormat::Tbx | ExportFormat::Martif => {
                    let ids: Vec<(String, &tongwen_terms::termbase::Concept)> = rows
                        .iter()
                        .map(|r| (format!("c{}", r.id), &r.concept))
                        .collect();
                    write_tbx(
                        &ids,
                        &store.glossary_matter()?,
                        if *format == ExportFormat::Tbx {
                            TbxDialect::V3
                        } else {
                            TbxDialect::Martif
                        },
                    )
                }
                ExportFormat::Csv => {
                    let ids: Vec<(String, &tongwen_terms::termbase::Concept)> = rows
                        .iter()
                        .map(|r| (format!("c{}", r.id), &r.concept))
                        .collect();
                    write_csv(&ids)?
                }
                ExportFormat::Json => {
                    let concepts: Vec<JsonConcept> = rows
                        .into_iter()
                        .map(|r| JsonConcept {
                            id: Some(r.id),
                            version: Some(r.version),
                            concept: r.concept,
                        })
                        .collect();
                    serde_json::to_string_pretty(&concepts)? + "\n"
                }
            };
            let mut sink: Output = match path {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot write {}", crate::shown(path)))?,
                ),
                None => Box::new(std::io::stdout()),
            };
            sink.write_all(text.as_bytes())?;
            sink.flush()?;
        }
        TermsCommand::Log { id, limit, json } => {
            let log = store.audit(*id, *limit)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &log)?;
                writeln!(out)?;
            } else {
                for entry in &log {
                    writeln!(
                        out,
                        "{}\t{}\t{}\tconcept {}\tversion {}",
                        entry.at,
                        entry.actor,
                        entry.action,
                        entry.concept_id.map_or("-".into(), |c| c.to_string()),
                        entry.version.unwrap_or(0)
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
