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

/// Accounts, sessions and tokens.
pub trait Accounts {
    /// Adds a user, or changes the role and password of an existing one.
    fn put_user(&mut self, name: &str, role: Role, password_hash: &str) -> Result<User>;
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
    /// Records an API token for a user.
    fn add_api_token(&mut self, user: i64, token_hash: &str, label: &str) -> Result<()>;
    /// The user of an API token hash.
    fn token_user(&self, token_hash: &str) -> Result<Option<User>>;
}

fn user_of(id: i64, name: String, role: String) -> Result<User> {
    let role = Role::parse(&role)
        .ok_or_else(|| Error::Corrupt(format!("user {name} has unknown role {role}")))?;
    Ok(User { id, name, role })
}

impl Accounts for SqliteStore {
    fn put_user(&mut self, name: &str, role: Role, password_hash: &str) -> Result<User> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(Error::Query(
                "a user name has 1 to 64 characters and no control characters".into(),
            ));
        }
        self.connection.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash",
            params![name, role.name(), password_hash, chrono::Utc::now().to_rfc3339()],
        )?;
        let id =
            self.connection
                .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))?;
        // New credentials end the sessions opened with the old ones.
        self.connection
            .execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
        Ok(User {
            id,
            name: name.to_string(),
            role,
        })
    }

    fn user_with_hash(&self, name: &str) -> Result<Option<(User, String)>> {
        let row = self
            .connection
            .query_row(
                "SELECT id, name, role, password_hash FROM users WHERE name = ?1",
                [name],
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
        self.connection.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user, csrf, expires],
        )?;
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
        self.connection
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn add_api_token(&mut self, user: i64, token_hash: &str, label: &str) -> Result<()> {
        self.connection.execute(
            "INSERT INTO api_tokens (token_hash, user_id, label, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user, label, chrono::Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let row = self
            .connection
            .query_row(
                "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
                [token_hash],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
            )
            .optional()?;
        row.map(|(id, name, role)| user_of(id, name, role))
            .transpose()
    }
}
