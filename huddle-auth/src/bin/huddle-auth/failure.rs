//! Why a command failed: one line for stderr, naming the field or the reason.
//!
//! Every message comes from a value that never holds key material (the
//! library's errors carry ids, sizes and claim names only), so no secret can
//! reach the terminal through here.

use std::fmt;

use huddle_auth::KeyError;

/// A failure that ends the program with exit status 1.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    /// A failure of one input (`--permissions`, `HUDDLE_API_KEY`, a file).
    pub fn new(field: impl fmt::Display, reason: impl fmt::Display) -> Self {
        Failure(format!("{field}: {reason}"))
    }

    /// A token that did not pass verification, and why.
    pub fn rejected(error: impl fmt::Display) -> Self {
        Failure(format!("token rejected: {error}"))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever a wrapped error holds, so scripts can read stderr line by line.
        let mut lines = self.0.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(first) = lines.next() {
            f.write_str(first)?;
        }
        for line in lines {
            write!(f, " {line}")?;
        }
        Ok(())
    }
}

impl From<KeyError> for Failure {
    fn from(error: KeyError) -> Self {
        Failure(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_one_line() {
        let failure = Failure::new("--metadata", "first\n  second\n\nthird");
        assert_eq!(failure.to_string(), "--metadata: first second third");
    }
}
