//! The 12-digit individual identification number (ИИН): `YYMMDD` birth date, a century/sex digit,
//! a 4-digit serial and a check digit computed by the two-pass weighted mod-11 rule.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN is exactly 12 digits")]
    Format,
    #[error("the IIN's century and sex digit must be 1 to 6")]
    CenturyDigit,
    #[error("the IIN's first six digits are not a valid birth date")]
    BirthDate,
    #[error("the IIN's check digit does not match")]
    CheckDigit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A validated IIN. Its `Debug` and `Display` never print the number: it is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Iin {
    digits: [u8; 12],
    birth_date: Date,
}

const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for the first 11 digits, or `None` when both passes give 10 (never issued).
pub(crate) fn check_digit(first_eleven: &[u8]) -> Option<u8> {
    let remainder = |weights: &[u32; 11]| {
        first_eleven
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    match remainder(&WEIGHTS_FIRST) {
        10 => match remainder(&WEIGHTS_SECOND) {
            10 => None,
            r => u8::try_from(r).ok(),
        },
        r => u8::try_from(r).ok(),
    }
}

impl Iin {
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        if self.digits[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Whole years of age on `day`.
    pub fn age_on(&self, day: Date) -> i32 {
        let born = self.birth_date;
        let mut age = day.year() - born.year();
        if (day.month() as u8, day.day()) < (born.month() as u8, born.day()) {
            age -= 1;
        }
        age
    }

    /// The digits, for keyed hashing only: never store or log them.
    pub fn expose_digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

impl FromStr for Iin {
    type Err = IinError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(IinError::Format);
        }
        let mut digits = [0u8; 12];
        for (slot, b) in digits.iter_mut().zip(bytes) {
            *slot = b - b'0';
        }
        let century = match digits[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IinError::CenturyDigit),
        };
        let two = |i: usize| i32::from(digits[i]) * 10 + i32::from(digits[i + 1]);
        let month = u8::try_from(two(2))
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or(IinError::BirthDate)?;
        let day = u8::try_from(two(4)).map_err(|_| IinError::BirthDate)?;
        let birth_date =
            Date::from_calendar_date(century + two(0), month, day).map_err(|_| IinError::BirthDate)?;
        if check_digit(&digits[..11]) != Some(digits[11]) {
            return Err(IinError::CheckDigit);
        }
        Ok(Self { digits, birth_date })
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iin(***)")
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Builds a valid IIN for a birth date, sex and serial: for test data and demo citizens.
/// Returns `None` for the rare serials whose check digit does not exist.
pub fn synthesize(birth_date: Date, sex: Sex, serial: u16) -> Option<Iin> {
    let century_digit = match (birth_date.year() / 100, sex) {
        (18, Sex::Male) => 1,
        (18, Sex::Female) => 2,
        (19, Sex::Male) => 3,
        (19, Sex::Female) => 4,
        (20, Sex::Male) => 5,
        (20, Sex::Female) => 6,
        _ => return None,
    };
    let text = format!(
        "{:02}{:02}{:02}{}{:04}",
        birth_date.year() % 100,
        birth_date.month() as u8,
        birth_date.day(),
        century_digit,
        serial % 10_000
    );
    let first: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let check = check_digit(&first)?;
    format!("{text}{check}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn worked_examples_from_the_anchor() {
        let iin: Iin = "900101300017".parse().unwrap();
        assert_eq!(iin.birth_date(), date!(1990 - 01 - 01));
        assert_eq!(iin.sex(), Sex::Male);
        // First remainder is 10, second pass gives 5.
        assert!("850115300205".parse::<Iin>().is_ok());
        // Both passes give 10: no check digit makes this prefix valid.
        for d in 0..=9 {
            assert_eq!(
                format!("85011530028{d}").parse::<Iin>().unwrap_err(),
                IinError::CheckDigit
            );
        }
    }

    #[test]
    fn rejections_are_typed() {
        assert_eq!("90010130001".parse::<Iin>().unwrap_err(), IinError::Format);
        assert_eq!("9001013000１7".parse::<Iin>().unwrap_err(), IinError::Format);
        assert_eq!("900101700017".parse::<Iin>().unwrap_err(), IinError::CenturyDigit);
        assert_eq!("901301300017".parse::<Iin>().unwrap_err(), IinError::BirthDate);
        assert_eq!("900230300017".parse::<Iin>().unwrap_err(), IinError::BirthDate);
        assert_eq!("900101300018".parse::<Iin>().unwrap_err(), IinError::CheckDigit);
    }

    #[test]
    fn age_counts_whole_years() {
        let iin = synthesize(date!(2008 - 06 - 15), Sex::Female, 42).unwrap();
        assert_eq!(iin.age_on(date!(2026 - 06 - 14)), 17);
        assert_eq!(iin.age_on(date!(2026 - 06 - 15)), 18);
    }

    #[test]
    fn never_prints_the_number() {
        let iin: Iin = "900101300017".parse().unwrap();
        assert!(!format!("{iin:?} {iin}").contains("900101"));
    }

    proptest! {
        #[test]
        fn synthesized_iins_validate(days in 0i64..60_000, serial in 0u16..10_000, male: bool) {
            let birth = date!(1900 - 01 - 01) + time::Duration::days(days);
            let sex = if male { Sex::Male } else { Sex::Female };
            if let Some(iin) = synthesize(birth, sex, serial) {
                prop_assert_eq!(iin.birth_date(), birth);
                prop_assert_eq!(iin.sex(), sex);
                let reparsed: Iin = iin.expose_digits().parse().unwrap();
                prop_assert_eq!(reparsed, iin);
            }
        }
    }
}
