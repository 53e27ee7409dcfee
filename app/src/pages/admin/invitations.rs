use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::{date, date_time};

use crate::api::administration::lists::{
    admin_invitations, resource_choices, AdminInvitationAction, InvitationItem, ListPage, INVITATION_STATES,
};
use crate::components::filters::{filtered_list, list_filter_from_query, next_page, ListSpec};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::words::source_name;
use locales::Locale;

const PATH: &str = "/admin/invitations";
const SPEC: ListSpec = ListSpec {
    path: PATH,
    prefix: "invitations",
    states: &INVITATION_STATES,
    state_name: invitation_state_name,
};

/// Admin: every invitation, filtered; resend or revoke the pending ones.
#[component]
pub fn AdminInvitationsPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let filter = list_filter_from_query();
    let after = move || query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok()));
    let resources = Resource::new(|| (), |_| resource_choices());
    let action = ServerAction::<AdminInvitationAction>::new();
    // Read again after each resend or revoke.
    let page = Resource::new(
        move || (filter.get(), after(), action.version().get()),
        |(filter, after, _)| admin_invitations(filter, after),
    );
    let feedback = FormFeedback::of(action);
    let done = move || {
        query.with(|q| match q.get("done").as_deref() {
            Some("resent") => Some(td_string!(l, admin_access.invitation_sent_again_with_a)),
            Some("revoked") => Some(td_string!(l, admin_access.invitation_revoked_its_link_no)),
            _ => None,
        })
    };
    view! {
        <Title text=td_string!(l, admin_access.invitations) />
        <section class="card">
            <h1>{td_string!(l, admin_access.invitations)}</h1>
            <p class="muted">{td_string!(l, admin_access.every_invitation_to_every_resource)}</p>
            {move || done().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_access.loading)}</p> }>
                {move || Suspend::new(async move {
                    let (resources, page) = (resources.await, page.await);
                    filtered_list(&SPEC, filter.get_untracked(), resources, page,
                        move |page, query| view! { <Invitations page query action /> }.into_any())
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Invitations(
    page: ListPage<InvitationItem>,
    query: String,
    action: ServerAction<AdminInvitationAction>,
) -> impl IntoView {
    let l = language();
    if page.rows.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_access.no_invitations_match)}</p> }.into_any();
    }
    let next = next_page(PATH, &query, page.next);
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_access.invitations)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, admin_access.invited)}</th>
                        <th scope="col">{td_string!(l, admin_access.resource)}</th>
                        <th scope="col">{td_string!(l, admin_access.state)}</th>
                        <th scope="col">{td_string!(l, admin_access.made)}</th>
                        <th scope="col">{td_string!(l, admin_access.ends)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, admin_access.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{page.rows.into_iter().map(|row| view! { <Row row action /> }).collect_view()}</tbody>
            </table>
        </div>
        {next}
    }
    .into_any()
}

/// How an invitation state of the filter reads.
fn invitation_state_name(l: Locale, state: &str) -> &'static str {
    match state {
        "pending" => td_string!(l, admin_access.pending),
        "expiring" => td_string!(l, admin_access.expiring_within_48_hours),
        "redeemed" => td_string!(l, admin_access.redeemed),
        "revoked" => td_string!(l, admin_access.revoked),
        _ => td_string!(l, admin_access.expired),
    }
}

fn state_badge(l: Locale, row: &InvitationItem) -> (&'static str, &'static str) {
    match row.state.as_str() {
        "pending" if row.expiring => ("badge badge-warn", td_string!(l, admin_access.expiring_soon)),
        "pending" => ("badge", td_string!(l, admin_access.pending)),
        "redeemed" => ("badge badge-ok", td_string!(l, admin_access.redeemed)),
        "revoked" => ("badge badge-bad", td_string!(l, admin_access.revoked)),
        _ => ("badge badge-muted", td_string!(l, admin_access.expired)),
    }
}

#[component]
fn Row(row: InvitationItem, action: ServerAction<AdminInvitationAction>) -> impl IntoView {
    let l = language();
    let (badge, word) = state_badge(l, &row);
    let (id, email) = (row.id, row.email.clone());
    let button = move |value: &'static str, label: &'static str, danger: bool| {
        let submit = row_button(label, &email, danger);
        view! {
            <ActionForm action>
                <input type="hidden" name="invitation_id" value=id />
                <input type="hidden" name="action" value=value />
                {submit}
            </ActionForm>
        }
    };
    let buttons = (row.state == "pending").then(|| {
        view! {
            <div class="row-actions">
                {button("resend", td_string!(l, admin_access.resend), false)}
                {button("revoke", td_string!(l, admin_access.revoke), true)}
            </div>
        }
    });
    let made_by = match &row.inviter_name {
        Some(name) => td_string!(
            l,
            admin_access.made_by,
            source = source_name(l, &row.source),
            name
        )
        .to_string(),
        None => source_name(l, &row.source).to_string(),
    };
    let ends = match row.redeemed_at {
        Some(at) => td_string!(l, admin_access.redeemed_on, date = date(l, at)).to_string(),
        None => date_time(l, row.expires_at),
    };
    view! {
        <tr>
            <td><strong>{row.display_name.clone()}</strong><div class="muted">{row.email.clone()}</div></td>
            <td><a href=format!("/resources/{}", row.resource_id)>{row.resource_name.clone()}</a></td>
            <td><span class=badge>{word}</span></td>
            <td>{date(l, row.created_at)}<div class="muted">{made_by}</div></td>
            <td>{ends}</td>
            <td>{buttons}</td>
        </tr>
    }
}
