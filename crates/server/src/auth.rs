//! Who is asking: passwords (argon2id, PHC strings), browser sessions (a random
//! cookie, HttpOnly and SameSite=Strict, stored only as its hash, with a CSRF token
//! for its forms), API tokens for scripts (`Authorization: Bearer …`), and a limit on
//! failed logins.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use tongwen_store::{Accounts, Role, Session, SqliteStore, User};

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
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
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
    Ok(store.token_user(&secret_hash(token.trim()))?)
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

/// Failed logins allowed per account in a window, and in all per window.
const FAILURES_PER_ACCOUNT: usize = 5;
const FAILURES_IN_ALL: usize = 50;
const WINDOW: Duration = Duration::from_secs(600);

/// Counts failed logins, per account and in all, over a sliding window.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    fn recent(list: &mut Vec<Instant>) -> usize {
        list.retain(|t| t.elapsed() < WINDOW);
        list.len()
    }

    /// Whether a login for `name` may be tried now.
    pub fn allows(&self, name: &str) -> bool {
        let Ok(mut failures) = self.failures.lock() else {
            return false;
        };
        let account = failures
            .get_mut(&name.to_lowercase())
            .map_or(0, Self::recent);
        let all = failures.get_mut("").map_or(0, Self::recent);
        account < FAILURES_PER_ACCOUNT && all < FAILURES_IN_ALL
    }

    /// Records a failed login for `name`.
    pub fn failed(&self, name: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures
                .entry(name.to_lowercase())
                .or_default()
                .push(Instant::now());
            failures
                .entry(String::new())
                .or_default()
                .push(Instant::now());
        }
    }

    /// Forgets failures of `name` after a successful login.
    pub fn succeeded(&self, name: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&name.to_lowercase());
        }
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
    fn secrets_are_random_and_compared_whole() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret(&a, &a[..63]));
    }

    #[test]
    fn the_limiter_stops_guessing_one_account() {
        let limiter = LoginLimiter::default();
        for _ in 0..FAILURES_PER_ACCOUNT {
            assert!(limiter.allows("Editor"));
            limiter.failed("editor");
        }
        assert!(!limiter.allows("editor"));
        assert!(limiter.allows("someone-else"));
    }
}
