//! End-to-end tests of the corpus commands: ingest, pair, update, pairs, stats, and
//! recovery from a killed ingest.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name)
}

fn tongwen(data: &Path) -> Command {
    let mut command = Command::cargo_bin("tongwen").expect("tongwen binary");
    command.arg("--data").arg(data);
    command
}

fn stats(data: &Path) -> serde_json::Value {
    let output = tongwen(data)
        .args(["stats", "--json"])
        .output()
        .expect("stats");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// `search ARGS --json`, which must succeed, as JSON.
fn search_json(data: &Path, args: &[&str]) -> serde_json::Value {
    let output = tongwen(data)
        .arg("search")
        .args(args)
        .arg("--json")
        .output()
        .expect("search");
    assert!(
        output.status.success(),
        "search {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// A folder with the news fixture pair under scrambled names, a TMX file, a JSON Lines
/// file with a given pair, an empty file and a file of another format.
fn corpus_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("zh")).expect("mkdir");
    std::fs::create_dir_all(root.join("en/deep")).expect("mkdir");
    std::fs::copy(fixture("canal-zh.txt"), root.join("zh/3f2a.txt")).expect("copy");
    std::fs::copy(fixture("canal-en.txt"), root.join("en/deep/91c0.txt")).expect("copy");
    std::fs::write(
        root.join("memory.tmx"),
        "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"zh-CN\"><seg>新质生产力</seg></tuv><tuv xml:lang=\"en\"><seg>new quality productive forces</seg></tuv></tu></body></tmx>",
    )
    .expect("write");
    std::fs::write(root.join("given.jsonl"), "{\"text\":\"何立峰在天津出席座谈会并讲话。\",\"pair\":\"a\"}\n{\"text\":\"He Lifeng attended a symposium in Tianjin and spoke.\",\"pair\":\"a\",\"source\":\"Xinhua\"}\n").expect("write");
    std::fs::write(root.join("empty.txt"), "").expect("write");
    std::fs::write(root.join("notes.docx"), "not read").expect("write");
    dir
}

#[test]
fn ingest_pair_align_and_list() {
    let input = corpus_folder();
    let data = tempfile::tempdir().expect("tempdir");
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("empty.txt: the file is empty")
                .and(predicate::str::contains("6 documents added"))
                .and(predicate::str::contains("1 files of other formats skipped")),
        );
    // Idempotent: the same batch adds nothing.
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "0 documents added, 6 already stored",
        ));
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(
            predicate::str::contains("1 new pairs found")
                .and(predicate::str::contains("2 pairs aligned")),
        );
    let counts = stats(data.path());
    assert_eq!(
        (
            counts["zh_documents"].as_u64(),
            counts["en_documents"].as_u64(),
            counts["pairs"].as_u64()
        ),
        (Some(3), Some(3), Some(3))
    );
    let output = tongwen(data.path()).arg("pairs").output().expect("pairs");
    let tsv = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        tsv.lines()
            .any(|l| l.contains("3f2a.txt") && l.contains("91c0.txt")),
        "{tsv}"
    );
    assert_eq!(tsv.lines().count(), 3);
    let output = tongwen(data.path())
        .args(["pairs", "--format", "json"])
        .output()
        .expect("pairs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let canal = json
        .as_array()
        .expect("array")
        .iter()
        .find(|p| {
            p["zh_origin"]
                .as_str()
                .is_some_and(|o| o.ends_with("3f2a.txt"))
        })
        .expect("canal pair");
    assert_eq!(canal["given"], false);
    assert_eq!(canal["beads"], 9);
}

#[test]
fn search_and_export() {
    let input = corpus_folder();
    let data = tempfile::tempdir().expect("tempdir");
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .code(1);
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(predicate::str::contains("3 pairs indexed"));
    let search = |args: &[&str]| search_json(data.path(), args);
    // A Chinese word inside a longer word, with the match highlighted on its side.
    let hits = search(&["运河"]);
    let first = &hits[0];
    let zh = first["zh_text"].as_str().expect("zh_text");
    let range = &first["zh_highlights"][0];
    let (start, end) = (
        range["start"].as_u64().expect("start") as usize,
        range["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(&zh[start..end], "运河");
    assert!(first["en_text"]
        .as_str()
        .is_some_and(|t| t.contains("Canal")));
    // Any verbatim Chinese substring is found, across jieba's word boundaries
    // (新质|生产力, 座谈会), and highlighted.
    for (query, text) in [
        ("质生", "新质生产力"),
        ("谈会并讲", "何立峰在天津出席座谈会并讲话。"),
    ] {
        let hits = search(&[query]);
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{query}");
        let zh = hits[0]["zh_text"].as_str().expect("zh_text");
        assert_eq!(zh, text);
        let range = &hits[0]["zh_highlights"][0];
        let (start, end) = (
            range["start"].as_u64().expect("start") as usize,
            range["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(&zh[start..end], query);
    }
    assert_eq!(search(&["质产"]).as_array().map(Vec::len), Some(0));
    // English words are stemmed: "opens" finds "opened".
    assert!(search(&["festival opens"])
        .as_array()
        .is_some_and(|h| h.len() >= 2));
    // A quoted English phrase must occur as written.
    assert_eq!(
        search(&["\"new quality productive forces\""])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        search(&["\"quality new\""]).as_array().map(Vec::len),
        Some(0)
    );
    // Filters.
    assert_eq!(
        search(&["运河", "--source", "同文新闻"])
            .as_array()
            .map(|h| h.is_empty()),
        Some(false)
    );
    assert_eq!(
        search(&["运河", "--source", "Other"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    assert_eq!(
        search(&["运河", "--to", "2020-01-01"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    tongwen(data.path())
        .args(["search", "运河", "--from", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a date"));

    let output = tongwen(data.path())
        .args(["export", "tsv"])
        .output()
        .expect("export");
    let tsv = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(tsv.lines().all(|l| l.matches('\t').count() == 1));
    assert!(tsv.contains("新质生产力\tnew quality productive forces"));
    let tmx_path = data.path().join("out.tmx");
    tongwen(data.path())
        .args(["export", "tmx", "--out"])
        .arg(&tmx_path)
        .assert()
        .success();
    let tmx = std::fs::read_to_string(&tmx_path).expect("TMX written");
    let mut reader = quick_xml::Reader::from_str(&tmx);
    let mut units = 0;
    loop {
        match reader.read_event().expect("well-formed TMX") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"tu" => units += 1,
            _ => {}
        }
    }
    assert_eq!(units, tsv.lines().count());
    let output = tongwen(data.path())
        .args(["export", "jsonl", "--min-score", "0.99"])
        .output()
        .expect("export");
    for line in String::from_utf8(output.stdout).expect("UTF-8").lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert!(row["score"].as_f64().is_some_and(|s| s >= 0.99));
    }
}

#[test]
fn pairs_given_on_the_command_line() {
    let data = tempfile::tempdir().expect("tempdir");
    let (zh, en) = (fixture("canal-zh.txt"), fixture("canal-en.txt"));
    tongwen(data.path())
        .arg("ingest")
        .arg(&zh)
        .arg(&en)
        .assert()
        .success();
    tongwen(data.path())
        .args(["pair", "--given"])
        .arg(&zh)
        .arg(&en)
        .assert()
        .success();
    tongwen(data.path())
        .args(["pair", "--given", "nowhere.txt"])
        .arg(&en)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no Chinese document from")
                .and(predicate::str::contains("nowhere.txt")),
        );
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(predicate::str::contains("1 pairs aligned"));
    let output = tongwen(data.path())
        .args(["pairs", "--format", "json"])
        .output()
        .expect("pairs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json[0]["given"], true);
}

#[test]
fn a_lost_index_is_rebuilt() {
    let data = tempfile::tempdir().expect("tempdir");
    tongwen(data.path())
        .arg("ingest")
        .arg(fixture("canal-zh.txt"))
        .arg(fixture("canal-en.txt"))
        .assert()
        .success();
    tongwen(data.path()).arg("update").assert().success();
    let hits =
        |data: &Path| -> usize { search_json(data, &["运河"]).as_array().map_or(0, Vec::len) };
    let before = hits(data.path());
    assert!(before > 0);
    let index = data.path().join("index");
    std::fs::remove_dir_all(&index).expect("remove index");
    // A search of a lost index says so rather than finding nothing.
    tongwen(data.path())
        .args(["search", "运河"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no concordance index")
                .and(predicate::str::contains("tongwen update")),
        );
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(predicate::str::contains("rebuilt it"));
    assert_eq!(hits(data.path()), before);
    tongwen(data.path())
        .args(["update", "--reindex"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 pairs indexed"));
    assert_eq!(hits(data.path()), before);
    // A damaged index: a broken meta file, then a segment file gone. Search and
    // update name the remedy; `update --reindex` mends both.
    let refused_then_mended = |command: &[&str]| {
        tongwen(data.path())
            .args(command)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--reindex"));
        tongwen(data.path())
            .args(["update", "--reindex"])
            .assert()
            .success();
        assert_eq!(hits(data.path()), before);
    };
    std::fs::write(index.join("meta.json"), "{ not json").expect("damage meta");
    refused_then_mended(&["search", "运河"]);
    std::fs::write(index.join("meta.json"), "{ not json").expect("damage meta");
    refused_then_mended(&["update"]);
    let segment = std::fs::read_dir(&index)
        .expect("index dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("a segment file");
    std::fs::remove_file(segment).expect("remove segment file");
    refused_then_mended(&["search", "运河"]);
}

#[test]
fn data_directory_from_environment() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut command = Command::cargo_bin("tongwen").expect("tongwen binary");
    command
        .env("TONGWEN_DATA", data.path())
        .arg("ingest")
        .arg(fixture("canal-zh.txt"))
        .assert()
        .success();
    assert!(data.path().join("tongwen.sqlite").exists());
}

#[test]
fn explicit_bad_paths_are_refused() {
    let data = tempfile::tempdir().expect("tempdir");
    tongwen(data.path())
        .args(["ingest", "/nonexistent/x.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file or folder"));
    let input = tempfile::tempdir().expect("tempdir");
    std::fs::write(input.path().join("a.pdf"), "%PDF").expect("write");
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path().join("a.pdf"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a supported format"));
}

#[test]
fn malformed_tmx_names_line_and_column() {
    let data = tempfile::tempdir().expect("tempdir");
    let input = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        input.path().join("bad.tmx"),
        "<tmx version=\"1.4\"><body>\n<tu><tuv xml:lang=\"en\"><seg>x</tuv></tu></body></tmx>",
    )
    .expect("write");
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.tmx: line 2, column"));
    assert_eq!(stats(data.path())["en_documents"], 0);
}

/// A `kill -9` in the middle of an ingest leaves a consistent store, and running the
/// same command again finishes the job with no duplicates and nothing lost.
#[test]
fn killed_ingest_is_finished_by_rerunning() {
    let input = tempfile::tempdir().expect("tempdir");
    let zh = std::fs::read_to_string(fixture("canal-zh.txt")).expect("fixture");
    let en = std::fs::read_to_string(fixture("canal-en.txt")).expect("fixture");
    // Enough work that the kill below lands while documents are being written.
    for k in 0..1500 {
        let (text, lang) = if k % 2 == 0 { (&zh, "zh") } else { (&en, "en") };
        let body = text.lines().nth(3).unwrap_or_default();
        let filler: String = (0..30).map(|j| format!("\n{k} {j} {body}")).collect();
        std::fs::write(
            input.path().join(format!("{lang}-{k:04}.txt")),
            format!("{text}{filler}\n"),
        )
        .expect("write");
    }
    let reference = tempfile::tempdir().expect("tempdir");
    tongwen(reference.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .success();
    let expected = stats(reference.path());

    let data = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tongwen"))
        .arg("--data")
        .arg(data.path())
        .arg("ingest")
        .arg(input.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill as soon as documents are being written.
    let started = Instant::now();
    let database = data.path().join("tongwen.sqlite-wal");
    while !database.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(30));
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    let partial = stats(data.path());
    let documents = |s: &serde_json::Value| {
        s["zh_documents"].as_u64().unwrap_or(0) + s["en_documents"].as_u64().unwrap_or(0)
    };
    assert!(
        documents(&partial) < documents(&expected),
        "the kill came too late to interrupt the ingest: {partial}"
    );

    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .success();
    assert_eq!(stats(data.path()), expected);
}

#[test]
fn chinese_substrings_with_ling_and_extension_b_characters_are_found() {
    let input = tempfile::tempdir().expect("tempdir");
    // 〇 writes years (二〇二四); 𠮷 (U+20BB7, CJK Extension B) is a variant in names.
    std::fs::write(
        input.path().join("memory.tmx"),
        "<tmx version=\"1.4\"><header/><body>\
         <tu><tuv xml:lang=\"zh-CN\"><seg>二〇二四年秋天，𠮷田先生来到运河边。</seg></tuv>\
         <tuv xml:lang=\"en\"><seg>In the autumn of 2024, Mr Yoshida came to the canal.</seg></tuv></tu>\
         </body></tmx>",
    )
    .expect("write");
    let data = tempfile::tempdir().expect("tempdir");
    tongwen(data.path())
        .arg("ingest")
        .arg(input.path())
        .assert()
        .success();
    tongwen(data.path()).arg("update").assert().success();
    for needle in ["二〇二四", "〇二", "𠮷田", "𠮷田先生"] {
        let hits = search_json(data.path(), &[needle]);
        assert_eq!(hits.as_array().map(Vec::len), Some(1), "{needle}: {hits}");
    }
    // An index committed before these characters made bigrams (its payload without the
    // record saying they do) is rebuilt by the next update, once.
    let meta_path = data.path().join("index/meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).expect("meta.json")).expect("JSON");
    assert!(
        meta["payload"]
            .as_str()
            .is_some_and(|p| p.starts_with("han bigrams")),
        "{meta}"
    );
    meta["payload"] = serde_json::Value::Null;
    std::fs::write(&meta_path, meta.to_string()).expect("write meta.json");
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the index was built when 〇 and rare CJK characters made no substrings; rebuilt it",
        ));
    tongwen(data.path())
        .arg("update")
        .assert()
        .success()
        .stderr(predicate::str::contains("rebuilt").not());
}
