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

    // 1. Confirm.
    let paused = client
        .run_agent("hitl-agent", "[tool:confirm_tool {\"action\": \"deploy\"}]")
        .session_id(session)
        .await?;
    assert!(paused.is_paused());
    let mut tools = paused.tools.clone().unwrap_or_default();
    for tool in tools.iter_mut().filter(|t| t.is_pending()) {
        println!("confirming {:?} {:?}", tool.tool_name, tool.tool_args);
        tool.confirm();
    }
    let run_id = paused.run_id.as_deref().unwrap_or_default();
    let done = client
        .continue_agent_run("hitl-agent", run_id, session)
        .tools(&tools)
        .await?
        .into_result()?;
    println!("-> {}", done.content_text());

    // 2. An external tool: we run it and give the result.
    let paused = client
        .run_agent("hitl-agent", "[tool:external_tool {\"command\": \"date\"}]")
        .session_id(session)
        .await?;
    let mut tools = paused.tools.clone().unwrap_or_default();
    tools[0].set_result("Saturday");
    let run_id = paused.run_id.as_deref().unwrap_or_default();
    let done = client
        .continue_agent_run("hitl-agent", run_id, session)
        .tools(&tools)
        .await?;
    println!("-> {}", done.content_text());

    // 3. Reject with a note, streaming the continuation.
    let paused = client
        .run_agent("hitl-agent", "[tool:confirm_tool]")
        .session_id(session)
        .await?;
    let mut tools = paused.tools.clone().unwrap_or_default();
    tools[0].reject("not in production");
    let run_id = paused.run_id.as_deref().unwrap_or_default();
    let done = client
        .continue_agent_run_stream("hitl-agent", run_id, session)
        .tools(&tools)
        .await?
        .final_output()
        .await?;
    println!("-> {:?}: {}", done.status, done.content_text());
    Ok(())
}
