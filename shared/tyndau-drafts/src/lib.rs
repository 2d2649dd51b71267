//! The text of a draft act, as both sides need it: the command side checks trees and re-anchors
//! comments; the read side shows diffs. Pure functions over the event types, no IO.

mod anchor;
mod diff;
mod normal;
mod parse;
mod tree;

pub use anchor::{Located, MIN_BEST_MATCH_CONFIDENCE, locate, quotes};
pub use diff::{ChangeKind, ProvisionChange, WordOp, WordSpan, diff};
pub use parse::{
    Level, MAX_PROVISIONS, Number, ParseError, ParseProblem, ParsedDraft, ParsedProvision, merge, parse,
};
pub use tree::{TreeProblem, check_tree, missing_translations, provision};
