//! Text-length rules shared by the commands that carry free text.

use std::fmt;

use serde::Serialize;

/// The free-text fields the policy limits, named in rejections so the client can point at one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Title,
    Text,
    Request,
    Explanation,
    Answer,
    Summary,
    ExplanatoryNote,
    Heading,
    Provision,
    Comment,
    Quote,
    Reason,
}

impl fmt::Display for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextField::Title => "title",
            TextField::Text => "text",
            TextField::Request => "request",
            TextField::Explanation => "explanation",
            TextField::Answer => "answer",
            TextField::Summary => "summary",
            TextField::ExplanatoryNote => "explanatory_note",
            TextField::Heading => "heading",
            TextField::Provision => "provision",
            TextField::Comment => "comment",
            TextField::Quote => "quote",
            TextField::Reason => "reason",
        })
    }
}

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextProblem {
    Empty,
    TooLong { max: usize },
}

/// Checks a text: non-empty after trimming and at most `max` characters (Unicode scalar values,
/// so Kazakh and Russian letters count as one each).
pub(crate) fn check(text: &str, max: usize) -> Result<(), TextProblem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        Err(TextProblem::Empty)
    } else if trimmed.chars().count() > max {
        Err(TextProblem::TooLong { max })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_measured_in_characters_after_trimming() {
        assert_eq!(check("  ", 5), Err(TextProblem::Empty));
        assert_eq!(check(" Қазақ ", 5), Ok(()));
        assert_eq!(check("Қазақстан", 5), Err(TextProblem::TooLong { max: 5 }));
    }
}
