//! Free-mail providers: addresses anyone can create, so they say nothing about the
//! organisation behind them. Matching includes subdomains (see `policy::domain_matches`).
//! Our own list of widely used providers; an admin can deny more domains in the policy.

pub const FREE_MAIL_DOMAINS: &[&str] = &[
    "163.com",
    "126.com",
    "aim.com",
    "aol.com",
    "att.net",
    "bigpond.com",
    "btinternet.com",
    "comcast.net",
    "cox.net",
    "email.com",
    "fastmail.com",
    "fastmail.fm",
    "free.fr",
    "freenet.de",
    "gmail.com",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hey.com",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "hotmail.it",
    "hushmail.com",
    "icloud.com",
    "inbox.com",
    "laposte.net",
    "libero.it",
    "live.co.uk",
    "live.com",
    "live.de",
    "live.fr",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "naver.com",
    "orange.fr",
    "outlook.com",
    "outlook.de",
    "outlook.fr",
    "pm.me",
    "proton.me",
    "protonmail.ch",
    "protonmail.com",
    "qq.com",
    "rambler.ru",
    "rediffmail.com",
    "rocketmail.com",
    "sbcglobal.net",
    "seznam.cz",
    "sfr.fr",
    "t-online.de",
    "tutanota.com",
    "tuta.io",
    "verizon.net",
    "virgilio.it",
    "web.de",
    "wp.pl",
    "yahoo.co.in",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.de",
    "yahoo.es",
    "yahoo.fr",
    "yahoo.it",
    "yandex.com",
    "yandex.ru",
    "ymail.com",
    "zoho.com",
    "zohomail.com",
];

pub fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL_DOMAINS
        .iter()
        .any(|entry| crate::requests::policy::domain_matches(domain, entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_providers_are_free_mail() {
        assert!(is_free_mail("gmail.com"));
        assert!(is_free_mail("outlook.com"));
        assert!(!is_free_mail("example.com"));
    }

    #[test]
    fn the_list_is_sorted_lowercase_and_unique() {
        let mut sorted = FREE_MAIL_DOMAINS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), FREE_MAIL_DOMAINS.len());
        assert!(FREE_MAIL_DOMAINS.iter().all(|d| d.to_lowercase() == *d));
    }
}
