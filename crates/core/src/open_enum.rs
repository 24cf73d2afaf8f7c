//! Enums filled by the server keep values this SDK does not know yet.

/// Declares an enum of wire strings with an `Unknown(String)` variant that keeps any value
/// the SDK does not know, so a newer server never breaks decoding. Matching is exact first,
/// then case-insensitive.
///
/// ```
/// agentos_core::open_enum! {
///     /// A color.
///     pub enum Color { /// Red.
///         Red = "red", /// Blue.
///         Blue = "blue" }
/// }
/// let c: Color = serde_json::from_str("\"RED\"").unwrap();
/// assert_eq!(c, Color::Red);
/// let u: Color = serde_json::from_str("\"mauve\"").unwrap();
/// assert_eq!(u, Color::Unknown("mauve".into()));
/// assert_eq!(serde_json::to_string(&u).unwrap(), "\"mauve\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s.as_str(),
                }
            }

            /// Parses a wire value; unknown values are kept in `Unknown`.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => return $name::$variant, )+
                    _ => {}
                }
                $( if s.eq_ignore_ascii_case($wire) { return $name::$variant; } )+
                $name::Unknown(s.to_owned())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from_wire(s))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::from_wire(s)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(d)?;
                Ok($name::from_wire(&s))
            }
        }
    };
}
