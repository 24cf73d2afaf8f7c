//! [`QueueExt`]: the operator surface of the durable job queue.

use agentos_core::kit::CallKit;
use agentos_core::kit::decode_json;
use agentos_core::{AgentOsClient, Call, Error, Page, Request};

use crate::types::{QueueJob, QueueJobStatus, QueueStats};

/// `GET /queue/jobs`, from [`QueueExt::list_queue_jobs`]: one page, or every page as a
/// stream.
#[derive(Debug)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct ListQueueJobs {
    call: Call<Page<QueueJob>>,
    error: Option<String>,
}

impl ListQueueJobs {
    /// Only jobs in this state; call it again to match any of several (the parameter is
    /// repeated, e.g. `failed` and `cancelled` for the requeueable set).
    pub fn status(mut self, status: QueueJobStatus) -> Self {
        self.call = self
            .call
            .with_request(|r| r.push_query("status", status.as_str()));
        self
    }

    /// Only jobs in any of these states.
    pub fn statuses<I: IntoIterator<Item = QueueJobStatus>>(mut self, statuses: I) -> Self {
        for s in statuses {
            self = self.status(s);
        }
        self
    }

    /// Only jobs of this session; call it again to match any of several.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        let session_id = session_id.into();
        if session_id.is_empty() {
            self.error = Some("session_id must not be empty".into());
        }
        self.call = self
            .call
            .with_request(|r| r.push_query("session_id", &session_id));
        self
    }

    /// Only jobs submitted for this user.
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        let user_id = user_id.into();
        if user_id.is_empty() {
            self.error = Some("user_id must not be empty".into());
        }
        self.call = self.call.query("user_id", user_id);
        self
    }

    fn finish(self) -> Call<Page<QueueJob>> {
        match self.error {
            Some(e) => self.call.fail(Error::InvalidRequest(e)),
            None => self.call,
        }
    }
}

agentos_core::impl_paged_builder!(ListQueueJobs => QueueJob, sorted);

agentos_core::call_builder! {
    /// `POST /queue/jobs/{job_id}/requeue`, from [`QueueExt::requeue_queue_job`].
    pub struct RequeueQueueJob => QueueJob;
}

impl RequeueQueueJob {
    /// Overrides a recorded cancellation (needed to requeue a cancelled job whose
    /// cancellation is still live; otherwise the new attempt is cancelled again at once).
    pub fn clear_cancellation(mut self, clear: bool) -> Self {
        self.call = self.call.query("clear_cancellation", clear);
        self
    }

    /// Requeues a job that failed within the worker's lock grace (its worker may still be
    /// running; without `force` the server answers 409).
    pub fn force(mut self, force: bool) -> Self {
        self.call = self.call.query("force", force);
        self
    }
}

agentos_core::impl_call_builder!(ListQueueJobs => Page<QueueJob>);

/// The durable job queue calls of an [`AgentOsClient`]. They need an AgentOS with
/// `queue=QueueConfig(durable=True)` (else 503), and a caller identified by a JWT or a
/// service-account token needs the admin scope (else 403).
///
/// Sealed: only [`AgentOsClient`] implements it, so a new call can be added in a minor release.
pub trait QueueExt: crate::sealed::Sealed {
    /// `GET /queue/jobs`: a page of jobs, filtered by state, session and user;
    /// [`ListQueueJobs::into_stream`] walks every page. `failed` alone is the dead-letter
    /// list.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::{QueueExt, QueueJobStatus};
    /// let dead = client
    ///     .list_queue_jobs()
    ///     .statuses([QueueJobStatus::Failed, QueueJobStatus::Cancelled])
    ///     .limit(100)
    ///     .await?;
    /// for job in &dead.data {
    ///     println!("{} {:?} {:?}", job.id, job.status, job.error);
    /// }
    /// # Ok(()) }
    /// ```
    fn list_queue_jobs(&self) -> ListQueueJobs;

    /// `GET /queue/jobs/{job_id}`: one job (its id is the run id; 404 when there is none).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::QueueExt;
    /// let job = client.get_queue_job("run-id").await?;
    /// println!("attempt {} of {}", job.attempt, job.max_attempts);
    /// # Ok(()) }
    /// ```
    fn get_queue_job(&self, job_id: &str) -> Call<QueueJob>;

    /// `POST /queue/jobs/{job_id}/requeue`: gives a failed or cancelled job one more
    /// execution (its attempt budget grows by one). 400 when the job is in another state,
    /// 409 when it failed within the lock grace (see [`RequeueQueueJob::force`]).
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::QueueExt;
    /// let job = client.requeue_queue_job("run-id").force(true).await?;
    /// # Ok(()) }
    /// ```
    fn requeue_queue_job(&self, job_id: &str) -> RequeueQueueJob;

    /// `GET /queue/stats`: job counts by state and the age of the oldest queued job.
    ///
    /// ```no_run
    /// # async fn demo(client: agentos_core::AgentOsClient) -> agentos_core::Result<()> {
    /// use agentos_schedules::{QueueExt, QueueJobStatus};
    /// let stats = client.get_queue_stats().await?;
    /// println!("{} failed", stats.count(&QueueJobStatus::Failed));
    /// # Ok(()) }
    /// ```
    fn get_queue_stats(&self) -> Call<QueueStats>;
}

impl QueueExt for AgentOsClient {
    fn list_queue_jobs(&self) -> ListQueueJobs {
        ListQueueJobs {
            call: Call::new(
                self,
                Request::get(crate::route::QUEUE_JOBS, &[]),
                decode_json,
            ),
            error: None,
        }
    }

    fn get_queue_job(&self, job_id: &str) -> Call<QueueJob> {
        Call::new(
            self,
            Request::get(crate::route::QUEUE_JOBS_JOB_ID, &[job_id]),
            decode_json,
        )
    }

    fn requeue_queue_job(&self, job_id: &str) -> RequeueQueueJob {
        RequeueQueueJob {
            call: Call::new(
                self,
                Request::post(crate::route::QUEUE_JOBS_JOB_ID_REQUEUE, &[job_id]),
                decode_json,
            ),
        }
    }

    fn get_queue_stats(&self) -> Call<QueueStats> {
        Call::new(
            self,
            Request::get(crate::route::QUEUE_STATS, &[]),
            decode_json,
        )
    }
}
