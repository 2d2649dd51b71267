//! The stylesheet, the live-counter script and the form helper script, compiled into the binary: no file system at run
//! time, and the CSP's `'self'` covers them.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};

const CSS: &str = include_str!("../static/site.css");
const JS: &str = include_str!("../static/live.js");
const FORMS_JS: &str = include_str!("../static/forms.js");
/// An hour: long enough to spare repeat downloads, short enough for a deploy to reach everyone.
const ASSET_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=3600");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, ASSET_CACHE),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

pub(crate) async fn js() -> Response {
    asset("text/javascript; charset=utf-8", JS)
}

pub(crate) async fn forms_js() -> Response {
    asset("text/javascript; charset=utf-8", FORMS_JS)
}
