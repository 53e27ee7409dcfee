use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::settings::{
    admin_settings, PublishTerms, RemoveLogo, SaveBranding, SettingsView, TermsView, WithdrawTerms,
};
use crate::components::form::{Field, FormFeedback, FormSummary, SelectField, SubmitButton, TextAreaField};
use crate::components::language::spoken_languages;
use crate::components::problem::Problem;
use rules::administration::settings_text::logo_problem_message;
use rules::dates::format_date_time;

/// Admin: the portal's name, colour, contact address, logo, and terms of use.
#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    // Read again after each save (the save comes back with a new query string).
    let location = leptos_router::hooks::use_location();
    let settings = Resource::new(move || location.search.get(), |_| admin_settings());
    view! {
        <Title text="Settings" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let query = use_query_map();
    let saved = query.with_untracked(|q| match q.get("saved").as_deref() {
        Some("branding") => Some("Saved. Every page and every new email now uses it.".to_string()),
        Some("logo") => Some("The new logo is in place.".to_string()),
        Some("logo_removed") => Some("The logo is removed; the portal shows its own mark again.".to_string()),
        Some("terms_withdrawn") => {
            Some("The terms are withdrawn: nobody is asked to accept any.".to_string())
        }
        Some("terms") => Some(format!(
            "Version {} of the terms is published. Partners accept it at their next sign-in.",
            q.get("version").unwrap_or_default()
        )),
        _ => None,
    });
    let logo_error = query.with_untracked(|q| q.get("logo_error").map(|c| logo_problem_message(&c)));
    view! {
        <section class="card card-medium">
            <h1>"Settings"</h1>
            {saved.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <BrandingForm settings=settings.clone() />
        </section>
        <section class="card card-medium" id="logo">
            <h2>"Logo"</h2>
            <LogoForm logo_url=settings.logo_url.clone() error=logo_error />
        </section>
        <section class="card card-medium" id="terms">
            <h2>"Terms of use"</h2>
            <TermsForm terms=settings.terms />
        </section>
    }
}

#[component]
fn BrandingForm(settings: SettingsView) -> impl IntoView {
    let action = ServerAction::<SaveBranding>::new();
    let feedback = FormFeedback::of(action);
    let branding = settings.branding;
    let default_language = locales::from_tag(&branding.default_language).unwrap_or(locales::all()[0]);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            <Field label="Portal name" name="branding[portal_name]" maxlength=60
                hint="Shown in the header, on the home page and in every email."
                error=feedback.field("portal_name") value=feedback.typed_or("portal_name", branding.portal_name) />
            <Field label="Accent colour" name="branding[accent]" maxlength=7
                hint="# and six hex digits, like #1f5f8b. Buttons and links use it; it must be dark enough for white text."
                error=feedback.field("accent") value=feedback.typed_or("accent", branding.accent) />
            <Field label="Contact email (optional)" name="branding[contact_email]" kind="email"
                hint="Shown at the foot of every email, for partners with questions."
                error=feedback.field("contact_email") value=feedback.typed_or("contact_email", branding.contact_email) />
            <SelectField label="Default language" name="branding[default_language]"
                options=spoken_languages()
                hint="For visitors whose browser asks for no language Portico speaks, and for emails to people who have not chosen one."
                error=feedback.field("default_language")
                selected=feedback.typed_or("default_language", locales::tag(default_language).to_string()) />
            <div class="form-actions">
                <SubmitButton label="Save" busy_label="Saving…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn LogoForm(logo_url: Option<String>, error: Option<&'static str>) -> impl IntoView {
    let remove = ServerAction::<RemoveLogo>::new();
    let invalid = error.is_some();
    view! {
        {match logo_url.clone() {
            Some(url) => view! { <p class="logo-preview"><img src=url alt="The current logo" /></p> }.into_any(),
            None => view! { <p class="muted">"No logo yet: the header shows the portal's own mark."</p> }.into_any(),
        }}
        <form method="post" enctype="multipart/form-data" action="/admin/settings/logo">
            <div class="field" class:field-invalid=invalid>
                <label for="logo-file">"Image"</label>
                <p class="field-hint" id="logo-file-hint">"PNG, JPEG, GIF or WebP, at most 256 KB. It is shown 28 pixels high."</p>
                <input id="logo-file" type="file" name="logo" accept="image/png,image/jpeg,image/gif,image/webp"
                    aria-describedby="logo-file-hint logo-file-error"
                    aria-invalid=if invalid { "true" } else { "false" } />
                <p class="field-error" id="logo-file-error" aria-live="polite">{error}</p>
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-secondary">"Upload logo"</button>
            </div>
        </form>
        {logo_url.is_some().then(|| view! {
            <ActionForm action=remove>
                <button type="submit" class="button button-danger button-small">"Remove logo"</button>
            </ActionForm>
        })}
    }
}

#[component]
fn TermsForm(terms: Vec<TermsView>) -> impl IntoView {
    let action = ServerAction::<PublishTerms>::new();
    let withdraw = ServerAction::<WithdrawTerms>::new();
    let feedback = FormFeedback::of(action);
    let withdraw_feedback = FormFeedback::of(withdraw);
    // An empty latest version withdrew the terms.
    let current = terms.first().filter(|t| !t.text.is_empty()).cloned();
    let intro = match &current {
        Some(t) => format!(
            "Version {} is in force, published {}{}. Publishing changed terms makes version {}, which every partner accepts at their next sign-in.",
            t.version,
            format_date_time(t.published_at),
            t.published_by.as_ref().map(|by| format!(" by {by}")).unwrap_or_default(),
            t.version + 1
        ),
        None => "No terms yet. Once published, every partner accepts them at their next sign-in, and new partners when they accept an invitation.".to_string(),
    };
    let in_force = current.is_some();
    let text = current.map(|t| t.text).unwrap_or_default();
    view! {
        <p class="muted">{intro}</p>
        <FormSummary feedback />
        <ActionForm action>
            <TextAreaField label="Terms of use" name="text" rows=10 maxlength=20_000
                error=feedback.field("text") value=feedback.typed_or("text", text) />
            <div class="form-actions">
                <SubmitButton label="Publish as a new version" busy_label="Publishing…" pending=action.pending() />
            </div>
        </ActionForm>
        {in_force.then(|| view! {
            <FormSummary feedback=withdraw_feedback />
            <ActionForm action=withdraw>
                <button type="submit" class="button button-danger button-small">"Withdraw the terms"</button>
            </ActionForm>
        })}
        {(!terms.is_empty()).then(|| view! {
            <h3 class="section-break">"Versions"</h3>
            <ul class="decisions">
                {terms.into_iter().map(|t| view! {
                    <li>
                        <details>
                            <summary>{format!("Version {}{}, {}{}", t.version,
                                if t.text.is_empty() { " (withdrew the terms)" } else { "" },
                                format_date_time(t.published_at),
                                t.published_by.map(|by| format!(" by {by}")).unwrap_or_default())}</summary>
                            {(!t.text.is_empty()).then(|| view! { <div class="terms-text">{t.text}</div> })}
                        </details>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
