//! The client over a mocked transport and over real loopback sockets: URL building, headers,
//! authentication, error mapping, timeouts, paging, and secrets kept out of output.

use agentos_core::kit::CallKit;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentos_core::mock::{self, MockTransport};
use agentos_core::{AgentOsClient, Error, ErrorDetail, HttpRequest, Page};
use futures::TryStreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A mock that records every request and answers with `answer`.
fn recording(
    answer: impl Fn(&HttpRequest) -> agentos_core::TransportResponse + Send + Sync + 'static,
) -> (MockTransport, Arc<Mutex<Vec<HttpRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |req| {
        log.lock().unwrap().push(req.clone());
        Ok(answer(&req))
    });
    (t, seen)
}

#[tokio::test]
async fn urls_are_built_from_an_opaque_base_and_encoded_ids() {
    let (t, seen) = recording(|_| mock::json(200, json!({"id": "x"})));
    let client = AgentOsClient::builder()
        .base_url("https://host.example/prefix/os/")
        .transport(t)
        .build()
        .unwrap();
    client.get_agent("a\\..\\b?c").await.unwrap();
    client.get_workflow("wf 1").version(3).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].url,
        "https://host.example/prefix/os/agents/a%5C..%5Cb%3Fc"
    );
    assert_eq!(seen[0].route, "/agents/{agent_id}");
    assert_eq!(
        seen[1].url,
        "https://host.example/prefix/os/workflows/wf%201?version=3"
    );
}

#[tokio::test]
async fn empty_ids_are_refused_before_sending() {
    let mut t = MockTransport::new();
    t.expect_send().never();
    let client = mock::client(t);
    let err = client.get_agent("").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn bearer_token_default_headers_and_per_call_headers() {
    let (t, seen) = recording(|_| mock::json(200, json!([])));
    let client = AgentOsClient::builder()
        .base_url(mock::BASE_URL)
        .bearer_token("root-key")
        .header("x-tenant", "acme")
        .transport(t)
        .build()
        .unwrap();
    client.list_agents().await.unwrap();
    client
        .list_teams()
        .header("Authorization", "Bearer other")
        .header("x-request-id", "42")
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    let h0 = &seen[0].headers;
    assert_eq!(h0["authorization"], "Bearer root-key");
    assert!(h0["authorization"].is_sensitive());
    assert_eq!(h0["x-tenant"], "acme");
    assert!(
        h0["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("agentos-rs/")
    );
    let h1 = &seen[1].headers;
    assert_eq!(h1["authorization"], "Bearer other");
    assert_eq!(h1["x-request-id"], "42");
    assert_eq!(h1["x-tenant"], "acme");
}

#[tokio::test]
async fn secrets_never_print() {
    let (t, seen) = recording(|_| mock::json(200, json!([])));
    let client = AgentOsClient::builder()
        .base_url(mock::BASE_URL)
        .bearer_token("sup3r-s3cret")
        .transport(t)
        .build()
        .unwrap();
    client
        .list_agents()
        .header("authorization", "Bearer per-call-s3cret")
        .await
        .unwrap();
    let printed = format!("{client:?} {:?}", seen.lock().unwrap());
    assert!(!printed.contains("sup3r-s3cret"), "{printed}");
    assert!(!printed.contains("per-call-s3cret"), "{printed}");
    assert!(printed.contains("[redacted]"));
}

#[tokio::test]
async fn http_errors_keep_status_detail_and_body() {
    let mut t = MockTransport::new();
    t.expect_send().returning(|req| {
        Ok(match req.url.rsplit('/').next().unwrap() {
            "missing" => mock::error(404, "Agent not found"),
            "locked" => mock::error(401, "Authorization header required"),
            "down" => mock::json(
                503,
                json!({"detail": "Components not available: pass a db to AgentOS to enable this feature."}),
            ),
            _ => mock::json(
                422,
                json!({"detail": [{"type": "missing", "loc": ["query", "session_id"], "msg": "Field required", "input": null}]}),
            ),
        })
    });
    let client = mock::client(t);

    let e = client.get_agent("missing").await.unwrap_err();
    assert!(e.is_not_found());
    let http = e.http().unwrap();
    assert_eq!(http.message().as_deref(), Some("Agent not found"));
    assert_eq!(http.route, "/agents/{agent_id}");
    assert!(http.body.contains("Agent not found"));

    let e = client.get_agent("locked").await.unwrap_err();
    assert!(e.is_unauthorized());
    assert!(
        e.to_string().contains("Authorization header required"),
        "{e}"
    );

    let e = client.get_agent("down").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert!(e.is_retryable());

    let e = client.get_agent("invalid").await.unwrap_err();
    match &e.http().unwrap().detail {
        Some(ErrorDetail::Validation(v)) => assert_eq!(v[0].loc[1], "session_id"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_match_is_a_decode_error_with_the_body() {
    let (t, _) = recording(|_| mock::json(200, json!({"unexpected": true})));
    let client = mock::client(t);
    let e = client.get_config().await.unwrap_err();
    match e {
        Error::Decode { body, route, .. } => {
            assert_eq!(body, r#"{"unexpected":true}"#);
            assert_eq!(route, "/config");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unknown_fields_and_enum_values_are_kept() {
    let (t, _) = recording(|_| {
        mock::json(
            200,
            json!({"os_id": "os", "os_version": "9", "agno_version": "9", "auth_mode": "oauth2", "brand_new": {"x": 1}}),
        )
    });
    let client = mock::client(t);
    let info = client.info().await.unwrap();
    assert_eq!(
        info.auth_mode,
        Some(agentos_core::AuthMode::Unknown("oauth2".into()))
    );
    assert_eq!(info.extra["brand_new"], json!({"x": 1}));
}

#[tokio::test]
async fn migrate_sends_the_target_version_as_a_query_parameter() {
    let (t, seen) = recording(|_| mock::json(200, json!({"message": "ok"})));
    let client = mock::client(t);
    let r = client
        .migrate_database("db-1")
        .target_version("2.5.0")
        .await
        .unwrap();
    assert_eq!(r.message.as_deref(), Some("ok"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(
        seen[0].url,
        "http://agentos.test/databases/db-1/migrate?target_version=2.5.0"
    );
    assert!(matches!(seen[0].body, agentos_core::Body::Empty));
}

#[tokio::test]
async fn pages_stream_lazily_and_stop() {
    let (t, seen) = recording(|req| {
        let page: u32 = req
            .url
            .split("page=")
            .nth(1)
            .and_then(|p| p.split('&').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let data: Vec<_> = (0..2).map(|i| json!(format!("p{page}-{i}"))).collect();
        mock::json(
            200,
            json!({"data": data, "meta": {"page": page, "limit": 2, "total_pages": 3, "total_count": 6}}),
        )
    });
    let client = mock::client(t);
    let call: agentos_core::Call<Page<String>> = agentos_core::Call::new(
        &client,
        agentos_core::Request::get("/memories", &[]),
        agentos_core::kit::decode_json,
    );
    let all: Vec<String> = call.into_stream().try_collect().await.unwrap();
    assert_eq!(all, ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]);
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_server_that_ignores_page_cannot_loop_forever() {
    let (t, seen) = recording(|_| {
        mock::json(
            200,
            json!({"data": ["same"], "meta": {"page": 1, "limit": 1, "total_pages": 50, "search_time_ms": 0.5}}),
        )
    });
    let client = mock::client(t);
    let call: agentos_core::Call<Page<String>> = agentos_core::Call::new(
        &client,
        agentos_core::Request::get("/sessions", &[]),
        agentos_core::kit::decode_json,
    );
    let all: Vec<String> = call.into_stream().try_collect().await.unwrap();
    assert_eq!(all, ["same"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn connection_refused_is_remote_server_unavailable() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let client = AgentOsClient::new(&url).unwrap();
    let e = client.health().await.unwrap_err();
    match &e {
        Error::RemoteServerUnavailable { base_url, .. } => assert_eq!(base_url, &url),
        other => panic!("{other:?}"),
    }
    assert!(e.is_retryable());
}

/// A loopback server that accepts connections, reads the request, and never answers.
async fn stalling_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            held.push(sock);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_silent_server_times_out_with_a_typed_error() {
    let url = stalling_server().await;
    let client = AgentOsClient::builder()
        .base_url(url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let e = client.get_config().await.unwrap_err();
    match e {
        Error::Timeout { route, after, .. } => {
            assert_eq!(route, "/config");
            assert_eq!(after, Duration::from_millis(300));
        }
        other => panic!("{other:?}"),
    }
    // A per-call timeout overrides the client's.
    let client = AgentOsClient::builder()
        .base_url(stalling_server().await)
        .build()
        .unwrap();
    let e = client
        .health()
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
}

/// A loopback server that answers every request with `response` (raw HTTP).
async fn canned_server(response: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let _ = sock.write_all(response).await;
            let _ = sock.shutdown().await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let url = canned_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\nconnection: close\r\n\r\n{\"os_id\":\"0123456789012345678901234567\"}",
    )
    .await;
    let client = AgentOsClient::builder()
        .base_url(url)
        .max_body_size(16)
        .build()
        .unwrap();
    let e = client.get_config().await.unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 16, .. }), "{e:?}");
}

#[tokio::test]
async fn reqwest_transport_maps_real_http_errors() {
    let url = canned_server(
        b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 29\r\nconnection: close\r\n\r\n{\"detail\":\"Agent not found\"}\n",
    )
    .await;
    let client = AgentOsClient::new(url).unwrap();
    let e = client.get_agent("nope").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(
        e.http().unwrap().message().as_deref(),
        Some("Agent not found")
    );
}

/// A mock answering from `script` in order (repeating the last answer), counting calls.
fn scripted(
    script: Vec<(u16, Option<&'static str>)>,
) -> (MockTransport, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let mut t = MockTransport::new();
    t.expect_send().returning(move |_| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let (status, retry_after) = script[n.min(script.len() - 1)];
        let mut resp = mock::json(status, json!({"os_id": "os", "detail": "x"}));
        if let Some(r) = retry_after {
            resp.headers.insert("retry-after", r.parse().unwrap());
        }
        Ok(resp)
    });
    (t, calls)
}

fn fast_retries() -> agentos_core::RetryPolicy {
    agentos_core::RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client_with(t: MockTransport) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(mock::BASE_URL)
        .retry_policy(fast_retries())
        .transport(t)
        .build()
        .unwrap()
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_503_then_succeed() {
    use std::sync::atomic::Ordering;
    let (t, calls) = scripted(vec![(503, None), (502, None), (200, None)]);
    let client = client_with(t);
    assert_eq!(client.get_config().await.unwrap().os_id, "os");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_post_is_not_retried_on_503_unless_it_has_an_idempotency_key() {
    use std::sync::atomic::Ordering;
    let (t, calls) = scripted(vec![(503, None), (200, None)]);
    let client = client_with(t);
    let e = client.migrate_all_databases().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let (t, calls) = scripted(vec![(503, None), (200, None)]);
    let client = client_with(t);
    client
        .migrate_all_databases()
        .idempotency_key("k-1")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn any_request_is_retried_on_429_and_on_409_with_retry_after() {
    use std::sync::atomic::Ordering;
    let (t, calls) = scripted(vec![(429, Some("0")), (409, Some("0")), (200, None)]);
    let client = client_with(t);
    client.migrate_all_databases().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // A 409 without Retry-After is a real conflict.
    let (t, calls) = scripted(vec![(409, None), (200, None)]);
    let client = client_with(t);
    assert!(client.migrate_all_databases().await.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn attempts_are_capped_and_retries_can_be_turned_off() {
    use std::sync::atomic::Ordering;
    let (t, calls) = scripted(vec![(503, None)]);
    let client = client_with(t);
    assert!(client.health().await.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    let (t, calls) = scripted(vec![(503, None), (200, None)]);
    let client = client_with(t);
    let e = client
        .health()
        .retry(agentos_core::RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_ends_the_retries() {
    use std::sync::atomic::Ordering;
    let (t, calls) = scripted(vec![(503, Some("3600")), (200, None)]);
    let client = client_with(t);
    let e = client.health().await.unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A loopback server that records the request head it receives and answers `response`.
async fn recording_server(response: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let log = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            log.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buf[..n]).to_lowercase());
            let _ = sock.write_all(response.as_bytes()).await;
            let _ = sock.shutdown().await;
        }
    });
    (format!("http://{addr}"), heads)
}

/// Two recording servers: `other` answers `{"status":"ok"}`, `origin` answers 307 to
/// `other` + `path`. Returns (origin URL, other URL, origin's heads, other's heads, the body).
async fn redirect_pair(
    path: &str,
) -> (
    String,
    String,
    Arc<Mutex<Vec<String>>>,
    Arc<Mutex<Vec<String>>>,
    &'static str,
) {
    let body = r#"{"status":"ok"}"#;
    let (other, other_heads) = recording_server(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ))
    .await;
    let (origin, origin_heads) = recording_server(format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {other}{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    ))
    .await;
    (origin, other, origin_heads, other_heads, body)
}

#[tokio::test]
async fn the_token_is_not_sent_to_another_host_after_a_redirect() {
    let (origin, _, origin_heads, other_heads, _) = redirect_pair("/health").await;
    let client = AgentOsClient::builder()
        .base_url(origin)
        .bearer_token("redirect-s3cret")
        .build()
        .unwrap();
    assert_eq!(client.health().await.unwrap().status, "ok");
    assert!(origin_heads.lock().unwrap()[0].contains("authorization: bearer redirect-s3cret"));
    let followed = other_heads.lock().unwrap();
    assert_eq!(followed.len(), 1);
    assert!(!followed[0].contains("authorization"), "{}", followed[0]);
    assert!(!followed[0].contains("redirect-s3cret"));
}

#[tokio::test]
async fn a_call_can_ask_for_the_redirect_instead_of_following_it() {
    let path = "/signed/cat.png?sig=s3cret-sig";
    let (origin, other, origin_heads, other_heads, body) = redirect_pair(path).await;
    let location = format!("{other}{path}");
    let client = AgentOsClient::new(origin).unwrap();
    let call = || {
        agentos_core::Call::new(
            &client,
            Ok(agentos_core::Request::get("/health", &[]).unwrap()),
            agentos_core::kit::decode_response,
        )
    };

    // Asked for: the 307 itself, with its Location, and nothing fetched from the other host.
    let resp = call().follow_redirects(false).await.unwrap();
    assert_eq!(resp.status, 307);
    assert_eq!(resp.headers["location"], location.as_str());
    assert!(other_heads.lock().unwrap().is_empty());

    // By default the same client follows it (the first client was not replaced).
    let followed = call().await.unwrap();
    assert_eq!(followed.status, 200);
    assert_eq!(followed.body, body.as_bytes());
    assert_eq!(origin_heads.lock().unwrap().len(), 2);
    assert_eq!(other_heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unfollowed_redirect_error_keeps_its_location_but_never_prints_its_query() {
    let mut t = MockTransport::new();
    t.expect_send().returning(|_| {
        let mut headers = agentos_core::http::HeaderMap::new();
        headers.insert(
            "location",
            "https://bucket.example/k.png?X-Amz-Signature=s3cret-sig"
                .parse()
                .unwrap(),
        );
        Ok(agentos_core::TransportResponse::buffered(
            agentos_core::http::StatusCode::TEMPORARY_REDIRECT,
            headers,
            "",
        ))
    });
    let client = mock::client(t);
    let err = client.health().await.unwrap_err();
    let Error::Http(http) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(http.status, 307);
    let location = http.location.as_ref().expect("the Location is kept");
    assert_eq!(
        location.expose(),
        "https://bucket.example/k.png?X-Amz-Signature=s3cret-sig"
    );
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(shown.contains("https://bucket.example/k.png"), "{shown}");
        assert!(!shown.contains("s3cret-sig"), "{shown}");
    }
}

#[tokio::test]
async fn page_limit_and_db_params_are_checked_before_sending() {
    let mut t = MockTransport::new();
    t.expect_send().never();
    let client = mock::client(t);
    let call = |c: &AgentOsClient| -> agentos_core::Call<serde_json::Value> {
        agentos_core::Call::new(
            c,
            agentos_core::Request::get("/sessions", &[]),
            agentos_core::kit::decode_json,
        )
    };
    for c in [
        call(&client).page(0),
        call(&client).limit(0),
        call(&client).query("table", "t").check_db_params(),
    ] {
        let e = c.await.unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    }
    let ok = call(&client)
        .page(2)
        .limit(5)
        .query("db_id", "d")
        .query("table", "t")
        .check_db_params();
    let r = ok.request().unwrap();
    assert_eq!(
        r.path_and_query(),
        "/sessions?page=2&limit=5&db_id=d&table=t"
    );
}

#[tokio::test]
async fn credentials_in_the_base_url_never_show_in_errors_or_debug() {
    // Port 1 on loopback: nothing listens, the connection is refused.
    let client = AgentOsClient::builder()
        .base_url("http://admin:s3cret-pw@127.0.0.1:1")
        .retry_policy(agentos_core::RetryPolicy::none())
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("s3cret-pw"));
    let err = client.health().await.unwrap_err();
    assert!(
        matches!(err, Error::RemoteServerUnavailable { .. }),
        "{err:?}"
    );
    let mut shown = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        shown.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert!(shown.contains("[redacted]@127.0.0.1:1"), "{shown}");
    assert!(!shown.contains("s3cret-pw"), "{shown}");
}
