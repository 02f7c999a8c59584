//! `huddle-auth room create` and `huddle-auth token --hosted` end to end:
//! the binary built with `cli` and `hosted`, against the loopback fake of
//! Huddle01's infra; and the local `token` with the infra's three claims.

mod hosted;

use assert_cmd::Command;
use huddle_auth_tests::fixtures::{payload_json, Program, SECRET};
use serde_json::json;

use hosted::{Fake, Mode, API_KEY, CREATE_ROOM_PATH, KNOWN_ROOM, PEER_TOKEN_PATH};

/// The binary with the fake's API key and URL, and with the suite's API
/// secret set too, so that a test can check it is never sent.
fn cli(fake: &Fake) -> Command {
    let mut command = Command::new(Program::Cli.path());
    command
        .env("HUDDLE_API_KEY", API_KEY)
        .env("HUDDLE_API_SECRET", SECRET)
        .env("HUDDLE01_API_URL", &fake.url)
        .env("RUST_BACKTRACE", "1");
    command
}

fn stdout_line(output: &std::process::Output) -> String {
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    stdout.trim_end().to_owned()
}

/// Exit status 1 and exactly one stderr line, returned.
fn failure_line(output: &std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        !stderr.contains(API_KEY) && !stderr.contains(SECRET),
        "{stderr}"
    );
    stderr.trim_end().to_owned()
}

fn assert_secret_never_sent(fake: &Fake) {
    for request in fake.requests() {
        assert!(!String::from_utf8_lossy(&request.body).contains(SECRET));
        for value in request.headers.values() {
            assert!(!value.to_str().unwrap_or_default().contains(SECRET));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn room_create_prints_the_room_id_alone() {
    let fake = Fake::start().await;
    let output = cli(&fake)
        .args(["room", "create", "--locked", "--metadata", "weekly sync"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(stdout_line(&output), "fake-room-1");
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, CREATE_ROOM_PATH);
    assert_eq!(requests[0].header("x-api-key"), Some(API_KEY));
    assert_eq!(
        requests[0].body,
        br#"{"roomLocked":true,"metadata":"weekly sync"}"#
    );
    assert_secret_never_sent(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_hosted_sends_every_flag_and_prints_the_infra_token_alone() {
    let fake = Fake::start().await;
    let output = cli(&fake)
        .env_remove("HUDDLE01_API_URL")
        .args([
            "token",
            "--hosted",
            "--api-url",
            &fake.url,
            "--room",
            KNOWN_ROOM,
        ])
        .args([
            "--role",
            "host",
            "--permissions",
            r#"{"canProduceSources":{"cam":false}}"#,
        ])
        .args(["--metadata", r#"{ "z": 1, "a": true }"#, "--max-peers", "5"])
        .args([
            "--room-type",
            "AUDIO",
            "--mute-on-entry",
            "--video-on-entry",
        ])
        .args(["--ttl", "2h"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let token = stdout_line(&output);
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, PEER_TOKEN_PATH);
    assert_eq!(
        requests[0].json(),
        json!({
            "roomId": "kgg-iyre-bks",
            "permissions": {
                "admin": true, "canConsume": true, "canProduce": true,
                "canProduceSources": { "cam": false, "mic": true, "screen": true },
                "canSendData": true, "canRecvData": true, "canUpdateMetadata": true,
            },
            "role": "host",
            "metadata": "{\"z\":1,\"a\":true}",
            "options": { "maxPeersAllowed": 5 },
            "roomType": "AUDIO",
            "muteOnEntry": true,
            "videoOnEntry": true,
            "ttl": 7200,
        })
    );
    // The infra's token, as issued: Huddle01's claims, not this crate's.
    let claims = payload_json(&token);
    assert_eq!(claims["iss"], "Huddle01");
    assert_eq!(claims["roomId"], "kgg-iyre-bks");
    assert_secret_never_sent(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn infra_failures_exit_1_with_one_line_naming_the_cause() {
    let fake = Fake::start().await;
    let wrong_key = cli(&fake)
        .env("HUDDLE_API_KEY", "ak_wrong")
        .args(["token", "--hosted", "--room", KNOWN_ROOM])
        .output()
        .expect("the binary runs");
    assert_eq!(
        failure_line(&wrong_key),
        "error: HUDDLE_API_KEY: rejected by Huddle01's infra (401): the API key is missing or invalid"
    );
    let unknown_room = cli(&fake)
        .args(["token", "--hosted", "--room", "no-such-room"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        failure_line(&unknown_room),
        r#"error: --room: "no-such-room" not found for this API key (404)"#
    );
    fake.set_mode(Mode::Raw(503, b"upstream\nbusy".to_vec()));
    let busy = cli(&fake)
        .args(["room", "create"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        failure_line(&busy),
        "error: Huddle01's infra: answered 503: upstream busy"
    );
    fake.set_mode(Mode::TokenFor("elsewhere".to_owned()));
    let other_room = cli(&fake)
        .args(["token", "--hosted", "--room", KNOWN_ROOM])
        .output()
        .expect("the binary runs");
    assert_eq!(
        failure_line(&other_room),
        r#"error: Huddle01's infra: invalid response: the token is for room "elsewhere", not "kgg-iyre-bks""#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_infra_exits_1() {
    let fake = Fake::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port();
    let output = cli(&fake)
        .env("HUDDLE01_API_URL", format!("http://127.0.0.1:{port}"))
        .args(["room", "create"])
        .output()
        .expect("the binary runs");
    let line = failure_line(&output);
    assert!(
        line.starts_with("error: Huddle01's infra: unreachable: "),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_1_with_no_request_made() {
    let fake = Fake::start().await;
    let cases: [(&[&str], &str); 5] = [
        (
            &["room", "create", "--metadata", &"x".repeat(1023)],
            "error: --metadata: room metadata is 1025 bytes as JSON, over the limit of 1024",
        ),
        (
            &[
                "token",
                "--hosted",
                "--room",
                KNOWN_ROOM,
                "--max-peers",
                "0",
            ],
            "error: --max-peers: ",
        ),
        (
            &[
                "token",
                "--hosted",
                "--room",
                KNOWN_ROOM,
                "--permissions",
                r#"{"canProduce":false}"#,
            ],
            "error: --permissions canProduceSources.cam: ",
        ),
        (
            &[
                "token",
                "--hosted",
                "--room",
                KNOWN_ROOM,
                "--metadata",
                "{not json",
            ],
            "error: --metadata: not valid JSON",
        ),
        (
            &["token", "--hosted", "--room", KNOWN_ROOM, "--ttl", "0"],
            "error: --ttl: ",
        ),
    ];
    for (args, expected) in cases {
        let output = cli(&fake).args(args).output().expect("the binary runs");
        let line = failure_line(&output);
        assert!(line.starts_with(expected), "{args:?}: {line}");
    }
    let no_key = cli(&fake)
        .env_remove("HUDDLE_API_KEY")
        .args(["room", "create"])
        .output()
        .expect("the binary runs");
    assert!(failure_line(&no_key).starts_with("error: HUDDLE_API_KEY: not set"));
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2() {
    let fake = Fake::start().await;
    for args in [
        &[
            "token",
            "--hosted",
            "--room",
            KNOWN_ROOM,
            "--key-file",
            "k.pem",
        ][..],
        &["token", "--hosted", "--room", KNOWN_ROOM, "--peer-id", "p1"][..],
        &["token", "--room", KNOWN_ROOM, "--room-type", "video"][..],
        &["room", "create", "--locked=maybe"][..],
        &["room"][..],
    ] {
        let output = cli(&fake).args(args).output().expect("the binary runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    }
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_token_carries_room_type_and_entry_flags() {
    let fake = Fake::start().await;
    let output = cli(&fake)
        .args([
            "token",
            "--room",
            "abc-defg-hij",
            "--room-type",
            "VIDEO",
            "--mute-on-entry",
        ])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let claims = payload_json(&stdout_line(&output));
    assert_eq!(claims["roomType"], "VIDEO");
    assert_eq!(claims["muteOnEntry"], true);
    assert!(claims.get("videoOnEntry").is_none(), "{claims}");
    // Local minting never calls the infra.
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_url_in_clear_off_loopback_is_refused_before_any_request() {
    let fake = Fake::start().await;
    let expected = "must use https; plain http is allowed only to loopback \
                    (127.0.0.0/8, ::1, localhost), not to 10.255.255.1";
    // Only strings: the client refuses the URL when built, before any I/O.
    for (args, variable) in [
        (
            &[
                "token",
                "--hosted",
                "--room",
                KNOWN_ROOM,
                "--api-url",
                "http://10.255.255.1",
            ][..],
            None,
        ),
        (&["room", "create"][..], Some("http://10.255.255.1/")),
    ] {
        let mut command = cli(&fake);
        if let Some(url) = variable {
            command.env("HUDDLE01_API_URL", url);
        }
        let output = command.args(args).output().expect("the binary runs");
        let line = failure_line(&output);
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hosted_mistake_shows_the_usage_line_of_help_not_the_flags_given() {
    let fake = Fake::start().await;
    let output = cli(&fake)
        .args([
            "token",
            "--hosted",
            "--api-url",
            &fake.url,
            "--api-key",
            "ak",
        ])
        .args(["--room", KNOWN_ROOM, "--peer-id", "p1"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr.contains("\nUsage: huddle-auth token [OPTIONS] --room <ID>\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("--api-url <URL>"), "{stderr}");
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_hosted_without_ttl_sends_none_and_takes_the_infra_lifetime() {
    let fake = Fake::start().await;
    let output = cli(&fake)
        .args(["token", "--hosted", "--room", KNOWN_ROOM])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let claims = payload_json(&stdout_line(&output));
    assert_eq!(
        claims["exp"]
            .as_u64()
            .zip(claims["iat"].as_u64())
            .map(|(e, i)| e - i),
        Some(10_800)
    );
    assert!(fake.requests()[0].json().get("ttl").is_none());

    // A --ttl shorter than the infra's lifetime, which the infra ignores.
    fake.set_mode(Mode::Lifetime(hosted::THREE_HOURS));
    let output = cli(&fake)
        .args(["token", "--hosted", "--room", KNOWN_ROOM, "--ttl", "1h"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        failure_line(&output),
        "error: Huddle01's infra: invalid response: the token lives 10800 s, longer than \
         the ttl of 3600 s asked for"
    );
    assert_eq!(fake.requests()[1].json()["ttl"], 3600);
}
