//! Integration tests of schedules and the durable job queue against the real AgentOS: every
//! route, checked against what the server stored and what the triggered runs did. Each test
//! works on its own schedule names and sessions (`common::unique`), so the tests run in
//! parallel against one shared server. The fixture runs the scheduler (trigger works on both
//! instances); only the secured instance has the durable queue.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use agentos::http::Method;
use agentos::schedules::{QueueExt, QueueJob, QueueJobStatus, ScheduleRunStatus, SchedulesExt};
use agentos::{AgentOsClient, Form, Request};
use futures::TryStreamExt;
use serde_json::{Value, json};

/// Starts an agent run the way a form client does (no dependency on the runs crate).
async fn start_run(
    client: &AgentOsClient,
    agent: &str,
    message: &str,
    session: &str,
    background: bool,
) -> Value {
    let mut form = Form::new();
    form.text("message", message)
        .text("session_id", session)
        .bool("stream", false)
        .bool("background", background);
    let req = Request::post("/agents/{agent_id}/runs", &[agent])
        .unwrap()
        .form(form);
    client.execute(req).await.unwrap().json().unwrap()
}

/// Reads a stored agent run.
async fn get_run(client: &AgentOsClient, agent: &str, run_id: &str, session: &str) -> Value {
    let req = Request::get("/agents/{agent_id}/runs/{run_id}", &[agent, run_id])
        .unwrap()
        .query("session_id", session);
    client.execute(req).await.unwrap().json().unwrap()
}

/// Polls a queue job until `done` says so (at most 30 s).
async fn wait_for_job(
    client: &AgentOsClient,
    job_id: &str,
    done: impl Fn(&QueueJob) -> bool,
) -> QueueJob {
    let start = Instant::now();
    loop {
        if let Ok(job) = client.get_queue_job(job_id).await {
            if done(&job) {
                return job;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "queue job {job_id} did not reach the expected state"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn schedule_is_created_listed_disabled_enabled_triggered_and_deleted() {
    let client = common::client();
    let name = common::unique("sched-life");
    let session = common::unique("sched-session");
    let message = format!("hello from {name}");

    let created = client
        .create_schedule(&name, "/agents/echo-agent/runs")
        .description("integration test")
        .payload(&json!({"message": message, "session_id": session}))
        .timeout_seconds(120)
        .await
        .unwrap();
    assert_eq!(created.name, name);
    assert_eq!(created.endpoint, "/agents/echo-agent/runs");
    assert_eq!(created.method, "POST");
    assert_eq!(created.description.as_deref(), Some("integration test"));
    assert_eq!(created.payload.as_ref().unwrap()["message"], message);
    assert!(created.is_on_demand());
    assert_eq!(created.next_run_at, None);
    assert_eq!(created.timezone, "UTC");
    assert_eq!(created.timeout_seconds, 120);
    assert_eq!(created.max_retries, 0);
    assert!(created.enabled);
    assert!(created.created_at.is_some());

    let got = client.get_schedule(&created.id).await.unwrap();
    assert_eq!(got, created);

    let listed: Vec<_> = client
        .list_schedules()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(listed.iter().any(|s| s.id == created.id && s.enabled));

    // Disabled: stored as such, filtered as such, and refused by trigger.
    let state = client.disable_schedule(&created.id).await.unwrap();
    assert_eq!(state.id, created.id);
    assert!(!state.enabled);
    assert!(!client.get_schedule(&created.id).await.unwrap().enabled);
    let disabled: Vec<_> = client
        .list_schedules()
        .enabled(false)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(disabled.iter().any(|s| s.id == created.id));
    assert!(disabled.iter().all(|s| !s.enabled));
    let enabled: Vec<_> = client
        .list_schedules()
        .enabled(true)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(enabled.iter().all(|s| s.id != created.id && s.enabled));
    let e = client.trigger_schedule(&created.id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e}");
    assert!(
        client
            .list_schedule_runs(&created.id)
            .await
            .unwrap()
            .data
            .is_empty()
    );

    let state = client.enable_schedule(&created.id).await.unwrap();
    assert!(state.enabled);
    assert!(client.get_schedule(&created.id).await.unwrap().enabled);

    // Trigger: the executor starts a background run, polls it, and answers when it is done.
    let run = client
        .trigger_schedule(&created.id)
        .timeout(Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(run.schedule_id, created.id);
    assert_eq!(run.status, ScheduleRunStatus::Success, "{run:?}");
    assert_eq!(run.attempt, 1);
    assert_eq!(run.status_code, Some(200));
    assert_eq!(run.session_id.as_deref(), Some(session.as_str()));
    assert_eq!(
        run.output_content(),
        Some(format!("Echo: {message}").as_str())
    );
    assert!(run.completed_at.is_some());
    let run_id = run.run_id.clone().expect("the run id of the agent run");

    // The run really happened, against the fake model, in the session of the payload.
    let stored = get_run(&client, "echo-agent", &run_id, &session).await;
    assert_eq!(stored["status"], "COMPLETED");
    assert_eq!(stored["content"], format!("Echo: {message}"));

    let runs = client.list_schedule_runs(&created.id).await.unwrap();
    assert_eq!(runs.data.len(), 1);
    assert_eq!(runs.data[0].id, run.id);
    assert_eq!(runs.data[0].status, ScheduleRunStatus::Success);
    let one = client.get_schedule_run(&created.id, &run.id).await.unwrap();
    assert_eq!(one.run_id.as_deref(), Some(run_id.as_str()));
    assert_eq!(one.output, run.output);
    // A run is looked up under its own schedule only.
    let e = client
        .get_schedule_run(&created.id, "sr_no_such_run")
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");

    client.delete_schedule(&created.id).await.unwrap();
    let e = client.get_schedule(&created.id).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let e = client.delete_schedule(&created.id).await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let after: Vec<_> = client
        .list_schedules()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(after.iter().all(|s| s.id != created.id));
}

#[tokio::test]
async fn cron_schedules_are_validated_by_the_server_and_updated() {
    let client = common::client();
    let name = common::unique("sched-cron");

    let created = client
        .create_schedule(&name, "/agents/echo-agent/runs")
        .cron_expr("0 3 * * *")
        .timezone("Europe/Lisbon")
        .max_retries(2)
        .retry_delay_seconds(5)
        .payload(&json!({"message": "nightly"}))
        .await
        .unwrap();
    assert_eq!(created.cron_expr.as_deref(), Some("0 3 * * *"));
    assert_eq!(created.timezone, "Europe/Lisbon");
    assert_eq!((created.max_retries, created.retry_delay_seconds), (2, 5));
    let next = created.next_run_at.expect("a cron schedule has a next run");
    assert!(next.unix_seconds() > created.created_at.unwrap().unix_seconds());

    // The name is unique.
    let e = client
        .create_schedule(&name, "/agents/echo-agent/runs")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e}");
    // Cron and time zone are the server's to check.
    let e = client
        .create_schedule(common::unique("sched-badcron"), "/agents/echo-agent/runs")
        .cron_expr("every day at noon")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422), "{e}");
    assert!(e.to_string().contains("cron"), "{e}");
    let e = client
        .create_schedule(common::unique("sched-badtz"), "/agents/echo-agent/runs")
        .cron_expr("0 3 * * *")
        .timezone("Mars/Olympus_Mons")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422), "{e}");
    // A bad name never reaches the server.
    let e = client
        .create_schedule("bad/name", "/agents/echo-agent/runs")
        .await
        .unwrap_err();
    assert!(matches!(e, agentos::Error::InvalidRequest(_)), "{e:?}");

    let renamed = format!("{name}-renamed");
    let updated = client
        .update_schedule(&created.id)
        .name(&renamed)
        .cron_expr("*/5 * * * *")
        .timezone("UTC")
        .description("every five minutes")
        .timeout_seconds(60)
        .await
        .unwrap();
    assert_eq!(updated.name, renamed);
    assert_eq!(updated.cron_expr.as_deref(), Some("*/5 * * * *"));
    assert_eq!(updated.description.as_deref(), Some("every five minutes"));
    assert_eq!(updated.timeout_seconds, 60);
    assert_eq!(updated.max_retries, 2, "fields not sent are kept");
    let stored = client.get_schedule(&created.id).await.unwrap();
    assert_eq!(stored, updated);

    // An empty update changes nothing; an invalid cron on update is refused.
    let same = client.update_schedule(&created.id).await.unwrap();
    assert_eq!(same.cron_expr, stored.cron_expr);
    let e = client
        .update_schedule(&created.id)
        .cron_expr("61 * * * *")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422), "{e}");

    // On demand: no cron, no next run.
    let on_demand = client
        .update_schedule(&created.id)
        .on_demand()
        .endpoint("/teams/echo-team/runs")
        .await
        .unwrap();
    assert!(on_demand.is_on_demand());
    assert_eq!(on_demand.next_run_at, None);
    assert_eq!(on_demand.endpoint, "/teams/echo-team/runs");

    client.delete_schedule(&created.id).await.unwrap();
}

#[tokio::test]
async fn failed_runs_and_plain_endpoints_are_recorded() {
    let client = common::client();
    let failing = client
        .create_schedule(common::unique("sched-fail"), "/agents/echo-agent/runs")
        .payload(&json!({"message": "boom [fail]"}))
        .await
        .unwrap();
    let run = client
        .trigger_schedule(&failing.id)
        .timeout(Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(run.status, ScheduleRunStatus::Failed, "{run:?}");
    assert!(run.error.is_some());
    let stored = client.get_schedule_run(&failing.id, &run.id).await.unwrap();
    assert_eq!(stored.status, ScheduleRunStatus::Failed);

    // A schedule can call any AgentOS endpoint, with any method.
    let health = client
        .create_schedule(common::unique("sched-health"), "/health")
        .method(Method::GET)
        .await
        .unwrap();
    assert_eq!(health.method, "GET");
    let run = client.trigger_schedule(&health.id).await.unwrap();
    assert_eq!(run.status, ScheduleRunStatus::Success, "{run:?}");
    assert_eq!(run.status_code, Some(200));
    assert_eq!(run.run_id, None);

    for id in [&failing.id, &health.id] {
        client.delete_schedule(id).await.unwrap();
    }
}

#[tokio::test]
async fn schedules_and_their_runs_page() {
    let client = common::client();
    let mut ids = HashSet::new();
    for _ in 0..3 {
        let s = client
            .create_schedule(common::unique("sched-page"), "/health")
            .method(Method::GET)
            .await
            .unwrap();
        ids.insert(s.id);
    }
    // Other tests add and remove schedules meanwhile (the list is newest first, paged by
    // offset), which can shift a walk by a row: check that a walk sees ours, each once, and
    // walk again when a concurrent change got in the way.
    let mut seen_once = false;
    for _ in 0..5 {
        let walked: Vec<_> = client
            .list_schedules()
            .limit(1)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        let ours: Vec<_> = walked.iter().filter(|s| ids.contains(&s.id)).collect();
        let distinct: HashSet<_> = ours.iter().map(|s| &s.id).collect();
        if ours.len() == 3 && distinct.len() == 3 {
            seen_once = true;
            break;
        }
    }
    assert!(
        seen_once,
        "a walk of every page sees each of our schedules once"
    );
    let page = client.list_schedules().limit(1).page(1).await.unwrap();
    assert_eq!(page.data.len(), 1);
    assert!(page.meta.total_count.unwrap() >= 3);

    let id = ids.iter().next().unwrap().clone();
    let mut triggered = HashSet::new();
    for _ in 0..3 {
        triggered.insert(client.trigger_schedule(&id).await.unwrap().id);
    }
    let first = client.list_schedule_runs(&id).limit(2).await.unwrap();
    assert_eq!(first.meta.total_count, Some(3));
    assert_eq!(first.meta.total_pages, Some(2));
    let pages: Vec<_> = client
        .list_schedule_runs(&id)
        .limit(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    let walked: HashSet<_> = pages
        .into_iter()
        .flat_map(|p| p.data)
        .map(|r| r.id)
        .collect();
    assert_eq!(walked, triggered);
    let streamed: Vec<_> = client
        .list_schedule_runs(&id)
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 3);

    for id in &ids {
        client.delete_schedule(id).await.unwrap();
    }
}

#[tokio::test]
async fn the_queue_is_off_on_the_open_instance() {
    let client = common::client();
    let e = client.get_queue_stats().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e}");
    let e = client.list_queue_jobs().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e}");
}

#[tokio::test]
async fn background_runs_are_queue_jobs() {
    let client = common::secured_client();
    let session = common::unique("queue-session");
    let started = start_run(&client, "echo-agent", "queued hello", &session, true).await;
    assert_eq!(started["status"], "PENDING");
    let run_id = started["run_id"].as_str().unwrap().to_owned();

    let job = wait_for_job(&client, &run_id, |j| j.status == QueueJobStatus::Completed).await;
    assert_eq!(job.id, run_id);
    assert_eq!(job.component_type, "agent");
    assert_eq!(job.component_id, "echo-agent");
    assert_eq!(job.session_id, session);
    assert_eq!(job.job_type, "run");
    assert_eq!(job.attempt, 1);
    assert!(job.completed_at.is_some());
    assert_eq!(job.payload["input"], "queued hello");
    let stored = get_run(&client, "echo-agent", &run_id, &session).await;
    assert_eq!(stored["content"], "Echo: queued hello");

    let by_session = client.list_queue_jobs().session_id(&session).await.unwrap();
    assert_eq!(by_session.data.len(), 1);
    assert_eq!(by_session.data[0].id, run_id);
    let completed = client
        .list_queue_jobs()
        .session_id(&session)
        .status(QueueJobStatus::Completed)
        .await
        .unwrap();
    assert_eq!(completed.data.len(), 1);
    let failed = client
        .list_queue_jobs()
        .session_id(&session)
        .statuses([QueueJobStatus::Failed, QueueJobStatus::Cancelled])
        .await
        .unwrap();
    assert!(failed.data.is_empty());
    let walked: Vec<_> = client
        .list_queue_jobs()
        .limit(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert!(walked.iter().any(|j| j.id == run_id));

    let stats = client.get_queue_stats().await.unwrap();
    assert!(stats.count(&QueueJobStatus::Completed) >= 1, "{stats:?}");

    // A completed job cannot be requeued; an unknown one is not found.
    let e = client.requeue_queue_job(&run_id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400), "{e}");
    let e = client.get_queue_job("no-such-job").await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
}

#[tokio::test]
async fn a_failed_job_is_requeued_for_one_more_attempt() {
    let client = common::secured_client();
    let session = common::unique("queue-fail");
    let started = start_run(&client, "echo-agent", "boom [fail]", &session, true).await;
    let run_id = started["run_id"].as_str().unwrap().to_owned();

    let failed = wait_for_job(&client, &run_id, |j| j.status == QueueJobStatus::Failed).await;
    assert_eq!((failed.attempt, failed.max_attempts), (1, 1));
    assert!(
        failed.error.as_deref().unwrap_or("").contains("fail"),
        "{failed:?}"
    );
    let dead = client
        .list_queue_jobs()
        .status(QueueJobStatus::Failed)
        .session_id(&session)
        .await
        .unwrap();
    assert_eq!(dead.data.len(), 1);

    // Just failed: its worker might still run, so the server wants `force`.
    let e = client.requeue_queue_job(&run_id).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(409), "{e}");
    let requeued = client.requeue_queue_job(&run_id).force(true).await.unwrap();
    assert_eq!(requeued.max_attempts, 2);
    assert_ne!(requeued.status, QueueJobStatus::Failed);

    // It runs once more (and fails again: the message still asks the model to fail).
    let again = wait_for_job(&client, &run_id, |j| {
        j.status == QueueJobStatus::Failed && j.attempt == 2
    })
    .await;
    assert_eq!(again.max_attempts, 2);
}

#[tokio::test]
async fn a_trigger_on_the_secured_instance_goes_through_the_queue() {
    let client = common::secured_client();
    let session = common::unique("queue-sched");
    let schedule = client
        .create_schedule(common::unique("sched-secured"), "/agents/echo-agent/runs")
        .payload(&json!({"message": "from the scheduler", "session_id": session}))
        .await
        .unwrap();
    let run = client
        .trigger_schedule(&schedule.id)
        .timeout(Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(run.status, ScheduleRunStatus::Success, "{run:?}");
    let run_id = run.run_id.unwrap();
    let job = client.get_queue_job(&run_id).await.unwrap();
    assert_eq!(job.session_id, session);
    assert_eq!(job.status, QueueJobStatus::Completed);

    let anonymous = AgentOsClient::new(common::secured_url()).unwrap();
    let e = anonymous.get_schedule(&schedule.id).await.unwrap_err();
    assert!(e.is_unauthorized(), "{e}");
    client.delete_schedule(&schedule.id).await.unwrap();
}
