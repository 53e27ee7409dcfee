//! Admin: partners and staff, and what an admin may change about them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

pub const ACCOUNTS_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub is_staff: bool,
    pub disabled: bool,
    pub created_at: i64,
    pub sessions: i64,
    /// The admin looking at the list.
    pub is_you: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub rows: Vec<AccountRow>,
    /// The `after` of the next page, when there is one.
    pub next: Option<String>,
}

#[server(prefix = "/api", endpoint = "admin_accounts")]
pub async fn admin_accounts(
    search: String,
    kind: String,
    after: Option<String>,
) -> Result<AccountList, AppError> {
    use crate::api::session::require_admin;
    use services::accounts::account_admin::accounts_page;
    use storage::accounts::account::AccountKind;
    let (state, _, admin) = require_admin().await?;
    let kind = match kind.as_str() {
        "" | "all" => AccountKind::All,
        "partners" => AccountKind::Partners,
        "staff" => AccountKind::Staff,
        "admins" => AccountKind::Admins,
        "disabled" => AccountKind::Disabled,
        _ => return Err(AppError::invalid("kind", "@choose_kind_account_from")),
    };
    if search.chars().count() > 200 {
        return Err(AppError::invalid("search", "@search_most_200_characters"));
    }
    let (rows, next) =
        accounts_page(&state.store, &search, kind, after.as_deref(), ACCOUNTS_PAGE_SIZE).await?;
    Ok(AccountList {
        rows: rows
            .into_iter()
            .map(|r| AccountRow {
                is_you: r.id == admin.id,
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                is_admin: r.is_admin == 1,
                is_staff: r.is_staff == 1,
                disabled: r.disabled_at.is_some(),
                created_at: r.created_at,
                sessions: r.sessions,
            })
            .collect(),
        next,
    })
}

#[server(prefix = "/api", endpoint = "change_account")]
pub async fn change_account(account_id: i64, change: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::{internal, require_admin};
    use services::accounts::account_admin::{change_account, AccountAdminError, AccountChange};
    let (state, _, admin) = require_admin().await?;
    let change = AccountChange::parse(&change).ok_or(AppError::NotFound)?;
    let result = change_account(
        &state.store,
        &admin,
        &admin_actor(&admin),
        account_id,
        change,
        state.clock.now(),
    )
    .await;
    let email = match result {
        Ok(changed) => changed.email,
        Err(AccountAdminError::NotFound) => return Err(AppError::NotFound),
        Err(AccountAdminError::Refused(message)) => return Err(AppError::Refused(message.to_string())),
        Err(AccountAdminError::Store(error)) => return Err(internal(error)),
    };
    leptos_axum::redirect(&format!(
        "/admin/accounts?search={}&done={}",
        rules::list_filter::url_encode(&email),
        change.as_str()
    ));
    Ok(())
}
