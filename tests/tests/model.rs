//! The permission model against the published SDK: the role table, the
//! default permissions, the limits, the wire keys and the rules.

use huddle_auth::rules::{self, MAX_METADATA_BYTES, MAX_ROLE_NAME_CHARS};
use huddle_auth::{
    may_assign_role, CustomRole, Permissions, PermissionsPatch, ProduceSources, Role,
    RuleViolation, Source, Ttl,
};
use huddle_auth_tests::fixtures::sdk_reference;
use serde_json::json;

#[test]
fn predefined_roles_equal_the_sdk_table() {
    let reference = sdk_reference();
    let table = reference["ROLE_PERMISSIONS"]
        .as_object()
        .expect("ROLE_PERMISSIONS is an object");
    assert_eq!(table.len(), Role::ALL.len());
    for role in Role::ALL {
        let expected = &table[role.as_str()];
        let ours = serde_json::to_value(role.permissions()).expect("permissions serialize");
        assert_eq!(&ours, expected, "role {role}");
        let parsed: Permissions =
            serde_json::from_value(expected.clone()).expect("the SDK's permissions parse");
        assert_eq!(parsed, role.permissions(), "role {role}");
    }
}

#[test]
fn role_wire_names_equal_the_sdk_enum() {
    let reference = sdk_reference();
    let names: Vec<&str> = reference["Role"]
        .as_object()
        .expect("Role is an object")
        .values()
        .map(|v| v.as_str().expect("role names are strings"))
        .collect();
    let mut ours: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let mut theirs = names.clone();
    ours.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ours, theirs);
    for name in names {
        let role = Role::from_wire(name).expect("every SDK role is known");
        assert_eq!(
            serde_json::to_value(role).expect("roles serialize"),
            json!(name)
        );
    }
}

#[test]
fn default_permissions_and_limits_equal_the_sdk() {
    let reference = sdk_reference();
    assert_eq!(
        serde_json::to_value(Permissions::DEFAULT).expect("serializes"),
        reference["DEFAULT_PERMISSIONS"]
    );
    assert_eq!(
        reference["MAX_METADATA_SIZE_BYTES"],
        json!(MAX_METADATA_BYTES)
    );
    assert_eq!(
        reference["MAX_CUSTOM_ROLE_NAME_CHARS"],
        json!(MAX_ROLE_NAME_CHARS)
    );
    let default_ttl = reference["DEFAULT_TTL"].as_str().expect("a string");
    assert_eq!(
        Ttl::from(default_ttl).seconds().expect("parses"),
        Ttl::DEFAULT.seconds().expect("positive")
    );
}

#[test]
fn permissions_serialize_with_exactly_the_seven_wire_keys() {
    let value = serde_json::to_value(Permissions::DEFAULT).expect("serializes");
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = Permissions::KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(
        value["canProduceSources"],
        json!({"cam": true, "mic": true, "screen": true})
    );
}

#[test]
fn permissions_refuse_missing_and_unknown_keys() {
    let mut value = serde_json::to_value(Permissions::DEFAULT).expect("serializes");
    value
        .as_object_mut()
        .expect("an object")
        .remove("canRecvData");
    let error = serde_json::from_value::<Permissions>(value.clone()).expect_err("missing key");
    assert!(error.to_string().contains("canRecvData"), "{error}");

    value["canRecvData"] = json!(true);
    value["canFly"] = json!(true);
    let error = serde_json::from_value::<Permissions>(value).expect_err("unknown key");
    assert!(error.to_string().contains("canFly"), "{error}");
}

#[test]
fn permissions_are_usable_in_const_context() {
    const SPEAKER: Permissions = Role::Speaker.permissions();
    const CHECKED: Result<(), RuleViolation> = rules::check_permissions(&SPEAKER);
    // Evaluated by the compiler: a failure here is a build error.
    const {
        assert!(CHECKED.is_ok());
        assert!(!SPEAKER.can_produce_sources.cam);
    }
    assert_eq!(
        SPEAKER,
        Permissions {
            admin: false,
            can_consume: true,
            can_produce: true,
            can_produce_sources: ProduceSources {
                cam: false,
                mic: true,
                screen: true
            },
            can_send_data: true,
            can_recv_data: true,
            can_update_metadata: true,
        }
    );
}

#[test]
fn rule_1_sources_need_can_produce() {
    let permissions = Permissions {
        can_produce: false,
        can_produce_sources: ProduceSources::NONE.with(Source::Screen, true),
        ..Permissions::DEFAULT
    };
    let violation = rules::check_permissions(&permissions).expect_err("rule 1");
    assert_eq!(
        violation,
        RuleViolation::SourceWithoutProduce {
            source: Source::Screen
        }
    );
    assert_eq!(violation.rule(), 1);
    assert_eq!(violation.field(), "permissions.canProduceSources.screen");
    assert!(violation.to_string().contains("canProduce"));
}

#[test]
fn rule_2_can_produce_needs_a_source() {
    let permissions = Permissions {
        can_produce_sources: ProduceSources::NONE,
        ..Permissions::DEFAULT
    };
    let violation = rules::check_permissions(&permissions).expect_err("rule 2");
    assert_eq!(violation, RuleViolation::ProduceWithoutSource);
    assert_eq!(violation.rule(), 2);
    assert_eq!(violation.field(), "permissions.canProduce");
}

#[test]
fn rule_3_custom_role_names() {
    assert!(CustomRole::with_default_permissions("moderator").is_ok());
    assert!(CustomRole::with_default_permissions("stage-bot_2").is_ok());
    assert!(CustomRole::with_default_permissions("a".repeat(20)).is_ok());
    let cases = [
        ("", RuleViolation::RoleNameEmpty),
        (
            "abcdefghijklmnopqrstu",
            RuleViolation::RoleNameTooLong { chars: 21 },
        ),
        (
            "stage bot",
            RuleViolation::RoleNameCharacter { character: ' ' },
        ),
        (
            "modérateur",
            RuleViolation::RoleNameCharacter { character: 'é' },
        ),
        (
            "HOST",
            RuleViolation::RoleNamePredefined {
                predefined: Role::Host,
            },
        ),
        (
            "cohost",
            RuleViolation::RoleNamePredefined {
                predefined: Role::CoHost,
            },
        ),
    ];
    for (name, expected) in cases {
        let error = CustomRole::with_default_permissions(name).expect_err(name);
        assert_eq!(error, expected, "{name:?}");
        assert_eq!(error.rule(), 3);
        assert_eq!(error.field(), "role");
    }
}

#[test]
fn a_carried_role_is_predefined_or_a_valid_custom_name() {
    for role in Role::ALL {
        assert_eq!(rules::check_role_name(role.as_str()), Ok(()), "{role}");
    }
    assert_eq!(rules::check_role_name("moderator"), Ok(()));
    // A predefined name in another case is neither predefined nor a valid custom name.
    assert_eq!(
        rules::check_role_name("Host"),
        Err(RuleViolation::RoleNamePredefined {
            predefined: Role::Host
        })
    );
    assert_eq!(
        rules::check_role_name(""),
        Err(RuleViolation::RoleNameEmpty)
    );
}

#[test]
fn rules_4_to_6_limits() {
    assert!(rules::check_metadata_len(MAX_METADATA_BYTES).is_ok());
    assert_eq!(
        rules::check_metadata_len(MAX_METADATA_BYTES + 1),
        Err(RuleViolation::MetadataTooLarge { bytes: 5121 })
    );
    assert_eq!(
        rules::check_max_peers(0),
        Err(RuleViolation::MaxPeersNotPositive)
    );
    assert!(rules::check_max_peers(1).is_ok());
    assert_eq!(rules::check_ttl_secs(0), Err(RuleViolation::TtlNotPositive));
}

#[test]
fn patches_merge_over_a_base_and_refuse_unknown_keys() {
    let patch: PermissionsPatch =
        serde_json::from_value(json!({"admin": true, "canProduceSources": {"cam": false}}))
            .expect("a patch parses");
    let merged = patch.apply(Role::Guest.permissions());
    assert!(merged.admin);
    assert!(!merged.can_produce_sources.cam);
    assert!(merged.can_produce_sources.mic);
    assert!(merged.can_consume);

    let error = serde_json::from_value::<PermissionsPatch>(json!({"canProduce": "yes"}))
        .expect_err("not a boolean");
    assert!(error.to_string().contains("boolean"), "{error}");
    let error = serde_json::from_value::<PermissionsPatch>(json!({"can_produce": true}))
        .expect_err("unknown key");
    assert!(error.to_string().contains("can_produce"), "{error}");
}

#[test]
fn track_labels_need_their_source() {
    let speaker = Role::Speaker.permissions();
    assert!(speaker.may_produce("audio"));
    assert!(speaker.may_produce("screen-share"));
    assert!(speaker.may_produce("screen-share-audio"));
    assert!(!speaker.may_produce("video"));
    assert!(speaker.may_produce("custom-label"));
    let listener = Role::Listener.permissions();
    assert!(!listener.may_produce("custom-label"));
    assert!(!listener.may_produce("audio"));
    // Labels are case-sensitive, as in Huddle01's client: `Video` is an
    // "other" label, which needs only `canProduce`.
    assert!(speaker.may_produce("Video"));
    assert!(speaker.may_produce("video "));
    assert!(!speaker.may_produce("video"));
    // `screen-share` is a prefix, `audio` and `video` exact names.
    assert!(speaker.may_produce("screen-share:window-2"));
    let camera_only = Permissions {
        can_produce_sources: ProduceSources {
            cam: true,
            mic: false,
            screen: false,
        },
        ..Permissions::DEFAULT
    };
    assert!(camera_only.may_produce("video"));
    assert!(!camera_only.may_produce("audio"));
    assert!(!camera_only.may_produce("screen-share"));
    assert!(!camera_only.may_produce("screen-sharer"));
    assert!(camera_only.may_produce("audio-2"));
}

#[test]
fn a_target_that_is_no_valid_role_name_is_never_assigned() {
    let host = Role::Host.permissions();
    let co_host = Role::CoHost.permissions();
    for target in ["Host", "HOST", " host", "host\0", "host ", "", "a role"] {
        assert!(
            !may_assign_role(Some("coHost"), &co_host, target),
            "a coHost assigned {target:?}"
        );
        assert!(
            !may_assign_role(Some("host"), &host, target),
            "a host assigned {target:?}"
        );
    }
    assert!(may_assign_role(Some("coHost"), &co_host, "moderator"));
    assert!(may_assign_role(Some("coHost"), &co_host, "coHost"));
}

#[test]
fn only_admins_assign_roles_and_only_hosts_make_hosts() {
    let host = Role::Host.permissions();
    let co_host = Role::CoHost.permissions();
    assert!(may_assign_role(Some("host"), &host, "host"));
    assert!(may_assign_role(Some("host"), &host, "speaker"));
    assert!(may_assign_role(Some("coHost"), &co_host, "speaker"));
    assert!(!may_assign_role(Some("coHost"), &co_host, "host"));
    assert!(!may_assign_role(
        Some("guest"),
        &Role::Guest.permissions(),
        "listener"
    ));
}
