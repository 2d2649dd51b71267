//! End-to-end verifier tests: real keys (dev Ed25519 and a P-256 key), real JWKS files, and the
//! attack catalogue from the reliability/security anchors (JWT rows 16–22).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tyndau_ids::{BodyId, Iin, Region};

use crate::dev::{DevClaims, DevKeys, DevSigner, JWKS_FILE, KEY_FILE};
use crate::{AuthConfig, AuthError, AuthSetupError, JwksSource, Principal, Role, Verifier, bearer_token};

const ISS: &str = "https://idp.tyndau.test";
const AUD: &str = "tyndau-api";
const IIN: &str = "900101300017";

/// A unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("tyndau-auth-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A second issuer key, ES256, to prove multi-algorithm key sets and cross-key confusion.
struct EcKey {
    pkcs8: Vec<u8>,
    point: Vec<u8>,
    kid: String,
}

impl EcKey {
    fn generate() -> Self {
        let doc =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new()).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, doc.as_ref()).unwrap();
        let point = pair.public_key().as_ref().to_vec();
        assert_eq!(point.len(), 65);
        Self {
            pkcs8: doc.as_ref().to_vec(),
            point,
            kid: "ec-1".into(),
        }
    }

    fn jwk(&self) -> Value {
        // No `alg`: the verifier derives ES256 from kty/crv.
        json!({"kty": "EC", "crv": "P-256", "kid": self.kid, "use": "sig",
            "x": URL_SAFE_NO_PAD.encode(&self.point[1..33]), "y": URL_SAFE_NO_PAD.encode(&self.point[33..])})
    }

    fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ec_der(&self.pkcs8)).unwrap()
    }
}

struct Fixture {
    dir: TempDir,
    dev: DevKeys,
    signer: DevSigner,
    ec: EcKey,
    verifier: Arc<Verifier>,
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn jwks_file(keys: &[Value]) -> String {
    json!({ "keys": keys }).to_string()
}

fn config_for(dir: &Path) -> AuthConfig {
    AuthConfig::new(ISS, AUD, JwksSource::Path(dir.join(JWKS_FILE)))
}

async fn fixture() -> Fixture {
    let dir = TempDir::new();
    let dev = DevKeys::generate().unwrap();
    dev.write_to(&dir.0).unwrap();
    let ec = EcKey::generate();
    std::fs::write(dir.0.join(JWKS_FILE), jwks_file(&[dev.public_jwk(), ec.jwk()])).unwrap();
    let verifier = Arc::new(Verifier::new(config_for(&dir.0)).await.unwrap());
    let signer = dev.signer().unwrap();
    Fixture {
        dir,
        dev,
        signer,
        ec,
        verifier,
    }
}

fn citizen_claims() -> Value {
    let now = now();
    json!({"iss": ISS, "aud": AUD, "sub": "citizen-1", "iat": now, "nbf": now, "exp": now + 600,
        "roles": ["citizen"], "iin": IIN, "region": "almaty", "name": "Айгерим"})
}

fn with(mut claims: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims
}

fn without(mut claims: Value, claim: &str) -> Value {
    claims.as_object_mut().unwrap().remove(claim);
    claims
}

impl Fixture {
    fn header(&self) -> Value {
        json!({"alg": "EdDSA", "typ": "JWT", "kid": self.dev.kid()})
    }

    fn sign(&self, claims: &Value) -> String {
        self.signer.sign_parts(&self.header(), claims).unwrap()
    }

    fn sign_with_header(&self, header: Value, claims: &Value) -> String {
        self.signer.sign_parts(&header, claims).unwrap()
    }

    fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        self.verifier.verify(token)
    }
}

fn unsigned(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn valid_tokens_for_every_role() {
    let f = fixture().await;
    let iin: Iin = IIN.parse().unwrap();

    let mut claims = DevClaims::citizen(ISS, AUD, "citizen-1", iin.clone(), Region::AlmatyRegion);
    claims.name = Some("Айгерим".into());
    let principal = f.verify(&f.signer.mint(&claims).unwrap()).unwrap();
    let Principal::Citizen(citizen) = &principal else {
        panic!("expected a citizen")
    };
    assert_eq!(citizen.subject, "citizen-1");
    assert_eq!(citizen.iin, iin);
    assert_eq!(citizen.region, Region::AlmatyRegion);
    assert_eq!(citizen.display_name.as_deref(), Some("Айгерим"));
    assert_eq!(principal.role_name(), "citizen");

    let moderator = f.verify(
        &f.signer
            .mint(&DevClaims::new(ISS, AUD, "mod-1", Role::Moderator))
            .unwrap(),
    );
    assert_eq!(
        moderator.unwrap(),
        Principal::Moderator(crate::Staff {
            subject: "mod-1".into()
        })
    );

    let org: BodyId = "akimat-almaty-city".parse().unwrap();
    let official = f.verify(
        &f.signer
            .mint(&DevClaims::official(ISS, AUD, "off-1", org.clone()))
            .unwrap(),
    );
    let Principal::Official(official) = official.unwrap() else {
        panic!("expected an official")
    };
    assert_eq!(official.organisation, org);

    let admin = f
        .verify(
            &f.signer
                .mint(&DevClaims::new(ISS, AUD, "adm-1", Role::Admin))
                .unwrap(),
        )
        .unwrap();
    assert_eq!((admin.role(), admin.subject()), (Role::Admin, "adm-1"));

    // The second key and algorithm, with an array audience and the `at+jwt` type.
    let claims = with(citizen_claims(), json!({"aud": ["other-api", AUD]}));
    let es256 = f.ec.sign(&claims);
    assert_eq!(f.verify(&es256).unwrap().role(), Role::Citizen);
    let at_jwt = f.sign_with_header(
        json!({"alg": "EdDSA", "typ": "AT+JWT", "kid": f.dev.kid()}),
        &claims,
    );
    assert!(f.verify(&at_jwt).is_ok());
    let no_typ = f.sign_with_header(json!({"alg": "EdDSA", "kid": f.dev.kid()}), &claims);
    assert!(f.verify(&no_typ).is_ok());
}

#[tokio::test]
async fn alg_none_and_algorithm_confusion_are_refused() {
    let f = fixture().await;
    let claims = citizen_claims();
    for alg in ["none", "None", "noNE", "NONE"] {
        for kid in [f.dev.kid(), f.ec.kid.as_str()] {
            let token = unsigned(&json!({"alg": alg, "typ": "JWT", "kid": kid}), &claims);
            assert_eq!(
                f.verify(&token),
                Err(AuthError::AlgorithmNotAllowed),
                "{alg} {kid}"
            );
        }
    }

    // HS256 with the public key as the HMAC secret (raw key bytes, and the JWKS text itself).
    let ed_public = URL_SAFE_NO_PAD
        .decode(f.dev.public_jwk()["x"].as_str().unwrap())
        .unwrap();
    let secrets = [(f.dev.kid(), ed_public), (f.ec.kid.as_str(), f.ec.point.clone())];
    for (kid, secret) in secrets {
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let mut header = Header::new(alg);
            header.kid = Some(kid.to_owned());
            let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&secret)).unwrap();
            assert_eq!(f.verify(&token), Err(AuthError::AlgorithmNotAllowed));
        }
    }
    let jwks_text = std::fs::read(f.dir.0.join(JWKS_FILE)).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(f.dev.kid().to_owned());
    let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&jwks_text)).unwrap();
    assert_eq!(f.verify(&token), Err(AuthError::AlgorithmNotAllowed));

    // The right family but not the pinned algorithm, and cross-key confusion.
    let lying = f.sign_with_header(json!({"alg": "ES256", "typ": "JWT", "kid": f.dev.kid()}), &claims);
    assert_eq!(f.verify(&lying), Err(AuthError::AlgorithmNotAllowed));
    let lowercase = f.sign_with_header(json!({"alg": "eddsa", "typ": "JWT", "kid": f.dev.kid()}), &claims);
    assert_eq!(f.verify(&lowercase), Err(AuthError::AlgorithmNotAllowed));
    let ed_signed_as_ec = f.sign_with_header(json!({"alg": "EdDSA", "kid": f.ec.kid}), &claims);
    assert_eq!(f.verify(&ed_signed_as_ec), Err(AuthError::AlgorithmNotAllowed));
    let ed_signed_claiming_ec = f.sign_with_header(json!({"alg": "ES256", "kid": f.ec.kid}), &claims);
    assert_eq!(f.verify(&ed_signed_claiming_ec), Err(AuthError::InvalidSignature));
}

#[tokio::test]
async fn time_claims_are_enforced_with_small_leeway() {
    let f = fixture().await;
    let now = now();
    let expired = f.sign(&with(citizen_claims(), json!({"exp": now - 60})));
    assert_eq!(f.verify(&expired), Err(AuthError::Expired));
    // 30 s past would pass jsonwebtoken's default 60 s leeway; ours is 5 s.
    let expired = f.ec.sign(&with(citizen_claims(), json!({"exp": now - 30})));
    assert_eq!(f.verify(&expired), Err(AuthError::Expired));
    let within_leeway = f.sign(&with(citizen_claims(), json!({"exp": now - 2})));
    assert!(f.verify(&within_leeway).is_ok());

    let future = f.sign(&with(citizen_claims(), json!({"nbf": now + 3600})));
    assert_eq!(f.verify(&future), Err(AuthError::NotYetValid));
    let issued_in_future = f.sign(&with(citizen_claims(), json!({"iat": now + 3600})));
    assert_eq!(f.verify(&issued_in_future), Err(AuthError::NotYetValid));

    let exp_as_string = f.sign(&with(citizen_claims(), json!({"exp": (now + 600).to_string()})));
    assert!(matches!(
        f.verify(&exp_as_string),
        Err(AuthError::MissingClaim { claim: "exp" } | AuthError::InvalidClaim { claim: "exp" })
    ));
}

#[tokio::test]
async fn issuer_audience_and_required_claims() {
    let f = fixture().await;
    let wrong_iss = f.sign(&with(citizen_claims(), json!({"iss": "https://evil.example"})));
    assert_eq!(f.verify(&wrong_iss), Err(AuthError::WrongIssuer));
    let wrong_aud = f.sign(&with(citizen_claims(), json!({"aud": "another-api"})));
    assert_eq!(f.verify(&wrong_aud), Err(AuthError::WrongAudience));
    let wrong_aud = f.sign(&with(citizen_claims(), json!({"aud": ["a", "b"]})));
    assert_eq!(f.verify(&wrong_aud), Err(AuthError::WrongAudience));

    for claim in ["exp", "nbf", "iss", "aud", "sub"] {
        let token = f.sign(&without(citizen_claims(), claim));
        assert_eq!(
            f.verify(&token),
            Err(AuthError::MissingClaim { claim }),
            "{claim}"
        );
    }
    let token = f.sign(&without(citizen_claims(), "roles"));
    assert_eq!(f.verify(&token), Err(AuthError::MissingClaim { claim: "roles" }));
    let token = f.sign(&without(citizen_claims(), "iat"));
    assert!(f.verify(&token).is_ok(), "iat is optional");
}

#[tokio::test]
async fn key_selection_and_integrity() {
    let f = fixture().await;
    let claims = citizen_claims();
    let unknown = f.sign_with_header(json!({"alg": "EdDSA", "kid": "not-a-key"}), &claims);
    assert_eq!(f.verify(&unknown), Err(AuthError::UnknownKey));
    let injected = f.sign_with_header(json!({"alg": "EdDSA", "kid": "' OR 1=1--"}), &claims);
    assert_eq!(f.verify(&injected), Err(AuthError::UnknownKey));
    let no_kid = f.sign_with_header(json!({"alg": "EdDSA", "typ": "JWT"}), &claims);
    assert_eq!(f.verify(&no_kid), Err(AuthError::UnknownKey));

    // A key embedded in the header is never used.
    let attacker = DevKeys::generate().unwrap();
    let embedded = attacker
        .signer()
        .unwrap()
        .sign_parts(
            &json!({"alg": "EdDSA", "kid": f.dev.kid(), "jwk": attacker.public_jwk()}),
            &claims,
        )
        .unwrap();
    assert_eq!(f.verify(&embedded), Err(AuthError::InvalidSignature));

    // Tampered payload and signature.
    let token = f.sign(&claims);
    let parts: Vec<&str> = token.split('.').collect();
    let promoted = URL_SAFE_NO_PAD.encode(with(claims.clone(), json!({"roles": ["admin"]})).to_string());
    let tampered = format!("{}.{promoted}.{}", parts[0], parts[2]);
    assert_eq!(f.verify(&tampered), Err(AuthError::InvalidSignature));
    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    signature[0] ^= 1;
    let tampered = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(signature));
    assert_eq!(f.verify(&tampered), Err(AuthError::InvalidSignature));
    let stripped = format!("{}.{}.", parts[0], parts[1]);
    assert_eq!(f.verify(&stripped), Err(AuthError::InvalidSignature));
}

#[tokio::test]
async fn malformed_tokens_and_types() {
    let f = fixture().await;
    let claims = citizen_claims();
    assert_eq!(f.verify(""), Err(AuthError::MissingToken));
    for garbage in ["abc", "a.b", "a.b.c.d", "!!.e30.x", "e30.e30.x", "W10.e30.x"] {
        assert_eq!(f.verify(garbage), Err(AuthError::MalformedToken), "{garbage}");
    }
    let huge = format!("{}.{}.x", "a".repeat(5000), "b".repeat(5000));
    assert_eq!(f.verify(&huge), Err(AuthError::MalformedToken));
    let crit = f.sign_with_header(
        json!({"alg": "EdDSA", "kid": f.dev.kid(), "crit": ["exp"]}),
        &claims,
    );
    assert_eq!(f.verify(&crit), Err(AuthError::MalformedToken));
    let duplicate_member = format!(
        "{}.{}.x",
        URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"EdDSA","kid":"{}","kid":"x"}}"#, f.dev.kid())),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    assert_eq!(f.verify(&duplicate_member), Err(AuthError::MalformedToken));
    let not_an_object = f.sign_with_header(f.header(), &json!(["not", "claims"]));
    assert_eq!(f.verify(&not_an_object), Err(AuthError::MalformedToken));

    for typ in ["refresh+jwt", "id+jwt", "JOSE", ""] {
        let token = f.sign_with_header(json!({"alg": "EdDSA", "typ": typ, "kid": f.dev.kid()}), &claims);
        assert_eq!(f.verify(&token), Err(AuthError::WrongTokenType), "{typ}");
    }
}

#[tokio::test]
async fn role_and_identity_claims() {
    let f = fixture().await;
    let bad_iin = f.sign(&with(citizen_claims(), json!({"iin": "900101300018"})));
    assert_eq!(f.verify(&bad_iin), Err(AuthError::InvalidClaim { claim: "iin" }));
    let unknown_region = f.sign(&with(citizen_claims(), json!({"region": "narnia"})));
    assert_eq!(
        f.verify(&unknown_region),
        Err(AuthError::InvalidClaim { claim: "region" })
    );
    let several = f.sign(&with(citizen_claims(), json!({"roles": ["citizen", "admin"]})));
    assert_eq!(f.verify(&several), Err(AuthError::AmbiguousRole));
    let official_without_org = f.sign(&with(citizen_claims(), json!({"roles": ["official"]})));
    assert_eq!(
        f.verify(&official_without_org),
        Err(AuthError::MissingClaim { claim: "org" })
    );
    let long_name = f.sign(&with(citizen_claims(), json!({"name": "ж".repeat(101)})));
    assert_eq!(
        f.verify(&long_name),
        Err(AuthError::InvalidClaim { claim: "name" })
    );
}

#[tokio::test]
async fn debug_and_errors_never_reveal_the_iin_or_token() {
    let f = fixture().await;
    let principal = f.verify(&f.sign(&citizen_claims())).unwrap();
    let printed = format!("{principal:?}");
    assert!(!printed.contains(IIN) && !printed.contains("900101"), "{printed}");

    let secretish = "https://evil.example/900101300017";
    let cases = [
        with(citizen_claims(), json!({"iin": "900101300018"})),
        with(citizen_claims(), json!({"iss": secretish})),
        with(citizen_claims(), json!({"aud": secretish})),
        with(citizen_claims(), json!({"region": IIN})),
        with(citizen_claims(), json!({"roles": [IIN]})),
        with(citizen_claims(), json!({"sub": 900_101_300_017u64})),
        with(citizen_claims(), json!({"exp": 1})),
    ];
    for claims in cases {
        let token = f.sign(&claims);
        let error = f.verify(&token).unwrap_err();
        let printed = format!("{error} {error:?} {}", error.code());
        assert!(!printed.contains("900101"), "{printed}");
        assert!(
            !printed.contains("evil") && !printed.contains(&token[..20]),
            "{printed}"
        );
    }
}

#[tokio::test]
async fn key_rotation_swaps_keys_and_failed_reloads_keep_the_old_ones() {
    let f = fixture().await;
    let old_token = f.sign(&citizen_claims());
    assert!(f.verify(&old_token).is_ok());

    // A broken document must not replace working keys.
    let jwks_path = f.dir.0.join(JWKS_FILE);
    std::fs::write(&jwks_path, "{ not json").unwrap();
    assert!(matches!(f.verifier.reload().await, Err(AuthSetupError::Parse(_))));
    std::fs::write(
        &jwks_path,
        r#"{"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]}"#,
    )
    .unwrap();
    assert!(matches!(
        f.verifier.reload().await,
        Err(AuthSetupError::NoUsableKeys)
    ));
    assert!(f.verify(&old_token).is_ok());

    let next = DevKeys::generate().unwrap();
    assert_ne!(next.kid(), f.dev.kid());
    let new_token = next
        .signer()
        .unwrap()
        .mint(&DevClaims::new(ISS, AUD, "adm", Role::Admin))
        .unwrap();
    assert_eq!(f.verify(&new_token), Err(AuthError::UnknownKey));
    std::fs::write(&jwks_path, next.jwks_json()).unwrap();
    assert_eq!(f.verifier.reload().await.unwrap(), 1);
    assert_eq!(f.verify(&old_token), Err(AuthError::UnknownKey));
    assert_eq!(f.verify(&new_token).unwrap().role(), Role::Admin);
}

#[tokio::test]
async fn background_refresh_picks_up_a_rotated_key_and_stops_on_shutdown() {
    let dir = TempDir::new();
    let first = DevKeys::generate().unwrap();
    first.write_to(&dir.0).unwrap();
    let mut config = config_for(&dir.0);
    config.refresh_seconds = 1;
    let verifier = Arc::new(Verifier::new(config).await.unwrap());
    let shutdown = CancellationToken::new();
    let task = verifier.spawn_refresh(shutdown.clone());

    let old_token = first
        .signer()
        .unwrap()
        .mint(&DevClaims::new(ISS, AUD, "m", Role::Moderator))
        .unwrap();
    let next = DevKeys::generate().unwrap();
    let new_token = next
        .signer()
        .unwrap()
        .mint(&DevClaims::new(ISS, AUD, "m", Role::Moderator))
        .unwrap();
    assert!(verifier.verify(&old_token).is_ok());
    next.write_to(&dir.0).unwrap();

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while verifier.verify(&new_token).is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "refresh did not pick up the new key"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(verifier.verify(&old_token), Err(AuthError::UnknownKey));

    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn jwks_can_be_fetched_over_http_from_loopback() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let keys = DevKeys::generate().unwrap();
    let body = keys.jwks_json();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await.unwrap();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
    });
    let config = AuthConfig::new(
        ISS,
        AUD,
        JwksSource::Url(format!("http://127.0.0.1:{}/jwks", addr.port())),
    );
    let verifier = Verifier::new(config).await.unwrap();
    server.await.unwrap();
    let token = keys
        .signer()
        .unwrap()
        .mint(&DevClaims::new(ISS, AUD, "a", Role::Admin))
        .unwrap();
    assert!(verifier.verify(&token).is_ok());

    let plain_http = AuthConfig::new(ISS, AUD, JwksSource::Url("http://idp.example/jwks".into()));
    assert!(matches!(
        Verifier::new(plain_http).await,
        Err(AuthSetupError::Config(_))
    ));
    let missing = AuthConfig::new(ISS, AUD, JwksSource::Path("/nonexistent/tyndau/jwks.json".into()));
    assert!(matches!(
        Verifier::new(missing).await,
        Err(AuthSetupError::Read { .. })
    ));
}

#[test]
fn dev_keys_round_trip_through_files() {
    let dir = TempDir::new();
    let keys = DevKeys::generate().unwrap();
    keys.write_to(&dir.0).unwrap();
    let loaded = DevKeys::load_from(&dir.0).unwrap();
    assert_eq!(loaded.kid(), keys.kid());
    assert_eq!(loaded.public_jwk(), keys.public_jwk());
    let private_b64 = std::fs::read_to_string(dir.0.join(KEY_FILE)).unwrap();
    assert!(!format!("{keys:?} {:?}", keys.signer().unwrap()).contains(&private_b64.trim()[20..40]));

    let jwk = &serde_json::from_str::<Value>(&std::fs::read_to_string(dir.0.join(JWKS_FILE)).unwrap())
        .unwrap()["keys"][0];
    assert_eq!(
        (jwk["kty"].as_str(), jwk["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    assert_eq!(
        (jwk["alg"].as_str(), jwk["use"].as_str()),
        (Some("EdDSA"), Some("sig"))
    );
    assert_eq!(jwk["kid"].as_str(), Some(keys.kid()));
    assert!(jwk.get("d").is_none(), "the JWKS must not carry the private key");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::write(dir.0.join(KEY_FILE), "not base64!").unwrap();
    assert!(DevKeys::load_from(&dir.0).is_err());
}

#[test]
fn minting_is_fast_enough_for_per_citizen_benchmarks() {
    let keys = DevKeys::generate().unwrap();
    let signer = keys.signer().unwrap();
    let config = AuthConfig::new(ISS, AUD, JwksSource::Path("unused".into()));
    let verifier = Verifier::from_jwks_json(config, keys.jwks_json().as_bytes()).unwrap();
    let birth = time::macros::date!(1990 - 05 - 17);
    let started = std::time::Instant::now();
    let mut minted = 0;
    for serial in 0..2_000u16 {
        let Some(iin) = tyndau_ids::synthesize_iin(birth, tyndau_ids::Sex::Female, serial) else {
            continue;
        };
        let claims = DevClaims::citizen(ISS, AUD, format!("citizen-{serial}"), iin, Region::Shymkent);
        let token = signer.mint(&claims).unwrap();
        assert_eq!(verifier.verify(&token).unwrap().role(), Role::Citizen);
        minted += 1;
    }
    // Generous bound (unoptimised build, shared 2-core box): mint + verify well over 100/s.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{minted} tokens took {:?}",
        started.elapsed()
    );
}

#[test]
fn bearer_header_parsing() {
    assert_eq!(bearer_token(Some("Bearer abc.def.ghi")), Ok("abc.def.ghi"));
    assert_eq!(bearer_token(Some("bearer   abc ")), Ok("abc"));
    assert_eq!(bearer_token(None), Err(AuthError::MissingToken));
    assert_eq!(bearer_token(Some("  ")), Err(AuthError::MissingToken));
    assert_eq!(bearer_token(Some("Bearer ")), Err(AuthError::MissingToken));
    assert_eq!(
        bearer_token(Some("Basic dXNlcjpwYXNz")),
        Err(AuthError::MalformedToken)
    );
    assert_eq!(bearer_token(Some("abc.def.ghi")), Err(AuthError::MalformedToken));
}

#[test]
fn every_error_has_a_distinct_stable_code() {
    let all = [
        AuthError::MissingToken,
        AuthError::MalformedToken,
        AuthError::UnknownKey,
        AuthError::AlgorithmNotAllowed,
        AuthError::InvalidSignature,
        AuthError::Expired,
        AuthError::NotYetValid,
        AuthError::WrongIssuer,
        AuthError::WrongAudience,
        AuthError::MissingClaim { claim: "sub" },
        AuthError::InvalidClaim { claim: "iin" },
        AuthError::AmbiguousRole,
        AuthError::WrongTokenType,
    ];
    let codes: std::collections::HashSet<_> = all.iter().map(AuthError::code).collect();
    assert_eq!(codes.len(), all.len());
    assert!(codes.contains("algorithm_not_allowed") && codes.contains("wrong_token_type"));
}
