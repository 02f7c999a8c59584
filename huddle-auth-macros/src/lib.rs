//! The `role!` macro of huddle-auth. This crate is an implementation detail:
//! depend on `huddle-auth`, which re-exports `role!` and documents it.
//!
//! The macro is a pipeline, one module per stage: `parse` turns tokens into
//! the typed items of `ast` (with `attr` for attributes and `hints` for the
//! wording of its hints), `check` merges each over its base and applies the
//! rules of `huddle_auth_core::rules`, `expand` writes the code, and
//! `fallback` writes what a broken role still needs. `errors` gathers the
//! errors of every stage so they are reported together; `runtime` finds the
//! name huddle-auth has in the caller's Cargo.toml.

mod ast;
mod attr;
mod check;
mod errors;
mod expand;
mod fallback;
mod field;
mod hints;
mod parse;
mod recovery;
mod runtime;
mod suggest;

use proc_macro2::TokenStream;

/// Declares roles checked at compile time.
///
/// Each role becomes a zero-sized struct that implements `StaticRole` (its
/// wire name and permissions as constants) and one marker trait of
/// `huddle_auth::can` per capability it grants. The grammar:
///
/// ```text
/// role! {
///     #![role(crate = "auth")]        // optional, first: the path of huddle-auth
///                                     // for every role below
///     /// Doc comments and other attributes pass through to the struct.
///     #[role(name = "wire-name")]     // optional; default: the struct name in lowerCamelCase
///     #[role(crate = "auth")]         // optional: the path of huddle-auth for this role
///     pub struct Name: Base {         // any visibility; `: Base` is optional
///         key: true,                  // admin, canConsume, canProduce, canSendData,
///                                     // canRecvData, canUpdateMetadata
///         canProduceSources: { cam: false, mic: true, screen: true },
///     }
///     // ...any number of roles
/// }
/// ```
///
/// - `Base` is a predefined role: `Host`, `CoHost`, `Speaker`, `Listener`,
///   `Guest` or `Bot`. Without a base a role starts from the default
///   permissions (`Permissions::DEFAULT`). A key not written keeps the base's
///   value, and so does a source not named in `canProduceSources`.
/// - After merging, the rules of `huddle_auth::rules` are checked: a source
///   only with `canProduce` (rule 1), `canProduce` only with a source
///   (rule 2), and a valid custom wire name that is not a predefined one
///   (rule 3). A role that breaks one is a compile error at the value at
///   fault.
/// - The macro derives `Debug`, `Clone`, `Copy`, `Default`, `PartialEq`,
///   `Eq` and `Hash`; a `#[derive]` of one of them is an error, any other
///   derive passes through.
/// - The generated code names huddle-auth as your Cargo.toml does
///   (`auth = { package = "huddle-auth", ... }` gives `::auth`); where that
///   cannot be found (huddle-auth reached through another crate), say it
///   with `crate = "..."`, as serde's `#[serde(crate = "...")]`.
///
/// The crate documentation of huddle-auth, section "Roles checked at compile
/// time", has examples and what the expansion of one role looks like.
#[proc_macro]
pub fn role(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    role_items(input.into()).into()
}

/// The whole pipeline on `proc_macro2` tokens, so unit tests can run it.
fn role_items(input: TokenStream) -> TokenStream {
    let mut errors = errors::Errors::default();
    let invocation = parse::invocation(input, &mut errors);
    let runtime = invocation
        .runtime
        .clone()
        .unwrap_or_else(runtime::default_path);
    let roles = check::roles(&invocation.items, &runtime, &mut errors);
    let mut output: TokenStream = roles
        .iter()
        .map(|role| {
            if role.passes_checks {
                expand::role(role)
            } else {
                fallback::role(role)
            }
        })
        .collect();
    output.extend(errors.into_compile_errors());
    output
}

#[cfg(test)]
mod tests;
