//! Every request emits one span with OpenTelemetry-style attributes, and no secret reaches
//! the logs, whatever the level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use agentos_core::AgentOsClient;
use agentos_core::mock::{self, MockTransport};
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn request_spans_carry_attributes_and_no_secrets() {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut t = MockTransport::new();
    t.expect_send()
        .returning(|_| Ok(mock::error(404, "Agent not found")));
    let client = AgentOsClient::builder()
        .base_url("http://agentos.test:7777")
        .bearer_token("tr4ce-s3cret")
        .transport(t)
        .build()
        .unwrap();
    tracing::debug!(client = ?client, "built");
    let _ = client
        .get_agent("a1")
        .header("authorization", "Bearer c4ll-s3cret")
        .await;

    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    for needle in [
        "agentos.request",
        "http.request.method=GET",
        "url.template=/agents/{agent_id}",
        "server.address=agentos.test",
        "server.port=7777",
        "http.response.status_code=404",
        "otel.kind=\"client\"",
        "duration_ms=",
    ] {
        assert!(out.contains(needle), "missing {needle} in:\n{out}");
    }
    // OpenTelemetry's HTTP conventions: the resend count only on a resend.
    assert!(!out.contains("resend_count"), "{out}");
    assert!(!out.contains("tr4ce-s3cret"), "{out}");
    assert!(!out.contains("c4ll-s3cret"), "{out}");
}

#[test]
fn a_token_over_plain_http_to_a_remote_host_is_warned_about() {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let build = |url: &str, token: Option<&str>| {
        let mut b = AgentOsClient::builder()
            .base_url(url)
            .transport(MockTransport::new());
        if let Some(t) = token {
            b = b.bearer_token(t);
        }
        b.build().unwrap();
    };
    build("http://localhost:7777", Some("k1"));
    build("http://127.0.0.1:7777", Some("k2"));
    build("https://agentos.example.com", Some("k3"));
    build("http://agentos.example.com", None);
    assert!(
        buf.0.lock().unwrap().is_empty(),
        "no warning for safe setups"
    );
    build("http://agentos.example.com", Some("w4rn-s3cret"));
    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(out.contains("WARN"), "{out}");
    assert!(out.contains("plain http"), "{out}");
    assert!(out.contains("agentos.example.com"), "{out}");
    assert!(!out.contains("w4rn-s3cret"), "{out}");
}
