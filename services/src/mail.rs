//! The emails Portico sends, rendered to plain text and HTML. Each names the portal, says why
//! it was sent, and carries at most one link. They are queued in the outbox by the caller.

use crate::tokens::new_token;
use rules::dates::{format_date, format_date_time};
use storage::outbox::OutboxMessage;

/// What every email needs to know about the portal (its branding as it is now).
#[derive(Debug, Clone)]
pub struct MailContext {
    pub portal_name: String,
    /// Named at the foot of every email when set.
    pub contact_email: String,
    pub public_url: String,
}

/// A message's idempotency key, which becomes its Message-ID: the kind, the time in milliseconds
/// (12 hex digits), then 80 random bits. Time before chance, so each new key lands at the end of
/// its kind's part of the outbox's unique index. A random key landed on a random page of it, and
/// on SQLite every such page is another 4 KiB written to the log per email.
fn idempotency_key(kind: &str, at: std::time::SystemTime) -> String {
    let millis = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    format!("{kind}.{millis:012x}{}", &new_token().hash[..20])
}

impl MailContext {
    fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }

    fn compose(
        &self,
        kind: &str,
        to: &str,
        subject: String,
        paragraphs: &[String],
        action: Option<(&str, String)>,
    ) -> OutboxMessage {
        let mut text = String::new();
        let mut html = String::from(
            "<!DOCTYPE html><html><body style=\"font-family:system-ui,Arial,sans-serif;color:#1c2430;line-height:1.5\">",
        );
        html.push_str(&format!(
            "<p style=\"font-weight:700;color:#1f5f8b\">{}</p>",
            escape(&self.portal_name)
        ));
        for paragraph in paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")));
        }
        if let Some((label, url)) = action {
            text.push_str(&format!("{label}: {url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;background:#1f5f8b;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none\">{}</a></p><p style=\"font-size:13px;color:#4a5565\">Or open: {url}</p>",
                escape(label),
                url = escape(&url)
            ));
        }
        let mut footer = format!("Sent by {} ({}).", self.portal_name, self.public_url);
        if !self.contact_email.is_empty() {
            footer.push_str(&format!(" Questions? Write to {}.", self.contact_email));
        }
        text.push_str(&format!("-- \n{footer}\n"));
        html.push_str(&format!(
            "<hr><p style=\"font-size:13px;color:#4a5565\">{}</p></body></html>",
            escape(&footer)
        ));
        OutboxMessage {
            idempotency_key: idempotency_key(kind, std::time::SystemTime::now()),
            to_address: to.to_string(),
            subject: format!("{subject} · {}", self.portal_name),
            text_body: text,
            html_body: html,
        }
    }

    pub fn request_received(&self, to: &str, resource: &str, status_path: &str) -> OutboxMessage {
        self.compose(
            "request-received",
            to,
            format!("We received your request for {resource}"),
            &[
                format!("Thank you. Your request for access to {resource} has reached the people who decide, and we will email you when they have."),
                "Follow it, or withdraw it, through your private link below. Anyone with this link can see the request, so keep it to yourself.".to_string(),
            ],
            Some(("See your request", self.link(status_path))),
        )
    }

    pub fn approval_needed(
        &self,
        to: &str,
        requester: &str,
        organisation: &str,
        resource: &str,
        review_path: &str,
    ) -> OutboxMessage {
        self.compose(
            "approval-needed",
            to,
            format!("{requester} asks for access to {resource}"),
            &[format!(
                "{requester} ({organisation}) asks for access to {resource}, and you are one of the people who decide. Please approve or deny."
            )],
            Some(("Review the request", self.link(review_path))),
        )
    }

    pub fn invitation(
        &self,
        to: &str,
        resource: &str,
        inviter: &str,
        message: &str,
        invite_path: &str,
        expires_at: i64,
    ) -> OutboxMessage {
        let mut paragraphs = vec![format!("{inviter} invites you to {resource}.")];
        if !message.trim().is_empty() {
            paragraphs.push(format!("Their message: \"{}\"", message.trim()));
        }
        paragraphs.push(format!(
            "Open the link to accept. It works once, for this email address only, until {}.",
            format_date_time(expires_at)
        ));
        self.compose(
            "invitation",
            to,
            format!("You are invited to {resource}"),
            &paragraphs,
            Some(("Accept the invitation", self.link(invite_path))),
        )
    }

    pub fn request_denied(&self, to: &str, resource: &str, justification: &str) -> OutboxMessage {
        self.compose(
            "request-denied",
            to,
            format!("Your request for {resource} was not approved"),
            &[
                format!("Your request for access to {resource} was not approved."),
                format!("The reason given: \"{}\"", justification.trim()),
                "If something has changed, you can ask again from the portal.".to_string(),
            ],
            Some(("Open the portal", self.link("/"))),
        )
    }

    pub fn request_timed_out(&self, to: &str, resource: &str, decide_by: i64) -> OutboxMessage {
        self.compose(
            "request-timed-out",
            to,
            format!("Your request for {resource} was not approved in time"),
            &[
                format!(
                    "Your request for access to {resource} was denied automatically: nobody decided on it by {}.",
                    format_date(decide_by)
                ),
                "If you still need access, you can ask again from the portal.".to_string(),
            ],
            Some(("Open the portal", self.link("/"))),
        )
    }

    pub fn access_ending(&self, to: &str, resource: &str, expires_at: i64) -> OutboxMessage {
        self.compose(
            "access-ending",
            to,
            format!("Your access to {resource} ends on {}", format_date(expires_at)),
            &[
                format!(
                    "Your access to {resource} ends on {}.",
                    format_date_time(expires_at)
                ),
                "If you need it for longer, ask the person who invited you, or request it again from the portal once it has ended.".to_string(),
            ],
            Some(("See my access", self.link("/my-access"))),
        )
    }

    pub fn access_ended(&self, to: &str, resource: &str) -> OutboxMessage {
        self.compose(
            "access-ended",
            to,
            format!("Your access to {resource} has ended"),
            &[
                format!("Your access to {resource} has ended, as planned when it was granted."),
                "If you need it again, you can ask from the portal.".to_string(),
            ],
            Some(("Open the portal", self.link("/"))),
        )
    }

    pub fn access_revoked(&self, to: &str, resource: &str) -> OutboxMessage {
        self.compose(
            "access-revoked",
            to,
            format!("Your access to {resource} has been ended"),
            &[
                format!("An owner of {resource} has ended your access to it."),
                "If you think this is a mistake, contact the person who invited you.".to_string(),
            ],
            Some(("See my access", self.link("/my-access"))),
        )
    }

    pub fn request_still_pending(&self, to: &str, resource: &str, status_path: &str) -> OutboxMessage {
        self.compose(
            "request-still-pending",
            to,
            format!("Your request for {resource} is still waiting"),
            &[
                format!("You asked again for access to {resource}. Your earlier request is still waiting for a decision, so we did not make a second one."),
                "Here is a new private link to it (earlier links no longer work).".to_string(),
            ],
            Some(("See your request", self.link(status_path))),
        )
    }

    pub fn owner_welcome(
        &self,
        to: &str,
        inviter: &str,
        resources: &str,
        password_path: &str,
    ) -> OutboxMessage {
        self.compose(
            "owner-welcome",
            to,
            "Set your password".to_string(),
            &[
                format!(
                    "{inviter} made you an owner of {resources}: you will review the access requests for it."
                ),
                "Choose your password with the link below. It works once, within 7 days.".to_string(),
            ],
            Some(("Set your password", self.link(password_path))),
        )
    }
}

/// Escapes text for HTML bodies.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> MailContext {
        MailContext {
            portal_name: "Acme Partners".into(),
            contact_email: String::new(),
            public_url: "https://portal.example".into(),
        }
    }

    #[test]
    fn the_contact_address_is_at_the_foot_of_every_email_when_set() {
        let plain = context().request_received("ann@partner.example", "CRM", "/status/abc");
        assert!(!plain.text_body.contains("Questions?"));
        let mut with_contact = context();
        with_contact.contact_email = "help@acme.example".into();
        let mail = with_contact.request_received("ann@partner.example", "CRM", "/status/abc");
        assert!(mail.text_body.contains("Questions? Write to help@acme.example."));
        assert!(mail.html_body.contains("Questions? Write to help@acme.example."));
    }

    #[test]
    fn every_email_names_the_portal_in_both_bodies_and_the_subject() {
        let mail = context().request_received("ann@partner.example", "CRM", "/status/abc");
        assert!(mail.subject.ends_with("· Acme Partners"));
        assert!(mail.text_body.contains("Acme Partners"));
        assert!(mail.html_body.contains("Acme Partners"));
        assert!(mail.text_body.contains("https://portal.example/status/abc"));
    }

    #[test]
    fn text_from_people_is_escaped_in_html() {
        let mail = context().request_denied("ann@partner.example", "CRM", "<script>alert(1)</script>");
        assert!(!mail.html_body.contains("<script>"));
        assert!(mail.html_body.contains("&lt;script&gt;"));
    }

    #[test]
    fn each_message_gets_its_own_idempotency_key() {
        let a = context().request_received("a@x.example", "CRM", "/status/a");
        let b = context().request_received("a@x.example", "CRM", "/status/a");
        assert_ne!(a.idempotency_key, b.idempotency_key);
        assert!(a.idempotency_key.starts_with("request-received."));
    }

    #[test]
    fn idempotency_keys_sort_by_time_then_chance() {
        use std::time::{Duration, UNIX_EPOCH};
        let at = UNIX_EPOCH + Duration::from_millis(1_764_540_000_123);
        let key = idempotency_key("request-received", at);
        assert_eq!(&key[..29], "request-received.019ad6c7a77b");
        assert_eq!(key.len(), "request-received.".len() + 12 + 20);
        assert_ne!(
            key,
            idempotency_key("request-received", at),
            "chance tells apart keys of one millisecond"
        );
        let later = idempotency_key("request-received", at + Duration::from_millis(1));
        assert!(later > key, "{later} sorts after {key}");
        let much_later = idempotency_key("request-received", at + Duration::from_secs(86_400 * 365));
        assert!(much_later > later);
    }
}
