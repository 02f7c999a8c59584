//! The typed items of a `role!` invocation. Every key and value keeps its
//! token, so a later error can point at exactly what the user wrote.

use huddle_auth_core::{Flag, PermissionsPatch, Role};
use proc_macro2::{Ident, TokenStream};
use quote::ToTokens;
use syn::{token, LitBool, LitStr};

/// A whole invocation.
pub struct Invocation {
    /// `#![role(crate = "...")]` at the start, for every item.
    pub runtime: Option<TokenStream>,
    /// The items whose name could be read.
    pub items: Vec<RoleItem>,
}

/// One `struct` of a `role!` invocation, as written.
pub struct RoleItem {
    /// Attributes passed through to the struct: docs, derives, lints.
    pub attrs: Vec<TokenStream>,
    /// Whether a doc comment is among them.
    pub documented: bool,
    /// The `#[cfg]`s among them, repeated on the impls so that they come and
    /// go with the struct.
    pub cfgs: Vec<TokenStream>,
    /// What `#[role(...)]` says.
    pub options: RoleOptions,
    /// `pub`, `pub(crate)`, ... or nothing.
    pub vis: TokenStream,
    /// The struct's name.
    pub ident: Ident,
    /// `: Base`.
    pub base: Option<Base>,
    /// The `canProduceSources: { ... }` entry, for errors about the block as
    /// a whole.
    pub sources_block: Option<SourcesBlock>,
    /// Every `true`/`false` written, in order, each key once.
    pub settings: Vec<Setting>,
    /// Whether the item parsed without any error. Rules are only checked on
    /// such an item: after a misspelled key they would report a second,
    /// misleading error about a value the user did write.
    pub parsed_cleanly: bool,
}

impl RoleItem {
    /// The value written for `field`, if any.
    pub fn setting(&self, field: Flag) -> Option<&Setting> {
        self.settings.iter().find(|s| s.field == field)
    }

    /// What the item changes relative to its base.
    pub fn patch(&self) -> PermissionsPatch {
        let mut patch = PermissionsPatch::default();
        for setting in &self.settings {
            setting.field.set_in_patch(&mut patch, setting.value.value);
        }
        patch
    }
}

/// The options of `#[role(...)]` on an item, or of `#![role(...)]` for the
/// whole invocation.
#[derive(Default)]
pub struct RoleOptions {
    /// `name = "..."`.
    pub name: Option<LitStr>,
    /// The hidden `predefined`; see `check::predefined_name`.
    pub predefined: Option<Ident>,
    /// `crate = "..."`: the path of huddle-auth, checked and respanned to
    /// the literal.
    pub runtime: Option<TokenStream>,
}

/// `: Base`.
pub struct Base {
    /// The name as written.
    pub ident: Ident,
    /// The predefined role it names; `None` after an "unknown base" error.
    pub role: Option<Role>,
}

/// `key: true` or, inside `canProduceSources`, `source: true`.
pub struct Setting {
    /// What the value sets.
    pub field: Flag,
    /// The value.
    pub value: LitBool,
}

/// `canProduceSources: { ... }`.
pub struct SourcesBlock {
    /// `canProduceSources`.
    pub key: Ident,
    /// Its braces.
    pub brace: token::Brace,
}

impl ToTokens for SourcesBlock {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.key.to_tokens(tokens);
        self.brace.surround(tokens, |_| {});
    }
}
