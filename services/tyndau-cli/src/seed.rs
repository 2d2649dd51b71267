//! `seed-demo`: demo petitions and signatures, written through the real command side.
//!
//! Every petition has a fixed id, so the command is idempotent: a petition that already reached
//! its demo state is skipped, one left half-way (an interrupted run) is taken forward from where
//! it stopped. Signatures are added only while the gate counts fewer than the demo target, and a
//! repeated signer is refused by the event store's primary key anyway.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use anyhow::{Context, bail};
use cqrs_es::AggregateError;
use futures::StreamExt;
use time::{Date, OffsetDateTime};
use tyndau_auth::Pseudonymizer;
use tyndau_db::sqlx::PgPool;
use tyndau_domain::{
    PetitionCommand, PetitionServices, PetitionStatus, SignatureCommand, SignatureError, SignatureServices,
};
use tyndau_events::petition::{Language, PetitionText, RejectionReason};
use tyndau_events::{Actor, ActorKind, EventMetadata};
use tyndau_ids::{
    BodyId, CorrelationId, Iin, PetitionId, Region, Sex, SignatureId, SignerKey, synthesize_iin,
};
use tyndau_store::{
    BatcherSettings, LoadMode, PetitionCqrs, PetitionRepository, SignatureBatcher, SignatureCqrs,
    SignatureGate, SignatureStore, petition_cqrs, signature_cqrs,
};
use uuid::{Uuid, uuid};

use crate::settings::Settings;

/// The moderator the demo petitions are published or rejected by.
pub const DEMO_MODERATOR: &str = "demo-moderator";
/// Signature commands in flight at once: enough for the batcher to group them.
const SIGNING_CONCURRENCY: usize = 128;

/// Where a demo petition ends up.
#[derive(Clone, Copy, Debug)]
pub enum Outcome {
    /// Published, with this many signatures.
    Published { signatures: u32 },
    Rejected {
        reason: RejectionReason,
        explanation: &'static str,
    },
    /// Submitted, waiting for a moderator.
    InModeration,
}

#[derive(Clone, Copy, Debug)]
pub struct DemoText {
    pub language: Language,
    pub title: &'static str,
    pub text: &'static str,
    pub request: &'static str,
}

#[derive(Clone, Copy, Debug)]
pub struct DemoPetition {
    pub id: Uuid,
    /// Short name for the summary.
    pub label: &'static str,
    pub addressee: &'static str,
    /// Which demo citizen drafts it.
    pub author: u16,
    pub texts: &'static [DemoText],
    pub outcome: Outcome,
}

pub const DEMO_PETITIONS: &[DemoPetition] = &[
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d1"),
        label: "bike lanes (Almaty)",
        addressee: "akimat-almaty",
        author: 1,
        texts: &[
            DemoText {
                language: Language::Kk,
                title: "Алматыда қауіпсіз велосипед жолдарының желісін салу",
                text: "Велосипед пен электросамокат мыңдаған алматылықтар үшін күнделікті көлікке айналды, бірақ \
                       бөлінген велосипед жолдары аз әрі бір-бірімен байланыспаған. Велосипедшілер жүріс бөлігімен \
                       немесе тротуармен жүруге мәжбүр, бұл олар үшін де, жаяу жүргіншілер үшін де қауіпті. Бөлек \
                       қорғалған инфрақұрылым жол-көлік оқиғаларын азайтады, кептелісті жеңілдетеді және ауа \
                       сапасын жақсартады.",
                request: "Абай, Әл-Фараби, Назарбаев даңғылдары мен Төле би көшесі бойынша бір-бірімен \
                          байланысқан және физикалық бөлінген велосипед жолдары желісінің жоспарын әзірлеп, \
                          жариялау және бірінші кезегін келесі жылдың соңына дейін салу.",
            },
            DemoText {
                language: Language::Ru,
                title: "Создать сеть безопасных велодорожек в Алматы",
                text: "Велосипед и электросамокат стали повседневным транспортом для тысяч жителей Алматы, но \
                       выделенных велодорожек мало, и они не связаны между собой. Велосипедисты вынуждены ехать \
                       по проезжей части или по тротуарам, что опасно и для них, и для пешеходов. Отдельная \
                       защищённая инфраструктура снизит аварийность, разгрузит дороги и улучшит качество воздуха.",
                request: "Разработать и опубликовать план сети связанных и физически отделённых велодорожек по \
                          проспектам Абая, Аль-Фараби, Назарбаева и улице Толе би и построить первую очередь до \
                          конца следующего года.",
            },
        ],
        // One short of the Almaty akimat's 2,500: a newcomer's signature sends it to the akimat, whose
        // official (madina) can then answer it, and the signers hear of it (README, "Trying it").
        outcome: Outcome::Published { signatures: 2_499 },
    },
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d2"),
        label: "public park (Astana)",
        addressee: "maslikhat-astana",
        author: 2,
        texts: &[
            DemoText {
                language: Language::Kk,
                title: "Нұра ауданындағы бос алаңда қоғамдық саябақ салу",
                text: "Жылдам өсіп келе жатқан Нұра ауданында жасыл аймақтар жоқтың қасы: жаңа тұрғын үй \
                       кешендері бір-біріне тығыз салынып жатыр, балалар мен қарттардың серуендейтін жері жоқ. \
                       Тұрғын кварталдар арасындағы бос жер учаскесі ағаштары, жарықтандырылған жолдары, балалар \
                       және спорт алаңдары бар саябаққа айнала алады.",
                request: "Учаскені қаланың бас жоспарында жалпы пайдаланудағы жасыл аймақ ретінде бекіту, онда \
                          тұрғын үй салуға тыйым салу және келесі жылғы бюджетте тұрғындардың қатысуымен \
                          саябақты жобалауға қаражат қарастыру.",
            },
            DemoText {
                language: Language::Ru,
                title: "Разбить общественный парк на пустыре в районе Нура",
                text: "В быстро растущем районе Нура почти нет зелёных зон: новые жилые комплексы строятся \
                       вплотную друг к другу, а детям и пожилым людям негде гулять. Пустующий участок между \
                       жилыми кварталами может стать парком с деревьями, освещёнными дорожками, детской и \
                       спортивной площадками.",
                request: "Закрепить участок в генеральном плане города как зелёную зону общего пользования, \
                          запретить на нём жилую застройку и предусмотреть в бюджете следующего года средства на \
                          проектирование парка с участием жителей.",
            },
        ],
        outcome: Outcome::Published { signatures: 180 },
    },
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d3"),
        label: "school meals (national)",
        addressee: "government",
        author: 3,
        texts: &[
            DemoText {
                language: Language::Kk,
                title: "Бастауыш сынып оқушыларының барлығына тегін ыстық тамақ",
                text: "Қазір 1–4 сынып оқушыларының бәрі бірдей тегін ыстық тамақпен қамтылмаған, ал оның сапасы \
                       өңірлер арасында айтарлықтай ерекшеленеді. Мектептегі толыққанды түскі ас балалардың \
                       денсаулығы мен үлгеріміне маңызды, әсіресе табысы төмен отбасылар мен ауылдық жерлерде.",
                request: "Мемлекеттік мектептердің 1–4 сынып оқушыларының барлығын тегін ыстық тамақпен \
                          қамтамасыз ету, түскі асқа бірыңғай сапа және калориялық талаптарын бекіту және мектеп \
                          асханаларын тексеру нәтижелерін жариялау.",
            },
            DemoText {
                language: Language::Ru,
                title: "Бесплатное горячее питание для всех учеников начальной школы",
                text: "Сейчас бесплатное горячее питание получают не все ученики 1–4 классов, а его качество \
                       сильно различается между регионами. Полноценный обед в школе важен для здоровья и \
                       успеваемости детей, особенно в семьях с невысоким доходом и в сельской местности.",
                request: "Обеспечить бесплатным горячим питанием всех учеников 1–4 классов государственных школ, \
                          утвердить единые требования к качеству и калорийности обедов и публиковать результаты \
                          проверок школьных столовых.",
            },
            DemoText {
                language: Language::En,
                title: "Free hot meals for every primary school pupil",
                text: "Not every pupil in grades 1 to 4 receives a free hot meal today, and the quality differs \
                       widely between regions. A proper school lunch matters for children's health and learning, \
                       especially in low-income families and in rural areas.",
                request: "Provide free hot meals to all pupils in grades 1 to 4 of state schools, set common \
                          quality and nutrition standards for school lunches and publish the results of school \
                          canteen inspections.",
            },
        ],
        outcome: Outcome::Published { signatures: 300 },
    },
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d4"),
        label: "bus route (Shymkent)",
        addressee: "akimat-shymkent",
        author: 4,
        texts: &[
            DemoText {
                language: Language::Kk,
                title: "Нұрсат шағын ауданынан Шымкент орталығына автобус бағытын ашу",
                text: "Нұрсат шағын ауданының тұрғындары қала орталығына ауысып отырып жетеді және жолға бір \
                       сағаттан астам уақыт жұмсайды. Қолданыстағы бағыттардың автобустары қарбалас уақытта лық \
                       толы, ал кешке қозғалыс аралығы 30 минуттан асады.",
                request: "Нұрсат шағын ауданынан Әл-Фараби алаңына дейін қарбалас уақытта аралығы 10 минуттан \
                          аспайтын тікелей автобус бағытын ашу және бағыттың жұмысын 23:00-ге дейін ұзарту.",
            },
            DemoText {
                language: Language::Ru,
                title: "Открыть автобусный маршрут из микрорайона Нурсат в центр Шымкента",
                text: "Жители микрорайона Нурсат добираются до центра города с пересадками и тратят на дорогу \
                       больше часа. Автобусы существующих маршрутов в часы пик переполнены, а вечером интервал \
                       движения превышает 30 минут.",
                request: "Открыть прямой автобусный маршрут от микрорайона Нурсат до площади Аль-Фараби с \
                          интервалом не более 10 минут в часы пик и продлить работу маршрута до 23:00.",
            },
        ],
        outcome: Outcome::Published { signatures: 90 },
    },
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d5"),
        label: "roof repair (rejected)",
        addressee: "akimat-karaganda",
        author: 5,
        texts: &[DemoText {
            language: Language::Ru,
            title: "Отремонтировать кровлю дома № 12 по улице Ерубаева",
            text: "Крыша нашего пятиэтажного дома протекает уже третий год: в квартирах верхнего этажа после \
                   каждого дождя сыреют стены и потолки. Управляющая компания ремонт постоянно откладывает.",
            request: "Обязать управляющую компанию отремонтировать кровлю дома до начала осени.",
        }],
        outcome: Outcome::Rejected {
            reason: RejectionReason::PersonalMatter,
            explanation: "Петиция касается ремонта одного жилого дома, а не общественного вопроса. Обратитесь с \
                          заявлением в управляющую компанию или в местный исполнительный орган через e-Otinish. / \
                          Петиция бір тұрғын үйді жөндеуге қатысты, қоғамдық мәселе емес. Басқарушы компанияға \
                          немесе жергілікті атқарушы органға e-Otinish арқылы өтініш беріңіз.",
        },
    },
    DemoPetition {
        id: uuid!("0196a000-0000-7000-8000-0000000000d6"),
        label: "crossing lights (in moderation)",
        addressee: "akimat-kostanay",
        author: 6,
        texts: &[
            DemoText {
                language: Language::Kk,
                title: "Қостанайдағы мектептер маңындағы жаяу жүргіншілер өткелдеріне жарық пен бағдаршам орнату",
                text: "Қостанайдағы мектептер маңындағы көптеген жаяу жүргіншілер өткелдері жарықтандырылмаған, \
                       ал қыста кешкі бесте-ақ қараңғы түседі. Балалар мектептен қараңғыда қайтады, жүргізушілер \
                       оларды тым кеш байқайды.",
                request: "Келесі оқу жылы басталғанға дейін мектептерден 300 метр радиустағы барлық жаяу \
                          жүргіншілер өткелдеріне жарық, жарық шағылыстыратын белгі және түймелі бағдаршам орнату.",
            },
            DemoText {
                language: Language::Ru,
                title: "Осветить пешеходные переходы у школ Костаная и установить светофоры",
                text: "Многие пешеходные переходы возле школ Костаная не освещены, а зимой темнеет уже к пяти \
                       часам вечера. Дети возвращаются из школы в темноте, и водители замечают их слишком поздно.",
                request: "До начала следующего учебного года установить освещение, светоотражающую разметку и \
                          кнопочные светофоры на всех пешеходных переходах в радиусе 300 метров от школ.",
            },
        ],
        outcome: Outcome::InModeration,
    },
];

/// What one demo petition's run did.
#[derive(Debug, Default)]
struct Report {
    /// Commands executed on the petition (draft, submit, publish/reject).
    steps: Vec<&'static str>,
    signed: u32,
    already_signed: u32,
    /// The gate's count at the end (published petitions only).
    gate_count: Option<i64>,
    status: Option<PetitionStatus>,
}

struct Seeder {
    petitions: Arc<PetitionCqrs>,
    repository: PetitionRepository,
    signatures: Arc<SignatureCqrs>,
    gate: SignatureGate,
    pool: PgPool,
    pseudonymizer: Pseudonymizer,
}

pub async fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    settings.refuse_production("load demo data")?;
    let pseudonymizer = settings.pseudonymizer()?;
    let pool = tyndau_db::connect(settings.database()?)
        .await
        .context("cannot connect to the database")?;
    let batcher = SignatureBatcher::spawn(pool.clone(), BatcherSettings::default());
    let store = SignatureStore::new(pool.clone(), batcher, LoadMode::Blind);
    let seeder = Seeder {
        petitions: petition_cqrs(pool.clone(), PetitionServices::default()),
        repository: PetitionRepository::new(pool.clone()),
        signatures: signature_cqrs(store, SignatureServices::default()),
        gate: SignatureGate::new(pool.clone()),
        pool,
        pseudonymizer,
    };

    let mut reports = Vec::new();
    for (index, demo) in DEMO_PETITIONS.iter().enumerate() {
        let report = seeder
            .seed(index, demo)
            .await
            .with_context(|| format!("demo petition {} ({})", demo.id, demo.label))?;
        reports.push((demo, report));
    }

    eprintln!("demo data:");
    let (mut created, mut signed) = (0, 0);
    for (demo, report) in &reports {
        let status = report
            .status
            .map_or_else(|| "?".to_owned(), |s| format!("{s:?}").to_lowercase());
        let done = if report.steps.is_empty() && report.signed == 0 {
            "already present".to_owned()
        } else {
            let mut parts: Vec<String> = report.steps.iter().map(|s| (*s).to_owned()).collect();
            if report.signed > 0 {
                parts.push(format!("+{} signatures", report.signed));
            }
            parts.join(", ")
        };
        let count = report
            .gate_count
            .map(|c| format!(", {c} signatures"))
            .unwrap_or_default();
        eprintln!("  {} {:<32} {status}{count} ({done})", demo.id, demo.label);
        created += usize::from(report.steps.contains(&"drafted"));
        signed += report.signed;
    }
    eprintln!(
        "{} demo petitions: {created} created now, {signed} signatures added now",
        DEMO_PETITIONS.len()
    );
    let consultation = crate::seed_consultation::seed(&seeder.pool, &seeder.pseudonymizer)
        .await
        .context("demo consultation")?;
    eprintln!(
        "  {} {:<32} {consultation}",
        crate::seed_consultation::DEMO_CONSULTATION,
        "green spaces rules (Almaty)"
    );
    Ok(())
}

impl Seeder {
    /// Takes one petition from wherever it is to its demo state.
    async fn seed(&self, index: usize, demo: &DemoPetition) -> anyhow::Result<Report> {
        let id = PetitionId::from_uuid(demo.id);
        let aggregate_id = id.to_string();
        let author_iin = author_iin(demo.author).context("cannot synthesize the author's IIN")?;
        let author = self.pseudonymizer.signer_key(&author_iin);
        let citizen = Actor {
            kind: ActorKind::Citizen,
            id: author.to_hex(),
        };
        let moderator = Actor {
            kind: ActorKind::Moderator,
            id: DEMO_MODERATOR.to_owned(),
        };
        let mut report = Report::default();

        loop {
            let petition = self
                .repository
                .load(id)
                .await
                .context("cannot load the petition")?;
            let status = petition.status();
            report.status = Some(status);
            let at = OffsetDateTime::now_utc();
            let (command, actor, step) = match (status, demo.outcome) {
                (PetitionStatus::New, _) => (draft(demo, id, author, at)?, &citizen, "drafted"),
                (PetitionStatus::Draft, _) => {
                    if petition.author() != Some(author) {
                        bail!(
                            "the draft has another author: was the signer pepper changed since the last run?"
                        );
                    }
                    (PetitionCommand::Submit { by: author, at }, &citizen, "submitted")
                }
                (PetitionStatus::Submitted, Outcome::Published { .. }) => {
                    (PetitionCommand::Publish { at }, &moderator, "published")
                }
                (PetitionStatus::Submitted, Outcome::Rejected { reason, explanation }) => (
                    PetitionCommand::Reject {
                        reason,
                        explanation: explanation.to_owned(),
                        at,
                    },
                    &moderator,
                    "rejected",
                ),
                (PetitionStatus::Open, Outcome::Published { signatures }) => {
                    self.sign(index, id, signatures, &mut report).await?;
                    break;
                }
                // In moderation, rejected, or moved on (closed, archived…) by the services: done.
                _ => break,
            };
            let metadata = EventMetadata::new(actor.clone(), CorrelationId::new(), at);
            self.petitions
                .execute_with_metadata(&aggregate_id, command, metadata.to_map())
                .await
                .with_context(|| format!("cannot execute the {step} step"))?;
            tracing::debug!(petition = %id, step, "demo petition step");
            report.steps.push(step);
        }
        Ok(report)
    }

    /// Adds synthetic signatures until the gate counts `target`.
    async fn sign(
        &self,
        index: usize,
        id: PetitionId,
        target: u32,
        report: &mut Report,
    ) -> anyhow::Result<()> {
        let terms = self
            .gate
            .terms(id)
            .await
            .context("cannot read the signature gate")?
            .context("the petition is open but has no signature gate")?;
        let count = self.gate_count(id).await?;
        report.gate_count = Some(count);
        if count >= i64::from(target) || !terms.accepts_at(OffsetDateTime::now_utc()) {
            return Ok(());
        }
        let signers = signers_for(index, terms.scope, target, &self.pseudonymizer)?;
        let mut results = futures::stream::iter(signers)
            .map(|(signer, birth_date, residence)| async move {
                let at = OffsetDateTime::now_utc();
                let actor = Actor {
                    kind: ActorKind::Citizen,
                    id: signer.to_hex(),
                };
                let metadata = EventMetadata::new(actor, CorrelationId::new(), at);
                let command = SignatureCommand::Sign {
                    terms,
                    signer,
                    birth_date,
                    residence,
                    at,
                    display_name: None,
                };
                self.signatures
                    .execute_with_metadata(
                        &SignatureId::new(id, signer).to_string(),
                        command,
                        metadata.to_map(),
                    )
                    .await
            })
            .buffer_unordered(SIGNING_CONCURRENCY);
        while let Some(result) = results.next().await {
            match result {
                Ok(()) => report.signed += 1,
                Err(AggregateError::UserError(SignatureError::AlreadySigned)) => report.already_signed += 1,
                Err(error) => return Err(error).context("cannot record a demo signature"),
            }
        }
        report.gate_count = Some(self.gate_count(id).await?);
        Ok(())
    }

    async fn gate_count(&self, id: PetitionId) -> anyhow::Result<i64> {
        let count = self
            .gate
            .count(id)
            .await
            .context("cannot read the signature count")?
            .context("the petition has no signature gate")?;
        Ok(i64::from(count))
    }
}

fn draft(
    demo: &DemoPetition,
    id: PetitionId,
    author: SignerKey,
    at: OffsetDateTime,
) -> anyhow::Result<PetitionCommand> {
    let addressee: BodyId = demo
        .addressee
        .parse()
        .map_err(|e| anyhow::anyhow!("invalid demo addressee {}: {e}", demo.addressee))?;
    let content: BTreeMap<Language, PetitionText> = demo
        .texts
        .iter()
        .map(|t| {
            let text = PetitionText {
                title: t.title.to_owned(),
                text: t.text.to_owned(),
                request: t.request.to_owned(),
            };
            (t.language, text)
        })
        .collect();
    Ok(PetitionCommand::Draft {
        petition_id: id,
        author,
        addressee,
        content,
        at,
    })
}

/// The demo author number `n`: an adult with a fixed IIN (serials 9000 and up, never used by signers).
pub fn author_iin(n: u16) -> Option<Iin> {
    let birth = Date::from_ordinal_date(1975 + i32::from(n) * 3, 20 + n * 40).ok()?;
    let sex = if n.is_multiple_of(2) {
        Sex::Male
    } else {
        Sex::Female
    };
    (0..10).find_map(|k| synthesize_iin(birth, sex, 9000 + n * 10 + k))
}

/// Synthetic demo citizen number `n`: born 1955–2004 (adult), alternating sex, serial `n`, so
/// distinct numbers give distinct IINs. `None` for the rare serial without a check digit.
pub fn citizen_iin(n: u16) -> Option<Iin> {
    let year = 1955 + i32::from(n % 50);
    let ordinal = 1 + (u32::from(n) * 37 % 365) as u16;
    let birth = Date::from_ordinal_date(year, ordinal).ok()?;
    let sex = if n.is_multiple_of(2) {
        Sex::Female
    } else {
        Sex::Male
    };
    synthesize_iin(birth, sex, n)
}

/// The signature of the first demo citizen who signs the demo petition `petition`.
pub fn first_demo_signature(petition: Uuid, pseudonymizer: &Pseudonymizer) -> anyhow::Result<SignatureId> {
    let index = DEMO_PETITIONS
        .iter()
        .position(|d| d.id == petition)
        .context("not a demo petition (see DEMO_PETITIONS in services/tyndau-cli/src/seed.rs)")?;
    let (signer, ..) = signers_for(index, None, 1, pseudonymizer)?
        .into_iter()
        .next()
        .context("the demo petition has no demo signer")?;
    Ok(SignatureId::new(PetitionId::from_uuid(petition), signer))
}

/// Citizen numbers per demo petition: each petition draws signers from its own block.
const CITIZENS_PER_PETITION: u16 = 2_600;

/// `count` distinct signers for the demo petition at `index`: residents of its region when it is
/// local, spread over every region when it is national.
fn signers_for(
    index: usize,
    scope: Option<Region>,
    count: u32,
    pseudonymizer: &Pseudonymizer,
) -> anyhow::Result<Vec<(SignerKey, Date, Region)>> {
    let block = u16::try_from(index)
        .ok()
        .and_then(|i| i.checked_mul(CITIZENS_PER_PETITION))
        .context("too many demo petitions")?;
    let mut seen = HashSet::new();
    let mut signers = Vec::new();
    for n in block..block.saturating_add(CITIZENS_PER_PETITION) {
        if signers.len() >= count as usize {
            break;
        }
        let Some(iin) = citizen_iin(n) else { continue };
        let residence = scope.unwrap_or(Region::ALL[usize::from(n) % Region::ALL.len()]);
        let key = pseudonymizer.signer_key(&iin);
        if seen.insert(key) {
            signers.push((key, iin.birth_date(), residence));
        }
    }
    if signers.len() < count as usize {
        bail!("only {} demo citizens available, {count} wanted", signers.len());
    }
    Ok(signers)
}
