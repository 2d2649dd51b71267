//! `ledger-keys`: the transparency log's checkpoint key and a witness's cosignature key, in the
//! C2SP signed-note encodings. Secret halves are written readable by their owner only.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use tyndau_tlog::keys::{KeyKind, generate};

#[derive(Debug, Args)]
pub struct LedgerKeysArgs {
    /// Directory for `log.key`, `log.vkey`, `witness.key` and `witness.vkey` (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The log's origin line (also its key's name): the host and path it is published under.
    #[arg(long, default_value = "localhost/tyndau/ledger")]
    pub origin: String,
    /// The witness's name.
    #[arg(long, default_value = "localhost/tyndau/witness")]
    pub witness: String,
    /// Replace keys that already exist (checkpoints signed with the old ones stop verifying).
    #[arg(long)]
    pub force: bool,
}

pub fn ledger_keys(args: &LedgerKeysArgs) -> anyhow::Result<()> {
    for name in [&args.origin, &args.witness] {
        if !signed_note::is_key_name_valid(name) {
            bail!("{name:?} is not a key name: no spaces and no '+'");
        }
    }
    let files = ["log.key", "log.vkey", "witness.key", "witness.vkey"].map(|f| args.out.join(f));
    if !args.force && files.iter().any(|f| f.exists()) {
        bail!(
            "ledger keys already exist in {}; pass --force to replace them",
            args.out.display()
        );
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let (log_secret, log_public) = generate(&args.origin, KeyKind::Log);
    let (witness_secret, witness_public) = generate(&args.witness, KeyKind::Cosigner);
    write(&files[0], &log_secret, true)?;
    write(&files[1], &log_public, false)?;
    write(&files[2], &witness_secret, true)?;
    write(&files[3], &witness_public, false)?;
    tracing::info!(dir = %args.out.display(), log = %log_public, witness = %witness_public, "ledger keys written");
    Ok(())
}

fn write(path: &Path, text: &str, secret: bool) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if secret { 0o600 } else { 0o644 });
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(file, "{text}").with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
