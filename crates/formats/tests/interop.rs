//! Every TMX, TBX and XLIFF file in `../shared/interop` (written by OmegaT, Okapi, the
//! TBX maintainers and the OASIS XLIFF test suite): each is read, or refused for the
//! reason stated here.

#![allow(clippy::unwrap_used)]
use std::path::{Path, PathBuf};

use tongwen_formats::{decode_xml, read_tbx, read_tmx, read_xliff, write_tbx, TbxDialect};
use tongwen_terms::termbase::TermStatus;

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
    let english = concepts.entries[0].concept.section("en").unwrap();
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

/// Runs xmllint on `document` against the TBX v3 core RelaxNG schema.
fn validates_against_tbx_core(document: &str) -> Result<(), String> {
    let schema = interop().join("tbx-ltac/TBXcoreStructV03.rng");
    let mut child = std::process::Command::new("xmllint")
        .args(["--noout", "--relaxng"])
        .arg(&schema)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xmllint (Debian package libxml2-utils) is needed for the TBX schema tests");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
#[ignore = "needs ../shared and xmllint"]
fn every_tbx_is_read_whole_round_trips_and_exports_valid_tbx_v3() {
    let all = files(&["tbx"]);
    assert!(all.len() >= 20, "{} TBX files", all.len());
    for path in all {
        let read = decoded(&path).and_then(|text| read_tbx(&text).map_err(|e| e.to_string()));
        let document = match (read, refusal(&path)) {
            (Ok(document), None) => document,
            (Err(error), Some(why)) => {
                assert!(error.contains(why), "{}: {error}", name(&path));
                continue;
            }
            (Ok(_), Some(_)) => panic!("{} should be refused", name(&path)),
            (Err(error), None) => panic!("{}: {error}", name(&path)),
        };
        let text = decoded(&path).unwrap();
        let entries = elements_named(&text, "termEntry") + elements_named(&text, "conceptEntry");
        let skipped_entries = document
            .problems
            .iter()
            .filter(|p| p.message.contains("without any term"))
            .count();
        assert_eq!(
            document.entries.len() + skipped_entries,
            entries,
            "{}: {:?}",
            name(&path),
            document.problems
        );
        let terms: usize = document
            .entries
            .iter()
            .map(|e| e.concept.all_terms().count())
            .sum();
        let skipped_terms = document
            .problems
            .iter()
            .filter(|p| p.message.contains("<term>: skipped"))
            .count();
        assert_eq!(
            terms + skipped_terms,
            elements_named(&text, "term"),
            "{}: {:?}",
            name(&path),
            document.problems
        );
        let concepts = document.concepts();
        let ids: Vec<(String, &tongwen_terms::termbase::Concept)> = concepts
            .iter()
            .enumerate()
            .map(|(k, c)| (format!("c{}", k + 1), c))
            .collect();
        for dialect in [TbxDialect::V3, TbxDialect::Martif] {
            let written = write_tbx(&ids, &document.matter, dialect);
            let again = read_tbx(&written).unwrap_or_else(|e| panic!("{}: {e}", name(&path)));
            assert!(
                again.problems.is_empty(),
                "{}: {:?}",
                name(&path),
                again.problems
            );
            let mut expected = concepts.clone();
            for (k, concept) in expected.iter_mut().enumerate() {
                concept
                    .external_id
                    .get_or_insert_with(|| format!("c{}", k + 1));
            }
            assert_eq!(again.concepts(), expected, "{} ({dialect:?})", name(&path));
            assert_eq!(again.matter, document.matter, "{}", name(&path));
            if dialect == TbxDialect::V3 {
                if let Err(error) = validates_against_tbx_core(&written) {
                    let numbered: String = written
                        .lines()
                        .enumerate()
                        .take(400)
                        .map(|(k, line)| format!("{:>4} {line}\n", k + 1))
                        .collect();
                    panic!(
                        "{}: the v3 export fails the TBX core schema:\n{error}\n{numbered}",
                        name(&path)
                    );
                }
            }
        }
    }
}

#[test]
#[ignore = "needs ../shared"]
fn the_tbx_reproductions_read_as_their_files_say() {
    let read =
        |file: &str| read_tbx(&decoded(&interop().join("repro").join(file)).unwrap()).unwrap();
    let homographs = read("homographs2.tbx");
    assert_eq!(
        homographs.entries.len(),
        2,
        "行 = row and 行 = OK stay two entries"
    );
    assert_eq!(
        homographs.entries[1]
            .concept
            .section("en")
            .unwrap()
            .definition
            .as_deref(),
        Some("Button label that confirms an action.")
    );
    let empty = read("empty_term.tbx");
    assert_eq!(empty.entries.len(), 2);
    assert_eq!(empty.problems.len(), 1, "{:?}", empty.problems);
    assert_eq!(empty.problems[0].line, 3);
    assert_eq!(empty.entries[1].concept.languages[1].lang, "zh-Hans");
    let standardized = read("standardized.tbx");
    let term = standardized.entries[0]
        .concept
        .terms("en")
        .next()
        .unwrap()
        .clone();
    assert_eq!(term.status, Some(TermStatus::Preferred));
    assert_eq!(term.status_value(), Some("standardizedTerm-admn-sts"));
    let levels = read("def_levels.tbx");
    let definition = |k: usize| {
        levels.entries[k]
            .concept
            .section("en")
            .and_then(|s| s.definition.clone())
    };
    assert_eq!(definition(0).as_deref(), Some("langSet-level definition"));
    assert_eq!(definition(1).as_deref(), Some("descripGrp definition"));
    assert_eq!(
        levels.entries[1]
            .concept
            .section("en")
            .unwrap()
            .definition_source
            .as_deref(),
        Some("Oxford")
    );
    assert_eq!(
        levels.entries[2]
            .concept
            .definition
            .as_ref()
            .map(|d| d.text.as_str()),
        Some("termEntry-level definition")
    );
    let dct = read("dct_min.tbx");
    let concept = &dct.entries[0].concept;
    assert_eq!(concept.subject.as_deref(), Some("General"));
    let black_hole = concept.terms("en").next().unwrap();
    assert_eq!(black_hole.part_of_speech.as_deref(), Some("noun"));
    assert_eq!(black_hole.status, Some(TermStatus::Preferred));
}

#[test]
#[ignore = "needs ../shared"]
fn xliff_reproductions_keep_text_and_leave_codes_and_alternatives_out() {
    let read =
        |file: &str| read_xliff(&decoded(&interop().join("repro").join(file)).unwrap()).unwrap();
    let segment = |document: &tongwen_formats::XliffDocument, id: &str| {
        document
            .segments
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no segment {id}"))
            .clone()
    };
    for file in ["inline12.xlf", "inline20.xlf"] {
        let document = read(file);
        for s in &document.segments {
            let texts = [s.source.as_str(), s.target.as_deref().unwrap_or_default()];
            assert!(
                texts
                    .iter()
                    .all(|t| !t.contains("img") && !t.contains("href")),
                "{file} {}: {texts:?}",
                s.id
            );
        }
        assert!(
            document.segments.iter().all(|s| s.id != "translate-no"),
            "{file}"
        );
        assert_eq!(segment(&document, "no-target").target, None, "{file}");
        assert_eq!(
            segment(&document, "mrk-term").target.as_deref(),
            Some("打开储存池列表")
        );
    }
    let inline12 = read("inline12.xlf");
    assert_eq!(
        segment(&inline12, "sub-in-ph").source,
        "Click Backend to start"
    );
    assert_eq!(
        segment(&inline12, "g-split-term").target.as_deref(),
        Some("浏览储存池")
    );
    let inline20 = read("inline20.xlf");
    assert_eq!(segment(&inline20, "cp").source, "Tab\tBackend");
    assert_eq!(
        segment(&inline20, "in-group").target.as_deref(),
        Some("远程列表")
    );
    // An alternative translation is not the target.
    let alternatives = read("alttrans.xlf");
    assert_eq!(segment(&alternatives, "no-target-with-alt").target, None);
    assert_eq!(
        segment(&alternatives, "empty-target-with-alt")
            .target
            .as_deref(),
        Some("")
    );
    assert_eq!(
        segment(&alternatives, "target-then-alt").target.as_deref(),
        Some("储存池 3 已连接")
    );
}
