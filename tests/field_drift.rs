//! Field drift: for each response type, the properties of its schema in the checked-in
//! OpenAPI snapshot of the pinned server (tests/fixtures/openapi.json) are compared with the
//! fields we model. Offline: no server is needed.
//!
//! How: a sample object with every property of the schema (each with a value of its declared
//! type) is decoded into the type. A property we do not model lands in the type's `extra` map,
//! where it would be kept but untyped: each one must be listed in [`DELIBERATE`] with the
//! reason. The decoded value is serialized again: a key that neither the schema nor `extra`
//! has is a modelled field the server no longer documents (seen for fields that serialize
//! when absent; an `Option` left out of the sample is skipped on output and cannot be seen).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

/// Why the definition sections of agents, teams and workflows stay untyped.
const CONFIG: &str = "a section of the definition as the server renders it for its UI (free-form, varies by agno version): kept whole in `extra`";
/// Why the MCP details stay untyped.
const MCP: &str = "details of the OS's MCP server for MCP clients (OAuth metadata, tool endpoint), \
not used by an HTTP client: kept in `extra`";

/// Properties of a schema deliberately not modelled, each with the reason.
/// (schema, property, reason)
const DELIBERATE: &[(&str, &str, &str)] = &[
    ("AgentResponse", "default_tools", CONFIG),
    ("AgentResponse", "extra_messages", CONFIG),
    ("AgentResponse", "factory_input_schema", CONFIG),
    ("AgentResponse", "filesystem", CONFIG),
    ("AgentResponse", "introduction", CONFIG),
    ("AgentResponse", "knowledge", CONFIG),
    ("AgentResponse", "memory", CONFIG),
    ("AgentResponse", "reasoning", CONFIG),
    ("AgentResponse", "response_settings", CONFIG),
    ("AgentResponse", "sessions", CONFIG),
    ("AgentResponse", "stage", CONFIG),
    ("AgentResponse", "streaming", CONFIG),
    ("AgentResponse", "system_message", CONFIG),
    ("AgentResponse", "sandboxed", CONFIG),
    ("TeamResponse", "current_version", CONFIG),
    ("TeamResponse", "default_tools", CONFIG),
    ("TeamResponse", "factory_input_schema", CONFIG),
    ("TeamResponse", "input_schema", CONFIG),
    ("TeamResponse", "introduction", CONFIG),
    ("TeamResponse", "is_component", CONFIG),
    ("TeamResponse", "is_factory", CONFIG),
    ("TeamResponse", "knowledge", CONFIG),
    ("TeamResponse", "memory", CONFIG),
    ("TeamResponse", "reasoning", CONFIG),
    ("TeamResponse", "response_settings", CONFIG),
    ("TeamResponse", "role", CONFIG),
    ("TeamResponse", "sandboxed", CONFIG),
    ("TeamResponse", "sessions", CONFIG),
    ("TeamResponse", "stage", CONFIG),
    ("TeamResponse", "streaming", CONFIG),
    ("TeamResponse", "system_message", CONFIG),
    ("TeamResponse", "tools", CONFIG),
    ("WorkflowResponse", "agent", CONFIG),
    ("WorkflowResponse", "factory_input_schema", CONFIG),
    ("WorkflowResponse", "is_component", CONFIG),
    ("WorkflowResponse", "is_factory", CONFIG),
    ("WorkflowResponse", "sandboxed", CONFIG),
    ("WorkflowResponse", "stage", CONFIG),
    ("WorkflowResponse", "team", CONFIG),
    ("WorkflowResponse", "workflow_agent", CONFIG),
    ("AgentSummaryResponse", "sandboxed", CONFIG),
    ("TeamSummaryResponse", "sandboxed", CONFIG),
    ("WorkflowSummaryResponse", "factory_input_schema", CONFIG),
    ("WorkflowSummaryResponse", "sandboxed", CONFIG),
    ("McpInfo", "oauth", MCP),
    ("McpInfo", "tool_run_endpoint", MCP),
];

/// Fields we model that the schema does not document, each with the reason.
/// (schema, field, reason)
const UNDOCUMENTED: &[(&str, &str, &str)] = &[];

fn schema(name: &str) -> &'static Value {
    let s = &super::snapshot()["components"]["schemas"][name];
    assert!(s.is_object(), "no schema {name} in the snapshot");
    s
}

fn resolve(s: &Value) -> &Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => schema(r.rsplit('/').next().unwrap_or(r)),
        None => s,
    }
}

/// An object schema without properties (`additionalProperties` only).
fn free_form(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("object") && s.get("properties").is_none()
}

/// A value of the schema's type (the first non-null alternative of an `anyOf`).
fn sample(s: &Value, depth: usize) -> Value {
    let s = resolve(s);
    if let Some(alts) = s
        .get("anyOf")
        .or_else(|| s.get("oneOf"))
        .and_then(Value::as_array)
    {
        let pick = alts
            .iter()
            .find(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .unwrap_or(&Value::Null);
        return sample(pick, depth);
    }
    if let Some(first) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(c) = s.get("const") {
        return c.clone();
    }
    match s.get("type").and_then(Value::as_str) {
        Some("string") => match s.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-01-02T03:04:05Z"),
            Some("date") => json!("2026-01-02"),
            _ => json!("x"),
        },
        Some("integer") => json!(1),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => match s.get("items") {
            // A list of free-form objects documents nothing about them: sampled empty.
            Some(items) if depth < 2 && !free_form(resolve(items)) => {
                json!([sample(items, depth + 1)])
            }
            _ => json!([]),
        },
        Some("object") | None if s.get("properties").is_some() && depth < 4 => {
            let props = s["properties"].as_object().expect("properties");
            Value::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), sample(v, depth + 1)))
                    .collect(),
            )
        }
        Some("object") => json!({}),
        _ => Value::Null,
    }
}

/// What one type says against its schema.
struct Drift {
    unmodelled: BTreeSet<String>,
    undocumented: BTreeSet<String>,
}

/// Compares `T` with the union of the schemas named in `schemas` ("A|B": one type decodes
/// several schemas, such as the agent, team and workflow runs of a session).
fn drift<T>(schemas: &str, extra: impl Fn(&T) -> &Map<String, Value>) -> Drift
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let mut props = BTreeSet::new();
    let mut obj = Map::new();
    for name in schemas.split('|') {
        let s = schema(name);
        // `GET /config` answers a free-form object (`additionalProperties: true`): a schema
        // without properties documents nothing to compare, so it must not be listed.
        let own = s["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no properties in the snapshot"));
        props.extend(own.keys().cloned());
        if let Value::Object(sampled) = sample(s, 0) {
            for (k, v) in sampled {
                obj.entry(k).or_insert(v);
            }
        }
    }
    let obj = Value::Object(obj);
    let value: T = serde_json::from_value(obj.clone()).unwrap_or_else(|e| {
        panic!("{schemas}: a sample of every documented property does not decode: {e}\n{obj:#}")
    });
    let unmodelled: BTreeSet<String> = extra(&value).keys().cloned().collect();
    let out = serde_json::to_value(&value).expect("serializes");
    let undocumented = out
        .as_object()
        .map(|o| {
            o.keys()
                .filter(|k| !props.contains(*k) && !unmodelled.contains(*k))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Drift {
        unmodelled,
        undocumented,
    }
}

/// Reports each found (schema, field) that `listed` does not name (`unlisted`), and each
/// entry of `listed` that was not found (`stale`).
fn compare(
    found: &BTreeSet<(String, String)>,
    listed: &[(&str, &str, &str)],
    unlisted: &str,
    stale: &str,
    report: &mut Vec<String>,
) {
    let listed: BTreeSet<(String, String)> = listed
        .iter()
        .map(|(s, p, _why)| (s.to_string(), p.to_string()))
        .collect();
    for (schema, field) in found.difference(&listed) {
        report.push(format!("{schema}.{field}: {unlisted}"));
    }
    for (schema, field) in listed.difference(found) {
        report.push(format!("{schema}.{field}: {stale}"));
    }
}

macro_rules! types {
    ($($ty:ty => $schema:literal),+ $(,)?) => {
        vec![$(($schema, drift::<$ty>($schema, |v| &v.extra))),+]
    };
}

#[test]
fn every_documented_property_is_modelled_or_listed() {
    use agentos::approvals as ap;
    use agentos::components as co;
    use agentos::evals as ev;
    use agentos::filesystem as fs;
    use agentos::knowledge as kn;
    use agentos::learnings as le;
    use agentos::memory as me;
    use agentos::observability as ob;
    use agentos::schedules as sc;
    use agentos::service_accounts as sa;
    use agentos::sessions as se;

    let all = types![
        agentos::HealthResponse => "HealthResponse",
        agentos::InfoResponse => "InfoResponse",
        agentos::discovery::McpInfo => "McpInfo",
        agentos::AgentSummary => "AgentSummaryResponse",
        agentos::TeamSummary => "TeamSummaryResponse",
        agentos::WorkflowSummary => "WorkflowSummaryResponse",
        agentos::AgentResponse => "AgentResponse",
        agentos::TeamResponse => "TeamResponse",
        agentos::WorkflowResponse => "WorkflowResponse",
        ap::ApprovalResponse => "ApprovalResponse",
        ap::ApprovalStatusResponse => "ApprovalStatusResponse",
        co::ComponentResponse => "ComponentResponse",
        co::ComponentConfigResponse => "ComponentConfigResponse",
        co::RegistryContentResponse => "RegistryContentResponse",
        ev::EvalSchema => "EvalSchema",
        fs::FileSystemEntry => "FileSystemEntry",
        fs::FileSystemUsage => "FileSystemUsage",
        fs::FileSystemListing => "FileSystemListResponse",
        fs::FileSystemFile => "FileSystemTableEntry",
        fs::FileSystemFiles => "FileSystemTableResponse",
        fs::FileSystemContent => "FileSystemContentResponse",
        fs::FileSystemSearchHit => "FileSystemSearchEntry",
        fs::FileSystemSearchResults => "FileSystemSearchResponse",
        kn::ContentResponseSchema => "ContentResponseSchema",
        kn::ContentStatusResponse => "ContentStatusResponse",
        kn::VectorSearchResult => "VectorSearchResult",
        kn::ReaderSchema => "ReaderSchema",
        kn::ChunkerSchema => "ChunkerSchema",
        kn::VectorDbSchema => "VectorDbSchema",
        kn::RemoteContentSourceSchema => "RemoteContentSourceSchema",
        kn::SourceFileSchema => "SourceFileSchema",
        kn::SourceFolderSchema => "SourceFolderSchema",
        kn::SourceFilesResponseSchema => "SourceFilesResponseSchema",
        kn::KnowledgeConfigResponse => "ConfigResponseSchema",
        le::LearningResponse => "LearningResponse",
        le::LearningUserStats => "LearningUserStats",
        me::UserMemorySchema => "UserMemorySchema",
        me::UserStatsSchema => "UserStatsSchema",
        me::OptimizeMemoriesResponse => "OptimizeMemoriesResponse",
        ob::TraceSummary => "TraceSummary",
        ob::TraceDetail => "TraceDetail",
        ob::TraceNode => "TraceNode",
        ob::TraceSessionStats => "TraceSessionStats",
        ob::FilterFieldSchema => "FilterFieldSchema",
        ob::TraceFilterSchema => "FilterSchemaResponse",
        ob::DayAggregatedMetrics => "DayAggregatedMetrics",
        ob::MetricsResponse => "MetricsResponse",
        ob::MetricsRefreshResponse => "MetricsRefreshResponse",
        ob::MetricsRefreshStatus => "MetricsRefreshStatusResponse",
        sc::ScheduleResponse => "ScheduleResponse",
        sc::ScheduleStateResponse => "ScheduleStateResponse",
        sc::ScheduleRunResponse => "ScheduleRunResponse",
        sc::QueueJob => "QueueJobSchema",
        sa::ServiceAccount => "ServiceAccountResponse",
        se::SessionSchema => "SessionSchema",
        se::AgentSessionDetailSchema => "AgentSessionDetailSchema",
        se::TeamSessionDetailSchema => "TeamSessionDetailSchema",
        se::WorkflowSessionDetailSchema => "WorkflowSessionDetailSchema",
        se::RunSchema => "RunSchema|TeamRunSchema|WorkflowRunSchema",
        se::SessionRunPreviewSchema => "SessionRunPreviewSchema",
    ];

    let found = |pick: fn(&Drift) -> &BTreeSet<String>| -> BTreeSet<(String, String)> {
        all.iter()
            .flat_map(|(schema, d)| pick(d).iter().map(|p| (schema.to_string(), p.clone())))
            .collect()
    };
    let mut report = Vec::new();
    compare(
        &found(|d| &d.unmodelled),
        DELIBERATE,
        "documented by the server, not modelled (lands in extra)",
        "listed in DELIBERATE but modelled now (or gone): drop the entry",
        &mut report,
    );
    compare(
        &found(|d| &d.undocumented),
        UNDOCUMENTED,
        "modelled, not in the server's schema",
        "listed in UNDOCUMENTED but no longer seen: drop the entry",
        &mut report,
    );
    assert!(
        report.is_empty(),
        "{} drifts:\n{}",
        report.len(),
        report.join("\n")
    );
}
