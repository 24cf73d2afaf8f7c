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

/// What a server's answer has in place of one of the client's own secrets.
pub(crate) const REDACTED: &str = "[redacted]";

/// The client's own secret values (the bearer token, sensitive header values, the
/// `user:password` of the base URL), to scrub from what a server sends back before it is kept
/// in an error or logged: a server or proxy that reflects the request in an error body must
/// not make the SDK print its credentials.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    needles: Vec<SecretString>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} values)", self.needles.len())
    }
}

impl Secrets {
    /// Adds a secret value, and the forms a server may echo it in (JSON-escaped).
    fn add(&mut self, secret: &str) {
        if secret.is_empty() || self.needles.iter().any(|n| n.expose() == secret) {
            return;
        }
        if let Ok(json) = serde_json::to_string(secret) {
            let escaped = &json[1..json.len() - 1];
            if escaped != secret {
                self.needles.push(SecretString::from(escaped));
            }
        }
        self.needles.push(SecretString::from(secret));
    }

    /// Adds the secret header values among `headers` (a sensitive value, or any value of a
    /// header that is secret by name): the whole value, and the credential after an auth
    /// scheme (`Bearer abc` adds `abc`).
    pub(crate) fn add_headers(&mut self, headers: &http::HeaderMap) {
        for (name, value) in headers {
            if !crate::request::is_secret(name, value) {
                continue;
            }
            let Ok(text) = std::str::from_utf8(value.as_bytes()) else {
                continue;
            };
            self.add(text);
            if let Some((_, credential)) = text.split_once(' ') {
                self.add(credential.trim());
            }
        }
    }

    /// Adds the userinfo of `url` (`user:password@`), raw and percent-decoded, and the
    /// `Basic` credential an HTTP stack makes of it.
    pub(crate) fn add_userinfo(&mut self, url: &str) {
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return;
        };
        let authority_end = url[scheme_end..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| scheme_end + i);
        let Some(at) = url[scheme_end..authority_end].rfind('@') else {
            return;
        };
        let userinfo = &url[scheme_end..scheme_end + at];
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let (user_plain, password_plain) = (decode(user), decode(password));
        for s in [user, password, &user_plain, &password_plain] {
            self.add(s);
        }
        self.add(&base64(format!("{user_plain}:{password_plain}").as_bytes()));
    }

    /// These secrets and the secret headers of one call.
    pub(crate) fn with_headers(
        self: &std::sync::Arc<Self>,
        headers: &http::HeaderMap,
    ) -> std::sync::Arc<Self> {
        let mut call = Secrets::clone(self);
        call.add_headers(headers);
        if call.needles.len() == self.needles.len() {
            return self.clone();
        }
        std::sync::Arc::new(call)
    }

    /// What an error keeps of `body`: its first `MAX_ERROR_BODY` bytes with every secret
    /// value replaced (a secret across the cut is replaced too).
    pub(crate) fn error_body(&self, body: &[u8]) -> String {
        let longest = self
            .needles
            .iter()
            .map(|n| n.expose().len())
            .max()
            .unwrap_or(0);
        let window = &body[..body.len().min(crate::error::MAX_ERROR_BODY + longest)];
        crate::error::error_body(&self.scrub(window))
    }

    /// `body` with every secret value replaced by `[redacted]`.
    pub(crate) fn scrub<'a>(&self, body: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        let mut out = std::borrow::Cow::Borrowed(body);
        // Longest first, so a whole `Bearer abc` goes before its `abc`.
        let mut needles: Vec<&[u8]> = self.needles.iter().map(|n| n.expose().as_bytes()).collect();
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for needle in needles {
            let finder = memchr::memmem::Finder::new(needle);
            if finder.find(&out).is_none() {
                continue;
            }
            let mut replaced = Vec::with_capacity(out.len());
            let mut last = 0;
            for at in finder.find_iter(&out) {
                if at < last {
                    continue;
                }
                replaced.extend_from_slice(&out[last..at]);
                replaced.extend_from_slice(REDACTED.as_bytes());
                last = at + needle.len();
            }
            replaced.extend_from_slice(&out[last..]);
            out = std::borrow::Cow::Owned(replaced);
        }
        out
    }
}

/// Standard base64 with padding (what a `Basic` credential is made of).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{SecretUrl, Secrets, base64, redact_userinfo};

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

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn every_form_of_a_secret_is_scrubbed_and_nothing_else() {
        let mut secrets = Secrets::default();
        let mut headers = http::HeaderMap::new();
        let (k, v) = crate::kit::parse_header("authorization", "Bearer tok-1").unwrap();
        headers.insert(k, v);
        let (k, v) = crate::kit::parse_header("x-tenant", "acme").unwrap();
        headers.insert(k, v);
        let mut key = http::HeaderValue::from_static("gw\"key");
        key.set_sensitive(true);
        headers.insert("x-gateway", key);
        secrets.add_headers(&headers);
        secrets.add_userinfo("https://al%40ice:p%2Fw@h.example/prefix");
        let body = br#"{"detail":"bad tok-1 (Bearer tok-1) gw\"key for al@ice p/w p%2Fw YWxAaWNlOnAvdw== acme"}"#;
        let scrubbed = String::from_utf8(secrets.scrub(body).into_owned()).unwrap();
        assert_eq!(
            scrubbed,
            r#"{"detail":"bad [redacted] ([redacted]) [redacted] for [redacted] [redacted] [redacted] [redacted] acme"}"#
        );
        assert!(matches!(
            secrets.scrub(b"clean"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
