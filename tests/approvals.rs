//! Integration tests of approvals against the real AgentOS: a run of `knowledge-agent` calls
//! `approval_tool` (an `@approval` tool, `approval_type="required"`), which pauses the run and
//! writes an approval; the tests resolve it and continue the run. Each test works on its own
//! users and sessions (`common::unique`), so the tests run in parallel against one shared
//! server. Runs are started and continued with plain form requests (no runs crate).

mod common;

use std::collections::HashSet;

use agentos::approvals::{ApprovalDecision, ApprovalStatus, ApprovalType, ApprovalsExt};
use agentos::{AgentOsClient, Error, Form, Request, Result};
use futures::TryStreamExt;
use serde_json::{Value, json};

const AGENT: &str = "knowledge-agent";

/// Starts a non-streamed run whose model call asks for `approval_tool`; it pauses.
async fn paused_run(client: &AgentOsClient, user: &str, session: &str, action: &str) -> Value {
    let mut form = Form::new();
    form.text(
        "message",
        format!("please [tool:approval_tool {{\"action\": \"{action}\"}}]"),
    )
    .text("session_id", session)
    .text("user_id", user)
    .bool("stream", false);
    let req = Request::post("/agents/{agent_id}/runs", &[AGENT])
        .unwrap()
        .form(form);
    let run: Value = client.execute(req).await.unwrap().json().unwrap();
    assert_eq!(run["status"], "PAUSED", "{run}");
    run
}

/// Continues a paused run without tool results (the approval decides).
async fn continue_run(client: &AgentOsClient, run_id: &str, session: &str) -> Result<Value> {
    let mut form = Form::new();
    form.text("session_id", session).bool("stream", false);
    let req = Request::post(
        "/agents/{agent_id}/runs/{run_id}/continue",
        &[AGENT, run_id],
    )?
    .form(form);
    client.execute(req).await?.json()
}

/// Reads the stored run.
async fn stored_run(client: &AgentOsClient, run_id: &str, session: &str) -> Value {
    let req = Request::get("/agents/{agent_id}/runs/{run_id}", &[AGENT, run_id])
        .unwrap()
        .query("session_id", session);
    client.execute(req).await.unwrap().json().unwrap()
}

#[tokio::test]
async fn an_approval_pauses_a_run_is_resolved_and_the_run_continues() {
    let client = common::client();
    let user = common::unique("appr-user");
    let session = common::unique("appr-session");
    let action = common::unique("deploy");

    let run = paused_run(&client, &user, &session, &action).await;
    let run_id = run["run_id"].as_str().unwrap().to_owned();
    let approval_id = run["tools"][0]["approval_id"]
        .as_str()
        .expect("the paused tool names its approval")
        .to_owned();

    // The approval the pause wrote, as every read route shows it.
    let listed = client.list_approvals().user_id(&user).await.unwrap();
    assert_eq!(listed.data.len(), 1);
    let approval = &listed.data[0];
    assert_eq!(approval.id, approval_id);
    assert_eq!(approval.run_id, run_id);
    assert_eq!(approval.session_id, session);
    assert_eq!(approval.status, ApprovalStatus::Pending);
    assert_eq!(approval.approval_type, Some(ApprovalType::Required));
    assert_eq!(approval.pause_type.as_deref(), Some("confirmation"));
    assert_eq!(approval.source_type, "agent");
    assert_eq!(approval.agent_id.as_deref(), Some(AGENT));
    assert_eq!(approval.user_id.as_deref(), Some(user.as_str()));
    assert_eq!(approval.tool_name.as_deref(), Some("approval_tool"));
    assert_eq!(approval.tool_args.as_ref().unwrap()["action"], action);
    assert_eq!(approval.source_name.as_deref(), Some("Knowledge Agent"));
    assert!(
        approval
            .requirements
            .as_ref()
            .is_some_and(|r| !r.is_empty())
    );
    assert!(approval.resolved_at.is_none());

    let got = client.get_approval(&approval_id).await.unwrap();
    assert_eq!(got.status, ApprovalStatus::Pending);
    assert_eq!(got.run_status.as_deref(), Some("PAUSED"));
    let status = client.get_approval_status(&approval_id).await.unwrap();
    assert_eq!(status.approval_id, approval_id);
    assert_eq!(status.status, ApprovalStatus::Pending);
    assert_eq!(status.run_id, run_id);
    assert_eq!(status.resolved_by, None);
    assert_eq!(client.get_approval_count().user_id(&user).await.unwrap(), 1);
    assert!(client.get_approval_count().await.unwrap() >= 1);

    for filtered in [
        client.list_approvals().run_id(&run_id),
        client
            .list_approvals()
            .user_id(&user)
            .status(ApprovalStatus::Pending)
            .approval_type(ApprovalType::Required)
            .pause_type("confirmation")
            .source_type("agent")
            .agent_id(AGENT),
    ] {
        let page = filtered.await.unwrap();
        assert_eq!(
            page.data.iter().map(|a| &a.id).collect::<Vec<_>>(),
            [&approval_id]
        );
    }
    for empty in [
        client
            .list_approvals()
            .user_id(&user)
            .status(ApprovalStatus::Approved),
        client.list_approvals().user_id(&user).team_id("echo-team"),
        client
            .list_approvals()
            .user_id(&user)
            .approval_type(ApprovalType::Audit),
        client
            .list_approvals()
            .user_id(&user)
            .workflow_id("echo-workflow"),
        client
            .list_approvals()
            .user_id(&user)
            .schedule_id("no-schedule"),
    ] {
        assert!(empty.await.unwrap().data.is_empty());
    }

    // While the approval is pending, the run cannot go on.
    let e = continue_run(&client, &run_id, &session).await.unwrap_err();
    assert!(
        matches!(e.status().map(|s| s.as_u16()), Some(400 | 403)),
        "{e}"
    );
    assert_eq!(
        stored_run(&client, &run_id, &session).await["status"],
        "PAUSED"
    );

    let resolved = client
        .resolve_approval(&approval_id, ApprovalDecision::Approved)
        .resolved_by("integration-admin")
        .resolution_data(&json!({"ticket": "OPS-42"}))
        .await
        .unwrap();
    assert_eq!(resolved.status, ApprovalStatus::Approved);
    assert_eq!(resolved.resolved_by.as_deref(), Some("integration-admin"));
    assert_eq!(
        resolved.resolution_data.as_ref().unwrap()["ticket"],
        "OPS-42"
    );
    assert!(resolved.resolved_at.is_some());

    // Resolving twice is a conflict; the first decision stands.
    let e = client
        .resolve_approval(&approval_id, ApprovalDecision::Rejected)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e}");
    let status = client.get_approval_status(&approval_id).await.unwrap();
    assert_eq!(status.status, ApprovalStatus::Approved);
    assert_eq!(status.resolved_by.as_deref(), Some("integration-admin"));
    assert_eq!(client.get_approval_count().user_id(&user).await.unwrap(), 0);
    let approved = client
        .list_approvals()
        .user_id(&user)
        .status(ApprovalStatus::Approved)
        .await
        .unwrap();
    assert_eq!(approved.data.len(), 1);

    // The run continues and the tool runs.
    let done = continue_run(&client, &run_id, &session).await.unwrap();
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(
        done["content"],
        format!("Tool result: approval_tool performed: {action}")
    );
    assert_eq!(
        stored_run(&client, &run_id, &session).await["status"],
        "COMPLETED"
    );
    let after = client.get_approval(&approval_id).await.unwrap();
    assert_eq!(after.run_status.as_deref(), Some("COMPLETED"));

    client.delete_approval(&approval_id).await.unwrap();
    let e = client.get_approval(&approval_id).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client.get_approval_status(&approval_id).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert!(
        client
            .list_approvals()
            .user_id(&user)
            .await
            .unwrap()
            .data
            .is_empty()
    );
}

#[tokio::test]
async fn a_rejected_approval_rejects_the_tool() {
    let client = common::client();
    let user = common::unique("appr-reject");
    let session = common::unique("appr-reject-session");
    let run = paused_run(&client, &user, &session, "drop-database").await;
    let run_id = run["run_id"].as_str().unwrap().to_owned();
    let approval_id = run["tools"][0]["approval_id"].as_str().unwrap().to_owned();

    let resolved = client
        .resolve_approval(&approval_id, ApprovalDecision::Rejected)
        .await
        .unwrap();
    assert_eq!(resolved.status, ApprovalStatus::Rejected);
    assert_eq!(resolved.resolved_by, None);

    let done = continue_run(&client, &run_id, &session).await.unwrap();
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let content = done["content"].as_str().unwrap();
    assert!(!content.contains("approval_tool performed"), "{content}");
    assert!(content.contains("rejected"), "{content}");
    assert_eq!(
        done["tools"][0]["confirmed"],
        json!(false),
        "the rejection is applied to the tool"
    );
    let rejected = client
        .list_approvals()
        .user_id(&user)
        .status(ApprovalStatus::Rejected)
        .await
        .unwrap();
    assert_eq!(rejected.data.len(), 1);
    client.delete_approval(&approval_id).await.unwrap();
}

#[tokio::test]
async fn approvals_page() {
    let client = common::client();
    let user = common::unique("appr-pages");
    let mut ids = HashSet::new();
    for i in 0..3 {
        let run = paused_run(
            &client,
            &user,
            &common::unique("appr-page"),
            &format!("a{i}"),
        )
        .await;
        ids.insert(run["tools"][0]["approval_id"].as_str().unwrap().to_owned());
    }
    let first = client
        .list_approvals()
        .user_id(&user)
        .limit(2)
        .await
        .unwrap();
    assert_eq!(first.data.len(), 2);
    assert_eq!(first.meta.total_count, Some(3));
    assert_eq!(first.meta.total_pages, Some(2));
    let second = client
        .list_approvals()
        .user_id(&user)
        .limit(2)
        .page(2)
        .await
        .unwrap();
    assert_eq!(second.data.len(), 1);
    let pages: Vec<_> = client
        .list_approvals()
        .user_id(&user)
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let walked: HashSet<_> = client
        .list_approvals()
        .user_id(&user)
        .limit(2)
        .into_stream()
        .map_ok(|a| a.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(walked, ids);
    assert_eq!(client.get_approval_count().user_id(&user).await.unwrap(), 3);
    for id in &ids {
        client.delete_approval(id).await.unwrap();
    }
}

#[tokio::test]
async fn unknown_approvals_and_the_secured_instance() {
    let client = common::client();
    let e = client.get_approval("no-such-approval").await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .resolve_approval("no-such-approval", ApprovalDecision::Approved)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    // agno answers a delete of an unknown approval with 500, not 404.
    let e = client
        .delete_approval("no-such-approval")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Http(_)), "{e:?}");

    let secured = common::secured_client();
    let user = common::unique("appr-secured");
    let session = common::unique("appr-secured-session");
    let run = paused_run(&secured, &user, &session, "secured").await;
    let approval_id = run["tools"][0]["approval_id"].as_str().unwrap().to_owned();
    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    let e = anonymous.get_approval(&approval_id).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    let e = anonymous
        .resolve_approval(&approval_id, ApprovalDecision::Approved)
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    secured
        .resolve_approval(&approval_id, ApprovalDecision::Approved)
        .await
        .unwrap();
    let done = continue_run(&secured, run["run_id"].as_str().unwrap(), &session)
        .await
        .unwrap();
    assert_eq!(done["status"], "COMPLETED", "{done}");
    secured.delete_approval(&approval_id).await.unwrap();
}
