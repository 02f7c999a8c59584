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

/// A custom role built at run time, with a name checked by rule 3 and
/// permissions checked by rules 1 and 2.
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

    /// The permissions.
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }
}

/// The role given to [`AccessToken::role`](crate::AccessToken::role):
/// a predefined [`Role`], any [`StaticRole`] type, or a [`CustomRole`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenRole {
    name: Cow<'static, str>,
    permissions: Permissions,
}

impl TokenRole {
    /// The wire name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The permissions before any override.
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }
}

impl From<Role> for TokenRole {
    fn from(role: Role) -> Self {
        TokenRole {
            name: Cow::Borrowed(role.as_str()),
            permissions: role.permissions(),
        }
    }
}

impl From<CustomRole> for TokenRole {
    fn from(role: CustomRole) -> Self {
        TokenRole {
            name: role.name,
            permissions: role.permissions,
        }
    }
}

impl<R: StaticRole> From<R> for TokenRole {
    fn from(_: R) -> Self {
        TokenRole {
            name: Cow::Borrowed(R::NAME),
            permissions: R::PERMISSIONS,
        }
    }
}
