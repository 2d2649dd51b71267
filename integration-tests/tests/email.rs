//! Email, through HTTP against the real PostgreSQL, NATS and a real SMTP server
//! (`deploy/mail`): every signer of a 10,000-signer petition gets exactly one email about the
//! answer, in their language, across a notifier and a mail sender killed mid-work; mail waits
//! while the relay is down and goes when it is back; a refused address is disabled and the
//! person is told why; one-click links work once, forged or expired ones are refused; a follower
//! of a state body hears of its new consultation; an erased person gets nothing more.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;
use tyndau_testkit::{Mailbox, PATIENCE, Reply, TestPlatform, eventually};

const PUBLIC: &str = "http://tyndau.test";

async fn set_email(platform: &TestPlatform, token: &str, email: &str, language: &str) -> Value {
    Reply::read(
        platform
            .command(Method::PUT, "/me/notification-settings", Some(token))
            .json(&json!({ "language": language, "frequency": "immediate", "email": email })),
    )
    .await
    .expect_status(200)
    .clone()
}

/// A published petition to the Government past its (test) threshold of `signers`, awaiting its
/// answer; then each signer gives an address `s{n}@example.test` in kk, ru and en in turn.
async fn signed_petition(platform: &TestPlatform, signers: u32) -> String {
    let petition = platform.open_petition("government").await;
    let tokens: Vec<String> = (0..signers).map(|n| platform.citizen_token(1_000 + n)).collect();
    let statuses = platform.sign_all(&petition, tokens.clone(), 64).await;
    assert!(
        statuses.iter().all(|s| s.as_u16() == 201),
        "every signature is taken"
    );
    platform
        .await_count_within(&petition, i64::from(signers), Duration::from_secs(120))
        .await;
    platform.await_answer_due(&petition).await;
    // Addresses after the threshold: the answer is the one email each (the threshold's
    // notification is in their inboxes).
    futures::future::join_all(tokens.chunks(250).enumerate().map(|(chunk, tokens)| async move {
        for (i, token) in tokens.iter().enumerate() {
            let n = chunk * 250 + i;
            let language = ["kk", "ru", "en"][n % 3];
            set_email(platform, token, &format!("s{n}@example.test"), language).await;
        }
    }))
    .await;
    petition
}

async fn answer(platform: &TestPlatform, petition: &str) {
    platform
        .post(
            &format!("/petitions/{petition}/answer"),
            Some(&platform.official_token("government")),
            Some(
                json!({ "decision": "partially_satisfied", "text": { "kk": "Ішінара.", "ru": "Частично." } }),
            ),
        )
        .await
        .expect_status(200);
}

/// Waits until the mailbox holds at least `count` messages.
async fn delivered_at_least(mailbox: &Mailbox, count: usize, within: Duration) {
    let deadline = std::time::Instant::now() + within;
    while mailbox.delivered().len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "only {} of {count} emails arrived",
            mailbox.delivered().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    let prefix = format!("{name}: ");
    message.lines().find_map(|line| line.strip_prefix(&prefix))
}

/// The decoded subject and plain-text body of a message from the mailbox's store.
fn read(message: &str) -> (String, String) {
    // The store's "From " separator line is not part of the message.
    let raw = message.split_once('\n').map_or(message, |(_, rest)| rest);
    let parsed = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .unwrap();
    (
        parsed.subject().unwrap_or_default().to_owned(),
        parsed.body_text(0).unwrap_or_default().into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_signers_get_one_email_each_across_crashes() {
    const SIGNERS: u32 = 10_000;
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": SIGNERS, "startup_signatures": 1 }
    }))
    .await;
    let mailbox = Mailbox::start().await;
    platform.start_notifier().await;
    let petition = signed_petition(&platform, SIGNERS).await;
    platform.start_mailer(&mailbox, PUBLIC, json!({})).await;

    answer(&platform, &petition).await;
    // The notifier dies like `kill -9` while it fans the answer out (or just after), and the
    // sender dies mid-send; both come back.
    tokio::time::sleep(Duration::from_millis(30)).await;
    platform.crash_notifier().await;
    platform.start_notifier().await;
    delivered_at_least(&mailbox, 3_000, Duration::from_secs(120)).await;
    platform.crash_mailer().await;
    platform.start_mailer(&mailbox, PUBLIC, json!({})).await;
    delivered_at_least(&mailbox, SIGNERS as usize, Duration::from_secs(180)).await;
    // Give a duplicate the time to show up, then count per recipient.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = mailbox.delivered();
    let mut per_recipient: HashMap<&str, usize> = HashMap::new();
    for message in &delivered {
        *per_recipient.entry(message.recipient.as_str()).or_default() += 1;
    }
    assert_eq!(per_recipient.len(), SIGNERS as usize, "every signer, nobody else");
    assert!(
        per_recipient.values().all(|&n| n == 1),
        "one email each: {:?}",
        per_recipient.iter().find(|(_, n)| **n != 1)
    );
    // The store keeps a Message-ID once: what the sender re-sent after its crash (sent, not yet
    // marked) is counted apart, and is bounded by what it marks at a time.
    let redelivered = mailbox.redelivered();
    assert!(redelivered <= 64 + 8, "{redelivered} emails were sent twice");
    let pending: i64 =
        tyndau_db::sqlx::query_scalar("SELECT count(*) FROM notification_outbox WHERE sent_at IS NULL")
            .fetch_one(platform.pool())
            .await
            .unwrap();
    assert_eq!(pending, 0);

    // In each one's language, with a one-click unsubscribe.
    for n in 0..3 {
        let address = format!("s{n}@example.test");
        let messages = mailbox.messages_to(&address);
        assert_eq!(messages.len(), 1, "{address}");
        for message in &messages {
            assert_eq!(header(message, "Content-Language"), Some(["kk", "ru", "en"][n]));
            assert_eq!(
                header(message, "List-Unsubscribe-Post"),
                Some("List-Unsubscribe=One-Click")
            );
            assert!(
                header(message, "List-Unsubscribe").is_some_and(
                    |u| u.starts_with(&format!("<{PUBLIC}/{}/unsubscribe?t=", ["kk", "ru", "en"][n]))
                ),
                "{message}"
            );
        }
    }
    let english = mailbox.messages_to("s2@example.test");
    let answered = english
        .iter()
        .map(|m| read(m))
        .find(|(subject, _)| subject.ends_with("has been answered"));
    let (_, body) = answered.expect("the answer's email, in English");
    assert!(body.contains("Decision: partially granted."), "{body}");
    assert!(
        body.contains(&format!("{PUBLIC}/en/petitions/{petition}")),
        "{body}"
    );
    let (russian, _) = read(&mailbox.messages_to("s1@example.test")[0]);
    assert!(russian.starts_with("На петицию «"), "{russian}");
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mail_waits_for_the_relay_refused_addresses_are_disabled_and_links_work_once() {
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": 3, "startup_signatures": 1 }
    }))
    .await;
    let mut mailbox = Mailbox::start_with(Some("^refused@"), Some("^later@")).await;
    platform.start_notifier().await;
    platform
        .start_mailer(&mailbox, PUBLIC, json!({ "max_attempts": 2 }))
        .await;
    let petition = platform.open_petition("government").await;
    let [ok, refused, later] = [10, 11, 12].map(|n| platform.citizen_token(n));
    for (token, email) in [
        (&ok, "ok@example.test"),
        (&refused, "refused@example.test"),
        (&later, "later@example.test"),
    ] {
        platform.sign(&petition, token).await.expect_status(201);
        let settings = set_email(&platform, token, email, "en").await;
        assert_eq!(
            (settings["email"].as_str(), settings["email_state"].as_str()),
            (Some(email), Some("active"))
        );
    }
    // Bad addresses and line breaks are refused at the door.
    for bad in ["not-an-address", "a@example.test\r\nBcc: b@example.test"] {
        Reply::read(
            platform
                .command(Method::PUT, "/me/notification-settings", Some(&ok))
                .json(&json!({ "language": "en", "frequency": "immediate", "email": bad })),
        )
        .await
        .assert_problem(422, "invalid_input");
    }
    platform.await_count(&petition, 3).await;

    // The relay is down when the threshold is reached: nothing is lost, nothing goes.
    mailbox.stop().await;
    platform
        .scheduler()
        .tick(OffsetDateTime::now_utc())
        .await
        .unwrap();
    let queued = || async {
        tyndau_db::sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM notification_outbox WHERE sent_at IS NULL AND failed IS NULL",
        )
        .fetch_one(platform.pool())
        .await
        .unwrap()
    };
    eventually(|| async { (queued().await == 3).then_some(()) }, PATIENCE).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(queued().await, 3, "mail waits while the relay is down");
    mailbox.restart().await;
    delivered_at_least(&mailbox, 1, PATIENCE).await;

    // A permanent refusal disables the address, and the person sees why.
    let refused_settings = eventually(
        || async {
            let s =
                Reply::read(platform.command(Method::GET, "/me/notification-settings", Some(&refused))).await;
            (s.body["email_state"] == "bounced").then(|| s.body.clone())
        },
        PATIENCE,
    )
    .await;
    assert_eq!(refused_settings["email_problem"], "550");
    // A temporary one is tried again, then given up (max_attempts 2).
    eventually(
        || async {
            let failed: Option<String> = tyndau_db::sqlx::query_scalar(
                "SELECT o.failed FROM notification_outbox o JOIN notification_settings s USING (recipient)
                  WHERE s.email IS NOT NULL AND o.attempts >= 2 AND o.failed IS NOT NULL LIMIT 1",
            )
            .fetch_optional(platform.pool())
            .await
            .unwrap()
            .flatten();
            failed.filter(|f| f == "temporary failures")
        },
        Duration::from_secs(20),
    )
    .await;
    let delivered = mailbox.delivered();
    assert_eq!(
        delivered.iter().map(|d| d.recipient.as_str()).collect::<Vec<_>>(),
        ["ok@example.test"]
    );

    // One-click unsubscribe: the link in the email works once.
    let message = &mailbox.messages_to("ok@example.test")[0];
    let url = header(message, "List-Unsubscribe")
        .unwrap()
        .trim_matches(['<', '>']);
    let token = url.split_once("?t=").unwrap().1;
    let unsubscribe = |token: String| {
        let platform = &platform;
        async move {
            Reply::read(
                platform
                    .command(Method::POST, "/unsubscribe", None)
                    .json(&json!({ "token": token })),
            )
            .await
        }
    };
    let done = unsubscribe(token.to_owned()).await;
    assert_eq!(done.expect_status(200)["scope"], format!("petition:{petition}"));
    unsubscribe(token.to_owned())
        .await
        .assert_problem(409, "link_used");
    // Forged under another secret, altered, or expired: refused.
    let forger = tyndau_auth::links::UnsubscribeLinks::new(&[1; 32]).unwrap();
    let recipient: String =
        tyndau_db::sqlx::query_scalar("SELECT recipient FROM notification_outbox WHERE sent_at IS NOT NULL")
            .fetch_one(platform.pool())
            .await
            .unwrap();
    let future = OffsetDateTime::now_utc() + time::Duration::days(1);
    unsubscribe(forger.sign(&recipient, "*", "forged", future))
        .await
        .assert_problem(422, "invalid_link");
    unsubscribe(format!("{token}x"))
        .await
        .assert_problem(422, "invalid_link");
    let ours =
        tyndau_auth::links::UnsubscribeLinks::new(&hex::decode(platform.link_secret()).unwrap()).unwrap();
    let past = OffsetDateTime::now_utc() - time::Duration::days(1);
    unsubscribe(ours.sign(&recipient, "*", "old", past))
        .await
        .assert_problem(410, "link_expired");
    let subscriptions = Reply::read(platform.command(Method::GET, "/me/subscriptions", Some(&ok))).await;
    let stopped = &subscriptions.expect_status(200)["items"][0];
    assert_eq!(
        (
            stopped["subject"].as_str(),
            stopped["choice"].as_str(),
            stopped["active"].as_bool()
        ),
        (
            Some(format!("petition:{petition}").as_str()),
            Some("mute"),
            Some(false)
        )
    );

    // The answer: the person who stopped it still has it in the inbox, but no email.
    answer(&platform, &petition).await;
    eventually(
        || async {
            let inbox = Reply::read(platform.command(Method::GET, "/me/notifications", Some(&later))).await;
            (inbox.body["items"].as_array().unwrap().len() == 2).then_some(())
        },
        PATIENCE,
    )
    .await;
    let ok_inbox = Reply::read(platform.command(Method::GET, "/me/notifications", Some(&ok))).await;
    assert_eq!(
        ok_inbox.body["items"].as_array().unwrap().len(),
        1,
        "stopped: not even in-app"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mailbox.messages_to("ok@example.test").len(), 1);

    // Following a state body: its new consultation reaches the follower, by email too.
    let follower = platform.citizen_token(20);
    set_email(&platform, &follower, "follower@example.test", "ru").await;
    Reply::read(
        platform
            .command(Method::PUT, "/me/subscriptions/body/government", Some(&follower))
            .json(&json!({ "choice": "follow" })),
    )
    .await
    .expect_status(204);
    Reply::read(
        platform
            .command(
                Method::PUT,
                "/me/subscriptions/petition/not-a-uuid",
                Some(&follower),
            )
            .json(&json!({ "choice": "follow" })),
    )
    .await
    .assert_problem(422, "invalid_subject");
    let consultation = platform.open_consultation().await;
    let mail = eventually(
        || async { mailbox.messages_to("follower@example.test").into_iter().next() },
        PATIENCE,
    )
    .await;
    let (subject, body) = read(&mail);
    assert_eq!(subject, "«Проект закона» открыт для обсуждения");
    assert!(
        body.contains(&format!("{PUBLIC}/ru/consultations/{consultation}")),
        "{body}"
    );

    // An erased person: the address and settings are gone, nothing more is sent.
    Reply::read(platform.command(Method::DELETE, "/me", Some(&follower)))
        .await
        .expect_status(200);
    let settings =
        Reply::read(platform.command(Method::GET, "/me/notification-settings", Some(&follower))).await;
    assert_eq!(settings.body["email"], Value::Null);
    let left: i64 = tyndau_db::sqlx::query_scalar(
        "SELECT count(*) FROM notification_settings s JOIN subject_keys k ON k.signer = s.recipient",
    )
    .fetch_one(platform.pool())
    .await
    .unwrap();
    assert_eq!(left, 3, "only the three signers keep settings and a key");
    platform.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_daily_digest_groups_what_is_new_and_is_never_sent_empty() {
    let platform = TestPlatform::spawn_with(json!({
        "policy": { "government_threshold": 1, "startup_signatures": 1 }
    }))
    .await;
    let mailbox = Mailbox::start().await;
    platform.start_notifier().await;
    platform
        .start_mailer(&mailbox, PUBLIC, json!({ "digest_poll_secs": 1 }))
        .await;
    let first = platform.open_petition("government").await;
    let second = platform.open_petition("government").await;
    let reader = platform.citizen_token(30);
    let quiet = platform.citizen_token(31);
    for (token, email) in [(&reader, "reader@example.test"), (&quiet, "quiet@example.test")] {
        Reply::read(
            platform
                .command(Method::PUT, "/me/notification-settings", Some(token))
                .json(&json!({ "language": "en", "frequency": "daily", "email": email })),
        )
        .await
        .expect_status(200);
    }
    for petition in [&first, &second] {
        platform.sign(petition, &reader).await.expect_status(201);
        platform.await_count(petition, 1).await;
    }
    platform
        .scheduler()
        .tick(OffsetDateTime::now_utc())
        .await
        .unwrap();
    eventually(
        || async {
            let inbox = Reply::read(platform.command(Method::GET, "/me/notifications", Some(&reader))).await;
            (inbox.body["items"].as_array().unwrap().len() == 2).then_some(())
        },
        PATIENCE,
    )
    .await;
    // Chosen just now: the first digest is a day away.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(
        mailbox.delivered().is_empty(),
        "no email before the digest is due"
    );

    // A day later: one digest, the two petitions in it; nothing for someone with nothing new.
    let a_day_passes = || async {
        tyndau_db::sqlx::query(
            "UPDATE notification_settings SET digest_sent_at = now() - interval '25 hours'",
        )
        .execute(platform.pool())
        .await
        .unwrap();
    };
    a_day_passes().await;
    let digest = eventually(
        || async { mailbox.messages_to("reader@example.test").into_iter().next() },
        PATIENCE,
    )
    .await;
    let (subject, body) = read(&digest);
    assert_eq!(subject, "Tyndau: 2 updates");
    for petition in [&first, &second] {
        assert!(
            body.contains(&format!("{PUBLIC}/en/petitions/{petition}")),
            "{body}"
        );
    }
    assert_eq!(body.matches("goes to the addressee").count(), 2, "{body}");
    assert!(header(&digest, "List-Unsubscribe").is_some());
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(
        mailbox.messages_to("quiet@example.test").is_empty(),
        "a digest is never empty"
    );

    // What comes next waits for the next day, and only it is in the next digest.
    platform
        .post(
            &format!("/petitions/{first}/answer"),
            Some(&platform.official_token("government")),
            Some(json!({ "decision": "refused", "text": { "kk": "Жоқ.", "ru": "Нет." } })),
        )
        .await
        .expect_status(200);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(mailbox.messages_to("reader@example.test").len(), 1);
    a_day_passes().await;
    let next = eventually(
        || async { mailbox.messages_to("reader@example.test").get(1).cloned() },
        PATIENCE,
    )
    .await;
    let (subject, body) = read(&next);
    assert_eq!(subject, "Tyndau: one update");
    assert!(body.contains("Decision: refused."), "{body}");
    assert!(!body.contains(&second.to_string()), "{body}");
    platform.shutdown().await;
}
