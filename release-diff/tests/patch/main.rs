//! Three-way and two-way patches checked against the real `kubectl patch --local` (v1.35, put
//! beside helm by `shared/oracle/get-helm.sh 4`): for each scenario in `scenarios/`, the patch
//! we compute is applied by kubectl and by us, and both results must agree and hold the new
//! manifest. Scenario inputs are ours; every expected result comes from kubectl at test time.

mod props;

use std::path::{Path, PathBuf};
use std::process::Command;

use chart_core::Value;
use release_diff::{PatchOptions, apply_patch, three_way_patch, two_way_patch};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shared() -> PathBuf {
    std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared"))
}

/// The real kubectl, fetched with helm by `shared/oracle/get-helm.sh 4` into
/// `$CHARTKIT_HELM_CACHE`.
fn kubectl() -> PathBuf {
    let cache = std::env::var_os("CHARTKIT_HELM_CACHE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into()))
            .join(".cache/chartkit/helm-v4")
    });
    let k = cache.join("kubectl");
    if !k.exists() {
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
    }
    k
}

fn kubectl_patch(kubectl: &Path, object: &Value, patch: &Value, ty: &str) -> Result<Value, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("object.json");
    std::fs::write(&file, object.to_json(false).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let out = Command::new(kubectl)
        .args(["patch", "--local", "-f"])
        .arg(&file)
        .args(["--type", ty, "-p", &patch.to_json(false).map_err(|e| e.to_string())?, "-o", "json"])
        .env("KUBECONFIG", "/dev/null")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    Ok(Value::from_json(v))
}

/// Whether every field `want` sets is in `have` with the same value (lists item by item, in
/// order for items `want` has).
fn contains(have: &Value, want: &Value) -> bool {
    match (have, want) {
        (Value::Map(h), Value::Map(w)) => {
            w.iter().all(|(k, v)| h.get(k).is_some_and(|x| contains(x, v)))
        }
        (Value::List(h), Value::List(w)) => {
            let mut it = h.iter();
            w.iter().all(|x| it.any(|y| contains(y, x)))
        }
        _ => have == want,
    }
}

fn check(kubectl: &Path, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let doc = chart_core::yaml::yaml_to_json(&text).map_err(|e| e.to_string())?;
    let get = |k: &str| doc.get(k).cloned().ok_or(format!("scenario has no {k}"));
    let (original, modified, current) = (get("original")?, get("modified")?, get("current")?);

    // Three-way.
    let p = three_way_patch(&original, &modified, &current, &PatchOptions::default())
        .map_err(|e| format!("three-way patch: {e}"))?;
    let ours = apply_patch(&current, &p).map_err(|e| format!("apply: {e}"))?;
    let theirs =
        kubectl_patch(kubectl, &current, &p.patch, p.patch_type.as_str()).map_err(|e| {
            format!(
                "kubectl rejected our three-way patch {}: {e}",
                p.patch.to_json(false).unwrap_or_default()
            )
        })?;
    if ours != theirs {
        return Err(format!(
            "three-way: our result differs from kubectl's\npatch: {}\nours:   {}\nkubectl: {}",
            p.patch.to_json(false).unwrap_or_default(),
            ours.to_json(false).unwrap_or_default(),
            theirs.to_json(false).unwrap_or_default()
        ));
    }
    if !contains(&theirs, &modified) {
        return Err(format!(
            "three-way: kubectl's result does not hold the modified object\npatch: {}\nresult: {}",
            p.patch.to_json(false).unwrap_or_default(),
            theirs.to_json(false).unwrap_or_default()
        ));
    }

    // Two-way: original -> modified.
    let p2 = two_way_patch(&original, &modified).map_err(|e| format!("two-way patch: {e}"))?;
    let ours2 = apply_patch(&original, &p2).map_err(|e| format!("apply two-way: {e}"))?;
    let theirs2 = kubectl_patch(kubectl, &original, &p2.patch, p2.patch_type.as_str())
        .map_err(|e| format!("kubectl rejected our two-way patch: {e}"))?;
    if ours2 != theirs2 {
        return Err(format!(
            "two-way: ours {} kubectl {}",
            ours2.to_json(false).unwrap_or_default(),
            theirs2.to_json(false).unwrap_or_default()
        ));
    }
    if !contains(&theirs2, &modified) || !contains(&modified, &theirs2) {
        return Err(format!(
            "two-way: kubectl's result is not the modified object: {}",
            theirs2.to_json(false).unwrap_or_default()
        ));
    }
    Ok(())
}

#[test]
fn scenarios_agree_with_kubectl() {
    let kubectl = kubectl();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/patch/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let floor: usize = std::fs::read_to_string(dir.join("../floor.txt"))
        .expect("floor.txt")
        .trim()
        .parse()
        .expect("floor is a number");
    let mut passed = 0;
    let mut failed = Vec::new();
    for f in &files {
        let id = f.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        match check(&kubectl, f) {
            Ok(()) => passed += 1,
            Err(e) => {
                eprintln!("FAIL {id}: {e}\n");
                failed.push(id);
            }
        }
    }
    eprintln!("kubectl scenarios: {passed}/{} agree; failing: {failed:?}", files.len());
    assert!(files.len() >= 18, "expected at least 18 scenarios, found {}", files.len());
    assert!(
        passed >= floor,
        "{passed} scenarios agree with kubectl, below the floor of {floor}; failing: {failed:?}"
    );
}
