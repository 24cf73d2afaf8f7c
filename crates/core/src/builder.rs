//! The contract every builder of the SDK shares, as macros for the area crates.
//!
//! A builder is a struct with a `call: Call<Out>` field and an inherent
//! `fn finish(self) -> Call<Out>`. On it:
//!
//! - [`impl_call_builder!`](crate::impl_call_builder) gives the per-call options (`header`,
//!   `timeout`, `retry`, `idempotency_key`), `send` and `IntoFuture`;
//! - [`impl_db_params!`](crate::impl_db_params) gives `db_id` and `table`,
//!   [`impl_db_id!`](crate::impl_db_id) `db_id` alone (routes that take no `table`);
//! - [`query_setters!`](crate::query_setters) gives setters that each send one text query
//!   parameter of the same name;
//! - [`impl_paged_builder!`](crate::impl_paged_builder) gives the paging options and streams;
//! - [`impl_polling!`](crate::impl_polling) gives a poll builder `poll_interval` and `max_wait`.
//!
//! [`call_builder!`](crate::call_builder) declares a builder that only wraps its call, with any
//! of these. Each macro takes a generic builder too, its parameters first in brackets:
//! `impl_call_builder!([E: StreamEvent] RunBuilder<E> => E::Output, own send)`. A builder
//! that sends calls it makes only later holds its options as a [`CallOptions`].

use std::time::Duration;

use crate::call::Call;
use crate::error::{Error, Result};
use crate::kit::CallKit;
use crate::request::{RequestOptions, parse_header};
use crate::retry::RetryPolicy;

/// Gives a builder struct that holds a `call: Call<Out>` field and an inherent
/// `fn finish(self) -> Call<Out>` the per-call options (`header`, `timeout`, `retry`,
/// `idempotency_key`), `send`, and `IntoFuture`, so that `client.some_call().option(x).await`
/// works.
///
/// - `impl_call_builder!(Builder => Out)`: all of it;
/// - `impl_call_builder!(Builder => Out, own send)`: the builder writes its own
///   `async fn send(self) -> Result<Out>` (a call that does more than send its request) and
///   gets the options and `IntoFuture`;
/// - `impl_call_builder!(Builder, options)`: the options only;
/// - `impl_call_builder!(Builder => Out, into_future)`: `IntoFuture` only, over the
///   builder's own `send`.
///
/// A generic builder names its parameters first, in brackets:
/// `impl_call_builder!([T: Send + 'static] Wait<T> => T, own send)`.
#[macro_export]
macro_rules! impl_call_builder {
    ([$($g:tt)*] $ty:ty, options) => {
        impl<$($g)*> $ty {
            /// Adds a header to this call only (it overrides the client's header of the same
            /// name). A wait sends it with each read.
            pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                self.call = self.call.header(name, value);
                self
            }

            /// Sets a timeout for this call only: for a stream, until the response starts;
            /// for a wait, for each read (the wait itself is bounded by its `max_wait`).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call = self.call.timeout(timeout);
                self
            }

            /// Sets a retry policy for this call only (`RetryPolicy::none()` turns retries
            /// off). A request that creates something (a run, a continue) is never sent twice
            /// after it may have reached the server, unless an idempotency key is set.
            pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
                self.call = self.call.retry(policy);
                self
            }

            /// Sends an `Idempotency-Key` header: the server treats a repeated request with
            /// the same key as the first one (with a durable queue a run starts once), which
            /// also makes the call safe to retry.
            pub fn idempotency_key(mut self, key: impl AsRef<str>) -> Self {
                self.call = self.call.idempotency_key(key);
                self
            }
        }
    };
    ([$($g:tt)*] $ty:ty => $out:ty, into_future) => {
        impl<$($g)*> ::std::future::IntoFuture for $ty {
            type Output = $crate::Result<$out>;
            type IntoFuture = $crate::BoxFuture<$out>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
    ([$($g:tt)*] $ty:ty => $out:ty, own send) => {
        $crate::impl_call_builder!([$($g)*] $ty, options);
        $crate::impl_call_builder!([$($g)*] $ty => $out, into_future);
    };
    ([$($g:tt)*] $ty:ty => $out:ty) => {
        $crate::impl_call_builder!([$($g)*] $ty => $out, own send);

        impl<$($g)*> $ty {
            /// Sends the request.
            pub async fn send(self) -> $crate::Result<$out> {
                self.finish().send().await
            }
        }
    };
    ($ty:ty, options) => {
        $crate::impl_call_builder!([] $ty, options);
    };
    ($ty:ty => $out:ty, own send) => {
        $crate::impl_call_builder!([] $ty => $out, own send);
    };
    ($ty:ty => $out:ty, into_future) => {
        $crate::impl_call_builder!([] $ty => $out, into_future);
    };
    ($ty:ty => $out:ty) => {
        $crate::impl_call_builder!([] $ty => $out);
    };
}

/// Adds setters that each send one text query parameter named like the setter, to builders
/// that hold a `call: Call<_>` field. Each setter keeps its own doc comment.
///
/// ```ignore
/// agentos_core::query_setters!(GetTraces {
///     /// Only the trace of this run.
///     run_id,
///     /// Only the traces of this session.
///     session_id,
/// });
/// ```
///
/// gives `GetTraces::run_id(impl Into<String>)` (query `run_id=...`) and `session_id`. Several
/// builders can be named before the `{` (`query_setters!(A, B { .. })`); a generic builder
/// names its parameters first, in brackets.
#[macro_export]
macro_rules! query_setters {
    ([$($g:tt)*] $ty:ty { $($(#[$meta:meta])* $name:ident),* $(,)? }) => {
        impl<$($g)*> $ty {
            $(
                $(#[$meta])*
                pub fn $name(mut self, $name: impl Into<String>) -> Self {
                    self.call = $crate::kit::CallKit::query(
                        self.call,
                        ::std::stringify!($name),
                        $name.into(),
                    );
                    self
                }
            )*
        }
    };
    ($ty:ty $(,)? { $($body:tt)* }) => {
        $crate::query_setters!([] $ty { $($body)* });
    };
    ($first:ty, $($rest:ty),+ $(,)? { $($body:tt)* }) => {
        $crate::query_setters!([] $first { $($body)* });
        $crate::query_setters!($($rest),+ { $($body)* });
    };
}

/// Adds the `db_id` setter alone to builders that hold a `call: Call<_>` field (routes that
/// take a database id but no `table`: traces, knowledge): `impl_db_id!(A, B)`, or for a
/// generic builder `impl_db_id!([T: Send + 'static] Wait<T, P>)`.
#[macro_export]
macro_rules! impl_db_id {
    ($($builders:tt)*) => {
        $crate::query_setters!($($builders)* {
            /// Uses the database with this id (as listed in `GET /config`). Needed when the
            /// OS has more than one database.
            db_id,
        });
    };
}

/// Adds `db_id` and `table` setters to builders that hold a `call: Call<_>` field (the data
/// routes of sessions, memories, evals, metrics, ... take both as query parameters). Call
/// `CallKit::check_db_params` in the builder's `finish` (a builder declared with
/// [`call_builder!`](crate::call_builder) does). Takes builders as
/// [`impl_db_id!`](crate::impl_db_id) does.
#[macro_export]
macro_rules! impl_db_params {
    ($($builders:tt)*) => {
        $crate::impl_db_id!($($builders)*);
        $crate::query_setters!($($builders)* {
            /// Uses this table of the database chosen with `db_id` (a table without a
            /// database id is refused before sending, as the server would refuse it).
            table,
        });
    };
}

/// Adds the `knowledge_id` and `db_id` setters of the knowledge routes (and of the wait for
/// a knowledge ingestion, [`poll::KnowledgeParams`](crate::poll::KnowledgeParams)) to
/// builders that hold a `call: Call<_>` field. Takes builders as
/// [`impl_db_id!`](crate::impl_db_id) does.
#[macro_export]
macro_rules! impl_knowledge_params {
    ($($builders:tt)*) => {
        $crate::query_setters!($($builders)* {
            /// Uses the knowledge base with this id (`GET /config` →
            /// `knowledge.knowledge_instances`). Needed when several knowledge bases share a
            /// contents db; an unknown id answers 404.
            knowledge_id,
            /// Uses the knowledge base whose contents db has this id (400 when several
            /// knowledge bases share it: use [`knowledge_id`](Self::knowledge_id) then; 404
            /// for an unknown db).
            db_id,
        });
    };
}

/// Adds `poll_interval` and `max_wait` to a poll builder that holds a `polling: Polling`
/// field ([`poll::Wait`](crate::poll::Wait), the lookup of a run's trace). A generic builder
/// names its parameters first, in brackets.
#[macro_export]
macro_rules! impl_polling {
    ([$($g:tt)*] $ty:ty) => {
        impl<$($g)*> $ty {
            /// The pause between two reads.
            pub fn poll_interval(mut self, interval: ::std::time::Duration) -> Self {
                self.polling.interval = interval;
                self
            }

            /// The longest wait before `Error::WaitTimeout`.
            pub fn max_wait(mut self, max_wait: ::std::time::Duration) -> Self {
                self.polling.max_wait = max_wait;
                self
            }
        }
    };
    ($ty:ty) => {
        $crate::impl_polling!([] $ty);
    };
}

/// Declares builders that only wrap their call: each struct gets `#[derive(Debug)]`,
/// `#[must_use]`, a `call: Call<Out>` field, a `finish` that checks the database parameters
/// (`CallKit::check_db_params`), and [`impl_call_builder!`](crate::impl_call_builder). After
/// `=> Out`, a list of what else it takes: `db_params` ([`impl_db_params!`](crate::impl_db_params)),
/// `db_id` ([`impl_db_id!`](crate::impl_db_id)), `knowledge_params`
/// ([`impl_knowledge_params!`](crate::impl_knowledge_params)), `paged(Item)` or `paged(Item, sorted)`
/// ([`impl_paged_builder!`](crate::impl_paged_builder)). Further setters go in an `impl` block
/// of their own.
///
/// ```ignore
/// agentos_core::call_builder! {
///     /// `GET /memories/{memory_id}`, from [`MemoryExt::get_memory`].
///     pub struct GetMemory => UserMemorySchema, db_params;
///     /// `GET /user_memory_stats`, from [`MemoryExt::get_user_memory_stats`].
///     pub struct GetUserMemoryStats => Page<UserStatsSchema>, db_params, paged(UserStatsSchema);
/// }
/// ```
#[macro_export]
macro_rules! call_builder {
    (@with $name:ident, db_params) => {
        $crate::impl_db_params!($name);
    };
    (@with $name:ident, db_id) => {
        $crate::impl_db_id!($name);
    };
    (@with $name:ident, knowledge_params) => {
        $crate::impl_knowledge_params!($name);
    };
    (@with $name:ident, paged($($item:tt)*)) => {
        $crate::impl_paged_builder!($name => $($item)*);
    };
    ($(
        $(#[$meta:meta])*
        $vis:vis struct $name:ident => $out:ty $(, $with:ident $(($($arg:tt)*))?)*;
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        $vis struct $name {
            pub(crate) call: $crate::Call<$out>,
        }

        impl $name {
            fn finish(self) -> $crate::Call<$out> {
                $crate::kit::CallKit::check_db_params(self.call)
            }
        }

        $crate::impl_call_builder!($name => $out);
        $($crate::call_builder!(@with $name, $with $(($($arg)*))?);)*
    )+};
}

/// The per-call options of a builder that sends calls it makes only later (a lookup that
/// polls, a continue built from a paused run): it holds them as `call: CallOptions`, gets the
/// setters from [`impl_call_builder!`](crate::impl_call_builder)`(Builder, options)` like any
/// other builder, and applies them to each call it sends with [`CallOptions::apply`].
#[derive(Debug, Default)]
pub struct CallOptions {
    options: RequestOptions,
    error: Option<Error>,
}

impl CallOptions {
    /// No options: the client's defaults.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Adds a header (a header that cannot be sent is reported when the options are applied).
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match parse_header(name.as_ref(), value.as_ref()) {
            Ok((n, v)) => {
                self.options.headers.insert(n, v);
            }
            Err(e) => self.error = self.error.or(Some(e)),
        }
        self
    }

    /// Sets a timeout for each call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sets a retry policy for each call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends an `Idempotency-Key` header with each call.
    pub fn idempotency_key(self, key: impl AsRef<str>) -> Self {
        self.header("Idempotency-Key", key)
    }

    /// The options, or the error of a header that cannot be sent.
    pub fn check(self) -> Result<AppliedOptions> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(AppliedOptions(self.options)),
        }
    }

    /// Applies the options to `call` (its own headers of the same names are replaced), or
    /// makes it fail with the error of a header that cannot be sent.
    pub fn apply<T: Send + 'static>(self, call: Call<T>) -> Call<T> {
        match self.check() {
            Ok(options) => options.apply(call),
            Err(e) => call.fail(e),
        }
    }
}

/// Checked [`CallOptions`], to apply to any number of calls.
#[derive(Debug, Clone)]
pub struct AppliedOptions(RequestOptions);

impl AppliedOptions {
    /// Applies the options to `call` (its own headers of the same names are replaced).
    pub fn apply<T: Send + 'static>(&self, call: Call<T>) -> Call<T> {
        let options = &self.0;
        call.with_request(|r| {
            r.options.headers.extend(options.headers.clone());
            if options.timeout.is_some() {
                r.options.timeout = options.timeout;
            }
            if options.retry.is_some() {
                r.options.retry = options.retry;
            }
        })
    }
}

/// Declares the routes of a crate, each path template written once: a private module `route`
/// with one constant per path (the builders send `Request::get(route::NAME, ..)`) and the
/// public `ROUTES` list of `(method, path template)` operations, in the order written. For
/// area crates, outside semver (see [`kit`](crate::kit)).
///
/// ```
/// agentos_core::routes! {
///     /// The operations this crate wraps.
///     APPROVALS = "/approvals": GET;
///     APPROVALS_APPROVAL_ID = "/approvals/{approval_id}": GET, DELETE;
/// }
/// assert_eq!(route::APPROVALS, "/approvals");
/// assert_eq!(
///     ROUTES,
///     [("GET", "/approvals"), ("GET", "/approvals/{approval_id}"), ("DELETE", "/approvals/{approval_id}")]
/// );
/// ```
#[macro_export]
macro_rules! routes {
    ($(#[$meta:meta])* $($name:ident = $path:literal : $($method:ident),+ ;)+) => {
        /// The path template of every route of this crate, each written once: the builders and
        /// [`ROUTES`] use these constants (`tests/coverage.rs` checks that no other copy exists).
        #[allow(dead_code)]
        pub(crate) mod route {
            $(pub(crate) const $name: &str = $path;)+
        }

        $(#[$meta])*
        pub const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), route::$name),)+)+];
    };
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::kit::decode_unit;
    use crate::{AgentOsClient, Request};

    fn call() -> Call<()> {
        let mut transport = crate::transport::MockTransport::new();
        transport.expect_send().never();
        let client = AgentOsClient::builder()
            .base_url("http://127.0.0.1:9")
            .transport(transport)
            .build()
            .unwrap();
        Call::new(&client, Request::get("/traces", &[]), decode_unit).header("X-Own", "kept")
    }

    #[test]
    fn call_options_reach_every_call_they_are_applied_to() {
        let options = CallOptions::new()
            .header("X-Tenant", "t-1")
            .timeout(Duration::from_secs(7))
            .retry(RetryPolicy::none())
            .idempotency_key("k-1")
            .check()
            .unwrap();
        for _ in 0..2 {
            let applied = options.apply(call());
            let r = applied.request().unwrap();
            assert_eq!(r.options.headers["x-tenant"], "t-1");
            assert_eq!(r.options.headers["idempotency-key"], "k-1");
            assert_eq!(r.options.headers["x-own"], "kept");
            assert_eq!(r.options.timeout, Some(Duration::from_secs(7)));
            assert_eq!(r.options.retry, Some(RetryPolicy::none()));
        }
    }

    #[test]
    fn a_header_that_cannot_be_sent_fails_the_call_it_is_applied_to() {
        let failed = CallOptions::new().header("bad header", "x").apply(call());
        assert!(
            matches!(failed.request(), Err(Error::InvalidRequest(_))),
            "{failed:?}"
        );
    }
}
