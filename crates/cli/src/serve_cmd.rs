//! `serve` and `demo`: the showcase over a data directory, and a data directory built
//! from the sample corpus in the repository (embedded in the binary) to serve.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tongwen_app::corpus::Tokenizers;
use tongwen_app::terms::{import_glossary, mine_store};
use tongwen_terms::MiningConfig;

use crate::corpus_cmd::{ingest_paths, open_store, run_update};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Mark cookies Secure: set this when an HTTPS proxy stands in front.
    #[arg(long)]
    secure_cookies: bool,
    /// Take the client's address (for login limits) from the last entry of
    /// X-Forwarded-For: set this only behind a proxy that appends it.
    #[arg(long)]
    forwarded_for: bool,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Build the demo store and stop, without serving.
    #[arg(long)]
    no_serve: bool,
}

/// The sample corpus and glossary, as (file name, text).
const DEMO_FILES: [(&str, &str); 10] = [
    ("zones-zh.txt", include_str!("../../../demo/zones-zh.txt")),
    ("zones-en.txt", include_str!("../../../demo/zones-en.txt")),
    (
        "heritage-zh.txt",
        include_str!("../../../demo/heritage-zh.txt"),
    ),
    (
        "heritage-en.txt",
        include_str!("../../../demo/heritage-en.txt"),
    ),
    (
        "canal-zh.txt",
        include_str!("../../../tests/data/canal-zh.txt"),
    ),
    (
        "canal-en.txt",
        include_str!("../../../tests/data/canal-en.txt"),
    ),
    (
        "opera-zh.txt",
        include_str!("../../../tests/data/mining/opera-zh.txt"),
    ),
    (
        "opera-en.txt",
        include_str!("../../../tests/data/mining/opera-en.txt"),
    ),
    (
        "rural-zh.txt",
        include_str!("../../../tests/data/mining/rural-zh.txt"),
    ),
    (
        "rural-en.txt",
        include_str!("../../../tests/data/mining/rural-en.txt"),
    ),
];
const DEMO_GLOSSARY: &str = include_str!("../../../demo/glossary.tbx");

/// Logs to standard error; `RUST_LOG` chooses the level (info by default).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are installed here,
/// before the server starts, so that a signal arriving before the future is first
/// polled still stops it cleanly rather than killing the process. Call it inside the
/// runtime.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    })
}

pub fn run_serve(data: &Path, args: &ServeArgs) -> Result<ExitCode> {
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the server runtime")?;
    let options = tongwen_server::ServeOptions {
        secure_cookies: args.secure_cookies,
        forwarded_for: args.forwarded_for,
    };
    let shutdown = {
        let _inside = runtime.enter();
        shutdown_signal()?
    };
    runtime.block_on(tongwen_server::serve(data, args.addr, options, shutdown))?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_demo(data: &Path, args: &DemoArgs) -> Result<ExitCode> {
    let corpus = data.join("demo-corpus");
    std::fs::create_dir_all(&corpus)
        .with_context(|| format!("cannot create {}", corpus.display()))?;
    for (name, text) in DEMO_FILES {
        std::fs::write(corpus.join(name), text)
            .with_context(|| format!("cannot write {}", corpus.join(name).display()))?;
    }
    let glossary = corpus.join("glossary.tbx");
    std::fs::write(&glossary, DEMO_GLOSSARY)
        .with_context(|| format!("cannot write {}", glossary.display()))?;
    let texts: Vec<std::path::PathBuf> = DEMO_FILES
        .iter()
        .map(|(name, _)| corpus.join(name))
        .collect();
    ingest_paths(data, &texts)?;
    run_update(data, true, false)?;
    let mut store = open_store(data)?;
    let imported = import_glossary(&mut store, &glossary, false, "demo")?.outcome;
    let tokenizers = Tokenizers::with_names(&store)?;
    let (pairs, mined) = mine_store(&mut store, &tokenizers, &MiningConfig::standard(), "demo")?;
    eprintln!(
        "tongwen: demo store in {}: glossary {} concepts added; {} pairs mined, {} new candidates",
        data.display(),
        imported.added,
        pairs.len(),
        mined.added
    );
    drop(store);
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    run_serve(
        data,
        &ServeArgs {
            addr: args.addr,
            secure_cookies: false,
            forwarded_for: false,
        },
    )
}
