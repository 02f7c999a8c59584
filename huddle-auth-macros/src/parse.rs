//! Tokens to the typed items of `ast`. Attributes are read by `attr`, the
//! wording of hints is in `hints`.
//!
//! The parser recovers: a broken entry is reported and skipped up to the next
//! comma, a broken item up to the end of its block, so one invocation reports
//! all of its mistakes at once.

use huddle_auth_core::Role;
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{braced, token, Token};

use crate::ast::{Base, Invocation, RoleItem, RoleOptions};
use crate::attr;
use crate::errors::Errors;
use crate::recovery::error_at_next;
use crate::suggest::{closest, one_of};

mod entry;

use entry::{entries, entry};

/// Parses a whole invocation. Never fails: errors go to `errors`, and the
/// items whose name could be read are returned so they can still be emitted.
pub fn invocation(input: TokenStream, errors: &mut Errors) -> Invocation {
    let mut items = Vec::new();
    let mut runtime = None;
    let parsed = (|input: ParseStream| {
        while input.peek(Token![#]) && input.peek2(Token![!]) {
            input.parse::<Token![#]>()?;
            let bang: Token![!] = input.parse()?;
            if !input.peek(token::Bracket) {
                break;
            }
            attr::invocation_attribute(bang.span, input.parse()?, &mut runtime, errors);
        }
        while !input.is_empty() {
            let start = input.cursor();
            if let Some(item) = item(input, errors) {
                items.push(item);
            }
            if input.cursor() == start {
                // Recovery made no progress: drop one token so the loop ends.
                input.parse::<TokenTree>()?;
            }
        }
        Ok(())
    })
    .parse2(input);
    if let Err(error) = parsed {
        errors.push(error);
    }
    Invocation { runtime, items }
}

fn item(input: ParseStream, errors: &mut Errors) -> Option<RoleItem> {
    let before = errors.count();
    let mut item = match head(input, errors) {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            skip_item(input);
            return None;
        }
    };
    if let Err(error) = tail(input, errors, &mut item) {
        errors.push(error);
        skip_item(input);
    }
    item.parsed_cleanly = errors.count() == before;
    Some(item)
}

/// Attributes, visibility, `struct` and the name: without a name there is
/// nothing to emit, so an error here drops the item.
fn head(input: ParseStream, errors: &mut Errors) -> syn::Result<RoleItem> {
    let mut item = RoleItem {
        attrs: Vec::new(),
        documented: false,
        cfgs: Vec::new(),
        options: RoleOptions::default(),
        vis: TokenStream::new(),
        ident: Ident::new("_", Span::call_site()),
        base: None,
        sources_block: None,
        settings: Vec::new(),
        parsed_cleanly: true,
    };
    let mut last = None;
    while input.peek(Token![#]) {
        let pound: Token![#] = input.parse()?;
        last = Some(pound.span);
        if input.peek(Token![!]) {
            let bang: Token![!] = input.parse()?;
            errors.at(
                bang.span,
                "inner attributes (`#![...]`, `//!`) cannot be used inside `role!`, except \
                 `#![role(crate = \"...\")]` at the start; write outer ones (`#[...]`, `///`) \
                 before a role's `struct`",
            );
            if input.peek(token::Bracket) {
                input.parse::<Group>()?;
            }
            continue;
        }
        if !input.peek(token::Bracket) {
            return Err(error_at_next(
                input,
                pound.span,
                "expected `[` after `#`, as in `#[role(name = \"...\")]`",
            ));
        }
        let group: Group = input.parse()?;
        last = Some(group.span());
        attr::item_attribute(pound, group, &mut item, errors);
    }

    if input.peek(Token![pub]) {
        let pub_token: Token![pub] = input.parse()?;
        last = Some(pub_token.span);
        pub_token.to_tokens(&mut item.vis);
        if input.peek(token::Paren) {
            let restriction: Group = input.parse()?;
            last = Some(restriction.span());
            item.vis.append(restriction);
        }
    }

    if !input.peek(Token![struct]) {
        let other_item = ["enum", "union", "trait", "type", "fn", "mod"]
            .iter()
            .any(|kind| next_is_ident(input, kind));
        let message = if other_item {
            "`role!` declares each role as a `struct`; write `struct` here"
        } else {
            "expected a role: `struct Name { key: value, ... }`"
        };
        return Err(error_at_next(
            input,
            last.unwrap_or_else(Span::call_site),
            message,
        ));
    }
    let struct_token: Token![struct] = input.parse()?;
    if !input.peek(syn::Ident) {
        return Err(error_at_next(
            input,
            struct_token.span,
            "expected the role's name after `struct`, such as `Moderator`",
        ));
    }
    item.ident = input.parse()?;
    Ok(item)
}

/// Everything after the name. The item is kept after an error here, so the
/// struct is still emitted and the rest of the user's code still compiles.
fn tail(input: ParseStream, errors: &mut Errors, item: &mut RoleItem) -> syn::Result<()> {
    if input.peek(Token![<]) {
        return Err(input.error("a role has no generic parameters; remove the `<...>`"));
    }
    if input.peek(Token![:]) && !input.peek(Token![::]) {
        let colon: Token![:] = input.parse()?;
        item.base = Some(base(input, colon.span, errors)?);
    }
    if !input.peek(token::Brace) {
        let after = match &item.base {
            Some(base) => base.ident.span(),
            None => item.ident.span(),
        };
        return Err(error_at_next(
            input,
            after,
            "expected the role's permissions in braces, such as `{ canSendData: false }`; \
             an empty `{}` keeps every permission of the base",
        ));
    }
    let content;
    braced!(content in input);
    entries(&content, errors, item, entry);
    Ok(())
}

fn base(input: ParseStream, colon: Span, errors: &mut Errors) -> syn::Result<Base> {
    let valid = Role::ALL.map(Role::type_name);
    if !input.peek(Ident::peek_any) {
        return Err(error_at_next(
            input,
            colon,
            format!("expected a base role after `:`, one of {}", one_of(&valid)),
        ));
    }
    let ident = input.call(Ident::parse_any)?;
    if input.peek(Token![::]) {
        return Err(syn::Error::new(
            ident.span(),
            "write the base as a bare name, such as `Guest`: \
             `role!` knows the predefined roles by name, not by path",
        ));
    }
    let base_name = ident.unraw().to_string();
    let role = Role::from_type_name(&base_name);
    if role.is_none() {
        let message = match closest(&base_name, &valid) {
            Some(name) => format!("unknown base role `{base_name}`; did you mean `{name}`?"),
            None => format!(
                "unknown base role `{base_name}`; a base is one of {} \
                 (the predefined roles, whose permissions `role!` knows while compiling)",
                one_of(&valid)
            ),
        };
        errors.at(ident.span(), message);
    }
    Ok(Base { ident, role })
}

fn next_is_ident(input: ParseStream, word: &str) -> bool {
    input
        .cursor()
        .ident()
        .is_some_and(|(ident, _)| ident == word)
}

/// Skips the rest of a broken item: up to and including its block, or up to
/// what looks like the start of the next item.
fn skip_item(input: ParseStream) {
    let mut skipped = false;
    while !input.is_empty() {
        if skipped
            && (input.peek(Token![#]) || input.peek(Token![pub]) || input.peek(Token![struct]))
        {
            return;
        }
        let brace = input.peek(token::Brace);
        if input.parse::<TokenTree>().is_err() || brace {
            return;
        }
        skipped = true;
    }
}
