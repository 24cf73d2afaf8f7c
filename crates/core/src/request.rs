//! A request is data: method, route template, encoded path, query, headers and body.
//!
//! Area crates describe requests with [`Request`]; only the [`Transport`](crate::Transport)
//! turns them into network traffic.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::retry::{RetryPolicy, idempotent_method};

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `segment` as one path segment: `/`, `\`, `?`, `#` and `%` can never escape
/// it (everything but ASCII letters, digits and `-._~` is encoded).
///
/// Encoding alone does not make a segment safe: URL parsers (WHATWG rules, which `reqwest`
/// follows) treat `%2E` as a dot and resolve `.`/`..` segments, encoded or not. Build paths
/// with [`fill_path`], which refuses such values.
///
/// ```
/// assert_eq!(agentos_core::kit::encode_segment("a/..\\b"), "a%2F..%5Cb");
/// assert_eq!(agentos_core::kit::encode_segment("50% ?#"), "50%25%20%3F%23");
/// ```
pub fn encode_segment(segment: &str) -> String {
    match segment {
        // Encoded, but still a dot segment to a WHATWG parser: `fill_path` refuses these.
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        s => utf8_percent_encode(s, SEGMENT).to_string(),
    }
}

/// Why `piece` cannot be a path segment of its own: empty, or a dot segment (`.` or `..`)
/// that a URL parser would resolve away, taking the request to another route.
fn unsafe_segment(piece: &str) -> Option<&'static str> {
    match piece {
        "" => Some("must not be empty"),
        "." | ".." => Some("must not be `.` or `..` (the URL would climb to another route)"),
        _ => None,
    }
}

/// Fills the `{...}` placeholders of a route template with percent-encoded segments, in order.
///
/// No value can change the route; these are refused with [`Error::InvalidRequest`] naming
/// the parameter, before anything is sent:
///
/// - an empty value (`/agents/{id}` would become `/agents/`);
/// - `.` or `..`: URL parsers resolve such dot segments (even percent-encoded, `%2E%2E`), so
///   the request would climb out of the route, and out of a base URL's path prefix;
/// - a `/` in a one-segment value: AgentOS (FastAPI) decodes `%2F` before routing, so
///   `get_agent("x/runs")` would reach `/agents/{id}/runs` instead of an agent called
///   `x/runs`. No AgentOS id can hold a `/`, so the call could never succeed anyway.
///
/// A placeholder written `{name:path}` (a storage key, a workspace path) takes a value that
/// may contain `/`: each of its `/`-separated pieces is encoded on its own, and an empty,
/// `.` or `..` piece is refused. Everything else (spaces, unicode, `?`, `#`, `%`, `\`, a
/// literal `%2e%2e`) is percent-encoded and reaches the server as the same text.
///
/// ```
/// use agentos_core::kit::fill_path;
/// let p = fill_path("/agents/{agent_id}/runs/{run_id}", &["my agent", "x?y"]).unwrap();
/// assert_eq!(p, "/agents/my%20agent/runs/x%3Fy");
/// let p = fill_path("/media/{key:path}", &["a b/c.png"]).unwrap();
/// assert_eq!(p, "/media/a%20b/c.png");
/// for refused in ["", ".", "..", "x/runs"] {
///     assert!(fill_path("/agents/{agent_id}", &[refused]).is_err());
/// }
/// let e = fill_path("/media/{key:path}", &["a/../../memories"]).unwrap_err();
/// assert!(e.to_string().contains("key"));
/// ```
pub fn fill_path(template: &str, values: &[&str]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    let mut values = values.iter();
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| Error::invalid(format!("unclosed placeholder in {template}")))?;
        let name = &rest[start + 1..end];
        let value = values
            .next()
            .ok_or_else(|| Error::invalid(format!("missing value for {{{name}}} in {template}")))?;
        let (bare, is_path) = match name.strip_suffix(":path") {
            Some(bare) => (bare, true),
            None => (name, false),
        };
        if is_path {
            for (i, piece) in value.split('/').enumerate() {
                if let Some(why) = unsafe_segment(piece) {
                    return Err(Error::invalid(if value.is_empty() {
                        format!("{bare} {why}")
                    } else {
                        format!("{bare} {value:?}: piece {} {why}", i + 1)
                    }));
                }
                if i > 0 {
                    out.push('/');
                }
                out.push_str(&encode_segment(piece));
            }
        } else {
            if let Some(why) = unsafe_segment(value) {
                return Err(Error::invalid(format!("{bare} {why}")));
            }
            if value.contains('/') {
                return Err(Error::invalid(format!(
                    "{bare} {value:?} must not contain `/` (AgentOS decodes %2F before routing, \
                     so the call would reach another route)"
                )));
            }
            out.push_str(&encode_segment(value));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    if values.next().is_some() {
        return Err(Error::invalid(format!("too many values for {template}")));
    }
    Ok(out)
}

/// Options every call accepts: extra headers and a timeout of its own.
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// Headers added to this call only (they override the client's default headers).
    pub headers: HeaderMap,
    /// A timeout for this call, instead of the client's.
    pub timeout: Option<Duration>,
    /// A retry policy for this call, instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// `Some(false)`: hand a redirect (3xx) back to the caller instead of following it.
    /// `None` or `Some(true)`: the transport follows redirects (the default).
    pub follow_redirects: Option<bool>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("headers", &redacted_headers(&self.headers))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("follow_redirects", &self.follow_redirects)
            .finish()
    }
}

/// Serializes `value` and checks that it is a JSON object (for parameters the server wants as
/// a dict: session state, metadata, learning content, ...). `what` names it in the error.
///
/// ```
/// let ok = agentos_core::kit::json_object("metadata", &serde_json::json!({"a": 1})).unwrap();
/// assert_eq!(ok["a"], 1);
/// let e = agentos_core::kit::json_object("metadata", &[1, 2]).unwrap_err();
/// assert!(e.to_string().contains("metadata must be a JSON object, not an array"));
/// ```
pub fn json_object<T: Serialize + ?Sized>(
    what: &str,
    value: &T,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    use serde_json::Value;
    let kind = match serde_json::to_value(value) {
        Ok(Value::Object(map)) => return Ok(map),
        Ok(Value::Null) => "null",
        Ok(Value::Bool(_)) => "a boolean",
        Ok(Value::Number(_)) => "a number",
        Ok(Value::String(_)) => "a string",
        Ok(Value::Array(_)) => "an array",
        Err(e) => return Err(Error::invalid(format!("cannot encode {what} as JSON: {e}"))),
    };
    Err(Error::invalid(format!(
        "{what} must be a JSON object, not {kind}"
    )))
}

/// The header names whose values are never printed.
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key"
    )
}

/// Whether a header value is a secret: marked sensitive, or of a header secret by name.
pub(crate) fn is_secret(name: &HeaderName, value: &HeaderValue) -> bool {
    is_secret_header(name) || value.is_sensitive()
}

/// A printable view of headers with secret values replaced.
pub(crate) fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let value = if is_secret(k, v) {
                "[redacted]".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (k.as_str().to_owned(), value)
        })
        .collect()
}

/// Parses a header name and value, marking secret ones as sensitive.
pub fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("invalid header name {name:?}")))?;
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(format!("invalid value for header {name}")))?;
    if is_secret_header(&name) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

/// A callback told how many bytes of an upload were sent, and of how many.
pub type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// How far an upload is: file bytes sent so far, of how many.
///
/// Counted as the transport reads the file (or the bytes) into the request body, so a CLI or
/// UI can draw a progress bar; the last report has `sent == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UploadProgress {
    /// Bytes sent so far.
    pub sent: u64,
    /// Bytes to send in all.
    pub total: u64,
}

impl UploadProgress {
    /// A progress report.
    pub fn new(sent: u64, total: u64) -> Self {
        UploadProgress { sent, total }
    }

    /// The share sent, from 0.0 to 1.0 (1.0 for an empty upload).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.sent as f64 / self.total as f64).min(1.0)
        }
    }

    /// The share sent in percent, from 0.0 to 100.0.
    pub fn percent(&self) -> f64 {
        self.fraction() * 100.0
    }

    /// True once every byte was sent.
    pub fn is_complete(&self) -> bool {
        self.sent >= self.total
    }

    /// Wraps a callback taking reports as the [`ProgressFn`] a [`Multipart`] body calls.
    pub fn callback(progress: impl Fn(UploadProgress) + Send + Sync + 'static) -> ProgressFn {
        Arc::new(move |sent, total| progress(UploadProgress { sent, total }))
    }
}

/// The body of a request.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document, already serialized.
    Json(Bytes),
    /// `application/x-www-form-urlencoded` fields.
    Form(Form),
    /// `multipart/form-data`.
    Multipart(Multipart),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(b) => write!(f, "Json({} bytes)", b.len()),
            Body::Form(form) => f.debug_tuple("Form").field(&form.fields.len()).finish(),
            Body::Multipart(m) => f.debug_tuple("Multipart").field(m).finish(),
        }
    }
}

/// Form fields, in order. Values that are JSON documents are encoded by [`Form::json`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    /// The fields as name/value pairs.
    pub fields: Vec<(String, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text field.
    pub fn text(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Adds a text field when `value` is `Some`.
    pub fn text_opt<V: Into<String>>(
        &mut self,
        name: impl Into<String>,
        value: Option<V>,
    ) -> &mut Self {
        if let Some(v) = value {
            self.fields.push((name.into(), v.into()));
        }
        self
    }

    /// Adds a boolean as `true` / `false`.
    pub fn bool(&mut self, name: impl Into<String>, value: bool) -> &mut Self {
        self.text(name, if value { "true" } else { "false" })
    }

    /// Adds a field holding `value` encoded as JSON.
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<&mut Self> {
        let name = name.into();
        let encoded = serde_json::to_string(value)
            .map_err(|e| Error::invalid(format!("cannot encode {name} as JSON: {e}")))?;
        self.fields.push((name, encoded));
        Ok(self)
    }

    /// Replaces every field named `name` with one holding `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.fields.retain(|(n, _)| n != name);
        self.fields.push((name.to_owned(), value.into()));
        self
    }

    /// The value of the first field named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The fields encoded as `application/x-www-form-urlencoded`.
    pub fn encode(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.fields {
            s.append_pair(k, v);
        }
        s.finish()
    }
}

/// Where the bytes of a multipart file part come from.
#[derive(Clone)]
#[non_exhaustive]
pub enum PartData {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A local file, streamed from disk when the request is sent (never read whole).
    File {
        /// The file.
        path: PathBuf,
        /// Its length, read when the part was made.
        len: u64,
    },
}

/// A file part of a multipart body.
#[derive(Clone)]
pub struct FilePart {
    /// The form field name, e.g. `files` or `file`.
    pub name: String,
    /// The file name sent to the server.
    pub filename: String,
    /// The MIME type.
    pub content_type: String,
    /// The bytes.
    pub data: PartData,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.len();
        f.debug_struct("FilePart")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &len)
            .finish()
    }
}

impl FilePart {
    /// A part from bytes in memory.
    pub fn bytes(
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        FilePart {
            name: name.into(),
            filename: filename.into(),
            content_type: content_type.into(),
            data: PartData::Bytes(data.into()),
        }
    }

    /// A part streamed from a local file. Fails now, before anything is sent, when the file
    /// cannot be read. The content type is guessed from the extension when not given.
    pub fn file(
        name: impl Into<String>,
        path: impl Into<PathBuf>,
        content_type: Option<String>,
    ) -> Result<Self> {
        let path = path.into();
        let meta = std::fs::metadata(&path).map_err(|source| Error::File {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(Error::File {
                path: path.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"),
            });
        }
        // Opening proves it is readable now, not only that it exists.
        std::fs::File::open(&path).map_err(|source| Error::File {
            path: path.clone(),
            source,
        })?;
        let filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        let content_type = content_type.unwrap_or_else(|| guess_mime(&filename).to_owned());
        Ok(FilePart {
            name: name.into(),
            filename,
            content_type,
            data: PartData::File {
                path,
                len: meta.len(),
            },
        })
    }

    /// The number of bytes in the part.
    pub fn len(&self) -> u64 {
        match &self.data {
            PartData::Bytes(b) => b.len() as u64,
            PartData::File { len, .. } => *len,
        }
    }

    /// True when the part has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Guesses a MIME type from a file name's extension (the types AgentOS accepts).
pub fn guess_mime(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "avif" => "image/avif",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "m4a" => "audio/m4a",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "py" => "text/x-python",
        "js" => "text/javascript",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// A `multipart/form-data` body: text fields, then file parts.
#[derive(Clone, Default)]
pub struct Multipart {
    /// Text fields.
    pub fields: Form,
    /// File parts.
    pub files: Vec<FilePart>,
    /// Told the bytes sent so far and the total, as file parts stream out.
    pub progress: Option<ProgressFn>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("fields", &self.fields.fields.len())
            .field("files", &self.files)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Multipart {
    /// The total number of file bytes.
    pub fn file_bytes(&self) -> u64 {
        self.files.iter().map(FilePart::len).sum()
    }
}

/// One HTTP request to an AgentOS, as data.
#[derive(Clone)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The route template, e.g. `/agents/{agent_id}` (used in spans and errors).
    pub route: Cow<'static, str>,
    /// The path with every id percent-encoded, relative to the base URL.
    pub path: String,
    /// Query parameters, in order (a name may repeat).
    pub query: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// Whether the response is a stream (server-sent events) to hand over unbuffered.
    pub streaming: bool,
    /// Per-call headers, timeout and retry policy.
    pub options: RequestOptions,
    /// Whether sending the request twice is harmless. `None` decides by the method (and an
    /// `Idempotency-Key` header); set `Some(true)` for a read-only POST such as a search.
    pub idempotent: Option<bool>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("route", &self.route)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("streaming", &self.streaming)
            .field("options", &self.options)
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

impl Request {
    /// A request for `route` with its placeholders filled from `params` (percent-encoded).
    pub fn new(
        method: Method,
        route: impl Into<Cow<'static, str>>,
        params: &[&str],
    ) -> Result<Self> {
        let route = route.into();
        let path = fill_path(&route, params)?;
        Ok(Request {
            method,
            route,
            path,
            query: Vec::new(),
            body: Body::Empty,
            streaming: false,
            options: RequestOptions::default(),
            idempotent: None,
        })
    }

    /// `GET route`.
    pub fn get(route: &'static str, params: &[&str]) -> Result<Self> {
        Request::new(Method::GET, route, params)
    }

    /// `POST route`.
    pub fn post(route: &'static str, params: &[&str]) -> Result<Self> {
        Request::new(Method::POST, route, params)
    }

    /// `PATCH route`.
    pub fn patch(route: &'static str, params: &[&str]) -> Result<Self> {
        Request::new(Method::PATCH, route, params)
    }

    /// `PUT route`.
    pub fn put(route: &'static str, params: &[&str]) -> Result<Self> {
        Request::new(Method::PUT, route, params)
    }

    /// `DELETE route`.
    pub fn delete(route: &'static str, params: &[&str]) -> Result<Self> {
        Request::new(Method::DELETE, route, params)
    }

    /// Appends a query parameter (a name may repeat).
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.push_query(name, value);
        self
    }

    /// Appends a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(mut self, name: &str, value: Option<V>) -> Self {
        if let Some(v) = value {
            self.push_query(name, v);
        }
        self
    }

    /// Appends a query parameter.
    pub fn push_query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Sets a query parameter, replacing earlier values of the same name.
    pub fn set_query(&mut self, name: &str, value: impl ToString) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Sets a query parameter to the items joined by commas (as `topics` and `eval_types` want),
    /// or removes it when there are none.
    pub fn set_query_csv<I, S>(&mut self, name: &str, items: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = items.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.query.retain(|(n, _)| n != name);
        if !joined.is_empty() {
            self.query.push((name.to_owned(), joined.join(",")));
        }
    }

    /// The value of the first query parameter named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The session this request is about: its `session_id` query parameter or form field, or
    /// the `{session_id}` segment of its route (decoded). Used for session routing
    /// ([`ClientBuilder::session_header`](crate::ClientBuilder::session_header)).
    pub fn session_id(&self) -> Option<Cow<'_, str>> {
        if let Some(s) = self.query_value("session_id") {
            return Some(Cow::Borrowed(s));
        }
        let form = match &self.body {
            Body::Form(f) => Some(f),
            Body::Multipart(m) => Some(&m.fields),
            _ => None,
        };
        if let Some(s) = form.and_then(|f| f.get("session_id")) {
            return Some(Cow::Borrowed(s));
        }
        let at = self
            .route
            .split('/')
            .position(|segment| segment == "{session_id}")?;
        let segment = self.path.split('?').next()?.split('/').nth(at)?;
        percent_encoding::percent_decode_str(segment)
            .decode_utf8()
            .ok()
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        self.set_json(body)?;
        Ok(self)
    }

    /// Sets a JSON body in place.
    pub fn set_json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<()> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid(format!("cannot encode the request body: {e}")))?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(())
    }

    /// Sets a form body.
    pub fn form(mut self, form: Form) -> Self {
        self.body = Body::Form(form);
        self
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, multipart: Multipart) -> Self {
        self.body = Body::Multipart(multipart);
        self
    }

    /// Marks the response as a stream of server-sent events.
    pub fn streaming(mut self) -> Self {
        self.streaming = true;
        self
    }

    /// Marks the request as harmless to send twice (a read-only POST, e.g. a search).
    pub fn idempotent(mut self) -> Self {
        self.idempotent = Some(true);
        self
    }

    /// Whether the request may be retried after it may have reached the server.
    pub fn is_idempotent(&self) -> bool {
        match self.idempotent {
            Some(v) => v,
            None => {
                idempotent_method(&self.method)
                    || self.options.headers.contains_key("idempotency-key")
            }
        }
    }

    /// The path and the encoded query string, e.g. `/memories?user_id=u%201`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            s.append_pair(k, v);
        }
        format!("{}?{}", self.path, s.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_escape() {
        for (id, want) in [
            ("a/../b", "a%2F..%2Fb"),
            ("x?y", "x%3Fy"),
            ("x#y", "x%23y"),
            ("50%", "50%25"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("héllo wörld", "h%C3%A9llo%20w%C3%B6rld"),
            ("plain-id_1.2~", "plain-id_1.2~"),
        ] {
            assert_eq!(encode_segment(id), want, "{id}");
        }
    }

    #[test]
    fn path_is_filled_in_order() {
        let p = fill_path("/agents/{agent_id}/runs/{run_id}/cancel", &["a\\b", "r 1"]).unwrap();
        assert_eq!(p, "/agents/a%5Cb/runs/r%201/cancel");
    }

    #[test]
    fn path_placeholder_keeps_slashes_but_encodes_pieces() {
        let p = fill_path(
            "/sessions/{session_id}/media/{storage_key:path}",
            &["s", "a/b c/...d/%2e%2E"],
        )
        .unwrap();
        assert_eq!(p, "/sessions/s/media/a/b%20c/...d/%252e%252E");
    }

    #[test]
    fn values_that_would_change_the_route_are_refused_by_name() {
        let template = "/sessions/{session_id}/media/{storage_key:path}";
        for (values, says) in [
            (["..", "k"], "session_id must not be `.` or `..`"),
            ([".", "k"], "session_id must not be `.` or `..`"),
            (
                ["x/runs", "k"],
                "session_id \"x/runs\" must not contain `/`",
            ),
            (
                ["a/../b", "k"],
                "session_id \"a/../b\" must not contain `/`",
            ),
            (
                ["s", "../../../memories"],
                "storage_key \"../../../memories\": piece 1",
            ),
            (
                ["s", "a/./b"],
                "storage_key \"a/./b\": piece 2 must not be `.`",
            ),
            (["s", "a//b"], "piece 2 must not be empty"),
            (["s", "/a"], "piece 1 must not be empty"),
            (["s", "a/"], "piece 2 must not be empty"),
            (["s", ""], "storage_key must not be empty"),
        ] {
            match fill_path(template, &values) {
                Err(Error::InvalidRequest(m)) => assert!(m.contains(says), "{values:?}: {m}"),
                other => panic!("{values:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn wrong_value_counts_and_empty_ids_are_refused() {
        assert!(matches!(
            fill_path("/a/{x}", &[]),
            Err(Error::InvalidRequest(_))
        ));
        assert!(matches!(
            fill_path("/a/{x}", &["1", "2"]),
            Err(Error::InvalidRequest(_))
        ));
        let e = fill_path("/a/{agent_id}", &[""]).unwrap_err();
        assert!(e.to_string().contains("agent_id must not be empty"), "{e}");
    }

    #[test]
    fn query_is_encoded() {
        let mut r = Request::get("/memories", &[])
            .unwrap()
            .query("user_id", "u 1&x=y");
        r.set_query_csv("topics", ["a", "b c"]);
        assert_eq!(
            r.path_and_query(),
            "/memories?user_id=u+1%26x%3Dy&topics=a%2Cb+c"
        );
        r.set_query("user_id", "v");
        assert_eq!(r.query_value("user_id"), Some("v"));
        r.set_query_csv("topics", Vec::<String>::new());
        assert_eq!(r.query_value("topics"), None);
    }

    #[test]
    fn form_encodes_json_fields() {
        let mut f = Form::new();
        f.text("message", "hi there").bool("stream", false);
        f.json("session_state", &serde_json::json!({"a": 1}))
            .unwrap();
        assert_eq!(f.get("stream"), Some("false"));
        assert_eq!(
            f.encode(),
            "message=hi+there&stream=false&session_state=%7B%22a%22%3A1%7D"
        );
        f.set("stream", "true");
        assert_eq!(f.get("stream"), Some("true"));
        assert_eq!(f.fields.iter().filter(|(n, _)| n == "stream").count(), 1);
    }

    #[test]
    fn missing_file_fails_before_sending() {
        let e = FilePart::file("files", "/definitely/not/here.png", None).unwrap_err();
        match e {
            Error::File { path, .. } => assert!(path.ends_with("here.png")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn secret_headers_are_sensitive_and_redacted() {
        let (name, value) = parse_header("Authorization", "Bearer abc").unwrap();
        assert!(value.is_sensitive());
        let mut opts = RequestOptions::default();
        opts.headers.insert(name, value);
        let printed = format!("{opts:?}");
        assert!(!printed.contains("abc"), "{printed}");
        assert!(printed.contains("[redacted]"));
        assert!(parse_header("bad name", "x").is_err());
        assert!(parse_header("x-ok", "bad\nvalue").is_err());
    }

    #[test]
    fn mime_is_guessed() {
        assert_eq!(guess_mime("a.PNG"), "image/png");
        assert_eq!(guess_mime("notes.txt"), "text/plain");
        assert_eq!(guess_mime("noext"), "application/octet-stream");
    }
}
