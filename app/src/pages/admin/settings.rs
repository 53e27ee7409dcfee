use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date_time;

use crate::api::administration::settings::{
    admin_settings, PublishTerms, RemoveLogo, SaveBranding, SaveSignInMethods, SettingsView, TermsView,
    WithdrawTerms,
};
use crate::api::oidc::clients::SaveOwnerAppRegistration;
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, SelectField, SubmitButton, TextAreaField,
};
use crate::components::language::{own_name, spoken_languages};
use crate::components::problem::Problem;
use crate::components::translations::TranslatedFields;
use crate::pages::admin::second_factors::SecondFactorPolicyForm;
use rules::administration::settings_text::logo_problem_message;

/// Admin: the portal's name, colour, contact address, logo, and terms of use.
#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let l = language();
    // Read again after each save (the save comes back with a new query string).
    let location = leptos_router::hooks::use_location();
    let settings = Resource::new(move || location.search.get(), |_| admin_settings());
    view! {
        <Title text=td_string!(l, admin_system.settings) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! { <Settings settings /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(settings: SettingsView) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let saved = query.with_untracked(|q| match q.get("saved").as_deref() {
        Some("branding") => Some(td_string!(l, admin_system.saved_every_page_and_every).to_string()),
        Some("sign_in") => Some(td_string!(l, admin_system.sign_in_saved).to_string()),
        Some("second_factors") => Some(td_string!(l, admin_system.second_factors_saved).to_string()),
        Some("apps") => Some(td_string!(l, admin_system.owner_apps_saved).to_string()),
        Some("logo") => Some(td_string!(l, admin_system.the_new_logo_is_in).to_string()),
        Some("logo_removed") => Some(td_string!(l, admin_system.the_logo_is_removed_the).to_string()),
        Some("terms_withdrawn") => {
            Some(td_string!(l, admin_system.the_terms_are_withdrawn_nobody).to_string())
        }
        Some("terms") => Some(
            td_string!(
                l,
                admin_system.terms_published,
                version = q.get("version").unwrap_or_default()
            )
            .to_string(),
        ),
        _ => None,
    });
    let logo_error = query.with_untracked(|q| {
        q.get("logo_error")
            .map(|c| locales::messages::word(l, logo_problem_message(&c)))
    });
    view! {
        <section class="card card-medium">
            <h1>{td_string!(l, admin_system.settings)}</h1>
            {saved.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <BrandingForm settings=settings.clone() />
        </section>
        <section class="card card-medium" id="sign-in">
            <h2>{td_string!(l, admin_system.partner_sign_in)}</h2>
            <SignInMethodsForm methods=settings.sign_in_methods />
        </section>
        <section class="card card-medium" id="second-factors">
            <h2>{td_string!(l, admin_system.second_factors)}</h2>
            <SecondFactorPolicyForm policy=settings.second_factors />
        </section>
        <section class="card card-medium" id="apps">
            <h2>{td_string!(l, admin_system.app_sign_in)}</h2>
            <OwnerAppsForm allowed=settings.owners_register_apps />
        </section>
        <section class="card card-medium" id="logo">
            <h2>{td_string!(l, admin_system.logo)}</h2>
            <LogoForm logo_url=settings.logo_url.clone() error=logo_error />
        </section>
        <section class="card card-medium" id="terms">
            <h2>{td_string!(l, admin_system.terms_of_use)}</h2>
            <TermsForm terms=settings.terms languages=settings.other_languages />
        </section>
    }
}

#[component]
fn BrandingForm(settings: SettingsView) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveBranding>::new();
    let feedback = FormFeedback::of(action);
    let branding = settings.branding;
    let default_language = locales::from_tag(&branding.default_language).unwrap_or(locales::all()[0]);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <Field label=td_string!(l, admin_system.portal_name) name="branding[portal_name]" maxlength=60
                hint=td_string!(l, admin_system.shown_in_the_header_on)
                error=feedback.field("portal_name") value=feedback.typed_or("portal_name", branding.portal_name) />
            <TranslatedFields label=td_string!(l, admin_system.portal_name) name="branding[portal_name_translations]"
                echo="portal_name_translations" field="portal_name" languages=settings.other_languages.clone()
                values=branding.portal_name_translations feedback maxlength=60 />
            <Field label=td_string!(l, admin_system.accent_colour) name="branding[accent]" maxlength=7
                hint=td_string!(l, admin_system.and_six_hex_digits_like)
                error=feedback.field("accent") value=feedback.typed_or("accent", branding.accent) />
            <Field label=td_string!(l, admin_system.contact_email_optional) name="branding[contact_email]" kind="email"
                hint=td_string!(l, admin_system.shown_at_the_foot_of)
                error=feedback.field("contact_email") value=feedback.typed_or("contact_email", branding.contact_email) />
            <SelectField label=td_string!(l, admin_system.default_language) name="branding[default_language]"
                options=spoken_languages()
                hint=td_string!(l, admin_system.for_visitors_whose_browser_asks)
                error=feedback.field("default_language")
                selected=feedback.typed_or("default_language", locales::tag(default_language).to_string()) />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.save) busy_label=td_string!(l, admin_system.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn SignInMethodsForm(methods: rules::accounts::one_time_code::SignInMethods) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveSignInMethods>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <p class="muted">{td_string!(l, admin_system.partner_sign_in_intro)}</p>
        <FormSummary feedback />
        <ActionForm action>
            <CheckboxField label=td_string!(l, admin_system.partners_use_codes) name="partner_codes"
                checked=Signal::derive(move || methods.partner_codes) error=feedback.field("partner_codes") />
            <CheckboxField label=td_string!(l, admin_system.new_partners_choose_password) name="partner_passwords"
                checked=Signal::derive(move || methods.partner_passwords) />
            <p class="field-hint">{td_string!(l, admin_system.passwords_kept)}</p>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.save_sign_in) busy_label=td_string!(l, admin_system.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn OwnerAppsForm(allowed: bool) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveOwnerAppRegistration>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <CheckboxField label=td_string!(l, admin_system.owners_register_apps) name="owners_register"
                checked=Signal::derive(move || allowed) />
            <p class="field-hint">{td_string!(l, admin_system.owners_register_apps_hint)}</p>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.save_app_sign_in) busy_label=td_string!(l, admin_system.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn LogoForm(logo_url: Option<String>, error: Option<String>) -> impl IntoView {
    let l = language();
    let remove = ServerAction::<RemoveLogo>::new();
    let invalid = error.is_some();
    view! {
        {match logo_url.clone() {
            Some(url) => view! { <p class="logo-preview"><img src=url alt="The current logo" /></p> }.into_any(),
            None => view! { <p class="muted">{td_string!(l, admin_system.no_logo_yet_the_header)}</p> }.into_any(),
        }}
        <form method="post" enctype="multipart/form-data" action="/admin/settings/logo">
            <div class="field" class:field-invalid=invalid>
                <label for="logo-file">{td_string!(l, admin_system.image)}</label>
                <p class="field-hint" id="logo-file-hint">{td_string!(l, admin_system.png_jpeg_gif_or_webp)}</p>
                <input id="logo-file" type="file" name="logo" accept="image/png,image/jpeg,image/gif,image/webp"
                    aria-describedby="logo-file-hint logo-file-error"
                    aria-invalid=if invalid { "true" } else { "false" } />
                <p class="field-error" id="logo-file-error" aria-live="polite">{error}</p>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-secondary">{td_string!(l, admin_system.upload_logo)}</button>
            </div>
        </form>
        {logo_url.is_some().then(|| view! {
            <ActionForm action=remove>
                <button type="submit" class="button button-danger button-small">{td_string!(l, admin_system.remove_logo)}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn TermsForm(terms: Vec<TermsView>, languages: Vec<String>) -> impl IntoView {
    let l = language();
    let action = ServerAction::<PublishTerms>::new();
    let withdraw = ServerAction::<WithdrawTerms>::new();
    let feedback = FormFeedback::of(action);
    let withdraw_feedback = FormFeedback::of(withdraw);
    // An empty latest version withdrew the terms.
    let current = terms.first().filter(|t| !t.text.is_empty()).cloned();
    let intro = match &current {
        Some(t) => td_string!(
            l,
            admin_system.terms_in_force,
            version = t.version,
            when = date_time(l, t.published_at),
            by = published_by(l, t.published_by.clone()),
            next = t.version + 1
        )
        .to_string(),
        None => td_string!(l, admin_system.no_terms_yet_once_published).to_string(),
    };
    let in_force = current.is_some();
    let (text, translations) = current.map(|t| (t.text, t.translations)).unwrap_or_default();
    view! {
        <p class="muted">{intro}</p>
        <FormSummary feedback />
        <ActionForm action>
            <TextAreaField label=td_string!(l, admin_system.terms_of_use) name="text" rows=10 maxlength=20_000
                error=feedback.field("text") value=feedback.typed_or("text", text) />
            <TranslatedFields label=td_string!(l, admin_system.terms_of_use) name="translations" field="text"
                languages values=translations feedback rows=10 />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.publish_as_a_new_version) busy_label=td_string!(l, admin_system.publishing) pending=action.pending() />
            </div>
        </ActionForm>
        {in_force.then(|| view! {
            <FormSummary feedback=withdraw_feedback />
            <ActionForm action=withdraw>
                <button type="submit" class="button button-danger button-small">{td_string!(l, admin_system.withdraw_the_terms)}</button>
            </ActionForm>
        })}
        {(!terms.is_empty()).then(|| view! {
            <h3 class="section-break">{td_string!(l, admin_system.versions)}</h3>
            <ul class="decisions">
                {terms.into_iter().map(|t| view! {
                    <li>
                        <details>
                            <summary>{td_string!(l, admin_system.terms_version_line,
                                version = t.version,
                                withdrew = if t.text.is_empty() { td_string!(l, admin_system.withdrew_the_terms) } else { "" },
                                when = date_time(l, t.published_at),
                                by = published_by(l, t.published_by.clone())).to_string()}</summary>
                            {(!t.text.is_empty()).then(|| view! { <div class="terms-text">{t.text}</div> })}
                            {t.translations.into_iter().filter_map(|(tag, text)| locales::from_tag(&tag).map(|spoken| view! {
                                <p class="eyebrow" lang=tag.clone()>{own_name(spoken)}</p>
                                <div class="terms-text" lang=tag>{text}</div>
                            })).collect_view()}
                        </details>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// " by Ann" after a publication date, or nothing.
fn published_by(l: locales::Locale, by: Option<String>) -> String {
    by.map(|name| td_string!(l, admin_system.by_name, name).to_string())
        .unwrap_or_default()
}
