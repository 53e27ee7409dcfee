//! A partner's signed-in pages: "My access" through its service (the three lists the page shows,
//! read in one statement), and the header's review link, whose answer each instance keeps.

use axum::http::StatusCode;
use services::memberships::my_access::my_access;
use storage::accounts::account::find_by_email;

use crate::on_both_databases;
use crate::support::{Db, TestPortal, START};

const ANN: &str = "ann@partner.example";
const HOUR: i64 = 3600;

/// Runs `sql` behind the portal's back: on its store, outside any transaction it commits.
async fn behind_its_back(portal: &TestPortal, sql: &str) {
    sqlx::query(sql)
        .execute(portal.state.store.read())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Runs `sql` as a change of the portal's own: committed through its store.
async fn execute(portal: &TestPortal, sql: &str) {
    let mut tx = portal.state.store.begin().await.expect("begin");
    sqlx::query(sql)
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    storage::commit(tx).await.expect("commit");
}

/// The statement granting Ann a membership of `resource`, with the given end columns (SQL literals).
fn membership_sql(resource: i64, expires_at: &str, ended_at: &str) -> String {
    format!(
        "INSERT INTO memberships (account_id, resource_id, source, granted_at, expires_at, ended_at)
         SELECT id, {resource}, 'direct', {START}, {expires_at}, {ended_at} FROM accounts WHERE email = '{ANN}'"
    )
}

/// A membership of `resource` for Ann, with the given end columns (SQL literals).
async fn membership(portal: &TestPortal, resource: i64, expires_at: &str, ended_at: &str) {
    execute(portal, &membership_sql(resource, expires_at, ended_at)).await;
}

/// An invitation to `resource` that Ann redeemed at `redeemed_at`, asking to go on to `redirect`.
async fn redeemed(portal: &TestPortal, resource: i64, token: &str, redeemed_at: i64, redirect: &str) {
    execute(
        portal,
        &format!(
            "INSERT INTO invitations (resource_id, email, token_hash, state, source, access_duration,
                                      expires_at, created_at, redeemed_at, redeemed_by_account_id, redirect_url)
             SELECT {resource}, '{ANN}', '{token}', 'redeemed', 'invite', '{{}}', {redeemed_at},
                    {redeemed_at}, {redeemed_at}, id, '{redirect}'
             FROM accounts WHERE email = '{ANN}'"
        ),
    )
    .await;
}

async fn the_page_lists_live_memberships_requests_and_where_to_continue(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let zeta = portal.create_resource(&mut admin, "Zeta", "zeta").await;
    let old = portal.create_resource(&mut admin, "Old", "old").await;
    portal.create_resource(&mut admin, "Docs", "docs").await;
    execute(
        &portal,
        &format!(
            "INSERT INTO accounts (email, display_name, password_hash, is_admin, is_staff, created_at, updated_at)
             VALUES ('{ANN}', 'Ann', NULL, 0, 0, {START}, {START})"
        ),
    )
    .await;
    let now = START + 10 * HOUR;
    membership(&portal, zeta, "NULL", "NULL").await;
    membership(&portal, crm, &(now + 30 * 86_400).to_string(), "NULL").await;
    // One run out, one ended.
    membership(&portal, wiki, &(now - 1).to_string(), "NULL").await;
    membership(&portal, old, "NULL", &START.to_string()).await;
    // Two requests, a minute apart.
    portal.browser().request_access("docs", ANN, "Ann").await;
    portal.clock.advance(60);
    portal.browser().request_access("old", ANN, "Ann").await;
    // Someone else's request is not Ann's.
    portal
        .browser()
        .request_access("crm", "bob@partner.example", "Bob")
        .await;
    // Two invitations redeemed in the last hour, the newer one asking to go on; one before it.
    redeemed(&portal, crm, "t1", now - 2 * HOUR, "https://crm.example.com/old").await;
    redeemed(
        &portal,
        zeta,
        "t2",
        now - 20 * 60,
        "https://zeta.example.com/start",
    )
    .await;
    redeemed(&portal, wiki, "t3", now - 10 * 60, "").await;
    portal.clock.advance(now - START - 60);

    let account = find_by_email(portal.state.store.read(), ANN)
        .await
        .expect("read")
        .expect("Ann");
    let page = my_access(&portal.state.store, &*portal.state.clock, &account)
        .await
        .expect("My access");

    let held: Vec<_> = page
        .held
        .iter()
        .map(|h| (h.resource_name.as_str(), h.expires_at))
        .collect();
    assert_eq!(held, [("CRM", Some(now + 30 * 86_400)), ("Zeta", None)]);
    assert_eq!(page.held[1].resource_kind, "app");
    let requests: Vec<_> = page
        .requests
        .iter()
        .map(|r| (r.resource_name.as_str(), r.state.as_str(), r.stage))
        .collect();
    assert_eq!(requests, [("Old", "pending", 1), ("Docs", "pending", 1)]);
    assert_eq!(page.requests[0].created_at, START + 60);
    assert_eq!(
        page.continue_to,
        Some(("Zeta".to_string(), "https://zeta.example.com/start".to_string()))
    );

    // Two hours on, nothing to continue to; with nothing at all, three empty lists.
    portal.clock.advance(2 * HOUR);
    let later = my_access(&portal.state.store, &*portal.state.clock, &account)
        .await
        .expect("My access");
    assert_eq!(later.continue_to, None);
    assert_eq!(later.held.len(), 2);
    execute(&portal, "DELETE FROM invitations").await;
    execute(&portal, "DELETE FROM memberships").await;
    execute(
        &portal,
        &format!("UPDATE access_requests SET email = 'gone@partner.example' WHERE email = '{ANN}'"),
    )
    .await;
    let empty = my_access(&portal.state.store, &*portal.state.clock, &account)
        .await
        .expect("My access");
    assert_eq!(empty, Default::default());
}

async fn has_reviews(browser: &mut crate::support::Browser<'_>) -> bool {
    let info = browser.call("/api/site_info", &[]).await;
    let info: serde_json::Value = serde_json::from_str(&info.body).expect("json");
    info["viewer"]["has_reviews"]
        .as_bool()
        .unwrap_or_else(|| panic!("a signed-in viewer: {info}"))
}

/// Whether a partner has anything to review is kept for a second: a change through the portal
/// shows at once, one made behind its back (or on another instance) once the copy is stale.
async fn a_partner_made_owner_gets_the_review_link_at_once(db: Db) {
    use storage::accounts::sign_in_cache::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let mut ann = crate::oidc_support::member(&portal, &mut admin, crm, ANN).await;
    assert!(!has_reviews(&mut ann).await, "a member has nothing to review");

    let appointed = admin
        .call(
            "/api/add_owner",
            &[
                ("resource_id", &wiki.to_string()),
                ("owner_email", ANN),
                ("owner_name", ""),
            ],
        )
        .await;
    assert_eq!(appointed.status, axum::http::StatusCode::OK, "{}", appointed.body);
    assert!(has_reviews(&mut ann).await, "an owner: at once");

    let account = find_by_email(portal.state.store.read(), ANN)
        .await
        .expect("read")
        .expect("Ann");
    let removed = admin
        .call(
            "/api/remove_owner",
            &[
                ("resource_id", &wiki.to_string()),
                ("account_id", &account.id.to_string()),
            ],
        )
        .await;
    assert_eq!(removed.status, axum::http::StatusCode::OK, "{}", removed.body);
    assert!(!has_reviews(&mut ann).await, "no longer an owner: at once");

    // Behind the portal's back: the kept answer stands until it is a second old.
    behind_its_back(
        &portal,
        &format!(
            "INSERT INTO resource_owners (resource_id, account_id, created_at) VALUES ({wiki}, {}, {START})",
            account.id
        ),
    )
    .await;
    assert!(!has_reviews(&mut ann).await, "kept");
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    assert!(has_reviews(&mut ann).await, "read again");
}

/// My access is drawn without the router (app/src/plain_page.rs), in the frame every page has:
/// the header knows the person and marks the page, the language switch comes back to it, a
/// stranger is asked to sign in, and no script is sent or allowed.
async fn the_page_is_drawn_plainly_in_the_whole_frame(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut ann = crate::oidc_support::member(&portal, &mut admin, crm, ANN).await;

    let page = ann.get("/my-access?left=1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let policy = page.header("content-security-policy").expect("a policy");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    let body = &page.body;
    for part in [
        "<!DOCTYPE html><html lang=\"en\">",
        "<title>My access · Portico</title>",
        "href=\"/my-access\" aria-current=\"page\"",
        "<span class=\"badge\">Partner</span>",
        "action=\"/api/sign_out\" method=\"post\"",
        "name=\"back\" value=\"/my-access?left=1\"",
        "Done: you no longer have that access.",
        "<strong class=\"tile-name\">CRM</strong>",
        "<footer class=\"site-footer\">",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("admin-nav"), "{body}");

    // In Dutch, as the browser asks.
    ann.accept_language = Some("nl");
    let dutch = ann.get("/my-access").await;
    assert!(
        dutch.body.contains("<title>Mijn toegang · Portico</title>"),
        "{}",
        dutch.body
    );
    assert!(dutch.body.contains("<html lang=\"nl\">"), "{}", dutch.body);

    // An admin's header carries the console's menu here too.
    let mine = admin.get("/my-access").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(mine.body.contains("class=\"admin-nav\""), "{}", mine.body);

    // A stranger is asked to sign in, and comes back here after.
    let stranger = portal.browser().get("/my-access?joined=1").await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED, "{}", stranger.body);
    let next = rules::list_filter::url_encode("/my-access?joined=1");
    assert!(
        stranger.body.contains(&format!("href=\"/sign-in?next={next}\"")),
        "{}",
        stranger.body
    );
    assert!(!stranger.body.contains("tile-name"), "{}", stranger.body);
}

/// My access is kept for a moment by each instance: any commit through it shows at once (the
/// partner leaving, a membership granted), a change behind its back (or through another
/// instance) once the copy is a second old, and a step of the clock at once.
async fn the_page_is_kept_until_the_next_commit(db: Db) {
    use rules::clock::Clock;
    use storage::kept::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let docs = portal.create_resource(&mut admin, "Docs", "docs").await;
    let mut ann = crate::oidc_support::member(&portal, &mut admin, crm, ANN).await;
    let tiles = |body: &str| -> Vec<&'static str> {
        ["CRM", "Wiki", "Docs"]
            .into_iter()
            .filter(|name| body.contains(&format!(r#"<strong class="tile-name">{name}</strong>"#)))
            .collect()
    };
    assert_eq!(tiles(&ann.get("/my-access").await.body), ["CRM"]);

    // Granted through the portal: at once.
    membership(&portal, wiki, "NULL", "NULL").await;
    assert_eq!(tiles(&ann.get("/my-access").await.body), ["CRM", "Wiki"]);

    // Left through the page: at once.
    let (left,): (i64,) = sqlx::query_as(&format!("SELECT id FROM memberships WHERE resource_id = {crm}"))
        .fetch_one(portal.state.store.read())
        .await
        .expect("membership");
    let answer = ann
        .call("/api/leave_resource", &[("membership_id", &left.to_string())])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(tiles(&ann.get("/my-access").await.body), ["Wiki"]);

    // Behind its back: kept until the copy is a second old. Commits are counted for the whole
    // process, and the other tests commit meanwhile, so a try during which anything was
    // committed proves nothing and is made again; one with no commit must show the copy.
    let grant_docs = membership_sql(docs, "NULL", "NULL");
    let mut proven = false;
    for _ in 0..50 {
        let before = storage::writes::committed();
        assert_eq!(tiles(&ann.get("/my-access").await.body), ["Wiki"]);
        behind_its_back(&portal, &grant_docs).await;
        let shown = tiles(&ann.get("/my-access").await.body);
        if storage::writes::committed() == before {
            assert_eq!(shown, ["Wiki"], "kept");
            proven = true;
            break;
        }
        behind_its_back(
            &portal,
            &format!("DELETE FROM memberships WHERE resource_id = {docs}"),
        )
        .await;
        tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    }
    assert!(proven, "no try went without a commit somewhere in the process");
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    assert_eq!(
        tiles(&ann.get("/my-access").await.body),
        ["Wiki", "Docs"],
        "read again"
    );

    // A membership that ends with the next second is gone with it, though nothing was written.
    let now = portal.clock.now();
    behind_its_back(
        &portal,
        &format!(
            "UPDATE memberships SET expires_at = {} WHERE resource_id = {wiki}",
            now + 1
        ),
    )
    .await;
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    assert_eq!(tiles(&ann.get("/my-access").await.body), ["Wiki", "Docs"]);
    portal.clock.advance(1);
    assert_eq!(tiles(&ann.get("/my-access").await.body), ["Docs"]);
}

on_both_databases!(
    the_page_is_kept_until_the_next_commit,
    the_page_lists_live_memberships_requests_and_where_to_continue,
    a_partner_made_owner_gets_the_review_link_at_once,
    the_page_is_drawn_plainly_in_the_whole_frame,
);
