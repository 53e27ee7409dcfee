//! `GET /admin/audit.csv`: the audit log as CSV, for admins, with the page's filters. Rows are
//! read in keyset batches and written to the response as they come, so an export of a million
//! events never sits in memory whole.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use futures::stream;
use tower_sessions::Session;

use app::api::session::{record_refusal, signed_in_account};
use app::state::{AppState, ClientIp};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::audit::filter::AuditFilterInput;
use rules::dates::{date_input_value, format_date_time};
use services::audit::record_event;
use storage::audit::audit_events::{search_audit_events, AuditRow};
use storage::Store;

const BATCH: i64 = 1000;

pub async fn audit_csv(
    State(state): State<AppState>,
    session: Session,
    client_ip: Option<Extension<ClientIp>>,
    Query(input): Query<AuditFilterInput>,
) -> Response {
    let ip = client_ip.map(|Extension(ip)| ip.0).unwrap_or_default();
    let account = match signed_in_account(&state, &session).await {
        Ok(Some(account)) => account,
        Ok(None) => return Redirect::to("/sign-in?next=/admin/audit").into_response(),
        Err(error) => {
            tracing::error!(%error, "audit export: session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let actor = Actor::account(account.id, &account.email, &ip);
    let now = state.clock.now();
    if !account.is_admin() {
        record_refusal(&state, &actor, "audit export").await;
        return (StatusCode::FORBIDDEN, "Only admins can export the audit log.").into_response();
    }
    let filter = match input.check() {
        Ok(filter) => filter,
        Err(errors) => {
            let message = ["actor", "resource", "from", "to"]
                .iter()
                .filter_map(|f| errors.message(f).map(|m| format!("{f}: {m}")))
                .collect::<Vec<_>>()
                .join("; ");
            return (StatusCode::BAD_REQUEST, message).into_response();
        }
    };
    let event = AuditEvent::new(&actor, actions::AUDIT_EXPORTED, now)
        .details(serde_json::json!({ "filter": input.query() }));
    if let Err(error) = record(&state.store, &event).await {
        tracing::error!(%error, "audit export: could not audit the export");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }

    let store = state.store.clone();
    // State: the id to continue below, and whether the header row is out / the end reached.
    let batches = stream::unfold((None::<i64>, false, false), move |(before, started, done)| {
        let (store, filter) = (store.clone(), filter.clone());
        async move {
            if done {
                return None;
            }
            let rows = match search_audit_events(store.read(), &filter, before, BATCH).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(%error, "audit export: read failed mid-stream");
                    return Some((
                        Err(std::io::Error::other("audit export failed")),
                        (before, true, true),
                    ));
                }
            };
            let last = rows.last().map(|r| r.id);
            let finished = (rows.len() as i64) < BATCH;
            let chunk = csv_chunk(&rows, !started);
            Some((Ok::<_, std::io::Error>(chunk), (last.or(before), true, finished)))
        }
    });
    let filename = format!("portico-audit-{}.csv", date_input_value(now));
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(batches))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn record(store: &Store, event: &AuditEvent) -> Result<(), storage::StoreError> {
    let mut tx = store.begin().await?;
    record_event(&mut tx, event).await?;
    storage::commit(tx).await
}

/// Rows as CSV (with the header row first when asked). Cells that a spreadsheet would run as a
/// formula are prefixed with a quote, so an exported value cannot execute anything.
fn csv_chunk(rows: &[AuditRow], header: bool) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if header {
        let _ = writer.write_record([
            "id",
            "occurred_at_utc",
            "unix_time",
            "actor",
            "client_ip",
            "action",
            "target_kind",
            "target_id",
            "target",
            "resource_id",
            "details",
        ]);
    }
    for row in rows {
        let _ = writer.write_record([
            row.id.to_string(),
            format_date_time(row.occurred_at),
            row.occurred_at.to_string(),
            safe_cell(&row.actor),
            row.client_ip.clone(),
            row.action.clone(),
            row.target_kind.clone(),
            safe_cell(&row.target_id),
            safe_cell(&row.target),
            row.resource_id.map(|id| id.to_string()).unwrap_or_default(),
            safe_cell(&row.details),
        ]);
    }
    writer.into_inner().unwrap_or_default()
}

fn safe_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, target: &str) -> AuditRow {
        AuditRow {
            id,
            occurred_at: 1_793_491_200,
            actor_account_id: Some(1),
            actor: "ada@example.com".into(),
            action: "sign_in.succeeded".into(),
            target_kind: "account".into(),
            target_id: "1".into(),
            target: target.into(),
            resource_id: None,
            client_ip: "192.0.2.1".into(),
            details: "{\"a\":\"b, c\"}".into(),
        }
    }

    #[test]
    fn rows_are_quoted_csv_and_formulas_are_defused() {
        let text = String::from_utf8(csv_chunk(&[row(7, "=HYPERLINK(\"x\")")], true)).unwrap();
        let mut lines = text.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("id,occurred_at_utc,unix_time,actor"));
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("7,\"1 Nov 2026, 00:00 UTC\",1793491200,ada@example.com"),
            "{line}"
        );
        assert!(line.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{line}");
        assert!(line.ends_with("\"{\"\"a\"\":\"\"b, c\"\"}\""), "{line}");
    }

    #[test]
    fn only_the_first_chunk_has_the_header() {
        let text = String::from_utf8(csv_chunk(&[row(1, "x")], false)).unwrap();
        assert!(text.starts_with("1,"));
    }
}
