//! Admins steering accounts: disable ends sessions at once, enable, admin rights, end sessions,
//! search; and nobody else may.

use axum::http::StatusCode;

use storage::accounts::account::{insert_account, NewAccount};

use crate::on_both_databases;
use crate::support::{Browser, Db, Reply, TestPortal, PASSWORD};

const OWNER: &str = "olga@example.com";

async fn account_id(portal: &TestPortal, email: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(portal.state.store.read())
        .await
        .expect("account");
    id.to_string()
}

async fn disable(admin: &mut Browser<'_>, account_id: &str) -> Reply {
    admin
        .call(
            "/api/change_account",
            &[("account_id", account_id), ("change", "disable")],
        )
        .await
}

async fn disabling_an_account_ends_its_open_sessions_at_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let mut elsewhere = portal.signed_in(OWNER).await;
    assert_eq!(owner.signed_in_as().await.as_deref(), Some(OWNER));
    let id = account_id(&portal, OWNER).await;

    let disabled = disable(&mut admin, &id).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert_eq!(
        disabled.header("location"),
        Some("/admin/accounts?search=olga%40example.com&done=disable")
    );
    assert_eq!(owner.signed_in_as().await, None, "the open session ended");
    assert_eq!(elsewhere.signed_in_as().await, None, "in every browser");
    let again = portal
        .browser()
        .call(
            "/api/sign_in",
            &[("email", OWNER), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a disabled account cannot sign in"
    );
    let event = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.disabled' AND target = 'olga@example.com' AND details LIKE '%\"sessions_ended\":2%'")
        .await;
    assert_eq!(event, 1);

    let enabled = admin
        .call(
            "/api/change_account",
            &[("account_id", &id), ("change", "enable")],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    let mut back = portal.signed_in(OWNER).await;
    assert_eq!(back.signed_in_as().await.as_deref(), Some(OWNER));
}

async fn admin_rights_move_but_nobody_locks_themselves_out(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let me = account_id(&portal, "ada@example.com").await;
    let olga = account_id(&portal, OWNER).await;

    for change in ["disable", "remove_admin"] {
        let refused = admin
            .call("/api/change_account", &[("account_id", &me), ("change", change)])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("your own"), "{}", refused.body);
    }
    assert_eq!(
        owner
            .call("/api/admin_accounts", &[("search", ""), ("kind", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let made = admin
        .call(
            "/api/change_account",
            &[("account_id", &olga), ("change", "make_admin")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(
        owner
            .call("/api/admin_accounts", &[("search", ""), ("kind", "")])
            .await
            .status,
        StatusCode::OK
    );
    // Now Olga may take Ada's rights away, and then Ada's admin calls are refused.
    let removed = owner
        .call(
            "/api/change_account",
            &[("account_id", &me), ("change", "remove_admin")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        admin
            .call("/api/admin_accounts", &[("search", ""), ("kind", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('account.made_admin', 'account.admin_removed')")
            .await,
        2
    );
    let unknown = owner
        .call(
            "/api/change_account",
            &[("account_id", &me), ("change", "delete")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn ending_sessions_signs_the_account_out_everywhere(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let list = admin
        .call("/api/admin_accounts", &[("search", "olga"), ("kind", "staff")])
        .await;
    assert!(list.body.contains("\"sessions\":1"), "{}", list.body);
    let ended = admin
        .call(
            "/api/change_account",
            &[
                ("account_id", &account_id(&portal, OWNER).await),
                ("change", "end_sessions"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(owner.signed_in_as().await, None);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.sessions_ended'")
            .await,
        1
    );
}

async fn the_list_searches_filters_and_pages(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let mut tx = portal.state.store.begin().await.expect("tx");
    for i in 0..60 {
        let email = format!("partner{i:02}@partner.example");
        let account = NewAccount {
            email: &email,
            display_name: if i == 7 { "Zoë Seven" } else { "Partner Person" },
            password_hash: None,
            is_admin: false,
            is_staff: false,
        };
        insert_account(&mut tx, &account, 1_800_000_000)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");

    let first = admin
        .call(
            "/api/admin_accounts",
            &[("search", "partner.example"), ("kind", "partners")],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&first.body).expect("json");
    assert_eq!(json["rows"].as_array().expect("rows").len(), 50);
    let next = json["next"].as_str().expect("a next page").to_string();
    let second = admin
        .call(
            "/api/admin_accounts",
            &[
                ("search", "partner.example"),
                ("kind", "partners"),
                ("after", &next),
            ],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&second.body).expect("json");
    assert_eq!(json["rows"].as_array().expect("rows").len(), 10);
    assert!(json["next"].is_null());

    let by_name = admin
        .call("/api/admin_accounts", &[("search", "zoë"), ("kind", "")])
        .await;
    assert!(
        by_name.body.contains("partner07@partner.example"),
        "{}",
        by_name.body
    );
    let wildcard = admin
        .call("/api/admin_accounts", &[("search", "%"), ("kind", "")])
        .await;
    let json: serde_json::Value = serde_json::from_str(&wildcard.body).expect("json");
    assert_eq!(
        json["rows"].as_array().expect("rows").len(),
        0,
        "a % is a character, not a wildcard"
    );
    let staff = admin
        .call("/api/admin_accounts", &[("search", ""), ("kind", "staff")])
        .await;
    assert!(staff.body.contains("ada@example.com") && !staff.body.contains("partner.example"));
    let bad = admin
        .call("/api/admin_accounts", &[("search", ""), ("kind", "robots")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = admin.get("/admin/accounts?search=zo%C3%AB").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zoë Seven"), "{}", page.body);
}

/// Each instance keeps the sign-ins it has just served (storage/src/accounts/sign_in_cache.rs):
/// disabling an account signs it out at once on the instance that did it, and on every other
/// instance once that one's copy is older than `FRESH_FOR`.
async fn another_instance_signs_a_disabled_account_out_once_its_copy_is_stale(db: Db) {
    use std::time::{Duration, Instant};
    use storage::accounts::sign_in_cache::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let other = portal.another_instance().await;
    let mut there = other.browser();
    there.cookie = owner.cookie.clone();
    assert_eq!(
        there.signed_in_as().await.as_deref(),
        Some(OWNER),
        "one session, any instance"
    );
    assert_eq!(owner.signed_in_as().await.as_deref(), Some(OWNER));

    let id = account_id(&portal, OWNER).await;
    let disabled = disable(&mut admin, &id).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);
    assert_eq!(owner.signed_in_as().await, None, "here: at once");
    let started = Instant::now();
    while there.signed_in_as().await.is_some() {
        assert!(
            started.elapsed() < FRESH_FOR + Duration::from_secs(1),
            "the other instance still lets the disabled account in after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_databases!(
    another_instance_signs_a_disabled_account_out_once_its_copy_is_stale,
    disabling_an_account_ends_its_open_sessions_at_once,
    admin_rights_move_but_nobody_locks_themselves_out,
    ending_sessions_signs_the_account_out_everywhere,
    the_list_searches_filters_and_pages,
);
