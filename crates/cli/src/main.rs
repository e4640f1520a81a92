//! The `tongwen` command: a thin shell over the engine crates. It parses flags, reads
//! and writes files, and turns errors into messages and exit codes (0 success, 1 a
//! result that needs attention such as a batch with failed files, 2 bad input or
//! failure).

mod align_cmd;
mod check_cmd;
mod corpus_cmd;
mod eval_cmd;
mod input;
mod serve_cmd;
mod terms_cmd;
mod user_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "tongwen",
    version,
    about = "Align Chinese-English story pairs, search them as a bilingual corpus, mine and curate their key terms, check translations"
)]
struct Cli {
    /// The data directory of the corpus store.
    #[arg(
        long,
        global = true,
        env = "TONGWEN_DATA",
        default_value = "tongwen-data"
    )]
    data: std::path::PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align a Chinese text with its English version, sentence by sentence.
    Align(align_cmd::AlignArgs),
    /// Score alignments against gold (strict and lax precision, recall, F1).
    Eval(eval_cmd::EvalArgs),
    /// Add files and folders to the corpus store (idempotent; rerun to finish).
    Ingest(corpus_cmd::IngestArgs),
    /// List the document pairs in the store.
    Pairs(corpus_cmd::PairsArgs),
    /// Find which stored English document is the version of which Chinese one.
    Pair(corpus_cmd::PairArgs),
    /// Bring the store up to date: pair new documents, align and index new pairs.
    Update(corpus_cmd::UpdateArgs),
    /// Search the bilingual concordance.
    Search(corpus_cmd::SearchArgs),
    /// Export the aligned sentence pairs of the store.
    Export(corpus_cmd::ExportArgs),
    /// Count what the store holds.
    Stats(corpus_cmd::StatsArgs),
    /// Mine key terms and their renderings from the aligned corpus into the termbase.
    Mine(terms_cmd::MineArgs),
    /// Review, edit, import and export the termbase.
    Terms(terms_cmd::TermsArgs),
    /// Check a translation against the termbase and its source (exit 0 clean, 1
    /// findings, 2 bad input).
    Check(check_cmd::CheckArgs),
    /// Serve the bilingual showcase and the JSON API over the store.
    Serve(serve_cmd::ServeArgs),
    /// Build a store from the sample corpus in the repository, mine it, and serve it.
    Demo(serve_cmd::DemoArgs),
    /// Manage the accounts that may review and edit through the showcase and the API.
    User(user_cmd::UserArgs),
}

/// How input text is cut into sentences.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SplitArg {
    /// Recognize headers and datelines, split paragraphs into sentences.
    Auto,
    /// One sentence per line, as given.
    Lines,
}

/// Output format of `align`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// `[zh indices]:[en indices]` per bead, as in the gold files.
    Align,
    /// `zh<TAB>en` per bead.
    Tsv,
    /// TMX 1.4b (zh-CN / en).
    Tmx,
    /// JSON with indices, text, score and flags.
    Json,
}

impl FormatArg {
    fn extension(self) -> &'static str {
        match self {
            FormatArg::Align => "align",
            FormatArg::Tsv => "tsv",
            FormatArg::Tmx => "tmx",
            FormatArg::Json => "json",
        }
    }
}

/// Where a command's output goes when it is not a named file.
pub type Output = Box<dyn Write>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Align(args) => align_cmd::run(&args),
        Command::Eval(args) => eval_cmd::run(&args),
        Command::Ingest(args) => corpus_cmd::run_ingest(&cli.data, &args),
        Command::Pairs(args) => corpus_cmd::run_pairs(&cli.data, &args),
        Command::Pair(args) => corpus_cmd::run_pair(&cli.data, &args),
        Command::Update(args) => corpus_cmd::run_update(&cli.data, true, args.reindex),
        Command::Stats(args) => corpus_cmd::run_stats(&cli.data, &args),
        Command::Search(args) => corpus_cmd::run_search(&cli.data, &args),
        Command::Export(args) => corpus_cmd::run_export(&cli.data, &args),
        Command::Mine(args) => terms_cmd::run_mine(&cli.data, &args),
        Command::Terms(args) => terms_cmd::run_terms(&cli.data, &args),
        Command::Check(args) => check_cmd::run(&cli.data, &args),
        Command::Serve(args) => serve_cmd::run_serve(&cli.data, &args),
        Command::Demo(args) => serve_cmd::run_demo(&cli.data, &args),
        Command::User(args) => user_cmd::run(&cli.data, &args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tongwen: error: {}", printable(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Text for the terminal: control characters from stored or input text (a terminal
/// escape, a bell) are removed, so that what is shown cannot command the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    tongwen_text::strip_stray_controls(text)
}

/// A writer that drops control characters from what passes through it (as
/// [`printable`] does), for outputs that show stored or input text and write no
/// escapes of their own. C0 controls and DEL are single bytes in UTF-8; a C1 control
/// is `C2 80`–`C2 9F`, whose lead byte may end one write and its second begin the next.
pub struct PrintableWriter<W: Write> {
    inner: W,
    pending_lead: bool,
}

impl<W: Write> PrintableWriter<W> {
    /// Filters what is written to `inner`.
    pub fn new(inner: W) -> PrintableWriter<W> {
        PrintableWriter {
            inner,
            pending_lead: false,
        }
    }
}

impl<W: Write> Write for PrintableWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut kept = Vec::with_capacity(buf.len() + 1);
        for &byte in buf {
            if std::mem::take(&mut self.pending_lead) {
                if (0x80..=0x9f).contains(&byte) {
                    continue;
                }
                kept.push(0xc2);
            }
            match byte {
                0xc2 => self.pending_lead = true,
                0x00..=0x08 | 0x0e..=0x1f | 0x7f => {}
                _ => kept.push(byte),
            }
        }
        self.inner.write_all(&kept)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.pending_lead) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

/// A path for messages: as given by the user.
pub fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printable_writer_drops_controls_even_across_writes() {
        let mut out = PrintableWriter::new(Vec::new());
        out.write_all("新质\u{1b}[2J生产力\u{7}\n".as_bytes())
            .unwrap();
        let c1 = "a\u{85}b é".as_bytes();
        let cut = c1.iter().position(|&b| b == 0xc2).unwrap() + 1;
        out.write_all(&c1[..cut]).unwrap();
        out.write_all(&c1[cut..]).unwrap();
        out.flush().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "新质[2J生产力\nab é");
    }
}
