//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use agentos_core::Error;
use agentos_core::http::Method;
use agentos_core::mock::{self};
use futures::TryStreamExt;
use serde_json::json;

use crate::{ApprovalDecision, ApprovalStatus, ApprovalType, ApprovalsExt};
use agentos_core::mock::{never_called as silent, path, query, recording};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn approval_json(id: &str, status: &str) -> serde_json::Value {
    json!({
        "id": id, "run_id": "r1", "session_id": "s1", "status": status, "source_type": "agent",
        "approval_type": "required", "pause_type": "confirmation", "tool_name": "approval_tool",
        "tool_args": {"action": "deploy"}, "agent_id": "a1", "user_id": "u1",
        "created_at": 1795896509, "run_status": "PAUSED"
    })
}

#[tokio::test]
async fn list_sends_every_filter_and_streams_pages() {
    let (client, seen) = recording(|req| {
        let page: u32 = mock::query_value(req, "page").unwrap_or(1);
        mock::json(
            200,
            json!({
                "data": [approval_json(&format!("a{page}"), "pending")],
                "meta": {"page": page, "limit": 1, "total_pages": 2, "total_count": 2}
            }),
        )
    });
    let page = client
        .list_approvals()
        .status(ApprovalStatus::Pending)
        .source_type("agent")
        .approval_type(ApprovalType::Required)
        .pause_type("confirmation")
        .agent_id("a1")
        .team_id("t1")
        .workflow_id("w1")
        .user_id("u 1")
        .schedule_id("s1")
        .run_id("r1")
        .limit(1)
        .page(1)
        .await
        .unwrap();
    assert_eq!(page.data[0].status, ApprovalStatus::Pending);
    let all: Vec<_> = client
        .list_approvals()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["a1", "a2"]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/approvals");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("status", "pending"),
            ("source_type", "agent"),
            ("approval_type", "required"),
            ("pause_type", "confirmation"),
            ("agent_id", "a1"),
            ("team_id", "t1"),
            ("workflow_id", "w1"),
            ("user_id", "u 1"),
            ("schedule_id", "s1"),
            ("run_id", "r1"),
            ("limit", "1"),
            ("page", "1"),
        ])
    );
    assert_eq!(seen.len(), 3);
}

#[tokio::test]
async fn count_status_get_and_delete() {
    let (client, seen) = recording(|req| {
        let p = path(req);
        if p == "/approvals/count" {
            mock::json(200, json!({"count": 3}))
        } else if p.ends_with("/status") {
            mock::json(
                200,
                json!({"approval_id": "a 1", "status": "approved", "run_id": "r1",
                       "resolved_at": 1795896514, "resolved_by": "admin"}),
            )
        } else if req.method == Method::DELETE {
            mock::empty(204)
        } else {
            mock::json(200, approval_json("a 1", "pending"))
        }
    });
    assert_eq!(client.get_approval_count().user_id("u1").await.unwrap(), 3);
    let status = client.get_approval_status("a 1").await.unwrap();
    assert_eq!(status.status, ApprovalStatus::Approved);
    assert_eq!(status.resolved_at.unwrap().unix_seconds(), 1_795_896_514);
    let a = client.get_approval("a 1").await.unwrap();
    assert_eq!(a.tool_name.as_deref(), Some("approval_tool"));
    client.delete_approval("a 1").await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(query(&seen[0]), pairs(&[("user_id", "u1")]));
    assert_eq!(path(&seen[1]), "/approvals/a%201/status");
    assert_eq!(path(&seen[2]), "/approvals/a%201");
    assert_eq!(seen[3].method, Method::DELETE);
    assert_eq!(path(&seen[3]), "/approvals/a%201");
}

#[tokio::test]
async fn resolve_sends_the_decision_and_data() {
    let (client, seen) = recording(|_| mock::json(200, approval_json("a1", "approved")));
    let a = client
        .resolve_approval("a1", ApprovalDecision::Approved)
        .resolved_by("admin")
        .resolution_data(&json!({"values": {"city": "Lisbon"}}))
        .await
        .unwrap();
    assert_eq!(a.status, ApprovalStatus::Approved);
    client
        .resolve_approval("a1", ApprovalDecision::Rejected)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/approvals/a1/resolve");
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({"status": "approved", "resolved_by": "admin",
               "resolution_data": {"values": {"city": "Lisbon"}}})
    );
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"status": "rejected"})
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let client = silent();
    let e = client
        .resolve_approval("a1", ApprovalDecision::Approved)
        .resolution_data(&json!("not an object"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .resolve_approval("a1", ApprovalDecision::Approved)
        .resolved_by("x".repeat(crate::MAX_RESOLVED_BY_CHARS + 1))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("resolved_by"), "{e}");
    assert!(client.get_approval("").await.is_err());
    assert!(
        client
            .resolve_approval("", ApprovalDecision::Rejected)
            .await
            .is_err()
    );
    assert!(client.list_approvals().page(0).await.is_err());
}

#[tokio::test]
async fn conflicts_and_switched_off_features_map_to_http_errors() {
    let (client, _) = recording(|req| match req.method {
        Method::POST => mock::error(409, "Approval is already 'approved' and cannot be resolved"),
        _ => mock::error(
            503,
            "Approvals not available: pass a `db` to AgentOS to enable this feature.",
        ),
    });
    let e = client
        .resolve_approval("a1", ApprovalDecision::Approved)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409));
    assert!(e.to_string().contains("already"), "{e}");
    let e = client.get_approval_count().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
}
