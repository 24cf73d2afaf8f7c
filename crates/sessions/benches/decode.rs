//! JSON decoding of large session responses, recorded from the fixture AgentOS
//! (`crates/bench/record.sh`): a page of 100 sessions (`GET /sessions?limit=100`) into
//! `Page<SessionSchema>`, and a session in detail with its chat history
//! (`GET /sessions/{id}`) into `AgentSessionDetailSchema`.
//!
//! `cargo bench -p agentos-rs-sessions --bench decode`

use std::hint::black_box;

use agentos_core::Page;
use agentos_sessions::{AgentSessionDetailSchema, SessionSchema};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn recorded(name: &str) -> Vec<u8> {
    let path = format!("{}/../bench/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sessions_decode");
    let page = recorded("sessions-page.json");
    let decoded: Page<SessionSchema> = serde_json::from_slice(&page).expect("a page");
    assert_eq!(
        decoded.data.len(),
        100,
        "the recorded page has 100 sessions"
    );
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("page_of_100", |b| {
        b.iter(|| {
            let p: Page<SessionSchema> = serde_json::from_slice(black_box(&page)).unwrap();
            p.data.len()
        })
    });
    let detail = recorded("session-detail.json");
    let decoded: AgentSessionDetailSchema = serde_json::from_slice(&detail).expect("a session");
    assert!(
        decoded.chat_history.len() > 10,
        "the recorded session has a chat history"
    );
    g.throughput(Throughput::Bytes(detail.len() as u64));
    g.bench_function("detail_with_chat_history", |b| {
        b.iter(|| {
            let s: AgentSessionDetailSchema = serde_json::from_slice(black_box(&detail)).unwrap();
            s.chat_history.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
