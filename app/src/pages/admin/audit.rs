use crate::components::language::language;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::audit_log::{audit_choices, audit_log, AuditEntry, AuditPage, FilterChoices};
use crate::components::audit_words::{details, what_happened};
use crate::components::filters::{FilterInput, FilterSelect};
use crate::components::local_time::LocalTime;
use crate::components::problem::Problem;
use rules::audit::filter::AuditFilterInput;
use rules::error::AppError;

/// Admin: who did what, when; filtered, newest first, downloadable as CSV.
#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let l = language();
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
        <Title text=td_string!(l, admin_system.audit_log) />
        <section class="card">
            <div class="card-head">
                <h1>{td_string!(l, admin_system.audit_log)}</h1>
                <a class="button button-secondary" href=move || {
                    let q = filter.get().query();
                    if q.is_empty() { "/admin/audit.csv".to_string() } else { format!("/admin/audit.csv?{q}") }
                } download="">{td_string!(l, admin_system.download_csv)}</a>
            </div>
            <p class="muted">{td_string!(l, admin_system.every_sign_in_decision_and)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
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
                            let message = move |field: &str| errors.as_ref().and_then(|e| e.message(field).map(|m| locales::messages::word(l, m)));
                            let form = view! { <FilterForm filter=filter.get_untracked() choices message /> };
                            let body = match page {
                                Ok(page) => view! { <Entries page filter=filter.get_untracked() /> }.into_any(),
                                Err(AppError::Invalid(_)) => view! { <p class="empty">{td_string!(l, admin_system.correct_the_filter_to_see)}</p> }.into_any(),
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
    let l = language();
    let mut actions: Vec<(String, String)> = choices
        .actions
        .iter()
        .map(|a| (a.clone(), format!("{} ({a})", what_happened(l, a))))
        .collect();
    actions.sort_by(|a, b| a.1.cmp(&b.1));
    let resources = choices
        .resources
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <form method="get" action="/admin/audit" class="filter-grid">
            <FilterInput prefix="audit" name="actor" label=td_string!(l, admin_system.who_email) value=filter.actor.clone() error=message("actor") />
            <FilterSelect prefix="audit" name="action" label=td_string!(l, admin_system.action) any=td_string!(l, admin_system.any_action) choices=actions selected=filter.action.clone() error=None />
            <FilterInput prefix="audit" name="target" label=td_string!(l, admin_system.target_email_or_id) value=filter.target.clone() error=message("target") />
            <FilterSelect prefix="audit" name="resource" label=td_string!(l, admin_system.resource) any=td_string!(l, admin_system.any_resource) choices=resources selected=filter.resource.clone() error=message("resource") />
            <FilterInput prefix="audit" name="from" label=td_string!(l, admin_system.from) kind="date" value=filter.from.clone() error=message("from") />
            <FilterInput prefix="audit" name="to" label=td_string!(l, admin_system.to) kind="date" value=filter.to.clone() error=message("to") />
            <div class="form-actions">
                <button type="submit" class="button button-primary">{td_string!(l, admin_system.filter)}</button>
                <a href="/admin/audit">{td_string!(l, admin_system.clear)}</a>
            </div>
        </form>
    }
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilterInput) -> impl IntoView {
    let l = language();
    if page.entries.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_system.no_events_match)}</p> }.into_any();
    }
    let older = page.older.map(|before| {
        let q = filter.query();
        let href = if q.is_empty() {
            format!("/admin/audit?before={before}")
        } else {
            format!("/admin/audit?{q}&before={before}")
        };
        view! { <p class="pager"><a href=href>{td_string!(l, admin_system.older_events)}</a></p> }
    });
    view! {
        <div class="table-wrap">
            <table class="audit-table">
                <caption class="visually-hidden">{td_string!(l, admin_system.audit_events)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, admin_system.when)}</th>
                        <th scope="col">{td_string!(l, admin_system.who)}</th>
                        <th scope="col">{td_string!(l, admin_system.what_happened)}</th>
                        <th scope="col">{td_string!(l, admin_system.target)}</th>
                        <th scope="col">{td_string!(l, admin_system.resource)}</th>
                        <th scope="col">{td_string!(l, admin_system.details)}</th>
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
    let l = language();
    let details = details(l, &entry.details);
    view! {
        <tr>
            <td><LocalTime at=entry.occurred_at /></td>
            <td>{entry.actor}{(!entry.client_ip.is_empty()).then(|| view! { <div class="muted">{entry.client_ip}</div> })}</td>
            <td>{what_happened(l, &entry.action)}<div class="muted"><code>{entry.action}</code></div></td>
            <td>{locales::messages::word(l, &entry.target)}</td>
            <td>{entry.resource.unwrap_or_default()}</td>
            <td class="audit-details">
                {(!details.is_empty()).then(|| view! {
                    <dl class="detail-lines">
                        {details.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
                    </dl>
                })}
            </td>
        </tr>
    }
}
