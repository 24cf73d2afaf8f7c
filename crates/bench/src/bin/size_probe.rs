//! A small program for the binary-size step of `scripts/bench.sh`: built with only the core
//! (`--no-default-features --features rustls`), with runs (`rustls,runs`), and with every
//! feature (the default), then stripped (`profile.release` strips). It reads the config, and
//! with more features streams a run and lists one thing of every area, so that the code of
//! each enabled feature is linked in.
//!
//! `AGENTOS_URL=http://127.0.0.1:7777 size-probe`

use agentos::prelude::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://127.0.0.1:7777".into());
    let client = AgentOsClient::new(url)?;
    let config = client.get_config().await?;
    println!("{} agents", config.agents.len());
    #[cfg(feature = "runs")]
    {
        use futures::StreamExt;
        let mut text = client.run_agent_stream("echo-agent", "hi").await?.text();
        while let Some(t) = text.next().await {
            print!("{}", t?);
        }
        println!();
    }
    #[cfg(feature = "full")]
    {
        println!("{} sessions", client.get_sessions().await?.data.len());
        println!("{} memories", client.list_memories().await?.data.len());
        println!(
            "{} knowledge",
            client.list_knowledge_content().await?.data.len()
        );
        println!("{} traces", client.get_traces().await?.data.len());
        println!("{} evals", client.list_eval_runs().await?.data.len());
        println!("{:?}", client.list_learnings().await?);
        println!("{:?}", client.list_schedules().await?);
        println!("{:?}", client.list_approvals().await?);
        println!("{:?}", client.list_components().await?);
        println!("{:?}", client.list_service_accounts().await?);
        println!("{:?}", client.list_filesystem_files().await?);
    }
    Ok(())
}
