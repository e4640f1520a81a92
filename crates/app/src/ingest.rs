//! Ingesting files and folders into the store.
//!
//! Files are parsed in parallel (decoding, format reading, metadata, sentence
//! splitting) and written by one writer, one transaction per document or given pair,
//! through a bounded channel so that memory stays flat however large the batch. A bad
//! file is reported with its reason and the batch goes on. Rerunning the same batch
//! stores nothing twice (content hashes), so an interrupted run is finished by running
//! it again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use tongwen_formats::{read_html, read_jsonl, read_markdown, read_tmx};
use tongwen_store::{NewBead, NewDocument, NewSentence, Store, Upsert};
use tongwen_text::{
    decode, detect_lang, normalize, prepare, Document, Lang, LangGuess, Metadata, SplitMode,
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
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force every document's language instead of detecting it.
    pub lang: Option<Lang>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// The file was read; its documents were stored or found stored already.
    Stored {
        /// New documents.
        inserted: usize,
        /// Documents already stored with the same content.
        unchanged: usize,
        /// Documents that replaced an older version of the same origin.
        replaced: usize,
    },
    /// The file could not be used.
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
    /// Documents that replaced an older version.
    pub replaced: usize,
    /// Files that failed, with their reasons.
    pub failures: Vec<(PathBuf, String)>,
    /// Files in the given folders that are not in a supported format.
    pub skipped: usize,
}

/// The files an ingest of `paths` reads: files given explicitly (which must be in a
/// supported format) and the supported files found recursively in folders, sorted.
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
    Ok((files, skipped))
}

/// What one file holds, ready to store.
#[derive(Debug, Default)]
struct Parsed {
    documents: Vec<NewDocument>,
    given_pairs: Vec<(NewDocument, NewDocument, Vec<NewBead>)>,
}

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
    std::thread::scope(|scope| {
        scope.spawn(move || {
            files
                .par_iter()
                .enumerate()
                .for_each_with(sender, |sender, (index, path)| {
                    let parsed = parse_file(path, options);
                    // The receiver only goes away when the writer has failed; then there
                    // is nothing left to do.
                    let _ = sender.send((index, parsed));
                });
        });
        for (index, parsed) in receiver {
            let path = &files[index];
            let outcome = match parsed {
                Err(reason) => FileOutcome::Failed(reason),
                Ok(parsed) => match store_parsed(store, &parsed) {
                    Ok(outcome) => outcome,
                    Err(error) => {
                        fatal = Some(error);
                        break;
                    }
                },
            };
            match &outcome {
                FileOutcome::Stored {
                    inserted,
                    unchanged,
                    replaced,
                } => {
                    report.inserted += inserted;
                    report.unchanged += unchanged;
                    report.replaced += replaced;
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

fn store_parsed(store: &mut dyn Store, parsed: &Parsed) -> Result<FileOutcome> {
    let (mut inserted, mut unchanged, mut replaced) = (0, 0, 0);
    let mut count = |outcome: Upsert| match outcome {
        Upsert::Inserted(_) => inserted += 1,
        Upsert::Unchanged(_) => unchanged += 1,
        Upsert::Replaced { .. } => replaced += 1,
    };
    for document in &parsed.documents {
        count(store.upsert_document(document)?);
    }
    for (zh, en, beads) in &parsed.given_pairs {
        let stored = store.upsert_given_pair(zh, en, beads)?;
        count(stored.zh);
        count(stored.en);
    }
    Ok(FileOutcome::Stored {
        inserted,
        unchanged,
        replaced,
    })
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

fn new_document(document: Document, origin: String, format: Format, hash: String) -> NewDocument {
    NewDocument {
        lang: document.lang,
        origin,
        format: format.name().into(),
        content_hash: hash,
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

/// Prepares one document's text; refuses documents without content.
fn text_document(
    text: &str,
    origin: String,
    format: Format,
    forced: Option<Lang>,
    extra: Metadata,
) -> std::result::Result<NewDocument, String> {
    let lang = language(text, forced)?;
    let mut document = prepare(text, lang, SplitMode::Auto);
    if document.sentences.is_empty() {
        return Err("no text to store (only whitespace, metadata or symbols)".into());
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

fn parse_file(path: &Path, options: &IngestOptions) -> std::result::Result<Parsed, String> {
    let format = Format::of(path).ok_or("not a supported format")?;
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = decode(&bytes).map_err(|e| e.to_string())?.text;
    let origin = path.display().to_string();
    let mut parsed = Parsed::default();
    match format {
        Format::Text => parsed.documents.push(text_document(
            &text,
            origin,
            format,
            options.lang,
            Metadata::default(),
        )?),
        Format::Markdown => parsed.documents.push(text_document(
            &read_markdown(&text),
            origin,
            format,
            options.lang,
            Metadata::default(),
        )?),
        Format::Html => {
            let page = read_html(&text);
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
            parsed.documents.push(text_document(
                &page.text,
                origin,
                format,
                options.lang,
                extra,
            )?);
        }
        Format::JsonLines => parse_jsonl(&text, &origin, options, &mut parsed)?,
        Format::Tmx => parsed.given_pairs.push(parse_tmx(&text, &origin)?),
    }
    Ok(parsed)
}

fn parse_jsonl(
    text: &str,
    origin: &str,
    options: &IngestOptions,
    parsed: &mut Parsed,
) -> std::result::Result<(), String> {
    let records = read_jsonl(text).map_err(|e| e.to_string())?;
    let mut by_pair: BTreeMap<String, Vec<NewDocument>> = BTreeMap::new();
    for (line, record) in records {
        let forced = match record.lang.as_deref() {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            _ => options.lang,
        };
        let id = record.id.clone().unwrap_or_else(|| line.to_string());
        let extra = Metadata {
            title: record.title,
            published: record.published,
            source: record.source,
            author: record.author,
            editor: record.editor,
            place: record.place,
            ..Metadata::default()
        };
        let record_origin = record
            .url
            .clone()
            .unwrap_or_else(|| format!("{origin}#{id}"));
        let document = text_document(
            &record.text,
            record_origin,
            Format::JsonLines,
            forced,
            extra,
        )
        .map_err(|reason| format!("line {line}: {reason}"))?;
        match record.pair {
            Some(pair) => by_pair.entry(pair).or_default().push(document),
            None => parsed.documents.push(document),
        }
    }
    for (pair, documents) in by_pair {
        let zh: Vec<&NewDocument> = documents.iter().filter(|d| d.lang == Lang::Zh).collect();
        let en: Vec<&NewDocument> = documents.iter().filter(|d| d.lang == Lang::En).collect();
        match (zh.as_slice(), en.as_slice()) {
            ([zh], [en]) => parsed
                .given_pairs
                .push(((*zh).clone(), (*en).clone(), Vec::new())),
            _ => {
                return Err(format!(
                    "pair {pair:?} needs exactly one Chinese and one English record, has {} and {}",
                    zh.len(),
                    en.len()
                ))
            }
        }
    }
    Ok(())
}

/// A TMX file is one given pair: the Chinese and the English segments of its units,
/// aligned one to one.
fn parse_tmx(
    text: &str,
    origin: &str,
) -> std::result::Result<(NewDocument, NewDocument, Vec<NewBead>), String> {
    let units = read_tmx(text).map_err(|e| e.to_string())?;
    let mut zh_sentences = Vec::new();
    let mut en_sentences = Vec::new();
    for unit in &units {
        let side = |prefix: &str| {
            unit.segments
                .iter()
                .find(|(lang, _)| lang.to_ascii_lowercase().starts_with(prefix))
                .map(|(_, text)| text.clone())
        };
        if let (Some(zh), Some(en)) = (side("zh"), side("en")) {
            zh_sentences.push(NewSentence {
                normalized: normalize(&zh),
                text: zh,
                headline: false,
            });
            en_sentences.push(NewSentence {
                normalized: normalize(&en),
                text: en,
                headline: false,
            });
        }
    }
    if zh_sentences.is_empty() {
        return Err(format!(
            "no translation unit with both a Chinese and an English segment (of {} units)",
            units.len()
        ));
    }
    let side_document = |lang: Lang, sentences: Vec<NewSentence>| {
        let joined: String = sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        NewDocument {
            lang,
            origin: origin.to_string(),
            format: Format::Tmx.name().into(),
            content_hash: content_hash(lang, Format::Tmx, &joined),
            metadata: Metadata::default(),
            sentences,
        }
    };
    let beads = NewBead::one_to_one(zh_sentences.len());
    Ok((
        side_document(Lang::Zh, zh_sentences),
        side_document(Lang::En, en_sentences),
        beads,
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
