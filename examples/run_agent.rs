//! Run an agent and read its answer, as the Python client's `run_agent`.
//!
//! `scripts/demo.sh run_agent`, or `AGENTOS_URL=... cargo run -p agentos-rs --example run_agent`.

use agentos::prelude::*;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    let output = client
        .run_agent("echo-agent", "What is AgentOS?")
        .session_id("example-session")
        .user_id("example-user")
        .await?;
    // A failed run comes back as HTTP 200 with status ERROR: always check.
    let output = output.into_result()?;
    println!("run {:?} in session {:?}", output.run_id, output.session_id);
    println!("{}", output.content_text());
    if let Some(m) = &output.metrics {
        println!("tokens: {:?} in, {:?} out", m.input_tokens, m.output_tokens);
    }

    // A failing model: the error is typed, not a success with odd content.
    match client
        .run_agent("echo-agent", "[fail]")
        .await?
        .into_result()
    {
        Err(Error::Run(failure)) => println!("the run failed: {}", failure.message),
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
