//! A case's history read as one conversation, the way a helpdesk shows a
//! ticket: what the customer wrote, what was written to them and internal
//! notes as messages, each marked by who sees it, with the request's steps
//! and its emails as single lines between them.

use leptos::prelude::*;

use crate::domain::EventKind;
use crate::domain::case::{CaseEvent, LetterState, LetterStatus, ThreadEntry, conversation};
use crate::domain::tracking::Voice;

use super::case_forms::CaseForms;
use super::mail::RetryButton;
use super::{labels, long_date};

/// The case's conversation, oldest first, so that it reads down to the
/// latest word as a thread of email does.
#[component]
pub(super) fn Conversation(
    events: Vec<CaseEvent>,
    letters: Vec<LetterState>,
    forms: Option<CaseForms>,
    return_to: String,
) -> impl IntoView {
    let thread = conversation(events, letters);
    if thread.is_empty() {
        return view! { <p class="empty">"Nothing has happened yet."</p> }.into_any();
    }
    let entries = thread
        .into_iter()
        .map(|entry| match entry {
            ThreadEntry::Event(event) => view! { <EventEntry event/> }.into_any(),
            ThreadEntry::Letter(letter) => {
                view! { <LetterLine letter forms=forms.clone() return_to=return_to.clone() in_thread=true/> }.into_any()
            }
        })
        .collect_view();
    view! { <ol class="timeline conversation">{entries}</ol> }.into_any()
}

#[component]
fn EventEntry(event: CaseEvent) -> impl IntoView {
    let by = event.actor.map_or_else(|| "Customer or system".to_owned(), |name| format!("By {name}"));
    let when = view! { <time datetime=event.at.to_rfc3339()>{long_date(event.on)}</time> };
    let (class, badge, who) = match event.kind.voice() {
        Voice::Customer => ("said customer", "From the customer", None),
        Voice::ToCustomer => ("said staff", "Sent to the customer", Some(by)),
        Voice::Note => ("said note", "Internal note", Some(by)),
        Voice::Step if event.customer_visible => {
            return view! {
                <li class="event">
                    <p class="timeline-title">{event.title}</p>
                    <p class="timeline-meta">{when} " · " {by}</p>
                    {event.body.map(|body| view! { <p class="timeline-body">{body}</p> })}
                </li>
            }
            .into_any();
        }
        Voice::Step => {
            return view! {
                <li class="event internal">
                    <p class="timeline-title">{event.title}</p>
                    <p class="timeline-meta"><span class="badge internal">"Internal"</span> " " {when} " · " {by}</p>
                    {event.body.map(|body| view! { <p class="timeline-body">{body}</p> })}
                </li>
            }
            .into_any();
        }
    };
    // A note or a message is what its badge says; other words said carry
    // a title of their own (a statement, documents, a rebuttal).
    let title = (!matches!(event.kind, EventKind::Note | EventKind::Message | EventKind::CustomerReplied))
        .then(|| view! { <p class="timeline-title">{event.title}</p> });
    view! {
        <li class=class>
            <p class="timeline-meta">
                <span class="badge">{badge}</span> {who.map(|who| view! { " " <strong>{who}</strong> " ·" })} " " {when}
            </p>
            <div class="bubble">
                {title}
                {event.body.map(|body| view! { <p class="timeline-body">{body}</p> })}
            </div>
        </li>
    }
    .into_any()
}

/// One email's subject, where it stands, and a retry while it has not
/// gone. Without the case's forms (a purged case) there is nothing to retry.
#[component]
pub(super) fn LetterLine(
    letter: LetterState,
    forms: Option<CaseForms>,
    return_to: String,
    #[prop(optional)] in_thread: bool,
) -> impl IntoView {
    // A letter for the post is printed from the print queue, never sent
    // again by the mail worker.
    let retry = forms.filter(|_| letter.status != LetterStatus::Sent && !letter.by_post).map(|forms| {
        view! { <RetryButton letter=letter.id subject=letter.subject.clone() csrf=forms.csrf return_to/> }
    });
    view! {
        <li class="letter" class:event=in_thread class:email=in_thread class:failed=letter.status == LetterStatus::Failed>
            <p class="letter-subject">{in_thread.then(|| view! { <span class="soft">"Email: "</span> })}{letter.subject}</p>
            <p class="letter-meta">
                <span class="badge">{labels::letter_status_of(letter.status, letter.by_post)}</span>
                " To " {letter.recipient.replace('\n', ", ")} " · "
                {match (letter.by_post, letter.attempts) {
                    (true, _) => "by post".to_owned(),
                    (false, 1) => "1 attempt".to_owned(),
                    (false, n) => format!("{n} attempts"),
                }}
                " · " <time datetime=letter.created_at.to_rfc3339()>{long_date(letter.created_on)}</time>
            </p>
            {letter.last_error.map(|error| view! { <p class="letter-error">"Last error: " {error}</p> })}
            {retry}
        </li>
    }
}
