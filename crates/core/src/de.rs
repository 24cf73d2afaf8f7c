//! Serde helpers for the server's loose spots: `null` where a list is meant, `""` where an id
//! is missing.

use serde::{Deserialize, Deserializer};

/// Deserializes `null` as the type's default (e.g. an empty list). Use with
/// `#[serde(default, deserialize_with = "agentos_core::de::null_default")]`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Deserializes `null` and `""` as `None` (run schemas send empty strings for missing ids).
/// Use with `#[serde(default, deserialize_with = "agentos_core::de::empty_as_none")]`.
pub fn empty_as_none<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
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
}
