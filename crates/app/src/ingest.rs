//! Ingesting files and folders into the store.
//!
//! Files are parsed in parallel (decoding, format reading, metadata, sentence
//! splitting) and written by one writer, one transaction per document or given pair,
//! through a bounded channel so that memory stays flat however large the batch. A bad
//! file is reported with its reason and the batch goes on. Rerunning the same batch
//! stores nothing twice (content hashes), so an interrupted run is finished by running
//! it again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use tongwen_formats::{read_html, read_jsonl, read_markdown, read_tmx};
use tongwen_store::{NewBead, NewDocument, NewSentence, Origin, Store, UnitNote, Upsert};
use tongwen_text::{
    decode, detect_lang, find_stray_control, long_line, long_sentence, normalize, normalize_tag,
    prepare, Document, Lang, LangGuess, Metadata, SplitMode,
};

use crate::{Error, Result};

/// Input formats, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`
    Text,
    /// `.md`, `.markdown`
    Markdown,
    /// `.html`, `.htm`
    Html,
    /// `.tmx`
    Tmx,
    /// `.jsonl`
    JsonLines,
}

impl Format {
    /// The format of a path, from its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "tmx" => Format::Tmx,
            "jsonl" => Format::JsonLines,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Tmx => "tmx",
            Format::JsonLines => "jsonl",
        }
    }

    /// Largest file of this format read, in bytes: one story is far smaller; a
    /// translation memory or a JSON Lines dump of a whole corpus may be large.
    pub fn max_bytes(self) -> u64 {
        match self {
            Format::Text | Format::Markdown => 64 << 20,
            // The HTML parser is the slowest reader (about a second per megabyte at
            // the deepest nesting accepted); a page is rarely a megabyte.
            Format::Html => 8 << 20,
            Format::Tmx | Format::JsonLines => 1 << 30,
        }
    }
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force every document's language instead of detecting it.
    pub lang: Option<Lang>,
}

/// A stored document that replaced its earlier version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Whose version was replaced.
    pub origin: Origin,
    /// The document's language.
    pub lang: Lang,
    /// The earlier version was paired; the pair, its beads and the concept evidence
    /// read from them went with it (the new version is paired again by `update`).
    pub pair_removed: bool,
}

/// What was stored from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// New documents.
    pub inserted: usize,
    /// Documents already stored with the same content.
    pub unchanged: usize,
    /// Documents that replaced an earlier version from the same origin.
    pub replaced: Vec<Replacement>,
    /// Earlier pairs that gave way to pairs this file gives (the same text stored
    /// before from another source, paired differently).
    pub pairs_displaced: usize,
    /// Entries of the file that were not stored (a bad record, an origin another
    /// entry of this run has already claimed), each with its place and reason; the
    /// rest of the file was stored.
    pub problems: Vec<String>,
    /// Choices made while reading (which of several Chinese variants of a unit was
    /// taken): the file was stored as it says.
    pub notes: Vec<String>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// The file was read; its documents were stored or found stored already.
    Stored(FileReport),
    /// The file could not be used at all.
    Failed(String),
}

/// Totals of an ingest run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Files read.
    pub files: usize,
    /// New documents stored.
    pub inserted: usize,
    /// Documents found stored already.
    pub unchanged: usize,
    /// Documents that replaced an earlier version, by name.
    pub replaced: Vec<Replacement>,
    /// Earlier pairs that gave way to given pairs.
    pub pairs_displaced: usize,
    /// Files that failed, with their reasons.
    pub failures: Vec<(PathBuf, String)>,
    /// Entries of stored files that were not stored, with their file.
    pub problems: Vec<(PathBuf, String)>,
    /// Files in the given folders that are not in a supported format.
    pub skipped: usize,
}

impl IngestReport {
    /// Whether everything given was stored.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty() && self.problems.is_empty()
    }
}

/// The identity a file's documents are stored under: its canonical path, so that
/// `corpus/a.txt`, `./corpus/a.txt` and `/home/x/corpus/a.txt` are one file.
pub fn file_origin(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The stored origin a user names on the command line (`pair --given`): an existing
/// file by its canonical path, `FILE#ID` for a record of an existing file, anything
/// with a scheme (`https://…`) as an address, and anything else as a file path.
pub fn named_origin(text: &str) -> Origin {
    let path = Path::new(text);
    if path.is_file() {
        return Origin::File(file_origin(path));
    }
    if let Some((file, id)) = text.rsplit_once('#') {
        if Path::new(file).is_file() {
            return Origin::Record {
                file: file_origin(Path::new(file)),
                id: id.to_string(),
            };
        }
    }
    let has_scheme = text.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme {
        Origin::Url(text.to_string())
    } else {
        Origin::File(file_origin(path))
    }
}

/// The files an ingest of `paths` reads: files given explicitly (which must be in a
/// supported format) and the supported files found recursively in folders, sorted,
/// each once however often it is named.
pub fn collect_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, usize)> {
    let mut files = Vec::new();
    let mut skipped = 0;
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = Vec::new();
            for entry in walkdir::WalkDir::new(path).follow_links(true) {
                let entry = entry.map_err(|e| Error::Input {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                })?;
                let hidden =
                    entry.file_name().to_string_lossy().starts_with('.') && entry.depth() > 0;
                if entry.file_type().is_file() && !hidden {
                    if Format::of(entry.path()).is_some() {
                        found.push(entry.into_path());
                    } else {
                        skipped += 1;
                    }
                }
            }
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            if Format::of(path).is_none() {
                return Err(Error::Input {
                    path: path.display().to_string(),
                    reason: "not a supported format (.txt, .md, .html, .htm, .tmx, .jsonl)".into(),
                });
            }
            files.push(path.clone());
        } else {
            return Err(Error::Input {
                path: path.display().to_string(),
                reason: "no such file or folder".into(),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|file| seen.insert(file_origin(file)));
    Ok((files, skipped))
}

/// One document of a file, with where in the file it is (for messages).
#[derive(Debug)]
struct Entry<T> {
    /// `line 7` for a JSON Lines record, empty for a whole file.
    place: String,
    item: T,
}

/// What one file holds, ready to store.
/// The two documents of a file that pairs them itself, and their beads.
type GivenPair = (NewDocument, NewDocument, Vec<NewBead>);

#[derive(Debug, Default)]
struct Parsed {
    documents: Vec<Entry<NewDocument>>,
    given_pairs: Vec<Entry<GivenPair>>,
    /// Entries that could not be read, with their place and reason.
    problems: Vec<String>,
    /// Choices made while reading that the user should know of.
    notes: Vec<String>,
}

/// Which file and entry of this run first stored each identity: a second entry
/// claiming it in the same run is a mistake in the input, not a new version.
type Claims = HashMap<(Origin, Lang), String>;

/// Ingests `files` into `store`, calling `on_file` after each file with its outcome.
pub fn ingest(
    store: &mut dyn Store,
    files: &[PathBuf],
    options: &IngestOptions,
    on_file: &mut dyn FnMut(&Path, &FileOutcome),
) -> Result<IngestReport> {
    let mut report = IngestReport {
        files: files.len(),
        ..IngestReport::default()
    };
    // Parsed files wait here for the writer; the bound keeps memory flat.
    let (sender, receiver) = sync_channel::<(usize, std::result::Result<Parsed, String>)>(16);
    let mut fatal = None;
    let mut claims = Claims::new();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            files
                .par_iter()
                .enumerate()
                .for_each_with(sender, |sender, (index, path)| {
                    let parsed = parse_file_guarded(path, options);
                    // The receiver only goes away when the writer has failed; then there
                    // is nothing left to do.
                    let _ = sender.send((index, parsed));
                });
        });
        for (index, parsed) in receiver {
            let path = &files[index];
            let outcome = match parsed {
                Err(reason) => FileOutcome::Failed(reason),
                Ok(parsed) => match store_parsed(store, path, parsed, &mut claims) {
                    Ok(stored) => FileOutcome::Stored(stored),
                    Err(error) => {
                        fatal = Some(error);
                        break;
                    }
                },
            };
            match &outcome {
                FileOutcome::Stored(stored) => {
                    report.inserted += stored.inserted;
                    report.unchanged += stored.unchanged;
                    report.replaced.extend(stored.replaced.iter().cloned());
                    report.pairs_displaced += stored.pairs_displaced;
                    report
                        .problems
                        .extend(stored.problems.iter().map(|p| (path.clone(), p.clone())));
                }
                FileOutcome::Failed(reason) => report.failures.push((path.clone(), reason.clone())),
            }
            on_file(path, &outcome);
        }
    });
    match fatal {
        Some(error) => Err(error),
        None => Ok(report),
    }
}

/// Claims the identities of `documents` for `place`, all or none; the message when
/// another entry of this run has one of them.
fn claim(
    claims: &mut Claims,
    documents: &[&NewDocument],
    place: String,
) -> std::result::Result<(), String> {
    for document in documents {
        if let Some(first) = claims.get(&(document.origin.clone(), document.lang)) {
            return Err(format!(
                "{} ({}) is also the origin of {first} in this run; not stored twice",
                document.origin, document.lang
            ));
        }
    }
    for document in documents {
        claims.insert((document.origin.clone(), document.lang), place.clone());
    }
    Ok(())
}

fn store_parsed(
    store: &mut dyn Store,
    path: &Path,
    parsed: Parsed,
    claims: &mut Claims,
) -> Result<FileReport> {
    let mut report = FileReport {
        problems: parsed.problems,
        notes: parsed.notes,
        ..FileReport::default()
    };
    let here = |place: &str| {
        if place.is_empty() {
            path.display().to_string()
        } else {
            format!("{place} of {}", path.display())
        }
    };
    let prefixed = |place: &str, message: String| {
        if place.is_empty() {
            message
        } else {
            format!("{place}: {message}")
        }
    };
    let count = |report: &mut FileReport, document: &NewDocument, outcome: Upsert| match outcome {
        Upsert::Inserted(_) => report.inserted += 1,
        Upsert::Unchanged(_) => report.unchanged += 1,
        Upsert::Replaced { pair_removed, .. } => report.replaced.push(Replacement {
            origin: document.origin.clone(),
            lang: document.lang,
            pair_removed,
        }),
    };
    for Entry {
        place,
        item: document,
    } in &parsed.documents
    {
        if let Err(message) = claim(claims, &[document], here(place)) {
            report.problems.push(prefixed(place, message));
            continue;
        }
        let outcome = store.upsert_document(document)?;
        count(&mut report, document, outcome);
    }
    for Entry {
        place,
        item: (zh, en, beads),
    } in &parsed.given_pairs
    {
        if let Err(message) = claim(claims, &[zh, en], here(place)) {
            report.problems.push(prefixed(place, message));
            continue;
        }
        let stored = store.upsert_given_pair(zh, en, beads)?;
        count(&mut report, zh, stored.zh);
        count(&mut report, en, stored.en);
        report.pairs_displaced += stored.displaced;
    }
    Ok(report)
}

fn content_hash(lang: Lang, format: Format, text: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(lang.tag().as_bytes());
    hasher.update(&[0]);
    hasher.update(format.name().as_bytes());
    hasher.update(&[0]);
    hasher.update(text.as_bytes());
    hasher.finalize().to_hex().to_string()
}

fn language(text: &str, forced: Option<Lang>) -> std::result::Result<Lang, String> {
    if let Some(lang) = forced {
        return Ok(lang);
    }
    match detect_lang(text) {
        LangGuess::Clear(lang) => Ok(lang),
        LangGuess::Unknown => Err(
            "cannot tell whether this is Chinese or English (too few letters); use --lang".into(),
        ),
    }
}

fn new_document(document: Document, origin: Origin, format: Format, hash: String) -> NewDocument {
    NewDocument {
        lang: document.lang,
        origin,
        format: format.name().into(),
        content_hash: hash,
        lang_tag: None,
        metadata: document.metadata,
        sentences: document
            .sentences
            .into_iter()
            .map(|s| NewSentence {
                text: s.text,
                normalized: s.normalized,
                headline: s.headline,
            })
            .collect(),
    }
}

/// Prepares one document's text; refuses documents without content or with control
/// characters.
fn text_document(
    text: &str,
    origin: Origin,
    format: Format,
    forced: Option<Lang>,
    extra: Metadata,
) -> std::result::Result<NewDocument, String> {
    if let Some(control) = find_stray_control(text) {
        return Err(control.to_string());
    }
    if let Some(too_long) = long_line(text) {
        return Err(too_long.to_string());
    }
    let lang = language(text, forced)?;
    let mut document = prepare(text, lang, SplitMode::Auto);
    if document.sentences.is_empty() {
        return Err("no text to store (only whitespace, metadata or symbols)".into());
    }
    if let Some(too_long) = long_sentence(text, &document) {
        return Err(too_long.to_string());
    }
    let meta = &mut document.metadata;
    for (field, value) in [
        (&mut meta.title, extra.title),
        (&mut meta.published, extra.published),
        (&mut meta.source, extra.source),
        (&mut meta.author, extra.author),
        (&mut meta.editor, extra.editor),
        (&mut meta.place, extra.place),
    ] {
        if value.is_some() {
            *field = value;
        }
    }
    let hash = content_hash(lang, format, text);
    Ok(new_document(document, origin, format, hash))
}

/// [`parse_file`], with a failure of a reader (a bug, not bad input) turned into a
/// failure of this file rather than of the whole run.
fn parse_file_guarded(path: &Path, options: &IngestOptions) -> std::result::Result<Parsed, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_file(path, options)))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!(
                "Tongwen failed while reading this file ({what}); the file is skipped, please report it"
            ))
        })
}

fn parse_file(path: &Path, options: &IngestOptions) -> std::result::Result<Parsed, String> {
    let format = Format::of(path).ok_or("not a supported format")?;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if size > format.max_bytes() {
        return Err(format!(
            "{size} bytes, more than the {} MiB a .{} file may have; split it",
            format.max_bytes() >> 20,
            format.name()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    // XML says its own encoding; other formats are detected.
    let text = if format == Format::Tmx {
        tongwen_formats::decode_xml(&bytes).map_err(|e| e.to_string())?
    } else {
        decode(&bytes).map_err(|e| e.to_string())?.text
    };
    let file = file_origin(path);
    let mut parsed = Parsed::default();
    let whole = |item: NewDocument| Entry {
        place: String::new(),
        item,
    };
    match format {
        Format::Text => parsed.documents.push(whole(text_document(
            &text,
            Origin::File(file),
            format,
            options.lang,
            Metadata::default(),
        )?)),
        Format::Markdown => parsed.documents.push(whole(text_document(
            &read_markdown(&text),
            Origin::File(file),
            format,
            options.lang,
            Metadata::default(),
        )?)),
        Format::Html => {
            let page = read_html(&text).map_err(|e| e.to_string())?;
            let meta_value = |names: &[&str]| {
                page.meta
                    .iter()
                    .find(|(n, _)| names.contains(&n.as_str()))
                    .map(|(_, c)| c.clone())
                    .filter(|c| !c.is_empty())
            };
            let extra = Metadata {
                title: page.title.clone(),
                published: meta_value(&[
                    "article:published_time",
                    "pubdate",
                    "publishdate",
                    "date",
                    "dc.date",
                ]),
                source: meta_value(&["source", "og:site_name", "publisher"]),
                author: meta_value(&["author", "article:author", "dc.creator"]),
                editor: meta_value(&["editor"]),
                ..Metadata::default()
            };
            parsed.documents.push(whole(text_document(
                &page.text,
                Origin::File(file),
                format,
                options.lang,
                extra,
            )?));
        }
        Format::JsonLines => parse_jsonl(&text, &file, options, &mut parsed)?,
        Format::Tmx => {
            let (pair, notes) = parse_tmx(&text, &file)?;
            parsed.given_pairs.push(Entry {
                place: String::new(),
                item: pair,
            });
            parsed.notes.extend(notes);
        }
    }
    Ok(parsed)
}

/// The records of a JSON Lines file; a bad record is a problem of its line, and the
/// file fails only when no record is usable.
fn parse_jsonl(
    text: &str,
    file: &str,
    options: &IngestOptions,
    parsed: &mut Parsed,
) -> std::result::Result<(), String> {
    let records = read_jsonl(text);
    let total = records.len();
    let mut by_pair: BTreeMap<String, Vec<(usize, NewDocument)>> = BTreeMap::new();
    for (line, record) in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                parsed.problems.push(error.to_string());
                continue;
            }
        };
        let forced = match record.lang.as_deref() {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            _ => options.lang,
        };
        let extra = Metadata {
            title: record.title,
            published: record.published,
            source: record.source,
            author: record.author,
            editor: record.editor,
            place: record.place,
            ..Metadata::default()
        };
        let url = record
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let origin = match url {
            Some(url) => Origin::Url(url.to_string()),
            None => Origin::Record {
                file: file.to_string(),
                id: record.id.clone().unwrap_or_else(|| line.to_string()),
            },
        };
        let document = match text_document(&record.text, origin, Format::JsonLines, forced, extra) {
            Ok(document) => document,
            Err(reason) => {
                parsed.problems.push(format!("line {line}: {reason}"));
                continue;
            }
        };
        match record.pair {
            Some(pair) => by_pair.entry(pair).or_default().push((line, document)),
            None => parsed.documents.push(Entry {
                place: format!("line {line}"),
                item: document,
            }),
        }
    }
    for (pair, documents) in by_pair {
        let lines: Vec<String> = documents.iter().map(|(line, _)| line.to_string()).collect();
        let place = format!("line {}", lines.join(", "));
        let (zh, en): (Vec<_>, Vec<_>) =
            documents.into_iter().partition(|(_, d)| d.lang == Lang::Zh);
        match (<[_; 1]>::try_from(zh), <[_; 1]>::try_from(en)) {
            (Ok([(_, zh)]), Ok([(_, en)])) => parsed.given_pairs.push(Entry {
                place,
                item: (zh, en, Vec::new()),
            }),
            (zh, en) => parsed.problems.push(format!(
                "{place}: pair {pair:?} needs exactly one Chinese and one English record, has {} and {}",
                zh.map_or_else(|v| v.len(), |_| 1),
                en.map_or_else(|v| v.len(), |_| 1),
            )),
        }
    }
    if parsed.documents.is_empty() && parsed.given_pairs.is_empty() {
        return Err(match parsed.problems.first() {
            Some(first) if total == 1 => first.clone(),
            Some(first) => format!("none of its {total} records can be stored; first: {first}"),
            None => "no records".into(),
        });
    }
    Ok(())
}

/// A TMX file is one given pair: the Chinese and the English segments of its units,
/// aligned one to one; with a note when units hold several Chinese variants.
fn parse_tmx(text: &str, file: &str) -> std::result::Result<(GivenPair, Vec<String>), String> {
    let units = read_tmx(text).map_err(|e| e.to_string())?;
    let mut zh_sentences = Vec::new();
    let mut en_sentences = Vec::new();
    let mut variant_choices = 0usize;
    let mut passed_over = BTreeSet::new();
    let mut notes_of_units = Vec::new();
    // How often each language tag was taken, to record each side's variant.
    let mut zh_tags: BTreeMap<String, usize> = BTreeMap::new();
    let mut en_tags: BTreeMap<String, usize> = BTreeMap::new();
    for unit in &units {
        let Some(pair) = unit.chinese_and_english() else {
            continue;
        };
        if !pair.other_chinese.is_empty() {
            variant_choices += 1;
            passed_over.extend(pair.other_chinese.iter().map(|tag| tag.to_string()));
        }
        for segment in [&pair.zh.text, &pair.en.text] {
            if let Some(control) = find_stray_control(segment) {
                let unit_name = unit.id.as_deref().map_or_else(
                    || format!("the unit on line {}", unit.line),
                    |id| format!("unit {id}"),
                );
                return Err(format!("{unit_name}: {control}"));
            }
        }
        *zh_tags.entry(normalize_tag(&pair.zh.lang)).or_default() += 1;
        *en_tags.entry(normalize_tag(&pair.en.lang)).or_default() += 1;
        let mut notes: Vec<UnitNote> = unit
            .id
            .iter()
            .map(|id| UnitNote::Id { value: id.clone() })
            .collect();
        notes.extend(unit.properties.iter().map(|p| UnitNote::Property {
            name: p.kind.clone(),
            value: p.value.clone(),
        }));
        notes.extend(
            unit.notes
                .iter()
                .map(|n| UnitNote::Note { value: n.clone() }),
        );
        notes_of_units.push(notes);
        zh_sentences.push(NewSentence {
            normalized: normalize(&pair.zh.text),
            text: pair.zh.text.clone(),
            headline: false,
        });
        en_sentences.push(NewSentence {
            normalized: normalize(&pair.en.text),
            text: pair.en.text.clone(),
            headline: false,
        });
    }
    let mut notes = Vec::new();
    if variant_choices > 0 {
        notes.push(format!(
            "{variant_choices} units have several Chinese variants: the one srclang names (else the first) was taken, {} passed over",
            passed_over.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if zh_sentences.is_empty() {
        return Err(format!(
            "no translation unit with both a Chinese and an English segment (of {} units)",
            units.len()
        ));
    }
    if zh_tags.len() > 1 {
        notes.push(format!(
            "the Chinese segments are in several variants ({}); the store records the most frequent",
            zh_tags.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    // The variant most units are in, kept as the file wrote it (in BCP 47 form).
    let most_frequent = |tags: &BTreeMap<String, usize>| {
        tags.iter()
            .max_by_key(|(_, count)| **count)
            .map(|(tag, _)| tag.clone())
    };
    let (zh_tag, en_tag) = (most_frequent(&zh_tags), most_frequent(&en_tags));
    let side_document = |lang: Lang, sentences: Vec<NewSentence>, lang_tag: Option<String>| {
        let joined: String = sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        NewDocument {
            lang,
            origin: Origin::File(file.to_string()),
            format: Format::Tmx.name().into(),
            content_hash: content_hash(lang, Format::Tmx, &joined),
            metadata: Metadata::default(),
            sentences,
            lang_tag,
        }
    };
    let mut beads = NewBead::one_to_one(zh_sentences.len());
    for (bead, notes) in beads.iter_mut().zip(notes_of_units) {
        bead.notes = notes;
    }
    Ok((
        (
            side_document(Lang::Zh, zh_sentences, zh_tag),
            side_document(Lang::En, en_sentences, en_tag),
            beads,
        ),
        notes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongwen_store::SqliteStore;

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    #[test]
    fn ingests_every_format_once() {
        let input = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        write(input.path(), "a/zh.txt", "发布时间:2026-05-18 10:20:00 | 来源:同文新闻\n大运河文化节在杭州开幕。运河全长三千多公里。".as_bytes());
        write(
            input.path(),
            "a/en.md",
            b"# Canal festival\n\nThe Grand Canal festival opened in Hangzhou.\n",
        );
        write(input.path(), "b/page.html", "<html><head><title>T</title><meta name=\"author\" content=\"Li Ming\"></head><body><nav>Home</nav><p>The festival opened.</p></body></html>".as_bytes());
        write(input.path(), "b/pair.jsonl", "{\"text\":\"你好。\",\"pair\":\"p\"}\n{\"text\":\"Hello there.\",\"pair\":\"p\",\"source\":\"Xinhua\"}\n".as_bytes());
        write(input.path(), "c/tm.tmx", "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"zh-CN\"><seg>一。</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu></body></tmx>".as_bytes());
        write(input.path(), "c/notes.docx", b"ignored");
        write(input.path(), "c/bad.txt", b"");
        let (files, skipped) = collect_files(&[input.path().to_path_buf()]).unwrap();
        assert_eq!((files.len(), skipped), (6, 1));
        let mut store = SqliteStore::open(data.path()).unwrap();
        let report = ingest(
            &mut store,
            &files,
            &IngestOptions::default(),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(report.failures[0].1.contains("empty"));
        assert_eq!(report.inserted, 7);
        let counts = store.counts().unwrap();
        assert_eq!(
            (
                counts.zh_documents,
                counts.en_documents,
                counts.pairs,
                counts.beads
            ),
            (3, 4, 2, 1)
        );
        let again = ingest(
            &mut store,
            &files,
            &IngestOptions::default(),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!((again.inserted, again.unchanged), (0, 7));
        assert_eq!(store.counts().unwrap(), counts);
    }

    fn run(store: &mut SqliteStore, paths: &[PathBuf]) -> IngestReport {
        let (files, _) = collect_files(paths).unwrap();
        ingest(store, &files, &IngestOptions::default(), &mut |_, _| {}).unwrap()
    }

    #[test]
    fn records_sharing_an_address_are_reported_not_replaced() {
        let input = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(data.path()).unwrap();
        let jsonl = write(
            input.path(),
            "feed.jsonl",
            "{\"text\":\"The first story about the canal.\",\"url\":\"https://news.example/a\"}\n\
             {\"text\":\"A second story about the harbour.\",\"url\":\"https://news.example/a\"}\n\
             {\"text\":\"A third story about the railway.\",\"url\":\"https://news.example/a\"}\n\
             {\"text\":\"Bad\\u001b[2J story.\"}\n"
                .as_bytes(),
        );
        let report = run(&mut store, &[jsonl]);
        assert_eq!(report.inserted, 1);
        assert!(report.replaced.is_empty(), "{:?}", report.replaced);
        assert_eq!(report.problems.len(), 3, "{:?}", report.problems);
        let problems: Vec<&str> = report.problems.iter().map(|(_, p)| p.as_str()).collect();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("line 2:") && p.contains("line 1 of")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("line 3:")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("line 4:") && p.contains("U+001B")),
            "{problems:?}"
        );
        assert!(!report.is_clean());
    }

    #[test]
    fn an_address_cannot_replace_a_file_and_paths_are_one_identity() {
        let input = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(data.path()).unwrap();
        let zh = write(
            input.path(),
            "story/zh.txt",
            "大运河文化节在杭州开幕。运河全长三千多公里。".as_bytes(),
        );
        write(
            input.path(),
            "story/en.txt",
            b"The Grand Canal festival opened in Hangzhou. The canal is over 3,000 km long.",
        );
        assert_eq!(run(&mut store, &[input.path().join("story")]).inserted, 2);
        store
            .insert_found_pairs(&[(
                tongwen_store::DocumentId(1),
                tongwen_store::DocumentId(2),
                0.9,
            )])
            .unwrap();
        // A record whose address spells the stored file's path is a different document.
        let feed = write(
            input.path(),
            "feed.jsonl",
            format!(
                "{{\"text\":\"另一篇报道的内容。\",\"url\":{:?}}}\n",
                file_origin(&zh)
            )
            .as_bytes(),
        );
        let report = run(&mut store, &[feed]);
        assert_eq!((report.inserted, report.replaced.len()), (1, 0));
        assert_eq!(store.pairs().unwrap().len(), 1, "the story keeps its pair");
        // The same file under another spelling of its path is the same document: a
        // new version replaces the old one, by name, and its pair goes with it.
        std::fs::write(&zh, "大运河文化节在杭州开幕。运河全长三千二百公里。").unwrap();
        let dotted = input.path().join("story/../story/./zh.txt");
        let report = run(&mut store, &[dotted]);
        assert_eq!(report.inserted, 0);
        assert_eq!(
            report.replaced,
            vec![Replacement {
                origin: Origin::File(file_origin(&zh)),
                lang: Lang::Zh,
                pair_removed: true
            }]
        );
        assert_eq!(store.counts().unwrap().zh_documents, 2);
        assert!(store.pairs().unwrap().is_empty());
    }

    #[test]
    fn the_same_file_named_twice_is_read_once() {
        let input = tempfile::tempdir().unwrap();
        let zh = write(input.path(), "zh.txt", "你好。".as_bytes());
        let (files, _) = collect_files(&[
            zh.clone(),
            input.path().join("./zh.txt"),
            input.path().to_path_buf(),
        ])
        .unwrap();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn named_origins() {
        let input = tempfile::tempdir().unwrap();
        let file = write(input.path(), "feed.jsonl", b"{}");
        assert_eq!(
            named_origin(&file.display().to_string()),
            Origin::File(file_origin(&file))
        );
        assert_eq!(
            named_origin(&format!("{}#7", file.display())),
            Origin::Record {
                file: file_origin(&file),
                id: "7".into()
            }
        );
        assert_eq!(
            named_origin("https://news.example/a#top"),
            Origin::Url("https://news.example/a#top".into())
        );
    }

    #[test]
    fn hostile_files_are_refused_and_the_run_goes_on() {
        let input = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(data.path()).unwrap();
        let nested = "<table><tr><td>".repeat(5000) + "深层嵌套的表格。";
        write(input.path(), "a/tables.html", nested.as_bytes());
        write(
            input.path(),
            "a/divs.html",
            ("<div>".repeat(50_000) + "Unclosed.").as_bytes(),
        );
        write(
            input.path(),
            "b/cut.tmx",
            "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"zh\"><seg>一。</seg></tuv><tuv xml:lang=\"en\"><seg>One.</seg></tuv></tu><tu><tuv xml:lang=\"zh\"><seg>二".as_bytes(),
        );
        write(
            input.path(),
            "c/fine.txt",
            "大运河文化节在杭州开幕。".as_bytes(),
        );
        write(
            input.path(),
            "c/one-line.txt",
            "word ".repeat(300_000).as_bytes(),
        );
        let report = run(&mut store, &[input.path().to_path_buf()]);
        assert_eq!(report.inserted, 1);
        let reasons: Vec<&str> = report.failures.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(
            reasons.iter().any(|r| r.contains("MiB long")),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .filter(|r| r.contains("nested deeper"))
                .count()
                == 2,
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.contains("truncated")),
            "{reasons:?}"
        );
    }

    #[test]
    fn explicit_unsupported_file_is_an_error() {
        let input = tempfile::tempdir().unwrap();
        let path = write(input.path(), "x.pdf", b"%PDF");
        assert!(matches!(collect_files(&[path]), Err(Error::Input { .. })));
        assert!(matches!(
            collect_files(&[input.path().join("missing.txt")]),
            Err(Error::Input { .. })
        ));
    }
}
