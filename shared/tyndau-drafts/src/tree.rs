//! A draft is a list of provisions in reading order whose paths form a tree.

use std::collections::HashSet;

use tyndau_events::consultation::Provision;
use tyndau_events::petition::Language;
use tyndau_ids::ProvisionPath;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeProblem {
    Empty,
    DuplicatePath(ProvisionPath),
    /// A nested provision appears before, or without, the provision that encloses it.
    MissingParent(ProvisionPath),
}

/// Checks that paths are unique and every nested provision follows its parent.
pub fn check_tree(provisions: &[Provision]) -> Result<(), TreeProblem> {
    if provisions.is_empty() {
        return Err(TreeProblem::Empty);
    }
    let mut seen = HashSet::with_capacity(provisions.len());
    for provision in provisions {
        if let Some(parent) = provision.path.parent()
            && !seen.contains(&parent)
        {
            return Err(TreeProblem::MissingParent(provision.path.clone()));
        }
        if !seen.insert(provision.path.clone()) {
            return Err(TreeProblem::DuplicatePath(provision.path.clone()));
        }
    }
    Ok(())
}

/// The provisions lacking a translation in a required language, in reading order: wording that
/// one language has and another lacks, the same for a heading, or a provision with neither. An
/// article made only of paragraphs has a heading and no wording of its own.
pub fn missing_translations(
    provisions: &[Provision],
    required: &[Language],
) -> Vec<(ProvisionPath, Language)> {
    let written = |texts: &std::collections::BTreeMap<Language, String>, language: &Language| {
        texts.get(language).is_some_and(|t| !t.trim().is_empty())
    };
    let mut missing = Vec::new();
    for provision in provisions {
        let any_text = provision.text.values().any(|t| !t.trim().is_empty());
        let any_heading = provision.heading.values().any(|t| !t.trim().is_empty());
        for language in required {
            let lacks = (any_text && !written(&provision.text, language))
                || (any_heading && !written(&provision.heading, language))
                || (!any_text && !any_heading);
            if lacks {
                missing.push((provision.path.clone(), *language));
            }
        }
    }
    missing
}

pub fn provision<'a>(provisions: &'a [Provision], path: &ProvisionPath) -> Option<&'a Provision> {
    provisions.iter().find(|p| &p.path == path)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    pub(crate) fn p(path: &str, kk: &str, ru: &str) -> Provision {
        let mut text = BTreeMap::new();
        if !kk.is_empty() {
            text.insert(Language::Kk, kk.to_owned());
        }
        if !ru.is_empty() {
            text.insert(Language::Ru, ru.to_owned());
        }
        Provision {
            path: path.parse().unwrap(),
            heading: BTreeMap::new(),
            text,
        }
    }

    #[test]
    fn a_tree_needs_unique_paths_and_parents_first() {
        assert_eq!(check_tree(&[]), Err(TreeProblem::Empty));
        assert_eq!(
            check_tree(&[p("a1", "x", "y"), p("a1.p1", "x", "y"), p("a2", "x", "y")]),
            Ok(())
        );
        assert_eq!(
            check_tree(&[p("a1.p1", "x", "y"), p("a1", "x", "y")]),
            Err(TreeProblem::MissingParent("a1.p1".parse().unwrap()))
        );
        assert_eq!(
            check_tree(&[p("a1", "x", "y"), p("a1", "x", "y")]),
            Err(TreeProblem::DuplicatePath("a1".parse().unwrap()))
        );
    }

    #[test]
    fn parity_lists_every_missing_wording() {
        let draft = [
            p("a1", "мәтін", "текст"),
            p("a2", "", "текст"),
            p("a3", "мәтін", " "),
        ];
        let missing = missing_translations(&draft, &[Language::Kk, Language::Ru]);
        assert_eq!(
            missing,
            vec![
                ("a2".parse().unwrap(), Language::Kk),
                ("a3".parse().unwrap(), Language::Ru)
            ]
        );
    }

    #[test]
    fn a_provision_may_be_a_heading_alone_but_not_half_translated_or_empty() {
        let headed = |path: &str, kk: &str, ru: &str| Provision {
            heading: [(Language::Kk, kk.to_owned()), (Language::Ru, ru.to_owned())]
                .into_iter()
                .filter(|(_, t)| !t.is_empty())
                .collect(),
            ..p(path, "", "")
        };
        let draft = [
            headed("a1", "Ұғымдар", "Понятия"),
            p("a1.p1", "мәтін", "текст"),
            headed("a2", "Ұғымдар", ""),
            p("a3", "", ""),
        ];
        assert_eq!(
            missing_translations(&draft, &[Language::Kk, Language::Ru]),
            vec![
                ("a2".parse().unwrap(), Language::Ru),
                ("a3".parse().unwrap(), Language::Kk),
                ("a3".parse().unwrap(), Language::Ru),
            ]
        );
    }
}
