//! The `skillgraph` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use std::io::IsTerminal;

use clap::Parser;
use skillgraph::cli::Command;
use skillgraph::config::LogFormat;
use skillgraph::telemetry::Pipeline;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Keeps the kernel from backing this process's memory with transparent huge pages.
///
/// mimalloc asks for them (`madvise(MADV_HUGEPAGE)` on its arena), and a 2 MiB page is
/// resident as a whole once any of it is touched, while the graph's many small allocations
/// and start-up's freed garbage leave most huge pages partly used: serving ESCO right after
/// start-up took 213-222 MB resident with them, 158-161 MB without (`AnonHugePages` was
/// 190 MB of it), at no measured cost in throughput (BENCHMARKS.md, issue 18). The prctl
/// wins over the allocator's madvise for every page faulted after it; the few before `main`
/// keep theirs.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process; no memory is touched.
    // Failure (an old kernel) leaves the default, which is only more memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc instead of the system allocator: the server's work is many small short-lived
/// allocations (GraphQL values, JSON), where glibc malloc showed up at the top of profiles.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = skillgraph::cli::Cli::parse();
    // Traces are the server's; a bad endpoint is refused by `serve` itself, with its usage
    // error, so here it only means no pipeline.
    let traces = match &cli.command {
        Command::Serve(args) => args.server.traces().ok().flatten(),
        _ => None,
    };
    let pipeline = match traces.as_ref().map(Pipeline::start).transpose() {
        Ok(pipeline) => pipeline,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    match &pipeline {
        // Without traces, the subscriber is what it always was: one filter for everything,
        // so nothing below the log level is ever built.
        None => {
            let logs = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr);
            match cli.log_format {
                // Colour codes are for terminals: in a file or a collector they are noise.
                LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
                LogFormat::Json => logs.json().flatten_event(true).init(),
            }
        }
        // With traces, each layer has its own filter: `RUST_LOG` still decides the logs, the
        // pipeline takes the crate's spans down to DEBUG.
        Some(pipeline) => {
            let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
            let logs = match cli.log_format {
                LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).boxed(),
                LogFormat::Json => logs.json().flatten_event(true).boxed(),
            };
            tracing_subscriber::registry()
                .with(logs.with_filter(filter))
                .with(pipeline.layer())
                .init();
        }
    }
    let code = skillgraph::cli::run(cli);
    // After the server drained its requests: their spans are sent before the process exits.
    if let Some(pipeline) = pipeline {
        pipeline.shutdown();
    }
    code
}
