//! Who is asking: passwords (argon2id, PHC strings), browser sessions (a random
//! cookie, HttpOnly and SameSite=Strict, stored only as its hash, with a CSRF token
//! for its forms), API tokens for scripts (`Authorization: Bearer …`), and a limit on
//! failed logins.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use tongwen_store::{account_name, Accounts, Role, Session, SqliteStore, User};

use crate::error::ServerError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "tw_session";
/// Name of the cookie that ties the login form to its browser.
pub const LOGIN_COOKIE: &str = "tw_login";
/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// A random secret, hex-encoded (256 bits).
pub fn new_secret() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServerError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The hash a secret is stored under.
pub fn secret_hash(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}

/// An argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ServerError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ServerError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Internal(e.to_string()))
}

/// Most argon2 memory a stored hash may ask for (64 MiB; this server's own hashes
/// take 19 MiB): a hash asking for more is not one of ours, and is refused.
const MAX_HASH_KIB: u32 = 64 * 1024;

/// [`verify_password`] in `memory`, which is grown to the hash's need and kept by the
/// caller for the next check: a checker thread owns one buffer for its life instead
/// of allocating 19 MiB per check.
fn verify_password_in(password: &str, hash: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(params), Some(salt), Some(expected)) =
        (argon2::Params::try_from(&parsed), parsed.salt, parsed.hash)
    else {
        return false;
    };
    if params.m_cost() > MAX_HASH_KIB {
        return false;
    }
    let algorithm = argon2::Algorithm::try_from(parsed.algorithm).unwrap_or_default();
    let version = parsed
        .version
        .map_or(Ok(argon2::Version::default()), argon2::Version::try_from)
        .unwrap_or_default();
    let mut salt_buffer = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buffer) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), argon2::Block::default());
    }
    let mut computed = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut computed, &mut memory[..])
        .is_ok()
        && computed.len() == expected.as_bytes().len()
        && computed
            .iter()
            .zip(expected.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether `password` matches a stored PHC hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of no one's password, checked when a login names no account, so that the
/// answer takes as long as for a real one and timing does not tell which names exist.
const NO_ONE: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$gR1UQm4i9tyMnsJzXG4pXqY1x3YUNlOImWvEhtkfBCs";

/// A password to check against a stored hash, and where to send the answer.
struct PasswordJob {
    password: String,
    hash: Option<String>,
    answer: tokio::sync::oneshot::Sender<bool>,
}

/// Password checks, on a few threads of their own behind a bounded queue. Each
/// argon2 check takes 19 MiB and tens of milliseconds: run on the general blocking
/// pool, a storm of logins spreads those buffers over every thread the pool makes
/// (the allocator keeps them, 2 GB after a thousand checks); here the work and the
/// memory stay bounded by the number of checkers, and a full queue is answered 503.
pub struct PasswordChecker {
    jobs: std::sync::mpsc::SyncSender<PasswordJob>,
}

impl PasswordChecker {
    /// Starts `threads` checkers with room for `queue` waiting checks.
    pub fn start(threads: usize, queue: usize) -> Result<PasswordChecker, ServerError> {
        let (jobs, receiver) = std::sync::mpsc::sync_channel::<PasswordJob>(queue);
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        for k in 0..threads.max(1) {
            let receiver = std::sync::Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("password-check-{k}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        let job = match receiver.lock() {
                            Ok(receiver) => match receiver.recv() {
                                Ok(job) => job,
                                // The server has gone: nothing more to check.
                                Err(_) => return,
                            },
                            Err(_) => return,
                        };
                        let hash = job.hash.as_deref().unwrap_or(NO_ONE);
                        let matches = verify_password_in(&job.password, hash, &mut memory);
                        let _ = job.answer.send(matches && job.hash.is_some());
                    }
                })
                .map_err(|e| {
                    ServerError::Internal(format!("cannot start a password checker: {e}"))
                })?;
        }
        Ok(PasswordChecker { jobs })
    }

    /// Whether `password` matches `hash`; without a hash (no such account) the check
    /// is made all the same and answers no.
    pub async fn check(&self, password: String, hash: Option<String>) -> Result<bool, ServerError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.jobs
            .try_send(PasswordJob {
                password,
                hash,
                answer,
            })
            .map_err(|_| ServerError::Busy)?;
        answered
            .await
            .map_err(|_| ServerError::Internal("the password checkers stopped".into()))
    }
}

/// Equality that takes as long whatever the inputs share.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    tongwen_store::unix_now()
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

/// The session of the request's cookie, if any and live.
pub fn session_of(
    store: &SqliteStore,
    headers: &HeaderMap,
) -> Result<Option<Session>, ServerError> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => Ok(store.session(&secret_hash(&token), now())?),
        _ => Ok(None),
    }
}

/// The user of the request's bearer token, if any.
pub fn token_user(store: &SqliteStore, headers: &HeaderMap) -> Result<Option<User>, ServerError> {
    let Some(value) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let Some(token) = value.strip_prefix("Bearer ") else {
        return Err(ServerError::Unauthorized(
            "the Authorization header must be \"Bearer TOKEN\"".into(),
        ));
    };
    match store.token_user(&secret_hash(token.trim()), now())? {
        Some(user) => Ok(Some(user)),
        None => Err(ServerError::Unauthorized(
            "unknown, expired or revoked API token".into(),
        )),
    }
}

/// The client's address: the connection's peer, or with `forwarded_for` (behind a
/// proxy that appends it) the last address in `X-Forwarded-For`.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
    forwarded_for: bool,
) -> Option<IpAddr> {
    if forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

/// Requires an editor (or admin).
pub fn require_editor(user: Option<&User>) -> Result<&User, ServerError> {
    match user {
        None => Err(ServerError::Unauthorized(
            "log in, or send an API token, to change the termbase".into(),
        )),
        Some(user) if user.role < Role::Editor => Err(ServerError::Forbidden(format!(
            "{} is a {}; changing the termbase needs an editor",
            user.name,
            user.role.name()
        ))),
        Some(user) => Ok(user),
    }
}

/// Failed logins a name may have in a window before it is locked for the rest of it.
const FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed logins a client may make in a window before it must wait between tries.
const FREE_FAILURES_PER_CLIENT: u32 = 10;
/// The window over which failures count.
const WINDOW: Duration = Duration::from_secs(600);
/// Longest wait a client's back-off asks for.
const MAX_BACKOFF: Duration = Duration::from_secs(900);
/// Names and clients remembered at most, each: the limiter's memory is bounded
/// whatever is thrown at it (about 50 bytes an entry).
const MAX_TRACKED: usize = 20_000;

/// What the limiter remembers of one name or client.
#[derive(Debug, Clone, Copy)]
struct Failures {
    /// When the current window started.
    since: Instant,
    /// Failed (or still running) attempts in the window.
    count: u32,
    /// The last attempt.
    last: Instant,
}

impl Failures {
    fn new(now: Instant) -> Failures {
        Failures {
            since: now,
            count: 0,
            last: now,
        }
    }

    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.since) >= WINDOW && now.duration_since(self.last) >= MAX_BACKOFF
    }
}

/// A bounded map of failure counts: expired entries are dropped first, then the
/// least recently active one.
#[derive(Debug)]
struct Tracked<K> {
    entries: HashMap<K, Failures>,
}

impl<K> Default for Tracked<K> {
    fn default() -> Self {
        Tracked {
            entries: HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Copy> Tracked<K> {
    fn get(&mut self, key: K, now: Instant) -> Failures {
        match self.entries.get(&key) {
            Some(found) if !found.expired(now) => *found,
            _ => Failures::new(now),
        }
    }

    fn put(&mut self, key: K, failures: Failures, now: Instant) {
        if self.entries.len() >= MAX_TRACKED && !self.entries.contains_key(&key) {
            self.entries.retain(|_, f| !f.expired(now));
            if self.entries.len() >= MAX_TRACKED {
                if let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| *k)
                {
                    self.entries.remove(&oldest);
                }
            }
        }
        self.entries.insert(key, failures);
    }
}

/// Why a login is not tried now, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// When to try again.
    pub retry_after: Duration,
}

/// A login being tried: counted as a failure from the start (so parallel guesses
/// cannot all pass the check before any is recorded), forgiven by
/// [`LoginLimiter::succeeded`].
#[derive(Debug)]
#[must_use]
pub struct Attempt {
    account: u64,
    client: Option<IpAddr>,
}

/// Counts failed logins per account name and per client address, over a window.
///
/// A name with `FAILURES_PER_ACCOUNT` failures is locked for the rest of its window,
/// whoever tries it; a client past `FREE_FAILURES_PER_CLIENT` failures waits twice as
/// long after each further one (up to `MAX_BACKOFF`). There is no global limit, so
/// anonymous guessing at many names slows down its own client, never everyone's
/// logins. Names are remembered by a hash of their account form ([`account_name`],
/// case folded), so long names cost no memory.
#[derive(Default)]
pub struct LoginLimiter {
    state: Mutex<(Tracked<u64>, Tracked<IpAddr>)>,
}

fn account_key(typed: &str) -> u64 {
    let folded = account_name(typed).to_lowercase();
    let hash = blake3::hash(folded.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Clients within one IPv6 /64 are one client: a host holds the whole range.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(std::net::Ipv6Addr::from(segments))
        }
        v4 => v4,
    }
}

impl LoginLimiter {
    /// Checks and records, in one step, a login attempt for `name` from `client`.
    pub fn attempt(&self, name: &str, client: Option<IpAddr>) -> Result<Attempt, Refused> {
        self.attempt_at(name, client, Instant::now())
    }

    fn attempt_at(
        &self,
        name: &str,
        client: Option<IpAddr>,
        now: Instant,
    ) -> Result<Attempt, Refused> {
        let Ok(mut state) = self.state.lock() else {
            return Err(Refused {
                retry_after: WINDOW,
            });
        };
        let (accounts, clients) = &mut *state;
        let account = account_key(name);
        let client = client.map(client_key);
        let mut by_account = accounts.get(account, now);
        if by_account.count >= FAILURES_PER_ACCOUNT {
            return Err(Refused {
                retry_after: WINDOW.saturating_sub(now.duration_since(by_account.since)),
            });
        }
        let mut by_client = client.map(|c| clients.get(c, now));
        if let Some(failures) = &by_client {
            if let Some(extra) = failures.count.checked_sub(FREE_FAILURES_PER_CLIENT) {
                let wait = Duration::from_secs(1u64 << extra.min(10)).min(MAX_BACKOFF);
                let waited = now.duration_since(failures.last);
                if waited < wait {
                    return Err(Refused {
                        retry_after: wait - waited,
                    });
                }
            }
        }
        by_account.count += 1;
        by_account.last = now;
        accounts.put(account, by_account, now);
        if let (Some(key), Some(failures)) = (client, by_client.as_mut()) {
            failures.count += 1;
            failures.last = now;
            clients.put(key, *failures, now);
        }
        Ok(Attempt { account, client })
    }

    /// The attempt succeeded: the name's failures are forgotten, and the client's
    /// count no longer holds this attempt.
    pub fn succeeded(&self, attempt: Attempt) {
        if let Ok(mut state) = self.state.lock() {
            let (accounts, clients) = &mut *state;
            accounts.entries.remove(&attempt.account);
            if let Some(failures) = attempt.client.and_then(|c| clients.entries.get_mut(&c)) {
                failures.count = failures.count.saturating_sub(1);
            }
        }
    }

    /// Names and clients remembered now.
    pub fn tracked(&self) -> usize {
        self.state
            .lock()
            .map_or(0, |state| state.0.entries.len() + state.1.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn checks_in_kept_memory_agree_with_the_library() {
        let hash = hash_password("correct horse").unwrap();
        let mut memory = Vec::new();
        assert!(verify_password_in("correct horse", &hash, &mut memory));
        assert!(!verify_password_in("correct horsE", &hash, &mut memory));
        assert!(
            verify_password_in("correct horse", &hash, &mut memory),
            "memory reused"
        );
        assert!(!verify_password_in("x", "not a hash", &mut memory));
        assert!(!verify_password_in("x", NO_ONE, &mut memory));
        let greedy = "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$gR1UQm4i9tyMnsJzXG4pXqY1x3YUNlOImWvEhtkfBCs";
        assert!(!verify_password_in("x", greedy, &mut memory));
        assert!(
            memory.len() * 1024 <= 19 * 1024 * 1024,
            "no more than one of our hashes needs"
        );
    }

    #[test]
    fn secrets_are_random_and_compared_whole() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret(&a, &a[..63]));
    }

    fn address(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, last]))
    }

    #[test]
    fn the_limiter_locks_a_name_whatever_its_spelling() {
        let limiter = LoginLimiter::default();
        for spelling in ["ed", "ed ", " Ed", "ED\t", "ed"] {
            assert!(
                limiter.attempt(spelling, address(1)).is_ok(),
                "{spelling:?}"
            );
        }
        for spelling in ["ed", "ed ", "  ed  ", "Ed"] {
            assert!(
                limiter.attempt(spelling, address(2)).is_err(),
                "{spelling:?}"
            );
        }
        assert!(limiter.attempt("someone-else", address(2)).is_ok());
    }

    #[test]
    fn a_success_forgives_the_name() {
        let limiter = LoginLimiter::default();
        for _ in 0..4 {
            let _ = limiter.attempt("ed", address(1));
        }
        let attempt = limiter.attempt("ed", address(1)).unwrap();
        limiter.succeeded(attempt);
        assert!(limiter.attempt("ed", address(1)).is_ok());
    }

    #[test]
    fn guessing_many_names_slows_its_client_only() {
        let limiter = LoginLimiter::default();
        let now = Instant::now();
        let mut refused = 0;
        for k in 0..200 {
            if limiter
                .attempt_at(&format!("guess{k}"), address(66), now)
                .is_err()
            {
                refused += 1;
            }
        }
        assert_eq!(refused, 200 - FREE_FAILURES_PER_CLIENT as usize);
        assert!(
            limiter.attempt_at("ed", address(1), now).is_ok(),
            "others log in"
        );
        assert!(limiter.attempt_at("admin", None, now).is_ok());
        let later = now + Duration::from_secs(3);
        assert!(limiter.attempt_at("guess-late", address(66), later).is_ok());
        assert!(
            limiter
                .attempt_at("guess-later", address(66), later)
                .is_err(),
            "the wait doubles"
        );
    }

    #[test]
    fn memory_is_bounded_under_a_storm_of_names() {
        let limiter = LoginLimiter::default();
        let now = Instant::now();
        let long = "x".repeat(100_000);
        for k in 0..(MAX_TRACKED + 5_000) {
            let client = IpAddr::from((k as u32).to_be_bytes());
            let _ = limiter.attempt_at(&format!("{long}{k}"), Some(client), now);
        }
        assert!(limiter.tracked() <= 2 * MAX_TRACKED);
    }
}
