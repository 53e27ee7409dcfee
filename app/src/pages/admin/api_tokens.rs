use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::integrations::api_tokens::{
    admin_api_tokens, CreateApiToken, RevokeApiToken, TokenPage, TokenRow,
};
use crate::components::form::{clear_on_success, row_button, Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::dates::{format_date, format_date_time};
use rules::integrations::api_token::SCOPES;

/// Admin: API tokens for programs, and where the API is described.
#[component]
pub fn AdminApiTokensPage() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let page = Resource::new(move || location.search.get(), |_| admin_api_tokens());
    view! {
        <Title text="API tokens" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Tokens page /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tokens(page: TokenPage) -> impl IntoView {
    let query = use_query_map();
    let revoked = query.with_untracked(|q| q.get("revoked").is_some());
    view! {
        <section class="card">
            <h1>"API tokens"</h1>
            <p class="muted">
                "Programs call the portal's JSON API with a token. A token acts as the admin who made it, "
                "only for what its scopes allow, and every call is in the audit log under its name. "
                <a href="/api/v1/docs">"Read the API reference"</a>"."
            </p>
            {page.just_made.map(|(name, bearer)| view! {
                <div class="alert alert-success new-token" role="status">
                    <p>{format!("The token \"{name}\" is made. Copy it now: it is shown only this once.")}</p>
                    <p><code class="token-value" data-testid="new-token">{bearer}</code></p>
                </div>
            })}
            {revoked.then(|| view! { <div class="alert alert-info" role="status">"The token is revoked: calls with it are refused from now on."</div> })}
            <TokenTable tokens=page.tokens />
        </section>
        <section class="card card-medium">
            <h2>"Make a token"</h2>
            <NewTokenForm />
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenRow>) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="empty">"No tokens yet."</p> }.into_any();
    }
    let revoke = ServerAction::<RevokeApiToken>::new();
    let feedback = FormFeedback::of(revoke);
    view! {
        <FormSummary feedback />
        <div class="table-wrap">
            <table class="token-table">
                <caption class="visually-hidden">"API tokens"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Scopes"</th><th scope="col">"Made"</th>
                    <th scope="col">"Last used"</th><th scope="col">"State"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let state = match (t.revoked_at, t.live) {
                            (Some(at), _) => format!("Revoked {}", format_date(at)),
                            (None, false) => "Expired".to_string(),
                            (None, true) => t.expires_at.map_or("Live, no end".to_string(), |end| format!("Live until {}", format_date(end - 1))),
                        };
                        let name = t.name.clone();
                        view! {
                            <tr class:row-muted=!t.live>
                                <td><strong>{t.name}</strong><br /><code class="muted">{format!("{}…", t.prefix)}</code></td>
                                <td>{t.scopes.into_iter().map(|s| view! { <code class="scope">{s}</code>" " }).collect_view()}</td>
                                <td>{format_date(t.created_at)}<br /><span class="muted">{t.created_by}</span></td>
                                <td>{t.last_used_at.map_or("Never".to_string(), format_date_time)}</td>
                                <td>{state}</td>
                                <td>{t.live.then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="token_id" value=t.id.to_string() />
                                        {row_button("Revoke", &name, true)}
                                    </ActionForm>
                                })}</td>
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
fn NewTokenForm() -> impl IntoView {
    let action = ServerAction::<CreateApiToken>::new();
    let feedback = FormFeedback::of(action);
    let scopes_error = feedback.field("token[scopes]");
    let form = clear_on_success(action);
    view! {
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <Field label="Name" name="token[name]" maxlength=80
                hint="What uses it, so the audit log and this list say who called: e.g. \"HR onboarding sync\"."
                error=feedback.field("token[name]") value=feedback.typed("token[name]") />
            <fieldset class="field" class:field-invalid=move || scopes_error.with(Option::is_some)>
                <legend>"What it may do"</legend>
                {SCOPES.iter().enumerate().map(|(i, (scope, about))| {
                    let id = format!("scope-{}", scope.replace(':', "-"));
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=id.clone() name=format!("token[scopes][{i}]") value=*scope
                                aria-describedby="token-scopes-error" />
                            <label for=id>{*about}" "<code>{*scope}</code></label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id="token-scopes-error" aria-live="polite">{move || scopes_error.get()}</p>
            </fieldset>
            <Field label="Last day (optional)" name="token[expires_on]" kind="date"
                hint="The token stops working after this day (UTC). Leave empty for no end."
                error=feedback.field("token[expires_on]") value=feedback.typed("token[expires_on]") />
            <div class="form-actions">
                <SubmitButton label="Make token" busy_label="Making…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}
