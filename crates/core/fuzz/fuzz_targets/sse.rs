//! Fuzzes the SSE decoder: the first byte chooses a chunk size and how chunks are fed
//! (copied with `push`, shared with `push_bytes`, or alternately), the rest is the stream.
//! It must never panic, and decoding in chunks must give what decoding whole gives.
#![no_main]

use agentos_core::sse::SseDecoder;
use libfuzzer_sys::fuzz_target;

fn decode(data: &[u8], chunk: usize, feed: u8) -> Option<Vec<(Option<String>, String)>> {
    let mut d = SseDecoder::new(1 << 16);
    let mut out = Vec::new();
    for (i, c) in data.chunks(chunk.max(1)).enumerate() {
        // 0: copied; 1: shared; 2: alternately.
        if feed == 1 || (feed == 2 && i % 2 == 1) {
            d.push_bytes(bytes::Bytes::copy_from_slice(c));
        } else {
            d.push(c);
        }
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
    let whole = decode(rest, rest.len().max(1), 0);
    let chunked = decode(rest, first as usize % 17 + 1, first / 17 % 3);
    if let (Some(w), Some(c)) = (whole, chunked) {
        assert_eq!(w, c);
    }
});
