//! The Fluent catalogues: `locales/{kk,ru,en}/main.ftl`, compiled in and loaded once per
//! language. Every message without variables is formatted at load time and handed out as
//! `&'static str` (the [`Texts`] table, [`text`]); messages with variables go through [`fmt`].

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

use super::{Lang, number};

/// The catalogue of one language: the public pages' texts, then those of the pages where
/// people sign in and act.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => concat!(
            include_str!("../../locales/kk/main.ftl"),
            "\n",
            include_str!("../../locales/kk/account.ftl"),
            "\n",
            include_str!("../../locales/kk/office.ftl")
        ),
        Lang::Ru => concat!(
            include_str!("../../locales/ru/main.ftl"),
            "\n",
            include_str!("../../locales/ru/account.ftl"),
            "\n",
            include_str!("../../locales/ru/office.ftl")
        ),
        Lang::En => concat!(
            include_str!("../../locales/en/main.ftl"),
            "\n",
            include_str!("../../locales/en/account.ftl"),
            "\n",
            include_str!("../../locales/en/office.ftl")
        ),
    }
}

/// Declares [`Texts`] from the list of its fields: the field `home_title` is the message
/// `home-title`, which must exist without variables in every language.
macro_rules! texts {
    ($($field:ident,)+) => {
        /// Every fixed text of the interface in one language, as the templates read it
        /// (`chrome.t.home_title`). Filled from the `.ftl` files at first use.
        #[derive(Debug)]
        pub struct Texts {
            $(pub $field: &'static str,)+
        }

        impl Texts {
            /// The message ids of the fields.
            #[cfg(test)]
            fn ids() -> Vec<String> {
                vec![$(message_id(stringify!($field))),+]
            }

            /// The table, or the ids of the messages it misses.
            fn from_texts(texts: &HashMap<String, &'static str>) -> Result<Self, Vec<String>> {
                let mut missing = Vec::new();
                let mut get = |field: &str| {
                    let id = message_id(field);
                    texts.get(&id).copied().unwrap_or_else(|| {
                        missing.push(id);
                        ""
                    })
                };
                let t = Texts {
                    $($field: get(stringify!($field)),)+
                };
                if missing.is_empty() { Ok(t) } else { Err(missing) }
            }
        }
    };
}

fn message_id(field: &str) -> String {
    field.replace('_', "-")
}

texts! {
    // The frame of every page
    site_name,
    tagline,
    skip,
    nav_label,
    nav_home,
    nav_stats,
    nav_bodies,
    language,
    footer_open_data,
    footer_time_zone,
    footer_verify,
    // The verification page and receipts
    verify_title,
    verify_intro,
    verify_keys,
    verify_log_url,
    verify_log_key,
    verify_witness_key,
    verify_not_configured,
    verify_build,
    verify_checkpoint,
    verify_count,
    verify_receipt,
    verify_consistency,
    verify_privacy,
    receipt_summary,
    receipt_help,
    // Home page
    home_title,
    home_intro,
    most_signed,
    nearest,
    newest,
    fastest,
    in_last_hour,
    answered_recently,
    closing_soon,
    nothing_yet,
    petitions_heading,
    consultations_heading,
    // Petition page
    petition,
    addressee,
    level,
    status,
    region_scope,
    background,
    request,
    signatures_heading,
    progress_label,
    threshold_reached,
    live_note,
    final_count,
    dates_heading,
    published,
    closes,
    startup_due,
    answer_due,
    next_heading,
    answer_heading,
    answered_by,
    answered_on,
    on_time,
    late,
    rejection_heading,
    stop_heading,
    outcome,
    // Signature charts and tables (petition and statistics pages)
    over_time,
    over_time_caption,
    per_hour,
    per_day,
    period,
    no_signatures,
    by_region,
    by_region_caption,
    map_legend,
    region,
    fewer_than_five,
    withheld,
    unspecified,
    total,
    small_counts_note,
    timeline,
    show_table,
    // Consultation page
    consultation,
    developed_by,
    comment_period,
    comments_close,
    provision_header,
    channel,
    under_an_hour,
    summary,
    explanatory_note,
    draft_heading,
    versions,
    current,
    whole_draft,
    orphaned,
    orphaned_note,
    proposals_heading,
    all_proposals,
    show,
    quote,
    agree,
    disagree,
    edited,
    answer,
    reason,
    changed_in,
    hidden_by_moderator,
    overdue_answer,
    organisation,
    citizen,
    next_page,
    first_page,
    diff_heading,
    compare,
    from_version,
    to_version,
    change,
    before,
    after,
    why,
    inserted,
    deleted,
    report_heading,
    report_preliminary,
    download_csv,
    download_json,
    by_answer,
    by_provision,
    by_channel,
    answers_due,
    median_answer_time,
    answered_late_count,
    comments_count,
    // State bodies
    body_heading,
    bodies_title,
    bodies_intro,
    body,
    petitions_addressed,
    petitions_received,
    answered_on_time,
    answered_late,
    overdue,
    awaiting,
    consultations_held,
    proposals_total,
    accepted,
    partially_accepted,
    rejected,
    other_answers,
    unanswered,
    share,
    count,
    recent_petitions,
    recent_consultations,
    no_data,
    // Statistics
    stats_title,
    stats_intro,
    participation_region,
    participation_time,
    last_90_days,
    day,
    // Error pages
    not_found_title,
    not_found_text,
    error_title,
    error_text,
    unavailable_text,
    go_home,
    // Signing in and out, the account corner of the header
    sign_in,
    sign_out,
    signed_in_as,
    my_page,
    my_notifications,
    my_notifications_none,
    mark_all_read,
    flash_notifications_read,
    feed_link,
    follow_button,
    follow_hint,
    feed_new_petitions,
    feed_new_answers,
    back_office,
    account_nav_label,
    role_citizen,
    sign_in_unavailable_title,
    sign_in_unavailable_text,
    sign_in_failed_title,
    sign_in_failed_text,
    forbidden_title,
    forbidden_text,
    citizens_only_title,
    citizens_only_text,
    // Forms
    error_prefix,
    error_summary_title,
    back,
    cancel,
    choose,
    continue_button,
    change_link,
    // Messages after an action
    flash_signed,
    flash_withdrawn,
    flash_petition_submitted,
    flash_comment_posted,
    flash_reply_posted,
    flash_comment_edited,
    flash_stance_taken,
    flash_flagged,
    flash_signed_in,
    flash_session_ended,
    flash_sign_in_cancelled,
    // Signing and withdrawing
    sign_petition,
    sign_in_to_sign,
    signature_invalidated_note,
    sign_title,
    sign_lead,
    show_name_legend,
    show_name_hint,
    show_name_no,
    sign_declaration,
    sign_button,
    error_choose_show_name,
    withdraw_signature,
    withdraw_title,
    withdraw_text,
    withdraw_button,
    keep_signature,
    // Starting a petition
    new_petition,
    new_petition_addressee_title,
    new_petition_texts_title,
    new_petition_check_title,
    field_addressee,
    hint_addressee,
    terms_heading,
    change_addressee,
    field_petition_language,
    hint_petition_language,
    field_title,
    field_request,
    field_background,
    submit_declaration,
    submit_petition,
    error_choose_addressee,
    error_choose_language,
    error_title_empty,
    error_request_empty,
    error_background_empty,
    petition_sent_title,
    what_next,
    petition_sent_next,
    moderation_due,
    status_draft,
    status_submitted,
    // Comments on a draft
    comment_on_provision,
    comment_on_draft,
    comment_provision_title,
    comment_draft_title,
    reply_title,
    edit_title,
    replying_to,
    field_quote,
    hint_quote,
    field_channel,
    field_comment_language,
    hint_edit,
    field_comment,
    field_reply,
    post_comment,
    post_reply,
    save_changes,
    error_comment_empty,
    commenting_closed_title,
    commenting_closed_text,
    agree_button,
    disagree_button,
    reply,
    edit,
    flag,
    flag_title,
    flag_text,
    flag_reason_legend,
    flag_button,
    error_choose_flag_reason,
    // My page
    my_signatures,
    my_signatures_none,
    signed_label,
    withdrawn_label,
    my_petitions,
    my_petitions_none,
    my_comments,
    my_comments_none,
    kind_proposal,
    kind_reply,
    awaiting_answer,
    my_data,
    my_data_text,
    erase_link,
    erase_title,
    erase_text,
    erase_point_names,
    erase_point_counts,
    erase_point_final,
    erase_button,
}

/// A catalogue that does not load: a syntax error, a duplicate id, a [`Texts`] field without its
/// message. The unit tests load all three, so this is a failed test, never a failed page.
#[derive(Debug, thiserror::Error)]
#[error("the {lang} interface texts do not load: {}", problems.join("; "))]
pub struct LoadError {
    lang: &'static str,
    problems: Vec<String>,
}

pub(super) struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Every message without variables, formatted once.
    texts: HashMap<String, &'static str>,
    pub(super) t: Texts,
}

static CATALOGS: LazyLock<Result<[Catalog; 3], LoadError>> = LazyLock::new(|| {
    Ok([
        Catalog::load(Lang::Kk)?,
        Catalog::load(Lang::Ru)?,
        Catalog::load(Lang::En)?,
    ])
});

/// Loads the three catalogues now, so a broken one stops the service at start-up.
pub fn check() -> Result<(), &'static LoadError> {
    CATALOGS.as_ref().map(|_| ())
}

pub(super) fn catalog(lang: Lang) -> &'static Catalog {
    match &*CATALOGS {
        Ok([kk, ru, en]) => match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        },
        // Unreachable past the unit tests (they load every catalogue) and `check` at start-up.
        Err(error) => panic!("{error}"),
    }
}

impl Catalog {
    fn load(lang: Lang) -> Result<Self, LoadError> {
        let fail = |problems: Vec<String>| LoadError {
            lang: lang.code(),
            problems,
        };
        let resource = FluentResource::try_new(source(lang).to_owned())
            .map_err(|(_, errors)| fail(errors.iter().map(ToString::to_string).collect()))?;
        let ids: Vec<String> = resource
            .entries()
            .filter_map(|entry| match entry {
                ast::Entry::Message(message) => Some(message.id.name.to_owned()),
                _ => None,
            })
            .collect();
        let locale: LanguageIdentifier = lang
            .code()
            .parse()
            .map_err(|e: unic_langid::LanguageIdentifierError| fail(vec![e.to_string()]))?;
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Unicode isolation marks around every variable would change every text; the three
        // languages are all written left to right.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(match lang {
            Lang::Kk => |value, _| grouped(Lang::Kk, value),
            Lang::Ru => |value, _| grouped(Lang::Ru, value),
            Lang::En => |value, _| grouped(Lang::En, value),
        }));
        bundle
            .add_resource(resource)
            .map_err(|errors| fail(errors.iter().map(ToString::to_string).collect()))?;
        let mut texts = HashMap::new();
        for id in ids {
            let Some(pattern) = bundle.get_message(&id).and_then(|message| message.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            // A message with variables does not format without arguments: it is not a text.
            if errors.is_empty() {
                // Formatted once and used for the life of the process: leaking is keeping.
                let text: &'static str = text.into_owned().leak();
                texts.insert(id, text);
            }
        }
        let t = Texts::from_texts(&texts).map_err(|missing| {
            fail(
                missing
                    .into_iter()
                    .map(|id| format!("no message {id} without variables"))
                    .collect(),
            )
        })?;
        Ok(Self { bundle, texts, t })
    }
}

/// Numbers are written by [`number`] like everywhere else on the site (Fluent's own formatting
/// does not group digits). Pass what must stay ungrouped (years, version numbers) as strings.
fn grouped(lang: Lang, value: &FluentValue<'_>) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let whole = n.value.fract() == 0.0 && n.value.abs() < 9.0e15;
    (whole && n.options.use_grouping && n.options.minimum_fraction_digits.is_none())
        .then(|| number(lang, n.value as i64))
}

/// A message without variables, such as an enumeration's value: `text(lang, "level-government")`.
pub fn text(lang: Lang, id: &'static str) -> &'static str {
    match catalog(lang).texts.get(id) {
        Some(text) => text,
        None => {
            unresolved(lang, id, &["no such message without variables".to_owned()]);
            id
        }
    }
}

/// A message with variables: `fmt(lang, "signatures", &[("count", 3.into())])`. A number
/// selects the plural form by the language's CLDR rules and is written grouped by thousands
/// (see [`number`](super::number)); a string is written as it is.
pub fn fmt(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let bundle = &catalog(lang).bundle;
    let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
        unresolved(lang, id, &["no such message".to_owned()]);
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        unresolved(
            lang,
            id,
            &errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        );
    }
    text.into_owned()
}

/// A message that does not resolve is a bug the unit tests are there to catch: a debug build
/// panics; a release build logs it and shows what Fluent made of it (or the id).
fn unresolved(lang: Lang, id: &str, problems: &[String]) {
    tracing::error!(
        lang = lang.code(),
        id,
        ?problems,
        "an interface text does not resolve"
    );
    if cfg!(debug_assertions) {
        panic!("{} message {id} does not resolve: {problems:?}", lang.code());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn every_language_loads() {
        for lang in Lang::ALL {
            if let Err(error) = Catalog::load(lang) {
                panic!("{error}");
            }
        }
        assert!(check().is_ok());
    }

    /// Message (and term) ids of a language, each with the variables it uses.
    fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
        let resource = match fluent_syntax::parser::parse(source(lang)) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{} does not parse: {errors:?}", lang.code()),
        };
        let mut messages = BTreeMap::new();
        for entry in &resource.body {
            let (id, value, attributes) = match entry {
                ast::Entry::Message(m) => (m.id.name.to_owned(), m.value.as_ref(), &m.attributes),
                ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes),
                ast::Entry::Junk { content } => panic!("{}: junk {content:?}", lang.code()),
                _ => continue,
            };
            let mut variables = BTreeSet::new();
            let value = value.unwrap_or_else(|| panic!("{}: {id} has no value", lang.code()));
            pattern_variables(value, &mut variables);
            for attribute in attributes {
                pattern_variables(&attribute.value, &mut variables);
            }
            assert!(messages.insert(id.clone(), variables).is_none(), "{id} twice");
        }
        messages
    }

    fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Inline(inline) => inline_variables(inline, out),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for variant in variants {
                    pattern_variables(&variant.value, out);
                }
            }
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    inline_variables(argument, out);
                }
                for argument in &arguments.named {
                    inline_variables(&argument.value, out);
                }
            }
            ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
            _ => {}
        }
    }

    #[test]
    fn every_message_is_in_every_language_with_the_same_variables() {
        let kk = messages(Lang::Kk);
        assert!(kk.len() > 100, "{} messages", kk.len());
        for lang in [Lang::Ru, Lang::En] {
            let other = messages(lang);
            let missing: Vec<&String> = kk.keys().filter(|id| !other.contains_key(*id)).collect();
            let extra: Vec<&String> = other.keys().filter(|id| !kk.contains_key(*id)).collect();
            assert!(missing.is_empty(), "missing in {}: {missing:?}", lang.code());
            assert!(extra.is_empty(), "only in {}: {extra:?}", lang.code());
            for (id, variables) in &kk {
                assert_eq!(
                    &other[id],
                    variables,
                    "variables of {id} in kk and {}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_errors() {
        let numbers = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1000, 1_234_567];
        for lang in Lang::ALL {
            let bundle = &catalog(lang).bundle;
            for (id, variables) in messages(lang) {
                let pattern = bundle.get_message(&id).and_then(|m| m.value()).unwrap();
                let samples = numbers
                    .iter()
                    .map(|n| FluentValue::from(*n))
                    .chain(["kk", "ru", "en", "текст"].map(FluentValue::from));
                for sample in samples {
                    let mut args = FluentArgs::new();
                    for variable in &variables {
                        args.set(variable.clone(), sample.clone());
                    }
                    let mut errors = Vec::new();
                    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.code());
                    assert!(!text.trim().is_empty(), "{} {id} is blank", lang.code());
                }
            }
        }
    }

    #[test]
    fn every_texts_field_resolves_in_every_language() {
        for lang in Lang::ALL {
            let texts = &catalog(lang).texts;
            for id in Texts::ids() {
                let text = texts.get(&id).copied().unwrap_or_default();
                assert!(!text.trim().is_empty(), "{} {id}", lang.code());
            }
        }
        assert_eq!(Lang::En.t().home_title, "Petitions and public consultations");
        assert_eq!(Lang::Kk.t().last_90_days, "Соңғы 90 күндегі қолдар");
    }

    /// The string literals of a Rust source, outside `//` comment lines (enough for our files:
    /// no raw strings, no `'"'`).
    fn literals(source: &str) -> Vec<String> {
        let code: String = source
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut literals = Vec::new();
        let mut current: Option<String> = None;
        let mut chars = code.chars();
        while let Some(c) = chars.next() {
            match (&mut current, c) {
                (None, '"') => current = Some(String::new()),
                (Some(literal), '"') => {
                    literals.push(std::mem::take(literal));
                    current = None;
                }
                (Some(literal), '\\') => {
                    literal.push(c);
                    literal.extend(chars.next());
                }
                (Some(literal), c) => literal.push(c),
                (None, _) => {}
            }
        }
        literals
    }

    #[test]
    fn every_enumeration_message_exists_and_every_message_is_used() {
        let ids_rs = literals(include_str!("ids.rs"));
        assert!(ids_rs.len() > 80, "{} ids", ids_rs.len());
        let kk = messages(Lang::Kk);
        for id in &ids_rs {
            assert!(
                kk.contains_key(id),
                "ids.rs names {id:?}, which kk/main.ftl does not have"
            );
        }
        for id in literals(include_str!("problems.rs"))
            .into_iter()
            .filter(|l| l.starts_with("problem-"))
        {
            assert!(kk.contains_key(&id), "problems.rs names {id:?}, which kk has not");
        }
        // The parity test extends this to ru and en. Every message is a Texts field or named in
        // the i18n code, so none is translated for nothing.
        let used: BTreeSet<String> = Texts::ids()
            .into_iter()
            .chain(ids_rs)
            .chain(literals(include_str!("../i18n.rs")))
            .chain(literals(include_str!("problems.rs")))
            .chain(literals(include_str!("../account/mod.rs")))
            .chain(literals(include_str!("../account/forms.rs")))
            .chain(literals(include_str!("../account/petitions.rs")))
            .chain(literals(include_str!("../account/new_petition.rs")))
            .chain(literals(include_str!("../account/comments.rs")))
            .chain(literals(include_str!("../account/me.rs")))
            .chain(literals(include_str!("../account/notify.rs")))
            .chain(literals(include_str!("../../templates/account/notify.html")))
            .chain(literals(include_str!("../../templates/account/unsubscribe.html")))
            .chain(office_literals())
            .chain(literals(include_str!("../feeds.rs")))
            .collect();
        let unused: Vec<&String> = kk.keys().filter(|id| !used.contains(*id)).collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    /// The office's message ids: its sources and templates name them as literals
    /// (`tr.t("office-desk")`).
    fn office_literals() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut literals_found = Vec::new();
        for dir in ["src/office", "templates/office"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                literals_found.extend(literals(&source));
            }
        }
        literals_found.extend(literals(include_str!("../i18n.rs")));
        literals_found
    }

    #[test]
    fn every_notification_settings_text_exists() {
        let kk = messages(Lang::Kk);
        let sources = [
            include_str!("../account/notify.rs"),
            include_str!("../../templates/account/notify.html"),
            include_str!("../../templates/account/unsubscribe.html"),
        ];
        for id in sources
            .into_iter()
            .flat_map(literals)
            .filter(|l| l.starts_with("notify-") || l.starts_with("unsubscribe-"))
        {
            assert!(kk.contains_key(&id), "{id:?} is used but kk has no such text");
        }
    }

    #[test]
    fn every_office_text_exists() {
        let kk = messages(Lang::Kk);
        for id in office_literals().into_iter().filter(|l| l.starts_with("office-")) {
            assert!(kk.contains_key(&id), "the office names {id:?}, which kk has not");
        }
    }

    #[test]
    fn plurals_follow_the_cldr_rules_of_each_language() {
        // Kazakh has one/other, though its nouns stay singular after a number; this checks the
        // rules are there should a message ever select on them.
        let mut bundle = FluentBundle::new_concurrent(vec!["kk".parse().unwrap()]);
        bundle.set_use_isolating(false);
        let source = "m = { $n ->\n    [one] бір\n   *[other] көп\n}\n";
        let resource = FluentResource::try_new(source.to_owned()).unwrap();
        bundle.add_resource(resource).unwrap();
        let pattern = bundle.get_message("m").and_then(|m| m.value()).unwrap();
        let kk = |n: i64| {
            let mut errors = Vec::new();
            let args = FluentArgs::from_iter([("n", n)]);
            bundle
                .format_pattern(pattern, Some(&args), &mut errors)
                .into_owned()
        };
        assert_eq!(
            (kk(1).as_str(), kk(2).as_str(), kk(21).as_str()),
            ("бір", "көп", "көп")
        );

        let ru = |n: i64| fmt(Lang::Ru, "proposals", &[("count", n.into())]);
        assert_eq!(ru(1), "1 предложение");
        assert_eq!(ru(4), "4 предложения");
        assert_eq!(ru(5), "5 предложений");
        assert_eq!(ru(0), "0 предложений");
        assert_eq!(ru(14), "14 предложений");
        assert_eq!(ru(22), "22 предложения");
        assert_eq!(ru(1001), "1\u{a0}001 предложение");
        assert_eq!(fmt(Lang::En, "replies", &[("count", 1.into())]), "1 reply");
        assert_eq!(
            fmt(Lang::En, "replies", &[("count", 1000.into())]),
            "1,000 replies"
        );
        assert_eq!(fmt(Lang::Kk, "replies", &[("count", 1.into())]), "1 жауап");
    }

    #[test]
    fn numbers_are_grouped_and_strings_are_not() {
        assert_eq!(
            fmt(
                Lang::Ru,
                "count-of-threshold",
                &[("count", 12_345.into()), ("threshold", 50_000.into())]
            ),
            "12\u{a0}345 из 50\u{a0}000 подписей"
        );
        assert_eq!(
            fmt(Lang::En, "version", &[("version", "1000".into())]),
            "Version 1000"
        );
        assert_eq!(
            fmt(Lang::En, "version", &[("version", 1000.into())]),
            "Version 1,000"
        );
    }
}
