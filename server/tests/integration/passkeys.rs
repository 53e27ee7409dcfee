//! Passkeys: added with a name, used as the second step, each challenge answered once, removed,
//! and reset by an admin. The key is webauthn-rs's own software passkey (`SoftPasskey`), which
//! makes and signs real credentials as a browser's authenticator would.

use axum::http::StatusCode;
use serde_json::Value;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal, ADMIN_EMAIL, PASSWORD};

/// The portal is published at 127.0.0.1 (see `support::PUBLIC_URL`): passkeys live at localhost.
const ORIGIN: &str = "http://localhost:3999";
const REFUSED: &str = "Your passkey could not be checked.";

fn origin() -> Url {
    Url::parse(ORIGIN).expect("origin")
}

/// The options the page's script would fetch: the challenge's id, and the parsed options.
async fn begin<T: serde::de::DeserializeOwned>(browser: &mut Browser<'_>, path: &str) -> (String, T) {
    let reply = browser.call(path, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let begun: Value = serde_json::from_str(&reply.body).expect("json");
    let options =
        serde_json::from_str(begun["options"].as_str().expect("options")).expect("webauthn options");
    (
        begun["challenge"].as_str().expect("challenge").to_string(),
        options,
    )
}

/// Makes a key on `device` and sends it with `name`; returns the answer and what was sent.
async fn add_passkey(
    browser: &mut Browser<'_>,
    device: &mut SoftPasskey,
    name: &str,
) -> (crate::support::Reply, [String; 2]) {
    let (challenge, options): (String, CreationChallengeResponse) =
        begin(browser, "/api/new_passkey_options").await;
    assert_eq!(options.public_key.rp.id, "localhost");
    let credential = device
        .do_registration(origin(), options)
        .expect("the device makes a key");
    let credential = serde_json::to_string(&credential).expect("json");
    let reply = browser
        .call(
            "/api/add_passkey",
            &[
                ("name", name),
                ("challenge", &challenge),
                ("credential", &credential),
            ],
        )
        .await;
    (reply, [challenge, credential])
}

async fn use_passkey(
    browser: &mut Browser<'_>,
    device: &mut SoftPasskey,
) -> (crate::support::Reply, [String; 2]) {
    let (challenge, options): (String, RequestChallengeResponse) =
        begin(browser, "/api/passkey_step_options").await;
    let credential = device
        .do_authentication(origin(), options)
        .expect("the device signs");
    let credential = serde_json::to_string(&credential).expect("json");
    let reply = browser
        .call(
            "/api/give_passkey",
            &[
                ("challenge", &challenge),
                ("credential", &credential),
                ("next", "/review"),
            ],
        )
        .await;
    (reply, [challenge, credential])
}

async fn first_step<'p>(portal: &'p TestPortal) -> Browser<'p> {
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/sign_in",
            &[
                ("email", ADMIN_EMAIL),
                ("password", PASSWORD),
                ("next", "/review"),
            ],
        )
        .await;
    assert_eq!(
        reply.header("location"),
        Some("/sign-in/second-factor?next=/review")
    );
    browser
}

async fn a_named_passkey_is_the_second_step_and_no_answer_works_twice(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let mut laptop = SoftPasskey::new(true);

    // A name is needed; the first key comes with recovery codes.
    let (nameless, _) = add_passkey(&mut admin, &mut laptop, "  ").await;
    assert_eq!(
        nameless.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        nameless.body
    );
    assert!(nameless.body.contains("Give the key a name"), "{}", nameless.body);
    let (added, [challenge, credential]) = add_passkey(&mut admin, &mut laptop, " Work laptop ").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(added.header("location"), Some("/account/recovery-codes"));
    let codes: Vec<String> =
        serde_json::from_str(&admin.call("/api/fresh_recovery_codes", &[]).await.body).expect("json");
    assert_eq!(codes.len(), 10);
    // The same answer again finds its challenge gone.
    let again = admin
        .call(
            "/api/add_passkey",
            &[
                ("name", "Again"),
                ("challenge", &challenge),
                ("credential", &credential),
            ],
        )
        .await;
    assert!(again.body.contains(REFUSED), "{}", again.body);
    let factors: Value =
        serde_json::from_str(&admin.call("/api/my_second_factors", &[]).await.body).expect("json");
    assert_eq!(factors["passkeys"][0]["name"], "Work laptop");
    assert_eq!(factors["passkeys"].as_array().map(Vec::len), Some(1));
    assert_eq!(factors["passkeys_available"], true);

    // Signing in now waits for the second step, and the page offers the passkey.
    let mut browser = first_step(&portal).await;
    let state = browser.call("/api/second_step_state", &[]).await;
    assert_eq!(state.body, r#"{"Code":{"passkey":true}}"#);
    // Another device's key is refused, and signs nobody in.
    let mut stranger = SoftPasskey::new(true);
    let (challenge, options): (String, RequestChallengeResponse) =
        begin(&mut browser, "/api/passkey_step_options").await;
    assert!(
        stranger.do_authentication(origin(), options).is_err(),
        "it holds no key asked for"
    );
    let garbage = browser
        .call(
            "/api/give_passkey",
            &[
                ("challenge", &challenge),
                ("credential", "{\"id\": 1}"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(
        garbage.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        garbage.body
    );
    assert!(garbage.body.contains(REFUSED), "{}", garbage.body);
    assert_eq!(browser.signed_in_as().await, None);

    let (passed, [challenge, credential]) = use_passkey(&mut browser, &mut laptop).await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    assert_eq!(passed.header("location"), Some("/review"));
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(ADMIN_EMAIL));
    let used = "SELECT COUNT(*) FROM sign_ins WHERE second_factor = 'passkey'";
    assert_eq!(
        portal.count(used).await,
        2,
        "the sign-in it was added in, and this one"
    );
    let last_used = "SELECT COUNT(*) FROM passkeys WHERE last_used_at IS NOT NULL";
    assert_eq!(portal.count(last_used).await, 1);

    // The same signed answer in another sign-in is refused: its challenge was taken.
    let mut other = first_step(&portal).await;
    let replayed = other
        .call(
            "/api/give_passkey",
            &[
                ("challenge", &challenge),
                ("credential", &credential),
                ("next", "/"),
            ],
        )
        .await;
    assert!(replayed.body.contains(REFUSED), "{}", replayed.body);
    assert_eq!(other.signed_in_as().await, None);
    let passed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.passed'";
    assert_eq!(portal.count(passed).await, 1);
}

async fn a_challenge_is_its_own_accounts_and_lives_five_minutes(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let resource = portal.create_resource(&mut admin, "Locker", "locker").await;
    let mut owner = portal.owner(&mut admin, resource, "olga@locker.example").await;
    let mut device = SoftPasskey::new(true);

    // The owner's challenge, answered in the admin's session, is not found.
    let (challenge, options): (String, CreationChallengeResponse) =
        begin(&mut owner, "/api/new_passkey_options").await;
    let credential =
        serde_json::to_string(&device.do_registration(origin(), options).expect("key")).expect("json");
    let form = [
        ("name", "Mine"),
        ("challenge", challenge.as_str()),
        ("credential", credential.as_str()),
    ];
    let theirs = admin.call("/api/add_passkey", &form).await;
    assert!(theirs.body.contains(REFUSED), "{}", theirs.body);

    // Answered after five minutes, it is too old.
    let (challenge, options): (String, CreationChallengeResponse) =
        begin(&mut owner, "/api/new_passkey_options").await;
    let credential =
        serde_json::to_string(&device.do_registration(origin(), options).expect("key")).expect("json");
    portal.clock.advance(5 * 60 + 1);
    let form = [
        ("name", "Late"),
        ("challenge", challenge.as_str()),
        ("credential", credential.as_str()),
    ];
    let late = owner.call("/api/add_passkey", &form).await;
    assert!(late.body.contains(REFUSED), "{}", late.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM passkeys").await, 0);
}

async fn removing_the_last_key_ends_the_recovery_codes_and_a_reset_takes_every_key(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let resource = portal.create_resource(&mut admin, "Safe", "safe").await;
    let mut owner = portal.owner(&mut admin, resource, "olga@safe.example").await;
    let (mut phone, mut key) = (SoftPasskey::new(true), SoftPasskey::new(true));
    assert_eq!(
        add_passkey(&mut owner, &mut phone, "Phone").await.0.status,
        StatusCode::OK
    );
    let second = add_passkey(&mut owner, &mut key, "Key").await.0;
    assert_eq!(
        second.header("location"),
        Some("/account?added=1"),
        "only the first comes with codes"
    );
    let codes = "SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL";
    assert_eq!(portal.count(codes).await, 10);

    let ids: Vec<i64> = {
        let factors: Value =
            serde_json::from_str(&owner.call("/api/my_second_factors", &[]).await.body).expect("json");
        factors["passkeys"]
            .as_array()
            .expect("passkeys")
            .iter()
            .map(|p| p["id"].as_i64().expect("id"))
            .collect()
    };
    // Nobody removes someone else's key.
    let not_theirs = admin
        .call("/api/remove_passkey", &[("id", &ids[0].to_string())])
        .await;
    assert_ne!(not_theirs.status, StatusCode::OK, "{}", not_theirs.body);
    let removed = owner
        .call("/api/remove_passkey", &[("id", &ids[0].to_string())])
        .await;
    assert_eq!(removed.header("location"), Some("/account?removed=1"));
    assert_eq!(portal.count(codes).await, 10, "a key is left");

    // An admin's reset takes the last one, and the codes with it.
    let account_id = portal
        .count("SELECT id FROM accounts WHERE email = 'olga@safe.example'")
        .await
        .to_string();
    let reset = admin
        .call("/api/reset_second_factors", &[("account_id", &account_id)])
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM passkeys").await, 0);
    assert_eq!(portal.count(codes).await, 0);
    let removed_count = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.removed'";
    assert_eq!(portal.count(removed_count).await, 1);
}

async fn a_standing_sign_in_steps_up_with_a_passkey_when_one_is_required(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let resource = portal
        .create_resource(&mut admin, "Vault door", "vault-door")
        .await;
    let email = "olga@vault-door.example";
    // Signed in before she had any second factor, in one browser; she adds a key in another.
    let mut standing = portal.owner(&mut admin, resource, email).await;
    let mut elsewhere = portal.signed_in(email).await;
    let mut phone = SoftPasskey::new(true);
    assert_eq!(
        add_passkey(&mut elsewhere, &mut phone, "Phone").await.0.status,
        StatusCode::OK
    );

    let id = portal
        .count("SELECT id FROM accounts WHERE email = 'olga@vault-door.example'")
        .await
        .to_string();
    let required = admin
        .call(
            "/api/require_second_factor_of",
            &[("account_id", &id), ("required", "yes")],
        )
        .await;
    assert_eq!(required.status, StatusCode::OK, "{}", required.body);
    let owed = standing.call("/api/review_queue", &[]).await;
    assert_eq!(owed.status, StatusCode::FORBIDDEN, "{}", owed.body);
    assert!(owed.body.contains("SecondFactorNeeded"), "{}", owed.body);
    let state = standing.call("/api/second_step_state", &[]).await;
    assert_eq!(state.body, r#"{"Code":{"passkey":true}}"#);

    let (passed, _) = use_passkey(&mut standing, &mut phone).await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    assert_eq!(
        passed.header("location"),
        Some("/review"),
        "back where it was going"
    );
    assert_eq!(
        standing.call("/api/review_queue", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(standing.signed_in_as().await.as_deref(), Some(email));
}

on_both_databases!(
    a_named_passkey_is_the_second_step_and_no_answer_works_twice,
    a_standing_sign_in_steps_up_with_a_passkey_when_one_is_required,
    a_challenge_is_its_own_accounts_and_lives_five_minutes,
    removing_the_last_key_ends_the_recovery_codes_and_a_reset_takes_every_key,
);
