//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use std::time::Duration;

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{AgentOsClient, Error, SortOrder};
use futures::TryStreamExt;
use serde_json::{Value, json};

use crate::*;
use agentos_core::mock::{never_called as silent, pairs, path, query, recording_numbered};

fn accuracy_json(id: &str) -> Value {
    json!({
        "id": id, "agent_id": "echo-agent", "model_id": "gpt-4o", "model_provider": "OpenAI",
        "team_id": null, "workflow_id": null, "name": "probe", "evaluated_component_name": null,
        "user_id": null, "eval_type": "accuracy",
        "eval_data": {"run_id": id, "results": [{"input": "What is 2+2?", "output": "Echo: What is 2+2?",
            "expected_output": "4", "score": 8, "reason": "fake accuracy_reason"}],
            "avg_score": 8, "mean_score": 8, "min_score": 8, "max_score": 8, "std_dev_score": 0},
        "eval_input": null, "created_at": null, "updated_at": null
    })
}

/// The body `run_eval` sent.
async fn body_of(build: impl FnOnce(&AgentOsClient) -> RunEval) -> Value {
    let (client, seen) = recording_numbered(|_, _| mock::json(200, accuracy_json("e1")));
    build(&client).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::POST);
    assert_eq!(path(&seen[0]), "/eval-runs");
    mock::json_body(&seen[0]).unwrap()
}

#[tokio::test]
async fn accuracy_eval_body_and_long_timeout() {
    let (client, seen) = recording_numbered(|_, _| mock::json(200, accuracy_json("e1")));
    let eval = client
        .run_eval(
            EvalTarget::agent("echo-agent"),
            "What is 2+2?",
            AccuracyEval::new("4"),
        )
        .name("probe")
        .model("gpt-4o-mini", "openai")
        .additional_guidelines("be strict")
        .additional_context("math")
        .num_iterations(3)
        .db_id("db")
        .table("evals")
        .await
        .unwrap();
    assert_eq!(eval.id, "e1");
    assert_eq!(eval.eval_type, EvalType::Accuracy);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].timeout, DEFAULT_EVAL_TIMEOUT);
    assert_eq!(
        query(&seen[0]),
        pairs(&[("db_id", "db"), ("table", "evals")])
    );
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({
            "eval_type": "accuracy", "expected_output": "4", "input": "What is 2+2?",
            "agent_id": "echo-agent", "name": "probe", "model_id": "gpt-4o-mini",
            "model_provider": "openai", "additional_guidelines": "be strict",
            "additional_context": "math", "num_iterations": 3
        })
    );
}

#[tokio::test]
async fn a_call_timeout_overrides_the_eval_default() {
    let (client, seen) = recording_numbered(|_, _| mock::json(200, accuracy_json("e1")));
    client
        .run_eval(EvalTarget::team("t"), "x", AccuracyEval::new("4"))
        .timeout(Duration::from_secs(3))
        .await
        .unwrap();
    assert_eq!(seen.lock().unwrap()[0].timeout, Duration::from_secs(3));
}

#[tokio::test]
async fn each_kind_sends_its_fields() {
    let body = body_of(|c| {
        c.run_eval(
            EvalTarget::team("echo-team"),
            "hello",
            PerformanceEval::new().warmup_runs(2),
        )
        .num_iterations(2)
    })
    .await;
    assert_eq!(
        body,
        json!({"eval_type": "performance", "warmup_runs": 2, "input": "hello",
            "team_id": "echo-team", "num_iterations": 2})
    );

    let body =
        body_of(|c| c.run_eval(EvalTarget::agent("a"), "hello", PerformanceEval::new())).await;
    assert_eq!(
        body,
        json!({"eval_type": "performance", "input": "hello", "agent_id": "a"})
    );

    let body = body_of(|c| {
        c.run_eval(
            EvalTarget::agent("a"),
            "x [tool:echo_tool]",
            ReliabilityEval::new(["echo_tool", "other"])
                .allow_additional_tool_calls(true)
                .expected_arguments("echo_tool", json!({"text": "ping"}))
                .expected_arguments("other", json!({"n": 1}))
                .expected_arguments("other", json!({"n": 2}))
                .expected_arguments("other", json!({"n": 3})),
        )
    })
    .await;
    assert_eq!(
        body,
        json!({"eval_type": "reliability", "expected_tool_calls": ["echo_tool", "other"],
            "allow_additional_tool_calls": true,
            "expected_tool_call_arguments": {
                "echo_tool": {"text": "ping"},
                "other": [{"n": 1}, {"n": 2}, {"n": 3}]
            },
            "input": "x [tool:echo_tool]", "agent_id": "a"})
    );

    let body = body_of(|c| {
        c.run_eval(
            EvalTarget::agent("a"),
            "hi",
            AgentAsJudgeEval::binary("Is polite"),
        )
    })
    .await;
    assert_eq!(
        body,
        json!({"eval_type": "agent_as_judge", "criteria": "Is polite",
            "scoring_strategy": "binary", "input": "hi", "agent_id": "a"})
    );

    let body = body_of(|c| {
        c.run_eval(
            EvalTarget::agent("a"),
            "hi",
            AgentAsJudgeEval::numeric("Is polite", 9),
        )
    })
    .await;
    assert_eq!(body["scoring_strategy"], "numeric");
    assert_eq!(body["threshold"], 9);
    assert_eq!(
        EvalKind::from(AgentAsJudgeEval::binary("c")).eval_type(),
        EvalType::AgentAsJudge
    );
}

#[tokio::test]
async fn bad_eval_input_is_refused_before_sending() {
    let c = silent();
    let agent = || EvalTarget::agent("a");
    let cases: Vec<(RunEval, &str)> = vec![
        (c.run_eval(agent(), "", AccuracyEval::new("4")), "input"),
        (
            c.run_eval(EvalTarget::agent(""), "x", AccuracyEval::new("4")),
            "agent_id",
        ),
        (
            c.run_eval(EvalTarget::team(""), "x", AccuracyEval::new("4")),
            "team_id",
        ),
        (
            c.run_eval(agent(), "x", AccuracyEval::new("")),
            "expected_output",
        ),
        (
            c.run_eval(agent(), "x", AgentAsJudgeEval::binary("")),
            "criteria",
        ),
        (
            c.run_eval(agent(), "x", AgentAsJudgeEval::numeric("c", 0)),
            "threshold",
        ),
        (
            c.run_eval(agent(), "x", AgentAsJudgeEval::numeric("c", 11)),
            "threshold",
        ),
        (
            c.run_eval(agent(), "x", PerformanceEval::new().warmup_runs(11)),
            "warmup_runs",
        ),
        (
            c.run_eval(agent(), "x", PerformanceEval::new())
                .num_iterations(0),
            "num_iterations",
        ),
        (
            c.run_eval(agent(), "x", PerformanceEval::new())
                .num_iterations(101),
            "num_iterations",
        ),
        (
            c.run_eval(agent(), "x", PerformanceEval::new()).name(""),
            "name",
        ),
        (
            c.run_eval(
                agent(),
                "x",
                ReliabilityEval::new(["t"]).expected_arguments("t", json!(["not an object"])),
            ),
            "JSON object",
        ),
        (
            c.run_eval(agent(), "x", PerformanceEval::new()).table("t"),
            "db_id",
        ),
    ];
    for (call, needle) in cases {
        let e = call.await.unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
}

#[tokio::test]
async fn a_null_answer_is_an_error() {
    let (client, _) = recording_numbered(|_, _| mock::json(200, Value::Null));
    let e = client
        .run_eval(EvalTarget::agent("remote"), "x", PerformanceEval::new())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::JobFailed { .. }), "{e:?}");
}

#[tokio::test]
async fn server_refusals_map_to_http_errors() {
    let (client, _) = recording_numbered(|_, _| mock::error(404, "Agent with id 'nope' not found"));
    let e = client
        .run_eval(EvalTarget::agent("nope"), "x", AccuracyEval::new("4"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let (client, seen) =
        recording_numbered(|_, _| mock::error(404, "Eval run with id 'x' not found"));
    let e = client.update_eval_run("x", "n").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "a POST-like call is not retried"
    );
}

#[tokio::test]
async fn list_sends_filters_and_comma_separated_types() {
    let (client, seen) = recording_numbered(|_, _| {
        mock::json(
            200,
            json!({"data": [accuracy_json("e1")], "meta": {"page": 2, "limit": 5, "total_pages": 2, "total_count": 6}}),
        )
    });
    let page = client
        .list_eval_runs()
        .agent_id("echo-agent")
        .team_id("t")
        .workflow_id("w")
        .model_id("gpt-4o")
        .filter_type(EvalFilterType::Agent)
        .eval_types([EvalType::Accuracy, EvalType::AgentAsJudge])
        .sort_by("name")
        .sort_order(SortOrder::Asc)
        .limit(5)
        .page(2)
        .db_id("db")
        .await
        .unwrap();
    assert_eq!(page.data[0].id, "e1");
    assert_eq!(page.meta.total_count, Some(6));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(path(&seen[0]), "/eval-runs");
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("agent_id", "echo-agent"),
            ("team_id", "t"),
            ("workflow_id", "w"),
            ("model_id", "gpt-4o"),
            ("type", "agent"),
            ("eval_types", "accuracy,agent_as_judge"),
            ("sort_by", "name"),
            ("sort_order", "asc"),
            ("limit", "5"),
            ("page", "2"),
            ("db_id", "db"),
        ])
    );
}

#[tokio::test]
async fn list_walks_pages_and_refuses_page_zero() {
    let e = silent().list_eval_runs().page(0).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let (client, seen) = recording_numbered(|n, _| {
        mock::json(
            200,
            json!({"data": [accuracy_json(&format!("e{n}"))],
                "meta": {"page": n + 1, "limit": 1, "total_pages": 3, "total_count": 3}}),
        )
    });
    let all: Vec<EvalSchema> = client
        .list_eval_runs()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["e0", "e1", "e2"]
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn get_update_and_delete() {
    let (client, seen) = recording_numbered(|n, _| match n {
        0 | 1 => mock::json(200, accuracy_json("e?1")),
        _ => mock::empty(204),
    });
    let eval = client.get_eval_run("e?1").db_id("d").await.unwrap();
    assert_eq!(eval.name.as_deref(), Some("probe"));
    client.update_eval_run("e?1", "renamed").await.unwrap();
    client
        .delete_eval_runs(["e?1", "e2"])
        .db_id("d")
        .table("t")
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(path(&seen[0]), "/eval-runs/e%3F1");
    assert_eq!(query(&seen[0]), pairs(&[("db_id", "d")]));
    assert_eq!(seen[1].method, Method::PATCH);
    assert_eq!(path(&seen[1]), "/eval-runs/e%3F1");
    assert_eq!(
        mock::json_body(&seen[1]).unwrap(),
        json!({"name": "renamed"})
    );
    assert_eq!(seen[2].method, Method::DELETE);
    assert_eq!(path(&seen[2]), "/eval-runs");
    assert_eq!(query(&seen[2]), pairs(&[("db_id", "d"), ("table", "t")]));
    assert_eq!(
        mock::json_body(&seen[2]).unwrap(),
        json!({"eval_run_ids": ["e?1", "e2"]})
    );
}

#[tokio::test]
async fn bad_ids_and_names_are_refused_before_sending() {
    let c = silent();
    let e = c.delete_eval_runs(Vec::<String>::new()).await.unwrap_err();
    assert!(e.to_string().contains("at least one"), "{e}");
    let e = c.delete_eval_runs([""]).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = c.update_eval_run("e", "").await.unwrap_err();
    assert!(e.to_string().contains("255"), "{e}");
    let e = c.update_eval_run("e", "é".repeat(256)).await.unwrap_err();
    assert!(e.to_string().contains("256"), "{e}");
    assert!(
        super::check_name(&"é".repeat(255)).is_ok(),
        "counts characters, not bytes"
    );
    let e = c.get_eval_run("").await.unwrap_err();
    assert!(e.to_string().contains("eval_run_id"), "{e}");
}

// ------------------------------------------------------------------------------- results

fn eval_of(eval_type: &str, data: Value) -> EvalSchema {
    serde_json::from_value(json!({"id": "x", "eval_type": eval_type, "eval_data": data})).unwrap()
}

#[test]
fn accuracy_and_judge_results_read() {
    let e: EvalSchema = serde_json::from_value(accuracy_json("e1")).unwrap();
    match e.result().unwrap() {
        EvalResult::Accuracy(r) => {
            assert_eq!(r.avg_score, Some(8.0));
            assert_eq!(r.results[0].reason.as_deref(), Some("fake accuracy_reason"));
            assert_eq!(r.results[0].score, Some(8.0));
        }
        other => panic!("{other:?}"),
    }
    let judge = eval_of(
        "agent_as_judge",
        json!({"results": [{"input": "hello", "output": "Echo: hello", "criteria": "Is polite",
            "score": null, "reason": "fake reason", "passed": true}], "avg_score": null, "pass_rate": 100.0}),
    );
    match judge.result().unwrap() {
        EvalResult::AgentAsJudge(r) => {
            assert_eq!(r.pass_rate, Some(100.0));
            assert_eq!(r.results[0].passed, Some(true));
            assert_eq!(r.results[0].score, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn performance_results_read_in_both_shapes() {
    let flat = eval_of(
        "performance",
        json!({"run_times": [0.02, 0.05], "avg_run_time": 0.035, "memory_usages": [0.3, 0.4],
            "p95_run_time": 0.05}),
    );
    let nested = eval_of(
        "performance",
        json!({"result": {"avg_run_time": 0.035, "p95_run_time": 0.05},
            "runs": [{"runtime": 0.02, "memory": 0.3}, {"runtime": 0.05, "memory": 0.4}]}),
    );
    for e in [flat, nested] {
        match e.result().unwrap() {
            EvalResult::Performance(r) => {
                assert_eq!(r.run_times, [0.02, 0.05]);
                assert_eq!(r.memory_usages, [0.3, 0.4]);
                assert_eq!(r.avg_run_time, Some(0.035));
                assert_eq!(r.p95_run_time, Some(0.05));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn reliability_and_unknown_results_read() {
    let e = eval_of(
        "reliability",
        json!({"eval_status": "PASSED", "failed_tool_calls": [], "passed_tool_calls": ["echo_tool"],
            "missing_tool_calls": null}),
    );
    match e.result().unwrap() {
        EvalResult::Reliability(r) => {
            assert!(r.passed());
            assert_eq!(r.passed_tool_calls, ["echo_tool"]);
            assert!(r.missing_tool_calls.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let failed = eval_of("reliability", json!({"eval_status": "FAILED"}));
    assert!(matches!(failed.result().unwrap(), EvalResult::Reliability(r) if !r.passed()));

    let new = eval_of("safety", json!({"verdict": "ok"}));
    assert_eq!(new.eval_type, EvalType::Unknown("safety".into()));
    assert!(matches!(new.result().unwrap(), EvalResult::Unknown(m) if m["verdict"] == "ok"));

    // A result of the wrong shape is an error, not a panic.
    let odd = eval_of("accuracy", json!({"results": "not a list"}));
    assert!(odd.result().is_err());
    // A null eval_data reads as empty.
    let e: EvalSchema =
        serde_json::from_value(json!({"id": "x", "eval_type": "accuracy", "eval_data": null}))
            .unwrap();
    assert!(e.eval_data.is_empty());
}
