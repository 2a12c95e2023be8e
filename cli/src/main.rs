//! `chartkit`: Helm's chart toolchain as a fast Rust binary.

fn main() {
    println!("chartkit");
}
