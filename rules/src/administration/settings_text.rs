//! Why a logo upload is refused, and what the settings page says about it (shared with the
//! browser; the service that refuses it runs on the server only).

/// Why an uploaded logo is refused; `code` travels in the address back to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoProblem {
    Empty,
    TooLarge,
    NotAnImage,
}

impl LogoProblem {
    pub fn code(self) -> &'static str {
        match self {
            LogoProblem::Empty => "empty",
            LogoProblem::TooLarge => "too_large",
            LogoProblem::NotAnImage => "not_an_image",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [LogoProblem::Empty, LogoProblem::TooLarge, LogoProblem::NotAnImage]
            .into_iter()
            .find(|p| p.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            LogoProblem::Empty => "@choose_image_file_upload",
            LogoProblem::TooLarge => "@logo_may_most_256",
            LogoProblem::NotAnImage => "@upload_png_jpeg_gif",
        }
    }
}

/// The message for a `logo_error` code in the address; an unknown code reads as "not an image".
pub fn logo_problem_message(code: &str) -> &'static str {
    LogoProblem::from_code(code)
        .unwrap_or(LogoProblem::NotAnImage)
        .message()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logo_problems_round_trip_through_their_codes() {
        for problem in [LogoProblem::Empty, LogoProblem::TooLarge, LogoProblem::NotAnImage] {
            assert_eq!(LogoProblem::from_code(problem.code()), Some(problem));
            assert_eq!(logo_problem_message(problem.code()), problem.message());
        }
        assert_eq!(LogoProblem::from_code("other"), None);
    }
}
