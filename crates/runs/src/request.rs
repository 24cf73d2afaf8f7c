//! Run requests: the form fields of create and continue (never JSON: the run routes reject
//! it), media objects, multipart uploads, and the builders.

use std::marker::PhantomData;
use std::path::Path;
use std::time::Duration;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::poll::{PollClock, Polling};
use agentos_core::sse::frames;
use agentos_core::{
    AgentOsClient, Call, Error, FilePart, Form, Multipart, ProgressFn, Request, Result,
    SessionType, UploadProgress,
};
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use crate::hitl::Awaiting;
use crate::output::{BackgroundRun, RunRequirement, RunStatus, StepRequirement, ToolExecution};
use crate::stream::{RunStream, StreamEvent};
use crate::{AgentRunEvent, TeamRunEvent, WorkflowRunEvent};

/// An image, audio clip, video or document given to a run as JSON: by URL or as base64
/// content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Media {
    /// Where the server can fetch it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The bytes, base64-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The MIME type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The format (e.g. `png`, `mp3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The file name (documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The detail level (images: `low`, `high`, `auto`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Metadata the run sees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl Media {
    fn empty() -> Self {
        Media {
            url: None,
            content: None,
            mime_type: None,
            format: None,
            filename: None,
            detail: None,
            metadata: None,
        }
    }

    /// Media the server fetches from `url`.
    pub fn url(url: impl Into<String>) -> Self {
        Media {
            url: Some(url.into()),
            ..Media::empty()
        }
    }

    /// Media from bytes in memory, sent base64-encoded.
    pub fn bytes(data: &[u8], mime_type: impl Into<String>) -> Self {
        let mime_type = mime_type.into();
        Media {
            content: Some(base64(data)),
            format: mime_type.rsplit('/').next().map(str::to_owned),
            mime_type: Some(mime_type),
            ..Media::empty()
        }
    }

    /// Media read from a local file now (a file that cannot be read fails before anything
    /// is sent), sent base64-encoded with a MIME type guessed from the extension.
    ///
    /// The read blocks the calling thread; in async code, [`Media::read_file`] reads the
    /// same file without blocking the runtime.
    pub fn file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Media::from_file_data(path, std::fs::read(path))
    }

    /// [`Media::file`] without blocking the async runtime: the file is read by tokio's
    /// blocking pool.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_runs::{Media, RunsExt};
    /// let chart = Media::read_file("chart.png").await?;
    /// let out = client.run_agent("vision-agent", "Describe the chart").image(chart).await?;
    /// # Ok(()) }
    /// ```
    pub async fn read_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Media::from_file_data(path, tokio::fs::read(path).await)
    }

    fn from_file_data(path: &Path, data: std::io::Result<Vec<u8>>) -> Result<Self> {
        let data = data.map_err(|source| Error::File {
            path: path.to_owned(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut m = Media::bytes(&data, agentos_core::guess_mime(&name));
        m.filename = Some(name);
        Ok(m)
    }

    /// Sets the detail level (images).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Sets metadata.
    pub fn metadata(mut self, metadata: Value) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// The optional fields of a run (create), shared by the stream and non-stream builders.
#[derive(Debug, Default)]
pub(crate) struct RunOptions {
    /// A workflow run (which takes no uploaded files).
    workflow: bool,
    session_id: Option<String>,
    user_id: Option<String>,
    images: Vec<Media>,
    audio: Vec<Media>,
    videos: Vec<Media>,
    input_files: Vec<Media>,
    files: Vec<FilePart>,
    files_metadata: Vec<Value>,
    json: Vec<(&'static str, Value)>,
    version: Option<i64>,
    background: bool,
    extra: Vec<(String, String)>,
    error: Option<Error>,
    progress: Option<Progress>,
}

/// The upload progress callback of a run with files.
#[derive(Clone)]
struct Progress(ProgressFn);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl RunOptions {
    fn new(kind: SessionType) -> Self {
        RunOptions {
            workflow: kind == SessionType::Workflow,
            ..RunOptions::default()
        }
    }

    fn set_json(&mut self, name: &'static str, value: Result<Value>) {
        match value {
            Ok(v) => {
                self.json.retain(|(n, _)| *n != name);
                self.json.push((name, v));
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// With session routing ([`agentos_core::ClientBuilder::session_header`]), a run without
    /// a session id gets one made here, so that its first call can be routed.
    fn routable(mut self, client: &AgentOsClient) -> Self {
        if self.session_id.is_none() && client.session_header().is_some() {
            self.session_id = Some(agentos_core::new_session_id());
        }
        self
    }

    /// The body: form fields, or multipart when there are files.
    fn into_body(self, message: &str, stream: bool, req: &mut Request) -> Result<()> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if !self.files.is_empty() && self.workflow {
            return Err(Error::InvalidRequest(
                "workflow runs take no file uploads: send documents as media objects, \
                 e.g. .input_file(Media::file(path)?)"
                    .into(),
            ));
        }
        let mut form = Form::new();
        form.text("message", message).bool("stream", stream);
        form.text_opt("session_id", self.session_id.clone());
        form.text_opt("user_id", self.user_id.clone());
        if let Some(v) = self.version {
            form.text("version", v.to_string());
        }
        if self.background {
            form.bool("background", true);
        }
        for (name, media) in [
            ("images", &self.images),
            ("audio", &self.audio),
            ("videos", &self.videos),
            ("input_files", &self.input_files),
        ] {
            if !media.is_empty() {
                form.json(name, media)?;
            }
        }
        for (name, value) in &self.json {
            form.json(*name, value)?;
        }
        for (k, v) in self.extra {
            form.text(k, v);
        }
        if self.files.is_empty() {
            req.body = agentos_core::Body::Form(form);
        } else {
            if !self.files_metadata.is_empty() {
                form.json("files_metadata", &self.files_metadata)?;
            }
            req.body = agentos_core::Body::Multipart(Multipart {
                fields: form,
                files: self.files,
                progress: self.progress.map(|p| p.0),
            });
        }
        Ok(())
    }
}

/// The JSON Schema of `T` as agno reads an `output_schema`: subschemas inlined (it does not
/// follow `$ref`), without the `$schema` key.
#[cfg(feature = "schemars")]
pub(crate) fn schema_of<T: schemars::JsonSchema>() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.remove("$schema");
    schema.to_value()
}

fn to_json<T: Serialize>(name: &str, value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::InvalidRequest(format!("cannot encode {name} as JSON: {e}")))
}

fn json_object<T: Serialize>(name: &str, value: &T) -> Result<Value> {
    agentos_core::kit::json_object(name, value).map(Value::Object)
}

/// Names the server handles itself; a pass-through field may not reuse them.
const RESERVED: &[&str] = &[
    "message",
    "stream",
    "session_id",
    "user_id",
    "files",
    "files_metadata",
    "version",
    "background",
    "factory_input",
    "session_state",
    "dependencies",
    "metadata",
    "knowledge_filters",
    "output_schema",
    "images",
    "audio",
    "videos",
    "input_files",
];

macro_rules! run_option_setters {
    ($ty:ident) => {
        impl<E: StreamEvent> $ty<E> {
            /// Runs in this session (the server makes one when none is given).
            pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
                let session_id = session_id.into();
                self.opts.session_id = Some(session_id);
                self
            }

            /// Runs for this user.
            pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
                self.opts.user_id = Some(user_id.into());
                self
            }

            /// Adds an image (sent as a JSON media object).
            pub fn image(mut self, image: Media) -> Self {
                self.opts.images.push(image);
                self
            }

            /// Adds an audio clip (call it once per clip).
            pub fn audio(mut self, audio: Media) -> Self {
                self.opts.audio.push(audio);
                self
            }

            /// Adds a video.
            pub fn video(mut self, video: Media) -> Self {
                self.opts.videos.push(video);
                self
            }

            /// Adds a document as a media object (`input_files`).
            pub fn input_file(mut self, file: Media) -> Self {
                self.opts.input_files.push(file);
                self
            }

            /// Adds several images.
            pub fn images(mut self, images: impl IntoIterator<Item = Media>) -> Self {
                self.opts.images.extend(images);
                self
            }

            /// Adds several videos.
            pub fn videos(mut self, videos: impl IntoIterator<Item = Media>) -> Self {
                self.opts.videos.extend(videos);
                self
            }

            /// Adds several documents as media objects.
            pub fn input_files(mut self, files: impl IntoIterator<Item = Media>) -> Self {
                self.opts.input_files.extend(files);
                self
            }

            /// Uploads a local file as a multipart part (`files`), streamed from disk. A file
            /// that cannot be read fails now, before anything is sent. `metadata` (a JSON
            /// object, or `Value::Null`) goes in `files_metadata` at the same position.
            pub fn file(mut self, path: impl AsRef<std::path::Path>, metadata: Value) -> Self {
                match FilePart::file("files", path.as_ref(), None) {
                    Ok(part) => {
                        self.opts.files.push(part);
                        self.opts.files_metadata.push(metadata);
                    }
                    Err(e) => self.opts.error = Some(e),
                }
                self
            }

            /// Calls `progress` as the uploaded files ([`file`](Self::file),
            /// [`file_bytes`](Self::file_bytes)) stream out: first with `sent: 0`, last with
            /// `sent == total`. A run without files reports nothing.
            pub fn progress(
                mut self,
                progress: impl Fn(UploadProgress) + Send + Sync + 'static,
            ) -> Self {
                self.opts.progress = Some(Progress(UploadProgress::callback(progress)));
                self
            }

            /// Uploads bytes as a multipart file part.
            pub fn file_bytes(
                mut self,
                filename: impl Into<String>,
                content_type: impl Into<String>,
                data: impl Into<bytes::Bytes>,
            ) -> Self {
                self.opts
                    .files
                    .push(FilePart::bytes("files", filename, content_type, data));
                self.opts.files_metadata.push(Value::Null);
                self
            }

            /// The session state (a JSON object).
            pub fn session_state<T: Serialize>(mut self, state: &T) -> Self {
                self.opts
                    .set_json("session_state", json_object("session_state", state));
                self
            }

            /// Dependencies for the run's context (a JSON object).
            pub fn dependencies<T: Serialize>(mut self, deps: &T) -> Self {
                self.opts
                    .set_json("dependencies", json_object("dependencies", deps));
                self
            }

            /// Metadata of the run (a JSON object).
            pub fn metadata<T: Serialize>(mut self, metadata: &T) -> Self {
                self.opts
                    .set_json("metadata", json_object("metadata", metadata));
                self
            }

            /// Filters for knowledge search (a JSON object or a filter expression).
            pub fn knowledge_filters<T: Serialize>(mut self, filters: &T) -> Self {
                self.opts
                    .set_json("knowledge_filters", to_json("knowledge_filters", filters));
                self
            }

            /// A JSON Schema the answer must follow (its root must be `"type": "object"`).
            pub fn output_schema(mut self, schema: Value) -> Self {
                let ok = schema.get("type").and_then(Value::as_str) == Some("object");
                if ok {
                    self.opts.set_json("output_schema", Ok(schema));
                } else {
                    self.opts.error = Some(Error::InvalidRequest(
                        "output_schema must be a JSON Schema whose root is \"type\": \"object\""
                            .into(),
                    ));
                }
                self
            }

            /// Asks for a structured answer of type `T`: sends the JSON Schema of `T` as the
            /// run's `output_schema` (feature `schemars`). Read the answer back with
            /// `content_as::<T>()` on the output (a [`ContentError`](crate::ContentError),
            /// which keeps the content, when it does not fit). Agents and teams answer in
            /// that shape; agno 3.1 does not read `output_schema` for a workflow run (its
            /// content is its last step's: give that step's agent the schema).
            ///
            /// ```no_run
            /// # async fn demo(client: agentos_core::AgentOsClient) -> Result<(), Box<dyn std::error::Error>> {
            /// use agentos_runs::RunsExt;
            /// #[derive(serde::Deserialize, schemars::JsonSchema)]
            /// struct Weather { city: String, celsius: i32 }
            /// let out = client.run_agent("echo-agent", "Weather in Paris?")
            ///     .output_type::<Weather>()
            ///     .await?
            ///     .into_result()?;
            /// let weather: Weather = out.content_as()?;
            /// # Ok(()) }
            /// ```
            #[cfg(feature = "schemars")]
            pub fn output_type<T: schemars::JsonSchema>(self) -> Self {
                self.output_schema(schema_of::<T>())
            }

            /// Runs this component version.
            pub fn version(mut self, version: i64) -> Self {
                self.opts.version = Some(version);
                self
            }

            /// The input of a factory component (a JSON object).
            pub fn factory_input<T: Serialize>(mut self, input: &T) -> Self {
                self.opts
                    .set_json("factory_input", json_object("factory_input", input));
                self
            }

            /// A pass-through field, forwarded to the run as a keyword argument (e.g.
            /// `add_history_to_context`, `"true"`). Names the server reads itself are refused.
            pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                let name = name.into();
                if RESERVED.contains(&name.as_str()) {
                    self.opts.error = Some(Error::InvalidRequest(format!(
                        "{name} has its own setter; it cannot be a pass-through field"
                    )));
                } else {
                    self.opts.extra.push((name, value.into()));
                }
                self
            }
        }
    };
}

/// The routes of one kind of component.
#[derive(Debug)]
pub(crate) struct Routes {
    pub kind: SessionType,
    pub runs: &'static str,
    pub run: &'static str,
    pub cancel: &'static str,
    pub continue_: &'static str,
    pub resume: &'static str,
    pub continue_field: &'static str,
}

pub(crate) const AGENT: Routes = Routes {
    kind: SessionType::Agent,
    runs: crate::route::AGENTS_AGENT_ID_RUNS,
    run: crate::route::AGENTS_AGENT_ID_RUNS_RUN_ID,
    cancel: crate::route::AGENTS_AGENT_ID_RUNS_RUN_ID_CANCEL,
    continue_: crate::route::AGENTS_AGENT_ID_RUNS_RUN_ID_CONTINUE,
    resume: crate::route::AGENTS_AGENT_ID_RUNS_RUN_ID_RESUME,
    continue_field: "tools",
};

pub(crate) const TEAM: Routes = Routes {
    kind: SessionType::Team,
    runs: crate::route::TEAMS_TEAM_ID_RUNS,
    run: crate::route::TEAMS_TEAM_ID_RUNS_RUN_ID,
    cancel: crate::route::TEAMS_TEAM_ID_RUNS_RUN_ID_CANCEL,
    continue_: crate::route::TEAMS_TEAM_ID_RUNS_RUN_ID_CONTINUE,
    resume: crate::route::TEAMS_TEAM_ID_RUNS_RUN_ID_RESUME,
    continue_field: "requirements",
};

pub(crate) const WORKFLOW: Routes = Routes {
    kind: SessionType::Workflow,
    runs: crate::route::WORKFLOWS_WORKFLOW_ID_RUNS,
    run: crate::route::WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID,
    cancel: crate::route::WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_CANCEL,
    continue_: crate::route::WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_CONTINUE,
    resume: crate::route::WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_RESUME,
    continue_field: "step_requirements",
};

/// What a run runs: the kind and id its span is made from when the run is sent (so that the
/// span's parent is the span current at the call, wherever the builder was made).
#[derive(Debug)]
struct RunTarget {
    kind: SessionType,
    id: String,
}

impl RunTarget {
    fn new(kind: SessionType, id: &str) -> Self {
        RunTarget {
            kind,
            id: id.to_owned(),
        }
    }

    fn span(&self, opts: &RunOptions) -> tracing::Span {
        let span = run_span(&self.kind, &self.id);
        if let Some(session_id) = &opts.session_id {
            span.record("gen_ai.conversation.id", session_id.as_str());
        }
        span
    }
}

/// The span of a run call; the request spans of core are its children. Its ids use
/// OpenTelemetry's GenAI vocabulary where it has a word (`gen_ai.agent.id`,
/// `gen_ai.conversation.id` for the session, `gen_ai.operation.name` `invoke_agent` for
/// agent and team runs) and agno's own span attributes otherwise (`agno.team.id`,
/// `agno.workflow.id`, `agno.run.id`); the session and run ids are recorded when known.
pub(crate) fn run_span(kind: &SessionType, id: &str) -> tracing::Span {
    let span = tracing::info_span!(
        "agentos.run",
        agentos.kind = kind.as_str(),
        gen_ai.operation.name = tracing::field::Empty,
        gen_ai.agent.id = tracing::field::Empty,
        agno.team.id = tracing::field::Empty,
        agno.workflow.id = tracing::field::Empty,
        gen_ai.conversation.id = tracing::field::Empty,
        agno.run.id = tracing::field::Empty,
    );
    let id_field = match kind {
        SessionType::Agent => "gen_ai.agent.id",
        SessionType::Team => "agno.team.id",
        _ => "agno.workflow.id",
    };
    span.record(id_field, id);
    if *kind != SessionType::Workflow {
        span.record("gen_ai.operation.name", "invoke_agent");
    }
    span
}

/// A run that answers once it is finished: `run_agent`, `run_team`, `run_workflow`.
/// Awaiting it gives the output; **check its status** (a failed run is HTTP 200 with status
/// `Error`), or use `into_result()`.
#[must_use = "a run does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct RunBuilder<E: StreamEvent> {
    call: Call<E::Output>,
    message: String,
    opts: RunOptions,
    target: RunTarget,
}

/// A run whose events stream as they happen: `run_agent_stream`, `run_team_stream`,
/// `run_workflow_stream`. Awaiting it gives a [`RunStream`].
#[must_use = "a run does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct RunStreamBuilder<E: StreamEvent> {
    routes: &'static Routes,
    call: Call<()>,
    message: String,
    opts: RunOptions,
    target: RunTarget,
    _kind: PhantomData<fn() -> E>,
}

/// A run started in the background (HTTP 202): poll it with `get_*_run`.
#[must_use = "a run does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct BackgroundRunBuilder<E: StreamEvent> {
    call: Call<BackgroundRun>,
    message: String,
    opts: RunOptions,
    target: RunTarget,
    _kind: PhantomData<fn() -> E>,
}

run_option_setters!(RunBuilder);
run_option_setters!(RunStreamBuilder);
run_option_setters!(BackgroundRunBuilder);
agentos_core::impl_call_builder!([E: StreamEvent] RunBuilder<E> => E::Output, own send);
agentos_core::impl_call_builder!([E: StreamEvent] RunStreamBuilder<E> => RunStream<E>, own send);
agentos_core::impl_call_builder!([E: StreamEvent] BackgroundRunBuilder<E> => BackgroundRun, own send);

impl<E: StreamEvent> RunBuilder<E> {
    pub(crate) fn new(client: &AgentOsClient, routes: &Routes, id: &str, message: String) -> Self {
        RunBuilder {
            call: Call::new(client, Request::post(routes.runs, &[id]), decode_json),
            message,
            opts: RunOptions::new(routes.kind.clone()),
            target: RunTarget::new(routes.kind.clone(), id),
        }
    }

    /// Starts the run in the background instead: the server answers at once (HTTP 202) with
    /// the run id; `wait_for_*_run` polls it until it ends (or poll `get_*_run` yourself).
    /// The component needs a database.
    pub fn in_background(self) -> BackgroundRunBuilder<E> {
        let (client, request) = self.call.into_parts();
        BackgroundRunBuilder {
            call: Call::new(&client, request, decode_json),
            message: self.message,
            opts: self.opts,
            target: self.target,
            _kind: PhantomData,
        }
    }

    /// Sends the run and waits for its output.
    pub async fn send(self) -> Result<E::Output> {
        let opts = self.opts.routable(self.call.client());
        let span = self.target.span(&opts);
        let message = self.message;
        let out = self
            .call
            .try_with_request(move |r| opts.into_body(&message, false, r))
            .send()
            .instrument(span.clone())
            .await?;
        if let Some(id) = E::output_run_id(&out) {
            span.record("agno.run.id", id);
        }
        Ok(out)
    }
}

impl<E: StreamEvent> BackgroundRunBuilder<E> {
    /// Starts the run.
    pub async fn send(mut self) -> Result<BackgroundRun> {
        self.opts.background = true;
        let opts = self.opts.routable(self.call.client());
        let span = self.target.span(&opts);
        let message = self.message;
        let out = self
            .call
            .try_with_request(move |r| opts.into_body(&message, false, r))
            .send()
            .instrument(span.clone())
            .await?;
        span.record("agno.run.id", out.run_id.as_str());
        Ok(out)
    }
}

impl<E: StreamEvent> RunStreamBuilder<E> {
    pub(crate) fn new(
        client: &AgentOsClient,
        routes: &'static Routes,
        id: &str,
        message: String,
    ) -> Self {
        RunStreamBuilder {
            routes,
            call: Call::new(client, Request::post(routes.runs, &[id]), decode_unit),
            message,
            opts: RunOptions::new(routes.kind.clone()),
            target: RunTarget::new(routes.kind.clone(), id),
            _kind: PhantomData,
        }
    }

    /// Runs in the background on the server: the run survives a dropped connection, every
    /// event carries an `event_index`, and `resume_*_run_stream` picks it up again.
    pub fn background(mut self) -> Self {
        self.opts.background = true;
        self
    }

    /// Makes the stream survive dropped connections and server restarts: the run goes to the
    /// background on the server, and the stream reconnects through the resume route from
    /// the last event it delivered (see [`ResumableRunStream`](crate::ResumableRunStream)).
    /// Without it, a dropped stream is a typed error, never a silent end.
    pub async fn resumable(mut self) -> Result<crate::ResumableRunStream<E>> {
        self.opts.background = true;
        let client = self.call.client().clone();
        let routes = self.routes;
        let id = self.target.id.clone();
        // The reconnects carry the call's own headers (auth, session routing), not its
        // idempotency key: they start nothing.
        let mut headers = self
            .call
            .request()
            .map(|r| r.options.headers.clone())
            .unwrap_or_default();
        headers.remove("idempotency-key");
        let first = self.send().await?;
        Ok(crate::ResumableRunStream::new(
            client, routes, id, headers, first, None,
        ))
    }

    /// Sends the run and returns its event stream.
    pub async fn send(self) -> Result<RunStream<E>> {
        let opts = self.opts.routable(self.call.client());
        let span = self.target.span(&opts);
        let message = self.message;
        let call = self
            .call
            .try_with_request(move |r| opts.into_body(&message, true, r));
        // The request span (and the trace context it sends) is a child of the run span.
        open_stream(call, None, None).instrument(span).await
    }
}

/// Sends a streaming call and wraps its SSE frames.
async fn open_stream<E: StreamEvent>(
    call: Call<()>,
    run_id: Option<String>,
    after_index: Option<u64>,
) -> Result<RunStream<E>> {
    let (client, request) = call.into_parts();
    let request = request?;
    let route = format!("{} {}", request.method, request.route);
    let accepted = agentos_core::http::StatusCode::ACCEPTED;
    let resp = match client.execute_stream(request).await {
        Ok(resp) if resp.status != accepted => resp,
        // agno 2.5.x answers a background run asked as a stream with 202 and the run's id as
        // JSON (a `NotEventStream` from the core): it cannot stream background runs.
        Ok(_) => return Err(background_stream_not_supported(&client, route).await),
        Err(Error::NotEventStream { status, .. }) if status == accepted => {
            return Err(background_stream_not_supported(&client, route).await);
        }
        Err(e) => return Err(e),
    };
    Ok(RunStream::new(
        frames(resp.body, client.max_frame_size()),
        run_id,
        after_index,
    ))
}

/// The error for a background run asked as a stream of a server that answers 202 instead.
async fn background_stream_not_supported(client: &AgentOsClient, route: String) -> Error {
    let version = client.server_version().await.ok();
    Error::NotSupported {
        feature: format!("{route} as an event stream (a background run streamed)"),
        server_version: version.and_then(|v| v.agno_version),
        needs: "2.6.0".to_owned(),
    }
}

/// Continues a run: a paused one with what it waited for, or any other one with a new input.
/// `continue_agent_run`, `continue_team_run`, `continue_workflow_run` (and `_stream`).
///
/// Sending no tools (agents), requirements (teams) or step requirements (workflows) makes
/// the server **reject every pending confirmation**. So that nobody does that by accident,
/// the call refuses to send without them unless [`ContinueBuilder::reject_all_pending`] was
/// called.
#[must_use = "a run does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct ContinueBuilder<E: StreamEvent, const STREAM: bool> {
    call: Call<()>,
    field: &'static str,
    payload: Option<Value>,
    reject_all: bool,
    allow_unresolved: bool,
    unresolved: Vec<String>,
    gated: Vec<String>,
    form: Form,
    error: Option<Error>,
    run_id: String,
    _kind: PhantomData<fn() -> E>,
}

impl<E: StreamEvent, const STREAM: bool> ContinueBuilder<E, STREAM> {
    pub(crate) fn new(
        client: &AgentOsClient,
        routes: &Routes,
        id: &str,
        run_id: &str,
        session_id: &str,
    ) -> Self {
        let mut form = Form::new();
        form.text("session_id", session_id);
        let error = session_id
            .is_empty()
            .then(|| Error::InvalidRequest("session_id is required to continue a run".into()));
        ContinueBuilder {
            call: Call::new(
                client,
                Request::post(routes.continue_, &[id, run_id]),
                decode_unit,
            ),
            field: routes.continue_field,
            payload: None,
            reject_all: false,
            allow_unresolved: false,
            unresolved: Vec::new(),
            gated: Vec::new(),
            form,
            error,
            run_id: run_id.to_owned(),
            _kind: PhantomData,
        }
    }

    /// Sends what the paused run waits for, resolved; notes what is left unresolved.
    pub(crate) fn awaiting(mut self, awaiting: &Awaiting) -> Self {
        self.unresolved = awaiting.unresolved();
        self.gated = awaiting.unsettled_approvals();
        let value = match awaiting {
            Awaiting::Tools(t) => to_json(self.field, t),
            Awaiting::Requirements(r) => to_json(self.field, r),
            Awaiting::Steps(s) => to_json(self.field, s),
        };
        match value {
            Ok(v) => self.payload = Some(v),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// A builder that fails with `error` when sent.
    pub(crate) fn failed(mut self, error: Error) -> Self {
        self.error = Some(error);
        self
    }

    /// Continues without resolving anything: the server rejects every pending confirmation
    /// (and completes the run). Say so explicitly with this call.
    pub fn reject_all_pending(mut self) -> Self {
        self.reject_all = true;
        self
    }

    /// Continues a run paused for admin approvals once they are resolved
    /// (`resolve_approval`): sends no tools, and the server applies each approval's
    /// decision (an approved call runs, a rejected one is rejected). A pending call that no
    /// approval gates is rejected.
    pub fn apply_approval_decisions(mut self) -> Self {
        self.reject_all = true;
        self
    }

    /// Sends the tools (or requirements) even when some are left unresolved; by default
    /// such a continue is refused before sending, naming what is left (the server would
    /// reject a pending confirmation, or ask again for a missing result).
    pub fn allow_unresolved(mut self) -> Self {
        self.allow_unresolved = true;
        self
    }

    /// A new user message (agents and teams; continues a finished run as a follow-up).
    pub fn input(mut self, input: impl Into<String>) -> Self {
        self.form.set("input", input);
        self
    }

    /// Continues for this user.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.form.set("user_id", user_id);
        self
    }

    /// Where to continue from: `end` (default), `last_user`, or a message index (agents
    /// and teams).
    pub fn continue_from(mut self, from: impl Into<String>) -> Self {
        self.form.set("continue_from", from);
        self
    }

    /// Continues into a new run id, leaving the original as it was (agents and teams).
    pub fn fork(mut self, fork: bool) -> Self {
        self.form.set("fork", if fork { "true" } else { "false" });
        self
    }

    /// Redoes the last answer as a new run (agents and teams).
    pub fn regenerate(mut self, regenerate: bool) -> Self {
        self.form
            .set("regenerate", if regenerate { "true" } else { "false" });
        self
    }

    /// With `regenerate`: whether the old run is marked `REGENERATED` (the server's default)
    /// or kept as it was.
    pub fn replace_original(mut self, replace: bool) -> Self {
        self.form
            .set("replace_original", if replace { "true" } else { "false" });
        self
    }

    /// Instructions added for this continuation (agents and teams).
    pub fn additional_instructions(mut self, instructions: impl Into<String>) -> Self {
        self.form.set("additional_instructions", instructions);
        self
    }

    fn set_json_field<T: Serialize>(mut self, name: &str, value: &T) -> Self {
        match json_object(name, value) {
            Ok(v) => {
                self.form.set(name, v.to_string());
            }
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// The session state (a JSON object; agents and teams).
    pub fn session_state<T: Serialize>(self, state: &T) -> Self {
        self.set_json_field("session_state", state)
    }

    /// Dependencies for the run's context (a JSON object; agents and teams).
    pub fn dependencies<T: Serialize>(self, deps: &T) -> Self {
        self.set_json_field("dependencies", deps)
    }

    /// Metadata of the run (a JSON object; agents and teams).
    pub fn metadata<T: Serialize>(self, metadata: &T) -> Self {
        self.set_json_field("metadata", metadata)
    }

    /// The input of a factory component (a JSON object).
    pub fn factory_input<T: Serialize>(self, input: &T) -> Self {
        self.set_json_field("factory_input", input)
    }

    /// A pass-through field, forwarded to the run. The fields the continue call sets itself
    /// (`session_id`, `stream`, `background`, and the resolved `tools`, `requirements` or
    /// `step_requirements`) are refused.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        const OWN: &[&str] = &[
            "session_id",
            "stream",
            "background",
            "tools",
            "requirements",
            "step_requirements",
        ];
        if OWN.contains(&name.as_str()) {
            self.error = Some(Error::InvalidRequest(format!(
                "{name} is set by the continue call itself; it cannot be a pass-through field"
            )));
        } else {
            self.form.set(&name, value);
        }
        self
    }

    /// Applies per-call options held apart (those of a continue from a paused run).
    pub(crate) fn with_options(mut self, options: agentos_core::kit::CallOptions) -> Self {
        self.call = options.apply(self.call);
        self
    }

    fn finish(self) -> Call<()> {
        let ContinueBuilder {
            call,
            field,
            payload,
            reject_all,
            allow_unresolved,
            unresolved,
            gated,
            mut form,
            error,
            ..
        } = self;
        if let Some(e) = error {
            return call.fail(e);
        }
        if payload.is_some() && !allow_unresolved {
            if !gated.is_empty() {
                return call.fail(Error::InvalidRequest(format!(
                    "tool calls gated by admin approvals {gated:?} cannot be sent back: resolve \
                     the approvals, then continue with apply_approval_decisions()"
                )));
            }
            if !unresolved.is_empty() {
                return call.fail(Error::InvalidRequest(format!(
                    "the continue leaves unresolved: {}; resolve them or call \
                     allow_unresolved()",
                    unresolved.join(", ")
                )));
            }
        }
        match payload {
            Some(p) => {
                if let Err(e) = form.json(field, &p) {
                    return call.fail(e);
                }
            }
            None if reject_all => {}
            None if form.get("input").is_some() => {}
            None => {
                return call.fail(Error::InvalidRequest(format!(
                    "continuing without `{field}` makes the server reject every pending \
                     confirmation; pass them, call reject_all_pending() to mean it, or \
                     apply_approval_decisions() after resolving admin approvals"
                )));
            }
        }
        form.set("stream", if STREAM { "true" } else { "false" });
        call.with_request(|r| r.body = agentos_core::Body::Form(form))
    }
}

impl<const STREAM: bool> ContinueBuilder<AgentRunEvent, STREAM> {
    /// The tool calls of the paused run, with their confirmations, results or inputs set.
    pub fn tools(self, tools: &[ToolExecution]) -> Self {
        self.awaiting(&Awaiting::Tools(tools.to_vec()))
    }
}

impl<const STREAM: bool> ContinueBuilder<TeamRunEvent, STREAM> {
    /// The requirements of the paused run, resolved.
    pub fn requirements(self, requirements: &[RunRequirement]) -> Self {
        self.awaiting(&Awaiting::Requirements(requirements.to_vec()))
    }
}

impl<const STREAM: bool> ContinueBuilder<WorkflowRunEvent, STREAM> {
    /// The step requirements of the paused workflow, resolved.
    pub fn step_requirements(self, requirements: &[StepRequirement]) -> Self {
        self.awaiting(&Awaiting::Steps(requirements.to_vec()))
    }
}

impl<E: StreamEvent> ContinueBuilder<E, false> {
    /// Sends the continue and waits for the output.
    pub async fn send(self) -> Result<E::Output> {
        let (client, request) = self.finish().into_parts();
        Call::new(&client, request, decode_json::<E::Output>)
            .send()
            .await
    }
}

impl<E: StreamEvent> ContinueBuilder<E, true> {
    /// Sends the continue and returns the event stream.
    pub async fn send(self) -> Result<RunStream<E>> {
        let run_id = Some(self.run_id.clone());
        open_stream(self.finish(), run_id, None).await
    }
}

/// Reconnects to a background run's stream: `resume_agent_run_stream`, ...
#[must_use = "a call does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct ResumeBuilder<E: StreamEvent> {
    call: Call<()>,
    routes: &'static Routes,
    id: String,
    run_id: String,
    last_event_index: Option<u64>,
    form: Form,
    _kind: PhantomData<fn() -> E>,
}

impl<E: StreamEvent> ResumeBuilder<E> {
    pub(crate) fn new(
        client: &AgentOsClient,
        routes: &'static Routes,
        id: &str,
        run_id: &str,
        last_event_index: Option<u64>,
    ) -> Self {
        let mut form = Form::new();
        if let Some(i) = last_event_index {
            form.text("last_event_index", i.to_string());
        }
        ResumeBuilder {
            call: Call::new(
                client,
                Request::post(routes.resume, &[id, run_id]),
                decode_unit,
            ),
            routes,
            id: id.to_owned(),
            run_id: run_id.to_owned(),
            last_event_index,
            form,
            _kind: PhantomData,
        }
    }

    /// The session of the run (needed to replay a finished run from the database).
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.form.set("session_id", session_id);
        self
    }

    /// Adds every header of `headers` to this call (those of the call that started the run).
    pub(crate) fn headers(mut self, headers: &agentos_core::http::HeaderMap) -> Self {
        let headers = headers.clone();
        self.call = self.call.with_request(move |r| {
            for (name, value) in &headers {
                r.options.headers.insert(name.clone(), value.clone());
            }
        });
        self
    }

    /// Reconnects, and keeps reconnecting when the stream breaks again: the resumed stream is
    /// a [`ResumableRunStream`](crate::ResumableRunStream), which also follows a run the
    /// replica reached does not hold (behind a load balancer without a shared queue) and
    /// ends a lost run in bounded time. Give the session id (`session_id`): it is needed to
    /// read the stored run.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_runs::RunsExt;
    /// let output = client
    ///     .resume_agent_run_stream("echo-agent", "run-1", Some(41))
    ///     .session_id("session-1")
    ///     .resumable()
    ///     .await?
    ///     .final_output()
    ///     .await?;
    /// # let _ = output;
    /// # Ok(()) }
    /// ```
    pub async fn resumable(self) -> Result<crate::ResumableRunStream<E>> {
        let client = self.call.client().clone();
        let (routes, id) = (self.routes, self.id.clone());
        // The reconnects carry the call's own headers, not its idempotency key.
        let mut headers = self
            .call
            .request()
            .map(|r| r.options.headers.clone())
            .unwrap_or_default();
        headers.remove("idempotency-key");
        let session_id = self.form.get("session_id").map(str::to_owned);
        let first = self.send().await?;
        Ok(crate::ResumableRunStream::new(
            client, routes, id, headers, first, session_id,
        ))
    }

    /// Reconnects. Events up to `last_event_index` are not delivered again; control frames
    /// (`replay`, `catch_up`, `subscribed`) come as `Control` events.
    pub async fn send(self) -> Result<RunStream<E>> {
        let form = self.form;
        let call = self
            .call
            .with_request(|r| r.body = agentos_core::Body::Form(form));
        open_stream(call, Some(self.run_id), self.last_event_index).await
    }
}

/// `cancel_*_run`.
///
/// **What a plain `200` means**: the server took note of the cancel, nothing more. It answers
/// success for any run id (the intent is stored for a run that may start later), and behind a
/// load balancer without a shared queue (agno's `QueueConfig(redis=…)`) a cancel that lands on
/// a replica that is not running the run is answered `200 {}` and does nothing: the run goes
/// on. [`CancelRun::confirm`] waits until the stored run shows `CANCELLED`.
#[must_use = "a call does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct CancelRun {
    call: Call<()>,
    routes: &'static Routes,
    id: String,
    run_id: String,
    session_id: Option<String>,
    confirm: Option<std::time::Duration>,
}

impl CancelRun {
    pub(crate) fn new(
        client: &AgentOsClient,
        routes: &'static Routes,
        id: &str,
        run_id: &str,
    ) -> Self {
        CancelRun {
            call: Call::new(
                client,
                Request::post(routes.cancel, &[id, run_id]),
                decode_unit,
            ),
            routes,
            id: id.to_owned(),
            run_id: run_id.to_owned(),
            session_id: None,
            confirm: None,
        }
    }

    /// The session of the run (required under user isolation, and by [`CancelRun::confirm`]).
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        let session_id = session_id.into();
        self.call = self.call.query("session_id", session_id.clone());
        self.session_id = Some(session_id);
        self
    }

    /// After the server answered, waits up to `within` until the stored run shows
    /// `CANCELLED` (polling it), and otherwise fails with [`Error::CancelNotConfirmed`]
    /// (with the status it saw). A run that ended otherwise in the meantime (`COMPLETED`,
    /// `ERROR`) is not confirmed either. Needs [`CancelRun::session_id`].
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_runs::RunsExt;
    /// client
    ///     .cancel_agent_run("echo-agent", "run-1")
    ///     .session_id("session-1")
    ///     .confirm(Duration::from_secs(10))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn confirm(mut self, within: std::time::Duration) -> Self {
        self.confirm = Some(within);
        self
    }

    fn finish(self) -> Call<()> {
        self.call
    }
}

agentos_core::impl_call_builder!(CancelRun => (), own send);

impl CancelRun {
    /// Sends the cancel (and, with [`CancelRun::confirm`], waits for it to show).
    pub async fn send(self) -> Result<()> {
        let Some(within) = self.confirm else {
            return self.finish().send().await;
        };
        let Some(session_id) = self.session_id.clone() else {
            return Err(Error::InvalidRequest(
                "confirming a cancel reads the stored run: give its session_id".into(),
            ));
        };
        let (routes, id, run_id) = (self.routes, self.id.clone(), self.run_id.clone());
        let headers = self
            .call
            .request()
            .map(|r| r.options.headers.clone())
            .unwrap_or_default();
        let client = self.call.client().clone();
        self.finish().send().await?;
        let polling =
            Polling::new(Duration::from_millis(200), within).backoff(Duration::from_secs(2));
        let mut clock = PollClock::new(polling);
        let mut status = "unknown".to_owned();
        loop {
            let request = Request::get(routes.run, &[&id, &run_id]).map(|mut r| {
                r.options.headers.extend(headers.clone());
                r.query("session_id", &session_id)
            });
            let read = Call::new(&client, request, decode_json::<Value>).send();
            match tokio::time::timeout(clock.left(), read).await {
                Ok(Ok(stored)) => {
                    status = stored
                        .get("status")
                        .and_then(Value::as_str)
                        .unwrap_or("unknown")
                        .to_owned();
                    match status.as_str() {
                        "CANCELLED" => return Ok(()),
                        "RUNNING" | "PENDING" | "unknown" => {}
                        // Ended otherwise: the cancel did not take.
                        _ => break,
                    }
                }
                // Not stored (yet): the replica reached may not hold the run.
                Ok(Err(e)) if e.is_not_found() => status = "not found".to_owned(),
                _ => {}
            }
            if clock.pause().await.is_err() {
                break;
            }
        }
        Err(Error::CancelNotConfirmed {
            run_id,
            status,
            waited: clock.elapsed(),
        })
    }
}

agentos_core::call_builder! {
    /// `list_*_runs`: the runs of a component in one session.
    pub struct ListRuns => Vec<crate::output::RunRecord>;
}

impl ListRuns {
    pub(crate) fn new(client: &AgentOsClient, routes: &Routes, id: &str, session_id: &str) -> Self {
        ListRuns {
            call: Call::new(client, Request::get(routes.runs, &[id]), decode_json)
                .query("session_id", session_id.to_owned()),
        }
    }

    /// Only runs with this status.
    pub fn status(mut self, status: RunStatus) -> Self {
        self.call = self.call.query("status", status.as_str().to_owned());
        self
    }
}

agentos_core::call_builder! {
    /// `fork_*_session`: a deep copy of a session with new run ids.
    pub struct ForkSession => crate::output::ForkedSession;
}

agentos_core::query_setters!(ForkSession {
    /// The user the session belongs to.
    user_id,
});

impl ForkSession {
    pub(crate) fn new(
        client: &AgentOsClient,
        route: &'static str,
        id: &str,
        session: &str,
    ) -> Self {
        ForkSession {
            call: Call::new(client, Request::post(route, &[id, session]), decode_json),
        }
    }
}

agentos_core::impl_call_builder!([E: StreamEvent] ResumeBuilder<E> => RunStream<E>, own send);
agentos_core::impl_call_builder!([E: StreamEvent, const STREAM: bool] ContinueBuilder<E, STREAM>, options);
agentos_core::impl_call_builder!([E: StreamEvent] ContinueBuilder<E, false> => E::Output, into_future);
agentos_core::impl_call_builder!([E: StreamEvent] ContinueBuilder<E, true> => RunStream<E>, into_future);
