//! The authenticated caller as a closed set of typed roles. Handlers match on [`Principal`]
//! instead of reading claim strings, so an unvalidated IIN or region cannot reach the domain.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use serde_json::Value;
use tyndau_ids::{BodyId, Iin, Region};

use crate::error::AuthError;

/// Longest accepted `sub`; identity providers use UUIDs or short opaque ids.
const MAX_SUBJECT_LEN: usize = 255;
/// Longest accepted display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The four roles a token can carry in its `roles` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Citizen,
    Moderator,
    Official,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Citizen, Role::Moderator, Role::Official, Role::Admin];

    /// The claim value, also used in logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Moderator => "moderator",
            Self::Official => "official",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The role name is not one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown role")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or(UnknownRole)
    }
}

/// A citizen signed in through the national identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub subject: String,
    /// Validated IIN; its `Debug` prints `Iin(***)`. Pseudonymise it before storing anything.
    pub iin: Iin,
    pub region: Region,
    pub display_name: Option<String>,
}

/// A moderator or an administrator: no attributes beyond the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub subject: String,
}

/// A civil servant acting for one state body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub subject: String,
    pub organisation: BodyId,
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Citizen(Citizen),
    Moderator(Staff),
    Official(Official),
    Admin(Staff),
}

impl Principal {
    /// The identity provider's subject id (`sub`).
    pub fn subject(&self) -> &str {
        match self {
            Self::Citizen(c) => &c.subject,
            Self::Moderator(s) | Self::Admin(s) => &s.subject,
            Self::Official(o) => &o.subject,
        }
    }

    pub fn role(&self) -> Role {
        match self {
            Self::Citizen(_) => Role::Citizen,
            Self::Moderator(_) => Role::Moderator,
            Self::Official(_) => Role::Official,
            Self::Admin(_) => Role::Admin,
        }
    }

    pub fn role_name(&self) -> &'static str {
        self.role().as_str()
    }

    pub fn as_citizen(&self) -> Option<&Citizen> {
        match self {
            Self::Citizen(c) => Some(c),
            _ => None,
        }
    }
}

/// The claims we read beyond the registered ones jsonwebtoken validates. Every member is a raw
/// JSON value so that a wrongly typed claim becomes `invalid_claim` after the signature and time
/// checks, rather than a parse error that would pre-empt them. Duplicate members still fail the
/// parse (no parser-differential games).
#[derive(Deserialize)]
pub(crate) struct RawClaims {
    sub: Option<Value>,
    iat: Option<Value>,
    roles: Option<Value>,
    iin: Option<Value>,
    region: Option<Value>,
    name: Option<Value>,
    org: Option<Value>,
}

impl RawClaims {
    /// Turns verified claims into a principal. `now` and `leeway` check the optional `iat`.
    pub(crate) fn into_principal(self, now: u64, leeway: u64) -> Result<Principal, AuthError> {
        if let Some(iat) = &self.iat {
            // A NumericDate may carry a fraction (RFC 7519 §2).
            let iat = iat
                .as_f64()
                .filter(|t| t.is_finite() && *t >= 0.0)
                .ok_or(AuthError::InvalidClaim { claim: "iat" })?;
            if iat > now.saturating_add(leeway) as f64 {
                return Err(AuthError::NotYetValid);
            }
        }
        let subject = subject(self.sub.as_ref())?;
        match single_role(self.roles.as_ref())? {
            Role::Citizen => {
                let iin = required_str(self.iin.as_ref(), "iin")?
                    .parse::<Iin>()
                    .map_err(|_| AuthError::InvalidClaim { claim: "iin" })?;
                let region = required_str(self.region.as_ref(), "region")?
                    .parse::<Region>()
                    .map_err(|_| AuthError::InvalidClaim { claim: "region" })?;
                let display_name = display_name(self.name.as_ref())?;
                Ok(Principal::Citizen(Citizen {
                    subject,
                    iin,
                    region,
                    display_name,
                }))
            }
            Role::Official => {
                let organisation = required_str(self.org.as_ref(), "org")?
                    .parse::<BodyId>()
                    .map_err(|_| AuthError::InvalidClaim { claim: "org" })?;
                Ok(Principal::Official(Official {
                    subject,
                    organisation,
                }))
            }
            Role::Moderator => Ok(Principal::Moderator(Staff { subject })),
            Role::Admin => Ok(Principal::Admin(Staff { subject })),
        }
    }
}

fn required_str<'a>(value: Option<&'a Value>, claim: &'static str) -> Result<&'a str, AuthError> {
    match value {
        None => Err(AuthError::MissingClaim { claim }),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(AuthError::InvalidClaim { claim }),
    }
}

fn subject(value: Option<&Value>) -> Result<String, AuthError> {
    let sub = required_str(value, "sub")?;
    if sub.is_empty() || sub.len() > MAX_SUBJECT_LEN || sub.chars().any(char::is_control) {
        return Err(AuthError::InvalidClaim { claim: "sub" });
    }
    Ok(sub.to_owned())
}

/// Exactly one role. Several roles are refused rather than resolved by precedence: a token that
/// says both "citizen" and "admin" is a provisioning error we want to see, not to guess about.
fn single_role(value: Option<&Value>) -> Result<Role, AuthError> {
    const CLAIM: &str = "roles";
    let roles = match value {
        None => return Err(AuthError::MissingClaim { claim: CLAIM }),
        Some(Value::Array(roles)) => roles,
        Some(_) => return Err(AuthError::InvalidClaim { claim: CLAIM }),
    };
    match roles.as_slice() {
        [] => Err(AuthError::MissingClaim { claim: CLAIM }),
        [Value::String(role)] => role.parse().map_err(|_| AuthError::InvalidClaim { claim: CLAIM }),
        [_] => Err(AuthError::InvalidClaim { claim: CLAIM }),
        _ => Err(AuthError::AmbiguousRole),
    }
}

/// Optional display name: trimmed, at most 100 characters, no control or bidi-override characters
/// (names are shown on public pages and in exports). Empty means absent.
fn display_name(value: Option<&Value>) -> Result<Option<String>, AuthError> {
    const CLAIM: &str = "name";
    let name = match value {
        None => return Ok(None),
        Some(Value::String(s)) => s.trim(),
        Some(_) => return Err(AuthError::InvalidClaim { claim: CLAIM }),
    };
    let forbidden =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS || name.chars().any(forbidden) {
        return Err(AuthError::InvalidClaim { claim: CLAIM });
    }
    Ok((!name.is_empty()).then(|| name.to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;
    use serde_json::json;

    fn principal(claims: Value) -> Result<Principal, AuthError> {
        serde_json::from_value::<RawClaims>(claims)
            .unwrap()
            .into_principal(1_000, 5)
    }

    #[test]
    fn roles_map_to_typed_principals() {
        let citizen = principal(json!({"sub": "u1", "roles": ["citizen"], "iin": "900101300017",
            "region": "almaty-region", "name": "  Айгерим  "}))
        .unwrap();
        let Principal::Citizen(c) = &citizen else {
            panic!("not a citizen")
        };
        assert_eq!(c.region, Region::AlmatyRegion);
        assert_eq!(c.display_name.as_deref(), Some("Айгерим"));
        assert_eq!(citizen.role_name(), "citizen");
        assert_eq!(citizen.subject(), "u1");

        let official = principal(json!({"sub": "o", "roles": ["official"], "org": "government"})).unwrap();
        assert_eq!(official.role(), Role::Official);
        assert!(official.as_citizen().is_none());
        assert_eq!(
            principal(json!({"sub": "m", "roles": ["moderator"]}))
                .unwrap()
                .role(),
            Role::Moderator
        );
        assert_eq!(
            principal(json!({"sub": "a", "roles": ["admin"]})).unwrap().role(),
            Role::Admin
        );
    }

    #[test]
    fn claim_problems_are_typed() {
        let missing = |claim| Err(AuthError::MissingClaim { claim });
        let invalid = |claim| Err(AuthError::InvalidClaim { claim });
        assert_eq!(principal(json!({"sub": "a"})), missing("roles"));
        assert_eq!(principal(json!({"sub": "a", "roles": []})), missing("roles"));
        assert_eq!(principal(json!({"sub": "a", "roles": "admin"})), invalid("roles"));
        assert_eq!(
            principal(json!({"sub": "a", "roles": ["root"]})),
            invalid("roles")
        );
        assert_eq!(principal(json!({"sub": "a", "roles": [1]})), invalid("roles"));
        assert_eq!(
            principal(json!({"sub": "a", "roles": ["admin", "citizen"]})),
            Err(AuthError::AmbiguousRole)
        );
        assert_eq!(principal(json!({"sub": "", "roles": ["admin"]})), invalid("sub"));
        assert_eq!(principal(json!({"sub": 7, "roles": ["admin"]})), invalid("sub"));
        assert_eq!(
            principal(json!({"sub": "a", "iat": "x", "roles": ["admin"]})),
            invalid("iat")
        );
        assert!(principal(json!({"sub": "a", "iat": 999.5, "roles": ["admin"]})).is_ok());
        assert_eq!(
            principal(json!({"sub": "a", "iat": -1, "roles": ["admin"]})),
            invalid("iat")
        );
        assert_eq!(
            principal(json!({"sub": "a", "iat": 2_000, "roles": ["admin"]})),
            Err(AuthError::NotYetValid)
        );
        assert_eq!(
            principal(json!({"sub": "a", "roles": ["official"]})),
            missing("org")
        );
        assert_eq!(
            principal(json!({"sub": "a", "roles": ["official"], "org": "Gov!"})),
            invalid("org")
        );
        let citizen = |extra: Value| {
            let mut claims =
                json!({"sub": "c", "roles": ["citizen"], "iin": "900101300017", "region": "almaty"});
            claims
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            principal(claims)
        };
        assert!(citizen(json!({})).is_ok());
        assert_eq!(citizen(json!({"iin": "900101300018"})), invalid("iin"));
        assert_eq!(citizen(json!({"iin": 900101300017u64})), invalid("iin"));
        assert_eq!(citizen(json!({"region": "atlantis"})), invalid("region"));
        assert_eq!(citizen(json!({"name": "x".repeat(101)})), invalid("name"));
        assert_eq!(citizen(json!({"name": "evil\u{202E}txt"})), invalid("name"));
        assert_eq!(
            citizen(json!({"name": "   "}))
                .unwrap()
                .as_citizen()
                .unwrap()
                .display_name,
            None
        );
        assert_eq!(
            principal(json!({"sub": "c", "roles": ["citizen"], "region": "almaty"})),
            missing("iin")
        );
    }
}
