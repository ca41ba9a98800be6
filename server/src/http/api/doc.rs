//! The API's OpenAPI description, generated from the handlers' own types
//! and `#[utoipa::path]` attributes. A copy is kept in `openapi.json` beside
//! this file, and a test fails when the two differ, so a change to a handler
//! shows up as a change to its description in review.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, RefOr, Schema, Server};
use utoipa::{Modify, OpenApi};

use app::domain::queue::{AssigneeFilter, DueFilter, QueueSort, StatusFilter};
use app::domain::request::OptOutScope;
use app::domain::{Channel, RequestKind};

use super::{cases, register, requests};

/// Where the API is mounted: the description's paths are relative to it.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Privacy-request portal API",
        version = "1",
        description = "Create privacy requests received by phone or mail, list and search them as the staff \
            queue does, move them along their workflow, note them, merge a likely duplicate or keep it separate, rebut a \
            statement of disagreement, read their timelines and deadlines, and read the opt-out register. Authenticate with a bearer token issued by an administrator (in the portal, or \
            with `server token create --email ...`). Tokens act with their owner's role, work for the days chosen \
            when they were issued (a year at most), and stop working when their owner signs out everywhere or is \
            disabled. Every refusal is an RFC 9457 problem (`application/problem+json`).",
    ),
    paths(
        requests::create,
        requests::list,
        requests::show,
        requests::step,
        requests::note,
        requests::timeline,
        cases::duplicate,
        cases::rebuttal,
        cases::verify_agent,
        register::changes,
        register::check,
    ),
    // The query parameters' enums, which utoipa does not collect by itself.
    components(schemas(StatusFilter, AssigneeFilter, DueFilter, QueueSort, RequestKind, Channel, OptOutScope)),
    modifiers(&Mount),
    tags(
        (name = "requests", description = "Privacy requests and their cases"),
        (name = "opt-outs", description = "The opt-out register, for the systems that share data"),
    ),
)]
struct ApiDoc;

/// What the attributes cannot say: where the API is mounted, how it is
/// authenticated, and how a created request leads to its reads.
struct Mount;

impl Modify for Mount {
    fn modify(&self, openapi: &mut Document) {
        openapi.servers = Some(vec![Server::new(BASE)]);
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        openapi.security =
            Some(vec![utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new())]);
        if let Some(check) = openapi.paths.paths.get_mut("/opt-outs/check").and_then(|item| item.get.as_mut()) {
            one_of_email_account_or_name(check);
        }
        if let Some(RefOr::T(Schema::AllOf(opt_out))) = components.schemas.get_mut("NewOptOut") {
            opt_out.items.push(RefOr::T(Schema::AnyOf(holders_only_on_a_joint_account())));
        }
        let created = openapi
            .paths
            .paths
            .get_mut("/requests")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.responses.responses.get_mut("201"));
        if let Some(RefOr::T(created)) = created {
            for (name, operation) in [("request", "get_request"), ("timeline", "get_timeline")] {
                let link = LinkBuilder::new()
                    .operation_id(operation)
                    .parameter("reference", "$response.body#/reference")
                    .build();
                created.links.insert(name.to_owned(), RefOr::T(link));
            }
        }
    }
}

/// Other holders are named only on a joint account (the form's rule):
/// either the account is joint, or the list is empty or left out.
fn holders_only_on_a_joint_account() -> utoipa::openapi::schema::AnyOf {
    use app::domain::request::JointAccount;
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, Type};
    let joint = [JointAccount::JustMe, JointAccount::AllHolders].map(|choice| choice.as_str());
    let joint = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(joint));
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().property("joint_account", joint))
        .item(ObjectBuilder::new().property("other_holders", ArrayBuilder::new().max_items(Some(0))))
        .description(Some("Other holders are named only when `joint_account` is `just_me` or `all_holders`."))
        .build()
}

/// The check asks about an email address, an account number or a name,
/// exactly one. Query parameters cannot say that one by one, so the three
/// are described as one object, exploded into the query as before.
fn one_of_email_account_or_name(check: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn, ParameterStyle};
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    let Some(parameters) = check.parameters.as_mut() else { return };
    parameters.retain(
        |parameter| !matches!(parameter, RefOr::T(p) if ["email", "account", "name"].contains(&p.name.as_str())),
    );
    // Not only white space as `trim` reads it: see the text fields of requests.rs.
    let only = |name: &str, description: &str| {
        ObjectBuilder::new()
            .property(
                name,
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"))
                    .description(Some(description)),
            )
            .required(name)
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
    };
    let schema = OneOfBuilder::new()
        .item(only("email", "The person's email address, whole."))
        .item(only("account", "An account or order number."))
        .item(only("name", "Whole words of the person's name, in any order."));
    parameters.push(
        ParameterBuilder::new()
            .name("who")
            .parameter_in(ParameterIn::Query)
            .required(Required::True)
            .description(Some("Give one of `email`, `account` and `name`."))
            .style(Some(ParameterStyle::Form))
            .explode(Some(true))
            .schema(Some(schema))
            .build()
            .into(),
    );
}

/// The description as served, written once per process.
pub static DESCRIPTION: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}")));

pub async fn serve() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DESCRIPTION.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::DESCRIPTION;

    /// Run with `UPDATE_OPENAPI=1` to write the generated description over
    /// the copy after a deliberate change.
    #[test]
    fn the_committed_description_is_the_generated_one() {
        // The folder cargo names when it runs the test, not the one it was
        // compiled in: a test binary reused from a shared target folder
        // (another clone of the same commit) would read the other clone.
        let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo runs the tests");
        let path = std::path::Path::new(&manifest).join("src/http/api/openapi.json");
        let generated = format!("{}\n", DESCRIPTION.as_str());
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &generated).expect("written");
        }
        let committed = std::fs::read_to_string(&path).expect("the committed copy");
        assert!(
            committed == generated,
            "the API changed without its description: review the change, then run this test with UPDATE_OPENAPI=1"
        );
    }
}
