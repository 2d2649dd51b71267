//! `tyndau-verify`: checks Tyndau's public transparency log with nothing but its base URL and
//! the log's and the witness's public keys. Exit status 0 when every check passed, 1 when one
//! failed (a mismatch: the message says which), 2 when the check could not be made.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tyndau_tlog::keys::{CosignatureVerifier, log_verifier};

use tyndau_verify::remote::RemoteLog;
use tyndau_verify::{Mismatch, checks};

#[derive(Parser)]
#[command(
    name = "tyndau-verify",
    version,
    about = "Verify Tyndau's public transparency log"
)]
struct Cli {
    /// The log's base URL (where `checkpoint` and `tile/…` are).
    #[arg(long, env = "TYNDAU_VERIFY_LOG")]
    log: String,
    /// The log's public key (`<origin>+<id>+<key>`).
    #[arg(long, env = "TYNDAU_VERIFY_LOG_KEY")]
    log_key: String,
    /// The witness's public key: a checkpoint without its cosignature is rejected.
    #[arg(long, env = "TYNDAU_VERIFY_WITNESS_KEY")]
    witness_key: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fetch the checkpoint and check the log's signature and the witness's cosignature.
    Checkpoint {
        /// Keep it, to check later that the log never rewrote what it covers.
        #[arg(long)]
        save: Option<PathBuf>,
    },
    /// Check that a signer's receipt (its JSON, a file, or - for standard input) is in the log.
    Receipt { receipt: String },
    /// Recompute a petition's count from the log and compare it with what the site shows.
    Count {
        #[arg(long)]
        petition: String,
        /// The query API's base URL.
        #[arg(long, env = "TYNDAU_VERIFY_QUERY")]
        query: Option<String>,
        /// The web front's base URL.
        #[arg(long, env = "TYNDAU_VERIFY_WEB")]
        web: Option<String>,
    },
    /// Check that a checkpoint saved earlier is a prefix of the current one.
    Consistency {
        #[arg(long)]
        saved: PathBuf,
    },
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(lines) => {
            for line in lines {
                println_ok(&line);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("FAILED: {error:#}");
            // Verification failures are errors raised by a check; the rest could not be made.
            if error.downcast_ref::<Mismatch>().is_some() || is_verification(&error) {
                ExitCode::from(1)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

#[allow(clippy::print_stdout)]
fn println_ok(line: &str) {
    println!("OK {line}");
}

/// Errors that come from checking what the log served, not from reaching it.
fn is_verification(error: &anyhow::Error) -> bool {
    error
        .chain()
        .all(|cause| cause.downcast_ref::<reqwest::Error>().is_none())
        && !error
            .chain()
            .any(|c| c.downcast_ref::<std::io::Error>().is_some())
}

async fn run(cli: Cli) -> anyhow::Result<Vec<String>> {
    let log_key = log_verifier(&cli.log_key).context("--log-key is not a log verifier key")?;
    let witness_key =
        CosignatureVerifier::new(&cli.witness_key).context("--witness-key is not a witness verifier key")?;
    let log = RemoteLog::new(&cli.log, log_key, witness_key)?;
    match cli.command {
        Command::Checkpoint { save } => {
            let (verified, note) = log.checkpoint().await?;
            if let Some(path) = save {
                std::fs::write(&path, &note).with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(vec![format!(
                "checkpoint: {} leaves, root {}, signed by {} and cosigned by {}{}",
                verified.checkpoint.size(),
                hex::encode(verified.checkpoint.hash().0),
                verified.checkpoint.origin(),
                log.witness_key_name(),
                verified
                    .witnessed_at
                    .map(|t| format!(" at {t} (Unix time)"))
                    .unwrap_or_default()
            )])
        }
        Command::Receipt { receipt } => {
            let text = if receipt == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else if receipt.trim_start().starts_with('{') {
                receipt
            } else {
                std::fs::read_to_string(&receipt).with_context(|| format!("reading {receipt}"))?
            };
            let receipt: tyndau_tlog::leaf::Receipt =
                serde_json::from_str(&text).context("the receipt is not a receipt's JSON")?;
            Ok(vec![checks::receipt(&log, &receipt).await?])
        }
        Command::Count { petition, query, web } => Ok(vec![
            tyndau_verify::count(&log, &petition, query.as_deref(), web.as_deref()).await?,
        ]),
        Command::Consistency { saved } => {
            let note = std::fs::read(&saved).with_context(|| format!("reading {}", saved.display()))?;
            Ok(vec![checks::consistency(&log, &note).await?])
        }
    }
}
