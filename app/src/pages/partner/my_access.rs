//! My access: what the signed-in person can use, and what they have asked for. Drawn without the
//! router (`crate::plain_page`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::memberships::my_access::{my_access, HeldAccess, LeaveResource, MyAccessView};
use crate::components::here::here;
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::plain_page::Drawn;
use leptos_i18n::td_string;
use locales::dates::{date, date_from_now};
use rules::requests::access_request::RequestState;

/// Reads the person's access and draws the page; `?joined` and `?left` say what just happened.
pub async fn my_access_page() -> Drawn {
    let l = language();
    let query = here().query.get_untracked();
    let joined = query.get("joined").is_some();
    let left = query.get("left").is_some();
    let body = match my_access().await {
        Ok(view) => view! {
            {joined.then(|| view! {
                <div class="alert alert-success" role="status">{td_string!(l, partner.joined)}</div>
            })}
            {view.continue_to.clone().map(|(name, url)| view! {
                <p class="continue-to">
                    <a class="button button-primary" href=url rel="noopener noreferrer">{td_string!(l, partner.continue_to, name).to_string()}</a>
                </p>
            })}
            {left.then(|| view! {
                <div class="alert alert-info" role="status">{td_string!(l, partner.left)}</div>
            })}
            <AccessLists view />
        }
        .into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    Drawn {
        title: td_string!(l, partner.my_access_title).to_string(),
        body,
    }
}

#[component]
fn AccessLists(view: MyAccessView) -> impl IntoView {
    let requests = view.requests;
    let l = language();
    view! {
        <section class="card">
            <h1>{td_string!(l, partner.my_access_title)}</h1>
            {if view.held.is_empty() {
                view! { <p class="empty">{td_string!(l, partner.no_access)}</p> }.into_any()
            } else {
                view! {
                    <ul class="access-tiles" aria-label=td_string!(l, partner.resources_you_can_use)>
                        {view.held.into_iter().map(|held| view! { <HeldTile held now=view.now /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="card">
            <h2>{td_string!(l, partner.my_requests)}</h2>
            {if requests.is_empty() {
                view! { <p class="empty">{td_string!(l, partner.no_requests)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">{td_string!(l, partner.your_requests)}</caption>
                            <thead><tr>
                                <th scope="col">{td_string!(l, partner.resource)}</th>
                                <th scope="col">{td_string!(l, partner.asked)}</th>
                                <th scope="col">{td_string!(l, partner.status)}</th>
                            </tr></thead>
                            <tbody>
                                {requests.into_iter().map(|r| {
                                    let badge = if r.state == RequestState::Pending { "badge" } else { "badge badge-muted" };
                                    view! {
                                        <tr>
                                            <td>{r.resource_name}</td>
                                            <td>{date(l, r.created_at)}</td>
                                            <td><span class=badge>{super::state_name(l, r.state)}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

/// One resource the person holds: what it is, since and until when, Open (an app that signs
/// people in through Portico) and Leave. The page is never hydrated (a partner page), so Leave is
/// the plain form an `ActionForm` draws, without the action and signals it would keep for the
/// browser: 20 tiles made 20 of them for each request.
#[component]
fn HeldTile(held: HeldAccess, now: i64) -> impl IntoView {
    let l = language();
    let label = td_string!(l, partner.leave_name, name = &held.resource_name).to_string();
    let open_label = td_string!(l, partner.open_name, name = &held.resource_name).to_string();
    let until = held.expires_at.map_or_else(
        || td_string!(l, partner.no_end_date).to_string(),
        |end| date_from_now(l, now, end),
    );
    view! {
        <li class="access-tile">
            <div class="tile-head">
                <strong class="tile-name">{held.resource_name.clone()}</strong>
                <span class="badge badge-muted">{super::kind_name(l, held.resource_kind)}</span>
            </div>
            <p class="muted">{held.resource_description.clone()}</p>
            <p class="tile-dates">
                {td_string!(l, partner.since)}": "{date(l, held.granted_at)}" · "
                {td_string!(l, partner.until)}": "{until}
            </p>
            <div class="tile-actions">
                {held.sign_in_url.clone().map(|url| view! {
                    <a class="button button-primary button-small" href=url rel="noopener noreferrer" aria-label=open_label.clone()>{td_string!(l, partner.open)}</a>
                })}
                <form method="post" action=LeaveResource::url()>
                    <input type="hidden" name="membership_id" value=held.membership_id />
                    <button type="submit" class="button button-secondary button-small" aria-label=label>{td_string!(l, partner.leave)}</button>
                </form>
            </div>
        </li>
    }
}
