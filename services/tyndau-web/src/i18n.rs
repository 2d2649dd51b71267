//! The three languages of the front: Kazakh (the state language, first), Russian and English.
//!
//! Every fixed string lives in one [`Texts`] table per language, so a missing translation is a
//! compile error, not a blank on the page. Numbers, dates, durations and plurals are formatted
//! here by each language's rules; dates are shown in Kazakhstan's time (UTC+5, one zone for
//! the whole country since March 2024).

use time::{Date, Month, OffsetDateTime, UtcOffset};
use tyndau_events::petition::{ClosingOutcome, Decision, Level, RejectionReason, StopReason};
use tyndau_ids::Region;
use tyndau_read_model::{ConsultationStatus, LocalizedString, NextStep, PetitionStatus};

/// Kazakhstan's civil time, in which every date on the site is shown.
pub const KAZAKHSTAN: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    /// Kazakh first: the order of the language switch and of fallbacks.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, for the switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Kk => &KK,
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }

    /// Picks the language for `/` from an `Accept-Language` header: the highest-weighted of
    /// ours, Kazakh when the header is absent, unparsable or names none of them (or on a tie).
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Kk;
        };
        let mut best: Option<(Lang, u16)> = None;
        for item in header.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let primary = tag.split('-').next().unwrap_or_default();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .next()
                .map_or(Some(1000), parse_quality);
            let (Some(lang), Some(quality)) = (Lang::from_code(primary), quality) else {
                continue;
            };
            if quality == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((current, q)) => quality > q || (quality == q && lang_rank(lang) < lang_rank(current)),
            };
            if better {
                best = Some((lang, quality));
            }
        }
        best.map_or(Lang::Kk, |(lang, _)| lang)
    }
}

fn lang_rank(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(usize::MAX)
}

/// A `q` value in thousandths; `None` when malformed (the item is then ignored).
fn parse_quality(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// A piece of user content in the language it is shown in, and whether that is a fallback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown<T> {
    pub value: T,
    pub lang: Lang,
    /// Shown in another language than the page's: the page says so.
    pub fallback: bool,
}

/// Chooses the version of user content to show on a `lang` page: that language if the author
/// gave it, else the first given in Kazakh, Russian, English order.
pub fn pick<T: Clone>(lang: Lang, get: impl Fn(Lang) -> Option<T>) -> Option<Shown<T>> {
    if let Some(value) = get(lang) {
        return Some(Shown {
            value,
            lang,
            fallback: false,
        });
    }
    Lang::ALL.into_iter().find_map(|other| {
        get(other).map(|value| Shown {
            value,
            lang: other,
            fallback: true,
        })
    })
}

pub fn pick_string(lang: Lang, texts: &LocalizedString) -> Option<Shown<String>> {
    pick(lang, |l| {
        match l {
            Lang::Kk => texts.kk.clone(),
            Lang::Ru => texts.ru.clone(),
            Lang::En => texts.en.clone(),
        }
        .filter(|s| !s.trim().is_empty())
    })
}

/// A JSON object of texts by language code (`{"kk": …, "ru": …}`), as consultations store them.
pub fn pick_json(lang: Lang, value: &serde_json::Value) -> Option<Shown<String>> {
    pick(lang, |l| {
        value
            .get(l.code())
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    })
}

/// `1234567` → `1 234 567` (Kazakh, Russian: no-break spaces) or `1,234,567` (English).
pub fn number(lang: Lang, n: i64) -> String {
    let separator = match lang {
        Lang::Kk | Lang::Ru => '\u{a0}',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A percentage with one decimal (`12,5 %` in Kazakh and Russian, `12.5%` in English).
pub fn percent(lang: Lang, part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".to_owned();
    }
    let tenths = (part.max(0) * 1000 + whole / 2) / whole;
    let (int, frac) = (tenths / 10, tenths % 10);
    match lang {
        Lang::Kk | Lang::Ru => format!("{int},{frac}\u{a0}%"),
        Lang::En => format!("{int}.{frac}%"),
    }
}

const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
/// Genitive, as after a day number.
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(lang: Lang, month: Month) -> &'static str {
    let index = usize::from(u8::from(month)) - 1;
    match lang {
        Lang::Kk => MONTHS_KK[index],
        Lang::Ru => MONTHS_RU[index],
        Lang::En => MONTHS_EN[index],
    }
}

/// `2025 ж. 5 қараша`, `5 ноября 2025 г.`, `5 November 2025`.
pub fn day(lang: Lang, date: Date) -> String {
    let (y, m, d) = (date.year(), month_name(lang, date.month()), date.day());
    match lang {
        Lang::Kk => format!("{y} ж. {d} {m}"),
        Lang::Ru => format!("{d} {m} {y} г."),
        Lang::En => format!("{d} {m} {y}"),
    }
}

/// A day without the year, for chart axes.
pub fn day_short(lang: Lang, date: Date) -> String {
    format!("{} {}", date.day(), month_name(lang, date.month()))
}

/// The date in Kazakhstan.
pub fn date(lang: Lang, at: OffsetDateTime) -> String {
    day(lang, at.to_offset(KAZAKHSTAN).date())
}

/// The date and time in Kazakhstan: `5 November 2025, 14:30`.
pub fn date_time(lang: Lang, at: OffsetDateTime) -> String {
    let local = at.to_offset(KAZAKHSTAN);
    format!(
        "{}, {:02}:{:02}",
        day(lang, local.date()),
        local.hour(),
        local.minute()
    )
}

/// Machine-readable value for `<time datetime>`.
pub fn iso(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
enum Plural {
    One,
    Few,
    Many,
}

/// Russian plural category of `n`.
fn ru_plural(n: i64) -> Plural {
    let n = n.unsigned_abs();
    match (n % 10, n % 100) {
        (1, m) if m != 11 => Plural::One,
        (2..=4, m) if !(12..=14).contains(&m) => Plural::Few,
        _ => Plural::Many,
    }
}

/// `n` with its noun: Kazakh keeps the noun singular after a number, Russian has three forms,
/// English two.
fn counted(lang: Lang, n: i64, kk: &str, ru: [&str; 3], en: [&str; 2]) -> String {
    let shown = number(lang, n);
    match lang {
        Lang::Kk => format!("{shown} {kk}"),
        Lang::Ru => {
            let noun = match ru_plural(n) {
                Plural::One => ru[0],
                Plural::Few => ru[1],
                Plural::Many => ru[2],
            };
            format!("{shown} {noun}")
        }
        Lang::En => format!("{shown} {}", if n == 1 { en[0] } else { en[1] }),
    }
}

pub fn signatures(lang: Lang, n: i64) -> String {
    counted(
        lang,
        n,
        "қол",
        ["подпись", "подписи", "подписей"],
        ["signature", "signatures"],
    )
}

pub fn proposals(lang: Lang, n: i64) -> String {
    counted(
        lang,
        n,
        "ұсыныс",
        ["предложение", "предложения", "предложений"],
        ["proposal", "proposals"],
    )
}

pub fn replies(lang: Lang, n: i64) -> String {
    counted(
        lang,
        n,
        "жауап",
        ["ответ", "ответа", "ответов"],
        ["reply", "replies"],
    )
}

pub fn periods(lang: Lang, n: i64) -> String {
    counted(
        lang,
        n,
        "кезең",
        ["период", "периода", "периодов"],
        ["period", "periods"],
    )
}

pub fn days(lang: Lang, n: i64) -> String {
    counted(lang, n, "күн", ["день", "дня", "дней"], ["day", "days"])
}

pub fn hours(lang: Lang, n: i64) -> String {
    counted(lang, n, "сағат", ["час", "часа", "часов"], ["hour", "hours"])
}

/// A duration in days and hours (`3 days 4 hours`), hours alone under a day.
pub fn duration(lang: Lang, seconds: f64) -> String {
    let total_hours = (seconds.max(0.0) / 3600.0).round() as i64;
    let (d, h) = (total_hours / 24, total_hours % 24);
    match (d, h) {
        (0, 0) => lang.t().under_an_hour.to_owned(),
        (0, h) => hours(lang, h),
        (d, 0) => days(lang, d),
        (d, h) => format!("{} {}", days(lang, d), hours(lang, h)),
    }
}

/// "12,345 of 50,000 signatures" in each language.
pub fn count_of_threshold(lang: Lang, count: i64, threshold: i64) -> String {
    let (c, t) = (number(lang, count), number(lang, threshold));
    match lang {
        Lang::Kk => format!("{t} қолдың {c}"),
        Lang::Ru => format!("{c} из {t} подписей"),
        Lang::En => format!("{c} of {t} signatures"),
    }
}

/// The note under user content shown in another language than the page's.
pub fn fallback_note(page: Lang, shown: Lang) -> String {
    let name = |l: Lang| match (page, l) {
        (Lang::Kk, Lang::Kk) => "қазақ",
        (Lang::Kk, Lang::Ru) => "орыс",
        (Lang::Kk, Lang::En) => "ағылшын",
        (Lang::Ru, Lang::Kk) => "казахском",
        (Lang::Ru, Lang::Ru) => "русском",
        (Lang::Ru, Lang::En) => "английском",
        (Lang::En, Lang::Kk) => "Kazakh",
        (Lang::En, Lang::Ru) => "Russian",
        (Lang::En, Lang::En) => "English",
    };
    match page {
        Lang::Kk => format!(
            "Автор мәтінді қазақ тілінде бермеген, сондықтан ол {} тілінде көрсетілген.",
            name(shown)
        ),
        Lang::Ru => format!(
            "Автор не предоставил текст на русском языке, поэтому он показан на {} языке.",
            name(shown)
        ),
        Lang::En => format!(
            "The author did not provide an English version, so this is shown in {}.",
            name(shown)
        ),
    }
}

pub fn region_name(lang: Lang, region: Region) -> &'static str {
    let (kk, ru, en) = region.names();
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// Short names that fit a map tile.
pub fn region_short(lang: Lang, region: Region) -> &'static str {
    let (kk, ru, en) = match region {
        Region::Abai => ("Абай", "Абай", "Abai"),
        Region::Akmola => ("Ақмола", "Акмола", "Akmola"),
        Region::Aktobe => ("Ақтөбе", "Актобе", "Aktobe"),
        Region::AlmatyRegion => ("Алматы обл.", "Алматинская", "Almaty Reg."),
        Region::Atyrau => ("Атырау", "Атырау", "Atyrau"),
        Region::EastKazakhstan => ("ШҚО", "ВКО", "E. Kaz."),
        Region::Zhambyl => ("Жамбыл", "Жамбыл", "Zhambyl"),
        Region::Zhetysu => ("Жетісу", "Жетісу", "Zhetysu"),
        Region::WestKazakhstan => ("БҚО", "ЗКО", "W. Kaz."),
        Region::Karaganda => ("Қарағанды", "Караганда", "Karaganda"),
        Region::Kostanay => ("Қостанай", "Костанай", "Kostanay"),
        Region::Kyzylorda => ("Қызылорда", "Кызылорда", "Kyzylorda"),
        Region::Mangystau => ("Маңғыстау", "Мангистау", "Mangystau"),
        Region::Pavlodar => ("Павлодар", "Павлодар", "Pavlodar"),
        Region::NorthKazakhstan => ("СҚО", "СКО", "N. Kaz."),
        Region::Turkestan => ("Түркістан", "Туркестан", "Turkestan"),
        Region::Ulytau => ("Ұлытау", "Улытау", "Ulytau"),
        Region::Astana => ("Астана", "Астана", "Astana"),
        Region::Almaty => ("Алматы", "Алматы", "Almaty"),
        Region::Shymkent => ("Шымкент", "Шымкент", "Shymkent"),
    };
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn by_lang(lang: Lang, kk: &'static str, ru: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

pub fn petition_status(lang: Lang, status: PetitionStatus) -> &'static str {
    match status {
        PetitionStatus::Rejected => by_lang(lang, "Қабылданбады", "Отклонена", "Rejected"),
        PetitionStatus::Open => by_lang(
            lang,
            "Қол жинау жүріп жатыр",
            "Идёт сбор подписей",
            "Open for signatures",
        ),
        PetitionStatus::Closed => by_lang(lang, "Қол жинау аяқталды", "Сбор подписей завершён", "Closed"),
        PetitionStatus::Stopped => by_lang(lang, "Тоқтатылды", "Остановлена", "Stopped"),
        PetitionStatus::Archived => by_lang(lang, "Мұрағатта", "В архиве", "Archived"),
    }
}

pub fn level(lang: Lang, level: Level) -> &'static str {
    match level {
        Level::Government => by_lang(lang, "Республикалық", "Республиканский", "National"),
        Level::OblastAkimat => by_lang(lang, "Облыс әкімдігі", "Акимат области", "Regional akimat"),
        Level::OblastMaslikhat => by_lang(
            lang,
            "Облыстық мәслихат",
            "Областной маслихат",
            "Regional maslikhat",
        ),
        Level::CityAkimat => by_lang(lang, "Қала әкімдігі", "Акимат города", "City akimat"),
        Level::CityMaslikhat => by_lang(lang, "Қалалық мәслихат", "Городской маслихат", "City maslikhat"),
    }
}

pub fn decision(lang: Lang, decision: Decision) -> &'static str {
    match decision {
        Decision::Satisfied => by_lang(lang, "Қанағаттандырылды", "Удовлетворена", "Granted"),
        Decision::PartiallySatisfied => by_lang(
            lang,
            "Ішінара қанағаттандырылды",
            "Удовлетворена частично",
            "Partially granted",
        ),
        Decision::Refused => by_lang(lang, "Бас тартылды", "Отказано", "Refused"),
    }
}

pub fn rejection_reason(lang: Lang, reason: RejectionReason) -> &'static str {
    match reason {
        RejectionReason::ProhibitedSubject => by_lang(
            lang,
            "Петиция қозғай алмайтын тақырып",
            "Тема, которую петиция не может затрагивать",
            "A subject petitions may not address",
        ),
        RejectionReason::UnlawfulContent => by_lang(
            lang,
            "Заңға қайшы мазмұн",
            "Противоправное содержание",
            "Unlawful content",
        ),
        RejectionReason::Duplicate => by_lang(
            lang,
            "Ашық петицияны қайталайды",
            "Повторяет открытую петицию",
            "Duplicates an open petition",
        ),
        RejectionReason::WrongAddressee => by_lang(
            lang,
            "Адресаттың құзыретіне жатпайды",
            "Не относится к компетенции адресата",
            "Not within the addressee's competence",
        ),
        RejectionReason::PersonalMatter => by_lang(
            lang,
            "Жеке мәселе (e-Otinish арқылы жолданады)",
            "Личный вопрос (для обращения через e-Otinish)",
            "A personal matter (for an appeal via e-Otinish)",
        ),
        RejectionReason::Unclear => by_lang(
            lang,
            "Не сұралатыны түсініксіз",
            "Неясно, что просят",
            "Unclear request",
        ),
        RejectionReason::Advertising => by_lang(lang, "Жарнама", "Реклама", "Advertising"),
    }
}

pub fn stop_reason(lang: Lang, reason: StopReason) -> &'static str {
    match reason {
        StopReason::RulesBreach => by_lang(
            lang,
            "Ережелер бұзылды",
            "Нарушение правил",
            "Breach of the rules",
        ),
        StopReason::Fraud => by_lang(lang, "Алаяқтық", "Мошенничество", "Fraud"),
        StopReason::LegalOrder => by_lang(
            lang,
            "Соттың не заңның талабы",
            "Требование закона или суда",
            "Legal order",
        ),
        StopReason::AuthorRequest => by_lang(
            lang,
            "Автордың өтініші",
            "По просьбе автора",
            "At the author's request",
        ),
    }
}

pub fn closing_outcome(lang: Lang, outcome: ClosingOutcome) -> &'static str {
    match outcome {
        ClosingOutcome::StartupGateMissed => by_lang(
            lang,
            "Бастапқы қолдар уақытында жиналмады",
            "Стартовые подписи не собраны вовремя",
            "The start-up signatures were not gathered in time",
        ),
        ClosingOutcome::ThresholdNotReached => by_lang(
            lang,
            "Шекке жетпеді",
            "Порог не достигнут",
            "The threshold was not reached",
        ),
        ClosingOutcome::ThresholdReached => by_lang(
            lang,
            "Шекке жетті",
            "Порог достигнут",
            "The threshold was reached",
        ),
    }
}

/// The headline of "what happens next".
pub fn next_step(lang: Lang, step: NextStep) -> &'static str {
    match step {
        NextStep::CollectingStartup => by_lang(
            lang,
            "Алғашқы қолдар жиналуда: жеткілікті қол жиналғанда петиция тізімде көрсетіледі.",
            "Идёт сбор первых подписей: набрав их, петиция появится в общем списке.",
            "Gathering its first signatures: with enough of them it is listed publicly.",
        ),
        NextStep::Collecting => by_lang(
            lang,
            "Қол жинау жүріп жатыр. Шекке жетсе, петиция адресатқа жіберіледі және ол белгіленген мерзімде жауап беруге міндетті.",
            "Идёт сбор подписей. При достижении порога петиция направляется адресату, который обязан ответить в установленный срок.",
            "Collecting signatures. If it reaches the threshold, it goes to the addressee, who must answer by a deadline.",
        ),
        NextStep::AwaitingAnswer => by_lang(
            lang,
            "Шекке жетті: адресаттың жауабы күтілуде.",
            "Порог достигнут: ожидается ответ адресата.",
            "The threshold was reached: the addressee's answer is due.",
        ),
        NextStep::AnswerOverdue => by_lang(
            lang,
            "Жауап беру мерзімі өтті, бірақ жауап әлі жоқ.",
            "Срок ответа истёк, а ответа всё ещё нет.",
            "The answer deadline has passed without an answer.",
        ),
        NextStep::Answered => by_lang(
            lang,
            "Адресат жауап берді; жауап төменде жарияланған.",
            "Адресат ответил; ответ опубликован ниже.",
            "The addressee has answered; the answer is published below.",
        ),
        NextStep::Closed => by_lang(
            lang,
            "Қол жинау шекке жетпей аяқталды: бұдан әрі ешнәрсе болмайды.",
            "Сбор подписей завершён без достижения порога: дальнейших действий не будет.",
            "Collection ended below the threshold: nothing more will happen.",
        ),
        NextStep::Rejected => by_lang(
            lang,
            "Модератор петицияны жарияламады; себебі төменде көрсетілген.",
            "Модератор не опубликовал петицию; причина указана ниже.",
            "A moderator refused to publish the petition; the reason is below.",
        ),
        NextStep::Stopped => by_lang(
            lang,
            "Қол жинау мерзімінен бұрын тоқтатылды; себебі төменде көрсетілген.",
            "Сбор подписей остановлен досрочно; причина указана ниже.",
            "Collection was stopped early; the reason is below.",
        ),
        NextStep::Archived => by_lang(
            lang,
            "Петиция мұрағатқа жіберілді; оның бүкіл тарихы сақталады.",
            "Петиция в архиве; вся её история сохраняется.",
            "The petition is archived; its whole history is kept.",
        ),
    }
}

/// A petition timeline entry's event, or `None` for an event type this front does not know.
pub fn petition_event(lang: Lang, event_type: &str) -> Option<&'static str> {
    Some(match event_type {
        "PetitionDrafted" => by_lang(lang, "Жоба жасалды", "Создан проект", "Drafted"),
        "PetitionSubmitted" => by_lang(
            lang,
            "Модерацияға жіберілді",
            "Отправлена на модерацию",
            "Submitted for moderation",
        ),
        "PetitionRejected" => by_lang(
            lang,
            "Жарияланбады",
            "Отклонена модератором",
            "Rejected by moderation",
        ),
        "PetitionPublished" => by_lang(lang, "Жарияланды", "Опубликована", "Published"),
        "PetitionListed" => by_lang(
            lang,
            "Жалпы тізімге енді",
            "Включена в общий список",
            "Listed publicly",
        ),
        "PetitionThresholdReached" => by_lang(lang, "Шекке жетті", "Достигнут порог", "Threshold reached"),
        "PetitionClosed" => by_lang(
            lang,
            "Қол жинау аяқталды",
            "Сбор подписей завершён",
            "Collection closed",
        ),
        "PetitionStopped" => by_lang(lang, "Тоқтатылды", "Остановлена", "Stopped"),
        "PetitionAnswerOverdue" => by_lang(lang, "Жауап мерзімі өтті", "Просрочен ответ", "Answer overdue"),
        "PetitionAnswered" => by_lang(lang, "Жауап берілді", "Получен ответ", "Answered"),
        "PetitionArchived" => by_lang(lang, "Мұрағатқа жіберілді", "Перенесена в архив", "Archived"),
        _ => return None,
    })
}

pub fn consultation_status(lang: Lang, status: ConsultationStatus) -> &'static str {
    match status {
        ConsultationStatus::Open => by_lang(
            lang,
            "Талқылау жүріп жатыр",
            "Идёт обсуждение",
            "Open for comment",
        ),
        ConsultationStatus::Closed => by_lang(lang, "Талқылау аяқталды", "Обсуждение завершено", "Closed"),
        ConsultationStatus::ReportPublished => by_lang(
            lang,
            "Қорытынды есеп жарияланды",
            "Итоговый отчёт опубликован",
            "Outcome report published",
        ),
    }
}

/// A proposal's disposition code (`accepted`, …); unknown codes are shown as they are.
pub fn disposition(lang: Lang, code: &str) -> String {
    match code {
        "accepted" => by_lang(lang, "Қабылданды", "Принято", "Accepted"),
        "partially_accepted" => by_lang(
            lang,
            "Ішінара қабылданды",
            "Принято частично",
            "Partially accepted",
        ),
        "rejected" => by_lang(lang, "Қабылданбады", "Отклонено", "Rejected"),
        "noted" => by_lang(lang, "Назарға алынды", "Принято к сведению", "Noted"),
        "out_of_scope" => by_lang(
            lang,
            "Жобаның пәніне жатпайды",
            "Вне предмета проекта",
            "Out of scope",
        ),
        "duplicate" => by_lang(lang, "Қайталанатын ұсыныс", "Повторное предложение", "Duplicate"),
        "hidden" => by_lang(
            lang,
            "Модератор жасырды",
            "Скрыто модератором",
            "Hidden by a moderator",
        ),
        "unanswered" => by_lang(lang, "Жауап жоқ", "Без ответа", "Unanswered"),
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn channel(lang: Lang, code: &str) -> String {
    match code {
        "citizen" => by_lang(lang, "Азамат", "Гражданин", "Citizen"),
        "organisation" => by_lang(lang, "Ұйым", "Организация", "Organisation"),
        "business_chamber" => by_lang(
            lang,
            "Кәсіпкерлер палатасы",
            "Палата предпринимателей",
            "Chamber of entrepreneurs",
        ),
        "public_council" => by_lang(lang, "Қоғамдық кеңес", "Общественный совет", "Public council"),
        "expert_body" => by_lang(lang, "Сараптамалық орган", "Экспертный орган", "Expert body"),
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn hide_reason(lang: Lang, code: &str) -> String {
    match code {
        "abusive" => by_lang(lang, "Қорлау", "Оскорбления", "Abusive"),
        "spam" => by_lang(lang, "Спам", "Спам", "Spam"),
        "personal_data" => by_lang(
            lang,
            "Басқа адамның дербес деректері",
            "Персональные данные другого лица",
            "Another person's personal data",
        ),
        "unlawful" => by_lang(
            lang,
            "Заң бұзуға шақыру",
            "Призывы к нарушению закона",
            "Calls to break the law",
        ),
        "off_topic" => by_lang(lang, "Тақырыпқа қатысы жоқ", "Не по теме", "Off topic"),
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn change_kind(lang: Lang, kind: tyndau_drafts::ChangeKind) -> &'static str {
    match kind {
        tyndau_drafts::ChangeKind::Added => by_lang(lang, "Қосылды", "Добавлено", "Added"),
        tyndau_drafts::ChangeKind::Removed => by_lang(lang, "Алынып тасталды", "Исключено", "Removed"),
        tyndau_drafts::ChangeKind::Changed => by_lang(lang, "Өзгертілді", "Изменено", "Changed"),
        tyndau_drafts::ChangeKind::Unchanged => by_lang(lang, "Өзгеріссіз", "Без изменений", "Unchanged"),
    }
}

/// "Version 2" in each language.
pub fn version(lang: Lang, n: i32) -> String {
    match lang {
        Lang::Kk => format!("{n}-нұсқа"),
        Lang::Ru => format!("Редакция {n}"),
        Lang::En => format!("Version {n}"),
    }
}

/// A provision by its path (`a1.p2`).
pub fn provision(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Kk => format!("{path} ережесі"),
        Lang::Ru => format!("Положение {path}"),
        Lang::En => format!("Provision {path}"),
    }
}

/// Every fixed string of the interface, one table per language.
#[derive(Debug)]
pub struct Texts {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_stats: &'static str,
    pub nav_bodies: &'static str,
    pub language: &'static str,
    pub footer_open_data: &'static str,
    pub footer_time_zone: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub most_signed: &'static str,
    pub nearest: &'static str,
    pub newest: &'static str,
    pub fastest: &'static str,
    pub in_last_hour: &'static str,
    pub answered_recently: &'static str,
    pub closing_soon: &'static str,
    pub nothing_yet: &'static str,
    pub petitions_heading: &'static str,
    pub consultations_heading: &'static str,
    pub petition: &'static str,
    pub addressee: &'static str,
    pub level: &'static str,
    pub status: &'static str,
    pub region_scope: &'static str,
    pub background: &'static str,
    pub request: &'static str,
    pub signatures_heading: &'static str,
    pub progress_label: &'static str,
    pub threshold_reached: &'static str,
    pub live_note: &'static str,
    pub final_count: &'static str,
    pub dates_heading: &'static str,
    pub published: &'static str,
    pub closes: &'static str,
    pub startup_due: &'static str,
    pub answer_due: &'static str,
    pub next_heading: &'static str,
    pub answer_heading: &'static str,
    pub answered_by: &'static str,
    pub answered_on: &'static str,
    pub on_time: &'static str,
    pub late: &'static str,
    pub rejection_heading: &'static str,
    pub stop_heading: &'static str,
    pub outcome: &'static str,
    pub over_time: &'static str,
    pub over_time_caption: &'static str,
    pub per_hour: &'static str,
    pub per_day: &'static str,
    pub period: &'static str,
    pub no_signatures: &'static str,
    pub by_region: &'static str,
    pub by_region_caption: &'static str,
    pub region: &'static str,
    pub fewer_than_five: &'static str,
    pub withheld: &'static str,
    pub unspecified: &'static str,
    pub total: &'static str,
    pub small_counts_note: &'static str,
    pub timeline: &'static str,
    pub show_table: &'static str,
    pub consultation: &'static str,
    pub developed_by: &'static str,
    pub comment_period: &'static str,
    pub comments_close: &'static str,
    pub provision_header: &'static str,
    pub channel: &'static str,
    pub under_an_hour: &'static str,
    pub summary: &'static str,
    pub explanatory_note: &'static str,
    pub draft_heading: &'static str,
    pub versions: &'static str,
    pub current: &'static str,
    pub whole_draft: &'static str,
    pub orphaned: &'static str,
    pub orphaned_note: &'static str,
    pub proposals_heading: &'static str,
    pub all_proposals: &'static str,
    pub show: &'static str,
    pub quote: &'static str,
    pub agree: &'static str,
    pub disagree: &'static str,
    pub edited: &'static str,
    pub answer: &'static str,
    pub reason: &'static str,
    pub changed_in: &'static str,
    pub hidden_by_moderator: &'static str,
    pub overdue_answer: &'static str,
    pub organisation: &'static str,
    pub citizen: &'static str,
    pub next_page: &'static str,
    pub first_page: &'static str,
    pub diff_heading: &'static str,
    pub compare: &'static str,
    pub from_version: &'static str,
    pub to_version: &'static str,
    pub change: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub why: &'static str,
    pub inserted: &'static str,
    pub deleted: &'static str,
    pub report_heading: &'static str,
    pub report_preliminary: &'static str,
    pub download_csv: &'static str,
    pub download_json: &'static str,
    pub by_answer: &'static str,
    pub by_provision: &'static str,
    pub by_channel: &'static str,
    pub answers_due: &'static str,
    pub median_answer_time: &'static str,
    pub answered_late_count: &'static str,
    pub comments_count: &'static str,
    pub body_heading: &'static str,
    pub bodies_title: &'static str,
    pub bodies_intro: &'static str,
    pub body: &'static str,
    pub petitions_addressed: &'static str,
    pub petitions_received: &'static str,
    pub answered_on_time: &'static str,
    pub answered_late: &'static str,
    pub overdue: &'static str,
    pub awaiting: &'static str,
    pub consultations_held: &'static str,
    pub proposals_total: &'static str,
    pub accepted: &'static str,
    pub partially_accepted: &'static str,
    pub rejected: &'static str,
    pub other_answers: &'static str,
    pub unanswered: &'static str,
    pub share: &'static str,
    pub count: &'static str,
    pub recent_petitions: &'static str,
    pub recent_consultations: &'static str,
    pub no_data: &'static str,
    pub stats_title: &'static str,
    pub stats_intro: &'static str,
    pub participation_region: &'static str,
    pub participation_time: &'static str,
    pub last_90_days: &'static str,
    pub day: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub unavailable_text: &'static str,
    pub go_home: &'static str,
    pub map_legend: &'static str,
}

pub static KK: Texts = Texts {
    site_name: "Тыңдау",
    tagline: "Петициялар мен қоғамдық талқылаулар",
    skip: "Негізгі мазмұнға өту",
    nav_label: "Негізгі мәзір",
    nav_home: "Басты бет",
    nav_stats: "Статистика",
    nav_bodies: "Мемлекеттік органдар",
    language: "Тіл",
    footer_open_data: "Ашық деректер: сұрау API",
    footer_time_zone: "Уақыт Қазақстан уақытымен (UTC+5) көрсетілген.",
    home_title: "Петициялар мен қоғамдық талқылаулар",
    home_intro: "Азаматтардың петициялары, заң жобаларын талқылау және мемлекеттік органдардың жауаптары — бәрі ашық.",
    most_signed: "Ең көп қол қойылған",
    nearest: "Шекке ең жақын",
    newest: "Ең жаңалары",
    fastest: "Соңғы сағатта ең жылдам өскен",
    in_last_hour: "соңғы сағатта",
    answered_recently: "Жақында жауап берілгендер",
    closing_soon: "Жақында аяқталатын талқылаулар",
    nothing_yet: "Әзірге ештеңе жоқ.",
    petitions_heading: "Петициялар",
    consultations_heading: "Қоғамдық талқылаулар",
    petition: "Петиция",
    addressee: "Адресат",
    level: "Деңгей",
    status: "Мәртебе",
    region_scope: "Өңір",
    background: "Негіздеме",
    request: "Талап",
    signatures_heading: "Қолдар",
    progress_label: "Шекке дейінгі прогресс",
    threshold_reached: "Шекке жетті",
    live_note: "Сан нақты уақытта жаңарады.",
    final_count: "Қорытынды саны",
    dates_heading: "Мерзімдер",
    published: "Жарияланды",
    closes: "Қол жинау аяқталады",
    startup_due: "Алғашқы қолдарды жинау мерзімі",
    answer_due: "Жауап беру мерзімі",
    next_heading: "Әрі қарай не болады",
    answer_heading: "Ресми жауап",
    answered_by: "Жауап берген орган",
    answered_on: "Жауап берілген күн",
    on_time: "мерзімінде",
    late: "мерзімі өткен соң",
    rejection_heading: "Жарияламау себебі",
    stop_heading: "Тоқтату себебі",
    outcome: "Нәтиже",
    over_time: "Қолдардың уақыт бойынша динамикасы",
    over_time_caption: "Кезең бойынша қойылған қолдар",
    per_hour: "сағат сайын",
    per_day: "күн сайын",
    period: "Кезең",
    no_signatures: "Әзірге қол қойылмаған.",
    by_region: "Өңірлер бойынша қолдар",
    by_region_caption: "Қол қоюшылардың өңірлері бойынша қолдар",
    region: "Өңір",
    fewer_than_five: "5-тен аз",
    withheld: "жасырылған",
    unspecified: "Көрсетілмеген",
    total: "Барлығы",
    small_counts_note: "Адамдарды анықтауға жол бермеу үшін 1-ден 4-ке дейінгі сандар «5-тен аз» деп көрсетіледі; оларды жалпы саннан шегеру арқылы табуға болмас үшін тағы бір-екі өңірдің саны жасырылуы мүмкін.",
    timeline: "Тарихы",
    show_table: "Кестені көрсету",
    consultation: "Қоғамдық талқылау",
    developed_by: "Әзірлеуші",
    comment_period: "Талқылау мерзімі",
    comments_close: "Талқылау аяқталады",
    provision_header: "Ереже",
    channel: "Арна",
    under_an_hour: "бір сағаттан аз",
    summary: "Қысқаша мазмұны",
    explanatory_note: "Түсіндірме жазба",
    draft_heading: "Жоба мәтіні",
    versions: "Нұсқалар",
    current: "ағымдағы",
    whole_draft: "Жоба тұтастай",
    orphaned: "Мәтінінен айырылған ұсыныстар",
    orphaned_note: "Бұл ұсыныстар сілтеме жасаған мәтін жаңа нұсқада жоқ.",
    proposals_heading: "Ұсыныстар",
    all_proposals: "Барлық ұсыныстар",
    show: "Көрсету",
    quote: "Дәйексөз",
    agree: "Келісемін",
    disagree: "Келіспеймін",
    edited: "өзгертілген",
    answer: "Жауап",
    reason: "Себебі",
    changed_in: "Өзгертілген жер",
    hidden_by_moderator: "Модератор жасырды",
    overdue_answer: "Жауап мерзімі өтті",
    organisation: "Ұйым",
    citizen: "Азамат",
    next_page: "Келесі бет",
    first_page: "Бірінші бет",
    diff_heading: "Нұсқалар арасындағы өзгерістер",
    compare: "Салыстыру",
    from_version: "Қай нұсқадан",
    to_version: "Қай нұсқаға дейін",
    change: "Өзгеріс",
    before: "Бұрынғы мәтін",
    after: "Жаңа мәтін",
    why: "Себебі",
    inserted: "қосылды",
    deleted: "алынды",
    report_heading: "Қорытынды есеп",
    report_preliminary: "Алдын ала нәтижелер: әзірлеуші қорытынды есепті әлі жарияламаған.",
    download_csv: "Есепті CSV түрінде жүктеу",
    download_json: "Есепті JSON түрінде жүктеу",
    by_answer: "Жауаптар бойынша",
    by_provision: "Ережелер бойынша",
    by_channel: "Арналар бойынша",
    answers_due: "Жауап беру мерзімі",
    median_answer_time: "Жауаптың орташа (медиана) уақыты",
    answered_late_count: "Кешіктіріліп берілген жауаптар",
    comments_count: "Пікірлер",
    body_heading: "Есептілік",
    bodies_title: "Мемлекеттік органдар",
    bodies_intro: "Әр органның жазбасы: қанша петиция алды, қалай жауап берді, қанша талқылау өткізді.",
    body: "Орган",
    petitions_addressed: "Жолданған петициялар",
    petitions_received: "Шекке жеткен петициялар",
    answered_on_time: "Мерзімінде жауап берілді",
    answered_late: "Кешіктіріліп жауап берілді",
    overdue: "Жауап мерзімі өтті",
    awaiting: "Жауап күтілуде",
    consultations_held: "Өткізілген талқылаулар",
    proposals_total: "Ұсыныстар",
    accepted: "Қабылданды",
    partially_accepted: "Ішінара қабылданды",
    rejected: "Қабылданбады",
    other_answers: "Басқа жауаптар (назарға алынды, пәнге жатпайды, қайталау)",
    unanswered: "Жауап жоқ",
    share: "Үлесі",
    count: "Саны",
    recent_petitions: "Соңғы петициялар",
    recent_consultations: "Соңғы талқылаулар",
    no_data: "Деректер жоқ",
    stats_title: "Статистика",
    stats_intro: "Барлық жария петицияларға қойылған қолдар.",
    participation_region: "Өңірлер бойынша қатысу",
    participation_time: "Уақыт бойынша қатысу",
    last_90_days: "Соңғы 90 күндегі қолдар",
    day: "Күн",
    not_found_title: "Бет табылмады",
    not_found_text: "Мұндай бет жоқ немесе ол әлі жарияланбаған.",
    error_title: "Қате орын алды",
    error_text: "Бетті көрсету мүмкін болмады. Кейінірек қайталап көріңіз.",
    unavailable_text: "Қызмет уақытша қолжетімсіз. Бірнеше секундтан кейін қайталап көріңіз.",
    go_home: "Басты бетке өту",
    map_legend: "Түс неғұрлым қою болса, қол соғұрлым көп.",
};

pub static RU: Texts = Texts {
    site_name: "Тыңдау",
    tagline: "Петиции и общественные обсуждения",
    skip: "Перейти к основному содержанию",
    nav_label: "Основное меню",
    nav_home: "Главная",
    nav_stats: "Статистика",
    nav_bodies: "Государственные органы",
    language: "Язык",
    footer_open_data: "Открытые данные: API запросов",
    footer_time_zone: "Время указано по Казахстану (UTC+5).",
    home_title: "Петиции и общественные обсуждения",
    home_intro: "Петиции граждан, обсуждение проектов законов и ответы государственных органов — всё открыто.",
    most_signed: "Больше всего подписей",
    nearest: "Ближе всего к порогу",
    newest: "Новые",
    fastest: "Быстрее всего за последний час",
    in_last_hour: "за последний час",
    answered_recently: "Недавно получили ответ",
    closing_soon: "Скоро завершатся обсуждения",
    nothing_yet: "Пока ничего нет.",
    petitions_heading: "Петиции",
    consultations_heading: "Общественные обсуждения",
    petition: "Петиция",
    addressee: "Адресат",
    level: "Уровень",
    status: "Статус",
    region_scope: "Регион",
    background: "Обоснование",
    request: "Что просят",
    signatures_heading: "Подписи",
    progress_label: "Прогресс до порога",
    threshold_reached: "Порог достигнут",
    live_note: "Число обновляется в реальном времени.",
    final_count: "Итоговое число",
    dates_heading: "Сроки",
    published: "Опубликована",
    closes: "Сбор подписей завершится",
    startup_due: "Срок сбора стартовых подписей",
    answer_due: "Срок ответа",
    next_heading: "Что дальше",
    answer_heading: "Официальный ответ",
    answered_by: "Ответивший орган",
    answered_on: "Дата ответа",
    on_time: "в срок",
    late: "с опозданием",
    rejection_heading: "Причина отказа в публикации",
    stop_heading: "Причина остановки",
    outcome: "Итог",
    over_time: "Подписи по времени",
    over_time_caption: "Подписи по периодам",
    per_hour: "по часам",
    per_day: "по дням",
    period: "Период",
    no_signatures: "Подписей пока нет.",
    by_region: "Подписи по регионам",
    by_region_caption: "Подписи по регионам подписавших",
    region: "Регион",
    fewer_than_five: "менее 5",
    withheld: "скрыто",
    unspecified: "Не указан",
    total: "Всего",
    small_counts_note: "Числа от 1 до 4 показываются как «менее 5», чтобы по ним нельзя было узнать людей; чтобы их нельзя было вычислить вычитанием из итога, могут быть скрыты и числа ещё одного-двух регионов.",
    timeline: "История",
    show_table: "Показать таблицу",
    consultation: "Общественное обсуждение",
    developed_by: "Разработчик",
    comment_period: "Срок обсуждения",
    comments_close: "Обсуждение завершится",
    provision_header: "Положение",
    channel: "Канал",
    under_an_hour: "менее часа",
    summary: "Краткое содержание",
    explanatory_note: "Пояснительная записка",
    draft_heading: "Текст проекта",
    versions: "Редакции",
    current: "текущая",
    whole_draft: "Проект в целом",
    orphaned: "Предложения без привязки к тексту",
    orphaned_note: "Текста, к которому относились эти предложения, нет в новой редакции.",
    proposals_heading: "Предложения",
    all_proposals: "Все предложения",
    show: "Показать",
    quote: "Цитата",
    agree: "Согласны",
    disagree: "Не согласны",
    edited: "изменено",
    answer: "Ответ",
    reason: "Обоснование",
    changed_in: "Изменено в",
    hidden_by_moderator: "Скрыто модератором",
    overdue_answer: "Срок ответа истёк",
    organisation: "Организация",
    citizen: "Гражданин",
    next_page: "Следующая страница",
    first_page: "Первая страница",
    diff_heading: "Изменения между редакциями",
    compare: "Сравнить",
    from_version: "С редакции",
    to_version: "По редакцию",
    change: "Изменение",
    before: "Было",
    after: "Стало",
    why: "Причина",
    inserted: "добавлено",
    deleted: "удалено",
    report_heading: "Итоговый отчёт",
    report_preliminary: "Предварительные итоги: разработчик ещё не опубликовал итоговый отчёт.",
    download_csv: "Скачать отчёт в CSV",
    download_json: "Скачать отчёт в JSON",
    by_answer: "По ответам",
    by_provision: "По положениям",
    by_channel: "По каналам",
    answers_due: "Срок ответов",
    median_answer_time: "Медианное время ответа",
    answered_late_count: "Ответы с опозданием",
    comments_count: "Комментарии",
    body_heading: "Подотчётность",
    bodies_title: "Государственные органы",
    bodies_intro: "Сведения по каждому органу: сколько петиций получено, как на них ответили, сколько обсуждений проведено.",
    body: "Орган",
    petitions_addressed: "Адресованные петиции",
    petitions_received: "Петиции, достигшие порога",
    answered_on_time: "Ответ дан в срок",
    answered_late: "Ответ дан с опозданием",
    overdue: "Срок ответа истёк",
    awaiting: "Ожидают ответа",
    consultations_held: "Проведённые обсуждения",
    proposals_total: "Предложения",
    accepted: "Принято",
    partially_accepted: "Принято частично",
    rejected: "Отклонено",
    other_answers: "Другие ответы (к сведению, вне предмета, повтор)",
    unanswered: "Без ответа",
    share: "Доля",
    count: "Количество",
    recent_petitions: "Последние петиции",
    recent_consultations: "Последние обсуждения",
    no_data: "Нет данных",
    stats_title: "Статистика",
    stats_intro: "Подписи под всеми публичными петициями.",
    participation_region: "Участие по регионам",
    participation_time: "Участие по времени",
    last_90_days: "Подписи за последние 90 дней",
    day: "День",
    not_found_title: "Страница не найдена",
    not_found_text: "Такой страницы нет, или она ещё не опубликована.",
    error_title: "Что-то пошло не так",
    error_text: "Не удалось показать страницу. Попробуйте позже.",
    unavailable_text: "Сервис временно недоступен. Попробуйте через несколько секунд.",
    go_home: "На главную",
    map_legend: "Чем темнее цвет, тем больше подписей.",
};

pub static EN: Texts = Texts {
    site_name: "Tyndau",
    tagline: "Petitions and public consultations",
    skip: "Skip to main content",
    nav_label: "Main",
    nav_home: "Home",
    nav_stats: "Statistics",
    nav_bodies: "State bodies",
    language: "Language",
    footer_open_data: "Open data: the query API",
    footer_time_zone: "Times are Kazakhstan time (UTC+5).",
    home_title: "Petitions and public consultations",
    home_intro: "Citizens' petitions, public discussion of draft laws and the answers of state bodies, all in the open.",
    most_signed: "Most signed",
    nearest: "Nearest to the threshold",
    newest: "Newest",
    fastest: "Fastest in the last hour",
    in_last_hour: "in the last hour",
    answered_recently: "Recently answered",
    closing_soon: "Consultations closing soon",
    nothing_yet: "Nothing here yet.",
    petitions_heading: "Petitions",
    consultations_heading: "Public consultations",
    petition: "Petition",
    addressee: "Addressed to",
    level: "Level",
    status: "Status",
    region_scope: "Region",
    background: "Background",
    request: "What is asked",
    signatures_heading: "Signatures",
    progress_label: "Progress to the threshold",
    threshold_reached: "Threshold reached",
    live_note: "The count updates live.",
    final_count: "Final count",
    dates_heading: "Deadlines",
    published: "Published",
    closes: "Collection ends",
    startup_due: "Start-up signatures due",
    answer_due: "Answer due",
    next_heading: "What happens next",
    answer_heading: "Official answer",
    answered_by: "Answered by",
    answered_on: "Answered on",
    on_time: "on time",
    late: "late",
    rejection_heading: "Why it was not published",
    stop_heading: "Why collection was stopped",
    outcome: "Outcome",
    over_time: "Signatures over time",
    over_time_caption: "Signatures per period",
    per_hour: "per hour",
    per_day: "per day",
    period: "Period",
    no_signatures: "No signatures yet.",
    by_region: "Signatures by region",
    by_region_caption: "Signatures by the signers' region",
    region: "Region",
    fewer_than_five: "fewer than 5",
    withheld: "withheld",
    unspecified: "Not specified",
    total: "Total",
    small_counts_note: "Counts from 1 to 4 are shown as \u{201c}fewer than 5\u{201d} so that nobody can be singled out; so that they cannot be worked out by subtraction from the total, one or two more regions may be withheld as well.",
    timeline: "History",
    show_table: "Show the table",
    consultation: "Public consultation",
    developed_by: "Developed by",
    comment_period: "Comment period",
    comments_close: "Comments close",
    provision_header: "Provision",
    channel: "Channel",
    under_an_hour: "under an hour",
    summary: "Summary",
    explanatory_note: "Explanatory note",
    draft_heading: "The draft",
    versions: "Versions",
    current: "current",
    whole_draft: "The draft as a whole",
    orphaned: "Proposals no longer attached to the text",
    orphaned_note: "The text these proposals referred to is not in the new version.",
    proposals_heading: "Proposals",
    all_proposals: "All proposals",
    show: "Show",
    quote: "Quote",
    agree: "Agree",
    disagree: "Disagree",
    edited: "edited",
    answer: "Answer",
    reason: "Reason",
    changed_in: "Changed in",
    hidden_by_moderator: "Hidden by a moderator",
    overdue_answer: "Answer overdue",
    organisation: "Organisation",
    citizen: "Citizen",
    next_page: "Next page",
    first_page: "First page",
    diff_heading: "Changes between versions",
    compare: "Compare",
    from_version: "From version",
    to_version: "To version",
    change: "Change",
    before: "Before",
    after: "After",
    why: "Why",
    inserted: "inserted",
    deleted: "deleted",
    report_heading: "Outcome report",
    report_preliminary: "Preliminary results: the developing body has not published its outcome report yet.",
    download_csv: "Download the report as CSV",
    download_json: "Download the report as JSON",
    by_answer: "By answer",
    by_provision: "By provision",
    by_channel: "By channel",
    answers_due: "Answers due",
    median_answer_time: "Median answer time",
    answered_late_count: "Answered late",
    comments_count: "Comments",
    body_heading: "Accountability",
    bodies_title: "State bodies",
    bodies_intro: "Each body's record: petitions received, how it answered, consultations held.",
    body: "Body",
    petitions_addressed: "Petitions addressed",
    petitions_received: "Petitions that reached the threshold",
    answered_on_time: "Answered on time",
    answered_late: "Answered late",
    overdue: "Overdue",
    awaiting: "Awaiting an answer",
    consultations_held: "Consultations held",
    proposals_total: "Proposals",
    accepted: "Accepted",
    partially_accepted: "Partially accepted",
    rejected: "Rejected",
    other_answers: "Other answers (noted, out of scope, duplicate)",
    unanswered: "Unanswered",
    share: "Share",
    count: "Count",
    recent_petitions: "Recent petitions",
    recent_consultations: "Recent consultations",
    no_data: "No data",
    stats_title: "Statistics",
    stats_intro: "Signatures to all public petitions.",
    participation_region: "Participation by region",
    participation_time: "Participation over time",
    last_90_days: "Signatures in the last 90 days",
    day: "Day",
    not_found_title: "Page not found",
    not_found_text: "There is no such page, or it is not public yet.",
    error_title: "Something went wrong",
    error_text: "The page could not be shown. Please try again later.",
    unavailable_text: "The service is temporarily unavailable. Please try again in a few seconds.",
    go_home: "Go to the home page",
    map_legend: "The darker the colour, the more signatures.",
};

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_weight_and_kazakh_when_undecided() {
        assert_eq!(Lang::negotiate(None), Lang::Kk);
        assert_eq!(Lang::negotiate(Some("")), Lang::Kk);
        assert_eq!(Lang::negotiate(Some("de-DE,fr;q=0.8")), Lang::Kk);
        assert_eq!(Lang::negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("en-GB;q=0.9, ru;q=0.5")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en;q=0.5, kk;q=0.5")), Lang::Kk);
        assert_eq!(Lang::negotiate(Some("ru;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(Some("ru;q=abc, en;q=2")), Lang::Kk);
        assert_eq!(Lang::negotiate(Some("KK-kz")), Lang::Kk);
    }

    #[test]
    fn numbers_are_grouped_by_language() {
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Ru, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(number(Lang::Kk, 999), "999");
        assert_eq!(number(Lang::En, 1000), "1,000");
        assert_eq!(number(Lang::En, -12_345), "−12,345");
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(percent(Lang::En, 1, 3), "33.3%");
        assert_eq!(percent(Lang::Ru, 2, 3), "66,7\u{a0}%");
        assert_eq!(percent(Lang::En, 1, 0), "—");
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(signatures(Lang::Ru, 1), "1 подпись");
        assert_eq!(signatures(Lang::Ru, 3), "3 подписи");
        assert_eq!(signatures(Lang::Ru, 11), "11 подписей");
        assert_eq!(signatures(Lang::Ru, 21), "21 подпись");
        assert_eq!(signatures(Lang::Ru, 112), "112 подписей");
        assert_eq!(signatures(Lang::En, 1), "1 signature");
        assert_eq!(signatures(Lang::En, 2), "2 signatures");
        assert_eq!(signatures(Lang::Kk, 5), "5 қол");
        assert_eq!(
            duration(Lang::En, 3.0 * 86_400.0 + 4.0 * 3600.0),
            "3 days 4 hours"
        );
        assert_eq!(duration(Lang::Ru, 2.0 * 3600.0), "2 часа");
        assert_eq!(duration(Lang::En, 600.0), "under an hour");
    }

    #[test]
    fn dates_are_in_kazakhstan_time_with_month_names() {
        let at = datetime!(2025-11-04 20:30 UTC);
        assert_eq!(date(Lang::En, at), "5 November 2025");
        assert_eq!(date(Lang::Ru, at), "5 ноября 2025 г.");
        assert_eq!(date(Lang::Kk, at), "2025 ж. 5 қараша");
        assert_eq!(date_time(Lang::En, at), "5 November 2025, 01:30");
        assert_eq!(day(Lang::Ru, date!(2024 - 01 - 31)), "31 января 2024 г.");
    }

    #[test]
    fn user_content_falls_back_in_kazakh_russian_english_order() {
        let texts = LocalizedString {
            kk: None,
            ru: Some("Текст".into()),
            en: Some("Text".into()),
        };
        let shown = pick_string(Lang::Kk, &texts).unwrap();
        assert_eq!(
            (shown.value.as_str(), shown.lang, shown.fallback),
            ("Текст", Lang::Ru, true)
        );
        let shown = pick_string(Lang::En, &texts).unwrap();
        assert_eq!((shown.lang, shown.fallback), (Lang::En, false));
        assert!(pick_string(Lang::En, &LocalizedString::default()).is_none());
        assert!(fallback_note(Lang::En, Lang::Ru).contains("Russian"));
    }
}
