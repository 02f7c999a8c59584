//! The vocabulary of a role body, read off core's table of flags
//! (`huddle_auth_core::Flag`): its wire keys, and how a flag reads there.

use huddle_auth_core::Flag;

/// A key of a role body, spelled as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A key that takes `true` or `false`.
    Flag(Flag),
    /// `canProduceSources`, which takes a block of sources.
    Sources,
}

impl Key {
    /// The key with this exact wire name.
    pub fn from_wire(name: &str) -> Option<Key> {
        match Flag::from_key(name) {
            Some(flag) => Some(Key::Flag(flag)),
            None if name == Flag::Cam.key() => Some(Key::Sources),
            None => None,
        }
    }
}

/// How `flag` reads in a role body: `canProduce: true`, or
/// `canProduceSources: { cam: true }` for a source.
pub fn assignment(flag: Flag, value: bool) -> String {
    match flag.source() {
        Some(source) => format!("{}: {{ {source}: {value} }}", flag.key()),
        None => format!("{}: {value}", flag.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_keys_map_to_their_kind() {
        assert_eq!(Key::from_wire("admin"), Some(Key::Flag(Flag::Admin)));
        assert_eq!(
            Key::from_wire("canUpdateMetadata"),
            Some(Key::Flag(Flag::CanUpdateMetadata))
        );
        assert_eq!(Key::from_wire("canProduceSources"), Some(Key::Sources));
        assert_eq!(Key::from_wire("cam"), None);
        assert_eq!(Key::from_wire("can_produce"), None);
    }

    #[test]
    fn assignments_read_as_written_in_a_body() {
        assert_eq!(assignment(Flag::CanSendData, false), "canSendData: false");
        assert_eq!(
            assignment(Flag::Screen, true),
            "canProduceSources: { screen: true }"
        );
    }
}
