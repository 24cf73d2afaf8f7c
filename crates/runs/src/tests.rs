//! Unit tests over the mock transport and the recorded streams of the fixture server.

use agentos_core::mock::{self, MockTransport};
use agentos_core::{Error, HttpRequest};
use futures::StreamExt;
use serde_json::json;
use std::sync::{Arc, Mutex};

use crate::*;

fn recorded(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/recorded/{name}.sse",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A client whose transport answers every request with `chunks` as an SSE body, recording
/// the requests.
fn streaming(chunks: Vec<Vec<u8>>) -> (agentos_core::AgentOsClient, Arc<Mutex<Vec<HttpRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        log.lock().unwrap().push(req);
        Ok(mock::sse_raw(chunks.clone()))
    });
    (mock::client(t), seen)
}

/// Splits `bytes` into chunks of `n` bytes.
fn chunks(bytes: &[u8], n: usize) -> Vec<Vec<u8>> {
    bytes.chunks(n).map(<[u8]>::to_vec).collect()
}

#[tokio::test]
async fn recorded_agent_stream_decodes_to_typed_events_and_final_output() {
    let body = recorded("agent");
    for size in [1, 7, 64, body.len()] {
        let (client, seen) = streaming(chunks(&body, size));
        let mut stream = client.run_agent_stream("echo-agent", "hi").await.unwrap();
        let mut names = Vec::new();
        let mut text = String::new();
        while let Some(ev) = stream.next().await {
            let ev = ev.unwrap();
            if let AgentRunEvent::RunContent(d) = &ev {
                text.push_str(&d.content_text());
            }
            names.push(ev.name().to_owned());
        }
        assert_eq!(names.first().map(String::as_str), Some("RunStarted"));
        assert_eq!(names.last().map(String::as_str), Some("RunCompleted"));
        assert!(stream.run_id().is_some());
        assert!(stream.session_id().is_some());
        assert_eq!(stream.terminal(), Some(TerminalKind::Completed));
        assert!(text.starts_with("Echo: "), "{text}");
        // The request was a form with stream=true.
        let req = &seen.lock().unwrap()[0];
        let fields = mock::form_fields(req);
        assert!(fields.contains(&("stream".into(), "true".into())));
        assert!(fields.contains(&("message".into(), "hi".into())));
        assert_eq!(req.url, "http://agentos.test/agents/echo-agent/runs");
    }
    let (client, _) = streaming(vec![body.clone()]);
    let out = client
        .run_agent_stream("echo-agent", "hi")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Completed));
    assert!(out.content_text().starts_with("Echo: "));
    assert!(out.metrics.as_ref().and_then(|m| m.total_tokens).is_some());
}

#[tokio::test]
async fn team_streams_type_member_events() {
    let (client, _) = streaming(vec![recorded("team-delegate")]);
    let events: Vec<_> = client
        .run_team_stream("echo-team", "hi")
        .await
        .unwrap()
        .collect()
        .await;
    let events: Vec<TeamRunEvent> = events.into_iter().map(Result::unwrap).collect();
    assert!(matches!(events[0], TeamRunEvent::TeamRunStarted(_)));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, TeamRunEvent::Member(AgentRunEvent::RunCompleted(_)))),
        "member events are typed"
    );
    assert!(matches!(
        events.last(),
        Some(TeamRunEvent::TeamRunCompleted(_))
    ));
    // The member's RunCompleted did not end the team stream early.
    let (client, _) = streaming(vec![recorded("team-delegate")]);
    let out = client
        .run_team_stream("echo-team", "hi")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Completed));
    assert!(
        out.content_text().contains("Tool result"),
        "{}",
        out.content_text()
    );
}

#[tokio::test]
async fn workflow_streams_type_step_events_and_pauses() {
    let (client, _) = streaming(vec![recorded("workflow")]);
    let events: Vec<WorkflowRunEvent> = client
        .run_workflow_stream("echo-workflow", "hi")
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert!(matches!(events[0], WorkflowRunEvent::WorkflowStarted(_)));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, WorkflowRunEvent::StepCompleted(_)))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, WorkflowRunEvent::Agent(AgentRunEvent::RunContent(_))))
    );
    assert!(matches!(
        events.last(),
        Some(WorkflowRunEvent::WorkflowCompleted(_))
    ));

    let (client, _) = streaming(vec![recorded("workflow-paused")]);
    let out = client
        .run_workflow_stream("confirm-workflow", "hi")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert!(out.is_paused());
    let reqs = out
        .step_requirements
        .expect("a paused workflow says what it waits for");
    assert_eq!(reqs[0].requires_confirmation, Some(true));
}

#[tokio::test]
async fn a_paused_agent_stream_exposes_its_tools() {
    let (client, _) = streaming(vec![recorded("agent-paused")]);
    let out = client
        .run_agent_stream("hitl-agent", "[tool:confirm_tool]")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    assert!(out.is_paused());
    let tools = out.tools.unwrap();
    assert!(tools[0].is_pending());
    assert_eq!(tools[0].tool_name.as_deref(), Some("confirm_tool"));
}

#[tokio::test]
async fn an_error_event_is_a_typed_run_error() {
    let (client, _) = streaming(vec![recorded("agent-error")]);
    let e = client
        .run_agent_stream("echo-agent", "[fail]")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap_err();
    match e {
        Error::Run(f) => assert!(!f.message.is_empty()),
        other => panic!("{other:?}"),
    }
    // A resume `error` frame is an error too, never silence.
    let (client, _) = streaming(vec![
        b"event: error\ndata: {\"event\":\"error\",\"error\":\"Run r not found in buffer or database\"}\n\n".to_vec(),
    ]);
    let mut s = client
        .resume_agent_run_stream("echo-agent", "r", None)
        .await
        .unwrap();
    let first = s.next().await.unwrap();
    assert!(
        matches!(first, Err(Error::Run(ref f)) if f.message.contains("not found")),
        "{first:?}"
    );
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn a_stream_cut_before_its_terminal_event_is_a_truncation_error() {
    let body = recorded("agent");
    let cut = body.len() * 2 / 3;
    let cut = body[..cut].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let (client, _) = streaming(vec![body[..cut].to_vec()]);
    let mut s = client.run_agent_stream("echo-agent", "hi").await.unwrap();
    let mut last = None;
    while let Some(item) = s.next().await {
        last = Some(item);
    }
    match last {
        Some(Err(Error::StreamTruncated {
            run_id,
            partial_content,
            events,
            ..
        })) => {
            assert!(run_id.is_some());
            assert!(events > 0);
            assert!(partial_content.starts_with("Echo"), "{partial_content}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unknown_events_are_kept() {
    let (client, _) = streaming(vec![
        b"event: RunStarted\ndata: {\"event\":\"RunStarted\",\"run_id\":\"r1\",\"session_id\":\"s\"}\n\n\
          event: RunTeleported\ndata: {\"event\":\"RunTeleported\",\"run_id\":\"r1\",\"where\":\"mars\"}\n\n\
          data: {\"event\":\"RunCompleted\",\"run_id\":\"r1\",\"content\":\"ok\"}\n\n"
            .to_vec(),
    ]);
    let events: Vec<AgentRunEvent> = client
        .run_agent_stream("a", "hi")
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(events.len(), 3);
    match &events[1] {
        AgentRunEvent::Unknown { event, data } => {
            assert_eq!(event, "RunTeleported");
            assert_eq!(data["where"], "mars");
        }
        other => panic!("{other:?}"),
    }
    // A frame without `event:` is dispatched on data.event.
    assert!(matches!(events[2], AgentRunEvent::RunCompleted(_)));
}

#[tokio::test]
async fn resumed_streams_skip_delivered_events_and_type_control_frames() {
    let body = recorded("resume-replay");
    let text = String::from_utf8_lossy(&body);
    let at = text.find("\"run_id\":\"").unwrap() + 10;
    let run_id = text[at..at + 36].to_owned();
    let (client, seen) = streaming(vec![body.clone()]);
    let mut s = client
        .resume_agent_run_stream("echo-agent", &run_id, Some(3))
        .session_id("s1")
        .await
        .unwrap();
    let mut indexes = Vec::new();
    let mut controls = 0;
    while let Some(ev) = s.next().await {
        let ev = ev.unwrap();
        if let AgentRunEvent::Control(_) = ev {
            controls += 1;
        } else if let Some(i) = ev.data().and_then(|d| d.event_index) {
            indexes.push(i);
        }
    }
    assert!(controls >= 1, "the replay frame is typed");
    assert!(indexes.iter().all(|i| *i > 3), "{indexes:?}");
    assert!(indexes.windows(2).all(|w| w[0] < w[1]), "{indexes:?}");
    let fields = mock::form_fields(&seen.lock().unwrap()[0]);
    assert!(fields.contains(&("last_event_index".into(), "3".into())));
    assert!(fields.contains(&("session_id".into(), "s1".into())));
}

#[tokio::test]
async fn run_options_become_form_fields_and_bad_ones_are_refused_before_sending() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        log.lock().unwrap().push(req);
        Ok(mock::json(
            200,
            json!({"run_id": "r", "status": "COMPLETED", "content": "ok"}),
        ))
    });
    let client = mock::client(t);
    let out = client
        .run_agent("echo-agent", "hi")
        .session_id("s")
        .user_id("u")
        .session_state(&json!({"a": 1}))
        .metadata(&json!({"m": true}))
        .image(Media::url("https://example.com/cat.png"))
        .image(Media::bytes(b"hello", "image/png"))
        .videos([Media::url("https://example.com/a.mp4")])
        .input_files([
            Media::url("https://example.com/a.pdf"),
            Media::bytes(b"%PDF", "application/pdf"),
        ])
        .version(2)
        .field("add_history_to_context", "true")
        .await
        .unwrap();
    assert_eq!(out.content_text(), "ok");
    let req = seen.lock().unwrap()[0].clone();
    let f = mock::form_fields(&req);
    let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("stream").as_deref(), Some("false"));
    assert_eq!(get("session_id").as_deref(), Some("s"));
    assert_eq!(get("version").as_deref(), Some("2"));
    assert_eq!(get("session_state").as_deref(), Some(r#"{"a":1}"#));
    let images: serde_json::Value = serde_json::from_str(&get("images").unwrap()).unwrap();
    assert_eq!(images[0]["url"], "https://example.com/cat.png");
    assert_eq!(images[1]["content"], "aGVsbG8=");
    assert_eq!(images[1]["mime_type"], "image/png");
    let videos: serde_json::Value = serde_json::from_str(&get("videos").unwrap()).unwrap();
    assert_eq!(videos[0]["url"], "https://example.com/a.mp4");
    let docs: serde_json::Value = serde_json::from_str(&get("input_files").unwrap()).unwrap();
    assert_eq!(docs.as_array().map(Vec::len), Some(2));
    assert_eq!(docs[1]["content"], "JVBERg==");
    assert!(get("audio").is_none(), "no empty media lists are sent");
    assert_eq!(get("add_history_to_context").as_deref(), Some("true"));
    assert!(matches!(req.body, agentos_core::Body::Form(_)));

    let mut never = MockTransport::new();
    never.expect_send().never();
    let client = mock::client(never);
    for e in [
        client
            .run_agent("a", "x")
            .metadata(&json!([1, 2]))
            .await
            .unwrap_err(),
        client
            .run_agent("a", "x")
            .output_schema(json!({"type": "array"}))
            .await
            .unwrap_err(),
        client
            .run_agent("a", "x")
            .file("/no/such/file.png", json!(null))
            .await
            .unwrap_err(),
        client
            .run_agent("a", "x")
            .field("stream", "true")
            .await
            .unwrap_err(),
        client.continue_agent_run("a", "r", "s").await.unwrap_err(),
        client
            .continue_agent_run("a", "r", "")
            .reject_all_pending()
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(e, Error::InvalidRequest(_) | Error::File { .. }),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn media_from_a_file_blocking_or_async_is_the_same_base64_object() {
    let dir = std::env::temp_dir().join(format!("agentos-runs-media-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("chart.png");
    std::fs::write(&path, b"\x89PNG fake").unwrap();
    let sync = Media::file(&path).unwrap();
    let read = Media::read_file(&path).await.unwrap();
    assert_eq!(sync, read);
    let v = serde_json::to_value(&read).unwrap();
    assert_eq!(v["content"], "iVBORyBmYWtl", "{v}");
    assert_eq!(v["mime_type"], "image/png", "{v}");
    assert_eq!(v["filename"], "chart.png", "{v}");
    for missing in [
        Media::file(dir.join("none.png")).unwrap_err(),
        Media::read_file(dir.join("none.png")).await.unwrap_err(),
    ] {
        match missing {
            Error::File { path, source } => {
                assert!(path.ends_with("none.png"), "{path:?}");
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("{other:?}"),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn uploads_are_multipart_with_metadata() {
    let dir = std::env::temp_dir().join(format!("agentos-runs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("notes.txt");
    std::fs::write(&path, "some notes").unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        log.lock().unwrap().push(req);
        Ok(mock::json(200, json!({"status": "COMPLETED"})))
    });
    let client = mock::client(t);
    client
        .run_agent("echo-agent", "read it")
        .file(&path, json!({"source": "test"}))
        .await
        .unwrap();
    let req = seen.lock().unwrap()[0].clone();
    match &req.body {
        agentos_core::Body::Multipart(m) => {
            assert_eq!(m.files.len(), 1);
            assert_eq!(m.files[0].name, "files");
            assert_eq!(m.files[0].content_type, "text/plain");
            assert_eq!(
                m.fields.get("files_metadata"),
                Some(r#"[{"source":"test"}]"#)
            );
            assert!(m.progress.is_none(), "no progress hook unless asked for");
        }
        other => panic!("{other:?}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn continue_sends_the_resolved_tools_as_a_json_form_field() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        log.lock().unwrap().push(req);
        Ok(mock::json(200, json!({"status": "COMPLETED"})))
    });
    let client = mock::client(t);
    let mut tool: ToolExecution = serde_json::from_value(json!({
        "tool_call_id": "c1", "tool_name": "confirm_tool", "requires_confirmation": true,
        "stop_after_tool_call": false
    }))
    .unwrap();
    tool.confirm();
    client
        .continue_agent_run("hitl-agent", "run-1", "s-1")
        .tools(&[tool])
        .await
        .unwrap();
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(
        req.url,
        "http://agentos.test/agents/hitl-agent/runs/run-1/continue"
    );
    let f = mock::form_fields(&req);
    let tools = f.iter().find(|(n, _)| n == "tools").unwrap();
    let tools: serde_json::Value = serde_json::from_str(&tools.1).unwrap();
    assert_eq!(tools[0]["confirmed"], true);
    assert_eq!(tools[0]["stop_after_tool_call"], false);
    assert!(f.contains(&("session_id".into(), "s-1".into())));
    assert!(f.contains(&("stream".into(), "false".into())));
}

#[test]
fn every_catalogue_name_decodes_to_its_own_variant() {
    for &name in crate::events::tests::AGENT_EVENTS {
        let ev = AgentRunEvent::from_parts(name, json!({"event": name}));
        assert!(!matches!(ev, AgentRunEvent::Unknown { .. }), "{name}");
        assert_eq!(ev.name(), name);
        let team = TeamRunEvent::from_parts(name, json!({"event": name, "agent_id": "m"}));
        assert!(
            matches!(team, TeamRunEvent::Member(_)),
            "{name} in a team stream"
        );
    }
    for name in [
        "TeamRunStarted",
        "TeamTaskStateUpdated",
        "TeamFollowupsCompleted",
    ] {
        let ev = TeamRunEvent::from_parts(name, json!({}));
        assert!(
            !matches!(ev, TeamRunEvent::Unknown { .. } | TeamRunEvent::Member(_)),
            "{name}"
        );
    }
    for name in [
        "WorkflowStarted",
        "RouterPaused",
        "StepsExecutionCompleted",
        "StepOutput",
    ] {
        let ev = WorkflowRunEvent::from_parts(name, json!({}));
        assert!(!matches!(ev, WorkflowRunEvent::Unknown { .. }), "{name}");
    }
    assert!(matches!(
        WorkflowRunEvent::from_parts("TeamRunStarted", json!({})),
        WorkflowRunEvent::Team(TeamRunEvent::TeamRunStarted(_))
    ));
    assert!(matches!(
        WorkflowRunEvent::from_parts("replay", json!({})),
        WorkflowRunEvent::Control(_)
    ));
}

#[tokio::test]
async fn run_calls_carry_the_agent_session_and_run_ids_in_their_span() {
    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // With a single scoped subscriber, tracing registers a callsite first hit on another
    // test thread against that thread's (empty) default and caches "never". A second live
    // dispatcher makes every registration consult all of them, this test's included.
    let _other = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut t = MockTransport::new();
    t.expect_send().returning(|_| {
        Ok(mock::json(
            200,
            json!({"run_id": "r-42", "status": "COMPLETED"}),
        ))
    });
    let client = mock::client(t);
    client
        .run_agent("echo-agent", "hi")
        .session_id("s-7")
        .await
        .unwrap();
    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    for needle in [
        "agentos.run",
        "gen_ai.agent.id=\"echo-agent\"",
        "gen_ai.operation.name=\"invoke_agent\"",
        "gen_ai.conversation.id=\"s-7\"",
        "agno.run.id=\"r-42\"",
        "url.template=/agents/{agent_id}/runs",
    ] {
        assert!(out.contains(needle), "missing {needle} in:\n{out}");
    }
}

#[tokio::test]
async fn text_is_the_top_level_deltas_or_a_workflows_steps() {
    // A team: the member's deltas are not the team's text, and the text is the final content.
    let (client, _) = streaming(vec![recorded("team-delegate")]);
    let text: Vec<String> = client
        .run_team_stream("echo-team", "hi")
        .await
        .unwrap()
        .text()
        .map(Result::unwrap)
        .collect()
        .await;
    assert!(text.iter().all(|t| !t.is_empty()), "{text:?}");
    assert_eq!(text.concat(), "Tool result: Echo: say hi");
    // A workflow: its steps' deltas, one step after the other.
    let (client, _) = streaming(vec![recorded("workflow")]);
    let text: String = client
        .run_workflow_stream("echo-workflow", "hi")
        .await
        .unwrap()
        .text()
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .await
        .concat();
    assert_eq!(text, "Echo: hi wf streamEcho: Echo: hi wf stream");
    // A stream that fails ends its text with the error.
    let (client, _) = streaming(vec![recorded("agent-error")]);
    let items: Vec<_> = client
        .run_agent_stream("echo-agent", "[fail]")
        .await
        .unwrap()
        .text()
        .collect()
        .await;
    match items.as_slice() {
        [Err(Error::Run(f))] => {
            assert!(f.message.contains("asked to fail"), "{f:?}");
            assert_eq!(f.error_type.as_deref(), Some("model_provider_error"));
            assert!(f.run_id.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_cut_workflow_stream_keeps_its_steps_text_as_partial_content() {
    let body = recorded("workflow");
    let text = String::from_utf8(body.clone()).unwrap();
    let cut = text.find("event: StepCompleted").unwrap();
    let (client, _) = streaming(vec![body[..cut].to_vec()]);
    let e = client
        .run_workflow_stream("echo-workflow", "hi")
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap_err();
    match e {
        Error::StreamTruncated {
            partial_content, ..
        } => assert_eq!(partial_content, "Echo: hi wf stream"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn workflow_uploads_and_reserved_continue_fields_are_refused_before_sending() {
    let client = mock::never_called();
    let e = client
        .run_workflow("echo-workflow", "x")
        .file_bytes("a.txt", "text/plain", &b"abc"[..])
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidRequest(ref m) if m.contains("input_file")),
        "{e:?}"
    );
    for name in ["tools", "session_id", "stream"] {
        let e = client
            .continue_agent_run("a", "r", "s")
            .reject_all_pending()
            .field(name, "x")
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{name}: {e:?}");
    }
    let e = client
        .continue_team_run("t", "r", "s")
        .input("more")
        .metadata(&json!("not an object"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .run_agent("a", "x")
        .factory_input(&json!([1]))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn continue_options_become_form_fields() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    client
        .continue_team_run("echo-team", "run-1", "s-1")
        .input("and then?")
        .continue_from("last_user")
        .regenerate(true)
        .replace_original(false)
        .additional_instructions("be brief")
        .dependencies(&json!({"k": 1}))
        .session_state(&json!({"step": 2}))
        .field("debug_mode", "true")
        .await
        .unwrap();
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(mock::path(&req), "/teams/echo-team/runs/run-1/continue");
    let f = mock::form_fields(&req);
    for (k, v) in [
        ("session_id", "s-1"),
        ("input", "and then?"),
        ("continue_from", "last_user"),
        ("regenerate", "true"),
        ("replace_original", "false"),
        ("additional_instructions", "be brief"),
        ("dependencies", r#"{"k":1}"#),
        ("session_state", r#"{"step":2}"#),
        ("debug_mode", "true"),
        ("stream", "false"),
    ] {
        assert!(f.contains(&(k.into(), v.into())), "{k}={v} in {f:?}");
    }
    assert!(
        !f.iter().any(|(k, _)| k == "requirements"),
        "a follow-up with a new input sends no requirements"
    );
}

#[tokio::test]
async fn waiting_for_a_run_polls_until_it_is_no_longer_pending_or_running() {
    let calls = Arc::new(Mutex::new(0u32));
    let n = calls.clone();
    let (client, seen) = mock::recording(move |_| {
        let mut n = n.lock().unwrap();
        *n += 1;
        match *n {
            1 => mock::error(404, "Run not found"),
            2 => mock::json(200, json!({"run_id": "r", "status": "PENDING"})),
            3 => mock::json(200, json!({"run_id": "r", "status": "RUNNING"})),
            _ => mock::json(
                200,
                json!({"run_id": "r", "status": "ERROR", "content": "model exploded"}),
            ),
        }
    });
    let out = client
        .wait_for_agent_run("echo-agent", "r", "s")
        .poll_interval(std::time::Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(*calls.lock().unwrap(), 4);
    assert_eq!(out.status, Some(RunStatus::Error));
    assert!(matches!(out.into_result(), Err(Error::Run(f)) if f.message == "model exploded"));
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(mock::path(&req), "/agents/echo-agent/runs/r");
    assert_eq!(mock::query(&req), vec![("session_id".into(), "s".into())]);

    // A run that never ends: a typed timeout. A 404 after the grace period: the 404.
    let (client, _) = mock::recording(|_| mock::json(200, json!({"status": "RUNNING"})));
    let e = client
        .wait_for_team_run("echo-team", "r", "s")
        .poll_interval(std::time::Duration::from_millis(5))
        .max_wait(std::time::Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::WaitTimeout { ref what, .. } if what == "run r"),
        "{e:?}"
    );
    let (client, seen) = mock::recording(|_| mock::error(404, "Run not found"));
    let e = client
        .wait_for_workflow_run("echo-workflow", "r", "s")
        .not_found_grace(std::time::Duration::ZERO)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn requirement_helpers_fill_every_copy_the_server_reads() {
    // A team requirement carries the user-input schema twice: on itself and on its tool.
    let mut r: RunRequirement = serde_json::from_value(json!({
        "id": "req-1",
        "tool_execution": {"tool_name": "user_input_tool", "requires_user_input": true,
            "user_input_schema": [{"name": "city", "field_type": "str", "value": null}]},
        "user_input_schema": [{"name": "city", "field_type": "str", "value": null}],
        "member_agent_id": "member-one", "member_run_id": "m-run"
    }))
    .unwrap();
    assert!(r.is_pending());
    assert!(r.set_input("country", "NO").is_err());
    r.set_input("city", "Oslo").unwrap();
    assert!(!r.is_pending());
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["user_input_schema"][0]["value"], "Oslo");
    assert_eq!(
        back["tool_execution"]["user_input_schema"][0]["value"],
        "Oslo"
    );
    assert_eq!(
        back["member_run_id"], "m-run",
        "member fields go back unchanged"
    );

    let mut ext: RunRequirement = serde_json::from_value(json!({
        "tool_execution": {"tool_name": "external_tool", "external_execution_required": true}
    }))
    .unwrap();
    assert!(ext.is_pending());
    ext.set_result("ext-ok");
    assert!(!ext.is_pending());
    assert_eq!(ext.external_execution_result, Some(json!("ext-ok")));

    // User feedback: options are checked against the question.
    let mut t: ToolExecution = serde_json::from_value(json!({
        "tool_name": "ask_user",
        "user_feedback_schema": [{"question": "Which color?", "multi_select": false,
            "options": [{"label": "red"}, {"label": "blue"}], "selected_options": null}]
    }))
    .unwrap();
    assert!(t.is_pending());
    assert!(t.select_options("Which color?", ["green"]).is_err());
    assert!(t.select_options("Which color?", ["red", "blue"]).is_err());
    assert!(t.select_options("Which size?", ["red"]).is_err());
    t.select_options("Which color?", ["blue"]).unwrap();
    assert!(!t.is_pending());
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(
        back["user_feedback_schema"][0]["selected_options"],
        json!(["blue"])
    );
    assert_eq!(
        back["user_feedback_schema"][0]["options"][1]["label"],
        "blue"
    );
}

#[test]
fn step_requirement_helpers() {
    let mut router: StepRequirement = serde_json::from_value(json!({
        "step_name": "route", "requires_route_selection": true,
        "available_choices": ["fast", "slow"], "allow_multiple_selections": false,
        "step_index": [1, 0], "on_reject": "skip"
    }))
    .unwrap();
    assert!(router.is_pending());
    assert!(router.select_choices(["warp"]).is_err());
    assert!(router.select_choices(["fast", "slow"]).is_err());
    router.select_choices(["slow"]).unwrap();
    assert!(!router.is_pending());
    let back = serde_json::to_value(&router).unwrap();
    assert_eq!(back["selected_choices"], json!(["slow"]));
    assert_eq!(
        back["step_index"],
        json!([1, 0]),
        "unknown fields go back as they came"
    );
    assert!(
        back.get("edited_output").is_none(),
        "absent fields stay absent"
    );

    let mut review: StepRequirement = serde_json::from_value(json!({
        "requires_output_review": true, "confirmed": null
    }))
    .unwrap();
    assert!(review.is_pending());
    review.edit_output("better text");
    assert_eq!(review.confirmed, Some(true));
    assert_eq!(review.edited_output, Some(json!("better text")));

    let mut input: StepRequirement = serde_json::from_value(json!({
        "requires_user_input": true,
        "user_input_schema": [{"name": "topic", "field_type": "str", "value": null}]
    }))
    .unwrap();
    input.set_user_input(json!({"topic": "rust"}));
    assert!(!input.is_pending());
    assert_eq!(
        input.user_input_schema.as_ref().unwrap()[0].value,
        Some(json!("rust"))
    );

    let mut exec: StepRequirement = serde_json::from_value(json!({
        "requires_executor_input": true,
        "executor_requirements": [{"tool_execution": {"tool_name": "confirm_tool",
            "requires_confirmation": true}}]
    }))
    .unwrap();
    assert!(exec.is_pending());
    exec.executor_requirements.as_mut().unwrap()[0].confirm();
    assert!(!exec.is_pending());
}

/// Every event of a recorded stream is typed (no `Unknown`), and the stream ends as
/// recorded, however its bytes are split.
async fn check_recorded<E: StreamEvent + std::fmt::Debug>(
    name: &str,
    open: impl Fn(agentos_core::AgentOsClient) -> futures::future::BoxFuture<'static, RunStream<E>>,
    expected: Option<TerminalKind>,
) {
    let body = recorded(name);
    for size in [1, 3, 100, body.len()] {
        let (client, _) = streaming(chunks(&body, size));
        let mut s = open(client).await;
        let mut count = 0;
        let mut end = None;
        while let Some(item) = s.next().await {
            match item {
                Ok(ev) => {
                    // Only `Unknown` has neither data nor a control frame.
                    assert!(
                        ev.event_data().is_some() || ev.control().is_some(),
                        "{name}: an untyped event {ev:?}"
                    );
                    count += 1;
                }
                Err(e) => end = Some(e),
            }
        }
        assert!(count > 0, "{name}");
        assert_eq!(s.terminal(), expected, "{name} split every {size} bytes");
        match (expected, end) {
            (Some(_), None) => {}
            (None, Some(Error::StreamTruncated { events, .. })) => assert_eq!(events, count),
            (_, other) => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn every_recorded_stream_decodes_to_typed_events_and_ends_as_recorded() {
    use TerminalKind::*;
    for (name, end) in [
        ("agent", Some(Completed)),
        ("agent-tool", Some(Completed)),
        ("agent-error", Some(Error)),
        ("agent-paused", Some(Paused)),
        ("agent-continue", Some(Completed)),
        ("agent-cancelled", Some(Cancelled)),
        ("background-start", None),
        ("resume-live", Some(Completed)),
        ("resume-replay", Some(Completed)),
    ] {
        check_recorded::<AgentRunEvent>(
            name,
            |c| Box::pin(async move { c.run_agent_stream("a", "x").await.unwrap() }),
            end,
        )
        .await;
    }
    for (name, end) in [
        ("team", Some(Completed)),
        ("team-delegate", Some(Completed)),
        ("team-paused", Some(Paused)),
    ] {
        check_recorded::<TeamRunEvent>(
            name,
            |c| Box::pin(async move { c.run_team_stream("t", "x").await.unwrap() }),
            end,
        )
        .await;
    }
    for (name, end) in [
        ("workflow", Some(Completed)),
        ("workflow-paused", Some(Paused)),
        ("workflow-continue", Some(Completed)),
    ] {
        check_recorded::<WorkflowRunEvent>(
            name,
            |c| Box::pin(async move { c.run_workflow_stream("w", "x").await.unwrap() }),
            end,
        )
        .await;
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn names_of(chunks: Vec<Vec<u8>>) -> Vec<String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let (client, _) = streaming(chunks);
            let s = client.run_team_stream("t", "x").await.unwrap();
            s.map(|e| match e {
                Ok(ev) => ev.name().to_owned(),
                Err(e) => format!("error: {e}"),
            })
            .collect()
            .await
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn recorded_streams_decode_the_same_however_split(
            cuts in prop::collection::vec(any::<usize>(), 0..40),
        ) {
            let body = recorded("team-delegate");
            let mut cuts: Vec<usize> = cuts.iter().map(|c| c % body.len()).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut chunks = Vec::new();
            let mut last = 0;
            for c in cuts {
                chunks.push(body[last..c].to_vec());
                last = c;
            }
            chunks.push(body[last..].to_vec());
            prop_assert_eq!(names_of(chunks), names_of(vec![body.clone()]));
        }

        #[test]
        fn arbitrary_event_names_and_data_never_panic(
            name in "[A-Za-z_]{0,24}",
            data in prop::option::of("[ -~]{0,64}"),
        ) {
            let value = match &data {
                Some(d) => serde_json::from_str(d).unwrap_or(serde_json::Value::String(d.clone())),
                None => json!({"event": name, "run_id": 1, "content": [1, {"x": null}]}),
            };
            let a = AgentRunEvent::from_parts(&name, value.clone());
            let t = TeamRunEvent::from_parts(&name, value.clone());
            let w = WorkflowRunEvent::from_parts(&name, value);
            prop_assert!(!a.name().is_empty() || name.is_empty());
            let _ = (t.name(), w.name(), a.data(), t.data(), w.data());
        }
    }
}

#[test]
fn an_admin_approval_gated_call_names_its_approval() {
    let gated: ToolExecution = serde_json::from_value(json!({
        "tool_name": "deploy", "requires_confirmation": true,
        "approval_type": "required", "approval_id": "apr_1"
    }))
    .unwrap();
    assert_eq!(gated.admin_approval_id(), Some("apr_1"));
    let plain: ToolExecution = serde_json::from_value(json!({
        "tool_name": "deploy", "requires_confirmation": true, "approval_id": "apr_2"
    }))
    .unwrap();
    assert_eq!(plain.admin_approval_id(), None);
}

/// Every frame of every recorded stream, serialized back from its typed event, is the frame
/// the server sent: the same name, and the same data but for `null` fields (left out).
#[test]
fn typed_events_serialize_back_to_the_frames_they_came_from() {
    // Typed fields drop a null (absent and null are one `None`) at any depth: the payloads
    // type the tool calls, requirements and metrics inside an event too; and `created_at`
    // (epoch seconds or ISO 8601 as sent) is compared as an instant.
    fn top_level_without_nulls(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => m
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = if k == "created_at" {
                        let t: agentos_core::Timestamp = serde_json::from_value(v).unwrap();
                        json!(t.unix_seconds())
                    } else {
                        top_level_without_nulls(v)
                    };
                    (k, v)
                })
                .collect(),
            serde_json::Value::Array(a) => a.into_iter().map(top_level_without_nulls).collect(),
            other => other,
        }
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/recorded");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut decoder = agentos_core::sse::SseDecoder::new(usize::MAX);
        decoder.push(&std::fs::read(&path).unwrap());
        decoder.finish();
        while let Some(frame) = decoder.next_frame().unwrap() {
            let sent: serde_json::Value = serde_json::from_str(&frame.data)
                .unwrap_or_else(|_| serde_json::Value::String(frame.data.clone()));
            let event = frame.event_name();
            let back = if name.starts_with("team") {
                serde_json::to_value(TeamRunEvent::from_parts(event, sent.clone()))
            } else if name.starts_with("workflow") {
                serde_json::to_value(WorkflowRunEvent::from_parts(event, sent.clone()))
            } else {
                serde_json::to_value(AgentRunEvent::from_parts(event, sent.clone()))
            }
            .unwrap();
            assert_eq!(back["event"], event, "{name}");
            // Typed fields drop a null (absent and null are one `None`), and `created_at` is
            // written as ISO 8601 whether it came as epoch seconds or ISO; the rest is kept
            // exactly.
            let mut back = top_level_without_nulls(back["data"].clone());
            let mut sent = top_level_without_nulls(sent);
            if let (Some(a), Some(b)) = (
                back.as_object_mut().and_then(|m| m.remove("created_at")),
                sent.as_object_mut().and_then(|m| m.remove("created_at")),
            ) {
                let instant = |v| serde_json::from_value::<agentos_core::Timestamp>(v).unwrap();
                assert_eq!(instant(a), instant(b), "{name}: {event}");
            }
            assert_eq!(back, sent, "{name}: {event}");
            checked += 1;
        }
    }
    assert!(checked >= 150, "{checked} frames");
}

/// A client whose stream sends a `RunStarted`, then `deltas` content deltas of `delta`, then
/// ends without a terminal event; the body is made as it is read, never held whole.
fn endless_deltas(delta: &'static str, deltas: usize) -> agentos_core::AgentOsClient {
    let mut t = MockTransport::new();
    t.expect_send().returning(move |_| {
        let start = "data: {\"event\":\"RunStarted\",\"run_id\":\"r1\",\"session_id\":\"s1\"}\n\n";
        let frame = format!(
            "data: {}\n\n",
            json!({"event": "RunContent", "run_id": "r1", "content": delta})
        );
        let body = std::iter::once(bytes::Bytes::from(start))
            .chain(std::iter::repeat_n(bytes::Bytes::from(frame), deltas))
            .map(Ok);
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/event-stream"),
        );
        Ok(agentos_core::TransportResponse::streaming(
            http::StatusCode::OK,
            headers,
            Box::pin(futures::stream::iter(body)),
        ))
    });
    mock::client(t)
}

#[tokio::test]
async fn the_partial_text_of_a_cut_stream_is_capped_and_says_so() {
    // 50 MiB of deltas of 64 KiB (multi-byte characters: the cut keeps whole ones).
    let delta: &'static str = "é".repeat(32 * 1024).leak();
    let count = 50 * 1024 * 1024 / delta.len();
    let client = endless_deltas(delta, count);
    let rss_before = rss_bytes();
    let mut s = client.run_agent_stream("a", "hi").await.unwrap();
    let mut last = None;
    let mut seen = 0;
    while let Some(item) = s.next().await {
        seen += 1;
        // What the stream keeps never grows past the limit, at any point.
        assert!(
            s.kept_partial().capacity() <= MAX_PARTIAL_CONTENT,
            "{}",
            s.kept_partial().capacity()
        );
        last = Some(item);
    }
    assert_eq!(seen, count + 2, "every delta arrived, then the truncation");
    assert!(s.partial_content_cut());
    // Measured: the process grew by about the limit, not by the 50 MiB that went through
    // (other tests run alongside, hence the generous bound).
    if let (Some(before), Some(after)) = (rss_before, rss_bytes()) {
        let grown = after.saturating_sub(before);
        eprintln!(
            "50 MiB of deltas: resident memory grew by {} KiB",
            grown / 1024
        );
        assert!(grown < 24 * 1024 * 1024, "grew by {grown} bytes");
    }
    match last {
        Some(Err(Error::StreamTruncated {
            partial_content,
            events,
            ..
        })) => {
            assert_eq!(events, count + 1);
            assert!(partial_content.len() <= MAX_PARTIAL_CONTENT);
            assert!(partial_content.len() > MAX_PARTIAL_CONTENT - 4);
            assert!(partial_content.chars().all(|c| c == 'é'), "the first bytes");
        }
        other => panic!("{other:?}"),
    }

    // Under the limit nothing is cut; a lower limit is honoured.
    let mut s = endless_deltas("abc", 10)
        .run_agent_stream("a", "hi")
        .await
        .unwrap();
    while s.next().await.is_some() {}
    assert!(!s.partial_content_cut());
    assert_eq!(s.kept_partial(), &"abc".repeat(10));
    let mut s = endless_deltas("abc", 10)
        .run_agent_stream("a", "hi")
        .await
        .unwrap()
        .max_partial_content(4);
    let mut last = None;
    while let Some(item) = s.next().await {
        last = Some(item);
    }
    assert!(s.partial_content_cut());
    assert!(
        matches!(&last, Some(Err(Error::StreamTruncated { partial_content, .. })) if partial_content == "abca"),
        "{last:?}"
    );
}

/// The resident memory of this process (Linux), to measure what a test keeps.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kb * 1024)
}

/// The form field `name` of a recorded request, parsed as JSON.
fn form_json(req: &HttpRequest, name: &str) -> Option<serde_json::Value> {
    mock::form_fields(req)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| serde_json::from_str(&v).unwrap())
}

fn paused_agent(tools: serde_json::Value) -> RunOutput {
    serde_json::from_value(json!({
        "agent_id": "hitl-agent", "run_id": "run-1", "session_id": "s-1",
        "status": "PAUSED", "tools": tools
    }))
    .unwrap()
}

#[tokio::test]
async fn continue_run_threads_the_ids_and_resolves_by_tool_call_id() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    let paused = paused_agent(json!([
        {"tool_call_id": "c1", "tool_name": "confirm_tool", "requires_confirmation": true},
        {"tool_call_id": "c2", "tool_name": "external_tool", "external_execution_required": true},
        {"tool_call_id": "c3", "tool_name": "user_input_tool", "requires_user_input": true,
         "user_input_schema": [{"name": "city", "field_type": "str", "value": null}]},
    ]));
    client
        .continue_run(&paused)
        .confirm_all()
        .result("c2", "done by hand")
        .input("city", "Paris")
        .await
        .unwrap();
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(
        req.url,
        "http://agentos.test/agents/hitl-agent/runs/run-1/continue"
    );
    assert!(mock::form_fields(&req).contains(&("session_id".into(), "s-1".into())));
    let tools = form_json(&req, "tools").unwrap();
    assert_eq!(tools[0]["confirmed"], true);
    assert_eq!(tools[1]["result"], "done by hand");
    assert_eq!(tools[2]["user_input_schema"][0]["value"], "Paris");

    client
        .continue_run(&paused)
        .reject("c1", "not today")
        .result("c2", "x")
        .input("city", "Rome")
        .await
        .unwrap();
    let tools = form_json(&seen.lock().unwrap()[1], "tools").unwrap();
    assert_eq!(tools[0]["confirmed"], false);
    assert_eq!(tools[0]["confirmation_note"], "not today");
}

#[tokio::test]
async fn a_continue_that_leaves_something_unresolved_is_refused_before_sending() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    let paused = paused_agent(json!([
        {"tool_call_id": "c1", "tool_name": "confirm_tool", "requires_confirmation": true},
        {"tool_call_id": "c2", "tool_name": "external_tool", "external_execution_required": true},
    ]));
    let e = client
        .continue_run(&paused)
        .confirm("c1")
        .await
        .unwrap_err();
    let Error::InvalidRequest(msg) = &e else {
        panic!("{e:?}")
    };
    assert!(msg.contains("c2") && msg.contains("external_tool"), "{msg}");
    assert!(!msg.contains("c1"), "{msg}");
    // The id-by-id form checks the same.
    let e = client
        .continue_agent_run("hitl-agent", "run-1", "s-1")
        .tools(paused.tools.as_deref().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest(m) if m.contains("c1") && m.contains("c2")),
        "{e:?}"
    );
    // An unknown id is an error too, not a silent no-op.
    let e = client
        .continue_run(&paused)
        .confirm_all()
        .result("nope", "x")
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest(m) if m.contains("nope")),
        "{e:?}"
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
    // Unless the caller says so.
    client
        .continue_run(&paused)
        .confirm("c1")
        .allow_unresolved()
        .await
        .unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);
    // A run that is not paused is not continued this way.
    let done: RunOutput = serde_json::from_value(json!({
        "agent_id": "a", "run_id": "r", "session_id": "s", "status": "COMPLETED"
    }))
    .unwrap();
    let e = client.continue_run(&done).confirm_all().await.unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest(m) if m.contains("not paused")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_run_paused_for_an_admin_approval_continues_without_tools() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    let paused = paused_agent(json!([
        {"tool_call_id": "c1", "tool_name": "approval_tool", "requires_confirmation": true,
         "approval_type": "required", "approval_id": "apr-1"},
    ]));
    client.continue_run(&paused).await.unwrap();
    let req = seen.lock().unwrap()[0].clone();
    assert!(form_json(&req, "tools").is_none(), "the approval decides");
    assert!(mock::form_fields(&req).contains(&("session_id".into(), "s-1".into())));
    // confirm_all leaves the gated call to its approval.
    client.continue_run(&paused).confirm_all().await.unwrap();
    assert!(form_json(&seen.lock().unwrap()[1], "tools").is_none());
    // Sending the gated call back (what makes the server reject it) is refused, with the way.
    let e = client
        .continue_agent_run("hitl-agent", "run-1", "s-1")
        .tools(paused.tools.as_deref().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest(m) if m.contains("apply_approval_decisions")),
        "{e:?}"
    );
    client
        .continue_agent_run("hitl-agent", "run-1", "s-1")
        .apply_approval_decisions()
        .await
        .unwrap();
    assert!(form_json(&seen.lock().unwrap()[2], "tools").is_none());
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn continue_run_resolves_team_requirements_and_workflow_steps() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    let team: TeamRunOutput = serde_json::from_value(json!({
        "team_id": "echo-team", "run_id": "run-2", "session_id": "s-2", "status": "PAUSED",
        "requirements": [{"id": "req-1", "tool_execution": {
            "tool_call_id": "c1", "tool_name": "confirm_tool", "requires_confirmation": true}}]
    }))
    .unwrap();
    client.continue_run(&team).reject("c1", "no").await.unwrap();
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(
        req.url,
        "http://agentos.test/teams/echo-team/runs/run-2/continue"
    );
    let reqs = form_json(&req, "requirements").unwrap();
    assert_eq!(reqs[0]["confirmation"], false);
    assert_eq!(reqs[0]["confirmation_note"], "no");
    assert_eq!(reqs[0]["tool_execution"]["confirmed"], false);

    let event = WorkflowRunEvent::from_parts(
        "WorkflowPaused",
        json!({"workflow_id": "confirm-workflow", "run_id": "run-3", "session_id": "s-3",
               "step_requirements": [{"step_id": "st-1", "step_name": "publish",
                                      "requires_confirmation": true}]}),
    );
    let WorkflowRunEvent::WorkflowPaused(paused) = event else {
        panic!()
    };
    client
        .continue_run_stream(&paused)
        .confirm("publish")
        .send()
        .await
        .map(drop)
        .ok();
    let req = seen.lock().unwrap()[1].clone();
    assert_eq!(
        req.url,
        "http://agentos.test/workflows/confirm-workflow/runs/run-3/continue"
    );
    assert!(mock::form_fields(&req).contains(&("stream".into(), "true".into())));
    assert_eq!(
        form_json(&req, "step_requirements").unwrap()[0]["confirmed"],
        true
    );
}

#[cfg(feature = "schemars")]
#[tokio::test]
async fn output_type_sends_the_schema_of_the_type_and_content_as_decodes_it() {
    #[derive(Debug, PartialEq, serde::Deserialize, schemars::JsonSchema)]
    struct Place {
        city: String,
    }
    #[derive(Debug, PartialEq, serde::Deserialize, schemars::JsonSchema)]
    struct Trip {
        place: Place,
        days: u32,
        tags: Vec<String>,
    }
    let (client, seen) = mock::recording(|_| {
        mock::json(
            200,
            json!({"status": "COMPLETED", "content_type": "Trip",
                   "content": {"place": {"city": "Oslo"}, "days": 3, "tags": ["a"]}}),
        )
    });
    let out = client
        .run_agent("a", "plan")
        .output_type::<Trip>()
        .await
        .unwrap();
    let trip: Trip = out.content_as().unwrap();
    assert_eq!(trip.place.city, "Oslo");
    assert_eq!(trip.days, 3);
    let schema = form_json(&seen.lock().unwrap()[0], "output_schema").unwrap();
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["title"], "Trip");
    assert_eq!(
        schema["properties"]["place"]["properties"]["city"]["type"],
        "string"
    );
    assert_eq!(schema["properties"]["tags"]["type"], "array");
    assert!(
        !schema.to_string().contains("$ref"),
        "agno follows no $ref: {schema}"
    );
    assert!(schema.get("$schema").is_none());
    // The same for streams, teams and workflows.
    let _ = client
        .run_team_stream("t", "plan")
        .output_type::<Trip>()
        .await;
    let _ = client.run_workflow("w", "plan").output_type::<Trip>().await;
    for req in &seen.lock().unwrap()[1..] {
        assert_eq!(form_json(req, "output_schema").unwrap(), schema);
    }

    // Content that does not fit is a typed error that keeps it.
    let other: RunOutput = serde_json::from_value(json!({"content": {"place": "Oslo"}})).unwrap();
    let e = other.content_as::<Trip>().unwrap_err();
    assert_eq!(e.content, json!({"place": "Oslo"}));
    assert!(e.type_name.ends_with("Trip"));
    // JSON sent as text (a model that wrote the object as a string) is read as JSON.
    let text: RunOutput = serde_json::from_value(
        json!({"content": "{\"place\": {\"city\": \"Rome\"}, \"days\": 1, \"tags\": []}"}),
    )
    .unwrap();
    assert_eq!(text.content_as::<Trip>().unwrap().place.city, "Rome");
}

#[test]
fn text_accessors_do_the_obvious_for_strings_and_json() {
    let run: RunOutput = serde_json::from_value(json!({"content": {"a": 1}})).unwrap();
    assert_eq!(run.content_text(), r#"{"a":1}"#);
    assert_eq!(AnyRunOutput::content(&run), Some(&json!({"a": 1})));
    let none: TeamRunOutput = serde_json::from_value(json!({"content": null})).unwrap();
    assert_eq!(none.content_text(), "");
    let mut tool = ToolExecution::new("c1", "t");
    assert_eq!(tool.result_text(), None);
    tool.set_result("plain");
    assert_eq!(tool.result_text().as_deref(), Some("plain"));
    tool.result = Some(json!([1, 2]));
    assert_eq!(tool.result_text().as_deref(), Some("[1,2]"));
    assert_eq!(tool.result_as::<Vec<u8>>().unwrap(), vec![1, 2]);
    let ev = AgentRunEvent::from_parts("RunContent", json!({"content": "hi"}));
    assert_eq!(ev.data().unwrap().content_text(), "hi");
}

/// Events are moved several times on their way out of a stream: their payloads are boxed so
/// that an event stays small whatever its fields (the largest variants are `Unknown` and
/// `Control`, a name and a JSON value).
#[test]
fn events_are_small_to_move() {
    assert!(std::mem::size_of::<AgentRunEvent>() <= 128);
    assert!(std::mem::size_of::<TeamRunEvent>() <= 128);
    assert!(std::mem::size_of::<WorkflowRunEvent>() <= 128);
}

/// Sets every per-call option on a builder; [`has_the_per_call_options`] checks them.
macro_rules! with_every_option {
    ($builder:expr) => {
        $builder
            .header("X-Tenant", "t-1")
            .timeout(std::time::Duration::from_secs(7))
            .retry(agentos_core::RetryPolicy::none())
            .idempotency_key("k-1")
    };
}

/// What [`with_every_option`] puts on a request.
fn has_the_per_call_options(req: &HttpRequest) {
    assert_eq!(req.headers["x-tenant"], "t-1");
    assert_eq!(req.headers["idempotency-key"], "k-1");
    assert_eq!(req.timeout, std::time::Duration::from_secs(7));
}

#[tokio::test]
async fn a_resume_has_the_per_call_options_of_every_builder() {
    let (client, seen) = streaming(vec![recorded("agent")]);
    let resume = client.resume_agent_run_stream("echo-agent", "r", Some(3));
    drop(with_every_option!(resume).await.unwrap());
    has_the_per_call_options(&seen.lock().unwrap()[0]);
}

#[tokio::test]
async fn a_continue_from_a_paused_run_has_the_per_call_options_of_every_builder() {
    let (client, seen) = mock::recording(|_| mock::json(200, json!({"status": "COMPLETED"})));
    let paused = paused_agent(json!([
        {"tool_call_id": "c1", "tool_name": "confirm_tool", "requires_confirmation": true},
    ]));
    let continued = client.continue_run(&paused).confirm_all();
    with_every_option!(continued).await.unwrap();
    has_the_per_call_options(&seen.lock().unwrap()[0]);
}
