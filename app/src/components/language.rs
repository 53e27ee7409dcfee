//! The page's language. The server chooses it for each request (server/src/languages.rs); the
//! i18n context takes it from there while rendering, and in the browser from `<html lang>`, so
//! hydration starts in the language the page arrived in.

use leptos::prelude::*;
use locales::{use_i18n, Locale};

/// The language of this page (not reactive: choosing another reloads the page).
pub fn language() -> Locale {
    use_i18n().get_locale_untracked()
}

/// The language this request is answered in, as the server chose it.
#[cfg(feature = "ssr")]
pub use crate::api::session::request_language;

/// Provides the i18n context around the app, in the request's language. (Not leptos_i18n's
/// provider component: it adds an empty inline script, which the Content-Security-Policy's
/// every-script-has-the-nonce rule refuses, and a `<html lang>` the shell already writes.)
#[component]
pub fn Languages(children: Children) -> impl IntoView {
    provide_language();
    children()
}

/// The i18n context, in the request's language (on the server), for what is drawn below.
pub fn provide_language() {
    let i18n = leptos_i18n::context::init_i18n_context::<Locale>();
    provide_context(i18n);
    #[cfg(feature = "ssr")]
    i18n.set_locale(request_language());
}

/// The header's language switcher: one button for each other language, in its own language.
/// A plain form (no JavaScript needed): the server remembers the choice and sends the person
/// back to the page they were on, now in the chosen language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let here = language();
    let page = crate::components::here::here();
    let back = move || page.address();
    let label = leptos_i18n::td_string!(here, frame.switch_language);
    view! {
        <form method="post" action="/api/set_language" class="language-switch" aria-label=label>
            <input type="hidden" name="back" value=back />
            {locales::all().iter().copied().filter(|l| *l != here).map(|other| {
                let tag = locales::tag(other);
                view! {
                    <button type="submit" name="language" value=tag lang=tag class="button-link">
                        {own_name(other)}
                    </button>
                }
            }).collect_view()}
        </form>
    }
}

/// Each language Portico speaks, by its tag, named in its own language (for a select).
pub fn spoken_languages() -> Vec<(String, String)> {
    locales::all()
        .iter()
        .map(|l| (locales::tag(*l).to_string(), own_name(*l).to_string()))
        .collect()
}

/// The language of the emails an invitation sends (field `name`): `default` (the portal's
/// default language) is chosen at first; what was typed stays chosen after a refusal.
#[component]
pub fn MessageLanguageField(
    #[prop(into)] name: String,
    #[prop(into)] default: String,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional, into)] typed: MaybeProp<String>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    use crate::components::form::{field_id, SelectField};
    let id = id.unwrap_or_else(|| field_id(&name));
    let selected = Signal::derive(move || {
        typed
            .get()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| default.clone())
    });
    let l = language();
    view! {
        <SelectField label=leptos_i18n::td_string!(l, common.message_language) name=name options=spoken_languages()
            hint=leptos_i18n::td_string!(l, common.message_language_hint)
            error=error selected=selected id=id />
    }
}

/// A language's name in that language ("Nederlands"), as a switcher shows it.
pub fn own_name(language: Locale) -> &'static str {
    leptos_i18n::td_string!(language, frame.language_name)
}

/// How a person's role reads in `language`: admin, staff or partner.
pub fn role_name(language: Locale, viewer: &rules::accounts::account::Viewer) -> &'static str {
    if viewer.is_admin {
        leptos_i18n::td_string!(language, frame.role_admin)
    } else if viewer.is_staff {
        leptos_i18n::td_string!(language, frame.role_staff)
    } else {
        leptos_i18n::td_string!(language, frame.role_partner)
    }
}

/// In the browser: when the language cookie names another language than the page's (signing in
/// brought back a saved preference, or another tab switched), the next navigation loads the page
/// afresh, in that language. Without JavaScript every navigation is a fresh load anyway.
#[component]
pub fn FollowLanguageCookie() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let here = crate::components::here::here();
        Effect::new(move |_| {
            here.path.track();
            let chosen = cookie_language();
            if chosen.is_some_and(|chosen| chosen != language()) {
                let _ = window().location().reload();
            }
        });
    }
}

/// The language the cookie names, if Portico speaks it.
#[cfg(feature = "hydrate")]
fn cookie_language() -> Option<Locale> {
    use rules::languages::LANGUAGE_COOKIE;
    let cookies = js_sys::Reflect::get(&document(), &"cookie".into())
        .ok()?
        .as_string()?;
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .and_then(|(_, value)| locales::from_tag(value))
}
