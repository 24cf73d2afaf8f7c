//! Pages (`{data, meta}`), sort options, and the lazy all-pages stream, written once for every
//! paged list of the SDK.

use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use futures::Stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::call::Call;
use crate::client::AgentOsClient;
use crate::error::{Error, Result};
use crate::kit::CallKit;

use crate::request::{Body, Request};

/// The paging information of a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageMeta {
    /// The page number (1-based).
    #[serde(default)]
    pub page: Option<u32>,
    /// The page size.
    #[serde(default)]
    pub limit: Option<u32>,
    /// How many pages there are.
    #[serde(default)]
    pub total_pages: Option<u32>,
    /// How many items there are in all.
    #[serde(default)]
    pub total_count: Option<u64>,
    /// How long a search took on the server, in milliseconds.
    #[serde(default)]
    pub search_time_ms: Option<f64>,
}

/// One page of a paged list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// The paging information.
    #[serde(default)]
    pub meta: PageMeta,
}

impl<T> Page<T> {
    /// True when there is a page after this one.
    pub fn has_next(&self) -> bool {
        match (self.meta.page, self.meta.total_pages) {
            (Some(p), Some(total)) => p < total && !self.data.is_empty(),
            _ => false,
        }
    }
}

/// The sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Oldest or smallest first.
    Asc,
    /// Newest or largest first (the server's default).
    #[default]
    Desc,
}

impl SortOrder {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

impl fmt::Display for SortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most pages a stream walks before it stops, whatever the server says.
pub const MAX_PAGES: u32 = 100_000;

/// Sets the page number on a request: the `page` query parameter by default; knowledge search
/// pages through its JSON body instead.
pub type SetPage = fn(&mut Request, u32) -> Result<()>;

/// Sets the `page` query parameter.
pub fn set_page_query(req: &mut Request, page: u32) -> Result<()> {
    req.set_query("page", page);
    Ok(())
}

/// A page the paginator walks: [`Page`] (`{data, meta}`), or an area's own shape (the
/// filesystem answers with `{entries, meta}`). One walker, [`paginate_from`], for them all.
pub trait Paged: Sized + Send + 'static {
    /// One item of the page.
    type Item: Send + 'static;

    /// Decodes a page from a response body, with a fingerprint of its items: two pages with
    /// the same items have the same fingerprint, so a server that ignores `page` cannot make
    /// a walk loop forever.
    fn decode(body: &[u8]) -> serde_json::Result<(Self, u64)>;

    /// The paging information.
    fn meta(&self) -> &PageMeta;

    /// True when the page holds no item.
    fn is_empty(&self) -> bool;

    /// The items, taken out.
    fn into_items(self) -> Vec<Self::Item>;
}

#[derive(Deserialize)]
struct RawPage<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
    #[serde(default)]
    meta: PageMeta,
}

impl<T: DeserializeOwned + Send + 'static> Paged for Page<T> {
    type Item = T;

    /// Each item is decoded from its own raw JSON, which is also what the fingerprint hashes
    /// (no second serialization).
    fn decode(body: &[u8]) -> serde_json::Result<(Self, u64)> {
        let raw: RawPage<'_> = serde_json::from_slice(body)?;
        let mut hasher = DefaultHasher::new();
        let mut data = Vec::with_capacity(raw.data.len());
        for item in &raw.data {
            item.get().hash(&mut hasher);
            data.push(serde_json::from_str(item.get())?);
        }
        let page = Page {
            data,
            meta: raw.meta,
        };
        Ok((page, hasher.finish()))
    }

    fn meta(&self) -> &PageMeta {
        &self.meta
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn into_items(self) -> Vec<T> {
        self.data
    }
}

struct PagerState<F> {
    client: AgentOsClient,
    request: Option<Result<Request>>,
    set_page: F,
    next: u32,
    last_hash: Option<u64>,
    done: bool,
}

/// Walks every page from the request's own `page` (default 1), lazily: a page is fetched
/// only when the previous one has been consumed. Stops at `page >= total_pages`, on an empty
/// page, or on a page identical to the one before (a server that ignores `page` cannot make
/// it loop forever).
pub fn paginate<P: Paged>(
    client: AgentOsClient,
    request: Result<Request>,
    set_page: SetPage,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    let start = request
        .as_ref()
        .ok()
        .and_then(|r| r.query_value("page"))
        .and_then(|p| p.parse().ok());
    paginate_from(client, request, set_page, start)
}

/// [`paginate`] from page `start` (default 1), for lists that page through their JSON body
/// rather than the `page` query parameter.
pub fn paginate_from<P: Paged>(
    client: AgentOsClient,
    request: Result<Request>,
    set_page: impl FnMut(&mut Request, u32) -> Result<()> + Send + 'static,
    start: Option<u32>,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    let start = start.unwrap_or(1).max(1);
    let state = PagerState {
        client,
        request: Some(request),
        set_page,
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
        if let Err(e) = (st.set_page)(&mut req, page_no) {
            st.done = true;
            return Some((Err(e), st));
        }
        let result = fetch_page::<P>(&st.client, req).await;
        match result {
            Err(e) => {
                st.done = true;
                Some((Err(e), st))
            }
            Ok((page, hash)) => {
                if page.is_empty() || st.last_hash == Some(hash) {
                    return None;
                }
                st.last_hash = Some(hash);
                let total = page.meta().total_pages.unwrap_or(0);
                if page_no >= total || page_no >= MAX_PAGES {
                    st.done = true;
                }
                st.next = page_no + 1;
                Some((Ok(page), st))
            }
        }
    })
}

/// [`paginate_from`] for lists whose page number lives in their JSON body (`POST` searches):
/// the body is read once into a value, and each page sends it with the number at `page_at`
/// (a path of object keys, made when missing: `&["page"]`, `&["meta", "page"]`).
pub fn paginate_json_body<P: Paged>(
    client: AgentOsClient,
    request: Result<Request>,
    page_at: &'static [&'static str],
    start: Option<u32>,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    let (request, mut body) = match request {
        Ok(r) => match &r.body {
            Body::Json(bytes) => match serde_json::from_slice(bytes) {
                Ok(value) => (Ok(r), value),
                Err(e) => (
                    Err(Error::InvalidRequest(format!("unreadable JSON body: {e}"))),
                    serde_json::Value::Null,
                ),
            },
            _ => (Ok(r), serde_json::Value::Object(Default::default())),
        },
        Err(e) => (Err(e), serde_json::Value::Null),
    };
    paginate_from(
        client,
        request,
        move |req: &mut Request, page: u32| {
            set_at(&mut body, page_at, page)?;
            req.set_json(&body)
        },
        start,
    )
}

/// Sets `value` at the path `at` of object keys in `body`, making missing objects.
fn set_at(body: &mut serde_json::Value, at: &[&str], value: u32) -> Result<()> {
    let refused = || {
        Error::InvalidRequest(format!(
            "cannot set `{}` in the JSON body: a value on the way is not an object",
            at.join(".")
        ))
    };
    let (last, parents) = at.split_last().ok_or_else(refused)?;
    let mut node = body;
    for key in parents {
        node = node
            .as_object_mut()
            .ok_or_else(refused)?
            .entry(*key)
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
    }
    node.as_object_mut()
        .ok_or_else(refused)?
        .insert((*last).to_owned(), serde_json::Value::from(value));
    Ok(())
}

async fn fetch_page<P: Paged>(client: &AgentOsClient, req: Request) -> Result<(P, u64)> {
    let resp = client.execute(req).await?;
    P::decode(resp.json_bytes()?).map_err(|e| resp.decode_error(e))
}

/// Flattens a stream of pages into a stream of items.
pub fn items<P, S>(pages: S) -> impl Stream<Item = Result<P::Item>> + Send + 'static
where
    P: Paged,
    S: Stream<Item = Result<P>> + Send + 'static,
{
    use futures::StreamExt;
    pages.flat_map(|page| match page {
        Ok(p) => futures::stream::iter(p.into_items().into_iter().map(Ok).collect::<Vec<_>>()),
        Err(e) => futures::stream::iter(vec![Err(e)]),
    })
}

impl<P: Paged> Call<P> {
    /// Every page, fetched lazily from this call's page (default 1).
    ///
    /// ```no_run
    /// # async fn demo(call: agentos_core::Call<agentos_core::Page<serde_json::Value>>) -> agentos_core::Result<()> {
    /// use futures::TryStreamExt;
    /// let pages: Vec<_> = call.pages().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<P>> + Send + 'static {
        let (client, request) = self.into_parts();
        paginate(client, request, set_page_query)
    }

    /// Every item of every page, fetched lazily.
    ///
    /// ```no_run
    /// # async fn demo(call: agentos_core::Call<agentos_core::Page<serde_json::Value>>) -> agentos_core::Result<()> {
    /// use futures::TryStreamExt;
    /// let all: Vec<serde_json::Value> = call.into_stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl Stream<Item = Result<P::Item>> + Send + 'static {
        items(self.pages())
    }
}

/// Refuses page 0 (the server answers it with a 500) before sending.
pub fn check_page(page: u32) -> Result<u32> {
    if page == 0 {
        Err(Error::InvalidRequest("pages are numbered from 1".into()))
    } else {
        Ok(page)
    }
}

/// Gives a paged-list builder (a struct with a `call: Call<P>` field and an inherent
/// `fn finish(self) -> Call<P>`, where `P` is `Page<Item>` or another [`Paged`] page) its
/// paging options and streams: `limit`, `page`, `pages` and `into_stream`; with `sorted`, also
/// `sort_by` and `sort_order`. One definition for every paged list of the SDK:
/// `impl_paged_builder!(Builder => Item)`, `impl_paged_builder!(Builder => Item, sorted)`, or
/// `impl_paged_builder!(Builder => Item, page OwnPage)` for a page that is not a `Page<Item>`.
/// After a `;`, `pages { /// ... }` and `into_stream { /// ... }` add doc comments (an example
/// of the builder's own) to those methods.
#[macro_export]
macro_rules! impl_paged_builder {
    (@paging $ty:ty, $page:ty => $item:ty, [$($pages_doc:tt)*] [$($doc:tt)*]) => {
        impl $ty {
            /// The page size (at least 1; refused before sending otherwise).
            pub fn limit(mut self, limit: u32) -> Self {
                self.call = $crate::kit::CallKit::limit(self.call, limit);
                self
            }

            /// The page to read, from 1 (refused before sending otherwise). With `pages` and
            /// `into_stream`, the first page to read.
            pub fn page(mut self, page: u32) -> Self {
                self.call = $crate::kit::CallKit::page(self.call, page);
                self
            }

            /// Every page, fetched lazily: a page is requested only when the previous one has
            /// been consumed, and the walk stops at the last page, on an empty page, or on a
            /// page identical to the one before.
            $($pages_doc)*
            pub fn pages(
                self,
            ) -> impl $crate::__futures::Stream<Item = $crate::Result<$page>> + Send + 'static {
                self.finish().pages()
            }

            /// Every item of every page, fetched lazily (see `pages`).
            $($doc)*
            pub fn into_stream(
                self,
            ) -> impl $crate::__futures::Stream<Item = $crate::Result<$item>> + Send + 'static {
                self.finish().into_stream()
            }
        }
    };
    (@docs $ty:ty, $page:ty => $item:ty;
        $(pages { $(#[$pages_doc:meta])* })? $(into_stream { $(#[$doc:meta])* })?) => {
        $crate::impl_paged_builder!(
            @paging $ty, $page => $item, [$($(#[$pages_doc])*)?] [$($(#[$doc])*)?]
        );
    };
    ($ty:ty => $item:ty $(; $($docs:tt)*)?) => {
        $crate::impl_paged_builder!(@docs $ty, $crate::Page<$item> => $item; $($($docs)*)?);
    };
    ($ty:ty => $item:ty, page $page:ty $(; $($docs:tt)*)?) => {
        $crate::impl_paged_builder!(@docs $ty, $page => $item; $($($docs)*)?);
    };
    ($ty:ty => $item:ty, sorted $(; $($docs:tt)*)?) => {
        $crate::impl_paged_builder!($ty => $item $(; $($docs)*)?);

        impl $ty {
            /// The field to sort by (the server ignores unknown fields).
            pub fn sort_by(mut self, field: impl Into<String>) -> Self {
                self.call = $crate::kit::CallKit::query(self.call, "sort_by", field.into());
                self
            }

            /// The sort direction (the server's default is descending).
            pub fn sort_order(mut self, order: $crate::SortOrder) -> Self {
                self.call = $crate::kit::CallKit::query(self.call, "sort_order", order);
                self
            }
        }
    };
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use futures::TryStreamExt;
    use serde_json::{Value, json};

    use super::*;
    use crate::mock;

    /// A server with three pages of one item each, read from the page in the body at `at`.
    fn three_pages(at: &'static [&'static str]) -> (AgentOsClient, mock::Recorded) {
        mock::recording(move |req| {
            let body = mock::json_body(req).unwrap_or(Value::Null);
            let page = at.iter().fold(&body, |v, k| &v[*k]).as_u64().unwrap_or(0);
            mock::json(
                200,
                json!({"data": [{"n": page}], "meta": {"page": page, "limit": 1,
                    "total_pages": 3, "total_count": 3}}),
            )
        })
    }

    fn search(body: Value) -> Result<Request> {
        Request::post("/search", &[])?.json(&body)
    }

    #[tokio::test]
    async fn a_body_paged_list_sends_each_page_number_in_place_and_keeps_the_rest() {
        let (client, seen) = three_pages(&["meta", "page"]);
        let body = json!({"query": "ostriches", "meta": {"limit": 1}, "filters": {"a": [1, 2]}});
        let pages: Vec<Page<Value>> =
            paginate_json_body(client, search(body), &["meta", "page"], None)
                .try_collect()
                .await
                .unwrap();
        assert_eq!(pages.len(), 3);
        let sent: Vec<Value> = seen
            .lock()
            .unwrap()
            .iter()
            .filter_map(mock::json_body)
            .collect();
        for (i, b) in sent.iter().enumerate() {
            assert_eq!(
                b,
                &json!({"query": "ostriches", "meta": {"limit": 1, "page": i + 1},
                    "filters": {"a": [1, 2]}})
            );
        }

        // From a given page, with the place made when the body lacks it.
        let (client, seen) = three_pages(&["page"]);
        let pages: Vec<Page<Value>> =
            paginate_json_body(client, search(json!({})), &["page"], Some(2))
                .try_collect()
                .await
                .unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            mock::json_body(&seen.lock().unwrap()[0]),
            Some(json!({"page": 2}))
        );
    }

    #[tokio::test]
    async fn a_body_whose_page_place_is_not_an_object_is_refused_before_sending() {
        let never = mock::never_called();
        let e = paginate_json_body::<Page<Value>>(
            never,
            search(json!({"meta": "not an object"})),
            &["meta", "page"],
            None,
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
        assert!(
            matches!(&e, Error::InvalidRequest(m) if m.contains("meta")),
            "{e:?}"
        );
    }
}
