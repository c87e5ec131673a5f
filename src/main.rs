//! The `blatt` command line: a thin layer over the library (see `cli.rs`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// A build allocates and frees millions of small strings across threads;
/// mimalloc does that markedly faster than the system allocator
/// (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands the memory mimalloc holds freed back to the system now, rather
/// than after its purge delay: a build's render frees its pages on every
/// worker thread, which then sit idle while the main thread records the
/// manifest, and the freed memory would count beside the record's. Each
/// thread collects its own heap, so every rayon worker is asked.
fn release_memory() {
    // SAFETY: `mi_collect` only frees what the calling thread's heap holds
    // unused; it takes no pointer and is safe from any thread.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

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
