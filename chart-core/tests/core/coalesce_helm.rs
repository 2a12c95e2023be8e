//! Differential tests of values coalescing and dependency processing against the real helm:
//! each scenario is a small chart tree whose every (non-library) chart dumps `toJson .Values`;
//! chartkit's computed, scoped values must equal what helm printed for each chart.

use std::path::Path;
use std::process::Command;

use chart_core::values::ValueOptions;
use chart_core::{ComputeOptions, Value};

use super::support::{check_floor, helm};

/// A scenario: files relative to the chart root (`Chart.yaml`, `charts/sub/values.yaml`, ...)
/// plus extra `helm template` flags.
struct Scenario {
    id: &'static str,
    files: &'static [(&'static str, &'static str)],
    flags: &'static [&'static str],
}

const SUB: &str = "apiVersion: v2\nname: sub\nversion: 1.0.0\n";

const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "nulls-user-delete-and-top-keep",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 1.x\n",
            ),
            ("values.yaml", "a: null\nb: {c: 1, d: null}\nsub:\n  own: 1\n  gone: 2\n"),
            ("charts/sub/Chart.yaml", SUB),
            ("charts/sub/values.yaml", "own: 0\ngone: 1\nnil: null\nnested: {k: null, j: 2}\n"),
        ],
        flags: &["--set", "sub.gone=null", "--set", "b.c=null"],
    },
    Scenario {
        id: "globals-down-two-levels",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n",
            ),
            ("values.yaml", "global:\n  env: prod\n  map: {a: 1, b: {c: 2}}\n"),
            (
                "charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 1.0.0\ndependencies:\n- name: leaf\n",
            ),
            (
                "charts/sub/values.yaml",
                "global:\n  env: dev\n  own: s\n  map: {a: 9, z: 1}\nleaf:\n  x: 1\n",
            ),
            ("charts/sub/charts/leaf/Chart.yaml", "apiVersion: v2\nname: leaf\nversion: 2.0.0\n"),
            ("charts/sub/charts/leaf/values.yaml", "global: {leafonly: true}\nx: 0\ny: 0\n"),
        ],
        flags: &["--set", "global.fromcli=1"],
    },
    Scenario {
        id: "alias-twice-and-condition",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  alias: one\n- name: sub\n  alias: two\n  condition: two.enabled\n- name: sub\n  alias: three\n  condition: missing.path,three.on\n",
            ),
            ("values.yaml", "one: {v: 1}\ntwo: {enabled: false}\nthree: {on: true, v: 3}\n"),
            ("charts/sub/Chart.yaml", SUB),
            ("charts/sub/values.yaml", "v: 0\nenabled: true\n"),
        ],
        flags: &[],
    },
    Scenario {
        id: "tags-and-condition-precedence",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  alias: a\n  tags: [front]\n- name: sub\n  alias: b\n  tags: [back]\n  condition: b.enabled\n- name: sub\n  alias: c\n  tags: [front, back]\n",
            ),
            ("values.yaml", "tags:\n  front: false\n  back: false\nb:\n  enabled: true\n"),
            ("charts/sub/Chart.yaml", SUB),
        ],
        flags: &["--set", "tags.back=true"],
    },
    Scenario {
        id: "import-values-both-forms",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  import-values:\n  - data\n  - child: deep.inner\n    parent: imported.here\n  - child: nope\n    parent: x\n",
            ),
            ("values.yaml", "fromparent: 1\nimported:\n  here:\n    keep: parent\n"),
            ("charts/sub/Chart.yaml", SUB),
            (
                "charts/sub/values.yaml",
                "exports:\n  data:\n    exported: yes\n    fromparent: 2\ndeep:\n  inner:\n    keep: child\n    other: 1\n",
            ),
        ],
        flags: &[],
    },
    Scenario {
        id: "type-clashes-warned",
        files: &[
            ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
            ("values.yaml", "m: {a: 1}\ns: scalar\nl: [1, 2]\nn: {x: {y: 1}}\n"),
        ],
        flags: &[
            "--set",
            "m=flat",
            "--set",
            "s.k=v",
            "--set",
            "l[3]=x",
            "--set-json",
            "n={\"x\":5}",
        ],
    },
    Scenario {
        id: "undeclared-subchart-and-disabled-by-default",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  condition: sub.enabled\n",
            ),
            ("values.yaml", "sub: {enabled: false}\nextra: {k: top}\n"),
            ("charts/sub/Chart.yaml", SUB),
            ("charts/extra/Chart.yaml", "apiVersion: v2\nname: extra\nversion: 1.0.0\n"),
            ("charts/extra/values.yaml", "k: own\nj: own\n"),
        ],
        flags: &["--set", "sub.enabled=true"],
    },
    Scenario {
        id: "yaml11-keys-and-multidoc-values",
        files: &[
            ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
            (
                "values.yaml",
                "y: 1\nn: {x: 1}\non: off\n---\nn: {z: 2}\nlist: [a]\n---\nlist: [b]\n",
            ),
        ],
        flags: &["--set", "n.w=1"],
    },
    Scenario {
        id: "values-file-order-and-set-types",
        files: &[
            ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n"),
            ("values.yaml", "a: 1\nb: {c: 1}\n"),
            ("o1.yaml", "a: 2\nb: {d: 2}\n"),
            ("o2.yaml", "b: {c: null}\nnum: 0x10\n"),
        ],
        flags: &[
            "-f",
            "o1.yaml",
            "-f",
            "o2.yaml",
            "--set",
            "i=10,f=1.5,t=true,s=x",
            "--set-string",
            "ss=10",
        ],
    },
    Scenario {
        id: "alias-with-versions",
        files: &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: ^1.0.0\n  alias: one\n- name: sub\n  version: ~1.0\n  alias: two\n  condition: two.enabled\n- name: sub\n  version: '>=2'\n  alias: never\n- name: leafy\n  version: '*'\n  condition: leafy.enabled,other\n  tags: [t]\n",
            ),
            (
                "values.yaml",
                "one: {v: 1}\ntwo: {enabled: false}\nglobal: {g: top}\ntags: {t: false}\nleafy: {enabled: true}\n",
            ),
            (
                "charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 1.0.3\ndependencies:\n- name: leaf\n  version: 2.0.0\n  condition: inner.on\n",
            ),
            ("charts/sub/values.yaml", "v: 0\ninner: {on: true}\n"),
            ("charts/sub/charts/leaf/Chart.yaml", "apiVersion: v2\nname: leaf\nversion: 2.0.0\n"),
            ("charts/leafy/Chart.yaml", "apiVersion: v2\nname: leafy\nversion: 0.2.0\n"),
        ],
        flags: &["--set", "one.inner.on=false"],
    },
];

fn write_tree(root: &Path, s: &Scenario) -> Vec<String> {
    let mut charts = Vec::new();
    for (name, text) in s.files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        if let Some(dir) = name.strip_suffix("Chart.yaml") {
            charts.push(dir.trim_end_matches('/').to_owned());
        }
    }
    for dir in &charts {
        let t = root.join(dir).join("templates");
        std::fs::create_dir_all(&t).expect("mkdir templates");
        std::fs::write(t.join("dump.yaml"), "dump: {{ toJson .Values | quote }}\n").expect("write");
    }
    charts
}

/// Helm's output: `# Source: top/charts/sub/templates/dump.yaml` then `dump: "<json>"`.
fn parse_helm(out: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut res = std::collections::BTreeMap::new();
    let mut current = None;
    for line in out.lines() {
        if let Some(src) = line.strip_prefix("# Source: ") {
            current = src.strip_suffix("/templates/dump.yaml").map(str::to_owned);
        } else if let (Some(chart), Some(v)) = (&current, line.strip_prefix("dump: ")) {
            let s: String = serde_json::from_str(v).expect("quoted json");
            res.insert(chart.clone(), serde_json::from_str(&s).expect("json"));
        }
    }
    res
}

#[test]
fn coalescing_matches_helm() {
    let helm = helm();
    let mut total = 0;
    let mut failures = Vec::new();
    for s in SCENARIOS {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("top");
        write_tree(&root, s);
        let out = Command::new(helm)
            .current_dir(&root)
            .args(["template", "rel", ".", "--namespace", "ns"])
            .args(s.flags)
            .output()
            .expect("run helm");
        assert!(
            out.status.success(),
            "{}: helm failed: {}",
            s.id,
            String::from_utf8_lossy(&out.stderr)
        );
        let want = parse_helm(&String::from_utf8_lossy(&out.stdout));

        let ours = (|| -> Result<_, String> {
            let chart = chart_core::load(&root).map_err(|e| e.to_string())?;
            let mut opts = ValueOptions::default();
            let mut it = s.flags.iter();
            while let (Some(flag), Some(arg)) = (it.next(), it.next()) {
                let arg = arg.to_string();
                match *flag {
                    "-f" => opts.value_files.push(root.join(arg)),
                    "--set" => opts.values.push(arg),
                    "--set-string" => opts.string_values.push(arg),
                    "--set-json" => opts.json_values.push(arg),
                    other => return Err(format!("flag {other} not handled by the test")),
                }
            }
            let user = opts.merge_values().map_err(|e| e.to_string())?;
            chart_core::compute_values(&chart, &user, &ComputeOptions::default())
                .map_err(|e| e.to_string())
        })();
        let ours = match ours {
            Ok(c) => c,
            Err(e) => {
                total += want.len();
                failures.push(format!("{}: {e}", s.id));
                continue;
            }
        };
        let ours: std::collections::BTreeMap<String, serde_json::Value> = ours
            .scoped()
            .into_iter()
            .map(|(path, _, v)| {
                (path.replacen(ours.chart.name(), "top", 1), Value::Map(v).to_serde_json())
            })
            .collect();
        for (chart, want_vals) in &want {
            total += 1;
            match ours.get(chart) {
                Some(got) if got == want_vals => {}
                Some(got) => {
                    failures.push(format!("{} [{chart}]: want {want_vals}, got {got}", s.id))
                }
                None => failures.push(format!("{} [{chart}]: chart missing from our tree", s.id)),
            }
        }
        for chart in ours.keys() {
            if !want.contains_key(chart) {
                total += 1;
                failures.push(format!("{} [{chart}]: helm rendered no such chart", s.id));
            }
        }
    }
    check_floor("coalesce_helm", total, &failures);
}
