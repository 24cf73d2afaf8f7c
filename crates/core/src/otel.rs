//! W3C trace context on the wire (the `otel` feature): every request carries the
//! `traceparent` (and `tracestate`) of its `agentos.request` span, so an AgentOS that extracts
//! incoming context (OpenTelemetry's FastAPI instrumentation, or an equivalent middleware)
//! stores its spans as children of the SDK's request span, in the caller's trace.
//!
//! The context comes from `tracing-opentelemetry`: it is there when the application's
//! `tracing` subscriber has an `OpenTelemetryLayer`; without one (or with
//! [`ClientBuilder::propagate_trace_context(false)`](crate::ClientBuilder::propagate_trace_context))
//! nothing is sent. The format is W3C Trace Context, written by OpenTelemetry's own
//! `TraceContextPropagator`. A `traceparent` the caller sets itself (on the client or the call)
//! is left as it is.
//!
//! Without the `otel` feature this module only holds a zero-sized switch whose injection is
//! empty: nothing is compiled in and nothing is sent.

use http::HeaderMap;

/// Whether a client sends the trace context of its request spans. Zero-sized without the
/// `otel` feature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Propagation {
    #[cfg(feature = "otel")]
    pub(crate) enabled: bool,
}

// Without `otel` the struct is empty and this impl is derivable; with it, the default is on.
#[allow(clippy::derivable_impls)]
impl Default for Propagation {
    fn default() -> Self {
        Propagation {
            #[cfg(feature = "otel")]
            enabled: true,
        }
    }
}

impl Propagation {
    /// Adds the trace context of `span` to `headers` (when enabled, when `span` has a valid
    /// OpenTelemetry context, and when the headers have no `traceparent` already).
    #[cfg(feature = "otel")]
    pub(crate) fn inject(&self, span: &tracing::Span, headers: &mut HeaderMap) {
        use opentelemetry::propagation::TextMapPropagator;
        use opentelemetry::trace::TraceContextExt;
        use tracing_opentelemetry::OpenTelemetrySpanExt;

        if !self.enabled || headers.contains_key(TRACEPARENT) {
            return;
        }
        let cx = span.context();
        if !cx.span().span_context().is_valid() {
            return;
        }
        opentelemetry_sdk::propagation::TraceContextPropagator::new()
            .inject_context(&cx, &mut HeaderInjector(headers));
    }

    /// Without the `otel` feature: nothing.
    #[cfg(not(feature = "otel"))]
    #[inline(always)]
    pub(crate) fn inject(&self, _span: &tracing::Span, _headers: &mut HeaderMap) {}
}

/// The W3C `traceparent` header.
#[cfg(feature = "otel")]
const TRACEPARENT: &str = "traceparent";

/// Writes propagation fields into an [`http::HeaderMap`]; values that are empty (an empty
/// `tracestate`) or that a header cannot hold are left out.
#[cfg(feature = "otel")]
#[derive(Debug)]
pub struct HeaderInjector<'a>(pub &'a mut HeaderMap);

#[cfg(feature = "otel")]
impl opentelemetry::propagation::Injector for HeaderInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if value.is_empty() {
            return;
        }
        if let (Ok(name), Ok(value)) = (
            http::header::HeaderName::from_bytes(key.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// The OpenTelemetry trace id of a `tracing` span (32 lowercase hex digits), when the
/// subscriber has an `OpenTelemetryLayer` and the span has a valid context: the id under
/// which a trace-joining AgentOS stores the spans of the calls made inside `span` (look it
/// up with the observability area's `trace_of_run(..).trace_id(..)`).
///
/// ```no_run
/// let span = tracing::info_span!("checkout");
/// if let Some(id) = agentos_core::otel::trace_id(&span) {
///     println!("trace {id}");
/// }
/// ```
#[cfg(feature = "otel")]
pub fn trace_id(span: &tracing::Span) -> Option<String> {
    use opentelemetry::trace::TraceContextExt;
    use tracing_opentelemetry::OpenTelemetrySpanExt;

    let cx = span.context();
    let span_context = cx.span().span_context().clone();
    span_context
        .is_valid()
        .then(|| span_context.trace_id().to_string())
}
