//! Texts an admin writes (the portal's name, its terms of use, a policy's questions, choices
//! and terms) may be given per language; a reader gets their language, else the default.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const PARTNER: &str = "piet@partner.example";

async fn the_portal_name_and_terms_read_in_the_readers_language(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let saved = admin
        .call(
            "/api/save_branding",
            &[
                ("branding[portal_name]", "Acme Partners"),
                ("branding[portal_name_translations][nl]", "Acme Partnerportaal"),
                ("branding[accent]", "#1f5f8b"),
                ("branding[contact_email]", ""),
                ("branding[default_language]", "en"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let mut dutch = portal.browser();
    dutch.accept_language = Some("nl-NL,nl;q=0.9");
    let page = dutch.get("/").await;
    assert!(page.body.contains("Acme Partnerportaal"), "{}", page.body);
    let page = portal.browser().get("/").await;
    assert!(page.body.contains("Acme Partners") && !page.body.contains("Partnerportaal"));

    let first = admin
        .call(
            "/api/publish_terms",
            &[("text", "Be kind."), ("translations[nl]", "Wees aardig.")],
        )
        .await;
    assert_eq!(
        first.header("location"),
        Some("/admin/settings?saved=terms&version=1"),
        "{}",
        first.body
    );
    let same = admin
        .call(
            "/api/publish_terms",
            &[("text", "Be kind."), ("translations[nl]", "Wees aardig.")],
        )
        .await;
    assert_eq!(
        same.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing changed: {}",
        same.body
    );
    let too_long = "x".repeat(20_001);
    let long = admin
        .call(
            "/api/publish_terms",
            &[("text", "Be kind."), ("translations[nl]", &too_long)],
        )
        .await;
    assert!(
        long.body
            .contains("\"text_nl\":\"Use at most 20000 characters.\""),
        "{}",
        long.body
    );
    let reworded = admin
        .call(
            "/api/publish_terms",
            &[("text", "Be kind."), ("translations[nl]", "Wees vriendelijk.")],
        )
        .await;
    assert_eq!(
        reworded.header("location"),
        Some("/admin/settings?saved=terms&version=2"),
        "a new wording in one language is a new version"
    );
    let terms = dutch.get("/terms").await;
    assert!(terms.body.contains("Wees vriendelijk."), "{}", terms.body);
    assert!(
        !terms.body.contains("Je hebt deze versie geaccepteerd"),
        "a reader who is not signed in has accepted nothing"
    );
    assert!(
        !terms.body.contains(">Be kind.<"),
        "the Dutch reader gets Dutch terms"
    );
    assert!(portal.browser().get("/terms").await.body.contains("Be kind."));

    portal.create_resource(&mut admin, "CRM", "crm").await;
    let asked = dutch.request_access("crm", PARTNER, "Piet").await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let received = portal.last_email_to(PARTNER).await;
    assert!(
        received.subject.ends_with(" · Acme Partnerportaal"),
        "{}",
        received.subject
    );
}

async fn a_dutch_partner_reads_dutch_questions_and_stores_the_default_answer(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let question = [
        ("form[questions][0][label]", "Which team?"),
        ("form[questions][0][label_translations][nl]", "Welk team?"),
        ("form[questions][0][kind]", "choice"),
        ("form[questions][0][choices]", "Sales\nSupport"),
        ("form[questions][0][choice_translations][nl]", "Verkoop"),
        ("form[questions][0][required]", "on"),
    ];
    let mut form = crate::support::default_policy_form();
    form.retain(|(n, _)| !question.iter().any(|(q, _)| q == n));
    let id = crm.to_string();
    let mut pairs: Vec<(&str, &str)> = vec![("resource_id", &id)];
    pairs.extend(form.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    pairs.extend(question.iter().copied());
    let short = admin.call("/api/save_policy", &pairs).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", short.body);
    assert!(
        short
            .body
            .contains("\"q1_choices_nl\":\"Give 2 choices, one per line"),
        "{}",
        short.body
    );
    let fixed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| match *n {
            "form[questions][0][choice_translations][nl]" => (*n, "Verkoop\nKlantenservice"),
            _ => (*n, *v),
        })
        .collect();
    let saved = admin.call("/api/save_policy", &fixed).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    let mut dutch = portal.browser();
    dutch.accept_language = Some("nl");
    let page = dutch.get("/request/crm").await;
    assert!(page.body.contains("Welk team?"), "{}", page.body);
    assert!(
        page.body
            .contains("<option value=\"Support\">Klantenservice</option>"),
        "{}",
        page.body
    );
    let english = portal.browser().get("/request/crm").await;
    assert!(english
        .body
        .contains("<option value=\"Support\">Support</option>"));

    let asked = dutch
        .call(
            "/api/submit_access_request",
            &[
                ("slug", "crm"),
                ("email", PARTNER),
                ("display_name", "Piet"),
                ("organisation", "Partner BV"),
                ("justification", "Ik onderhoud onze koppeling."),
                ("answers[q1]", "Support"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM access_requests WHERE answers LIKE '%\"answer\":\"Support\"%'")
            .await,
        1,
        "the answer is stored in the default language, whatever the partner read"
    );
}

on_both_databases!(
    the_portal_name_and_terms_read_in_the_readers_language,
    a_dutch_partner_reads_dutch_questions_and_stores_the_default_answer,
);
