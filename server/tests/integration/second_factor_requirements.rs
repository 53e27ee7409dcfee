//! Where a second factor is required: for a role (the portal's settings, and the setup page's
//! default for admins), for one person (an admin's choice), for one resource (its policy, when
//! an owner decides and a partner redeems), and the step-up of a session that has none.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::second_factors::add_authenticator;
use crate::support::{Browser, Db, TestPortal, ADMIN_EMAIL, PASSWORD};
use rules::clock::Clock;
use services::mfa::authenticator::code_at;

const PARTNER: &str = "ann@partner.example";
const OWNER: &str = "olga@example.com";

/// A partner with an account and a password, signed in (by redeeming an auto-approved
/// invitation to `slug`).
async fn partner<'p>(portal: &'p TestPortal, admin: &mut Browser<'_>, slug: &str) -> Browser<'p> {
    portal.allow_partner_passwords().await;
    let resource = portal.create_resource(admin, "CRM", slug).await;
    portal
        .set_policy(
            admin,
            resource,
            &[("form[auto_approve_domains]", "partner.example")],
        )
        .await;
    portal.browser().request_access(slug, PARTNER, "Ann").await;
    let link = portal.last_email_to(PARTNER).await.link("/invite/");
    let token = link.trim_start_matches("/invite/");
    let mut browser = portal.browser();
    let form = [
        ("token", token),
        ("mode", "new"),
        ("display_name", "Ann Example"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let redeemed = browser.call("/api/redeem_invitation", &form).await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    browser
}

async fn save_policy(admin: &mut Browser<'_>, roles: &[&str]) {
    let form: Vec<(&str, &str)> = roles.iter().map(|role| (*role, "on")).collect();
    let saved = admin.call("/api/save_second_factor_policy", &form).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
}

fn owes(reply: &crate::support::Reply) -> bool {
    reply.status == StatusCode::FORBIDDEN && reply.body.contains("SecondFactorNeeded")
}

async fn the_portal_asks_partners_and_leads_one_without_an_app_through_adding_it(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let mut ann = partner(&portal, &mut admin, "crm").await;
    assert_eq!(ann.call("/api/my_access", &[]).await.status, StatusCode::OK);

    save_policy(&mut admin, &["partners"]).await;
    // The session Ann already has is asked from her next page on; admins and owners are not.
    assert!(owes(&ann.call("/api/my_access", &[]).await));
    assert_eq!(
        admin.call("/api/admin_settings", &[]).await.status,
        StatusCode::OK
    );
    let changed = "SELECT COUNT(*) FROM audit_events WHERE action = 'settings.changed' AND target_id = 'second_factors'";
    assert_eq!(portal.count(changed).await, 1);

    // A new sign-in goes to the second step first, which offers to add an app.
    let mut ann = portal.browser();
    let signed_in = ann
        .call(
            "/api/sign_in",
            &[("email", PARTNER), ("password", PASSWORD), ("next", "/my-access")],
        )
        .await;
    assert_eq!(
        signed_in.header("location"),
        Some("/sign-in/second-factor?next=/my-access")
    );
    assert_eq!(ann.call("/api/second_step_state", &[]).await.body, "\"Enrol\"");
    assert!(owes(&ann.call("/api/my_access", &[]).await));
    let enrolment: serde_json::Value =
        serde_json::from_str(&ann.call("/api/authenticator_enrolment", &[]).await.body).expect("json");
    let secret = enrolment["secret"].as_str().expect("secret").replace(' ', "");
    let code = code_at(&secret, portal.clock.now()).expect("code");
    let added = ann
        .call(
            "/api/confirm_authenticator",
            &[("code", &code), ("next", "/my-access")],
        )
        .await;
    assert_eq!(
        added.header("location"),
        Some("/account/recovery-codes?next=/my-access")
    );
    // Adding the app is the second factor of this session.
    assert_eq!(ann.call("/api/my_access", &[]).await.status, StatusCode::OK);
    assert_eq!(ann.call("/api/second_step_state", &[]).await.body, "\"Given\"");

    // From now on the second step asks for a code.
    let mut again = portal.browser();
    again
        .call(
            "/api/sign_in",
            &[("email", PARTNER), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(
        again.call("/api/second_step_state", &[]).await.body,
        r#"{"Code":{"passkey":false}}"#
    );
    assert_eq!(again.signed_in_as().await, None);
}

async fn an_admin_requires_it_of_one_person_and_can_stop(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let mut ann = partner(&portal, &mut admin, "crm").await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM accounts WHERE email = $1")
        .bind(PARTNER)
        .fetch_one(portal.state.store.read())
        .await
        .expect("Ann's account");
    let id = id.to_string();
    let shown = admin
        .call("/api/account_second_factor_required", &[("id", &id)])
        .await;
    assert_eq!(shown.body, "false");

    let required = admin
        .call(
            "/api/require_second_factor_of",
            &[("account_id", &id), ("required", "yes")],
        )
        .await;
    assert_eq!(
        required.header("location"),
        Some(format!("/admin/accounts/{id}?required=yes").as_str())
    );
    assert_eq!(
        admin
            .call("/api/account_second_factor_required", &[("id", &id)])
            .await
            .body,
        "true"
    );
    assert!(owes(&ann.call("/api/my_access", &[]).await));
    // Nobody else is asked.
    assert_eq!(
        admin.call("/api/admin_settings", &[]).await.status,
        StatusCode::OK
    );
    let audited = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.required'";
    assert_eq!(portal.count(audited).await, 1);

    // Only an admin decides it.
    let refused = ann
        .call(
            "/api/require_second_factor_of",
            &[("account_id", &id), ("required", "no")],
        )
        .await;
    assert_ne!(refused.status, StatusCode::OK);
    admin
        .call(
            "/api/require_second_factor_of",
            &[("account_id", &id), ("required", "no")],
        )
        .await;
    assert_eq!(ann.call("/api/my_access", &[]).await.status, StatusCode::OK);
    let stopped = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.not_required'";
    assert_eq!(portal.count(stopped).await, 1);
}

/// An owner decides a request of a resource whose policy asks for a second factor only after
/// giving one: the session steps up with a code and goes on.
async fn an_owner_steps_up_before_deciding_for_a_resource_that_asks(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[require_mfa]", "on")])
        .await;
    let mut olga = portal.owner(&mut admin, crm, OWNER).await;
    // An earlier session of Olga's, from before she added her app.
    let mut earlier = portal.signed_in(OWNER).await;
    let (secret, _) = add_authenticator(&portal, &mut olga).await;

    portal
        .browser()
        .request_access("crm", "bo@partner.example", "Bo")
        .await;
    let id = portal.newest_request_id("bo@partner.example").await;
    let detail = earlier.call("/api/review_detail", &[("request_id", &id)]).await;
    assert!(
        detail.body.contains("\"second_factor_first\":true"),
        "{}",
        detail.body
    );
    let approve = [
        ("request_id", id.as_str()),
        ("outcome", "approve"),
        ("justification", ""),
    ];
    let refused = earlier.call("/api/decide_request", &approve).await;
    assert!(owes(&refused), "{}", refused.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);

    // The step-up: a code from her app, in the session that has none.
    assert_eq!(
        earlier.call("/api/second_step_state", &[]).await.body,
        r#"{"Code":{"passkey":false}}"#
    );
    portal.clock.advance(30);
    let code = code_at(&secret, portal.clock.now()).expect("code");
    let next = format!("/review/{id}");
    let stepped = earlier
        .call("/api/give_second_factor", &[("code", &code), ("next", &next)])
        .await;
    assert_eq!(stepped.header("location"), Some(next.as_str()));
    let detail = earlier.call("/api/review_detail", &[("request_id", &id)]).await;
    assert!(
        detail.body.contains("\"second_factor_first\":false"),
        "{}",
        detail.body
    );
    let decided = earlier.call("/api/decide_request", &approve).await;
    assert_eq!(decided.header("location"), Some("/review?decided=approved"));
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 1);
    let passed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.passed'";
    assert_eq!(portal.count(passed).await, 1);
}

/// A partner redeeming an invitation to a resource that asks for a second factor is led
/// through adding an app before going on; signed in already without one, they step up first.
async fn redeeming_for_a_resource_that_asks_leads_through_the_second_step(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let mut ann = partner(&portal, &mut admin, "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let policy = [
        ("form[auto_approve_domains]", "partner.example"),
        ("form[require_mfa]", "on"),
    ];
    portal.set_policy(&mut admin, wiki, &policy).await;
    portal.browser().request_access("wiki", PARTNER, "Ann").await;
    let link = portal.last_email_to(PARTNER).await.link("/invite/");
    let token = link.trim_start_matches("/invite/");

    let offer = ann.call("/api/invitation_offer", &[("token", token)]).await;
    assert!(
        offer.body.contains("\"second_factor_first\":true"),
        "{}",
        offer.body
    );
    let accept = [("token", token), ("mode", "signed_in")];
    assert!(owes(&ann.call("/api/redeem_invitation", &accept).await));
    let members =
        "SELECT COUNT(*) FROM memberships m JOIN resources r ON r.id = m.resource_id WHERE r.slug = 'wiki'";
    assert_eq!(portal.count(members).await, 0);

    // Signing in afresh and redeeming with the password leads to the second step.
    let mut fresh = portal.browser();
    let existing = [("token", token), ("mode", "existing"), ("password", PASSWORD)];
    let redeemed = fresh.call("/api/redeem_invitation", &existing).await;
    assert_eq!(
        redeemed.header("location"),
        Some("/sign-in/second-factor?next=/my-access%3Fjoined%3D1")
    );
    assert_eq!(fresh.call("/api/second_step_state", &[]).await.body, "\"Enrol\"");
    assert_eq!(portal.count(members).await, 1);
}

/// The setup page asks admins for a second factor unless its box is cleared: the first admin
/// goes from it to adding an app.
async fn a_new_portal_asks_its_admins_by_default(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut browser = portal.browser();
    let token = portal.setup_token();
    let created = browser
        .call(
            "/api/create_first_admin",
            &[
                ("token", &token),
                ("email", ADMIN_EMAIL),
                ("display_name", "Ada Admin"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("second_factor_for_admins", "on"),
            ],
        )
        .await;
    assert_eq!(
        created.header("location"),
        Some("/sign-in/second-factor?next=/%3Fwelcome%3D1")
    );
    assert!(owes(&browser.call("/api/admin_settings", &[]).await));
    assert_eq!(
        browser.call("/api/second_step_state", &[]).await.body,
        "\"Enrol\""
    );
    let policy: (String,) = sqlx::query_as("SELECT value FROM settings WHERE key = 'second_factor_policy'")
        .fetch_one(portal.state.store.read())
        .await
        .expect("saved at setup");
    assert!(policy.0.contains("\"admins\":true"), "{}", policy.0);
}

/// A partner who signs in at a provider trusted for second factors, whose token says one was
/// used (`amr` holds `mfa`), is not asked again; without it, the portal asks.
async fn a_provider_trusted_for_second_factors_is_not_asked_again(db: Db) {
    use crate::federation_idp::{SigningKey, TestIdp};
    use crate::federation_support::{claims, come_back, redeemed, sign_in_trip, GINA};
    let portal = crate::federation_support::start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    crate::federation_support::add_provider_with(&mut admin, &idp, &[("provider[trust_mfa]", "on")]).await;
    redeemed(&portal, &mut admin, &idp, &key).await;
    save_policy(&mut admin, &["partners"]).await;

    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    let mut with_mfa = claims(&portal, &idp, &trip.nonce, ("sub-1", GINA), true);
    with_mfa["amr"] = serde_json::json!(["pwd", "mfa"]);
    idp.answer_with(key.sign(&with_mfa));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/my-access")
    );
    assert_eq!(browser.call("/api/my_access", &[]).await.status, StatusCode::OK);
    let proved = "SELECT COUNT(*) FROM sign_ins WHERE second_factor = 'provider'";
    assert_eq!(portal.count(proved).await, 1);

    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    let mut password_only = claims(&portal, &idp, &trip.nonce, ("sub-1", GINA), true);
    password_only["amr"] = serde_json::json!(["pwd"]);
    idp.answer_with(key.sign(&password_only));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/sign-in/second-factor?next=/my-access")
    );
    assert!(owes(&browser.call("/api/my_access", &[]).await));
}

on_both_databases!(
    a_provider_trusted_for_second_factors_is_not_asked_again,
    the_portal_asks_partners_and_leads_one_without_an_app_through_adding_it,
    an_admin_requires_it_of_one_person_and_can_stop,
    an_owner_steps_up_before_deciding_for_a_resource_that_asks,
    redeeming_for_a_resource_that_asks_leads_through_the_second_step,
    a_new_portal_asks_its_admins_by_default,
);
