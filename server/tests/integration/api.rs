//! The JSON API through the real router, on SQLite and PostgreSQL: bearer
//! tokens, creating a request received by mail, and reading its clocks.

use crate::common;

use app::domain::Role;
use app::domain::accounts::TokenLifetime;
use app::domain::format::long_date;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp};
use serde_json::{Value, json};
use server::audit::Actor;
use server::staff::tokens::ApiTokens;

async fn call(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (Reply, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let reply = app.send(request.body(body).expect("a request")).await;
    let json = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply, json)
}

async fn token_for(app: &TestApp, email: &str, role: Role) -> (ApiTokens, String) {
    app.create_staff(email, "Integration", role).await;
    let tokens = ApiTokens::new(app.app.database().clone());
    let token = tokens
        .issue(&Actor::System("test"), email, "intake system", TokenLifetime::default())
        .await
        .expect("issued")
        .expect("an account");
    assert!(token.starts_with("ppt_"));
    (tokens, token)
}

async fn a_mailed_request_is_created_and_read_back_with_its_clocks(app: TestApp) {
    let (_, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(10)).date_naive();
    let body = json!({
        "kind": "amendment",
        "channel": "mail",
        "received_at": received.to_string(),
        "full_name": "Alan Turing",
        "email": "alan@example.com",
        "category": "insurance",
        "current_information": "Member number 1234",
        "corrected_information": "Member number 4321",
        "reason": "The digits were swapped."
    });
    let (created, json) = call(&app, "POST", "/api/v1/requests", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = json["reference"].as_str().expect("a reference").to_owned();
    assert_eq!(created.location(), format!("/api/v1/requests/{reference}"));
    assert_eq!(json["status"], "received", "entered by staff: no email verification");
    assert_eq!(json["channel"], "mail");
    assert_eq!(json["respond_by"], (received + chrono::Days::new(60)).to_string(), "HIPAA: 60 days from receipt");
    assert_eq!(json["acknowledge_by"], Value::Null);
    assert_eq!(json["extended"], false);
    assert_eq!(json["paused_days"], 0);
    assert_eq!(json["deadline_rule"], "hipaa_amendment");

    let (read, again) = call(&app, "GET", &format!("/api/v1/requests/{reference}"), Some(&token), None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(again, json);
    let (missing, _) = call(&app, "GET", "/api/v1/requests/PR-2222-2222", Some(&token), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let receipt = app.mail.wait_for(1, std::time::Duration::from_secs(10)).await;
    assert!(receipt[0].subject().contains(&reference), "the customer is sent a receipt");
}

async fn bad_input_is_explained_field_by_field(app: TestApp) {
    let (_, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let received = (chrono::Utc::now() - chrono::Duration::days(10)).date_naive().to_string();
    let (reply, json) = call(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&token),
        Some(json!({ "kind": "complaint", "channel": "phone", "received_at": received, "full_name": "Grace" })),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json["fields"]["email"].as_str().is_some_and(|m| !m.is_empty()), "{json}");
    assert!(json["fields"]["description"].is_string(), "{json}");

    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive().to_string();
    let (future, json) = call(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&token),
        Some(json!({ "kind": "complaint", "channel": "phone", "received_at": tomorrow })),
    )
    .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json["fields"]["received_at"].is_string());
    let (garbage, _) = call(&app, "POST", "/api/v1/requests", Some(&token), Some(json!(["not", "an", "object"]))).await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn only_valid_unrevoked_tokens_get_in(app: TestApp) {
    let (none, json) = call(&app, "GET", "/api/v1/requests/PR-2222-2222", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers.get(header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()), Some("Bearer"));
    assert!(json["detail"].is_string());
    assert_eq!(none.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    let (made_up, _) = call(&app, "GET", "/api/v1/requests/PR-2222-2222", Some("ppt_madeup"), None).await;
    assert_eq!(made_up.status, StatusCode::UNAUTHORIZED);

    let (tokens, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let (ok, _) = call(&app, "GET", "/api/v1/requests/PR-2222-2222", Some(&token), None).await;
    assert_eq!(ok.status, StatusCode::NOT_FOUND, "authenticated, just no such request");
    let issued = <server::db::entities::api_token::Entity as sea_orm::EntityTrait>::find();
    let id = issued.one(app.app.database()).await.expect("a query").expect("the token").id;
    assert!(tokens.revoke(&Actor::System("test"), id).await.expect("revoked"));
    let (revoked, _) = call(&app, "GET", "/api/v1/requests/PR-2222-2222", Some(&token), None).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
}

async fn the_openapi_document_describes_what_the_api_returns(app: TestApp) {
    let (doc, spec) = call(&app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(spec["paths"]["/requests"]["post"].is_object());
    assert!(spec["paths"]["/requests/{reference}"]["get"].is_object());

    let (_, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let (_, created) = call(
        &app,
        "POST",
        "/api/v1/requests",
        Some(&token),
        Some(json!({
            "kind": "opt_out", "channel": "phone", "received_at": (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339(),
            "full_name": "Ada Lovelace", "email": "ada@example.com", "postal_address": "12 St James's Square",
            "scope": "all_sharing", "joint_account": "not_joint"
        })),
    )
    .await;
    let mut returned: Vec<&String> = created.as_object().expect("an object").keys().collect();
    let mut documented: Vec<&String> =
        spec["components"]["schemas"]["RequestBody"]["properties"].as_object().expect("documented").keys().collect();
    returned.sort();
    documented.sort();
    assert_eq!(returned, documented, "the document lists exactly the fields returned");
}

/// A letter that came in late in the evening, New York time, is already
/// the next day in UTC; staff and customer see the organisation's day.
async fn days_are_told_in_the_organisations_calendar(app: TestApp) {
    use chrono::TimeZone;
    let (_, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let zone = chrono_tz::America::New_York;
    let day = chrono::Utc::now().with_timezone(&zone).date_naive() - chrono::Days::new(10);
    let late = zone.from_local_datetime(&day.and_hms_opt(23, 30, 0).expect("a time")).single().expect("one time");
    let (told, next_day) = (long_date(day), long_date(day + chrono::Days::new(1)));
    let body = json!({
        "kind": "complaint",
        "channel": "phone",
        "received_at": late.to_rfc3339(),
        "full_name": "Grace Hopper",
        "email": "grace@example.com",
        "category": "unwanted_marketing",
        "occurred_on": "2026-10-01",
        "description": "I opted out and was still called twice."
    });
    let (created, json) = call(&app, "POST", "/api/v1/requests", Some(&token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = json["reference"].as_str().expect("a reference").to_owned();

    let receipt = app.mail.wait_for(1, std::time::Duration::from_secs(10)).await;
    assert!(receipt[0].text().contains(&told), "{}", receipt[0].text());
    assert!(!receipt[0].text().contains(&next_day), "{}", receipt[0].text());
    let staff = app.staff_member("agent@example.com", Role::Agent).await;
    let case = staff.case(&reference).await;
    assert_eq!(case.received_on, day);
    assert_eq!(
        case.timeline[0].on.to_string(),
        chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive().to_string()
    );
    let page = staff.get(&format!("/staff/requests/{reference}")).await;
    assert!(page.main_text().contains(&told), "{}", page.main_text());
}

/// The API holds the date received to the staff form's limits, with the
/// same words: not in the future, not more than a year back.
async fn the_date_received_has_the_staff_forms_limits(app: TestApp) {
    let (_, token) = token_for(&app, "intake@example.com", Role::Agent).await;
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive();
    let year_ago = today.checked_sub_months(chrono::Months::new(12)).expect("a year ago");
    let cases = [
        (year_ago - chrono::Days::new(1), Some("The date received must be within the last year.")),
        (year_ago - chrono::Days::new(400), Some("The date received must be within the last year.")),
        (today + chrono::Days::new(1), Some("The date received cannot be in the future.")),
        (year_ago, None),
        (today, None),
    ];
    let occurred = year_ago.to_string();
    for (day, refusal) in cases {
        let day = day.to_string();
        let body = json!({
            "kind": "complaint", "channel": "phone", "received_at": day, "full_name": "Grace Hopper",
            "email": "grace@example.com", "category": "unwanted_marketing", "occurred_on": occurred,
            "description": "I opted out and was still called twice."
        });
        let (api, json) = call(&app, "POST", "/api/v1/requests", Some(&token), Some(body)).await;
        let mut form: Vec<(&str, &str)> = common::COMPLAINT.to_vec();
        form.retain(|(name, _)| *name != "occurred_on");
        form.extend([("occurred_on", occurred.as_str()), ("channel", "phone"), ("received_on", day.as_str())]);
        let staff = agent.post("/staff/new/complaint", &form).await;
        match refusal {
            Some(message) => {
                assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}: {}", api.body);
                assert_eq!(json["fields"]["received_at"], message, "{day}");
                assert_eq!(staff.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
                assert!(staff.main_text().contains(message), "{day}: {}", staff.main_text());
            }
            None => {
                assert_eq!(api.status, StatusCode::CREATED, "{day}: {}", api.body);
                assert_eq!(staff.status, StatusCode::SEE_OTHER, "{day}: {}", staff.main_text());
            }
        }
    }
}

on_both_databases!(
    days_are_told_in_the_organisations_calendar,
    a_mailed_request_is_created_and_read_back_with_its_clocks,
    bad_input_is_explained_field_by_field,
    only_valid_unrevoked_tokens_get_in,
    the_openapi_document_describes_what_the_api_returns,
    the_date_received_has_the_staff_forms_limits,
);
