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
