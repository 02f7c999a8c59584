//! The token server's configuration: the signing key, the port, and where
//! the protected routes take their verification keys from, read from the
//! environment (or a lookup standing in for it, in tests).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};

use huddle_auth::webhooks::WebhookReceiver;
use huddle_auth::{ApiKey, JwksError, KeyError, SigningKey, TokenVerifier};
use zeroize::Zeroizing;

/// The environment variable holding the key id (the project's API key).
pub const ENV_API_KEY: &str = "HUDDLE_API_KEY";
/// The environment variable holding the HS256 secret.
pub const ENV_API_SECRET: &str = "HUDDLE_API_SECRET";
/// The environment variable holding the path of a PKCS#8 PEM private key.
pub const ENV_PRIVATE_KEY_FILE: &str = "HUDDLE_PRIVATE_KEY_FILE";
/// The environment variable holding the port to listen on.
pub const ENV_PORT: &str = "PORT";
/// The port used when `PORT` is not set.
pub const DEFAULT_PORT: u16 = 8080;
/// The environment variable holding the URL of a JWKS (this crate's token
/// profile) that `/me` and `/moderation` verify bearer tokens against,
/// instead of the server's own key.
pub const ENV_VERIFY_JWKS_URL: &str = "HUDDLE_VERIFY_JWKS_URL";
/// The environment variable that, set to `1` or `true`, makes `/me` and
/// `/moderation` accept tokens Huddle01's infra issued (and only those).
pub const ENV_VERIFY_HUDDLE01: &str = "HUDDLE_VERIFY_HUDDLE01";
/// The environment variable overriding where Huddle01's JWKS is fetched
/// from under [`ENV_VERIFY_HUDDLE01`] (default
/// [`huddle_auth::HUDDLE01_JWKS_URL`]), as it does for the CLI's
/// `verify --huddle01`.
pub const ENV_HUDDLE01_JWKS_URL: &str = "HUDDLE01_JWKS_URL";
/// The environment variable that, set to `1` or `true`, opens
/// `POST /webhooks/huddle01`, verifying Huddle01's webhooks with the API key
/// of `HUDDLE_API_KEY` (Huddle01 signs them with the API key itself).
pub const ENV_WEBHOOKS: &str = "HUDDLE_WEBHOOKS";

/// What the server runs with: the signing key, the port, and the verifier
/// of the protected routes when it is not the signing key's.
pub struct Config {
    signer: SigningKey,
    port: u16,
    verifier: Option<TokenVerifier>,
    webhooks: Option<WebhookReceiver>,
}

impl Config {
    /// A configuration signing with `signer`, on the default port.
    pub fn new(signer: SigningKey) -> Self {
        Config {
            signer,
            port: DEFAULT_PORT,
            verifier: None,
            webhooks: None,
        }
    }

    /// Opens `POST /webhooks/huddle01`, which verifies webhooks with `receiver`.
    pub fn receive_webhooks(mut self, receiver: WebhookReceiver) -> Self {
        self.webhooks = Some(receiver);
        self
    }

    /// Verifies the bearer tokens of `/me` and `/moderation` with
    /// `verifier` (say, one over a remote JWKS) instead of the signing key.
    pub fn verify_with(mut self, verifier: TokenVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().map(Zeroizing::new))
    }

    /// Reads the configuration through `lookup`, which answers an
    /// environment variable's value: `HUDDLE_API_KEY` names the key, and
    /// exactly one of `HUDDLE_API_SECRET` (HS256) or
    /// `HUDDLE_PRIVATE_KEY_FILE` (a PKCS#8 PEM) gives it; `PORT` is optional.
    /// At most one of `HUDDLE_VERIFY_JWKS_URL` and `HUDDLE_VERIFY_HUDDLE01`
    /// moves the protected routes' verification to a remote JWKS;
    /// `HUDDLE_WEBHOOKS=1` opens the webhook route.
    /// Values come in [`Zeroizing`], so the secret is wiped from memory once
    /// the key is built, whichever way this returns.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<Zeroizing<String>>,
    ) -> Result<Self, ConfigError> {
        let set = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let port = match set(ENV_PORT) {
            None => DEFAULT_PORT,
            Some(port) => port.parse().map_err(|_| ConfigError::Port {
                value: port.to_string(),
            })?,
        };
        let secret = set(ENV_API_SECRET);
        let key_file = set(ENV_PRIVATE_KEY_FILE);
        let Some(kid) = set(ENV_API_KEY).map(|kid| kid.to_string()) else {
            return Err(ConfigError::MissingKey);
        };
        let signer = match (secret, key_file) {
            (None, None) => return Err(ConfigError::MissingKey),
            (Some(_), Some(_)) => return Err(ConfigError::TwoKeys),
            (Some(secret), None) => {
                SigningKey::Api(ApiKey::new(kid, secret.as_bytes()).map_err(|error| {
                    ConfigError::Key {
                        variable: ENV_API_SECRET,
                        error,
                    }
                })?)
            }
            (None, Some(path)) => {
                let pem = std::fs::read_to_string(path.as_str())
                    .map(Zeroizing::new)
                    .map_err(|error| ConfigError::KeyFile {
                        path: path.to_string(),
                        reason: error.to_string(),
                    })?;
                SigningKey::from_pkcs8_pem(kid, &pem).map_err(|error| ConfigError::Key {
                    variable: ENV_PRIVATE_KEY_FILE,
                    error,
                })?
            }
        };
        let webhooks = match switch(&set, ENV_WEBHOOKS)? {
            true => Some(WebhookReceiver::new(signer.key_id()).map_err(ConfigError::Webhooks)?),
            false => None,
        };
        let verifier = remote_verifier(set)?;
        Ok(Config {
            signer,
            port,
            verifier,
            webhooks,
        })
    }

    /// The key tokens are signed with.
    pub fn signer(&self) -> &SigningKey {
        &self.signer
    }

    /// The verifier of the protected routes, when it is not the signing
    /// key's.
    pub fn verifier(&self) -> Option<&TokenVerifier> {
        self.verifier.as_ref()
    }

    /// The receiver of `POST /webhooks/huddle01`, when it is open.
    pub fn webhooks(&self) -> Option<&WebhookReceiver> {
        self.webhooks.as_ref()
    }

    /// Takes the configuration apart: the signing key, the verifier and the
    /// webhook receiver.
    pub(super) fn into_keys(self) -> (SigningKey, Option<TokenVerifier>, Option<WebhookReceiver>) {
        (self.signer, self.verifier, self.webhooks)
    }

    /// The address to listen on: always loopback, on the configured port.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

/// Why the environment does not configure a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// No signing key is configured.
    MissingKey,
    /// Both an API secret and a private key file are set.
    TwoKeys,
    /// The key given is not usable.
    Key {
        /// The variable that gave the key.
        variable: &'static str,
        /// Why the key was refused.
        error: KeyError,
    },
    /// The private key file could not be read.
    KeyFile {
        /// The path in `HUDDLE_PRIVATE_KEY_FILE`.
        path: String,
        /// Why reading it failed.
        reason: String,
    },
    /// `PORT` is not a port number.
    Port {
        /// The value found.
        value: String,
    },
    /// A switch holds something other than `1`, `true`, `0` or `false`.
    Switch {
        /// The variable.
        variable: &'static str,
        /// The value found.
        value: String,
    },
    /// Both a JWKS URL and the Huddle01 switch are set.
    TwoVerifiers,
    /// The webhook receiver cannot be built from the API key.
    Webhooks(huddle_auth::webhooks::WebhookError),
    /// The JWKS URL is refused (not `https`, and not `http` to loopback).
    Jwks {
        /// The variable that gave the URL.
        variable: &'static str,
        /// Why it was refused.
        error: JwksError,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingKey => write!(
                f,
                "no signing key: set {ENV_API_KEY} and {ENV_API_SECRET} (HS256), \
                 or {ENV_API_KEY} and {ENV_PRIVATE_KEY_FILE} (a PKCS#8 PEM private key)"
            ),
            ConfigError::TwoKeys => write!(
                f,
                "set one of {ENV_API_SECRET} and {ENV_PRIVATE_KEY_FILE}, not both"
            ),
            ConfigError::Key { variable, error } => write!(f, "{variable}: {error}"),
            ConfigError::KeyFile { path, reason } => {
                write!(f, "{ENV_PRIVATE_KEY_FILE}: cannot read {path:?}: {reason}")
            }
            ConfigError::Port { value } => {
                write!(f, "{ENV_PORT}: {value:?} is not a port number (0 to 65535)")
            }
            ConfigError::Switch { variable, value } => {
                write!(f, "{variable}: {value:?} is not one of 1, true, 0, false")
            }
            ConfigError::TwoVerifiers => write!(
                f,
                "set one of {ENV_VERIFY_JWKS_URL} and {ENV_VERIFY_HUDDLE01}, not both"
            ),
            ConfigError::Jwks { variable, error } => write!(f, "{variable}: {error}"),
            ConfigError::Webhooks(error) => write!(f, "{ENV_WEBHOOKS}: {error}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The verifier of the protected routes from the environment: `None` (the
/// signing key's) unless `HUDDLE_VERIFY_JWKS_URL` names a JWKS, or
/// `HUDDLE_VERIFY_HUDDLE01` asks for Huddle01-issued tokens, whose keys
/// come from `HUDDLE01_JWKS_URL` or else Huddle01's own URL. Nothing is
/// fetched here: the keys are fetched on the first request that needs them.
fn remote_verifier(
    set: impl Fn(&str) -> Option<Zeroizing<String>>,
) -> Result<Option<TokenVerifier>, ConfigError> {
    let huddle01 = switch(&set, ENV_VERIFY_HUDDLE01)?;
    let (variable, built) = match (set(ENV_VERIFY_JWKS_URL), huddle01) {
        (None, false) => return Ok(None),
        (Some(_), true) => return Err(ConfigError::TwoVerifiers),
        (Some(url), false) => (ENV_VERIFY_JWKS_URL, TokenVerifier::from_jwks_url(&url)),
        (None, true) => match set(ENV_HUDDLE01_JWKS_URL) {
            Some(url) => (ENV_HUDDLE01_JWKS_URL, TokenVerifier::huddle01_at(&url)),
            None => (ENV_VERIFY_HUDDLE01, TokenVerifier::huddle01()),
        },
    };
    built
        .map(Some)
        .map_err(|error| ConfigError::Jwks { variable, error })
}

/// A switch variable: unset, `0` or `false` is off; `1` or `true` is on.
fn switch(
    set: &impl Fn(&str) -> Option<Zeroizing<String>>,
    variable: &'static str,
) -> Result<bool, ConfigError> {
    match set(variable).as_deref().map(String::as_str) {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(ConfigError::Switch {
            variable,
            value: other.to_owned(),
        }),
    }
}
