//! Tests of the whole pipeline on `proc_macro2` tokens: what it emits, how
//! many errors it reports, and that no input makes it panic.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use proc_macro2::TokenStream;

use crate::role_items;

const DESIGN_EXAMPLE: &str = r#"
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
        canUpdateMetadata: false,
    }

    #[role(name = "stage-bot")]
    pub struct StageBot {
        admin: false,
        canConsume: true,
        canProduce: false,
        canProduceSources: { cam: false, mic: false, screen: false },
        canSendData: false,
        canRecvData: true,
        canUpdateMetadata: false,
    }
"#;

fn expand(source: &str) -> String {
    let input: TokenStream = source.parse().expect("test input lexes");
    role_items(input).to_string()
}

fn error_count(output: &str) -> usize {
    output.matches("compile_error").count()
}

#[test]
fn design_example_expands_without_errors() {
    let output = expand(DESIGN_EXAMPLE);
    assert_eq!(error_count(&output), 0, "{output}");
    assert!(output.contains("pub struct Moderator ;"), "{output}");
    assert!(output.contains("const NAME : & 'static :: core :: primitive :: str = \"stage-bot\""));
    // Moderator (a guest without camera and metadata) may share its screen,
    // not its camera.
    assert_eq!(
        markers(&output, "Moderator"),
        [
            "Consume",
            "Produce",
            "ProduceMic",
            "ProduceScreen",
            "SendData",
            "RecvData"
        ]
    );
    // StageBot consumes and receives, nothing else.
    assert_eq!(markers(&output, "StageBot"), ["Consume", "RecvData"]);
}

/// The capability markers the output implements for `role`.
fn markers(output: &str, role: &str) -> Vec<&'static str> {
    huddle_auth_core::Capability::ALL
        .into_iter()
        .map(|capability| capability.trait_name())
        .filter(|name| output.contains(&format!("can :: {name} for {role} ")))
        .collect()
}

#[test]
fn every_error_of_an_invocation_is_reported() {
    let output = expand(
        r#"
        pub struct Viewer: Listner { can_consume: true }
        pub struct Presenter: Listener {
            canProduceSources: { screen: true },
            canSendData: maybe,
        }
        #[role(name = "presenter")]
        pub struct Other {}
        "#,
    );
    // Unknown base, unknown key, bad value, duplicate wire name. Rule 1 is not
    // reported for `Presenter`, whose body already has an error.
    assert_eq!(error_count(&output), 4, "{output}");
    // Every struct is still emitted.
    for name in ["Viewer", "Presenter", "Other"] {
        assert!(
            output.contains(&format!("pub struct {name} ;")),
            "{name}: {output}"
        );
    }
}

#[test]
fn a_broken_role_still_gets_every_marker() {
    let output = expand("pub struct Muted: Guest { canProduce: false }");
    assert_eq!(error_count(&output), 1, "{output}");
    assert_eq!(markers(&output, "Muted").len(), 9, "{output}");
}

/// What invalid input must produce: its `compile_error!` with the exact
/// message, and the fallback struct with every capability marker, so the
/// rest of the user's code compiles against it.
#[test]
fn invalid_input_gives_its_message_and_the_fallback_struct() {
    let cases = [
        (
            "pub struct Muted: Guest { canProduce: false }",
            "Muted",
            "`canProduce: false` leaves `cam`, `mic` and `screen` allowed in `canProduceSources` \
             (from the base `Guest`), but a source may be allowed only with `canProduce: true`; \
             add `canProduceSources: { cam: false, mic: false, screen: false }`, or set \
             `canProduce: true`",
        ),
        (
            "pub struct Viewer: Listner {}",
            "Viewer",
            "unknown base role `Listner`; did you mean `Listener`?",
        ),
        (
            "pub struct Typo { canProduse: true }",
            "Typo",
            "unknown key `canProduse`; did you mean `canProduce`?",
        ),
        (
            "#[derive(Debug)] pub struct Logged {}",
            "Logged",
            "`role!` already derives `Debug` for every role (it derives `Debug`, `Clone`, `Copy`, \
             `Default`, `PartialEq`, `Eq` and `Hash`); remove `Debug` from this `#[derive]`",
        ),
    ];
    for (input, role, message) in cases {
        let output = expand(input);
        assert_eq!(error_count(&output), 1, "{output}");
        assert!(
            output.contains(&format!("compile_error ! {{ {message:?} }}")),
            "{input}\n{output}"
        );
        assert!(output.contains(&format!("pub struct {role} ;")), "{output}");
        assert_eq!(markers(&output, role).len(), 9, "{output}");
    }
    // The user's own derive is dropped, so rustc reports no conflicting impl.
    let output = expand("#[derive(Debug)] pub struct Logged {}");
    assert!(!output.contains("derive (Debug)"), "{output}");
    let output = expand("#[derive(Debug, PartialOrd)] pub struct Ordered {}");
    assert!(output.contains("# [derive (PartialOrd)]"), "{output}");
}

/// `crate = "..."` on an item or for the invocation names huddle-auth by
/// that path, and by nothing else.
#[test]
fn crate_option_names_the_runtime_path() {
    for input in [
        r#"#[role(crate = "auth")] pub struct A {}"#,
        r#"#![role(crate = "auth")] pub struct A {}"#,
        r#"#![role(crate = "other")] #[role(crate = "auth")] pub struct A {}"#,
    ] {
        let output = expand(input);
        assert_eq!(error_count(&output), 0, "{output}");
        assert!(
            output.contains("impl auth :: __private :: StaticRole for A"),
            "{output}"
        );
        assert!(!output.contains("huddle_auth"), "{output}");
        assert!(!output.contains("other"), "{output}");
    }
    let output = expand(r#"pub struct A {}"#);
    assert!(
        output.contains("impl :: huddle_auth :: __private :: StaticRole for A"),
        "{output}"
    );
}

/// Every prefix of every input, and every input with one token dropped or
/// doubled, runs through the pipeline without panicking and, when it is not
/// valid, reports at least one error.
#[test]
fn no_input_panics() {
    let inputs = [
        DESIGN_EXAMPLE,
        r#"#[role(name = "x", predefined)] pub(in crate::a) struct A: Host { canProduceSources: { cam: true, }, }"#,
        "#[role] #[role()] #[role(name)] #[role(name =)] #[role = 1] #![x] struct B {}",
        "pub struct C: roles::Guest { admin: !true, canProduce: { }, \"canConsume\": 1.0 }",
        "struct D<T>; struct E(bool); enum F {} struct G: {} struct H: Guest",
    ];
    for input in inputs {
        let tokens: Vec<proc_macro2::TokenTree> = input
            .parse::<TokenStream>()
            .expect("test input lexes")
            .into_iter()
            .collect();
        let flat = flatten(input.parse().expect("test input lexes"));
        for end in 0..=tokens.len() {
            let _ = role_items(tokens[..end].iter().cloned().collect());
        }
        for at in 0..flat.len() {
            for doubled in [false, true] {
                let mut variant = flat.clone();
                if doubled {
                    variant.insert(at, flat[at].clone());
                } else {
                    variant.remove(at);
                }
                let source = variant.join(" ");
                // Dropping a bracket leaves text that does not lex: not an input.
                if let Ok(stream) = source.parse::<TokenStream>() {
                    let output = role_items(stream).to_string();
                    // Without an error, every struct written is a role: none
                    // is dropped or emitted without its `StaticRole` impl.
                    if error_count(&output) == 0 {
                        assert_eq!(
                            output.matches("struct ").count(),
                            output.matches("StaticRole for").count(),
                            "{source}\n{output}"
                        );
                        assert_eq!(
                            output.matches("struct ").count(),
                            source.matches("struct ").count(),
                            "{source}\n{output}"
                        );
                    }
                }
            }
        }
    }
}

/// The tokens of a stream as text, brackets included, one entry per token.
fn flatten(stream: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tree in stream {
        match tree {
            proc_macro2::TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push(open.to_owned());
                out.extend(flatten(group.stream()));
                out.push(close.to_owned());
            }
            other => out.push(other.to_string()),
        }
    }
    out
}

/// The role whose expansion is checked in at `examples/expanded/moderator.rs`.
pub const EXPANDED_MODERATOR: &str = r#"
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
        canUpdateMetadata: false,
    }
"#;

/// Keeps `examples/expanded/moderator.rs` equal to what the macro writes.
/// `HUDDLE_AUTH_EXPANDED=overwrite cargo test -p huddle-auth-macros` rewrites it.
#[test]
fn checked_in_expansion_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/expanded/moderator.rs");
    let header = "\
// What `role!` writes for this role of examples/examples/typed_roles.rs:
//
//     role! {
//         /// Runs the stage but never shows a camera.
//         pub struct Moderator: Guest {
//             canProduceSources: { cam: false },
//             canUpdateMetadata: false,
//         }
//     }
//
// Written by `HUDDLE_AUTH_EXPANDED=overwrite cargo test -p huddle-auth-macros`
// (the macro's output, formatted by rustfmt); that test fails when the macro's
// output and this file differ. tests/tests/typed_roles.rs compiles this file
// and checks it against the macro.

";
    let expected = format!("{header}{}", rustfmt(&expand(EXPANDED_MODERATOR)));
    if std::env::var_os("HUDDLE_AUTH_EXPANDED").is_some_and(|v| v == "overwrite") {
        std::fs::write(&path, &expected).expect("write the expansion");
    }
    let found = std::fs::read_to_string(&path).expect("examples/expanded/moderator.rs exists");
    assert!(
        found == expected,
        "examples/expanded/moderator.rs is stale; rerun with HUDDLE_AUTH_EXPANDED=overwrite \
         and review the diff\n--- expected ---\n{expected}"
    );
}

fn rustfmt(source: &str) -> String {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt is installed (it comes with the toolchain's rustfmt component)");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin.write_all(source.as_bytes()).expect("feed rustfmt");
    }
    let output = child.wait_with_output().expect("rustfmt runs");
    assert!(output.status.success(), "rustfmt failed on:\n{source}");
    let formatted = String::from_utf8(output.stdout).expect("rustfmt writes UTF-8");
    // rustfmt leaves the paths inside `#[derive(...)]` as the tokens print.
    formatted
        .lines()
        .map(|line| {
            let path = line.trim_start();
            if path.starts_with(":: ") {
                let indent = &line[..line.len() - path.len()];
                format!("{indent}{}", path.replace(" ::", "::").replace(":: ", "::"))
            } else {
                line.to_owned()
            }
        })
        .map(|line| line + "\n")
        .collect()
}

#[test]
fn the_wrappers_crate_path_is_used_unless_the_invocation_names_one() {
    // `$crate` cannot be written outside a macro_rules!; any path stands in.
    let wrapped = expand(&format!("@crate ::from_wrapper; {DESIGN_EXAMPLE}"));
    assert!(
        wrapped.contains(":: from_wrapper :: __private :: StaticRole"),
        "{wrapped}"
    );
    assert!(!wrapped.contains("huddle_auth"), "{wrapped}");

    let named = expand(&format!(
        "@crate ::from_wrapper; #![role(crate = \"::named\")] {DESIGN_EXAMPLE}"
    ));
    assert!(
        named.contains(":: named :: __private :: StaticRole"),
        "{named}"
    );
    assert!(!named.contains("from_wrapper"), "{named}");

    let bare = expand(DESIGN_EXAMPLE);
    assert!(
        bare.contains(":: huddle_auth :: __private :: StaticRole"),
        "{bare}"
    );
}
