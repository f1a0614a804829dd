//! The `skillgraph` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use std::io::IsTerminal;

use clap::Parser;
use skillgraph::config::LogFormat;

/// mimalloc instead of the system allocator: the server's work is many small short-lived
/// allocations (GraphQL values, JSON), where glibc malloc showed up at the top of profiles.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = skillgraph::cli::Cli::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        // Colour codes are for terminals: in a file or a collector they are noise.
        LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => logs.json().flatten_event(true).init(),
    }
    skillgraph::cli::run(cli)
}
