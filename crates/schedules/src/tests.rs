//! Unit tests over the mock transport: what goes on the wire, and how answers and errors map.

use std::time::Duration;

use agentos_core::http::Method;
use agentos_core::mock::{self};
use agentos_core::{Error, RetryPolicy, SortOrder};
use futures::TryStreamExt;
use serde_json::json;

use crate::{QueueExt, QueueJobStatus, ScheduleRunStatus, SchedulesExt};
use agentos_core::mock::{never_called as silent, path, query, recording, recording_with};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn schedule_json() -> serde_json::Value {
    json!({
        "id": "s1", "user_id": null, "name": "nightly", "description": null, "method": "POST",
        "endpoint": "/agents/a/runs", "payload": null, "cron_expr": "0 3 * * *",
        "timezone": "UTC", "timeout_seconds": 3600, "max_retries": 0,
        "retry_delay_seconds": 60, "enabled": true, "next_run_at": 1795935600,
        "created_at": 1795896338, "updated_at": null
    })
}

fn run_json() -> serde_json::Value {
    json!({
        "id": "sr_1", "schedule_id": "s1", "attempt": 1, "triggered_at": 1795896501,
        "completed_at": 1795896503, "status": "success", "status_code": 200, "run_id": "r1",
        "session_id": "x", "error": null, "input": {"input_content": "hi"},
        "output": {"content": "Echo: hi", "content_type": "str"}, "requirements": null,
        "created_at": 1795896501
    })
}

fn job_json(id: &str) -> serde_json::Value {
    json!({
        "id": id, "component_type": "agent", "component_id": "a", "session_id": "s",
        "job_type": "run", "payload": {}, "status": "queued", "attempt": 1, "max_attempts": 2
    })
}

#[tokio::test]
async fn create_sends_only_what_is_set() {
    let (client, seen) = recording(|_| mock::json(201, schedule_json()));
    let s = client
        .create_schedule("nightly", "/agents/a/runs")
        .cron_expr("0 3 * * *")
        .timezone("Europe/Lisbon")
        .method(Method::POST)
        .description("d")
        .payload(&json!({"message": "hi", "session_state": {"k": 1}}))
        .timeout_seconds(900)
        .max_retries(2)
        .retry_delay_seconds(30)
        .await
        .unwrap();
    assert_eq!(s.id, "s1");
    assert!(!s.is_on_demand());
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].method, Method::POST);
        assert_eq!(path(&seen[0]), "/schedules");
        assert_eq!(
            mock::json_body(&seen[0]).unwrap(),
            json!({
                "name": "nightly", "endpoint": "/agents/a/runs", "cron_expr": "0 3 * * *",
                "timezone": "Europe/Lisbon", "method": "POST", "description": "d",
                "payload": {"message": "hi", "session_state": {"k": 1}},
                "timeout_seconds": 900, "max_retries": 2, "retry_delay_seconds": 30
            })
        );
    }
    let (client, seen) = recording(|_| mock::json(201, schedule_json()));
    client
        .create_schedule("On demand 1.0_x-y", "/health")
        .method(Method::GET)
        .await
        .unwrap();
    assert_eq!(
        mock::json_body(&seen.lock().unwrap()[0]).unwrap(),
        json!({"name": "On demand 1.0_x-y", "endpoint": "/health", "method": "GET"})
    );
}

#[tokio::test]
async fn obvious_mistakes_are_refused_before_sending() {
    let client = silent();
    let bad_names = [
        "",
        " leading-space",
        "-dash",
        "slash/name",
        "tab\tname",
        "émoji",
    ];
    for name in bad_names {
        let e = client
            .create_schedule(name, "/agents/a/runs")
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("name")),
            "{name:?}: {e:?}"
        );
    }
    let long = "a".repeat(crate::MAX_NAME_CHARS + 1);
    assert!(client.create_schedule(long, "/x").await.is_err());
    for endpoint in [
        "agents/a/runs",
        "http://evil/agents",
        "/agents/a b/runs",
        "/agents/\n",
        "",
    ] {
        let e = client.create_schedule("ok", endpoint).await.unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("endpoint")),
            "{endpoint:?}: {e:?}"
        );
    }
    let cases: Vec<(&str, crate::CreateSchedule)> = vec![
        (
            "timeout_seconds",
            client.create_schedule("ok", "/x").timeout_seconds(0),
        ),
        (
            "timeout_seconds",
            client.create_schedule("ok", "/x").timeout_seconds(86_401),
        ),
        (
            "max_retries",
            client.create_schedule("ok", "/x").max_retries(11),
        ),
        (
            "retry_delay_seconds",
            client.create_schedule("ok", "/x").retry_delay_seconds(0),
        ),
        (
            "time zone",
            client.create_schedule("ok", "/x").timezone(" "),
        ),
        (
            "cron",
            client
                .create_schedule("ok", "/x")
                .cron_expr("*".repeat(crate::MAX_CRON_CHARS + 1)),
        ),
        (
            "payload",
            client.create_schedule("ok", "/x").payload(&json!([1])),
        ),
        (
            "CONNECT",
            client.create_schedule("ok", "/x").method(Method::CONNECT),
        ),
    ];
    for (hint, call) in cases {
        let e = call.await.unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains(hint)),
            "{hint}: {e:?}"
        );
    }
    // The same checks on update; ids are checked too.
    let e = client.update_schedule("s1").name("a/b").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client
        .update_schedule("s1")
        .endpoint("https://x")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    assert!(client.get_schedule("").await.is_err());
    assert!(client.get_schedule_run("s1", "").await.is_err());
    assert!(client.list_schedules().page(0).await.is_err());
    assert!(client.list_schedule_runs("s").limit(0).await.is_err());
}

#[tokio::test]
async fn update_sends_only_the_changes() {
    let (client, seen) = recording(|_| mock::json(200, schedule_json()));
    client
        .update_schedule("s 1")
        .name("renamed")
        .endpoint("/teams/t/runs")
        .on_demand()
        .await
        .unwrap();
    client.update_schedule("s1").await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].method, Method::PATCH);
    assert_eq!(path(&seen[0]), "/schedules/s%201");
    assert_eq!(
        mock::json_body(&seen[0]).unwrap(),
        json!({"name": "renamed", "endpoint": "/teams/t/runs", "cron_expr": ""})
    );
    assert_eq!(mock::json_body(&seen[1]).unwrap(), json!({}));
}

#[tokio::test]
async fn state_changes_trigger_and_runs() {
    let (client, seen) = recording(|req| {
        let p = path(req).to_owned();
        if p.ends_with("/enable") || p.ends_with("/disable") {
            let enabled = p.ends_with("/enable");
            mock::json(200, json!({"id": "s1", "name": "n", "enabled": enabled}))
        } else if p.ends_with("/trigger") || p.contains("/runs/") {
            mock::json(200, run_json())
        } else if p.ends_with("/runs") {
            mock::json(
                200,
                json!({"data": [run_json()], "meta": {"page": 1, "total_pages": 1}}),
            )
        } else if req.method == Method::DELETE {
            mock::empty(204)
        } else if p == "/schedules" {
            mock::json(
                200,
                json!({"data": [schedule_json()], "meta": {"page": 1, "total_pages": 1}}),
            )
        } else {
            mock::json(200, schedule_json())
        }
    });
    assert!(client.enable_schedule("s1").await.unwrap().enabled);
    assert!(!client.disable_schedule("s1").await.unwrap().enabled);
    let run = client.trigger_schedule("s1").await.unwrap();
    assert_eq!(run.status, ScheduleRunStatus::Success);
    assert_eq!(run.output_content(), Some("Echo: hi"));
    let runs = client
        .list_schedule_runs("s1")
        .limit(5)
        .page(1)
        .await
        .unwrap();
    assert_eq!(runs.data[0].run_id.as_deref(), Some("r1"));
    client.get_schedule_run("s1", "sr_1").await.unwrap();
    client.get_schedule("s1").await.unwrap();
    client.delete_schedule("s1").await.unwrap();
    let all: Vec<_> = client
        .list_schedules()
        .enabled(false)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "nightly");
    let seen = seen.lock().unwrap();
    let got: Vec<(String, String)> = seen
        .iter()
        .map(|r| (r.method.to_string(), path(r).to_owned()))
        .collect();
    let want: Vec<(String, String)> = [
        ("POST", "/schedules/s1/enable"),
        ("POST", "/schedules/s1/disable"),
        ("POST", "/schedules/s1/trigger"),
        ("GET", "/schedules/s1/runs"),
        ("GET", "/schedules/s1/runs/sr_1"),
        ("GET", "/schedules/s1"),
        ("DELETE", "/schedules/s1"),
        ("GET", "/schedules"),
    ]
    .iter()
    .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(query(&seen[3]), pairs(&[("limit", "5"), ("page", "1")]));
    assert_eq!(
        query(&seen[7]),
        pairs(&[("enabled", "false"), ("page", "1")])
    );
}

#[tokio::test]
async fn a_trigger_is_never_retried() {
    let (client, seen) = recording_with(
        RetryPolicy::default()
            .with_max_attempts(3)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        |_| mock::error(503, "Scheduler is not running"),
    );
    let e = client.trigger_schedule("s1").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert!(e.to_string().contains("Scheduler is not running"), "{e}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn server_refusals_map_to_http_errors() {
    let (client, _) = recording(|req| match req.method {
        Method::POST => mock::json(422, json!({"detail": "Invalid cron expression: every day"})),
        _ => mock::error(404, "Schedule not found"),
    });
    let e = client
        .create_schedule("ok", "/agents/a/runs")
        .cron_expr("every day")
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(422));
    assert!(e.to_string().contains("Invalid cron expression"), "{e}");
    assert!(
        client
            .get_schedule("nope")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn queue_filters_repeat_and_requeue_flags() {
    let (client, seen) = recording(|req| {
        if path(req).ends_with("/stats") {
            mock::json(
                200,
                json!({"counts": {"failed": 2}, "oldest_queued_age_seconds": 1.5}),
            )
        } else if path(req) == "/queue/jobs" {
            mock::json(
                200,
                json!({"data": [job_json("j1")], "meta": {"page": 1, "total_pages": 1}}),
            )
        } else {
            mock::json(200, job_json("j 1"))
        }
    });
    let page = client
        .list_queue_jobs()
        .statuses([QueueJobStatus::Failed, QueueJobStatus::Cancelled])
        .session_id("s1")
        .session_id("s2")
        .user_id("u")
        .limit(10)
        .page(2)
        .sort_by("updated_at")
        .sort_order(SortOrder::Asc)
        .await
        .unwrap();
    assert_eq!(page.data[0].status, QueueJobStatus::Queued);
    let job = client
        .requeue_queue_job("j 1")
        .clear_cancellation(true)
        .force(true)
        .await
        .unwrap();
    assert_eq!(job.max_attempts, 2);
    client.get_queue_job("j?1").await.unwrap();
    let stats = client.get_queue_stats().await.unwrap();
    assert_eq!(stats.count(&QueueJobStatus::Failed), 2);
    assert_eq!(stats.oldest_queued_age_seconds, Some(1.5));
    let seen = seen.lock().unwrap();
    assert_eq!(
        query(&seen[0]),
        pairs(&[
            ("status", "failed"),
            ("status", "cancelled"),
            ("session_id", "s1"),
            ("session_id", "s2"),
            ("user_id", "u"),
            ("limit", "10"),
            ("page", "2"),
            ("sort_by", "updated_at"),
            ("sort_order", "asc"),
        ])
    );
    assert_eq!(seen[1].method, Method::POST);
    assert_eq!(path(&seen[1]), "/queue/jobs/j%201/requeue");
    assert_eq!(
        query(&seen[1]),
        pairs(&[("clear_cancellation", "true"), ("force", "true")])
    );
    assert_eq!(path(&seen[2]), "/queue/jobs/j%3F1");
    assert_eq!(path(&seen[3]), "/queue/stats");
}

#[tokio::test]
async fn queue_refusals() {
    let client = silent();
    let e = client.list_queue_jobs().session_id("").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    let e = client.list_queue_jobs().user_id("").await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "{e:?}");
    assert!(client.get_queue_job("").await.is_err());
    let (client, _) = recording(|_| {
        mock::error(
            503,
            "Queue not available: pass a `queue=QueueConfig(durable=True)` to AgentOS to enable this feature.",
        )
    });
    let e = client.get_queue_stats().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
}
