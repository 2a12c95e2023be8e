//! Feeds arbitrary UTF-8 to every `--set` family parser; none may panic, overflow the stack or
//! allocate without bound.

#![no_main]

use chart_core::values::{
    ValueOptions, parse_set, parse_set_file, parse_set_json, parse_set_literal, parse_set_string,
};
use chart_core::{Map, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };

    // Each parser on its own, then all of them into one map (kinds collide).
    let mut shared = Map::new();
    for parse in [parse_set, parse_set_string, parse_set_json, parse_set_literal] {
        let _ = parse(s, &mut Map::new());
        let _ = parse(s, &mut shared);
    }
    let mut read = |p: &str| Ok(Value::String(p.to_owned()));
    let _ = parse_set_file(s, &mut Map::new(), &mut read);
    let _ = parse_set_file(s, &mut shared, &mut read);
    let _ = Value::Map(shared).to_json(true);

    // The command-line order, without touching the file system.
    let mut opts = ValueOptions::default();
    opts.json_values.push(s.to_owned());
    opts.values.push(s.to_owned());
    opts.string_values.push(s.to_owned());
    opts.file_values.push(s.to_owned());
    opts.literal_values.push(s.to_owned());
    let mut fixture = |p: &str| Ok(p.as_bytes().to_vec());
    let _ = opts.merge_values_with(&mut fixture);
});
