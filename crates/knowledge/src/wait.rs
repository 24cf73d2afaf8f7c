//! Waiting for an asynchronous ingestion to end.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use agentos_core::poll::{Polling, poll_until};
use agentos_core::{Call, Error, Result};

use crate::types::{ContentStatus, ContentStatusResponse};

/// The default pause between two status reads of [`WaitForKnowledgeContent`].
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The default longest wait of [`WaitForKnowledgeContent`].
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(120);
/// The default time during which a 404 is taken for "not written yet" (see
/// [`WaitForKnowledgeContent::not_found_grace`]).
pub const DEFAULT_NOT_FOUND_GRACE: Duration = Duration::from_secs(3);

/// Polls `GET /knowledge/content/{content_id}/status` until the ingestion ends, from
/// [`KnowledgeExt::wait_for_knowledge_content`](crate::KnowledgeExt::wait_for_knowledge_content).
///
/// It resolves to the final status when the content is `completed` or `partial`, fails with
/// [`Error::JobFailed`] (carrying the server's status message) when it is `failed`, and with
/// [`Error::WaitTimeout`] after [`max_wait`](Self::max_wait). Other errors (a 404 after the
/// grace period, a 503) end the wait at once.
#[derive(Debug)]
#[must_use = "a wait does nothing until it is awaited or sent"]
pub struct WaitForKnowledgeContent {
    pub(crate) call: Call<ContentStatusResponse>,
    content_id: String,
    polling: Polling,
}

impl WaitForKnowledgeContent {
    pub(crate) fn new(call: Call<ContentStatusResponse>, content_id: String) -> Self {
        WaitForKnowledgeContent {
            call,
            content_id,
            polling: Polling::new(DEFAULT_POLL_INTERVAL, DEFAULT_MAX_WAIT)
                .not_found_grace(DEFAULT_NOT_FOUND_GRACE),
        }
    }

    /// The pause between two status reads (default 250 ms).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.polling.interval = interval;
        self
    }

    /// The longest wait before giving up with [`Error::WaitTimeout`] (default 120 s).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.polling.max_wait = max_wait;
        self
    }

    /// How long a 404 counts as "the server has not written the content yet" (default 3 s).
    /// The server writes the row in the background after answering the upload, so a status
    /// read right after it may not find it; a 404 after this time, or after the content was
    /// seen once, ends the wait with that 404. (A remote-content ingestion that fails before
    /// writing its row leaves none at all.)
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.polling.not_found_grace = grace;
        self
    }

    /// Adds a header to each status read.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.call = self.call.header(name, value);
        self
    }

    /// Sets a timeout for each status read.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call = self.call.timeout(timeout);
        self
    }

    /// Waits.
    pub async fn send(self) -> Result<ContentStatusResponse> {
        let what = format!("knowledge content {}", self.content_id);
        poll_until(
            self.call,
            what.clone(),
            self.polling,
            |status| match status.status {
                ContentStatus::Completed | ContentStatus::Partial => Ok(Some(status)),
                ContentStatus::Failed => Err(Error::JobFailed {
                    what: what.clone(),
                    message: if status.status_message.is_empty() {
                        "the server gave no reason".to_owned()
                    } else {
                        status.status_message
                    },
                }),
                _ => Ok(None),
            },
        )
        .await
    }
}

impl IntoFuture for WaitForKnowledgeContent {
    type Output = Result<ContentStatusResponse>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'static>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
