//! Loading every corpus chart (directory walk, .helmignore, YAML, Chart.yaml, subcharts), and
//! computing its values.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};

fn charts() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(chartkit_benches::corpus_dir().join("charts"))
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn bench(c: &mut Criterion) {
    let charts = charts();
    assert!(!charts.is_empty(), "corpus not found: set CHARTKIT_SHARED");
    c.bench_function("load all corpus charts", |b| {
        b.iter(|| {
            for dir in &charts {
                std::hint::black_box(chart_core::load(dir).expect("corpus chart loads"));
            }
        })
    });
    let loaded: Vec<_> =
        charts.iter().map(|d| chart_core::load(d).expect("corpus chart loads")).collect();
    c.bench_function("compute values of all corpus charts", |b| {
        b.iter(|| {
            for chart in &loaded {
                std::hint::black_box(
                    chart_core::compute_values(chart, &Default::default(), &Default::default())
                        .expect("values compute"),
                );
            }
        })
    });
    let big = std::fs::read_to_string(
        chartkit_benches::corpus_dir().join("charts/bitnami-kube-prometheus/values.yaml"),
    )
    .expect("values.yaml");
    c.bench_function("parse kube-prometheus values.yaml", |b| {
        b.iter(|| std::hint::black_box(chart_core::yaml::parse_values(&big).expect("parses")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
