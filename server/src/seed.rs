//! `server seed`: realistic requests for trying the portal and for benchmarks.
//!
//! Requests arrive over the last two years, more on weekdays and a little
//! more each month; each gets the history the portal would have written for
//! it (submission, verification, assignment, work, questions to the
//! customer, notes, the outcome), its clock as the configured rules compute
//! it, and the columns the queue filters on. Older requests are finished,
//! most of them before their deadline; recent ones are still open. No
//! letters are written.
//!
//! Rows are made on a thread of their own while the previous chunk is
//! written, in multi-row inserts, a few thousand requests per transaction.

use std::collections::HashSet;
use std::time::Instant;

use app::domain::clock::{Pause, RequestClock};
use app::domain::metrics::grouped;
use app::domain::request::{AmendmentCategory, Choice, ComplaintCategory, JointAccount, OptOutScope};
use app::domain::workflow::{CloseReason, DenialGround, Outcome};
use app::domain::{Channel, EventKind, ReferenceCode, RequestDetails, RequestKind, RequestStatus, Role};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Set, Statement, TransactionTrait, Value,
};

use crate::audit::{self, Actor};
use crate::clocks::{ClockState, Clocks};
use crate::config::Config;
use crate::db::entities::staff_user;
use crate::history::outcome_summary;
use crate::mail::long_day;

/// Requests written per transaction. Big transactions matter on SQLite:
/// each commit writes every index page it touched to the log again, and the
/// unique indexes on random codes touch pages all over (20,000 writes a
/// million about 1.6 times as fast as 5,000).
const CHUNK: usize = 20_000;
/// Rows per INSERT: well under SQLite's 32,766 bound variables (and
/// PostgreSQL's 65,535).
const REQUEST_ROWS_PER_INSERT: usize = 500;
const EVENT_ROWS_PER_INSERT: usize = 2_000;
/// How far back requests go.
const HISTORY_DAYS: i64 = 730;

const REQUEST_COLUMNS: &[&str] = &[
    "id",
    "reference",
    "kind",
    "status",
    "channel",
    "tracking_hash",
    "full_name",
    "email",
    "phone",
    "postal_address",
    "account_number",
    "details",
    "gpc",
    "received_at",
    "created_at",
    "updated_at",
    "verified_at",
    "verification_hash",
    "verification_expires_at",
    "verification_sent_at",
    "assignee_id",
    "version",
    "outcome",
    "resolved_at",
    "due_on",
    "clock",
    "clock_state",
];
const EVENT_COLUMNS: &[&str] = &["request_id", "at", "kind", "customer_visible", "body", "actor_id"];

/// Adds `requests` requests to the database in `config`.
pub async fn run(config: &Config, requests: u64) -> Result<(), String> {
    let started = Instant::now();
    let db = open(config).await?;
    let clocks = Clocks::new(
        &config.regimes,
        config.rules_file.as_deref(),
        config.holidays_file.as_deref(),
        config.time_zone,
        config.business_close,
        config.due_soon_days,
    )
    .map_err(|e| e.to_string())?;
    let backend = db.get_database_backend();

    let roster = roster(&db).await.map_err(|e| format!("cannot create the staff roster: {e}"))?;
    let first_id = next_request_id(&db).await.map_err(|e| e.to_string())?;
    let taken: HashSet<String> = crate::db::entities::request::Entity::find()
        .select_only()
        .column(crate::db::entities::request::Column::Reference)
        .into_tuple::<String>()
        .all(&db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();

    let progress = ProgressBar::new(requests).with_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {human_pos}/{human_len} requests  {per_sec}  ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    let (chunks, mut incoming) = tokio::sync::mpsc::channel::<Chunk>(1);
    let mut maker = Maker::new(clocks, roster, config.verification_hours, first_id, taken);
    let generator = std::thread::spawn(move || {
        maker.generate(requests, |chunk| chunks.blocking_send(chunk).is_ok());
        maker.stats
    });

    let mut written = 0_u64;
    let mut events = 0_u64;
    while let Some(chunk) = incoming.recv().await {
        let (count, event_count) = (chunk.requests, chunk.events);
        if let Err(e) = write_chunk(&db, backend, chunk).await {
            drop(incoming);
            let _ = generator.join();
            progress.abandon();
            return Err(format!("cannot write requests: {e}"));
        }
        written += count as u64;
        events += event_count as u64;
        progress.inc(count as u64);
    }
    let stats = generator.join().map_err(|_| "the request generator failed".to_owned())?;
    progress.finish_and_clear();
    if backend == DatabaseBackend::Postgres && written > 0 {
        // Ids were given explicitly; the sequence must move past them.
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT MAX(id) FROM requests))",
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    crate::metrics::forget_all(&db).await.map_err(|e| e.to_string())?;
    if backend == DatabaseBackend::Sqlite {
        // Fold the write-ahead log into the database file, so that the
        // file stands alone; a reader holding it open only postpones that.
        let _ = db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Seeded {} requests ({} opt-out, {} amendment, {} complaint; {} open, {} finished of which {:.1}% late) \
         with {} events and {} staff in {:.1} s ({}/s).",
        grouped(written),
        grouped(stats.by_kind[0]),
        grouped(stats.by_kind[1]),
        grouped(stats.by_kind[2]),
        grouped(stats.open),
        grouped(stats.finished),
        if stats.finished > 0 { 100.0 * stats.late as f64 / stats.finished as f64 } else { 0.0 },
        grouped(events),
        ROSTER.len(),
        seconds,
        grouped((written as f64 / seconds.max(0.001)) as u64),
    );
    Ok(())
}

/// Opens and migrates the database as the portal does. SQLite gets a large
/// page cache, which keeps the random-keyed unique indexes (reference,
/// tracking hash) in memory while they grow, and no slow-statement log:
/// an insert of a few thousand rows is meant to take a while.
async fn open(config: &Config) -> Result<DatabaseConnection, String> {
    let url = &config.database_url;
    let db = if url.starts_with("sqlite:") {
        use sea_orm::sqlx::ConnectOptions;
        use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
        let options = url
            .parse::<SqliteConnectOptions>()
            .map_err(|e| format!("invalid SQLite URL: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match config.sqlite_synchronous {
                crate::db::Durability::Full => SqliteSynchronous::Full,
                crate::db::Durability::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            .pragma("cache_size", "-524288")
            .disable_statement_logging();
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    } else {
        crate::db::connect(url, config.sqlite_synchronous)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?
    };
    crate::db::migrate(&db).await.map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok(db)
}

async fn next_request_id(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let max = crate::db::entities::request::Entity::find()
        .select_only()
        .column_as(crate::db::entities::request::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(max.unwrap_or(0) + 1)
}

/// One transaction's worth of rows, as bound values in column order.
struct Chunk {
    requests: usize,
    request_values: Vec<Value>,
    events: usize,
    event_values: Vec<Value>,
}

async fn write_chunk(db: &DatabaseConnection, backend: DatabaseBackend, chunk: Chunk) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    insert_rows(&txn, backend, "requests", REQUEST_COLUMNS, chunk.request_values, REQUEST_ROWS_PER_INSERT).await?;
    insert_rows(&txn, backend, "request_events", EVENT_COLUMNS, chunk.event_values, EVENT_ROWS_PER_INSERT).await?;
    txn.commit().await
}

async fn insert_rows(
    txn: &impl ConnectionTrait,
    backend: DatabaseBackend,
    table: &str,
    columns: &[&str],
    values: Vec<Value>,
    rows_per_insert: usize,
) -> Result<(), DbErr> {
    let width = columns.len();
    let total = values.len() / width;
    let mut values = values.into_iter();
    let mut full: Option<String> = None;
    let mut done = 0;
    while done < total {
        let rows = (total - done).min(rows_per_insert);
        let sql = if rows == rows_per_insert {
            full.get_or_insert_with(|| insert_sql(backend, table, columns, rows)).clone()
        } else {
            insert_sql(backend, table, columns, rows)
        };
        let batch: Vec<Value> = values.by_ref().take(rows * width).collect();
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, batch)).await?;
        done += rows;
    }
    Ok(())
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4), ...`, or with `?`
/// for SQLite: SQLite looks a numbered parameter up by walking the list of
/// all of them, which makes binding thousands of `$N` quadratic.
fn insert_sql(backend: DatabaseBackend, table: &str, columns: &[&str], rows: usize) -> String {
    use std::fmt::Write;
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                DatabaseBackend::Sqlite => sql.push('?'),
                _ => {
                    let _ = write!(sql, "${n}");
                }
            }
        }
        sql.push(')');
    }
    sql
}

// ---------------------------------------------------------------- staff

/// The team: twelve agents, three managers and an administrator.
const ROSTER: &[(&str, Role)] = &[
    ("Maria Alvarez", Role::Agent),
    ("James Carter", Role::Agent),
    ("Priya Raman", Role::Agent),
    ("Daniel Okafor", Role::Agent),
    ("Emily Nguyen", Role::Agent),
    ("Robert Kowalski", Role::Agent),
    ("Aisha Thompson", Role::Agent),
    ("Kevin O'Brien", Role::Agent),
    ("Sofia Rossi", Role::Agent),
    ("Marcus Johnson", Role::Agent),
    ("Hannah Lee", Role::Agent),
    ("Luis Fernandez", Role::Agent),
    ("Grace Whitfield", Role::Manager),
    ("Samuel Brooks", Role::Manager),
    ("Nadia Haddad", Role::Manager),
    ("Thomas Reed", Role::Admin),
];

#[derive(Clone, Debug)]
struct Member {
    id: i64,
    name: String,
}

#[derive(Clone, Debug)]
struct Roster {
    agents: Vec<Member>,
    managers: Vec<Member>,
}

fn roster_email(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    format!("{local}@staff.example")
}

/// Creates the accounts that are missing and reads back everyone's id. The
/// accounts share the hash of a random password nobody knows: they exist to
/// have worked on requests, not to sign in.
async fn roster(db: &DatabaseConnection) -> Result<Roster, String> {
    let emails: Vec<String> = ROSTER.iter().map(|(name, _)| roster_email(name)).collect();
    let existing: HashSet<String> = staff_user::Entity::find()
        .filter(staff_user::Column::Email.is_in(emails.clone()))
        .all(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|user| user.email)
        .collect();
    if existing.len() < ROSTER.len() {
        let mut secret = [0_u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let hash = crate::staff::passwords::hash(hex(&secret)).await?;
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        for ((name, role), email) in ROSTER.iter().zip(&emails) {
            if existing.contains(email) {
                continue;
            }
            staff_user::ActiveModel {
                email: Set(email.clone()),
                name: Set((*name).to_owned()),
                role: Set(role.as_str().to_owned()),
                password_hash: Set(Some(hash.clone())),
                active: Set(true),
                session_epoch: Set(0),
                created_at: Set(Utc::now() - Duration::days(HISTORY_DAYS + 30)),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|e| e.to_string())?;
            let detail = serde_json::json!({ "email": email, "role": role.as_str() });
            audit::append(&txn, &Actor::System("seed"), "staff.created", None, detail)
                .await
                .map_err(|e| e.to_string())?;
        }
        txn.commit().await.map_err(|e| e.to_string())?;
    }
    let users = staff_user::Entity::find()
        .filter(staff_user::Column::Email.is_in(emails))
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    let members = |role: Role| -> Vec<Member> {
        users.iter().filter(|u| u.role == role.as_str()).map(|u| Member { id: u.id, name: u.name.clone() }).collect()
    };
    let roster = Roster { agents: members(Role::Agent), managers: members(Role::Manager) };
    if roster.agents.is_empty() || roster.managers.is_empty() {
        return Err("the seeded staff accounts exist but with other roles; remove them or seed another database".into());
    }
    Ok(roster)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

// ---------------------------------------------------------------- requests

#[derive(Default)]
struct Stats {
    by_kind: [u64; 3],
    open: u64,
    finished: u64,
    late: u64,
}

#[derive(Clone)]
struct Customer {
    full_name: String,
    email: String,
    phone: Option<String>,
    postal_address: Option<String>,
    account_number: Option<String>,
}

struct Event {
    at: DateTime<Utc>,
    kind: EventKind,
    body: Option<String>,
    actor: Option<i64>,
}

/// Makes requests, one day at a time, in order of arrival.
struct Maker {
    rng: SmallRng,
    clocks: Clocks,
    tz: Tz,
    roster: Roster,
    now: DateTime<Utc>,
    today: NaiveDate,
    verification_ttl: Duration,
    next_id: i64,
    taken: HashSet<String>,
    /// Recent requesters, some of whom ask again.
    recent: Vec<Customer>,
    stats: Stats,
}

impl Maker {
    fn new(clocks: Clocks, roster: Roster, verification_hours: u32, first_id: i64, taken: HashSet<String>) -> Self {
        let now = Utc::now();
        Self {
            rng: SmallRng::from_os_rng(),
            tz: clocks.time_zone(),
            today: clocks.local_date(now),
            clocks,
            roster,
            now,
            verification_ttl: Duration::hours(i64::from(verification_hours)),
            next_id: first_id,
            taken,
            recent: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// Makes `total` requests and hands them over a chunk at a time; stops
    /// early when `deliver` says nobody is listening any more.
    fn generate(&mut self, total: u64, mut deliver: impl FnMut(Chunk) -> bool) {
        let first = self.today - Duration::days(HISTORY_DAYS);
        let days: Vec<NaiveDate> = first.iter_days().take_while(|day| *day <= self.today).collect();
        let weights: Vec<f64> = days.iter().enumerate().map(|(i, day)| self.day_weight(i, days.len(), *day)).collect();
        let sum: f64 = weights.iter().sum();
        let mut chunk = Chunk::new();
        let mut cumulative = 0.0;
        let mut made = 0_u64;
        for (day, weight) in days.iter().zip(&weights) {
            cumulative += weight;
            let target = ((total as f64) * cumulative / sum).round() as u64;
            let count = target.min(total).saturating_sub(made);
            for (received_at, channel) in self.arrivals(*day, count) {
                self.request(received_at, channel, &mut chunk);
                made += 1;
                if chunk.requests == CHUNK && !deliver(std::mem::replace(&mut chunk, Chunk::new())) {
                    return;
                }
            }
        }
        if chunk.requests > 0 {
            deliver(chunk);
        }
    }

    /// Volume grows by about half over the two years; weekdays are busy,
    /// weekends quiet, and no two days are quite alike.
    fn day_weight(&mut self, index: usize, days: usize, day: NaiveDate) -> f64 {
        let growth = 0.7 + 0.45 * index as f64 / days as f64;
        let weekday = match day.weekday() {
            Weekday::Mon => 1.2,
            Weekday::Tue => 1.1,
            Weekday::Wed => 1.05,
            Weekday::Thu => 1.0,
            Weekday::Fri => 0.85,
            Weekday::Sat => 0.3,
            Weekday::Sun => 0.22,
        };
        let noise = 0.8 + 0.4 * self.rng.random::<f64>();
        // Only the part of today that has passed.
        let part = if day == self.today {
            let local = self.now.with_timezone(&self.tz);
            f64::from(local.num_seconds_from_midnight()) / 86_400.0
        } else {
            1.0
        };
        growth * weekday * noise * part
    }

    /// `count` arrival times on `day`, in order, each with its channel.
    fn arrivals(&mut self, day: NaiveDate, count: u64) -> Vec<(DateTime<Utc>, Channel)> {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let mut arrivals: Vec<(DateTime<Utc>, Channel)> = (0..count)
            .map(|_| {
                let roll = self.rng.random::<f64>();
                let channel = if weekend || roll < 0.86 {
                    Channel::Web
                } else if roll < 0.96 {
                    Channel::Phone
                } else {
                    Channel::Mail
                };
                let seconds = match channel {
                    Channel::Web => self.web_second_of_day(),
                    // Calls during opening hours; letters opened in the morning.
                    Channel::Phone => self.rng.random_range(8 * 3600 + 1800..17 * 3600 + 1800),
                    Channel::Mail => self.rng.random_range(9 * 3600..12 * 3600),
                };
                let mut at = self.at_local(day, seconds);
                if at >= self.now {
                    // Today: only what has arrived so far.
                    let midnight = self.at_local(day, 0);
                    let span = (self.now - midnight).num_seconds().max(1);
                    at = midnight + Duration::seconds(self.rng.random_range(0..span));
                    return (at.min(self.now - Duration::seconds(1)), Channel::Web);
                }
                (at, channel)
            })
            .collect();
        arrivals.sort_by_key(|(at, _)| *at);
        arrivals
    }

    /// Web requests come at any hour, most of them in the day and evening.
    fn web_second_of_day(&mut self) -> u32 {
        const HOURS: [f64; 24] = [
            0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.5, 5.0, 6.0, 6.2, 6.0, 6.0, 5.8, 5.5, 5.2, 5.0, 4.6, 4.6, 4.4,
            3.6, 2.4, 1.2,
        ];
        let total: f64 = HOURS.iter().sum();
        let mut roll = self.rng.random::<f64>() * total;
        let mut hour = 23;
        for (h, weight) in HOURS.iter().enumerate() {
            if roll < *weight {
                hour = h as u32;
                break;
            }
            roll -= weight;
        }
        hour * 3600 + self.rng.random_range(0..3600)
    }

    /// A local wall-clock time as an instant, with some sub-second noise.
    fn at_local(&mut self, day: NaiveDate, seconds: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0).unwrap_or_default();
        let micros = self.rng.random_range(0..1_000_000);
        self.utc(day.and_time(time)) + Duration::microseconds(micros)
    }

    fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // A time skipped by a daylight-saving change is read an hour later.
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| self.tz.from_local_datetime(&(local + Duration::hours(1))).earliest())
            .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
    }

    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// When staff do something `delay` after `after`: during office hours
    /// on a weekday, so later work waits for the next morning.
    fn work_time(&mut self, after: DateTime<Utc>, delay: Duration) -> DateTime<Utc> {
        let at = after + delay;
        let local = at.with_timezone(&self.tz).naive_local();
        let minute = local.hour() * 60 + local.minute();
        let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && (8 * 60 + 30..17 * 60 + 45).contains(&minute) {
            return at;
        }
        let mut day = if weekday && minute < 8 * 60 + 30 { local.date() } else { local.date() + Duration::days(1) };
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            day += Duration::days(1);
        }
        let seconds = self.rng.random_range(8 * 3600 + 1800..12 * 3600);
        self.at_local(day, seconds).max(at)
    }

    /// Some time between `from` and `to`, `share` of the way (a random
    /// share when `None`).
    fn between(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, low: f64, high: f64) -> DateTime<Utc> {
        let span = (to - from).num_seconds().max(0) as f64;
        let share = low + (high - low) * self.rng.random::<f64>();
        from + Duration::seconds((span * share) as i64)
    }

    fn hours(&mut self, low: f64, high: f64) -> Duration {
        Duration::seconds((3600.0 * (low + (high - low) * self.rng.random::<f64>())) as i64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn pick<T: Copy>(&mut self, weighted: &[(T, f64)]) -> T {
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.random::<f64>() * total;
        for (item, weight) in weighted {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        weighted[weighted.len() - 1].0
    }

    fn one<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.choose(&mut self.rng).copied().unwrap_or_default()
    }

    fn reference(&mut self) -> ReferenceCode {
        loop {
            let code = ReferenceCode::from_random(self.rng.next_u64());
            if self.taken.insert(code.to_string()) {
                return code;
            }
        }
    }

    fn secret_hash(&mut self) -> String {
        let mut bytes = [0_u8; 32];
        self.rng.fill_bytes(&mut bytes);
        hex(&bytes)
    }

    fn agent(&mut self) -> Member {
        self.roster.agents.choose(&mut self.rng).cloned().unwrap_or(Member { id: 0, name: String::new() })
    }

    fn manager(&mut self) -> Member {
        self.roster.managers.choose(&mut self.rng).cloned().unwrap_or(Member { id: 0, name: String::new() })
    }

    /// Either someone who asked before (about one in twelve) or someone new.
    fn customer(&mut self, kind: RequestKind, channel: Channel) -> Customer {
        let mut customer = if !self.recent.is_empty() && self.chance(0.08) {
            self.recent.choose(&mut self.rng).cloned().unwrap_or_else(|| self.new_customer())
        } else {
            let customer = self.new_customer();
            if self.recent.len() < 5_000 {
                self.recent.push(customer.clone());
            } else {
                let slot = self.rng.random_range(0..self.recent.len());
                self.recent[slot] = customer.clone();
            }
            customer
        };
        // What each form asks for: an opt-out needs a postal address; a
        // complaint asks for neither address nor account.
        match kind {
            RequestKind::OptOut => {
                if customer.postal_address.is_none() {
                    customer.postal_address = Some(self.address());
                }
            }
            RequestKind::Amendment => customer.postal_address = None,
            RequestKind::Complaint => {
                customer.postal_address = None;
                customer.account_number = None;
            }
        }
        if channel == Channel::Phone && customer.phone.is_none() {
            customer.phone = Some(self.phone());
        }
        customer
    }

    fn new_customer(&mut self) -> Customer {
        let first = self.one(FIRST_NAMES);
        let last = self.one(LAST_NAMES);
        let middle = self.chance(0.12).then(|| self.rng.random_range(b'A'..=b'Z') as char);
        let full_name = match middle {
            Some(initial) => format!("{first} {initial}. {last}"),
            None => format!("{first} {last}"),
        };
        let (f, l) = (first.to_lowercase(), last.to_lowercase().replace(['\'', ' '], ""));
        let number = self.rng.random_range(1..9999);
        let year = self.rng.random_range(52..=99);
        let local = match self.rng.random_range(0..6) {
            0 => format!("{f}.{l}"),
            1 => format!("{f}.{l}{number}"),
            2 => format!("{}{l}{year}", &f[..1]),
            3 => format!("{f}_{l}"),
            4 => format!("{f}{l}{}", number % 100),
            _ => format!("{l}.{f}"),
        };
        let domain = self.one(EMAIL_DOMAINS);
        let email =
            if self.chance(0.05) { format!("{}@{domain}", capitalise(&local)) } else { format!("{local}@{domain}") };
        let phone = self.chance(0.45).then(|| self.phone());
        let postal_address = self.chance(0.5).then(|| self.address());
        let account_number = self.chance(0.55).then(|| format!("{:08}", self.rng.random_range(10_000_000..99_999_999)));
        Customer { full_name, email, phone, postal_address, account_number }
    }

    fn phone(&mut self) -> String {
        let area = self.one(AREA_CODES);
        format!("{area}-555-01{:02}", self.rng.random_range(0..100))
    }

    fn address(&mut self) -> String {
        let number = self.rng.random_range(1..9900);
        let street = self.one(STREETS);
        let (city, state, zip) = *CITIES.choose(&mut self.rng).unwrap_or(&CITIES[0]);
        let unit = if self.chance(0.2) { format!(", Apt {}", self.rng.random_range(1..40)) } else { String::new() };
        format!("{number} {street}{unit}, {city}, {state} {zip}")
    }

    fn details(&mut self, kind: RequestKind, channel: Channel, received: NaiveDate, name: &str) -> RequestDetails {
        match kind {
            RequestKind::OptOut => RequestDetails::OptOut {
                scope: self.pick(&[(OptOutScope::AllSharing, 0.72), (OptOutScope::MarketingOnly, 0.28)]),
                joint_account: self.pick(&[
                    (JointAccount::NotJoint, 0.8),
                    (JointAccount::JustMe, 0.08),
                    (JointAccount::AllHolders, 0.12),
                ]),
                gpc: channel == Channel::Web && self.chance(0.18),
            },
            RequestKind::Amendment => {
                let category = self.pick(&[
                    (AmendmentCategory::ContactDetails, 0.3),
                    (AmendmentCategory::Insurance, 0.3),
                    (AmendmentCategory::MedicalRecord, 0.25),
                    (AmendmentCategory::Account, 0.15),
                ]);
                let (current, corrected, reason) = self.amendment_text(category, received, name);
                let date_of_birth =
                    (matches!(category, AmendmentCategory::Insurance | AmendmentCategory::MedicalRecord)
                        || self.chance(0.3))
                    .then(|| {
                        let age = self.rng.random_range(19..92);
                        NaiveDate::from_ymd_opt(
                            received.year() - age,
                            self.rng.random_range(1..=12),
                            self.rng.random_range(1..=28),
                        )
                    })
                    .flatten();
                let supporting_details = self.chance(0.35).then(|| self.one(SUPPORTING).to_owned());
                RequestDetails::Amendment {
                    category,
                    date_of_birth,
                    current_information: current,
                    corrected_information: corrected,
                    reason,
                    supporting_details,
                }
            }
            RequestKind::Complaint => {
                let category = self.pick(&[
                    (ComplaintCategory::UnwantedMarketing, 0.38),
                    (ComplaintCategory::UnauthorisedDisclosure, 0.2),
                    (ComplaintCategory::SecurityConcern, 0.14),
                    (ComplaintCategory::RefusedRequest, 0.1),
                    (ComplaintCategory::Other, 0.18),
                ]);
                let back = self.rng.random_range(0..75);
                let occurred_on = received - Duration::days((back * back) / 75);
                RequestDetails::Complaint { category, occurred_on, description: self.complaint_text(category) }
            }
        }
    }

    fn amendment_text(
        &mut self,
        category: AmendmentCategory,
        received: NaiveDate,
        name: &str,
    ) -> (String, String, String) {
        match category {
            AmendmentCategory::ContactDetails => {
                let (old, new) = (self.address(), self.address());
                let month = (received - Duration::days(self.rng.random_range(10..120))).format("%B %Y");
                let reason = match self.rng.random_range(0..3) {
                    0 => format!("I moved in {month} and my statements and deliveries still go to the old address."),
                    1 => "My supplies were delivered to my previous home twice this month.".to_owned(),
                    _ => format!(
                        "The address on file is out of date since {month}; the post office is no longer forwarding mail."
                    ),
                };
                (format!("Mailing address: {old}"), format!("Mailing address: {new}"), reason)
            }
            AmendmentCategory::Insurance => {
                let (from, to) = (self.one(INSURERS), self.one(INSURERS));
                let old =
                    format!("{} {:09}", from.split(' ').next().unwrap_or("XY"), self.rng.random_range(0..999_999_999));
                let new =
                    format!("{} {:09}", to.split(' ').next().unwrap_or("XY"), self.rng.random_range(0..999_999_999));
                let since = (received - Duration::days(self.rng.random_range(5..90))).format("%-d %B %Y");
                (
                    format!("Primary insurance: {from}, member ID {old}"),
                    format!("Primary insurance: {to}, member ID {new}"),
                    format!(
                        "My coverage changed on {since}; claims for my supplies are being denied under the old plan."
                    ),
                )
            }
            AmendmentCategory::MedicalRecord => {
                let device = self.one(DEVICES);
                match self.rng.random_range(0..3) {
                    0 => {
                        let (a, b) = (self.one(SIZES), self.one(SIZES));
                        (
                            format!("Prescription on file: {device}, size {a}"),
                            format!("Prescription: {device}, size {b}, as ordered by my physician"),
                            format!("My doctor's order says size {b}; the wrong size has been shipped."),
                        )
                    }
                    1 => (
                        "Allergies: latex".to_owned(),
                        "No known latex allergy".to_owned(),
                        "The latex allergy was recorded for another patient; it is not mine and it limits which products I am offered.".to_owned(),
                    ),
                    _ => (
                        format!("Diagnosis code on my {device} order is incorrect"),
                        "The diagnosis code on my physician's order (copy enclosed)".to_owned(),
                        "The wrong diagnosis code means my insurer will not cover the order.".to_owned(),
                    ),
                }
            }
            AmendmentCategory::Account => {
                let misspelt: String = {
                    let mut chars: Vec<char> = name.chars().collect();
                    let at = 1 + self.rng.random_range(0..chars.len().saturating_sub(2).max(1));
                    if at + 1 < chars.len() {
                        chars.swap(at, at + 1);
                    }
                    chars.into_iter().collect()
                };
                match self.rng.random_range(0..2) {
                    0 => (
                        format!("Account holder name: {misspelt}"),
                        format!("Account holder name: {name}"),
                        "My name is misspelled on the account and on every invoice.".to_owned(),
                    ),
                    _ => (
                        "Date of birth on the account is wrong".to_owned(),
                        "Date of birth as on my driver's licence".to_owned(),
                        "The pharmacy cannot match my account to my prescriptions.".to_owned(),
                    ),
                }
            }
        }
    }

    fn complaint_text(&mut self, category: ComplaintCategory) -> String {
        let device = self.one(DEVICES);
        let text = match category {
            ComplaintCategory::UnwantedMarketing => self.one(&[
                "I opted out last year but I still receive catalogues and phone calls every week.",
                "I keep getting marketing emails from a company I never heard of, mentioning my {device} order.",
                "A third party called me about {device} offers and knew what I had bought from you.",
                "I receive text messages advertising supplies although I never gave consent.",
            ]),
            ComplaintCategory::UnauthorisedDisclosure => self.one(&[
                "My order details for {device} were sent to my former employer.",
                "Someone at the store read out my prescription details in front of other customers.",
                "My neighbour received a package slip with my name and the {device} I ordered.",
                "My insurance information was shared with a relative without my permission.",
            ]),
            ComplaintCategory::SecurityConcern => self.one(&[
                "I received an email with another customer's invoice attached.",
                "Your website showed me someone else's order history after I signed in.",
                "I got a letter saying my data may have been exposed but nobody answers my questions.",
            ]),
            ComplaintCategory::RefusedRequest => self.one(&[
                "I asked for a copy of my records two months ago and nobody has replied.",
                "My request to correct my insurance details was refused without an explanation.",
            ]),
            ComplaintCategory::Other => self.one(&[
                "The privacy notice I received does not match what your staff told me on the phone.",
                "I was asked for my Social Security number to return a {device}, which seems unnecessary.",
                "I want to know who you share my purchase history with.",
            ]),
        };
        text.replace("{device}", device)
    }

    /// One request, its whole history so far, and its row.
    fn request(&mut self, received_at: DateTime<Utc>, channel: Channel, chunk: &mut Chunk) {
        let kind =
            self.pick(&[(RequestKind::OptOut, 0.6), (RequestKind::Amendment, 0.25), (RequestKind::Complaint, 0.15)]);
        let customer = self.customer(kind, channel);
        let received_day = self.local_date(received_at);
        let details = self.details(kind, channel, received_day, &customer.full_name);
        let gpc = matches!(details, RequestDetails::OptOut { gpc: true, .. });
        let web = channel == Channel::Web;
        let needs_verification = web && kind.needs_verification();

        let mut events: Vec<Event> = Vec::with_capacity(10);
        // Phone and mail requests are typed in by an agent, a little after
        // the call or when the letter is opened.
        let created_at = if web {
            received_at
        } else {
            let delay = if channel == Channel::Phone { self.hours(0.02, 0.3) } else { self.hours(0.5, 6.0) };
            self.work_time(received_at, delay).min(self.now)
        };
        let intake_agent = (!web).then(|| self.agent());
        events.push(Event {
            at: created_at,
            kind: if web { EventKind::Submitted } else { EventKind::EnteredByStaff },
            body: None,
            actor: intake_agent.as_ref().map(|a| a.id),
        });

        // Confirming the email address.
        let mut verification_sent_at = needs_verification.then_some(received_at);
        let mut verified_at = None;
        let mut ready = Some(created_at);
        if needs_verification {
            if self.chance(0.07) {
                // Never confirmed: the sweep closes it after 30 days.
                if self.chance(0.3) {
                    let at = received_at + self.hours(1.0, 72.0);
                    events.push(Event { at, kind: EventKind::VerificationSent, body: None, actor: None });
                    verification_sent_at = Some(at);
                }
                let at = received_at + Duration::days(30) + Duration::seconds(self.rng.random_range(0..600));
                events.push(Event { at, kind: EventKind::ClosedUnverified, body: None, actor: None });
                ready = None;
            } else if self.chance(0.03) {
                let who = self.agent();
                let delay = self.hours(2.0, 60.0);
                let at = self.work_time(received_at, delay);
                events.push(Event { at, kind: EventKind::VerifiedByStaff, body: None, actor: Some(who.id) });
                verified_at = Some(at);
                ready = Some(at);
            } else {
                if self.chance(0.08) {
                    let at = received_at + self.hours(0.5, 30.0);
                    events.push(Event { at, kind: EventKind::VerificationSent, body: None, actor: None });
                    verification_sent_at = Some(at);
                }
                let after = verification_sent_at.unwrap_or(received_at);
                // Most click within minutes; some take a day or two.
                let minutes = (self.rng.random::<f64>().powi(4) * 2_500.0) as i64 + self.rng.random_range(1..15);
                let at = after + Duration::minutes(minutes);
                events.push(Event { at, kind: EventKind::Verified, body: None, actor: None });
                verified_at = Some(at);
                ready = Some(at);
            }
        }

        let mut extension_reason = None;
        let mut pause: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = None;
        let mut outcome: Option<Outcome> = None;
        let mut assignee = None;
        if let Some(ready) = ready {
            // Assignment: mostly by a manager, sometimes an agent takes it.
            let worker = if self.chance(0.9) {
                let by_manager = self.chance(0.65);
                let member = if self.chance(0.05) {
                    self.manager()
                } else {
                    intake_agent.clone().filter(|_| self.chance(0.5)).unwrap_or_else(|| self.agent())
                };
                let by = if by_manager { self.manager().id } else { member.id };
                let delay = if kind == RequestKind::OptOut { self.hours(0.2, 20.0) } else { self.hours(0.5, 40.0) };
                let at = self.work_time(ready, delay);
                events.push(Event {
                    at,
                    kind: EventKind::Assigned,
                    body: Some(format!("Assigned to {}", member.name)),
                    actor: Some(by),
                });
                assignee = Some((member.id, at));
                member
            } else {
                self.agent()
            };
            let mut start = events.last().map_or(ready, |e| e.at);
            if self.chance(0.85) {
                let delay = self.hours(0.1, 26.0);
                let at = self.work_time(start, delay);
                events.push(Event { at, kind: EventKind::WorkStarted, body: None, actor: Some(worker.id) });
                start = at;
            }

            // The deadline to work towards: an extension for a few
            // amendments whose records take long to find.
            let can_ask = kind != RequestKind::OptOut;
            let asks = can_ask && self.chance(if kind == RequestKind::Amendment { 0.3 } else { 0.22 });
            let plain = self.clock(kind, received_at, &ClockState::default());
            let mut due = plain.as_ref().map_or(received_day + Duration::days(30), RequestClock::due);
            if kind == RequestKind::Amendment && self.chance(0.04) {
                let reason = self.one(EXTENSION_REASONS).to_owned();
                let state = ClockState { extension_reason: Some(reason.clone()), ..ClockState::default() };
                if let Some(extended) = self.clock(kind, received_at, &state).filter(|c| c.extended.is_some()) {
                    let deadline = self.utc(due.and_hms_opt(15, 0, 0).unwrap_or_default());
                    let at = self.between(start, deadline.max(start), 0.3, 0.8);
                    let at = self.work_time(at, Duration::zero());
                    let body = format!("New date: {}. Reason: {}", long_day(extended.due()), reason);
                    events.push(Event { at, kind: EventKind::Extended, body: Some(body), actor: Some(worker.id) });
                    extension_reason = Some(reason);
                    due = extended.due();
                }
            }

            // When it ends: most before the deadline (opt-outs soon after
            // arrival), about one in twelve late.
            let late = self.chance(0.08);
            let end = if late {
                let day = due + Duration::days(self.rng.random_range(1..=12));
                let seconds = self.rng.random_range(9 * 3600..17 * 3600);
                self.at_local(day, seconds)
            } else {
                let deadline = self.utc(due.and_hms_opt(16, 30, 0).unwrap_or_default());
                if deadline <= start + Duration::hours(1) {
                    start + self.hours(0.3, 3.0)
                } else {
                    let skew = match kind {
                        RequestKind::OptOut => 2.4,
                        RequestKind::Amendment => 1.3,
                        RequestKind::Complaint => 1.5,
                    };
                    let share = self.rng.random::<f64>().powf(skew);
                    let at = start + Duration::seconds(((deadline - start).num_seconds() as f64 * share) as i64);
                    let at = self.work_time(at, Duration::minutes(5));
                    if self.local_date(at) > due {
                        let seconds = self.rng.random_range(9 * 3600..16 * 3600);
                        self.at_local(due, seconds).max(start + Duration::minutes(10))
                    } else {
                        at
                    }
                }
            };
            let end = end.max(events.last().map_or(start, |e| e.at) + Duration::minutes(1));

            // Waiting on the customer.
            let mut resumed = true;
            if asks {
                let ask = self.between(start, end, 0.1, 0.35);
                let ask = self.work_time(ask, Duration::zero());
                if ask < end {
                    let back = self.between(ask, end, 0.4, 0.85);
                    let back = self.work_time(back, Duration::zero());
                    let what = self.one(ASKS).to_owned();
                    events.push(Event {
                        at: ask,
                        kind: EventKind::AskedCustomer,
                        body: Some(what),
                        actor: Some(worker.id),
                    });
                    if back < end && self.chance(0.85) {
                        events.push(Event { at: back, kind: EventKind::Resumed, body: None, actor: Some(worker.id) });
                        pause = Some((ask, Some(back)));
                    } else {
                        pause = Some((ask, None));
                        resumed = false;
                    }
                }
            }
            // Notes and messages along the way.
            if self.chance(0.5) {
                let at = self.between(start, end, 0.2, 0.95);
                let body = self.one(NOTES).to_owned();
                events.push(Event { at, kind: EventKind::Note, body: Some(body), actor: Some(worker.id) });
            }
            if self.chance(0.07) {
                let at = self.between(start, end, 0.3, 0.9);
                let body = self.one(MESSAGES).to_owned();
                events.push(Event { at, kind: EventKind::Message, body: Some(body), actor: Some(worker.id) });
            }

            // The ending: an outcome, or a closure without one.
            let close_reason = if !resumed && self.chance(0.6) {
                Some(CloseReason::NoResponse)
            } else if self.chance(match kind {
                RequestKind::OptOut => 0.015,
                RequestKind::Amendment => 0.04,
                RequestKind::Complaint => 0.05,
            }) {
                Some(self.pick(&[
                    (CloseReason::Withdrawn, 0.5),
                    (CloseReason::Duplicate, 0.4),
                    (CloseReason::Unverifiable, 0.1),
                ]))
            } else {
                None
            };
            match close_reason {
                Some(reason) => {
                    let note = match reason {
                        CloseReason::Withdrawn => "The customer called to withdraw the request.",
                        CloseReason::Duplicate => {
                            "Same request as an earlier one from this customer, which is being handled."
                        }
                        CloseReason::NoResponse => "No reply to our request for information after three weeks.",
                        CloseReason::Unverifiable => "The details given do not match any customer record.",
                    };
                    let body = format!("{}. {}", reason.label(), note);
                    events.push(Event { at: end, kind: EventKind::Closed, body: Some(body), actor: Some(worker.id) });
                }
                None => {
                    let chosen = self.outcome(kind, &details, self.local_date(end));
                    let body = outcome_summary(&chosen);
                    events.push(Event { at: end, kind: EventKind::Resolved, body: Some(body), actor: Some(worker.id) });
                    outcome = Some(chosen);
                }
            }
        }

        // What has happened by now.
        events.sort_by_key(|e| e.at);
        let now = self.now;
        events.retain(|e| e.at <= now);
        let mut status = if needs_verification { RequestStatus::Unverified } else { RequestStatus::Received };
        let mut version: i64 = 0;
        let mut updated_at = created_at;
        let mut resolved_at = None;
        for event in &events {
            let next = match event.kind {
                EventKind::Verified | EventKind::VerifiedByStaff => Some(RequestStatus::Received),
                EventKind::ClosedUnverified | EventKind::Closed => Some(RequestStatus::Closed),
                EventKind::WorkStarted | EventKind::Resumed => Some(RequestStatus::InProgress),
                EventKind::AskedCustomer => Some(RequestStatus::AwaitingCustomer),
                EventKind::Resolved => outcome.as_ref().map(Outcome::status),
                _ => None,
            };
            if let Some(next) = next {
                status = next;
                updated_at = event.at;
            }
            if event.actor.is_some()
                && !matches!(event.kind, EventKind::Note | EventKind::Message | EventKind::EnteredByStaff)
            {
                version += 1;
                updated_at = event.at;
            }
            if matches!(event.kind, EventKind::Resolved | EventKind::Closed) {
                resolved_at = Some(event.at);
            }
        }
        let finished = resolved_at.is_some();
        let outcome = outcome.filter(|_| finished);
        let assignee_id = assignee.filter(|(_, at)| *at <= now).map(|(id, _)| id);
        let verified_at = verified_at.filter(|at| *at <= now);
        let verification_sent_at = verification_sent_at.filter(|at| *at <= now);
        let mut state = ClockState::default();
        if let Some((asked, back)) = pause.filter(|(asked, _)| *asked <= now) {
            let asked_day = self.local_date(asked);
            match back.or(resolved_at) {
                Some(answered) if answered <= now => {
                    state.pauses.closed.push(Pause { asked: asked_day, answered: self.local_date(answered) })
                }
                _ => state.pauses.open_since = Some(asked_day),
            }
        }
        if events.iter().any(|e| e.kind == EventKind::Extended) {
            state.extension_reason = extension_reason;
        }
        let clock = self.clock(kind, received_at, &state);
        let due_on = clock.as_ref().map(RequestClock::due);

        self.stats.by_kind[match kind {
            RequestKind::OptOut => 0,
            RequestKind::Amendment => 1,
            RequestKind::Complaint => 2,
        }] += 1;
        if status.is_open() {
            self.stats.open += 1;
        } else if let Some(resolved) = resolved_at {
            self.stats.finished += 1;
            if due_on.is_some_and(|due| self.local_date(resolved) > due) {
                self.stats.late += 1;
            }
        }

        let id = self.next_id;
        self.next_id += 1;
        let reference = self.reference();
        let pending_verification = status == RequestStatus::Unverified;
        let verification_hash = pending_verification.then(|| self.secret_hash());
        let tracking_hash = self.secret_hash();
        let values: [Value; 27] = [
            id.into(),
            reference.to_string().into(),
            kind.as_str().into(),
            status.as_str().into(),
            channel.as_str().into(),
            tracking_hash.into(),
            customer.full_name.into(),
            customer.email.into(),
            customer.phone.into(),
            customer.postal_address.into(),
            customer.account_number.into(),
            json(&details).into(),
            gpc.into(),
            received_at.into(),
            created_at.into(),
            updated_at.into(),
            verified_at.into(),
            verification_hash.into(),
            verification_sent_at.map(|at| at + self.verification_ttl).into(),
            verification_sent_at.into(),
            assignee_id.into(),
            version.into(),
            outcome.as_ref().map(json).into(),
            resolved_at.into(),
            due_on.into(),
            clock.as_ref().map(json).into(),
            Some(json(&state)).into(),
        ];
        chunk.request_values.extend(values);
        chunk.requests += 1;
        for event in events {
            chunk.event_values.extend([
                id.into(),
                event.at.into(),
                event.kind.as_str().into(),
                event.kind.customer_visible().into(),
                event.body.into(),
                event.actor.into(),
            ]);
            chunk.events += 1;
        }
    }

    fn clock(&self, kind: RequestKind, received_at: DateTime<Utc>, state: &ClockState) -> Option<RequestClock> {
        self.clocks.compute(kind, received_at, state)
    }

    fn outcome(&mut self, kind: RequestKind, details: &RequestDetails, day: NaiveDate) -> Outcome {
        match (kind, details) {
            (RequestKind::OptOut, _) => Outcome::OptOutApplied { effective_on: day },
            (RequestKind::Amendment, details) => {
                let changed = match details {
                    RequestDetails::Amendment { category: AmendmentCategory::ContactDetails, .. } => {
                        "Mailing address in the customer record and on open orders."
                    }
                    RequestDetails::Amendment { category: AmendmentCategory::Insurance, .. } => {
                        "Primary insurance and member ID; pending claims resubmitted."
                    }
                    RequestDetails::Amendment { category: AmendmentCategory::MedicalRecord, .. } => {
                        "Prescription record corrected and linked to the physician's order."
                    }
                    _ => "Account holder details corrected on the account and future invoices.",
                };
                match self.pick(&[(0, 0.56), (1, 0.18), (2, 0.26)]) {
                    0 => Outcome::AmendmentAccepted { records_changed: changed.to_owned() },
                    1 => Outcome::AmendmentPartlyAccepted {
                        records_changed: changed.to_owned(),
                        reason: self.one(PARTLY_REASONS).to_owned(),
                    },
                    _ => {
                        let ground = self.pick(&[
                            (DenialGround::AccurateAndComplete, 0.5),
                            (DenialGround::NotCreatedByUs, 0.25),
                            (DenialGround::NotInRecordSet, 0.2),
                            (DenialGround::NotOpenToInspection, 0.05),
                        ]);
                        let explanation = match ground {
                            DenialGround::AccurateAndComplete => {
                                "We checked the record against the physician's order and the insurer's file; both match what we hold."
                            }
                            DenialGround::NotCreatedByUs => {
                                "This information came from your insurer, who created it; please ask them to correct it and we will update our copy."
                            }
                            DenialGround::NotInRecordSet => {
                                "The item is a delivery note kept by our carrier, not part of the records we use to make decisions about you."
                            }
                            DenialGround::NotOpenToInspection => {
                                "The information was compiled for a pending legal proceeding and is not open to inspection."
                            }
                        };
                        Outcome::AmendmentDenied { ground, explanation: explanation.to_owned() }
                    }
                }
            }
            (RequestKind::Complaint, details) => {
                let category = match details {
                    RequestDetails::Complaint { category, .. } if self.chance(0.9) => *category,
                    _ => self.pick(&[(ComplaintCategory::UnwantedMarketing, 0.5), (ComplaintCategory::Other, 0.5)]),
                };
                let resolution = match category {
                    ComplaintCategory::UnwantedMarketing => {
                        "Removed from all marketing lists, including our partners'; confirmed the opt-out is recorded."
                    }
                    ComplaintCategory::UnauthorisedDisclosure => {
                        "Investigated; the disclosure was an addressing error. Staff retrained and the record corrected."
                    }
                    ComplaintCategory::SecurityConcern => {
                        "Referred to the security team, who found and fixed the cause; the customer was told what happened."
                    }
                    ComplaintCategory::RefusedRequest => {
                        "The original request was reopened and answered; an apology was sent."
                    }
                    ComplaintCategory::Other => {
                        "Explained our practices and pointed the customer to the privacy notice."
                    }
                };
                Outcome::ComplaintResolved { category, resolution: resolution.to_owned() }
            }
        }
    }
}

impl Chunk {
    fn new() -> Self {
        Self {
            requests: 0,
            request_values: Vec::with_capacity(CHUNK * REQUEST_COLUMNS.len()),
            events: 0,
            event_values: Vec::with_capacity(CHUNK * 8 * EVENT_COLUMNS.len()),
        }
    }
}

/// JSON as the portal stores it; these values always serialise.
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

// ---------------------------------------------------------------- word lists

const FIRST_NAMES: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Karen",
    "Charles",
    "Sarah",
    "Christopher",
    "Lisa",
    "Daniel",
    "Nancy",
    "Matthew",
    "Betty",
    "Anthony",
    "Sandra",
    "Mark",
    "Margaret",
    "Donald",
    "Ashley",
    "Steven",
    "Kimberly",
    "Andrew",
    "Emily",
    "Paul",
    "Donna",
    "Joshua",
    "Michelle",
    "Kenneth",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "Ronald",
    "Dorothy",
    "Jason",
    "Rebecca",
    "Edward",
    "Sharon",
    "Jeffrey",
    "Laura",
    "Ryan",
    "Cynthia",
    "Jacob",
    "Amy",
    "Gary",
    "Kathleen",
    "Nicholas",
    "Angela",
    "Eric",
    "Shirley",
    "Jonathan",
    "Brenda",
    "Stephen",
    "Emma",
    "Larry",
    "Anna",
    "Justin",
    "Pamela",
    "Scott",
    "Nicole",
    "Brandon",
    "Samantha",
    "Benjamin",
    "Katherine",
    "Samuel",
    "Christine",
    "Gregory",
    "Helen",
    "Alexander",
    "Debra",
    "Patrick",
    "Rachel",
    "Frank",
    "Carolyn",
    "Raymond",
    "Janet",
    "Jack",
    "Maria",
    "Dennis",
    "Catherine",
    "Jerry",
    "Heather",
    "Tyler",
    "Diane",
    "Aaron",
    "Olivia",
    "Jose",
    "Julie",
    "Adam",
    "Joyce",
    "Nathan",
    "Victoria",
    "Henry",
    "Ruth",
    "Zachary",
    "Virginia",
    "Douglas",
    "Lauren",
    "Peter",
    "Kelly",
    "Kyle",
    "Christina",
    "Noah",
    "Joan",
    "Ethan",
    "Evelyn",
    "Jeremy",
    "Judith",
    "Walter",
    "Andrea",
    "Christian",
    "Hannah",
    "Keith",
    "Megan",
    "Roger",
    "Cheryl",
    "Terry",
    "Jacqueline",
    "Austin",
    "Martha",
    "Sean",
    "Madison",
    "Gerald",
    "Teresa",
    "Carl",
    "Gloria",
    "Harold",
    "Sara",
    "Dylan",
    "Janice",
    "Arthur",
    "Ann",
    "Lawrence",
    "Kathryn",
    "Jordan",
    "Abigail",
    "Jesse",
    "Sophia",
    "Bryan",
    "Frances",
    "Billy",
    "Jean",
    "Bruce",
    "Alice",
    "Gabriel",
    "Judy",
    "Joe",
    "Isabella",
    "Logan",
    "Julia",
    "Alan",
    "Grace",
    "Juan",
    "Amber",
    "Albert",
    "Denise",
    "Willie",
    "Danielle",
    "Elijah",
    "Marilyn",
    "Wayne",
    "Beverly",
    "Randy",
    "Charlotte",
    "Vincent",
    "Natalie",
    "Mason",
    "Theresa",
    "Roy",
    "Diana",
    "Ralph",
    "Brittany",
    "Bobby",
    "Doris",
    "Russell",
    "Kayla",
    "Bradley",
    "Alexis",
    "Philip",
    "Lori",
    "Eugene",
    "Marie",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Arjun",
    "Anjali",
    "Mohammed",
    "Fatima",
    "Carlos",
    "Lucia",
    "Dmitri",
    "Olga",
    "Kwame",
    "Amara",
    "Tuan",
    "Linh",
    "Jae",
    "Min-ji",
    "Rafael",
    "Camila",
];

const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Gomez",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Morales",
    "Murphy",
    "Cook",
    "Rogers",
    "Gutierrez",
    "Ortiz",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
    "Ramos",
    "Kim",
    "Cox",
    "Ward",
    "Richardson",
    "Watson",
    "Brooks",
    "Chavez",
    "Wood",
    "James",
    "Bennett",
    "Gray",
    "Mendoza",
    "Ruiz",
    "Hughes",
    "Price",
    "Alvarez",
    "Castillo",
    "Sanders",
    "Patel",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Jimenez",
    "Powell",
    "Jenkins",
    "Perry",
    "Russell",
    "Sullivan",
    "Bell",
    "Coleman",
    "Butler",
    "Henderson",
    "Barnes",
    "Gonzales",
    "Fisher",
    "Vasquez",
    "Simmons",
    "Romero",
    "Jordan",
    "Patterson",
    "Alexander",
    "Hamilton",
    "Graham",
    "Reynolds",
    "Griffin",
    "Wallace",
    "Moreno",
    "West",
    "Cole",
    "Hayes",
    "Bryant",
    "Herrera",
    "Gibson",
    "Ellis",
    "Tran",
    "Medina",
    "Aguilar",
    "Stevens",
    "Murray",
    "Ford",
    "Castro",
    "Marshall",
    "Owens",
    "Harrison",
    "Fernandez",
    "McDonald",
    "Woods",
    "Washington",
    "Kennedy",
    "Wells",
    "Vargas",
    "Henry",
    "Chen",
    "Freeman",
    "Webb",
    "Tucker",
    "Guzman",
    "Burns",
    "Crawford",
    "Olson",
    "Simpson",
    "Porter",
    "Hunter",
    "Gordon",
    "Mendez",
    "Silva",
    "Shaw",
    "Snyder",
    "Mason",
    "Dixon",
    "Munoz",
    "Hunt",
    "Hicks",
    "Holmes",
    "Palmer",
    "Wagner",
    "Black",
    "Robertson",
    "Boyd",
    "Rose",
    "Stone",
    "Salazar",
    "Fox",
    "Warren",
    "Mills",
    "Meyer",
    "Rice",
    "Schmidt",
    "Garza",
    "Daniels",
    "Ferguson",
    "Nichols",
    "Stephens",
    "Soto",
    "Weaver",
    "Ryan",
    "Gardner",
    "Payne",
    "Grant",
    "Dunn",
    "Kowalski",
    "O'Connor",
    "Nakamura",
    "Singh",
    "Okafor",
    "Haddad",
    "Novak",
    "Schultz",
    "Larsen",
    "Rossi",
    "Wong",
    "Park",
    "Yamamoto",
    "Ivanova",
    "Mensah",
    "Van der Berg",
];

/// Mail domains under the reserved `.example` and `example.*` names, so
/// that no seeded address reaches a real mailbox.
const EMAIL_DOMAINS: &[&str] = &[
    "mail.example",
    "mail.example",
    "mail.example",
    "inbox.example",
    "inbox.example",
    "webmail.example",
    "post.example",
    "home.example",
    "example.com",
    "example.net",
    "example.org",
];

const AREA_CODES: &[&str] =
    &["212", "312", "217", "415", "617", "713", "404", "305", "602", "206", "303", "614", "919", "314", "612", "503"];

const STREETS: &[&str] = &[
    "Main Street",
    "Oak Avenue",
    "Maple Drive",
    "Cedar Lane",
    "Elm Street",
    "Pine Road",
    "Washington Avenue",
    "Lake Street",
    "Hillcrest Drive",
    "Park Avenue",
    "Sunset Boulevard",
    "Church Street",
    "Meadow Lane",
    "Jefferson Street",
    "Highland Avenue",
    "River Road",
    "Spring Street",
    "Willow Court",
    "Franklin Avenue",
    "Chestnut Street",
];

const CITIES: &[(&str, &str, &str)] = &[
    ("Springfield", "IL", "62704"),
    ("Peoria", "IL", "61602"),
    ("Columbus", "OH", "43215"),
    ("Madison", "WI", "53703"),
    ("Albany", "NY", "12207"),
    ("Harrisburg", "PA", "17101"),
    ("Richmond", "VA", "23219"),
    ("Raleigh", "NC", "27601"),
    ("Atlanta", "GA", "30303"),
    ("Orlando", "FL", "32801"),
    ("Nashville", "TN", "37203"),
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Phoenix", "AZ", "85004"),
    ("Sacramento", "CA", "95814"),
    ("Portland", "OR", "97204"),
    ("Boise", "ID", "83702"),
    ("Lansing", "MI", "48933"),
];

const INSURERS: &[&str] = &[
    "Lakeside Health Plan",
    "Bluemeadow Mutual",
    "Northstar Health",
    "Keystone Care Insurance",
    "Prairie State Health",
    "Harborview Benefits",
    "Summit Medicare Advantage",
    "Riverbend Health Cooperative",
];

const DEVICES: &[&str] = &[
    "CPAP mask",
    "compression stockings",
    "glucose test strips",
    "wheelchair cushion",
    "knee brace",
    "nebulizer",
    "insulin pump supplies",
    "blood pressure monitor",
    "walker",
    "hearing aid batteries",
    "ostomy supplies",
    "oxygen concentrator",
];

const SIZES: &[&str] = &["small", "medium", "large", "extra large", "petite", "wide", "regular"];

const SUPPORTING: &[&str] = &[
    "I can send a copy of my new insurance card.",
    "My physician's office can confirm the order; ask for the nurse on duty.",
    "I have attached a utility bill showing the new address.",
    "Please call me in the afternoon if you need anything else.",
    "This has been a problem since my last two orders.",
];

const ASKS: &[&str] = &[
    "A copy of the front and back of your insurance card.",
    "A copy of your physician's order showing the correct size.",
    "Proof of your new address, such as a utility bill or bank statement.",
    "The date of the call and, if you have it, the name of the person you spoke with.",
    "The order number shown on your packing slip.",
    "A copy of the email you received, with its full address line.",
];

const NOTES: &[&str] = &[
    "Checked the customer record; the details match what the customer says.",
    "Asked the billing team to confirm which plan is on file.",
    "Called the customer; left a voicemail.",
    "Spoke with the physician's office, who confirmed the order.",
    "Marketing confirmed the address is on the suppression list as of today.",
    "Related to an earlier request from the same customer; see that case.",
    "Escalated to the privacy officer for a second opinion.",
    "Fulfilment partner asked to check their copy of the record.",
];

const MESSAGES: &[&str] = &[
    "We are still working on your request and expect to answer within the week.",
    "Thank you for the documents; we have what we need.",
    "We tried to call you today. There is nothing you need to do; we will write again.",
];

const EXTENSION_REASONS: &[&str] = &[
    "The records to be amended are held by our fulfilment partner and must be retrieved from archive.",
    "We need the prescribing physician to confirm the correction, and their office has not yet replied.",
    "The request covers records in several systems that must be corrected together.",
];

const PARTLY_REASONS: &[&str] = &[
    "The older record was created by your insurer; we have noted your statement on it.",
    "One of the items is accurate as recorded by your physician.",
    "The historical invoices are kept as issued; the change applies to future ones.",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_value_once() {
        let sql = insert_sql(DatabaseBackend::Postgres, "t", &["a", "b"], 2);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        let sql = insert_sql(DatabaseBackend::Sqlite, "t", &["a", "b"], 2);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }

    #[test]
    fn staff_addresses_are_plain() {
        assert_eq!(roster_email("Kevin O'Brien"), "kevin.obrien@staff.example");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[tokio::test]
    async fn a_seeded_database_reads_back_as_the_portal_wrote_it() {
        use crate::db::entities::{request, request_event};
        use clap::Parser;

        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/seed.db", dir.path().display());
        let cli = crate::cli::Cli::parse_from(["server", "--database-url", url.as_str()]);
        run(&cli.config, 1_500).await.unwrap();
        run(&cli.config, 500).await.unwrap();

        let db = crate::db::connect(&url, crate::db::Durability::Normal).await.unwrap();
        let rows = request::Entity::find().all(&db).await.unwrap();
        assert_eq!(rows.len(), 2_000);
        assert_eq!(staff_user::Entity::find().all(&db).await.unwrap().len(), ROSTER.len());
        let events = request_event::Entity::find().all(&db).await.unwrap();
        let mut open = 0;
        for row in &rows {
            let kind = RequestKind::parse(&row.kind).unwrap();
            let status = RequestStatus::parse(&row.status).unwrap();
            let details: RequestDetails = serde_json::from_str(&row.details).unwrap();
            assert_eq!(details.kind(), kind);
            assert!(ReferenceCode::parse(&row.reference).is_ok());
            assert_eq!(row.tracking_hash.len(), 64);
            let _: ClockState = serde_json::from_str(row.clock_state.as_deref().unwrap()).unwrap();
            let clock: RequestClock = serde_json::from_str(row.clock.as_deref().unwrap()).unwrap();
            assert_eq!(row.due_on, Some(clock.due()));
            match row.outcome.as_deref() {
                Some(json) => {
                    let outcome: Outcome = serde_json::from_str(json).unwrap();
                    assert_eq!(outcome.kind(), kind);
                    assert_eq!(outcome.status(), status);
                    assert!(row.resolved_at.is_some());
                }
                None => assert!(matches!(status, s if s.is_open() || s == RequestStatus::Closed)),
            }
            if status.is_open() {
                open += 1;
                assert!(row.resolved_at.is_none());
            }
            let history: Vec<_> = events.iter().filter(|e| e.request_id == row.id).collect();
            assert!(!history.is_empty());
            assert!(history.windows(2).all(|pair| pair[0].at <= pair[1].at));
            for event in history {
                let kind = EventKind::parse(&event.kind).unwrap();
                assert_eq!(event.customer_visible, kind.customer_visible());
            }
        }
        assert!(open > 0 && open < rows.len() / 2, "{open} open");
    }
}
