//! JSON decoding of a non-stream response, recorded from the fixture AgentOS
//! (`crates/bench/record.sh`): `GET /config` into [`ConfigResponse`], read against two floors
//! that any client reading the same bytes pays: into a `serde_json::Value` (what an untyped
//! client builds), and only validated and skipped (`IgnoredAny`: no value built at all).
//!
//! `cargo bench -p agentos-rs-core --bench decode`

use std::hint::black_box;

use agentos_core::ConfigResponse;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;

fn recorded(name: &str) -> Vec<u8> {
    let path = format!("{}/../bench/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("config_decode");
    let config = recorded("config.json");
    let decoded: ConfigResponse = serde_json::from_slice(&config).expect("a config");
    assert!(
        !decoded.agents.is_empty(),
        "the recorded config lists agents"
    );
    g.throughput(Throughput::Bytes(config.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<ConfigResponse>(black_box(&config)).expect("a config"))
    });
    g.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&config)).expect("json"))
    });
    g.bench_function("skip_only", |b| {
        b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(&config)).expect("json"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
