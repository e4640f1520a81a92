//! XML for every interchange format Tongwen reads: [`decode_xml`] (the byte order
//! mark, else the declared encoding, else UTF-8), [`Events`] (a stream under one set
//! of rules: a DOCTYPE accepted unless it declares entities, no entity expansion,
//! bounded nesting, attribute and text sizes, truncation refused, every error with
//! its line and column), [`parse`], a small tree for the files read whole (XLIFF),
//! and [`for_each_part`], a tree per entry for files read entry by entry (TBX).

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::read::{element_attributes, position, ReadError, MAX_FIELD_BYTES, MAX_XML_DEPTH};

/// An element: its qualified name, attributes, children and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The name as written (`xml:lang` style prefixes kept).
    pub name: String,
    /// Attributes in order, values unescaped.
    pub attributes: Vec<(String, String)>,
    /// Child nodes in order.
    pub children: Vec<Node>,
    /// 1-based line of the start tag.
    pub line: usize,
    /// 1-based column of the start tag.
    pub column: usize,
}

/// A child node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Text (entities and character references resolved, CDATA as is).
    Text(String),
}

impl Element {
    /// The name without a namespace prefix.
    pub fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// An attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this local name.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| e.local_name() == local)
    }

    /// All text inside, in document order, skipping the content of elements whose
    /// local name is in `skip`.
    pub fn text_skipping(&self, skip: &[&str]) -> String {
        let mut out = String::new();
        self.collect_text(skip, &mut out);
        out
    }

    /// All text inside.
    pub fn text(&self) -> String {
        self.text_skipping(&[])
    }

    fn collect_text(&self, skip: &[&str], out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) if !skip.contains(&e.local_name()) => e.collect_text(skip, out),
                Node::Element(_) => {}
            }
        }
    }

    /// Whether any child is an element.
    pub fn has_element_children(&self) -> bool {
        self.elements().next().is_some()
    }

    /// The children written back as XML markup.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            write_node(node, &mut out);
        }
        out
    }

    /// A "line L, column C" error at this element.
    pub fn error(&self, message: impl Into<String>) -> ReadError {
        ReadError::Xml {
            line: self.line,
            column: self.column,
            message: message.into(),
        }
    }
}

/// Writes `element` as XML markup.
pub fn write_element(e: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (name, value) in &e.attributes {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&quick_xml::escape::escape(value.as_str()));
        out.push('"');
    }
    if e.children.is_empty() {
        out.push_str("/>");
    } else {
        out.push('>');
        for child in &e.children {
            write_node(child, out);
        }
        out.push_str("</");
        out.push_str(&e.name);
        out.push('>');
    }
}

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(&quick_xml::escape::escape(t.as_str())),
        Node::Element(e) => write_element(e, out),
    }
}

/// One event of an XML document, as [`Events`] yields it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlEvent {
    /// A start tag, as an element without children yet (attributes unescaped, with
    /// its position); `empty` for `<x/>`, which has no content and no end event.
    Start {
        /// The element.
        element: Element,
        /// A self-closing tag.
        empty: bool,
    },
    /// An end tag.
    End,
    /// Text: entities and character references resolved, CDATA as is.
    Text(String),
}

/// The one way into XML for every format Tongwen reads (TMX, TBX, XLIFF): a stream of
/// events under the same rules. A DOCTYPE is accepted (and its external DTD never
/// read) unless it declares entities, which are refused, so no entity is ever
/// expanded beyond the five predefined ones and character references; nesting,
/// attributes and text are bounded; a document that ends inside an element is
/// refused as truncated; every error has its line and column.
pub struct Events<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    what: &'static str,
    /// Open elements, with where they start.
    open: Vec<(String, u64)>,
    saw_root: bool,
    done: bool,
    /// The last position reported (byte offset, line, column): start tags come in
    /// document order, so each position is counted on from the one before, and a
    /// document costs one pass however many elements it has.
    cursor: (usize, usize, usize),
}

impl<'a> Events<'a> {
    /// Events of the decoded document `text`; `what` names the format in messages.
    pub fn new(text: &'a str, what: &'static str) -> Events<'a> {
        Events {
            reader: Reader::from_str(text),
            text,
            what,
            open: Vec::new(),
            saw_root: false,
            done: false,
            cursor: (0, 1, 1),
        }
    }

    /// Line and column of `offset`, not before the last one asked for.
    fn advance_to(&mut self, offset: usize) -> (usize, usize) {
        let (from, mut line, mut column) = self.cursor;
        if offset < from {
            return position(self.text, offset);
        }
        let mut end = offset.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        for c in self.text[from..end].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        self.cursor = (end, line, column);
        (line, column)
    }

    fn error_at(&self, offset: u64, message: String) -> ReadError {
        let (line, column) = position(self.text, offset as usize);
        ReadError::Xml {
            line,
            column,
            message,
        }
    }

    /// Elements open around the current position (the root first).
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The next event, `None` at the end of a complete document.
    pub fn next_event(&mut self) -> Result<Option<XmlEvent>, ReadError> {
        loop {
            if self.done {
                return Ok(None);
            }
            let start = self.reader.buffer_position();
            let event = self
                .reader
                .read_event()
                .map_err(|e| self.error_at(self.reader.buffer_position(), e.to_string()))?;
            match event {
                Event::Eof => {
                    self.done = true;
                    if let Some((name, at)) = self.open.last() {
                        return Err(self.error_at(
                            *at,
                            format!(
                                "the file ends inside <{name}> opened here: it is truncated or damaged"
                            ),
                        ));
                    }
                    return Ok(None);
                }
                // The external DTD (tmx14.dtd, TBXcoreStructV02.dtd…) is a file name,
                // never fetched; only entity declarations could change what the
                // document says.
                Event::DocType(doctype)
                    if String::from_utf8_lossy(&doctype).contains("<!ENTITY") =>
                {
                    return Err(self.error_at(
                        start,
                        format!(
                            "the DOCTYPE declares entities, which {} input may not use (refused, never expanded)",
                            self.what
                        ),
                    ));
                }
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    if self.saw_root && self.open.is_empty() {
                        return Err(self.error_at(start, "content after the root element".into()));
                    }
                    self.saw_root = true;
                    let attributes = element_attributes(e, &|m| self.error_at(start, m))?;
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    if !empty {
                        if self.open.len() >= MAX_XML_DEPTH {
                            return Err(self.error_at(
                                start,
                                format!("elements nested deeper than {MAX_XML_DEPTH}"),
                            ));
                        }
                        self.open.push((name.clone(), start));
                    }
                    let (line, column) = self.advance_to(start as usize);
                    return Ok(Some(XmlEvent::Start {
                        element: Element {
                            name,
                            attributes,
                            children: Vec::new(),
                            line,
                            column,
                        },
                        empty,
                    }));
                }
                Event::End(_) => {
                    if self.open.pop().is_none() {
                        return Err(
                            self.error_at(start, "closing tag without an opening one".into())
                        );
                    }
                    return Ok(Some(XmlEvent::End));
                }
                Event::Text(t) => {
                    // Only the predefined entities and character references resolve; a
                    // custom or external entity is an error.
                    let decoded = t
                        .unescape()
                        .map_err(|err| self.error_at(start, err.to_string()))?;
                    if decoded.len() > MAX_FIELD_BYTES {
                        return Err(self.error_at(start, "text over 1 MiB".into()));
                    }
                    if self.open.is_empty() {
                        if decoded.trim().is_empty() {
                            continue;
                        }
                        return Err(self.error_at(start, "text outside the root element".into()));
                    }
                    return Ok(Some(XmlEvent::Text(decoded.into_owned())));
                }
                Event::CData(t) => {
                    if t.len() > MAX_FIELD_BYTES {
                        return Err(self.error_at(start, "text over 1 MiB".into()));
                    }
                    if !self.open.is_empty() {
                        return Ok(Some(XmlEvent::Text(
                            String::from_utf8_lossy(&t).into_owned(),
                        )));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Parses a whole document into its root element. `what` names the format in
/// messages ("TBX", "XLIFF").
pub fn parse(text: &str, what: &'static str) -> Result<Element, ReadError> {
    let mut events = Events::new(text, what);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let close = |element: Element, stack: &mut Vec<Element>, root: &mut Option<Element>| match stack
        .last_mut()
    {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    };
    while let Some(event) = events.next_event()? {
        match event {
            XmlEvent::Start { element, empty } => {
                if empty {
                    close(element, &mut stack, &mut root);
                } else {
                    stack.push(element);
                }
            }
            XmlEvent::End => {
                if let Some(element) = stack.pop() {
                    close(element, &mut stack, &mut root);
                }
            }
            XmlEvent::Text(text) => {
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Text(text));
                }
            }
        }
    }
    root.ok_or_else(|| ReadError::Invalid(format!("not a {what} document: no root element")))
}

/// What [`for_each_part`] calls with each part: the ancestors' local names and the
/// part.
pub type PartVisitor<'a> = dyn FnMut(&[String], Element) -> Result<(), ReadError> + 'a;

/// Reads a document one part at a time, so that a file of a hundred thousand
/// entries never stands in memory as one tree. The root and the elements named in
/// `containers` (`text`, `body`) are opened but not built: `visit` gets the root
/// first, without children, then every other element whose parent is the root or a
/// container, built whole, with the local names of its ancestors. Returns the
/// containers opened, as paths of local names (`martif/text/body`).
pub fn for_each_part(
    text: &str,
    what: &'static str,
    containers: &[&str],
    visit: &mut PartVisitor,
) -> Result<Vec<String>, ReadError> {
    let mut opened = Vec::new();
    let mut events = Events::new(text, what);
    // The open containers (the root first), by local name.
    let mut open: Vec<String> = Vec::new();
    // The part being built, innermost element last.
    let mut building: Vec<Element> = Vec::new();
    let mut saw_root = false;
    while let Some(event) = events.next_event()? {
        match event {
            XmlEvent::Start { element, empty } => {
                let local = element.local_name().to_string();
                if !saw_root {
                    saw_root = true;
                    visit(&open, element)?;
                    if !empty {
                        open.push(local);
                    }
                } else if building.is_empty() && containers.contains(&local.as_str()) && !empty {
                    open.push(local);
                    opened.push(open.join("/"));
                } else if empty {
                    match building.last_mut() {
                        Some(parent) => parent.children.push(Node::Element(element)),
                        None => visit(&open, element)?,
                    }
                } else {
                    building.push(element);
                }
            }
            XmlEvent::End => match building.pop() {
                Some(done) => match building.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => visit(&open, done)?,
                },
                None => {
                    open.pop();
                }
            },
            XmlEvent::Text(text) => {
                if let Some(parent) = building.last_mut() {
                    parent.children.push(Node::Text(text));
                }
            }
        }
    }
    if !saw_root {
        return Err(ReadError::Invalid(format!(
            "not a {what} document: no root element"
        )));
    }
    Ok(opened)
}

/// Decodes the bytes of an XML document: by its byte order mark, else by the
/// `encoding` its declaration names (any encoding encoding_rs knows: windows-125x,
/// ISO-8859-x, UTF-16, GB18030, GBK, Big5, Shift_JIS…), else as UTF-8, as XML
/// requires. Bytes the encoding cannot read are refused with their line, never
/// replaced.
pub fn decode_xml(bytes: &[u8]) -> Result<String, ReadError> {
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => (declared_encoding(bytes)?, bytes),
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() + body.len() / 2);
    let mut read = 0;
    loop {
        text.reserve(
            decoder
                .max_utf8_buffer_length(body.len() - read)
                .unwrap_or(16),
        );
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(&body[read..], &mut text, true);
        read += consumed;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(text),
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(_, _) => {
                let line = text.matches('\n').count() + 1;
                return Err(ReadError::Invalid(format!(
                    "line {line}: bytes that are not {} (byte {} of the file); the file is not in the encoding it {}",
                    encoding.name(),
                    read + (bytes.len() - body.len()),
                    if declared_label(bytes).is_some() { "declares" } else { "must have without a declaration (UTF-8)" }
                )));
            }
        }
    }
}

/// The `encoding` of an XML declaration at the start of `bytes`, if any (in an
/// ASCII-compatible encoding, or UTF-16 without a byte order mark).
fn declared_label(bytes: &[u8]) -> Option<String> {
    let head: Vec<u8> = match bytes {
        [b'<', 0, b'?', 0, ..] => bytes.iter().step_by(2).take(200).copied().collect(),
        [0, b'<', 0, b'?', ..] => bytes.iter().skip(1).step_by(2).take(200).copied().collect(),
        _ => bytes.iter().take(200).copied().collect(),
    };
    let head = String::from_utf8_lossy(&head);
    let declaration = head.strip_prefix("<?xml")?.split("?>").next()?;
    let after = declaration
        .split("encoding")
        .nth(1)?
        .trim_start()
        .strip_prefix('=')?;
    let after = after.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    Some(after[1..].split(quote).next()?.trim().to_string())
}

/// The encoding `bytes` declare, UTF-16 by their first characters, else UTF-8.
fn declared_encoding(bytes: &[u8]) -> Result<&'static encoding_rs::Encoding, ReadError> {
    let utf16 = match bytes {
        [b'<', 0, b'?', 0, ..] => Some(encoding_rs::UTF_16LE),
        [0, b'<', 0, b'?', ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    match (declared_label(bytes), utf16) {
        (_, Some(utf16)) => Ok(utf16),
        (Some(label), None) => {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ReadError::Invalid(format!(
                    "the XML declaration names an unknown encoding \"{label}\""
                ))
            })?;
            // A declaration read as ASCII cannot name UTF-16 truthfully: the bytes
            // would have shown it.
            if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                return Ok(encoding_rs::UTF_8);
            }
            Ok(encoding)
        }
        (None, None) => Ok(encoding_rs::UTF_8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_positions_and_text() {
        let root = parse(
            "<a x=\"1 &amp; 2\">\n  <b>one <i>two</i></b><c/>\n</a>",
            "test",
        )
        .unwrap();
        assert_eq!(root.attribute("x"), Some("1 & 2"));
        let b = root.child("b").unwrap();
        assert_eq!((b.line, b.column), (2, 3));
        assert_eq!(b.text(), "one two");
        assert_eq!(b.text_skipping(&["i"]), "one ");
        assert_eq!(b.inner_xml(), "one <i>two</i>");
    }

    #[test]
    fn refuses_what_a_hostile_file_tries() {
        let cases = [
            (
                "<!DOCTYPE a [<!ENTITY x \"xx\">]><a>&x;</a>",
                "declares entities",
            ),
            ("<!DOCTYPE a SYSTEM \"x.dtd\"><a>&x;</a>", "x"),
            ("<a><b></a>", "line 1"),
            ("<a><b>", "truncated"),
            ("<a>&undefined;</a>", "line 1"),
            ("<a/><b/>", "after the root"),
        ];
        for (text, expected) in cases {
            let error = parse(text, "test").unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        assert!(parse(&deep, "test")
            .unwrap_err()
            .to_string()
            .contains("nested"));
        let huge = format!("<a v=\"{}\"/>", "x".repeat(MAX_FIELD_BYTES + 1));
        assert!(parse(&huge, "test")
            .unwrap_err()
            .to_string()
            .contains("1 MiB"));
    }
}
