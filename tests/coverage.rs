//! The early warning for new AgentOS endpoints: every operation in the OpenAPI of the pinned
//! server must be wrapped by the SDK (its route table, `agentos::routes()`), or be listed in
//! the allow-list below with the reason it is out of scope. And every route the SDK claims
//! must exist on the server.
//!
//! The check runs offline against the checked-in snapshot (tests/fixtures/openapi.json,
//! written by scripts/update-openapi-snapshot.sh), and live: the running fixture must serve
//! exactly the snapshot's operations, so a new agno pin fails until the snapshot is updated.
//! The field-drift test (`field_drift`) compares our response types with the snapshot.

mod common;
mod field_drift;

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

/// The checked-in OpenAPI snapshot of the pinned server.
pub(crate) fn snapshot() -> &'static serde_json::Value {
    static SPEC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/openapi.json"
        );
        let text = std::fs::read_to_string(path).expect("tests/fixtures/openapi.json");
        serde_json::from_str(&text).expect("the snapshot is JSON")
    })
}

/// The (method, path) operations of an OpenAPI document.
fn operations_of(spec: &serde_json::Value) -> BTreeSet<(String, String)> {
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

async fn operations(url: &str) -> BTreeSet<(String, String)> {
    let client = agentos::AgentOsClient::new(url).unwrap();
    let req = agentos::Request::get("/openapi.json", &[]).unwrap();
    let spec: serde_json::Value = client.execute(req).await.unwrap().json().unwrap();
    operations_of(&spec)
}

/// Every server operation is wrapped or allowed, every route we claim is on the server, and
/// the allow-list has no stale entry.
fn check_wrapped(server: &BTreeSet<(String, String)>) {
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

#[test]
fn every_snapshot_operation_is_wrapped() {
    check_wrapped(&operations_of(snapshot()));
}

#[tokio::test]
async fn every_server_operation_is_wrapped() {
    // The open instance has the OS database; the secured one also has the job queue.
    let mut server = operations(&common::url()).await;
    server.extend(operations(&common::secured_url()).await);
    let snapshot = operations_of(snapshot());
    let new: Vec<_> = server.difference(&snapshot).collect();
    let gone: Vec<_> = snapshot.difference(&server).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the running server differs from tests/fixtures/openapi.json (run \
         scripts/update-openapi-snapshot.sh and review the diff):\nnew: {new:#?}\ngone: {gone:#?}"
    );
    check_wrapped(&server);
}

/// Each route's path template is written once in the sources: in its crate's `mod route`
/// constant, which the builders and `ROUTES` use. A second copy of a template (a builder
/// that writes the path again) is a place where the two can drift apart.
#[test]
fn every_route_template_is_written_once() {
    let mut copies: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let templates: BTreeSet<String> = agentos::routes()
        .iter()
        .map(|(_, p)| p.to_string())
        .collect();
    // Only library sources: the CLI, the hostile server and the benchmarks address routes as
    // a client would, core's version table is keyed by path (checked by the test below), and
    // the mock's docs show paths.
    let files: Vec<_> =
        common::crate_sources(&["cli", "hostile", "bench", "target", "tests", "benches"])
            .into_iter()
            .filter(|(path, _)| {
                let name = path.file_name().unwrap().to_string_lossy();
                name != "tests.rs"
                    && !name.ends_with("_tests.rs")
                    && name != "version.rs"
                    && name != "mock.rs"
            })
            .collect();
    assert!(files.len() > 30, "found only {} source files", files.len());
    for (file, text) in files {
        // Unit test modules (at the end of a file) may spell a path out.
        let text = text.split("#[cfg(test)]\nmod ").next().unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for template in &templates {
                if line.contains(&format!("\"{template}\"")) {
                    copies.entry(template.clone()).or_default().push(format!(
                        "{}:{}",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    let missing: Vec<_> = templates
        .iter()
        .filter(|t| !copies.contains_key(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "route templates written nowhere (not in a `routes!` block?): {missing:?}"
    );
    let repeated: Vec<_> = copies.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(
        repeated.is_empty(),
        "route templates written more than once (use the `route::` constant): {repeated:#?}"
    );
}

/// Core's server-version table (`route_added_in`) is keyed by path, not by the `route::`
/// constants (core cannot see the areas' constants): each key must name routes the SDK sends,
/// so that a route renamed in its `routes!` block cannot leave a stale key behind. Exact keys
/// are routes; prefix and suffix keys (`starts_with` / `ends_with`) each match at least one.
/// And the version a route reports is the one its key gives.
#[test]
fn every_key_of_the_server_version_table_names_routes_the_sdk_sends() {
    let (_, text) = common::crate_sources(&["target", "tests", "benches"])
        .into_iter()
        .find(|(path, _)| path.ends_with("core/src/version.rs"))
        .expect("crates/core/src/version.rs");
    let body = text
        .split("pub fn route_added_in(")
        .nth(1)
        .and_then(|t| t.split("\n}\n").next())
        .expect("route_added_in in version.rs");
    let templates: BTreeSet<&str> = agentos::routes().iter().map(|(_, p)| *p).collect();
    let mut checked = 0;
    for line in body.lines() {
        let Some(key) = line.split('"').nth(1).filter(|k| k.starts_with('/')) else {
            continue;
        };
        let (kind, hits): (&str, Vec<&str>) = if line.contains("ends_with") {
            (
                "suffix",
                templates
                    .iter()
                    .copied()
                    .filter(|t| t.ends_with(key))
                    .collect(),
            )
        } else if templates.contains(key) {
            ("exact", vec![key])
        } else {
            (
                "prefix",
                templates
                    .iter()
                    .copied()
                    .filter(|t| t.starts_with(key))
                    .collect(),
            )
        };
        assert!(
            !hits.is_empty(),
            "version table key {key:?} ({kind}) names no route of the SDK"
        );
        for route in &hits {
            assert!(
                agentos::version::route_added_in(route).is_some(),
                "{route} matches the key {key:?} but has no version"
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 15,
        "read only {checked} keys of the version table"
    );
}
