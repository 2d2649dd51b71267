//! The three languages of the front: Kazakh (the state language, first), Russian and English.
//!
//! The interface texts are Fluent messages in `locales/{kk,ru,en}/main.ftl`, compiled in, so a
//! translator reviews them without reading Rust. The code reaches them three ways:
//! - [`Texts`], `lang.t().home_title` (`chrome.t.home_title` in templates): every fixed text, one
//!   field per message (`home_title` is `home-title`);
//! - [`text`]: a message without variables by its id. The enumerations shown to people map to
//!   their ids by exhaustive `match` in `i18n/ids.rs`, so a variant without a text does not
//!   compile;
//! - [`fmt`]: a message with variables; numbers select plural forms by each language's CLDR
//!   rules and are written by [`number`].
//!
//! Tests check that every message exists in the three languages with the same variables and
//! formats without error. Numbers, percentages and dates are formatted by each language's rules;
//! dates are shown in Kazakhstan's time (UTC+5, one zone for the whole country since March 2024).

mod catalog;
mod ids;
mod problems;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use time::{Date, Month, OffsetDateTime, UtcOffset};
use tyndau_events::petition::{
    ClosingOutcome, Decision, Level, PetitionEventKind, RejectionReason, StopReason,
};
use tyndau_ids::Region;
use tyndau_read_model::{ConsultationStatus, LocalizedString, NextStep, PetitionStatus};

pub use catalog::{LoadError, Texts, check, fmt, text};
pub use fluent_bundle::FluentValue;

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

    /// The fixed texts of the interface in this language.
    pub fn t(self) -> &'static Texts {
        &catalog::catalog(self).t
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

fn month_name(lang: Lang, month: Month) -> &'static str {
    text(lang, ids::month(month))
}

/// `2025 ж. 5 қараша`, `5 ноября 2025 г.`, `5 November 2025`.
pub fn day(lang: Lang, date: Date) -> String {
    // The year and the day as strings: a year is not grouped by thousands.
    fmt(
        lang,
        "date",
        &[
            ("year", date.year().to_string().into()),
            ("day", date.day().to_string().into()),
            ("month", month_name(lang, date.month()).into()),
        ],
    )
}

/// A day without the year, for chart axes.
pub fn day_short(lang: Lang, date: Date) -> String {
    fmt(
        lang,
        "date-short",
        &[
            ("day", date.day().to_string().into()),
            ("month", month_name(lang, date.month()).into()),
        ],
    )
}

/// The date in Kazakhstan.
pub fn date(lang: Lang, at: OffsetDateTime) -> String {
    day(lang, at.to_offset(KAZAKHSTAN).date())
}

/// The date and time in Kazakhstan: `5 November 2025, 14:30`.
pub fn date_time(lang: Lang, at: OffsetDateTime) -> String {
    let local = at.to_offset(KAZAKHSTAN);
    let time = format!("{:02}:{:02}", local.hour(), local.minute());
    fmt(
        lang,
        "date-time",
        &[("date", day(lang, local.date()).into()), ("time", time.into())],
    )
}

/// Machine-readable value for `<time datetime>`.
pub fn iso(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `n` with its noun, by the message `id` (`{ $count -> [one] … }`).
fn counted(lang: Lang, id: &str, n: i64) -> String {
    fmt(lang, id, &[("count", n.into())])
}

pub fn signatures(lang: Lang, n: i64) -> String {
    counted(lang, "signatures", n)
}

pub fn proposals(lang: Lang, n: i64) -> String {
    counted(lang, "proposals", n)
}

pub fn replies(lang: Lang, n: i64) -> String {
    counted(lang, "replies", n)
}

pub fn periods(lang: Lang, n: i64) -> String {
    counted(lang, "periods", n)
}

pub fn days(lang: Lang, n: i64) -> String {
    counted(lang, "days", n)
}

pub fn hours(lang: Lang, n: i64) -> String {
    counted(lang, "hours", n)
}

/// A duration in days and hours (`3 days 4 hours`), hours alone under a day.
pub fn duration(lang: Lang, seconds: f64) -> String {
    let total_hours = (seconds.max(0.0) / 3600.0).round() as i64;
    let (d, h) = (total_hours / 24, total_hours % 24);
    match (d, h) {
        (0, 0) => lang.t().under_an_hour.to_owned(),
        (0, h) => hours(lang, h),
        (d, 0) => days(lang, d),
        (d, h) => fmt(
            lang,
            "duration-days-hours",
            &[("days", days(lang, d).into()), ("hours", hours(lang, h).into())],
        ),
    }
}

/// "12,345 of 50,000 signatures" in each language.
pub fn count_of_threshold(lang: Lang, count: i64, threshold: i64) -> String {
    fmt(
        lang,
        "count-of-threshold",
        &[("count", count.into()), ("threshold", threshold.into())],
    )
}

/// The note under user content shown in another language than the page's.
pub fn fallback_note(page: Lang, shown: Lang) -> String {
    fmt(page, "fallback-note", &[("shown", shown.code().into())])
}

/// The summary of a bar chart: `15 signatures, per hour (2 periods). Busiest: … (9).`
pub fn chart_summary(lang: Lang, total: i64, unit: &str, periods: i64, busiest: &str) -> String {
    fmt(
        lang,
        "chart-summary",
        &[
            ("total", signatures(lang, total).into()),
            ("unit", unit.into()),
            ("periods", self::periods(lang, periods).into()),
            ("busiest", busiest.into()),
        ],
    )
}

/// The summary of the map of regions: the total, then the regions with the most signatures
/// (each already with its count).
pub fn map_summary(lang: Lang, total: i64, top: &[String]) -> String {
    let total = signatures(lang, total);
    if top.is_empty() {
        fmt(lang, "map-summary-empty", &[("total", total.into())])
    } else {
        fmt(
            lang,
            "map-summary",
            &[("total", total.into()), ("top", top.join(", ").into())],
        )
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
    text(lang, ids::region_short(region))
}

pub fn petition_status(lang: Lang, status: PetitionStatus) -> &'static str {
    text(lang, ids::petition_status(status))
}

pub fn level(lang: Lang, level: Level) -> &'static str {
    text(lang, ids::level(level))
}

pub fn decision(lang: Lang, decision: Decision) -> &'static str {
    text(lang, ids::decision(decision))
}

pub fn rejection_reason(lang: Lang, reason: RejectionReason) -> &'static str {
    text(lang, ids::rejection_reason(reason))
}

pub fn stop_reason(lang: Lang, reason: StopReason) -> &'static str {
    text(lang, ids::stop_reason(reason))
}

pub fn closing_outcome(lang: Lang, outcome: ClosingOutcome) -> &'static str {
    text(lang, ids::closing_outcome(outcome))
}

/// The headline of "what happens next".
pub fn next_step(lang: Lang, step: NextStep) -> &'static str {
    text(lang, ids::next_step(step))
}

/// A petition timeline entry's event, or `None` for an event type this front does not know (or
/// has no text for): the page then shows the stored type.
/// A stored petition event type as the timeline shows it; `None` for a type this build does not
/// know (the page then shows it as stored).
pub fn petition_event(lang: Lang, event_type: &str) -> Option<&'static str> {
    PetitionEventKind::from_event_type(event_type).map(|kind| text(lang, ids::petition_event(kind)))
}

pub fn consultation_status(lang: Lang, status: ConsultationStatus) -> &'static str {
    text(lang, ids::consultation_status(status))
}

/// The read models keep these enumerations by their serde codes (`business_chamber`, …).
fn from_code<'de, T: Deserialize<'de>>(code: &'de str) -> Option<T> {
    let code: serde::de::value::StrDeserializer<'de, serde::de::value::Error> = code.into_deserializer();
    T::deserialize(code).ok()
}

/// A proposal's disposition code (`accepted`, …), or one of the two rows the report adds
/// (`hidden`, `unanswered`); unknown codes are shown as they are.
pub fn disposition(lang: Lang, code: &str) -> String {
    let id = match code {
        "hidden" => "disposition-hidden",
        "unanswered" => "disposition-unanswered",
        _ => match from_code(code) {
            Some(disposition) => ids::disposition(disposition),
            None => return code.to_owned(),
        },
    };
    text(lang, id).to_owned()
}

/// A comment's channel code (`citizen`, …); unknown codes are shown as they are.
pub fn channel(lang: Lang, code: &str) -> String {
    from_code(code).map_or_else(|| code.to_owned(), |c| text(lang, ids::channel(c)).to_owned())
}

/// Why a moderator hid a comment, by its code (`spam`, …); unknown codes are shown as they are.
pub fn hide_reason(lang: Lang, code: &str) -> String {
    from_code(code).map_or_else(
        || code.to_owned(),
        |reason| text(lang, ids::hide_reason(reason)).to_owned(),
    )
}

pub fn change_kind(lang: Lang, kind: tyndau_drafts::ChangeKind) -> &'static str {
    text(lang, ids::change_kind(kind))
}

/// "Version 2" in each language.
pub fn version(lang: Lang, n: i32) -> String {
    // A string, not a number: version numbers are not grouped by thousands.
    fmt(lang, "version", &[("version", n.to_string().into())])
}

/// A role's name (`citizen`, …), for a signed-in person without a display name.
pub fn role(lang: Lang, code: &str) -> &'static str {
    code.parse::<tyndau_auth::Role>()
        .map_or_else(|_| text(lang, "role-citizen"), |role| text(lang, ids::role(role)))
}

/// Who acted, in the audit trail: a role, or the system itself.
pub fn role_or_system(lang: Lang, code: &str) -> &'static str {
    if code == "system" {
        text(lang, "office-actor-system")
    } else {
        role(lang, code)
    }
}

/// A reason for reporting a comment, by its code.
pub fn flag_reason(lang: Lang, code: &str) -> &'static str {
    from_code::<tyndau_events::comment::FlagReason>(code)
        .map_or("—", |reason| text(lang, ids::flag_reason(reason)))
}

/// The message id for a command API problem code.
pub fn problem_id(code: &str) -> &'static str {
    problems::problem(code)
}

/// A provision by its path (`a1.p2`).
pub fn provision(lang: Lang, path: &str) -> String {
    fmt(lang, "provision", &[("path", path.into())])
}

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
    fn enumerations_are_shown_by_their_texts_and_unknown_codes_as_they_are() {
        use tyndau_events::comment::{Channel, Disposition};

        for lang in Lang::ALL {
            for kind in PetitionEventKind::ALL {
                let shown = petition_event(lang, kind.event_type());
                assert!(shown.is_some_and(|s| s != kind.event_type()), "{kind:?}");
            }
            assert_eq!(petition_event(lang, "PetitionTeleported"), None);
            // The read models store the events' codes: the serde names.
            for c in Channel::ALL {
                assert_eq!(from_code::<Channel>(c.code()), Some(c));
                assert_ne!(channel(lang, c.code()), c.code());
            }
            for d in Disposition::ALL {
                assert_eq!(from_code::<Disposition>(d.code()), Some(d));
                assert_ne!(disposition(lang, d.code()), d.code());
            }
            for code in ["abusive", "spam", "personal_data", "unlawful", "off_topic"] {
                assert_ne!(hide_reason(lang, code), code);
            }
        }
        assert_eq!(
            petition_event(Lang::Ru, "PetitionAnswered"),
            Some("Получен ответ")
        );
        assert_eq!(petition_event(Lang::Kk, "PetitionDeleted"), None);
        assert_eq!(disposition(Lang::En, "hidden"), "Hidden by a moderator");
        assert_eq!(disposition(Lang::Kk, "unanswered"), "Жауап жоқ");
        assert_eq!(disposition(Lang::En, "withdrawn"), "withdrawn");
        assert_eq!(channel(Lang::Kk, "business_chamber"), "Кәсіпкерлер палатасы");
        assert_eq!(hide_reason(Lang::Ru, "Spam"), "Spam");
        assert_eq!(region_short(Lang::Ru, Region::EastKazakhstan), "ВКО");
        assert_eq!(
            next_step(Lang::En, NextStep::Answered),
            "The addressee has answered; the answer is published below."
        );
        assert_eq!(version(Lang::Kk, 2), "2-нұсқа");
        assert_eq!(version(Lang::En, 1000), "Version 1000");
        assert_eq!(provision(Lang::Ru, "a1.p2"), "Положение a1.p2");
        assert_eq!(
            fallback_note(Lang::Ru, Lang::En),
            "Автор не предоставил текст на русском языке, поэтому он показан на английском языке."
        );
        assert_eq!(
            count_of_threshold(Lang::Kk, 12_345, 50_000),
            "50\u{a0}000 қолдың 12\u{a0}345"
        );
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
