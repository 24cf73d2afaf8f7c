//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{Error, ErrorDetail, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

use crate::MemoryExt;
use agentos_core::mock::{never_called as silent, path, query, recording};

fn memory_json(id: &str) -> serde_json::Value {
    json!({
        "memory_id": id, "memory": "likes tea", "topics": ["food"], "user_id": "u1",
        "updated_at": "2026-11-28T17:58:55Z"
    })
}

#[tokio::test]
async fn create_sends_json_and_db_params() {
    let (client, seen) = recording(|_| mock::json(200, memory_json("m1")));
    let m = client
        .create_memory("likes tea", "u1")
        .topics(["food", "drinks"])
        .db_id("db 1")
        .table("mem")
        .await
        .unwrap();
    assert_eq!(m.memory_id, "m1");
    assert_eq!(m.topics, vec!["food"]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/memories");
    assert_eq!(
        query(&seen[0]),
        vec![
            ("db_id".to_owned(), "db 1".to_owned()),
            ("table".to_owned(), "mem".to_owned())
        ]
    );
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({"memory": "likes tea", "user_id": "u1", "topics": ["food", "drinks"]})
    );
}

#[tokio::test]
async fn create_without_topics_leaves_them_out() {
    let (client, seen) = recording(|_| mock::json(200, memory_json("m1")));
    client.create_memory("x", "u1").await.unwrap();
    let body = mock::json_body(&seen.lock().unwrap()[0]).unwrap();
    assert_eq!(body, json!({"memory": "x", "user_id": "u1"}));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let client = silent();
    let e = client.create_memory("", "u").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let long = "é".repeat(crate::MAX_MEMORY_CHARS + 1);
    let e = client.create_memory(long, "u").await.unwrap_err();
    assert!(e.to_string().contains("5000"), "{e}");
    // 5000 two-byte characters are fine: the limit counts characters, not bytes.
    let ok = "é".repeat(crate::MAX_MEMORY_CHARS);
    assert!(super::check_memory_text(&ok).is_ok());
    let e = client.update_memory("m", "", "u").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.get_memory("").await.unwrap_err();
    assert!(e.to_string().contains("memory_id"), "{e}");
    let e = client
        .delete_memories(Vec::<String>::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.list_memories().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.list_memories().limit(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.get_memory_topics().table("t").await.unwrap_err();
    assert!(e.to_string().contains("db_id"), "{e}");
    let e = client.list_memories().topics(["a,b"]).await.unwrap_err();
    assert!(e.to_string().contains("comma"), "{e}");
    let e = client.optimize_memories("").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // The paging stream reports the same refusal instead of sending.
    let e = client
        .list_memories()
        .page(0)
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn list_encodes_every_filter_and_topics_comma_separated() {
    let (client, seen) = recording(|_| {
        mock::json(
            200,
            json!({"data": [memory_json("m1")], "meta": {"page": 2, "limit": 5, "total_pages": 3, "total_count": 11, "search_time_ms": 0.0}}),
        )
    });
    let page = client
        .list_memories()
        .user_id("u 1")
        .agent_id("a1")
        .team_id("t1")
        .topics(["food", "ui prefs"])
        .search_content("tea & milk")
        .limit(5)
        .page(2)
        .sort_by("created_at")
        .sort_order(SortOrder::Asc)
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.meta.total_count, Some(11));
    let seen = seen.lock().unwrap();
    let q = query(&seen[0]);
    let get = |k: &str| -> Vec<&str> {
        q.iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(
        get("topics"),
        vec!["food,ui prefs"],
        "one comma-separated value"
    );
    assert_eq!(get("user_id"), vec!["u 1"]);
    assert_eq!(get("agent_id"), vec!["a1"]);
    assert_eq!(get("team_id"), vec!["t1"]);
    assert_eq!(get("search_content"), vec!["tea & milk"]);
    assert_eq!(get("limit"), vec!["5"]);
    assert_eq!(get("page"), vec!["2"]);
    assert_eq!(get("sort_by"), vec!["created_at"]);
    assert_eq!(get("sort_order"), vec!["asc"]);
    assert_eq!(get("db_id"), vec!["db"]);
    // On the wire the comma is percent-encoded inside the single value.
    assert!(
        seen[0].url.contains("topics=food%2Cui+prefs"),
        "{}",
        seen[0].url
    );
}

#[tokio::test]
async fn into_stream_walks_every_page_keeping_the_filters() {
    let (client, seen) = recording(|req| {
        let page: u32 = mock::query_value(req, "page").unwrap_or(1);
        let ids: Vec<_> = (0..2)
            .map(|i| memory_json(&format!("p{page}-{i}")))
            .collect();
        mock::json(
            200,
            json!({"data": ids, "meta": {"page": page, "limit": 2, "total_pages": 3, "total_count": 6}}),
        )
    });
    let all: Vec<_> = client
        .list_memories()
        .user_id("u1")
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|m| m.memory_id.as_str()).collect();
    assert_eq!(ids, ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    for (i, req) in seen.iter().enumerate() {
        let q = query(req);
        assert!(q.contains(&("user_id".into(), "u1".into())));
        assert!(q.contains(&("page".into(), (i + 1).to_string())));
    }
}

#[tokio::test]
async fn get_update_delete_topics_stats_and_optimize_hit_their_routes() {
    let (client, seen) = recording(|req| match (req.method.as_str(), path(req)) {
        ("DELETE", _) => mock::empty(204),
        (_, "/memory_topics") => mock::json(200, json!(["food", "ui"])),
        (_, "/user_memory_stats") => mock::json(
            200,
            json!({"data": [{"user_id": "u1", "total_memories": 2, "last_memory_updated_at": "2026-11-28T17:58:55Z"}],
                   "meta": {"page": 1, "limit": 20, "total_pages": 1, "total_count": 1}}),
        ),
        (_, "/optimize-memories") => mock::json(
            200,
            json!({"memories": [memory_json("m9")], "memories_before": 2, "memories_after": 1,
                   "tokens_before": 40, "tokens_after": 25, "tokens_saved": 15, "reduction_percentage": 37.5}),
        ),
        _ => mock::json(200, memory_json("m?1")),
    });
    client.get_memory("m?1").user_id("u1").await.unwrap();
    client
        .update_memory("m?1", "likes green tea", "u1")
        .topics(["food"])
        .table("t")
        .db_id("d")
        .await
        .unwrap();
    client.delete_memory("m?1").user_id("u1").await.unwrap();
    client
        .delete_memories(["a", "b"])
        .user_id("u1")
        .db_id("d")
        .await
        .unwrap();
    let topics = client.get_memory_topics().user_id("u1").await.unwrap();
    assert_eq!(topics, ["food", "ui"]);
    let stats = client
        .get_user_memory_stats()
        .page(1)
        .limit(20)
        .await
        .unwrap();
    assert_eq!(stats.data[0].total_memories, 2);
    let opt = client
        .optimize_memories("u1")
        .model("openai:fake")
        .apply(false)
        .await
        .unwrap();
    assert_eq!(opt.memories_after, 1);
    assert_eq!(opt.memories[0].memory_id, "m9");
    assert!((opt.reduction_percentage - 37.5).abs() < 1e-9);

    let seen = seen.lock().unwrap();
    let lines: Vec<String> = seen
        .iter()
        .map(|r| format!("{} {}", r.method, &r.url[mock::BASE_URL.len()..]))
        .collect();
    assert_eq!(
        lines,
        [
            "GET /memories/m%3F1?user_id=u1",
            "PATCH /memories/m%3F1?table=t&db_id=d",
            "DELETE /memories/m%3F1?user_id=u1",
            "DELETE /memories?db_id=d",
            "GET /memory_topics?user_id=u1",
            "GET /user_memory_stats?page=1&limit=20",
            "POST /optimize-memories",
        ]
    );
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"memory": "likes green tea", "user_id": "u1", "topics": ["food"]})
    );
    assert_eq!(
        mock::json_body(&seen[3]).unwrap(),
        json!({"memory_ids": ["a", "b"], "user_id": "u1"}),
        "DELETE /memories carries a JSON body"
    );
    assert_eq!(
        mock::json_body(&seen[6]).unwrap(),
        json!({"user_id": "u1", "model": "openai:fake", "apply": false})
    );
}

#[tokio::test]
async fn errors_keep_status_and_detail() {
    let (client, _) = recording(|req| match path(req) {
        "/memories/missing" => mock::error(404, "Memory with ID missing not found"),
        "/memories" if req.method == Method::POST => mock::error(400, "User ID is required"),
        "/optimize-memories" => mock::error(404, "No memories found for user nobody"),
        _ => mock::json(
            422,
            json!({"detail": [{"type": "missing", "loc": ["body", "memory_ids"], "msg": "Field required", "input": null}]}),
        ),
    });
    let e = client.get_memory("missing").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(
        e.http().unwrap().message().as_deref(),
        Some("Memory with ID missing not found")
    );
    assert_eq!(e.http().unwrap().route, "/memories/{memory_id}");

    let e = client.create_memory("x", "u").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    assert!(e.to_string().contains("User ID is required"), "{e}");

    let e = client.optimize_memories("nobody").await.unwrap_err();
    assert!(e.is_not_found());

    let e = client.delete_memories(["x"]).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422));
    match &e.http().unwrap().detail {
        Some(ErrorDetail::Validation(v)) => assert_eq!(v[0].msg, "Field required"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_changed_answer_is_a_decode_error_with_the_body() {
    let (client, _) = recording(|_| mock::json(200, json!({"unexpected": true})));
    let e = client.get_memory("m1").await.unwrap_err();
    match e {
        Error::Decode { body, .. } => assert!(body.contains("unexpected")),
        other => panic!("{other:?}"),
    }
}
