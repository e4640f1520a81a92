//! Property tests over every reader (TBX, XLIFF, TMX, CSV and JSON glossaries, HTML,
//! Markdown, JSON Lines): no input makes them panic, markup nested or repeated
//! without end is refused or read within the readers' bounds rather than exhausting
//! the stack, broken documents are refused with a position, and any concept they
//! can hold survives a TBX or CSV round trip.

use proptest::prelude::*;
use tongwen_formats::{
    read_csv, read_html, read_json_glossary, read_jsonl, read_markdown, read_tbx, read_tmx,
    read_xliff, write_csv, write_tbx, TbxDialect,
};
use tongwen_terms::termbase::{
    Concept, ConceptState, GlossaryMatter, LangSection, Term, TermStatus,
};

const TBX: &str = r#"<tbx type="TBX-Basic"><text><body><conceptEntry id="c1"><descrip type="subjectField">economy</descrip><langSec xml:lang="zh"><termSec><term>新质生产力</term></termSec></langSec><langSec xml:lang="en"><termSec><term>new quality productive forces</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry></body></text></tbx>"#;
const XLIFF: &str = r#"<xliff version="2.0" srcLang="zh" trgLang="en"><file id="f"><unit id="u1"><segment><source>四十</source><target>forty</target></segment></unit></file></xliff>"#;

/// Text that stays inside what the formats can carry: no control characters, no
/// surrounding whitespace (terms are trimmed), not empty.
fn clean_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9\u{4e00}-\u{4e20}&<>\"', ;.-]{1,24}"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("non-empty", |s| !s.is_empty())
}

fn status() -> impl Strategy<Value = Option<TermStatus>> {
    prop_oneof![
        Just(None),
        Just(Some(TermStatus::Preferred)),
        Just(Some(TermStatus::Admitted)),
        Just(Some(TermStatus::Deprecated)),
    ]
}

fn concept() -> impl Strategy<Value = Concept> {
    (
        prop::collection::vec(
            (
                clean_text(),
                status(),
                prop::option::of("noun|verb|properNoun"),
            ),
            1..4,
        ),
        prop::collection::vec((clean_text(), status()), 1..4),
        prop::option::of(clean_text()),
        prop::option::of(clean_text()),
        prop_oneof![
            Just(ConceptState::Approved),
            Just(ConceptState::Candidate),
            Just(ConceptState::Rejected)
        ],
    )
        .prop_map(|(zh, en, subject, definition, state)| Concept {
            state,
            subject,
            languages: vec![
                LangSection {
                    lang: "zh".into(),
                    terms: zh
                        .into_iter()
                        .map(|(text, status, pos)| {
                            let mut term = Term::new(&text, status);
                            term.part_of_speech = pos;
                            term
                        })
                        .collect(),
                    ..LangSection::default()
                },
                LangSection {
                    lang: "en".into(),
                    definition,
                    terms: en
                        .into_iter()
                        .map(|(text, status)| Term::new(&text, status))
                        .collect(),
                    ..LangSection::default()
                },
            ],
            ..Concept::default()
        })
}

/// Every reader, on the same text: none may panic.
fn read_everything(text: &str) {
    let _ = read_tbx(text);
    let _ = read_xliff(text);
    let _ = read_tmx(text);
    let _ = read_csv(text);
    let _ = read_json_glossary(text);
    let _ = read_html(text);
    let _ = read_markdown(text);
    let _ = read_jsonl(text);
}

/// Markup made of the elements the readers know, opened and closed at random, with
/// attributes, text, comments and stray brackets between them.
fn markup_soup() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "<tmx>",
        "</tmx>",
        "<body>",
        "</body>",
        "<tu tuid=\"1\">",
        "</tu>",
        "<tuv xml:lang=\"zh\">",
        "<tuv xml:lang=\"en\">",
        "</tuv>",
        "<seg>",
        "</seg>",
        "<bpt i=\"1\">",
        "</bpt>",
        "<tbx>",
        "<text>",
        "</text>",
        "<conceptEntry id=\"c\">",
        "</conceptEntry>",
        "<langSec xml:lang=\"en\">",
        "</langSec>",
        "<termSec>",
        "</termSec>",
        "<term>",
        "</term>",
        "<xliff version=\"2.0\">",
        "<file id=\"f\">",
        "<unit id=\"u\">",
        "<segment>",
        "<source>",
        "</source>",
        "<target>",
        "</target>",
        "<html>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<table><tr><td>",
        "</td></tr></table>",
        "<article>",
        "</article>",
        "<script>",
        "</script>",
        "<!-- x -->",
        "<br/>",
        "新质生产力",
        "opening up",
        "&amp;",
        "&lt;",
        "<",
        ">",
        "\"",
        "> ",
        "- ",
        "# ",
        "{\"text\":\"x\"}\n",
        "\n",
    ];
    prop::collection::vec(0..PIECES.len(), 0..400)
        .prop_map(|picks| picks.into_iter().map(|k| PIECES[k]).collect())
}

proptest! {
    // Few cases: each is large, and the point is the readers' bounds, not coverage.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn deep_nesting_is_bounded(tag in 0usize..6, depth in 1usize..40_000, closed in any::<bool>()) {
        let (open, close) = [
            ("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>"), ("<article>", "</article>"),
            ("<seg><bpt i=\"1\">", "</bpt></seg>"), ("<termSec>", "</termSec>"), ("> ", ""),
        ][tag];
        let mut text = open.repeat(depth);
        text.push_str("深层 text");
        if closed {
            text.push_str(&close.repeat(depth));
        }
        read_everything(&text);
        if tag < 3 && depth > tongwen_formats::MAX_HTML_DEPTH {
            prop_assert!(read_html(&text).is_err(), "nesting of {} refused", depth);
        }
    }

    #[test]
    fn many_attributes_are_refused(count in 300usize..20_000) {
        let attributes: String = (0..count).map(|k| format!(" a{k}=\"v\"")).collect();
        let text = format!("<tmx version=\"1.4\"><header{attributes}/><body/></tmx>");
        prop_assert!(read_tmx(&text).is_err());
        prop_assert!(read_tbx(&text).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        read_everything(&text);
    }

    #[test]
    fn markup_soup_never_panics(soup in markup_soup()) {
        read_everything(&soup);
    }

    #[test]
    fn damaged_documents_are_refused_or_read_never_panic(cut in 0usize..400, junk in "[<>&/\"a-z=]{0,6}") {
        for document in [TBX, XLIFF] {
            let mut cut = cut.min(document.len());
            while !document.is_char_boundary(cut) {
                cut -= 1;
            }
            let damaged = format!("{}{junk}{}", &document[..cut], &document[cut..]);
            let truncated = &document[..cut];
            for text in [damaged.as_str(), truncated] {
                if let Err(error) = read_tbx(text) {
                    prop_assert!(!error.to_string().is_empty());
                }
                let _ = read_xliff(text);
            }
            // A truncated document is never taken as whole.
            if cut < document.len() {
                prop_assert!(read_tbx(truncated).is_err() || document == XLIFF);
                prop_assert!(read_xliff(truncated).is_err() || document == TBX);
            }
        }
    }

    #[test]
    fn concepts_round_trip_through_tbx_and_csv(concepts in prop::collection::vec(concept(), 1..4)) {
        let ids: Vec<(String, &Concept)> = concepts.iter().enumerate().map(|(k, c)| (format!("c{k}"), c)).collect();
        for dialect in [TbxDialect::V3, TbxDialect::Martif] {
            let written = write_tbx(&ids, &GlossaryMatter::default(), dialect);
            let read = read_tbx(&written).map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
            prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
            let read = read.concepts();
            let expected: Vec<Concept> = concepts.iter().enumerate().map(|(k, c)| Concept { external_id: Some(format!("c{k}")), ..c.clone() }).collect();
            prop_assert_eq!(read, expected);
        }
        let csv = write_csv(&ids).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read = read_csv(&csv).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
        prop_assert_eq!(read.len(), concepts.len());
        for (read, original) in read.iter().zip(&concepts) {
            prop_assert_eq!(&read.languages, &original.languages);
            prop_assert_eq!(read.state, original.state);
            prop_assert_eq!(&read.subject, &original.subject);
        }
    }
}
