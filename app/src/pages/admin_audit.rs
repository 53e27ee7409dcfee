use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::admin_audit::{audit_choices, audit_log, AuditEntry, AuditPage, FilterChoices};
use crate::components::problem::Problem;
use crate::domain::audit_filter::AuditFilterInput;
use crate::domain::dates::format_date_time;
use crate::error::AppError;

/// Admin: who did what, when; filtered, newest first, downloadable as CSV.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            AuditFilterInput {
                actor: get("actor"),
                action: get("action"),
                target: get("target"),
                resource: get("resource"),
                from: get("from"),
                to: get("to"),
            }
        })
    });
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let choices = Resource::new(|| (), |_| audit_choices());
    let page = Resource::new(
        move || (filter.get(), before()),
        |(filter, before)| audit_log(filter, before),
    );
    view! {
        <Title text="Audit log" />
        <section class="card">
            <div class="card-head">
                <h1>"Audit log"</h1>
                <a class="button button-secondary" href=move || {
                    let q = filter.get().query();
                    if q.is_empty() { "/admin/audit.csv".to_string() } else { format!("/admin/audit.csv?{q}") }
                } download="">"Download CSV"</a>
            </div>
            <p class="muted">"Every sign-in, decision and change, newest first. Nothing here can be edited or deleted."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let choices = choices.await;
                    let page = page.await;
                    match choices {
                        Err(error) => view! { <Problem error /> }.into_any(),
                        Ok(choices) => {
                            let errors = match &page {
                                Err(AppError::Invalid(errors)) => Some(errors.clone()),
                                _ => None,
                            };
                            let message = move |field: &str| errors.as_ref().and_then(|e| e.message(field).map(str::to_string));
                            let form = view! { <FilterForm filter=filter.get_untracked() choices message /> };
                            let body = match page {
                                Ok(page) => view! { <Entries page filter=filter.get_untracked() /> }.into_any(),
                                Err(AppError::Invalid(_)) => view! { <p class="empty">"Correct the filter to see events."</p> }.into_any(),
                                Err(error) => view! { <Problem error /> }.into_any(),
                            };
                            view! { {form} {body} }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FilterForm(
    filter: AuditFilterInput,
    choices: FilterChoices,
    message: impl Fn(&str) -> Option<String> + 'static,
) -> impl IntoView {
    let field =
        |id: &'static str, label: &'static str, kind: &'static str, value: String, error: Option<String>| {
            let error_id = format!("audit-{id}-error");
            let invalid = error.is_some();
            view! {
                <div class="field" class:field-invalid=invalid>
                    <label for=format!("audit-{id}")>{label}</label>
                    <input id=format!("audit-{id}") name=id type=kind value=value
                        aria-invalid=if invalid { "true" } else { "false" }
                        aria-describedby=invalid.then(|| error_id.clone()) />
                    {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                </div>
            }
        };
    let resource_error = message("resource");
    let resource_invalid = resource_error.is_some();
    view! {
        <form method="get" action="/admin/audit" class="filter-grid">
            {field("actor", "Who (email)", "text", filter.actor.clone(), message("actor"))}
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    <option value="" selected=filter.action.is_empty()>"Any action"</option>
                    {choices.actions.iter().map(|a| view! {
                        <option value=a.clone() selected=filter.action == *a>{a.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            {field("target", "Target (email or id)", "text", filter.target.clone(), message("target"))}
            <div class="field" class:field-invalid=resource_invalid>
                <label for="audit-resource">"Resource"</label>
                <select id="audit-resource" name="resource">
                    <option value="" selected=filter.resource.is_empty()>"Any resource"</option>
                    {choices.resources.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=filter.resource == id.to_string()>{name.clone()}</option>
                    }).collect_view()}
                </select>
                {resource_error.map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            {field("from", "From", "date", filter.from.clone(), message("from"))}
            {field("to", "To", "date", filter.to.clone(), message("to"))}
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Filter"</button>
                <a href="/admin/audit">"Clear"</a>
            </div>
        </form>
    }
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilterInput) -> impl IntoView {
    if page.entries.is_empty() {
        return view! { <p class="empty">"No events match."</p> }.into_any();
    }
    let older = page.older.map(|before| {
        let q = filter.query();
        let href = if q.is_empty() {
            format!("/admin/audit?before={before}")
        } else {
            format!("/admin/audit?{q}&before={before}")
        };
        view! { <p class="pager"><a href=href>"Older events"</a></p> }
    });
    view! {
        <div class="table-wrap">
            <table class="audit-table">
                <caption class="visually-hidden">"Audit events"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Resource"</th>
                        <th scope="col">"Details"</th>
                    </tr>
                </thead>
                <tbody>{page.entries.into_iter().map(|e| view! { <Row entry=e /> }).collect_view()}</tbody>
            </table>
        </div>
        {older}
    }
    .into_any()
}

#[component]
fn Row(entry: AuditEntry) -> impl IntoView {
    view! {
        <tr>
            <td>{format_date_time(entry.occurred_at)}</td>
            <td>{entry.actor}{(!entry.client_ip.is_empty()).then(|| view! { <div class="muted">{entry.client_ip}</div> })}</td>
            <td><code>{entry.action}</code></td>
            <td>{entry.target}</td>
            <td>{entry.resource.unwrap_or_default()}</td>
            <td class="audit-details">{entry.details}</td>
        </tr>
    }
}
