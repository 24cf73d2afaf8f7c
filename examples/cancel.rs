//! Cancel runs, as the Python client's `cancel_agent_run`, `cancel_team_run` and
//! `cancel_workflow_run`: start a slow streamed run, cancel it once it is under way, and see
//! it end as cancelled.
//!
//! `scripts/demo.sh cancel`, or `AGENTOS_URL=... cargo run -p agentos-rs --example cancel`
//! (the fixture's model streams slowly when the message holds `[slow:N]`).

use agentos::RunStatus;
use agentos::prelude::*;
use agentos::runs::{AgentRunEvent, TerminalKind, WorkflowRunEvent};
use futures::StreamExt;

/// The example (`pub`: `tests/examples.rs` runs it against the fixture, so it cannot rot).
#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let session = "cancel-example";

    // An agent run: the run id is known from the first event; cancel after the first content.
    let mut events = client
        .run_agent_stream("echo-agent", "A long answer, please [slow:10]")
        .session_id(session)
        .await?;
    while let Some(event) = events.next().await {
        if let AgentRunEvent::RunContent(_) = event? {
            break;
        }
    }
    let run_id = events.run_id().unwrap_or_default().to_owned();
    client
        .cancel_agent_run("echo-agent", &run_id)
        .session_id(session)
        .await?;
    // The stream ends soon after, with a `RunCancelled` event.
    while let Some(event) = events.next().await {
        event?;
    }
    println!("agent run {run_id}: {:?}", events.terminal());
    let stored = client.get_agent_run("echo-agent", &run_id, session).await?;
    println!("stored status: {:?}", stored.status);
    if events.terminal() != Some(TerminalKind::Cancelled) {
        return Err(format!("run {run_id} was not cancelled: {:?}", events.terminal()).into());
    }

    // Team and workflow runs are cancelled the same way. A workflow's stream ends with the
    // workflow's own terminal event, so `final_output` reads it to the end.
    let mut events = client
        .run_workflow_stream("echo-workflow", "A long answer, please [slow:10]")
        .session_id(session)
        .await?;
    while let Some(event) = events.next().await {
        // The content of the agent inside the workflow's first step.
        if let WorkflowRunEvent::Agent(AgentRunEvent::RunContent(_)) = event? {
            break;
        }
    }
    let run_id = events.run_id().unwrap_or_default().to_owned();
    client
        .cancel_workflow_run("echo-workflow", &run_id)
        .session_id(session)
        .await?;
    let output = events.final_output().await?;
    println!("workflow run {run_id}: {:?}", output.status);
    if output.status != Some(RunStatus::Cancelled) {
        return Err(format!(
            "workflow run {run_id} was not cancelled: {:?}",
            output.status
        )
        .into());
    }
    Ok(())
}
