//! Evals: run an accuracy, a performance, a reliability and an agent-as-judge eval against an
//! agent, read their typed results, list the stored runs, rename one, and delete them.
//!
//! Run it against a local AgentOS that the script starts (its judge is the fake model):
//! `scripts/demo.sh evals`, or against your own server:
//! `AGENTOS_URL=http://localhost:7777 AGENT_ID=my-agent cargo run -p agentos-rs --example evals`.

use agentos::AgentOsClient;
use agentos::evals::{
    AccuracyEval, AgentAsJudgeEval, EvalResult, EvalSchema, EvalTarget, EvalType, EvalsExt,
    PerformanceEval, ReliabilityEval,
};
use serde_json::json;

#[tokio::main]
async fn main() -> agentos::Result<()> {
    let url = std::env::var("AGENTOS_URL").unwrap_or_else(|_| "http://localhost:7777".into());
    let agent_id = std::env::var("AGENT_ID").unwrap_or_else(|_| "echo-agent".into());
    let client = AgentOsClient::new(url)?;
    let agent = EvalTarget::agent(&agent_id);
    let tag = format!("evals-example-{}", std::process::id());

    // Each eval runs inside the request (the call waits, with a 10-minute timeout of its own).
    println!("1. Accuracy: does the answer to 'What is 2+2?' match '4'?");
    let accuracy = client
        .run_eval(agent.clone(), "What is 2+2?", AccuracyEval::new("4"))
        .name(format!("{tag}-accuracy"))
        .await?;
    show(&accuracy);

    println!("\n2. Performance: two measured runs after one warm-up...");
    let performance = client
        .run_eval(
            agent.clone(),
            "hello",
            PerformanceEval::new().warmup_runs(1),
        )
        .num_iterations(2)
        .name(format!("{tag}-performance"))
        .await?;
    show(&performance);

    println!("\n3. Reliability: is echo_tool called, with text=ping?");
    let reliability = client
        .run_eval(
            agent.clone(),
            r#"Echo this [tool:echo_tool {"text": "ping"}]"#,
            ReliabilityEval::new(["echo_tool"])
                .expected_arguments("echo_tool", json!({"text": "ping"})),
        )
        .name(format!("{tag}-reliability"))
        .await?;
    show(&reliability);

    println!("\n4. Agent as judge: is the answer polite (score 7 or more)?");
    let judged = client
        .run_eval(
            agent.clone(),
            "hello",
            AgentAsJudgeEval::numeric("Is polite", 7),
        )
        .name(format!("{tag}-judge"))
        .await?;
    show(&judged);

    println!("\n5. Stored accuracy and performance runs of {agent_id}:");
    let page = client
        .list_eval_runs()
        .agent_id(&agent_id)
        .eval_types([EvalType::Accuracy, EvalType::Performance])
        .limit(5)
        .await?;
    for run in &page.data {
        println!(
            "   {} {:<12} {:?} on {:?}",
            run.id, run.eval_type, run.name, run.evaluated_component_name
        );
    }

    println!("\n6. Renaming the accuracy run...");
    let renamed = client
        .update_eval_run(&accuracy.id, format!("{tag}-baseline"))
        .await?;
    println!("   now named {:?}", renamed.name);

    println!("\n7. Deleting the four runs...");
    let ids = [&accuracy, &performance, &reliability, &judged].map(|e| e.id.clone());
    client.delete_eval_runs(ids).await?;
    match client.get_eval_run(&accuracy.id).await {
        Err(e) if e.is_not_found() => println!("   gone"),
        other => println!("   unexpected: {other:?}"),
    }
    Ok(())
}

/// Prints the typed results of an eval run.
fn show(eval: &EvalSchema) {
    print!("   {} ({}): ", eval.id, eval.eval_type);
    match eval.result() {
        Ok(EvalResult::Accuracy(r)) => println!(
            "average score {:?}; first answer {:?} ({:?})",
            r.avg_score,
            r.results.first().and_then(|x| x.output.as_deref()),
            r.results.first().and_then(|x| x.reason.as_deref())
        ),
        Ok(EvalResult::Performance(r)) => println!(
            "runs {:?} s, average {:?} s, memory {:?} MiB",
            r.run_times, r.avg_run_time, r.avg_memory_usage
        ),
        Ok(EvalResult::Reliability(r)) => println!(
            "{} (called {:?}, arguments ok for {:?}, missing {:?})",
            if r.passed() { "PASSED" } else { "FAILED" },
            r.passed_tool_calls,
            r.passed_argument_checks,
            r.missing_tool_calls
        ),
        Ok(EvalResult::AgentAsJudge(r)) => println!(
            "pass rate {:?}%, scores {:?}",
            r.pass_rate,
            r.results.iter().map(|x| x.score).collect::<Vec<_>>()
        ),
        Ok(other) => println!("{other:?}"),
        Err(e) => println!("unreadable results: {e}"),
    }
}
