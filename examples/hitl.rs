//! Human in the loop: a run pauses on a tool that needs confirmation; confirm it and continue.
//! Then an external tool whose result we supply, and a rejection with a note.
//!
//! `scripts/demo.sh hitl`, or `AGENTOS_URL=... cargo run -p agentos-rs --example hitl`
//! (needs the fixture's `hitl-agent`).

use agentos::prelude::*;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;
    let session = "hitl-example";

    // 1. Confirm: the paused output carries the ids; confirm_all resolves every confirmation.
    let paused = client
        .run_agent("hitl-agent", "[tool:confirm_tool {\"action\": \"deploy\"}]")
        .session_id(session)
        .await?;
    assert!(paused.is_paused());
    for tool in paused.tools.iter().flatten().filter(|t| t.is_pending()) {
        println!("confirming {:?} {:?}", tool.tool_name, tool.tool_args);
    }
    let done = client
        .continue_run(&paused)
        .confirm_all()
        .await?
        .into_result()?;
    println!("-> {}", done.content_text());

    // 2. An external tool: we run it and give the result, by tool call id.
    let paused = client
        .run_agent("hitl-agent", "[tool:external_tool {\"command\": \"date\"}]")
        .session_id(session)
        .await?;
    let id = paused
        .tools
        .as_ref()
        .and_then(|t| t[0].tool_call_id.clone());
    let done = client
        .continue_run(&paused)
        .result(id.as_deref().unwrap_or_default(), "Saturday")
        .await?;
    println!("-> {}", done.content_text());

    // 3. Reject with a note, streaming the continuation.
    let paused = client
        .run_agent("hitl-agent", "[tool:confirm_tool]")
        .session_id(session)
        .await?;
    let id = paused
        .tools
        .as_ref()
        .and_then(|t| t[0].tool_call_id.clone());
    let done = client
        .continue_run_stream(&paused)
        .reject(id.as_deref().unwrap_or_default(), "not in production")
        .await?
        .final_output()
        .await?;
    println!("-> {:?}: {}", done.status, done.content_text());
    Ok(())
}
