//! Integration tests of the memory area against the real AgentOS: every memory route, checked
//! against what the server stored. Each test works on its own user ids (`common::unique`), so
//! the tests run in parallel against one shared server.

mod common;

use std::collections::BTreeSet;

use agentos::memory::{MemoryExt, UserMemorySchema};
use agentos::{AgentOsClient, Error, RetryPolicy, SortOrder};
use futures::TryStreamExt;

/// Creates `n` memories for `user`, numbered in their text, with the given topics.
async fn seed(
    client: &AgentOsClient,
    user: &str,
    n: usize,
    topics: &[&str],
) -> Vec<UserMemorySchema> {
    let mut out = Vec::new();
    for i in 0..n {
        let m = client
            .create_memory(format!("{user} memory number {i}"), user)
            .topics(topics.iter().copied())
            .await
            .unwrap();
        out.push(m);
    }
    out
}

/// The memory db id and its memory table, as `GET /config` lists them.
async fn memory_db(client: &AgentOsClient) -> (String, Option<String>) {
    let config = client.get_config().await.unwrap();
    let dbs = config
        .memory
        .and_then(|m| m.dbs)
        .expect("GET /config lists the memory databases");
    let db = dbs.first().expect("at least one memory database");
    let table = db
        .tables
        .as_ref()
        .and_then(|t| t.iter().find(|t| t.contains("memor")).cloned());
    (db.db_id.clone(), table)
}

#[tokio::test]
async fn create_get_update_delete_round_trip() {
    let client = common::client();
    let user = common::unique("mem-user");

    let created = client
        .create_memory("User prefers dark mode for all applications", &user)
        .topics(["preferences", "ui"])
        .await
        .unwrap();
    assert!(!created.memory_id.is_empty());
    assert_eq!(
        created.memory,
        "User prefers dark mode for all applications"
    );
    assert_eq!(created.user_id.as_deref(), Some(user.as_str()));
    assert_eq!(created.topics, ["preferences", "ui"]);
    assert!(created.updated_at.is_some());

    let got = client
        .get_memory(&created.memory_id)
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(got.memory_id, created.memory_id);
    assert_eq!(got.memory, created.memory);
    assert_eq!(got.topics, created.topics);

    let updated = client
        .update_memory(
            &created.memory_id,
            "User strongly prefers dark mode everywhere",
            &user,
        )
        .topics(["preferences", "accessibility"])
        .await
        .unwrap();
    assert_eq!(updated.memory_id, created.memory_id);
    let got = client.get_memory(&created.memory_id).await.unwrap();
    assert_eq!(got.memory, "User strongly prefers dark mode everywhere");
    assert_eq!(got.topics, ["preferences", "accessibility"]);
    assert!(got.updated_at >= created.updated_at);

    // An update without topics replaces them with none (the server stores the whole memory).
    client
        .update_memory(&created.memory_id, "No topics any more", &user)
        .await
        .unwrap();
    let got = client.get_memory(&created.memory_id).await.unwrap();
    assert_eq!(got.memory, "No topics any more");
    assert!(got.topics.is_empty(), "{:?}", got.topics);

    client
        .delete_memory(&created.memory_id)
        .user_id(&user)
        .await
        .unwrap();
    let e = client.get_memory(&created.memory_id).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(
        e.http()
            .unwrap()
            .message()
            .unwrap()
            .contains(&created.memory_id),
        "{e}"
    );
}

#[tokio::test]
async fn another_users_memory_is_not_found() {
    let client = common::client();
    let owner = common::unique("mem-owner");
    let m = seed(&client, &owner, 1, &[]).await.remove(0);
    let e = client
        .get_memory(&m.memory_id)
        .user_id(common::unique("mem-stranger"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    // A delete scoped to another user leaves the memory in place.
    client
        .delete_memory(&m.memory_id)
        .user_id(common::unique("mem-stranger"))
        .await
        .unwrap();
    assert_eq!(
        client.get_memory(&m.memory_id).await.unwrap().memory,
        m.memory
    );
}

#[tokio::test]
async fn list_filters_exclude_what_does_not_match() {
    let client = common::client();
    let user = common::unique("mem-list");
    let other = common::unique("mem-list-other");
    let topic_a = common::unique("topic-a");
    let topic_b = common::unique("topic-b");
    let a = seed(&client, &user, 2, &[topic_a.as_str()]).await;
    let _b = seed(&client, &user, 1, &[topic_b.as_str()]).await;
    let both = seed(&client, &user, 1, &[topic_a.as_str(), topic_b.as_str()]).await;
    let _c = seed(&client, &other, 2, &[topic_a.as_str()]).await;
    let pineapple = client
        .create_memory("Loves pineapple on pizza", &user)
        .await
        .unwrap();

    let ids = |page: &agentos::Page<UserMemorySchema>| -> BTreeSet<String> {
        page.data.iter().map(|m| m.memory_id.clone()).collect()
    };

    // By user: only this user's five memories.
    let page = client.list_memories().user_id(&user).await.unwrap();
    assert_eq!(page.meta.total_count, Some(5));
    assert!(
        page.data
            .iter()
            .all(|m| m.user_id.as_deref() == Some(&user))
    );

    // By topic: every user's memories under topic_a, none under topic_b only.
    let page = client.list_memories().topics([&topic_a]).await.unwrap();
    assert_eq!(page.meta.total_count, Some(5), "{:?}", page.data);
    assert!(page.data.iter().all(|m| m.topics.contains(&topic_a)));

    // Topic and user together.
    let page = client
        .list_memories()
        .user_id(&user)
        .topics([&topic_a])
        .await
        .unwrap();
    let want: BTreeSet<String> = a.iter().chain(&both).map(|m| m.memory_id.clone()).collect();
    assert_eq!(ids(&page), want);

    // Several topics (sent comma-separated in one parameter) must all match.
    let page = client
        .list_memories()
        .user_id(&user)
        .topics([&topic_a, &topic_b])
        .await
        .unwrap();
    assert_eq!(ids(&page), BTreeSet::from([both[0].memory_id.clone()]));

    // Text search.
    let page = client
        .list_memories()
        .user_id(&user)
        .search_content("pineapple")
        .await
        .unwrap();
    assert_eq!(ids(&page), BTreeSet::from([pineapple.memory_id.clone()]));

    // Agent and team filters exclude memories no agent or team wrote.
    for page in [
        client
            .list_memories()
            .user_id(&user)
            .agent_id("echo-agent")
            .await
            .unwrap(),
        client
            .list_memories()
            .user_id(&user)
            .team_id("echo-team")
            .await
            .unwrap(),
    ] {
        assert!(page.data.is_empty(), "{:?}", page.data);
        assert_eq!(page.meta.total_count, Some(0));
    }
}

#[tokio::test]
async fn paging_walks_more_memories_than_one_page() {
    let client = common::client();
    let user = common::unique("mem-pages");
    let created = seed(&client, &user, 5, &[]).await;
    let mut want: Vec<String> = created.iter().map(|m| m.memory_id.clone()).collect();
    want.sort();

    let first = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .sort_by("memory_id")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(first.data.len(), 2);
    assert_eq!(first.meta.total_count, Some(5));
    assert_eq!(first.meta.total_pages, Some(3));
    assert!(first.has_next());

    let third = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .page(3)
        .sort_by("memory_id")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(third.meta.page, Some(3));
    assert_eq!(
        third
            .data
            .iter()
            .map(|m| m.memory_id.clone())
            .collect::<Vec<_>>(),
        want[4..]
    );

    let pages: Vec<_> = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .sort_by("memory_id")
        .sort_order(SortOrder::Asc)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );

    // The stream walks every page in the requested order.
    let streamed: Vec<String> = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .sort_by("memory_id")
        .sort_order(SortOrder::Asc)
        .into_stream()
        .map_ok(|m| m.memory_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, want);

    // Descending is the reverse.
    let desc: Vec<String> = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .sort_by("memory_id")
        .sort_order(SortOrder::Desc)
        .into_stream()
        .map_ok(|m| m.memory_id)
        .try_collect()
        .await
        .unwrap();
    let mut reversed = want.clone();
    reversed.reverse();
    assert_eq!(desc, reversed);

    // Starting from page 2 skips the first page.
    let from_two: Vec<String> = client
        .list_memories()
        .user_id(&user)
        .limit(2)
        .page(2)
        .sort_by("memory_id")
        .sort_order(SortOrder::Asc)
        .into_stream()
        .map_ok(|m| m.memory_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(from_two, want[2..]);
}

#[tokio::test]
async fn delete_memories_removes_only_the_listed_ones() {
    let client = common::client();
    let user = common::unique("mem-bulk");
    let created = seed(&client, &user, 3, &[]).await;
    client
        .delete_memories([&created[0].memory_id, &created[1].memory_id])
        .user_id(&user)
        .await
        .unwrap();
    for m in &created[..2] {
        let e = client.get_memory(&m.memory_id).await.unwrap_err();
        assert!(e.is_not_found(), "{e:?}");
    }
    let left = client.list_memories().user_id(&user).await.unwrap();
    assert_eq!(left.data.len(), 1);
    assert_eq!(left.data[0].memory_id, created[2].memory_id);
}

#[tokio::test]
async fn topics_and_user_stats_reflect_the_stored_memories() {
    let client = common::client();
    let user = common::unique("mem-stats");
    let t1 = common::unique("stats-topic-1");
    let t2 = common::unique("stats-topic-2");
    seed(&client, &user, 2, &[t1.as_str()]).await;
    seed(&client, &user, 1, &[t1.as_str(), t2.as_str()]).await;

    let topics: BTreeSet<String> = client
        .get_memory_topics()
        .user_id(&user)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(topics, BTreeSet::from([t1.clone(), t2.clone()]));

    // Topics of every user include this user's.
    let all = client.get_memory_topics().await.unwrap();
    assert!(all.contains(&t1) && all.contains(&t2));

    let stats = client.get_user_memory_stats().user_id(&user).await.unwrap();
    assert_eq!(stats.data.len(), 1, "{:?}", stats.data);
    assert_eq!(stats.data[0].user_id, user);
    assert_eq!(stats.data[0].total_memories, 3);
    assert!(stats.data[0].last_memory_updated_at.is_some());

    // The stream over every user's statistics finds this user too. (Other tests add and
    // remove users meanwhile, so only this user's row is checked.)
    let everyone: Vec<_> = client
        .get_user_memory_stats()
        .limit(50)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let mine = everyone.iter().find(|s| s.user_id == user).expect("listed");
    assert_eq!(mine.total_memories, 3);
}

#[tokio::test]
async fn optimize_memories_with_the_fake_model() {
    let client = common::client();
    let user = common::unique("mem-opt");
    let created = seed(&client, &user, 3, &["food"]).await;

    // A preview leaves the stored memories alone.
    let preview = client
        .optimize_memories(&user)
        .model("openai:gpt-4o")
        .apply(false)
        .await
        .unwrap();
    assert_eq!(preview.memories_before, 3);
    assert_eq!(preview.memories_after, preview.memories.len() as u64);
    assert!(preview.memories_after < 3, "{preview:?}");
    assert!(!preview.memories[0].memory.is_empty());
    assert!(preview.tokens_before > preview.tokens_after, "{preview:?}");
    assert_eq!(
        preview.tokens_saved,
        preview.tokens_before - preview.tokens_after
    );
    assert!(preview.reduction_percentage > 0.0);
    let stored = client.list_memories().user_id(&user).await.unwrap();
    assert_eq!(stored.meta.total_count, Some(3));

    // Applying (the default) replaces them, with the server's default model.
    let applied = client.optimize_memories(&user).await.unwrap();
    assert_eq!(applied.memories_before, 3);
    let stored = client.list_memories().user_id(&user).await.unwrap();
    assert_eq!(stored.meta.total_count, Some(applied.memories_after));
    let stored_ids: BTreeSet<_> = stored.data.iter().map(|m| m.memory_id.clone()).collect();
    let returned: BTreeSet<_> = applied
        .memories
        .iter()
        .map(|m| m.memory_id.clone())
        .collect();
    assert_eq!(stored_ids, returned);
    for old in &created {
        assert!(!stored_ids.contains(&old.memory_id));
    }

    // A user without memories is a 404.
    let e = client
        .optimize_memories(common::unique("mem-nobody"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn db_id_and_table_reach_the_server() {
    let client = common::client();
    let user = common::unique("mem-db");
    let (db_id, table) = memory_db(&client).await;
    let topic = common::unique("db-topic");
    let m = client
        .create_memory("stored in the named db", &user)
        .topics([&topic])
        .db_id(&db_id)
        .await
        .unwrap();
    let page = client
        .list_memories()
        .user_id(&user)
        .db_id(&db_id)
        .await
        .unwrap();
    assert_eq!(page.data[0].memory_id, m.memory_id);
    if let Some(table) = &table {
        let got = client
            .get_memory(&m.memory_id)
            .db_id(&db_id)
            .table(table)
            .await
            .unwrap();
        assert_eq!(got.memory, "stored in the named db");
        let topics = client
            .get_memory_topics()
            .user_id(&user)
            .db_id(&db_id)
            .table(table)
            .await
            .unwrap();
        assert_eq!(topics, vec![topic]);
    }

    // An unknown database is a 404 on every route.
    let e = client
        .list_memories()
        .db_id("no-such-db")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("no-such-db"), "{e}");
    let e = client
        .create_memory("x", &user)
        .db_id("no-such-db")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");

    // A table without a database is refused before sending.
    let e = client
        .list_memories()
        .table("agno_memories")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn server_side_validation_errors_are_mapped() {
    let client = common::client();
    // The client refuses the empty text before sending; ask the server directly to see its 422.
    let req = agentos::Request::post("/memories", &[])
        .unwrap()
        .json(&serde_json::json!({"memory": "", "user_id": "u"}))
        .unwrap();
    let e = client.execute(req).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422));
    match &e.http().unwrap().detail {
        Some(agentos::ErrorDetail::Validation(v)) => {
            assert!(
                v.iter().any(|v| v.loc.iter().any(|l| l == "memory")),
                "{v:?}"
            )
        }
        other => panic!("{other:?}"),
    }

    // Page 0 never reaches the server (it would answer 500).
    let e = client.list_memories().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");

    // A 404 is not retried.
    let e = client
        .get_memory("no-such-memory")
        .retry(RetryPolicy::default())
        .await
        .unwrap_err();
    assert!(e.is_not_found());
    assert!(!e.is_retryable());
}
