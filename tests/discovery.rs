//! Integration tests of discovery against the real AgentOS: every discovery endpoint, and
//! security-key authentication on the secured instance.

mod common;

use agentos::{AgentOsClient, AuthMode, Error, StepKind, TeamMember};

#[tokio::test]
async fn health_and_info() {
    let client = common::client();
    let health = client.health().await.unwrap();
    assert_eq!(health.status, "ok");
    assert!(health.instantiated_at.is_some());

    let info = client.info().await.unwrap();
    let expected = std::env::var("AGNO_VERSION").unwrap_or_else(|_| "3.1.10".to_owned());
    assert_eq!(info.agno_version.as_deref(), Some(expected.as_str()));
    let version = client.server_version().await.unwrap();
    assert_eq!(version.agno_version.as_deref(), Some(expected.as_str()));
    assert_eq!(version.is_supported(), Some(true));
    // `os_id` and `name` came to `/info` in agno 2.7.2.
    if version.at_least("2.7.2") == Some(true) {
        assert!(!info.os_id.is_empty());
    }
    assert_eq!(info.auth_mode, Some(AuthMode::None));
    assert!(info.agent_count.unwrap_or(0) >= 1);
}

#[tokio::test]
async fn config_lists_the_fixture_components() {
    let config = common::client().get_config().await.unwrap();
    let agents: Vec<_> = config.agents.iter().map(|a| a.id.as_str()).collect();
    assert!(agents.contains(&"echo-agent"), "{agents:?}");
    assert!(config.teams.iter().any(|t| t.id == "echo-team"));
    assert!(config.workflows.iter().any(|w| w.id == "echo-workflow"));
    assert!(!config.databases.is_empty());
}

#[tokio::test]
async fn agents_teams_and_workflows_are_listed_and_read() {
    let client = common::client();
    let agents = client.list_agents().await.unwrap();
    assert!(agents.iter().any(|a| a.id == "echo-agent"));
    let agent = client.get_agent("echo-agent").await.unwrap();
    assert_eq!(agent.id, "echo-agent");
    assert!(agent.model.is_some());

    let teams = client.list_teams().await.unwrap();
    assert!(teams.iter().any(|t| t.id == "echo-team"));
    let team = client.get_team("echo-team").await.unwrap();
    // The members are typed: two agents, with their ids and what the SDK does not model
    // kept in `extra`.
    let members = team.members.as_deref().unwrap_or_default();
    let ids: Vec<&str> = members.iter().map(TeamMember::id).collect();
    assert_eq!(ids, ["member-one", "member-two"], "{members:?}");
    let first = members[0].as_agent().expect("an agent member");
    assert_eq!(first.name.as_deref(), Some("Member One"));
    assert!(first.extra.contains_key("role") || first.role.is_some());

    let workflows = client.list_workflows().await.unwrap();
    assert!(workflows.iter().any(|w| w.id == "echo-workflow"));
    let workflow = client.get_workflow("echo-workflow").await.unwrap();
    assert_eq!(workflow.id, "echo-workflow");
    // The steps are typed: two agent steps, in order.
    let steps = workflow.steps.as_deref().unwrap_or_default();
    let names: Vec<_> = steps.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(names, [Some("step-one"), Some("step-two")], "{steps:?}");
    assert!(steps.iter().all(|s| s.kind == StepKind::Step));
    let agent = steps[0].agent.as_ref().expect("step-one runs an agent");
    assert_eq!(agent.id, "step-one-agent");
}

#[tokio::test]
async fn a_mistaken_id_is_a_decode_error_not_an_empty_agent() {
    // `..` resolves to the root document on the server side only if the SDK let it through;
    // either way the answer is not an agent: a 404, or a decode error that keeps the body.
    // What must never happen is an `AgentResponse` with every field empty.
    let client = common::client();
    for id in ["..", "."] {
        match client.get_agent(id).await {
            Err(Error::Decode { body, .. }) => assert!(!body.is_empty()),
            Err(e) => assert!(
                e.status().is_some() || matches!(e, Error::InvalidRequest(_)),
                "{e:?}"
            ),
            Ok(agent) => panic!("{id:?} decoded as an agent: {agent:?}"),
        }
    }
}

#[tokio::test]
async fn unknown_components_are_404_with_the_detail() {
    let client = common::client();
    let e = client.get_agent("no-such-agent").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.http().unwrap().message().unwrap().contains("not found"));
    assert!(
        client
            .get_team("no-such-team")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .get_workflow("no-such-workflow")
            .await
            .unwrap_err()
            .is_not_found()
    );
    // An id that tries to escape its path segment never reaches another route: it is
    // refused before sending (`/` and `..` could not name an agent anyway).
    let e = client.get_agent("../config").await.unwrap_err();
    assert!(
        matches!(&e, agentos::Error::InvalidRequest(m) if m.contains("agent_id")),
        "{e:?}"
    );
}

#[tokio::test]
async fn migrate_database_reaches_the_server() {
    let client = common::client();
    let config = client.get_config().await.unwrap();
    let db_id = config
        .databases
        .first()
        .expect("the fixture has a database")
        .clone();
    let done = client.migrate_database(&db_id).await.unwrap();
    assert!(done.message.is_some(), "{done:?}");
    let e = client.migrate_database("no-such-db").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let all = client.migrate_all_databases().await.unwrap();
    assert!(all.message.is_some(), "{all:?}");
}

#[tokio::test]
async fn the_secured_instance_wants_its_key() {
    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    // /health and /info never need auth; /info says how to authenticate.
    assert_eq!(anonymous.health().await.unwrap().status, "ok");
    let info = anonymous.info().await.unwrap();
    assert_eq!(info.auth_mode, Some(AuthMode::SecurityKey));

    let e = anonymous.get_config().await.unwrap_err();
    assert!(e.is_unauthorized(), "{e:?}");
    assert!(e.http().unwrap().message().is_some());

    let wrong = AgentOsClient::builder()
        .base_url(common::secured_url())
        .bearer_token("not-the-key")
        .build()
        .unwrap();
    assert!(wrong.list_agents().await.unwrap_err().is_unauthorized());

    let client = common::secured_client();
    let config = client.get_config().await.unwrap();
    assert!(config.agents.iter().any(|a| a.id == "echo-agent"));
    assert!(!client.list_agents().await.unwrap().is_empty());

    // The key can also be given on one call only.
    let agents = anonymous
        .list_agents()
        .header(
            "Authorization",
            format!("Bearer {}", common::security_key()),
        )
        .await
        .unwrap();
    assert!(!agents.is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_a_typed_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = AgentOsClient::new(format!("http://127.0.0.1:{port}")).unwrap();
    let e = client.get_config().await.unwrap_err();
    assert!(matches!(e, Error::RemoteServerUnavailable { .. }), "{e:?}");
}
