//! The six predefined roles of the Huddle01 server SDK and their permission table.

use core::fmt;

use crate::permissions::{Permissions, ProduceSources};

/// A predefined role, with the wire name and permissions of
/// `@huddle01/server-sdk` 2.6.2 (`Role` and `ROLE_PERMISSIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[non_exhaustive]
pub enum Role {
    /// `host`: an admin who may also make others host.
    Host,
    /// `coHost`: an admin who may not make others host.
    CoHost,
    /// `speaker`: may publish the microphone and the screen, not the camera.
    Speaker,
    /// `listener`: consumes and chats, publishes nothing.
    Listener,
    /// `guest`: the SDK's default permissions.
    Guest,
    /// `bot`: consumes only.
    Bot,
}

impl Role {
    /// Every predefined role, in the SDK's order.
    pub const ALL: [Role; 6] = [
        Role::Host,
        Role::CoHost,
        Role::Speaker,
        Role::Listener,
        Role::Guest,
        Role::Bot,
    ];

    /// The wire name (`host`, `coHost`, `speaker`, `listener`, `guest`, `bot`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::CoHost => "coHost",
            Role::Speaker => "speaker",
            Role::Listener => "listener",
            Role::Guest => "guest",
            Role::Bot => "bot",
        }
    }

    /// The name of the unit type that stands for this role in Rust code
    /// (`Host`, `CoHost`, ...), as written after `:` in `role!`.
    pub const fn type_name(self) -> &'static str {
        match self {
            Role::Host => "Host",
            Role::CoHost => "CoHost",
            Role::Speaker => "Speaker",
            Role::Listener => "Listener",
            Role::Guest => "Guest",
            Role::Bot => "Bot",
        }
    }

    /// The role with this exact wire name.
    pub fn from_wire(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The role whose type name is `name` (`Host`, `CoHost`, ...).
    pub fn from_type_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.type_name() == name)
    }

    /// The role's permissions, equal to the SDK's `ROLE_PERMISSIONS`.
    pub const fn permissions(self) -> Permissions {
        match self {
            Role::Host | Role::CoHost => Permissions {
                admin: true,
                ..Permissions::DEFAULT
            },
            Role::Speaker => Permissions {
                can_produce_sources: ProduceSources {
                    cam: false,
                    mic: true,
                    screen: true,
                },
                ..Permissions::DEFAULT
            },
            Role::Listener => Permissions {
                can_produce: false,
                can_produce_sources: ProduceSources::NONE,
                ..Permissions::DEFAULT
            },
            Role::Guest => Permissions::DEFAULT,
            Role::Bot => Permissions {
                can_consume: true,
                ..Permissions::NONE
            },
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
