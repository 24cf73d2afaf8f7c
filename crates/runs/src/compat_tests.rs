//! Streams of older agno servers (2.5.x, 2.6.x) against a scripted server.

use agentos_core::{AgentOsClient, Error};
use agentos_hostile::{HostileServer, Reply, http_response, sse_head};

use crate::*;

#[tokio::test]
async fn a_paused_workflow_stream_of_agno_2_6_ends_paused_not_truncated() {
    let server = HostileServer::start(|_, _| {
        Reply::new()
            .write(sse_head())
            .write(
                "event: WorkflowStarted\ndata: {\"event\":\"WorkflowStarted\",\"run_id\":\"w1\",\"session_id\":\"s1\"}\n\n",
            )
            .write(
                "event: StepPaused\ndata: {\"event\":\"StepPaused\",\"run_id\":\"w1\",\"session_id\":\"s1\",\"step_name\":\"review\"}\n\n",
            )
            // agno <= 2.6.12: no WorkflowPaused, the run's output with status PAUSED (no `event` key).
            .write(
                "event: WorkflowRunOutput\ndata: {\"run_id\":\"w1\",\"session_id\":\"s1\",\"status\":\"PAUSED\",\"step_requirements\":[{\"step_name\":\"review\",\"requires_confirmation\":true}]}\n\n",
            )
    })
    .await;
    let client = AgentOsClient::new(server.url()).unwrap();
    let out = client
        .run_workflow_stream("wf", "go")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Paused));
    assert_eq!(out.run_id.as_deref(), Some("w1"));
}

#[tokio::test]
async fn a_background_stream_answered_202_json_is_not_supported_not_truncated() {
    let server = HostileServer::start(|r, _| {
        if r.path() == "/info" {
            return Reply::new().write(http_response("200 OK", &[], r#"{"agno_version":"2.5.9"}"#));
        }
        Reply::new().write(http_response(
            "202 Accepted",
            &[],
            r#"{"run_id":"r1","status":"PENDING"}"#,
        ))
    })
    .await;
    let client = AgentOsClient::new(server.url()).unwrap();
    let err = client
        .run_agent_stream("a", "hi")
        .background()
        .await
        .unwrap_err();
    match &err {
        Error::NotSupported {
            server_version,
            needs,
            ..
        } => {
            assert_eq!(server_version.as_deref(), Some("2.5.9"));
            assert_eq!(needs, "2.6.0");
        }
        other => panic!("{other:?}"),
    }
}
