//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use agentos_core::http::{HeaderMap, HeaderValue, Method, StatusCode};
use agentos_core::mock::{self};
use agentos_core::{Error, HttpRequest, SortOrder, Timestamp, TransportResponse};
use futures::TryStreamExt;
use serde_json::json;

use crate::{MediaLocation, RunStatus, SessionDetail, SessionSummary, SessionType, SessionsExt};
use agentos_core::mock::{never_called as silent, query, recording};

/// `METHOD /path?query` of a recorded request, without the base URL.
fn line(req: &HttpRequest) -> String {
    format!("{} {}", req.method, &req.url[mock::BASE_URL.len()..])
}

fn values<'a>(q: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    q.iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn agent_detail(id: &str) -> serde_json::Value {
    json!({"agent_session_id": id, "session_id": id, "session_name": "n", "agent_id": "echo-agent",
           "session_state": {"k": 1}, "chat_history": [], "created_at": "2026-11-28T17:58:55Z"})
}

#[tokio::test]
async fn the_session_type_goes_out_as_type() {
    let (client, seen) = recording(|req| {
        if req.url.contains("/runs") || req.url.contains("/run-previews") {
            mock::json(200, json!([]))
        } else if req.method == Method::GET && req.url.contains("/sessions?") {
            mock::json(
                200,
                json!({"data": [], "meta": {"page": 1, "limit": 20, "total_pages": 0, "total_count": 0}}),
            )
        } else {
            mock::json(
                200,
                json!({"session_id": "s", "session_name": "n", "team_id": "t", "chat_history": []}),
            )
        }
    });
    client
        .get_sessions()
        .session_type(SessionType::Team)
        .await
        .unwrap();
    client
        .get_session("s")
        .session_type(SessionType::Team)
        .await
        .unwrap();
    client
        .get_session_runs("s")
        .session_type(SessionType::Workflow)
        .await
        .unwrap();
    client
        .get_session_run_previews("s")
        .session_type(SessionType::Agent)
        .await
        .unwrap();
    client
        .rename_session("s", "x")
        .session_type(SessionType::Team)
        .await
        .unwrap();
    client
        .update_session("s")
        .session_type(SessionType::Team)
        .await
        .unwrap();
    client
        .create_session()
        .session_type(SessionType::Team)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    let want = ["team", "team", "workflow", "agent", "team", "team", "team"];
    for (req, want) in seen.iter().zip(want) {
        let q = query(req);
        assert_eq!(values(&q, "type"), vec![want], "{}", req.url);
        assert!(values(&q, "session_type").is_empty());
    }
}

#[tokio::test]
async fn get_sessions_encodes_filters_paging_sorting_and_db() {
    let (client, seen) = recording(|_| {
        mock::json(
            200,
            json!({"data": [{"session_id": "s1", "session_name": "a", "session_type": "agent", "agent_id": "echo-agent",
                             "created_at": "2026-11-28T17:58:55Z", "updated_at": "2026-11-28T17:58:56Z"}],
                   "meta": {"page": 3, "limit": 1, "total_pages": 5, "total_count": 5, "search_time_ms": 0.0}}),
        )
    });
    let page = client
        .get_sessions()
        .session_type(SessionType::Agent)
        .component_id("echo-agent")
        .user_id("u 1")
        .session_name("chat")
        .limit(1)
        .page(3)
        .sort_by("updated_at")
        .sort_order(SortOrder::Asc)
        .db_id("db")
        .table("sessions")
        .await
        .unwrap();
    assert_eq!(page.data[0].session_type, Some(SessionType::Agent));
    assert!(page.has_next());
    let seen = seen.lock().unwrap();
    assert_eq!(
        line(&seen[0]),
        "GET /sessions?type=agent&component_id=echo-agent&user_id=u+1&session_name=chat&limit=1&page=3&sort_by=updated_at&sort_order=asc&db_id=db&table=sessions"
    );
}

#[tokio::test]
async fn into_stream_walks_every_page() {
    let (client, seen) = recording(|req| {
        let q = query(req);
        let page: u32 = values(&q, "page")
            .first()
            .map(|p| p.parse().unwrap())
            .unwrap_or(1);
        let data: Vec<_> = (0..2)
            .map(|i| json!({"session_id": format!("p{page}-{i}"), "session_name": ""}))
            .collect();
        mock::json(
            200,
            json!({"data": data, "meta": {"page": page, "limit": 2, "total_pages": 2, "total_count": 4}}),
        )
    });
    let ids: Vec<String> = client
        .get_sessions()
        .user_id("u")
        .limit(2)
        .into_stream()
        .map_ok(|s| s.session_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["p1-0", "p1-1", "p2-0", "p2-1"]);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn create_sends_a_json_body_and_only_db_id() {
    let (client, seen) = recording(|_| mock::json(201, agent_detail("s1")));
    let created = client
        .create_session()
        .session_id("s1")
        .session_name("Support")
        .session_state(&json!({"k": 1}))
        .metadata(&json!({"tier": "gold"}))
        .user_id("u1")
        .agent_id("echo-agent")
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(created.session_type(), SessionType::Agent);
    assert_eq!(created.session_id(), "s1");
    assert_eq!(created.session_state().unwrap()["k"], 1);
    let seen = seen.lock().unwrap();
    assert_eq!(line(&seen[0]), "POST /sessions?db_id=db");
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({"session_id": "s1", "session_name": "Support", "session_state": {"k": 1},
               "metadata": {"tier": "gold"}, "user_id": "u1", "agent_id": "echo-agent"})
    );
}

#[tokio::test]
async fn the_requested_kind_decides_the_detail_type() {
    // A workflow session with nothing set carries no field that names its kind.
    let (client, _) =
        recording(|_| mock::json(201, json!({"session_id": "w", "session_name": ""})));
    let d = client
        .create_session()
        .session_type(SessionType::Workflow)
        .await
        .unwrap();
    assert!(d.as_workflow().is_some());
    let d = client
        .get_session("w")
        .session_type(SessionType::Team)
        .await
        .unwrap();
    assert!(matches!(d, SessionDetail::Team(_)));
    // Without a type, create is an agent session (the server's default)...
    let d = client.create_session().await.unwrap();
    assert_eq!(d.session_type(), SessionType::Agent);
    // ...and a read is told from the fields.
    let d = client.get_session("w").await.unwrap();
    assert_eq!(d.session_type(), SessionType::Workflow);
}

#[tokio::test]
async fn update_rename_runs_and_deletes_hit_their_routes() {
    let (client, seen) = recording(|req| {
        let path = req.url[mock::BASE_URL.len()..]
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        if req.method == Method::DELETE {
            mock::empty(204)
        } else if path.ends_with("/run-previews") {
            mock::json(
                200,
                json!([{"run_id": "r1", "status": "COMPLETED", "content_preview": "hi"}]),
            )
        } else if path.ends_with("/runs") {
            mock::json(
                200,
                json!([{"run_id": "r1", "agent_id": "echo-agent", "status": "COMPLETED",
                                     "run_input": "hi", "content": "hi", "created_at": "2026-11-28T17:58:55Z"}]),
            )
        } else if path.contains("/runs/") {
            mock::json(
                200,
                json!({"run_id": "r?1", "team_id": "t", "status": "PAUSED"}),
            )
        } else {
            mock::json(200, agent_detail("s 1"))
        }
    });
    client
        .update_session("s 1")
        .session_name("new")
        .session_state(&json!({"step": 2}))
        .metadata(&json!({"m": true}))
        .summary(&SessionSummary::new("sum").topics(["t"]))
        .user_id("u")
        .await
        .unwrap();
    client.rename_session("s 1", "renamed").await.unwrap();
    let after = Timestamp::from_unix_seconds(1_700_000_000).unwrap();
    let runs = client
        .get_session_runs("s 1")
        .created_after(after)
        .created_before(Timestamp::from_unix_seconds(1_900_000_000).unwrap())
        .status(RunStatus::Completed)
        .status(RunStatus::Error)
        .db_id("d")
        .await
        .unwrap();
    assert_eq!(runs[0].status, Some(RunStatus::Completed));
    let previews = client
        .get_session_run_previews("s 1")
        .status(RunStatus::Paused)
        .user_id("u")
        .await
        .unwrap();
    assert_eq!(previews[0].content_preview.as_deref(), Some("hi"));
    let run = client
        .get_session_run("s 1", "r?1")
        .user_id("u")
        .await
        .unwrap();
    assert_eq!(run.kind(), SessionType::Team);
    client
        .delete_session("s 1")
        .user_id("u")
        .delete_media(false)
        .await
        .unwrap();
    client
        .delete_sessions([("a", SessionType::Agent), ("b", SessionType::Workflow)])
        .user_id("u")
        .db_id("d")
        .table("t")
        .await
        .unwrap();

    let seen = seen.lock().unwrap();
    let lines: Vec<String> = seen.iter().map(line).collect();
    assert_eq!(
        lines,
        [
            "PATCH /sessions/s%201?user_id=u",
            "POST /sessions/s%201/rename",
            "GET /sessions/s%201/runs?created_after=1700000000&created_before=1900000000&status=COMPLETED&status=ERROR&db_id=d",
            "GET /sessions/s%201/run-previews?status=PAUSED&user_id=u",
            "GET /sessions/s%201/runs/r%3F1?user_id=u",
            "DELETE /sessions/s%201?user_id=u&delete_media=false",
            "DELETE /sessions?user_id=u&db_id=d&table=t",
        ]
    );
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({"session_name": "new", "session_state": {"step": 2}, "metadata": {"m": true},
               "summary": {"summary": "sum", "topics": ["t"]}})
    );
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"session_name": "renamed"})
    );
    assert_eq!(
        mock::json_body(&seen[6]).unwrap(),
        json!({"session_ids": ["a", "b"], "session_types": ["agent", "workflow"]}),
        "DELETE /sessions carries a JSON body with lists of equal length"
    );
}

#[tokio::test]
async fn media_keeps_bytes_content_type_and_the_key_path() {
    let (client, seen) = recording(|_| {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("image/png"));
        TransportResponse::buffered(StatusCode::OK, h, &b"\x89PNG\r\n"[..])
    });
    let media = client
        .get_session_media("s1", "media/run 1/cat.png")
        .session_type(SessionType::Agent)
        .redirect(false)
        .await
        .unwrap();
    assert_eq!(&media.data[..], b"\x89PNG\r\n");
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
    assert!(!media.attachment);
    let seen = seen.lock().unwrap();
    assert_eq!(
        line(&seen[0]),
        "GET /sessions/s1/media/media/run%201/cat.png?type=agent&redirect=false"
    );
    assert_eq!(
        seen[0].route,
        "/sessions/{session_id}/media/{storage_key:path}"
    );
}

#[tokio::test]
async fn active_media_is_flagged_as_attachment() {
    let (client, _) = recording(|_| {
        let mut h = HeaderMap::new();
        h.insert(
            "content-type",
            HeaderValue::from_static("application/octet-stream"),
        );
        h.insert(
            "content-disposition",
            HeaderValue::from_static("attachment"),
        );
        TransportResponse::buffered(StatusCode::OK, h, &b"<svg/>"[..])
    });
    let media = client.get_session_media("s1", "x.svg").await.unwrap();
    assert!(media.attachment);
    assert_eq!(
        media.content_type.as_deref(),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let client = silent();
    let e = client.get_session("").await.unwrap_err();
    assert!(e.to_string().contains("session_id"), "{e}");
    let e = client.get_session_run("s", "").await.unwrap_err();
    assert!(e.to_string().contains("run_id"), "{e}");
    let e = client.get_session_media("s", "").await.unwrap_err();
    assert!(e.to_string().contains("storage_key"), "{e}");
    let e = client
        .delete_sessions(Vec::<(String, SessionType)>::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.get_sessions().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.get_sessions().limit(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.get_session_runs("s").table("t").await.unwrap_err();
    assert!(e.to_string().contains("db_id"), "{e}");
    let e = client
        .update_session("s")
        .session_state(&json!(["not", "an", "object"]))
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("session_state must be a JSON object"),
        "{e}"
    );
    let e = client.create_session().metadata(&"text").await.unwrap_err();
    assert!(e.to_string().contains("metadata"), "{e}");
    let e = client
        .get_sessions()
        .page(0)
        .pages()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn errors_keep_status_and_detail() {
    let (client, _) = recording(|req| {
        let path = req.url[mock::BASE_URL.len()..]
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        match (req.method.as_str(), path.as_str()) {
            ("POST", "/sessions") => mock::error(
                409,
                "Session with id 's1' already exists. Use PATCH /sessions/s1 to update it.",
            ),
            ("GET", "/sessions/missing") => mock::error(404, "Session with id 'missing' not found"),
            ("GET", p) if p.ends_with("/runs") => mock::error(
                400,
                "Invalid status value(s) ['DONE']; expected one of ['CANCELLED', 'COMPLETED']",
            ),
            ("GET", p) if p.contains("/media/") => {
                mock::error(503, "Media storage is not configured on AgentOS")
            }
            ("DELETE", "/sessions") => mock::error(
                400,
                "Session IDs and session types must have the same length",
            ),
            _ => mock::json(
                422,
                json!({"detail": [{"type": "enum", "loc": ["query", "type"], "msg": "Input should be 'agent', 'team' or 'workflow'", "input": "robot"}]}),
            ),
        }
    });
    let e = client.create_session().session_id("s1").await.unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::CONFLICT));
    assert!(
        e.http()
            .unwrap()
            .message()
            .unwrap()
            .contains("already exists")
    );

    let e = client.get_session("missing").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(e.http().unwrap().route, "/sessions/{session_id}");

    let e = client
        .get_session_runs("s")
        .status(RunStatus::Unknown("DONE".into()))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
    assert!(e.to_string().contains("Invalid status"), "{e}");

    let e = client.get_session_media("s", "k.png").await.unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(e.is_retryable());
    assert!(
        e.to_string().contains("Media storage is not configured"),
        "{e}"
    );

    let e = client
        .delete_sessions([("a", SessionType::Agent)])
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));

    let e = client
        .get_sessions()
        .session_type(SessionType::Unknown("robot".into()))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert!(e.to_string().contains("query.type"), "{e}");
}

#[tokio::test]
async fn a_detail_that_is_not_an_object_is_a_decode_error() {
    let (client, _) = recording(|_| mock::json(200, json!(["not", "a", "session"])));
    let e = client.get_session("s").await.unwrap_err();
    match e {
        Error::Decode { body, route, .. } => {
            assert!(body.contains("not"));
            assert_eq!(route, "/sessions/{session_id}");
        }
        other => panic!("{other:?}"),
    }
}

/// A fresh path in the temp dir (the file does not exist yet).
fn temp_path(name: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "agentos-sessions-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

fn chunked(
    content_type: &'static str,
    chunks: Vec<agentos_core::Result<&'static [u8]>>,
) -> TransportResponse {
    let mut h = HeaderMap::new();
    h.insert("content-type", HeaderValue::from_static(content_type));
    let body = futures::stream::iter(chunks.into_iter().map(|c| c.map(bytes::Bytes::from_static)));
    TransportResponse::streaming(StatusCode::OK, h, Box::pin(body))
}

#[tokio::test]
async fn save_to_streams_every_chunk_into_the_file() {
    let (client, seen) = recording(|_| {
        chunked(
            "image/png",
            vec![Ok(&b"\x89PNG"[..]), Ok(&b"\r\n"[..]), Ok(&b"rest"[..])],
        )
    });
    let path = temp_path("cat.png");
    let saved = client
        .get_session_media("s1", "k 1.png")
        .user_id("u")
        .save_to(&path)
        .await
        .unwrap();
    assert_eq!(saved.bytes_written, 10);
    assert_eq!(saved.content_type.as_deref(), Some("image/png"));
    assert!(!saved.attachment);
    assert_eq!(std::fs::read(&path).unwrap(), b"\x89PNG\r\nrest");
    std::fs::remove_file(&path).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(line(&seen[0]), "GET /sessions/s1/media/k%201.png?user_id=u");
    assert!(seen[0].streaming, "save_to asks the transport for a stream");
}

#[tokio::test]
async fn save_to_keeps_the_attachment_flag_and_truncates_an_old_file() {
    let (client, _) = recording(|_| {
        let mut r = chunked("application/octet-stream", vec![Ok(&b"<html/>"[..])]);
        r.headers.insert(
            "content-disposition",
            HeaderValue::from_static("attachment"),
        );
        r
    });
    let path = temp_path("page.html");
    std::fs::write(&path, b"an older and much longer content").unwrap();
    let saved = client
        .get_session_media("s1", "p.html")
        .save_to(&path)
        .await
        .unwrap();
    assert!(saved.attachment);
    assert_eq!(saved.bytes_written, 7);
    assert_eq!(std::fs::read(&path).unwrap(), b"<html/>");
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn save_to_removes_the_partial_file_when_the_stream_breaks() {
    let (client, _) = recording(|req| {
        chunked(
            "image/png",
            vec![
                Ok(&b"half"[..]),
                Err(Error::Connection {
                    method: req.method.clone(),
                    route: req.route.to_string(),
                    source: "reset by peer".into(),
                }),
            ],
        )
    });
    let path = temp_path("broken.png");
    let e = client
        .get_session_media("s1", "k.png")
        .save_to(&path)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert!(!path.exists(), "the partial file is gone");
}

#[tokio::test]
async fn save_to_creates_no_file_on_an_error_status() {
    let (client, _) = recording(|_| mock::error(404, "Media not found in this session"));
    let path = temp_path("missing.png");
    let e = client
        .get_session_media("s1", "k.png")
        .save_to(&path)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert!(e.to_string().contains("Media not found"), "{e}");
    assert!(!path.exists());
}

#[tokio::test]
async fn save_to_fails_on_a_path_it_cannot_write() {
    let (client, _) = recording(|_| chunked("image/png", vec![Ok(&b"x"[..])]));
    let path = temp_path("no-such-dir").join("cat.png");
    let e = client
        .get_session_media("s1", "k.png")
        .save_to(&path)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("cannot write"), "{e}");
    assert!(e.to_string().contains("cat.png"), "{e}");
    assert!(
        matches!(&e, Error::FileWrite { path: p, .. } if p == &path),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_unfollowed_redirect_is_an_error_not_a_silent_fetch() {
    // A transport that does not follow redirects hands the 307 back: the call fails with it
    // (for the buffered call and for save_to), and only one request was sent.
    let (client, seen) = recording(|_| {
        let mut h = HeaderMap::new();
        h.insert(
            "location",
            HeaderValue::from_static("https://bucket.example/k.png?sig=1"),
        );
        TransportResponse::buffered(StatusCode::TEMPORARY_REDIRECT, h, bytes::Bytes::new())
    });
    let e = client
        .get_session_media("s1", "k.png")
        .redirect(true)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::TEMPORARY_REDIRECT), "{e:?}");
    let path = temp_path("redirect.png");
    let e = client
        .get_session_media("s1", "k.png")
        .redirect(true)
        .save_to(&path)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::TEMPORARY_REDIRECT), "{e:?}");
    let Error::Http(http) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        http.location.as_ref().map(|l| l.expose()),
        Some("https://bucket.example/k.png?sig=1")
    );
    assert!(!path.exists());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(line(&seen[1]), "GET /sessions/s1/media/k.png?redirect=true");
    assert!(seen.iter().all(|r| r.follow_redirects));
}

#[tokio::test]
async fn signed_url_asks_for_the_redirect_and_returns_its_location() {
    let (client, seen) = recording(|_| {
        let mut h = HeaderMap::new();
        h.insert(
            "location",
            HeaderValue::from_static("https://bucket.example/k.png?sig=s3cret"),
        );
        TransportResponse::buffered(StatusCode::TEMPORARY_REDIRECT, h, bytes::Bytes::new())
    });
    let got = client
        .get_session_media("s1", "dir/k.png")
        .user_id("u1")
        .signed_url()
        .await
        .unwrap();
    let MediaLocation::Url(url) = &got else {
        panic!("{got:?}")
    };
    assert_eq!(url.expose(), "https://bucket.example/k.png?sig=s3cret");
    assert!(!format!("{got:?}").contains("s3cret"));
    let seen = seen.lock().unwrap();
    assert_eq!(
        line(&seen[0]),
        "GET /sessions/s1/media/dir/k.png?user_id=u1&redirect=true"
    );
    assert!(
        !seen[0].follow_redirects,
        "the redirect is asked for, not followed"
    );
}

#[tokio::test]
async fn signed_url_of_storage_without_urls_is_the_media_inline() {
    let (client, _) = recording(|_| {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("image/png"));
        TransportResponse::buffered(StatusCode::OK, h, bytes::Bytes::from_static(b"png"))
    });
    let got = client
        .get_session_media("s1", "k.png")
        .signed_url()
        .await
        .unwrap();
    let MediaLocation::Inline(media) = got else {
        panic!("{got:?}")
    };
    assert_eq!(&media.data[..], b"png");
    assert_eq!(media.content_type.as_deref(), Some("image/png"));
}

#[tokio::test]
async fn a_redirect_without_location_is_an_http_error() {
    let (client, _) = recording(|_| {
        TransportResponse::buffered(
            StatusCode::TEMPORARY_REDIRECT,
            HeaderMap::new(),
            bytes::Bytes::from_static(b"moved"),
        )
    });
    let e = client
        .get_session_media("s1", "k.png")
        .signed_url()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::TEMPORARY_REDIRECT), "{e:?}");
    let Error::Http(http) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(http.body, "moved");
}
