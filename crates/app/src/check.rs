//! Checking translations: segments read from a translation memory, an XLIFF file or
//! two aligned plain texts, held to the approved termbase, with findings below a
//! chosen severity or dismissed as "not an error" left out of the report, and
//! dismissals recorded in the store.

use std::collections::HashSet;

use tongwen_align::Bead;
use tongwen_formats::{read_tmx, read_xliff, TmxUnit};
use tongwen_qa::{Checker, Direction, Finding, LineSpan, Place, Segment, Severity};
use tongwen_store::{Dismissal, Dismissals, NewDismissal};
use tongwen_terms::termbase::primary_language;
use tongwen_text::{detect_lang, tag_lang, Document, Lang, LangGuess};

use crate::{Error, Result};

/// The segments of a file, and what reading them noticed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileSegments {
    /// Segments in file order.
    pub segments: Vec<Segment>,
    /// Remarks for the user (a language read from the texts because the file names
    /// none).
    pub notes: Vec<String>,
}

fn input_error(shown: &str, reason: impl Into<String>) -> Error {
    Error::Input {
        path: shown.to_string(),
        reason: reason.into(),
    }
}

/// The segments of a decoded `.tmx`, `.xlf` or `.xliff` file (`extension` in lower
/// case); `shown` names the file in messages.
pub fn segments_of_file(shown: &str, extension: &str, text: &str) -> Result<FileSegments> {
    match extension {
        "tmx" => {
            let units = read_tmx(text)
                .map_err(|e| input_error(shown, format!("not a readable TMX file: {e}")))?;
            Ok(FileSegments {
                segments: units
                    .iter()
                    .enumerate()
                    .map(|(k, u)| tmx_segment(k, u))
                    .collect(),
                notes: Vec::new(),
            })
        }
        "xlf" | "xliff" => xliff_segments(shown, text),
        _ => Err(input_error(
            shown,
            "check reads .tmx, .xlf or .xliff files (or a Chinese and an English plain text)",
        )),
    }
}

fn tmx_segment(index: usize, unit: &TmxUnit) -> Segment {
    let first = |lang: Lang| {
        unit.segments
            .iter()
            .find(|s| tag_lang(&s.lang) == Some(lang))
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    // A memory from English into Chinese says so in its srclang.
    let direction = match unit.source_lang.as_deref().and_then(tag_lang) {
        Some(Lang::En) => Direction::EnToZh,
        _ => Direction::ZhToEn,
    };
    let (zh, en) = match unit.chinese_and_english() {
        Some(pair) => (pair.zh.text.clone(), pair.en.text.clone()),
        None => (first(Lang::Zh), first(Lang::En)),
    };
    Segment {
        place: Place::TmxUnit {
            number: index + 1,
            tuid: unit.id.clone(),
            line: unit.line,
        },
        zh,
        en,
        direction,
    }
}

fn xliff_segments(shown: &str, text: &str) -> Result<FileSegments> {
    let document = read_xliff(text)
        .map_err(|e| input_error(shown, format!("not a readable XLIFF file: {e}")))?;
    let mut notes = Vec::new();
    // Angular and other tools leave the target language out: the texts of that side
    // say which it is.
    let mut language = |declared: Option<&str>, texts: Vec<&str>, side: &str| {
        if let Some(tag) = declared {
            return Some(primary_language(tag));
        }
        let guess = match detect_lang(&texts.join("\n")) {
            LangGuess::Clear(Lang::Zh) => Some("zh".to_string()),
            LangGuess::Clear(Lang::En) => Some("en".to_string()),
            LangGuess::Unknown => None,
        };
        if let Some(lang) = &guess {
            notes.push(format!(
                "{shown}: the file names no {side} language; its {side} texts read as {lang}"
            ));
        }
        guess
    };
    let source = language(
        document.source_lang.as_deref(),
        document
            .segments
            .iter()
            .map(|s| s.source.as_str())
            .collect(),
        "source",
    );
    let target = language(
        document.target_lang.as_deref(),
        document
            .segments
            .iter()
            .filter_map(|s| s.target.as_deref())
            .collect(),
        "target",
    );
    let reversed = match (source.as_deref(), target.as_deref()) {
        (Some("en"), Some("zh")) => true,
        (Some("zh") | None, Some("en") | None) => false,
        (s, t) => {
            return Err(input_error(
                shown,
                format!(
                    "Tongwen checks Chinese-English translations; this file is {} → {}",
                    s.unwrap_or("?"),
                    t.unwrap_or("?")
                ),
            ))
        }
    };
    let segments = document
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
                place: Place::XliffUnit {
                    id: s.id,
                    line: s.line,
                },
                zh,
                en,
                direction: if reversed {
                    Direction::EnToZh
                } else {
                    Direction::ZhToEn
                },
            }
        })
        .collect();
    Ok(FileSegments { segments, notes })
}

/// Line numbers of a text's byte offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `at`.
    fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|start| *start <= at)
    }
}

/// The segments of a Chinese and an English plain text aligned into `beads`: each
/// bead's sentences joined, placed by the lines they are on. `zh_text` and `en_text`
/// are the decoded texts the documents were prepared from.
pub fn segments_of_texts(
    zh: (&Document, &str),
    en: (&Document, &str),
    beads: &[Bead],
) -> Vec<Segment> {
    let (zh_lines, en_lines) = (LineIndex::new(zh.1), LineIndex::new(en.1));
    let span = |document: &Document, lines: &LineIndex, range: &std::ops::Range<usize>| {
        let sentences = &document.sentences[range.clone()];
        let first = sentences.first()?;
        let last = sentences.last()?;
        Some(LineSpan {
            first: lines.line(first.span.start),
            last: lines.line(last.span.end.saturating_sub(1).max(last.span.start)),
        })
    };
    beads
        .iter()
        .map(|b| Segment {
            place: Place::Lines {
                zh: span(zh.0, &zh_lines, &b.zh),
                en: span(en.0, &en_lines, &b.en),
            },
            zh: zh.0.sentences_text(b.zh.clone(), ""),
            en: en.0.sentences_text(b.en.clone(), " "),
            direction: Direction::ZhToEn,
        })
        .collect()
}

/// Which findings a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Findings less serious than this are left out.
    pub min_severity: Severity,
    /// Ids of findings dismissed as "not an error".
    pub dismissed: HashSet<String>,
}

impl Default for Selection {
    fn default() -> Selection {
        Selection {
            min_severity: Severity::Info,
            dismissed: HashSet::new(),
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Findings shown, in segment order.
    pub findings: Vec<Finding>,
    /// Segments checked.
    pub segments: usize,
    /// Findings left out as dismissed.
    pub dismissed: usize,
    /// Findings left out as less serious than the selection asks.
    pub below_severity: usize,
}

/// Checks every segment and keeps the findings the selection asks for.
pub fn check(checker: &Checker, segments: &[Segment], selection: &Selection) -> Report {
    let mut report = Report {
        findings: Vec::new(),
        segments: segments.len(),
        dismissed: 0,
        below_severity: 0,
    };
    for finding in segments.iter().flat_map(|s| checker.check(s)) {
        if selection.dismissed.contains(&finding.id) {
            report.dismissed += 1;
        } else if finding.severity < selection.min_severity {
            report.below_severity += 1;
        } else {
            report.findings.push(finding);
        }
    }
    report
}

/// A dismissals file: one finding id a line, `#` starting a comment, blank lines
/// ignored. Returns the ids and, for each line that holds no id, its number and what
/// is wrong with it.
pub fn read_dismissal_ids(text: &str) -> (HashSet<String>, Vec<(usize, String)>) {
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let id = content.split_whitespace().next().unwrap_or("");
        if id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) {
            ids.insert(id.to_ascii_lowercase());
        } else {
            problems.push((
                k + 1,
                format!("\"{id}\" is not a finding id (16 hexadecimal digits)"),
            ));
        }
    }
    (ids, problems)
}

/// Records that the finding `id` of one of `segments` is not an error. Refuses an id
/// no segment has, so that a typing error dismisses nothing.
pub fn dismiss(
    store: &mut impl Dismissals,
    checker: &Checker,
    segments: &[Segment],
    id: &str,
    reason: &str,
    actor: &str,
) -> Result<Dismissal> {
    let id = id.to_ascii_lowercase();
    let found = segments.iter().find_map(|segment| {
        checker
            .check(segment)
            .into_iter()
            .find(|f| f.id == id)
            .map(|f| (segment, f))
    });
    let Some((segment, finding)) = found else {
        return Err(Error::Input {
            path: id,
            reason: "no finding of the checked segments has this id".into(),
        });
    };
    Ok(store.dismiss(
        &NewDismissal {
            finding: finding.id,
            rule: finding.rule.name().to_string(),
            zh: tongwen_text::normalize(&segment.zh),
            en: tongwen_text::normalize(&segment.en),
            reason: reason.to_string(),
        },
        actor,
    )?)
}

/// Longest segment side a dismissal given by text (through the API) may hold: two
/// sides and a reason fit the server's 64 KiB body even written as JSON escapes.
pub const MAX_DISMISSED_SIDE_CHARS: usize = 4_000;

/// Records that a finding of `rule` on a segment with these texts is not an error:
/// what an editor sends from a report, which carries the rule and both sides.
pub fn dismiss_text(
    store: &mut impl Dismissals,
    rule: tongwen_qa::Rule,
    zh: &str,
    en: &str,
    reason: &str,
    actor: &str,
) -> Result<Dismissal> {
    for (side, text) in [("zh", zh), ("en", en)] {
        if text.chars().count() > MAX_DISMISSED_SIDE_CHARS {
            return Err(Error::Input {
                path: side.to_string(),
                reason: format!("a segment side has at most {MAX_DISMISSED_SIDE_CHARS} characters"),
            });
        }
    }
    Ok(store.dismiss(
        &NewDismissal {
            finding: tongwen_qa::finding_id(rule, zh, en),
            rule: rule.name().to_string(),
            zh: tongwen_text::normalize(zh),
            en: tongwen_text::normalize(en),
            reason: reason.to_string(),
        },
        actor,
    )?)
}

/// The ids of every dismissal in the store.
pub fn dismissed_ids(store: &impl Dismissals) -> Result<HashSet<String>> {
    Ok(store.dismissals()?.into_iter().map(|d| d.finding).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongwen_text::{EnTokenizer, ZhTokenizer};

    #[test]
    fn dismissed_and_minor_findings_are_left_out_and_counted() {
        let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());
        let checker = Checker::new(&[], &zh, &en);
        let segments = [
            Segment::named("1", "增长5%。", "It grew 6%."),
            Segment::named("2", "会议召开。", "The 19th congress opened."),
        ];
        let all = check(&checker, &segments, &Selection::default());
        assert_eq!(all.findings.len(), 2);
        let errors = check(
            &checker,
            &segments,
            &Selection {
                min_severity: Severity::Error,
                ..Selection::default()
            },
        );
        assert_eq!((errors.findings.len(), errors.below_severity), (1, 1));
        let dismissed = check(
            &checker,
            &segments,
            &Selection {
                dismissed: [all.findings[0].id.clone()].into(),
                ..Selection::default()
            },
        );
        assert_eq!((dismissed.findings.len(), dismissed.dismissed), (1, 1));
        assert_eq!(dismissed.findings[0].segment, "2");
    }

    #[test]
    fn dismissal_files_keep_good_lines_and_name_bad_ones() {
        let (ids, problems) =
            read_dismissal_ids("# reviewed\n0123456789ABCDEF  explicitation\n\nnot-an-id\n");
        assert!(ids.contains("0123456789abcdef"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 4);
    }

    #[test]
    fn plain_texts_are_placed_by_lines() {
        let zh_text = "标题\n\n第一句。第二句。\n";
        let en_text = "Title\nFirst. Second.\n";
        let zh_doc = tongwen_text::prepare(zh_text, Lang::Zh, tongwen_text::SplitMode::Auto);
        let en_doc = tongwen_text::prepare(en_text, Lang::En, tongwen_text::SplitMode::Auto);
        let beads = [Bead {
            zh: 1..3,
            en: 1..3,
            score: 1.0,
            low_confidence: false,
        }];
        let segments = segments_of_texts((&zh_doc, zh_text), (&en_doc, en_text), &beads);
        assert_eq!(
            segments[0].place,
            Place::Lines {
                zh: Some(LineSpan { first: 3, last: 3 }),
                en: Some(LineSpan { first: 2, last: 2 })
            }
        );
        assert_eq!(segments[0].place.label(), "zh 3 / en 2");
    }
}
