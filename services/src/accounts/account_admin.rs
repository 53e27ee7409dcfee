//! Admins steering accounts: disable (which ends every session at once), re-enable, make or
//! unmake admin, end all sessions. The portal always keeps at least one enabled admin.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use storage::accounts::account::{
    count_enabled_admins, find_by_id, search_accounts, set_admin, set_disabled, AccountKind, AccountListRow,
    AccountRecord,
};
use storage::accounts::sign_ins::delete_sign_ins_of_account;
use storage::{commit, Engine, Store, StoreError, Tx};

use crate::paging::page;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountChange {
    Disable,
    Enable,
    MakeAdmin,
    RemoveAdmin,
    EndSessions,
}

impl AccountChange {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "disable" => Some(AccountChange::Disable),
            "enable" => Some(AccountChange::Enable),
            "make_admin" => Some(AccountChange::MakeAdmin),
            "remove_admin" => Some(AccountChange::RemoveAdmin),
            "end_sessions" => Some(AccountChange::EndSessions),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountChange::Disable => "disable",
            AccountChange::Enable => "enable",
            AccountChange::MakeAdmin => "make_admin",
            AccountChange::RemoveAdmin => "remove_admin",
            AccountChange::EndSessions => "end_sessions",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountAdminError {
    #[error("no such account")]
    NotFound,
    /// Not allowed; the message is for the admin.
    #[error("{0}")]
    Refused(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies `change` to `target_id` as `admin`. Returns whether anything changed.
/// What an account change did: whether anything changed, and whose account it is.
pub struct Changed {
    pub changed: bool,
    pub email: String,
}

/// One page of accounts matching `search` and `kind`, by email after `after`, and the email to
/// continue after for the next page, if there is one.
pub async fn accounts_page(
    store: &Store,
    search: &str,
    kind: AccountKind,
    after: Option<&str>,
    size: i64,
) -> Result<(Vec<AccountListRow>, Option<String>), StoreError> {
    let rows = search_accounts(store.read(), search, kind, after, size + 1).await?;
    let found = page(rows, size, |r| r.email.clone());
    Ok((found.rows, found.next))
}

pub async fn change_account(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    target_id: i64,
    change: AccountChange,
    now: i64,
) -> Result<Changed, AccountAdminError> {
    let mut tx = store.begin().await?;
    let target = find_by_id(&mut *tx, target_id)
        .await?
        .ok_or(AccountAdminError::NotFound)?;
    let own = target.id == admin.id;
    let (changed, action, details) = apply(&mut tx, store.engine(), &target, own, change, now).await?;
    if changed {
        let event = AuditEvent::new(actor, action, now)
            .target("account", target.id, &target.email)
            .details(details);
        record_event(&mut tx, &event).await?;
    }
    commit(tx).await?;
    if changed {
        store.sign_ins_changed();
    }
    Ok(Changed {
        changed,
        email: target.email,
    })
}

/// Makes the change, if allowed: whether anything changed, the audit action and its details.
async fn apply(
    tx: &mut Tx,
    engine: Engine,
    target: &AccountRecord,
    own: bool,
    change: AccountChange,
    now: i64,
) -> Result<(bool, &'static str, serde_json::Value), AccountAdminError> {
    Ok(match change {
        AccountChange::Disable => {
            if own {
                return Err(AccountAdminError::Refused("@you_cannot_disable_own"));
            }
            keep_an_admin(tx, engine, target).await?;
            let changed = set_disabled(tx, target.id, true, now).await?;
            let ended = delete_sign_ins_of_account(tx, target.id).await?;
            (
                changed,
                actions::ACCOUNT_DISABLED,
                json!({ "sessions_ended": ended }),
            )
        }
        AccountChange::Enable => (
            set_disabled(tx, target.id, false, now).await?,
            actions::ACCOUNT_ENABLED,
            json!({}),
        ),
        AccountChange::MakeAdmin => (
            set_admin(tx, target.id, true, now).await?,
            actions::ACCOUNT_MADE_ADMIN,
            json!({}),
        ),
        AccountChange::RemoveAdmin => {
            if own {
                return Err(AccountAdminError::Refused("@you_cannot_remove_own"));
            }
            keep_an_admin(tx, engine, target).await?;
            (
                set_admin(tx, target.id, false, now).await?,
                actions::ACCOUNT_ADMIN_REMOVED,
                json!({}),
            )
        }
        AccountChange::EndSessions => {
            let ended = delete_sign_ins_of_account(tx, target.id).await?;
            (
                ended > 0,
                actions::SESSIONS_ENDED,
                json!({ "sessions_ended": ended }),
            )
        }
    })
}

/// Refuses to disable or demote the last enabled admin.
async fn keep_an_admin(tx: &mut Tx, engine: Engine, target: &AccountRecord) -> Result<(), AccountAdminError> {
    if target.is_admin() && !target.is_disabled() && count_enabled_admins(tx, engine).await? <= 1 {
        return Err(AccountAdminError::Refused("@portal_needs_least_one"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AccountChange;

    #[test]
    fn every_change_reads_back_from_its_name() {
        for change in [
            AccountChange::Disable,
            AccountChange::Enable,
            AccountChange::MakeAdmin,
            AccountChange::RemoveAdmin,
            AccountChange::EndSessions,
        ] {
            assert_eq!(AccountChange::parse(change.as_str()), Some(change));
        }
        assert_eq!(AccountChange::parse("delete"), None);
    }
}
