//! Fault injection on the hostile loopback server (`agentos-hostile`), which misbehaves on
//! purpose. Each test checks the typed error, the retries counted on the server side, and
//! that nothing panics; each runs under a hard time limit.

use std::time::{Duration, Instant};

use agentos_core::{AgentOsClient, Error, Request, RetryPolicy};
use agentos_hostile::{HostileServer, Reply, http_response, sse_head};
use futures::StreamExt;

mod common;
use common::within;

fn client(url: &str) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

const HEALTH: &str = r#"{"status":"ok","instantiated_at":"2026-11-28T17:58:55Z"}"#;

#[tokio::test]
async fn retry_after_is_honoured_then_the_call_succeeds() {
    let server = HostileServer::start(|_, n| match n {
        0 => Reply::new().write(http_response(
            "503 Service Unavailable",
            &[("retry-after", "1")],
            r#"{"detail":"busy"}"#,
        )),
        _ => Reply::new().write(http_response("200 OK", &[], HEALTH)),
    })
    .await;
    let started = Instant::now();
    let health = within(client(&server.url()).health()).await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(server.hits(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_reset_mid_body_is_retried_for_get_and_typed_when_it_persists() {
    let server = HostileServer::start(|_, _| {
        Reply::new()
            .write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"status\":"
                    .to_vec(),
            )
            .reset()
    })
    .await;
    let e = within(client(&server.url()).health()).await.unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_post_that_may_have_reached_the_server_is_not_retried() {
    let server = HostileServer::start(|_, _| {
        Reply::new()
            .write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"
                    .to_vec(),
            )
            .reset()
    })
    .await;
    let client = client(&server.url());
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let e = within(client.execute(req)).await.unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert_eq!(server.hits(), 1);

    // The same POST with an idempotency key may be retried.
    let mut req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let (k, v) = agentos_core::kit::parse_header("Idempotency-Key", "key-1").unwrap();
    req.options.headers.insert(k, v);
    let _ = within(client.execute(req)).await.unwrap_err();
    assert_eq!(server.hits(), 4);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_body() {
    let server = HostileServer::start(|_, _| {
        Reply::new().write(http_response("200 OK", &[], r#"{"status": "ok","#))
    })
    .await;
    let e = within(client(&server.url()).health()).await.unwrap_err();
    match e {
        Error::Decode { body, .. } => assert_eq!(body, r#"{"status": "ok","#),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused_without_reading_it_all() {
    let big = format!(r#"{{"status":"{}"}}"#, "x".repeat(1 << 20));
    let server =
        HostileServer::start(move |_, _| Reply::new().write(http_response("200 OK", &[], &big)))
            .await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .max_body_size(64 * 1024)
        .build()
        .unwrap();
    let e = within(client.health()).await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 65536, .. }), "{e:?}");
}

fn sse_events(n: usize) -> Vec<u8> {
    let mut out = sse_head();
    for i in 0..n {
        out.extend_from_slice(
            format!(
                "event: RunContent\ndata: {{\"event\":\"RunContent\",\"content\":\"{i}\"}}\n\n"
            )
            .as_bytes(),
        );
    }
    out
}

async fn frames_of(client: &AgentOsClient) -> (Vec<String>, Option<Error>) {
    within(async {
        let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
        let resp = client.execute_stream(req).await.unwrap();
        let mut frames = agentos_core::sse::frames(resp.body, 1 << 20);
        let mut got = Vec::new();
        while let Some(f) = frames.next().await {
            match f {
                Ok(f) => got.push(f.data),
                Err(e) => return (got, Some(e)),
            }
        }
        (got, None)
    })
    .await
}

#[tokio::test]
async fn an_sse_stream_cut_after_n_events_delivers_them_then_reports_the_cut() {
    let server = HostileServer::start(|_, _| Reply::new().write(sse_events(3)).reset()).await;
    let (got, err) = frames_of(&client(&server.url())).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[2].contains("\"2\""));
    assert!(matches!(err, Some(Error::Connection { .. })), "{err:?}");
    // A stream is never re-sent once it started.
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_stalled_stream_ends_with_an_idle_timeout() {
    let server = HostileServer::start(|_, _| Reply::new().write(sse_events(2)).stall()).await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .stream_idle_timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let started = Instant::now();
    let (got, err) = frames_of(&client).await;
    assert_eq!(got.len(), 2);
    assert!(matches!(err, Some(Error::Timeout { .. })), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_oversized_sse_frame_is_refused() {
    let server = HostileServer::start(|_, _| {
        let mut out = sse_head();
        out.extend_from_slice(format!("data: {}\n\n", "y".repeat(200_000)).as_bytes());
        Reply::new().write(out)
    })
    .await;
    let client = client(&server.url());
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let resp = within(client.execute_stream(req)).await.unwrap();
    let mut frames = agentos_core::sse::frames(resp.body, 64 * 1024);
    let first = within(frames.next()).await.unwrap();
    assert!(
        matches!(
            first,
            Err(Error::TooLarge {
                what: "SSE frame",
                ..
            })
        ),
        "{first:?}"
    );
}

#[tokio::test]
async fn a_stall_before_headers_is_a_timeout_on_streams_too() {
    let server = HostileServer::start(|_, _| Reply::new().stall()).await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let req = Request::post("/agents/{agent_id}/runs", &["a"]).unwrap();
    let e = within(client.execute_stream(req)).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert_eq!(server.hits(), 1);
}
