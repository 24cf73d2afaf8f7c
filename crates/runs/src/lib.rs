#![cfg_attr(docsrs, feature(doc_cfg))]
//! Runs for the AgentOS Rust SDK: [`RunsExt`] adds agent, team and workflow runs to
//! [`AgentOsClient`]: non-stream and streamed runs with typed events, human-in-the-loop
//! continue, cancel, background runs and resume, run history, checkpoints, session fork and
//! compaction.
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_runs::RunsExt;
//! use futures::StreamExt;
//!
//! // One answer. A failed run is HTTP 200 with status ERROR: `into_result` turns it into an
//! // error so it cannot pass for a success.
//! let out = client.run_agent("echo-agent", "Hello").session_id("s1").await?.into_result()?;
//! println!("{}", out.content_text());
//!
//! // The same, streamed: text as it arrives.
//! let mut text = client.run_agent_stream("echo-agent", "Tell me a story").await?.text();
//! while let Some(delta) = text.next().await {
//!     print!("{}", delta?);
//! }
//! # Ok(()) }
//! ```
//!
//! Run routes take form fields (never JSON) and `stream` is always sent (the server's
//! default is to stream).
//!
//! # Failed runs
//!
//! A run whose model or tool fails is **not** an HTTP error: the server answers 200 with
//! status `ERROR` (non-stream), or sends a `RunError` / `TeamRunError` / `WorkflowError` event
//! (stream). [`RunOutput::error`] and `into_result()` surface the first;
//! [`RunStream::final_output`] and [`RunStream::text`] turn the second into
//! [`Error::Run`](agentos_core::Error::Run). A stream that ends before its terminal event is
//! [`Error::StreamTruncated`](agentos_core::Error::StreamTruncated), with the text received (its
//! first [`MAX_PARTIAL_CONTENT`] bytes: a stream never holds more of it in memory).
//!
//! # Human in the loop
//!
//! A paused run says what it waits for: `tools` (agents), `requirements` (teams),
//! `step_requirements` (workflows). [`continue_run`](RunsExt::continue_run) continues it from
//! its paused output (or its paused event), taking the ids from it; resolve by tool call id
//! (or step name) and await:
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_runs::RunsExt;
//! let paused = client.run_agent("hitl-agent", "Deploy it").session_id("s1").await?;
//! if paused.is_paused() {
//!     // or .confirm(id), .reject(id, "not today"), .result(id, "..."), .input("city", "Oslo")
//!     let done = client.continue_run(&paused).confirm_all().await?;
//!     println!("{}", done.into_result()?.content_text());
//! }
//! # Ok(()) }
//! ```
//!
//! A continue that leaves a tool call or step unresolved is refused before sending, naming
//! it (the server would reject a pending confirmation, or ask again for a missing result),
//! unless [`allow_unresolved`](ContinuePaused::allow_unresolved) says so. A call gated by an
//! admin approval is decided by the approval: resolve it (`resolve_approval`), then
//! `continue_run(&paused)` sends no tools and the server applies the decision.
//!
//! The id-by-id form stays: `continue_agent_run(agent, run_id, session)` with the edited
//! `tools` (their helpers `confirm`, `reject`, `set_result`, `set_input`, `select_options`,
//! ...), `continue_team_run` with `requirements`, `continue_workflow_run` with
//! `step_requirements`. Continuing without them makes the server reject every pending
//! confirmation: say so with [`reject_all_pending`](ContinueBuilder::reject_all_pending), or
//! [`apply_approval_decisions`](ContinueBuilder::apply_approval_decisions) for a run paused
//! for admin approvals.
//!
//! # Background runs and resume
//!
//! `run_*(..).in_background()` answers at once with the run id, and `wait_for_*_run` polls it
//! to its end. `run_*_stream(..).background()` streams a run that survives a dropped
//! connection: every event carries an `event_index`, and `resume_*_run_stream(run_id,
//! last_event_index)` reconnects without repeating or losing an event (the run is never
//! started twice). `.resumable()` does the reconnecting by itself.

mod events;
mod hitl;
mod output;
mod request;
mod resumable;
mod stream;
mod wait;

use agentos_core::kit::CallKit;
use agentos_core::kit::decode_json;
use agentos_core::{AgentOsClient, Call, Request};

pub use events::{
    AgentRunEvent, ControlFrame, EventData, StepIndex, TeamRunEvent, WorkflowRunEvent,
};
/// The payload of each event: [`EventData`] (deref) plus the event's own fields.
pub use events::{
    CompactionCompletedEvent, CompactionStartedEvent, CompressionCompletedEvent,
    CompressionStartedEvent, ConditionExecutionCompletedEvent, ConditionExecutionStartedEvent,
    ConditionPausedEvent, CustomEvent, FollowupsCompletedEvent, FollowupsStartedEvent,
    LoopExecutionCompletedEvent, LoopExecutionStartedEvent, LoopIterationCompletedEvent,
    LoopIterationStartedEvent, MemoryUpdateCompletedEvent, MemoryUpdateStartedEvent,
    ModelRequestCompletedEvent, ModelRequestStartedEvent, OutputModelResponseCompletedEvent,
    OutputModelResponseStartedEvent, ParallelExecutionCompletedEvent,
    ParallelExecutionStartedEvent, ParserModelResponseCompletedEvent,
    ParserModelResponseStartedEvent, PostHookCompletedEvent, PostHookStartedEvent,
    PreHookCompletedEvent, PreHookStartedEvent, ReasoningCompletedEvent,
    ReasoningContentDeltaEvent, ReasoningStartedEvent, ReasoningStepEvent,
    RouterExecutionCompletedEvent, RouterExecutionStartedEvent, RouterPausedEvent,
    RunCancelledEvent, RunCompletedEvent, RunContentCompletedEvent, RunContentEvent,
    RunContinuedEvent, RunErrorEvent, RunIntermediateContentEvent, RunPausedEvent, RunStartedEvent,
    SessionSummaryCompletedEvent, SessionSummaryStartedEvent, StepCompletedEvent,
    StepContinuedEvent, StepErrorEvent, StepExecutorContinuedEvent, StepExecutorPausedEvent,
    StepOutputEvent, StepOutputReviewEvent, StepPausedEvent, StepProgressEvent, StepStartedEvent,
    StepsExecutionCompletedEvent, StepsExecutionStartedEvent, TeamCompressionCompletedEvent,
    TeamCompressionStartedEvent, TeamCustomEvent, TeamFollowupsCompletedEvent,
    TeamFollowupsStartedEvent, TeamMemoryUpdateCompletedEvent, TeamMemoryUpdateStartedEvent,
    TeamModelRequestCompletedEvent, TeamModelRequestStartedEvent,
    TeamOutputModelResponseCompletedEvent, TeamOutputModelResponseStartedEvent,
    TeamParserModelResponseCompletedEvent, TeamParserModelResponseStartedEvent,
    TeamPostHookCompletedEvent, TeamPostHookStartedEvent, TeamPreHookCompletedEvent,
    TeamPreHookStartedEvent, TeamReasoningCompletedEvent, TeamReasoningContentDeltaEvent,
    TeamReasoningStartedEvent, TeamReasoningStepEvent, TeamRunCancelledEvent,
    TeamRunCompletedEvent, TeamRunContentCompletedEvent, TeamRunContentEvent,
    TeamRunContinuedEvent, TeamRunErrorEvent, TeamRunIntermediateContentEvent, TeamRunPausedEvent,
    TeamRunStartedEvent, TeamSessionSummaryCompletedEvent, TeamSessionSummaryStartedEvent,
    TeamTaskCreatedEvent, TeamTaskIterationCompletedEvent, TeamTaskIterationStartedEvent,
    TeamTaskStateUpdatedEvent, TeamTaskUpdatedEvent, TeamToolCallCompletedEvent,
    TeamToolCallErrorEvent, TeamToolCallStartedEvent, ToolCallCompletedEvent, ToolCallErrorEvent,
    ToolCallStartedEvent, WorkflowAgentCompletedEvent, WorkflowAgentStartedEvent,
    WorkflowCancelledEvent, WorkflowCompletedEvent, WorkflowCustomEvent, WorkflowErrorEvent,
    WorkflowPausedEvent, WorkflowStartedEvent,
};
pub use hitl::{Awaiting, ContinuePaused, Paused, PausedRun};
pub use output::{
    AnyRunOutput, BackgroundRun, Checkpoint, CheckpointSnapshot, Checkpoints, CompactResult,
    ContentError, Extra, ForkedSession, Metrics, RunOutput, RunRecord, RunRequirement, RunStatus,
    StepRequirement, TeamRunOutput, ToolExecution, UserFeedbackQuestion, UserInputField,
    WorkflowRunOutput,
};
pub use request::{
    BackgroundRunBuilder, CancelRun, ContinueBuilder, ForkSession, ListRuns, Media, ResumeBuilder,
    RunBuilder, RunStreamBuilder,
};
pub use resumable::{
    DEFAULT_EVENT_STALL_TIMEOUT, DEFAULT_LOST_AFTER, DEFAULT_RECONNECT_BUDGET, ResumableRunStream,
};
pub use stream::{MAX_PARTIAL_CONTENT, Phase, RunStream, StreamEvent, TerminalKind};
pub use wait::{
    DEFAULT_RUN_MAX_WAIT, DEFAULT_RUN_NOT_FOUND_GRACE, DEFAULT_RUN_POLL_INTERVAL, WaitForRun,
};

use request::{AGENT, Routes, TEAM, WORKFLOW};

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    AGENTS_AGENT_ID_RUNS = "/agents/{agent_id}/runs": POST, GET;
    AGENTS_AGENT_ID_RUNS_RUN_ID = "/agents/{agent_id}/runs/{run_id}": GET;
    AGENTS_AGENT_ID_RUNS_RUN_ID_CANCEL = "/agents/{agent_id}/runs/{run_id}/cancel": POST;
    AGENTS_AGENT_ID_RUNS_RUN_ID_CONTINUE = "/agents/{agent_id}/runs/{run_id}/continue": POST;
    AGENTS_AGENT_ID_RUNS_RUN_ID_RESUME = "/agents/{agent_id}/runs/{run_id}/resume": POST;
    AGENTS_AGENT_ID_RUNS_RUN_ID_CHECKPOINTS = "/agents/{agent_id}/runs/{run_id}/checkpoints": GET;
    AGENTS_AGENT_ID_RUNS_RUN_ID_CHECKPOINTS_MESSAGE_INDEX = "/agents/{agent_id}/runs/{run_id}/checkpoints/{message_index}": GET;
    AGENTS_AGENT_ID_SESSIONS_SESSION_ID_FORK = "/agents/{agent_id}/sessions/{session_id}/fork": POST;
    AGENTS_AGENT_ID_SESSIONS_SESSION_ID_COMPACT = "/agents/{agent_id}/sessions/{session_id}/compact": POST;
    TEAMS_TEAM_ID_RUNS = "/teams/{team_id}/runs": POST, GET;
    TEAMS_TEAM_ID_RUNS_RUN_ID = "/teams/{team_id}/runs/{run_id}": GET;
    TEAMS_TEAM_ID_RUNS_RUN_ID_CANCEL = "/teams/{team_id}/runs/{run_id}/cancel": POST;
    TEAMS_TEAM_ID_RUNS_RUN_ID_CONTINUE = "/teams/{team_id}/runs/{run_id}/continue": POST;
    TEAMS_TEAM_ID_RUNS_RUN_ID_RESUME = "/teams/{team_id}/runs/{run_id}/resume": POST;
    TEAMS_TEAM_ID_RUNS_RUN_ID_CHECKPOINTS = "/teams/{team_id}/runs/{run_id}/checkpoints": GET;
    TEAMS_TEAM_ID_RUNS_RUN_ID_CHECKPOINTS_MESSAGE_INDEX = "/teams/{team_id}/runs/{run_id}/checkpoints/{message_index}": GET;
    TEAMS_TEAM_ID_SESSIONS_SESSION_ID_FORK = "/teams/{team_id}/sessions/{session_id}/fork": POST;
    WORKFLOWS_WORKFLOW_ID_RUNS = "/workflows/{workflow_id}/runs": POST, GET;
    WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID = "/workflows/{workflow_id}/runs/{run_id}": GET;
    WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_CANCEL = "/workflows/{workflow_id}/runs/{run_id}/cancel": POST;
    WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_CONTINUE = "/workflows/{workflow_id}/runs/{run_id}/continue": POST;
    WORKFLOWS_WORKFLOW_ID_RUNS_RUN_ID_RESUME = "/workflows/{workflow_id}/runs/{run_id}/resume": POST;
}

fn checkpoints(
    client: &AgentOsClient,
    route: &'static str,
    params: &[&str],
    session_id: &str,
) -> Call<Checkpoints> {
    Call::new(client, Request::get(route, params), decode_json)
        .query("session_id", session_id.to_owned())
}

fn checkpoint(
    client: &AgentOsClient,
    route: &'static str,
    params: &[&str],
    session_id: &str,
) -> Call<CheckpointSnapshot> {
    Call::new(client, Request::get(route, params), decode_json)
        .query("session_id", session_id.to_owned())
}

fn get_run<O: serde::de::DeserializeOwned + Send + 'static>(
    client: &AgentOsClient,
    routes: &Routes,
    id: &str,
    run_id: &str,
    session_id: &str,
) -> Call<O> {
    Call::new(client, Request::get(routes.run, &[id, run_id]), decode_json)
        .query("session_id", session_id.to_owned())
}

agentos_core::seal_extension_traits!();

macro_rules! runs_ext {
    ($(
        $noun:literal, $ex:literal, $ev:ty, $out:ty, $routes:expr,
        $run:ident, $run_stream:ident, $cont:ident, $cont_stream:ident, $cancel:ident,
        $get:ident, $list:ident, $resume:ident, $wait:ident;
    )*
    decls { $($decls:tt)* }
    impls { $($impls:tt)* }) => {
        /// The run calls of an [`AgentOsClient`]: `use agentos_runs::RunsExt;`.
        ///
        /// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
        pub trait RunsExt: sealed::Sealed {
            $(
            #[doc = concat!("Runs a ", $noun, " and waits for its output (`stream=false`).")]
            #[doc = ""]
            #[doc = "**A failed run is HTTP 200 with status `ERROR`**: check `status` or `error()`, or call `into_result()`."]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let out = client.", stringify!($run), "(\"", $ex, "\", \"Hello\")")]
            #[doc = "    .session_id(\"session-1\")"]
            #[doc = "    .user_id(\"user-1\")"]
            #[doc = "    .await?"]
            #[doc = "    .into_result()?;"]
            #[doc = "println!(\"{}\", out.content_text());"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $run(&self, id: &str, message: impl Into<String>) -> RunBuilder<$ev>;

            #[doc = concat!("Runs a ", $noun, " and streams its typed events (`stream=true`). Dropping the stream closes the connection, which cancels a foreground run; `.background()` makes the run survive it.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = "use futures::StreamExt;"]
            #[doc = concat!("let mut events = client.", stringify!($run_stream), "(\"", $ex, "\", \"Hello\").await?;")]
            #[doc = "while let Some(event) = events.next().await {"]
            #[doc = "    println!(\"{}\", event?.name());"]
            #[doc = "}"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $run_stream(&self, id: &str, message: impl Into<String>) -> RunStreamBuilder<$ev>;

            #[doc = concat!("Continues a ", $noun, " run: a paused one with what it waited for, or a finished one with a new input. `session_id` is required by the server.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let out = client.", stringify!($cont), "(\"", $ex, "\", \"run-1\", \"session-1\")")]
            #[doc = "    .input(\"And then?\")"]
            #[doc = "    .await?;"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $cont(&self, id: &str, run_id: &str, session_id: &str) -> ContinueBuilder<$ev, false>;

            #[doc = concat!("Continues a ", $noun, " run and streams its events.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let stream = client.", stringify!($cont_stream), "(\"", $ex, "\", \"run-1\", \"session-1\")")]
            #[doc = "    .input(\"And then?\")"]
            #[doc = "    .await?;"]
            #[doc = "let output = stream.final_output().await?;"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $cont_stream(&self, id: &str, run_id: &str, session_id: &str) -> ContinueBuilder<$ev, true>;

            #[doc = concat!("Cancels a ", $noun, " run. The server answers success for any run id (the intent is stored for a run that may start later).")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("client.", stringify!($cancel), "(\"", $ex, "\", \"run-1\").session_id(\"session-1\").await?;")]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $cancel(&self, id: &str, run_id: &str) -> CancelRun;

            #[doc = concat!("Reads a ", $noun, " run (e.g. to poll a background run).")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let run = client.", stringify!($get), "(\"", $ex, "\", \"run-1\", \"session-1\").await?;")]
            #[doc = "println!(\"{:?}\", run.status);"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $get(&self, id: &str, run_id: &str, session_id: &str) -> Call<$out>;

            #[doc = concat!("Lists the runs of a ", $noun, " in a session.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::{RunStatus, RunsExt};"]
            #[doc = concat!("let runs = client.", stringify!($list), "(\"", $ex, "\", \"session-1\").status(RunStatus::Completed).await?;")]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $list(&self, id: &str, session_id: &str) -> ListRuns;

            #[doc = concat!("Reconnects to a background ", $noun, " run's stream after `last_event_index` (`None` replays everything). Nothing is run again.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let stream = client.", stringify!($resume), "(\"", $ex, "\", \"run-1\", Some(41))")]
            #[doc = "    .session_id(\"session-1\")"]
            #[doc = "    .await?;"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $resume(&self, id: &str, run_id: &str, last_event_index: Option<u64>) -> ResumeBuilder<$ev>;

            #[doc = concat!("Polls a ", $noun, " run (e.g. a background one) until it is no longer pending or running, and gives its output. **Check its status**: a failed run is an output with status `Error` (or call `into_result()`); a paused one waits for `continue`.")]
            #[doc = ""]
            #[doc = "```no_run"]
            #[doc = "# async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {"]
            #[doc = "use agentos_runs::RunsExt;"]
            #[doc = concat!("let started = client.", stringify!($run), "(\"", $ex, "\", \"Hello\").session_id(\"session-1\").in_background().await?;")]
            #[doc = concat!("let out = client.", stringify!($wait), "(\"", $ex, "\", &started.run_id, \"session-1\")")]
            #[doc = "    .max_wait(std::time::Duration::from_secs(60))"]
            #[doc = "    .await?"]
            #[doc = "    .into_result()?;"]
            #[doc = "# Ok(()) }"]
            #[doc = "```"]
            fn $wait(&self, id: &str, run_id: &str, session_id: &str) -> WaitForRun<$ev>;
            )*
            $($decls)*
        }

        impl RunsExt for AgentOsClient {
            $(
            fn $run(&self, id: &str, message: impl Into<String>) -> RunBuilder<$ev> {
                RunBuilder::new(self, &$routes, id, message.into())
            }
            fn $run_stream(&self, id: &str, message: impl Into<String>) -> RunStreamBuilder<$ev> {
                RunStreamBuilder::new(self, &$routes, id, message.into())
            }
            fn $cont(&self, id: &str, run_id: &str, session_id: &str) -> ContinueBuilder<$ev, false> {
                ContinueBuilder::new(self, &$routes, id, run_id, session_id)
            }
            fn $cont_stream(&self, id: &str, run_id: &str, session_id: &str) -> ContinueBuilder<$ev, true> {
                ContinueBuilder::new(self, &$routes, id, run_id, session_id)
            }
            fn $cancel(&self, id: &str, run_id: &str) -> CancelRun {
                CancelRun::new(self, &$routes, id, run_id)
            }
            fn $get(&self, id: &str, run_id: &str, session_id: &str) -> Call<$out> {
                get_run(self, &$routes, id, run_id, session_id)
            }
            fn $list(&self, id: &str, session_id: &str) -> ListRuns {
                ListRuns::new(self, &$routes, id, session_id)
            }
            fn $resume(&self, id: &str, run_id: &str, last_event_index: Option<u64>) -> ResumeBuilder<$ev> {
                ResumeBuilder::new(self, &$routes, id, run_id, last_event_index)
            }
            fn $wait(&self, id: &str, run_id: &str, session_id: &str) -> WaitForRun<$ev> {
                wait::wait_for_run::<$ev>(get_run(self, &$routes, id, run_id, session_id), run_id)
            }
            )*
            $($impls)*
        }
    };
}

runs_ext! {
    "agent", "echo-agent", AgentRunEvent, RunOutput, AGENT,
    run_agent, run_agent_stream, continue_agent_run, continue_agent_run_stream,
    cancel_agent_run, get_agent_run, list_agent_runs, resume_agent_run_stream, wait_for_agent_run;
    "team", "echo-team", TeamRunEvent, TeamRunOutput, TEAM,
    run_team, run_team_stream, continue_team_run, continue_team_run_stream,
    cancel_team_run, get_team_run, list_team_runs, resume_team_run_stream, wait_for_team_run;
    "workflow", "echo-workflow", WorkflowRunEvent, WorkflowRunOutput, WORKFLOW,
    run_workflow, run_workflow_stream, continue_workflow_run, continue_workflow_run_stream,
    cancel_workflow_run, get_workflow_run, list_workflow_runs, resume_workflow_run_stream, wait_for_workflow_run;
    decls {
        /// Continues a paused run from its paused output or paused event: the agent, team or
        /// workflow, the run and the session are taken from it. Resolve what it waits for
        /// (`confirm_all`, `confirm`, `reject`, `result`, `input`), then await it. A continue
        /// that leaves something unresolved is refused before sending; tool calls gated by
        /// an admin approval are left to the approval's decision.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let paused = client.run_agent("hitl-agent", "Deploy it").await?;
        /// if paused.is_paused() {
        ///     let done = client.continue_run(&paused).confirm_all().await?.into_result()?;
        ///     println!("{}", done.content_text());
        /// }
        /// # Ok(()) }
        /// ```
        fn continue_run<P: PausedRun>(&self, paused: &P) -> ContinuePaused<P::Event, false>;

        /// [`continue_run`](Self::continue_run), streamed: the continued run's events.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let paused = client.run_agent("hitl-agent", "Book a trip").await?;
        /// let call_id = paused.tools.as_ref().and_then(|t| t.first())
        ///     .and_then(|t| t.tool_call_id.clone()).unwrap_or_default();
        /// let stream = client
        ///     .continue_run_stream(&paused)
        ///     .reject(&call_id, "not today")
        ///     .await?;
        /// let done = stream.final_output().await?;
        /// # Ok(()) }
        /// ```
        fn continue_run_stream<P: PausedRun>(&self, paused: &P) -> ContinuePaused<P::Event, true>;

        /// Lists the checkpoints of an agent run (message boundaries to continue or fork from).
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let list = client.get_agent_run_checkpoints("echo-agent", "run-1", "session-1").await?;
        /// # Ok(()) }
        /// ```
        fn get_agent_run_checkpoints(&self, agent_id: &str, run_id: &str, session_id: &str) -> Call<Checkpoints>;

        /// Reads one checkpoint of an agent run with the run cut at it.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let snap = client.get_agent_run_checkpoint("echo-agent", "run-1", 2, "session-1").await?;
        /// # Ok(()) }
        /// ```
        fn get_agent_run_checkpoint(&self, agent_id: &str, run_id: &str, message_index: u64, session_id: &str) -> Call<CheckpointSnapshot>;

        /// Lists the checkpoints of a team run.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let list = client.get_team_run_checkpoints("echo-team", "run-1", "session-1").await?;
        /// # Ok(()) }
        /// ```
        fn get_team_run_checkpoints(&self, team_id: &str, run_id: &str, session_id: &str) -> Call<Checkpoints>;

        /// Reads one checkpoint of a team run.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let snap = client.get_team_run_checkpoint("echo-team", "run-1", 2, "session-1").await?;
        /// # Ok(()) }
        /// ```
        fn get_team_run_checkpoint(&self, team_id: &str, run_id: &str, message_index: u64, session_id: &str) -> Call<CheckpointSnapshot>;

        /// Forks an agent session: a deep copy with new run ids.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let copy = client.fork_agent_session("echo-agent", "session-1").await?;
        /// println!("{}", copy.session_id);
        /// # Ok(()) }
        /// ```
        fn fork_agent_session(&self, agent_id: &str, session_id: &str) -> ForkSession;

        /// Forks a team session.
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let copy = client.fork_team_session("echo-team", "session-1").await?;
        /// # Ok(()) }
        /// ```
        fn fork_team_session(&self, team_id: &str, session_id: &str) -> ForkSession;

        /// Compacts an agent session's history (when the agent has compaction enabled).
        ///
        /// ```no_run
        /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
        /// use agentos_runs::RunsExt;
        /// let result = client.compact_agent_session("echo-agent", "session-1").await?;
        /// println!("{:?}", result.status);
        /// # Ok(()) }
        /// ```
        fn compact_agent_session(&self, agent_id: &str, session_id: &str) -> Call<CompactResult>;
    }
    impls {
        fn continue_run<P: PausedRun>(&self, paused: &P) -> ContinuePaused<P::Event, false> {
            ContinuePaused::new(self, paused)
        }
        fn continue_run_stream<P: PausedRun>(&self, paused: &P) -> ContinuePaused<P::Event, true> {
            ContinuePaused::new(self, paused)
        }
        fn get_agent_run_checkpoints(&self, agent_id: &str, run_id: &str, session_id: &str) -> Call<Checkpoints> {
            checkpoints(self, route::AGENTS_AGENT_ID_RUNS_RUN_ID_CHECKPOINTS, &[agent_id, run_id], session_id)
        }
        fn get_agent_run_checkpoint(&self, agent_id: &str, run_id: &str, message_index: u64, session_id: &str) -> Call<CheckpointSnapshot> {
            checkpoint(self, route::AGENTS_AGENT_ID_RUNS_RUN_ID_CHECKPOINTS_MESSAGE_INDEX, &[agent_id, run_id, &message_index.to_string()], session_id)
        }
        fn get_team_run_checkpoints(&self, team_id: &str, run_id: &str, session_id: &str) -> Call<Checkpoints> {
            checkpoints(self, route::TEAMS_TEAM_ID_RUNS_RUN_ID_CHECKPOINTS, &[team_id, run_id], session_id)
        }
        fn get_team_run_checkpoint(&self, team_id: &str, run_id: &str, message_index: u64, session_id: &str) -> Call<CheckpointSnapshot> {
            checkpoint(self, route::TEAMS_TEAM_ID_RUNS_RUN_ID_CHECKPOINTS_MESSAGE_INDEX, &[team_id, run_id, &message_index.to_string()], session_id)
        }
        fn fork_agent_session(&self, agent_id: &str, session_id: &str) -> ForkSession {
            ForkSession::new(self, route::AGENTS_AGENT_ID_SESSIONS_SESSION_ID_FORK, agent_id, session_id)
        }
        fn fork_team_session(&self, team_id: &str, session_id: &str) -> ForkSession {
            ForkSession::new(self, route::TEAMS_TEAM_ID_SESSIONS_SESSION_ID_FORK, team_id, session_id)
        }
        fn compact_agent_session(&self, agent_id: &str, session_id: &str) -> Call<CompactResult> {
            Call::new(self, Request::post(route::AGENTS_AGENT_ID_SESSIONS_SESSION_ID_COMPACT, &[agent_id, session_id]), decode_json)
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod cancel_tests;

#[cfg(test)]
mod compat_tests;
