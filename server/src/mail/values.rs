//! What each letter's templates are given: its own facts, in the words
//! of the language it is written in, and the links it carries.

use app::domain::format::long_date_in;
use app::domain::request::Choice;
use app::domain::workflow::Outcome;
use app::domain::{Language, RequestKind};
use app::text::letters;
use minijinja::{Value, context};

use super::letter::{CustomerNews, Letter, close_reason};

/// What the customer is told happens after a request of this kind arrives.
fn next_steps(kind: RequestKind, lang: Language) -> &'static str {
    match kind {
        RequestKind::OptOut => letters::next_steps_opt_out(lang),
        RequestKind::Amendment => letters::next_steps_amendment(lang),
        RequestKind::Complaint => letters::next_steps_complaint(lang),
        RequestKind::Appeal => letters::next_steps_appeal(lang),
    }
}

/// Whether a message staff typed already greets the customer. The letter
/// then opens with it rather than with a greeting of its own, so the
/// customer is not greeted twice ("Dear Ada, ... Dear Ada,"). Staff may
/// greet in either language.
fn opens_with_greeting(body: &str) -> bool {
    let first = body.trim_start().lines().next().unwrap_or_default().to_lowercase();
    [
        "dear ",
        "hello",
        "hi ",
        "hi,",
        "good morning",
        "good afternoon",
        "good evening",
        "estimad",
        "apreciad",
        "querid",
        "hola",
        "buenos días",
        "buenas tardes",
        "buenas noches",
    ]
    .iter()
    .any(|greeting| first.starts_with(greeting))
}

/// Links are built by the portal from its configured address and a
/// URL-safe token; they go in as they are, so that HTML escaping does not
/// turn every slash into an entity.
fn url(link: &str) -> Value {
    Value::from_safe_string(link.to_owned())
}

/// The facts of `letter` its templates are given, in `lang`.
pub(super) fn of(letter: &Letter<'_>, lang: Language) -> Value {
    match letter {
        Letter::Receipt {
            name,
            reference,
            kind,
            summary,
            received_on,
            tracking_url,
            verify_url,
            valid_hours,
            answer_by,
            agent,
            on_behalf_of,
        } => {
            context! {
                name, reference => reference.as_str(), kind_label => kind.label_in(lang), summary, received_on,
                tracking_url => url(tracking_url), verify_url => verify_url.map(url), valid_hours,
                next_steps => next_steps(*kind, lang), answer_by, agent, on_behalf_of,
            }
        }
        Letter::Verification { name, reference, verify_url, valid_hours } => {
            context! { name, reference => reference.as_str(), verify_url => url(verify_url), valid_hours }
        }
        Letter::ConfirmRevocation { name, reference, revoke_url, valid_hours } => {
            context! { name, reference => reference.as_str(), revoke_url => url(revoke_url), valid_hours }
        }
        Letter::ConfirmAction { name, reference, what, confirm_url, valid_hours } => {
            context! { name, reference => reference.as_str(), what, confirm_url => url(confirm_url), valid_hours }
        }
        Letter::TrackingLink { name, reference, kind, tracking_url } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), tracking_url => url(tracking_url) }
        }
        Letter::ClosedUnverified { name, reference, kind, close_days } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), close_days }
        }
        Letter::StaffInvite { name, invited_by, role, welcome_url, valid_days } => {
            context! { name, invited_by, role, welcome_url => url(welcome_url), valid_days }
        }
        Letter::CaseMessage { name, reference, kind, body } => {
            context! {
                name, reference => reference.as_str(), kind_label => kind.label_in(lang), body,
                greeted => opens_with_greeting(body),
            }
        }
        Letter::AwaitingCustomer { name, reference, kind, what, pauses } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), what, pauses }
        }
        Letter::Extension { name, reference, kind, reason, old_date, new_date, citation } => {
            context! {
                name, reference => reference.as_str(), kind_label => kind.label_in(lang), reason, old_date, new_date,
                citation,
            }
        }
        Letter::Outcome { name, reference, outcome, told, covers, appeal_offered, appeal_of, attorneys_general } => {
            let base = context! {
                name, reference => reference.as_str(), told, covers, appeal_offered, appeal_of, attorneys_general,
            };
            match outcome {
                Outcome::OptOutApplied { effective_on } => {
                    context! { effective_on => long_date_in(*effective_on, lang), ..base }
                }
                Outcome::AmendmentAccepted { records_changed } => {
                    context! { records_changed, partly => false, ..base }
                }
                Outcome::AmendmentPartlyAccepted { records_changed, reason } => {
                    context! { records_changed, reason, partly => true, ..base }
                }
                Outcome::AmendmentDenied { ground, explanation } => {
                    context! { ground => ground.label_in(lang), explanation, ..base }
                }
                Outcome::ComplaintResolved { category, resolution } => {
                    context! { category => category.label_in(lang).to_lowercase(), resolution, ..base }
                }
                Outcome::AppealGranted { decision } => context! { decision, ..base },
                Outcome::AppealDenied { explanation } => context! { explanation, ..base },
            }
        }
        Letter::CaseClosed { name, reference, kind, reason, note } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), reason => close_reason(*reason, lang), note }
        }
        Letter::Digest { name, day, due_soon, overdue, all_overdue, queue_url } => {
            context! { name, day, due_soon, overdue, all_overdue, queue_url => url(queue_url) }
        }
        Letter::CustomerReplied { name, reference, kind, case_url, resumed, news } => {
            let (news, documents) = match news {
                CustomerNews::Reply => ("reply", 0),
                CustomerNews::Documents(count) => ("documents", *count),
                CustomerNews::Statement => ("statement", 0),
                CustomerNews::DisclosureWish => ("wish", 0),
            };
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), case_url => url(case_url), resumed, news, documents }
        }
        Letter::Withdrawn { name, reference, kind, reason } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), reason }
        }
        Letter::Merged { name, reference, kind, earlier } => {
            context! { name, reference => reference.as_str(), kind_label => kind.label_in(lang), earlier => earlier.as_str() }
        }
        Letter::Rebuttal { name, reference, rebuttal } => {
            context! { name, reference => reference.as_str(), rebuttal }
        }
        Letter::AmendmentNotice { recipient, customer, reference, records_changed, partly } => {
            context! { name => recipient, customer, reference => reference.as_str(), records_changed, partly }
        }
    }
}

/// The private links in `letter`, which the outbox keeps sealed.
pub(super) fn secrets(letter: &Letter<'_>) -> Vec<String> {
    match letter {
        Letter::Receipt { tracking_url, verify_url, .. } => {
            std::iter::once(*tracking_url).chain(*verify_url).map(str::to_owned).collect()
        }
        Letter::Verification { verify_url, .. } => vec![(*verify_url).to_owned()],
        Letter::TrackingLink { tracking_url, .. } => vec![(*tracking_url).to_owned()],
        Letter::ConfirmRevocation { revoke_url, .. } => vec![(*revoke_url).to_owned()],
        Letter::ConfirmAction { confirm_url, .. } => vec![(*confirm_url).to_owned()],
        Letter::StaffInvite { welcome_url, .. } => vec![(*welcome_url).to_owned()],
        Letter::ClosedUnverified { .. }
        | Letter::CaseMessage { .. }
        | Letter::CustomerReplied { .. }
        | Letter::Withdrawn { .. }
        | Letter::Merged { .. }
        | Letter::Rebuttal { .. }
        | Letter::AwaitingCustomer { .. }
        | Letter::Extension { .. }
        | Letter::Outcome { .. }
        | Letter::CaseClosed { .. }
        | Letter::AmendmentNotice { .. }
        | Letter::Digest { .. } => Vec::new(),
    }
}
