//! The types of the approval routes. Timestamps are epoch seconds on the wire.

use agentos_core::Timestamp;
use agentos_core::kit::de::empty_as_none;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

agentos_core::open_enum! {
    /// The state of an approval.
    pub enum ApprovalStatus {
        /// Waiting for an administrator.
        Pending = "pending",
        /// Approved: the paused run can continue and the tool runs.
        Approved = "approved",
        /// Rejected: the paused run can continue and the tool is rejected.
        Rejected = "rejected",
        /// Expired before anyone resolved it.
        Expired = "expired",
        /// Cancelled.
        Cancelled = "cancelled",
    }
}

agentos_core::open_enum! {
    /// The kind of approval a tool asks for (`@approval(type=...)`).
    pub enum ApprovalType {
        /// Blocking: the run stays paused until the approval is resolved.
        Required = "required",
        /// Non-blocking: an audit record written after the human-in-the-loop step.
        Audit = "audit",
    }
}

/// The decision that resolves an approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalDecision {
    /// Approve: the tool runs when the run continues.
    Approved,
    /// Reject: the tool is rejected when the run continues.
    Rejected,
}

impl ApprovalDecision {
    /// `approved` or `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalDecision::Approved => "approved",
            ApprovalDecision::Rejected => "rejected",
        }
    }
}

/// An approval (`ApprovalResponse`): a paused run waiting for an administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalResponse {
    /// The approval id.
    pub id: String,
    /// The paused run.
    pub run_id: String,
    /// The session of that run.
    #[serde(default)]
    pub session_id: String,
    /// The state.
    pub status: ApprovalStatus,
    /// What paused: `agent`, `team` or `workflow`.
    #[serde(default)]
    pub source_type: String,
    /// Blocking (`required`) or `audit`.
    pub approval_type: Option<ApprovalType>,
    /// Why the run paused: `confirmation`, `user_input` or `external_execution`.
    pub pause_type: Option<String>,
    /// The tool that needs the approval.
    pub tool_name: Option<String>,
    /// Its arguments.
    pub tool_args: Option<Map<String, Value>>,
    /// When it expires, if it does.
    pub expires_at: Option<Timestamp>,
    /// The agent that paused.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub agent_id: Option<String>,
    /// The team that paused.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub team_id: Option<String>,
    /// The workflow that paused.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub workflow_id: Option<String>,
    /// The user whose run it is (the requester, not the approver).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub user_id: Option<String>,
    /// The schedule that started the run, if one did.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub schedule_id: Option<String>,
    /// The schedule execution that started the run.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub schedule_run_id: Option<String>,
    /// The name of the agent, team or workflow.
    pub source_name: Option<String>,
    /// The run's requirements (`RunRequirement` objects) at the pause.
    pub requirements: Option<Vec<Value>>,
    /// Context for the approver (e.g. `tool_names`).
    pub context: Option<Map<String, Value>>,
    /// What the approver sent with the decision (e.g. user input values, an external result).
    pub resolution_data: Option<Map<String, Value>>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// When it was resolved.
    pub resolved_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// The status of the run now (`PAUSED`, `COMPLETED`, ...), read when the answer was made;
    /// tells whether the run has been continued.
    pub run_status: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The lightweight status of an approval, for polling (`ApprovalStatusResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalStatusResponse {
    /// The approval id.
    pub approval_id: String,
    /// The state.
    pub status: ApprovalStatus,
    /// The paused run.
    #[serde(default)]
    pub run_id: String,
    /// When it was resolved.
    pub resolved_at: Option<Timestamp>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn approval_decodes_and_keeps_unknown_values() {
        let a: ApprovalResponse = serde_json::from_value(json!({
            "id": "a1", "run_id": "r1", "session_id": "s1", "status": "escalated",
            "source_type": "agent", "approval_type": "required", "pause_type": "confirmation",
            "tool_name": "approval_tool", "tool_args": {"action": "deploy"}, "expires_at": null,
            "agent_id": "knowledge-agent", "user_id": "", "requirements": [{"id": "q"}],
            "context": {"tool_names": ["approval_tool"]}, "created_at": 1795896509,
            "run_status": "PAUSED", "brand_new": 1
        }))
        .unwrap();
        assert_eq!(a.status, ApprovalStatus::Unknown("escalated".into()));
        assert_eq!(a.approval_type, Some(ApprovalType::Required));
        assert_eq!(a.tool_args.unwrap()["action"], "deploy");
        assert_eq!(a.user_id, None);
        assert_eq!(a.run_status.as_deref(), Some("PAUSED"));
        assert_eq!(a.extra["brand_new"], 1);
    }

    #[test]
    fn decisions_serialize_lowercase() {
        assert_eq!(
            serde_json::to_value(ApprovalDecision::Rejected).unwrap(),
            json!("rejected")
        );
        assert_eq!(ApprovalDecision::Approved.as_str(), "approved");
    }
}
