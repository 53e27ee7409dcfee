use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::federation::identities::{account_identities, UnlinkIdentity};
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::pages::account::IdentityTable;

/// Admin: one account's linked sign-ins, each of which can be unlinked.
#[component]
pub fn AdminAccountPage() -> impl IntoView {
    let l = language();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let location = leptos_router::hooks::use_location();
    let account = Resource::new(
        move || (id(), location.search.get()),
        |(id, _)| account_identities(id),
    );
    let unlinked = use_query_map().with_untracked(|q| q.get("unlinked").is_some());
    let query = use_query_map();
    let reset = move || query.with(|q| q.get("reset").is_some());
    let action = ServerAction::<UnlinkIdentity>::new();
    view! {
        <Title text=td_string!(l, admin_access.accounts) />
        <section class="card card-medium">
            <p><a href="/admin/accounts">{td_string!(l, admin_access.all_accounts)}</a></p>
            {unlinked.then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, admin_access.sign_in_unlinked)}</div> })}
            {move || reset().then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, admin_access.second_step_was_reset)}</div> })}
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_access.loading)}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => view! {
                            <h1>{account.display_name}</h1>
                            <p class="muted">{account.email}</p>
                            <h2>{td_string!(l, admin_access.linked_sign_ins)}</h2>
                            <p class="muted">{td_string!(l, admin_access.unlink_intro)}</p>
                            <IdentityTable identities=account.identities unlink=Some((account.account_id, action)) />
                            <AccountSecondFactors account_id=account.account_id />
                            <crate::pages::admin::second_factors::AccountRequirement account_id=account.account_id />
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The person's second factors as an admin sees them, with the reset.
#[component]
fn AccountSecondFactors(account_id: i64) -> impl IntoView {
    use crate::api::mfa::reset::{account_second_factors, ResetSecondFactors};
    use leptos::form::ActionForm;
    let l = language();
    // Read again after the reset, which comes back to this page with `?reset=1`.
    let search = leptos_router::hooks::use_location().search;
    let factors = Resource::new(
        move || (account_id, search.get()),
        |(id, _)| account_second_factors(id),
    );
    let action = ServerAction::<ResetSecondFactors>::new();
    let feedback = crate::components::form::FormFeedback::of(action);
    view! {
        <h2>{td_string!(l, admin_access.second_step)}</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match factors.await {
                    Ok(f) if f.is_empty() => view! {
                        <p class="muted">{td_string!(l, admin_access.no_second_step)}</p>
                    }.into_any(),
                    Ok(f) => view! {
                        <p>{(!f.authenticators.is_empty()).then(|| locales::messages::counted(l, "authenticators_and_codes", f.authenticators.len() as i64) + " ")}
                            {(!f.passkeys.is_empty()).then(|| locales::messages::counted(l, "passkeys_count", f.passkeys.len() as i64) + " ")}
                            {locales::messages::counted(l, "recovery_codes_unused", f.recovery_codes_left)}</p>
                        <p class="muted">{td_string!(l, admin_access.reset_intro)}</p>
                        <crate::components::form::FormSummary feedback />
                        <ActionForm action>
                            <input type="hidden" name="account_id" value=account_id />
                            <div class="form-actions">
                                <button type="submit" class="button button-danger">{td_string!(l, admin_access.reset_second_step)}</button>
                            </div>
                        </ActionForm>
                    }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
