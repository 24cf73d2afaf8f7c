//! Shell completion of ids: agent, team and workflow ids (and session ids for `--session`)
//! asked of the server, within [`WAIT`]; nothing when it does not answer in time.
//!
//! The shell calls the binary with `COMPLETE=<shell>` (clap_complete's dynamic engine,
//! registered by `source <(COMPLETE=bash agentos)`); the server is the one the environment and
//! the config file name (`AGENTOS_URL`, `AGENTOS_SECURITY_KEY`, `AGENTOS_PROFILE`, the current
//! profile).

use std::ffi::OsStr;
use std::time::Duration;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::config::{Given, Secret, Source};

/// The longest a completion waits for the server: a shell must stay responsive.
pub const WAIT: Duration = Duration::from_secs(1);

/// What to complete.
#[derive(Debug, Clone, Copy)]
enum Ids {
    /// Agents, teams and workflows (the command decides which with flags the completer
    /// cannot see, so all three are offered, each tagged with its kind).
    Components,
    Sessions,
}

/// A completer of agent, team and workflow ids.
pub fn components() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| candidates(Ids::Components, current))
}

/// A completer of session ids.
pub fn sessions() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| candidates(Ids::Sessions, current))
}

/// The settings as the environment and the config file give them (no flags: the completer
/// does not see them).
fn from_env() -> Given {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    Given {
        url: var("AGENTOS_URL").map(|u| (u, Source::Env("AGENTOS_URL".into()))),
        token: var("AGENTOS_SECURITY_KEY")
            .map(|t| (Secret::new(t), Source::Env("AGENTOS_SECURITY_KEY".into()))),
        timeout: Some(WAIT),
        profile: var("AGENTOS_PROFILE").map(|p| (p, Source::Env("AGENTOS_PROFILE".into()))),
    }
}

fn candidates(what: Ids, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let ids = rt
        .block_on(async { tokio::time::timeout(WAIT, fetch(what)).await })
        .ok()
        .flatten()
        .unwrap_or_default();
    ids.into_iter()
        .filter(|(id, _)| id.starts_with(prefix))
        .map(|(id, kind)| CompletionCandidate::new(id).help(Some(kind.into())))
        .collect()
}

/// The ids with their kind, or `None` on any failure (completion stays silent).
async fn fetch(what: Ids) -> Option<Vec<(String, &'static str)>> {
    let settings = crate::config::resolve(from_env()).await.ok()?;
    let c = settings.client().ok()?;
    let mut ids = Vec::new();
    match what {
        Ids::Components => {
            let (agents, teams, workflows) =
                tokio::join!(c.list_agents(), c.list_teams(), c.list_workflows());
            for a in agents.ok().into_iter().flatten() {
                ids.extend(a.id.map(|i| (i, "agent")));
            }
            for t in teams.ok().into_iter().flatten() {
                ids.extend(t.id.map(|i| (i, "team")));
            }
            for w in workflows.ok().into_iter().flatten() {
                ids.extend(w.id.map(|i| (i, "workflow")));
            }
        }
        Ids::Sessions => {
            use agentos::sessions::SessionsExt;
            let page = c.get_sessions().limit(50).await.ok()?;
            ids.extend(page.data.into_iter().map(|s| (s.session_id, "session")));
        }
    }
    // Only ids a shell can take as they are.
    ids.retain(|(id, _)| {
        !id.is_empty()
            && !id
                .chars()
                .any(|c| c.is_whitespace() || crate::out::is_unsafe_char(c))
    });
    Some(ids)
}
