//! Owners: the resources they own, and for one of them its members, pending invitations and a
//! form to invite a partner directly.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::memberships::resource_people::{
    my_resources, resource_people, InvitationAction, InvitePartner, MemberAction, MemberView,
    PendingInvitationView, PeopleOfResource,
};
use crate::components::form::{
    clear_on_success, row_button, Field, FormFeedback, FormSummary, SubmitButton, TextAreaField,
};
use crate::components::language::MessageLanguageField;
use crate::components::problem::Problem;
use crate::pages::number_param;
use rules::dates::format_date;
use rules::invitations::invitation::source_label;
use rules::validation::{check_display_name, check_email};

/// The resources the signed-in owner looks after (every resource, for an admin).
#[component]
pub fn MyResourcesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_resources());
    view! {
        <Title text="My resources" />
        <section class="card">
            <h1>"My resources"</h1>
            <p class="muted">"Invite partners, see who has access, revoke or extend it."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(resources) if resources.is_empty() => view! {
                            <p class="empty">"You own no resources yet. An admin makes you an owner of one."</p>
                        }.into_any(),
                        Ok(resources) => view! {
                            <ul class="tiles">
                                {resources.into_iter().map(|resource| {
                                    let href = format!("/resources/{}", resource.id);
                                    let kind = if resource.kind == "group" { "Group" } else { "App" };
                                    let about = if resource.archived { format!("{kind} · archived") } else { kind.to_string() };
                                    view! {
                                        <li><a class="tile" href=href><strong>{resource.name}</strong><span>{about}</span></a></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One resource an owner looks after: invite, members, pending invitations.
#[component]
pub fn ResourcePeoplePage() -> impl IntoView {
    let id = number_param("id");
    let query = use_query_map();
    let search = move || query.with(|q| q.get("search").unwrap_or_default());
    let people = Resource::new(
        move || (id(), search(), query.get()),
        |(id, search, _)| resource_people(id, search),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match people.await {
                    Ok(people) => view! { <People people search=search() /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn notice(query: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    let key = |k: &str| query.get(k);
    match (
        key("invited").as_deref(),
        key("member").as_deref(),
        key("invitation").as_deref(),
    ) {
        (Some("new"), _, _) => Some("Invitation sent. The partner was emailed a link to accept it."),
        (Some("already"), _, _) => {
            Some("That partner was invited already; their pending invitation still stands.")
        }
        (_, Some("revoked"), _) => Some("Access revoked; the partner was told by email."),
        (_, Some("extended"), _) => Some("Access extended."),
        (_, _, Some("resent")) => {
            Some("Invitation sent again with a new link; the old link no longer works.")
        }
        (_, _, Some("withdrawn")) => Some("Invitation withdrawn; its link no longer works."),
        _ => None,
    }
}

#[component]
fn People(people: PeopleOfResource, search: String) -> impl IntoView {
    let query = use_query_map();
    let resource = people.resource.clone();
    let member_action = ServerAction::<MemberAction>::new();
    let invitation_action = ServerAction::<InvitationAction>::new();
    let member_feedback = FormFeedback::of(member_action);
    let invitation_feedback = FormFeedback::of(invitation_action);
    let search_href = format!("/resources/{}", resource.id);
    let message_language = people.message_language.clone();
    view! {
        <Title text=format!("People of {}", resource.name) />
        {move || query.with(notice).map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
        <section class="card card-medium">
            <p class="eyebrow"><a href="/my-resources">"My resources"</a></p>
            <h1>{resource.name.clone()}</h1>
            {if resource.archived {
                view! { <p class="alert alert-error">"This resource is archived: nobody can be invited to it."</p> }.into_any()
            } else {
                view! { <InviteForm resource_id=resource.id message_language /> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"Members"</h2>
            <FormSummary feedback=member_feedback />
            <form method="get" action=search_href class="filters">
                <label for="members-search">"Search"</label>
                <input id="members-search" name="search" type="search" value=search.clone() placeholder="Email or name" />
                <button type="submit" class="button button-secondary button-small">"Search"</button>
            </form>
            <Members members=people.members resource_id=resource.id action=member_action searched=!search.is_empty() />
        </section>
        <section class="card">
            <h2>"Pending invitations"</h2>
            <FormSummary feedback=invitation_feedback />
            <Invitations invitations=people.invitations resource_id=resource.id action=invitation_action />
        </section>
    }
}

#[component]
fn InviteForm(resource_id: i64, message_language: String) -> impl IntoView {
    let action = ServerAction::<InvitePartner>::new();
    let feedback = FormFeedback::of(action);
    let form = clear_on_success(action);
    view! {
        <div class="card-head">
            <h2>"Invite a partner"</h2>
            <a class="button button-secondary button-small" href=format!("/resources/{resource_id}/bulk")>"Invite many (CSV)"</a>
        </div>
        <p class="muted">"They get an email with a link to accept. The resource's policy decides how long the invitation and the access last."</p>
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <input type="hidden" name="resource_id" value=resource_id />
            <Field label="Email" name="invite[email]" kind="email" required=true maxlength=254 autocomplete="off"
                error=feedback.field("invite[email]") value=feedback.typed("invite[email]") check=check_email />
            <Field label="Name" name="invite[display_name]" required=true maxlength=100 autocomplete="off"
                error=feedback.field("invite[display_name]") value=feedback.typed("invite[display_name]") check=check_display_name />
            <TextAreaField label="Message (optional)" name="invite[message]" maxlength=1000 rows=3
                hint="Added to the invitation email."
                error=feedback.field("invite[message]") value=feedback.typed("invite[message]") />
            <MessageLanguageField name="invite[language]" default=message_language
                error=feedback.field("invite[language]") typed=feedback.typed("invite[language]") />
            <div class="form-actions">
                <SubmitButton label="Send invitation" busy_label="Sending…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn Members(
    members: Vec<MemberView>,
    resource_id: i64,
    action: ServerAction<MemberAction>,
    searched: bool,
) -> impl IntoView {
    if members.is_empty() {
        let text = if searched {
            "No member matches."
        } else {
            "Nobody has access yet."
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Members"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Granted"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {members.into_iter().map(|member| {
                        let (id, email) = (member.membership_id, member.email.clone());
                        let button = move |verb: &'static str, label: &'static str, danger: bool| {
                            let submit = row_button(label, &email, danger);
                            view! {
                                <ActionForm action>
                                    <input type="hidden" name="resource_id" value=resource_id />
                                    <input type="hidden" name="membership_id" value=id />
                                    <input type="hidden" name="action" value=verb />
                                    {submit}
                                </ActionForm>
                            }
                        };
                        view! {
                            <tr>
                                <td><strong>{member.display_name}</strong><div class="muted">{member.email}</div></td>
                                <td>{source_label(&member.source)}</td>
                                <td>{format_date(member.granted_at)}</td>
                                <td>{member.expires_at.map(format_date).unwrap_or_else(|| "Never".into())}</td>
                                <td><div class="row-actions">{button("extend", "Extend", false)}{button("revoke", "Revoke", true)}</div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Invitations(
    invitations: Vec<PendingInvitationView>,
    resource_id: i64,
    action: ServerAction<InvitationAction>,
) -> impl IntoView {
    if invitations.is_empty() {
        return view! { <p class="empty">"No invitation is waiting to be accepted."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Pending invitations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Sent"</th>
                        <th scope="col">"Link works until"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {invitations.into_iter().map(|invitation| {
                        let (id, email) = (invitation.id, invitation.email.clone());
                        let button = move |verb: &'static str, label: &'static str, danger: bool| {
                            let submit = row_button(label, &email, danger);
                            view! {
                                <ActionForm action>
                                    <input type="hidden" name="resource_id" value=resource_id />
                                    <input type="hidden" name="invitation_id" value=id />
                                    <input type="hidden" name="action" value=verb />
                                    {submit}
                                </ActionForm>
                            }
                        };
                        view! {
                            <tr>
                                <td><strong>{invitation.display_name}</strong><div class="muted">{invitation.email}</div></td>
                                <td>{source_label(&invitation.source)}</td>
                                <td>{format_date(invitation.created_at)}</td>
                                <td>{format_date(invitation.expires_at)}</td>
                                <td><div class="row-actions">{button("resend", "Resend", false)}{button("withdraw", "Withdraw", true)}</div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
