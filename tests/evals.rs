//! Integration tests of the evals area against the real AgentOS: every eval kind runs against
//! the fixture's agents and team (the judge is the fake model), and the stored runs are
//! listed, read back, renamed and deleted.

mod common;

use agentos::AgentOsClient;
use agentos::evals::{
    AccuracyEval, AgentAsJudgeEval, EvalFilterType, EvalResult, EvalSchema, EvalTarget, EvalType,
    EvalsExt, PerformanceEval, ReliabilityEval,
};
use futures::TryStreamExt;
use serde_json::json;

/// Every stored eval run of `echo-agent` of these types (walking every page).
async fn listed(client: &AgentOsClient, types: &[EvalType]) -> Vec<EvalSchema> {
    client
        .list_eval_runs()
        .agent_id("echo-agent")
        .eval_types(types.iter().cloned())
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .unwrap()
}

fn ids(runs: &[EvalSchema]) -> Vec<&str> {
    runs.iter().map(|r| r.id.as_str()).collect()
}

#[tokio::test]
async fn accuracy_eval_runs_is_listed_renamed_and_deleted() {
    let client = common::client();
    let name = common::unique("acc-eval");
    let eval = client
        .run_eval(
            EvalTarget::agent("echo-agent"),
            "What is 2+2?",
            AccuracyEval::new("4"),
        )
        .name(&name)
        .additional_guidelines("Be strict")
        .await
        .unwrap();
    assert_eq!(eval.eval_type, EvalType::Accuracy);
    assert_eq!(eval.agent_id.as_deref(), Some("echo-agent"));
    assert_eq!(eval.name.as_deref(), Some(name.as_str()));
    assert_eq!(eval.model_id.as_deref(), Some("gpt-4o"));
    match eval.result().unwrap() {
        EvalResult::Accuracy(r) => {
            assert_eq!(r.avg_score, Some(8.0), "the fake judge always scores 8");
            assert_eq!(r.results.len(), 1);
            assert_eq!(r.results[0].expected_output.as_deref(), Some("4"));
            assert_eq!(r.results[0].output.as_deref(), Some("Echo: What is 2+2?"));
            assert_eq!(r.results[0].reason.as_deref(), Some("fake accuracy_reason"));
        }
        other => panic!("{other:?}"),
    }

    // Read back: the stored row has the inputs and the component name too.
    let stored = client.get_eval_run(&eval.id).await.unwrap();
    assert_eq!(stored.id, eval.id);
    assert_eq!(stored.name.as_deref(), Some(name.as_str()));
    assert_eq!(
        stored.evaluated_component_name.as_deref(),
        Some("Echo Agent")
    );
    let input = stored.eval_input.as_ref().expect("eval_input");
    assert_eq!(input["expected_output"], "4");
    assert_eq!(input["additional_guidelines"], "Be strict");
    assert!(stored.created_at.is_some());
    assert_eq!(stored.result().unwrap(), eval.result().unwrap());

    // Listed under accuracy, not under reliability.
    assert!(ids(&listed(&client, &[EvalType::Accuracy]).await).contains(&eval.id.as_str()));
    assert!(!ids(&listed(&client, &[EvalType::Reliability]).await).contains(&eval.id.as_str()));
    let as_agent: Vec<EvalSchema> = client
        .list_eval_runs()
        .filter_type(EvalFilterType::Agent)
        .model_id("gpt-4o")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(ids(&as_agent).contains(&eval.id.as_str()));
    let as_team: Vec<EvalSchema> = client
        .list_eval_runs()
        .filter_type(EvalFilterType::Team)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!ids(&as_team).contains(&eval.id.as_str()));

    // Renamed.
    let new_name = common::unique("acc-renamed");
    let renamed = client.update_eval_run(&eval.id, &new_name).await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some(new_name.as_str()));
    let stored = client.get_eval_run(&eval.id).await.unwrap();
    assert_eq!(stored.name.as_deref(), Some(new_name.as_str()));

    // Deleted.
    client.delete_eval_runs([eval.id.as_str()]).await.unwrap();
    let e = client.get_eval_run(&eval.id).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(!ids(&listed(&client, &[EvalType::Accuracy]).await).contains(&eval.id.as_str()));
    let e = client.update_eval_run(&eval.id, "again").await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
}

#[tokio::test]
async fn performance_eval_runs_is_listed_renamed_and_deleted() {
    let client = common::client();
    let eval = client
        .run_eval(
            EvalTarget::agent("echo-agent"),
            "hello",
            PerformanceEval::new().warmup_runs(1),
        )
        .num_iterations(2)
        .name(common::unique("perf-eval"))
        .await
        .unwrap();
    assert_eq!(eval.eval_type, EvalType::Performance);
    let fresh = match eval.result().unwrap() {
        EvalResult::Performance(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(fresh.run_times.len(), 2);
    assert!(fresh.run_times.iter().all(|t| *t > 0.0));
    let avg = fresh.avg_run_time.unwrap();
    assert!(fresh.min_run_time.unwrap() <= avg && avg <= fresh.max_run_time.unwrap());

    // Read back, the server nests the same data as {result, runs}; it reads the same.
    let stored = client.get_eval_run(&eval.id).await.unwrap();
    assert!(
        stored.eval_data.contains_key("result"),
        "{:?}",
        stored.eval_data
    );
    match stored.result().unwrap() {
        EvalResult::Performance(r) => {
            assert_eq!(r.run_times, fresh.run_times);
            assert_eq!(r.avg_run_time, fresh.avg_run_time);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stored.eval_input.as_ref().unwrap()["num_iterations"], 2);
    assert_eq!(stored.eval_input.as_ref().unwrap()["warmup_runs"], 1);

    let perf = listed(&client, &[EvalType::Performance, EvalType::Reliability]).await;
    assert!(ids(&perf).contains(&eval.id.as_str()));
    assert!(
        perf.iter()
            .all(|r| matches!(r.eval_type, EvalType::Performance | EvalType::Reliability))
    );
    assert!(!ids(&listed(&client, &[EvalType::Accuracy]).await).contains(&eval.id.as_str()));

    let new_name = common::unique("perf-renamed");
    client.update_eval_run(&eval.id, &new_name).await.unwrap();
    assert_eq!(
        client.get_eval_run(&eval.id).await.unwrap().name.as_deref(),
        Some(new_name.as_str())
    );
    client.delete_eval_runs([eval.id.clone()]).await.unwrap();
    assert!(
        client
            .get_eval_run(&eval.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn reliability_evals_check_tools_and_arguments() {
    let client = common::client();
    let agent = EvalTarget::agent("echo-agent");
    let input = r#"call it [tool:echo_tool {"text": "ping"}]"#;
    let passed = client
        .run_eval(
            agent.clone(),
            input,
            ReliabilityEval::new(["echo_tool"])
                .expected_arguments("echo_tool", json!({"text": "ping"})),
        )
        .await
        .unwrap();
    let failed = client
        .run_eval(
            agent.clone(),
            input,
            ReliabilityEval::new(["echo_tool"])
                .expected_arguments("echo_tool", json!({"text": "pong"})),
        )
        .await
        .unwrap();
    let missing = client
        .run_eval(agent, "no tool here", ReliabilityEval::new(["echo_tool"]))
        .await
        .unwrap();
    let result = |e: &EvalSchema| match e.result().unwrap() {
        EvalResult::Reliability(r) => r,
        other => panic!("{other:?}"),
    };
    let (p, f, m) = (result(&passed), result(&failed), result(&missing));
    assert!(p.passed(), "{p:?}");
    assert_eq!(p.passed_tool_calls, ["echo_tool"]);
    assert_eq!(p.passed_argument_checks, ["echo_tool"]);
    assert!(!f.passed(), "{f:?}");
    assert_eq!(f.failed_argument_checks, ["echo_tool"]);
    assert!(!m.passed(), "{m:?}");
    assert_eq!(m.missing_tool_calls, ["echo_tool"]);

    let stored = client.get_eval_run(&passed.id).await.unwrap();
    assert_eq!(
        stored.eval_input.as_ref().unwrap()["expected_tool_call_arguments"],
        json!({"echo_tool": {"text": "ping"}})
    );
    // Several deleted at once.
    let all = [passed.id.clone(), failed.id.clone(), missing.id.clone()];
    client.delete_eval_runs(all.clone()).await.unwrap();
    let left = listed(&client, &[EvalType::Reliability]).await;
    for id in &all {
        assert!(!ids(&left).contains(&id.as_str()), "{id} still listed");
    }
}

#[tokio::test]
async fn agent_as_judge_and_team_evals() {
    let client = common::client();
    let binary = client
        .run_eval(
            EvalTarget::agent("echo-agent"),
            "hello",
            AgentAsJudgeEval::binary("Is polite"),
        )
        .await
        .unwrap();
    // The fake judge scores 8: a threshold of 9 fails, 7 passes.
    let strict = client
        .run_eval(
            EvalTarget::agent("echo-agent"),
            "hello",
            AgentAsJudgeEval::numeric("Is polite", 9),
        )
        .await
        .unwrap();
    let lenient = client
        .run_eval(
            EvalTarget::team("echo-team"),
            "hello",
            AgentAsJudgeEval::numeric("Is polite", 7),
        )
        .await
        .unwrap();
    let judged = |e: &EvalSchema| match e.result().unwrap() {
        EvalResult::AgentAsJudge(r) => r,
        other => panic!("{other:?}"),
    };
    let b = judged(&binary);
    assert_eq!(b.results[0].passed, Some(true));
    assert_eq!(b.results[0].criteria.as_deref(), Some("Is polite"));
    assert_eq!(b.pass_rate, Some(100.0));
    let s = judged(&strict);
    assert_eq!(s.results[0].score, Some(8.0));
    assert_eq!(s.results[0].passed, Some(false));
    assert_eq!(s.pass_rate, Some(0.0));
    let l = judged(&lenient);
    assert_eq!(l.results[0].passed, Some(true));
    assert_eq!(lenient.team_id.as_deref(), Some("echo-team"));
    assert_eq!(lenient.agent_id, None);

    // An accuracy eval of the team, listed among team evals.
    let team_acc = client
        .run_eval(
            EvalTarget::team("echo-team"),
            "What is 2+2?",
            AccuracyEval::new("4"),
        )
        .await
        .unwrap();
    assert_eq!(team_acc.team_id.as_deref(), Some("echo-team"));
    let team_runs: Vec<EvalSchema> = client
        .list_eval_runs()
        .team_id("echo-team")
        .eval_types([EvalType::Accuracy, EvalType::AgentAsJudge])
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(ids(&team_runs).contains(&team_acc.id.as_str()));
    assert!(!ids(&team_runs).contains(&binary.id.as_str()));
    assert!(
        team_runs
            .iter()
            .all(|r| r.team_id.as_deref() == Some("echo-team"))
    );

    // agno 3.1.10 stores agent-as-judge runs without their agent or team id (the answer of
    // the run has them): they are found by type, not by target.
    let stored = client.get_eval_run(&lenient.id).await.unwrap();
    assert_eq!(stored.eval_type, EvalType::AgentAsJudge);
    assert_eq!(judged(&stored).results[0].passed, Some(true));
    let judge_runs: Vec<EvalSchema> = client
        .list_eval_runs()
        .eval_types([EvalType::AgentAsJudge])
        .limit(100)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    for id in [&binary.id, &strict.id, &lenient.id] {
        assert!(ids(&judge_runs).contains(&id.as_str()), "{id}");
    }
    assert!(
        judge_runs
            .iter()
            .all(|r| r.eval_type == EvalType::AgentAsJudge)
    );

    client
        .delete_eval_runs([binary.id, strict.id, lenient.id, team_acc.id])
        .await
        .unwrap();
}

#[tokio::test]
async fn eval_errors_come_back_typed() {
    let client = common::client();
    let e = client
        .run_eval(
            EvalTarget::agent(common::unique("no-agent")),
            "x",
            AccuracyEval::new("4"),
        )
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("not found"), "{e}");
    let e = client
        .get_eval_run(&common::unique("no-eval"))
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    // Refused before sending: nothing reaches the server.
    let e = client
        .run_eval(EvalTarget::agent("echo-agent"), "x", AccuracyEval::new(""))
        .await
        .unwrap_err();
    assert!(matches!(e, agentos::Error::InvalidRequest(_)), "{e:?}");
    // The secured server needs its key.
    let e = AgentOsClient::new(common::secured_url())
        .unwrap()
        .list_eval_runs()
        .await
        .unwrap_err();
    assert!(e.is_unauthorized(), "{e:?}");
    let page = common::secured_client()
        .list_eval_runs()
        .limit(1)
        .await
        .unwrap();
    assert!(page.data.len() <= 1);
}
