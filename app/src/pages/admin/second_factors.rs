//! The admin settings' section on second factors: whom the portal asks for one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::api::mfa::requirement::SaveSecondFactorPolicy;
use crate::components::form::{CheckboxField, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use rules::mfa::requirement::SecondFactorPolicy;

#[component]
pub fn SecondFactorPolicyForm(policy: SecondFactorPolicy) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveSecondFactorPolicy>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <p class="muted">{td_string!(l, admin_system.second_factors_intro)}</p>
        <FormSummary feedback />
        <ActionForm action>
            <CheckboxField label=td_string!(l, admin_system.second_factor_for_admins) name="admins"
                checked=Signal::derive(move || policy.admins) />
            <CheckboxField label=td_string!(l, admin_system.second_factor_for_owners) name="owners"
                checked=Signal::derive(move || policy.owners) />
            <CheckboxField label=td_string!(l, admin_system.second_factor_for_partners) name="partners"
                checked=Signal::derive(move || policy.partners) />
            <p class="field-hint">{td_string!(l, admin_system.second_factors_hint)}</p>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.save_second_factors) busy_label=td_string!(l, admin_system.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// An account's own requirement, on the admin's account page: on or off for this one person.
#[component]
pub fn AccountRequirement(account_id: i64) -> impl IntoView {
    use crate::api::mfa::requirement::{account_second_factor_required, RequireSecondFactorOf};
    use crate::components::problem::Problem;
    let l = language();
    // Read again after a change, which comes back to this page with `?required=…`.
    let search = leptos_router::hooks::use_location().search;
    let required = Resource::new(
        move || (account_id, search.get()),
        |(id, _)| account_second_factor_required(id),
    );
    let action = ServerAction::<RequireSecondFactorOf>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match required.await {
                    Ok(required) => {
                        let (said, button, value) = if required {
                            (td_string!(l, admin_access.second_step_required_of_person), td_string!(l, admin_access.stop_requiring_second_step), "no")
                        } else {
                            (td_string!(l, admin_access.second_step_not_required_of_person), td_string!(l, admin_access.require_second_step), "yes")
                        };
                        view! {
                            <p data-testid="second-step-requirement">{said}</p>
                            <FormSummary feedback />
                            <ActionForm action>
                                <input type="hidden" name="account_id" value=account_id />
                                <input type="hidden" name="required" value=value />
                                <div class="form-actions">
                                    <button type="submit" class="button button-secondary">{button}</button>
                                </div>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
