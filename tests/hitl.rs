//! Integration tests of the human-in-the-loop continue flow against the real AgentOS (agno
//! with the fake model): `continue_run(&paused)` / `continue_run_stream(&paused)` from a paused
//! output or a paused event, for agents, teams and workflows, and a run paused for an admin
//! approval. Each test works on its own sessions (`common::unique`).

mod common;
#[path = "common/runs.rs"]
mod run_helpers;

use agentos::Error;
use agentos::approvals::{ApprovalDecision, ApprovalsExt};
use agentos::runs::*;
use futures::StreamExt;

/// Runs `hitl-agent` with a tool marker in a session of its own; the run pauses.
async fn paused_agent(client: &agentos::AgentOsClient, marker: &str) -> RunOutput {
    run_helpers::paused_agent(client, marker, &common::unique("s-hitl2")).await
}

/// Reads a stream to its end and gives the event `pick` finds (the last one).
async fn find<E: StreamEvent, T>(mut stream: RunStream<E>, pick: impl Fn(E) -> Option<T>) -> T {
    let mut found = None;
    while let Some(ev) = stream.next().await {
        found = pick(ev.unwrap()).or(found);
    }
    found.expect("the event")
}

fn call_id(out: &RunOutput) -> String {
    out.tools.as_ref().unwrap()[0].tool_call_id.clone().unwrap()
}

#[tokio::test]
async fn an_agent_run_is_confirmed_rejected_given_a_result_and_input() {
    let client = common::client();

    let out = paused_agent(&client, "[tool:confirm_tool {\"action\": \"ship\"}]").await;
    let done = client
        .continue_run(&out)
        .confirm_all()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed));
    assert_eq!(
        done.content_text(),
        "Tool result: confirm_tool performed: ship"
    );

    // Rejected with a note, streamed: the tool does not run and the note is stored.
    let out = paused_agent(&client, "[tool:confirm_tool]").await;
    let done = client
        .continue_run_stream(&out)
        .reject(&call_id(&out), "not today")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed));
    assert!(
        !done.content_text().contains("performed"),
        "{}",
        done.content_text()
    );
    let stored = client
        .get_agent_run(
            "hitl-agent",
            out.run_id.as_deref().unwrap(),
            out.session_id.as_deref().unwrap(),
        )
        .await
        .unwrap();
    let tool = &stored.tools.unwrap()[0];
    assert_eq!(tool.confirmed, Some(false));
    assert_eq!(tool.confirmation_note.as_deref(), Some("not today"));

    let out = paused_agent(&client, "[tool:external_tool {\"command\": \"ls\"}]").await;
    let done = client
        .continue_run(&out)
        .result(&call_id(&out), "file-a file-b")
        .await
        .unwrap();
    assert_eq!(done.content_text(), "Tool result: file-a file-b");

    let out = paused_agent(&client, "[tool:user_input_tool]").await;
    let done = client
        .continue_run(&out)
        .input("city", "Lisbon")
        .await
        .unwrap();
    assert_eq!(
        done.content_text(),
        "Tool result: user_input_tool planned a trip to Lisbon"
    );
}

#[tokio::test]
async fn an_unresolved_continue_is_refused_and_the_run_stays_paused() {
    let client = common::client();
    let out = paused_agent(&client, "[tool:external_tool]").await;
    let e = client.continue_run(&out).confirm_all().await.unwrap_err();
    let Error::InvalidRequest(msg) = &e else {
        panic!("{e:?}")
    };
    assert!(
        msg.contains(&call_id(&out)) && msg.contains("external_tool"),
        "{msg}"
    );
    let stored = client
        .get_agent_run(
            "hitl-agent",
            out.run_id.as_deref().unwrap(),
            out.session_id.as_deref().unwrap(),
        )
        .await
        .unwrap();
    assert!(stored.is_paused(), "nothing was sent: {stored:?}");
}

#[tokio::test]
async fn an_agent_run_continues_from_its_paused_event() {
    let client = common::client();
    let stream = client
        .run_agent_stream("hitl-agent", "[tool:confirm_tool {\"action\": \"go\"}]")
        .session_id(common::unique("s-hitl2"))
        .await
        .unwrap();
    let paused = find(stream, |ev| match ev {
        AgentRunEvent::RunPaused(p) => Some(p),
        _ => None,
    })
    .await;
    let done = client.continue_run(&paused).confirm_all().await.unwrap();
    assert_eq!(
        done.content_text(),
        "Tool result: confirm_tool performed: go"
    );
}

#[tokio::test]
async fn a_team_run_is_confirmed_from_its_output_and_rejected_from_its_paused_event() {
    let client = common::client();
    let out = client
        .run_team("echo-team", "[tool:confirm_tool {\"action\": \"merge\"}]")
        .session_id(common::unique("s-team-hitl2"))
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let done = client.continue_run(&out).confirm_all().await.unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        done.content_text()
            .contains("confirm_tool performed: merge")
    );

    let stream = client
        .run_team_stream(
            "echo-team",
            "[tool:external_tool {\"command\": \"uptime\"}]",
        )
        .session_id(common::unique("s-team-hitl2"))
        .await
        .unwrap();
    let paused = find(stream, |ev| match ev {
        TeamRunEvent::TeamRunPaused(p) => Some(p),
        _ => None,
    })
    .await;
    let id = paused.requirements.as_ref().unwrap()[0]
        .tool_execution
        .as_ref()
        .unwrap()
        .tool_call_id
        .clone()
        .unwrap();
    let done = client
        .continue_run_stream(&paused)
        .result(&id, "up 3 days")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        done.content_text().contains("up 3 days"),
        "{}",
        done.content_text()
    );

    let out = client
        .run_team("echo-team", "[tool:user_input_tool]")
        .session_id(common::unique("s-team-hitl2"))
        .await
        .unwrap();
    let done = client
        .continue_run(&out)
        .input("city", "Oslo")
        .await
        .unwrap();
    assert!(
        done.content_text().contains("planned a trip to Oslo"),
        "{}",
        done.content_text()
    );
}

#[tokio::test]
async fn a_workflow_step_is_confirmed_or_rejected() {
    let client = common::client();
    let out = client
        .run_workflow("confirm-workflow", "draft one")
        .session_id(common::unique("s-wf-hitl2"))
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let done = client.continue_run(&out).confirm("publish").await.unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert_eq!(done.step_results.as_ref().map(Vec::len), Some(2));

    let stream = client
        .run_workflow_stream("confirm-workflow", "draft two")
        .session_id(common::unique("s-wf-hitl2"))
        .await
        .unwrap();
    let paused = find(stream, |ev| match ev {
        WorkflowRunEvent::WorkflowPaused(p) => Some(p),
        _ => None,
    })
    .await;
    let done = client
        .continue_run_stream(&paused)
        .reject("publish", "not good enough")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert_eq!(
        done.content_text(),
        "Echo: draft two",
        "the publish step was skipped"
    );
}

#[tokio::test]
async fn a_run_paused_for_an_admin_approval_continues_with_the_decision() {
    let client = common::client();
    let out = client
        .run_agent(
            "knowledge-agent",
            "please [tool:approval_tool {\"action\": \"rotate-keys\"}]",
        )
        .session_id(common::unique("s-apr"))
        .user_id(common::unique("u-apr"))
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let approval_id = out.tools.as_ref().unwrap()[0]
        .admin_approval_id()
        .expect("an approval-gated call")
        .to_owned();
    // confirm_all leaves the gated call to the approval: nothing else is pending.
    let e = client.continue_run(&out).confirm_all().await.unwrap_err();
    assert_eq!(
        e.status().map(|s| s.as_u16()),
        Some(400),
        "pending approval: {e:?}"
    );
    client
        .resolve_approval(&approval_id, ApprovalDecision::Approved)
        .resolved_by("hitl-test")
        .await
        .unwrap();
    let done = client
        .continue_run(&out)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        done.content_text()
            .contains("approval_tool performed: rotate-keys"),
        "the approved tool ran: {}",
        done.content_text()
    );
}
