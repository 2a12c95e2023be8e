//! YAML the way Helm reads and writes it.
//!
//! Helm reads YAML through sigs.k8s.io/yaml: go-yaml v2 resolves scalars with YAML 1.1 rules,
//! then the document is converted to JSON and decoded again, so every number becomes a
//! `float64` and every map key a string. [`parse_values`] does all of that; [`parse_document`]
//! stops before the JSON step and keeps go-yaml's own types (used for typed files such as
//! Chart.yaml, where sigs.k8s.io/yaml turns a number into the string field's text).
//!
//! [`to_yaml`] writes a value as Helm's `toYaml` does.

mod read;
mod write;

pub use read::*;
pub use write::*;
