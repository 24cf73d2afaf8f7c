//! The default transport against hostile servers (`agentos-hostile`): what a second origin
//! RECEIVES after a redirect (no header of ours, no body), https→http refused, loops and long
//! chains bounded, every wait under the call's deadline (stalled and trickling error bodies of
//! streamed calls included), a connect timeout classified as an unavailable server, bad base
//! URLs refused when the client is built, and a `user:password` in the base URL never printed.
//!
//! Two `HostileServer`s are two origins (their ports differ); `localhost` and `127.0.0.1` on the
//! same port are two hosts. Every case runs under a hard limit of [`HARD`] and asserts outcomes,
//! never tight durations.

#![cfg(feature = "reqwest")]

use agentos_core::kit::CallKit;
use std::future::Future;
use std::time::Duration;

use agentos_core::kit::decode_response;
use agentos_core::{
    AgentOsClient, Call, Error, FilePart, Multipart, RedirectRefusal, Request, Response,
    RetryPolicy,
};
use agentos_hostile::{HostileServer, Received, Reply, http_response, open_head};

/// The hard limit of one case (each should end within a few seconds).
const HARD: Duration = Duration::from_secs(20);

const TOKEN: &str = "tok-S3CRET";
const API_KEY: &str = "key-S3CRET";
const GATEWAY: &str = "gw-S3CRET";
const PER_CALL: &str = "call-S3CRET";
const PROMPT: &str = "prompt-S3CRET";
/// Every secret value a request of ours may carry.
const SECRETS: [&str; 5] = [TOKEN, API_KEY, GATEWAY, PER_CALL, PROMPT];
/// Every header name we set on a request (client-wide, per call, authentication, ours).
const OUR_HEADERS: [&str; 6] = [
    "authorization",
    "x-api-key",
    "x-gateway-key",
    "x-per-call",
    "user-agent",
    "idempotency-key",
];

async fn within<F: Future>(case: F) -> F::Output {
    tokio::time::timeout(HARD, case)
        .await
        .expect("the case ended within its hard limit")
}

fn ok() -> Reply {
    Reply::new().write(http_response("200 OK", &[], r#"{"status":"ok"}"#))
}

fn redirect(status: u16, location: &str) -> Reply {
    let status = match status {
        301 => "301 Moved Permanently",
        302 => "302 Found",
        303 => "303 See Other",
        307 => "307 Temporary Redirect",
        308 => "308 Permanent Redirect",
        other => panic!("not a redirect status: {other}"),
    };
    Reply::new().write(http_response(status, &[("location", location)], ""))
}

/// A server that answers its first request with a redirect to `location(request)` and every
/// other with 200.
async fn redirecting(
    status: u16,
    location: impl Fn(&Received) -> String + Send + Sync + 'static,
) -> HostileServer {
    HostileServer::start(move |r, n| {
        if n == 0 {
            redirect(status, &location(r))
        } else {
            ok()
        }
    })
    .await
}

/// A server that answers every request with a redirect to `location`.
async fn redirecting_to(status: u16, location: String) -> HostileServer {
    HostileServer::start(move |_, _| redirect(status, &location)).await
}

/// Two origins: `origin` redirects every request with `status` to `path` on `other`, which
/// answers 200. Returns `(origin, other)`.
async fn two_origins(status: u16, path: &str) -> (HostileServer, HostileServer) {
    let other = HostileServer::start(|_, _| ok()).await;
    let origin = redirecting_to(status, format!("{}{path}", other.url())).await;
    (origin, other)
}

/// `err` is a redirect refused for `reason`.
fn assert_refused(err: &Error, reason: RedirectRefusal) {
    assert!(
        matches!(err, Error::Redirect { reason: got, .. } if *got == reason),
        "not refused as {reason:?}: {err:?}"
    );
}

/// A client that sends every kind of header: a bearer token and two headers client-wide.
fn client(base: &str) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .header("x-api-key", API_KEY)
        .header("x-gateway-key", GATEWAY)
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// `GET /health` with a per-call header and an idempotency key.
fn get(client: &AgentOsClient) -> Call<Response> {
    Call::new(client, Request::get("/health", &[]), decode_response)
        .header("x-per-call", PER_CALL)
        .idempotency_key("idem-1")
}

/// `POST /agents/a/runs` with the prompt as a JSON body and a per-call header.
fn post(client: &AgentOsClient) -> Call<Response> {
    let req = Request::post("/agents/{agent_id}/runs", &["a"])
        .and_then(|r| r.json(&serde_json::json!({ "message": PROMPT })));
    Call::new(client, req, decode_response).header("x-per-call", PER_CALL)
}

/// The request exactly as it arrived, for messages and for a search of secrets.
fn raw(r: &Received) -> String {
    let mut s = r.request_line.clone();
    for (k, v) in &r.headers {
        s.push_str(&format!("\n{k}: {v}"));
    }
    s.push_str("\n\n");
    s.push_str(&r.body_text());
    s
}

/// The request carries nothing of ours: none of our header names, no secret anywhere, no body.
fn assert_carries_nothing_of_ours(r: &Received) {
    let shown = raw(r);
    for name in OUR_HEADERS {
        assert!(
            r.header(name).is_none(),
            "{name} crossed the origin:\n{shown}"
        );
    }
    for secret in SECRETS {
        assert!(
            !shown.contains(secret),
            "{secret} crossed the origin:\n{shown}"
        );
    }
    assert!(r.body.is_empty(), "a body crossed the origin:\n{shown}");
    assert!(r.header("content-type").is_none(), "{shown}");
}

/// The request carries every header the caller set.
fn assert_carries_ours(r: &Received) {
    let shown = raw(r);
    assert_eq!(
        r.header("authorization"),
        Some(&*format!("Bearer {TOKEN}")),
        "{shown}"
    );
    assert_eq!(r.header("x-api-key"), Some(API_KEY), "{shown}");
    assert_eq!(r.header("x-gateway-key"), Some(GATEWAY), "{shown}");
    assert_eq!(r.header("x-per-call"), Some(PER_CALL), "{shown}");
}

/// The error, its `Debug` and every source in its chain, as one string.
fn shown(err: &Error) -> String {
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        shown.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    shown
}

// ------------------------------------------------------------------ credentials and origins

#[tokio::test]
async fn a_redirect_to_another_port_carries_no_header_of_ours() {
    within(async {
        for status in [301, 302, 303, 307, 308] {
            let (origin, other) = two_origins(status, "/elsewhere?x=1").await;
            let resp = get(&client(&origin.url())).await.unwrap();
            assert_eq!(resp.status, 200, "{status}");
            assert_eq!(resp.body, r#"{"status":"ok"}"#.as_bytes());

            let first = &origin.received()[0];
            assert_carries_ours(first);
            assert_eq!(first.header("idempotency-key"), Some("idem-1"));
            let followed = other.received();
            assert_eq!(followed.len(), 1, "{status}");
            assert_eq!(followed[0].request_line, "GET /elsewhere?x=1 HTTP/1.1");
            assert_carries_nothing_of_ours(&followed[0]);
        }
    })
    .await;
}

#[tokio::test]
async fn another_host_on_the_same_port_is_another_origin() {
    within(async {
        // 127.0.0.1 redirects to localhost on the same port: the same server, another host.
        let server = redirecting(302, |r| {
            let host = r.header("host").unwrap().replace("127.0.0.1", "localhost");
            format!("http://{host}/health")
        })
        .await;
        let resp = get(&client(&server.url())).await.unwrap();
        assert_eq!(resp.status, 200);
        let seen = server.received();
        assert_eq!(seen.len(), 2);
        assert_carries_ours(&seen[0]);
        assert!(seen[1].header("host").unwrap().starts_with("localhost:"));
        assert_carries_nothing_of_ours(&seen[1]);
    })
    .await;
}

#[tokio::test]
async fn basic_credentials_of_the_base_url_do_not_follow_a_redirect() {
    within(async {
        let (origin, other) = two_origins(307, "/health").await;
        let base = origin.url().replace("http://", "http://admin:admin-pw@");
        let resp = get(&client(&base)).await.unwrap();
        assert_eq!(resp.status, 200);
        // The origin got Basic credentials from the URL (reqwest's doing); the other did not.
        assert!(origin.received()[0].header("authorization").is_some());
        assert_carries_nothing_of_ours(&other.received()[0]);
    })
    .await;
}

#[tokio::test]
async fn a_body_is_never_sent_to_another_origin() {
    within(async {
        // 307 and 308 keep the method and body: refused, nothing reaches the other server.
        for status in [307, 308] {
            let (origin, other) = two_origins(status, "/agents/a/runs").await;
            let err = post(&client(&origin.url())).await.unwrap_err();
            let Error::Redirect {
                status: got,
                reason,
                ref location,
                ..
            } = err
            else {
                panic!("{err:?}")
            };
            assert_eq!(got, status);
            assert_eq!(reason, RedirectRefusal::BodyToOtherOrigin);
            assert!(location.expose().starts_with(&other.url()));
            assert!(!err.is_retryable());
            assert_eq!(
                origin.received()[0].body_text(),
                format!(r#"{{"message":"{PROMPT}"}}"#)
            );
            assert_eq!(
                other.connections(),
                0,
                "{status}: nothing reached the other origin"
            );
        }
        // 301, 302 and 303 turn the POST into a GET without a body, as browsers do.
        for status in [301, 302, 303] {
            let (origin, other) = two_origins(status, "/done").await;
            let resp = post(&client(&origin.url())).await.unwrap();
            assert_eq!(resp.status, 200);
            let followed = &other.received()[0];
            assert_eq!(followed.request_line, "GET /done HTTP/1.1", "{status}");
            assert!(followed.header("content-length").is_none_or(|n| n == "0"));
            assert_carries_nothing_of_ours(followed);
        }
    })
    .await;
}

#[tokio::test]
async fn a_streamed_run_is_not_re_posted_to_another_origin() {
    within(async {
        let (origin, other) = two_origins(307, "/agents/a/runs").await;
        let (client, req) = post(&client(&origin.url())).into_parts();
        let err = client.execute_stream(req.unwrap()).await.unwrap_err();
        assert_refused(&err, RedirectRefusal::BodyToOtherOrigin);
        assert_eq!(other.connections(), 0);
    })
    .await;
}

#[tokio::test]
async fn same_origin_redirects_keep_the_headers_and_the_body() {
    within(async {
        for status in [307, 308] {
            let server = redirecting(status, |_| "/agents/b/runs".to_owned()).await;
            let resp = post(&client(&server.url())).await.unwrap();
            assert_eq!(resp.status, 200);
            let seen = server.received();
            assert_eq!(seen.len(), 2);
            assert_eq!(
                seen[1].request_line, "POST /agents/b/runs HTTP/1.1",
                "{status}"
            );
            assert_eq!(seen[1].body, seen[0].body);
            assert_eq!(seen[1].header("content-type"), Some("application/json"));
            assert_carries_ours(&seen[1]);
        }
        // A 303 within the origin: a GET without a body, the headers kept.
        let server = redirecting(303, |_| "/result".to_owned()).await;
        post(&client(&server.url())).await.unwrap();
        let seen = server.received();
        assert_eq!(seen[1].request_line, "GET /result HTTP/1.1");
        assert!(seen[1].body.is_empty());
        assert!(seen[1].header("content-type").is_none());
        assert_carries_ours(&seen[1]);
    })
    .await;
}

/// A multipart body with a file part, read from a temporary file.
fn upload(client: &AgentOsClient, path: &std::path::Path) -> Call<Response> {
    let mut form = Multipart::default();
    form.files.push(FilePart::file("file", path, None).unwrap());
    form.fields.text("name", "doc");
    let req = Request::post("/knowledge/content", &[]).map(|r| r.multipart(form));
    Call::new(client, req, decode_response)
}

#[tokio::test]
async fn a_file_upload_is_re_sent_within_the_origin_and_never_to_another() {
    let dir = std::env::temp_dir().join(format!("agentos-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("upload.txt");
    std::fs::write(&path, "file-content-S3CRET").unwrap();
    within(async {
        // Same origin: the file is opened again and sent whole a second time.
        let server = redirecting(307, |_| "/knowledge/content2".to_owned()).await;
        upload(&client(&server.url()), &path).await.unwrap();
        let seen = server.received();
        assert_eq!(seen[1].request_line, "POST /knowledge/content2 HTTP/1.1");
        assert!(seen[1].body_text().contains("file-content-S3CRET"));
        // The same parts (each form has its own boundary).
        let parts = |r: &Received| {
            let ct = r.header("content-type").unwrap();
            let boundary = ct.split("boundary=").nth(1).unwrap();
            r.body_text().replace(boundary, "BOUNDARY")
        };
        assert_eq!(parts(&seen[1]), parts(&seen[0]));

        // Another origin: refused, the file goes nowhere.
        let (origin, other) = two_origins(308, "/knowledge/content").await;
        let err = upload(&client(&origin.url()), &path).await.unwrap_err();
        assert_refused(&err, RedirectRefusal::BodyToOtherOrigin);
        assert_eq!(other.connections(), 0);
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

mod support {
    pub mod https;
}

#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
#[tokio::test]
async fn https_to_http_is_never_followed() {
    within(async {
        let plain = HostileServer::start(|_, _| ok()).await;
        let elsewhere = format!("{}/health", plain.url());
        // Another host and port, then the same host and port (the TLS server itself).
        for same_port in [false, true] {
            let (port, accepted) = support::https::https_server(|port| {
                let location = match same_port {
                    false => elsewhere.clone(),
                    true => format!("http://localhost:{port}/health"),
                };
                http_response("302 Found", &[("location", &location)], "")
            })
            .await;
            let client = AgentOsClient::builder()
                .base_url(format!("https://localhost:{port}"))
                .add_root_certificate_pem(support::https::CA)
                .bearer_token(TOKEN)
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap();
            let err = client.health().await.unwrap_err();
            assert_refused(&err, RedirectRefusal::Downgrade);
            assert_eq!(
                accepted.load(std::sync::atomic::Ordering::SeqCst),
                1,
                "{same_port}"
            );
        }
        assert_eq!(plain.connections(), 0);
    })
    .await;
}

#[tokio::test]
async fn redirect_loops_and_long_chains_are_refused() {
    within(async {
        // Back to itself: refused before it is sent again.
        let server = HostileServer::start(|_, _| redirect(302, "/health")).await;
        let err = get(&client(&server.url())).await.unwrap_err();
        assert_refused(&err, RedirectRefusal::Loop);
        assert_eq!(server.hits(), 1);

        // A cycle of two.
        let server =
            HostileServer::start(|r, _| redirect(307, if r.path() == "/a" { "/b" } else { "/a" }))
                .await;
        let err = Call::new(
            &client(&server.url()),
            Request::get("/a", &[]),
            decode_response,
        )
        .await
        .unwrap_err();
        assert_refused(&err, RedirectRefusal::Loop);
        assert_eq!(server.hits(), 2);

        // An endless chain of new URLs: 10 followed, the 11th refused.
        let server = HostileServer::start(|_, n| redirect(302, &format!("/hop/{}", n + 1))).await;
        let err = get(&client(&server.url())).await.unwrap_err();
        assert_refused(&err, RedirectRefusal::TooMany { limit: 10 });
        assert_eq!(server.hits(), 11);
    })
    .await;
}

#[tokio::test]
async fn a_location_that_is_not_http_is_refused() {
    within(async {
        for location in [
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
            "http://[::1",
            "data:,x",
        ] {
            let server = HostileServer::start(move |_, _| redirect(302, location)).await;
            let err = get(&client(&server.url())).await.unwrap_err();
            assert_refused(&err, RedirectRefusal::InvalidLocation);
            assert_eq!(server.hits(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn a_refused_location_never_prints_its_credentials() {
    within(async {
        let other = HostileServer::start(|_, _| ok()).await;
        let to = format!(
            "{}/x?X-Amz-Signature=loc-sig-S3CRET",
            other.url().replace("http://", "http://u:loc-pw-S3CRET@")
        );
        let expected = to.clone();
        let origin = redirecting_to(307, to).await;
        let err = post(&client(&origin.url())).await.unwrap_err();
        let Error::Redirect { location, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(location.expose(), expected);
        let shown = shown(&err);
        assert!(
            !shown.contains("loc-pw-S3CRET") && !shown.contains("loc-sig-S3CRET"),
            "{shown}"
        );
        assert!(shown.contains("POST /agents/{agent_id}/runs"), "{shown}");
        assert_eq!(other.connections(), 0);
    })
    .await;
}

// ------------------------------------------------------------------ every wait is bounded

/// The head of an error response that announces more body than will come.
fn error_head() -> Vec<u8> {
    b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n{\"detail\":".to_vec()
}

/// Sends `POST /agents/a/runs` as a stream with a timeout of 1 s.
async fn stream_with_a_short_timeout(base: &str) -> Error {
    let (client, req) = post(&client(base))
        .timeout(Duration::from_secs(1))
        .into_parts();
    client.execute_stream(req.unwrap()).await.unwrap_err()
}

fn assert_timed_out_after_one_second(err: &Error) {
    match err {
        Error::Timeout { route, after, .. } => {
            assert_eq!(route, "/agents/{agent_id}/runs");
            assert_eq!(*after, Duration::from_secs(1));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_streamed_call_whose_error_body_stalls_ends_at_its_deadline() {
    within(async {
        let server = HostileServer::start(|_, _| Reply::new().write(error_head()).stall()).await;
        assert_timed_out_after_one_second(&stream_with_a_short_timeout(&server.url()).await);
    })
    .await;
}

#[tokio::test]
async fn a_trickling_error_body_does_not_extend_the_deadline() {
    within(async {
        // One byte every 200 ms: each byte resets an idle timer, never the whole deadline.
        let trickle = vec![b' '; 200];
        let server = HostileServer::start(move |_, _| {
            Reply::new()
                .write(open_head("503 Service Unavailable", "application/json"))
                .trickle(trickle.clone(), Duration::from_millis(200))
        })
        .await;
        assert_timed_out_after_one_second(&stream_with_a_short_timeout(&server.url()).await);
        // The same for a buffered call.
        let err = get(&client(&server.url()))
            .timeout(Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Timeout { after, .. } if after == Duration::from_secs(1)),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_redirect_to_a_silent_server_ends_at_the_deadline() {
    within(async {
        let silent = HostileServer::start(|_, _| Reply::new().stall()).await;
        let origin = redirecting_to(302, format!("{}/agents/a/runs", silent.url())).await;
        assert_timed_out_after_one_second(&stream_with_a_short_timeout(&origin.url()).await);
        assert_eq!(silent.hits(), 1);
    })
    .await;
}

/// The client's own reads are bounded too: a transport that hands over a body as a stream
/// that never ends (an error body, or the body of a buffered call) ends at the call's timeout.
#[cfg(feature = "mock")]
#[tokio::test]
async fn a_body_stream_of_any_transport_that_stalls_ends_at_the_timeout() {
    use agentos_core::http::{HeaderMap, StatusCode};
    use agentos_core::{MockTransport, TransportResponse};
    for status in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::OK] {
        let mut t = MockTransport::new();
        t.expect_send().returning(move |_| {
            let never = Box::pin(futures::stream::pending());
            Ok(TransportResponse::streaming(
                status,
                HeaderMap::new(),
                never,
            ))
        });
        let client = AgentOsClient::builder()
            .base_url("http://127.0.0.1:1")
            .transport(t)
            .timeout(Duration::from_secs(1))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = within(async { client.health().await }).await.unwrap_err();
        assert!(
            matches!(err, Error::Timeout { after, .. } if after == Duration::from_secs(1)),
            "{status}: {err:?}"
        );
    }
}

/// A loopback listener that never accepts, with its accept queue full: a new connection's SYN
/// is dropped (Linux does so when the queue of a listener is full), so connecting to it hangs
/// until the connect timeout. Keep the returned value alive while testing.
async fn full_listener() -> (String, Vec<tokio::net::TcpStream>, tokio::net::TcpListener) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..64 {
        match tokio::time::timeout(
            Duration::from_millis(500),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(sock)) => held.push(sock),
            _ => return (format!("http://{addr}"), held, listener),
        }
    }
    panic!("the accept queue of a listener never filled up");
}

#[tokio::test]
async fn a_connect_timeout_is_an_unavailable_server() {
    within(async {
        let (url, _held, _listener) = full_listener().await;
        let client = AgentOsClient::builder()
            .base_url(&url)
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(15))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = client.health().await.unwrap_err();
        match &err {
            Error::RemoteServerUnavailable { base_url, .. } => assert_eq!(base_url, &url),
            other => panic!("{other:?}"),
        }
        assert!(err.is_retryable());
    })
    .await;
}

// ------------------------------------------------------------------ the base URL

#[test]
fn bad_base_urls_are_refused_when_the_client_is_built() {
    for bad in [
        "http://127.0.0.1:7777/#frag",
        "http://127.0.0.1:7777#",
        "http://127.0.0.1:7777/?q=1",
        "http://127.0.0.1:7777?",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:-1",
        "ftp://127.0.0.1",
        "file:///etc/passwd",
        "unix:/run/agentos.sock",
        "http://",
        "http:///path",
        "http:/127.0.0.1:7777",
        "http:127.0.0.1:7777",
        "localhost:7777",
        "127.0.0.1:7777",
        "not a url",
        "",
    ] {
        for err in [
            AgentOsClient::new(bad).unwrap_err(),
            AgentOsClient::builder().base_url(bad).build().unwrap_err(),
        ] {
            let Error::InvalidRequest(message) = &err else {
                panic!("{bad}: {err:?}")
            };
            assert!(message.contains("base URL"), "{bad}: {message}");
        }
    }
}

#[test]
fn good_base_urls_still_build() {
    for (good, kept) in [
        ("http://127.0.0.1:7777", "http://127.0.0.1:7777"),
        ("http://127.0.0.1:7777/", "http://127.0.0.1:7777"),
        (
            "  https://host.example/prefix/os/ ",
            "https://host.example/prefix/os",
        ),
        ("http://[::1]:7777", "http://[::1]:7777"),
        ("http://localhost", "http://localhost"),
        ("http://u:p@localhost:7777", "http://u:p@localhost:7777"),
    ] {
        assert_eq!(AgentOsClient::new(good).unwrap().base_url(), kept);
    }
}

// ------------------------------------------------------------------ credentials in the base URL

#[tokio::test]
async fn credentials_in_the_base_url_never_print_on_any_error_path() {
    const PW: &str = "admin-pw-S3CRET";
    let with_pw = |url: &str| url.replace("://", &format!("://admin:{PW}@"));
    let client = |url: &str| {
        AgentOsClient::builder()
            .base_url(with_pw(url))
            .timeout(Duration::from_secs(1))
            .connect_timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let mut errors = Vec::new();

    // Refused when built: every check of the base URL.
    for bad in [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:7777/#f",
        "http://127.0.0.1:7777/?q",
        "ftp://127.0.0.1",
        "http://127.0.0.1:7777:88",
    ] {
        errors.push(AgentOsClient::new(with_pw(bad)).unwrap_err());
    }
    within(async {
        // Connection refused.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", l.local_addr().unwrap())
        };
        errors.push(client(&closed).health().await.unwrap_err());
        // Connect timeout.
        let (full, _held, _listener) = full_listener().await;
        errors.push(client(&full).health().await.unwrap_err());
        // Timeout.
        let silent = HostileServer::start(|_, _| Reply::new().stall()).await;
        errors.push(client(&silent.url()).health().await.unwrap_err());
        // A reset in the middle of the body.
        let reset = HostileServer::start(|_, _| Reply::new().write(error_head()).reset()).await;
        errors.push(client(&reset.url()).health().await.unwrap_err());
        // An HTTP error.
        let failing = HostileServer::start(|_, _| {
            Reply::new().write(http_response(
                "500 Internal Server Error",
                &[],
                r#"{"detail":"boom"}"#,
            ))
        })
        .await;
        errors.push(client(&failing.url()).health().await.unwrap_err());
        // A refused redirect.
        let (origin, _other) = two_origins(307, "/agents/a/runs").await;
        errors.push(post(&client(&origin.url())).await.unwrap_err());
        // TLS with an untrusted certificate.
        if cfg!(any(feature = "rustls", feature = "rustls-aws-lc")) {
            let (port, _) = support::https::https_server(|_| Vec::new()).await;
            let tls = client(&format!("https://localhost:{port}"));
            errors.push(tls.health().await.unwrap_err());
            assert!(!format!("{tls:?}").contains(PW));
        }
    })
    .await;

    let kinds: Vec<String> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    for kind in [
        "InvalidRequest",
        "RemoteServerUnavailable",
        "Timeout",
        "Connection",
        "Http",
        "Redirect",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no {kind} in {kinds:?}");
    }
    for err in &errors {
        let shown = shown(err);
        assert!(!shown.contains(PW), "{shown}");
        if matches!(
            err,
            Error::RemoteServerUnavailable { .. } | Error::Tls { .. }
        ) {
            assert!(shown.contains("[redacted]@"), "{shown}");
        }
    }
}
