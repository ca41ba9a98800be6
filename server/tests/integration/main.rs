//! The server's integration tests: one test binary, so that the whole server
//! is linked once rather than once per area. Each module drives the real
//! router for one area, on SQLite and on PostgreSQL.

// `on_both_databases!` is used by every module below.
#[macro_use]
mod common;

mod abuse;
mod access;
mod agents;
mod api;
mod api_cases;
mod appeals;
mod backlog;
mod concurrency;
mod disagreement;
mod documents;
mod duplicates;
mod encryption;
mod form_fuzz;
mod headers;
mod intake;
mod language;
mod letter_editor;
mod letter_preview;
mod letters;
mod lifecycle;
mod mail;
mod metrics;
mod notices;
mod pool;
mod post;
mod queue;
mod register;
mod retention;
mod rule_book;
mod saved_views;
mod sessions;
mod spanish_letters;
mod spanish_pages;
mod spanish_tracking;
mod staff;
mod tokens;
mod vocabulary;
mod webhooks;
