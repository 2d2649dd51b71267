use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Kazakhstan's first-level units: 17 oblasts (since June 2022) and the 3 cities of republican
/// significance. The code (serde form) is stable and used in URLs, events and read models.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Abai,
    Akmola,
    Aktobe,
    AlmatyRegion,
    Atyrau,
    EastKazakhstan,
    Zhambyl,
    Zhetysu,
    WestKazakhstan,
    Karaganda,
    Kostanay,
    Kyzylorda,
    Mangystau,
    Pavlodar,
    NorthKazakhstan,
    Turkestan,
    Ulytau,
    Astana,
    Almaty,
    Shymkent,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown region code")]
pub struct UnknownRegion;

impl Region {
    pub const ALL: [Region; 20] = [
        Region::Abai,
        Region::Akmola,
        Region::Aktobe,
        Region::AlmatyRegion,
        Region::Atyrau,
        Region::EastKazakhstan,
        Region::Zhambyl,
        Region::Zhetysu,
        Region::WestKazakhstan,
        Region::Karaganda,
        Region::Kostanay,
        Region::Kyzylorda,
        Region::Mangystau,
        Region::Pavlodar,
        Region::NorthKazakhstan,
        Region::Turkestan,
        Region::Ulytau,
        Region::Astana,
        Region::Almaty,
        Region::Shymkent,
    ];

    /// The stable code, as in URLs and read models.
    pub const fn code(self) -> &'static str {
        match self {
            Region::Abai => "abai",
            Region::Akmola => "akmola",
            Region::Aktobe => "aktobe",
            Region::AlmatyRegion => "almaty-region",
            Region::Atyrau => "atyrau",
            Region::EastKazakhstan => "east-kazakhstan",
            Region::Zhambyl => "zhambyl",
            Region::Zhetysu => "zhetysu",
            Region::WestKazakhstan => "west-kazakhstan",
            Region::Karaganda => "karaganda",
            Region::Kostanay => "kostanay",
            Region::Kyzylorda => "kyzylorda",
            Region::Mangystau => "mangystau",
            Region::Pavlodar => "pavlodar",
            Region::NorthKazakhstan => "north-kazakhstan",
            Region::Turkestan => "turkestan",
            Region::Ulytau => "ulytau",
            Region::Astana => "astana",
            Region::Almaty => "almaty",
            Region::Shymkent => "shymkent",
        }
    }

    /// A city of republican significance rather than an oblast.
    pub const fn is_city(self) -> bool {
        matches!(self, Region::Astana | Region::Almaty | Region::Shymkent)
    }

    /// The name in Kazakh, Russian and English.
    pub const fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Region::Abai => ("Абай облысы", "область Абай", "Abai Region"),
            Region::Akmola => ("Ақмола облысы", "Акмолинская область", "Akmola Region"),
            Region::Aktobe => ("Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
            Region::AlmatyRegion => ("Алматы облысы", "Алматинская область", "Almaty Region"),
            Region::Atyrau => ("Атырау облысы", "Атырауская область", "Atyrau Region"),
            Region::EastKazakhstan => (
                "Шығыс Қазақстан облысы",
                "Восточно-Казахстанская область",
                "East Kazakhstan Region",
            ),
            Region::Zhambyl => ("Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
            Region::Zhetysu => ("Жетісу облысы", "область Жетісу", "Zhetysu Region"),
            Region::WestKazakhstan => (
                "Батыс Қазақстан облысы",
                "Западно-Казахстанская область",
                "West Kazakhstan Region",
            ),
            Region::Karaganda => ("Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
            Region::Kostanay => ("Қостанай облысы", "Костанайская область", "Kostanay Region"),
            Region::Kyzylorda => ("Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
            Region::Mangystau => ("Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
            Region::Pavlodar => ("Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
            Region::NorthKazakhstan => (
                "Солтүстік Қазақстан облысы",
                "Северо-Казахстанская область",
                "North Kazakhstan Region",
            ),
            Region::Turkestan => ("Түркістан облысы", "Туркестанская область", "Turkestan Region"),
            Region::Ulytau => ("Ұлытау облысы", "область Ұлытау", "Ulytau Region"),
            Region::Astana => ("Астана қаласы", "город Астана", "Astana"),
            Region::Almaty => ("Алматы қаласы", "город Алматы", "Almaty"),
            Region::Shymkent => ("Шымкент қаласы", "город Шымкент", "Shymkent"),
        }
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or(UnknownRegion)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_round_trips_through_serde_and_from_str() {
        for region in Region::ALL {
            let json = serde_json::to_string(&region).unwrap();
            assert_eq!(json, format!("\"{}\"", region.code()));
            assert_eq!(region.code().parse::<Region>().unwrap(), region);
        }
        assert_eq!(Region::ALL.iter().filter(|r| r.is_city()).count(), 3);
    }
}
