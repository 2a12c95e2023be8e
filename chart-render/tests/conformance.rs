//! The template conformance suite of `../shared/conformance/template-cases.yaml` (expected outputs
//! made by the real Helm 4.1.4), run through the same runner as the `conformance` example.
//!
//! Not yet all green: the test asserts the pass count never falls below the floor kept in
//! `tests/floors/conformance.txt` (which only ever rises) and prints the failing ids.

#[path = "../examples/conformance.rs"]
mod runner;

use std::path::PathBuf;

fn shared_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

#[test]
fn conformance_cases_pass_above_the_floor() {
    let file = shared_dir().join("conformance/template-cases.yaml");
    let outcomes = runner::run_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let failed = runner::report(&outcomes);
    let passed = outcomes.len() - failed;
    let floor: usize = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/floors/conformance.txt"),
    )
    .expect("floor file")
    .trim()
    .parse()
    .expect("floor is a number");
    assert!(outcomes.len() > 400, "only {} cases found", outcomes.len());
    assert!(passed >= floor, "{passed} cases passed, below the floor of {floor}");
}
