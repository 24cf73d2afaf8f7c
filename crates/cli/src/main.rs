//! `agentos`: the command-line client of AgentOS, built on the agentos SDK.
//!
//! Run `agentos --help` for the commands, the configuration and the exit codes.

// Human output goes through `out`'s one sink, which escapes what the server sent: no bare
// `print!`/`eprint!` anywhere else.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod chat;
mod cmds;
mod complete;
mod config;
mod out;
mod prompt;
mod run;

use std::process::ExitCode;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::out::{ColorChoice, Failure, Out, code};

const LONG_ABOUT: &str = "\
agentos talks to an AgentOS server (the REST server of the agno agent framework): run agents, \
teams and workflows (streamed, with human-in-the-loop prompts), and manage sessions, memories, \
knowledge, traces, metrics, evals, learnings, schedules, approvals, components, service \
accounts and agent workspaces.

Configuration: --url / AGENTOS_URL (default http://localhost:7777), --token / \
AGENTOS_SECURITY_KEY (the OS security key, a JWT or a service-account token; never printed), \
--timeout SECONDS (per request; for streams, the wait for the first byte). Flags win over the \
environment, which wins over the profile (--profile / AGENTOS_PROFILE, else the current one) \
of the config file (AGENTOS_CONFIG, else config.toml in the platform's config dir): see \
`agentos config view`. Global options go before or after the command.

Output: human text by default (colors only on a terminal); --json prints one JSON document on \
stdout (every list as {\"data\": [...]}, paged ones with \"meta\"; JSON lines, one per event, \
for streamed runs). Errors go to stderr (with --json as one {\"error\": {...}} object). A message `-` reads \
stdin; output to a pipe has no colors and no spinner.";

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: the server refused the call (the detail is printed), could not be reached, timed out
  2  bad usage (an unknown command or option, a bad argument, an invalid --url)
  3  a run paused for a human (confirmation, user input, external tool result) and the terminal \
is not interactive: what it waits for is printed; continue it with --interactive
  4  a run failed on the server (the model or a tool failed)
  130  interrupted (Ctrl-C): a streamed run is cancelled on the server first
  141  stdout was closed early (e.g. piped to head): a streamed run is cancelled on the server first

Text from the server or the model is printed with its control characters escaped as \\u{XX} \
(e.g. ESC as \\u{1b}), so it cannot control the terminal; --json escapes them as \\uXXXX.";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "agentos",
    about = "The AgentOS command-line client",
    long_about = LONG_ABOUT,
    after_long_help = EXIT_CODES,
    // `--version` is ours: it asks the server for its version too.
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Print the version of agentos, and of the server when it answers within a second.
    #[arg(short = 'V', long)]
    version: bool,
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The options every command takes, before or after the command's name; shown once, under
/// their own heading.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Global options")]
struct GlobalArgs {
    /// The AgentOS base URL [default: http://localhost:7777].
    #[arg(
        long,
        env = "AGENTOS_URL",
        // The URL may hold a user:password.
        hide_env_values = true,
        global = true
    )]
    url: Option<String>,
    /// The profile of the config file to use (see `agentos config view`).
    #[arg(long, env = "AGENTOS_PROFILE", hide_env_values = true, global = true)]
    profile: Option<String>,
    /// The bearer token: the OS security key, a JWT or a service-account token.
    #[arg(
        long,
        env = "AGENTOS_SECURITY_KEY",
        hide_env_values = true,
        global = true
    )]
    token: Option<String>,
    /// Request timeout in seconds (e.g. 30, 1.5, 500ms, 2m).
    #[arg(long, value_parser = parse_duration, global = true)]
    timeout: Option<Duration>,
    /// Print JSON (one document; JSON lines for streamed runs) instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// When to use colors.
    #[arg(long, value_enum, default_value = "auto", global = true)]
    color: ColorChoice,
}

/// The commands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Profiles and settings (view, use-profile, set-profile), or the server's configuration
    /// (GET /config) without a subcommand.
    Config {
        #[command(subcommand)]
        command: Option<config::ConfigCmd>,
    },
    /// Agents: list, get.
    Agents {
        #[command(subcommand)]
        command: cmds::ComponentCmd,
    },
    /// Teams: list, get.
    Teams {
        #[command(subcommand)]
        command: cmds::ComponentCmd,
    },
    /// Workflows: list, get.
    Workflows {
        #[command(subcommand)]
        command: cmds::ComponentCmd,
    },
    /// Run an agent (or a team or workflow) and stream its answer.
    Run(run::RunArgs),
    /// Chat with an agent (or a team or workflow): one session, a turn per line.
    Chat(chat::ChatArgs),
    /// Sessions: list, get, runs, rename, delete.
    Sessions {
        #[command(subcommand)]
        command: cmds::SessionsCmd,
    },
    /// User memories: list, get, create, update, delete, topics, stats.
    Memories {
        #[command(subcommand)]
        command: cmds::MemoriesCmd,
    },
    /// Knowledge: upload, search, list, status, get, update, refresh, delete, config.
    Knowledge {
        #[command(subcommand)]
        command: cmds::KnowledgeCmd,
    },
    /// Traces: list, search (a typed filter), show (a trace as an indented span tree).
    Traces {
        #[command(subcommand)]
        command: cmds::TracesCmd,
    },
    /// Usage metrics per day (optionally refreshed first).
    Metrics(cmds::MetricsArgs),
    /// Eval runs: list, get, run, delete.
    Evals {
        #[command(subcommand)]
        command: cmds::EvalsCmd,
    },
    /// Learnings: list, get, create, update, delete.
    Learnings {
        #[command(subcommand)]
        command: cmds::LearningsCmd,
    },
    /// Schedules: list, get, create, enable, disable, trigger, runs, delete.
    Schedules {
        #[command(subcommand)]
        command: cmds::SchedulesCmd,
    },
    /// Admin approvals of paused runs: list, get, count, resolve.
    Approvals {
        #[command(subcommand)]
        command: cmds::ApprovalsCmd,
    },
    /// Stored agent, team and workflow configs: list, get, create, update, delete.
    Components {
        #[command(subcommand)]
        command: cmds::ComponentsCmd,
    },
    /// Service accounts: list (tokens are never shown), create (the token is shown once), revoke.
    ServiceAccounts {
        #[command(subcommand)]
        command: cmds::ServiceAccountsCmd,
    },
    /// Agent workspaces: list, read, search.
    Filesystem {
        #[command(subcommand)]
        command: cmds::FilesystemCmd,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Parses `30`, `1.5`, `30s`, `500ms`, `2m`.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a duration: {s:?} (e.g. 30, 1.5, 500ms, 2m)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("unknown unit {unit:?} (ms, s, m, h)")),
    };
    if !(secs.is_finite() && secs > 0.0) {
        return Err("the duration must be positive".into());
    }
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d >= Duration::from_millis(1) => Ok(d),
        Ok(_) => Err(format!("{s:?} is shorter than 1ms")),
        Err(_) => Err(format!("{s:?} is too long")),
    }
}

/// Checks a base URL before anything is sent: `http` or `https`, a host, a port in
/// 1..=65535, no query and no fragment, no spaces or control characters. The message shows the
/// URL with any user:password redacted.
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let bad = |why: &str| {
        Err(format!(
            "invalid base URL {:?}: {why}",
            out::redact_userinfo(url)
        ))
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it holds spaces or control characters");
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return bad("give it as http://HOST[:PORT][/PATH] or https://...");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return bad("the scheme must be http or https");
    }
    if rest.contains('#') {
        return bad("a base URL has no fragment (#...)");
    }
    if rest.contains('?') {
        return bad("a base URL has no query (?...)");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        // An IPv6 literal: [::1]:7777.
        Some(v6) => match v6.split_once(']') {
            Some((h, tail)) if tail.is_empty() || tail.starts_with(':') => {
                (h, tail.strip_prefix(':'))
            }
            _ => return bad("an IPv6 host is written [ADDRESS] or [ADDRESS]:PORT"),
        },
        None => match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return bad("it has no host");
    }
    match port {
        Some(p) if !p.is_empty() && !matches!(p.parse::<u16>(), Ok(1..)) => {
            bad("the port must be a number from 1 to 65535")
        }
        _ => Ok(()),
    }
}

/// The base URL when none is given.
pub(crate) const DEFAULT_URL: &str = "http://localhost:7777";

impl GlobalArgs {
    /// What the command line and the environment gave, with where each came from.
    fn given(&self, m: &ArgMatches) -> config::Given {
        use config::{Secret, Source};
        let src = |id: &str, flag: &'static str, env: &str| match m.value_source(id) {
            Some(ValueSource::EnvVariable) => Source::Env(env.to_owned()),
            _ => Source::Flag(flag),
        };
        config::Given {
            url: self
                .url
                .clone()
                .map(|u| (u, src("url", "url", "AGENTOS_URL"))),
            token: self.token.clone().map(|t| {
                (
                    Secret::new(t),
                    src("token", "token", "AGENTOS_SECURITY_KEY"),
                )
            }),
            timeout: self.timeout,
            profile: self
                .profile
                .clone()
                .map(|p| (p, src("profile", "profile", "AGENTOS_PROFILE"))),
        }
    }
}

/// Rust ignores SIGPIPE, so writing to a closed pipe panics in `println!` (clap's help,
/// clap_complete): end quietly with [`code::BROKEN_PIPE`] instead. Other panics keep the default
/// report (they are bugs).
fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if msg.contains("Broken pipe") || msg.contains("os error 32") {
            std::process::exit(code::BROKEN_PIPE.into());
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_broken_pipe();
    // `COMPLETE=bash agentos ...`: the shell asks for completions (ids from the server).
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let out = Out::new(cli.global.json, cli.global.color);
    if let Some(Command::Completions { shell }) = &cli.command {
        let mut cmd = Cli::command();
        clap_complete::generate(*shell, &mut cmd, "agentos", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            Failure::new(code::ERROR, format!("cannot start the runtime: {e}")).report(&out);
            return ExitCode::from(code::ERROR);
        }
    };
    match runtime.block_on(dispatch(&cli, &matches, &out)) {
        Ok(c) => ExitCode::from(c),
        Err(f) => {
            f.report(&out);
            ExitCode::from(f.code)
        }
    }
}

/// How long `--version` waits for the server.
const VERSION_WAIT: Duration = Duration::from_secs(1);

/// `agentos --version`: ours, and the server's when it answers within [`VERSION_WAIT`].
/// When the settings cannot be read (a broken config file, a missing token variable), ours
/// all the same, after the report of why the server was not asked.
async fn version(s: Result<&config::Settings, Failure>, out: &Out) -> Result<u8, Failure> {
    let ours = env!("CARGO_PKG_VERSION");
    let s = match s {
        Ok(s) => s,
        Err(f) => {
            f.report(out);
            out.emit(&serde_json::json!({"cli": ours, "server": null}), |_| {
                out.print(&[out::plain(format!("agentos {ours}"))]);
            })?;
            return Ok(code::OK);
        }
    };
    let info = match s.client_with(Some(VERSION_WAIT)) {
        Ok(c) => tokio::time::timeout(VERSION_WAIT, c.info())
            .await
            .ok()
            .and_then(Result::ok),
        Err(_) => None,
    };
    let url = out::redact_userinfo(&s.url.0);
    let doc = serde_json::json!({
        "cli": ours,
        "server": info.as_ref().map(|i| serde_json::json!({
            "url": url,
            "os_version": i.os_version,
            "agno_version": i.agno_version,
            "name": i.name,
        })),
    });
    out.emit(&doc, |_| {
        out.print(&[out::plain(format!("agentos {ours}"))]);
        match &info {
            Some(i) => {
                let mut parts = vec![];
                if let Some(v) = &i.os_version {
                    parts.push(format!("AgentOS {v}"));
                }
                if let Some(v) = &i.agno_version {
                    parts.push(format!("agno {v}"));
                }
                if parts.is_empty() {
                    parts.push("version not reported".into());
                }
                out.print(&[out::plain(format!("server {url}: {}", parts.join(", ")))]);
            }
            None => out.print(&[out::dim(format!("server {url}: not reachable"))]),
        }
    })?;
    Ok(code::OK)
}

async fn dispatch(cli: &Cli, matches: &ArgMatches, out: &Out) -> Result<u8, Failure> {
    use config::ConfigCmd;
    // Commands on the config file itself need no server (nor a valid profile).
    match &cli.command {
        Some(Command::Config {
            command: Some(ConfigCmd::UseProfile { name }),
        }) => return config::use_profile(name, out).map(|()| code::OK),
        Some(Command::Config {
            command:
                Some(ConfigCmd::SetProfile {
                    name,
                    url,
                    token_env,
                    token_command,
                }),
        }) => {
            return config::set_profile(
                name,
                url.as_deref(),
                token_env.as_deref(),
                token_command.as_deref(),
                out,
            )
            .map(|()| code::OK);
        }
        _ => {}
    }
    let settings = match config::resolve(cli.global.given(matches)).await {
        Err(f) if cli.version => return version(Err(f), out).await,
        s => s?,
    };
    let yellow = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    for w in &settings.warnings {
        out.eprint(&[
            out::styled(yellow, "warning:"),
            out::plain(" "),
            out::plain(w),
        ]);
    }
    if cli.version {
        return version(Ok(&settings), out).await;
    }
    let Some(command) = &cli.command else {
        return Err(Failure::new(code::USAGE, "give a command").hint("see agentos --help"));
    };
    if let Command::Config {
        command: Some(ConfigCmd::View),
    } = command
    {
        return config::view(&settings, out).map(|()| code::OK);
    }
    let client = settings.client()?;
    let c = &client;
    match command {
        Command::Config { .. } => cmds::config(c, out).await,
        Command::Agents { command } => cmds::agents(c, out, command).await,
        Command::Teams { command } => cmds::teams(c, out, command).await,
        Command::Workflows { command } => cmds::workflows(c, out, command).await,
        Command::Run(args) => return run::run(c, out, args).await,
        Command::Chat(args) => return chat::chat(c, out, args).await,
        Command::Sessions { command } => cmds::sessions(c, out, command).await,
        Command::Memories { command } => cmds::memories(c, out, command).await,
        Command::Knowledge { command } => cmds::knowledge(c, out, command).await,
        Command::Traces { command } => cmds::traces(c, out, command).await,
        Command::Metrics(args) => cmds::metrics(c, out, args).await,
        Command::Evals { command } => cmds::evals(c, out, command).await,
        Command::Learnings { command } => cmds::learnings(c, out, command).await,
        Command::Schedules { command } => cmds::schedules(c, out, command).await,
        Command::Approvals { command } => cmds::approvals(c, out, command).await,
        Command::Components { command } => cmds::components(c, out, command).await,
        Command::ServiceAccounts { command } => cmds::service_accounts(c, out, command).await,
        Command::Filesystem { command } => cmds::filesystem(c, out, command).await,
        Command::Completions { .. } => Ok(()),
    }?;
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn base_urls_are_checked_before_anything_is_sent() {
        for good in [
            "http://localhost:7777",
            "https://h",
            "HTTP://h:1/prefix/",
            "http://u:p@h:65535",
            "http://[::1]:7777",
            "http://h:",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("http://h:99999", "port"),
            ("http://h:0", "port"),
            ("http://h:x1", "port"),
            ("http://h/#x", "fragment"),
            ("http://h/?a=1", "query"),
            ("ftp://h", "scheme"),
            ("localhost:7777", "http://"),
            ("http://", "no host"),
            ("http://:80", "no host"),
            ("http://h/a b", "spaces"),
            ("http://h/\u{1b}]0;x", "control"),
            ("http://[::1", "IPv6"),
        ] {
            let e = check_base_url(bad).expect_err(bad);
            assert!(
                e.contains("invalid base URL") && e.contains(why),
                "{bad}: {e}"
            );
        }
        let e = check_base_url("ftp://user:s3cret@h").unwrap_err();
        assert!(!e.contains("s3cret") && e.contains("[redacted]"), "{e}");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        // Odd values are errors, never a panic.
        for bad in [
            "100000000000000000000000",
            "1e400",
            "0.0000001",
            "-5",
            "NaN",
            "inf",
            "",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("3d").is_err());
    }

    #[test]
    fn the_token_is_never_shown_in_help() {
        // SAFETY-free: the env var is read by clap when rendering help.
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("AGENTOS_SECURITY_KEY"));
        assert!(help.contains("Exit codes"));
    }
}
