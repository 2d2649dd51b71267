//! Error types. Verification errors carry a stable machine code and never any token content or
//! claim value: tokens are credentials and claims hold personal data (the IIN).

use std::path::PathBuf;

use jsonwebtoken::errors::ErrorKind;

/// Why a bearer token was refused. Every variant maps to HTTP 401 at the edge; `code()` is the
/// stable string for logs, metrics and the problem body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token was presented")]
    MissingToken,
    #[error("the token is not a well-formed compact JWS")]
    MalformedToken,
    #[error("the token does not name a key of the trusted key set")]
    UnknownKey,
    #[error("the token's algorithm is not the one pinned for its key")]
    AlgorithmNotAllowed,
    #[error("the token's signature does not verify")]
    InvalidSignature,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token comes from an untrusted issuer")]
    WrongIssuer,
    #[error("the token is meant for another audience")]
    WrongAudience,
    #[error("the token lacks the required claim `{claim}`")]
    MissingClaim { claim: &'static str },
    #[error("the token's claim `{claim}` is invalid")]
    InvalidClaim { claim: &'static str },
    #[error("the token carries more than one role")]
    AmbiguousRole,
    #[error("the token is not an access token")]
    WrongTokenType,
}

impl AuthError {
    /// Stable snake_case code; part of the API contract, so never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingToken => "missing_token",
            Self::MalformedToken => "malformed_token",
            Self::UnknownKey => "unknown_key",
            Self::AlgorithmNotAllowed => "algorithm_not_allowed",
            Self::InvalidSignature => "invalid_signature",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::MissingClaim { .. } => "missing_claim",
            Self::InvalidClaim { .. } => "invalid_claim",
            Self::AmbiguousRole => "ambiguous_role",
            Self::WrongTokenType => "wrong_token_type",
        }
    }

    /// Maps jsonwebtoken's errors. Claim names are mapped onto `'static` names so no string from
    /// the token can travel inside an error.
    pub(crate) fn from_jwt(error: &jsonwebtoken::errors::Error) -> Self {
        match error.kind() {
            ErrorKind::InvalidSignature => Self::InvalidSignature,
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::ImmatureSignature => Self::NotYetValid,
            ErrorKind::InvalidIssuer => Self::WrongIssuer,
            ErrorKind::InvalidAudience => Self::WrongAudience,
            ErrorKind::MissingRequiredClaim(claim) => Self::MissingClaim {
                claim: spec_claim(claim),
            },
            ErrorKind::InvalidClaimFormat(claim) => Self::InvalidClaim {
                claim: spec_claim(claim),
            },
            ErrorKind::InvalidSubject => Self::InvalidClaim { claim: "sub" },
            ErrorKind::InvalidAlgorithm
            | ErrorKind::MissingAlgorithm
            | ErrorKind::UnsupportedAlgorithm
            | ErrorKind::InvalidAlgorithmName
            | ErrorKind::InvalidKeyFormat => Self::AlgorithmNotAllowed,
            // Shape, base64, JSON, UTF-8, key and provider errors: nothing more specific is safe
            // to say about a token we could not read.
            _ => Self::MalformedToken,
        }
    }
}

fn spec_claim(name: &str) -> &'static str {
    match name {
        "exp" => "exp",
        "nbf" => "nbf",
        "iss" => "iss",
        "aud" => "aud",
        "sub" => "sub",
        _ => "registered claim",
    }
}

/// Why the verifier could not be built or its key set (re)loaded. These are operator errors, so
/// they name paths, URLs and key ids (all from configuration, none from tokens).
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("invalid auth configuration: {0}")]
    Config(&'static str),
    #[error("cannot read the JWKS file {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot fetch the JWKS from {url}")]
    Fetch {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the JWKS endpoint {url} answered HTTP {status}")]
    FetchStatus { url: String, status: u16 },
    #[error("the JWKS document is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the JWKS document is not a JSON key set")]
    Parse(#[source] serde_json::Error),
    #[error("the JWKS holds two keys with kid `{kid}`")]
    DuplicateKid { kid: String },
    #[error("the JWKS holds no usable signing key (RS256, ES256 or EdDSA with a kid)")]
    NoUsableKeys,
}
