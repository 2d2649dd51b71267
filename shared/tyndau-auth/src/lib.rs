//! Authentication for Tyndau: bearer-token verification and IIN pseudonymisation.
//!
//! * [`Verifier`] checks access tokens against a pinned JWKS (each key bound to one of RS256, ES256
//!   or EdDSA), requires `exp`, `nbf`, `iss`, `aud` and `sub`, checks `typ`, and maps the claims to
//!   a typed [`Principal`]. The key set reloads in the background so keys rotate without restarts.
//! * [`Pseudonymizer`] turns an [`tyndau_ids::Iin`] into a [`tyndau_ids::SignerKey`] with a secret
//!   pepper; only the key is ever stored.
//! * [`links`] signs and checks one-click unsubscribe links (RFC 8058).
//! * [`seal`] seals personal data under per-subject keys (crypto-shredding).
//! * [`dev`] is a local Ed25519 issuer for development and benchmarks, never for production.
//!
//! The jsonwebtoken defaults we override, and why, are listed in the reliability/security anchors
//! (JWT pitfalls): no `aud`/`iss` requirement, no `nbf` check, no `typ` check and 60 s leeway.

pub mod dev;
pub mod links;
pub mod seal;

mod config;
mod error;
mod jwks;
mod principal;
mod pseudonym;
mod verifier;

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests;

pub use config::{AuthConfig, JwksSource, MAX_LEEWAY_SECONDS};
pub use error::{AuthError, AuthSetupError};
pub use jwks::{Jwks, PinnedAlgorithm};
pub use principal::{Citizen, MAX_DISPLAY_NAME_CHARS, Official, Principal, Role, Staff, UnknownRole};
pub use pseudonym::{MIN_PEPPER_BYTES, PepperTooShort, Pseudonymizer};
pub use verifier::{MAX_TOKEN_BYTES, Verifier, bearer_token};
