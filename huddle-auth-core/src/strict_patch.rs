//! Strict reading of a permissions patch: every key once, only the wire
//! keys, only `true` or `false`, objects and not arrays (serde's derive
//! would read a struct from an array by position, and let a repeated key
//! through in some formats). Shared by `Deserialize` and
//! [`PermissionsPatch::from_json`], so the CLI's `--permissions` and a
//! server reading a request body refuse the same inputs.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::flag::{Flag, KEYS, SOURCES_KEY};
use crate::patch::{PermissionsPatch, SourcesPatch};
use crate::permissions::Source;

/// A patch that could not be read: the wire path at fault, when the fault
/// is in one member, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    path: Option<String>,
    reason: String,
}

impl PatchError {
    /// The dotted wire path at fault (`canProduceSources.cam`), or `None`
    /// when the input as a whole is wrong (not JSON, not an object).
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Why it was refused, without the path.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{path}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for PatchError {}

impl PermissionsPatch {
    /// Reads a patch from JSON text, strictly: unknown keys, repeated keys,
    /// arrays, values other than `true`/`false` and trailing input are
    /// refused, with the wire path at fault.
    ///
    /// ```
    /// use huddle_auth_core::PermissionsPatch;
    ///
    /// let patch = PermissionsPatch::from_json(r#"{"canProduceSources": {"cam": false}}"#)?;
    /// assert_eq!(patch.can_produce_sources.cam, Some(false));
    ///
    /// let error = PermissionsPatch::from_json(r#"{"canProduceSources": {"cam": 0}}"#)
    ///     .unwrap_err();
    /// assert_eq!(error.path(), Some("canProduceSources.cam"));
    /// # Ok::<(), huddle_auth_core::PatchError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<PermissionsPatch, PatchError> {
        let mut at_fault = None;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let read = PatchSeed {
            at_fault: &mut at_fault,
        }
        .deserialize(&mut deserializer)
        .and_then(|patch| deserializer.end().map(|()| patch));
        read.map_err(|error| match at_fault {
            Some(path) if error.is_data() => PatchError {
                path: Some(path),
                reason: error.to_string(),
            },
            _ if error.is_data() => PatchError {
                path: None,
                reason: error.to_string(),
            },
            _ => PatchError {
                path: None,
                reason: format!("not valid JSON: {error}"),
            },
        })
    }
}

impl<'de> Deserialize<'de> for PermissionsPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut at_fault = None;
        PatchSeed {
            at_fault: &mut at_fault,
        }
        .deserialize(deserializer)
        .map_err(|error| match &at_fault {
            Some(path) => de::Error::custom(format_args!("{path}: {error}")),
            None => error,
        })
    }
}

impl<'de> Deserialize<'de> for SourcesPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut at_fault = None;
        let mut patch = PermissionsPatch::default();
        deserializer.deserialize_any(SourcesVisitor {
            patch: &mut patch,
            at_fault: &mut at_fault,
        })?;
        Ok(patch.can_produce_sources)
    }
}

/// Reads a patch and records the wire path of the member at fault.
struct PatchSeed<'a> {
    at_fault: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for PatchSeed<'_> {
    type Value = PermissionsPatch;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(PatchVisitor {
            at_fault: self.at_fault,
        })
    }
}

struct PatchVisitor<'a> {
    at_fault: &'a mut Option<String>,
}

impl<'de> Visitor<'de> for PatchVisitor<'_> {
    type Value = PermissionsPatch;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of permissions, such as {\"canProduce\": false}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(not_an_array())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut patch = PermissionsPatch::default();
        let mut sources_seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == SOURCES_KEY {
                if sources_seen {
                    *self.at_fault = Some(key);
                    return Err(de::Error::duplicate_field(SOURCES_KEY));
                }
                sources_seen = true;
                map.next_value_seed(SourcesSeed {
                    patch: &mut patch,
                    at_fault: &mut *self.at_fault,
                })?;
                continue;
            }
            let Some(flag) = Flag::from_key(&key) else {
                let error = de::Error::unknown_field(&key, &KEYS);
                *self.at_fault = Some(key);
                return Err(error);
            };
            value(&mut map, &mut patch, flag, self.at_fault)?;
        }
        Ok(patch)
    }
}

struct SourcesSeed<'a> {
    patch: &'a mut PermissionsPatch,
    at_fault: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for SourcesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // Recorded first, so that a value that is not an object is blamed
        // on `canProduceSources`; a fault inside overwrites it.
        *self.at_fault = Some(SOURCES_KEY.to_owned());
        deserializer.deserialize_any(SourcesVisitor {
            patch: self.patch,
            at_fault: self.at_fault,
        })?;
        *self.at_fault = None;
        Ok(())
    }
}

struct SourcesVisitor<'a> {
    patch: &'a mut PermissionsPatch,
    at_fault: &'a mut Option<String>,
}

impl<'de> Visitor<'de> for SourcesVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of sources, such as {\"cam\": false}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(not_an_array())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let Some(source) = Source::from_wire(&name) else {
                let error = de::Error::unknown_field(&name, &Source::NAMES);
                *self.at_fault = Some(format!("{SOURCES_KEY}.{name}"));
                return Err(error);
            };
            value(&mut map, self.patch, Flag::of_source(source), self.at_fault)?;
        }
        Ok(())
    }
}

/// Reads the `true`/`false` of `flag`, refusing a second value for it.
fn value<'de, A: MapAccess<'de>>(
    map: &mut A,
    patch: &mut PermissionsPatch,
    flag: Flag,
    at_fault: &mut Option<String>,
) -> Result<(), A::Error> {
    *at_fault = Some(flag.path().to_owned());
    if flag.get_in_patch(patch).is_some() {
        return Err(de::Error::duplicate_field(flag.name()));
    }
    let value: bool = map.next_value()?;
    flag.set_in_patch(patch, value);
    *at_fault = None;
    Ok(())
}

/// Refuses an array where an object belongs: serde's derive would read a
/// struct from it by position. (The visitors are driven by
/// `deserialize_any`, since serde_json's `deserialize_map` reports an array
/// without asking them.)
fn not_an_array<E: de::Error>() -> E {
    E::custom("must be a JSON object, not an array")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(json: &str) -> (Option<String>, String) {
        let error = PermissionsPatch::from_json(json).expect_err(json);
        (error.path().map(str::to_owned), error.to_string())
    }

    #[test]
    fn reads_every_flag_and_keeps_the_others_unset() {
        let patch = PermissionsPatch::from_json(
            r#"{"admin": true, "canProduceSources": {"screen": false}, "canRecvData": false}"#,
        )
        .expect("a valid patch");
        let mut expected = PermissionsPatch {
            admin: Some(true),
            can_recv_data: Some(false),
            ..PermissionsPatch::default()
        };
        expected.can_produce_sources.screen = Some(false);
        assert_eq!(patch, expected);
        assert_eq!(
            PermissionsPatch::from_json("{}"),
            Ok(PermissionsPatch::default())
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_their_path() {
        let (path, message) = refused(r#"{"canFly": true}"#);
        assert_eq!(path.as_deref(), Some("canFly"));
        assert!(
            message.starts_with(
                "canFly: unknown field `canFly`, expected one of `admin`, `canConsume`, \
                 `canProduce`, `canProduceSources`, `canSendData`, `canRecvData`, \
                 `canUpdateMetadata`"
            ),
            "{message}"
        );
        let (path, message) = refused(r#"{"canProduceSources": {"video": true}}"#);
        assert_eq!(path.as_deref(), Some("canProduceSources.video"));
        assert!(
            message.contains("expected one of `cam`, `mic`, `screen`"),
            "{message}"
        );
    }

    #[test]
    fn repeated_keys_are_refused() {
        let (path, message) = refused(r#"{"admin": true, "admin": false}"#);
        assert_eq!(path.as_deref(), Some("admin"));
        assert!(
            message.starts_with("admin: duplicate field `admin`"),
            "{message}"
        );
        let (path, _) = refused(r#"{"canProduceSources": {"mic": true, "mic": true}}"#);
        assert_eq!(path.as_deref(), Some("canProduceSources.mic"));
        let (path, _) = refused(r#"{"canProduceSources": {}, "canProduceSources": {}}"#);
        assert_eq!(path.as_deref(), Some("canProduceSources"));
    }

    #[test]
    fn values_other_than_booleans_are_refused() {
        let (path, message) = refused(r#"{"canProduceSources": {"cam": "yes"}}"#);
        assert_eq!(path.as_deref(), Some("canProduceSources.cam"));
        assert!(
            message.starts_with("canProduceSources.cam: invalid type: string \"yes\""),
            "{message}"
        );
        let (path, _) = refused(r#"{"canConsume": 1}"#);
        assert_eq!(path.as_deref(), Some("canConsume"));
        let (path, _) = refused(r#"{"canConsume": null}"#);
        assert_eq!(path.as_deref(), Some("canConsume"));
    }

    #[test]
    fn arrays_are_refused_where_an_object_belongs() {
        let (path, message) = refused(r#"{"canProduceSources": [true, true, true]}"#);
        assert_eq!(path.as_deref(), Some("canProduceSources"));
        assert!(
            message.starts_with("canProduceSources: must be a JSON object, not an array"),
            "{message}"
        );
        let (path, message) = refused("[true, false]");
        assert_eq!(path, None);
        assert!(
            message.starts_with("must be a JSON object, not an array"),
            "{message}"
        );
    }

    #[test]
    fn bad_json_and_trailing_input_are_refused_as_a_whole() {
        let (path, message) = refused(r#"{"admin": true} x"#);
        assert_eq!(path, None);
        assert!(
            message.starts_with("not valid JSON: trailing characters"),
            "{message}"
        );
        let (path, message) = refused(r#"{"admin": tru"#);
        assert_eq!(path, None);
        assert!(message.starts_with("not valid JSON: "), "{message}");
    }

    #[test]
    fn deserialize_names_the_path_too() {
        let error = serde_json::from_str::<PermissionsPatch>(r#"{"canProduceSources":{"x":true}}"#)
            .expect_err("unknown source");
        assert!(
            error
                .to_string()
                .starts_with("canProduceSources.x: unknown field `x`"),
            "{error}"
        );
    }
}
