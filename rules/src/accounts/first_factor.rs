//! How a sign-in began: the first factor, kept with the sign-in so that an app learns it (`amr`).

/// The first step of a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor {
    /// The account's password (staff; the first admin, who sets it on the setup page).
    Password,
    /// A one-time code sent by email.
    EmailCode,
    /// A link sent by email that works once (an invitation, an owner's welcome).
    EmailLink,
    /// The person's own organisation's identity provider.
    Provider,
}

impl FirstFactor {
    pub const ALL: [FirstFactor; 4] = [Self::Password, Self::EmailCode, Self::EmailLink, Self::Provider];

    /// How it is stored with the sign-in.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::EmailCode => "email_code",
            Self::EmailLink => "email_link",
            Self::Provider => "provider",
        }
    }

    /// The stored word read back; `None` for sign-ins made before the first factor was kept.
    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_first_factor_reads_back_as_itself() {
        for factor in FirstFactor::ALL {
            assert_eq!(FirstFactor::parse(factor.as_str()), Some(factor));
        }
        assert_eq!(FirstFactor::parse(""), None);
    }
}
