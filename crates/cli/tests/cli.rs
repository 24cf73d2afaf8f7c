//! The `agentos` binary against the real fixture AgentOS (`scripts/with-agentos.sh` exports
//! AGENTOS_URL, AGENTOS_SECURED_URL and AGENTOS_SECURITY_KEY). Every command's human and JSON
//! output is checked, and what the server did is read back with the CLI itself.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

// The workspace's integration-test helpers (`env`, `unique`, ...), shared rather than copied.
#[path = "../../../tests/common/mod.rs"]
mod common;

use common::{env, unique};

/// The binary, pointed at the open instance, with no token from the environment.
fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_agentos"));
    c.env("AGENTOS_URL", env("AGENTOS_URL"))
        .env_remove("AGENTOS_SECURITY_KEY")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null());
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))
            })
            .collect()
    }

    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn agentos(args: &[&str]) -> Run {
    finish(cmd().args(args).output().expect("the binary runs"))
}

/// Runs against the secured instance with `token`.
fn secured(token: &str, args: &[&str]) -> Run {
    let mut c = cmd();
    c.env("AGENTOS_URL", env("AGENTOS_SECURED_URL"))
        .env("AGENTOS_SECURITY_KEY", token);
    finish(c.args(args).output().unwrap())
}

/// Runs with `input` written to stdin.
fn agentos_stdin(args: &[&str], input: &str) -> Run {
    let mut child = cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}

/// Asserts the (one) run stored in `session` has `status`.
#[track_caller]
fn assert_run_status(session: &str, status: &str) {
    let runs = session_runs(session);
    assert_eq!(runs[0]["status"], status, "{runs}");
}

/// The runs the server stored in `session` (`sessions runs --json`).
fn session_runs(session: &str) -> Value {
    let j = agentos(&["sessions", "runs", session, "--json"])
        .ok()
        .json();
    j["data"].clone()
}

// ------------------------------------------------------------------ config, discovery

#[test]
fn config_human_and_json() {
    let human = agentos(&["config"]).ok();
    assert!(human.stdout.contains("os_id:"), "{}", human.stdout);
    assert!(human.stdout.contains("agentos-rs-fixture"));
    assert!(
        human
            .stdout
            .contains("echo-agent, hitl-agent, knowledge-agent")
    );
    let json = agentos(&["config", "--json"]).ok().json();
    assert_eq!(json["os_id"], "agentos-rs-fixture");
    assert!(json["agents"].as_array().unwrap().len() >= 3);
}

#[test]
fn agents_teams_workflows_list_and_get() {
    let list = agentos(&["agents", "list"]).ok();
    assert!(list.stdout.starts_with("ID"), "{}", list.stdout);
    assert!(list.stdout.contains("echo-agent") && list.stdout.contains("Echo Agent"));
    let ids: Vec<String> = agentos(&["agents", "list", "--json"]).ok().json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&"hitl-agent".to_owned()), "{ids:?}");

    let get = agentos(&["agents", "get", "hitl-agent"]).ok();
    assert!(get.stdout.contains("name:") && get.stdout.contains("HITL Agent"));
    assert!(
        get.stdout
            .contains("confirm_tool, external_tool, user_input_tool"),
        "{}",
        get.stdout
    );
    assert_eq!(
        agentos(&["agents", "get", "echo-agent", "--json"])
            .ok()
            .json()["name"],
        "Echo Agent"
    );

    assert!(
        agentos(&["teams", "list"])
            .ok()
            .stdout
            .contains("echo-team")
    );
    assert_eq!(
        agentos(&["teams", "get", "echo-team", "--json"])
            .ok()
            .json()["id"],
        "echo-team"
    );

    let wf = agentos(&["workflows", "get", "confirm-workflow"]).ok();
    assert!(wf.stdout.contains("prepare, publish"), "{}", wf.stdout);
    let wfs = agentos(&["workflows", "list", "--json"]).ok().json();
    assert!(
        wfs["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["id"] == "echo-workflow")
    );
}

#[test]
fn an_unknown_agent_exits_1_with_the_detail_and_a_hint() {
    let r = agentos(&["agents", "get", "no-such-agent"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: Agent not found"), "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 404"));
    assert!(r.stderr.contains("hint:"));
    assert!(!r.stderr.contains("panicked") && !r.stderr.contains("backtrace"));
    let j = agentos(&["agents", "get", "no-such-agent", "--json"]);
    assert_eq!(j.code, 1);
    // Errors go to stderr, as one JSON object with --json.
    let e: Value = serde_json::from_str(j.stderr.trim()).unwrap();
    assert_eq!(e["error"]["status"], 404);
}

#[test]
fn usage_errors_exit_2_and_help_documents_the_exit_codes() {
    assert_eq!(agentos(&["agents", "frobnicate"]).code, 2);
    assert_eq!(agentos(&["run"]).code, 2);
    assert_eq!(agentos(&["--timeout", "soon", "config"]).code, 2);
    // Odd input is refused before sending: exit 2 with a message, never a panic.
    for args in [
        &["run", "echo-agent", "  "][..],
        &["agents", "get", ""],
        &["sessions", "list", "--page", "0"],
        &["sessions", "list", "--limit", "0"],
        &["memories", "create", "x", "--user", "u", "--topic", ""],
        &["knowledge", "search", ""],
        &[
            "components",
            "create",
            "x",
            "--type",
            "agent",
            "--id",
            "a/b",
        ],
        &["learnings", "create", "user_profile", "[1]"],
        &["--timeout", "1e400", "config"],
    ] {
        let r = agentos(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    }
    let help = agentos(&["--help"]).ok();
    assert!(help.stdout.contains("Exit codes"));
    assert!(help.stdout.contains("3  a run paused"));
    assert!(help.stdout.contains("4  a run failed"));
}

#[test]
fn a_password_in_the_url_is_never_printed() {
    for json in [false, true] {
        let mut c = cmd();
        c.args(["--url", "http://user:s3cret-pw@127.0.0.1:9", "config"]);
        if json {
            c.arg("--json");
        }
        let r = finish(c.output().unwrap());
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("http://[redacted]@127.0.0.1:9"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("s3cret-pw") && !r.stdout.contains("s3cret-pw"));
    }
}

#[test]
fn an_unreachable_server_is_an_error_with_a_hint() {
    let r = finish(
        cmd()
            .env("AGENTOS_URL", "http://127.0.0.1:9")
            .args(["config", "--timeout", "5"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error:"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("is AgentOS running at http://127.0.0.1:9"),
        "{}",
        r.stderr
    );
}

#[test]
fn completions_bash_mention_agentos() {
    let r = agentos(&["completions", "bash"]).ok();
    assert!(r.stdout.contains("agentos"));
    assert!(
        r.stdout.contains("complete -F"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    assert!(r.stdout.contains("knowledge"));
    assert!(
        agentos(&["completions", "zsh"])
            .ok()
            .stdout
            .contains("#compdef agentos")
    );
    assert!(
        agentos(&["completions", "fish"])
            .ok()
            .stdout
            .contains("complete -c agentos")
    );
}

// ------------------------------------------------------------------ security

#[test]
fn the_secured_instance_needs_the_token_and_never_shows_it() {
    let url = env("AGENTOS_SECURED_URL");
    let key = env("AGENTOS_SECURITY_KEY");
    let no_token = finish(
        cmd()
            .env("AGENTOS_URL", &url)
            .args(["agents", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(no_token.code, 1, "{}", no_token.stderr);
    assert!(
        no_token
            .stderr
            .contains("error: Authorization header required"),
        "{}",
        no_token.stderr
    );
    assert!(no_token.stderr.contains("HTTP 401"));
    assert!(no_token.stderr.contains("hint:") && no_token.stderr.contains("AGENTOS_SECURITY_KEY"));

    let wrong = finish(
        cmd()
            .env("AGENTOS_URL", &url)
            .args(["agents", "list", "--token", "sk-wrong"])
            .output()
            .unwrap(),
    );
    assert_eq!(wrong.code, 1);
    assert!(!wrong.stderr.contains("sk-wrong") && !wrong.stdout.contains("sk-wrong"));

    let with_flag = finish(
        cmd()
            .env("AGENTOS_URL", &url)
            .args(["agents", "list", "--token", &key])
            .output()
            .unwrap(),
    )
    .ok();
    assert!(with_flag.stdout.contains("echo-agent"));
    assert!(!with_flag.stdout.contains(&key) && !with_flag.stderr.contains(&key));

    let with_env = finish(
        cmd()
            .env("AGENTOS_URL", &url)
            .env("AGENTOS_SECURITY_KEY", &key)
            .args(["run", "echo-agent", "secured hello", "--json"])
            .output()
            .unwrap(),
    )
    .ok();
    assert!(with_env.stdout.contains("Echo: secured hello"));
    assert!(!with_env.stdout.contains(&key) && !with_env.stderr.contains(&key));

    // The help never echoes the token from the environment.
    let help = finish(
        cmd()
            .env("AGENTOS_SECURITY_KEY", &key)
            .arg("--help")
            .output()
            .unwrap(),
    )
    .ok();
    assert!(help.stdout.contains("AGENTOS_SECURITY_KEY"));
    assert!(!help.stdout.contains(&key));
    let run_help = finish(
        cmd()
            .env("AGENTOS_SECURITY_KEY", &key)
            .args(["run", "--help"])
            .output()
            .unwrap(),
    )
    .ok();
    assert!(!run_help.stdout.contains(&key));
}

// ------------------------------------------------------------------ runs

#[test]
fn run_streams_the_answer_and_stores_it_in_the_session() {
    let session = unique("cli-run");
    let user = unique("cli-user");
    let r = agentos(&[
        "run",
        "echo-agent",
        "hello from the cli",
        "--session",
        &session,
        "--user",
        &user,
    ])
    .ok();
    assert_eq!(r.stdout, "Echo: hello from the cli\n");
    assert!(
        r.stderr.contains(&format!("session {session}")),
        "{}",
        r.stderr
    );

    let runs = session_runs(&session);
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["content"], "Echo: hello from the cli");
    assert_eq!(runs[0]["user_id"], user.as_str());
    let table = agentos(&["sessions", "runs", &session]).ok();
    assert!(table.stdout.contains("COMPLETED") && table.stdout.contains("hello from the cli"));
}

#[test]
fn ctrl_c_during_a_streamed_run_cancels_it_on_the_server_and_exits_130() {
    use std::io::{BufRead, BufReader};
    let session = unique("cli-ctrl-c");
    let mut child = cmd()
        .args([
            "run",
            "echo-agent",
            "[slow:20] take your time",
            "--session",
            &session,
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the answer streams (the run id is known from the first event).
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let v: Value = serde_json::from_str(&line).unwrap();
        let content = v["event"] == "RunContent";
        seen.push(v);
        if content {
            break;
        }
    }
    let run_id = seen[0]["data"]["run_id"].as_str().unwrap().to_owned();
    let started = std::time::Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "exits promptly"
    );
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains(&format!("run {run_id} cancelled")),
        "{stderr}"
    );

    // The server stopped the run: it is stored as CANCELLED, long before its 20 s.
    let mut stored = Value::Null;
    for _ in 0..50 {
        // The session may be stored a moment after the cancel: 404 until then.
        let r = agentos(&["sessions", "runs", &session, "--json"]);
        if r.code != 0 {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        stored = r.json()["data"][0].clone();
        if stored["status"] == "CANCELLED" {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(stored["status"], "CANCELLED", "{stored}");
    assert_eq!(stored["run_id"], run_id.as_str());
}

#[test]
fn run_json_prints_one_line_per_event() {
    let r = agentos(&["run", "echo-agent", "[story]", "--json"]).ok();
    let lines = r.lines();
    let names: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(names.first(), Some(&"RunStarted"));
    assert_eq!(names.last(), Some(&"RunCompleted"));
    let deltas = names.iter().filter(|n| **n == "RunContent").count();
    assert!(deltas >= 100, "{deltas} deltas");
    let text: String = lines
        .iter()
        .filter(|l| l["event"] == "RunContent")
        .filter_map(|l| l["data"]["content"].as_str())
        .collect();
    assert!(
        text.starts_with("Once upon a time") && text.trim_end().ends_with("The end."),
        "{text}"
    );
    assert!(lines.last().unwrap()["data"]["run_id"].is_string());
}

#[test]
fn run_no_stream_team_and_workflow() {
    let r = agentos(&["run", "echo-agent", "whole answer", "--no-stream"]).ok();
    assert_eq!(r.stdout, "Echo: whole answer\n");
    let j = agentos(&["run", "echo-agent", "whole json", "--no-stream", "--json"])
        .ok()
        .json();
    assert_eq!(j["status"], "COMPLETED");
    assert_eq!(j["content"], "Echo: whole json");

    let team = agentos(&["run", "--team", "echo-team", "team hello"]).ok();
    assert_eq!(team.stdout, "Echo: team hello\n");
    let wf = agentos(&["run", "--workflow", "echo-workflow", "hi wf"]).ok();
    assert!(wf.stdout.contains("Echo: Echo: hi wf"), "{}", wf.stdout);
    let wf = agentos(&[
        "run",
        "--workflow",
        "echo-workflow",
        "hi wf",
        "--no-stream",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(wf["content"], "Echo: Echo: hi wf");
}

#[test]
fn a_failed_run_exits_4_with_the_servers_message() {
    let r = agentos(&["run", "echo-agent", "[fail]"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: the run failed: The fake model was asked to fail with 500."),
        "{}",
        r.stderr
    );
    let r = agentos(&["run", "echo-agent", "[fail]", "--no-stream"]);
    assert_eq!(r.code, 4);
    let j = agentos(&["run", "echo-agent", "[fail]", "--json"]);
    assert_eq!(j.code, 4);
    // The events before the failure on stdout, the error document on stderr.
    assert!(j.stdout.contains("\"RunError\""), "{}", j.stdout);
    let lines = j.lines();
    assert!(lines.iter().any(|l| l["event"] == "RunError"));
    let last: Value = serde_json::from_str(j.stderr.trim()).unwrap();
    let last = &last;
    assert_eq!(last["error"]["exit_code"], 4);
    assert!(
        last["error"]["message"]
            .as_str()
            .unwrap()
            .contains("asked to fail")
    );
}

#[test]
fn run_uploads_a_file_that_reaches_the_run() {
    let session = unique("cli-file");
    let dir = std::env::temp_dir().join(unique("cli-upload"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("numbers.csv");
    std::fs::write(&file, "a,b\n1,2\n3,4\n").unwrap();
    let r = agentos(&[
        "run",
        "echo-agent",
        "read the file",
        "--file",
        file.to_str().unwrap(),
        "--session",
        &session,
    ])
    .ok();
    assert_eq!(r.stdout, "Echo: read the file\n");
    let runs = session_runs(&session);
    let files = &runs[0]["input_media"]["files"];
    assert_eq!(files[0]["filename"], "numbers.csv", "{runs}");
    assert_eq!(files[0]["media_reference"]["size"], 12);
    assert_eq!(files[0]["mime_type"], "text/csv");

    let missing = agentos(&["run", "echo-agent", "x", "--file", "/no/such/file.txt"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("/no/such/file.txt"),
        "{}",
        missing.stderr
    );
    let _ = std::fs::remove_dir_all(dir);
}

// ------------------------------------------------------------------ human in the loop

const CONFIRM: &str = r#"[tool:confirm_tool {"action": "launch"}]"#;

#[test]
fn a_paused_run_without_a_terminal_exits_3_and_says_what_it_waits_for() {
    let session = unique("cli-paused");
    let r = agentos(&["run", "hitl-agent", CONFIRM, "--session", &session]);
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("The run is paused"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("confirmation of confirm_tool(action=\"launch\")"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("--interactive"));

    let j = agentos(&[
        "run",
        "hitl-agent",
        r#"[tool:external_tool {"command": "uptime"}]"#,
        "--json",
    ]);
    assert_eq!(j.code, 3);
    let lines = j.lines();
    assert!(lines.iter().any(|l| l["event"] == "RunPaused"));
    let last = lines.last().unwrap();
    assert_eq!(last["event"], "agentos.paused");
    assert!(
        last["data"]["waiting_for"][0]
            .as_str()
            .unwrap()
            .contains("the result of external_tool")
    );

    // The server holds it paused.
    assert_run_status(&session, "PAUSED");
}

#[test]
fn an_interactive_confirmation_continues_to_completion() {
    let session = unique("cli-confirm");
    let r = agentos_stdin(
        &[
            "run",
            "hitl-agent",
            CONFIRM,
            "--session",
            &session,
            "--interactive",
        ],
        "y\n",
    )
    .ok();
    assert_eq!(r.stdout, "Tool result: confirm_tool performed: launch\n");
    assert!(
        r.stderr
            .contains("Run confirm_tool(action=\"launch\")? [y/n]"),
        "{}",
        r.stderr
    );
    assert_run_status(&session, "COMPLETED");
}

#[test]
fn an_interactive_rejection_sends_the_note() {
    // An unclear answer is asked again.
    let r = agentos_stdin(
        &["run", "hitl-agent", CONFIRM, "--interactive"],
        "maybe\nn\nnot today\n",
    )
    .ok();
    assert_eq!(r.stdout, "Tool result: not today\n");
    assert!(r.stderr.contains("please answer y or n"));
    assert!(r.stderr.contains("Note for the rejection"));
}

#[test]
fn interactive_user_input_and_external_results_non_streamed_too() {
    let r = agentos_stdin(
        &[
            "run",
            "hitl-agent",
            "[tool:user_input_tool]",
            "--interactive",
            "--no-stream",
        ],
        "Lisbon\n",
    )
    .ok();
    assert_eq!(
        r.stdout,
        "Tool result: user_input_tool planned a trip to Lisbon\n"
    );
    assert!(r.stderr.contains("needs `city`"), "{}", r.stderr);
    let r = agentos_stdin(
        &[
            "run",
            "hitl-agent",
            r#"[tool:external_tool {"command": "uptime"}]"#,
            "--interactive",
        ],
        "up 5 days\n",
    )
    .ok();
    assert_eq!(r.stdout, "Tool result: up 5 days\n");
}

#[test]
fn interactive_team_and_workflow_pauses() {
    let r = agentos_stdin(
        &["run", "--team", "echo-team", CONFIRM, "--interactive"],
        "y\n",
    )
    .ok();
    assert!(
        r.stdout
            .contains("Tool result: confirm_tool performed: launch"),
        "{}",
        r.stdout
    );
    let r = agentos_stdin(
        &[
            "run",
            "--workflow",
            "confirm-workflow",
            "ship it",
            "--interactive",
        ],
        "y\n",
    )
    .ok();
    assert!(r.stdout.contains("Echo: Echo: ship it"), "{}", r.stdout);
    assert!(r.stderr.contains("Publish the result?"));
    // Rejected: the step is skipped.
    let r = agentos_stdin(
        &[
            "run",
            "--workflow",
            "confirm-workflow",
            "keep it",
            "--interactive",
            "--no-stream",
            "--json",
        ],
        "n\nnot now\n",
    )
    .ok();
    let j = r.json();
    assert_eq!(j["status"], "COMPLETED");
    assert_eq!(j["content"], "Echo: keep it");
}

#[test]
fn input_that_ends_while_the_run_waits_exits_3() {
    let r = agentos_stdin(&["run", "hitl-agent", CONFIRM, "--interactive"], "");
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("no answer"));
}

/// A real pseudo-terminal (util-linux `script`): without --interactive, the prompt appears
/// because stdin and stderr are terminals, and the answer typed there continues the run.
#[test]
fn a_terminal_is_asked_without_interactive() {
    let bin = env!("CARGO_BIN_EXE_agentos");
    let Some(mut pty) = Pty::spawn(&[], &[bin, "run", "hitl-agent", CONFIRM]) else {
        return;
    };
    pty.wait_for("[y/n]", 1);
    pty.paste("y\n");
    let status = pty.child.wait().unwrap();
    pty.wait_for("Tool result: confirm_tool performed: launch", 1);
    assert!(status.success(), "{status}\n{}", pty.screen());
}

// ------------------------------------------------------------------ sessions, memories

#[test]
fn sessions_list_get_rename_delete() {
    let session = unique("cli-sess");
    let user = unique("cli-sess-user");
    agentos(&[
        "run",
        "echo-agent",
        "remember me",
        "--session",
        &session,
        "--user",
        &user,
    ])
    .ok();

    let list = agentos(&["sessions", "list", "--user", &user]).ok();
    assert!(list.stdout.contains(&session), "{}", list.stdout);
    assert!(list.stdout.contains("page 1 of 1 (1 in all)"));
    let j = agentos(&[
        "sessions", "list", "--user", &user, "--type", "agent", "--json",
    ])
    .ok()
    .json();
    assert_eq!(j["data"][0]["session_id"], session.as_str());
    assert_eq!(j["meta"]["total_count"], 1);

    let get = agentos(&["sessions", "get", &session]).ok();
    assert!(get.stdout.contains("[user] remember me"), "{}", get.stdout);
    assert!(get.stdout.contains("[assistant] Echo: remember me"));
    assert_eq!(
        agentos(&["sessions", "get", &session, "--json"])
            .ok()
            .json()["user_id"],
        user.as_str()
    );

    let renamed = agentos(&["sessions", "rename", &session, "CLI renamed"]).ok();
    assert!(renamed.stdout.contains("CLI renamed"));
    let j = agentos(&["sessions", "get", &session, "--json"])
        .ok()
        .json();
    assert_eq!(j["session_name"], "CLI renamed");

    let del = agentos(&["sessions", "delete", &session]).ok();
    assert!(del.stdout.contains("deleted session"));
    let gone = agentos(&["sessions", "get", &session]);
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("404"), "{}", gone.stderr);
}

#[test]
fn memories_create_list_get_update_topics_delete() {
    let user = unique("cli-mem-user");
    let text = format!("User {user} likes green tea");
    let created = agentos(&[
        "memories", "create", &text, "--user", &user, "--topic", "drinks", "--json",
    ])
    .ok()
    .json();
    let id = created["memory_id"].as_str().unwrap().to_owned();
    assert_eq!(created["memory"], text.as_str());

    let human = agentos(&[
        "memories",
        "create",
        "User plays chess",
        "--user",
        &user,
        "--topic",
        "games",
    ])
    .ok();
    assert!(human.stdout.contains("memory_id:") && human.stdout.contains("User plays chess"));

    let list = agentos(&["memories", "list", "--user", &user]).ok();
    assert!(
        list.stdout.contains("green tea") && list.stdout.contains("chess"),
        "{}",
        list.stdout
    );
    let j = agentos(&[
        "memories", "list", "--user", &user, "--topic", "drinks", "--json",
    ])
    .ok()
    .json();
    assert_eq!(j["data"].as_array().unwrap().len(), 1);
    assert_eq!(j["data"][0]["memory_id"], id.as_str());

    let get = agentos(&["memories", "get", &id, "--user", &user]).ok();
    assert!(get.stdout.contains("green tea") && get.stdout.contains("drinks"));

    agentos(&[
        "memories",
        "update",
        &id,
        "User likes black tea",
        "--user",
        &user,
        "--topic",
        "drinks",
    ])
    .ok();
    let j = agentos(&["memories", "get", &id, "--user", &user, "--json"])
        .ok()
        .json();
    assert_eq!(j["memory"], "User likes black tea");

    let topics = agentos(&["memories", "topics", "--user", &user, "--json"])
        .ok()
        .json();
    let topics: Vec<&str> = topics["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        topics.contains(&"drinks") && topics.contains(&"games"),
        "{topics:?}"
    );

    let stats = agentos(&["memories", "stats", "--limit", "100"]).ok();
    assert!(stats.stdout.starts_with("USER"));

    agentos(&["memories", "delete", &id, "--user", &user]).ok();
    let gone = agentos(&["memories", "get", &id, "--user", &user]);
    assert_eq!(gone.code, 1);
    let j = agentos(&["memories", "list", "--user", &user, "--json"])
        .ok()
        .json();
    assert_eq!(j["data"].as_array().unwrap().len(), 1);
}

// ------------------------------------------------------------------ knowledge

#[test]
fn knowledge_upload_shows_progress_then_search_finds_it() {
    let tag = unique("cli-kn").replace('-', "");
    let dir = std::env::temp_dir().join(unique("cli-kn"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{tag}.txt"));
    let body = format!("Zanzibar {tag} flamingos stand on one leg.\n").repeat(4000);
    std::fs::write(&file, &body).unwrap();
    let metadata = format!(r#"{{"cli_test": "{tag}"}}"#);
    let up = agentos(&[
        "knowledge",
        "upload",
        file.to_str().unwrap(),
        "--name",
        &tag,
        "--metadata",
        &metadata,
        "--progress",
        "plain",
    ])
    .ok();
    let pcts: Vec<u32> = up
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("upload: "))
        .map(|l| l.split('%').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(pcts.first(), Some(&0), "{}", up.stderr);
    assert_eq!(pcts.last(), Some(&100), "{}", up.stderr);
    assert!(pcts.windows(2).all(|w| w[0] < w[1]), "{pcts:?}");
    assert!(
        up.stdout.contains("status.status:") && up.stdout.contains("completed"),
        "{}",
        up.stdout
    );

    let hits = agentos(&[
        "knowledge",
        "search",
        &format!("{tag} flamingos"),
        "--type",
        "keyword",
        "--filters",
        &metadata,
        "--json",
    ])
    .ok()
    .json();
    let data = hits["data"].as_array().unwrap();
    assert!(!data.is_empty(), "{hits}");
    assert!(data[0]["content"].as_str().unwrap().contains(&tag));
    let human = agentos(&[
        "knowledge",
        "search",
        &tag,
        "--type",
        "vector",
        "--filters",
        &metadata,
    ])
    .ok();
    assert!(human.stdout.contains(&tag), "{}", human.stdout);

    let list = agentos(&["knowledge", "list", "--limit", "100", "--json"])
        .ok()
        .json();
    let id = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == tag.as_str())
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .expect("the upload is listed");
    let status = agentos(&["knowledge", "status", &id]).ok();
    assert!(status.stdout.contains("completed"), "{}", status.stdout);
    assert_eq!(
        agentos(&["knowledge", "get", &id, "--json"]).ok().json()["name"],
        tag.as_str()
    );
    assert!(
        agentos(&["knowledge", "config"])
            .ok()
            .stdout
            .contains("fixture-lancedb")
    );

    agentos(&["knowledge", "delete", &id]).ok();
    assert_eq!(agentos(&["knowledge", "get", &id]).code, 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn knowledge_text_upload_json() {
    let tag = unique("cli-kt").replace('-', "");
    let j = agentos(&[
        "knowledge",
        "upload",
        "--text",
        &format!("Okapis {tag} live in forests"),
        "--name",
        &tag,
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(j["status"]["status"], "completed", "{j}");
    let id = j["content"]["id"].as_str().unwrap().to_owned();
    agentos(&["knowledge", "delete", &id]).ok();
}

// ------------------------------------------------------------------ traces, metrics, evals

#[test]
fn traces_show_prints_a_tree_with_durations() {
    let session = unique("cli-trace");
    agentos(&[
        "run",
        "echo-agent",
        r#"echo [tool:echo_tool {"text": "ping"}]"#,
        "--session",
        &session,
    ])
    .ok();
    let mut trace_id = None;
    for _ in 0..50 {
        let j = agentos(&["traces", "list", "--session", &session, "--json"])
            .ok()
            .json();
        if let Some(id) = j["data"][0]["trace_id"].as_str() {
            trace_id = Some(id.to_owned());
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let trace_id = trace_id.expect("the run's trace appears");
    let list = agentos(&["traces", "list", "--session", &session]).ok();
    assert!(list.stdout.contains(&trace_id) && list.stdout.contains("Echo_Agent.arun"));

    let show = agentos(&["traces", "show", &trace_id]).ok();
    let lines: Vec<&str> = show.stdout.lines().collect();
    assert!(lines[0].starts_with("Echo_Agent.arun"), "{}", show.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("└─ ")),
        "{}",
        show.stdout
    );
    assert!(
        lines.iter().any(|l| l.starts_with("   └─ ")),
        "nested spans are indented:\n{}",
        show.stdout
    );
    assert!(show.stdout.contains("ms"), "{}", show.stdout);
    assert!(show.stdout.contains("echo_tool"), "{}", show.stdout);
    let j = agentos(&["traces", "show", &trace_id, "--json"])
        .ok()
        .json();
    assert_eq!(j["trace_id"], trace_id.as_str());
}

#[test]
fn metrics_refresh_and_list() {
    agentos(&["run", "echo-agent", "count me"]).ok();
    let j = agentos(&["metrics", "--refresh", "--json"]).ok().json();
    let rows = j["metrics"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["agent_runs_count"].as_u64().unwrap_or(0) > 0),
        "{j}"
    );
    let human = agentos(&["metrics"]).ok();
    assert!(human.stdout.starts_with("DATE"), "{}", human.stdout);
    assert_eq!(agentos(&["metrics", "--from", "yesterday"]).code, 2);
}

#[test]
fn evals_run_get_list_delete() {
    let name = unique("cli-eval");
    let j = agentos(&[
        "evals",
        "run",
        "echo-agent",
        "What is 2+2?",
        "--expected",
        "4",
        "--name",
        &name,
        "--json",
    ])
    .ok()
    .json();
    let id = j["id"].as_str().unwrap().to_owned();
    assert_eq!(j["eval_data"]["avg_score"], 8.0);
    let get = agentos(&["evals", "get", &id]).ok();
    assert!(
        get.stdout.contains(&name) && get.stdout.contains("avg_score: 8"),
        "{}",
        get.stdout
    );
    let list = agentos(&[
        "evals",
        "list",
        "--agent",
        "echo-agent",
        "--limit",
        "100",
        "--json",
    ])
    .ok()
    .json();
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == id.as_str())
    );
    let rel = agentos(&[
        "evals",
        "run",
        "echo-agent",
        "x [tool:echo_tool]",
        "--type",
        "reliability",
        "--tool",
        "echo_tool",
    ])
    .ok();
    assert!(rel.stdout.contains("PASSED"), "{}", rel.stdout);
    assert_eq!(
        agentos(&["evals", "run", "echo-agent", "x", "--type", "judge"]).code,
        2
    );
    agentos(&["evals", "delete", &id]).ok();
    assert_eq!(agentos(&["evals", "get", &id]).code, 1);
}

// ------------------------------------------------------------------ the other areas

#[test]
fn the_other_areas_list_and_get() {
    for area in [
        &["learnings", "list"][..],
        &["schedules", "list"],
        &["approvals", "list"],
        &["components", "list"],
        &["filesystem", "list", "--namespace", "fixture-files"],
    ] {
        let human = agentos(area).ok();
        assert!(!human.stdout.is_empty(), "{area:?}");
        let mut args = area.to_vec();
        args.push("--json");
        let j = agentos(&args).ok().json();
        assert!(j.is_object(), "{area:?}: {j}");
    }
    let count = agentos(&["approvals", "count", "--json"]).ok().json();
    assert!(count["count"].is_u64());

    let files = agentos(&["filesystem", "list", "--namespace", "fixture-files"]).ok();
    assert!(files.stdout.contains("notes/alpha.txt"), "{}", files.stdout);
    // Filesystem pages say `entries` on the wire; printed, they are lists like the others.
    let j = agentos(&[
        "filesystem",
        "list",
        "--namespace",
        "fixture-files",
        "--json",
    ])
    .ok()
    .json();
    assert!(j.get("entries").is_none(), "{j}");
    let paths: Vec<&str> = j["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data list: {j}"))
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&"notes/alpha.txt"), "{paths:?}");
    assert!(j["meta"]["total_count"].as_u64().is_some(), "{j}");
    let search = |json: bool| {
        let mut args = vec![
            "filesystem",
            "search",
            "needle",
            "--namespace",
            "fixture-files",
        ];
        if json {
            args.push("--json");
        }
        agentos(&args).ok()
    };
    let hits = search(true).json();
    assert_eq!(hits["data"][0]["path"], "notes/alpha.txt", "{hits}");
    assert_eq!(hits["data"][0]["line"], 2, "{hits}");
    let human = search(false);
    assert!(human.stdout.contains("notes/alpha.txt"), "{}", human.stdout);
    let read = agentos(&[
        "filesystem",
        "read",
        "README.md",
        "--namespace",
        "fixture-files",
    ])
    .ok();
    assert!(!read.stdout.trim().is_empty());
    let missing = agentos(&["schedules", "get", "no-such-schedule"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("404"), "{}", missing.stderr);
}

#[test]
fn service_accounts_on_the_secured_instance() {
    let r = secured(
        &env("AGENTOS_SECURITY_KEY"),
        &["service-accounts", "list", "--json"],
    )
    .ok();
    assert!(r.json()["data"].is_array());
}

#[test]
fn a_minted_service_account_token_works_for_its_scope_until_revoked() {
    let admin = |args: &[&str]| secured(&env("AGENTOS_SECURITY_KEY"), args);
    let name = unique("cli-sa").replace('_', "-");
    let name = &name[..name.len().min(40)];
    // Human mode: the token alone on stdout, the warning on stderr.
    let created = admin(&["service-accounts", "create", name, "--scope", "agents:read"]).ok();
    let token = created.stdout.trim().to_owned();
    assert!(token.starts_with("agno_pat_"), "{}", created.stdout);
    assert_eq!(created.stdout.lines().count(), 1);
    assert!(
        created.stderr.contains("will not be shown again"),
        "{}",
        created.stderr
    );

    let as_token = |args: &[&str]| secured(&token, args);
    // Its scope: agents can be listed; sessions cannot (403), and the token is not echoed.
    let agents = as_token(&["agents", "list", "--json"]).ok();
    assert!(
        agents.json()["data"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    let refused = as_token(&["sessions", "list"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(!refused.stderr.contains(&token) && !refused.stdout.contains(&token));

    // Revoked: the token is refused for what it could do before.
    let list = admin(&["service-accounts", "list", "--json"]).ok().json();
    let id = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .and_then(|a| a["id"].as_str())
        .expect("the new account is listed")
        .to_owned();
    assert!(
        !list.to_string().contains(&token),
        "a listing never holds the token"
    );
    let revoked = admin(&["service-accounts", "revoke", &id]).ok();
    assert!(revoked.stdout.contains(&id));
    let after = as_token(&["agents", "list"]);
    assert_eq!(after.code, 1, "{}", after.stderr);
    assert!(
        after.stderr.contains("401") || after.stderr.to_lowercase().contains("unauthor"),
        "{}",
        after.stderr
    );
}

// ------------------------------------------------------------------ approvals, continue, schedules

const APPROVAL: &str = r#"[tool:approval_tool {"action": "purge"}]"#;

#[test]
fn an_admin_approval_is_resolved_then_the_run_continues() {
    let session = unique("cli-approval");
    let paused = agentos(&[
        "run",
        "knowledge-agent",
        APPROVAL,
        "--session",
        &session,
        "--json",
    ]);
    assert_eq!(paused.code, 3, "{}", paused.stderr);
    let last = paused.lines().pop().unwrap();
    let run_id = last["data"]["run_id"].as_str().unwrap().to_owned();
    let waiting = last["data"]["waiting_for"][0].as_str().unwrap().to_owned();
    assert!(
        waiting.contains("admin approval of approval_tool"),
        "{waiting}"
    );

    let pending = agentos(&[
        "approvals",
        "list",
        "--status",
        "pending",
        "--limit",
        "100",
        "--json",
    ])
    .ok()
    .json();
    let approval = pending["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["run_id"] == run_id.as_str())
        .expect("the approval is listed")
        .clone();
    let id = approval["id"].as_str().unwrap();
    assert!(waiting.contains(id), "{waiting}");
    let human = agentos(&["approvals", "get", id]).ok();
    assert!(
        human.stdout.contains("pending") && human.stdout.contains("approval_tool"),
        "{}",
        human.stdout
    );

    // Still pending: continuing says so again.
    let again = agentos(&[
        "run",
        "knowledge-agent",
        "--continue",
        &run_id,
        "--session",
        &session,
    ]);
    assert_eq!(again.code, 3, "{}", again.stderr);

    let resolved = agentos(&[
        "approvals",
        "resolve",
        id,
        "approve",
        "--by",
        "cli-test",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(resolved["status"], "approved");
    assert_eq!(resolved["resolved_by"], "cli-test");

    let done = agentos(&[
        "run",
        "knowledge-agent",
        "--continue",
        &run_id,
        "--session",
        &session,
    ])
    .ok();
    assert_eq!(done.stdout, "Tool result: approval_tool performed: purge\n");
    assert_run_status(&session, "COMPLETED");
}

#[test]
fn an_admin_approval_is_asked_interactively() {
    let r = agentos_stdin(
        &["run", "knowledge-agent", APPROVAL, "--interactive"],
        "y\n",
    )
    .ok();
    assert_eq!(r.stdout, "Tool result: approval_tool performed: purge\n");
    assert!(r.stderr.contains("(admin approval "), "{}", r.stderr);
    let r = agentos_stdin(
        &[
            "run",
            "knowledge-agent",
            APPROVAL,
            "--interactive",
            "--no-stream",
        ],
        "n\n",
    )
    .ok();
    assert_eq!(r.stdout, "Tool result: rejected by an admin\n");
}

#[test]
fn an_interactive_continue_of_a_paused_run() {
    let session = unique("cli-cont");
    let paused = agentos(&[
        "run",
        "hitl-agent",
        CONFIRM,
        "--session",
        &session,
        "--no-stream",
        "--json",
    ]);
    assert_eq!(paused.code, 3);
    let doc = paused.json();
    assert_eq!(doc["status"], "PAUSED");
    assert!(
        doc["waiting_for"][0]
            .as_str()
            .unwrap()
            .contains("confirm_tool")
    );
    let run_id = doc["run_id"].as_str().unwrap();
    let done = agentos_stdin(
        &[
            "run",
            "hitl-agent",
            "--continue",
            run_id,
            "--session",
            &session,
            "--interactive",
        ],
        "y\n",
    )
    .ok();
    assert_eq!(done.stdout, "Tool result: confirm_tool performed: launch\n");
    // A finished run shows as it is.
    let shown = agentos(&[
        "run",
        "hitl-agent",
        "--continue",
        run_id,
        "--session",
        &session,
    ])
    .ok();
    assert_eq!(
        shown.stdout,
        "Tool result: confirm_tool performed: launch\n"
    );
    assert_eq!(
        agentos(&["run", "hitl-agent", "--continue", run_id]).code,
        2
    );
}

#[test]
fn schedules_create_get_disable_enable_trigger_runs_delete() {
    let name = unique("cli-sched");
    let created = agentos(&[
        "schedules",
        "create",
        &name,
        "/agents/echo-agent/runs",
        "--cron",
        "0 9 * * *",
        "--payload",
        r#"{"message": "scheduled hello"}"#,
        "--json",
    ])
    .ok()
    .json();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["cron_expr"], "0 9 * * *");
    let get = agentos(&["schedules", "get", &id]).ok();
    assert!(
        get.stdout.contains(&name) && get.stdout.contains("/agents/echo-agent/runs"),
        "{}",
        get.stdout
    );
    let list = agentos(&["schedules", "list", "--limit", "100"]).ok();
    assert!(list.stdout.contains(&name));

    assert_eq!(
        agentos(&["schedules", "disable", &id, "--json"])
            .ok()
            .json()["enabled"],
        false
    );
    assert_eq!(
        agentos(&["schedules", "get", &id, "--json"]).ok().json()["enabled"],
        false
    );
    assert_eq!(
        agentos(&["schedules", "enable", &id, "--json"]).ok().json()["enabled"],
        true
    );

    let run = agentos(&["schedules", "trigger", &id, "--json"])
        .ok()
        .json();
    assert_eq!(run["schedule_id"], id.as_str());
    let runs = agentos(&["schedules", "runs", &id, "--json"]).ok().json();
    assert!(!runs["data"].as_array().unwrap().is_empty(), "{runs}");
    assert!(
        agentos(&["schedules", "runs", &id])
            .ok()
            .stdout
            .starts_with("ID")
    );

    agentos(&["schedules", "delete", &id]).ok();
    assert_eq!(agentos(&["schedules", "get", &id]).code, 1);
}

#[test]
fn a_bad_token_or_url_is_a_usage_error_that_does_not_echo_the_token() {
    let r = agentos(&["config", "--token", "sk-SECRETVALUE\nx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("AGENTOS_SECURITY_KEY"), "{}", r.stderr);
    assert!(!r.stderr.contains("SECRETVALUE") && !r.stdout.contains("SECRETVALUE"));
    let r = finish(
        cmd()
            .env("AGENTOS_URL", "not a url")
            .arg("config")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid base URL"), "{}", r.stderr);
}

// ------------------------------------------------------------------ write commands

#[test]
fn components_create_update_with_a_guard_then_delete() {
    let id = unique("cli-comp");
    let j = agentos(&[
        "components",
        "create",
        "CLI Agent",
        "--type",
        "agent",
        "--id",
        &id,
        "--description",
        "first",
        "--config",
        r#"{"name": "CLI Agent"}"#,
        "--publish",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(j["component_id"], id.as_str(), "{j}");
    assert_eq!(j["component_type"], "agent", "{j}");
    let version = j["current_version"].as_u64().expect("a published version");

    // A stale guard is refused and changes nothing.
    let stale = (version + 5).to_string();
    let refused = agentos(&[
        "components",
        "update",
        &id,
        "--name",
        "Renamed",
        "--if-current-version",
        &stale,
    ]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("409"), "{}", refused.stderr);
    let got = agentos(&["components", "get", &id, "--json"]).ok().json();
    assert_eq!(got["name"], "CLI Agent");

    let current = version.to_string();
    agentos(&[
        "components",
        "update",
        &id,
        "--name",
        "Renamed",
        "--description",
        "second",
        "--if-current-version",
        &current,
    ])
    .ok();
    let got = agentos(&["components", "get", &id, "--json"]).ok().json();
    assert_eq!(got["name"], "Renamed", "{got}");
    assert_eq!(got["description"], "second", "{got}");

    let nothing = agentos(&["components", "update", &id]);
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    assert!(
        nothing.stderr.contains("nothing to change"),
        "{}",
        nothing.stderr
    );

    let bad = agentos(&[
        "components",
        "create",
        "X",
        "--type",
        "agent",
        "--config",
        "{",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("--config is not valid JSON"),
        "{}",
        bad.stderr
    );

    let deleted = agentos(&["components", "delete", &id, "--json"])
        .ok()
        .json();
    assert_eq!(deleted["deleted"], id.as_str());
    assert_eq!(agentos(&["components", "get", &id]).code, 1);
}

#[test]
fn learnings_create_update_get_delete() {
    let user = unique("cli-learn");
    let j = agentos(&[
        "learnings",
        "create",
        "user_profile",
        r#"{"name": "Ada"}"#,
        "--user",
        &user,
        "--json",
    ])
    .ok()
    .json();
    let id = j["learning_id"].as_str().expect("an id").to_owned();
    assert_eq!(j["user_id"], user.as_str(), "{j}");

    agentos(&[
        "learnings",
        "update",
        &id,
        "--content",
        r#"{"name": "Ada L."}"#,
        "--metadata",
        r#"{"source": "cli"}"#,
    ])
    .ok();
    let got = agentos(&["learnings", "get", &id, "--json"]).ok().json();
    assert_eq!(got["content"]["name"], "Ada L.", "{got}");
    assert_eq!(got["metadata"]["source"], "cli", "{got}");
    let listed = agentos(&["learnings", "list", "--user", &user, "--json"])
        .ok()
        .json();
    assert_eq!(listed["data"].as_array().map(Vec::len), Some(1), "{listed}");

    agentos(&["learnings", "delete", &id]).ok();
    assert_eq!(agentos(&["learnings", "get", &id]).code, 1);
}

#[test]
fn knowledge_update_and_refresh() {
    let tag = unique("cli-ku").replace('-', "");
    let j = agentos(&[
        "knowledge",
        "upload",
        "--text",
        &format!("Tapirs {tag} swim well"),
        "--name",
        &tag,
        "--json",
    ])
    .ok()
    .json();
    let id = j["content"]["id"].as_str().unwrap().to_owned();
    let renamed = format!("{tag}-renamed");
    agentos(&[
        "knowledge",
        "update",
        &id,
        "--name",
        &renamed,
        "--metadata",
        r#"{"team": "cli"}"#,
    ])
    .ok();
    let got = agentos(&["knowledge", "get", &id, "--json"]).ok().json();
    assert_eq!(got["name"], renamed.as_str(), "{got}");
    assert_eq!(got["metadata"]["team"], "cli", "{got}");
    // agno refreshes only contents a site reader built (the fixture has none): the
    // server's 400 detail reaches the user, exit 1.
    let refresh = agentos(&["knowledge", "refresh", &id]);
    assert_eq!(refresh.code, 1, "{}", refresh.stderr);
    assert!(refresh.stderr.contains("HTTP 400"), "{}", refresh.stderr);
    assert!(refresh.stderr.contains("refresh"), "{}", refresh.stderr);
    assert_eq!(agentos(&["knowledge", "update", &id]).code, 2);
    agentos(&["knowledge", "delete", &id]).ok();
}

#[test]
fn traces_list_filters_by_status_and_time() {
    let session = unique("cli-tracef");
    agentos(&["run", "echo-agent", "hello", "--session", &session]).ok();
    let mut found = None;
    for _ in 0..50 {
        let j = agentos(&[
            "traces",
            "list",
            "--session",
            &session,
            "--status",
            "OK",
            "--since",
            "2000-01-01T00:00:00Z",
            "--json",
        ])
        .ok()
        .json();
        if let Some(t) = j["data"].as_array().and_then(|d| d.first()).cloned() {
            found = Some(t);
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let t = found.expect("the run's trace appears with status OK");
    assert_eq!(t["status"], "OK", "{t}");
    // Epoch seconds work too; nothing of this session ended before 2001.
    let before = agentos(&[
        "traces",
        "list",
        "--session",
        &session,
        "--until",
        "978307200",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(before["data"].as_array().map(Vec::len), Some(0), "{before}");
    let errors = agentos(&[
        "traces",
        "list",
        "--session",
        &session,
        "--status",
        "ERROR",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(errors["data"].as_array().map(Vec::len), Some(0), "{errors}");
    let bad = agentos(&["traces", "list", "--since", "yesterday"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("not a time"), "{}", bad.stderr);
}

#[test]
fn traces_search_with_a_typed_filter() {
    let session = unique("cli-traces");
    agentos(&["run", "echo-agent", "hello", "--session", &session]).ok();
    let mut found = None;
    for _ in 0..50 {
        let j = agentos(&[
            "traces",
            "search",
            "--session",
            &session,
            "--status",
            "OK",
            "--status",
            "ERROR",
            "--name",
            "arun",
            "--slower-than",
            "1ms",
            "--json",
        ])
        .ok()
        .json();
        if let Some(t) = j["data"].as_array().and_then(|d| d.first()).cloned() {
            found = Some(t);
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let t = found.expect("the run's trace is found");
    assert_eq!(t["session_id"], session.as_str(), "{t}");
    let human = agentos(&["traces", "search", "--session", &session]).ok();
    assert!(
        human.stdout.contains(t["trace_id"].as_str().unwrap()),
        "{}",
        human.stdout
    );

    // All conditions must hold: none of this session's traces failed.
    let none = agentos(&[
        "traces",
        "search",
        "--session",
        &session,
        "--status",
        "ERROR",
        "--json",
    ])
    .ok()
    .json();
    assert_eq!(none["data"].as_array().map(Vec::len), Some(0), "{none}");
    // With --any, one is enough.
    let any = agentos(&[
        "traces",
        "search",
        "--session",
        &session,
        "--user",
        &unique("nobody"),
        "--any",
        "--json",
    ])
    .ok()
    .json();
    assert!(!any["data"].as_array().unwrap().is_empty(), "{any}");

    let empty = agentos(&["traces", "search"]);
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    assert!(
        empty.stderr.contains("at least one condition"),
        "{}",
        empty.stderr
    );
    let bad = agentos(&[
        "traces",
        "search",
        "--slower-than",
        "100000000000000000000000",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);
}

#[test]
fn every_list_prints_data_with_json() {
    let session = unique("cli-lists");
    agentos(&["run", "echo-agent", "hi", "--session", &session]).ok();
    for args in [
        &["agents", "list"][..],
        &["teams", "list"],
        &["workflows", "list"],
        &["sessions", "list"],
        &["sessions", "runs", &session],
        &["memories", "list"],
        &["memories", "topics"],
        &["memories", "stats"],
        &["knowledge", "list"],
        &["traces", "list"],
        &["evals", "list"],
        &["learnings", "list"],
        &["schedules", "list"],
        &["approvals", "list"],
        &["components", "list"],
    ] {
        let mut a = args.to_vec();
        a.push("--json");
        let j = agentos(&a).ok().json();
        assert!(j["data"].is_array(), "{args:?}: {j}");
    }
}

#[test]
fn help_never_shows_the_token_or_the_url_from_the_environment() {
    for args in [&["--help"][..], &["agents", "list", "--help"]] {
        let r = finish(
            Command::new(env!("CARGO_BIN_EXE_agentos"))
                .env("AGENTOS_SECURITY_KEY", "sekrit-token-x")
                .env("AGENTOS_URL", "http://u:sekrit-pw-x@example.invalid")
                .args(args)
                .output()
                .unwrap(),
        )
        .ok();
        assert!(r.stdout.contains("AGENTOS_SECURITY_KEY"), "{}", r.stdout);
        assert!(!r.stdout.contains("sekrit"), "{args:?}:\n{}", r.stdout);
    }
}

#[test]
fn a_closed_stdout_ends_quietly_without_a_panic() {
    // More than a pipe holds (~220 KB), and nobody reads it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentos"))
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn service_account_create_json_holds_the_token_and_its_expiry() {
    let admin = |args: &[&str]| secured(&env("AGENTOS_SECURITY_KEY"), args);
    let name = unique("cli-saj");
    let name = &name[..name.len().min(40)];
    let created = admin(&[
        "service-accounts",
        "create",
        name,
        "--scope",
        "agents:read",
        "--expires-in-days",
        "7",
        "--json",
    ])
    .ok();
    let j = created.json();
    let token = j["token"].as_str().expect("the token is in the document");
    assert!(token.starts_with("agno_pat_"), "{j}");
    assert_eq!(j["name"], name, "{j}");
    assert!(!j["expires_at"].is_null(), "an expiry was asked: {j}");
    assert!(!created.stderr.contains(token));
    let id = j["id"].as_str().unwrap().to_owned();
    let revoked = admin(&["service-accounts", "revoke", &id, "--json"]).ok();
    assert_eq!(revoked.json()["revoked"], id.as_str());
    // Both expiry options at once are a usage error.
    let both = admin(&[
        "service-accounts",
        "create",
        name,
        "--scope",
        "agents:read",
        "--expires-in-days",
        "7",
        "--never-expires",
    ]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

// ------------------------------------------------------------------ pipes, flags, profiles

#[test]
fn a_message_or_a_file_can_come_from_stdin() {
    let session = unique("cli-stdin");
    let r = agentos_stdin(
        &["run", "echo-agent", "-", "-s", &session],
        "hello from a pipe\n",
    )
    .ok();
    assert_eq!(r.stdout, "Echo: hello from a pipe\n");
    assert_eq!(session_runs(&session)[0]["run_input"], "hello from a pipe");

    let session = unique("cli-stdin-file");
    agentos_stdin(
        &["run", "echo-agent", "read stdin", "-f", "-", "-s", &session],
        "a,b\n1,2\n",
    )
    .ok();
    let runs = session_runs(&session);
    let file = &runs[0]["input_media"]["files"][0];
    assert_eq!(file["media_reference"]["size"], 8, "{runs}");
    assert_eq!(file["mime_type"], "text/plain", "{runs}");

    // stdin is read once.
    let both = agentos_stdin(&["run", "echo-agent", "-", "--file", "-"], "x");
    assert_eq!(both.code, 2, "{}", both.stderr);
    assert!(
        both.stderr.contains("stdin can be read once"),
        "{}",
        both.stderr
    );
}

#[test]
fn output_to_a_pipe_is_plain_and_json_lines_stream_as_events_arrive() {
    // Colors "auto", NO_COLOR unset: stdout and stderr are pipes, so no color, no spinner.
    let out = cmd()
        .env_remove("NO_COLOR")
        .args(["run", "echo-agent", "[story]"])
        .output()
        .unwrap();
    let r = finish(out).ok();
    assert!(r.stdout.starts_with("Once upon a time"), "{}", r.stdout);
    for text in [&r.stdout, &r.stderr] {
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
    }

    // The first JSON line is there while the run still goes on (~6 s).
    use std::io::{BufRead, BufReader};
    let mut child = cmd()
        .args(["run", "echo-agent", "[slow:6] streaming", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["event"], "RunStarted", "{first}");
    assert!(child.try_wait().unwrap().is_none(), "still running");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success());
    assert!(rest.iter().any(|l| l.contains("tick-2")), "{rest:?}");
}

#[test]
fn errors_go_to_stderr_and_with_json_as_one_json_object() {
    let r = agentos(&["agents", "get", "no-such-agent"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("no such agent: check the id (`agentos agents list` shows them)"),
        "{}",
        r.stderr
    );
    let j = agentos(&["--json", "sessions", "get", "no-such-session"]);
    assert_eq!(j.code, 1);
    assert_eq!(j.stdout, "", "results only on stdout");
    let e: Value = serde_json::from_str(j.stderr.trim()).expect("one JSON object on stderr");
    assert_eq!(e["error"]["status"], 404);
    assert_eq!(e["error"]["exit_code"], 1);
    assert!(
        e["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("no such session"),
        "{e}"
    );
    // A usage error of ours too.
    let u = agentos(&["run", "echo-agent", " ", "--json"]);
    assert_eq!(u.code, 2);
    let e: Value = serde_json::from_str(u.stderr.trim()).unwrap();
    assert_eq!(e["error"]["exit_code"], 2);
}

#[test]
fn global_flags_go_anywhere_short_flags_and_aliases_work() {
    let before = agentos(&["--json", "agents", "ls"]).ok().json();
    let after = agentos(&["agents", "list", "--json"]).ok().json();
    assert_eq!(before["data"], after["data"]);
    assert!(before["data"].as_array().unwrap().len() >= 2);

    // Each subcommand's help lists the global options once, under their own heading.
    let help = agentos(&["run", "--help"]).ok().stdout;
    assert_eq!(help.matches("Global options:").count(), 1, "{help}");
    assert_eq!(help.matches("--url <URL>").count(), 1, "{help}");
    let (own, global) = help.split_once("Global options:").unwrap();
    assert!(
        own.contains("-s, --session") && own.contains("-f, --file"),
        "{own}"
    );
    assert!(
        !own.contains("--timeout") && global.contains("--timeout"),
        "{help}"
    );

    // `rm` deletes.
    let id = agentos(&[
        "memories",
        "create",
        "alias test",
        "-u",
        &unique("cli-alias"),
        "--json",
    ])
    .ok()
    .json()["memory_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        agentos(&["memories", "rm", &id])
            .ok()
            .stdout
            .contains("deleted")
    );
}

#[test]
fn version_shows_the_cli_and_the_server_when_reachable() {
    let r = agentos(&["--version"]).ok();
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(concat!("agentos ", env!("CARGO_PKG_VERSION")))
    );
    let server = lines.next().unwrap();
    assert!(server.contains("agno "), "{server}");
    let j = agentos(&["--version", "--json"]).ok().json();
    assert_eq!(j["cli"], env!("CARGO_PKG_VERSION"));
    assert!(j["server"]["agno_version"].is_string(), "{j}");

    // Nothing listens there: the CLI's version all the same, quickly.
    let started = std::time::Instant::now();
    let r = finish(
        cmd()
            .env("AGENTOS_URL", "http://127.0.0.1:9")
            .arg("-V")
            .output()
            .unwrap(),
    )
    .ok();
    assert!(r.stdout.contains("not reachable"), "{}", r.stdout);
    assert!(started.elapsed() < Duration::from_secs(15));

    // A broken config file: says why the server was not asked, and shows ours.
    let bad = std::env::temp_dir().join(unique("cli-bad-config"));
    std::fs::write(&bad, "profiles = [not toml").unwrap();
    let r = finish(
        cmd()
            .env("AGENTOS_CONFIG", &bad)
            .arg("--version")
            .output()
            .unwrap(),
    )
    .ok();
    assert!(r.stdout.starts_with("agentos "), "{}", r.stdout);
    assert!(
        r.stderr.contains("cannot read the config file"),
        "{}",
        r.stderr
    );
    let _ = std::fs::remove_file(bad);
}

/// A config file of our own (AGENTOS_CONFIG) and the binary pointed at it, without any
/// server or token from the environment.
struct Profiles {
    dir: std::path::PathBuf,
    file: std::path::PathBuf,
}

impl Profiles {
    fn new() -> Profiles {
        let dir = std::env::temp_dir().join(unique("cli-profiles"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("agentos").join("config.toml");
        Profiles { dir, file }
    }

    fn cmd(&self) -> Command {
        let mut c = cmd();
        c.env("AGENTOS_CONFIG", &self.file)
            .env_remove("AGENTOS_URL")
            .env_remove("AGENTOS_PROFILE");
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        finish(self.cmd().args(args).output().unwrap())
    }
}

impl Drop for Profiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn profiles_select_the_server_the_environment_wins_and_the_token_is_redacted() {
    let p = Profiles::new();
    let open = env("AGENTOS_URL");
    let secured = env("AGENTOS_SECURED_URL");
    let key = env("AGENTOS_SECURITY_KEY");
    p.run(&["config", "set-profile", "nowhere", "http://127.0.0.1:9"])
        .ok();
    p.run(&["config", "set-profile", "open", &open]).ok();
    p.run(&[
        "config",
        "set-profile",
        "sec",
        &secured,
        "--token-env",
        "MY_FIXTURE_KEY",
    ])
    .ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p.file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "created readable by its owner only");
    }

    // The current profile picks the server; --profile and AGENTOS_PROFILE pick another.
    p.run(&["config", "use-profile", "nowhere"]).ok();
    let r = p.run(&["agents", "list"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    p.run(&["agents", "list", "--profile", "open"]).ok();
    let r = finish(
        p.cmd()
            .env("AGENTOS_PROFILE", "open")
            .args(["agents", "list"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // AGENTOS_URL wins over the profile.
    let r = finish(
        p.cmd()
            .env("AGENTOS_URL", &open)
            .args(["config", "view", "--json"])
            .output()
            .unwrap(),
    )
    .ok();
    let v = r.json();
    assert_eq!(v["url"]["value"], open.as_str(), "{v}");
    assert_eq!(v["url"]["source"], "$AGENTOS_URL", "{v}");
    assert_eq!(v["profile"]["value"], "nowhere");

    // The secured server with the token from the variable the profile names: redacted.
    let view = |extra: &[&str]| {
        finish(
            p.cmd()
                .env("MY_FIXTURE_KEY", &key)
                .args(["--profile", "sec"])
                .args(extra)
                .output()
                .unwrap(),
        )
    };
    view(&["agents", "list"]).ok();
    let r = view(&["config", "view"]).ok();
    assert!(
        !r.stdout.contains(&key) && !r.stderr.contains(&key),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("[redacted]"), "{}", r.stdout);
    assert!(r.stdout.contains("profile sec, token_env"), "{}", r.stdout);
    let r = view(&["config", "view", "--json"]).ok();
    assert!(!r.stdout.contains(&key));
    assert_eq!(r.json()["token"]["value"], "[redacted]");
    // The variable unset: a usage error that names it.
    let r = p.run(&["--profile", "sec", "agents", "list"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("$MY_FIXTURE_KEY"), "{}", r.stderr);
    // An unknown profile.
    let r = p.run(&["--profile", "nope", "agents", "list"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no profile \"nope\""), "{}", r.stderr);
    assert!(r.stderr.contains("nowhere, open, sec"), "{}", r.stderr);
}

#[test]
fn a_token_command_and_a_token_in_clear_with_the_permissions_warning() {
    let p = Profiles::new();
    let secured = env("AGENTOS_SECURED_URL");
    let key = env("AGENTOS_SECURITY_KEY");
    p.run(&[
        "config",
        "set-profile",
        "cmd",
        &secured,
        "--token-command",
        &format!("echo {key}"),
    ])
    .ok();
    let r = p.run(&["--profile", "cmd", "agents", "list"]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);

    // A token written in clear by the user: it works, with a warning while others can read it.
    std::fs::write(
        &p.file,
        format!("current_profile = \"clear\"\n[profiles.clear]\nurl = \"{secured}\"\ntoken = \"{key}\"\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p.file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let r = p.run(&["agents", "list"]).ok();
        assert!(
            r.stderr
                .contains("holds a token in clear and others can read it (mode 644)"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains(&key));
        std::fs::set_permissions(&p.file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let r = p.run(&["agents", "list"]).ok();
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    }
}

// ------------------------------------------------------------------ chat

#[test]
fn a_chat_without_a_terminal_reads_turns_from_stdin_in_one_session() {
    let session = unique("cli-chat-pipe");
    let r = agentos_stdin(
        &["chat", "hitl-agent", "-s", &session],
        &format!("first turn\n\n/session\n{CONFIRM}\ny\nsecond turn\n/history\n"),
    )
    .ok();
    assert!(r.stdout.contains("Echo: first turn\n"), "{}", r.stdout);
    // The paused run's answer is the next line.
    assert!(
        r.stdout
            .contains("Tool result: confirm_tool performed: launch"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    assert!(r.stdout.contains("Echo: second turn\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("session {session}")),
        "{}",
        r.stdout
    );
    // /history: the two runs, in a table.
    assert!(
        r.stdout.contains("RUN") && r.stdout.contains("COMPLETED"),
        "{}",
        r.stdout
    );
    let runs = session_runs(&session);
    assert_eq!(runs.as_array().unwrap().len(), 3, "{runs}");

    // Resuming shows the last turns first.
    let r = agentos_stdin(
        &["chat", "hitl-agent", "--session", &session, "--last", "1"],
        "",
    )
    .ok();
    assert!(r.stdout.contains("you: second turn"), "{}", r.stdout);
    assert!(!r.stdout.contains("you: first turn"), "{}", r.stdout);
    assert!(r.stderr.contains("2 earlier turns"), "{}", r.stderr);
}

/// A program on a pseudo-terminal (util-linux `script`): what it shows is collected as it
/// comes, and keys are typed when it is ready for them.
struct Pty {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    screen: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Pty {
    /// Runs `argv` with `envs` on a terminal; `None` without `script`.
    ///
    /// `script` starts `$SHELL -c LINE`, and the line `exec`s the program: a shell that
    /// stayed (dash does) would share the terminal's process group, die of the Ctrl-C meant
    /// for the program, and `script -e` would report its 130 instead of the program's status.
    fn spawn(envs: &[(&str, &str)], argv: &[&str]) -> Option<Pty> {
        let quoted: Vec<String> = argv
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect();
        let line = format!("exec {}", quoted.join(" "));
        if Command::new("script").arg("--version").output().is_err() {
            eprintln!("skipped: util-linux `script` is not installed");
            return None;
        }
        let mut child = Command::new("script")
            .args(["-qfec", &line, "/dev/null"])
            .envs(envs.iter().copied())
            .env("AGENTOS_URL", env("AGENTOS_URL"))
            .env_remove("AGENTOS_SECURITY_KEY")
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let screen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut stdout, &mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Some(Pty {
            child,
            stdin,
            screen,
        })
    }

    /// Waits (20 s at most) until `needle` is shown `count` times in all.
    #[track_caller]
    fn wait_for(&self, needle: &str, count: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while self.screen.lock().unwrap().matches(needle).count() < count {
            assert!(
                std::time::Instant::now() < deadline,
                "never shown {count}x: {needle:?}\n{:?}",
                self.screen.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `keys` one at a time, as a person would.
    fn type_keys(&mut self, keys: &str) {
        let mut b = [0; 4];
        for k in keys.chars() {
            self.stdin
                .write_all(k.encode_utf8(&mut b).as_bytes())
                .unwrap();
            self.stdin.flush().unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Writes `keys` at once (faster than any typist: a paste without bracketed paste).
    fn paste(&mut self, keys: &str) {
        self.stdin.write_all(keys.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn screen(&self) -> String {
        self.screen.lock().unwrap().clone()
    }
}

#[test]
fn a_chat_on_a_terminal_keeps_its_session_asks_in_line_and_ctrl_c_cancels_only_the_run() {
    let session = unique("cli-chat-tty");
    let data = std::env::temp_dir().join(unique("cli-chat-data"));
    let bin = env!("CARGO_BIN_EXE_agentos");
    let data_home = data.display().to_string();
    let Some(mut pty) = Pty::spawn(
        &[("XDG_DATA_HOME", &data_home)],
        &[bin, "chat", "hitl-agent", "-s", &session],
    ) else {
        return;
    };
    let prompt = "hitl-agent> ";
    pty.wait_for(prompt, 1);
    // 1: a plain turn, streamed (written at once: the editor reads all of it).
    pty.paste("hello there\r");
    pty.wait_for("Echo: hello there", 1);
    pty.wait_for(prompt, 2);
    // 2: a paused run, answered in line.
    pty.type_keys(&format!("{CONFIRM}\r"));
    pty.wait_for("[y/n]", 1);
    pty.type_keys("y\r");
    pty.wait_for("Tool result: confirm_tool performed: launch", 1);
    pty.wait_for(prompt, 3);
    // 3: Ctrl-C while the answer streams cancels that run, and the chat goes on.
    pty.type_keys("[slow:20] a long one\r");
    pty.wait_for("tick-2", 1);
    pty.type_keys("\u{3}");
    pty.wait_for("cancelled", 1);
    pty.wait_for(prompt, 4);
    pty.type_keys("still here\r");
    pty.wait_for("Echo: still here", 1);
    pty.wait_for(prompt, 5);
    // Ctrl-D ends the chat.
    pty.type_keys("\u{4}");
    let status = pty.child.wait().unwrap();
    let screen = pty.screen();
    assert!(status.success(), "{status}\n{screen}");

    let runs = session_runs(&session);
    let mut statuses: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        ["CANCELLED", "COMPLETED", "COMPLETED", "COMPLETED"],
        "{runs}\n{screen}"
    );
    // The turns went to the history file in the data dir.
    let history = std::fs::read_to_string(data.join("agentos").join("chat_history.txt")).unwrap();
    assert!(
        history.contains("hello there") && history.contains("still here"),
        "{history}"
    );
    let _ = std::fs::remove_dir_all(data);
}

// ------------------------------------------------------------------ completion of ids

/// What the shell completion engine offers for `words` (the cursor on the last one).
fn complete(url: &str, words: &[&str]) -> (Run, Duration) {
    let started = std::time::Instant::now();
    let out = cmd()
        .env("AGENTOS_URL", url)
        .env("AGENTOS_CONFIG", "/nonexistent/agentos-test-config.toml")
        .env("COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    (finish(out), started.elapsed())
}

#[test]
fn ids_complete_from_the_server_and_fall_back_silently() {
    let url = env("AGENTOS_URL");
    let (r, _) = complete(&url, &["agentos", "run", "echo-"]);
    let r = r.ok();
    let offered: Vec<&str> = r.stdout.lines().collect();
    assert!(offered.contains(&"echo-agent"), "{offered:?}");
    assert!(offered.contains(&"echo-team"), "{offered:?}");
    assert!(
        offered.iter().all(|c| c.starts_with("echo-")),
        "{offered:?}"
    );
    let (r, _) = complete(&url, &["agentos", "agents", "get", "hitl"]);
    assert_eq!(r.ok().stdout.trim(), "hitl-agent");

    let session = unique("cli-complete");
    agentos(&["run", "echo-agent", "hi", "-s", &session]).ok();
    let (r, _) = complete(
        &url,
        &["agentos", "chat", "echo-agent", "--session", &session[..20]],
    );
    assert!(r.ok().stdout.lines().any(|l| l == session), "{session}");

    // A server that never answers: nothing offered, within the second the engine waits.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let (r, took) = complete(&silent_url, &["agentos", "run", "echo-"]);
    assert_eq!(r.ok().stdout.trim(), "");
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Nothing listening: nothing offered, no error shown.
    let (r, _) = complete("http://127.0.0.1:9", &["agentos", "run", "echo-"]);
    let r = r.ok();
    assert_eq!((r.stdout.trim(), r.stderr.trim()), ("", ""));
}

#[test]
fn lists_fit_the_terminal_and_show_times_for_people_json_keeps_exact_values() {
    let user = unique("cli-width");
    let session = unique("cli-width-session-with-a-long-id-to-cut");
    agentos(&[
        "run",
        "echo-agent",
        "a message long enough to be cut in a narrow table",
        "-s",
        &session,
        "-u",
        &user,
    ])
    .ok();
    let bin = env!("CARGO_BIN_EXE_agentos");
    let Some(pty) = Pty::spawn(&[("COLUMNS", "60")], &[bin, "sessions", "runs", &session]) else {
        return;
    };
    let mut pty = pty;
    assert!(pty.child.wait().unwrap().success(), "{}", pty.screen());
    let screen = pty.screen();
    let lines: Vec<&str> = screen.lines().map(|l| l.trim_end_matches('\r')).collect();
    assert!(lines.len() >= 2, "{screen}");
    for l in &lines {
        assert!(l.chars().count() <= 60, "wider than 60: {l:?}");
    }
    assert!(screen.contains('…'), "{screen}");
    assert!(
        screen.contains("ago") || screen.contains("just now"),
        "{screen}"
    );

    // A pipe gets whole lines; --json the exact values.
    let piped = agentos(&["sessions", "runs", &session]).ok();
    assert!(
        piped
            .stdout
            .contains("a message long enough to be cut in a narrow table")
    );
    let j = agentos(&["sessions", "runs", &session, "--json"])
        .ok()
        .json();
    // As the server sent it (epoch seconds or ISO-8601), not "… ago".
    let created = &j["data"][0]["created_at"];
    assert!(
        created.is_number() || created.as_str().is_some_and(|t| t.starts_with("20")),
        "{created}"
    );
}
