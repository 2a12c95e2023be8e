//! Helm charts as plain data: Chart.yaml, values, loading, dependencies and packaging, read
//! exactly the way Helm 4 reads them.
//!
//! ```
//! use chart_core::{yaml, Value};
//!
//! // Helm reads YAML with YAML 1.1 rules and turns every number into a float64.
//! let v = yaml::parse_values("on: yes\nmode: 0755\n").unwrap();
//! assert_eq!(v.get("true"), Some(&Value::Bool(true)));
//! assert_eq!(v.get("mode"), Some(&Value::Float(493.0)));
//! ```
//!
//! # Concepts
//! - [`Value`]: dynamic data with Go's types (`int64` and `float64` kept apart, sorted maps).
//! - [`yaml`]: the YAML reader (go-yaml v2 + sigs.k8s.io/yaml semantics) and writer (`toYaml`).
//!
//! # Input safety
//! Parsers and loaders never panic on bad input; archives are read with limits on total and
//! per-file size.

pub mod gofmt;
pub mod value;
pub mod yaml;

pub use value::{Map, Value};
