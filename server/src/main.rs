use clap::Parser;
use server::config::{AuditCommand, Cli, Command, TokenCommand, UserCommand};
use server::{Application, db};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Migrate => migrate(&cli.config).await,
        Command::User(UserCommand::Create { email, name, role }) => create_user(&cli.config, &email, name, &role).await,
        Command::Audit(AuditCommand::Verify) => verify_audit(&cli.config).await,
        Command::Token(TokenCommand::Create { email, name }) => create_token(&cli.config, &email, &name).await,
        Command::Seed { requests } => server::seed::run(&cli.config, requests).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: server::config::Config) -> Result<(), String> {
    let public_url = config.public_url();
    let app = Application::build(config).await.map_err(|e| e.to_string())?;
    tracing::info!(address = %app.address(), %public_url, "portal listening");
    app.run().await.map_err(|e| format!("server stopped: {e}"))
}

async fn open(config: &server::config::Config) -> Result<sea_orm::DatabaseConnection, String> {
    let db = db::connect(&config.database_url, config.sqlite_synchronous)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db::migrate(&db).await.map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok(db)
}

async fn migrate(config: &server::config::Config) -> Result<(), String> {
    open(config).await?;
    println!("The database is up to date.");
    Ok(())
}

/// Reads the new password from standard input: with a hidden prompt at a
/// terminal, or the first line of a pipe.
fn read_password() -> Result<String, String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords are not the same".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    match server::staff::passwords::weakness(&password) {
        Some(problem) => Err(format!("password refused: {problem}")),
        None => Ok(password),
    }
}

async fn create_user(
    config: &server::config::Config,
    email: &str,
    name: Option<String>,
    role: &str,
) -> Result<(), String> {
    let role = app::domain::Role::parse(role).ok_or("the role must be agent, manager or admin")?;
    if !validator::ValidateEmail::validate_email(&email) {
        return Err(format!("{email:?} is not an email address"));
    }
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_owned());
    let password = read_password()?;
    let db = open(config).await?;
    match server::staff::create_account(&db, email, &name, role, password).await {
        Ok(true) => {
            println!("Created {} account for {}.", role.label().to_lowercase(), server::staff::normalise_email(email));
            Ok(())
        }
        Ok(false) => Err(format!("{email} already has an account")),
        Err(e) => Err(format!("cannot create the account: {e}")),
    }
}

async fn create_token(config: &server::config::Config, email: &str, name: &str) -> Result<(), String> {
    let db = open(config).await?;
    let tokens = server::staff::tokens::ApiTokens::new(db);
    let actor = server::audit::Actor::System("command line");
    match tokens.issue(&actor, email, name).await.map_err(|e| format!("cannot issue the token: {e}"))? {
        Some(token) => {
            eprintln!("API token for {email} (shown this once; keep it secret):");
            println!("{token}");
            Ok(())
        }
        None => Err(format!("{email} has no active staff account")),
    }
}

async fn verify_audit(config: &server::config::Config) -> Result<(), String> {
    let db = open(config).await?;
    match server::audit::verify(&db).await.map_err(|e| format!("cannot read the audit log: {e}"))? {
        server::audit::Verdict::Intact { entries } => {
            println!("The audit log is intact: {entries} entries, every link checked.");
            Ok(())
        }
        server::audit::Verdict::Altered { id } => Err(format!("audit entry {id} was altered after it was written")),
        server::audit::Verdict::Broken { id } => {
            Err(format!("the chain breaks at audit entry {id}: an entry before it was removed or replaced"))
        }
    }
}
