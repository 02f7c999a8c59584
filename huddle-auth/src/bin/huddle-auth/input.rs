//! Reading what the user hands over: a token (argument or stdin) and files.

use std::io::{self, IsTerminal, Read};
use std::path::Path;

use crate::failure::Failure;

/// How much of stdin is read before giving up: far more than any token the
/// verifier accepts (32 KiB), so the verifier, not this limit, says "too large".
const STDIN_LIMIT: u64 = 1024 * 1024;

/// The token given as an argument, or read from stdin when the argument is
/// `-` or absent; surrounding whitespace (a trailing newline) is ignored.
pub fn token(argument: Option<String>) -> Result<String, Failure> {
    let raw = match argument {
        Some(token) if token != "-" => token,
        given => {
            let stdin = io::stdin();
            if given.is_none() && stdin.is_terminal() {
                return Err(Failure::new(
                    "token",
                    "missing; pass it as an argument, or - and pipe it on stdin",
                ));
            }
            read_stdin(stdin.lock())?
        }
    };
    let token = raw.trim();
    if token.is_empty() {
        return Err(Failure::new("token", "is empty"));
    }
    Ok(token.to_owned())
}

fn read_stdin(stdin: impl Read) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    stdin
        .take(STDIN_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::new("stdin", e))?;
    if bytes.len() as u64 > STDIN_LIMIT {
        return Err(Failure::new(
            "stdin",
            format!("more than {STDIN_LIMIT} bytes; that is not a token"),
        ));
    }
    String::from_utf8(bytes).map_err(|_| Failure::new("stdin", "is not UTF-8 text"))
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
}
