//! End-to-end tests of the `tongwen` binary: the CLI contract, formats, and bad input.
//!
//! Fixtures written by this project live in `tests/data/`. The `shared` module reads
//! the evaluation data and seed texts in `../shared` beside the project and fails with
//! a clear message when it is missing.

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

fn tongwen() -> Command {
    Command::cargo_bin("tongwen").expect("tongwen binary")
}

fn stdout_of(command: &mut Command) -> String {
    let output = command.output().expect("run tongwen");
    assert!(
        output.status.success(),
        "tongwen failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

mod align {
    use super::*;

    #[test]
    fn news_fixture_in_align_format() {
        let out = stdout_of(
            tongwen()
                .arg("align")
                .arg(fixture("canal-zh.txt"))
                .arg(fixture("canal-en.txt")),
        );
        assert_eq!(
            out,
            "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n[4]:[4]\n[5]:[]\n[6]:[5]\n[7]:[]\n[8]:[]\n"
        );
    }

    #[test]
    fn json_carries_text_scores_flags_and_metadata() {
        let out = stdout_of(
            tongwen()
                .args(["align", "--format", "json"])
                .arg(fixture("canal-zh.txt"))
                .arg(fixture("canal-en.txt")),
        );
        let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let beads = json["beads"].as_array().expect("beads");
        assert_eq!(beads.len(), 9);
        assert_eq!(beads[2]["zh"], serde_json::json!([2]));
        assert!(beads[2]["zh_text"]
            .as_str()
            .is_some_and(|t| t.starts_with("大运河全长")));
        assert!(beads[2]["en_text"]
            .as_str()
            .is_some_and(|t| t.contains("3,200 km")));
        assert!(beads[2]["score"]
            .as_f64()
            .is_some_and(|s| (0.0..=1.0).contains(&s)));
        assert!(beads[2]["low_confidence"].is_boolean());
        assert_eq!(json["metadata"]["zh"]["editor"], "王芳");
        assert_eq!(json["metadata"]["en"]["place"], "HANGZHOU");
        // The final ■ is dropped, not aligned.
        assert!(!out.contains('■'));
    }

    #[test]
    fn tsv_is_one_bead_a_line() {
        let out = stdout_of(
            tongwen()
                .args(["align", "--format", "tsv"])
                .arg(fixture("canal-zh.txt"))
                .arg(fixture("canal-en.txt")),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 9);
        assert!(lines.iter().all(|l| l.matches('\t').count() == 1));
        assert!(
            lines[5].ends_with('\t'),
            "an omitted sentence has an empty English side"
        );
    }

    #[test]
    fn tmx_is_well_formed_with_both_languages() {
        let out = stdout_of(
            tongwen()
                .args(["align", "--format", "tmx"])
                .arg(fixture("canal-zh.txt"))
                .arg(fixture("canal-en.txt")),
        );
        let mut reader = quick_xml::Reader::from_str(&out);
        let (mut tus, mut tuvs, mut langs) = (0, 0, Vec::new());
        loop {
            match reader.read_event().expect("well-formed TMX") {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"tu" => tus += 1,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"tuv" => {
                    tuvs += 1;
                    let lang = e
                        .try_get_attribute("xml:lang")
                        .expect("attribute")
                        .expect("xml:lang");
                    langs.push(String::from_utf8_lossy(&lang.value).into_owned());
                }
                quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                    if e.name().as_ref() == b"header" =>
                {
                    assert!(e
                        .try_get_attribute("creationdate")
                        .expect("attribute")
                        .is_some());
                    assert!(e.try_get_attribute("srclang").expect("attribute").is_some());
                }
                _ => {}
            }
        }
        assert_eq!(
            (tus, tuvs),
            (6, 12),
            "one TU per bead with text on both sides"
        );
        assert!(langs.iter().all(|l| l == "zh-CN" || l == "en"));
        assert!(out.contains("<tmx version=\"1.4\">"));
    }

    #[test]
    fn lines_mode_keeps_given_segmentation() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("zh"),
            "天津是一座大城市。\n何立峰去了北京。\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("en"),
            "Tianjin is a big city. He Lifeng went to Beijing.\n",
        )
        .expect("write");
        let out = stdout_of(
            tongwen()
                .args(["align", "--split", "lines"])
                .arg(dir.path().join("zh"))
                .arg(dir.path().join("en")),
        );
        assert_eq!(out, "[0,1]:[0]\n");
    }

    #[test]
    fn directories_are_aligned_by_file_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (zh_dir, en_dir, out_dir) = (
            dir.path().join("zh"),
            dir.path().join("en"),
            dir.path().join("out"),
        );
        std::fs::create_dir_all(&zh_dir).expect("mkdir");
        std::fs::create_dir_all(&en_dir).expect("mkdir");
        for name in ["a.txt", "b.txt"] {
            std::fs::copy(fixture("canal-zh.txt"), zh_dir.join(name)).expect("copy");
            std::fs::copy(fixture("canal-en.txt"), en_dir.join(name)).expect("copy");
        }
        std::fs::copy(fixture("canal-zh.txt"), zh_dir.join("only-zh.txt")).expect("copy");
        tongwen()
            .args(["align", "--format", "tsv", "--zh-dir"])
            .arg(&zh_dir)
            .arg("--en-dir")
            .arg(&en_dir)
            .arg("--out-dir")
            .arg(&out_dir)
            .assert()
            .success()
            .stderr(
                predicate::str::contains("only-zh.txt is in")
                    .and(predicate::str::contains("aligned 2 of 2 pairs")),
            );
        let a = std::fs::read_to_string(out_dir.join("a.txt.tsv")).expect("a.txt.tsv written");
        assert_eq!(
            a,
            std::fs::read_to_string(out_dir.join("b.txt.tsv")).expect("b.txt.tsv written")
        );
        assert_eq!(a.lines().count(), 9);
    }
}

mod eval {
    use super::*;

    #[test]
    fn scores_against_gold() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (test, gold) = (dir.path().join("test"), dir.path().join("gold"));
        std::fs::create_dir_all(&test).expect("mkdir");
        std::fs::create_dir_all(&gold).expect("mkdir");
        std::fs::write(gold.join("x.align"), "[0]:[0]\n[1,2]:[1]\n[3]:[]\n").expect("write");
        std::fs::write(test.join("x.align"), "[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[]\n").expect("write");
        let out = stdout_of(tongwen().args(["eval", "--json"]).arg(&test).arg(&gold));
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(json["scores"]["strict_precision"], 0.5);
        assert_eq!(json["scores"]["lax_recall"], 1.0);
        let table = stdout_of(tongwen().arg("eval").arg(&test).arg(&gold));
        assert!(table.contains("strict") && table.contains("lax"));
    }

    #[test]
    fn malformed_alignment_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("x.align"), "[0]:[0]\n[1:1]\n").expect("write");
        tongwen()
            .arg("eval")
            .arg(dir.path())
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("x.align").and(predicate::str::contains("line 2")));
    }
}

mod bad_input {
    use super::*;

    fn align_pair(zh: &[u8], en: &[u8]) -> assert_cmd::assert::Assert {
        let dir = tempfile::tempdir().expect("tempdir");
        let (zh_path, en_path) = (dir.path().join("zh.txt"), dir.path().join("en.txt"));
        std::fs::write(&zh_path, zh).expect("write");
        std::fs::write(&en_path, en).expect("write");
        let assert = tongwen().arg("align").arg(&zh_path).arg(&en_path).assert();
        drop(dir);
        assert
    }

    const ZH: &[u8] = "天津是一座大城市。".as_bytes();
    const EN: &[u8] = b"Tianjin is a big city.";

    #[test]
    fn empty_file() {
        align_pair(b"", EN)
            .code(2)
            .stderr(predicate::str::contains("zh.txt").and(predicate::str::contains("empty")));
    }

    #[test]
    fn binary_file() {
        align_pair(ZH, b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
            .code(2)
            .stderr(predicate::str::contains("en.txt").and(predicate::str::contains("binary")));
    }

    #[test]
    fn both_files_english() {
        align_pair(EN, EN).code(2).stderr(predicate::str::contains(
            "zh.txt should be Chinese but looks like English",
        ));
    }

    #[test]
    fn files_swapped() {
        align_pair(EN, ZH)
            .code(2)
            .stderr(predicate::str::contains("swapped"));
    }

    #[test]
    fn only_metadata_or_symbols() {
        align_pair(ZH, "■ ■\n".as_bytes())
            .code(2)
            .stderr(predicate::str::contains("no text to align"));
    }

    #[test]
    fn one_enormous_line() {
        let line = "Words and more words. ".repeat(100_000);
        align_pair(ZH, line.as_bytes())
            .code(2)
            .stderr(predicate::str::contains("line 1 is 2.1 MiB long"));
    }

    #[test]
    fn one_enormous_sentence() {
        let line = "word ".repeat(10_000);
        align_pair(ZH, line.as_bytes())
            .code(2)
            .stderr(predicate::str::contains(
                "more than the 20000 a sentence may have",
            ));
    }

    #[test]
    fn missing_file() {
        tongwen()
            .args(["align", "/nonexistent/zh.txt", "/nonexistent/en.txt"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot read /nonexistent/zh.txt"));
    }

    #[test]
    fn undecodable_file() {
        // GBK text (天津是一座大城市。) with lead bytes followed by spaces, which neither
        // GB18030 nor Big5 allows.
        let gbk: &[u8] = &[
            0xCC, 0xEC, 0xBD, 0xF2, 0xCA, 0xC7, 0xD2, 0xBB, 0xD7, 0xF9, 0xB4, 0xF3, 0xB3, 0xC7,
            0xCA, 0xD0, 0xA1, 0xA3,
        ];
        let mut broken = gbk.repeat(3);
        broken.extend_from_slice(&[0xB0, 0x20, 0xC4, 0x20, 0xD5, 0x20]);
        align_pair(&broken, EN)
            .code(2)
            .stderr(
                predicate::str::contains("zh.txt").and(predicate::str::contains(
                    "not valid UTF-8, GB18030/GBK or Big5",
                )),
            );
    }

    #[test]
    fn gbk_input_is_decoded() {
        let gbk: Vec<u8> = vec![
            0xCC, 0xEC, 0xBD, 0xF2, 0xCA, 0xC7, 0xD2, 0xBB, 0xD7, 0xF9, 0xB4, 0xF3, 0xB3, 0xC7,
            0xCA, 0xD0, 0xA1, 0xA3,
        ];
        align_pair(&gbk, EN).success().stdout("[0]:[0]\n");
    }

    #[test]
    fn directories_without_common_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (zh, en) = (dir.path().join("zh"), dir.path().join("en"));
        std::fs::create_dir_all(&zh).expect("mkdir");
        std::fs::create_dir_all(&en).expect("mkdir");
        std::fs::write(zh.join("a"), ZH).expect("write");
        std::fs::write(en.join("b"), EN).expect("write");
        tongwen()
            .args(["align", "--zh-dir"])
            .arg(&zh)
            .arg("--en-dir")
            .arg(&en)
            .arg("--out-dir")
            .arg(dir.path().join("out"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no file name in common"));
    }
}

/// Tests on `../shared` (the seed texts and the evaluation sets).
mod shared {
    use super::*;

    fn shared_dir() -> PathBuf {
        let dir = project_root().join("../shared");
        assert!(
            dir.join("seed/etdz-zh.txt").exists() && dir.join("eval/mac-dev/gold").exists(),
            "these tests need the shared data beside the project at {}; it is missing",
            dir.display()
        );
        dir
    }

    #[test]
    #[ignore = "needs ../shared (the seed texts); .ci/run includes it"]
    fn seed_pair() {
        let shared = shared_dir();
        let out = stdout_of(
            tongwen()
                .args(["align", "--format", "json"])
                .arg(shared.join("seed/etdz-zh.txt"))
                .arg(shared.join("seed/etdz-en.txt")),
        );
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let beads = json["beads"].as_array().expect("beads");
        let texts = |side: &str| {
            beads
                .iter()
                .map(|b| b[side].as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        // Header and dateline are metadata, never aligned content.
        for noise in [
            "发布时间",
            "责任编辑",
            "新华社天津",
            "TIANJIN, Oct. 20",
            "(Xinhua) --",
            "■",
        ] {
            assert!(
                !texts("zh_text").contains(noise) && !texts("en_text").contains(noise),
                "{noise} was aligned"
            );
        }
        assert_eq!(json["metadata"]["zh"]["editor"], "张芃芃");
        assert_eq!(json["metadata"]["zh"]["source"], "新华网");
        assert_eq!(json["metadata"]["en"]["agency"], "Xinhua");
        let find = |en_start: &str| {
            beads
                .iter()
                .find(|b| {
                    b["en_text"]
                        .as_str()
                        .is_some_and(|t| t.starts_with(en_start))
                })
                .unwrap_or_else(|| panic!("no bead for {en_start}"))
        };
        let renders = [
            ("Xi stresses promoting", "指示强调"),
            (
                "Chinese President Xi Jinping has urged",
                "不断激发创新活力和内生动力",
            ),
            ("Xi, also general secretary", "中共中央总书记"),
            ("He encouraged these development zones", "排头兵"),
            ("They should actively participate", "一带一路"),
            ("He also urged these development zones", "新质生产力"),
            ("A symposium marking the 40th anniversary", "座谈会"),
            ("Chinese Vice Premier He Lifeng", "何立峰在会上"),
            ("It is imperative to study", "深入学习贯彻"),
        ];
        for (en, zh) in renders {
            let bead = find(en);
            assert!(
                bead["zh_text"].as_str().is_some_and(|t| t.contains(zh)),
                "{en} should land with {zh}: {bead}"
            );
        }
        // Omitted Chinese sentences stand alone as 1-0 beads.
        for omitted in ["习近平强调,新时代新征程", "商务部、中央编办"] {
            let bead = beads
                .iter()
                .find(|b| {
                    b["zh_text"]
                        .as_str()
                        .is_some_and(|t| t.starts_with(omitted))
                })
                .expect("omitted sentence");
            assert_eq!(bead["en"], serde_json::json!([]), "{omitted} should be 1-0");
        }
        // FIXME: "Building state-level ... zones is an important measure ..." renders the
        // end of the 中共中央总书记 sentence but lands on the next one (40年来…); the bead
        // is flagged for review.
        let building = find("Building state-level");
        assert!(building["zh_text"]
            .as_str()
            .is_some_and(|t| t.starts_with("40年来")));
        assert_eq!(building["low_confidence"], true);
    }

    #[test]
    #[ignore = "needs ../shared (MAC-Dev); .ci/run includes it"]
    fn mac_dev_directory_round_trip_through_eval() {
        let shared = shared_dir();
        let dir = tempfile::tempdir().expect("tempdir");
        let mac = shared.join("eval/mac-dev");
        tongwen()
            .args(["align", "--split", "lines", "--zh-dir"])
            .arg(mac.join("zh"))
            .arg("--en-dir")
            .arg(mac.join("en"))
            .arg("--out-dir")
            .arg(dir.path())
            .assert()
            .success();
        for name in ["001", "006"] {
            let produced = dir.path().join(format!("{name}.align"));
            let lines = std::fs::read_to_string(&produced)
                .expect("alignment written")
                .lines()
                .count();
            assert!(lines > 100, "{name}: {lines} beads");
        }
        let out = stdout_of(
            tongwen()
                .args(["eval", "--json"])
                .arg(dir.path())
                .arg(mac.join("gold")),
        );
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        // The benchmark figure is in BENCHMARKS.md; this guards against collapse.
        assert!(
            json["scores"]["strict_f1"]
                .as_f64()
                .is_some_and(|f| f > 0.8),
            "{json}"
        );
    }
}
