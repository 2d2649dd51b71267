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

/// The provisions lacking wording (or with a heading lacking a translation) in a required
/// language, in reading order.
pub fn missing_translations(
    provisions: &[Provision],
    required: &[Language],
) -> Vec<(ProvisionPath, Language)> {
    let mut missing = Vec::new();
    for provision in provisions {
        for language in required {
            let text_missing = provision.text.get(language).is_none_or(|t| t.trim().is_empty());
            let heading_missing = !provision.heading.is_empty()
                && provision
                    .heading
                    .get(language)
                    .is_none_or(|t| t.trim().is_empty());
            if text_missing || heading_missing {
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
}
