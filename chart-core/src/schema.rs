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
    validate_tree_with(chart, values, None)
}

/// [`validate_tree`] using schemas compiled ahead of time where `compiled` has them (looked up
/// by the schema file's bytes); the others are compiled here.
pub fn validate_tree_with(
    chart: &Chart,
    values: &Map,
    compiled: Option<&CompiledSchemas>,
) -> Result<(), SchemaError> {
    let mut failures = Vec::new();
    collect(chart, values, compiled, &mut failures);
    if failures.is_empty() { Ok(()) } else { Err(SchemaError { failures }) }
}

/// Schemas compiled before the values they check exist. Compiling a large schema (and checking
/// it against its draft's meta-schema, as Helm does) costs far more than validating values with
/// it, and needs only the schema file, so a caller can do it while the rest of the chart loads.
///
/// ```
/// use chart_core::schema::CompiledSchemas;
/// let schema = br#"{"type": "object", "properties": {"replicas": {"type": "integer"}}}"#;
/// let compiled = CompiledSchemas::compile(&[&schema[..]]);
/// assert_eq!(compiled.len(), 1);
/// ```
#[derive(Default)]
pub struct CompiledSchemas {
    by_bytes: std::collections::HashMap<Vec<u8>, imp::Compiled>,
}

impl std::fmt::Debug for CompiledSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchemas").field("schemas", &self.by_bytes.len()).finish()
    }
}

impl CompiledSchemas {
    /// Compiles each distinct schema document (invalid ones keep their error for later).
    pub fn compile(schemas: &[&[u8]]) -> CompiledSchemas {
        let mut by_bytes = std::collections::HashMap::new();
        for s in schemas {
            if !by_bytes.contains_key(*s) {
                by_bytes.insert(s.to_vec(), imp::compile(s));
            }
        }
        CompiledSchemas { by_bytes }
    }

    /// How many distinct schema documents are held.
    pub fn len(&self) -> usize {
        self.by_bytes.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.by_bytes.is_empty()
    }
}

fn collect(
    chart: &Chart,
    values: &Map,
    compiled: Option<&CompiledSchemas>,
    out: &mut Vec<(String, Vec<String>)>,
) {
    if let Some(schema) = &chart.schema {
        let msgs = match compiled.and_then(|c| c.by_bytes.get(schema.as_slice())) {
            Some(c) => imp::validate_compiled(c, values),
            None => validate_one(schema, values),
        };
        if !msgs.is_empty() {
            out.push((chart.name().to_owned(), msgs));
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Map(m)) => collect(sub, m, compiled, out),
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

    /// A compiled schema, or the message for a schema that does not compile.
    pub(super) type Compiled = Result<jsonschema::Validator, String>;

    pub(super) fn compile(schema: &[u8]) -> Compiled {
        let schema: serde_json::Value = serde_json::from_slice(schema)
            .map_err(|e| format!("at '': invalid JSON schema: {e}"))?;
        jsonschema::validator_for(&schema).map_err(|e| format!("at '': invalid JSON schema: {e}"))
    }

    pub(super) fn validate_compiled(compiled: &Compiled, values: &Map) -> Vec<String> {
        let validator = match compiled {
            Ok(v) => v,
            Err(msg) => return vec![msg.clone()],
        };
        let instance = Value::Map(values.clone()).to_serde_json();
        validator
            .iter_errors(&instance)
            .map(|e| format!("at '{}': {}", e.instance_path(), e))
            .collect()
    }

    pub(super) fn validate(schema: &[u8], values: &Map) -> Vec<String> {
        validate_compiled(&compile(schema), values)
    }
}

#[cfg(not(feature = "schema"))]
mod imp {
    use super::*;

    pub(super) type Compiled = ();

    pub(super) fn compile(_schema: &[u8]) -> Compiled {}

    pub(super) fn validate_compiled(_compiled: &Compiled, _values: &Map) -> Vec<String> {
        Vec::new()
    }

    pub(super) fn validate(_schema: &[u8], _values: &Map) -> Vec<String> {
        Vec::new()
    }
}
