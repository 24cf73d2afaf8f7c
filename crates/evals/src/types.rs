//! The types of the eval routes: stored eval runs and their typed results.

use agentos_core::Timestamp;
use agentos_core::kit::de::null_default;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use agentos_core::Extra;

agentos_core::open_enum! {
    /// The kind of an eval.
    pub enum EvalType {
        /// A judge model scores the output against an expected output.
        Accuracy = "accuracy",
        /// A judge model checks the output against criteria.
        AgentAsJudge = "agent_as_judge",
        /// Run time and memory over several runs.
        Performance = "performance",
        /// The tools called (and their arguments) against the expected ones.
        Reliability = "reliability",
    }
}

/// The kind of component an eval ran against (the `type` filter of `list_eval_runs`): the
/// SDK's one agent/team/workflow vocabulary, the same type as
/// [`SessionType`](agentos_core::SessionType).
pub type EvalFilterType = agentos_core::SessionType;

/// A stored eval run (`EvalSchema`): what every eval call returns.
///
/// The results are in [`eval_data`](Self::eval_data), whose shape depends on the eval type;
/// [`result`](Self::result) reads them as a typed [`EvalResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EvalSchema {
    /// The eval run id.
    pub id: String,
    /// The agent evaluated.
    pub agent_id: Option<String>,
    /// The model used.
    pub model_id: Option<String>,
    /// The model provider.
    pub model_provider: Option<String>,
    /// The team evaluated.
    pub team_id: Option<String>,
    /// The workflow evaluated.
    pub workflow_id: Option<String>,
    /// The name given to the run.
    pub name: Option<String>,
    /// The name of the component evaluated (filled when read back).
    pub evaluated_component_name: Option<String>,
    /// The user who ran it.
    pub user_id: Option<String>,
    /// The kind of eval.
    pub eval_type: EvalType,
    /// The results, as sent (see [`result`](Self::result)).
    #[serde(default, deserialize_with = "null_default")]
    pub eval_data: Map<String, Value>,
    /// The parameters the eval ran with (filled when read back).
    pub eval_input: Option<Map<String, Value>>,
    /// When it was stored (filled when read back).
    pub created_at: Option<Timestamp>,
    /// When it was last changed (filled when read back).
    pub updated_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EvalSchema {
    /// The results as a typed [`EvalResult`], chosen by [`eval_type`](Self::eval_type).
    ///
    /// The server sends the same results in two shapes: flat in the answer of `run_eval`,
    /// and, for some types, nested as `{"result": {..}, "runs": [..]}` when read back. Both
    /// read the same here.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_evals::{EvalResult, EvalsExt};
    /// let eval = client.get_eval_run("d844eed4").await?;
    /// match eval.result() {
    ///     Ok(EvalResult::Accuracy(r)) => println!("average score {:?}", r.avg_score),
    ///     Ok(EvalResult::Performance(r)) => println!("average run {:?} s", r.avg_run_time),
    ///     Ok(other) => println!("{other:?}"),
    ///     Err(e) => eprintln!("unexpected results: {e}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn result(&self) -> serde_json::Result<EvalResult> {
        let data = Value::Object(normalized(&self.eval_data));
        Ok(match &self.eval_type {
            EvalType::Accuracy => EvalResult::Accuracy(serde_json::from_value(data)?),
            EvalType::AgentAsJudge => EvalResult::AgentAsJudge(serde_json::from_value(data)?),
            EvalType::Performance => EvalResult::Performance(serde_json::from_value(data)?),
            EvalType::Reliability => EvalResult::Reliability(serde_json::from_value(data)?),
            EvalType::Unknown(_) => EvalResult::Unknown(self.eval_data.clone()),
        })
    }
}

/// Flattens the read-back shape `{"result": {..}, "runs": [{"runtime", "memory"}]}` into the
/// shape `run_eval` answers with.
fn normalized(data: &Map<String, Value>) -> Map<String, Value> {
    let mut out = data.clone();
    if let Some(Value::Object(inner)) = data.get("result") {
        for (k, v) in inner {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    if let Some(Value::Array(runs)) = data.get("runs") {
        let pick = |key: &str| -> Value {
            runs.iter()
                .filter_map(|r| r.get(key).cloned())
                .collect::<Vec<_>>()
                .into()
        };
        if !out.contains_key("run_times") {
            out.insert("run_times".into(), pick("runtime"));
        }
        if !out.contains_key("memory_usages") {
            out.insert("memory_usages".into(), pick("memory"));
        }
    }
    out
}

/// The typed results of an eval run, from [`EvalSchema::result`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EvalResult {
    /// An accuracy eval.
    Accuracy(AccuracyResult),
    /// An agent-as-judge eval.
    AgentAsJudge(AgentAsJudgeResult),
    /// A performance eval.
    Performance(PerformanceResult),
    /// A reliability eval.
    Reliability(ReliabilityResult),
    /// An eval type this SDK does not know: the results as sent.
    Unknown(Map<String, Value>),
}

/// One scored iteration of an accuracy eval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccuracyEvaluation {
    /// The input.
    pub input: Option<String>,
    /// What the agent or team answered.
    pub output: Option<String>,
    /// What was expected.
    pub expected_output: Option<String>,
    /// The judge's score (1 to 10).
    pub score: Option<f64>,
    /// The judge's reason.
    pub reason: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The results of an accuracy eval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccuracyResult {
    /// One entry per iteration.
    #[serde(default, deserialize_with = "null_default")]
    pub results: Vec<AccuracyEvaluation>,
    /// The average score.
    pub avg_score: Option<f64>,
    /// The mean score.
    pub mean_score: Option<f64>,
    /// The lowest score.
    pub min_score: Option<f64>,
    /// The highest score.
    pub max_score: Option<f64>,
    /// The standard deviation of the scores.
    pub std_dev_score: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One judged iteration of an agent-as-judge eval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentAsJudgeEvaluation {
    /// The input.
    pub input: Option<String>,
    /// What the agent or team answered.
    pub output: Option<String>,
    /// The criteria judged.
    pub criteria: Option<String>,
    /// The score (numeric scoring only).
    pub score: Option<f64>,
    /// The judge's reason.
    pub reason: Option<String>,
    /// Whether it passed.
    pub passed: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The results of an agent-as-judge eval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgentAsJudgeResult {
    /// One entry per iteration.
    #[serde(default, deserialize_with = "null_default")]
    pub results: Vec<AgentAsJudgeEvaluation>,
    /// The average score (numeric scoring).
    pub avg_score: Option<f64>,
    /// The lowest score.
    pub min_score: Option<f64>,
    /// The highest score.
    pub max_score: Option<f64>,
    /// The standard deviation of the scores.
    pub std_dev_score: Option<f64>,
    /// The share of iterations that passed, in percent.
    pub pass_rate: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The results of a performance eval. Times are in seconds, memory in MiB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PerformanceResult {
    /// The run time of each measured run, in seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub run_times: Vec<f64>,
    /// The average run time.
    pub avg_run_time: Option<f64>,
    /// The shortest run time.
    pub min_run_time: Option<f64>,
    /// The longest run time.
    pub max_run_time: Option<f64>,
    /// The standard deviation of the run times.
    pub std_dev_run_time: Option<f64>,
    /// The median run time.
    pub median_run_time: Option<f64>,
    /// The 95th percentile of the run times.
    pub p95_run_time: Option<f64>,
    /// The peak memory of each measured run, in MiB.
    #[serde(default, deserialize_with = "null_default")]
    pub memory_usages: Vec<f64>,
    /// The average memory.
    pub avg_memory_usage: Option<f64>,
    /// The smallest memory.
    pub min_memory_usage: Option<f64>,
    /// The largest memory.
    pub max_memory_usage: Option<f64>,
    /// The standard deviation of the memory.
    pub std_dev_memory_usage: Option<f64>,
    /// The median memory.
    pub median_memory_usage: Option<f64>,
    /// The 95th percentile of the memory.
    pub p95_memory_usage: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The results of a reliability eval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReliabilityResult {
    /// `PASSED` or `FAILED`.
    pub eval_status: Option<String>,
    /// Expected tools that were called wrongly.
    #[serde(default, deserialize_with = "null_default")]
    pub failed_tool_calls: Vec<String>,
    /// Expected tools that were called.
    #[serde(default, deserialize_with = "null_default")]
    pub passed_tool_calls: Vec<String>,
    /// Tools called that were not expected.
    #[serde(default, deserialize_with = "null_default")]
    pub additional_tool_calls: Vec<String>,
    /// Expected tools that were not called.
    #[serde(default, deserialize_with = "null_default")]
    pub missing_tool_calls: Vec<String>,
    /// Argument checks that failed.
    #[serde(default, deserialize_with = "null_default")]
    pub failed_argument_checks: Vec<String>,
    /// Argument checks that passed.
    #[serde(default, deserialize_with = "null_default")]
    pub passed_argument_checks: Vec<String>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ReliabilityResult {
    /// True when the eval passed.
    pub fn passed(&self) -> bool {
        self.eval_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("PASSED"))
    }
}
