//! A server-sent-events decoder that follows the specification (WHATWG HTML, "event stream
//! interpretation"): lines end in CRLF, LF or CR; comments are skipped; `data:` lines are
//! joined with `\n`; a frame is dispatched on a blank line; a leading BOM is dropped; an
//! unterminated frame at the end of the stream is discarded. Invalid UTF-8 is an error, and
//! so is a frame larger than the configured limit.
//!
//! A frame is delivered as soon as its last line break has arrived, whatever the line
//! endings: a CR ends a line at once (an LF right after it, even in the next chunk, is the
//! rest of the same line break), so a CR-only stream is never held back waiting for a byte
//! that may not come.
//!
//! It returns raw frames; the area crates give them types.

use std::sync::Arc;

use bytes::{Buf, BytesMut};
use futures::{Stream, StreamExt};

use crate::error::{Error, Result};
use crate::transport::ByteStream;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SseFrame {
    /// The `event:` field, when one was given.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last event id seen on the stream, when any. Shared by every frame until the next
    /// `id:` line, so a long id costs its bytes once, not once per frame.
    pub id: Option<Arc<str>>,
    /// The `retry:` field of this frame, in milliseconds.
    pub retry: Option<u64>,
}

impl SseFrame {
    /// The event name, `message` when none was given (as the specification says).
    pub fn event_name(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An incremental decoder: push bytes as they arrive, take frames as they complete.
///
/// ```
/// use agentos_core::sse::SseDecoder;
/// let mut d = SseDecoder::new(1024);
/// d.push(b"event: RunContent\r\ndata: {\"a\"");
/// assert!(d.next_frame().unwrap().is_none());
/// d.push(b":1}\r\n\r\n");
/// let f = d.next_frame().unwrap().unwrap();
/// assert_eq!(f.event.as_deref(), Some("RunContent"));
/// assert_eq!(f.data, "{\"a\":1}");
/// ```
#[derive(Debug)]
pub struct SseDecoder {
    buf: BytesMut,
    scanned: usize,
    started: bool,
    eof: bool,
    /// The last line ended with a CR: an LF that comes next belongs to that line break.
    after_cr: bool,
    event: Option<String>,
    data: String,
    data_lines: usize,
    last_id: Option<Arc<str>>,
    retry: Option<u64>,
    max_frame: usize,
}

impl SseDecoder {
    /// A decoder that refuses frames larger than `max_frame` bytes.
    pub fn new(max_frame: usize) -> Self {
        SseDecoder {
            buf: BytesMut::new(),
            scanned: 0,
            started: false,
            eof: false,
            after_cr: false,
            event: None,
            data: String::new(),
            data_lines: 0,
            last_id: None,
            retry: None,
            max_frame,
        }
    }

    /// Adds bytes from the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// Marks the end of the stream: a last line without a line break is then complete.
    pub fn finish(&mut self) {
        self.eof = true;
    }

    fn too_large(&self) -> Error {
        Error::TooLarge {
            what: "SSE frame",
            limit: self.max_frame,
        }
    }

    /// The next complete frame, or `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<SseFrame>> {
        if !self.started {
            let n = self.buf.len().min(BOM.len());
            if self.buf[..n] != BOM[..n] {
                self.started = true;
            } else if n == BOM.len() {
                self.buf.advance(BOM.len());
                self.started = true;
            } else if self.eof {
                self.started = true;
            } else {
                return Ok(None);
            }
        }
        loop {
            if self.after_cr && !self.buf.is_empty() {
                // The LF of a CRLF whose CR ended the previous line (maybe in another chunk).
                if self.buf[0] == b'\n' {
                    self.buf.advance(1);
                }
                self.after_cr = false;
            }
            let found = memchr::memchr2(b'\n', b'\r', &self.buf[self.scanned..]);
            let Some(rel) = found else {
                self.scanned = self.buf.len();
                if self.eof && !self.buf.is_empty() {
                    // A last line without a line break.
                    let line = self.buf.split().freeze();
                    self.scanned = 0;
                    if let Some(frame) = self.line(&line)? {
                        return Ok(Some(frame));
                    }
                    continue;
                }
                if self.buf.len() + self.data.len() > self.max_frame {
                    return Err(self.too_large());
                }
                return Ok(None);
            };
            let at = self.scanned + rel;
            let brk = if self.buf[at] == b'\r' {
                match self.buf.get(at + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    None => {
                        // The line ends here; an LF in the next chunk completes the break.
                        self.after_cr = true;
                        1
                    }
                }
            } else {
                1
            };
            let line = self.buf.split_to(at + brk).freeze();
            self.scanned = 0;
            if let Some(frame) = self.line(&line[..at])? {
                return Ok(Some(frame));
            }
        }
    }

    fn line(&mut self, line: &[u8]) -> Result<Option<SseFrame>> {
        if line.is_empty() {
            return Ok(self.dispatch());
        }
        if line[0] == b':' {
            return Ok(None);
        }
        let line = std::str::from_utf8(line)
            .map_err(|e| Error::Sse(format!("invalid UTF-8 in the event stream: {e}")))?;
        let (field, value) = match line.find(':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_frame {
                    return Err(self.too_large());
                }
                if self.data_lines > 0 {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.data_lines += 1;
            }
            // The same id again keeps the one already shared.
            "id" if !value.contains('\0') && self.last_id.as_deref() != Some(value) => {
                self.last_id = Some(Arc::from(value));
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok();
            }
            _ => {}
        }
        Ok(None)
    }

    fn dispatch(&mut self) -> Option<SseFrame> {
        let retry = self.retry.take();
        let event = self.event.take();
        if self.data_lines == 0 {
            return None;
        }
        self.data_lines = 0;
        Some(SseFrame {
            event,
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
            retry,
        })
    }
}

/// A stream of SSE frames decoded from a byte stream. Errors of the byte stream are passed
/// on and end it. Dropping it drops the byte stream (closing the connection).
pub struct SseStream {
    body: ByteStream,
    dec: SseDecoder,
    done: bool,
}

impl std::fmt::Debug for SseStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SseStream")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Stream for SseStream {
    type Item = Result<SseFrame>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match this.dec.next_frame() {
                Ok(Some(f)) => return Poll::Ready(Some(Ok(f))),
                Ok(None) if this.dec.eof => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Ok(None) => {}
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
            match this.body.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.dec.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => this.dec.finish(),
            }
        }
    }
}

/// Decodes a byte stream into SSE frames, refusing frames over `max_frame` bytes.
pub fn frames(body: ByteStream, max_frame: usize) -> SseStream {
    SseStream {
        body,
        dec: SseDecoder::new(max_frame),
        done: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Result<Vec<SseFrame>> {
        let mut d = SseDecoder::new(1 << 20);
        let mut out = Vec::new();
        for c in chunks {
            d.push(c);
            while let Some(f) = d.next_frame()? {
                out.push(f);
            }
        }
        d.finish();
        while let Some(f) = d.next_frame()? {
            out.push(f);
        }
        Ok(out)
    }

    const AGNO: &[u8] = b"event: RunStarted\ndata: {\"event\":\"RunStarted\",\"run_id\":\"r1\"}\n\n: heartbeat\n\nevent: RunContent\ndata: {\"event\":\"RunContent\",\"content\":\"h\xc3\xa9llo \"}\n\nevent: RunCompleted\ndata: {\"event\":\"RunCompleted\",\"content\":\"done\"}\n\n";

    #[test]
    fn agno_stream_decodes() {
        let frames = decode_all(&[AGNO]).unwrap();
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].event.as_deref(), Some("RunStarted"));
        assert_eq!(
            frames[1].data,
            "{\"event\":\"RunContent\",\"content\":\"héllo \"}"
        );
        assert_eq!(frames[2].event_name(), "RunCompleted");
    }

    #[test]
    fn split_at_every_byte_position_gives_the_same_frames() {
        let whole = decode_all(&[AGNO]).unwrap();
        for i in 0..=AGNO.len() {
            for j in i..=AGNO.len() {
                let got = decode_all(&[&AGNO[..i], &AGNO[i..j], &AGNO[j..]]).unwrap();
                assert_eq!(got, whole, "split at {i}/{j}");
            }
        }
    }

    #[test]
    fn crlf_and_cr_line_endings() {
        let lf = decode_all(&[b"event: a\ndata: 1\n\n"]).unwrap();
        let crlf = decode_all(&[b"event: a\r\ndata: 1\r\n\r\n"]).unwrap();
        let cr = decode_all(&[b"event: a\rdata: 1\r\r"]).unwrap();
        assert_eq!(lf, crlf);
        assert_eq!(lf, cr);
        assert_eq!(lf.len(), 1);
        // CRLF split between chunks must not produce an extra blank line.
        let split = decode_all(&[b"event: a\r", b"\ndata: 1\r", b"\n\r", b"\n"]).unwrap();
        assert_eq!(split, lf);
    }

    #[test]
    fn a_frame_ending_in_cr_is_delivered_without_waiting_for_the_next_byte() {
        let mut d = SseDecoder::new(1024);
        d.push(b"data: 1\r\r");
        assert_eq!(d.next_frame().unwrap().unwrap().data, "1");
        // The LF that may follow a CR in the next chunk is not an extra blank line.
        d.push(b"\ndata: 2\r");
        assert_eq!(d.next_frame().unwrap(), None);
        d.push(b"\n");
        assert_eq!(d.next_frame().unwrap(), None);
        d.push(b"\r");
        assert_eq!(d.next_frame().unwrap().unwrap().data, "2");
        d.push(b"\n\ndata: 3\n\n");
        // `\r` `\n` was one break; the next `\n` is a blank line that dispatches nothing.
        assert_eq!(d.next_frame().unwrap().unwrap().data, "3");
        assert_eq!(d.next_frame().unwrap(), None);
    }

    #[test]
    fn one_id_is_shared_by_the_frames_that_follow_it() {
        let f = decode_all(&[b"id: 7\ndata: a\n\ndata: b\n\nid: 7\ndata: c\n\nid: 8\ndata: d\n\n"])
            .unwrap();
        let ids: Vec<_> = f.iter().map(|f| f.id.clone().unwrap()).collect();
        assert!(Arc::ptr_eq(&ids[0], &ids[1]));
        assert!(
            Arc::ptr_eq(&ids[1], &ids[2]),
            "the same id again is not copied"
        );
        assert_eq!(&*ids[3], "8");
    }

    #[test]
    fn multi_line_data_comments_and_fields() {
        let f = decode_all(&[
            b": comment\ndata:first\ndata: second\ndata\nid: 7\nretry: 1500\nunknown: x\n\n",
        ])
        .unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, "first\nsecond\n");
        assert_eq!(f[0].event, None);
        assert_eq!(f[0].event_name(), "message");
        assert_eq!(f[0].id.as_deref(), Some("7"));
        assert_eq!(f[0].retry, Some(1500));
    }

    #[test]
    fn frames_without_data_are_not_dispatched_and_bom_is_dropped() {
        let f = decode_all(&[b"\xEF\xBB", b"\xBFevent: only\n\ndata: x\n\n"]).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].event, None);
        assert_eq!(f[0].data, "x");
    }

    #[test]
    fn unterminated_frame_at_eof_is_discarded() {
        let f = decode_all(&[b"data: complete\n\ndata: partial"]).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].data, "complete");
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let e = decode_all(&[b"data: \xff\xfe\n\n"]).unwrap_err();
        assert!(matches!(e, Error::Sse(_)), "{e:?}");
    }

    #[test]
    fn oversized_frames_are_refused() {
        let mut d = SseDecoder::new(16);
        d.push(b"data: 0123456789\ndata: 0123456789\n\n");
        assert!(matches!(d.next_frame(), Err(Error::TooLarge { .. })));
        let mut d = SseDecoder::new(16);
        d.push(&[b'x'; 64]);
        assert!(matches!(d.next_frame(), Err(Error::TooLarge { .. })));
    }

    #[tokio::test]
    async fn stream_adapter_passes_errors_on() {
        let chunks: Vec<Result<bytes::Bytes>> = vec![
            Ok(bytes::Bytes::from_static(b"data: 1\n\n")),
            Err(Error::Sse("cut".into())),
        ];
        let body: ByteStream = Box::pin(futures::stream::iter(chunks));
        let got: Vec<_> = frames(body, 1024).collect().await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap().data, "1");
        assert!(got[1].is_err());
    }
}
