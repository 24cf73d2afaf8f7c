//! A helper of the builders: JSON-object parameters (session state, metadata, summary).

use agentos_core::Error;
use serde_json::{Map, Value};

/// Serializes `value` and checks that it is a JSON object (the server wants a dict).
pub(crate) fn json_object<T: serde::Serialize + ?Sized>(
    what: &str,
    value: &T,
) -> agentos_core::Result<Map<String, Value>> {
    let kind = match serde_json::to_value(value) {
        Ok(Value::Object(map)) => return Ok(map),
        Ok(Value::Null) => "null",
        Ok(Value::Bool(_)) => "a boolean",
        Ok(Value::Number(_)) => "a number",
        Ok(Value::String(_)) => "a string",
        Ok(Value::Array(_)) => "an array",
        Err(e) => {
            return Err(Error::InvalidRequest(format!(
                "cannot encode {what} as JSON: {e}"
            )));
        }
    };
    Err(Error::InvalidRequest(format!(
        "{what} must be a JSON object, not {kind}"
    )))
}
