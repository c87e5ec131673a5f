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

/// mimalloc's `mi_option_purge_delay`: its v2 and v3 headers both number
/// it 15, just before `mi_option_use_numa_nodes`; libmimalloc-sys names
/// that one, not this.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes);

/// Freed memory goes back to the system after a second instead of 10 ms.
/// A build frees each phase's memory and the next phase allocates as much
/// again: handed back at once, it came back as fresh pages the kernel
/// zeroes (on this project's benchmark VM, where the host reclaims free
/// guest memory, 54 % of the samples of one profiled slow title edit at
/// 100 000 articles were the kernel zeroing pages). A whole build still
/// hands its render's memory back at once ([`release_memory`]), so its peak
/// stays where it was; a user's own `MIMALLOC_PURGE_DELAY` wins.
fn keep_freed_memory_a_while() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called first thing in `main`, before any other thread
        // exists (the option is not set thread-safely); takes no pointer.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) };
    }
}

/// No transparent huge pages for blatt's memory. mimalloc asks the kernel
/// for them on every arena it maps, so the first touch of each 2 MiB there
/// makes the kernel find and zero a whole huge page, however little of it a
/// phase then uses. On this project's benchmark VM (its host reclaims the
/// guest's free memory) that zeroing was 70 % of the samples of a profiled
/// 3.4 s rebuild after an article was removed, at 100 000 articles; of 8
/// such rebuilds (removals and additions) 5 took 2.9–3.7 s, without huge
/// pages none, 1.2–1.6 s (bench/RESULTS.md, session 46). The price is more
/// page faults where memory the host still backs is fresh. A user's own
/// `MIMALLOC_ALLOW_THP` wins.
fn no_transparent_huge_pages() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // The flag is the process's (its memory map's), checked at each
        // page fault: what mimalloc mapped before `main` is covered too.
        // Refused only by kernels before 3.15, which then keep the default.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    keep_freed_memory_a_while();
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
