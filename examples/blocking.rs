//! The Basic Usage, synchronous: no async runtime in `main`, every call finished with
//! `.wait()`, and a streamed run printed as it arrives through an iterator.
//!
//! `scripts/demo.sh blocking` (needs `--features blocking`; the script passes it), or
//! `AGENTOS_URL=... cargo run -p agentos-rs --features blocking --example blocking`.

use std::io::Write;

use agentos::blocking::{AgentOsClient, IntoBlockingIter, Wait};
use agentos::prelude::*;

fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    let config = client.get_config().wait()?;
    println!(
        "Connected to: {}",
        config.name.as_deref().unwrap_or(&config.os_id)
    );
    for agent in client.list_agents().wait()? {
        println!("  agent {:?}", agent.id);
    }

    let out = client
        .run_agent("echo-agent", "Hello from sync code")
        .wait()?
        .into_result()?;
    println!("{}", out.content_text());

    let stream = client.run_agent_stream("echo-agent", "[story]").wait()?;
    for delta in stream.text().into_blocking_iter() {
        print!("{}", delta?);
        std::io::stdout().flush().ok();
    }
    println!();
    Ok(())
}
