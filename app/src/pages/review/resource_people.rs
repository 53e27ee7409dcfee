//! Owners: the resources they own, and for one of them its members, pending invitations and a
//! form to invite a partner directly.

use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
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
use crate::components::words::source_name;
use crate::pages::number_param;
use locales::dates::date;
use locales::Locale;
use rules::validation::{check_display_name, check_email};

/// The resources the signed-in owner looks after (every resource, for an admin).
#[component]
pub fn MyResourcesPage() -> impl IntoView {
    let l = language();
    let list = Resource::new(|| (), |_| my_resources());
    view! {
        <Title text=td_string!(l, review.my_resources) />
        <section class="card">
            <h1>{td_string!(l, review.my_resources)}</h1>
            <p class="muted">{td_string!(l, review.invite_partners_see_who_has)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(l, review.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(resources) if resources.is_empty() => view! {
                            <p class="empty">{td_string!(l, review.you_own_no_resources_yet)}</p>
                        }.into_any(),
                        Ok(resources) => view! {
                            <ul class="tiles">
                                {resources.into_iter().map(|resource| {
                                    let href = format!("/resources/{}", resource.id);
                                    let kind = if resource.kind == "group" { td_string!(l, review.kind_group) } else { td_string!(l, review.kind_app) };
                                    let about = if resource.archived { td_string!(l, review.kind_archived, kind).to_string() } else { kind.to_string() };
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
    let l = language();
    let id = number_param("id");
    let query = use_query_map();
    let search = move || query.with(|q| q.get("search").unwrap_or_default());
    let people = Resource::new(
        move || (id(), search(), query.get()),
        |(id, search, _)| resource_people(id, search),
    );
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(l, review.loading)}</p> }>
            {move || Suspend::new(async move {
                match people.await {
                    Ok(people) => view! { <People people search=search() /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn notice(l: Locale, query: &leptos_router::params::ParamsMap) -> Option<&'static str> {
    let key = |k: &str| query.get(k);
    match (
        key("invited").as_deref(),
        key("member").as_deref(),
        key("invitation").as_deref(),
    ) {
        (Some("new"), _, _) => Some(td_string!(l, review.invited_new)),
        (Some("already"), _, _) => Some(td_string!(l, review.invited_already)),
        (_, Some("revoked"), _) => Some(td_string!(l, review.member_revoked)),
        (_, Some("extended"), _) => Some(td_string!(l, review.member_extended)),
        (_, _, Some("resent")) => Some(td_string!(l, review.invitation_resent)),
        (_, _, Some("withdrawn")) => Some(td_string!(l, review.invitation_withdrawn)),
        _ => None,
    }
}

#[component]
fn People(people: PeopleOfResource, search: String) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let resource = people.resource.clone();
    let member_action = ServerAction::<MemberAction>::new();
    let invitation_action = ServerAction::<InvitationAction>::new();
    let member_feedback = FormFeedback::of(member_action);
    let invitation_feedback = FormFeedback::of(invitation_action);
    let search_href = format!("/resources/{}", resource.id);
    let message_language = people.message_language.clone();
    view! {
        <Title text=td_string!(l, review.people_of, resource = resource.name.clone()).to_string() />
        {move || query.with(|q| notice(l, q)).map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
        <section class="card card-medium">
            <p class="eyebrow"><a href="/my-resources">{td_string!(l, review.my_resources)}</a></p>
            <h1>{resource.name.clone()}</h1>
            {people.may_register_app.then(|| view! {
                <p><a class="button button-secondary button-small" href=format!("/resources/{}/sign-in", resource.id)>{td_string!(l, review.app_sign_in)}</a></p>
            })}
            {if resource.archived {
                view! { <p class="alert alert-error">{td_string!(l, review.this_resource_is_archived_nobody)}</p> }.into_any()
            } else {
                view! { <InviteForm resource_id=resource.id message_language /> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{td_string!(l, review.members)}</h2>
            <FormSummary feedback=member_feedback />
            <form method="get" action=search_href class="filters">
                <label for="members-search">{td_string!(l, review.search)}</label>
                <input id="members-search" name="search" type="search" value=search.clone() placeholder=td_string!(l, review.email_or_name) />
                <button type="submit" class="button button-secondary button-small">{td_string!(l, review.search)}</button>
            </form>
            <Members members=people.members resource_id=resource.id action=member_action searched=!search.is_empty() />
        </section>
        <section class="card">
            <h2>{td_string!(l, review.pending_invitations)}</h2>
            <FormSummary feedback=invitation_feedback />
            <Invitations invitations=people.invitations resource_id=resource.id action=invitation_action />
        </section>
    }
}

#[component]
fn InviteForm(resource_id: i64, message_language: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<InvitePartner>::new();
    let feedback = FormFeedback::of(action);
    let form = clear_on_success(action);
    view! {
        <div class="card-head">
            <h2>{td_string!(l, review.invite_a_partner)}</h2>
            <a class="button button-secondary button-small" href=format!("/resources/{resource_id}/bulk")>{td_string!(l, review.invite_many_csv)}</a>
        </div>
        <p class="muted">{td_string!(l, review.they_get_an_email_with)}</p>
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <input type="hidden" name="resource_id" value=resource_id />
            <Field label=td_string!(l, review.email) name="invite[email]" kind="email" required=true maxlength=254 autocomplete="off"
                error=feedback.field("invite[email]") value=feedback.typed("invite[email]") check=check_email />
            <Field label=td_string!(l, review.name) name="invite[display_name]" required=true maxlength=100 autocomplete="off"
                error=feedback.field("invite[display_name]") value=feedback.typed("invite[display_name]") check=check_display_name />
            <TextAreaField label=td_string!(l, review.message_optional) name="invite[message]" maxlength=1000 rows=3
                hint=td_string!(l, review.added_to_the_invitation_email)
                error=feedback.field("invite[message]") value=feedback.typed("invite[message]") />
            <MessageLanguageField name="invite[language]" default=message_language
                error=feedback.field("invite[language]") typed=feedback.typed("invite[language]") />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, review.send_invitation) busy_label=td_string!(l, review.sending) pending=action.pending() />
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
    let l = language();
    if members.is_empty() {
        let text = if searched {
            td_string!(l, review.no_member_matches)
        } else {
            td_string!(l, review.nobody_has_access_yet)
        };
        return view! { <p class="empty">{text}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, review.members)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, review.partner)}</th>
                        <th scope="col">{td_string!(l, review.source)}</th>
                        <th scope="col">{td_string!(l, review.granted)}</th>
                        <th scope="col">{td_string!(l, review.expires)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, review.actions)}</span></th>
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
                                <td>{source_name(l, &member.source)}</td>
                                <td>{date(l, member.granted_at)}</td>
                                <td>{member.expires_at.map(|at| date(l, at)).unwrap_or_else(|| td_string!(l, review.never).into())}</td>
                                <td><div class="row-actions">{button("extend", td_string!(l, review.extend), false)}{button("revoke", td_string!(l, review.revoke), true)}</div></td>
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
    let l = language();
    if invitations.is_empty() {
        return view! { <p class="empty">{td_string!(l, review.no_invitation_is_waiting_to)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, review.pending_invitations)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, review.partner)}</th>
                        <th scope="col">{td_string!(l, review.source)}</th>
                        <th scope="col">{td_string!(l, review.sent)}</th>
                        <th scope="col">{td_string!(l, review.link_works_until)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, review.actions)}</span></th>
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
                                <td>{source_name(l, &invitation.source)}</td>
                                <td>{date(l, invitation.created_at)}</td>
                                <td>{date(l, invitation.expires_at)}</td>
                                <td><div class="row-actions">{button("resend", td_string!(l, review.resend), false)}{button("withdraw", td_string!(l, review.withdraw), true)}</div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
