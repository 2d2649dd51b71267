//! The command API's problem codes and the sentences that explain them to a person.

/// The sentence for a problem code of the command API. The codes are the API's stable
/// contract (`proto-docs/api/command-api.json`); a code without its own sentence gets the
/// general one, which names the code.
pub(super) fn problem(code: &str) -> &'static str {
    match code {
        "already_signed" => "problem-already-signed",
        "withdrawn_earlier" => "problem-withdrawn-earlier",
        "petition_closed" => "problem-petition-closed",
        "not_resident" => "problem-not-resident",
        "too_young" => "problem-too-young",
        "not_signed" => "problem-not-signed",
        "already_withdrawn" => "problem-already-withdrawn",
        "signature_invalidated" => "problem-signature-invalidated",
        "petition_not_found" => "problem-petition-not-found",
        "no_display_name" => "problem-no-display-name",
        "rate_limited" => "problem-rate-limited",
        "forbidden" => "problem-forbidden",
        "unknown_body" => "problem-unknown-body",
        "kazakh_or_russian_required" => "problem-kazakh-or-russian-required",
        "empty_text" => "problem-empty-text",
        "text_too_long" => "problem-text-too-long",
        "commenting_closed" | "consultation_not_open" => "problem-commenting-closed",
        "unknown_provision" => "problem-unknown-provision",
        "quote_not_found" => "problem-quote-not-found",
        "quote_without_provision" => "problem-quote-without-provision",
        "comment_hidden" => "problem-comment-hidden",
        "not_author" => "problem-not-author",
        "comment_has_replies" => "problem-comment-has-replies",
        "own_comment" => "problem-own-comment",
        "already_flagged" => "problem-already-flagged",
        "reply_too_deep" => "problem-reply-too-deep",
        "wrong_channel" => "problem-wrong-channel",
        "own_consultation" => "problem-own-consultation",
        "invalid_input" | "invalid_body" => "problem-invalid-input",
        _ => "problem-other",
    }
}
