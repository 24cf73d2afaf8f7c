//! The blocking client against the real AgentOS, from tests with no async runtime: discovery,
//! a non-stream and a streamed run, and one call of each other area. Also: every async call of
//! the SDK has its blocking twin (checked over the sources), and blocking inside an async
//! runtime is refused with an error.

mod common;

use agentos::Error;
use agentos::blocking::{AgentOsClient, IntoBlockingIter, Wait};
use agentos::prelude::*;
use agentos::runs::AgentRunEvent;

fn client() -> AgentOsClient {
    AgentOsClient::new(common::url()).unwrap()
}

#[test]
fn discovery_calls_work_without_a_runtime() {
    let client = client();
    assert_eq!(client.health().wait().unwrap().status, "ok");
    assert!(client.info().wait().unwrap().agent_count.unwrap_or(0) >= 1);
    let config = client.get_config().wait().unwrap();
    assert!(config.agents.iter().any(|a| a.id == "echo-agent"));
    assert!(!client.list_agents().wait().unwrap().is_empty());
    assert_eq!(
        client.get_agent("echo-agent").wait().unwrap().id,
        "echo-agent"
    );
    assert!(!client.list_teams().wait().unwrap().is_empty());
    assert!(client.get_team("echo-team").wait().is_ok());
    assert!(!client.list_workflows().wait().unwrap().is_empty());
    assert!(client.get_workflow("echo-workflow").wait().is_ok());
    assert!(client.get_agent("nope").wait().unwrap_err().is_not_found());
}

#[test]
fn runs_work_without_a_runtime_and_streams_become_iterators() {
    let client = client();
    let out = client
        .run_agent("echo-agent", "sync hello")
        .wait()
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.content_text(), "Echo: sync hello");

    let stream = client
        .run_agent_stream("echo-agent", "sync hello")
        .wait()
        .unwrap();
    let mut names = Vec::new();
    let mut text = String::new();
    for ev in stream.into_blocking_iter() {
        let ev = ev.unwrap();
        if let AgentRunEvent::RunContent(d) = &ev {
            text.push_str(&d.content_text());
        }
        names.push(ev.name().to_owned());
    }
    assert_eq!(text, "Echo: sync hello");
    assert_eq!(names.last().map(String::as_str), Some("RunCompleted"));
}

#[test]
fn one_call_of_each_other_area_works_without_a_runtime() {
    let client = client();
    let user = common::unique("u-blocking");
    let memory = client.create_memory("likes tea", &user).wait().unwrap();
    let page = client.list_memories().user_id(&user).wait().unwrap();
    assert!(page.data.iter().any(|m| m.memory_id == memory.memory_id));
    let all: Vec<_> = client
        .list_memories()
        .user_id(&user)
        .into_stream()
        .into_blocking_iter()
        .collect::<agentos::Result<_>>()
        .unwrap();
    assert_eq!(all.len(), 1);

    assert!(client.get_sessions().wait().is_ok());
    assert!(client.get_knowledge_config().wait().is_ok());
    assert!(client.get_traces().wait().is_ok());
    assert!(client.list_eval_runs().wait().is_ok());
    assert!(client.list_learnings().wait().is_ok());
    assert!(client.list_schedules().wait().is_ok());
    assert!(client.list_approvals().wait().is_ok());
    assert!(client.list_components().wait().is_ok());
    let files = client
        .list_filesystem_files()
        .namespace("fixture-files")
        .wait()
        .unwrap();
    assert!(!files.entries.is_empty());
    let secured = AgentOsClient::from_builder(
        agentos::AgentOsClient::builder()
            .base_url(common::secured_url())
            .bearer_token(common::security_key()),
    )
    .unwrap();
    assert!(secured.list_service_accounts().wait().is_ok());
}

#[tokio::test]
async fn blocking_inside_an_async_runtime_is_refused_with_an_error() {
    let e = AgentOsClient::new(common::url()).unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let async_client = agentos::AgentOsClient::new(common::url()).unwrap();
    let e = async_client.health().wait().unwrap_err();
    assert!(e.to_string().contains("async runtime"), "{e}");
}

/// Every method of every extension trait (and every inherent discovery call) must return a
/// type that can be awaited, which is what gives it a blocking twin through `Wait`. This
/// reads the sources, so a new method whose builder cannot be awaited fails here.
#[test]
fn every_async_call_has_a_blocking_twin() {
    let mut sources = String::new();
    for (_, text) in common::crate_sources(&["fuzz", "tests"]) {
        sources.push_str(&text);
        sources.push('\n');
    }
    // Types that can be awaited: Call<_>, and builders given IntoFuture by a macro or by hand.
    let awaitable = |ty: &str| -> bool {
        let mut base = ty.split('<').next().unwrap().trim();
        // A type alias (`pub type WaitForRun<E> = Wait<..>;`) is as awaitable as its target.
        let alias = sources
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(&format!("pub type {base}")) && l.contains('='));
        if let Some(target) = alias.and_then(|l| l.split_once('=')) {
            base = target.1.split('<').next().unwrap().trim();
        }
        base == "Call"
            || sources.contains(&format!("impl_call_builder!({base} =>"))
            || sources.contains(&format!("impl_call_builder!(\n    {base} =>"))
            // The generic form, `impl_call_builder!([E: StreamEvent] RunBuilder<E> => ..)`
            // (not the `options`-only one, which gives no IntoFuture).
            || sources.lines().any(|l| {
                l.contains("impl_call_builder!([")
                    && (l.contains(&format!("] {base}<")) || l.contains(&format!("] {base} =>")))
                    && !l.ends_with(", options);")
            })
            || sources.contains(&format!("IntoFuture for {base}"))
            || sources.contains(&format!("IntoFuture for {ty}"))
            // Builders declared with core's call_builder!, which expands to impl_call_builder!.
            || sources.contains(&format!("\n    pub struct {base} => "))
    };
    let mut checked = Vec::new();
    let mut missing = Vec::new();
    let mut in_trait = false;
    let mut signature = String::new();
    for line in sources.lines() {
        let t = line.trim();
        // Extension traits, and the declarations the runs crate's macro adds to its trait.
        if (t.starts_with("pub trait ") && t.contains("Ext")) || t == "decls {" {
            in_trait = true;
            continue;
        }
        if in_trait && (line.starts_with('}') || line == "    }") {
            in_trait = false;
        }
        let discovery = t.starts_with("pub fn ")
            && (t.contains("(&self") || signature.is_empty())
            && (t.contains("-> Call<")
                || t.contains("-> GetWorkflow")
                || t.contains("-> MigrateDatabase"));
        if (in_trait && t.starts_with("fn ")) || !signature.is_empty() || discovery {
            signature.push_str(t);
            signature.push(' ');
            if !(t.ends_with(';') || t.ends_with('{')) {
                continue;
            }
            if let Some((_, ret)) = signature.rsplit_once("->") {
                let ret = ret.trim().trim_end_matches(['{', ';']).trim();
                let ret = ret.split(" where ").next().unwrap_or(ret).trim();
                checked.push(signature.clone());
                if !awaitable(ret) {
                    missing.push(signature.clone());
                }
            }
            signature.clear();
        }
    }
    // The scan must see the calls of every area (so that it cannot pass by seeing nothing).
    for name in [
        "fn get_config",
        "fn list_agents",
        "fn migrate_database",
        "fn $run(",
        "fn $resume(",
        "fn fork_agent_session",
        "fn create_memory",
        "fn get_session_run",
        "fn search_knowledge",
        "fn get_traces",
        "fn run_eval",
        "fn create_learning",
        "fn trigger_schedule",
        "fn list_queue_jobs",
        "fn resolve_approval",
        "fn create_component",
        "fn create_service_account",
        "fn read_filesystem_content",
    ] {
        assert!(
            checked.iter().any(|s| s.contains(name)),
            "the scan did not see {name}: it is broken"
        );
    }
    assert!(checked.len() >= 100, "only {} calls found", checked.len());
    assert!(
        missing.is_empty(),
        "calls without a blocking twin:\n{missing:#?}"
    );
}
