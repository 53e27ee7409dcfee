//! Portico's pages on the way into an app that signs people in through it: back to the
//! authorization endpoint after a sign-in, a request it cannot answer, and no access yet.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use leptos::form::ActionForm;
use locales::Locale;

use crate::api::oidc::consent::{after_app_sign_out, app_consent, AllowApp, ConsentView};
use crate::api::requests::catalog::request_form;
use crate::components::form::{FormFeedback, FormSummary};
use crate::components::language::language;
use crate::components::problem::Problem;

/// The authorization request again, once the person has signed in (its address is where the
/// sign-in sends them). The server sends the browser on; a hydrated page loads the endpoint.
#[component]
pub fn ContinueToAppPage() -> impl IntoView {
    let search = use_location().search.get_untracked();
    let target = format!("/oauth/authorize?{}", search.trim_start_matches('?'));
    // A refresh, not a redirect: this page often follows a form's post (signing in, consenting),
    // and a form's redirects may not leave the site (`form-action 'self'`), as the app's may.
    let refresh = format!("0;url={target}");
    #[cfg(feature = "hydrate")]
    {
        let target = target.clone();
        Effect::new(move || {
            let _ = window().location().replace(&target);
        });
    }
    let l = language();
    view! {
        <Title text=td_string!(l, partner.app_continue_title) />
        <leptos_meta::Meta http_equiv="refresh" content=refresh />
        <section class="card card-narrow">
            <h1>{td_string!(l, partner.app_continue_title)}</h1>
            <p><a class="button button-primary" href=target>{td_string!(l, partner.app_continue)}</a></p>
        </section>
    }
}

/// An app sent the person with a request Portico cannot answer (an unknown app, an address it
/// has not registered): said here, and the person is sent nowhere.
#[component]
pub fn AppSignInProblemPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }
    let query = use_query_map();
    let l = language();
    let reason = move || {
        let code = match query.with(|q| q.get("reason")).as_deref() {
            Some("app_address_not_registered") => "@app_address_not_registered",
            _ => "@unknown_app",
        };
        locales::messages::word(l, code)
    };
    view! {
        <Title text=td_string!(l, partner.app_problem_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, partner.app_problem_title)}</h1>
            <div class="alert alert-error" role="alert">{reason}</div>
            <p>{td_string!(l, partner.app_problem_next)}</p>
            <p><a href="/my-access">{td_string!(l, partner.app_problem_my_access)}</a></p>
        </section>
    }
}

/// A signed-in person without access to the app: the way to ask for it.
#[component]
pub fn NoAppAccessPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let form = Resource::new(slug, request_form);
    let l = language();
    view! {
        <Title text=td_string!(l, partner.app_no_access_title) />
        <section class="card card-narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(info) => {
                            let name = info.resource.name.clone();
                            let href = format!("/request/{}", info.resource.slug);
                            view! {
                                <h1>{td_string!(l, partner.app_no_access, name = name)}</h1>
                                <p>{td_string!(l, partner.app_no_access_explained)}</p>
                                <p><a class="button button-primary" href=href>{td_string!(l, partner.app_request_access)}</a></p>
                            }
                                .into_any()
                        }
                        Err(_) => view! {
                            <h1>{td_string!(l, partner.app_no_access_title)}</h1>
                            <p>{td_string!(l, partner.app_no_access_not_requestable)}</p>
                        }
                            .into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/my-access">{td_string!(l, partner.app_problem_my_access)}</a></p>
        </section>
    }
}

/// An app asked to end the person's portal session without proving it is theirs: they confirm
/// (a plain form, with or without JavaScript), or stay signed in.
#[component]
pub fn AppSignOutPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| query.with(|q| q.get(name)).unwrap_or_default();
    let hidden = ["post_logout_redirect_uri", "state", "client_id"].map(|name| {
        let value = field(name);
        (!value.is_empty()).then(|| view! { <input type="hidden" name=name value=value /> })
    });
    let l = language();
    view! {
        <Title text=td_string!(l, partner.app_sign_out_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, partner.app_sign_out_title)}</h1>
            <p>{td_string!(l, partner.app_sign_out_explained)}</p>
            <form method="post" action="/oauth/end-session" class="form-actions">
                {hidden.into_iter().collect_view()}
                <button type="submit" class="button button-primary">{td_string!(l, partner.app_sign_out)}</button>
                <a href="/my-access">{td_string!(l, partner.app_sign_out_stay)}</a>
            </form>
        </section>
    }
}

/// What an app that is not the organisation's own would learn, and the person's answer.
#[component]
pub fn AppConsentPage() -> impl IntoView {
    let query = use_location().search.get_untracked();
    let ask = Resource::new(move || query.clone(), app_consent);
    let l = language();
    view! {
        <Title text=td_string!(l, partner.app_consent_title) />
        <section class="card card-narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match ask.await {
                        Ok(ask) => view! { <ConsentQuestion ask /> }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn claim_words(l: Locale, claim: &str) -> &'static str {
    match claim {
        "email" => td_string!(l, partner.app_learns_email),
        "name" => td_string!(l, partner.app_learns_name),
        "organisation" => td_string!(l, partner.app_learns_organisation),
        _ => td_string!(l, partner.app_learns_groups),
    }
}

#[component]
fn ConsentQuestion(ask: ConsentView) -> impl IntoView {
    let l = language();
    let query = use_location().search.get_untracked();
    let decline = format!("/oauth/decline?{}", query.trim_start_matches('?'));
    let allow = ServerAction::<AllowApp>::new();
    let feedback = FormFeedback::of(allow);
    let name = ask.app_name.clone();
    view! {
        <h1>{td_string!(l, partner.app_consent_heading, name = name)}</h1>
        <p>{td_string!(l, partner.app_consent_learns)}</p>
        <ul class="consent-claims">
            <li>{td_string!(l, partner.app_learns_id)}</li>
            {ask.claims.iter().map(|claim| view! { <li>{claim_words(l, claim)}</li> }).collect_view()}
        </ul>
        <p class="muted">{td_string!(l, partner.app_consent_withdraw)}</p>
        <FormSummary feedback />
        <div class="form-actions">
            <ActionForm action=allow>
                <input type="hidden" name="query" value=query />
                <button type="submit" class="button button-primary">{td_string!(l, partner.app_allow)}</button>
            </ActionForm>
            <a class="button button-secondary" href=decline rel="external">{td_string!(l, partner.app_decline)}</a>
        </div>
    }
}

/// After signing out on Portico's page: on to the address the app registered for that, by a
/// refresh (a form's redirect may not leave the site), with a link as well.
#[component]
pub fn AfterAppSignOutPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| query.with_untracked(|q| q.get(name)).unwrap_or_default();
    let (client_id, uri, state) = (
        field("client_id"),
        field("post_logout_redirect_uri"),
        query.with_untracked(|q| q.get("state")),
    );
    let target = Resource::new(
        move || (),
        move |_| after_app_sign_out(client_id.clone(), uri.clone(), state.clone()),
    );
    let l = language();
    view! {
        <Title text=td_string!(l, partner.app_signed_out_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, partner.app_signed_out_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    target.await.ok().flatten().map(|url| view! {
                        <leptos_meta::Meta http_equiv="refresh" content=format!("0;url={url}") />
                        <p><a class="button button-primary" href=url rel="external">{td_string!(l, partner.app_back_to_app)}</a></p>
                    })
                })}
            </Suspense>
            <p><a href="/sign-in">{td_string!(l, partner.app_sign_in_again)}</a></p>
        </section>
    }
}
