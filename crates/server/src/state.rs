//! Shared state: the data directory, a small pool of store connections (SQLite
//! connections are not shared between threads), the concordance index, and the
//! termbase terms used to highlight key terms, refreshed when the termbase changes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tongwen_store::{ConcordanceIndex, Hit, SearchQuery, SqliteStore, Stories, Termbase};
use tongwen_terms::termbase::ConceptState;

use crate::error::ServerError;
use crate::highlight::TermIndex;

/// How long a request's write waits for another process's write (a CLI ingest,
/// another server) before it is answered 503.
pub const STORE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a request waits for its turn among this server's writers before it is
/// answered 503.
pub const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

/// Password checks waiting their turn at most; a login beyond them is answered 503.
const PASSWORD_QUEUE: usize = 64;

/// Evidence beads per month, as (`YYYY-MM`, count).
pub type Timeline = Arc<Vec<(String, usize)>>;

/// Everything a request needs.
pub struct AppState {
    data: PathBuf,
    idle: Mutex<Vec<SqliteStore>>,
    /// The bilingual concordance.
    pub index: ConcordanceIndex,
    /// Cookies are marked `Secure` (the server is behind HTTPS).
    pub secure_cookies: bool,
    /// Clients are named by the last address of `X-Forwarded-For` (behind a proxy).
    pub forwarded_for: bool,
    /// This server's writers take turns here, in arrival order, rather than contend
    /// inside SQLite, whose busy handler retries by sleeping and favours no one.
    writer: tokio::sync::Semaphore,
    /// Failed logins, for rate limiting.
    pub limiter: crate::auth::LoginLimiter,
    /// Password checks, on threads of their own.
    pub passwords: crate::auth::PasswordChecker,
    /// Concept timelines by (concept, concept version, last pair id): the grouping
    /// over every evidence bead is the one costly part of a concept page.
    timelines: Mutex<std::collections::HashMap<(i64, i64, i64), Timeline>>,
    /// The home page's recent stories, with the last pair id they are of: ordering
    /// every story by date is a scan of the corpus.
    recent: Mutex<(i64, Arc<Vec<tongwen_store::StoryRow>>)>,
    /// Approved terms to mark in text, with the termbase generation they are of.
    terms: Mutex<(i64, Arc<TermIndex>)>,
}

impl AppState {
    /// Opens the store (migrating it) and the index in `data`.
    pub fn open(data: &Path) -> Result<AppState, ServerError> {
        let store = Self::connect(data)?;
        // Queries are segmented with the termbase's names as the server starts; names
        // approved later count after a restart (and after the `update` that reindexes).
        let tokenizers = tongwen_app::corpus::Tokenizers::with_names(&store)?;
        let index = ConcordanceIndex::open(&data.join("index"), Arc::new(tokenizers.zh))?;
        if let Some(problem) = index.missing_beads(&store)? {
            tracing::warn!(
                "{problem}; searches find nothing until `tongwen update --reindex` has run"
            );
        }
        Ok(AppState {
            data: data.to_path_buf(),
            idle: Mutex::new(vec![store]),
            index,
            secure_cookies: false,
            forwarded_for: false,
            writer: tokio::sync::Semaphore::new(1),
            limiter: crate::auth::LoginLimiter::default(),
            passwords: crate::auth::PasswordChecker::start(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
                PASSWORD_QUEUE,
            )?,
            timelines: Mutex::new(std::collections::HashMap::new()),
            recent: Mutex::new((-1, Arc::new(Vec::new()))),
            terms: Mutex::new((-1, Arc::new(TermIndex::default()))),
        })
    }

    fn connect(data: &Path) -> Result<SqliteStore, ServerError> {
        let store = SqliteStore::open_for_reading(data)?;
        store.set_busy_timeout(STORE_BUSY_TIMEOUT)?;
        Ok(store)
    }

    /// The ten most recent stories, computed once per corpus state.
    pub fn recent_stories(
        &self,
        store: &SqliteStore,
    ) -> Result<Arc<Vec<tongwen_store::StoryRow>>, ServerError> {
        let last = store.last_pair_id()?;
        let mut cached = self
            .recent
            .lock()
            .map_err(|_| ServerError::Internal("story cache poisoned".into()))?;
        if cached.0 != last {
            *cached = (last, Arc::new(store.stories(10, 0)?));
        }
        Ok(Arc::clone(&cached.1))
    }

    /// The attributes every cookie of this server carries.
    pub fn cookie_attributes(&self) -> &'static str {
        if self.secure_cookies {
            "HttpOnly; SameSite=Strict; Secure"
        } else {
            "HttpOnly; SameSite=Strict"
        }
    }

    /// A concept's timeline, computed once per concept version and corpus state.
    pub fn timeline(
        &self,
        store: &SqliteStore,
        id: i64,
        version: i64,
    ) -> Result<Timeline, ServerError> {
        const MAX_CACHED: usize = 4096;
        let key = (id, version, store.last_pair_id()?);
        if let Some(found) = self
            .timelines
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned())
        {
            return Ok(found);
        }
        let timeline = Arc::new(store.concept_timeline(id)?);
        if let Ok(mut cache) = self.timelines.lock() {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(key, Arc::clone(&timeline));
        }
        Ok(timeline)
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

    /// Searches the concordance on a blocking thread: a search reads the index from
    /// disk and ranks, which must not hold up the async workers.
    pub async fn search(self: &Arc<Self>, query: SearchQuery) -> Result<Vec<Hit>, ServerError> {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || state.index.search(&query))
            .await
            .map_err(|e| ServerError::Internal(e.to_string()))?
            .map_err(ServerError::from)
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
                None => Self::connect(&state.data)?,
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

    /// [`AppState::with_store`] for work that writes: it waits its turn behind this
    /// server's other writers (for up to [`WRITE_QUEUE_TIMEOUT`]) and then, in the
    /// store, behind other processes' (for up to [`STORE_BUSY_TIMEOUT`]); either wait
    /// running out is [`ServerError::Busy`], with nothing changed.
    pub async fn with_store_write<T, F>(self: &Arc<Self>, work: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore, &AppState) -> Result<T, ServerError> + Send + 'static,
    {
        let turn = tokio::time::timeout(WRITE_QUEUE_TIMEOUT, self.writer.acquire())
            .await
            .map_err(|_| ServerError::Busy)?
            .map_err(|_| ServerError::Internal("the writers' queue is closed".into()))?;
        let result = self.with_store(work).await;
        drop(turn);
        result
    }
}
