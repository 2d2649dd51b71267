//! Given/when/then tests for every comment and reaction rule. The consultation a command reads is
//! built the way the command side builds it: by replaying its events on a default state.

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::Aggregate;
use cqrs_es::test::{AggregateTestExecutor, TestFramework};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tyndau_events::comment::{
    Anchor, AnchorMethod, Channel, CommentAuthor, CommentEdited, CommentFlagged, CommentFlagsDismissed,
    CommentHidden, CommentPosted, CommentReanchored, CommentRepliedTo, Disposition, FlagReason, HideReason,
    ProposalAnswered, ProvisionRef, Stance, StanceTaken,
};
use tyndau_events::consultation::{
    ClosedBy, ConsultationClosed, ConsultationDrafted, ConsultationOpened, ConsultationText,
    DraftVersionPublished, Localized, OutcomeReportPublished, Provision,
};
use tyndau_events::petition::Language;
use tyndau_events::{CommentEvent, ConsultationEvent, ReactionEvent};
use tyndau_ids::{BodyId, CommentId, ConsultationId, ProvisionPath, Region, SignerKey};

use super::*;
use crate::consultation::{Consultation, ConsultationPolicy};
use crate::text::TextField;

const AUTHOR: SignerKey = SignerKey::from_bytes([3; 32]);
const READER: SignerKey = SignerKey::from_bytes([4; 32]);

const DRAFTED_AT: OffsetDateTime = datetime!(2025-04-01 09:00 +5);
const OPENED_AT: OffsetDateTime = datetime!(2025-04-14 10:00 +5);
const POSTED_AT: OffsetDateTime = datetime!(2025-04-20 10:00 +5);
const LATER: OffsetDateTime = datetime!(2025-04-22 15:00 +5);
const CLOSED_EARLY_AT: OffsetDateTime = datetime!(2025-05-20 12:00 +5);
const CLOSES_AT: OffsetDateTime = datetime!(2025-06-02 00:00 +5);
const ANSWERS_DUE: OffsetDateTime = datetime!(2025-06-18 00:00 +5);
const ANSWERED_AT: OffsetDateTime = datetime!(2025-06-05 11:00 +5);

/// Words of provision a1 in version 1, quoted as a citizen copied them.
const QUOTE: &str = "Ставка налога составляет 12 процентов";

fn id<T: std::str::FromStr>(last: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    format!("01960000-0000-7000-8000-0000000000{last}")
        .parse()
        .expect("valid id")
}

fn consultation_id() -> ConsultationId {
    id("c1")
}

fn other_consultation_id() -> ConsultationId {
    id("c2")
}

fn proposal_id() -> CommentId {
    id("a1")
}

fn other_proposal_id() -> CommentId {
    id("a2")
}

fn reply_id() -> CommentId {
    id("b1")
}

fn deep_reply_id() -> CommentId {
    id("b2")
}

fn body(slug: &str) -> BodyId {
    slug.parse().expect("valid body id")
}

/// The body developing the draft.
fn akimat() -> BodyId {
    body("akimat-astana")
}

fn chamber() -> BodyId {
    body("atameken")
}

fn citizen(key: SignerKey) -> CommentAuthor {
    CommentAuthor::Citizen { key }
}

fn organisation(organisation: BodyId) -> CommentAuthor {
    CommentAuthor::Organisation { organisation }
}

fn path(s: &str) -> ProvisionPath {
    s.parse().expect("valid provision path")
}

fn ru(text: &str) -> Localized {
    BTreeMap::from([(Language::Ru, text.to_owned())])
}

fn p(at: &str, kk: &str, ru: &str) -> Provision {
    Provision {
        path: path(at),
        heading: BTreeMap::new(),
        text: BTreeMap::from([(Language::Kk, kk.to_owned()), (Language::Ru, ru.to_owned())]),
    }
}

fn rate(ru: &str) -> Provision {
    p("a1", "Салық мөлшерлемесі 12 пайыз.", ru)
}

fn start() -> Provision {
    p(
        "a2",
        "Қағида 2026 жылдан қолданылады.",
        "Правила применяются с 2026 года.",
    )
}

fn v1() -> Vec<Provision> {
    vec![rate("Ставка налога составляет 12 процентов."), start()]
}

fn anchor(version: u32, at: Option<&str>, quote: Option<&str>) -> Anchor {
    Anchor {
        version,
        path: at.map(path),
        quote: quote.map(str::to_owned),
    }
}

// ---- Consultations, by their events ----

fn drafted(consultation_id: ConsultationId) -> ConsultationEvent {
    let text = ConsultationText {
        title: "О ставке налога".to_owned(),
        summary: "Изменение ставки.".to_owned(),
        explanatory_note: "Пояснительная записка.".to_owned(),
    };
    ConsultationDrafted {
        consultation_id,
        body: akimat(),
        content: BTreeMap::from([(Language::Kk, text.clone()), (Language::Ru, text)]),
        provisions: v1(),
        drafted_at: DRAFTED_AT,
    }
    .into()
}

fn opened() -> ConsultationEvent {
    ConsultationOpened {
        opened_at: OPENED_AT,
        closes_at: CLOSES_AT,
        answers_due: ANSWERS_DUE,
    }
    .into()
}

fn version(number: u32, provisions: Vec<Provision>) -> ConsultationEvent {
    DraftVersionPublished {
        version: number,
        provisions,
        changes: vec![],
        published_at: LATER,
    }
    .into()
}

fn closed(closed_by: ClosedBy, at: OffsetDateTime) -> ConsultationEvent {
    ConsultationClosed {
        closed_by,
        closed_at: at,
    }
    .into()
}

fn reported() -> ConsultationEvent {
    OutcomeReportPublished {
        summary: ru("Предложения рассмотрены."),
        final_version: 1,
        published_at: datetime!(2025-06-20 12:00 +5),
    }
    .into()
}

fn consultation(events: Vec<ConsultationEvent>) -> Arc<Consultation> {
    let mut consultation = Consultation::default();
    for event in events {
        consultation.apply(event);
    }
    Arc::new(consultation)
}

fn open_consultation() -> Arc<Consultation> {
    consultation(vec![drafted(consultation_id()), opened()])
}

/// Open, with the draft's later versions published.
fn revised(versions: Vec<Vec<Provision>>) -> Arc<Consultation> {
    let mut events = vec![drafted(consultation_id()), opened()];
    events.extend(
        (2..)
            .zip(versions)
            .map(|(number, provisions)| version(number, provisions)),
    );
    consultation(events)
}

fn closed_consultation() -> Arc<Consultation> {
    consultation(vec![
        drafted(consultation_id()),
        opened(),
        closed(ClosedBy::Deadline, CLOSES_AT),
    ])
}

fn reported_consultation() -> Arc<Consultation> {
    consultation(vec![
        drafted(consultation_id()),
        opened(),
        closed(ClosedBy::Deadline, CLOSES_AT),
        reported(),
    ])
}

// ---- Comments, by their events ----

/// A citizen's proposal on the whole draft of the consultation.
fn posted(comment_id: CommentId, anchor: Anchor) -> CommentPosted {
    CommentPosted {
        comment_id,
        consultation_id: consultation_id(),
        parent: None,
        thread: comment_id,
        depth: 0,
        anchor,
        author: citizen(AUTHOR),
        channel: Channel::Citizen,
        region: Some(Region::Astana),
        language: Language::Ru,
        text: "Предлагаю снизить ставку до 10 процентов.".to_owned(),
        posted_at: POSTED_AT,
    }
}

/// The proposal the tests act on: on provision a1, quoting its words.
fn proposal() -> CommentEvent {
    posted(proposal_id(), anchor(1, Some("a1"), Some(QUOTE))).into()
}

fn reply() -> CommentEvent {
    CommentPosted {
        parent: Some(proposal_id()),
        thread: proposal_id(),
        depth: 1,
        author: citizen(READER),
        text: "Поддерживаю.".to_owned(),
        ..posted(reply_id(), anchor(1, Some("a1"), Some(QUOTE)))
    }
    .into()
}

fn replied_to() -> CommentEvent {
    CommentRepliedTo {
        first_reply: reply_id(),
        replied_at: LATER,
    }
    .into()
}

fn hidden() -> CommentEvent {
    CommentHidden {
        reason: HideReason::Abusive,
        explanation: "Оскорбления.".to_owned(),
        hidden_at: LATER,
    }
    .into()
}

fn answered(disposition: Disposition, reason: &str, changed: Option<ProvisionRef>) -> ProposalAnswered {
    ProposalAnswered {
        by: akimat(),
        disposition,
        reason: ru(reason),
        changed,
        duplicate_of: None,
        answered_at: ANSWERED_AT,
    }
}

fn rejected() -> CommentEvent {
    answered(Disposition::Rejected, "Ставка установлена законом.", None).into()
}

fn comment(events: Vec<CommentEvent>) -> Arc<Comment> {
    let mut comment = Comment::default();
    for event in events {
        comment.apply(event);
    }
    Arc::new(comment)
}

fn given(events: Vec<CommentEvent>) -> AggregateTestExecutor<Comment> {
    TestFramework::<Comment>::with(ConsultationPolicy::default()).given(events)
}

// ---- Commands ----

/// A Post command's fields, so each test changes only what it is about.
struct Posting {
    comment_id: CommentId,
    consultation: Arc<Consultation>,
    reply_to: Option<Arc<Comment>>,
    author: CommentAuthor,
    channel: Channel,
    path: Option<ProvisionPath>,
    quote: Option<String>,
    text: String,
    at: OffsetDateTime,
}

/// A citizen's proposal on the whole draft of the open consultation.
fn posting() -> Posting {
    Posting {
        comment_id: proposal_id(),
        consultation: open_consultation(),
        reply_to: None,
        author: citizen(AUTHOR),
        channel: Channel::Citizen,
        path: None,
        quote: None,
        text: "Предлагаю снизить ставку до 10 процентов.".to_owned(),
        at: POSTED_AT,
    }
}

/// A reader's reply to `parent`.
fn replying_to(parent: Vec<CommentEvent>) -> Posting {
    Posting {
        comment_id: reply_id(),
        reply_to: Some(comment(parent)),
        author: citizen(READER),
        text: "Поддерживаю.".to_owned(),
        ..posting()
    }
}

impl Posting {
    fn command(self) -> CommentCommand {
        CommentCommand::Post {
            comment_id: self.comment_id,
            consultation: self.consultation,
            reply_to: self.reply_to,
            author: self.author,
            channel: self.channel,
            region: Some(Region::Astana),
            path: self.path,
            quote: self.quote,
            language: Language::Ru,
            text: self.text,
            at: self.at,
        }
    }
}

fn edit(by: CommentAuthor, consultation: Arc<Consultation>, at: OffsetDateTime) -> CommentCommand {
    CommentCommand::Edit {
        by,
        consultation,
        text: "  Предлагаю снизить ставку до 8 процентов. ".to_owned(),
        at,
    }
}

fn hide(explanation: &str) -> CommentCommand {
    CommentCommand::Hide {
        reason: HideReason::PersonalData,
        explanation: explanation.to_owned(),
        at: LATER,
    }
}

/// An answer by the developing body to the proposal, on the closed consultation.
struct Answering {
    by: BodyId,
    consultation: Arc<Consultation>,
    disposition: Disposition,
    reason: Localized,
    changed: Option<ProvisionRef>,
    duplicate_of: Option<Arc<Comment>>,
}

fn answering(disposition: Disposition) -> Answering {
    Answering {
        by: akimat(),
        consultation: closed_consultation(),
        disposition,
        reason: ru("Ставка установлена законом."),
        changed: None,
        duplicate_of: None,
    }
}

impl Answering {
    fn command(self) -> CommentCommand {
        CommentCommand::Answer {
            by: self.by,
            consultation: self.consultation,
            disposition: self.disposition,
            reason: self.reason,
            changed: self.changed,
            duplicate_of: self.duplicate_of,
            at: ANSWERED_AT,
        }
    }
}

fn reanchor(consultation: Arc<Consultation>) -> CommentCommand {
    CommentCommand::Reanchor {
        consultation,
        at: LATER,
    }
}

fn reanchored(from: Anchor, to: Anchor, method: AnchorMethod, confidence: u8) -> CommentEvent {
    CommentReanchored {
        from,
        to,
        method,
        confidence,
        reanchored_at: LATER,
    }
    .into()
}

// ---- Post: proposals ----

#[test]
fn a_proposal_on_the_whole_draft_is_anchored_to_the_current_version_with_trimmed_text() {
    given(vec![])
        .when(
            Posting {
                text: "  Предлагаю снизить ставку до 10 процентов.\n".to_owned(),
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![posted(proposal_id(), anchor(1, None, None)).into()]);
}

#[test]
fn a_proposal_on_a_provision_is_anchored_to_it() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a2")),
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![posted(proposal_id(), anchor(1, Some("a2"), None)).into()]);
}

#[test]
fn a_proposal_quoting_a_provision_keeps_the_trimmed_quote() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a1")),
                quote: Some(format!("  {QUOTE} ")),
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![proposal()]);
}

#[test]
fn a_quote_matches_regardless_of_case_and_spacing() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a1")),
                quote: Some("СТАВКА   налога".to_owned()),
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![
            posted(proposal_id(), anchor(1, Some("a1"), Some("СТАВКА   налога"))).into(),
        ]);
}

#[test]
fn a_proposal_is_anchored_to_the_latest_version() {
    let v2 = vec![rate("Ставка налога составляет 10 процентов."), start()];
    given(vec![])
        .when(
            Posting {
                consultation: revised(vec![v2]),
                path: Some(path("a1")),
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![posted(proposal_id(), anchor(2, Some("a1"), None)).into()]);
}

#[test]
fn a_quote_that_is_not_in_the_provision_is_refused() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a2")),
                quote: Some(QUOTE.to_owned()),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::QuoteNotFound);
}

#[test]
fn a_quote_without_a_provision_is_refused() {
    given(vec![])
        .when(
            Posting {
                quote: Some(QUOTE.to_owned()),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::QuoteWithoutProvision);
}

#[test]
fn a_blank_quote_is_refused() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a1")),
                quote: Some("  ".to_owned()),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::EmptyText {
            language: None,
            field: TextField::Quote,
        });
}

#[test]
fn a_quote_over_the_limit_is_refused() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a1")),
                quote: Some("с".repeat(1_001)),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::TextTooLong {
            language: None,
            field: TextField::Quote,
            max: 1_000,
        });
}

#[test]
fn a_proposal_on_a_provision_the_draft_does_not_have_is_refused() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a9")),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::UnknownProvision);
}

#[test]
fn a_proposal_on_a_provision_removed_in_the_current_version_is_refused() {
    given(vec![])
        .when(
            Posting {
                consultation: revised(vec![vec![start()]]),
                path: Some(path("a1")),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::UnknownProvision);
}

#[test]
fn commenting_on_a_draft_that_is_not_open_yet_is_refused() {
    given(vec![])
        .when(
            Posting {
                consultation: consultation(vec![drafted(consultation_id())]),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::NotOpenYet);
}

#[test]
fn commenting_at_the_end_of_the_period_is_refused() {
    given(vec![])
        .when(
            Posting {
                at: CLOSES_AT,
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::CommentingClosed);
}

#[test]
fn commenting_just_before_the_end_of_the_period_is_accepted() {
    let at = CLOSES_AT - Duration::seconds(1);
    given(vec![])
        .when(Posting { at, ..posting() }.command())
        .then_expect_events(vec![
            CommentPosted {
                posted_at: at,
                ..posted(proposal_id(), anchor(1, None, None))
            }
            .into(),
        ]);
}

#[test]
fn commenting_after_the_body_closed_the_consultation_early_is_refused() {
    given(vec![])
        .when(
            Posting {
                consultation: consultation(vec![
                    drafted(consultation_id()),
                    opened(),
                    closed(ClosedBy::Body, CLOSED_EARLY_AT),
                ]),
                at: CLOSED_EARLY_AT + Duration::hours(1),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::CommentingClosed);
}

#[test]
fn commenting_after_the_report_is_refused() {
    given(vec![])
        .when(
            Posting {
                consultation: reported_consultation(),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::CommentingClosed);
}

#[test]
fn commenting_on_a_missing_consultation_is_refused() {
    given(vec![])
        .when(
            Posting {
                consultation: Arc::new(Consultation::default()),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::ConsultationNotFound);
}

#[test]
fn the_developing_body_cannot_comment_on_its_own_draft() {
    given(vec![])
        .when(
            Posting {
                author: organisation(akimat()),
                channel: Channel::Organisation,
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::OwnConsultation);
}

#[test]
fn an_organisation_comments_through_its_own_channel() {
    given(vec![])
        .when(
            Posting {
                author: organisation(chamber()),
                channel: Channel::BusinessChamber,
                ..posting()
            }
            .command(),
        )
        .then_expect_events(vec![
            CommentPosted {
                author: organisation(chamber()),
                channel: Channel::BusinessChamber,
                ..posted(proposal_id(), anchor(1, None, None))
            }
            .into(),
        ]);
}

#[test]
fn a_citizen_must_comment_through_the_citizen_channel() {
    given(vec![])
        .when(
            Posting {
                channel: Channel::PublicCouncil,
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::WrongChannel);
}

#[test]
fn an_organisation_cannot_comment_through_the_citizen_channel() {
    given(vec![])
        .when(
            Posting {
                author: organisation(chamber()),
                channel: Channel::Citizen,
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::WrongChannel);
}

#[test]
fn a_blank_comment_is_refused() {
    given(vec![])
        .when(
            Posting {
                text: " \n\t ".to_owned(),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::EmptyText {
            language: None,
            field: TextField::Comment,
        });
}

#[test]
fn a_comment_over_the_limit_is_refused() {
    given(vec![])
        .when(
            Posting {
                text: "ж".repeat(5_001),
                ..posting()
            }
            .command(),
        )
        .then_expect_error(CommentError::TextTooLong {
            language: None,
            field: TextField::Comment,
            max: 5_000,
        });
}

#[test]
fn posting_an_existing_comment_again_is_refused() {
    given(vec![proposal()])
        .when(posting().command())
        .then_expect_error(CommentError::AlreadyExists);
}

// ---- Post: replies ----

#[test]
fn a_reply_joins_its_proposals_thread_one_level_deeper_with_its_anchor() {
    given(vec![])
        .when(replying_to(vec![proposal()]).command())
        .then_expect_events(vec![reply()]);
}

#[test]
fn a_reply_to_a_reply_stays_in_the_proposals_thread() {
    given(vec![])
        .when(
            Posting {
                comment_id: deep_reply_id(),
                ..replying_to(vec![reply()])
            }
            .command(),
        )
        .then_expect_events(vec![
            CommentPosted {
                parent: Some(reply_id()),
                thread: proposal_id(),
                depth: 2,
                author: citizen(READER),
                text: "Поддерживаю.".to_owned(),
                ..posted(deep_reply_id(), anchor(1, Some("a1"), Some(QUOTE)))
            }
            .into(),
        ]);
}

#[test]
fn a_reply_to_a_comment_of_another_consultation_is_refused() {
    let elsewhere = CommentPosted {
        consultation_id: other_consultation_id(),
        ..posted(proposal_id(), anchor(1, None, None))
    };
    given(vec![])
        .when(replying_to(vec![elsewhere.into()]).command())
        .then_expect_error(CommentError::ParentNotFound);
}

#[test]
fn a_reply_to_a_missing_comment_is_refused() {
    given(vec![])
        .when(replying_to(vec![]).command())
        .then_expect_error(CommentError::ParentNotFound);
}

#[test]
fn a_reply_to_a_hidden_comment_is_refused() {
    given(vec![])
        .when(replying_to(vec![proposal(), hidden()]).command())
        .then_expect_error(CommentError::Hidden);
}

#[test]
fn a_reply_cannot_choose_its_own_anchor() {
    given(vec![])
        .when(
            Posting {
                path: Some(path("a1")),
                ..replying_to(vec![proposal()])
            }
            .command(),
        )
        .then_expect_error(CommentError::AnchorOnReply);
    given(vec![])
        .when(
            Posting {
                quote: Some(QUOTE.to_owned()),
                ..replying_to(vec![proposal()])
            }
            .command(),
        )
        .then_expect_error(CommentError::AnchorOnReply);
}

#[test]
fn replies_nest_at_most_three_deep() {
    let at_depth = |depth: u8| -> CommentEvent {
        CommentPosted {
            parent: Some(proposal_id()),
            thread: proposal_id(),
            depth,
            ..posted(reply_id(), anchor(1, None, None))
        }
        .into()
    };
    let third = given(vec![])
        .when(
            Posting {
                comment_id: deep_reply_id(),
                ..replying_to(vec![at_depth(2)])
            }
            .command(),
        )
        .inspect_result();
    assert!(matches!(
        third.as_deref(),
        Ok([CommentEvent::CommentPosted(CommentPosted { depth: 3, .. })])
    ));
    given(vec![])
        .when(
            Posting {
                comment_id: deep_reply_id(),
                ..replying_to(vec![at_depth(3)])
            }
            .command(),
        )
        .then_expect_error(CommentError::TooDeep { max: 3 });
}

// ---- Edit ----

#[test]
fn the_author_edits_an_unanswered_comment_without_replies() {
    given(vec![proposal()])
        .when(edit(citizen(AUTHOR), open_consultation(), LATER))
        .then_expect_events(vec![
            CommentEdited {
                text: "Предлагаю снизить ставку до 8 процентов.".to_owned(),
                edited_at: LATER,
            }
            .into(),
        ]);
}

#[test]
fn only_the_author_may_edit() {
    given(vec![proposal()])
        .when(edit(citizen(READER), open_consultation(), LATER))
        .then_expect_error(CommentError::NotAuthor);
}

#[test]
fn a_comment_with_replies_cannot_be_edited() {
    given(vec![proposal(), replied_to()])
        .when(edit(citizen(AUTHOR), open_consultation(), LATER))
        .then_expect_error(CommentError::HasReplies);
}

#[test]
fn an_answered_proposal_cannot_be_edited() {
    given(vec![proposal(), rejected()])
        .when(edit(citizen(AUTHOR), open_consultation(), LATER))
        .then_expect_error(CommentError::Answered);
}

#[test]
fn a_hidden_comment_cannot_be_edited() {
    given(vec![proposal(), hidden()])
        .when(edit(citizen(AUTHOR), open_consultation(), LATER))
        .then_expect_error(CommentError::Hidden);
}

#[test]
fn editing_after_the_comment_period_is_refused() {
    given(vec![proposal()])
        .when(edit(citizen(AUTHOR), open_consultation(), CLOSES_AT))
        .then_expect_error(CommentError::CommentingClosed);
    given(vec![proposal()])
        .when(edit(citizen(AUTHOR), closed_consultation(), LATER))
        .then_expect_error(CommentError::CommentingClosed);
}

#[test]
fn an_edit_to_a_blank_text_is_refused() {
    given(vec![proposal()])
        .when(CommentCommand::Edit {
            by: citizen(AUTHOR),
            consultation: open_consultation(),
            text: "   ".to_owned(),
            at: LATER,
        })
        .then_expect_error(CommentError::EmptyText {
            language: None,
            field: TextField::Comment,
        });
}

#[test]
fn any_other_command_on_a_missing_comment_is_refused_as_not_found() {
    given(vec![])
        .when(edit(citizen(AUTHOR), open_consultation(), LATER))
        .then_expect_error(CommentError::NotFound);
    given(vec![])
        .when(CommentCommand::NoteReply {
            reply: reply_id(),
            at: LATER,
        })
        .then_expect_error(CommentError::NotFound);
    given(vec![])
        .when(hide("Личные данные."))
        .then_expect_error(CommentError::NotFound);
    given(vec![])
        .when(answering(Disposition::Rejected).command())
        .then_expect_error(CommentError::NotFound);
    given(vec![])
        .when(reanchor(open_consultation()))
        .then_expect_error(CommentError::NotFound);
}

// ---- NoteReply ----

#[test]
fn the_first_reply_is_noted() {
    given(vec![proposal()])
        .when(CommentCommand::NoteReply {
            reply: reply_id(),
            at: LATER,
        })
        .then_expect_events(vec![replied_to()]);
}

#[test]
fn later_replies_are_not_noted_again() {
    given(vec![proposal(), replied_to()])
        .when(CommentCommand::NoteReply {
            reply: deep_reply_id(),
            at: LATER + Duration::hours(1),
        })
        .then_expect_events(vec![]);
}

// ---- Hide ----

#[test]
fn a_moderator_hides_a_comment_with_a_public_explanation() {
    given(vec![proposal()])
        .when(hide("  Содержит личные данные. "))
        .then_expect_events(vec![
            CommentHidden {
                reason: HideReason::PersonalData,
                explanation: "Содержит личные данные.".to_owned(),
                hidden_at: LATER,
            }
            .into(),
        ]);
}

#[test]
fn hiding_a_hidden_comment_is_refused() {
    given(vec![proposal(), hidden()])
        .when(hide("Личные данные."))
        .then_expect_error(CommentError::AlreadyHidden);
}

#[test]
fn hiding_without_an_explanation_is_refused() {
    given(vec![proposal()])
        .when(hide(" "))
        .then_expect_error(CommentError::EmptyText {
            language: None,
            field: TextField::Explanation,
        });
}

// ---- Dismiss flags ----

fn dismiss(seen: u32) -> CommentCommand {
    CommentCommand::DismissFlags { seen, at: LATER }
}

fn dismissed(seen: u32) -> CommentEvent {
    CommentFlagsDismissed {
        flags_seen: seen,
        dismissed_at: LATER,
    }
    .into()
}

#[test]
fn a_moderator_dismisses_the_flags_seen_and_the_comment_stays_shown() {
    given(vec![proposal()])
        .when(dismiss(3))
        .then_expect_events(vec![dismissed(3)]);
    given(vec![proposal(), dismissed(3)])
        .when(dismiss(5))
        .then_expect_events(vec![dismissed(5)]);
}

#[test]
fn dismissing_no_new_flags_is_refused() {
    given(vec![proposal(), dismissed(3)])
        .when(dismiss(3))
        .then_expect_error(CommentError::NoNewFlags);
    given(vec![proposal()])
        .when(dismiss(0))
        .then_expect_error(CommentError::NoNewFlags);
}

#[test]
fn dismissing_the_flags_of_a_hidden_or_missing_comment_is_refused() {
    given(vec![proposal(), hidden()])
        .when(dismiss(2))
        .then_expect_error(CommentError::AlreadyHidden);
    given(vec![])
        .when(dismiss(2))
        .then_expect_error(CommentError::NotFound);
}

// ---- Answer ----

#[test]
fn an_accepted_proposal_points_at_the_provision_it_changed() {
    let v2 = vec![rate("Ставка налога составляет 10 процентов."), start()];
    let changed = ProvisionRef {
        version: 2,
        path: path("a1"),
    };
    given(vec![proposal()])
        .when(
            Answering {
                consultation: revised(vec![v2]),
                reason: ru("  Ставка снижена. "),
                changed: Some(changed.clone()),
                ..answering(Disposition::Accepted)
            }
            .command(),
        )
        .then_expect_events(vec![
            answered(Disposition::Accepted, "Ставка снижена.", Some(changed)).into(),
        ]);
}

#[test]
fn a_reply_gets_no_answer_of_its_own() {
    given(vec![reply()])
        .when(answering(Disposition::Noted).command())
        .then_expect_error(CommentError::NotAProposal);
}

#[test]
fn only_the_developing_body_may_answer() {
    given(vec![proposal()])
        .when(
            Answering {
                by: body("maslikhat-astana"),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::NotResponsibleBody);
}

#[test]
fn answers_are_final_once_the_report_is_published() {
    given(vec![proposal()])
        .when(
            Answering {
                consultation: reported_consultation(),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::ReportPublished);
}

#[test]
fn an_answer_needs_a_reason_in_kazakh_or_russian() {
    given(vec![proposal()])
        .when(
            Answering {
                reason: BTreeMap::from([(Language::En, "Set by law.".to_owned())]),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::ReasonRequired);
}

#[test]
fn a_blank_reason_is_refused() {
    given(vec![proposal()])
        .when(
            Answering {
                reason: ru("  "),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::EmptyText {
            language: Some(Language::Ru),
            field: TextField::Reason,
        });
}

#[test]
fn a_duplicate_answer_must_name_the_proposal_repeated() {
    given(vec![proposal()])
        .when(answering(Disposition::Duplicate).command())
        .then_expect_error(CommentError::DuplicateTargetRequired);
}

#[test]
fn a_duplicate_answer_names_the_other_proposal() {
    let original = posted(other_proposal_id(), anchor(1, None, None)).into();
    given(vec![proposal()])
        .when(
            Answering {
                duplicate_of: Some(comment(vec![original])),
                ..answering(Disposition::Duplicate)
            }
            .command(),
        )
        .then_expect_events(vec![
            ProposalAnswered {
                duplicate_of: Some(other_proposal_id()),
                ..answered(Disposition::Duplicate, "Ставка установлена законом.", None)
            }
            .into(),
        ]);
}

#[test]
fn a_proposal_cannot_duplicate_itself() {
    given(vec![proposal()])
        .when(
            Answering {
                duplicate_of: Some(comment(vec![proposal()])),
                ..answering(Disposition::Duplicate)
            }
            .command(),
        )
        .then_expect_error(CommentError::InvalidDuplicate);
}

#[test]
fn a_proposal_cannot_duplicate_a_reply() {
    given(vec![proposal()])
        .when(
            Answering {
                duplicate_of: Some(comment(vec![reply()])),
                ..answering(Disposition::Duplicate)
            }
            .command(),
        )
        .then_expect_error(CommentError::InvalidDuplicate);
}

#[test]
fn a_proposal_cannot_duplicate_one_of_another_consultation() {
    let elsewhere = CommentPosted {
        consultation_id: other_consultation_id(),
        ..posted(other_proposal_id(), anchor(1, None, None))
    };
    given(vec![proposal()])
        .when(
            Answering {
                duplicate_of: Some(comment(vec![elsewhere.into()])),
                ..answering(Disposition::Duplicate)
            }
            .command(),
        )
        .then_expect_error(CommentError::InvalidDuplicate);
}

#[test]
fn only_a_duplicate_answer_names_another_proposal() {
    let original = posted(other_proposal_id(), anchor(1, None, None)).into();
    given(vec![proposal()])
        .when(
            Answering {
                duplicate_of: Some(comment(vec![original])),
                ..answering(Disposition::Noted)
            }
            .command(),
        )
        .then_expect_error(CommentError::DuplicateOnlyForDuplicates);
}

#[test]
fn only_an_accepted_proposal_points_at_a_change() {
    given(vec![proposal()])
        .when(
            Answering {
                changed: Some(ProvisionRef {
                    version: 1,
                    path: path("a1"),
                }),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::ChangeNeedsAcceptance);
}

#[test]
fn the_changed_provision_must_be_in_the_version_named() {
    given(vec![proposal()])
        .when(
            Answering {
                changed: Some(ProvisionRef {
                    version: 1,
                    path: path("a9"),
                }),
                ..answering(Disposition::PartiallyAccepted)
            }
            .command(),
        )
        .then_expect_error(CommentError::UnknownChangedProvision);
    given(vec![proposal()])
        .when(
            Answering {
                changed: Some(ProvisionRef {
                    version: 2,
                    path: path("a1"),
                }),
                ..answering(Disposition::Accepted)
            }
            .command(),
        )
        .then_expect_error(CommentError::UnknownChangedProvision);
}

#[test]
fn the_same_answer_again_is_refused() {
    given(vec![proposal(), rejected()])
        .when(
            Answering {
                reason: ru(" Ставка установлена законом.\n"),
                ..answering(Disposition::Rejected)
            }
            .command(),
        )
        .then_expect_error(CommentError::SameAnswer);
}

#[test]
fn a_changed_answer_is_recorded_as_another_answer() {
    given(vec![proposal(), rejected()])
        .when(
            Answering {
                reason: ru("Будет учтено."),
                ..answering(Disposition::Noted)
            }
            .command(),
        )
        .then_expect_events(vec![answered(Disposition::Noted, "Будет учтено.", None).into()]);
}

// ---- Reanchor ----

#[test]
fn a_quote_still_in_its_provision_keeps_its_path() {
    let v2 = vec![
        rate("Ставка налога составляет 12 процентов."),
        p("a2", "2027", "С 2027 года."),
    ];
    given(vec![proposal()])
        .when(reanchor(revised(vec![v2])))
        .then_expect_events(vec![reanchored(
            anchor(1, Some("a1"), Some(QUOTE)),
            anchor(2, Some("a1"), Some(QUOTE)),
            AnchorMethod::SamePath,
            100,
        )]);
}

#[test]
fn a_quote_that_moved_follows_its_words() {
    let v2 = vec![
        rate("Общие положения."),
        start(),
        p(
            "a3",
            "Мөлшерлеме 12 пайыз.",
            "Ставка налога составляет 12 процентов.",
        ),
    ];
    given(vec![proposal()])
        .when(reanchor(revised(vec![v2])))
        .then_expect_events(vec![reanchored(
            anchor(1, Some("a1"), Some(QUOTE)),
            anchor(2, Some("a3"), Some(QUOTE)),
            AnchorMethod::Moved,
            100,
        )]);
}

#[test]
fn a_reworded_quote_goes_to_the_closest_provision() {
    let v2 = vec![
        rate("Общие положения."),
        start(),
        p(
            "a3",
            "Мөлшерлеме 10 пайыз.",
            "Ставка налога составляет 10 процентов.",
        ),
    ];
    // 30 of the quote's 33 trigrams survive "12" becoming "10".
    given(vec![proposal()])
        .when(reanchor(revised(vec![v2])))
        .then_expect_events(vec![reanchored(
            anchor(1, Some("a1"), Some(QUOTE)),
            anchor(2, Some("a3"), Some(QUOTE)),
            AnchorMethod::BestMatch,
            90,
        )]);
}

#[test]
fn a_quote_with_no_credible_home_is_orphaned() {
    // Only " пр" of the quote's 33 trigrams is left (in "Правила применяются"): 3 percent.
    given(vec![proposal()])
        .when(reanchor(revised(vec![vec![start()]])))
        .then_expect_events(vec![reanchored(
            anchor(1, Some("a1"), Some(QUOTE)),
            anchor(2, None, Some(QUOTE)),
            AnchorMethod::Orphaned,
            3,
        )]);
}

#[test]
fn an_orphaned_proposal_is_found_again_when_its_provision_returns() {
    let orphaned = reanchored(
        anchor(1, Some("a1"), Some(QUOTE)),
        anchor(2, None, Some(QUOTE)),
        AnchorMethod::Orphaned,
        3,
    );
    let consultation = revised(vec![vec![start()], v1()]);
    given(vec![proposal(), orphaned])
        .when(reanchor(consultation))
        .then_expect_events(vec![reanchored(
            anchor(2, None, Some(QUOTE)),
            anchor(3, Some("a1"), Some(QUOTE)),
            AnchorMethod::SamePath,
            100,
        )]);
}

#[test]
fn a_proposal_on_the_whole_draft_stays_on_the_whole_draft() {
    let v2 = vec![rate("Ставка налога составляет 10 процентов."), start()];
    given(vec![posted(proposal_id(), anchor(1, None, None)).into()])
        .when(reanchor(revised(vec![v2])))
        .then_expect_events(vec![reanchored(
            anchor(1, None, None),
            anchor(2, None, None),
            AnchorMethod::WholeDraft,
            100,
        )]);
}

#[test]
fn a_proposal_already_on_the_current_version_is_not_reanchored() {
    given(vec![proposal()])
        .when(reanchor(open_consultation()))
        .then_expect_error(CommentError::AlreadyAnchored);
    let v2 = vec![
        rate("Ставка налога составляет 12 процентов."),
        p("a2", "2027", "С 2027 года."),
    ];
    let moved_on = reanchored(
        anchor(1, Some("a1"), Some(QUOTE)),
        anchor(2, Some("a1"), Some(QUOTE)),
        AnchorMethod::SamePath,
        100,
    );
    given(vec![proposal(), moved_on])
        .when(reanchor(revised(vec![v2])))
        .then_expect_error(CommentError::AlreadyAnchored);
}

#[test]
fn replies_are_not_reanchored() {
    let v2 = vec![rate("Ставка налога составляет 10 процентов."), start()];
    given(vec![reply()])
        .when(reanchor(revised(vec![v2])))
        .then_expect_error(CommentError::NotAProposal);
}

// ---- Reaction ----

fn react(events: Vec<ReactionEvent>) -> AggregateTestExecutor<Reaction> {
    TestFramework::<Reaction>::with(()).given(events)
}

fn take_stance(comment: Arc<Comment>, consultation: Arc<Consultation>, stance: Stance) -> ReactionCommand {
    ReactionCommand::TakeStance {
        citizen: READER,
        comment,
        consultation,
        stance,
        at: LATER,
    }
}

fn stance_taken(stance: Stance) -> ReactionEvent {
    StanceTaken {
        consultation_id: consultation_id(),
        comment_id: proposal_id(),
        citizen: READER,
        stance,
        at: LATER,
    }
    .into()
}

fn flag(comment: Arc<Comment>) -> ReactionCommand {
    ReactionCommand::Flag {
        citizen: READER,
        comment,
        reason: FlagReason::Spam,
        at: LATER,
    }
}

fn flagged() -> ReactionEvent {
    CommentFlagged {
        consultation_id: consultation_id(),
        comment_id: proposal_id(),
        citizen: READER,
        reason: FlagReason::Spam,
        at: LATER,
    }
    .into()
}

#[test]
fn a_citizen_takes_a_stance_on_a_comment() {
    react(vec![])
        .when(take_stance(
            comment(vec![proposal()]),
            open_consultation(),
            Stance::Agree,
        ))
        .then_expect_events(vec![stance_taken(Stance::Agree)]);
}

#[test]
fn the_same_stance_again_changes_nothing() {
    react(vec![stance_taken(Stance::Agree)])
        .when(take_stance(
            comment(vec![proposal()]),
            open_consultation(),
            Stance::Agree,
        ))
        .then_expect_events(vec![]);
    react(vec![])
        .when(take_stance(
            comment(vec![proposal()]),
            open_consultation(),
            Stance::None,
        ))
        .then_expect_events(vec![]);
}

#[test]
fn a_changed_stance_is_recorded() {
    react(vec![stance_taken(Stance::Agree)])
        .when(take_stance(
            comment(vec![proposal()]),
            open_consultation(),
            Stance::Disagree,
        ))
        .then_expect_events(vec![stance_taken(Stance::Disagree)]);
    react(vec![stance_taken(Stance::Agree)])
        .when(take_stance(
            comment(vec![proposal()]),
            open_consultation(),
            Stance::None,
        ))
        .then_expect_events(vec![stance_taken(Stance::None)]);
}

#[test]
fn a_citizen_cannot_react_to_or_flag_their_own_comment() {
    let own = comment(vec![
        CommentPosted {
            author: citizen(READER),
            ..posted(proposal_id(), anchor(1, None, None))
        }
        .into(),
    ]);
    react(vec![])
        .when(take_stance(own.clone(), open_consultation(), Stance::Agree))
        .then_expect_error(CommentError::OwnComment);
    react(vec![])
        .when(flag(own))
        .then_expect_error(CommentError::OwnComment);
}

#[test]
fn a_hidden_comment_takes_no_stances() {
    react(vec![])
        .when(take_stance(
            comment(vec![proposal(), hidden()]),
            open_consultation(),
            Stance::Agree,
        ))
        .then_expect_error(CommentError::Hidden);
}

#[test]
fn stances_are_final_once_the_report_is_published() {
    react(vec![stance_taken(Stance::Agree)])
        .when(take_stance(
            comment(vec![proposal()]),
            reported_consultation(),
            Stance::Disagree,
        ))
        .then_expect_error(CommentError::ReportPublished);
}

#[test]
fn a_citizen_flags_a_comment_for_moderators() {
    react(vec![stance_taken(Stance::Disagree)])
        .when(flag(comment(vec![proposal()])))
        .then_expect_events(vec![flagged()]);
}

#[test]
fn a_citizen_flags_a_comment_once() {
    react(vec![flagged()])
        .when(flag(comment(vec![proposal()])))
        .then_expect_error(CommentError::AlreadyFlagged);
}

#[test]
fn reacting_to_a_missing_comment_is_refused() {
    react(vec![])
        .when(take_stance(
            Arc::new(Comment::default()),
            open_consultation(),
            Stance::Agree,
        ))
        .then_expect_error(CommentError::NotFound);
    react(vec![])
        .when(flag(Arc::new(Comment::default())))
        .then_expect_error(CommentError::NotFound);
}
