//! Paging over the filesystem answers, which carry their items in `entries` instead of the
//! `data` that core's paginator reads. The stop rules are core's: `page >= total_pages`, an
//! empty page, a page identical to the one before, or [`MAX_PAGES`].
//!
//! (Core could take this over with a paginator generic over the items' field name.)

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use agentos_core::pagination::MAX_PAGES;
use agentos_core::{AgentOsClient, Call, PageMeta, Request, Result};
use futures::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::types::{FileSystemFiles, FileSystemListing, FileSystemSearchResults};

/// A page whose items are in `entries`.
pub(crate) trait EntriesPage: DeserializeOwned + Send + 'static {
    /// One item.
    type Item: Serialize + Send + 'static;
    /// The paging information.
    fn meta(&self) -> &PageMeta;
    /// The items.
    fn entries(&self) -> &[Self::Item];
    /// The items, taken out.
    fn into_entries(self) -> Vec<Self::Item>;
}

macro_rules! entries_page {
    ($page:ty => $item:ty) => {
        impl EntriesPage for $page {
            type Item = $item;
            fn meta(&self) -> &PageMeta {
                &self.meta
            }
            fn entries(&self) -> &[$item] {
                &self.entries
            }
            fn into_entries(self) -> Vec<$item> {
                self.entries
            }
        }
    };
}

entries_page!(FileSystemFiles => crate::types::FileSystemFile);
entries_page!(FileSystemListing => crate::types::FileSystemEntry);
entries_page!(FileSystemSearchResults => crate::types::FileSystemSearchHit);

struct State {
    client: AgentOsClient,
    request: Option<Result<Request>>,
    next: u32,
    last_hash: Option<u64>,
    done: bool,
}

fn fingerprint<T: Serialize>(items: &[T]) -> u64 {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

/// Every page of `call`, lazily, from the call's own `page` (default 1).
pub(crate) fn pages<P: EntriesPage>(
    call: Call<P>,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    let (client, request) = call.into_parts();
    let start = request
        .as_ref()
        .ok()
        .and_then(|r| r.query_value("page"))
        .and_then(|p| p.parse().ok())
        .unwrap_or(1u32)
        .max(1);
    let state = State {
        client,
        request: Some(request),
        next: start,
        last_hash: None,
        done: false,
    };
    futures::stream::unfold(state, |mut st| async move {
        if st.done {
            return None;
        }
        let template = match st.request.take()? {
            Ok(r) => r,
            Err(e) => {
                st.done = true;
                return Some((Err(e), st));
            }
        };
        let page_no = st.next;
        let mut req = template.clone();
        st.request = Some(Ok(template));
        req.set_query("page", page_no);
        let page = match st.client.execute(req).await.and_then(|r| r.json::<P>()) {
            Ok(p) => p,
            Err(e) => {
                st.done = true;
                return Some((Err(e), st));
            }
        };
        let hash = fingerprint(page.entries());
        if page.entries().is_empty() || st.last_hash == Some(hash) {
            return None;
        }
        st.last_hash = Some(hash);
        let total = page.meta().total_pages.unwrap_or(0);
        if page_no >= total || page_no >= MAX_PAGES {
            st.done = true;
        }
        st.next = page_no + 1;
        Some((Ok(page), st))
    })
}

/// Every item of every page of `call`, lazily.
pub(crate) fn items<P: EntriesPage>(
    call: Call<P>,
) -> impl Stream<Item = Result<P::Item>> + Send + 'static {
    use futures::StreamExt;
    pages(call).flat_map(|page| match page {
        Ok(p) => futures::stream::iter(p.into_entries().into_iter().map(Ok).collect::<Vec<_>>()),
        Err(e) => futures::stream::iter(vec![Err(e)]),
    })
}
