//! Stream a run: print the story as it arrives, then the final metrics.
//!
//! `scripts/demo.sh stream`, or `AGENTOS_URL=... cargo run -p agentos-rs --example stream`.

use std::io::Write;

use agentos::prelude::*;
use agentos::runs::AgentRunEvent;
use futures::StreamExt;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    let mut events = client
        .run_agent_stream("echo-agent", "Tell me a story [story]")
        .await?;
    let mut out = std::io::stdout();
    while let Some(event) = events.next().await {
        match event? {
            AgentRunEvent::RunStarted(d) => {
                println!("[run {} started]", d.run_id.as_deref().unwrap_or("?"));
            }
            AgentRunEvent::RunContent(d) => {
                print!("{}", d.content_text());
                out.flush().ok();
            }
            AgentRunEvent::RunCompleted(d) => {
                let tokens = d.metrics.as_ref().and_then(|m| m.total_tokens);
                println!("\n[completed: {tokens:?} tokens]");
            }
            AgentRunEvent::RunError(d) => println!("\n[error: {:?}]", d.content_text()),
            _ => {}
        }
    }

    // Or only the text:
    let mut text = client
        .run_agent_stream("echo-agent", "Once more")
        .await?
        .text();
    while let Some(delta) = text.next().await {
        print!("{}", delta?);
    }
    println!();
    Ok(())
}
