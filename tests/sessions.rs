//! Integration tests of the sessions area against the real AgentOS: sessions made through the
//! API and by real runs are listed, read, renamed, updated and deleted, and their runs read
//! back. Each test uses its own ids (`common::unique`), so the tests run in parallel against
//! one shared server.
//!
//! Runs are started with a plain form POST (`run`), not through the runs crate.

mod common;

use std::collections::{BTreeSet, HashSet};

use agentos::sessions::{
    MediaLocation, RunStatus, SessionDetail, SessionSummary, SessionType, SessionsExt,
};
use agentos::{
    AgentOsClient, Error, FilePart, Form, Multipart, Request, RetryPolicy, SortOrder, Timestamp,
};
use futures::TryStreamExt;
use serde_json::{Value, json};

/// Runs a component without streaming (`kind` is `agents`, `teams` or `workflows`) in a
/// session, and returns the run dict after checking that it completed.
async fn run(
    client: &AgentOsClient,
    kind: &str,
    component: &str,
    session_id: &str,
    user_id: &str,
    message: &str,
) -> Value {
    let route = match kind {
        "agents" => "/agents/{id}/runs",
        "teams" => "/teams/{id}/runs",
        "workflows" => "/workflows/{id}/runs",
        other => panic!("unknown kind {other}"),
    };
    let mut form = Form::new();
    form.text("message", message)
        .bool("stream", false)
        .text("session_id", session_id)
        .text("user_id", user_id);
    let req = Request::post(route, &[component]).unwrap().form(form);
    let resp = client.execute(req).await.unwrap();
    let v: Value = resp.json().unwrap();
    assert_eq!(v["status"], "COMPLETED", "{v}");
    assert_eq!(v["session_id"], session_id, "{v}");
    v
}

/// The session db id and its session table, as `GET /config` lists them.
async fn session_db(client: &AgentOsClient) -> (String, Option<String>) {
    let config = client.get_config().await.unwrap();
    let dbs = config
        .session
        .and_then(|m| m.dbs)
        .expect("GET /config lists the session databases");
    let db = dbs.first().expect("at least one session database");
    let table = db
        .tables
        .as_ref()
        .and_then(|t| t.iter().find(|t| t.contains("session")).cloned());
    (db.db_id.clone(), table)
}

#[tokio::test]
async fn agent_session_create_get_rename_update_delete() {
    let client = common::client();
    let id = common::unique("sess-agent");
    let user = common::unique("sess-user");

    let created = client
        .create_session()
        .session_type(SessionType::Agent)
        .session_id(&id)
        .session_name("First name")
        .session_state(&json!({"cart": ["tea"], "step": 1}))
        .metadata(&json!({"tier": "gold"}))
        .user_id(&user)
        .agent_id("echo-agent")
        .await
        .unwrap();
    let agent = created.as_agent().expect("an agent session");
    assert_eq!(agent.session_id, id);
    assert_eq!(agent.agent_session_id.as_deref(), Some(id.as_str()));
    assert_eq!(agent.agent_id.as_deref(), Some("echo-agent"));
    assert_eq!(created.session_name(), "First name");
    assert_eq!(created.user_id(), Some(user.as_str()));
    assert_eq!(created.session_state().unwrap()["cart"], json!(["tea"]));
    assert_eq!(created.metadata().unwrap()["tier"], "gold");
    assert!(created.created_at().is_some());

    // Read back without naming the kind: the server looks it up, the SDK tells it apart.
    let got = client.get_session(&id).await.unwrap();
    assert_eq!(got.session_type(), SessionType::Agent);
    assert_eq!(got.session_name(), "First name");
    assert_eq!(got.session_state(), created.session_state());
    assert_eq!(got.metadata().unwrap()["tier"], "gold");
    assert_eq!(got.component_id(), Some("echo-agent"));
    assert!(got.chat_history().is_empty());

    let renamed = client.rename_session(&id, "Second name").await.unwrap();
    assert_eq!(renamed.session_name(), "Second name");
    let got = client
        .get_session(&id)
        .session_type(SessionType::Agent)
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(got.session_name(), "Second name");
    assert_eq!(
        got.session_state().unwrap()["step"],
        1,
        "rename keeps the state"
    );

    let summary = SessionSummary::new("The user bought tea.").topics(["shopping"]);
    let updated = client
        .update_session(&id)
        .session_name("Third name")
        .session_state(&json!({"cart": [], "step": 2}))
        .metadata(&json!({"tier": "silver", "flag": true}))
        .summary(&summary)
        .await
        .unwrap();
    assert_eq!(updated.session_name(), "Third name");
    let got = client.get_session(&id).await.unwrap();
    assert_eq!(got.session_name(), "Third name");
    assert_eq!(got.session_state().unwrap()["step"], 2);
    assert_eq!(got.session_state().unwrap()["cart"], json!([]));
    assert_eq!(got.metadata().unwrap()["tier"], "silver");
    assert_eq!(got.metadata().unwrap()["flag"], true);
    let stored = got.session_summary().expect("the summary was stored");
    assert_eq!(stored.summary, "The user bought tea.");
    assert_eq!(stored.topics.as_deref(), Some(&["shopping".to_owned()][..]));

    // An update of one field keeps the others.
    client
        .update_session(&id)
        .session_state(&json!({"step": 3}))
        .await
        .unwrap();
    let got = client.get_session(&id).await.unwrap();
    assert_eq!(got.session_name(), "Third name");
    assert_eq!(got.session_state().unwrap()["step"], 3);
    assert_eq!(got.metadata().unwrap()["tier"], "silver");

    client.delete_session(&id).await.unwrap();
    let e = client.get_session(&id).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains(&id), "{e}");
}

#[tokio::test]
async fn team_and_workflow_sessions_have_their_own_detail_types() {
    let client = common::client();
    let team_id = common::unique("sess-team");
    let wf_id = common::unique("sess-wf");
    let user = common::unique("sess-user");

    let team = client
        .create_session()
        .session_type(SessionType::Team)
        .session_id(&team_id)
        .team_id("echo-team")
        .user_id(&user)
        .session_state(&json!({"n": 1}))
        .await
        .unwrap();
    assert_eq!(team.session_type(), SessionType::Team);
    assert_eq!(
        team.as_team().unwrap().team_id.as_deref(),
        Some("echo-team")
    );

    let wf = client
        .create_session()
        .session_type(SessionType::Workflow)
        .session_id(&wf_id)
        .workflow_id("echo-workflow")
        .user_id(&user)
        .session_name("wf session")
        .await
        .unwrap();
    assert_eq!(wf.session_type(), SessionType::Workflow);
    assert_eq!(
        wf.as_workflow().unwrap().workflow_id.as_deref(),
        Some("echo-workflow")
    );

    // Read back without a type: each comes back as its own kind.
    match client.get_session(&team_id).await.unwrap() {
        SessionDetail::Team(t) => {
            assert_eq!(t.session_state.unwrap()["n"], 1);
            assert_eq!(t.user_id.as_deref(), Some(user.as_str()));
        }
        other => panic!("{other:?}"),
    }
    let got = client.get_session(&wf_id).await.unwrap();
    assert!(got.as_workflow().is_some(), "{got:?}");
    assert_eq!(got.session_name(), "wf session");

    // The list tells the kinds apart too.
    let listed = client.get_sessions().user_id(&user).await.unwrap();
    let kinds: HashSet<(String, Option<SessionType>)> = listed
        .data
        .iter()
        .map(|s| (s.session_id.clone(), s.session_type.clone()))
        .collect();
    assert_eq!(
        kinds,
        HashSet::from([
            (team_id.clone(), Some(SessionType::Team)),
            (wf_id.clone(), Some(SessionType::Workflow)),
        ])
    );

    // Rename and update keep the kind.
    let renamed = client
        .rename_session(&team_id, "team renamed")
        .session_type(SessionType::Team)
        .await
        .unwrap();
    assert!(renamed.as_team().is_some());
    let updated = client
        .update_session(&wf_id)
        .metadata(&json!({"k": "v"}))
        .await
        .unwrap();
    assert!(updated.as_workflow().is_some());
    assert_eq!(updated.metadata().unwrap()["k"], "v");

    // Delete both in one call, each with its kind.
    client
        .delete_sessions([
            (team_id.clone(), SessionType::Team),
            (wf_id.clone(), SessionType::Workflow),
        ])
        .await
        .unwrap();
    for id in [&team_id, &wf_id] {
        let e = client.get_session(id).await.unwrap_err();
        assert!(e.is_not_found(), "{e:?}");
    }
    let listed = client.get_sessions().user_id(&user).await.unwrap();
    assert!(listed.data.is_empty());
}

#[tokio::test]
async fn creating_an_existing_session_is_a_conflict() {
    let client = common::client();
    let id = common::unique("sess-dup");
    client.create_session().session_id(&id).await.unwrap();
    let e = client
        .create_session()
        .session_id(&id)
        .session_name("again")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e:?}");
    assert!(e.to_string().contains("already exists"), "{e}");
    // The stored session was not touched.
    assert_eq!(client.get_session(&id).await.unwrap().session_name(), "");
    client.delete_session(&id).await.unwrap();
}

#[tokio::test]
async fn sessions_made_by_real_runs_are_listed_read_renamed_updated_and_deleted() {
    let client = common::client();
    let id = common::unique("sess-run");
    let user = common::unique("sess-run-user");
    let before = Timestamp::from_unix_seconds(Timestamp::now().unix_seconds() - 5).unwrap();
    let first = run(&client, "agents", "echo-agent", &id, &user, "hello there").await;
    let second = run(
        &client,
        "agents",
        "echo-agent",
        &id,
        &user,
        "second question",
    )
    .await;
    let run_ids = [
        first["run_id"].as_str().unwrap().to_owned(),
        second["run_id"].as_str().unwrap().to_owned(),
    ];

    // Listed, with the filters that match it...
    let page = client
        .get_sessions()
        .session_type(SessionType::Agent)
        .component_id("echo-agent")
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1, "{:?}", page.data);
    let listed = &page.data[0];
    assert_eq!(listed.session_id, id);
    assert_eq!(listed.session_type, Some(SessionType::Agent));
    assert_eq!(listed.agent_id.as_deref(), Some("echo-agent"));
    assert!(listed.created_at.is_some() && listed.updated_at.is_some());
    assert!(
        listed.session_name.contains("hello there"),
        "a run session is named after its first message: {:?}",
        listed.session_name
    );

    // ...and not with those that exclude it.
    for page in [
        client
            .get_sessions()
            .session_type(SessionType::Team)
            .user_id(&user)
            .await
            .unwrap(),
        client
            .get_sessions()
            .component_id("hitl-agent")
            .user_id(&user)
            .await
            .unwrap(),
        client
            .get_sessions()
            .user_id(common::unique("nobody"))
            .component_id("echo-agent")
            .await
            .unwrap(),
    ] {
        assert!(
            page.data.iter().all(|s| s.session_id != id),
            "{:?}",
            page.data
        );
    }

    // The detail carries the chat history of both runs.
    let detail = client.get_session(&id).await.unwrap();
    let agent = detail.as_agent().expect("an agent session");
    assert_eq!(agent.agent_id.as_deref(), Some("echo-agent"));
    let texts: Vec<(Option<&str>, Option<&str>)> = agent
        .chat_history
        .iter()
        .map(|m| (m.role.as_deref(), m.text()))
        .collect();
    assert!(
        texts.contains(&(Some("user"), Some("hello there"))),
        "{texts:?}"
    );
    assert!(
        texts.contains(&(Some("assistant"), Some("Echo: second question"))),
        "{texts:?}"
    );

    // The runs read back as stored: ISO dates, run_input, content.
    let runs = client.get_session_runs(&id).await.unwrap();
    assert_eq!(
        runs.iter()
            .map(|r| r.run_id.clone())
            .collect::<BTreeSet<_>>(),
        BTreeSet::from(run_ids.clone())
    );
    let r1 = runs.iter().find(|r| r.run_id == run_ids[0]).unwrap();
    assert_eq!(r1.kind(), SessionType::Agent);
    assert_eq!(r1.agent_id.as_deref(), Some("echo-agent"));
    assert_eq!(r1.status, Some(RunStatus::Completed));
    assert_eq!(r1.run_input.as_deref(), Some("hello there"));
    assert_eq!(r1.content_text(), "Echo: hello there");
    assert_eq!(r1.user_id.as_deref(), Some(user.as_str()));
    assert!(r1.parent_run_id.is_none());
    let created = r1.created_at.expect("created_at");
    assert!(created >= before, "{created} < {before}");
    assert_eq!(
        created.unix_seconds(),
        first["created_at"].as_i64().unwrap(),
        "the same time as the run route's epoch seconds"
    );
    assert!(r1.messages.as_ref().is_some_and(|m| !m.is_empty()));

    let one = client.get_session_run(&id, &run_ids[1]).await.unwrap();
    assert_eq!(one.run_id, run_ids[1]);
    assert_eq!(one.run_input.as_deref(), Some("second question"));
    assert_eq!(one.content_text(), "Echo: second question");

    let previews = client.get_session_run_previews(&id).await.unwrap();
    assert_eq!(previews.len(), 2);
    let p = previews.iter().find(|p| p.run_id == run_ids[0]).unwrap();
    assert_eq!(p.status, Some(RunStatus::Completed));
    assert_eq!(p.run_input.as_deref(), Some("hello there"));
    assert_eq!(p.content_preview.as_deref(), Some("Echo: hello there"));
    assert_eq!(p.agent_id.as_deref(), Some("echo-agent"));

    // Run filters: status (repeatable) and time.
    let completed = client
        .get_session_runs(&id)
        .status(RunStatus::Completed)
        .await
        .unwrap();
    assert_eq!(completed.len(), 2);
    let failed = client
        .get_session_runs(&id)
        .status(RunStatus::Error)
        .status(RunStatus::Cancelled)
        .await
        .unwrap();
    assert!(failed.is_empty(), "{failed:?}");
    let either = client
        .get_session_run_previews(&id)
        .status(RunStatus::Error)
        .status(RunStatus::Completed)
        .await
        .unwrap();
    assert_eq!(either.len(), 2);
    let future = Timestamp::from_unix_seconds(Timestamp::now().unix_seconds() + 3600).unwrap();
    let later = client
        .get_session_runs(&id)
        .created_after(future)
        .await
        .unwrap();
    assert!(later.is_empty());
    let earlier = client
        .get_session_run_previews(&id)
        .created_before(before)
        .await
        .unwrap();
    assert!(earlier.is_empty());
    let window = client
        .get_session_runs(&id)
        .session_type(SessionType::Agent)
        .user_id(&user)
        .created_after(before)
        .created_before(future)
        .await
        .unwrap();
    assert_eq!(window.len(), 2);

    // Rename and update the run session.
    client
        .rename_session(&id, "Renamed run session")
        .await
        .unwrap();
    client
        .update_session(&id)
        .session_state(&json!({"after_runs": true}))
        .await
        .unwrap();
    let got = client.get_session(&id).await.unwrap();
    assert_eq!(got.session_name(), "Renamed run session");
    assert_eq!(got.session_state().unwrap()["after_runs"], true);
    assert_eq!(
        got.chat_history().len(),
        agent.chat_history.len(),
        "runs kept"
    );
    let by_name = client
        .get_sessions()
        .session_name("Renamed run")
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(by_name.data.len(), 1);
    assert_eq!(by_name.data[0].session_name, "Renamed run session");

    // Delete: the session and its runs are gone.
    client.delete_session(&id).user_id(&user).await.unwrap();
    assert!(client.get_session(&id).await.unwrap_err().is_not_found());
    assert!(
        client
            .get_session_runs(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .get_session_run(&id, &run_ids[0])
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn team_and_workflow_runs_read_back_as_their_kinds() {
    let client = common::client();
    let user = common::unique("sess-kinds-user");
    let team_session = common::unique("sess-team-run");
    let wf_session = common::unique("sess-wf-run");
    let team_run = run(
        &client,
        "teams",
        "echo-team",
        &team_session,
        &user,
        "team hello",
    )
    .await;
    let wf_run = run(
        &client,
        "workflows",
        "echo-workflow",
        &wf_session,
        &user,
        "workflow hello",
    )
    .await;

    let detail = client.get_session(&team_session).await.unwrap();
    let team = detail.as_team().expect("a team session");
    assert_eq!(team.team_id.as_deref(), Some("echo-team"));
    assert!(!team.chat_history.is_empty());

    let runs = client.get_session_runs(&team_session).await.unwrap();
    let top = runs
        .iter()
        .find(|r| r.run_id == team_run["run_id"].as_str().unwrap())
        .expect("the team run is stored");
    assert_eq!(top.kind(), SessionType::Team);
    assert_eq!(top.team_id.as_deref(), Some("echo-team"));
    assert_eq!(top.status, Some(RunStatus::Completed));
    assert_eq!(top.run_input.as_deref(), Some("team hello"));

    let detail = client.get_session(&wf_session).await.unwrap();
    let wf = detail.as_workflow().expect("a workflow session");
    assert_eq!(wf.workflow_id.as_deref(), Some("echo-workflow"));
    let runs = client
        .get_session_runs(&wf_session)
        .session_type(SessionType::Workflow)
        .await
        .unwrap();
    let wrun = runs
        .iter()
        .find(|r| r.run_id == wf_run["run_id"].as_str().unwrap())
        .expect("the workflow run is stored");
    assert_eq!(wrun.kind(), SessionType::Workflow);
    assert_eq!(wrun.workflow_id.as_deref(), Some("echo-workflow"));
    assert_eq!(wrun.status, Some(RunStatus::Completed));
    assert!(
        wrun.step_results.as_ref().is_some_and(|s| s.len() >= 2),
        "{wrun:?}"
    );
    let one = client
        .get_session_run(&wf_session, &wrun.run_id)
        .await
        .unwrap();
    assert_eq!(one.kind(), SessionType::Workflow);

    let listed = client.get_sessions().user_id(&user).await.unwrap();
    let kinds: HashSet<_> = listed
        .data
        .iter()
        .map(|s| (s.session_id.clone(), s.session_type.clone()))
        .collect();
    assert_eq!(
        kinds,
        HashSet::from([
            (team_session.clone(), Some(SessionType::Team)),
            (wf_session.clone(), Some(SessionType::Workflow)),
        ])
    );
    let teams_only = client
        .get_sessions()
        .session_type(SessionType::Team)
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(teams_only.data.len(), 1);
    assert_eq!(teams_only.data[0].team_id.as_deref(), Some("echo-team"));

    client
        .delete_sessions([
            (team_session.clone(), SessionType::Team),
            (wf_session.clone(), SessionType::Workflow),
        ])
        .user_id(&user)
        .await
        .unwrap();
    assert!(
        client
            .get_sessions()
            .user_id(&user)
            .await
            .unwrap()
            .data
            .is_empty()
    );
}

#[tokio::test]
async fn paging_walks_more_sessions_than_one_page() {
    let client = common::client();
    let user = common::unique("sess-pages");
    let mut want = Vec::new();
    for i in 0..5 {
        let id = format!("{user}-{i}");
        client
            .create_session()
            .session_id(&id)
            .user_id(&user)
            .await
            .unwrap();
        want.push(id);
    }
    want.sort();

    let first = client
        .get_sessions()
        .user_id(&user)
        .limit(2)
        .sort_by("session_id")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(first.meta.total_count, Some(5));
    assert_eq!(first.meta.total_pages, Some(3));
    assert_eq!(
        first
            .data
            .iter()
            .map(|s| s.session_id.clone())
            .collect::<Vec<_>>(),
        want[..2]
    );

    let pages: Vec<_> = client
        .get_sessions()
        .user_id(&user)
        .limit(2)
        .sort_by("session_id")
        .sort_order(SortOrder::Asc)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert_eq!(
        pages.iter().map(|p| p.meta.page).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );

    let all: Vec<String> = client
        .get_sessions()
        .user_id(&user)
        .limit(2)
        .sort_by("session_id")
        .sort_order(SortOrder::Asc)
        .into_stream()
        .map_ok(|s| s.session_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, want);

    let desc: Vec<String> = client
        .get_sessions()
        .user_id(&user)
        .limit(2)
        .sort_by("session_id")
        .sort_order(SortOrder::Desc)
        .into_stream()
        .map_ok(|s| s.session_id)
        .try_collect()
        .await
        .unwrap();
    let mut reversed = want.clone();
    reversed.reverse();
    assert_eq!(desc, reversed);

    client
        .delete_sessions(want.iter().map(|id| (id.clone(), SessionType::Agent)))
        .user_id(&user)
        .await
        .unwrap();
    let left = client.get_sessions().user_id(&user).await.unwrap();
    assert_eq!(left.meta.total_count, Some(0));
}

#[tokio::test]
async fn session_name_filter_matches_part_of_the_name() {
    let client = common::client();
    let user = common::unique("sess-names");
    let tag = common::unique("tag");
    let a = common::unique("sess-a");
    let b = common::unique("sess-b");
    client
        .create_session()
        .session_id(&a)
        .user_id(&user)
        .session_name(format!("Billing {tag} question"))
        .await
        .unwrap();
    client
        .create_session()
        .session_id(&b)
        .user_id(&user)
        .session_name("Something else")
        .await
        .unwrap();
    let found = client.get_sessions().session_name(&tag).await.unwrap();
    assert_eq!(
        found
            .data
            .iter()
            .map(|s| s.session_id.clone())
            .collect::<Vec<_>>(),
        vec![a.clone()]
    );
    client
        .delete_sessions([(a, SessionType::Agent), (b, SessionType::Agent)])
        .await
        .unwrap();
}

#[tokio::test]
async fn session_media_without_media_storage_is_503() {
    // The secured instance configures no media storage, so the route answers 503 whatever
    // the key (the open one has local media storage, see the media tests below).
    let client = common::secured_client();
    let id = common::unique("sess-media");
    client.create_session().session_id(&id).await.unwrap();
    let e = client
        .get_session_media(&id, "media/some run/cat.png")
        .session_type(SessionType::Agent)
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e:?}");
    assert!(
        e.to_string().contains("Media storage is not configured"),
        "{e}"
    );
    assert_eq!(
        e.http().unwrap().route,
        "/sessions/{session_id}/media/{storage_key:path}"
    );
    assert!(e.is_retryable());
    let path = temp_path("unconfigured.png");
    let e = client
        .get_session_media(&id, "k.png")
        .retry(RetryPolicy::none())
        .save_to(&path)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e:?}");
    assert!(!path.exists());

    // Deleting with its media needs media storage too; without it the session stays.
    let e = client
        .delete_session(&id)
        .delete_media(true)
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e:?}");
    assert!(client.get_session(&id).await.is_ok());
    client
        .delete_session(&id)
        .delete_media(false)
        .await
        .unwrap();
    assert!(client.get_session(&id).await.unwrap_err().is_not_found());
}

/// A fresh path in the temp dir (not created).
fn temp_path(name: &str) -> std::path::PathBuf {
    common::scratch(name)
}

/// Deterministic pseudo-random bytes behind a PNG signature.
fn png_bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x = seed.wrapping_mul(2_654_435_761).max(1);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.push(x as u8);
    }
    out
}

/// Runs `echo-agent` in a new session with one uploaded file, and returns the storage key the
/// stored run's `input_media` gives it (`images` or `files`).
async fn run_with_media(
    client: &AgentOsClient,
    session_id: &str,
    user_id: &str,
    filename: &str,
    content_type: &str,
    data: Vec<u8>,
) -> String {
    let mut form = Form::new();
    form.text("message", "a file for you")
        .bool("stream", false)
        .text("session_id", session_id)
        .text("user_id", user_id);
    let multipart = Multipart {
        fields: form,
        files: vec![FilePart::bytes("files", filename, content_type, data)],
        ..Multipart::default()
    };
    let req = Request::post("/agents/{id}/runs", &["echo-agent"])
        .unwrap()
        .multipart(multipart);
    let v: Value = client.execute(req).await.unwrap().json().unwrap();
    assert_eq!(v["status"], "COMPLETED", "{v}");
    let runs = client
        .get_session_runs(session_id)
        .session_type(SessionType::Agent)
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    let media = runs[0].input_media.clone().expect("the run kept its media");
    let item = media["images"]
        .get(0)
        .or_else(|| media["files"].get(0))
        .unwrap_or_else(|| panic!("no media in {media}"));
    let reference = &item["media_reference"];
    assert_eq!(reference["session_id"], session_id, "{reference}");
    assert_eq!(reference["storage_backend"], "local", "{reference}");
    reference["storage_key"]
        .as_str()
        .expect("a storage key")
        .to_owned()
}

#[tokio::test]
async fn session_media_of_a_real_run_is_served_and_saved() {
    let client = common::client();
    let id = common::unique("sess-media-png");
    let user = common::unique("sess-media-user");
    let data = png_bytes(300_000, 7);
    let key = run_with_media(&client, &id, &user, "cat.png", "image/png", data.clone()).await;
    assert!(key.starts_with(&id) && key.ends_with(".png"), "{key}");

    let media = client
        .get_session_media(&id, &key)
        .session_type(SessionType::Agent)
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(media.data.len(), data.len());
    assert!(media.data[..] == data[..], "the bytes that were uploaded");
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    assert!(!media.attachment);

    let path = temp_path("cat.png");
    let saved = client
        .get_session_media(&id, &key)
        .save_to(&path)
        .await
        .unwrap();
    assert_eq!(saved.bytes_written, data.len() as u64);
    assert_eq!(saved.content_type.as_deref(), Some("image/png"));
    assert!(!saved.attachment);
    assert!(
        std::fs::read(&path).unwrap() == data,
        "the file holds the upload"
    );
    std::fs::remove_file(&path).unwrap();

    // Another user does not own the session.
    let e = client
        .get_session_media(&id, &key)
        .user_id(common::unique("sess-media-stranger"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

/// What the fixture's signed-URL "bucket" saw for `key`: one entry per request, true when it
/// carried an `Authorization` header.
async fn storage_hits(client: &AgentOsClient, key: &str) -> Vec<bool> {
    let req = Request::get("/fixture-storage-hits", &[])
        .unwrap()
        .query("key", key);
    let hits: Vec<Value> = client.execute(req).await.unwrap().json().unwrap();
    hits.iter()
        .map(|h| h["authorization"].as_bool().unwrap())
        .collect()
}

/// Fetches a signed URL of the fixture's storage with the SDK's own client (no token).
async fn fetch_signed(url: &str, signature: Option<&str>) -> agentos::Result<agentos::Response> {
    let (origin_and_path, query) = url.split_once('?').expect("a signed URL has a query");
    let (origin, path) = origin_and_path
        .split_once("/fixture-storage/")
        .expect("a URL of the fixture storage");
    let mut req = Request::get("/fixture-storage/{key}", &[path]).unwrap();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap();
        let v = match (k, signature) {
            ("signature", Some(forged)) => forged,
            _ => v,
        };
        req = req.query(k, v);
    }
    AgentOsClient::new(origin).unwrap().execute(req).await
}

#[tokio::test]
async fn session_media_redirects_to_a_signed_url_of_the_storage() {
    // The open instance's storage signs URLs (like S3): redirect=true answers 307 to
    // http://localhost:<port>/fixture-storage/<key>?expires=..&signature=.. (another host
    // than the 127.0.0.1 base URL).
    let id = common::unique("sess-media-signed");
    let client = common::client();
    let data = png_bytes(200_000, 11);
    let key = run_with_media(&client, &id, "u", "dog.png", "image/png", data.clone()).await;

    // The URL itself, not followed: nothing reached the storage yet.
    let got = client
        .get_session_media(&id, &key)
        .session_type(SessionType::Agent)
        .signed_url()
        .await
        .unwrap();
    let MediaLocation::Url(url) = &got else {
        panic!("expected a signed URL, got {got:?}")
    };
    let port = common::url().rsplit(':').next().unwrap().to_owned();
    let expected = format!("http://localhost:{port}/fixture-storage/{key}?");
    assert!(url.expose().starts_with(&expected), "{}", url.expose());
    assert!(url.expose().contains("signature="));
    assert!(!format!("{got:?}").contains("signature="), "{got:?}");
    assert!(storage_hits(&client, &key).await.is_empty());

    // The URL works on its own (no token), and a forged signature is refused by the storage.
    let fetched = fetch_signed(url.expose(), None).await.unwrap();
    assert!(fetched.body[..] == data[..]);
    let forged = fetch_signed(url.expose(), Some("0000")).await.unwrap_err();
    assert_eq!(forged.status().map(|s| s.as_u16()), Some(403), "{forged:?}");
    assert_eq!(storage_hits(&client, &key).await.len(), 2);

    // Followed by the default transport: the bytes come from the storage, and a client with a
    // bearer token does not hand it to the storage's host.
    let with_token = AgentOsClient::builder()
        .base_url(common::url())
        .bearer_token("token-for-agentos-only")
        .build()
        .unwrap();
    let media = with_token
        .get_session_media(&id, &key)
        .redirect(true)
        .await
        .unwrap();
    assert!(media.data[..] == data[..]);
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    let path = temp_path("dog-redirect.png");
    let saved = with_token
        .get_session_media(&id, &key)
        .redirect(true)
        .save_to(&path)
        .await
        .unwrap();
    assert_eq!(saved.bytes_written, data.len() as u64);
    assert_eq!(saved.content_type.as_deref(), Some("image/png"));
    assert!(std::fs::read(&path).unwrap() == data);
    std::fs::remove_file(&path).unwrap();
    let hits = storage_hits(&client, &key).await;
    assert_eq!(hits.len(), 4, "two followed redirects reached the storage");
    assert!(
        hits.iter().all(|auth| !auth),
        "no Authorization at the storage"
    );

    // Without redirect the bytes come from the AgentOS itself, not the storage.
    let direct = client.get_session_media(&id, &key).await.unwrap();
    assert!(direct.data[..] == data[..]);
    assert_eq!(storage_hits(&client, &key).await.len(), 4);
}

#[tokio::test]
async fn storage_that_cannot_sign_answers_a_redirect_request_with_the_bytes() {
    // Keys of "unsigned" sessions get no URL from the fixture storage (like local disk).
    let id = common::unique("sess-media-unsigned");
    let client = common::client();
    let data = png_bytes(10_000, 5);
    let key = run_with_media(&client, &id, "u", "cat.png", "image/png", data.clone()).await;
    let got = client
        .get_session_media(&id, &key)
        .signed_url()
        .await
        .unwrap();
    let MediaLocation::Inline(media) = got else {
        panic!("expected the bytes, got {got:?}")
    };
    assert!(media.data[..] == data[..]);
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    let media = client
        .get_session_media(&id, &key)
        .redirect(true)
        .await
        .unwrap();
    assert!(media.data[..] == data[..]);
    assert!(storage_hits(&client, &key).await.is_empty());
}

#[tokio::test]
async fn active_session_media_comes_as_an_attachment() {
    let client = common::client();
    let id = common::unique("sess-media-html");
    let html = format!("<html><body>{id}</body></html>").into_bytes();
    let key = run_with_media(&client, &id, "u", "page.html", "text/html", html.clone()).await;
    assert!(key.ends_with(".html"), "{key}");
    let media = client.get_session_media(&id, &key).await.unwrap();
    assert_eq!(&media.data[..], &html[..]);
    assert_eq!(
        media.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert!(media.attachment);
    let path = temp_path("page.html");
    let saved = client
        .get_session_media(&id, &key)
        .save_to(&path)
        .await
        .unwrap();
    assert!(saved.attachment);
    assert_eq!(
        saved.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(std::fs::read(&path).unwrap(), html);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn session_media_of_another_session_is_404() {
    let client = common::client();
    let a = common::unique("sess-media-a");
    let b = common::unique("sess-media-b");
    let key_a = run_with_media(&client, &a, "u", "a.png", "image/png", png_bytes(64, 1)).await;
    let key_b = run_with_media(&client, &b, "u", "b.png", "image/png", png_bytes(64, 2)).await;
    assert_ne!(key_a, key_b);

    let e = client.get_session_media(&b, &key_a).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(
        e.to_string().contains("Media not found in this session"),
        "{e}"
    );
    let path = temp_path("foreign.png");
    let e = client
        .get_session_media(&b, &key_a)
        .save_to(&path)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(!path.exists(), "no file for a refused key");
    // An unknown session.
    let e = client
        .get_session_media(&common::unique("sess-media-none"), &key_a)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    // Deleting session a with its media: b keeps its own.
    client.delete_session(&a).delete_media(true).await.unwrap();
    let e = client.get_session_media(&a, &key_a).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let media = client.get_session_media(&b, &key_b).await.unwrap();
    assert_eq!(&media.data[..], &png_bytes(64, 2)[..]);
}

#[tokio::test]
async fn db_id_and_table_reach_the_server() {
    let client = common::client();
    let (db_id, table) = session_db(&client).await;
    let id = common::unique("sess-db");
    let user = common::unique("sess-db-user");
    client
        .create_session()
        .session_id(&id)
        .user_id(&user)
        .db_id(&db_id)
        .await
        .unwrap();
    let page = client
        .get_sessions()
        .user_id(&user)
        .db_id(&db_id)
        .await
        .unwrap();
    assert_eq!(page.data[0].session_id, id);
    if let Some(table) = &table {
        let got = client
            .get_session(&id)
            .db_id(&db_id)
            .table(table)
            .await
            .unwrap();
        assert_eq!(got.session_id(), id);
        client
            .rename_session(&id, "in the table")
            .db_id(&db_id)
            .table(table)
            .await
            .unwrap();
        assert_eq!(
            client.get_session(&id).await.unwrap().session_name(),
            "in the table"
        );
    }

    let e = client.get_sessions().db_id("no-such-db").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("no-such-db"), "{e}");
    let e = client
        .get_session(&id)
        .db_id("no-such-db")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    let e = client
        .get_session(&id)
        .table("agno_sessions")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");

    client.delete_session(&id).db_id(&db_id).await.unwrap();
    assert!(client.get_session(&id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn errors_are_mapped() {
    let client = common::client();
    let missing = common::unique("sess-missing");

    let e = client.get_session(&missing).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client.get_session_runs(&missing).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client.get_session_run(&missing, "r").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client.rename_session(&missing, "x").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let e = client
        .update_session(&missing)
        .session_name("x")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    // A status the server does not know is kept by the open enum and refused by the server.
    let id = common::unique("sess-err");
    client.create_session().session_id(&id).await.unwrap();
    let e = client
        .get_session_runs(&id)
        .status(RunStatus::Unknown("DONE".into()))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e:?}");
    assert!(e.to_string().contains("DONE"), "{e}");
    // A session type it does not know is a 422 validation error on `type`.
    let e = client
        .get_sessions()
        .session_type(SessionType::Unknown("robot".into()))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422), "{e:?}");
    match &e.http().unwrap().detail {
        Some(agentos::ErrorDetail::Validation(v)) => {
            assert!(v.iter().any(|v| v.loc.iter().any(|l| l == "type")), "{v:?}")
        }
        other => panic!("{other:?}"),
    }
    // A session without runs: an empty run list, and a 404 for any run id.
    assert!(client.get_session_runs(&id).await.unwrap().is_empty());
    let e = client.get_session_run(&id, "no-run").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    // Refused before sending.
    let e = client.get_sessions().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .delete_sessions(Vec::<(String, SessionType)>::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");

    client.delete_session(&id).await.unwrap();
}
