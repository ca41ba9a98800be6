//! The clock of one request. Every rule that applies is computed and the
//! earliest deadline wins: meeting the strictest law meets them all.

use std::num::NonZeroU32;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::extension::{Extension, ExtensionOffer};
use super::holidays::Holidays;
use super::pauses::Pauses;
use super::rules::{Rule, Rules};
use super::span::{Span, Unit};
use crate::domain::RequestKind;
use crate::domain::format::long_date;

/// What a request's clock depends on.
#[derive(Clone, Copy, Debug)]
pub struct ClockInput<'a> {
    pub kind: RequestKind,
    /// Local date and time of arrival.
    pub received: NaiveDateTime,
    /// Which day business-day clocks count from.
    pub receipt: Receipt,
    pub pauses: &'a Pauses,
    /// The reason recorded when an extension was granted, if one was.
    pub extension_reason: Option<&'a str>,
    /// An open pause lasts through today.
    pub today: NaiveDate,
}

/// Which day a request counts as received on for a business-day count.
/// Calendar counts always run from the day it arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Receipt {
    /// The day it arrived in the organisation's time zone, whatever the
    /// hour, and the first business day after it is day 1: the
    /// conservative reading, which never gives more time than the rule.
    #[default]
    ArrivalDay,
    /// An arrival on a closed day, or at or after `close`, counts as
    /// received on the next business day, and day 1 is the business day
    /// after that: for an organisation whose counsel prefers it.
    NextBusinessDay { close: NaiveTime },
}

/// A due date with the rule behind it, so staff can check the arithmetic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub due: NaiveDate,
    pub rule_id: String,
    pub citation: String,
    /// The day counting starts from; it does not count itself.
    pub counts_from: NaiveDate,
    /// For example "60 calendar days from receipt on 3 March 2026 (HIPAA 45
    /// CFR 164.526(b)(2))".
    pub explanation: String,
}

/// The deadlines of one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestClock {
    pub acknowledge_by: Option<Deadline>,
    /// The response deadline before any extension.
    pub respond_by: Deadline,
    /// Units added to the deadline in effect for waiting on the customer.
    pub paused_days: u32,
    pub extended: Option<Extension>,
    /// What one extension would give; kept so that granting needs only the
    /// clock.
    pub(super) offer: Option<ExtensionOffer>,
}

named_enum! {
    /// How close a request is to its deadline, for sorting and colouring
    /// the staff queue.
    Urgency {
        Overdue => "overdue",
        DueSoon => "due_soon",
        OnTrack => "on_track",
    }
}

impl Urgency {
    /// `DueSoon` when at most `due_soon_within` days are left.
    pub fn of(days_left: i64, due_soon_within: u32) -> Self {
        match days_left {
            left if left < 0 => Self::Overdue,
            left if left <= i64::from(due_soon_within) => Self::DueSoon,
            _ => Self::OnTrack,
        }
    }
}

impl RequestClock {
    /// The clock of a request under `rules` (already narrowed to the
    /// organisation's regimes), or `None` when no rule covers its kind.
    pub fn compute(rules: &Rules, holidays: &Holidays, input: &ClockInput<'_>) -> Option<Self> {
        let counting = Counting { holidays, input };
        let applicable: Vec<&Rule> = rules.for_kind(input.kind).collect();
        let acknowledge_by = earliest(applicable.iter().filter_map(|rule| counting.acknowledge(rule)), |d| d.due);
        let plain = earliest(applicable.iter().map(|rule| counting.respond(rule, false)), |c| c.deadline.due)?;
        // One notice letter extends every applicable rule that allows an
        // extension; a rule that allows none still caps the new date.
        let offer = earliest(applicable.iter().map(|rule| counting.respond(rule, true)), |c| c.deadline.due)
            .filter(|extended| extended.deadline.due > plain.deadline.due)
            .map(|extended| ExtensionOffer {
                respond_by: extended.deadline,
                paused_days: extended.paused_days,
                notice_required: applicable.iter().any(|rule| rule.extension.is_some_and(|e| e.notice_required)),
            });
        let granted = input.extension_reason.zip(offer.as_ref());
        let paused_days = granted.map_or(plain.paused_days, |(_, offer)| offer.paused_days);
        let extended = granted.map(|(reason, offer)| offer.grant(reason));
        Some(Self { acknowledge_by, respond_by: plain.deadline, paused_days, extended, offer })
    }

    /// What a purged request keeps of its clock: the deadlines, and that it
    /// was extended, without the reason given to the customer.
    pub fn tombstone(mut self) -> Self {
        if let Some(extension) = self.extended.as_mut() {
            extension.reason.clear();
        }
        self
    }

    /// The response deadline in effect, extended or not.
    pub fn due(&self) -> NaiveDate {
        self.extended.as_ref().map_or(self.respond_by.due, |extension| extension.respond_by.due)
    }

    /// Days until the deadline in effect; negative once it has passed.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.due() - today).num_days()
    }

    /// `DueSoon` when at most `due_soon_within` days are left.
    pub fn urgency(&self, today: NaiveDate, due_soon_within: u32) -> Urgency {
        Urgency::of(self.days_left(today), due_soon_within)
    }
}

/// The first of `items` with the earliest date; ties go to the rule listed
/// first, so the choice is stable.
fn earliest<T>(items: impl Iterator<Item = T>, due: impl Fn(&T) -> NaiveDate) -> Option<T> {
    items.min_by_key(|item| due(item))
}

/// One rule's response deadline and the units of waiting it absorbed.
struct Candidate {
    deadline: Deadline,
    paused_days: u32,
}

/// The arithmetic of one request.
struct Counting<'a> {
    holidays: &'a Holidays,
    input: &'a ClockInput<'a>,
}

impl Counting<'_> {
    fn start(&self, span: Span) -> NaiveDate {
        match span.unit() {
            Unit::BusinessDays => match self.input.receipt {
                Receipt::ArrivalDay => self.input.received.date(),
                Receipt::NextBusinessDay { close } => self.holidays.business_receipt_date(self.input.received, close),
            },
            Unit::CalendarDays | Unit::CalendarMonths => self.input.received.date(),
        }
    }

    fn acknowledge(&self, rule: &Rule) -> Option<Deadline> {
        let span = rule.acknowledge?;
        let start = self.start(span);
        let explanation = self.explain(rule, span, start, None, 0);
        Some(deadline(rule, span.after(start, self.holidays), start, explanation))
    }

    fn respond(&self, rule: &Rule, with_extension: bool) -> Candidate {
        let span = rule.respond;
        let start = self.start(span);
        let extension = rule.extension.filter(|_| with_extension).map(|extension| extension.by);
        let mut due = span.after(start, self.holidays);
        if let Some(extension) = extension {
            due = extension.after(due, self.holidays);
        }
        let paused_days = if rule.pauses_while_waiting {
            let (paused_due, paused_days) =
                self.input.pauses.postpone(start, due, span.unit().pause_unit(), self.holidays, self.input.today);
            due = paused_due;
            paused_days
        } else {
            0
        };
        let explanation = self.explain(rule, span, start, extension, paused_days);
        Candidate { deadline: deadline(rule, due, start, explanation), paused_days }
    }

    fn explain(&self, rule: &Rule, span: Span, start: NaiveDate, extension: Option<Span>, paused: u32) -> String {
        let received = self.input.received.date();
        let mut text = match (span.unit(), self.input.receipt) {
            (Unit::BusinessDays, Receipt::ArrivalDay) => {
                format!("{span} from receipt on {}, the day it arrived whatever the hour", long_date(received))
            }
            (Unit::BusinessDays, Receipt::NextBusinessDay { .. }) if start == received => {
                format!("{span} from receipt on {}, before the close of a business day", long_date(received))
            }
            (Unit::BusinessDays, Receipt::NextBusinessDay { .. }) => format!(
                "{span} from {}, the next business day after an arrival on {} after the close or on a closed day",
                long_date(start),
                long_date(received)
            ),
            _ => format!("{span} from receipt on {}", long_date(received)),
        };
        if let Some(extension) = extension {
            text += &format!(", extended by {extension}");
        }
        if let Some(paused) = NonZeroU32::new(paused) {
            let paused = Span::new(paused, span.unit().pause_unit());
            text += &format!(", plus {paused} waiting on the customer");
        }
        text + &format!(" ({})", rule.citation)
    }
}

fn deadline(rule: &Rule, due: NaiveDate, counts_from: NaiveDate, explanation: String) -> Deadline {
    Deadline { due, rule_id: rule.id.clone(), citation: rule.citation.clone(), counts_from, explanation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::fixtures::{CLOSE, clock, date, input};
    use crate::domain::clock::{Pause, Regime};

    fn pause(asked: &str, answered: &str) -> Pause {
        Pause { asked: date(asked), answered: date(answered) }
    }

    use Regime::{Ccpa, Gdpr, Glba, Hipaa};
    use RequestKind::{Amendment, Complaint, OptOut};

    /// A request that arrives on a closed day or after the close: by
    /// default it was received that day and a business-day count starts on
    /// the next business day; the older convention, a setting, moves the
    /// day of receipt itself. Calendar counts run from the arrival either way.
    #[test]
    fn receipt_on_a_closed_day_or_after_the_close() {
        let later = Receipt::NextBusinessDay { close: CLOSE };
        // (regime, kind, arrived, due by default, due under the older convention)
        let cases = [
            (Glba, OptOut, "2026-03-06T16:59:00", "2026-03-20", "2026-03-20"),
            (Glba, OptOut, "2026-03-06T17:00:00", "2026-03-20", "2026-03-23"),
            (Glba, OptOut, "2026-03-06T18:30:00", "2026-03-20", "2026-03-23"),
            (Glba, OptOut, "2026-03-07T10:00:00", "2026-03-20", "2026-03-23"),
            (Ccpa, OptOut, "2026-11-26T12:00:00", "2026-12-17", "2026-12-18"),
            (Hipaa, Amendment, "2026-03-06T18:30:00", "2026-05-05", "2026-05-05"),
            (Hipaa, Amendment, "2026-03-07T10:00:00", "2026-05-06", "2026-05-06"),
            (Hipaa, Complaint, "2026-11-26T12:00:00", "2026-12-26", "2026-12-26"),
        ];
        let no_pauses = Pauses::default();
        for (regime, kind, arrived, by_default, older) in cases {
            let conservative = clock(&[regime], &input(kind, arrived, &no_pauses)).respond_by;
            assert_eq!(conservative.due, date(by_default), "{regime:?} {arrived}, by default");
            assert_eq!(conservative.counts_from, date(&arrived[..10]), "received the day it arrived");
            let moved = clock(&[regime], &ClockInput { receipt: later, ..input(kind, arrived, &no_pauses) }).respond_by;
            assert_eq!(moved.due, date(older), "{regime:?} {arrived}, next business day");
        }
    }

    #[test]
    fn the_explanation_says_which_convention_set_the_date() {
        let no_pauses = Pauses::default();
        let friday_evening = input(OptOut, "2026-03-06T18:30:00", &no_pauses);
        let friday_morning = input(OptOut, "2026-03-06T09:00:00", &no_pauses);
        let later = Receipt::NextBusinessDay { close: CLOSE };
        let cases = [
            (
                friday_evening,
                "10 business days from receipt on 6 March 2026, the day it arrived whatever the hour (GLBA Reg P 12 CFR 1016.7(e))",
            ),
            (
                ClockInput { receipt: later, ..friday_evening },
                "10 business days from 9 March 2026, the next business day after an arrival on 6 March 2026 after the close or on a closed day (GLBA Reg P 12 CFR 1016.7(e))",
            ),
            (
                ClockInput { receipt: later, ..friday_morning },
                "10 business days from receipt on 6 March 2026, before the close of a business day (GLBA Reg P 12 CFR 1016.7(e))",
            ),
        ];
        for (request, explanation) in cases {
            assert_eq!(clock(&[Regime::Glba], &request).respond_by.explanation, explanation);
        }
    }

    #[test]
    fn each_rule_counts_from_the_right_day() {
        let cases = [
            (
                Hipaa,
                Amendment,
                "2026-03-03T10:00:00",
                "2026-05-02",
                "hipaa_amendment",
                "60 calendar days from receipt on 3 March 2026 (HIPAA 45 CFR 164.526(b)(2))",
            ),
            (
                Hipaa,
                Amendment,
                "2026-03-07T10:00:00",
                "2026-05-06",
                "hipaa_amendment",
                "60 calendar days from receipt on 7 March 2026 (HIPAA 45 CFR 164.526(b)(2))",
            ),
            (
                Ccpa,
                Amendment,
                "2026-03-03T10:00:00",
                "2026-04-17",
                "ccpa_correct",
                "45 calendar days from receipt on 3 March 2026 (CCPA 11 CCR 7021)",
            ),
            (
                Gdpr,
                Amendment,
                "2026-01-31T10:00:00",
                "2026-02-28",
                "gdpr_rectification",
                "1 calendar month from receipt on 31 January 2026 (GDPR Art. 12(3))",
            ),
            (
                Gdpr,
                Amendment,
                "2028-01-31T10:00:00",
                "2028-02-29",
                "gdpr_rectification",
                "1 calendar month from receipt on 31 January 2028 (GDPR Art. 12(3))",
            ),
            (
                Glba,
                OptOut,
                "2026-03-06T09:00:00",
                "2026-03-20",
                "glba_opt_out",
                "10 business days from receipt on 6 March 2026, the day it arrived whatever the hour (GLBA Reg P 12 CFR 1016.7(e))",
            ),
            // Late on a Friday: received on Friday, and Monday is day 1.
            (
                Glba,
                OptOut,
                "2026-03-06T18:30:00",
                "2026-03-20",
                "glba_opt_out",
                "10 business days from receipt on 6 March 2026, the day it arrived whatever the hour (GLBA Reg P 12 CFR 1016.7(e))",
            ),
            // Independence Day observed on Friday 3 July 2026.
            (
                Ccpa,
                OptOut,
                "2026-06-30T12:00:00",
                "2026-07-22",
                "ccpa_opt_out",
                "15 business days from receipt on 30 June 2026, the day it arrived whatever the hour (CCPA 11 CCR 7026(f))",
            ),
            // Received on Thanksgiving.
            (
                Ccpa,
                OptOut,
                "2026-11-26T12:00:00",
                "2026-12-17",
                "ccpa_opt_out",
                "15 business days from receipt on 26 November 2026, the day it arrived whatever the hour (CCPA 11 CCR 7026(f))",
            ),
            // New Year's Day 2022 observed on Friday 31 December 2021.
            (
                Glba,
                OptOut,
                "2021-12-27T12:00:00",
                "2022-01-11",
                "glba_opt_out",
                "10 business days from receipt on 27 December 2021, the day it arrived whatever the hour (GLBA Reg P 12 CFR 1016.7(e))",
            ),
            (
                Hipaa,
                Complaint,
                "2026-12-01T12:00:00",
                "2026-12-31",
                "hipaa_complaint",
                "30 calendar days from receipt on 1 December 2026 (HIPAA 45 CFR 164.530(d))",
            ),
        ];
        let no_pauses = Pauses::default();
        for (regime, kind, received, due, rule_id, explanation) in cases {
            let respond_by = clock(&[regime], &input(kind, received, &no_pauses)).respond_by;
            assert_eq!(respond_by.due, date(due), "{rule_id} from {received}");
            assert_eq!(respond_by.rule_id, rule_id);
            assert_eq!(respond_by.explanation, explanation);
        }
    }

    #[test]
    fn the_earliest_applicable_rule_wins() {
        let no_pauses = Pauses::default();
        let amendment = input(Amendment, "2026-03-03T10:00:00", &no_pauses);
        let cases: [(&[Regime], &str, &str); 5] = [
            (&[Hipaa], "hipaa_amendment", "2026-05-02"),
            (&[Hipaa, Ccpa], "ccpa_correct", "2026-04-17"),
            (&[Ccpa, Hipaa], "ccpa_correct", "2026-04-17"),
            (&[Hipaa, Ccpa, Gdpr], "gdpr_rectification", "2026-04-03"),
            (&[Glba, Hipaa, Ccpa, Gdpr], "gdpr_rectification", "2026-04-03"),
        ];
        for (regimes, rule_id, due) in cases {
            let respond_by = clock(regimes, &amendment).respond_by;
            assert_eq!((respond_by.rule_id.as_str(), respond_by.due), (rule_id, date(due)), "{regimes:?}");
        }
        let opt_out = input(OptOut, "2026-03-03T10:00:00", &no_pauses);
        assert_eq!(clock(&[Ccpa, Glba], &opt_out).respond_by.rule_id, "glba_opt_out");
    }

    #[test]
    fn only_ccpa_asks_for_an_acknowledgement() {
        let no_pauses = Pauses::default();
        let amendment = input(Amendment, "2026-03-03T10:00:00", &no_pauses);
        let acknowledge_by = clock(&[Hipaa, Ccpa], &amendment).acknowledge_by.expect("CCPA acknowledges");
        assert_eq!(acknowledge_by.due, date("2026-03-17"));
        assert_eq!(acknowledge_by.rule_id, "ccpa_correct");
        assert_eq!(
            acknowledge_by.explanation,
            "10 business days from receipt on 3 March 2026, the day it arrived whatever the hour (CCPA 11 CCR 7021)"
        );
        assert_eq!(clock(&[Hipaa, Gdpr], &amendment).acknowledge_by, None);
    }

    #[test]
    fn a_kind_no_enabled_regime_covers_has_no_clock() {
        let no_pauses = Pauses::default();
        let rules = Rules::default().for_regimes(&[Ccpa, Gdpr]);
        let complaint = input(Complaint, "2026-03-03T10:00:00", &no_pauses);
        assert_eq!(RequestClock::compute(&rules, &Holidays::default(), &complaint), None);
    }

    #[test]
    fn waiting_on_the_customer_moves_only_pausable_clocks() {
        // GDPR's month pauses by the calendar day; HIPAA's 60 days never pause.
        let cases = [
            (vec![pause("2026-03-10", "2026-03-17")], None, "2026-04-10", 7),
            (vec![pause("2026-03-10", "2026-03-17"), pause("2026-03-15", "2026-03-20")], None, "2026-04-13", 10),
            (vec![pause("2026-03-10", "2026-03-17"), pause("2026-04-05", "2026-04-07")], None, "2026-04-12", 9),
            (vec![pause("2026-05-01", "2026-05-10")], None, "2026-04-03", 0),
            (vec![pause("2026-02-01", "2026-03-03")], None, "2026-04-03", 0),
            (vec![pause("2026-03-10", "2026-03-10")], None, "2026-04-03", 0),
            (vec![pause("2026-03-17", "2026-03-10")], None, "2026-04-03", 0),
            (vec![], Some("2026-03-10"), "2026-04-05", 2),
        ];
        for (closed, open_since, due, paused_days) in cases {
            let pauses = Pauses { closed, open_since: open_since.map(date) };
            let request = ClockInput { today: date("2026-03-12"), ..input(Amendment, "2026-03-03T10:00:00", &pauses) };
            let gdpr = clock(&[Gdpr], &request);
            assert_eq!((gdpr.respond_by.due, gdpr.paused_days), (date(due), paused_days), "{pauses:?}");
            let hipaa = clock(&[Hipaa], &request);
            assert_eq!((hipaa.respond_by.due, hipaa.paused_days), (date("2026-05-02"), 0));
        }
    }

    #[test]
    fn a_pause_is_explained() {
        let pauses = Pauses { closed: vec![pause("2026-03-10", "2026-03-17")], open_since: None };
        let gdpr = clock(&[Gdpr], &input(Amendment, "2026-03-03T10:00:00", &pauses));
        assert_eq!(
            gdpr.respond_by.explanation,
            "1 calendar month from receipt on 3 March 2026, plus 7 calendar days waiting on the customer (GDPR Art. 12(3))"
        );
    }

    #[test]
    fn a_business_day_pause_over_a_holiday_gains_nothing_for_the_holiday() {
        let rules = Rules::from_toml(
            &include_str!("rules.toml").replace("pauses_while_waiting = false", "pauses_while_waiting = true"),
        )
        .unwrap()
        .for_regimes(&[Glba]);
        // Asked on Thursday 2 July 2026, answered on Monday 6 July: Friday is
        // Independence Day observed and then a weekend, so one business day.
        let pauses = Pauses { closed: vec![pause("2026-07-02", "2026-07-06")], open_since: None };
        let request = input(OptOut, "2026-07-01T09:00:00", &pauses);
        let paused = RequestClock::compute(&rules, &Holidays::default(), &request).unwrap();
        assert_eq!((paused.respond_by.due, paused.paused_days), (date("2026-07-17"), 1));
        assert_eq!(
            paused.respond_by.explanation,
            "10 business days from receipt on 1 July 2026, the day it arrived whatever the hour, plus 1 business day waiting on the customer (GLBA Reg P 12 CFR 1016.7(e))"
        );
        let unpaused = RequestClock::compute(
            &rules,
            &Holidays::default(),
            &input(OptOut, "2026-07-01T09:00:00", &Pauses::default()),
        );
        assert_eq!(unpaused.unwrap().respond_by.due, date("2026-07-16"));
    }

    #[test]
    fn a_long_pause_can_hand_the_deadline_to_another_regime() {
        let pauses = Pauses { closed: vec![pause("2026-03-04", "2026-04-13")], open_since: None };
        let both = clock(&[Hipaa, Gdpr], &input(Amendment, "2026-03-03T10:00:00", &pauses));
        assert_eq!((both.respond_by.rule_id.as_str(), both.respond_by.due), ("hipaa_amendment", date("2026-05-02")));
        assert_eq!(both.paused_days, 0);
    }

    #[test]
    fn urgency_follows_the_days_left() {
        let no_pauses = Pauses::default();
        let hipaa = clock(&[Hipaa], &input(Amendment, "2026-03-03T10:00:00", &no_pauses));
        let cases = [
            ("2026-03-03", 60, Urgency::OnTrack),
            ("2026-04-24", 8, Urgency::OnTrack),
            ("2026-04-25", 7, Urgency::DueSoon),
            ("2026-05-02", 0, Urgency::DueSoon),
            ("2026-05-03", -1, Urgency::Overdue),
        ];
        for (today, days_left, urgency) in cases {
            assert_eq!(hipaa.days_left(date(today)), days_left, "{today}");
            assert_eq!(hipaa.urgency(date(today), 7), urgency, "{today}");
        }
    }

    #[test]
    fn clocks_can_travel_to_the_browser() {
        fn travels<T: Serialize + for<'de> Deserialize<'de> + Clone + std::fmt::Debug + PartialEq>() {}
        travels::<RequestClock>();
        travels::<Deadline>();
        travels::<Urgency>();
    }
}
