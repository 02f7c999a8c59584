//! The code a checked role becomes: a zero-sized struct, its `StaticRole`
//! impl, and one capability marker per capability it grants.
//!
//! Everything is named by path, the runtime through the hidden `__private`
//! module of huddle-auth (`::huddle_auth`, the name Cargo.toml gives it, or
//! `crate = "..."`) and the derives through `::core`, so a caller that
//! shadows `Permissions`, `Result`, `std` or `core` cannot break the
//! expansion.

use huddle_auth_core::{Capability, Permissions};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::attr::DERIVES;
use crate::check::CheckedRole;

/// The code for a role that passed every check.
pub fn role(role: &CheckedRole) -> TokenStream {
    let granted: Vec<Capability> = Capability::ALL
        .into_iter()
        .filter(|capability| capability.granted_by(&role.permissions))
        .collect();
    let summary = summary(&role.name, &granted);
    emit(role, &granted, quote!(#[doc = #summary]))
}

/// A doc paragraph appended to the user's docs, so the rendered page of a
/// role says what it is on the wire and what it may do.
fn summary(name: &str, granted: &[Capability]) -> String {
    let grants = if granted.is_empty() {
        "grants no capability".to_owned()
    } else {
        let markers: Vec<String> = granted
            .iter()
            .map(|capability| format!("`can::{}`", capability.trait_name()))
            .collect();
        format!("grants {}", markers.join(", "))
    };
    format!("Role `{name}` (declared with `role!`); {grants}.")
}

/// The struct, its `StaticRole` impl and the markers in `markers`.
pub fn emit(role: &CheckedRole, markers: &[Capability], extra_doc: TokenStream) -> TokenStream {
    let item = role.item;
    let attrs = &item.attrs;
    let cfgs = &item.cfgs;
    let vis = &item.vis;
    let ident = &item.ident;
    let name = &role.name;
    let separator = if extra_doc.is_empty() || !item.documented {
        TokenStream::new()
    } else {
        quote!(#[doc = ""])
    };
    // Located at the struct's name, so a diagnostic about an impl (such as
    // rustc's list of the roles that do implement a missing marker) points
    // at that name rather than at the whole invocation; with the call site's
    // hygiene, so lints still treat the code as the macro's.
    let span = Span::call_site().located_at(ident.span());
    let runtime = &role.runtime;
    let permissions = permissions(runtime, &role.permissions);
    let markers = markers.iter().map(|capability| {
        let marker = Ident::new(capability.trait_name(), span);
        quote_spanned!(span=> impl #runtime::__private::can::#marker for #ident {})
    });
    let derives = DERIVES.iter().map(|(module, name)| {
        let (module, name) = (Ident::new(module, span), Ident::new(name, span));
        quote_spanned!(span=> ::core::#module::#name)
    });
    quote_spanned! {span=>
        #(#attrs)*
        #separator
        #extra_doc
        #[derive(#(#derives),*)]
        #vis struct #ident;

        #(#cfgs)*
        const _: () = {
            impl #runtime::__private::StaticRole for #ident {
                const NAME: &'static ::core::primitive::str = #name;
                const PERMISSIONS: #runtime::__private::Permissions = #permissions;
            }
            #(#markers)*
        };
    }
}

/// A `Permissions` literal: the permissions are a constant, not a call, so
/// `PERMISSIONS` reads the same in the expansion as on the wire.
fn permissions(runtime: &TokenStream, p: &Permissions) -> TokenStream {
    let Permissions {
        admin,
        can_consume,
        can_produce,
        can_produce_sources: sources,
        can_send_data,
        can_recv_data,
        can_update_metadata,
    } = *p;
    let (cam, mic, screen) = (sources.cam, sources.mic, sources.screen);
    quote! {
        #runtime::__private::Permissions {
            admin: #admin,
            can_consume: #can_consume,
            can_produce: #can_produce,
            can_produce_sources: #runtime::__private::ProduceSources {
                cam: #cam,
                mic: #mic,
                screen: #screen,
            },
            can_send_data: #can_send_data,
            can_recv_data: #can_recv_data,
            can_update_metadata: #can_update_metadata,
        }
    }
}
