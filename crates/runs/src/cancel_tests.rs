//! `cancel_*_run(..).confirm(..)` against a scripted server: what it asks and when it says
//! the cancel is not confirmed.

use std::time::Duration;

use agentos_core::{AgentOsClient, Error};
use agentos_hostile::{HostileServer, Reply, http_response};

use crate::*;

/// A server that answers the cancel `200 {}` and every read of the run with `status`.
async fn server(status: &'static str) -> HostileServer {
    HostileServer::start(move |r, _| {
        let body = if r.method == "POST" {
            "{}".to_owned()
        } else {
            format!(r#"{{"run_id":"r1","session_id":"s1","status":"{status}"}}"#)
        };
        Reply::new().write(http_response("200 OK", &[], &body))
    })
    .await
}

#[tokio::test]
async fn a_confirmed_cancel_waits_for_the_stored_run_to_show_cancelled() {
    let server = server("CANCELLED").await;
    let client = AgentOsClient::new(server.url()).unwrap();
    client
        .cancel_agent_run("a", "r1")
        .session_id("s1")
        .header("X-Route-Key", "s1")
        .confirm(Duration::from_secs(10))
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received[0].path(), "/agents/a/runs/r1/cancel");
    assert_eq!(received[1].method, "GET");
    assert_eq!(received[1].path(), "/agents/a/runs/r1");
    assert!(received[1].target.contains("session_id=s1"));
    // The call's headers go with the reads too (session routing at a load balancer).
    assert_eq!(received[1].header("x-route-key"), Some("s1"));
}

#[tokio::test]
async fn a_cancel_that_does_not_show_is_reported_not_confirmed() {
    for (status, polls_more) in [("RUNNING", true), ("COMPLETED", false)] {
        let server = server(status).await;
        let client = AgentOsClient::new(server.url()).unwrap();
        let err = tokio::time::timeout(
            Duration::from_secs(20),
            client
                .cancel_team_run("t", "r1")
                .session_id("s1")
                .confirm(Duration::from_millis(1500)),
        )
        .await
        .unwrap()
        .unwrap_err();
        match &err {
            Error::CancelNotConfirmed {
                run_id, status: s, ..
            } => {
                assert_eq!(run_id, "r1");
                assert_eq!(s, status);
            }
            other => panic!("{other:?}"),
        }
        let reads = server
            .received()
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        // A run still going is read again until the wait ends; one that ended is not.
        assert_eq!(reads > 1, polls_more, "{status}: {reads} reads");
    }
}

#[tokio::test]
async fn confirming_needs_the_session_and_a_plain_cancel_does_not_read_the_run() {
    let server = server("RUNNING").await;
    let client = AgentOsClient::new(server.url()).unwrap();
    let err = client
        .cancel_agent_run("a", "r1")
        .confirm(Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.hits(), 0, "nothing is sent");
    client.cancel_agent_run("a", "r1").await.unwrap();
    assert_eq!(server.hits(), 1);
}
