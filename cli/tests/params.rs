//! `chartkit params list` and `chartkit params gen` on the real charts of `../shared/corpus`.
//!
//! - Every readme-generator `## @param` and every helm-docs `# --` comment of the corpus charts
//!   shows up as a parameter with its description. What the comments contain is counted here by
//!   a plain scan of values.yaml, independent of chartkit's parser.
//! - The values file written by `params gen` renders every chart of the corpus exactly as the
//!   chart renders without it, checked with the real helm (fetched once with
//!   `../shared/oracle/get-helm.sh 4` into `$CHARTKIT_HELM_CACHE`, default
//!   `~/.cache/chartkit/helm-v4`) against the corpus goldens, which helm made without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

mod support;
use support::{helm, shared};

fn corpus() -> PathBuf {
    shared().join("corpus")
}

fn chartkit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chartkit"))
        .args(args)
        .current_dir(corpus())
        .output()
        .expect("chartkit runs")
}

/// `chartkit params list CHART -o json`, as a list of JSON objects.
fn list(chart: &str) -> Vec<Json> {
    let out = chartkit(&["params", "list", chart, "-o", "json"]);
    assert!(out.status.success(), "{chart}: {}", String::from_utf8_lossy(&out.stderr));
    match serde_json::from_slice(&out.stdout).expect("JSON output") {
        Json::Array(a) => a,
        other => panic!("{chart}: not a list: {other}"),
    }
}

fn field<'a>(p: &'a Json, k: &str) -> &'a str {
    p.get(k).and_then(Json::as_str).unwrap_or_default()
}

/// The corpus charts, by name.
fn charts() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus().join("charts"))
        .expect("corpus charts")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn values_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("values.yaml")).unwrap_or_default()
}

/// `path -> description` of the `## @param` lines of a values file (spaces may follow the `##`),
/// by a plain scan: the path is
/// the word after `@param`, an optional `[...]` follows, the rest is the description. A path
/// documented twice keeps its first non-empty description.
fn param_lines(text: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("##") else { continue };
        let Some(rest) = rest.trim_start().strip_prefix("@param ") else { continue };
        let rest = rest.trim_start();
        let (path, mut desc) = rest.split_once(' ').unwrap_or((rest, ""));
        desc = desc.trim_start();
        if desc.starts_with('[') {
            desc = desc.split_once(']').map_or("", |(_, d)| d.trim_start());
        }
        let e = out.entry(path.to_string()).or_default();
        if e.is_empty() {
            *e = desc.trim_end().to_string();
        }
    }
    out
}

/// The `## @param` lines of a chart and of its subcharts (under their Chart.yaml `name:`, found
/// by a plain scan), the parent's first: `path -> description`.
fn tree_param_lines(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (path, desc) in param_lines(&values_text(dir)) {
        let e = out.entry(format!("{prefix}{path}")).or_default();
        if e.is_empty() {
            *e = desc;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir.join("charts")) else { return };
    let mut subs: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    subs.sort();
    for sub in subs {
        let chart_yaml = std::fs::read_to_string(sub.join("Chart.yaml")).unwrap_or_default();
        let Some(name) = chart_yaml.lines().find_map(|l| l.strip_prefix("name: ")) else {
            continue;
        };
        tree_param_lines(&sub, &format!("{prefix}{}.", name.trim()), out);
    }
}

#[test]
fn every_bitnami_param_is_listed_with_its_description() {
    let mut charts_checked = 0;
    let mut total = 0;
    for name in charts() {
        let dir = corpus().join("charts").join(&name);
        let mut expected = BTreeMap::new();
        tree_param_lines(&dir, "", &mut expected);
        if param_lines(&values_text(&dir)).is_empty() {
            continue;
        }
        let params = list(&format!("charts/{name}"));
        let by_path: BTreeMap<&str, &Json> = params.iter().map(|p| (field(p, "path"), p)).collect();
        assert_eq!(by_path.len(), params.len(), "{name}: a path is listed twice");
        for (path, desc) in &expected {
            let p = by_path
                .get(path.as_str())
                .unwrap_or_else(|| panic!("{name}: @param {path} is not listed"));
            assert_eq!(field(p, "source"), "param", "{name}: {path}");
            assert_eq!(field(p, "description"), desc, "{name}: {path}");
        }
        let listed = params.iter().filter(|p| field(p, "source") == "param").count();
        assert_eq!(listed, expected.len(), "{name}: parameters from @param lines");
        charts_checked += 1;
        total += expected.len();
    }
    eprintln!("{total} @param paths in {charts_checked} charts and their subcharts");
    assert!(charts_checked >= 20, "only {charts_checked} charts use @param");
}

#[test]
fn bitnami_nginx_params_match_the_comments() {
    let dir = corpus().join("charts/bitnami-nginx");
    let text = values_text(&dir);
    let expected = param_lines(&text);
    assert_eq!(expected.len(), text.matches("@param ").count());
    let params = list("charts/bitnami-nginx");
    let by_path: BTreeMap<&str, &Json> = params.iter().map(|p| (field(p, "path"), p)).collect();
    for (path, desc) in &expected {
        assert_eq!(field(by_path[path.as_str()], "description"), desc, "{path}");
    }
    // Types and defaults are Helm's reading of values.yaml (numbers are float64).
    let replicas = by_path["replicaCount"];
    assert_eq!((field(replicas, "type"), &replicas["default"]), ("number", &Json::from(1)));
    let tag = by_path["image.tag"];
    assert_eq!(field(tag, "source"), "skip");
    assert_eq!(field(tag, "type"), "string");
    assert_eq!(field(by_path["image.registry"], "documentedDefault"), "REGISTRY_NAME");
    assert_eq!(field(by_path["image.registry"], "section"), "NGINX parameters");
    assert_eq!(field(by_path["diagnosticMode.command"], "type"), "list");
    assert_eq!(field(by_path["commonLabels"], "type"), "map");
    // The library subchart's values sit under its name.
    let example = by_path["common.exampleValue"];
    assert_eq!(field(example, "chart"), "nginx/charts/common");
    assert_eq!(field(example, "source"), "skip");
}

#[test]
fn subchart_params_appear_under_their_name() {
    let params = list("charts/bitnami-wordpress");
    let by_path: BTreeMap<&str, &Json> = params.iter().map(|p| (field(p, "path"), p)).collect();
    let parent = param_lines(&values_text(&corpus().join("charts/bitnami-wordpress")));
    let mut checked = 0;
    for sub in ["mariadb", "memcached"] {
        let dir = corpus().join("charts/bitnami-wordpress/charts").join(sub);
        for (path, desc) in param_lines(&values_text(&dir)) {
            let full = format!("{sub}.{path}");
            let p = by_path.get(full.as_str()).unwrap_or_else(|| panic!("{full} is not listed"));
            // The parent's documentation of a subchart value wins over the subchart's own.
            let want = parent.get(&full).filter(|d| !d.is_empty()).unwrap_or(&desc);
            assert_eq!(field(p, "description"), want, "{full}");
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
    // The parent's values win over the subchart's defaults.
    let user = by_path["mariadb.auth.username"];
    assert_eq!(user["default"], Json::from("bn_wordpress"));
    assert_eq!(field(user, "chart"), "wordpress/charts/mariadb");
}

/// For each `# --` comment that ends the comment block right above a key or list item: the key
/// (empty for a list item) and the description's first line, by a plain scan.
fn helm_docs_comments(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(desc) = line.trim_start().strip_prefix("# --") else { continue };
        let mut j = i + 1;
        while j < lines.len() && lines[j].trim_start().starts_with('#') {
            if lines[j].trim_start().starts_with("# --") {
                break;
            }
            j += 1;
        }
        let Some(next) = lines.get(j).map(|l| l.trim()) else { continue };
        if next.is_empty() || next.starts_with('#') {
            continue;
        }
        let mut desc = desc.trim();
        if desc.starts_with('(') {
            desc = desc.split_once(')').map_or(desc, |(_, d)| d.trim_start());
        }
        let key = if next.starts_with('-') {
            String::new()
        } else {
            next.split_once(':').map_or("", |(k, _)| k).trim_matches('"').to_string()
        };
        out.push((key, desc.to_string()));
    }
    out
}

#[test]
fn every_helm_docs_comment_is_listed() {
    let mut checked = 0;
    for name in ["external-dns", "ingress-nginx", "traefik", "traefik-hub-manager"] {
        let expected = helm_docs_comments(&values_text(&corpus().join("charts").join(name)));
        let params = list(&format!("charts/{name}"));
        let documented: Vec<&Json> =
            params.iter().filter(|p| field(p, "source") == "helm-docs").collect();
        for (key, desc) in &expected {
            let found = documented.iter().any(|p| {
                let path = field(p, "path");
                let last_key_ok = if key.is_empty() {
                    path.ends_with(']')
                } else {
                    path == key || path.ends_with(&format!(".{key}"))
                };
                last_key_ok && field(p, "description").starts_with(desc.as_str())
            });
            assert!(found, "{name}: no parameter {key:?} described {desc:?}");
        }
        assert_eq!(documented.len(), expected.len(), "{name}: parameters from # -- comments");
        checked += expected.len();
    }
    assert!(checked > 800, "{checked}");
}

#[test]
fn table_and_yaml_outputs() {
    let out = chartkit(&["params", "list", "charts/hello-world"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("PARAMETER") && header.contains("TYPE") && header.contains("DEFAULT")
    );
    assert!(text.lines().any(|l| l.starts_with("replicaCount ") && l.contains("number")), "{text}");

    let out = chartkit(&["params", "list", "charts/hello-world", "-o", "yaml"]);
    assert!(out.status.success());
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(yaml.starts_with("- chart: hello-world\n"), "{yaml}");

    let out = chartkit(&["params", "list", "charts/no-such-chart"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: path \"charts/no-such-chart\" not found\n"
    );
}

/// The real helm v4, fetched once by `shared/oracle/get-helm.sh` (a no-op when cached).
#[test]
fn generated_values_render_the_chart_unchanged_with_helm() {
    let helm = helm();
    let dir = corpus();
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = std::fs::read_to_string(dir.join("golden/INDEX.tsv")).expect("INDEX.tsv");
    let mut checked = 0;
    let mut failures = Vec::new();
    for row in index.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (name, variant, deterministic) = (cols[0], cols[1], cols[5]);
        if deterministic != "yes" {
            continue;
        }
        let gen_file = tmp.path().join(format!("{name}.yaml"));
        if !gen_file.exists() {
            let out = chartkit(&["params", "gen", &format!("charts/{name}")]);
            assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
            std::fs::write(&gen_file, &out.stdout).expect("write");
        }
        let label = if variant == "-" { name.to_string() } else { format!("{name}-{variant}") };
        // The generated file comes first; a variant's own values still win over it.
        let mut cmd = Command::new(helm);
        cmd.args(["template", "rel", &format!("charts/{name}"), "--namespace", "ns", "-f"])
            .arg(&gen_file)
            .current_dir(&dir);
        if variant != "-" {
            cmd.args(["-f", &format!("values/{label}.yaml")]);
        }
        let out = cmd.output().expect("helm runs");
        let golden =
            std::fs::read(dir.join(format!("golden/{label}.yaml"))).expect("golden output");
        checked += 1;
        if !out.status.success() {
            failures.push(format!("{label}: {}", String::from_utf8_lossy(&out.stderr)));
        } else if out.stdout != golden {
            failures.push(format!("{label}: the render differs"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    eprintln!("{checked} renders with the generated values match helm's without them");
    assert!(checked >= 40, "{checked}");
}

#[test]
fn several_charts_in_one_file() {
    let out = chartkit(&["params", "gen", "charts/hello-world", "charts/mailhog"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\nhello-world:\n"), "{text}");
    assert!(text.contains("\nmailhog:\n"), "{text}");
    let out = chartkit(&["params", "gen", "charts/hello-world", "charts/hello-world"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: two charts are named \"hello-world\": their values would share one key\n"
    );
}

/// A chart that exercises what could make the generated file change a render: a subchart used
/// three times under aliases (one disabled by a condition, one by a tag), `null` defaults at
/// several depths, globals, import-values and maps whose every entry is `null`. Both charts
/// print their whole `.Values`, so any difference in the computed values shows.
fn tricky_chart(root: &Path) -> PathBuf {
    let top = root.join("top");
    let files: &[(&str, &str)] = &[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n\
             - name: db\n  version: 1.x\n  alias: primary\n  import-values:\n  - data\n\
             - name: db\n  version: 1.x\n  alias: replica\n  condition: replica.enabled\n\
             - name: db\n  version: 1.x\n  alias: archive\n  tags: [archive]\n",
        ),
        (
            "values.yaml",
            "# -- Global settings\nglobal:\n  env: prod\n# -- (string) Name override\nnameOverride: null\n\
             primary:\n  # -- Parent port\n  port: 1\n  extra: null\n  nested:\n    b: null\n\
             replica:\n  enabled: false\n  port: 2\ntags:\n  archive: false\n\
             list:\n  # -- first\n  - a: 1\n    b: null\n  - 2\nempty: {}\nallnull:\n  x: null\n\
             text: |\n  two\n\n  # not a comment\n",
        ),
        ("templates/values.yaml", "# {{ toYaml .Values | replace \"\\n\" \"\\n# \" }}\n"),
        ("charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.2.0\n"),
        (
            "charts/db/values.yaml",
            "## @param port Port\nport: 5432\n## @param user User\nuser: u\nextra: x\nopt: null\n\
             global:\n  region: eu\nnested:\n  a: null\n  b: 1\n  c: {}\nexports:\n  data:\n    imported: yes\n",
        ),
        ("charts/db/templates/values.yaml", "# {{ toYaml .Values | replace \"\\n\" \"\\n# \" }}\n"),
    ];
    for (name, text) in files {
        let p = top.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    top
}

#[test]
fn aliases_nulls_and_disabled_subcharts_render_unchanged_with_helm() {
    let helm = helm();
    let tmp = tempfile::tempdir().expect("tempdir");
    let top = tricky_chart(tmp.path());
    let top_s = top.to_string_lossy().into_owned();

    let params = list(&top_s);
    let by_path: BTreeMap<&str, &Json> = params.iter().map(|p| (field(p, "path"), p)).collect();
    assert_eq!(field(by_path["primary.port"], "description"), "Parent port");
    assert_eq!(by_path["primary.port"]["default"], Json::from(1));
    assert_eq!(field(by_path["replica.user"], "description"), "User");
    assert_eq!(field(by_path["archive.port"], "chart"), "top/charts/archive");
    assert_eq!(field(by_path["nameOverride"], "declaredType"), "string");
    assert_eq!(field(by_path["list[0]"], "description"), "first");

    let out = chartkit(&["params", "gen", &top_s]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let generated = tmp.path().join("generated.yaml");
    std::fs::write(&generated, &out.stdout).expect("write");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\n# archive:\n#   # -- Port\n#   port: 5432\n"), "{text}");
    assert!(text.contains("\nallnull: {}\n  # x: null\n"), "{text}");

    let render = |extra: &[&std::ffi::OsStr]| {
        let out = Command::new(helm)
            .args(["template", "rel"])
            .arg(&top)
            .args(extra)
            .output()
            .expect("helm runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let without = render(&[]);
    let with = render(&["-f".as_ref(), generated.as_os_str()]);
    assert_eq!(String::from_utf8_lossy(&with), String::from_utf8_lossy(&without));
}
