use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::requests::status::{get_request_status, CancelRequest, RequestStatus};
use crate::components::form::{FormFeedback, FormSummary};
use crate::components::language::language;
use crate::components::problem::Problem;
use leptos_i18n::td_string;
use locales::dates::{date_from_now, date_time};
use locales::Locale;
use rules::invitations::invitation::InvitationState;
use rules::requests::access_request::RequestState;

/// A request seen through its private link.
#[component]
pub fn RequestStatusPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::session::send_no_referrer();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let status = Resource::new(token, get_request_status);
    let l = language();
    view! {
        <Title text=td_string!(l, partner.status_title) />
        <Suspense fallback=move || view! { <p>{td_string!(l, partner.loading_request)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => view! { <StatusCard status token=token() /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusCard(status: RequestStatus, token: String) -> impl IntoView {
    let query = use_query_map();
    let withdrawn = move || query.with(|q| q.get("withdrawn").is_some());
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
    let token = StoredValue::new(token);
    view! {
        <section class="card card-medium">
            <Show when=withdrawn>
                <div class="alert alert-info" role="status">{td_string!(l, partner.withdrawn_notice)}</div>
            </Show>
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
            <Show when=move || pending>
                <ActionForm action>
                    <input type="hidden" name="token" value=token.get_value() />
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">{td_string!(l, partner.withdraw)}</button>
                    </div>
                </ActionForm>
            </Show>
            <Show when=move || ask_again>
                <p><a class="button button-secondary" href=request_link.clone()>{td_string!(l, partner.ask_again)}</a></p>
            </Show>
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
