//! `huddle-auth webhook verify` and `webhook sign`: the golden vectors, the
//! replay window, each refusal on one stderr line, usage errors, and a
//! header from `sign` that the receiver accepts.

use huddle_auth::webhooks::WebhookReceiver;
use huddle_auth_tests::fixtures::{now_millis, webhook_vectors, WEBHOOK_API_KEY, WEBHOOK_VECTOR_T};
use serde_json::{json, Value};

use crate::support::{cli, rejected, run, stdout_of, temp_dir, usage_error, utf8};

fn webhook(args: &[&str]) -> assert_cmd::Command {
    let mut command = cli();
    command
        .env("HUDDLE_API_KEY", WEBHOOK_API_KEY)
        .arg("webhook")
        .args(args);
    command
}

#[test]
fn verify_prints_the_event_as_one_line_of_json() {
    let v = &webhook_vectors()[0];
    let assert = run(webhook(&[
        "verify",
        "--signature",
        &v.header512,
        "--tolerance",
        "none",
        "-",
    ])
    .write_stdin(v.raw_body.clone()))
    .success()
    .stderr("");
    let stdout = stdout_of(&assert);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(r#"{"id":"evt_1","event":"meeting:started","payload":{"#),
        "{stdout}"
    );
    let line: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        line,
        json!({"id":"evt_1","event":"meeting:started","payload":{"sessionId":"s1","roomId":"abc-defg-hij","createdAt":1700000000000u64}})
    );
}

#[test]
fn verify_reads_a_file_and_every_golden_vector_passes() {
    let dir = temp_dir();
    for v in webhook_vectors() {
        let file = dir.path().join(format!("{}.json", v.name));
        std::fs::write(&file, &v.raw_body).expect("writable");
        run(&mut webhook(&[
            "verify",
            "--signature",
            &v.header256,
            "--tolerance",
            "none",
            utf8(&file),
        ]))
        .success();
    }
}

#[test]
fn a_stale_webhook_says_how_old_and_a_bad_one_which_algorithm() {
    let v = &webhook_vectors()[1];
    let line = rejected(
        webhook(&["verify", "--signature", &v.header256]).write_stdin(v.raw_body.clone()),
        "webhook rejected: the timestamp is ",
    );
    let age = line
        .strip_prefix("error: webhook rejected: the timestamp is ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|secs| secs.parse::<f64>().ok())
        .expect("an age in seconds");
    assert!(
        age * 1000.0 >= (now_millis() - WEBHOOK_VECTOR_T) as f64 - 60_000.0,
        "{line}"
    );
    assert!(
        line.ends_with(" s old, more than the 300 s accepted\n"),
        "{line}"
    );
    rejected(
        webhook(&["verify", "--signature", &v.header256, "--tolerance", "1h"])
            .write_stdin(v.raw_body.clone()),
        "more than the 3600 s accepted",
    );
    // The last hex digit changed: still well-formed, no longer the MAC.
    let mut forged = v.header512.clone();
    let last = forged.pop().expect("a digit");
    forged.push(if last == '0' { '1' } else { '0' });
    rejected(
        webhook(&["verify", "--signature", &forged, "--tolerance", "none"])
            .write_stdin(v.raw_body.clone()),
        "webhook rejected: the sha512 signature does not match the body",
    );
}

#[test]
fn refusals_name_the_reason_and_never_the_key() {
    let v = &webhook_vectors()[0];
    for (args, body, needle) in [
        (
            vec!["verify", "--signature", "t=1,sha1=00"],
            v.raw_body.as_str(),
            "the algorithm \"sha1\"",
        ),
        (
            vec!["verify", "--signature", "sha256=00"],
            v.raw_body.as_str(),
            "does not start with t=",
        ),
        (
            vec!["verify", "--signature", &v.header256, "--tolerance", "none"],
            "{\"id\":",
            "not JSON at byte 6",
        ),
        (
            vec!["verify", "--signature", &v.header256, "--tolerance", "soon"],
            v.raw_body.as_str(),
            "--tolerance: \"soon\" is not a duration",
        ),
        (vec!["sign"], "{\"id\":0}", "cannot sign: body: the id is 0"),
    ] {
        let line = rejected(webhook(&args).write_stdin(body.to_owned()), needle);
        assert!(!line.contains(WEBHOOK_API_KEY), "{line}");
    }
}

#[test]
fn a_missing_key_names_huddle_api_key() {
    let v = &webhook_vectors()[0];
    for sub in ["verify", "sign"] {
        let mut command = cli();
        command.args(["webhook", sub]);
        if sub == "verify" {
            command.args(["--signature", &v.header256]);
        }
        rejected(
            command.write_stdin(v.raw_body.clone()),
            "HUDDLE_API_KEY: not set",
        );
    }
    // --api-key stands in for the variable.
    let mut command = cli();
    command
        .args([
            "webhook",
            "verify",
            "--tolerance",
            "none",
            "--api-key",
            WEBHOOK_API_KEY,
            "--signature",
            &v.header256,
        ])
        .write_stdin(v.raw_body.clone());
    run(&mut command).success();
}

#[test]
fn sign_writes_the_golden_headers_and_now_by_default() {
    for v in webhook_vectors() {
        for (alg, header) in [("sha256", &v.header256), ("sha512", &v.header512)] {
            let assert = run(
                webhook(&["sign", "--timestamp", "1700000000000", "--alg", alg])
                    .write_stdin(v.raw_body.clone()),
            )
            .success()
            .stderr("");
            assert_eq!(stdout_of(&assert), format!("{header}\n"), "{}", v.name);
        }
    }
    let body = r#"{"id":"evt_1","event":"meeting:started","payload":{}}"#;
    let before = now_millis();
    let assert = run(webhook(&["sign", "-"]).write_stdin(body)).success();
    let header = stdout_of(&assert).trim().to_owned();
    let receiver = WebhookReceiver::new(WEBHOOK_API_KEY).expect("a key");
    let verified = receiver
        .receive(body.as_bytes(), &header)
        .expect("a header for now");
    assert!(verified.timestamp_millis() >= before, "{header}");
    // And `verify` takes what `sign` wrote.
    run(webhook(&["verify", "--signature", &header]).write_stdin(body)).success();
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["verify"],
        vec!["sign", "--alg", "md5"],
        vec!["sign", "--timestamp", "yesterday"],
        vec!["frobnicate"],
    ] {
        usage_error(webhook(&args).write_stdin("{}"));
    }
}
