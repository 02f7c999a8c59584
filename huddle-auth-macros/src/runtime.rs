//! The path the expansion names huddle-auth by, when no `crate = "..."`
//! says it. huddle-auth's `role!` is a `macro_rules!` wrapper that calls this
//! macro as `role! { @crate $crate; ... }`: `$crate` names huddle-auth from
//! any crate, under any name it was given in Cargo.toml and through any
//! re-export, with nothing to read from the caller's manifest.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

/// The invocation without the wrapper's `@crate PATH;` prefix, and that
/// path; the input unchanged and no path when it does not start so (the
/// unit tests call the pipeline directly).
pub fn split_prefix(input: TokenStream) -> (Option<TokenStream>, TokenStream) {
    let mut tokens = input.clone().into_iter();
    let is_prefix = matches!(tokens.next(), Some(TokenTree::Punct(p)) if p.as_char() == '@')
        && matches!(tokens.next(), Some(TokenTree::Ident(i)) if i == "crate");
    if !is_prefix {
        return (None, input);
    }
    let mut path = TokenStream::new();
    for token in tokens.by_ref() {
        match token {
            TokenTree::Punct(p) if p.as_char() == ';' => return (Some(path), tokens.collect()),
            other => path.extend([other]),
        }
    }
    (None, input)
}

/// `::huddle_auth`, for an invocation that reached this macro without the
/// wrapper: huddle-auth names itself so (`extern crate self as huddle_auth`).
pub fn default_path() -> TokenStream {
    quote!(::huddle_auth)
}
