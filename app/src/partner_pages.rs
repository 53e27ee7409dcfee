//! The pages a partner sees before and after being let in: the catalog, the request form and its
//! receipt, the request's status, the invitation, My access and the terms. They are sent as plain
//! HTML without the app's script: every one of them works fully without JavaScript (the
//! end-to-end suite runs each journey with JavaScript off), so a partner downloads no wasm at all,
//! and none of the staff and admin code. Staff pages, sign-in included (it validates as you type),
//! load the script and hydrate; from there, links to these pages render in the browser as before.

/// True for the address of a partner page (path only, without the query).
pub fn is_partner_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        [""] | ["request", _]
            | ["request", _, "sent"]
            | ["status", _]
            | ["invite", _]
            | ["my-access"]
            | ["terms"]
    )
}

#[cfg(test)]
mod tests {
    use super::is_partner_page;

    #[test]
    fn partner_pages_are_told_from_staff_pages() {
        for path in [
            "/",
            "/request/crm",
            "/request/crm/sent",
            "/status/abc",
            "/invite/xyz",
            "/my-access",
            "/terms",
        ] {
            assert!(is_partner_page(path), "{path}");
        }
        for path in [
            "/sign-in",
            "/review",
            "/review/4",
            "/admin",
            "/admin/audit",
            "/my-resources",
            "/resources/3",
            "/setup/abc",
            "/welcome/abc",
            "/request",
            "/request/crm/other",
            "/invite/xyz/extra",
        ] {
            assert!(!is_partner_page(path), "{path}");
        }
    }
}
