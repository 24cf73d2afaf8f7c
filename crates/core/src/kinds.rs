//! Vocabulary shared by several areas: the status of a run, the kind of a session, and the
//! steps of a workflow and their results.

use serde::Serialize;
use serde_json::{Map, Value};

crate::open_enum! {
    /// The status of a run (UPPERCASE on the wire). Unknown values are kept.
    pub enum RunStatus {
        /// Accepted, not started (background runs).
        Pending = "PENDING",
        /// Running.
        Running = "RUNNING",
        /// Finished.
        Completed = "COMPLETED",
        /// Waiting for a human (confirmation, input, an external tool's result).
        Paused = "PAUSED",
        /// Cancelled.
        Cancelled = "CANCELLED",
        /// Failed: the message is in the run's `content`.
        Error = "ERROR",
        /// Replaced by a regenerated run.
        Regenerated = "REGENERATED",
    }
}

impl RunStatus {
    /// True when the run will not change any more by itself (completed, failed, cancelled,
    /// regenerated); a paused run waits for `continue`.
    ///
    /// ```
    /// use agentos_core::RunStatus;
    /// assert!(RunStatus::Cancelled.is_finished());
    /// assert!(!RunStatus::Paused.is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            RunStatus::Completed | RunStatus::Error | RunStatus::Cancelled | RunStatus::Regenerated
        )
    }
}

crate::open_enum! {
    /// The kind of a component: agent, team or workflow. The SDK's one agent/team/workflow
    /// vocabulary: the kind of a session (sent as the `type` query parameter, not
    /// `session_type`), of a stored component (`ComponentType` in the components area is
    /// this type) and of a run. Unknown kinds are kept.
    pub enum SessionType {
        /// A session of an agent.
        Agent = "agent",
        /// A session of a team.
        Team = "team",
        /// A session of a workflow.
        Workflow = "workflow",
    }
}

crate::open_enum! {
    /// The kind of a workflow step (`type` of a step in `GET /workflows/{workflow_id}`,
    /// `step_type` of a step result). Unknown kinds are kept.
    pub enum StepKind {
        /// A plain function.
        Function = "Function",
        /// A step that runs an agent, a team, a function or a nested workflow.
        Step = "Step",
        /// A sequence of steps.
        Steps = "Steps",
        /// A loop over its steps.
        Loop = "Loop",
        /// Steps run in parallel.
        Parallel = "Parallel",
        /// Steps run when a condition holds (`else_steps` otherwise).
        Condition = "Condition",
        /// A router that picks among its steps.
        Router = "Router",
        /// A nested workflow.
        Workflow = "Workflow",
    }
}

/// What one step of a workflow run produced (`step_results` of a workflow run; agno's
/// `StepOutput`). Container steps (loop, parallel, condition, router) hold their inner
/// results in [`steps`](Self::steps).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StepResult {
    /// The step's name.
    pub step_name: Option<String>,
    /// The step's id.
    pub step_id: Option<String>,
    /// The kind of step.
    pub step_type: Option<StepKind>,
    /// What ran it: `agent`, `team`, `function`, ...
    pub executor_type: Option<String>,
    /// The name of the agent, team or function that ran it.
    pub executor_name: Option<String>,
    /// The output: a string, or JSON for structured output.
    pub content: Option<Value>,
    /// The run of the agent or team that executed the step.
    pub step_run_id: Option<String>,
    /// Token counts and timings.
    pub metrics: Option<Map<String, Value>>,
    /// False when the step failed (see [`error`](Self::error)).
    pub success: bool,
    /// Why the step failed.
    pub error: Option<String>,
    /// Whether the step stopped the workflow.
    pub stop: bool,
    /// Whether the step's agent or team paused for a human.
    pub is_paused: bool,
    /// The results of the steps inside a container step.
    pub steps: Option<Vec<StepResult>>,
    /// Fields this SDK does not model (`images`, `videos`, `audio`, `files`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Decoded by hand (no `flatten` detour: step results are in every workflow stream); an
// absent field takes its `Default` value (`success`: true).
crate::deserialize_with_extra!(
    StepResult {
        step_name,
        step_id,
        step_type,
        executor_type,
        executor_name,
        content,
        step_run_id,
        metrics,
        success,
        error,
        stop,
        is_paused,
        steps,
    } extra
);

impl Default for StepResult {
    fn default() -> Self {
        StepResult {
            step_name: None,
            step_id: None,
            step_type: None,
            executor_type: None,
            executor_name: None,
            content: None,
            step_run_id: None,
            metrics: None,
            success: true,
            error: None,
            stop: false,
            is_paused: false,
            steps: None,
            extra: Map::new(),
        }
    }
}

impl StepResult {
    /// A successful result of the step `name` with this content.
    ///
    /// ```
    /// use agentos_core::StepResult;
    /// let r = StepResult::new("summarize", "done");
    /// assert_eq!(r.content_text(), "done");
    /// ```
    pub fn new(name: impl Into<String>, content: impl Into<Value>) -> Self {
        StepResult {
            step_name: Some(name.into()),
            content: Some(content.into()),
            ..StepResult::default()
        }
    }

    /// The content as text: a string as it is, structured output as compact JSON; empty
    /// when the step produced nothing (the same `content_text()` as a run's output and a
    /// stream event; [`content`](Self::content) tells absent from empty).
    pub fn content_text(&self) -> String {
        crate::kit::de::content_text(self.content.as_ref())
    }
}
