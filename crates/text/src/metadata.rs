//! Metadata that is not content: scraped header lines, datelines, stray symbols.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// Fields recognized in a document's header and dateline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The headline: the first line, when it has no sentence-final punctuation.
    pub title: Option<String>,
    /// Publication time as written (`2024-10-21 09:11:02`).
    pub published: Option<String>,
    /// Source or publisher (来源).
    pub source: Option<String>,
    /// Author or reporter (作者, 记者).
    pub author: Option<String>,
    /// Responsible editor (责任编辑).
    pub editor: Option<String>,
    /// Dateline place (`TIANJIN`, 天津).
    pub place: Option<String>,
    /// Dateline date as written (`Oct. 20`, `10月20日`).
    pub dateline_date: Option<String>,
    /// News agency of the dateline (`Xinhua`, 新华社).
    pub agency: Option<String>,
}

static HEADER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(发布时间|发表时间|时间|日期|来源|作者|记者|责任编辑|责编|编辑|published|date|updated|source|author|editor|web editor)\s*[:：]")
        .expect("valid regex")
});

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
        .expect("valid regex")
});

static EN_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<place>[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][A-Za-z.' ]+)?),\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)\s*(?:\((?P<agency>[^)]{2,40})\))?\s*(?:--|—|–|-)\s*")
        .expect("valid regex")
});

/// A dateline without a date: `BEIJING -- `.
static EN_PLACE_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}?)(?:\s*\((?P<agency>[^)]{2,40})\))?\s*(?:--|—)\s*",
    )
    .expect("valid regex")
});

/// An English byline on a line of its own: `By Zhang San`, `By Li Wei and Ann Smith`.
static EN_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^By\s+(?P<author>[A-Z][\p{L}.'\-]*(?:\s+[A-Z][\p{L}.'\-]*){0,4}(?:\s*(?:,|and)\s*[A-Z][\p{L}.'\-]*(?:\s+[A-Z][\p{L}.'\-]*){0,4})*)\s*(?:[|｜].*)?$").expect("valid regex")
});

/// A photo credit standing alone: （新华社记者 张三 摄）, (Xinhua/Zhang San), [Photo/Xinhua].
static PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][^）)]{0,40}摄[）)]|[(\[](?:Photo|Xinhua|Photo/[^)\]]{1,40}|Xinhua/[^)\]]{1,40}|[A-Z][A-Za-z ]{1,30}/[A-Z][^)\]]{1,30})[)\]])$").expect("valid regex")
});

static ZH_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<agency>新华社|中新社|中新网|中国新闻网|人民网|人民日报|本报|央视网|央视新闻|新华网|中国日报|光明日报|经济日报|环球网)?(?P<place>\p{Han}{0,12}?)(?P<date>\d{1,2}月\d{1,2}日)(?:电|讯)(?:[（(](?:记者)?(?P<author>[^）)]{1,30})[）)])?\s*")
        .expect("valid regex")
});

/// Symbols that mark the end of a story or decorate it; they carry no content.
pub(crate) fn is_stray_symbol(c: char) -> bool {
    matches!(
        c,
        '■' | '□'
            | '▲'
            | '△'
            | '▼'
            | '▽'
            | '●'
            | '○'
            | '◆'
            | '◇'
            | '★'
            | '☆'
            | '◎'
            | '※'
            | '▪'
            | '▫'
            | '♦'
            | '•'
    )
}

/// Parses a scraped header line (`发布时间:… | 来源:… | 作者:… | 责任编辑:…`) into
/// `meta`. Returns false when the line is not a header. `headline` is the document's
/// first line: scrapers often run the editor's name into a repeat of it, and that
/// repeat is returned as the byte offset where content resumes.
pub(crate) fn parse_header_line(
    line: &str,
    headline: Option<&str>,
    meta: &mut Metadata,
) -> Option<Option<usize>> {
    let labels: Vec<regex::Match> = HEADER_LABEL.find_iter(line).collect();
    if labels.len() < 2 && !(labels.len() == 1 && labels[0].start() == 0 && line.contains('|')) {
        return None;
    }
    let mut content_resumes = None;
    for (k, label) in labels.iter().enumerate() {
        let value_end = labels.get(k + 1).map_or(line.len(), |next| next.start());
        let raw_value = &line[label.end()..value_end];
        let value = raw_value.trim().trim_end_matches(['|', '｜']).trim();
        let name = label
            .as_str()
            .trim_end_matches([':', '：'])
            .trim()
            .to_lowercase();
        match name.as_str() {
            "发布时间" | "发表时间" | "时间" | "日期" | "published" | "date" | "updated" =>
            {
                let stamp = TIMESTAMP.find(value).map_or(value, |m| m.as_str());
                set(&mut meta.published, stamp);
            }
            "来源" | "source" => set(&mut meta.source, value),
            "作者" | "记者" | "author" => set(&mut meta.author, value),
            "责任编辑" | "编辑" | "editor" | "web editor" => {
                let (editor, rest) = split_run_in(value, headline);
                set(&mut meta.editor, editor);
                if let Some(rest) = rest {
                    let value_start =
                        label.end() + (raw_value.len() - raw_value.trim_start().len());
                    content_resumes = Some(value_start + rest);
                }
            }
            _ => {}
        }
    }
    Some(content_resumes)
}

/// Separates an editor's name from text scraped onto it: the repeated headline when it
/// is known, otherwise whatever follows the first space.
fn split_run_in<'a>(value: &'a str, headline: Option<&str>) -> (&'a str, Option<usize>) {
    if let Some(headline) = headline.map(str::trim).filter(|h| h.chars().count() >= 4) {
        let probe: String = headline.chars().take(6).collect();
        if let Some(at) = value.find(&probe) {
            if at > 0 {
                return (value[..at].trim(), Some(at));
            }
        }
    }
    match value.find(char::is_whitespace) {
        Some(at) => (
            value[..at].trim(),
            Some(at + (value[at..].len() - value[at..].trim_start().len())),
        ),
        None => (value, None),
    }
}

fn set(field: &mut Option<String>, value: &str) {
    if field.is_none() && !value.is_empty() {
        *field = Some(value.to_string());
    }
}

/// Recognizes a whole line that is metadata rather than content: a single labelled
/// field (来源：人民日报, Source: Xinhua), an editor's note in brackets
/// (（责任编辑：王芳）), an English byline, or a photo credit. Fields go to `meta`.
pub(crate) fn parse_metadata_line(line: &str, meta: &mut Metadata) -> bool {
    let line = line.trim();
    if PHOTO_CREDIT.is_match(line) {
        return true;
    }
    if let Some(caps) = EN_BYLINE.captures(line) {
        set(
            &mut meta.author,
            caps.name("author").map_or("", |m| m.as_str().trim()),
        );
        return true;
    }
    let inner = line
        .strip_prefix(['（', '(', '['])
        .and_then(|l| l.strip_suffix(['）', ')', ']']))
        .unwrap_or(line);
    let short = inner.chars().count() <= 60;
    let ends_sentence = inner
        .trim_end()
        .ends_with(['。', '.', '!', '?', '！', '？']);
    match HEADER_LABEL.find(inner) {
        Some(label) if label.start() == 0 && short && !ends_sentence => {
            parse_header_line(&format!("{inner} |"), None, meta);
            true
        }
        _ => false,
    }
}

/// Recognizes a dateline at the start of a paragraph and returns its length in bytes.
pub(crate) fn parse_dateline(paragraph: &str, meta: &mut Metadata) -> Option<usize> {
    if let Some(caps) = EN_DATELINE.captures(paragraph) {
        let whole = caps.get(0)?;
        set(
            &mut meta.place,
            caps.name("place").map_or("", |m| m.as_str().trim()),
        );
        set(
            &mut meta.dateline_date,
            caps.name("date").map_or("", |m| m.as_str()),
        );
        set(
            &mut meta.agency,
            caps.name("agency").map_or("", |m| m.as_str().trim()),
        );
        return Some(whole.end());
    }
    if let Some(caps) = EN_PLACE_DATELINE.captures(paragraph) {
        let whole = caps.get(0)?;
        set(
            &mut meta.place,
            caps.name("place").map_or("", |m| m.as_str().trim()),
        );
        set(
            &mut meta.agency,
            caps.name("agency").map_or("", |m| m.as_str().trim()),
        );
        return Some(whole.end());
    }
    if let Some(caps) = ZH_DATELINE.captures(paragraph) {
        // Without an agency the place must be there: "10月20日电视台…" is content.
        if caps.name("agency").is_none()
            && caps
                .name("place")
                .is_none_or(|p| p.as_str().chars().count() < 2)
        {
            return None;
        }
        let whole = caps.get(0)?;
        set(
            &mut meta.agency,
            caps.name("agency").map_or("", |m| m.as_str()),
        );
        set(
            &mut meta.place,
            caps.name("place").map_or("", |m| m.as_str()),
        );
        set(
            &mut meta.dateline_date,
            caps.name("date").map_or("", |m| m.as_str()),
        );
        set(
            &mut meta.author,
            caps.name("author").map_or("", |m| m.as_str().trim()),
        );
        return Some(whole.end());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_run_in_headline() {
        let mut meta = Metadata::default();
        let line = "发布时间:2024-10-21 09:11:02 | 来源:新华网 | 作者: | 责任编辑:张芃芃习近平对国家级经济技术开发区工作作出重要指示强调";
        let resumes = parse_header_line(
            line,
            Some("习近平对国家级经济技术开发区工作作出重要指示"),
            &mut meta,
        )
        .expect("header");
        assert_eq!(meta.published.as_deref(), Some("2024-10-21 09:11:02"));
        assert_eq!(meta.source.as_deref(), Some("新华网"));
        assert_eq!(meta.author, None);
        assert_eq!(meta.editor.as_deref(), Some("张芃芃"));
        assert_eq!(
            resumes.map(|at| &line[at..]),
            Some("习近平对国家级经济技术开发区工作作出重要指示强调")
        );
    }

    #[test]
    fn standalone_metadata_lines() {
        let mut meta = Metadata::default();
        for line in [
            "来源：人民日报",
            "（责任编辑：王芳、李明）",
            "By Zhang San and Ann Smith",
            "（新华社记者 李华 摄）",
            "[Photo/Xinhua]",
            "Source: Xinhua",
        ] {
            assert!(parse_metadata_line(line, &mut meta), "{line}");
        }
        assert_eq!(meta.source.as_deref(), Some("人民日报"));
        assert_eq!(meta.editor.as_deref(), Some("王芳、李明"));
        assert_eq!(meta.author.as_deref(), Some("Zhang San and Ann Smith"));
        for line in [
            "By the end of the year, output rose.",
            "来源于生活的艺术高于生活。",
            "Source: the figures show growth of 5 percent in the first half of the year and more.",
            "By 2035 China will be a modern country",
        ] {
            assert!(
                !parse_metadata_line(line, &mut Metadata::default()),
                "{line}"
            );
        }
    }

    #[test]
    fn ordinary_lines_are_not_headers() {
        let mut meta = Metadata::default();
        assert!(parse_header_line("他说：来源不明。", None, &mut meta).is_none());
    }

    #[test]
    fn datelines() {
        let mut meta = Metadata::default();
        let text = "TIANJIN, Oct. 20 (Xinhua) -- Chinese President Xi Jinping has urged";
        let end = parse_dateline(text, &mut meta).expect("dateline");
        assert_eq!(&text[end..], "Chinese President Xi Jinping has urged");
        assert_eq!(
            (
                meta.place.as_deref(),
                meta.dateline_date.as_deref(),
                meta.agency.as_deref()
            ),
            (Some("TIANJIN"), Some("Oct. 20"), Some("Xinhua"))
        );

        let mut meta = Metadata::default();
        let text = "新华社天津10月20日电 中共中央总书记习近平近日作出重要指示。";
        let end = parse_dateline(text, &mut meta).expect("dateline");
        assert_eq!(&text[end..], "中共中央总书记习近平近日作出重要指示。");
        assert_eq!(
            (meta.agency.as_deref(), meta.place.as_deref()),
            (Some("新华社"), Some("天津"))
        );

        let mut meta = Metadata::default();
        let text = "新华社北京3月5日电（记者张三）国务院总理今天作报告。";
        let end = parse_dateline(text, &mut meta).expect("dateline");
        assert_eq!(&text[end..], "国务院总理今天作报告。");
        assert_eq!(meta.author.as_deref(), Some("张三"));
        assert!(parse_dateline("The city grew fast.", &mut Metadata::default()).is_none());

        let mut meta = Metadata::default();
        let text = "BEIJING -- China's economy grew.";
        assert_eq!(
            parse_dateline(text, &mut meta).map(|end| &text[end..]),
            Some("China's economy grew.")
        );
        assert_eq!(meta.place.as_deref(), Some("BEIJING"));

        let mut meta = Metadata::default();
        let text = "本报北京10月20日电（记者张三）会议召开。";
        assert_eq!(
            parse_dateline(text, &mut meta).map(|end| &text[end..]),
            Some("会议召开。")
        );
        assert_eq!(
            (
                meta.agency.as_deref(),
                meta.place.as_deref(),
                meta.author.as_deref()
            ),
            (Some("本报"), Some("北京"), Some("张三"))
        );

        assert!(parse_dateline("10月20日电视台播出了节目。", &mut Metadata::default()).is_none());
        let text = "上海10月20日电 会议召开。";
        assert_eq!(
            parse_dateline(text, &mut Metadata::default()).map(|end| &text[end..]),
            Some("会议召开。")
        );
    }
}
