//! What an app may be told about a person who holds its resource, read at every grant and
//! userinfo call: on the token endpoint in the same statement as the code or refresh token
//! (on SQLite each statement is a hand-off to sqlx's worker thread and back).

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, FromRow};

use super::grants::{CodeRow, RefreshRow, CODE_COLUMNS, REFRESH_COLUMNS};
use crate::conditions::live_membership;
use crate::StoreResult;
use rules::clock::Timestamp;

/// The details an app may be told about a person: name and address, the organisation they last
/// named in a request, and the slugs of the group resources they hold now.
#[derive(Debug, Clone, Default)]
pub struct PersonClaims {
    pub email: String,
    pub name: String,
    pub organisation: Option<String>,
    pub groups: Vec<String>,
}

/// The claims as columns: all `NULL` when the person does not hold the resource.
#[derive(Debug, FromRow)]
struct ClaimsColumns {
    member_email: Option<String>,
    member_name: Option<String>,
    member_organisation: Option<String>,
    /// The group slugs, in order, separated by spaces (slugs have none).
    member_groups: Option<String>,
}

impl ClaimsColumns {
    fn claims(self) -> Option<PersonClaims> {
        Some(PersonClaims {
            email: self.member_email?,
            name: self.member_name.unwrap_or_default(),
            organisation: self.member_organisation,
            groups: self
                .member_groups
                .map(|groups| groups.split(' ').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    }
}

/// Joins the account `account` names as `a`, only when it holds the resource `resource` live at
/// `now` (all three are SQL: columns or parameters).
fn member_join(account: &str, resource: &str, now: &str) -> String {
    format!(
        concat!(
            "LEFT JOIN accounts a ON a.id = {account} AND EXISTS (
             SELECT 1 FROM memberships m WHERE m.account_id = a.id AND m.resource_id = {resource}
               AND ",
            live_membership!("m.", "{now}"),
            ")"
        ),
        account = account,
        resource = resource,
        now = now
    )
}

/// The [`ClaimsColumns`] of the account joined as `a` by [`member_join`]. `string_agg` with an
/// ORDER BY is PostgreSQL's and SQLite's (3.44 and later) alike.
fn claims_columns(now: &str) -> String {
    format!(
        concat!(
            "a.email AS member_email, a.display_name AS member_name,
         (SELECT q.organisation FROM access_requests q WHERE q.email = a.email
          ORDER BY q.id DESC LIMIT 1) AS member_organisation,
         (SELECT string_agg(r.slug, ' ' ORDER BY r.slug) FROM memberships gm
            JOIN resources r ON r.id = gm.resource_id
          WHERE gm.account_id = a.id AND r.kind = 'group' AND ",
            live_membership!("gm.", "{now}"),
            ") AS member_groups"
        ),
        now = now
    )
}

/// The claims of a person who holds the resource now (a live membership); `None` when they do
/// not, or the account is gone.
pub async fn member_claims<'e>(
    db: impl AnyExecutor<'e>,
    (account_id, resource_id): (i64, i64),
    now: Timestamp,
) -> StoreResult<Option<PersonClaims>> {
    let sql = format!(
        "SELECT {} FROM (SELECT CAST($1 AS BIGINT) AS account_id) person {}",
        claims_columns("$3"),
        member_join("person.account_id", "$2", "$3")
    );
    let columns: Option<ClaimsColumns> = sqlx::query_as(&sql)
        .bind(account_id)
        .bind(resource_id)
        .bind(now)
        .fetch_optional(db)
        .await?;
    Ok(columns.and_then(ClaimsColumns::claims))
}

/// A row of `R` with the claims of its person beside it.
struct WithClaims<R>(R, Option<PersonClaims>);

impl<'r, R: FromRow<'r, AnyRow>> FromRow<'r, AnyRow> for WithClaims<R> {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self(R::from_row(row)?, ClaimsColumns::from_row(row)?.claims()))
    }
}

/// Where a grant's read finds its row: the columns of `R`, the tables, the column its hash is
/// matched against and the column naming the person.
struct Source {
    columns: &'static str,
    tables: &'static str,
    hash_column: &'static str,
    account_column: &'static str,
}

/// The row `hash` names, with the claims of its person if they hold the resource now.
async fn with_claims<'e, R>(
    db: impl AnyExecutor<'e>,
    source: Source,
    (hash, resource_id): (&str, i64),
    now: Timestamp,
) -> StoreResult<Option<(R, Option<PersonClaims>)>>
where
    R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let sql = format!(
        "SELECT {}, {} FROM {} {} WHERE {} = $1",
        source.columns,
        claims_columns("$3"),
        source.tables,
        member_join(source.account_column, "$2", "$3"),
        source.hash_column
    );
    let row: Option<WithClaims<R>> = sqlx::query_as(&sql)
        .bind(hash)
        .bind(resource_id)
        .bind(now)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|WithClaims(row, claims)| (row, claims)))
}

/// A code, with the claims of its person if they hold the resource now.
pub async fn code_with_claims<'e>(
    db: impl AnyExecutor<'e>,
    code: (&str, i64),
    now: Timestamp,
) -> StoreResult<Option<(CodeRow, Option<PersonClaims>)>> {
    let source = Source {
        columns: CODE_COLUMNS,
        tables: "oidc_codes c",
        hash_column: "c.code_hash",
        account_column: "c.account_id",
    };
    with_claims(db, source, code, now).await
}

/// A refresh token and its grant, with the claims of its person if they hold the resource now.
pub async fn refresh_token_with_claims<'e>(
    db: impl AnyExecutor<'e>,
    token: (&str, i64),
    now: Timestamp,
) -> StoreResult<Option<(RefreshRow, Option<PersonClaims>)>> {
    let source = Source {
        columns: REFRESH_COLUMNS,
        tables: "oidc_refresh_tokens t JOIN oidc_grants g ON g.id = t.grant_id",
        hash_column: "t.token_hash",
        account_column: "g.account_id",
    };
    with_claims(db, source, token, now).await
}
