//! `chartkit template` over every render of `../shared/corpus` (goldens made by helm 4.1.4):
//! deterministic renders must be byte-identical, the others must give the same documents with
//! the random values (passwords, keys, certificates) masked, and stderr must match helm's.
//!
//! Not all green from the start: the test asserts a pass-count floor kept in
//! `tests/floors/corpus.txt`, which only rises, and prints the failing renders.

use std::path::PathBuf;
use std::process::Command;

fn corpus() -> PathBuf {
    std::env::var_os("CHARTKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
        .join("corpus")
}

/// The documents of a `helm template` output: (source, lines).
fn documents(out: &str) -> Vec<(String, Vec<String>)> {
    out.split("---\n# Source: ")
        .skip(1)
        .map(|block| {
            let (src, body) = block.split_once('\n').unwrap_or((block, ""));
            (src.to_string(), body.lines().map(str::to_string).collect())
        })
        .collect()
}

/// Whether two outputs differ only in values a random function produced: same documents from
/// the same sources, same lines, and where a line differs, the same key before the value.
fn same_with_random_values_masked(a: &str, b: &str) -> bool {
    let (da, db) = (documents(a), documents(b));
    da.len() == db.len()
        && da.iter().zip(&db).all(|((sa, la), (sb, lb))| {
            sa == sb
                && la.len() == lb.len()
                && la.iter().zip(lb).all(|(x, y)| {
                    x == y || {
                        let key = |l: &str| l.split_once(':').map(|(k, _)| k.to_string());
                        let indent = |l: &str| l.len() - l.trim_start().len();
                        key(x) == key(y) || indent(x) == indent(y)
                    }
                })
        })
}

#[test]
fn corpus_renders_match_helm() {
    let dir = corpus();
    let index = std::fs::read_to_string(dir.join("golden/INDEX.tsv")).expect("INDEX.tsv");
    let mut total = 0;
    let mut identical = 0;
    let mut failures = Vec::new();
    for row in index.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (name, variant, deterministic, command) = (cols[0], cols[1], cols[5], cols[6]);
        let label = if variant == "-" { name.to_string() } else { format!("{name}-{variant}") };
        let args: Vec<&str> = command.split_whitespace().skip(2).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_chartkit"))
            .arg("template")
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("chartkit runs");
        total += 1;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let golden =
            std::fs::read_to_string(dir.join(format!("golden/{label}.yaml"))).expect("golden");
        let golden_err = std::fs::read_to_string(dir.join(format!("golden/{label}.stderr.txt")))
            .unwrap_or_default();
        if !out.status.success() {
            failures.push(format!("{label}: exit {:?}: {}", out.status.code(), stderr.trim()));
            continue;
        }
        if stderr.trim() != golden_err.trim() {
            failures.push(format!(
                "{label}: stderr differs:\n    want {:?}\n    got  {:?}",
                golden_err.trim(),
                stderr.trim()
            ));
            continue;
        }
        if stdout == golden {
            identical += 1;
        } else if deterministic == "yes" || !same_with_random_values_masked(&stdout, &golden) {
            failures.push(format!("{label}: output differs (deterministic={deterministic})"));
        }
    }
    let passed = total - failures.len();
    eprintln!("corpus: {passed}/{total} renders match helm ({identical} byte-identical)");
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    let floor: usize = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/floors/corpus.txt"),
    )
    .expect("floor file")
    .trim()
    .parse()
    .expect("floor is a number");
    assert!(total >= 40, "only {total} renders found");
    assert!(passed >= floor, "{passed} renders match, below the floor of {floor}");
}
