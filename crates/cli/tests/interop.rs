//! Translation memories from other tools through the store and out again: language
//! variants, unit ids, properties and notes survive, and the export is valid TMX 1.4
//! by the DTD OmegaT ships.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn shared() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/interop");
    assert!(
        dir.join("repro").is_dir(),
        "this test needs the shared data beside the project at {}; it is missing",
        dir.display()
    );
    dir
}

fn tongwen(data: &Path) -> Command {
    let mut command = Command::cargo_bin("tongwen").unwrap();
    command.arg("--data").arg(data);
    command
}

#[test]
#[ignore = "needs ../shared and xmllint"]
fn variants_ids_properties_and_notes_survive_the_store() {
    let interop = shared();
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    let own = scratch.path().join("desk.tmx");
    std::fs::write(
        &own,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="desk" creationtoolversion="1" segtype="sentence" o-tmf="desk" adminlang="en" srclang="zh-Hant-HK" datatype="plaintext"/><body>
<tu tuid="menu.open"><note>File menu</note><prop type="x-context">menu</prop><tuv xml:lang="zh-Hant-HK"><seg>開啟<ph>&lt;img alt="<sub>資料夾</sub>"&gt;</ph></seg></tuv><tuv xml:lang="en-GB"><seg>Open</seg></tuv></tu>
<tu tuid="blank"><tuv xml:lang="zh-Hant-HK"><seg>  </seg></tuv><tuv xml:lang="en-GB"><seg>Nothing</seg></tuv></tu>
<tu tuid="menu.close"><tuv xml:lang="ZH_hant_hk"><seg>關閉</seg></tuv><tuv xml:lang="en-GB"><seg>Close</seg></tuv></tu>
</body></tmx>"#,
    )
    .unwrap();
    tongwen(&data)
        .arg("ingest")
        .arg(interop.join("repro/lang_zh-TW.tmx"))
        .arg(&own)
        .assert()
        .success();
    let exported = scratch.path().join("out.tmx");
    tongwen(&data)
        .args(["export", "tmx", "--out"])
        .arg(&exported)
        .assert()
        .success();
    let tmx = std::fs::read_to_string(&exported).unwrap();
    let units = tongwen_formats::read_tmx(&tmx).unwrap();
    let unit = |id: &str| units.iter().find(|u| u.id.as_deref() == Some(id));
    let open = unit("menu.open").expect("the tuid is kept");
    assert_eq!(open.segments[0].lang, "zh-Hant-HK");
    assert_eq!(open.segments[0].text, "開啟資料夾");
    assert_eq!(open.segments[1].lang, "en-GB");
    assert_eq!(open.notes, ["File menu"]);
    assert!(open
        .properties
        .iter()
        .any(|p| p.kind == "x-context" && p.value == "menu"));
    assert_eq!(unit("menu.close").unwrap().segments[0].lang, "zh-Hant-HK");
    assert!(unit("blank").is_none(), "a side of white space is no bead");
    let traditional = units
        .iter()
        .find(|u| u.segments[0].text == "登记全同译文" && u.segments[0].lang == "zh-TW");
    assert!(traditional.is_some(), "zh-TW stays zh-TW");

    // Of several variants in a unit, the translated one is taken, and said so.
    let several = scratch.path().join("several");
    tongwen(&several)
        .arg("ingest")
        .arg(interop.join("repro/multi_zhCN_zhTW_en.tmx"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "6 units have several Chinese variants: the one srclang names (else the first) was taken, zh-TW passed over",
        ));
    let output = tongwen(&several).args(["export", "tmx"]).output().unwrap();
    let units = tongwen_formats::read_tmx(&String::from_utf8(output.stdout).unwrap()).unwrap();
    assert_eq!(units.len(), 6);
    assert!(units
        .iter()
        .all(|u| u.segments[0].lang == "zh-CN"
            && u.segments[0].text.chars().any(tongwen_text::is_han)));

    // Valid TMX 1.4 by the DTD OmegaT ships.
    let dtd = interop.join("omegat/dtd/tmx14.dtd");
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--dtdvalid"])
        .arg(&dtd)
        .arg(&exported)
        .output()
        .expect("xmllint (Debian package libxml2-utils) is needed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "needs ../shared"]
fn checking_localization_files_from_english_into_chinese() {
    let repro = shared().join("repro");
    let scratch = tempfile::tempdir().unwrap();
    let findings = |file: &str, glossary: &str| -> Vec<(String, String, String)> {
        let output = tongwen(&scratch.path().join("none"))
            .args(["check", "--format", "json", "--termbase"])
            .arg(repro.join(glossary))
            .arg(repro.join(file))
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["segment"].as_str().unwrap().to_string(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let seen = findings("inline12.xlf", "backend.csv");
    let rules: Vec<(&str, &str)> = seen
        .iter()
        .map(|(segment, rule, _)| (segment.as_str(), rule.as_str()))
        .collect();
    // From English into Chinese, "backend" in a source needs 储存池 in its target:
    // found inside inline markup (bpt, x, mrk, it, CDATA, sub, split by <g>) in every
    // unit that has it; codes, translate="no" units and alternatives are not read; a
    // copy of the source is untranslated and lacks the approved Chinese, and a
    // missing target is named as what it is.
    assert_eq!(
        rules,
        [
            ("untranslated", "missing-term"),
            ("untranslated", "untranslated"),
            ("no-target", "empty-segment")
        ]
    );
    assert!(seen[0].2.contains("储存池"), "{}", seen[0].2);
    assert_eq!(seen[2].2, "the Chinese translation is empty");
    let alternatives = findings("alttrans.xlf", "backend.csv");
    let segments: Vec<&str> = alternatives.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(segments, ["no-target-with-alt", "empty-target-with-alt"]);
}
