//! [`RunStream`]: a run's events as a `Stream`, with the run id and session id known from the
//! first event, a typed error for in-stream failures, and a truncation error when the stream
//! ends before its terminal event. Dropping it closes the connection (for a foreground run
//! the server then cancels the run; background runs go on and can be resumed).

use std::pin::Pin;
use std::task::{Context, Poll};

use agentos_core::sse::SseStream;
use agentos_core::{Error, Result, RunFailure};
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::events::{AgentRunEvent, EventData, TeamRunEvent, WorkflowRunEvent};
use crate::output::{RunOutput, RunStatus, TeamRunOutput, WorkflowRunOutput};

/// Where an event stands in the run it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The top-level run started (or continued).
    Started,
    /// A content delta of the top-level run.
    Content,
    /// The top-level run ended with this status.
    Terminal(TerminalKind),
    /// Anything else (nested events, tools, model calls, control frames).
    Other,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminalKind {
    /// Completed.
    Completed,
    /// Failed.
    Error,
    /// Cancelled.
    Cancelled,
    /// Paused for a human.
    Paused,
}

impl TerminalKind {
    fn status(self) -> RunStatus {
        match self {
            TerminalKind::Completed => RunStatus::Completed,
            TerminalKind::Error => RunStatus::Error,
            TerminalKind::Cancelled => RunStatus::Cancelled,
            TerminalKind::Paused => RunStatus::Paused,
        }
    }
}

/// An event type of one kind of run stream (agent, team or workflow).
pub trait StreamEvent: Sized + Send + Unpin + 'static {
    /// The output a collected stream gives.
    type Output: DeserializeOwned + Send + 'static;

    /// Decodes an event; never fails (unknown names are kept).
    fn decode(name: &str, data: Value) -> Self;

    /// Decodes an event whose data is already parsed; `raw` is the data's text.
    fn decode_parsed(name: &str, data: EventData, raw: &str) -> Self;

    /// Decodes a frame straight from its text, in one pass, when its `event:` line `name`
    /// is all it takes to know what it is: the same event [`decode_parsed`] gives. `None`
    /// (the default) sends the frame the long way: parsed into [`EventData`], then decoded.
    ///
    /// [`decode_parsed`]: StreamEvent::decode_parsed
    fn decode_frame(name: &str, raw: &str) -> Option<Self> {
        let _ = (name, raw);
        None
    }

    /// The top-level data of the event and its phase; `None` for nested and control events.
    fn phase(&self) -> (Phase, Option<&EventData>);

    /// Sets the status of a collected output.
    fn set_status(output: &mut Self::Output, status: RunStatus);

    /// The run id of an output.
    fn output_run_id(output: &Self::Output) -> Option<&str>;

    /// The status of an output.
    fn output_status(output: &Self::Output) -> Option<&RunStatus>;

    /// The control frame, when the event is one.
    fn control(&self) -> Option<&crate::events::ControlFrame>;

    /// The event's name as the server sent it.
    fn event_name(&self) -> &str;

    /// The event's data, nested events (members, steps) included; `None` for control frames
    /// and unknown events.
    fn event_data(&self) -> Option<&EventData>;

    /// The event's data as the server sent it (typed fields merged back into one object).
    fn data_json(&self) -> Value;

    /// The tool call of a tool-call event (`ToolCallStarted`, `ToolCallCompleted`,
    /// `ToolCallError`, and the team leader's), nested events included.
    fn tool_call(&self) -> Option<&crate::output::ToolExecution>;

    /// The text delta the event carries, for [`RunStream::text`]: a content delta of the
    /// top-level run (`true`), or, in a workflow, one of a step's agent or team (`false`).
    fn text_delta(&self) -> Option<(&EventData, bool)>;
}

macro_rules! top_level {
    ($ty:ident, $out:ty, started: [$($s:ident),*], content: [$($c:ident),*], completed: $done:ident,
     error: $err:ident, cancelled: $cancel:ident, paused: $pause:ident) => {
        impl StreamEvent for $ty {
            type Output = $out;

            fn decode(name: &str, data: Value) -> Self {
                $ty::from_parts(name, data)
            }

            fn decode_parsed(name: &str, data: EventData, raw: &str) -> Self {
                $ty::from_parsed(name, data, raw)
            }

            fn decode_frame(name: &str, raw: &str) -> Option<Self> {
                $ty::parse_frame(name, raw)
            }

            fn phase(&self) -> (Phase, Option<&EventData>) {
                match self {
                    $( $ty::$s(d) => (Phase::Started, Some(&d.data)), )*
                    $( $ty::$c(d) => (Phase::Content, Some(&d.data)), )*
                    $ty::$done(d) => (Phase::Terminal(TerminalKind::Completed), Some(&d.data)),
                    $ty::$err(d) => (Phase::Terminal(TerminalKind::Error), Some(&d.data)),
                    $ty::$cancel(d) => (Phase::Terminal(TerminalKind::Cancelled), Some(&d.data)),
                    $ty::$pause(d) => (Phase::Terminal(TerminalKind::Paused), Some(&d.data)),
                    other => (Phase::Other, other.own_data()),
                }
            }

            fn set_status(output: &mut $out, status: RunStatus) {
                output.status = Some(status);
            }

            fn output_run_id(output: &$out) -> Option<&str> {
                output.run_id.as_deref()
            }

            fn output_status(output: &$out) -> Option<&RunStatus> {
                output.status.as_ref()
            }

            fn control(&self) -> Option<&crate::events::ControlFrame> {
                match self {
                    $ty::Control(c) => Some(c),
                    _ => None,
                }
            }

            fn text_delta(&self) -> Option<(&EventData, bool)> {
                $ty::text_delta(self)
            }

            fn event_name(&self) -> &str {
                self.name()
            }

            fn event_data(&self) -> Option<&EventData> {
                self.data()
            }

            fn data_json(&self) -> Value {
                $ty::data_json(self)
            }

            fn tool_call(&self) -> Option<&crate::output::ToolExecution> {
                $ty::tool_call(self)
            }
        }
    };
}

impl AgentRunEvent {
    fn text_delta(&self) -> Option<(&EventData, bool)> {
        match self {
            AgentRunEvent::RunContent(d) => Some((&d.data, true)),
            _ => None,
        }
    }
}

impl TeamRunEvent {
    fn text_delta(&self) -> Option<(&EventData, bool)> {
        match self {
            TeamRunEvent::TeamRunContent(d) => Some((&d.data, true)),
            _ => None,
        }
    }
}

impl WorkflowRunEvent {
    /// A workflow has no deltas of its own: its text is what its steps write.
    fn text_delta(&self) -> Option<(&EventData, bool)> {
        match self {
            WorkflowRunEvent::Agent(AgentRunEvent::RunContent(d)) => Some((&d.data, false)),
            WorkflowRunEvent::Team(TeamRunEvent::TeamRunContent(d)) => Some((&d.data, false)),
            _ => None,
        }
    }
}

top_level!(AgentRunEvent, RunOutput, started: [RunStarted, RunContinued], content: [RunContent],
    completed: RunCompleted, error: RunError, cancelled: RunCancelled, paused: RunPaused);
top_level!(TeamRunEvent, TeamRunOutput, started: [TeamRunStarted, TeamRunContinued],
    content: [TeamRunContent], completed: TeamRunCompleted, error: TeamRunError,
    cancelled: TeamRunCancelled, paused: TeamRunPaused);
top_level!(WorkflowRunEvent, WorkflowRunOutput, started: [WorkflowStarted],
    content: [], completed: WorkflowCompleted, error: WorkflowError,
    cancelled: WorkflowCancelled, paused: WorkflowPaused);

/// The most text of a run a [`RunStream`] keeps to report in
/// [`Error::StreamTruncated`]'s `partial_content` by default: 1 MiB. Only the first bytes up to
/// the limit are kept (cut at a character boundary), so a stream of deltas that never ends
/// cannot grow memory without bound; [`RunStream::partial_content_cut`] tells when text was
/// left out, and [`RunStream::max_partial_content`] changes the limit.
pub const MAX_PARTIAL_CONTENT: usize = 1024 * 1024;

/// The events of one run. `Item = Result<E>`: an error ends the stream.
///
/// - `run_id()` / `session_id()` are known once the first event arrived;
/// - an `error` frame (resume problems) is an [`Error::Run`];
/// - an end before the terminal event is an [`Error::StreamTruncated`] with what arrived: the
///   text up to [`MAX_PARTIAL_CONTENT`] bytes (see [`RunStream::partial_content_cut`]);
/// - in background runs, an event whose `event_index` was already delivered is skipped, so a
///   resumed stream never repeats one.
pub struct RunStream<E> {
    frames: SseStream,
    st: Progress<E>,
}

/// What a [`RunStream`] learned from the events so far.
struct Progress<E> {
    root_run_id: Option<String>,
    session_id: Option<String>,
    last_event_index: Option<u64>,
    events: usize,
    partial: PartialText,
    terminal: Option<(TerminalKind, Value)>,
    done: bool,
    _kind: std::marker::PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for RunStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunStream")
            .field("run_id", &self.st.root_run_id)
            .field("session_id", &self.st.session_id)
            .field("events", &self.st.events)
            .field("last_event_index", &self.st.last_event_index)
            .finish_non_exhaustive()
    }
}

impl<E: StreamEvent> RunStream<E> {
    /// A stream over SSE frames. `run_id` is known for continued and resumed runs;
    /// `after_index` skips events up to that `event_index` (resume).
    pub fn new(frames: SseStream, run_id: Option<String>, after_index: Option<u64>) -> Self {
        RunStream {
            frames,
            st: Progress {
                root_run_id: run_id,
                session_id: None,
                last_event_index: after_index,
                events: 0,
                partial: PartialText::new(MAX_PARTIAL_CONTENT),
                terminal: None,
                done: false,
                _kind: std::marker::PhantomData,
            },
        }
    }

    /// The run id, once known.
    pub fn run_id(&self) -> Option<&str> {
        self.st.root_run_id.as_deref()
    }

    /// The session id, once known.
    pub fn session_id(&self) -> Option<&str> {
        self.st.session_id.as_deref()
    }

    /// The `event_index` of the last event delivered (background runs): give it to
    /// `resume_*_run_stream` after a disconnect.
    pub fn last_event_index(&self) -> Option<u64> {
        self.st.last_event_index
    }

    /// Keeps at most `bytes` of the run's text for [`Error::StreamTruncated`]'s
    /// `partial_content` (default [`MAX_PARTIAL_CONTENT`]; `0` keeps none). Text already kept
    /// beyond the new limit is cut.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_runs::RunsExt;
    /// let stream = client
    ///     .run_agent_stream("echo-agent", "Hello")
    ///     .await?
    ///     .max_partial_content(64 * 1024);
    /// let output = stream.final_output().await?;
    /// # let _ = output;
    /// # Ok(()) }
    /// ```
    pub fn max_partial_content(mut self, bytes: usize) -> Self {
        self.st.partial.set_limit(bytes);
        self
    }

    /// Whether text of the run was left out of the `partial_content` kept for
    /// [`Error::StreamTruncated`] (more arrived than the limit, [`MAX_PARTIAL_CONTENT`] by
    /// default): it then holds the first bytes of the text only.
    pub fn partial_content_cut(&self) -> bool {
        self.st.partial.cut
    }

    /// The text kept for a truncation report (tests measure it).
    #[cfg(test)]
    pub(crate) fn kept_partial(&self) -> &String {
        &self.st.partial.text
    }

    /// How the run ended, once the terminal event arrived.
    pub fn terminal(&self) -> Option<TerminalKind> {
        self.st.terminal.as_ref().map(|(k, _)| *k)
    }

    /// Reads the stream to its end and returns the run's final output (built from the
    /// terminal event). A run that failed is an [`Error::Run`]; a paused run is an output with
    /// status `Paused` and what it waits for.
    pub async fn final_output(mut self) -> Result<E::Output> {
        while let Some(item) = self.next().await {
            item?;
        }
        let (kind, data) = self.st.terminal.take().ok_or_else(|| self.st.truncated())?;
        if kind == TerminalKind::Error {
            return Err(failure(
                &data,
                self.st.root_run_id.clone(),
                self.st.session_id.clone(),
            ));
        }
        let mut output: E::Output = serde_json::from_value(data.clone())
            .map_err(|e| Error::Sse(format!("the terminal event does not describe a run: {e}")))?;
        E::set_status(&mut output, kind.status());
        Ok(output)
    }

    /// Only the text as it arrives: the content deltas of the top-level run (agents, teams;
    /// a team's members' deltas are left out), or of the workflow's steps one after another
    /// (workflows have no deltas of their own). Empty deltas are skipped. A run that fails
    /// ends the text with an [`Error::Run`], and a cut stream with
    /// [`Error::StreamTruncated`], so a failed run never passes for a short answer.
    pub fn text(self) -> impl Stream<Item = Result<String>> + Send + Unpin
    where
        E: Send,
    {
        Box::pin(futures::stream::unfold(self, |mut s| async move {
            loop {
                match s.next().await? {
                    Ok(ev) => {
                        if let Some(t) = s.st.delta_str(&ev) {
                            if !t.is_empty() {
                                let t = t.into_owned();
                                return Some((Ok(t), s));
                            }
                        }
                        if let (Phase::Terminal(TerminalKind::Error), Some(d)) = ev.phase() {
                            if s.st.is_root(d) {
                                let session = d.session_id.clone().or(s.st.session_id.clone());
                                let e = failure(&ev.data_json(), s.st.root_run_id.clone(), session);
                                s.st.done = true;
                                return Some((Err(e), s));
                            }
                        }
                    }
                    Err(e) => return Some((Err(e), s)),
                }
            }
        }))
    }
}

/// The text of a run kept to report with an error: the first bytes up to a limit (cut at a
/// character boundary); the memory it takes never grows past the limit either.
#[derive(Debug)]
pub(crate) struct PartialText {
    pub(crate) text: String,
    limit: usize,
    /// Whether text was left out.
    pub(crate) cut: bool,
}

impl PartialText {
    pub(crate) fn new(limit: usize) -> Self {
        PartialText {
            text: String::new(),
            limit,
            cut: false,
        }
    }

    /// Changes the limit; text already kept beyond it is cut.
    pub(crate) fn set_limit(&mut self, bytes: usize) {
        self.limit = bytes;
        if self.text.len() > bytes {
            self.text.truncate(floor_char_boundary(&self.text, bytes));
            self.text.shrink_to(bytes);
            self.cut = true;
        }
    }

    /// Forgets the text kept so far (a run that starts over).
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.cut = false;
    }

    /// Keeps `text`, up to the limit.
    pub(crate) fn keep(&mut self, text: &str) {
        if self.cut {
            return;
        }
        let room = self.limit.saturating_sub(self.text.len());
        let take = if text.len() <= room {
            text
        } else {
            self.cut = true;
            &text[..floor_char_boundary(text, room)]
        };
        let needed = self.text.len() + take.len();
        if needed > self.text.capacity() {
            // Grow by doubling as `String` would, but never past the limit.
            let target = needed.max(self.text.capacity() * 2).min(self.limit);
            self.text.reserve_exact(target - self.text.len());
        }
        self.text.push_str(take);
    }
}

/// The largest index up to `max` that is a character boundary of `s`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A paused workflow's stream on agno 2.6.12 and older ends with a `WorkflowRunOutput` frame
/// (status `PAUSED`, with its `step_requirements`) instead of `WorkflowPaused`: it is read as
/// `WorkflowPaused`, so the stream ends paused, not truncated.
fn legacy_pause(name: String, status: Option<&str>) -> String {
    if name == "WorkflowRunOutput" && status == Some("PAUSED") {
        "WorkflowPaused".to_owned()
    } else {
        name
    }
}

/// The name of a frame: `data.event`, else the `event:` line, else `message`.
fn event_name(in_data: Option<&str>, line: Option<&str>) -> String {
    in_data.or(line).unwrap_or("message").to_owned()
}

/// Builds a run's output from its terminal event (an error event is an [`Error::Run`]).
pub(crate) fn output_from_terminal<E: StreamEvent>(
    kind: TerminalKind,
    data: Value,
    run_id: Option<String>,
    session_id: Option<String>,
) -> Result<E::Output> {
    if kind == TerminalKind::Error {
        return Err(failure(&data, run_id, session_id));
    }
    let mut output: E::Output = serde_json::from_value(data)
        .map_err(|e| Error::Sse(format!("the terminal event does not describe a run: {e}")))?;
    E::set_status(&mut output, kind.status());
    Ok(output)
}

fn failure(data: &Value, run_id: Option<String>, session_id: Option<String>) -> Error {
    let message = data
        .get("error")
        .and_then(Value::as_str)
        .or_else(|| data.get("content").and_then(Value::as_str))
        .unwrap_or("the run failed")
        .to_owned();
    let mut f = RunFailure::new(message);
    f.run_id = data
        .get("run_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(run_id);
    f.session_id = session_id;
    f.error_type = data
        .get("error_type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    f.error_id = data
        .get("error_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Error::Run(Box::new(f))
}

impl<E: StreamEvent> Progress<E> {
    /// Whether the event's run is the top-level one (true while that is not known).
    fn is_root(&self, d: &EventData) -> bool {
        match (&self.root_run_id, &d.run_id) {
            (Some(root), Some(id)) => root == id,
            _ => true,
        }
    }

    /// The text delta of an event that belongs to the stream's text.
    fn delta_str<'e>(&self, ev: &'e E) -> Option<std::borrow::Cow<'e, str>> {
        let (d, top) = ev.text_delta()?;
        if top && !self.is_root(d) {
            return None;
        }
        match d.content.as_ref()? {
            Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
            Value::Null => None,
            other => Some(std::borrow::Cow::Owned(other.to_string())),
        }
    }

    /// An `error` frame (resume problems): the stream ends with an [`Error::Run`].
    fn error_frame(&mut self, message: Option<&str>) -> Error {
        self.done = true;
        let mut f =
            RunFailure::new(message.unwrap_or("the server reported an error in the stream"));
        f.run_id = self.root_run_id.clone();
        f.session_id = self.session_id.clone();
        Error::Run(Box::new(f))
    }

    /// Whether an event with this index was delivered already (a resumed background run);
    /// otherwise the index becomes the last one delivered.
    fn already_delivered(&mut self, index: Option<u64>) -> bool {
        if let Some(index) = index {
            if self.last_event_index.is_some_and(|last| index <= last) {
                return true;
            }
            self.last_event_index = Some(index);
        }
        false
    }

    fn truncated(&self) -> Error {
        Error::StreamTruncated {
            run_id: self.root_run_id.clone(),
            session_id: self.session_id.clone(),
            events: self.events,
            last_event_index: self.last_event_index,
            partial_content: self.partial.text.clone(),
        }
    }

    fn on_frame(&mut self, event: Option<&str>, data: &str) -> Option<Result<E>> {
        // The fast path: a frame named by its `event:` line, decoded in one pass straight
        // into its typed payload.
        let fast = event.and_then(|name| E::decode_frame(name, data));
        // Else the data is parsed once into `EventData`, then decoded by its name. Anything
        // else (not JSON, or fields of an unexpected type) is kept as a JSON value.
        let ev = if let Some(ev) = fast {
            if self.already_delivered(ev.event_data().and_then(|d| d.event_index)) {
                return None;
            }
            ev
        } else {
            match serde_json::from_str::<EventData>(data) {
                Ok(d) => {
                    let name =
                        legacy_pause(event_name(d.event_field(), event), d.str_field("status"));
                    if name == "error" {
                        return Some(Err(self.error_frame(d.str_field("error"))));
                    }
                    if self.already_delivered(d.event_index) {
                        return None;
                    }
                    E::decode_parsed(&name, d, data)
                }
                Err(_) => {
                    let value: Value = serde_json::from_str(data)
                        .unwrap_or_else(|_| Value::String(data.to_owned()));
                    let name = legacy_pause(
                        event_name(value.get("event").and_then(Value::as_str), event),
                        value.get("status").and_then(Value::as_str),
                    );
                    if name == "error" {
                        return Some(Err(
                            self.error_frame(value.get("error").and_then(Value::as_str))
                        ));
                    }
                    if self.already_delivered(value.get("event_index").and_then(Value::as_u64)) {
                        return None;
                    }
                    E::decode(&name, value)
                }
            }
        };
        self.events += 1;
        if let Some(t) = self.delta_str(&ev) {
            self.partial.keep(&t);
        }
        let (phase, data) = ev.phase();
        if let Some(d) = data {
            if self.session_id.is_none() {
                self.session_id = d.session_id.clone();
            }
            let ours = self.is_root(d);
            match phase {
                Phase::Started if self.root_run_id.is_none() => {
                    self.root_run_id = d.run_id.clone();
                }
                Phase::Terminal(kind) if ours && self.terminal.is_none() => {
                    if self.root_run_id.is_none() {
                        self.root_run_id = d.run_id.clone();
                    }
                    // The event data keeps every field, so the output is rebuilt from it.
                    self.terminal = Some((kind, ev.data_json()));
                }
                _ => {}
            }
        }
        Some(Ok(ev))
    }
}

impl<E: StreamEvent> Stream for RunStream<E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.st.done {
                return Poll::Ready(None);
            }
            match this.frames.poll_next_ref(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(item) = this.st.on_frame(frame.event, frame.data) {
                        return Poll::Ready(Some(item));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.st.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.st.done = true;
                    if this.st.terminal.is_none() {
                        return Poll::Ready(Some(Err(this.st.truncated())));
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}
