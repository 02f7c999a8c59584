//! Roles a token can carry: predefined, declared in code with `role!`, or
//! built at run time.

use std::borrow::Cow;

use crate::{Permissions, Role, RuleViolation};
use huddle_auth_core::rules;

/// A role known while compiling: its wire name and permissions are constants.
///
/// Implemented by the predefined roles in [`roles`](crate::roles) and by every
/// type that [`role!`](crate::role!) declares. Write a `role!` item rather than
/// implementing this by hand: the macro checks the rules and adds the
/// capability markers of [`can`](crate::can).
pub trait StaticRole {
    /// The wire name carried in the token's `role` claim.
    const NAME: &'static str;
    /// The permissions the role grants.
    const PERMISSIONS: Permissions;
}

/// A role a token carries: a wire name and the permissions before any
/// override.
///
/// Built at run time with [`CustomRole::new`], which checks the name by rule 3
/// and the permissions by rules 1 and 2, or converted from a predefined
/// [`Role`] or a [`StaticRole`] type (whose rules hold already).
///
/// ```
/// use huddle_auth::{roles::Speaker, CustomRole, Role, StaticRole};
///
/// assert_eq!(CustomRole::from(Role::Host).name(), "host");
/// assert_eq!(CustomRole::from(Speaker).permissions(), Speaker::PERMISSIONS);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomRole {
    name: Cow<'static, str>,
    permissions: Permissions,
}

impl CustomRole {
    /// A custom role called `name` with these permissions.
    ///
    /// ```
    /// use huddle_auth::{CustomRole, Permissions};
    ///
    /// let moderator = CustomRole::new("moderator", Permissions { admin: true, ..Permissions::DEFAULT })?;
    /// assert_eq!(moderator.name(), "moderator");
    /// assert!(CustomRole::new("Host", Permissions::DEFAULT).is_err());
    /// # Ok::<(), huddle_auth::RuleViolation>(())
    /// ```
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        permissions: Permissions,
    ) -> Result<Self, RuleViolation> {
        let name = name.into();
        rules::check_custom_role_name(&name)?;
        rules::check_permissions(&permissions)?;
        Ok(CustomRole { name, permissions })
    }

    /// A custom role that starts from the default permissions, as the SDK's
    /// custom roles do.
    pub fn with_default_permissions(
        name: impl Into<Cow<'static, str>>,
    ) -> Result<Self, RuleViolation> {
        CustomRole::new(name, Permissions::DEFAULT)
    }

    /// The wire name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The permissions before any override.
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }
}

impl From<Role> for CustomRole {
    fn from(role: Role) -> Self {
        CustomRole {
            name: Cow::Borrowed(role.as_str()),
            permissions: role.permissions(),
        }
    }
}

impl<R: StaticRole> From<R> for CustomRole {
    fn from(_: R) -> Self {
        CustomRole {
            name: Cow::Borrowed(R::NAME),
            permissions: R::PERMISSIONS,
        }
    }
}

/// What [`AccessToken::role`](crate::AccessToken::role) takes: a predefined
/// [`Role`], a [`StaticRole`] type (predefined in [`roles`](crate::roles) or
/// declared with [`role!`](crate::role!)), or a [`CustomRole`].
///
/// Sealed: text is deliberately not a role, so a name is checked by
/// [`CustomRole::new`] (or looked up with [`Role::from_wire`]) before it can
/// be minted.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role a token can carry",
    label = "expected a `Role`, a `role!` type or a `CustomRole`",
    note = "for a predefined role pass `Role::Host` (or `Role::from_wire(name)`); for a custom one build a `CustomRole`, which checks the name: `CustomRole::new(\"moderator\", permissions)?`"
)]
pub trait IntoRole: sealed::Sealed {
    /// The role, as the builder keeps it.
    fn into_role(self) -> CustomRole;
}

mod sealed {
    /// Keeps [`IntoRole`](super::IntoRole) to the types of this crate.
    pub trait Sealed {}
    impl Sealed for super::Role {}
    impl Sealed for super::CustomRole {}
    impl<R: super::StaticRole> Sealed for R {}
}

impl IntoRole for Role {
    fn into_role(self) -> CustomRole {
        self.into()
    }
}

impl IntoRole for CustomRole {
    fn into_role(self) -> CustomRole {
        self
    }
}

impl<R: StaticRole> IntoRole for R {
    fn into_role(self) -> CustomRole {
        self.into()
    }
}
