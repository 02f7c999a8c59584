//! The wording of the hints that follow a mistake in a role body: what an
//! unknown key or source probably meant, and how a found token reads.

use huddle_auth_core::Source;
use proc_macro2::{Delimiter, TokenTree};

use crate::field::Key;
use crate::suggest::{hint, one_of};

/// Why a key is unknown, and the likely fix.
pub fn unknown_key(key_name: &str) -> String {
    if Source::from_wire(key_name).is_some() {
        return format!(
            "`{key_name}` is a source, not a key of the role; \
             write it inside `canProduceSources: {{ {key_name}: ... }}`"
        );
    }
    format!(
        "unknown key `{key_name}`{}",
        hint(key_name, &huddle_auth_core::Permissions::KEYS, "a key")
    )
}

/// Why a source is unknown, and the likely fix.
pub fn unknown_source(key_name: &str) -> String {
    let sources = Source::NAMES;
    if let Some(source) = Source::for_track_label(key_name) {
        return format!(
            "unknown source `{key_name}`; a `{key_name}` track is published from the source `{source}`, \
             write `{source}`"
        );
    }
    if Key::from_wire(key_name).is_some() {
        return format!(
            "`{key_name}` is a key of the role, not a source; move it out of `canProduceSources`, \
             whose sources are {}",
            one_of(&sources)
        );
    }
    format!(
        "unknown source `{key_name}`{}",
        hint(key_name, &sources, "a source")
    )
}

/// How a token reads in a message.
pub fn describe(found: &TokenTree) -> String {
    match found {
        TokenTree::Group(group) => match group.delimiter() {
            Delimiter::Brace => "a block `{ ... }`".to_owned(),
            Delimiter::Parenthesis => "`( ... )`".to_owned(),
            Delimiter::Bracket => "`[ ... ]`".to_owned(),
            Delimiter::None => "an expression".to_owned(),
        },
        TokenTree::Literal(literal) => {
            let text = literal.to_string();
            if text.chars().count() > 24 {
                "a literal".to_owned()
            } else {
                format!("`{text}`")
            }
        }
        other => format!("`{other}`"),
    }
}

/// What to write instead of a value that is not `true` or `false`, as a
/// clause to append ("; write `true`"), or nothing.
pub fn value_fix(found: &TokenTree) -> String {
    match found {
        TokenTree::Ident(ident) => {
            let lower = ident.to_string().to_ascii_lowercase();
            if lower == "true" || lower == "false" {
                format!("; write `{lower}`, in lower case")
            } else {
                String::new()
            }
        }
        TokenTree::Literal(literal) => match literal.to_string().as_str() {
            "\"true\"" | "\"false\"" => "; write it without quotes".to_owned(),
            "1" => "; write `true`".to_owned(),
            "0" => "; write `false`".to_owned(),
            _ => String::new(),
        },
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
            "; only `canProduceSources` takes a block".to_owned()
        }
        _ => String::new(),
    }
}
