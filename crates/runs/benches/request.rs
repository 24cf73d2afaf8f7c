//! Request building: an agent run with form fields (message, session, user, session state and
//! metadata as JSON), and one with a multipart body (the same fields and a 256 KiB file),
//! from the builder to the request the transport receives (a mock that encodes a form body
//! as the default transport would, and answers a small run output). Also the form encoding
//! alone.
//!
//! `cargo bench -p agentos-rs-runs --bench request`

use std::hint::black_box;

use agentos_core::TransportResponse;
use agentos_core::mock::{self, MockTransport};
use agentos_core::{Body, Form};
use agentos_runs::RunsExt;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn client() -> agentos_core::AgentOsClient {
    let answer = bytes::Bytes::from_static(
        br#"{"run_id":"r1","agent_id":"echo-agent","session_id":"s1","content":"Echo: hi","status":"COMPLETED"}"#,
    );
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        match &req.body {
            Body::Form(f) => {
                black_box(f.encode());
            }
            Body::Multipart(m) => {
                black_box(m.file_bytes());
            }
            _ => {}
        }
        Ok(TransportResponse::buffered(
            http::StatusCode::OK,
            http::HeaderMap::new(),
            answer.clone(),
        ))
    });
    mock::client(t)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let client = client();
    let state =
        json!({"cart": ["apple", "pear"], "step": 3, "user": {"name": "Ada", "tier": "gold"}});
    let meta = json!({"source": "bench", "trace": "abc123"});
    let file = bytes::Bytes::from(vec![7u8; 256 * 1024]);
    let mut g = c.benchmark_group("request_building");
    g.bench_function("run_form", |b| {
        b.iter(|| {
            rt.block_on(async {
                client
                    .run_agent("echo-agent", "Hello, tell me something nice")
                    .session_id("session-1")
                    .user_id("user-1")
                    .session_state(&state)
                    .metadata(&meta)
                    .await
                    .unwrap()
            })
        })
    });
    g.bench_function("run_multipart_256k", |b| {
        b.iter(|| {
            rt.block_on(async {
                client
                    .run_agent("echo-agent", "Describe this file")
                    .session_id("session-1")
                    .user_id("user-1")
                    .session_state(&state)
                    .file_bytes("notes.bin", "application/octet-stream", file.clone())
                    .await
                    .unwrap()
            })
        })
    });
    let mut form = Form::new();
    form.text("message", "Hello, tell me something nice & more = yes")
        .text("stream", "false")
        .text("session_id", "session-1")
        .text("user_id", "user-1")
        .json("session_state", &state)
        .unwrap();
    g.bench_function("form_encode", |b| b.iter(|| black_box(&form).encode()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
