//! Links the `chartkit` binary as a non-PIE executable on Linux: a position-dependent binary has
//! no relative relocations for the dynamic loader to apply at every start.
//!
//! A fully static build (`-C target-feature=+crt-static`, as `scripts/build-release.sh` makes it)
//! gets its position-dependent code from `-C relocation-model=static` instead, which the script
//! passes too; adding `-no-pie` to a static link would clash with the static-PIE default.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let static_crt = std::env::var("CARGO_CFG_TARGET_FEATURE")
        .unwrap_or_default()
        .split(',')
        .any(|f| f == "crt-static");
    if target.contains("linux") && !static_crt {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
