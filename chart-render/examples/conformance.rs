//! Runs a template conformance case file (the format of `../shared/conformance/template-cases.yaml`,
//! described in the README next to it) against chart-render.
//!
//! ```text
//! cargo run --release -p chart-render --example conformance -- CASES_FILE
//! ```
//!
//! Prints the pass count per category, the failing ids with what differed, and last a line
//! `N passed, M failed`. The integration test `tests/conformance.rs` reuses this file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chart_core::Value;
use chart_core::values::ValueOptions;
use chart_render::{ExecOptions, KubeVersion, ReleaseInfo, render_chart};

/// One case's outcome.
#[allow(dead_code)]
pub struct Outcome {
    /// The case id.
    pub id: String,
    /// Its category.
    pub category: String,
    /// Whether it passed.
    pub passed: bool,
    /// What differed, for a failure.
    pub detail: String,
}

/// Runs every case of `cases_file`; returns the outcomes in file order.
pub fn run_file(cases_file: &Path) -> Result<Vec<Outcome>, String> {
    let text = std::fs::read_to_string(cases_file)
        .map_err(|e| format!("{}: {e}", cases_file.display()))?;
    let cases = chart_core::yaml::parse_document(&text)
        .map_err(|e| format!("{}: {e}", cases_file.display()))?;
    let Value::List(cases) = cases else {
        return Err(format!("{}: not a YAML list of cases", cases_file.display()));
    };
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let saved_cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = work.path().join(format!("case{i}"));
        let outcome = run_case(case, &dir);
        std::env::set_current_dir(&saved_cwd).map_err(|e| e.to_string())?;
        out.push(outcome);
    }
    Ok(out)
}

fn string_field(case: &Value, key: &str) -> Option<String> {
    match case.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn run_case(case: &Value, dir: &Path) -> Outcome {
    let id = string_field(case, "id").unwrap_or_default();
    let category = string_field(case, "category").unwrap_or_default();
    let (passed, detail) = match check_case(case, &id, dir) {
        Ok(()) => (true, String::new()),
        Err(d) => (false, d),
    };
    Outcome { id, category, passed, detail }
}

fn write(path: &Path, data: &str) -> Result<(), String> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, data).map_err(|e| e.to_string())
}

/// Collapses whitespace runs to one space, as the README's error comparison does.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_case(case: &Value, id: &str, dir: &Path) -> Result<(), String> {
    let chart = dir.join("chart");
    write(&chart.join("Chart.yaml"), "apiVersion: v2\nname: conf\nversion: 0.1.0\n")?;
    if let Some(v) = string_field(case, "values") {
        write(&chart.join("values.yaml"), &v)?;
    }
    let template = string_field(case, "template").unwrap_or_default();
    write(&chart.join("templates").join(format!("{id}.yaml")), &template)?;
    if let Some(Value::Map(files)) = case.get("files") {
        for (name, data) in files {
            let data = match data {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            write(&chart.join(name), &data)?;
        }
    }
    std::env::set_current_dir(dir).map_err(|e| e.to_string())?;
    let flags: Vec<String> = match case.get("flags") {
        Some(Value::List(l)) => {
            l.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect()
        }
        _ => Vec::new(),
    };
    let result = render(Path::new("chart"), &flags);
    let name = format!("conf/templates/{id}.yaml");

    if let Some(want) = string_field(case, "expect_error") {
        return match result {
            Ok(r) => Err(format!("expected error {want:?}, rendered {:?}", r.get(&name))),
            // Helm's whole message, where the case has it, must be matched exactly.
            Err(e) => match string_field(case, "error_full") {
                Some(full) if e.trim() != full.trim() => {
                    Err(format!("error differs\n  want: {full}\n  got:  {e}"))
                }
                Some(_) => Ok(()),
                None if collapse(&e).contains(&collapse(&want)) => Ok(()),
                None => Err(format!("error differs\n  want: {want}\n  got:  {e}")),
            },
        };
    }
    let rendered = result.map_err(|e| format!("unexpected error: {e}"))?;
    let got = rendered.get(&name).cloned().unwrap_or_default();
    if let Some(want) = string_field(case, "expect") {
        let ok = if got.trim().is_empty() { want.is_empty() } else { got == want };
        if !ok {
            return Err(format!("output differs\n  want: {want:?}\n  got:  {got:?}"));
        }
    } else if let Some(b64) = string_field(case, "expect_base64") {
        let want = decode_base64(&b64).ok_or("bad expect_base64")?;
        if got.as_bytes() != want.as_slice() {
            return Err(format!("output differs\n  want bytes: {want:?}\n  got:  {got:?}"));
        }
    }
    if let Some(want) = string_field(case, "expect_manifest") {
        let sorted = chart_render::manifest::sort_manifests(&rendered)
            .map_err(|e| format!("manifest expected, got: {e}"))?;
        let got: String = sorted
            .manifests
            .iter()
            .chain(sorted.hooks.iter())
            .filter(|m| m.source == name)
            .map(|m| chart_render::manifest::source_block(&m.source, &m.content))
            .collect();
        if got != want {
            return Err(format!("manifest differs\n  want: {want:?}\n  got:  {got:?}"));
        }
    }
    if let Some(Value::Map(others)) = case.get("expect_other_files") {
        for (other, want) in others {
            let want = want.as_str().unwrap_or_default();
            let got = rendered.get(other).cloned().unwrap_or_default();
            if got.trim_end() != want.trim_end() {
                return Err(format!("{other} differs\n  want: {want:?}\n  got:  {got:?}"));
            }
        }
    }
    Ok(())
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// `helm template rel CHART --namespace ns FLAGS...` up to the engine's raw output.
fn render(chart_dir: &Path, flags: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut vo = ValueOptions::default();
    let mut release = ReleaseInfo::new("rel", "ns");
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        let (flag, inline) = match f.split_once('=') {
            Some((a, b)) if a.starts_with("--") => (a.to_string(), Some(b.to_string())),
            _ => (f.clone(), None),
        };
        let mut arg = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("flag {flag} needs a value"))
        };
        match flag.as_str() {
            "--set" => vo.values.push(arg()?),
            "--set-string" => vo.string_values.push(arg()?),
            "--set-json" => vo.json_values.push(arg()?),
            "--set-file" => vo.file_values.push(arg()?),
            "--set-literal" => vo.literal_values.push(arg()?),
            "-f" | "--values" => vo.value_files.push(PathBuf::from(arg()?)),
            "--api-versions" => release.api_versions.push(arg()?),
            "--kube-version" => release.kube_version = KubeVersion::parse(&arg()?)?,
            "--is-upgrade" => release.is_upgrade = true,
            other => return Err(format!("unsupported flag {other}")),
        }
    }
    let user = vo.merge_values().map_err(|e| e.to_string())?;
    let chart = chart_core::load(chart_dir).map_err(|e| e.to_string())?;
    let computed = chart_core::compute_values(&chart, &user, &Default::default())
        .map_err(|e| e.to_string())?;
    let rendered = render_chart(&computed, &release, &mut ExecOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(rendered.templates)
}

/// Prints the report; returns the number of failures.
#[allow(dead_code)]
pub fn report(outcomes: &[Outcome]) -> usize {
    let mut per_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let e = per_cat.entry(&o.category).or_default();
        if o.passed {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    for (cat, (p, f)) in &per_cat {
        println!("{cat:20} {p:4} passed {f:4} failed");
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed).collect();
    for o in &failed {
        println!("FAIL {} ({}): {}", o.id, o.category, o.detail);
    }
    let passed = outcomes.len() - failed.len();
    println!("{passed} passed, {} failed", failed.len());
    failed.len()
}

#[allow(dead_code)]
fn main() {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: conformance CASES_FILE");
        std::process::exit(2);
    };
    match run_file(Path::new(&file)) {
        Ok(outcomes) => {
            report(&outcomes);
        }
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}
