//! Feeds arbitrary object pairs (and a third, live object) to the release diff, the patch
//! computations and patch application; none may panic.

#![no_main]

use chart_core::Value;
use libfuzzer_sys::fuzz_target;
use release_diff::{
    DriftOptions, ParseOptions, PatchOptions, ReportOptions, apply_patch, detect_drift,
    diff_manifests, render_diff, three_way_patch, two_way_patch,
};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    // Up to three documents: original, modified, current. The kind is taken from the text, or
    // the first byte picks a built-in one so strategic merge metadata is exercised.
    let docs = release_diff::split_manifests(s);
    let kinds = ["apps/v1|Deployment", "v1|Service", "v1|ConfigMap", "example.com/v1|Widget"];
    let pick = kinds[data.first().map_or(0, |b| *b as usize) % kinds.len()];
    let (av, kind) = pick.split_once('|').unwrap_or(("v1", "ConfigMap"));
    let objs: Vec<Value> = docs
        .iter()
        .take(3)
        .map(|d| {
            let mut v = chart_core::yaml::yaml_to_json(d).unwrap_or(Value::Null);
            if let Value::Map(m) = &mut v {
                m.entry("apiVersion".into()).or_insert(Value::String(av.into()));
                m.entry("kind".into()).or_insert(Value::String(kind.into()));
            }
            v
        })
        .collect();
    let get = |i: usize| objs.get(i).cloned().unwrap_or(Value::Null);
    let (o, m, c) = (get(0), get(1), get(2));
    if let Ok(p) = three_way_patch(&o, &m, &c, &PatchOptions::default()) {
        let _ = apply_patch(&c, &p);
    }
    if let Ok(p) = two_way_patch(&o, &m) {
        let _ = apply_patch(&o, &p);
    }
    // The patch type comes from the objects; applying a document itself as a patch exercises
    // the directive handling with arbitrary input.
    if let Ok(p) = two_way_patch(&c, &c) {
        let mut p = p;
        p.patch = m.clone();
        let _ = apply_patch(&o, &p);
    }
    let _ = detect_drift(&o, &c, &DriftOptions::default());
    if let Some((a, b)) = s.split_once("\n===\n") {
        if let Ok(d) = diff_manifests(a, b, &ParseOptions::default()) {
            let mut r = ReportOptions::default();
            r.context = Some(3);
            let _ = render_diff(&d, &r);
            let _ = release_diff::render_json(&d, &r);
        }
    }
});
