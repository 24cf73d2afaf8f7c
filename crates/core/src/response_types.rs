//! Families of response types declared from one field list.

/// Declares response types that share a list of fields, the list written once. For area
/// crates, outside semver (see [`kit`](crate::kit)).
///
/// Each struct gets `#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]` (the
/// calling crate depends on `serde`), `#[non_exhaustive]`, its own fields, the `shared`
/// fields where its body says `..shared`, and last `#[serde(flatten)] pub extra: Extra`
/// (fields this SDK does not model). Every field keeps its attributes (docs, `serde`) as
/// written; more attributes on a struct (docs, another `derive`) go with it.
///
/// ```
/// agentos_core::response_types! {
///     shared {
///         /// The user it belongs to.
///         pub user_id: Option<String>,
///         /// When it was created.
///         pub created_at: Option<agentos_core::Timestamp>,
///     }
///     /// A note.
///     pub struct Note {
///         /// The note id.
///         pub id: String,
///         ..shared,
///         /// The text.
///         pub text: Option<String>,
///     }
///     /// A tag.
///     pub struct Tag {
///         ..shared
///     }
/// }
/// let n: Note = serde_json::from_str(r#"{"id": "n1", "user_id": "u", "colour": "red"}"#).unwrap();
/// assert_eq!(n.user_id.as_deref(), Some("u"));
/// assert_eq!(n.extra["colour"], "red");
/// let t: Tag = serde_json::from_str("{}").unwrap();
/// assert_eq!(t.created_at, None);
/// ```
#[macro_export]
macro_rules! response_types {
    (
        shared $shared:tt
        $( $(#[$m:meta])* pub struct $name:ident { $($body:tt)* } )+
    ) => {
        $( $crate::response_types!(@one $shared $(#[$m])* $name { $($body)* }); )+
    };
    (
        @one { $( $(#[$sm:meta])* pub $sf:ident : $st:ty ),* $(,)? }
        $(#[$m:meta])* $name:ident {
            $( $(#[$bm:meta])* pub $bf:ident : $bt:ty, )*
            ..shared
            $( , $(#[$am:meta])* pub $af:ident : $at:ty )* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$bm])* pub $bf: $bt, )*
            $( $(#[$sm])* pub $sf: $st, )*
            $( $(#[$am])* pub $af: $at, )*
            /// Fields this SDK does not model.
            #[serde(flatten)]
            pub extra: $crate::Extra,
        }
    };
}

/// Implements `Deserialize` for a response type whose unknown fields go to a flattened
/// `extra` map, without `#[serde(flatten)]`'s detour: serde's derive buffers every unknown
/// field (a tree of its own) before it moves it into the map; this reads each field once,
/// straight into its slot or the map. For area crates, outside semver (see
/// [`kit`](crate::kit)).
///
/// The same decoding as the derive with `#[serde(default)]` on every listed field: the type's
/// `Default` gives the value of an absent field, a listed field twice is an error, a later
/// unknown field replaces an earlier one of the same name, and only a map is accepted. The
/// type keeps `#[derive(Serialize)]` (and its `#[serde(flatten)]` on `extra`, which only
/// `Serialize` then reads).
///
/// ```
/// use serde::Deserialize;
/// #[derive(Debug, Default, PartialEq, serde::Serialize)]
/// struct Usage {
///     tokens: Option<u64>,
///     cached: bool,
///     #[serde(flatten)]
///     extra: agentos_core::Extra,
/// }
/// agentos_core::deserialize_with_extra!(Usage { tokens, cached } extra);
///
/// let u: Usage = serde_json::from_str(r#"{"tokens": 3, "model": "m"}"#).unwrap();
/// assert_eq!((u.tokens, u.cached, &u.extra["model"]), (Some(3), false, &serde_json::json!("m")));
/// assert!(serde_json::from_str::<Usage>(r#"{"tokens": 1, "tokens": 2}"#).is_err());
/// ```
#[macro_export]
macro_rules! deserialize_with_extra {
    ($name:ident { $($field:ident),+ $(,)? } $extra:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                use ::serde::de::{Error as _, MapAccess, Visitor};

                /// The listed fields, one bit each.
                #[allow(non_camel_case_types)]
                #[derive(Clone, Copy)]
                enum Known {
                    $( $field, )+
                }
                const _: () = assert!([$(stringify!($field)),+].len() <= 64, "one bit per field");

                impl $crate::kit::de::FieldName for Known {
                    fn of(name: &str) -> ::core::option::Option<Known> {
                        ::core::option::Option::Some(match name {
                            $( stringify!($field) => Known::$field, )+
                            _ => return ::core::option::Option::None,
                        })
                    }
                }

                struct Fields;
                impl<'de> Visitor<'de> for Fields {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        let mut out = <$name as ::core::default::Default>::default();
                        let mut seen = 0u64;
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::kit::de::Key<Known>>()?
                        {
                            match key {
                                $crate::kit::de::Key::Known(known) => {
                                    let bit = 1u64 << (known as u32);
                                    if seen & bit != 0 {
                                        return ::core::result::Result::Err(A::Error::custom(
                                            ::core::format_args!("duplicate field `{}`", match known {
                                                $( Known::$field => stringify!($field), )+
                                            }),
                                        ));
                                    }
                                    seen |= bit;
                                    match known {
                                        $( Known::$field => out.$field = map.next_value()?, )+
                                    }
                                }
                                $crate::kit::de::Key::Other(name) => {
                                    out.$extra.insert(name, map.next_value()?);
                                }
                            }
                        }
                        ::core::result::Result::Ok(out)
                    }
                }

                deserializer.deserialize_map(Fields)
            }
        }

        /// Every field is listed: a field left out would land in the map of unknown fields.
        const _: fn(&$name) = |v| {
            let $name { $( $field: _, )+ $extra: _ } = v;
        };
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{Value, json};

    use crate::Extra;

    /// Decoded by the macro.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    struct ByHand {
        name: Option<String>,
        count: Option<u64>,
        on: bool,
        sure: bool,
        nested: Option<Vec<ByHand>>,
        any: Option<Value>,
        #[serde(flatten)]
        extra: Extra,
    }

    impl Default for ByHand {
        fn default() -> Self {
            ByHand {
                name: None,
                count: None,
                on: false,
                sure: true,
                nested: None,
                any: None,
                extra: Extra::new(),
            }
        }
    }

    crate::deserialize_with_extra!(ByHand { name, count, on, sure, nested, any } extra);

    fn yes() -> bool {
        true
    }

    /// The same type, decoded by serde's derive with `flatten`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Derived {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        count: Option<u64>,
        #[serde(default)]
        on: bool,
        #[serde(default = "yes")]
        sure: bool,
        #[serde(default)]
        nested: Option<Vec<Derived>>,
        #[serde(default)]
        any: Option<Value>,
        #[serde(flatten)]
        extra: Extra,
    }

    /// Both decodings of `text`, as JSON (or `None` for an error).
    fn both(text: &str) -> (Option<Value>, Option<Value>) {
        let hand = serde_json::from_str::<ByHand>(text).ok();
        let derived = serde_json::from_str::<Derived>(text).ok();
        (
            hand.map(|v| serde_json::to_value(v).unwrap()),
            derived.map(|v| serde_json::to_value(v).unwrap()),
        )
    }

    #[test]
    fn decodes_as_the_derive_with_flatten_does() {
        let cases = [
            r#"{}"#,
            r#"{"name": "a", "count": 3, "on": true, "sure": false}"#,
            r#"{"name": null, "count": null, "any": null, "nested": null}"#,
            r#"{"other": 1, "more": {"deep": [1, {"x": null}]}, "name": "a"}"#,
            r#"{"other": 1, "other": 2}"#,
            r#"{"name": "a", "name": "b"}"#,
            r#"{"on": null}"#,
            r#"{"count": -1}"#,
            r#"{"count": "3"}"#,
            r#"{"name": 5}"#,
            r#"{"nested": [{"name": "in", "z": true}, {}]}"#,
            r#"{"nested": [{"name": "in", "name": "twice"}]}"#,
            r#"{"nested": {"name": "not a list"}}"#,
            r#"{"any": {"name": "kept whole"}, "name": "x"}"#,
            r#"{"name": "esc\"aped\u00e9", "k\u00e9y": "unicode key"}"#,
            r#"[]"#,
            r#"["a", 1]"#,
            r#"null"#,
            r#""text""#,
            r#"{"name": "a""#,
        ];
        let mut decoded = 0;
        for text in cases {
            let (hand, derived) = both(text);
            assert_eq!(hand, derived, "{text}");
            decoded += usize::from(hand.is_some());
        }
        assert_eq!(decoded, 8, "the cases that decode, and only those");

        // From a `Value` too (the way a stream event's rest is read).
        let value = json!({"name": "v", "sure": false, "x": [1, 2], "nested": [{"y": 1}]});
        let hand = ByHand::deserialize(&value).unwrap();
        assert_eq!(hand.name.as_deref(), Some("v"));
        assert!(!hand.sure);
        assert_eq!(hand.extra["x"], json!([1, 2]));
        assert_eq!(hand.nested.as_ref().unwrap()[0].extra["y"], 1);
        assert!(hand.nested.as_ref().unwrap()[0].sure, "absent: the Default");
        assert_eq!(
            serde_json::to_value(&hand).unwrap(),
            serde_json::to_value(Derived::deserialize(&value).unwrap()).unwrap()
        );
    }

    #[test]
    fn a_duplicate_field_is_named_in_the_error() {
        let err = serde_json::from_str::<ByHand>(r#"{"count": 1, "count": 2}"#).unwrap_err();
        assert!(err.to_string().contains("duplicate field `count`"), "{err}");
    }
}
