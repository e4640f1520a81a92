//! Derives Tongwen's compact link lexicon from the CC-CEDICT data bundled with the
//! `chinese_dictionary` 2.x crate.
//!
//! Why at build time: that crate deserializes ~45 MB on its first query (about 360 ms)
//! and adds ~50 MB to a binary. The aligner only needs, per headword, a toneless
//! pinyin reading and the stemmed English content words of its glosses, which fit in a
//! few MB and are looked up without any start-up parsing.
//!
//! Output (`$OUT_DIR/lexicon.tsv`), one headword a line, sorted bytewise by headword:
//! `headword \t pinyin \t flags \t stem stem …` where pinyin is lowercase toneless
//! syllables separated by spaces and flags is `P` when every entry is a proper noun.

use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use chinese_dictionary::WordEntry;
use rust_stemmers::{Algorithm, Stemmer};

include!("src/stopwords.in");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/stopwords.in");
    println!("cargo:rerun-if-env-changed=TONGWEN_CEDICT_DATA");
    let data_path = locate_cedict_data();
    println!("cargo:rerun-if-changed={}", data_path.display());
    let bytes = fs::read(&data_path)
        .unwrap_or_else(|e| panic!("cannot read CC-CEDICT data {}: {e}", data_path.display()));
    let entries: HashMap<u32, WordEntry> = bincode::deserialize(&bytes)
        .unwrap_or_else(|e| panic!("cannot decode CC-CEDICT data {}: {e}", data_path.display()));

    let lexicon = derive_lexicon(entries.values());
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lexicon.tsv");
    let mut file = std::io::BufWriter::new(fs::File::create(&out).expect("create lexicon.tsv"));
    for (headword, record) in &lexicon {
        let flags = if record.proper { "P" } else { "" };
        let stems: Vec<&str> = record.stems.iter().map(String::as_str).collect();
        writeln!(
            file,
            "{headword}\t{}\t{flags}\t{}",
            record.pinyin,
            stems.join(" ")
        )
        .expect("write lexicon.tsv");
    }
    file.flush().expect("flush lexicon.tsv");
}

/// Finds `data/data.dictionary` inside the `chinese_dictionary` package, wherever cargo
/// unpacked it (registry cache, vendor directory), by asking `cargo metadata`.
fn locate_cedict_data() -> PathBuf {
    if let Ok(path) = env::var("TONGWEN_CEDICT_DATA") {
        return PathBuf::from(path);
    }
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("Cargo.toml");
    let host = env::var("HOST").expect("cargo sets HOST");
    // Offline first (the crate is already unpacked when this script runs); the
    // platform filter keeps cargo from wanting packages of other targets.
    let run = |offline: bool| {
        let mut command = Command::new(&cargo);
        command
            .args([
                "metadata",
                "--format-version",
                "1",
                "--filter-platform",
                &host,
                "--manifest-path",
            ])
            .arg(&manifest);
        if offline {
            command.arg("--offline");
        }
        command
            .output()
            .expect("run cargo metadata to locate chinese_dictionary")
    };
    let mut output = run(true);
    if !output.status.success() {
        output = run(false);
    }
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
    let packages = metadata["packages"].as_array().expect("packages array");
    let manifest_path = packages
        .iter()
        .filter(|p| p["name"] == "chinese_dictionary")
        .filter_map(|p| p["manifest_path"].as_str())
        .find(|p| p.contains("2."))
        .expect("chinese_dictionary 2.x in the dependency graph");
    PathBuf::from(manifest_path)
        .parent()
        .expect("manifest has a parent directory")
        .join("data")
        .join("data.dictionary")
}

struct Record {
    pinyin: String,
    proper: bool,
    stems: Vec<String>,
    /// The headwords its glosses send the reader to ("see 内蒙古自治区", "abbr. for
    /// 中国共产党").
    references: Vec<String>,
}

fn derive_lexicon<'a>(entries: impl Iterator<Item = &'a WordEntry>) -> BTreeMap<String, Record> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut entries: Vec<&WordEntry> = entries.collect();
    // Deterministic output whatever the hash map order.
    entries.sort_by_key(|e| e.word_id);

    // Most frequent reading of each character across all words, so that a name written
    // with a polyphonic character (e.g. 何) gets its usual reading.
    let mut readings: HashMap<char, HashMap<String, u32>> = HashMap::new();
    for entry in &entries {
        let syllables = toneless_syllables(&entry.pinyin_numbers);
        let chars: Vec<char> = entry.simplified.chars().collect();
        if chars.len() == syllables.len() {
            for (c, s) in chars.iter().zip(&syllables) {
                *readings
                    .entry(*c)
                    .or_default()
                    .entry(s.clone())
                    .or_default() += 1;
            }
        }
    }

    let mut lexicon: BTreeMap<String, Record> = BTreeMap::new();
    for entry in &entries {
        let proper = entry
            .pinyin_numbers
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
        let stems = gloss_stems(&entry.english, proper, &stemmer);
        let pinyin = toneless_syllables(&entry.pinyin_numbers).join(" ");
        let mut headwords = vec![entry.simplified.clone()];
        if entry.traditional != entry.simplified {
            headwords.push(entry.traditional.clone());
        }
        for headword in headwords {
            let record = lexicon.entry(headword).or_insert_with(|| Record {
                pinyin: pinyin.clone(),
                proper,
                stems: Vec::new(),
                references: Vec::new(),
            });
            // A word with both a common and a proper reading is not a name.
            record.proper &= proper;
            if !proper && record.pinyin != pinyin && record.stems.is_empty() {
                record.pinyin = pinyin.clone();
            }
            for stem in &stems {
                if !record.stems.contains(stem) {
                    record.stems.push(stem.clone());
                }
            }
            record.references.extend(cross_references(&entry.english));
        }
    }
    // A word whose only glosses send the reader elsewhere (内蒙古: "see 内蒙古自治区";
    // 中共: "abbr. for 中国共产党") means what it is sent to: one step, so that no
    // chain or cycle is followed.
    let borrowed: Vec<(String, Vec<String>)> = lexicon
        .iter()
        .filter(|(_, record)| record.stems.is_empty() && !record.references.is_empty())
        .map(|(headword, record)| {
            let mut stems: Vec<String> = Vec::new();
            for referent in record.references.iter().filter_map(|r| lexicon.get(r)) {
                for stem in &referent.stems {
                    if !stems.contains(stem) {
                        stems.push(stem.clone());
                    }
                }
            }
            (headword.clone(), stems)
        })
        .collect();
    for (headword, stems) in borrowed {
        if let Some(record) = lexicon.get_mut(&headword) {
            record.stems = stems;
        }
    }
    for (headword, record) in lexicon.iter_mut() {
        let mut chars = headword.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if let Some(best) = readings.get(&c).and_then(|r| {
                r.iter()
                    .max_by_key(|(s, n)| (**n, std::cmp::Reverse((*s).clone())))
            }) {
                record.pinyin = best.0.clone();
            }
        }
    }
    lexicon.retain(|headword, record| {
        let unusable = headword.is_empty() || headword.contains(['\t', '\n']);
        let empty = record.stems.is_empty() && record.pinyin.is_empty();
        !(unusable || empty)
    });
    lexicon
}

/// The headwords of the glosses that only send the reader to another word ("see
/// 內蒙古自治區|内蒙古自治区[Nei4 meng3 gu3 Zi4 zhi4 qu1]", "abbr. for 中国共产党"), both
/// forms. "see also" names a related word, not the same one.
fn cross_references(glosses: &[String]) -> Vec<String> {
    glosses
        .iter()
        .filter_map(|gloss| {
            let lower = gloss.to_lowercase();
            if lower.starts_with("see also") {
                return None;
            }
            ["see ", "abbr. for "]
                .iter()
                .find_map(|prefix| lower.strip_prefix(prefix).map(|_| &gloss[prefix.len()..]))
        })
        .flat_map(|rest| {
            let target = rest.split('[').next().unwrap_or("");
            target
                .split('|')
                .map(str::trim)
                .filter(|form| !form.is_empty() && !form.is_ascii())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// "Xi2 Jin4 ping2" -> ["xi", "jin", "ping"]; "lu:4" -> ["lv"].
fn toneless_syllables(pinyin_numbers: &str) -> Vec<String> {
    pinyin_numbers
        .split_whitespace()
        .map(|s| {
            s.chars()
                .filter(|c| !c.is_ascii_digit())
                .collect::<String>()
                .to_lowercase()
                .replace("u:", "v")
        })
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase()))
        .collect()
}

/// English nouns whose plural the stemmer does not bring back to the singular.
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("person", "people"),
    ("foot", "feet"),
    ("tooth", "teeth"),
    ("mouse", "mice"),
    ("goose", "geese"),
];

/// Stemmed English content words of a CC-CEDICT entry's glosses. Cross-references,
/// classifiers, surname and variant notes and parenthesised remarks carry no
/// translation of the headword, so they are left out. A proper noun's gloss names it
/// first and then places it ("Vienna, capital of Austria", "Geneva, Switzerland"):
/// only the name is its translation, or 维也纳 would reach "Austria" and claim it
/// from 奥地利.
const MAX_GLOSS_CONTENT_WORDS: usize = 5;

fn gloss_stems(glosses: &[String], proper: bool, stemmer: &Stemmer) -> Vec<String> {
    const SKIPPED_PREFIXES: &[&str] = &[
        "variant of",
        "old variant of",
        "archaic variant of",
        "see ",
        "see also",
        "used in",
        "surname ",
        "cl:",
        "also written",
        "also pr.",
        "erhua variant",
        "japanese variant",
        "korean variant",
        "taiwan pr.",
        "abbr. for",
        "(old)",
        "(archaic)",
    ];
    let mut stems = Vec::new();
    for gloss in glosses {
        let lower = gloss.to_lowercase();
        if SKIPPED_PREFIXES.iter().any(|p| lower.starts_with(p)) {
            continue;
        }
        let mut plain = String::with_capacity(lower.len());
        let mut depth = 0usize;
        for c in lower.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        if proper {
            // "United Kingdom (UK); Britain": alternatives are kept, each without what
            // follows its comma.
            plain = plain
                .split(';')
                .map(|alternative| alternative.split(',').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(";");
        }
        let words: Vec<&str> = plain
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
            .filter(|w| STOPWORDS.binary_search(w).is_err())
            .collect();
        // A long gloss describes usage ("semantically light verb ...") rather than
        // translating the headword; its words would be false links. A name's gloss
        // often opens with the name and then describes it ("Grand Canal, the 1,800 km
        // canal from ..."): the opening stays.
        let words = if words.len() > MAX_GLOSS_CONTENT_WORDS {
            let head = plain.split([',', ';']).next().unwrap_or("");
            let head_words: Vec<&str> = head
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
                .filter(|w| STOPWORDS.binary_search(w).is_err())
                .collect();
            if head_words.is_empty()
                || head_words.len() > MAX_GLOSS_CONTENT_WORDS
                || head.len() == plain.len()
            {
                continue;
            }
            head_words
        } else {
            words
        };
        for word in words {
            // CC-CEDICT writes "Mt Tai"; texts write "Mount Tai".
            let word = if word == "mt" { "mount" } else { word };
            // The stemmer leaves irregular plurals alone, and glosses are singular:
            // 儿童 "child" must reach "China Children's Center".
            let plural = IRREGULAR_PLURALS
                .iter()
                .find(|(singular, _)| *singular == word)
                .map(|(_, plural)| *plural);
            for form in std::iter::once(word).chain(plural) {
                let stem = stemmer.stem(form).into_owned();
                if !stems.contains(&stem) {
                    stems.push(stem);
                }
            }
        }
    }
    stems
}
