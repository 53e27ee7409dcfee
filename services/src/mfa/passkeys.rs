//! Passkeys and security keys (WebAuthn), through `webauthn-rs`: a person adds several and names
//! them on the account page, and uses any of them as the second step. Every ceremony has two
//! requests (the browser asks for options, then answers); its state waits in the database in
//! between, so any instance can finish it, and each challenge is answered at most once.
//!
//! The relying party is the portal's public address. Browsers refuse WebAuthn on an IP address,
//! so a portal published at a loopback address (`http://127.0.0.1:3000` from `make run`) offers
//! passkeys at `http://localhost` on the same port; any other IP address offers none.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{Passkey, Url, Uuid, Webauthn, WebauthnBuilder};

use super::MfaError;
use crate::server_key::ServerKey;
use rules::clock::Timestamp;
use storage::mfa::passkeys::{insert_challenge, take_challenge, NewChallenge, PasskeyRow};
use storage::Tx;

/// How long the browser has to answer a challenge.
pub const CHALLENGE_SECONDS: i64 = 5 * 60;

/// The portal as a WebAuthn relying party, when its address allows one.
#[derive(Debug, Clone, Default)]
pub struct Passkeys(Option<Arc<Webauthn>>);

impl Passkeys {
    pub fn for_portal(portal_name: &str, public_url: &str) -> Self {
        Passkeys(relying_party(portal_name, public_url).map(Arc::new))
    }

    /// Whether this portal can offer passkeys at all.
    pub fn available(&self) -> bool {
        self.0.is_some()
    }

    pub(super) fn webauthn(&self) -> Result<&Webauthn, MfaError> {
        self.0.as_deref().ok_or(MfaError::PasskeysUnavailable)
    }
}

fn relying_party(portal_name: &str, public_url: &str) -> Option<Webauthn> {
    let mut origin = Url::parse(public_url).ok()?;
    let loopback = match origin.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if loopback {
        origin.set_host(Some("localhost")).ok()?;
    }
    origin.set_path("");
    let rp_id = origin.domain()?.to_string();
    let name = Some(portal_name.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or("Portico");
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name(name)
        .build()
        .ok()
}

/// What the browser needs to run a ceremony: the challenge's id (sent back with the answer) and
/// the options for `navigator.credentials`, as JSON.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub id: String,
    pub options: String,
}

/// The handle the person's keys know them by: not their email or account number, but a keyed
/// hash of it, the same for every key of theirs.
pub(super) fn user_handle(key: &ServerKey, account_id: i64) -> Uuid {
    let hash = key.keyed_hash("passkey-user", &[&account_id.to_string()]);
    let bytes = STANDARD_NO_PAD
        .decode(hash)
        .unwrap_or_else(|_| Sha256::digest(account_id.to_be_bytes()).to_vec());
    let mut handle = [0u8; 16];
    handle.copy_from_slice(&bytes[..16]);
    Uuid::from_bytes(handle)
}

/// Keeps a ceremony's state and returns what the browser gets.
pub(super) async fn keep_challenge<S: Serialize, O: Serialize>(
    tx: &mut Tx,
    (account_id, purpose): (i64, &str),
    state: &S,
    options: &O,
    now: Timestamp,
) -> Result<Challenge, MfaError> {
    let id = crate::tokens::new_token().raw;
    let state = serde_json::to_string(state).map_err(|_| MfaError::PasskeyRefused)?;
    let challenge = NewChallenge {
        id: &id,
        account_id,
        purpose,
        state: &state,
    };
    insert_challenge(tx, challenge, now, now - CHALLENGE_SECONDS).await?;
    let options = serde_json::to_string(options).map_err(|_| MfaError::PasskeyRefused)?;
    Ok(Challenge { id, options })
}

/// Takes back a ceremony's state: refused when it is unknown, someone else's, answered already
/// or too old.
pub(super) async fn taken_challenge<S: DeserializeOwned>(
    tx: &mut Tx,
    (account_id, purpose): (i64, &str),
    id: &str,
    now: Timestamp,
) -> Result<S, MfaError> {
    let state = take_challenge(tx, id, account_id, purpose, now - CHALLENGE_SECONDS)
        .await?
        .ok_or(MfaError::PasskeyRefused)?;
    serde_json::from_str(&state).map_err(|_| MfaError::PasskeyRefused)
}

/// What the browser answered, read as webauthn-rs's type for it.
pub(super) fn answer<T: DeserializeOwned>(json: &str) -> Result<T, MfaError> {
    serde_json::from_str(json).map_err(|_| MfaError::PasskeyRefused)
}

/// A kept key, read back (a row that no longer reads is skipped, and logged).
pub(super) fn passkey_of(row: &PasskeyRow) -> Option<Passkey> {
    serde_json::from_str(&row.credential)
        .inspect_err(|_| tracing::error!(passkey = row.id, "a passkey's record does not read"))
        .ok()
}

pub(super) fn record_of(passkey: &Passkey) -> Result<String, MfaError> {
    serde_json::to_string(passkey).map_err(|_| MfaError::PasskeyRefused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_host_is_its_own_relying_party() {
        assert!(Passkeys::for_portal("Acme", "https://partners.acme.example").available());
        assert!(Passkeys::for_portal("Acme", "https://partners.acme.example:8443/").available());
    }

    #[test]
    fn a_loopback_address_offers_passkeys_at_localhost_and_another_ip_none() {
        assert!(Passkeys::for_portal("Acme", "http://127.0.0.1:3000").available());
        assert!(Passkeys::for_portal("Acme", "http://[::1]:3000").available());
        assert!(!Passkeys::for_portal("Acme", "http://192.0.2.7:3000").available());
        assert!(!Passkeys::for_portal("Acme", "not a url").available());
    }

    #[test]
    fn each_person_has_one_handle_and_nobody_shares_it() {
        let key = ServerKey::new(&[7u8; 32]);
        assert_eq!(user_handle(&key, 1), user_handle(&key, 1));
        assert_ne!(user_handle(&key, 1), user_handle(&key, 2));
        assert_ne!(user_handle(&key, 1), user_handle(&ServerKey::new(&[8u8; 32]), 1));
    }
}
