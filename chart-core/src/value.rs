//! [`Value`]: the dynamic data of charts (values, Chart.yaml fields seen by templates, files read
//! as YAML or JSON), with Go's semantics.
//!
//! Helm holds values as Go `map[string]interface{}`. After a trip through YAML and JSON every
//! number is a `float64`; numbers from `--set` and template literals are `int64`. Templates can
//! tell the two apart (`typeOf`, comparisons, `printf "%d"`), so [`Value`] keeps them apart too.
//! Maps are sorted by key bytes, the order in which Go's `range`, `fmt` and `encoding/json` visit
//! them.

use std::collections::BTreeMap;
use std::fmt;

/// A map from string keys to values, iterated in byte order of the keys, as Go sorts them.
pub type Map = BTreeMap<String, Value>;

/// A dynamically typed value with Go's distinctions: `nil`, `bool`, `int64`, `float64`, `string`,
/// `[]interface{}` and `map[string]interface{}`.
///
/// ```
/// use chart_core::Value;
/// let v = chart_core::yaml::parse_values("replicas: 3\nname: web\n").unwrap();
/// assert_eq!(v.get("replicas"), Some(&Value::Float(3.0)));
/// assert_eq!(v.get("name").and_then(Value::as_str), Some("web"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Go's `nil` (YAML `null`, `~`, or an empty scalar).
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A Go `int64`: template literals and numbers parsed by `--set`.
    Int(i64),
    /// A Go `float64`: every number read from YAML or JSON files.
    Float(f64),
    /// A string.
    String(String),
    /// A list (`[]interface{}`).
    List(Vec<Value>),
    /// A map with string keys (`map[string]interface{}`).
    Map(Map),
}

impl Value {
    /// An empty map value.
    pub fn empty_map() -> Value {
        Value::Map(Map::new())
    }

    /// The Go type name of this value as `%T` / `typeOf` prints it for values held in
    /// `interface{}` (`<nil>` for null).
    pub fn go_type_name(&self) -> &'static str {
        match self {
            Value::Null => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int64",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
        }
    }

    /// The word Go's `encoding/json` uses for this kind of value in "cannot unmarshal X into
    /// ..." messages: `null`, `bool`, `number`, `string`, `array`, `object`.
    pub fn json_kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The map inside, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The map inside, mutably, if this is a map.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The list inside, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value under `key` if this is a map holding it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Follows a dotted path of map keys (`"image.tag"`); `None` when any step is missing or not
    /// a map. An empty path returns `self`.
    pub fn get_path(&self, path: &str) -> Option<&Value> {
        if path.is_empty() {
            return Some(self);
        }
        path.split('.').try_fold(self, |v, k| v.get(k))
    }

    /// Converts every `int64` inside into a `float64`, as a trip through JSON does in Go.
    pub fn into_json_numbers(self) -> Value {
        match self {
            Value::Int(i) => Value::Float(i as f64),
            Value::List(l) => Value::List(l.into_iter().map(Value::into_json_numbers).collect()),
            Value::Map(m) => {
                Value::Map(m.into_iter().map(|(k, v)| (k, v.into_json_numbers())).collect())
            }
            other => other,
        }
    }

    /// Encodes this value as Go's `encoding/json` `Marshal` does: keys sorted, no spaces,
    /// integral floats without a fraction, `<`, `>` and `&` escaped as `\u003c` etc. when
    /// `escape_html` is set (Helm's `toJson`; `toRawJson` does not escape).
    ///
    /// Fails on NaN and infinities, which JSON cannot represent (`json: unsupported value: NaN`).
    pub fn to_json(&self, escape_html: bool) -> Result<String, UnsupportedJsonValue> {
        let mut out = String::new();
        write_json(self, escape_html, &mut out)?;
        Ok(out)
    }

    /// Encodes as indented JSON (two spaces, as Go's `json.MarshalIndent(v, "", "  ")` lays it
    /// out), without HTML escaping.
    pub fn to_json_pretty(&self) -> Result<String, UnsupportedJsonValue> {
        let mut out = String::new();
        write_json_pretty(self, 0, &mut out)?;
        Ok(out)
    }

    /// Converts from a `serde_json` value as Go's `json.Unmarshal` into `interface{}` does:
    /// every number becomes a `float64`.
    pub fn from_json(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => {
                Value::List(a.into_iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(o) => {
                Value::Map(o.into_iter().map(|(k, v)| (k, Value::from_json(v))).collect())
            }
        }
    }

    /// Converts into a `serde_json` value (for schema validation and JSON tooling). NaN and
    /// infinities become `null`, as `serde_json` cannot hold them.
    pub fn to_serde_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
                    serde_json::Value::from(*f as i64)
                } else {
                    serde_json::Number::from_f64(*f)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                }
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(l) => {
                serde_json::Value::Array(l.iter().map(Value::to_serde_json).collect())
            }
            Value::Map(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.clone(), v.to_serde_json())).collect(),
            ),
        }
    }
}

/// A NaN or an infinity met while encoding JSON; Go's message is `json: unsupported value: NaN`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("json: unsupported value: {}", crate::gofmt::format_float_g(*.0))]
pub struct UnsupportedJsonValue(pub f64);

fn write_json(v: &Value, escape_html: bool, out: &mut String) -> Result<(), UnsupportedJsonValue> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(UnsupportedJsonValue(*f));
            }
            out.push_str(&crate::gofmt::format_float_json(*f));
        }
        Value::String(s) => write_json_string(s, escape_html, out),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, escape_html, out)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(k, escape_html, out);
                out.push(':');
                write_json(item, escape_html, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_json_pretty(
    v: &Value,
    depth: usize,
    out: &mut String,
) -> Result<(), UnsupportedJsonValue> {
    let pad = |out: &mut String, d: usize| {
        out.push('\n');
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        Value::List(l) if !l.is_empty() => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                write_json_pretty(item, depth + 1, out)?;
            }
            pad(out, depth);
            out.push(']');
        }
        Value::Map(m) if !m.is_empty() => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                write_json_string(k, false, out);
                out.push_str(": ");
                write_json_pretty(item, depth + 1, out)?;
            }
            pad(out, depth);
            out.push('}');
        }
        other => write_json(other, false, out)?,
    }
    Ok(())
}

/// Writes `s` as a JSON string literal the way Go's `encoding/json` does.
pub(crate) fn write_json_string(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl fmt::Display for Value {
    /// Formats as Go's `fmt` `%v` prints the value (`map[a:1 b:[x y]]`, `1e+06`, `<nil>`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("<nil>"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&crate::gofmt::format_float_g(*x)),
            Value::String(s) => f.write_str(s),
            Value::List(l) => {
                f.write_str("[")?;
                for (i, item) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("map[")?;
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{k}:{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) => s.serialize_f64(*f),
            Value::String(v) => s.serialize_str(v),
            Value::List(l) => s.collect_seq(l),
            Value::Map(m) => s.collect_map(m),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Self {
        Value::List(l)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_matches_go_encoding() {
        let mut m = Map::new();
        m.insert("b".into(), Value::Float(1000.0));
        m.insert("a".into(), Value::String("<x & y>".into()));
        m.insert(
            "c".into(),
            Value::List(vec![Value::Float(1e21), Value::Float(1e-7), Value::Null]),
        );
        let v = Value::Map(m);
        assert_eq!(
            v.to_json(true).unwrap(),
            r#"{"a":"\u003cx \u0026 y\u003e","b":1000,"c":[1e+21,1e-7,null]}"#
        );
        assert_eq!(v.to_json(false).unwrap(), r#"{"a":"<x & y>","b":1000,"c":[1e+21,1e-7,null]}"#);
        assert!(Value::Float(f64::NAN).to_json(false).is_err());
    }

    #[test]
    fn display_matches_go_percent_v() {
        let mut m = Map::new();
        m.insert("z".into(), Value::Int(1));
        m.insert("a".into(), Value::String("s".into()));
        m.insert("m".into(), Value::List(vec![Value::Float(1e6), Value::Null]));
        assert_eq!(Value::Map(m).to_string(), "map[a:s m:[1e+06 <nil>] z:1]");
    }
}
