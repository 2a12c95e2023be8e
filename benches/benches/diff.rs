//! Three-way strategic merge patches for 1,000 Deployments, and a release diff of two renders of
//! the largest corpus chart.
#![allow(missing_docs)]

use chart_core::Value;
use criterion::{Criterion, criterion_group, criterion_main};
use release_diff::{ParseOptions, PatchOptions, ReportOptions, three_way_patch};

fn deployment(i: usize, image: &str, live: bool) -> Value {
    let sidecar = if live { ", {name: istio-proxy, image: envoy, args: [proxy]}" } else { "" };
    let status = if live { "status: {replicas: 3, readyReplicas: 3}\n" } else { "" };
    let uid = if live { ", uid: \"u-1\", resourceVersion: \"42\"" } else { "" };
    let text = format!(
        "apiVersion: apps/v1\nkind: Deployment\n\
         metadata: {{name: web-{i}, namespace: prod, labels: {{app: web-{i}, tier: fe}}{uid}}}\n\
         spec:\n  replicas: 3\n  selector: {{matchLabels: {{app: web-{i}}}}}\n\
         \x20 strategy: {{type: RollingUpdate, rollingUpdate: {{maxSurge: 1}}}}\n\
         \x20 template:\n    metadata: {{labels: {{app: web-{i}}}}}\n    spec:\n\
         \x20     containers: [{{name: app, image: \"{image}\", ports: [{{containerPort: 8080, name: http}}], \
         env: [{{name: A, value: \"1\"}}, {{name: B, value: \"{i}\"}}], \
         volumeMounts: [{{name: cfg, mountPath: /etc/cfg}}]}}{sidecar}]\n\
         \x20     volumes: [{{name: cfg, configMap: {{name: cfg-{i}}}}}]\n{status}"
    );
    chart_core::yaml::yaml_to_json(&text).expect("bench object parses")
}

fn bench(c: &mut Criterion) {
    let triples: Vec<(Value, Value, Value)> = (0..1000)
        .map(|i| {
            (
                deployment(i, "app:1", false),
                deployment(i, "app:2", false),
                deployment(i, "app:1", true),
            )
        })
        .collect();
    let opts = PatchOptions::default();
    c.bench_function("three-way strategic patches for 1000 Deployments", |b| {
        b.iter(|| {
            for (o, m, cur) in &triples {
                std::hint::black_box(three_way_patch(o, m, cur, &opts).expect("patch"));
            }
        })
    });

    // The largest golden render, against itself with every replica count and image tag changed.
    let golden = chartkit_benches::corpus_dir().join("golden");
    let largest = std::fs::read_dir(&golden)
        .expect("corpus golden renders (set CHARTKIT_SHARED)")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .max_by_key(|p| p.metadata().map(|m| m.len()).unwrap_or(0))
        .expect("a golden render");
    let old = std::fs::read_to_string(&largest).expect("golden render");
    let new = old
        .replace("replicas: 1", "replicas: 2")
        .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Always");
    let parse = ParseOptions::with_namespace("ns");
    let name = format!(
        "diff two renders of {}",
        largest.file_name().unwrap_or_default().to_string_lossy()
    );
    c.bench_function(&name, |b| {
        b.iter(|| {
            let d = release_diff::diff_manifests(&old, &new, &parse).expect("renders parse");
            std::hint::black_box(release_diff::render_diff(&d, &ReportOptions::default()))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
