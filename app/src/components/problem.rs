//! What a page shows when its data could not be had: a sign-in prompt, a refusal, a not-found,
//! or a failure; on the server it also sets the matching status code.

use crate::components::here::here;
use crate::components::language::language;
use leptos::prelude::*;
use leptos_i18n::td_string;

use locales::Locale;
use rules::error::AppError;
use rules::list_filter::url_encode;

#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    let l = language();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let here = untrack(|| here().address());
    let next: String = url_encode(&here);
    match error {
        AppError::Unauthenticated => view! {
            <section class="card card-narrow">
                <h1>{td_string!(l, common.please_sign_in)}</h1>
                <p>{td_string!(l, common.this_page_shows_your_own)}</p>
                <p><a class="button button-primary" href=format!("/sign-in?next={next}")>{td_string!(l, common.sign_in)}</a></p>
            </section>
        }
        .into_any(),
        AppError::SecondFactorNeeded => view! {
            <section class="card card-narrow">
                <h1>{td_string!(l, common.second_step_needed)}</h1>
                <p>{td_string!(l, common.second_step_needed_intro)}</p>
                <p><a class="button button-primary" href=format!("/sign-in/second-factor?next={next}")>{td_string!(l, common.continue_to_second_step)}</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="card card-narrow">
                <h1>{td_string!(l, common.not_available_to_you)}</h1>
                <p>{td_string!(l, common.your_account_cannot_use_this)}</p>
                <p><a href="/">{td_string!(l, common.go_to_the_start_page)}</a></p>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! {
            <section class="card card-narrow">
                <h1>{td_string!(l, common.not_found)}</h1>
                <p>{td_string!(l, common.we_could_not_find_this)}</p>
                <p><a href="/">{td_string!(l, common.go_to_the_start_page)}</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="card card-narrow">
                <h1>{td_string!(l, common.something_went_wrong)}</h1>
                <div class="alert alert-error" role="alert">{error_text(l, &other)}</div>
                <p><a href="/">{td_string!(l, common.go_to_the_start_page)}</a></p>
            </section>
        }
        .into_any(),
    }
}

/// One sentence about an error, in `l`: a refusal carries its own words, the rest are ours.
pub fn error_text(l: Locale, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) => td_string!(l, common.error_invalid).to_string(),
        AppError::Refused(text) => locales::messages::word(l, text),
        AppError::Unauthenticated => td_string!(l, common.error_unauthenticated).to_string(),
        AppError::Forbidden => td_string!(l, common.error_forbidden).to_string(),
        AppError::SecondFactorNeeded => locales::messages::word(l, "@second_factor_needed"),
        AppError::NotFound => td_string!(l, common.error_not_found).to_string(),
        AppError::Throttled(seconds) => td_string!(l, common.error_throttled, seconds).to_string(),
        AppError::Internal => td_string!(l, common.error_internal).to_string(),
        AppError::Transport(_) => td_string!(l, common.error_transport).to_string(),
    }
}
