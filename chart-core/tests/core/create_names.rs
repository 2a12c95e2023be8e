//! `create` checked by the real helm (`helm lint`, `helm template`), and release-name
//! validation compared with `helm template <name> <chart>`.

use std::path::Path;
use std::process::{Command, Output};

use chart_core::create::create;
use chart_core::names::validate_release_name;

use super::support::helm;

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(helm())
        .args(args)
        .current_dir(cwd)
        .env("HELM_CACHE_HOME", cwd.join(".helm/cache"))
        .env("HELM_CONFIG_HOME", cwd.join(".helm/config"))
        .env("HELM_DATA_HOME", cwd.join(".helm/data"))
        .output()
        .unwrap_or_else(|e| panic!("running helm {args:?}: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn created_chart_lints_and_renders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for name in ["web", "my-app.v2", "Bad_Name"] {
        let dir = create(name, tmp.path()).expect("create");
        let d = dir.to_str().expect("utf-8 path");

        let lint = run(&["lint", d], tmp.path());
        let out = text(&lint.stdout);
        assert!(lint.status.success(), "helm lint {name}:\n{out}{}", text(&lint.stderr));
        assert!(out.contains("1 chart(s) linted, 0 chart(s) failed"), "{out}");
        assert!(!out.contains("[ERROR]"), "{out}");
        assert!(!out.contains("[WARNING]"), "{out}");

        let tpl = run(&["template", "rel", d, "--namespace", "ns"], tmp.path());
        let out = text(&tpl.stdout);
        assert!(tpl.status.success(), "helm template {name}: {}", text(&tpl.stderr));
        for kind in ["kind: Deployment", "kind: Service\n", "kind: ServiceAccount", "kind: Pod"] {
            assert!(out.contains(kind), "{name}: no {kind} in\n{out}");
        }
        // Every switch of the starter's values renders too.
        let flipped = run(
            &[
                "template",
                "rel",
                d,
                "--set",
                "serviceAccount.create=false,service.type=NodePort,podLabels.a=b",
                "--set",
                "resources.limits.memory=64Mi,nodeSelector.disk=ssd,fullnameOverride=x",
            ],
            tmp.path(),
        );
        assert!(flipped.status.success(), "{}", text(&flipped.stderr));
        assert!(!text(&flipped.stdout).contains("kind: ServiceAccount"));

        // NOTES.txt renders for every service type.
        for ty in ["ClusterIP", "NodePort", "LoadBalancer"] {
            let notes = run(
                &["install", "rel", d, "--dry-run=client", "--set", &format!("service.type={ty}")],
                tmp.path(),
            );
            let out = text(&notes.stdout);
            assert!(notes.status.success(), "{ty}: {}", text(&notes.stderr));
            assert!(out.contains("is installed as release \"rel\""), "{out}");
        }
    }
}

#[test]
fn release_names_match_helm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let chart = tmp.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        .expect("write");
    std::fs::write(chart.join("templates/cm.yaml"), "kind: ConfigMap\n").expect("write");
    let chart = chart.to_str().expect("utf-8 path");

    let long53 = "a".repeat(53);
    let long54 = "a".repeat(54);
    let dotted53 = format!("{}.b", "a".repeat(51));
    let names = [
        "rel",
        "a",
        "1abc",
        "a.b",
        "web-1.v2",
        "a--b",
        long53.as_str(),
        long54.as_str(),
        dotted53.as_str(),
        "Bad_Name",
        "UPPER",
        "a-",
        "a..b",
        ".a",
        "a.",
        "a b",
        "ä",
        "a_b",
        "a.-b",
        "a\nb",
        "",
    ];
    let mut failures = Vec::new();
    for name in names {
        let out = run(&["template", name, chart], tmp.path());
        let ours = validate_release_name(name);
        let stderr = text(&out.stderr);
        match (&ours, out.status.success()) {
            (Ok(()), true) => {}
            (Err(e), false) => {
                let expected = format!("Error: release name check failed: {e}\n");
                if !stderr.ends_with(&expected) {
                    failures.push(format!("{name:?}: helm said {stderr:?}, we say {expected:?}"));
                }
            }
            _ => failures.push(format!("{name:?}: ours {ours:?}, helm {stderr:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
