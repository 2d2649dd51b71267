//! Writing an email: the notification (or a digest) in the person's language, with a stable
//! `Message-ID`, plain text and HTML, and a one-click unsubscribe link (RFC 8058).

use std::collections::HashMap;

use askama::Template;
use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use tyndau_auth::links::UnsubscribeLinks;
use tyndau_read_model::delivery::{DigestItem, DueEmail};

use super::texts::{Lang, Texts};

/// How long a one-click link works.
const LINK_LIFETIME: Duration = Duration::days(90);

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the address cannot be written to")]
    Address,
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the message could not be written: {0}")]
    Template(askama::Error),
}

/// One block of an email: what happened to one petition or consultation.
struct Section {
    heading: String,
    lines: Vec<String>,
    link: String,
}

/// What an email says, written out as plain text and as HTML.
struct Mail<'a> {
    lang: &'a str,
    subject: &'a str,
    sections: &'a [Section],
    read_more: String,
    why: String,
    stop_label: String,
    stop_url: &'a str,
    settings_label: String,
    settings_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail.txt")]
struct PlainMail<'a> {
    mail: &'a Mail<'a>,
}

#[derive(Template)]
#[template(path = "mail.html")]
struct HtmlMail<'a> {
    mail: &'a Mail<'a>,
}

/// Writes emails.
#[derive(Debug)]
pub struct Composer {
    texts: Texts,
    links: UnsubscribeLinks,
    from: Mailbox,
    /// The web front's public address, without a trailing slash.
    public_url: String,
    /// The domain of every `Message-ID`.
    domain: String,
}

impl Composer {
    pub fn new(
        texts: Texts,
        links: UnsubscribeLinks,
        from: Mailbox,
        public_url: &str,
        domain: String,
    ) -> Self {
        Self {
            texts,
            links,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
            domain,
        }
    }

    /// The `Message-ID` of one notification to one person: the same on every attempt, so a
    /// receiving server can tell a retry from a new message.
    pub fn message_id(&self, recipient: &str, event_key: &str) -> String {
        format!("<n.{}@{}>", short_hash(&[recipient, event_key]), self.domain)
    }

    /// One notification.
    pub fn notification(
        &self,
        due: &DueEmail,
        address: &str,
        contents: &HashMap<String, Value>,
        now: OffsetDateTime,
    ) -> Result<Message, ComposeError> {
        let lang = Lang::from_code(&due.language);
        let title = title(contents.get(&due.about), lang);
        let subject = self.texts.text(
            lang,
            &format!("subject-{}", due.kind),
            &[("title", title.clone())],
        );
        let section = Section {
            heading: title,
            lines: self.lines(lang, &due.kind, &due.details),
            link: self.page(lang, &due.about),
        };
        // Stopping from an email stops what this email is about: the proposal's answers for
        // a proposal, the petition or consultation otherwise.
        let scope = match (
            due.kind.as_str(),
            due.details.get("comment").and_then(Value::as_str),
        ) {
            ("proposal_answered" | "comment_replied" | "comment_hidden", Some(comment)) => {
                format!("comment:{comment}")
            }
            _ => due.about.clone(),
        };
        let message_id = self.message_id(&due.recipient, &due.event_key);
        self.build(
            lang,
            address,
            &subject,
            &[section],
            &due.recipient,
            &scope,
            &message_id,
            now,
            "stop-this",
        )
    }

    /// A digest: everything new since the last one, grouped by petition or consultation.
    pub fn digest(
        &self,
        recipient: &str,
        language: &str,
        address: &str,
        items: &[DigestItem],
        contents: &HashMap<String, Value>,
        now: OffsetDateTime,
    ) -> Result<Message, ComposeError> {
        let lang = Lang::from_code(language);
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<String>> = HashMap::new();
        for item in items {
            if !groups.contains_key(item.about.as_str()) {
                order.push(&item.about);
            }
            groups
                .entry(&item.about)
                .or_default()
                .extend(self.lines(lang, &item.kind, &item.details));
        }
        let sections: Vec<Section> = order
            .into_iter()
            .map(|about| Section {
                heading: title(contents.get(about), lang),
                lines: groups.remove(about).unwrap_or_default(),
                link: self.page(lang, about),
            })
            .collect();
        let subject = self
            .texts
            .text(lang, "subject-digest", &[("count", items.len().to_string())]);
        let upto = items.last().map_or(0, |item| item.id);
        let message_id = format!(
            "<d.{}@{}>",
            short_hash(&[recipient, &upto.to_string()]),
            self.domain
        );
        self.build(
            lang,
            address,
            &subject,
            &sections,
            recipient,
            "*",
            &message_id,
            now,
            "stop-all",
        )
    }

    #[allow(clippy::too_many_arguments)] // One private builder behind the two kinds of email.
    fn build(
        &self,
        lang: Lang,
        address: &str,
        subject: &str,
        sections: &[Section],
        recipient: &str,
        scope: &str,
        message_id: &str,
        now: OffsetDateTime,
        stop_text: &str,
    ) -> Result<Message, ComposeError> {
        let to: Mailbox = address.parse().map_err(|_| ComposeError::Address)?;
        let token = self.links.sign(recipient, scope, message_id, now + LINK_LIFETIME);
        // The RFC 8058 target takes a POST without a session; a GET shows a confirmation page.
        let stop_url = format!("{}/{}/unsubscribe?t={token}", self.public_url, lang.code());
        let settings_url = format!("{}/{}/me#notifications", self.public_url, lang.code());
        let t = |id: &str| self.texts.text(lang, id, &[]);
        let mail = Mail {
            lang: lang.code(),
            subject,
            sections,
            read_more: t("read-more"),
            why: t("why-you-get-this"),
            stop_label: t(stop_text),
            stop_url: &stop_url,
            settings_label: t("all-settings"),
            settings_url: &settings_url,
        };
        let plain = PlainMail { mail: &mail }
            .render()
            .map_err(ComposeError::Template)?;
        let html = HtmlMail { mail: &mail }
            .render()
            .map_err(ComposeError::Template)?;
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(subject))
            .message_id(Some(message_id.to_owned()))
            .date_now()
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                lang.code().to_owned(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{stop_url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ))
            // RFC 3834: no auto-replies to these.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_owned(),
            ))
            .multipart(MultiPart::alternative_plain_html(plain, html))?)
    }

    /// What happened, in sentences.
    fn lines(&self, lang: Lang, kind: &str, details: &Value) -> Vec<String> {
        let field = |name: &str| details.get(name).map(plain_value).unwrap_or_default();
        let code = |prefix: &str, name: &str| self.texts.code(lang, prefix, &field(name));
        let args: Vec<(&str, String)> = match kind {
            "petition_rejected" | "petition_stopped" | "comment_hidden" => vec![
                ("reason", code("reason", "reason")),
                ("explanation", one_line(&field("explanation"))),
            ],
            "petition_threshold_reached" => vec![
                ("signatures", field("signatures")),
                (
                    "due",
                    field("answer_due").get(..10).unwrap_or_default().to_owned(),
                ),
            ],
            "petition_answered" => vec![("decision", code("decision", "decision"))],
            "petition_closed" => vec![("count", field("final_count"))],
            "proposal_answered" => vec![("disposition", code("disposition", "disposition"))],
            "consultation_version" => vec![("version", field("version"))],
            _ => Vec::new(),
        };
        let mut lines = vec![self.texts.text(lang, &format!("line-{kind}"), &args)];
        if let Some(changed) = details.get("changed").filter(|c| !c.is_null()) {
            let get = |name: &str| changed.get(name).map(plain_value).unwrap_or_default();
            lines.push(self.texts.text(
                lang,
                "line-proposal_changed",
                &[("path", get("path")), ("version", get("version"))],
            ));
        }
        lines
    }

    /// The public page of `petition:<id>` or `consultation:<id>`.
    fn page(&self, lang: Lang, about: &str) -> String {
        match about.split_once(':') {
            Some(("petition", id)) => format!("{}/{}/petitions/{id}", self.public_url, lang.code()),
            Some(("consultation", id)) => format!("{}/{}/consultations/{id}", self.public_url, lang.code()),
            _ => format!("{}/{}/me", self.public_url, lang.code()),
        }
    }
}

/// The title in `lang`, else in another language, on one line (a title can never break a
/// header: CR, LF and other controls become spaces).
fn title(content: Option<&Value>, lang: Lang) -> String {
    let pick = |l: Lang| {
        content
            .and_then(|c| c.get(l.code()))
            .and_then(|c| c.get("title"))
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
    };
    let order = match lang {
        Lang::Kk => [Lang::Kk, Lang::Ru, Lang::En],
        Lang::Ru => [Lang::Ru, Lang::Kk, Lang::En],
        Lang::En => [Lang::En, Lang::Kk, Lang::Ru],
    };
    order
        .into_iter()
        .find_map(pick)
        .map_or_else(|| "Tyndau".to_owned(), one_line)
}

fn plain_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Control characters (CR and LF above all) become spaces; runs of spaces collapse.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn short_hash(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(&hash.finalize()[..16])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn composer() -> Composer {
        Composer::new(
            Texts::load().unwrap(),
            UnsubscribeLinks::new(&[9; 32]).unwrap(),
            "Tyndau <no-reply@tyndau.test>".parse().unwrap(),
            "http://127.0.0.1:8087/",
            "tyndau.test".to_owned(),
        )
    }

    fn due(kind: &str, details: Value) -> DueEmail {
        DueEmail {
            recipient: "ab".repeat(32),
            event_key: "petition:p1:7".to_owned(),
            attempts: 1,
            notification_id: 1,
            kind: kind.to_owned(),
            about: "petition:11111111-1111-1111-1111-111111111111".to_owned(),
            details,
            occurred_at: OffsetDateTime::now_utc(),
            language: "ru".to_owned(),
            email: None,
        }
    }

    #[test]
    fn a_title_with_line_breaks_cannot_add_a_header() {
        let contents = HashMap::from([(
            "petition:11111111-1111-1111-1111-111111111111".to_owned(),
            json!({ "ru": { "title": "Парк\r\nBcc: victim@example.com\r\n\r\nX" } }),
        )]);
        let message = composer()
            .notification(
                &due("petition_answered", json!({ "decision": "refused" })),
                "a@example.com",
                &contents,
                OffsetDateTime::now_utc(),
            )
            .unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(
            !raw.lines()
                .any(|line| line.to_ascii_lowercase().starts_with("bcc:")),
            "{raw}"
        );
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("List-Unsubscribe: <http://127.0.0.1:8087/ru/unsubscribe?t="));
        assert!(raw.contains("Message-ID: <n."));
    }

    #[test]
    fn the_message_id_is_the_same_on_every_attempt_and_differs_per_person() {
        let c = composer();
        assert_eq!(c.message_id("a", "e:1"), c.message_id("a", "e:1"));
        assert_ne!(c.message_id("a", "e:1"), c.message_id("b", "e:1"));
    }

    #[test]
    fn an_address_with_a_line_break_is_refused() {
        let result = composer().notification(
            &due("petition_closed", json!({ "final_count": 3 })),
            "a@example.com\r\nBcc: b@example.com",
            &HashMap::new(),
            OffsetDateTime::now_utc(),
        );
        assert!(matches!(result, Err(ComposeError::Address)));
    }
}
