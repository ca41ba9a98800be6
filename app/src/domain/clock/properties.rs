//! Properties every clock keeps, whatever the request.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;

use super::fixtures::CLOSE;
use super::{ClockInput, Holidays, Pause, Pauses, Receipt, Regime, RequestClock, Rules};
use crate::domain::RequestKind;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(offset)
}

fn received() -> impl Strategy<Value = NaiveDateTime> {
    (0..3650u64, 0..24u32, 0..60u32)
        .prop_map(|(offset, hour, minute)| day(offset).and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap()))
}

/// Waits starting up to a few weeks before receipt and up to a year after.
fn pauses(received: NaiveDate) -> impl Strategy<Value = Pauses> {
    let wait = (-20..365i64, 0..60u64);
    let at = move |offset: i64| received.checked_add_signed(chrono::TimeDelta::days(offset)).unwrap();
    (prop::collection::vec(wait.clone(), 0..4), prop::option::of(wait)).prop_map(move |(closed, open)| Pauses {
        closed: closed
            .into_iter()
            .map(|(asked, length)| Pause { asked: at(asked), answered: at(asked) + Days::new(length) })
            .collect(),
        open_since: open.map(|(asked, _)| at(asked)),
    })
}

fn regimes() -> impl Strategy<Value = Vec<Regime>> {
    prop::sample::subsequence(Regime::ALL.to_vec(), 1..=Regime::ALL.len())
}

/// The embedded rules, or the same rules all pausing so that business-day
/// pauses are exercised too.
fn rules() -> impl Strategy<Value = Rules> {
    any::<bool>().prop_map(|all_pause| {
        let text = include_str!("rules.toml");
        let text = if all_pause {
            text.replace("pauses_while_waiting = false", "pauses_while_waiting = true")
        } else {
            text.to_owned()
        };
        Rules::from_toml(&text).unwrap()
    })
}

prop_compose! {
    fn request()(received in received())(
        received in Just(received),
        pauses in pauses(received.date()),
        kind in prop::sample::select(RequestKind::ALL),
        today_offset in 0..400u64,
        extended in any::<bool>(),
    ) -> (RequestKind, NaiveDateTime, Pauses, NaiveDate, bool) {
        (kind, received, pauses, received.date() + Days::new(today_offset), extended)
    }
}

type Request = (RequestKind, NaiveDateTime, Pauses, NaiveDate, bool);

fn compute(rules: &Rules, request: &Request) -> Option<RequestClock> {
    compute_with(rules, request, Receipt::ArrivalDay)
}

fn compute_with(rules: &Rules, request: &Request, receipt: Receipt) -> Option<RequestClock> {
    let (kind, received, pauses, today, extended) = request;
    let input = ClockInput {
        kind: *kind,
        received: *received,
        receipt,
        pauses,
        extension_reason: extended.then_some("Complex request"),
        today: *today,
    };
    RequestClock::compute(rules, &Holidays::default(), &input)
}

proptest! {
    #[test]
    fn no_deadline_falls_on_or_before_receipt(rules in rules(), regimes in regimes(), request in request()) {
        if let Some(clock) = compute(&rules.for_regimes(&regimes), &request) {
            let received = request.1.date();
            prop_assert!(clock.respond_by.due > received);
            prop_assert!(clock.respond_by.counts_from >= received);
            prop_assert!(clock.due() >= clock.respond_by.due);
            if let Some(acknowledge_by) = clock.acknowledge_by {
                prop_assert!(acknowledge_by.due > received);
            }
        }
    }

    /// The default reading of "received" never gives more time than the
    /// older one that moves late arrivals to the next business day.
    #[test]
    fn counting_from_the_arrival_day_is_never_later(rules in rules(), regimes in regimes(), request in request()) {
        let rules = rules.for_regimes(&regimes);
        let later = Receipt::NextBusinessDay { close: CLOSE };
        if let (Some(arrival), Some(next)) = (compute(&rules, &request), compute_with(&rules, &request, later)) {
            prop_assert!(arrival.respond_by.due <= next.respond_by.due);
            prop_assert!(arrival.due() <= next.due());
        }
    }

    #[test]
    fn waiting_never_brings_a_deadline_closer(rules in rules(), regimes in regimes(), request in request()) {
        let rules = rules.for_regimes(&regimes);
        let unpaused = (request.0, request.1, Pauses::default(), request.3, request.4);
        if let (Some(paused), Some(unpaused)) = (compute(&rules, &request), compute(&rules, &unpaused)) {
            prop_assert!(paused.respond_by.due >= unpaused.respond_by.due);
            prop_assert!(paused.due() >= unpaused.due());
            prop_assert_eq!(unpaused.paused_days, 0);
        }
    }

    #[test]
    fn the_earliest_single_rule_governs(rules in rules(), regimes in regimes(), request in request()) {
        let Some(clock) = compute(&rules.for_regimes(&regimes), &request) else {
            return Ok(());
        };
        let singles: Vec<RequestClock> =
            regimes.iter().filter_map(|regime| compute(&rules.for_regimes(&[*regime]), &request)).collect();
        let earliest = singles.iter().map(|single| single.respond_by.due).min();
        prop_assert_eq!(Some(clock.respond_by.due), earliest);
        let governing = singles.iter().find(|single| single.respond_by.rule_id == clock.respond_by.rule_id);
        prop_assert_eq!(governing.map(|single| &single.respond_by), Some(&clock.respond_by));
        let acknowledge = singles.iter().filter_map(|single| single.acknowledge_by.as_ref().map(|a| a.due)).min();
        prop_assert_eq!(clock.acknowledge_by.map(|a| a.due), acknowledge);
    }
}
