//! What the browser and the server share about bulk lists: their size limit and why a whole
//! list can be refused (the checking itself is in `domain::bulk`, on the server).

/// Rows one batch may hold.
pub const MAX_ROWS: usize = 1000;

/// Why a whole list cannot be used. Each has a short code, so an upload that fails can say
/// why on the page it returns to (`?upload_error=<code>`) without carrying text in the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListProblem {
    Empty,
    TooMany,
    Unreadable,
    NotText,
}

impl ListProblem {
    pub fn code(self) -> &'static str {
        match self {
            ListProblem::Empty => "empty",
            ListProblem::TooMany => "too_many",
            ListProblem::Unreadable => "unreadable",
            ListProblem::NotText => "not_text",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Empty, Self::TooMany, Self::Unreadable, Self::NotText]
            .into_iter()
            .find(|p| p.code() == code)
    }

    pub fn message(self) -> String {
        match self {
            ListProblem::Empty => {
                "The list is empty: put one partner per line, as email, name and an optional message."
                    .to_string()
            }
            ListProblem::TooMany => format!(
                "A batch holds at most {MAX_ROWS} rows. Split the list and send the rest as another batch."
            ),
            ListProblem::Unreadable => "The list could not be read as CSV: check its quotes.".to_string(),
            ListProblem::NotText => "The file is not a text CSV file (save it as CSV, UTF-8).".to_string(),
        }
    }
}

/// The message for an upload refused with `code` (see [`ListProblem::code`]).
pub fn list_problem_message(code: &str) -> String {
    match ListProblem::from_code(code) {
        Some(problem) => problem.message(),
        None if code == "archived" => {
            "This resource is archived: restore it before inviting anyone.".to_string()
        }
        None if code == "language" => "Choose the language of the invitations from the list.".to_string(),
        None => "The file could not be used. Check that it is a CSV file and try again.".to_string(),
    }
}
