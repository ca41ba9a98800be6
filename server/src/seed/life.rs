//! The life of one seeded request: what happens to it and when, as the
//! portal would have recorded it, and the row it stands at today. Every
//! change of status is taken through the workflow, so the seed cannot make
//! a history the product forbids.

use app::domain::clock::{Pause, RequestClock};
use app::domain::workflow::{self, CloseReason, Outcome, Step, StepError, SystemStep};
use app::domain::{Channel, Contact, EventKind, RequestDetails, RequestKind, RequestStatus};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use sea_orm::Value;

use super::maker::Maker;
use super::words::{ASKS, EXTENSION_REASONS, MESSAGES, NOTES};
use super::write::{Chunk, json};
use crate::clocks::ClockState;
use crate::history;
use crate::vault::Vault;
use crate::vault::rows::ClockColumn;

/// A history the product would not have written.
#[derive(Debug, thiserror::Error)]
pub enum Forbidden {
    #[error("the seed took a step the workflow refuses: {0}")]
    Step(#[from] StepError),
    #[error("the seed had the portal take {step:?} from {from}")]
    System { step: SystemStep, from: RequestStatus },
    #[error("the seed extended a finished request")]
    Extension,
    #[error("the seed cannot seal what it wrote: {0}")]
    Seal(#[from] crate::vault::VaultError),
}

/// What happens to a request, with what it carries.
enum Happening {
    Submitted,
    EnteredByStaff,
    VerificationSent,
    System(SystemStep),
    Step(Step),
    Assigned(String),
    Extended { until: NaiveDate, reason: String },
    Note(String),
    Message(String),
}

struct Event {
    at: DateTime<Utc>,
    what: Happening,
    actor: Option<i64>,
}

/// Where a request stands after its history so far.
struct Standing {
    status: RequestStatus,
    version: i64,
    updated_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
    outcome: Option<Outcome>,
    /// Whether its deadline was extended.
    extended: bool,
}

impl Maker {
    /// One request, its whole history so far, and its row.
    pub(super) fn request(
        &mut self,
        received_at: DateTime<Utc>,
        channel: Channel,
        chunk: &mut Chunk,
    ) -> Result<(), Forbidden> {
        let kind =
            self.pick(&[(RequestKind::OptOut, 0.6), (RequestKind::Amendment, 0.25), (RequestKind::Complaint, 0.15)]);
        let customer = self.customer(kind, channel);
        let received_day = self.local_date(received_at);
        let details = self.details(kind, channel, received_day, &customer.full_name);
        let gpc = matches!(details, RequestDetails::OptOut { gpc: true, .. });
        let web = channel == Channel::Web;
        let needs_verification = web && kind.needs_verification();

        let mut events: Vec<Event> = Vec::with_capacity(10);
        // Phone and mail requests are typed in by an agent, a little after
        // the call or when the letter is opened.
        let created_at = if web {
            received_at
        } else {
            let delay = if channel == Channel::Phone { self.hours(0.02, 0.3) } else { self.hours(0.5, 6.0) };
            self.work_time(received_at, delay).min(self.now)
        };
        let intake_agent = (!web).then(|| self.agent());
        events.push(Event {
            at: created_at,
            what: if web { Happening::Submitted } else { Happening::EnteredByStaff },
            actor: intake_agent.as_ref().map(|a| a.id),
        });

        // Confirming the email address.
        let mut verification_sent_at = needs_verification.then_some(received_at);
        let mut verified_at = None;
        let mut ready = Some(created_at);
        if needs_verification {
            if self.chance(0.07) {
                // Never confirmed: the sweep closes it after 30 days.
                if self.chance(0.3) {
                    let at = received_at + self.hours(1.0, 72.0);
                    events.push(Event { at, what: Happening::VerificationSent, actor: None });
                    verification_sent_at = Some(at);
                }
                let at = received_at + Duration::days(30) + Duration::seconds(self.rng.random_range(0..600));
                events.push(Event { at, what: Happening::System(SystemStep::CloseUnverified), actor: None });
                ready = None;
            } else if self.chance(0.03) {
                let who = self.agent();
                let delay = self.hours(2.0, 60.0);
                let at = self.work_time(received_at, delay);
                events.push(Event { at, what: Happening::Step(Step::MarkVerified), actor: Some(who.id) });
                verified_at = Some(at);
                ready = Some(at);
            } else {
                if self.chance(0.08) {
                    let at = received_at + self.hours(0.5, 30.0);
                    events.push(Event { at, what: Happening::VerificationSent, actor: None });
                    verification_sent_at = Some(at);
                }
                let after = verification_sent_at.unwrap_or(received_at);
                // Most click within minutes; some take a day or two.
                let minutes = (self.rng.random::<f64>().powi(4) * 2_500.0) as i64 + self.rng.random_range(1..15);
                let at = after + Duration::minutes(minutes);
                events.push(Event { at, what: Happening::System(SystemStep::ConfirmEmail), actor: None });
                verified_at = Some(at);
                ready = Some(at);
            }
        }

        let mut extension_reason = None;
        let mut pause: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = None;
        let mut assignee = None;
        if let Some(ready) = ready {
            // Assignment: mostly by a manager, sometimes an agent takes it.
            let worker = if self.chance(0.9) {
                let by_manager = self.chance(0.65);
                let member = if self.chance(0.05) {
                    self.manager()
                } else {
                    intake_agent.clone().filter(|_| self.chance(0.5)).unwrap_or_else(|| self.agent())
                };
                let by = if by_manager { self.manager().id } else { member.id };
                let delay = if kind == RequestKind::OptOut { self.hours(0.2, 20.0) } else { self.hours(0.5, 40.0) };
                let at = self.work_time(ready, delay);
                events.push(Event { at, what: Happening::Assigned(member.name.clone()), actor: Some(by) });
                assignee = Some((member.id, at));
                member
            } else {
                self.agent()
            };
            let mut start = events.last().map_or(ready, |e| e.at);
            if self.chance(0.85) {
                let delay = self.hours(0.1, 26.0);
                let at = self.work_time(start, delay);
                events.push(Event { at, what: Happening::Step(Step::StartWork), actor: Some(worker.id) });
                start = at;
            }

            // The deadline to work towards: an extension for a few
            // amendments whose records take long to find.
            let can_ask = kind != RequestKind::OptOut;
            let asks = can_ask && self.chance(if kind == RequestKind::Amendment { 0.3 } else { 0.22 });
            let plain = self.clock(kind, received_at, &ClockState::default());
            let mut due = plain.as_ref().map_or(received_day + Duration::days(30), RequestClock::due);
            if kind == RequestKind::Amendment && self.chance(0.04) {
                let reason = self.one(EXTENSION_REASONS).to_owned();
                let state = ClockState { extension_reason: Some(reason.clone()), ..ClockState::default() };
                if let Some(extended) = self.clock(kind, received_at, &state).filter(|c| c.extended.is_some()) {
                    let deadline = self.utc(due.and_hms_opt(15, 0, 0).unwrap_or_default());
                    let at = self.between(start, deadline.max(start), 0.3, 0.8);
                    let at = self.work_time(at, Duration::zero());
                    let what = Happening::Extended { until: extended.due(), reason: reason.clone() };
                    events.push(Event { at, what, actor: Some(worker.id) });
                    extension_reason = Some(reason);
                    due = extended.due();
                }
            }

            // When it ends: most before the deadline (opt-outs soon after
            // arrival), about one in twelve late.
            let late = self.chance(0.08);
            let end = if late {
                let day = due + Duration::days(self.rng.random_range(1..=12));
                let seconds = self.rng.random_range(9 * 3600..17 * 3600);
                self.at_local(day, seconds)
            } else {
                let deadline = self.utc(due.and_hms_opt(16, 30, 0).unwrap_or_default());
                if deadline <= start + Duration::hours(1) {
                    start + self.hours(0.3, 3.0)
                } else {
                    let skew = match kind {
                        RequestKind::OptOut => 2.4,
                        RequestKind::Amendment => 1.3,
                        RequestKind::Complaint | RequestKind::Appeal => 1.5,
                    };
                    let share = self.rng.random::<f64>().powf(skew);
                    let at = start + Duration::seconds(((deadline - start).num_seconds() as f64 * share) as i64);
                    let at = self.work_time(at, Duration::minutes(5));
                    if self.local_date(at) > due {
                        let seconds = self.rng.random_range(9 * 3600..16 * 3600);
                        self.at_local(due, seconds).max(start + Duration::minutes(10))
                    } else {
                        at
                    }
                }
            };
            let end = end.max(events.last().map_or(start, |e| e.at) + Duration::minutes(1));

            // Waiting on the customer.
            let mut resumed = true;
            if asks {
                let ask = self.between(start, end, 0.1, 0.35);
                let ask = self.work_time(ask, Duration::zero());
                if ask < end {
                    let back = self.between(ask, end, 0.4, 0.85);
                    let back = self.work_time(back, Duration::zero());
                    let what = self.one(ASKS).to_owned();
                    let step = Step::AskCustomer { what };
                    events.push(Event { at: ask, what: Happening::Step(step), actor: Some(worker.id) });
                    if back < end && self.chance(0.85) {
                        events.push(Event { at: back, what: Happening::Step(Step::Resume), actor: Some(worker.id) });
                        pause = Some((ask, Some(back)));
                    } else {
                        pause = Some((ask, None));
                        resumed = false;
                    }
                }
            }
            // Notes and messages along the way.
            if self.chance(0.5) {
                let at = self.between(start, end, 0.2, 0.95);
                let body = self.one(NOTES).to_owned();
                events.push(Event { at, what: Happening::Note(body), actor: Some(worker.id) });
            }
            if self.chance(0.07) {
                let at = self.between(start, end, 0.3, 0.9);
                let body = self.one(MESSAGES).to_owned();
                events.push(Event { at, what: Happening::Message(body), actor: Some(worker.id) });
            }

            // The ending: an outcome, or a closure without one.
            let close_reason = if !resumed && self.chance(0.6) {
                Some(CloseReason::NoResponse)
            } else if self.chance(match kind {
                RequestKind::OptOut => 0.015,
                RequestKind::Amendment => 0.04,
                RequestKind::Complaint | RequestKind::Appeal => 0.05,
            }) {
                Some(self.pick(&[
                    (CloseReason::Withdrawn, 0.5),
                    (CloseReason::Duplicate, 0.4),
                    (CloseReason::Unverifiable, 0.1),
                ]))
            } else {
                None
            };
            let ending = match close_reason {
                Some(reason) => Step::Close { reason, note: closing_note(reason).to_owned() },
                None => Step::Resolve(self.outcome(kind, &details, self.local_date(end))),
            };
            events.push(Event { at: end, what: Happening::Step(ending), actor: Some(worker.id) });
        }

        // What has happened by now.
        events.sort_by_key(|e| e.at);
        let now = self.now;
        events.retain(|e| e.at <= now);
        let id = self.next_id;
        self.next_id += 1;
        let standing =
            walk(&self.vault, kind, workflow::first_status(needs_verification), created_at, events, id, chunk)?;
        let Standing { status, version, updated_at, resolved_at, outcome, extended } = standing;
        let assignee_id = assignee.filter(|(_, at)| *at <= now).map(|(id, _)| id);
        let verified_at = verified_at.filter(|at| *at <= now);
        let verification_sent_at = verification_sent_at.filter(|at| *at <= now);
        let mut state = ClockState::default();
        if let Some((asked, back)) = pause.filter(|(asked, _)| *asked <= now) {
            let asked_day = self.local_date(asked);
            match back.or(resolved_at) {
                Some(answered) if answered <= now => {
                    state.pauses.closed.push(Pause { asked: asked_day, answered: self.local_date(answered) })
                }
                _ => state.pauses.open_since = Some(asked_day),
            }
        }
        if extended {
            state.extension_reason = extension_reason;
        }
        let clock = self.clock(kind, received_at, &state);
        let due_on = clock.as_ref().map(RequestClock::due);

        self.stats.by_kind[match kind {
            RequestKind::OptOut => 0,
            RequestKind::Amendment => 1,
            RequestKind::Complaint => 2,
            RequestKind::Appeal => 3,
        }] += 1;
        if status.is_open() {
            self.stats.open += 1;
        } else if let Some(resolved) = resolved_at {
            self.stats.finished += 1;
            if due_on.is_some_and(|due| self.local_date(resolved) > due) {
                self.stats.late += 1;
            }
        }

        let reference = self.reference();
        let pending_verification = status == RequestStatus::Unverified;
        let verification_hash = pending_verification.then(|| self.secret_hash());
        let tracking_hash = self.secret_hash();
        let contact = Contact {
            full_name: customer.full_name,
            email: customer.email,
            phone: customer.phone,
            postal_address: customer.postal_address,
            account_number: customer.account_number,
        };
        let sealed = self.vault.seal_request(reference.as_str(), &contact, &json(&details))?;
        let sealed_outcome = self.vault.seal_outcome(reference.as_str(), outcome.as_ref())?;
        let sealed_clock = clock
            .as_ref()
            .map(|clock| self.vault.seal_clock(reference.as_str(), ClockColumn::Clock, &json(clock)))
            .transpose()?;
        let sealed_state = self.vault.seal_clock(reference.as_str(), ClockColumn::State, &json(&state))?;
        let values: [Value; 32] = [
            id.into(),
            reference.to_string().into(),
            kind.as_str().into(),
            status.as_str().into(),
            channel.as_str().into(),
            tracking_hash.into(),
            sealed.full_name.into(),
            sealed.email.into(),
            sealed.phone.into(),
            sealed.postal_address.into(),
            sealed.account_number.into(),
            sealed.details.into(),
            gpc.into(),
            received_at.into(),
            created_at.into(),
            updated_at.into(),
            verified_at.into(),
            verification_hash.into(),
            verification_sent_at.map(|at| at + self.verification_ttl).into(),
            verification_sent_at.into(),
            assignee_id.into(),
            version.into(),
            sealed_outcome.outcome.into(),
            sealed_outcome.tag.into(),
            sealed_outcome.category.into(),
            resolved_at.into(),
            due_on.into(),
            sealed_clock.into(),
            Some(sealed_state).into(),
            sealed.email_index.into(),
            sealed.account_index.into(),
            sealed.name_index.into(),
        ];
        chunk.request_values.extend(values);
        chunk.requests += 1;
        Ok(())
    }
}

/// Takes the events, in order, through the workflow as the portal would
/// have, writing each as a history row of request `id`; says where the
/// request stands after them.
fn walk(
    vault: &Vault,
    kind: RequestKind,
    first: RequestStatus,
    created_at: DateTime<Utc>,
    events: Vec<Event>,
    id: i64,
    chunk: &mut Chunk,
) -> Result<Standing, Forbidden> {
    let mut standing = Standing {
        status: first,
        version: 0,
        updated_at: created_at,
        resolved_at: None,
        outcome: None,
        extended: false,
    };
    for Event { at, what, actor } in events {
        let (event, body) = match what {
            Happening::Submitted => (EventKind::Submitted, None),
            Happening::EnteredByStaff => (EventKind::EnteredByStaff, None),
            Happening::VerificationSent => (EventKind::VerificationSent, None),
            Happening::System(step) => {
                let from = standing.status;
                standing.status = workflow::system_next(from, step).ok_or(Forbidden::System { step, from })?;
                standing.updated_at = at;
                (step.event(), None)
            }
            Happening::Step(step) => {
                standing.status = workflow::next(kind, standing.status, &step, workflow::Reviewer::Other)?;
                standing.version += 1;
                standing.updated_at = at;
                if !standing.status.is_open() {
                    standing.resolved_at = Some(at);
                }
                let written = (step.event(), history::step_text(&step));
                if let Step::Resolve(outcome) = step {
                    standing.outcome = Some(outcome);
                }
                written
            }
            Happening::Assigned(name) => {
                standing.version += 1;
                standing.updated_at = at;
                (EventKind::Assigned, Some(history::assigned_text(&name)))
            }
            Happening::Extended { until, reason } => {
                // The case desk extends open requests only.
                if !standing.status.is_open() {
                    return Err(Forbidden::Extension);
                }
                standing.version += 1;
                standing.updated_at = at;
                standing.extended = true;
                (EventKind::Extended, Some(history::extension_text(until, &reason)))
            }
            Happening::Note(body) => (EventKind::Note, Some(body)),
            Happening::Message(body) => (EventKind::Message, Some(body)),
        };
        chunk.event_values.extend([
            id.into(),
            at.into(),
            event.as_str().into(),
            event.customer_visible().into(),
            vault.seal_event_body(id, body.as_deref())?.into(),
            actor.into(),
        ]);
        chunk.events += 1;
    }
    Ok(standing)
}

/// What staff write when they close a request without an outcome.
fn closing_note(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::Withdrawn => "The customer called to withdraw the request.",
        CloseReason::Duplicate => "Same request as an earlier one from this customer, which is being handled.",
        CloseReason::NoResponse => "No reply to our request for information after three weeks.",
        CloseReason::Unverifiable => "The details given do not match any customer record.",
    }
}
