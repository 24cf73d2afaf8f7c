//! Run a team, as the Python client's `run_team` and `run_team_stream`: one answer, then a
//! stream with the leader's and the members' events told apart.
//!
//! `scripts/demo.sh team_run`, or `AGENTOS_URL=... cargo run -p agentos-rs --example team_run`
//! (needs the fixture's `echo-team`).

use std::io::Write;

use agentos::prelude::*;
use agentos::runs::{AgentRunEvent, TeamRunEvent};
use futures::StreamExt;

/// The example (`pub`: `tests/examples.rs` runs it against the fixture, so it cannot rot).
#[tokio::main]
pub async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    // One answer. As for agents, a failed team run is HTTP 200 with status ERROR.
    let output = client
        .run_team("echo-team", "What is AgentOS?")
        .session_id("team-example")
        .user_id("example-user")
        .await?
        .into_result()?;
    println!(
        "team {:?}, run {:?}: {}",
        output.team_name,
        output.run_id,
        output.content_text()
    );
    let members = output.member_responses.as_ref().map_or(0, Vec::len);
    println!("{members} member run(s)");

    // A stream: the leader's events, and the members' agent events as `Member`.
    let mut events = client
        .run_team_stream("echo-team", "Tell me a story [story]")
        .await?;
    let mut out = std::io::stdout();
    while let Some(event) = events.next().await {
        match event? {
            TeamRunEvent::TeamRunStarted(d) => {
                println!("[team run {} started]", d.run_id.as_deref().unwrap_or("?"));
            }
            TeamRunEvent::TeamRunContent(d) => {
                print!("{}", d.content_text());
                out.flush().ok();
            }
            TeamRunEvent::Member(AgentRunEvent::RunContent(d)) => {
                let member = d.agent_id.as_deref().unwrap_or("?");
                print!("[{member}] {}", d.content_text());
                out.flush().ok();
            }
            TeamRunEvent::TeamRunCompleted(_) => println!("\n[team run completed]"),
            TeamRunEvent::TeamRunError(d) => println!("\n[error: {:?}]", d.content_text()),
            _ => {}
        }
    }
    Ok(())
}
