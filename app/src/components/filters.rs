//! The fields of a GET filter form (audit log, invitations, requests), each with its message
//! beside it when the filter cannot be used as typed.

use crate::components::language::language;
use leptos::prelude::*;
use leptos_i18n::td_string;
use locales::Locale;

use rules::list_filter::ListFilterInput;

/// A text or date input; `prefix` keeps ids unique per page.
#[component]
pub fn FilterInput(
    prefix: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    let error_id = format!("{id}-error");
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind value=value
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=invalid.then(|| error_id.clone()) />
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// A select whose first option means "any".
#[component]
pub fn FilterSelect(
    prefix: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<(String, String)>,
    selected: String,
    error: Option<String>,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    let error_id = format!("{id}-error");
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=invalid.then(|| error_id.clone())>
                <option value="" selected=selected.is_empty()>{any}</option>
                {choices.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// The filter of an admin list: state, resource, email, created between, order.
#[component]
pub fn ListFilterForm(
    /// The page's path, where the form sends the filter.
    path: &'static str,
    prefix: &'static str,
    filter: ListFilterInput,
    states: &'static [&'static str],
    state_name: fn(Locale, &str) -> &'static str,
    resources: Vec<(i64, String)>,
    message: impl Fn(&str) -> Option<String> + 'static,
) -> impl IntoView {
    let l = language();
    let states = states
        .iter()
        .map(|v| (v.to_string(), state_name(l, v).to_string()))
        .collect();
    let resources = resources
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let sorts = vec![(
        "oldest".to_string(),
        td_string!(l, common.oldest_first).to_string(),
    )];
    view! {
        <form method="get" action=path class="filter-grid">
            <FilterSelect prefix name="state" label=td_string!(l, common.state) any=td_string!(l, common.any_state) choices=states selected=filter.state.clone() error=message("state") />
            <FilterSelect prefix name="resource" label=td_string!(l, common.resource) any=td_string!(l, common.any_resource) choices=resources selected=filter.resource.clone() error=message("resource") />
            <FilterInput prefix name="email" label=td_string!(l, common.email_contains) value=filter.email.clone() error=message("email") />
            <FilterInput prefix name="from" label=td_string!(l, common.created_from) kind="date" value=filter.from.clone() error=message("from") />
            <FilterInput prefix name="to" label=td_string!(l, common.created_to) kind="date" value=filter.to.clone() error=message("to") />
            <FilterSelect prefix name="sort" label=td_string!(l, common.order) any=td_string!(l, common.newest_first) choices=sorts selected=filter.sort.clone() error=None />
            <div class="form-actions">
                <button type="submit" class="button button-primary">{td_string!(l, common.filter)}</button>
                <a href=path>{td_string!(l, common.clear)}</a>
            </div>
        </form>
    }
}

/// The filter a list page was opened with (its query string).
pub fn list_filter_from_query() -> Memo<ListFilterInput> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            ListFilterInput {
                state: get("state"),
                resource: get("resource"),
                email: get("email"),
                from: get("from"),
                to: get("to"),
                sort: get("sort"),
            }
        })
    })
}

/// The link to the page after `after`, keeping the filter.
pub fn next_page_link(path: &str, query: &str, after: i64) -> String {
    if query.is_empty() {
        format!("{path}?after={after}")
    } else {
        format!("{path}?{query}&after={after}")
    }
}

/// What sets one admin list apart from another.
pub struct ListSpec {
    /// The page's path, where the filter form sends the filter.
    pub path: &'static str,
    /// Keeps the form's ids unique.
    pub prefix: &'static str,
    /// The values of the state filter, and how each reads.
    pub states: &'static [&'static str],
    pub state_name: fn(Locale, &str) -> &'static str,
}

/// A filtered admin list: the filter form (with its messages) and under it the rows `list`
/// draws, or why there are none.
pub fn filtered_list<T>(
    spec: &ListSpec,
    filter: ListFilterInput,
    resources: Result<Vec<(i64, String)>, rules::error::AppError>,
    page: Result<T, rules::error::AppError>,
    list: impl FnOnce(T, String) -> AnyView,
) -> AnyView {
    let ListSpec {
        path,
        prefix,
        states,
        state_name,
    } = *spec;
    use crate::components::problem::Problem;
    use rules::error::AppError;
    let resources = match resources {
        Ok(resources) => resources,
        Err(error) => return view! { <Problem error /> }.into_any(),
    };
    let errors = match &page {
        Err(AppError::Invalid(errors)) => Some(errors.clone()),
        _ => None,
    };
    let l = language();
    let message = move |field: &str| {
        errors
            .as_ref()
            .and_then(|e| e.message(field).map(|m| locales::messages::word(l, m)))
    };
    let body = match page {
        Ok(page) => list(page, filter.query()),
        Err(AppError::Invalid(_)) => {
            view! { <p class="empty">{td_string!(language(), common.correct_the_filter)}</p> }.into_any()
        }
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    view! {
        <ListFilterForm path prefix filter states state_name resources message />
        {body}
    }
    .into_any()
}

/// "Next page", keeping the filter, when there is one.
pub fn next_page(path: &'static str, query: &str, next: Option<i64>) -> impl IntoView {
    let l = language();
    next.map(
        |after| view! { <p class="pager"><a href=next_page_link(path, query, after)>{td_string!(l, common.next_page)}</a></p> },
    )
}
