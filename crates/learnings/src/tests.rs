//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{Error, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

use crate::{LearningType, LearningsExt};
use agentos_core::mock::{never_called as silent, path, query, recording};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn learning_json(id: &str) -> serde_json::Value {
    json!({
        "learning_id": id, "learning_type": "user_profile", "namespace": null, "user_id": "u1",
        "agent_id": null, "team_id": null, "session_id": null, "entity_id": null,
        "entity_type": null, "content": {"name": "Ann"}, "metadata": null,
        "created_at": 1795896440, "updated_at": 1795896440
    })
}

fn page_json(items: Vec<serde_json::Value>, page: u32, total_pages: u32) -> serde_json::Value {
    json!({"data": items, "meta": {"page": page, "limit": 1, "total_pages": total_pages, "total_count": total_pages}})
}

#[tokio::test]
async fn create_sends_type_content_and_identity() {
    let (client, seen) = recording(|_| mock::json(201, learning_json("user_profile_u1")));
    let l = client
        .create_learning(LearningType::UserProfile, &json!({"name": "Ann"}))
        .user_id("u1")
        .agent_id("a1")
        .metadata(&json!({"source": "test"}))
        .db_id("db")
        .table("agno_learnings")
        .await
        .unwrap();
    assert_eq!(l.learning_id, "user_profile_u1");
    assert_eq!(l.learning_type, LearningType::UserProfile);
    assert_eq!(l.content["name"], "Ann");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/learnings");
    assert_eq!(
        query(&seen[0]),
        pairs(&[("db_id", "db"), ("table", "agno_learnings")])
    );
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "content": {"name": "Ann"}, "user_id": "u1", "agent_id": "a1",
            "metadata": {"source": "test"}, "learning_type": "user_profile"
        })
    );
}

#[tokio::test]
async fn custom_kinds_need_no_identity() {
    let (client, seen) = recording(|_| mock::json(201, learning_json("uuid")));
    client
        .create_learning("team_playbook", &json!({"steps": [1, 2]}))
        .namespace("ops")
        .await
        .unwrap();
    let body = mock::json_body(&seen.lock().unwrap()[0]).unwrap();
    assert_eq!(body["learning_type"], "team_playbook");
    assert_eq!(body["namespace"], "ops");
    assert!(body.get("user_id").is_none());
}

#[tokio::test]
async fn missing_identity_and_bad_content_are_refused_before_sending() {
    let client = silent();
    for (kind, hint) in [
        (LearningType::UserProfile, "user_id"),
        (LearningType::UserMemory, "user_id"),
        (LearningType::SessionContext, "session_id"),
        (LearningType::EntityMemory, "entity_id"),
    ] {
        let e = client
            .create_learning(kind, &json!({"x": 1}))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains(hint)),
            "{e:?}"
        );
    }
    // entity_memory under namespace "user" also needs the user.
    let e = client
        .create_learning(LearningType::EntityMemory, &json!({"x": 1}))
        .entity_id("acme")
        .entity_type("company")
        .namespace("user")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("user_id"), "{e}");
    // an empty user id is no identity
    let e = client
        .create_learning(LearningType::UserProfile, &json!({}))
        .user_id("")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // content and metadata must be objects
    let e = client
        .create_learning("x", &json!(["a"]))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("content must be a JSON object"),
        "{e}"
    );
    let e = client
        .create_learning("x", &json!({}))
        .metadata(&"text")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("metadata"), "{e}");
    let e = client.create_learning("", &json!({})).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // table without db_id, page 0, limit 0, empty ids
    let e = client.list_learnings().table("t").await.unwrap_err();
    assert!(e.to_string().contains("db_id"), "{e}");
    assert!(client.list_learnings().page(0).await.is_err());
    assert!(client.list_learning_users().limit(0).await.is_err());
    assert!(client.get_learning("").await.is_err());
    assert!(client.delete_learning_user("").await.is_err());
}

#[tokio::test]
async fn list_sends_every_filter() {
    let (client, seen) = recording(|_| mock::json(200, page_json(vec![learning_json("l1")], 1, 1)));
    let page = client
        .list_learnings()
        .learning_type(LearningType::EntityMemory)
        .user_id("u 1")
        .agent_id("a")
        .team_id("t")
        .session_id("s")
        .namespace("global")
        .entity_id("acme")
        .entity_type("company")
        .limit(5)
        .page(2)
        .sort_by("created_at")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/learnings");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("learning_type", "entity_memory"),
            ("user_id", "u 1"),
            ("agent_id", "a"),
            ("team_id", "t"),
            ("session_id", "s"),
            ("namespace", "global"),
            ("entity_id", "acme"),
            ("entity_type", "company"),
            ("limit", "5"),
            ("page", "2"),
            ("sort_by", "created_at"),
            ("sort_order", "asc"),
        ])
    );
}

#[tokio::test]
async fn users_stream_walks_every_page() {
    let (client, seen) = recording(|req| {
        let page: u32 = mock::query_value(req, "page").unwrap_or(1);
        mock::json(
            200,
            page_json(
                vec![
                    json!({"user_id": format!("u{page}"), "last_learning_updated_at": 1795896440}),
                ],
                page,
                3,
            ),
        )
    });
    let users: Vec<_> = client
        .list_learning_users()
        .learning_type("user_profile")
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| path(r) == "/learnings/users"));
    assert!(query(&seen[2]).contains(&("learning_type".to_owned(), "user_profile".to_owned())));
}

#[tokio::test]
async fn get_update_delete_paths_and_bodies() {
    let (client, seen) = recording(|req| match req.method {
        Method::DELETE => mock::empty(204),
        _ => mock::json(200, learning_json("user_profile_u?1")),
    });
    client.get_learning("user_profile_u?1").await.unwrap();
    client
        .update_learning("user_profile_u?1")
        .content(&json!({"name": "Bob"}))
        .clear_metadata()
        .await
        .unwrap();
    client.update_learning("id").await.unwrap();
    client.delete_learning("id").db_id("db").await.unwrap();
    client
        .delete_learning_user("user 1")
        .learning_type(LearningType::UserMemory)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(path(&seen[0]), "/learnings/user_profile_u%3F1");
    assert_eq!(seen[1].method, Method::PATCH);
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"content": {"name": "Bob"}, "metadata": null})
    );
    assert_eq!(mock::json_body(&seen[2]).unwrap(), json!({}));
    assert_eq!(seen[3].method, Method::DELETE);
    assert_eq!(path(&seen[3]), "/learnings/id");
    assert_eq!(query(&seen[3]), pairs(&[("db_id", "db")]));
    assert_eq!(path(&seen[4]), "/learnings/users/user%201");
    assert_eq!(query(&seen[4]), pairs(&[("learning_type", "user_memory")]));
}

#[tokio::test]
async fn conflicts_and_missing_rows_map_to_http_errors() {
    let (client, _) = recording(|req| match req.method {
        Method::POST => mock::error(409, "A 'user_profile' learning already exists"),
        _ => mock::error(404, "Learning not found"),
    });
    let e = client
        .create_learning(LearningType::UserProfile, &json!({}))
        .user_id("u1")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409));
    assert!(e.to_string().contains("already exists"), "{e}");
    let e = client.get_learning("nope").await.unwrap_err();
    assert!(e.is_not_found());
}
