//! `chartkit template` flags compared with the real helm 4.1.4 on the bundled example chart:
//! output directories, release naming, post-renderers, show-only.

use std::path::Path;
use std::process::{Command, Output};

mod support;
use support::{helm, repo, shared};

fn run(bin: &Path, args: &[&str], dir: &Path) -> Output {
    Command::new(bin).args(args).current_dir(dir).env("TZ", "UTC").output().expect("runs")
}

fn chartkit(args: &[&str], dir: &Path) -> Output {
    run(
        Path::new(env!("CARGO_BIN_EXE_chartkit")),
        &["template"].iter().chain(args).copied().collect::<Vec<_>>(),
        dir,
    )
}

fn helm_template(args: &[&str], dir: &Path) -> Output {
    run(helm(), &["template"].iter().chain(args).copied().collect::<Vec<_>>(), dir)
}

/// Same exit status, stdout and stderr (with the tmp dir names replaced).
fn assert_same(args: &[&str], dir: &Path) {
    let (c, h) = (chartkit(args, dir), helm_template(args, dir));
    let clean = |b: &[u8]| String::from_utf8_lossy(b).trim_end().to_string();
    assert_eq!(
        c.status.success(),
        h.status.success(),
        "exit status for {args:?}: {}",
        clean(&c.stderr)
    );
    assert_eq!(clean(&c.stdout), clean(&h.stdout), "stdout for {args:?}");
    assert_eq!(clean(&c.stderr), clean(&h.stderr), "stderr for {args:?}");
}

#[test]
fn naming_and_selection_flags_behave_like_helm() {
    let dir = repo().join("examples");
    for args in [
        &["hello"][..],
        &["r", "hello", "--set", "replicaCount=2"],
        &["-g", "hello"],
        &["r", "hello", "-g"],
        &["--name-template", "n{{ \"x\" | upper | lower }}", "hello"],
        &["r", "hello", "--name-template", "x"],
        &["Bad_Name", "hello"],
        &["a", "b", "c"],
        &["r", "hello", "--show-only", "templates/service.yaml"],
        &["r", "hello", "--show-only", "templates/*.yaml"],
        &["r", "hello", "--show-only", "templates/nope.yaml"],
    ] {
        assert_same(args, &dir);
    }
}

/// Errors while rendering read as helm's: execution errors inside `include`s (one block per
/// template), a function's own error as Go prints it, the chart's `kubeVersion` check against
/// `--kube-version` (parsed as Helm 4 parses it), and the hint helm adds to an error of
/// rendering.
#[test]
fn render_errors_and_kube_versions_read_like_helms() {
    let tmp = tempfile::tempdir().expect("tmp");
    let chart = tmp.path().join("errs");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    let chart_yaml = |kube: &str| {
        let line = if kube.is_empty() { String::new() } else { format!("kubeVersion: {kube:?}\n") };
        std::fs::write(
            chart.join("Chart.yaml"),
            format!("apiVersion: v2\nname: errs\nversion: 0.1.0\n{line}"),
        )
        .expect("write");
    };
    std::fs::write(
        chart.join("templates/_h.tpl"),
        concat!(
            r#"{{ define "h" }}{{ .Values.x.y }}{{ end }}"#,
            r#"{{ define "g" }}{{ include "h" . }}{{ end }}"#,
            r#"{{ define "e" }}{{ eq 1 "a" }}{{ end }}"#,
        ),
    )
    .expect("write");
    let body = chart.join("templates/b.yaml");
    let kube = concat!(
        r#"v: "{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Version }}|"#,
        r#"{{ .Capabilities.KubeVersion.Minor }}|{{ list .Capabilities.KubeVersion }}""#,
    );
    chart_yaml("");
    for text in [
        r#"{{ include "h" . }}"#,
        r#"{{ include "g" . | nindent 2 }}"#,
        r#"{{ include "e" . }}"#,
        r#"{{ include "missing" . }}"#,
        r#"{{ tpl "{{ include \"h\" . }}" . }}"#,
        r#"{{ template "missing" . }}"#,
        r#"{{ range seq 3 }}{{ end }}"#,
        r#"{{ index .Values "a" "b" }}"#,
        "a: b\n  c: d",
    ] {
        std::fs::write(&body, format!("v: {text}\n")).expect("write");
        assert_same(&["r", "errs"], tmp.path());
    }
    std::fs::write(&body, format!("{kube}\n")).expect("write");
    for k in ["1.20", "v1.20.3-rc.1", "1.30+", " 1.30", "1", "V1.2", "01.2", "1.2.3.4"] {
        assert_same(&["r", "errs", "--kube-version", k], tmp.path());
    }
    for (constraint, k) in [
        ("<1.20", "1.35"),
        ("<1.20", "1.19.0-rc.1"),
        (">=1.19.0-0", "1.18"),
        (">= 1.20.0, < 1.36", "1.36"),
        (">= 1.20.0, < 1.36", "1.35.1"),
        ("garbage", "1.30"),
    ] {
        chart_yaml(constraint);
        assert_same(&["r", "errs", "--kube-version", k], tmp.path());
    }
}

#[test]
fn output_dir_writes_the_files_helm_writes() {
    let ours = tempfile::tempdir().expect("tmp");
    let theirs = tempfile::tempdir().expect("tmp");
    let dir = repo().join("examples");
    let o = chartkit(
        &["r", "hello", "--output-dir", &ours.path().to_string_lossy(), "--release-name"],
        &dir,
    );
    let h = helm_template(
        &["r", "hello", "--output-dir", &theirs.path().to_string_lossy(), "--release-name"],
        &dir,
    );
    assert!(o.status.success() && h.status.success());
    let strip =
        |out: &[u8], p: &Path| String::from_utf8_lossy(out).replace(&*p.to_string_lossy(), "DIR");
    assert_eq!(strip(&o.stdout, ours.path()), strip(&h.stdout, theirs.path()));
    for f in ["r/hello/templates/service.yaml", "r/hello/templates/deployment.yaml"] {
        let a = std::fs::read_to_string(ours.path().join(f)).expect("written");
        let b = std::fs::read_to_string(theirs.path().join(f)).expect("written by helm");
        assert_eq!(a, b, "{f}");
    }
}

#[test]
fn post_renderer_receives_and_replaces_the_manifests() {
    let tmp = tempfile::tempdir().expect("tmp");
    let script = tmp.path().join("pr.sh");
    std::fs::write(&script, "#!/bin/sh\nsed 's/replicas: 1/replicas: 7/'\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let dir = repo().join("examples");
    let out = chartkit(&["r", "hello", "--post-renderer", &script.to_string_lossy()], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("replicas: 7"), "{text}");
    assert!(text.contains("# Source: hello/templates/deployment.yaml"), "{text}");
    let fail = chartkit(&["r", "hello", "--post-renderer", "/bin/false"], &dir);
    assert!(!fail.status.success());
    assert!(String::from_utf8_lossy(&fail.stderr).contains("error while running post render"));
}

/// chartkit turns library backtraces off for itself (`RUST_LIB_BACKTRACE=0`, unless set); the
/// post-renderer must still see the environment chartkit was started with.
#[test]
fn post_renderer_gets_the_callers_environment() {
    let tmp = tempfile::tempdir().expect("tmp");
    let script = tmp.path().join("env.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\ncat >/dev/null\nprintf 'kind: Env\\nlib: \"%s\"\\n' \"${RUST_LIB_BACKTRACE-unset}\"\n",
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let dir = repo().join("examples");
    let render = |lib: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartkit"));
        cmd.args(["template", "r", "hello", "--post-renderer", &script.to_string_lossy()])
            .current_dir(&dir);
        match lib {
            Some(v) => cmd.env("RUST_LIB_BACKTRACE", v),
            None => cmd.env_remove("RUST_LIB_BACKTRACE"),
        };
        let out = cmd.output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(render(None).contains("lib: \"unset\""), "{}", render(None));
    assert!(render(Some("1")).contains("lib: \"1\""), "{}", render(Some("1")));
}

/// Templates are parsed ahead of rendering and looked up by text; a parse error must still name
/// the file that fails, also when another file has the same text (helm reports the last one in
/// its order, with the action's start in that same file).
#[test]
fn parse_errors_name_the_failing_file_when_texts_repeat() {
    let tmp = std::env::temp_dir().join(format!("chartkit-parse-err-{}", std::process::id()));
    let chart = tmp.join("perr");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: perr\nversion: 0.1.0\n")
        .unwrap();
    for text in ["a: {{ .Values.x\n\n", "a: {{ .Values.x\n\n b", "ok: 1\nbad: {{ end }}\n"] {
        for f in ["a.yaml", "b.yaml", "c.yaml"] {
            std::fs::write(chart.join("templates").join(f), text).unwrap();
        }
        assert_same(&["rel", "perr"], &tmp);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// Schemas compile on their own thread while the chart loads; a value that breaks one still
/// stops the render, with helm's message.
#[test]
fn schema_violations_stop_the_render_like_helm() {
    let corpus = shared().join("corpus");
    let args = ["rel", "charts/bitnami-apache", "--set-string", "replicaCount=abc"];
    let (c, h) = (chartkit(&args, &corpus), helm_template(&args, &corpus));
    assert!(!c.status.success() && !h.status.success());
    assert!(c.stdout.is_empty(), "nothing is rendered");
    assert_eq!(String::from_utf8_lossy(&c.stderr), String::from_utf8_lossy(&h.stderr));
}

/// Each kind of schema violation is worded as Helm 4's validator (santhosh-tekuri/jsonschema v6)
/// words it. One violation (and one unexpected property) per case: helm orders several in Go
/// map order, which varies from run to run.
#[test]
fn schema_messages_read_like_helms() {
    let tmp = tempfile::tempdir().expect("tmp");
    let chart = tmp.path().join("sch");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: sch\nversion: 0.1.0\n")
        .expect("write");
    std::fs::write(chart.join("templates/a.yaml"), "x: 1\n").expect("write");
    let prop = |s: &str| format!(r#"{{"type":"object","properties":{{"a":{s}}}}}"#);
    let cases: Vec<(String, &str)> = vec![
        (prop(r#"{"type":"integer"}"#), "a: x"),
        (prop(r#"{"type":"integer"}"#), "a: 1.5"),
        (prop(r#"{"type":"string"}"#), "a: 1"),
        (prop(r#"{"type":["integer","string"]}"#), "a: true"),
        (prop(r#"{"type":"string"}"#), "a: null"),
        (r#"{"type":"object","required":["a"]}"#.into(), "b: 1"),
        (r#"{"type":"object","required":["a","c"]}"#.into(), "b: 1"),
        (prop(r#"{"enum":["x","y",1]}"#), "a: z"),
        (prop(r#"{"const":"x"}"#), "a: z"),
        (prop(r#"{"const":3}"#), "a: 4"),
        (prop(r#"{"minimum":3}"#), "a: 1"),
        (prop(r#"{"minimum":1.5}"#), "a: 1"),
        (prop(r#"{"maximum":3}"#), "a: 5"),
        (prop(r#"{"exclusiveMinimum":3}"#), "a: 3"),
        (prop(r#"{"exclusiveMaximum":3}"#), "a: 3"),
        (prop(r#"{"multipleOf":2}"#), "a: 3"),
        (prop(r#"{"minLength":3}"#), "a: ab"),
        (prop(r#"{"maxLength":1}"#), "a: ab"),
        (prop(r#"{"pattern":"^x+$"}"#), "a: ab"),
        (prop(r#"{"pattern":"^x+$"}"#), "a: \"it's\""),
        (r#"{"type":"object","additionalProperties":false,"properties":{"a":{}}}"#.into(), "b: 1"),
        (prop(r#"{"minItems":2}"#), "a: [1]"),
        (prop(r#"{"maxItems":1}"#), "a: [1, 2]"),
        (prop(r#"{"uniqueItems":true}"#), "a: [1, 1]"),
        (prop(r#"{"minProperties":2}"#), "a:\n  x: 1"),
        (prop(r#"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#), "a: true"),
        (prop(r#"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#), "a: true"),
        (prop(r#"{"oneOf":[{"type":"string"},{"minLength":1}]}"#), "a: xy"),
        (prop(r#"{"not":{"type":"string"}}"#), "a: xy"),
        (prop("false"), "a: 1"),
        (
            r##"{"type":"object","properties":{"a":{"$ref":"#/definitions/d"}},"definitions":{"d":{"type":"integer"}}}"##
                .into(),
            "a: x",
        ),
    ];
    for (schema, values) in &cases {
        std::fs::write(chart.join("values.schema.json"), schema).expect("write");
        std::fs::write(chart.join("values.yaml"), format!("{values}\n")).expect("write");
        let (c, h) =
            (chartkit(&["r", "sch"], tmp.path()), helm_template(&["r", "sch"], tmp.path()));
        assert!(!h.status.success(), "helm accepts {values:?} under {schema}");
        assert_eq!(
            String::from_utf8_lossy(&c.stderr),
            String::from_utf8_lossy(&h.stderr),
            "schema {schema}, values {values:?}"
        );
    }
}
