//! Waiting for an asynchronous ingestion to end.

use std::time::Duration;

use agentos_core::poll::{KnowledgeParams, Polling, Wait};
use agentos_core::{Call, Error, Result};

use crate::types::{ContentStatus, ContentStatusResponse};

/// The default pause between two status reads of [`WaitForKnowledgeContent`].
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// The default longest wait of [`WaitForKnowledgeContent`].
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(120);
/// The default time during which a 404 is taken for "not written yet" (see
/// [`Wait::not_found_grace`]).
pub const DEFAULT_NOT_FOUND_GRACE: Duration = Duration::from_secs(3);

/// Polls `GET /knowledge/content/{content_id}/status` until the ingestion ends, from
/// [`KnowledgeExt::wait_for_knowledge_content`](crate::KnowledgeExt::wait_for_knowledge_content)
///
/// It resolves to the final status when the content is `completed` or `partial`, fails with
/// [`Error::JobFailed`] (carrying the server's status message) when it is `failed`, and with
/// [`Error::WaitTimeout`] after [`max_wait`](Wait::max_wait). Other errors (a 404 after the
/// grace period, a 503) end the wait at once. It is core's [`Wait`], with its per-read
/// `header`, `timeout` and `retry`, the `knowledge_id` and `db_id` setters, and a 404 grace ([`Wait::not_found_grace`], default 3 s):
/// the server writes the row in the background after answering the upload, so a status read
/// right after it may not find it; a 404 after this time, or after the content was seen once,
/// ends the wait with that 404. (A remote-content ingestion that fails before writing its row
/// leaves none at all.)
pub type WaitForKnowledgeContent = Wait<ContentStatusResponse, KnowledgeParams>;

/// The wait of `content_id`'s ingestion, reading its status with `call`.
pub(crate) fn wait_for_content(
    call: Call<ContentStatusResponse>,
    content_id: &str,
) -> WaitForKnowledgeContent {
    let polling = Polling::new(DEFAULT_POLL_INTERVAL, DEFAULT_MAX_WAIT)
        .not_found_grace(DEFAULT_NOT_FOUND_GRACE);
    Wait::new(
        call,
        format!("knowledge content {content_id}"),
        polling,
        ingestion_ended,
    )
}

/// The final status once the ingestion is no longer running; a failed one is an error.
fn ingestion_ended(
    status: ContentStatusResponse,
    what: &str,
) -> Result<Option<ContentStatusResponse>> {
    match status.status {
        ContentStatus::Completed | ContentStatus::Partial => Ok(Some(status)),
        ContentStatus::Failed => Err(Error::JobFailed {
            what: what.to_owned(),
            message: if status.status_message.is_empty() {
                "the server gave no reason".to_owned()
            } else {
                status.status_message
            },
        }),
        _ => Ok(None),
    }
}
