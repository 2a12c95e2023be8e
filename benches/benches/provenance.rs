//! Signing and verifying 100 chart archives in-process with the TEST-ONLY keys of
//! `../shared/provenance-fixtures` (RSA-3072 and Ed25519): the corpus charts are packaged once,
//! then signed and verified in a cycle until 100 signatures are made and checked.
#![allow(missing_docs)]

use chart_provenance::{Keyring, SignOptions, sign_archive, verify};
use criterion::{Criterion, criterion_group, criterion_main};

fn archives() -> Vec<(String, Vec<u8>)> {
    let dir = chartkit_benches::corpus_dir().join("charts");
    let mut charts: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    charts.sort();
    assert!(!charts.is_empty(), "corpus not found: set CHARTKIT_SHARED");
    let out: Vec<_> = charts
        .iter()
        .filter_map(|d| {
            let chart = chart_core::load(d).ok()?;
            let mut bytes = Vec::new();
            chart_core::package::write_archive(&chart, &mut bytes).ok()?;
            Some((chart_core::package::archive_file_name(&chart), bytes))
        })
        .collect();
    (0..100).map(|i| out[i % out.len()].clone()).collect()
}

fn bench(c: &mut Criterion) {
    let keys = chartkit_benches::corpus_dir().join("../provenance-fixtures/TEST-ONLY-KEYS");
    let secring = Keyring::from_file(keys.join("secring.gpg")).expect("secring");
    let pubring = Keyring::from_file(keys.join("pubring.gpg")).expect("pubring");
    let archives = archives();
    let mut group = c.benchmark_group("provenance");
    group.sample_size(10);
    for (label, uid) in [("rsa3072", "Chartkit Test RSA"), ("ed25519", "Chartkit Test Ed25519")] {
        let key = secring.signing_key(uid).expect("key");
        let opts = SignOptions::default();
        let signed: Vec<String> =
            archives.iter().map(|(n, a)| sign_archive(a, n, &key, &opts).expect("signs")).collect();
        group.bench_function(format!("sign 100 charts ({label})"), |b| {
            b.iter(|| {
                for (name, archive) in &archives {
                    std::hint::black_box(sign_archive(archive, name, &key, &opts).expect("signs"));
                }
            })
        });
        group.bench_function(format!("verify 100 charts ({label})"), |b| {
            b.iter(|| {
                for ((name, archive), prov) in archives.iter().zip(&signed) {
                    std::hint::black_box(
                        verify(archive, prov.as_bytes(), name, &pubring).expect("verifies"),
                    );
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
