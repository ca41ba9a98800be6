use clap::Parser;
use server::cli::{self, Cli};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    return_large_blocks_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    match cli::run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Each password check takes Argon2's 19 MiB block. glibc raises its mmap
/// threshold past a block that size once one is freed, so later blocks came
/// from its per-thread arenas and stayed there: 200 sign-ins over the
/// blocking pool's threads left the server at 311 MB resident (sign-ins
/// alone, 36 MB before and 96 MB after 60 of them). A fixed threshold keeps
/// every large block mapped for its moment and handed back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_system() {
    const LARGE: libc::c_int = 4 << 20;
    // SAFETY: mallopt only sets the allocator's parameters; it is called
    // before any password check allocates.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}
