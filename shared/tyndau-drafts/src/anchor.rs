//! Re-anchoring: where does a comment written on one version belong in another?
//!
//! 1. The quote is still in the provision at the same path: same path, confidence 100.
//! 2. The quote is found verbatim elsewhere: that provision ("moved"), confidence 100.
//! 3. Otherwise the provision that contains the largest share of the quote's character
//!    trigrams, if that share reaches [`MIN_BEST_MATCH_CONFIDENCE`] ("best match").
//! 4. Otherwise the comment is orphaned: still visible, attached to no provision.
//!
//! A comment with a path but no quote keeps its path while the path exists. Matching ignores
//! case, whitespace runs and typographic quotes, in every language of the provision.

use std::collections::HashSet;

use tyndau_events::comment::AnchorMethod;
use tyndau_events::consultation::Provision;
use tyndau_ids::ProvisionPath;

use crate::normal::normalize;

/// Below this share of the quote's trigrams, no provision is a credible home.
pub const MIN_BEST_MATCH_CONFIDENCE: u8 = 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: Option<ProvisionPath>,
    pub method: AnchorMethod,
    /// 0–100.
    pub confidence: u8,
}

impl Located {
    fn exact(path: ProvisionPath, method: AnchorMethod) -> Self {
        Self {
            path: Some(path),
            method,
            confidence: 100,
        }
    }

    fn orphaned(confidence: u8) -> Self {
        Self {
            path: None,
            method: AnchorMethod::Orphaned,
            confidence,
        }
    }
}

fn contains(provision: &Provision, quote: &str) -> bool {
    provision
        .text
        .values()
        .any(|text| normalize(text).contains(quote))
}

fn trigrams(text: &str) -> HashSet<[char; 3]> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// Whether `quote` appears in the provision (in any of its languages), as matching sees it.
pub fn quotes(provision: &Provision, quote: &str) -> bool {
    let quote = normalize(quote);
    !quote.is_empty() && contains(provision, &quote)
}

/// Where a comment anchored at `path` with `quote` belongs among `provisions` (another version).
pub fn locate(path: Option<&ProvisionPath>, quote: Option<&str>, provisions: &[Provision]) -> Located {
    let Some(path) = path else {
        return Located {
            path: None,
            method: AnchorMethod::WholeDraft,
            confidence: 100,
        };
    };
    let same = provisions.iter().find(|p| &p.path == path);
    let quote = quote.map(normalize).filter(|q| !q.is_empty());
    let Some(quote) = quote else {
        return match same {
            Some(p) => Located::exact(p.path.clone(), AnchorMethod::SamePath),
            None => Located::orphaned(0),
        };
    };
    if let Some(p) = same.filter(|p| contains(p, &quote)) {
        return Located::exact(p.path.clone(), AnchorMethod::SamePath);
    }
    if let Some(p) = provisions.iter().find(|p| contains(p, &quote)) {
        return Located::exact(p.path.clone(), AnchorMethod::Moved);
    }
    let wanted = trigrams(&quote);
    if wanted.is_empty() {
        return Located::orphaned(0);
    }
    let mut best: Option<(usize, &Provision)> = None;
    for provision in provisions {
        let shared = provision
            .text
            .values()
            .map(|text| trigrams(&normalize(text)).intersection(&wanted).count())
            .max()
            .unwrap_or(0);
        // Ties go to the same path, then to reading order.
        let better = match best {
            None => true,
            Some((score, _)) => shared > score || (shared == score && &provision.path == path),
        };
        if better {
            best = Some((shared, provision));
        }
    }
    let Some((shared, provision)) = best else {
        return Located::orphaned(0);
    };
    let confidence = u8::try_from(shared * 100 / wanted.len()).unwrap_or(100);
    if confidence >= MIN_BEST_MATCH_CONFIDENCE {
        Located {
            path: Some(provision.path.clone()),
            method: AnchorMethod::BestMatch,
            confidence,
        }
    } else {
        Located::orphaned(confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::tests::p;

    fn path(s: &str) -> ProvisionPath {
        s.parse().unwrap()
    }

    #[test]
    fn a_quote_still_in_place_keeps_its_path() {
        let v2 = [
            p(
                "a1",
                "Салық мөлшерлемесі 12 пайыз.",
                "Ставка налога 12 процентов.",
            ),
            p("a2", "x", "y"),
        ];
        let located = locate(Some(&path("a1")), Some("ставка  НАЛОГА"), &v2);
        assert_eq!(located, Located::exact(path("a1"), AnchorMethod::SamePath));
    }

    #[test]
    fn a_quote_that_moved_follows_its_text() {
        let v2 = [
            p("a1", "жаңа", "новая статья"),
            p("a2", "мөлшерлеме", "Ставка налога 12 процентов."),
        ];
        let located = locate(Some(&path("a1")), Some("Ставка налога"), &v2);
        assert_eq!(located, Located::exact(path("a2"), AnchorMethod::Moved));
    }

    #[test]
    fn a_reworded_quote_goes_to_the_closest_provision() {
        let v2 = [
            p("a1", "басқа", "Порядок вступления в силу настоящего закона."),
            p(
                "a2",
                "мөлшерлеме",
                "Ставка налога на имущество составляет 10 процентов.",
            ),
        ];
        let located = locate(
            Some(&path("a1")),
            Some("ставка налога на имущество составляет 12 процентов"),
            &v2,
        );
        assert_eq!(located.path, Some(path("a2")));
        assert_eq!(located.method, AnchorMethod::BestMatch);
        assert!(located.confidence >= MIN_BEST_MATCH_CONFIDENCE && located.confidence < 100);
    }

    #[test]
    fn a_vanished_quote_is_orphaned_and_says_how_close_it_came() {
        let v2 = [p("a1", "мүлдем басқа мәтін", "совсем другой текст")];
        let located = locate(Some(&path("a3")), Some("ставка налога 12 процентов"), &v2);
        assert_eq!(located.path, None);
        assert_eq!(located.method, AnchorMethod::Orphaned);
        assert!(located.confidence < MIN_BEST_MATCH_CONFIDENCE);
    }

    #[test]
    fn without_a_quote_the_path_decides() {
        let v2 = [p("a1", "x", "y")];
        assert_eq!(
            locate(Some(&path("a1")), None, &v2),
            Located::exact(path("a1"), AnchorMethod::SamePath)
        );
        assert_eq!(locate(Some(&path("a2")), None, &v2), Located::orphaned(0));
        assert_eq!(locate(None, Some("x"), &v2).method, AnchorMethod::WholeDraft);
    }
}
