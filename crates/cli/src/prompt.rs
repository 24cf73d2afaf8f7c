//! Human in the loop: describing what a paused run waits for, and asking for it line by line
//! (on a terminal, or on stdin with `--interactive` for scripts and tests).

use std::io::{BufRead, IsTerminal};

use agentos::runs::{
    RunRequirement, StepRequirement, ToolExecution, UserFeedbackQuestion, UserInputField,
};
use serde_json::Value;

use crate::out::{Failure, code, eprint_plain, eprint_prompt};

/// Where answers are read from.
enum Lines {
    /// The process's stdin, through its one shared buffer: no line meant for a later reader
    /// (the next turn of a chat) is swallowed into a buffer of our own.
    Stdin,
    #[cfg(test)]
    Text(Box<dyn BufRead>),
}

/// Reads answers line by line; prompts go to stderr.
pub struct Asker {
    lines: Lines,
    /// Admin approvals decided at the prompts: (approval id, approved). The caller resolves
    /// them on the server before continuing the run.
    pub approvals: Vec<(String, bool)>,
}

impl Asker {
    pub fn stdin() -> Asker {
        Asker {
            lines: Lines::Stdin,
            approvals: Vec::new(),
        }
    }

    #[cfg(test)]
    pub fn from_text(text: &'static str) -> Asker {
        Asker {
            lines: Lines::Text(Box::new(std::io::Cursor::new(text.as_bytes()))),
            approvals: Vec::new(),
        }
    }

    /// Prints `question` to stderr and reads one line (trimmed). End of input is an error.
    pub fn ask(&mut self, question: &str) -> Result<String, Failure> {
        eprint_prompt(&format!("{question} "));
        let mut line = String::new();
        let n = match &mut self.lines {
            Lines::Stdin => read_stdin_line(&mut line),
            #[cfg(test)]
            Lines::Text(t) => t.read_line(&mut line),
        }
        .map_err(|e| Failure::new(code::ERROR, format!("cannot read the answer: {e}")))?;
        if n == 0 {
            eprint_plain("");
            return Err(Failure::new(
                code::PAUSED,
                "no answer: the input ended while the run waits",
            )
            .hint("answer the prompts (one line each), or run it in a terminal"));
        }
        let answer = line.trim_end_matches(['\n', '\r']).trim().to_owned();
        if !std::io::stdin().is_terminal() {
            // Not typed on a terminal, so not echoed: show it, for the log to read well.
            eprint_plain(&answer);
        }
        Ok(answer)
    }

    /// Asks a yes/no question until it gets one.
    pub fn yes_no(&mut self, question: &str) -> Result<bool, Failure> {
        loop {
            match self
                .ask(&format!("{question} [y/n]"))?
                .to_lowercase()
                .as_str()
            {
                "y" | "yes" => return Ok(true),
                "n" | "no" => return Ok(false),
                _ => eprint_plain("please answer y or n"),
            }
        }
    }

    /// Asks for the value of a user-input field (typed by its `field_type`).
    fn field(&mut self, tool: &str, f: &UserInputField) -> Result<Value, Failure> {
        let desc = f
            .description
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let raw = self.ask(&format!("{tool} needs `{}`{desc}:", f.name))?;
        Ok(typed(f.field_type.as_deref(), raw))
    }

    /// Asks a feedback question: the options numbered; the answer is numbers or labels,
    /// comma-separated.
    fn question(&mut self, q: &UserFeedbackQuestion) -> Result<Vec<String>, Failure> {
        let labels: Vec<String> = q.labels().into_iter().map(str::to_owned).collect();
        eprint_plain(&q.question);
        for (i, l) in labels.iter().enumerate() {
            eprint_plain(&format!("  {}. {l}", i + 1));
        }
        let many = if q.multi_select {
            " (comma-separated)"
        } else {
            ""
        };
        let raw = self.ask(&format!("choose{many}:"))?;
        Ok(picks(&raw, &labels))
    }
}

/// Reads one line of stdin (at most [`MAX_LINE`] bytes: a line without an end is cut there)
/// through the process's shared stdin buffer; `Ok(0)` at the end of the input.
pub fn read_stdin_line(line: &mut String) -> std::io::Result<usize> {
    use std::io::Read;
    let mut lock = std::io::stdin().lock();
    let mut bytes = Vec::new();
    let n = (&mut lock).take(MAX_LINE).read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(n)
}

/// The longest line read from stdin (an answer, a chat turn): a bound on memory.
pub const MAX_LINE: u64 = 1 << 20;

/// A typed value for a field: numbers and booleans parsed when the field says so.
fn typed(field_type: Option<&str>, raw: String) -> Value {
    match field_type.unwrap_or("str") {
        "int" | "float" | "number" | "integer" => serde_json::from_str::<serde_json::Number>(&raw)
            .map(Value::Number)
            .unwrap_or(Value::String(raw)),
        "bool" | "boolean" => match raw.to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Value::Bool(true),
            "false" | "no" | "n" | "0" => Value::Bool(false),
            _ => Value::String(raw),
        },
        _ => Value::String(raw),
    }
}

/// `name(arg=value, ...)`.
pub fn call_text(name: Option<&str>, args: Option<&Value>) -> String {
    let args = match args {
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    format!("{}({args})", name.unwrap_or("?"))
}

fn pending_fields(fields: Option<&Vec<UserInputField>>) -> Vec<&UserInputField> {
    fields
        .map(|f| f.iter().filter(|f| f.value.is_none()).collect())
        .unwrap_or_default()
}

/// The choices picked in a comma-separated answer: a number picks the choice it lists (from
/// 1), anything else is taken as written.
fn picks(raw: &str, choices: &[String]) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.parse::<usize>()
                .ok()
                .and_then(|i| choices.get(i.wrapping_sub(1)).cloned())
                .unwrap_or_else(|| x.to_owned())
        })
        .collect()
}

/// The approval id of a call gated by an admin approval.
fn admin_approval(t: &ToolExecution) -> Option<&str> {
    t.admin_approval_id().filter(|_| t.confirmed.is_none())
}

/// What a pending tool call waits for, one line each.
pub fn describe_tool(t: &ToolExecution, who: Option<&str>) -> Vec<String> {
    let call = call_text(t.tool_name.as_deref(), t.tool_args.as_ref());
    let by = who.map(|w| format!(" (member {w})")).unwrap_or_default();
    let mut lines = Vec::new();
    if let Some(id) = admin_approval(t) {
        lines.push(format!(
            "an admin approval of {call}{by}: `agentos approvals resolve {id} approve` (or reject)"
        ));
    } else if t.requires_confirmation == Some(true) && t.confirmed.is_none() {
        lines.push(format!("confirmation of {call}{by}"));
    }
    if t.external_execution_required == Some(true) && t.result.is_none() {
        lines.push(format!("the result of {call}{by} (external execution)"));
    }
    if t.requires_user_input == Some(true) {
        for f in pending_fields(t.user_input_schema.as_ref()) {
            let desc = f
                .description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            lines.push(format!("user input `{}` for {call}{by}{desc}", f.name));
        }
    }
    for q in t.user_feedback_schema.iter().flatten() {
        if q.selected_options.is_none() {
            lines.push(format!(
                "an answer to {:?} ({})",
                q.question,
                q.labels().join(" / ")
            ));
        }
    }
    lines
}

/// What a pending team requirement waits for.
pub fn describe_requirement(r: &RunRequirement) -> Vec<String> {
    match &r.tool_execution {
        Some(t) => {
            let mut t = t.clone();
            if r.confirmation.is_some() {
                t.confirmed = r.confirmation;
            }
            if r.external_execution_result.is_some() {
                t.result = r.external_execution_result.clone();
            }
            describe_tool(&t, r.member_agent_id.as_deref())
        }
        None => pending_fields(r.user_input_schema.as_ref())
            .into_iter()
            .map(|f| format!("user input `{}`", f.name))
            .collect(),
    }
}

/// What a pending workflow step waits for.
pub fn describe_step(s: &StepRequirement) -> Vec<String> {
    let name = s.step_name.as_deref().unwrap_or("?");
    let mut lines = Vec::new();
    if s.requires_confirmation == Some(true) && s.confirmed.is_none() {
        let msg = s.confirmation_message.as_deref().unwrap_or("confirm?");
        lines.push(format!("confirmation of step {name}: {msg}"));
    }
    if s.requires_output_review == Some(true) && s.confirmed.is_none() {
        lines.push(format!("a review of the output of step {name}"));
    }
    if s.requires_user_input == Some(true) && s.user_input.is_none() {
        let msg = s.user_input_message.as_deref().unwrap_or("");
        lines.push(
            format!("user input for step {name} {msg}")
                .trim_end()
                .to_owned(),
        );
    }
    if s.requires_route_selection == Some(true) && s.selected_choices.is_none() {
        let choices = s.available_choices.clone().unwrap_or_default().join(" / ");
        lines.push(format!("a route for step {name} ({choices})"));
    }
    for r in s.executor_requirements.iter().flatten() {
        lines.extend(describe_requirement(r));
    }
    lines
}

/// Where the answers about one tool call go: the call itself (agents), or the team
/// requirement that carries it. Both take the same answers through the SDK.
trait Answers {
    fn confirm(&mut self);
    fn reject(&mut self, note: String);
    fn set_result(&mut self, result: String);
    fn set_input(&mut self, name: &str, value: Value) -> agentos::Result<()>;
    fn select_options(&mut self, question: &str, labels: Vec<String>) -> agentos::Result<()>;
    /// Already confirmed or rejected.
    fn decided(&self) -> bool;
    /// Already has the external tool's result.
    fn has_result(&self) -> bool;
}

macro_rules! answers {
    ($ty:ty, $decided:expr, $has_result:expr) => {
        impl Answers for $ty {
            fn confirm(&mut self) {
                <$ty>::confirm(self);
            }
            fn reject(&mut self, note: String) {
                <$ty>::reject(self, note);
            }
            fn set_result(&mut self, result: String) {
                <$ty>::set_result(self, result);
            }
            fn set_input(&mut self, name: &str, value: Value) -> agentos::Result<()> {
                <$ty>::set_input(self, name, value).map(|_| ())
            }
            fn select_options(
                &mut self,
                question: &str,
                labels: Vec<String>,
            ) -> agentos::Result<()> {
                <$ty>::select_options(self, question, labels).map(|_| ())
            }
            fn decided(&self) -> bool {
                let f: fn(&$ty) -> bool = $decided;
                f(self)
            }
            fn has_result(&self) -> bool {
                let f: fn(&$ty) -> bool = $has_result;
                f(self)
            }
        }
    };
}

answers!(ToolExecution, |t| t.confirmed.is_some(), |t| t
    .result
    .is_some());
answers!(RunRequirement, |r| r.confirmation.is_some(), |r| r
    .external_execution_result
    .is_some());

/// Asks for everything the tool call `t` waits for (a confirmation or a rejection note, the
/// external result, user-input fields, feedback questions) and gives the answers to `target`.
fn answer_call(a: &mut Asker, t: &ToolExecution, target: &mut impl Answers) -> Result<(), Failure> {
    let call = call_text(t.tool_name.as_deref(), t.tool_args.as_ref());
    if t.requires_confirmation == Some(true) && t.confirmed.is_none() && !target.decided() {
        if a.yes_no(&format!("Run {call}?"))? {
            target.confirm();
        } else {
            let note = a.ask("Note for the rejection (the model sees it):")?;
            target.reject(note);
        }
    }
    if t.external_execution_required == Some(true) && t.result.is_none() && !target.has_result() {
        let result = a.ask(&format!("Result of {call}:"))?;
        target.set_result(result);
    }
    if t.requires_user_input == Some(true) {
        for f in pending_fields(t.user_input_schema.as_ref()) {
            let v = a.field(&call, f)?;
            target.set_input(&f.name, v)?;
        }
    }
    let questions = t
        .user_feedback_schema
        .iter()
        .flatten()
        .filter(|q| q.selected_options.is_none());
    for q in questions {
        let picked = a.question(q)?;
        target.select_options(&q.question, picked)?;
    }
    Ok(())
}

/// Asks for everything a pending tool call waits for.
pub fn answer_tool(a: &mut Asker, t: &mut ToolExecution) -> Result<(), Failure> {
    if let Some(id) = admin_approval(t).map(str::to_owned) {
        let call = call_text(t.tool_name.as_deref(), t.tool_args.as_ref());
        let yes = a.yes_no(&format!("Approve {call} (admin approval {id})?"))?;
        a.approvals.push((id, yes));
        if yes {
            t.confirm();
        } else {
            t.reject("rejected by an admin");
        }
    }
    let asked = t.clone();
    answer_call(a, &asked, t)
}

/// Asks for everything a pending team (or executor) requirement waits for.
pub fn answer_requirement(a: &mut Asker, r: &mut RunRequirement) -> Result<(), Failure> {
    let Some(t) = r.tool_execution.clone() else {
        let fields: Vec<UserInputField> = pending_fields(r.user_input_schema.as_ref())
            .into_iter()
            .cloned()
            .collect();
        for f in fields {
            let v = a.field("the run", &f)?;
            r.set_input(&f.name, v)?;
        }
        return Ok(());
    };
    answer_call(a, &t, r)
}

/// Asks for everything a pending workflow step waits for.
pub fn answer_step(a: &mut Asker, s: &mut StepRequirement) -> Result<(), Failure> {
    let name = s.step_name.clone().unwrap_or_else(|| "?".into());
    if (s.requires_confirmation == Some(true) || s.requires_output_review == Some(true))
        && s.confirmed.is_none()
    {
        let msg = s
            .confirmation_message
            .clone()
            .unwrap_or_else(|| format!("Continue with step {name}?"));
        if a.yes_no(&format!("{msg} (step {name})"))? {
            s.confirm();
        } else {
            let note = a.ask("Feedback for the rejection:")?;
            s.reject(note);
        }
    }
    if s.requires_user_input == Some(true) && s.user_input.is_none() {
        let mut obj = serde_json::Map::new();
        let fields: Vec<UserInputField> = s.user_input_schema.clone().unwrap_or_default();
        if fields.is_empty() {
            let v = a.ask(&format!("Input for step {name}:"))?;
            obj.insert("input".into(), Value::String(v));
        }
        for f in fields.iter().filter(|f| f.value.is_none()) {
            let v = a.field(&format!("step {name}"), f)?;
            obj.insert(f.name.clone(), v);
        }
        s.set_user_input(Value::Object(obj));
    }
    if s.requires_route_selection == Some(true) && s.selected_choices.is_none() {
        let choices = s.available_choices.clone().unwrap_or_default();
        eprint_plain(&format!("Routes for step {name}:"));
        for (i, c) in choices.iter().enumerate() {
            eprint_plain(&format!("  {}. {c}", i + 1));
        }
        let raw = a.ask("choose (comma-separated):")?;
        let picked = picks(&raw, &choices);
        s.select_choices(picked)?;
    }
    for r in s.executor_requirements.iter_mut().flatten() {
        if r.is_pending() {
            answer_requirement(a, r)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn picks_by_number_or_as_written() {
        let choices = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(picks(" 2, x ,,1", &choices), ["b", "x", "a"]);
        // Out of range (0 too) is taken as written, never a panic.
        assert_eq!(
            picks("0,3,99999999999999999999", &choices),
            ["0", "3", "99999999999999999999"]
        );
        assert!(picks("", &choices).is_empty());
    }

    fn tool(v: Value) -> ToolExecution {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_confirmation_is_asked_and_rejected_with_a_note() {
        let mut t = tool(
            json!({"tool_name": "confirm_tool", "tool_args": {"action": "launch"},
            "requires_confirmation": true}),
        );
        assert_eq!(
            describe_tool(&t, None),
            vec!["confirmation of confirm_tool(action=\"launch\")"]
        );
        let mut a = Asker::from_text("maybe\nn\nnot today\n");
        answer_tool(&mut a, &mut t).unwrap();
        assert_eq!(t.confirmed, Some(false));
        assert_eq!(t.confirmation_note.as_deref(), Some("not today"));
        assert!(!t.is_pending());
    }

    #[test]
    fn user_input_and_external_results_are_filled() {
        let mut t = tool(
            json!({"tool_name": "user_input_tool", "requires_user_input": true,
            "user_input_schema": [{"name": "city", "field_type": "str", "value": null},
                                  {"name": "days", "field_type": "int", "value": null}]}),
        );
        let mut a = Asker::from_text("Lisbon\n3\n");
        answer_tool(&mut a, &mut t).unwrap();
        let schema = t.user_input_schema.clone().unwrap();
        assert_eq!(schema[0].value, Some(json!("Lisbon")));
        assert_eq!(schema[1].value, Some(json!(3)));

        let mut t =
            tool(json!({"tool_name": "external_tool", "external_execution_required": true}));
        let mut a = Asker::from_text("up 5 days\n");
        answer_tool(&mut a, &mut t).unwrap();
        assert_eq!(t.result, Some(json!("up 5 days")));
    }

    #[test]
    fn the_end_of_input_is_a_paused_failure() {
        let mut t = tool(json!({"tool_name": "confirm_tool", "requires_confirmation": true}));
        let mut a = Asker::from_text("");
        let f = answer_tool(&mut a, &mut t).unwrap_err();
        assert_eq!(f.code, code::PAUSED);
    }

    #[test]
    fn steps_are_confirmed() {
        let mut s: StepRequirement = serde_json::from_value(json!({"step_name": "publish",
            "requires_confirmation": true, "confirmation_message": "Publish the result?"}))
        .unwrap();
        assert_eq!(
            describe_step(&s),
            vec!["confirmation of step publish: Publish the result?"]
        );
        let mut a = Asker::from_text("yes\n");
        answer_step(&mut a, &mut s).unwrap();
        assert_eq!(s.confirmed, Some(true));
    }
}
