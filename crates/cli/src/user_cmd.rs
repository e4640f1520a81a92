//! `user`: accounts for the showcase's write side.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use tongwen_store::{Accounts, Role};

use crate::corpus_cmd::open_store;

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

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user, or set the role and password of an existing one. The password is
    /// read from TONGWEN_PASSWORD, else from the first line of standard input.
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// Create an API token for a user and print it (it is stored only as a hash).
    Token {
        name: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
}

pub fn run(data: &Path, args: &UserArgs) -> Result<ExitCode> {
    let mut store = open_store(data)?;
    match &args.command {
        UserCommand::Add { name, role } => {
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
            let role = match role {
                RoleArg::Viewer => Role::Viewer,
                RoleArg::Editor => Role::Editor,
                RoleArg::Admin => Role::Admin,
            };
            let hash = tongwen_server::auth::hash_password(&password)?;
            let user = store.put_user(name, role, &hash)?;
            println!("{} ({})", user.name, user.role.name());
        }
        UserCommand::Token { name, label } => {
            let (user, _) = store
                .user_with_hash(name)?
                .with_context(|| format!("no user {name}"))?;
            let token = tongwen_server::auth::new_secret()?;
            store.add_api_token(user.id, &tongwen_server::auth::secret_hash(&token), label)?;
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
