//! A moment shown in the reader's own time zone.

use leptos::prelude::*;
use rules::dates::{format_date_time, machine_date_time};

/// Rendered by the server in UTC ("4 Dec 2026, 06:47 UTC"), so it reads right without
/// JavaScript; once the page is live the browser writes it again in its own time zone.
#[component]
pub fn LocalTime(at: i64) -> impl IntoView {
    let text = RwSignal::new(format_date_time(at));
    Effect::new(move |_| {
        if let Some(local) = in_browser_zone(at) {
            text.set(local);
        }
    });
    view! { <time datetime=machine_date_time(at) title=format_date_time(at)>{text}</time> }
}

#[cfg(feature = "hydrate")]
fn in_browser_zone(at: i64) -> Option<String> {
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
    Some(date.to_locale_string("en-GB", &options).into())
}

#[cfg(not(feature = "hydrate"))]
fn in_browser_zone(_at: i64) -> Option<String> {
    None
}
