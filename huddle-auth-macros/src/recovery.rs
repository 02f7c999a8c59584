//! How parsing goes on after an error: where to report a missing token, and
//! what to skip so that the next entry is still read. Shared by the item
//! parser (`parse`), its entries and the attributes (`attr`), which is why it
//! is a module of its own rather than a part of either.

use proc_macro2::{Span, TokenTree};
use syn::parse::ParseStream;
use syn::Token;

/// An error at the next token, or just after `previous` when the input ends
/// there (syn would otherwise point at the whole invocation).
pub fn error_at_next(
    input: ParseStream,
    previous: Span,
    message: impl std::fmt::Display,
) -> syn::Error {
    if input.is_empty() {
        syn::Error::new(previous, message)
    } else {
        input.error(message)
    }
}

/// Skips the rest of a broken entry, up to and including its comma.
pub fn skip_entry(content: ParseStream) {
    while !content.is_empty() {
        if content.peek(Token![,]) {
            let _ = content.parse::<Token![,]>();
            return;
        }
        if content.parse::<TokenTree>().is_err() {
            return;
        }
    }
}
