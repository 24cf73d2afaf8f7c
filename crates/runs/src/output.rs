//! What a run returns: [`RunOutput`], [`TeamRunOutput`], [`WorkflowRunOutput`], and the
//! human-in-the-loop types [`ToolExecution`], [`RunRequirement`] and [`StepRequirement`].
//!
//! **A failed run is not an HTTP error.** The server answers HTTP 200 with `status: ERROR` and
//! the message in `content`. Check [`RunOutput::error`] or use [`RunOutput::into_result`].

pub use agentos_core::RunStatus;
use agentos_core::kit::de::value_text;
use agentos_core::{Error, Result, RunFailure, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use agentos_core::Extra;

/// Content (of a run, an event or a tool result) that does not decode into the type asked
/// for. It keeps the content as sent.
#[derive(Debug, thiserror::Error)]
#[error("the content does not fit {type_name}: {source}")]
#[non_exhaustive]
pub struct ContentError {
    /// The type asked for.
    pub type_name: &'static str,
    /// The content as sent (`Value::Null` when there was none).
    pub content: Value,
    /// Why it does not fit.
    #[source]
    pub source: serde_json::Error,
}

/// Decodes content into `T`. Text that is itself JSON (a model that answered a schema as a
/// string) is decoded as that JSON.
pub(crate) fn decode_content<T: serde::de::DeserializeOwned>(
    content: Option<&Value>,
) -> std::result::Result<T, ContentError> {
    let content = content.unwrap_or(&Value::Null);
    let decoded = match content {
        Value::String(s) => serde_json::from_str(s).or_else(|_| T::deserialize(content)),
        other => T::deserialize(other),
    };
    decoded.map_err(|source| ContentError {
        type_name: std::any::type_name::<T>(),
        content: content.clone(),
        source,
    })
}

/// Token counts and timings of a run or a model call.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Metrics {
    /// Input tokens.
    pub input_tokens: Option<u64>,
    /// Output tokens.
    pub output_tokens: Option<u64>,
    /// Total tokens.
    pub total_tokens: Option<u64>,
    /// Seconds until the first token.
    pub time_to_first_token: Option<f64>,
    /// Seconds the run took.
    pub duration: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::deserialize_with_extra!(
    Metrics {
        input_tokens,
        output_tokens,
        total_tokens,
        time_to_first_token,
        duration,
    } extra
);

impl UserInputField {
    /// A field named `name`, with its value (e.g. for a tool call built by hand).
    ///
    /// ```
    /// let f = agentos_runs::UserInputField::new("city", "Paris");
    /// assert_eq!(f.value, Some("Paris".into()));
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<Value>) -> Self {
        UserInputField {
            name: name.into(),
            value: Some(value.into()),
            ..UserInputField::default()
        }
    }
}

/// One field a tool asks the user to fill (`user_input_schema`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserInputField {
    /// The field name.
    pub name: String,
    /// The Python type name, e.g. `str`.
    #[serde(default)]
    pub field_type: Option<String>,
    /// What the field is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The value: fill it before continuing.
    #[serde(default)]
    pub value: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserFeedbackQuestion {
    /// A question with the labels of its options.
    ///
    /// ```
    /// let q = agentos_runs::UserFeedbackQuestion::new("Which day?", ["Mon", "Tue"]);
    /// assert_eq!(q.labels(), ["Mon", "Tue"]);
    /// ```
    pub fn new<S: Into<String>>(
        question: impl Into<String>,
        labels: impl IntoIterator<Item = S>,
    ) -> Self {
        UserFeedbackQuestion {
            question: question.into(),
            options: Some(
                labels
                    .into_iter()
                    .map(|l| serde_json::json!({ "label": l.into() }))
                    .collect(),
            ),
            ..UserFeedbackQuestion::default()
        }
    }
}

/// One question of a user-feedback tool (`user_feedback_schema`, e.g. agno's `ask_user`):
/// pick among its options with [`ToolExecution::select_options`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserFeedbackQuestion {
    /// The question.
    pub question: String,
    /// A short title.
    #[serde(default)]
    pub header: Option<String>,
    /// The options (`{label, description?}` objects).
    #[serde(default)]
    pub options: Option<Vec<Value>>,
    /// Whether several options may be picked.
    #[serde(default)]
    pub multi_select: bool,
    /// The labels of the picked options: fill it before continuing.
    #[serde(default)]
    pub selected_options: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserFeedbackQuestion {
    /// The labels of the options.
    pub fn labels(&self) -> Vec<&str> {
        self.options
            .iter()
            .flatten()
            .filter_map(|o| o.get("label").and_then(Value::as_str))
            .collect()
    }
}

impl ToolExecution {
    /// A tool call with this id and tool name: the start of one built by hand (e.g. for a
    /// test, or to resolve a paused run known only by its ids). Set what it waits for with
    /// its fields, and resolve it with [`confirm`](Self::confirm), [`reject`](Self::reject),
    /// [`set_result`](Self::set_result) or [`set_input`](Self::set_input).
    ///
    /// ```
    /// use agentos_runs::ToolExecution;
    /// let mut call = ToolExecution::new("call-1", "deploy");
    /// call.requires_confirmation = Some(true);
    /// call.confirm();
    /// assert!(!call.is_pending());
    /// ```
    pub fn new(tool_call_id: impl Into<String>, tool_name: impl Into<String>) -> Self {
        ToolExecution {
            tool_call_id: Some(tool_call_id.into()),
            tool_name: Some(tool_name.into()),
            ..ToolExecution::default()
        }
    }
}

/// A tool call of a run. When the run is paused, set what it waits for and send the tools back
/// with `continue_agent_run`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ToolExecution {
    /// The id of the call.
    pub tool_call_id: Option<String>,
    /// The tool.
    pub tool_name: Option<String>,
    /// Its arguments.
    pub tool_args: Option<Value>,
    /// Its result.
    pub result: Option<Value>,
    /// Whether the call waits for a confirmation.
    pub requires_confirmation: Option<bool>,
    /// The confirmation: `true` runs the tool, `false` rejects it.
    pub confirmed: Option<bool>,
    /// Why it was confirmed or rejected.
    pub confirmation_note: Option<String>,
    /// Whether the call waits for user input.
    pub requires_user_input: Option<bool>,
    /// The fields to fill.
    pub user_input_schema: Option<Vec<UserInputField>>,
    /// The questions of a user-feedback tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_feedback_schema: Option<Vec<UserFeedbackQuestion>>,
    /// Whether the caller must run the tool and give its result.
    pub external_execution_required: Option<bool>,
    /// `required` when an admin approval gates the call.
    pub approval_type: Option<String>,
    /// The approval, when one gates the call.
    pub approval_id: Option<String>,
    /// When the call was made.
    pub created_at: Option<Timestamp>,
    /// Fields this SDK does not model (kept and sent back as they came).
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::deserialize_with_extra!(
    ToolExecution {
        tool_call_id,
        tool_name,
        tool_args,
        result,
        requires_confirmation,
        confirmed,
        confirmation_note,
        requires_user_input,
        user_input_schema,
        user_feedback_schema,
        external_execution_required,
        approval_type,
        approval_id,
        created_at,
    } extra
);

impl ToolExecution {
    /// The admin approval that gates this call, when one does (`approval_type` is
    /// `required`). Such a call is confirmed by resolving the approval (`resolve_approval` of
    /// the approvals area), not by [`confirm`](Self::confirm): the server refuses a continue
    /// while the approval is pending, and takes its decision once resolved.
    pub fn admin_approval_id(&self) -> Option<&str> {
        match (&self.approval_type, &self.approval_id) {
            (Some(kind), Some(id)) if kind == "required" => Some(id),
            _ => None,
        }
    }

    /// The result as text: a string as it is, JSON serialized; `None` when there is none.
    pub fn result_text(&self) -> Option<String> {
        self.result
            .as_ref()
            .and_then(value_text)
            .map(std::borrow::Cow::into_owned)
    }

    /// The result decoded into `T`. The error keeps the result as sent.
    pub fn result_as<T: serde::de::DeserializeOwned>(
        &self,
    ) -> std::result::Result<T, ContentError> {
        decode_content(self.result.as_ref())
    }

    /// True when the call waits for something from the caller.
    pub fn is_pending(&self) -> bool {
        (self.requires_confirmation == Some(true) && self.confirmed.is_none())
            || (self.external_execution_required == Some(true) && self.result.is_none())
            || (self.requires_user_input == Some(true)
                && self
                    .user_input_schema
                    .as_ref()
                    .is_some_and(|f| f.iter().any(|f| f.value.is_none())))
            || self
                .user_feedback_schema
                .as_ref()
                .is_some_and(|q| q.iter().any(|q| q.selected_options.is_none()))
    }

    /// Confirms the call: the tool runs.
    pub fn confirm(&mut self) -> &mut Self {
        self.confirmed = Some(true);
        self
    }

    /// Rejects the call, with a note the model sees.
    pub fn reject(&mut self, note: impl Into<String>) -> &mut Self {
        self.confirmed = Some(false);
        self.confirmation_note = Some(note.into());
        self
    }

    /// Gives the result of a tool the caller ran itself (external execution).
    pub fn set_result(&mut self, result: impl Into<String>) -> &mut Self {
        self.result = Some(Value::String(result.into()));
        self
    }

    /// Fills one user-input field. Fails when the tool has no such field.
    pub fn set_input(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let field = self
            .user_input_schema
            .as_mut()
            .and_then(|fields| fields.iter_mut().find(|f| f.name == name))
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "tool {:?} has no user-input field {name:?}",
                    self.tool_name
                ))
            })?;
        field.value = Some(value.into());
        Ok(self)
    }

    /// Answers one question of a user-feedback tool with the labels of the picked options.
    /// Fails when the tool has no such question, when a label is not one of its options, or
    /// when several are picked for a single-choice question.
    pub fn select_options<S: Into<String>>(
        &mut self,
        question: &str,
        labels: impl IntoIterator<Item = S>,
    ) -> Result<&mut Self> {
        let q = self
            .user_feedback_schema
            .as_mut()
            .and_then(|qs| qs.iter_mut().find(|q| q.question == question))
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "tool {:?} has no feedback question {question:?}",
                    self.tool_name
                ))
            })?;
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        let known = q.labels();
        if !known.is_empty() {
            if let Some(bad) = labels.iter().find(|l| !known.contains(&l.as_str())) {
                return Err(Error::InvalidRequest(format!(
                    "{bad:?} is not an option of {question:?} (options: {known:?})"
                )));
            }
        }
        if labels.len() > 1 && !q.multi_select {
            return Err(Error::InvalidRequest(format!(
                "{question:?} takes a single option"
            )));
        }
        q.selected_options = Some(labels);
        Ok(self)
    }
}

impl RunRequirement {
    /// A requirement about this tool call, with its id (as the paused run gave it).
    ///
    /// ```
    /// use agentos_runs::{RunRequirement, ToolExecution};
    /// let mut call = ToolExecution::new("call-1", "deploy");
    /// call.requires_confirmation = Some(true);
    /// let mut req = RunRequirement::new("req-1", call);
    /// req.reject("not today");
    /// assert_eq!(req.confirmation, Some(false));
    /// ```
    pub fn new(id: impl Into<String>, tool_execution: ToolExecution) -> Self {
        RunRequirement {
            id: Some(id.into()),
            tool_execution: Some(tool_execution),
            ..RunRequirement::default()
        }
    }
}

/// What a paused team run (or a workflow executor) waits for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RunRequirement {
    /// The requirement id.
    pub id: Option<String>,
    /// The tool call it is about.
    pub tool_execution: Option<ToolExecution>,
    /// The confirmation.
    pub confirmation: Option<bool>,
    /// Why it was confirmed or rejected.
    pub confirmation_note: Option<String>,
    /// The result of an external tool.
    pub external_execution_result: Option<Value>,
    /// The fields to fill (a copy of the tool call's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_input_schema: Option<Vec<UserInputField>>,
    /// The questions of a user-feedback tool (a copy of the tool call's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_feedback_schema: Option<Vec<UserFeedbackQuestion>>,
    /// The member agent that paused, for member tools (send back unchanged).
    pub member_agent_id: Option<String>,
    /// Fields this SDK does not model (kept and sent back as they came).
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::deserialize_with_extra!(
    RunRequirement {
        id,
        tool_execution,
        confirmation,
        confirmation_note,
        external_execution_result,
        user_input_schema,
        user_feedback_schema,
        member_agent_id,
    } extra
);

impl RunRequirement {
    /// True when the requirement waits for something from the caller.
    pub fn is_pending(&self) -> bool {
        let tool_pending = self.tool_execution.as_ref().is_some_and(|t| {
            (t.requires_confirmation == Some(true)
                && t.confirmed.is_none()
                && self.confirmation.is_none())
                || (t.external_execution_required == Some(true)
                    && t.result.is_none()
                    && self.external_execution_result.is_none())
                || (t.requires_user_input == Some(true)
                    && t.user_input_schema
                        .as_ref()
                        .is_some_and(|f| f.iter().any(|f| f.value.is_none())))
                || t.user_feedback_schema
                    .as_ref()
                    .is_some_and(|q| q.iter().any(|q| q.selected_options.is_none()))
        });
        tool_pending
            || self
                .user_input_schema
                .as_ref()
                .is_some_and(|f| f.iter().any(|f| f.value.is_none()))
    }

    /// Confirms the tool call.
    pub fn confirm(&mut self) -> &mut Self {
        self.confirmation = Some(true);
        if let Some(t) = &mut self.tool_execution {
            t.confirm();
        }
        self
    }

    /// Rejects the tool call with a note.
    pub fn reject(&mut self, note: impl Into<String>) -> &mut Self {
        let note = note.into();
        self.confirmation = Some(false);
        self.confirmation_note = Some(note.clone());
        if let Some(t) = &mut self.tool_execution {
            t.reject(note);
        }
        self
    }

    /// Gives the result of an external tool.
    pub fn set_result(&mut self, result: impl Into<String>) -> &mut Self {
        let result = result.into();
        self.external_execution_result = Some(Value::String(result.clone()));
        if let Some(t) = &mut self.tool_execution {
            t.set_result(result);
        }
        self
    }

    /// Fills one user-input field (in the requirement and in its tool call). Fails when
    /// neither has such a field.
    pub fn set_input(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let value = value.into();
        let mut found = false;
        if let Some(field) = self
            .user_input_schema
            .iter_mut()
            .flatten()
            .find(|f| f.name == name)
        {
            field.value = Some(value.clone());
            found = true;
        }
        if let Some(tool) = &mut self.tool_execution {
            if tool
                .user_input_schema
                .iter()
                .flatten()
                .any(|f| f.name == name)
            {
                tool.set_input(name, value)?;
                found = true;
            }
        }
        if found {
            Ok(self)
        } else {
            Err(Error::InvalidRequest(format!(
                "the requirement has no user-input field {name:?}"
            )))
        }
    }

    /// Answers a question of a user-feedback tool (in the requirement and in its tool call).
    pub fn select_options<S: Into<String>>(
        &mut self,
        question: &str,
        labels: impl IntoIterator<Item = S>,
    ) -> Result<&mut Self> {
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        let mut found = false;
        if let Some(tool) = &mut self.tool_execution {
            if tool
                .user_feedback_schema
                .iter()
                .flatten()
                .any(|q| q.question == question)
            {
                tool.select_options(question, labels.clone())?;
                found = true;
            }
        }
        if let Some(q) = self
            .user_feedback_schema
            .iter_mut()
            .flatten()
            .find(|q| q.question == question)
        {
            q.selected_options = Some(labels);
            found = true;
        }
        if found {
            Ok(self)
        } else {
            Err(Error::InvalidRequest(format!(
                "the requirement has no feedback question {question:?}"
            )))
        }
    }
}

impl StepRequirement {
    /// The requirement of a step, by its id and name (as the paused workflow gave them).
    ///
    /// ```
    /// use agentos_runs::StepRequirement;
    /// let mut step = StepRequirement::new("step-1", "publish");
    /// step.requires_confirmation = Some(true);
    /// step.confirm();
    /// assert!(!step.is_pending());
    /// ```
    pub fn new(step_id: impl Into<String>, step_name: impl Into<String>) -> Self {
        StepRequirement {
            step_id: Some(step_id.into()),
            step_name: Some(step_name.into()),
            ..StepRequirement::default()
        }
    }
}

/// What a paused workflow step waits for: a confirmation (or an output review), user input,
/// a route choice, or what the step's agent or team waits for (`executor_requirements`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StepRequirement {
    /// The step id.
    pub step_id: Option<String>,
    /// The step name.
    pub step_name: Option<String>,
    /// Whether the step waits for a confirmation.
    pub requires_confirmation: Option<bool>,
    /// The message shown with the confirmation.
    pub confirmation_message: Option<String>,
    /// The confirmation.
    pub confirmed: Option<bool>,
    /// Why the step was rejected.
    pub rejection_feedback: Option<String>,
    /// Whether the step waits for user input.
    pub requires_user_input: Option<bool>,
    /// What the user is asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_input_message: Option<String>,
    /// The fields to fill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_input_schema: Option<Vec<UserInputField>>,
    /// The user input (an object of field values).
    pub user_input: Option<Value>,
    /// Whether a router waits for a choice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_route_selection: Option<bool>,
    /// The routes to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_choices: Option<Vec<String>>,
    /// Whether several routes may be chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_multiple_selections: Option<bool>,
    /// The chosen routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_choices: Option<Vec<String>>,
    /// Whether the step's agent or team waits for something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_executor_input: Option<bool>,
    /// What the step's agent or team waits for: resolve them as for a team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_requirements: Option<Vec<RunRequirement>>,
    /// Whether the step's output waits for a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_output_review: Option<bool>,
    /// The output to use instead of the step's own (with a confirmation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_output: Option<Value>,
    /// Fields this SDK does not model (kept and sent back as they came).
    #[serde(flatten)]
    pub extra: Extra,
}

agentos_core::deserialize_with_extra!(
    StepRequirement {
        step_id,
        step_name,
        requires_confirmation,
        confirmation_message,
        confirmed,
        rejection_feedback,
        requires_user_input,
        user_input_message,
        user_input_schema,
        user_input,
        requires_route_selection,
        available_choices,
        allow_multiple_selections,
        selected_choices,
        requires_executor_input,
        executor_requirements,
        requires_output_review,
        edited_output,
    } extra
);

impl StepRequirement {
    /// True when the step waits for something from the caller.
    pub fn is_pending(&self) -> bool {
        ((self.requires_confirmation == Some(true) || self.requires_output_review == Some(true))
            && self.confirmed.is_none())
            || (self.requires_user_input == Some(true) && self.user_input.is_none())
            || (self.requires_route_selection == Some(true) && self.selected_choices.is_none())
            || self
                .executor_requirements
                .iter()
                .flatten()
                .any(RunRequirement::is_pending)
    }

    /// Confirms the step (or accepts its output as it is).
    pub fn confirm(&mut self) -> &mut Self {
        self.confirmed = Some(true);
        self
    }

    /// Rejects the step with feedback (what happens then is the step's `on_reject`).
    pub fn reject(&mut self, feedback: impl Into<String>) -> &mut Self {
        self.confirmed = Some(false);
        self.rejection_feedback = Some(feedback.into());
        self
    }

    /// Accepts the step with this output instead of its own.
    pub fn edit_output(&mut self, output: impl Into<Value>) -> &mut Self {
        self.confirmed = Some(true);
        self.edited_output = Some(output.into());
        self
    }

    /// Gives the step's user input (an object of field values); the schema's values are
    /// filled too.
    pub fn set_user_input(&mut self, input: Value) -> &mut Self {
        if let (Some(fields), Some(values)) = (&mut self.user_input_schema, input.as_object()) {
            for f in fields.iter_mut() {
                if let Some(v) = values.get(&f.name) {
                    f.value = Some(v.clone());
                }
            }
        }
        self.user_input = Some(input);
        self
    }

    /// Chooses the routes of a paused router. Fails on a route that is not offered, or on
    /// several routes when only one may be chosen.
    pub fn select_choices<S: Into<String>>(
        &mut self,
        choices: impl IntoIterator<Item = S>,
    ) -> Result<&mut Self> {
        let choices: Vec<String> = choices.into_iter().map(Into::into).collect();
        if let Some(offered) = &self.available_choices {
            if let Some(bad) = choices.iter().find(|c| !offered.contains(c)) {
                return Err(Error::InvalidRequest(format!(
                    "{bad:?} is not one of the routes {offered:?}"
                )));
            }
        }
        if choices.len() > 1 && self.allow_multiple_selections != Some(true) {
            return Err(Error::InvalidRequest(
                "this router takes a single route".into(),
            ));
        }
        self.selected_choices = Some(choices);
        Ok(self)
    }
}

/// Declares a run output struct with the fields every kind shares plus its own.
macro_rules! run_output {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The run id.
            #[serde(default)]
            pub run_id: Option<String>,
            /// The session id (made by the server when the request gave none).
            #[serde(default)]
            pub session_id: Option<String>,
            /// The user id.
            #[serde(default)]
            pub user_id: Option<String>,
            /// The status. **`Error` comes with HTTP 200**: check it, or call `into_result`.
            #[serde(default)]
            pub status: Option<RunStatus>,
            /// The answer: text, or JSON with an output schema; the error message when failed.
            #[serde(default)]
            pub content: Option<Value>,
            /// `str`, or the name of the output schema.
            #[serde(default)]
            pub content_type: Option<String>,
            /// Token counts and timings.
            #[serde(default)]
            pub metrics: Option<Metrics>,
            /// The session state after the run.
            #[serde(default)]
            pub session_state: Option<Value>,
            /// The messages of the run.
            #[serde(default)]
            pub messages: Option<Vec<Value>>,
            /// The input of the run.
            #[serde(default)]
            pub input: Option<Value>,
            /// When the run was created.
            #[serde(default)]
            pub created_at: Option<Timestamp>,
            $($(#[$fm])* #[serde(default)] pub $field: $ty,)*
            /// Fields this SDK does not model.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl $name {
            /// The content as text: a string as it is, JSON (structured output)
            /// serialized; empty when there is none.
            pub fn content_text(&self) -> String {
                agentos_core::kit::de::content_text(self.content.as_ref())
            }

            /// The content decoded into `T`, e.g. the type of a structured output. The error
            /// keeps the content as sent.
            pub fn content_as<T: serde::de::DeserializeOwned>(
                &self,
            ) -> std::result::Result<T, ContentError> {
                decode_content(self.content.as_ref())
            }

            /// The failure, when the server reports the run as failed (HTTP 200 with status
            /// `ERROR`).
            pub fn error(&self) -> Option<RunFailure> {
                (self.status == Some(RunStatus::Error)).then(|| {
                    let mut f = RunFailure::new(self.content_text());
                    f.run_id = self.run_id.clone();
                    f.session_id = self.session_id.clone();
                    f
                })
            }

            /// The output, or [`Error::Run`] when the run failed.
            pub fn into_result(self) -> Result<Self> {
                match self.error() {
                    Some(f) => Err(Error::Run(Box::new(f))),
                    None => Ok(self),
                }
            }

            /// True when the run waits for a human (see the requirements).
            pub fn is_paused(&self) -> bool {
                self.status == Some(RunStatus::Paused)
            }
        }

        impl AnyRunOutput for $name {
            fn run_id(&self) -> Option<&str> {
                self.run_id.as_deref()
            }
            fn session_id(&self) -> Option<&str> {
                self.session_id.as_deref()
            }
            fn status(&self) -> Option<&RunStatus> {
                self.status.as_ref()
            }
            fn metrics(&self) -> Option<&Metrics> {
                self.metrics.as_ref()
            }
            fn content(&self) -> Option<&Value> {
                self.content.as_ref()
            }
            fn content_text(&self) -> String {
                $name::content_text(self)
            }
            fn error(&self) -> Option<RunFailure> {
                $name::error(self)
            }
        }
    };
}

/// What every run output has, whatever ran: an agent ([`RunOutput`]), a team
/// ([`TeamRunOutput`]) or a workflow ([`WorkflowRunOutput`]). For code that handles all three
/// the same way (printing a summary, collecting metrics).
///
/// ```
/// use agentos_runs::{AnyRunOutput, RunOutput, RunStatus, WorkflowRunOutput};
/// fn summary(out: &impl AnyRunOutput) -> String {
///     format!("{} {:?}: {}", out.run_id().unwrap_or("-"), out.status(), out.content_text())
/// }
/// let run: RunOutput = serde_json::from_value(serde_json::json!({
///     "run_id": "r1", "status": "COMPLETED", "content": "hi"
/// })).unwrap();
/// assert_eq!(summary(&run), "r1 Some(Completed): hi");
/// let wf: WorkflowRunOutput = serde_json::from_value(serde_json::json!({
///     "run_id": "w1", "status": "ERROR", "content": "boom"
/// })).unwrap();
/// assert!(wf.is_failed());
/// ```
pub trait AnyRunOutput {
    /// The run id.
    fn run_id(&self) -> Option<&str>;
    /// The session id.
    fn session_id(&self) -> Option<&str>;
    /// The status.
    fn status(&self) -> Option<&RunStatus>;
    /// Token counts and timings.
    fn metrics(&self) -> Option<&Metrics>;
    /// The content as sent: text, or JSON for a structured output.
    fn content(&self) -> Option<&Value>;
    /// The content as text (JSON content is serialized).
    fn content_text(&self) -> String;
    /// The content decoded into `T` (a structured output's type); the error keeps the
    /// content as sent.
    fn content_as<T: serde::de::DeserializeOwned>(&self) -> std::result::Result<T, ContentError>
    where
        Self: Sized,
    {
        decode_content(self.content())
    }
    /// The failure, when the server reports the run as failed.
    fn error(&self) -> Option<RunFailure>;
    /// True when the run waits for a human.
    fn is_paused(&self) -> bool {
        self.status() == Some(&RunStatus::Paused)
    }
    /// True when the run failed (status `ERROR`).
    fn is_failed(&self) -> bool {
        self.status() == Some(&RunStatus::Error)
    }
}

run_output! {
    /// An agent run (`RunOutput`): what `run_agent`, `get_agent_run` and a collected agent
    /// stream return.
    RunOutput {
        /// The agent.
        agent_id: Option<String>,
        /// The agent's name.
        agent_name: Option<String>,
        /// The tool calls; when paused, the ones to confirm, fill or run.
        tools: Option<Vec<ToolExecution>>,
        /// What a paused run waits for.
        requirements: Option<Vec<RunRequirement>>,
    }
}

run_output! {
    /// A team run (`TeamRunOutput`).
    TeamRunOutput {
        /// The team.
        team_id: Option<String>,
        /// The team's name.
        team_name: Option<String>,
        /// The tool calls of the team leader.
        tools: Option<Vec<ToolExecution>>,
        /// What a paused run waits for: send them back with `continue_team_run`.
        requirements: Option<Vec<RunRequirement>>,
        /// The runs of the members.
        member_responses: Option<Vec<Value>>,
    }
}

run_output! {
    /// A workflow run (`WorkflowRunOutput`).
    WorkflowRunOutput {
        /// The workflow.
        workflow_id: Option<String>,
        /// The workflow's name.
        workflow_name: Option<String>,
        /// The results of the steps.
        step_results: Option<Vec<agentos_core::StepResult>>,
        /// What a paused run waits for: send them back with `continue_workflow_run`.
        step_requirements: Option<Vec<StepRequirement>>,
    }
}

/// The answer of a background run (HTTP 202): poll it with `get_*_run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BackgroundRun {
    /// The run id.
    pub run_id: String,
    /// The session id.
    #[serde(default)]
    pub session_id: Option<String>,
    /// `PENDING`.
    #[serde(default)]
    pub status: Option<RunStatus>,
}

/// A checkpoint of a run (a message boundary it can be continued or forked from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Checkpoint {
    /// The message index: pass it to `get_*_run_checkpoint` or as `continue_from`.
    #[serde(default)]
    pub message_index: Option<u64>,
    /// `checkpoint`, `end` or `snapshot`.
    #[serde(default)]
    pub reason: Option<String>,
    /// The run status at that point.
    #[serde(default)]
    pub status: Option<RunStatus>,
    /// The start of the message.
    #[serde(default)]
    pub message_preview: Option<String>,
    /// Whether it is the newest.
    #[serde(default)]
    pub is_latest: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The checkpoints of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Checkpoints {
    /// The run.
    #[serde(default)]
    pub run_id: Option<String>,
    /// Its checkpoints.
    #[serde(default)]
    pub checkpoints: Vec<Checkpoint>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One checkpoint with the run cut at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckpointSnapshot {
    /// The checkpoint.
    #[serde(default)]
    pub checkpoint: Option<Checkpoint>,
    /// The run as it was at the checkpoint.
    #[serde(default)]
    pub snapshot: Option<Value>,
}

/// The answer of a session fork.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ForkedSession {
    /// The new session.
    pub session_id: String,
    /// The session it was copied from.
    #[serde(default)]
    pub forked_from_session_id: Option<String>,
}

/// The answer of a session compaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompactResult {
    /// `compacted`, `not_worth_it`, `nothing_to_fold`, `no_history`, `not_enabled`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Whether anything was compacted.
    #[serde(default)]
    pub compacted: bool,
    /// What the server said.
    #[serde(default)]
    pub message: Option<String>,
    /// Fields this SDK does not model (`record`, `metrics`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A run as stored in the session (`GET /{kind}/{id}/runs`): ISO dates, `run_input`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RunRecord {
    /// The run id.
    pub run_id: String,
    /// The status.
    #[serde(default)]
    pub status: Option<RunStatus>,
    /// The input, as text.
    #[serde(default)]
    pub run_input: Option<Value>,
    /// The content.
    #[serde(default)]
    pub content: Option<Value>,
    /// When the run was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_is_not_a_success() {
        let out: RunOutput = serde_json::from_str(
            r#"{"run_id":"r","session_id":"s","status":"ERROR","content":"model exploded"}"#,
        )
        .unwrap();
        let f = out.error().unwrap();
        assert_eq!(f.message, "model exploded");
        assert_eq!(f.run_id.as_deref(), Some("r"));
        assert!(matches!(out.into_result(), Err(Error::Run(_))));
        let ok: RunOutput =
            serde_json::from_str(r#"{"status":"COMPLETED","content":"hi","brand_new":1}"#).unwrap();
        assert!(ok.error().is_none());
        assert_eq!(ok.extra["brand_new"], 1);
        let odd: RunOutput = serde_json::from_str(r#"{"status":"ARCHIVED"}"#).unwrap();
        assert_eq!(odd.status, Some(RunStatus::Unknown("ARCHIVED".into())));
    }

    #[test]
    fn tool_helpers_edit_what_the_server_reads() {
        let mut t: ToolExecution = serde_json::from_str(
            r#"{"tool_name":"user_input_tool","requires_user_input":true,
                "user_input_schema":[{"name":"city","field_type":"str","value":null}],
                "stop_after_tool_call":false}"#,
        )
        .unwrap();
        assert!(t.is_pending());
        t.set_input("city", "Paris").unwrap();
        assert!(!t.is_pending());
        assert!(t.set_input("nope", "x").is_err());
        let back = serde_json::to_value(&t).unwrap();
        assert_eq!(back["user_input_schema"][0]["value"], "Paris");
        assert_eq!(
            back["stop_after_tool_call"], false,
            "unknown fields go back as they came"
        );
        t.reject("no");
        assert_eq!(t.confirmed, Some(false));
    }
}
