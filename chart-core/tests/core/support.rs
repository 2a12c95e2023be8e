//! Helpers shared by the suites: where the shared data is, and the real helm.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The `shared` folder beside the repository (or `$CHARTKIT_SHARED`).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// Reads a pass-count floor kept in `tests/floors/<name>.txt`.
pub fn floor(name: &str) -> usize {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/floors").join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.trim().parse().unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Asserts a data-driven suite's result against its floor, printing the failing ids.
pub fn check_floor(name: &str, total: usize, failures: &[String]) {
    let passed = total - failures.len();
    eprintln!("{name}: {passed}/{total} passed");
    for f in failures {
        eprintln!("  FAIL {f}");
    }
    let floor = floor(name);
    assert!(passed >= floor, "{name}: {passed} passed, below the floor of {floor}");
    assert!(total > 0, "{name}: no cases ran");
}

/// The real helm v4 binary, fetched once with `shared/oracle/get-helm.sh 4` into
/// `$CHARTKIT_HELM_CACHE` (default `~/.cache/chartkit/helm-v4`).
pub fn helm() -> &'static Path {
    static HELM: OnceLock<PathBuf> = OnceLock::new();
    HELM.get_or_init(|| {
        let cache =
            std::env::var_os("CHARTKIT_HELM_CACHE").map(PathBuf::from).unwrap_or_else(|| {
                let home =
                    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| "/tmp".into());
                home.join(".cache/chartkit/helm-v4")
            });
        let script = shared_dir().join("oracle/get-helm.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg("4")
            .arg(&cache)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "get-helm.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cache.join("helm")
    })
}
