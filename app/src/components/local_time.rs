//! A moment shown in the reader's own time zone.

use leptos::prelude::*;
use locales::dates::date_time;
use locales::Locale;
use rules::dates::machine_date_time;

use crate::components::language::language;

/// Rendered by the server in UTC ("4 Dec 2026, 06:47 UTC"), so it reads right without
/// JavaScript; once the page is live the browser writes it again in its own time zone, in the
/// page's language.
#[component]
pub fn LocalTime(at: i64) -> impl IntoView {
    let l = language();
    let utc = date_time(l, at);
    let text = RwSignal::new(utc.clone());
    Effect::new(move |_| {
        if let Some(local) = in_browser_zone(l, at) {
            text.set(local);
        }
    });
    view! { <time datetime=machine_date_time(at) title=utc>{text}</time> }
}

#[cfg(feature = "hydrate")]
fn in_browser_zone(l: Locale, at: i64) -> Option<String> {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64 * 1000.0));
    let options = js_sys::Object::new();
    let parts = [
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
        ("timeZoneName", "short"),
    ];
    for (key, value) in parts {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    // British English writes the day before the month, as the server does.
    let written_as = match locales::tag(l) {
        "en" => "en-GB",
        other => other,
    };
    Some(date.to_locale_string(written_as, &options).into())
}

#[cfg(not(feature = "hydrate"))]
fn in_browser_zone(_l: Locale, _at: i64) -> Option<String> {
    None
}
