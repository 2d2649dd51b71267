//! Formatting for the human-readable report and the machine-readable last line.

use std::collections::BTreeMap;

use anyhow::Context;
use hdrhistogram::Histogram;

/// Microseconds as `12.3 ms`.
pub fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1000.0)
}

/// A lag quantile, or `never` when it falls among the `unseen` (recorded as the maximum).
pub fn lag_ms(hist: &Histogram<u64>, q: f64, unseen: usize) -> String {
    let v = hist.value_at_quantile(q);
    if unseen > 0 && v >= hist.high() / 2 {
        "never".to_owned()
    } else {
        ms(v)
    }
}

/// `404: 3, timeout: 1`, or `none`.
pub fn describe_errors(errors: &BTreeMap<String, u64>) -> String {
    if errors.is_empty() {
        "none".to_owned()
    } else {
        errors
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Writes `line` to stdout and flushes: the benchmark's machine-readable result, its last line.
#[allow(clippy::print_stdout)] // The machine-readable result line is the program's output.
pub fn print_last_line(line: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .context("cannot write the result to stdout")
}
