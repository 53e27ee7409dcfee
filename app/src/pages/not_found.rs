use leptos::prelude::*;
use leptos_meta::Title;

/// Answers unknown paths with a real 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="card card-narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have been mistyped, or the link may be out of date."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}
