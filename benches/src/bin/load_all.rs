//! Loads every chart given on the command line in one process and prints how many loaded and
//! how long it took; used by `scripts/compare-load.py` against `helm show chart`.

use std::time::Instant;

fn main() {
    let start = Instant::now();
    let mut ok = 0;
    for path in std::env::args().skip(1) {
        match chart_core::load(&path) {
            Ok(_) => ok += 1,
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
    println!("loaded {ok} charts in {:.3} ms", start.elapsed().as_secs_f64() * 1e3);
}
