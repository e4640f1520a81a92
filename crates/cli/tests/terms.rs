//! End-to-end tests of mining, the termbase commands and `check`: the exit codes,
//! output formats, the review lifecycle with stale-edit refusal, lossless TBX round
//! trips, and hostile files refused without a trace in the store.
//!
//! Fixtures are this project's (`tests/data`); the seed test reads `../shared/seed`
//! and fails with a clear message when it is missing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("project root")
}

fn fixture(name: &str) -> PathBuf {
    project_root().join("tests/data").join(name)
}

fn tongwen(data: &Path) -> Command {
    let mut command = Command::cargo_bin("tongwen").expect("tongwen binary");
    command.arg("--data").arg(data);
    command
}

fn json_of(command: &mut Command) -> serde_json::Value {
    let output = command.output().expect("run tongwen");
    assert!(
        output.status.success(),
        "tongwen failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn corpus(data: &Path, files: &[PathBuf]) {
    tongwen(data).arg("ingest").args(files).assert().success();
    tongwen(data).arg("update").assert().success();
}

#[test]
fn mine_review_export_and_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    corpus(&data, &[fixture("canal-zh.txt"), fixture("canal-en.txt")]);
    let mined = json_of(tongwen(&data).args(["mine", "--json", "--top", "50"]));
    let pairs = mined.as_array().expect("an array");
    let canal = pairs
        .iter()
        .find(|p| p["zh"] == "大运河")
        .expect("大运河 mined");
    assert_eq!(canal["en"], "Grand Canal");
    assert!(canal["score"].as_f64().unwrap() > 0.5 && canal["frequency"].as_u64().unwrap() >= 2);
    // Mining again changes nothing it already knows.
    tongwen(&data)
        .arg("mine")
        .assert()
        .success()
        .stderr(predicate::str::contains("0 new candidates"));

    let listed = json_of(tongwen(&data).args(["terms", "list", "--json", "--search", "大运河"]));
    let id = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["concept"]["languages"][0]["terms"][0]["text"] == "大运河")
        .expect("listed")["id"]
        .as_i64()
        .unwrap();
    let id = id.to_string();
    tongwen(&data)
        .args([
            "terms",
            "approve",
            &id,
            "--version",
            "1",
            "--by",
            "editor-a",
        ])
        .assert()
        .success();
    // A second editor deciding on the version they saw is refused, not applied.
    tongwen(&data)
        .args(["terms", "reject", &id, "--version", "1", "--by", "editor-b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("changed since version 1"));
    tongwen(&data)
        .args([
            "terms",
            "edit",
            &id,
            "--term",
            "en=Grand Canal of China=deprecated",
            "--definition",
            "en=The canal from Beijing to Hangzhou.",
            "--version",
            "2",
        ])
        .assert()
        .success();
    tongwen(&data)
        .args(["terms", "deprecate", &id, "--en", "Great Canal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no en term"));
    let shown = json_of(tongwen(&data).args(["terms", "show", &id, "--json"]));
    assert_eq!(shown["concept"]["concept"]["state"], "approved");
    assert!(
        !shown["evidence"].as_array().unwrap().is_empty(),
        "evidence sentences: {shown}"
    );
    let actions: Vec<&str> = shown["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["edit", "approve", "mined"]);

    for (format, file) in [
        ("tbx", "out.tbx"),
        ("martif", "out-martif.tbx"),
        ("csv", "out.csv"),
        ("json", "out.json"),
    ] {
        let path = dir.path().join(file);
        tongwen(&data)
            .args(["terms", "export", "--format", format, "--out"])
            .arg(&path)
            .assert()
            .success();
        let fresh = dir.path().join(format!("fresh-{format}"));
        tongwen(&fresh)
            .args(["terms", "import"])
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains("0 conflicts"));
        let before = json_of(tongwen(&data).args(["terms", "list", "--json", "--limit", "1000"]));
        let after = json_of(tongwen(&fresh).args(["terms", "list", "--json", "--limit", "1000"]));
        let strip = |rows: &serde_json::Value| -> Vec<serde_json::Value> {
            let mut concepts: Vec<serde_json::Value> = rows
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let mut c = r["concept"].clone();
                    let object = c.as_object_mut().unwrap();
                    // Ids, mining figures and evidence belong to the store, not the glossary.
                    for key in ["external_id", "mined", "evidence"] {
                        object.remove(key);
                    }
                    if format != "json" {
                        for section in object["languages"].as_array_mut().unwrap() {
                            for term in section["terms"].as_array_mut().unwrap() {
                                term.as_object_mut().unwrap().remove("frequency");
                            }
                        }
                    }
                    c
                })
                .collect();
            concepts.sort_by_key(|c| c.to_string());
            concepts
        };
        if format == "csv" {
            assert_eq!(strip(&before).len(), strip(&after).len(), "{format}");
        } else {
            assert_eq!(strip(&before), strip(&after), "{format} round trip");
        }
    }
    // The same glossary imported with a different decision reports the conflict.
    let conflicting = dir.path().join("conflict.csv");
    std::fs::write(
        &conflicting,
        "zh,en,status\n大运河,Grand Canal,deprecated\n",
    )
    .unwrap();
    // Merged by its Chinese term (the old behaviour), the stored decision is kept and
    // the file's reported.
    tongwen(&data)
        .args(["terms", "import", "--merge-by", "zh"])
        .arg(&conflicting)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("conflict: entry 1"));
    let log = json_of(tongwen(&data).args(["terms", "log", "--json", "--limit", "3"]));
    assert_eq!(log[0]["action"], "import-merge");
    // By default too: an entry without an id whose terms a stored concept holds
    // already is that concept.
    tongwen(&data)
        .args(["terms", "import"])
        .arg(&conflicting)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("0 added").and(predicate::str::contains("conflict: entry 1")),
        );
    // An entry sharing only a term is a concept of its own, listed for review.
    let homograph = dir.path().join("homograph.csv");
    std::fs::write(&homograph, "zh,en\n大运河,Great Canal Corridor\n").unwrap();
    tongwen(&data)
        .args(["terms", "import"])
        .arg(&homograph)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("1 added").and(predicate::str::contains(
                "likely duplicate: entry 1 (added as concept",
            )),
        );
}

#[test]
fn an_approved_name_jieba_cuts_becomes_a_word_of_the_index_until_deprecated() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let weaver = |lang: &str| fixture(&format!("mining/weaver-{lang}.txt"));
    corpus(&data, &[weaver("zh"), weaver("en")]);
    let mined = json_of(tongwen(&data).args(["mine", "--json", "--top", "50"]));
    let pairs = mined.as_array().expect("an array");
    let name = pairs
        .iter()
        .find(|p| p["zh"] == "欧阳明远")
        .expect("欧阳明远 mined");
    assert_eq!(name["en"], "Ouyang Mingyuan");
    assert_eq!(name["name"], true);
    assert_eq!(name["frequency"], 6);
    // Its pieces never stand alone: they are not listed on their own.
    assert!(
        pairs.iter().all(|p| p["zh"] != "欧阳" && p["zh"] != "明远"),
        "{pairs:?}"
    );
    let rebuilt = "the termbase's names changed since the index was built";
    let update = |data: &Path| {
        let output = tongwen(data).arg("update").output().expect("run tongwen");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).contains(rebuilt)
    };
    // A mined candidate waits for review.
    assert!(!update(&data));
    let listed = json_of(tongwen(&data).args(["terms", "list", "--json", "--search", "欧阳明远"]));
    let id = listed.as_array().unwrap()[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    tongwen(&data)
        .args(["terms", "approve", &id, "--by", "editor"])
        .assert()
        .success();
    assert!(update(&data), "approving the name rebuilds the index");
    assert!(!update(&data), "once only");
    let hits = json_of(tongwen(&data).args(["search", "--json", "欧阳明远"]));
    assert_eq!(hits.as_array().expect("an array").len(), 6);
    tongwen(&data)
        .args([
            "terms",
            "deprecate",
            &id,
            "--zh",
            "欧阳明远",
            "--by",
            "editor",
        ])
        .assert()
        .success();
    assert!(update(&data), "a deprecated name is no word any more");
}

#[test]
fn hostile_glossaries_are_refused_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cases = [
        ("bomb.tbx", "<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>&b;</term></termSec></langSec></conceptEntry></body></text></tbx>", "line 2"),
        // An external DTD is never read: the file is judged on what it holds.
        ("external.tbx", "<!DOCTYPE tbx SYSTEM \"file:///etc/passwd\"><tbx/>", "no <text><body>"),
        ("external-entity.tbx", "<!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><tbx><text><body><conceptEntry><langSec xml:lang=\"en\"><termSec><term>&x;</term></termSec></langSec></conceptEntry></body></text></tbx>", "declares entities"),
        ("unclosed.tbx", "<tbx><text><body>\n<conceptEntry id=\"1\"><langSec xml:lang=\"zh\"><termSec><term>一带一路</term></termSec></langSec></conceptEntry>\n<conceptEntry id=\"2\"><langSec xml:lang=\"zh\">", "line 3"),
        ("bad.csv", "zh,en,status\n一带一路,Belt and Road,preferred\n新质生产力,new quality productive forces,sometimes\n", "line 3"),
        ("bad.json", "[{\"languages\": [{\"lang\": \"zh\", \"terms\": [{\"text\": \"天津\"}]}]},\n {\"languages\": 5}]", "concept 2"),
    ];
    for (name, content, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        tongwen(&data)
            .args(["terms", "import"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expected).and(predicate::str::contains(name)));
    }
    let latin1 = dir.path().join("latin1.csv");
    std::fs::write(&latin1, b"zh,en\n\xe4\xb8\x80,caf\xe9\n").unwrap();
    tongwen(&data)
        .args(["terms", "import"])
        .arg(&latin1)
        .assert()
        .code(2);
    // Mixed encodings decode only as Western text, without a Chinese character left.
    let mixed = dir.path().join("mixed.csv");
    std::fs::write(&mixed, b"zh,en\n\xd2\xbb,caf\xe9\n").unwrap();
    tongwen(&data)
        .args(["terms", "import"])
        .arg(&mixed)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds no Chinese"));
    // A short GBK glossary is read as GBK, not as Western text.
    let gbk = dir.path().join("gbk.csv");
    std::fs::write(
        &gbk,
        b"zh,en\n\xd2\xbb\xb4\xf8\xd2\xbb\xc2\xb7,Belt and Road\n",
    )
    .unwrap();
    let gbk_data = dir.path().join("gbk-data");
    tongwen(&gbk_data)
        .args(["terms", "import"])
        .arg(&gbk)
        .assert()
        .success();
    tongwen(&gbk_data)
        .args(["terms", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("一带一路"));
    let listed = json_of(tongwen(&data).args(["terms", "list", "--json"]));
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "nothing half-imported: {listed}"
    );
}

#[test]
fn check_reports_findings_with_segment_ids_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let glossary = project_root().join("demo/glossary.tbx");
    tongwen(&data)
        .args(["terms", "import"])
        .arg(&glossary)
        .assert()
        .success();
    let xliff = dir.path().join("draft.xlf");
    std::fs::write(&xliff, r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh-CN" trgLang="en">
  <file id="f1">
    <unit id="intro"><segment id="1"><source>推动高水平对外开放。</source><target>Promote high-level opening-up.</target></segment></unit>
    <unit id="figures"><segment><source>全国共有229家国家级经开区。</source><target>There are 228 state-level economic and technological development zones.</target></segment></unit>
    <unit id="clean"><segment><source>大运河是世界文化遗产。</source><target>The Grand Canal is a World Cultural Heritage site.</target></segment></unit>
  </file>
</xliff>"#).unwrap();
    let output = tongwen(&data)
        .args(["check", "--format", "json"])
        .arg(&xliff)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let seen: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["segment"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("intro/1".to_string(), "deprecated-term".to_string()),
            ("figures".to_string(), "number-mismatch".to_string())
        ]
    );
    assert!(
        findings[0]["evidence"]["expected"][0] == "high-standard opening up"
            && !findings[0]["message"].as_str().unwrap().is_empty()
    );

    // The same against a glossary file, without a store; HTML escapes what it shows.
    let html = dir.path().join("report.html");
    tongwen(&dir.path().join("none"))
        .args(["check", "--format", "html", "--termbase"])
        .arg(&glossary)
        .arg(&xliff)
        .arg("--out")
        .arg(&html)
        .assert()
        .code(1);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<td>intro/1</td>") && page.contains("deprecated-term"));
    assert!(
        !dir.path().join("none").exists(),
        "check must not create a store"
    );

    // TMX units are named by number; a clean file exits 0.
    let tmx = dir.path().join("clean.tmx");
    std::fs::write(&tmx, "<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body><tu><tuv xml:lang=\"zh-CN\"><seg>推动高水平对外开放。</seg></tuv><tuv xml:lang=\"en\"><seg>Promote high-standard opening up.</seg></tuv></tu></body></tmx>").unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&tmx)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 findings in 1 segments"));
    std::fs::write(&tmx, "<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"zh-CN\"><seg>四十</seg></tuv><tuv xml:lang=\"en\"><seg>forty-one</seg></tuv></tu></body></tmx>").unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&tmx)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("TU 1\tnumber-mismatch"));
    // A unit's tuid names it.
    std::fs::write(&tmx, "<tmx version=\"1.4\"><body><tu tuid=\"menu.count\"><tuv xml:lang=\"zh-CN\"><seg>四十</seg></tuv><tuv xml:lang=\"en\"><seg>forty-one</seg></tuv></tu></body></tmx>").unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&tmx)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("menu.count\tnumber-mismatch"));

    // An XLIFF 1.2 without target-language (Angular's default) is read by its
    // targets; a file's untranslatable units are not checked; several files qualify
    // the ids.
    let angular = dir.path().join("messages.xlf");
    std::fs::write(&angular, r#"<xliff version="1.2"><file source-language="zh-CN" original="a.html"><body>
<trans-unit id="n"><source>全国共有229家国家级经开区。</source><target>There are 228 state-level zones.</target></trans-unit>
<trans-unit id="code" translate="no"><source>共有229家</source><target>228</target></trans-unit></body></file>
<file source-language="zh-CN" original="b.html"><body><trans-unit id="n"><source>四十</source><target>forty-one</target></trans-unit></body></file></xliff>"#).unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&angular)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "names no target language; its target texts read as en",
        ))
        .stdout(
            predicate::str::contains("a.html/n\tnumber-mismatch")
                .and(predicate::str::contains("b.html/n\tnumber-mismatch"))
                .and(predicate::str::contains("code").not()),
        );

    // Plain texts are aligned first.
    tongwen(&data)
        .args(["check", "--zh"])
        .arg(fixture("canal-zh.txt"))
        .arg("--en")
        .arg(fixture("canal-en.txt"))
        .assert()
        .code(predicate::in_iter([0, 1]));

    // Bad input: exit 2 with the place.
    let broken = dir.path().join("broken.xliff");
    std::fs::write(&broken, "<xliff version=\"1.2\"><file source-language=\"zh\" target-language=\"en\"><body>\n<trans-unit id=\"1\"><source>一</source>\n</body></file></xliff>").unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.xliff").and(predicate::str::contains("line 3")));
    let french = dir.path().join("fr.xlf");
    std::fs::write(
        &french,
        "<xliff version=\"2.0\" srcLang=\"fr\" trgLang=\"en\"><file id=\"f\"/></xliff>",
    )
    .unwrap();
    tongwen(&data)
        .arg("check")
        .arg(&french)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fr"));
}

#[test]
#[ignore = "needs ../shared (the seed texts); .ci/run includes it"]
fn the_seed_pair_yields_the_named_concepts_from_the_cli() {
    let seed = project_root().join("../shared/seed");
    assert!(
        seed.is_dir(),
        "this test needs the shared seed texts in {}",
        seed.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    corpus(&data, &[seed.join("etdz-zh.txt"), seed.join("etdz-en.txt")]);
    let mined = json_of(tongwen(&data).args(["mine", "--json", "--top", "1000"]));
    let pairs = mined.as_array().unwrap();
    for (zh, en) in [
        ("新质生产力", "new quality productive forces"),
        ("高水平对外开放", "high-standard opening up"),
        ("一带一路", "Belt and Road"),
        (
            "国家级经济技术开发区",
            "state-level economic and technological development zones",
        ),
        ("内生动力", "endogenous momentum"),
        ("何立峰", "He Lifeng"),
    ] {
        assert!(
            pairs.iter().any(|p| p["zh"] == zh
                && (p["en"].as_str().unwrap().eq_ignore_ascii_case(en)
                    || p["variants"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|v| v.as_str().unwrap().eq_ignore_ascii_case(en)))),
            "{zh} → {en} not mined"
        );
    }
}

/// Mining quality on three story pairs written for this project, against a glossary
/// built by hand from them (`tests/data/mining/glossary.csv`): precision of the top
/// pairs and recall of the glossary. Prints the figures recorded in BENCHMARKS.md.
#[test]
fn mining_precision_and_recall_on_the_project_glossary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mining = |name: &str| fixture(&format!("mining/{name}"));
    corpus(
        &data,
        &[
            fixture("canal-zh.txt"),
            fixture("canal-en.txt"),
            mining("opera-zh.txt"),
            mining("opera-en.txt"),
            mining("rural-zh.txt"),
            mining("rural-en.txt"),
        ],
    );
    let mined = json_of(tongwen(&data).args(["mine", "--json", "--top", "1000"]));
    let pairs = mined.as_array().unwrap();
    let key = |text: &str| tongwen_terms::termbase::term_key("en", text);
    let glossary: Vec<(String, String)> = std::fs::read_to_string(mining("glossary.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            (fields[0].to_string(), key(fields[1]))
        })
        .collect();
    let correct = |p: &serde_json::Value| {
        glossary
            .iter()
            .any(|(zh, en)| p["zh"] == zh.as_str() && key(p["en"].as_str().unwrap()) == *en)
    };
    let recalled = glossary
        .iter()
        .filter(|(zh, en)| {
            pairs.iter().any(|p| {
                p["zh"] == zh.as_str()
                    && (key(p["en"].as_str().unwrap()) == *en
                        || p["variants"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|v| key(v.as_str().unwrap()) == *en))
            })
        })
        .count();
    let precision_at = |k: usize| {
        pairs.iter().take(k).filter(|p| correct(p)).count() as f64 / k.min(pairs.len()) as f64
    };
    let recall = recalled as f64 / glossary.len() as f64;
    eprintln!(
        "{} pairs mined; glossary {} entries, recall {recall:.3}; precision@10 {:.2}, @20 {:.2}",
        pairs.len(),
        glossary.len(),
        precision_at(10),
        precision_at(20)
    );
    for p in pairs.iter().take(20) {
        eprintln!(
            "  {} {} → {} {}",
            if correct(p) { "+" } else { "-" },
            p["zh"],
            p["en"],
            p["frequency"]
        );
    }
    eprintln!(
        "missed: {:?}",
        glossary
            .iter()
            .filter(|(zh, _)| !pairs.iter().any(|p| p["zh"] == zh.as_str()))
            .map(|g| &g.0)
            .collect::<Vec<_>>()
    );
    assert!(recall >= 0.7, "recall {recall:.3}");
    assert!(
        precision_at(10) >= 0.7,
        "precision@10 {:.2}",
        precision_at(10)
    );
}

#[test]
fn findings_have_severities_places_and_can_be_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmx = dir.path().join("draft.tmx");
    // Unit 1 changes a figure (an error); unit 2's English adds one (a warning).
    std::fs::write(&tmx, "<tmx version=\"1.4\"><header srclang=\"zh-CN\"/><body>\n<tu tuid=\"a\"><tuv xml:lang=\"zh-CN\"><seg>增长百分之五。</seg></tuv><tuv xml:lang=\"en\"><seg>It grew 6 percent.</seg></tuv></tu>\n<tu><tuv xml:lang=\"zh-CN\"><seg>会议召开。</seg></tuv><tuv xml:lang=\"en\"><seg>The 19th congress opened.</seg></tuv></tu>\n</body></tmx>").unwrap();
    let report = |extra: &[&str]| -> (Option<i32>, serde_json::Value) {
        let output = tongwen(&data)
            .args(["check", "--format", "json"])
            .args(extra)
            .arg(&tmx)
            .output()
            .unwrap();
        (
            output.status.code(),
            serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr))),
        )
    };
    let (code, all) = report(&[]);
    assert_eq!(code, Some(1));
    let findings = all.as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["place"]["kind"], "tmx-unit");
    assert_eq!(findings[0]["place"]["tuid"], "a");
    assert_eq!(findings[0]["place"]["line"], 2);
    assert_eq!(findings[1]["place"]["number"], 2);
    assert_eq!(findings[1]["segment"], "TU 2");
    assert_eq!(findings[1]["severity"], "warning");
    // Errors only.
    let (_, errors) = report(&["--min-severity", "error"]);
    assert_eq!(errors.as_array().unwrap().len(), 1);

    // Dismissed in the store by id: not reported again, and the text report says so.
    let id = findings[1]["id"].as_str().unwrap().to_string();
    tongwen(&data)
        .args([
            "check",
            "--dismiss",
            &id,
            "--reason",
            "explicitation",
            "--by",
            "editor",
        ])
        .arg(&tmx)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "dismissed {id} (number-mismatch) by editor"
        )));
    let (_, left) = report(&[]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    tongwen(&data)
        .arg("check")
        .arg(&tmx)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "1 findings in 2 segments (1 dismissed left out)",
        ))
        .stdout(predicate::str::contains("TU 2").not());
    // A changed segment is checked afresh.
    std::fs::write(
        &tmx,
        std::fs::read_to_string(&tmx)
            .unwrap()
            .replace("19th", "20th"),
    )
    .unwrap();
    let (_, changed) = report(&[]);
    assert_eq!(changed.as_array().unwrap().len(), 2);
    // An id no segment has dismisses nothing.
    tongwen(&data)
        .args(["check", "--dismiss", "0123456789abcdef"])
        .arg(&tmx)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no finding"));

    // A dismissals file works without a store; a bad line is named, the rest kept.
    let ids = dir.path().join("dismissed.txt");
    let first = changed[0]["id"].as_str().unwrap().to_string();
    std::fs::write(
        &ids,
        format!("# reviewed\n{first}  changed on purpose\nnonsense\n"),
    )
    .unwrap();
    let output = tongwen(&dir.path().join("none"))
        .args(["check", "--format", "json", "--dismissals"])
        .arg(&ids)
        .arg(&tmx)
        .output()
        .unwrap();
    let kept: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(kept.as_array().unwrap().len(), 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("dismissed.txt:3"));

    // HTML groups by rule, with counts.
    let html = dir.path().join("report.html");
    tongwen(&dir.path().join("none"))
        .args(["check", "--format", "html", "--out"])
        .arg(&html)
        .arg(&tmx)
        .assert()
        .code(1);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h2>number-mismatch (2)</h2>"), "{page}");
    assert!(page.contains("class=\"warning\"") && page.contains("class=\"error\""));

    // Plain texts are placed by their lines.
    let (zh, en) = (dir.path().join("zh.txt"), dir.path().join("en.txt"));
    std::fs::write(&zh, "标题\n\n增长百分之五。\n").unwrap();
    std::fs::write(&en, "Title\nIt grew 6 percent.\n").unwrap();
    let output = tongwen(&dir.path().join("none"))
        .args(["check", "--format", "json", "--zh"])
        .arg(&zh)
        .arg("--en")
        .arg(&en)
        .output()
        .unwrap();
    let lines: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let place = &lines[0]["place"];
    assert_eq!(
        (
            place["kind"].as_str(),
            place["zh"]["first"].as_u64(),
            place["en"]["first"].as_u64()
        ),
        (Some("lines"), Some(3), Some(2))
    );
}
