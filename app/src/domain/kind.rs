//! The kinds of request, their statuses and the channels they arrive by.
//! Each has one stable machine name, used in the database, URLs and the API.
//! How a status or an event is told to the customer is `tracking`'s to say.
//!
//! The words: each right, status, channel and outcome has one name, kept
//! here (and in `tracking` and `metrics::facts` beside their types) with the
//! customer's wording and the staff's side by side. Pages, letters and
//! exports ask for them; none spells them itself.

use super::Language;

named_enum! {
    /// The three things the privacy notice promises a customer may ask for,
    /// and the appeal of a refusal of one of them: a case of its own.
    RequestKind {
        OptOut => "opt_out",
        Amendment => "amendment",
        Complaint => "complaint",
        Appeal => "appeal",
    }
}

impl RequestKind {
    /// How the right is named to a customer: on the home page, as the
    /// form's title, in the navigation, on the tracking page and in letters.
    pub fn label(self) -> &'static str {
        self.label_in(Language::En)
    }

    /// [`Self::label`] in a customer's language.
    pub fn label_in(self, lang: Language) -> &'static str {
        use crate::text::kinds;
        match self {
            Self::OptOut => kinds::opt_out(lang),
            Self::Amendment => kinds::amendment(lang),
            Self::Complaint => kinds::complaint(lang),
            Self::Appeal => kinds::appeal(lang),
        }
    }

    /// How staff name the same right: the queue, the case, intake and the
    /// exports.
    pub fn staff_label(self) -> &'static str {
        match self {
            Self::OptOut => "Opt-out",
            Self::Amendment => "Amendment",
            Self::Complaint => "Complaint",
            Self::Appeal => "Appeal",
        }
    }

    /// The staff name counted, for figures ("Opt-outs received").
    pub fn staff_plural(self) -> &'static str {
        match self {
            Self::OptOut => "Opt-outs",
            Self::Amendment => "Amendments",
            Self::Complaint => "Complaints",
            Self::Appeal => "Appeals",
        }
    }

    /// Whether the requester must confirm their email address before work
    /// starts. Opt-outs need no verification (CCPA says so outright, and
    /// GLBA forbids making opting out a burden), so they take effect at once.
    /// An appeal comes through the private link of a request whose address
    /// was confirmed already.
    pub fn needs_verification(self) -> bool {
        !matches!(self, Self::OptOut | Self::Appeal)
    }
}

named_enum! {
    /// Where a request is in its life. Which status may follow which is
    /// decided in one place, the workflow's state machine.
    RequestStatus {
        Unverified => "unverified",
        Received => "received",
        InProgress => "in_progress",
        AwaitingCustomer => "awaiting_customer",
        Completed => "completed",
        Denied => "denied",
        Closed => "closed",
        Withdrawn => "withdrawn",
        Merged => "merged",
    }
}

impl RequestStatus {
    /// The short, neutral name staff see, on their pages and in exports.
    pub fn staff_label(self) -> &'static str {
        match self {
            Self::Unverified => "Unverified",
            Self::Received => "Received",
            Self::InProgress => "In progress",
            Self::AwaitingCustomer => "Awaiting customer",
            Self::Completed => "Completed",
            Self::Denied => "Denied",
            Self::Closed => "Closed",
            Self::Withdrawn => "Withdrawn",
            Self::Merged => "Merged",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Completed | Self::Denied | Self::Closed | Self::Withdrawn | Self::Merged)
    }
}

named_enum! {
    /// How a request reached the retailer.
    Channel {
        Web => "web",
        Phone => "phone",
        Mail => "mail",
    }
}

impl Channel {
    /// How staff name a channel, on their pages and in exports. Customers
    /// are never shown it.
    pub fn staff_label(self) -> &'static str {
        match self {
            Self::Web => "Web form",
            Self::Phone => "Phone",
            Self::Mail => "Mail",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_value() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(*kind));
        }
        for status in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(status.as_str()), Some(*status));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(*channel));
        }
        assert_eq!(RequestKind::parse("OPT_OUT"), None);
    }
}

named_enum! {
    /// What happened to a request, as written in its history.
    EventKind {
        Submitted => "submitted",
        EnteredByStaff => "entered_by_staff",
        VerificationSent => "verification_sent",
        Verified => "verified",
        VerifiedByStaff => "verified_by_staff",
        ClosedUnverified => "closed_unverified",
        Assigned => "assigned",
        Note => "note",
        Message => "message",
        WorkStarted => "work_started",
        AskedCustomer => "asked_customer",
        Resumed => "resumed",
        Resolved => "resolved",
        Closed => "closed",
        Extended => "extended",
        HoldPlaced => "hold_placed",
        HoldLifted => "hold_lifted",
        OptOutRevoked => "opt_out_revoked",
        CustomerReplied => "customer_replied",
        Withdrawn => "withdrawn",
        PossibleDuplicate => "possible_duplicate",
        KeptSeparate => "kept_separate",
        MergedInto => "merged_into",
        MergedHere => "merged_here",
        DisagreementStated => "disagreement_stated",
        DenialWithDisclosures => "denial_with_disclosures",
        Rebutted => "rebutted",
        DocumentsSent => "documents_sent",
        Appealed => "appealed",
        AgentVerified => "agent_verified",
    }
}
