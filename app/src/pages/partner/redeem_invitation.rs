//! The invitation link. Drawn without the router (`crate::plain_page`).

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::invitations::redeem::{
    get_invitation_offer, InvitationOffer, RedeemInvitation, SendInvitationCode,
};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::here::here;
use crate::components::language::language;
use crate::components::layout::SignOutForm;
use crate::components::problem::Problem;
use crate::plain_page::{path_parameter, Drawn};
use leptos_i18n::td_string;
use locales::dates::date_time_from_now;
use rules::accounts::one_time_code::check_code;
use rules::error::AppError;
use rules::invitations::invitation::InvitationState;
use rules::validation::{check_display_name, check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// The invitation link. Looking at it changes nothing; only the button below redeems it. The
/// address carries a secret, so the page sends no referrer; `?code` once a code was sent.
pub async fn invitation_page() -> Drawn {
    crate::api::session::send_no_referrer();
    let l = language();
    let token = path_parameter().await;
    let code_sent = here().query.get_untracked().get("code").is_some();
    let body = match get_invitation_offer(token.clone()).await {
        Ok(offer) if offer.state == InvitationState::Pending => {
            view! { <Offer offer token code_sent /> }.into_any()
        }
        Ok(offer) => view! { <NotUsable offer /> }.into_any(),
        Err(AppError::NotFound) => view! { <UnknownLink /> }.into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    Drawn {
        title: td_string!(l, invitation.title).to_string(),
        body,
    }
}

/// A link that matches no invitation: mistyped, or replaced by a newer email.
#[component]
fn UnknownLink() -> impl IntoView {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let l = language();
    view! {
        <section class="card card-narrow">
            <h1>{td_string!(l, invitation.unknown_title)}</h1>
            <p>{td_string!(l, invitation.unknown_text)}</p>
            <p><a href="/">{td_string!(l, invitation.go_home)}</a></p>
        </section>
    }
}

#[component]
fn NotUsable(offer: InvitationOffer) -> impl IntoView {
    let l = language();
    let (title, text) = match offer.state {
        InvitationState::Expired => (
            td_string!(l, invitation.expired_title),
            td_string!(l, invitation.expired_text),
        ),
        InvitationState::Revoked => (
            td_string!(l, invitation.withdrawn_title),
            td_string!(l, invitation.withdrawn_text),
        ),
        _ => (
            td_string!(l, invitation.used_title),
            td_string!(l, invitation.used_text),
        ),
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::GONE);
    }
    let again = format!("/request/{}", offer.resource_slug);
    view! {
        <section class="card card-narrow">
            <h1>{title}</h1>
            <p>{text}</p>
            <p>{td_string!(l, invitation.ask_again_text, name = &offer.resource_name).to_string()}</p>
            <div class="form-actions">
                <a class="button button-primary" href=again>{td_string!(l, invitation.ask_again)}</a>
                <a href="/sign-in">{td_string!(l, invitation.sign_in)}</a>
            </div>
        </section>
    }
}

#[component]
fn Offer(offer: InvitationOffer, token: String, code_sent: bool) -> impl IntoView {
    let l = language();
    let body = match &offer.signed_in_as {
        Some(email) if *email == offer.email && offer.second_factor_first => view! {
            <p class="alert alert-info">{td_string!(l, invitation.second_step_before_accepting)}</p>
            <p><a class="button button-primary" href=format!("/sign-in/second-factor?next=/invite/{token}")>{td_string!(l, invitation.confirm_it_is_you)}</a></p>
        }
        .into_any(),
        Some(email) if *email == offer.email => view! { <AcceptSignedIn email=email.clone() token /> }.into_any(),
        Some(email) => view! {
            <div class="alert alert-warn" role="alert">
                {td_string!(l, invitation.wrong_account, email, invited = &offer.email).to_string()}
            </div>
            <SignOutForm label=td_string!(l, invitation.sign_out) />
        }
        .into_any(),
        None if offer.codes && code_sent => view! { <RedeemWithCode offer=offer.clone() token /> }.into_any(),
        None => {
            let password_form = if offer.account_exists {
                offer.account_has_password.then(|| view! { <SignInAndAccept offer=offer.clone() token=token.clone() /> }.into_any())
            } else {
                (offer.passwords || !offer.codes)
                    .then(|| view! { <CreateWithPassword offer=offer.clone() token=token.clone() /> }.into_any())
            };
            let or_password = offer.codes && password_form.is_some();
            view! {
                {offer.codes.then(|| view! { <SendCode offer=offer.clone() token=token.clone() /> })}
                {or_password.then(|| view! { <h2 class="form-section section-break">{td_string!(l, invitation.or_password)}</h2> })}
                {password_form}
            }
            .into_any()
        }
    };
    view! {
        <OfferSummary offer=offer.clone() />
        <section class="card card-medium">{body}</section>
    }
    .into_any()
}

#[component]
fn AcceptSignedIn(email: String, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<RedeemInvitation>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="mode" value="signed_in" />
            <p>{td_string!(l, invitation.signed_in_as, email).to_string()}</p>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, invitation.accept) busy_label=td_string!(l, invitation.accepting) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// The first step with codes: one button sends a code to the invited address.
#[component]
fn SendCode(offer: InvitationOffer, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SendInvitationCode>::new();
    let feedback = FormFeedback::of(action);
    // A domain with its own identity provider: the partner proves the address there.
    let (intro, label, busy) = match &offer.provider {
        Some(provider) => (
            td_string!(l, invitation.provider_intro, email = &offer.email, provider).to_string(),
            td_string!(l, invitation.continue_with, provider).to_string(),
            td_string!(l, invitation.going_to, provider).to_string(),
        ),
        None => (
            td_string!(l, invitation.code_intro, email = &offer.email).to_string(),
            td_string!(l, invitation.send_code).to_string(),
            td_string!(l, invitation.sending_code).to_string(),
        ),
    };
    view! {
        <p>{intro}</p>
        <FormSummary feedback />
        <ActionForm action attr:id="send-code">
            <input type="hidden" name="token" value=token />
            <p class="field-error" aria-live="polite">{move || feedback.field("code").get()}</p>
            <div class="form-actions">
                <SubmitButton label busy_label=busy pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// The second step with codes: the code from the email, and the name of a new account.
#[component]
fn RedeemWithCode(offer: InvitationOffer, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<RedeemInvitation>::new();
    let feedback = FormFeedback::of(action);
    let resend = ServerAction::<SendInvitationCode>::new();
    let resend_feedback = FormFeedback::of(resend);
    let new_account = !offer.account_exists;
    let resend_token = token.clone();
    view! {
        <p>{td_string!(l, invitation.code_sent_to, email = &offer.email).to_string()}</p>
        <FormSummary feedback />
        <ActionForm action attr:id="redeem-with-code">
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="mode" value="code" />
            {new_account.then(|| view! {
                <Field label=td_string!(l, invitation.full_name) name="display_name" autocomplete="name" required=true maxlength=100
                    error=feedback.field("display_name") value=feedback.typed_or("display_name", offer.display_name.clone()) check=check_display_name />
            })}
            <Field label=td_string!(l, invitation.code) name="code" autocomplete="one-time-code" inputmode="numeric" required=true maxlength=12
                hint=td_string!(l, invitation.code_hint) error=feedback.field("code") check=check_code />
            {new_account.then(|| view! { <TermsNotice version=offer.terms_version /> })}
            <div class="form-actions">
                <SubmitButton label=td_string!(l, invitation.accept) busy_label=td_string!(l, invitation.accepting) pending=action.pending() />
            </div>
        </ActionForm>
        <FormSummary feedback=resend_feedback />
        <ActionForm action=resend attr:id="resend-code">
            <input type="hidden" name="token" value=resend_token />
            <p class="muted form-note">{td_string!(l, invitation.no_code_came)}" "
                <button type="submit" class="button-link">{td_string!(l, invitation.send_new_code)}</button>
            </p>
        </ActionForm>
    }
}

/// The invited address has an account with a password: sign in with it to accept.
#[component]
fn SignInAndAccept(offer: InvitationOffer, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<RedeemInvitation>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="mode" value="existing" />
            <p>{td_string!(l, invitation.has_account, email = &offer.email).to_string()}</p>
            <Field label=td_string!(l, invitation.password) name="password" kind="password" autocomplete="current-password" required=true
                error=feedback.field("password") />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, invitation.sign_in_and_accept) busy_label=td_string!(l, invitation.accepting) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// A new account with a password (where the portal lets new partners choose one).
#[component]
fn CreateWithPassword(offer: InvitationOffer, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<RedeemInvitation>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <input type="hidden" name="mode" value="new" />
            <p>{td_string!(l, invitation.create_for, email = &offer.email).to_string()}</p>
            <Field label=td_string!(l, invitation.full_name) name="display_name" autocomplete="name" required=true maxlength=100
                error=feedback.field("display_name") value=feedback.typed_or("display_name", offer.display_name.clone()) check=check_display_name />
            <Field label=td_string!(l, invitation.choose_password) name="password" kind="password" autocomplete="new-password" required=true
                hint=td_string!(l, invitation.password_hint, recommended = PASSWORD_RECOMMENDED_CHARS).to_string()
                error=feedback.field("password") check=check_password_length />
            <Field label=td_string!(l, invitation.repeat_password) name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            <TermsNotice version=offer.terms_version />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, invitation.create_and_accept) busy_label=td_string!(l, invitation.accepting) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// A new account accepts the terms in force: said before the button.
#[component]
fn TermsNotice(version: Option<i64>) -> impl IntoView {
    let l = language();
    version.map(|version| view! {
        <p class="muted" id="terms-notice">
            {td_string!(l, invitation.terms_notice_start)}
            <a href="/terms" target="_blank" rel="noopener">{td_string!(l, invitation.terms_notice_link, version).to_string()}</a>
            {td_string!(l, invitation.terms_notice_end)}
        </p>
    })
}

#[component]
fn OfferSummary(offer: InvitationOffer) -> impl IntoView {
    let l = language();
    let kind = crate::pages::partner::kind_name(l, offer.resource_kind);
    view! {
        <section class="card card-medium offer">
            <p class="eyebrow">{td_string!(l, invitation.eyebrow, kind).to_string()}</p>
            <h1>{td_string!(l, invitation.invites_you, inviter = &offer.inviter_name, resource = &offer.resource_name).to_string()}</h1>
            <p class="lead">{offer.resource_description.clone()}</p>
            {(!offer.message.trim().is_empty()).then(|| view! { <blockquote class="reason"><p>{offer.message.clone()}</p></blockquote> })}
            <dl class="facts">
                <dt>{td_string!(l, invitation.for_whom)}</dt>
                <dd>{offer.email.clone()}</dd>
                <dt>{td_string!(l, invitation.valid_until)}</dt>
                <dd>{date_time_from_now(l, offer.now, offer.expires_at)}</dd>
            </dl>
        </section>
    }
}
