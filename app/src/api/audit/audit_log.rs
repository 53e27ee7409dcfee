//! Admin: the audit log, filtered and paged newest first.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::audit::filter::AuditFilterInput;
use rules::error::AppError;

pub const AUDIT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub resource: Option<String>,
    pub client_ip: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `before` of the next (older) page, when there is one.
    pub older: Option<i64>,
}

/// What the filter form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub actions: Vec<String>,
    pub resources: Vec<(i64, String)>,
}

/// The filter's choices. The audit page calls this beside [`audit_log`], which audits a
/// refused visit; this one does not, so a visit is recorded once.
#[server(prefix = "/api", endpoint = "audit_choices")]
pub async fn audit_choices() -> Result<FilterChoices, AppError> {
    use crate::api::administration::lists::resource_names;
    use crate::api::session::require_admin_already_audited;
    use rules::audit::event::actions;
    let (state, _, _) = require_admin_already_audited().await?;
    let resources = resource_names(&state).await?;
    let mut actions: Vec<String> = actions::ALL.iter().map(|a| a.to_string()).collect();
    actions.sort();
    Ok(FilterChoices { actions, resources })
}

#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(filter: AuditFilterInput, before: Option<i64>) -> Result<AuditPage, AppError> {
    use crate::api::session::require_admin;
    use services::audit::log_page;
    let (state, _, _) = require_admin().await?;
    let checked = filter.check().map_err(AppError::Invalid)?;
    let page = log_page(&state.store, &checked, before, AUDIT_PAGE_SIZE).await?;
    let (names, older) = (page.resource_names, page.older);
    let entries = page
        .events
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            occurred_at: row.occurred_at,
            actor: row.actor,
            action: row.action,
            target: if row.target.is_empty() {
                row.target_id
            } else {
                row.target
            },
            resource: row.resource_id.and_then(|id| names.get(&id).cloned()),
            client_ip: row.client_ip,
            details: if row.details == "{}" {
                String::new()
            } else {
                row.details
            },
        })
        .collect();
    Ok(AuditPage { entries, older })
}
