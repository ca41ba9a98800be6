use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::StaffForm;
use crate::domain::access::Viewer;
use crate::domain::case::{LetterState, LetterStatus, PrintLetter};
use crate::domain::staff_forms::FormName;
use crate::services::{load_letters_to_print, load_undelivered_letters};

use super::frame::viewer;
use super::{Done, labels, long_date, staff_view};

/// Sends a letter again; the server brings the person back to `return_to`.
#[component]
pub(super) fn RetryButton(letter: i64, subject: String, csrf: String, return_to: String) -> impl IntoView {
    view! {
        <StaffForm action=format!("/staff/mail/{letter}/retry") name=FormName::Retry.as_str() csrf class="inline-form">
            <input type="hidden" name="return_to" value=return_to/>
            <button type="submit" class="button secondary small">
                "Retry"
                <span class="visually-hidden">" sending “" {subject} "”"</span>
            </button>
        </StaffForm>
    }
}

#[component]
pub fn MailPage() -> impl IntoView {
    let viewer = viewer();
    let data = Resource::new(|| (), |_| load_undelivered_letters());
    view! {
        <Title text="Undelivered email"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, letters| {
                            view! { <Mail viewer letters/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Mail(viewer: Viewer, letters: Vec<LetterState>) -> impl IntoView {
    let list = if letters.is_empty() {
        view! { <p class="empty">"Every email has been delivered."</p> }.into_any()
    } else {
        let rows = letters
            .into_iter()
            .map(|letter| {
                let reference = letter.reference.map(|reference| reference.to_string());
                view! {
                    <tr class:failed=letter.status == LetterStatus::Failed>
                        <th scope="row">
                            {match reference {
                                Some(reference) => view! {
                                    <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a>
                                }
                                .into_any(),
                                None => view! { <span class="muted">"None"</span> }.into_any(),
                            }}
                        </th>
                        <td>{letter.recipient}</td>
                        <td>{letter.subject.clone()}</td>
                        <td><span class="badge">{labels::letter_status(letter.status)}</span></td>
                        <td class="number">{letter.attempts}</td>
                        <td class="nowrap">{long_date(letter.created_on)}</td>
                        <td>{letter.last_error.unwrap_or_default()}</td>
                        <td>
                            <RetryButton
                                letter=letter.id
                                subject=letter.subject
                                csrf=viewer.csrf.clone()
                                return_to="/staff/mail".to_owned()
                            />
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="Undelivered email" tabindex="0">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Request"</th>
                            <th scope="col">"To"</th>
                            <th scope="col">"Subject"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Attempts"</th>
                            <th scope="col">"Written"</th>
                            <th scope="col">"Last error"</th>
                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <h1>"Undelivered email"</h1>
        <p class="lead">"Emails to customers that have not gone out yet, failed ones first."</p>
        <Done/>
        {list}
    }
}

/// The print queue: letters to customers answered by post. Each shows the
/// address for the envelope and the letter to print; staff mark it printed
/// once it is, and it leaves the queue.
#[component]
pub fn PrintPage() -> impl IntoView {
    let viewer = viewer();
    let data = Resource::new(|| (), |_| load_letters_to_print());
    view! {
        <Title text="Letters to print"/>
        <div class="wrap wide">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    Suspend::new(async move {
                        staff_view(viewer.await, data.await, |viewer, letters| {
                            view! { <PrintQueue viewer letters/> }.into_any()
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn PrintQueue(viewer: Viewer, letters: Vec<PrintLetter>) -> impl IntoView {
    let list = if letters.is_empty() {
        view! { <p class="empty" id="print-queue-empty">"Nothing to print."</p> }.into_any()
    } else {
        letters
            .into_iter()
            .map(|letter| {
                let (heading, labelled_by) = (format!("print-{}", letter.id), format!("print-{}", letter.id));
                let reference = letter.reference.map(|reference| reference.to_string());
                view! {
                    <section class="panel print-letter" aria-labelledby=labelled_by>
                        <h2 id=heading>{letter.subject.clone()}</h2>
                        <p class="muted">
                            {format!("Written {}", long_date(letter.created_on))}
                            {reference.map(|reference| view! {
                                " · " <a class="reference" href=format!("/staff/requests/{reference}")>{reference.clone()}</a>
                            })}
                        </p>
                        <h3>"Address for the envelope"</h3>
                        <address class="postal">{letter.address}</address>
                        <details>
                            <summary>"The letter"</summary>
                            <pre class="letter-text">{letter.text}</pre>
                        </details>
                        <StaffForm
                            action=format!("/staff/print/{}/printed", letter.id)
                            name=FormName::Printed.as_str()
                            csrf=viewer.csrf.clone()
                            class="inline-form"
                        >
                            <button type="submit" class="button small">
                                "Mark printed"
                                <span class="visually-hidden">" “" {letter.subject} "”"</span>
                            </button>
                        </StaffForm>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <h1>"Letters to print"</h1>
        <p class="lead">
            "Letters to customers who gave no email address and are answered by post, oldest first. Print each, "
            "post it to the address shown, then mark it printed."
        </p>
        <Done/>
        {list}
    }
}
