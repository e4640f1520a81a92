//! Shared state: the data directory, a small pool of store connections (SQLite
//! connections are not shared between threads), the concordance index, and the
//! termbase terms used to highlight key terms, refreshed when the termbase changes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tongwen_store::{ConcordanceIndex, SqliteStore, Termbase};
use tongwen_terms::termbase::ConceptState;
use tongwen_text::ZhTokenizer;

use crate::error::ServerError;
use crate::highlight::TermIndex;

/// Everything a request needs.
pub struct AppState {
    data: PathBuf,
    idle: Mutex<Vec<SqliteStore>>,
    /// The bilingual concordance.
    pub index: ConcordanceIndex,
    /// Failed logins, for rate limiting.
    pub limiter: crate::auth::LoginLimiter,
    /// Approved terms to mark in text, with the termbase generation they are of.
    terms: Mutex<(i64, Arc<TermIndex>)>,
}

impl AppState {
    /// Opens the store (migrating it) and the index in `data`.
    pub fn open(data: &Path) -> Result<AppState, ServerError> {
        let store = SqliteStore::open(data)?;
        let index = ConcordanceIndex::open(&data.join("index"), Arc::new(ZhTokenizer::new()))?;
        Ok(AppState {
            data: data.to_path_buf(),
            idle: Mutex::new(vec![store]),
            index,
            limiter: crate::auth::LoginLimiter::default(),
            terms: Mutex::new((-1, Arc::new(TermIndex::default()))),
        })
    }

    /// The approved terms, rebuilt when the termbase has changed since.
    pub fn approved_terms(&self, store: &SqliteStore) -> Result<Arc<TermIndex>, ServerError> {
        let generation = store.termbase_generation()?;
        let mut cached = self
            .terms
            .lock()
            .map_err(|_| ServerError::Internal("term cache poisoned".into()))?;
        if cached.0 != generation {
            *cached = (
                generation,
                Arc::new(TermIndex::new(
                    store.terms_of_state(ConceptState::Approved)?,
                )),
            );
        }
        Ok(Arc::clone(&cached.1))
    }

    /// Runs `work` with a store connection on a blocking thread.
    pub async fn with_store<T, F>(self: &Arc<Self>, work: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &AppState) -> Result<T, ServerError> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = state
                .idle
                .lock()
                .map_err(|_| ServerError::Internal("store pool poisoned".into()))?
                .pop();
            let mut store = match pooled {
                Some(store) => store,
                None => SqliteStore::open(&state.data)?,
            };
            let result = work(&mut store, &state);
            if let Ok(mut idle) = state.idle.lock() {
                idle.push(store);
            }
            result
        })
        .await
        .map_err(|e| ServerError::Internal(e.to_string()))?
    }
}
