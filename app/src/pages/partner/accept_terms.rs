use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::settings::{terms_offer, AcceptTerms, TermsToRead};
use crate::components::form::{FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::dates::format_date;

/// The portal's terms of use; a partner who has not accepted the version in force accepts it
/// here (sign-in sends them here first).
#[component]
pub fn AcceptTermsPage() -> impl IntoView {
    let offer = Resource::new(|| (), |_| terms_offer());
    view! {
        <Title text="Terms of use" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) => view! { <Terms offer /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Terms(offer: TermsToRead) -> impl IntoView {
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
    let action = ServerAction::<AcceptTerms>::new();
    let feedback = FormFeedback::of(action);
    let Some(terms) = offer.terms else {
        return view! {
            <section class="card card-medium">
                <h1>"Terms of use"</h1>
                <p class="empty">"This portal has no terms of use."</p>
            </section>
        }
        .into_any();
    };
    view! {
        <section class="card card-medium">
            <h1>"Terms of use"</h1>
            <p class="muted">{format!("Version {}, published {}.", terms.version, format_date(terms.published_at))}</p>
            {offer.must_accept.then(|| view! {
                <p class="alert alert-info">"The terms of use have changed since you last accepted them. Read them and accept to go on."</p>
            })}
            <div class="terms-text" tabindex="0" aria-label="The terms">{terms.text}</div>
            {if offer.must_accept {
                view! {
                    <FormSummary feedback />
                    <ActionForm action>
                        <input type="hidden" name="version" value=terms.version />
                        <input type="hidden" name="next" value=next />
                        <div class="form-actions">
                            <SubmitButton label="I accept these terms" busy_label="Saving…" pending=action.pending() />
                        </div>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="alert alert-success">"You have accepted this version."</p> }.into_any()
            }}
        </section>
    }
    .into_any()
}
