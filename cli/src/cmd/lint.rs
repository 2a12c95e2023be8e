//! `chartkit lint [CHART...]`: examine charts for possible issues, as `helm lint` does.
//!
//! The rules and their messages are [`chart_render::lint`]'s; this command expands
//! `--with-subcharts`, prints Helm's report (`==> Linting PATH`, one line per finding, a summary)
//! and fails when a chart has errors (or warnings, with `--strict`). What Helm logs meanwhile
//! (loader warnings, `required`/`fail` messages in lint mode) goes to stderr as it happens.

use chart_core::lint::{Severity, go_clean};
use chart_render::lint::{LintOptions, lint_path, parse_kube_version};

use super::CmdResult;

/// Flags of `chartkit lint`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Chart directories or archives (`.tgz`, `.tar.gz`).
    paths: Vec<String>,
    /// Values from files and `--set` flags.
    #[command(flatten)]
    values: super::ValueFlags,
    /// Fail on lint warnings.
    #[arg(long)]
    strict: bool,
    /// Lint dependent charts (those under `charts/`) too.
    #[arg(long)]
    with_subcharts: bool,
    /// Print only warnings and errors.
    #[arg(long)]
    quiet: bool,
    /// Kubernetes version used for capabilities and deprecation checks.
    #[arg(long = "kube-version")]
    kube_version: Option<String>,
    /// Do not validate values against values.schema.json.
    #[arg(long)]
    skip_schema_validation: bool,
    /// Namespace the chart is rendered for (`.Release.Namespace`; default: `$HELM_NAMESPACE`,
    /// else `default`).
    #[arg(short = 'n', long = "namespace")]
    namespace: Option<String>,
}

/// Runs the command.
pub fn run(a: Args) -> CmdResult {
    if a.paths.is_empty() {
        return Err(
            "\"chartkit lint\" requires at least 1 argument\n\nUsage:  chartkit lint PATH [flags]"
                .into(),
        );
    }
    let mut opts = LintOptions::default();
    if let Some(v) = a.kube_version.as_deref().filter(|v| !v.is_empty()) {
        let kv = parse_kube_version(v).map_err(|e| format!("invalid kube version '{v}': {e}"))?;
        opts.kube_version = Some(kv);
    }
    let mut paths = a.paths.clone();
    if a.with_subcharts {
        let roots = paths.clone();
        for p in &roots {
            subchart_paths(&go_clean(&format!("{p}/charts")), &mut paths);
        }
    }
    let vopts = a.values.options();
    opts.values = vopts.merge_values().map_err(|e| e.to_string())?;
    opts.namespace = a
        .namespace
        .or_else(|| std::env::var("HELM_NAMESPACE").ok().filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "default".into());
    opts.skip_schema_validation = a.skip_schema_validation;

    let mut message = String::new();
    let mut failed = 0;
    let mut with_findings = 0;
    for path in &paths {
        let result = lint_path(path, &opts);
        for record in &result.report.log {
            eprintln!("{record}");
        }
        let noteworthy = result.has_warnings_or_errors();
        if noteworthy {
            with_findings += 1;
        }
        if a.quiet && !noteworthy {
            continue;
        }
        message.push_str(&format!("==> Linting {path}\n"));
        let errors = result.errors(a.strict);
        if result.report.diagnostics.is_empty() {
            for e in &errors {
                message.push_str(&format!("Error {e}\n"));
            }
        }
        for d in &result.report.diagnostics {
            if !a.quiet || d.severity > Severity::Info {
                message.push_str(&format!("{d}\n"));
            }
        }
        if !errors.is_empty() {
            failed += 1;
        }
        message.push('\n');
    }
    print!("{message}");
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", paths.len());
    if failed > 0 {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        return Err(summary);
    }
    if !a.quiet || with_findings > 0 {
        println!("{summary}");
    }
    Ok(())
}

/// `--with-subcharts`: what Go's `filepath.Walk` of `dir` finds, in its (lexical) order: the
/// directory of every `Chart.yaml`, and every `.tgz` / `.tar.gz`. Links are not followed and
/// unreadable entries are skipped.
fn subchart_paths(path: &str, out: &mut Vec<String>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return };
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "Chart.yaml" {
        let dir = path.rsplit_once('/').map_or(".", |(d, _)| d);
        out.push(go_clean(dir));
    } else if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        out.push(path.to_string());
    }
    if !meta.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in names {
        subchart_paths(&format!("{path}/{n}"), out);
    }
}
