//! The example token server over real HTTP: started on 127.0.0.1:0 in the
//! test, asked for tokens, its tokens verified, and every refusal checked.

mod loopback;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use huddle_auth::{
    Algorithm, KeyError, Permissions, PrivateKey, Role, SigningKey, StaticRole, TokenVerifier,
    VerifyError,
};
use huddle_auth_examples::token_server::{
    router, Config, ConfigError, Moderator, Recorder, DEFAULT_PORT, ENV_API_KEY, ENV_API_SECRET,
    ENV_PORT, ENV_PRIVATE_KEY_FILE, ENV_WEBHOOKS, MAX_BODY_BYTES,
};
use huddle_auth_tests::fixtures::{
    api_key, impostor, now_millis, verifier, webhook_header, Program, KID, SECRET,
};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use zeroize::Zeroizing;

struct Server {
    base: String,
    client: reqwest::Client,
}

impl Server {
    async fn start(signer: SigningKey) -> Server {
        let app = router(Config::new(signer)).expect("the router is built");
        Server {
            base: loopback::serve(app).await,
            client: loopback::client(),
        }
    }

    /// A server signing with the suite's API key (its `verifier` checks it).
    async fn start_hs256() -> Server {
        Server::start(SigningKey::Api(api_key())).await
    }

    async fn post_raw(&self, content_type: Option<&str>, body: Vec<u8>) -> reqwest::Response {
        let mut request = self.client.post(format!("{}/token", self.base)).body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        request.send().await.expect("the loopback server answers")
    }

    async fn post(&self, body: &Value) -> reqwest::Response {
        self.post_raw(Some("application/json"), body.to_string().into_bytes())
            .await
    }

    /// Asks for a token and returns it, asserting a 200.
    async fn token(&self, body: &Value) -> String {
        let response = self.post(body).await;
        assert_eq!(response.status(), StatusCode::OK, "{body}");
        assert_eq!(
            response.headers().get(CACHE_CONTROL).map(|v| v.as_bytes()),
            Some(&b"no-store"[..]),
            "a token response must not be cached"
        );
        let answer: Value = response.json().await.expect("a JSON answer");
        answer["token"]
            .as_str()
            .expect("the answer holds a token")
            .to_owned()
    }

    async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the loopback server answers")
    }
}

/// Asserts a refusal with `status` whose JSON body names `field`.
async fn assert_refused(response: reqwest::Response, status: StatusCode, field: &str) -> Value {
    assert_eq!(response.status(), status, "field {field}");
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["field"], field, "{body}");
    assert!(
        body["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    body
}

#[tokio::test]
async fn every_predefined_role_is_minted_and_verifies() {
    let server = Server::start_hs256().await;
    let verifier = verifier();
    for role in Role::ALL {
        let token = server
            .token(&json!({
                "roomId": "abc-defg-hij",
                "role": role.as_str(),
                "displayName": "Ada",
                "metadata": { "walletAddress": "mizanxali.eth" },
            }))
            .await;
        let claims = verifier
            .verify_with_metadata::<Value>(&token)
            .expect("the server's token verifies");
        assert_eq!(claims.room_id(), "abc-defg-hij");
        assert_eq!(claims.role(), Some(role.as_str()));
        assert_eq!(*claims.permissions(), role.permissions(), "role {role}");
        assert_eq!(claims.display_name(), Some("Ada"));
        assert_eq!(claims.project_id(), Some(KID));
        assert_eq!(
            claims.metadata(),
            Some(&json!({ "walletAddress": "mizanxali.eth" }))
        );
    }
}

#[tokio::test]
async fn the_custom_roles_of_the_example_are_minted_and_narrow() {
    let server = Server::start_hs256().await;
    let verifier = verifier();

    let token = server
        .token(&json!({ "roomId": "abc-defg-hij", "role": "moderator" }))
        .await;
    let moderator = verifier
        .verify_as::<Moderator>(&token)
        .expect("a moderator token narrows to Moderator");
    assert_eq!(*moderator.permissions(), Moderator::PERMISSIONS);
    assert!(moderator.is_admin());
    assert!(!moderator.may_produce("video"));
    assert!(moderator.may_produce("screen-share"));

    let token = server
        .token(&json!({ "roomId": "abc-defg-hij", "role": "stage-recorder" }))
        .await;
    let recorder = verifier
        .verify_as::<Recorder>(&token)
        .expect("a recorder token narrows to Recorder");
    assert_eq!(recorder.role(), Some("stage-recorder"));
    assert_eq!(*recorder.permissions(), Recorder::PERMISSIONS);
    assert!(recorder.may_consume() && recorder.may_recv_data());
    assert!(!recorder.may_produce("audio") && !recorder.may_send_data());

    // The role names are listed when a request names another.
    let body = assert_refused(
        server
            .post(&json!({ "roomId": "r", "role": "Moderator" }))
            .await,
        StatusCode::BAD_REQUEST,
        "role",
    )
    .await;
    let reason = body["reason"].as_str().expect("a reason");
    for name in ["host", "bot", "moderator", "stage-recorder"] {
        assert!(reason.contains(name), "{reason}");
    }
}

#[tokio::test]
async fn the_moderation_route_admits_moderators_only() {
    let server = Server::start_hs256().await;
    let moderator = server
        .token(&json!({ "roomId": "abc-defg-hij", "role": "moderator" }))
        .await;
    let response = server.get("/moderation", Some(&moderator)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let desk: Value = response.json().await.expect("a JSON body");
    assert_eq!(
        desk,
        json!({
            "peerId": desk["peerId"],
            "roomId": "abc-defg-hij",
            "role": "moderator",
            "mayShareScreen": true,
            "mayShowCamera": false,
        })
    );

    for role in ["host", "coHost", "stage-recorder"] {
        let token = server
            .token(&json!({ "roomId": "abc-defg-hij", "role": role }))
            .await;
        let response = server.get("/moderation", Some(&token)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role}");
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(body["reason"], "role_mismatch", "{role}");
    }
    let response = server.get("/moderation", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_request_without_a_role_gets_the_default_permissions() {
    let server = Server::start_hs256().await;
    let token = server.token(&json!({ "roomId": "abc-defg-hij" })).await;
    let claims = verifier()
        .verify_with_metadata::<()>(&token)
        .expect("the token verifies");
    assert_eq!(claims.role(), None);
    assert_eq!(*claims.permissions(), Permissions::DEFAULT);
    assert_eq!(claims.display_name(), None);
    assert_eq!(claims.metadata_json(), None);
}

#[tokio::test]
async fn a_token_signed_elsewhere_does_not_pass_for_the_servers() {
    let server = Server::start_hs256().await;
    let token = server.token(&json!({ "roomId": "r" })).await;
    let refused = TokenVerifier::new()
        .with_api_key(&impostor())
        .expect("the key is added")
        .verify_with_metadata::<()>(&token);
    assert_eq!(refused.err(), Some(VerifyError::BadSignature));
}

#[tokio::test]
async fn eddsa_and_es256_servers_publish_their_public_key() {
    for alg in [Algorithm::EdDSA, Algorithm::ES256] {
        let kid = format!("{alg}_kid");
        let key = PrivateKey::generate(alg, &kid).expect("a key is generated");
        let server = Server::start(SigningKey::Private(key)).await;
        let token = server
            .token(&json!({ "roomId": "abc-defg-hij", "role": "host" }))
            .await;

        let response = server.get("/.well-known/jwks.json", None).await;
        assert_eq!(response.status(), StatusCode::OK, "{alg}");
        assert_eq!(
            response.headers().get(CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        let jwks = response.text().await.expect("a JWKS body");
        let document: Value = serde_json::from_str(&jwks).expect("JSON");
        let keys = document["keys"].as_array().expect("a key list");
        assert_eq!(keys.len(), 1, "{alg}: {jwks}");
        assert_eq!(keys[0]["kid"], kid.as_str());
        assert_eq!(keys[0]["alg"], alg.as_str());
        assert!(
            keys[0].get("d").is_none(),
            "{alg}: the JWKS leaks the private key"
        );

        let claims = TokenVerifier::from_jwks(&jwks)
            .expect("the served JWKS loads")
            .verify_with_metadata::<()>(&token)
            .expect("the token verifies with the served key");
        assert_eq!(claims.role(), Some("host"), "{alg}");
    }
}

#[tokio::test]
async fn an_hs256_server_has_no_public_key_to_serve() {
    let server = Server::start_hs256().await;
    let response = server.get("/.well-known/jwks.json", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["error"], "not_found");
    assert!(body["reason"].as_str().is_some_and(|r| r.contains("HS256")));
    // The secret is never served, nor named.
    assert!(!body.to_string().contains(SECRET));
}

#[tokio::test]
async fn bad_requests_are_400s_naming_the_field() {
    let server = Server::start_hs256().await;
    let oversized = "x".repeat(huddle_auth::rules::MAX_METADATA_BYTES);
    let cases = [
        (json!({ "role": "host" }), "roomId"),
        (json!({ "roomId": "" }), "roomId"),
        (json!({ "roomId": 42 }), "roomId"),
        (json!({ "roomId": "r", "role": "king" }), "role"),
        (json!({ "roomId": "r", "role": "Host" }), "role"),
        (json!({ "roomId": "r", "role": 7 }), "role"),
        (
            json!({ "roomId": "r", "displayName": ["Ada"] }),
            "displayName",
        ),
        (json!({ "roomId": "r", "metadata": oversized }), "metadata"),
        (json!({ "roomId": "r", "roomID": "typo" }), "body"),
        (json!(["roomId", "r"]), "body"),
    ];
    for (body, field) in cases {
        assert_refused(server.post(&body).await, StatusCode::BAD_REQUEST, field).await;
    }
    let metadata_at_the_limit = "x".repeat(huddle_auth::rules::MAX_METADATA_BYTES - 2);
    server
        .token(&json!({ "roomId": "r", "metadata": metadata_at_the_limit }))
        .await;

    for text in [
        "",
        "{",
        "{\"roomId\": \"r\",}",
        "{\"roomId\": \"r\"} trailing",
        "\u{1F600}",
    ] {
        let response = server
            .post_raw(Some("application/json"), text.as_bytes().to_vec())
            .await;
        let body = assert_refused(response, StatusCode::BAD_REQUEST, "body").await;
        assert_eq!(body["error"], "invalid_request");
    }
}

#[tokio::test]
async fn another_content_type_or_an_oversized_body_is_refused() {
    let server = Server::start_hs256().await;
    let json = br#"{"roomId": "r"}"#.to_vec();
    let response = server.post_raw(None, json.clone()).await;
    assert_refused(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "content-type").await;
    let response = server.post_raw(Some("text/plain"), json.clone()).await;
    assert_refused(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "content-type").await;
    let response = server
        .post_raw(Some("application/json; charset=utf-8"), json)
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let huge = format!(r#"{{"roomId": "{}"}}"#, "r".repeat(MAX_BODY_BYTES));
    let response = server
        .post_raw(Some("application/json"), huge.into_bytes())
        .await;
    assert_refused(response, StatusCode::PAYLOAD_TOO_LARGE, "body").await;
}

#[tokio::test]
async fn a_minted_token_opens_the_me_route() {
    let server = Server::start_hs256().await;
    let token = server
        .token(&json!({ "roomId": "abc-defg-hij", "role": "listener", "displayName": "Ada" }))
        .await;
    let response = server.get("/me", Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let claims: Value = response.json().await.expect("the claims as JSON");
    assert_eq!(claims["roomId"], "abc-defg-hij");
    assert_eq!(claims["role"], "listener");
    assert_eq!(claims["displayName"], "Ada");
    assert_eq!(
        claims["permissions"],
        json!(Role::Listener.permissions()),
        "{claims}"
    );

    let response = server.get("/me", None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = server.get("/me", Some("not-a-jwt")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = server.get("/nowhere", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

fn config_from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    // The lookup hands values over in `Zeroizing`, as the process
    // environment's does: a secret never sits in a plain `String`.
    Config::from_lookup(|name| vars.get(name).cloned().map(Zeroizing::new))
}

#[test]
fn the_environment_must_name_exactly_one_signing_key() {
    assert_eq!(config_from(&[]).err(), Some(ConfigError::MissingKey));
    assert_eq!(
        config_from(&[(ENV_API_KEY, KID)]).err(),
        Some(ConfigError::MissingKey)
    );
    assert_eq!(
        config_from(&[(ENV_API_SECRET, SECRET)]).err(),
        Some(ConfigError::MissingKey)
    );
    assert_eq!(
        config_from(&[(ENV_API_KEY, KID), (ENV_API_SECRET, "")]).err(),
        Some(ConfigError::MissingKey)
    );
    assert_eq!(
        config_from(&[
            (ENV_API_KEY, KID),
            (ENV_API_SECRET, SECRET),
            (ENV_PRIVATE_KEY_FILE, "/nonexistent.pem"),
        ])
        .err(),
        Some(ConfigError::TwoKeys)
    );
    let message = ConfigError::MissingKey.to_string();
    for name in [ENV_API_KEY, ENV_API_SECRET, ENV_PRIVATE_KEY_FILE] {
        assert!(message.contains(name), "{message}");
    }
}

#[test]
fn a_short_secret_is_refused_without_showing_it() {
    let error = config_from(&[(ENV_API_KEY, KID), (ENV_API_SECRET, "short but secret")])
        .err()
        .expect("a 16-byte secret is refused");
    assert_eq!(
        error,
        ConfigError::Key {
            variable: ENV_API_SECRET,
            error: KeyError::SecretTooShort { bytes: 16 },
        }
    );
    assert!(!error.to_string().contains("short but secret"));
    assert!(!format!("{error:?}").contains("short but secret"));
}

#[test]
fn hs256_from_the_environment_listens_on_loopback() {
    let config = config_from(&[(ENV_API_KEY, KID), (ENV_API_SECRET, SECRET)])
        .expect("a complete environment");
    assert_eq!(config.signer().algorithm(), Algorithm::HS256);
    assert_eq!(config.signer().key_id(), KID);
    assert_eq!(
        config.addr(),
        SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT))
    );

    let config = config_from(&[
        (ENV_API_KEY, KID),
        (ENV_API_SECRET, SECRET),
        (ENV_PORT, "9000"),
    ])
    .expect("a complete environment");
    assert_eq!(config.addr(), SocketAddr::from(([127, 0, 0, 1], 9000)));
    for port in ["http", "-1", "65536"] {
        assert_eq!(
            config_from(&[
                (ENV_API_KEY, KID),
                (ENV_API_SECRET, SECRET),
                (ENV_PORT, port)
            ])
            .err(),
            Some(ConfigError::Port {
                value: port.to_owned()
            })
        );
    }
}

#[test]
fn a_private_key_file_signs_with_its_algorithm() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir = dir.path();
    for alg in [Algorithm::EdDSA, Algorithm::ES256] {
        let pem = PrivateKey::generate(alg, "unused")
            .expect("a key is generated")
            .to_pkcs8_pem()
            .expect("the key is encoded");
        let path = dir.join(format!("{alg}.pem"));
        std::fs::write(&path, pem.as_bytes()).expect("the PEM is written");
        let path = path.to_str().expect("a UTF-8 path");
        let config = config_from(&[(ENV_API_KEY, KID), (ENV_PRIVATE_KEY_FILE, path)])
            .expect("the key file is read");
        assert_eq!(config.signer().algorithm(), alg);
        assert_eq!(config.signer().key_id(), KID, "the API key is the kid");
    }
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "not a key").expect("a file is written");
    let garbage = garbage.to_str().expect("a UTF-8 path");
    assert!(matches!(
        config_from(&[(ENV_API_KEY, KID), (ENV_PRIVATE_KEY_FILE, garbage)]),
        Err(ConfigError::Key {
            variable: ENV_PRIVATE_KEY_FILE,
            ..
        })
    ));
    let missing = dir.join("missing.pem");
    let missing = missing.to_str().expect("a UTF-8 path");
    assert!(matches!(
        config_from(&[(ENV_API_KEY, KID), (ENV_PRIVATE_KEY_FILE, missing)]),
        Err(ConfigError::KeyFile { .. })
    ));
}

/// The example with none of its variables inherited from the caller.
fn example_command() -> Command {
    let mut command = Command::new(Program::TokenServerExample.path());
    for name in [
        ENV_API_KEY,
        ENV_API_SECRET,
        ENV_PRIVATE_KEY_FILE,
        ENV_PORT,
        ENV_WEBHOOKS,
    ] {
        command.env_remove(name);
    }
    command.stdin(Stdio::null());
    command
}

#[test]
fn the_example_without_a_key_says_so_and_exits_2() {
    for partial in [
        &[][..],
        &[(ENV_API_KEY, KID)][..],
        &[(ENV_API_SECRET, SECRET)][..],
    ] {
        let output = example_command()
            .envs(partial.iter().copied())
            .output()
            .expect("the example runs");
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert!(output.stdout.is_empty(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no signing key"), "{stderr}");
        assert!(stderr.contains(ENV_API_SECRET) && stderr.contains(ENV_PRIVATE_KEY_FILE));
        assert!(!stderr.contains(SECRET), "the secret was printed: {stderr}");
    }
    let output = example_command()
        .envs([(ENV_API_KEY, KID), (ENV_API_SECRET, "too short")])
        .output()
        .expect("the example runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("at least 32 bytes"), "{stderr}");
    assert!(
        !stderr.contains("too short"),
        "the secret was printed: {stderr}"
    );
}

/// A child process killed when the test ends, whether it passes or panics.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        // Already exited is fine; the point is never to leave a server behind.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_example_binary_serves_tokens_on_loopback() {
    let child = example_command()
        .envs([
            (ENV_API_KEY, KID),
            (ENV_API_SECRET, SECRET),
            (ENV_PORT, "0"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let mut running = Running(child);
    let stderr = running.0.stderr.take().expect("stderr is piped");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stderr).read_line(&mut line).map(|_| line);
        let _ = sender.send(read);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("the example says where it listens within 30 s")
        .expect("stderr is readable");
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .map(|url| url.trim_end_matches(','))
        .unwrap_or_else(|| panic!("no loopback URL in {line:?}"))
        .to_owned();
    assert!(line.contains("HS256") && line.contains(KID), "{line}");

    let server = Server {
        base,
        client: loopback::client(),
    };
    let token = server
        .token(&json!({ "roomId": "abc-defg-hij", "role": "moderator" }))
        .await;
    let moderator = verifier()
        .verify_as::<Moderator>(&token)
        .expect("the example's token verifies");
    assert_eq!(moderator.room_id(), "abc-defg-hij");
    assert_eq!(
        running.0.try_wait().expect("the child can be polled"),
        None,
        "the server is still running"
    );
}

#[test]
fn huddle_webhooks_is_a_switch() {
    let base = [(ENV_API_KEY, KID), (ENV_API_SECRET, SECRET)];
    assert!(config_from(&base).expect("a config").webhooks().is_none());
    for on in ["1", "true"] {
        let config = config_from(&[base[0], base[1], (ENV_WEBHOOKS, on)]).expect("a config");
        assert!(config.webhooks().is_some(), "{on}");
    }
    assert!(matches!(
        config_from(&[base[0], base[1], (ENV_WEBHOOKS, "yes")]),
        Err(ConfigError::Switch { .. })
    ));
}

/// The first line of `stream`, within 30 s.
fn first_line(stream: impl std::io::Read + Send + 'static) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stream).read_line(&mut line).map(|_| line);
        let _ = sender.send(read);
    });
    receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("a line within 30 s")
        .expect("the stream is readable")
}

#[tokio::test]
async fn the_example_binary_prints_one_line_per_verified_webhook() {
    let child = example_command()
        .envs([
            (ENV_API_KEY, KID),
            (ENV_API_SECRET, SECRET),
            (ENV_PORT, "0"),
            (ENV_WEBHOOKS, "1"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let mut running = Running(child);
    let started = first_line(running.0.stderr.take().expect("stderr is piped"));
    assert!(
        started.contains("receiving webhooks at POST /webhooks/huddle01"),
        "{started}"
    );
    let base = started
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .map(|url| url.trim_end_matches(','))
        .unwrap_or_else(|| panic!("no loopback URL in {started:?}"))
        .to_owned();
    let body = r#"{"id":"evt_9","event":"peer:joined","payload":{"id":"peer_1","sessionId":"s1","roomId":"abc-defg-hij","joinedAt":1700000000000,"browser":{},"device":{}}}"#;
    // The key is HUDDLE_API_KEY's value; the MAC is jsonwebtoken's, not the crate's.
    let t = now_millis().to_string();
    let header = webhook_header(KID, &t, true, &format!("evt_9.{t}.{body}"));
    let response = loopback::client()
        .post(format!("{base}/webhooks/huddle01"))
        .header("huddle01-signature", header)
        .body(body)
        .send()
        .await
        .expect("the example answers");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let line = first_line(running.0.stdout.take().expect("stdout is piped"));
    assert!(line.starts_with("webhook peer:joined evt_9 {"), "{line}");
    assert!(line.contains("\"roomId\":\"abc-defg-hij\""), "{line}");
}
