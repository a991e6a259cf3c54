//! E-mail notifications: one plain-text message per escalation through the
//! executors file's SMTP relay, to every effective contact's address and
//! the notifier's `to`. Its `Message-ID` is the execution's, so the copy a
//! restart sends again is the same message to a mail client.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use serde_json::Value;

use super::{SmtpConfig, SmtpTls};

/// Recipients one e-mail has at most; the rest are named in the record as
/// not sent to.
pub const MAX_RECIPIENTS: usize = 50;

/// The default time one delivery may take.
const DEFAULT_TIMEOUT_SECONDS: u64 = 30;

/// The relay and the sender, made once at start.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    shown: String,
}

impl Mailer {
    /// The relay of `config`; an error names the field at fault.
    pub fn new(config: &SmtpConfig) -> Result<Self, String> {
        let from: Mailbox = (config.from.parse())
            .map_err(|e| format!("smtp, from `{}`: not an address ({e})", config.from))?;
        let relay =
            |e: lettre::transport::smtp::Error| format!("smtp, host `{}`: {e}", config.host);
        let builder = match config.tls {
            SmtpTls::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host).map_err(relay)?
            }
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map_err(relay)?
            }
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
        };
        let timeout = config.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        let mut builder = builder
            .port(config.port())
            .timeout(Some(Duration::from_secs(timeout)));
        match (&config.username, &config.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (None, None) => {}
            _ => return Err("smtp: username and password come together".into()),
        }
        Ok(Self {
            transport: builder.build(),
            from,
            shown: format!("smtp://{}:{}", config.host, config.port()),
        })
    }

    /// Where it sends, as a delivery records it (no credentials).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Sends one message; why not, when it was not sent.
    pub async fn send(
        &self,
        id: &str,
        to: &[Mailbox],
        subject: &str,
        body: String,
    ) -> Result<(), String> {
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .message_id(Some(format!("<{id}@{}>", self.from.email.domain())))
            .header(ContentType::TEXT_PLAIN);
        for recipient in to {
            message = message.to(recipient.clone());
        }
        let message = message.body(body).map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Refuses a configured address that is not one, or more than
/// [`MAX_RECIPIENTS`] of them.
pub fn check_addresses(to: &[String]) -> Result<(), String> {
    if to.len() > MAX_RECIPIENTS {
        return Err(format!(
            "`to` lists {} addresses; at most {MAX_RECIPIENTS} are allowed",
            to.len()
        ));
    }
    match to.iter().find(|a| a.parse::<Mailbox>().is_err()) {
        Some(bad) => Err(format!("to `{bad}` is not an e-mail address")),
        None => Ok(()),
    }
}

/// Whom an escalation's e-mail goes to: each contact's address (from the
/// escalation's `contacts`), then the notifier's `to`, each once, at most
/// [`MAX_RECIPIENTS`]; and what was left out, with why.
pub fn recipients(message: &Value, to: &[String]) -> (Vec<Mailbox>, Vec<String>) {
    let contacts = message["contacts"].as_array().into_iter().flatten();
    let addresses = contacts
        .filter_map(|c| c["email"].as_str())
        .chain(to.iter().map(String::as_str));
    let mut chosen: Vec<Mailbox> = Vec::new();
    let mut left_out = Vec::new();
    for address in addresses {
        match address.parse::<Mailbox>() {
            Ok(mailbox) if chosen.iter().any(|m| m.email == mailbox.email) => {}
            Ok(_) if chosen.len() == MAX_RECIPIENTS => {
                left_out.push(format!("{address}: past {MAX_RECIPIENTS} recipients"));
            }
            Ok(mailbox) => chosen.push(mailbox),
            Err(_) => left_out.push(format!("{address}: not an e-mail address")),
        }
    }
    (chosen, left_out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_contact_address_and_the_notifiers_own_are_recipients_once_each() {
        let message = json!({"contacts": [
            {"name": "Payments", "email": "pay@example.com"},
            {"name": "No mail", "phone": "+1 555"},
            {"name": "Bad", "email": "not an address"},
            {"name": "Again", "email": "pay@example.com"},
        ]});
        let (to, left_out) = recipients(&message, &["incidents@example.com".into()]);
        let addresses: Vec<String> = to.iter().map(|m| m.email.to_string()).collect();
        assert_eq!(addresses, ["pay@example.com", "incidents@example.com"]);
        assert_eq!(left_out, ["not an address: not an e-mail address"]);
    }

    #[test]
    fn recipients_past_the_bound_are_named_not_sent_to() {
        let contacts: Vec<Value> = (0..MAX_RECIPIENTS + 2)
            .map(|i| json!({"name": "p", "email": format!("p{i}@example.com")}))
            .collect();
        let (to, left_out) = recipients(&json!({ "contacts": contacts }), &[]);
        assert_eq!(to.len(), MAX_RECIPIENTS);
        assert_eq!(left_out.len(), 2);
        assert!(left_out[0].ends_with("past 50 recipients"), "{left_out:?}");
    }

    #[test]
    fn configured_addresses_must_be_addresses_and_few_enough() {
        assert!(check_addresses(&["Ops <ops@example.com>".into()]).is_ok());
        assert_eq!(
            check_addresses(&["ops at example".into()]).err().as_deref(),
            Some("to `ops at example` is not an e-mail address")
        );
        let many: Vec<String> = (0..=MAX_RECIPIENTS)
            .map(|i| format!("p{i}@example.com"))
            .collect();
        assert!(
            check_addresses(&many)
                .err()
                .is_some_and(|e| e.contains("at most 50"))
        );
    }

    #[test]
    fn a_sender_that_is_no_address_is_refused_at_start() {
        let config = SmtpConfig {
            host: "127.0.0.1".into(),
            port: None,
            tls: SmtpTls::None,
            username: None,
            password: None,
            from: "runbooks at example".into(),
            timeout_seconds: None,
        };
        let error = Mailer::new(&config).err().expect("refused");
        assert!(
            error.starts_with("smtp, from `runbooks at example`"),
            "{error}"
        );
    }
}
