//! `huddle-auth token`: the claims it mints, and every refusal under the
//! flag at fault.

use huddle_auth::{Permissions, ProduceSources, Role};

use crate::support::*;

#[test]
fn prints_the_jwt_alone_with_every_claim_asked_for() {
    let token = mint(&[
        "--role",
        "host",
        "--metadata",
        r#"{ "walletAddress": "mizanxali.eth", "a": [1, 2] }"#,
        "--ttl",
        "90m",
        "--max-peers",
        "10",
        "--peer-id",
        "peer_fixed",
        "--display-name",
        "Mizan",
    ]);
    let claims = verified(&token);
    assert_eq!(claims.room_id(), ROOM);
    assert_eq!(claims.project_id(), Some(KID));
    assert_eq!(claims.role(), Some("host"));
    assert_eq!(*claims.permissions(), Role::Host.permissions());
    assert_eq!(claims.peer_id(), "peer_fixed");
    assert_eq!(claims.display_name(), Some("Mizan"));
    assert_eq!(claims.max_peers_allowed(), Some(10));
    assert_eq!(claims.expires_at() - claims.issued_at(), 90 * 60);
    // Compact, in the order given, as JSON.stringify would send it.
    assert_eq!(
        claims.metadata_json(),
        Some(r#"{"walletAddress":"mizanxali.eth","a":[1,2]}"#)
    );
}

#[test]
fn defaults_to_no_role_the_default_permissions_and_four_hours() {
    let claims = verified(&mint(&[]));
    assert_eq!(claims.role(), None);
    assert_eq!(*claims.permissions(), Permissions::DEFAULT);
    assert_eq!(claims.expires_at() - claims.issued_at(), 4 * 60 * 60);
    assert!(claims.peer_id().starts_with("peer_"));
    assert_eq!(claims.metadata_json(), None);
}

#[test]
fn ttl_takes_seconds_and_the_sdk_strings() {
    for (ttl, seconds) in [
        ("3600", 3600),
        ("4h", 14_400),
        ("7d", 604_800),
        ("2 days", 172_800),
    ] {
        let claims = verified(&mint(&["--ttl", ttl]));
        assert_eq!(claims.expires_at() - claims.issued_at(), seconds, "{ttl}");
    }
}

#[test]
fn permissions_merge_over_a_predefined_role_or_the_defaults_of_a_custom_one() {
    let cases = [
        (
            "speaker",
            r#"{"canProduceSources":{"screen":false},"canSendData":false}"#,
            Permissions {
                can_produce_sources: ProduceSources {
                    cam: false,
                    mic: true,
                    screen: false,
                },
                can_send_data: false,
                ..Role::Speaker.permissions()
            },
        ),
        (
            "moderator",
            r#"{"admin":true,"canProduceSources":{"cam":false}}"#,
            Permissions {
                admin: true,
                can_produce_sources: ProduceSources {
                    cam: false,
                    ..ProduceSources::ALL
                },
                ..Permissions::DEFAULT
            },
        ),
    ];
    for (role, overrides, expected) in cases {
        let claims = verified(&mint(&["--role", role, "--permissions", overrides]));
        assert_eq!(claims.role(), Some(role));
        assert_eq!(*claims.permissions(), expected, "{role}");
    }
}

#[test]
fn every_predefined_role_carries_the_sdk_permissions() {
    for role in Role::ALL {
        let claims = verified(&mint(&["--role", role.as_str()]));
        assert_eq!(claims.role(), Some(role.as_str()));
        assert_eq!(*claims.permissions(), role.permissions(), "{role}");
    }
}

#[test]
fn a_custom_role_needs_permissions() {
    refused(
        &mut token_with_key(&["--role", "moderator"]),
        "--role: \"moderator\" is not a predefined role (host, coHost, speaker, listener, \
         guest, bot); a custom role needs --permissions",
    );
}

#[test]
fn a_custom_role_name_breaking_rule_3_is_refused_with_the_rule() {
    for (name, rule) in [
        (
            "a-role-name-over-20-chars",
            "a custom role name is at most 20 characters, this one has 25",
        ),
        (
            "mod erator",
            "a custom role name may hold only ASCII letters, digits, `_` and `-`, not ' '",
        ),
        (
            "modérateur",
            "a custom role name may hold only ASCII letters, digits, `_` and `-`, not 'é'",
        ),
    ] {
        let expected = format!("--role: {rule}");
        refused(
            &mut token_with_key(&["--role", name, "--permissions", "{}"]),
            &expected,
        );
        // Named as such even without --permissions.
        refused(&mut token_with_key(&["--role", name]), &expected);
    }
}

#[test]
fn a_predefined_role_in_another_case_gets_a_suggestion() {
    for (name, meant) in [
        ("Host", "host"),
        ("COHOST", "coHost"),
        ("cohost", "coHost"),
        ("Speaker", "speaker"),
    ] {
        let expected = format!(
            "--role: {name:?} is not a role; did you mean `{meant}`? (role names are case-sensitive)"
        );
        refused(&mut token_with_key(&["--role", name]), &expected);
        refused(
            &mut token_with_key(&["--role", name, "--permissions", "{}"]),
            &expected,
        );
    }
}

#[test]
fn permissions_breaking_rules_1_and_2_are_refused_under_the_permission() {
    rejected(
        &mut token_with_key(&["--permissions", r#"{"canProduce":false}"#]),
        "error: --permissions canProduceSources.cam: ",
    );
    rejected(
        &mut token_with_key(&[
            "--role",
            "host",
            "--permissions",
            r#"{"canProduceSources":{"cam":false,"mic":false,"screen":false}}"#,
        ]),
        "error: --permissions canProduce: ",
    );
    // A custom role's permissions are checked as it is built, with the same prefix.
    rejected(
        &mut token_with_key(&[
            "--role",
            "moderator",
            "--permissions",
            r#"{"canProduce":false}"#,
        ]),
        "error: --permissions canProduceSources.cam: ",
    );
}

#[test]
fn malformed_permissions_are_rejected_naming_the_key() {
    for (json, needle) in [
        ("{", "--permissions: not valid JSON"),
        (
            r#"{"canProduce":true} x"#,
            "--permissions: not valid JSON: trailing",
        ),
        (r#"{"admin":true,"admin":false}"#, "duplicate field `admin`"),
        (
            r#"{"canProduceSources":[false,true]}"#,
            "--permissions canProduceSources: must be a JSON object",
        ),
        (r#"{"can_produce":true}"#, "unknown field `can_produce`"),
        (
            r#"{"canProduceSources":{"cam":"yes"}}"#,
            "--permissions canProduceSources.cam: invalid type",
        ),
        ("[]", "--permissions: must be a JSON object"),
        ("true", "--permissions: invalid type"),
    ] {
        rejected(&mut token_with_key(&["--permissions", json]), needle);
    }
}

#[test]
fn bad_metadata_is_refused_under_the_flag() {
    rejected(
        &mut token_with_key(&["--metadata", "{walletAddress: 1}"]),
        "error: --metadata: not valid JSON",
    );
    let large = format!("\"{}\"", "a".repeat(5200));
    let message = rejected(
        &mut token_with_key(&["--metadata", &large]),
        "error: --metadata: ",
    );
    assert!(message.contains("5202 bytes"), "{message}");
}

#[test]
fn bad_ttl_max_peers_room_and_peer_id_are_refused_under_the_flag() {
    refused(
        &mut token_with_key(&["--ttl", "0"]),
        "--ttl: must be positive",
    );
    for ttl in ["-5", "forever"] {
        rejected(
            &mut token_with_key(&["--ttl", ttl]),
            &format!("error: --ttl: {ttl:?} is not a duration ("),
        );
    }
    rejected(
        &mut token_with_key(&["--max-peers", "0"]),
        "error: --max-peers: ",
    );
    rejected(
        cli_with_key().args(["token", "--room", ""]),
        "error: --room: ",
    );
    rejected(
        &mut token_with_key(&["--peer-id", ""]),
        "error: --peer-id: ",
    );
}

#[test]
fn takes_the_flag_names_of_livekit_lk_token_create() {
    let claims = verified(&mint(&[
        "--identity",
        "peer_lk",
        "--name",
        "Ada",
        "--valid-for",
        "2h",
    ]));
    assert_eq!(claims.peer_id(), "peer_lk");
    assert_eq!(claims.display_name(), Some("Ada"));
    assert_eq!(claims.expires_at() - claims.issued_at(), 7_200);
    let assert = run(cli().args(["token", "--help"])).success();
    let help = stdout_of(&assert);
    for alias in [
        "[alias: --identity]",
        "[alias: --name]",
        "[alias: --valid-for]",
    ] {
        assert!(help.contains(alias), "{alias} is not shown in:\n{help}");
    }
}

#[test]
fn usage_errors_exit_2() {
    usage_error(cli_with_key().arg("token"));
    usage_error(&mut token_with_key(&["--max-peers", "ten"]));
    usage_error(&mut token_with_key(&["--alg", "hs256"]));
    usage_error(&mut token_with_key(&["--alg", "none"]));
    usage_error(&mut token_with_key(&["--bogus"]));
    usage_error(&mut cli());
    usage_error(cli().arg("mint"));
}
