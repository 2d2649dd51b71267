//! The long-running services as `deploy/services.tsv` lists them: the one list `scripts/up.sh`
//! starts, `scripts/down.sh` stops and the benchmarks pick their services from.

/// The list, compiled in so a benchmark cannot disagree with the scripts it ships with.
const LIST: &str = include_str!("../../../deploy/services.tsv");

/// One service: its name, its port in the single-node set-up, and whether it is one of our
/// Rust binaries (else a Node.js script, the development identity provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceEntry {
    pub name: &'static str,
    pub port: u16,
    pub binary: bool,
}

/// Every service, in start order.
pub fn all() -> Vec<ServiceEntry> {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let name = fields.next()?;
            let port = fields.next()?.parse().ok()?;
            let binary = fields.next().is_none_or(|program| program == "-");
            Some(ServiceEntry { name, port, binary })
        })
        .collect()
}

/// Refuses a program that is not one of the listed services.
pub fn check_known(programs: &[&str]) -> anyhow::Result<()> {
    let known = all();
    let unknown: Vec<&&str> = programs
        .iter()
        .filter(|p| !known.iter().any(|s| s.name == **p))
        .collect();
    anyhow::ensure!(unknown.is_empty(), "{unknown:?} are not in deploy/services.tsv");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_service_binary_once() {
        let services = all();
        assert!(services.len() >= 7, "{services:?}");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for service in &services {
            assert_eq!(services.iter().filter(|s| s.name == service.name).count(), 1);
            assert_eq!(services.iter().filter(|s| s.port == service.port).count(), 1);
            assert!(
                !service.binary || root.join("services").join(service.name).is_dir(),
                "{} has no crate under services/",
                service.name
            );
        }
        // Every service crate with a binary that runs for good is listed (the CLI and the
        // verifier are tools).
        let listed: Vec<&str> = services.iter().map(|s| s.name).collect();
        for entry in std::fs::read_dir(root.join("services"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !matches!(name.as_str(), "tyndau-cli" | "tyndau-verify") {
                assert!(
                    listed.contains(&name.as_str()),
                    "{name} is missing from deploy/services.tsv"
                );
            }
        }
    }
}
