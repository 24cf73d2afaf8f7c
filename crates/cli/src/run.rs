//! `agentos run`: runs an agent, team or workflow, streams its answer, and asks a human when
//! the run pauses.

use std::io::IsTerminal;
use std::path::PathBuf;

use agentos::AgentOsClient;
use agentos::runs::{
    AgentRunEvent, ContinueBuilder, RunBuilder, RunOutput, RunRequirement, RunStatus,
    RunStreamBuilder, RunsExt, StepRequirement, StreamEvent, TeamRunEvent, ToolExecution,
    WorkflowRunEvent,
};
use futures::StreamExt;
use serde::Serialize;
use serde_json::{Value, json};

use crate::out::{Failure, Out, code, dim, plain, spinner, styled};
use crate::prompt::{self, Asker};

/// `agentos run`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_long_help = "\
When the run pauses for a human (a tool to confirm, a tool's result to give, user input), \
agentos asks on the terminal and continues the run. Without a terminal it prints what the run \
waits for and exits with code 3; --interactive asks on stdin anyway (one answer per line: y/n, \
then a rejection note after n; the input values; the external tool's result).

Examples:
  agentos run echo-agent \"Hello\"
  agentos run --team echo-team \"Plan a trip\" --session s1 --user u1
  agentos run echo-agent \"Summarize this\" --file report.pdf
  echo \"Hello\" | agentos run echo-agent -
  git diff | agentos run echo-agent \"Review this diff\" --file -
  agentos run hitl-agent \"Deploy\" --interactive < answers.txt
  agentos run hitl-agent --continue RUN_ID --session SESSION_ID
  agentos run echo-agent \"Hi\" --json | jq -r 'select(.event==\"RunContent\") | .data.content'")]
pub struct RunArgs {
    #[command(flatten)]
    target: Target,
    /// The message; `-` reads it from stdin (not with --continue).
    #[arg(required_unless_present = "continue_run")]
    pub(crate) message: Option<String>,
    /// Continue this paused run instead of starting one (needs --session): asks for what
    /// it waits for, or goes on once its admin approvals are resolved.
    #[arg(
        long = "continue",
        value_name = "RUN_ID",
        requires = "session",
        conflicts_with = "files"
    )]
    continue_run: Option<String>,
    /// The session id (a new session when left out).
    #[arg(short, long, add = crate::complete::sessions())]
    session: Option<String>,
    /// The user id.
    #[arg(short, long)]
    user: Option<String>,
    /// Upload a file with the message (repeatable; agents and teams); `-` uploads stdin.
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    files: Vec<PathBuf>,
    /// The bytes of `--file -`, read from stdin before the run starts.
    #[arg(skip)]
    stdin_file: Option<Vec<u8>>,
    /// Wait for the whole answer instead of streaming it.
    #[arg(long)]
    no_stream: bool,
    /// Ask for what a paused run waits for on stdin, even without a terminal.
    #[arg(long, conflicts_with = "no_input")]
    interactive: bool,
    /// Never ask: a paused run prints what it waits for and exits with code 3.
    #[arg(long)]
    no_input: bool,
    /// Print every event's name (and tool calls) on stderr.
    #[arg(long)]
    events: bool,
}

/// What a run or a chat talks to: an agent, a team or a workflow.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// The agent id (a team id with --team, a workflow id with --workflow).
    #[arg(add = crate::complete::components())]
    pub id: String,
    /// The id is a team's.
    #[arg(long, conflicts_with = "workflow")]
    pub team: bool,
    /// The id is a workflow's.
    #[arg(long)]
    pub workflow: bool,
}

/// What a paused run's human answered, ready to send back.
enum Answer {
    Tools(Vec<ToolExecution>),
    Requirements(Vec<RunRequirement>),
    Steps(Vec<StepRequirement>),
}

/// One kind of run (agent, team, workflow): the calls and the pieces of its output the CLI
/// needs. The SDK's three kinds share generic builders; only these bits differ.
trait Kind: StreamEvent + Serialize
where
    Self::Output: Serialize,
{
    const NOUN: &'static str;
    fn start(c: &AgentOsClient, id: &str, msg: &str) -> RunBuilder<Self>;
    fn start_stream(c: &AgentOsClient, id: &str, msg: &str) -> RunStreamBuilder<Self>;
    fn cont(c: &AgentOsClient, id: &str, run: &str, session: &str) -> ContinueBuilder<Self, false>;
    fn cont_stream(
        c: &AgentOsClient,
        id: &str,
        run: &str,
        session: &str,
    ) -> ContinueBuilder<Self, true>;
    fn ids(o: &Self::Output) -> (Option<String>, Option<String>, Option<RunStatus>, String);
    fn waiting(o: &Self::Output) -> Vec<String>;
    fn answer(o: &Self::Output, a: &mut Asker) -> Result<Answer, Failure>;
    fn tokens(o: &Self::Output) -> Option<u64>;
    fn apply<const S: bool>(
        b: ContinueBuilder<Self, S>,
        answer: &Answer,
    ) -> ContinueBuilder<Self, S>;
    fn get(c: &AgentOsClient, id: &str, run: &str, session: &str) -> agentos::Call<Self::Output>;
    fn cancel(c: &AgentOsClient, id: &str, run: &str) -> agentos::runs::CancelRun;
    /// The admin approvals the paused run waits for.
    fn approval_ids(_o: &Self::Output) -> Vec<String> {
        Vec::new()
    }
    /// Marks the calls of a resolved admin approval as confirmed or rejected.
    fn settle_approval(_o: &mut Self::Output, _id: &str, _approved: bool) {}
}

/// The calls of one kind, by the SDK's method names.
macro_rules! kind_calls {
    ($run:ident, $run_stream:ident, $cont:ident, $cont_stream:ident, $get:ident, $cancel:ident) => {
        fn start(c: &AgentOsClient, id: &str, msg: &str) -> RunBuilder<Self> {
            c.$run(id, msg)
        }
        fn start_stream(c: &AgentOsClient, id: &str, msg: &str) -> RunStreamBuilder<Self> {
            c.$run_stream(id, msg)
        }
        fn cont(c: &AgentOsClient, id: &str, run: &str, s: &str) -> ContinueBuilder<Self, false> {
            c.$cont(id, run, s)
        }
        fn cont_stream(
            c: &AgentOsClient,
            id: &str,
            run: &str,
            s: &str,
        ) -> ContinueBuilder<Self, true> {
            c.$cont_stream(id, run, s)
        }
        fn get(c: &AgentOsClient, id: &str, run: &str, s: &str) -> agentos::Call<Self::Output> {
            c.$get(id, run, s)
        }
        fn cancel(c: &AgentOsClient, id: &str, run: &str) -> agentos::runs::CancelRun {
            c.$cancel(id, run)
        }
    };
}

/// What a paused run waits for and how the answers go back: the pending items of the
/// output's `$field`, described by `$describe`, answered by `$answer` and sent with the
/// continue builder's `$setter` as `Answer::$variant`.
macro_rules! pending_items {
    ($field:ident, $variant:ident, $setter:ident, $describe:expr, $answer:path) => {
        fn apply<const S: bool>(
            b: ContinueBuilder<Self, S>,
            answer: &Answer,
        ) -> ContinueBuilder<Self, S> {
            match answer {
                Answer::$variant(x) => b.$setter(x),
                _ => b,
            }
        }
        fn waiting(o: &Self::Output) -> Vec<String> {
            o.$field
                .iter()
                .flatten()
                .filter(|x| x.is_pending())
                .flat_map($describe)
                .collect()
        }
        fn answer(o: &Self::Output, a: &mut Asker) -> Result<Answer, Failure> {
            let mut items = o.$field.clone().unwrap_or_default();
            for x in items.iter_mut().filter(|x| x.is_pending()) {
                $answer(a, x)?;
            }
            Ok(Answer::$variant(items))
        }
    };
}

macro_rules! common_kind {
    () => {
        fn ids(o: &Self::Output) -> (Option<String>, Option<String>, Option<RunStatus>, String) {
            (
                o.run_id.clone(),
                o.session_id.clone(),
                o.status.clone(),
                o.content_text(),
            )
        }
        fn tokens(o: &Self::Output) -> Option<u64> {
            o.metrics.as_ref().and_then(|m| m.total_tokens)
        }
    };
}

impl Kind for AgentRunEvent {
    const NOUN: &'static str = "agent";
    common_kind!();
    kind_calls!(
        run_agent,
        run_agent_stream,
        continue_agent_run,
        continue_agent_run_stream,
        get_agent_run,
        cancel_agent_run
    );
    pending_items!(
        tools,
        Tools,
        tools,
        |t| prompt::describe_tool(t, None),
        prompt::answer_tool
    );
    fn approval_ids(o: &RunOutput) -> Vec<String> {
        o.tools
            .iter()
            .flatten()
            .filter(|t| t.confirmed.is_none())
            .filter_map(|t| t.admin_approval_id().map(str::to_owned))
            .collect()
    }
    fn settle_approval(o: &mut RunOutput, id: &str, approved: bool) {
        for t in o.tools.iter_mut().flatten() {
            if t.approval_id.as_deref() == Some(id) {
                if approved {
                    t.confirm();
                } else {
                    t.reject("rejected by an admin");
                }
            }
        }
    }
}

impl Kind for TeamRunEvent {
    const NOUN: &'static str = "team";
    common_kind!();
    kind_calls!(
        run_team,
        run_team_stream,
        continue_team_run,
        continue_team_run_stream,
        get_team_run,
        cancel_team_run
    );
    pending_items!(
        requirements,
        Requirements,
        requirements,
        prompt::describe_requirement,
        prompt::answer_requirement
    );
}

impl Kind for WorkflowRunEvent {
    const NOUN: &'static str = "workflow";
    common_kind!();
    kind_calls!(
        run_workflow,
        run_workflow_stream,
        continue_workflow_run,
        continue_workflow_run_stream,
        get_workflow_run,
        cancel_workflow_run
    );
    pending_items!(
        step_requirements,
        Steps,
        step_requirements,
        prompt::describe_step,
        prompt::answer_step
    );
}

/// The session, user and files of `args` on a run builder (streamed or not: two types with
/// the same setters).
macro_rules! with_inputs {
    ($b:expr, $args:expr) => {{
        let mut b = $b;
        if let Some(s) = &$args.session {
            b = b.session_id(s);
        }
        if let Some(u) = &$args.user {
            b = b.user_id(u);
        }
        for f in &$args.files {
            match (is_stdin(f), &$args.stdin_file) {
                (true, Some(data)) => {
                    b = b.file_bytes("stdin", sniff_type(data), data.clone());
                }
                _ => b = b.file(f, Value::Null),
            }
        }
        b
    }};
}

/// Whether a path argument means stdin.
fn is_stdin(p: &std::path::Path) -> bool {
    p.as_os_str() == "-"
}

/// The content type of bytes read from stdin: text when they are UTF-8.
fn sniff_type(data: &[u8]) -> &'static str {
    if std::str::from_utf8(data).is_ok() {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// The most read from stdin for a message or `--file -`: a bound on memory.
const STDIN_LIMIT: u64 = 64 << 20;

/// Reads all of stdin (at most [`STDIN_LIMIT`] bytes).
fn read_all_stdin(what: &str) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut data = Vec::new();
    std::io::stdin()
        .lock()
        .take(STDIN_LIMIT + 1)
        .read_to_end(&mut data)
        .map_err(|e| Failure::new(code::ERROR, format!("cannot read {what} from stdin: {e}")))?;
    if data.len() as u64 > STDIN_LIMIT {
        return Err(Failure::new(
            code::USAGE,
            format!(
                "{what} on stdin is larger than {}",
                crate::out::bytes(STDIN_LIMIT)
            ),
        )
        .hint("upload a large file with --file PATH"));
    }
    Ok(data)
}

/// Resolves the `-` arguments: the message or the `--file -` bytes read from stdin (only one
/// of them can be, and not with a run that asks on stdin).
fn read_stdin_args(args: &RunArgs) -> Result<RunArgs, Failure> {
    let mut args = args.clone();
    let message_stdin = args.message.as_deref() == Some("-");
    let files_stdin = args.files.iter().filter(|f| is_stdin(f)).count();
    if usize::from(message_stdin) + files_stdin > 1 {
        return Err(Failure::new(
            code::USAGE,
            "stdin can be read once: give `-` as the message or as one --file, not both",
        ));
    }
    if (message_stdin || files_stdin > 0) && args.interactive {
        return Err(Failure::new(
            code::USAGE,
            "--interactive answers on stdin, which `-` already reads",
        )
        .hint("run it in a terminal to answer there, or give the message as an argument"));
    }
    if message_stdin {
        let data = read_all_stdin("the message")?;
        let text = String::from_utf8(data)
            .map_err(|_| Failure::new(code::USAGE, "the message on stdin is not UTF-8 text"))?;
        args.message = Some(text.trim_end_matches(['\n', '\r']).to_owned());
    } else if files_stdin > 0 {
        args.stdin_file = Some(read_all_stdin("--file -")?);
    }
    Ok(args)
}

impl RunArgs {
    /// One turn of a chat: `message` to `id` in `session`, streamed, asking on the terminal
    /// (or stdin) when the run pauses.
    pub fn turn(target: &Target, message: &str, session: &str, user: Option<&str>) -> RunArgs {
        RunArgs {
            target: target.clone(),
            message: Some(message.to_owned()),
            continue_run: None,
            session: Some(session.to_owned()),
            user: user.map(str::to_owned),
            files: Vec::new(),
            stdin_file: None,
            no_stream: false,
            interactive: true,
            no_input: false,
            events: false,
        }
    }
}

/// `agentos run`.
pub async fn run(c: &AgentOsClient, out: &Out, args: &RunArgs) -> Result<u8, Failure> {
    start(c, out, &read_stdin_args(args)?).await
}

/// Runs `args` as given (its message is not read from stdin).
pub async fn start(c: &AgentOsClient, out: &Out, args: &RunArgs) -> Result<u8, Failure> {
    let no_message = args.message.as_deref().is_none_or(|m| m.trim().is_empty());
    if args.continue_run.is_none() && no_message {
        return Err(Failure::new(
            code::USAGE,
            "give a message to run with (or --continue RUN_ID --session S for a paused run)",
        ));
    }
    if args.target.workflow {
        run_kind::<WorkflowRunEvent>(c, out, args).await
    } else if args.target.team {
        run_kind::<TeamRunEvent>(c, out, args).await
    } else {
        run_kind::<AgentRunEvent>(c, out, args).await
    }
}

async fn run_kind<K: Kind>(c: &AgentOsClient, out: &Out, args: &RunArgs) -> Result<u8, Failure>
where
    K::Output: Serialize,
{
    let interactive = !args.no_input
        && (args.interactive
            || (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()));
    let mut asker = Asker::stdin();
    let wait_msg = format!("waiting for {} {}", K::NOUN, args.target.id);

    let message = args.message.clone().unwrap_or_default();
    // The first leg: the run itself (or the paused run to continue).
    let mut output = if let Some(run_id) = &args.continue_run {
        let session = args.session.as_deref().unwrap_or_default();
        let o = K::get(c, &args.target.id, run_id, session).await?;
        if K::ids(&o).2 != Some(RunStatus::Paused) && !args.no_stream {
            // Nothing to continue: show the run as it is.
            print_whole::<K>(out, &o)?;
        }
        o
    } else if args.no_stream {
        let b = with_inputs!(K::start(c, &args.target.id, &message), args);
        let pb = spinner(wait_msg.clone());
        let res = b.send().await;
        pb.finish_and_clear();
        res?
    } else {
        let b = with_inputs!(K::start_stream(c, &args.target.id, &message), args);
        let pb = spinner(wait_msg.clone());
        let stream = b.send().await;
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                pb.finish_and_clear();
                return Err(e.into());
            }
        };
        consume::<K>(c, out, args, stream, pb).await?
    };

    // Pauses: ask, continue, until the run ends.
    let mut legs = 0;
    loop {
        legs += 1;
        if legs > 50 {
            return Err(Failure::new(
                code::ERROR,
                "the run keeps pausing: gave up after 50 continues",
            ));
        }
        let (run_id, session_id, status, _) = K::ids(&output);
        if status != Some(RunStatus::Paused) {
            break;
        }
        // Admin approvals already resolved on the server decide their calls.
        for id in K::approval_ids(&output) {
            use agentos::approvals::{ApprovalStatus, ApprovalsExt};
            let st = c.get_approval_status(&id).await?;
            match st.status {
                ApprovalStatus::Approved => K::settle_approval(&mut output, &id, true),
                ApprovalStatus::Rejected => K::settle_approval(&mut output, &id, false),
                _ => {}
            }
        }
        let waiting = K::waiting(&output);
        let run_id = run_id.unwrap_or_default();
        let session_id = session_id.unwrap_or_default();
        if !interactive && !waiting.is_empty() {
            if args.no_stream && out.json {
                // One document: the paused run, with what it waits for.
                let mut doc = serde_json::to_value(&output).unwrap_or(Value::Null);
                if let Some(o) = doc.as_object_mut() {
                    o.insert("waiting_for".into(), json!(waiting));
                }
                out.emit(&doc, |_| {})?;
                report_waiting(
                    &Out {
                        json: false,
                        ..*out
                    },
                    &run_id,
                    &session_id,
                    &[],
                    true,
                );
            } else {
                report_waiting(out, &run_id, &session_id, &waiting, false);
            }
            return Ok(code::PAUSED);
        }
        if !out.json && !waiting.is_empty() {
            out.eprint(&[plain("The run paused; it waits for:")]);
            for w in &waiting {
                out.eprint(&[plain(format!("  - {w}"))]);
            }
        }
        let answer = K::answer(&output, &mut asker)?;
        resolve_approvals(c, &mut asker).await?;
        if args.no_stream {
            let b = K::apply(K::cont(c, &args.target.id, &run_id, &session_id), &answer);
            let pb = spinner(wait_msg.clone());
            let res = b.send().await;
            pb.finish_and_clear();
            output = res?;
        } else {
            let b = K::apply(
                K::cont_stream(c, &args.target.id, &run_id, &session_id),
                &answer,
            );
            let pb = spinner(wait_msg.clone());
            let stream = match b.send().await {
                Ok(s) => s,
                Err(e) => {
                    pb.finish_and_clear();
                    return Err(e.into());
                }
            };
            output = consume::<K>(c, out, args, stream, pb).await?;
        }
    }

    let (run_id, session_id, status, content) = K::ids(&output);
    if args.no_stream && status != Some(RunStatus::Error) {
        print_whole::<K>(out, &output)?;
    }
    if status == Some(RunStatus::Error) {
        let mut f = Failure::new(code::RUN_FAILED, format!("the run failed: {content}"));
        if let Some(id) = run_id {
            f = f.hint(format!(
                "run {id}: the model or a tool failed on the server"
            ));
        }
        return Err(f);
    }
    if !out.json {
        let mut parts = Vec::new();
        if let Some(s) = &status {
            if *s != RunStatus::Completed {
                parts.push(s.to_string().to_lowercase());
            }
        }
        if let Some(r) = run_id {
            parts.push(format!("run {r}"));
        }
        if let Some(s) = session_id {
            parts.push(format!("session {s}"));
        }
        if let Some(t) = K::tokens(&output) {
            parts.push(format!("{t} tokens"));
        }
        out.eprint(&[dim(format!("[{}]", parts.join(" · ")))]);
    }
    Ok(code::OK)
}

/// Resolves the admin approvals decided at the prompts (the run continues once they are).
async fn resolve_approvals(c: &AgentOsClient, asker: &mut Asker) -> Result<(), Failure> {
    use agentos::approvals::{ApprovalDecision, ApprovalsExt};
    for (id, yes) in std::mem::take(&mut asker.approvals) {
        let d = if yes {
            ApprovalDecision::Approved
        } else {
            ApprovalDecision::Rejected
        };
        c.resolve_approval(&id, d)
            .resolved_by("agentos-cli")
            .await?;
    }
    Ok(())
}

/// Prints a whole (non-streamed) output: its content, or the JSON document.
fn print_whole<K: Kind>(out: &Out, o: &K::Output) -> Result<(), Failure>
where
    K::Output: Serialize,
{
    if out.json {
        out.emit(o, |_| {})
    } else {
        let (_, _, status, content) = K::ids(o);
        if status != Some(RunStatus::Paused)
            && status != Some(RunStatus::Error)
            && !content.is_empty()
        {
            out.print(&[plain(content)]);
        }
        Ok(())
    }
}

/// Reads a stream to its end: text (or JSON lines) as it arrives; gives the final output.
/// Ctrl-C, or stdout closed (the reader went away: `agentos run ... | head`), cancels the run
/// on the server and ends with [`code::INTERRUPTED`] or, quietly, [`code::BROKEN_PIPE`].
async fn consume<K: Kind>(
    c: &AgentOsClient,
    out: &Out,
    args: &RunArgs,
    mut stream: agentos::runs::RunStream<K>,
    pb: indicatif::ProgressBar,
) -> Result<K::Output, Failure>
where
    K::Output: Serialize,
{
    let mut wrote = false;
    let mut last_newline = true;
    let mut spinning = true;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    // Stdout closing is noticed on the next write, or by this check when nothing is written
    // for a while (a long tool call): a run no one reads is not left going.
    let mut reader_check = tokio::time::interval(READER_CHECK);
    reader_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stop = tokio::select! {
            item = stream.next() => {
                let Some(item) = item else { break };
                let ev = match item {
                    Ok(ev) => ev,
                    Err(e) => {
                        pb.finish_and_clear();
                        if wrote && !last_newline {
                            out.print(&[]);
                        }
                        return Err(e.into());
                    }
                };
                if spinning && (out.json || StreamEvent::text_delta(&ev).is_some()) {
                    pb.finish_and_clear();
                    spinning = false;
                }
                match show_event(out, args, &pb, &ev, &mut wrote, &mut last_newline) {
                    Ok(()) => None,
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Some(Stop::ReaderGone),
                    // Other write errors are not the reader's leaving: go on, as println! would.
                    Err(_) => None,
                }
            }
            _ = &mut ctrl_c => Some(Stop::Interrupted),
            _ = reader_check.tick() => crate::out::stdout_closed().then_some(Stop::ReaderGone),
        };
        if let Some(why) = stop {
            pb.finish_and_clear();
            if why == Stop::Interrupted && wrote && !last_newline {
                out.print(&[]);
            }
            let run_id = stream.run_id().map(str::to_owned);
            let session_id = stream.session_id().map(str::to_owned);
            return Err(stopped::<K>(c, args, run_id, session_id, why).await);
        }
    }
    pb.finish_and_clear();
    if wrote && !last_newline {
        out.print(&[]);
    }
    let output = stream.final_output().await?;
    // A workflow's text comes from its steps; an agent with no deltas (e.g. a paused run)
    // prints its content once at the end when it is not a pause.
    if !out.json && !wrote {
        let (_, _, status, content) = K::ids(&output);
        if status != Some(RunStatus::Paused) && !content.is_empty() {
            out.print(&[plain(content)]);
        }
    }
    Ok(output)
}

/// How often a streamed run checks that stdout still has a reader while nothing is written.
const READER_CHECK: std::time::Duration = std::time::Duration::from_millis(250);

/// Shows one event: its JSON line (`--json`), else its text delta on stdout and, on stderr,
/// tool calls (and event names with `--events`). The error is stdout's (a closed pipe).
fn show_event<K: Kind>(
    out: &Out,
    args: &RunArgs,
    pb: &indicatif::ProgressBar,
    ev: &K,
    wrote: &mut bool,
    last_newline: &mut bool,
) -> std::io::Result<()>
where
    K::Output: Serialize,
{
    if out.json {
        return out.json_line(&event_json(ev));
    }
    let name = ev.event_name();
    if args.events {
        pb.suspend(|| out.eprint(&[dim(format!("[{name}]"))]));
    }
    if name.ends_with("ToolCallStarted") {
        if let Some(t) = ev.tool_call() {
            let call = prompt::call_text(t.tool_name.as_deref(), t.tool_args.as_ref());
            pb.suspend(|| {
                if *wrote && !*last_newline {
                    out.eprint(&[]);
                }
                out.eprint(&[dim(format!("→ {call}"))]);
            });
        }
    }
    if let Some((d, _)) = StreamEvent::text_delta(ev) {
        let t = d.content_text();
        if !t.is_empty() {
            out.stream_text(&t)?;
            *wrote = true;
            *last_newline = t.ends_with('\n');
        }
    }
    Ok(())
}

/// Why a streamed run stops before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Ctrl-C.
    Interrupted,
    /// Stdout was closed: no one reads the answer.
    ReaderGone,
}

/// A stream stopped by Ctrl-C or a closed stdout: cancels the run on the server (dropping the
/// stream alone would leave a background run going) and reports it (a closed stdout quietly:
/// no one reads the report).
async fn stopped<K: Kind>(
    c: &AgentOsClient,
    args: &RunArgs,
    run_id: Option<String>,
    session_id: Option<String>,
    why: Stop,
) -> Failure
where
    K::Output: Serialize,
{
    let Some(run_id) = run_id else {
        return match why {
            Stop::Interrupted => {
                Failure::new(code::INTERRUPTED, "interrupted before the run started")
            }
            Stop::ReaderGone => Failure::quiet(code::BROKEN_PIPE),
        };
    };
    let mut cancel = K::cancel(c, &args.target.id, &run_id);
    if let Some(s) = &session_id {
        cancel = cancel.session_id(s);
    }
    // Bounded: the user asked to stop, a hung server must not keep them waiting.
    let cancelled = cancel.timeout(std::time::Duration::from_secs(10)).await;
    match (why, cancelled) {
        (Stop::ReaderGone, _) => Failure::quiet(code::BROKEN_PIPE),
        (Stop::Interrupted, Ok(_)) => Failure::new(
            code::INTERRUPTED,
            format!("interrupted: run {run_id} cancelled"),
        ),
        (Stop::Interrupted, Err(e)) => Failure::new(
            code::INTERRUPTED,
            format!("interrupted; cancelling run {run_id} failed: {e}"),
        ),
    }
}

/// One JSON line for an event: `{"event": name, "data": ...}` (the SDK serializes every event,
/// unknown and nested ones included, as the frame it came from).
fn event_json<K: Kind>(ev: &K) -> Value
where
    K::Output: Serialize,
{
    serde_json::to_value(ev).unwrap_or(Value::Null)
}

fn report_waiting(out: &Out, run_id: &str, session_id: &str, waiting: &[String], hint_only: bool) {
    if hint_only {
    } else if out.json {
        out.print_json_line(&json!({
            "event": "agentos.paused",
            "data": {"run_id": run_id, "session_id": session_id, "waiting_for": waiting},
        }));
    } else {
        out.print(&[plain(format!(
            "The run is paused (run {run_id}, session {session_id}); it waits for:"
        ))]);
        for w in waiting {
            out.print(&[plain(format!("  - {w}"))]);
        }
    }
    let yellow = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    out.eprint(&[
        styled(yellow, "hint:"),
        plain(
            " not a terminal, so nothing was asked: run it in a terminal, or pass --interactive \
             to answer on stdin",
        ),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentos::runs::TeamRunOutput;

    #[test]
    fn json_lines_keep_known_nested_and_unknown_events() {
        let known = AgentRunEvent::from_parts(
            "RunContent",
            json!({"event": "RunContent", "run_id": "r1", "content": "Hi"}),
        );
        let line = event_json(&known);
        assert_eq!(line["event"], "RunContent");
        assert_eq!(line["data"]["content"], "Hi");
        assert_eq!(line["data"]["run_id"], "r1");

        let unknown = AgentRunEvent::from_parts(
            "FutureEvent",
            json!({"event": "FutureEvent", "novel": [1, 2]}),
        );
        let line = event_json(&unknown);
        assert_eq!(line["event"], "FutureEvent");
        assert_eq!(line["data"]["novel"], json!([1, 2]));

        let member_unknown = TeamRunEvent::from_parts(
            "FutureMemberEvent",
            json!({"event": "FutureMemberEvent", "agent_id": "m1", "x": true}),
        );
        let line = event_json(&member_unknown);
        assert_eq!(line["event"], "FutureMemberEvent");
        assert_eq!(line["data"]["x"], true);

        let step = WorkflowRunEvent::from_parts(
            "RunContent",
            json!({"event": "RunContent", "agent_id": "a", "content": "step text"}),
        );
        assert_eq!(event_json(&step)["data"]["content"], "step text");
    }

    #[test]
    fn paused_outputs_say_what_they_wait_for() {
        let out: RunOutput = serde_json::from_value(json!({
            "run_id": "r", "status": "PAUSED",
            "tools": [
                {"tool_name": "confirm_tool", "requires_confirmation": true},
                {"tool_name": "echo_tool", "result": "done"},
                {"tool_name": "approval_tool", "requires_confirmation": true,
                 "approval_type": "required", "approval_id": "ap-1"}
            ]
        }))
        .unwrap();
        let waiting = AgentRunEvent::waiting(&out);
        assert_eq!(waiting.len(), 2, "{waiting:?}");
        assert!(waiting[0].contains("confirmation of confirm_tool()"));
        assert!(waiting[1].contains("agentos approvals resolve ap-1 approve"));
        assert_eq!(AgentRunEvent::approval_ids(&out), vec!["ap-1".to_owned()]);
        let mut settled = out.clone();
        AgentRunEvent::settle_approval(&mut settled, "ap-1", true);
        assert_eq!(AgentRunEvent::waiting(&settled).len(), 1);

        let team: TeamRunOutput = serde_json::from_value(json!({
            "status": "PAUSED",
            "requirements": [{"tool_execution": {"tool_name": "external_tool",
                "tool_args": {"command": "uptime"}, "external_execution_required": true},
                "member_agent_id": "member-one"}]
        }))
        .unwrap();
        assert_eq!(
            TeamRunEvent::waiting(&team),
            vec![
                "the result of external_tool(command=\"uptime\") (member member-one) (external execution)"
            ]
        );
    }
}
