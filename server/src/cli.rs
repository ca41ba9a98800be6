//! The command line: serving the portal (the default), and the verbs an
//! operator runs by hand — migrations, the first accounts, API tokens, the
//! audit check, the purge and the seed.

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
    /// Manage the keys that encrypt personal data.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Remove now the personal data of requests past their retention, and
    /// forget old operational rows, as the daily purge does.
    Purge {
        /// List what would go (reference, kind, rule, purge day) and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Fill the database with realistic requests, their histories, staff
    /// and outcomes over the last two years, for trying the portal out and
    /// for benchmarks.
    Seed {
        /// How many requests to add.
        #[arg(long, default_value_t = 10_000)]
        requests: u64,
        /// How many opt-out register entries to add besides, for its
        /// benchmark.
        #[arg(long, default_value_t = 0)]
        opt_outs: u64,
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
pub enum KeysCommand {
    /// Make a new data key and re-encrypt every personal field under it, in
    /// batches, while the portal keeps serving. Stopped or interrupted, it
    /// carries on where it stopped when run again.
    Rotate {
        /// Rows re-encrypted per transaction.
        #[arg(long, default_value_t = 1_000)]
        batch: u64,
        /// Stop after this many batches (run it again to go on), to spread
        /// a long rotation over quiet hours.
        #[arg(long)]
        stop_after: Option<u64>,
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
    #[error("cannot open the encryption keys: {0}")]
    Keys(#[from] crate::vault::KeysError),
    #[error("the rotation stopped: {0}")]
    Rotate(#[from] crate::vault::rotate::RotateError),
    #[error(transparent)]
    Clocks(#[from] crate::clocks::ClockSetupError),
    #[error("the purge failed: {0}")]
    Purge(#[from] crate::purge::PurgeError),
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
        Command::Purge { dry_run } => purge(&config, dry_run).await,
        Command::Seed { requests, opt_outs } => {
            if requests > 0 {
                seed::run(&config, requests).await.map_err(CliError::Seed)?;
            }
            if opt_outs > 0 {
                seed::register(&config, opt_outs).await.map_err(CliError::Seed)?;
            }
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate { batch, stop_after }) => rotate_keys(&config, batch, stop_after).await,
    }
}

async fn serve(config: Config) -> Result<(), CliError> {
    let public_url = config.public_url();
    let app = Application::build(config).await?;
    tracing::info!(address = %app.address(), %public_url, "portal listening");
    app.run().await.map_err(CliError::Stopped)
}

async fn open(config: &Config) -> Result<DatabaseConnection, CliError> {
    let db = db::connect(config.database_url.expose(), config.sqlite_synchronous, config.postgres_connections)
        .await
        .map_err(CliError::Open)?;
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

async fn purge(config: &Config, dry_run: bool) -> Result<(), CliError> {
    let db = open(config).await?;
    let vault = crate::vault::open_vault(&db, &config.key_source()).await?;
    let purge = crate::purge::Purge::new(
        db,
        vault,
        std::sync::Arc::new(config.clocks()?),
        config.housekeeping(),
        config.purge_time,
    );
    let now = chrono::Utc::now();
    if dry_run {
        let due = purge.due(now).await?;
        for due in &due {
            println!(
                "{}\t{}\t{} ({})\t{}",
                due.reference,
                due.kind.as_str(),
                due.purge.rule,
                due.purge.citation,
                due.purge.day
            );
        }
        eprintln!("{} requests would have their personal data removed; nothing was changed.", due.len());
        return Ok(());
    }
    let report = purge.run(now).await?;
    println!(
        "Removed the personal data of {} requests; forgot {} failed sign-ins, {} run records, {} expired \
         verification links and {} documents never confirmed.",
        report.purged.len(),
        report.sign_in_failures,
        report.run_records,
        report.verifications,
        report.unconfirmed_documents
    );
    Ok(())
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

async fn rotate_keys(config: &Config, batch: u64, stop_after: Option<u64>) -> Result<(), CliError> {
    let db = open(config).await?;
    let keys = config.key_source();
    let vault = crate::vault::open_vault(&db, &keys).await?;
    crate::vault::rotate::seal_unsealed(&db, &vault).await.map_err(CliError::Open)?;
    let rotation = crate::vault::rotate::Rotation {
        batch: batch.max(1),
        stop_after,
        settle: crate::vault::rotate::REFRESH * 2,
        progress: std::io::stderr().is_terminal(),
    };
    let rotated = crate::vault::rotate::rotate(&db, &vault, &keys, rotation).await?;
    let seconds = rotated.elapsed.as_secs_f64();
    if rotated.finished {
        println!(
            "Every personal field is now under data key {}: {} rows read, {} re-encrypted, in {seconds:.1} s.",
            rotated.key, rotated.rows, rotated.resealed
        );
    } else {
        println!(
            "Stopped as asked after {} rows ({} re-encrypted) in {seconds:.1} s; run it again to go on with key {}.",
            rotated.rows, rotated.resealed, rotated.key
        );
    }
    Ok(())
}
