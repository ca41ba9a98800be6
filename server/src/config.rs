//! Every setting is a command-line flag and an environment variable, so the
//! same binary runs on a laptop, in CI and behind a load balancer.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::domain::SiteInfo;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "server", version, about = "The privacy-request portal: customer forms, tracking and (soon) the staff workspace")]
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
}

#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Database to use: a SQLite file (created when missing) or a PostgreSQL URL.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://portal.db", global = true)]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long = "listen", env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub listen: SocketAddr,

    /// Address customers use to reach the portal, for links in pages and
    /// emails. Defaults to http:// and the listen address.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// The organisation's name, as customers know it.
    #[arg(long, env = "ORG_NAME", default_value = "Example Medical Supply", global = true)]
    pub org_name: String,

    /// The organisation's postal address, shown in the footer and letters.
    #[arg(long, env = "ORG_ADDRESS", default_value = "100 Main Street, Springfield, IL 62701", global = true)]
    pub org_address: String,

    /// The privacy office's phone number.
    #[arg(long, env = "PRIVACY_PHONE", default_value = "1-800-555-0199", global = true)]
    pub privacy_phone: String,

    /// The toll-free number for opting out by phone.
    #[arg(long, env = "OPT_OUT_PHONE", default_value = "1-800-555-0142", global = true)]
    pub opt_out_phone: String,

    /// Folder holding the compiled site (the `pkg` folder and public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Base name of the compiled JavaScript, WebAssembly and CSS files.
    #[arg(long, env = "LEPTOS_OUTPUT_NAME", default_value = "portal", global = true)]
    pub output_name: String,

    /// Largest request body accepted, in bytes; larger ones get 413.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 64 * 1024, global = true)]
    pub body_limit: usize,
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn site_info(&self) -> SiteInfo {
        SiteInfo {
            org_name: self.org_name.clone(),
            org_address: self.org_address.clone(),
            privacy_phone: self.privacy_phone.clone(),
            opt_out_phone: self.opt_out_phone.clone(),
            public_url: self.public_url(),
        }
    }

    /// Defaults suitable for tests: a given database, any free port.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        let cli = Cli::parse_from(["server"]);
        Self {
            database_url: database_url.into(),
            listen: "127.0.0.1:0".parse().expect("a valid literal address"),
            public_url: Some("http://portal.test".into()),
            ..cli.config
        }
    }
}
