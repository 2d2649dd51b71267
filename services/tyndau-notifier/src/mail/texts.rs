//! The emails' words, in Kazakh, Russian and English (Fluent, `locales/*/mail.ftl`).

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// A language emails are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Self; 3] = [Self::Kk, Self::Ru, Self::En];

    /// Kazakh, the state language, for anything unknown.
    pub fn from_code(code: &str) -> Self {
        match code {
            "ru" => Self::Ru,
            "en" => Self::En,
            _ => Self::Kk,
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Self::Kk => include_str!("../../locales/kk/mail.ftl"),
            Self::Ru => include_str!("../../locales/ru/mail.ftl"),
            Self::En => include_str!("../../locales/en/mail.ftl"),
        }
    }
}

/// The three catalogues, parsed once.
pub struct Texts {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Texts")
    }
}

impl Texts {
    pub fn load() -> anyhow::Result<Self> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let resource = FluentResource::try_new(lang.source().to_owned())
                .map_err(|(_, errors)| anyhow::anyhow!("mail.ftl ({}): {errors:?}", lang.code()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang.code().parse()?]);
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| anyhow::anyhow!("mail.ftl ({}): {errors:?}", lang.code()))?;
            bundles.insert(lang, bundle);
        }
        Ok(Self { bundles })
    }

    /// The text `id` with `args`; `None` when the catalogue has no such text.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, String)]) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Whole numbers go in as numbers: plural forms and digit grouping need them.
            match value.parse::<i64>() {
                Ok(number) => fluent_args.set(*name, number),
                Err(_) => fluent_args.set(*name, value.clone()),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// `id` with `args`, or the id itself when missing (a test keeps the catalogues complete).
    pub fn text(&self, lang: Lang, id: &str, args: &[(&str, String)]) -> String {
        self.get(lang, id, args).unwrap_or_else(|| id.to_owned())
    }

    /// The text of a code (`decision-refused`, `reason-spam`, …), or the code when unknown.
    pub fn code(&self, lang: Lang, prefix: &str, code: &str) -> String {
        self.get(lang, &format!("{prefix}-{code}"), &[])
            .unwrap_or_else(|| code.to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids(lang: Lang) -> std::collections::BTreeSet<String> {
        lang.source()
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with(' '))
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id.to_owned()))
            .collect()
    }

    #[test]
    fn the_three_catalogues_have_the_same_texts() {
        let texts = Texts::load().unwrap();
        let en = ids(Lang::En);
        assert!(en.len() > 40);
        for lang in [Lang::Kk, Lang::Ru] {
            assert_eq!(ids(lang), en, "{} differs from en", lang.code());
        }
        assert_eq!(
            texts.text(
                Lang::Ru,
                "subject-petition_answered",
                &[("title", "Парк".to_owned())]
            ),
            "На петицию «Парк» дан ответ"
        );
        let digest = |lang, n: i64| texts.text(lang, "subject-digest", &[("count", n.to_string())]);
        assert_eq!(digest(Lang::En, 1), "Tyndau: one update");
        assert_eq!(digest(Lang::Ru, 3), "Tyndau: 3 обновления");
        assert_eq!(digest(Lang::Ru, 5), "Tyndau: 5 обновлений");
    }
}
