//! The way back: a stored policy as the form shows it, and the typed values to refill the form
//! with after a failed submit.

use super::{PolicyForm, QuestionForm, StageForm};
use crate::dates::date_input_value;
use crate::requests::policy::{
    AccessDuration, Approvers, Policy, QuestionKind, StageRule, WhoMayRequest, MAX_QUESTIONS, MAX_STAGES,
};

impl PolicyForm {
    /// Every field as (input name, value), for refilling the form after a failed submit.
    pub fn echo_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("form[who_may_request]".to_string(), self.who_may_request.clone()),
            ("form[allowed_domains]".to_string(), self.allowed_domains.clone()),
            ("form[denied_domains]".to_string(), self.denied_domains.clone()),
            (
                "form[auto_approve_domains]".to_string(),
                self.auto_approve_domains.clone(),
            ),
            ("form[stage_count]".to_string(), self.stage_count.clone()),
            (
                "form[decision_timeout_days]".to_string(),
                self.decision_timeout_days.clone(),
            ),
            (
                "form[invitation_lifetime_hours]".to_string(),
                self.invitation_lifetime_hours.clone(),
            ),
            ("form[access_duration]".to_string(), self.access_duration.clone()),
            ("form[access_days]".to_string(), self.access_days.clone()),
            ("form[access_until]".to_string(), self.access_until.clone()),
            ("form[terms_text]".to_string(), self.terms_text.clone()),
        ];
        for (i, stage) in self.stages.iter().enumerate() {
            pairs.push((format!("form[stages][{i}][approvers]"), stage.approvers.clone()));
            pairs.push((format!("form[stages][{i}][accounts]"), stage.accounts.clone()));
            pairs.push((format!("form[stages][{i}][rule]"), stage.rule.clone()));
        }
        for (i, question) in self.questions.iter().enumerate() {
            pairs.push((format!("form[questions][{i}][label]"), question.label.clone()));
            pairs.push((format!("form[questions][{i}][kind]"), question.kind.clone()));
            pairs.push((
                format!("form[questions][{i}][max_length]"),
                question.max_length.clone(),
            ));
            pairs.push((format!("form[questions][{i}][choices]"), question.choices.clone()));
            for (tag, label) in &question.label_translations {
                pairs.push((
                    format!("form[questions][{i}][label_translations][{tag}]"),
                    label.clone(),
                ));
            }
            for (tag, choices) in &question.choice_translations {
                pairs.push((
                    format!("form[questions][{i}][choice_translations][{tag}]"),
                    choices.clone(),
                ));
            }
        }
        for (tag, text) in &self.terms_translations {
            pairs.push((format!("form[terms_translations][{tag}]"), text.clone()));
        }
        pairs
    }

    /// The form showing `policy`; `email_of` names approver accounts.
    pub fn from_policy(policy: &Policy, email_of: impl Fn(i64) -> Option<String>) -> PolicyForm {
        let stages = (0..MAX_STAGES)
            .map(|i| match policy.stages.get(i) {
                Some(stage) => StageForm {
                    approvers: match stage.approvers {
                        Approvers::ResourceOwners => "owners".into(),
                        Approvers::Accounts(_) => "named".into(),
                    },
                    accounts: match &stage.approvers {
                        Approvers::Accounts(ids) => ids
                            .iter()
                            .filter_map(|id| email_of(*id))
                            .collect::<Vec<_>>()
                            .join(", "),
                        Approvers::ResourceOwners => String::new(),
                    },
                    rule: if stage.rule == StageRule::Everyone {
                        "all".into()
                    } else {
                        "any".into()
                    },
                },
                None => StageForm {
                    approvers: "owners".into(),
                    accounts: String::new(),
                    rule: "any".into(),
                },
            })
            .collect();
        let questions = (0..MAX_QUESTIONS)
            .map(|i| match policy.questions.get(i) {
                Some(q) => QuestionForm {
                    label: q.label.clone(),
                    kind: match q.kind {
                        QuestionKind::ShortText => "short".into(),
                        QuestionKind::LongText => "long".into(),
                        QuestionKind::SingleChoice(_) => "choice".into(),
                    },
                    required: q.required.then(|| "on".to_string()),
                    max_length: q.max_length.to_string(),
                    choices: match &q.kind {
                        QuestionKind::SingleChoice(choices) => choices.join("\n"),
                        _ => String::new(),
                    },
                    label_translations: q.label_translations.clone(),
                    choice_translations: q
                        .choice_translations
                        .iter()
                        .map(|(tag, choices)| (tag.clone(), choices.join("\n")))
                        .collect(),
                },
                None => QuestionForm {
                    kind: "short".into(),
                    max_length: "500".into(),
                    ..QuestionForm::default()
                },
            })
            .collect();
        let (access_duration, access_days, access_until) = match policy.access_duration {
            AccessDuration::Never => ("never", String::new(), String::new()),
            AccessDuration::Days(days) => ("days", days.to_string(), String::new()),
            AccessDuration::Until(moment) => ("until", String::new(), date_input_value(moment)),
        };
        PolicyForm {
            who_may_request: match policy.who_may_request {
                WhoMayRequest::Anyone => "anyone".into(),
                WhoMayRequest::AllowedDomainsOnly => "allowed".into(),
            },
            allowed_domains: policy.allowed_domains.join("\n"),
            denied_domains: policy.denied_domains.join("\n"),
            auto_approve_domains: policy.auto_approve_domains.join("\n"),
            block_free_mail: policy.block_free_mail.then(|| "on".to_string()),
            require_mfa: policy.require_mfa.then(|| "on".to_string()),
            stage_count: policy.stages.len().to_string(),
            stages,
            decision_timeout_days: policy.decision_timeout_days.to_string(),
            invitation_lifetime_hours: policy.invitation_lifetime_hours.to_string(),
            access_duration: access_duration.into(),
            access_days,
            access_until,
            questions,
            terms_text: policy.terms.as_ref().map(|t| t.text.clone()).unwrap_or_default(),
            terms_translations: policy
                .terms
                .as_ref()
                .map(|t| t.translations.clone())
                .unwrap_or_default(),
        }
    }
}
