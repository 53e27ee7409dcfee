//! What a page shows when its data could not be had: a sign-in prompt, a refusal, a not-found,
//! or a failure; on the server it also sets the matching status code.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use rules::error::AppError;
use rules::list_filter::url_encode;

#[component]
pub fn Problem(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let location = use_location();
    let here = location.pathname.get_untracked() + &location.search.get_untracked();
    let next: String = url_encode(&here);
    match error {
        AppError::Unauthenticated => view! {
            <section class="card card-narrow">
                <h1>"Please sign in"</h1>
                <p>"This page shows your own information, so you need to sign in first."</p>
                <p><a class="button button-primary" href=format!("/sign-in?next={next}")>"Sign in"</a></p>
            </section>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <section class="card card-narrow">
                <h1>"Not available to you"</h1>
                <p>"Your account cannot use this page. If you think it should, ask an admin of the portal."</p>
                <p><a href="/">"Go to the start page"</a></p>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! {
            <section class="card card-narrow">
                <h1>"Not found"</h1>
                <p>"We could not find this. The link may be mistyped, or what it pointed to may be gone."</p>
                <p><a href="/">"Go to the start page"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="card card-narrow">
                <h1>"Something went wrong"</h1>
                <div class="alert alert-error" role="alert">{other.to_string()}</div>
                <p><a href="/">"Go to the start page"</a></p>
            </section>
        }
        .into_any(),
    }
}
