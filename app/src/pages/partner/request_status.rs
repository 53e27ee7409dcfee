//! A request seen through its private link. Drawn without the router (`crate::plain_page`).

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::requests::status::{get_request_status, CancelRequest, RequestStatus};
use crate::components::form::{FormFeedback, FormSummary};
use crate::components::here::here;
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::plain_page::{path_parameter, Drawn};
use leptos_i18n::td_string;
use locales::dates::{date_from_now, date_time};
use locales::Locale;
use rules::invitations::invitation::InvitationState;
use rules::requests::access_request::RequestState;

/// Reads the request the address's token names and draws it; `?withdrawn` after the partner
/// withdrew it. The address carries a secret, so the page sends no referrer.
pub async fn request_status_page() -> Drawn {
    crate::api::session::send_no_referrer();
    let l = language();
    let token = path_parameter().await;
    let withdrawn = here().query.get_untracked().get("withdrawn").is_some();
    let body = match get_request_status(token.clone()).await {
        Ok(status) => view! { <StatusCard status token withdrawn /> }.into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    Drawn {
        title: td_string!(l, partner.status_title).to_string(),
        body,
    }
}

/// The request, and Withdraw while it waits: a form that works without JavaScript, whose
/// errors come back in the address (`plain_page.rs`).
#[component]
fn StatusCard(status: RequestStatus, token: String, withdrawn: bool) -> impl IntoView {
    let action = ServerAction::<CancelRequest>::new();
    let feedback = FormFeedback::of(action);
    let badge = match status.state {
        RequestState::Pending => "badge",
        RequestState::Approved => "badge badge-ok",
        RequestState::Denied => "badge badge-bad",
        RequestState::Expired | RequestState::Cancelled => "badge badge-muted",
    };
    let pending = status.state == RequestState::Pending;
    let l = language();
    let explanation = explanation(l, &status);
    let ask_again = matches!(
        status.state,
        RequestState::Denied | RequestState::Expired | RequestState::Cancelled
    ) || matches!(
        status.invitation,
        Some((InvitationState::Expired | InvitationState::Revoked, _))
    );
    let request_link = format!("/request/{}", status.resource_slug);
    view! {
        <section class="card card-medium">
            {withdrawn.then(|| view! {
                <div class="alert alert-info" role="status">{td_string!(l, partner.withdrawn_notice)}</div>
            })}
            <p class="eyebrow">{td_string!(l, partner.access_request)}</p>
            <h1>{status.resource_name.clone()}</h1>
            <p><span class=badge>{super::state_name(l, status.state)}</span></p>
            <p>{explanation}</p>
            {status.reason.clone().map(|reason| view! {
                <blockquote class="reason"><p>{reason}</p></blockquote>
            })}
            <dl class="facts">
                <dt>{td_string!(l, partner.for_whom)}</dt>
                <dd>{status.email.clone()}</dd>
                <dt>{td_string!(l, partner.asked)}</dt>
                <dd>{date_time(l, status.created_at)}</dd>
                {status.closed_at.map(|t| view! { <dt>{td_string!(l, partner.closed)}</dt><dd>{date_time(l, t)}</dd> })}
            </dl>
            <FormSummary feedback />
            {pending.then(|| view! {
                <ActionForm action>
                    <input type="hidden" name="token" value=token />
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">{td_string!(l, partner.withdraw)}</button>
                    </div>
                </ActionForm>
            })}
            {ask_again.then(|| view! {
                <p><a class="button button-secondary" href=request_link>{td_string!(l, partner.ask_again)}</a></p>
            })}
        </section>
    }
}

/// What the state of the request means for the partner, in a sentence.
fn explanation(l: Locale, status: &RequestStatus) -> String {
    let by = date_from_now(l, status.now, status.decide_by);
    match status.state {
        RequestState::Pending if status.stage_count > 1 => td_string!(
            l,
            partner.due_at_stage,
            stage = status.stage,
            stages = status.stage_count,
            date = &by
        )
        .to_string(),
        RequestState::Pending => td_string!(l, partner.due, date = &by).to_string(),
        RequestState::Approved => match status.invitation {
            Some((InvitationState::Pending, expires_at)) => {
                td_string!(l, partner.approved_invited, moment = date_time(l, expires_at)).to_string()
            }
            Some((InvitationState::Redeemed, _)) => td_string!(l, partner.approved_accepted).to_string(),
            Some((InvitationState::Expired, expires_at)) => {
                td_string!(l, partner.approved_expired, moment = date_time(l, expires_at)).to_string()
            }
            Some((InvitationState::Revoked, _)) => td_string!(l, partner.approved_withdrawn).to_string(),
            None => td_string!(l, partner.approved).to_string(),
        },
        RequestState::Denied => td_string!(l, partner.denied).to_string(),
        RequestState::Expired => td_string!(l, partner.timed_out, date = &by).to_string(),
        RequestState::Cancelled => td_string!(l, partner.you_withdrew).to_string(),
    }
}
