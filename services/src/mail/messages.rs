//! Each email Portico sends: its kind (the start of its Message-ID), subject, paragraphs and
//! link, worded from the `mail` catalogue in the recipient's language.

use leptos_i18n::td_string;
use locales::dates::{date, date_time, relative};
use storage::outbox::OutboxMessage;

use super::{MailContext, Recipient};

impl MailContext {
    pub fn request_received(&self, to: Recipient<'_>, resource: &str, status_path: &str) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "request-received",
            to,
            td_string!(l, mail.request_received_subject, resource).to_string(),
            &[
                td_string!(l, mail.request_received_body, resource).to_string(),
                td_string!(l, mail.request_received_link).to_string(),
            ],
            Some((td_string!(l, mail.see_your_request), self.link(status_path))),
        )
    }

    pub fn approval_needed(
        &self,
        to: Recipient<'_>,
        requester: &str,
        organisation: &str,
        resource: &str,
        review_path: &str,
    ) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "approval-needed",
            to,
            td_string!(l, mail.approval_needed_subject, requester, resource).to_string(),
            &[td_string!(l, mail.approval_needed_body, requester, organisation, resource).to_string()],
            Some((td_string!(l, mail.review_the_request), self.link(review_path))),
        )
    }

    pub fn invitation(
        &self,
        to: Recipient<'_>,
        resource: &str,
        inviter: &str,
        message: &str,
        invite_path: &str,
        (now, expires_at): (i64, i64),
    ) -> OutboxMessage {
        let l = self.language_of(to);
        let mut paragraphs = vec![td_string!(l, mail.invitation_body, inviter, resource).to_string()];
        let message = message.trim();
        if !message.is_empty() {
            paragraphs.push(td_string!(l, mail.invitation_message, message).to_string());
        }
        let (until, when) = (date_time(l, expires_at), relative(l, now, expires_at));
        paragraphs.push(td_string!(l, mail.invitation_until, until, when).to_string());
        self.compose(
            "invitation",
            to,
            td_string!(l, mail.invitation_subject, resource).to_string(),
            &paragraphs,
            Some((td_string!(l, mail.accept_the_invitation), self.link(invite_path))),
        )
    }

    pub fn request_denied(&self, to: Recipient<'_>, resource: &str, justification: &str) -> OutboxMessage {
        let l = self.language_of(to);
        let reason = justification.trim();
        self.compose(
            "request-denied",
            to,
            td_string!(l, mail.request_denied_subject, resource).to_string(),
            &[
                td_string!(l, mail.request_denied_body, resource).to_string(),
                td_string!(l, mail.request_denied_reason, reason).to_string(),
                td_string!(l, mail.request_denied_again).to_string(),
            ],
            Some((td_string!(l, mail.open_the_portal), self.link("/"))),
        )
    }

    pub fn request_timed_out(&self, to: Recipient<'_>, resource: &str, decide_by: i64) -> OutboxMessage {
        let l = self.language_of(to);
        let date = date(l, decide_by);
        self.compose(
            "request-timed-out",
            to,
            td_string!(l, mail.request_timed_out_subject, resource).to_string(),
            &[
                td_string!(l, mail.request_timed_out_body, resource, date).to_string(),
                td_string!(l, mail.request_timed_out_again).to_string(),
            ],
            Some((td_string!(l, mail.open_the_portal), self.link("/"))),
        )
    }

    /// The reminder that access ends `when` ("in 14 days", "tomorrow": `now` is when it is sent).
    pub fn access_ending(
        &self,
        to: Recipient<'_>,
        resource: &str,
        (now, expires_at): (i64, i64),
    ) -> OutboxMessage {
        let l = self.language_of(to);
        let (when, moment) = (relative(l, now, expires_at), date_time(l, expires_at));
        self.compose(
            "access-ending",
            to,
            td_string!(l, mail.access_ending_subject, resource, when).to_string(),
            &[
                td_string!(l, mail.access_ending_body, resource, moment).to_string(),
                td_string!(l, mail.access_ending_longer).to_string(),
            ],
            Some((td_string!(l, mail.see_my_access), self.link("/my-access"))),
        )
    }

    pub fn access_ended(&self, to: Recipient<'_>, resource: &str) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "access-ended",
            to,
            td_string!(l, mail.access_ended_subject, resource).to_string(),
            &[
                td_string!(l, mail.access_ended_body, resource).to_string(),
                td_string!(l, mail.access_ended_again).to_string(),
            ],
            Some((td_string!(l, mail.open_the_portal), self.link("/"))),
        )
    }

    pub fn access_revoked(&self, to: Recipient<'_>, resource: &str) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "access-revoked",
            to,
            td_string!(l, mail.access_revoked_subject, resource).to_string(),
            &[
                td_string!(l, mail.access_revoked_body, resource).to_string(),
                td_string!(l, mail.access_revoked_mistake).to_string(),
            ],
            Some((td_string!(l, mail.see_my_access), self.link("/my-access"))),
        )
    }

    pub fn request_still_pending(
        &self,
        to: Recipient<'_>,
        resource: &str,
        status_path: &str,
    ) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "request-still-pending",
            to,
            td_string!(l, mail.still_pending_subject, resource).to_string(),
            &[
                td_string!(l, mail.still_pending_body, resource).to_string(),
                td_string!(l, mail.still_pending_new_link).to_string(),
            ],
            Some((td_string!(l, mail.see_your_request), self.link(status_path))),
        )
    }

    pub fn owner_welcome(
        &self,
        to: Recipient<'_>,
        inviter: &str,
        resources: &str,
        password_path: &str,
    ) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "owner-welcome",
            to,
            td_string!(l, mail.owner_welcome_subject).to_string(),
            &[
                td_string!(l, mail.owner_welcome_body, inviter, resources).to_string(),
                td_string!(l, mail.owner_welcome_link).to_string(),
            ],
            Some((td_string!(l, mail.set_your_password), self.link(password_path))),
        )
    }

    /// A one-time code: for signing in, or for accepting the invitation to `resource`. The code
    /// opens the subject so that it shows in a notification; the email carries no link.
    pub fn one_time_code(&self, to: Recipient<'_>, code: &str, resource: Option<&str>) -> OutboxMessage {
        let l = self.language_of(to);
        let spaced = format!("{} {}", &code[..4], &code[4..]);
        let what = match resource {
            Some(resource) => td_string!(l, mail.code_for_invitation, resource).to_string(),
            None => td_string!(l, mail.code_for_sign_in).to_string(),
        };
        self.compose(
            "one-time-code",
            to,
            td_string!(l, mail.code_subject, code = &spaced).to_string(),
            &[
                td_string!(l, mail.code_body, what, code = &spaced).to_string(),
                td_string!(l, mail.code_rules).to_string(),
                td_string!(l, mail.code_not_you).to_string(),
            ],
            None,
        )
    }

    /// Five wrong second-factor codes: the step is locked for a while. Says nothing of whether
    /// the password was right.
    pub fn second_step_locked(&self, to: Recipient<'_>, minutes: i64) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "second-step-locked",
            to,
            td_string!(l, mail.second_step_locked_subject).to_string(),
            &[
                td_string!(l, mail.second_step_locked_body, minutes = &minutes.to_string()).to_string(),
                td_string!(l, mail.second_step_locked_not_you).to_string(),
            ],
            None,
        )
    }

    /// An admin removed the person's second factors.
    pub fn second_factors_reset(&self, to: Recipient<'_>) -> OutboxMessage {
        let l = self.language_of(to);
        self.compose(
            "second-factors-reset",
            to,
            td_string!(l, mail.second_factors_reset_subject).to_string(),
            &[
                td_string!(l, mail.second_factors_reset_body).to_string(),
                td_string!(l, mail.second_factors_reset_not_you).to_string(),
            ],
            Some((
                td_string!(l, mail.open_your_account),
                self.link("/account#second-step"),
            )),
        )
    }
}
