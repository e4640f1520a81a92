//! XLIFF 1.2 and 2.x, read for checking: the segments of every unit with their ids,
//! source and target text. Inline codes are dropped (1.2 `ph`, `bpt`, `ept`, `it`
//! carry native code; the text of a `<sub>` inside one is kept); wrapping elements (`g`, `mrk`, `pc`) keep their text; a 2.x
//! `<cp hex="…"/>` is its character. Units marked `translate="no"` (or inside a file
//! or group so marked) are not read; trans-units inside a 1.2 `<bin-unit>` are.
//! When a document has several files (Xcode writes one per source file), segment ids
//! begin with the file's (`id` in 2.x, `original` in 1.2): `Main.strings/u7/2`.

use crate::read::ReadError;
use crate::xml::{self, Element, Node};

/// One segment to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffSegment {
    /// The unit id, with the segment id after a slash when a unit has segments of
    /// its own (`u7/2`), and the file's before it when the document has several
    /// (`f2/u7/2`).
    pub id: String,
    /// Source text.
    pub source: String,
    /// Target text; `None` when the unit has no target.
    pub target: Option<String>,
    /// 1-based line of the unit in the file.
    pub line: usize,
}

/// The segments of an XLIFF document and its declared languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XliffDocument {
    /// Source language (`srcLang` or `source-language`).
    pub source_lang: Option<String>,
    /// Target language.
    pub target_lang: Option<String>,
    /// Segments in document order.
    pub segments: Vec<XliffSegment>,
}

fn inline_text(element: &Element) -> String {
    let mut out = String::new();
    collect(element, &mut out);
    out
}

fn collect(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => match e.local_name() {
                // Native code, not text; a `<sub>` inside is translatable text.
                "ph" | "bpt" | "ept" | "it" => {
                    for sub in e.elements().filter(|s| s.local_name() == "sub") {
                        collect(sub, out);
                    }
                }
                "cp" => {
                    if let Some(c) = e
                        .attribute("hex")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                    {
                        out.push(c);
                    }
                }
                _ => collect(e, out),
            },
        }
    }
}

/// Reads an XLIFF 1.2 or 2.x document.
pub fn read_xliff(text: &str) -> Result<XliffDocument, ReadError> {
    let root = xml::parse(text, "XLIFF")?;
    if root.local_name() != "xliff" {
        return Err(root.error(format!(
            "not an XLIFF document: the root is <{}>",
            root.name
        )));
    }
    let version = root.attribute("version").unwrap_or("1.2");
    let mut document = XliffDocument::default();
    let files: Vec<&Element> = root
        .elements()
        .filter(|e| e.local_name() == "file")
        .collect();
    let several = files.len() > 1;
    let file_prefix = |file: &Element, k: usize, name: &str| {
        if several {
            format!(
                "{}/",
                file.attribute(name)
                    .map_or_else(|| format!("file{}", k + 1), str::to_string)
            )
        } else {
            String::new()
        }
    };
    if version.starts_with('1') {
        for (k, file) in files.iter().enumerate() {
            document.source_lang = document
                .source_lang
                .or(file.attribute("source-language").map(str::to_string));
            document.target_lang = document
                .target_lang
                .or(file.attribute("target-language").map(str::to_string));
            let body = file
                .child("body")
                .ok_or_else(|| file.error("<file> without <body>"))?;
            if !is_untranslatable(file) {
                read_units_12(
                    body,
                    &file_prefix(file, k, "original"),
                    &mut document.segments,
                )?;
            }
        }
    } else if version.starts_with('2') {
        document.source_lang = root.attribute("srcLang").map(str::to_string);
        document.target_lang = root.attribute("trgLang").map(str::to_string);
        for (k, file) in files.iter().enumerate() {
            if !is_untranslatable(file) {
                read_units_20(file, &file_prefix(file, k, "id"), &mut document.segments)?;
            }
        }
    } else {
        return Err(root.error(format!(
            "XLIFF version {version} is not supported (1.2 and 2.x are)"
        )));
    }
    Ok(document)
}

/// `translate="no"`: the element's text is not to be translated, so not checked.
fn is_untranslatable(element: &Element) -> bool {
    element.attribute("translate") == Some("no")
}

fn read_units_12(
    parent: &Element,
    prefix: &str,
    out: &mut Vec<XliffSegment>,
) -> Result<(), ReadError> {
    for element in parent.elements() {
        if is_untranslatable(element) {
            continue;
        }
        match element.local_name() {
            // A binary unit's translatable text is in trans-units of its own.
            "group" | "bin-unit" => read_units_12(element, prefix, out)?,
            "trans-unit" => {
                let id = element
                    .attribute("id")
                    .ok_or_else(|| element.error("<trans-unit> without id"))?;
                let id = format!("{prefix}{id}");
                let source = element
                    .child("source")
                    .ok_or_else(|| element.error(format!("trans-unit {id} has no <source>")))?;
                let target = element.child("target");
                // Segmented units mark each segment with <mrk mtype="seg" mid="…">.
                let segmented: Vec<&Element> = element
                    .child("seg-source")
                    .map(|s| marks(s))
                    .unwrap_or_default();
                if segmented.is_empty() {
                    out.push(XliffSegment {
                        id: id.clone(),
                        source: inline_text(source),
                        target: target.map(inline_text),
                        line: element.line,
                    });
                } else {
                    let target_marks: Vec<&Element> = target.map(marks).unwrap_or_default();
                    for mark in segmented {
                        let mid = mark.attribute("mid").unwrap_or_default();
                        out.push(XliffSegment {
                            id: format!("{id}/{mid}"),
                            source: inline_text(mark),
                            target: target_marks
                                .iter()
                                .find(|m| m.attribute("mid") == Some(mid))
                                .map(|m| inline_text(m)),
                            line: mark.line,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn marks(element: &Element) -> Vec<&Element> {
    let mut found = Vec::new();
    for child in element.elements() {
        if child.local_name() == "mrk" && child.attribute("mtype") == Some("seg") {
            found.push(child);
        } else {
            found.extend(marks(child));
        }
    }
    found
}

fn read_units_20(
    parent: &Element,
    prefix: &str,
    out: &mut Vec<XliffSegment>,
) -> Result<(), ReadError> {
    for element in parent.elements() {
        if is_untranslatable(element) {
            continue;
        }
        match element.local_name() {
            "group" => read_units_20(element, prefix, out)?,
            "unit" => {
                let id = element
                    .attribute("id")
                    .ok_or_else(|| element.error("<unit> without id"))?;
                let id = format!("{prefix}{id}");
                let segments: Vec<&Element> = element
                    .elements()
                    .filter(|e| e.local_name() == "segment")
                    .collect();
                for (k, segment) in segments.iter().enumerate() {
                    let source = segment.child("source").ok_or_else(|| {
                        segment.error(format!("a segment of unit {id} has no <source>"))
                    })?;
                    let segment_id = match (segment.attribute("id"), segments.len()) {
                        (Some(s), _) => format!("{id}/{s}"),
                        (None, 1) => id.clone(),
                        (None, _) => format!("{id}/{}", k + 1),
                    };
                    out.push(XliffSegment {
                        id: segment_id,
                        source: inline_text(source),
                        target: segment.child("target").map(inline_text),
                        line: segment.line,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xliff_12_units_and_marked_segments() {
        let text = r#"<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="zh-CN" target-language="en-US" datatype="plaintext" original="a.txt">
    <body>
      <group id="g">
        <trans-unit id="1"><source>他说<ph id="p">&lt;b&gt;</ph>好。</source><target>He said <g id="x">yes</g>.</target></trans-unit>
      </group>
      <trans-unit id="2"><source>无译文。</source></trans-unit>
      <trans-unit id="3"><source>一。二。</source>
        <seg-source><mrk mtype="seg" mid="a">一。</mrk><mrk mtype="seg" mid="b">二。</mrk></seg-source>
        <target><mrk mtype="seg" mid="a">One.</mrk><mrk mtype="seg" mid="b">Two.</mrk></target>
      </trans-unit>
    </body>
  </file>
</xliff>"#;
        let document = read_xliff(text).unwrap();
        assert_eq!(document.source_lang.as_deref(), Some("zh-CN"));
        let ids: Vec<&str> = document.segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3/a", "3/b"]);
        assert_eq!(document.segments[0].source, "他说好。");
        assert_eq!(document.segments[0].target.as_deref(), Some("He said yes."));
        assert_eq!(document.segments[1].target, None);
        assert_eq!(document.segments[3].target.as_deref(), Some("Two."));
    }

    #[test]
    fn xliff_2_units_and_segments() {
        let text = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="zh" trgLang="en">
  <file id="f1">
    <unit id="u1"><segment><source>四十<ph id="1"/>年</source><target>forty<cp hex="00A0"/>years</target></segment></unit>
    <group id="g"><unit id="u2">
      <segment id="s1"><source>一。</source><target><pc id="b">One</pc>.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2"><source>二。</source><target/></segment>
    </unit></group>
  </file>
</xliff>"#;
        let document = read_xliff(text).unwrap();
        let ids: Vec<&str> = document.segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["u1", "u2/s1", "u2/s2"]);
        assert_eq!(
            document.segments[0].target.as_deref(),
            Some("forty\u{a0}years")
        );
        assert_eq!(document.segments[1].target.as_deref(), Some("One."));
        assert_eq!(document.segments[2].target.as_deref(), Some(""));
        assert!(read_xliff("<xliff version=\"3.0\"/>").is_err());
    }

    #[test]
    fn several_files_qualify_ids_and_untranslatable_units_are_left_out() {
        let text = r#"<xliff version="1.2"><file original="Main.strings" source-language="en"><body>
<trans-unit id="title"><source>Settings</source><target>设置</target></trans-unit>
<trans-unit id="brand" translate="no"><source>Tongwen</source></trans-unit>
<bin-unit id="logo" mime-type="image/png"><bin-source><external-file href="logo.png"/></bin-source>
<trans-unit id="logo-alt"><source>Logo</source><target>标志</target></trans-unit></bin-unit>
</body></file>
<file original="Menu.strings" source-language="en"><body><group translate="no"><trans-unit id="x"><source>x</source></trans-unit></group>
<trans-unit id="title"><source>Menu</source><target>菜单</target></trans-unit></body></file></xliff>"#;
        let document = read_xliff(text).unwrap();
        let ids: Vec<&str> = document.segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "Main.strings/title",
                "Main.strings/logo-alt",
                "Menu.strings/title"
            ]
        );
        assert_eq!(document.target_lang, None);
        let two = r#"<xliff version="2.0" srcLang="en"><file id="f1"><unit id="u1"><segment><source>a</source></segment></unit></file><file id="f2" translate="no"><unit id="u1"><segment><source>b</source></segment></unit></file><file id="f3"><unit id="u1" translate="no"><segment><source>c</source></segment></unit><unit id="u2"><segment id="s1"><source>d</source></segment></unit></file></xliff>"#;
        let ids: Vec<String> = read_xliff(two)
            .unwrap()
            .segments
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, ["f1/u1", "f3/u2/s1"]);
    }
}
