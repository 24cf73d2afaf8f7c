//! SSE framing alone, on recorded AgentOS streams (agent, team, workflow) repeated to a
//! realistic size, fed in 16 KiB chunks as a socket would deliver them. Reports frames/s and
//! bytes/s.
//!
//! `cargo bench -p agentos-rs-core --bench sse`

use std::hint::black_box;

use agentos_core::sse::SseDecoder;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn recorded(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/recorded/{name}.sse",
        env!("CARGO_MANIFEST_DIR")
    );
    let one = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // About 4 MiB: long enough that per-run setup does not count.
    let times = (4 << 20) / one.len() + 1;
    one.repeat(times)
}

fn frame_all(bytes: &[u8], chunk: usize) -> usize {
    let mut d = SseDecoder::new(16 << 20);
    let mut frames = 0;
    for c in bytes.chunks(chunk) {
        d.push(c);
        while let Some(f) = d.next_frame().expect("valid stream") {
            black_box(&f);
            frames += 1;
        }
    }
    frames
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sse_framing");
    for name in ["agent", "team", "workflow"] {
        let bytes = recorded(name);
        let frames = frame_all(&bytes, 16 * 1024) as u64;
        g.throughput(Throughput::ElementsAndBytes {
            elements: frames,
            bytes: bytes.len() as u64,
        });
        g.bench_function(name, |b| b.iter(|| frame_all(black_box(&bytes), 16 * 1024)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
