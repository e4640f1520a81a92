//! Speed of `check`: 100,000 real segments against a 10,000-concept approved
//! termbase, on one core. Segments cycle through WMT22 general (source and reference
//! A); concepts are two- and three-word Chinese runs of that source with English
//! renderings of the reference's words, a quarter of them with a deprecated one, so
//! that terms are found in most segments.
//!
//! ```sh
//! cargo bench -p tongwen-qa --bench check -- "$PWD/../shared/eval/wmt22-general"
//! ```
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use tongwen_qa::{Checker, Segment};
use tongwen_terms::termbase::{Concept, TermStatus};
use tongwen_text::{EnTokenizer, ZhTokenizer};

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .expect("give the wmt22-general directory");
    let read = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
            .lines()
            .map(str::to_string)
            .collect()
    };
    let (source, reference) = (read("src.zh"), read("ref.A.en"));
    let (zh, en) = (ZhTokenizer::new(), EnTokenizer::new());

    let mut terms = BTreeSet::new();
    'lines: for line in &source {
        let words: Vec<&str> = zh
            .words(line)
            .into_iter()
            .filter(|w| w.chars().all(tongwen_text::is_han))
            .collect();
        for width in [2, 3] {
            for run in words.windows(width) {
                terms.insert(run.concat());
                if terms.len() == 10_000 {
                    break 'lines;
                }
            }
        }
    }
    let english: Vec<&str> = reference
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|w| w.len() > 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    let concepts: Vec<(Option<i64>, Concept)> = terms
        .iter()
        .enumerate()
        .map(|(k, term)| {
            let mut concept = Concept::default();
            concept
                .set_status("zh", term, TermStatus::Preferred)
                .unwrap();
            let rendering = format!(
                "{} {}",
                english[k % english.len()],
                english[(k * 7 + 3) % english.len()]
            );
            concept
                .set_status("en", &rendering, TermStatus::Preferred)
                .unwrap();
            if k % 4 == 0 {
                let old = format!(
                    "{} {}",
                    english[(k * 13 + 1) % english.len()],
                    english[(k * 3 + 5) % english.len()]
                );
                concept
                    .set_status("en", &old, TermStatus::Deprecated)
                    .unwrap();
            }
            concept.approve(None).unwrap();
            (Some(k as i64 + 1), concept)
        })
        .collect();
    let count: usize = std::env::var("TONGWEN_BENCH_SEGMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let segments: Vec<Segment> = (0..count)
        .map(|k| {
            let i = k % source.len();
            Segment::named(
                format!("{}", k + 1),
                source[i].as_str(),
                reference[i].as_str(),
            )
        })
        .collect();

    let started = Instant::now();
    let checker = Checker::new(&concepts, &zh, &en);
    let built = started.elapsed();
    let started = Instant::now();
    let mut findings = 0usize;
    // The first pass over the distinct segments meets every word for the first time:
    // what a corpus whose vocabulary never repeats would cost throughout.
    let mut first_pass = None;
    for (k, segment) in segments.iter().enumerate() {
        if k == source.len() {
            first_pass = Some(started.elapsed());
        }
        findings += checker.check(segment).len();
    }
    let checked = started.elapsed();
    if let Some(first) = first_pass {
        println!(
            "first pass, {} distinct segments with every per-word memo cold: {:.0} segments/s",
            source.len(),
            source.len() as f64 / first.as_secs_f64()
        );
    }
    println!(
        "{} concepts indexed in {:.2} s; {} segments checked in {:.2} s ({:.0} segments/s), {} findings; peak memory {:.0} MiB",
        concepts.len(),
        built.as_secs_f64(),
        segments.len(),
        checked.as_secs_f64(),
        segments.len() as f64 / checked.as_secs_f64(),
        findings,
        peak_memory_mib().unwrap_or(f64::NAN)
    );
}
