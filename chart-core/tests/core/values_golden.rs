//! For every corpus chart and values variant, the values chartkit computes for the top chart
//! and for each subchart equal the JSON real helm computed (`corpus/values-golden/`), compared
//! as JSON values.

use std::path::Path;

use chart_core::values::ValueOptions;
use chart_core::{ComputeOptions, Value};

use super::support::{check_floor, shared_dir};

/// `(chart dir, variant values file)` for a golden file stem such as `bitnami-nginx-alt`.
fn case_for(corpus: &Path, stem: &str) -> Option<(std::path::PathBuf, Option<std::path::PathBuf>)> {
    let dir = corpus.join("charts").join(stem);
    if dir.is_dir() {
        return Some((dir, None));
    }
    let (name, _variant) = stem.rsplit_once('-')?;
    let dir = corpus.join("charts").join(name);
    let file = corpus.join("values").join(format!("{stem}.yaml"));
    (dir.is_dir() && file.is_file()).then_some((dir, Some(file)))
}

#[test]
fn computed_values_match_helm() {
    let corpus = shared_dir().join("corpus");
    let mut entries: Vec<_> = std::fs::read_dir(corpus.join("values-golden"))
        .expect("values-golden")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for golden_path in entries {
        let stem = golden_path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let golden: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&golden_path).expect("read golden"))
                .expect("golden json");
        let views = golden.as_object().expect("golden is an object");
        let Some((dir, variant)) = case_for(&corpus, &stem) else {
            total += views.len();
            failures.push(format!("{stem}: cannot find chart for golden"));
            continue;
        };
        let computed = (|| -> Result<_, String> {
            let chart = chart_core::load(&dir).map_err(|e| e.to_string())?;
            let mut opts = ValueOptions::default();
            opts.value_files = variant.into_iter().collect();
            let user = opts.merge_values().map_err(|e| e.to_string())?;
            chart_core::compute_values(&chart, &user, &ComputeOptions::default())
                .map_err(|e| e.to_string())
        })();
        let computed = match computed {
            Ok(c) => c,
            Err(e) => {
                total += views.len();
                failures.push(format!("{stem}: {e}"));
                continue;
            }
        };
        let ours: std::collections::BTreeMap<String, serde_json::Value> = computed
            .scoped()
            .into_iter()
            .map(|(path, _, vals)| (path, Value::Map(vals).to_serde_json()))
            .collect();
        for (path, want) in views {
            total += 1;
            match ours.get(path) {
                None => failures.push(format!("{stem} [{path}]: no such chart in our tree")),
                Some(got) if got != want => {
                    failures.push(format!("{stem} [{path}]: {}", first_difference(want, got, "")))
                }
                Some(_) => {}
            }
        }
    }
    check_floor("values_golden", total, &failures);
}

/// The first path at which two JSON values differ, for a readable failure.
fn first_difference(want: &serde_json::Value, got: &serde_json::Value, path: &str) -> String {
    use serde_json::Value as J;
    match (want, got) {
        (J::Object(a), J::Object(b)) => {
            for (k, v) in a {
                match b.get(k) {
                    None => return format!("{path}.{k}: missing (want {v})"),
                    Some(g) if g != v => return first_difference(v, g, &format!("{path}.{k}")),
                    _ => {}
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    return format!("{path}.{k}: unexpected key");
                }
            }
            format!("{path}: differs")
        }
        _ => format!("{path}: want {want}, got {got}"),
    }
}
