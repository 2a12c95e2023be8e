//! Values: Helm's `--set` family parsers, coalescing and schema validation.
mod strvals;
pub use strvals::*;

/// Decodes JSON text as Go's `json.Unmarshal` into an `interface{}` does: numbers become
/// `float64`, only whitespace may follow the value, and errors carry `encoding/json`'s text
/// (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`).
///
/// ```
/// use chart_core::{values::unmarshal_json, Value};
/// assert_eq!(unmarshal_json("[1]").unwrap(), Value::List(vec![Value::Float(1.0)]));
/// assert_eq!(unmarshal_json("{").unwrap_err(), "unexpected end of JSON input");
/// ```
pub fn unmarshal_json(text: &str) -> Result<crate::Value, String> {
    strvals::json::decode_all(text)
}
