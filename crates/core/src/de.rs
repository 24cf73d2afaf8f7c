//! Serde helpers for the server's loose spots: `null` where a list is meant, `""` where an id
//! is missing; and the cheap scan that bounds what decoding a body may cost.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` as the type's default (e.g. an empty list). Use with
/// `#[serde(default, deserialize_with = "agentos_core::kit::de::null_default")]`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Deserializes `null` and `""` as `None` (run schemas send empty strings for missing ids).
/// Use with `#[serde(default, deserialize_with = "agentos_core::kit::de::empty_as_none")]`.
pub fn empty_as_none<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// A JSON value as text: a string as it is, anything else (structured output) serialized as
/// compact JSON; `None` for null. The one reading of "content as text" the SDK's
/// `content_text` and `result_text` accessors share.
///
/// ```
/// use agentos_core::kit::de::value_text;
/// use serde_json::json;
/// assert_eq!(value_text(&json!("hi")).as_deref(), Some("hi"));
/// assert_eq!(value_text(&json!({"a": 1})).as_deref(), Some(r#"{"a":1}"#));
/// assert_eq!(value_text(&json!(null)), None);
/// ```
pub fn value_text(value: &serde_json::Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        serde_json::Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        serde_json::Value::Null => None,
        other => Some(std::borrow::Cow::Owned(other.to_string())),
    }
}

/// Whether `json` holds at most `limit` objects and arrays (strings are skipped, so braces
/// inside them do not count). A byte scan, far cheaper than decoding: it runs before typed
/// decoding so that a body such as `[{},{},...]`, where every 3 bytes become a struct of
/// hundreds, cannot cost more memory than the limit allows. It stops at the first value past
/// the limit. Bytes that are not JSON are scanned all the same (decoding then fails).
///
/// ```
/// use agentos_core::kit::de::json_values_within;
/// assert!(json_values_within(br#"{"a":[{},{}],"b":"{{{[[["}"#, 4));
/// assert!(!json_values_within(br#"{"a":[{},{}],"b":"{{{[[["}"#, 3));
/// ```
pub fn json_values_within(json: &[u8], limit: usize) -> bool {
    let mut count = 0usize;
    let mut at = 0;
    while let Some(rel) = memchr::memchr3(b'"', b'{', b'[', &json[at..]) {
        let found = at + rel;
        if json[found] != b'"' {
            count += 1;
            if count > limit {
                return false;
            }
            at = found + 1;
            continue;
        }
        // Skip the string, escapes included.
        let mut inside = found + 1;
        loop {
            let Some(rel) = memchr::memchr2(b'"', b'\\', json.get(inside..).unwrap_or_default())
            else {
                return true;
            };
            let hit = inside + rel;
            if json[hit] == b'\\' {
                inside = hit + 2;
            } else {
                at = hit + 1;
                break;
            }
        }
    }
    true
}

/// The text of a content value, the one meaning of every `content_text()` of the SDK (a run's
/// output, a step result, a stream event, a stored run): a string as it is, any other JSON
/// (structured output) serialized compactly, empty when there is no content.
///
/// ```
/// use agentos_core::kit::de::content_text;
/// assert_eq!(content_text(Some(&serde_json::json!("hi"))), "hi");
/// assert_eq!(content_text(Some(&serde_json::json!({"a": 1}))), r#"{"a":1}"#);
/// assert_eq!(content_text(None), "");
/// ```
pub fn content_text(content: Option<&serde_json::Value>) -> String {
    content
        .and_then(value_text)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default()
}

/// The fields a type knows, told by name (see [`Key`]).
pub trait FieldName: Sized {
    /// The field of this name, if the type knows it.
    fn of(name: &str) -> Option<Self>;
}

/// A key of an object being decoded: a field the type knows (`K`), or another, owned (it
/// goes to the type's map of unknown fields). The name is compared where it lies: only an
/// unknown name is copied.
pub enum Key<K> {
    /// A known field.
    Known(K),
    /// Another field's name.
    Other(String),
}

impl<'de, K: FieldName> Deserialize<'de> for Key<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor<K>(std::marker::PhantomData<K>);
        impl<K: FieldName> serde::de::Visitor<'_> for KeyVisitor<K> {
            type Value = Key<K>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<K>, E> {
                Ok(K::of(v).map_or_else(|| Key::Other(v.to_owned()), Key::Known))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<K>, E> {
                Ok(K::of(&v).map_or(Key::Other(v), Key::Known))
            }
        }
        d.deserialize_identifier(KeyVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::null_default")]
        list: Vec<u8>,
        #[serde(default, deserialize_with = "super::empty_as_none")]
        id: Option<String>,
    }

    #[test]
    fn nulls_and_empty_strings() {
        let t: T = serde_json::from_str(r#"{"list": null, "id": ""}"#).unwrap();
        assert!(t.list.is_empty());
        assert_eq!(t.id, None);
        let t: T = serde_json::from_str(r#"{"list": [1], "id": "x"}"#).unwrap();
        assert_eq!(t.list, [1]);
        assert_eq!(t.id.as_deref(), Some("x"));
        let t: T = serde_json::from_str("{}").unwrap();
        assert!(t.list.is_empty() && t.id.is_none());
    }

    #[test]
    fn values_are_counted_outside_strings_only() {
        use super::json_values_within as within;
        assert!(within(b"", 0));
        assert!(within(b"123", 0));
        assert!(!within(b"[]", 0));
        assert!(within(b"[]", 1));
        assert!(within(br#"["[{\"[{", "\\", "{"]"#, 1));
        assert!(!within(br#"["\\", {}]"#, 1));
        assert!(within(br#"[{"a":[1,2,{"b":null}]}]"#, 4));
        assert!(!within(br#"[{"a":[1,2,{"b":null}]}]"#, 3));
        let many = format!("[{}{{}}]", "{},".repeat(999));
        assert!(within(many.as_bytes(), 1001));
        assert!(!within(many.as_bytes(), 1000));
        // An unterminated string or a lone escape at the end does not read past the end.
        assert!(within(br#"[{"ab\"#, 2));
        assert!(within(br#"[{"ab"#, 2));
    }
}
