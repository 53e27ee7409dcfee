use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::{date, date_time};
use locales::Locale;

use crate::api::integrations::api_tokens::{
    admin_api_tokens, CreateApiToken, RevokeApiToken, TokenPage, TokenRow,
};
use crate::components::form::{clear_on_success, row_button, Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::integrations::api_token::SCOPES;

/// Admin: API tokens for programs, and where the API is described.
#[component]
pub fn AdminApiTokensPage() -> impl IntoView {
    let l = language();
    let location = leptos_router::hooks::use_location();
    let page = Resource::new(move || location.search.get(), |_| admin_api_tokens());
    view! {
        <Title text=td_string!(l, admin_integrations.api_tokens) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_integrations.loading)}</p> }>
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
    let l = language();
    let query = use_query_map();
    let revoked = query.with_untracked(|q| q.get("revoked").is_some());
    view! {
        <section class="card">
            <h1>{td_string!(l, admin_integrations.api_tokens)}</h1>
            <p class="muted">
                {td_string!(l, admin_integrations.programs_call_the_portal_s)}" "
                <a href="/api/v1/docs">{td_string!(l, admin_integrations.read_the_api_reference)}</a>"."
            </p>
            {page.just_made.map(|(name, bearer)| view! {
                <div class="alert alert-success new-token" role="status">
                    <p>{td_string!(l, admin_integrations.token_made, name).to_string()}</p>
                    <p><code class="token-value" data-testid="new-token">{bearer}</code></p>
                </div>
            })}
            {revoked.then(|| view! { <div class="alert alert-info" role="status">{td_string!(l, admin_integrations.the_token_is_revoked_calls)}</div> })}
            <TokenTable tokens=page.tokens />
        </section>
        <section class="card card-medium">
            <h2>{td_string!(l, admin_integrations.make_a_token)}</h2>
            <NewTokenForm />
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenRow>) -> impl IntoView {
    let l = language();
    if tokens.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_integrations.no_tokens_yet)}</p> }.into_any();
    }
    let revoke = ServerAction::<RevokeApiToken>::new();
    let feedback = FormFeedback::of(revoke);
    view! {
        <FormSummary feedback />
        <div class="table-wrap">
            <table class="token-table">
                <caption class="visually-hidden">{td_string!(l, admin_integrations.api_tokens)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, admin_integrations.name)}</th><th scope="col">{td_string!(l, admin_integrations.scopes)}</th><th scope="col">{td_string!(l, admin_integrations.made)}</th>
                    <th scope="col">{td_string!(l, admin_integrations.last_used)}</th><th scope="col">{td_string!(l, admin_integrations.state)}</th>
                    <th scope="col"><span class="visually-hidden">{td_string!(l, admin_integrations.actions)}</span></th>
                </tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let state = match (t.revoked_at, t.live) {
                            (Some(at), _) => td_string!(l, admin_integrations.revoked_on, date = date(l, at)).to_string(),
                            (None, false) => td_string!(l, admin_integrations.expired).to_string(),
                            (None, true) => t.expires_at.map_or(td_string!(l, admin_integrations.live_no_end).to_string(), |end| td_string!(l, admin_integrations.live_until, date = date(l, end - 1)).to_string()),
                        };
                        let name = t.name.clone();
                        view! {
                            <tr class:row-muted=!t.live>
                                <td><strong>{t.name}</strong><br /><code class="muted">{format!("{}…", t.prefix)}</code></td>
                                <td>{t.scopes.into_iter().map(|s| view! { <code class="scope">{s}</code>" " }).collect_view()}</td>
                                <td>{date(l, t.created_at)}<br /><span class="muted">{t.created_by}</span></td>
                                <td>{t.last_used_at.map_or(td_string!(l, admin_integrations.never).to_string(), |t| date_time(l, t))}</td>
                                <td>{state}</td>
                                <td>{t.live.then(|| view! {
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="token_id" value=t.id.to_string() />
                                        {row_button(td_string!(l, admin_integrations.revoke), &name, true)}
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
    let l = language();
    let action = ServerAction::<CreateApiToken>::new();
    let feedback = FormFeedback::of(action);
    let scopes_error = feedback.field("token[scopes]");
    let form = clear_on_success(action);
    view! {
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <Field label=td_string!(l, admin_integrations.name) name="token[name]" maxlength=80
                hint=td_string!(l, admin_integrations.what_uses_it_so_the)
                error=feedback.field("token[name]") value=feedback.typed("token[name]") />
            <fieldset class="field" class:field-invalid=move || scopes_error.with(Option::is_some)>
                <legend>{td_string!(l, admin_integrations.what_it_may_do)}</legend>
                {SCOPES.iter().enumerate().map(|(i, scope)| {
                    let id = format!("scope-{}", scope.replace(':', "-"));
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=id.clone() name=format!("token[scopes][{i}]") value=*scope
                                aria-describedby="token-scopes-error" />
                            <label for=id>{scope_meaning(l, scope)}" "<code>{*scope}</code></label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id="token-scopes-error" aria-live="polite">{move || scopes_error.get()}</p>
            </fieldset>
            <Field label=td_string!(l, admin_integrations.last_day_optional) name="token[expires_on]" kind="date"
                hint=td_string!(l, admin_integrations.the_token_stops_working_after)
                error=feedback.field("token[expires_on]") value=feedback.typed("token[expires_on]") />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_integrations.make_token) busy_label=td_string!(l, admin_integrations.making) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// What a scope lets a token do, in the reader's words.
fn scope_meaning(l: Locale, scope: &str) -> &'static str {
    match scope {
        "resources:read" => td_string!(l, admin_integrations.scope_resources_read),
        "invitations:read" => td_string!(l, admin_integrations.scope_invitations_read),
        "invitations:write" => td_string!(l, admin_integrations.scope_invitations_write),
        "requests:read" => td_string!(l, admin_integrations.scope_requests_read),
        "requests:decide" => td_string!(l, admin_integrations.scope_requests_decide),
        _ => td_string!(l, admin_integrations.scope_memberships_read),
    }
}
