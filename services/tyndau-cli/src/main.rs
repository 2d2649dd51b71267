//! `tyndau-cli`: migrations, development signing keys and tokens, demo data.
//!
//! Configuration comes from `tyndau_config::load` like every service (`TYNDAU_…` variables, the
//! `TYNDAU_CONFIG` file). Logs and messages go to stderr; only `mint-token` writes to stdout (the
//! token alone), so `TOKEN=$(tyndau-cli mint-token …)` works.

mod ledger_keys;
mod seed;
mod seed_consultation;
mod settings;
mod token;

use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::settings::Settings;
use crate::token::{DevKeysArgs, MintTokenArgs};

#[derive(Debug, Parser)]
#[command(
    name = "tyndau-cli",
    version,
    about = "Tyndau operator and developer commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check PostgreSQL's durability settings and apply the database migrations.
    Migrate,
    /// Generate a development Ed25519 signing key and its jwks.json (never for production).
    DevKeys(DevKeysArgs),
    /// Print a development access token signed with the dev key (refused in production).
    MintToken(MintTokenArgs),
    /// Load demo petitions and signatures through the command side; safe to run repeatedly.
    SeedDemo,
    /// Generate the transparency log's checkpoint key and its witness's cosignature key.
    LedgerKeys(ledger_keys::LedgerKeysArgs),
    /// Print the receipt of a demo citizen's signature on a demo petition, for `tyndau-verify
    /// receipt` (refused in production: with the pepper it tells who signed).
    DemoReceipt {
        /// A demo petition's id.
        #[arg(long)]
        petition: uuid::Uuid,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line with the whole cause chain; no backtrace, this is a CLI.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    match cli.command {
        Command::Migrate => runtime()?.block_on(migrate(&settings)),
        Command::DevKeys(args) => token::dev_keys(&settings, &args),
        Command::MintToken(args) => print_line(&token::mint_token(&settings, &args)?),
        Command::SeedDemo => runtime()?.block_on(seed::seed_demo(&settings)),
        Command::LedgerKeys(args) => ledger_keys::ledger_keys(&args),
        Command::DemoReceipt { petition } => {
            settings.refuse_production("print a demo citizen's receipt")?;
            let signature = seed::first_demo_signature(petition, &settings.pseudonymizer()?)?;
            let version = tyndau_events::signature::SignatureEvent::version_of(tyndau_tlog::leaf::SIGNED)
                .context("SignatureRecorded has no version")?;
            let receipt =
                tyndau_tlog::leaf::Receipt::of_signature(&settings.receipt_key()?, &signature, version);
            print_line(&serde_json::to_string(&receipt)?)
        }
    }
}

/// Logs to stderr: stdout is reserved for the token.
fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

#[allow(clippy::print_stdout)] // The token is the command's output.
fn print_line(token: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{token}")
        .and_then(|()| out.flush())
        .context("cannot write the token to stdout")
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = tyndau_db::connect(settings.database()?)
        .await
        .context("cannot connect to the database")?;
    tyndau_db::check_durability(&pool)
        .await
        .map_err(|e| anyhow!(e))
        .context("the database is not durable enough for the event store")?;
    tyndau_db::migrate(&pool)
        .await
        .context("cannot apply the migrations")?;
    let applied = tyndau_db::MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .count();
    tracing::info!(migrations = applied, "database schema is up to date");
    pool.close().await;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use clap::CommandFactory;
    use tyndau_auth::Role;

    use super::*;
    use crate::token::{RoleArg, build_claims};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("tyndau-cli").chain(args.iter().copied()))
    }

    fn mint_args(args: &[&str]) -> MintTokenArgs {
        match parse(&[&["mint-token"], args].concat()).unwrap().command {
            Command::MintToken(args) => args,
            other => panic!("parsed {other:?}"),
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn roles_map_one_to_one() {
        let pairs = [
            (RoleArg::Citizen, Role::Citizen),
            (RoleArg::Moderator, Role::Moderator),
            (RoleArg::Official, Role::Official),
            (RoleArg::Admin, Role::Admin),
        ];
        for (arg, role) in pairs {
            assert_eq!(Role::from(arg), role);
            assert_eq!(mint_args(&["--role", role.as_str()]).role, arg);
        }
        assert!(parse(&["mint-token", "--role", "superuser"]).is_err());
    }

    #[test]
    fn a_citizen_token_carries_the_identity() {
        let args = mint_args(&[
            "--role",
            "citizen",
            "--iin",
            "900101300017",
            "--region",
            "almaty",
            "--name",
            "Aigerim S.",
            "--ttl-minutes",
            "30",
        ]);
        let claims = build_claims(&args, "https://idp", "tyndau").unwrap();
        assert_eq!(claims.role, Role::Citizen);
        assert_eq!(claims.iin.as_ref().unwrap().expose_digits(), "900101300017");
        assert_eq!(claims.region, Some(tyndau_ids::Region::Almaty));
        assert_eq!(claims.name.as_deref(), Some("Aigerim S."));
        assert_eq!(claims.lifetime.as_secs(), 30 * 60);
        assert!(claims.subject.starts_with("dev-citizen-"));
        assert!(!claims.subject.contains("900101300017"));
        assert_eq!(claims.issuer, "https://idp");
        assert_eq!(claims.audience, "tyndau");
    }

    #[test]
    fn role_attributes_are_checked() {
        // Invalid IINs and regions fail at parsing.
        assert!(parse(&["mint-token", "--role", "citizen", "--iin", "900101300018"]).is_err());
        assert!(parse(&["mint-token", "--role", "citizen", "--region", "atlantis"]).is_err());
        // A citizen needs an IIN and a region; an official needs a body.
        assert!(build_claims(&mint_args(&["--role", "citizen", "--region", "almaty"]), "i", "a").is_err());
        assert!(
            build_claims(
                &mint_args(&["--role", "citizen", "--iin", "900101300017"]),
                "i",
                "a"
            )
            .is_err()
        );
        assert!(build_claims(&mint_args(&["--role", "official"]), "i", "a").is_err());
        let official = build_claims(
            &mint_args(&["--role", "official", "--org", "akimat-almaty"]),
            "i",
            "a",
        )
        .unwrap();
        assert_eq!(official.org.unwrap().as_str(), "akimat-almaty");
        assert_eq!(official.subject, "dev-official-akimat-almaty");
        // Attributes of another role are refused rather than silently dropped.
        assert!(
            build_claims(
                &mint_args(&["--role", "moderator", "--org", "akimat-almaty"]),
                "i",
                "a"
            )
            .is_err()
        );
        assert!(
            build_claims(
                &mint_args(&["--role", "admin", "--iin", "900101300017"]),
                "i",
                "a"
            )
            .is_err()
        );
        let moderator = build_claims(
            &mint_args(&["--role", "moderator", "--subject", "mod-7"]),
            "i",
            "a",
        )
        .unwrap();
        assert_eq!(moderator.subject, "mod-7");
        assert!(
            build_claims(
                &mint_args(&["--role", "moderator", "--ttl-minutes", "0"]),
                "i",
                "a"
            )
            .is_err()
        );
        assert!(
            build_claims(
                &mint_args(&["--role", "moderator", "--ttl-minutes", "1441"]),
                "i",
                "a"
            )
            .is_err()
        );
    }

    #[test]
    fn dev_keys_and_seed_parse() {
        let cli = parse(&["dev-keys", "--out", "/tmp/keys", "--force"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::DevKeys(DevKeysArgs { force: true, .. })
        ));
        assert!(parse(&["dev-keys"]).is_err());
        assert!(matches!(
            parse(&["seed-demo"]).unwrap().command,
            Command::SeedDemo
        ));
        assert!(matches!(parse(&["migrate"]).unwrap().command, Command::Migrate));
    }

    #[test]
    fn production_refuses_dev_tooling() {
        let settings = Settings {
            environment: tyndau_config::Environment::Production,
            ..Settings::default()
        };
        let args = mint_args(&["--role", "moderator"]);
        let error = token::mint_token(&settings, &args).unwrap_err().to_string();
        assert!(error.contains("production"), "{error}");
    }

    #[test]
    fn minted_tokens_pass_the_real_verifier() {
        for alg in [token::AlgorithmArg::Eddsa, token::AlgorithmArg::Rs256] {
            minted_token_passes_the_real_verifier(alg);
        }
    }

    fn minted_token_passes_the_real_verifier(alg: token::AlgorithmArg) {
        let dir = std::env::temp_dir().join(format!("tyndau-cli-test-{}", uuid::Uuid::now_v7()));
        let keys = DevKeysArgs {
            out: dir.clone(),
            force: false,
            alg,
        };
        let settings = Settings {
            auth: Some(settings::AuthSettings {
                issuer: Some("https://idp.test".into()),
                audience: Some("tyndau".into()),
            }),
            dev_keys_dir: Some(dir.clone()),
            ..Settings::default()
        };
        token::dev_keys(&settings, &keys).unwrap();
        assert!(
            token::dev_keys(&settings, &keys).is_err(),
            "existing keys are kept without --force"
        );

        let args = mint_args(&["--role", "citizen", "--iin", "900101300017", "--region", "almaty"]);
        let token = token::mint_token(&settings, &args).unwrap();
        let config = tyndau_auth::AuthConfig::new(
            "https://idp.test",
            "tyndau",
            tyndau_auth::JwksSource::Path(dir.join(tyndau_auth::dev::JWKS_FILE)),
        );
        let jwks = std::fs::read(dir.join(tyndau_auth::dev::JWKS_FILE)).unwrap();
        let expected = if alg == token::AlgorithmArg::Rs256 {
            "RS256"
        } else {
            "EdDSA"
        };
        assert!(String::from_utf8_lossy(&jwks).contains(&format!("\"alg\":\"{expected}\"")));
        let verifier = tyndau_auth::Verifier::from_jwks_json(config, &jwks).unwrap();
        let principal = verifier.verify(&token).unwrap();
        let citizen = principal.as_citizen().unwrap();
        assert_eq!(citizen.region, tyndau_ids::Region::Almaty);
        assert_eq!(citizen.iin.expose_digits(), "900101300017");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn demo_citizens_are_valid_adults_with_distinct_iins() {
        let today = time::OffsetDateTime::now_utc().date();
        let mut seen = std::collections::HashSet::new();
        for n in 0..3_000 {
            if let Some(iin) = seed::citizen_iin(n) {
                assert!(iin.age_on(today) >= 18);
                assert!(seen.insert(iin.expose_digits()));
            }
        }
        assert!(seen.len() > 2_500);
        for demo in seed::DEMO_PETITIONS {
            let author = seed::author_iin(demo.author).unwrap();
            assert!(author.age_on(today) >= 18);
            assert!(seen.insert(author.expose_digits()));
        }
    }

    #[test]
    fn demo_petitions_are_valid_drafts() {
        let services = tyndau_domain::PetitionServices::default();
        let mut ids = std::collections::HashSet::new();
        for demo in seed::DEMO_PETITIONS {
            assert!(ids.insert(demo.id));
            let body: tyndau_ids::BodyId = demo.addressee.parse().unwrap();
            assert!(services.bodies.get(&body).is_some(), "{}", demo.addressee);
            for text in demo.texts {
                assert!(
                    text.title.chars().count() <= services.policy.limits.title,
                    "{}",
                    text.title
                );
                assert!(text.request.chars().count() <= services.policy.limits.request);
            }
        }
    }
}
