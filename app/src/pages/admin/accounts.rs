use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::admin_accounts::{admin_accounts, AccountList, AccountRow, ChangeAccount};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::problem::Problem;
use rules::dates::format_date;
use rules::list_filter::url_encode;

const KINDS: [(&str, &str); 5] = [
    ("all", "Everyone"),
    ("partners", "Partners"),
    ("staff", "Staff"),
    ("admins", "Admins"),
    ("disabled", "Disabled"),
];

/// Admin: every account, searchable; disable, enable, admin rights, sessions.
#[component]
pub fn AdminAccountsPage() -> impl IntoView {
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
            Some("disable") => Some("Account disabled; its sessions have ended."),
            Some("enable") => Some("Account enabled again."),
            Some("make_admin") => Some("The account is now an admin."),
            Some("remove_admin") => Some("Admin rights removed."),
            Some("end_sessions") => Some("Every session of the account has ended."),
            _ => None,
        })
    };
    view! {
        <Title text="Accounts" />
        <section class="card">
            <h1>"Accounts"</h1>
            {move || done().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <form method="get" action="/admin/accounts" class="filters">
                <label for="accounts-search">"Search"</label>
                <input id="accounts-search" name="search" type="search" value=search placeholder="Email or name" />
                <label for="accounts-kind">"Show"</label>
                <select id="accounts-kind" name="kind">
                    {KINDS.iter().map(|(value, label)| view! {
                        <option value=*value selected=move || kind() == *value || (kind().is_empty() && *value == "all")>{*label}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-secondary button-small">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    if list.rows.is_empty() {
        return view! { <p class="empty">"No accounts match."</p> }.into_any();
    }
    let next = list.next.map(|after| {
        let href = format!(
            "/admin/accounts?search={}&kind={}&after={}",
            url_encode(&search),
            url_encode(&kind),
            url_encode(&after)
        );
        view! { <p class="pager"><a href=href>"Next page"</a></p> }
    });
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Since"</th>
                        <th scope="col">"Sessions"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
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
    let role = if row.is_admin {
        "Admin"
    } else if row.is_staff {
        "Staff"
    } else {
        "Partner"
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
            button("enable", "Enable", false)
        } else {
            button("disable", "Disable", true)
        });
        buttons.push(if row.is_admin {
            button("remove_admin", "Remove admin", false)
        } else {
            button("make_admin", "Make admin", false)
        });
    }
    if row.sessions > 0 {
        buttons.push(button("end_sessions", "End sessions", false));
    }
    view! {
        <tr>
            <td>
                <strong>{row.display_name.clone()}</strong>
                {row.is_you.then(|| view! { " " <span class="badge">"You"</span> })}
                <div class="muted">{row.email.clone()}</div>
            </td>
            <td>
                <span class="badge">{role}</span>
                {row.disabled.then(|| view! { " " <span class="badge badge-bad">"Disabled"</span> })}
            </td>
            <td>{format_date(row.created_at)}</td>
            <td>{row.sessions}</td>
            <td><div class="row-actions">{buttons}</div></td>
        </tr>
    }
}
