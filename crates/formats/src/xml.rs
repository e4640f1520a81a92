//! A small, defensive XML tree for the interchange files Tongwen reads whole (TBX,
//! XLIFF): no DOCTYPE (so no entity definitions, internal or external, and no entity
//! expansion), bounded nesting, attribute and text sizes, and every error with its
//! line and column.

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

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(&quick_xml::escape::escape(t.as_str())),
        Node::Element(e) => {
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
    }
}

/// Parses a whole document into its root element. `what` names the format in
/// messages ("TBX", "XLIFF").
pub fn parse(text: &str, what: &str) -> Result<Element, ReadError> {
    let mut reader = Reader::from_str(text);
    let at = |offset: u64, message: String| {
        let (line, column) = position(text, offset as usize);
        ReadError::Xml {
            line,
            column,
            message,
        }
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| at(reader.buffer_position(), e.to_string()))?;
        let start_element = |e: &quick_xml::events::BytesStart| -> Result<Element, ReadError> {
            let attributes = element_attributes(e, &|message| at(start, message))?;
            let (line, column) = position(text, start as usize);
            Ok(Element {
                name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                attributes,
                children: Vec::new(),
                line,
                column,
            })
        };
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(at(
                    start,
                    format!(
                    "a DOCTYPE is not accepted in {what} input (entity definitions are refused)"
                ),
                ))
            }
            Event::Start(ref e) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(at(
                        start,
                        format!("elements nested deeper than {MAX_XML_DEPTH}"),
                    ));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(at(start, "content after the root element".into()));
                }
                stack.push(start_element(e)?);
            }
            Event::Empty(ref e) => {
                let element = start_element(e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None if root.is_none() => root = Some(element),
                    None => return Err(at(start, "content after the root element".into())),
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| at(start, "closing tag without an opening one".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(element)),
                    None => root = Some(element),
                }
            }
            Event::Text(t) => {
                // Only the predefined entities and character references resolve; a
                // custom or external entity is an error.
                let decoded = t.unescape().map_err(|err| at(start, err.to_string()))?;
                if decoded.len() > MAX_FIELD_BYTES {
                    return Err(at(start, "text over 1 MiB".into()));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Text(decoded.into_owned())),
                    None if decoded.trim().is_empty() => {}
                    None => return Err(at(start, "text outside the root element".into())),
                }
            }
            Event::CData(t) => {
                if let Some(parent) = stack.last_mut() {
                    parent
                        .children
                        .push(Node::Text(String::from_utf8_lossy(&t).into_owned()));
                }
            }
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ReadError::Xml {
            line: open.line,
            column: open.column,
            message: format!("<{}> is never closed", open.name),
        });
    }
    root.ok_or_else(|| ReadError::Invalid(format!("not a {what} document: no root element")))
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
            ("<!DOCTYPE a [<!ENTITY x \"xx\">]><a>&x;</a>", "DOCTYPE"),
            ("<a><b></a>", "line 1"),
            ("<a><b>", "never closed"),
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
