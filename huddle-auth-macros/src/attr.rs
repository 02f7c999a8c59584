//! Attributes of a `role!` invocation: `#[role(...)]` options on an item,
//! `#![role(crate = "...")]` for the whole invocation, and the `#[derive]`s
//! that would conflict with the macro's own.

use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{bracketed, parenthesized, token, LitStr, Token};

use crate::ast::{RoleItem, RoleOptions};
use crate::errors::Errors;
use crate::recovery::{error_at_next, skip_entry};
use crate::suggest::{all_of, closest};

/// `#[...]` on an item: `role(...)` options are read, a `derive` loses what
/// the macro derives itself, everything else passes through.
pub fn item_attribute(pound: Token![#], group: Group, item: &mut RoleItem, errors: &mut Errors) {
    let path = attribute_path(&group);
    if path == "role" {
        options(group, &mut item.options, errors);
        return;
    }
    let group = if path == "derive" {
        match derive_without_ours(&group, errors) {
            Some(group) => group,
            None => return,
        }
    } else {
        group
    };
    let mut tokens = pound.to_token_stream();
    tokens.append(group);
    if path == "cfg" {
        item.cfgs.push(tokens.clone());
    }
    item.documented |= path == "doc";
    item.attrs.push(tokens);
}

/// `#![...]` at the start of an invocation: only `role(crate = "...")`.
pub fn invocation_attribute(
    bang: Span,
    group: Group,
    runtime: &mut Option<TokenStream>,
    errors: &mut Errors,
) {
    if attribute_path(&group) != "role" {
        errors.at(
            bang,
            "inner attributes (`#![...]`, `//!`) cannot be used inside `role!`, except \
             `#![role(crate = \"...\")]` at the start; write outer ones (`#[...]`, `///`) \
             before a role's `struct`",
        );
        return;
    }
    let span = group.span();
    let mut found = RoleOptions::default();
    options(group, &mut found, errors);
    if found.name.is_some() || found.predefined.is_some() {
        errors.at(
            span,
            "only `crate = \"...\"` applies to the whole invocation; write other options \
             on a role's `struct` as `#[role(...)]`",
        );
    }
    if found.runtime.is_some() {
        *runtime = found.runtime;
    }
}

fn attribute_path(group: &Group) -> String {
    match group.stream().into_iter().next() {
        Some(TokenTree::Ident(ident)) => ident.to_string(),
        _ => String::new(),
    }
}

fn options(group: Group, found: &mut RoleOptions, errors: &mut Errors) {
    let tokens = TokenStream::from(TokenTree::Group(group));
    let parsed = (|input: ParseStream| role_options(input, found, errors)).parse2(tokens);
    if let Err(error) = parsed {
        errors.push(error);
    }
}

/// The traits the macro derives on every role, by their path under `::core`;
/// a user's `#[derive]` of one of them would conflict.
pub const DERIVES: [(&str, &str); 7] = [
    ("fmt", "Debug"),
    ("clone", "Clone"),
    ("marker", "Copy"),
    ("default", "Default"),
    ("cmp", "PartialEq"),
    ("cmp", "Eq"),
    ("hash", "Hash"),
];

/// `derive(...)` with the traits the macro derives itself reported (at each
/// one) and removed, so rustc adds no "conflicting implementations" error;
/// `None` when nothing is left to derive.
fn derive_without_ours(group: &Group, errors: &mut Errors) -> Option<Group> {
    let mut trees = group.stream().into_iter();
    let derive = trees.next()?;
    let Some(TokenTree::Group(list)) = trees.next() else {
        return Some(group.clone());
    };
    let mut kept: Vec<TokenStream> = Vec::new();
    let mut current = TokenStream::new();
    let mut paths = Vec::new();
    for tree in list.stream() {
        match &tree {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                paths.push(std::mem::take(&mut current));
            }
            _ => current.append(tree),
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    let ours: Vec<&str> = DERIVES.iter().map(|(_, name)| *name).collect();
    for path in paths {
        let last = path
            .clone()
            .into_iter()
            .filter_map(|tree| match tree {
                TokenTree::Ident(ident) => Some(ident),
                _ => None,
            })
            .last();
        match last {
            Some(ident) if ours.contains(&ident.to_string().as_str()) => errors.at(
                ident.span(),
                format!(
                    "`role!` already derives `{ident}` for every role (it derives {}); \
                     remove `{ident}` from this `#[derive]`",
                    all_of(&ours)
                ),
            ),
            _ => kept.push(path),
        }
    }
    if kept.is_empty() {
        return None;
    }
    let mut list_tokens = TokenStream::new();
    for (index, path) in kept.into_iter().enumerate() {
        if index > 0 {
            list_tokens.append(Punct::new(',', Spacing::Alone));
        }
        list_tokens.extend(path);
    }
    let mut new_list = Group::new(list.delimiter(), list_tokens);
    new_list.set_span(list.span());
    let mut stream = TokenStream::from(derive);
    stream.append(new_list);
    let mut rebuilt = Group::new(group.delimiter(), stream);
    rebuilt.set_span(group.span());
    Some(rebuilt)
}

/// `[role(name = "...")]`, parsed with its brackets so that an error at the
/// end of the attribute points at `]` or `)`, not at the whole invocation.
fn role_options(
    input: ParseStream,
    item: &mut RoleOptions,
    errors: &mut Errors,
) -> syn::Result<()> {
    let content;
    bracketed!(content in input);
    let role: Ident = content.parse()?;
    if !content.peek(token::Paren) {
        return Err(error_at_next(
            &content,
            role.span(),
            "expected `#[role(name = \"...\")]`",
        ));
    }
    let options;
    parenthesized!(options in content);
    if !content.is_empty() {
        return Err(content.error("unexpected tokens after `role(...)`"));
    }
    if options.is_empty() {
        return Err(syn::Error::new(
            role.span(),
            "expected an option: `#[role(name = \"...\")]`",
        ));
    }
    while !options.is_empty() {
        if !options.peek(Ident::peek_any) {
            return Err(options.error("expected `name = \"...\"`"));
        }
        let option = options.call(Ident::parse_any)?;
        match option.unraw().to_string().as_str() {
            "name" => {
                if !options.peek(Token![=]) {
                    return Err(error_at_next(
                        &options,
                        option.span(),
                        "expected `=` and the wire name: `name = \"stage-bot\"`",
                    ));
                }
                let eq: Token![=] = options.parse()?;
                if !options.peek(LitStr) {
                    return Err(error_at_next(
                        &options,
                        eq.span,
                        "expected the wire name as a string literal, such as `name = \"stage-bot\"`",
                    ));
                }
                let name: LitStr = options.parse()?;
                if item.name.is_some() {
                    errors.at(
                        option.span(),
                        "duplicate `name`: a role has one wire name; remove one of them",
                    );
                } else {
                    item.name = Some(name);
                }
            }
            "crate" => {
                if !options.peek(Token![=]) || !options.peek2(LitStr) {
                    return Err(error_at_next(
                        &options,
                        option.span(),
                        "expected `crate = \"...\"`, the path of huddle-auth, such as `crate = \"auth\"`",
                    ));
                }
                options.parse::<Token![=]>()?;
                let path: LitStr = options.parse()?;
                let runtime = runtime_path(&path)?;
                if item.runtime.is_some() {
                    errors.at(option.span(), "duplicate `crate`; remove one of them");
                } else {
                    item.runtime = Some(runtime);
                }
            }
            // Hidden on purpose: only `huddle_auth::roles` uses it, see
            // `check::predefined_name`, so it is neither suggested nor listed.
            "predefined" => {
                if item.predefined.is_some() {
                    errors.at(option.span(), "duplicate `predefined`; remove one of them");
                } else {
                    item.predefined = Some(option);
                }
            }
            other => {
                errors.at(
                    option.span(),
                    match closest(other, &["name", "crate"]) {
                        Some(name) => {
                            format!("unknown `role` option `{other}`; did you mean `{name}`?")
                        }
                        None => format!(
                            "unknown `role` option `{other}`; the options are `name = \"...\"`, \
                             the role's wire name, and `crate = \"...\"`, the path of huddle-auth"
                        ),
                    },
                );
                // Whatever the unknown option holds says nothing more.
                skip_entry(&options);
                continue;
            }
        }
        if options.is_empty() {
            break;
        }
        if !options.peek(Token![,]) {
            return Err(options.error("expected `,` between options"));
        }
        options.parse::<Token![,]>()?;
    }
    Ok(())
}

/// The path in `crate = "..."`: `auth`, `::auth` or `crate::reexports::auth`,
/// with every token at the literal so an error in the expansion points there.
fn runtime_path(literal: &LitStr) -> syn::Result<TokenStream> {
    let invalid = || {
        syn::Error::new(
            literal.span(),
            format!(
                "`crate = {:?}` is not a path; write the name huddle-auth has in your \
                 Cargo.toml, such as `crate = \"auth\"`",
                literal.value()
            ),
        )
    };
    let tokens: TokenStream = literal.value().parse().map_err(|_| invalid())?;
    let path = (|input: ParseStream| {
        let mut path = TokenStream::new();
        if input.peek(Token![::]) {
            input.parse::<Token![::]>()?.to_tokens(&mut path);
        }
        loop {
            path.append(input.call(Ident::parse_any)?);
            if input.is_empty() {
                return Ok(path);
            }
            input.parse::<Token![::]>()?.to_tokens(&mut path);
        }
    })
    .parse2(tokens)
    .map_err(|_| invalid())?;
    Ok(path
        .into_iter()
        .map(|mut tree| {
            tree.set_span(literal.span());
            tree
        })
        .collect())
}
