use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::invitations::redeem::{get_invitation_offer, InvitationOffer, RedeemInvitation};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::layout::Site;
use crate::components::problem::Problem;
use rules::dates::format_date_time;
use rules::invitations::invitation::InvitationState;
use rules::validation::{check_display_name, check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// The invitation link. Looking at it changes nothing; only the button below redeems it.
#[component]
pub fn RedeemInvitationPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::session::send_no_referrer();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let offer = Resource::new(token, get_invitation_offer);
    view! {
        <Title text="Your invitation" />
        <Suspense fallback=|| view! { <p>"Loading your invitation…"</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) if offer.state == InvitationState::Pending => view! { <Offer offer token=token() /> }.into_any(),
                    Ok(offer) => view! { <NotUsable offer /> }.into_any(),
                    Err(rules::error::AppError::NotFound) => view! { <UnknownLink /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A link that matches no invitation: mistyped, or replaced by a newer email.
#[component]
fn UnknownLink() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card card-narrow">
            <h1>"This invitation link does not work"</h1>
            <p>"It may be mistyped, or the invitation was sent to you again: then only the link in the newest email works."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}

#[component]
fn NotUsable(offer: InvitationOffer) -> impl IntoView {
    let (title, text) = match offer.state {
        InvitationState::Expired => (
            "This invitation has expired",
            "Invitations work for a limited time, and this one has run out.",
        ),
        InvitationState::Revoked => (
            "This invitation was withdrawn",
            "Whoever sent it withdrew it, so it no longer works.",
        ),
        _ => (
            "This invitation has been used",
            "It works once, and it was accepted already. If that was you, sign in to see your access.",
        ),
    };
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::GONE);
    }
    let again = format!("/request/{}", offer.resource_slug);
    view! {
        <section class="card card-narrow">
            <h1>{title}</h1>
            <p>{text}</p>
            <p>{format!("To get access to {}, ask again: the owners will decide, and a new invitation will follow.", offer.resource_name)}</p>
            <div class="form-actions">
                <a class="button button-primary" href=again>"Ask for access again"</a>
                <a href="/sign-in">"Sign in"</a>
            </div>
        </section>
    }
}

#[component]
fn Offer(offer: InvitationOffer, token: String) -> impl IntoView {
    let site = expect_context::<Site>();
    let action = ServerAction::<RedeemInvitation>::new();
    let feedback = FormFeedback::of(action);
    let form = match &offer.signed_in_as {
        Some(email) if *email == offer.email => view! {
            <input type="hidden" name="mode" value="signed_in" />
            <p>{format!("You are signed in as {email}.")}</p>
            <div class="form-actions">
                <SubmitButton label="Accept the invitation" busy_label="Accepting…" pending=action.pending() />
            </div>
        }
        .into_any(),
        Some(email) => {
            let email = email.clone();
            return view! {
                <OfferSummary offer=offer.clone() />
                <div class="alert alert-warn" role="alert">
                    {format!("You are signed in as {email}, but this invitation is for {}. Sign out, then open the link again.", offer.email)}
                </div>
                <ActionForm action=site.sign_out>
                    <button type="submit" class="button button-secondary">"Sign out"</button>
                </ActionForm>
            }
            .into_any();
        }
        None if offer.account_exists => view! {
            <input type="hidden" name="mode" value="existing" />
            <p>{format!("{} already has an account here. Enter its password to accept.", offer.email)}</p>
            <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true
                error=feedback.field("password") />
            <div class="form-actions">
                <SubmitButton label="Sign in and accept" busy_label="Accepting…" pending=action.pending() />
            </div>
        }
        .into_any(),
        None => view! {
            <input type="hidden" name="mode" value="new" />
            <p>{format!("Create your account for {} to accept.", offer.email)}</p>
            <Field label="Full name" name="display_name" autocomplete="name" required=true maxlength=100
                error=feedback.field("display_name") value=feedback.typed("display_name") check=check_display_name />
            <Field label="Choose a password" name="password" kind="password" autocomplete="new-password" required=true
                hint=format!("At least 8 characters; {PASSWORD_RECOMMENDED_CHARS} or more is better.")
                error=feedback.field("password") check=check_password_length />
            <Field label="Repeat the password" name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            {offer.terms_version.map(|version| view! {
                <p class="muted" id="terms-notice">
                    "By creating your account you accept the portal's "
                    <a href="/terms" target="_blank" rel="noopener">{format!("terms of use (version {version})")}</a>"."
                </p>
            })}
            <div class="form-actions">
                <SubmitButton label="Create account and accept" busy_label="Accepting…" pending=action.pending() />
            </div>
        }
        .into_any(),
    };
    view! {
        <OfferSummary offer=offer.clone() />
        <section class="card card-medium">
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="token" value=token />
                {form}
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn OfferSummary(offer: InvitationOffer) -> impl IntoView {
    view! {
        <section class="card card-medium offer">
            <p class="eyebrow">{format!("Invitation · {}", offer.resource_kind.label())}</p>
            <h1>{format!("{} invites you to {}", offer.inviter_name, offer.resource_name)}</h1>
            <p class="lead">{offer.resource_description.clone()}</p>
            {(!offer.message.trim().is_empty()).then(|| view! { <blockquote class="reason"><p>{offer.message.clone()}</p></blockquote> })}
            <dl class="facts">
                <dt>"For"</dt>
                <dd>{offer.email.clone()}</dd>
                <dt>"Valid until"</dt>
                <dd>{format_date_time(offer.expires_at)}</dd>
            </dl>
        </section>
    }
}
