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

/// Schemas prepared before the values they check exist. Preparing needs only the schema file,
/// so a caller can do it while the rest of the chart loads.
///
/// A schema written with the everyday keywords is only parsed and checked here: values that
/// satisfy it are confirmed by walking the document, which costs far less than compiling it. Any
/// other schema is compiled here with the full validator (which also checks it against its
/// draft's meta-schema, as Helm does); so is a checked one when values turn out not to satisfy
/// it, to write the messages.
///
/// ```
/// use chart_core::schema::CompiledSchemas;
/// let schema = br#"{"type": "object", "properties": {"replicas": {"type": "integer"}}}"#;
/// let compiled = CompiledSchemas::compile(&[&schema[..]]);
/// assert_eq!(compiled.len(), 1);
/// ```
#[derive(Default)]
pub struct CompiledSchemas {
    by_bytes: std::collections::HashMap<Vec<u8>, Prepared>,
}

/// One schema document, ready for [`Prepared::validate`].
struct Prepared {
    /// The parsed document, when the quick path can judge values against it.
    #[cfg(feature = "schema")]
    quick: Option<quick::Doc>,
    /// The full validator's compiled schema (or its error), made when first needed.
    full: std::sync::OnceLock<imp::Compiled>,
}

impl Prepared {
    fn new(schema: &[u8]) -> Prepared {
        #[cfg(feature = "schema")]
        {
            let quick =
                serde_json::from_slice::<serde_json::Value>(schema).ok().and_then(quick::prepare);
            let full = std::sync::OnceLock::new();
            if quick.is_none() {
                let _ = full.set(imp::compile(schema));
            }
            Prepared { quick, full }
        }
        #[cfg(not(feature = "schema"))]
        Prepared { full: std::sync::OnceLock::from(imp::compile(schema)) }
    }

    /// The messages for `values` (empty when they satisfy the schema).
    fn validate(&self, schema: &[u8], values: &Map) -> Vec<String> {
        #[cfg(feature = "schema")]
        if let Some(doc) = &self.quick {
            if quick::is_valid(doc, values) == Ok(true) {
                return Vec::new();
            }
        }
        imp::validate_compiled(self.full.get_or_init(|| imp::compile(schema)), values)
    }
}

impl std::fmt::Debug for CompiledSchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchemas").field("schemas", &self.by_bytes.len()).finish()
    }
}

impl CompiledSchemas {
    /// Prepares each distinct schema document (invalid ones keep their error for later).
    pub fn compile(schemas: &[&[u8]]) -> CompiledSchemas {
        let mut by_bytes = std::collections::HashMap::new();
        for s in schemas {
            if !by_bytes.contains_key(*s) {
                by_bytes.insert(s.to_vec(), Prepared::new(s));
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
            Some(c) => c.validate(schema, values),
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
    Prepared::new(schema).validate(schema, values)
}

#[cfg(feature = "schema")]
mod quick;

#[cfg(feature = "schema")]
mod v6;

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
        super::v6::messages(validator.iter_errors(&instance))
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
}
