//! The `blatt` command line: a thin layer over the library (see `cli.rs`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

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
