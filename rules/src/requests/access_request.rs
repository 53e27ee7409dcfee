//! Access requests: the partner's form, and the request's state machine.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::accounts::account::{display_name_rule, email_rule, one_line_rule};
use crate::error::FieldErrors;
use crate::requests::policy::{CustomQuestion, Policy, QuestionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestState {
    Pending,
    Approved,
    Denied,
    Expired,
    Cancelled,
}

impl RequestState {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(RequestState::Pending),
            "approved" => Some(RequestState::Approved),
            "denied" => Some(RequestState::Denied),
            "expired" => Some(RequestState::Expired),
            "cancelled" => Some(RequestState::Cancelled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Denied => "denied",
            RequestState::Expired => "expired",
            RequestState::Cancelled => "cancelled",
        }
    }

    /// The only moves a request makes: out of pending, once.
    pub fn can_move_to(self, next: RequestState) -> bool {
        self == RequestState::Pending && next != RequestState::Pending
    }
}

/// What the partner types into the request form (answers by question id).
#[derive(Debug, Clone, Validate)]
pub struct AccessRequestInput {
    #[validate(custom(function = "email_rule"))]
    pub email: String,
    #[validate(custom(function = "display_name_rule"))]
    pub display_name: String,
    #[validate(
        length(min = 1, max = 200, message = "@enter_organisation_most_200"),
        custom(function = "one_line_rule")
    )]
    pub organisation: String,
    #[validate(length(min = 10, max = 2000, message = "@say_10_2_000"))]
    pub justification: String,
    pub answers: BTreeMap<String, String>,
    pub accepted_terms_version: Option<u32>,
}

/// One answer as stored with the request: the question as it was asked, and the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

impl AccessRequestInput {
    /// Every rule of the form, including the policy's questions and terms. Returns the answers
    /// in question order, ready to store.
    pub fn check(&self, policy: &Policy) -> Result<Vec<Answer>, FieldErrors> {
        let mut errors = self
            .validate()
            .err()
            .map(|r| FieldErrors::from_validation(&r))
            .unwrap_or_default();
        let mut answers = Vec::new();
        for question in &policy.questions {
            let given = self.answers.get(&question.id).map(|a| a.trim()).unwrap_or("");
            match check_answer(question, given) {
                Ok(()) if given.is_empty() => {}
                Ok(()) => answers.push(Answer {
                    question: question.label.clone(),
                    answer: given.to_string(),
                }),
                Err(message) => errors.add(&format!("answers[{}]", question.id), message),
            }
        }
        if let Some(terms) = &policy.terms {
            if self.accepted_terms_version != Some(terms.version) {
                errors.add("accept_terms", "@read_accept_terms_use");
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }
}

pub fn check_answer(question: &CustomQuestion, answer: &str) -> Result<(), String> {
    if answer.is_empty() {
        return if question.required {
            Err("@answer_question".into())
        } else {
            Ok(())
        };
    }
    if answer.chars().count() > question.max_length as usize {
        return Err(crate::message::with(
            "too_long",
            &[("max", &question.max_length.to_string())],
        ));
    }
    if let QuestionKind::SingleChoice(choices) = &question.kind {
        if !choices.iter().any(|c| c == answer) {
            return Err("@choose_one_options".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::policy::Terms;

    fn input() -> AccessRequestInput {
        AccessRequestInput {
            email: "ann@partner.example".into(),
            display_name: "Ann Example".into(),
            organisation: "Partner Ltd".into(),
            justification: "I run the integration with your CRM.".into(),
            answers: BTreeMap::new(),
            accepted_terms_version: None,
        }
    }

    fn question(id: &str, kind: QuestionKind, required: bool) -> CustomQuestion {
        CustomQuestion {
            id: id.into(),
            label: format!("Question {id}"),
            kind,
            required,
            max_length: 20,
            label_translations: Default::default(),
            choice_translations: Default::default(),
        }
    }

    #[test]
    fn only_pending_requests_move_and_only_once() {
        assert!(RequestState::Pending.can_move_to(RequestState::Approved));
        assert!(RequestState::Pending.can_move_to(RequestState::Cancelled));
        assert!(!RequestState::Approved.can_move_to(RequestState::Denied));
        assert!(!RequestState::Pending.can_move_to(RequestState::Pending));
    }

    #[test]
    fn names_and_organisations_that_read_backwards_are_refused() {
        let mut form = input();
        form.display_name = "Ann \u{202E}elpmaxE".into();
        form.organisation = "Partner \u{2067}Ltd".into();
        let errors = form.check(&Policy::default()).expect_err("refused");
        let direction = "@remove_characters_that_change";
        assert_eq!(errors.message("display_name"), Some(direction));
        assert_eq!(errors.message("organisation"), Some(direction));
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(input().check(&Policy::default()), Ok(vec![]));
    }

    #[test]
    fn required_questions_choices_and_lengths_are_checked() {
        let policy = Policy {
            questions: vec![
                question("q1", QuestionKind::ShortText, true),
                question(
                    "q2",
                    QuestionKind::SingleChoice(vec!["Yes".into(), "No".into()]),
                    false,
                ),
                question("q3", QuestionKind::LongText, false),
            ],
            ..Policy::default()
        };
        let mut form = input();
        form.answers.insert("q2".into(), "Maybe".into());
        form.answers.insert("q3".into(), "x".repeat(21));
        let errors = form.check(&policy).expect_err("invalid");
        assert_eq!(errors.message("answers[q1]"), Some("@answer_question"));
        assert_eq!(errors.message("answers[q2]"), Some("@choose_one_options"));
        assert_eq!(
            crate::message::english(errors.message("answers[q3]")),
            "Use at most 20 characters."
        );

        let mut form = input();
        form.answers.insert("q1".into(), " Blue ".into());
        form.answers.insert("q2".into(), "Yes".into());
        let answers = form.check(&policy).expect("valid");
        assert_eq!(
            answers,
            vec![
                Answer {
                    question: "Question q1".into(),
                    answer: "Blue".into()
                },
                Answer {
                    question: "Question q2".into(),
                    answer: "Yes".into()
                },
            ]
        );
    }

    #[test]
    fn terms_must_be_accepted_in_their_current_version() {
        let policy = Policy {
            terms: Some(Terms {
                version: 3,
                text: "Be nice.".into(),
                translations: Default::default(),
            }),
            ..Policy::default()
        };
        let mut form = input();
        assert!(form
            .check(&policy)
            .expect_err("unaccepted")
            .message("accept_terms")
            .is_some());
        form.accepted_terms_version = Some(2);
        assert!(form.check(&policy).is_err());
        form.accepted_terms_version = Some(3);
        assert!(form.check(&policy).is_ok());
    }

    #[test]
    fn a_short_justification_is_refused() {
        let mut form = input();
        form.justification = "pls".into();
        let errors = form.check(&Policy::default()).expect_err("short");
        assert!(errors.message("justification").is_some());
    }
}
