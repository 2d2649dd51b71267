//! Memory and CPU of the services (and of PostgreSQL, NATS and this process) from `/proc`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use tokio::sync::watch;

pub const RSS_EVERY: Duration = Duration::from_millis(200);
/// Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ).
pub const CLOCK_TICKS_PER_S: f64 = 100.0;

/// Peak resident memory (VmHWM, kB) of each child, read every [`RSS_EVERY`] until told to stop;
/// a child that exits keeps its last reading.
pub async fn watch_rss(
    pids: Vec<(&'static str, u32)>,
    mut stop: watch::Receiver<bool>,
) -> Vec<(&'static str, u64)> {
    let mut peak: Vec<(&'static str, u64)> = pids.iter().map(|(n, _)| (*n, 0)).collect();
    loop {
        for ((_, pid), (_, best)) in pids.iter().zip(peak.iter_mut()) {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            for key in ["VmHWM:", "VmRSS:"] {
                if let Some(kb) = status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .and_then(|v| v.split_whitespace().next())
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    *best = (*best).max(kb);
                }
            }
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(RSS_EVERY) => {}
            changed = stop.changed() => if changed.is_err() { break },
        }
    }
    peak
}

/// CPU ticks (user + system) of a process.
fn cpu_ticks(pid: &str) -> Option<(String, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_owned();
    let fields: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    // After the command: state is field 3, utime field 14, stime field 15 (1-based).
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

/// CPU time consumed so far; two snapshots give the shares of a phase ([`Self::print_delta`]).
pub struct CpuSnapshot {
    pub at: Instant,
    /// Our services, by name.
    services: Vec<(&'static str, u64)>,
    /// All processes by command name (postgres, nats-server…), summed.
    by_comm: BTreeMap<String, u64>,
    own: u64,
    /// Machine-wide (busy, total) ticks from /proc/stat.
    machine: (u64, u64),
}

impl CpuSnapshot {
    pub fn take(pids: &[(&'static str, u32)]) -> Self {
        let services = pids
            .iter()
            .map(|(name, pid)| (*name, cpu_ticks(&pid.to_string()).map_or(0, |(_, t)| t)))
            .collect();
        let mut by_comm = BTreeMap::new();
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.bytes().all(|b| b.is_ascii_digit())
                    && let Some((comm, ticks)) = cpu_ticks(&name)
                    && (comm == "postgres" || comm.starts_with("nats-server"))
                {
                    *by_comm.entry(comm).or_default() += ticks;
                }
            }
        }
        let own = cpu_ticks("self").map_or(0, |(_, t)| t);
        let machine = std::fs::read_to_string("/proc/stat")
            .ok()
            .and_then(|s| {
                let line = s.lines().next()?.strip_prefix("cpu ")?.to_owned();
                let v: Vec<u64> = line.split_whitespace().filter_map(|x| x.parse().ok()).collect();
                let total: u64 = v.iter().sum();
                let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
                Some((total - idle, total))
            })
            .unwrap_or((0, 0));
        Self {
            at: Instant::now(),
            services,
            by_comm,
            own,
            machine,
        }
    }

    /// Each service's CPU so far, in clock ticks (1/100 s).
    pub fn cpu_ticks(&self) -> &[(&'static str, u64)] {
        &self.services
    }

    /// CPU ticks spent between `before` and `self` by the platform and the load together: our
    /// services, PostgreSQL, NATS and this process; not other work on the machine.
    pub fn platform_ticks_since(&self, before: &Self) -> u64 {
        let services: u64 = self
            .services
            .iter()
            .zip(&before.services)
            .map(|((_, a), (_, b))| a.saturating_sub(*b))
            .sum();
        let servers: u64 = self
            .by_comm
            .iter()
            .map(|(comm, a)| a.saturating_sub(before.by_comm.get(comm).copied().unwrap_or(0)))
            .sum();
        services + servers + self.own.saturating_sub(before.own)
    }

    /// Busy CPU ticks of the whole machine between `before` and `self`, whoever spent them.
    pub fn machine_ticks_since(&self, before: &Self) -> u64 {
        self.machine.0.saturating_sub(before.machine.0)
    }

    /// Prints (stderr) each one's CPU between `self` and `after`, in percent of a core.
    pub fn print_delta(&self, after: &Self) {
        let wall = after.at.duration_since(self.at).as_secs_f64().max(1e-6);
        let pct = |ticks: u64| ticks as f64 / CLOCK_TICKS_PER_S / wall * 100.0;
        let line = |what: &str, ticks: u64| {
            eprintln!("  {what:<30} {:>6.0}% of a core", pct(ticks));
        };
        for ((name, b), (_, a)) in self.services.iter().zip(&after.services) {
            line(name, a.saturating_sub(*b));
        }
        for (comm, a) in &after.by_comm {
            let b = self.by_comm.get(comm).copied().unwrap_or(0);
            line(&format!("{comm} (all processes)"), a.saturating_sub(b));
        }
        line("bench client (this process)", after.own.saturating_sub(self.own));
        let ours = after.platform_ticks_since(self);
        let busy = after.machine_ticks_since(self);
        let total = after.machine.1.saturating_sub(self.machine.1);
        if total > 0 {
            // /proc/stat counts in the same USER_HZ ticks: whatever is busy and not listed above
            // belongs to other processes on the machine (builds, other tests…).
            eprintln!(
                "  {:<30} {:>6.0}% of a core",
                "everything else on the machine",
                pct(busy.saturating_sub(ours))
            );
            eprintln!(
                "  {:<30} {:>6.0}% busy",
                "machine (all cores)",
                busy as f64 / total as f64 * 100.0
            );
        }
    }
}

/// Established TCP connections to 127.0.0.1:`port` (client side), from /proc/net/tcp.
pub fn established_to(port: u16) -> Option<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let wanted = format!(":{port:04X}");
    Some(
        table
            .lines()
            .skip(1)
            .filter(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                fields.get(2).is_some_and(|remote| remote.ends_with(&wanted)) && fields.get(3) == Some(&"01")
            })
            .count(),
    )
}

pub fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
