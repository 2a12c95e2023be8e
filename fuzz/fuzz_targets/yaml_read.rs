//! Fuzzes the YAML reader: any text must give a value or an error, never a panic or a hang; and
//! the fast block-YAML reader must never answer differently from the full one.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = chart_core::yaml::parse_values(s);
        let _ = chart_core::yaml::parse_document(s);
        if let Err(e) = chart_core::yaml::fast_reader_disagreement(s) {
            panic!("{e}");
        }
    }
});
