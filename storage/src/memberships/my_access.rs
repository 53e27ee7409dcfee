//! "My access" read in one statement: what the account holds, the requests made with its email,
//! and where an invitation it redeemed lately asked to send it on.
//!
//! On SQLite every statement is a hand-off to sqlx's worker thread and back, and under load the
//! threads switching for those hand-offs cost far more than SQLite's own work
//! (docs/performance.md). So the three lists come back as one result, each row tagged with the
//! list it belongs to; and each instance keeps the answer until anything is committed (see
//! [`kept_my_access_rows`]).

use std::sync::Arc;

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::live_membership;
use crate::writes::committed;
use crate::{Store, StoreResult};
use rules::clock::Timestamp;

/// A live membership, with what the page shows of its resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldResource {
    pub membership_id: i64,
    pub resource_name: String,
    pub resource_kind: String,
    pub resource_description: String,
    pub granted_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    /// Where people start signing in to the app, when it signs them in through Portico.
    pub sign_in_url: Option<String>,
}

/// A request made with the account's email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeRequest {
    pub resource_name: String,
    pub state: String,
    pub stage: i64,
    pub created_at: Timestamp,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct MyAccessRows {
    /// By resource name.
    pub held: Vec<HeldResource>,
    /// Newest first.
    pub requests: Vec<MadeRequest>,
    /// The app's name and address, from the newest invitation redeemed since the given time that
    /// names one: its own redirect address, or else the app's sign-in address when the app signs
    /// people in through Portico (so a partner who asked from inside the app ends up back in it).
    pub continue_to: Option<(String, String)>,
}

const HELD: i64 = 1;
const REQUEST: i64 = 2;
const CONTINUE: i64 = 3;

/// One row of the combined result; which columns mean what depends on `part`.
#[derive(FromRow)]
struct Row {
    part: i64,
    id: i64,
    name: String,
    /// Held: the resource's kind. Request: its state.
    word: Option<String>,
    /// Held: the resource's description.
    description: Option<String>,
    /// Held: granted. Request: made. Continue: redeemed.
    at: i64,
    /// Held: the end date.
    until: Option<i64>,
    /// Held and continue: the app's address.
    link: Option<String>,
    /// Request: its stage.
    stage: Option<i64>,
}

// The NULLs are cast: PostgreSQL gives an untyped NULL of a subquery the type text.
const SQL: &str = concat!(
    "SELECT part, id, name, word, description, at, until, link, stage FROM (
       SELECT 1 AS part, m.id AS id, r.name AS name, r.kind AS word, r.description AS description,
              m.granted_at AS at, m.expires_at AS until, c.sign_in_url AS link,
              CAST(NULL AS BIGINT) AS stage, r.id AS tie
       FROM memberships m JOIN resources r ON r.id = m.resource_id
         LEFT JOIN oidc_clients c ON c.resource_id = r.id
       WHERE m.account_id = $1 AND ",
    live_membership!("m.", "$2"),
    "
       UNION ALL
       SELECT * FROM (
         SELECT 2, q.id, r.name, q.state, CAST(NULL AS TEXT), q.created_at, CAST(NULL AS BIGINT),
                CAST(NULL AS TEXT), q.stage, q.id
         FROM access_requests q JOIN resources r ON r.id = q.resource_id
         WHERE q.email = $3 ORDER BY q.created_at DESC, q.id DESC LIMIT $4) AS requests
       UNION ALL
       SELECT * FROM (
         SELECT 3, i.id, r.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), i.redeemed_at,
                CAST(NULL AS BIGINT),
                CASE WHEN i.redirect_url <> '' THEN i.redirect_url ELSE c.sign_in_url END,
                CAST(NULL AS BIGINT), i.id
         FROM invitations i JOIN resources r ON r.id = i.resource_id
           LEFT JOIN oidc_clients c ON c.resource_id = r.id
         WHERE i.redeemed_by_account_id = $1 AND i.redeemed_at >= $5
           AND (i.redirect_url <> '' OR c.sign_in_url IS NOT NULL)
         ORDER BY i.redeemed_at DESC, i.id DESC LIMIT 1) AS continuing
     ) AS mine
     ORDER BY part, CASE WHEN part = 1 THEN name END, CASE WHEN part = 1 THEN tie END,
              at DESC, id DESC",
);

/// The account's page: memberships live at `now`, up to `most_requests` requests made with
/// `email`, and where an invitation redeemed since `continue_since` sends it on.
pub async fn my_access_rows<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
    email: &str,
    now: Timestamp,
    most_requests: i64,
    continue_since: Timestamp,
) -> StoreResult<MyAccessRows> {
    let rows: Vec<Row> = sqlx::query_as(SQL)
        .bind(account_id)
        .bind(now)
        .bind(email)
        .bind(most_requests)
        .bind(continue_since)
        .fetch_all(db)
        .await?;
    let mut mine = MyAccessRows::default();
    for row in rows {
        match row.part {
            HELD => mine.held.push(HeldResource {
                membership_id: row.id,
                resource_name: row.name,
                resource_kind: row.word.unwrap_or_default(),
                resource_description: row.description.unwrap_or_default(),
                granted_at: row.at,
                expires_at: row.until,
                sign_in_url: row.link,
            }),
            REQUEST => mine.requests.push(MadeRequest {
                resource_name: row.name,
                state: row.word.unwrap_or_default(),
                stage: row.stage.unwrap_or_default(),
                created_at: row.at,
            }),
            CONTINUE => mine.continue_to = row.link.map(|link| (row.name, link)),
            _ => {}
        }
    }
    Ok(mine)
}

/// How many accounts' pages an instance keeps at once. A page is a few KB (20-odd memberships,
/// up to 50 requests), so this bounds the copies to about 10 MB; a portal with more partners on
/// their pages within one second reads some of them again.
pub const KEPT_ACCOUNTS: usize = 1_000;

/// An account's page as read, with what it was read for: kept by the store (kept.rs).
#[derive(Debug)]
pub struct KeptAccess {
    /// The commits counted before the read (writes.rs).
    committed: u64,
    /// The arguments that depend on the time, as the clock told them.
    now: Timestamp,
    continue_since: Timestamp,
    rows: Arc<MyAccessRows>,
}

/// [`my_access_rows`], kept for a moment by each instance: a partner reloading the page, or many
/// partners on theirs, cost no statement (on SQLite no hand-off to sqlx's thread and back).
///
/// The page shows memberships, requests, invitations, resources and apps, which change through
/// too many paths to name each one, so any commit through this process makes the copy stale
/// (`storage::commit` counts them, see writes.rs) and a read begun before a commit is not kept.
/// A change made through another instance (or behind the portal's back) shows within
/// `kept::FRESH_FOR`. The copy answers only for the very same second of the portal's clock,
/// so nothing that has ended since is shown.
pub async fn kept_my_access_rows(
    store: &Store,
    account_id: i64,
    email: &str,
    now: Timestamp,
    most_requests: i64,
    continue_since: Timestamp,
) -> StoreResult<Arc<MyAccessRows>> {
    let key = account_id.to_string();
    let serves = |kept: &KeptAccess| {
        kept.committed == committed() && kept.now == now && kept.continue_since == continue_since
    };
    if let Some(kept) = store.kept_access().get_if(&key, serves) {
        return Ok(kept.rows.clone());
    }
    let before = committed();
    let generation = store.kept_access().generation();
    let rows = my_access_rows(
        store.read(),
        account_id,
        email,
        now,
        most_requests,
        continue_since,
    )
    .await?;
    let rows = Arc::new(rows);
    if committed() == before {
        let kept = KeptAccess {
            committed: before,
            now,
            continue_since,
            rows: rows.clone(),
        };
        store.kept_access().keep(&key, kept, generation);
    }
    Ok(rows)
}
