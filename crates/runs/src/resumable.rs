//! [`ResumableRunStream`]: a background run's stream that reconnects by itself.
//!
//! When the connection drops (a reset, an idle timeout, a server restart), it reconnects
//! through the resume route with the last `event_index` it delivered, skips the control
//! frames, and delivers each event exactly once and in order. After a server restart the
//! run is no longer in the server's buffer: the server replays it from its database, where
//! content deltas are not stored; events without an `event_index` are then skipped, except
//! the terminal event, which carries the whole result. The run's POST is never sent again.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use agentos_core::{AgentOsClient, Error, Result};
use futures::{Stream, StreamExt};
use serde_json::Value;

use crate::request::{ResumeBuilder, Routes};
use crate::stream::{Phase, RunStream, StreamEvent, TerminalKind, output_from_terminal};

/// How many reconnections in a row are tried before giving up.
pub const MAX_RECONNECTS: u32 = 8;

#[derive(Default)]
struct Info {
    run_id: Option<String>,
    session_id: Option<String>,
    last_event_index: Option<u64>,
    reconnects: u32,
    terminal: Option<(TerminalKind, Value)>,
}

/// A run stream that survives dropped connections (see the module docs). Made by
/// `run_*_stream(..).resumable()`.
pub struct ResumableRunStream<E> {
    inner: Pin<Box<dyn Stream<Item = Result<E>> + Send>>,
    info: Arc<Mutex<Info>>,
}

impl<E> std::fmt::Debug for ResumableRunStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResumableRunStream").finish_non_exhaustive()
    }
}

struct State<E> {
    client: AgentOsClient,
    routes: &'static Routes,
    id: String,
    stream: Option<RunStream<E>>,
    info: Arc<Mutex<Info>>,
    db_replay: bool,
    failures: u32,
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

impl<E: StreamEvent> ResumableRunStream<E> {
    pub(crate) fn new(
        client: AgentOsClient,
        routes: &'static Routes,
        id: String,
        first: RunStream<E>,
    ) -> Self {
        let info = Arc::new(Mutex::new(Info::default()));
        let state = State {
            client,
            routes,
            id,
            stream: Some(first),
            info: info.clone(),
            db_replay: false,
            failures: 0,
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

    /// Reads to the end and returns the run's final output (see `RunStream::final_output`).
    pub async fn final_output(mut self) -> Result<E::Output> {
        while let Some(item) = self.next().await {
            item?;
        }
        let mut info = self
            .info
            .lock()
            .map_err(|_| Error::Sse("poisoned stream state".into()))?;
        let (kind, data) = info.terminal.take().ok_or_else(|| Error::StreamTruncated {
            run_id: info.run_id.clone(),
            session_id: info.session_id.clone(),
            events: 0,
            last_event_index: info.last_event_index,
            partial_content: String::new(),
        })?;
        output_from_terminal::<E>(kind, data, info.run_id.clone(), info.session_id.clone())
    }
}

impl<E: StreamEvent> State<E> {
    async fn reconnect(&mut self) -> Option<Result<()>> {
        let (run_id, session_id, last) = {
            let info = self.info.lock().ok()?;
            (
                info.run_id.clone(),
                info.session_id.clone(),
                info.last_event_index,
            )
        };
        let Some(run_id) = run_id else {
            // Nothing to resume: the run never told its id.
            return Some(Err(self.last_error.take().unwrap_or_else(|| {
                Error::Sse("the stream broke before the run id was known".into())
            })));
        };
        loop {
            if self.failures >= MAX_RECONNECTS {
                return Some(Err(self.last_error.take()?));
            }
            let delay =
                Duration::from_millis(250u64 << self.failures.min(5)).min(Duration::from_secs(5));
            self.failures += 1;
            tokio::time::sleep(delay).await;
            tracing::warn!(run_id = %run_id, last_event_index = ?last, attempt = self.failures, "reconnecting to the run stream");
            let mut resume =
                ResumeBuilder::<E>::new(&self.client, self.routes, &self.id, &run_id, last);
            if let Some(s) = &session_id {
                resume = resume.session_id(s.clone());
            }
            match resume.send().await {
                Ok(stream) => {
                    if let Ok(mut info) = self.info.lock() {
                        info.reconnects += 1;
                    }
                    self.stream = Some(stream);
                    return Some(Ok(()));
                }
                Err(e) if is_disconnect(&e) => self.last_error = Some(e),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    async fn next_item(&mut self) -> Option<Result<E>> {
        loop {
            if self.done {
                return None;
            }
            if self.stream.is_none() {
                match self.reconnect().await? {
                    Ok(()) => {}
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            }
            let stream = self.stream.as_mut()?;
            match stream.next().await {
                Some(Ok(ev)) => {
                    let mut info = self.info.lock().ok()?;
                    if info.run_id.is_none() {
                        info.run_id = stream.run_id().map(str::to_owned);
                    }
                    if info.session_id.is_none() {
                        info.session_id = stream.session_id().map(str::to_owned);
                    }
                    let (phase, data) = ev.phase();
                    let index = data.and_then(|d| d.event_index);
                    if let Some(i) = index {
                        info.last_event_index = Some(i);
                    }
                    if let Some(control) = control_name(&ev) {
                        if control.0 == "replay" && !control.1 {
                            self.db_replay = true;
                        }
                        continue;
                    }
                    let terminal = matches!(phase, Phase::Terminal(_));
                    if self.db_replay && index.is_none() && !terminal {
                        continue;
                    }
                    if let (Phase::Terminal(kind), Some(d)) = (phase, data) {
                        if info.terminal.is_none() {
                            info.terminal = serde_json::to_value(d).ok().map(|v| (kind, v));
                        }
                    }
                    self.failures = 0;
                    return Some(Ok(ev));
                }
                Some(Err(e)) if is_disconnect(&e) => {
                    self.stream = None;
                    self.last_error = Some(e);
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                None => {
                    self.done = true;
                    return None;
                }
            }
        }
    }
}

/// The name of a control frame and whether it came from the live buffer.
fn control_name<E: StreamEvent>(ev: &E) -> Option<(String, bool)> {
    ev.control().map(|c| {
        let from_buffer = c.data.get("total_buffered").is_some() || c.event != "replay";
        (c.event.clone(), from_buffer)
    })
}

impl<E: StreamEvent> Stream for ResumableRunStream<E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}
