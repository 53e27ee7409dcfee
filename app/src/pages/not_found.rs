use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::components::language::language;

/// Answers unknown paths with a real 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let l = language();
    view! {
        <Title text=td_string!(l, not_found.title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, not_found.title)}</h1>
            <p>{td_string!(l, not_found.explanation)}</p>
            <p><a href="/">{td_string!(l, not_found.start_page)}</a></p>
        </section>
    }
}
