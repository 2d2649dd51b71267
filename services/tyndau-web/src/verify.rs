//! "Check the counts yourself": how to verify the public transparency log (ADR 0018), in the
//! reader's language, with this deployment's log address and keys filled into the commands.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode, Uri};

use crate::account::Visitor;
use crate::routes::{App, Failure, Params, html, params, rest_of};
use crate::views::Chrome;

/// The log's address and keys, when this site has a log.
pub struct LogKeys {
    pub url: String,
    pub log_key: String,
    pub witness_key: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    pub chrome: Chrome,
    pub keys: Option<LogKeys>,
    /// A published petition's id for the example command, when there is one.
    pub example_petition: String,
    pub query_api: String,
    pub public_url: String,
}

/// `GET /{lang}/verify`.
pub(crate) async fn page(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let t = lang.t();
    let site = &app.site;
    let keys = match (&site.ledger_url, &site.ledger_key, &site.witness_key) {
        (Some(url), Some(log_key), Some(witness_key)) => Some(LogKeys {
            url: url.clone(),
            log_key: log_key.clone(),
            witness_key: witness_key.clone(),
        }),
        _ => None,
    };
    let page = VerifyPage {
        chrome: Chrome::new(
            lang,
            t.verify_title.to_owned(),
            "",
            &rest_of(&uri),
            &site.query_api_url,
        )
        .with_visitor(&visitor),
        keys,
        example_petition: "<petition id>".to_owned(),
        query_api: site.query_api_url.clone(),
        public_url: site.public_url.clone(),
    };
    Ok(html(StatusCode::OK, &page))
}
