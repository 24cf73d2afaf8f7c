//! SSE to typed run events: recorded AgentOS streams (agent, team, workflow) repeated to
//! about 4 MiB, fed in 16 KiB chunks through a mock transport into a `RunStream`, every
//! event decoded into its typed enum. Reports events/s and bytes/s.
//!
//! `cargo bench -p agentos-rs-runs --bench events`

use std::hint::black_box;

use agentos_core::mock::{self, MockTransport};
use agentos_runs::{AgentRunEvent, RunsExt, TeamRunEvent, WorkflowRunEvent};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt;

fn recorded(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/recorded/{name}.sse",
        env!("CARGO_MANIFEST_DIR")
    );
    let one = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let times = (4 << 20) / one.len() + 1;
    one.repeat(times)
}

/// A client whose every run streams `bytes` in 16 KiB chunks. The chunks are `Bytes`, as a
/// network transport hands them over, so a run shares them instead of copying 4 MiB of
/// input before it starts (that copy, and its page faults, were 10% of the measured time).
fn client(bytes: &[u8]) -> agentos_core::AgentOsClient {
    let chunks: Vec<bytes::Bytes> = bytes
        .chunks(16 * 1024)
        .map(bytes::Bytes::copy_from_slice)
        .collect();
    let mut t = MockTransport::new();
    t.expect_send()
        .returning(move |_| Ok(mock::sse_raw(chunks.clone())));
    mock::client(t)
}

/// Runs one stream to its end through the SDK; returns how many typed events it gave.
async fn drain(client: &agentos_core::AgentOsClient, name: &str) -> usize {
    let mut n = 0usize;
    match name {
        "agent" => {
            let mut s = client.run_agent_stream("a", "x").await.unwrap();
            while let Some(ev) = s.next().await {
                let ev: AgentRunEvent = ev.unwrap();
                black_box(&ev);
                n += 1;
            }
        }
        "team-delegate" => {
            let mut s = client.run_team_stream("t", "x").await.unwrap();
            while let Some(ev) = s.next().await {
                let ev: TeamRunEvent = ev.unwrap();
                black_box(&ev);
                n += 1;
            }
        }
        _ => {
            let mut s = client.run_workflow_stream("w", "x").await.unwrap();
            while let Some(ev) = s.next().await {
                let ev: WorkflowRunEvent = ev.unwrap();
                black_box(&ev);
                n += 1;
            }
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("run_events");
    for name in ["agent", "team-delegate", "workflow"] {
        let bytes = recorded(name);
        let client = client(&bytes);
        let events = rt.block_on(drain(&client, name)) as u64;
        g.throughput(Throughput::ElementsAndBytes {
            elements: events,
            bytes: bytes.len() as u64,
        });
        g.bench_function(name, |b| b.iter(|| rt.block_on(drain(&client, name))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
