//! What a peer may do in a room: the seven permission keys of the Huddle01 wire format.

use core::fmt;

/// A media source a peer may publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
#[non_exhaustive]
pub enum Source {
    /// The camera (`cam`): a track labelled `video`.
    Cam,
    /// The microphone (`mic`): a track labelled `audio`.
    Mic,
    /// Screen sharing (`screen`): a track labelled `screen-share…`.
    Screen,
}

impl Source {
    /// Every source, in wire order.
    pub const ALL: [Source; 3] = [Source::Cam, Source::Mic, Source::Screen];

    /// The wire name (`cam`, `mic` or `screen`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Cam => "cam",
            Source::Mic => "mic",
            Source::Screen => "screen",
        }
    }

    /// The source named by a wire name, if any.
    pub fn from_wire(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The source a track label needs, as the Huddle01 web client checks it:
    /// `video` needs the camera, `audio` the microphone, `screen-share…` the
    /// screen, and any other label only `canProduce`.
    pub fn for_track_label(label: &str) -> Option<Source> {
        match label {
            "video" => Some(Source::Cam),
            "audio" => Some(Source::Mic),
            _ if label.starts_with("screen-share") => Some(Source::Screen),
            _ => None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which sources a peer may publish (`canProduceSources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ProduceSources {
    /// May publish the camera.
    pub cam: bool,
    /// May publish the microphone.
    pub mic: bool,
    /// May share the screen.
    pub screen: bool,
}

impl ProduceSources {
    /// Every source allowed.
    pub const ALL: ProduceSources = ProduceSources {
        cam: true,
        mic: true,
        screen: true,
    };

    /// No source allowed.
    pub const NONE: ProduceSources = ProduceSources {
        cam: false,
        mic: false,
        screen: false,
    };

    /// Whether `source` is allowed.
    pub const fn get(&self, source: Source) -> bool {
        match source {
            Source::Cam => self.cam,
            Source::Mic => self.mic,
            Source::Screen => self.screen,
        }
    }

    /// Returns a copy with `source` set to `allowed`.
    pub const fn with(mut self, source: Source, allowed: bool) -> ProduceSources {
        match source {
            Source::Cam => self.cam = allowed,
            Source::Mic => self.mic = allowed,
            Source::Screen => self.screen = allowed,
        }
        self
    }

    /// Whether at least one source is allowed.
    pub const fn any(&self) -> bool {
        self.cam || self.mic || self.screen
    }

    /// The first allowed source in wire order, if any.
    pub const fn first_allowed(&self) -> Option<Source> {
        if self.cam {
            Some(Source::Cam)
        } else if self.mic {
            Some(Source::Mic)
        } else if self.screen {
            Some(Source::Screen)
        } else {
            None
        }
    }

    /// Whether every source allowed here is also allowed in `other`.
    pub fn is_within(&self, other: &ProduceSources) -> bool {
        Source::ALL
            .into_iter()
            .all(|source| !self.get(source) || other.get(source))
    }
}

/// The permissions a token grants, serialized with exactly the seven keys of
/// the Huddle01 wire format (all required, no others accepted).
///
/// Usable in `const` context, so roles can carry their permissions as
/// associated constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Permissions {
    /// Admin actions: all actions on the room.
    pub admin: bool,
    /// May consume tracks of other peers.
    pub can_consume: bool,
    /// May publish tracks.
    pub can_produce: bool,
    /// Which sources may be published.
    pub can_produce_sources: ProduceSources,
    /// May send data messages.
    pub can_send_data: bool,
    /// May receive data messages.
    pub can_recv_data: bool,
    /// May update its own metadata.
    pub can_update_metadata: bool,
}

impl Permissions {
    /// The SDK's `DEFAULT_PERMISSIONS`: everything but admin. A custom role
    /// without a base starts from these, as the SDK does.
    pub const DEFAULT: Permissions = Permissions {
        admin: false,
        can_consume: true,
        can_produce: true,
        can_produce_sources: ProduceSources::ALL,
        can_send_data: true,
        can_recv_data: true,
        can_update_metadata: true,
    };

    /// Nothing granted at all.
    pub const NONE: Permissions = Permissions {
        admin: false,
        can_consume: false,
        can_produce: false,
        can_produce_sources: ProduceSources::NONE,
        can_send_data: false,
        can_recv_data: false,
        can_update_metadata: false,
    };

    /// Whether a track with this label may be published. `video` needs
    /// `canProduce` and `cam`, `audio` needs `canProduce` and `mic`, a label
    /// starting with `screen-share` needs `canProduce` and `screen`, any other
    /// label needs `canProduce` (the Huddle01 web client's own check).
    pub fn may_produce(&self, label: &str) -> bool {
        self.can_produce
            && match Source::for_track_label(label) {
                Some(source) => self.can_produce_sources.get(source),
                None => true,
            }
    }
}

impl Default for Permissions {
    fn default() -> Self {
        Permissions::DEFAULT
    }
}
