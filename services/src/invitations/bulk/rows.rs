//! Reading a bulk list (pasted or uploaded CSV: email, name[, message]) and checking each row
//! against the resource: pure functions, so the report an owner confirms is easy to test.

use std::collections::HashSet;

use rules::email::{email_domain, normalise_email};
use rules::requests::policy::any_matches;
use rules::validation::check_display_name;

pub use rules::invitations::bulk_list::{ListProblem, MAX_ROWS};
/// Longest message on one row, as for a direct invite.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// One line of the list as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub line: u64,
    pub email: String,
    pub display_name: String,
    pub message: String,
}

/// Reads the list: comma-separated, quotes allowed, blank lines skipped, a first line that
/// starts with "email" taken as a header. Refused when empty or longer than [`MAX_ROWS`].
pub fn read_list(text: &str) -> Result<Vec<ListRow>, ListProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| ListProblem::Unreadable)?;
        let line = record
            .position()
            .map(|p| line_at(text.as_bytes(), p.byte() as usize))
            .unwrap_or(index as u64 + 1);
        let cell = |i: usize| record.get(i).unwrap_or("").to_string();
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.is_empty() && index == 0 && cell(0).eq_ignore_ascii_case("email") {
            continue;
        }
        rows.push(ListRow {
            line,
            email: cell(0),
            display_name: cell(1),
            message: cell(2),
        });
        if rows.len() > MAX_ROWS {
            return Err(ListProblem::TooMany);
        }
    }
    if rows.is_empty() {
        return Err(ListProblem::Empty);
    }
    Ok(rows)
}

/// The line (from 1) where the record starting at `byte` begins, as the person sees it: the
/// reader does not count blank lines, and a record's start may sit before the blank lines that
/// precede it.
fn line_at(text: &[u8], byte: usize) -> u64 {
    let mut at = byte.min(text.len());
    let mut line = text[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    while let Some(b'\n' | b'\r' | b' ' | b'\t') = text.get(at) {
        if text[at] == b'\n' {
            line += 1;
        }
        at += 1;
    }
    line
}

/// What the resource already has, for checking rows against it (emails normalised).
pub struct Standing<'a> {
    pub denied_domains: &'a [String],
    pub members: &'a HashSet<String>,
    pub invited: &'a HashSet<String>,
}

/// A row after checking: its normalised email, and why it will not be invited, if so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRow {
    pub row: ListRow,
    pub email: String,
    pub problem: Option<String>,
}

/// Checks every row: a valid email and name, a message within bounds, a domain the policy
/// does not deny, not a member, not invited already, not earlier in the same list.
pub fn check_rows(rows: Vec<ListRow>, standing: &Standing<'_>) -> Vec<CheckedRow> {
    let mut seen = HashSet::new();
    rows.into_iter()
        .map(|row| {
            let (email, problem) = match normalise_email(&row.email) {
                Err(message) => (
                    row.email.clone(),
                    Some(rules::message::with("bulk_invalid_email", &[("why", message)])),
                ),
                Ok(email) => {
                    let problem = problem_of(&row, &email, standing, &mut seen);
                    (email, problem)
                }
            };
            CheckedRow { row, email, problem }
        })
        .collect()
}

fn problem_of(
    row: &ListRow,
    email: &str,
    standing: &Standing<'_>,
    seen: &mut HashSet<String>,
) -> Option<String> {
    let domain = email_domain(email);
    if let Err(message) = check_display_name(&row.display_name) {
        return Some(rules::message::with("bulk_bad_name", &[("why", &message)]));
    }
    if row.message.chars().count() > MAX_MESSAGE_CHARS {
        return Some(rules::message::with(
            "bulk_message_too_long",
            &[("max", &MAX_MESSAGE_CHARS.to_string())],
        ));
    }
    if any_matches(domain, standing.denied_domains) {
        return Some(rules::message::with("bulk_denied_domain", &[("domain", domain)]));
    }
    if standing.members.contains(email) {
        return Some("@already_member".to_string());
    }
    if standing.invited.contains(email) {
        return Some("@already_invited_invitation_waiting".to_string());
    }
    if !seen.insert(email.to_string()) {
        return Some("@listed_twice_only_first".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_headers_blank_lines_and_short_rows() {
        let rows = read_list(
            "email,name,message\n\nann@partner.example, Ann Example\n\"bo@partner.example\",\"Bo, Jr.\",\"Hi, Bo\"\n",
        )
        .expect("a list");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email, "ann@partner.example");
        assert_eq!(rows[0].display_name, "Ann Example");
        assert_eq!(rows[0].message, "");
        assert_eq!(rows[0].line, 3, "lines count as the person sees them");
        assert_eq!(rows[1].display_name, "Bo, Jr.");
        assert_eq!(rows[1].message, "Hi, Bo");
    }

    #[test]
    fn an_empty_or_too_long_list_is_refused() {
        assert_eq!(read_list(" \n\n").unwrap_err(), ListProblem::Empty);
        let long: String = (0..=MAX_ROWS)
            .map(|i| format!("p{i}@partner.example,P {i}\n"))
            .collect();
        assert_eq!(read_list(&long).unwrap_err(), ListProblem::TooMany);
        let english = locales::messages::word(locales::Locale::en, &ListProblem::TooMany.message());
        assert!(english.contains("at most 1000"), "{english}");
        for problem in [
            ListProblem::Empty,
            ListProblem::TooMany,
            ListProblem::Unreadable,
            ListProblem::NotText,
        ] {
            assert_eq!(ListProblem::from_code(problem.code()), Some(problem));
        }
        let full: String = (0..MAX_ROWS)
            .map(|i| format!("p{i}@partner.example,P {i}\n"))
            .collect();
        assert_eq!(read_list(&full).expect("1000 rows fit").len(), MAX_ROWS);
    }

    #[test]
    fn every_kind_of_problem_is_named() {
        let rows = read_list(
            "not-an-email,Nobody\n\
             eve@rival.example,Eve\n\
             mo@partner.example,Mo\n\
             ivy@partner.example,Ivy\n\
             ann@partner.example,Ann\n\
             ANN@partner.example,Ann again\n\
             nameless@partner.example,\n\
             ok@partner.example,Ok\n",
        )
        .expect("a list");
        let denied = vec!["rival.example".to_string()];
        let members: HashSet<String> = ["mo@partner.example".to_string()].into();
        let invited: HashSet<String> = ["ivy@partner.example".to_string()].into();
        let checked = check_rows(
            rows,
            &Standing {
                denied_domains: &denied,
                members: &members,
                invited: &invited,
            },
        );
        let english = |p: &str| locales::messages::word(locales::Locale::en, p);
        let problems: Vec<Option<String>> = checked
            .iter()
            .map(|c| c.problem.as_deref().map(english))
            .collect();
        let problems: Vec<Option<&str>> = problems.iter().map(Option::as_deref).collect();
        assert!(problems[0].is_some_and(|p| p.starts_with("Invalid email: Enter an email address")));
        assert!(problems[1].is_some_and(|p| p.starts_with("Denied domain")));
        assert_eq!(problems[2], Some("Already a member."));
        assert!(problems[3].is_some_and(|p| p.starts_with("Already invited")));
        assert_eq!(problems[4], None);
        assert!(
            problems[5].is_some_and(|p| p.starts_with("Listed twice")),
            "case does not make a new address"
        );
        assert!(problems[6].is_some_and(|p| p.starts_with("Name:")));
        assert_eq!(problems[7], None);
        assert_eq!(checked[5].email, "ann@partner.example");
    }
}
