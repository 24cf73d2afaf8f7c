//! Continuing a paused run from what it returned: [`PausedRun`] (a paused output or paused
//! event), [`Awaiting`] (what it waits for) and [`ContinuePaused`] (`continue_run`,
//! `continue_run_stream`), which threads the ids itself and refuses to send a continue that
//! leaves something unresolved.

use std::marker::PhantomData;

use agentos_core::kit::CallOptions;
use agentos_core::{AgentOsClient, Error, Result};
use serde_json::Value;

use crate::events::{RunPausedEvent, TeamRunPausedEvent, WorkflowPausedEvent};
use crate::output::{
    RunOutput, RunRequirement, StepRequirement, TeamRunOutput, ToolExecution, WorkflowRunOutput,
};
use crate::request::{AGENT, ContinueBuilder, TEAM, WORKFLOW};
use crate::stream::{RunStream, StreamEvent};
use crate::{AgentRunEvent, TeamRunEvent, WorkflowRunEvent};

/// What a paused run waits for, in the form its kind sends back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Awaiting {
    /// An agent's tool calls (sent back as `tools`).
    Tools(Vec<ToolExecution>),
    /// A team's requirements (sent back as `requirements`).
    Requirements(Vec<RunRequirement>),
    /// A workflow's step requirements (sent back as `step_requirements`).
    Steps(Vec<StepRequirement>),
}

/// One thing a paused run waits for, found by its id.
enum Item<'a> {
    Tool(&'a mut ToolExecution),
    Requirement(&'a mut RunRequirement),
    Step(&'a mut StepRequirement),
}

impl Item<'_> {
    fn confirm(&mut self) {
        match self {
            Item::Tool(t) => {
                t.confirm();
            }
            Item::Requirement(r) => {
                r.confirm();
            }
            Item::Step(s) => {
                s.confirm();
            }
        }
    }

    fn reject(&mut self, note: &str) {
        match self {
            Item::Tool(t) => {
                t.reject(note);
            }
            Item::Requirement(r) => {
                r.reject(note);
            }
            Item::Step(s) => {
                s.reject(note);
            }
        }
    }
}

/// How a tool call is named in messages: its name and id.
fn tool_label(t: &ToolExecution) -> String {
    format!(
        "tool call {} ({})",
        t.tool_call_id.as_deref().unwrap_or("?"),
        t.tool_name.as_deref().unwrap_or("?")
    )
}

fn step_label(s: &StepRequirement) -> String {
    format!(
        "step {}",
        s.step_name
            .as_deref()
            .or(s.step_id.as_deref())
            .unwrap_or("?")
    )
}

fn is_gated(t: Option<&ToolExecution>) -> bool {
    t.is_some_and(|t| t.admin_approval_id().is_some())
}

impl Awaiting {
    /// The items waiting for something from the caller, named for a message. Calls gated by
    /// an admin approval are left out: the approval decides them.
    pub fn unresolved(&self) -> Vec<String> {
        match self {
            Awaiting::Tools(tools) => tools
                .iter()
                .filter(|t| t.is_pending() && !is_gated(Some(t)))
                .map(tool_label)
                .collect(),
            Awaiting::Requirements(reqs) => reqs
                .iter()
                .filter(|r| r.is_pending() && !is_gated(r.tool_execution.as_ref()))
                .map(|r| match &r.tool_execution {
                    Some(t) => tool_label(t),
                    None => format!("requirement {}", r.id.as_deref().unwrap_or("?")),
                })
                .collect(),
            Awaiting::Steps(steps) => steps
                .iter()
                .filter(|s| s.is_pending())
                .map(step_label)
                .collect(),
        }
    }

    /// The admin approvals that gate tool calls of the run.
    pub fn admin_approvals(&self) -> Vec<&str> {
        match self {
            Awaiting::Tools(tools) => tools.iter().filter_map(|t| t.admin_approval_id()).collect(),
            Awaiting::Requirements(reqs) => reqs
                .iter()
                .filter_map(|r| r.tool_execution.as_ref()?.admin_approval_id())
                .collect(),
            Awaiting::Steps(_) => Vec::new(),
        }
    }

    /// The admin approvals whose gated calls are still as received (neither confirmed nor
    /// rejected): sent back like that, the server rejects the call even when approved.
    pub(crate) fn unsettled_approvals(&self) -> Vec<String> {
        let open = |t: &ToolExecution| t.confirmed.is_none();
        match self {
            Awaiting::Tools(tools) => tools
                .iter()
                .filter(|t| open(t))
                .filter_map(|t| t.admin_approval_id())
                .map(str::to_owned)
                .collect(),
            Awaiting::Requirements(reqs) => reqs
                .iter()
                .filter(|r| r.confirmation.is_none())
                .filter_map(|r| r.tool_execution.as_ref())
                .filter(|t| open(t))
                .filter_map(|t| t.admin_approval_id())
                .map(str::to_owned)
                .collect(),
            Awaiting::Steps(_) => Vec::new(),
        }
    }

    /// Confirms every pending confirmation (tool calls, steps, output reviews, the tools of
    /// a step's agent or team). Calls gated by an admin approval are left to it.
    pub fn confirm_all(&mut self) {
        let wants = |t: &ToolExecution| {
            t.requires_confirmation == Some(true) && t.confirmed.is_none() && !is_gated(Some(t))
        };
        let reqs = |reqs: &mut Vec<RunRequirement>| {
            for r in reqs.iter_mut() {
                if r.confirmation.is_none() && r.tool_execution.as_ref().is_some_and(wants) {
                    r.confirm();
                }
            }
        };
        match self {
            Awaiting::Tools(tools) => tools.iter_mut().filter(|t| wants(t)).for_each(|t| {
                t.confirm();
            }),
            Awaiting::Requirements(r) => reqs(r),
            Awaiting::Steps(steps) => {
                for s in steps.iter_mut() {
                    if (s.requires_confirmation == Some(true)
                        || s.requires_output_review == Some(true))
                        && s.confirmed.is_none()
                    {
                        s.confirm();
                    }
                    if let Some(r) = &mut s.executor_requirements {
                        reqs(r);
                    }
                }
            }
        }
    }

    /// The item with this id: a tool call id (agents, teams, a step's agent or team), a
    /// requirement id (teams), a step id or step name (workflows).
    fn find(&mut self, id: &str) -> Option<Item<'_>> {
        let tool_is = |t: &Option<ToolExecution>| {
            t.as_ref()
                .is_some_and(|t| t.tool_call_id.as_deref() == Some(id))
        };
        match self {
            Awaiting::Tools(tools) => tools
                .iter_mut()
                .find(|t| t.tool_call_id.as_deref() == Some(id))
                .map(Item::Tool),
            Awaiting::Requirements(reqs) => reqs
                .iter_mut()
                .find(|r| r.id.as_deref() == Some(id) || tool_is(&r.tool_execution))
                .map(Item::Requirement),
            Awaiting::Steps(steps) => {
                let at = steps.iter().position(|s| {
                    s.step_id.as_deref() == Some(id) || s.step_name.as_deref() == Some(id)
                });
                match at {
                    Some(i) => Some(Item::Step(&mut steps[i])),
                    None => steps
                        .iter_mut()
                        .flat_map(|s| s.executor_requirements.iter_mut().flatten())
                        .find(|r| r.id.as_deref() == Some(id) || tool_is(&r.tool_execution))
                        .map(Item::Requirement),
                }
            }
        }
    }

    fn found(&mut self, id: &str) -> Result<Item<'_>> {
        self.find(id).ok_or_else(|| {
            Error::InvalidRequest(format!("the paused run waits for nothing with id {id:?}"))
        })
    }

    /// Fills a user-input field of the first item that asks for it.
    fn fill(&mut self, field: &str, value: Value) -> Result<()> {
        let has = |f: &Option<Vec<crate::UserInputField>>| {
            f.iter()
                .flatten()
                .any(|f| f.name == field && f.value.is_none())
        };
        let req_has = |r: &RunRequirement| {
            has(&r.user_input_schema)
                || r.tool_execution
                    .as_ref()
                    .is_some_and(|t| has(&t.user_input_schema))
        };
        let done = match self {
            Awaiting::Tools(tools) => match tools.iter_mut().find(|t| has(&t.user_input_schema)) {
                Some(t) => t.set_input(field, value).map(|_| true)?,
                None => false,
            },
            Awaiting::Requirements(reqs) => match reqs.iter_mut().find(|r| req_has(r)) {
                Some(r) => r.set_input(field, value).map(|_| true)?,
                None => false,
            },
            Awaiting::Steps(steps) => {
                if let Some(s) = steps.iter_mut().find(|s| has(&s.user_input_schema)) {
                    let mut input = s
                        .user_input
                        .take()
                        .and_then(|v| match v {
                            Value::Object(m) => Some(m),
                            _ => None,
                        })
                        .unwrap_or_default();
                    input.insert(field.to_owned(), value);
                    s.set_user_input(Value::Object(input));
                    true
                } else if let Some(r) = steps
                    .iter_mut()
                    .flat_map(|s| s.executor_requirements.iter_mut().flatten())
                    .find(|r| req_has(r))
                {
                    r.set_input(field, value).map(|_| true)?
                } else {
                    false
                }
            }
        };
        if done {
            Ok(())
        } else {
            Err(Error::InvalidRequest(format!(
                "the paused run asks for no user-input field {field:?}"
            )))
        }
    }
}

/// A paused run as the continue call needs it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Paused {
    /// The agent, team or workflow.
    pub id: String,
    /// The run.
    pub run_id: String,
    /// The session.
    pub session_id: String,
    /// What the run waits for.
    pub awaiting: Awaiting,
}

/// A paused run that [`continue_run`](crate::RunsExt::continue_run) can continue: a paused
/// output ([`RunOutput`], [`TeamRunOutput`], [`WorkflowRunOutput`]) or a paused event
/// ([`RunPausedEvent`], [`TeamRunPausedEvent`], [`WorkflowPausedEvent`]).
pub trait PausedRun {
    /// The events of the run's kind.
    type Event: StreamEvent;

    /// The ids and what the run waits for. Fails when the run is not paused or an id is
    /// missing.
    fn paused(&self) -> Result<Paused>;
}

/// A boxed paused event, as an event enum holds it.
impl<P: PausedRun> PausedRun for Box<P> {
    type Event = P::Event;
    fn paused(&self) -> Result<Paused> {
        (**self).paused()
    }
}

fn need(what: &str, v: Option<&String>) -> Result<String> {
    v.filter(|s| !s.is_empty()).cloned().ok_or_else(|| {
        Error::InvalidRequest(format!("the paused run has no {what}: cannot continue it"))
    })
}

fn not_paused(status: Option<&crate::RunStatus>) -> Result<()> {
    match status {
        Some(crate::RunStatus::Paused) => Ok(()),
        other => Err(Error::InvalidRequest(format!(
            "the run is not paused (status {other:?}): continue it with continue_*_run and an input"
        ))),
    }
}

macro_rules! paused_run {
    ($ty:ty, $ev:ty, $id:ident, $awaiting:expr, $status:expr) => {
        impl PausedRun for $ty {
            type Event = $ev;
            fn paused(&self) -> Result<Paused> {
                #[allow(clippy::redundant_closure_call)]
                $status(self)?;
                Ok(Paused {
                    id: need(stringify!($id), self.$id.as_ref())?,
                    run_id: need("run_id", self.run_id.as_ref())?,
                    session_id: need("session_id", self.session_id.as_ref())?,
                    #[allow(clippy::redundant_closure_call)]
                    awaiting: $awaiting(self),
                })
            }
        }
    };
}

paused_run!(
    RunOutput,
    AgentRunEvent,
    agent_id,
    |o: &RunOutput| Awaiting::Tools(o.tools.clone().unwrap_or_default()),
    |o: &RunOutput| not_paused(o.status.as_ref())
);
paused_run!(
    TeamRunOutput,
    TeamRunEvent,
    team_id,
    |o: &TeamRunOutput| Awaiting::Requirements(o.requirements.clone().unwrap_or_default()),
    |o: &TeamRunOutput| not_paused(o.status.as_ref())
);
paused_run!(
    WorkflowRunOutput,
    WorkflowRunEvent,
    workflow_id,
    |o: &WorkflowRunOutput| Awaiting::Steps(o.step_requirements.clone().unwrap_or_default()),
    |o: &WorkflowRunOutput| not_paused(o.status.as_ref())
);
paused_run!(
    RunPausedEvent,
    AgentRunEvent,
    agent_id,
    |e: &RunPausedEvent| Awaiting::Tools(e.tools.clone().unwrap_or_default()),
    |_| Ok::<(), Error>(())
);
paused_run!(
    TeamRunPausedEvent,
    TeamRunEvent,
    team_id,
    |e: &TeamRunPausedEvent| Awaiting::Requirements(e.requirements.clone().unwrap_or_default()),
    |_| Ok::<(), Error>(())
);
paused_run!(
    WorkflowPausedEvent,
    WorkflowRunEvent,
    workflow_id,
    |e: &WorkflowPausedEvent| Awaiting::Steps(e.step_requirements.clone().unwrap_or_default()),
    |_| Ok::<(), Error>(())
);

/// Continues a paused run from its output or paused event: `continue_run`,
/// `continue_run_stream`. Resolve what it waits for by id, then await it.
///
/// A continue that leaves something unresolved is refused before sending, naming what is
/// left (the server would silently reject or re-ask it), unless
/// [`allow_unresolved`](Self::allow_unresolved) says so. Tool calls gated by an admin
/// approval are decided by the approval (`resolve_approval` of the approvals area): the
/// continue then sends no tools, which is what the server expects.
#[must_use = "a run does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct ContinuePaused<E: StreamEvent, const STREAM: bool> {
    client: AgentOsClient,
    /// The per-call options of the continue.
    call: CallOptions,
    paused: Result<Paused>,
    allow_unresolved: bool,
    error: Option<Error>,
    _kind: PhantomData<fn() -> E>,
}

impl<E: StreamEvent, const STREAM: bool> ContinuePaused<E, STREAM> {
    pub(crate) fn new<P: PausedRun<Event = E>>(client: &AgentOsClient, paused: &P) -> Self {
        ContinuePaused {
            client: client.clone(),
            call: CallOptions::new(),
            paused: paused.paused(),
            allow_unresolved: false,
            error: None,
            _kind: PhantomData,
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut Awaiting) -> Result<()>) -> Self {
        if self.error.is_none() {
            if let Ok(p) = &mut self.paused {
                if let Err(e) = f(&mut p.awaiting) {
                    self.error = Some(e);
                }
            }
        }
        self
    }

    /// Confirms every pending confirmation: tool calls, steps and output reviews.
    pub fn confirm_all(self) -> Self {
        self.edit(|a| {
            a.confirm_all();
            Ok(())
        })
    }

    /// Confirms one tool call (by tool call id) or step (by step id or name).
    pub fn confirm(self, id: &str) -> Self {
        self.edit(|a| {
            a.found(id)?.confirm();
            Ok(())
        })
    }

    /// Rejects one tool call (by tool call id) or step (by step id or name) with a note the
    /// model (or the step's `on_reject`) sees.
    pub fn reject(self, id: &str, note: impl Into<String>) -> Self {
        let note = note.into();
        self.edit(|a| {
            a.found(id)?.reject(&note);
            Ok(())
        })
    }

    /// Gives the result of a tool the caller ran itself (external execution).
    pub fn result(self, tool_call_id: &str, result: impl Into<String>) -> Self {
        let result = result.into();
        self.edit(|a| match a.found(tool_call_id)? {
            Item::Tool(t) => {
                t.set_result(result);
                Ok(())
            }
            Item::Requirement(r) => {
                r.set_result(result);
                Ok(())
            }
            Item::Step(_) => Err(Error::InvalidRequest(format!(
                "{tool_call_id:?} is a step, not a tool call"
            ))),
        })
    }

    /// Fills a user-input field (of the first tool call or step that asks for it).
    pub fn input(self, field: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        self.edit(|a| a.fill(field, value))
    }

    /// Edits what the run waits for directly (e.g. to answer a user-feedback question or
    /// choose a router's routes).
    pub fn edit_with(self, f: impl FnOnce(&mut Awaiting) -> Result<()>) -> Self {
        self.edit(f)
    }

    /// Sends the continue even when something is left unresolved (the server then rejects
    /// a pending confirmation, or asks again).
    pub fn allow_unresolved(mut self) -> Self {
        self.allow_unresolved = true;
        self
    }

    /// The continue call: the id-by-id builder with what was resolved.
    /// The continue, with the per-call options.
    fn builder(mut self) -> ContinueBuilder<E, STREAM> {
        let options = std::mem::take(&mut self.call);
        self.continue_builder().with_options(options)
    }

    fn continue_builder(self) -> ContinueBuilder<E, STREAM> {
        let fail = |client: &AgentOsClient, e: Error| {
            ContinueBuilder::<E, STREAM>::new(client, &AGENT, "-", "-", "-").failed(e)
        };
        let p = match self.paused {
            Ok(p) => p,
            Err(e) => return fail(&self.client, e),
        };
        if let Some(e) = self.error {
            return fail(&self.client, e);
        }
        let unresolved = p.awaiting.unresolved();
        if !unresolved.is_empty() && !self.allow_unresolved {
            return fail(
                &self.client,
                Error::InvalidRequest(format!(
                    "the continue leaves unresolved: {}; resolve them (confirm, reject, result, \
                     input) or call allow_unresolved()",
                    unresolved.join(", ")
                )),
            );
        }
        let gated = !p.awaiting.admin_approvals().is_empty();
        let routes = match &p.awaiting {
            Awaiting::Tools(_) => &AGENT,
            Awaiting::Requirements(_) => &TEAM,
            Awaiting::Steps(_) => &WORKFLOW,
        };
        let b = ContinueBuilder::<E, STREAM>::new(
            &self.client,
            routes,
            &p.id,
            &p.run_id,
            &p.session_id,
        );
        if gated {
            if has_other_resolutions(&p.awaiting) && !self.allow_unresolved {
                return fail(
                    &self.client,
                    Error::InvalidRequest(
                        "the run waits for admin approvals and for other tool calls: the server \
                         applies the approvals' decisions to a continue without tools, which \
                         rejects the others; call allow_unresolved() to mean it"
                            .into(),
                    ),
                );
            }
            return b.apply_approval_decisions();
        }
        let b = if self.allow_unresolved {
            b.allow_unresolved()
        } else {
            b
        };
        b.awaiting(&p.awaiting)
    }
}

/// Whether anything besides the admin-approval-gated calls waits (or was resolved).
fn has_other_resolutions(a: &Awaiting) -> bool {
    match a {
        Awaiting::Tools(t) => t.iter().any(|t| t.admin_approval_id().is_none()),
        Awaiting::Requirements(r) => r.iter().any(|r| !is_gated(r.tool_execution.as_ref())),
        Awaiting::Steps(_) => false,
    }
}

impl<E: StreamEvent> ContinuePaused<E, false> {
    /// Sends the continue and waits for the output.
    pub async fn send(self) -> Result<E::Output> {
        self.builder().send().await
    }
}

impl<E: StreamEvent> ContinuePaused<E, true> {
    /// Sends the continue and returns the event stream.
    pub async fn send(self) -> Result<RunStream<E>> {
        self.builder().send().await
    }
}

agentos_core::impl_call_builder!([E: StreamEvent, const STREAM: bool] ContinuePaused<E, STREAM>, options);
agentos_core::impl_call_builder!([E: StreamEvent] ContinuePaused<E, false> => E::Output, into_future);
agentos_core::impl_call_builder!([E: StreamEvent] ContinuePaused<E, true> => RunStream<E>, into_future);
