//! Delivers rendered outbox messages: over SMTP when `SMTP_URL` is set, otherwise as `.eml`
//! files in the mail folder (development and tests). The Message-ID is derived from the
//! message's idempotency key, so a retry is recognisably the same message.

use std::path::Path;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use storage::outbox::QueuedMessage;

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("SMTP_URL is not usable: {0}")]
    SmtpUrl(String),
    #[error("PORTICO_MAIL_FROM is not a valid address: {0}")]
    From(String),
    #[error("could not create the mail folder {0}: {1}")]
    Folder(String, std::io::Error),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// The domain part of Message-IDs.
    id_domain: String,
}

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        mail_dir: &Path,
        from: &str,
        id_domain: &str,
    ) -> Result<Mailer, MailerError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailerError::From(e.to_string()))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailerError::SmtpUrl(e.to_string()))?
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(mail_dir)
                    .map_err(|e| MailerError::Folder(mail_dir.display().to_string(), e))?;
                Transport::Files(AsyncFileTransport::new(mail_dir))
            }
        };
        Ok(Mailer {
            transport,
            from,
            id_domain: id_domain.to_string(),
        })
    }

    pub fn describe(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "SMTP",
            Transport::Files(_) => ".eml files",
        }
    }

    /// Sends one message; the error is a sentence for the outbox's `last_error`.
    pub async fn send(&self, queued: &QueuedMessage) -> Result<(), String> {
        let to: Mailbox = queued
            .to_address
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&queued.subject)
            .message_id(Some(format!("<{}@{}>", queued.idempotency_key, self.id_domain)))
            .multipart(MultiPart::alternative_plain_html(
                queued.text_body.clone(),
                queued.html_body.clone(),
            ))
            .map_err(|e| format!("could not build the message: {e}"))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}")),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("file: {e}")),
        }
    }
}
