//! The apps a person allowed to sign them in (apps that are not the organisation's own), each
//! with a way to withdraw that.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::hooks::use_query_map;
use locales::dates::date;

use crate::api::oidc::consent::{my_app_consents, WithdrawAppConsent};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::language::language;

#[component]
pub fn AppConsentsSection() -> impl IntoView {
    let l = language();
    let withdraw = ServerAction::<WithdrawAppConsent>::new();
    let feedback = FormFeedback::of(withdraw);
    let consents = Resource::new(move || withdraw.version().get(), |_| my_app_consents());
    let withdrawn = use_query_map().with_untracked(|q| q.get("withdrawn").is_some());
    view! {
        <h2>{td_string!(l, partner.apps_allowed)}</h2>
        {withdrawn.then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, partner.app_withdrawn)}</div> })}
        <FormSummary feedback />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let consents = consents.await.unwrap_or_default();
                if consents.is_empty() {
                    return view! { <p class="empty">{td_string!(l, partner.apps_allowed_none)}</p> }.into_any();
                }
                view! {
                    <ul class="plain-list">
                        {consents.into_iter().map(|c| {
                            let name = c.app_name.clone();
                            view! {
                                <li class="list-row">
                                    <span><strong>{c.app_name}</strong>" "
                                        <span class="muted">{td_string!(l, partner.app_allowed_on, date = date(l, c.given_at)).to_string()}</span></span>
                                    <ActionForm action=withdraw>
                                        <input type="hidden" name="client_id" value=c.client_id />
                                        {row_button(td_string!(l, partner.app_withdraw), &name, true)}
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </Suspense>
    }
}
