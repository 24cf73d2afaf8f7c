//! JSON decoding of a big trace tree, recorded from the fixture AgentOS
//! (`crates/bench/record.sh`: a team run with 12 delegations, 39 spans) into `TraceDetail`,
//! and a depth-first walk over it.
//!
//! `cargo bench -p agentos-rs-observability --bench decode`

use std::hint::black_box;

use agentos_observability::TraceDetail;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let path = format!("{}/../bench/data/trace.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let trace: TraceDetail = serde_json::from_slice(&bytes).expect("a trace");
    let spans = trace.walk().count();
    assert!(spans >= 30, "the recorded trace is big ({spans} spans)");
    let mut g = c.benchmark_group("trace_decode");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("tree_39_spans", |b| {
        b.iter(|| {
            let t: TraceDetail = serde_json::from_slice(black_box(&bytes)).unwrap();
            t.walk().count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
