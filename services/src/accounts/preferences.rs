//! What a person chooses for themselves: for now, the language of their pages and emails.

use storage::accounts::account::set_language;
use storage::{commit, Store, StoreResult};

/// Saves `language` (a tag the caller has checked is spoken) as the account's preference.
pub async fn save_language(store: &Store, account_id: i64, language: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    set_language(&mut tx, account_id, language).await?;
    commit(tx).await?;
    // The language is read with the sign-in (the pages' language): kept copies go.
    store.sign_ins_changed();
    Ok(())
}
