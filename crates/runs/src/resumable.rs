//! [`ResumableRunStream`]: a background run's stream that reconnects by itself and knows what
//! it is looking at.
//!
//! When the connection drops (a reset, an idle timeout, a server restart, a replica that
//! died behind a load balancer), it reconnects through the resume route with the last
//! `event_index` it delivered, skips the control frames, and delivers each event exactly once
//! and in order. The run's POST is never sent again. What the resume route answers decides
//! what happens next:
//!
//! - the run's live buffer (the replica that runs it, or any replica with agno's
//!   `QueueConfig(redis=…)`): the missed events, then the live ones;
//! - a `replay` frame with a finished status (`COMPLETED`, `ERROR`, `CANCELLED`, `PAUSED`): the
//!   run ended and the server replays it from its database, where content deltas are not
//!   stored: the stream ends with that outcome (the stored error message included). Events
//!   without an `event_index` are skipped, except the terminal one, which carries the whole
//!   result;
//! - a `replay` frame saying `RUNNING` with no events: this replica does not hold the run (it
//!   runs on another replica and there is no shared queue). The stream reconnects at once
//!   (a load balancer may pick the right replica), and otherwise follows the run by polling
//!   the stored run, trying to attach again now and then. The final result is delivered as
//!   the terminal event; [`ResumableRunStream::missed_deltas`] then says the text after the
//!   cut did not arrive as deltas, and a `deltas_missing` [`ControlFrame`] precedes it.
//!
//! Every wait is bounded: a stream that delivers no event for
//! [`ResumableRunStream::event_stall_timeout`] is reconnected (agno's heartbeats keep a dead
//! run's stream open for ever), reconnects that keep failing give up after
//! [`ResumableRunStream::reconnect_budget`], and a run that shows no progress (no event and
//! no change of the stored run) for [`ResumableRunStream::lost_after`] while the server still
//! says `RUNNING` ends in [`Error::RunLost`]. Every error keeps the text received across all
//! attempts (`partial_content`).
//!
//! With agno's durable queue (`QueueConfig(durable=True)`, `max_attempts` > 1) a run whose
//! replica died is run again from the start under the same run id: the stream then shows a
//! second start event. The kept text starts over, a `run_restarted` [`ControlFrame`] precedes
//! the new start, and [`ResumableRunStream::restarts`] counts them, so text is never
//! duplicated: a reader that joins deltas drops what it joined on `run_restarted`.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use agentos_core::http::{self, HeaderMap};
use agentos_core::kit::CallKit;
use agentos_core::kit::decode_json;
use agentos_core::{AgentOsClient, Call, Error, Request, Result, SessionType};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::request::{ResumeBuilder, Routes};
use crate::stream::{
    MAX_PARTIAL_CONTENT, PartialText, Phase, RunStream, StreamEvent, TerminalKind,
    output_from_terminal,
};

/// How long reconnects that keep failing are tried by default: 150 s. It outlasts agno's
/// windows for a replica that goes away: the graceful-shutdown drain (30 s by default), the
/// durable queue's lease before a dead worker's run is reclaimed (`lock_grace_seconds`, 60 s)
/// and its idle poll (1 s).
pub const DEFAULT_RECONNECT_BUDGET: Duration = Duration::from_secs(150);

/// How long a connected stream may deliver no event before it is reconnected by default: 75 s
/// (agno sends a heartbeat comment every 30 s on an idle resumed stream; two heartbeats and no
/// event is a stall).
pub const DEFAULT_EVENT_STALL_TIMEOUT: Duration = Duration::from_secs(75);

/// How long a run may stay `RUNNING` without any progress before the stream ends with
/// [`Error::RunLost`] by default: 5 minutes (a run whose replica died stays `RUNNING` in the
/// database for ever unless a durable queue reclaims it).
pub const DEFAULT_LOST_AFTER: Duration = Duration::from_secs(300);

/// How often a run that cannot be attached is polled (the first polls are quicker).
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(3);

/// Every how many polls of a detached run an attach is tried again.
const ATTACH_EVERY: u32 = 4;

/// The settings of a [`ResumableRunStream`].
#[derive(Debug, Clone, Copy)]
struct Settings {
    reconnect_budget: Duration,
    event_stall: Duration,
    lost_after: Duration,
}

struct Info {
    settings: Settings,
    run_id: Option<String>,
    session_id: Option<String>,
    last_event_index: Option<u64>,
    reconnects: u32,
    restarts: u32,
    missed_deltas: bool,
    events: usize,
    partial: PartialText,
    terminal: Option<(TerminalKind, Value)>,
}

/// A run stream that survives dropped connections, replicas that do not hold the run, and
/// replicas that die (see the module docs). Made by `run_*_stream(..).resumable()`.
pub struct ResumableRunStream<E> {
    inner: Pin<Box<dyn Stream<Item = Result<E>> + Send>>,
    info: Arc<Mutex<Info>>,
}

impl<E> std::fmt::Debug for ResumableRunStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResumableRunStream").finish_non_exhaustive()
    }
}

/// What the current connection said about the run in its `replay` frame.
#[derive(Debug, Clone, PartialEq)]
enum Replay {
    /// No `replay` frame (a live buffer, or the first connection).
    Live,
    /// Replayed from the database with this finished status.
    Finished(String),
    /// `RUNNING`/`PENDING` with nothing to replay: this replica does not hold the run.
    Detached,
}

struct State<E> {
    client: AgentOsClient,
    routes: &'static Routes,
    id: String,
    headers: HeaderMap,
    stream: Option<RunStream<E>>,
    info: Arc<Mutex<Info>>,
    replay: Replay,
    /// Connections in a row that found the run detached.
    detached: u32,
    /// Following the stored run by polling; the count of polls.
    polling: Option<u32>,
    /// When reconnects started failing in a row.
    failing_since: Option<Instant>,
    failures: u32,
    /// The last time the run showed progress.
    progress_at: Instant,
    /// What the stored run looked like at the last poll (to see progress).
    stored_fingerprint: Option<u64>,
    started: bool,
    queued: VecDeque<E>,
    last_error: Option<Error>,
    done: bool,
}

/// Errors after which a reconnect may help.
fn is_disconnect(e: &Error) -> bool {
    matches!(
        e,
        Error::Connection { .. }
            | Error::Timeout { .. }
            | Error::StreamTruncated { .. }
            | Error::RemoteServerUnavailable { .. }
    ) || e.status().is_some_and(|s| s.is_server_error())
}

/// Whether a stored status means the run is still going.
fn is_busy(status: &str) -> bool {
    matches!(status, "RUNNING" | "PENDING")
}

impl<E: StreamEvent> ResumableRunStream<E> {
    pub(crate) fn new(
        client: AgentOsClient,
        routes: &'static Routes,
        id: String,
        headers: HeaderMap,
        first: RunStream<E>,
        session_id: Option<String>,
    ) -> Self {
        // A stream that starts with a resume has seen the run start already.
        let resumed = first.last_event_index();
        let info = Arc::new(Mutex::new(Info {
            settings: Settings {
                reconnect_budget: DEFAULT_RECONNECT_BUDGET,
                event_stall: DEFAULT_EVENT_STALL_TIMEOUT,
                lost_after: DEFAULT_LOST_AFTER,
            },
            run_id: first.run_id().map(str::to_owned),
            session_id: session_id.or_else(|| first.session_id().map(str::to_owned)),
            last_event_index: resumed,
            reconnects: 0,
            restarts: 0,
            missed_deltas: false,
            events: 0,
            partial: PartialText::new(MAX_PARTIAL_CONTENT),
            terminal: None,
        }));
        let state = State {
            client,
            routes,
            id,
            headers,
            stream: Some(first),
            info: info.clone(),
            replay: Replay::Live,
            detached: 0,
            polling: None,
            failing_since: None,
            failures: 0,
            progress_at: Instant::now(),
            stored_fingerprint: None,
            started: resumed.is_some(),
            queued: VecDeque::new(),
            last_error: None,
            done: false,
        };
        let inner = futures::stream::unfold(state, |mut st| async move {
            let item = st.next_item().await?;
            Some((item, st))
        });
        ResumableRunStream {
            inner: Box::pin(inner),
            info,
        }
    }

    fn with_settings(self, f: impl FnOnce(&mut Settings)) -> Self {
        if let Ok(mut info) = self.info.lock() {
            f(&mut info.settings);
        }
        self
    }

    /// How long reconnects that keep failing are tried before the stream gives up with the
    /// text received so far ([`Error::StreamTruncated`]); default
    /// [`DEFAULT_RECONNECT_BUDGET`]. The backoff between attempts grows from 250 ms to 5 s.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use std::time::Duration;
    /// use agentos_runs::RunsExt;
    /// let stream = client
    ///     .run_agent_stream("echo-agent", "Hello")
    ///     .resumable()
    ///     .await?
    ///     .reconnect_budget(Duration::from_secs(300))
    ///     .event_stall_timeout(Duration::from_secs(120))
    ///     .lost_after(Duration::from_secs(600));
    /// let output = stream.final_output().await?;
    /// # let _ = output;
    /// # Ok(()) }
    /// ```
    pub fn reconnect_budget(self, budget: Duration) -> Self {
        self.with_settings(|s| s.reconnect_budget = budget)
    }

    /// How long a connected stream may deliver no event before it is dropped and reconnected
    /// (default [`DEFAULT_EVENT_STALL_TIMEOUT`]). Heartbeats do not count as events. A run that
    /// is only quiet (a long tool call) loses nothing: the reconnect picks it up where it was.
    /// See [`ResumableRunStream::reconnect_budget`] for an example.
    pub fn event_stall_timeout(self, timeout: Duration) -> Self {
        self.with_settings(|s| s.event_stall = timeout.max(Duration::from_millis(100)))
    }

    /// How long the run may show no progress (no new event, no change of the stored run)
    /// while the server still says it is `RUNNING` before the stream ends with
    /// [`Error::RunLost`] (default [`DEFAULT_LOST_AFTER`]). Set it above the longest quiet
    /// stretch of your runs (a run that cannot be attached, on a replica that does not share
    /// its events, shows progress only when it ends). See
    /// [`ResumableRunStream::reconnect_budget`] for an example.
    pub fn lost_after(self, limit: Duration) -> Self {
        self.with_settings(|s| s.lost_after = limit)
    }

    /// The run id, once known.
    pub fn run_id(&self) -> Option<String> {
        self.info.lock().ok()?.run_id.clone()
    }

    /// The session id, once known.
    pub fn session_id(&self) -> Option<String> {
        self.info.lock().ok()?.session_id.clone()
    }

    /// The `event_index` of the last event delivered.
    pub fn last_event_index(&self) -> Option<u64> {
        self.info.lock().ok()?.last_event_index
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.info.lock().map(|i| i.reconnects).unwrap_or(0)
    }

    /// How many times the run started over under the same run id (a durable queue re-ran it
    /// after its replica died); each is announced by a `run_restarted` control frame.
    pub fn restarts(&self) -> u32 {
        self.info.lock().map(|i| i.restarts).unwrap_or(0)
    }

    /// Whether the content deltas delivered do not add up to the run's result: it came from
    /// the server's database (a replay, or the stored run polled from a replica that does not
    /// hold it) and the deltas after the cut never arrived, or, after a reconnect, the deltas
    /// joined differ from the result (a run re-run by a durable queue whose restart did not
    /// reach this stream). The terminal event (and [`final_output`](Self::final_output)) has
    /// the whole text; use it, not the deltas joined.
    pub fn missed_deltas(&self) -> bool {
        self.info.lock().map(|i| i.missed_deltas).unwrap_or(false)
    }

    /// The text received so far, across every connection (up to
    /// [`MAX_PARTIAL_CONTENT`](crate::MAX_PARTIAL_CONTENT) bytes; since the last restart).
    pub fn partial_content(&self) -> String {
        self.info
            .lock()
            .map(|i| i.partial.text.clone())
            .unwrap_or_default()
    }

    /// Reads to the end and returns the run's final output (see `RunStream::final_output`).
    pub async fn final_output(mut self) -> Result<E::Output> {
        while let Some(item) = self.next().await {
            item?;
        }
        let mut info = self
            .info
            .lock()
            .map_err(|_| Error::Sse("poisoned stream state".into()))?;
        let Some((kind, data)) = info.terminal.take() else {
            return Err(info.truncated());
        };
        output_from_terminal::<E>(kind, data, info.run_id.clone(), info.session_id.clone())
            .map_err(|e| info.with_partial(e))
    }
}

impl Info {
    fn truncated(&self) -> Error {
        Error::StreamTruncated {
            run_id: self.run_id.clone(),
            session_id: self.session_id.clone(),
            events: self.events,
            last_event_index: self.last_event_index,
            partial_content: self.partial.text.clone(),
        }
    }

    /// Puts the text received across every connection into an error that keeps text.
    fn with_partial(&self, e: Error) -> Error {
        match e {
            Error::StreamTruncated {
                run_id, session_id, ..
            } => Error::StreamTruncated {
                run_id: run_id.or_else(|| self.run_id.clone()),
                session_id: session_id.or_else(|| self.session_id.clone()),
                events: self.events,
                last_event_index: self.last_event_index,
                partial_content: self.partial.text.clone(),
            },
            Error::Run(mut f) => {
                if f.partial_content.is_empty() {
                    f.partial_content = self.partial.text.clone();
                }
                Error::Run(f)
            }
            other => other,
        }
    }
}

/// The terminal event name of a kind of run for a stored status.
fn terminal_event(kind: &SessionType, status: &str) -> Option<(TerminalKind, &'static str)> {
    let t = match status {
        "COMPLETED" => TerminalKind::Completed,
        "ERROR" => TerminalKind::Error,
        "CANCELLED" => TerminalKind::Cancelled,
        "PAUSED" => TerminalKind::Paused,
        _ => return None,
    };
    let name = match (kind, t) {
        (SessionType::Team, TerminalKind::Completed) => "TeamRunCompleted",
        (SessionType::Team, TerminalKind::Error) => "TeamRunError",
        (SessionType::Team, TerminalKind::Cancelled) => "TeamRunCancelled",
        (SessionType::Team, TerminalKind::Paused) => "TeamRunPaused",
        (SessionType::Workflow, TerminalKind::Completed) => "WorkflowCompleted",
        (SessionType::Workflow, TerminalKind::Error) => "WorkflowError",
        (SessionType::Workflow, TerminalKind::Cancelled) => "WorkflowCancelled",
        (SessionType::Workflow, TerminalKind::Paused) => "WorkflowPaused",
        (_, TerminalKind::Completed) => "RunCompleted",
        (_, TerminalKind::Error) => "RunError",
        (_, TerminalKind::Cancelled) => "RunCancelled",
        (_, TerminalKind::Paused) => "RunPaused",
    };
    Some((t, name))
}

/// A control frame made by the SDK (not sent by the server).
fn control<E: StreamEvent>(name: &str, data: Value) -> E {
    E::decode(name, data)
}

/// A cheap fingerprint of a stored run, to see whether it changed between polls.
fn fingerprint(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.to_string().hash(&mut h);
    h.finish()
}

impl<E: StreamEvent> State<E> {
    fn settings(&self) -> Settings {
        self.info.lock().map(|i| i.settings).unwrap_or(Settings {
            reconnect_budget: DEFAULT_RECONNECT_BUDGET,
            event_stall: DEFAULT_EVENT_STALL_TIMEOUT,
            lost_after: DEFAULT_LOST_AFTER,
        })
    }

    fn ids(&self) -> (Option<String>, Option<String>, Option<u64>) {
        match self.info.lock() {
            Ok(i) => (i.run_id.clone(), i.session_id.clone(), i.last_event_index),
            Err(_) => (None, None, None),
        }
    }

    /// Ends the stream with `e`, carrying the text received so far.
    fn fail(&mut self, e: Error) -> Option<Result<E>> {
        self.done = true;
        let e = match self.info.lock() {
            Ok(info) => info.with_partial(e),
            Err(_) => e,
        };
        Some(Err(e))
    }

    /// The error for a run that shows no progress (`status` as stored).
    fn lost(&mut self, status: String) -> Option<Result<E>> {
        let waited = self.progress_at.elapsed();
        let (run_id, session_id, _) = self.ids();
        let partial_content = self
            .info
            .lock()
            .map(|i| i.partial.text.clone())
            .unwrap_or_default();
        self.fail(Error::RunLost {
            run_id: run_id.unwrap_or_default(),
            session_id,
            status,
            waited,
            partial_content,
        })
    }

    /// The request with the stream's own headers (those of the call that started it).
    fn with_headers(&self, mut r: Request) -> Request {
        for (name, value) in &self.headers {
            r.options.headers.insert(name.clone(), value.clone());
        }
        r
    }

    /// Reads the stored run (as JSON). The future does not borrow the state (which is not
    /// `Sync`).
    fn stored_run(
        &self,
        run_id: &str,
        session_id: Option<&str>,
    ) -> impl std::future::Future<Output = Result<Value>> + Send + 'static {
        let request = Request::get(self.routes.run, &[&self.id, run_id]).map(|r| {
            let r = self.with_headers(r);
            match session_id {
                Some(s) => r.query("session_id", s),
                None => r,
            }
        });
        Call::new(&self.client, request, decode_json::<Value>).send()
    }

    /// The stored run's outcome as the terminal event, or its status while it has none.
    fn terminal_from_stored(&mut self, stored: &Value) -> std::result::Result<E, String> {
        let status = stored
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or("UNKNOWN")
            .to_owned();
        let Some((kind, name)) = terminal_event(&self.routes.kind, &status) else {
            return Err(status);
        };
        let mut data = stored.clone();
        if let Some(obj) = data.as_object_mut() {
            obj.insert("event".into(), Value::String(name.into()));
            // The stored error message is the run's content.
            if kind == TerminalKind::Error && !obj.contains_key("error") {
                if let Some(c) = obj.get("content").cloned() {
                    obj.insert("error".into(), c);
                }
            }
        }
        let content = stored.get("content").and_then(Value::as_str);
        if let Ok(mut info) = self.info.lock() {
            let whole = !info.partial.cut && content == Some(info.partial.text.as_str());
            if kind != TerminalKind::Error && !whole {
                info.missed_deltas = true;
            }
            info.terminal = Some((kind, data.clone()));
        }
        Ok(E::decode(name, data))
    }

    /// Connects again through the resume route, within the reconnect budget. `now` skips the
    /// backoff (a replica that did not hold the run: another may).
    async fn reconnect(&mut self, now: bool) -> Result<()> {
        let (run_id, session_id, last) = self.ids();
        let Some(run_id) = run_id else {
            // Nothing to resume: the run never told its id.
            return Err(self.last_error.take().unwrap_or_else(|| {
                Error::Sse("the stream broke before the run id was known".into())
            }));
        };
        let budget = self.settings().reconnect_budget;
        loop {
            let since = *self.failing_since.get_or_insert_with(Instant::now);
            if !now || self.failures > 0 {
                let delay = Duration::from_millis(250u64 << self.failures.min(5))
                    .min(Duration::from_secs(5));
                if since.elapsed() + delay > budget {
                    if let Some(e) = self.last_error.take() {
                        tracing::warn!(run_id = %run_id, error = %e, "giving up reconnecting to the run stream");
                    }
                    let info = self
                        .info
                        .lock()
                        .map_err(|_| Error::Sse("poisoned".into()))?;
                    return Err(info.truncated());
                }
                tokio::time::sleep(delay).await;
            }
            self.failures += 1;
            tracing::warn!(run_id = %run_id, last_event_index = ?last, attempt = self.failures, "reconnecting to the run stream");
            let mut resume =
                ResumeBuilder::<E>::new(&self.client, self.routes, &self.id, &run_id, last)
                    .headers(&self.headers);
            if let Some(s) = &session_id {
                resume = resume.session_id(s.clone());
            }
            match resume.send().await {
                Ok(stream) => {
                    if let Ok(mut info) = self.info.lock() {
                        info.reconnects += 1;
                    }
                    self.stream = Some(stream);
                    self.replay = Replay::Live;
                    return Ok(());
                }
                Err(e) if is_disconnect(&e) => self.last_error = Some(e),
                Err(e) => return Err(e),
            }
        }
    }

    /// One step of following a run this replica does not hold: poll the stored run; now and
    /// then try to attach again. `Some` ends the step with an item.
    async fn poll_stored(&mut self, polls: u32) -> Option<Result<E>> {
        let (run_id, session_id, _) = self.ids();
        let run_id = run_id?;
        let lost_after = self.settings().lost_after;
        match self.stored_run(&run_id, session_id.as_deref()).await {
            Ok(stored) => {
                let print = fingerprint(&stored);
                if self.stored_fingerprint.replace(print) != Some(print) {
                    self.progress_at = Instant::now();
                }
                match self.terminal_from_stored(&stored) {
                    Ok(ev) => return self.deliver_stored(&run_id, ev),
                    Err(status) if is_busy(&status) => {
                        if self.progress_at.elapsed() >= lost_after {
                            return self.lost(status);
                        }
                    }
                    Err(status) => {
                        return self.unknown_status(&run_id, &status);
                    }
                }
            }
            Err(e) if is_disconnect(&e) => {
                let budget = self.settings().reconnect_budget;
                let since = *self.failing_since.get_or_insert_with(Instant::now);
                if since.elapsed() > budget {
                    return self.fail(e);
                }
            }
            Err(e) => return self.fail(e),
        }
        let wait = Duration::from_millis(500u64 << polls.min(3)).min(MAX_POLL_INTERVAL);
        tokio::time::sleep(wait).await;
        None
    }

    /// Ends the stream with the stored run's terminal event `ev`, after a `deltas_missing`
    /// frame.
    fn deliver_stored(&mut self, run_id: &str, ev: E) -> Option<Result<E>> {
        self.done = true;
        self.queued.push_back(ev);
        Some(Ok(self.deltas_missing_frame(run_id)))
    }

    /// Ends the stream: the stored run has a status this SDK does not know.
    fn unknown_status(&mut self, run_id: &str, status: &str) -> Option<Result<E>> {
        self.fail(Error::Sse(format!(
            "run {run_id} has status {status}, which this SDK does not know"
        )))
    }

    /// The `deltas_missing` control frame that precedes a result from the database.
    fn deltas_missing_frame(&self, run_id: &str) -> E {
        let missed = self.info.lock().map(|i| i.missed_deltas).unwrap_or(true);
        control(
            "deltas_missing",
            json!({
                "event": "deltas_missing",
                "run_id": run_id,
                "missed_deltas": missed,
                "message": "the run's result comes from the server's database: content \
                            deltas after the cut were not delivered",
            }),
        )
    }

    /// The stream of this connection ended (or broke) without the terminal event.
    async fn on_connection_end(&mut self, err: Option<Error>) -> Option<Result<E>> {
        self.stream = None;
        match std::mem::replace(&mut self.replay, Replay::Live) {
            Replay::Detached => {
                self.detached += 1;
                if self.detached >= 2 && self.polling.is_none() {
                    tracing::warn!(
                        "the run is not held by the replica reached: following the stored run"
                    );
                    self.polling = Some(0);
                }
                None
            }
            Replay::Finished(_) => {
                // Replayed from the database but no terminal event came: read the outcome.
                let (run_id, session_id, _) = self.ids();
                let run_id = run_id?;
                match self.stored_run(&run_id, session_id.as_deref()).await {
                    Ok(stored) => match self.terminal_from_stored(&stored) {
                        Ok(ev) => self.deliver_stored(&run_id, ev),
                        Err(_) => {
                            self.polling = Some(0);
                            None
                        }
                    },
                    Err(e) => {
                        self.last_error = Some(e);
                        None
                    }
                }
            }
            Replay::Live => {
                if let Some(e) = err {
                    self.last_error = Some(e);
                }
                None
            }
        }
    }

    /// Whether the run shows no progress for too long: checks the stored run.
    async fn check_lost(&mut self) -> Option<Result<E>> {
        let lost_after = self.settings().lost_after;
        if self.progress_at.elapsed() < lost_after {
            return None;
        }
        let (run_id, session_id, _) = self.ids();
        let run_id = run_id?;
        match self.stored_run(&run_id, session_id.as_deref()).await {
            Ok(stored) => match self.terminal_from_stored(&stored) {
                Ok(ev) => self.deliver_stored(&run_id, ev),
                Err(status) if is_busy(&status) => self.lost(status),
                Err(status) => self.unknown_status(&run_id, &status),
            },
            Err(e) if is_disconnect(&e) => None,
            Err(e) => self.fail(e),
        }
    }

    async fn next_item(&mut self) -> Option<Result<E>> {
        loop {
            if let Some(ev) = self.queued.pop_front() {
                return Some(Ok(ev));
            }
            if self.done {
                return None;
            }
            if self.stream.is_none() {
                if let Some(item) = self.check_lost().await {
                    return Some(item);
                }
                if let Some(polls) = self.polling {
                    self.polling = Some(polls + 1);
                    if polls % ATTACH_EVERY != ATTACH_EVERY - 1 {
                        if let Some(item) = self.poll_stored(polls).await {
                            return Some(item);
                        }
                        continue;
                    }
                }
                let now = self.detached == 1 && self.polling.is_none();
                if let Err(e) = self.reconnect(now).await {
                    return self.fail(e);
                }
            }
            let stall = self.settings().event_stall;
            let stream = self.stream.as_mut()?;
            let next = match tokio::time::timeout(stall, stream.next()).await {
                Ok(next) => next,
                Err(_) => {
                    tracing::warn!(after = ?stall, "no event on the run stream: reconnecting");
                    self.stream = None;
                    self.replay = Replay::Live;
                    self.last_error = Some(Error::Timeout {
                        method: http::Method::POST,
                        route: self.routes.resume.to_owned(),
                        after: stall,
                    });
                    continue;
                }
            };
            match next {
                Some(Ok(ev)) => {
                    if let Some(item) = self.on_event(ev) {
                        return Some(item);
                    }
                }
                Some(Err(e)) if is_disconnect(&e) => {
                    if let Some(item) = self.on_connection_end(Some(e)).await {
                        return Some(item);
                    }
                }
                Some(Err(e)) => return self.fail(e),
                None => {
                    // The stream ended after its terminal event, unless it was a replay.
                    let terminal = self
                        .info
                        .lock()
                        .map(|i| i.terminal.is_some())
                        .unwrap_or(true);
                    if terminal {
                        self.done = true;
                        return None;
                    }
                    if let Some(item) = self.on_connection_end(None).await {
                        return Some(item);
                    }
                }
            }
        }
    }

    /// An event of the current connection: `Some` to deliver it (or what it turned into).
    fn on_event(&mut self, ev: E) -> Option<Result<E>> {
        let stream = self.stream.as_ref()?;
        let mut info = self.info.lock().ok()?;
        if info.run_id.is_none() {
            info.run_id = stream.run_id().map(str::to_owned);
        }
        if info.session_id.is_none() {
            info.session_id = stream.session_id().map(str::to_owned);
        }
        if let Some(c) = ev.control() {
            if c.event == "replay" && c.data.get("total_buffered").is_none() {
                // Replayed from the database (this replica has no buffer of the run).
                let status = c.data.get("status").and_then(Value::as_str).unwrap_or("");
                let events = c.data.get("total_events").and_then(Value::as_u64);
                self.replay = if is_busy(status) && events.unwrap_or(0) == 0 {
                    Replay::Detached
                } else {
                    Replay::Finished(status.to_owned())
                };
            }
            return None;
        }
        let (phase, data) = ev.phase();
        let index = data.and_then(|d| d.event_index);
        if let Some(i) = index {
            info.last_event_index = Some(i);
        }
        let terminal = matches!(phase, Phase::Terminal(_));
        if matches!(self.replay, Replay::Finished(_)) && index.is_none() && !terminal {
            return None;
        }
        let root = info.run_id.clone();
        let ours = |d: &crate::events::EventData| match (&root, &d.run_id) {
            (Some(r), Some(id)) => r == id,
            _ => true,
        };
        // Progress: the run is alive, the reconnect budget starts over.
        self.failures = 0;
        self.failing_since = None;
        self.detached = 0;
        self.polling = None;
        self.progress_at = Instant::now();
        info.events += 1;
        if let (Phase::Started, Some(d)) = (phase, data) {
            if ours(d) && ev.event_name().ends_with("Started") {
                if self.started {
                    // A durable queue runs it again from the start: forget the first attempt.
                    info.restarts += 1;
                    info.partial.clear();
                    info.terminal = None;
                    info.missed_deltas = false;
                    let restart = control(
                        "run_restarted",
                        json!({
                            "event": "run_restarted",
                            "run_id": d.run_id,
                            "restarts": info.restarts,
                            "message": "the server runs the run again from the start (a \
                                        durable queue reclaimed it): drop the text so far",
                        }),
                    );
                    self.queued.push_back(ev);
                    return Some(Ok(restart));
                }
                self.started = true;
            }
        }
        if let Some((d, top)) = ev.text_delta() {
            if !top || ours(d) {
                if let Some(Value::String(t)) = &d.content {
                    info.partial.keep(t);
                }
            }
        }
        if let (Phase::Terminal(kind), Some(d)) = (phase, data) {
            if ours(d) && info.terminal.is_none() {
                if let Ok(v) = serde_json::to_value(d) {
                    let mut missed = false;
                    let content = v.get("content").and_then(Value::as_str);
                    if matches!(self.replay, Replay::Finished(_)) && kind != TerminalKind::Error {
                        missed = info.partial.cut || content != Some(info.partial.text.as_str());
                    } else if kind == TerminalKind::Completed && info.reconnects > 0 {
                        // After a reconnect the deltas must add up to the result; they do not
                        // when a replica died and a durable queue re-ran the run without the
                        // restart reaching this stream (its first events fell before the
                        // resume point).
                        missed =
                            !info.partial.cut && content.is_some_and(|c| c != info.partial.text);
                    }
                    info.missed_deltas |= missed;
                    info.terminal = Some((kind, v));
                    if missed {
                        let run_id = info.run_id.clone().unwrap_or_default();
                        drop(info);
                        self.queued.push_back(ev);
                        return Some(Ok(self.deltas_missing_frame(&run_id)));
                    }
                }
                if kind == TerminalKind::Error {
                    // Deliver the error event; the text so far goes with the final error.
                    self.done = true;
                }
            }
        }
        Some(Ok(ev))
    }
}

impl<E: StreamEvent> Stream for ResumableRunStream<E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

#[cfg(test)]
#[path = "resumable_tests.rs"]
mod tests;
