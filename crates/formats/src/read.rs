//! Readers of input formats: HTML, Markdown and JSON Lines, and what every reader shares. They take decoded
//! text and return plain records; they do no I/O and never expand XML entities beyond
//! the five predefined ones and character references.

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

/// Longest attribute value or segment accepted, in bytes: a safeguard against
/// hostile files, far above any real segment.
pub(crate) const MAX_FIELD_BYTES: usize = 1 << 20;

/// Most attributes one XML element may have. Checking attribute names for duplicates
/// costs the square of their number; no real TMX, TBX or XLIFF element has more than
/// a dozen.
pub(crate) const MAX_ATTRIBUTES: usize = 256;

/// Deepest element nesting accepted in XML input.
pub(crate) const MAX_XML_DEPTH: usize = 128;

/// The attributes of an element, names and unescaped values, after its number and
/// sizes have been checked; `fail` turns a message into a positioned error.
pub(crate) fn element_attributes(
    element: &quick_xml::events::BytesStart,
    fail: &dyn Fn(String) -> ReadError,
) -> Result<Vec<(String, String)>, ReadError> {
    let count = element.attributes().with_checks(false).count();
    if count > MAX_ATTRIBUTES {
        return Err(fail(format!(
            "an element with {count} attributes (at most {MAX_ATTRIBUTES} are accepted)"
        )));
    }
    let mut attributes = Vec::with_capacity(count);
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|err| fail(err.to_string()))?;
        if attribute.value.len() > MAX_FIELD_BYTES {
            return Err(fail("attribute value over 1 MiB".into()));
        }
        let value = attribute
            .unescape_value()
            .map_err(|err| fail(err.to_string()))?
            .into_owned();
        attributes.push((
            String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
            value,
        ));
    }
    Ok(attributes)
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

/// Deepest element nesting an HTML page may have (browsers stop nesting at 512; real
/// article pages stay below 100). The HTML parser's work per tag grows with the depth
/// of open elements, so a page of nothing but unclosed `<div>`s costs the square of
/// its length; the depth and the sum of depths over all tags are both bounded.
pub const MAX_HTML_DEPTH: usize = 256;

/// Extracts the main text of an HTML page: the `<article>` or `<main>` element if there
/// is one, else `<body>`, without scripts, styles, navigation, headers, footers,
/// asides and forms; block elements become lines. A page nested deeper than
/// [`MAX_HTML_DEPTH`] elements is refused.
pub fn read_html(html: &str) -> Result<HtmlPage, ReadError> {
    use scraper::{Html, Selector};
    if let Some(excess) = excessive_nesting(html) {
        let (offset, what) = match excess {
            Nesting::TooDeep(offset) => (
                offset,
                format!("elements nested deeper than {MAX_HTML_DEPTH} (unclosed or runaway tags)"),
            ),
            Nesting::TooMuch(offset) => (
                offset,
                "so many tags this deep that reading them would take minutes (unclosed or runaway tags)".to_string(),
            ),
        };
        let (line, column) = position(html, offset);
        return Err(ReadError::Invalid(format!(
            "line {line}, column {column}: {what}; not a page Tongwen can read"
        )));
    }
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
    let Some(root) = root else { return Ok(page) };
    page.text = main_text(*root);
    Ok(page)
}

/// The HTML parser's work on a page: per start tag, about the depth of the elements
/// open around it. Real pages (ten thousand tags some thirty deep) stay a hundred
/// times below this; a page above it is tags piled on unclosed tags.
const MAX_NESTING_WORK: usize = 20_000_000;

/// How a page's nesting is too much, at which byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// A start tag nesting deeper than [`MAX_HTML_DEPTH`].
    TooDeep(usize),
    /// The start tag at which the nesting work passes [`MAX_NESTING_WORK`].
    TooMuch(usize),
}

/// Where a page nests too deep or too much, counting elements as the HTML parser
/// would open them: void and self-closed elements, and those whose end the parser
/// implies (`p`, `li`, table cells and rows…), do not deepen; an end tag closes up to
/// the element it names; comments, declarations and raw text (`script`, `style`,
/// `textarea`, `title`) are skipped.
fn excessive_nesting(html: &str) -> Option<Nesting> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr",
    ];
    const IMPLIED_END: &[&str] = &[
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
        "colgroup", "caption", "rb", "rt", "rtc", "rp",
    ];
    const RAW_TEXT: &[&str] = &[
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "plaintext",
    ];
    let bytes = html.as_bytes();
    let find = |from: usize, needle: &[u8]| -> Option<usize> {
        bytes
            .get(from..)?
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| from + p)
    };
    let name_at = |from: usize| -> (String, usize) {
        let end = bytes[from..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_')))
            .map_or(bytes.len(), |p| from + p);
        (html[from..end].to_ascii_lowercase(), end)
    };
    let mut open: Vec<String> = Vec::new();
    let mut work = 0usize;
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        let lt = at + found;
        let next = bytes.get(lt + 1).copied().unwrap_or(0);
        if bytes[lt..].starts_with(b"<!--") {
            at = find(lt + 4, b"-->").map_or(bytes.len(), |p| p + 3);
        } else if next == b'!' || next == b'?' {
            at = find(lt + 2, b">").map_or(bytes.len(), |p| p + 1);
        } else if next == b'/' {
            let (name, end) = name_at(lt + 2);
            if let Some(k) = open.iter().rposition(|n| *n == name) {
                open.truncate(k);
            }
            at = find(end, b">").map_or(bytes.len(), |p| p + 1);
        } else if next.is_ascii_alphabetic() {
            let (name, mut end) = name_at(lt + 1);
            // The tag ends at the first `>` outside a quoted attribute value.
            let mut quote = None;
            while end < bytes.len() {
                match (quote, bytes[end]) {
                    (None, b'>') => break,
                    (None, q @ (b'"' | b'\'')) => quote = Some(q),
                    (Some(q), b) if b == q => quote = None,
                    _ => {}
                }
                end += 1;
            }
            let self_closed = end > 0 && bytes.get(end - 1) == Some(&b'/');
            at = (end + 1).min(bytes.len());
            work += open.len();
            if work > MAX_NESTING_WORK {
                return Some(Nesting::TooMuch(lt));
            }
            if RAW_TEXT.contains(&name.as_str()) {
                let closing = format!("</{name}");
                at = find(at, closing.as_bytes()).unwrap_or(bytes.len());
            } else if !(self_closed
                || VOID.contains(&name.as_str())
                || IMPLIED_END.contains(&name.as_str()))
            {
                open.push(name);
                if open.len() > MAX_HTML_DEPTH {
                    return Some(Nesting::TooDeep(lt));
                }
            }
        } else {
            at = lt + 1;
        }
    }
    None
}

/// The text under `root`, a line per block element, walked with an explicit stack so
/// that no nesting can exhaust the call stack.
fn main_text(root: ego_tree::NodeRef<scraper::Node>) -> String {
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
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, scraper::Node>),
        /// The end of a block element: its text is a line of its own.
        EndBlock,
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut steps: Vec<Step> = root.children().rev().map(Step::Enter).collect();
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::EndBlock => {
                flush(&mut current, &mut lines);
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            scraper::Node::Text(text) => current.push_str(text),
            scraper::Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    flush(&mut current, &mut lines);
                    steps.push(Step::EndBlock);
                }
                steps.extend(node.children().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
    flush(&mut current, &mut lines);
    lines.join("\n")
}

fn flush(current: &mut String, lines: &mut Vec<String>) {
    let line = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !line.is_empty() {
        lines.push(line);
    }
    current.clear();
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

/// Reads a JSON Lines file; blank lines are skipped. Returns each record, or why it
/// is not one, with its 1-based line number: one bad line does not spoil the others.
pub fn read_jsonl(text: &str) -> Vec<(usize, Result<JsonlRecord, ReadError>)> {
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |message: String| ReadError::Json {
            line: index + 1,
            message,
        };
        let record = serde_json::from_str::<JsonlRecord>(line)
            .map_err(|e| fail(e.to_string()))
            .and_then(|record| match record.lang.as_deref() {
                Some(lang) if !matches!(lang, "zh" | "en") => {
                    Err(fail(format!("lang must be \"zh\" or \"en\", not {lang:?}")))
                }
                _ => Ok(record),
            });
        records.push((index + 1, record));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_main_text() {
        let html = r#"<html><head><title>大运河文化节开幕</title><meta name="author" content="李明"><script>var x = "<p>no</p>";</script></head>
<body><nav><a href="/">首页</a> | <a>新闻</a></nav><article><h1>大运河文化节开幕</h1><p>第十届大运河文化节在杭州开幕。</p><div class="ad"><p>大运河全长约三千二百公里。</p></div><footer>版权所有</footer></article><aside>热门</aside></body></html>"#;
        let page = read_html(html).unwrap();
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
        let records = read_jsonl(text);
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].0, 3);
        let second = records[1].1.as_ref().unwrap();
        assert_eq!(second.source.as_deref(), Some("Xinhua"));
        let bad =
            read_jsonl("{\"txt\": 1}\n{\"text\": \"x\", \"lang\": \"fr\"}\n{\"text\": \"ok\"}");
        assert!(matches!(bad[0].1, Err(ReadError::Json { line: 1, .. })));
        assert!(matches!(bad[1].1, Err(ReadError::Json { line: 2, .. })));
        assert!(bad[2].1.is_ok(), "a bad line leaves the next one readable");
    }
}
