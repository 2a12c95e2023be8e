//! `values.schema.json` validation for a chart and each of its subcharts, as Helm 4 runs it
//! before rendering. JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12 are supported (the draft is
//! taken from `$schema`; 2020-12 when absent). Remote `$ref`s are not fetched.

use crate::chart::Chart;
use crate::value::{Map, Value};

/// Values that do not satisfy one or more schemas. `Display` follows Helm's layout:
/// `values don't meet the specifications of the schema(s) in the following chart(s):` then one
/// block per chart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("values don't meet the specifications of the schema(s) in the following chart(s):\n{}", render(.failures))]
#[non_exhaustive]
pub struct SchemaError {
    /// `(chart name, messages)`, each message `at '/json/pointer': what is wrong`.
    pub failures: Vec<(String, Vec<String>)>,
}

fn render(failures: &[(String, Vec<String>)]) -> String {
    let mut s = String::new();
    for (chart, msgs) in failures {
        s.push_str(chart);
        s.push_str(":\n");
        for m in msgs {
            s.push_str("- ");
            s.push_str(m);
            s.push('\n');
        }
    }
    s
}

/// Validates `values` against the chart's schema and each subchart's values against its own.
pub fn validate_tree(chart: &Chart, values: &Map) -> Result<(), SchemaError> {
    let mut failures = Vec::new();
    collect(chart, values, &mut failures);
    if failures.is_empty() { Ok(()) } else { Err(SchemaError { failures }) }
}

fn collect(chart: &Chart, values: &Map, out: &mut Vec<(String, Vec<String>)>) {
    if let Some(schema) = &chart.schema {
        let msgs = validate_one(schema, values);
        if !msgs.is_empty() {
            out.push((chart.name().to_owned(), msgs));
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Map(m)) => collect(sub, m, out),
            Some(other) => out.push((
                sub.name().to_owned(),
                vec![format!(
                    "invalid type for values: expected object (map), got {}",
                    other.go_type_name()
                )],
            )),
        }
    }
}

/// Validates one values map against one schema document; returns the messages (empty when
/// valid).
pub fn validate_one(schema: &[u8], values: &Map) -> Vec<String> {
    imp::validate(schema, values)
}

#[cfg(feature = "schema")]
mod imp {
    use super::*;

    pub(super) fn validate(schema: &[u8], values: &Map) -> Vec<String> {
        let schema: serde_json::Value = match serde_json::from_slice(schema) {
            Ok(s) => s,
            Err(e) => return vec![format!("at '': invalid JSON schema: {e}")],
        };
        let validator = match jsonschema::validator_for(&schema) {
            Ok(v) => v,
            Err(e) => return vec![format!("at '': invalid JSON schema: {e}")],
        };
        let instance = Value::Map(values.clone()).to_serde_json();
        validator
            .iter_errors(&instance)
            .map(|e| format!("at '{}': {}", e.instance_path(), e))
            .collect()
    }
}

#[cfg(not(feature = "schema"))]
mod imp {
    use super::*;

    pub(super) fn validate(_schema: &[u8], _values: &Map) -> Vec<String> {
        Vec::new()
    }
}
