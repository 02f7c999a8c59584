//! The one table of the permission flags: the nine `true`/`false` values of
//! the wire format (six top-level keys and the three sources of
//! `canProduceSources`), each with its wire path and its place in
//! [`Permissions`] and [`PermissionsPatch`].
//!
//! Everything else that walks the flags (merging a patch, capabilities, the
//! `role!` macro's keys, the CLI's role table, strict patch parsing) reads
//! this table instead of spelling the keys again.

use crate::patch::PermissionsPatch;
use crate::permissions::{Permissions, Source};

/// One `true`/`false` of the permissions, in wire order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Flag {
    /// `admin`.
    Admin,
    /// `canConsume`.
    CanConsume,
    /// `canProduce`.
    CanProduce,
    /// `canProduceSources.cam`.
    Cam,
    /// `canProduceSources.mic`.
    Mic,
    /// `canProduceSources.screen`.
    Screen,
    /// `canSendData`.
    CanSendData,
    /// `canRecvData`.
    CanRecvData,
    /// `canUpdateMetadata`.
    CanUpdateMetadata,
}

/// A row of the table. Rows are in the order of [`Flag`]'s variants, so a
/// flag is its own index (a test checks it).
struct Row {
    flag: Flag,
    /// The dotted wire path, as error messages name it.
    path: &'static str,
    /// The top-level wire key that holds the flag.
    key: &'static str,
    /// The source, for a flag of `canProduceSources`.
    source: Option<Source>,
    in_permissions: fn(&mut Permissions) -> &mut bool,
    in_patch: fn(&mut PermissionsPatch) -> &mut Option<bool>,
}

const TABLE: [Row; 9] = [
    Row {
        flag: Flag::Admin,
        path: "admin",
        key: "admin",
        source: None,
        in_permissions: |p| &mut p.admin,
        in_patch: |p| &mut p.admin,
    },
    Row {
        flag: Flag::CanConsume,
        path: "canConsume",
        key: "canConsume",
        source: None,
        in_permissions: |p| &mut p.can_consume,
        in_patch: |p| &mut p.can_consume,
    },
    Row {
        flag: Flag::CanProduce,
        path: "canProduce",
        key: "canProduce",
        source: None,
        in_permissions: |p| &mut p.can_produce,
        in_patch: |p| &mut p.can_produce,
    },
    Row {
        flag: Flag::Cam,
        path: "canProduceSources.cam",
        key: SOURCES_KEY,
        source: Some(Source::Cam),
        in_permissions: |p| &mut p.can_produce_sources.cam,
        in_patch: |p| &mut p.can_produce_sources.cam,
    },
    Row {
        flag: Flag::Mic,
        path: "canProduceSources.mic",
        key: SOURCES_KEY,
        source: Some(Source::Mic),
        in_permissions: |p| &mut p.can_produce_sources.mic,
        in_patch: |p| &mut p.can_produce_sources.mic,
    },
    Row {
        flag: Flag::Screen,
        path: "canProduceSources.screen",
        key: SOURCES_KEY,
        source: Some(Source::Screen),
        in_permissions: |p| &mut p.can_produce_sources.screen,
        in_patch: |p| &mut p.can_produce_sources.screen,
    },
    Row {
        flag: Flag::CanSendData,
        path: "canSendData",
        key: "canSendData",
        source: None,
        in_permissions: |p| &mut p.can_send_data,
        in_patch: |p| &mut p.can_send_data,
    },
    Row {
        flag: Flag::CanRecvData,
        path: "canRecvData",
        key: "canRecvData",
        source: None,
        in_permissions: |p| &mut p.can_recv_data,
        in_patch: |p| &mut p.can_recv_data,
    },
    Row {
        flag: Flag::CanUpdateMetadata,
        path: "canUpdateMetadata",
        key: "canUpdateMetadata",
        source: None,
        in_permissions: |p| &mut p.can_update_metadata,
        in_patch: |p| &mut p.can_update_metadata,
    },
];

/// The key whose value is the block of sources.
pub(crate) const SOURCES_KEY: &str = "canProduceSources";

/// The seven top-level keys, read off the table in its order.
pub(crate) const KEYS: [&str; 7] = {
    let mut keys = [""; 7];
    let (mut row, mut count) = (0, 0);
    while row < TABLE.len() {
        let key = TABLE[row].key;
        if count == 0 || !str_eq(keys[count - 1], key) {
            keys[count] = key;
            count += 1;
        }
        row += 1;
    }
    keys
};

/// The three sources' names, read off the table in its order.
pub(crate) const SOURCE_NAMES: [&str; 3] = {
    let mut names = [""; 3];
    let (mut row, mut count) = (0, 0);
    while row < TABLE.len() {
        if let Some(source) = TABLE[row].source {
            names[count] = source.as_str();
            count += 1;
        }
        row += 1;
    }
    names
};

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Flag {
    /// Every flag, in wire order.
    pub const ALL: [Flag; 9] = {
        let mut all = [Flag::Admin; 9];
        let mut row = 0;
        while row < TABLE.len() {
            all[row] = TABLE[row].flag;
            row += 1;
        }
        all
    };

    const fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// The dotted wire path: `canProduce`, `canProduceSources.cam`.
    pub const fn path(self) -> &'static str {
        self.row().path
    }

    /// The top-level wire key that holds the flag (`canProduceSources` for
    /// a source).
    pub const fn key(self) -> &'static str {
        self.row().key
    }

    /// The source, for a flag of `canProduceSources`.
    pub const fn source(self) -> Option<Source> {
        self.row().source
    }

    /// The name of the flag inside its block: the key itself, or the
    /// source's name (`cam`) inside `canProduceSources`.
    pub const fn name(self) -> &'static str {
        match self.row().source {
            Some(source) => source.as_str(),
            None => self.row().key,
        }
    }

    /// The flag of a source of `canProduceSources`.
    pub const fn of_source(source: Source) -> Flag {
        let mut row = 0;
        while row < TABLE.len() {
            if let Some(found) = TABLE[row].source {
                if found as u8 == source as u8 {
                    return TABLE[row].flag;
                }
            }
            row += 1;
        }
        // Every source has a row (tested); this is never reached.
        Flag::CanProduce
    }

    /// The top-level flag with this exact wire key; `None` for
    /// `canProduceSources`, which holds a block, and for unknown keys.
    pub fn from_key(key: &str) -> Option<Flag> {
        Flag::ALL
            .into_iter()
            .find(|flag| flag.source().is_none() && flag.key() == key)
    }

    /// The value of this flag in `permissions`.
    pub fn get(self, permissions: &Permissions) -> bool {
        let mut copy = *permissions;
        *(self.row().in_permissions)(&mut copy)
    }

    /// Sets this flag in `permissions`.
    pub fn set(self, permissions: &mut Permissions, value: bool) {
        *(self.row().in_permissions)(permissions) = value;
    }

    /// The value this patch gives the flag, if any.
    pub fn get_in_patch(self, patch: &PermissionsPatch) -> Option<bool> {
        let mut copy = *patch;
        *(self.row().in_patch)(&mut copy)
    }

    /// Makes `patch` set this flag to `value`.
    pub fn set_in_patch(self, patch: &mut PermissionsPatch, value: bool) {
        *(self.row().in_patch)(patch) = Some(value);
    }
}

// What the data types read off the table. These inherent impls live here,
// beside the table, so that `permissions` and `patch` hold plain data and
// import nothing of this module: the table depends on them, never the
// other way round.

impl Source {
    /// The wire names of the sources, in wire order.
    pub const NAMES: [&'static str; 3] = SOURCE_NAMES;

    /// The dotted field path used in error messages (`canProduceSources.cam`).
    pub const fn field(self) -> &'static str {
        Flag::of_source(self).path()
    }
}

impl Permissions {
    /// The seven wire keys, in the order the SDK documents them.
    pub const KEYS: [&'static str; 7] = KEYS;

    /// Whether every permission granted here is also granted by `other`,
    /// so that these permissions give nothing beyond `other`.
    pub fn is_within(&self, other: &Permissions) -> bool {
        Flag::ALL
            .into_iter()
            .all(|flag| !flag.get(self) || flag.get(other))
    }
}

impl PermissionsPatch {
    /// The base with every given key replaced. Rules 1 and 2 are checked on
    /// the result by the caller, since only the merged permissions matter.
    pub fn apply(&self, mut base: Permissions) -> Permissions {
        // Most tokens carry no overrides: minting then skips the table walk.
        if *self == PermissionsPatch::EMPTY {
            return base;
        }
        for flag in Flag::ALL {
            if let Some(value) = flag.get_in_patch(self) {
                flag.set(&mut base, value);
            }
        }
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_sits_at_its_flags_index() {
        for (index, row) in TABLE.iter().enumerate() {
            assert_eq!(row.flag as usize, index, "{}", row.path);
        }
    }

    #[test]
    fn paths_keys_and_names_are_the_wire_spelling() {
        let paths: Vec<&str> = Flag::ALL.iter().map(|f| f.path()).collect();
        assert_eq!(
            paths,
            [
                "admin",
                "canConsume",
                "canProduce",
                "canProduceSources.cam",
                "canProduceSources.mic",
                "canProduceSources.screen",
                "canSendData",
                "canRecvData",
                "canUpdateMetadata",
            ]
        );
        assert_eq!(
            KEYS,
            [
                "admin",
                "canConsume",
                "canProduce",
                "canProduceSources",
                "canSendData",
                "canRecvData",
                "canUpdateMetadata",
            ]
        );
        assert_eq!(SOURCE_NAMES, ["cam", "mic", "screen"]);
        assert_eq!(Flag::Mic.name(), "mic");
        assert_eq!(Flag::Mic.key(), "canProduceSources");
        assert_eq!(Flag::CanRecvData.name(), "canRecvData");
        assert_eq!(Flag::of_source(Source::Cam), Flag::Cam);
        assert_eq!(Flag::of_source(Source::Mic), Flag::Mic);
        assert_eq!(Flag::of_source(Source::Screen), Flag::Screen);
        assert_eq!(Flag::from_key("canSendData"), Some(Flag::CanSendData));
        assert_eq!(Flag::from_key("canProduceSources"), None);
        assert_eq!(Flag::from_key("cam"), None);
    }

    #[test]
    fn each_flag_reads_and_writes_its_own_field_only() {
        let mut permissions = Permissions::NONE;
        Flag::Mic.set(&mut permissions, true);
        assert_eq!(
            permissions.can_produce_sources,
            crate::ProduceSources {
                cam: false,
                mic: true,
                screen: false
            }
        );
        assert!(!permissions.can_produce);
        let mut permissions = Permissions::NONE;
        Flag::CanRecvData.set(&mut permissions, true);
        assert!(permissions.can_recv_data && !permissions.can_send_data);
        assert!(Flag::CanRecvData.get(&permissions));
        assert!(!Flag::CanSendData.get(&permissions));

        let mut patch = PermissionsPatch::default();
        Flag::Cam.set_in_patch(&mut patch, false);
        assert_eq!(patch.can_produce_sources.cam, Some(false));
        assert_eq!(patch.can_produce_sources.mic, None);
        assert_eq!(patch.can_produce, None);
        assert_eq!(Flag::Cam.get_in_patch(&patch), Some(false));
        assert_eq!(Flag::Screen.get_in_patch(&patch), None);
    }
}
