//! The `role!` macro of huddle-auth. This crate is an implementation detail:
//! depend on `huddle-auth`, which re-exports `role!` and documents it.
//!
//! The macro is a pipeline, one module per stage: `parse` turns tokens into
//! the typed items of `ast` (with `attr` for attributes and `hints` for the
//! wording of its hints), `check` merges each over its base and applies the
//! rules of `huddle_auth_core::rules`, `expand` writes the code, and
//! `fallback` writes what a broken role still needs. `errors` gathers the
//! errors of every stage so they are reported together; `runtime` takes the
//! path of huddle-auth that its wrapper passes in.

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

/// The `role!` of huddle-auth, which documents it: huddle-auth's
/// `macro_rules!` wrapper calls this as `role! { @crate $crate; ... }`.
#[proc_macro]
pub fn role(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    role_items(input.into()).into()
}

/// The whole pipeline on `proc_macro2` tokens, so unit tests can run it.
fn role_items(input: TokenStream) -> TokenStream {
    let mut errors = errors::Errors::default();
    let (wrapper_path, input) = runtime::split_prefix(input);
    let invocation = parse::invocation(input, &mut errors);
    let runtime = invocation
        .runtime
        .clone()
        .or(wrapper_path)
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
