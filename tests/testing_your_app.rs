//! "Testing your app" (README): how an application tests its own code against a scripted
//! AgentOS with `agentos::mock` (feature `mock`). Everything here uses the public API only,
//! the way an application would; it runs in CI with the other tests and needs no server.

use agentos::mock::{self, Canned, MockServer};
use agentos::runs::AgentRunEvent;
use agentos::{AgentResponse, AgentSummary, ConfigResponse, TeamMember, TeamResponse};
use serde_json::json;

/// The application under test: a few functions over an `AgentOsClient`.
mod app {
    use agentos::prelude::*;
    use futures::TryStreamExt;

    /// The ids of the agents the OS serves.
    pub async fn agent_ids(client: &AgentOsClient) -> Result<Vec<String>> {
        let config = client.get_config().await?;
        Ok(config.agents.into_iter().map(|a| a.id).collect())
    }

    /// Asks an agent and returns its whole answer, read from the stream.
    pub async fn ask(client: &AgentOsClient, agent_id: &str, question: &str) -> Result<String> {
        let parts: Vec<String> = client
            .run_agent_stream(agent_id, question)
            .await?
            .text()
            .try_collect()
            .await?;
        Ok(parts.concat())
    }

    /// One line about an agent, or why there is none.
    pub async fn describe(client: &AgentOsClient, agent_id: &str) -> String {
        match client.get_agent(agent_id).await {
            Ok(agent) => format!(
                "{}: {}",
                agent.id,
                agent.name.as_deref().unwrap_or("unnamed")
            ),
            Err(e) if e.is_not_found() => {
                format!(
                    "no agent {agent_id}: {}",
                    e.server_message().unwrap_or_default()
                )
            }
            Err(e) => format!("AgentOS failed: {e}"),
        }
    }

    /// The members of a team, by id.
    pub async fn team_members(client: &AgentOsClient, team_id: &str) -> Result<Vec<String>> {
        let team = client.get_team(team_id).await?;
        Ok(team
            .members
            .unwrap_or_default()
            .iter()
            .map(|m| m.id().to_owned())
            .collect())
    }
}

#[tokio::test]
async fn lists_the_agents_of_the_config() {
    // Canned answers are built from the SDK's own types.
    let mut config = ConfigResponse::new("test-os");
    config.agents.push(AgentSummary::new("writer"));
    config.agents.push(AgentSummary::new("editor"));
    let server = MockServer::new();
    server.get("/config").respond(Canned::json(&config));

    let ids = app::agent_ids(&server.client()).await.unwrap();
    assert_eq!(ids, ["writer", "editor"]);
    // Dropping `server` checks that every scripted answer was requested.
}

#[tokio::test]
async fn asks_an_agent_over_a_canned_event_stream() {
    // A canned stream of typed run events, written as AgentOS writes them.
    let events = [
        AgentRunEvent::from_parts("RunStarted", json!({"run_id": "r1", "session_id": "s1"})),
        AgentRunEvent::from_parts("RunContent", json!({"run_id": "r1", "content": "Hello, "})),
        AgentRunEvent::from_parts("RunContent", json!({"run_id": "r1", "content": "Ada."})),
        AgentRunEvent::from_parts(
            "RunCompleted",
            json!({"run_id": "r1", "content": "Hello, Ada."}),
        ),
    ];
    let server = MockServer::new();
    // Matched on the method and the route template, whatever the agent id.
    server
        .post("/agents/{agent_id}/runs")
        .respond(Canned::events(events));

    let answer = app::ask(&server.client(), "greeter", "Greet Ada")
        .await
        .unwrap();
    assert_eq!(answer, "Hello, Ada.");

    // What the app sent, as the server would receive it.
    let sent = server.requests();
    assert_eq!(mock::path(&sent[0]), "/agents/greeter/runs");
    let form = mock::form_fields(&sent[0]);
    assert!(
        form.contains(&("message".into(), "Greet Ada".into())),
        "{form:?}"
    );
    assert!(form.contains(&("stream".into(), "true".into())), "{form:?}");
}

#[tokio::test]
async fn describes_a_missing_agent_with_the_servers_message() {
    let mut agent = AgentResponse::new("writer");
    agent.name = Some("Writer".into());
    let server = MockServer::new();
    server
        .get("/agents/{agent_id}")
        .respond(Canned::json(&agent));
    server
        .get("/agents/{agent_id}")
        .respond(Canned::error(404, "Agent not found"));
    // No retries and no sleeps: an unreachable server is one quick failure.
    server
        .get("/agents/{agent_id}")
        .respond(Canned::unavailable());

    let client = server.client();
    assert_eq!(app::describe(&client, "writer").await, "writer: Writer");
    assert_eq!(
        app::describe(&client, "ghost").await,
        "no agent ghost: Agent not found"
    );
    assert!(
        app::describe(&client, "writer")
            .await
            .starts_with("AgentOS failed: AgentOS at http://agentos.test is unavailable")
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn reads_typed_team_members() {
    let mut team = TeamResponse::new("crew");
    team.members = Some(vec![
        AgentResponse::new("writer").into(),
        TeamMember::from(TeamResponse::new("reviewers")),
    ]);
    let server = MockServer::new();
    server.get("/teams/{team_id}").respond(Canned::json(&team));
    let members = app::team_members(&server.client(), "crew").await.unwrap();
    assert_eq!(members, ["writer", "reviewers"]);
}

#[tokio::test]
async fn a_call_the_script_did_not_expect_is_reported_with_the_calls_seen() {
    let server = MockServer::new();
    server
        .get("/teams/{team_id}")
        .respond(Canned::json(&TeamResponse::new("crew")));
    // The app reads the config, which the script does not expect: the call fails with a
    // message naming it, and the test fails when `server` is dropped (or, as here, finished).
    let err = app::agent_ids(&server.client()).await.unwrap_err();
    // The error is a transport error; its cause is the mock's report.
    let message = std::error::Error::source(&err)
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        message.contains("unexpected request #1: GET /config"),
        "{message}"
    );
    let report = server.finish().unwrap_err();
    assert!(
        report.contains("still scripted:\n  GET /teams/{team_id}"),
        "{report}"
    );
}
