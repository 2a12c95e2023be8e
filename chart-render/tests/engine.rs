//! The engine's library API: error reports, limits on hostile templates.

use chart_render::{ExecOptions, TemplateSet, Val};

fn data(yaml: &str) -> Val {
    Val::from_value(&chart_core::yaml::parse_values(yaml).expect("yaml"))
}

#[test]
fn errors_carry_location_context_and_the_include_chain() {
    let mut set = TemplateSet::new();
    set.parse("main.yaml", "a: 1\nb: {{ include \"inner\" . }}\n").expect("parses");
    set.parse("_h.tpl", "{{ define \"inner\" }}\n  x: {{ .Values.a.b }}{{ end }}").expect("parses");
    let err = set.execute("main.yaml", data("Values: {a: 3}")).expect_err("fails");
    // Helm 4: `nil pointer`-style messages name the failing field chain.
    assert_eq!(err.line, 2);
    assert_eq!(err.column, 6);
    assert!(err.to_string().starts_with("template: main.yaml:2:6: executing \"main.yaml\" at <include \"inner\" .>: error calling include: template: _h.tpl:2:15: executing \"inner\" at <.Values.a.b>: can't evaluate field b in type interface {}"), "{err}");
    assert_eq!(err.include_chain(), vec!["main.yaml", "inner"]);
    let report = format!("{err:#}");
    assert!(report.contains("--> _h.tpl:2:15"), "{report}");
    assert!(report.contains("2 |   x: {{ .Values.a.b }}"), "{report}");
    assert!(report.contains("included from main.yaml:2:6 (main.yaml)"), "{report}");
}

#[test]
fn fail_and_required_read_like_helm() {
    let mut set = TemplateSet::new();
    set.parse("t", "{{ include \"f\" . }}{{ define \"f\" }}{{ required \"need x\" .x }}{{ end }}")
        .expect("parses");
    let err = set.execute("t", data("{}")).expect_err("fails");
    assert_eq!(err.failure_message(), Some("need x"));
    assert_eq!(err.helm_message(), "execution error at (t:1:3): need x");
}

#[test]
fn runaway_recursion_ends_in_an_error() {
    let mut set = TemplateSet::new();
    set.parse("t", "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}")
        .expect("parses");
    let err = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || set.execute("t", Val::Nil).expect_err("fails").to_string())
        .expect("thread")
        .join()
        .expect("no panic");
    // Helm's include limit: the 1001st nested include of one name fails.
    assert!(err.ends_with("error calling include: rendering template has a nested reference name: r: unable to execute template"), "{}", &err[err.len().saturating_sub(300)..]);

    let mut set = TemplateSet::new();
    set.parse("t", "{{ define \"r\" }}x{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}")
        .expect("parses");
    let mut opts = ExecOptions::default();
    opts.limits.max_depth = 50;
    let err = set.execute_with("t", Val::Nil, &mut opts).expect_err("fails");
    assert!(err.message.contains("exceeded maximum template depth (50)"), "{err}");
}

#[test]
fn endless_loops_and_huge_output_are_bounded() {
    let mut set = TemplateSet::new();
    set.parse("t", "{{ range 1000000000 }}{{ range 1000000000 }}x{{ end }}{{ end }}")
        .expect("parses");
    let mut opts = ExecOptions::default();
    opts.limits.max_output = 1 << 16;
    let err = set.execute_with("t", Val::Nil, &mut opts).expect_err("fails");
    assert!(err.message.contains("exceeds the limit"), "{err}");

    let mut set = TemplateSet::new();
    set.parse("t", "{{ range 1000000000 }}{{ end }}").expect("parses");
    let mut opts = ExecOptions::default();
    opts.limits.max_steps = 10_000;
    let err = set.execute_with("t", Val::Nil, &mut opts).expect_err("fails");
    assert!(err.message.contains("steps"), "{err}");
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_stack_overflow() {
    let text = "{{ if true }}".repeat(100_000);
    let mut set = TemplateSet::new();
    let err = set.parse("t", &text).expect_err("refused");
    assert!(err.message.contains("nests deeper"), "{err}");
    let text = format!("{{{{ {}1{} }}}}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(TemplateSet::new().parse("t", &text).is_err());
}
