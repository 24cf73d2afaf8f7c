//! The early warning for new AgentOS endpoints: every operation in the live fixture's
//! OpenAPI must be wrapped by the SDK (its route table, `agentos::routes()`), or be listed in
//! the allow-list below with the reason it is out of scope. And every route the SDK claims
//! must exist on the server.

mod common;

use std::collections::BTreeSet;

/// Operations deliberately not wrapped, each with its reason.
const ALLOWED_MISSING: &[(&str, &str, &str)] = &[
    // An AgentOS without a durable queue (the open fixture instance) mounts a catch-all stub
    // at /queue that answers 503 "not available" to every method. They are not operations;
    // the real queue routes (GET /queue/jobs, ...) are wrapped by agentos-schedules' QueueExt
    // and come from the secured instance, which has a queue.
    (
        "GET",
        "/queue",
        "503 stub of a server without a durable queue",
    ),
    (
        "POST",
        "/queue",
        "503 stub of a server without a durable queue",
    ),
    (
        "PUT",
        "/queue",
        "503 stub of a server without a durable queue",
    ),
    (
        "PATCH",
        "/queue",
        "503 stub of a server without a durable queue",
    ),
    (
        "DELETE",
        "/queue",
        "503 stub of a server without a durable queue",
    ),
];

fn normalize(path: &str) -> String {
    // `{storage_key:path}` in our templates is `{storage_key}` in the spec.
    path.replace(":path}", "}")
}

async fn operations(url: &str) -> BTreeSet<(String, String)> {
    let client = agentos::AgentOsClient::new(url).unwrap();
    let req = agentos::Request::get("/openapi.json", &[]).unwrap();
    let spec: serde_json::Value = client.execute(req).await.unwrap().json().unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[tokio::test]
async fn every_server_operation_is_wrapped() {
    // The open instance has the OS database; the secured one also has the job queue.
    let mut server = operations(&common::url()).await;
    server.extend(operations(&common::secured_url()).await);
    assert!(
        server.len() >= 100,
        "only {} operations in the spec",
        server.len()
    );

    let ours: BTreeSet<(String, String)> = agentos::routes()
        .iter()
        .map(|(m, p)| (m.to_string(), normalize(p)))
        .collect();
    let allowed: BTreeSet<(String, String)> = ALLOWED_MISSING
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();

    let missing: Vec<_> = server
        .iter()
        .filter(|op| !ours.contains(*op) && !allowed.contains(*op))
        .collect();
    assert!(
        missing.is_empty(),
        "{} server operations are not wrapped by the SDK:\n{missing:#?}",
        missing.len()
    );
    let unknown: Vec<_> = ours.iter().filter(|op| !server.contains(*op)).collect();
    assert!(
        unknown.is_empty(),
        "the SDK wraps routes the server does not have:\n{unknown:#?}"
    );
    let stale: Vec<_> = allowed.iter().filter(|op| ours.contains(*op)).collect();
    assert!(
        stale.is_empty(),
        "allow-list entries now wrapped: {stale:#?}"
    );
}
