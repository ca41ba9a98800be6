use clap::Parser;
use server::config::{Cli, Command};
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

async fn migrate(config: &server::config::Config) -> Result<(), String> {
    let db = db::connect(&config.database_url, config.sqlite_synchronous).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db::migrate(&db).await.map_err(|e| format!("cannot apply migrations: {e}"))?;
    println!("The database is up to date.");
    Ok(())
}
