//! Words more than one page uses for stored values, in the reader's language.

use leptos_i18n::td_string;
use locales::Locale;
use rules::administration::resource::ResourceKind;

/// "App" or "Group", in `l`.
pub fn kind_name(l: Locale, kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::App => td_string!(l, home.kind_app),
        ResourceKind::Group => td_string!(l, home.kind_group),
    }
}

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
