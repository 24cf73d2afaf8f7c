//! Property tests of the SSE decoder: arbitrary bytes split anywhere never panic, and a valid
//! stream decodes to the same frames however it is split.

use agentos_core::sse::{SseDecoder, SseFrame};
use agentos_core::{Error, Result};
use proptest::prelude::*;

/// Pushes the chunks one by one, taking the frames out after each.
fn push_all(d: &mut SseDecoder, chunks: &[&[u8]], out: &mut Vec<SseFrame>) -> Result<()> {
    for c in chunks {
        d.push(c);
        while let Some(f) = d.next_frame()? {
            out.push(f);
        }
    }
    Ok(())
}

fn decode(chunks: &[&[u8]], max: usize) -> Result<Vec<SseFrame>> {
    let mut d = SseDecoder::new(max);
    let mut out = Vec::new();
    push_all(&mut d, chunks, &mut out)?;
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
                                   cuts in prop::collection::vec(any::<usize>(), 0..16)) {
        let chunks = split(&bytes, &cuts);
        match decode(&chunks, 512) {
            Ok(_) | Err(Error::Sse(_)) | Err(Error::TooLarge { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    #[test]
    fn valid_streams_decode_the_same_however_split(
        events in prop::collection::vec(event(), 1..12),
        comments in prop::collection::vec(any::<bool>(), 12),
        cuts in prop::collection::vec(any::<usize>(), 0..24),
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
        prop_assert_eq!(decode_unfinished(&chunks, 1 << 20).unwrap(), whole);
    }
}

/// Like [`decode`], without ever calling `finish`.
fn decode_unfinished(chunks: &[&[u8]], max: usize) -> Result<Vec<SseFrame>> {
    let mut d = SseDecoder::new(max);
    let mut out = Vec::new();
    push_all(&mut d, chunks, &mut out)?;
    Ok(out)
}
