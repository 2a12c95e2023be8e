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

/// [`unmarshal_json`] as Go's `json.Unmarshal` leaves things when a number does not fit a
/// `float64`: the decoded value with that number as nil, plus the error. Syntax errors are `Err`.
///
/// ```
/// use chart_core::{values::unmarshal_json_partial, Value};
/// let (v, err) = unmarshal_json_partial("[1e400, 2]").unwrap();
/// assert_eq!(v, Value::List(vec![Value::Null, Value::Float(2.0)]));
/// assert_eq!(err.unwrap(), "json: cannot unmarshal number 1e400 into Go value of type float64");
/// ```
pub fn unmarshal_json_partial(text: &str) -> Result<(crate::Value, Option<String>), String> {
    strvals::json::decode_all_partial(text)
}
