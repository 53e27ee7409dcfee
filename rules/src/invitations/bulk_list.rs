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
            ListProblem::Empty => "@list_empty_put_one".to_string(),
            ListProblem::TooMany => {
                crate::message::with("batch_too_many_rows", &[("rows", &MAX_ROWS.to_string())])
            }
            ListProblem::Unreadable => "@list_could_not_read".to_string(),
            ListProblem::NotText => "@file_not_text_csv".to_string(),
        }
    }
}

/// The message for an upload refused with `code` (see [`ListProblem::code`]).
pub fn list_problem_message(code: &str) -> String {
    match ListProblem::from_code(code) {
        Some(problem) => problem.message(),
        None if code == "archived" => "@resource_archived_restore_before".to_string(),
        None if code == "language" => "@choose_language_invitations_from".to_string(),
        None => "@file_could_not_used".to_string(),
    }
}
