//! Every TMX, TBX and XLIFF file in `../shared/interop` (written by OmegaT, Okapi, the
//! TBX maintainers and the OASIS XLIFF test suite): each is read, or refused for the
//! reason stated here.

#![allow(clippy::unwrap_used)]
use std::path::{Path, PathBuf};

use tongwen_formats::{decode_xml, read_tbx, read_tmx, read_xliff};

fn interop() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/interop");
    assert!(
        dir.join("repro").is_dir(),
        "these tests need the shared data beside the project at {}; it is missing",
        dir.display()
    );
    dir
}

fn files(extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![interop()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn name(path: &Path) -> String {
    path.strip_prefix(interop()).unwrap().display().to_string()
}

fn decoded(path: &Path) -> Result<String, String> {
    decode_xml(&std::fs::read(path).unwrap()).map_err(|e| e.to_string())
}

/// How many elements named `name` the text opens, counted without an XML parser:
/// an independent count to hold the readers' against.
fn elements_named(text: &str, name: &str) -> usize {
    let open = format!("<{name}");
    text.match_indices(&open)
        .filter(|(at, _)| {
            text[at + open.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c == '/' || c.is_whitespace())
        })
        .count()
}

/// Files refused, with the words their refusal must contain: they are not
/// well-formed XML, whatever their names say.
const REFUSED: &[(&str, &str)] = &[
    ("tbx-ltac/tf_poorly_formed_xml.tbx", "ill-formed"),
    ("xliff-oasis/x22_Good-pgs_plural.xlf", "ill-formed"),
];

fn refusal(path: &Path) -> Option<&'static str> {
    REFUSED
        .iter()
        .find(|(file, _)| name(path) == *file)
        .map(|(_, why)| *why)
}

#[test]
#[ignore = "needs ../shared"]
fn every_tmx_is_read_with_all_its_units() {
    let all = files(&["tmx"]);
    assert!(all.len() >= 70, "{} TMX files", all.len());
    for path in all {
        let text = decoded(&path).unwrap_or_else(|e| panic!("{}: {e}", name(&path)));
        let units = read_tmx(&text).unwrap_or_else(|e| panic!("{}: {e}", name(&path)));
        assert_eq!(units.len(), elements_named(&text, "tu"), "{}", name(&path));
        assert_eq!(
            units.iter().map(|u| u.segments.len()).sum::<usize>(),
            elements_named(&text, "seg"),
            "{}",
            name(&path)
        );
    }
}

#[test]
#[ignore = "needs ../shared"]
fn every_xliff_is_read_or_refused_for_its_reason() {
    for path in files(&["xlf", "xliff"]) {
        let read = decoded(&path).and_then(|text| read_xliff(&text).map_err(|e| e.to_string()));
        match (read, refusal(&path)) {
            (Ok(_), None) => {}
            (Err(error), Some(why)) => assert!(error.contains(why), "{}: {error}", name(&path)),
            (Ok(_), Some(_)) => panic!("{} should be refused", name(&path)),
            (Err(error), None) => panic!("{}: {error}", name(&path)),
        }
    }
}

#[test]
#[ignore = "needs ../shared"]
fn a_doctype_without_entities_is_read() {
    let units = read_tmx(&decoded(&interop().join("repro/doctype14.tmx")).unwrap()).unwrap();
    assert_eq!(units.len(), 6);
    let pair = units[0].chinese_and_english().unwrap();
    assert_eq!(pair.zh.text, "插入匹配或所选内容(&I)");
    assert_eq!(pair.en.text, "&Insert Match or Selection");
}

#[test]
#[ignore = "needs ../shared"]
fn the_declared_encoding_is_used() {
    let units = read_tmx(&decoded(&interop().join("repro/cp1254.tmx")).unwrap()).unwrap();
    assert_eq!(
        units[0].chinese_and_english().unwrap().en.text,
        "Insert the café İstanbul ış – naïve"
    );
    let concepts = read_tbx(&decoded(&interop().join("repro/tbx_latin1.tbx")).unwrap()).unwrap();
    let english = concepts[0].section("en").unwrap();
    assert_eq!(english.terms[0].text, "term with: éá and ñç");
    // Bytes that contradict the declaration are refused, never garbled.
    let lying = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx>\n caf\u{e9}</tmx>";
    let bytes = encoding_rs::WINDOWS_1252.encode(lying).0;
    let error = decode_xml(&bytes).unwrap_err().to_string();
    assert!(
        error.contains("line 3") && error.contains("UTF-8"),
        "{error}"
    );
}

#[test]
#[ignore = "needs ../shared"]
fn several_chinese_variants_take_the_translated_one_and_say_so() {
    let units =
        read_tmx(&decoded(&interop().join("repro/multi_zhCN_zhTW_en.tmx")).unwrap()).unwrap();
    for unit in &units {
        let pair = unit.chinese_and_english().unwrap();
        assert_eq!(pair.zh.lang, "zh-CN");
        assert_eq!(pair.other_chinese, vec!["zh-TW"]);
    }
}
