//! Development tooling: a local issuer (Ed25519, or RSA for RS256 — what OpenID Connect requires
//! every provider to offer, and what national identity providers sign with) so services, demos and
//! benchmarks can run without the national identity provider.
//!
//! **Never in production.** Whoever holds the key files can mint any principal; the application
//! refuses to start with dev auth when its environment is production. Keys are written to a local
//! directory (`dev-signing-key.pk8.b64` with mode 0600, plus `jwks.json` for
//! [`crate::JwksSource::Path`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretSlice};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tyndau_ids::{BodyId, Iin, Region};

use crate::principal::Role;

/// File holding the PKCS#8 private key, base64 (standard alphabet) on one line.
pub const KEY_FILE: &str = "dev-signing-key.pk8.b64";
/// File holding the public key set, ready for `jwks = { path = "…/jwks.json" }`.
pub const JWKS_FILE: &str = "jwks.json";

#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error("cannot access {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the dev signing key is invalid: {0}")]
    Key(&'static str),
    #[error("cannot encode the token")]
    Encode(#[source] serde_json::Error),
}

/// The dev issuer's signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DevAlgorithm {
    /// Ed25519: small keys and tokens, what the development identity provider signs with.
    #[default]
    EdDsa,
    /// RSA-2048 with PKCS#1 v1.5 and SHA-256: OpenID Connect's mandatory algorithm.
    Rs256,
}

impl DevAlgorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EdDsa => "EdDSA",
            Self::Rs256 => "RS256",
        }
    }
}

/// A key pair for the dev issuer. The `kid` is derived from the public key, so the same key
/// always publishes the same kid and a new key never collides with an old one.
pub struct DevKeys {
    pkcs8: SecretSlice<u8>,
    algorithm: DevAlgorithm,
    /// The public half as a JWK, without `kid`, `alg` and `use`.
    public: Value,
    kid: String,
}

impl std::fmt::Debug for DevKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevKeys")
            .field("kid", &self.kid)
            .field("private", &"[REDACTED]")
            .finish()
    }
}

impl DevKeys {
    /// A fresh random Ed25519 key pair.
    pub fn generate() -> Result<Self, DevError> {
        Self::generate_for(DevAlgorithm::EdDsa)
    }

    /// A fresh random key pair for `algorithm`.
    pub fn generate_for(algorithm: DevAlgorithm) -> Result<Self, DevError> {
        let failed = |_| DevError::Key("key generation failed");
        match algorithm {
            DevAlgorithm::EdDsa => {
                let rng = aws_lc_rs::rand::SystemRandom::new();
                let document = Ed25519KeyPair::generate_pkcs8(&rng).map_err(failed)?;
                Self::from_pkcs8(document.as_ref())
            }
            DevAlgorithm::Rs256 => {
                let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(failed)?;
                let document: aws_lc_rs::encoding::Pkcs8V1Der<'_> = pair.as_der().map_err(failed)?;
                Self::from_pkcs8(document.as_ref())
            }
        }
    }

    /// Wraps an existing PKCS#8 private key: Ed25519 (v1 or v2) or RSA.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, DevError> {
        let (algorithm, public, kid_input) = if let Ok(pair) = Ed25519KeyPair::from_pkcs8(pkcs8) {
            let x = pair.public_key().as_ref().to_vec();
            let jwk = json!({ "kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(&x) });
            (DevAlgorithm::EdDsa, jwk, x)
        } else if let Ok(pair) = RsaKeyPair::from_pkcs8(pkcs8) {
            let public = pair.public_key();
            let jwk = json!({
                "kty": "RSA",
                "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
                "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            });
            (DevAlgorithm::Rs256, jwk, public.as_ref().to_vec())
        } else {
            return Err(DevError::Key("not an Ed25519 or RSA PKCS#8 key"));
        };
        let digest = Sha256::digest(&kid_input);
        let kid = format!("dev-{}", URL_SAFE_NO_PAD.encode(&digest[..12]));
        Ok(Self {
            pkcs8: pkcs8.to_vec().into(),
            algorithm,
            public,
            kid,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn algorithm(&self) -> DevAlgorithm {
        self.algorithm
    }

    /// The public key as a JWK (`OKP`/`Ed25519` with `alg: EdDSA`, or `RSA` with `alg: RS256`;
    /// `use: sig`).
    pub fn public_jwk(&self) -> Value {
        let mut jwk = self.public.clone();
        if let Some(fields) = jwk.as_object_mut() {
            fields.insert("kid".to_owned(), json!(self.kid));
            fields.insert("alg".to_owned(), json!(self.algorithm.as_str()));
            fields.insert("use".to_owned(), json!("sig"));
        }
        jwk
    }

    /// A JWKS document holding only this key.
    pub fn jwks_json(&self) -> String {
        json!({ "keys": [self.public_jwk()] }).to_string()
    }

    /// Writes the private key (owner-only permissions on Unix) and `jwks.json` into `dir`,
    /// creating it if needed.
    pub fn write_to(&self, dir: &Path) -> Result<(), DevError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| DevError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let key_path = dir.join(KEY_FILE);
        let encoded = STANDARD.encode(self.pkcs8.expose_secret());
        write_private(&key_path, format!("{encoded}\n").as_bytes()).map_err(io(&key_path))?;
        let jwks_path = dir.join(JWKS_FILE);
        std::fs::write(&jwks_path, self.jwks_json()).map_err(io(&jwks_path))?;
        Ok(())
    }

    /// Reads the private key written by [`DevKeys::write_to`].
    pub fn load_from(dir: &Path) -> Result<Self, DevError> {
        let path = dir.join(KEY_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| DevError::Io { path, source })?;
        let pkcs8 = STANDARD
            .decode(text.trim())
            .map_err(|_| DevError::Key("key file is not base64"))?;
        Self::from_pkcs8(&pkcs8)
    }

    /// A signer holding the parsed key, for minting many tokens.
    pub fn signer(&self) -> Result<DevSigner, DevError> {
        let pkcs8 = self.pkcs8.expose_secret();
        let pair = match self.algorithm {
            DevAlgorithm::EdDsa => SigningPair::Ed25519(
                Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| DevError::Key("not an Ed25519 PKCS#8 key"))?,
            ),
            DevAlgorithm::Rs256 => SigningPair::Rsa(
                RsaKeyPair::from_pkcs8(pkcs8).map_err(|_| DevError::Key("not an RSA PKCS#8 key"))?,
            ),
        };
        let header = json!({ "alg": self.algorithm.as_str(), "typ": "JWT", "kid": self.kid });
        Ok(DevSigner {
            pair,
            header_b64: URL_SAFE_NO_PAD.encode(header.to_string()),
        })
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // `mode` only applies on creation; tighten a pre-existing file as well.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

/// What a dev token says. `lifetime` counts from now; `nbf` and `iat` are now.
#[derive(Debug, Clone)]
pub struct DevClaims {
    pub issuer: String,
    pub audience: String,
    pub subject: String,
    pub role: Role,
    pub iin: Option<Iin>,
    pub region: Option<Region>,
    pub name: Option<String>,
    pub org: Option<BodyId>,
    pub lifetime: Duration,
}

impl DevClaims {
    /// Default token lifetime: long enough for a benchmark run, short enough to expire the same day.
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

    /// Claims for any role; fill `iin`/`region` (citizen) or `org` (official) as needed.
    pub fn new(
        issuer: impl Into<String>,
        audience: impl Into<String>,
        subject: impl Into<String>,
        role: Role,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            subject: subject.into(),
            role,
            iin: None,
            region: None,
            name: None,
            org: None,
            lifetime: Self::DEFAULT_LIFETIME,
        }
    }

    /// Claims for a citizen.
    pub fn citizen(
        issuer: impl Into<String>,
        audience: impl Into<String>,
        subject: impl Into<String>,
        iin: Iin,
        region: Region,
    ) -> Self {
        Self {
            iin: Some(iin),
            region: Some(region),
            ..Self::new(issuer, audience, subject, Role::Citizen)
        }
    }

    /// Claims for an official of `org`.
    pub fn official(
        issuer: impl Into<String>,
        audience: impl Into<String>,
        subject: impl Into<String>,
        org: BodyId,
    ) -> Self {
        Self {
            org: Some(org),
            ..Self::new(issuer, audience, subject, Role::Official)
        }
    }
}

#[derive(Serialize)]
struct WireClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    iat: u64,
    nbf: u64,
    exp: u64,
    roles: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    iin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    org: Option<&'a str>,
}

enum SigningPair {
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

/// Mints tokens. The key pair is parsed once and the header pre-encoded, so minting costs one
/// small JSON serialisation and one signature (Ed25519: tens of thousands per second per core;
/// RSA-2048: about a thousand).
pub struct DevSigner {
    pair: SigningPair,
    header_b64: String,
}

impl std::fmt::Debug for DevSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DevSigner { .. }")
    }
}

impl DevSigner {
    /// Mints an access token for `claims`.
    pub fn mint(&self, claims: &DevClaims) -> Result<String, DevError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let wire = WireClaims {
            iss: &claims.issuer,
            aud: &claims.audience,
            sub: &claims.subject,
            iat: now,
            nbf: now,
            exp: now.saturating_add(claims.lifetime.as_secs()),
            roles: [claims.role.as_str()],
            iin: claims.iin.as_ref().map(Iin::expose_digits),
            region: claims.region.map(|r| r.code()),
            name: claims.name.as_deref(),
            org: claims.org.as_ref().map(BodyId::as_str),
        };
        let payload = serde_json::to_vec(&wire).map_err(DevError::Encode)?;
        self.assemble(&self.header_b64, &payload)
    }

    /// Signs arbitrary header and claims JSON with this key, for negative tests (wrong `typ`,
    /// lying `alg`, missing claims…). Nothing is validated.
    pub fn sign_parts(&self, header: &Value, claims: &Value) -> Result<String, DevError> {
        let header = serde_json::to_vec(header).map_err(DevError::Encode)?;
        let claims = serde_json::to_vec(claims).map_err(DevError::Encode)?;
        self.assemble(&URL_SAFE_NO_PAD.encode(header), &claims)
    }

    fn assemble(&self, header_b64: &str, payload: &[u8]) -> Result<String, DevError> {
        let mut token = String::with_capacity(header_b64.len() + payload.len() * 4 / 3 + 100);
        token.push_str(header_b64);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let signature = match &self.pair {
            SigningPair::Ed25519(pair) => pair.sign(token.as_bytes()).as_ref().to_vec(),
            SigningPair::Rsa(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                let rng = aws_lc_rs::rand::SystemRandom::new();
                pair.sign(&RSA_PKCS1_SHA256, &rng, token.as_bytes(), &mut signature)
                    .map_err(|_| DevError::Key("RSA signing failed"))?;
                signature
            }
        };
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
        Ok(token)
    }
}
