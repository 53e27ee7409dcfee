//! The person's second factors: the account page's section, adding an authenticator app, and
//! the recovery codes shown once.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use locales::dates::date;

use crate::api::mfa::enrolment::{
    authenticator_enrolment, fresh_recovery_codes, my_second_factors, ConfirmAuthenticator,
    RemoveAuthenticator, RenewRecoveryCodes, SecondFactorsView,
};
use crate::api::mfa::passkeys::RemovePasskey;
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use crate::components::problem::Problem;
use leptos_router::hooks::use_query_map;
use rules::mfa::second_step::check_authenticator_code;
use rules::validation::safe_return_path;

/// The account page's section: authenticators and passkeys with their last use, recovery codes
/// left.
#[component]
pub fn SecondFactorsSection() -> impl IntoView {
    let l = language();
    // Adding or removing a factor comes back to /account?added=1 or ?removed=1: read again, and
    // say what happened.
    let search = leptos_router::hooks::use_location().search;
    let factors = Resource::new(move || search.get(), |_| my_second_factors());
    let query = use_query_map();
    let done = move || {
        query.with(|q| {
            if q.get("added").is_some() {
                Some(td_string!(l, partner.factor_added))
            } else if q.get("removed").is_some() {
                Some(td_string!(l, partner.factor_removed))
            } else {
                None
            }
        })
    };
    view! {
        <h2 id="second-step">{td_string!(l, partner.second_step)}</h2>
        {move || done().map(|text| view! { <p class="alert alert-success" role="status">{text}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match factors.await {
                    Ok(factors) => view! { <SecondFactors factors /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SecondFactors(factors: SecondFactorsView) -> impl IntoView {
    let l = language();
    let remove = ServerAction::<RemoveAuthenticator>::new();
    let remove_passkey = ServerAction::<RemovePasskey>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let add_passkey = factors.passkeys_available.then(|| view! {
        <a class="button button-secondary needs-passkeys" href="/account/passkey">{td_string!(l, partner.add_passkey)}</a>
    });
    if factors.is_empty() {
        return view! {
            <p>{td_string!(l, partner.no_second_step)}</p>
            <div class="form-actions">
                <a class="button" href="/account/authenticator">{td_string!(l, partner.add_authenticator)}</a>
                {add_passkey}
            </div>
        }
        .into_any();
    }
    let left = factors.recovery_codes_left;
    let never = move || td_string!(l, partner.never).to_string();
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, partner.second_step)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, partner.factor)}</th>
                    <th scope="col">{td_string!(l, partner.added_on)}</th>
                    <th scope="col">{td_string!(l, partner.last_used)}</th>
                    <th scope="col"><span class="visually-hidden">{td_string!(l, partner.actions)}</span></th>
                </tr></thead>
                <tbody>
                    {factors.authenticators.into_iter().map(|a| view! {
                        <tr>
                            <td>{td_string!(l, partner.authenticator_app)}</td>
                            <td>{date(l, a.added_at)}</td>
                            <td>{a.last_used_at.map(|at| date(l, at)).unwrap_or_else(never)}</td>
                            <td><ActionForm action=remove>{remove_fields(l, a.id)}</ActionForm></td>
                        </tr>
                    }).collect_view()}
                    {factors.passkeys.into_iter().map(|p| view! {
                        <tr>
                            <td>{td_string!(l, partner.passkey)}": "<strong>{p.name}</strong></td>
                            <td>{date(l, p.added_at)}</td>
                            <td>{p.last_used_at.map(|at| date(l, at)).unwrap_or_else(never)}</td>
                            <td><ActionForm action=remove_passkey>{remove_fields(l, p.id)}</ActionForm></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p>{locales::messages::counted(l, "recovery_codes_left", left)}</p>
        <div class="form-actions">
            <ActionForm action=renew>
                <button type="submit" class="button button-secondary">{td_string!(l, partner.new_recovery_codes)}</button>
            </ActionForm>
            <a class="button button-secondary" href="/account/authenticator">{td_string!(l, partner.add_another_authenticator)}</a>
            {add_passkey}
        </div>
    }
    .into_any()
}

/// The inside of a row's remove form.
fn remove_fields(l: locales::Locale, id: i64) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id />
        <button type="submit" class="button button-danger button-small">{td_string!(l, partner.remove)}</button>
    }
}

/// Adding an authenticator app: scan the code (or type the secret), then type a first code.
#[component]
pub fn AddAuthenticatorPage() -> impl IntoView {
    let l = language();
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let cancel =
        StoredValue::new(safe_return_path(&next).map_or("/account".to_string(), |_| "/".to_string()));
    let next = StoredValue::new(next);
    let enrolment = Resource::new(|| (), |_| authenticator_enrolment());
    let action = ServerAction::<ConfirmAuthenticator>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <Title text=td_string!(l, partner.add_authenticator) />
        <section class="card card-medium">
            <h1>{td_string!(l, partner.add_authenticator)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, partner.loading)}</p> }>
                {move || Suspend::new(async move {
                    match enrolment.await {
                        Ok(enrolment) => view! {
                            <ol class="steps">
                                <li>{td_string!(l, partner.scan_this_code)}
                                    <div class="qr-code" role="img" aria-label=td_string!(l, partner.qr_code_label) inner_html=enrolment.qr_svg></div>
                                </li>
                                <li>{td_string!(l, partner.or_type_the_secret)}
                                    <p><code class="secret" data-testid="authenticator-secret">{enrolment.secret}</code></p>
                                </li>
                                <li>{td_string!(l, partner.type_first_code)}</li>
                            </ol>
                            <FormSummary feedback />
                            <ActionForm action>
                                <input type="hidden" name="next" value=next.get_value() />
                                <Field
                                    label=td_string!(l, partner.code_from_app)
                                    name="code"
                                    autocomplete="one-time-code"
                                    inputmode="numeric"
                                    required=true
                                    maxlength=12
                                    error=feedback.field("code")
                                    check=check_authenticator_code
                                />
                                <div class="form-actions">
                                    <SubmitButton label=td_string!(l, partner.add_authenticator_submit) busy_label=td_string!(l, partner.saving) pending=action.pending() />
                                    <a href=cancel.get_value()>{td_string!(l, partner.cancel)}</a>
                                </div>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The recovery codes just made, shown this once.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let l = language();
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let onward = safe_return_path(&next).unwrap_or("/account").to_string();
    let label = if onward == "/account" {
        td_string!(l, partner.codes_kept_continue)
    } else {
        td_string!(l, partner.codes_kept_go_on)
    };
    let onward = StoredValue::new(onward);
    let codes = Resource::new(|| (), |_| fresh_recovery_codes());
    view! {
        <Title text=td_string!(l, partner.recovery_codes) />
        <section class="card card-medium">
            <h1>{td_string!(l, partner.recovery_codes)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match codes.await {
                        Ok(codes) if !codes.is_empty() => view! {
                            <p>{td_string!(l, partner.recovery_codes_intro)}</p>
                            <ol class="recovery-codes" data-testid="recovery-codes">
                                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
                            </ol>
                            <p><a class="button" href=onward.get_value()>{label}</a></p>
                        }.into_any(),
                        Ok(_) => view! {
                            <p>{td_string!(l, partner.recovery_codes_shown)}</p>
                            <p><a href="/account#second-step">{td_string!(l, partner.back_to_account)}</a></p>
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
