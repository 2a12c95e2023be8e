//! The values a chart's templates see, computed as `helm template` / `helm install` compute
//! them: dependencies processed with the user's values, then everything coalesced, then each
//! chart's `values.schema.json` checked.

use crate::chart::Chart;
use crate::coalesce::{self, CoalesceError, Warnings};
use crate::deps;
use crate::value::{Map, Value};

/// Options for [`compute_values`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ComputeOptions {
    /// Skip `values.schema.json` validation (`--skip-schema-validation`).
    pub skip_schema_validation: bool,
}

/// The result of [`compute_values`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ComputedValues {
    /// The chart tree after dependency processing (disabled subcharts removed, aliases
    /// applied, imported values merged in).
    pub chart: Chart,
    /// The top chart's `.Values`.
    pub values: Map,
    /// Warnings Helm would print while computing them.
    pub warnings: Vec<String>,
}

impl ComputedValues {
    /// Every chart of the tree with the `.Values` its templates see, keyed by Helm's chart path
    /// (`top`, `top/charts/sub`, ...), parents first.
    pub fn scoped(&self) -> Vec<(String, &Chart, Map)> {
        fn go<'a>(c: &'a Chart, path: String, vals: Map, out: &mut Vec<(String, &'a Chart, Map)>) {
            for d in &c.dependencies {
                let sub = match vals.get(d.name()) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => Map::new(),
                };
                go(d, format!("{path}/charts/{}", d.name()), sub, out);
            }
            out.insert(0, (path, c, vals));
        }
        let mut out = Vec::new();
        go(&self.chart, self.chart.name().to_owned(), self.values.clone(), &mut out);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Errors computing values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValuesError {
    /// Coalescing failed.
    #[error(transparent)]
    Coalesce(#[from] CoalesceError),
    /// The values break one or more charts' `values.schema.json`.
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
}

/// Computes the values of `chart` for user-supplied `user` values (from `-f` and `--set`).
///
/// ```
/// # use chart_core::{load::BufferedFile, Map, Value};
/// let files = vec![
///     BufferedFile { name: "Chart.yaml".into(), data: b"apiVersion: v2\nname: web\nversion: 1.0.0\n".to_vec() },
///     BufferedFile { name: "values.yaml".into(), data: b"replicas: 1\nimage: {tag: a}\n".to_vec() },
/// ];
/// let chart = chart_core::chart::from_files(files, &Default::default()).unwrap();
/// let mut user = Map::new();
/// chart_core::values::parse_set("image.tag=b", &mut user).unwrap();
/// let out = chart_core::compute_values(&chart, &user, &Default::default()).unwrap();
/// assert_eq!(Value::Map(out.values).get_path("image.tag"), Some(&Value::from("b")));
/// ```
pub fn compute_values(
    chart: &Chart,
    user: &Map,
    opts: &ComputeOptions,
) -> Result<ComputedValues, ValuesError> {
    compute_values_owned(chart.clone(), user, opts)
}

/// [`compute_values`] for a chart the caller no longer needs: avoids copying its files.
pub fn compute_values_owned(
    mut chart: Chart,
    user: &Map,
    opts: &ComputeOptions,
) -> Result<ComputedValues, ValuesError> {
    let mut w = Warnings::default();
    deps::process_dependencies(&mut chart, user, &mut w)?;
    let values = coalesce::coalesce_values(&chart, user, &mut w)?;
    if !opts.skip_schema_validation {
        crate::schema::validate_tree(&chart, &values)?;
    }
    let mut warnings = Vec::new();
    for s in w.0 {
        if !warnings.contains(&s) {
            warnings.push(s);
        }
    }
    Ok(ComputedValues { chart, values, warnings })
}
