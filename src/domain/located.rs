//! Deserialising a `serde_json::Value` with the JSON location of the first error (`vpcs[1].cidr`).
//!
//! The plan reader used `serde_path_to_error` over `serde_json::Value`: two generic layers around every type of the
//! plan. This deserializer reads a `Value` and keeps the location itself, in one layer. Objects are read as objects
//! only: a JSON array where a struct is expected is refused (`invalid type: sequence, expected struct Vpc`), where
//! serde would have read the array's items as the struct's fields in declaration order. Refusing it also keeps the
//! positional reading of every struct out of the program.
//!
//! Messages are serde's own (the visitors write them); locations are written like `serde_path_to_error` writes them.

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde::Deserialize;
use serde_json::{Error, Value};
use std::cell::RefCell;
use std::fmt::Write;

/// Reads a `T` from `value`. On failure: the location of the first error (`.` for the whole document) and the error.
pub fn from_value<T: for<'de> Deserialize<'de>>(value: Value) -> Result<T, (String, Error)> {
    let track = Track::default();
    T::deserialize(De { value, at: &At::Root, track: &track })
        .map_err(|e| (track.first.into_inner().unwrap_or_else(|| ".".to_string()), e))
}

/// Parses JSON text into a `Value` as `serde_json::from_str` does, but refuses an object that gives one key twice:
/// serde_json keeps the last and drops the others without a word, which would lose part of a plan (a second
/// `"links": []` empties the links). On failure: the location (`.` for the text as a whole) and what is wrong.
pub fn parse(text: &str) -> Result<Value, (String, String)> {
    let repeated = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Strict { at: &At::Root, repeated: &repeated }.deserialize(&mut de).and_then(|v| de.end().map(|_| v));
    match (parsed, repeated.into_inner()) {
        (_, Some(found)) => Err(found),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err((".".to_string(), e.to_string())),
    }
}

/// Reads one JSON value at a location, noting the first key an object repeats.
struct Strict<'a> {
    at: &'a At<'a>,
    repeated: &'a RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) =
            seq.next_element_seed(Strict { at: &At::Index(self.at, items.len()), repeated: self.repeated })?
        {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(Strict { at: &At::Key(self.at, &key), repeated: self.repeated })?;
            match object.entry(key) {
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(v);
                }
                serde_json::map::Entry::Occupied(e) => {
                    let at = At::Key(self.at, e.key()).render();
                    let message = format!("the key {:?} is given twice in one object: which one is meant?", e.key());
                    *self.repeated.borrow_mut() = Some((at, message.clone()));
                    return Err(A::Error::custom(message));
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// Where a value is: the keys and indices from the document's root.
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn render(&self) -> String {
        fn walk(at: &At<'_>, out: &mut String) {
            match at {
                At::Root => {}
                // A key that is not a plain name (`subnets[0]`, a line break, an empty key) is written quoted, as
                // JSON writes it, `vpcs[0]["subnets[0]"]`: pasted in as it is, it would name another place, or
                // break the one-line message.
                At::Key(parent, key)
                    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    walk(parent, out);
                    let _ = write!(out, "[{}]", serde_json::Value::from(*key));
                }
                At::Key(parent, key) => {
                    walk(parent, out);
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                At::Index(parent, i) => {
                    walk(parent, out);
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        let mut out = String::new();
        walk(self, &mut out);
        if out.is_empty() {
            out.push('.');
        }
        out
    }
}

/// The location of the first error: errors travel outwards, so the first one recorded is the innermost.
#[derive(Default)]
struct Track {
    first: RefCell<Option<String>>,
}

impl Track {
    fn note<T>(&self, at: &At<'_>, r: Result<T, Error>) -> Result<T, Error> {
        if r.is_err() {
            let mut first = self.first.borrow_mut();
            if first.is_none() {
                *first = Some(at.render());
            }
        }
        r
    }
}

/// What a value is, for "invalid type" messages (the words serde uses).
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A value at a location.
struct De<'a> {
    value: Value,
    at: &'a At<'a>,
    track: &'a Track,
}

impl<'de> Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let r = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let len = items.len();
                let mut seq = Seq { items: items.into_iter(), index: 0, at, track };
                match visitor.visit_seq(&mut seq) {
                    Ok(v) if seq.items.len() == 0 => Ok(v),
                    Ok(_) => Err(Error::invalid_length(len, &"fewer elements in array")),
                    Err(e) => Err(e),
                }
            }
            Value::Object(map) => visit_object(map, visitor, at, track),
        };
        track.note(at, r)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => self.track.note(self.at, visitor.visit_none()),
            _ => {
                let (at, track) = (self.at, self.track);
                track.note(at, visitor.visit_some(self))
            }
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        track.note(at, visitor.visit_newtype_struct(self))
    }

    /// Enums of the plan are unit variants written as strings.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let r = match self.value {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            other => Err(Error::invalid_type(unexpected(&other), &"string")),
        };
        self.track.note(self.at, r)
    }

    /// Structs are read from JSON objects only (see the module's documentation).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let r = match self.value {
            Value::Object(map) => visit_object(map, visitor, self.at, self.track),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        };
        self.track.note(self.at, r)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    map: serde_json::Map<String, Value>,
    visitor: V,
    at: &At<'_>,
    track: &Track,
) -> Result<V::Value, Error> {
    let len = map.len();
    let mut access = Object { entries: map.into_iter(), key: String::new(), value: None, at, track };
    match visitor.visit_map(&mut access) {
        Ok(v) if access.entries.len() == 0 => Ok(v),
        Ok(_) => Err(Error::invalid_length(len, &"fewer elements in map")),
        Err(e) => Err(e),
    }
}

/// The items of an array, each at its index.
struct Seq<'a> {
    items: std::vec::IntoIter<Value>,
    index: usize,
    at: &'a At<'a>,
    track: &'a Track,
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else { return Ok(None) };
        let at = At::Index(self.at, self.index);
        self.index += 1;
        let r = seed.deserialize(De { value, at: &at, track: self.track });
        self.track.note(&at, r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value at its key (an unknown key is reported at the key itself).
struct Object<'a> {
    entries: serde_json::map::IntoIter,
    key: String,
    value: Option<Value>,
    at: &'a At<'a>,
    track: &'a Track,
}

impl<'de> MapAccess<'de> for Object<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.key = key;
        self.value = Some(value);
        let r = seed.deserialize(self.key.clone().into_deserializer());
        self.track.note(&At::Key(self.at, &self.key), r).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let value = self.value.take().ok_or_else(|| Error::custom("a value was asked for before its key"))?;
        let at = At::Key(self.at, &self.key);
        let r = seed.deserialize(De { value, at: &at, track: self.track });
        self.track.note(&at, r)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::model::Plan;
    use serde_json::json;

    fn err_of<T: for<'de> Deserialize<'de> + std::fmt::Debug>(v: Value) -> (String, String) {
        let (at, e) = from_value::<T>(v).unwrap_err();
        (at, e.to_string())
    }

    /// The strict parser reads what serde_json reads, and refuses a repeated key at its location.
    #[test]
    fn parse_reads_json_and_refuses_a_key_given_twice() {
        for text in [
            include_str!("../../www/examples/guangzhou.json"),
            r#"[1, -2, 3.5, 1e300, "x\u00e9", null, true, {}, [], {"a": {"b": [0, {"c": 1}]}}]"#,
        ] {
            assert_eq!(parse(text), Ok(serde_json::from_str::<Value>(text).unwrap()));
        }
        let cases = [
            (r#"{"a": 1, "a": 2}"#, "a"),
            (r#"{"links": [], "x": 1, "links": []}"#, "links"),
            (r#"{"vpcs": [{"id": "v"}, {"id": "w", "cidr": "a", "cidr": "b"}]}"#, "vpcs[1].cidr"),
        ];
        for (text, at) in cases {
            let (got_at, message) = parse(text).unwrap_err();
            assert_eq!(got_at, at, "{text}");
            assert!(message.contains("given twice"), "{message}");
        }
        let (at, message) = parse(r#"{"a": 1} x"#).unwrap_err();
        assert_eq!(at, ".");
        assert!(message.contains("trailing characters"), "{message}");
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            include_str!("../../www/examples/guangzhou.json"),
            include_str!("../../tests/fixtures/plan-format-example.json"),
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            let ours: Plan = from_value(v.clone()).unwrap();
            let theirs: Plan = serde_json::from_value(v).unwrap();
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn errors_carry_serdes_message_and_the_location() {
        let plan = |extra: Value| {
            let mut v = json!({"format": "classiclink-plan", "version": 1});
            v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            v
        };
        let cases = [
            (json!({"vpcs": [{"id": "vpc-1"}]}), "vpcs[0]", "missing field `region`"),
            (json!({"vpcs": "x"}), "vpcs", "invalid type: string \"x\", expected a sequence"),
            (json!({"quotas": {"links_per_vpc": -1}}), "quotas.links_per_vpc", "invalid value: integer `-1`"),
            (json!({"quotas": {"links_per_vpc": 1.5}}), "quotas.links_per_vpc", "invalid type: floating point"),
            (json!({"quotas": {"typo": 1}}), "quotas.typo", "unknown field `typo`"),
            (json!({"quotas": []}), "quotas", "invalid type: sequence, expected struct Quotas"),
            (json!({"account": {"platforms": "both"}}), "account.platforms", "unknown variant `both`"),
            (json!({"account": {"platforms": 3}}), "account.platforms", "invalid type: integer `3`, expected string"),
            (json!({"name": null}), "name", "invalid type: null, expected a string"),
            // A key that is no plain name is quoted: pasted in as it is, `subnets[0]` would name the first subnet, a
            // line break would break the one-line message, and an empty key would name nothing.
            (json!({"vpcs": [{"subnets[0]": 1}]}), r#"vpcs[0]["subnets[0]"]"#, "unknown field `subnets[0]`"),
            (json!({"quotas": {"a\nb": 1}}), r#"quotas["a\nb"]"#, "unknown field"),
            (json!({"": 1}), r#"[""]"#, "unknown field"),
            (json!({"account": {"platforms x": 1}}), r#"account["platforms x"]"#, "unknown field"),
        ];
        for (extra, at, words) in cases {
            let (got_at, msg) = err_of::<Plan>(plan(extra.clone()));
            assert_eq!(got_at, at, "{extra}: {msg}");
            assert!(msg.contains(words), "{extra}: {msg:?} lacks {words:?}");
        }
        assert_eq!(err_of::<Plan>(json!(3)).0, ".");
    }
}
