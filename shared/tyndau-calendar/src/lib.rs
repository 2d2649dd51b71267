//! Kazakhstan's working-day calendar. Deadlines in the petition law count working days, so the
//! holidays are data (`data/kz-holidays.toml`) and a new year's decree is a data change, not code.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use serde::Deserialize;
use time::macros::offset;
use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

/// Kazakhstan time: a single fixed offset, UTC+5, since 1 March 2024. Calendar days, ages and
/// "end of day" deadlines are all counted in it.
pub const KAZAKHSTAN_TIME: UtcOffset = offset!(+5);

const EMBEDDED: &str = include_str!("../data/kz-holidays.toml");

/// The calendar date in Kazakhstan at an instant.
pub fn kazakhstan_date(at: OffsetDateTime) -> Date {
    at.checked_to_offset(KAZAKHSTAN_TIME).unwrap_or(at).date()
}

/// The instant a Kazakhstan calendar day ends (00:00 +05:00 of the next day), in UTC.
pub fn end_of_day(date: Date) -> OffsetDateTime {
    let next = date.next_day().unwrap_or(date);
    let local = next.midnight().assume_offset(KAZAKHSTAN_TIME);
    local.checked_to_offset(UtcOffset::UTC).unwrap_or(local)
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar data is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("calendar data has an invalid date: {0}")]
    InvalidDate(String),
    #[error("calendar data covers no years (first_year > last_year)")]
    EmptyRange,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    first_year: i32,
    last_year: i32,
    holiday: Vec<HolidayFile>,
    kurban_ait: Vec<toml::value::Datetime>,
    #[serde(default)]
    transfers: Vec<TransferFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    month: u8,
    day: u8,
    #[allow(dead_code)]
    name: String,
    religious: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferFile {
    #[allow(dead_code)]
    year: i32,
    days_off: Vec<toml::value::Datetime>,
    working_days: Vec<toml::value::Datetime>,
}

/// A fixed-date public holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FixedHoliday {
    month: Month,
    day: u8,
    /// Religious holidays do not move to the next working day when they fall on a weekend.
    religious: bool,
}

/// Which days are working days in Kazakhstan, and deadline arithmetic over them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: Vec<FixedHoliday>,
    /// Religious holidays on a dated basis (first day of Kurban Ait).
    religious_dates: BTreeSet<Date>,
    /// Government transfers: weekdays made days off, and weekend days made working days.
    extra_days_off: BTreeSet<Date>,
    extra_working_days: BTreeSet<Date>,
    /// Years whose rule-based days off are precomputed (covers moves spilling over a year end).
    cached_years: RangeInclusive<i32>,
    cached_days_off: BTreeSet<Date>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::embedded()
    }
}

impl WorkingCalendar {
    /// The calendar shipped with the crate.
    pub fn embedded() -> Self {
        Self::from_toml(EMBEDDED).expect("embedded kz-holidays.toml is valid")
    }

    /// A calendar from TOML in the format of `data/kz-holidays.toml`.
    pub fn from_toml(source: &str) -> Result<Self, CalendarError> {
        let file: CalendarFile = toml::from_str(source)?;
        if file.first_year > file.last_year {
            return Err(CalendarError::EmptyRange);
        }
        let holidays = file
            .holiday
            .iter()
            .map(|h| {
                let month = Month::try_from(h.month)
                    .map_err(|_| CalendarError::InvalidDate(format!("month {}", h.month)))?;
                // A fixed holiday must exist in a leap year at least (29 February would).
                Date::from_calendar_date(2024, month, h.day)
                    .map_err(|_| CalendarError::InvalidDate(format!("{}-{}", h.month, h.day)))?;
                Ok(FixedHoliday {
                    month,
                    day: h.day,
                    religious: h.religious,
                })
            })
            .collect::<Result<Vec<_>, CalendarError>>()?;
        let dates =
            |list: &[toml::value::Datetime]| list.iter().map(to_date).collect::<Result<BTreeSet<_>, _>>();
        let religious_dates = dates(&file.kurban_ait)?;
        let mut extra_days_off = BTreeSet::new();
        let mut extra_working_days = BTreeSet::new();
        for transfer in &file.transfers {
            extra_days_off.extend(dates(&transfer.days_off)?);
            extra_working_days.extend(dates(&transfer.working_days)?);
        }
        // One year of margin each side, so a move out of December is seen in January.
        let cached_years = file.first_year - 1..=file.last_year + 1;
        let mut calendar = Self {
            holidays,
            religious_dates,
            extra_days_off,
            extra_working_days,
            cached_years: cached_years.clone(),
            cached_days_off: BTreeSet::new(),
        };
        calendar.cached_days_off = cached_years
            .flat_map(|year| calendar.rule_days_off(year))
            .collect();
        Ok(calendar)
    }

    /// Whether a Kazakhstan calendar day is a working day.
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.extra_working_days.contains(&date) {
            return true;
        }
        if self.extra_days_off.contains(&date) || is_weekend(date) {
            return false;
        }
        let year = date.year();
        let cached = self.cached_years.contains(&year) && self.cached_years.contains(&(year - 1));
        if cached {
            !self.cached_days_off.contains(&date)
        } else {
            !(self.rule_days_off(year - 1).contains(&date) || self.rule_days_off(year).contains(&date))
        }
    }

    /// The end of the `n`-th working day after the Kazakhstan calendar day of `start`: the instant
    /// 00:00 +05:00 of the following day, in UTC. The start day itself never counts, so a deadline
    /// always leaves `n` whole working days; `n = 0` gives the end of the start day.
    pub fn add_working_days(&self, start: OffsetDateTime, n: u16) -> OffsetDateTime {
        let mut day = kazakhstan_date(start);
        let mut left = n;
        while left > 0 {
            let Some(next) = day.next_day() else { break };
            day = next;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        end_of_day(day)
    }

    /// The days off that the holiday rules produce for one year: the holidays themselves and
    /// the weekdays a non-religious holiday on a weekend moves onto (in date order, each to the
    /// next weekday that is not already off). Weekends are not listed.
    fn rule_days_off(&self, year: i32) -> BTreeSet<Date> {
        let mut off = BTreeSet::new();
        let mut moving = Vec::new();
        for holiday in &self.holidays {
            let Ok(date) = Date::from_calendar_date(year, holiday.month, holiday.day) else {
                continue;
            };
            off.insert(date);
            if !holiday.religious && is_weekend(date) {
                moving.push(date);
            }
        }
        off.extend(self.religious_dates.iter().filter(|d| d.year() == year));
        moving.sort_unstable();
        for holiday in moving {
            let mut day = holiday;
            while let Some(next) = day.next_day() {
                day = next;
                if !is_weekend(day) && !off.contains(&day) {
                    off.insert(day);
                    break;
                }
            }
        }
        off
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn to_date(value: &toml::value::Datetime) -> Result<Date, CalendarError> {
    let invalid = || CalendarError::InvalidDate(value.to_string());
    let (Some(date), None, None) = (value.date, value.time, value.offset) else {
        return Err(invalid());
    };
    let month = Month::try_from(date.month).map_err(|_| invalid())?;
    Date::from_calendar_date(i32::from(date.year), month, date.day).map_err(|_| invalid())
}

#[cfg(test)]
mod tests;
