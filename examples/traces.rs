//! Traces and metrics: make a run, find its trace, print it as an indented span tree with
//! durations, search traces with a typed filter, count them per session, and refresh the
//! metrics.
//!
//! The AgentOS must run with `tracing=True`. Run it against a local one that the script starts
//! (with the fake model): `scripts/demo.sh traces`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 AGENT_ID=my-agent cargo run -p agentos-rs --example traces`.

use std::time::Duration;

use agentos::observability::chrono::Utc;
use agentos::observability::{ObservabilityExt, TraceDetail, TraceStatus, trace_field as f};
use agentos::{AgentOsClient, Form, Request};

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let agent_id = std::env::var("AGENT_ID").unwrap_or_else(|_| "echo-agent".into());
    let client = AgentOsClient::new(url)?;
    let session_id = format!("traces-example-{}", std::process::id());
    let started = Utc::now();

    println!("1. Running {agent_id} twice in session {session_id}...");
    let mut run_ids = Vec::new();
    for message in [
        r#"Please echo [tool:echo_tool {"text": "ping"}]"#,
        "Hello again",
    ] {
        // A plain form POST keeps this example to the `observability` feature; with the `runs`
        // feature, `client.run_agent(..)` does the same.
        let mut form = Form::new();
        form.text("message", message)
            .bool("stream", false)
            .text("session_id", &session_id)
            .text("user_id", "traces-example-user");
        let request = Request::post("/agents/{agent_id}/runs", &[agent_id.as_str()])?.form(form);
        let run: serde_json::Value = client.execute(request).await?.json()?;
        println!("   run {} -> {}", run["run_id"], run["content"]);
        run_ids.push(run["run_id"].as_str().unwrap_or_default().to_owned());
    }

    println!("\n2. Waiting for the traces (the server writes them about a second after a run)...");
    let mut traces = Vec::new();
    for _ in 0..50 {
        traces = client.get_traces().session_id(&session_id).await?.data;
        if traces.len() >= run_ids.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for t in &traces {
        println!(
            "   {} {:<20} {} {} spans, {:?}",
            t.trace_id,
            t.name,
            t.status.as_ref().map(|s| s.as_str()).unwrap_or("?"),
            t.total_spans,
            t.elapsed().unwrap_or_default()
        );
    }
    let Some(first) = traces
        .iter()
        .find(|t| t.run_id.as_deref() == Some(&run_ids[0]))
    else {
        println!("   no trace found: is tracing on (AgentOS(tracing=True))?");
        return Ok(());
    };

    println!("\n3. The trace of the first run, as a tree:");
    let trace = client.get_trace(&first.trace_id).await?;
    print_tree(&trace);

    println!("\n4. Searching: this session's OK traces that took over 1 ms, not of a team...");
    let filter = f::SESSION_ID.eq(&session_id)
        & f::STATUS.eq(TraceStatus::Ok)
        & f::START_TIME.gte(started - chrono_seconds(5))
        & f::DURATION.gt(Duration::from_millis(1))
        & !f::NAME.contains("Team");
    println!("   filter: {filter}");
    let found = client.search_traces().filter(filter).limit(10).await?;
    for t in &found.data {
        println!("   {} run {:?}: {:?}", t.trace_id, t.run_id, t.output);
    }

    println!("\n5. Traces per session for this agent:");
    let stats = client
        .get_trace_session_stats()
        .agent_id(&agent_id)
        .limit(5)
        .await?;
    for s in &stats.data {
        let at = |t: Option<agentos::Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
        println!(
            "   {}: {} traces ({} .. {})",
            s.session_id,
            s.total_traces,
            at(s.first_trace_at),
            at(s.last_trace_at)
        );
    }

    println!("\n6. Refreshing the metrics in the background and reading today's...");
    let outcome = client.refresh_metrics().background(true).await?;
    println!("   refresh: {outcome:?}");
    let status = client.wait_for_metrics_refresh().await?;
    println!(
        "   {} (finished at {:?})",
        status.status, status.finished_at
    );
    let today = Utc::now().date_naive();
    let metrics = client.get_metrics().date(today).await?;
    match metrics.day(today) {
        Some(day) => println!(
            "   {today}: {} agent runs, {} sessions, {} users, {} tokens",
            day.agent_runs_count,
            day.agent_sessions_count,
            day.users_count,
            day.token_metrics.total_tokens
        ),
        None => println!("   no metrics for {today} yet"),
    }
    Ok(())
}

/// Prints every span, indented by depth, with its type, duration and a short output.
fn print_tree(trace: &TraceDetail) {
    println!(
        "   {} [{}] {:?}, in: {:?}",
        trace.name,
        trace.status.as_ref().map(|s| s.as_str()).unwrap_or("?"),
        trace.elapsed().unwrap_or_default(),
        trace.input
    );
    for (depth, span) in trace.walk() {
        let took = span
            .elapsed()
            .map(|d| format!("{:.2} ms", d.as_secs_f64() * 1000.0))
            .unwrap_or_else(|| "?".into());
        let mut detail = String::new();
        if let Some(model) = span.metadata_value("model") {
            detail = format!(" model={model}");
        }
        if let Some(tokens) = span.metadata_value("input_tokens") {
            detail.push_str(&format!(" in_tokens={tokens}"));
        }
        if let Some(out) = &span.output {
            let short: String = out.chars().take(50).collect();
            detail.push_str(&format!(" -> {short:?}"));
        }
        println!(
            "   {:indent$}└─ {} [{}] {took}{detail}",
            "",
            span.name,
            span.type_name(),
            indent = depth * 3
        );
    }
}

fn chrono_seconds(s: i64) -> agentos::observability::chrono::Duration {
    agentos::observability::chrono::Duration::seconds(s)
}
