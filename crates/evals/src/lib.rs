#![cfg_attr(docsrs, feature(doc_cfg))]
//! The evals area of the AgentOS Rust SDK: [`EvalsExt`] adds the eval-run calls to
//! [`AgentOsClient`].
//!
//! An eval runs an agent or a team on an input and judges the result. [`EvalsExt::run_eval`]
//! takes the target ([`EvalTarget`]), the input, and the kind of eval as a typed value:
//! [`AccuracyEval`], [`PerformanceEval`], [`ReliabilityEval`] or [`AgentAsJudgeEval`]. The
//! server runs the eval inside the request, so the call has a longer timeout of its own
//! ([`DEFAULT_EVAL_TIMEOUT`]). Stored runs are listed, read, renamed and deleted with the other
//! calls, and [`EvalSchema::result`] reads their results as a typed [`EvalResult`].
//!
//! ```no_run
//! # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
//! use agentos_evals::{AccuracyEval, EvalResult, EvalTarget, EvalType, EvalsExt};
//!
//! let eval = client
//!     .run_eval(EvalTarget::agent("echo-agent"), "What is 2+2?", AccuracyEval::new("4"))
//!     .name("arithmetic")
//!     .num_iterations(3)
//!     .await?;
//! if let Ok(EvalResult::Accuracy(r)) = eval.result() {
//!     println!("average score {:?}", r.avg_score);
//! }
//! let accuracy_runs = client.list_eval_runs().agent_id("echo-agent").eval_types([EvalType::Accuracy]).await?;
//! client.delete_eval_runs([eval.id.as_str()]).await?;
//! # Ok(()) }
//! ```

mod types;

use std::time::Duration;

use agentos_core::kit::CallKit;
use agentos_core::kit::{decode_json, decode_unit};
use agentos_core::{AgentOsClient, Call, Error, Page, Request, Response, Result};
use serde_json::{Map, Value, json};

pub use types::{
    AccuracyEvaluation, AccuracyResult, AgentAsJudgeEvaluation, AgentAsJudgeResult, EvalFilterType,
    EvalResult, EvalSchema, EvalType, Extra, PerformanceResult, ReliabilityResult,
};

/// The timeout of [`EvalsExt::run_eval`] unless the call sets its own: the eval runs inside the
/// request (judge model calls, several iterations).
pub const DEFAULT_EVAL_TIMEOUT: Duration = Duration::from_secs(600);

/// The longest eval run name the server accepts, in characters.
pub const MAX_EVAL_NAME_CHARS: usize = 255;

/// The most iterations an eval may run.
pub const MAX_EVAL_ITERATIONS: u32 = 100;

agentos_core::routes! {
    /// The operations this crate wraps: (method, path template as in the server's OpenAPI).
    EVAL_RUNS = "/eval-runs": GET, POST, DELETE;
    EVAL_RUNS_EVAL_RUN_ID = "/eval-runs/{eval_run_id}": GET, PATCH;
}

/// What an eval runs against: exactly one agent or one team.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalTarget {
    /// The agent with this id.
    Agent(String),
    /// The team with this id.
    Team(String),
}

impl EvalTarget {
    /// The agent with this id.
    pub fn agent(agent_id: impl Into<String>) -> Self {
        EvalTarget::Agent(agent_id.into())
    }

    /// The team with this id.
    pub fn team(team_id: impl Into<String>) -> Self {
        EvalTarget::Team(team_id.into())
    }

    fn field_and_id(&self) -> (&'static str, &str) {
        match self {
            EvalTarget::Agent(id) => ("agent_id", id),
            EvalTarget::Team(id) => ("team_id", id),
        }
    }
}

/// An accuracy eval: a judge model scores the answer (1 to 10) against an expected output.
#[derive(Debug, Clone, PartialEq)]
pub struct AccuracyEval {
    expected_output: String,
}

impl AccuracyEval {
    /// Judges the answer against `expected_output` (must not be empty).
    pub fn new(expected_output: impl Into<String>) -> Self {
        AccuracyEval {
            expected_output: expected_output.into(),
        }
    }
}

/// A performance eval: run time and memory over [`num_iterations`](RunEval::num_iterations)
/// runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PerformanceEval {
    warmup_runs: Option<u32>,
}

impl PerformanceEval {
    /// A performance eval without warm-up runs.
    pub fn new() -> Self {
        PerformanceEval::default()
    }

    /// Runs the target this many times (0 to 10) before measuring.
    pub fn warmup_runs(mut self, runs: u32) -> Self {
        self.warmup_runs = Some(runs);
        self
    }
}

/// A reliability eval: the tools the target called, against the expected ones (and,
/// optionally, their arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityEval {
    expected_tool_calls: Vec<String>,
    allow_additional_tool_calls: bool,
    expected_arguments: Vec<(String, Value)>,
}

impl ReliabilityEval {
    /// Expects these tools to be called.
    pub fn new<I, S>(expected_tool_calls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ReliabilityEval {
            expected_tool_calls: expected_tool_calls.into_iter().map(Into::into).collect(),
            allow_additional_tool_calls: false,
            expected_arguments: Vec::new(),
        }
    }

    /// `true` lets the target call tools that are not expected (default `false`).
    pub fn allow_additional_tool_calls(mut self, allow: bool) -> Self {
        self.allow_additional_tool_calls = allow;
        self
    }

    /// Expects `tool` to be called with these arguments (a JSON object, e.g.
    /// `json!({"text": "ping"})`; checked before sending). Give the same tool several times
    /// to expect several calls of it.
    pub fn expected_arguments(mut self, tool: impl Into<String>, arguments: Value) -> Self {
        self.expected_arguments.push((tool.into(), arguments));
        self
    }
}

/// How an agent-as-judge eval scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JudgeScoring {
    /// Pass or fail.
    Binary,
    /// A score from 1 to 10; the answer passes at `threshold` (1 to 10) or above.
    Numeric { threshold: u8 },
}

/// An agent-as-judge eval: a judge model checks the answer against criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentAsJudgeEval {
    criteria: String,
    scoring: JudgeScoring,
}

impl AgentAsJudgeEval {
    /// Pass/fail judgement against `criteria` (must not be empty).
    pub fn binary(criteria: impl Into<String>) -> Self {
        AgentAsJudgeEval {
            criteria: criteria.into(),
            scoring: JudgeScoring::Binary,
        }
    }

    /// A 1-to-10 score against `criteria`; the answer passes at `threshold` (1 to 10) or
    /// above.
    pub fn numeric(criteria: impl Into<String>, threshold: u8) -> Self {
        AgentAsJudgeEval {
            criteria: criteria.into(),
            scoring: JudgeScoring::Numeric { threshold },
        }
    }
}

/// The kind of eval [`EvalsExt::run_eval`] runs, with the inputs that kind needs. Each kind
/// converts into it, so `run_eval` takes an [`AccuracyEval`] or any other directly.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EvalKind {
    /// An accuracy eval.
    Accuracy(AccuracyEval),
    /// A performance eval.
    Performance(PerformanceEval),
    /// A reliability eval.
    Reliability(ReliabilityEval),
    /// An agent-as-judge eval.
    AgentAsJudge(AgentAsJudgeEval),
}

impl EvalKind {
    /// The eval type sent as `eval_type`.
    pub fn eval_type(&self) -> EvalType {
        match self {
            EvalKind::Accuracy(_) => EvalType::Accuracy,
            EvalKind::Performance(_) => EvalType::Performance,
            EvalKind::Reliability(_) => EvalType::Reliability,
            EvalKind::AgentAsJudge(_) => EvalType::AgentAsJudge,
        }
    }

    /// Adds this kind's fields to the body, refusing what the server would refuse.
    fn write(&self, body: &mut Map<String, Value>) -> Result<()> {
        body.insert("eval_type".into(), json!(self.eval_type().as_str()));
        match self {
            EvalKind::Accuracy(a) => {
                if a.expected_output.is_empty() {
                    return Err(invalid(
                        "an accuracy eval needs a non-empty expected_output",
                    ));
                }
                body.insert("expected_output".into(), json!(a.expected_output));
            }
            EvalKind::Performance(p) => {
                if let Some(w) = p.warmup_runs {
                    if w > 10 {
                        return Err(invalid(format!("warmup_runs must be 0 to 10, got {w}")));
                    }
                    body.insert("warmup_runs".into(), json!(w));
                }
            }
            EvalKind::Reliability(r) => {
                body.insert("expected_tool_calls".into(), json!(r.expected_tool_calls));
                body.insert(
                    "allow_additional_tool_calls".into(),
                    json!(r.allow_additional_tool_calls),
                );
                if !r.expected_arguments.is_empty() {
                    body.insert(
                        "expected_tool_call_arguments".into(),
                        Value::Object(expected_arguments(&r.expected_arguments)?),
                    );
                }
            }
            EvalKind::AgentAsJudge(j) => {
                if j.criteria.is_empty() {
                    return Err(invalid("an agent-as-judge eval needs non-empty criteria"));
                }
                body.insert("criteria".into(), json!(j.criteria));
                match j.scoring {
                    JudgeScoring::Binary => {
                        body.insert("scoring_strategy".into(), json!("binary"));
                    }
                    JudgeScoring::Numeric { threshold } => {
                        if !(1..=10).contains(&threshold) {
                            return Err(invalid(format!(
                                "the threshold must be 1 to 10, got {threshold}"
                            )));
                        }
                        body.insert("scoring_strategy".into(), json!("numeric"));
                        body.insert("threshold".into(), json!(threshold));
                    }
                }
            }
        }
        Ok(())
    }
}

/// `{"tool": {args}}`, or `{"tool": [{args}, {args}]}` for a tool expected several times.
fn expected_arguments(pairs: &[(String, Value)]) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for (tool, args) in pairs {
        if !args.is_object() {
            return Err(invalid(format!(
                "the expected arguments of {tool} must be a JSON object, got {args}"
            )));
        }
        match out.remove(tool) {
            None => {
                out.insert(tool.clone(), args.clone());
            }
            Some(Value::Array(mut list)) => {
                list.push(args.clone());
                out.insert(tool.clone(), Value::Array(list));
            }
            Some(first) => {
                out.insert(tool.clone(), json!([first, args]));
            }
        }
    }
    Ok(out)
}

impl From<AccuracyEval> for EvalKind {
    fn from(e: AccuracyEval) -> Self {
        EvalKind::Accuracy(e)
    }
}

impl From<PerformanceEval> for EvalKind {
    fn from(e: PerformanceEval) -> Self {
        EvalKind::Performance(e)
    }
}

impl From<ReliabilityEval> for EvalKind {
    fn from(e: ReliabilityEval) -> Self {
        EvalKind::Reliability(e)
    }
}

impl From<AgentAsJudgeEval> for EvalKind {
    fn from(e: AgentAsJudgeEval) -> Self {
        EvalKind::AgentAsJudge(e)
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidRequest(message.into())
}

fn check_name(name: &str) -> Result<()> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_EVAL_NAME_CHARS {
        return Err(invalid(format!(
            "an eval run name must be 1 to {MAX_EVAL_NAME_CHARS} characters, got {chars}"
        )));
    }
    Ok(())
}

/// Decodes the answer of `run_eval`; the server answers `null` when it evaluated nothing
/// (remote agents and teams).
fn decode_eval_run(resp: Response) -> Result<EvalSchema> {
    let eval: Option<EvalSchema> = resp.json()?;
    eval.ok_or_else(|| Error::JobFailed {
        what: "eval run".into(),
        message: "the server ran no evaluation (it cannot evaluate remote agents or teams)".into(),
    })
}

/// `POST /eval-runs`, from [`EvalsExt::run_eval`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct RunEval {
    call: Call<EvalSchema>,
    target: EvalTarget,
    input: String,
    kind: EvalKind,
    name: Option<String>,
    model: Option<(String, String)>,
    additional_guidelines: Option<String>,
    additional_context: Option<String>,
    num_iterations: Option<u32>,
}

impl RunEval {
    /// Names the stored eval run.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Runs the agent or team with this model instead of its own, e.g.
    /// `.model("gpt-4o-mini", "openai")` (the server switches only when both are given).
    pub fn model(mut self, model_id: impl Into<String>, model_provider: impl Into<String>) -> Self {
        self.model = Some((model_id.into(), model_provider.into()));
        self
    }

    /// Guidelines for the judge (accuracy and agent-as-judge evals).
    pub fn additional_guidelines(mut self, guidelines: impl Into<String>) -> Self {
        self.additional_guidelines = Some(guidelines.into());
        self
    }

    /// Context for the judge (accuracy evals).
    pub fn additional_context(mut self, context: impl Into<String>) -> Self {
        self.additional_context = Some(context.into());
        self
    }

    /// How many times to run (1 to 100, default 1).
    pub fn num_iterations(mut self, n: u32) -> Self {
        self.num_iterations = Some(n);
        self
    }

    fn body(&self) -> Result<Value> {
        let (field, id) = self.target.field_and_id();
        if id.is_empty() {
            return Err(invalid(format!("{field} must not be empty")));
        }
        if self.input.is_empty() {
            return Err(invalid("the eval input must not be empty"));
        }
        let mut body = Map::new();
        self.kind.write(&mut body)?;
        body.insert("input".into(), json!(self.input));
        body.insert(field.into(), json!(id));
        if let Some(name) = &self.name {
            check_name(name)?;
            body.insert("name".into(), json!(name));
        }
        if let Some((model_id, provider)) = &self.model {
            body.insert("model_id".into(), json!(model_id));
            body.insert("model_provider".into(), json!(provider));
        }
        if let Some(g) = &self.additional_guidelines {
            body.insert("additional_guidelines".into(), json!(g));
        }
        if let Some(c) = &self.additional_context {
            body.insert("additional_context".into(), json!(c));
        }
        if let Some(n) = self.num_iterations {
            if !(1..=MAX_EVAL_ITERATIONS).contains(&n) {
                return Err(invalid(format!(
                    "num_iterations must be 1 to {MAX_EVAL_ITERATIONS}, got {n}"
                )));
            }
            body.insert("num_iterations".into(), json!(n));
        }
        Ok(Value::Object(body))
    }

    fn finish(self) -> Call<EvalSchema> {
        match self.body() {
            Ok(body) => self
                .call
                .try_with_request(|r| r.set_json(&body))
                .check_db_params(),
            Err(e) => self.call.fail(e),
        }
    }
}

agentos_core::call_builder! {
    /// `GET /eval-runs`, from [`EvalsExt::list_eval_runs`]: one page, or every page as a stream.
    pub struct ListEvalRuns => Page<EvalSchema>, db_params, paged(EvalSchema, sorted);
}

agentos_core::query_setters!(ListEvalRuns {
    /// Only the runs of this agent.
    agent_id,
    /// Only the runs of this team.
    team_id,
    /// Only the runs of this workflow.
    workflow_id,
    /// Only the runs that used this model.
    model_id,
});

impl ListEvalRuns {
    /// Only the runs against this kind of component (sent as `type`).
    pub fn filter_type(mut self, filter_type: EvalFilterType) -> Self {
        self.call = self.call.query("type", filter_type.as_str().to_owned());
        self
    }

    /// Only the runs of these eval types (sent comma-separated in one `eval_types`
    /// parameter, as the server wants).
    pub fn eval_types(mut self, eval_types: impl IntoIterator<Item = EvalType>) -> Self {
        let types: Vec<EvalType> = eval_types.into_iter().collect();
        self.call = self
            .call
            .with_request(|r| r.set_query_csv("eval_types", types.iter().map(EvalType::as_str)));
        self
    }
}

agentos_core::call_builder! {
    /// `GET /eval-runs/{eval_run_id}`, from [`EvalsExt::get_eval_run`].
    pub struct GetEvalRun => EvalSchema, db_params;
}

/// `PATCH /eval-runs/{eval_run_id}`, from [`EvalsExt::update_eval_run`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct UpdateEvalRun {
    call: Call<EvalSchema>,
    name: String,
}

impl UpdateEvalRun {
    fn finish(self) -> Call<EvalSchema> {
        if let Err(e) = check_name(&self.name) {
            return self.call.fail(e);
        }
        let body = json!({ "name": self.name });
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

/// `DELETE /eval-runs` with a JSON body, from [`EvalsExt::delete_eval_runs`].
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct DeleteEvalRuns {
    call: Call<()>,
    ids: Vec<String>,
}

impl DeleteEvalRuns {
    fn finish(self) -> Call<()> {
        if self.ids.is_empty() {
            return self
                .call
                .fail(invalid("delete_eval_runs needs at least one id"));
        }
        if self.ids.iter().any(String::is_empty) {
            return self.call.fail(invalid("an eval run id must not be empty"));
        }
        let body = json!({ "eval_run_ids": self.ids });
        self.call
            .try_with_request(|r| r.set_json(&body))
            .check_db_params()
    }
}

agentos_core::impl_call_builder!(RunEval => EvalSchema);
agentos_core::impl_call_builder!(UpdateEvalRun => EvalSchema);
agentos_core::impl_call_builder!(DeleteEvalRuns => ());
agentos_core::impl_db_params!(RunEval, UpdateEvalRun, DeleteEvalRuns);

agentos_core::seal_extension_traits!();

/// The eval-run calls of an [`AgentOsClient`].
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait EvalsExt: sealed::Sealed {
    /// `GET /eval-runs`: a page of stored eval runs, newest first, filtered by agent, team,
    /// workflow, model, component type and eval types; [`ListEvalRuns::into_stream`] walks
    /// every page.
    ///
    /// agno 3.1.10 stores agent-as-judge runs without their agent or team id (only the answer
    /// of `run_eval` carries it), so filters by agent or team do not find them; filter them by
    /// [`eval_types`](ListEvalRuns::eval_types).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_evals::{EvalFilterType, EvalType, EvalsExt};
    /// let page = client
    ///     .list_eval_runs()
    ///     .filter_type(EvalFilterType::Agent)
    ///     .agent_id("echo-agent")
    ///     .eval_types([EvalType::Accuracy, EvalType::Performance])
    ///     .limit(10)
    ///     .await?;
    /// for run in &page.data {
    ///     println!("{} {} {:?}", run.id, run.eval_type, run.name);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_eval_runs(&self) -> ListEvalRuns;

    /// `GET /eval-runs/{eval_run_id}`: one stored eval run (404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_evals::EvalsExt;
    /// let eval = client.get_eval_run("d844eed4").await?;
    /// println!("{:?} on {:?}: {:?}", eval.eval_type, eval.evaluated_component_name, eval.result());
    /// # Ok(()) }
    /// ```
    fn get_eval_run(&self, eval_run_id: &str) -> GetEvalRun;

    /// `PATCH /eval-runs/{eval_run_id}`: renames an eval run (1 to 255 characters, checked
    /// before sending; 404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_evals::EvalsExt;
    /// let renamed = client.update_eval_run("d844eed4", "baseline, June").await?;
    /// assert_eq!(renamed.name.as_deref(), Some("baseline, June"));
    /// # Ok(()) }
    /// ```
    fn update_eval_run(&self, eval_run_id: &str, name: impl Into<String>) -> UpdateEvalRun;

    /// `DELETE /eval-runs` with the ids in a JSON body (204; unknown ids are ignored). An
    /// empty list is refused before sending.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_evals::EvalsExt;
    /// client.delete_eval_runs(["d844eed4", "8f301093"]).await?;
    /// # Ok(()) }
    /// ```
    fn delete_eval_runs<I, S>(&self, eval_run_ids: I) -> DeleteEvalRuns
    where
        I: IntoIterator<Item = S>,
        S: Into<String>;

    /// `POST /eval-runs`: runs an eval of `kind` against an agent or a team on `input`, and
    /// stores it. The server runs the eval inside the request, so the call waits for it, with
    /// a timeout of [`DEFAULT_EVAL_TIMEOUT`] unless it sets its own (`.timeout(..)`). It is
    /// not retried, as every attempt would run the eval again.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use serde_json::json;
    /// use agentos_evals::{
    ///     AgentAsJudgeEval, EvalResult, EvalTarget, EvalsExt, PerformanceEval, ReliabilityEval,
    /// };
    /// let agent = EvalTarget::agent("echo-agent");
    ///
    /// let perf = client
    ///     .run_eval(agent.clone(), "hello", PerformanceEval::new().warmup_runs(1))
    ///     .num_iterations(5)
    ///     .await?;
    ///
    /// let tools = client
    ///     .run_eval(
    ///         agent.clone(),
    ///         "Echo ping",
    ///         ReliabilityEval::new(["echo_tool"]).expected_arguments("echo_tool", json!({"text": "ping"})),
    ///     )
    ///     .await?;
    ///
    /// let judged = client
    ///     .run_eval(EvalTarget::team("echo-team"), "hello", AgentAsJudgeEval::numeric("Is polite", 7))
    ///     .model("gpt-4o-mini", "openai")
    ///     .await?;
    /// if let Ok(EvalResult::AgentAsJudge(r)) = judged.result() {
    ///     println!("pass rate {:?}%", r.pass_rate);
    /// }
    /// # Ok(()) }
    /// ```
    fn run_eval(
        &self,
        target: EvalTarget,
        input: impl Into<String>,
        kind: impl Into<EvalKind>,
    ) -> RunEval;
}

impl EvalsExt for AgentOsClient {
    fn list_eval_runs(&self) -> ListEvalRuns {
        ListEvalRuns {
            call: Call::new(self, Request::get(route::EVAL_RUNS, &[]), decode_json),
        }
    }

    fn get_eval_run(&self, eval_run_id: &str) -> GetEvalRun {
        GetEvalRun {
            call: Call::new(
                self,
                Request::get(route::EVAL_RUNS_EVAL_RUN_ID, &[eval_run_id]),
                decode_json,
            ),
        }
    }

    fn update_eval_run(&self, eval_run_id: &str, name: impl Into<String>) -> UpdateEvalRun {
        UpdateEvalRun {
            call: Call::new(
                self,
                Request::patch(route::EVAL_RUNS_EVAL_RUN_ID, &[eval_run_id]),
                decode_json,
            ),
            name: name.into(),
        }
    }

    fn delete_eval_runs<I, S>(&self, eval_run_ids: I) -> DeleteEvalRuns
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DeleteEvalRuns {
            call: Call::new(self, Request::delete(route::EVAL_RUNS, &[]), decode_unit),
            ids: eval_run_ids.into_iter().map(Into::into).collect(),
        }
    }

    fn run_eval(
        &self,
        target: EvalTarget,
        input: impl Into<String>,
        kind: impl Into<EvalKind>,
    ) -> RunEval {
        RunEval {
            call: Call::new(self, Request::post(route::EVAL_RUNS, &[]), decode_eval_run)
                .timeout(DEFAULT_EVAL_TIMEOUT),
            target,
            input: input.into(),
            kind: kind.into(),
            name: None,
            model: None,
            additional_guidelines: None,
            additional_context: None,
            num_iterations: None,
        }
    }
}

#[cfg(test)]
mod tests;
