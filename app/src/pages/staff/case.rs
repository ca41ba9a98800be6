use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::{CopyButton, StaffForm};
use crate::domain::access::{Action, Actor, Viewer, permits};
use crate::domain::accounts::StaffMember;
use crate::domain::case::{
    AgentStanding, AppealLinks, CaseEvent, CaseView, DuplicateLinks, LegalHold, LetterState, Purged,
};
use crate::domain::clock::{Deadline, RequestClock};
use crate::domain::disagreement::Disagreement;
use crate::domain::documents::{DocumentEntry, size_label};
use crate::domain::format::tel_href;
use crate::domain::request::{Choice, NamedPerson};
use crate::domain::staff_forms::{FormName, StaffFeedback};
use crate::domain::workflow::Outcome;
use crate::domain::{Contact, EventKind, Language, ReferenceCode, RequestDetails, RequestKind};
use crate::services::load_case;

use super::case_forms::{
    AssignForm, CaseForms, DuplicateForm, ExtendForm, LegalHoldForm, MessageForm, NoteForm, RebuttalForm,
};
use super::case_steps::StepForms;
use super::conversation::{Conversation, LetterLine};
use super::frame::viewer;
use super::{Done, long_date, staff_feedback, staff_view, today};

#[component]
pub fn CasePage() -> impl IntoView {
    let viewer = viewer();
    let feedback = staff_feedback();
    let today = today();
    let params = use_params_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let data = Resource::new(reference, load_case);
    // A plain string, not a closure: the server reads the title after the
    // page has rendered, when the route's parameters may already be gone,
    // and a closure reading them there panicked one page in a few hundred.
    let title = format!("Request {}", params.read_untracked().get("reference").unwrap_or_default());
    view! {
        <Title text=title/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading the request…"</p> }>
                {move || {
                    let feedback = feedback.clone();
                    Suspend::new(async move {
                        let viewer = viewer.await;
                        let loaded = match (data.await, today.await) {
                            (Ok(case), Ok(today)) => Ok(case.and_then(|case| today.map(|today| (case, today)))),
                            (Err(error), _) | (_, Err(error)) => Err(error),
                        };
                        staff_view(viewer, loaded, |viewer, ((case, staff), today)| {
                            view! { <Case viewer case staff feedback today/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Case(
    viewer: Viewer,
    mut case: CaseView,
    staff: Vec<StaffMember>,
    feedback: StaffFeedback,
    today: NaiveDate,
) -> impl IntoView {
    let reference = case.reference.to_string();
    let may_hold = permits(Actor::Staff(&viewer), Action::PlaceLegalHold);
    let forms = CaseForms::new(&reference, &viewer, case.version, feedback);
    if let Some(purged) = case.purged {
        return view! { <PurgedCase reference case_kind=case.kind.staff_label() purged timeline=case.timeline/> }
            .into_any();
    }
    let may_rebut = case.disagreement.as_ref().is_some_and(Disagreement::may_rebut);
    let extendable = case.status.is_open() && case.clock.as_ref().is_some_and(|clock| clock.may_extend(today));
    let category = match &case.details {
        RequestDetails::Complaint { category, .. } => Some(*category),
        _ => None,
    };
    let named = match &case.details {
        RequestDetails::Amendment { notify, .. } => notify.clone(),
        _ => Vec::new(),
    };
    let return_to = format!("/staff/requests/{reference}");
    let (notices, letters): (Vec<LetterState>, Vec<LetterState>) =
        std::mem::take(&mut case.letters).into_iter().partition(|letter| letter.notice);
    let notices = (!notices.is_empty()).then(|| {
        view! {
            <section id="notices" aria-labelledby="notices-title">
                <h2 id="notices-title">"Amendment notices"</h2>
                <p class="hint">"One notice to each person and business associate told of the amendment."</p>
                <ul class="letters">
                    {notices
                        .into_iter()
                        .map(|letter| view! { <LetterLine letter forms=Some(forms.clone()) return_to=return_to.clone()/> })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <p class="back"><a href="/staff">"Back to the queue"</a></p>
        <div class="title-row">
            <h1><span class="visually-hidden">"Request "</span><span class="reference">{reference.clone()}</span></h1>
            <CopyButton text=reference.clone() what="the reference" lang=Language::En/>
        </div>
        <p class="lead">{case.kind.staff_label()}</p>
        <p class="jump"><a href="#actions">"Go to the actions"</a></p>
        <Done on_cards=true/>
        <NotSaved forms=forms.clone()/>
        {case.contact.by_post().then(|| view! {
            <p class="notice" id="by-post">
                "Answered by post: this customer gave no email address. Every letter to them waits in "
                <a href="/staff/print">"the print queue"</a>
                " until someone prints it and marks it printed."
            </p>
        })}
        <dl class="facts">
            <div><dt>"Status"</dt><dd><span class="status" class:open=case.status.is_open()>{case.status.staff_label()}</span></dd></div>
            <div><dt>"Assigned to"</dt><dd>{case.assignee.as_ref().map_or_else(|| "Unassigned".to_owned(), |a| a.name.clone())}</dd></div>
            <div><dt>"Channel"</dt><dd>{case.channel.staff_label()}</dd></div>
            <div><dt>"Language"</dt><dd id="case-language">{case.language.staff_label()}</dd></div>
            <div><dt>"Received"</dt><dd>{long_date(case.received_on)}</dd></div>
            <div><dt>"Verification"</dt><dd>{verification(&case)}</dd></div>
            <div><dt>"Legal hold"</dt><dd id="legal-hold" class="text">{hold_text(case.hold.as_ref())}</dd></div>
        </dl>
        <Duplicates links=case.duplicates.clone()/>
        <Appeal links=case.appeal.clone()/>
        {case.agent.clone().map(|agent| view! { <AgentPanel agent forms=forms.clone() open=case.status.is_open()/> })}
        {case.outcome.clone().map(|outcome| view! { <OutcomeFacts outcome register_entry=case.register_entry.clone()/> })}
        {case.disagreement.clone().map(|disagreement| view! { <DisagreementFacts disagreement reference=reference.clone()/> })}
        <Deadlines clock=case.clock/>
        <div class="case-grid">
            <div class="case-main">
                <section aria-labelledby="asked-title">
                    <h2 id="asked-title">"What the customer asked"</h2>
                    <Facts facts=asked(case.contact, case.details)/>
                </section>
                <CaseDocuments documents=case.documents.clone() reference=reference.clone()/>
                <section id="conversation" aria-labelledby="timeline-title">
                    <h2 id="timeline-title">"Conversation"</h2>
                    <p class="hint">
                        "Oldest first: what the customer wrote, what was sent to them, internal notes (never shown to the customer), each step and each email."
                    </p>
                    <Conversation events=case.timeline letters forms=Some(forms.clone()) return_to/>
                </section>
                {notices}
            </div>
            <div class="case-actions" id="actions" role="region" aria-label="Actions">
                {case.duplicates.repeats.clone().map(|earlier| view! { <DuplicateForm forms=forms.clone() earlier/> })}
                <AssignForm forms=forms.clone() viewer assignee=case.assignee staff/>
                <StepForms
                    forms=forms.clone()
                    kind=case.kind
                    status=case.status
                    steps=case.steps
                    category
                    today
                    named
                    associates=case.associates
                />
                {may_rebut.then(|| view! { <RebuttalForm forms=forms.clone()/> })}
                {extendable.then(|| view! { <ExtendForm forms=forms.clone()/> })}
                {may_hold.then(|| view! { <LegalHoldForm forms=forms.clone() hold=case.hold/> })}
                <NoteForm forms=forms.clone()/>
                <MessageForm forms/>
            </div>
        </div>
    }
    .into_any()
}

/// The requests this one is linked to as a likely duplicate, either way,
/// each a link to its own case page.
#[component]
fn Duplicates(links: DuplicateLinks) -> impl IntoView {
    let case_link = |reference: ReferenceCode| {
        let reference = reference.to_string();
        view! { <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a> }
    };
    let list = move |references: Vec<ReferenceCode>| {
        references.into_iter().map(|reference| view! { " " {case_link(reference)} }).collect_view()
    };
    let empty = links == DuplicateLinks::default();
    (!empty).then(|| {
        view! {
            <section class="notice" id="duplicates" aria-labelledby="duplicates-title">
                <h2 id="duplicates-title">"Linked requests"</h2>
                {links.repeats.map(|earlier| view! {
                    <p id="duplicate-of">
                        <span class="badge duplicate">"Possible duplicate"</span>
                        " Same person, same kind of request, while this earlier one is open: " {case_link(earlier)}
                    </p>
                })}
                {(!links.repeated_by.is_empty()).then(|| view! {
                    <p id="repeated-by">"Possible duplicates of this request, sent later:" {list(links.repeated_by)}</p>
                })}
                {links.merged_into.map(|earlier| view! {
                    <p id="merged-into">"Merged into " {case_link(earlier)} ", whose deadline stands."</p>
                })}
                {(!links.merged_here.is_empty()).then(|| view! {
                    <p id="merged-here">"Merged into this request, their history on its timeline:" {list(links.merged_here)}</p>
                })}
            </section>
        }
    })
}

/// An appeal and the refused request it appeals, each a link to the
/// other's case page, with who refused: they may not decide the appeal.
#[component]
fn Appeal(links: AppealLinks) -> impl IntoView {
    let case_link = |reference: ReferenceCode| {
        let reference = reference.to_string();
        view! { <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a> }
    };
    let empty = links == AppealLinks::default();
    (!empty).then(|| {
        view! {
            <section class="notice" id="appeal-links" aria-labelledby="appeal-links-title">
                <h2 id="appeal-links-title">"Appeal"</h2>
                {links.appeals.map(|refused| view! {
                    <p id="appeal-of">"This is the customer's appeal of the decision on " {case_link(refused)} "."</p>
                })}
                {links.refused_by.map(|name| view! {
                    <p id="refused-by">
                        "The decision was recorded by " <strong>{name}</strong>
                        ". Someone else must decide the appeal; they may still work on it."
                    </p>
                })}
                {links.appealed_by.map(|appeal| view! {
                    <p id="appealed-by">"The customer appealed this decision: " {case_link(appeal)} "."</p>
                })}
            </section>
        }
    })
}

/// Who asked for the customer, and whether their authority is verified:
/// until it is, no work starts and no outcome is recorded. The signed
/// permission or power of attorney is among the documents below.
#[component]
fn AgentPanel(agent: AgentStanding, forms: CaseForms, open: bool) -> impl IntoView {
    let AgentStanding { agent, verified_on } = agent;
    let confirms = if agent.relationship.customer_confirms() {
        "The customer confirms by the link in their receipt that the agent may act for them."
    } else {
        "A power of attorney: the customer is not asked to confirm (11 CCR 7063(b))."
    };
    view! {
        <section class="notice" id="agent" aria-labelledby="agent-title">
            <h2 id="agent-title">"Made by an authorised agent"</h2>
            <Facts facts=vec![
                ("Agent", Fact::from(agent.name)),
                ("Agent's email", Fact::from(agent.email)),
                ("Acts as", Fact::from(agent.relationship.label().to_owned())),
            ]/>
            <p class="hint">{confirms}</p>
            {match verified_on {
                Some(day) => view! { <p id="agent-verified">{format!("Authority verified on {}.", long_date(day))}</p> }.into_any(),
                None if open => view! {
                    <p id="agent-unverified">
                        <strong>"Authority not yet verified."</strong>
                        " Check the signed permission or power of attorney among the documents: until you verify it, no work starts and no outcome is recorded."
                    </p>
                    <StaffForm
                        action=forms.action("verify-agent")
                        name=FormName::VerifyAgent.as_str()
                        csrf=forms.csrf.clone()
                        version=forms.version
                        refusal=forms.refusal(FormName::VerifyAgent)
                        id="form-verify-agent"
                    >
                        <button type="submit" class="button">"Verify the agent's authority"</button>
                    </StaffForm>
                }.into_any(),
                None => view! { <p>"Authority never verified."</p> }.into_any(),
            }}
        </section>
    }
}

fn hold_text(hold: Option<&LegalHold>) -> String {
    hold.map_or_else(
        || "None".to_owned(),
        |hold| {
            format!(
                "On hold since {}: {}. It will not be purged until the hold is lifted.",
                long_date(hold.since),
                hold.reason
            )
        },
    )
}

/// What is left of a request once its retention ended: its tombstone, told
/// plainly instead of a page of empty fields.
#[component]
fn PurgedCase(reference: String, case_kind: &'static str, purged: Purged, timeline: Vec<CaseEvent>) -> impl IntoView {
    view! {
        <p class="back"><a href="/staff">"Back to the queue"</a></p>
        <h1><span class="visually-hidden">"Request "</span><span class="reference">{reference}</span></h1>
        <p class="lead">{case_kind}</p>
        <div class="notice" id="purged-notice">
            <p>{format!("Personal data removed on {} under {}.", long_date(purged.on), purged.under)}</p>
            <p>"Its reference, kind, channel, dates, status, outcome and deadlines are kept for the records and the yearly figures."</p>
        </div>
        <section id="conversation" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Conversation"</h2>
            <Conversation events=timeline letters=Vec::new() forms=None return_to=String::new()/>
        </section>
    }
}

/// How the requester's identity was confirmed. The case says when, not
/// how, so a confirmation by staff is told by its timeline entry.
fn verification(case: &CaseView) -> String {
    let by_staff = case.timeline.iter().any(|event| event.kind == EventKind::VerifiedByStaff);
    match case.verified_on {
        Some(day) if by_staff => format!("Identity confirmed by staff on {}", long_date(day)),
        Some(day) => format!("Email confirmed on {}", long_date(day)),
        None if case.kind == RequestKind::Appeal => {
            "Not needed: sent through the private link of the request it appeals".to_owned()
        }
        None if !case.kind.needs_verification() && case.agent.is_none() => "Not needed for an opt-out".to_owned(),
        None => "Not verified".to_owned(),
    }
}

/// The legal deadlines, with the rule and start date behind each, so staff
/// can check the arithmetic.
#[component]
fn Deadlines(clock: Option<RequestClock>) -> impl IntoView {
    let Some(clock) = clock else {
        return view! {
            <section aria-labelledby="deadlines-title">
                <h2 id="deadlines-title">"Deadlines"</h2>
                <p>"No legal deadline applies to this request."</p>
            </section>
        }
        .into_any();
    };
    let in_effect = clock.extended.as_ref().map_or(&clock.respond_by, |extension| &extension.respond_by).clone();
    let extension = clock.extended.map(|extension| {
        let notice = extension.notice_required.then_some(" The customer must be sent a written notice before the original date.");
        view! {
            <div>
                <dt>"Extended"</dt>
                <dd class="text">"From " {long_date(clock.respond_by.due)} ". Reason: " {extension.reason} "." {notice}</dd>
            </div>
        }
    });
    let paused = (clock.paused_days > 0).then(|| {
        let days = match clock.paused_days {
            1 => "1 day".to_owned(),
            n => format!("{n} days"),
        };
        view! { <div><dt>"Paused"</dt><dd>{days} " added for time spent waiting for the customer."</dd></div> }
    });
    view! {
        <section aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">"Deadlines"</h2>
            <dl class="facts">
                {clock.acknowledge_by.map(|deadline| view! { <DeadlineFact term="Acknowledge by" deadline/> })}
                <DeadlineFact term="Answer by" deadline=in_effect/>
                {extension}
                {paused}
            </dl>
        </section>
    }
    .into_any()
}

#[component]
fn DeadlineFact(term: &'static str, deadline: Deadline) -> impl IntoView {
    view! {
        <div>
            <dt>{term}</dt>
            <dd>
                <strong>{long_date(deadline.due)}</strong>
                <span class="explanation">{deadline.explanation}</span>
            </dd>
        </div>
    }
}

/// A pointer from the top of a long page to the form the server refused.
#[component]
fn NotSaved(forms: CaseForms) -> impl IntoView {
    forms.refused_anchor().map(|anchor| {
        view! {
            <div class="notice warning">
                <p>"Your last change was not saved. " <a href=format!("#{anchor}") rel="external">"See why"</a></p>
            </div>
        }
    })
}

/// A fact's value: text as a person typed it, or a phone number, which a
/// tap on a phone dials.
enum Fact {
    Text(String),
    Phone(String),
}

impl From<String> for Fact {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

/// Label and value pairs. Everything typed by a person is shown as text.
#[component]
fn Facts(#[prop(into)] facts: FactList) -> impl IntoView {
    let value = |fact: Fact| match fact {
        Fact::Text(text) => view! { <dd class="text">{text}</dd> }.into_any(),
        Fact::Phone(phone) => {
            let href = tel_href(&phone);
            view! { <dd><a href=href>{phone}</a></dd> }.into_any()
        }
    };
    view! {
        <dl class="facts">
            {facts.0.into_iter().map(|(term, fact)| view! { <div><dt>{term}</dt>{value(fact)}</div> }).collect_view()}
        </dl>
    }
}

struct FactList(Vec<(&'static str, Fact)>);

impl<F: Into<Fact>> From<Vec<(&'static str, F)>> for FactList {
    fn from(facts: Vec<(&'static str, F)>) -> Self {
        Self(facts.into_iter().map(|(term, fact)| (term, fact.into())).collect())
    }
}

fn people_line(people: &[NamedPerson]) -> String {
    people.iter().map(|person| format!("{} <{}>", person.name, person.email)).collect::<Vec<_>>().join(", ")
}

fn or_not_given(value: Option<String>) -> String {
    value.unwrap_or_else(|| "Not given".to_owned())
}

fn asked(contact: Contact, details: RequestDetails) -> Vec<(&'static str, Fact)> {
    let mut facts: Vec<(&'static str, Fact)> = vec![
        ("Name", contact.full_name.into()),
        ("Email", contact.email.into()),
        ("Phone", contact.phone.map_or_else(|| or_not_given(None).into(), Fact::Phone)),
    ];
    let mut more = vec![
        ("Postal address", or_not_given(contact.postal_address)),
        ("Account number", or_not_given(contact.account_number)),
    ];
    match details {
        RequestDetails::OptOut { scope, joint_account, gpc, other_holders } => more.extend([
            ("Opt-out covers", scope.label().to_owned()),
            ("Joint account", joint_account.label().to_owned()),
            (
                "Other holders named",
                if other_holders.is_empty() { "None".to_owned() } else { other_holders.join(", ") },
            ),
            ("Browser privacy signal", if gpc { "Sent with the request" } else { "Not sent" }.to_owned()),
        ]),
        RequestDetails::Amendment {
            category,
            date_of_birth,
            current_information,
            corrected_information,
            reason,
            supporting_details,
            notify,
        } => more.extend([
            ("Information", category.label().to_owned()),
            ("Date of birth", or_not_given(date_of_birth.map(long_date))),
            ("What it says now", current_information),
            ("What it should say", corrected_information),
            ("Why it should change", reason),
            ("Anything else", or_not_given(supporting_details)),
            ("Tell if accepted", if notify.is_empty() { "Nobody named".to_owned() } else { people_line(&notify) }),
        ]),
        RequestDetails::Complaint { category, occurred_on, description } => more.extend([
            ("About", category.label().to_owned()),
            ("When it happened", long_date(occurred_on)),
            ("What happened", description),
        ]),
        RequestDetails::Appeal { appeal_of, state, grounds } => more.extend([
            ("Appeals request", appeal_of),
            ("Appeals under", state.map_or_else(|| "State not given".to_owned(), |state| state.label().to_owned())),
            ("Why the decision is wrong", grounds),
        ]),
    }
    facts.extend(more.into_iter().map(|(term, text)| (term, text.into())));
    facts
}

#[component]
fn OutcomeFacts(outcome: Outcome, register_entry: Option<String>) -> impl IntoView {
    let label = outcome.label();
    let facts = match outcome {
        Outcome::OptOutApplied { effective_on } => vec![("Effective from", long_date(effective_on))],
        Outcome::AmendmentAccepted { records_changed } => vec![("Records changed", records_changed)],
        Outcome::AmendmentPartlyAccepted { records_changed, reason } => {
            vec![("Records changed", records_changed), ("Why part was not accepted", reason)]
        }
        Outcome::AmendmentDenied { ground, explanation } => {
            vec![("Ground", ground.label().to_owned()), ("Explanation", explanation)]
        }
        Outcome::ComplaintResolved { category, resolution } => {
            vec![("Category", category.label().to_owned()), ("Resolution", resolution)]
        }
        Outcome::AppealGranted { decision } => vec![("What we now do", decision)],
        Outcome::AppealDenied { explanation } => vec![("Why the refusal stands", explanation)],
    };
    view! {
        <section class="panel outcome" aria-labelledby="outcome-title">
            <h2 id="outcome-title">"Outcome: " {label}</h2>
            <Facts facts/>
            {register_entry.map(|opt_out| view! {
                <p><a id="register-link" href=format!("/staff/opt-outs/{opt_out}")>"Open in the opt-out register"</a></p>
            })}
        </section>
    }
}

/// The supporting documents the customer sent, each downloaded as a file
/// (never shown inline) through an address only staff may open.
#[component]
fn CaseDocuments(documents: Vec<DocumentEntry>, reference: String) -> impl IntoView {
    view! {
        <section aria-labelledby="documents-title" id="case-documents">
            <h2 id="documents-title">"Documents"</h2>
            {if documents.is_empty() {
                view! { <p class="empty">"The customer has sent no documents."</p> }.into_any()
            } else {
                view! {
                    <ul class="documents">
                        {documents.into_iter().map(|document| view! {
                            <li>
                                <a href=format!("/staff/requests/{reference}/documents/{}", document.id) rel="external" download="">
                                    {document.name}
                                </a>
                                " · " {document.kind.label()} " · " {size_label(document.size)} " · " {long_date(document.received_on)}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// What followed the denial, shown beside it: the customer's statement of
/// disagreement or their wish about future disclosures, and any rebuttal.
/// All of it goes with any disclosure of the information.
#[component]
fn DisagreementFacts(disagreement: Disagreement, reference: String) -> impl IntoView {
    let record = disagreement.goes_with_disclosures().then(|| {
        view! {
            <p>
                <a id="disclosure-record" href=format!("/staff/requests/{reference}/disclosure.txt") rel="external">
                    "Download what goes with any disclosure"
                </a>
            </p>
        }
    });
    let mut facts = Vec::new();
    if let Some(statement) = disagreement.statement {
        facts.push(("Statement of disagreement", statement));
    }
    if let Some(rebuttal) = disagreement.rebuttal {
        facts.push(("Our rebuttal, sent to the customer", rebuttal));
    }
    if disagreement.with_disclosures {
        facts.push((
            "With future disclosures",
            "The customer asked that the request and the denial go with any future disclosure.".to_owned(),
        ));
    }
    let limit = disagreement
        .limit
        .map(|limit| format!("Statements may have up to {} words ({}).", limit.words, limit.citation));
    view! {
        <section class="panel outcome" id="disagreement" aria-labelledby="disagreement-title">
            <h2 id="disagreement-title">"After the denial"</h2>
            {if facts.is_empty() {
                view! { <p class="empty">"The customer has sent no statement of disagreement."</p> }.into_any()
            } else {
                view! { <Facts facts/> }.into_any()
            }}
            {record}
            {limit.map(|limit| view! { <p class="hint">{limit}</p> })}
        </section>
    }
}
