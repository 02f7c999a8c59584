//! `huddle-auth roles`: the SDK's role table.

use huddle_auth::Role;
use huddle_auth_tests::fixtures::sdk_reference;

use crate::support::*;

#[test]
fn json_equals_the_sdk_table() {
    let reference = sdk_reference();
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
