//! Small helpers shared by the builders of this crate: the `db_id` / `table` query parameters
//! every session route takes, and serde helpers for fields the server may send as `null`.
//!
//! The same helpers exist in `agentos-memory`; they are generic and belong in core.

use agentos_core::{Call, Error};
use serde::{Deserialize, Deserializer};

/// Adds `db_id` and `table` setters to builders that hold a `call: Call<_>` field.
macro_rules! db_params {
    ($($ty:ty),+ $(,)?) => {$(
        impl $ty {
            /// Uses the database with this id (listed in `GET /config` → `session.dbs`). Needed
            /// when the OS has more than one database.
            pub fn db_id(mut self, db_id: impl Into<String>) -> Self {
                self.call = self.call.query("db_id", db_id.into());
                self
            }

            /// Uses this table of the database chosen with `db_id` (the server refuses a
            /// table without a database id, and so does this SDK, before sending).
            pub fn table(mut self, table: impl Into<String>) -> Self {
                self.call = self.call.query("table", table.into());
                self
            }
        }
    )+};
}
pub(crate) use db_params;

/// Refuses `table` without `db_id` before sending (the server answers it with a 400).
pub(crate) fn check_db<T: Send + 'static>(call: Call<T>) -> Call<T> {
    let table_without_db = call
        .request()
        .map(|r| r.query_value("table").is_some() && r.query_value("db_id").is_none())
        .unwrap_or(false);
    if table_without_db {
        call.fail(Error::InvalidRequest(
            "`table` needs `db_id`: name the database the table belongs to".into(),
        ))
    } else {
        call
    }
}

/// Sets `page`, refusing page 0 (the server answers it with a 500).
pub(crate) fn set_page<T: Send + 'static>(call: Call<T>, page: u32) -> Call<T> {
    match agentos_core::pagination::check_page(page) {
        Ok(p) => call.query("page", p),
        Err(e) => call.fail(e),
    }
}

/// Sets `limit`, refusing 0 (the server answers it with a 422).
pub(crate) fn set_limit<T: Send + 'static>(call: Call<T>, limit: u32) -> Call<T> {
    if limit == 0 {
        call.fail(Error::InvalidRequest("limit must be at least 1".into()))
    } else {
        call.query("limit", limit)
    }
}

/// Deserializes `null` as the type's default (e.g. an empty list).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Deserializes `null` and `""` as `None` (run schemas send empty strings for missing ids).
pub(crate) fn empty_as_none<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// Serializes `value` and checks that it is a JSON object (the server wants a dict).
pub(crate) fn json_object<T: serde::Serialize + ?Sized>(
    what: &str,
    value: &T,
) -> agentos_core::Result<serde_json::Map<String, serde_json::Value>> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(Error::InvalidRequest(format!(
            "{what} must be a JSON object, not {}",
            match other {
                serde_json::Value::Null => "null",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::Object(_) => "an object",
            }
        ))),
        Err(e) => Err(Error::InvalidRequest(format!(
            "cannot encode {what} as JSON: {e}"
        ))),
    }
}
