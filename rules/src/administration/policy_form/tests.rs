use super::*;

const NOW: i64 = 1_799_971_200;

fn staff(email: &str) -> Option<i64> {
    match email {
        "olga@example.com" => Some(7),
        "pete@example.com" => Some(8),
        _ => None,
    }
}

fn email_of(id: i64) -> Option<String> {
    match id {
        7 => Some("olga@example.com".into()),
        8 => Some("pete@example.com".into()),
        _ => None,
    }
}

#[test]
fn the_default_policy_survives_a_round_trip_through_the_form() {
    let policy = Policy::default();
    let form = PolicyForm::from_policy(&policy, email_of);
    assert_eq!(form.to_policy(staff, None, NOW), Ok(policy));
}

#[test]
fn a_full_policy_survives_a_round_trip() {
    let policy = Policy {
        who_may_request: WhoMayRequest::AllowedDomainsOnly,
        allowed_domains: vec!["partner.example".into(), "xn--bcher-kva.example".into()],
        denied_domains: vec!["rival.example".into()],
        auto_approve_domains: vec!["partner.example".into()],
        block_free_mail: true,
        stages: vec![
            ApprovalStage {
                approvers: Approvers::ResourceOwners,
                rule: StageRule::AnyOne,
            },
            ApprovalStage {
                approvers: Approvers::Accounts(vec![7, 8]),
                rule: StageRule::Everyone,
            },
        ],
        decision_timeout_days: 10,
        invitation_lifetime_hours: 48,
        access_duration: AccessDuration::Days(90),
        questions: vec![CustomQuestion {
            id: "q1".into(),
            label: "Which team?".into(),
            kind: QuestionKind::SingleChoice(vec!["Sales".into(), "Support".into()]),
            required: true,
            max_length: 50,
            label_translations: [("nl".to_string(), "Welk team?".to_string())].into(),
            choice_translations: [("nl".to_string(), vec!["Verkoop".into(), "Support".into()])].into(),
        }],
        terms: Some(Terms {
            version: 2,
            text: "Keep it confidential.".into(),
            translations: [("nl".to_string(), "Houd het vertrouwelijk.".to_string())].into(),
        }),
        require_mfa: true,
    };
    let form = PolicyForm::from_policy(&policy, email_of);
    assert_eq!(form.to_policy(staff, Some(&policy), NOW), Ok(policy));
}

#[test]
fn domains_are_normalised_and_bad_ones_named() {
    let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
    form.denied_domains = "@Rival.Example, *.bücher.example\nnot a domain".into();
    let errors = form.to_policy(staff, None, NOW).expect_err("one bad entry");
    assert!(crate::message::english(errors.message("denied_domains")).contains("\"not\""));
    form.denied_domains = "@Rival.Example, *.bücher.example".into();
    let policy = form.to_policy(staff, None, NOW).expect("valid");
    assert_eq!(
        policy.denied_domains,
        vec!["rival.example", "xn--bcher-kva.example"]
    );
}

#[test]
fn numbers_outside_their_range_are_refused() {
    let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
    form.invitation_lifetime_hours = "721".into();
    form.decision_timeout_days = "0".into();
    let errors = form.to_policy(staff, None, NOW).expect_err("out of range");
    assert_eq!(
        crate::message::english(errors.message("invitation_lifetime_hours")),
        "Enter a whole number of hours from 1 to 720."
    );
    assert!(errors.message("decision_timeout_days").is_some());
}

#[test]
fn named_approvers_must_be_staff_accounts() {
    let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
    form.stages[0] = StageForm {
        approvers: "named".into(),
        accounts: "stranger@example.com".into(),
        rule: "any".into(),
    };
    let errors = form.to_policy(staff, None, NOW).expect_err("unknown approver");
    assert_eq!(
        crate::message::english(errors.message("stage1_accounts")),
        "stranger@example.com is not a staff account of this portal."
    );
}

#[test]
fn changed_terms_get_a_new_version_and_unchanged_keep_theirs() {
    let old = Policy {
        terms: Some(Terms {
            version: 4,
            text: "Old".into(),
            translations: Default::default(),
        }),
        ..Policy::default()
    };
    let mut form = PolicyForm::from_policy(&old, email_of);
    assert_eq!(
        form.to_policy(staff, Some(&old), NOW)
            .expect("valid")
            .terms
            .map(|t| t.version),
        Some(4)
    );
    form.terms_translations.insert("nl".into(), "Oud".into());
    let translated = form.to_policy(staff, Some(&old), NOW).expect("valid");
    assert_eq!(
        translated.terms.as_ref().map(|t| t.version),
        Some(5),
        "a new language is a change"
    );
    form.terms_text = "New".into();
    assert_eq!(
        form.to_policy(staff, Some(&translated), NOW)
            .expect("valid")
            .terms
            .map(|t| t.version),
        Some(6)
    );
}

#[test]
fn translated_choices_must_match_the_default_ones_in_number() {
    let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
    form.questions[0].label = "Which team?".into();
    form.questions[0].kind = "choice".into();
    form.questions[0].choices = "Sales\nSupport".into();
    form.questions[0]
        .choice_translations
        .insert("nl".into(), "Verkoop".into());
    let errors = form.to_policy(staff, None, NOW).expect_err("one of two");
    assert_eq!(errors.message("q1_choices_nl"), Some("@as_many_choices?count=2"));
}

#[test]
fn an_access_end_date_must_lie_ahead() {
    let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
    form.access_duration = "until".into();
    form.access_until = "2020-01-01".into();
    assert_eq!(
        form.to_policy(staff, None, NOW)
            .expect_err("past")
            .message("access_until"),
        Some("@choose_date_future")
    );
}

#[test]
fn an_unticked_second_factor_box_requires_none() {
    let required = Policy {
        require_mfa: true,
        ..Policy::default()
    };
    let mut form = PolicyForm::from_policy(&required, email_of);
    assert_eq!(form.require_mfa.as_deref(), Some("on"));
    form.require_mfa = None;
    assert!(
        !form
            .to_policy(staff, Some(&required), NOW)
            .expect("valid")
            .require_mfa
    );
}
