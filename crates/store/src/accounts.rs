//! Accounts (schema version 4): users with a role and a password hash, browser
//! sessions and API tokens. Secrets are stored only as hashes: a leaked database
//! gives no session or token that works.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::{Error, Result, SqliteStore};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads, like the public; logged in.
    Viewer,
    /// Reviews and edits the termbase.
    Editor,
    /// Everything an editor does, and accounts.
    Admin,
}

impl Role {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Parses a lowercase name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// A live browser session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose.
    pub user: User,
    /// The token forms must carry (CSRF).
    pub csrf: String,
}

/// An account as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// When the account was made (RFC 3339).
    pub created_at: String,
    /// Live API tokens.
    pub tokens: usize,
}

/// An API token as listed (its secret is never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Id to revoke it by.
    pub id: i64,
    /// Whose.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// The form of a login name that names an account: what the user typed, without the
/// spaces around it. Lookups and the login limiter both use it, so no spelling of a
/// name reaches an account while escaping its count of failures.
pub fn account_name(typed: &str) -> &str {
    typed.trim()
}

/// Accounts, sessions and tokens.
pub trait Accounts {
    /// Adds a user, or changes the role and password of an existing one; new
    /// credentials end every session and revoke every API token of the user.
    fn put_user(&mut self, name: &str, role: Role, password_hash: &str) -> Result<User>;
    /// All users, by name.
    fn users(&self) -> Result<Vec<UserRow>>;
    /// Removes a user with their sessions and tokens; whether there was one.
    fn remove_user(&mut self, name: &str) -> Result<bool>;
    /// A user and their password hash.
    fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>>;
    /// Starts a session that ends at `expires` (Unix seconds).
    fn create_session(
        &mut self,
        user: i64,
        token_hash: &str,
        csrf: &str,
        expires: i64,
    ) -> Result<()>;
    /// The session of a token hash, if live at `now`.
    fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>>;
    /// Ends a session.
    fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    /// Records an API token for a user, valid until `expires` (Unix seconds); returns
    /// its id.
    fn add_api_token(
        &mut self,
        user: i64,
        token_hash: &str,
        label: &str,
        expires: i64,
    ) -> Result<i64>;
    /// The API tokens of a user (all users' with `None`), live or expired, by id.
    fn api_tokens(&self, user: Option<i64>) -> Result<Vec<ApiToken>>;
    /// Revokes a token by id; whether there was one.
    fn revoke_api_token(&mut self, id: i64) -> Result<bool>;
    /// The user of an API token hash, if the token is live at `now`.
    fn token_user(&self, token_hash: &str, now: i64) -> Result<Option<User>>;
}

fn user_of(id: i64, name: String, role: String) -> Result<User> {
    let role = Role::parse(&role)
        .ok_or_else(|| Error::Corrupt(format!("user {name} has unknown role {role}")))?;
    Ok(User { id, name, role })
}

impl Accounts for SqliteStore {
    fn put_user(&mut self, name: &str, role: Role, password_hash: &str) -> Result<User> {
        let name = account_name(name);
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(Error::Query(
                "a user name has 1 to 64 characters and no control characters".into(),
            ));
        }
        let transaction = self.write_transaction()?;
        transaction.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash",
            params![name, role.name(), password_hash, chrono::Utc::now().to_rfc3339()],
        )?;
        let id: i64 =
            transaction.query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))?;
        // New credentials end what the old ones opened: a reset password locks out
        // whoever had it, by browser or by script.
        transaction.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
        transaction.execute("DELETE FROM api_tokens WHERE user_id = ?1", [id])?;
        transaction.commit()?;
        Ok(User {
            id,
            name: name.to_string(),
            role,
        })
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        let mut statement = self.connection.prepare(
            "SELECT u.id, u.name, u.role, u.created_at,
                    (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND t.expires_at > ?1)
             FROM users u ORDER BY u.name",
        )?;
        let rows = statement.query_map([crate::unix_now()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, role, created_at, tokens) = row?;
            out.push(UserRow {
                user: user_of(id, name, role)?,
                created_at,
                tokens: tokens as usize,
            });
        }
        Ok(out)
    }

    fn remove_user(&mut self, name: &str) -> Result<bool> {
        let transaction = self.write_transaction()?;
        let removed =
            transaction.execute("DELETE FROM users WHERE name = ?1", [account_name(name)])?;
        transaction.commit()?;
        Ok(removed > 0)
    }

    fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>> {
        let row = self
            .connection
            .query_row(
                "SELECT id, name, role, password_hash FROM users WHERE name = ?1",
                [account_name(name)],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(id, name, role, hash)| Ok((user_of(id, name, role)?, hash)))
            .transpose()
    }

    fn create_session(
        &mut self,
        user: i64,
        token_hash: &str,
        csrf: &str,
        expires: i64,
    ) -> Result<()> {
        let transaction = self.write_transaction()?;
        // Expired sessions go as new ones come, so the table holds only live ones.
        transaction.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1",
            [crate::unix_now()],
        )?;
        transaction.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user, csrf, expires],
        )?;
        transaction.commit()?;
        Ok(())
    }

    fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>> {
        let row = self
            .connection
            .query_row(
                "SELECT u.id, u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                params![token_hash, now],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
            )
            .optional()?;
        row.map(|(id, name, role, csrf)| {
            Ok(Session {
                user: user_of(id, name, role)?,
                csrf,
            })
        })
        .transpose()
    }

    fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        let transaction = self.write_transaction()?;
        transaction.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        transaction.commit()?;
        Ok(())
    }

    fn add_api_token(
        &mut self,
        user: i64,
        token_hash: &str,
        label: &str,
        expires: i64,
    ) -> Result<i64> {
        let transaction = self.write_transaction()?;
        transaction.execute(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, user, label, chrono::Utc::now().to_rfc3339(), expires],
        )?;
        let id = transaction.last_insert_rowid();
        transaction.commit()?;
        Ok(id)
    }

    fn api_tokens(&self, user: Option<i64>) -> Result<Vec<ApiToken>> {
        let mut statement = self.connection.prepare(
            "SELECT t.id, u.name, t.label, t.created_at, t.expires_at FROM api_tokens t
             JOIN users u ON u.id = t.user_id WHERE ?1 IS NULL OR t.user_id = ?1 ORDER BY t.id",
        )?;
        let rows = statement.query_map([user], |r| {
            Ok(ApiToken {
                id: r.get(0)?,
                user: r.get(1)?,
                label: r.get(2)?,
                created_at: r.get(3)?,
                expires_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    fn revoke_api_token(&mut self, id: i64) -> Result<bool> {
        let transaction = self.write_transaction()?;
        let removed = transaction.execute("DELETE FROM api_tokens WHERE id = ?1", [id])?;
        transaction.commit()?;
        Ok(removed > 0)
    }

    fn token_user(&self, token_hash: &str, now: i64) -> Result<Option<User>> {
        let row = self
            .connection
            .query_row(
                "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = ?1 AND t.expires_at > ?2",
                params![token_hash, now],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(id, name, role)| user_of(id, name, role))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_are_listed_revoked_and_die_with_a_new_password() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let ed = store.put_user(" ed ", Role::Editor, "hash-1").unwrap();
        assert_eq!(ed.name, "ed");
        assert!(store.user_with_hash("ed  ").unwrap().is_some());
        let now = crate::unix_now();
        let live = store
            .add_api_token(ed.id, "t1", "script", now + 3600)
            .unwrap();
        store.add_api_token(ed.id, "t2", "old", now - 1).unwrap();
        assert_eq!(
            store.token_user("t1", now).unwrap().map(|u| u.name),
            Some("ed".into())
        );
        assert_eq!(store.token_user("t2", now).unwrap(), None, "expired");
        let listed = store.api_tokens(Some(ed.id)).unwrap();
        assert_eq!(
            listed.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["script", "old"]
        );
        assert_eq!(store.users().unwrap()[0].tokens, 1);
        assert!(store.revoke_api_token(live).unwrap());
        assert!(!store.revoke_api_token(live).unwrap());
        assert_eq!(store.token_user("t1", now).unwrap(), None, "revoked");
        let again = store
            .add_api_token(ed.id, "t3", "script", now + 3600)
            .unwrap();
        store
            .create_session(ed.id, "s1", "csrf", now + 3600)
            .unwrap();
        store.put_user("ed", Role::Editor, "hash-2").unwrap();
        assert_eq!(
            store.token_user("t3", now).unwrap(),
            None,
            "a new password revokes tokens"
        );
        assert_eq!(store.session("s1", now).unwrap(), None, "and ends sessions");
        assert!(!store.revoke_api_token(again).unwrap());
        assert!(store.remove_user("ed").unwrap());
        assert!(store.users().unwrap().is_empty());
    }
}
