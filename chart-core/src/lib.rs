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
//! - [`Chart`] and [`load()`]: a chart tree from a directory, a `.tgz`, bytes or a reader.
//! - [`compute_values`]: user values (see [`values`] for `-f`/`--set`) coalesced with the chart's
//!   defaults after dependency processing ([`deps`]), then checked against `values.schema.json`.
//!
//! The path of a chart: files → [`load()`] → [`Chart`] → [`deps`] → [`coalesce`] → values for
//! rendering (the `chart-render` crate), packaging ([`package`]) or display ([`show`]).
//!
//! # Errors
//! Each step has its own error type ([`LoadError`], [`ValuesError`], ...) whose `Display` is the
//! message Helm prints; located errors also expose the file and line.
//!
//! # Input safety
//! Parsers and loaders never panic on bad input; archives are read with limits on total and
//! per-file size.

pub mod chart;
pub mod coalesce;
mod compute;
pub mod create;
pub mod deps;
pub mod gofmt;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod metadata;
pub mod names;
pub mod package;
pub mod params;
pub mod schema;
pub mod semver_loose;
pub mod show;
pub mod value;
pub mod values;
pub mod yaml;

pub use chart::{Chart, LoadError, load};
pub use compute::{
    ComputeOptions, ComputedValues, ValuesError, compute_values, compute_values_owned,
};
pub use value::{Map, Value};
