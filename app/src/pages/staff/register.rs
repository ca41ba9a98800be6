//! The opt-out register: the list with its search and filters, the export
//! as of a day, and a person's history with the form that records a
//! revocation asked for by phone or mail.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

use crate::components::{FormAlert, InputField, SelectField, StaffForm, TextAreaField, choices};
use crate::domain::access::{Action, Actor, Viewer, permits};
use crate::domain::register::{
    OptOutSource, PersonHistory, RegisterPage, RegisterQuery, RegisterRow, RevocationChannel, columns,
};
use crate::domain::request::{Choice, OptOutScope};
use crate::domain::staff_forms::FormName;
use crate::services::{load_opt_out_person, load_opt_out_register};

use super::frame::viewer;
use super::{Done, long_date, refusal_for, staff_feedback, staff_view, typed};

const LIST: &str = "/staff/opt-outs";

#[component]
pub fn OptOutRegisterPage() -> impl IntoView {
    let viewer = viewer();
    let search = use_location().search;
    let data = Resource::new(move || search.get(), load_opt_out_register);
    view! {
        <Title text="Opt-out register"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading the register…"</p> }>
                {move || {
                    let query = RegisterQuery::from_query_string(&search.get());
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |_, page| view! { <Register query page/> }.into_any())
                    })
                }}
            </Suspense>
        </div>
    }
}

fn any_or<T: Choice>() -> Vec<(String, String)> {
    choices(std::iter::once(("", "Any")).chain(T::options().iter().map(|item| (item.key(), item.label()))))
}

#[component]
fn Register(query: RegisterQuery, page: RegisterPage) -> impl IntoView {
    let date = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    let first_page =
        query.before.is_some().then(|| match (RegisterQuery { before: None, ..query.clone() }).to_query_string() {
            first if first.is_empty() => LIST.to_owned(),
            first => format!("{LIST}?{first}"),
        });
    let next_page = page.next.map(|next| format!("{LIST}?{next}"));
    let pager = (first_page.is_some() || next_page.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of the register">
                {first_page.map(|href| view! { <a href=href>"First page"</a> })}
                {next_page.map(|href| view! { <a href=href>"Next page"</a> })}
            </nav>
        }
    });
    let (scopes, sources) = (any_or::<OptOutScope>(), any_or::<OptOutSource>());
    let list = if page.rows.is_empty() {
        view! { <p class="empty">"No entries match."</p> }.into_any()
    } else {
        view! { <Entries rows=page.rows linked=true/> }.into_any()
    };
    view! {
        <h1>"Opt-out register"</h1>
        <p class="lead">
            "Every opt-out that took effect, changed or was revoked, newest first. Nothing here is ever overwritten."
        </p>
        <form method="get" action=LIST class="filters" role="search" aria-label="Search the register">
            <div class="filter-grid">
                <InputField
                    id="register-q"
                    name="q"
                    label="Search"
                    hint="Email, account number or whole words of a name"
                    input_type="search"
                    value=query.q.clone()
                />
                <SelectField
                    id="register-scope"
                    name="scope"
                    label=columns::SCOPE
                    options=scopes
                    selected=query.scope.map_or("", OptOutScope::as_str)
                />
                <SelectField
                    id="register-source"
                    name="source"
                    label=columns::SOURCE
                    options=sources
                    selected=query.source.map_or("", OptOutSource::as_str)
                />
                <InputField id="register-from" name="from" label="Effective from" input_type="date" value=date(query.from)/>
                <InputField id="register-to" name="to" label="Effective until" input_type="date" value=date(query.to)/>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Search"</button>
                <a href=LIST>"Clear filters"</a>
            </div>
        </form>
        <form method="get" action="/staff/opt-outs.csv" class="filters" aria-label="Export the register">
            <div class="filter-grid">
                <InputField
                    id="register-on"
                    name="on"
                    label="Opted out on"
                    hint="Everyone whose opt-out stood that day"
                    input_type="date"
                    value=page.today.to_string()
                />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button secondary">"Download as CSV"</button>
            </div>
        </form>
        {list}
        {pager}
    }
}

/// The register's rows, with the screens' and the export's labels.
#[component]
fn Entries(rows: Vec<RegisterRow>, linked: bool) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let name = if linked {
                view! { <a href=format!("{LIST}/{}", row.opt_out)>{row.name.clone()}</a> }.into_any()
            } else {
                view! { <span>{row.name.clone()}</span> }.into_any()
            };
            view! {
                <tr>
                    <td class="nowrap">{long_date(row.effective_on)}</td>
                    <td><span class="badge">{row.change.label()}</span></td>
                    <th scope="row">{name}</th>
                    <td>{row.email.clone()}</td>
                    <td>{row.account_number.clone().unwrap_or_default()}</td>
                    <td>{row.holders_line()}</td>
                    <td>{row.scope.label()}</td>
                    <td>{row.joint_account.label()}</td>
                    <td>{row.source.label()}</td>
                    <td>{row.reason.clone().unwrap_or_default()}</td>
                    <td>
                        {row.reference.clone().map(|reference| view! {
                            <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label="Register entries" tabindex="0">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{columns::EFFECTIVE}</th>
                        <th scope="col">{columns::CHANGE}</th>
                        <th scope="col">{columns::NAME}</th>
                        <th scope="col">{columns::EMAIL}</th>
                        <th scope="col">{columns::ACCOUNT}</th>
                        <th scope="col">{columns::HOLDERS}</th>
                        <th scope="col">{columns::SCOPE}</th>
                        <th scope="col">{columns::JOINT}</th>
                        <th scope="col">{columns::SOURCE}</th>
                        <th scope="col">{columns::REASON}</th>
                        <th scope="col">{columns::REQUEST}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn OptOutPersonPage() -> impl IntoView {
    let viewer = viewer();
    let params = use_params_map();
    let opt_out = move || params.read().get("opt_out").unwrap_or_default();
    let data = Resource::new(opt_out, load_opt_out_person);
    view! {
        <Title text="Opt-out history"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading the history…"</p> }>
                {move || Suspend::new(async move {
                    staff_view(viewer.await, data.await, |viewer, person| view! { <Person viewer person/> }.into_any())
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Person(viewer: Viewer, person: PersonHistory) -> impl IntoView {
    let may_revoke = permits(Actor::Staff(&viewer), Action::RecordOptOutRevocation);
    let standing = if person.standing.is_empty() {
        // A revocation refused because another came first has no form
        // left to show its reason beside.
        let refused = refusal_for(&staff_feedback(), FormName::RevokeOptOut);
        view! {
            {refused.map(|message| view! { <FormAlert message lead="Not saved."/> })}
            <p id="nothing-standing">"No opt-out of theirs stands today."</p>
        }
        .into_any()
    } else {
        person
            .standing
            .into_iter()
            .map(|row| view! { <Standing row csrf=viewer.csrf.clone() may_revoke/> })
            .collect_view()
            .into_any()
    };
    view! {
        <p><a href=LIST>"Back to the register"</a></p>
        <h1>{person.name}</h1>
        <p class="lead">{person.email}</p>
        <Done/>
        <h2>"Standing today"</h2>
        {standing}
        <h2>"History"</h2>
        <Entries rows=person.rows linked=false/>
    }
}

/// One opt-out that stands, and the form to record its revocation.
#[component]
fn Standing(row: RegisterRow, csrf: String, may_revoke: bool) -> impl IntoView {
    let feedback = staff_feedback();
    let form = FormName::RevokeOptOut;
    let id = format!("revoke-{}", row.opt_out);
    let (title, labelled_by) = (format!("{id}-title"), format!("{id}-title"));
    let (channel, reason) = (format!("{id}-channel"), format!("{id}-reason"));
    view! {
        <section class="action-card" aria-labelledby=labelled_by>
            <h3 id=title>
                {format!("{} since {}", row.scope.label(), long_date(row.effective_on))}
            </h3>
            <p>{format!("{}: {}. {}.", columns::HOLDERS, row.holders_line(), row.joint_account.label())}</p>
            {may_revoke.then(move || view! {
                <StaffForm
                    action=format!("{LIST}/{}/revoke", row.opt_out)
                    name=form.as_str()
                    csrf
                    refusal=refusal_for(&feedback, form)
                    id=id
                >
                    <SelectField
                        id=channel
                        name="channel"
                        label="How the customer asked"
                        options=choices(RevocationChannel::ALL.iter().map(|c| (c.as_str(), c.label())))
                        selected=typed(&feedback, form, "channel", RevocationChannel::Phone.as_str())
                    />
                    <TextAreaField
                        id=reason
                        name="reason"
                        label="Reason"
                        hint="What the customer said. Written to the register; the audit log keeps a digest."
                        required=true
                        value=typed(&feedback, form, "reason", "")
                    />
                    <button type="submit" class="button secondary">"Record the revocation"</button>
                </StaffForm>
            })}
        </section>
    }
}
