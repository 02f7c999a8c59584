//! Reading what the user hands over: a token (argument or stdin) and files.

use std::io::{self, IsTerminal, Read};
use std::path::Path;

use huddle_auth::VerifyError;

use crate::failure::Failure;

/// How much of stdin is read before giving up: far more than any token the
/// verifier accepts (32 KiB), so the verifier, not this limit, says "too large".
const STDIN_LIMIT: u64 = 1024 * 1024;

/// A token as the user handed it over, surrounding whitespace removed.
#[derive(Debug)]
pub struct Token {
    text: String,
    from_stdin: bool,
}

impl Token {
    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Says what the user handed over instead of a token, when the library
    /// found it malformed: a file path, or (when it could not even split it
    /// into a JWS's three segments) no JWT at all.
    pub fn not_a_token(&self, error: &VerifyError) -> Option<Failure> {
        let VerifyError::Malformed { reason, .. } = error else {
            return None;
        };
        // Counted here only to choose the words; the library decided.
        let three_segments = huddle_auth::has_three_segments(&self.text);
        // A path may hold two dots (`/tmp/a.b/tok.txt`), and fail as a header.
        if !self.from_stdin && looks_like_path(&self.text, !three_segments) {
            return Some(Failure::new(
                "token",
                format_args!(
                    "{:?} looks like a file path; pass the token itself, or `-` to read it \
                     from stdin (`- < {}`)",
                    self.text, self.text
                ),
            ));
        }
        (!three_segments).then(|| Failure::new("token", format_args!("is not a JWT: {reason}")))
    }
}

/// The token given as an argument, or read from stdin when the argument is
/// `-` or absent; surrounding whitespace (a trailing newline) is ignored.
pub fn token(argument: Option<String>) -> Result<Token, Failure> {
    let (raw, from_stdin) = match argument {
        Some(token) if token != "-" => (token, false),
        given => {
            let stdin = piped_stdin(
                given.is_none(),
                "token",
                "missing; pass it as an argument, or - and pipe it on stdin",
            )?;
            (read_stdin(stdin.lock())?, true)
        }
    };
    let source = if from_stdin { "stdin" } else { "token" };
    let text = raw.trim();
    if text.is_empty() {
        return Err(Failure::new(source, "is empty"));
    }
    let words = text.split_whitespace().count();
    // `Bearer TOKEN` is left to the library, which names that mistake itself.
    let bearer = words == 2
        && text
            .split_whitespace()
            .next()
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"));
    if words > 1 && !bearer {
        return Err(Failure::new(
            source,
            format_args!("holds {words} words separated by whitespace, not one token; pass one token at a time"),
        ));
    }
    Ok(Token {
        text: text.to_owned(),
        from_stdin,
    })
}

/// Whether an argument that is not a JWS names a file: an existing file, a
/// path with a directory, or, when it is not even three segments, a name
/// with a short extension (`tok.txt`, `token.jwt`; a truncated token's
/// second segment is longer). Three short segments (`e30.e30.e30`) read as a
/// token that failed, not as a file name.
fn looks_like_path(argument: &str, not_three_segments: bool) -> bool {
    let path = Path::new(argument);
    let short_extension = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        (1..=5).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    argument.contains(['/', '\\']) || (not_three_segments && short_extension) || path.is_file()
}

/// Stdin, unless nothing was given and it is a terminal: then the input is
/// missing (`field`, `missing`), not something to wait for.
fn piped_stdin(nothing_given: bool, field: &str, missing: &str) -> Result<io::Stdin, Failure> {
    let stdin = io::stdin();
    if nothing_given && stdin.is_terminal() {
        return Err(Failure::new(field, missing));
    }
    Ok(stdin)
}

fn read_stdin(stdin: impl Read) -> Result<String, Failure> {
    let bytes = read_capped(stdin, "stdin", "that is not a token")?;
    String::from_utf8(bytes).map_err(|_| Failure::new("stdin", "is not UTF-8 text"))
}

/// At most [`STDIN_LIMIT`] bytes of `reader`, refused with `why` past that.
fn read_capped(reader: impl Read, source: &str, why: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(STDIN_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::new(source, e))?;
    if bytes.len() as u64 > STDIN_LIMIT {
        return Err(Failure::new(
            source,
            format!("more than {STDIN_LIMIT} bytes; {why}"),
        ));
    }
    Ok(bytes)
}

/// A request body, byte for byte, from FILE, or from stdin when the argument
/// is `-` or absent (at most 1 MiB, the webhook receiver's own cap).
#[cfg(feature = "webhooks")]
pub fn body(argument: Option<&Path>) -> Result<Vec<u8>, Failure> {
    const WHY: &str = "larger than a webhook body is read";
    match argument {
        Some(path) if path != Path::new("-") => {
            let source = path.display().to_string();
            let file = std::fs::File::open(path).map_err(|e| Failure::new(&source, e))?;
            read_capped(file, &source, WHY)
        }
        given => {
            let stdin = piped_stdin(
                given.is_none(),
                "body",
                "missing; pass FILE, or - and pipe the body on stdin",
            )?;
            read_capped(stdin.lock(), "stdin", WHY)
        }
    }
}

/// The text of a file given by `flag`, with the path and the reason on failure.
pub fn text_file(flag: &str, path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format_args!("{flag} {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_over_the_limit_is_refused() {
        let input = vec![b'a'; (STDIN_LIMIT + 1) as usize];
        let failure = read_stdin(input.as_slice()).expect_err("over the limit");
        assert!(failure.to_string().starts_with("stdin: more than"));
    }

    #[test]
    fn stdin_must_be_text() {
        let failure = read_stdin([0xff, 0xfe].as_slice()).expect_err("not UTF-8");
        assert_eq!(failure.to_string(), "stdin: is not UTF-8 text");
    }

    #[test]
    fn paths_are_told_from_truncated_tokens() {
        for path in ["tok.txt", "token.jwt", "t.json"] {
            assert!(looks_like_path(path, true), "{path}");
        }
        for path in ["keys/a.b.token", "C:\\a.b.token"] {
            assert!(looks_like_path(path, false), "{path}");
        }
        for not_path in [
            "abc",
            "eyJhbGciOiJIUzI1NiJ9",
            "eyJhbGciOiJIUzI1NiJ9.eyJyb29tSWQi",
        ] {
            assert!(!looks_like_path(not_path, true), "{not_path}");
        }
        assert!(!looks_like_path("e30.e30.e30", false));
    }
}
