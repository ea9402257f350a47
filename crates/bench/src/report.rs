//! How figures are collected and printed: each measured figure next to the bound it is
//! compared with, measured in the same run, and the target from the issue when there is one.

use std::time::Duration;

/// Latencies of one kind of request, for percentiles.
#[derive(Default)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `p`-th percentile (0-100), nearest rank.
    pub fn percentile(&mut self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        self.0.sort_unstable();
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    /// `p50 X ms, p99 Y ms`.
    pub fn summary(&mut self) -> String {
        format!(
            "p50 {}, p99 {}",
            ms(self.percentile(50.0)),
            ms(self.percentile(99.0))
        )
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Prints a section heading.
pub fn section(title: &str) {
    println!("\n== {title}");
}

/// Prints one figure: what was measured, its value, and what it is compared with.
pub fn line(what: &str, value: impl std::fmt::Display, against: impl std::fmt::Display) {
    println!("  {what:<44} {value:<28} {against}");
}

/// `met` or `NOT MET` against a target, for the eye scanning the report.
pub fn verdict(met: bool) -> &'static str {
    if met { "target met" } else { "TARGET NOT MET" }
}

/// Runs `op` on one thread for about `budget` and returns operations per second.
pub fn rate_of(budget: Duration, mut op: impl FnMut(usize)) -> f64 {
    let start = std::time::Instant::now();
    let mut n = 0;
    while start.elapsed() < budget {
        for _ in 0..16 {
            op(n);
            n += 1;
        }
    }
    n as f64 / start.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut l = Latencies::default();
        for i in 1..=100 {
            l.push(Duration::from_millis(i));
        }
        assert_eq!(l.percentile(50.0), Duration::from_millis(50));
        assert_eq!(l.percentile(99.0), Duration::from_millis(99));
        assert_eq!(l.percentile(100.0), Duration::from_millis(100));
        assert_eq!(Latencies::default().percentile(99.0), Duration::ZERO);
    }
}
