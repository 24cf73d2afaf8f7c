//! What a hostile server's answers do to the caller, on the hostile loopback server: frames
//! with any line endings arrive before a stall, a success that is not the event stream asked
//! for is a typed error, error bodies are capped and never give back the client's own
//! secrets, and a body of many tiny JSON values is refused before typed decoding. Every case
//! runs under a hard time limit.

use std::time::Duration;

use agentos_core::{AgentOsClient, Error, MAX_ERROR_BODY, Page, Request, RetryPolicy};
use agentos_hostile::{HostileServer, Reply, http_response, open_head, sse_head};
use futures::{StreamExt, TryStreamExt};

mod common;
use common::{empty_objects, within};

fn client(server: &HostileServer) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(server.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn run_request() -> Request {
    Request::post("/agents/{agent_id}/runs", &["a"]).unwrap()
}

/// Two frames with these line endings, then a stall: both frames must arrive before it
/// (the stall lasts longer than the hard limit of a case, and so does the idle timeout).
#[tokio::test]
async fn frames_arrive_before_a_stall_whatever_the_line_endings() {
    for (name, frames) in [
        ("cr", "data: 1\r\rdata: 2\r\r"),
        ("lf", "data: 1\n\ndata: 2\n\n"),
        ("crlf", "data: 1\r\n\r\ndata: 2\r\n\r\n"),
        ("mixed", "data: 1\r\n\rdata: 2\n\r"),
        ("cr then crlf", "event: a\rdata: 1\r\r\ndata: 2\r\n\r"),
    ] {
        for trickled in [false, true] {
            let bytes = frames.as_bytes().to_vec();
            let server = HostileServer::start(move |_, _| {
                let reply = Reply::new().write(sse_head());
                let reply = if trickled {
                    reply.trickle(bytes.clone(), Duration::from_millis(1))
                } else {
                    reply.write(bytes.clone())
                };
                reply.stall()
            })
            .await;
            let resp = within(client(&server).execute_stream(run_request()))
                .await
                .unwrap();
            let mut frames = agentos_core::sse::frames(resp.body, 1 << 20);
            for want in ["1", "2"] {
                let got = within(frames.next()).await;
                let frame = got
                    .unwrap_or_else(|| panic!("{name}: stream ended"))
                    .unwrap();
                assert_eq!(frame.data, want, "{name} (trickled: {trickled})");
            }
        }
    }
}

#[tokio::test]
async fn a_json_success_where_a_stream_was_asked_for_is_a_typed_error() {
    let server = HostileServer::start(|_, _| {
        Reply::new().write(http_response(
            "200 OK",
            &[],
            r#"{"detail":"no streams here"}"#,
        ))
    })
    .await;
    let e = within(client(&server).execute_stream(run_request()))
        .await
        .unwrap_err();
    match &e {
        Error::NotEventStream {
            status,
            content_type,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(content_type, "application/json");
            assert_eq!(body, r#"{"detail":"no streams here"}"#);
        }
        other => panic!("{other:?}"),
    }
    let shown = e.to_string();
    assert!(shown.contains("instead of an event stream"), "{shown}");
    assert!(shown.contains("application/json"), "{shown}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_stalled_html_page_where_a_stream_was_asked_for_is_a_typed_error_in_bounded_time() {
    let server = HostileServer::start(|_, _| {
        Reply::new()
            .write(open_head("200 OK", "text/html"))
            .write("<html>login")
            .stall()
    })
    .await;
    let client = AgentOsClient::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(1))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = within(client.execute_stream(run_request()))
        .await
        .unwrap_err();
    match e {
        Error::NotEventStream {
            content_type, body, ..
        } => {
            assert_eq!(content_type, "text/html");
            assert_eq!(body, "<html>login");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn event_stream_content_types_are_matched_loosely_and_a_missing_one_is_tolerated() {
    for head in [
        "HTTP/1.1 200 OK\r\ncontent-type: Text/Event-Stream; charset=utf-8\r\nconnection: close\r\n\r\n",
        "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n",
    ] {
        let server =
            HostileServer::start(move |_, _| Reply::new().write(head).write("data: 1\n\n")).await;
        let resp = within(client(&server).execute_stream(run_request()))
            .await
            .unwrap();
        let frames: Vec<_> = within(agentos_core::sse::frames(resp.body, 1024).try_collect())
            .await
            .unwrap();
        assert_eq!(frames.len(), 1, "{head:?}");
    }
}

/// A server that reflects every header it received in its answer, with this status.
async fn reflecting(status: &'static str, pad: usize) -> HostileServer {
    HostileServer::start(move |req, _| {
        let mut body = String::from("{\"detail\":\"denied:");
        for (k, v) in &req.headers {
            body.push_str(&format!(" {k}={v}"));
        }
        body.push_str(&format!(" in {}", req.target));
        body.push_str(&"x".repeat(pad));
        body.push_str("\"}");
        if status.starts_with("200") {
            // Not what the call expects: a decode error.
            body.insert(0, '[');
        }
        Reply::new().write(http_response(status, &[], &body))
    })
    .await
}

fn secret_client(server: &HostileServer) -> AgentOsClient {
    let url = server
        .url()
        .replace("http://", "http://al%40ice:pw-SECRET-3@");
    AgentOsClient::builder()
        .base_url(url)
        .bearer_token("tok-SECRET-1")
        .header("x-api-key", "key-SECRET-2")
        .header("x-tenant", "acme")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

const SECRETS: [&str; 6] = [
    "tok-SECRET-1",
    "key-SECRET-2",
    "pw-SECRET-3",
    "call-SECRET-4",
    "al@ice",
    "al%40ice",
];

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} shows {s}: {text}");
    }
}

#[tokio::test]
async fn an_error_body_never_gives_back_the_clients_own_secrets() {
    let server = reflecting("401 Unauthorized", 0).await;
    let client = secret_client(&server);
    let e = within(client.list_agents().header("x-call-key", "call-SECRET-4"))
        .await
        .unwrap_err();
    // The server did receive them: the reflection is real.
    let seen = &server.received()[0];
    assert_eq!(seen.header("authorization"), Some("Bearer tok-SECRET-1"));
    assert_eq!(seen.header("x-api-key"), Some("key-SECRET-2"));
    let http = e.http().expect("an HTTP error");
    assert!(http.body.contains("x-tenant=acme"), "{}", http.body);
    assert!(
        http.body.contains("authorization=[redacted]"),
        "{}",
        http.body
    );
    // A header given on one call is not a secret unless marked: this one is not by name...
    assert!(
        http.body.contains("x-call-key=call-SECRET-4"),
        "{}",
        http.body
    );

    // ...and it is once the call marks it sensitive.
    let server = reflecting("401 Unauthorized", 0).await;
    let client = secret_client(&server);
    let mut req = Request::get("/agents", &[]).unwrap();
    let mut value = agentos_core::http::HeaderValue::from_static("call-SECRET-4");
    value.set_sensitive(true);
    req.options.headers.insert("x-call-key", value);
    let e = within(client.execute(req)).await.unwrap_err();
    let http = e.http().expect("an HTTP error");
    for (what, text) in [
        ("body", http.body.clone()),
        ("detail", http.message().unwrap_or_default()),
        ("Display", e.to_string()),
        ("Debug", format!("{e:?}")),
    ] {
        assert_clean(what, &text);
    }
    assert!(http.body.contains("x-api-key=[redacted]"), "{}", http.body);
}

#[tokio::test]
async fn a_decode_error_keeps_a_capped_scrubbed_body_and_its_whole_length() {
    let server = reflecting("200 OK", 1 << 20).await;
    let client = secret_client(&server);
    let e = within(client.list_agents()).await.unwrap_err();
    match &e {
        Error::Decode { body, body_len, .. } => {
            assert!(body.len() <= MAX_ERROR_BODY, "{}", body.len());
            assert!(*body_len > 1 << 20, "{body_len}");
            assert!(body.contains("x-tenant=acme"));
        }
        other => panic!("{other:?}"),
    }
    let debug = format!("{e:?}");
    assert!(debug.len() < MAX_ERROR_BODY + 1024, "{}", debug.len());
    assert_clean("Debug", &debug);
    assert_clean("Display", &e.to_string());
}

#[tokio::test]
async fn a_body_of_too_many_json_values_is_refused_before_decoding() {
    // 1001 values each: 1000 objects and the list; 998 objects, the list, the page and its meta.
    // (The agents carry the id `list_agents` requires; strings are not counted.)
    let body = format!("[{}]", vec![r#"{"id":"a"}"#; 1000].join(","));
    let page = format!(
        r#"{{"data":{},"meta":{{"page":1,"total_pages":1}}}}"#,
        empty_objects(998)
    );
    let server = HostileServer::start(move |req, _| {
        let body = if req.path() == "/agents" {
            &body
        } else {
            &page
        };
        Reply::new().write(http_response("200 OK", &[], body))
    })
    .await;
    for (limit, ok) in [(1001, true), (1000, false)] {
        let client = AgentOsClient::builder()
            .base_url(server.url())
            .max_json_values(limit)
            .build()
            .unwrap();
        let agents = within(client.list_agents()).await;
        let call: agentos_core::Call<Page<serde_json::Value>> =
            <agentos_core::Call<_> as agentos_core::kit::CallKit>::new(
                &client,
                Request::get("/memories", &[]),
                agentos_core::kit::decode_json,
            );
        let items: agentos_core::Result<Vec<_>> = within(call.into_stream().try_collect()).await;
        for (what, result) in [
            ("list", agents.map(|a| a.len())),
            ("page", items.map(|i| i.len())),
        ] {
            match result {
                Ok(n) => assert!(ok && n >= 998, "{what} at {limit}: {n}"),
                Err(Error::TooManyJsonValues { limit: l, .. }) => {
                    assert!(!ok && l == limit, "{what} at {limit}")
                }
                Err(other) => panic!("{what} at {limit}: {other:?}"),
            }
        }
    }
}
