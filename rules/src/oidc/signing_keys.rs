//! When a signing key signs and when it is published. Relying parties cache the key set, so a
//! new key is published a while before it signs, and an old one stays published until the last
//! token it signed has expired.

use crate::clock::Timestamp;

/// The algorithms Portico signs with: RS256 (every relying party takes it) and ES256.
pub const ALGORITHMS: [&str; 2] = ["RS256", "ES256"];

/// How long a new key is published before it signs (relying parties refresh a cached key set
/// at least this often, or on meeting an unknown `kid`).
pub const PUBLISH_AHEAD_SECONDS: i64 = 60 * 60;

/// The longest a token Portico signs lives (ID tokens and access tokens).
pub const LONGEST_TOKEN_SECONDS: i64 = 60 * 60;

/// A key as the schedule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTimes {
    pub algorithm: String,
    pub signs_from: Timestamp,
    /// From then on a newer key signs instead.
    pub retired_at: Option<Timestamp>,
}

impl KeyTimes {
    /// Whether the key is in the published set at `now`: from its creation until the last
    /// token it may have signed has expired.
    pub fn is_published(&self, now: Timestamp) -> bool {
        self.retired_at
            .is_none_or(|retired| now < retired + LONGEST_TOKEN_SECONDS)
    }

    /// Where the key stands at `now`, for the admin's page.
    pub fn state(&self, now: Timestamp) -> KeyState {
        match self.retired_at {
            Some(retired) if retired <= now => KeyState::Retired {
                published_until: retired + LONGEST_TOKEN_SECONDS,
            },
            _ if self.signs_from > now => KeyState::Next,
            _ => KeyState::Signing,
        }
    }

    pub fn signs_at(&self, now: Timestamp) -> bool {
        self.signs_from <= now && self.retired_at.is_none_or(|retired| now < retired)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Published, and signing once its time comes.
    Next,
    Signing,
    /// No longer signing; published until then for the tokens it signed.
    Retired {
        published_until: Timestamp,
    },
}

/// The key that signs `algorithm` at `now`: of those whose time has come and are not retired,
/// the newest. (Two instances starting at once may each make a first key: the newest wins.)
pub fn signing_key<'k>(keys: &'k [KeyTimes], algorithm: &str, now: Timestamp) -> Option<&'k KeyTimes> {
    keys.iter()
        .filter(|k| k.algorithm == algorithm && k.signs_at(now))
        .max_by_key(|k| k.signs_from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(signs_from: Timestamp, retired_at: Option<Timestamp>) -> KeyTimes {
        KeyTimes {
            algorithm: "RS256".into(),
            signs_from,
            retired_at,
        }
    }

    #[test]
    fn a_rotated_key_is_published_before_it_signs_and_the_old_one_after_it_stops() {
        let rotated_at = 10_000;
        let new = key(rotated_at + PUBLISH_AHEAD_SECONDS, None);
        let old = key(0, Some(new.signs_from));
        let keys = [old.clone(), new.clone()];
        assert_eq!(signing_key(&keys, "RS256", rotated_at), Some(&old));
        assert!(new.is_published(rotated_at));
        assert_eq!(signing_key(&keys, "RS256", new.signs_from), Some(&new));
        assert!(old.is_published(new.signs_from + LONGEST_TOKEN_SECONDS - 1));
        assert!(!old.is_published(new.signs_from + LONGEST_TOKEN_SECONDS));
        assert_eq!(signing_key(&keys, "ES256", rotated_at), None);
        assert_eq!(new.state(rotated_at), KeyState::Next);
        assert_eq!(old.state(rotated_at), KeyState::Signing);
        assert_eq!(new.state(new.signs_from), KeyState::Signing);
        let published_until = new.signs_from + LONGEST_TOKEN_SECONDS;
        assert_eq!(old.state(new.signs_from), KeyState::Retired { published_until });
    }

    #[test]
    fn of_two_first_keys_the_newest_signs() {
        let (a, b) = (key(5, None), key(7, None));
        let keys = [a, b.clone()];
        assert_eq!(signing_key(&keys, "RS256", 8), Some(&b));
        assert_eq!(signing_key(&keys, "RS256", 4), None);
    }
}
