//! The privacy-request portal's server: configuration, persistence, the web
//! router and the command line. `app` holds the pages; this crate gives them
//! a database and a network.

pub mod associates;
pub mod audit;
pub mod cases;
pub mod cli;
pub mod clocks;
pub mod config;
pub mod db;
pub mod digest;
pub mod documents;
pub mod history;
pub mod http;
pub mod incident;
pub mod mail;
pub mod metrics;
pub mod purge;
pub mod register;
pub mod requests;
pub mod secret;
pub mod seed;
pub mod staff;
mod startup;
pub mod vault;
pub mod webhooks;

pub use startup::{Application, StartError};
