//! From a call to its server-side trace: [`TraceOfRun`].

use std::time::Duration;

use agentos_core::kit::CallOptions;
use agentos_core::poll::{PollClock, Polling};
use agentos_core::{AgentOsClient, Error, Result};

use crate::{ObservabilityExt, TraceDetail};

/// The server's trace of a run, made by
/// [`ObservabilityExt::trace_of_run`]: read by trace id when one is given (an AgentOS that
/// joins incoming trace context stores the run under the caller's trace id), else found by
/// run id. The server writes traces as the run's spans end, so this polls until the trace is
/// there, for at most [`max_wait`](Self::max_wait) (then [`Error::WaitTimeout`]).
///
/// A joined trace is the caller's whole trace: every run made inside the same client span is
/// in it. agno 3.1 treats only parentless spans as roots, so in a joined trace the server's
/// record has no run, session or agent ids and its span tree is empty; the run id cannot
/// find it, which is why the trace id is tried first.
///
/// It looks every 250 ms ([`poll_interval`](Self::poll_interval)) for at most 30 s
/// ([`max_wait`](Self::max_wait)). The per-call options (`header`, `timeout`, `retry`) apply
/// to each lookup.
#[derive(Debug)]
#[must_use = "a lookup does nothing until it is awaited or sent"]
pub struct TraceOfRun {
    client: AgentOsClient,
    /// The per-call options of the lookups.
    call: CallOptions,
    run_id: String,
    trace_id: Option<String>,
    polling: Polling,
}

agentos_core::impl_call_builder!(TraceOfRun => TraceDetail, own send);
agentos_core::impl_polling!(TraceOfRun);

impl TraceOfRun {
    pub(crate) fn new(client: &AgentOsClient, run_id: &str) -> Self {
        TraceOfRun {
            client: client.clone(),
            call: CallOptions::new(),
            run_id: run_id.to_owned(),
            trace_id: None,
            polling: Polling::new(Duration::from_millis(250), Duration::from_secs(30)),
        }
    }

    /// Looks the trace up by this OpenTelemetry trace id first (32 hex digits: the trace of
    /// the client span the run was made in).
    pub fn trace_id(mut self, trace_id: impl Into<String>) -> Self {
        let trace_id = trace_id.into();
        self.trace_id = (!trace_id.is_empty()).then_some(trace_id);
        self
    }

    /// Looks the trace up by the trace id of this `tracing` span first (the span the run was
    /// made in), when it has an OpenTelemetry context (see `agentos_core::otel`).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient, run_id: String) -> agentos_core::Result<()> {
    /// use agentos_observability::ObservabilityExt;
    /// // The span the run was sent in (its request carried this span's trace context).
    /// let span = tracing::info_span!("checkout");
    /// let trace = client.trace_of_run(&run_id).joined_to(&span).await?;
    /// println!("{}: {} server spans", trace.trace_id, trace.total_spans);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "otel")]
    pub fn joined_to(mut self, span: &tracing::Span) -> Self {
        if let Some(id) = agentos_core::otel::trace_id(span) {
            self.trace_id = Some(id);
        }
        self
    }

    /// Looks the trace up.
    pub async fn send(self) -> Result<TraceDetail> {
        if self.run_id.is_empty() && self.trace_id.is_none() {
            return Err(Error::InvalidRequest(
                "a run id or a trace id is required".into(),
            ));
        }
        let (client, options) = (self.client, self.call.check()?);
        let mut clock = PollClock::new(self.polling);
        loop {
            if let Some(id) = &self.trace_id {
                match options.apply(client.get_trace(id).call).await {
                    Ok(trace) => return Ok(trace),
                    Err(e) if e.is_not_found() => {}
                    Err(e) => return Err(e),
                }
            }
            if !self.run_id.is_empty() {
                let traces = client.get_traces().run_id(&self.run_id).limit(1);
                let page = options.apply(traces.call).await?;
                if let Some(found) = page.data.first() {
                    return options.apply(client.get_trace(&found.trace_id).call).await;
                }
            }
            if let Err(waited) = clock.pause().await {
                return Err(Error::WaitTimeout {
                    what: format!("the trace of run {:?}", self.run_id),
                    waited,
                });
            }
        }
    }
}
