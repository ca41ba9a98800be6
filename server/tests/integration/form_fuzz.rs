//! Arbitrary text in every field of every form, through the real router:
//! the answer is always a receipt or the form with its errors, never a
//! server error, and markup is never rendered as markup.

use crate::common;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const FORMS: &[(&str, &[&str])] = &[
    (
        "/opt-out",
        &["full_name", "email", "phone", "postal_address", "account_number", "scope", "joint_account", "other_holders"],
    ),
    (
        "/amendment",
        &[
            "full_name",
            "email",
            "phone",
            "account_number",
            "date_of_birth",
            "category",
            "current_information",
            "corrected_information",
            "reason",
            "supporting_details",
            "notify_1_name",
            "notify_1_email",
            "notify_2_name",
            "notify_2_email",
        ],
    ),
    ("/complaint", &["full_name", "email", "phone", "category", "occurred_on", "description"]),
];

const MARKUP: &str = "<b id=injected>x</b>";

/// Anything at all, sometimes with markup in it, sometimes a plausible value.
fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,300}",
        any::<String>().prop_map(|s| format!("{s}{MARKUP}")),
        Just("ada@example.com".to_owned()),
        Just("all_sharing".to_owned()),
        Just("2026-01-31".to_owned()),
        Just(String::new()),
    ]
}

#[test]
fn arbitrary_text_in_every_field_never_breaks_the_server() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let app = runtime.block_on(TestApp::start(Backend::Sqlite)).expect("SQLite");
    for (path, fields) in FORMS {
        let mut runner = TestRunner::new(Config { cases: 96, failure_persistence: None, ..Config::default() });
        let strategy = proptest::collection::vec(field_value(), fields.len());
        runner
            .run(&strategy, |values| {
                let pairs: Vec<(&str, &str)> = fields.iter().copied().zip(values.iter().map(String::as_str)).collect();
                let reply = runtime.block_on(app.post_form(path, &pairs));
                prop_assert!(
                    reply.status == StatusCode::SEE_OTHER || reply.status == StatusCode::UNPROCESSABLE_ENTITY,
                    "{path} answered {} to {pairs:?}",
                    reply.status
                );
                prop_assert!(!reply.body.contains(MARKUP), "{path} rendered markup raw for {pairs:?}");
                if reply.status == StatusCode::SEE_OTHER {
                    let receipt = runtime.block_on(app.get(reply.location()));
                    prop_assert_eq!(receipt.status, StatusCode::OK);
                    prop_assert!(!receipt.body.contains(MARKUP));
                } else {
                    let name = values[0].as_str();
                    if !name.chars().any(char::is_control) {
                        let kept = reply.input_value("f-full_name");
                        prop_assert_eq!(kept.as_deref(), Some(name), "what was typed is kept");
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{path}: {failure}"));
    }
}
