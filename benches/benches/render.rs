//! Rendering real charts in-process (values already computed): the heaviest corpus charts, and
//! the whole corpus.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let dir = chartkit_benches::corpus_dir().join("charts");
    let mut charts: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    charts.sort();
    assert!(!charts.is_empty(), "corpus not found: set CHARTKIT_SHARED");
    let computed: Vec<_> = charts
        .iter()
        .map(|d| {
            let chart = chart_core::load(d).expect("corpus chart loads");
            let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (
                name,
                chart_core::compute_values(&chart, &Default::default(), &Default::default())
                    .expect("values"),
            )
        })
        .collect();
    let release = chart_render::ReleaseInfo::new("rel", "ns");
    let render = |v: &chart_core::ComputedValues| {
        let mut opts = chart_render::ExecOptions::default();
        chart_render::render_chart(v, &release, &mut opts)
    };
    for heavy in ["bitnami-contour", "bitnami-kube-prometheus", "ingress-nginx"] {
        if let Some((_, v)) = computed.iter().find(|(n, _)| n == heavy) {
            c.bench_function(&format!("render {heavy}"), |b| {
                b.iter(|| std::hint::black_box(render(v)))
            });
        }
    }
    c.bench_function("render the whole corpus", |b| {
        b.iter(|| {
            for (_, v) in &computed {
                let _ = std::hint::black_box(render(v));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
