//! The `blatt` command line: a thin layer over the library (see `cli.rs`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// A build allocates and frees millions of small strings across threads;
/// mimalloc does that markedly faster than the system allocator
/// (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::dispatch(&args) {
        Ok(code) => code,
        Err(e) => {
            cli::report(&e);
            // Exit status 2 is for a wrong command line, as clap uses it.
            ExitCode::from(if matches!(e, blatt::Error::Usage(_)) { 2 } else { 1 })
        }
    }
}
