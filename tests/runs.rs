//! Integration tests of runs against the real AgentOS (agno with the fake model).

mod common;
#[path = "common/runs.rs"]
mod run_helpers;

use agentos::runs::*;
use agentos::{Error, StepKind};
use futures::StreamExt;
use serde_json::json;

#[tokio::test]
async fn agent_runs_stream_and_non_stream_agree() {
    let client = common::client();
    let session = common::unique("s-run");
    let out = client
        .run_agent("echo-agent", "hello rust")
        .session_id(&session)
        .user_id("u-runs")
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Completed));
    assert_eq!(out.content_text(), "Echo: hello rust");
    assert_eq!(out.session_id.as_deref(), Some(session.as_str()));
    assert!(
        out.metrics
            .as_ref()
            .and_then(|m| m.total_tokens)
            .unwrap_or(0)
            > 0
    );

    let mut stream = client
        .run_agent_stream("echo-agent", "hello rust")
        .session_id(&session)
        .user_id("u-runs")
        .await
        .unwrap();
    let mut text = String::new();
    let mut names = Vec::new();
    while let Some(ev) = stream.next().await {
        let ev = ev.unwrap();
        if let AgentRunEvent::RunContent(d) = &ev {
            text.push_str(&d.content_text());
        }
        names.push(ev.name().to_owned());
    }
    assert_eq!(text, out.content_text());
    assert_eq!(stream.session_id(), Some(session.as_str()));
    assert!(names.contains(&"RunStarted".to_owned()) && names.contains(&"RunCompleted".to_owned()));

    // The collected stream equals the non-stream output, and the run is stored.
    let collected = client
        .run_agent_stream("echo-agent", "hello rust")
        .session_id(&session)
        .user_id("u-runs")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(collected.content_text(), out.content_text());
    let run_id = collected.run_id.clone().unwrap();
    let stored = client
        .get_agent_run("echo-agent", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(stored.content_text(), "Echo: hello rust");
    let runs = client
        .list_agent_runs("echo-agent", &session)
        .await
        .unwrap();
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().any(|r| r.run_id == run_id));
    let completed = client
        .list_agent_runs("echo-agent", &session)
        .status(RunStatus::Completed)
        .await
        .unwrap();
    assert_eq!(completed.len(), 3);
}

#[tokio::test]
async fn team_runs_stream_and_non_stream_agree() {
    let client = common::client();
    let session = common::unique("s-team");
    let out = client
        .run_team("echo-team", "hi team")
        .session_id(&session)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.content_text(), "Echo: hi team");
    let text: Vec<String> = client
        .run_team_stream("echo-team", "hi team")
        .session_id(&session)
        .await
        .unwrap()
        .text()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(text.concat(), out.content_text());

    // Delegation interleaves typed member events, and the member's end does not end the
    // team stream.
    let stream = client
        .run_team_stream(
            "echo-team",
            r#"[tool:delegate_task_to_member {"member_id": "member-one", "task": "say hi"}]"#,
        )
        .session_id(&session)
        .await
        .unwrap();
    let events: Vec<TeamRunEvent> = stream.map(Result::unwrap).collect().await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TeamRunEvent::Member(AgentRunEvent::RunCompleted(_))))
    );
    match events
        .iter()
        .rev()
        .find(|e| matches!(e, TeamRunEvent::TeamRunCompleted(_)))
    {
        Some(TeamRunEvent::TeamRunCompleted(d)) => {
            assert_eq!(d.content_text(), "Tool result: Echo: say hi");
        }
        _ => panic!("no TeamRunCompleted"),
    }
    let run = client
        .get_team_run("echo-team", &out.run_id.unwrap(), &session)
        .await
        .unwrap();
    assert_eq!(run.status, Some(RunStatus::Completed));
}

#[tokio::test]
async fn workflow_runs_stream_and_non_stream_agree() {
    let client = common::client();
    let session = common::unique("s-wf");
    let out = client
        .run_workflow("echo-workflow", "hi wf")
        .session_id(&session)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.content_text(), "Echo: Echo: hi wf");
    let stream = client
        .run_workflow_stream("echo-workflow", "hi wf")
        .session_id(&session)
        .await
        .unwrap();
    let collected = stream.final_output().await.unwrap();
    assert_eq!(collected.content_text(), out.content_text());
    assert_eq!(collected.status, Some(RunStatus::Completed));
    let runs = client
        .list_workflow_runs("echo-workflow", &session)
        .await
        .unwrap();
    assert_eq!(runs.len(), 2);
}

#[tokio::test]
async fn a_confirmation_is_confirmed_and_the_run_completes() {
    let client = common::client();
    let session = common::unique("s-hitl");
    let out = run_helpers::paused_agent(
        &client,
        "[tool:confirm_tool {\"action\": \"deploy\"}]",
        &session,
    )
    .await;
    let mut tools = out.tools.clone().unwrap();
    assert!(tools[0].is_pending());
    tools[0].confirm();
    let done = client
        .continue_agent_run("hitl-agent", out.run_id.as_deref().unwrap(), &session)
        .tools(&tools)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed));
    assert_eq!(
        done.content_text(),
        "Tool result: confirm_tool performed: deploy"
    );
}

#[tokio::test]
async fn a_confirmation_is_rejected_with_a_note() {
    let client = common::client();
    let session = common::unique("s-hitl");
    let out = run_helpers::paused_agent(&client, "[tool:confirm_tool]", &session).await;
    let mut tools = out.tools.clone().unwrap();
    tools[0].reject("not today");
    let done = client
        .continue_agent_run_stream("hitl-agent", out.run_id.as_deref().unwrap(), &session)
        .tools(&tools)
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed));
    assert!(
        !done.content_text().contains("performed"),
        "a rejected tool must not run: {}",
        done.content_text()
    );
    let stored = client
        .get_agent_run("hitl-agent", out.run_id.as_deref().unwrap(), &session)
        .await
        .unwrap();
    let tool = &stored.tools.unwrap()[0];
    assert_eq!(tool.confirmed, Some(false));
    assert_eq!(tool.confirmation_note.as_deref(), Some("not today"));
}

#[tokio::test]
async fn an_external_tool_gets_its_result_and_user_input_is_filled() {
    let client = common::client();
    let session = common::unique("s-hitl");
    let out = run_helpers::paused_agent(
        &client,
        "[tool:external_tool {\"command\": \"ls\"}]",
        &session,
    )
    .await;
    let mut tools = out.tools.clone().unwrap();
    assert_eq!(tools[0].external_execution_required, Some(true));
    tools[0].set_result("file-a file-b");
    let done = client
        .continue_agent_run("hitl-agent", out.run_id.as_deref().unwrap(), &session)
        .tools(&tools)
        .await
        .unwrap();
    assert_eq!(done.content_text(), "Tool result: file-a file-b");

    let session = common::unique("s-hitl");
    let out = run_helpers::paused_agent(&client, "[tool:user_input_tool]", &session).await;
    let mut tools = out.tools.clone().unwrap();
    tools[0].set_input("city", "Lisbon").unwrap();
    let done = client
        .continue_agent_run("hitl-agent", out.run_id.as_deref().unwrap(), &session)
        .tools(&tools)
        .await
        .unwrap();
    assert_eq!(
        done.content_text(),
        "Tool result: user_input_tool planned a trip to Lisbon"
    );
}

#[tokio::test]
async fn a_paused_team_and_workflow_continue() {
    let client = common::client();
    let session = common::unique("s-team-hitl");
    let out = client
        .run_team("echo-team", "[tool:confirm_tool]")
        .session_id(&session)
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let mut reqs = out.requirements.clone().unwrap();
    reqs[0].confirm();
    let done = client
        .continue_team_run("echo-team", out.run_id.as_deref().unwrap(), &session)
        .requirements(&reqs)
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(done.content_text().contains("confirm_tool performed"));

    let session = common::unique("s-wf-hitl");
    let out = client
        .run_workflow("confirm-workflow", "publish me")
        .session_id(&session)
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let mut reqs = out.step_requirements.clone().unwrap();
    reqs[0].confirm();
    let done = client
        .continue_workflow_run("confirm-workflow", out.run_id.as_deref().unwrap(), &session)
        .step_requirements(&reqs)
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
}

#[tokio::test]
async fn continuing_without_tools_must_be_said_explicitly() {
    let client = common::client();
    let session = common::unique("s-hitl");
    let out = run_helpers::paused_agent(&client, "[tool:confirm_tool]", &session).await;
    let run_id = out.run_id.as_deref().unwrap();
    let e = client
        .continue_agent_run("hitl-agent", run_id, &session)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // Still paused: nothing was sent.
    let stored = client
        .get_agent_run("hitl-agent", run_id, &session)
        .await
        .unwrap();
    assert!(stored.is_paused());
    let done = client
        .continue_agent_run("hitl-agent", run_id, &session)
        .reject_all_pending()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed));
}

#[tokio::test]
async fn a_slow_run_is_cancelled_and_ends_cancelled() {
    let client = common::client();
    let session = common::unique("s-cancel");
    let mut stream = client
        .run_agent_stream("echo-agent", "[slow:10]")
        .session_id(&session)
        .await
        .unwrap();
    // Wait for the first content, then cancel.
    while let Some(ev) = stream.next().await {
        if matches!(ev.unwrap(), AgentRunEvent::RunContent(_)) {
            break;
        }
    }
    let run_id = stream.run_id().unwrap().to_owned();
    client
        .cancel_agent_run("echo-agent", &run_id)
        .session_id(&session)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while let Some(ev) = stream.next().await {
        ev.unwrap();
    }
    assert_eq!(stream.terminal(), Some(TerminalKind::Cancelled));
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    let stored = client
        .get_agent_run("echo-agent", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(RunStatus::Cancelled));
}

#[tokio::test]
async fn a_failing_model_is_a_typed_run_error_in_both_modes() {
    let client = common::client();
    if common::server_older_than(&client, "2.8.0", "RunError.error_type for model errors").await {
        return;
    }
    let out = client.run_agent("echo-agent", "[fail]").await.unwrap();
    assert_eq!(out.status, Some(RunStatus::Error));
    let failure = out.error().unwrap();
    assert!(failure.message.contains("asked to fail"), "{failure:?}");
    assert!(matches!(out.into_result(), Err(Error::Run(_))));

    let e = client
        .run_agent_stream("echo-agent", "[fail]")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap_err();
    match e {
        Error::Run(f) => {
            assert!(f.message.contains("asked to fail"));
            assert_eq!(f.error_type.as_deref(), Some("model_provider_error"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_background_stream_is_resumed_with_no_event_lost_or_repeated() {
    let client = common::client();
    let session = common::unique("s-bg");
    let mut first = client
        .run_agent_stream("echo-agent", "[slow:3]")
        .session_id(&session)
        .background()
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut text = String::new();
    while let Some(ev) = first.next().await {
        let ev = ev.unwrap();
        let d = ev.data().unwrap();
        seen.push(d.event_index.expect("background events carry event_index"));
        if let AgentRunEvent::RunContent(d) = &ev {
            text.push_str(&d.content_text());
        }
        if seen.len() == 5 {
            break;
        }
    }
    let run_id = first.run_id().unwrap().to_owned();
    let last = first.last_event_index();
    drop(first); // disconnect mid-way

    let mut resumed = client
        .resume_agent_run_stream("echo-agent", &run_id, last)
        .session_id(&session)
        .await
        .unwrap();
    let mut completed = None;
    while let Some(ev) = resumed.next().await {
        let ev = ev.unwrap();
        if let AgentRunEvent::Control(_) = ev {
            continue;
        }
        let d = ev.data().unwrap();
        seen.push(d.event_index.unwrap());
        match &ev {
            AgentRunEvent::RunContent(d) => text.push_str(&d.content_text()),
            AgentRunEvent::RunCompleted(d) => completed = Some(d.content_text()),
            _ => {}
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "in order, none repeated: {seen:?}"
    );
    let full = completed.expect("the resumed stream reaches RunCompleted");
    assert_eq!(text, full, "every content delta arrived exactly once");
    let stored = client
        .get_agent_run("echo-agent", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(RunStatus::Completed));
}

#[tokio::test]
async fn background_runs_are_waited_for_to_completion() {
    let client = common::client();
    let session = common::unique("s-bg");
    let started = client
        .run_agent("echo-agent", "in the background")
        .session_id(&session)
        .in_background()
        .await
        .unwrap();
    assert_eq!(started.status, Some(RunStatus::Pending));
    assert_eq!(started.session_id.as_deref(), Some(session.as_str()));
    let run = client
        .wait_for_agent_run("echo-agent", &started.run_id, &session)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(run.status, Some(RunStatus::Completed));
    assert_eq!(run.content_text(), "Echo: in the background");

    // (A session belongs to one kind of component: the team gets its own.)
    let team_session = common::unique("s-bg-team");
    let started = client
        .run_team("echo-team", "team in the background")
        .session_id(&team_session)
        .in_background()
        .await
        .unwrap();
    let run = client
        .wait_for_team_run("echo-team", &started.run_id, &team_session)
        .await
        .unwrap();
    assert_eq!(run.status, Some(RunStatus::Completed));
    assert_eq!(run.content_text(), "Echo: team in the background");

    let wf_session = common::unique("s-bg-wf");
    let started = client
        .run_workflow("echo-workflow", "flow in the background")
        .session_id(&wf_session)
        .in_background()
        .await
        .unwrap();
    let run = client
        .wait_for_workflow_run("echo-workflow", &started.run_id, &wf_session)
        .await
        .unwrap();
    assert_eq!(run.status, Some(RunStatus::Completed));
    assert_eq!(run.content_text(), "Echo: Echo: flow in the background");

    // A failed background run is an output with status ERROR, never a success.
    let started = client
        .run_agent("echo-agent", "[fail]")
        .session_id(&session)
        .in_background()
        .await
        .unwrap();
    let run = client
        .wait_for_agent_run("echo-agent", &started.run_id, &session)
        .await
        .unwrap();
    assert_eq!(run.status, Some(RunStatus::Error));
    assert!(matches!(run.into_result(), Err(Error::Run(_))));
}

#[tokio::test]
async fn a_file_upload_and_an_image_reach_the_run_input() {
    let client = common::client();
    if common::server_older_than(&client, "3.0.0", "file and image uploads (agno 2.7 answers 500: Agent.arun() got multiple values for 'images')").await {
        return;
    }
    let dir = common::scratch("upload");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("notes.txt");
    std::fs::write(&path, "meeting notes: ship it").unwrap();
    // A 1x1 PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0D, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0,
        0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let session = common::unique("s-upload");
    let out = client
        .run_agent("echo-agent", "what is attached?")
        .session_id(&session)
        .file(&path, json!({"source": "integration-test"}))
        .image(Media::bytes(png, "image/png"))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let input = out.input.clone().expect("the run reports its input");
    let files = input["files"].as_array().expect("files in the input");
    assert_eq!(files.len(), 1, "{input}");
    assert_eq!(files[0]["metadata"]["source"], "integration-test");
    let images = input["images"].as_array().expect("images in the input");
    assert_eq!(images.len(), 1, "{input}");

    let e = client
        .run_agent("echo-agent", "x")
        .file(dir.join("missing.txt"), json!(null))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::File { .. }), "{e:?}");
}

#[tokio::test]
async fn a_streamed_run_with_files_reports_upload_progress() {
    let client = common::client();
    let dir = common::scratch("upload-progress");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.txt");
    let text = "a line of notes for the agent\n".repeat(40_000); // 1.2 MB
    std::fs::write(&path, &text).unwrap();
    let extra = b"second file";
    let reports = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = reports.clone();
    let session = common::unique("s-progress");
    let out = client
        .run_agent_stream("echo-agent", "read these")
        .session_id(&session)
        .file(&path, json!(null))
        .file_bytes("extra.txt", "text/plain", &extra[..])
        .progress(move |p| log.lock().unwrap().push((p.sent, p.total)))
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let stored = client
        .get_agent_run("echo-agent", out.run_id.as_deref().unwrap(), &session)
        .await
        .unwrap();
    let input = stored.input.clone().expect("the stored run has its input");
    assert_eq!(input["files"].as_array().map(Vec::len), Some(2), "{input}");
    let reports = reports.lock().unwrap();
    let total = (text.len() + extra.len()) as u64;
    assert_eq!(reports.first(), Some(&(0, total)));
    assert_eq!(reports.last(), Some(&(total, total)));
    assert!(reports.len() > 3, "{} reports", reports.len());
    assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0), "monotonic");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn checkpoints_fork_and_compact() {
    let client = common::client();
    let session = common::unique("s-fork");
    let out = client
        .run_agent("echo-agent", "remember this")
        .session_id(&session)
        .await
        .unwrap();
    let run_id = out.run_id.clone().unwrap();
    let list = client
        .get_agent_run_checkpoints("echo-agent", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(list.run_id.as_deref(), Some(run_id.as_str()));
    assert!(!list.checkpoints.is_empty());
    let index = list.checkpoints[0].message_index.unwrap();
    let snap = client
        .get_agent_run_checkpoint("echo-agent", &run_id, index, &session)
        .await
        .unwrap();
    assert!(snap.snapshot.is_some());

    let fork = client
        .fork_agent_session("echo-agent", &session)
        .await
        .unwrap();
    assert_ne!(fork.session_id, session);
    assert_eq!(
        fork.forked_from_session_id.as_deref(),
        Some(session.as_str())
    );
    let copied = client
        .list_agent_runs("echo-agent", &fork.session_id)
        .await
        .unwrap();
    assert_eq!(copied.len(), 1);
    assert_ne!(copied[0].run_id, run_id, "a fork gets new run ids");

    let compact = client.compact_agent_session("echo-agent", &session).await;
    if common::server_older_than(&client, "3.1.10", "session compact").await {
        // The typed answer of a server without the feature, never a bare 404.
        let err = compact.unwrap_err();
        assert!(
            matches!(err, agentos::Error::NotSupported { .. }),
            "{err:?}"
        );
        return;
    }
    let compact = compact.unwrap();
    assert!(compact.status.is_some(), "{compact:?}");
}

/// A loopback proxy to the fixture that cuts the first connection after `cut_after` bytes of
/// response, and refuses new connections while `blocked` is set.
struct CuttingProxy {
    url: String,
    blocked: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl CuttingProxy {
    async fn start(upstream: &str, cut_after: usize) -> Self {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let blocked = std::sync::Arc::new(AtomicBool::new(false));
        let flag = blocked.clone();
        let conns = std::sync::Arc::new(AtomicUsize::new(0));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let n = conns.fetch_add(1, Ordering::SeqCst);
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(server) = tokio::net::TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (mut cr, mut cw) = client.into_split();
                    let (mut sr, mut sw) = server.into_split();
                    let up = tokio::spawn(async move {
                        let _ = tokio::io::copy(&mut cr, &mut sw).await;
                    });
                    let mut sent = 0usize;
                    let mut buf = vec![0u8; 512];
                    while let Ok(k) = sr.read(&mut buf).await {
                        if k == 0 {
                            break;
                        }
                        if n == 0 && sent + k > cut_after {
                            break; // cut the first connection mid-stream
                        }
                        if cw.write_all(&buf[..k]).await.is_err() {
                            break;
                        }
                        sent += k;
                    }
                    up.abort();
                });
            }
        });
        CuttingProxy { url, blocked }
    }
}

fn content_of(ev: &AgentRunEvent) -> Option<String> {
    match ev {
        AgentRunEvent::RunContent(d) => Some(d.content_text()),
        _ => None,
    }
}

#[tokio::test]
async fn a_resumable_run_survives_a_dropped_connection_with_every_event_once() {
    let proxy = CuttingProxy::start(&common::url(), 2500).await;
    let client = agentos::AgentOsClient::new(&proxy.url).unwrap();
    let session = common::unique("s-resumable");
    let mut stream = client
        .run_agent_stream("echo-agent", "[slow:3]")
        .session_id(&session)
        .resumable()
        .await
        .unwrap();
    let mut indexes = Vec::new();
    let mut text = String::new();
    let mut completed = None;
    while let Some(ev) = stream.next().await {
        let ev = ev.unwrap();
        indexes.push(ev.data().and_then(|d| d.event_index).unwrap());
        text.push_str(&content_of(&ev).unwrap_or_default());
        if let AgentRunEvent::RunCompleted(d) = &ev {
            completed = Some(d.content_text());
        }
    }
    assert!(
        stream.reconnects() >= 1,
        "the proxy cut the first connection"
    );
    assert!(indexes.windows(2).all(|w| w[0] < w[1]), "{indexes:?}");
    assert_eq!(Some(text), completed, "every delta exactly once");
}

#[tokio::test]
async fn serial_server_a_resumable_run_survives_a_restart_of_the_agentos() {
    if common::server_older_than(
        &common::client(),
        "3.0.0",
        "a resumable run across a server restart (on agno 2.7 the stream did not end within 60 s)",
    )
    .await
    {
        return;
    }
    use std::sync::atomic::Ordering;
    let instance = common::Instance::start("restart");
    let url = instance.url.clone();
    let direct = agentos::AgentOsClient::new(&url).unwrap();
    let proxy = CuttingProxy::start(&url, 1200).await;
    let client = agentos::AgentOsClient::new(&proxy.url).unwrap();
    let session = common::unique("s-restart");
    let mut stream = client
        .run_agent_stream("echo-agent", "[slow:2]")
        .session_id(&session)
        .resumable()
        .await
        .unwrap();
    // The first event tells the run id; then the proxy cuts the connection and refuses
    // reconnections while the run finishes and the server restarts.
    let first = stream.next().await.unwrap().unwrap();
    assert!(matches!(first, AgentRunEvent::RunStarted(_)), "{first:?}");
    proxy.blocked.store(true, Ordering::SeqCst);
    let run_id = stream.run_id().unwrap();
    let reader = tokio::spawn(async move { stream.final_output().await });
    run_helpers::settled(&direct, "echo-agent", &run_id, &session, 10).await;
    instance.control("stop");
    let again = instance.control("start");
    assert_eq!(again, url, "the instance restarts on the same port");
    proxy.blocked.store(false, Ordering::SeqCst);
    let output = reader.await.unwrap().unwrap();
    instance.control("stop");
    assert_eq!(output.status, Some(RunStatus::Completed));
    assert!(
        output.content_text().starts_with("Slow reply: tick-1"),
        "{}",
        output.content_text()
    );
}

#[tokio::test]
async fn run_options_reach_the_run() {
    let client = common::client();
    if common::server_older_than(&client, "3.0.0", "run options with media (agno 2.7 answers 500: Agent.arun() got multiple values for 'images')").await {
        return;
    }
    let session = common::unique("s-opts");
    let out = client
        .run_agent("echo-agent", "where to?")
        .session_id(&session)
        .user_id("u-opts")
        .session_state(&json!({"cart": ["apple"]}))
        .metadata(&json!({"ticket": "T-1"}))
        .dependencies(&json!({"region": "eu-west-77"}))
        .field("add_dependencies_to_context", "true")
        .output_schema(json!({
            "type": "object",
            "properties": {"city": {"type": "string"}, "n": {"type": "integer"}}
        }))
        .image(Media::url("https://example.com/cat.png"))
        .audio(Media::bytes(b"RIFF....WAVE", "audio/wav"))
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.content, Some(json!({"city": "fake city", "n": 8})));
    assert_eq!(out.session_state, Some(json!({"cart": ["apple"]})));
    assert_eq!(out.extra["metadata"], json!({"ticket": "T-1"}));
    assert!(
        serde_json::to_string(&out.messages)
            .unwrap()
            .contains("eu-west-77"),
        "the dependencies reached the model's context"
    );
    let input = out.input.unwrap();
    assert_eq!(input["images"][0]["url"], "https://example.com/cat.png");
    assert_eq!(input["audios"].as_array().map(Vec::len), Some(1), "{input}");
    let stored = client
        .get_agent_run("echo-agent", out.run_id.as_deref().unwrap(), &session)
        .await
        .unwrap();
    assert_eq!(stored.user_id.as_deref(), Some("u-opts"));
}

#[tokio::test]
async fn a_paused_team_takes_an_external_result_user_input_and_a_rejection() {
    let client = common::client();
    if common::server_older_than(
        &client,
        "3.0.0",
        "a paused team continued with an external result (agno 2.7 leaves it PAUSED)",
    )
    .await
    {
        return;
    }
    let run = |message: &'static str| {
        let client = client.clone();
        async move {
            let session = common::unique("s-team-hitl");
            let out = client
                .run_team("echo-team", message)
                .session_id(&session)
                .await
                .unwrap();
            assert!(out.is_paused(), "{out:?}");
            let reqs = out.requirements.clone().unwrap();
            assert!(reqs.iter().all(RunRequirement::is_pending), "{reqs:?}");
            (session, out.run_id.unwrap(), reqs)
        }
    };

    let (session, run_id, mut reqs) = run("[tool:external_tool {\"command\": \"uptime\"}]").await;
    reqs[0].set_result("ext-ok");
    let done = client
        .continue_team_run("echo-team", &run_id, &session)
        .requirements(&reqs)
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        done.content_text().contains("ext-ok"),
        "{}",
        done.content_text()
    );

    let (session, run_id, mut reqs) = run("[tool:user_input_tool]").await;
    reqs[0].set_input("city", "Oslo").unwrap();
    let done = client
        .continue_team_run_stream("echo-team", &run_id, &session)
        .requirements(&reqs)
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        done.content_text().contains("planned a trip to Oslo"),
        "{}",
        done.content_text()
    );

    let (session, run_id, mut reqs) = run("[tool:confirm_tool {\"action\": \"deploy\"}]").await;
    reqs[0].reject("not on a friday");
    let done = client
        .continue_team_run("echo-team", &run_id, &session)
        .requirements(&reqs)
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert!(
        !done.content_text().contains("performed"),
        "a rejected tool must not run: {}",
        done.content_text()
    );
    let stored = client
        .get_team_run("echo-team", &run_id, &session)
        .await
        .unwrap();
    let tool = &stored.tools.unwrap()[0];
    assert_eq!(tool.confirmed, Some(false));
}

#[tokio::test]
async fn a_paused_workflow_step_is_rejected_and_skipped_or_confirmed_in_a_stream() {
    let client = common::client();
    let session = common::unique("s-wf-hitl");
    let out = client
        .run_workflow_stream("confirm-workflow", "draft one")
        .session_id(&session)
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert!(out.is_paused(), "{out:?}");
    let mut reqs = out.step_requirements.clone().unwrap();
    assert!(reqs[0].is_pending());
    assert_eq!(
        reqs[0].confirmation_message.as_deref(),
        Some("Publish the result?")
    );
    reqs[0].reject("not good enough");
    let done = client
        .continue_workflow_run("confirm-workflow", out.run_id.as_deref().unwrap(), &session)
        .step_requirements(&reqs)
        .await
        .unwrap();
    assert_eq!(done.status, Some(RunStatus::Completed), "{done:?}");
    assert_eq!(
        done.content_text(),
        "Echo: draft one",
        "the publish step was skipped"
    );
    assert_eq!(done.step_results.as_ref().map(Vec::len), Some(1));
    // Continuing it again is refused by the server.
    let again = client
        .continue_workflow_run("confirm-workflow", out.run_id.as_deref().unwrap(), &session)
        .step_requirements(&reqs)
        .await
        .unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(409), "{again:?}");

    let session = common::unique("s-wf-hitl");
    let out = client
        .run_workflow("confirm-workflow", "draft two")
        .session_id(&session)
        .await
        .unwrap();
    let mut reqs = out.step_requirements.clone().unwrap();
    reqs[0].confirm();
    let mut stream = client
        .continue_workflow_run_stream("confirm-workflow", out.run_id.as_deref().unwrap(), &session)
        .step_requirements(&reqs)
        .await
        .unwrap();
    let mut names = Vec::new();
    while let Some(ev) = stream.next().await {
        names.push(ev.unwrap().name().to_owned());
    }
    assert_eq!(
        stream.terminal(),
        Some(TerminalKind::Completed),
        "{names:?}"
    );
    let stored = client
        .get_workflow_run("confirm-workflow", out.run_id.as_deref().unwrap(), &session)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(RunStatus::Completed));
    assert_eq!(stored.content_text(), "Echo: Echo: draft two");
}

#[tokio::test]
async fn a_workflow_streams_the_text_of_its_steps() {
    let client = common::client();
    let session = common::unique("s-wf-text");
    let out = client
        .run_workflow("echo-workflow", "step by step")
        .session_id(&session)
        .await
        .unwrap();
    let results = out.step_results.as_deref().unwrap_or_default();
    let steps: String = results.iter().map(|s| s.content_text()).collect();
    assert_eq!(steps, "Echo: step by stepEcho: Echo: step by step");
    // The step results are typed: name, kind, executor and success of each, in order, and
    // what the SDK does not model (media lists) kept in `extra`.
    let names: Vec<_> = results.iter().map(|s| s.step_name.as_deref()).collect();
    assert_eq!(names, [Some("step-one"), Some("step-two")], "{results:?}");
    for step in results {
        assert_eq!(step.step_type, Some(StepKind::Step), "{step:?}");
        assert_eq!(step.executor_type.as_deref(), Some("agent"));
        assert!(step.success && step.error.is_none() && !step.is_paused);
        assert!(step.step_run_id.is_some());
        assert!(
            step.metrics
                .as_ref()
                .is_some_and(|m| m.contains_key("total_tokens"))
        );
        assert!(step.extra.contains_key("images"), "{:?}", step.extra);
    }
    assert_eq!(results[0].executor_name.as_deref(), Some("Step One Agent"));
    let text: Vec<String> = client
        .run_workflow_stream("echo-workflow", "step by step")
        .session_id(&session)
        .await
        .unwrap()
        .text()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(text.concat(), steps);
}

#[tokio::test]
async fn team_and_workflow_runs_are_cancelled() {
    let client = common::client();
    let session = common::unique("s-cancel-team");
    let mut stream = client
        .run_team_stream("echo-team", "[slow:10]")
        .session_id(&session)
        .await
        .unwrap();
    run_helpers::first_content(&mut stream).await;
    let run_id = stream.run_id().unwrap().to_owned();
    client
        .cancel_team_run("echo-team", &run_id)
        .session_id(&session)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while let Some(ev) = stream.next().await {
        ev.unwrap();
    }
    assert_eq!(stream.terminal(), Some(TerminalKind::Cancelled));
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    let stored = client
        .get_team_run("echo-team", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(RunStatus::Cancelled));

    let session = common::unique("s-cancel-wf");
    let mut stream = client
        .run_workflow_stream("echo-workflow", "[slow:10]")
        .session_id(&session)
        .await
        .unwrap();
    run_helpers::first_content(&mut stream).await;
    let run_id = stream.run_id().unwrap().to_owned();
    client
        .cancel_workflow_run("echo-workflow", &run_id)
        .session_id(&session)
        .await
        .unwrap();
    // The step's own RunCancelled/RunCompleted do not end the workflow's stream.
    let out = stream.final_output().await.unwrap();
    assert_eq!(out.status, Some(RunStatus::Cancelled), "{out:?}");
    let stored = client
        .get_workflow_run("echo-workflow", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(RunStatus::Cancelled));
}

/// The `event_index` of every run event of a stream, up to `limit` of them.
async fn indexes<E: StreamEvent>(stream: &mut RunStream<E>, limit: usize) -> Vec<u64> {
    let mut out = Vec::new();
    while out.len() < limit {
        let Some(ev) = stream.next().await else { break };
        let ev = ev.unwrap();
        if ev.control().is_some() {
            continue;
        }
        let d = ev.event_data().expect("a run event");
        out.push(d.event_index.expect("background events carry event_index"));
    }
    out
}

#[tokio::test]
async fn team_and_workflow_background_streams_resume_exactly() {
    let client = common::client();

    let session = common::unique("s-bg-team");
    let mut first = client
        .run_team_stream("echo-team", "[slow:2]")
        .session_id(&session)
        .background()
        .await
        .unwrap();
    let mut seen = indexes(&mut first, 5).await;
    let run_id = first.run_id().unwrap().to_owned();
    let last = first.last_event_index();
    assert_eq!(last, seen.last().copied());
    drop(first);
    let mut resumed = client
        .resume_team_run_stream("echo-team", &run_id, last)
        .session_id(&session)
        .await
        .unwrap();
    seen.extend(indexes(&mut resumed, usize::MAX).await);
    assert_eq!(resumed.terminal(), Some(TerminalKind::Completed));
    let mut all = client
        .resume_team_run_stream("echo-team", &run_id, None)
        .session_id(&session)
        .await
        .unwrap();
    let full = indexes(&mut all, usize::MAX).await;
    assert!(full.len() > 5, "{full:?}");
    assert_eq!(seen, full, "no event lost or repeated");

    let session = common::unique("s-bg-wf");
    let mut first = client
        .run_workflow_stream("echo-workflow", "[slow:2]")
        .session_id(&session)
        .background()
        .await
        .unwrap();
    let mut seen = indexes(&mut first, 6).await;
    let run_id = first.run_id().unwrap().to_owned();
    let last = first.last_event_index();
    drop(first);
    let mut resumed = client
        .resume_workflow_run_stream("echo-workflow", &run_id, last)
        .session_id(&session)
        .await
        .unwrap();
    seen.extend(indexes(&mut resumed, usize::MAX).await);
    assert_eq!(resumed.terminal(), Some(TerminalKind::Completed));
    let mut all = client
        .resume_workflow_run_stream("echo-workflow", &run_id, None)
        .session_id(&session)
        .await
        .unwrap();
    let full = indexes(&mut all, usize::MAX).await;
    assert_eq!(seen, full, "no event lost or repeated");
    let out = client
        .get_workflow_run("echo-workflow", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Completed));
}

#[tokio::test]
async fn resuming_an_unknown_run_is_an_error_not_silence() {
    let client = common::client();
    let mut s = client
        .resume_agent_run_stream("echo-agent", "no-such-run", None)
        .session_id(common::unique("s-none"))
        .await
        .unwrap();
    match s.next().await {
        Some(Err(Error::Run(f))) => assert!(f.message.contains("not found"), "{f:?}"),
        other => panic!("{other:?}"),
    }
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn team_checkpoints_and_fork() {
    let client = common::client();
    let session = common::unique("s-team-fork");
    let out = client
        .run_team("echo-team", "remember the team")
        .session_id(&session)
        .await
        .unwrap();
    let run_id = out.run_id.clone().unwrap();
    let list = client
        .get_team_run_checkpoints("echo-team", &run_id, &session)
        .await
        .unwrap();
    assert_eq!(list.run_id.as_deref(), Some(run_id.as_str()));
    let last = list.checkpoints.last().expect("a checkpoint");
    let index = last.message_index.unwrap();
    let snap = client
        .get_team_run_checkpoint("echo-team", &run_id, index, &session)
        .await
        .unwrap();
    assert_eq!(snap.checkpoint.and_then(|c| c.message_index), Some(index));
    let e = client
        .get_team_run_checkpoint("echo-team", &run_id, 10_000, &session)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e:?}");

    let fork = client
        .fork_team_session("echo-team", &session)
        .await
        .unwrap();
    assert_eq!(
        fork.forked_from_session_id.as_deref(),
        Some(session.as_str())
    );
    let copied = client
        .list_team_runs("echo-team", &fork.session_id)
        .await
        .unwrap();
    assert_eq!(copied.len(), 1);
    assert_ne!(copied[0].run_id, run_id);
    assert_eq!(copied[0].status, Some(RunStatus::Completed));
}

#[tokio::test]
async fn a_background_run_with_an_idempotency_key_runs_once_on_a_durable_queue() {
    // The secured instance has a durable job queue, which honours Idempotency-Key.
    let client = common::secured_client();
    if common::server_older_than(&client, "3.0.0", "Idempotency-Key (agno's job queue)").await {
        return;
    }
    let session = common::unique("s-idem");
    let key = common::unique("idem-key");
    let send = || {
        client
            .run_agent("echo-agent", "exactly once")
            .session_id(&session)
            .idempotency_key(&key)
            .in_background()
    };
    let first = send().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(
        first.run_id, second.run_id,
        "the repeated request is the same run"
    );
    let out = client
        .wait_for_agent_run("echo-agent", &first.run_id, &session)
        .await
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(out.content_text(), "Echo: exactly once");
    let runs = client
        .list_agent_runs("echo-agent", &session)
        .await
        .unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
}
