//! The vocabulary of a role body: its wire keys and the permission each
//! `true`/`false` sets.

use huddle_auth_core::{Permissions, PermissionsPatch, Source};

/// A key of a role body, spelled as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A key that takes `true` or `false`.
    Flag(Field),
    /// `canProduceSources`, which takes a block of sources.
    Sources,
}

impl Key {
    /// The key with this exact wire name.
    pub fn from_wire(name: &str) -> Option<Key> {
        let flag = match name {
            "admin" => Field::Admin,
            "canConsume" => Field::CanConsume,
            "canProduce" => Field::CanProduce,
            "canProduceSources" => return Some(Key::Sources),
            "canSendData" => Field::CanSendData,
            "canRecvData" => Field::CanRecvData,
            "canUpdateMetadata" => Field::CanUpdateMetadata,
            _ => return None,
        };
        Some(Key::Flag(flag))
    }
}

/// One `true`/`false` of the permissions: a top-level flag or a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `admin`.
    Admin,
    /// `canConsume`.
    CanConsume,
    /// `canProduce`.
    CanProduce,
    /// One source of `canProduceSources`.
    Source(Source),
    /// `canSendData`.
    CanSendData,
    /// `canRecvData`.
    CanRecvData,
    /// `canUpdateMetadata`.
    CanUpdateMetadata,
}

impl Field {
    /// Every field, in wire order.
    pub const ALL: [Field; 9] = [
        Field::Admin,
        Field::CanConsume,
        Field::CanProduce,
        Field::Source(Source::Cam),
        Field::Source(Source::Mic),
        Field::Source(Source::Screen),
        Field::CanSendData,
        Field::CanRecvData,
        Field::CanUpdateMetadata,
    ];

    /// The name as written in a role body: the wire key, or the source's
    /// name inside `canProduceSources`.
    pub fn written(self) -> &'static str {
        match self {
            Field::Admin => "admin",
            Field::CanConsume => "canConsume",
            Field::CanProduce => "canProduce",
            Field::Source(source) => source.as_str(),
            Field::CanSendData => "canSendData",
            Field::CanRecvData => "canRecvData",
            Field::CanUpdateMetadata => "canUpdateMetadata",
        }
    }

    /// The value of this field in `permissions`.
    pub fn get(self, permissions: &Permissions) -> bool {
        match self {
            Field::Admin => permissions.admin,
            Field::CanConsume => permissions.can_consume,
            Field::CanProduce => permissions.can_produce,
            Field::Source(source) => permissions.can_produce_sources.get(source),
            Field::CanSendData => permissions.can_send_data,
            Field::CanRecvData => permissions.can_recv_data,
            Field::CanUpdateMetadata => permissions.can_update_metadata,
        }
    }

    /// Records `value` for this field in `patch`.
    pub fn set(self, patch: &mut PermissionsPatch, value: bool) {
        let slot = match self {
            Field::Admin => &mut patch.admin,
            Field::CanConsume => &mut patch.can_consume,
            Field::CanProduce => &mut patch.can_produce,
            Field::Source(source) => return patch.can_produce_sources.set(source, value),
            Field::CanSendData => &mut patch.can_send_data,
            Field::CanRecvData => &mut patch.can_recv_data,
            Field::CanUpdateMetadata => &mut patch.can_update_metadata,
        };
        *slot = Some(value);
    }

    /// How the field reads in a role body: `canProduce: true`, or
    /// `canProduceSources: { cam: true }` for a source.
    pub fn assignment(self, value: bool) -> String {
        match self {
            Field::Source(source) => format!("canProduceSources: {{ {source}: {value} }}"),
            flag => format!("{}: {value}", flag.written()),
        }
    }
}

/// The names of the sources, for suggestions and lists.
pub fn source_names() -> [&'static str; 3] {
    Source::ALL.map(Source::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wire_key_is_known_and_maps_back() {
        for key in Permissions::KEYS {
            let parsed = Key::from_wire(key).expect("a wire key of the core crate");
            match parsed {
                Key::Flag(field) => assert_eq!(field.written(), key),
                Key::Sources => assert_eq!(key, "canProduceSources"),
            }
        }
        assert_eq!(Key::from_wire("can_produce"), None);
    }

    #[test]
    fn set_then_apply_changes_exactly_that_field() {
        for field in Field::ALL {
            for value in [true, false] {
                let mut patch = PermissionsPatch::default();
                field.set(&mut patch, value);
                let merged = patch.apply(Permissions::NONE);
                assert_eq!(field.get(&merged), value, "{field:?}");
                for other in Field::ALL.into_iter().filter(|f| *f != field) {
                    assert!(!other.get(&merged), "{field:?} also changed {other:?}");
                }
            }
        }
    }
}
