//! Invitations by API: made without email and redeemed in the browser, resent, revoked,
//! listed with filters and cursors; bad input answered in the one error shape.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_client::{make_token, Api, ALL_SCOPES};
use crate::on_both_databases;
use crate::support::{Db, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";

async fn an_invitation_made_by_api_is_redeemed_in_the_browser(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let api = Api::new(
        &portal,
        &make_token(&mut admin, "HR onboarding", ALL_SCOPES).await,
    );

    let made = api
        .post(
            "/api/v1/invitations",
            json!({ "email": "Ann@Partner.example", "display_name": "Ann Partner", "resource_id": crm,
                    "redirect_url": "https://crm.example.com/welcome", "send_email": false }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.reply.body);
    let invitation = &made.json["invitation"];
    assert_eq!(invitation["email"], PARTNER);
    assert_eq!(invitation["source"], "api");
    assert_eq!(invitation["state"], "pending");
    assert_eq!(invitation["redirect_url"], "https://crm.example.com/welcome");
    let url = made.json["redeem_url"].as_str().expect("the link is handed back");
    assert!(portal.emails_to(PARTNER).await.is_empty(), "nothing is emailed");
    let id = invitation["id"].as_i64().unwrap();
    let created = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'invitation.created' AND actor LIKE '%HR onboarding%'")
        .await;
    assert_eq!(
        created, 1,
        "the same audit event as the browser, naming the token"
    );

    let again = api
        .post(
            "/api/v1/invitations",
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm }),
        )
        .await;
    assert_eq!(
        (again.status, again.error().0),
        (StatusCode::CONFLICT, "already_invited")
    );

    // The partner redeems the link in the browser and lands on their access, with the way on.
    let token = url.rsplit('/').next().unwrap();
    let mut ann = portal.browser();
    let redeemed = ann
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
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    let access = ann.call("/api/my_access", &[]).await;
    assert!(
        access.body.contains("https://crm.example.com/welcome"),
        "{}",
        access.body
    );

    let read = api.get(&format!("/api/v1/invitations/{id}")).await;
    assert_eq!(read.json["state"], "redeemed");
    let check = api
        .get(&format!(
            "/api/v1/memberships/check?email=ANN%40partner.example&resource_id={crm}"
        ))
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.reply.body);
    assert_eq!(check.json["member"], true);
    assert_eq!(check.json["email"], PARTNER);
    let members = api.get(&format!("/api/v1/memberships?resource_id={crm}")).await;
    assert_eq!(members.json["items"][0]["email"], PARTNER);
    let account = members.json["items"][0]["account_id"].as_i64().unwrap();
    let held = api
        .get(&format!("/api/v1/memberships?account_id={account}"))
        .await;
    assert_eq!(held.json["items"][0]["resource_name"], "CRM");
    let stranger = api
        .get(&format!(
            "/api/v1/memberships/check?email=bob%40else.example&resource_id={crm}"
        ))
        .await;
    assert_eq!(stranger.json["member"], false);
    let already = api
        .post(
            "/api/v1/invitations",
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm }),
        )
        .await;
    assert_eq!(
        (already.status, already.error().1),
        (StatusCode::CONFLICT, Some("email"))
    );

    // Emailed invitations, resent (the first link dies) and revoked (once).
    let bob = api
        .post(
            "/api/v1/invitations",
            json!({ "email": "bob@partner.example", "display_name": "Bob", "resource_id": crm, "message": "Hello Bob" }),
        )
        .await;
    assert_eq!(bob.status, StatusCode::CREATED);
    assert!(bob.json["redeem_url"].is_null());
    let first = portal.last_email_to("bob@partner.example").await;
    assert!(first.text.contains("Hello Bob"));
    let bob_id = bob.json["invitation"]["id"].as_i64().unwrap();
    let resent = api
        .post(&format!("/api/v1/invitations/{bob_id}/resend"), json!({}))
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.reply.body);
    assert_eq!(portal.emails_to("bob@partner.example").await.len(), 2);
    let old = first.link("/invite/");
    let offer = ann
        .call(
            "/api/invitation_offer",
            &[("token", old.trim_start_matches("/invite/"))],
        )
        .await;
    assert_ne!(offer.status, StatusCode::OK, "the first link no longer works");
    let revoked = api
        .post(&format!("/api/v1/invitations/{bob_id}/revoke"), json!({}))
        .await;
    assert_eq!(revoked.json["state"], "revoked");
    let twice = api
        .post(&format!("/api/v1/invitations/{bob_id}/revoke"), json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let resend_revoked = api
        .post(&format!("/api/v1/invitations/{bob_id}/resend"), json!({}))
        .await;
    assert_eq!(resend_revoked.status, StatusCode::CONFLICT);
    assert_eq!(
        api.post("/api/v1/invitations/424242/revoke", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn bad_input_gets_the_one_error_shape_with_the_field(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let api = Api::new(&portal, &make_token(&mut admin, "Sync", ALL_SCOPES).await);
    let cases = [
        (
            json!({ "email": "not an email", "display_name": "Ann", "resource_id": crm }),
            StatusCode::BAD_REQUEST,
            Some("email"),
        ),
        (
            json!({ "email": PARTNER, "display_name": " ", "resource_id": crm }),
            StatusCode::BAD_REQUEST,
            Some("display_name"),
        ),
        (
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm, "redirect_url": "javascript:alert(1)" }),
            StatusCode::BAD_REQUEST,
            Some("redirect_url"),
        ),
        (
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": 777 }),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            json!({ "email": PARTNER, "display_name": "Ann" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm, "role": "admin" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
    ];
    for (body, status, field) in cases {
        let answer = api.post("/api/v1/invitations", body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.reply.body);
        assert_eq!(answer.error().1, field, "{body}");
        assert!(!answer.json["error"]["message"].as_str().unwrap().is_empty());
    }
    let malformed = api
        .raw(
            Method::POST,
            "/api/v1/invitations",
            Some("application/json"),
            b"{\"email\":".to_vec(),
        )
        .await;
    assert_eq!(
        (malformed.status, malformed.error().0),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    let not_json = api
        .raw(
            Method::POST,
            "/api/v1/invitations",
            Some("text/plain"),
            b"hi".to_vec(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge =
        json!({ "email": PARTNER, "display_name": "Ann", "resource_id": crm, "message": "x".repeat(70_000) });
    let too_large = api.post("/api/v1/invitations", huge).await;
    assert_eq!(
        (too_large.status, too_large.error().0),
        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
    );
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM invitations").await,
        0,
        "nothing was saved"
    );

    for (query, field) in [
        ("created_from=yesterday", "created_from"),
        ("created_to=", "created_to"),
        ("limit=0", "limit"),
        ("state=lost", "state"),
        ("resource_id=x", "resource_id"),
    ] {
        let answer = api.get(&format!("/api/v1/invitations?{query}")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.reply.body
        );
        assert_eq!(answer.error().1, Some(field), "{query}");
    }
    let reversed = api
        .get("/api/v1/invitations?created_from=2027-02-01&created_to=2027-01-01")
        .await;
    assert_eq!(
        reversed.status,
        StatusCode::OK,
        "a range ending before it starts matches nothing"
    );
    assert_eq!(reversed.json["items"].as_array().unwrap().len(), 0);
    let everyone = api.get("/api/v1/memberships").await;
    assert_eq!(everyone.status, StatusCode::OK, "{}", everyone.reply.body);
}

async fn lists_filter_and_page_with_a_cursor(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let api = Api::new(&portal, &make_token(&mut admin, "Sync", ALL_SCOPES).await);
    for n in 0..5 {
        let resource = if n < 3 { crm } else { wiki };
        let made = api
            .post(
                "/api/v1/invitations",
                json!({ "email": format!("p{n}@partner.example"), "display_name": "P", "resource_id": resource }),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.reply.body);
    }
    let first = api.get("/api/v1/invitations?limit=2").await;
    assert_eq!(first.json["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        first.json["items"][0]["email"], "p4@partner.example",
        "newest first"
    );
    let cursor = first.json["next_cursor"].as_i64().expect("more pages");
    let second = api
        .get(&format!("/api/v1/invitations?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(second.json["items"][0]["email"], "p2@partner.example");
    let third = api
        .get(&format!(
            "/api/v1/invitations?limit=2&cursor={}",
            second.json["next_cursor"]
        ))
        .await;
    assert_eq!(third.json["items"].as_array().unwrap().len(), 1);
    assert!(third.json["next_cursor"].is_null());

    let of_crm = api
        .get(&format!("/api/v1/invitations?resource_id={crm}&order=oldest"))
        .await;
    let emails: Vec<&str> = of_crm.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["p0@partner.example", "p1@partner.example", "p2@partner.example"]
    );
    let by_email = api
        .get("/api/v1/invitations?email=p3%40&state=pending&created_from=2027-01-15&created_to=2027-01-15")
        .await;
    assert_eq!(
        by_email.json["items"].as_array().unwrap().len(),
        1,
        "{}",
        by_email.reply.body
    );
    let expiring = api.get("/api/v1/invitations?expiring=true").await;
    assert_eq!(
        expiring.json["items"].as_array().unwrap().len(),
        0,
        "a week's lifetime is not expiring"
    );
    let none = api.get("/api/v1/invitations?state=redeemed").await;
    assert_eq!(none.json["items"].as_array().unwrap().len(), 0);
}

on_both_databases!(
    an_invitation_made_by_api_is_redeemed_in_the_browser,
    bad_input_gets_the_one_error_shape_with_the_field,
    lists_filter_and_page_with_a_cursor,
);
