//! `agentos chat`: a conversation with an agent, team or workflow in one session, a turn per
//! line: streamed answers, human-in-the-loop prompts in line, Ctrl-C cancels the current run
//! (not the chat), Ctrl-D ends it, and a few slash commands.

use std::io::IsTerminal;

use agentos::AgentOsClient;
use agentos::sessions::{SessionType, SessionsExt};
use serde_json::Value;

use crate::out::{Failure, Out, bold, code, dim, plain};
use crate::run::{self, RunArgs, Target};

/// `agentos chat`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Each line is a turn, sent to the same session and streamed as it arrives. When a run pauses \
for a human, the question is asked in line. Ctrl-C cancels the current run (not the chat); at \
the prompt it clears the line. Ctrl-D (or /exit) ends the chat.

Commands:
  /session        show the session id
  /session ID     switch to session ID (its last turns are shown)
  /new            start a new session
  /history        the session's previous runs
  /help           this list
  /exit           end the chat

Line editing and history (arrows, Ctrl-R) on a terminal; the history is kept in the platform's \
data dir (~/.local/share/agentos/chat_history.txt on Linux). Without a terminal, each line of \
stdin is a turn (answers to a paused run are read from the next lines), so a chat can be \
scripted.

Examples:
  agentos chat echo-agent
  agentos chat --team echo-team -u u1
  agentos chat echo-agent --session SESSION_ID      # resume: the last turns are shown first
  printf 'hi\\nand again\\n' | agentos chat echo-agent")]
pub struct ChatArgs {
    #[command(flatten)]
    target: Target,
    /// Resume this session (a new one when left out); its last turns are shown first.
    #[arg(short, long, add = crate::complete::sessions())]
    session: Option<String>,
    /// The user id.
    #[arg(short, long)]
    user: Option<String>,
    /// How many of the session's last turns to show when resuming.
    #[arg(long, default_value_t = 5, value_name = "N")]
    last: usize,
}

/// A new session id: `chat-` and a random UUID ([`agentos::new_session_id`]).
fn new_session_id() -> String {
    format!("chat-{}", agentos::new_session_id())
}

/// Where turns come from: an editor on a terminal, or the lines of stdin.
enum Input {
    /// Line editing on a terminal, with the history (the file's, and this chat's lines).
    Editor {
        history: Vec<String>,
        path: Option<std::path::PathBuf>,
    },
    Lines,
}

/// One read from the input.
enum Read {
    Line(String),
    /// Ctrl-C at the prompt.
    Cleared,
    /// Ctrl-D, or the end of stdin.
    End,
}

/// The most history lines kept for the editor.
const HISTORY_MAX: usize = 1000;

impl Input {
    fn new() -> Input {
        if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
            return Input::Lines;
        }
        let path = history_path();
        let mut history = Vec::new();
        if let Some(p) = &path {
            if let Ok(mut ed) = rustyline::DefaultEditor::new() {
                if ed.load_history(p).is_ok() {
                    history = ed.history().iter().cloned().collect();
                }
            }
        }
        Input::Editor { history, path }
    }

    fn read(&mut self, prompt: &str) -> Result<Read, Failure> {
        match self {
            Input::Editor { history, path } => {
                // An editor for this line only: while it lives, rustyline holds SIGINT (its
                // own handler, restored when it is dropped), and Ctrl-C during a run must
                // reach ours. (Its `signal-hook` mode leaves SIGINT alone, but then stalls on
                // input typed faster than it reads: rustyline 17 polls the terminal before
                // its own buffer.)
                let mut ed = rustyline::DefaultEditor::new()
                    .map_err(|e| Failure::new(code::ERROR, format!("cannot edit lines: {e}")))?;
                for h in history.iter() {
                    let _ = ed.add_history_entry(h.as_str());
                }
                match ed.readline(prompt) {
                    Ok(line) => {
                        if !line.trim().is_empty() {
                            history.push(line.clone());
                            if history.len() > HISTORY_MAX {
                                history.remove(0);
                            }
                            let _ = ed.add_history_entry(line.as_str());
                            if let Some(p) = path {
                                if let Some(dir) = p.parent() {
                                    let _ = std::fs::create_dir_all(dir);
                                }
                                let _ = ed.append_history(p);
                            }
                        }
                        Ok(Read::Line(line))
                    }
                    Err(rustyline::error::ReadlineError::Interrupted) => Ok(Read::Cleared),
                    Err(rustyline::error::ReadlineError::Eof) => Ok(Read::End),
                    Err(e) => Err(Failure::new(
                        code::ERROR,
                        format!("cannot read a line: {e}"),
                    )),
                }
            }
            Input::Lines => {
                let mut line = String::new();
                match crate::prompt::read_stdin_line(&mut line) {
                    Ok(0) => Ok(Read::End),
                    Ok(_) => {
                        let line = line.trim_end_matches(['\n', '\r']).to_owned();
                        // Not typed on a terminal, so not echoed: show it, for the log to read well.
                        crate::out::eprint_plain(&format!("{prompt}{line}"));
                        Ok(Read::Line(line))
                    }
                    Err(e) => Err(Failure::new(code::ERROR, format!("cannot read stdin: {e}"))),
                }
            }
        }
    }
}

/// The chat history file: `chat_history.txt` in the platform's data dir for agentos.
fn history_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "agentos").map(|d| d.data_dir().join("chat_history.txt"))
}

/// The chat itself.
struct Chat<'a> {
    c: &'a AgentOsClient,
    out: &'a Out,
    args: &'a ChatArgs,
    session: String,
}

impl Chat<'_> {
    fn kind(&self) -> SessionType {
        if self.args.target.team {
            SessionType::Team
        } else if self.args.target.workflow {
            SessionType::Workflow
        } else {
            SessionType::Agent
        }
    }

    fn note(&self, text: impl Into<String>) {
        self.out.eprint(&[dim(text.into())]);
    }

    /// The session's runs (its top-level ones: a team's member runs are left out), oldest
    /// first.
    async fn runs(&self) -> Result<Vec<Value>, Failure> {
        let runs = self
            .c
            .get_session_runs(&self.session)
            .session_type(self.kind())
            .await?;
        let mut runs: Vec<Value> = runs
            .iter()
            .filter(|r| r.parent_run_id.is_none())
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect();
        runs.sort_by(|a, b| {
            crate::out::epoch(&a["created_at"]).total_cmp(&crate::out::epoch(&b["created_at"]))
        });
        Ok(runs)
    }

    /// Shows the session's last `n` turns (a resumed chat).
    async fn show_last(&self, n: usize) {
        match self.runs().await {
            Ok(runs) => {
                let skip = runs.len().saturating_sub(n);
                if skip > 0 {
                    self.note(format!("… {skip} earlier turns (/history lists them)"));
                }
                for r in &runs[skip..] {
                    let input = r["run_input"].as_str().unwrap_or_default();
                    let content = match &r["content"] {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    self.out.print(&[bold("you: "), plain(input)]);
                    self.out
                        .print(&[bold(format!("{}: ", self.args.target.id)), plain(content)]);
                }
            }
            // A session not stored yet (none, or not this user's) starts empty.
            Err(f) if f.status == Some(404) => {}
            Err(f) => f.report(self.out),
        }
    }

    /// `/history`.
    async fn history(&self) -> Result<(), Failure> {
        let runs = self.runs().await?;
        self.out.emit(&serde_json::json!({ "data": runs }), |_| {
            let rows: Vec<Value> = runs
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r["when"] = Value::String(crate::out::ago(&r["created_at"]));
                    r
                })
                .collect();
            self.out.table(
                &rows,
                &[
                    ("RUN", "run_id"),
                    ("STATUS", "status"),
                    ("WHEN", "when"),
                    ("INPUT", "run_input"),
                    ("CONTENT", "content"),
                ],
            );
        })
    }

    /// A slash command; `false` ends the chat.
    async fn command(&mut self, line: &str) -> bool {
        let mut words = line.split_whitespace();
        let cmd = words.next().unwrap_or_default();
        let arg = words.next();
        match (cmd, arg) {
            ("/exit" | "/quit", _) => return false,
            ("/new", _) => {
                self.session = new_session_id();
                self.note(format!("new session {}", self.session));
            }
            ("/session", None) => self
                .out
                .print(&[plain(format!("session {}", self.session))]),
            ("/session", Some(id)) => {
                self.session = id.to_owned();
                self.note(format!("session {}", self.session));
                self.show_last(self.args.last).await;
            }
            ("/history", _) => {
                if let Err(f) = self.history().await {
                    f.report(self.out);
                }
            }
            ("/help", _) => self
                .note("/session [ID] · /new · /history · /exit (or Ctrl-D) · Ctrl-C cancels a run"),
            _ => self.note(format!("unknown command {cmd}: /help lists them")),
        }
        true
    }

    /// Sends one turn; its failures are reported and the chat goes on (a closed stdout ends
    /// it).
    async fn turn(&self, message: &str) -> Result<(), Failure> {
        let args = RunArgs::turn(
            &self.args.target,
            message,
            &self.session,
            self.args.user.as_deref(),
        );
        match run::start(self.c, self.out, &args).await {
            Ok(_) => Ok(()),
            Err(f) if f.code == code::BROKEN_PIPE => Err(f),
            // Ctrl-C: the run is cancelled, the chat goes on.
            Err(f) if f.code == code::INTERRUPTED && !self.out.json => {
                self.note(f.message);
                Ok(())
            }
            Err(f) => {
                f.report(self.out);
                Ok(())
            }
        }
    }
}

/// `agentos chat`.
pub async fn chat(c: &AgentOsClient, out: &Out, args: &ChatArgs) -> Result<u8, Failure> {
    // From now on Ctrl-C is ours: it cancels the current run, and never ends the chat.
    #[cfg(unix)]
    let _sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| Failure::new(code::ERROR, format!("cannot handle Ctrl-C: {e}")))?;
    let mut chat = Chat {
        c,
        out,
        args,
        session: args.session.clone().unwrap_or_else(new_session_id),
    };
    if args.session.is_some() {
        chat.show_last(args.last).await;
    }
    chat.note(format!(
        "chat with {} {} · session {} · /help · Ctrl-D ends",
        match chat.kind() {
            SessionType::Team => "team",
            SessionType::Workflow => "workflow",
            _ => "agent",
        },
        args.target.id,
        chat.session
    ));
    let mut input = Input::new();
    let prompt = format!("{}> ", crate::out::escape_controls(&args.target.id));
    loop {
        let line = match input.read(&prompt)? {
            Read::Line(l) => l,
            Read::Cleared => continue,
            Read::End => break,
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('/') {
            if !chat.command(line).await {
                break;
            }
            continue;
        }
        chat.turn(line).await?;
    }
    chat.note(format!("session {}", chat.session));
    Ok(code::OK)
}
