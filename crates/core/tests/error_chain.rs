//! Every error variant reads well in a report (anyhow's `{:?}`, eyre's, or the chain joined
//! with `: `): each level prints its own part only, as the Rust convention asks (a variant
//! either prints its cause or returns it from `source()`, never both), nothing prints
//! `Some(..)` or `None`, and the cause at the bottom is still in the chain.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use agentos_core::http::{HeaderMap, Method, StatusCode};
use agentos_core::{
    AgentOsClient, BoxError, Error, HttpError, RedirectRefusal, RunFailure, SecretUrl,
};

/// A lower-layer error with a cause of its own, as the HTTP stack nests them
/// ("error sending request" > "tcp connect error" > the OS error).
#[derive(Debug)]
struct Layer {
    message: &'static str,
    source: Box<dyn StdError + Send + Sync>,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl StdError for Layer {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

/// `error sending request` > `tcp connect error` > an OS error of `kind`.
fn nested(kind: std::io::ErrorKind, os_message: &'static str) -> BoxError {
    Box::new(Layer {
        message: "error sending request",
        source: Box::new(Layer {
            message: "tcp connect error",
            source: Box::new(std::io::Error::new(kind, os_message)),
        }),
    })
}

/// The messages of the chain: `e`, `e.source()`, and so on down.
fn chain(e: &(dyn StdError + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        out.push(cause.to_string());
        next = cause.source();
    }
    out
}

/// The report as anyhow prints `{:?}` of an error.
fn report(e: &(dyn StdError + 'static)) -> String {
    let levels = chain(e);
    let mut out = levels[0].clone();
    if levels.len() > 1 {
        out.push_str("\n\nCaused by:");
        for (i, cause) in levels[1..].iter().enumerate() {
            out.push_str(&format!("\n    {i}: {cause}"));
        }
    }
    out
}

/// Checks the chain of `e`: no level repeats the text of a level below it, no `Some(` or
/// `None` leaks into a message, and `leaf` (the innermost cause, when there is one) is the
/// last level.
fn assert_reads_well(name: &str, e: &Error, leaf: Option<&str>) {
    let levels = chain(e);
    let shown = report(e);
    for (i, upper) in levels.iter().enumerate() {
        assert!(
            !upper.trim().is_empty(),
            "{name}: level {i} is empty:\n{shown}"
        );
        assert!(
            !upper.contains("Some(") && !upper.contains("None"),
            "{name}: level {i} prints an Option:\n{shown}"
        );
        for lower in &levels[i + 1..] {
            assert!(
                !upper.contains(lower.as_str()),
                "{name}: {upper:?} repeats its cause {lower:?}:\n{shown}"
            );
        }
    }
    match leaf {
        Some(leaf) => assert_eq!(
            levels.last().map(String::as_str),
            Some(leaf),
            "{name}: the innermost cause is lost:\n{shown}"
        ),
        None => assert_eq!(levels.len(), 1, "{name}: unexpected causes:\n{shown}"),
    }
}

fn http_error(status: u16, body: &str) -> HttpError {
    HttpError::from_response(
        StatusCode::from_u16(status).unwrap(),
        Method::GET,
        "/agents/{agent_id}",
        &HeaderMap::new(),
        body.as_bytes(),
    )
}

fn io(kind: std::io::ErrorKind, message: &'static str) -> std::io::Error {
    std::io::Error::new(kind, message)
}

#[test]
fn every_variant_prints_each_part_of_its_chain_once() {
    use std::io::ErrorKind;
    let decode = serde_json::from_str::<Vec<u8>>("{\"x\":").unwrap_err();
    let decode_text = decode.to_string();
    let failure = RunFailure::new("the model failed");
    let cases: Vec<(&str, Error, Option<&str>)> = vec![
        (
            "InvalidRequest",
            Error::InvalidRequest("an id must not be empty".into()),
            None,
        ),
        (
            "File",
            Error::File {
                path: PathBuf::from("/tmp/cat.png"),
                source: io(ErrorKind::NotFound, "No such file or directory"),
            },
            Some("No such file or directory"),
        ),
        (
            "FileWrite",
            Error::FileWrite {
                path: PathBuf::from("/tmp/out.bin"),
                source: io(ErrorKind::PermissionDenied, "Permission denied"),
            },
            Some("Permission denied"),
        ),
        (
            "RemoteServerUnavailable",
            Error::RemoteServerUnavailable {
                base_url: "http://127.0.0.1:9".into(),
                source: nested(
                    ErrorKind::ConnectionRefused,
                    "Connection refused (os error 111)",
                ),
            },
            Some("Connection refused (os error 111)"),
        ),
        (
            "Tls",
            Error::Tls {
                base_url: "https://agentos.internal".into(),
                source: nested(
                    ErrorKind::InvalidData,
                    "invalid peer certificate: UnknownIssuer",
                ),
            },
            Some("invalid peer certificate: UnknownIssuer"),
        ),
        (
            "Timeout",
            Error::Timeout {
                method: Method::GET,
                route: "/config".into(),
                after: Duration::from_secs(60),
            },
            None,
        ),
        (
            "Http",
            Error::Http(Box::new(http_error(404, r#"{"detail":"Agent not found"}"#))),
            None,
        ),
        (
            "Http (raw body)",
            Error::Http(Box::new(http_error(502, "<html>bad gateway</html>"))),
            None,
        ),
        (
            "Decode",
            Error::Decode {
                method: Method::GET,
                route: "/config".into(),
                body: "{\"x\":".into(),
                body_len: 5,
                source: decode,
            },
            Some(decode_text.as_str()),
        ),
        (
            "Connection",
            Error::Connection {
                method: Method::POST,
                route: "/agents/{agent_id}/runs".into(),
                source: nested(ErrorKind::ConnectionReset, "Connection reset by peer"),
            },
            Some("Connection reset by peer"),
        ),
        (
            "TooLarge",
            Error::TooLarge {
                what: "response body",
                limit: 1024,
            },
            None,
        ),
        ("Sse", Error::Sse("a frame is not UTF-8".into()), None),
        (
            "StreamTruncated (run known)",
            Error::StreamTruncated {
                run_id: Some("r1".into()),
                session_id: Some("s1".into()),
                events: 3,
                last_event_index: Some(2),
                partial_content: "Once upon".into(),
            },
            None,
        ),
        (
            "StreamTruncated (run unknown)",
            Error::StreamTruncated {
                run_id: None,
                session_id: None,
                events: 0,
                last_event_index: None,
                partial_content: String::new(),
            },
            None,
        ),
        ("Run", Error::Run(Box::new(failure)), None),
        (
            "JobFailed",
            Error::JobFailed {
                what: "knowledge content 123".into(),
                message: "the reader failed".into(),
            },
            None,
        ),
        (
            "WaitTimeout",
            Error::WaitTimeout {
                what: "run r1".into(),
                waited: Duration::from_secs(30),
            },
            None,
        ),
        (
            "NotEventStream",
            Error::NotEventStream {
                method: Method::POST,
                route: "/agents/{agent_id}/runs".into(),
                status: StatusCode::OK,
                content_type: "application/json".into(),
                body: r#"{"content":"not a stream"}"#.into(),
            },
            None,
        ),
        (
            "TooManyJsonValues",
            Error::TooManyJsonValues {
                method: Method::GET,
                route: "/sessions".into(),
                limit: 250_000,
            },
            None,
        ),
        (
            "Redirect",
            Error::Redirect {
                method: Method::POST,
                route: "/agents/{agent_id}/runs".into(),
                status: StatusCode::TEMPORARY_REDIRECT,
                location: SecretUrl::new("https://user:pw@other.example/runs?sig=s3cret"),
                reason: RedirectRefusal::BodyToOtherOrigin,
            },
            None,
        ),
        (
            "Transport",
            Error::Transport(nested(ErrorKind::Other, "the proxy closed the tunnel")),
            Some("the proxy closed the tunnel"),
        ),
    ];
    for (name, e, leaf) in &cases {
        assert_reads_well(name, e, *leaf);
        println!("{name}:\n{}\n", report(e));
    }
}

#[test]
fn stream_truncated_names_the_run_or_nothing() {
    let known = Error::StreamTruncated {
        run_id: Some("r1".into()),
        session_id: None,
        events: 3,
        last_event_index: None,
        partial_content: String::new(),
    };
    assert_eq!(
        known.to_string(),
        "the stream of run r1 ended before a terminal event (3 events received)"
    );
    let unknown = Error::StreamTruncated {
        run_id: None,
        session_id: None,
        events: 0,
        last_event_index: None,
        partial_content: String::new(),
    };
    assert_eq!(
        unknown.to_string(),
        "the stream ended before a terminal event (0 events received)"
    );
}

#[test]
fn an_unreachable_server_says_why_on_the_top_line() {
    let e = Error::RemoteServerUnavailable {
        base_url: "http://127.0.0.1:9".into(),
        source: nested(std::io::ErrorKind::ConnectionRefused, "os says no"),
    };
    assert_eq!(
        e.to_string(),
        "AgentOS at http://127.0.0.1:9 is unavailable (connection refused)"
    );
    // A reason the chain does not tell is left out rather than guessed.
    let e = Error::RemoteServerUnavailable {
        base_url: "http://127.0.0.1:9".into(),
        source: "something else".into(),
    };
    assert_eq!(
        e.to_string(),
        "AgentOS at http://127.0.0.1:9 is unavailable"
    );
}

/// The chain that the real transport builds for a refused connection (a port that was just
/// closed) reads well too, and its top line says why.
#[cfg(feature = "reqwest")]
#[tokio::test]
async fn a_refused_connection_of_the_real_transport_reads_well() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = AgentOsClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(agentos_core::RetryPolicy::none())
        .build()
        .unwrap();
    let e = tokio::time::timeout(Duration::from_secs(20), client.health())
        .await
        .expect("a refused connection fails at once")
        .unwrap_err();
    assert!(matches!(e, Error::RemoteServerUnavailable { .. }), "{e:?}");
    let levels = chain(&e);
    assert!(
        levels[0].ends_with("is unavailable (connection refused)"),
        "{}",
        report(&e)
    );
    assert!(levels.len() > 1, "the cause is kept: {}", report(&e));
    let leaf = levels.last().unwrap().to_lowercase();
    assert!(leaf.contains("refused"), "{}", report(&e));
    assert_reads_well(
        "real RemoteServerUnavailable",
        &e,
        Some(levels.last().unwrap()),
    );
    println!("{}", report(&e));
}
