//! The test kit for applications (`mock::MockServer`): ordered scripts matched on method and
//! route template, canned answers from the SDK's types, no retries or sleeps unless asked,
//! and failure messages that list the calls seen.
#![cfg(feature = "mock")]

use std::time::Duration;

use agentos_core::mock::{self, Canned, MockServer};
use agentos_core::{AgentResponse, ConfigResponse, Error, RetryPolicy, WorkflowSummary};
use serde_json::json;

/// The message of a panic, for asserting on it.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// The mock's report of a refused request: the cause of the `Error::Transport` it fails with
/// (the error's own text is "transport error"; its cause is printed once, by whoever walks
/// the chain).
fn report(e: &Error) -> String {
    std::error::Error::source(e)
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[tokio::test]
async fn answers_in_order_matching_route_templates_and_concrete_paths() {
    let server = MockServer::new();
    let mut config = ConfigResponse::new("test-os");
    config.workflows.push(WorkflowSummary::new("wf"));
    server.get("/config").respond(Canned::json(&config));
    server
        .get("/agents/{agent_id}")
        .respond(Canned::json(&AgentResponse::new("a1")));
    // The concrete path matches too; percent-encoding is undone before comparing.
    server
        .get("/agents/with space")
        .respond(Canned::json(&AgentResponse::new("with space")));
    server
        .get("/agents/{agent_id}")
        .when("the id is a3", |req| mock::path(req).ends_with("/a3"))
        .times(2)
        .respond(Canned::json(&AgentResponse::new("a3")));

    let client = server.client();
    assert_eq!(client.get_config().await.unwrap(), config);
    assert_eq!(client.get_agent("a1").await.unwrap().id, "a1");
    assert_eq!(
        client.get_agent("with space").await.unwrap().id,
        "with space"
    );
    assert_eq!(client.get_agent("a3").await.unwrap().id, "a3");
    assert_eq!(client.get_agent("a3").await.unwrap().id, "a3");
    let seen = server.requests();
    assert_eq!(seen.len(), 5);
    assert_eq!(seen[1].route, "/agents/{agent_id}");
    assert_eq!(mock::path(&seen[1]), "/agents/a1");
    server.verify();
}

#[tokio::test]
async fn a_request_out_of_order_fails_the_call_and_names_every_call() {
    let server = MockServer::new();
    server
        .get("/config")
        .respond(Canned::json(&ConfigResponse::new("os")));
    server
        .get("/teams/{team_id}")
        .respond(Canned::error(404, "Team not found"));
    let client = server.client();

    // Not the next one: the method matches, the route does not.
    let e = client.get_agent("a1").await.unwrap_err();
    let Error::Transport(source) = &e else {
        panic!("not a transport error: {e:?}")
    };
    let message = source.to_string();
    assert!(
        message.contains("unexpected request #1: GET /agents/{agent_id} (/agents/a1)"),
        "{message}"
    );
    assert!(message.contains("expected GET /config"), "{message}");
    assert!(message.contains("#1 GET /agents/{agent_id} (/agents/a1) -> NOT in the script"));
    assert!(message.contains("still scripted:\n  GET /config\n  GET /teams/{team_id}"));
    // The same method on the right route, in order, is answered; a wrong method is not.
    client.get_config().await.unwrap();
    let e = client.migrate_database("x").await.unwrap_err();
    let message = report(&e);
    assert!(
        message.contains("POST /databases/{db_id}/migrate"),
        "{message}"
    );
    assert!(
        message.contains("expected GET /teams/{team_id}"),
        "{message}"
    );
    let e = client.get_team("t").await.unwrap_err();
    assert_eq!(e.server_message().as_deref(), Some("Team not found"));
    // Once a request was refused, the server fails the test even if the app swallowed the
    // error; `finish` reports it without panicking.
    let report = server.finish().unwrap_err();
    assert!(report.contains("unexpected request #1"), "{report}");
}

#[tokio::test]
async fn an_unconsumed_script_fails_on_drop_with_the_calls_seen() {
    let server = MockServer::new();
    server
        .get("/health")
        .respond(Canned::json(&json!({"status": "ok"})));
    server
        .get("/config")
        .respond(Canned::json(&ConfigResponse::new("os")));
    server.client().health().await.unwrap();
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(server)))
        .expect_err("dropping an unfinished script panics");
    let message = panic_message(payload);
    assert!(
        message.contains("1 scripted answer(s) never requested"),
        "{message}"
    );
    assert!(message.contains("#1 GET /health -> answered"), "{message}");
    assert!(
        message.contains("still scripted:\n  GET /config"),
        "{message}"
    );

    // Extra calls after the script is used up are reported the same way.
    let server = MockServer::new();
    let e = server.client().health().await.unwrap_err();
    let message = report(&e);
    assert!(message.contains("the script is used up"), "{message}");
    assert!(server.finish().is_err());
}

/// In paused time every sleep advances the clock at once, so a clock that did not move proves
/// that no sleep happened at all (not only a short one).
#[tokio::test(start_paused = true)]
async fn no_retries_and_no_sleeps_by_default() {
    let server = MockServer::new();
    server
        .get("/config")
        .respond(Canned::error(503, "busy").header("retry-after", "30"));
    server.get("/config").respond(Canned::unavailable());
    let client = server.client();
    let start = tokio::time::Instant::now();
    let e = client.get_config().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    let e = client.get_config().await.unwrap_err();
    assert!(matches!(e, Error::RemoteServerUnavailable { .. }), "{e:?}");
    assert_eq!(start.elapsed(), Duration::ZERO, "the client slept");
    assert_eq!(server.requests().len(), 2, "one request per call");
}

#[tokio::test(start_paused = true)]
async fn retries_when_asked() {
    let server = MockServer::new();
    server
        .get("/config")
        .times(2)
        .respond(Canned::error(503, "busy"));
    server
        .get("/config")
        .respond(Canned::json(&ConfigResponse::new("os")));
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    assert_eq!(client.get_config().await.unwrap().os_id, "os");
    assert_eq!(server.requests().len(), 3);
    assert!(
        start.elapsed() > Duration::ZERO,
        "the backoff slept (in paused time)"
    );
}

#[tokio::test]
async fn canned_events_are_frames_the_client_reads_back() {
    let server = MockServer::new();
    server
        .post("/agents/{agent_id}/runs")
        .respond(Canned::events([
            json!({"event": "RunStarted", "data": {"run_id": "r1"}}),
            json!({"event": "RunContent", "run_id": "r1", "content": "Hi"}),
        ]));
    let client = server.client();
    let response = client
        .execute(agentos_core::Request::post("/agents/{agent_id}/runs", &["a"]).unwrap())
        .await
        .unwrap();
    let text = String::from_utf8(response.body.to_vec()).unwrap();
    assert_eq!(
        text,
        "event: RunStarted\ndata: {\"run_id\":\"r1\"}\n\n\
         event: RunContent\ndata: {\"content\":\"Hi\",\"event\":\"RunContent\",\"run_id\":\"r1\"}\n\n"
    );
    let payload = std::panic::catch_unwind(|| Canned::events([json!({"data": 1})]))
        .expect_err("an event without a name is a bug in the test");
    assert!(panic_message(payload).contains("no `event` name"));
}
