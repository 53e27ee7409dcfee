//! Admins configure resources, owners and policies.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Browser, Db, Reply, TestPortal};

async fn a_taken_address_name_is_refused_next_to_its_field(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let reply = admin
        .call(
            "/api/save_resource",
            &[
                ("name", "Other CRM"),
                ("slug", "crm"),
                ("kind", "app"),
                ("description", ""),
                ("is_requestable", "on"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(
        error["Invalid"]["messages"]["slug"],
        "Another resource uses this address already."
    );
    assert_eq!(
        error["Invalid"]["values"]["name"], "Other CRM",
        "the typed name comes back"
    );
}

/// The admin archives (`true`) or restores (`false`) a resource.
async fn archive(admin: &mut Browser<'_>, id: i64, archive: bool) -> Reply {
    admin
        .call(
            "/api/archive_resource",
            &[("id", &id.to_string()), ("archive", &archive.to_string())],
        )
        .await
}

async fn archived_and_closed_resources_leave_the_catalog(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let catalog = portal.browser().call("/api/catalog", &[]).await;
    assert!(
        catalog.body.contains("\"CRM\"") && catalog.body.contains("\"Wiki\""),
        "{}",
        catalog.body
    );

    let archived = archive(&mut admin, crm, true).await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    let catalog = portal.browser().call("/api/catalog", &[]).await;
    assert!(!catalog.body.contains("\"CRM\""), "{}", catalog.body);
    let request = portal
        .browser()
        .request_access("crm", "ann@partner.example", "Ann")
        .await;
    assert_eq!(request.status, StatusCode::NOT_FOUND);

    archive(&mut admin, crm, false).await;
    let closed = admin
        .call(
            "/api/save_resource",
            &[
                ("id", &crm.to_string()),
                ("name", "CRM"),
                ("slug", "crm"),
                ("kind", "app"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert!(
        !portal
            .browser()
            .call("/api/catalog", &[])
            .await
            .body
            .contains("\"CRM\""),
        "not requestable"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'resource.%'")
            .await,
        5
    );
}

async fn an_invalid_policy_is_refused_field_by_field_and_nothing_changes(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut form = crate::support::default_policy_form();
    for (name, value) in [
        ("form[invitation_lifetime_hours]", "1000"),
        ("form[denied_domains]", "not a domain"),
        ("form[stage_count]", "2"),
        ("form[stages][1][approvers]", "named"),
        ("form[stages][1][accounts]", "ghost@example.com"),
    ] {
        form.retain(|(n, _)| n != name);
        form.push((name.to_string(), value.to_string()));
    }
    let id = crm.to_string();
    let mut pairs: Vec<(&str, &str)> = vec![("resource_id", &id)];
    pairs.extend(form.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let reply = admin.call("/api/save_policy", &pairs).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let error: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let messages = &error["Invalid"]["messages"];
    assert_eq!(
        messages["invitation_lifetime_hours"],
        "Enter a whole number of hours from 1 to 720."
    );
    assert!(messages["denied_domains"]
        .as_str()
        .unwrap_or_default()
        .contains("not a domain"));
    assert_eq!(
        messages["stage2_accounts"],
        "ghost@example.com is not a staff account of this portal."
    );
    assert_eq!(
        error["Invalid"]["values"]["form[invitation_lifetime_hours]"],
        "1000"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM resources WHERE policy IS NOT NULL")
            .await,
        0
    );
}

async fn a_resource_can_return_to_the_default_policy(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[denied_domains]", "rival.example")])
        .await;
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "eve@rival.example", "Eve")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let back = admin
        .call("/api/use_default_policy", &[("resource_id", &crm.to_string())])
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "eve@rival.example", "Eve")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'policy.changed'")
            .await,
        2
    );
}

async fn the_default_policy_applies_to_resources_without_their_own(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut form = crate::support::default_policy_form();
    form.retain(|(n, _)| n != "form[block_free_mail]");
    form.push(("form[block_free_mail]".into(), "on".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let saved = admin.call("/api/save_policy", &pairs).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "eve@gmail.com", "Eve")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let editor = admin.call("/api/policy_editor", &[]).await;
    assert!(
        editor.body.contains("\"block_free_mail\":\"on\""),
        "{}",
        editor.body
    );
}

async fn owners_can_be_removed_and_existing_accounts_appointed(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal.owner(&mut admin, crm, "olga@example.com").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    // Olga has an account now: appointing her to Wiki sends no new password link.
    let before = portal.emails_to("olga@example.com").await.len();
    let reply = admin
        .call(
            "/api/add_owner",
            &[
                ("resource_id", &wiki.to_string()),
                ("owner_email", "OLGA@example.com"),
                ("owner_name", ""),
            ],
        )
        .await;
    assert_eq!(
        reply.header("location"),
        Some(format!("/admin/resources/{wiki}?owner=appointed").as_str())
    );
    assert_eq!(portal.emails_to("olga@example.com").await.len(), before);
    let (olga,): (i64,) = sqlx::query_as("SELECT id FROM accounts WHERE email = 'olga@example.com'")
        .fetch_one(portal.state.store.read())
        .await
        .expect("olga");
    let removed = admin
        .call(
            "/api/remove_owner",
            &[
                ("resource_id", &crm.to_string()),
                ("account_id", &olga.to_string()),
            ],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let detail = admin
        .call("/api/admin_resource", &[("id", &crm.to_string())])
        .await;
    assert!(detail.body.contains("\"owners\":[]"), "{}", detail.body);
    // A new owner's address must be an address.
    let bad = admin
        .call(
            "/api/add_owner",
            &[
                ("resource_id", &crm.to_string()),
                ("owner_email", "olga"),
                ("owner_name", "Olga"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Each instance keeps the catalog in memory (store/catalog_cache.rs): an edit shows at once on
/// the instance that made it, and on every other instance once its copy is older than
/// `FRESH_FOR`, for the pages and for the requests they accept.
async fn another_instance_sees_catalog_changes_once_its_copy_is_stale(db: Db) {
    use storage::requests::catalog_cache::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let other = portal.another_instance().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let listed = |body: &str| body.contains("\"CRM\"");
    assert!(
        listed(&other.browser().call("/api/catalog", &[]).await.body),
        "first read"
    );

    let archived = archive(&mut admin, crm, true).await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    assert!(
        !listed(&portal.browser().call("/api/catalog", &[]).await.body),
        "here: at once"
    );
    let started = std::time::Instant::now();
    loop {
        let catalog = other.browser().call("/api/catalog", &[]).await;
        if !listed(&catalog.body) {
            break;
        }
        assert!(
            started.elapsed() < FRESH_FOR + std::time::Duration::from_secs(1),
            "the other instance still lists CRM after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let request = other
        .browser()
        .request_access("crm", "ann@partner.example", "Ann")
        .await;
    assert_eq!(
        request.status,
        StatusCode::NOT_FOUND,
        "nor does it accept requests"
    );
}

/// Every admin page answers at its route for whoever is not an admin, the new-resource form as
/// the others: signed out, the sign-in prompt (401); an owner, "Not available to you" (403,
/// audited once); an admin, the form.
async fn admin_pages_are_refused_at_the_route_to_anyone_but_admins(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    for path in [
        "/admin/resources/new",
        "/admin/resources",
        "/admin",
        "/admin/settings",
    ] {
        let anonymous = portal.browser().get(path).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            anonymous.body.contains("Please sign in"),
            "{path}: {}",
            anonymous.body
        );
        assert!(!anonymous.body.contains("New resource</h1>"), "{path}");

        let refused = owner.get(path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            refused.body.contains("Not available to you"),
            "{path}: {}",
            refused.body
        );
    }
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation.refused' AND actor = 'olga@example.com'")
            .await,
        4,
        "one record per refused visit"
    );
    let form = admin.get("/admin/resources/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("New resource"), "{}", form.body);
    assert!(form.body.contains("name=\"slug\""), "{}", form.body);
}

on_both_databases!(
    a_taken_address_name_is_refused_next_to_its_field,
    admin_pages_are_refused_at_the_route_to_anyone_but_admins,
    archived_and_closed_resources_leave_the_catalog,
    an_invalid_policy_is_refused_field_by_field_and_nothing_changes,
    a_resource_can_return_to_the_default_policy,
    the_default_policy_applies_to_resources_without_their_own,
    owners_can_be_removed_and_existing_accounts_appointed,
    another_instance_sees_catalog_changes_once_its_copy_is_stale,
);
