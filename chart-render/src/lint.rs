//! `helm lint` as Helm 4.1.4 runs it: the rules of [`chart_core::lint`] (Chart.yaml, values,
//! dependencies, CRDs) plus the template rules, which render the chart in lint mode (where
//! `required` and `fail` only log) and check every rendered manifest: YAML validity, top-level
//! indentation, object names, deprecated API versions for the target Kubernetes version,
//! workload selectors and annotations on `List` items.
//!
//! ```
//! use chart_render::lint::{LintOptions, lint_dir};
//!
//! let dir = std::env::temp_dir().join(format!("chartkit-render-lint-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("templates")).unwrap();
//! std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\nicon: https://x.io/i.png\n").unwrap();
//! std::fs::write(dir.join("values.yaml"), "name: Web\n").unwrap();
//! std::fs::write(dir.join("templates/svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n").unwrap();
//! let report = lint_dir(&dir, &LintOptions::default());
//! assert_eq!(report.diagnostics.len(), 1);
//! assert!(report.diagnostics[0].to_string().starts_with(
//!     "[WARNING] templates/svc.yaml: object name does not conform to Kubernetes naming requirements: \"Web\""));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::path::{Path, PathBuf};

use chart_core::lint::{self as core_lint, LogLevel, LogRecord, ObjectHead, Report, Severity};
use chart_core::{Map, Value, ValuesError};

use crate::objects::KubeVersion;
use crate::render::{ReleaseInfo, render_chart};
use crate::template::ExecOptions;

/// What `required` or `fail` would have failed with, recorded instead in lint mode
/// ([`ExecOptions::lint_mode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LintNote {
    /// `required` got nil: its message.
    MissingRequired(String),
    /// `required` got an empty string: its message.
    MissingRequiredString(String),
    /// `fail` was called: its message.
    Fail(String),
}

impl LintNote {
    /// The line Helm logs for it (`level=WARN msg="missing required value" message=...`).
    pub fn log_record(&self) -> LogRecord {
        match self {
            LintNote::MissingRequired(m) => {
                LogRecord::new(LogLevel::Warn, "missing required value").with("message", m)
            }
            LintNote::MissingRequiredString(m) => {
                LogRecord::new(LogLevel::Warn, "missing required values").with("message", m)
            }
            LintNote::Fail(m) => LogRecord::new(LogLevel::Info, "funcMap fail").with("message", m),
        }
    }
}

/// How to lint: the values and cluster the chart is rendered for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LintOptions {
    /// The user's values (`-f`, `--set`, ...), merged.
    pub values: Map,
    /// `.Release.Namespace` (Helm: the `--namespace` flag, `default` without one).
    pub namespace: String,
    /// The Kubernetes version for `.Capabilities` and the deprecation check (`--kube-version`);
    /// `None` is Helm's default (v1.35.0; deprecations as of 1.35).
    pub kube_version: Option<KubeVersion>,
    /// Do not validate values against `values.schema.json`.
    pub skip_schema_validation: bool,
}

impl Default for LintOptions {
    fn default() -> LintOptions {
        LintOptions {
            values: Map::new(),
            namespace: "default".into(),
            kube_version: None,
            skip_schema_validation: false,
        }
    }
}

/// Lints the chart directory `dir` with every rule, in Helm's order: Chart.yaml, values,
/// templates, dependencies, CRDs.
pub fn lint_dir(dir: &Path, opts: &LintOptions) -> Report {
    let mut report = Report::new(dir);
    core_lint::chartfile(&mut report);
    core_lint::values(&mut report, &opts.values, opts.skip_schema_validation);
    templates(&mut report, opts);
    core_lint::dependencies(&mut report);
    core_lint::crds(&mut report);
    report
}

/// Why a path given to `helm lint` could not be linted at all. `Display` is Helm's message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// No temporary directory could be made to expand an archive into.
    #[error("unable to create temp dir to extract tarball: {}", core_lint::go_errno(.0))]
    TempDir(#[source] std::io::Error),
    /// The archive could not be expanded.
    #[error(transparent)]
    Archive(#[from] core_lint::ExpandError),
    /// The path holds no Chart.yaml.
    #[error(
        "unable to check Chart.yaml file in chart: stat {}: {}",
        path,
        core_lint::go_errno(source)
    )]
    NotAChart {
        /// `PATH/Chart.yaml`, as Go joins it.
        path: String,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
}

/// The outcome of linting one path given to `helm lint`.
#[derive(Debug)]
#[non_exhaustive]
pub struct ChartLint {
    /// The findings (empty when the path could not be linted).
    pub report: Report,
    /// Why the path could not be linted at all (no Chart.yaml, unreadable archive).
    pub error: Option<PathError>,
}

impl ChartLint {
    /// The errors that fail this chart (Helm's `LintResult.Errors`): the path's own error, or
    /// the findings at or above the failing severity (warnings count when `strict`).
    pub fn errors(&self, strict: bool) -> Vec<String> {
        match &self.error {
            Some(e) => vec![e.to_string()],
            None => self.report.failures(strict).into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether `--quiet` still shows this chart: it has a warning, an error, or a path error.
    pub fn has_warnings_or_errors(&self) -> bool {
        self.error.is_some() || self.report.has_warnings_or_errors()
    }
}

/// Lints a path as `helm lint PATH` does: a `.tgz`/`.tar.gz` archive is expanded into a
/// temporary directory first, and a path without a Chart.yaml is an error.
pub fn lint_path(path: &str, opts: &LintOptions) -> ChartLint {
    let fail = |e: PathError| ChartLint { report: Report::default(), error: Some(e) };
    // Keeps an expanded archive until the chart is linted.
    let mut _expanded = None;
    let chart_path: PathBuf = if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        let tmp = match TempDir::new() {
            Ok(t) => t,
            Err(e) => return fail(PathError::TempDir(e)),
        };
        let root = match core_lint::expand_archive(Path::new(path), &tmp.0) {
            Ok(r) => r,
            Err(e) => return fail(e.into()),
        };
        _expanded = Some(tmp);
        root
    } else {
        PathBuf::from(path)
    };
    let chart_yaml = core_lint::go_clean(&format!("{}/Chart.yaml", chart_path.display()));
    if let Err(source) = std::fs::metadata(&chart_yaml) {
        return fail(PathError::NotAChart { path: chart_yaml, source });
    }
    ChartLint { report: lint_dir(&chart_path, opts), error: None }
}

/// A directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let base = std::env::temp_dir();
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0u32..1000 {
            let n = seed.wrapping_mul(2_654_435_761).wrapping_add(std::process::id() ^ attempt);
            let p = base.join(format!("helm-lint{n}"));
            match std::fs::create_dir(&p) {
                Ok(()) => return Ok(TempDir(p)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free temporary name"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Parses `--kube-version` as Helm 4's `ParseKubeVersion`; the same as [`KubeVersion::parse`].
///
/// ```
/// let v = chart_render::lint::parse_kube_version("1.16").unwrap();
/// assert_eq!((v.version.as_str(), v.major.as_str(), v.minor.as_str()), ("v1.16", "1", "16"));
/// assert_eq!(chart_render::lint::parse_kube_version("1").unwrap_err(), "illegal version string \"1\"");
/// ```
pub fn parse_kube_version(text: &str) -> Result<KubeVersion, String> {
    KubeVersion::parse(text)
}

// ---------------------------------------------------------------------------------------------
// The template rules
// ---------------------------------------------------------------------------------------------

/// The template rules: `templates/` exists (warning) and is a directory; the chart loads; its
/// dependencies are processed and values computed and checked against the schemas; the chart
/// renders in lint mode; then each of the chart's own templates has an allowed extension and
/// each YAML one's rendered documents decode and pass the object checks. The first undecodable
/// document ends the rule.
pub fn templates(report: &mut Report, opts: &LintOptions) {
    const DIR: &str = "templates/";
    let dir = report.chart_dir.clone();
    let tdir = dir.join("templates");
    match std::fs::metadata(&tdir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            report.run(Severity::Warning, DIR, Err("directory does not exist".into()));
            return;
        }
        Err(e) => {
            let msg = format!("stat {}: {}", tdir.display(), core_lint::go_errno(&e));
            report.run(Severity::Error, DIR, Err(msg));
            return;
        }
        Ok(m) if !m.is_dir() => {
            report.run(Severity::Error, DIR, Err("not a directory".into()));
            return;
        }
        Ok(_) => {}
    }
    let chart = match core_lint::load_chart(&dir, report) {
        Ok(c) => c,
        Err(e) => {
            report.run(Severity::Error, DIR, Err(core_lint::load_error_message(&e)));
            return;
        }
    };
    let (computed, warnings) =
        core_lint::compute_values(chart, &opts.values, opts.skip_schema_validation);
    report.log.extend(warnings);
    let computed = match computed {
        Ok(c) => c,
        Err(ValuesError::Schema(e)) => {
            report.run(Severity::Error, DIR, Err(e.to_string()));
            return;
        }
        // Helm's lint gives up silently when dependencies or values cannot be processed.
        Err(_) => return,
    };
    let mut release = ReleaseInfo::new("test-release", &opts.namespace);
    release.revision = 0;
    release.is_install = false;
    if let Some(kv) = &opts.kube_version {
        release.kube_version = kv.clone();
    }
    let mut exec = ExecOptions { lint_mode: true, ..ExecOptions::default() };
    let rendered = render_chart(&computed, &release, &mut exec);
    report.log.extend(exec.lint_notes.iter().map(LintNote::log_record));
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            report.run(Severity::Error, DIR, Err(e.to_string()));
            return;
        }
    };
    let chart = &computed.chart;
    for t in &chart.templates {
        let name = t.name.as_str();
        report.run(Severity::Error, name, allowed_extension(name));
        let ext = go_ext(name).to_ascii_lowercase();
        if ext != ".yaml" && ext != ".yml" {
            continue;
        }
        let key = format!("{}/{name}", chart.name());
        let Some(content) = rendered.templates.get(&key) else { continue };
        if content.trim().is_empty() {
            continue;
        }
        report.run(Severity::Warning, name, top_indent_level(content));
        for doc in core_lint::decode_objects(content) {
            let head = match doc {
                Ok(Some(h)) => h,
                Ok(None) => continue,
                Err(e) => {
                    report.run(Severity::Error, name, Err(format!("unable to parse YAML: {e}")));
                    return;
                }
            };
            report.run(Severity::Warning, name, metadata_name(&head));
            report.run(Severity::Warning, name, no_deprecations(&head, opts.kube_version.as_ref()));
            report.run(Severity::Error, name, match_selector(&head, content));
            report.run(Severity::Error, name, list_annotations(&head, content));
        }
    }
}

/// Go's `filepath.Ext`.
fn go_ext(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rfind('.').map_or("", |i| &base[i..])
}

fn allowed_extension(name: &str) -> Result<(), String> {
    let ext = go_ext(name);
    if matches!(ext, ".yaml" | ".yml" | ".tpl" | ".txt") {
        return Ok(());
    }
    Err(format!(
        "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
    ))
}

/// The first non-blank line must not be indented (read line by line as Go's `bufio.Scanner`,
/// which gives up on lines of 64 KiB and more).
fn top_indent_level(content: &str) -> Result<(), String> {
    const MAX_LINE: usize = 64 * 1024;
    let mut rest = content;
    while !rest.is_empty() {
        let (line, next, had_newline) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, "", false),
        };
        if line.len() >= MAX_LINE + usize::from(!had_newline) {
            return Err("bufio.Scanner: token too long".into());
        }
        rest = next;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Err(format!(
                "document starts with an illegal indent: {}, which may cause parsing problems",
                chart_core::gofmt::go_quote(line)
            ));
        }
        return Ok(());
    }
    Ok(())
}

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, with the first character restricted to letters for
/// DNS-1035.
fn is_label(s: &str, alpha_first: bool) -> bool {
    let b = s.as_bytes();
    let inner = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    let end = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            (if alpha_first { f.is_ascii_lowercase() } else { end(f) })
                && end(l)
                && b.iter().all(inner)
        }
        _ => false,
    }
}

fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !is_label(s, false) {
        errs.push(DNS1123_LABEL_MSG.to_owned());
    }
    errs
}

fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_owned());
    }
    if !s.split('.').all(|part| is_label(part, false)) {
        errs.push(DNS1123_SUBDOMAIN_MSG.to_owned());
    }
    errs
}

fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !is_label(s, true) {
        errs.push(DNS1035_LABEL_MSG.to_owned());
    }
    errs
}

fn path_segment_name(s: &str) -> Vec<String> {
    for bad in [".", ".."] {
        if s == bad {
            return vec![format!("may not be '{bad}'")];
        }
    }
    ["/", "%"]
        .iter()
        .filter(|bad| s.contains(*bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

/// The object's name must satisfy the naming rule of its kind (Kubernetes' API validation).
fn metadata_name(head: &ObjectHead) -> Result<(), String> {
    let kind = head.kind.to_ascii_lowercase();
    let name = head.name.as_str();
    let errs = match kind.as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment_name(name),
        _ => dns1123_subdomain(name),
    };
    if errs.is_empty() {
        return Ok(());
    }
    let q = chart_core::gofmt::go_quote(name);
    let mut items: Vec<String> = Vec::new();
    for e in errs {
        let item = format!("metadata.name: Invalid value: {q}: {e}");
        if !items.contains(&item) {
            items.push(item);
        }
    }
    let agg = if items.len() == 1 { items.remove(0) } else { format!("[{}]", items.join(", ")) };
    Err(format!("object name does not conform to Kubernetes naming requirements: {q}: {agg}"))
}

/// API versions Kubernetes deprecates, as the Kubernetes 1.35 client Helm 4.1.4 is built with
/// knows them: (apiVersion, kind, deprecated in 1.x, removed in 1.x or 0, replacement).
/// Gathered by linting every built-in group/version/kind with helm 4.1.4 at
/// `--kube-version 1.99`.
const DEPRECATED_APIS: &[(&str, &str, u64, u64, &str)] = &[
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", 35, 38, ""),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", 35, 38, ""),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBindingList", 35, 38, ""),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyList", 35, 38, ""),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 29, 32, ""),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 29, 32, ""),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBindingList", 29, 32, ""),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyList", 29, 32, ""),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", 37, 40, ""),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", 37, 40, ""),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBindingList", 37, 40, ""),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyList", 37, 40, ""),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfigurationList",
        16,
        22,
        "admissionregistration.k8s.io/v1 MutatingWebhookConfigurationList",
    ),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 31, 34, ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 31, 34, ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBindingList", 31, 34, ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyList", 31, 34, ""),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfigurationList",
        16,
        22,
        "admissionregistration.k8s.io/v1 ValidatingWebhookConfigurationList",
    ),
    ("apps/v1beta1", "ControllerRevision", 8, 16, "apps/v1 ControllerRevision"),
    ("apps/v1beta1", "ControllerRevisionList", 8, 16, "apps/v1 ControllerRevisionList"),
    ("apps/v1beta1", "Deployment", 8, 16, "apps/v1 Deployment"),
    ("apps/v1beta1", "DeploymentList", 8, 16, "apps/v1 DeploymentList"),
    ("apps/v1beta1", "DeploymentRollback", 8, 16, "apps/v1 DeploymentRollback"),
    ("apps/v1beta1", "Scale", 8, 16, "autoscaling/v1 Scale"),
    ("apps/v1beta1", "StatefulSet", 8, 16, "apps/v1 StatefulSet"),
    ("apps/v1beta1", "StatefulSetList", 8, 16, "apps/v1 StatefulSetList"),
    ("apps/v1beta2", "ControllerRevision", 9, 16, "apps/v1 ControllerRevision"),
    ("apps/v1beta2", "ControllerRevisionList", 9, 16, "apps/v1 ControllerRevisionList"),
    ("apps/v1beta2", "DaemonSet", 9, 16, "apps/v1 DaemonSet"),
    ("apps/v1beta2", "DaemonSetList", 9, 16, "apps/v1 DaemonSetList"),
    ("apps/v1beta2", "Deployment", 9, 16, "apps/v1 Deployment"),
    ("apps/v1beta2", "DeploymentList", 9, 16, "apps/v1 DeploymentList"),
    ("apps/v1beta2", "ReplicaSet", 9, 16, "apps/v1 ReplicaSet"),
    ("apps/v1beta2", "ReplicaSetList", 9, 16, "apps/v1 ReplicaSetList"),
    ("apps/v1beta2", "Scale", 9, 16, "autoscaling/v1 Scale"),
    ("apps/v1beta2", "StatefulSet", 9, 16, "apps/v1 StatefulSet"),
    ("apps/v1beta2", "StatefulSetList", 9, 16, "apps/v1 StatefulSetList"),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview", 29, 32, ""),
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview", 30, 33, ""),
    (
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        19,
        22,
        "authentication.k8s.io/v1 TokenReview",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "LocalSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1 LocalSubjectAccessReview",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SelfSubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1 SelfSubjectAccessReview",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SelfSubjectRulesReview",
        19,
        22,
        "authorization.k8s.io/v1 SelfSubjectRulesReview",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        19,
        22,
        "authorization.k8s.io/v1 SubjectAccessReview",
    ),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        25,
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscalerList",
        22,
        25,
        "autoscaling/v2beta2 HorizontalPodAutoscalerList",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        26,
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    ("autoscaling/v2beta2", "HorizontalPodAutoscalerList", 22, 25, ""),
    ("batch/v1beta1", "CronJob", 21, 25, "batch/v1 CronJob"),
    ("batch/v1beta1", "CronJobList", 21, 25, "batch/v1 CronJobList"),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 34, 37, ""),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundleList", 34, 37, ""),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        22,
        "certificates.k8s.io/v1 CertificateSigningRequest",
    ),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequestList",
        19,
        22,
        "certificates.k8s.io/v1 CertificateSigningRequestList",
    ),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle", 36, 39, ""),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundleList", 36, 39, ""),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest", 38, 41, ""),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequestList", 38, 41, ""),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidate", 35, 38, ""),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidateList", 35, 38, ""),
    ("coordination.k8s.io/v1beta1", "Lease", 19, 22, "coordination.k8s.io/v1 Lease"),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate", 36, 39, ""),
    ("coordination.k8s.io/v1beta1", "LeaseCandidateList", 36, 39, ""),
    ("coordination.k8s.io/v1beta1", "LeaseList", 19, 22, "coordination.k8s.io/v1 LeaseList"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, "discovery.k8s.io/v1 EndpointSlice"),
    ("discovery.k8s.io/v1beta1", "EndpointSliceList", 21, 25, "discovery.k8s.io/v1 EndpointSlice"),
    ("events.k8s.io/v1beta1", "Event", 22, 25, ""),
    ("events.k8s.io/v1beta1", "EventList", 22, 25, ""),
    ("extensions/v1beta1", "DaemonSet", 8, 16, "apps/v1 DaemonSet"),
    ("extensions/v1beta1", "DaemonSetList", 8, 16, "apps/v1 DaemonSetList"),
    ("extensions/v1beta1", "Deployment", 8, 16, "apps/v1 Deployment"),
    ("extensions/v1beta1", "DeploymentList", 8, 16, "apps/v1 DeploymentList"),
    ("extensions/v1beta1", "DeploymentRollback", 8, 16, ""),
    ("extensions/v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1 Ingress"),
    ("extensions/v1beta1", "IngressList", 14, 22, "networking.k8s.io/v1 IngressList"),
    ("extensions/v1beta1", "NetworkPolicy", 9, 16, "networking.k8s.io/v1 NetworkPolicy"),
    ("extensions/v1beta1", "NetworkPolicyList", 9, 16, "networking.k8s.io/v1 NetworkPolicyList"),
    ("extensions/v1beta1", "ReplicaSet", 8, 16, "apps/v1 ReplicaSet"),
    ("extensions/v1beta1", "ReplicaSetList", 8, 16, "apps/v1 ReplicaSetList"),
    ("extensions/v1beta1", "Scale", 2, 16, ""),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchemaList",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfigurationList",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchemaList",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfigurationList",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 FlowSchema",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchemaList",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 FlowSchemaList",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfigurationList",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfigurationList",
    ),
    ("networking.k8s.io/v1beta1", "IPAddress", 34, 37, ""),
    ("networking.k8s.io/v1beta1", "IPAddressList", 34, 37, ""),
    ("networking.k8s.io/v1beta1", "Ingress", 19, 22, "networking.k8s.io/v1 Ingress"),
    ("networking.k8s.io/v1beta1", "IngressClass", 19, 22, "networking.k8s.io/v1 IngressClassList"),
    (
        "networking.k8s.io/v1beta1",
        "IngressClassList",
        19,
        22,
        "networking.k8s.io/v1 IngressClassList",
    ),
    ("networking.k8s.io/v1beta1", "IngressList", 19, 22, "networking.k8s.io/v1 IngressList"),
    ("networking.k8s.io/v1beta1", "ServiceCIDR", 34, 37, ""),
    ("networking.k8s.io/v1beta1", "ServiceCIDRList", 34, 37, ""),
    ("node.k8s.io/v1beta1", "RuntimeClass", 22, 25, ""),
    ("node.k8s.io/v1beta1", "RuntimeClassList", 22, 25, ""),
    ("policy/v1beta1", "Eviction", 22, 25, ""),
    ("policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1 PodDisruptionBudget"),
    ("policy/v1beta1", "PodDisruptionBudgetList", 21, 25, "policy/v1 PodDisruptionBudgetList"),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRole",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBindingList",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRoleBindingList",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleList",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRoleList",
    ),
    ("rbac.authorization.k8s.io/v1beta1", "Role", 17, 22, "rbac.authorization.k8s.io/v1 Role"),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1 RoleBinding",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBindingList",
        17,
        22,
        "rbac.authorization.k8s.io/v1 RoleBindingList",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "RoleList",
        17,
        22,
        "rbac.authorization.k8s.io/v1 RoleList",
    ),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRule", 36, 39, ""),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRuleList", 36, 39, ""),
    ("resource.k8s.io/v1beta1", "DeviceClass", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "DeviceClassList", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceClaim", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceClaimList", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplate", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplateList", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceSlice", 35, 38, ""),
    ("resource.k8s.io/v1beta1", "ResourceSliceList", 35, 38, ""),
    ("resource.k8s.io/v1beta2", "DeviceClass", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "DeviceClassList", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceClaim", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceClaimList", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplate", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplateList", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceSlice", 36, 39, ""),
    ("resource.k8s.io/v1beta2", "ResourceSliceList", 36, 39, ""),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, "scheduling.k8s.io/v1 PriorityClass"),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClassList",
        14,
        22,
        "scheduling.k8s.io/v1 PriorityClassList",
    ),
    (
        "storage.k8s.io/v1alpha1",
        "CSIStorageCapacity",
        21,
        24,
        "storage.k8s.io/v1beta1 CSIStorageCapacity",
    ),
    (
        "storage.k8s.io/v1alpha1",
        "CSIStorageCapacityList",
        21,
        24,
        "storage.k8s.io/v1beta1 CSIStorageCapacityList",
    ),
    ("storage.k8s.io/v1alpha1", "VolumeAttachment", 21, 24, "storage.k8s.io/v1 VolumeAttachment"),
    (
        "storage.k8s.io/v1alpha1",
        "VolumeAttachmentList",
        21,
        24,
        "storage.k8s.io/v1 VolumeAttachmentList",
    ),
    (
        "storage.k8s.io/v1alpha1",
        "VolumeAttributesClass",
        32,
        35,
        "storage.k8s.io/v1 VolumeAttributesClass",
    ),
    (
        "storage.k8s.io/v1alpha1",
        "VolumeAttributesClassList",
        32,
        35,
        "storage.k8s.io/v1 VolumeAttributesClassList",
    ),
    ("storage.k8s.io/v1beta1", "CSIDriver", 19, 22, "storage.k8s.io/v1 CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSIDriverList", 19, 22, "storage.k8s.io/v1 CSIDriverList"),
    ("storage.k8s.io/v1beta1", "CSINode", 17, 22, "storage.k8s.io/v1 CSINode"),
    ("storage.k8s.io/v1beta1", "CSINodeList", 17, 22, "storage.k8s.io/v1 CSINode"),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        27,
        "storage.k8s.io/v1 CSIStorageCapacity",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacityList",
        24,
        27,
        "storage.k8s.io/v1 CSIStorageCapacityList",
    ),
    ("storage.k8s.io/v1beta1", "StorageClass", 19, 22, "storage.k8s.io/v1 StorageClass"),
    ("storage.k8s.io/v1beta1", "StorageClassList", 19, 22, "storage.k8s.io/v1 StorageClassList"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", 19, 22, "storage.k8s.io/v1 VolumeAttachment"),
    (
        "storage.k8s.io/v1beta1",
        "VolumeAttachmentList",
        19,
        22,
        "storage.k8s.io/v1 VolumeAttachmentList",
    ),
    (
        "storage.k8s.io/v1beta1",
        "VolumeAttributesClass",
        34,
        37,
        "storage.k8s.io/v1 VolumeAttributesClass",
    ),
    (
        "storage.k8s.io/v1beta1",
        "VolumeAttributesClassList",
        34,
        37,
        "storage.k8s.io/v1 VolumeAttributesClassList",
    ),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigration", 38, 41, ""),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigrationList", 38, 41, ""),
    ("v1", "ComponentStatus", 19, 0, ""),
    ("v1", "ComponentStatusList", 19, 0, ""),
    ("v1", "Endpoints", 33, 0, "discovery.k8s.io/v1 EndpointSlice"),
    ("v1", "EndpointsList", 33, 0, "discovery.k8s.io/v1 EndpointSliceList"),
];

/// Helm's deprecation check: a built-in kind in a version deprecated (or removed) as of the
/// target Kubernetes version, with the Kubernetes API server's warning text.
fn no_deprecations(head: &ObjectHead, kube: Option<&KubeVersion>) -> Result<(), String> {
    if head.api_version.is_empty() || head.kind.is_empty() {
        return Ok(());
    }
    let Some(&(gv, kind, deprecated, removed, replacement)) =
        DEPRECATED_APIS.iter().find(|(gv, kind, ..)| *gv == head.api_version && *kind == head.kind)
    else {
        return Ok(());
    };
    let (major, minor) = match kube {
        Some(k) => (k.major.as_str(), k.minor.as_str()),
        None => ("1", "35"),
    };
    let atoi = |s: &str| {
        s.parse::<u64>().map_err(|_| {
            format!("strconv.Atoi: parsing {}: invalid syntax", chart_core::gofmt::go_quote(s))
        })
    };
    let current = (atoi(major)?, atoi(minor)?);
    let reached = |m: u64| m != 0 && current >= (1, m);
    if !reached(deprecated) && !reached(removed) {
        return Ok(());
    }
    let mut msg = format!("{gv} {kind} is deprecated in v1.{deprecated}+");
    if removed != 0 {
        msg.push_str(&format!(", unavailable in v1.{removed}+"));
    }
    if !replacement.is_empty() {
        msg.push_str(&format!("; use {replacement}"));
    }
    Err(msg)
}

/// Workloads must select their pods (`matchLabels` or `matchExpressions` somewhere in the
/// rendered file).
fn match_selector(head: &ObjectHead, content: &str) -> Result<(), String> {
    match head.kind.as_str() {
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            if !content.contains("matchLabels") && !content.contains("matchExpressions") =>
        {
            Err(format!(
                "a {} must contain matchLabels or matchExpressions, and {} does not",
                head.kind,
                chart_core::gofmt::go_quote(&head.name)
            ))
        }
        _ => Ok(()),
    }
}

/// `helm.sh/resource-policy` on items of a `List` is ignored by Helm. Helm reads the items from
/// the first document of the whole rendered file.
fn list_annotations(head: &ObjectHead, content: &str) -> Result<(), String> {
    if head.kind != "List" {
        return Ok(());
    }
    let prefix = "unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";
    let doc = chart_core::yaml::parse_document(content)
        .map_err(|e| format!("unable to parse YAML: {}", e.message))?;
    let field = |m: &Map, name: &str| -> Option<Value> {
        m.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).next_back()
    };
    let Value::Map(top) = doc else { return Ok(()) };
    let items = match field(&top, "items") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::List(l)) => l,
        Some(_) => {
            return Err(format!(
                "{prefix} a non-array value into Go struct field .Items of type []struct {{ Metadata struct {{ Annotations map[string]string }} }}"
            ));
        }
    };
    for item in items {
        let Value::Map(item) = item else { continue };
        let Some(Value::Map(meta)) = field(&item, "metadata") else { continue };
        let Some(Value::Map(annotations)) = field(&meta, "annotations") else { continue };
        if annotations.contains_key("helm.sh/resource-policy") {
            return Err(
                "annotation 'helm.sh/resource-policy' within List objects are ignored".into()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(api: &str, kind: &str, name: &str) -> ObjectHead {
        let mut h = ObjectHead::default();
        h.api_version = api.into();
        h.kind = kind.into();
        h.name = name.into();
        h
    }

    #[test]
    fn lint_mode_records_required_and_fail() {
        let mut set = crate::template::TemplateSet::new();
        set.parse(
            "t",
            r#"a{{ required "need b" .b }}b{{ required "need c" "" }}c{{ fail "stop" }}d"#,
        )
        .expect("parses");
        let data = crate::Val::from_value(&Value::Map(Map::new()));
        let mut opts = ExecOptions { lint_mode: true, ..ExecOptions::default() };
        assert_eq!(set.execute_with("t", data.clone(), &mut opts).expect("no failure"), "abcd");
        let lines: Vec<String> =
            opts.lint_notes.iter().map(|n| n.log_record().to_string()).collect();
        // The lines helm 4.1.4 logs for these calls.
        assert_eq!(
            lines,
            [
                "level=WARN msg=\"missing required value\" message=\"need b\"",
                "level=WARN msg=\"missing required values\" message=\"need c\"",
                "level=INFO msg=\"funcMap fail\" message=stop",
            ]
        );
        // Without lint mode the first call fails.
        let err = set.execute("t", data).expect_err("required fails");
        assert_eq!(err.failure_message(), Some("need b"));
    }

    #[test]
    fn names_follow_the_rule_of_their_kind() {
        // Messages observed with helm 4.1.4.
        assert_eq!(
            metadata_name(&head("v1", "Role", "a/b")).unwrap_err(),
            "object name does not conform to Kubernetes naming requirements: \"a/b\": metadata.name: Invalid value: \"a/b\": may not contain '/'"
        );
        assert_eq!(
            metadata_name(&head("v1", "ClusterRole", "..")).unwrap_err(),
            "object name does not conform to Kubernetes naming requirements: \"..\": metadata.name: Invalid value: \"..\": may not be '..'"
        );
        let long = format!("{}.x", "b".repeat(64));
        assert_eq!(
            metadata_name(&head("v1", "Service", &long)).unwrap_err(),
            format!(
                "object name does not conform to Kubernetes naming requirements: \"{long}\": [metadata.name: Invalid value: \"{long}\": must be no more than 63 characters, metadata.name: Invalid value: \"{long}\": {DNS1035_LABEL_MSG}]"
            )
        );
        assert!(
            metadata_name(&head("v1", "Namespace", "My_NS"))
                .unwrap_err()
                .contains(DNS1123_LABEL_MSG)
        );
        assert!(metadata_name(&head("v1", "CertificateSigningRequest", "ANY_thing")).is_ok());
        assert!(metadata_name(&head("v1", "Role", "")).is_ok());
        assert!(metadata_name(&head("v1", "ConfigMap", "a.b-c")).is_ok());
        assert!(metadata_name(&head("v1", "ConfigMap", "a..b")).is_err());
    }

    #[test]
    fn deprecations_depend_on_the_kube_version() {
        let ing = head("extensions/v1beta1", "Ingress", "a");
        assert_eq!(
            no_deprecations(&ing, None).unwrap_err(),
            "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"
        );
        let kv = |s: &str| parse_kube_version(s).expect("valid");
        assert!(no_deprecations(&ing, Some(&kv("1.8.0"))).is_ok());
        assert!(no_deprecations(&ing, Some(&kv("1.16"))).is_err());
        assert!(no_deprecations(&ing, Some(&kv("0.50"))).is_ok());
        assert!(no_deprecations(&ing, Some(&kv("2.0"))).is_err());
        let cs = head("v1", "ComponentStatus", "a");
        assert_eq!(
            no_deprecations(&cs, None).unwrap_err(),
            "v1 ComponentStatus is deprecated in v1.19+"
        );
        // Deprecated only from 1.36: not by Helm's default 1.35.
        assert!(
            no_deprecations(&head("resource.k8s.io/v1beta2", "DeviceClass", "b"), None).is_ok()
        );
        // Removed from the client's scheme: Helm no longer knows it.
        assert!(no_deprecations(&head("policy/v1beta1", "PodSecurityPolicy", "b"), None).is_ok());
    }

    #[test]
    fn kube_versions_parse_as_kubernetes_generic_versions() {
        // Messages observed with helm 4.1.4 (`invalid kube version '...': <this>`).
        assert_eq!(
            parse_kube_version("01.2").unwrap_err(),
            "illegal zero-prefixed version component \"01\" in \"01.2\""
        );
        assert_eq!(parse_kube_version("V1.2").unwrap_err(), "could not parse \"V1.2\" as version");
        assert_eq!(
            parse_kube_version("1.99999999999999999999").unwrap_err(),
            "illegal non-numeric version component \"99999999999999999999\" in \"1.99999999999999999999\": strconv.ParseUint: parsing \"99999999999999999999\": value out of range"
        );
        let v = parse_kube_version("v1.16.3-rc.1+abc").expect("valid");
        assert_eq!((v.version.as_str(), v.minor.as_str()), ("v1.16.3-rc.1+abc", "16"));
        assert_eq!(parse_kube_version("1.2x").expect("valid").version, "v1.2x");
    }

    #[test]
    fn top_indent() {
        assert_eq!(
            top_indent_level("\n\n  apiVersion: v1\n").unwrap_err(),
            "document starts with an illegal indent: \"  apiVersion: v1\", which may cause parsing problems"
        );
        assert!(top_indent_level("---\n  kind: x\n").is_ok());
        let long = format!("{}\nkind: x\n", "a".repeat(70_000));
        assert_eq!(top_indent_level(&long).unwrap_err(), "bufio.Scanner: token too long");
    }

    #[test]
    fn extensions() {
        assert!(allowed_extension("templates/a.yaml").is_ok());
        assert_eq!(
            allowed_extension("templates/a.YML").unwrap_err(),
            "file extension '.YML' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
        );
        assert_eq!(
            allowed_extension("templates/noext").unwrap_err(),
            "file extension '' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
        );
    }

    #[test]
    fn list_items_with_resource_policy() {
        let l = head("v1", "List", "");
        let text = "apiVersion: v1\nkind: List\nitems:\n- metadata:\n    annotations:\n      helm.sh/resource-policy: keep\n";
        assert_eq!(
            list_annotations(&l, text).unwrap_err(),
            "annotation 'helm.sh/resource-policy' within List objects are ignored"
        );
        // Only the file's first document is read.
        assert!(list_annotations(&l, &format!("kind: Service\n---\n{text}")).is_ok());
    }
}
