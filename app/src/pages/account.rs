use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use locales::dates::date;

use crate::api::federation::identities::{my_account, IdentityView};
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::pages::account_apps::AppConsentsSection;
use crate::pages::account_mfa::SecondFactorsSection;

/// The signed-in person's own account: who they are here and how they sign in.
#[component]
pub fn AccountPage() -> impl IntoView {
    let l = language();
    let account = Resource::new(|| (), |_| my_account());
    view! {
        <Title text=td_string!(l, partner.your_account) />
        <section class="card card-medium">
            <h1>{td_string!(l, partner.your_account)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, partner.loading)}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(account) => view! {
                            <dl class="facts">
                                <dt>{td_string!(l, partner.name)}</dt><dd>{account.display_name}</dd>
                                <dt>{td_string!(l, partner.email_address)}</dt><dd>{account.email}</dd>
                                <dt>{td_string!(l, partner.password)}</dt>
                                <dd>{if account.has_password { td_string!(l, partner.has_password) } else { td_string!(l, partner.no_password) }}</dd>
                            </dl>
                            <SecondFactorsSection />
                            <h2>{td_string!(l, partner.linked_sign_ins)}</h2>
                            <IdentityTable identities=account.identities unlink=None />
                            <AppConsentsSection />
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Sign-ins linked from the person's own providers; with `unlink` (an admin's page) each row
/// has a button that unlinks it.
#[component]
pub fn IdentityTable(
    identities: Vec<IdentityView>,
    unlink: Option<(
        i64,
        ServerAction<crate::api::federation::identities::UnlinkIdentity>,
    )>,
) -> impl IntoView {
    use leptos::form::ActionForm;
    let l = language();
    if identities.is_empty() {
        return view! { <p class="empty">{td_string!(l, partner.no_linked_sign_ins)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, partner.linked_sign_ins)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, partner.provider)}</th>
                    <th scope="col">{td_string!(l, partner.email_address)}</th>
                    <th scope="col">{td_string!(l, partner.linked_on)}</th>
                    <th scope="col">{td_string!(l, partner.last_used)}</th>
                    {unlink.is_some().then(|| view! { <th scope="col"><span class="visually-hidden">{td_string!(l, partner.actions)}</span></th> })}
                </tr></thead>
                <tbody>
                    {identities.into_iter().map(|i| view! {
                        <tr>
                            <td>{i.provider.clone()}</td>
                            <td>{i.email}</td>
                            <td>{date(l, i.linked_at)}</td>
                            <td>{date(l, i.last_used_at)}</td>
                            {unlink.map(|(account_id, action)| view! { <td>
                                <ActionForm action>
                                    <input type="hidden" name="account_id" value=account_id />
                                    <input type="hidden" name="link_id" value=i.id />
                                    <button type="submit" class="button button-danger button-small">{td_string!(l, partner.unlink)}</button>
                                </ActionForm>
                            </td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
