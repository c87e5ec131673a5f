//! With `BLATT_TIMINGS` set, a build prints how long each of its phases
//! took, for profiling (bench/README.md).

use std::time::Instant;

pub(super) struct Timings {
    on: bool,
    last: Instant,
    /// CPU time of the process so far, in ms: a phase whose CPU time is
    /// near its wall time runs on one core.
    cpu: u64,
}

impl Timings {
    pub fn new() -> Timings {
        Timings {
            on: std::env::var_os("BLATT_TIMINGS").is_some(),
            last: Instant::now(),
            cpu: cpu_ms(),
        }
    }

    pub fn done(&mut self, phase: &str) {
        if self.on {
            let (rss, peak) = memory();
            let cpu = cpu_ms();
            eprintln!(
                "  {phase:<28} {:>8.1} ms {rss:>6} MB {peak:>6} MB peak {:>6} ms CPU",
                self.last.elapsed().as_secs_f64() * 1000.0,
                cpu.saturating_sub(self.cpu)
            );
            self.cpu = cpu;
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

/// User and system time of the whole process, in ms, at the kernel's tick
/// (10 ms on most systems: read it for phases longer than that). Zero
/// where /proc is missing.
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10
}
