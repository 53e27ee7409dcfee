use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::lists::{
    admin_invitations, resource_choices, AdminInvitationAction, InvitationItem, ListPage, INVITATION_STATES,
};
use crate::components::filters::{filtered_list, list_filter_from_query, next_page, ListSpec};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use rules::dates::{format_date, format_date_time};
use rules::invitations::invitation::source_label;

const PATH: &str = "/admin/invitations";
const SPEC: ListSpec = ListSpec {
    path: PATH,
    prefix: "invitations",
    states: &INVITATION_STATES,
    what: "invitations",
};

/// Admin: every invitation, filtered; resend or revoke the pending ones.
#[component]
pub fn AdminInvitationsPage() -> impl IntoView {
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
            Some("resent") => Some("Invitation sent again with a new link; the old link no longer works."),
            Some("revoked") => Some("Invitation revoked; its link no longer works."),
            _ => None,
        })
    };
    view! {
        <Title text="Invitations" />
        <section class="card">
            <h1>"Invitations"</h1>
            <p class="muted">"Every invitation to every resource, however it was made."</p>
            {move || done().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    if page.rows.is_empty() {
        return view! { <p class="empty">"No invitations match."</p> }.into_any();
    }
    let next = next_page(PATH, &query, page.next);
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Invitations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Invited"</th>
                        <th scope="col">"Resource"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Made"</th>
                        <th scope="col">"Ends"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{page.rows.into_iter().map(|row| view! { <Row row action /> }).collect_view()}</tbody>
            </table>
        </div>
        {next}
    }
    .into_any()
}

fn state_badge(row: &InvitationItem) -> (&'static str, &'static str) {
    match row.state.as_str() {
        "pending" if row.expiring => ("badge badge-warn", "Expiring soon"),
        "pending" => ("badge", "Pending"),
        "redeemed" => ("badge badge-ok", "Redeemed"),
        "revoked" => ("badge badge-bad", "Revoked"),
        _ => ("badge badge-muted", "Expired"),
    }
}

#[component]
fn Row(row: InvitationItem, action: ServerAction<AdminInvitationAction>) -> impl IntoView {
    let (badge, word) = state_badge(&row);
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
                {button("resend", "Resend", false)}
                {button("revoke", "Revoke", true)}
            </div>
        }
    });
    let made_by = match &row.inviter_name {
        Some(name) => format!("{} by {name}", source_label(&row.source)),
        None => source_label(&row.source).to_string(),
    };
    let ends = match row.redeemed_at {
        Some(at) => format!("Redeemed {}", format_date(at)),
        None => format_date_time(row.expires_at),
    };
    view! {
        <tr>
            <td><strong>{row.display_name.clone()}</strong><div class="muted">{row.email.clone()}</div></td>
            <td><a href=format!("/resources/{}", row.resource_id)>{row.resource_name.clone()}</a></td>
            <td><span class=badge>{word}</span></td>
            <td>{format_date(row.created_at)}<div class="muted">{made_by}</div></td>
            <td>{ends}</td>
            <td>{buttons}</td>
        </tr>
    }
}
