//! Fuzzes the SSE decoder: the first byte chooses a chunk size, the rest is the stream.
//! It must never panic, and decoding in chunks must give what decoding whole gives.
#![no_main]

use agentos_core::sse::SseDecoder;
use libfuzzer_sys::fuzz_target;

fn decode(data: &[u8], chunk: usize) -> Option<Vec<(Option<String>, String)>> {
    let mut d = SseDecoder::new(1 << 16);
    let mut out = Vec::new();
    for c in data.chunks(chunk.max(1)) {
        d.push(c);
        while let Some(f) = d.next_frame().ok()? {
            out.push((f.event, f.data));
        }
    }
    d.finish();
    while let Some(f) = d.next_frame().ok()? {
        out.push((f.event, f.data));
    }
    Some(out)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let whole = decode(rest, rest.len().max(1));
    let chunked = decode(rest, first as usize % 17 + 1);
    if let (Some(w), Some(c)) = (whole, chunked) {
        assert_eq!(w, c);
    }
});
