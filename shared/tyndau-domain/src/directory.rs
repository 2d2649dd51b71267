//! The state bodies a petition can be addressed to, and the populations the oblast thresholds
//! are computed from. Data (`data/bodies.toml`), because bodies and statistics change by decree
//! and by census, not by release.

use std::collections::BTreeMap;

use serde::Deserialize;
use tyndau_events::petition::{Addressee, Level};
use tyndau_ids::{BodyId, Region};

const EMBEDDED: &str = include_str!("../data/bodies.toml");

/// A body's name in the three languages, Kazakh first.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyNames {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

/// A state body that can receive petitions.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub id: BodyId,
    pub level: Level,
    /// `None` only for the Government.
    #[serde(default)]
    pub region: Option<Region>,
    pub names: BodyNames,
}

impl Body {
    /// The addressee as recorded on a petition.
    pub fn addressee(&self) -> Addressee {
        Addressee {
            body: self.id.clone(),
            level: self.level,
            region: self.region,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("body directory is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("body {0} is listed twice")]
    DuplicateBody(BodyId),
    #[error("body {0} has a region that does not fit its level")]
    RegionMismatch(BodyId),
    #[error("body {0} is in a region without a population figure")]
    MissingPopulation(BodyId),
    #[error("unknown region code in the population table: {0}")]
    UnknownRegion(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryFile {
    #[allow(dead_code)]
    population_source: String,
    population: BTreeMap<String, u64>,
    body: Vec<Body>,
}

/// All addressable bodies with the regions' populations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyDirectory {
    bodies: Vec<Body>,
    index: BTreeMap<BodyId, usize>,
    population: BTreeMap<Region, u64>,
}

impl Default for BodyDirectory {
    fn default() -> Self {
        Self::embedded()
    }
}

impl BodyDirectory {
    /// The directory shipped with the crate.
    pub fn embedded() -> Self {
        Self::from_toml(EMBEDDED).expect("embedded bodies.toml is valid")
    }

    /// A directory from TOML in the format of `data/bodies.toml`, checked so that every body's
    /// threshold can be computed: levels match regions and oblast bodies have a population.
    pub fn from_toml(source: &str) -> Result<Self, DirectoryError> {
        let file: DirectoryFile = toml::from_str(source)?;
        let population = file
            .population
            .into_iter()
            .map(|(code, people)| {
                code.parse::<Region>()
                    .map(|region| (region, people))
                    .map_err(|_| DirectoryError::UnknownRegion(code))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        let mut index = BTreeMap::new();
        for (position, body) in file.body.iter().enumerate() {
            let fits = match (body.level, body.region) {
                (Level::Government, region) => region.is_none(),
                (Level::OblastAkimat | Level::OblastMaslikhat, Some(region)) => !region.is_city(),
                (Level::CityAkimat | Level::CityMaslikhat, Some(region)) => region.is_city(),
                (_, None) => false,
            };
            if !fits {
                return Err(DirectoryError::RegionMismatch(body.id.clone()));
            }
            let needs_population = matches!(body.level, Level::OblastAkimat | Level::OblastMaslikhat);
            if needs_population && body.region.is_none_or(|region| !population.contains_key(&region)) {
                return Err(DirectoryError::MissingPopulation(body.id.clone()));
            }
            if index.insert(body.id.clone(), position).is_some() {
                return Err(DirectoryError::DuplicateBody(body.id.clone()));
            }
        }
        Ok(Self {
            bodies: file.body,
            index,
            population,
        })
    }

    pub fn get(&self, id: &BodyId) -> Option<&Body> {
        self.index.get(id).and_then(|&position| self.bodies.get(position))
    }

    /// Bodies in the file's order (the Government first).
    pub fn iter(&self) -> impl Iterator<Item = &Body> {
        self.bodies.iter()
    }

    /// The region's population, as recorded in the directory.
    pub fn population(&self, region: Region) -> Option<u64> {
        self.population.get(&region).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: &str) -> BodyId {
        id.parse().expect("valid body id")
    }

    #[test]
    fn the_embedded_directory_lists_the_government_and_two_bodies_per_region() {
        let directory = BodyDirectory::embedded();
        assert_eq!(directory.iter().count(), 1 + 2 * Region::ALL.len());
        let government = directory.get(&body("government")).expect("the Government");
        assert_eq!((government.level, government.region), (Level::Government, None));
        for region in Region::ALL {
            let akimat = directory
                .get(&body(&format!("akimat-{region}")))
                .expect("an akimat");
            let maslikhat = directory
                .get(&body(&format!("maslikhat-{region}")))
                .expect("a maslikhat");
            let (akimat_level, maslikhat_level) = if region.is_city() {
                (Level::CityAkimat, Level::CityMaslikhat)
            } else {
                (Level::OblastAkimat, Level::OblastMaslikhat)
            };
            assert_eq!((akimat.level, akimat.region), (akimat_level, Some(region)));
            assert_eq!(
                (maslikhat.level, maslikhat.region),
                (maslikhat_level, Some(region))
            );
            assert!(
                directory.population(region).is_some_and(|p| p > 100_000),
                "{region}"
            );
        }
    }

    #[test]
    fn every_body_is_named_in_kazakh_russian_and_english() {
        for body in BodyDirectory::embedded().iter() {
            assert!(!body.names.kk.is_empty() && !body.names.ru.is_empty() && !body.names.en.is_empty());
        }
    }

    #[test]
    fn a_body_gives_its_addressee() {
        let directory = BodyDirectory::embedded();
        let akimat = directory.get(&body("akimat-turkestan")).expect("listed");
        assert_eq!(
            akimat.addressee(),
            Addressee {
                body: body("akimat-turkestan"),
                level: Level::OblastAkimat,
                region: Some(Region::Turkestan)
            }
        );
        assert_eq!(directory.population(Region::Turkestan), Some(2_130_000));
        assert!(directory.get(&body("ministry-of-magic")).is_none());
    }

    #[test]
    fn inconsistent_directories_are_refused() {
        let header = "population_source = \"test\"\n[population]\nabai = 600_000\n";
        let mismatch = format!(
            "{header}[[body]]\nid = \"akimat-astana\"\nlevel = \"oblast_akimat\"\nregion = \"astana\"\n\
             names = {{ kk = \"a\", ru = \"a\", en = \"a\" }}\n"
        );
        assert!(matches!(
            BodyDirectory::from_toml(&mismatch),
            Err(DirectoryError::RegionMismatch(_))
        ));
        let no_population = format!(
            "{header}[[body]]\nid = \"akimat-ulytau\"\nlevel = \"oblast_akimat\"\nregion = \"ulytau\"\n\
             names = {{ kk = \"a\", ru = \"a\", en = \"a\" }}\n"
        );
        assert!(matches!(
            BodyDirectory::from_toml(&no_population),
            Err(DirectoryError::MissingPopulation(_))
        ));
        let twice = format!(
            "{header}[[body]]\nid = \"government\"\nlevel = \"government\"\nnames = {{ kk = \"a\", ru = \"a\", en = \"a\" }}\n\
             [[body]]\nid = \"government\"\nlevel = \"government\"\nnames = {{ kk = \"a\", ru = \"a\", en = \"a\" }}\n"
        );
        assert!(matches!(
            BodyDirectory::from_toml(&twice),
            Err(DirectoryError::DuplicateBody(_))
        ));
        let unknown = "population_source = \"test\"\nbody = []\n[population]\natlantis = 1\n";
        assert!(matches!(
            BodyDirectory::from_toml(unknown),
            Err(DirectoryError::UnknownRegion(_))
        ));
    }
}
