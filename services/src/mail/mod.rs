//! The emails Portico sends, rendered to plain text and HTML in the recipient's language. Each
//! names the portal, says why it was sent, and carries at most one link. They are queued in the
//! outbox by the caller. The messages themselves are in `messages.rs`, their words in the
//! `mail` catalogue of every language.

mod messages;

use leptos_i18n::td_string;
use locales::Locale;

use crate::tokens::new_token;
use storage::outbox::OutboxMessage;

/// Who an email goes to and the language they read: a tag such as `nl`, or empty (or one
/// Portico does not speak) for the portal's default language.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub address: &'a str,
    pub language: &'a str,
}

impl<'a> Recipient<'a> {
    pub fn new(address: &'a str, language: &'a str) -> Self {
        Self { address, language }
    }
}

/// What every email needs to know about the portal (its branding as it is now).
#[derive(Debug, Clone)]
pub struct MailContext {
    pub portal_name: String,
    /// The portal's name in other languages, by tag.
    pub portal_name_translations: rules::translated::Translations,
    /// Named at the foot of every email when set.
    pub contact_email: String,
    pub public_url: String,
    /// The language of recipients who have none of their own.
    pub default_language: Locale,
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

    /// The language to write to this recipient in.
    fn language_of(&self, to: Recipient<'_>) -> Locale {
        locales::from_tag(to.language).unwrap_or(self.default_language)
    }

    fn compose(
        &self,
        kind: &str,
        to: Recipient<'_>,
        subject: String,
        paragraphs: &[String],
        action: Option<(&str, String)>,
    ) -> OutboxMessage {
        let l = self.language_of(to);
        let portal_name =
            rules::translated::pick(&self.portal_name, &self.portal_name_translations, locales::tag(l));
        let mut text = String::new();
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:system-ui,Arial,sans-serif;color:#1c2430;line-height:1.5\">",
            locales::tag(l)
        );
        html.push_str(&format!(
            "<p style=\"font-weight:700;color:#1f5f8b\">{}</p>",
            escape(portal_name)
        ));
        for paragraph in paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")));
        }
        if let Some((label, url)) = action {
            text.push_str(&format!("{label}: {url}\n\n"));
            let or_open = td_string!(l, mail.or_open, url = &url).to_string();
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;background:#1f5f8b;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none\">{}</a></p><p style=\"font-size:13px;color:#4a5565\">{}</p>",
                escape(label),
                escape(&or_open),
                url = escape(&url)
            ));
        }
        let mut footer =
            td_string!(l, mail.sent_by, portal = portal_name, url = &self.public_url).to_string();
        if !self.contact_email.is_empty() {
            footer.push(' ');
            footer.push_str(&td_string!(l, mail.questions, contact = &self.contact_email).to_string());
        }
        text.push_str(&format!("-- \n{footer}\n"));
        html.push_str(&format!(
            "<hr><p style=\"font-size:13px;color:#4a5565\">{}</p></body></html>",
            escape(&footer)
        ));
        OutboxMessage {
            idempotency_key: idempotency_key(kind, std::time::SystemTime::now()),
            to_address: to.address.to_string(),
            subject: format!("{subject} · {portal_name}"),
            text_body: text,
            html_body: html,
        }
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
            portal_name_translations: [("nl".to_string(), "Acme Partnerportaal".to_string())].into(),
            contact_email: String::new(),
            public_url: "https://portal.example".into(),
            default_language: locales::all()[0],
        }
    }

    fn ann() -> Recipient<'static> {
        Recipient::new("ann@partner.example", "")
    }

    #[test]
    fn the_contact_address_is_at_the_foot_of_every_email_when_set() {
        let plain = context().request_received(ann(), "CRM", "/status/abc");
        assert!(!plain.text_body.contains("Questions?"));
        let mut with_contact = context();
        with_contact.contact_email = "help@acme.example".into();
        let mail = with_contact.request_received(ann(), "CRM", "/status/abc");
        assert!(mail.text_body.contains("Questions? Write to help@acme.example."));
        assert!(mail.html_body.contains("Questions? Write to help@acme.example."));
    }

    #[test]
    fn every_email_names_the_portal_in_both_bodies_and_the_subject() {
        let mail = context().request_received(ann(), "CRM", "/status/abc");
        assert!(mail.subject.ends_with("· Acme Partners"));
        assert!(mail.text_body.contains("Acme Partners"));
        assert!(mail.html_body.contains("Acme Partners"));
        assert!(mail.text_body.contains("https://portal.example/status/abc"));
    }

    #[test]
    fn an_email_is_written_in_the_recipients_language_else_the_portals() {
        let to = |language| Recipient::new("ann@partner.example", language);
        // 2027-03-15 14:05 UTC
        let invite = |mail: &MailContext, language| {
            mail.invitation(
                to(language),
                "CRM",
                "Olga",
                "Welkom",
                "/invite/abc",
                (1_805_119_500 - 3 * 86_400, 1_805_119_500),
            )
        };
        let dutch = invite(&context(), "nl");
        assert_eq!(
            dutch.subject,
            "Je bent uitgenodigd voor CRM · Acme Partnerportaal"
        );
        assert!(dutch.text_body.contains("Olga nodigt je uit voor CRM."));
        assert!(dutch.text_body.contains("Persoonlijk bericht: \"Welkom\""));
        assert!(dutch
            .text_body
            .contains("tot 15 mrt 2027 om 14:05 UTC (over 3 dagen)."));
        assert!(dutch
            .text_body
            .contains("Uitnodiging accepteren: https://portal.example/invite/abc"));
        assert!(dutch.text_body.contains("Verstuurd door Acme Partnerportaal"));
        assert!(dutch.html_body.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
        assert!(dutch
            .html_body
            .contains("Of open: https://portal.example/invite/abc"));

        let english = invite(&context(), "");
        assert_eq!(english.subject, "You are invited to CRM · Acme Partners");
        assert!(english
            .text_body
            .contains("until 15 Mar 2027, 14:05 UTC (in 3 days)."));
        assert_eq!(
            invite(&context(), "de").subject,
            english.subject,
            "unknown: the default"
        );

        let mut dutch_portal = context();
        dutch_portal.default_language = locales::from_tag("nl").unwrap();
        assert_eq!(invite(&dutch_portal, "").subject, dutch.subject);
        assert_eq!(invite(&dutch_portal, "en").subject, english.subject);
    }

    #[test]
    fn a_reminder_says_how_long_is_left_in_the_recipients_words() {
        let to = |language| Recipient::new("ann@partner.example", language);
        let day = 86_400;
        let ending = |language, days_left: i64| {
            let end = 1_805_119_500;
            context().access_ending(to(language), "CRM", (end - days_left * day, end))
        };
        for (language, days_left, subject) in [
            ("en", 14, "Your access to CRM ends in 14 days · Acme Partners"),
            ("en", 1, "Your access to CRM ends tomorrow · Acme Partners"),
            (
                "nl",
                14,
                "Je toegang tot CRM stopt over 14 dagen · Acme Partnerportaal",
            ),
            ("nl", 1, "Je toegang tot CRM stopt morgen · Acme Partnerportaal"),
        ] {
            assert_eq!(ending(language, days_left).subject, subject);
        }
        assert!(ending("nl", 14)
            .text_body
            .contains("stopt op 15 mrt 2027 om 14:05 UTC."));
    }

    #[test]
    fn text_from_people_is_escaped_in_html() {
        let mail = context().request_denied(ann(), "CRM", "<script>alert(1)</script>");
        assert!(!mail.html_body.contains("<script>"));
        assert!(mail.html_body.contains("&lt;script&gt;"));
    }

    #[test]
    fn each_message_gets_its_own_idempotency_key() {
        let a = context().request_received(ann(), "CRM", "/status/a");
        let b = context().request_received(ann(), "CRM", "/status/a");
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
