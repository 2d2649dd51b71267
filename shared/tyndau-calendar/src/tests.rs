use time::macros::{date, datetime};

use super::*;

fn calendar() -> WorkingCalendar {
    WorkingCalendar::embedded()
}

#[test]
fn the_embedded_calendar_parses() {
    let calendar = calendar();
    assert!(calendar.cached_years.contains(&2024) && calendar.cached_years.contains(&2028));
}

#[test]
fn weekends_are_days_off_and_ordinary_weekdays_are_working_days() {
    let calendar = calendar();
    assert!(calendar.is_working_day(date!(2025 - 03 - 04))); // Tuesday
    assert!(!calendar.is_working_day(date!(2025 - 03 - 01))); // Saturday
    assert!(!calendar.is_working_day(date!(2025 - 03 - 02))); // Sunday
}

#[test]
fn fixed_holidays_on_weekdays_are_days_off() {
    let calendar = calendar();
    for day in [
        date!(2025 - 01 - 01),
        date!(2025 - 01 - 02),
        date!(2025 - 01 - 07),
        date!(2025 - 05 - 01),
        date!(2025 - 05 - 07),
        date!(2025 - 05 - 09),
        date!(2025 - 10 - 24), /* not a holiday */
        date!(2025 - 12 - 16),
    ] {
        assert_eq!(
            calendar.is_working_day(day),
            day == date!(2025 - 10 - 24),
            "{day}"
        );
    }
}

#[test]
fn a_holiday_on_a_saturday_moves_the_day_off_to_monday() {
    // 8 March 2025 was a Saturday: Monday 10 March was the day off.
    let calendar = calendar();
    assert!(!calendar.is_working_day(date!(2025 - 03 - 10)));
    assert!(calendar.is_working_day(date!(2025 - 03 - 11)));
}

#[test]
fn a_holiday_on_a_sunday_moves_the_day_off_to_monday() {
    // Capital Day, 6 July 2025, was a Sunday: Monday 7 July was the day off.
    let calendar = calendar();
    assert!(!calendar.is_working_day(date!(2025 - 07 - 07)));
    assert!(calendar.is_working_day(date!(2025 - 07 - 08)));
}

#[test]
fn consecutive_weekend_holidays_move_to_consecutive_working_days() {
    // 1–2 January 2022 were Saturday and Sunday: 3 and 4 January were days off (outside the
    // data's range, the rules still apply).
    let calendar = calendar();
    assert!(!calendar.is_working_day(date!(2022 - 01 - 03)));
    assert!(!calendar.is_working_day(date!(2022 - 01 - 04)));
    assert!(calendar.is_working_day(date!(2022 - 01 - 05)));
}

#[test]
fn nauryz_on_a_weekend_gives_five_days_off_in_a_row() {
    // Nauryz 2025: 21 (Fri), 22 (Sat), 23 (Sun); the weekend days move to 24 and 25 March.
    let calendar = calendar();
    for day in 21..=25 {
        let date = Date::from_calendar_date(2025, Month::March, day).expect("valid date");
        assert!(!calendar.is_working_day(date), "{date}");
    }
    assert!(calendar.is_working_day(date!(2025 - 03 - 26)));
}

#[test]
fn religious_holidays_do_not_move() {
    let calendar = calendar();
    // Orthodox Christmas, 7 January 2024, was a Sunday: Monday 8 January was a working day.
    assert!(calendar.is_working_day(date!(2024 - 01 - 08)));
    // Kurban Ait, 16 June 2024, was a Sunday: Monday 17 June was a working day.
    assert!(calendar.is_working_day(date!(2024 - 06 - 17)));
    // Kurban Ait 2025 fell on Friday 6 June.
    assert!(!calendar.is_working_day(date!(2025 - 06 - 06)));
}

#[test]
fn adding_working_days_across_nauryz_skips_the_holidays() {
    // From Thursday 20 March 2025, the next working day is Wednesday 26 March.
    let due = calendar().add_working_days(datetime!(2025-03-20 10:00 +5), 1);
    assert_eq!(due, datetime!(2025-03-27 00:00 +5));
    assert_eq!(due.offset(), UtcOffset::UTC);
}

#[test]
fn adding_working_days_counts_from_the_kazakhstan_date_of_the_start() {
    // 20:00 UTC on Monday 3 March is already Tuesday 4 March in Kazakhstan.
    let calendar = calendar();
    assert_eq!(
        calendar.add_working_days(datetime!(2025-03-03 20:00 UTC), 1),
        datetime!(2025-03-06 00:00 +5)
    );
    assert_eq!(
        calendar.add_working_days(datetime!(2025-03-03 18:59 UTC), 1),
        datetime!(2025-03-05 00:00 +5)
    );
}

#[test]
fn twenty_working_days_from_early_march_2025_end_on_the_fourth_of_april() {
    // Skips 8 March (moved to 10 March) and Nauryz (21–25 March).
    assert_eq!(
        calendar().add_working_days(datetime!(2025-03-03 10:00 +5), 20),
        datetime!(2025-04-05 00:00 +5)
    );
}

#[test]
fn forty_working_days_span_kurban_ait_and_capital_day() {
    assert_eq!(
        calendar().add_working_days(datetime!(2025-06-02 10:00 +5), 40),
        datetime!(2025-07-31 00:00 +5)
    );
}

#[test]
fn zero_working_days_is_the_end_of_the_start_day() {
    assert_eq!(
        calendar().add_working_days(datetime!(2025-03-08 10:00 +5), 0),
        datetime!(2025-03-09 00:00 +5)
    );
}

#[test]
fn government_transfers_in_the_data_override_the_rules() {
    let source = r#"
        first_year = 2025
        last_year = 2025
        holiday = []
        kurban_ait = []
        [[transfers]]
        year = 2025
        days_off = [2025-01-03]
        working_days = [2025-01-04]
    "#;
    let calendar = WorkingCalendar::from_toml(source).expect("valid calendar");
    assert!(!calendar.is_working_day(date!(2025 - 01 - 03)));
    assert!(calendar.is_working_day(date!(2025 - 01 - 04)));
    assert!(
        calendar.is_working_day(date!(2025 - 01 - 01)),
        "no holidays in this calendar"
    );
}

#[test]
fn invalid_calendar_data_is_refused() {
    let bad_date = "first_year = 2025\nlast_year = 2025\nholiday = []\nkurban_ait = [2025-06-06T10:00:00]\n";
    assert!(matches!(
        WorkingCalendar::from_toml(bad_date),
        Err(CalendarError::InvalidDate(_))
    ));
    let bad_range = "first_year = 2026\nlast_year = 2025\nholiday = []\nkurban_ait = []\n";
    assert!(matches!(
        WorkingCalendar::from_toml(bad_range),
        Err(CalendarError::EmptyRange)
    ));
    assert!(matches!(
        WorkingCalendar::from_toml("nonsense"),
        Err(CalendarError::Toml(_))
    ));
}
