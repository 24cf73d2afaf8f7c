//! Uploads (`POST /knowledge/content`, `POST /knowledge/remote-content`) and updates
//! (`PATCH /knowledge/content/{content_id}`): form and multipart bodies.

use std::fmt;
use std::path::PathBuf;

pub use agentos_core::UploadProgress;
use agentos_core::kit::CallKit;
use agentos_core::{Body, Call, Error, FilePart, Form, Multipart, ProgressFn, Result, guess_mime};
use bytes::Bytes;
use serde::Serialize;

use crate::types::ContentResponseSchema;

/// Encodes `value` as a JSON object, refusing anything else (the server stores what it gets,
/// and search filters only work on object keys).
pub(crate) fn json_object(what: &str, value: &impl Serialize) -> Result<serde_json::Value> {
    agentos_core::kit::json_object(what, value).map(serde_json::Value::Object)
}

/// The processing options both uploads share: name, description, metadata, reader, chunker.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContentOptions {
    name: Option<String>,
    description: Option<String>,
    metadata: Option<String>,
    reader_id: Option<String>,
    chunker: Option<String>,
    chunk_size: Option<u32>,
    chunk_overlap: Option<u32>,
}

impl ContentOptions {
    fn check(&self) -> Result<()> {
        if self.chunk_size == Some(0) {
            return Err(Error::InvalidRequest(
                "chunk_size must be at least 1".into(),
            ));
        }
        if let (Some(size), Some(overlap)) = (self.chunk_size, self.chunk_overlap) {
            if overlap >= size {
                return Err(Error::InvalidRequest(format!(
                    "chunk_overlap ({overlap}) must be smaller than chunk_size ({size})"
                )));
            }
        }
        Ok(())
    }

    fn write(&self, form: &mut Form) {
        form.text_opt("name", self.name.clone())
            .text_opt("description", self.description.clone())
            .text_opt("metadata", self.metadata.clone())
            .text_opt("reader_id", self.reader_id.clone())
            .text_opt("chunker", self.chunker.clone())
            .text_opt("chunk_size", self.chunk_size.map(|n| n.to_string()))
            .text_opt("chunk_overlap", self.chunk_overlap.map(|n| n.to_string()));
    }
}

/// Adds the shared processing options to an upload builder with `options` and `error` fields.
macro_rules! impl_content_options {
    ($($ty:ty),+) => {$(
        impl $ty {
            /// The content's name (by default the file name or the URL). The server derives the
            /// content id from the name, description, metadata and file name or URL, not from
            /// the bytes: an upload under a name already used is skipped and answers with the
            /// existing content's id.
            pub fn name(mut self, name: impl Into<String>) -> Self {
                self.options.name = Some(name.into());
                self
            }

            /// A description of the content.
            pub fn description(mut self, description: impl Into<String>) -> Self {
                self.options.description = Some(description.into());
                self
            }

            /// Metadata: a JSON object (a `serde_json::Value`, a map or any serializable
            /// struct). It is copied onto every chunk, so search filters can match it.
            /// Anything but an object is refused before sending.
            pub fn metadata(mut self, metadata: impl Serialize) -> Self {
                match json_object("metadata", &metadata) {
                    Ok(v) => self.options.metadata = Some(v.to_string()),
                    Err(e) => self.error = self.error.or(Some(e)),
                }
                self
            }

            /// The reader to use (an id from `get_knowledge_config().readers`, e.g. `text`);
            /// by default the server picks one from the content type. agno 3.1.10 applies
            /// [`chunker`](Self::chunker) only when a reader is given.
            pub fn reader_id(mut self, reader_id: impl Into<String>) -> Self {
                self.options.reader_id = Some(reader_id.into());
                self
            }

            /// The chunking strategy (a key from `get_knowledge_config().chunkers`, e.g.
            /// `FixedSizeChunker`). Needs [`reader_id`](Self::reader_id) on agno 3.1.10, which
            /// also sets it on a reader instance the whole server shares: it stays in effect
            /// for every later upload that uses the same reader, until another upload sets a
            /// chunker on it.
            pub fn chunker(mut self, chunker: impl Into<String>) -> Self {
                self.options.chunker = Some(chunker.into());
                self
            }

            /// The chunk size for the chunker (at least 1).
            pub fn chunk_size(mut self, size: u32) -> Self {
                self.options.chunk_size = Some(size);
                self
            }

            /// How much consecutive chunks overlap (smaller than the chunk size).
            pub fn chunk_overlap(mut self, overlap: u32) -> Self {
                self.options.chunk_overlap = Some(overlap);
                self
            }
        }
    )+};
}

enum Source {
    File(FilePart),
    Text(String),
    Url(String),
}

impl Source {
    fn kind(&self) -> &'static str {
        match self {
            Source::File(_) => "a file",
            Source::Text(_) => "text",
            Source::Url(_) => "a URL",
        }
    }
}

/// `POST /knowledge/content`, from [`KnowledgeExt::upload_knowledge_content`](crate::KnowledgeExt::upload_knowledge_content).
///
/// Give exactly one source: [`file`](Self::file) (streamed from disk), [`bytes`](Self::bytes),
/// [`text`](Self::text) or [`url`](Self::url). The server answers 202 with `status:
/// "processing"` and ingests in the background; wait for the end with
/// [`wait_for_knowledge_content`](crate::KnowledgeExt::wait_for_knowledge_content).
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UploadKnowledgeContent {
    pub(crate) call: Call<ContentResponseSchema>,
    sources: Vec<Source>,
    error: Option<Error>,
    content_type: Option<String>,
    options: ContentOptions,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for UploadKnowledgeContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sources: Vec<&str> = self.sources.iter().map(Source::kind).collect();
        f.debug_struct("UploadKnowledgeContent")
            .field("call", &self.call)
            .field("sources", &sources)
            .field("error", &self.error)
            .field("content_type", &self.content_type)
            .field("options", &self.options)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl UploadKnowledgeContent {
    pub(crate) fn new(call: Call<ContentResponseSchema>) -> Self {
        UploadKnowledgeContent {
            call,
            sources: Vec::new(),
            error: None,
            content_type: None,
            options: ContentOptions::default(),
            progress: None,
        }
    }

    /// Uploads a local file, streamed from disk as a multipart part (never read whole into
    /// memory). The MIME type is guessed from the extension (see
    /// [`content_type`](Self::content_type)); the server picks its reader from it. A file
    /// that cannot be read fails the call before anything is sent. The client's timeout
    /// covers the whole upload: give a large file a longer one with `.timeout(..)`.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        match FilePart::file("file", path, None) {
            Ok(part) => self.sources.push(Source::File(part)),
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// Uploads bytes from memory as a file named `filename` (the extension decides the MIME
    /// type unless [`content_type`](Self::content_type) is set).
    pub fn bytes(mut self, filename: impl Into<String>, data: impl Into<Bytes>) -> Self {
        let filename = filename.into();
        let mime = guess_mime(&filename);
        self.sources
            .push(Source::File(FilePart::bytes("file", filename, mime, data)));
        self
    }

    /// Uploads text (sent as the `text_content` form field; stored with type `manual`).
    /// Empty text is refused before sending.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.sources.push(Source::Text(text.into()));
        self
    }

    /// Has the server fetch one URL and ingest what it finds there.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.sources.push(Source::Url(url.into()));
        self
    }

    /// The MIME type of a [`file`](Self::file) or [`bytes`](Self::bytes) upload, instead of
    /// the one guessed from the file name.
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    /// Calls `progress` as the file or bytes stream out: first with `sent: 0`, last with
    /// `sent == total`. Text and URL uploads report nothing.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_knowledge::KnowledgeExt;
    /// client
    ///     .upload_knowledge_content()
    ///     .file("manual.txt")
    ///     .progress(|p| eprint!("\r{:5.1}% of {} bytes", p.percent(), p.total))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn progress(mut self, progress: impl Fn(UploadProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(UploadProgress::callback(progress));
        self
    }

    pub(crate) fn finish(mut self) -> Call<ContentResponseSchema> {
        if let Some(e) = self.error.take() {
            return self.call.fail(e);
        }
        if let Err(e) = self.options.check() {
            return self.call.fail(e);
        }
        let source = match self.sources.len() {
            0 => {
                return self.call.fail(Error::InvalidRequest(
                    "an upload needs content: a file, bytes, text or a URL".into(),
                ));
            }
            1 => self.sources.pop().expect("one source"),
            _ => {
                let kinds: Vec<&str> = self.sources.iter().map(Source::kind).collect();
                return self.call.fail(Error::InvalidRequest(format!(
                    "give one source per upload, not {}",
                    kinds.join(" and ")
                )));
            }
        };
        let mut form = Form::new();
        let body = match source {
            Source::Text(text) => {
                if text.trim().is_empty() {
                    return self
                        .call
                        .fail(Error::InvalidRequest("text must not be empty".into()));
                }
                form.text("text_content", text);
                self.options.write(&mut form);
                Body::Form(form)
            }
            Source::Url(url) => {
                if url.trim().is_empty() {
                    return self
                        .call
                        .fail(Error::InvalidRequest("url must not be empty".into()));
                }
                form.text("url", url);
                self.options.write(&mut form);
                Body::Form(form)
            }
            Source::File(mut part) => {
                if let Some(mime) = self.content_type.take() {
                    part.content_type = mime;
                }
                self.options.write(&mut form);
                Body::Multipart(Multipart {
                    fields: form,
                    files: vec![part],
                    progress: self.progress.take(),
                })
            }
        };
        self.call.with_request(|r| r.body = body)
    }
}

/// `POST /knowledge/remote-content`, from [`KnowledgeExt::upload_remote_content`](crate::KnowledgeExt::upload_remote_content):
/// ingests a file or folder of a configured remote source (S3, GCS, SharePoint, GitHub, Azure
/// Blob). Answers 202; processing runs in the background.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UploadRemoteContent {
    pub(crate) call: Call<ContentResponseSchema>,
    config_id: String,
    path: String,
    source_params: Option<String>,
    error: Option<Error>,
    options: ContentOptions,
}

impl UploadRemoteContent {
    pub(crate) fn new(call: Call<ContentResponseSchema>, config_id: String, path: String) -> Self {
        UploadRemoteContent {
            call,
            config_id,
            path,
            source_params: None,
            error: None,
            options: ContentOptions::default(),
        }
    }

    /// Per-request parameters for the source, as a JSON object. agno 3.1.10 accepts only
    /// `{"repo": "owner/name"}`, and only for GitHub sources (400 otherwise).
    pub fn source_params(mut self, params: impl Serialize) -> Self {
        match json_object("source_params", &params) {
            Ok(v) => self.source_params = Some(v.to_string()),
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    pub(crate) fn finish(mut self) -> Call<ContentResponseSchema> {
        if let Some(e) = self.error.take() {
            return self.call.fail(e);
        }
        if self.config_id.is_empty() || self.path.is_empty() {
            return self.call.fail(Error::InvalidRequest(
                "upload_remote_content needs a config_id (a source id) and a path".into(),
            ));
        }
        if let Err(e) = self.options.check() {
            return self.call.fail(e);
        }
        let mut form = Form::new();
        form.text("config_id", self.config_id.clone())
            .text("path", self.path.clone())
            .text_opt("source_params", self.source_params.clone());
        self.options.write(&mut form);
        self.call.with_request(|r| r.body = Body::Form(form))
    }
}

/// `PATCH /knowledge/content/{content_id}`, from [`KnowledgeExt::update_knowledge_content`](crate::KnowledgeExt::update_knowledge_content).
///
/// Only the fields that are set change (an empty string also leaves a field as it is). The
/// metadata given is merged into the existing metadata, key by key.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateKnowledgeContent {
    pub(crate) call: Call<ContentResponseSchema>,
    form: Form,
    error: Option<Error>,
}

impl UpdateKnowledgeContent {
    pub(crate) fn new(call: Call<ContentResponseSchema>) -> Self {
        UpdateKnowledgeContent {
            call,
            form: Form::new(),
            error: None,
        }
    }

    /// The new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.form.set("name", name);
        self
    }

    /// The new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.form.set("description", description);
        self
    }

    /// Metadata to merge in: a JSON object (anything else is refused before sending).
    pub fn metadata(mut self, metadata: impl Serialize) -> Self {
        match json_object("metadata", &metadata) {
            Ok(v) => {
                self.form.set("metadata", v.to_string());
            }
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// The reader to use from now on (400 for an id the knowledge base does not have).
    pub fn reader_id(mut self, reader_id: impl Into<String>) -> Self {
        self.form.set("reader_id", reader_id);
        self
    }

    pub(crate) fn finish(mut self) -> Call<ContentResponseSchema> {
        if let Some(e) = self.error.take() {
            return self.call.fail(e);
        }
        let form = std::mem::take(&mut self.form);
        self.call.with_request(|r| r.body = Body::Form(form))
    }
}

impl_content_options!(UploadKnowledgeContent, UploadRemoteContent);
