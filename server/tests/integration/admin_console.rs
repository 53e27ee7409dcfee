//! The admin console: invitations and requests across resources (filters, pages, resend and
//! revoke), deciding in place of an absent approver, and the dashboard's counts.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal, START};

const PARTNER: &str = "ann@partner.example";
const OWNER: &str = "olga@example.com";

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("json: {body}"))
}

/// The list server function with the given filter fields (`state`, `email`, ...).
async fn list(
    admin: &mut Browser<'_>,
    path: &str,
    filter: &[(&str, &str)],
    after: Option<i64>,
) -> crate::support::Reply {
    let mut form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), v.to_string()))
        .collect();
    if let Some(after) = after {
        form.push(("after".into(), after.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.call(path, &pairs).await
}

fn emails(reply: &crate::support::Reply) -> Vec<String> {
    json(&reply.body)["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["email"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn requests_are_listed_across_resources_with_filters_and_pages(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    // Enough older requests for a second page, written straight to the table first.
    for i in 0..55 {
        sqlx::query(
            "INSERT INTO access_requests (resource_id, email, display_name, organisation, justification, answers,
                 policy, state, stage, status_token_hash, decide_by, created_at, updated_at, closed_at)
             VALUES ($1, $2, 'Old', 'Old Ltd', 'Old.', '[]', '{}', 'denied', 1, $3, $4, $4, $4, $4)",
        )
        .bind(crm)
        .bind(format!("old{i}@partner.example"))
        .bind(format!("hash-{i}"))
        .bind(START - 40 * 86_400)
        .execute(portal.state.store.read())
        .await
        .expect("old request");
    }

    portal.browser().request_access("crm", PARTNER, "Ann").await;
    portal
        .browser()
        .request_access("wiki", "bo@partner.example", "Bo")
        .await;

    let everything = list(&mut admin, "/api/admin_requests", &[], None).await;
    assert_eq!(everything.status, StatusCode::OK, "{}", everything.body);
    let first = json(&everything.body);
    assert_eq!(first["rows"].as_array().map(Vec::len), Some(50));
    assert_eq!(first["rows"][0]["email"], "bo@partner.example", "newest first");
    let next = first["next"].as_i64().expect("a next page");
    let second = list(&mut admin, "/api/admin_requests", &[], Some(next)).await;
    assert_eq!(emails(&second).len(), 7, "57 in all");
    assert!(json(&second.body)["next"].is_null());

    let pending = list(&mut admin, "/api/admin_requests", &[("state", "pending")], None).await;
    assert_eq!(
        emails(&pending),
        [String::from("bo@partner.example"), PARTNER.into()]
    );
    let on_wiki = list(
        &mut admin,
        "/api/admin_requests",
        &[("resource", &wiki.to_string())],
        None,
    )
    .await;
    assert_eq!(emails(&on_wiki), ["bo@partner.example"]);
    let by_email = list(&mut admin, "/api/admin_requests", &[("email", "ANN@")], None).await;
    assert_eq!(emails(&by_email), [PARTNER]);
    let oldest = list(&mut admin, "/api/admin_requests", &[("sort", "oldest")], None).await;
    assert_eq!(emails(&oldest)[0], "old0@partner.example");
    let today = list(
        &mut admin,
        "/api/admin_requests",
        &[("from", "2027-01-15"), ("to", "2027-01-15")],
        None,
    )
    .await;
    assert_eq!(emails(&today).len(), 2, "{}", today.body);
    let none = list(&mut admin, "/api/admin_requests", &[("email", "nobody")], None).await;
    assert_eq!(json(&none.body)["rows"], serde_json::json!([]));

    let bad = list(
        &mut admin,
        "/api/admin_requests",
        &[("state", "lost"), ("to", "15/01/2027")],
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Choose a state from the list."), "{}", bad.body);
    assert!(bad.body.contains("Enter a date as YYYY-MM-DD."), "{}", bad.body);

    // An owner is not an admin: refused, and the attempt is audited.
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let refused = list(&mut owner, "/api/admin_requests", &[], None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = list(&mut owner, "/api/admin_invitations", &[], None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation.refused' AND actor = 'olga@example.com'")
            .await,
        2
    );
}

async fn an_admin_resends_and_revokes_any_invitation(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let sent = owner
        .call(
            "/api/invite_partner",
            &[
                ("resource_id", &crm.to_string()),
                ("invite[email]", PARTNER),
                ("invite[display_name]", "Ann Partner"),
                ("invite[message]", ""),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let old_link = portal.last_email_to(PARTNER).await.link("/invite/");

    let pending = list(
        &mut admin,
        "/api/admin_invitations",
        &[("state", "pending")],
        None,
    )
    .await;
    let rows = json(&pending.body);
    assert_eq!(rows["rows"][0]["email"], PARTNER, "{}", pending.body);
    assert_eq!(rows["rows"][0]["resource_name"], "CRM");
    assert_eq!(rows["rows"][0]["inviter_name"], "Olga Owner");
    let id = rows["rows"][0]["id"].as_i64().expect("id").to_string();
    // The default policy gives 168 hours: not expiring within 48.
    let expiring = list(
        &mut admin,
        "/api/admin_invitations",
        &[("state", "expiring")],
        None,
    )
    .await;
    assert_eq!(json(&expiring.body)["rows"], serde_json::json!([]));

    let resent = admin
        .call(
            "/api/admin_invitation_action",
            &[("invitation_id", &id), ("action", "resend")],
        )
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    assert_eq!(
        resent.header("location"),
        Some("/admin/invitations?email=ann%40partner.example&done=resent")
    );
    let new_link = portal.last_email_to(PARTNER).await.link("/invite/");
    assert_ne!(new_link, old_link);
    let old = portal
        .browser()
        .call(
            "/api/invitation_offer",
            &[("token", old_link.trim_start_matches("/invite/"))],
        )
        .await;
    assert_ne!(
        old.status,
        StatusCode::OK,
        "the old link stops working: {}",
        old.body
    );

    let revoked = admin
        .call(
            "/api/admin_invitation_action",
            &[("invitation_id", &id), ("action", "revoke")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let now_revoked = list(
        &mut admin,
        "/api/admin_invitations",
        &[("state", "revoked")],
        None,
    )
    .await;
    assert_eq!(emails(&now_revoked), [PARTNER]);
    let again = admin
        .call(
            "/api/admin_invitation_action",
            &[("invitation_id", &id), ("action", "revoke")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("no longer pending"), "{}", again.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('invitation.resent', 'invitation.revoked') AND actor = 'ada@example.com'")
            .await,
        2
    );

    let missing = admin
        .call(
            "/api/admin_invitation_action",
            &[("invitation_id", "999"), ("action", "resend")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let refused = owner
        .call(
            "/api/admin_invitation_action",
            &[("invitation_id", &id), ("action", "resend")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "owners use their resource page"
    );
}

async fn an_admin_decides_in_place_of_an_absent_approver(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM access_requests WHERE email = $1")
        .bind(PARTNER)
        .fetch_one(portal.state.store.read())
        .await
        .expect("request");
    let id = id.to_string();

    let detail = admin.call("/api/review_detail", &[("request_id", &id)]).await;
    let detail = json(&detail.body);
    assert_eq!(detail["in_place_of"], serde_json::json!(["Olga Owner"]));
    assert_eq!(detail["can_decide"], true);
    // The history is data (the page words it in the reader's language).
    assert_eq!(detail["trail"][0]["action"], "request.created", "{detail}");

    // Without saying so, an admin who is not an approver does not decide.
    let plain = admin
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(plain.status, StatusCode::FORBIDDEN);
    let stood_in = admin
        .call(
            "/api/decide_request",
            &[
                ("request_id", &id),
                ("outcome", "approve"),
                ("justification", "Olga is on leave."),
                ("in_place", "yes"),
            ],
        )
        .await;
    assert_eq!(stood_in.status, StatusCode::OK, "{}", stood_in.body);
    assert_eq!(
        stood_in.header("location"),
        Some(format!("/review/{id}?decided=approved").as_str())
    );
    assert!(portal.last_email_to(PARTNER).await.subject.contains("invited"));
    let (in_place_of,): (String,) = sqlx::query_as("SELECT in_place_of FROM decisions")
        .fetch_one(portal.state.store.read())
        .await
        .expect("decision");
    assert_eq!(in_place_of, "Olga Owner");
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'decision.in_place' AND details LIKE '%Olga Owner%'")
            .await,
        1
    );
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM approval_tasks").await,
        0,
        "Olga's task is gone"
    );

    let after = json(
        &owner
            .call("/api/review_detail", &[("request_id", &id)])
            .await
            .body,
    );
    assert_eq!(after["decisions"][0]["in_place_of"], "Olga Owner");
    let trail: Vec<String> = after["trail"]
        .as_array()
        .expect("trail")
        .iter()
        .map(|s| {
            // As an English reader sees the step (the page words the audit action).
            app::components::audit_words::trail_words(
                locales::Locale::en,
                s["action"].as_str().unwrap_or_default(),
                s["stage"].as_i64(),
            )
        })
        .collect();
    assert!(
        trail.contains(&"Decided in place of the approvers (stage 1)".to_string()),
        "{trail:?}"
    );
    assert!(
        trail.contains(&"Approved the request: the partner is invited".to_string()),
        "{trail:?}"
    );

    // Standing in is for admins only: an owner who is not an approver of a request cannot.
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    portal.owner(&mut admin, wiki, "wes@example.com").await;
    portal
        .browser()
        .request_access("wiki", "bo@partner.example", "Bo")
        .await;
    let (other,): (i64,) =
        sqlx::query_as("SELECT id FROM access_requests WHERE email = 'bo@partner.example'")
            .fetch_one(portal.state.store.read())
            .await
            .expect("request");
    let refused = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &other.to_string()),
                ("outcome", "approve"),
                ("justification", ""),
                ("in_place", "yes"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn the_dashboard_counts_what_waits_and_what_happened(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[auto_approve_domains]", "auto.example")])
        .await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    portal
        .browser()
        .request_access("crm", "cy@auto.example", "Cy")
        .await;
    let link = portal.last_email_to("cy@auto.example").await.link("/invite/");
    let redeemed = portal
        .browser()
        .call(
            "/api/redeem_invitation",
            &[
                ("token", link.trim_start_matches("/invite/")),
                ("mode", "new"),
                ("display_name", "Cy Auto"),
                ("password", crate::support::PASSWORD),
                ("password_confirm", crate::support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    sqlx::query("UPDATE memberships SET expires_at = $1")
        .bind(START + 3 * 86_400)
        .execute(portal.state.store.read())
        .await
        .expect("membership ends soon");

    let reply = admin.call("/api/admin_dashboard", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let board = json(&reply.body);
    assert_eq!(board["pending_requests"][0]["resource_name"], "CRM");
    assert_eq!(board["pending_requests"][0]["pending"], 1);
    assert_eq!(board["pending_requests"][0]["newer_than_a_day"], 1);
    assert_eq!(board["invitations_pending"], 0);
    assert_eq!(board["memberships_ending"], 1);
    assert_eq!(board["ending_soonest"][0]["email"], "cy@auto.example");
    let days = board["days"].as_array().expect("days");
    assert_eq!(days.len(), 30);
    let today = &days[29];
    assert_eq!(today["day"], START);
    assert_eq!(today["requests"], 2);
    assert_eq!(today["redemptions"], 1);
    assert_eq!(days[0]["requests"], 0);

    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    assert_eq!(
        owner.call("/api/admin_dashboard", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

on_both_databases!(
    requests_are_listed_across_resources_with_filters_and_pages,
    an_admin_resends_and_revokes_any_invitation,
    an_admin_decides_in_place_of_an_absent_approver,
    the_dashboard_counts_what_waits_and_what_happened,
);
