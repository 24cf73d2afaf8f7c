//! Secrets (bearer tokens, security keys, service-account tokens) that never print.

use std::fmt;

use zeroize::Zeroize;

/// A secret string. Its `Debug` and `Display` print `[redacted]`; its memory is zeroed on drop.
///
/// ```
/// use agentos_core::SecretString;
/// let key = SecretString::from("s3cr3t");
/// assert_eq!(format!("{key:?}"), "SecretString([redacted])");
/// assert_eq!(key.to_string(), "[redacted]");
/// assert_eq!(key.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretString(secret.into())
    }

    /// The secret itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        SecretString(s.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([redacted])")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SecretString)
    }
}

/// A URL that may carry a credential in its query string, such as a presigned storage URL
/// (`...?X-Amz-Signature=...`) handed out by a redirect. `Debug` and `Display` show the scheme,
/// host and path but never the query or fragment; [`expose`](Self::expose) gives the whole URL.
///
/// ```
/// use agentos_core::SecretUrl;
/// let url = SecretUrl::new("https://bucket.example/media/cat.png?X-Amz-Signature=abc");
/// assert_eq!(url.to_string(), "https://bucket.example/media/cat.png?[redacted]");
/// assert!(!format!("{url:?}").contains("abc"));
/// assert_eq!(url.expose(), "https://bucket.example/media/cat.png?X-Amz-Signature=abc");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(SecretString);

impl SecretUrl {
    /// Wraps a URL.
    pub fn new(url: impl Into<String>) -> Self {
        SecretUrl(SecretString::new(url))
    }

    /// The whole URL, query included. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The URL without its query string and fragment (safe to print).
    pub fn without_query(&self) -> &str {
        let url = self.expose();
        let end = url.find(['?', '#']).unwrap_or(url.len());
        // Userinfo (`https://user:pass@host/`) is a credential too: print nothing of it.
        let cut = &url[..end];
        match (cut.find("://"), cut.find('@')) {
            (Some(scheme), Some(at)) if at > scheme => &url[..scheme + 3],
            _ => cut,
        }
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretUrl({self})")
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.without_query();
        f.write_str(shown)?;
        match &self.expose()[shown.len()..] {
            "" => Ok(()),
            rest if rest.starts_with('?') => f.write_str("?[redacted]"),
            _ => f.write_str("[redacted]"),
        }
    }
}

/// `url` with any `user:password@` replaced by `[redacted]@` (for errors and `Debug`).
pub(crate) fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.into();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    match url[scheme_end..authority_end].rfind('@') {
        Some(at) => format!(
            "{}[redacted]{}",
            &url[..scheme_end],
            &url[scheme_end + at..]
        )
        .into(),
        None => url.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{SecretUrl, redact_userinfo};

    #[test]
    fn userinfo_is_redacted_and_nothing_else_changes() {
        for (url, shown) in [
            (
                "https://u:pw@h.example:8/a?b=c@d",
                "https://[redacted]@h.example:8/a?b=c@d",
            ),
            ("http://h.example/p@x", "http://h.example/p@x"),
            ("http://127.0.0.1:7777", "http://127.0.0.1:7777"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(redact_userinfo(url), shown);
        }
    }

    #[test]
    fn a_url_prints_without_query_fragment_or_userinfo() {
        let cases = [
            ("https://h.example/a/b", "https://h.example/a/b"),
            (
                "https://h.example/a?sig=x",
                "https://h.example/a?[redacted]",
            ),
            ("https://h.example/a#tok", "https://h.example/a[redacted]"),
            ("https://u:pw@h.example/a", "https://[redacted]"),
            ("/relative?sig=x", "/relative?[redacted]"),
        ];
        for (url, shown) in cases {
            let u = SecretUrl::new(url);
            assert_eq!(u.to_string(), shown, "{url}");
            assert_eq!(format!("{u:?}"), format!("SecretUrl({shown})"));
            assert_eq!(u.expose(), url);
        }
    }
}
