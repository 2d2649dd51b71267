//! What the tests of the signed-in web front share: a [`Site`] (a whole platform, the real
//! development identity provider from `deploy/idp` as a child process, and the web front
//! configured as its relying party) and a [`Browser`] that follows redirects and keeps cookies
//! per origin, the way a browser without script does.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tyndau_auth::dev::DevKeys;
use tyndau_config::{HttpSettings, SecretString};
use tyndau_testkit::{AUDIENCE, TestPlatform};
use tyndau_web::account::{Accounts, CommandApiSettings, Oidc, OidcSettings, SessionSettings};

pub const CLIENT_ID: &str = "tyndau-web";
/// Every demo account's password (`deploy/idp/accounts.json`).
pub const PASSWORD: &str = "demo";

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The identity provider needs node and its packages (`npm ci` in deploy/idp).
fn idp_prerequisites() -> PathBuf {
    let idp = repository_root().join("deploy/idp");
    assert!(
        idp.join("node_modules/oidc-provider").is_dir(),
        "deploy/idp/node_modules is missing: run `npm ci` in deploy/idp (scripts/test.sh does it)"
    );
    idp
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A platform with its web front signed in to through a real OpenID Provider.
pub struct Site {
    pub platform: TestPlatform,
    pub web: String,
    pub idp: String,
    pub accounts: Arc<Accounts>,
    idp_process: tokio::process::Child,
    dir: PathBuf,
    shutdown: CancellationToken,
}

impl Site {
    pub async fn spawn() -> Self {
        Self::spawn_with(json!({})).await
    }

    /// Like [`spawn`](Self::spawn), with more top-level command API settings (e.g. `policy`).
    pub async fn spawn_with(command_overrides: Value) -> Self {
        let idp_dir = idp_prerequisites();
        let dir = std::env::temp_dir().join(format!("tyndau-site-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let keys = DevKeys::generate().unwrap();
        keys.write_to(&dir).unwrap();

        // The web front's address first: the provider must know its callback.
        let listener = tyndau_http::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
        let web = format!("http://{}", listener.local_addr().unwrap());
        let secret = format!("secret-{}", uuid::Uuid::now_v7().simple());
        let clients = dir.join("clients.json");
        std::fs::write(
            &clients,
            json!([{
                "client_id": CLIENT_ID,
                "client_secret": secret,
                "redirect_uris": [format!("{web}/auth/callback")],
                "post_logout_redirect_uris": [format!("{web}/")],
            }])
            .to_string(),
        )
        .unwrap();
        // A port picked free can be taken by another test's provider before ours binds it; ours
        // then exits, and the other answers in its place. The health answer names the process
        // that gave it, so only our own counts; otherwise try another port.
        let client = reqwest::Client::new();
        let mut attempt = 0;
        let (idp, idp_process) = loop {
            attempt += 1;
            let port = free_port();
            let idp = format!("http://127.0.0.1:{port}");
            let log = std::fs::File::create(dir.join("idp.log")).unwrap();
            let mut child = tokio::process::Command::new("node")
                .arg("--title=tyndau-idp")
                .arg(idp_dir.join("server.mjs"))
                .env("IDP_PORT", port.to_string())
                .env("IDP_ISSUER", &idp)
                .env("IDP_KEY_DIR", &dir)
                .env("IDP_CLIENTS", &clients)
                .env("IDP_API_AUDIENCE", AUDIENCE)
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .kill_on_drop(true)
                .spawn()
                .expect("node starts (apt-get install nodejs)");
            let pid = child.id().map(|id| id.to_string());
            let deadline = Instant::now() + Duration::from_secs(30);
            let started = loop {
                if child.try_wait().ok().flatten().is_some() {
                    break false;
                }
                if let Ok(r) = client.get(format!("{idp}/health")).send().await
                    && r.status() == StatusCode::OK
                    && r.headers().get("x-process-id").and_then(|v| v.to_str().ok()) == pid.as_deref()
                {
                    break true;
                }
                assert!(
                    Instant::now() < deadline,
                    "the identity provider did not start:\n{}",
                    std::fs::read_to_string(dir.join("idp.log")).unwrap_or_default()
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            if started {
                break (idp, child);
            }
            assert!(
                attempt < 5,
                "the identity provider exited:\n{}",
                std::fs::read_to_string(dir.join("idp.log")).unwrap_or_default()
            );
        };

        let mut overrides = json!({
            "http": { "addr": "127.0.0.1:0", "request_timeout_ms": 30_000, "trusted_proxies": ["127.0.0.1"] }
        });
        if let (Some(all), Some(more)) = (overrides.as_object_mut(), command_overrides.as_object()) {
            all.extend(more.clone());
        }
        let platform = TestPlatform::spawn_for(overrides, &idp, keys).await;
        let oidc = Arc::new(
            Oidc::new(OidcSettings {
                issuer: idp.clone(),
                client_id: CLIENT_ID.to_owned(),
                client_secret: SecretString::from(secret),
                redirect_url: format!("{web}/auth/callback"),
                post_logout_redirect_url: format!("{web}/"),
                api_audience: AUDIENCE.to_owned(),
                scopes: vec!["profile".to_owned(), "email".to_owned(), "tyndau".to_owned()],
                refresh_seconds: 300,
            })
            .unwrap(),
        );
        oidc.discover()
            .await
            .expect("discovery of the identity provider works");
        let accounts = Arc::new(
            Accounts::new(
                oidc,
                &CommandApiSettings {
                    url: platform.command_url().to_owned(),
                    timeout_ms: 30_000,
                },
                SessionSettings::default(),
                &web,
            )
            .unwrap(),
        );
        let shutdown = CancellationToken::new();
        let router = tyndau_web::router_with(
            platform.pool().clone(),
            &HttpSettings {
                request_timeout_ms: 30_000,
                ..HttpSettings::on(([127, 0, 0, 1], 0).into())
            },
            &tyndau_web::SiteSettings {
                public_url: web.clone(),
                ..tyndau_web::SiteSettings::with_query_api(platform.query_url())
            },
            Some(accounts.clone()),
            shutdown.child_token(),
        );
        tokio::spawn(tyndau_http::serve(listener, router, shutdown.child_token()));
        Self {
            platform,
            web,
            idp,
            accounts,
            idp_process,
            dir,
            shutdown,
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new()
    }

    /// The key id of the platform's (and the provider's) signing key.
    pub fn kid(&self) -> String {
        DevKeys::load_from(&self.dir).unwrap().kid().to_owned()
    }

    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        let _ = self.idp_process.kill().await;
        let _ = std::fs::remove_dir_all(&self.dir);
        self.platform.shutdown().await;
    }
}

/// One response as a browser sees it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub url: String,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// The value of a hidden or visible `<input name="…" value="…">`.
    pub fn input(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(html_unescape(&self.body[start..end]))
    }

    /// The `action` of the form that contains `needle`.
    pub fn form_action_containing(&self, needle: &str) -> Option<String> {
        let at = self.body.find(needle)?;
        let start = self.body[..at].rfind("<form")?;
        let tag = &self.body[start..];
        let action = tag.find("action=\"")? + 8;
        let end = tag[action..].find('"')? + action;
        Some(html_unescape(&tag[action..end]))
    }
}

pub fn html_unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// A browser without script: follows redirects, keeps cookies per origin, sends what a browser
/// sends with a form (`Origin`, `Sec-Fetch-Site`).
pub struct Browser {
    client: reqwest::Client,
    jar: Mutex<HashMap<String, BTreeMap<String, String>>>,
}

fn origin_of(url: &str) -> String {
    let parsed = reqwest::Url::parse(url).unwrap();
    format!(
        "{}://{}:{}",
        parsed.scheme(),
        parsed.host_str().unwrap_or_default(),
        parsed.port_or_known_default().unwrap_or_default()
    )
}

impl Browser {
    pub fn new() -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            jar: Mutex::new(HashMap::new()),
        }
    }

    /// The cookies this browser holds for `url`'s origin.
    pub fn cookies(&self, url: &str) -> BTreeMap<String, String> {
        self.jar
            .lock()
            .unwrap()
            .get(&origin_of(url))
            .cloned()
            .unwrap_or_default()
    }

    pub fn set_cookie(&self, url: &str, name: &str, value: &str) {
        self.jar
            .lock()
            .unwrap()
            .entry(origin_of(url))
            .or_default()
            .insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self, url: &str) -> Option<String> {
        let cookies = self.cookies(url);
        (!cookies.is_empty()).then(|| {
            cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn keep_cookies(&self, url: &str, headers: &reqwest::header::HeaderMap) {
        let mut jar = self.jar.lock().unwrap();
        let cookies = jar.entry(origin_of(url)).or_default();
        for value in headers.get_all(reqwest::header::SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let mut parts = value.split(';');
            let Some((name, val)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let expired = parts.any(|p| {
                let p = p.trim().to_ascii_lowercase();
                p == "max-age=0" || p.starts_with("expires=thu, 01 jan 1970")
            });
            if expired {
                cookies.remove(name.trim());
            } else {
                cookies.insert(name.trim().to_owned(), val.trim().to_owned());
            }
        }
    }

    /// One request, no redirect followed.
    pub async fn request(
        &self,
        method: Method,
        url: &str,
        form: Option<&[(&str, &str)]>,
        extra: &[(&str, &str)],
    ) -> Page {
        let mut request = self.client.request(method, url);
        if let Some(cookie) = self.cookie_header(url) {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        for (k, v) in extra {
            request = request.header(*k, *v);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        self.keep_cookies(url, &headers);
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| reqwest::Url::parse(url).unwrap().join(l).unwrap().to_string());
        Page {
            status,
            url: url.to_owned(),
            location,
            headers,
            body: response.text().await.unwrap_or_default(),
        }
    }

    /// GET, following redirects.
    pub async fn get(&self, url: &str) -> Page {
        self.follow(self.request(Method::GET, url, None, &[]).await).await
    }

    /// A form post as a browser sends it from a page of `origin`, following redirects.
    pub async fn post(&self, url: &str, form: &[(&str, &str)]) -> Page {
        let origin = origin_of(url);
        let origin = origin.trim_end_matches(":80").to_owned();
        let page = self
            .request(
                Method::POST,
                url,
                Some(form),
                &[("origin", &origin), ("sec-fetch-site", "same-origin")],
            )
            .await;
        self.follow(page).await
    }

    /// A `multipart/form-data` post (a form with a file field), following redirects; `files`
    /// are (field, file name, content).
    pub async fn post_multipart(
        &self,
        url: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str)],
    ) -> Page {
        let origin = origin_of(url);
        let origin = origin.trim_end_matches(":80").to_owned();
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, file, content) in files {
            let part = reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
                .file_name(file.to_string())
                .mime_str("text/plain")
                .unwrap();
            form = form.part(name.to_string(), part);
        }
        let mut request = self
            .client
            .post(url)
            .header("origin", &origin)
            .header("sec-fetch-site", "same-origin")
            .multipart(form);
        if let Some(cookie) = self.cookie_header(url) {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        self.keep_cookies(url, &headers);
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|l| reqwest::Url::parse(url).unwrap().join(l).unwrap().to_string());
        let page = Page {
            status,
            url: url.to_owned(),
            location,
            headers,
            body: response.text().await.unwrap_or_default(),
        };
        self.follow(page).await
    }

    pub async fn follow(&self, mut page: Page) -> Page {
        for _ in 0..20 {
            match (&page.location, page.status.is_redirection()) {
                (Some(next), true) => {
                    let next = next.clone();
                    page = self.request(Method::GET, &next, None, &[]).await;
                }
                _ => return page,
            }
        }
        panic!("too many redirects, last {}", page.url)
    }

    /// Signs in at `web` as the demo account `login`, starting from `/auth/login` with
    /// `return_to`; returns the page the browser lands on.
    pub async fn sign_in(&self, web: &str, login: &str, return_to: &str) -> Page {
        let start = format!("{web}/auth/login?return_to={}", url_encode(return_to));
        let login_page = self.get(&start).await;
        assert_eq!(login_page.status, StatusCode::OK, "{}", login_page.body);
        let action = login_page
            .form_action_containing("name=\"password\"")
            .unwrap_or_else(|| panic!("no login form at {}:\n{}", login_page.url, login_page.body));
        let action = reqwest::Url::parse(&login_page.url)
            .unwrap()
            .join(&action)
            .unwrap()
            .to_string();
        let lang = login_page.input("lang").unwrap_or_else(|| "kk".to_owned());
        self.post(
            &action,
            &[("login", login), ("password", PASSWORD), ("lang", &lang)],
        )
        .await
    }
}

pub fn url_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An open consultation of the Government with the given provisions (kk and ru texts), visible
/// in the read model when it returns.
pub async fn open_consultation(site: &Site, provisions: Value) -> String {
    let platform = &site.platform;
    let official = platform.official_token("government");
    let created = platform
        .post(
            "/consultations",
            Some(&official),
            Some(json!({
                "content": {
                    "kk": { "title": "Ашық бюджет туралы заң жобасы", "summary": "Қысқаша.", "explanatory_note": "Жазба." },
                    "ru": { "title": "Проект закона об открытом бюджете", "summary": "Кратко.", "explanatory_note": "Записка." }
                },
                "provisions": provisions,
            })),
        )
        .await;
    let id = created.expect_status(201)["consultation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let closes_at = (time::OffsetDateTime::now_utc() + time::Duration::days(40))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    platform
        .post(
            &format!("/consultations/{id}/open"),
            Some(&official),
            Some(json!({ "closes_at": closes_at })),
        )
        .await
        .expect_status(200);
    tyndau_testkit::eventually(
        || async { platform.get(&format!("/consultations/{id}")).await.body["status"] == "open" },
        tyndau_testkit::PATIENCE,
    )
    .await;
    id
}
