//! The command line: serving the portal (the default), and the verbs an
//! operator runs by hand — migrations, the first accounts, API tokens, the
//! audit check and the seed.

use std::io::IsTerminal;

use clap::{Parser, Subcommand};
use sea_orm::{DatabaseConnection, DbErr};

use app::domain::accounts::TokenLifetime;

use crate::audit::{self, Actor, Verdict};
use crate::config::Config;
use crate::staff::{self, StaffError};
use crate::{Application, StartError, db, seed};

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "The privacy-request portal: customer request forms, private tracking and email"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fill the database with realistic requests, their histories, staff
    /// and outcomes over the last two years, for trying the portal out and
    /// for benchmarks.
    Seed {
        /// How many requests to add.
        #[arg(long, default_value_t = 10_000)]
        requests: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is read from standard input
    /// (with a prompt when it is a terminal), never from a flag.
    Create {
        #[arg(long)]
        email: String,
        /// The name colleagues see; defaults to the part of the address before the @.
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_parser = ["agent", "manager", "admin"], default_value = "agent")]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token acting for the staff member with this address,
    /// and print it. It is shown this once only.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for, shown to administrators.
        #[arg(long, default_value = "command line")]
        name: String,
        /// How many days the token works, a year at most.
        #[arg(long, default_value_t = TokenLifetime::default(), value_parser = lifetime)]
        days: TokenLifetime,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and report the first entry that was altered or removed.
    Verify,
}

/// Why a command did not do what was asked, as the operator is told.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("server stopped: {0}")]
    Stopped(std::io::Error),
    #[error("cannot open the database: {0}")]
    Open(DbErr),
    #[error("cannot apply migrations: {0}")]
    Migrate(DbErr),
    #[error("{0}")]
    Terminal(std::io::Error),
    #[error("the two passwords are not the same")]
    PasswordsDiffer,
    #[error("password refused: {0}")]
    WeakPassword(String),
    #[error("the role must be agent, manager or admin")]
    Role,
    #[error("{0:?} is not an email address")]
    NotAnEmail(String),
    #[error("{0} already has an account")]
    AccountExists(String),
    #[error("cannot create the account: {0}")]
    CreateAccount(StaffError),
    #[error("cannot issue the token: {0}")]
    IssueToken(DbErr),
    #[error("{0} has no active staff account")]
    NoAccount(String),
    #[error("cannot read the audit log: {0}")]
    AuditRead(DbErr),
    #[error("audit entry {0} was altered after it was written")]
    AuditAltered(i64),
    #[error("the chain breaks at audit entry {0}: an entry before it was removed or replaced")]
    AuditBroken(i64),
    #[error("{0}")]
    Seed(String),
}

/// Runs the command the operator gave.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(&config).await,
        Command::User(UserCommand::Create { email, name, role }) => create_user(&config, &email, name, &role).await,
        Command::Audit(AuditCommand::Verify) => verify_audit(&config).await,
        Command::Token(TokenCommand::Create { email, name, days }) => create_token(&config, &email, &name, days).await,
        Command::Seed { requests } => seed::run(&config, requests).await.map_err(CliError::Seed),
    }
}

async fn serve(config: Config) -> Result<(), CliError> {
    let public_url = config.public_url();
    let app = Application::build(config).await?;
    tracing::info!(address = %app.address(), %public_url, "portal listening");
    app.run().await.map_err(CliError::Stopped)
}

async fn open(config: &Config) -> Result<DatabaseConnection, CliError> {
    let db = db::connect(config.database_url.expose(), config.sqlite_synchronous).await.map_err(CliError::Open)?;
    db::migrate(&db).await.map_err(CliError::Migrate)?;
    Ok(db)
}

async fn migrate(config: &Config) -> Result<(), CliError> {
    open(config).await?;
    println!("The database is up to date.");
    Ok(())
}

/// Reads the new password from standard input: with a hidden prompt at a
/// terminal, or the first line of a pipe.
fn read_password() -> Result<String, CliError> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(CliError::Terminal)?;
        let again = rpassword::prompt_password("Password again: ").map_err(CliError::Terminal)?;
        if first != again {
            return Err(CliError::PasswordsDiffer);
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(CliError::Terminal)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    match staff::passwords::weakness(&password) {
        Some(problem) => Err(CliError::WeakPassword(problem)),
        None => Ok(password),
    }
}

async fn create_user(config: &Config, email: &str, name: Option<String>, role: &str) -> Result<(), CliError> {
    let role = app::domain::Role::parse(role).ok_or(CliError::Role)?;
    if app::domain::email::Email::parse(email).is_err() {
        return Err(CliError::NotAnEmail(email.to_owned()));
    }
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_owned());
    let password = read_password()?;
    let db = open(config).await?;
    match staff::create_account(&db, email, &name, role, password).await {
        Ok(true) => {
            println!("Created {} account for {}.", role.label().to_lowercase(), staff::normalise_email(email));
            Ok(())
        }
        Ok(false) => Err(CliError::AccountExists(email.to_owned())),
        Err(e) => Err(CliError::CreateAccount(e)),
    }
}

/// A token lifetime from the command line, refused as the token form refuses it.
fn lifetime(text: &str) -> Result<TokenLifetime, String> {
    TokenLifetime::parse(text).map_err(|e| e.to_string())
}

async fn create_token(config: &Config, email: &str, name: &str, lifetime: TokenLifetime) -> Result<(), CliError> {
    let db = open(config).await?;
    let tokens = crate::staff::tokens::ApiTokens::new(db);
    let actor = Actor::System("command line");
    match tokens.issue(&actor, email, name, lifetime).await.map_err(CliError::IssueToken)? {
        Some(token) => {
            eprintln!("API token for {email} (shown this once; keep it secret):");
            println!("{token}");
            Ok(())
        }
        None => Err(CliError::NoAccount(email.to_owned())),
    }
}

async fn verify_audit(config: &Config) -> Result<(), CliError> {
    let db = open(config).await?;
    match audit::verify(&db).await.map_err(CliError::AuditRead)? {
        Verdict::Intact { entries } => {
            println!("The audit log is intact: {entries} entries, every link checked.");
            Ok(())
        }
        Verdict::Altered { id } => Err(CliError::AuditAltered(id)),
        Verdict::Broken { id } => Err(CliError::AuditBroken(id)),
    }
}
