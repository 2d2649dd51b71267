//! Names of the state bodies, from the directory the command side keeps as data.
//!
//! The read side may not depend on `tyndau-domain`, so the directory's TOML is compiled in
//! here and parsed on first use: one source of truth, no dependency edge. Ids the directory
//! does not know (a body added later) are shown as their id.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::i18n::Lang;

const DIRECTORY: &str = include_str!("../../../shared/tyndau-domain/data/bodies.toml");

#[derive(Debug, Deserialize)]
struct File {
    body: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    id: String,
    names: Names,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

/// The directory in its file order (the Government first, then region by region).
static BODIES: LazyLock<Vec<(String, Names)>> = LazyLock::new(|| match toml::from_str::<File>(DIRECTORY) {
    Ok(file) => file.body.into_iter().map(|e| (e.id, e.names)).collect(),
    Err(e) => {
        // Only a malformed data file gets here, and a unit test parses it: names fall back to ids.
        tracing::error!(error = %e, "the directory of bodies does not parse");
        Vec::new()
    }
});

static BY_ID: LazyLock<BTreeMap<&'static str, &'static Names>> =
    LazyLock::new(|| BODIES.iter().map(|(id, names)| (id.as_str(), names)).collect());

/// Every body id of the directory, in its order.
pub fn all() -> impl Iterator<Item = &'static str> {
    BODIES.iter().map(|(id, _)| id.as_str())
}

pub fn is_known(id: &str) -> bool {
    BY_ID.contains_key(id)
}

/// The body's name in `lang`, or its id when the directory does not know it.
pub fn name(lang: Lang, id: &str) -> String {
    match BY_ID.get(id) {
        Some(names) => match lang {
            Lang::Kk => names.kk.clone(),
            Lang::Ru => names.ru.clone(),
            Lang::En => names.en.clone(),
        },
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_parses_and_names_every_body_in_three_languages() {
        assert!(all().count() >= 41, "{}", all().count());
        assert_eq!(all().next(), Some("government"));
        assert_eq!(name(Lang::Ru, "government"), "Правительство Республики Казахстан");
        assert_eq!(name(Lang::En, "akimat-almaty"), "Akimat of Almaty City");
        assert_eq!(name(Lang::Kk, "no-such-body"), "no-such-body");
        for id in all() {
            for lang in Lang::ALL {
                assert!(!name(lang, id).trim().is_empty(), "{id} has no {lang:?} name");
            }
        }
    }
}
