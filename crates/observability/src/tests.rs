//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use std::time::Duration;

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{Error, Timestamp};
use chrono::{NaiveDate, TimeZone, Utc};
use futures::TryStreamExt;
use serde_json::{Value, json};

use crate::*;
use agentos_core::mock::{never_called as silent, pairs, path, query, recording_numbered};

fn page(data: Value, page: u32, total_pages: u32) -> Value {
    json!({"data": data, "meta": {"page": page, "limit": 20, "total_pages": total_pages,
        "total_count": 1, "search_time_ms": 1.5}})
}

fn summary(id: &str) -> Value {
    json!({
        "trace_id": id, "name": "Echo_Agent.arun", "status": "OK",
        "duration": "400.03806352615356ms",
        "start_time": "2026-11-28T20:00:18.453012Z", "end_time": "2026-11-28T20:00:18.852993Z",
        "total_spans": 4, "error_count": 0, "input": "hello", "run_id": "r1",
        "session_id": "s1", "user_id": "u1", "agent_id": "echo-agent",
        "created_at": "2026-11-28T20:00:18.769607Z", "brand_new_field": 7
    })
}

fn span(id: &str, name: &str, kind: &str, children: Option<Value>) -> Value {
    let mut s = json!({
        "id": id, "name": name, "type": kind, "duration": "12ms",
        "start_time": "2026-11-28T20:00:18.456693Z", "end_time": "2026-11-28T20:00:18.468693Z",
        "status": "OK"
    });
    if let Some(c) = children {
        s["spans"] = c;
    }
    s
}

fn detail(id: &str) -> Value {
    let mut d = summary(id);
    d["output"] = json!("Echo: hello");
    d["tree"] = json!([span(
        "root",
        "Echo_Agent.arun",
        "AGENT",
        Some(json!([
            span("llm1", "OpenAIChat.ainvoke", "LLM", None),
            span(
                "tool",
                "echo_tool",
                "TOOL",
                Some(json!([span("nested", "inner", "LLM", None)]))
            ),
            span("llm2", "OpenAIChat.ainvoke", "LLM", Some(Value::Null)),
        ]))
    )]);
    d
}

// ------------------------------------------------------------------------------- traces

#[tokio::test]
async fn get_traces_sends_every_filter_and_iso_times() {
    let (client, seen) =
        recording_numbered(|_, _| mock::json(200, page(json!([summary("t1")]), 1, 1)));
    let start = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
    let end = Timestamp::parse("2026-11-28T12:30:00.250+02:00").unwrap();
    let page = client
        .get_traces()
        .run_id("r 1")
        .session_id("s1")
        .user_id("u1")
        .agent_id("echo-agent")
        .team_id("team")
        .workflow_id("wf")
        .status(TraceStatus::Error)
        .start_time(start)
        .end_time(end)
        .page(2)
        .limit(5)
        .db_id("db")
        .await
        .unwrap();
    let t = &page.data[0];
    assert_eq!(t.trace_id, "t1");
    assert_eq!(t.status, Some(TraceStatus::Ok));
    assert_eq!(t.total_spans, 4);
    assert_eq!(t.extra["brand_new_field"], 7);
    assert_eq!(t.team_id, None);
    // end - start is exact: 399.981 ms.
    assert_eq!(t.elapsed(), Some(Duration::from_micros(399_981)));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(path(&seen[0]), "/traces");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("run_id", "r 1"),
            ("session_id", "s1"),
            ("user_id", "u1"),
            ("agent_id", "echo-agent"),
            ("team_id", "team"),
            ("workflow_id", "wf"),
            ("status", "ERROR"),
            ("start_time", "2026-11-28T10:00:00.000000Z"),
            ("end_time", "2026-11-28T10:30:00.250000Z"),
            ("page", "2"),
            ("limit", "5"),
            ("db_id", "db"),
        ])
    );
}

#[tokio::test]
async fn paging_is_checked_and_walked() {
    let e = silent().get_traces().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = silent()
        .get_trace_session_stats()
        .limit(0)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");

    let (client, seen) = recording_numbered(|n, _| {
        mock::json(
            200,
            page(json!([summary(&format!("t{}", n + 1))]), n as u32 + 1, 2),
        )
    });
    let all: Vec<TraceSummary> = client
        .get_traces()
        .agent_id("a")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|t| t.trace_id.as_str()).collect::<Vec<_>>(),
        ["t1", "t2"]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(query(&seen[1]).contains(&("page".into(), "2".into())));
    assert!(query(&seen[1]).contains(&("agent_id".into(), "a".into())));
}

#[tokio::test]
async fn get_trace_reads_the_tree_and_walks_it_depth_first() {
    let (client, seen) = recording_numbered(|_, _| mock::json(200, detail("t?1")));
    let trace = client.get_trace("t?1").db_id("db").await.unwrap();
    assert_eq!(path(&seen.lock().unwrap()[0]), "/traces/t%3F1");
    assert_eq!(query(&seen.lock().unwrap()[0]), pairs(&[("db_id", "db")]));
    assert_eq!(trace.output.as_deref(), Some("Echo: hello"));
    let walked: Vec<(usize, &str)> = trace.walk().map(|(d, s)| (d, s.id.as_str())).collect();
    assert_eq!(
        walked,
        [
            (0, "root"),
            (1, "llm1"),
            (1, "tool"),
            (2, "nested"),
            (1, "llm2")
        ]
    );
    assert_eq!(trace.spans_of_type(&SpanType::Llm).count(), 3);
    assert_eq!(trace.find_span("nested").unwrap().name, "inner");
    assert!(trace.find_span("nope").is_none());
    let tool = trace.find_span("tool").unwrap();
    assert_eq!(
        tool.walk()
            .map(|(d, s)| (d, s.id.as_str()))
            .collect::<Vec<_>>(),
        [(0, "tool"), (1, "nested")]
    );
    assert_eq!(tool.type_name(), "TOOL");
    assert_eq!(tool.elapsed(), Some(Duration::from_millis(12)));
    // `"spans": null` reads as no children.
    assert!(trace.find_span("llm2").unwrap().spans.is_empty());
}

#[tokio::test]
async fn get_trace_with_a_span_id_reads_one_node() {
    let (client, seen) = recording_numbered(|_, _| {
        let mut s = span("s1", "echo_tool", "TOOL", None);
        s["metadata"] = json!({"tool_name": "echo_tool"});
        s["type"] = json!("SOMETHING_NEW");
        mock::json(200, s)
    });
    let node = client
        .get_trace("t1")
        .span_id("s1")
        .db_id("d")
        .await
        .unwrap();
    assert_eq!(node.metadata_value("tool_name"), Some(&json!("echo_tool")));
    assert_eq!(
        node.span_type,
        Some(SpanType::Unknown("SOMETHING_NEW".into()))
    );
    assert_eq!(
        query(&seen.lock().unwrap()[0]),
        pairs(&[("span_id", "s1"), ("db_id", "d")])
    );

    let e = silent().get_trace("t1").span_id("").await.unwrap_err();
    assert!(e.to_string().contains("span_id"), "{e}");
    let e = silent().get_trace("").await.unwrap_err();
    assert!(e.to_string().contains("trace_id"), "{e}");
}

#[tokio::test]
async fn a_missing_trace_is_a_404() {
    let (client, _) = recording_numbered(|_, _| mock::error(404, "Trace not found"));
    let e = client.get_trace("nope").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("Trace not found"), "{e}");
}

#[tokio::test]
async fn session_stats_send_filters() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            page(
                json!([{"session_id": "s1", "user_id": "u1", "agent_id": "a", "total_traces": 3,
                "first_trace_at": "2026-11-28T20:00:18.769607Z", "last_trace_at": "2026-11-28T20:01:18Z"}]),
                1,
                1,
            ),
        )
    });
    let since = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    let stats = client
        .get_trace_session_stats()
        .user_id("u1")
        .agent_id("a")
        .team_id("t")
        .workflow_id("w")
        .start_time(since)
        .end_time(since)
        .await
        .unwrap();
    assert_eq!(stats.data[0].total_traces, 3);
    assert!(stats.data[0].last_trace_at > stats.data[0].first_trace_at);
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/trace_session_stats");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("user_id", "u1"),
            ("agent_id", "a"),
            ("team_id", "t"),
            ("workflow_id", "w"),
            ("start_time", "2026-01-02T03:04:05.000000Z"),
            ("end_time", "2026-01-02T03:04:05.000000Z"),
        ])
    );
}

#[tokio::test]
async fn search_sends_the_filter_in_a_json_body() {
    let (client, seen) =
        recording_numbered(|_, _| mock::json(200, page(json!([detail("t1")]), 1, 1)));
    let filter = trace_field::SESSION_ID.eq("s1") & trace_field::STATUS.eq(TraceStatus::Ok);
    let found = client
        .search_traces()
        .filter(filter)
        .limit(100)
        .page(3)
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(found.data[0].tree.len(), 1);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/traces/search");
    assert_eq!(query(&seen[0]), pairs(&[("db_id", "db")]));
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "filter": {"op": "AND", "conditions": [
                {"op": "EQ", "key": "session_id", "value": "s1"},
                {"op": "EQ", "key": "status", "value": "OK"}
            ]},
            "group_by": "run", "page": 3, "limit": 100
        })
    );
}

#[tokio::test]
async fn search_grouped_by_session_and_without_filter() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            page(json!([{"session_id": "s1", "total_traces": 2}]), 1, 1),
        )
    });
    let stats = client
        .search_traces()
        .group_by_session()
        .limit(7)
        .await
        .unwrap();
    assert_eq!(stats.data[0].session_id, "s1");
    assert_eq!(stats.data[0].total_traces, 2);
    assert_eq!(
        mock::json_body(&seen.lock().unwrap()[0]).unwrap(),
        json!({"group_by": "session", "page": 1, "limit": 7})
    );
}

#[tokio::test]
async fn search_pages_through_the_body() {
    let (client, seen) = recording_numbered(|n, _| {
        mock::json(
            200,
            page(json!([detail(&format!("t{n}"))]), n as u32 + 1, 3),
        )
    });
    let all: Vec<TraceDetail> = client
        .search_traces()
        .filter(trace_field::AGENT_ID.contains("echo"))
        .page(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "pages 2 and 3");
    let seen = seen.lock().unwrap();
    let pages: Vec<Value> = seen
        .iter()
        .map(|r| mock::json_body(r).unwrap()["page"].clone())
        .collect();
    assert_eq!(pages, [json!(2), json!(3)]);
    for r in seen.iter() {
        assert_eq!(
            mock::json_body(r).unwrap()["filter"]["op"],
            "CONTAINS",
            "the filter stays on every page"
        );
        assert!(query(r).is_empty(), "the page goes in the body only");
    }
}

#[tokio::test]
async fn bad_search_input_is_refused_before_sending() {
    for limit in [0, 101] {
        let e = silent().search_traces().limit(limit).await.unwrap_err();
        assert!(e.to_string().contains("limit"), "{e}");
    }
    let e = silent().search_traces().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    // 11 levels of NOT(OR(...)) nesting is deeper than the server accepts.
    let mut deep = trace_field::NAME.eq("x");
    for i in 0..11 {
        deep = if i % 2 == 0 {
            !deep
        } else {
            deep | trace_field::NAME.eq("y")
        };
    }
    assert_eq!(deep.depth(), 11);
    let e = silent()
        .search_traces()
        .filter(deep)
        .group_by_session()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("at most 10"), "{e}");
}

#[tokio::test]
async fn an_invalid_filter_answer_maps_to_a_400() {
    let (client, _) = recording_numbered(|_, _| {
        mock::error(400, "Invalid filter expression: Unknown filter operator: X")
    });
    let e = client.search_traces().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    assert!(e.to_string().contains("Invalid filter expression"), "{e}");
}

#[tokio::test]
async fn filter_schema_decodes() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            json!({"fields": [
                {"key": "status", "label": "Status", "type": "enum", "operators": ["EQ", "NEQ", "IN"], "values": ["OK", "ERROR"]},
                {"key": "user_id", "label": "User ID", "type": "string", "operators": ["EQ"], "values": null}
            ], "logical_operators": ["AND", "OR"]}),
        )
    });
    let schema = client.get_trace_filter_schema().await.unwrap();
    assert_eq!(path(&seen.lock().unwrap()[0]), "/traces/filter-schema");
    let status = schema.field("status").unwrap();
    assert_eq!(status.field_type.as_deref(), Some("enum"));
    assert_eq!(status.values.as_deref().unwrap(), ["OK", "ERROR"]);
    assert_eq!(schema.logical_operators, ["AND", "OR"]);
    assert!(schema.field("nope").is_none());
}

// ------------------------------------------------------------------------------- filters

#[test]
fn every_operator_has_the_wire_shape() {
    use trace_field as f;
    let at = Utc.with_ymd_and_hms(2026, 11, 28, 20, 0, 18).unwrap();
    let cases: Vec<(TraceFilter, Value)> = vec![
        (
            f::RUN_ID.eq("r"),
            json!({"op": "EQ", "key": "run_id", "value": "r"}),
        ),
        (
            f::USER_ID.neq("u"),
            json!({"op": "NEQ", "key": "user_id", "value": "u"}),
        ),
        (
            f::NAME.contains("Agent"),
            json!({"op": "CONTAINS", "key": "name", "value": "Agent"}),
        ),
        (
            f::TRACE_ID.starts_with("ab"),
            json!({"op": "STARTSWITH", "key": "trace_id", "value": "ab"}),
        ),
        (
            f::TEAM_ID.is_in(["a", "b"]),
            json!({"op": "IN", "key": "team_id", "values": ["a", "b"]}),
        ),
        (
            f::WORKFLOW_ID.is_in(Vec::<String>::new()),
            json!({"op": "IN", "key": "workflow_id", "values": []}),
        ),
        (
            f::STATUS.neq(TraceStatus::Ok),
            json!({"op": "NEQ", "key": "status", "value": "OK"}),
        ),
        (
            f::STATUS.is_in([TraceStatus::Error, TraceStatus::Unset]),
            json!({"op": "IN", "key": "status", "values": ["ERROR", "UNSET"]}),
        ),
        (
            f::DURATION.gt(Duration::from_millis(100)),
            json!({"op": "GT", "key": "duration_ms", "value": 100}),
        ),
        (
            f::DURATION.gte(Duration::from_micros(1500)),
            json!({"op": "GTE", "key": "duration_ms", "value": 1.5}),
        ),
        (
            f::DURATION.lt(Duration::from_secs(2)),
            json!({"op": "LT", "key": "duration_ms", "value": 2000}),
        ),
        (
            f::DURATION.lte(Duration::ZERO),
            json!({"op": "LTE", "key": "duration_ms", "value": 0}),
        ),
        (
            f::START_TIME.gt(at),
            json!({"op": "GT", "key": "start_time", "value": "2026-11-28T20:00:18.000000Z"}),
        ),
        (
            f::END_TIME.gte(at),
            json!({"op": "GTE", "key": "end_time", "value": "2026-11-28T20:00:18.000000Z"}),
        ),
        (
            f::CREATED_AT.lt(Timestamp::from(at)),
            json!({"op": "LT", "key": "created_at", "value": "2026-11-28T20:00:18.000000Z"}),
        ),
        (
            f::CREATED_AT.lte(at),
            json!({"op": "LTE", "key": "created_at", "value": "2026-11-28T20:00:18.000000Z"}),
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(filter.to_json(), want);
        assert_eq!(filter.depth(), 0);
        assert_eq!(filter.to_string(), want.to_string());
    }
    assert_eq!(f::SESSION_ID.key(), "session_id");
    assert_eq!(f::DURATION.key(), "duration_ms");
    assert_eq!(f::STATUS.key(), "status");
    assert_eq!(f::START_TIME.key(), "start_time");
}

#[test]
fn combinators_flatten_and_never_build_empty_groups() {
    use trace_field as f;
    let a = || f::USER_ID.eq("a");
    let b = || f::USER_ID.eq("b");
    let c = || f::USER_ID.eq("c");

    let and = a() & b() & (c() & a());
    assert_eq!(and.to_json()["conditions"].as_array().unwrap().len(), 4);
    assert_eq!(and.depth(), 1);

    let or = (a() | b()) | c();
    assert_eq!(or.to_json()["op"], "OR");
    assert_eq!(or.to_json()["conditions"].as_array().unwrap().len(), 3);

    // AND inside OR keeps its own group.
    let mixed = (a() & b()) | c();
    assert_eq!(mixed.depth(), 2);
    assert_eq!(mixed.to_json()["conditions"][0]["op"], "AND");

    let not = !a();
    assert_eq!(
        not.to_json(),
        json!({"op": "NOT", "condition": {"op": "EQ", "key": "user_id", "value": "a"}})
    );
    assert_eq!(!!a(), a(), "double negation gives the filter back");

    assert!(TraceFilter::all_of(Vec::new()).is_none());
    assert!(TraceFilter::any_of(std::iter::empty()).is_none());
    assert_eq!(TraceFilter::all_of([a()]).unwrap(), a());
    let all = TraceFilter::all_of([a(), b(), c()]).unwrap();
    assert_eq!(all, a() & b() & c());
    let any = TraceFilter::any_of([a(), b()]).unwrap();
    assert_eq!(any, a() | b());
}

/// Every filter the builder can make is one the server's parser accepts: the shapes below
/// are what `agno.filters.from_dict` requires (checked on each node).
#[test]
fn built_filters_only_contain_valid_nodes() {
    use trace_field as f;
    fn check(v: &Value) {
        let op = v["op"].as_str().unwrap();
        match op {
            "EQ" | "NEQ" | "GT" | "GTE" | "LT" | "LTE" | "CONTAINS" | "STARTSWITH" => {
                assert!(v["key"].is_string() && !v["value"].is_null(), "{v}");
            }
            "IN" => assert!(v["key"].is_string() && v["values"].is_array(), "{v}"),
            "AND" | "OR" => {
                let c = v["conditions"].as_array().unwrap();
                assert!(c.len() >= 2, "{v}");
                c.iter().for_each(check);
            }
            "NOT" => check(&v["condition"]),
            other => panic!("unknown op {other}"),
        }
    }
    let f = !(f::AGENT_ID.eq("a") | f::TEAM_ID.is_in(["t"]))
        & f::DURATION.gt(Duration::from_millis(5))
        & !!f::NAME.starts_with("x")
        & TraceFilter::any_of([f::RUN_ID.eq("1"), f::RUN_ID.eq("2")]).unwrap();
    check(&f.to_json());
}

#[test]
fn durations_parse() {
    assert_eq!(parse_duration("312ms"), Some(Duration::from_millis(312)));
    assert_eq!(parse_duration("0ms"), Some(Duration::ZERO));
    assert_eq!(
        parse_duration("400.5ms"),
        Some(Duration::from_micros(400_500))
    );
    assert_eq!(parse_duration("1.50s"), Some(Duration::from_millis(1500)));
    assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
    assert_eq!(parse_duration("soon"), None);
    assert_eq!(parse_duration("-1ms"), None);
    // Without times, elapsed falls back to the text.
    let node: TraceNode = serde_json::from_value(json!({"id": "x", "duration": "1.25s"})).unwrap();
    assert_eq!(node.elapsed(), Some(Duration::from_millis(1250)));
    assert_eq!(node.type_name(), "");
}

// ------------------------------------------------------------------------------- metrics

fn day_metrics(date: &str, runs: Value) -> Value {
    json!({
        "id": format!("{date}_daily"), "agent_runs_count": runs, "agent_sessions_count": 1,
        "team_runs_count": 0, "team_sessions_count": 0, "workflow_runs_count": 2,
        "workflow_sessions_count": 0, "users_count": 1,
        "token_metrics": {"input_tokens": 29, "output_tokens": 8.0, "total_tokens": 37, "new_kind": 1},
        "model_metrics": [{"model_id": "gpt-4o", "model_provider": "OpenAI", "count": 1}],
        "date": format!("{date}T00:00:00Z"), "created_at": "2026-11-28T20:00:51Z",
        "updated_at": "2026-11-28T20:00:51Z"
    })
}

#[tokio::test]
async fn get_metrics_sends_dates_and_decodes_days() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            json!({"metrics": [day_metrics("2026-11-28", json!(3))], "updated_at": "2026-11-28T20:00:51Z"}),
        )
    });
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    let m = client
        .get_metrics()
        .starting_date(d(1))
        .ending_date(d(28))
        .user_id("u1")
        .db_id("db")
        .table("metrics")
        .await
        .unwrap();
    let day = m.day(d(28)).expect("the 28th");
    assert_eq!(day.agent_runs_count, 3);
    assert_eq!(day.total_runs(), 5);
    assert_eq!(day.token_metrics.output_tokens, 8, "a float count reads");
    assert_eq!(day.token_metrics.extra["new_kind"], 1);
    assert_eq!(day.model_metrics[0].model_id.as_deref(), Some("gpt-4o"));
    assert!(m.updated_at.is_some());
    assert_eq!(
        query(&seen.lock().unwrap()[0]),
        pairs(&[
            ("user_id", "u1"),
            ("db_id", "db"),
            ("table", "metrics"),
            ("starting_date", "2026-11-01"),
            ("ending_date", "2026-11-28"),
        ])
    );

    let (client, seen) =
        recording_numbered(|_, _| mock::json(200, json!({"metrics": [], "updated_at": null})));
    let m = client.get_metrics().date(d(3)).await.unwrap();
    assert!(m.metrics.is_empty() && m.updated_at.is_none());
    assert_eq!(
        query(&seen.lock().unwrap()[0]),
        pairs(&[
            ("starting_date", "2026-11-03"),
            ("ending_date", "2026-11-03")
        ])
    );
}

#[tokio::test]
async fn bad_metrics_input_is_refused_before_sending() {
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    let e = silent()
        .get_metrics()
        .starting_date(d(2))
        .ending_date(d(1))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("after"), "{e}");
    let e = silent().refresh_metrics().table("t").await.unwrap_err();
    assert!(e.to_string().contains("db_id"), "{e}");
    let e = silent()
        .wait_for_metrics_refresh()
        .table("t")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
}

#[tokio::test]
async fn refresh_answers_map_to_their_variant() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            json!([
                day_metrics("2026-11-28", json!(1)),
                day_metrics("2026-11-27", json!(null))
            ]),
        )
    });
    let done = client.refresh_metrics().user_id("u1").await.unwrap();
    let days = done.metrics().unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[1].agent_runs_count, 0, "null reads as 0");
    assert_eq!(days[1].date, NaiveDate::from_ymd_opt(2026, 11, 27));
    assert!(!done.is_started() && !done.is_already_running());
    assert_eq!(seen.lock().unwrap()[0].method, Method::POST);
    assert_eq!(path(&seen.lock().unwrap()[0]), "/metrics/refresh");

    let (client, seen) = recording_numbered(|n, _| {
        let status = if n == 0 { "started" } else { "already_running" };
        mock::json(202, json!({"status": status, "message": "m"}))
    });
    let first = client.refresh_metrics().background(true).await.unwrap();
    assert!(first.is_started(), "{first:?}");
    assert!(first.metrics().is_none());
    let second = client.refresh_metrics().background(true).await.unwrap();
    assert!(second.is_already_running(), "{second:?}");
    assert_eq!(
        query(&seen.lock().unwrap()[0]),
        pairs(&[("background", "true")])
    );
}

#[tokio::test]
async fn wait_polls_until_the_refresh_is_done() {
    let (client, seen) = recording_numbered(|n, _| {
        if n < 2 {
            mock::json(
                200,
                json!({"status": "running", "started_at": "2026-11-28T20:00:51.3Z"}),
            )
        } else {
            mock::json(
                200,
                json!({"status": "completed", "started_at": "2026-11-28T20:00:51.3Z",
                "finished_at": "2026-11-28T20:00:52Z", "error": null}),
            )
        }
    });
    let done = client
        .wait_for_metrics_refresh()
        .poll_interval(Duration::from_millis(1))
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(done.status, RefreshState::Completed);
    assert!(done.finished_at > done.started_at);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| path(r) == "/metrics/refresh/status"));
    assert_eq!(query(&seen[2]), pairs(&[("db_id", "db")]));
}

#[tokio::test]
async fn wait_reports_failure_idle_and_timeout() {
    let (client, _) = recording_numbered(|_, _| {
        mock::json(
            200,
            json!({"status": "failed", "error": "database is locked"}),
        )
    });
    let e = client.wait_for_metrics_refresh().await.unwrap_err();
    match e {
        Error::JobFailed { what, message } => {
            assert_eq!(what, "metrics refresh");
            assert_eq!(message, "database is locked");
        }
        other => panic!("{other:?}"),
    }

    let (client, _) = recording_numbered(|_, _| mock::json(200, json!({"status": "idle"})));
    let idle = client.wait_for_metrics_refresh().await.unwrap();
    assert_eq!(idle.status, RefreshState::Idle);

    let (client, seen) = recording_numbered(|_, _| mock::json(200, json!({"status": "running"})));
    let e = client
        .wait_for_metrics_refresh()
        .poll_interval(Duration::from_millis(5))
        .max_wait(Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::WaitTimeout { .. }), "{e:?}");
    assert!(seen.lock().unwrap().len() >= 2);

    let (client, _) =
        recording_numbered(|_, _| mock::error(500, "Error getting metrics refresh status"));
    let e = client.wait_for_metrics_refresh().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
}

// ------------------------------------------------------------------------------- trace_of_run

#[tokio::test]
async fn every_lookup_of_trace_of_run_carries_the_per_call_options() {
    // The run's trace is listed on the second lookup; then it is read by its id.
    let (client, seen) = recording_numbered(|n, req| match (n, path(req)) {
        (0, "/traces") => mock::json(200, page(json!([]), 1, 0)),
        (_, "/traces") => mock::json(200, page(json!([summary("t1")]), 1, 1)),
        _ => mock::json(200, detail("t1")),
    });
    let trace = client
        .trace_of_run("r1")
        .poll_interval(Duration::from_millis(1))
        .header("X-Tenant", "t-1")
        .timeout(Duration::from_secs(7))
        .await
        .unwrap();
    assert_eq!(trace.trace_id, "t1");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(path(&seen[2]), "/traces/t1");
    for req in seen.iter() {
        assert_eq!(req.headers["x-tenant"], "t-1");
        assert_eq!(req.timeout, Duration::from_secs(7));
    }
}
