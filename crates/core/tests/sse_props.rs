//! Property tests of the SSE decoder: arbitrary bytes split anywhere never panic, and a valid
//! stream decodes to the same frames however it is split.

use agentos_core::sse::{SseDecoder, SseFrame};
use agentos_core::{Error, Result};
use proptest::prelude::*;

/// How chunks reach the decoder: copied (`push`), shared (`push_bytes`, as a stream gives
/// them), or either, chunk by chunk (`true`: shared).
#[derive(Clone, Copy, Debug)]
enum Feed<'a> {
    Copied,
    Shared,
    Mixed(&'a [bool]),
}

impl Feed<'_> {
    fn shares(self, i: usize) -> bool {
        match self {
            Feed::Copied => false,
            Feed::Shared => true,
            Feed::Mixed(m) => m.get(i % m.len().max(1)).copied().unwrap_or(false),
        }
    }
}

/// Pushes the chunks one by one, taking the frames out after each.
fn push_all(
    d: &mut SseDecoder,
    chunks: &[&[u8]],
    feed: Feed<'_>,
    out: &mut Vec<SseFrame>,
) -> Result<()> {
    for (i, c) in chunks.iter().enumerate() {
        if feed.shares(i) {
            d.push_bytes(bytes::Bytes::copy_from_slice(c));
        } else {
            d.push(c);
        }
        while let Some(f) = d.next_frame()? {
            out.push(f);
        }
    }
    Ok(())
}

fn decode(chunks: &[&[u8]], max: usize) -> Result<Vec<SseFrame>> {
    decode_fed(chunks, max, Feed::Copied)
}

fn decode_fed(chunks: &[&[u8]], max: usize, feed: Feed<'_>) -> Result<Vec<SseFrame>> {
    let mut d = SseDecoder::new(max);
    let mut out = Vec::new();
    push_all(&mut d, chunks, feed, &mut out)?;
    d.finish();
    while let Some(f) = d.next_frame()? {
        out.push(f);
    }
    Ok(out)
}

/// Splits `bytes` at the given cut points (sorted, deduplicated, in range).
fn split<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for c in cuts {
        out.push(&bytes[last..c]);
        last = c;
    }
    out.push(&bytes[last..]);
    out
}

/// A valid event: a name, data lines, with one of the three line endings.
fn event() -> impl Strategy<Value = (String, Vec<String>, &'static str)> {
    (
        "[A-Za-z]{1,20}",
        prop::collection::vec("[^\r\n]{0,40}", 1..4),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048),
                                   cuts in prop::collection::vec(any::<usize>(), 0..16),
                                   shared in prop::collection::vec(any::<bool>(), 1..16)) {
        let chunks = split(&bytes, &cuts);
        let copied = decode(&chunks, 512);
        match &copied {
            Ok(_) | Err(Error::Sse(_)) | Err(Error::TooLarge { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        // Shared chunks, or a mix, give the same frames or the same kind of error.
        for feed in [Feed::Shared, Feed::Mixed(&shared)] {
            let got = decode_fed(&chunks, 512, feed);
            match (&copied, &got) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(Error::Sse(_)), Err(Error::Sse(_)))
                | (Err(Error::TooLarge { .. }), Err(Error::TooLarge { .. })) => {}
                _ => prop_assert!(false, "{feed:?}: {copied:?} vs {got:?}"),
            }
        }
    }

    #[test]
    fn valid_streams_decode_the_same_however_split(
        events in prop::collection::vec(event(), 1..12),
        comments in prop::collection::vec(any::<bool>(), 12),
        cuts in prop::collection::vec(any::<usize>(), 0..24),
        shared in prop::collection::vec(any::<bool>(), 1..24),
    ) {
        let mut bytes = Vec::new();
        for (i, (name, data, eol)) in events.iter().enumerate() {
            if comments[i] {
                bytes.extend_from_slice(format!(": heartbeat{eol}").as_bytes());
            }
            bytes.extend_from_slice(format!("event: {name}{eol}").as_bytes());
            for line in data {
                bytes.extend_from_slice(format!("data: {line}{eol}").as_bytes());
            }
            bytes.extend_from_slice(eol.as_bytes());
        }
        let whole = decode(&[&bytes], 1 << 20).unwrap();
        prop_assert_eq!(whole.len(), events.len());
        for (frame, (name, data, _)) in whole.iter().zip(&events) {
            prop_assert_eq!(frame.event.as_deref(), Some(name.as_str()));
            // Only the one space after `data:` is dropped; the value keeps its own spaces.
            prop_assert_eq!(&frame.data, &data.join("\n"));
        }
        let chunks = split(&bytes, &cuts);
        prop_assert_eq!(decode(&chunks, 1 << 20).unwrap(), whole.clone());
        // Every frame is out as soon as its last line break is in, before the stream ends:
        // nothing waits for a byte that may never come (a CR may end the last line).
        prop_assert_eq!(decode_unfinished(&chunks, 1 << 20, Feed::Copied).unwrap(), whole.clone());
        for feed in [Feed::Shared, Feed::Mixed(&shared)] {
            prop_assert_eq!(decode_fed(&chunks, 1 << 20, feed).unwrap(), whole.clone());
            prop_assert_eq!(decode_unfinished(&chunks, 1 << 20, feed).unwrap(), whole.clone());
        }
    }
}

/// Like [`decode_fed`], without ever calling `finish`.
fn decode_unfinished(chunks: &[&[u8]], max: usize, feed: Feed<'_>) -> Result<Vec<SseFrame>> {
    let mut d = SseDecoder::new(max);
    let mut out = Vec::new();
    push_all(&mut d, chunks, feed, &mut out)?;
    Ok(out)
}

#[test]
fn a_frame_whole_in_a_shared_chunk_is_read_in_place() {
    let chunk = bytes::Bytes::from_static(b"event: RunContent\r\ndata: {\"a\":1}\r\n\r\ndata: cut");
    let range = chunk.as_ptr_range();
    let mut d = SseDecoder::new(1024);
    d.push_bytes(chunk.clone());
    let f = d.next_frame_ref().unwrap().unwrap();
    assert_eq!((f.event_name(), f.data), ("RunContent", "{\"a\":1}"));
    assert!(
        range.contains(&f.data.as_ptr()),
        "the data is the chunk's own bytes"
    );
    // A line cut by the chunk's end waits for the next one, which completes it (the LF of
    // its CRLF included).
    assert!(d.next_frame_ref().unwrap().is_none());
    d.push_bytes(bytes::Bytes::from_static(b" here\r"));
    assert!(d.next_frame_ref().unwrap().is_none());
    d.push_bytes(bytes::Bytes::from_static(b"\n\r\n"));
    assert_eq!(d.next_frame_ref().unwrap().unwrap().data, "cut here");
}

#[test]
fn shared_chunks_keep_the_byte_order_mark_and_the_frame_limit() {
    // A byte order mark split over three chunks is dropped.
    let mut d = SseDecoder::new(64);
    for b in [&b"\xEF"[..], b"\xBB", b"\xBFdata: x\n\n"] {
        d.push_bytes(bytes::Bytes::copy_from_slice(b));
    }
    assert_eq!(d.next_frame_ref().unwrap().unwrap().data, "x");
    // A line that never ends is refused once it passes the limit, chunk after chunk: the
    // decoder does not keep more than that.
    let mut d = SseDecoder::new(64);
    let mut refused = false;
    for _ in 0..10 {
        d.push_bytes(bytes::Bytes::from_static(&[b'x'; 16]));
        match d.next_frame_ref() {
            Ok(None) => {}
            Err(Error::TooLarge { limit: 64, .. }) => {
                refused = true;
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(refused);
}
