//! [`WebhookError`]: why a webhook was refused, one variant per reason.

use std::time::Duration;

use super::WebhookAlgorithm;

/// Why a webhook (or a key for one) was refused. Every message names the
/// reason; none holds the API key, and none quotes the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The API key given to [`WebhookReceiver::new`](super::WebhookReceiver::new)
    /// or [`WebhookSigner::new`](super::WebhookSigner::new) is empty: an empty
    /// key would make every MAC public.
    #[error("api key: must not be empty (webhooks are signed with the project's API key)")]
    EmptyKey,
    /// The request has no `huddle01-signature` header, or it is empty.
    #[error("huddle01-signature: missing")]
    MissingHeader,
    /// The request has more than one `huddle01-signature` header.
    #[error("huddle01-signature: sent more than once")]
    RepeatedHeader,
    /// The header is not `t=<digits>,<alg>=<lowercase hex>`.
    #[error("huddle01-signature: {reason}")]
    MalformedHeader {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The header names another algorithm than `sha256` or `sha512`.
    #[error("huddle01-signature: the algorithm {name:?} is not sha256 or sha512")]
    UnsupportedAlgorithm {
        /// The name the header gave (at most 16 characters of it).
        name: String,
    },
    /// The body is larger than the receiver reads.
    #[error("body: larger than the {limit} bytes accepted")]
    TooLarge {
        /// The receiver's cap in bytes.
        limit: usize,
    },
    /// The body is not JSON as V8's `JSON.parse` reads it.
    #[error("body: not JSON at byte {offset}: {reason}")]
    NotJson {
        /// Where the parser stopped, in bytes from the start of the body.
        offset: usize,
        /// What it found there.
        reason: &'static str,
    },
    /// The body holds a `\u` escape of a lone UTF-16 surrogate. V8 accepts
    /// it, but a Rust string cannot hold it, so neither the verified JSON nor
    /// an id holding it (which Node would hash as U+FFFD) can be handed over
    /// as what was signed.
    #[error("body: a lone surrogate escape at byte {offset}; V8 would accept it, but this crate cannot represent it faithfully")]
    LoneSurrogate {
        /// Where the escape starts, in bytes from the start of the body.
        offset: usize,
    },
    /// The body nests arrays and objects deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    #[error("body: nested deeper than {limit} levels; V8 would accept it, but this crate cannot represent it faithfully")]
    TooDeep {
        /// The deepest nesting reproduced.
        limit: usize,
    },
    /// The body has no usable `id`: none, or one that JavaScript finds falsy
    /// (`""`, `0`, `false`, `null`), which the SDK refuses too. An array or
    /// object id, whose text in the signature this crate does not reproduce,
    /// is refused here as well.
    #[error("body: {reason}")]
    NoId {
        /// Which of those it is.
        reason: &'static str,
    },
    /// The MAC does not match, neither over V8's form of the body nor over
    /// the raw body.
    #[error("the {algorithm} signature does not match the body")]
    BadSignature {
        /// The algorithm the header named.
        algorithm: WebhookAlgorithm,
    },
    /// The timestamp is further in the past than the tolerance.
    #[error("the timestamp is {} old, more than the {} accepted", seconds(*age), seconds(*tolerance))]
    TooOld {
        /// How far in the past, to the millisecond.
        age: Duration,
        /// The receiver's tolerance.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("the timestamp is {} in the future, more than the {} accepted", seconds(*ahead), seconds(*tolerance))]
    FromFuture {
        /// How far in the future, to the millisecond.
        ahead: Duration,
        /// The receiver's tolerance.
        tolerance: Duration,
    },
}

/// A duration as seconds with their milliseconds, `312.5 s`, for messages.
fn seconds(duration: Duration) -> String {
    let millis = duration.subsec_millis();
    if millis == 0 {
        format!("{} s", duration.as_secs())
    } else {
        let fraction = format!("{millis:03}");
        format!(
            "{}.{} s",
            duration.as_secs(),
            fraction.trim_end_matches('0')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds() {
        assert_eq!(seconds(Duration::from_secs(300)), "300 s");
        assert_eq!(seconds(Duration::from_millis(312_500)), "312.5 s");
        assert_eq!(seconds(Duration::from_millis(1_001)), "1.001 s");
    }
}
