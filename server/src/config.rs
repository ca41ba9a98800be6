//! Every setting is a command-line flag and an environment variable, so the
//! same binary runs on a laptop, in CI and behind a load balancer; and the
//! parts of the portal that are built from settings.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use app::domain::SiteInfo;
use clap::{Args, Parser};

use crate::clocks::{ClockSetupError, Clocks, ReceiptConvention};
use crate::http::ProxyRange;
use crate::mail::{RecipientAllowance, RetryPolicy};
use crate::requests::PublicLimits;
use crate::vault::KeySource;

/// The longest wait between two delivery attempts, however many failed.
const MAIL_RETRY_CAP: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Database to use: a SQLite file (created when missing) or a PostgreSQL URL.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://portal.db", global = true, hide_env_values = true)]
    pub database_url: ConnectionUrl,

    /// When a SQLite commit counts as done: `full` flushes every commit to
    /// disk first; `normal` survives a crash of the portal but may lose the
    /// last commits in a power cut.
    #[arg(long, env = "SQLITE_SYNCHRONOUS", value_enum, default_value_t = crate::db::Durability::Full, global = true)]
    pub sqlite_synchronous: crate::db::Durability,

    /// Connections this instance keeps open to PostgreSQL, all of them
    /// from the start. Instances behind one load balancer share the
    /// database's `max_connections` (100 unless changed), so four
    /// instances of 16 leave room for psql and a migration.
    #[arg(long, env = "POSTGRES_CONNECTIONS", default_value = "16", global = true)]
    pub postgres_connections: NonZeroU32,

    /// Address and port to listen on.
    #[arg(long = "listen", env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub listen: SocketAddr,

    /// Address customers use to reach the portal, for links in pages and
    /// emails. Defaults to http:// and the listen address. An https address
    /// says that a proxy in front terminates TLS: cookies are then Secure
    /// and `__Host-` prefixed, and HSTS is sent.
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Seconds browsers must keep to HTTPS for this site once told (HSTS),
    /// sent only when PUBLIC_URL is https; 0 tells them to forget it.
    #[arg(long, env = "HSTS_MAX_AGE", default_value_t = 31_536_000, global = true)]
    pub hsts_max_age: u64,

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

    /// Who handles complaints and statements of disagreement, as named in
    /// letters (a title is enough).
    #[arg(long, env = "PRIVACY_CONTACT", default_value = "Privacy Officer", global = true)]
    pub privacy_contact: String,

    /// Minutes without activity after which a staff session ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 30, global = true)]
    pub session_idle_minutes: u32,

    /// Hours after sign-in at which a staff session ends, however active.
    #[arg(long, env = "SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: u32,

    /// The regimes whose deadlines apply, comma-separated: glba, hipaa,
    /// ccpa, gdpr, and the state laws that give a refused customer an
    /// appeal (va_cdpa, co_cpa, ct_dpa). When several cover a request, the
    /// earliest deadline wins. Without a state law, refusals offer no appeal.
    #[arg(
        long,
        env = "REGIMES",
        value_delimiter = ',',
        default_value = "glba,hipaa,va_cdpa,co_cpa,ct_dpa",
        global = true
    )]
    pub regimes: Vec<String>,

    /// A TOML file of deadline rules replacing the built-in ones.
    #[arg(long, env = "RULES_FILE", global = true)]
    pub rules_file: Option<PathBuf>,

    /// A TOML file of holidays replacing the built-in US federal calendar.
    #[arg(long, env = "HOLIDAYS_FILE", global = true)]
    pub holidays_file: Option<PathBuf>,

    /// The organisation's time zone: it decides which day a request arrived
    /// on and what "today" is for deadlines.
    #[arg(long, env = "ORG_TIME_ZONE", default_value = "America/New_York", global = true)]
    pub time_zone: chrono_tz::Tz,

    /// Which day a business-day deadline counts from. `arrival-day`: the
    /// day the request arrived, whatever the hour, with the next business
    /// day as day 1 (never more time than the rule). `next-business-day`:
    /// an arrival on a closed day or after `BUSINESS_CLOSE` counts as
    /// received on the next business day.
    #[arg(long, env = "RECEIPT_CONVENTION", value_enum, default_value_t = ReceiptConvention::ArrivalDay, global = true)]
    pub receipt_convention: ReceiptConvention,

    /// Under the `next-business-day` convention, requests arriving at or
    /// after this local time count from the next business day.
    #[arg(long, env = "BUSINESS_CLOSE", default_value = "17:00", global = true)]
    pub business_close: chrono::NaiveTime,

    /// Local time of day at which the daily digest goes to staff.
    #[arg(long, env = "DIGEST_TIME", default_value = "07:00", global = true)]
    pub digest_time: chrono::NaiveTime,

    /// Local time of day at which the daily purge removes the personal data
    /// of requests past their retention.
    #[arg(long, env = "PURGE_TIME", default_value = "03:00", global = true)]
    pub purge_time: chrono::NaiveTime,

    /// Days failed sign-in attempts are kept.
    #[arg(long, env = "SIGN_IN_RECORD_DAYS", default_value_t = 30, global = true)]
    pub sign_in_record_days: u32,

    /// Days the record of which daily digests and purges ran is kept.
    #[arg(long, env = "RUN_RECORD_DAYS", default_value_t = 90, global = true)]
    pub run_record_days: u32,

    /// Days an expired verification link is still known (and answered as
    /// expired) before it is forgotten.
    #[arg(long, env = "VERIFICATION_RECORD_DAYS", default_value_t = 30, global = true)]
    pub verification_record_days: u32,

    /// A request is "due soon" within this many days of its deadline.
    #[arg(long, env = "DUE_SOON_DAYS", default_value_t = 5, global = true)]
    pub due_soon_days: u32,

    /// Folder holding the compiled site (the `pkg` folder and public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Base name of the compiled JavaScript, WebAssembly and CSS files.
    #[arg(long, env = "LEPTOS_OUTPUT_NAME", default_value = "portal", global = true)]
    pub output_name: String,

    /// SMTP server for outgoing mail, as a lettre URL: `smtp://host:port`,
    /// `smtps://user:pass@host`, `smtp://host?tls=required`. Without it,
    /// letters are written as .eml files into MAIL_DIR.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<ConnectionUrl>,

    /// The sender of every letter.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Example Medical Supply Privacy Office <privacy@example.com>",
        global = true
    )]
    pub mail_from: String,

    /// Days a tracking link acts for the customer by itself: a reply or a
    /// withdrawal through an older one is confirmed by a fresh single-use
    /// link emailed to the address on file first.
    #[arg(long, env = "TRACKING_LINK_FRESH_DAYS", default_value_t = 30, global = true)]
    pub tracking_link_fresh_days: u32,

    /// The privacy team's shared mailbox: told of a customer's reply on a
    /// case nobody holds.
    #[arg(long, env = "TEAM_EMAIL", default_value = "privacy@example.com", global = true)]
    pub team_email: String,

    /// Where letters go when no SMTP server is set. Defaults to a `mail`
    /// folder next to the SQLite database.
    #[arg(long, env = "MAIL_DIR", global = true)]
    pub mail_dir: Option<PathBuf>,

    /// Write letters as .eml files even though PUBLIC_URL is https. The
    /// files are plain development copies, outside the database's
    /// encryption, so without SMTP_URL an https portal refuses to start
    /// unless this is set.
    #[arg(long, env = "MAIL_FILES_FORCE", global = true)]
    pub mail_files_force: bool,

    /// A file holding the key-encryption key (32 bytes in base64) that
    /// wraps the database's data keys. Without it or DATA_KEK, a SQLite
    /// database gets a key file beside it on first start.
    #[arg(long, env = "DATA_KEY_FILE", global = true)]
    pub data_key_file: Option<PathBuf>,

    /// The key-encryption key itself (32 bytes in base64), instead of a file.
    #[arg(long, env = "DATA_KEK", global = true, hide_env_values = true)]
    pub data_kek: Option<crate::vault::KeyEncryptionKey>,

    /// Hours a verification link stays valid.
    #[arg(long, env = "VERIFICATION_HOURS", default_value_t = 72, global = true)]
    pub verification_hours: u32,

    /// Days after which a request whose email address was never confirmed
    /// is closed, with a letter saying so.
    #[arg(long, env = "UNVERIFIED_CLOSE_DAYS", default_value_t = 30, global = true)]
    pub unverified_close_days: u32,

    /// Delivery attempts before a letter is marked failed for staff.
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 10, global = true)]
    pub mail_max_attempts: u32,

    /// Seconds to wait after a first failed delivery; doubles each time, up
    /// to an hour.
    #[arg(long, env = "MAIL_RETRY_SECONDS", default_value_t = 30.0, global = true)]
    pub mail_retry_seconds: f64,

    /// Seconds between looks at the outbox when nothing new was written
    /// (new letters are sent at once).
    #[arg(long, env = "MAIL_POLL_SECONDS", default_value_t = 5.0, global = true)]
    pub mail_poll_seconds: f64,

    /// Seconds a worker's claim on a letter lasts: a letter claimed by an
    /// instance that died is sent by another once its claim runs out. Keep
    /// it well above the slowest delivery, or a slow letter is sent twice.
    #[arg(long, env = "MAIL_LEASE_SECONDS", default_value_t = 300.0, global = true)]
    pub mail_lease_seconds: f64,

    /// Hosts webhooks may be sent to although they are private, loopback or
    /// link-local, comma-separated names or addresses (a receiver inside
    /// the company's network). Every other private address is refused, so
    /// that a webhook cannot be used to probe the internal network.
    #[arg(long, env = "WEBHOOK_ALLOWED_HOSTS", value_delimiter = ',', global = true)]
    pub webhook_allowed_hosts: Vec<String>,

    /// Seconds a webhook endpoint has to answer a delivery before the
    /// attempt counts as failed (and is retried like a letter).
    #[arg(long, env = "WEBHOOK_TIMEOUT_SECONDS", default_value_t = 10.0, global = true)]
    pub webhook_timeout_seconds: f64,

    /// Largest request body accepted, in bytes; larger ones get 413. The
    /// documents form alone takes more, within the limits below.
    #[arg(long, env = "BODY_LIMIT", default_value_t = 64 * 1024, global = true)]
    pub body_limit: usize,

    /// Largest supporting document a customer may send, in bytes.
    #[arg(long, env = "DOCUMENT_MAX_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub document_max_bytes: u64,

    /// Most bytes of documents one request may hold, all sendings together.
    #[arg(long, env = "DOCUMENTS_MAX_BYTES_PER_REQUEST", default_value_t = 25 * 1024 * 1024, global = true)]
    pub documents_max_bytes_per_request: u64,

    /// Most documents one request may hold, all sendings together.
    #[arg(long, env = "DOCUMENTS_MAX_PER_REQUEST", default_value_t = 10, global = true)]
    pub documents_max_per_request: u64,

    /// Proxies in front of the portal, comma-separated addresses or CIDR
    /// ranges. Only for a connection from one of them is the client's
    /// address taken from X-Forwarded-For (the right-most address there
    /// that none of them wrote); otherwise the header is ignored.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<ProxyRange>,

    /// Public form posts that send letters (the three request forms and
    /// new verification emails) accepted from one client address per
    /// hour; as many may come at once. More get 429.
    #[arg(long, env = "SUBMISSIONS_PER_HOUR", default_value = "20", global = true)]
    pub submissions_per_hour: NonZeroU32,

    /// Letters the public may make the portal send one email address per
    /// day (receipts and verification letters together); a submission or
    /// resend past it is refused with 429 and nothing is stored.
    #[arg(long, env = "LETTERS_PER_RECIPIENT", default_value = "10", global = true)]
    pub letters_per_recipient: NonZeroU32,

    /// New verification emails one request may ask for, in all.
    #[arg(long, env = "VERIFICATION_RESENDS", default_value_t = 5, global = true)]
    pub verification_resends: u32,

    /// Password checks run at once; each holds about 19 MiB for its moment.
    /// A sign-in beyond them is asked to try again in a moment.
    #[arg(long, env = "PASSWORD_CHECKS", default_value = "4", global = true)]
    pub password_checks: NonZeroU32,
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen)).trim_end_matches('/').to_owned()
    }

    /// Whether customers reach the portal over HTTPS, whoever terminates it.
    pub fn served_over_https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// How long browsers keep to HTTPS, when they are to be told at all.
    pub fn hsts_max_age(&self) -> Option<u64> {
        self.served_over_https().then_some(self.hsts_max_age)
    }

    pub fn site_info(&self) -> SiteInfo {
        SiteInfo {
            org_name: self.org_name.clone(),
            org_address: self.org_address.clone(),
            privacy_phone: self.privacy_phone.clone(),
            opt_out_phone: self.opt_out_phone.clone(),
            privacy_contact: self.privacy_contact.clone(),
            public_url: self.public_url(),
        }
    }

    /// The folder for .eml files: MAIL_DIR, or `mail` beside a SQLite file.
    pub fn mail_dir(&self) -> PathBuf {
        if let Some(dir) = &self.mail_dir {
            return dir.clone();
        }
        match self.sqlite_file().as_deref().and_then(std::path::Path::parent) {
            Some(parent) => parent.join("mail"),
            None => PathBuf::from("mail"),
        }
    }

    fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.database_url.expose();
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| PathBuf::from(rest.split('?').next().unwrap_or(rest)))
            .filter(|file| !file.as_os_str().is_empty() && !file.to_string_lossy().contains(":memory:"))
    }

    /// Where the key-encryption key comes from: DATA_KEK, DATA_KEY_FILE, or
    /// on the embedded default a file beside the SQLite database.
    pub fn key_source(&self) -> KeySource {
        match (&self.data_kek, &self.data_key_file, self.sqlite_file()) {
            (Some(kek), _, _) => KeySource::Given(kek.clone()),
            (None, Some(file), _) => KeySource::File(file.clone()),
            (None, None, Some(database)) => {
                let mut name = database.file_name().map(|name| name.to_os_string()).unwrap_or_default();
                name.push(".key");
                KeySource::Beside(database.with_file_name(name))
            }
            (None, None, None) => KeySource::Unset,
        }
    }

    /// The domain part of the sender's address, for Message-IDs.
    pub fn mail_domain(&self) -> String {
        let address = self.mail_from.rsplit('<').next().unwrap_or(&self.mail_from);
        address.trim_end_matches('>').rsplit('@').next().unwrap_or("localhost").trim().to_owned()
    }

    /// The organisation's deadlines: its regimes, rules, holidays and calendar.
    pub fn clocks(&self) -> Result<Clocks, ClockSetupError> {
        Clocks::new(
            &self.regimes,
            self.rules_file.as_deref(),
            self.holidays_file.as_deref(),
            self.time_zone,
            self.receipt_convention.receipt(self.business_close),
            self.due_soon_days,
        )
    }

    /// How long the operational rows are kept.
    pub fn housekeeping(&self) -> crate::purge::Housekeeping {
        crate::purge::Housekeeping {
            sign_in_days: self.sign_in_record_days,
            run_days: self.run_record_days,
            verification_days: self.verification_record_days,
        }
    }

    /// How the outbox worker retries a letter that did not go.
    pub fn webhook_timeout(&self) -> std::time::Duration {
        seconds(self.webhook_timeout_seconds)
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.mail_max_attempts.max(1),
            base_delay: seconds(self.mail_retry_seconds),
            max_delay: MAIL_RETRY_CAP,
            lease: seconds(self.mail_lease_seconds),
            poll: seconds(self.mail_poll_seconds),
        }
    }

    /// How many letters the public may cause.
    pub fn public_limits(&self) -> PublicLimits {
        PublicLimits {
            allowance: RecipientAllowance { letters_per_day: self.letters_per_recipient.get() },
            resends_per_request: self.verification_resends,
        }
    }

    /// How long a verification link works.
    pub fn verification_ttl(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.verification_hours))
    }

    /// Every setting as the command line leaves it when given nothing (the
    /// environment still counts).
    pub fn defaults() -> Self {
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            config: Config,
        }
        Defaults::parse_from(["server"]).config
    }

    /// Defaults suitable for tests: a given database, any free port.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Self {
            database_url: ConnectionUrl::from(database_url.into()),
            listen: "127.0.0.1:0".parse().expect("a valid literal address"),
            public_url: Some("http://portal.test".into()),
            // Late enough that the background job leaves the digest to the
            // tests that send it on purpose.
            digest_time: chrono::NaiveTime::from_hms_opt(23, 59, 0).expect("a valid time"),
            purge_time: chrono::NaiveTime::from_hms_opt(23, 59, 0).expect("a valid time"),
            // Tests post from one (unknown) address to a few addresses;
            // those that prove the limits set their own.
            submissions_per_hour: NonZeroU32::MAX,
            letters_per_recipient: NonZeroU32::MAX,
            // Hundreds of test databases are opened one after another, each
            // opening all its connections at start.
            postgres_connections: NonZeroU32::new(4).expect("not zero"),
            // Tests run their webhook receivers on this machine.
            webhook_allowed_hosts: vec!["127.0.0.1".to_owned()],
            ..Self::defaults()
        }
    }
}

/// A database or SMTP URL, which may carry a password
/// (`postgres://portal:secret@db/portal`, `smtps://user:secret@host`). Its
/// `Debug` hides the password, so a printed configuration never shows it.
#[derive(Clone)]
pub struct ConnectionUrl(String);

impl ConnectionUrl {
    /// The URL with its password, for connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for ConnectionUrl {
    fn from(url: String) -> Self {
        Self(url)
    }
}

impl From<&str> for ConnectionUrl {
    fn from(url: &str) -> Self {
        Self(url.to_owned())
    }
}

impl std::fmt::Debug for ConnectionUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((scheme, rest)) = self.0.split_once("://") else { return f.write_str("…") };
        // A query may carry a password too (`?password=`), so none is shown.
        let (rest, query) = match rest.split_once('?') {
            Some((rest, _)) => (rest, "?…"),
            None => (rest, ""),
        };
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (user, host) = match rest[..authority_end].rfind('@') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => return write!(f, "{scheme}://{rest}{query}"),
        };
        match user.split_once(':') {
            Some((name, _)) => write!(f, "{scheme}://{name}:…@{host}{query}"),
            None => write!(f, "{scheme}://{user}@{host}{query}"),
        }
    }
}

/// A number of seconds from a flag, kept to at least a hundredth of one.
fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value).unwrap_or(Duration::from_secs(1)).max(Duration::from_millis(10))
}

#[cfg(test)]
mod tests {
    use super::ConnectionUrl;

    #[test]
    fn a_printed_url_keeps_its_password_to_itself() {
        let shown = |url: &str| format!("{:?}", ConnectionUrl::from(url));
        assert_eq!(shown("postgres://portal:hunter2@db:5432/portal"), "postgres://portal:…@db:5432/portal");
        assert_eq!(shown("smtps://mailer:p%40ss@mail.example.com"), "smtps://mailer:…@mail.example.com");
        assert_eq!(shown("postgres://db/portal?user=portal&password=hunter2"), "postgres://db/portal?…");
        assert_eq!(shown("sqlite://portal.db"), "sqlite://portal.db");
        assert_eq!(shown("smtp://relay@mail.example.com:25"), "smtp://relay@mail.example.com:25");
    }
}
