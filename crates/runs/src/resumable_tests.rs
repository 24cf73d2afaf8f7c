//! [`ResumableRunStream`] against a scripted server (agentos-hostile): what the server
//! receives on reconnects, and how each answer of the resume route ends the stream.

use std::time::Duration;

use agentos_core::{AgentOsClient, Error};
use agentos_hostile::{HostileServer, Received, Reply, http_response, sse_head};
use futures::StreamExt;
use serde_json::{Value, json};

use crate::*;

/// One SSE frame of the agent run `r1` in session `s1`.
fn frame(event: &str, index: Option<u64>, extra: Value) -> String {
    let mut data = json!({"event": event, "run_id": "r1", "session_id": "s1", "agent_id": "a"});
    if let Some(i) = index {
        data["event_index"] = json!(i);
    }
    for (k, v) in extra.as_object().unwrap() {
        data[k] = v.clone();
    }
    format!("event: {event}\ndata: {data}\n\n")
}

/// The start of the run: RunStarted, then one delta "Hel"; the connection then resets.
fn started_then_reset() -> Reply {
    Reply::new()
        .write(sse_head())
        .write(frame("RunStarted", Some(0), json!({})))
        .write(frame("RunContent", Some(1), json!({"content": "Hel"})))
        .sleep(Duration::from_millis(50))
        .reset()
}

/// A stream of the whole script, with its settings shortened for a test.
async fn resumable(server: &HostileServer) -> ResumableRunStream<AgentRunEvent> {
    let client = AgentOsClient::new(server.url()).unwrap();
    client
        .run_agent_stream("a", "hi")
        .header("X-Route-Key", "s1")
        .resumable()
        .await
        .unwrap()
        .reconnect_budget(Duration::from_secs(3))
        .event_stall_timeout(Duration::from_millis(700))
        .lost_after(Duration::from_secs(2))
}

/// Reads to the end: (every event's name, the deltas joined, the error).
async fn drain(
    stream: &mut ResumableRunStream<AgentRunEvent>,
) -> (Vec<String>, String, Option<Error>) {
    let read = async {
        let (mut names, mut text) = (Vec::new(), String::new());
        while let Some(ev) = stream.next().await {
            match ev {
                Ok(ev) => {
                    if let AgentRunEvent::RunContent(d) = &ev {
                        text.push_str(&d.content_text());
                    }
                    if ev.name() == "run_restarted" {
                        text.clear();
                    }
                    names.push(ev.name().to_owned());
                }
                Err(e) => return (names, text, Some(e)),
            }
        }
        (names, text, None)
    };
    tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .expect("the stream ends in bounded time")
}

/// agno's answer to a resume on a replica whose buffer does not hold the run: one `replay`
/// frame from the database with this status and no events.
fn db_replay(status: &str) -> Reply {
    let replay = json!({"event": "replay", "run_id": "r1", "status": status, "total_events": 0});
    Reply::new()
        .write(sse_head())
        .write(format!("event: replay\ndata: {replay}\n\n"))
}

/// A JSON answer (the stored run).
fn stored(body: Value) -> Reply {
    Reply::new().write(http_response("200 OK", &[], &body.to_string()))
}

fn is_resume(r: &Received) -> bool {
    r.path().ends_with("/resume")
}

/// A server whose run starts and resets ([`started_then_reset`]); every resume then answers
/// the database's `replay` with `replay_status` ([`db_replay`]), and the stored run has
/// `status` and `content`.
async fn detached_then_stored(
    replay_status: &'static str,
    status: &'static str,
    content: &'static str,
) -> HostileServer {
    HostileServer::start(move |r, n| {
        if n == 0 {
            return started_then_reset();
        }
        if is_resume(r) {
            return db_replay(replay_status);
        }
        stored(json!({"run_id": "r1", "session_id": "s1", "status": status, "content": content}))
    })
    .await
}

#[tokio::test]
async fn a_replica_that_does_not_hold_the_run_is_followed_through_the_stored_run() {
    let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = polls.clone();
    let server = HostileServer::start(move |r, n| {
        if n == 0 {
            return started_then_reset();
        }
        if is_resume(r) {
            // agno's DB path on a replica that is not running the run.
            return db_replay("RUNNING");
        }
        let body = if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            json!({"run_id": "r1", "session_id": "s1", "status": "RUNNING", "content": "Hel"})
        } else {
            json!({"run_id": "r1", "session_id": "s1", "status": "COMPLETED", "content": "Hello world"})
        };
        stored(body)
    })
    .await;
    let mut stream = resumable(&server).await;
    let (names, text, err) = drain(&mut stream).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        names[names.len() - 2..],
        ["deltas_missing".to_owned(), "RunCompleted".to_owned()]
    );
    assert_eq!(text, "Hel");
    assert!(stream.missed_deltas());
    let received = server.received();
    // Two resumes found the run detached (the second one at once), then the stored run was polled.
    assert!(received.iter().filter(|r| is_resume(r)).count() >= 2);
    let gets: Vec<_> = received.iter().filter(|r| r.method == "GET").collect();
    assert!(gets.len() >= 2);
    assert_eq!(gets[0].path(), "/agents/a/runs/r1");
    assert!(
        gets[0].target.contains("session_id=s1"),
        "{}",
        gets[0].target
    );
    // The call's own headers go with every reconnect and poll.
    for r in &received {
        assert_eq!(r.header("x-route-key"), Some("s1"), "{}", r.request_line);
    }
}

#[tokio::test]
async fn the_final_output_of_a_followed_run_is_the_stored_result() {
    let server = detached_then_stored("RUNNING", "COMPLETED", "Hello world").await;
    let stream = resumable(&server).await;
    let out = tokio::time::timeout(Duration::from_secs(20), stream.final_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status, Some(RunStatus::Completed));
    assert_eq!(out.content_text(), "Hello world");
}

#[tokio::test]
async fn a_finished_replay_ends_with_the_stored_error_and_the_text_so_far() {
    let server = detached_then_stored("ERROR", "ERROR", "model exploded").await;
    let stream = resumable(&server).await;
    let err = tokio::time::timeout(Duration::from_secs(20), stream.final_output())
        .await
        .unwrap()
        .unwrap_err();
    match &err {
        Error::Run(f) => {
            assert_eq!(f.message, "model exploded");
            assert_eq!(f.partial_content, "Hel");
            assert_eq!(f.run_id.as_deref(), Some("r1"));
        }
        other => panic!("{other:?}"),
    }
    // One resume: a finished replay is not reconnected.
    assert_eq!(server.received().iter().filter(|r| is_resume(r)).count(), 1);
}

#[tokio::test]
async fn a_run_kept_alive_by_heartbeats_only_ends_as_lost_with_the_text_so_far() {
    let heartbeats = ": heartbeat\n\n".repeat(200);
    let server = HostileServer::start(move |r, n| {
        if n == 0 {
            return Reply::new()
                .write(sse_head())
                .write(frame("RunStarted", Some(0), json!({})))
                .write(frame("RunContent", Some(1), json!({"content": "Hel"})))
                .trickle(heartbeats.clone(), Duration::from_millis(5));
        }
        if is_resume(r) {
            let sub = json!({"event": "subscribed", "run_id": "r1", "status": "running"});
            return Reply::new()
                .write(sse_head())
                .write(format!("event: subscribed\ndata: {sub}\n\n"))
                .trickle(heartbeats.clone(), Duration::from_millis(5));
        }
        let body = json!({"run_id": "r1", "session_id": "s1", "status": "RUNNING"});
        stored(body)
    })
    .await;
    let mut stream = resumable(&server).await;
    let (_, text, err) = drain(&mut stream).await;
    assert_eq!(text, "Hel");
    match err {
        Some(Error::RunLost {
            run_id,
            status,
            partial_content,
            ..
        }) => {
            assert_eq!(run_id, "r1");
            assert_eq!(status, "RUNNING");
            assert_eq!(partial_content, "Hel");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_durable_rerun_starts_the_text_over_after_a_restart_frame() {
    let server = HostileServer::start(move |_, _| {
        Reply::new()
            .write(sse_head())
            .write(frame("RunStarted", Some(0), json!({})))
            .write(frame("RunContent", Some(1), json!({"content": "abc"})))
            // The queue reclaimed the run: the same run id starts over, indices go on.
            .write(frame("RunStarted", Some(5), json!({})))
            .write(frame("RunContent", Some(6), json!({"content": "xyz"})))
            .write(frame("RunCompleted", Some(7), json!({"content": "xyz"})))
    })
    .await;
    let mut stream = resumable(&server).await;
    let (names, text, err) = drain(&mut stream).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(
        names,
        [
            "RunStarted",
            "RunContent",
            "run_restarted",
            "RunStarted",
            "RunContent",
            "RunCompleted"
        ]
    );
    assert_eq!(text, "xyz");
    assert_eq!(stream.restarts(), 1);
    assert_eq!(stream.partial_content(), "xyz");
    assert!(!stream.missed_deltas());
}

#[tokio::test]
async fn reconnects_that_keep_failing_end_within_the_budget_with_the_text_so_far() {
    let server = HostileServer::start(move |_, n| {
        if n == 0 {
            started_then_reset()
        } else {
            Reply::new().reset()
        }
    })
    .await;
    let mut stream = resumable(&server).await;
    let (_, text, err) = drain(&mut stream).await;
    assert_eq!(text, "Hel");
    match err {
        Some(Error::StreamTruncated {
            run_id,
            partial_content,
            last_event_index,
            ..
        }) => {
            assert_eq!(run_id.as_deref(), Some("r1"));
            assert_eq!(partial_content, "Hel");
            assert_eq!(last_event_index, Some(1));
        }
        other => panic!("{other:?}"),
    }
    assert!(server.received().iter().filter(|r| is_resume(r)).count() >= 2);
}

#[tokio::test]
async fn with_session_routing_a_run_without_a_session_gets_one_and_every_call_carries_it() {
    let server = HostileServer::start(move |r, n| {
        if n == 0 {
            return started_then_reset();
        }
        if is_resume(r) {
            return Reply::new().write(sse_head()).write(frame(
                "RunCompleted",
                Some(2),
                json!({"content": "Hello"}),
            ));
        }
        Reply::new().write(http_response("404 Not Found", &[], "{}"))
    })
    .await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .session_header("X-Session-Id")
        .build()
        .unwrap();
    let mut stream = client
        .run_agent_stream("a", "hi")
        .resumable()
        .await
        .unwrap();
    let (_, _, err) = drain(&mut stream).await;
    assert!(err.is_none(), "{err:?}");
    let received = server.received();
    assert_eq!(received.len(), 2);
    let made = received[0]
        .header("x-session-id")
        .expect("the run is routable")
        .to_owned();
    assert_eq!(made.len(), 36, "{made}");
    assert!(
        received[0]
            .body_text()
            .contains(&format!("session_id={made}")),
        "the form names the same session: {}",
        received[0].body_text()
    );
    // The reconnect is routed by the session the stream knows.
    assert_eq!(received[1].header("x-session-id"), Some("s1"));
}

#[tokio::test]
async fn deltas_that_do_not_add_up_after_a_reconnect_are_flagged() {
    // A durable re-run whose RunStarted fell before the resume point: its deltas come again.
    let server = HostileServer::start(move |_, n| {
        if n == 0 {
            return started_then_reset();
        }
        Reply::new()
            .write(sse_head())
            .write(frame("RunContent", Some(5), json!({"content": "Hel"})))
            .write(frame("RunContent", Some(6), json!({"content": "lo"})))
            .write(frame("RunCompleted", Some(7), json!({"content": "Hello"})))
    })
    .await;
    let mut stream = resumable(&server).await;
    let (names, text, err) = drain(&mut stream).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(text, "HelHello");
    assert!(stream.missed_deltas());
    assert_eq!(
        names[names.len() - 2..],
        ["deltas_missing".to_owned(), "RunCompleted".to_owned()]
    );
}
