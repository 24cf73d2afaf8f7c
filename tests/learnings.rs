//! Integration tests of learnings against the real AgentOS: every learnings route, checked
//! against what the server stored. Each test works on its own user ids and namespaces
//! (`common::unique`), so the tests run in parallel against one shared server.

mod common;

use agentos::learnings::{LearningType, LearningsExt};
use agentos::{AgentOsClient, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

/// The learnings db id and its table, as `GET /config` lists them.
async fn learning_db(client: &AgentOsClient) -> (String, String) {
    let config = client.get_config().await.unwrap();
    let db = config
        .learning
        .and_then(|l| l.dbs)
        .and_then(|dbs| dbs.into_iter().next())
        .expect("GET /config lists a learnings database");
    let table = db
        .tables
        .as_ref()
        .and_then(|t| t.iter().find(|t| t.contains("learning")).cloned())
        .expect("the learnings table is listed");
    (db.db_id, table)
}

#[tokio::test]
async fn user_profile_round_trip() {
    let client = common::client();
    let user = common::unique("learn-user");

    let created = client
        .create_learning(
            LearningType::UserProfile,
            &json!({"name": "Ann", "likes": ["tea"]}),
        )
        .user_id(&user)
        .metadata(&json!({"source": "integration"}))
        .await
        .unwrap();
    assert_eq!(created.learning_id, format!("user_profile_{user}"));
    assert_eq!(created.learning_type, LearningType::UserProfile);
    assert_eq!(created.user_id.as_deref(), Some(user.as_str()));
    assert_eq!(created.content["likes"], json!(["tea"]));
    assert_eq!(created.metadata.as_ref().unwrap()["source"], "integration");
    assert!(created.created_at.is_some());

    // The id is derived from the identity: a second profile for the same user is a conflict.
    let e = client
        .create_learning(LearningType::UserProfile, &json!({"name": "Other"}))
        .user_id(&user)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e}");

    let got = client.get_learning(&created.learning_id).await.unwrap();
    assert_eq!(got, created);

    // Content is replaced whole; metadata not sent is kept.
    let updated = client
        .update_learning(&created.learning_id)
        .content(&json!({"name": "Ann", "likes": ["coffee"]}))
        .await
        .unwrap();
    assert_eq!(
        updated.content,
        *json!({"name": "Ann", "likes": ["coffee"]})
            .as_object()
            .unwrap()
    );
    assert_eq!(updated.metadata, created.metadata);
    let stored = client.get_learning(&created.learning_id).await.unwrap();
    assert_eq!(stored.content["likes"], json!(["coffee"]));

    // An empty update changes nothing; clearing the metadata removes it.
    let same = client.update_learning(&created.learning_id).await.unwrap();
    assert_eq!(same.content, stored.content);
    let cleared = client
        .update_learning(&created.learning_id)
        .clear_metadata()
        .await
        .unwrap();
    assert_eq!(cleared.metadata, None);
    assert_eq!(
        client
            .get_learning(&created.learning_id)
            .await
            .unwrap()
            .metadata,
        None
    );

    let listed = client.list_learnings().user_id(&user).await.unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].learning_id, created.learning_id);
    assert_eq!(listed.meta.total_count, Some(1));

    client.delete_learning(&created.learning_id).await.unwrap();
    let e = client.get_learning(&created.learning_id).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .delete_learning(&created.learning_id)
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client
        .update_learning(&created.learning_id)
        .content(&json!({}))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn identity_keyed_kinds_get_derived_ids_and_filters_find_them() {
    let client = common::client();
    let user = common::unique("learn-kinds");
    let session = common::unique("learn-session");
    let entity = common::unique("acme");

    let memory = client
        .create_learning(
            LearningType::UserMemory,
            &json!({"memories": ["likes tea"]}),
        )
        .user_id(&user)
        .agent_id("echo-agent")
        .await
        .unwrap();
    assert_eq!(memory.learning_id, format!("memories_{user}"));
    assert_eq!(memory.agent_id.as_deref(), Some("echo-agent"));

    let context = client
        .create_learning(
            LearningType::SessionContext,
            &json!({"summary": "planning"}),
        )
        .session_id(&session)
        .user_id(&user)
        .await
        .unwrap();
    assert_eq!(context.learning_id, format!("session_context_{session}"));

    let company = client
        .create_learning(
            LearningType::EntityMemory,
            &json!({"facts": ["founded 1999"]}),
        )
        .entity_id(&entity)
        .entity_type("company")
        .team_id("echo-team")
        .await
        .unwrap();
    assert_eq!(
        company.learning_id,
        format!("entity_global_company_{entity}")
    );
    assert_eq!(company.namespace.as_deref(), Some("global"));

    let by_kind = client
        .list_learnings()
        .user_id(&user)
        .learning_type(LearningType::UserMemory)
        .await
        .unwrap();
    assert_eq!(
        by_kind
            .data
            .iter()
            .map(|l| &l.learning_id)
            .collect::<Vec<_>>(),
        [&memory.learning_id]
    );
    let by_agent = client
        .list_learnings()
        .user_id(&user)
        .agent_id("echo-agent")
        .await
        .unwrap();
    assert_eq!(by_agent.data.len(), 1);
    let by_session = client.list_learnings().session_id(&session).await.unwrap();
    assert_eq!(by_session.data[0].learning_id, context.learning_id);
    let by_entity = client
        .list_learnings()
        .entity_id(&entity)
        .entity_type("company")
        .namespace("global")
        .team_id("echo-team")
        .await
        .unwrap();
    assert_eq!(by_entity.data.len(), 1);
    assert_eq!(by_entity.data[0].content["facts"], json!(["founded 1999"]));
    let wrong_type = client
        .list_learnings()
        .entity_id(&entity)
        .entity_type("person")
        .await
        .unwrap();
    assert!(wrong_type.data.is_empty());

    for id in [
        &memory.learning_id,
        &context.learning_id,
        &company.learning_id,
    ] {
        client.delete_learning(id).await.unwrap();
    }
}

#[tokio::test]
async fn custom_kinds_page_and_stream_in_order() {
    let client = common::client();
    let namespace = common::unique("learn-ns");
    let mut ids = Vec::new();
    for i in 0..3 {
        let l = client
            .create_learning("decision_log", &json!({"decision": i}))
            .namespace(&namespace)
            .await
            .unwrap();
        // Not identity-keyed: the server generates the id.
        assert_ne!(l.learning_id, "");
        assert_eq!(l.learning_type, LearningType::DecisionLog);
        ids.push(l.learning_id);
        // Distinct timestamps, so the sort below is well defined.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }

    let page = client
        .list_learnings()
        .namespace(&namespace)
        .limit(2)
        .page(2)
        .sort_by("created_at")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(page.meta.total_count, Some(3));
    assert_eq!(page.meta.total_pages, Some(2));
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].learning_id, ids[2]);

    let pages: Vec<_> = client
        .list_learnings()
        .namespace(&namespace)
        .limit(1)
        .sort_by("created_at")
        .sort_order(SortOrder::Asc)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let streamed: Vec<_> = pages
        .into_iter()
        .flat_map(|p| p.data)
        .map(|l| l.learning_id)
        .collect();
    assert_eq!(streamed, ids);

    let newest_first: Vec<_> = client
        .list_learnings()
        .namespace(&namespace)
        .sort_by("created_at")
        .sort_order(SortOrder::Desc)
        .into_stream()
        .map_ok(|l| l.learning_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(newest_first, ids.iter().rev().cloned().collect::<Vec<_>>());

    for id in &ids {
        client.delete_learning(id).await.unwrap();
    }
    assert!(
        client
            .list_learnings()
            .namespace(&namespace)
            .await
            .unwrap()
            .data
            .is_empty()
    );
}

#[tokio::test]
async fn learning_users_are_listed_and_deleted_by_kind() {
    let client = common::client();
    let user = common::unique("learn-owner");
    client
        .create_learning(LearningType::UserProfile, &json!({"name": "Zed"}))
        .user_id(&user)
        .await
        .unwrap();
    client
        .create_learning(LearningType::UserMemory, &json!({"memories": []}))
        .user_id(&user)
        .await
        .unwrap();

    let users = client.list_learning_users().user_id(&user).await.unwrap();
    assert_eq!(users.data.len(), 1);
    assert_eq!(users.data[0].user_id, user);
    assert!(users.data[0].last_learning_updated_at.is_some());

    // The user shows up in the walk over every user, too.
    let all: Vec<_> = client
        .list_learning_users()
        .limit(1)
        .sort_by("user_id")
        .sort_order(SortOrder::Asc)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|u| u.user_id == user));

    // Deleting one kind leaves the other.
    client
        .delete_learning_user(&user)
        .learning_type(LearningType::UserProfile)
        .await
        .unwrap();
    let left = client.list_learnings().user_id(&user).await.unwrap();
    assert_eq!(
        left.data
            .iter()
            .map(|l| &l.learning_type)
            .collect::<Vec<_>>(),
        [&LearningType::UserMemory]
    );
    let profiles = client
        .list_learning_users()
        .user_id(&user)
        .learning_type(LearningType::UserProfile)
        .await
        .unwrap();
    assert!(profiles.data.is_empty());

    client.delete_learning_user(&user).await.unwrap();
    assert!(
        client
            .list_learnings()
            .user_id(&user)
            .await
            .unwrap()
            .data
            .is_empty()
    );
    assert!(
        client
            .list_learning_users()
            .user_id(&user)
            .await
            .unwrap()
            .data
            .is_empty()
    );
    // 204 even when there is nothing left.
    client.delete_learning_user(&user).await.unwrap();
}

#[tokio::test]
async fn db_and_table_are_sent_and_checked_by_the_server() {
    let client = common::client();
    let (db_id, table) = learning_db(&client).await;
    let user = common::unique("learn-db");
    let created = client
        .create_learning(LearningType::UserProfile, &json!({"n": 1}))
        .user_id(&user)
        .db_id(&db_id)
        .table(&table)
        .await
        .unwrap();
    let got = client
        .get_learning(&created.learning_id)
        .db_id(&db_id)
        .table(&table)
        .await
        .unwrap();
    assert_eq!(got.learning_id, created.learning_id);
    let listed = client
        .list_learnings()
        .user_id(&user)
        .db_id(&db_id)
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    let e = client
        .list_learnings()
        .db_id("no-such-db")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    client
        .update_learning(&created.learning_id)
        .content(&json!({"n": 2}))
        .db_id(&db_id)
        .await
        .unwrap();
    client
        .delete_learning(&created.learning_id)
        .db_id(&db_id)
        .table(&table)
        .await
        .unwrap();
    let users = client
        .list_learning_users()
        .user_id(&user)
        .db_id(&db_id)
        .table(&table)
        .await
        .unwrap();
    assert!(users.data.is_empty());
    client
        .delete_learning_user(&user)
        .db_id(&db_id)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_secured_instance_needs_its_key() {
    let client = common::secured_client();
    let user = common::unique("learn-secured");
    let created = client
        .create_learning(LearningType::UserProfile, &json!({"name": "Key"}))
        .user_id(&user)
        .await
        .unwrap();
    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    let e = anonymous
        .get_learning(&created.learning_id)
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    client.delete_learning(&created.learning_id).await.unwrap();
}
