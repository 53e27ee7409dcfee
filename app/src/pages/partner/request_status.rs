use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::requests::status::{get_request_status, CancelRequest, RequestStatus};
use crate::components::form::{FormFeedback, FormSummary};
use crate::components::problem::Problem;
use rules::dates::{format_date, format_date_time};
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
    view! {
        <Title text="Your request" />
        <Suspense fallback=|| view! { <p>"Loading your request…"</p> }>
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
    let explanation = match status.state {
        RequestState::Pending if status.stage_count > 1 => {
            format!(
                "It is at approval stage {} of {}. A decision is due by {}.",
                status.stage,
                status.stage_count,
                format_date(status.decide_by)
            )
        }
        RequestState::Pending => format!("A decision is due by {}.", format_date(status.decide_by)),
        RequestState::Approved => match status.invitation {
            Some((InvitationState::Pending, expires_at)) => format!(
                "Approved: your invitation is in your email. Open it to get access before {}.",
                format_date_time(expires_at)
            ),
            Some((InvitationState::Redeemed, _)) => {
                "Approved, and you accepted the invitation. See My access for what you hold.".to_string()
            }
            Some((InvitationState::Expired, expires_at)) => format!(
                "Approved, but the invitation expired on {} before it was accepted. You can ask again.",
                format_date_time(expires_at)
            ),
            Some((InvitationState::Revoked, _)) => {
                "Approved, but the invitation was withdrawn. You can ask again.".to_string()
            }
            None => "Approved.".to_string(),
        },
        RequestState::Denied => "The request was not approved.".to_string(),
        RequestState::Expired => format!(
            "Nobody decided by {}, so the request was denied automatically. You can ask again.",
            format_date(status.decide_by)
        ),
        RequestState::Cancelled => "You withdrew this request.".to_string(),
    };
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
                <div class="alert alert-info" role="status">"Your request is withdrawn."</div>
            </Show>
            <p class="eyebrow">"Access request"</p>
            <h1>{status.resource_name.clone()}</h1>
            <p><span class=badge>{status.state.label()}</span></p>
            <p>{explanation}</p>
            {status.reason.clone().map(|reason| view! {
                <blockquote class="reason"><p>{reason}</p></blockquote>
            })}
            <dl class="facts">
                <dt>"For"</dt>
                <dd>{status.email.clone()}</dd>
                <dt>"Asked"</dt>
                <dd>{format_date_time(status.created_at)}</dd>
                {status.closed_at.map(|t| view! { <dt>"Closed"</dt><dd>{format_date_time(t)}</dd> })}
            </dl>
            <FormSummary feedback />
            <Show when=move || pending>
                <ActionForm action>
                    <input type="hidden" name="token" value=token.get_value() />
                    <div class="form-actions">
                        <button type="submit" class="button button-secondary">"Withdraw this request"</button>
                    </div>
                </ActionForm>
            </Show>
            <Show when=move || ask_again>
                <p><a class="button button-secondary" href=request_link.clone()>"Ask again"</a></p>
            </Show>
        </section>
    }
}
