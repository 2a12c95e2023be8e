//! `.hbs` templates rendered by the handlebars engine through `render_chart`.
//!
//! Expected outputs come from real helm 4.1.4: each handlebars chart here has a twin written in Go
//! templates (kept below, with the same file names, which helm renders as Go templates) and
//! `helm template rel CHART --namespace ns` printed the expected text for the twin.

use chart_core::chart::Chart;
use chart_core::load::BufferedFile;
use chart_render::hbs::{HbsError, HbsErrorKind};
use chart_render::manifest::{OutputOptions, template_output};
use chart_render::{ExecOptions, ReleaseInfo, RenderError, Rendered, render_chart};

fn chart(files: &[(&str, &str)]) -> Chart {
    let files = files
        .iter()
        .map(|(name, data)| BufferedFile { name: name.to_string(), data: data.as_bytes().to_vec() })
        .collect();
    chart_core::chart::from_files(files, &Default::default()).expect("chart loads")
}

fn render_with(
    files: &[(&str, &str)],
    opts: &mut ExecOptions,
) -> (Chart, Result<Rendered, RenderError>) {
    let values =
        chart_core::compute_values(&chart(files), &Default::default(), &Default::default())
            .expect("values");
    let out = render_chart(&values, &ReleaseInfo::new("rel", "ns"), opts);
    (values.chart, out)
}

/// What `helm template rel CHART --namespace ns` prints.
fn template(files: &[(&str, &str)]) -> String {
    let (chart, rendered) = render_with(files, &mut ExecOptions::default());
    let rendered = rendered.unwrap_or_else(|e| panic!("renders: {e:#}"));
    template_output(&rendered.templates, &chart, &OutputOptions::default()).expect("output")
}

fn hbs_error(files: &[(&str, &str)]) -> HbsError {
    match render_with(files, &mut ExecOptions::default()).1 {
        Err(RenderError::Handlebars(e)) => e,
        other => panic!("expected a handlebars error, got {other:?}"),
    }
}

/// A chart with a subchart (its own partial named like the parent's) and a library chart.
const CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        r#"apiVersion: v2
name: hb
version: 0.1.0
appVersion: "1.0"
"#,
    ),
    (
        "values.yaml",
        r#"name: Demo App
port: 8080
ratio: 0.5
big: 1000000
replicas: 2
labels:
  tier: front
  team: core
resources:
  limits:
    cpu: 100m
    memory: 64Mi
list: [one, two]
empty: ""
secret: s3cr3t
padded: "  spaced  "
global:
  region: eu
sub:
  greeting: hello from parent
"#,
    ),
    (
        "files/app.ini",
        r#"[server]
port = 8080
"#,
    ),
    (
        "templates/_labels.hbs",
        r#"app.kubernetes.io/name: {{Chart.Name}}
app.kubernetes.io/instance: {{Release.Name}}
{{toYaml Values.labels}}
"#,
    ),
    (
        "templates/cm.yaml.hbs",
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{Release.Name}}-{{Chart.Name}}
  namespace: {{Release.Namespace}}
  labels:
    {{> labels}}
data:
  name: {{quote Values.name}}
  upper: {{upper Values.name}}
  lower: {{lower Values.name}}
  trimmed: {{quote (trim Values.padded)}}
  port: {{quote Values.port}}
  ratio: {{quote Values.ratio}}
  big: {{quote Values.big}}
  image: {{default "nginx" Values.image}}
  emptyDefault: {{default "fallback" Values.empty}}
  secret: {{b64enc Values.secret}}
  required: {{required "name is required" Values.name}}
  json: {{quote (toJson Values.labels)}}
  list: {{toJson Values.list}}
  revision: {{quote Release.Revision}}
  install: {{quote Release.IsInstall}}
  kube: {{quote Capabilities.KubeVersion.Version}}
  appVersion: {{quote Chart.AppVersion}}
  region: {{Values.global.region}}
  {{#each Values.list}}
  item{{@index}}: {{upper this}}
  {{/each}}
  app.ini: |
{{indent 4 (lookup Files "files/app.ini")}}
"#,
    ),
    (
        "templates/deploy.yaml.hbs",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{Release.Name}}
  labels:
    {{> labels}}
    {{> common}}
spec:
  replicas: {{Values.replicas}}
  selector:
    matchLabels:{{nindent 6 (trim (include "labels" this))}}
  template:
    spec:
      containers:
        - name: app
          resources:{{nindent 12 (toYaml Values.resources)}}
"#,
    ),
    (
        "charts/sub/Chart.yaml",
        r#"apiVersion: v2
name: sub
version: 0.2.0
"#,
    ),
    (
        "charts/sub/values.yaml",
        r#"greeting: hi
port: 9090
"#,
    ),
    (
        "charts/sub/templates/_labels.hbs",
        r#"app: {{Chart.Name}}
"#,
    ),
    (
        "charts/sub/templates/svc.yaml.hbs",
        r#"apiVersion: v1
kind: Service
metadata:
  name: {{Release.Name}}-{{Chart.Name}}
  labels:
    {{> labels}}
spec:
  ports:
    - port: {{Values.port}}
  greeting: {{quote Values.greeting}}
  region: {{Values.global.region}}
  parentName: {{default "none" Values.name}}
"#,
    ),
    (
        "charts/lib/Chart.yaml",
        r#"apiVersion: v2
name: lib
version: 1.0.0
type: library
"#,
    ),
    (
        "charts/lib/templates/_common.hbs",
        r#"managed-by: {{Release.Service}}
chart: {{Chart.Name}}-{{Chart.Version}}
"#,
    ),
];

/// The Go-template twin of [`CHART`]'s templates (its other files are the same).
const GO_TWIN: &[(&str, &str)] = &[
    (
        "templates/_labels.hbs",
        r#"{{ define "labels" }}app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ toYaml .Values.labels }}
{{ end }}"#,
    ),
    (
        "templates/cm.yaml.hbs",
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "labels" . | trim | nindent 4 }}
data:
  name: {{ quote .Values.name }}
  upper: {{ upper .Values.name }}
  lower: {{ lower .Values.name }}
  trimmed: {{ quote (trim .Values.padded) }}
  port: {{ quote .Values.port }}
  ratio: {{ quote .Values.ratio }}
  big: {{ quote .Values.big }}
  image: {{ default "nginx" .Values.image }}
  emptyDefault: {{ default "fallback" .Values.empty }}
  secret: {{ b64enc .Values.secret }}
  required: {{ required "name is required" .Values.name }}
  json: {{ quote (toJson .Values.labels) }}
  list: {{ toJson .Values.list }}
  revision: {{ quote .Release.Revision }}
  install: {{ quote .Release.IsInstall }}
  kube: {{ quote .Capabilities.KubeVersion.Version }}
  appVersion: {{ quote .Chart.AppVersion }}
  region: {{ .Values.global.region }}
  {{- range $i, $e := .Values.list }}
  item{{ $i }}: {{ upper $e }}
  {{- end }}
  app.ini: |
{{ indent 4 (.Files.Get "files/app.ini") }}
"#,
    ),
    (
        "templates/deploy.yaml.hbs",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "labels" . | trim | nindent 4 }}
    {{- include "common" . | trim | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:{{ nindent 6 (trim (include "labels" .)) }}
  template:
    spec:
      containers:
        - name: app
          resources:{{ nindent 12 (toYaml .Values.resources) }}
"#,
    ),
    (
        "charts/sub/templates/_labels.hbs",
        r#"{{ define "sub.labels" }}app: {{ .Chart.Name }}
{{ end }}"#,
    ),
    (
        "charts/sub/templates/svc.yaml.hbs",
        r#"apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
  labels:
    {{- include "sub.labels" . | trim | nindent 4 }}
spec:
  ports:
    - port: {{ .Values.port }}
  greeting: {{ quote .Values.greeting }}
  region: {{ .Values.global.region }}
  parentName: {{ default "none" .Values.name }}
"#,
    ),
    (
        "charts/lib/templates/_common.hbs",
        r#"{{ define "common" }}managed-by: {{ .Release.Service }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{ end }}"#,
    ),
];

/// `helm template rel TWIN --namespace ns`.
const HELM_OUTPUT: &str = r#"---
# Source: hb/templates/cm.yaml.hbs
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-hb
  namespace: ns
  labels:
    app.kubernetes.io/name: hb
    app.kubernetes.io/instance: rel
    team: core
    tier: front
data:
  name: "Demo App"
  upper: DEMO APP
  lower: demo app
  trimmed: "spaced"
  port: "8080"
  ratio: "0.5"
  big: "1e+06"
  image: nginx
  emptyDefault: fallback
  secret: czNjcjN0
  required: Demo App
  json: "{\"team\":\"core\",\"tier\":\"front\"}"
  list: ["one","two"]
  revision: "1"
  install: "true"
  kube: "v1.35.0"
  appVersion: "1.0"
  region: eu
  item0: ONE
  item1: TWO
  app.ini: |
    [server]
    port = 8080
---
# Source: hb/charts/sub/templates/svc.yaml.hbs
apiVersion: v1
kind: Service
metadata:
  name: rel-sub
  labels:
    app: sub
spec:
  ports:
    - port: 9090
  greeting: "hello from parent"
  region: eu
  parentName: none
---
# Source: hb/templates/deploy.yaml.hbs
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rel
  labels:
    app.kubernetes.io/name: hb
    app.kubernetes.io/instance: rel
    team: core
    tier: front
    managed-by: Helm
    chart: hb-0.1.0
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: hb
      app.kubernetes.io/instance: rel
      team: core
      tier: front
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:
              cpu: 100m
              memory: 64Mi
"#;

#[test]
fn a_chart_renders_what_helm_renders_for_its_go_template_twin() {
    // Every helper (toYaml, toJson, indent, nindent, quote, default, include, upper, lower, trim,
    // b64enc, required), partials with `{{> name}}` and `include`, `each`, `Files`, `Capabilities`,
    // and a subchart's scope: its own Values (parent overrides, globals), its own Chart, its own
    // `labels` partial; the library chart's partial serves the parent.
    assert_eq!(template(CHART), HELM_OUTPUT);
}

#[test]
fn the_go_twin_renders_the_same_in_the_go_engine() {
    // The twin's templates renamed so that they are Go templates for chartkit too.
    let renamed: Vec<(String, String)> = CHART
        .iter()
        .filter(|(name, _)| !name.ends_with(".hbs"))
        .chain(GO_TWIN)
        .map(|(name, data)| {
            (name.replace(".hbs", ".tpl").replace(".yaml.tpl", ".yaml"), data.to_string())
        })
        .collect();
    let files: Vec<(&str, &str)> = renamed.iter().map(|(n, d)| (n.as_str(), d.as_str())).collect();
    assert_eq!(template(&files), HELM_OUTPUT.replace(".yaml.hbs", ".yaml"));
}

#[test]
fn values_print_as_the_same_go_template_expression_prints_them() {
    // The twin is the same file with `{{ .Values.big }}` for `{{Values.big}}` and so on.
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 0.1.0\n"),
        (
            "values.yaml",
            "big: 1000000\nsmall: 0.00001\nlist: [a, b]\nmap: {k: v, m: 1}\nnothing: null\nratio: 0.25\nflag: true\nhtml: \"<b>&\"\n",
        ),
        (
            "templates/p.yaml.hbs",
            r#"big: "{{Values.big}}"
small: "{{Values.small}}"
list: "{{Values.list}}"
map: "{{Values.map}}"
nothing: "{{Values.nothing}}"
missing: "{{Values.missing}}"
ratio: {{Values.ratio}}
flag: {{Values.flag}}
kube: {{Capabilities.KubeVersion}}
html: "{{{Values.html}}} {{Values.html}}"
revision: {{Release.Revision}}
"#,
        ),
    ];
    let helm = r#"---
# Source: p/templates/p.yaml.hbs
big: "1e+06"
small: "1e-05"
list: "[a b]"
map: "map[k:v m:1]"
nothing: ""
missing: ""
ratio: 0.25
flag: true
kube: v1.35.0
html: "<b>& <b>&"
revision: 1
"#;
    assert_eq!(template(&files), helm);
}

/// A chart `e` with `values.yaml` and the given templates.
fn chart_e(templates: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut files = vec![
        ("Chart.yaml", "apiVersion: v2\nname: e\nversion: 0.1.0\n"),
        ("values.yaml", "count: 3\nimage: {}\nitems: [a, b, c, d, e, f, g, h]\n"),
    ];
    files.extend_from_slice(templates);
    files
}

#[test]
fn required_fails_as_helm_words_it() {
    let e = hbs_error(&chart_e(&[(
        "templates/x.yaml.hbs",
        "a: 1\nb: {{required \"image.tag is required\" Values.image.tag}}\n",
    )]));
    // helm, for `b: {{ required "image.tag is required" .Values.image.tag }}`:
    // `execution error at (ew/templates/x.yaml.hbs:2:6): image.tag is required`
    assert_eq!(e.kind, HbsErrorKind::Fail);
    assert_eq!((e.template.as_str(), e.line, e.column), ("e/templates/x.yaml.hbs", 2, 4));
    assert_eq!(
        e.to_string(),
        "execution error at (e/templates/x.yaml.hbs:2:4): image.tag is required"
    );
    assert_eq!(
        RenderError::Handlebars(e).to_string(),
        "execution error at (e/templates/x.yaml.hbs:2:4): image.tag is required"
    );
}

#[test]
fn wrong_arguments_are_reported_in_go_words() {
    // helm, for `{{ upper .Values.count }}` and `{{ indent 2 }}`.
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: {{upper Values.count}}\n")]));
    assert_eq!(e.message, "wrong type for value; expected string; got float64");
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: {{upper Values.nope}}\n")]));
    assert_eq!(e.message, "wrong type for value; expected string; got interface {}");
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a:\n  {{indent 2}}\n")]));
    assert_eq!(e.message, "wrong number of args for indent: want 2 got 1");
    assert_eq!((e.kind, e.line, e.column), (HbsErrorKind::Render, 2, 3));
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: {{upper \"x\" to=1}}\n")]));
    assert_eq!(e.message, "upper takes no named arguments");
}

#[test]
fn unknown_helpers_and_partials_name_the_file_and_line() {
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: 1\n\nb: {{nope Values.count}}\n")]));
    assert_eq!(
        e.to_string(),
        "handlebars error at (e/templates/x.yaml.hbs:3:4): Helper not found nope"
    );
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: {{> missing}}\n")]));
    assert_eq!(
        e.to_string(),
        "handlebars error at (e/templates/x.yaml.hbs:1:4): Partial not found missing"
    );
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: {{include \"missing\" this}}\n")]));
    assert_eq!(e.message, "error calling include: no partial named \"missing\"");
}

#[test]
fn syntax_errors_are_parse_errors_with_a_line() {
    let e = hbs_error(&chart_e(&[
        ("templates/ok.yaml.hbs", "a: 1\n"),
        ("templates/_bad.hbs", "a: 1\n{{#if Values.count}}\nb: 2\n{{/each}}\n"),
    ]));
    assert_eq!(e.kind, HbsErrorKind::Parse);
    assert_eq!((e.template.as_str(), e.line), ("e/templates/_bad.hbs", 4));
    assert_eq!(
        e.to_string(),
        format!("handlebars parse error at (e/templates/_bad.hbs:4:{}): {}", e.column, e.message)
    );
    assert!(e.message.contains("\"if\" was opened, but \"each\" is closing"), "{e}");
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", "a: 1\nb: {{upper (lower x}}\nc: 3\n")]));
    assert_eq!((e.kind, e.line), (HbsErrorKind::Parse, 2));
    assert!(e.message.starts_with("invalid handlebars syntax: expected"), "{e}");
}

#[test]
fn include_errors_keep_the_chain() {
    let e = hbs_error(&chart_e(&[
        ("templates/_bad.hbs", "x: 1\n{{required \"inner needs tag\" Values.image.tag}}\n"),
        ("templates/x.yaml.hbs", "a: 1\nb: {{include \"bad\" this}}\n"),
    ]));
    // helm, for the same through `{{ include "bad" . }}`:
    // `execution error at (ew/templates/x.yaml.hbs:2:6): inner needs tag`
    assert_eq!(e.to_string(), "execution error at (e/templates/x.yaml.hbs:2:4): inner needs tag");
    let inner = e.cause.as_deref().expect("cause");
    assert_eq!((inner.template.as_str(), inner.line, inner.column), ("e/templates/_bad.hbs", 2, 1));
    let report = format!("{e:#}");
    assert!(report.contains("--> e/templates/_bad.hbs:2:1"), "{report}");
    assert!(report.contains("2 | {{required \"inner needs tag\" Values.image.tag}}"), "{report}");
    assert!(report.contains("included from e/templates/x.yaml.hbs:2:4"), "{report}");

    let e = hbs_error(&chart_e(&[
        ("templates/_bad.hbs", "{{nope 1}}"),
        ("templates/x.yaml.hbs", "a: {{nindent 2 (include \"bad\" this)}}\n"),
    ]));
    assert_eq!(
        e.to_string(),
        "handlebars error at (e/templates/x.yaml.hbs:1:4): error calling include: handlebars error \
         at (e/templates/_bad.hbs:1:1): Helper not found nope"
    );

    // Through `{{> bad}}` the error is in the partial.
    let e = hbs_error(&chart_e(&[
        ("templates/_bad.hbs", "x: 1\n{{required \"inner needs tag\" Values.image.tag}}\n"),
        ("templates/x.yaml.hbs", "a: 1\nb:\n  {{> bad}}\n"),
    ]));
    assert_eq!(e.to_string(), "execution error at (e/templates/_bad.hbs:2:1): inner needs tag");
}

#[test]
fn a_subchart_does_not_see_its_parents_partials() {
    let e = hbs_error(&chart_e(&[
        ("templates/_labels.hbs", "app: x\n"),
        ("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
        ("charts/sub/templates/s.yaml.hbs", "labels:\n  {{> labels}}\n"),
    ]));
    assert_eq!(
        e.to_string(),
        "handlebars error at (e/charts/sub/templates/s.yaml.hbs:2:3): Partial not found labels"
    );
}

#[test]
fn runaway_partial_recursion_ends_in_an_error() {
    let e = hbs_error(&chart_e(&[
        ("templates/_loop.hbs", "x\n{{> loop}}"),
        ("templates/x.yaml.hbs", "a: {{> loop}}\n"),
    ]));
    assert!(e.message.starts_with("exceeded maximum template depth (1500)"), "{e}");
}

#[test]
fn runaway_include_recursion_ends_in_an_error() {
    let e = hbs_error(&chart_e(&[
        ("templates/_loop.hbs", "{{include \"loop\" this}}"),
        ("templates/x.yaml.hbs", "a: {{include \"loop\" this}}\n"),
    ]));
    assert!(
        e.to_string().ends_with(
            "exceeded maximum template depth (1500): partials, includes and blocks nest too deeply"
        ),
        "{e}"
    );
    // Each level names the innermost error once: the message does not grow with the depth.
    assert!(e.to_string().len() < 400, "{}", e.to_string().len());
}

#[test]
fn deep_nesting_and_huge_output_end_in_errors() {
    let deep = format!("{}x{}", "{{#if true}}".repeat(3000), "{{/if}}".repeat(3000));
    let deep: &'static str = Box::leak(deep.into_boxed_str());
    let e = hbs_error(&chart_e(&[("templates/x.yaml.hbs", deep)]));
    assert!(e.message.starts_with("exceeded maximum template depth"), "{e}");

    // Doubling at each level: 2^40 bytes unless the output limit stops it.
    let mut files = chart_e(&[("templates/x.yaml.hbs", "{{> p0}}")]);
    let parts: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("templates/_p{i}.hbs"),
                format!("{{{{> p{n}}}}}{{{{include \"p{n}\" this}}}}", n = i + 1),
            )
        })
        .chain([("templates/_p40.hbs".to_string(), "0123456789".to_string())])
        .collect();
    let parts: &'static [(String, String)] = Box::leak(parts.into_boxed_slice());
    files.extend(parts.iter().map(|(n, d)| (n.as_str(), d.as_str())));
    let mut opts = ExecOptions::default();
    opts.limits.max_output = 1 << 16;
    match render_with(&files, &mut opts).1 {
        Err(RenderError::Handlebars(e)) => {
            assert!(
                e.to_string().contains("rendered output exceeds the limit of 65536 bytes"),
                "{e}"
            )
        }
        other => panic!("expected an output error, got {other:?}"),
    }

    let files = chart_e(&[(
        "templates/x.yaml.hbs",
        "{{#each Values.items}}{{#each ../Values.items}}{{#each ../../Values.items}}.{{/each}}{{/each}}{{/each}}",
    )]);
    let mut opts = ExecOptions::default();
    opts.limits.max_steps = 100;
    match render_with(&files, &mut opts).1 {
        Err(RenderError::Handlebars(e)) => {
            assert_eq!(e.message, "template execution exceeded the limit of 100 steps")
        }
        other => panic!("expected a step error, got {other:?}"),
    }
}

#[test]
fn hbs_files_never_reach_the_go_engine() {
    // Neither file parses as a Go template; the Go templates beside them render as before.
    let files = chart_e(&[
        ("templates/_h.hbs", "{{#each Values.items}}{{this}}{{/each}}"),
        (
            "templates/x.yaml.hbs",
            "x: {{> h}}\n{{#if Values.count}}count: {{Values.count}}{{/if}}\n",
        ),
        ("templates/_go.tpl", "{{ define \"go.p\" }}{{ .Values.count }}{{ end }}"),
        ("templates/y.yaml", "y: {{ include \"go.p\" . }}\n"),
    ]);
    let (_, out) = render_with(&files, &mut ExecOptions::default());
    let out = out.expect("renders");
    let names: Vec<&str> = out.templates.keys().map(String::as_str).collect();
    assert_eq!(names, ["e/templates/x.yaml.hbs", "e/templates/y.yaml"]);
    assert_eq!(out.templates["e/templates/x.yaml.hbs"], "x: abcdefgh\ncount: 3\n");
    assert_eq!(out.templates["e/templates/y.yaml"], "y: 3\n");

    // A Go template cannot include a handlebars partial.
    let files =
        chart_e(&[("templates/_h.hbs", "h"), ("templates/y.yaml", "y: {{ include \"h\" . }}\n")]);
    assert!(matches!(
        render_with(&files, &mut ExecOptions::default()).1,
        Err(RenderError::Exec(_))
    ));
}

#[test]
fn handlebars_paths_blocks_and_partial_contexts() {
    let files = chart_e(&[
        ("files/a.txt", "file text"),
        ("templates/_kv.hbs", "{{@key}}={{this}};"),
        ("templates/_kube.hbs", "{{Capabilities.KubeVersion}}"),
        (
            "templates/x.yaml.hbs",
            "{{#each Values.items as |item i|}}{{#if (lt i 2)}}{{i}}{{upper item}}{{/if}}{{/each}}\n\
             {{#with Chart}}{{default \"none\" tag}} {{../Values.count}} {{@root.Chart.Name}}{{/with}}\n\
             {{#each Release}}{{> kv}}{{/each}}\n\
             {{lookup Files \"files/a.txt\"}} {{len Values.items}} {{#unless Values.nope}}unless{{/unless}}\n\
             {{Capabilities.KubeVersion}} {{> kube}} {{include \"kube\" this}}\n",
        ),
    ]);
    let (_, out) = render_with(&files, &mut ExecOptions::default());
    assert_eq!(
        out.expect("renders").templates["e/templates/x.yaml.hbs"],
        "0A1B\nnone 3 e\nIsInstall=true;IsUpgrade=false;Name=rel;Namespace=ns;Revision=1;Service=Helm;\n\
         file text 8 unless\n\
         v1.35.0 map[Major:1 Minor:35 Version:v1.35.0] v1.35.0\n"
    );
}
