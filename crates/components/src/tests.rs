//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use agentos_core::Error;
use agentos_core::http::Method;
use agentos_core::mock::{self};
use futures::TryStreamExt;
use serde_json::json;

use crate::{ComponentType, ComponentsExt, ConfigStage, RegistryResourceType};
use agentos_core::mock::{never_called as silent, path, query, recording};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn component_json(id: &str) -> serde_json::Value {
    json!({
        "component_id": id, "component_type": "agent", "name": "A", "current_version": 2,
        "created_at": 1795896638
    })
}

fn config_json(version: u32, stage: &str) -> serde_json::Value {
    json!({
        "component_id": "a1", "version": version, "stage": stage,
        "config": {"name": "A"}, "created_at": 1795896638
    })
}

#[tokio::test]
async fn create_sends_the_first_config() {
    let (client, seen) = recording(|_| mock::json(201, component_json("support-agent")));
    let c = client
        .create_component("Support Agent", ComponentType::Agent)
        .component_id("support-agent")
        .description("d")
        .metadata(&json!({"owner": "x"}))
        .config(&json!({"name": "Support Agent"}))
        .label("v1")
        .stage(ConfigStage::Published)
        .notes("n")
        .await
        .unwrap();
    assert_eq!(c.component_type, ComponentType::Agent);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/components");
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "name": "Support Agent", "component_type": "agent",
            "component_id": "support-agent", "description": "d",
            "metadata": {"owner": "x"}, "config": {"name": "Support Agent"},
            "label": "v1", "stage": "published", "notes": "n"
        })
    );
}

#[tokio::test]
async fn bad_ids_names_and_shapes_are_refused_before_sending() {
    let client = silent();
    for id in [
        "",
        "a b",
        "a/b",
        "a\\b",
        "a?b",
        "a#b",
        "50%",
        ".",
        "..",
        "tab\there",
    ] {
        let e = client
            .create_component("A", ComponentType::Agent)
            .component_id(id)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("component_id")),
            "{id:?}: {e:?}"
        );
    }
    let e = client
        .create_component("  ", ComponentType::Team)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("name"), "{e}");
    let e = client
        .create_component("A", ComponentType::Agent)
        .config(&json!(["not", "an", "object"]))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("config must be a JSON object"),
        "{e}"
    );
    let e = client
        .create_component_config("a1", &json!("text"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("config"), "{e}");
    let e = client
        .update_component_config("a1", 2)
        .links(&json!({"not": "an array"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("links must be a JSON array"), "{e}");
    assert!(client.get_component("").await.is_err());
    assert!(client.list_components().limit(0).await.is_err());
    assert!(client.list_registry().page(0).await.is_err());
}

#[tokio::test]
async fn guards_go_where_each_route_reads_them() {
    let (client, seen) = recording(|req| match req.method {
        Method::DELETE => mock::empty(204),
        _ if path(req).contains("/configs") && !path(req).ends_with("/set-current") => {
            mock::json(201, config_json(3, "draft"))
        }
        _ => mock::json(200, component_json("a1")),
    });
    client
        .update_component("a1")
        .name("B")
        .description("d")
        .component_type(ComponentType::Team)
        .metadata(&json!({"k": 1}))
        .current_version(1)
        .if_current_version(2)
        .await
        .unwrap();
    client
        .delete_component("a1")
        .if_current_version(0)
        .await
        .unwrap();
    client.delete_component("a1").await.unwrap();
    client
        .set_current_component_config("a1", 1)
        .if_current_version(2)
        .await
        .unwrap();
    client.set_current_component_config("a1", 1).await.unwrap();
    client
        .create_component_config("a1", &json!({"name": "A"}))
        .label("v3")
        .stage(ConfigStage::Draft)
        .notes("n")
        .links(&json!([{"child_component_id": "m1", "child_version": 1}]))
        .if_latest_version(2)
        .await
        .unwrap();
    client
        .update_component_config("a1", 3)
        .config(&json!({"name": "B"}))
        .if_latest_version(3)
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "name": "B", "description": "d", "component_type": "team", "metadata": {"k": 1},
            "current_version": 1, "guard": {"current_version": 2}
        })
    );
    assert_eq!(seen[1].method, Method::DELETE);
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"guard": {"current_version": 0}})
    );
    assert!(
        mock::json_body(&seen[2]).is_none(),
        "no body without a guard"
    );
    assert_eq!(path(&seen[3]), "/components/a1/configs/1/set-current");
    assert_eq!(
        mock::json_body(&seen[3]).unwrap(),
        json!({"guard": {"current_version": 2}})
    );
    assert!(mock::json_body(&seen[4]).is_none());
    assert_eq!(path(&seen[5]), "/components/a1/configs");
    assert_eq!(
        mock::json_body(&seen[5]).unwrap(),
        json!({
            "config": {"name": "A"}, "label": "v3", "stage": "draft", "notes": "n",
            "links": [{"child_component_id": "m1", "child_version": 1}],
            "guard": {"latest_version": 2}
        })
    );
    assert_eq!(seen[6].method, Method::PATCH);
    assert_eq!(path(&seen[6]), "/components/a1/configs/3");
    assert_eq!(
        mock::json_body(&seen[6]).unwrap(),
        json!({"config": {"name": "B"}, "guard": {"latest_version": 3}})
    );
}

#[tokio::test]
async fn reads_lists_and_the_registry() {
    let (client, seen) = recording(|req| {
        let p = path(req);
        if p == "/registry" {
            mock::json(
                200,
                json!({"data": [{"name": "gpt-4o", "type": "model"}],
                       "meta": {"page": 1, "total_pages": 1}}),
            )
        } else if p == "/components" {
            mock::json(
                200,
                json!({"data": [component_json("a1")], "meta": {"page": 1, "total_pages": 1}}),
            )
        } else if p.ends_with("/configs") {
            mock::json(
                200,
                json!([config_json(1, "published"), config_json(2, "draft")]),
            )
        } else if p.contains("/configs/") {
            mock::json(200, config_json(1, "published"))
        } else if req.method == Method::DELETE {
            mock::empty(204)
        } else {
            mock::json(200, component_json("a 1"))
        }
    });
    let all: Vec<_> = client
        .list_components()
        .component_type(ComponentType::Workflow)
        .include_deleted(true)
        .limit(50)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    client
        .get_component("a 1")
        .include_deleted(true)
        .await
        .unwrap();
    client.restore_component("a 1").await.unwrap();
    let configs = client
        .list_component_configs("a 1")
        .include_config(false)
        .await
        .unwrap();
    assert_eq!(configs[1].stage, ConfigStage::Draft);
    client.get_current_component_config("a 1").await.unwrap();
    client.get_component_config("a 1", 1).await.unwrap();
    client.delete_component_config("a 1", 2).await.unwrap();
    let models = client
        .list_registry()
        .resource_type(RegistryResourceType::Model)
        .name("gpt")
        .limit(10)
        .page(1)
        .await
        .unwrap();
    assert_eq!(models.data[0].resource_type, RegistryResourceType::Model);
    let seen = seen.lock().unwrap();
    type Sent = (String, String, Vec<(String, String)>);
    let got: Vec<Sent> = seen
        .iter()
        .map(|r| (r.method.to_string(), path(r).to_owned(), query(r)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "GET".into(),
                "/components".into(),
                pairs(&[
                    ("component_type", "workflow"),
                    ("include_deleted", "true"),
                    ("limit", "50"),
                    ("page", "1")
                ])
            ),
            (
                "GET".into(),
                "/components/a%201".into(),
                pairs(&[("include_deleted", "true")])
            ),
            ("POST".into(), "/components/a%201/restore".into(), vec![]),
            (
                "GET".into(),
                "/components/a%201/configs".into(),
                pairs(&[("include_config", "false")])
            ),
            (
                "GET".into(),
                "/components/a%201/configs/current".into(),
                vec![]
            ),
            ("GET".into(), "/components/a%201/configs/1".into(), vec![]),
            (
                "DELETE".into(),
                "/components/a%201/configs/2".into(),
                vec![]
            ),
            (
                "GET".into(),
                "/registry".into(),
                pairs(&[
                    ("resource_type", "model"),
                    ("name", "gpt"),
                    ("limit", "10"),
                    ("page", "1")
                ])
            ),
        ]
    );
}

#[tokio::test]
async fn guard_conflicts_map_to_409() {
    let (client, _) =
        recording(|_| mock::error(409, "Component a1 current version is 2, expected 1"));
    let e = client
        .update_component("a1")
        .if_current_version(1)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409));
    assert!(e.to_string().contains("expected 1"), "{e}");
}
