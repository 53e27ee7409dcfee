//! The policy as an HTML form edits it: plain strings, so the same form works without
//! JavaScript, turned into a checked [`Policy`] (and back, to prefill the form).

use serde::{Deserialize, Serialize};

use crate::dates::{date_input_value, parse_date};
use crate::email::normalise_domain;
use crate::error::FieldErrors;
use crate::requests::policy::{
    AccessDuration, ApprovalStage, Approvers, CustomQuestion, Policy, QuestionKind, StageRule, Terms,
    WhoMayRequest, MAX_ACCESS_DAYS, MAX_DECISION_TIMEOUT_DAYS, MAX_INVITATION_LIFETIME_HOURS, MAX_QUESTIONS,
    MAX_STAGES,
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageForm {
    /// "owners" or "named".
    pub approvers: String,
    /// Emails of the named approvers, separated by commas or lines.
    pub accounts: String,
    /// "any" or "all".
    pub rule: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub label: String,
    /// "short", "long" or "choice".
    pub kind: String,
    pub required: Option<String>,
    pub max_length: String,
    /// One choice per line, for "choice".
    pub choices: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyForm {
    /// "anyone" or "allowed".
    pub who_may_request: String,
    pub allowed_domains: String,
    pub denied_domains: String,
    pub auto_approve_domains: String,
    pub block_free_mail: Option<String>,
    pub stage_count: String,
    pub stages: Vec<StageForm>,
    pub decision_timeout_days: String,
    pub invitation_lifetime_hours: String,
    /// "never", "days" or "until".
    pub access_duration: String,
    pub access_days: String,
    pub access_until: String,
    pub questions: Vec<QuestionForm>,
    pub terms_text: String,
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn parse_domains(text: &str, field: &str, errors: &mut FieldErrors) -> Vec<String> {
    let mut domains = Vec::new();
    for entry in split_list(text) {
        let entry = entry.trim_start_matches('@').trim_start_matches("*.");
        match normalise_domain(entry) {
            Some(domain) if domain.contains('.') => domains.push(domain),
            _ => errors.add(field, format!("\"{entry}\" is not a domain like example.com.")),
        }
    }
    domains.sort();
    domains.dedup();
    if domains.len() > 500 {
        errors.add(field, "List at most 500 domains.");
    }
    domains
}

fn parse_number(
    text: &str,
    field: &str,
    range: std::ops::RangeInclusive<u32>,
    unit: &str,
    errors: &mut FieldErrors,
) -> u32 {
    match text.trim().parse::<u32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.add(
                field,
                format!(
                    "Enter a whole number of {unit} from {} to {}.",
                    range.start(),
                    range.end()
                ),
            );
            *range.start()
        }
    }
}

impl PolicyForm {
    /// Checks the form and builds the policy. `account_id` finds a staff account by email;
    /// `previous` is the policy being replaced (its terms version moves on if the text changes).
    pub fn to_policy(
        &self,
        account_id: impl Fn(&str) -> Option<i64>,
        previous: Option<&Policy>,
        now: i64,
    ) -> Result<Policy, FieldErrors> {
        let mut errors = FieldErrors::new();
        let (who_may_request, allowed_domains) = self.who_may_request(&mut errors);
        let denied_domains = parse_domains(&self.denied_domains, "denied_domains", &mut errors);
        let auto_approve_domains =
            parse_domains(&self.auto_approve_domains, "auto_approve_domains", &mut errors);
        let stages = self.stages(&account_id, &mut errors);
        let decision_timeout_days = parse_number(
            &self.decision_timeout_days,
            "decision_timeout_days",
            1..=MAX_DECISION_TIMEOUT_DAYS,
            "days",
            &mut errors,
        );
        let invitation_lifetime_hours = parse_number(
            &self.invitation_lifetime_hours,
            "invitation_lifetime_hours",
            1..=MAX_INVITATION_LIFETIME_HOURS,
            "hours",
            &mut errors,
        );
        let access_duration = self.access_duration(now, &mut errors);
        let questions = self.questions(&mut errors);
        let terms = self.terms(previous, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Policy {
            who_may_request,
            allowed_domains,
            denied_domains,
            auto_approve_domains,
            block_free_mail: self.block_free_mail.is_some(),
            stages,
            decision_timeout_days,
            invitation_lifetime_hours,
            access_duration,
            questions,
            terms,
        })
    }

    /// Who may request, and the allowed domains that "allowed domains only" needs.
    fn who_may_request(&self, errors: &mut FieldErrors) -> (WhoMayRequest, Vec<String>) {
        let who_may_request = match self.who_may_request.as_str() {
            "allowed" => WhoMayRequest::AllowedDomainsOnly,
            "anyone" | "" => WhoMayRequest::Anyone,
            _ => {
                errors.add("who_may_request", "Choose who may request.");
                WhoMayRequest::Anyone
            }
        };
        let allowed_domains = parse_domains(&self.allowed_domains, "allowed_domains", errors);
        if who_may_request == WhoMayRequest::AllowedDomainsOnly
            && allowed_domains.is_empty()
            && errors.message("allowed_domains").is_none()
        {
            errors.add(
                "allowed_domains",
                "List at least one domain, or let anyone request.",
            );
        }
        (who_may_request, allowed_domains)
    }

    /// The approval stages: how many, and for each its approvers and rule.
    fn stages(
        &self,
        account_id: &impl Fn(&str) -> Option<i64>,
        errors: &mut FieldErrors,
    ) -> Vec<ApprovalStage> {
        let stage_count = match self.stage_count.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_STAGES).contains(&n) => n,
            _ => {
                errors.add("stage_count", "Choose 1, 2 or 3 approval stages.");
                1
            }
        };
        (0..stage_count)
            .map(|index| {
                let form = self.stages.get(index).cloned().unwrap_or_default();
                let field = format!("stage{}_accounts", index + 1);
                let approvers = if form.approvers == "named" {
                    Approvers::Accounts(named_approvers(&form.accounts, &field, account_id, errors))
                } else {
                    Approvers::ResourceOwners
                };
                let rule = if form.rule == "all" {
                    StageRule::Everyone
                } else {
                    StageRule::AnyOne
                };
                ApprovalStage { approvers, rule }
            })
            .collect()
    }

    fn access_duration(&self, now: i64, errors: &mut FieldErrors) -> AccessDuration {
        match self.access_duration.as_str() {
            "days" => AccessDuration::Days(parse_number(
                &self.access_days,
                "access_days",
                1..=MAX_ACCESS_DAYS,
                "days",
                errors,
            )),
            "until" => match parse_date(&self.access_until) {
                Some(moment) if moment > now => AccessDuration::Until(moment),
                Some(_) => {
                    errors.add("access_until", "Choose a date in the future.");
                    AccessDuration::Never
                }
                None => {
                    errors.add("access_until", "Enter a date.");
                    AccessDuration::Never
                }
            },
            _ => AccessDuration::Never,
        }
    }

    /// The custom questions that have a label (empty rows of the form are skipped).
    fn questions(&self, errors: &mut FieldErrors) -> Vec<CustomQuestion> {
        let mut questions = Vec::new();
        for (index, form) in self.questions.iter().take(MAX_QUESTIONS).enumerate() {
            let label = form.label.trim();
            if label.is_empty() {
                continue;
            }
            let n = index + 1;
            if label.chars().count() > 200 {
                errors.add(&format!("q{n}_label"), "Use at most 200 characters.");
            }
            let max_length = parse_number(
                &form.max_length,
                &format!("q{n}_max_length"),
                1..=5000,
                "characters",
                errors,
            );
            questions.push(CustomQuestion {
                id: format!("q{n}"),
                label: label.to_string(),
                kind: question_kind(form, n, errors),
                required: form.required.is_some(),
                max_length,
            });
        }
        questions
    }

    /// The terms: a changed text gets the next version, the same text keeps its version.
    fn terms(&self, previous: Option<&Policy>, errors: &mut FieldErrors) -> Option<Terms> {
        let text = self.terms_text.trim();
        if text.chars().count() > 20_000 {
            errors.add("terms_text", "Use at most 20,000 characters.");
        }
        (!text.is_empty()).then(|| {
            let version = match previous.and_then(|p| p.terms.as_ref()) {
                Some(old) if old.text == text => old.version,
                Some(old) => old.version + 1,
                None => 1,
            };
            Terms {
                version,
                text: text.to_string(),
            }
        })
    }

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
            stage_count: policy.stages.len().to_string(),
            stages,
            decision_timeout_days: policy.decision_timeout_days.to_string(),
            invitation_lifetime_hours: policy.invitation_lifetime_hours.to_string(),
            access_duration: access_duration.into(),
            access_days,
            access_until,
            questions,
            terms_text: policy.terms.as_ref().map(|t| t.text.clone()).unwrap_or_default(),
        }
    }
}

/// The accounts a stage names by email; each must be a staff account.
fn named_approvers(
    emails: &str,
    field: &str,
    account_id: &impl Fn(&str) -> Option<i64>,
    errors: &mut FieldErrors,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for email in split_list(emails) {
        match account_id(&email.to_lowercase()) {
            Some(id) => ids.push(id),
            None => errors.add(field, format!("{email} is not a staff account of this portal.")),
        }
    }
    if ids.is_empty() && errors.message(field).is_none() {
        errors.add(field, "Name at least one approver by email.");
    }
    ids.dedup();
    ids
}

fn question_kind(form: &QuestionForm, n: usize, errors: &mut FieldErrors) -> QuestionKind {
    match form.kind.as_str() {
        "long" => QuestionKind::LongText,
        "choice" => {
            let choices: Vec<String> = form
                .choices
                .lines()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect();
            if choices.len() < 2 {
                errors.add(
                    &format!("q{n}_choices"),
                    "Give at least two choices, one per line.",
                );
            }
            QuestionKind::SingleChoice(choices)
        }
        _ => QuestionKind::ShortText,
    }
}

#[cfg(test)]
mod tests {
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
            }],
            terms: Some(Terms {
                version: 2,
                text: "Keep it confidential.".into(),
            }),
        };
        let form = PolicyForm::from_policy(&policy, email_of);
        assert_eq!(form.to_policy(staff, Some(&policy), NOW), Ok(policy));
    }

    #[test]
    fn domains_are_normalised_and_bad_ones_named() {
        let mut form = PolicyForm::from_policy(&Policy::default(), email_of);
        form.denied_domains = "@Rival.Example, *.bücher.example\nnot a domain".into();
        let errors = form.to_policy(staff, None, NOW).expect_err("one bad entry");
        assert!(errors
            .message("denied_domains")
            .unwrap_or_default()
            .contains("\"not\""));
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
            errors.message("invitation_lifetime_hours"),
            Some("Enter a whole number of hours from 1 to 720.")
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
            errors.message("stage1_accounts"),
            Some("stranger@example.com is not a staff account of this portal.")
        );
    }

    #[test]
    fn changed_terms_get_a_new_version_and_unchanged_keep_theirs() {
        let old = Policy {
            terms: Some(Terms {
                version: 4,
                text: "Old".into(),
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
        form.terms_text = "New".into();
        assert_eq!(
            form.to_policy(staff, Some(&old), NOW)
                .expect("valid")
                .terms
                .map(|t| t.version),
            Some(5)
        );
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
            Some("Choose a date in the future.")
        );
    }
}
