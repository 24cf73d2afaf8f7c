//! Vocabulary shared by several areas: the status of a run and the kind of a session.

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
    /// The kind of a session: the component it belongs to. Sent as the `type` query
    /// parameter (not `session_type`).
    pub enum SessionType {
        /// A session of an agent.
        Agent = "agent",
        /// A session of a team.
        Team = "team",
        /// A session of a workflow.
        Workflow = "workflow",
    }
}
