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

use bytes::{Buf, Bytes, BytesMut};
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

/// A frame borrowed from its decoder, valid until the decoder is used again: the zero-copy
/// form of [`SseFrame`] (the data of a one-line frame is not even copied out of the
/// received bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseFrameRef<'a> {
    /// The `event:` field, when one was given.
    pub event: Option<&'a str>,
    /// The `data:` lines joined with `\n`.
    pub data: &'a str,
    /// The last event id seen on the stream, when any.
    pub id: Option<&'a Arc<str>>,
    /// The `retry:` field of this frame, in milliseconds.
    pub retry: Option<u64>,
}

impl SseFrameRef<'_> {
    /// The event name, `message` when none was given (as the specification says).
    pub fn event_name(&self) -> &str {
        self.event.unwrap_or("message")
    }

    /// An owned copy.
    pub fn to_owned_frame(&self) -> SseFrame {
        SseFrame {
            event: self.event.map(str::to_owned),
            data: self.data.to_owned(),
            id: self.id.cloned(),
            retry: self.retry,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The length of the line break at `at` in `bytes` (CR, LF or CRLF), and whether it is a CR
/// that ends the bytes (an LF at the start of the next bytes then completes it).
fn line_break(bytes: &[u8], at: usize) -> (usize, bool) {
    if bytes[at] != b'\r' {
        return (1, false);
    }
    match bytes.get(at + 1) {
        Some(b'\n') => (2, false),
        Some(_) => (1, false),
        None => (1, true),
    }
}

fn utf8(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes)
        .map_err(|e| Error::Sse(format!("invalid UTF-8 in the event stream: {e}")))
}

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
    /// Received bytes not read yet, copied: a line begun in an earlier chunk, or what
    /// [`push`](Self::push) was given. They come before `chunk`.
    buf: BytesMut,
    /// How much of `buf` holds no line break.
    scanned: usize,
    /// The rest of the chunk given to [`push_bytes`](Self::push_bytes): lines are cut from
    /// it without a copy while `buf` is empty.
    chunk: Bytes,
    started: bool,
    eof: bool,
    /// The last line ended with a CR: an LF that comes next belongs to that line break.
    after_cr: bool,
    /// The `event:` value of the frame being read (its buffer is reused frame after frame).
    event: String,
    has_event: bool,
    /// The value of the frame's first `data:` line, as received (checked as UTF-8 when the
    /// frame is delivered): a one-line frame is never copied.
    first_data: Bytes,
    /// The data joined so far, once the frame has a second `data:` line.
    data: String,
    data_lines: usize,
    /// The length of the joined data so far.
    data_len: usize,
    last_id: Option<Arc<str>>,
    retry: Option<u64>,
    /// A frame is complete: it stays in the fields above until the next call.
    ready: bool,
    max_frame: usize,
}

impl SseDecoder {
    /// A decoder that refuses frames larger than `max_frame` bytes.
    pub fn new(max_frame: usize) -> Self {
        SseDecoder {
            buf: BytesMut::new(),
            scanned: 0,
            chunk: Bytes::new(),
            started: false,
            eof: false,
            after_cr: false,
            event: String::new(),
            has_event: false,
            first_data: Bytes::new(),
            data: String::new(),
            data_lines: 0,
            data_len: 0,
            last_id: None,
            retry: None,
            ready: false,
            max_frame,
        }
    }

    /// Adds bytes from the stream (copied; [`push_bytes`](Self::push_bytes) shares them).
    pub fn push(&mut self, chunk: &[u8]) {
        self.spill();
        self.buf.extend_from_slice(chunk);
    }

    /// Adds a chunk received from the stream, without copying it: the frames it holds
    /// whole are read from it in place; only a line cut by the chunk's end is copied, to
    /// be joined with the next chunk.
    ///
    /// ```
    /// use agentos_core::sse::SseDecoder;
    /// let mut d = SseDecoder::new(1024);
    /// d.push_bytes(bytes::Bytes::from_static(b"data: one\n\ndata: t"));
    /// assert_eq!(d.next_frame_ref().unwrap().unwrap().data, "one");
    /// assert!(d.next_frame_ref().unwrap().is_none());
    /// d.push_bytes(bytes::Bytes::from_static(b"wo\n\n"));
    /// assert_eq!(d.next_frame_ref().unwrap().unwrap().data, "two");
    /// ```
    pub fn push_bytes(&mut self, chunk: Bytes) {
        self.spill();
        self.chunk = chunk;
    }

    /// Moves the unread rest of the last chunk to `buf`, behind which more bytes go.
    fn spill(&mut self) {
        if !self.chunk.is_empty() {
            self.buf.extend_from_slice(&self.chunk);
            self.chunk = Bytes::new();
        }
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
        Ok(self.next_frame_ref()?.map(|f| f.to_owned_frame()))
    }

    /// The next complete frame, borrowed from the decoder (no allocation), or `None` when
    /// more bytes are needed.
    ///
    /// ```
    /// use agentos_core::sse::SseDecoder;
    /// let mut d = SseDecoder::new(1024);
    /// d.push(b"event: RunContent\ndata: {\"content\":\"hi\"}\n\n");
    /// let f = d.next_frame_ref().unwrap().unwrap();
    /// assert_eq!((f.event_name(), f.data), ("RunContent", "{\"content\":\"hi\"}"));
    /// ```
    pub fn next_frame_ref(&mut self) -> Result<Option<SseFrameRef<'_>>> {
        if self.advance()? {
            self.current().map(Some)
        } else {
            Ok(None)
        }
    }

    /// The complete frame [`advance`](Self::advance) stopped at.
    fn current(&self) -> Result<SseFrameRef<'_>> {
        let data = if self.data_lines == 1 {
            utf8(&self.first_data)?
        } else {
            self.data.as_str()
        };
        Ok(SseFrameRef {
            event: self.has_event.then_some(self.event.as_str()),
            data,
            id: self.last_id.as_ref(),
            retry: self.retry,
        })
    }

    /// Forgets the frame delivered last. The buffers are kept for the next frame, unless a
    /// large frame grew them: a long stream does not hold on to its largest frame.
    fn clear_frame(&mut self) {
        const KEEP: usize = 64 * 1024;
        self.ready = false;
        self.has_event = false;
        self.event.clear();
        self.first_data = Bytes::new();
        self.data.clear();
        if self.data.capacity() > KEEP {
            self.data = String::new();
        }
        if self.event.capacity() > KEEP {
            self.event = String::new();
        }
        self.data_lines = 0;
        self.data_len = 0;
        self.retry = None;
    }

    /// Reads lines until a frame is complete (`true`: it is in the decoder's fields until
    /// the next call) or more bytes are needed (`false`).
    fn advance(&mut self) -> Result<bool> {
        if self.ready {
            self.clear_frame();
        }
        if !self.started && self.buf.is_empty() && self.chunk.len() >= BOM.len() {
            if self.chunk.starts_with(BOM) {
                self.chunk.advance(BOM.len());
            }
            self.started = true;
        }
        if !self.started {
            // The first bytes came in pieces: they are joined in `buf` to look for a mark.
            self.spill();
            let n = self.buf.len().min(BOM.len());
            if self.buf[..n] != BOM[..n] {
                self.started = true;
            } else if n == BOM.len() {
                self.buf.advance(BOM.len());
                self.started = true;
            } else if self.eof {
                self.started = true;
            } else {
                return Ok(false);
            }
        }
        loop {
            if self.after_cr {
                // The LF of a CRLF whose CR ended the previous line (maybe in another chunk).
                if let Some(&first) = self.buf.first() {
                    if first == b'\n' {
                        self.buf.advance(1);
                    }
                    self.after_cr = false;
                } else if let Some(&first) = self.chunk.first() {
                    if first == b'\n' {
                        self.chunk.advance(1);
                    }
                    self.after_cr = false;
                }
            }
            // (`buf` is most often empty: each line is then cut from the chunk.)
            let unscanned = &self.buf[self.scanned..];
            let in_buf = if unscanned.is_empty() {
                None
            } else {
                memchr::memchr2(b'\n', b'\r', unscanned)
            };
            let found = match in_buf {
                None if !self.chunk.is_empty() => {
                    let in_chunk = memchr::memchr2(b'\n', b'\r', &self.chunk);
                    if let (true, Some(at)) = (self.buf.is_empty(), in_chunk) {
                        // A line whole in the chunk: cut from it without a copy.
                        let (brk, cr_at_end) = line_break(&self.chunk, at);
                        self.after_cr = cr_at_end;
                        let mut line = self.chunk.split_to(at + brk);
                        line.truncate(at);
                        if self.line(line)? {
                            return Ok(true);
                        }
                        continue;
                    }
                    // A line begun earlier: joined with the chunk up to its break (or with the
                    // whole chunk, when it has none), then cut from `buf` below.
                    let take =
                        in_chunk.map_or(self.chunk.len(), |at| at + line_break(&self.chunk, at).0);
                    self.scanned = self.buf.len();
                    self.buf.extend_from_slice(&self.chunk[..take]);
                    self.chunk.advance(take);
                    in_chunk
                }
                found => found,
            };
            let Some(rel) = found else {
                self.scanned = self.buf.len();
                if self.eof && !self.buf.is_empty() {
                    // A last line without a line break.
                    let line = self.buf.split().freeze();
                    self.scanned = 0;
                    if self.line(line)? {
                        return Ok(true);
                    }
                    continue;
                }
                if self.buf.len() + self.data_len > self.max_frame {
                    return Err(self.too_large());
                }
                return Ok(false);
            };
            let at = self.scanned + rel;
            let (brk, cr_at_end) = line_break(&self.buf, at);
            self.after_cr = cr_at_end;
            let mut line = self.buf.split_to(at + brk).freeze();
            line.truncate(at);
            self.scanned = 0;
            if self.line(line)? {
                return Ok(true);
            }
        }
    }

    /// Takes one line (without its break); `true` when it completed a frame.
    fn line(&mut self, line: Bytes) -> Result<bool> {
        if line.is_empty() {
            return Ok(self.dispatch());
        }
        if line[0] == b':' {
            return Ok(false);
        }
        let (field, value) = match memchr::memchr(b':', &line) {
            Some(i) => {
                let v = if line.get(i + 1) == Some(&b' ') {
                    i + 2
                } else {
                    i + 1
                };
                (&line[..i], line.slice(v..))
            }
            None => (&line[..], Bytes::new()),
        };
        match field {
            b"data" => {
                if self.data_len + value.len() + 1 > self.max_frame {
                    return Err(self.too_large());
                }
                let joined = self.data_len + usize::from(self.data_lines > 0) + value.len();
                match self.data_lines {
                    0 => self.first_data = value,
                    1 => {
                        let first = std::mem::take(&mut self.first_data);
                        self.data.push_str(utf8(&first)?);
                        self.data.push('\n');
                        self.data.push_str(utf8(&value)?);
                    }
                    _ => {
                        self.data.push('\n');
                        self.data.push_str(utf8(&value)?);
                    }
                }
                self.data_len = joined;
                self.data_lines += 1;
            }
            b"event" => {
                let value = utf8(&value)?;
                self.event.clear();
                self.event.push_str(value);
                self.has_event = true;
            }
            b"id" => {
                let value = utf8(&value)?;
                // The same id again keeps the one already shared.
                if !value.contains('\0') && self.last_id.as_deref() != Some(value) {
                    self.last_id = Some(Arc::from(value));
                }
            }
            b"retry" => {
                let value = utf8(&value)?;
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    self.retry = value.parse().ok();
                }
            }
            _ => {
                // Ignored, but still a line of the stream: it must be text.
                utf8(&line)?;
            }
        }
        Ok(false)
    }

    /// A blank line: the frame is complete when it has data; otherwise its fields are
    /// dropped.
    fn dispatch(&mut self) -> bool {
        if self.data_lines == 0 {
            self.has_event = false;
            self.event.clear();
            self.retry = None;
            return false;
        }
        self.ready = true;
        true
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

impl SseStream {
    /// The next frame, borrowed from the stream (no allocation; valid until the next call),
    /// for decoders that read it in place. [`Stream::poll_next`] gives owned frames.
    pub fn poll_next_ref(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<SseFrameRef<'_>>>> {
        use std::task::Poll;
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            match self.dec.advance() {
                Ok(true) => break,
                Ok(false) if self.dec.eof => {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Ok(false) => {}
                Err(e) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
            match self.body.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.dec.push_bytes(chunk),
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => self.dec.finish(),
            }
        }
        match self.dec.current() {
            Ok(frame) => Poll::Ready(Some(Ok(frame))),
            Err(e) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

impl Stream for SseStream {
    type Item = Result<SseFrame>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.poll_next_ref(cx)
            .map(|f| f.map(|f| f.map(|f| f.to_owned_frame())))
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
    fn invalid_utf8_in_any_data_line_or_field_is_an_error() {
        for bad in [
            &b"data: ok\ndata: \xff\n\n"[..],
            b"data: \xff\ndata: ok\n\n",
            b"event: \xff\ndata: ok\n\n",
            b"id: \xff\ndata: ok\n\n",
            b"retry: \xff\ndata: ok\n\n",
            b"unknown: \xff\ndata: ok\n\n",
        ] {
            let e = decode_all(&[bad]).unwrap_err();
            assert!(matches!(e, Error::Sse(_)), "{bad:?}: {e:?}");
        }
    }

    #[tokio::test]
    async fn borrowed_frames_are_the_owned_ones_and_keep_nothing_of_the_last() {
        let chunks: Vec<Result<bytes::Bytes>> = AGNO
            .chunks(7)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect();
        let mut s = frames(Box::pin(futures::stream::iter(chunks)), 1024);
        let mut got = Vec::new();
        while let Some(f) = futures::future::poll_fn(|cx| {
            s.poll_next_ref(cx)
                .map(|f| f.map(|f| f.map(|f| f.to_owned_frame())))
        })
        .await
        {
            got.push(f.unwrap());
        }
        assert_eq!(got, decode_all(&[AGNO]).unwrap());
        // A frame without an `event:` line after one with it: the name is not carried over.
        let mut d = SseDecoder::new(1024);
        d.push(b"event: a\nretry: 5\ndata: 1\n\ndata: 2\n\n");
        assert_eq!(d.next_frame_ref().unwrap().unwrap().event, Some("a"));
        let f = d.next_frame_ref().unwrap().unwrap();
        assert_eq!((f.event, f.data, f.retry), (None, "2", None));
    }

    #[test]
    fn a_large_frame_does_not_stay_in_the_decoders_buffers() {
        let mut d = SseDecoder::new(1 << 20);
        let line = "x".repeat(200 * 1024);
        d.push(format!("event: {line}\ndata: {line}\ndata: {line}\n\ndata: 1\n\n").as_bytes());
        assert_eq!(
            d.next_frame_ref().unwrap().unwrap().data.len(),
            2 * line.len() + 1
        );
        assert_eq!(d.next_frame_ref().unwrap().unwrap().data, "1");
        assert!(d.data.capacity() <= 64 * 1024 && d.event.capacity() <= 64 * 1024);
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
