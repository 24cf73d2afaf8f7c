//! One distributed trace from this program into AgentOS and back: with the `otel` feature
//! every request carries the W3C `traceparent` of its `agentos.request` span, an AgentOS that
//! extracts incoming trace context stores its spans as children of that span, in our trace,
//! and `trace_of_run(..).joined_to(&span)` reads the server's part back from `/traces`.
//!
//! The client spans are exported with the OpenTelemetry stdout exporter (swap it for OTLP to
//! send them to the collector that receives the server's spans), then the joined trace is
//! printed as a tree: client spans, with the server's spans under the request span.
//!
//! `cargo run -p agentos-rs --features otel,otel-example --example trace_joined` (with
//! `AGENTOS_URL` pointing at an AgentOS with `tracing=True` that extracts trace context, e.g.
//! the fixture under `scripts/with-agentos.sh`).

use std::sync::{Arc, Mutex};

use agentos::observability::ObservabilityExt;
use agentos::prelude::*;
use opentelemetry::trace::{SpanId, TracerProvider as _};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;

/// Keeps the ended client spans to print them (the stdout exporter prints them too).
#[derive(Debug, Clone, Default)]
struct Kept(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Kept {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.0.lock().expect("not poisoned").extend(batch);
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kept = Kept::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_stdout::SpanExporter::default())
        .with_simple_exporter(kept.clone())
        .build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("agentos-trace-joined")));
    tracing::subscriber::set_global_default(subscriber)?;

    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let span = tracing::info_span!("checkout");
    let out = client
        .run_agent("echo-agent", "one trace across the wire")
        .session_id(format!("trace-joined-{}", std::process::id()))
        .send()
        .instrument(span.clone())
        .await?
        .into_result()?;
    let run_id = out.run_id.clone().unwrap_or_default();
    let trace = client.trace_of_run(&run_id).joined_to(&span).await?;
    drop(span);

    // The client part, from the spans we exported (those of this trace: not the lookups);
    // the server's under the request span.
    let spans: Vec<SpanData> = kept
        .0
        .lock()
        .expect("not poisoned")
        .iter()
        .filter(|s| s.span_context.trace_id().to_string() == trace.trace_id)
        .cloned()
        .collect();
    println!("\ntrace {}", trace.trace_id);
    print_client(&spans, SpanId::INVALID, 0, &trace);
    if let Err(e) = provider.shutdown() {
        eprintln!("exporter: {e}");
    }
    Ok(())
}

/// Prints the client spans under `parent`, and the server's trace under the request span.
fn print_client(
    spans: &[SpanData],
    parent: SpanId,
    depth: usize,
    trace: &agentos::observability::TraceDetail,
) {
    for s in spans.iter().filter(|s| s.parent_span_id == parent) {
        println!("{:indent$}{} [client]", "", s.name, indent = depth * 2);
        print_client(spans, s.span_context.span_id(), depth + 1, trace);
        if s.name.starts_with("POST ") {
            if trace.tree.is_empty() {
                // agno 3.1 builds its tree from parentless spans only: in a joined trace
                // its root span has our request span as parent, so the tree comes back empty.
                println!(
                    "{:indent$}{} ({} server spans; this AgentOS returns no tree for a joined trace)",
                    "",
                    trace.name,
                    trace.total_spans,
                    indent = (depth + 1) * 2
                );
            }
            for (d, node) in trace.walk() {
                println!(
                    "{:indent$}{} [server, {}]",
                    "",
                    node.name,
                    node.type_name(),
                    indent = (depth + 1 + d) * 2
                );
            }
        }
    }
}
