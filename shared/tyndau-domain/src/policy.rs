//! The numbers of the petition law as configuration, with Kazakhstan's law as the default
//! (APPC ch. 12-1; see `anchors/petitions.md` §5). Every figure is a field so that a change in
//! the law, or another jurisdiction, is a config change.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};
use tyndau_events::petition::{Addressee, Level};

use crate::calendar::KAZAKHSTAN_TIME;
use crate::directory::BodyDirectory;

/// Maximum lengths of free texts, in characters, counted after trimming.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextLimits {
    pub title: usize,
    pub text: usize,
    pub request: usize,
    pub explanation: usize,
    pub answer: usize,
}

impl Default for TextLimits {
    fn default() -> Self {
        Self {
            title: 150,
            text: 10_000,
            request: 1_000,
            explanation: 2_000,
            answer: 20_000,
        }
    }
}

/// Thresholds, periods and limits for petitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PetitionPolicy {
    /// Signatures for a petition to the Government.
    pub government_threshold: u32,
    /// Share of the oblast's population for an oblast akimat, in basis points (1 % = 100).
    pub oblast_akimat_share_bp: u32,
    /// Share of the oblast's population for an oblast maslikhat, in basis points.
    pub oblast_maslikhat_share_bp: u32,
    pub city_akimat_threshold: u32,
    pub city_maslikhat_threshold: u32,
    /// Calendar months of collection, from publication.
    pub collection_months: u8,
    /// The start-up gate: this many signatures within `startup_working_days` of publication,
    /// or the petition never becomes public.
    pub startup_signatures: u32,
    pub startup_working_days: u16,
    /// Working days the moderator has, from submission.
    pub moderation_working_days: u16,
    /// Working days the addressee has to answer, from the threshold.
    pub answer_working_days: u16,
    /// Calendar days a petition stays in its final state before it is archived.
    pub archive_after_days: u16,
    /// Minimum age to sign, in whole years on the Kazakhstan date of signing.
    pub min_signer_age: i32,
    /// Calendar months after the final state when signers' personal data is shredded.
    pub anonymise_after_months: u8,
    pub limits: TextLimits,
}

impl Default for PetitionPolicy {
    fn default() -> Self {
        Self {
            government_threshold: 50_000,
            oblast_akimat_share_bp: 100,
            oblast_maslikhat_share_bp: 200,
            city_akimat_threshold: 2_500,
            city_maslikhat_threshold: 5_000,
            collection_months: 6,
            startup_signatures: 50,
            startup_working_days: 10,
            moderation_working_days: 20,
            answer_working_days: 40,
            archive_after_days: 30,
            min_signer_age: 18,
            anonymise_after_months: 12,
            limits: TextLimits::default(),
        }
    }
}

impl PetitionPolicy {
    /// Signatures a petition to `addressee` needs. Oblast thresholds are a share of the
    /// population, rounded up, and never below one signature. A validated directory has a
    /// population for every oblast body; should one be missing, the Government threshold
    /// applies rather than a threshold of zero.
    pub fn threshold_for(&self, addressee: &Addressee, bodies: &BodyDirectory) -> u32 {
        let share_bp = match addressee.level {
            Level::Government => return self.government_threshold,
            Level::CityAkimat => return self.city_akimat_threshold,
            Level::CityMaslikhat => return self.city_maslikhat_threshold,
            Level::OblastAkimat => self.oblast_akimat_share_bp,
            Level::OblastMaslikhat => self.oblast_maslikhat_share_bp,
        };
        let Some(population) = addressee.region.and_then(|region| bodies.population(region)) else {
            return self.government_threshold;
        };
        let threshold = (u128::from(population) * u128::from(share_bp)).div_ceil(10_000);
        u32::try_from(threshold).unwrap_or(u32::MAX).max(1)
    }

    /// When collection ends: `collection_months` calendar months after publication, at the same
    /// Kazakhstan wall-clock time; the day of month is clamped (31 August + 6 months is
    /// 28 or 29 February).
    pub fn collection_closes_at(&self, published_at: OffsetDateTime) -> OffsetDateTime {
        add_months(published_at, self.collection_months)
    }

    /// The earliest instant a petition that reached its final state at `final_at` may be archived.
    /// When the retention period for signers' personal data ends.
    pub fn anonymise_due(&self, final_at: OffsetDateTime) -> OffsetDateTime {
        add_months(final_at, self.anonymise_after_months)
    }

    pub fn archive_due(&self, final_at: OffsetDateTime) -> OffsetDateTime {
        final_at
            .checked_add(Duration::days(i64::from(self.archive_after_days)))
            .unwrap_or(final_at)
    }
}

/// Calendar-month arithmetic in Kazakhstan time, with the day of month clamped; the result is
/// in UTC. Out-of-range results (beyond year 9999) saturate at the input.
fn add_months(at: OffsetDateTime, months: u8) -> OffsetDateTime {
    let local = at.checked_to_offset(KAZAKHSTAN_TIME).unwrap_or(at);
    let date = local.date();
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + i32::from(months);
    let (year, month_number) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let shifted = u8::try_from(month_number)
        .ok()
        .and_then(|number| Month::try_from(number).ok())
        .and_then(|month| Date::from_calendar_date(year, month, date.day().min(month.length(year))).ok());
    match shifted {
        Some(date) => {
            let moved = local.replace_date(date);
            moved.checked_to_offset(UtcOffset::UTC).unwrap_or(moved)
        }
        None => at,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;
    use tyndau_ids::Region;

    use super::*;

    fn addressee(body: &str) -> Addressee {
        BodyDirectory::embedded()
            .get(&body.parse().expect("valid id"))
            .expect("listed")
            .addressee()
    }

    #[test]
    fn the_default_policy_is_kazakhstans_law() {
        let policy = PetitionPolicy::default();
        let bodies = BodyDirectory::embedded();
        assert_eq!(policy.threshold_for(&addressee("government"), &bodies), 50_000);
        assert_eq!(policy.threshold_for(&addressee("akimat-astana"), &bodies), 2_500);
        assert_eq!(
            policy.threshold_for(&addressee("maslikhat-shymkent"), &bodies),
            5_000
        );
        assert_eq!(
            (
                policy.startup_signatures,
                policy.startup_working_days,
                policy.moderation_working_days
            ),
            (50, 10, 20)
        );
        assert_eq!(
            (
                policy.answer_working_days,
                policy.archive_after_days,
                policy.min_signer_age
            ),
            (40, 30, 18)
        );
        assert_eq!(
            policy.limits,
            TextLimits {
                title: 150,
                text: 10_000,
                request: 1_000,
                explanation: 2_000,
                answer: 20_000
            }
        );
    }

    #[test]
    fn oblast_thresholds_are_one_and_two_percent_of_the_population() {
        let policy = PetitionPolicy::default();
        let bodies = BodyDirectory::embedded();
        assert_eq!(
            policy.threshold_for(&addressee("akimat-turkestan"), &bodies),
            21_300
        );
        assert_eq!(
            policy.threshold_for(&addressee("maslikhat-turkestan"), &bodies),
            42_600
        );
        assert_eq!(policy.threshold_for(&addressee("akimat-ulytau"), &bodies), 2_200);
    }

    #[test]
    fn oblast_thresholds_round_up() {
        let bodies = BodyDirectory::from_toml(
            "population_source = \"test\"\n[population]\nabai = 123_456\n[[body]]\nid = \"akimat-abai\"\n\
             level = \"oblast_akimat\"\nregion = \"abai\"\nnames = { kk = \"a\", ru = \"a\", en = \"a\" }\n",
        )
        .expect("valid directory");
        let akimat = bodies
            .get(&"akimat-abai".parse().expect("valid id"))
            .expect("listed")
            .addressee();
        assert_eq!(PetitionPolicy::default().threshold_for(&akimat, &bodies), 1_235);
    }

    #[test]
    fn an_oblast_without_a_population_falls_back_to_the_government_threshold() {
        let policy = PetitionPolicy::default();
        let orphan = Addressee {
            body: "akimat-abai".parse().expect("valid id"),
            level: Level::OblastAkimat,
            region: Some(Region::Abai),
        };
        let empty = BodyDirectory::from_toml("population_source = \"none\"\nbody = []\n[population]\n")
            .expect("valid directory");
        assert_eq!(policy.threshold_for(&orphan, &empty), 50_000);
    }

    #[test]
    fn collection_lasts_six_calendar_months_with_the_day_clamped() {
        let policy = PetitionPolicy::default();
        assert_eq!(
            policy.collection_closes_at(datetime!(2024-04-19 12:00 +5)),
            datetime!(2024-10-19 12:00 +5)
        );
        assert_eq!(
            policy.collection_closes_at(datetime!(2025-08-31 09:00 +5)),
            datetime!(2026-02-28 09:00 +5)
        );
        assert_eq!(
            policy.collection_closes_at(datetime!(2023-08-31 09:00 +5)),
            datetime!(2024-02-29 09:00 +5)
        );
        // 22:00 UTC on 31 July is 1 August in Kazakhstan: the months are counted from there.
        assert_eq!(
            policy.collection_closes_at(datetime!(2025-07-31 22:00 UTC)),
            datetime!(2026-02-01 03:00 +5)
        );
    }

    #[test]
    fn archiving_is_due_thirty_days_after_the_final_state() {
        assert_eq!(
            PetitionPolicy::default().archive_due(datetime!(2025-01-10 12:00 UTC)),
            datetime!(2025-02-09 12:00 UTC)
        );
    }

    #[test]
    fn a_partial_policy_keeps_the_defaults_for_the_rest() {
        let policy: PetitionPolicy =
            toml::from_str("government_threshold = 100_000\n[limits]\ntitle = 200\n").expect("valid policy");
        assert_eq!(policy.government_threshold, 100_000);
        assert_eq!(policy.limits.title, 200);
        assert_eq!(policy.limits.text, 10_000);
        assert_eq!(policy.answer_working_days, 40);
        assert!(toml::from_str::<PetitionPolicy>("no_such_rule = 1\n").is_err());
    }
}
