//! The opt-out register on SQLite and PostgreSQL: its history across an
//! opt-out, its revocation and a new opt-out, answered for each day; joint
//! accounts; the change feed under concurrent writes; the check endpoint;
//! revocations by staff (audited) and by the customer (only through the
//! emailed link); and the purge reading the register.

use crate::common;

use std::collections::HashSet;
use std::time::Duration;

use app::domain::Role;
use app::domain::register::{OptOutChange, OptOutSource};
use app::domain::request::{JointAccount, OptOutScope};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Days, Months, NaiveDate, Utc};
use common::staff::StaffBrowser;
use common::{TestApp, WAIT};
use rand::Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde_json::{Value, json};
use server::audit::Actor;
use server::db::entities::{audit_entry, request};
use server::register::{NewEntry, Person};
use server::staff::tokens::ApiTokens;

fn opt_out<'a>(
    name: &'a str,
    email: &'a str,
    account: &'a str,
    scope: &'a str,
    joint: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", name),
        ("email", email),
        ("postal_address", "12 St James's Square, London"),
        ("account_number", account),
        ("scope", scope),
        ("joint_account", joint),
    ]
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::America::New_York).date_naive()
}

/// Submits an opt-out through the web form; its tracking path and reference.
async fn submit(app: &TestApp, form: &[(&str, &str)]) -> (String, String) {
    let tracking = app.submit("/opt-out", form).await;
    let row = request::Entity::find()
        .order_by_desc(request::Column::Id)
        .one(app.app.database())
        .await
        .expect("the database answers")
        .expect("the request is stored");
    (tracking, row.reference)
}

/// Staff apply the opt-out from `effective_on`.
async fn apply(agent: &StaffBrowser<'_>, reference: &str, effective_on: NaiveDate) {
    let path = format!("/staff/requests/{reference}/step");
    for step in [vec![("step", "start_work")], vec![("step", "resolve")]] {
        let version = agent.case(reference).await.version.to_string();
        let day = effective_on.to_string();
        let mut pairs = vec![("version", version.as_str()), ("effective_on", day.as_str())];
        pairs.extend(step);
        let reply = agent.post_confirmed(&path, &pairs).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.main_text());
    }
}

async fn api_token(app: &TestApp) -> String {
    app.create_staff("marketing-system@example.com", "Marketing system", Role::Agent).await;
    ApiTokens::new(app.app.database().clone())
        .issue(&Actor::System("test"), "marketing-system@example.com", "marketing", Default::default())
        .await
        .expect("issued")
        .expect("an account")
}

async fn api(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let reply = app.send(request.body(Body::empty()).expect("a request")).await;
    (reply.status, serde_json::from_str(&reply.body).unwrap_or(Value::Null))
}

/// Whether the check endpoint says `who` (`email=…` or `account=…`) is
/// opted out of `scope` today.
async fn opted_out(app: &TestApp, token: &str, who: &str, scope: &str) -> bool {
    let (status, body) = api(app, Some(token), &format!("/api/v1/opt-outs/check?{who}&scope={scope}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["opted_out"].as_bool().expect("a yes or no")
}

/// Every entry of the change feed, read `limit` at a time.
async fn feed(app: &TestApp, token: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, body) = api(app, Some(token), &format!("/api/v1/opt-outs?changed_since={cursor}&limit=2")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page = body["entries"].as_array().expect("entries").clone();
        cursor = body["next"].as_str().expect("a cursor").to_owned();
        if page.is_empty() {
            return entries;
        }
        entries.extend(page);
    }
}

async fn names_standing_on(app: &TestApp, day: NaiveDate) -> Vec<(String, OptOutScope)> {
    let standing = app.app.register().as_of(day).await.expect("the register answers");
    standing.into_iter().map(|entry| (entry.person.full_name, entry.facts.scope)).collect()
}

async fn an_opt_out_revoked_and_made_again_is_answered_for_each_day(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let token = api_token(&app).await;
    let first_day = today() - Days::new(10);
    let (_, first) =
        submit(&app, &opt_out("Ada Lovelace", "ada@example.com", "A-1001", "all_sharing", "not_joint")).await;
    assert!(!opted_out(&app, &token, "email=ada@example.com", "all_sharing").await, "not before staff apply it");
    apply(&agent, &first, first_day).await;

    assert!(opted_out(&app, &token, "email=ADA@example.com%20", "all_sharing").await);
    assert!(opted_out(&app, &token, "email=ada@example.com", "marketing_only").await, "all sharing covers marketing");
    assert!(opted_out(&app, &token, "account=a1001", "all_sharing").await);
    let entries = feed(&app, &token).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["change"], "in_effect");
    assert_eq!(entries[0]["source"], "web_form");
    assert_eq!(entries[0]["effective_on"], first_day.to_string());
    let opt_out_id = entries[0]["opt_out"].as_str().expect("an opt-out id").to_owned();

    // The customer rings to revoke it.
    let revoked = agent
        .post(
            &format!("/staff/opt-outs/{opt_out_id}/revoke"),
            &[("form", "revoke_opt_out"), ("channel", "phone"), ("reason", "Wants the catalogue offers again")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.main_text());
    assert_eq!(revoked.location(), format!("/staff/opt-outs/{opt_out_id}?done=opt_out_revoked"));
    assert!(!opted_out(&app, &token, "email=ada@example.com", "all_sharing").await);
    let again =
        agent.post(&format!("/staff/opt-outs/{opt_out_id}/revoke"), &[("channel", "mail"), ("reason", "Twice")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.main_text().contains("already revoked"), "{}", again.main_text());

    // And later opts out again, of marketing only.
    let (_, second) =
        submit(&app, &opt_out("Ada Lovelace", "ada@example.com", "A-1001", "marketing_only", "not_joint")).await;
    apply(&agent, &second, today()).await;
    assert!(opted_out(&app, &token, "email=ada@example.com", "marketing_only").await);
    assert!(!opted_out(&app, &token, "email=ada@example.com", "all_sharing").await);

    let ada = |scope| vec![("Ada Lovelace".to_owned(), scope)];
    assert_eq!(names_standing_on(&app, first_day - Days::new(1)).await, vec![]);
    assert_eq!(names_standing_on(&app, first_day).await, ada(OptOutScope::AllSharing));
    assert_eq!(names_standing_on(&app, today() - Days::new(1)).await, ada(OptOutScope::AllSharing));
    assert_eq!(names_standing_on(&app, today()).await, ada(OptOutScope::MarketingOnly));

    let changes: Vec<String> =
        feed(&app, &token).await.iter().map(|entry| entry["change"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(changes, ["in_effect", "revoked", "in_effect"], "nothing is overwritten");

    // Staff see all of it on the person's history; the revocation is audited.
    let page = agent.get(&format!("/staff/opt-outs/{opt_out_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.main_text();
    for expected in ["Ada Lovelace", "Opt-out revoked", "Wants the catalogue offers again", "Phone", "Web form"] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("opt_out.revoked"))
        .all(app.app.database())
        .await
        .expect("the audit log");
    assert_eq!(audited.len(), 1);
    assert!(audited[0].actor.starts_with("staff:"), "{}", audited[0].actor);
    assert!(!audited[0].detail.contains("catalogue"), "the audit log keeps a digest, not the words");

    // The export as of a day lists who stood then, with the screens' labels.
    let yesterday = agent.get(&format!("/staff/opt-outs.csv?on={}", today() - Days::new(1))).await;
    assert_eq!(yesterday.status, StatusCode::OK);
    assert!(yesterday.body.starts_with("Effective,Change,Name,Email"), "{}", yesterday.body);
    assert!(yesterday.body.contains("All sharing with unaffiliated third parties"), "{}", yesterday.body);
    let now = agent.get(&format!("/staff/opt-outs.csv?on={}", today())).await;
    assert!(now.body.contains("Sharing for third parties' own marketing"), "{}", now.body);
    assert!(!now.body.contains("All sharing with unaffiliated third parties"), "{}", now.body);
}

async fn a_joint_opt_out_covers_every_holder_only_when_made_for_all(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let token = api_token(&app).await;
    let (_, grace) =
        submit(&app, &opt_out("Grace Hopper", "grace@example.com", "J-77", "all_sharing", "just_me")).await;
    let (_, alan) =
        submit(&app, &opt_out("Alan Turing", "alan@example.com", "J-88", "all_sharing", "all_holders")).await;
    apply(&agent, &grace, today()).await;
    apply(&agent, &alan, today()).await;

    assert!(opted_out(&app, &token, "email=grace@example.com", "all_sharing").await, "Grace herself is");
    assert!(!opted_out(&app, &token, "account=J-77", "all_sharing").await, "her co-holders are not");
    let (_, answer) = api(&app, Some(&token), "/api/v1/opt-outs/check?account=J-77&scope=all_sharing").await;
    assert_eq!(answer["opt_outs"][0]["holders"], serde_json::json!(["Grace Hopper"]));
    assert_eq!(answer["opt_outs"][0]["joint_account"], "just_me");
    assert!(opted_out(&app, &token, "account=J-88", "all_sharing").await, "every holder of Alan's account is");

    let found = agent.get("/staff/opt-outs?q=hopper").await;
    assert!(found.main_text().contains("Grace Hopper"), "{}", found.main_text());
    assert!(!found.main_text().contains("Alan Turing"));
    let by_account = agent.get("/staff/opt-outs?q=j-88").await.main_text();
    assert!(by_account.contains("Alan Turing") && !by_account.contains("Grace Hopper"), "{by_account}");
    let filtered = agent.get("/staff/opt-outs?source=phone").await.main_text();
    assert!(filtered.contains("No entries match."), "{filtered}");
}

/// A JSON request to the API, its status and body.
async fn api_post(app: &TestApp, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a request");
    let reply = app.send(request).await;
    (reply.status, serde_json::from_str(&reply.body).unwrap_or(Value::Null))
}

/// An opt-out as a system enters it through the API, naming other holders.
fn api_opt_out(name: &str, email: &str, joint: &str, holders: Value) -> Value {
    json!({
        "kind": "opt_out", "channel": "phone", "received_at": today().to_string(),
        "full_name": name, "email": email, "postal_address": "12 St James's Square, London",
        "scope": "all_sharing", "joint_account": joint, "other_holders": holders,
    })
}

/// A system enters joint opt-outs through the API as the form takes them,
/// applies them, and asks the check about each person by name.
async fn the_api_takes_other_holders_and_the_check_answers_for_each_by_name(app: TestApp) {
    let token = api_token(&app).await;
    for (body, why) in [
        (api_opt_out("Ada Lovelace", "ada@example.com", "not_joint", json!(["Byron Lovelace"])), "only for a joint"),
        (api_opt_out("Ada Lovelace", "ada@example.com", "all_holders", json!(["Byron Lovelace", " "])), "blank"),
        (api_opt_out("Ada Lovelace", "ada@example.com", "all_holders", json!(["Byron\nLovelace"])), "one line"),
        (api_opt_out("Ada Lovelace", "ada@example.com", "all_holders", Value::from(vec!["x"; 10])), "at most 9"),
    ] {
        let (status, problem) = api_post(&app, &token, "/api/v1/requests", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {problem}");
        let message = problem["fields"]["other_holders"].as_str().unwrap_or_default();
        assert!(message.contains(why), "{why:?} in {problem}");
    }

    let holders = json!(["Byron Lovelace", " Anne Isabella Milbanke "]);
    let ada = api_opt_out("Ada Lovelace", "ada@example.com", "all_holders", holders);
    let grace = api_opt_out("Grace Hopper", "grace@example.com", "just_me", json!(["Vincent Hopper"]));
    for body in [ada, grace] {
        let (status, created) = api_post(&app, &token, "/api/v1/requests", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let steps = format!("/api/v1/requests/{}/steps", created["reference"].as_str().expect("a reference"));
        let version = created["version"].as_i64().expect("a version");
        let start = json!({ "version": version, "step": "start_work" });
        assert_eq!(api_post(&app, &token, &steps, &start).await.0, StatusCode::OK);
        let apply = json!({
            "version": version + 1, "step": "resolve", "outcome": "opt_out_applied", "effective_on": today(),
        });
        let (status, applied) = api_post(&app, &token, &steps, &apply).await;
        assert_eq!(status, StatusCode::OK, "{applied}");
    }
    let entries = feed(&app, &token).await;
    let holders: Vec<&Value> = entries.iter().map(|entry| &entry["holders"]).collect();
    assert_eq!(
        holders,
        [&json!(["Ada Lovelace", "Byron Lovelace", "Anne Isabella Milbanke"]), &json!(["Grace Hopper"])],
        "for all holders the entry covers each named, trimmed; only for Grace, Grace alone"
    );

    for (name, expected, why) in [
        ("Byron Lovelace", true, "a holder named, for all holders"),
        ("lovelace  BYRON", true, "whole words in any order, case aside"),
        ("Anne Milbanke", true, "some of a holder's words"),
        ("Ada Lovelace", true, "the person who asked"),
        ("Grace Hopper", true, "one holder, for herself"),
        ("Vincent Hopper", false, "named, but the opt-out was only for Grace"),
        ("Byron Milbanke", false, "words of two different holders are nobody"),
        ("Byro Lovelace", false, "whole words only"),
    ] {
        let who = format!("name={}", name.replace(' ', "+"));
        assert_eq!(opted_out(&app, &token, &who, "all_sharing").await, expected, "{name}: {why}");
    }
    let (status, answer) =
        api(&app, Some(&token), "/api/v1/opt-outs/check?name=Byron+Lovelace&scope=all_sharing").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["opt_outs"][0]["holders"][1], "Byron Lovelace", "{answer}");
    let (status, problem) =
        api(&app, Some(&token), "/api/v1/opt-outs/check?name=Ada&email=ada@example.com&scope=all_sharing").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "one way of asking at a time: {problem}");
}

async fn the_check_endpoint_answers_only_a_token_and_explains_a_bad_question(app: TestApp) {
    let token = api_token(&app).await;
    let (status, _) = api(&app, None, "/api/v1/opt-outs/check?email=ada@example.com&scope=all_sharing").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (query, field) in [
        ("email=ada@example.com&scope=everything", "scope"),
        ("email=ada@example.com&account=A-1&scope=all_sharing", "email"),
        ("scope=all_sharing", "email"),
    ] {
        let (status, body) = api(&app, Some(&token), &format!("/api/v1/opt-outs/check?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body["fields"][field].is_string(), "{query}: {body}");
    }
    let (status, body) = api(&app, Some(&token), "/api/v1/opt-outs?changed_since=not-a-cursor").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a cursor the feed never gave names no page: {body}");
    let (status, _) = api(&app, Some(&token), "/api/v1/opt-outs?limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) =
        api(&app, Some(&token), "/api/v1/opt-outs/check?email=nobody@example.com&scope=all_sharing").await;
    assert_eq!((status, body["opted_out"].clone()), (StatusCode::OK, Value::Bool(false)));
}

/// Writers that hold their transaction open a while after writing, as a
/// busy server does, while a reader pages through the feed: each starts a
/// little after the one before and holds on longer, so without care ids
/// would commit in the reverse of the order they were drawn. The reader
/// must see each entry once, however the commits interleave.
async fn the_change_feed_never_skips_or_repeats_while_opt_outs_are_written(app: TestApp) {
    let token = api_token(&app).await;
    let ms = Duration::from_millis;
    // Fewer writers than the pool has connections, so the reader is never
    // kept waiting for one.
    const WRITERS: usize = 12;
    const ROUNDS: usize = 4;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for round in 0..ROUNDS {
        let mut writers = Vec::new();
        for n in 0..WRITERS {
            let (db, vault) = (app.app.database().clone(), app.app.vault().clone());
            writers.push(tokio::spawn(async move {
                let jitter = rand::rng().random_range(0..3);
                let (start, pause) = (ms(4 * n as u64), ms(8 * (WRITERS - n) as u64 + jitter));
                tokio::time::sleep(start).await;
                let name = format!("Writer {round}-{n}");
                let person = Person {
                    email: format!("writer{round}-{n}@example.com"),
                    postal_address: None,
                    account_number: None,
                    holders: vec![name.clone()],
                    full_name: name,
                };
                let entry = NewEntry {
                    opt_out: None,
                    request_id: None,
                    change: OptOutChange::InEffect,
                    scope: OptOutScope::AllSharing,
                    joint_account: JointAccount::NotJoint,
                    source: OptOutSource::Phone,
                    effective_on: today(),
                    recorded_by: None,
                    person,
                    reason: None,
                };
                let txn = db.begin().await.expect("a transaction");
                server::register::record(&txn, &vault, &entry).await.expect("written");
                tokio::time::sleep(pause).await;
                txn.commit().await.expect("committed");
            }));
        }
        loop {
            let done = writers.iter().all(|writer| writer.is_finished());
            let path = format!("/api/v1/opt-outs?changed_since={cursor}&limit=3");
            let (status, body) = api(&app, Some(&token), &path).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            cursor = body["next"].as_str().expect("a cursor").to_owned();
            let page = body["entries"].as_array().expect("entries").clone();
            let empty = page.is_empty();
            seen.extend(page.into_iter().map(|entry| entry["name"].as_str().unwrap_or_default().to_owned()));
            if done && empty {
                break;
            }
            tokio::time::sleep(ms(3)).await;
        }
        for writer in writers {
            writer.await.expect("the writer finished");
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an entry came twice: {seen:?}");
    assert_eq!(seen.len(), WRITERS * ROUNDS, "an entry was skipped: {seen:?}");
}

/// The customer asks on the tracking page; only the emailed link's button
/// revokes; the tracking page then says so; and the purge counts the
/// records' period from that day, and then forgets who the entries were of.
async fn a_customer_revokes_their_opt_out_only_by_confirming_the_emailed_link(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let token = api_token(&app).await;
    let form = opt_out("Ada Lovelace", "ada@example.com", "A-1001", "all_sharing", "not_joint");
    let (tracking, reference) = submit(&app, &form).await;
    let page = app.get(&tracking).await;
    assert!(!page.body.contains("revoke-opt-out"), "nothing to revoke before it applies");
    apply(&agent, &reference, today()).await;
    app.mail.wait_for(2, WAIT).await;

    let page = app.get(&tracking).await;
    assert!(page.main_text().contains("Revoke my opt-out"), "{}", page.main_text());
    let asked = app.post_form(&format!("{tracking}/revoke-opt-out"), &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), format!("{tracking}?revoke=sent"));
    assert!(opted_out(&app, &token, "email=ada@example.com", "all_sharing").await, "asking revokes nothing");

    let letters = app.mail.wait_for(3, WAIT).await;
    let letter = letters.iter().find(|l| l.subject().contains("revoke your opt-out")).expect("the confirmation");
    assert_eq!(letter.recipients, ["ada@example.com"]);
    let text = letter.text();
    let at = text.find("/revoke/").expect("a link");
    let link: String = text[at..].split_whitespace().next().expect("the link").to_owned();

    let opened = app.get(&link).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.main_text().contains("Revoke my opt-out"));
    assert!(opted_out(&app, &token, "email=ada@example.com", "all_sharing").await, "opening the link revokes nothing");
    let forged = app.post_form("/revoke/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &[]).await;
    assert_eq!(forged.location(), "/revoke/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?result=unknown");

    let confirmed = app.post_form(&link, &[]).await;
    assert_eq!(confirmed.location(), format!("{link}?result=ok"));
    assert!(!opted_out(&app, &token, "email=ada@example.com", "all_sharing").await);
    let twice = app.post_form(&link, &[]).await;
    assert_eq!(twice.location(), format!("{link}?result=unknown"), "the link works once");
    let entries = feed(&app, &token).await;
    assert_eq!(entries.len(), 2);
    assert_eq!(
        (entries[1]["change"].as_str(), entries[1]["source"].as_str()),
        (Some("revoked"), Some("tracking_page"))
    );

    let page = app.get(&tracking).await.main_text();
    assert!(page.contains("Your opt-out was revoked on"), "{page}");
    assert!(!page.contains("We email you first to confirm"), "no second revocation is offered: {page}");

    // Kept while in force; once revoked, 24 months from the revocation.
    let purge = app.app.purge();
    let in_months = |months| Utc::now().checked_add_months(Months::new(months)).expect("a date");
    let due = async |at| purge.due(at).await.expect("due").iter().any(|due| due.reference == reference);
    assert!(!due(in_months(23)).await);
    assert!(due(in_months(25)).await);
    purge.run(in_months(25)).await.expect("the purge runs");
    let forgotten = feed(&app, &token).await;
    assert_eq!(forgotten.len(), 2, "the register still says what happened when");
    assert!(forgotten.iter().all(|entry| entry["email"] == "" && entry["name"] == ""), "{forgotten:?}");
}

async fn an_opt_out_in_force_is_never_purged(app: TestApp) {
    let agent = app.staff_member("agent@example.com", Role::Agent).await;
    let (_, reference) =
        submit(&app, &opt_out("Ada Lovelace", "ada@example.com", "", "all_sharing", "not_joint")).await;
    apply(&agent, &reference, today()).await;
    let later = Utc::now().checked_add_months(Months::new(120)).expect("a date");
    let due = app.app.purge().due(later).await.expect("due");
    assert!(due.iter().all(|due| due.reference != reference));
}

on_both_databases!(
    an_opt_out_revoked_and_made_again_is_answered_for_each_day,
    a_joint_opt_out_covers_every_holder_only_when_made_for_all,
    the_api_takes_other_holders_and_the_check_answers_for_each_by_name,
    the_check_endpoint_answers_only_a_token_and_explains_a_bad_question,
    the_change_feed_never_skips_or_repeats_while_opt_outs_are_written,
    a_customer_revokes_their_opt_out_only_by_confirming_the_emailed_link,
    an_opt_out_in_force_is_never_purged,
);

/// `server seed --opt-outs N` leaves a database the portal opens at once:
/// its first start looks for data written before encryption only when the
/// database does not say there is none, and before this the seed never
/// said so. The start then walked every seeded entry before it listened
/// (a second for 2,000 in a debug build, minutes for a million), and
/// `.ci/bench-register` gave up waiting after issuing its token.
async fn a_seeded_register_leaves_nothing_for_the_first_start_to_walk(backend: common::Backend) {
    let Some((config, _dir)) = common::fresh_config(backend).await else { return };
    server::seed::register(&config, 30).await.expect("seeded");
    let db = sea_orm::Database::connect(config.database_url.expose()).await.expect("the database");
    assert!(
        server::vault::rotate::all_sealed(&db).await.expect("the database answers"),
        "the seeded database says it holds nothing unsealed"
    );
    let app = server::Application::build(config).await.expect("the portal starts on the seeded database");
    assert_eq!(
        app.register()
            .history(&server::register::Lookup::Email("person7@example.com".into()))
            .await
            .expect("read")
            .len(),
        1
    );
}

#[tokio::test]
async fn a_seeded_register_leaves_nothing_for_the_first_start_to_walk_on_sqlite() {
    a_seeded_register_leaves_nothing_for_the_first_start_to_walk(common::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_seeded_register_leaves_nothing_for_the_first_start_to_walk_on_postgres() {
    a_seeded_register_leaves_nothing_for_the_first_start_to_walk(common::Backend::Postgres).await;
}
