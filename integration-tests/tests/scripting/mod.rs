//! What the tests of the developer scripts share (`scripts.rs`, `cluster.rs`): the repository,
//! the service list as the scripts read it, running a script with the test's environment only,
//! and finding the processes it started.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the workspace's binaries in the debug profile (nothing to do when they are current)
/// and returns where they are.
pub fn debug_binaries() -> PathBuf {
    let root = root();
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--workspace", "--bins", "--quiet"])
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(built.success(), "cargo build --bins failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("debug")
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn required_env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run scripts/dev-env.sh, then `source .data/env`"))
}

/// The services and their single-node ports, read the way the scripts read them.
pub fn services() -> Vec<(String, u16)> {
    std::fs::read_to_string(root().join("deploy/services.tsv"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut fields = l.split_whitespace();
            (
                fields.next().unwrap().to_owned(),
                fields.next().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

pub fn random_hex() -> String {
    hex::encode(rand::random::<[u8; 8]>())
}

pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let slash = base[base.find("://").unwrap() + 3..]
        .find('/')
        .map_or(base.len(), |i| base.find("://").unwrap() + 3 + i);
    let mut out = format!("{}/{db}", &base[..slash]);
    if let Some(query) = query {
        out = format!("{out}?{query}");
    }
    out
}

/// Runs a script with the test's environment only (no inherited `TYNDAU_*`).
pub fn script(name: &str, data: &Path, offset: u16, bin_dir: &Path, args: &[&str]) -> std::process::Output {
    script_with(name, data, offset, bin_dir, args, &[])
}

/// [`script`] with more environment variables.
pub fn script_with(
    name: &str,
    data: &Path,
    offset: u16,
    bin_dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = Command::new(root().join("scripts").join(name));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("TYNDAU_") || key == "DATABASE_URL" || key == "NATS_URL" {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command
        .args(args)
        .env("TYNDAU_DATA_DIR", data)
        .env("TYNDAU_PORT_OFFSET", offset.to_string())
        .env("TYNDAU_BIN_DIR", bin_dir)
        .env("RUST_LOG", "warn")
        .current_dir(root())
        .output()
        .unwrap()
}

pub fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // A zombie has exited.
    stat.rsplit_once(") ")
        .is_some_and(|(_, rest)| !rest.starts_with('Z'))
}

/// Live processes started for one of `addresses` (every service gets its `TYNDAU_HTTP__ADDR`
/// from `up.sh`, whatever program it runs).
pub fn running(addresses: &[String]) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        let environ = String::from_utf8_lossy(&environ).into_owned();
        let serves = environ
            .split('\0')
            .filter_map(|v| v.strip_prefix("TYNDAU_HTTP__ADDR="))
            .any(|addr| addresses.iter().any(|a| a == addr));
        if serves && alive(pid) {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            found.push((pid, String::from_utf8_lossy(&cmdline).replace('\0', " ")));
        }
    }
    found
}

/// Writes the `env` file the scripts source: the test's database and NATS prefix, keys in
/// `data/dev-keys`, fresh secrets.
pub fn write_env(data: &Path, db_url: &str, nats_url: &str, prefix: &str) {
    let keys = data.join("dev-keys");
    std::fs::write(
        data.join("env"),
        format!(
            "export DATABASE_URL={db_url}\nexport NATS_URL={nats_url}\n\
             export TYNDAU_DATABASE__URL={db_url}\nexport TYNDAU_NATS__URL={nats_url}\n\
             export TYNDAU_NATS__PREFIX={prefix}\nexport TYNDAU_AUTH__JWKS__PATH={}/jwks.json\n\
             export TYNDAU_AUTH__AUDIENCE=tyndau\n\
             export TYNDAU_PRIVACY__SIGNER_PEPPER={}\nexport TYNDAU_ENVIRONMENT=development\n\
             export TYNDAU_NOTIFICATIONS__LINK_SECRET={}\n\
             export TYNDAU_PRIVACY__RECEIPT_KEY={}\n\
             export TYNDAU_DEV_KEYS_DIR={}\n",
            keys.display(),
            random_hex().repeat(4),
            random_hex().repeat(4),
            random_hex().repeat(4),
            keys.display(),
        ),
    )
    .unwrap();
}
