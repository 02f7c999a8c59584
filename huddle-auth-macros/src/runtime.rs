//! The path the expansion names huddle-auth by, when no `crate = "..."`
//! says it: the name the calling crate's Cargo.toml gives the dependency
//! (`auth = { package = "huddle-auth", ... }` gives `::auth`), found by
//! `proc-macro-crate`.

use proc_macro2::{Ident, Span, TokenStream};
use proc_macro_crate::{crate_name, FoundCrate};
use quote::quote;

/// `::name` for the dependency's name, else `::huddle_auth`: inside
/// huddle-auth itself (which names itself so with `extern crate self as
/// huddle_auth`, and whose doctests see it under that name), and when the
/// manifest cannot say (huddle-auth reached through another crate, or no
/// Cargo.toml); a user there writes `crate = "..."`.
pub fn default_path() -> TokenStream {
    let name = match crate_name("huddle-auth") {
        Ok(FoundCrate::Name(name)) => name,
        Ok(FoundCrate::Itself) | Err(_) => return quote!(::huddle_auth),
    };
    match syn::parse_str::<Ident>(&name) {
        Ok(ident) => {
            let ident = Ident::new(&ident.to_string(), Span::call_site());
            quote!(::#ident)
        }
        Err(_) => quote!(::huddle_auth),
    }
}
