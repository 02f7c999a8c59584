//! The `huddle01-signature` header, read strictly:
//! `t=<digits>,<alg>=<lowercase hex>`, further `,`-segments ignored.

use std::fmt;

use super::WebhookError;

/// The hash of a webhook's HMAC: the two the SDK accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookAlgorithm {
    /// HMAC-SHA256, what Huddle01 sends.
    Sha256,
    /// HMAC-SHA512, which the SDK accepts too.
    Sha512,
}

impl WebhookAlgorithm {
    /// The name in the header: `sha256` or `sha512`.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookAlgorithm::Sha256 => "sha256",
            WebhookAlgorithm::Sha512 => "sha512",
        }
    }

    /// The algorithm of this header name; names compare exactly, as the SDK
    /// compares them (`SHA256` is not `sha256`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(WebhookAlgorithm::Sha256),
            "sha512" => Some(WebhookAlgorithm::Sha512),
            _ => None,
        }
    }

    /// The length of the MAC in bytes.
    pub(crate) fn tag_len(self) -> usize {
        match self {
            WebhookAlgorithm::Sha256 => 32,
            WebhookAlgorithm::Sha512 => 64,
        }
    }
}

impl fmt::Display for WebhookAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The latest timestamp read, in milliseconds: the end of the year 9999, so
/// that every timestamp is a `SystemTime` on every platform.
const MAX_TIMESTAMP_MILLIS: u64 = 253_402_300_799_999;

/// A header that has the right shape; nothing is verified yet.
#[derive(Debug)]
pub(crate) struct SignatureHeader<'a> {
    /// The digits of `t`, verbatim: the signed text holds them as sent.
    pub(crate) timestamp_text: &'a str,
    /// `t` in milliseconds since the Unix epoch (see `MILLISECONDS_THRESHOLD`).
    pub(crate) timestamp_millis: u64,
    pub(crate) algorithm: WebhookAlgorithm,
    pub(crate) tag: Vec<u8>,
}

/// Reads the header. The SDK takes the text after the first segment's `=`
/// as `t` whatever the name before it, and compares the second segment
/// whole; this reader wants the name `t`, digits, and lowercase hex of the
/// algorithm's length, so anything the SDK could accept and this refuses
/// was never a signature Huddle01 made.
pub(crate) fn parse(header: &str) -> Result<SignatureHeader<'_>, WebhookError> {
    let malformed = |reason| WebhookError::MalformedHeader { reason };
    if header.is_empty() {
        return Err(WebhookError::MissingHeader);
    }
    let mut segments = header.split(',');
    let first = segments.next().unwrap_or_default();
    let timestamp_text = first
        .strip_prefix("t=")
        .ok_or(malformed("does not start with t=<timestamp>"))?;
    if timestamp_text.is_empty() || !timestamp_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("the timestamp t is not a string of digits"));
    }
    let t: u64 = timestamp_text
        .parse()
        .map_err(|_| malformed("the timestamp t is out of range"))?;
    let timestamp_millis = if t >= super::MILLISECONDS_THRESHOLD {
        t
    } else {
        t * 1000
    };
    if timestamp_millis > MAX_TIMESTAMP_MILLIS {
        return Err(malformed("the timestamp t is after the year 9999"));
    }
    let signature = segments
        .next()
        .ok_or(malformed("has no signature after t=<timestamp>,"))?;
    let (name, hex) = signature
        .split_once('=')
        .ok_or(malformed("the signature is not <alg>=<hex>"))?;
    let algorithm =
        WebhookAlgorithm::from_name(name).ok_or_else(|| WebhookError::UnsupportedAlgorithm {
            name: name.chars().take(16).collect(),
        })?;
    if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        // The SDK compares the hex text, so uppercase hex never matches there either.
        return Err(malformed("the signature is not lowercase hex"));
    }
    if hex.len() != 2 * algorithm.tag_len() {
        return Err(malformed(match algorithm {
            WebhookAlgorithm::Sha256 => "a sha256 signature has 64 hex digits",
            WebhookAlgorithm::Sha512 => "a sha512 signature has 128 hex digits",
        }));
    }
    let tag = hex::decode(hex).map_err(|_| malformed("the signature is not lowercase hex"))?;
    Ok(SignatureHeader {
        timestamp_text,
        timestamp_millis,
        algorithm,
        tag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX64: &str = "5a7fb329e895c0220e188620a6de8f875268494509d8b17c14d250f8b2e2cbb7";

    fn reason(header: &str) -> WebhookError {
        parse(header).expect_err(header)
    }

    #[test]
    fn reads_the_timestamp_verbatim_and_in_either_unit() {
        let header = format!("t=1700000000000,sha256={HEX64},v2=ignored");
        let parsed = parse(&header).expect("well-formed");
        assert_eq!(parsed.timestamp_text, "1700000000000");
        assert_eq!(parsed.timestamp_millis, 1_700_000_000_000);
        assert_eq!(parsed.algorithm, WebhookAlgorithm::Sha256);
        assert_eq!(parsed.tag[..2], [0x5a, 0x7f]);

        let header = format!("t=01700000000,sha256={HEX64}");
        let parsed = parse(&header).expect("well-formed");
        assert_eq!(parsed.timestamp_text, "01700000000");
        assert_eq!(parsed.timestamp_millis, 1_700_000_000_000);
        let millis = |header: String| parse(&header).expect(&header).timestamp_millis;
        assert_eq!(
            millis(format!("t=99999999999,sha256={HEX64}")),
            99_999_999_999_000
        );
        assert_eq!(
            millis(format!("t=100000000000,sha256={HEX64}")),
            100_000_000_000
        );
    }

    #[test]
    fn refuses_every_other_shape() {
        let malformed = |reason| WebhookError::MalformedHeader { reason };
        assert_eq!(reason(""), WebhookError::MissingHeader);
        for header in [
            format!("sha256={HEX64}"),
            format!("ts=1,sha256={HEX64}"),
            format!(" t=1,sha256={HEX64}"),
        ] {
            assert_eq!(
                reason(&header),
                malformed("does not start with t=<timestamp>")
            );
        }
        for header in [
            "t=,sha256=00",
            "t=abc,sha256=00",
            "t=-1,sha256=00",
            "t=1 ,sha256=00",
        ] {
            assert_eq!(
                reason(header),
                malformed("the timestamp t is not a string of digits")
            );
        }
        assert_eq!(
            reason("t=99999999999999999999999,sha256=00"),
            malformed("the timestamp t is out of range")
        );
        assert_eq!(
            reason("t=253402300800000,sha256=00"),
            malformed("the timestamp t is after the year 9999")
        );
        assert_eq!(
            reason("t=1"),
            malformed("has no signature after t=<timestamp>,")
        );
        assert_eq!(
            reason("t=1,sha256"),
            malformed("the signature is not <alg>=<hex>")
        );
        assert_eq!(
            reason(&format!("t=1, sha256={HEX64}")),
            WebhookError::UnsupportedAlgorithm {
                name: " sha256".into()
            }
        );
        assert_eq!(
            reason(&format!("t=1,SHA256={HEX64}")),
            WebhookError::UnsupportedAlgorithm {
                name: "SHA256".into()
            }
        );
        assert_eq!(
            reason("t=1,md5-with-a-very-long-name=00"),
            WebhookError::UnsupportedAlgorithm {
                name: "md5-with-a-very-".into()
            }
        );
        assert_eq!(
            reason(&format!("t=1,sha256={}", HEX64.to_uppercase())),
            malformed("the signature is not lowercase hex")
        );
        assert_eq!(
            reason(&format!("t=1,sha256={}", &HEX64[1..])),
            malformed("a sha256 signature has 64 hex digits")
        );
        assert_eq!(
            reason(&format!("t=1,sha512={HEX64}")),
            malformed("a sha512 signature has 128 hex digits")
        );
    }
}
