//! Concordance latency: runs a fixed list of queries against an existing store's
//! index and reports percentiles. Not a test; run it on a corpus built with
//! `scripts/make_million.py` and `tongwen ingest` + `tongwen update`:
//!
//! ```sh
//! cargo bench -p tongwen --bench concordance -- DATA_DIR QUERIES_FILE
//! ```

use std::sync::Arc;
use std::time::Instant;

use tongwen_store::{ConcordanceIndex, SearchQuery};
use tongwen_text::ZhTokenizer;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(data), Some(queries)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench -p tongwen --bench concordance -- DATA_DIR QUERIES_FILE");
        std::process::exit(2);
    };
    let started = Instant::now();
    let index = ConcordanceIndex::open(
        &std::path::Path::new(data).join("index"),
        Arc::new(ZhTokenizer::new()),
    )
    .unwrap_or_else(|e| {
        eprintln!("cannot open the index in {data}: {e}");
        std::process::exit(2)
    });
    println!(
        "index of {} beads opened in {:.0} ms",
        index.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let queries: Vec<String> = std::fs::read_to_string(queries)
        .unwrap_or_else(|e| {
            eprintln!("cannot read {queries}: {e}");
            std::process::exit(2)
        })
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    // One warm-up round so that the figures are of a running service, not of a cold page cache.
    let run = |query: &str| {
        index
            .search(&SearchQuery {
                text: query.to_string(),
                limit: 20,
                offset: 0,
                ..SearchQuery::default()
            })
            .map(|hits| hits.len())
            .unwrap_or(0)
    };
    for query in &queries {
        run(query);
    }
    let mut timed = Vec::with_capacity(queries.len());
    let mut empty = 0;
    for query in &queries {
        let start = Instant::now();
        if run(query) == 0 {
            empty += 1;
        }
        timed.push((start.elapsed().as_secs_f64() * 1000.0, query.as_str()));
    }
    timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let latencies: Vec<f64> = timed.iter().map(|(ms, _)| *ms).collect();
    let percentile = |p: f64| {
        latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1]
    };
    println!(
        "{} queries ({} with no hit): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        empty,
        percentile(0.5),
        percentile(0.9),
        percentile(0.99),
        latencies[latencies.len() - 1]
    );
    let slowest: Vec<String> = timed
        .iter()
        .rev()
        .take(5)
        .map(|(ms, query)| format!("{query} {ms:.1} ms"))
        .collect();
    println!("slowest: {}", slowest.join(", "));
}
