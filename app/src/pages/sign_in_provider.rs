use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::api::federation::sign_in::{federation_next_stop, federation_problem, RetryFederation};
use crate::components::language::language;

/// Where a sign-in at the partner's own provider ends when it did not work: what happened in
/// plain words, a way to try another account, and a way back.
#[component]
pub fn SignInProviderPage() -> impl IntoView {
    let problem = Resource::new(|| (), |_| federation_problem());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.provider_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.provider_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match problem.await.ok().flatten() {
                        Some(problem) => view! {
                            <p class="form-summary" role="alert">{locales::messages::word(l, &problem.message)}</p>
                            <RetryButton can_retry=problem.can_retry />
                            <p><a href=problem.start_again>{td_string!(l, sign_in.provider_start_again)}</a></p>
                        }.into_any(),
                        None => view! { <NothingWaiting /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RetryButton(can_retry: bool) -> impl IntoView {
    let l = language();
    let action = ServerAction::<RetryFederation>::new();
    can_retry.then(|| view! {
        <ActionForm action>
            <div class="form-actions">
                <button type="submit" class="button button-primary">{td_string!(l, sign_in.provider_try_other)}</button>
            </div>
        </ActionForm>
    })
}

/// On the way to the partner's provider after a plain form post (a form's redirect may not
/// leave the site): goes on by itself, with a link for browsers that do not follow the refresh.
#[component]
pub fn ContinueToProviderPage() -> impl IntoView {
    let next = Resource::new(|| (), |_| federation_next_stop());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.provider_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.provider_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match next.await.ok().flatten() {
                        Some((provider, url)) => view! {
                            <leptos_meta::Meta http_equiv="refresh" content=format!("0;url={url}") />
                            <p>{td_string!(l, sign_in.provider_going, provider = &provider).to_string()}</p>
                            <p><a class="button button-primary" href=url>{td_string!(l, sign_in.provider_continue, provider = &provider).to_string()}</a></p>
                        }.into_any(),
                        None => view! { <NothingWaiting /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// No trip to a provider is waiting in this browser: the way back to signing in.
#[component]
fn NothingWaiting() -> impl IntoView {
    let l = language();
    view! {
        <p>{td_string!(l, sign_in.provider_nothing)}</p>
        <p><a href="/sign-in">{td_string!(l, sign_in.provider_start_again)}</a></p>
    }
}
