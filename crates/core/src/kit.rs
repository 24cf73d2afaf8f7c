//! The area-building kit: what the area crates (`agentos-rs-runs`, `agentos-rs-memory`, ...)
//! use to build their calls, and what an application never needs.
//!
//! **For area crates, outside semver.** Anything here may change in any release of
//! `agentos-rs-core`, minor or patch; the area crates pin the core version they are built
//! with. The umbrella crate `agentos-rs` (library `agentos`) does not re-export this module, so
//! an application cannot reach it by accident: on the user's side a [`Call`] has only its
//! per-call options (`header`, `timeout`, `retry`, `idempotency_key`, `follow_redirects`),
//! `send` and `.await`. Calling `get_agent("a").page(2)` does not compile.
//!
//! What is here:
//! - [`CallKit`], the plumbing of a [`Call`]: its constructor, query parameters, paging,
//!   deferred validation errors, and taking it apart;
//! - the decoders ([`Decoder`], [`decode_json`], [`decode_unit`], [`decode_response`]);
//! - path and body helpers ([`fill_path`], [`encode_segment`], [`json_object`],
//!   [`parse_header`]);
//! - [`de`], the serde helpers of the response types;
//! - the builder contract's macros (`builder.rs`): [`call_builder!`](crate::call_builder),
//!   [`impl_call_builder!`](crate::impl_call_builder),
//!   [`query_setters!`](crate::query_setters), [`impl_db_params!`](crate::impl_db_params),
//!   [`impl_db_id!`](crate::impl_db_id), [`impl_knowledge_params!`](crate::impl_knowledge_params),
//!   [`impl_polling!`](crate::impl_polling), [`impl_paged_builder!`](crate::impl_paged_builder)
//!   and [`seal_extension_traits!`](crate::seal_extension_traits); and
//!   [`routes!`](crate::routes), a crate's routes declared once;
//! - [`response_types!`](crate::response_types): response types that share fields, the
//!   shared list written once; [`deserialize_with_extra!`](crate::deserialize_with_extra): a
//!   response type's `Deserialize` with its unknown fields read straight into its `extra`
//!   map (no `#[serde(flatten)]` buffering), for the types of the hot paths;
//! - [`CallOptions`] and [`AppliedOptions`]: the per-call options of a builder that sends calls
//!   it makes only later.

pub use crate::builder::{AppliedOptions, CallOptions};
pub use crate::call::{Decoder, decode_json, decode_response, decode_unit};
pub use crate::request::{encode_segment, fill_path, json_object, parse_header};

#[path = "de.rs"]
pub mod de;

use crate::call::Call;
use crate::client::AgentOsClient;
use crate::error::{Error, Result};
use crate::request::Request;

/// The plumbing of a [`Call`] that the area crates' builders use. For area crates, outside
/// semver (see the [module](self)).
///
/// Bring it into scope with `use agentos_core::kit::CallKit;`; `Call::new(..)` then builds a
/// call and `call.query(..)`, `call.page(..)` and the others set its request up.
pub trait CallKit: Sized {
    /// What the call answers once decoded.
    type Output;

    /// A call of `request`, decoded by `decode`. A request that failed to build is reported
    /// when the call is sent.
    fn new(client: &AgentOsClient, request: Result<Request>, decode: Decoder<Self::Output>)
    -> Self;

    /// Changes the request.
    fn with_request(self, f: impl FnOnce(&mut Request)) -> Self;

    /// Changes the request with a step that may fail; the failure is reported on send.
    fn try_with_request(self, f: impl FnOnce(&mut Request) -> Result<()>) -> Self;

    /// Makes the call fail with `error` when sent (the deferred validation error of a
    /// builder: setters never fail, the call does).
    fn fail(self, error: Error) -> Self;

    /// Sets a query parameter, replacing an earlier value.
    fn query(self, name: &'static str, value: impl ToString) -> Self {
        self.with_request(|r| r.set_query(name, value))
    }

    /// Sets the `page` query parameter, refusing page 0 before sending (the server answers
    /// it with a 500 on several routes).
    fn page(self, page: u32) -> Self {
        match crate::pagination::check_page(page) {
            Ok(p) => self.query("page", p),
            Err(e) => self.fail(e),
        }
    }

    /// Sets the `limit` query parameter, refusing 0 before sending.
    fn limit(self, limit: u32) -> Self {
        if limit == 0 {
            self.fail(Error::InvalidRequest("limit must be at least 1".into()))
        } else {
            self.query("limit", limit)
        }
    }

    /// Refuses a `table` query parameter without `db_id` before sending (the server answers
    /// it with a 400). Builders with [`impl_db_params!`](crate::impl_db_params) call it in
    /// `finish`.
    fn check_db_params(self) -> Self;

    /// Takes the call apart (for callers that send the request themselves, e.g. streams).
    fn into_parts(self) -> (AgentOsClient, Result<Request>);
}

impl<T: Send + 'static> CallKit for Call<T> {
    type Output = T;

    fn new(client: &AgentOsClient, request: Result<Request>, decode: Decoder<T>) -> Self {
        Call {
            client: client.clone(),
            request,
            decode,
        }
    }

    fn with_request(mut self, f: impl FnOnce(&mut Request)) -> Self {
        if let Ok(r) = &mut self.request {
            f(r);
        }
        self
    }

    fn try_with_request(mut self, f: impl FnOnce(&mut Request) -> Result<()>) -> Self {
        if let Ok(r) = &mut self.request {
            if let Err(e) = f(r) {
                self.request = Err(e);
            }
        }
        self
    }

    fn fail(mut self, error: Error) -> Self {
        self.request = Err(error);
        self
    }

    fn check_db_params(self) -> Self {
        let table_without_db = self
            .request
            .as_ref()
            .map(|r| r.query_value("table").is_some() && r.query_value("db_id").is_none())
            .unwrap_or(false);
        if table_without_db {
            self.fail(Error::InvalidRequest(
                "`table` needs `db_id`: name the database the table belongs to".into(),
            ))
        } else {
            self
        }
    }

    fn into_parts(self) -> (AgentOsClient, Result<Request>) {
        (self.client, self.request)
    }
}
