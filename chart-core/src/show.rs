//! What `helm show chart|values|readme|crds|all` prints for a chart.

use crate::chart::Chart;
use crate::load::BufferedFile;

/// Which part of the chart to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShowWhat {
    /// Chart.yaml, re-marshaled from the decoded metadata.
    Chart,
    /// values.yaml as written.
    Values,
    /// The README.
    Readme,
    /// Files under `crds/` of the chart and its subcharts.
    Crds,
    /// All of the above, separated by `---`.
    All,
}

/// The chart's CRD files (`crds/*.yaml|yml|json`), then its subcharts', depth-first.
pub fn crd_files(chart: &Chart) -> Vec<&BufferedFile> {
    let mut out: Vec<&BufferedFile> = chart
        .files
        .iter()
        .filter(|f| {
            f.name.starts_with("crds/")
                && [".yaml", ".yml", ".json"].iter().any(|e| f.name.ends_with(e))
        })
        .collect();
    for d in &chart.dependencies {
        out.extend(crd_files(d));
    }
    out
}

fn find_readme(chart: &Chart) -> Option<&BufferedFile> {
    chart.files.iter().find(|f| {
        ["readme.md", "readme.txt", "readme"].iter().any(|n| f.name.eq_ignore_ascii_case(n))
    })
}

/// Chart.yaml as `helm show chart` prints it (the metadata marshaled back to YAML).
pub fn chart_yaml(chart: &Chart) -> String {
    let json = serde_json::to_value(&chart.metadata).unwrap_or(serde_json::Value::Null);
    crate::yaml::to_yaml(&crate::Value::from_json(json)).unwrap_or_default()
}

/// The text `helm show <what>` prints (without Helm's final trimming, which it does not do).
pub fn show(chart: &Chart, what: ShowWhat) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let all = what == ShowWhat::All;
    if matches!(what, ShowWhat::Chart | ShowWhat::All) {
        out.extend_from_slice(chart_yaml(chart).as_bytes());
        out.push(b'\n');
    }
    if matches!(what, ShowWhat::Values | ShowWhat::All) {
        if let Some(v) = chart.raw_values_file() {
            if all {
                out.extend_from_slice(b"---\n");
            }
            out.extend_from_slice(v);
            out.push(b'\n');
        }
    }
    if matches!(what, ShowWhat::Readme | ShowWhat::All) {
        if let Some(r) = find_readme(chart) {
            if all {
                out.extend_from_slice(b"---\n");
            }
            out.extend_from_slice(&r.data);
            out.push(b'\n');
        }
    }
    if matches!(what, ShowWhat::Crds | ShowWhat::All) {
        for crd in crd_files(chart) {
            if !crd.data.starts_with(b"---") {
                out.extend_from_slice(b"---\n");
            }
            out.extend_from_slice(&crd.data);
            out.push(b'\n');
        }
    }
    out
}
