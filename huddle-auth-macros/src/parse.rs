//! Tokens to typed role items. Every key and value keeps its token, so a
//! later error can point at exactly what the user wrote.
//!
//! The parser recovers: a broken entry is reported and skipped up to the next
//! comma, a broken item up to the end of its block, so one invocation reports
//! all of its mistakes at once.

use huddle_auth_core::{PermissionsPatch, Role, Source};
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{braced, bracketed, parenthesized, token, LitBool, LitStr, Token};

use crate::errors::Errors;
use crate::field::Key;
use crate::suggest::{closest, hint, one_of};
use huddle_auth_core::Flag;

/// One `struct` of a `role!` invocation, as written.
pub struct RoleItem {
    /// Attributes passed through to the struct: docs, derives, lints.
    pub attrs: Vec<TokenStream>,
    /// Whether a doc comment is among them.
    pub documented: bool,
    /// The `#[cfg]`s among them, repeated on the impls so that they come and
    /// go with the struct.
    pub cfgs: Vec<TokenStream>,
    /// `#[role(name = "...")]`.
    pub name: Option<LitStr>,
    /// The hidden `#[role(predefined)]`; see `check::predefined_name`.
    pub predefined: Option<Ident>,
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
    /// a sound item: after a misspelled key they would report a second,
    /// misleading error about a value the user did write.
    pub sound: bool,
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
    key: Ident,
    brace: token::Brace,
}

impl ToTokens for SourcesBlock {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.key.to_tokens(tokens);
        self.brace.surround(tokens, |_| {});
    }
}

/// Parses a whole invocation. Never fails: errors go to `errors`, and the
/// items whose name could be read are returned so they can still be emitted.
pub fn role_items(input: TokenStream, errors: &mut Errors) -> Vec<RoleItem> {
    let mut items = Vec::new();
    let parsed = (|input: ParseStream| {
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
    items
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
    item.sound = errors.count() == before;
    Some(item)
}

/// Attributes, visibility, `struct` and the name: without a name there is
/// nothing to emit, so an error here drops the item.
fn head(input: ParseStream, errors: &mut Errors) -> syn::Result<RoleItem> {
    let mut item = RoleItem {
        attrs: Vec::new(),
        documented: false,
        cfgs: Vec::new(),
        name: None,
        predefined: None,
        vis: TokenStream::new(),
        ident: Ident::new("_", Span::call_site()),
        base: None,
        sources_block: None,
        settings: Vec::new(),
        sound: true,
    };
    let mut last = None;
    while input.peek(Token![#]) {
        let pound: Token![#] = input.parse()?;
        last = Some(pound.span);
        if input.peek(Token![!]) {
            let bang: Token![!] = input.parse()?;
            errors.at(
                bang.span,
                "inner attributes (`#![...]`, `//!`) cannot be used inside `role!`; \
                 write outer ones (`#[...]`, `///`) before a role's `struct`",
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
        attribute(pound, group, &mut item, errors);
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
    let written = ident.unraw().to_string();
    let role = Role::from_type_name(&written);
    if role.is_none() {
        let message = match closest(&written, &valid) {
            Some(name) => format!("unknown base role `{written}`; did you mean `{name}`?"),
            None => format!(
                "unknown base role `{written}`; a base is one of {} \
                 (the predefined roles, whose permissions `role!` knows while compiling)",
                one_of(&valid)
            ),
        };
        errors.at(ident.span(), message);
    }
    Ok(Base { ident, role })
}

/// `#[...]`: `role(...)` options are read, everything else passes through.
fn attribute(pound: Token![#], group: Group, item: &mut RoleItem, errors: &mut Errors) {
    let first = group.stream().into_iter().next();
    let path = match &first {
        Some(TokenTree::Ident(ident)) => ident.to_string(),
        _ => String::new(),
    };
    if path == "role" {
        let tokens = TokenStream::from(TokenTree::Group(group));
        let parsed = (|input: ParseStream| role_options(input, item, errors)).parse2(tokens);
        if let Err(error) = parsed {
            errors.push(error);
        }
        return;
    }
    let mut tokens = pound.to_token_stream();
    tokens.append(group);
    if path == "cfg" {
        item.cfgs.push(tokens.clone());
    }
    item.documented |= path == "doc";
    item.attrs.push(tokens);
}

/// `[role(name = "...")]`, parsed with its brackets so that an error at the
/// end of the attribute points at `]` or `)`, not at the whole invocation.
fn role_options(input: ParseStream, item: &mut RoleItem, errors: &mut Errors) -> syn::Result<()> {
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
                    match closest(other, &["name"]) {
                        Some(name) => {
                            format!("unknown `role` option `{other}`; did you mean `{name}`?")
                        }
                        None => format!(
                            "unknown `role` option `{other}`; the option is `name = \"...\"`, \
                             the role's wire name"
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

/// Comma-separated entries, each parsed by `entry`; a broken one is reported
/// and skipped up to its comma, so the entries after it are still read.
fn entries(
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
fn entry(content: ParseStream, errors: &mut Errors, item: &mut RoleItem) -> syn::Result<()> {
    let key = key(content, "a permission key such as `canProduce`")?;
    let written = key.unraw().to_string();
    let Some(kind) = Key::from_wire(&written) else {
        errors.at(key.span(), unknown_key(&written));
        // What follows an unknown key says nothing more; skip it quietly.
        skip_entry(content);
        return Ok(());
    };
    let colon = colon(content, &key, kind == Key::Sources)?;
    match kind {
        Key::Flag(field) => {
            let value = bool_value(content, &written, colon)?;
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
    end_of_entry(content, &written)
}

/// `source: value`, in the block of `canProduceSources`.
fn source_entry(content: ParseStream, errors: &mut Errors, item: &mut RoleItem) -> syn::Result<()> {
    let key = key(content, "a source: `cam`, `mic` or `screen`")?;
    let written = key.unraw().to_string();
    let Some(source) = Source::from_wire(&written) else {
        errors.at(key.span(), unknown_source(&written));
        skip_entry(content);
        return Ok(());
    };
    let colon = colon(content, &key, false)?;
    let value = bool_value(content, &written, colon)?;
    record(item, errors, &key, Flag::of_source(source), value, "source");
    end_of_entry(content, &written)
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

fn unknown_key(written: &str) -> String {
    if Source::from_wire(written).is_some() {
        return format!(
            "`{written}` is a source, not a key of the role; \
             write it inside `canProduceSources: {{ {written}: ... }}`"
        );
    }
    format!(
        "unknown key `{written}`{}",
        hint(written, &huddle_auth_core::Permissions::KEYS, "a key")
    )
}

fn unknown_source(written: &str) -> String {
    let sources = Source::NAMES;
    if let Some(source) = Source::for_track_label(written) {
        return format!(
            "unknown source `{written}`; a `{written}` track is published from the source `{source}`, \
             write `{source}`"
        );
    }
    if Key::from_wire(written).is_some() {
        return format!(
            "`{written}` is a key of the role, not a source; move it out of `canProduceSources`, \
             whose sources are {}",
            one_of(&sources)
        );
    }
    format!(
        "unknown source `{written}`{}",
        hint(written, &sources, "a source")
    )
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
    let fix = match &found {
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
    };
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

/// How a token reads in a message.
fn describe(found: &TokenTree) -> String {
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

fn next_is_ident(input: ParseStream, word: &str) -> bool {
    input
        .cursor()
        .ident()
        .is_some_and(|(ident, _)| ident == word)
}

/// An error at the next token, or just after `previous` when the input ends
/// there (syn would otherwise point at the whole invocation).
fn error_at_next(
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
fn skip_entry(content: ParseStream) {
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
