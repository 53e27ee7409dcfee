//! Owners on their resources: direct invites, members (revoke, extend), pending invitations
//! (resend, withdraw); and nobody may act on a resource they do not own.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal, PASSWORD, START};

const OWNER: &str = "olga@example.com";
const PARTNER: &str = "ann@partner.example";

async fn invite(owner: &mut Browser<'_>, resource: i64, email: &str, message: &str) -> crate::support::Reply {
    owner
        .call(
            "/api/invite_partner",
            &[
                ("resource_id", &resource.to_string()),
                ("invite[email]", email),
                ("invite[display_name]", "Ann Partner"),
                ("invite[message]", message),
            ],
        )
        .await
}

async fn redeem<'a>(portal: &'a TestPortal, token: &str) -> Browser<'a> {
    portal.allow_partner_passwords().await;
    let mut ann = portal.browser();
    let reply = ann
        .call(
            "/api/redeem_invitation",
            &[
                ("token", token),
                ("mode", "new"),
                ("display_name", "Ann Partner"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    ann
}

fn token_of(link: &str) -> String {
    link.trim_start_matches("/invite/").to_string()
}

async fn one_id(portal: &TestPortal, sql: &str) -> String {
    let (id,): (i64,) = sqlx::query_as(sql)
        .fetch_one(portal.state.store.read())
        .await
        .expect("one row");
    id.to_string()
}

async fn an_owner_invites_a_partner_who_redeems_and_gets_access(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;

    let mine = owner.call("/api/my_resources", &[]).await;
    assert!(mine.body.contains("\"name\":\"CRM\""), "{}", mine.body);

    let sent = invite(&mut owner, crm, "Ann@Partner.example", "Welcome aboard.").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        Some(format!("/resources/{crm}?invited=new").as_str())
    );
    let email = portal.last_email_to(PARTNER).await;
    assert!(email.text.contains("Welcome aboard."), "{}", email.text);
    assert!(
        email.text.contains("Olga Owner"),
        "the inviter is named: {}",
        email.text
    );

    let again = invite(&mut owner, crm, PARTNER, "").await;
    assert_eq!(
        again.header("location"),
        Some(format!("/resources/{crm}?invited=already").as_str())
    );
    assert_eq!(
        portal.emails_to(PARTNER).await.len(),
        1,
        "the waiting invitation stands"
    );

    let people = owner
        .call(
            "/api/resource_people",
            &[("resource_id", &crm.to_string()), ("search", "")],
        )
        .await;
    assert!(people.body.contains("\"source\":\"invite\""), "{}", people.body);

    let mut ann = redeem(&portal, &token_of(&email.link("/invite/"))).await;
    let access = ann.call("/api/my_access", &[]).await;
    assert!(
        access.body.contains("\"resource_name\":\"CRM\""),
        "{}",
        access.body
    );
    let people = owner
        .call(
            "/api/resource_people",
            &[("resource_id", &crm.to_string()), ("search", "ann")],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&people.body).expect("json");
    assert_eq!(json["members"][0]["email"], PARTNER);
    assert_eq!(json["invitations"].as_array().map(Vec::len), Some(0));
    let nobody = owner
        .call(
            "/api/resource_people",
            &[("resource_id", &crm.to_string()), ("search", "zed")],
        )
        .await;
    assert!(nobody.body.contains("\"members\":[]"), "{}", nobody.body);

    let member = invite(&mut owner, crm, PARTNER, "").await;
    assert_eq!(member.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(member.body.contains("already has access"), "{}", member.body);
    assert!(
        member.body.contains("invite[email]"),
        "the message sits by the field: {}",
        member.body
    );
}

async fn bad_input_and_denied_domains_are_refused_by_the_field(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[denied_domains]", "rival.example")])
        .await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;

    let denied = invite(&mut owner, crm, "eve@rival.example", "").await;
    assert_eq!(denied.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(denied.body.contains("denied by the policy"), "{}", denied.body);
    assert!(
        denied.body.contains("eve@rival.example"),
        "what was typed comes back: {}",
        denied.body
    );

    let bad = owner
        .call(
            "/api/invite_partner",
            &[
                ("resource_id", &crm.to_string()),
                ("invite[email]", "not an email"),
                ("invite[display_name]", ""),
                ("invite[message]", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("invite[email]") && bad.body.contains("invite[display_name]"),
        "each message names its field: {}",
        bad.body
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);
}

async fn nobody_sees_or_acts_on_a_resource_they_do_not_own(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let mut olga = portal.owner(&mut admin, crm, OWNER).await;
    let mut will = portal.owner(&mut admin, wiki, "will@example.com").await;
    invite(&mut olga, crm, PARTNER, "").await;
    let invitation = one_id(&portal, "SELECT id FROM invitations").await;

    let mine = will.call("/api/my_resources", &[]).await;
    assert!(!mine.body.contains("CRM"), "{}", mine.body);
    let crm_id = crm.to_string();
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/api/resource_people",
            vec![("resource_id", &crm_id), ("search", "")],
        ),
        (
            "/api/invite_partner",
            vec![
                ("resource_id", &crm_id),
                ("invite[email]", "bob@partner.example"),
                ("invite[display_name]", "Bob"),
                ("invite[message]", ""),
            ],
        ),
        (
            "/api/invitation_action",
            vec![
                ("resource_id", &crm_id),
                ("invitation_id", &invitation),
                ("action", "withdraw"),
            ],
        ),
        (
            "/api/member_action",
            vec![
                ("resource_id", &crm_id),
                ("membership_id", "1"),
                ("action", "revoke"),
            ],
        ),
    ];
    for (path, form) in &attempts {
        let reply = will.call(path, form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    // Acting through one's own resource on an invitation of another is not found.
    let sideways = will
        .call(
            "/api/invitation_action",
            &[
                ("resource_id", &wiki.to_string()),
                ("invitation_id", &invitation),
                ("action", "withdraw"),
            ],
        )
        .await;
    assert_eq!(sideways.status, StatusCode::NOT_FOUND);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE state = 'pending'")
            .await,
        1
    );
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation.refused' AND details LIKE '%\"resource {crm}\"%'"
            ))
            .await,
        4
    );
    let page = will.get(&format!("/resources/{crm}")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let anonymous = portal.browser().get(&format!("/resources/{crm}")).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    // An admin manages every resource.
    let people = admin
        .call(
            "/api/resource_people",
            &[("resource_id", &crm_id), ("search", "")],
        )
        .await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.body);
}

async fn revoking_ends_access_and_tells_the_partner(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    invite(&mut owner, crm, PARTNER, "").await;
    let link = portal.last_email_to(PARTNER).await.link("/invite/");
    let mut ann = redeem(&portal, &token_of(&link)).await;
    let membership = one_id(&portal, "SELECT id FROM memberships").await;

    let revoked = owner
        .call(
            "/api/member_action",
            &[
                ("resource_id", &crm.to_string()),
                ("membership_id", &membership),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(
        revoked.header("location"),
        Some(format!("/resources/{crm}?member=revoked").as_str())
    );
    let access = ann.call("/api/my_access", &[]).await;
    assert!(!access.body.contains("CRM"), "{}", access.body);
    let told = portal.last_email_to(PARTNER).await;
    assert!(told.subject.contains("CRM"), "{}", told.subject);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'membership.revoked'")
            .await,
        1
    );
    let twice = owner
        .call(
            "/api/member_action",
            &[
                ("resource_id", &crm.to_string()),
                ("membership_id", &membership),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
}

async fn extending_follows_the_policy(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[("form[access_duration]", "days"), ("form[access_days]", "30")],
        )
        .await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    invite(&mut owner, crm, PARTNER, "").await;
    let link = portal.last_email_to(PARTNER).await.link("/invite/");
    redeem(&portal, &token_of(&link)).await;
    let membership = one_id(&portal, "SELECT id FROM memberships").await;
    let extend = [
        ("resource_id", crm.to_string()),
        ("membership_id", membership.clone()),
        ("action", "extend".into()),
    ];
    let extend: Vec<(&str, &str)> = extend.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let too_soon = owner.call("/api/member_action", &extend).await;
    assert_eq!(
        too_soon.status,
        StatusCode::CONFLICT,
        "nothing later to give: {}",
        too_soon.body
    );
    portal.clock.advance(20 * 86_400);
    let mut owner = portal.signed_in(OWNER).await;
    let extended = owner.call("/api/member_action", &extend).await;
    assert_eq!(extended.status, StatusCode::OK, "{}", extended.body);
    let expires = portal.count("SELECT expires_at FROM memberships").await;
    assert_eq!(
        expires,
        START + 50 * 86_400,
        "30 days from the day it was extended"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'membership.extended'")
            .await,
        1
    );
}

async fn resending_replaces_the_link_at_most_five_times_a_day(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    invite(&mut owner, crm, PARTNER, "").await;
    let old = token_of(&portal.last_email_to(PARTNER).await.link("/invite/"));
    let invitation = one_id(&portal, "SELECT id FROM invitations").await;
    let resend = [
        ("resource_id", crm.to_string()),
        ("invitation_id", invitation.clone()),
        ("action", "resend".into()),
    ];
    let resend: Vec<(&str, &str)> = resend.iter().map(|(k, v)| (*k, v.as_str())).collect();

    for _ in 0..5 {
        let reply = owner.call("/api/invitation_action", &resend).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        portal.clock.advance(60);
    }
    let sixth = owner.call("/api/invitation_action", &resend).await;
    assert_eq!(sixth.status, StatusCode::CONFLICT);
    assert!(sixth.body.contains("5 times"), "{}", sixth.body);
    assert_eq!(portal.emails_to(PARTNER).await.len(), 6);

    let new = token_of(&portal.last_email_to(PARTNER).await.link("/invite/"));
    assert_ne!(old, new);
    let old_page = portal.browser().get(&format!("/invite/{old}")).await;
    assert_eq!(
        old_page.status,
        StatusCode::NOT_FOUND,
        "the old link stopped working"
    );
    redeem(&portal, &new).await;

    let after_redeem = owner.call("/api/invitation_action", &resend).await;
    assert_eq!(
        after_redeem.status,
        StatusCode::NOT_FOUND,
        "only pending invitations are resent"
    );
}

async fn a_withdrawn_invitation_no_longer_works(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    invite(&mut owner, crm, PARTNER, "").await;
    let token = token_of(&portal.last_email_to(PARTNER).await.link("/invite/"));
    let invitation = one_id(&portal, "SELECT id FROM invitations").await;
    let withdraw = [
        ("resource_id", crm.to_string()),
        ("invitation_id", invitation),
        ("action", "withdraw".into()),
    ];
    let withdraw: Vec<(&str, &str)> = withdraw.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let reply = owner.call("/api/invitation_action", &withdraw).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.header("location"),
        Some(format!("/resources/{crm}?invitation=withdrawn").as_str())
    );
    let page = portal.browser().get(&format!("/invite/{token}")).await;
    assert_ne!(page.status, StatusCode::OK, "{}", page.body);
    let again = owner.call("/api/invitation_action", &withdraw).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let redeem = portal
        .browser()
        .call(
            "/api/redeem_invitation",
            &[
                ("token", &token),
                ("mode", "new"),
                ("display_name", "Ann"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_ne!(redeem.status, StatusCode::OK);
    assert_eq!(portal.count("SELECT COUNT(*) FROM memberships").await, 0);
}

on_both_databases!(
    an_owner_invites_a_partner_who_redeems_and_gets_access,
    bad_input_and_denied_domains_are_refused_by_the_field,
    nobody_sees_or_acts_on_a_resource_they_do_not_own,
    revoking_ends_access_and_tells_the_partner,
    extending_follows_the_policy,
    resending_replaces_the_link_at_most_five_times_a_day,
    a_withdrawn_invitation_no_longer_works,
);
