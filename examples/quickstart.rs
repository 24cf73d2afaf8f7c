//! Basic usage: connect, read the configuration, and list the agents, teams and workflows.
//!
//! Run it against a local AgentOS that the script starts (with the fake model):
//! `scripts/demo.sh`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 cargo run -p agentos-rs --example quickstart`.

use agentos::AgentOsClient;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let client = AgentOsClient::new(url)?;

    let config = client.get_config().await?;
    println!(
        "Connected to: {}",
        config.name.as_deref().unwrap_or(&config.os_id)
    );

    println!("\nAgents:");
    for agent in client.list_agents().await? {
        let model = agent
            .model
            .as_ref()
            .and_then(|m| m.model.as_deref())
            .unwrap_or("-");
        println!(
            "  {:<16} {:<24} model: {model}",
            agent.id.as_deref().unwrap_or("?"),
            agent.name.as_deref().unwrap_or("")
        );
    }

    println!("\nTeams:");
    for team in client.list_teams().await? {
        let members = team.members.as_ref().map_or(0, Vec::len);
        println!(
            "  {:<16} {:<24} {members} members",
            team.id.as_deref().unwrap_or("?"),
            team.name.as_deref().unwrap_or("")
        );
    }

    println!("\nWorkflows:");
    for workflow in client.list_workflows().await? {
        println!(
            "  {:<16} {}",
            workflow.id.as_deref().unwrap_or("?"),
            workflow.name.as_deref().unwrap_or("")
        );
    }

    if let Some(agent) = config.agents.first().and_then(|a| a.id.clone()) {
        let details = client.get_agent(&agent).await?;
        println!(
            "\nFirst agent in detail: {:?} ({:?})",
            details.name, details.description
        );
    }
    Ok(())
}
