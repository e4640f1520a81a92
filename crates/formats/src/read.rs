//! Readers of input formats: TMX, HTML, Markdown and JSON Lines. They take decoded
//! text and return plain records; they do no I/O and never expand XML entities beyond
//! the five predefined ones and character references.

use quick_xml::events::Event;
use quick_xml::Reader;
use serde::Deserialize;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    /// Malformed XML, with its position.
    #[error("line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed, but not what the format requires.
    #[error("{0}")]
    Invalid(String),
    /// A CSV row that cannot be read.
    #[error("line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A JSON Lines record that is not a valid record.
    #[error("line {line}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// 1-based line and column of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// One translation unit of a TMX file: its `tuid` if any and its segments by language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxUnit {
    /// The `tuid` attribute.
    pub id: Option<String>,
    /// `(xml:lang, text)` of each `<tuv>`.
    pub segments: Vec<(String, String)>,
}

/// Longest attribute value or segment accepted, in bytes: a safeguard against
/// hostile files, far above any real segment.
pub(crate) const MAX_FIELD_BYTES: usize = 1 << 20;

/// Reads the translation units of a TMX document. Inline markup codes (`bpt`, `ept`,
/// `ph`, `it`) are dropped from segment text; `hi` and `sub` text is kept.
pub fn read_tmx(text: &str) -> Result<Vec<TmxUnit>, ReadError> {
    let mut reader = Reader::from_str(text);
    let xml_error = |reader: &Reader<&[u8]>, message: String| {
        let (line, column) = position(text, reader.buffer_position() as usize);
        ReadError::Xml {
            line,
            column,
            message,
        }
    };
    let mut units = Vec::new();
    let mut unit: Option<TmxUnit> = None;
    let mut lang: Option<String> = None;
    let mut segment: Option<String> = None;
    let mut skipped_depth = 0usize;
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(&reader, e.to_string()))?;
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(xml_error(
                    &reader,
                    "a DOCTYPE is not accepted in TMX input (entity definitions are refused)"
                        .into(),
                ))
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                for attribute in e.attributes() {
                    let attribute = attribute.map_err(|err| xml_error(&reader, err.to_string()))?;
                    if attribute.value.len() > MAX_FIELD_BYTES {
                        return Err(xml_error(&reader, "attribute value over 1 MiB".into()));
                    }
                }
                let attribute = |name: &[u8]| -> Result<Option<String>, ReadError> {
                    match e
                        .try_get_attribute(name)
                        .map_err(|err| xml_error(&reader, err.to_string()))?
                    {
                        Some(a) => Ok(Some(
                            a.unescape_value()
                                .map_err(|err| xml_error(&reader, err.to_string()))?
                                .into_owned(),
                        )),
                        None => Ok(None),
                    }
                };
                match e.name().as_ref() {
                    b"tmx" => saw_root = true,
                    b"tu" if !is_empty => {
                        unit = Some(TmxUnit {
                            id: attribute(b"tuid")?,
                            segments: Vec::new(),
                        })
                    }
                    b"tuv" if !is_empty => lang = attribute(b"xml:lang")?.or(attribute(b"lang")?),
                    b"seg" if !is_empty => segment = Some(String::new()),
                    b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if !is_empty && segment.is_some() => {
                        skipped_depth += 1
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                b"seg" => {
                    if let (Some(text), Some(unit)) = (segment.take(), unit.as_mut()) {
                        let lang = lang
                            .clone()
                            .ok_or_else(|| xml_error(&reader, "<tuv> without xml:lang".into()))?;
                        unit.segments.push((lang, text));
                    }
                }
                b"tu" => units.extend(unit.take()),
                b"bpt" | b"ept" | b"ph" | b"it" | b"ut" if skipped_depth > 0 => skipped_depth -= 1,
                _ => {}
            },
            Event::Text(t) => {
                if let Some(segment) = segment.as_mut().filter(|_| skipped_depth == 0) {
                    // Only the predefined entities and character references resolve;
                    // anything else (a custom or external entity) is an error.
                    let decoded = t
                        .unescape()
                        .map_err(|err| xml_error(&reader, err.to_string()))?;
                    segment.push_str(&decoded);
                    if segment.len() > MAX_FIELD_BYTES {
                        return Err(xml_error(&reader, "segment over 1 MiB".into()));
                    }
                }
            }
            Event::CData(t) => {
                if let Some(segment) = segment.as_mut().filter(|_| skipped_depth == 0) {
                    segment.push_str(&String::from_utf8_lossy(&t));
                }
            }
            _ => {}
        }
    }
    if !saw_root {
        return Err(ReadError::Invalid(
            "not a TMX document (no <tmx> element)".into(),
        ));
    }
    Ok(units)
}

/// Text and metadata of an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HtmlPage {
    /// `<title>`, or `og:title`.
    pub title: Option<String>,
    /// `<meta name|property=... content=...>` pairs, names lowercased.
    pub meta: Vec<(String, String)>,
    /// The main text, one paragraph a line.
    pub text: String,
}

/// Extracts the main text of an HTML page: the `<article>` or `<main>` element if there
/// is one, else `<body>`, without scripts, styles, navigation, headers, footers,
/// asides and forms; block elements become lines.
pub fn read_html(html: &str) -> HtmlPage {
    use scraper::{Html, Selector};
    let document = Html::parse_document(html);
    let select = |css: &str| Selector::parse(css).ok();
    let mut page = HtmlPage::default();
    if let Some(selector) = select("meta") {
        for element in document.select(&selector) {
            let name = element
                .value()
                .attr("name")
                .or(element.value().attr("property"));
            if let (Some(name), Some(content)) = (name, element.value().attr("content")) {
                page.meta
                    .push((name.to_lowercase(), content.trim().to_string()));
            }
        }
    }
    page.title = select("title")
        .and_then(|s| document.select(&s).next())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            page.meta
                .iter()
                .find(|(n, _)| n == "og:title")
                .map(|(_, c)| c.clone())
        });
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|css| select(css))
        .find_map(|s| document.select(&s).next());
    let Some(root) = root else { return page };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    collect_text(*root, &mut current, &mut lines);
    flush(&mut current, &mut lines);
    page.text = lines.join("\n");
    page
}

fn flush(current: &mut String, lines: &mut Vec<String>) {
    let line = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !line.is_empty() {
        lines.push(line);
    }
    current.clear();
}

fn collect_text(
    node: ego_tree::NodeRef<scraper::Node>,
    current: &mut String,
    lines: &mut Vec<String>,
) {
    const SKIPPED: &[&str] = &[
        "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
        "iframe", "button", "select",
    ];
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "br",
        "tr",
        "blockquote",
        "section",
        "article",
        "figcaption",
        "pre",
        "dd",
        "dt",
    ];
    for child in node.children() {
        match child.value() {
            scraper::Node::Text(text) => current.push_str(text),
            scraper::Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(current, lines);
                }
                collect_text(child, current, lines);
                if block {
                    flush(current, lines);
                }
            }
            _ => {}
        }
    }
}

/// Plain text of a Markdown document: one line per paragraph, heading or list item.
pub fn read_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser, TagEnd};
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for event in Parser::new(markdown) {
        match event {
            Md::Text(text) | Md::Code(text) => current.push_str(&text),
            Md::SoftBreak => current.push(' '),
            Md::HardBreak => flush(&mut current, &mut lines),
            Md::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => flush(&mut current, &mut lines),
            _ => {}
        }
    }
    flush(&mut current, &mut lines);
    lines.join("\n")
}

/// One document of a JSON Lines file. Only `text` is required.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonlRecord {
    /// The document's text; paragraphs separated by newlines.
    pub text: String,
    /// `zh` or `en`; detected from the text when absent.
    pub lang: Option<String>,
    /// Records with the same `pair` value and different languages are given as each
    /// other's versions.
    pub pair: Option<String>,
    /// A stable id of the document within the file (default: its line number).
    pub id: Option<String>,
    /// Title or headline.
    pub title: Option<String>,
    /// Publisher or source.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Responsible editor.
    pub editor: Option<String>,
    /// Publication time as written.
    pub published: Option<String>,
    /// Dateline place.
    pub place: Option<String>,
    /// Address of the original.
    pub url: Option<String>,
}

/// Reads a JSON Lines file; blank lines are skipped. Returns each record with its
/// 1-based line number.
pub fn read_jsonl(text: &str) -> Result<Vec<(usize, JsonlRecord)>, ReadError> {
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: JsonlRecord = serde_json::from_str(line).map_err(|e| ReadError::Json {
            line: index + 1,
            message: e.to_string(),
        })?;
        if let Some(lang) = record
            .lang
            .as_deref()
            .filter(|l| !matches!(*l, "zh" | "en"))
        {
            return Err(ReadError::Json {
                line: index + 1,
                message: format!("lang must be \"zh\" or \"en\", not {lang:?}"),
            });
        }
        records.push((index + 1, record));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmx_units_with_inline_codes_and_entities() {
        let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
 <tu tuid="7"><tuv xml:lang="zh-CN"><seg>高水平<bpt i="1">&lt;b&gt;</bpt>对外开放<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  <tuv xml:lang="en"><seg>high-standard &amp; opening up&#x21;</seg></tuv></tu>
 <tu><tuv lang="zh"><seg><![CDATA[新质生产力]]></seg></tuv><tuv xml:lang="en-US"><seg>new quality productive forces</seg></tuv></tu>
</body></tmx>"#;
        let units = read_tmx(tmx).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].id.as_deref(), Some("7"));
        assert_eq!(
            units[0].segments,
            vec![
                ("zh-CN".to_string(), "高水平对外开放".to_string()),
                ("en".to_string(), "high-standard & opening up!".to_string())
            ]
        );
        assert_eq!(
            units[1].segments[0],
            ("zh".to_string(), "新质生产力".to_string())
        );
    }

    #[test]
    fn malformed_tmx_reports_line_and_column() {
        let error = read_tmx("<tmx version=\"1.4\"><body>\n<tu><tuv xml:lang=\"en\"><seg>open</tuv></tu></body></tmx>").unwrap_err();
        assert!(matches!(error, ReadError::Xml { line: 2, .. }), "{error}");
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><tmx><body><tu><tuv xml:lang=\"en\"><seg>&lol2;</seg></tuv></tu></body></tmx>";
        assert!(matches!(read_tmx(bomb), Err(ReadError::Xml { .. })));
        let external =
            "<tmx><body><tu><tuv xml:lang=\"en\"><seg>&xxe;</seg></tuv></tu></body></tmx>";
        let error = read_tmx(external).unwrap_err().to_string();
        assert!(error.contains("xxe"), "{error}");
        assert!(matches!(
            read_tmx("<html></html>"),
            Err(ReadError::Invalid(_))
        ));
    }

    #[test]
    fn html_main_text() {
        let html = r#"<html><head><title>大运河文化节开幕</title><meta name="author" content="李明"><script>var x = "<p>no</p>";</script></head>
<body><nav><a href="/">首页</a> | <a>新闻</a></nav><article><h1>大运河文化节开幕</h1><p>第十届大运河文化节在杭州开幕。</p><div class="ad"><p>大运河全长约三千二百公里。</p></div><footer>版权所有</footer></article><aside>热门</aside></body></html>"#;
        let page = read_html(html);
        assert_eq!(page.title.as_deref(), Some("大运河文化节开幕"));
        assert_eq!(
            page.text,
            "大运河文化节开幕\n第十届大运河文化节在杭州开幕。\n大运河全长约三千二百公里。"
        );
        assert!(page
            .meta
            .contains(&("author".to_string(), "李明".to_string())));
    }

    #[test]
    fn markdown_text() {
        assert_eq!(
            read_markdown(
                "# Canal festival\n\nThe festival *opened*\nin Hangzhou.\n\n- one\n- two\n"
            ),
            "Canal festival\nThe festival opened in Hangzhou.\none\ntwo"
        );
    }

    #[test]
    fn jsonl_records() {
        let text = "{\"text\": \"你好。\", \"lang\": \"zh\", \"pair\": \"p1\"}\n\n{\"text\": \"Hello.\", \"pair\": \"p1\", \"source\": \"Xinhua\"}\n";
        let records = read_jsonl(text).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].0, 3);
        assert_eq!(records[1].1.source.as_deref(), Some("Xinhua"));
        assert!(matches!(
            read_jsonl("{\"txt\": 1}"),
            Err(ReadError::Json { line: 1, .. })
        ));
        assert!(matches!(
            read_jsonl("{\"text\": \"x\", \"lang\": \"fr\"}"),
            Err(ReadError::Json { line: 1, .. })
        ));
    }
}
