//! Output: one JSON document (`--json`) or human text (tables, key/value lines), colors only
//! on a terminal, and the error report (`error:` + `hint:`) with its exit code.

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
        }
    }

    /// Prints `value` as JSON (`--json`), or calls `human` with its JSON form.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&Value)) -> Result<(), Failure> {
        let v = encode(value)?;
        if self.json {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        } else {
            human(&v);
        }
        Ok(())
    }

    /// Reports a done action on one item: `{"<verb>": id}` with `--json`, else
    /// `<verb> <what> <id>` (e.g. `deleted session s1`).
    pub fn acted(&self, verb: &str, what: &str, id: &str) -> Result<(), Failure> {
        self.emit(&serde_json::json!({ verb: id }), |_| {
            println!("{verb} {what} {id}")
        })
    }

    /// Prints one compact JSON line (streams).
    pub fn json_line(&self, v: &Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{v}");
        let _ = stdout.flush();
    }

    pub fn bold(&self, s: &str) -> String {
        paint(self.color, anstyle::Style::new().bold(), s)
    }

    pub fn dim(&self, s: &str) -> String {
        paint(self.color, anstyle::Style::new().dimmed(), s)
    }

    pub fn err_style(&self, s: &str, style: anstyle::Style) -> String {
        paint(self.err_color, style, s)
    }

    /// Prints a table of `rows` (JSON objects) with `cols` = (header, dotted path).
    pub fn table(&self, rows: &[Value], cols: &[(&str, &str)]) {
        if rows.is_empty() {
            println!("{}", self.dim("(none)"));
            return;
        }
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                cols.iter()
                    .enumerate()
                    .map(|(i, (_, p))| {
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
        let header: Vec<String> = cols
            .iter()
            .zip(&widths)
            .map(|((h, _), w)| format!("{h:<w$}"))
            .collect();
        println!("{}", self.bold(header.join("  ").trim_end()));
        for row in cells {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            println!("{}", line.join("  ").trim_end());
        }
    }

    /// Prints `key: value` lines: the given keys in order (skipping absent and null ones), or
    /// every scalar field when `keys` is empty.
    pub fn fields(&self, v: &Value, keys: &[&str]) {
        let pairs: Vec<(String, &Value)> = if keys.is_empty() {
            match v.as_object() {
                Some(o) => o
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v))
                    .collect(),
                None => vec![(String::new(), v)],
            }
        } else {
            keys.iter()
                .map(|k| ((*k).to_owned(), path(v, k)))
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .collect()
        };
        let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, val) in pairs {
            let label = format!("{:<width$}", format!("{k}:"), width = width + 1);
            println!("{} {}", self.bold(&label), long_cell(val));
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
            println!(
                "{}",
                self.dim(&format!(
                    "page {} of {} ({} in all)",
                    n("page"),
                    n("total_pages"),
                    n("total_count")
                ))
            );
        }
    }
}

/// A spinner on stderr while waiting (drawn only when stderr is a terminal).
pub fn spinner(msg: impl Into<String>) -> indicatif::ProgressBar {
    let pb =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(msg.into());
    pb.enable_steady_tick(std::time::Duration::from_millis(90));
    pb
}

fn paint(on: bool, style: anstyle::Style, s: &str) -> String {
    if on {
        format!("{style}{s}{style:#}")
    } else {
        s.to_owned()
    }
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
/// most 60 characters.
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
    shorten(&s.replace(['\n', '\r'], " "), 60)
}

/// A one-line cell that is not cut.
fn full_cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.replace(['\n', '\r'], " "),
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

pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
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

    /// Prints the failure: `error:` and `hint:` on stderr, and with `--json` one JSON
    /// document on stdout too.
    pub fn report(&self, out: &Out) {
        if out.json {
            let doc = serde_json::json!({"error": {
                "message": self.message,
                "status": self.status,
                "hint": self.hint,
                "exit_code": self.code,
            }});
            // One line: it may follow the JSON lines of a streamed run.
            println!("{doc}");
        }
        let red = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        let yellow = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into()));
        eprintln!("{} {}", out.err_style("error:", red), self.message);
        if let Some(h) = &self.hint {
            eprintln!("{} {h}", out.err_style("hint:", yellow));
        }
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
                    404 => Some("check the id (the matching `list` command shows them)".into()),
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
    fn http_errors_get_a_hint_and_code() {
        let e = agentos::Error::InvalidRequest("x".into());
        let f = Failure::from(e);
        assert_eq!(f.code, code::USAGE);
        let run = agentos::Error::Run(Box::new(agentos::RunFailure::new("boom")));
        let f = Failure::from(run);
        assert_eq!(f.code, code::RUN_FAILED);
        assert!(f.message.contains("boom"));
    }
}
