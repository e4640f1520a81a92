//! Reading TMX (1.1 to 1.4b) as translation tools write it: units with their `tuid`,
//! `srclang`, `<prop>`s and `<note>`s, and one segment per `<tuv>`, the language tag
//! as written.

use tongwen_text::{tag_lang, Lang};

use crate::read::{ReadError, MAX_FIELD_BYTES};
use crate::xml::{Events, XmlEvent};

/// One translation unit of a TMX file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TmxUnit {
    /// The `tuid` attribute.
    pub id: Option<String>,
    /// The unit's `srclang`, else the header's.
    pub source_lang: Option<String>,
    /// Each `<tuv>`'s segment, in order.
    pub segments: Vec<TmxSegment>,
    /// The unit's `<prop>`s, in order.
    pub properties: Vec<TmxProperty>,
    /// The unit's `<note>`s, in order.
    pub notes: Vec<String>,
    /// 1-based line of the `<tu>`.
    pub line: usize,
}

/// The segment of one `<tuv>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxSegment {
    /// `xml:lang` (or TMX 1.1 `lang`) as written.
    pub lang: String,
    /// The text: inline codes (`bpt`, `ept`, `ph`, `it`, `ut`) dropped, the text of
    /// `hi` and of `sub` (translatable text inside a code) kept.
    pub text: String,
}

/// A `<prop type="…">value</prop>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxProperty {
    /// The `type` attribute.
    pub kind: String,
    /// The text.
    pub value: String,
}

/// The Chinese and English segments Tongwen takes from a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxPair<'a> {
    /// The Chinese segment: the variant `srclang` names, else the first.
    pub zh: &'a TmxSegment,
    /// The English segment (the first).
    pub en: &'a TmxSegment,
    /// Language tags of the other Chinese variants, passed over.
    pub other_chinese: Vec<&'a str>,
}

impl TmxUnit {
    /// The unit's Chinese and English segments, if it has both with text. Of several
    /// Chinese variants (zh-CN and zh-TW), the one `srclang` names is taken, else the
    /// first; a variant without a Chinese character (a tool's untranslated copy of the
    /// source) only when no other has one. A segment of only white space counts as
    /// missing.
    pub fn chinese_and_english(&self) -> Option<TmxPair<'_>> {
        let with_text = |lang: Lang| {
            self.segments
                .iter()
                .filter(move |s| tag_lang(&s.lang) == Some(lang) && !s.text.trim().is_empty())
        };
        let en = with_text(Lang::En).next()?;
        let mut chinese: Vec<&TmxSegment> = with_text(Lang::Zh).collect();
        if chinese
            .iter()
            .any(|s| s.text.chars().any(tongwen_text::is_han))
        {
            chinese.retain(|s| s.text.chars().any(tongwen_text::is_han));
        }
        let source = self.source_lang.as_deref().map(tongwen_text::normalize_tag);
        let zh = chinese
            .iter()
            .find(|s| Some(tongwen_text::normalize_tag(&s.lang)) == source)
            .or(chinese.first())
            .copied()?;
        let other_chinese = with_text(Lang::Zh)
            .filter(|s| !std::ptr::eq(*s, zh))
            .map(|s| s.lang.as_str())
            .collect();
        Some(TmxPair {
            zh,
            en,
            other_chinese,
        })
    }
}

/// The elements whose end closes something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Tu,
    Tuv,
    Seg,
    Other,
}

/// What the reader is inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// An element whose text means nothing here.
    Other,
    /// `<seg>` or text-bearing inline markup inside it (`hi`, `sub`).
    SegmentText,
    /// An inline code: native markup, not text.
    Code,
    /// `<prop>` of a unit.
    Property,
    /// `<note>` of a unit.
    Note,
}

/// Reads the translation units of a decoded TMX document (see [`crate::decode_xml`]).
/// A DOCTYPE naming `tmx14.dtd` is accepted, entity declarations are not.
pub fn read_tmx(text: &str) -> Result<Vec<TmxUnit>, ReadError> {
    let mut events = Events::new(text, "TMX");
    let mut units = Vec::new();
    let mut header_source: Option<String> = None;
    let mut unit: Option<TmxUnit> = None;
    let mut lang: Option<String> = None;
    let mut segment: Option<String> = None;
    let mut field = String::new();
    let mut property_kind = String::new();
    let mut places: Vec<(Tag, Place)> = Vec::new();
    let mut saw_root = false;
    while let Some(event) = events.next_event()? {
        match event {
            XmlEvent::Start { element, empty } => {
                let attribute = |wanted: &str| element.attribute(wanted).map(str::to_string);
                let (name, line, column) = (element.name.as_str(), element.line, element.column);
                let inside = places.last().map_or(Place::Other, |(_, place)| *place);
                let tag = match name {
                    "tu" => Tag::Tu,
                    "tuv" => Tag::Tuv,
                    "seg" => Tag::Seg,
                    _ => Tag::Other,
                };
                let place = match name {
                    "tmx" => {
                        saw_root = true;
                        Place::Other
                    }
                    "header" => {
                        header_source = attribute("srclang").filter(|s| s != "*all*");
                        Place::Other
                    }
                    "tu" => {
                        unit = Some(TmxUnit {
                            id: attribute("tuid"),
                            source_lang: attribute("srclang")
                                .filter(|s| s != "*all*")
                                .or_else(|| header_source.clone()),
                            line,
                            ..TmxUnit::default()
                        });
                        Place::Other
                    }
                    "tuv" => {
                        lang = attribute("xml:lang").or_else(|| attribute("lang"));
                        if lang.is_none() && unit.is_some() {
                            return Err(ReadError::Xml {
                                line,
                                column,
                                message: "<tuv> without xml:lang".into(),
                            });
                        }
                        Place::Other
                    }
                    "seg" => {
                        segment = Some(String::new());
                        Place::SegmentText
                    }
                    "bpt" | "ept" | "ph" | "it" | "ut" if segment.is_some() => Place::Code,
                    "sub" | "hi" if segment.is_some() => Place::SegmentText,
                    // A unit's own properties and notes, not a variant's.
                    "prop" if unit.is_some() && lang.is_none() => {
                        property_kind = attribute("type").unwrap_or_default();
                        field.clear();
                        Place::Property
                    }
                    "note" if unit.is_some() && lang.is_none() => {
                        field.clear();
                        Place::Note
                    }
                    _ if inside == Place::SegmentText || inside == Place::Code => Place::Code,
                    _ => Place::Other,
                };
                if !empty {
                    places.push((tag, place));
                    continue;
                }
                match tag {
                    Tag::Tu => units.extend(unit.take()),
                    Tag::Tuv => lang = None,
                    Tag::Seg => finish_segment(&mut segment, &lang, &mut unit),
                    Tag::Other => {}
                }
            }
            XmlEvent::End => match places.pop() {
                Some((Tag::Tu, _)) => units.extend(unit.take()),
                Some((Tag::Tuv, _)) => lang = None,
                Some((Tag::Seg, _)) => finish_segment(&mut segment, &lang, &mut unit),
                Some((_, Place::Property)) => {
                    if let Some(unit) = unit.as_mut() {
                        unit.properties.push(TmxProperty {
                            kind: std::mem::take(&mut property_kind),
                            value: std::mem::take(&mut field),
                        });
                    }
                }
                Some((_, Place::Note)) => {
                    if let Some(unit) = unit.as_mut() {
                        unit.notes.push(std::mem::take(&mut field));
                    }
                }
                _ => {}
            },
            XmlEvent::Text(text) => match places.last().map(|(_, place)| place) {
                Some(Place::SegmentText) => {
                    if let Some(segment) = segment.as_mut() {
                        segment.push_str(&text);
                        if segment.len() > MAX_FIELD_BYTES {
                            return Err(ReadError::Invalid(format!(
                                "{}: a segment over 1 MiB",
                                unit.as_ref().map_or_else(String::new, |u| format!(
                                    "the unit on line {}",
                                    u.line
                                ))
                            )));
                        }
                    }
                }
                Some(Place::Property | Place::Note)
                    if field.len() + text.len() <= MAX_FIELD_BYTES =>
                {
                    field.push_str(&text);
                }
                _ => {}
            },
        }
    }
    if !saw_root {
        return Err(ReadError::Invalid(
            "not a TMX document (no <tmx> element)".into(),
        ));
    }
    Ok(units)
}

fn finish_segment(segment: &mut Option<String>, lang: &Option<String>, unit: &mut Option<TmxUnit>) {
    if let (Some(text), Some(lang), Some(unit)) = (segment.take(), lang.clone(), unit.as_mut()) {
        unit.segments.push(TmxSegment { lang, text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(lang: &str, text: &str) -> TmxSegment {
        TmxSegment {
            lang: lang.into(),
            text: text.into(),
        }
    }

    #[test]
    fn units_with_inline_codes_entities_properties_and_notes() {
        let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"><prop type="x-header">not a unit's</prop></header>
<body>
 <tu tuid="7"><prop type="x-domain">政策</prop><note>from the 2024 report</note><tuv xml:lang="zh-CN"><prop type="x-variant">not the unit's</prop><seg>高水平<bpt i="1">&lt;b&gt;</bpt>对外开放<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  <tuv xml:lang="en"><seg>high-standard &amp; opening up&#x21; <ph>&lt;img alt="<sub>a port</sub>"&gt;</ph></seg></tuv></tu>
 <tu><tuv lang="zh"><seg><![CDATA[新质生产力]]></seg></tuv><tuv xml:lang="en-US"><seg>new quality productive forces</seg></tuv></tu>
</body></tmx>"#;
        let units = read_tmx(tmx).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].id.as_deref(), Some("7"));
        assert_eq!(units[0].source_lang.as_deref(), Some("zh-CN"));
        assert_eq!(units[0].line, 5);
        assert_eq!(
            units[0].segments,
            vec![
                segment("zh-CN", "高水平对外开放"),
                segment("en", "high-standard & opening up! a port")
            ]
        );
        assert_eq!(
            units[0].properties,
            vec![TmxProperty {
                kind: "x-domain".into(),
                value: "政策".into()
            }]
        );
        assert_eq!(units[0].notes, vec!["from the 2024 report".to_string()]);
        assert_eq!(units[1].segments[0], segment("zh", "新质生产力"));
    }

    #[test]
    fn the_chinese_variant_srclang_names_else_the_first() {
        let unit = |source: Option<&str>, segments: Vec<TmxSegment>| TmxUnit {
            source_lang: source.map(str::to_string),
            segments,
            ..TmxUnit::default()
        };
        let both = vec![
            segment("zh-CN", "软件"),
            segment("zh-TW", "軟體"),
            segment("EN-us", "software"),
        ];
        let pair = unit(Some("zh_TW"), both.clone());
        let pair = pair.chinese_and_english().unwrap();
        assert_eq!(pair.zh.text, "軟體");
        assert_eq!(pair.other_chinese, vec!["zh-CN"]);
        let first = unit(Some("en"), both);
        assert_eq!(first.chinese_and_english().unwrap().zh.lang, "zh-CN");
        let mandarin = unit(
            None,
            vec![segment("cmn-Hans-CN", "软件"), segment("en", "software")],
        );
        assert!(mandarin.chinese_and_english().is_some());
        let untranslated = unit(
            Some("en-US"),
            vec![
                segment("en-US", "software"),
                segment("zh-TW", "software"),
                segment("zh-CN", "软件"),
            ],
        );
        let pair = untranslated.chinese_and_english().unwrap();
        assert_eq!(
            (pair.zh.lang.as_str(), pair.other_chinese),
            ("zh-CN", vec!["zh-TW"])
        );
        let blank = unit(None, vec![segment("zh", " \n "), segment("en", "software")]);
        assert!(blank.chinese_and_english().is_none());
    }

    #[test]
    fn malformed_tmx_reports_line_and_column() {
        let error = read_tmx("<tmx version=\"1.4\"><body>\n<tu><tuv xml:lang=\"en\"><seg>open</tuv></tu></body></tmx>").unwrap_err();
        assert!(matches!(error, ReadError::Xml { line: 2, .. }), "{error}");
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><tmx><body><tu><tuv xml:lang=\"en\"><seg>&lol2;</seg></tuv></tu></body></tmx>";
        let error = read_tmx(bomb).unwrap_err().to_string();
        assert!(error.contains("declares entities"), "{error}");
        let external =
            "<tmx><body><tu><tuv xml:lang=\"en\"><seg>&xxe;</seg></tuv></tu></body></tmx>";
        let error = read_tmx(external).unwrap_err().to_string();
        assert!(error.contains("xxe"), "{error}");
        assert!(matches!(
            read_tmx("<html></html>"),
            Err(ReadError::Invalid(_))
        ));
    }
}
