//! The page's language. The server chooses it for each request (server/src/languages.rs); the
//! i18n context takes it from there while rendering, and in the browser from `<html lang>`, so
//! hydration starts in the language the page arrived in.

use leptos::prelude::*;
use locales::{use_i18n, I18nContextProvider, Locale};

/// The language of this page (not reactive: choosing another reloads the page).
pub fn language() -> Locale {
    use_i18n().get_locale_untracked()
}

/// The language this request is answered in, as the server chose it.
#[cfg(feature = "ssr")]
pub fn request_language() -> Locale {
    use crate::state::RequestLanguage;
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestLanguage>().copied())
        .map_or(locales::all()[0], |RequestLanguage(language)| language)
}

/// Provides the i18n context around the app, in the request's language.
#[component]
pub fn Languages(children: Children) -> impl IntoView {
    view! {
        <I18nContextProvider set_lang_attr_on_html=false set_dir_attr_on_html=false>
            <InRequestLanguage children />
        </I18nContextProvider>
    }
}

#[component]
fn InRequestLanguage(children: Children) -> impl IntoView {
    #[cfg(feature = "ssr")]
    use_i18n().set_locale(request_language());
    children()
}

/// The header's language switcher: one button for each other language, in its own language.
/// A plain form (no JavaScript needed): the server remembers the choice and sends the person
/// back to the page they were on, now in the chosen language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let here = language();
    let location = leptos_router::hooks::use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
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
