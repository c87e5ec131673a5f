//! With `BLATT_TIMINGS` set, a build prints how long each of its phases
//! took, for profiling (bench/README.md).

use std::time::Instant;

pub(super) struct Timings {
    on: bool,
    last: Instant,
}

impl Timings {
    pub fn new() -> Timings {
        Timings {
            on: std::env::var_os("BLATT_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    pub fn done(&mut self, phase: &str) {
        if self.on {
            let (rss, peak) = memory();
            eprintln!(
                "  {phase:<28} {:>8.1} ms {rss:>6} MB {peak:>6} MB peak",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
            self.last = Instant::now();
        }
    }

    /// A line of its own among the phases, such as why a fast path was left.
    pub fn note(&self, what: &str) {
        if self.on {
            eprintln!("{what}");
        }
    }
}

/// Resident memory now and at its peak so far, in MB, as the kernel counts
/// it (freed pages the allocator keeps included): which phase holds the
/// peak is what memory work needs to know. Zeros where /proc is missing.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
