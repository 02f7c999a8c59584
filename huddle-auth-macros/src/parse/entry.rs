//! The entries of a role's block: `key: value` pairs, and the
//! `canProduceSources` block of `source: value` pairs, each keeping its span.
//! A broken entry is reported and skipped up to its comma.

use huddle_auth_core::{Flag, Source};
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{braced, token, LitBool, LitStr, Token};

use crate::ast::{RoleItem, Setting, SourcesBlock};
use crate::errors::Errors;
use crate::field::Key;
use crate::hints::{describe, unknown_key, unknown_source, value_fix};
use crate::recovery::{error_at_next, skip_entry};

/// Comma-separated entries, each parsed by `entry`; a broken one is reported
/// and skipped up to its comma, so the entries after it are still read.
pub(super) fn entries(
    content: ParseStream,
    errors: &mut Errors,
    item: &mut RoleItem,
    entry: fn(ParseStream, &mut Errors, &mut RoleItem) -> syn::Result<()>,
) {
    while !content.is_empty() {
        let parsed = match stray_comma(content, errors) {
            Ok(true) => Ok(()),
            Ok(false) => entry(content, errors, item),
            Err(error) => Err(error),
        };
        if let Err(error) = parsed {
            errors.push(error);
            skip_entry(content);
        }
    }
}

/// `key: value`, in the role's block.
pub(super) fn entry(
    content: ParseStream,
    errors: &mut Errors,
    item: &mut RoleItem,
) -> syn::Result<()> {
    let key = key(content, "a permission key such as `canProduce`")?;
    let key_name = key.unraw().to_string();
    let Some(kind) = Key::from_wire(&key_name) else {
        errors.at(key.span(), unknown_key(&key_name));
        // What follows an unknown key says nothing more; skip it quietly.
        skip_entry(content);
        return Ok(());
    };
    let colon = colon(content, &key, kind == Key::Sources)?;
    match kind {
        Key::Flag(field) => {
            let value = bool_value(content, &key_name, colon)?;
            record(item, errors, &key, field, value, "key");
        }
        Key::Sources => {
            if !content.peek(token::Brace) {
                return Err(error_at_next(
                    content,
                    colon,
                    "`canProduceSources` takes a block of sources, such as \
                     `canProduceSources: { cam: false, mic: true, screen: true }`",
                ));
            }
            let sources;
            let brace = braced!(sources in content);
            if item.sources_block.is_some() {
                errors.at(
                    key.span(),
                    "duplicate key `canProduceSources`: it is already set above in this role; \
                     merge the two blocks into one",
                );
                // Its content is not read: consume it so syn does not report it as unexpected.
                sources.parse::<TokenStream>()?;
            } else {
                item.sources_block = Some(SourcesBlock {
                    key: key.clone(),
                    brace,
                });
                entries(&sources, errors, item, source_entry);
            }
        }
    }
    end_of_entry(content, &key_name)
}

/// `source: value`, in the block of `canProduceSources`.
fn source_entry(content: ParseStream, errors: &mut Errors, item: &mut RoleItem) -> syn::Result<()> {
    let key = key(content, "a source: `cam`, `mic` or `screen`")?;
    let key_name = key.unraw().to_string();
    let Some(source) = Source::from_wire(&key_name) else {
        errors.at(key.span(), unknown_source(&key_name));
        skip_entry(content);
        return Ok(());
    };
    let colon = colon(content, &key, false)?;
    let value = bool_value(content, &key_name, colon)?;
    record(item, errors, &key, Flag::of_source(source), value, "source");
    end_of_entry(content, &key_name)
}

/// Keeps the first value of a field and reports any later one, at the
/// later key, as serde does.
fn record(
    item: &mut RoleItem,
    errors: &mut Errors,
    key: &Ident,
    field: Flag,
    value: LitBool,
    what: &str,
) {
    if item.setting(field).is_some() {
        errors.at(
            key.span(),
            format!(
                "duplicate {what} `{}`: it is already set above in this role; remove one of them",
                field.name()
            ),
        );
    } else {
        item.settings.push(Setting { field, value });
    }
}

/// Reports and consumes a `,` where an entry should start (`{ , admin: true }`
/// or `true,, canConsume`).
fn stray_comma(content: ParseStream, errors: &mut Errors) -> syn::Result<bool> {
    if !content.peek(Token![,]) {
        return Ok(false);
    }
    let comma: Token![,] = content.parse()?;
    errors.at(
        comma.span,
        "unexpected `,`: remove it (entries are separated by one comma)",
    );
    Ok(true)
}

fn key(content: ParseStream, expected: &str) -> syn::Result<Ident> {
    if content.peek(Ident::peek_any) {
        return content.call(Ident::parse_any);
    }
    if content.peek(LitStr) {
        let quoted: LitStr = content.fork().parse()?;
        return Err(syn::Error::new(
            quoted.span(),
            format!(
                "write the key without quotes: `{}: ...`, not `\"{0}\": ...`",
                quoted.value()
            ),
        ));
    }
    Err(content.error(format!("expected {expected}")))
}

fn colon(content: ParseStream, key: &Ident, is_sources: bool) -> syn::Result<Span> {
    if content.peek(Token![:]) && !content.peek(Token![::]) {
        let colon: Token![:] = content.parse()?;
        return Ok(colon.span);
    }
    if is_sources && content.peek(Token![.]) {
        return Err(content.error(
            "write the sources as a block: `canProduceSources: { cam: false }`, \
             not `canProduceSources.cam: false`",
        ));
    }
    if content.peek(Token![=]) {
        return Err(content.error(format!("expected `:` after `{key}`, as in `{key}: true`")));
    }
    Err(error_at_next(
        content,
        key.span(),
        format!("expected `:` and a value after `{key}`, as in `{key}: true`"),
    ))
}

fn bool_value(content: ParseStream, key: &str, colon: Span) -> syn::Result<LitBool> {
    if content.peek(LitBool) {
        return content.parse();
    }
    if content.is_empty() || content.peek(Token![,]) {
        return Err(syn::Error::new(
            colon,
            format!("expected `true` or `false` after `{key}:`"),
        ));
    }
    let found: TokenTree = content.fork().parse()?;
    let fix = value_fix(&found);
    Err(syn::Error::new(
        found.span(),
        format!(
            "expected `true` or `false` for `{key}`, found {}{fix}",
            describe(&found)
        ),
    ))
}

fn end_of_entry(content: ParseStream, key: &str) -> syn::Result<()> {
    if content.is_empty() {
        return Ok(());
    }
    if content.peek(Token![,]) {
        content.parse::<Token![,]>()?;
        return Ok(());
    }
    Err(content.error(format!(
        "expected `,` after the value of `{key}`, before the next entry"
    )))
}
