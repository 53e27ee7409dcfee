//! Words more than one page uses for stored values, in the reader's language.

use leptos_i18n::td_string;
use locales::Locale;

/// How a stored source (of an invitation or a membership) reads on a page.
pub fn source_name(l: Locale, source: &str) -> &'static str {
    match source {
        "request" => td_string!(l, common.source_request),
        "auto_approve" => td_string!(l, common.source_auto_approve),
        "invite" => td_string!(l, common.source_invite),
        "bulk" => td_string!(l, common.source_bulk),
        "api" => td_string!(l, common.source_api),
        _ => td_string!(l, common.source_other),
    }
}
