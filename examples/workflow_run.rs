//! Run a workflow, as the Python client's `run_workflow` and `run_workflow_stream`: one answer
//! with the result of each step, then a stream that shows the steps as they run.
//!
//! `scripts/demo.sh workflow_run`, or `AGENTOS_URL=... cargo run -p agentos-rs --example workflow_run`
//! (needs the fixture's two-step `echo-workflow`).

use agentos::prelude::*;
use agentos::runs::WorkflowRunEvent;
use futures::StreamExt;

/// The example (`pub`: `tests/examples.rs` runs it against the fixture, so it cannot rot).
#[tokio::main]
pub async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    // One answer: the last step's content, and every step's result.
    let output = client
        .run_workflow("echo-workflow", "What is AgentOS?")
        .session_id("workflow-example")
        .await?
        .into_result()?;
    println!(
        "workflow {:?}, run {:?}: {}",
        output.workflow_name,
        output.run_id,
        output.content_text()
    );
    for step in output.step_results.iter().flatten() {
        println!(
            "  step {}: {}",
            step.step_name.as_deref().unwrap_or("?"),
            step.content_text()
        );
    }

    // A stream: the workflow's own events, each step's start and end, and the events of the
    // agents (`Agent`) and teams (`Team`) that run inside the steps.
    let mut events = client
        .run_workflow_stream("echo-workflow", "Hello")
        .session_id("workflow-example")
        .await?;
    while let Some(event) = events.next().await {
        match event? {
            WorkflowRunEvent::WorkflowStarted(d) => {
                println!(
                    "[workflow run {} started]",
                    d.run_id.as_deref().unwrap_or("?")
                );
            }
            WorkflowRunEvent::StepStarted(d) => {
                println!("[step {} started]", d.str_field("step_name").unwrap_or("?"));
            }
            WorkflowRunEvent::StepCompleted(d) => {
                let step = d.str_field("step_name").unwrap_or("?");
                println!("[step {step} completed] {}", d.content_text());
            }
            WorkflowRunEvent::WorkflowCompleted(d) => {
                println!("[workflow completed] {}", d.content_text());
            }
            WorkflowRunEvent::WorkflowError(d) => println!("[error: {:?}]", d.error),
            _ => {}
        }
    }

    // Or just its final output, read from the stream.
    let output = client
        .run_workflow_stream("echo-workflow", "Once more")
        .await?
        .final_output()
        .await?;
    println!("final: {}", output.content_text());
    Ok(())
}
