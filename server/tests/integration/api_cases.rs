//! The API as a case system would use it, on SQLite and PostgreSQL: listing
//! and searching with keyed pages, steps with the case page's rules and
//! reasons, notes that staff see, timelines, and a description that covers
//! every route the API router has.

use crate::common;

use std::collections::BTreeSet;

use app::domain::Role;
use app::domain::accounts::TokenLifetime;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp};
use serde_json::{Value, json};
use server::audit::Actor;
use server::staff::tokens::ApiTokens;

async fn call(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> (Reply, Value) {
    let mut request =
        Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
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

async fn token(app: &TestApp) -> String {
    app.create_staff("intake@example.com", "Intake System", Role::Agent).await;
    ApiTokens::new(app.app.database().clone())
        .issue(&Actor::System("test"), "intake@example.com", "case system", TokenLifetime::default())
        .await
        .expect("issued")
        .expect("an account")
}

/// Today in the organisation's calendar, which the date received is held to.
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive()
}

/// Creates an amendment received `days_ago`, and returns its reference.
async fn amendment(app: &TestApp, token: &str, days_ago: u64, name: &str) -> String {
    let received = (today() - chrono::Days::new(days_ago)).to_string();
    let body = json!({
        "kind": "amendment", "channel": "mail", "received_at": received, "full_name": name,
        "email": "patient@example.com", "category": "insurance", "current_information": "Member 1234",
        "corrected_information": "Member 4321", "reason": "The digits were swapped."
    });
    let (created, json) = call(app, "POST", "/api/v1/requests", token, Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    json["reference"].as_str().expect("a reference").to_owned()
}

async fn opt_out(app: &TestApp, token: &str) -> String {
    let body = json!({
        "kind": "opt_out", "channel": "phone", "received_at": today().to_string(),
        "full_name": "Ada Lovelace", "email": "ada@example.com", "postal_address": "12 St James's Square",
        "scope": "all_sharing", "joint_account": "not_joint"
    });
    let (created, json) = call(app, "POST", "/api/v1/requests", token, Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    json["reference"].as_str().expect("a reference").to_owned()
}

fn references(page: &Value) -> Vec<String> {
    page["requests"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| row["reference"].as_str().expect("a reference").to_owned())
        .collect()
}

async fn a_filtered_list_pages_through_without_skipping_or_repeating(app: TestApp) {
    let token = token(&app).await;
    let mut amendments = BTreeSet::new();
    for days_ago in [9, 3, 3, 20, 1, 14, 6] {
        amendments.insert(amendment(&app, &token, days_ago, "Mary Seacole").await);
    }
    let other_kind = opt_out(&app, &token).await;

    let mut seen = Vec::new();
    let mut path = "/api/v1/requests?kind=amendment&limit=3".to_owned();
    let mut pages = 0;
    loop {
        let (reply, page) = call(&app, "GET", &path, &token, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        pages += 1;
        seen.extend(references(&page));
        if pages == 1 {
            // Received today, so due last: it may come on a later page, once.
            amendment(&app, &token, 0, "Florence Nightingale").await;
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/requests?kind=amendment&limit=3&cursor={cursor}"),
            None => break,
        }
        assert!(pages < 10, "the pages end");
    }
    assert!(pages >= 3, "seven requests by three: {pages} pages");
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no request listed twice: {seen:?}");
    assert!(amendments.is_subset(&unique), "none skipped: {seen:?}");
    assert!(!unique.contains(&other_kind), "the filter holds");

    let (searched, found) = call(&app, "GET", "/api/v1/requests?q=Florence&status=all", &token, None).await;
    assert_eq!(searched.status, StatusCode::OK, "{}", searched.body);
    assert_eq!(references(&found).len(), 1, "a search by name, as in the queue: {found}");

    let (bad, problem) = call(&app, "GET", "/api/v1/requests?cursor=not-a-cursor", &token, None).await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND, "a cursor the API never gave names no page");
    assert_eq!(bad.headers.get(header::CONTENT_TYPE).expect("a type"), "application/problem+json");
    assert!(problem["detail"].as_str().is_some_and(|detail| detail.contains("cursor")), "{problem}");
    let (bad, _) = call(&app, "GET", "/api/v1/requests?status=whatever", &token, None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "a filter that does not exist is refused");
}

async fn a_refused_step_is_refused_for_the_case_pages_reason(app: TestApp) {
    let token = token(&app).await;
    let reference = opt_out(&app, &token).await;
    let (_, read) = call(&app, "GET", &format!("/api/v1/requests/{reference}"), &token, None).await;
    let version = read["version"].as_i64().expect("a version");
    let steps = format!("/api/v1/requests/{reference}/steps");

    let ask = json!({ "version": version, "step": "ask_customer", "what": "A copy of the bill" });
    let (refused, problem) = call(&app, "POST", &steps, &token, Some(ask)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let reason = problem["detail"].as_str().expect("a reason").to_owned();
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let page = agent
        .post(
            &format!("/staff/requests/{reference}/step"),
            &[("version", &version.to_string()), ("step", "ask_customer"), ("what", "A copy of the bill")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.main_text().contains(&reason), "the case page says {reason:?}: {}", page.main_text());

    let close = json!({ "version": version, "step": "close", "reason": "duplicate", "note": " " });
    let (missing, problem) = call(&app, "POST", &steps, &token, Some(close)).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["detail"], "Give a short note on why the request is closed.");

    let start = json!({ "version": version, "step": "start_work" });
    let (started, moved) = call(&app, "POST", &steps, &token, Some(start.clone())).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(moved["status"], "in_progress");
    assert_eq!(moved["version"], version + 1);
    let (stale, _) = call(&app, "POST", &steps, &token, Some(start)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a step against an older version is refused");

    let effective = today().to_string();
    let apply =
        json!({ "version": version + 1, "step": "resolve", "outcome": "opt_out_applied", "effective_on": effective });
    let (applied, done) = call(&app, "POST", &steps, &token, Some(apply)).await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(done["status"], "completed");
    assert!(agent.case(&reference).await.register_entry.is_some(), "the opt-out reached the register");
}

async fn a_note_added_through_the_api_is_on_the_case_timeline(app: TestApp) {
    let token = token(&app).await;
    let reference = amendment(&app, &token, 2, "Mary Seacole").await;
    let note = "Insurer confirmed the member number by phone.";
    let (noted, _) =
        call(&app, "POST", &format!("/api/v1/requests/{reference}/notes"), &token, Some(json!({ "body": note }))).await;
    assert_eq!(noted.status, StatusCode::NO_CONTENT, "{}", noted.body);
    let (empty, _) =
        call(&app, "POST", &format!("/api/v1/requests/{reference}/notes"), &token, Some(json!({ "body": "  " }))).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let case = agent.case(&reference).await;
    let event = case.timeline.iter().find(|event| event.body.as_deref() == Some(note)).expect("on the case page");
    assert!(!event.customer_visible, "an internal note");
    assert_eq!(event.actor.as_deref(), Some("Intake System"), "by the token's owner");

    let (read, timeline) = call(&app, "GET", &format!("/api/v1/requests/{reference}/timeline"), &token, None).await;
    assert_eq!(read.status, StatusCode::OK);
    let events = timeline["events"].as_array().expect("events");
    assert_eq!(events.len(), case.timeline.len(), "the same timeline as the case page");
    assert!(events.iter().any(|event| event["kind"] == "note" && event["body"] == note), "{timeline}");
    let (missing, _) = call(&app, "GET", "/api/v1/requests/PR-2222-2222/timeline", &token, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// Every `$ref` in `value` names a schema the document holds.
fn refs_resolve(document: &Value, value: &Value, broken: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let pointer = target.trim_start_matches('#');
                if document.pointer(pointer).is_none() {
                    broken.push(target.clone());
                }
            }
            map.values().for_each(|inner| refs_resolve(document, inner, broken));
        }
        Value::Array(items) => items.iter().for_each(|inner| refs_resolve(document, inner, broken)),
        _ => {}
    }
}

async fn the_served_description_covers_every_api_route(app: TestApp) {
    let reply = app.get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let spec: Value = serde_json::from_str(&reply.body).expect("JSON");
    assert_eq!(spec["openapi"], "3.1.0");
    let base = spec["servers"][0]["url"].as_str().expect("a base").to_owned();
    for (method, path) in server::http::route_table() {
        let Some(relative) = path.strip_prefix(&format!("{base}/")) else { continue };
        if relative == "openapi.json" {
            continue;
        }
        let operation = &spec["paths"][format!("/{relative}")][method.as_str().to_lowercase()];
        assert!(operation.is_object(), "{method} {path} is not described");
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.contains_key("401"), "{method} {path}: a token may be missing");
        for (status, response) in responses {
            if status.starts_with('4') {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{method} {path} {status} is a problem"
                );
            }
        }
    }
    let mut broken = Vec::new();
    refs_resolve(&spec, &spec, &mut broken);
    assert!(broken.is_empty(), "references to nothing: {broken:?}");
    let links = &spec["paths"]["/requests"]["post"]["responses"]["201"]["links"];
    assert_eq!(links["request"]["operationId"], "get_request", "{links}");
    assert_eq!(links["timeline"]["parameters"]["reference"], "$response.body#/reference");
}

async fn a_duplicate_is_merged_and_a_statement_rebutted_through_the_api(app: TestApp) {
    let token = token(&app).await;
    let first = amendment(&app, &token, 3, "Pat Doe").await;
    let second = amendment(&app, &token, 0, "Pat Doe").await;
    let (_, read) = call(&app, "GET", &format!("/api/v1/requests/{second}"), &token, None).await;
    assert_eq!(read["duplicate_of"], first.as_str(), "the same address, the same kind, still open: {read}");
    let version = read["version"].as_i64().expect("a version");

    let path = format!("/api/v1/requests/{second}/duplicate");
    let stale = json!({ "version": version - 1, "decision": "merge" });
    assert_eq!(call(&app, "POST", &path, &token, Some(stale)).await.0.status, StatusCode::CONFLICT);
    let unknown = json!({ "version": version, "decision": "ignore" });
    assert_eq!(call(&app, "POST", &path, &token, Some(unknown)).await.0.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (merged, json) =
        call(&app, "POST", &path, &token, Some(json!({ "version": version, "decision": "merge" }))).await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    assert_eq!((json["status"].as_str(), json["merged_into"].as_str()), (Some("merged"), Some(first.as_str())));
    assert!(json["duplicate_of"].is_null(), "the mark gives way to the merge");
    let again = json!({ "version": json["version"], "decision": "merge" });
    let (refused, problem) = call(&app, "POST", &path, &token, Some(again)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "merged once: {problem}");

    // The earlier request is denied, the customer disagrees from the
    // tracking page their receipt links to, and the API rebuts it.
    let (_, read) = call(&app, "GET", &format!("/api/v1/requests/{first}"), &token, None).await;
    let deny = json!({
        "version": read["version"], "step": "resolve", "outcome": "amendment_denied",
        "ground": "accurate_and_complete", "explanation": "Our records match the insurer's."
    });
    let (denied, read) = call(&app, "POST", &format!("/api/v1/requests/{first}/steps"), &token, Some(deny)).await;
    assert_eq!(denied.status, StatusCode::OK, "{}", denied.body);
    let undenied = json!({ "version": json["version"], "rebuttal": "Nothing was denied." });
    let (refused, problem) =
        call(&app, "POST", &format!("/api/v1/requests/{second}/rebuttal"), &token, Some(undenied)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "nothing denied, nothing to rebut: {problem}");
    let rebut = format!("/api/v1/requests/{first}/rebuttal");
    let early = json!({ "version": read["version"], "rebuttal": "Nothing to rebut yet." });
    assert_eq!(call(&app, "POST", &rebut, &token, Some(early)).await.0.status, StatusCode::CONFLICT);
    // Two receipts, the merge's letter and the denial.
    let inbox = app.mail.wait_for(4, common::WAIT).await;
    let receipt = inbox
        .iter()
        .find(|m| m.subject().starts_with("We received") && m.subject().contains(&first))
        .expect("the earlier request's receipt");
    let tracking = receipt.link("http://portal.test/track/").expect("a tracking link");
    let tracking = tracking.trim_start_matches("http://portal.test").to_owned();
    let stated = app.post_form(&format!("{tracking}/disagree"), &[("statement", "My card says 4321.")]).await;
    assert_eq!(stated.status, StatusCode::SEE_OTHER, "{}", stated.main_text());

    let (_, read) = call(&app, "GET", &format!("/api/v1/requests/{first}"), &token, None).await;
    assert_eq!(read["disagreement"]["statement"], "My card says 4321.", "{read}");
    let blank = json!({ "version": read["version"], "rebuttal": "   " });
    assert_eq!(call(&app, "POST", &rebut, &token, Some(blank)).await.0.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = json!({ "version": read["version"], "rebuttal": "The insurer confirmed 1234." });
    let (rebutted, json) = call(&app, "POST", &rebut, &token, Some(answer)).await;
    assert_eq!(rebutted.status, StatusCode::OK, "{}", rebutted.body);
    assert_eq!(json["disagreement"]["rebuttal"], "The insurer confirmed 1234.");
    // Then the team told of the statement, and the rebuttal.
    let letters = app.mail.wait_for(6, common::WAIT).await;
    assert!(letters.iter().any(|m| m.subject().contains("Our response to your statement of disagreement")));
}

async fn an_agent_entered_through_the_api_is_verified_there_before_work(app: TestApp) {
    let token = token(&app).await;
    let body = json!({
        "kind": "complaint", "channel": "phone", "received_at": today().to_string(),
        "full_name": "Grace Hopper", "email": "grace@example.com", "category": "unwanted_marketing",
        "occurred_on": today().to_string(), "description": "Called twice.",
        "agent": { "name": "Mary Hopper", "email": "mary@example.com", "relationship": "power_of_attorney" }
    });
    let (created, json) = call(&app, "POST", "/api/v1/requests", &token, Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let reference = json["reference"].as_str().expect("a reference").to_owned();
    let (_, read) = call(&app, "GET", &format!("/api/v1/requests/{reference}"), &token, None).await;
    assert_eq!(read["agent"]["relationship"], "power_of_attorney", "{read}");
    assert!(read["agent"]["verified_on"].is_null());
    let start = json!({ "version": read["version"], "step": "start_work" });
    let steps = format!("/api/v1/requests/{reference}/steps");
    let (refused, problem) = call(&app, "POST", &steps, &token, Some(start.clone())).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "no work before the authority is verified: {problem}");
    let path = format!("/api/v1/requests/{reference}/agent-verification");
    let (verified, read) = call(&app, "POST", &path, &token, Some(json!({ "version": read["version"] }))).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert!(read["agent"]["verified_on"].is_string(), "{read}");
    let (again, _) = call(&app, "POST", &path, &token, Some(json!({ "version": read["version"] }))).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "once");
    let start = json!({ "version": read["version"], "step": "start_work" });
    let (started, _) = call(&app, "POST", &steps, &token, Some(start)).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
}

on_both_databases!(
    an_agent_entered_through_the_api_is_verified_there_before_work,
    a_filtered_list_pages_through_without_skipping_or_repeating,
    a_refused_step_is_refused_for_the_case_pages_reason,
    a_note_added_through_the_api_is_on_the_case_timeline,
    the_served_description_covers_every_api_route,
    a_duplicate_is_merged_and_a_statement_rebutted_through_the_api,
);
