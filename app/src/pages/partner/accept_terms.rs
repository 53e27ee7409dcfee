//! The portal's terms of use. Drawn without the router (`crate::plain_page`).

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::administration::settings::{terms_offer, AcceptTerms, TermsToRead};
use crate::components::form::{FormFeedback, FormSummary, SubmitButton};
use crate::components::here::here;
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::plain_page::Drawn;
use leptos_i18n::td_string;
use locales::dates::date;

/// The portal's terms of use; a partner who has not accepted the version in force accepts it
/// here (sign-in sends them here first, with where to go on to in `?next`).
pub async fn terms_page() -> Drawn {
    let l = language();
    let next = here().query.get_untracked().get("next").unwrap_or_default();
    let body = match terms_offer().await {
        Ok(offer) => view! { <Terms offer next /> }.into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    Drawn {
        title: td_string!(l, invitation.terms_title).to_string(),
        body,
    }
}

#[component]
fn Terms(offer: TermsToRead, next: String) -> impl IntoView {
    let action = ServerAction::<AcceptTerms>::new();
    let feedback = FormFeedback::of(action);
    let l = language();
    let Some(terms) = offer.terms else {
        return view! {
            <section class="card card-medium">
                <h1>{td_string!(l, invitation.terms_title)}</h1>
                <p class="empty">{td_string!(l, invitation.no_terms)}</p>
            </section>
        }
        .into_any();
    };
    view! {
        <section class="card card-medium">
            <h1>{td_string!(l, invitation.terms_title)}</h1>
            <p class="muted">{td_string!(l, invitation.terms_version, version = terms.version, date = date(l, terms.published_at)).to_string()}</p>
            {offer.must_accept.then(|| view! {
                <p class="alert alert-info">{td_string!(l, invitation.terms_changed)}</p>
            })}
            <div class="terms-text" tabindex="0" aria-label=td_string!(l, invitation.the_terms)>
                {rules::translated::pick(&terms.text, &terms.translations, locales::tag(l)).to_string()}
            </div>
            {if offer.must_accept {
                view! {
                    <FormSummary feedback />
                    <ActionForm action>
                        <input type="hidden" name="version" value=terms.version />
                        <input type="hidden" name="next" value=next />
                        <div class="form-actions">
                            <SubmitButton label=td_string!(l, invitation.i_accept) busy_label=td_string!(l, invitation.saving) pending=action.pending() />
                        </div>
                    </ActionForm>
                }.into_any()
            } else if offer.signed_in {
                view! { <p class="alert alert-success">{td_string!(l, invitation.accepted_already)}</p> }.into_any()
            } else {
                ().into_any()
            }}
        </section>
    }
    .into_any()
}
