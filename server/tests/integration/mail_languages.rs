//! Emails go out in the recipient's language: a partner's from the page they asked on, an
//! invited person's from the inviter's choice (form or API), staff's from their preference,
//! everyone else's in the portal's default; a language Portico does not speak is refused.

use axum::http::StatusCode;
use serde_json::json;

use crate::api_client::{make_token, Api, ALL_SCOPES};
use crate::on_both_databases;
use crate::support::{Db, TestPortal, PASSWORD};

const PARTNER: &str = "piet@partner.example";
const OWNER: &str = "olga@example.com";

fn as_str<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn a_partner_who_asks_in_dutch_reads_dutch_emails(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;

    let mut partner = portal.browser();
    partner.accept_language = Some("nl-NL,nl;q=0.9,en;q=0.5");
    let asked = partner.request_access("crm", PARTNER, "Piet").await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let received = portal.last_email_to(PARTNER).await;
    assert!(
        received
            .subject
            .starts_with("We hebben je aanvraag voor CRM ontvangen"),
        "{}",
        received.subject
    );
    assert!(
        received.text.contains("Bekijk je aanvraag: "),
        "{}",
        received.text
    );
    assert!(received.text.contains("Verstuurd door"), "{}", received.text);
    // The owner chose no language: the portal's default, English.
    let to_owner = portal.last_email_to(OWNER).await;
    assert!(
        to_owner.subject.starts_with("Piet asks for access to CRM"),
        "{}",
        to_owner.subject
    );

    let id = portal.newest_request_id(PARTNER).await;
    let decided = owner
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    let invitation = portal.last_email_to(PARTNER).await;
    assert!(
        invitation.subject.starts_with("Je bent uitgenodigd voor CRM"),
        "{}",
        invitation.subject
    );
    assert!(
        invitation.text.contains("Uitnodiging accepteren: "),
        "{}",
        invitation.text
    );
    assert!(
        invitation.text.contains(" om ") && invitation.text.contains(" UTC (over 7 dagen)."),
        "a Dutch date and time, and how long from now: {}",
        invitation.text
    );

    // Accepting makes the account, which keeps the language for the emails that follow.
    let token = invitation
        .link("/invite/")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let redeemed = partner
        .call(
            "/api/redeem_invitation",
            &[
                ("token", &token),
                ("mode", "new"),
                ("display_name", "Piet"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    let dutch_accounts = portal
        .count("SELECT COUNT(*) FROM accounts WHERE email = 'piet@partner.example' AND language = 'nl'")
        .await;
    assert_eq!(dutch_accounts, 1);
    let (membership_id,): (i64,) = sqlx::query_as("SELECT id FROM memberships ORDER BY id DESC LIMIT 1")
        .fetch_one(portal.state.store.read())
        .await
        .expect("membership");
    let revoked = owner
        .call(
            "/api/member_action",
            &[
                ("resource_id", &crm.to_string()),
                ("membership_id", &membership_id.to_string()),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let ended = portal.last_email_to(PARTNER).await;
    assert!(
        ended.subject.starts_with("Je toegang tot CRM is beëindigd"),
        "{}",
        ended.subject
    );
}

async fn an_inviter_chooses_the_language_of_an_invitation(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let crm_id = crm.to_string();
    let invite = |email: &str, language: &str| {
        let form = [
            ("resource_id", crm_id.as_str()),
            ("invite[email]", email),
            ("invite[display_name]", "Someone"),
            ("invite[message]", ""),
            ("invite[language]", language),
        ];
        form.map(|(k, v)| (k, v.to_string()))
    };

    let form = invite("anna@partner.example", "nl");
    let sent = owner.call("/api/invite_partner", &as_str(&form)).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let dutch = portal.last_email_to("anna@partner.example").await;
    assert!(
        dutch.subject.starts_with("Je bent uitgenodigd voor CRM"),
        "{}",
        dutch.subject
    );

    let form = invite("bert@partner.example", "");
    owner.call("/api/invite_partner", &as_str(&form)).await;
    let english = portal.last_email_to("bert@partner.example").await;
    assert!(
        english.subject.starts_with("You are invited to CRM"),
        "{}",
        english.subject
    );

    let form = invite("carl@partner.example", "de");
    let refused = owner.call("/api/invite_partner", &as_str(&form)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("invite[language]"), "{}", refused.body);
    assert!(refused.body.contains("Choose one of en, nl."), "{}", refused.body);
    assert!(portal.emails_to("carl@partner.example").await.is_empty());

    // The API: `message_language`, and a 400 that names the languages for one Portico lacks.
    let api = Api::new(
        &portal,
        &make_token(&mut admin, "HR onboarding", ALL_SCOPES).await,
    );
    let german = api
        .post(
            "/api/v1/invitations",
            json!({ "email": "dora@partner.example", "display_name": "Dora", "resource_id": crm,
                    "message_language": "de" }),
        )
        .await;
    assert_eq!(german.status, StatusCode::BAD_REQUEST, "{}", german.reply.body);
    assert_eq!(german.error(), ("invalid_input", Some("message_language")));
    assert!(german.reply.body.contains("en, nl"), "{}", german.reply.body);
    // Exactly a tag the document lists: not a regional one, not an empty one.
    for wanted in ["nl-BE", ""] {
        let loose = api
            .post(
                "/api/v1/invitations",
                json!({ "email": "dora@partner.example", "display_name": "Dora", "resource_id": crm,
                        "message_language": wanted }),
            )
            .await;
        assert_eq!(
            loose.status,
            StatusCode::BAD_REQUEST,
            "{wanted}: {}",
            loose.reply.body
        );
    }
    let made = api
        .post(
            "/api/v1/invitations",
            json!({ "email": "dora@partner.example", "display_name": "Dora", "resource_id": crm,
                    "message_language": "nl" }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.reply.body);
    let by_api = portal.last_email_to("dora@partner.example").await;
    assert!(
        by_api.subject.starts_with("Je bent uitgenodigd voor CRM"),
        "{}",
        by_api.subject
    );
}

async fn staff_read_their_own_language_and_others_the_portals_default(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let chose = owner
        .call("/api/set_language", &[("language", "nl"), ("back", "/review")])
        .await;
    assert_eq!(chose.status, StatusCode::OK, "{}", chose.body);

    // A browser asking for no language Portico speaks: the portal's default (English).
    let mut partner = portal.browser();
    partner.accept_language = Some("de-DE,de;q=0.9");
    partner.request_access("crm", PARTNER, "Piet").await;
    let received = portal.last_email_to(PARTNER).await;
    assert!(
        received.subject.starts_with("We received your request for CRM"),
        "{}",
        received.subject
    );
    let to_owner = portal.last_email_to(OWNER).await;
    assert!(
        to_owner.subject.starts_with("Piet vraagt toegang tot CRM"),
        "the owner's own language: {}",
        to_owner.subject
    );
    assert!(
        to_owner.text.contains("Beoordeel de aanvraag: "),
        "{}",
        to_owner.text
    );
}

on_both_databases!(
    a_partner_who_asks_in_dutch_reads_dutch_emails,
    an_inviter_chooses_the_language_of_an_invitation,
    staff_read_their_own_language_and_others_the_portals_default,
);
