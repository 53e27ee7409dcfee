//! Admin: the keys that sign the tokens apps receive when partners sign in to them through
//! Portico, and rotating them.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date_time;

use crate::api::oidc::signing_keys::{signing_keys, KeyStanding, RotateSigningKeys, SigningKeyView};
use crate::components::language::language;
use crate::components::problem::Problem;

#[component]
pub fn AdminSigningKeysPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let keys = Resource::new(move || query.get(), |_| signing_keys());
    let rotated = move || query.with(|q| q.get("rotated").is_some());
    let rotate = ServerAction::<RotateSigningKeys>::new();
    view! {
        <Title text=td_string!(l, admin_system.signing_keys) />
        <section class="card">
            <h1>{td_string!(l, admin_system.signing_keys)}</h1>
            <p class="muted">{td_string!(l, admin_system.signing_keys_intro)}</p>
            {move || rotated().then(|| view! {
                <div class="alert alert-success" role="status">{td_string!(l, admin_system.keys_rotated)}</div>
            })}
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(keys) => view! { <KeyTable keys /> }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>{td_string!(l, admin_system.rotate_keys)}</h2>
            <p>{td_string!(l, admin_system.rotate_keys_intro)}</p>
            <ActionForm action=rotate>
                <div class="form-actions">
                    <button type="submit" class="button button-secondary">{td_string!(l, admin_system.rotate_keys)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn KeyTable(keys: Vec<SigningKeyView>) -> impl IntoView {
    let l = language();
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_system.signing_keys)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, admin_system.key_id)}</th>
                    <th scope="col">{td_string!(l, admin_system.algorithm)}</th>
                    <th scope="col">{td_string!(l, admin_system.made)}</th>
                    <th scope="col">{td_string!(l, admin_system.status)}</th>
                </tr></thead>
                <tbody>
                    {keys.into_iter().map(|key| {
                        let standing = match key.standing {
                            KeyStanding::Signing => td_string!(l, admin_system.key_signing).to_string(),
                            KeyStanding::Next { signs_from } => locales::messages::word(
                                l,
                                &rules::message::with("key_signs_from", &[("time", &date_time(l, signs_from))]),
                            ),
                            KeyStanding::Retired { published_until } => locales::messages::word(
                                l,
                                &rules::message::with("key_published_until", &[("time", &date_time(l, published_until))]),
                            ),
                        };
                        view! {
                            <tr>
                                <td><code>{key.kid}</code></td>
                                <td>{key.algorithm}</td>
                                <td>{date_time(l, key.created_at)}</td>
                                <td>{standing}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
