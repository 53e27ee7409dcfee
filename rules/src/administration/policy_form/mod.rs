//! The policy as an HTML form edits it: plain strings, so the same form works without
//! JavaScript, turned into a checked [`Policy`] here (and back, to prefill the form, in fill.rs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dates::parse_date;
use crate::email::normalise_domain;
use crate::error::FieldErrors;
use crate::translated;
mod fill;

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
    /// The label in other languages, by tag.
    #[serde(default)]
    pub label_translations: BTreeMap<String, String>,
    /// The choices in other languages, one per line in the same order, by tag.
    #[serde(default)]
    pub choice_translations: BTreeMap<String, String>,
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
    /// The terms in other languages, by tag.
    #[serde(default)]
    pub terms_translations: BTreeMap<String, String>,
    /// Ticked: members and owners give a second factor to use the resource.
    #[serde(default)]
    pub require_mfa: Option<String>,
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
            _ => errors.add(field, crate::message::with("not_a_domain", &[("entry", entry)])),
        }
    }
    domains.sort();
    domains.dedup();
    if domains.len() > 500 {
        errors.add(field, "@list_most_500_domains");
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
                crate::message::with(
                    &format!("whole_{unit}_between"),
                    &[
                        ("min", &range.start().to_string()),
                        ("max", &range.end().to_string()),
                    ],
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
            require_mfa: self.require_mfa.is_some(),
        })
    }

    /// Who may request, and the allowed domains that "allowed domains only" needs.
    fn who_may_request(&self, errors: &mut FieldErrors) -> (WhoMayRequest, Vec<String>) {
        let who_may_request = match self.who_may_request.as_str() {
            "allowed" => WhoMayRequest::AllowedDomainsOnly,
            "anyone" | "" => WhoMayRequest::Anyone,
            _ => {
                errors.add("who_may_request", "@choose_who_may_request");
                WhoMayRequest::Anyone
            }
        };
        let allowed_domains = parse_domains(&self.allowed_domains, "allowed_domains", errors);
        if who_may_request == WhoMayRequest::AllowedDomainsOnly
            && allowed_domains.is_empty()
            && errors.message("allowed_domains").is_none()
        {
            errors.add("allowed_domains", "@list_least_one_domain");
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
                errors.add("stage_count", "@choose_1_2_3");
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
                    errors.add("access_until", "@choose_date_future");
                    AccessDuration::Never
                }
                None => {
                    errors.add("access_until", "@enter_date");
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
                errors.add(&format!("q{n}_label"), "@use_most_200_characters");
            }
            let max_length = parse_number(
                &form.max_length,
                &format!("q{n}_max_length"),
                1..=5000,
                "characters",
                errors,
            );
            let kind = question_kind(form, n, errors);
            questions.push(CustomQuestion {
                id: format!("q{n}"),
                label: label.to_string(),
                label_translations: translated::from_form(
                    &form.label_translations,
                    &format!("q{n}_label"),
                    200,
                    errors,
                ),
                choice_translations: choice_translations(form, &kind, n, errors),
                kind,
                required: form.required.is_some(),
                max_length,
            });
        }
        questions
    }

    /// The terms: a changed text gets the next version, the same text keeps its version.
    /// A change in any language is a change of the terms.
    fn terms(&self, previous: Option<&Policy>, errors: &mut FieldErrors) -> Option<Terms> {
        let text = self.terms_text.trim();
        if text.chars().count() > 20_000 {
            errors.add("terms_text", "@use_most_20_000");
        }
        let translations = translated::from_form(&self.terms_translations, "terms_text", 20_000, errors);
        (!text.is_empty()).then(|| {
            let version = match previous.and_then(|p| p.terms.as_ref()) {
                Some(old) if old.text == text && old.translations == translations => old.version,
                Some(old) => old.version + 1,
                None => 1,
            };
            Terms {
                version,
                text: text.to_string(),
                translations,
            }
        })
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
            None => errors.add(field, crate::message::with("not_staff", &[("email", email)])),
        }
    }
    if ids.is_empty() && errors.message(field).is_none() {
        errors.add(field, "@name_least_one_approver");
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
                errors.add(&format!("q{n}_choices"), "@give_least_two_choices");
            }
            QuestionKind::SingleChoice(choices)
        }
        _ => QuestionKind::ShortText,
    }
}

/// The choices in other languages: as many as the default language's, or a message beside
/// that language's field.
fn choice_translations(
    form: &QuestionForm,
    kind: &QuestionKind,
    n: usize,
    errors: &mut FieldErrors,
) -> BTreeMap<String, Vec<String>> {
    let QuestionKind::SingleChoice(choices) = kind else {
        return BTreeMap::new();
    };
    let field = format!("q{n}_choices");
    let mut translated = BTreeMap::new();
    for (tag, lines) in translated::from_form(&form.choice_translations, &field, 5_000, errors) {
        let given: Vec<String> = lines
            .lines()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        if given.len() != choices.len() {
            let count = choices.len().to_string();
            errors.add(
                &format!("{field}_{tag}"),
                crate::message::with("as_many_choices", &[("count", &count)]),
            );
        }
        translated.insert(tag, given);
    }
    translated
}

#[cfg(test)]
mod tests;
