//! The SDK's spans exported with OpenTelemetry: `tracing-opentelemetry` turns the
//! `agentos.run` and `agentos.request` spans into OpenTelemetry spans (`otel.name` and
//! `otel.kind` become the span name and kind, the other fields its attributes). This example
//! exports them to stdout; swap the exporter for OTLP to send them to the collector that also
//! receives agno's server spans.
//!
//! `cargo run -p agentos-rs --features otel-example --example telemetry_otel` (with
//! `AGENTOS_URL` pointing at an AgentOS, e.g. under `scripts/with-agentos.sh`).

use agentos::prelude::*;
use opentelemetry::trace::TracerProvider as _;
use tracing_subscriber::layer::SubscriberExt;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_stdout::SpanExporter::default())
        .build();
    let tracer = provider.tracer("agentos-example");
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer));
    tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");

    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let out = client
        .run_agent("echo-agent", "traced with OpenTelemetry")
        .session_id(format!("otel-example-{}", std::process::id()))
        .await?
        .into_result()?;
    println!("run {:?}: {}", out.run_id, out.content_text());
    // Flush the spans (the run and its request) to the exporter.
    if let Err(e) = provider.shutdown() {
        eprintln!("exporter: {e}");
    }
    Ok(())
}
