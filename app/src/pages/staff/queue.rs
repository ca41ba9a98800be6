use leptos::nonce::use_nonce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::components::{InputField, SelectField, StaffForm, choices};
use crate::domain::access::{Action, Actor, Viewer, permits};
use crate::domain::accounts::StaffMember;
use crate::domain::queue::{
    AssigneeFilter, DueFilter, QueuePage, QueueQuery, QueueRow, QueueSort, StatusFilter, Urgency,
};
use crate::domain::saved_views::{self, SavedView};
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::domain::{Channel, Language, RequestKind};
use crate::services::load_queue;

use super::frame::viewer;
use super::{Done, labels, refusal_for, short_date, staff_feedback, staff_view, typed};

#[component]
pub fn QueuePage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let search = use_location().search;
    let data = Resource::new(move || search.get(), load_queue);
    view! {
        <Title text="Queue"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading the queue…"</p> }>
                {move || {
                    let query = QueueQuery::from_query_string(&search.get());
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, (page, staff, saved)| {
                            view! { <Queue viewer query page staff saved feedback/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Queue(
    viewer: Viewer,
    query: QueueQuery,
    page: QueuePage,
    staff: Vec<StaffMember>,
    saved: Vec<SavedView>,
    feedback: StaffFeedback,
) -> impl IntoView {
    let csrf = viewer.csrf.clone();
    let first_page = (!query.after.is_empty()).then(|| match query.first_page().to_query_string() {
        first if first.is_empty() => "/staff".to_owned(),
        first => format!("/staff?{first}"),
    });
    let next_page = page.next.map(|next| format!("/staff?{next}"));
    let pager = (first_page.is_some() || next_page.is_some()).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of the queue">
                {first_page.map(|href| view! { <a href=href>"First page"</a> })}
                {next_page.map(|href| view! { <a href=href>"Next page"</a> })}
            </nav>
        }
    });
    let list = if page.rows.is_empty() {
        view! { <p class="empty">"No requests match these filters."</p> }.into_any()
    } else {
        view! { <BulkForm viewer query=query.clone() rows=page.rows staff/> }.into_any()
    };
    view! {
        <h1>"Requests"</h1>
        <Done/>
        <Views query=query.clone() saved csrf feedback/>
        <Filters query/>
        <p class="result-count" id="queue-count" role="status">{page.matching.describe()}</p>
        {list}
        {pager}
    }
}

/// The views a desk opens most, one click each, then the viewer's own; the
/// one showing is marked. A view that is none of them can be saved.
#[component]
fn Views(query: QueueQuery, saved: Vec<SavedView>, csrf: String, feedback: StaffFeedback) -> impl IntoView {
    let fixed = [
        ("All open", QueueQuery::default()),
        ("My open", QueueQuery { assignee: Some(AssigneeFilter::Me), ..Default::default() }),
        ("Unassigned", QueueQuery { assignee: Some(AssigneeFilter::Unassigned), ..Default::default() }),
        ("Due soon", QueueQuery { due: Some(DueFilter::Soon), ..Default::default() }),
        ("Overdue", QueueQuery { due: Some(DueFilter::Overdue), ..Default::default() }),
    ];
    let showing = SavedView::keeps(&query);
    let listed = fixed.iter().any(|(_, view)| *view == showing) || saved.iter().any(|view| view.query == showing);
    let refused = refusal_for(&feedback, FormName::SaveView);
    let showing_query = showing.to_query_string();
    let fixed = fixed
        .into_iter()
        .map(|(label, view)| {
            let current = (view == showing).then_some("page");
            let href = match view.to_query_string() {
                empty if empty.is_empty() => "/staff".to_owned(),
                query => format!("/staff?{query}"),
            };
            view! { <li><a href=href aria-current=current>{label}</a></li> }
        })
        .collect_view();
    let own = saved
        .into_iter()
        .map(|view| {
            let current = (view.query == showing).then_some("page");
            let (href, label, return_to) = (view.href(), format!(" {}", view.name), showing_query.clone());
            view! {
                <li class="saved-view">
                    <a href=href aria-current=current>{view.name}</a>
                    <StaffForm
                        action=saved_views::remove_path(view.id)
                        name=FormName::RemoveView.as_str()
                        csrf=csrf.clone()
                        class="inline-form"
                    >
                        <input type="hidden" name="return_to" value=return_to/>
                        <button type="submit" class="button secondary small">
                            "Remove" <span class="visually-hidden">{label}</span>
                        </button>
                    </StaffForm>
                </li>
            }
        })
        .collect_view();
    // A refused name keeps its form in sight, whatever else the page shows.
    let save = (!listed || refused.is_some()).then(|| {
        view! {
            <StaffForm action=saved_views::SAVE_PATH name=FormName::SaveView.as_str() csrf class="save-view">
                <input type="hidden" name="query" value=showing_query/>
                <InputField
                    id="save-view-name"
                    name="name"
                    label="Save this view as"
                    autocomplete="off"
                    required=true
                    width="w-medium"
                    value=typed(&feedback, FormName::SaveView, "name", "")
                    error=refused
                />
                <button type="submit" class="button secondary">"Save this view"</button>
            </StaffForm>
        }
    });
    view! {
        <nav class="queue-views" aria-label="Views of the queue">
            <ul>{fixed}{own}</ul>
        </nav>
        {save}
    }
}

/// The filters in force, in one line, for the folded filters' summary.
fn in_force(query: &QueueQuery) -> String {
    let mut parts: Vec<String> = vec![labels::status_filter(query.status()).to_owned()];
    parts.extend(query.kind.map(|kind| kind.staff_label().to_owned()));
    if query.assignee() != AssigneeFilter::Anyone {
        parts.push(format!("assigned to {}", labels::assignee_filter(query.assignee()).to_lowercase()));
    }
    parts.extend(query.due.map(|due| labels::due_filter(due).to_owned()));
    parts.extend(query.channel.map(|channel| channel.staff_label().to_owned()));
    match (query.from, query.to) {
        (Some(from), Some(to)) => parts.push(format!("received {} to {}", short_date(from), short_date(to))),
        (Some(from), None) => parts.push(format!("received from {}", short_date(from))),
        (None, Some(to)) => parts.push(format!("received until {}", short_date(to))),
        (None, None) => {}
    }
    if query.unverified {
        parts.push("with unverified".to_owned());
    }
    if query.held {
        parts.push("on legal hold".to_owned());
    }
    parts.join(" · ")
}

/// A filter choice as (value, label), with "Any" sent as a blank value.
fn any_or<T: Copy>(all: &[T], key: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    std::iter::once(("", "Any")).chain(all.iter().map(|item| (key(*item), label(*item)))).map(owned).collect()
}

fn owned((value, label): (&str, &str)) -> (String, String) {
    (value.to_owned(), label.to_owned())
}

#[component]
fn Filters(query: QueueQuery) -> impl IntoView {
    let date = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    let reversed = query.dates_reversed().then(|| {
        let swapped = format!("/staff?{}", query.dates_swapped().to_query_string());
        view! {
            <p class="field-error" id="filter-dates-error" role="alert">
                "“Received from” is after “Received until”, so no request can match. "
                <a href=swapped>"Swap the dates"</a>
            </p>
        }
    });
    view! {
        <form method="get" action="/staff" class="filters" role="search" aria-label="Filter the queue">
            <div class="search-row">
                <InputField
                    id="filter-q"
                    name="q"
                    label="Search"
                    hint="Reference (or its first characters), email, account number or name"
                    input_type="search"
                    value=query.q.clone()
                />
                <button type="submit" class="button">"Search"</button>
            </div>
            <details class="more-filters" open=query.narrowed() || query.dates_reversed()>
            <summary>
                <span class="filters-title">"Filters"</span>
                <span class="filters-in-force">{in_force(&query)}</span>
            </summary>
            {reversed}
            <div class="filter-grid">
                <SelectField
                    id="filter-kind"
                    name="kind"
                    label="Kind"
                    options=any_or(RequestKind::ALL, RequestKind::as_str, RequestKind::staff_label)
                    selected=query.kind.map_or("", RequestKind::as_str)
                />
                <SelectField
                    id="filter-status"
                    name="status"
                    label="Status"
                    options=StatusFilter::ALL.iter().map(|s| (s.as_str(), labels::status_filter(*s))).map(owned).collect()
                    selected=query.status().as_str()
                />
                <SelectField
                    id="filter-assignee"
                    name="assignee"
                    label="Assigned to"
                    options=AssigneeFilter::ALL.iter().map(|a| (a.as_str(), labels::assignee_filter(*a))).map(owned).collect()
                    selected=query.assignee().as_str()
                />
                <SelectField
                    id="filter-due"
                    name="due"
                    label="Due"
                    options=any_or(DueFilter::ALL, DueFilter::as_str, labels::due_filter)
                    selected=query.due.map_or("", DueFilter::as_str)
                />
                <SelectField
                    id="filter-channel"
                    name="channel"
                    label="Channel"
                    options=any_or(Channel::ALL, Channel::as_str, Channel::staff_label)
                    selected=query.channel.map_or("", Channel::as_str)
                />
                <InputField id="filter-from" name="from" label="Received from" input_type="date" value=date(query.from)/>
                <InputField id="filter-to" name="to" label="Received until" input_type="date" value=date(query.to)/>
                <SelectField
                    id="filter-sort"
                    name="sort"
                    label="Order"
                    options=QueueSort::ALL.iter().map(|s| (s.as_str(), labels::sort(*s))).map(owned).collect()
                    selected=query.sort().as_str()
                />
            </div>
            <div class="checkbox">
                <input type="checkbox" id="filter-unverified" name="unverified" value="1" checked=query.unverified/>
                <label for="filter-unverified">"Include unverified requests"</label>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="filter-held" name="held" value="1" checked=query.held/>
                <label for="filter-held">"Only requests on legal hold"</label>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button">"Apply"</button>
                <a href="/staff">"Clear filters"</a>
            </div>
            </details>
        </form>
    }
}

/// The queue's rows inside the form that changes several of them at once.
#[component]
fn BulkForm(viewer: Viewer, query: QueueQuery, rows: Vec<QueueRow>, staff: Vec<StaffMember>) -> impl IntoView {
    let mut actions = choices([("", "Choose an action…"), ("assign_me", "Assign to me")]);
    if permits(Actor::Staff(&viewer), Action::AssignToOthers) {
        actions.extend(
            staff
                .iter()
                .filter(|member| member.takes_cases() && member.id != viewer.id)
                .map(|member| (format!("assign:{}", member.id), format!("Assign to {}", member.name))),
        );
    }
    actions.extend(choices([("unassign", "Unassign"), ("start_work", "Start work"), ("resume", "Resume work")]));
    let rows = rows.into_iter().map(|row| view! { <Row row/> }).collect_view();
    view! {
        <StaffForm action="/staff/bulk" name=FormName::Bulk.as_str() csrf=viewer.csrf.clone() class="bulk">
            <input type="hidden" name="return_to" value=query.to_query_string()/>
            <div class="bulk-selection">
                <div class="bulk-bar">
                    <SelectField
                        id="bulk-action"
                        name="bulk_action"
                        label="With the selected requests"
                        options=actions
                    />
                    <button type="submit" class="button secondary apply-selected">"Apply to selected"</button>
                    <span class="muted selected-count" aria-live="polite"></span>
                </div>
                <div class="table-scroll" role="region" aria-label="Requests" tabindex="0">
                    <table class="data queue">
                        <thead>
                            <tr>
                                <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Kind"</th>
                                <th scope="col">"Customer"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Assigned to"</th>
                                <th scope="col">"Channel"</th>
                                <th scope="col">"Received"</th>
                                <th scope="col">"Due"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <script nonce=use_nonce()>{COUNT_SELECTED}</script>
            </div>
        </StaffForm>
    }
}

/// Counts the ticked rows as they are ticked, and keeps the button
/// waiting while none is. Without a script the button stays usable and the
/// server says when nothing was selected. A few lines of plain script in
/// the page rather than an island, so that no staff page's code is part of
/// the WebAssembly a customer's form downloads.
const COUNT_SELECTED: &str = r#"(function (root) {
  var form = root.closest('form'), button = root.querySelector('.apply-selected'), count = root.querySelector('.selected-count');
  function recount() {
    var ticked = form.querySelectorAll('input[name=selected]:checked').length;
    button.disabled = ticked === 0;
    count.textContent = ticked === 0 ? '' : ticked + ' selected';
  }
  root.addEventListener('change', recount);
  recount();
})(document.currentScript.parentElement);"#;

#[component]
fn Row(row: QueueRow) -> impl IntoView {
    let reference = row.reference.to_string();
    let value = format!("{reference}:{}", row.version);
    view! {
        <tr class:overdue=row.urgency == Some(Urgency::Overdue)>
            <td class="select">
                <input
                    type="checkbox"
                    name="selected"
                    value=value
                    aria-label=format!("Select {reference}")
                />
            </td>
            <th scope="row">
                <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a>
            </th>
            <td data-label="Kind">{row.kind.staff_label()}</td>
            <td class="customer" data-label="Customer">
                {if row.purged {
                    view! { <span class="customer-name">"Personal data removed"</span> }.into_any()
                } else {
                    view! {
                        <span class="customer-name">{row.name}</span>
                        <span class="customer-email">{row.email}</span>
                    }
                    .into_any()
                }}
                {row.held.then(|| view! { <span class="badge">"Legal hold"</span> })}
                {row.possible_duplicate.then(|| view! { <span class="badge duplicate">"Possible duplicate"</span> })}
                {(row.language != Language::En).then(|| view! {
                    <span class="badge language" title="Made in this language: answer in it">{row.language.staff_label()}</span>
                })}
            </td>
            <td data-label="Status">
                <span class="status" class:open=row.status.is_open()>{row.status.staff_label()}</span>
            </td>
            <td data-label="Assigned to">{row.assignee.unwrap_or_else(|| "Unassigned".to_owned())}</td>
            <td data-label="Channel">{row.channel.staff_label()}</td>
            <td class="nowrap" data-label="Received">
                <time datetime=row.received_at.to_rfc3339()>{short_date(row.received_on)}</time>
            </td>
            <td class="nowrap" data-label="Due"><Due row_due=row.due_on days_left=row.days_left urgency=row.urgency/></td>
        </tr>
    }
}

/// The deadline in words, with a mark that does not rely on colour.
#[component]
fn Due(row_due: Option<chrono::NaiveDate>, days_left: Option<i64>, urgency: Option<Urgency>) -> impl IntoView {
    let Some(due) = row_due else {
        return view! { <span class="muted">"No deadline"</span> }.into_any();
    };
    let mark = match urgency {
        Some(Urgency::Overdue) => Some(("urgency overdue", "Overdue")),
        Some(Urgency::DueSoon) => Some(("urgency soon", "Due soon")),
        _ => None,
    };
    view! {
        <time datetime=due.to_string()>{short_date(due)}</time>
        {days_left.map(|days| view! { <span class="days-left">{labels::days_left(days)}</span> })}
        {mark.map(|(class, text)| view! { <span class=class><span aria-hidden="true">"! "</span>{text}</span> })}
    }
    .into_any()
}
