//! Integration tests of the observability area against the real AgentOS: traces of real runs
//! (listed, filtered, read as trees, searched, counted per session), metrics (refreshed both
//! ways and read back), and the SDK's own request spans.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos::observability::chrono::{self, NaiveDate, Utc};
use agentos::observability::{
    ObservabilityExt, RefreshState, SpanType, TraceDetail, TraceFilter, TraceStatus, TraceSummary,
    trace_field as f,
};
use agentos::{AgentOsClient, Form, Request};
use futures::TryStreamExt;
use serde_json::Value;

/// One non-streamed run of `echo-agent`, posted as form fields (the runs crate is not used
/// here). Returns the run output as JSON.
async fn run_agent(
    client: &AgentOsClient,
    message: &str,
    session_id: &str,
    user_id: &str,
) -> Value {
    let mut form = Form::new();
    form.text("message", message)
        .bool("stream", false)
        .text("session_id", session_id)
        .text("user_id", user_id);
    let request = Request::post("/agents/{agent_id}/runs", &["echo-agent"])
        .unwrap()
        .form(form);
    let out: Value = client.execute(request).await.unwrap().json().unwrap();
    assert_eq!(out["status"], "COMPLETED", "{out}");
    out
}

fn run_id(run: &Value) -> String {
    run["run_id"].as_str().expect("run_id").to_owned()
}

/// Traces are written by a batch span processor: poll (bounded) until the run's trace is
/// listed.
async fn trace_of_run(client: &AgentOsClient, run_id: &str) -> TraceSummary {
    for _ in 0..100 {
        let page = client.get_traces().run_id(run_id).await.unwrap();
        if let Some(t) = page.data.into_iter().next() {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no trace for run {run_id} after 20 s");
}

#[tokio::test]
async fn traces_of_runs_are_listed_filtered_and_read_as_trees() {
    let client = common::client();
    let session = common::unique("obs-trace-session");
    let user = common::unique("obs-trace-user");
    let before = Utc::now() - chrono::Duration::seconds(2);
    let first = run_agent(
        &client,
        r#"trace me [tool:echo_tool {"text": "ping"}]"#,
        &session,
        &user,
    )
    .await;
    let second = run_agent(&client, "and me too", &session, &user).await;
    let (r1, r2) = (run_id(&first), run_id(&second));

    let t1 = trace_of_run(&client, &r1).await;
    let t2 = trace_of_run(&client, &r2).await;
    assert_ne!(t1.trace_id, t2.trace_id);
    assert_eq!(t1.name, "Echo_Agent.arun");
    assert_eq!(t1.status, Some(TraceStatus::Ok));
    assert_eq!(t1.run_id.as_deref(), Some(r1.as_str()));
    assert_eq!(t1.session_id.as_deref(), Some(session.as_str()));
    assert_eq!(t1.user_id.as_deref(), Some(user.as_str()));
    assert_eq!(t1.agent_id.as_deref(), Some("echo-agent"));
    assert_eq!(t1.team_id, None);
    assert!(t1.input.as_deref().unwrap().contains("trace me"));
    assert_eq!(t1.error_count, 0);
    assert!(t1.start_time.unwrap() >= before.into());
    assert!(t1.elapsed().unwrap() > Duration::ZERO);

    // Filters: by session, by agent and user, by status and time, and ones that exclude.
    let ids = |page: Vec<TraceSummary>| {
        let mut v: Vec<String> = page.into_iter().map(|t| t.trace_id).collect();
        v.sort();
        v
    };
    let mut both = vec![t1.trace_id.clone(), t2.trace_id.clone()];
    both.sort();
    let by_session = client.get_traces().session_id(&session).await.unwrap();
    assert_eq!(by_session.meta.total_count, Some(2));
    assert_eq!(ids(by_session.data), both);
    let by_agent_and_user = client
        .get_traces()
        .agent_id("echo-agent")
        .user_id(&user)
        .status(TraceStatus::Ok)
        .start_time(before)
        .end_time(Utc::now() + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(ids(by_agent_and_user.data), both);
    for excluded in [
        client
            .get_traces()
            .session_id(&session)
            .team_id("echo-team"),
        client
            .get_traces()
            .session_id(&session)
            .workflow_id("echo-workflow"),
        client
            .get_traces()
            .session_id(&session)
            .status(TraceStatus::Error),
        client
            .get_traces()
            .session_id(&session)
            .start_time(Utc::now() + chrono::Duration::minutes(5)),
        client.get_traces().session_id(&session).end_time(before),
        client.get_traces().user_id(common::unique("nobody")),
    ] {
        let page = excluded.await.unwrap();
        assert!(page.data.is_empty(), "{:?}", page.data);
        assert_eq!(page.meta.total_count, Some(0));
    }

    // Paging: one trace per page, walked lazily.
    let first_page = client
        .get_traces()
        .session_id(&session)
        .limit(1)
        .await
        .unwrap();
    assert_eq!(first_page.data.len(), 1);
    assert_eq!(first_page.meta.total_pages, Some(2));
    let walked: Vec<TraceSummary> = client
        .get_traces()
        .session_id(&session)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(walked), both);

    // The tree of the tool run: agent span at the root, two model calls and the tool below.
    let trace: TraceDetail = client.get_trace(&t1.trace_id).await.unwrap();
    assert_eq!(trace.trace_id, t1.trace_id);
    assert_eq!(trace.run_id.as_deref(), Some(r1.as_str()));
    assert_eq!(trace.output.as_deref(), first["content"].as_str());
    assert_eq!(trace.tree.len(), 1);
    let root = &trace.tree[0];
    assert_eq!(root.span_type, Some(SpanType::Agent));
    assert_eq!(root.name, "Echo_Agent.arun");
    let walked: Vec<(usize, String, String)> = trace
        .walk()
        .map(|(d, s)| (d, s.type_name().to_owned(), s.name.clone()))
        .collect();
    assert_eq!(walked.len() as u64, trace.total_spans, "{walked:?}");
    assert_eq!(walked[0].0, 0);
    let llm: Vec<_> = trace.spans_of_type(&SpanType::Llm).collect();
    assert_eq!(llm.len(), 2, "{walked:?}");
    assert!(
        llm.iter()
            .all(|s| s.metadata_value("model") == Some(&"gpt-4o".into()))
    );
    let tool = trace
        .spans_of_type(&SpanType::Tool)
        .next()
        .expect("a tool span");
    assert_eq!(tool.name, "echo_tool");
    assert_eq!(tool.output.as_deref(), Some("echo_tool says: ping"));
    let depth_of = |id: &str| trace.walk().find(|(_, s)| s.id == id).map(|(d, _)| d);
    assert_eq!(depth_of(&tool.id), Some(1));
    assert_eq!(depth_of(&llm[0].id), Some(1));
    // Children in start order: model call, tool, model call.
    let children: Vec<&str> = root.spans.iter().map(|s| s.type_name()).collect();
    assert_eq!(children, ["LLM", "TOOL", "LLM"]);
    for (_, span) in trace.walk() {
        assert!(span.elapsed().is_some(), "{span:?}");
        assert!(span.start_time >= root.start_time && span.end_time <= root.end_time);
    }

    // One span read alone.
    let span = client
        .get_trace(&t1.trace_id)
        .span_id(&tool.id)
        .await
        .unwrap();
    assert_eq!(span.id, tool.id);
    assert_eq!(span.name, "echo_tool");
    assert_eq!(span.span_type, Some(SpanType::Tool));
    assert_eq!(span.input.as_deref(), Some(r#"{"text": "ping"}"#));
    assert!(span.spans.is_empty());

    // The plain run has one model call and no tool.
    let plain = client.get_trace(&t2.trace_id).await.unwrap();
    assert_eq!(plain.spans_of_type(&SpanType::Llm).count(), 1);
    assert_eq!(plain.spans_of_type(&SpanType::Tool).count(), 0);

    // Unknown trace and span: 404.
    let e = client
        .get_trace(&common::unique("no-trace"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client
        .get_trace(&t1.trace_id)
        .span_id("0000000000000000")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    // A span of another trace is refused too.
    let e = client
        .get_trace(&t2.trace_id)
        .span_id(&tool.id)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn traces_are_searched_with_compound_filters_and_counted_per_session() {
    let client = common::client();
    let session = common::unique("obs-search-session");
    let other_session = common::unique("obs-search-other");
    let user = common::unique("obs-search-user");
    let before = Utc::now() - chrono::Duration::seconds(2);
    let r1 = run_id(&run_agent(&client, "search one", &session, &user).await);
    let r2 = run_id(&run_agent(&client, "search two", &session, &user).await);
    let r3 = run_id(&run_agent(&client, "search three", &other_session, &user).await);
    for r in [&r1, &r2, &r3] {
        trace_of_run(&client, r).await;
    }

    let runs_of = |page: Vec<TraceDetail>| {
        let mut v: Vec<String> = page.into_iter().filter_map(|t| t.run_id).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    // AND of text, status, time, duration and a negation.
    let compound = f::SESSION_ID.eq(&session)
        & f::AGENT_ID.eq("echo-agent")
        & f::STATUS.eq(TraceStatus::Ok)
        & f::START_TIME.gte(before)
        & f::CREATED_AT.lte(Utc::now() + chrono::Duration::minutes(5))
        & f::DURATION.gte(Duration::ZERO)
        & !f::NAME.contains("Team");
    let found = client
        .search_traces()
        .filter(compound.clone())
        .await
        .unwrap();
    assert_eq!(found.meta.total_count, Some(2));
    assert_eq!(
        runs_of(found.data.clone()),
        sorted(vec![r1.clone(), r2.clone()])
    );
    assert!(
        found.data.iter().all(|t| !t.tree.is_empty()),
        "with span trees"
    );

    // OR across sessions, IN, NOT, STARTSWITH.
    let either =
        TraceFilter::any_of([f::SESSION_ID.eq(&session), f::SESSION_ID.eq(&other_session)])
            .unwrap();
    let all = client
        .search_traces()
        .filter(either.clone() & f::USER_ID.starts_with(&user))
        .await
        .unwrap();
    assert_eq!(
        runs_of(all.data),
        sorted(vec![r1.clone(), r2.clone(), r3.clone()])
    );
    let listed = client
        .search_traces()
        .filter(f::RUN_ID.is_in([r1.clone(), r3.clone()]))
        .await
        .unwrap();
    assert_eq!(runs_of(listed.data), sorted(vec![r1.clone(), r3.clone()]));
    let not_r1 = client
        .search_traces()
        .filter(f::SESSION_ID.eq(&session) & f::RUN_ID.neq(&r1))
        .await
        .unwrap();
    assert_eq!(runs_of(not_r1.data), vec![r2.clone()]);
    let none = client
        .search_traces()
        .filter(f::SESSION_ID.eq(&session) & f::STATUS.is_in([TraceStatus::Error]))
        .await
        .unwrap();
    assert!(none.data.is_empty());

    // Paging through the body.
    let walked: Vec<TraceDetail> = client
        .search_traces()
        .filter(either.clone())
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked.len(), 3);

    // Grouped by session.
    let per_session = client
        .search_traces()
        .filter(either)
        .group_by_session()
        .await
        .unwrap();
    let counts: HashMap<String, u64> = per_session
        .data
        .iter()
        .map(|s| (s.session_id.clone(), s.total_traces))
        .collect();
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert_eq!(counts[&session], 2);
    assert_eq!(counts[&other_session], 1);

    // GET /trace_session_stats counts the same.
    let stats = client
        .get_trace_session_stats()
        .user_id(&user)
        .agent_id("echo-agent")
        .start_time(before)
        .await
        .unwrap();
    assert_eq!(stats.meta.total_count, Some(2));
    let mine = stats
        .data
        .iter()
        .find(|s| s.session_id == session)
        .expect("the session");
    assert_eq!(mine.total_traces, 2);
    assert_eq!(mine.user_id.as_deref(), Some(user.as_str()));
    assert!(mine.first_trace_at <= mine.last_trace_at);
    let walked: Vec<_> = client
        .get_trace_session_stats()
        .user_id(&user)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked.len(), 2);
    let later = client
        .get_trace_session_stats()
        .user_id(&user)
        .start_time(Utc::now() + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert!(later.data.is_empty());
}

#[tokio::test]
async fn the_filter_schema_lists_every_field_the_builder_uses() {
    let client = common::client();
    let schema = client.get_trace_filter_schema().await.unwrap();
    for key in [
        f::TRACE_ID.key(),
        f::NAME.key(),
        f::RUN_ID.key(),
        f::SESSION_ID.key(),
        f::USER_ID.key(),
        f::AGENT_ID.key(),
        f::TEAM_ID.key(),
        f::WORKFLOW_ID.key(),
        f::STATUS.key(),
        f::DURATION.key(),
        f::START_TIME.key(),
        f::END_TIME.key(),
        f::CREATED_AT.key(),
    ] {
        let field = schema.field(key).unwrap_or_else(|| panic!("{key} missing"));
        assert!(!field.operators.is_empty(), "{field:?}");
    }
    let status = schema.field("status").unwrap();
    assert!(status.values.as_ref().unwrap().contains(&"OK".to_owned()));
    assert_eq!(
        schema.field("start_time").unwrap().field_type.as_deref(),
        Some("datetime")
    );
    assert!(schema.logical_operators.contains(&"AND".to_owned()));
}

// ------------------------------------------------------------------------------- metrics

/// The agent runs of one user between yesterday and today (UTC), as the server counts them.
async fn user_runs(client: &AgentOsClient, user: &str) -> u64 {
    let today = Utc::now().date_naive();
    let yesterday = today.pred_opt().unwrap();
    let m = client
        .get_metrics()
        .user_id(user)
        .starting_date(yesterday)
        .ending_date(today)
        .await
        .unwrap();
    m.metrics.iter().map(|d| d.agent_runs_count).sum()
}

/// A synchronous refresh; when another refresh is running it waits for that one and asks
/// again.
async fn refresh_now(
    client: &AgentOsClient,
    user: &str,
) -> Vec<agentos::observability::DayAggregatedMetrics> {
    for _ in 0..20 {
        let outcome = client.refresh_metrics().user_id(user).await.unwrap();
        if let Some(days) = outcome.metrics() {
            return days.to_vec();
        }
        assert!(outcome.is_already_running(), "{outcome:?}");
        client.wait_for_metrics_refresh().await.unwrap();
    }
    panic!("a metrics refresh was always running");
}

#[tokio::test]
async fn metrics_refreshed_both_ways_show_the_runs() {
    let client = common::client();
    let user = common::unique("obs-metrics-user");
    let session = common::unique("obs-metrics-session");
    run_agent(&client, "metrics one", &session, &user).await;
    run_agent(&client, "metrics two", &session, &user).await;

    // Synchronous: the answer holds this user's recomputed days.
    let days = refresh_now(&client, &user).await;
    assert_eq!(
        days.iter().map(|d| d.agent_runs_count).sum::<u64>(),
        2,
        "{days:?}"
    );
    let today = days
        .iter()
        .find(|d| d.agent_runs_count > 0)
        .expect("the day of the runs");
    assert!(today.id.contains(&user), "{}", today.id);
    assert_eq!(today.agent_sessions_count, 1);
    assert_eq!(today.users_count, 1);
    assert!(today.token_metrics.total_tokens > 0);
    assert_eq!(
        today.token_metrics.total_tokens,
        today.token_metrics.input_tokens + today.token_metrics.output_tokens
    );
    let gpt = today
        .model_metrics
        .iter()
        .find(|m| m.model_id.as_deref() == Some("gpt-4o"))
        .expect("gpt-4o");
    assert_eq!(gpt.count, 2);
    let day = today.date.expect("a date");
    assert!(day <= Utc::now().date_naive());

    // Read back, for this user and this day.
    assert_eq!(user_runs(&client, &user).await, 2);
    let that_day = client.get_metrics().user_id(&user).date(day).await.unwrap();
    assert_eq!(that_day.day(day).unwrap().agent_runs_count, 2);
    assert!(that_day.updated_at.is_some());
    let far_past = NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
    let empty = client
        .get_metrics()
        .user_id(&user)
        .date(far_past)
        .await
        .unwrap();
    assert!(empty.metrics.is_empty());

    // Background: a third run shows up once the refresh it started has finished.
    run_agent(&client, "metrics three", &session, &user).await;
    let mut started = false;
    for _ in 0..20 {
        let outcome = client.refresh_metrics().background(true).await.unwrap();
        // A refresh already running may have begun before the third run: wait and retry.
        client
            .wait_for_metrics_refresh()
            .poll_interval(Duration::from_millis(100))
            .max_wait(Duration::from_secs(60))
            .await
            .unwrap();
        if outcome.is_started() {
            started = true;
            break;
        }
        assert!(outcome.is_already_running(), "{outcome:?}");
    }
    assert!(started, "a background refresh never started");
    let status = client.get_metrics_refresh_status().await.unwrap();
    assert!(
        matches!(
            status.status,
            RefreshState::Completed | RefreshState::Running
        ),
        "{status:?}"
    );
    assert!(status.started_at.is_some());
    assert_eq!(user_runs(&client, &user).await, 3);

    // All users together count at least these runs.
    let all = client.get_metrics().date(day).await.unwrap();
    let everyone = all.day(day).expect("the day for all users");
    assert!(everyone.agent_runs_count >= 3);
    assert!(everyone.users_count >= 1);
}

#[tokio::test]
async fn metrics_input_errors() {
    let client = common::client();
    let e = client
        .get_metrics()
        .db_id(common::unique("no-db"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client
        .get_traces()
        .db_id(common::unique("no-db"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

// ------------------------------------------------------------------------------- telemetry

/// One closed span, with its fields as text.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: String,
    fields: HashMap<String, String>,
}

#[derive(Default)]
struct FieldVisitor(HashMap<String, String>);

impl tracing::field::Visit for FieldVisitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// A layer that keeps every span's fields.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<SpanRecord>>>);

impl<S> tracing_subscriber::Layer<S> for Capture
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut v = FieldVisitor::default();
        attrs.record(&mut v);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(v);
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if let Some(span) = ctx.span(id) {
            if let Some(v) = span.extensions_mut().get_mut::<FieldVisitor>() {
                values.record(v);
            }
        }
    }

    fn on_close(&self, id: tracing::span::Id, ctx: tracing_subscriber::layer::Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            let fields = span
                .extensions()
                .get::<FieldVisitor>()
                .map(|v| v.0.clone())
                .unwrap_or_default();
            self.0.lock().unwrap().push(SpanRecord {
                name: span.name().to_owned(),
                fields,
            });
        }
    }
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn sdk_spans_carry_otel_attributes_and_no_secret() {
    use tracing_subscriber::layer::SubscriberExt;

    let capture = Capture::default();
    let log = Buf::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::registry().with(capture.clone()).with(
        tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE),
    );
    let _guard = tracing::subscriber::set_default(subscriber);

    let key = common::security_key();
    let client = common::secured_client();
    let session = common::unique("obs-telemetry-session");
    let user = common::unique("obs-telemetry-user");
    tracing::info!(client = ?client, "built");
    let run = run_agent(&client, "telemetry", &session, &user).await;
    let trace = trace_of_run(&client, &run_id(&run)).await;
    let tree = client.get_trace(&trace.trace_id).await.unwrap();
    assert_eq!(tree.session_id.as_deref(), Some(session.as_str()));
    let missing = client
        .get_trace(&common::unique("no-trace"))
        .await
        .unwrap_err();
    assert!(missing.is_not_found());
    let unauthorized = AgentOsClient::new(common::secured_url())
        .unwrap()
        .get_traces()
        .await
        .unwrap_err();
    assert!(unauthorized.is_unauthorized(), "{unauthorized:?}");

    let spans: Vec<SpanRecord> = capture
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.name == "agentos.request")
        .cloned()
        .collect();
    let find = |method: &str, route: &str, status: &str| {
        spans
            .iter()
            .find(|s| {
                s.fields.get("http.request.method").map(String::as_str) == Some(method)
                    && s.fields.get("url.template").map(String::as_str) == Some(route)
                    && s.fields
                        .get("http.response.status_code")
                        .map(String::as_str)
                        == Some(status)
            })
            .unwrap_or_else(|| panic!("no span {method} {route} {status} in {spans:#?}"))
    };
    let run_span = find("POST", "/agents/{agent_id}/runs", "200");
    let host = url_host(&common::secured_url());
    assert_eq!(run_span.fields["server.address"], host);
    assert_eq!(run_span.fields["otel.kind"], "client");
    assert_eq!(run_span.fields["otel.name"], "POST /agents/{agent_id}/runs");
    assert!(run_span.fields["duration_ms"].parse::<u64>().is_ok());
    assert!(!run_span.fields.contains_key("error.type"));
    find("GET", "/traces", "200");
    find("GET", "/traces/{trace_id}", "200");
    let not_found = find("GET", "/traces/{trace_id}", "404");
    assert_eq!(not_found.fields["error.type"], "404");
    find("GET", "/traces", "401");

    // Routes are templates: no id, no query string, no user value reaches an attribute.
    for s in &spans {
        let path = &s.fields["url.template"];
        assert!(
            !path.contains('?') && !path.contains(&trace.trace_id),
            "{path}"
        );
    }
    // And the key appears nowhere: not in the spans, not in the formatted log.
    let out = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(out.contains("agentos.request"), "{out}");
    assert!(!out.contains(&key), "the security key leaked into the log");
    for s in capture.0.lock().unwrap().iter() {
        for (k, v) in &s.fields {
            assert!(!v.contains(&key), "the key leaked into {}.{k}", s.name);
        }
    }
}

/// The host of a URL like `http://127.0.0.1:1234`.
fn url_host(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(authority)
        .to_owned()
}

/// With the `runs` feature too: the client's `agentos.run` span and the server's trace name
/// the same agent, session and run, so the two sides of one run can be joined.
#[cfg(feature = "runs")]
#[tokio::test]
async fn client_run_span_and_server_trace_describe_the_same_run() {
    use agentos::runs::RunsExt;
    use tracing_subscriber::layer::SubscriberExt;

    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let client = common::secured_client();
    let session = common::unique("obs-join-session");
    let out = client
        .run_agent("echo-agent", "join me")
        .session_id(&session)
        .user_id(common::unique("obs-join-user"))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let run_id = out.run_id.clone().expect("run_id");

    let spans = capture.0.lock().unwrap().clone();
    let run_span = spans
        .iter()
        .find(|s| s.name == "agentos.run")
        .unwrap_or_else(|| panic!("no agentos.run span in {spans:#?}"));
    assert_eq!(run_span.fields["gen_ai.agent.id"], "echo-agent");
    assert_eq!(run_span.fields["gen_ai.conversation.id"], session);
    assert_eq!(run_span.fields["agno.run.id"], run_id);
    assert!(
        !run_span
            .fields
            .values()
            .any(|v| v.contains(&common::security_key())),
        "{run_span:?}"
    );

    let summary = trace_of_run(&client, &run_id).await;
    assert_eq!(summary.agent_id.as_deref(), Some("echo-agent"));
    assert_eq!(summary.session_id.as_deref(), Some(session.as_str()));
    assert_eq!(summary.run_id.as_deref(), Some(run_id.as_str()));
}
