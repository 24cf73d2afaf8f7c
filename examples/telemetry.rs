//! The SDK's own telemetry: every call opens a `tracing` span with OpenTelemetry-style
//! attributes, and a run call wraps its requests in an `agentos.run` span. This example
//! collects them with `tracing-subscriber`, makes a run, and prints the client's spans next to
//! the server's trace of the same run (when the `observability` feature is on and the AgentOS
//! runs with `tracing=True`).
//!
//! `scripts/demo.sh telemetry`, or
//! `AGENTOS_URL=http://localhost:7777 cargo run -p agentos-rs --example telemetry`.
//! Set `RUST_LOG`-style filtering on your own subscriber as usual; here every span is kept.
//!
//! The client spans carry:
//! - `agentos.request`: `otel.name` (`POST /agents/{agent_id}/runs`), `otel.kind = client`,
//!   `http.request.method`, `url.path` (the route template: no ids, no query string),
//!   `server.address`, `http.request.resend_count`, `http.response.status_code`,
//!   `error.type` (on failure) and `duration_ms`;
//! - `agentos.run`: `agentos.agent_id` (or `team_id` / `workflow_id`), `session_id`, `run_id`.
//!
//! No header value, token or query string is recorded. To export them to an OpenTelemetry
//! collector instead of printing them, add a `tracing_opentelemetry::layer()` (crate
//! `tracing-opentelemetry`) with your tracer to the same registry: it maps `otel.name` and
//! `otel.kind` to the span name and kind, and the other fields to attributes, so the client
//! spans land in the same backend as the server's agno spans.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use agentos::prelude::*;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let spans = Collected::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");

    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let session_id = format!("telemetry-example-{}", std::process::id());

    println!("Running echo-agent in session {session_id}...");
    let output = client
        .run_agent(
            "echo-agent",
            r#"Use the tool [tool:echo_tool {"text": "ping"}]"#,
        )
        .session_id(&session_id)
        .user_id("telemetry-example-user")
        .await?
        .into_result()?;
    println!("-> {}\n", output.content_text());

    println!("Client spans (this process):");
    spans.print();

    #[cfg(feature = "observability")]
    server_side(&client, output.run_id.as_deref().unwrap_or_default()).await?;
    Ok(())
}

/// Prints the server's trace of the run: the same run seen from inside the AgentOS.
#[cfg(feature = "observability")]
async fn server_side(client: &AgentOsClient, run_id: &str) -> agentos::Result<()> {
    use agentos::observability::ObservabilityExt;

    println!("\nServer spans (the AgentOS's trace of run {run_id}):");
    for _ in 0..50 {
        if let Some(summary) = client.get_traces().run_id(run_id).await?.data.first() {
            let trace = client.get_trace(&summary.trace_id).await?;
            for (depth, span) in trace.walk() {
                println!(
                    "  {:indent$}{} [{}] {:.1} ms",
                    "",
                    span.name,
                    span.type_name(),
                    span.elapsed().unwrap_or_default().as_secs_f64() * 1000.0,
                    indent = depth * 2
                );
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("  none: is tracing on (AgentOS(tracing=True))?");
    Ok(())
}

/// One closed span.
struct Closed {
    id: u64,
    parent: Option<u64>,
    name: String,
    fields: Vec<(String, String)>,
    took: Duration,
}

/// A `tracing-subscriber` layer that keeps every closed span, to print them as a tree.
#[derive(Clone, Default)]
struct Collected(Arc<Mutex<Vec<Closed>>>);

struct Open {
    started: Instant,
    fields: Vec<(String, String)>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let name = field.name().to_owned();
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, format!("{value:?}")));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        let name = field.name().to_owned();
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, value.to_owned()));
    }
}

impl<S> tracing_subscriber::Layer<S> for Collected
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: Context<'_, S>,
    ) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Open {
                started: Instant::now(),
                fields,
            });
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: Context<'_, S>,
    ) {
        if let Some(span) = ctx.span(id) {
            if let Some(open) = span.extensions_mut().get_mut::<Open>() {
                values.record(&mut Fields(&mut open.fields));
            }
        }
    }

    fn on_close(&self, id: tracing::span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let (took, fields) = span
            .extensions()
            .get::<Open>()
            .map(|o| (o.started.elapsed(), o.fields.clone()))
            .unwrap_or_default();
        self.0.lock().unwrap().push(Closed {
            id: id.into_u64(),
            parent: span.parent().map(|p| p.id().into_u64()),
            name: span.name().to_owned(),
            fields,
            took,
        });
    }
}

impl Collected {
    /// Prints the closed spans as a tree, children under their parent.
    fn print(&self) {
        let spans = self.0.lock().unwrap();
        let mut children: HashMap<Option<u64>, Vec<&Closed>> = HashMap::new();
        let known: Vec<u64> = spans.iter().map(|s| s.id).collect();
        for s in spans.iter() {
            let parent = s.parent.filter(|p| known.contains(p));
            children.entry(parent).or_default().push(s);
        }
        fn walk(children: &HashMap<Option<u64>, Vec<&Closed>>, parent: Option<u64>, depth: usize) {
            for s in children.get(&parent).into_iter().flatten() {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|(k, _)| k != "otel.name")
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                println!(
                    "  {:indent$}{} {:.1} ms  {}",
                    "",
                    s.name,
                    s.took.as_secs_f64() * 1000.0,
                    fields.join(" "),
                    indent = depth * 2
                );
                walk(children, Some(s.id), depth + 1);
            }
        }
        walk(&children, None, 0);
    }
}
