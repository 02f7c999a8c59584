//! JSON read as a `serde_json::Value` that refuses repeated members.
//!
//! serde_json keeps the last of two members with the same name, and RFC 8259
//! section 4 leaves that to the parser. For a key, the last value winning
//! means a reviewer reads key A where the verifier uses key B
//! (`"x": A, "x": B`), so every object of a JWK or JWKS, at every depth,
//! must name each member once. The claims have their own one-pass reader
//! (`claims/decode.rs`); keys are read once, at load time, so a plain value
//! tree is fine here.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses `json` into a value, refusing a repeated member in any object and
/// anything after the value but whitespace. Nesting is bounded by
/// serde_json's recursion limit (128).
pub(super) fn from_slice(json: &[u8]) -> serde_json::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let UniqueMembers(value) = UniqueMembers::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

struct UniqueMembers(Value);

impl<'de> Deserialize<'de> for UniqueMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ValueVisitor)
            .map(UniqueMembers)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueMembers(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if members.contains_key(&name) {
                return Err(de::Error::custom(format_args!(
                    "the member {name:?} is given twice"
                )));
            }
            let UniqueMembers(value) = map.next_value()?;
            members.insert(name, value);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_members_are_refused_at_every_depth() {
        for json in [
            r#"{"x":1,"x":1}"#,
            r#"{"a":{"x":1,"y":2,"x":3}}"#,
            r#"{"a":[{"x":1},{"x":1,"x":2}]}"#,
            r#"{"x":1,"\u0078":2}"#,
        ] {
            let error = from_slice(json.as_bytes()).expect_err(json);
            assert!(
                error
                    .to_string()
                    .starts_with("the member \"x\" is given twice"),
                "{json}: {error}"
            );
        }
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let json = r#"{"a":[1,-2,3.5,"s",true,null,{}],"b":{"x":"y"}}"#;
        let expected: Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(from_slice(json.as_bytes()).expect("no repeats"), expected);
        assert!(from_slice(b"{} {}").is_err(), "trailing input");
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(from_slice(deep.as_bytes()).is_err(), "too deep");
    }
}
