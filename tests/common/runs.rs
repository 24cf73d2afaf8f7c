//! Helpers of the tests of runs (tests/runs.rs, tests/hitl.rs, tests/replicas.rs), which
//! include this file as `run_helpers` (`common` is also built by tests without runs).

#![allow(dead_code)]

use std::time::Duration;

use agentos::AgentOsClient;
use agentos::runs::*;
use futures::{Stream, StreamExt};

/// Runs `hitl-agent` with a tool marker (`[tool:confirm_tool]`, ...) in `session`; the run
/// pauses.
pub async fn paused_agent(client: &AgentOsClient, marker: &str, session: &str) -> RunOutput {
    let out = client
        .run_agent("hitl-agent", marker)
        .session_id(session)
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    out
}

/// Reads a stream (plain or resumable) up to its first content delta with text, and gives
/// that text; fails when the stream ends first.
pub async fn first_content<S, E>(stream: &mut S) -> String
where
    S: Stream<Item = agentos::Result<E>> + Unpin,
    E: StreamEvent,
{
    while let Some(ev) = stream.next().await {
        let ev = ev.unwrap();
        let content = ev
            .event_data()
            .map(|d| d.content_text())
            .unwrap_or_default();
        if ev.event_name().ends_with("RunContent") && !content.is_empty() {
            return content;
        }
    }
    panic!("the stream ended before any content");
}

/// Polls the stored agent run until it leaves RUNNING/PENDING (or `secs` pass) and gives it.
pub async fn settled(
    client: &AgentOsClient,
    agent: &str,
    run_id: &str,
    session: &str,
    secs: u64,
) -> RunOutput {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let run = client.get_agent_run(agent, run_id, session).await.unwrap();
        let busy = matches!(
            run.status,
            Some(RunStatus::Running) | Some(RunStatus::Pending) | None
        );
        if !busy || tokio::time::Instant::now() >= deadline {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
