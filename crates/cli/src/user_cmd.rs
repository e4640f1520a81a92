//! `user`: accounts for the showcase's write side, and their API tokens.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use tongwen_store::{Accounts, Role};

use crate::corpus_cmd::{open_reading, open_store};
use crate::printable;

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RoleArg {
    Viewer,
    Editor,
    Admin,
}

/// Longest life of an API token, in days.
const MAX_TOKEN_DAYS: u32 = 3650;

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user, or set the role and password of an existing one (which ends the
    /// user's sessions and revokes their API tokens). The password is read from
    /// TONGWEN_PASSWORD, else from the first line of standard input.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List the users with their roles and live tokens.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a user, with their sessions and API tokens.
    Remove { name: String },
    /// Create an API token for a user and print it (it is stored only as a hash).
    Token {
        name: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
        /// Days until the token stops working (1 to 3650).
        #[arg(long, default_value_t = 90)]
        days: u32,
    },
    /// List API tokens (of one user, or all): id, user, label, created, expiry.
    Tokens {
        name: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke an API token by the id `user tokens` shows.
    Revoke { id: i64 },
}

fn read_password() -> Result<String> {
    let password = match std::env::var("TONGWEN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.chars().count() < 10 {
        bail!("the password must have at least 10 characters");
    }
    Ok(password)
}

fn date_of(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(
        || seconds.to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

pub fn run(data: &Path, args: &UserArgs) -> Result<ExitCode> {
    match &args.command {
        UserCommand::Add { name, role } => {
            let password = read_password()?;
            let role = match role {
                RoleArg::Viewer => Role::Viewer,
                RoleArg::Editor => Role::Editor,
                RoleArg::Admin => Role::Admin,
            };
            let hash = tongwen_server::auth::hash_password(&password)?;
            let user = open_store(data)?.put_user(name, role, &hash)?;
            println!("{} ({})", printable(&user.name), user.role.name());
        }
        UserCommand::List { json } => {
            let users = open_reading(data)?.users()?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for row in &users {
                    println!(
                        "{}\t{}\t{} tokens\tsince {}",
                        printable(&row.user.name),
                        row.user.role.name(),
                        row.tokens,
                        row.created_at
                    );
                }
            }
        }
        UserCommand::Remove { name } => {
            if !open_store(data)?.remove_user(name)? {
                bail!("no user {}", printable(name));
            }
            eprintln!(
                "tongwen: removed {} with their sessions and tokens",
                printable(name)
            );
        }
        UserCommand::Token { name, label, days } => {
            if !(1..=MAX_TOKEN_DAYS).contains(days) {
                bail!("--days must be between 1 and {MAX_TOKEN_DAYS}, not {days}");
            }
            if label.chars().any(tongwen_text::is_stray_control) || label.chars().count() > 100 {
                bail!("a token label has at most 100 characters and no control characters");
            }
            let mut store = open_store(data)?;
            let (user, _) = store
                .user_with_hash(name)?
                .with_context(|| format!("no user {}", printable(name)))?;
            let token = tongwen_server::auth::new_secret()?;
            let expires = tongwen_store::unix_now() + i64::from(*days) * 86_400;
            let id = store.add_api_token(
                user.id,
                &tongwen_server::auth::secret_hash(&token),
                label,
                expires,
            )?;
            eprintln!(
                "tongwen: token {id} for {} until {}",
                printable(&user.name),
                date_of(expires)
            );
            println!("{token}");
        }
        UserCommand::Tokens { name, json } => {
            let store = open_reading(data)?;
            let user = match name {
                Some(name) => Some(
                    store
                        .user_with_hash(name)?
                        .with_context(|| format!("no user {}", printable(name)))?
                        .0
                        .id,
                ),
                None => None,
            };
            let tokens = store.api_tokens(user)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else {
                let now = tongwen_store::unix_now();
                for token in &tokens {
                    println!(
                        "{}\t{}\t{}\t{}\t{} {}",
                        token.id,
                        printable(&token.user),
                        printable(&token.label),
                        token.created_at,
                        if token.expires_at > now {
                            "until"
                        } else {
                            "expired"
                        },
                        date_of(token.expires_at)
                    );
                }
            }
        }
        UserCommand::Revoke { id } => {
            if !open_store(data)?.revoke_api_token(*id)? {
                bail!("no API token {id}");
            }
            eprintln!("tongwen: token {id} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
