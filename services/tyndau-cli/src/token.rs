//! `dev-keys` and `mint-token`: the local development issuer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use sha2::{Digest, Sha256};
use tyndau_auth::MAX_DISPLAY_NAME_CHARS;
use tyndau_auth::Role;
use tyndau_auth::dev::{DevAlgorithm, DevClaims, DevKeys, JWKS_FILE, KEY_FILE};
use tyndau_domain::BodyDirectory;
use tyndau_ids::{BodyId, Iin, Region};

use crate::settings::Settings;

/// The longest dev token we mint: a day.
pub const MAX_TTL_MINUTES: u64 = 24 * 60;

#[derive(Debug, Args)]
pub struct DevKeysArgs {
    /// Directory to write `dev-signing-key.pk8.b64` and `jwks.json` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace keys that already exist there (tokens signed with the old key stop verifying).
    #[arg(long)]
    pub force: bool,
    /// Signature algorithm: `eddsa` (what the development identity provider signs with; it
    /// reads only Ed25519 keys) or `rs256` (RSA-2048, what national identity providers sign with;
    /// for `mint-token` and the benchmarks).
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Eddsa)]
    pub alg: AlgorithmArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    Eddsa,
    Rs256,
}

impl From<AlgorithmArg> for DevAlgorithm {
    fn from(alg: AlgorithmArg) -> Self {
        match alg {
            AlgorithmArg::Eddsa => DevAlgorithm::EdDsa,
            AlgorithmArg::Rs256 => DevAlgorithm::Rs256,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Citizen,
    Moderator,
    Official,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Citizen => Role::Citizen,
            RoleArg::Moderator => Role::Moderator,
            RoleArg::Official => Role::Official,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Args)]
pub struct MintTokenArgs {
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Citizen's IIN (12 digits, valid check digit). Required for citizens.
    #[arg(long)]
    pub iin: Option<Iin>,
    /// Citizen's region of residence, e.g. `almaty`, `astana`, `turkestan`. Required for citizens.
    #[arg(long)]
    pub region: Option<Region>,
    /// Citizen's display name.
    #[arg(long)]
    pub name: Option<String>,
    /// Official's state body, e.g. `akimat-almaty`. Required for officials.
    #[arg(long)]
    pub org: Option<BodyId>,
    /// The token's `sub`; derived from the role (and IIN or body) when omitted.
    #[arg(long)]
    pub subject: Option<String>,
    /// Lifetime in minutes (1 to 1440).
    #[arg(long, default_value_t = 60)]
    pub ttl_minutes: u64,
    /// Directory holding the dev signing key; defaults to TYNDAU_DEV_KEYS_DIR.
    #[arg(long, value_name = "DIR")]
    pub keys: Option<PathBuf>,
}

pub fn dev_keys(settings: &Settings, args: &DevKeysArgs) -> anyhow::Result<()> {
    settings.refuse_production("create dev signing keys")?;
    let existing: Vec<PathBuf> = [KEY_FILE, JWKS_FILE]
        .iter()
        .map(|f| args.out.join(f))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() && !args.force {
        bail!(
            "dev keys already exist in {} ({}); pass --force to replace them",
            args.out.display(),
            existing
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let keys = DevKeys::generate_for(args.alg.into()).context("cannot generate a dev signing key")?;
    keys.write_to(&args.out)
        .with_context(|| format!("cannot write dev keys to {}", args.out.display()))?;
    tracing::info!(dir = %args.out.display(), kid = keys.kid(), alg = keys.algorithm().as_str(), "dev signing keys written");
    Ok(())
}

/// Mints the token; the caller prints it.
pub fn mint_token(settings: &Settings, args: &MintTokenArgs) -> anyhow::Result<String> {
    settings.refuse_production("mint a dev token")?;
    let claims = build_claims(args, settings.issuer()?, settings.audience()?)?;
    if let Some(org) = &claims.org
        && BodyDirectory::embedded().get(org).is_none()
    {
        tracing::warn!(
            org = org.as_str(),
            "the body is not in the directory of state bodies"
        );
    }
    let dir = keys_dir(settings, args.keys.as_deref())?;
    let keys = DevKeys::load_from(&dir).with_context(|| {
        format!(
            "cannot load the dev signing key from {} (create it with `tyndau-cli dev-keys --out DIR`)",
            dir.display()
        )
    })?;
    let signer = keys.signer().context("the dev signing key is unusable")?;
    let token = signer.mint(&claims).context("cannot mint the token")?;
    tracing::info!(role = %claims.role, subject = %claims.subject, kid = keys.kid(), "dev token minted");
    Ok(token)
}

fn keys_dir(settings: &Settings, flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| settings.dev_keys_dir.clone())
        .context("no dev keys directory: pass --keys DIR or set TYNDAU_DEV_KEYS_DIR")
}

/// Checks the role's required attributes and refuses ones that do not apply to it.
pub fn build_claims(args: &MintTokenArgs, issuer: &str, audience: &str) -> anyhow::Result<DevClaims> {
    let role = Role::from(args.role);
    if !(1..=MAX_TTL_MINUTES).contains(&args.ttl_minutes) {
        bail!("--ttl-minutes must be between 1 and {MAX_TTL_MINUTES}");
    }
    if role != Role::Citizen && (args.iin.is_some() || args.region.is_some() || args.name.is_some()) {
        bail!("--iin, --region and --name apply to citizens only, not to the {role} role");
    }
    if role != Role::Official && args.org.is_some() {
        bail!("--org applies to officials only, not to the {role} role");
    }
    let subject = match &args.subject {
        Some(subject) => {
            let subject = subject.trim();
            if subject.is_empty() || subject.len() > 255 || subject.chars().any(char::is_control) {
                bail!("--subject must be 1 to 255 bytes without control characters");
            }
            subject.to_owned()
        }
        None => default_subject(args),
    };
    let mut claims = match role {
        Role::Citizen => {
            let iin = args
                .iin
                .clone()
                .context("a citizen token needs --iin (e.g. --iin 900101300017)")?;
            let region = args
                .region
                .context("a citizen token needs --region (e.g. --region almaty)")?;
            let mut claims = DevClaims::citizen(issuer, audience, subject, iin, region);
            if let Some(name) = &args.name {
                let name = name.trim();
                if name.chars().count() > MAX_DISPLAY_NAME_CHARS || name.chars().any(char::is_control) {
                    bail!(
                        "--name must be at most {MAX_DISPLAY_NAME_CHARS} characters without control characters"
                    );
                }
                claims.name = (!name.is_empty()).then(|| name.to_owned());
            }
            claims
        }
        Role::Official => {
            let org = args
                .org
                .clone()
                .context("an official token needs --org (e.g. --org akimat-almaty)")?;
            DevClaims::official(issuer, audience, subject, org)
        }
        Role::Moderator | Role::Admin => DevClaims::new(issuer, audience, subject, role),
    };
    claims.lifetime = Duration::from_secs(args.ttl_minutes * 60);
    Ok(claims)
}

/// A stable subject per identity. A citizen's subject is a hash, never the IIN itself.
fn default_subject(args: &MintTokenArgs) -> String {
    let role = Role::from(args.role);
    match (role, &args.iin, &args.org) {
        (Role::Citizen, Some(iin), _) => {
            let digest = Sha256::digest(iin.expose_digits().as_bytes());
            format!("dev-citizen-{}", hex::encode(&digest[..8]))
        }
        (Role::Official, _, Some(org)) => format!("dev-official-{}", org.as_str()),
        _ => format!("dev-{role}"),
    }
}
