//! The URL policy of remote key sets: `https`, or plain `http` to loopback.

use std::fmt;
use std::str::FromStr;

use url::Url;

use super::JwksError;
use crate::http::{check_url_policy, is_loopback};

/// A URL that a JWKS may be fetched from: `https`, or `http` whose host is
/// loopback (`127.0.0.0/8`, `::1` or `localhost`), for tests and sidecars;
/// the same policy as the hosted client's base URL.
///
/// Keys fetched over plain `http` from elsewhere could be swapped by anyone
/// on the path, who could then sign any token, so such a URL is refused
/// before anything is sent. URLs carrying a user name or password are
/// refused too: credentials would end up in logs and error messages.
///
/// ```
/// use huddle_auth::JwksUrl;
///
/// let url = JwksUrl::parse("https://huddle01.app/jwks.json")?;
/// assert_eq!(url.as_str(), "https://huddle01.app/jwks.json");
/// assert!(JwksUrl::parse("http://127.0.0.1:8080/jwks.json").is_ok());
///
/// let refused = JwksUrl::parse("http://huddle01.app/jwks.json").unwrap_err();
/// assert!(refused.to_string().contains("https"));
/// # Ok::<(), huddle_auth::JwksError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct JwksUrl(Url);

impl JwksUrl {
    /// Parses `input` and checks it against the policy.
    pub fn parse(input: &str) -> Result<Self, JwksError> {
        let url = Url::parse(input).map_err(|error| refused(format!("not a URL: {error}")))?;
        Self::try_from(url)
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The parsed URL (the `url` crate's, which HTTP clients take).
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// Whether the host is loopback, where plain `http` is allowed.
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }
}

impl TryFrom<Url> for JwksUrl {
    type Error = JwksError;

    fn try_from(url: Url) -> Result<Self, JwksError> {
        check_url_policy(&url).map_err(refused)?;
        Ok(Self(url))
    }
}

impl FromStr for JwksUrl {
    type Err = JwksError;

    fn from_str(input: &str) -> Result<Self, JwksError> {
        Self::parse(input)
    }
}

impl fmt::Display for JwksUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for JwksUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JwksUrl").field(&self.as_str()).finish()
    }
}

fn refused(reason: String) -> JwksError {
    JwksError::Url { reason }
}

#[cfg(test)]
mod tests {
    use super::JwksUrl;

    fn reason(input: &str) -> String {
        match JwksUrl::parse(input) {
            Ok(url) => panic!("{input} was accepted as {url}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn https_is_accepted_anywhere() {
        for input in [
            "https://huddle01.app/jwks.json",
            "https://203.0.113.7/keys",
            "https://[2001:db8::1]:8443/jwks.json",
        ] {
            assert_eq!(
                JwksUrl::parse(input).map(|url| url.is_loopback()),
                Ok(false),
                "{input}"
            );
        }
    }

    #[test]
    fn http_is_accepted_to_loopback_only() {
        for input in [
            "http://127.0.0.1:8080/jwks.json",
            "http://127.255.0.9/jwks.json",
            "http://[::1]:9000/jwks.json",
            "http://localhost/jwks.json",
            "http://LOCALHOST:1234/jwks.json",
        ] {
            assert_eq!(
                JwksUrl::parse(input).map(|url| url.is_loopback()),
                Ok(true),
                "{input}"
            );
        }
    }

    #[test]
    fn http_elsewhere_is_refused_with_a_message_that_says_https() {
        for input in [
            "http://huddle01.app/jwks.json",
            "http://128.0.0.1/jwks.json",
            "http://10.0.0.1/jwks.json",
            "http://0.0.0.0/jwks.json",
            "http://[::ffff:127.0.0.1]/jwks.json",
            "http://localhost.example.com/jwks.json",
        ] {
            let reason = reason(input);
            assert!(
                reason.starts_with("JWKS URL: must use https;"),
                "{input}: {reason}"
            );
        }
        assert_eq!(
            reason("http://huddle01.app/jwks.json"),
            "JWKS URL: must use https; plain http is allowed only to loopback \
             (127.0.0.0/8, ::1, localhost), not to huddle01.app"
        );
    }

    #[test]
    fn other_schemes_are_refused() {
        assert_eq!(
            reason("ftp://huddle01.app/jwks.json"),
            "JWKS URL: must use https, not ftp:"
        );
        assert_eq!(
            reason("file:///etc/jwks.json"),
            "JWKS URL: must use https, not file:"
        );
    }

    #[test]
    fn credentials_and_garbage_are_refused_without_echoing_secrets() {
        let refusal = reason("https://user:hunter2@huddle01.app/jwks.json");
        assert_eq!(refusal, "JWKS URL: must not carry a user name or password");
        assert_eq!(
            reason("not a url"),
            "JWKS URL: not a URL: relative URL without a base"
        );
    }
}
