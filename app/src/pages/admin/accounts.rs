use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date;
use locales::Locale;

use crate::api::accounts::admin_accounts::{admin_accounts, AccountList, AccountRow, ChangeAccount};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::problem::Problem;
use rules::list_filter::url_encode;

fn kinds(l: Locale) -> [(&'static str, &'static str); 5] {
    [
        ("all", td_string!(l, admin_access.everyone)),
        ("partners", td_string!(l, admin_access.partners)),
        ("staff", td_string!(l, admin_access.staff)),
        ("admins", td_string!(l, admin_access.admins)),
        ("disabled", td_string!(l, admin_access.disabled)),
    ]
}

/// Admin: every account, searchable; disable, enable, admin rights, sessions.
#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let search = move || query.with(|q| q.get("search").unwrap_or_default());
    let kind = move || query.with(|q| q.get("kind").unwrap_or_default());
    let after = move || query.with(|q| q.get("after"));
    let list = Resource::new(
        move || (search(), kind(), after()),
        |(search, kind, after)| admin_accounts(search, kind, after),
    );
    let action = ServerAction::<ChangeAccount>::new();
    let feedback = FormFeedback::of(action);
    let done = move || {
        query.with(|q| match q.get("done").as_deref() {
            Some("disable") => Some(td_string!(l, admin_access.account_disabled_its_sessions_have)),
            Some("enable") => Some(td_string!(l, admin_access.account_enabled_again)),
            Some("make_admin") => Some(td_string!(l, admin_access.the_account_is_now_an)),
            Some("remove_admin") => Some(td_string!(l, admin_access.admin_rights_removed)),
            Some("end_sessions") => Some(td_string!(l, admin_access.every_session_of_the_account)),
            _ => None,
        })
    };
    view! {
        <Title text=td_string!(l, admin_access.accounts) />
        <section class="card">
            <h1>{td_string!(l, admin_access.accounts)}</h1>
            {move || done().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <form method="get" action="/admin/accounts" class="filters">
                <label for="accounts-search">{td_string!(l, admin_access.search)}</label>
                <input id="accounts-search" name="search" type="search" value=search placeholder=td_string!(l, admin_access.email_or_name) />
                <label for="accounts-kind">{td_string!(l, admin_access.show)}</label>
                <select id="accounts-kind" name="kind">
                    {kinds(l).into_iter().map(|(value, label)| view! {
                        <option value=value selected=move || kind() == value || (kind().is_empty() && value == "all")>{label}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-secondary button-small">{td_string!(l, admin_access.search)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_access.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <Accounts list action search=search() kind=kind() /> }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Accounts(
    list: AccountList,
    action: ServerAction<ChangeAccount>,
    search: String,
    kind: String,
) -> impl IntoView {
    let l = language();
    if list.rows.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_access.no_accounts_match)}</p> }.into_any();
    }
    let next = list.next.map(|after| {
        let href = format!(
            "/admin/accounts?search={}&kind={}&after={}",
            url_encode(&search),
            url_encode(&kind),
            url_encode(&after)
        );
        view! { <p class="pager"><a href=href>{td_string!(l, admin_access.next_page)}</a></p> }
    });
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_access.accounts)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, admin_access.account)}</th>
                        <th scope="col">{td_string!(l, admin_access.role)}</th>
                        <th scope="col">{td_string!(l, admin_access.since)}</th>
                        <th scope="col">{td_string!(l, admin_access.sessions)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, admin_access.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{list.rows.into_iter().map(|row| view! { <Row row action /> }).collect_view()}</tbody>
            </table>
        </div>
        {next}
    }
    .into_any()
}

#[component]
fn Row(row: AccountRow, action: ServerAction<ChangeAccount>) -> impl IntoView {
    let l = language();
    let role = if row.is_admin {
        td_string!(l, admin_access.admin)
    } else if row.is_staff {
        td_string!(l, admin_access.staff)
    } else {
        td_string!(l, admin_access.partner)
    };
    let (id, email) = (row.id, row.email.clone());
    let button = move |change: &'static str, label: &'static str, danger: bool| {
        let submit = row_button(label, &email, danger);
        view! {
            <ActionForm action>
                <input type="hidden" name="account_id" value=id />
                <input type="hidden" name="change" value=change />
                {submit}
            </ActionForm>
        }
    };
    let mut buttons = Vec::new();
    if !row.is_you {
        buttons.push(if row.disabled {
            button("enable", td_string!(l, admin_access.enable), false)
        } else {
            button("disable", td_string!(l, admin_access.disable), true)
        });
        buttons.push(if row.is_admin {
            button("remove_admin", td_string!(l, admin_access.remove_admin), false)
        } else {
            button("make_admin", td_string!(l, admin_access.make_admin), false)
        });
    }
    if row.sessions > 0 {
        buttons.push(button(
            "end_sessions",
            td_string!(l, admin_access.end_sessions),
            false,
        ));
    }
    view! {
        <tr>
            <td>
                <strong><a href=format!("/admin/accounts/{id}")>{row.display_name.clone()}</a></strong>
                {row.is_you.then(|| view! { " " <span class="badge">{td_string!(l, admin_access.you)}</span> })}
                <div class="muted">{row.email.clone()}</div>
            </td>
            <td>
                <span class="badge">{role}</span>
                {row.disabled.then(|| view! { " " <span class="badge badge-bad">{td_string!(l, admin_access.disabled)}</span> })}
            </td>
            <td>{date(l, row.created_at)}</td>
            <td>{row.sessions}</td>
            <td><div class="row-actions">{buttons}</div></td>
        </tr>
    }
}
