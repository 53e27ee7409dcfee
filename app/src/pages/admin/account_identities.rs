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
    let action = ServerAction::<UnlinkIdentity>::new();
    view! {
        <Title text=td_string!(l, admin_access.accounts) />
        <section class="card card-medium">
            <p><a href="/admin/accounts">{td_string!(l, admin_access.all_accounts)}</a></p>
            {unlinked.then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, admin_access.sign_in_unlinked)}</div> })}
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_access.loading)}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => view! {
                            <h1>{account.display_name}</h1>
                            <p class="muted">{account.email}</p>
                            <h2>{td_string!(l, admin_access.linked_sign_ins)}</h2>
                            <p class="muted">{td_string!(l, admin_access.unlink_intro)}</p>
                            <IdentityTable identities=account.identities unlink=Some((account.account_id, action)) />
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
