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
            eprintln!("  {phase:<28} {:>8.1} ms", self.last.elapsed().as_secs_f64() * 1000.0);
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
