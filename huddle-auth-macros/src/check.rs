//! The rules, applied to each role after merging it over its base. The rules
//! themselves live in `huddle_auth_core::rules`; this module only decides
//! which token a broken rule is the fault of, and what to tell the user.

use heck::ToLowerCamelCase;
use huddle_auth_core::rules::{self, RuleViolation};
use huddle_auth_core::{Permissions, Role, Source};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;

use crate::ast::RoleItem;
use crate::errors::Errors;
use crate::field::assignment;
use crate::suggest::{all_of, one_of};
use huddle_auth_core::Flag;

/// A role with its final wire name and permissions.
pub struct CheckedRole<'a> {
    /// The item as written.
    pub item: &'a RoleItem,
    /// The wire name (the best guess when `passes_checks` is false).
    pub name: String,
    /// The path the expansion names huddle-auth by.
    pub runtime: TokenStream,
    /// The base's permissions with the item's values merged over them.
    pub permissions: Permissions,
    /// Whether the item broke no rule and parsed cleanly.
    pub passes_checks: bool,
}

/// Checks every item of one invocation, and that no two share a wire name.
/// `runtime` is the path of huddle-auth for items without `crate = "..."`.
pub fn roles<'a>(
    items: &'a [RoleItem],
    runtime: &TokenStream,
    errors: &mut Errors,
) -> Vec<CheckedRole<'a>> {
    let mut checked: Vec<CheckedRole<'a>> = Vec::with_capacity(items.len());
    for item in items {
        let before = errors.count();
        let base = match &item.base {
            Some(base) => base.role.map_or(Permissions::DEFAULT, Role::permissions),
            None => Permissions::DEFAULT,
        };
        let permissions = item.patch().apply(base);
        if item.parsed_cleanly {
            permission_rules(item, &permissions, errors);
        }
        let (name, name_span) = match &item.options.predefined {
            Some(_) => predefined_name(item, &permissions, errors),
            None => custom_name(item, errors),
        };
        if let Some(first) = checked.iter().find(|role| role.name == name) {
            errors.at(
                name_span,
                format!(
                    "duplicate role name `{name}`: the role `{}` above already has it; \
                     give each role its own name with `#[role(name = \"...\")]`",
                    first.item.ident
                ),
            );
        }
        checked.push(CheckedRole {
            item,
            name,
            permissions,
            runtime: item
                .options
                .runtime
                .clone()
                .unwrap_or_else(|| runtime.clone()),
            passes_checks: item.parsed_cleanly && errors.count() == before,
        });
    }
    checked
}

/// Where the base's permissions come from, for messages.
fn origin(item: &RoleItem) -> String {
    match &item.base {
        Some(base) => format!("the base `{}`", base.ident),
        None => "the default permissions, as the role has no base".to_owned(),
    }
}

/// The token to blame for something the user did not write: the base, or
/// the struct's name when there is no base.
fn inherited_span(item: &RoleItem) -> Span {
    item.base
        .as_ref()
        .map_or_else(|| item.ident.span(), |base| base.ident.span())
}

/// Rules 1 and 2, each reported at the value that breaks it.
fn permission_rules(item: &RoleItem, permissions: &Permissions, errors: &mut Errors) {
    match rules::check_permissions(permissions) {
        Ok(()) => {}
        Err(RuleViolation::SourceWithoutProduce { .. }) => {
            sources_without_produce(item, permissions, errors);
        }
        Err(violation @ RuleViolation::ProduceWithoutSource) => {
            produce_without_source(item, &violation, errors);
        }
        Err(other) => errors.at(item.ident.span(), other.sentence()),
    }
}

/// Rule 1. The rule reports one source at a time, so it is asked again with
/// each reported source switched off until it is satisfied: every `true` at
/// fault gets its own error.
fn sources_without_produce(item: &RoleItem, permissions: &Permissions, errors: &mut Errors) {
    let mut remaining = *permissions;
    let mut inherited: Vec<Source> = Vec::new();
    for _ in Source::ALL {
        let Err(violation @ RuleViolation::SourceWithoutProduce { source }) =
            rules::check_permissions(&remaining)
        else {
            break;
        };
        remaining.can_produce_sources = remaining.can_produce_sources.with(source, false);
        match item.setting(Flag::of_source(source)) {
            Some(setting) => errors.at(setting.value.span, violation.sentence()),
            None => inherited.push(source),
        }
    }
    if inherited.is_empty() {
        return;
    }
    // Sources inherited while `canProduce` is false: `canProduce: false` was
    // written over a base that publishes (no predefined base breaks a rule).
    let names: Vec<&str> = inherited.iter().map(|s| s.as_str()).collect();
    let off: Vec<String> = names.iter().map(|name| format!("{name}: false")).collect();
    let (span, what) = match item.setting(Flag::CanProduce) {
        Some(setting) => (setting.value.span, "`canProduce: false` leaves"),
        None => (inherited_span(item), "`canProduce` is false, with"),
    };
    errors.at(
        span,
        format!(
            "{what} {} allowed in `canProduceSources` (from {}), but a source may be \
             allowed only with `canProduce: true`; add `canProduceSources: {{ {} }}`, \
             or set `canProduce: true`",
            all_of(&names),
            origin(item),
            off.join(", ")
        ),
    );
}

/// Rule 2: blame the block that switched every source off, else the
/// `canProduce: true` written over a base that allows no source.
fn produce_without_source(item: &RoleItem, violation: &RuleViolation, errors: &mut Errors) {
    let produce = item.setting(Flag::CanProduce);
    let error = match (&item.sources_block, produce) {
        (Some(block), _) => {
            let context = match produce {
                Some(_) => String::new(),
                None => format!(" (`canProduce: true` comes from {})", origin(item)),
            };
            syn::Error::new_spanned(block, format!("{}{context}", violation.sentence()))
        }
        (None, Some(setting)) => syn::Error::new(
            setting.value.span,
            format!(
                "{} ({} allows no source)",
                violation.sentence(),
                origin(item)
            ),
        ),
        (None, None) => syn::Error::new(inherited_span(item), violation.sentence()),
    };
    errors.push(error);
}

/// The wire name of a custom role, checked by rule 3: the `name = "..."`
/// given, or the struct's name in lowerCamelCase.
fn custom_name(item: &RoleItem, errors: &mut Errors) -> (String, Span) {
    match &item.options.name {
        Some(lit) => {
            let name = lit.value();
            if let Err(violation) = rules::check_custom_role_name(&name) {
                errors.at(
                    lit.span(),
                    format!("invalid role name {name:?}: {violation}"),
                );
            }
            (name, lit.span())
        }
        None => {
            let ident = item.ident.unraw().to_string();
            let name = default_name(&ident);
            let fix = "rename the struct, or set another wire name with `#[role(name = \"...\")]`";
            let message = match rules::check_custom_role_name(&name) {
                Ok(()) => None,
                Err(RuleViolation::RoleNamePredefined { predefined }) => Some(format!(
                    "the struct name `{ident}` gives the wire name `{name}`, which is the predefined \
                     role `{predefined}` (names are compared ignoring case), and a custom role may \
                     not take a predefined name; use `huddle_auth::roles::{}`, or {fix}",
                    predefined.type_name()
                )),
                Err(violation) => Some(format!(
                    "the struct name `{ident}` gives the wire name `{name}`, which is invalid: \
                     {violation}; {fix}"
                )),
            };
            if let Some(message) = message {
                errors.at(item.ident.span(), message);
            }
            (name, item.ident.span())
        }
    }
}

/// The wire name a struct name gives: lowerCamelCase (`StageBot` -> `stageBot`),
/// the case of the SDK's own role names (`coHost`).
pub fn default_name(ident: &str) -> String {
    ident.to_lower_camel_case()
}

/// `#[role(predefined)]`, which `huddle_auth::roles` uses to declare the six
/// predefined roles with this same macro.
///
/// Rule 3 forbids a custom role to take a predefined name, so the predefined
/// roles need a way around it. It is kept safe by accepting it only where it
/// cannot mint anything new: the struct name must be a predefined role's type
/// name, the wire name is that role's, and the merged permissions must equal
/// the SDK's table (`Role::permissions`) exactly. A user who writes it gets a
/// type identical to one in `huddle_auth::roles`, nothing more; the check also
/// proves, at every build, that the runtime's role types match the table.
fn predefined_name(
    item: &RoleItem,
    permissions: &Permissions,
    errors: &mut Errors,
) -> (String, Span) {
    let ident = item.ident.unraw().to_string();
    let Some(role) = Role::from_type_name(&ident) else {
        let valid = Role::ALL.map(Role::type_name);
        let span = item
            .options
            .predefined
            .as_ref()
            .map_or(item.ident.span(), |p| p.span());
        errors.at(
            span,
            format!(
                "`predefined` is reserved for huddle-auth's own role types ({}), and `{ident}` \
                 is not one of them; remove it",
                one_of(&valid)
            ),
        );
        return (default_name(&ident), item.ident.span());
    };
    if let Some(lit) = &item.options.name {
        errors.at(
            lit.span(),
            format!(
                "the predefined role `{ident}` has the fixed wire name `{role}`; remove `name = ...`"
            ),
        );
    }
    let table = role.permissions();
    let differences: Vec<String> = Flag::ALL
        .into_iter()
        .filter(|field| field.get(permissions) != field.get(&table))
        .map(|field| format!("`{}`", assignment(field, field.get(&table))))
        .collect();
    if !differences.is_empty() {
        errors.at(
            item.ident.span(),
            format!(
                "the predefined role `{role}` must have the SDK's permissions exactly; \
                 it needs {}",
                differences.join(", ")
            ),
        );
    }
    (role.as_str().to_owned(), item.ident.span())
}

#[cfg(test)]
mod tests {
    use super::default_name;
    use huddle_auth_core::Role;

    #[test]
    fn default_names_are_lower_camel_case() {
        assert_eq!(default_name("StageBot"), "stageBot");
        assert_eq!(default_name("Moderator"), "moderator");
        assert_eq!(default_name("HTTPBot"), "httpBot");
        for role in Role::ALL {
            assert_eq!(default_name(role.type_name()), role.as_str());
        }
    }
}
