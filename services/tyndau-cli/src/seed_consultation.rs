//! `seed-demo`, consultations: one open consultation of the Almaty akimat on a draft regulation,
//! with proposals from citizens (on provisions, quoted, and on the whole draft), a reply, stances
//! and answers. Fixed ids make it idempotent: what exists is left as it is.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context;
use cqrs_es::AggregateError;
use time::{Duration, OffsetDateTime};
use tyndau_auth::Pseudonymizer;
use tyndau_db::sqlx::PgPool;
use tyndau_domain::{
    Comment, CommentCommand, CommentError, Consultation, ConsultationCommand, ConsultationError,
    ConsultationPolicy, ConsultationServices, Reaction, ReactionCommand,
};
use tyndau_events::comment::{
    Channel, CommentAuthor, Disposition, ProvisionRef, Stance, comment_aggregate_id, reaction_aggregate_id,
};
use tyndau_events::consultation::{ConsultationText, Provision};
use tyndau_events::petition::Language;
use tyndau_events::{Actor, ActorKind, EventMetadata};
use tyndau_ids::{BodyId, CommentId, ConsultationId, CorrelationId, Region};
use tyndau_store::{ConsultationStates, Repository, cqrs};
use uuid::{Uuid, uuid};

use crate::seed::citizen_iin;

pub const DEMO_CONSULTATION: Uuid = uuid!("0196a000-0000-7000-8000-0000000000c1");
const BODY: &str = "akimat-almaty";

fn texts(kk: &str, ru: &str) -> BTreeMap<Language, String> {
    BTreeMap::from([(Language::Kk, kk.to_owned()), (Language::Ru, ru.to_owned())])
}

fn provision(path: &str, kk: &str, ru: &str) -> anyhow::Result<Provision> {
    Ok(Provision {
        path: path.parse().with_context(|| format!("demo path {path}"))?,
        heading: BTreeMap::new(),
        text: texts(kk, ru),
    })
}

fn draft() -> anyhow::Result<Vec<Provision>> {
    Ok(vec![
        Provision {
            heading: texts("Жалпы ережелер", "Общие положения"),
            ..provision(
                "a1",
                "Осы Қағидалар Алматы қаласының жасыл желектерін күтіп-ұстау тәртібін белгілейді.",
                "Настоящие Правила устанавливают порядок содержания зелёных насаждений города Алматы.",
            )?
        },
        provision(
            "a1.p1",
            "Ағаштарды кесуге тек аудан әкімдігінің рұқсатымен жол беріледі.",
            "Вырубка деревьев допускается только с разрешения акимата района.",
        )?,
        provision(
            "a1.p2",
            "Кесілген әр ағаштың орнына кемінде екі көшет отырғызылады.",
            "Взамен каждого вырубленного дерева высаживается не менее двух саженцев.",
        )?,
        Provision {
            heading: texts("Қоғамдық бақылау", "Общественный контроль"),
            ..provision(
                "a2",
                "Кесуге берілген рұқсаттар ресми сайтта бес жұмыс күні ішінде жарияланады.",
                "Разрешения на вырубку публикуются на официальном сайте в течение пяти рабочих дней.",
            )?
        },
        provision(
            "a3",
            "Осы Қағидалар алғашқы ресми жарияланған күнінен кейін он күнтізбелік күн өткен соң қолданысқа енгізіледі.",
            "Настоящие Правила вводятся в действие по истечении десяти календарных дней после дня их первого официального опубликования.",
        )?,
    ])
}

fn content() -> BTreeMap<Language, ConsultationText> {
    BTreeMap::from([
        (
            Language::Kk,
            ConsultationText {
                title: "Алматы қаласының жасыл желектерін күтіп-ұстау қағидаларының жобасы".to_owned(),
                summary: "Ағаш кесуге рұқсат беру, өтемдік отырғызу және қоғамдық бақылау тәртібі."
                    .to_owned(),
                explanatory_note:
                    "Жоба ағаш кесу шешімдерін ашық етуге және қаладағы жасыл желекті сақтауға бағытталған."
                        .to_owned(),
            },
        ),
        (
            Language::Ru,
            ConsultationText {
                title: "Проект правил содержания зелёных насаждений города Алматы".to_owned(),
                summary: "Порядок разрешений на вырубку, компенсационной посадки и общественного контроля."
                    .to_owned(),
                explanatory_note:
                    "Проект направлен на открытость решений о вырубке и сохранение зелёного фонда города."
                        .to_owned(),
            },
        ),
    ])
}

struct DemoComment {
    id: Uuid,
    citizen: u16,
    path: Option<&'static str>,
    quote: Option<&'static str>,
    text: &'static str,
    answer: Option<(Disposition, &'static str, Option<&'static str>)>,
}

const COMMENTS: &[DemoComment] = &[
    DemoComment {
        id: uuid!("0196a000-0000-7000-8000-00000000c101"),
        citizen: 11,
        path: Some("a1.p2"),
        quote: Some("не менее двух саженцев"),
        text: "Двух саженцев мало: взрослое дерево заменяют десять. Предлагаю не менее пяти и уход три года.",
        answer: Some((
            Disposition::PartiallyAccepted,
            "Норма повышена до трёх саженцев; уход за посадками — два года за счёт заявителя.",
            Some("a1.p2"),
        )),
    },
    DemoComment {
        id: uuid!("0196a000-0000-7000-8000-00000000c102"),
        citizen: 12,
        path: Some("a2"),
        quote: Some("в течение пяти рабочих дней"),
        text: "Публиковать нужно до начала вырубки, а не после, иначе обжаловать уже нечего.",
        answer: Some((
            Disposition::Accepted,
            "Разрешение публикуется не позднее чем за десять дней до начала работ.",
            Some("a2"),
        )),
    },
    DemoComment {
        id: uuid!("0196a000-0000-7000-8000-00000000c103"),
        citizen: 13,
        path: None,
        quote: None,
        text: "Жоба керек, бірақ ауладағы ағаштарға да қолдану керек.",
        answer: None,
    },
];

pub(crate) async fn seed(pool: &PgPool, pseudonymizer: &Pseudonymizer) -> anyhow::Result<&'static str> {
    let id = ConsultationId::from_uuid(DEMO_CONSULTATION);
    let body: BodyId = BODY.parse().context("demo body id")?;
    let consultations = cqrs::<Consultation>(pool.clone(), ConsultationServices::default());
    let comments = cqrs::<Comment>(pool.clone(), ConsultationPolicy::default());
    let reactions = cqrs::<Reaction>(pool.clone(), ());
    let states = ConsultationStates::new(pool.clone());
    let repository = Repository::<Comment>::new(pool.clone());
    if states.get(id).await?.exists() {
        return Ok("already present");
    }
    let now = OffsetDateTime::now_utc();
    let official = Actor {
        kind: ActorKind::Official,
        id: "demo-official".to_owned(),
    };
    let metadata = |actor: &Actor| EventMetadata::new(actor.clone(), CorrelationId::new(), now).to_map();
    let run = |result: Result<(), AggregateError<ConsultationError>>| {
        result.context("cannot write the demo consultation")
    };
    run(consultations
        .execute_with_metadata(
            &id.to_string(),
            ConsultationCommand::Draft {
                consultation_id: id,
                by: body.clone(),
                content: content(),
                provisions: draft()?,
                at: now,
            },
            metadata(&official),
        )
        .await)?;
    run(consultations
        .execute_with_metadata(
            &id.to_string(),
            ConsultationCommand::Open {
                by: body.clone(),
                closes_at: now + Duration::days(30),
                at: now,
            },
            metadata(&official),
        )
        .await)?;
    let consultation = states.get(id).await?;
    let comment_result =
        |result: Result<(), AggregateError<CommentError>>| result.context("cannot write a demo comment");
    for demo in COMMENTS {
        let iin = citizen_iin(demo.citizen).context("demo citizen IIN")?;
        let key = pseudonymizer.signer_key(&iin);
        let citizen = Actor {
            kind: ActorKind::Citizen,
            id: key.to_hex(),
        };
        let comment_id = CommentId::from_uuid(demo.id);
        comment_result(
            comments
                .execute_with_metadata(
                    &comment_aggregate_id(id, comment_id),
                    CommentCommand::Post {
                        comment_id,
                        consultation: consultation.clone(),
                        reply_to: None,
                        author: CommentAuthor::Citizen { key },
                        channel: Channel::Citizen,
                        region: Some(Region::Almaty),
                        path: demo.path.map(str::parse).transpose().context("demo path")?,
                        quote: demo.quote.map(str::to_owned),
                        language: if demo.path.is_some() {
                            Language::Ru
                        } else {
                            Language::Kk
                        },
                        text: demo.text.to_owned(),
                        at: now,
                    },
                    metadata(&citizen),
                )
                .await,
        )?;
        // Two neighbours agree with every proposal.
        for neighbour in [demo.citizen + 20, demo.citizen + 21] {
            let other = pseudonymizer.signer_key(&citizen_iin(neighbour).context("demo citizen IIN")?);
            let target = Arc::new(repository.load(&comment_aggregate_id(id, comment_id)).await?);
            comment_result(
                reactions
                    .execute_with_metadata(
                        &reaction_aggregate_id(id, comment_id, other),
                        ReactionCommand::TakeStance {
                            citizen: other,
                            comment: target,
                            consultation: consultation.clone(),
                            stance: Stance::Agree,
                            at: now,
                        },
                        metadata(&citizen),
                    )
                    .await,
            )?;
        }
        if let Some((disposition, reason, changed)) = demo.answer {
            comment_result(
                comments
                    .execute_with_metadata(
                        &comment_aggregate_id(id, comment_id),
                        CommentCommand::Answer {
                            by: body.clone(),
                            consultation: consultation.clone(),
                            disposition,
                            reason: texts("Жауап орыс тілінде берілді.", reason),
                            changed: changed
                                .map(|path| path.parse().map(|path| ProvisionRef { version: 1, path }))
                                .transpose()
                                .context("demo path")?,
                            duplicate_of: None,
                            at: now,
                        },
                        metadata(&official),
                    )
                    .await,
            )?;
        }
    }
    Ok("created: open, 3 proposals, 2 answered")
}
