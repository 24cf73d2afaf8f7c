#![cfg_attr(docsrs, feature(doc_cfg))]
//! The approvals area of the AgentOS Rust SDK: [`ApprovalsExt`] adds its calls to
//! [`AgentOsClient`].
//!
//! A tool marked `@approval` (`approval_type="required"`) pauses its run and writes an
//! approval to the OS database. An administrator resolves it here; the run is then continued
//! through the run's `continue` route (with no tool results: the decision is applied by the
//! server). Approvals need an AgentOS with a database (else every route answers 503).
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_approvals::{ApprovalDecision, ApprovalStatus, ApprovalsExt};
//! use serde_json::json;
//!
//! let pending = client.list_approvals().status(ApprovalStatus::Pending).await?;
//! for approval in &pending.data {
//!     client
//!         .resolve_approval(&approval.id, ApprovalDecision::Approved)
//!         .resolved_by("ops-oncall")
//!         .resolution_data(&json!({"ticket": "OPS-42"}))
//!         .await?;
//! }
//! # Ok(()) }
//! ```

mod types;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Response, Result};
use serde::Serialize;
use serde_json::{Map, Value, json};

pub use types::{
    ApprovalDecision, ApprovalResponse, ApprovalStatus, ApprovalStatusResponse, ApprovalType, Extra,
};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    APPROVALS = "/approvals": GET;
    APPROVALS_COUNT = "/approvals/count": GET;
    APPROVALS_APPROVAL_ID = "/approvals/{approval_id}": GET, DELETE;
    APPROVALS_APPROVAL_ID_STATUS = "/approvals/{approval_id}/status": GET;
    APPROVALS_APPROVAL_ID_RESOLVE = "/approvals/{approval_id}/resolve": POST;
}

/// The longest `resolved_by` the server accepts, in characters.
pub const MAX_RESOLVED_BY_CHARS: usize = 255;

agentos_core::call_builder! {
    /// `GET /approvals`, from [`ApprovalsExt::list_approvals`]: one page, or every page as a
    /// stream.
    pub struct ListApprovals => Page<ApprovalResponse>, paged(ApprovalResponse);
}

impl ListApprovals {
    fn filter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.call = self.call.query(name, value.into());
        self
    }

    /// Only approvals in this state. The server knows `pending`, `approved`, `rejected`,
    /// `expired` and `cancelled` (another value answers 422).
    pub fn status(self, status: ApprovalStatus) -> Self {
        self.filter("status", status.as_str())
    }

    /// Only approvals from this kind of source (`agent`, `team`, `workflow`).
    pub fn source_type(self, source_type: impl Into<String>) -> Self {
        self.filter("source_type", source_type)
    }

    /// Only blocking (`required`) or `audit` approvals.
    pub fn approval_type(self, approval_type: ApprovalType) -> Self {
        self.filter("approval_type", approval_type.as_str())
    }

    /// Only approvals of runs paused for this reason (`confirmation`, `user_input`,
    /// `external_execution`).
    pub fn pause_type(self, pause_type: impl Into<String>) -> Self {
        self.filter("pause_type", pause_type)
    }

    /// Only this agent's approvals.
    pub fn agent_id(self, agent_id: impl Into<String>) -> Self {
        self.filter("agent_id", agent_id)
    }

    /// Only this team's approvals.
    pub fn team_id(self, team_id: impl Into<String>) -> Self {
        self.filter("team_id", team_id)
    }

    /// Only this workflow's approvals.
    pub fn workflow_id(self, workflow_id: impl Into<String>) -> Self {
        self.filter("workflow_id", workflow_id)
    }

    /// Only approvals of this user's runs (under user isolation the server uses the caller).
    pub fn user_id(self, user_id: impl Into<String>) -> Self {
        self.filter("user_id", user_id)
    }

    /// Only approvals of runs started by this schedule.
    pub fn schedule_id(self, schedule_id: impl Into<String>) -> Self {
        self.filter("schedule_id", schedule_id)
    }

    /// Only approvals of this run.
    pub fn run_id(self, run_id: impl Into<String>) -> Self {
        self.filter("run_id", run_id)
    }
}

fn decode_count(resp: Response) -> Result<u64> {
    #[derive(serde::Deserialize)]
    struct Count {
        count: u64,
    }
    resp.json::<Count>().map(|c| c.count)
}

agentos_core::call_builder! {
    /// `GET /approvals/count`, from [`ApprovalsExt::get_approval_count`].
    pub struct GetApprovalCount => u64;
}

agentos_core::query_setters!(GetApprovalCount {
    /// Counts only this user's pending approvals.
    user_id,
});

/// `POST /approvals/{approval_id}/resolve`, from [`ApprovalsExt::resolve_approval`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ResolveApproval {
    call: Call<ApprovalResponse>,
    body: Map<String, Value>,
}

impl ResolveApproval {
    /// Who resolved it (at most 255 characters). With a JWT the server records the token's
    /// subject instead.
    pub fn resolved_by(mut self, resolved_by: impl Into<String>) -> Self {
        self.body
            .insert("resolved_by".into(), json!(resolved_by.into()));
        self
    }

    /// Data for the paused tool (a JSON object): on approval, `{"values": {field: value}}`
    /// (or the field values directly) fills a user-input tool, and `{"result": "..."}` is the
    /// result of an external-execution tool.
    pub fn resolution_data<T: Serialize + ?Sized>(mut self, data: &T) -> Self {
        match serde_json::to_value(data) {
            Ok(Value::Object(map)) => {
                self.body
                    .insert("resolution_data".into(), Value::Object(map));
            }
            Ok(_) => {
                self.call = self.call.fail(Error::InvalidRequest(
                    "resolution_data must be a JSON object".into(),
                ));
            }
            Err(e) => {
                self.call = self.call.fail(Error::InvalidRequest(format!(
                    "cannot encode resolution_data as JSON: {e}"
                )));
            }
        }
        self
    }

    fn finish(self) -> Call<ApprovalResponse> {
        let too_long = self
            .body
            .get("resolved_by")
            .and_then(Value::as_str)
            .is_some_and(|s| s.chars().count() > MAX_RESOLVED_BY_CHARS);
        if too_long {
            return self.call.fail(Error::InvalidRequest(format!(
                "resolved_by is longer than {MAX_RESOLVED_BY_CHARS} characters"
            )));
        }
        let body = self.body;
        self.call.try_with_request(|r| r.set_json(&body))
    }
}

agentos_core::impl_call_builder!(ResolveApproval => ApprovalResponse);

agentos_core::seal_extension_traits!();

/// The approval calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait ApprovalsExt: sealed::Sealed {
    /// `GET /approvals`: a page of approvals, filtered by state, kind, source, user, schedule
    /// or run (a caller under user isolation sees only its own); [`ListApprovals::into_stream`]
    /// walks every page.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::{ApprovalStatus, ApprovalType, ApprovalsExt};
    /// let page = client
    ///     .list_approvals()
    ///     .status(ApprovalStatus::Pending)
    ///     .approval_type(ApprovalType::Required)
    ///     .agent_id("deploy-agent")
    ///     .limit(20)
    ///     .await?;
    /// for a in &page.data {
    ///     println!("{} wants {:?}({:?})", a.id, a.tool_name, a.tool_args);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_approvals(&self) -> ListApprovals;

    /// `GET /approvals/count`: how many approvals are pending (of one user, or of all).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::ApprovalsExt;
    /// let waiting: u64 = client.get_approval_count().user_id("user-1").await?;
    /// # Ok(()) }
    /// ```
    fn get_approval_count(&self) -> GetApprovalCount;

    /// `GET /approvals/{approval_id}`: one approval, with the run's current status (404
    /// when there is none, or when it belongs to another user under isolation).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::ApprovalsExt;
    /// let approval = client.get_approval("53a1...").await?;
    /// println!("{:?}, run is {:?}", approval.status, approval.run_status);
    /// # Ok(()) }
    /// ```
    fn get_approval(&self, approval_id: &str) -> Call<ApprovalResponse>;

    /// `GET /approvals/{approval_id}/status`: the state only, for polling.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::{ApprovalStatus, ApprovalsExt};
    /// let status = client.get_approval_status("53a1...").await?;
    /// if status.status != ApprovalStatus::Pending {
    ///     println!("resolved by {:?}", status.resolved_by);
    /// }
    /// # Ok(()) }
    /// ```
    fn get_approval_status(&self, approval_id: &str) -> Call<ApprovalStatusResponse>;

    /// `POST /approvals/{approval_id}/resolve`: approves or rejects a pending approval (409
    /// when it is already resolved). Then continue the paused run through its `continue`
    /// route, without tool results. Under user isolation only an administrator may resolve
    /// (others get 404).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::{ApprovalDecision, ApprovalsExt};
    /// let resolved = client
    ///     .resolve_approval("53a1...", ApprovalDecision::Rejected)
    ///     .resolved_by("security-team")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn resolve_approval(&self, approval_id: &str, decision: ApprovalDecision) -> ResolveApproval;

    /// `DELETE /approvals/{approval_id}` (204). The server answers an unknown id with 500
    /// `Failed to delete approval`, not 404.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_approvals::ApprovalsExt;
    /// client.delete_approval("53a1...").await?;
    /// # Ok(()) }
    /// ```
    fn delete_approval(&self, approval_id: &str) -> Call<()>;
}

impl ApprovalsExt for AgentOsClient {
    fn list_approvals(&self) -> ListApprovals {
        ListApprovals {
            call: Call::new(self, Request::get(route::APPROVALS, &[]), decode_json),
        }
    }

    fn get_approval_count(&self) -> GetApprovalCount {
        GetApprovalCount {
            call: Call::new(
                self,
                Request::get(route::APPROVALS_COUNT, &[]),
                decode_count,
            ),
        }
    }

    fn get_approval(&self, approval_id: &str) -> Call<ApprovalResponse> {
        Call::new(
            self,
            Request::get(route::APPROVALS_APPROVAL_ID, &[approval_id]),
            decode_json,
        )
    }

    fn get_approval_status(&self, approval_id: &str) -> Call<ApprovalStatusResponse> {
        Call::new(
            self,
            Request::get(route::APPROVALS_APPROVAL_ID_STATUS, &[approval_id]),
            decode_json,
        )
    }

    fn resolve_approval(&self, approval_id: &str, decision: ApprovalDecision) -> ResolveApproval {
        let mut body = Map::new();
        body.insert("status".into(), json!(decision.as_str()));
        ResolveApproval {
            call: Call::new(
                self,
                Request::post(route::APPROVALS_APPROVAL_ID_RESOLVE, &[approval_id]),
                decode_json,
            ),
            body,
        }
    }

    fn delete_approval(&self, approval_id: &str) -> Call<()> {
        Call::new(
            self,
            Request::delete(route::APPROVALS_APPROVAL_ID, &[approval_id]),
            decode_unit,
        )
    }
}

#[cfg(test)]
mod tests;
