//! OpenAPI schemas for the value types of `tyndau-ids` and `tyndau-events`.
//!
//! Those crates stay free of HTTP concerns (no `utoipa`), so their enums are described here,
//! from their `ALL` lists where they have one; for the others an exhaustive `match` below stops
//! the build when a variant is added, so the list here cannot silently fall behind.

use serde::Serialize;
use tyndau_events::petition::{ClosingOutcome, Decision, Level, RejectionReason, StopReason};
use tyndau_ids::Region;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// The serde code of a value (what the API and the read model carry).
pub fn code_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(code)) => code,
        _ => String::new(),
    }
}

fn string_enum(description: &str, codes: Vec<String>, nullable: bool) -> Object {
    let schema_type = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    let mut values: Vec<serde_json::Value> = codes.into_iter().map(serde_json::Value::String).collect();
    if nullable {
        values.push(serde_json::Value::Null);
    }
    ObjectBuilder::new()
        .schema_type(schema_type)
        .description(Some(description))
        .enum_values(Some(values))
        .build()
}

fn region_codes() -> Vec<String> {
    Region::ALL.iter().map(|r| r.code().to_owned()).collect()
}

pub fn level() -> Object {
    string_enum(
        "Level of the addressed body; it decides the threshold policy.",
        Level::ALL.iter().map(|l| l.code().to_owned()).collect(),
        false,
    )
}

pub fn region() -> Object {
    string_enum(
        "A first-level region: 17 oblasts and 3 cities.",
        region_codes(),
        false,
    )
}

pub fn optional_region() -> Object {
    string_enum(
        "A first-level region; null for the Government.",
        region_codes(),
        true,
    )
}

pub fn body() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("A state body's stable slug, e.g. `government`."))
        .pattern(Some("^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$"))
        .build()
}

pub fn rejection_reason() -> Object {
    string_enum(
        "Why moderation refused publication (see `GET /rejection-reasons`).",
        RejectionReason::ALL.iter().map(code_of).collect(),
        false,
    )
}

pub fn optional_rejection_reason() -> Object {
    string_enum(
        "Why moderation refused publication; null unless rejected.",
        RejectionReason::ALL.iter().map(code_of).collect(),
        true,
    )
}

// Fail to compile when a variant is added without being listed in the functions below.
const _: fn(StopReason) = |r| match r {
    StopReason::RulesBreach | StopReason::Fraud | StopReason::LegalOrder | StopReason::AuthorRequest => {}
};
const _: fn(Decision) = |d| match d {
    Decision::Satisfied | Decision::PartiallySatisfied | Decision::Refused => {}
};
const _: fn(ClosingOutcome) = |o| match o {
    ClosingOutcome::StartupGateMissed
    | ClosingOutcome::ThresholdNotReached
    | ClosingOutcome::ThresholdReached => {}
};

pub fn stop_reason() -> Object {
    let all = [
        StopReason::RulesBreach,
        StopReason::Fraud,
        StopReason::LegalOrder,
        StopReason::AuthorRequest,
    ];
    string_enum(
        "Why collection was stopped early.",
        all.iter().map(code_of).collect(),
        false,
    )
}

pub fn decision() -> Object {
    let all = [
        Decision::Satisfied,
        Decision::PartiallySatisfied,
        Decision::Refused,
    ];
    string_enum(
        "The addressee's decision.",
        all.iter().map(code_of).collect(),
        false,
    )
}

pub fn optional_closing_outcome() -> Object {
    let all = [
        ClosingOutcome::StartupGateMissed,
        ClosingOutcome::ThresholdNotReached,
        ClosingOutcome::ThresholdReached,
    ];
    string_enum(
        "How collection ended; null until closed.",
        all.iter().map(code_of).collect(),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_serde_forms() {
        assert_eq!(code_of(&RejectionReason::WrongAddressee), "wrong_addressee");
        assert_eq!(code_of(&Region::AlmatyRegion), "almaty-region");
        assert_eq!(code_of(&ClosingOutcome::StartupGateMissed), "startup_gate_missed");
    }
}
