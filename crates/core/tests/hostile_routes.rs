//! No id may change the route: what the server RECEIVES (the raw request target on the
//! socket, not the URL string the client built) for hostile ids, through real public calls
//! and the default transport, under a base URL with a path prefix. Refused values send
//! nothing.

use agentos_core::{AgentOsClient, Error, Request, RetryPolicy};
use agentos_hostile::{HostileServer, Reply, http_response};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

mod common;
use common::within;

async fn server() -> HostileServer {
    HostileServer::start(|_, _| Reply::new().write(http_response("200 OK", &[], r#"{"id":"x"}"#)))
        .await
}

fn client(server: &HostileServer) -> AgentOsClient {
    AgentOsClient::builder()
        .base_url(format!("{}/prefix", server.url()))
        .bearer_token("route-secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The target of the only request the server received since `before` requests.
fn last_target(server: &HostileServer, before: usize) -> String {
    let seen = server.received();
    assert_eq!(seen.len(), before + 1, "exactly one request: {seen:?}");
    seen[before].target.clone()
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// A call of the media route (`{storage_key:path}`) through `execute`.
async fn get_media(client: &AgentOsClient, key: &str) -> agentos_core::Result<()> {
    let req = Request::get(
        "/sessions/{session_id}/media/{storage_key:path}",
        &["s 1", key],
    )?;
    within(client.execute(req)).await.map(drop)
}

#[tokio::test]
async fn hostile_ids_arrive_as_one_encoded_segment_under_the_prefix() {
    let server = server().await;
    let client = client(&server);
    for (id, target) in [
        ("my agent", "/prefix/agents/my%20agent"),
        ("héllo wörld", "/prefix/agents/h%C3%A9llo%20w%C3%B6rld"),
        ("?#%", "/prefix/agents/%3F%23%25"),
        ("%2e%2E", "/prefix/agents/%252e%252E"),
        ("%2F", "/prefix/agents/%252F"),
        ("...", "/prefix/agents/..."),
        ("a..b", "/prefix/agents/a..b"),
        ("a\\..\\b", "/prefix/agents/a%5C..%5Cb"),
        ("\\", "/prefix/agents/%5C"),
        ("\t x\n", "/prefix/agents/%09%20x%0A"),
        ("a;b=c", "/prefix/agents/a%3Bb%3Dc"),
    ] {
        let before = server.hits();
        within(client.get_agent(id))
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        let got = last_target(&server, before);
        assert_eq!(got, target, "{id:?}");
        assert_eq!(decode(got.rsplit('/').next().unwrap()), id);
    }
}

#[tokio::test]
async fn ids_that_would_change_the_route_are_refused_and_send_nothing() {
    let server = server().await;
    let client = client(&server);
    for id in [
        "",
        ".",
        "..",
        "a/../b",
        "x/runs",
        "/",
        "../..",
        "../../config",
    ] {
        let e = within(client.get_agent(id)).await.unwrap_err();
        match &e {
            Error::InvalidRequest(m) => assert!(m.contains("agent_id"), "{id:?}: {m}"),
            other => panic!("{id:?}: {other:?}"),
        }
    }
    assert_eq!(server.hits(), 0);
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn path_values_keep_their_slashes_and_refuse_dot_pieces() {
    let server = server().await;
    let client = client(&server);
    for (key, target) in [
        ("a b/c.png", "/prefix/sessions/s%201/media/a%20b/c.png"),
        (
            "dir/%2e%2e/x",
            "/prefix/sessions/s%201/media/dir/%252e%252e/x",
        ),
        ("a\\..\\b", "/prefix/sessions/s%201/media/a%5C..%5Cb"),
        ("x/...?#/y", "/prefix/sessions/s%201/media/x/...%3F%23/y"),
    ] {
        let before = server.hits();
        get_media(&client, key)
            .await
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        assert_eq!(last_target(&server, before), target, "{key:?}");
    }
    let before = server.hits();
    for key in [
        "../../../memories",
        "a/../../b",
        "a/./b",
        "a//b",
        "/a",
        "a/",
        "..",
        "",
    ] {
        let e = get_media(&client, key).await.unwrap_err();
        match &e {
            Error::InvalidRequest(m) => assert!(m.contains("storage_key"), "{key:?}: {m}"),
            other => panic!("{key:?}: {other:?}"),
        }
    }
    assert_eq!(server.hits(), before);
}

/// Ids made of the characters that matter to a URL parser, a proxy or a router.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ".", "..", "/", "\\", "%", "%2e", "%2E", "%2f", "?", "#", ";", " ", "\t", "\n", "é",
            "\u{FF0E}", "\u{2024}", "a", "Z", "0", "-", "_", "~", ":", "@", "&", "=", "+",
        ]),
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

#[test]
fn no_accepted_id_or_key_leaves_its_route() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(server());
    let client = client(&server);
    let mut runner = TestRunner::new(Config::with_cases(128));
    runner
        .run(&(hostile_text(), hostile_text()), |(id, key)| {
            let before = server.hits();
            let agent = rt.block_on(within(client.get_agent(&id)));
            match agent {
                Ok(_) => {
                    let target = last_target(&server, before);
                    let segments: Vec<&str> = target.split('/').collect();
                    prop_assert_eq!(segments.len(), 4, "{:?} -> {}", id, target);
                    prop_assert_eq!(&segments[..3], &["", "prefix", "agents"]);
                    prop_assert_eq!(decode(segments[3]), id);
                }
                Err(Error::InvalidRequest(_)) => prop_assert_eq!(server.hits(), before),
                Err(other) => prop_assert!(false, "{:?}: {}", id, other),
            }

            let before = server.hits();
            match rt.block_on(get_media(&client, &key)) {
                Ok(()) => {
                    let target = last_target(&server, before);
                    let rest = target
                        .strip_prefix("/prefix/sessions/s%201/media/")
                        .unwrap_or_else(|| panic!("{key:?} -> {target}"));
                    let pieces: Vec<String> = rest.split('/').map(decode).collect();
                    let want: Vec<&str> = key.split('/').collect();
                    prop_assert_eq!(pieces, want);
                }
                Err(Error::InvalidRequest(_)) => prop_assert_eq!(server.hits(), before),
                Err(other) => prop_assert!(false, "{:?}: {}", key, other),
            }
            Ok(())
        })
        .unwrap();
}
