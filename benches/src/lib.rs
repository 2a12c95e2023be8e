//! Benchmarks for chartkit live in `benches/`; this library only locates the shared corpus.

use std::path::PathBuf;

/// The `../shared/corpus` folder beside the repository, or `CHARTKIT_SHARED`/corpus if set.
pub fn corpus_dir() -> PathBuf {
    let shared = std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("corpus")
}
