//! W3C trace context on the wire (the `otel` feature).
//!
//! Against the hostile server (no AgentOS needed): the `traceparent` a request carries is its
//! `agentos.request` span's context, also on a resumable stream's reconnect; nothing is sent
//! with the option off or without an OpenTelemetry context; the request and run spans carry
//! the OTel HTTP client and GenAI/agno attributes.
//!
//! Against the real AgentOS (`scripts/with-agentos.sh`): a run made inside a client span is
//! stored under the client's trace id, its root server span is a child of the SDK's request
//! span, and `trace_of_run` returns it; streamed and not.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos::AgentOsClient;
use agentos::observability::ObservabilityExt;
use agentos::runs::RunsExt;
use agentos_hostile::{HostileServer, Received, Reply, http_response, sse_head};
use opentelemetry::trace::{SpanId, TraceContextExt, TraceId, TracerProvider as _};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use serde_json::{Value, json};
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

/// A hard limit around each case that should end in about a second.
const LIMIT: Duration = Duration::from_secs(60);

/// The spans the test's tracer provider ended, in order.
#[derive(Debug, Clone, Default)]
struct Collected(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Collected {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        self.0.lock().unwrap().extend(batch);
        Ok(())
    }
}

impl Collected {
    /// The ended span named `name` (the OTel name: `POST /agents/{agent_id}/runs`, ...).
    fn named(&self, name: &str) -> Vec<SpanData> {
        let spans = self.0.lock().unwrap();
        spans.iter().filter(|s| s.name == name).cloned().collect()
    }
}

/// `tracing` with an OpenTelemetry layer on this thread (the tests run on a current-thread
/// runtime) exporting into a [`Collected`].
struct Otel {
    spans: Collected,
    _provider: SdkTracerProvider,
    _guard: tracing::subscriber::DefaultGuard,
}

fn otel() -> Otel {
    let spans = Collected::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("agentos-rs-test")));
    Otel {
        spans,
        _provider: provider,
        _guard: tracing::subscriber::set_default(subscriber),
    }
}

/// The trace id and parent (span) id of a `traceparent` header, checked strictly.
fn parse_traceparent(value: &str) -> (TraceId, SpanId) {
    let parts: Vec<&str> = value.split('-').collect();
    assert_eq!(parts.len(), 4, "{value}");
    assert_eq!(parts[0], "00", "{value}");
    assert_eq!(parts[3], "01", "sampled: {value}");
    let trace = TraceId::from_hex(parts[1]).unwrap();
    let span = SpanId::from_hex(parts[2]).unwrap();
    assert_ne!(trace, TraceId::INVALID);
    assert_ne!(span, SpanId::INVALID);
    (trace, span)
}

fn trace_id_of(span: &tracing::Span) -> TraceId {
    span.context().span().span_context().trace_id()
}

fn attr(span: &SpanData, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.to_string())
}

fn sse(events: &[Value]) -> Vec<u8> {
    let mut body = sse_head();
    for e in events {
        body.extend_from_slice(format!("data: {e}\n\n").as_bytes());
    }
    body
}

/// A server that completes every run of agent `a` at once (`r1`, session `s1`).
async fn run_server() -> HostileServer {
    HostileServer::start(|_, _| {
        let out = json!({"run_id": "r1", "session_id": "s1", "agent_id": "a",
            "status": "COMPLETED", "content": "hi"});
        Reply::new().write(http_response("200 OK", &[], &out.to_string()))
    })
    .await
}

fn client_of(server: &HostileServer) -> AgentOsClient {
    AgentOsClient::new(server.url()).unwrap()
}

#[tokio::test]
async fn the_traceparent_received_is_the_request_spans_context() {
    let otel = otel();
    let server = run_server().await;
    let client = client_of(&server);
    let outer = tracing::info_span!("checkout");
    // Built outside the span, sent inside it: the run span is made at the call.
    let call = client.run_agent("a", "hi").session_id("s1").send();
    let out = tokio::time::timeout(LIMIT, call.instrument(outer.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.run_id.as_deref(), Some("r1"));
    let outer_trace = trace_id_of(&outer);
    let outer_id = outer.context().span().span_context().span_id();
    drop(outer);

    let received = server.received();
    assert_eq!(received.len(), 1);
    let header = received[0].header("traceparent").expect("a traceparent");
    let (trace, parent) = parse_traceparent(header);
    assert_eq!(received[0].header("tracestate"), None, "empty: not sent");

    let request = &otel.spans.named("POST /agents/{agent_id}/runs")[0];
    assert_eq!(trace, outer_trace, "the caller's trace");
    assert_eq!(request.span_context.trace_id(), trace);
    assert_eq!(parent, request.span_context.span_id(), "the request span");
    assert_eq!(request.span_kind, opentelemetry::trace::SpanKind::Client);
    // OTel HTTP client conventions: the route template, never the id in it.
    assert_eq!(
        attr(request, "http.request.method").as_deref(),
        Some("POST")
    );
    assert_eq!(
        attr(request, "url.template").as_deref(),
        Some("/agents/{agent_id}/runs")
    );
    assert_eq!(
        attr(request, "server.address").as_deref(),
        Some("127.0.0.1")
    );
    assert_eq!(
        attr(request, "server.port"),
        Some(server.port().to_string())
    );
    assert_eq!(
        attr(request, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(
        attr(request, "http.request.resend_count"),
        None,
        "a first try"
    );
    assert_eq!(attr(request, "error.type"), None);

    // request ⊂ run ⊂ the caller's span; the run span carries the ids.
    let run = &otel.spans.named("agentos.run")[0];
    assert_eq!(request.parent_span_id, run.span_context.span_id());
    assert_eq!(run.parent_span_id, outer_id);
    assert_eq!(attr(run, "gen_ai.agent.id").as_deref(), Some("a"));
    assert_eq!(
        attr(run, "gen_ai.operation.name").as_deref(),
        Some("invoke_agent")
    );
    assert_eq!(attr(run, "gen_ai.conversation.id").as_deref(), Some("s1"));
    assert_eq!(attr(run, "agno.run.id").as_deref(), Some("r1"));
}

#[tokio::test]
async fn a_resend_has_its_own_request_span_and_traceparent() {
    let otel = otel();
    // A 429 with `Retry-After` is resent (any method), then the run completes.
    let server = HostileServer::start(|_, n| {
        if n == 0 {
            let head = [("Retry-After", "0")];
            return Reply::new().write(http_response("429 Too Many Requests", &head, "{}"));
        }
        let out = json!({"run_id": "r1", "session_id": "s1", "agent_id": "a",
            "status": "COMPLETED", "content": "hi"});
        Reply::new().write(http_response("200 OK", &[], &out.to_string()))
    })
    .await;
    let outer = tracing::info_span!("outer");
    let call = client_of(&server).run_agent("a", "hi").send();
    tokio::time::timeout(LIMIT, call.instrument(outer.clone()))
        .await
        .unwrap()
        .unwrap();
    let outer_trace = trace_id_of(&outer);
    drop(outer);

    let received = server.received();
    assert_eq!(received.len(), 2, "the 429 was resent once");
    let sent: Vec<_> = received
        .iter()
        .map(|r| parse_traceparent(r.header("traceparent").expect("a traceparent")))
        .collect();
    let requests = otel.spans.named("POST /agents/{agent_id}/runs");
    assert_eq!(requests.len(), 2, "one request span per try");
    for (i, (trace, parent)) in sent.iter().enumerate() {
        assert_eq!(*trace, outer_trace, "try {i}: the caller's trace");
        assert_eq!(
            *parent,
            requests[i].span_context.span_id(),
            "try {i}: its own span"
        );
    }
    assert_eq!(attr(&requests[0], "http.request.resend_count"), None);
    assert_eq!(
        attr(&requests[0], "http.response.status_code").as_deref(),
        Some("429")
    );
    assert_eq!(
        attr(&requests[1], "http.request.resend_count").as_deref(),
        Some("1")
    );
    assert_eq!(
        attr(&requests[1], "http.response.status_code").as_deref(),
        Some("200")
    );
}

#[tokio::test]
async fn a_traceparent_set_by_the_caller_is_left_as_it_is() {
    let _otel = otel();
    let server = run_server().await;
    let mine = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .header("traceparent", mine)
        .build()
        .unwrap();
    let call = client
        .run_agent("a", "hi")
        .send()
        .instrument(tracing::info_span!("outer"));
    tokio::time::timeout(LIMIT, call).await.unwrap().unwrap();
    let got: Vec<_> = server.received()[0]
        .headers
        .iter()
        .filter(|(k, _)| k == "traceparent")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(got, [mine]);
}

#[tokio::test]
async fn nothing_is_sent_with_the_option_off_or_without_a_context() {
    // Off, inside a span that has an OpenTelemetry context.
    let otel = otel();
    let server = run_server().await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .propagate_trace_context(false)
        .build()
        .unwrap();
    let outer = tracing::info_span!("outer");
    let call = client.run_agent("a", "hi").send().instrument(outer.clone());
    tokio::time::timeout(LIMIT, call).await.unwrap().unwrap();
    assert_ne!(trace_id_of(&outer), TraceId::INVALID, "a context was there");
    assert_eq!(server.received()[0].header("traceparent"), None);
    assert_eq!(otel.spans.named("POST /agents/{agent_id}/runs").len(), 1);
    drop(otel);

    // On, with a subscriber that has no OpenTelemetry layer.
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry());
    let server = run_server().await;
    let call = client_of(&server)
        .run_agent("a", "hi")
        .send()
        .instrument(tracing::info_span!("outer"));
    tokio::time::timeout(LIMIT, call).await.unwrap().unwrap();
    assert_eq!(server.received()[0].header("traceparent"), None);
}

#[tokio::test]
async fn a_resumable_streams_reconnect_carries_the_trace_context() {
    let otel = otel();
    // The run starts, the connection drops; the resume route finishes it.
    let server = HostileServer::start(|req: &Received, _| {
        let ev = |name: &str, i: u64| {
            json!({"event": name, "run_id": "r1", "session_id": "s1", "agent_id": "a",
                "event_index": i, "content": "hi"})
        };
        if req.path().ends_with("/resume") {
            Reply::new().write(sse(&[ev("RunCompleted", 1)]))
        } else {
            Reply::new().write(sse(&[ev("RunStarted", 0)])).reset()
        }
    })
    .await;
    let client = client_of(&server);
    let outer = tracing::info_span!("outer");
    let run = async {
        let stream = client
            .run_agent_stream("a", "hi")
            .session_id("s1")
            .resumable()
            .await?;
        stream.final_output().await
    };
    let out = tokio::time::timeout(LIMIT, run.instrument(outer.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.run_id.as_deref(), Some("r1"));

    let received = server.received();
    let paths: Vec<_> = received.iter().map(|r| r.path().to_owned()).collect();
    assert_eq!(
        paths.last().unwrap(),
        "/agents/a/runs/r1/resume",
        "{paths:?}"
    );
    let outer_trace = trace_id_of(&outer);
    let mut parents = Vec::new();
    for r in &received {
        let (trace, parent) = parse_traceparent(r.header("traceparent").expect("traceparent"));
        assert_eq!(trace, outer_trace, "{}", r.request_line);
        parents.push(parent);
    }
    // Each request its own span: the run's, then the resume's.
    let run = otel.spans.named("POST /agents/{agent_id}/runs");
    let resume = otel
        .spans
        .named("POST /agents/{agent_id}/runs/{run_id}/resume");
    assert_eq!(parents[0], run[0].span_context.span_id());
    assert_eq!(*parents.last().unwrap(), resume[0].span_context.span_id());
}

// --- Against the real AgentOS ---------------------------------------------------------------

/// A stored span as the fixture's `/fixture-spans/{trace_id}` lists it (the /traces API
/// leaves parent ids out).
#[derive(Debug, serde::Deserialize)]
struct StoredSpan {
    span_id: String,
    parent_span_id: Option<String>,
    name: String,
}

async fn stored_spans(trace_id: &str) -> Vec<StoredSpan> {
    let url = format!("{}/fixture-spans/{trace_id}", common::url());
    let client = AgentOsClient::new(common::url()).unwrap();
    let request = agentos::Request::get("/fixture-spans/{trace_id}", &[trace_id]).unwrap();
    let body = client.execute(request).await.unwrap();
    body.json().unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// Runs `echo-agent` inside a client span (streamed or not) and checks the joined trace.
async fn joined_run(streamed: bool) {
    let otel = otel();
    let client = common::client();
    let session = common::unique("s-otel");
    let outer = tracing::info_span!("checkout");
    let message = format!("joined trace, streamed: {streamed}");
    let run = async {
        if streamed {
            let stream = client
                .run_agent_stream("echo-agent", message.as_str())
                .session_id(&session)
                .await?;
            stream.final_output().await
        } else {
            client
                .run_agent("echo-agent", message.as_str())
                .session_id(&session)
                .await
        }
    };
    let out = tokio::time::timeout(LIMIT, run.instrument(outer.clone()))
        .await
        .unwrap()
        .unwrap();
    let run_id = out.run_id.clone().expect("a run id");
    let trace_id = agentos::otel::trace_id(&outer).expect("a client trace id");
    assert_eq!(trace_id, trace_id_of(&outer).to_string());
    drop(outer);
    let request = &otel.spans.named("POST /agents/{agent_id}/runs")[0];
    let request_span_id = request.span_context.span_id().to_string();

    // The helper finds the server's trace under the client's trace id.
    let trace = tokio::time::timeout(
        LIMIT,
        client.trace_of_run(&run_id).trace_id(trace_id.as_str()),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(trace.trace_id, trace_id);

    // Its root server span (the one whose parent is not stored) is a child of the SDK's
    // request span; every other stored span descends from it.
    let mut spans = stored_spans(&trace_id).await;
    for _ in 0..100 {
        if spans
            .iter()
            .any(|s| s.name.contains("arun") || s.name.contains("run"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        spans = stored_spans(&trace_id).await;
    }
    let ids: Vec<&str> = spans.iter().map(|s| s.span_id.as_str()).collect();
    let roots: Vec<&StoredSpan> = spans
        .iter()
        .filter(|s| !ids.contains(&s.parent_span_id.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(roots.len(), 1, "{spans:?}");
    assert_eq!(
        roots[0].parent_span_id.as_deref(),
        Some(request_span_id.as_str()),
        "{spans:?}"
    );
    assert!(spans.len() >= 2, "the agent and its model call: {spans:?}");

    // The joined trace as one tree (shown with `--no-capture`): the client's spans, and the
    // server's under the request span.
    let mut nodes: Vec<(String, String, String)> = otel
        .spans
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.span_context.trace_id().to_string() == trace_id)
        .map(|s| {
            let id = s.span_context.span_id().to_string();
            let parent = s.parent_span_id.to_string();
            (id, parent, format!("{} [client]", s.name))
        })
        .collect();
    nodes.extend(spans.iter().map(|s| {
        let parent = s.parent_span_id.clone().unwrap_or_default();
        (s.span_id.clone(), parent, format!("{} [server]", s.name))
    }));
    println!("trace {trace_id} (streamed: {streamed})");
    print_tree(&nodes, &SpanId::INVALID.to_string(), 0);
}

/// Prints the `(id, parent, label)` nodes under `parent`, depth first.
fn print_tree(nodes: &[(String, String, String)], parent: &str, depth: usize) {
    for (id, _, label) in nodes.iter().filter(|(_, p, _)| p == parent) {
        println!("{:indent$}{label}", "", indent = depth * 2);
        print_tree(nodes, id, depth + 1);
    }
}

#[tokio::test]
async fn a_run_is_stored_under_the_clients_trace_and_found_by_it() {
    joined_run(false).await;
}

#[tokio::test]
async fn a_streamed_run_is_stored_under_the_clients_trace_and_found_by_it() {
    joined_run(true).await;
}

#[tokio::test]
async fn without_a_client_context_the_trace_is_found_by_run_id() {
    let client = common::client();
    let session = common::unique("s-otel-plain");
    let out = tokio::time::timeout(
        LIMIT,
        client
            .run_agent("echo-agent", "no client trace")
            .session_id(&session),
    )
    .await
    .unwrap()
    .unwrap();
    let run_id = out.run_id.expect("a run id");
    let trace = tokio::time::timeout(LIMIT, client.trace_of_run(&run_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(trace.run_id.as_deref(), Some(run_id.as_str()));
    assert!(!trace.tree.is_empty(), "an unjoined trace has its root");
}
