//! `helm create`: a new chart directory from chartkit's starter.
//!
//! The starter is chartkit's own: a Deployment running a small web server, its Service and
//! ServiceAccount, a `helm test` connection check, `NOTES.txt`, named templates in
//! `_helpers.tpl`, a commented `values.yaml` and a `.helmignore`. It passes `helm lint` and
//! renders with `helm template` as generated.
//!
//! Name checks follow Helm 4.1.4 (`^[a-zA-Z0-9._-]+$`, 1 to 250 characters, the same messages),
//! with one deliberate difference: `.` and `..` are refused. Helm accepts them and writes the
//! starter into the parent directory itself (or its parent), and then cannot load the result.
//! Like Helm, existing files of an existing chart directory are overwritten and other files
//! are left alone.

use crate::gofmt::go_io_error;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The longest chart name `create` accepts.
pub const MAX_CHART_NAME_LEN: usize = 250;

/// The pattern chart names must match, as Helm prints it.
pub const CHART_NAME_PATTERN: &str = "^[a-zA-Z0-9._-]+$";

/// Why a chart could not be created. `Display` gives Helm's message where Helm has one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateError {
    /// The name is empty or longer than [`MAX_CHART_NAME_LEN`].
    #[error("chart name must be between 1 and {MAX_CHART_NAME_LEN} characters")]
    NameLength,
    /// The name has characters other than ASCII letters, digits, `.`, `_` and `-`.
    #[error("chart name must match the regular expression \"{CHART_NAME_PATTERN}\"")]
    InvalidName,
    /// The name is `.` or `..` (chartkit refuses these; Helm does not).
    #[error("chart name {0:?} is not allowed")]
    ReservedName(String),
    /// The parent directory could not be examined (it usually does not exist).
    #[error("stat {}: {}", path.display(), go_io_error(source))]
    Parent {
        /// The parent directory, made absolute.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The parent path exists but is not a directory.
    #[error("no such directory {}", .0.display())]
    ParentNotADirectory(PathBuf),
    /// Something that is not a directory already has the chart's path.
    #[error("file {} already exists and is not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// Writing a file or making a directory failed.
    #[error("{op} {}: {}", path.display(), go_io_error(source))]
    Io {
        /// `open` (writing a file) or `mkdir`.
        op: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
}

/// Creates the starter chart `name` inside `parent_dir` and returns the chart's directory
/// (absolute, like Helm's).
///
/// `parent_dir` must exist. The chart directory may exist already: the starter's files are
/// written over same-named files in it and everything else is kept (Helm prints a warning
/// per overwritten file; this function does not print).
///
/// ```no_run
/// let dir = chart_core::create::create("web", std::path::Path::new(".")).unwrap();
/// assert!(dir.join("Chart.yaml").is_file());
/// ```
pub fn create(name: &str, parent_dir: &Path) -> Result<PathBuf, CreateError> {
    validate_chart_name(name)?;
    let parent = go_abs(parent_dir)
        .map_err(|source| CreateError::Parent { path: parent_dir.to_path_buf(), source })?;
    match std::fs::metadata(&parent) {
        Err(source) => return Err(CreateError::Parent { path: parent, source }),
        Ok(m) if !m.is_dir() => return Err(CreateError::ParentNotADirectory(parent)),
        Ok(_) => {}
    }
    let dir = parent.join(name);
    if let Ok(m) = std::fs::metadata(&dir) {
        if !m.is_dir() {
            return Err(CreateError::NotADirectory(dir));
        }
    }
    for (file, content) in starter_files(name) {
        let path = dir.join(file);
        if let Some(d) = path.parent() {
            mkdir_all(d)?;
        }
        std::fs::write(&path, content).map_err(|source| CreateError::Io {
            op: "open",
            path: path.clone(),
            source,
        })?;
    }
    mkdir_all(&dir.join("charts"))?;
    Ok(dir)
}

/// Checks a chart name as `helm create` does (plus refusing `.` and `..`).
///
/// ```
/// use chart_core::create::validate_chart_name;
/// assert!(validate_chart_name("my-chart_2.x").is_ok());
/// assert_eq!(
///     validate_chart_name("a/b").unwrap_err().to_string(),
///     "chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\""
/// );
/// ```
pub fn validate_chart_name(name: &str) -> Result<(), CreateError> {
    if name.is_empty() || name.len() > MAX_CHART_NAME_LEN {
        return Err(CreateError::NameLength);
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
        return Err(CreateError::InvalidName);
    }
    if name == "." || name == ".." {
        return Err(CreateError::ReservedName(name.to_owned()));
    }
    Ok(())
}

fn mkdir_all(dir: &Path) -> Result<(), CreateError> {
    std::fs::create_dir_all(dir).map_err(|source| CreateError::Io {
        op: "mkdir",
        path: dir.to_path_buf(),
        source,
    })
}

/// The starter's files (relative path, contents) for a chart called `name`.
///
/// ```
/// let files = chart_core::create::starter_files("web");
/// assert!(files.iter().any(|(path, _)| *path == "templates/deployment.yaml"));
/// ```
pub fn starter_files(name: &str) -> Vec<(&'static str, String)> {
    let fill = |t: &str| t.replace("@CHART@", name);
    vec![
        ("Chart.yaml", CHART_YAML.replace("@NAME@", &yaml_name(name))),
        ("values.yaml", fill(VALUES_YAML)),
        (".helmignore", HELMIGNORE.to_owned()),
        ("templates/_helpers.tpl", fill(HELPERS_TPL)),
        ("templates/deployment.yaml", fill(DEPLOYMENT_YAML)),
        ("templates/service.yaml", fill(SERVICE_YAML)),
        ("templates/serviceaccount.yaml", fill(SERVICEACCOUNT_YAML)),
        ("templates/NOTES.txt", fill(NOTES_TXT)),
        ("templates/tests/test-connection.yaml", fill(TEST_CONNECTION_YAML)),
    ]
}

/// The chart name as a YAML scalar that reads back as the same string: plain when that is
/// safe, double-quoted when YAML 1.1 would read it as a number, boolean or null.
fn yaml_name(name: &str) -> String {
    const WORDS: &[&str] =
        &["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"];
    let starts_with_letter = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    if starts_with_letter && !WORDS.contains(&name.to_ascii_lowercase().as_str()) {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    }
}

/// Go's `filepath.Abs`: joined to the working directory if relative, then cleaned lexically.
pub(crate) fn go_abs(p: &Path) -> io::Result<PathBuf> {
    let joined = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` at the root stays at the root, as in Go's Clean.
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

const CHART_YAML: &str = r#"# Chart.yaml names and versions the chart. Field reference:
# https://helm.sh/docs/topics/charts/#the-chartyaml-file
apiVersion: v2
name: @NAME@
description: A small web service, ready to be adapted to your own application

# "application" charts install Kubernetes objects. "library" charts only offer named
# templates to other charts and cannot be installed on their own.
type: application

# The version of the chart itself (SemVer 2). Raise it on every change to the chart,
# templates and default values included.
version: 0.1.0

# The version of the software the chart runs. The container image tag defaults to it.
# Keep it quoted so that YAML reads it as text.
appVersion: "1.27.0"
"#;

const VALUES_YAML: &str = r#"# Default settings for @CHART@. Override them at install time with
# `--set key=value` or `-f my-values.yaml`.

# How many identical pods to run.
replicaCount: 1

image:
  # Where to pull the container image from.
  repository: nginx
  # The image tag. Left empty, the chart's appVersion is used.
  tag: ""
  # When the kubelet pulls the image: Always, IfNotPresent or Never.
  pullPolicy: IfNotPresent

# Secrets with credentials for private registries, e.g. [{name: my-registry}].
imagePullSecrets: []

# Replaces the chart name in object names and labels.
nameOverride: ""
# Replaces the whole object name (normally "<release>-<chart>").
fullnameOverride: ""

serviceAccount:
  # Create a dedicated ServiceAccount for the pods.
  create: true
  # Mount the ServiceAccount's API token into the pods.
  automount: true
  # Annotations for the ServiceAccount (cloud IAM bindings, for example).
  annotations: {}
  # Its name. Left empty, the object name of the release is used when `create` is true,
  # and the namespace's "default" account otherwise.
  name: ""

# Extra annotations and labels for the pods.
podAnnotations: {}
podLabels: {}

# Security settings for the whole pod, e.g. {runAsNonRoot: true, fsGroup: 2000}.
podSecurityContext: {}

# Security settings for the container, e.g. {readOnlyRootFilesystem: true}.
securityContext: {}

# The port the application listens on inside the container.
containerPort: 80

service:
  # ClusterIP (inside the cluster only), NodePort or LoadBalancer.
  type: ClusterIP
  # The port the Service exposes.
  port: 80

# Health checks, passed to the container as they are.
livenessProbe:
  httpGet:
    path: /
    port: http
readinessProbe:
  httpGet:
    path: /
    port: http

# CPU and memory requests and limits, e.g.
#   requests: {cpu: 100m, memory: 64Mi}
#   limits: {memory: 128Mi}
resources: {}

# Where pods may be scheduled.
nodeSelector: {}
tolerations: []
affinity: {}
"#;

const HELMIGNORE: &str = r#"# Paths `helm package` leaves out of the chart archive, one pattern per line.
# Patterns are shell globs relative to the chart directory; a trailing "/" matches
# directories only and a leading "!" takes a path back in.

# Version control
.git/
.gitignore
.hg/
.hgignore
.svn/
.bzr/

# Editors and operating systems
.DS_Store
.idea/
.vscode/
*.swp
*.tmp
*.bak
*.orig
*~

# Continuous integration
.github/
.gitlab-ci.yml
"#;

const HELPERS_TPL: &str = r#"{{/*
Named templates shared by this chart's manifests. They are defined with the chart's
name as a prefix so that they cannot clash with templates of other charts.
*/}}

{{/*
The chart's name, or nameOverride when set. Cut to 63 characters, the limit of
Kubernetes label values.
*/}}
{{- define "@CHART@.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of this release's objects: fullnameOverride when set, else the release
name followed by the chart name, unless the release name already starts with it.
Service names may not contain upper case, "_" or ".", so those are normalised.
*/}}
{{- define "@CHART@.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "@CHART@.name" . }}
{{- $full := .Release.Name }}
{{- if not (hasPrefix $name .Release.Name) }}
{{- $full = printf "%s-%s" .Release.Name $name }}
{{- end }}
{{- $full | lower | replace "_" "-" | replace "." "-" | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label ("+" is not allowed in labels).
*/}}
{{- define "@CHART@.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels for every object of the release.
*/}}
{{- define "@CHART@.labels" -}}
helm.sh/chart: {{ include "@CHART@.chart" . }}
{{ include "@CHART@.selectorLabels" . }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The labels the Service and the Deployment use to find the pods. Never change them
in an upgrade: a Deployment's selector cannot be modified.
*/}}
{{- define "@CHART@.selectorLabels" -}}
app.kubernetes.io/name: {{ include "@CHART@.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The ServiceAccount the pods run as.
*/}}
{{- define "@CHART@.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "@CHART@.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}
"#;

const DEPLOYMENT_YAML: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "@CHART@.fullname" . }}
  labels:
    {{- include "@CHART@.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "@CHART@.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "@CHART@.selectorLabels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "@CHART@.serviceAccountName" . }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: {{ .Values.containerPort }}
              protocol: TCP
          {{- with .Values.livenessProbe }}
          livenessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
"#;

const SERVICE_YAML: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: {{ include "@CHART@.fullname" . }}
  labels:
    {{- include "@CHART@.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "@CHART@.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
"#;

const SERVICEACCOUNT_YAML: &str = r#"{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "@CHART@.serviceAccountName" . }}
  labels:
    {{- include "@CHART@.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automount }}
{{- end }}
"#;

const NOTES_TXT: &str = r#"{{ .Chart.Name }} {{ .Chart.AppVersion }} is installed as release "{{ .Release.Name }}" in namespace "{{ .Release.Namespace }}".
{{- $svc := include "@CHART@.fullname" . }}
{{- $ns := .Release.Namespace }}

To reach the application:
{{- if eq .Values.service.type "NodePort" }}
  NODE_PORT=$(kubectl get service {{ $svc }} --namespace {{ $ns }} -o jsonpath="{.spec.ports[0].nodePort}")
  NODE_IP=$(kubectl get nodes -o jsonpath="{.items[0].status.addresses[0].address}")
  echo "http://$NODE_IP:$NODE_PORT/"
{{- else if eq .Values.service.type "LoadBalancer" }}
  The external address can take a minute to appear. Watch for it with
    kubectl get service {{ $svc }} --namespace {{ $ns }} --watch
  and then open http://<EXTERNAL-IP>:{{ .Values.service.port }}/
{{- else }}
  kubectl port-forward service/{{ $svc }} 8080:{{ .Values.service.port }} --namespace {{ $ns }}
  and then open http://127.0.0.1:8080/
{{- end }}

Check that the Service answers with:
  helm test {{ .Release.Name }} --namespace {{ $ns }}
"#;

const TEST_CONNECTION_YAML: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: "{{ include "@CHART@.fullname" . }}-test-connection"
  labels:
    {{- include "@CHART@.labels" . | nindent 4 }}
  annotations:
    # Run by `helm test`, and removed again once it has passed.
    "helm.sh/hook": test
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  containers:
    - name: check
      image: busybox:1.36
      command: ["wget", "--spider", "--timeout=10", "http://{{ include "@CHART@.fullname" . }}:{{ .Values.service.port }}/"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(validate_chart_name("Bad_Name").is_ok());
        assert!(matches!(validate_chart_name(""), Err(CreateError::NameLength)));
        assert!(matches!(validate_chart_name(&"a".repeat(251)), Err(CreateError::NameLength)));
        assert!(validate_chart_name(&"a".repeat(250)).is_ok());
        for bad in ["a/b", "foo bar", "über", "x/"] {
            assert!(matches!(validate_chart_name(bad), Err(CreateError::InvalidName)), "{bad}");
        }
        assert!(matches!(validate_chart_name(".."), Err(CreateError::ReservedName(_))));
    }

    #[test]
    fn creates_and_refuses_like_helm() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = create("web", tmp.path()).expect("created");
        assert_eq!(dir, tmp.path().join("web"));
        assert!(dir.join("charts").is_dir());
        let chart_yaml = std::fs::read_to_string(dir.join("Chart.yaml")).expect("Chart.yaml");
        assert!(chart_yaml.contains("\nname: web\n"), "{chart_yaml}");
        let helpers = std::fs::read_to_string(dir.join("templates/_helpers.tpl")).expect("helpers");
        assert!(helpers.contains("define \"web.fullname\"") && !helpers.contains("@CHART@"));

        // Existing files are overwritten, others kept.
        std::fs::write(dir.join("extra.txt"), "keep").expect("write");
        std::fs::write(dir.join("values.yaml"), "x: 1").expect("write");
        create("web", tmp.path()).expect("re-created");
        assert!(dir.join("extra.txt").is_file());
        let values = std::fs::read_to_string(dir.join("values.yaml")).expect("values");
        assert!(values.contains("replicaCount: 1"));

        std::fs::write(tmp.path().join("afile"), "x").expect("write");
        let e = create("afile", tmp.path()).expect_err("not a dir");
        assert_eq!(
            e.to_string(),
            format!(
                "file {} already exists and is not a directory",
                tmp.path().join("afile").display()
            )
        );
        let e = create("x", &tmp.path().join("missing")).expect_err("no parent");
        assert_eq!(
            e.to_string(),
            format!("stat {}: no such file or directory", tmp.path().join("missing").display())
        );
        let e = create("x", &tmp.path().join("afile")).expect_err("parent is a file");
        assert_eq!(
            e.to_string(),
            format!("no such directory {}", tmp.path().join("afile").display())
        );
    }

    #[test]
    fn awkward_names_stay_strings() {
        assert_eq!(yaml_name("web"), "web");
        assert_eq!(yaml_name("1.10"), "\"1.10\"");
        assert_eq!(yaml_name("Yes"), "\"Yes\"");
        assert_eq!(yaml_name("_x"), "\"_x\"");
    }

    #[test]
    fn abs_is_lexically_clean() {
        assert_eq!(go_abs(Path::new("/a/./b/../c")).ok(), Some(PathBuf::from("/a/c")));
        assert_eq!(go_abs(Path::new("/../x")).ok(), Some(PathBuf::from("/x")));
    }
}
