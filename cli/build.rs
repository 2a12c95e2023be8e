//! Links the `chartkit` binary as a non-PIE executable on Linux: a position-dependent binary has
//! no relative relocations for the dynamic loader to apply at every start.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
