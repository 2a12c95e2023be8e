//! Properties of the engine over generated input: rendering never panics, and `toYaml` output
//! read back by chart-core's YAML reader gives the value that was written.

use chart_core::Value;
use chart_render::{ExecOptions, TemplateSet, Val};
use proptest::prelude::*;

/// Fragments real templates are made of, so generated text reaches deep into the parser and
/// evaluator rather than stopping at the first character.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{- ".to_string()),
        Just(" -}}".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("if ".to_string()),
        Just("else ".to_string()),
        Just("end".to_string()),
        Just("range ".to_string()),
        Just("with ".to_string()),
        Just("define \"t\"".to_string()),
        Just("template \"t\" .".to_string()),
        Just("include \"t\" .".to_string()),
        Just("tpl \"{{ . }}\" .".to_string()),
        Just("break".to_string()),
        Just("$x := ".to_string()),
        Just("$x".to_string()),
        Just("$".to_string()),
        Just(".".to_string()),
        Just(".Values.a".to_string()),
        Just(".a.b".to_string()),
        Just("| ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("nil".to_string()),
        Just("true".to_string()),
        Just("3".to_string()),
        Just("-1.5".to_string()),
        Just("\"s\"".to_string()),
        Just("`raw`".to_string()),
        Just("'c'".to_string()),
        Just("/* c */".to_string()),
        Just("eq ".to_string()),
        Just("and ".to_string()),
        Just("len ".to_string()),
        Just("index ".to_string()),
        Just("printf \"%v\" ".to_string()),
        Just("toYaml ".to_string()),
        Just("fromYaml ".to_string()),
        Just("required \"x\" ".to_string()),
        "[a-z$.|(){}\" -]{0,4}",
    ]
}

fn template_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// Values as YAML and JSON produce them (numbers are float64).
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e9f64..1e9).prop_map(|f| Value::Float((f * 100.0).round() / 100.0)),
        "[ -~\n]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("yes"),
            Just("on"),
            Just("~"),
            Just("012"),
            Just("1e3"),
            Just("- x"),
            Just("a: b"),
            Just("#c")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            proptest::collection::btree_map("[a-zA-Z0-9_ .-]{1,8}", inner, 0..5)
                .prop_map(Value::Map),
        ]
    })
}

fn limited() -> ExecOptions {
    let mut o = ExecOptions::default();
    o.limits.max_steps = 100_000;
    o.limits.max_output = 1 << 20;
    o.limits.max_depth = 100;
    o.limits.max_include_recursion = 20;
    o.random = Box::new(chart_render::funcs::SeededRandom(3));
    o
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn rendering_never_panics(text in template_text(), v in value()) {
        let mut set = TemplateSet::new();
        if set.parse("t0", &text).is_ok() {
            let mut data = chart_core::Map::new();
            data.insert("Values".into(), v);
            let _ = set.execute_with("t0", Val::from_value(&Value::Map(data)), &mut limited());
        }
    }

    #[test]
    fn to_yaml_reads_back_as_the_same_value(v in value()) {
        let mut set = TemplateSet::new();
        set.parse("t", "{{ toYaml . }}").expect("parses");
        let text = set.execute("t", Val::from_value(&v)).expect("renders");
        // toYaml trims the document's final newline (as Helm does), which a `|+` block at the
        // very end needs; put it back before reading.
        let back = chart_core::yaml::yaml_to_json(&(text + "\n")).expect("toYaml output is valid YAML");
        prop_assert_eq!(back, v.into_json_numbers());
    }
}
