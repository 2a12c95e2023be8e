//! Parses and renders arbitrary templates against arbitrary values: must never panic, hang or
//! exhaust memory (the engine's limits turn runaway templates into errors).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The part after the first NUL byte is the values document.
    let (template, values) = text.split_once('\0').unwrap_or((&text, ""));
    let values = chart_core::yaml::parse_values(values).unwrap_or_default();
    let mut set = chart_render::TemplateSet::new();
    if set.parse("fuzz", template).is_err() {
        return;
    }
    let mut opts = chart_render::ExecOptions::default();
    opts.limits.max_steps = 200_000;
    opts.limits.max_output = 1 << 20;
    opts.limits.max_depth = 200;
    opts.limits.max_include_recursion = 50;
    opts.random = Box::new(chart_render::funcs::SeededRandom(7));
    let data = chart_render::Val::from_value(&values);
    let _ = set.execute_with("fuzz", data, &mut opts);
});
