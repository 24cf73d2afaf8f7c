//! Output: one JSON document (`--json`) or human text (tables, key/value lines), colors only
//! on a terminal, and the error report (`error:` + `hint:`) with its exit code.
//!
//! Every byte of human output goes through one sink, [`write_spans`]: a line is a list of
//! [`Span`]s, each one's text escaped by [`escape_controls`] (text from the server or the model
//! can never control the terminal) and then wrapped in our own style, if any. JSON goes through
//! [`json_text`], which escapes the same characters as `\uXXXX` (still valid JSON that decodes to
//! the original text).

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use serde::Serialize;
use serde_json::Value;
/// Exit codes (documented in `agentos --help`).
pub mod code {
    /// Success.
    pub const OK: u8 = 0;
    /// An error: the server refused the call, could not be reached, or a local file failed.
    pub const ERROR: u8 = 1;
    /// Bad usage (clap's own code for a bad command line).
    pub const USAGE: u8 = 2;
    /// A run paused for a human, and no one could be asked (not interactive).
    pub const PAUSED: u8 = 3;
    /// A run failed on the server (the model or a tool failed).
    pub const RUN_FAILED: u8 = 4;
    /// Interrupted (Ctrl-C): a streamed run was cancelled on the server (128 + SIGINT).
    pub const INTERRUPTED: u8 = 130;
    /// Stdout was closed early (`agentos ... | head`): 128 + SIGPIPE, what a shell reports for
    /// a tool the signal ended. A streamed run is cancelled on the server first.
    pub const BROKEN_PIPE: u8 = 141;
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal only (and not when `NO_COLOR` is set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How the output is written.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// One JSON document on stdout (JSON lines for run streams).
    pub json: bool,
    /// Colors on stdout.
    pub color: bool,
    /// Colors on stderr.
    pub err_color: bool,
    /// The width tables fit in: the terminal's (`COLUMNS` when set), none on a pipe.
    pub width: Option<usize>,
}

/// The width of the terminal on stdout: `COLUMNS` when set, else asked of the terminal;
/// `None` when stdout is not a terminal (a pipe gets whole lines).
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    from_env
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .filter(|w| *w > 0)
}

/// Narrows `widths` (each column's widest cell) until the row fits in `max` with two spaces
/// between columns: the widest column loses first, none below `floor` characters.
fn fit(widths: &mut [usize], max: usize, floor: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(widths) > max {
        let Some((i, w)) = widths.iter().copied().enumerate().max_by_key(|(_, w)| *w) else {
            return;
        };
        if w <= floor {
            return;
        }
        widths[i] = w - 1;
    }
}

/// Whether `NO_COLOR` asks for no colors: set to a non-empty value (no-color.org).
fn no_color(v: Option<std::ffi::OsString>) -> bool {
    v.is_some_and(|v| !v.is_empty())
}

impl Out {
    pub fn new(json: bool, choice: ColorChoice) -> Out {
        let allowed = |tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color(std::env::var_os("NO_COLOR")),
        };
        Out {
            json,
            color: allowed(std::io::stdout().is_terminal()),
            err_color: allowed(std::io::stderr().is_terminal()),
            width: terminal_width(),
        }
    }

    /// Prints `value` as JSON (`--json`), or calls `human` with its JSON form.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&Value)) -> Result<(), Failure> {
        let v = encode(value)?;
        if self.json {
            or_exit(write_raw(To::Stdout, &json_text(&v, true), true));
        } else {
            human(&v);
        }
        Ok(())
    }

    /// Reports a done action on one item: `{"<verb>": id}` with `--json`, else
    /// `<verb> <what> <id>` (e.g. `deleted session s1`).
    pub fn acted(&self, verb: &str, what: &str, id: &str) -> Result<(), Failure> {
        self.emit(&serde_json::json!({ verb: id }), |_| {
            self.print(&[plain(format!("{verb} {what} {id}"))])
        })
    }

    /// Writes one compact JSON line (streams) and flushes; the error tells a closed stdout.
    pub fn json_line(&self, v: &Value) -> std::io::Result<()> {
        write_raw(To::Stdout, &json_text(v, false), true)
    }

    /// Prints one compact JSON line; a closed stdout ends the process quietly with
    /// [`code::BROKEN_PIPE`].
    pub fn print_json_line(&self, v: &Value) {
        or_exit(self.json_line(v));
    }

    /// Prints a line of spans on stdout (escaped, styled when colors are on). A closed stdout
    /// ends the process quietly with [`code::BROKEN_PIPE`].
    pub fn print(&self, spans: &[Span]) {
        or_exit(write_spans(To::Stdout, self.color, spans, true));
    }

    /// Prints a line of spans on stderr (escaped, styled when colors are on).
    pub fn eprint(&self, spans: &[Span]) {
        let _ = write_spans(To::Stderr, self.err_color, spans, true);
    }

    /// Writes a piece of streamed text on stdout as it is (escaped; no newline added) and
    /// flushes; the error tells a closed stdout, for the caller to stop what feeds it.
    pub fn stream_text(&self, text: &str) -> std::io::Result<()> {
        write_spans(To::Stdout, false, &[plain(text)], false)
    }

    /// Prints a table of `rows` (JSON objects) with `cols` = (header, dotted path).
    pub fn table(&self, rows: &[Value], cols: &[(&str, &str)]) {
        if rows.is_empty() {
            self.print(&[dim("(none)")]);
            return;
        }
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                cols.iter()
                    .enumerate()
                    .map(|(i, (_, p))| {
                        if let Some(h) = for_people(p, path(r, p), true) {
                            return h;
                        }
                        // The last column is not cut: nothing follows it.
                        if i + 1 == cols.len() {
                            full_cell(path(r, p))
                        } else {
                            cell(path(r, p))
                        }
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = cols.iter().map(|(h, _)| h.chars().count()).collect();
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        if let Some(max) = self.width {
            fit(&mut widths, max, 6);
        }
        let cells: Vec<Vec<String>> = cells
            .into_iter()
            .map(|row| {
                row.iter()
                    .zip(&widths)
                    .map(|(c, w)| shorten(c, *w))
                    .collect()
            })
            .collect();
        let header: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|((h, _), w)| format!("{:<w$}", shorten(h, *w)))
            .collect();
        self.print(&[bold(header.join("  ").trim_end().to_owned())]);
        for row in cells {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            self.print(&[plain(line.join("  ").trim_end().to_owned())]);
        }
    }

    /// Prints `label: value` with the label in bold.
    pub fn labelled(&self, label: &str, value: &str) {
        self.print(&[bold(format!("{label}:")), plain(" "), plain(value)]);
    }

    /// Prints `key: value` lines: the given keys in order (skipping absent and null ones), or
    /// every scalar field when `keys` is empty.
    pub fn fields(&self, v: &Value, keys: &[&str]) {
        let pairs: Vec<(String, &Value)> = if keys.is_empty() {
            match v.as_object() {
                Some(o) => o
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (escape_controls(k).into_owned(), v))
                    .collect(),
                None => vec![(String::new(), v)],
            }
        } else {
            keys.iter()
                .map(|k| ((*k).to_owned(), path(v, k)))
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .collect()
        };
        let width = pairs
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, val) in pairs {
            let label = format!("{:<width$}", format!("{k}:"), width = width + 1);
            let shown = for_people(&k, val, false).unwrap_or_else(|| long_cell(val));
            self.print(&[bold(label), plain(" "), plain(shown)]);
        }
    }

    /// `Page` meta as a dim line: `page 1 of 3 (25 in all)`.
    pub fn page_meta(&self, v: &Value) {
        let meta = &v["meta"];
        if meta.is_object() {
            let n = |k: &str| {
                meta[k]
                    .as_u64()
                    .map(|n| n.to_string())
                    .unwrap_or("?".into())
            };
            self.print(&[dim(format!(
                "page {} of {} ({} in all)",
                n("page"),
                n("total_pages"),
                n("total_count")
            ))]);
        }
    }
}

/// A piece of a line of human output: text from anywhere (escaped when written) in one of our
/// styles.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    style: anstyle::Style,
    text: Cow<'a, str>,
}

/// Text without a style.
pub fn plain<'a>(text: impl Into<Cow<'a, str>>) -> Span<'a> {
    styled(anstyle::Style::new(), text)
}

/// Bold text (labels, headers).
pub fn bold<'a>(text: impl Into<Cow<'a, str>>) -> Span<'a> {
    styled(anstyle::Style::new().bold(), text)
}

/// Dimmed text (meta lines, ids).
pub fn dim<'a>(text: impl Into<Cow<'a, str>>) -> Span<'a> {
    styled(anstyle::Style::new().dimmed(), text)
}

/// Text in `style`.
pub fn styled<'a>(style: anstyle::Style, text: impl Into<Cow<'a, str>>) -> Span<'a> {
    Span {
        style,
        text: text.into(),
    }
}

/// Where human output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Stdout,
    Stderr,
}

/// The one sink of human output: writes `spans` to `to` (each text escaped by
/// [`escape_controls`], then styled when `color` is on), a newline when `newline`, and
/// flushes.
pub fn write_spans(to: To, color: bool, spans: &[Span], newline: bool) -> std::io::Result<()> {
    let mut line = String::new();
    for s in spans {
        let text = escape_controls(&s.text);
        if color && s.style != anstyle::Style::new() {
            line.push_str(&format!("{}{text}{:#}", s.style, s.style));
        } else {
            line.push_str(&text);
        }
    }
    write_raw(to, &line, newline)
}

/// Writes text that is safe already (escaped spans, JSON from [`json_text`]) and flushes.
fn write_raw(to: To, text: &str, newline: bool) -> std::io::Result<()> {
    fn put(mut w: impl Write, text: &str, newline: bool) -> std::io::Result<()> {
        w.write_all(text.as_bytes())?;
        if newline {
            w.write_all(b"\n")?;
        }
        w.flush()
    }
    match to {
        To::Stdout => put(std::io::stdout().lock(), text, newline),
        To::Stderr => put(std::io::stderr().lock(), text, newline),
    }
}

/// Ends the process quietly with [`code::BROKEN_PIPE`] when stdout was closed (the reader
/// went away: nothing more can be shown); other write errors are ignored, as `println!`
/// would not report them either.
fn or_exit(r: std::io::Result<()>) {
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(code::BROKEN_PIPE.into());
        }
    }
}

/// Whether stdout is a pipe or socket whose reader went away (`agentos ... | head` after
/// `head` ended), asked without writing: lets a quiet stream notice before its next write.
#[cfg(unix)]
pub fn stdout_closed() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let stdout = std::io::stdout();
    let mut fds = [PollFd::new(&stdout, PollFlags::empty())];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match rustix::event::poll(&mut fds, Some(&now)) {
        // A pipe with no reader left polls as an error; a closed socket as a hang-up.
        Ok(n) if n > 0 => fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP),
        _ => false,
    }
}

/// Without a way to ask, a closed stdout is noticed on the next write.
#[cfg(not(unix))]
pub fn stdout_closed() -> bool {
    false
}

/// Prints `text` plus a newline on stderr without styles (prompts).
pub fn eprint_plain(text: &str) {
    let _ = write_spans(To::Stderr, false, &[plain(text)], true);
}

/// Prints `text` on stderr without a newline (a question before its answer).
pub fn eprint_prompt(text: &str) {
    let _ = write_spans(To::Stderr, false, &[plain(text)], false);
}

/// Whether a character must not reach a terminal as it is: C0 controls but `\n` and `\t`,
/// DEL, C1 controls (U+0080..U+009F: 8-bit CSI, OSC, ...), and the bidirectional controls that
/// reorder what is shown (embeddings, overrides, isolates, marks).
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// The one sanitiser of text for a terminal: every [`is_unsafe_char`] becomes the visible
/// `\u{XX}` (its code point in hex: ESC is `\u{1b}`, CR `\u{d}`, the 8-bit CSI `\u{9b}`, a
/// right-to-left override `\u{202e}`). Each character is escaped on its own, so a sequence cut
/// across two writes (stream deltas) is neutralised all the same.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `v` as JSON text (pretty or one line), with every [`is_unsafe_char`] in strings written as
/// a `\uXXXX` escape: valid JSON that decodes to the same text, and safe on a terminal
/// (serde_json itself leaves DEL, C1 and bidi controls raw).
pub fn json_text(v: &Value, pretty: bool) -> String {
    let mut buf = Vec::new();
    let r = if pretty {
        v.serialize(&mut serde_json::Serializer::with_formatter(
            &mut buf,
            SafeJson(serde_json::ser::PrettyFormatter::new()),
        ))
    } else {
        v.serialize(&mut serde_json::Serializer::with_formatter(
            &mut buf,
            SafeJson(serde_json::ser::CompactFormatter),
        ))
    };
    match (r, String::from_utf8(buf)) {
        (Ok(()), Ok(s)) => s,
        _ => String::from("null"),
    }
}

/// The layout methods of a formatter, passed on to the inner one (`first:` those that take
/// whether the value is the first).
macro_rules! delegate_layout {
    ($($m:ident),*; first: $($f:ident),*) => {
        $(fn $m<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
            self.0.$m(w)
        })*
        $(fn $f<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
            self.0.$f(w, first)
        })*
    };
}

/// A JSON formatter that escapes [`is_unsafe_char`]s in strings as `\uXXXX` and leaves the
/// layout to `F`.
struct SafeJson<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeJson<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(i) = rest.find(is_unsafe_char) {
            w.write_all(&rest.as_bytes()[..i])?;
            let c = rest[i..].chars().next().unwrap_or_default();
            // Every unsafe character is in the BMP: one `\uXXXX` each.
            write!(w, "\\u{:04x}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
    delegate_layout!(
        begin_array,
        end_array,
        end_array_value,
        begin_object,
        end_object,
        begin_object_value,
        end_object_value;
        first: begin_array_value,
        begin_object_key
    );
}

/// A spinner on stderr while waiting (drawn only when stderr is a terminal).
pub fn spinner(msg: impl Into<String>) -> indicatif::ProgressBar {
    let pb =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(escape_controls(&msg.into()).into_owned());
    pb.enable_steady_tick(std::time::Duration::from_millis(90));
    pb
}

static NULL: Value = Value::Null;

/// The value at a dotted path (`model.id`, `tools.0.name`).
pub fn path<'a>(v: &'a Value, p: &str) -> &'a Value {
    let mut cur = v;
    for part in p.split('.') {
        cur = match cur {
            Value::Object(o) => o.get(part).unwrap_or(&NULL),
            Value::Array(a) => part
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(&NULL),
            _ => &NULL,
        };
    }
    cur
}

/// A short one-line cell: strings as they are, null as `-`, the rest as compact JSON; at
/// most 60 characters, controls escaped (so the width is what the terminal shows).
pub fn cell(v: &Value) -> String {
    let s = match v {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.iter().all(|x| x.is_string()) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    shorten(&one_line(&s), 60)
}

/// `s` on one line: line breaks and tabs as spaces, other controls escaped.
fn one_line(s: &str) -> String {
    escape_controls(&s.replace(['\n', '\r', '\t'], " ")).into_owned()
}

/// A one-line cell that is not cut.
fn full_cell(v: &Value) -> String {
    match v {
        Value::String(s) => one_line(s),
        other => cell(other),
    }
}

/// A value for a `key: value` line: strings whole, other values as compact JSON (cut at
/// 300 characters).
fn long_cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => shorten(&other.to_string(), 300),
    }
}

/// A size in binary units: `512 B`, `1.5 KiB`, `3.4 MiB`, `2.0 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    // Lossy only far past any size shown here; one decimal is kept.
    #[allow(clippy::cast_precision_loss)]
    let mut v = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

/// A duration for people: `850 ms`, `1.2 s`, `2 min 5 s`, `1 h 3 min`.
pub fn duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else if ms < 3_600_000 {
        format!("{} min {} s", ms / 60_000, (ms / 1000) % 60)
    } else {
        format!("{} h {} min", ms / 3_600_000, (ms / 60_000) % 60)
    }
}

/// A value in people's units, by its field's name: times (`*_at`) relative in a list
/// (`3 min ago`) or local with their offset, sizes (`size`, `size_bytes`) in binary units.
/// `None` when the field is not one of these, or its value does not read as one.
fn for_people(field: &str, v: &Value, in_list: bool) -> Option<String> {
    let name = field.rsplit('.').next().unwrap_or(field);
    if name.ends_with("_at") {
        timestamp(v)?;
        return Some(if in_list { ago(v) } else { local_time(v) });
    }
    if matches!(name, "size" | "size_bytes") {
        return v.as_u64().map(bytes);
    }
    None
}

/// A time from the server: epoch seconds or an ISO-8601 string.
pub fn timestamp(v: &Value) -> Option<agentos::Timestamp> {
    match v {
        Value::Number(n) => agentos::Timestamp::parse(&n.to_string()),
        Value::String(s) => agentos::Timestamp::parse(s),
        _ => None,
    }
}

/// A time from the server as epoch seconds, for sorting (`0` when absent).
pub fn epoch(v: &Value) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    timestamp(v).map_or(0.0, |t| t.unix_seconds() as f64)
}

/// A time in local time with its offset: `2026-12-02 09:15:04 +01:00` (`-` when absent).
pub fn local_time(v: &Value) -> String {
    match timestamp(v) {
        Some(t) => t
            .as_datetime()
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        None => "-".into(),
    }
}

/// A time relative to now, for lists: `just now`, `42 s ago`, `3 min ago`, `5 h ago`,
/// `2 days ago`, and the local date past a month (`-` when absent).
pub fn ago(v: &Value) -> String {
    let Some(t) = timestamp(v) else {
        return "-".into();
    };
    let secs = agentos::Timestamp::now().unix_seconds() - t.unix_seconds();
    match secs {
        s if s < -86_400 => local_time(v),
        s if s < -3600 => format!("in {} h", -s / 3600),
        s if s < -60 => format!("in {} min", -s / 60),
        s if s < 5 => "just now".into(),
        s if s < 60 => format!("{s} s ago"),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3600),
        s if s < 2 * 86_400 => "yesterday".into(),
        s if s < 31 * 86_400 => format!("{} days ago", s / 86_400),
        _ => local_time(v).chars().take(10).collect(),
    }
}

pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max || max == 0 {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A value as the JSON this tool prints.
pub fn encode<T: Serialize>(value: &T) -> Result<Value, Failure> {
    serde_json::to_value(value)
        .map_err(|e| Failure::new(code::ERROR, format!("cannot encode the output: {e}")))
}

/// A failure: a message, an optional hint and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
    pub status: Option<u16>,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
            hint: None,
            status: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// A failure that prints nothing (stdout was closed: no one reads the report).
    pub fn quiet(code: u8) -> Failure {
        Failure::new(code, "")
    }

    /// Prints the failure on stderr: `error:` and `hint:`, or with `--json` one JSON object
    /// on one line (`{"error": {"message", "status", "hint", "exit_code"}}`). Stdout keeps
    /// only results. A [`Failure::quiet`] prints nothing.
    pub fn report(&self, out: &Out) {
        if self.message.is_empty() {
            return;
        }
        if out.json {
            let doc = serde_json::json!({"error": {
                "message": self.message,
                "status": self.status,
                "hint": self.hint,
                "exit_code": self.code,
            }});
            let _ = write_raw(To::Stderr, &json_text(&doc, false), true);
            return;
        }
        let red = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        let yellow = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into()));
        out.eprint(&[styled(red, "error:"), plain(" "), plain(&self.message)]);
        if let Some(h) = &self.hint {
            out.eprint(&[styled(yellow, "hint:"), plain(" "), plain(h)]);
        }
    }
}

/// The hint of a 404: names what was not found (the last `{..._id}` of the route) and the
/// command that lists them.
fn not_found_hint(route: &str) -> String {
    let mut segments = route.trim_start_matches('/').split('/');
    let area = segments.next().unwrap_or_default();
    let noun = route
        .rsplit('/')
        .find_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|p| p.trim_end_matches("_id").replace('_', " "));
    let list = match area {
        "eval-runs" => "evals",
        "memory_topics" | "user_memory_stats" => "memories",
        "trace_session_stats" => "traces",
        a => a,
    };
    let listed = matches!(
        list,
        "agents"
            | "teams"
            | "workflows"
            | "sessions"
            | "memories"
            | "knowledge"
            | "traces"
            | "evals"
            | "learnings"
            | "schedules"
            | "approvals"
            | "components"
            | "service-accounts"
            | "filesystem"
    );
    match (noun.as_deref(), listed) {
        (Some("run"), _) => {
            "no such run here: check the run and session ids (`agentos sessions runs \
             SESSION_ID` lists a session's runs)"
                .into()
        }
        (Some(n), true) => {
            format!("no such {n}: check the id (`agentos {list} list` shows them)")
        }
        (Some(n), false) => format!("no such {n}: check the id"),
        (None, _) => format!("{route} was not found: is the server's version older?"),
    }
}

/// `url` with any `user:password@` replaced by `[redacted]@` (safe to print).
pub fn redact_userinfo(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}[redacted]{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

impl From<agentos::Error> for Failure {
    fn from(e: agentos::Error) -> Failure {
        use agentos::Error;
        match &e {
            Error::Http(h) => {
                let status = h.status.as_u16();
                let detail = h
                    .message()
                    .or_else(|| h.detail.as_ref().map(|d| d.to_string()))
                    .unwrap_or_else(|| {
                        if h.body.is_empty() {
                            h.status.canonical_reason().unwrap_or("").to_owned()
                        } else {
                            shorten(&h.body, 500)
                        }
                    });
                let mut f = Failure::new(
                    code::ERROR,
                    format!("{detail} (HTTP {status} from {} {})", h.method, h.route),
                );
                f.status = Some(status);
                f.hint = match status {
                    401 => Some(
                        "this AgentOS requires a key: set AGENTOS_SECURITY_KEY or pass --token"
                            .into(),
                    ),
                    403 => Some("the token is valid but lacks the scope for this call".into()),
                    404 => Some(not_found_hint(&h.route)),
                    409 => Some("the resource is busy or in a conflicting state".into()),
                    422 | 400 => Some("the server refused the arguments; see the detail".into()),
                    429 => Some("rate limited: wait and try again".into()),
                    503 => Some(
                        "this AgentOS does not serve this area (not configured on the server)"
                            .into(),
                    ),
                    s if s >= 500 => Some("the server failed; its log has the details".into()),
                    _ => None,
                };
                f
            }
            Error::RemoteServerUnavailable { base_url, .. } => {
                // The SDK's message has the URL as given, user:password included.
                let shown = redact_userinfo(base_url);
                let message = with_causes(&e).replace(base_url.as_str(), &shown);
                Failure::new(code::ERROR, message).hint(format!(
                    "is AgentOS running at {shown}? Set --url or AGENTOS_URL"
                ))
            }
            Error::Timeout { .. } => Failure::new(code::ERROR, with_causes(&e))
                .hint("raise the limit with --timeout SECONDS"),
            Error::Run(r) => {
                let mut f =
                    Failure::new(code::RUN_FAILED, format!("the run failed: {}", r.message));
                if let Some(id) = &r.run_id {
                    f.hint = Some(format!(
                        "run {id}: the model or a tool failed on the server"
                    ));
                }
                f
            }
            Error::File { .. } => Failure::new(code::ERROR, with_causes(&e))
                .hint("check the path and its permissions"),
            Error::InvalidRequest(m) => Failure::new(code::USAGE, format!("invalid request: {m}")),
            _ => Failure::new(code::ERROR, with_causes(&e)),
        }
    }
}

/// The error and each of its causes, joined with `: ` (an SDK error prints its cause in
/// its `source()`, not in its own message).
fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        next = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(
            redact_userinfo("http://user:s3cret@host:1/p@x?q=a@b"),
            "http://[redacted]@host:1/p@x?q=a@b"
        );
        assert_eq!(redact_userinfo("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact_userinfo("nonsense"), "nonsense");
    }

    #[test]
    fn controls_are_escaped_visibly_and_text_is_kept() {
        assert!(matches!(
            escape_controls("plain\ttext\né"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_controls("a\u{1b}]0;t\u{7}b\u{9b}2Jc\u{202e}d\re\u{7f}"),
            "a\\u{1b}]0;t\\u{7}b\\u{9b}2Jc\\u{202e}d\\u{d}e\\u{7f}"
        );
        // Cut across two writes, each half is neutralised on its own.
        let (a, b) = ("x\u{1b}", "]52;c;AAAA\u{7}");
        assert_eq!(
            format!("{}{}", escape_controls(a), escape_controls(b)),
            escape_controls(&format!("{a}{b}"))
        );
        for c in [
            '\u{0}', '\u{1f}', '\u{80}', '\u{9f}', '\u{2066}', '\u{2069}', '\u{200f}',
        ] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['\n', '\t', ' ', '~', '\u{a0}', 'é', '\u{2070}', '\u{202f}'] {
            assert!(!is_unsafe_char(c), "{c:?}");
        }
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_decodes_to_the_same_text() {
        let text = "a\u{1b}[2J\u{7f}\u{9b}\u{9d}\u{202e}\u{2069}é\"\\\n";
        let v = json!({ text: [text, 1, null], "k": {"n": text} });
        for pretty in [false, true] {
            let out = json_text(&v, pretty);
            assert!(!out.chars().any(is_unsafe_char), "{out}");
            assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
            assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), v);
        }
        // The layout is serde_json's own.
        assert_eq!(
            json_text(&json!({"a": [1]}), true),
            serde_json::to_string_pretty(&json!({"a": [1]})).unwrap()
        );
        assert_eq!(json_text(&json!({"a": [1]}), false), r#"{"a":[1]}"#);
    }

    #[test]
    fn table_cells_are_escaped_before_they_are_measured() {
        assert_eq!(cell(&json!("a\u{1b}[2Jb\tc")), "a\\u{1b}[2Jb c");
        assert_eq!(full_cell(&json!("x\u{9b}y")), "x\\u{9b}y");
        assert_eq!(
            long_cell(&json!("x\u{9b}y")),
            "x\u{9b}y",
            "escaped when written"
        );
    }

    #[test]
    fn no_color_means_a_non_empty_value() {
        assert!(!no_color(None));
        assert!(!no_color(Some("".into())));
        assert!(no_color(Some("1".into())));
    }
    use serde_json::json;

    #[test]
    fn paths_and_cells() {
        let v = json!({"a": {"b": [1, {"c": "x\ny"}]}, "s": ["p", "q"]});
        assert_eq!(path(&v, "a.b.0"), &json!(1));
        assert_eq!(cell(path(&v, "a.b.1.c")), "x y");
        assert_eq!(cell(path(&v, "a.missing")), "-");
        assert_eq!(cell(path(&v, "s")), "p,q");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }

    #[test]
    fn times_are_local_with_their_offset_or_relative() {
        let now = agentos::Timestamp::now().unix_seconds();
        assert_eq!(ago(&json!(now - 180)), "3 min ago");
        assert_eq!(ago(&json!(now - 7200)), "2 h ago");
        assert_eq!(ago(&json!(now - 3 * 86_400)), "3 days ago");
        assert_eq!(ago(&json!(now + 600)), "in 10 min");
        assert_eq!(ago(&json!(null)), "-");
        assert_eq!(
            for_people("created_at", &json!(now - 180), true).unwrap(),
            "3 min ago"
        );
        assert_eq!(
            for_people("size", &json!(3_565_158), true).unwrap(),
            "3.4 MiB"
        );
        assert_eq!(for_people("name", &json!("x"), true), None);
        assert_eq!(
            for_people("updated_at", &json!("soon"), true),
            None,
            "kept as it is"
        );
        assert_eq!(ago(&json!("not a time")), "-");
        let t = local_time(&json!("2026-01-02T03:04:05Z"));
        // The offset is always shown: `+HH:MM` or `-HH:MM`.
        assert_eq!(t.len(), "2026-01-02 03:04:05 +00:00".len(), "{t}");
        assert!(t.starts_with("2026-01-0"), "{t}");
        assert!(matches!(&t[20..21], "+" | "-"), "{t}");
        assert_eq!(local_time(&json!(1_767_323_045)), t);
    }

    #[test]
    fn tables_fit_the_width_widest_column_first() {
        let mut w = vec![10, 40, 8];
        fit(&mut w, 40, 6);
        assert_eq!(w.iter().sum::<usize>() + 4, 40, "{w:?}");
        assert_eq!(w, vec![10, 18, 8]);
        // Never below the floor, even when it cannot fit.
        let mut w = vec![10, 10];
        fit(&mut w, 5, 6);
        assert_eq!(w, vec![6, 6]);
    }

    #[test]
    fn sizes_and_durations_in_human_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3_565_158), "3.4 MiB");
        assert!(bytes(u64::MAX).ends_with("PiB"));
        let d = std::time::Duration::from_millis;
        assert_eq!(duration(d(850)), "850 ms");
        assert_eq!(duration(d(1200)), "1.2 s");
        assert_eq!(duration(d(125_000)), "2 min 5 s");
        assert_eq!(duration(d(3_780_000)), "1 h 3 min");
    }

    #[test]
    fn http_errors_get_a_hint_and_code() {
        assert_eq!(
            not_found_hint("/agents/{agent_id}"),
            "no such agent: check the id (`agentos agents list` shows them)"
        );
        assert_eq!(
            not_found_hint("/eval-runs/{eval_run_id}"),
            "no such eval run: check the id (`agentos evals list` shows them)"
        );
        assert!(not_found_hint("/agents/{agent_id}/runs/{run_id}").contains("sessions runs"));
        let e = agentos::Error::InvalidRequest("x".into());
        let f = Failure::from(e);
        assert_eq!(f.code, code::USAGE);
        let run = agentos::Error::Run(Box::new(agentos::RunFailure::new("boom")));
        let f = Failure::from(run);
        assert_eq!(f.code, code::RUN_FAILED);
        assert!(f.message.contains("boom"));
    }
}
