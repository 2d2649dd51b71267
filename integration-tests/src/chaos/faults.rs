//! The cluster's processes as `scripts/cluster-up.sh` left them (pid files in
//! `.data/cluster/pids`), and the faults: SIGKILL and a restart with the very command line,
//! environment and user the process had, SIGSTOP and SIGCONT, and finding the PostgreSQL
//! primary and the active relay.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// One process of the cluster, captured from `/proc` before a fault so it can be started again.
pub struct Captured {
    pub name: String,
    pub pid: u32,
    argv: Vec<String>,
    env: Vec<(String, String)>,
    uid: u32,
    gid: u32,
}

impl Captured {
    pub fn env_var(&self, key: &str) -> Option<String> {
        self.env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// The process's whole environment, to run a sibling command the way it runs.
    pub fn environment(&self) -> impl Iterator<Item = (&str, &str)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The cluster's state directory (`.data/cluster`).
pub struct Cluster {
    pub dir: PathBuf,
}

impl Cluster {
    pub fn pid(&self, name: &str) -> anyhow::Result<u32> {
        let file = self.dir.join("pids").join(format!("{name}.pid"));
        std::fs::read_to_string(&file)
            .with_context(|| format!("no pid file {}", file.display()))?
            .trim()
            .parse()
            .with_context(|| format!("{} holds no pid", file.display()))
    }

    pub fn capture(&self, name: &str) -> anyhow::Result<Captured> {
        capture_pid(name, self.pid(name)?)
    }

    /// SIGKILL `name` (a pid file's name); returns what it takes to start it again.
    pub fn kill(&self, name: &str) -> anyhow::Result<Captured> {
        let captured = self.capture(name)?;
        signal(captured.pid, "KILL")?;
        Ok(captured)
    }

    /// Starts a killed process again, detached, with its log and pid file.
    pub async fn restart(&self, captured: &Captured) -> anyhow::Result<u32> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("logs").join(format!("{}.log", captured.name)))?;
        // setsid, as the script does: the process outlives this program.
        let mut command = Command::new("setsid");
        if captured.uid != current_uid()? {
            command.args([
                "setpriv".to_owned(),
                format!("--reuid={}", captured.uid),
                format!("--regid={}", captured.gid),
                "--clear-groups".to_owned(),
            ]);
        }
        command
            .args(&captured.argv)
            .env_clear()
            .envs(captured.env.iter().map(|(k, v)| (k, v)))
            .current_dir("/")
            .stdin(Stdio::null());
        // Its ports sit in the kernel's ephemeral range: for a moment, another process's
        // outgoing connection can hold one (HAProxy opens one per request), and the program
        // exits at once on "address already in use". It is started again until it stays up.
        let mut attempts = 0;
        let child = loop {
            attempts += 1;
            let mut child = command
                .stdout(log.try_clone()?)
                .stderr(log.try_clone()?)
                .spawn()
                .with_context(|| format!("cannot start {} again", captured.name))?;
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            match child.try_wait()? {
                Some(status) if attempts < 10 => {
                    eprintln!("{} exited at once ({status}); starting it again", captured.name);
                }
                Some(status) => anyhow::bail!("{} exits at once ({status}), {attempts} times", captured.name),
                None => break child,
            }
        };
        let pid = child.id();
        std::fs::write(
            self.dir.join("pids").join(format!("{}.pid", captured.name)),
            format!("{pid}\n"),
        )?;
        Ok(pid)
    }

    /// The first line of a PostgreSQL data directory's `postmaster.pid`: the postmaster.
    pub fn postmaster(&self, node: usize) -> anyhow::Result<u32> {
        let file = self
            .dir
            .join("pg")
            .join(format!("pg-{node}"))
            .join("postmaster.pid");
        std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .with_context(|| format!("{} names no process", file.display()))
    }
}

fn capture_pid(name: &str, pid: u32) -> anyhow::Result<Captured> {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let split = |file: &str| -> anyhow::Result<Vec<String>> {
        let raw =
            std::fs::read(proc.join(file)).with_context(|| format!("{name} (pid {pid}) is not running"))?;
        Ok(raw
            .split(|b| *b == 0)
            .filter(|part| !part.is_empty())
            .map(|part| String::from_utf8_lossy(part).into_owned())
            .collect())
    };
    let argv = split("cmdline")?;
    let env = split("environ")?
        .into_iter()
        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    let (uid, gid) = ids_of(&proc)?;
    if argv.is_empty() {
        bail!("{name} (pid {pid}) has exited");
    }
    Ok(Captured {
        name: name.to_owned(),
        pid,
        argv,
        env,
        uid,
        gid,
    })
}

/// The real uid and gid of a process (`Uid:` and `Gid:` of `/proc/PID/status`).
fn ids_of(proc: &Path) -> anyhow::Result<(u32, u32)> {
    let status = std::fs::read_to_string(proc.join("status"))?;
    let field = |name: &str| -> anyhow::Result<u32> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no {name} in {}", proc.display()))
    };
    Ok((field("Uid:")?, field("Gid:")?))
}

fn current_uid() -> anyhow::Result<u32> {
    Ok(ids_of(Path::new("/proc/self"))?.0)
}

pub fn signal(pid: u32, signal: &str) -> anyhow::Result<()> {
    let status = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()?;
    anyhow::ensure!(status.success(), "kill -{signal} {pid} failed");
    Ok(())
}

/// True if `url` answers 200 within a second.
pub async fn ok(client: &reqwest::Client, url: &str) -> bool {
    client
        .get(url)
        .timeout(Duration::from_secs(1))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Waits until `check` holds, polling every 100 ms; fails after `limit`.
pub async fn until<F, Fut>(what: &str, limit: Duration, mut check: F) -> anyhow::Result<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < limit {
        if check().await {
            return Ok(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{what}: not within {limit:?}")
}

/// The Patroni node (1-based) whose REST API answers 200 on `/primary`.
pub async fn primary(client: &reqwest::Client, patroni: &[String]) -> Option<usize> {
    for (i, url) in patroni.iter().enumerate() {
        if ok(client, &format!("{url}/primary")).await {
            return Some(i + 1);
        }
    }
    None
}

/// Which relay instance holds the leader lock, from each one's `tyndau_relay_active` gauge.
pub async fn active_relay(client: &reqwest::Client, relays: &[(String, String)]) -> Option<String> {
    for (name, url) in relays {
        let Ok(response) = client.get(format!("{url}/metrics")).send().await else {
            continue;
        };
        let text = response.text().await.unwrap_or_default();
        if text.lines().any(|l| l.trim() == "tyndau_relay_active 1") {
            return Some(name.clone());
        }
    }
    None
}
