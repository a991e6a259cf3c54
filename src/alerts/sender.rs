//! Who may post alerts, and who did: the configured credentials
//! ([`AlertAuth`]) and the sender a request was authenticated as
//! ([`Sender`]). The check of a request's headers is HTTP's
//! (`http/alert_auth.rs`).

use crate::auth::Caller;

/// How alert senders authenticate.
#[derive(Clone, Default)]
pub struct AlertAuth {
    /// The shared secret, if one is configured.
    pub secret: Option<String>,
    /// The token scope (`scp`) a bearer token needs.
    pub scope: String,
}

impl std::fmt::Debug for AlertAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertAuth")
            .field("secret", &self.secret.as_ref().map(|_| "****"))
            .field("scope", &self.scope)
            .finish()
    }
}

/// Who sent the alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// The shared secret matched: any host.
    Secret,
    /// A verified token: its own host only.
    Token(Caller),
    /// Nothing is configured: anyone, any host.
    Open,
}
