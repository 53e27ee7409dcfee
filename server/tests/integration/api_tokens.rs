//! API tokens: checked on every call, limited to their scopes, revocable, expiring, rate
//! limited, and every call audited under the token's name.

use axum::http::StatusCode;
use serde_json::json;

use crate::api_client::{make_token, Api};
use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal};

const PARTNER: &str = "ann@partner.example";

async fn tokens_are_checked_scoped_revocable_and_audited(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let reader = make_token(&mut admin, "Catalogue sync", &["resources:read"]).await;

    let nobody = Api::anonymous(&portal);
    let answer = nobody.get("/api/v1/resources").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.error().0, "unauthenticated");
    let forged = Api::new(&portal, &format!("ptk_{}", "A".repeat(43)));
    assert_eq!(
        forged.get("/api/v1/resources").await.status,
        StatusCode::UNAUTHORIZED
    );

    let api = Api::new(&portal, &reader);
    let listed = api.get("/api/v1/resources").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.reply.body);
    assert_eq!(listed.json["items"][0]["slug"], "crm");
    let one = api.get(&format!("/api/v1/resources/{crm}")).await;
    assert_eq!(one.json["name"], "CRM");
    assert!(one.json["requestable"].as_bool().unwrap());
    let missing = api.get("/api/v1/resources/999999").await;
    assert_eq!(
        (missing.status, missing.error().0),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let bad_id = api.get("/api/v1/resources/abc").await;
    assert_eq!(
        (bad_id.status, bad_id.error().1),
        (StatusCode::BAD_REQUEST, Some("id"))
    );
    let nowhere = api.get("/api/v1/nowhere").await;
    assert_eq!(
        (nowhere.status, nowhere.error().0),
        (StatusCode::NOT_FOUND, "not_found")
    );

    // Without invitations:write the token may not invite.
    let refused = api
        .post(
            "/api/v1/invitations",
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error().0, "missing_scope");
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);

    // Every call is audited with the token's name; the list shows the last use.
    let audited = portal
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'api.called' AND actor LIKE '%Catalogue sync%'",
        )
        .await;
    assert!(audited >= 5, "{audited} calls audited");
    let tokens = admin.call("/api/admin_api_tokens", &[]).await;
    let tokens: serde_json::Value = serde_json::from_str(&tokens.body).unwrap();
    assert!(tokens["tokens"][0]["last_used_at"].as_i64().is_some());
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'api_token.created'")
            .await,
        1
    );
    // Only a hash is stored.
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE '%{}%'",
                &reader[4..20]
            ))
            .await,
        0
    );

    let id = tokens["tokens"][0]["id"].as_i64().unwrap().to_string();
    let revoked = admin.call("/api/revoke_api_token", &[("token_id", &id)]).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let after = api.get("/api/v1/resources").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
    let twice = admin.call("/api/revoke_api_token", &[("token_id", &id)]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // Bad token forms are answered beside their fields.
    let bad = admin
        .call(
            "/api/create_api_token",
            &[
                ("token[name]", ""),
                ("token[scopes][0]", "root"),
                ("token[expires_on]", "soon"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["token[name]", "token[scopes]", "token[expires_on]"] {
        assert!(bad.body.contains(field), "{field}: {}", bad.body);
    }

    // A token past its last day stops working.
    let form = [
        ("token[name]", "Short-lived"),
        ("token[scopes][0]", "resources:read"),
        ("token[expires_on]", "2027-01-15"),
    ];
    assert_eq!(
        admin.call("/api/create_api_token", &form).await.status,
        StatusCode::OK
    );
    let page = admin.call("/api/admin_api_tokens", &[]).await;
    let page: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let short = Api::new(&portal, page["just_made"][1].as_str().unwrap());
    assert_eq!(short.get("/api/v1/resources").await.status, StatusCode::OK);
    portal.clock.advance(86_400);
    assert_eq!(
        short.get("/api/v1/resources").await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn a_busy_token_or_address_is_told_when_to_come_back(db: Db) {
    let portal = TestPortal::start_with(db, &["--api-limit-per-minute", "2"]).await;
    let mut admin = portal.admin().await;
    let token = make_token(&mut admin, "Busy", &["resources:read"]).await;
    let api = Api::new(&portal, &token);
    assert_eq!(api.get("/api/v1/resources").await.status, StatusCode::OK);
    assert_eq!(api.get("/api/v1/resources").await.status, StatusCode::OK);
    let third = api.get("/api/v1/resources").await;
    assert_eq!(
        (third.status, third.error().0),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let wait: u64 = third
        .reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // The token's budget is its own, wherever it calls from...
    let elsewhere = Api::new(&portal, &token).from([203, 0, 113, 9]);
    assert_eq!(
        elsewhere.get("/api/v1/resources").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...and an address without a valid token is limited too.
    let guesser = Api::anonymous(&portal).from([203, 0, 113, 50]);
    assert_eq!(
        guesser.get("/api/v1/resources").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        guesser.get("/api/v1/resources").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        guesser.get("/api/v1/resources").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// An admin changes an account (make_admin, remove_admin, disable) on the accounts page.
async fn change_account(admin: &mut Browser<'_>, account_id: &str, change: &str) {
    let reply = admin
        .call(
            "/api/change_account",
            &[("account_id", account_id), ("change", change)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{change}: {}", reply.body);
}

async fn a_token_works_only_while_its_admin_does(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut ada = portal.admin().await;
    let crm = portal.create_resource(&mut ada, "CRM", "crm").await;
    let mut olga = portal.owner(&mut ada, crm, "olga@example.com").await;
    let olga_id = portal
        .count("SELECT id FROM accounts WHERE email = 'olga@example.com'")
        .await
        .to_string();

    // An owner who is not an admin cannot make tokens.
    let refused = olga
        .call(
            "/api/create_api_token",
            &[("token[name]", "Mine"), ("token[scopes][0]", "resources:read")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    change_account(&mut ada, &olga_id, "make_admin").await;
    let api = Api::new(
        &portal,
        &make_token(&mut olga, "Olga's sync", &["resources:read"]).await,
    );
    assert_eq!(api.get("/api/v1/resources").await.status, StatusCode::OK);

    change_account(&mut ada, &olga_id, "remove_admin").await;
    let demoted = api.get("/api/v1/resources").await;
    assert_eq!(
        (demoted.status, demoted.error().0),
        (StatusCode::FORBIDDEN, "forbidden")
    );

    change_account(&mut ada, &olga_id, "disable").await;
    let gone = api.get("/api/v1/resources").await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert!(gone.json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("disabled"));
}

on_both_databases!(
    tokens_are_checked_scoped_revocable_and_audited,
    a_busy_token_or_address_is_told_when_to_come_back,
    a_token_works_only_while_its_admin_does,
    a_token_made_without_javascript_is_shown_once_on_the_page,
);

/// Without JavaScript the form posts, the answer redirects back, and the page shows the new
/// token once: the page's read takes it out of the session, so it must be read exactly once.
async fn a_token_made_without_javascript_is_shown_once_on_the_page(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let refused = admin
        .submit_without_js(
            "/api/create_api_token",
            &[("token[name]", "")],
            "/admin/api-tokens",
        )
        .await;
    let back_with_errors = refused.header("location").expect("location").to_string();
    let page = admin.get(&back_with_errors).await;
    assert!(
        page.body.contains("Tick at least one thing the token may do."),
        "{}",
        page.body
    );
    let made = admin
        .submit_without_js(
            "/api/create_api_token",
            &[
                ("token[name]", "Onboarding nojs"),
                ("token[scopes][0]", "invitations:read"),
            ],
            "/admin/api-tokens",
        )
        .await;
    assert!(made.status.is_redirection(), "{} {}", made.status, made.body);
    let back = made.header("location").expect("location").to_string();
    let page = admin.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("The token &quot;Onboarding nojs&quot; is made. Copy it now")
            || page
                .body
                .contains("The token \"Onboarding nojs\" is made. Copy it now"),
        "{}",
        page.body
    );
    let again = admin.get(&back).await;
    assert!(!again.body.contains("is made. Copy it now"), "shown only once");
}
