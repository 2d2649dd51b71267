//! The numbers of public consultation as configuration. The default comment period is the
//! 10-working-day minimum the Open NLA rules set for drafts on public services (anchors/
//! consultation.md, [K5]); which minimum applies to every act is unconfirmed, so it is a setting.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsultationPolicy {
    /// The shortest comment period, in working days after opening.
    pub min_comment_working_days: u16,
    /// Working days after closing by which every proposal should be answered.
    pub answer_working_days: u16,
    /// Deepest reply: 0 is a proposal, 1 a reply to it, …
    pub max_reply_depth: u8,
    pub max_provisions: usize,
    pub limits: ConsultationLimits,
}

impl Default for ConsultationPolicy {
    fn default() -> Self {
        Self {
            min_comment_working_days: 10,
            answer_working_days: 10,
            max_reply_depth: 3,
            max_provisions: 2_000,
            limits: ConsultationLimits::default(),
        }
    }
}

/// Maximum lengths, in characters after trimming.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsultationLimits {
    pub title: usize,
    pub summary: usize,
    pub explanatory_note: usize,
    pub heading: usize,
    pub provision: usize,
    pub comment: usize,
    pub quote: usize,
    pub reason: usize,
    pub explanation: usize,
}

impl Default for ConsultationLimits {
    fn default() -> Self {
        Self {
            title: 300,
            summary: 2_000,
            explanatory_note: 50_000,
            heading: 300,
            provision: 20_000,
            comment: 5_000,
            quote: 1_000,
            reason: 5_000,
            explanation: 2_000,
        }
    }
}
