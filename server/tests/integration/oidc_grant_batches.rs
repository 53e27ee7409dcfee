//! The token endpoint under load: grants that arrive together are written together (one
//! statement per table for the batch), and still each code and refresh token is spent by one
//! request only. Also what an app is told about the groups a person holds.

use axum::http::StatusCode;
use futures::future::join_all;
use serde_json::Value;

use crate::oidc_support::*;
use crate::on_both_databases;
use crate::support::{Db, TestPortal};
use storage::oidc::grant_writes::{use_codes, use_refresh_tokens};

const SENT_AT_ONCE: usize = 6;

fn ok_count(answers: &[(StatusCode, Value)]) -> usize {
    answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count()
}

async fn grants_sent_together_each_spend_their_own_code_and_token(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    for slug in ["zeta-team", "alpha-team"] {
        member_of_group(&portal, &mut admin, slug, slug).await;
    }
    let mut codes = Vec::new();
    for _ in 0..SENT_AT_ONCE {
        codes.push(code_for(&mut ann, &authorize_path(&app.client_id, &[])).await);
    }

    // Every code at once, and the first one two more times among them.
    let sent: Vec<&String> = codes.iter().chain([&codes[0], &codes[0]]).collect();
    let answers = join_all(sent.iter().map(|code| exchange(&portal, &app, code))).await;
    assert_eq!(ok_count(&answers), SENT_AT_ONCE, "{answers:?}");
    let first_code = [&answers[0], &answers[SENT_AT_ONCE], &answers[SENT_AT_ONCE + 1]];
    assert_eq!(
        first_code
            .iter()
            .filter(|(status, _)| *status == StatusCode::OK)
            .count(),
        1,
        "one of the three who sent the same code gets tokens"
    );
    // The first code's grant may be revoked by now: a copy that came after its exchange was
    // committed is a second use. The other codes were each sent once.
    let granted: Vec<&Value> = answers[1..SENT_AT_ONCE]
        .iter()
        .map(|(_, tokens)| tokens)
        .collect();
    let id_token = granted[0]["id_token"].as_str().expect("id token");
    let claims = verified_id_token(&portal, id_token, &app.client_id).await;
    assert_eq!(claims["groups"], serde_json::json!(["alpha-team", "zeta-team"]));
    let grants = portal.count("SELECT COUNT(*) FROM oidc_grants").await;
    assert_eq!(grants, SENT_AT_ONCE as i64, "one grant per code exchanged");

    // Their refresh tokens at once: each rotates into a token of its own.
    let tokens: Vec<String> = granted
        .iter()
        .map(|t| t["refresh_token"].as_str().expect("refresh").to_string())
        .collect();
    let refreshed = join_all(tokens.iter().map(|t| refresh(&portal, &app, t))).await;
    assert_eq!(ok_count(&refreshed), tokens.len(), "{refreshed:?}");
    let mut next: Vec<&str> = refreshed
        .iter()
        .map(|(_, t)| t["refresh_token"].as_str().expect("rotated"))
        .collect();
    next.sort_unstable();
    next.dedup();
    assert_eq!(next.len(), tokens.len());

    // One of them sent twice at once: one answer, and the reuse revokes the family.
    let twice = join_all([refresh(&portal, &app, next[0]), refresh(&portal, &app, next[0])]).await;
    assert!(ok_count(&twice) <= 1, "{twice:?}");
    let newest = twice
        .iter()
        .find(|(status, _)| *status == StatusCode::OK)
        .map(|(_, t)| t["refresh_token"].as_str().expect("rotated").to_string());
    if let Some(newest) = newest {
        let (_, after) = refresh(&portal, &app, &newest).await;
        assert_eq!(after["error"], "invalid_grant", "the family is revoked");
    }
    let (_, other) = refresh(&portal, &app, next[1]).await;
    assert!(
        other["refresh_token"].is_string(),
        "other families go on: {other}"
    );
}

/// The batch's statements themselves: a code or token spent before is not spent again, and the
/// answer names exactly those spent now.
async fn a_batch_spends_only_what_is_unspent(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let used = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let fresh = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &used).await;
    let spent_refresh = tokens["refresh_token"].as_str().expect("refresh");
    let (_, rotated) = refresh(&portal, &app, spent_refresh).await;
    let live_refresh = rotated["refresh_token"].as_str().expect("rotated");
    let hash = |raw: &str| services::tokens::hash_token(raw);

    let store = &portal.state.store;
    let mut tx = store.begin().await.expect("tx");
    let (used_hash, fresh_hash) = (hash(&used), hash(&fresh));
    let codes = [
        (used_hash.as_str(), "g-1"),
        (fresh_hash.as_str(), "g-2"),
        ("no-such-code", "g-3"),
    ];
    let spent = use_codes(&mut tx, &codes, 1).await.expect("codes");
    assert_eq!(spent.into_iter().collect::<Vec<_>>(), vec![fresh_hash.clone()]);
    let (old, live) = (hash(spent_refresh), hash(live_refresh));
    let spent = use_refresh_tokens(&mut tx, &[&old, &live, "no-such-token"], 1)
        .await
        .expect("tokens");
    assert_eq!(spent.into_iter().collect::<Vec<_>>(), vec![live.clone()]);
    storage::commit(tx).await.expect("commit");
    let marked: String = sqlx::query_scalar("SELECT grant_id FROM oidc_codes WHERE code_hash = $1")
        .bind(&fresh_hash)
        .fetch_one(store.read())
        .await
        .expect("the fresh code");
    assert_eq!(marked, "g-2", "each code is marked for its own grant");
}

on_both_databases!(
    grants_sent_together_each_spend_their_own_code_and_token,
    a_batch_spends_only_what_is_unspent,
);
