//! Helpers the CLI suites share: where the repository and the shared data are, and the real helm.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `shared` folder beside the repository (or `$CHARTKIT_SHARED`).
pub fn shared() -> PathBuf {
    std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"))
}

/// The real helm, fetched once with `shared/oracle/get-helm.sh 4` into `$CHARTKIT_HELM_CACHE`.
pub fn helm() -> &'static Path {
    static HELM: OnceLock<PathBuf> = OnceLock::new();
    HELM.get_or_init(|| {
        let cache =
            std::env::var_os("CHARTKIT_HELM_CACHE").map(PathBuf::from).unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into()))
                    .join(".cache/chartkit/helm-v4")
            });
        let out = Command::new("bash")
            .arg(shared().join("oracle/get-helm.sh"))
            .arg("4")
            .arg(&cache)
            .output()
            .expect("get-helm.sh runs");
        assert!(
            out.status.success(),
            "get-helm.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cache.join("helm")
    })
}
