//! Tongwen's use cases over the engine crates and the store: ingesting files into a
//! corpus, pairing, alignment, export, mining the corpus into the termbase, and
//! checking translations.
//! Synchronous functions that return plain results; the CLI and the server render
//! them.
#![warn(missing_docs)]

pub mod check;
pub mod corpus;
pub mod ingest;
pub mod terms;

/// Errors that stop a use case as a whole (a single bad input file does not).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] tongwen_store::Error),
    /// A path given by the user cannot be used.
    #[error("{path}: {reason}")]
    Input {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
