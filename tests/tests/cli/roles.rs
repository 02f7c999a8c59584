//! `huddle-auth roles`: the SDK's role table.

use huddle_auth::Role;

use crate::support::*;

#[test]
fn json_equals_the_sdk_table() {
    let reference =
        read_json(&repo_root().join("../shared/reference/huddle01-server-sdk-2.6.2.json"));
    let assert = run(cli().args(["roles", "--json"])).success().stderr("");
    assert_eq!(json_stdout(&assert), reference["ROLE_PERMISSIONS"]);
}

#[test]
fn prints_a_readable_table() {
    let assert = run(cli().arg("roles")).success().stderr("");
    let table = stdout_of(&assert);
    let header = table.lines().next().expect("a header line");
    for column in [
        "admin",
        "canConsume",
        "canProduce",
        "cam",
        "mic",
        "screen",
        "canSendData",
        "canRecvData",
        "canUpdateMetadata",
    ] {
        assert!(header.contains(column), "{column} missing from {header}");
    }
    for role in Role::ALL {
        assert!(
            table
                .lines()
                .any(|line| line.split_whitespace().next() == Some(role.as_str())),
            "no row for {role}"
        );
    }
}
