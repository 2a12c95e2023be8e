//! The rules of `helm lint` (Helm 4.1.4) that need no template engine: Chart.yaml, values.yaml
//! and values.schema.json, dependencies (`charts/` against Chart.yaml) and `crds/`.
//!
//! Findings are data: each rule adds [`Diagnostic`]s (severity, path, message, worded as Helm
//! words them) to a [`Report`], and what Helm logs on stderr meanwhile (loader warnings, the
//! messages of `required`/`fail` in lint mode) is kept as [`LogRecord`]s. The template rules and
//! the whole run live in `chart-render` (`chart_render::lint`), which renders the chart.
//!
//! ```
//! use chart_core::lint::{Report, Severity, chartfile};
//!
//! let dir = std::env::temp_dir().join(format!("chartkit-lint-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: web\nversion: v1.0.0\n").unwrap();
//! let mut report = Report::new(&dir);
//! chartfile(&mut report);
//! let lines: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
//! assert_eq!(lines, [
//!     "[INFO] Chart.yaml: icon is recommended",
//!     "[WARNING] Chart.yaml: version 'v1.0.0' is not a valid SemVerV2",
//! ]);
//! assert_eq!(report.highest_severity(), Some(Severity::Warning));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! Rules read the chart directory itself (as Helm stats and reads files in it), so an archive is
//! linted by expanding it first ([`expand_archive`]).

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::chart::{Chart, LoadError};
use crate::load::LoadLimits;
use crate::metadata::{self, Metadata, RawMetadata};
use crate::value::{Map, Value};
use crate::yaml;

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

/// How serious a finding is: Helm's `InfoSev`, `WarningSev` and `ErrorSev`, in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A recommendation (`[INFO]`); never fails a chart.
    Info,
    /// Breaks a convention (`[WARNING]`); fails a chart only with `--strict`.
    Warning,
    /// Will likely not work (`[ERROR]`); fails the chart.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        })
    }
}

/// One finding. `Display` is Helm's line: `[SEVERITY] path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// What it is about, as Helm names it: `Chart.yaml`, `values.yaml`, `templates/`,
    /// `templates/deployment.yaml`, `crds/x.yaml`, the chart's absolute directory, or empty.
    pub path: String,
    /// Helm's message (may span lines).
    pub message: String,
}

impl Diagnostic {
    /// A finding.
    pub fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity, path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.severity, self.path, self.message)
    }
}

/// The level of a [`LogRecord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogLevel {
    /// `level=INFO`.
    Info,
    /// `level=WARN`.
    Warn,
}

/// A line Helm logs on stderr while linting, with Go's `log/slog` text layout as `Display`:
/// `level=WARN msg="missing required value" message=x`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogRecord {
    /// Its level.
    pub level: LogLevel,
    /// The message (`msg=`).
    pub message: String,
    /// Further attributes, in order.
    pub attrs: Vec<(String, String)>,
}

impl LogRecord {
    /// A record without attributes.
    pub fn new(level: LogLevel, message: impl Into<String>) -> Self {
        LogRecord { level, message: message.into(), attrs: Vec::new() }
    }

    /// The record with one more attribute.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attrs.push((key.into(), value.into()));
        self
    }
}

impl fmt::Display for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            LogLevel::Info => "INFO",
            LogLevel::Warn => "WARN",
        };
        write!(f, "level={level} msg={}", slog_text(&self.message))?;
        for (k, v) in &self.attrs {
            write!(f, " {}={}", slog_text(k), slog_text(v))?;
        }
        Ok(())
    }
}

/// A string as Go's `slog.TextHandler` writes it: bare when it is non-empty and made of
/// characters JSON would not escape (other than space, `=` and `"`), quoted otherwise.
pub fn slog_text(s: &str) -> String {
    let needs_quoting = s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c != '\\' && (c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20)
            } else {
                c.is_whitespace() || !crate::gofmt::is_go_print(c)
            }
        });
    if needs_quoting { crate::gofmt::go_quote(s) } else { s.to_owned() }
}

/// The findings of one chart (Helm's `support.Linter`), and what was logged on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The chart directory, absolute (dependency findings are reported against it).
    pub chart_dir: PathBuf,
    /// Findings, in the order the rules ran.
    pub diagnostics: Vec<Diagnostic>,
    /// What Helm logs on stderr while linting, in order.
    pub log: Vec<LogRecord>,
}

impl Report {
    /// An empty report for the chart in `dir` (made absolute as Go's `filepath.Abs` does).
    pub fn new(dir: &Path) -> Report {
        Report { chart_dir: go_abs(dir), ..Report::default() }
    }

    /// Helm's `RunLinterRule`: records `result`'s error as a finding of `severity` about `path`;
    /// `true` when the rule passed.
    pub fn run(&mut self, severity: Severity, path: &str, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => true,
            Err(message) => {
                self.diagnostics.push(Diagnostic::new(severity, path, message));
                false
            }
        }
    }

    /// The most serious finding's severity, if there is any finding.
    pub fn highest_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }

    /// Whether some finding is a warning or an error (Helm's `HasWarningsOrErrors`).
    pub fn has_warnings_or_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity > Severity::Info)
    }

    /// The messages of the findings that fail the chart: errors, and warnings too when
    /// `strict`.
    pub fn failures(&self, strict: bool) -> Vec<&str> {
        let lowest = if strict { Severity::Warning } else { Severity::Error };
        self.diagnostics
            .iter()
            .filter(|d| d.severity >= lowest)
            .map(|d| d.message.as_str())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Paths and I/O errors the way Go words them
// ---------------------------------------------------------------------------------------------

/// Go's `filepath.Clean` for `/`-separated paths.
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Abs`: joined to the working directory and cleaned, without touching links.
pub fn go_abs(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    if text.starts_with('/') {
        return PathBuf::from(go_clean(&text));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    PathBuf::from(go_clean(&format!("{}/{text}", cwd.to_string_lossy())))
}

/// The text of a system error as Go prints it (`no such file or directory`).
pub fn go_errno(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(2) => "no such file or directory".into(),
        Some(13) => "permission denied".into(),
        Some(20) => "not a directory".into(),
        Some(21) => "is a directory".into(),
        _ => {
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            };
            let mut c = s.chars();
            match c.next() {
                Some(first) => first.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

/// Reads a file as Go's `os.ReadFile`, with its error worded as Go words it
/// (`read /x/Chart.yaml: is a directory`, `open /x/y: no such file or directory`).
fn go_read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| {
        let op = if e.raw_os_error() == Some(21) { "read" } else { "open" };
        format!("{op} {}: {}", path.display(), go_errno(&e))
    })
}

/// What `os.Stat` says about a path.
enum Stat {
    Missing,
    File,
    Dir,
    Failed(String),
}

fn stat(path: &Path) -> Stat {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Stat::Dir,
        Ok(_) => Stat::File,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Stat::Missing,
        Err(e) => Stat::Failed(format!("stat {}: {}", path.display(), go_errno(&e))),
    }
}

// ---------------------------------------------------------------------------------------------
// Loading the chart as lint does
// ---------------------------------------------------------------------------------------------

/// Loads the chart in `dir` as Helm's lint rules do with the v2 loader: any `apiVersion` is
/// accepted (the Chart.yaml rule reports a wrong one), and the loader's warnings are logged in
/// `report` as Helm logs them.
pub fn load_chart(dir: &Path, report: &mut Report) -> Result<Chart, LoadError> {
    let chart = match crate::chart::load(dir) {
        Err(LoadError::UnsupportedApiVersion(api_version)) => {
            load_with_api_version(dir, &api_version)?
        }
        other => other?,
    };
    chart.walk(&mut |_, c| {
        for w in &c.warnings {
            // chartkit's own notes on unknown Chart.yaml fields are not Helm loader warnings.
            if !w.starts_with("Chart.yaml: unknown field") {
                report.log.push(LogRecord::new(LogLevel::Info, format!("Warning: {w}")));
            }
        }
    });
    Ok(chart)
}

/// A load error as Helm's loader words it (`LoadError`'s display already does).
pub fn load_error_message(e: &LoadError) -> String {
    e.to_string()
}

/// Loads a chart whose Chart.yaml names an `apiVersion` chartkit's loader refuses: the file is
/// loaded as `v2` (Helm's v2 loader treats every other version so), then the version restored.
fn load_with_api_version(dir: &Path, api_version: &str) -> Result<Chart, LoadError> {
    let refused = || LoadError::UnsupportedApiVersion(api_version.to_owned());
    let limits = LoadLimits::default();
    let mut files = crate::load::read_dir(dir, &limits)?;
    for f in files.iter_mut().filter(|f| f.name == "Chart.yaml") {
        let Ok(Value::Map(mut m)) = yaml::parse_document(&String::from_utf8_lossy(&f.data)) else {
            return Err(refused());
        };
        m.retain(|k, _| !k.eq_ignore_ascii_case("apiVersion"));
        m.insert("apiVersion".into(), Value::String(metadata::API_VERSION_V2.into()));
        f.data = yaml::marshal(&Value::Map(m)).map_err(|_| refused())?.into_bytes();
    }
    let mut chart = crate::chart::from_files(files, &limits)?;
    chart.metadata.api_version = api_version.to_owned();
    Ok(chart)
}

/// The values Helm's lint renders with: dependencies processed with the user's values, the
/// result coalesced with the charts' defaults, then coalesced once more and checked against the
/// schemas (lint hands already coalesced values to `ToRenderValuesWithSchemaValidation`, which
/// coalesces again; a user `null` therefore does not remove a default in lint). Also returns
/// what Helm logs meanwhile (coalescing and dependency warnings), in order.
pub fn compute_values(
    mut chart: Chart,
    user: &Map,
    skip_schema_validation: bool,
) -> (Result<crate::ComputedValues, crate::ValuesError>, Vec<LogRecord>) {
    let mut w = crate::coalesce::Warnings::default();
    let mut run = || -> Result<crate::ComputedValues, crate::ValuesError> {
        crate::deps::process_dependencies(&mut chart, user, &mut w)?;
        let coalesced = crate::coalesce::coalesce_values(&chart, user, &mut w)?;
        let values = crate::coalesce::coalesce_values(&chart, &coalesced, &mut w)?;
        if !skip_schema_validation {
            crate::schema::validate_tree(&chart, &values)?;
        }
        Ok(crate::ComputedValues {
            chart: std::mem::take(&mut chart),
            values,
            warnings: Vec::new(),
        })
    };
    let result = run();
    (result, w.0.iter().map(|w| warning_record(w)).collect())
}

/// A warning of value processing as Helm logs it. Coalescing warnings are plain `log.Printf`
/// lines (`level=INFO`); dependency processing logs `level=WARN` records with attributes, which
/// chart-core keeps as text (`returned non-bool value tag=t chart=c`).
pub fn warning_record(w: &str) -> LogRecord {
    const STRUCTURED: &[&str] = &[
        "returned non-bool value",
        "ImportValues missing table from chart",
        "ImportValues missing table",
    ];
    for msg in STRUCTURED {
        let Some(mut rest) = w.strip_prefix(msg).and_then(|r| r.strip_prefix(' ')) else {
            continue;
        };
        let mut record = LogRecord::new(LogLevel::Warn, *msg);
        while let Some((key, after)) = rest.split_once('=') {
            // A quoted value is the last attribute (the error); others end at a space.
            let (value, next) = match after.strip_prefix('"') {
                Some(q) => (q.strip_suffix('"').unwrap_or(q), ""),
                None => after.split_once(' ').unwrap_or((after, "")),
            };
            record = record.with(key, value);
            rest = next;
        }
        return record;
    }
    LogRecord::new(LogLevel::Info, w)
}

/// The files under `crds/` of a chart and its subcharts with a manifest extension (`.yaml`,
/// `.yml`, `.json`), as Helm's `CRDObjects` lists them: `(name inside its chart, data)`.
pub fn crd_objects(chart: &Chart) -> Vec<(&str, &[u8])> {
    let mut out = Vec::new();
    chart.walk(&mut |_, c| {
        for f in &c.files {
            let ext = f.name.rsplit_once('.').map_or("", |(_, e)| e);
            if f.name.starts_with("crds/") && matches!(ext, "yaml" | "yml" | "json") {
                out.push((f.name.as_str(), f.data.as_slice()));
            }
        }
    });
    out
}

/// Why an archive could not be expanded for linting. `Display` is Helm's message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExpandError {
    /// The archive could not be opened.
    #[error("unable to open tarball: open {}: {}", path.display(), go_errno(source))]
    Open {
        /// The archive.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The archive does not start with a gzip header (Go's message: `EOF`, `unexpected EOF`,
    /// `gzip: invalid header`).
    #[error("unable to extract tarball: {0}")]
    Header(&'static str),
    /// The archive could not be read.
    #[error("unable to extract tarball: {0}")]
    Read(#[source] crate::load::ReadError),
    /// Its Chart.yaml could not be decoded.
    #[error("unable to extract tarball: cannot load Chart.yaml: {0}")]
    ChartYaml(#[source] metadata::MetadataError),
    /// No Chart.yaml names the chart.
    #[error("unable to extract tarball: chart name not specified")]
    NoName,
    /// A file could not be written.
    #[error("unable to extract tarball: open {}: {}", path.display(), go_errno(source))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Helm's `chartutil.Expand`: writes the chart in the archive at `archive` into
/// `into/<chart name>` (the name read from its Chart.yaml) and returns that directory.
pub fn expand_archive(archive: &Path, into: &Path) -> Result<PathBuf, ExpandError> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(archive)
        .map_err(|source| ExpandError::Open { path: archive.to_owned(), source })?;
    // Go's gzip reader checks the 10-byte header first.
    let mut head = Vec::with_capacity(10);
    (&mut file)
        .take(10)
        .read_to_end(&mut head)
        .map_err(|source| ExpandError::Open { path: archive.to_owned(), source })?;
    match head.len() {
        0 => return Err(ExpandError::Header("EOF")),
        1..10 => return Err(ExpandError::Header("unexpected EOF")),
        _ if head[..3] != [0x1f, 0x8b, 0x08] => {
            return Err(ExpandError::Header("gzip: invalid header"));
        }
        _ => {}
    }
    let stream = std::io::BufReader::new(std::io::Cursor::new(head).chain(file));
    let files =
        crate::load::read_archive(stream, &LoadLimits::default()).map_err(ExpandError::Read)?;
    let mut name = String::new();
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let mut raw = RawMetadata::default();
        metadata::decode_metadata_into(&String::from_utf8_lossy(&f.data), &mut raw)
            .map_err(ExpandError::ChartYaml)?;
        name = raw.meta.name;
    }
    if name.is_empty() {
        return Err(ExpandError::NoName);
    }
    let root = into.join(secure_join(&name));
    for f in &files {
        let out = root.join(secure_join(&f.name));
        let write = |out: &Path, data: &[u8]| -> std::io::Result<()> {
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(out, data)
        };
        write(&out, &f.data).map_err(|source| ExpandError::Write { path: out.clone(), source })?;
    }
    Ok(root)
}

/// A relative path that cannot leave its root (`securejoin`): `..` and absolute parts dropped.
fn secure_join(name: &str) -> PathBuf {
    let cleaned = go_clean(&format!("/{name}"));
    PathBuf::from(cleaned.trim_start_matches('/'))
}

// ---------------------------------------------------------------------------------------------
// Chart.yaml
// ---------------------------------------------------------------------------------------------

use crate::metadata::METADATA_FIELDS;
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] =
    &["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];

/// The Chart.yaml rules, in Helm's order: a file (not a directory) that parses; strict parsing
/// (unknown fields, duplicate keys: warnings); name; apiVersion; version (type, SemVer, above
/// `0.0.0-0`); appVersion type; maintainers; sources; icon (recommended, a URL); `type` and
/// `dependencies` only in `v2`; version in strict SemVer 2 (warning).
pub fn chartfile(report: &mut Report) {
    const FILE: &str = "Chart.yaml";
    let path = report.chart_dir.join(FILE);
    report.run(
        Severity::Error,
        FILE,
        if path.is_dir() { Err("should be a file, not a directory".into()) } else { Ok(()) },
    );
    let text = match go_read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            report.run(Severity::Error, FILE, Err(format!("unable to parse YAML\n\t{e}")));
            return;
        }
    };
    let mut raw = RawMetadata::default();
    if let Err(e) = metadata::decode_metadata_into(&text, &mut raw) {
        report.run(Severity::Error, FILE, Err(format!("unable to parse YAML\n\t{e}")));
        return;
    }
    let md = &raw.meta;
    report.run(
        Severity::Warning,
        FILE,
        strict_chart_yaml(&text)
            .map_err(|e| format!("failed to strictly parse chart metadata file\n\t{e}")),
    );
    // sigs.k8s.io/yaml into map[string]interface{}: every number a float64.
    let typed = match yaml::yaml_to_json(&text) {
        Ok(Value::Map(m)) => m,
        _ => Map::new(),
    };
    let doc = yaml::parse_document(&text).unwrap_or(Value::Null);

    report.run(Severity::Error, FILE, check_name(md));
    report.run(Severity::Error, FILE, check_api_version(md));
    report.run(Severity::Error, FILE, check_string_field(&typed, "version"));
    report.run(Severity::Error, FILE, check_version(md));
    report.run(Severity::Error, FILE, check_string_field(&typed, "appVersion"));
    report.run(Severity::Error, FILE, check_maintainers(md, &doc));
    report.run(Severity::Error, FILE, check_sources(md));
    report.run(
        Severity::Info,
        FILE,
        if md.icon.is_empty() { Err("icon is recommended".into()) } else { Ok(()) },
    );
    report.run(
        Severity::Error,
        FILE,
        if !md.icon.is_empty() && !is_request_url(&md.icon) {
            Err(format!("invalid icon URL '{}'", md.icon))
        } else {
            Ok(())
        },
    );
    report.run(
        Severity::Error,
        FILE,
        if !md.chart_type.is_empty() && md.api_version != metadata::API_VERSION_V2 {
            Err(format!(
                "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
                md.api_version
            ))
        } else {
            Ok(())
        },
    );
    report.run(
        Severity::Error,
        FILE,
        if !md.dependencies.is_empty() && md.api_version != metadata::API_VERSION_V2 {
            Err(format!(
                "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
                md.api_version
            ))
        } else {
            Ok(())
        },
    );
    report.run(
        Severity::Warning,
        FILE,
        if crate::semver_loose::is_strict_semver2(&md.version) {
            Ok(())
        } else {
            Err(format!("version '{}' is not a valid SemVerV2", md.version))
        },
    );
}

/// Go's `filepath.Base`.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn check_name(md: &Metadata) -> Result<(), String> {
    if md.name.is_empty() {
        return Err("name is required".into());
    }
    if go_base(&md.name) != md.name {
        return Err(format!("chart name {} is invalid", crate::gofmt::go_quote(&md.name)));
    }
    Ok(())
}

fn check_api_version(md: &Metadata) -> Result<(), String> {
    if md.api_version.is_empty() {
        return Err("apiVersion is required. The value must be either \"v1\" or \"v2\"".into());
    }
    if md.api_version != metadata::API_VERSION_V1 && md.api_version != metadata::API_VERSION_V2 {
        return Err(format!(
            "apiVersion '{}' is not valid. The value must be either \"v1\" or \"v2\"",
            md.api_version
        ));
    }
    Ok(())
}

/// `isStringValue`: the key, when present, must hold a string (`%T` of what sigs.k8s.io/yaml
/// decoded otherwise).
fn check_string_field(typed: &Map, key: &str) -> Result<(), String> {
    match typed.get(key) {
        None | Some(Value::String(_)) => Ok(()),
        Some(v) => {
            let ty = match v {
                Value::Int(_) => "float64",
                other => other.go_type_name(),
            };
            Err(format!("{key} should be of type string but it's of type {ty}"))
        }
    }
}

fn check_version(md: &Metadata) -> Result<(), String> {
    if md.version.is_empty() {
        return Err("version is required".into());
    }
    let Some(v) = crate::semver_loose::parse(&md.version) else {
        return Err(format!("version '{}' is not a valid SemVer", md.version));
    };
    let floor = crate::semver_loose::parse("0.0.0-0").expect("a valid version");
    if v.compare(&floor) != std::cmp::Ordering::Greater {
        return Err(format!("version {v} is less than or equal to 0.0.0-0"));
    }
    Ok(())
}

/// Looks a struct field up as Go's JSON decoder does: keys equal up to case, the last wins.
fn json_field<'v>(m: &'v Map, name: &str) -> Option<&'v Value> {
    m.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).next_back()
}

fn check_maintainers(md: &Metadata, doc: &Value) -> Result<(), String> {
    // Decoded maintainers skip YAML nulls; walk the document to see where those were.
    let entries: Vec<&Value> = match doc.as_map().and_then(|m| json_field(m, "maintainers")) {
        Some(Value::List(l)) => l.iter().collect(),
        _ => Vec::new(),
    };
    let mut decoded = md.maintainers.iter();
    for entry in entries {
        if entry.is_null() {
            return Err("a maintainer entry is empty".into());
        }
        let Some(m) = decoded.next() else { break };
        if m.name.is_empty() {
            return Err("each maintainer requires a name".into());
        } else if !m.email.is_empty() && !is_email(&m.email) {
            return Err(format!("invalid email '{}' for maintainer '{}'", m.email, m.name));
        } else if !m.url.is_empty() && !is_url(&m.url) {
            return Err(format!("invalid url '{}' for maintainer '{}'", m.url, m.name));
        }
    }
    Ok(())
}

fn check_sources(md: &Metadata) -> Result<(), String> {
    for s in &md.sources {
        if s.is_empty() || !is_request_url(s) {
            return Err(format!("invalid source URL '{s}'"));
        }
    }
    Ok(())
}

/// sigs.k8s.io/yaml's `UnmarshalStrict` into Helm's `Metadata`: duplicate keys (go-yaml's
/// strict mode), then fields the struct does not have.
fn strict_chart_yaml(text: &str) -> Result<(), String> {
    let dups = duplicate_keys(text);
    if !dups.is_empty() {
        return Err(format!(
            "error converting YAML to JSON: yaml: unmarshal errors:\n  {}",
            dups.join("\n  ")
        ));
    }
    let Ok(Value::Map(top)) = yaml::parse_document(text) else { return Ok(()) };
    let unknown = |key: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: unknown field {}",
            crate::gofmt::go_quote(key)
        )
    };
    let known = |fields: &[&str], key: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(key));
    let check_list = |v: &Value, fields: &[&str]| -> Result<(), String> {
        for item in v.as_list().unwrap_or_default() {
            for key in item.as_map().map(|m| m.keys()).into_iter().flatten() {
                if !known(fields, key) {
                    return Err(unknown(key));
                }
            }
        }
        Ok(())
    };
    // Go's decoder meets the keys in JSON order (sorted), nested values before later keys.
    for (key, v) in &top {
        if !known(METADATA_FIELDS, key) {
            return Err(unknown(key));
        }
        if key.eq_ignore_ascii_case("maintainers") {
            check_list(v, MAINTAINER_FIELDS)?;
        } else if key.eq_ignore_ascii_case("dependencies") {
            check_list(v, DEPENDENCY_FIELDS)?;
        }
    }
    Ok(())
}

/// go-yaml v2's strict-mode complaints about repeated mapping keys in the first document:
/// `line N: key "x" already set in map`, N being the line of the repeated key's value.
fn duplicate_keys(text: &str) -> Vec<String> {
    use saphyr_parser::{Event, Parser, ScalarStyle};

    #[derive(PartialEq, Eq, Hash, Clone)]
    enum Key {
        Null,
        Bool(bool),
        Int(i64),
        Float(u64),
        Str(String),
    }
    enum Frame {
        Seq,
        Map { keys: HashSet<Key>, want_key: bool, pending: Option<Key> },
    }
    fn sharp_v(k: &Key) -> String {
        match k {
            Key::Null => "<nil>".into(),
            Key::Bool(b) => b.to_string(),
            Key::Int(i) => i.to_string(),
            Key::Float(bits) => crate::gofmt::format_float_g(f64::from_bits(*bits)),
            Key::Str(s) => crate::gofmt::go_quote(s),
        }
    }
    let mut errors = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // A node arrived in the innermost collection: a key (`Some` when it is a scalar) or a value.
    let mut node = |stack: &mut Vec<Frame>, key: Option<Key>, line: usize| {
        if let Some(Frame::Map { keys, want_key, pending }) = stack.last_mut() {
            if *want_key {
                *pending = key;
                *want_key = false;
            } else {
                if let Some(k) = pending.take() {
                    if !keys.insert(k.clone()) {
                        errors.push(format!("line {line}: key {} already set in map", sharp_v(&k)));
                    }
                }
                *want_key = true;
            }
        }
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let line = span.start.line();
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Scalar(value, style, _, tag) => {
                let key = if tag.is_some() || style != ScalarStyle::Plain {
                    Key::Str(value.to_string())
                } else {
                    match yaml::resolve_plain(&value, true) {
                        yaml::Plain::Null => Key::Null,
                        yaml::Plain::Bool(b) => Key::Bool(b),
                        yaml::Plain::Int(i) => Key::Int(i),
                        yaml::Plain::Float(f) => Key::Float(f.to_bits()),
                        yaml::Plain::Merge => {
                            // Merge keys are not entries of their own.
                            node(&mut stack, None, line);
                            continue;
                        }
                        _ => Key::Str(value.to_string()),
                    }
                };
                node(&mut stack, Some(key), line);
            }
            Event::Alias(_) => node(&mut stack, None, line),
            Event::SequenceStart(..) => {
                node(&mut stack, None, line);
                stack.push(Frame::Seq);
            }
            Event::MappingStart(..) => {
                node(&mut stack, None, line);
                stack.push(Frame::Map { keys: HashSet::new(), want_key: true, pending: None });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// values.yaml
// ---------------------------------------------------------------------------------------------

/// The values rules: `values.yaml` exists (info), parses as a map (its first document), and
/// with `overrides` (the user's values) coalesced over it satisfies the chart's
/// `values.schema.json` (unless `skip_schema_validation`). Subcharts' values are not checked
/// here (the template rules validate the whole tree).
pub fn values(report: &mut Report, overrides: &Map, skip_schema_validation: bool) {
    const FILE: &str = "values.yaml";
    let path = report.chart_dir.join(FILE);
    let exists = !matches!(stat(&path), Stat::Missing | Stat::Failed(_));
    if !report.run(
        Severity::Info,
        FILE,
        if exists { Ok(()) } else { Err("file does not exist".into()) },
    ) {
        return;
    }
    let mut warnings = crate::coalesce::Warnings::default();
    let result = check_values_file(&path, overrides, skip_schema_validation, &mut warnings);
    report.log.extend(warnings.0.iter().map(|w| warning_record(w)));
    report.run(Severity::Error, FILE, result);
}

fn check_values_file(
    path: &Path,
    overrides: &Map,
    skip_schema: bool,
    warnings: &mut crate::coalesce::Warnings,
) -> Result<(), String> {
    let text = go_read(path).map_err(|e| format!("unable to parse YAML: {e}"))?;
    let values = match yaml::yaml_to_json(&String::from_utf8_lossy(&text)) {
        Ok(Value::Map(m)) => m,
        Ok(Value::Null) => Map::new(),
        Ok(other) => {
            return Err(format!(
                "unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type common.Values",
                other.json_kind()
            ));
        }
        Err(e) => return Err(format!("unable to parse YAML: {}", e.message)),
    };
    let mut coalesced = overrides.clone();
    crate::coalesce::coalesce_tables(&mut coalesced, values, warnings);
    let schema = std::fs::read(path.with_file_name("values.schema.json")).unwrap_or_default();
    if schema.is_empty() || skip_schema {
        return Ok(());
    }
    let msgs = crate::schema::validate_one(&schema, &coalesced);
    if msgs.is_empty() {
        return Ok(());
    }
    Err(msgs.iter().map(|m| format!("- {m}\n")).collect())
}

// ---------------------------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------------------------

/// The dependency rules: the chart loads; every chart under `charts/` is declared in Chart.yaml
/// (error); no two declarations share a name or alias (error); every declared dependency is
/// under `charts/` (warning). Findings are reported against the chart's absolute directory.
pub fn dependencies(report: &mut Report) {
    let dir = report.chart_dir.clone();
    let chart = match load_chart(&dir, report) {
        Ok(c) => c,
        Err(e) => {
            let e = load_error_message(&e);
            report.run(Severity::Error, "", Err(format!("unable to load chart\n\t{e}")));
            return;
        }
    };
    let at = report.chart_dir.to_string_lossy().into_owned();
    let declared: HashSet<&str> =
        chart.metadata.dependencies.iter().map(|d| d.name.as_str()).collect();
    let undeclared: Vec<&str> =
        chart.dependencies.iter().map(|c| c.name()).filter(|n| !declared.contains(n)).collect();
    report.run(
        Severity::Error,
        &at,
        if undeclared.is_empty() {
            Ok(())
        } else {
            Err(format!("chart metadata is missing these dependencies: {}", undeclared.join(",")))
        },
    );
    let mut seen = HashSet::new();
    let mut shadowing = Vec::new();
    for d in &chart.metadata.dependencies {
        let key = if d.alias.is_empty() { &d.name } else { &d.alias };
        if !seen.insert(key.as_str()) {
            shadowing.push(key.as_str());
        }
    }
    report.run(
        Severity::Error,
        &at,
        if shadowing.is_empty() {
            Ok(())
        } else {
            Err(format!("multiple dependencies with name or alias: {}", shadowing.join(",")))
        },
    );
    let present: HashSet<&str> = chart.dependencies.iter().map(|c| c.name()).collect();
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !present.contains(n))
        .collect();
    report.run(
        Severity::Warning,
        &at,
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("chart directory is missing these dependencies: {}", missing.join(",")))
        },
    );
}

// ---------------------------------------------------------------------------------------------
// crds/
// ---------------------------------------------------------------------------------------------

/// The CRD rules (only when `crds/` exists): it is a directory; the chart loads; every document
/// of every CRD file (this chart's and its subcharts') decodes, has an `apiextensions.k8s.io`
/// apiVersion and kind `CustomResourceDefinition`. The first undecodable document ends the rule.
pub fn crds(report: &mut Report) {
    const DIR: &str = "crds/";
    match stat(&report.chart_dir.join("crds")) {
        Stat::Missing => return,
        Stat::Dir => {}
        Stat::File => {
            report.run(Severity::Error, DIR, Err("not a directory".into()));
            return;
        }
        Stat::Failed(e) => {
            report.run(Severity::Error, DIR, Err(e));
            return;
        }
    }
    let chart_dir = report.chart_dir.clone();
    let chart = match load_chart(&chart_dir, report) {
        Ok(c) => c,
        Err(e) => {
            report.run(Severity::Error, DIR, Err(load_error_message(&e)));
            return;
        }
    };
    for (name, data) in crd_objects(&chart) {
        for doc in decode_objects(&String::from_utf8_lossy(data)) {
            let head = match doc {
                Ok(Some(h)) => h,
                Ok(None) => continue,
                Err(e) => {
                    report.run(Severity::Error, name, Err(format!("unable to parse YAML: {e}")));
                    return;
                }
            };
            report.run(
                Severity::Error,
                name,
                if head.api_version.starts_with("apiextensions.k8s.io") {
                    Ok(())
                } else {
                    Err("apiVersion is not in 'apiextensions.k8s.io'".into())
                },
            );
            report.run(
                Severity::Error,
                name,
                if head.kind == "CustomResourceDefinition" {
                    Ok(())
                } else {
                    Err("object kind is not 'CustomResourceDefinition'".into())
                },
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading manifests as lint does (k8s YAMLOrJSONDecoder into a stub object)
// ---------------------------------------------------------------------------------------------

/// The head of a Kubernetes object, as Helm's linter reads it from a manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectHead {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    pub namespace: String,
}

/// Reads the documents of a manifest file as Helm's linter does (Kubernetes'
/// `YAMLOrJSONDecoder` into a stub with apiVersion, kind and metadata): YAML documents split at
/// `---` lines, or, when the text starts with `{`, a stream of JSON values. Each document gives
/// its head, `None` when empty; reading stops at the first error, which is the last item
/// (message as Helm prints it after `unable to parse YAML: `).
///
/// ```
/// let docs = chart_core::lint::decode_objects("kind: Service\nmetadata:\n  name: 1.50\n---\n# empty\n");
/// let head = docs[0].clone().unwrap().unwrap();
/// assert_eq!((head.kind.as_str(), head.name.as_str()), ("Service", "1.5"));
/// assert_eq!(docs[1], Ok(None));
/// ```
pub fn decode_objects(text: &str) -> Vec<Result<Option<ObjectHead>, String>> {
    let mut out = Vec::new();
    let mut yaml_from = 0;
    let mut first_err = None;
    if text.trim_start().starts_with('{') {
        // Kubernetes' decoder reads JSON values while it can. When one fails and fewer than two
        // have been read, it starts over as YAML right after the last good value (skipping
        // blanks up to the next newline); if that fails too, the JSON error is reported.
        let mut p = JsonParser { b: text.as_bytes(), pos: 0, syntax_at: None };
        let mut count = 0;
        loop {
            let start = p.pos;
            p.skip_ws();
            if p.pos >= p.b.len() {
                return out;
            }
            let decoded = p
                .value("looking for beginning of value")
                .map_err(|e| (e, p.syntax_at))
                .and_then(|v| object_head(&v, true).map_err(|e| (e, None)));
            let (raw, offset) = match decoded {
                Ok(head) => {
                    count += 1;
                    out.push(Ok(head));
                    continue;
                }
                Err(e) => e,
            };
            if count > 1 {
                out.push(Err(raw));
                return out;
            }
            first_err = Some(match offset {
                Some(o) => format!("json: offset {o}: {raw}"),
                None => raw,
            });
            let rest = &text[start..];
            let skip =
                rest.char_indices().find(|&(_, c)| !c.is_whitespace() || c == '\n').map(|(i, _)| i);
            match skip {
                Some(i) => yaml_from = start + i,
                None => {
                    out.extend(first_err.map(Err));
                    return out;
                }
            }
            break;
        }
    }
    let (docs, split_err) = read_documents(&text[yaml_from..]);
    for doc in docs {
        let item = yaml::parse_document(&doc)
            .map_err(|e| e.message)
            .and_then(|v| object_head(&v, false))
            .map_err(|e| first_err.take().unwrap_or(e));
        first_err = None;
        let stop = item.is_err();
        out.push(item);
        if stop {
            return out;
        }
    }
    if let Some(e) = split_err {
        out.push(Err(first_err.unwrap_or(e)));
    }
    out
}

/// Kubernetes' `YAMLReader` over a whole text: the documents it returns before its first error
/// (a `---` line followed by something other than a comment, which also loses the document it
/// would have ended), and that error.
fn read_documents(text: &str) -> (Vec<String>, Option<String>) {
    let mut docs = Vec::new();
    let mut buf = String::new();
    let mut lines = text.split('\n').peekable();
    while let Some(raw) = lines.next() {
        let last = lines.peek().is_none();
        if last && raw.is_empty() {
            break;
        }
        // bufio's ReadLine drops "\n" and "\r\n"; a last line without "\n" keeps its "\r".
        let line = if last { raw } else { raw.strip_suffix('\r').unwrap_or(raw) };
        if let Some(after) = line.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return (docs, Some(format!("invalid Yaml document separator: {trimmed}")));
            }
            if !buf.is_empty() {
                docs.push(std::mem::take(&mut buf));
                continue;
            }
            if last {
                break;
            }
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        docs.push(buf);
    }
    (docs, None)
}

/// Decodes one document into the stub struct, with Go's and sigs.k8s.io/yaml's errors. From
/// YAML (`json == false`) a number or boolean in a string field becomes its text, as
/// sigs.k8s.io/yaml converts it for a string target.
fn object_head(v: &Value, json: bool) -> Result<Option<ObjectHead>, String> {
    let prefix = if json { "" } else { "error unmarshaling JSON: while decoding JSON: " };
    let m = match v {
        Value::Null => return Ok(None),
        Value::Map(m) => m,
        other => {
            return Err(format!(
                "{prefix}json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                other.json_kind()
            ));
        }
    };
    if !json {
        non_finite_outside_heads(m)?;
    }
    let string = |v: &Value, field: &str| -> Result<String, String> {
        match v {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s.clone()),
            Value::Int(i) if !json => Ok(i.to_string()),
            Value::Float(f) if !json => Ok(crate::gofmt::format_float_g32(*f)),
            Value::Bool(b) if !json => Ok(b.to_string()),
            other => Err(format!(
                "{prefix}json: cannot unmarshal {} into Go struct field {field} of type string",
                other.json_kind()
            )),
        }
    };
    let mut head = ObjectHead::default();
    // Go's decoder visits keys in JSON (sorted) order; every key equal up to case assigns.
    for (key, v) in m {
        if key.eq_ignore_ascii_case("apiVersion") {
            head.api_version = string(v, "k8sYamlStruct.apiVersion")?;
        } else if key.eq_ignore_ascii_case("kind") {
            head.kind = string(v, "k8sYamlStruct.Kind")?;
        } else if key.eq_ignore_ascii_case("metadata") {
            match v {
                Value::Null => {}
                Value::Map(meta) => {
                    for (k, x) in meta {
                        if k.eq_ignore_ascii_case("name") {
                            head.name = string(x, "k8sYamlMetadata.Metadata.Name")?;
                        } else if k.eq_ignore_ascii_case("namespace") {
                            head.namespace = string(x, "k8sYamlMetadata.Metadata.Namespace")?;
                        }
                    }
                }
                other => {
                    return Err(format!(
                        "{prefix}json: cannot unmarshal {} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata",
                        other.json_kind()
                    ));
                }
            }
        }
    }
    Ok(Some(head))
}

/// sigs.k8s.io/yaml refuses NaN and infinities on the way to JSON, except where the target
/// field is a string (the stub's apiVersion, kind, name and namespace).
fn non_finite_outside_heads(m: &Map) -> Result<(), String> {
    fn first(v: &Value) -> Option<f64> {
        match v {
            Value::Float(f) if !f.is_finite() => Some(*f),
            Value::List(l) => l.iter().find_map(first),
            Value::Map(m) => m.values().find_map(first),
            _ => None,
        }
    }
    let is_head = |k: &str| k.eq_ignore_ascii_case("apiVersion") || k.eq_ignore_ascii_case("kind");
    let found = m.iter().find_map(|(k, v)| {
        if is_head(k) {
            return None;
        }
        if k.eq_ignore_ascii_case("metadata") {
            if let Value::Map(meta) = v {
                return meta.iter().find_map(|(mk, mv)| {
                    let head =
                        mk.eq_ignore_ascii_case("name") || mk.eq_ignore_ascii_case("namespace");
                    if head { None } else { first(mv) }
                });
            }
        }
        first(v)
    });
    match found {
        Some(f) => Err(format!(
            "error converting YAML to JSON: json: unsupported value: {}",
            crate::gofmt::format_float_g(f)
        )),
        None => Ok(()),
    }
}

/// A JSON reader that fails with the messages of Go's `encoding/json` scanner.
struct JsonParser<'a> {
    b: &'a [u8],
    pos: usize,
    /// Go's offset of the last syntax error (bytes read from the start of the text).
    syntax_at: Option<usize>,
}

impl JsonParser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.b.len() && matches!(self.b[self.pos], b' ' | b'\t' | b'\r' | b'\n') {
            self.pos += 1;
        }
    }

    fn syntax(&mut self, context: &str) -> String {
        let Some(&c) = self.b.get(self.pos) else { return "unexpected EOF".into() };
        self.syntax_at = Some(self.pos + 1);
        let quoted = match c {
            b'\'' => "'\\''".to_string(),
            b'"' => "'\"'".to_string(),
            _ => {
                let q = crate::gofmt::go_quote(&char::from(c).to_string());
                format!("'{}'", &q[1..q.len() - 1])
            }
        };
        format!("invalid character {quoted} {context}")
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn value(&mut self, context: &str) -> Result<Value, String> {
        self.skip_ws();
        match self.peek() {
            None => Err("unexpected EOF".into()),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.syntax(context)),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for (i, expected) in word.bytes().enumerate() {
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(c) if c == expected => self.pos += 1,
                Some(_) => {
                    return Err(self.syntax(&format!(
                        "in literal {word} (expecting {})",
                        crate::gofmt::go_quote_rune(char::from(expected))
                    )));
                }
            }
            let _ = i;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - from
    }

    fn number(&mut self) -> Result<Value, String> {
        let from = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            match self.peek() {
                Some(b'0'..=b'9') => {}
                None => return Err("unexpected EOF".into()),
                Some(_) => return Err(self.syntax("in numeric literal")),
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return match self.peek() {
                    None => Err("unexpected EOF".into()),
                    Some(_) => Err(self.syntax("after decimal point in numeric literal")),
                };
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return match self.peek() {
                    None => Err("unexpected EOF".into()),
                    Some(_) => Err(self.syntax("in exponent of numeric literal")),
                };
            }
        }
        let text = std::str::from_utf8(&self.b[from..self.pos]).unwrap_or("0");
        Ok(Value::Float(text.parse().unwrap_or(0.0)))
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else { return Err("unexpected EOF".into()) };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(e) = self.peek() else { return Err("unexpected EOF".into()) };
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.syntax("in string escape code")),
                    };
                    self.pos += 1;
                    match simple {
                        Some(b) => out.push(b),
                        None => {
                            let mut code = 0u32;
                            for _ in 0..4 {
                                let Some(h) = self.peek() else {
                                    return Err("unexpected EOF".into());
                                };
                                let Some(d) = char::from(h).to_digit(16) else {
                                    return Err(self.syntax("in \\u hexadecimal character escape"));
                                };
                                code = code * 16 + d;
                                self.pos += 1;
                            }
                            let ch = char::from_u32(code).unwrap_or('\u{fffd}');
                            out.extend_from_slice(ch.to_string().as_bytes());
                        }
                    }
                }
                c if c < 0x20 => return Err(self.syntax("in string literal")),
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn object(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut m = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Map(m));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(b'"') => {}
                Some(_) => return Err(self.syntax("looking for beginning of object key string")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(b':') => self.pos += 1,
                Some(_) => return Err(self.syntax("after object key")),
            }
            let v = self.value("looking for beginning of value")?;
            m.insert(key, v);
            self.skip_ws();
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Map(m));
                }
                Some(_) => return Err(self.syntax("after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut l = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::List(l));
        }
        loop {
            l.push(self.value("looking for beginning of value")?);
            self.skip_ws();
            match self.peek() {
                None => return Err("unexpected EOF".into()),
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(l));
                }
                Some(_) => return Err(self.syntax("after array element")),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// URLs and e-mail addresses (Go's net/url and govalidator)
// ---------------------------------------------------------------------------------------------

/// The parts of a URL lint looks at.
struct GoUrl {
    scheme: String,
    host: String,
    path: String,
}

/// Go's `getScheme`.
fn go_scheme(raw: &str) -> Result<(&str, &str), ()> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err(()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `unescape` check: `%` must start two hex digits; in a host, only non-ASCII bytes (and
/// `%25`) may be escaped and only some ASCII characters may appear.
fn go_unescape_ok(s: &str, host: bool) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if i + 2 >= b.len()
                    || !b[i + 1].is_ascii_hexdigit()
                    || !b[i + 2].is_ascii_hexdigit()
                {
                    return false;
                }
                let hi = char::from(b[i + 1]).to_digit(16).unwrap_or(0);
                if host && hi < 8 && &s[i..i + 3] != "%25" {
                    return false;
                }
                i += 3;
            }
            c => {
                if host
                    && c < 0x80
                    && !c.is_ascii_alphanumeric()
                    && !b"-_.~!$&'()*+,;=:[]<>\"".contains(&c)
                {
                    return false;
                }
                i += 1;
            }
        }
    }
    true
}

fn go_valid_port(p: &str) -> bool {
    p.is_empty() || p.strip_prefix(':').is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit()))
}

/// Go's `parseHost`.
fn go_parse_host(host: &str) -> Result<String, ()> {
    if host.starts_with('[') {
        let i = host.rfind(']').ok_or(())?;
        if !go_valid_port(&host[i + 1..]) {
            return Err(());
        }
    } else if let Some(i) = host.rfind(':') {
        if !go_valid_port(&host[i..]) {
            return Err(());
        }
    }
    if go_unescape_ok(host, true) { Ok(host.to_owned()) } else { Err(()) }
}

/// Go's `url.Parse` (`via_request == false`) and `url.ParseRequestURI` (`true`).
fn go_url_parse(raw: &str, via_request: bool) -> Result<GoUrl, ()> {
    let raw = if via_request { raw } else { raw.split_once('#').map_or(raw, |(u, _)| u) };
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(());
    }
    if raw.is_empty() && via_request {
        return Err(());
    }
    let mut url = GoUrl { scheme: String::new(), host: String::new(), path: String::new() };
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = go_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        rest.split_once('?').map_or(rest, |(r, _)| r)
    };
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Ok(url); // opaque
        }
        if via_request {
            return Err(());
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err(());
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => {
                let user = &authority[..i];
                let ok = user
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c));
                if !ok || !go_unescape_ok(user, false) {
                    return Err(());
                }
                &authority[i + 1..]
            }
            None => authority,
        };
        url.host = go_parse_host(host)?;
        rest = path;
    }
    if !go_unescape_ok(rest, false) {
        return Err(());
    }
    url.path = rest.to_owned();
    Ok(url)
}

/// govalidator's `IsRequestURL`: Go's `url.ParseRequestURI` accepts it and it has a scheme.
pub fn is_request_url(raw: &str) -> bool {
    go_url_parse(raw, true).is_ok_and(|u| !u.scheme.is_empty())
}

/// govalidator's URL pattern (Go's `\d`, `\s` are ASCII).
fn url_regex() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let ip = r"(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))";
        let ns = r"[^\t\n\f\r ]";
        let d = "[0-9]";
        let schema = r"((ftp|tcp|udp|wss?|https?)://)";
        let username = format!(r"({ns}+(:{ns}*)?@)");
        let path = r"((/|\?|#)[^\t\n\f\r ]*)";
        let port = format!(r"(:({d}{{1,5}}))");
        let url_ip = format!(
            r"([1-9]{d}?|1{d}{d}|2[01]{d}|22[0-3]|24{d}|25[0-5])(\.({d}{{1,2}}|1{d}{d}|2[0-4]{d}|25[0-5])){{2}}(?:\.([0-9]{d}?|1{d}{d}|2[0-4]{d}|25[0-5]))"
        );
        let subdomain = r"((www\.)|([a-zA-Z0-9]+([-_\.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+))";
        let pattern = format!(
            r"^{schema}?{username}?(({url_ip}|(\[{ip}\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\.][a-zA-Z0-9]+)*)|({subdomain}?))?(([a-zA-Z\x{{00a1}}-\x{{ffff}}0-9]+-?-?)*[a-zA-Z\x{{00a1}}-\x{{ffff}}0-9]+)(?:\.([a-zA-Z\x{{00a1}}-\x{{ffff}}]{{1,}}))?))\.?{port}?{path}?$"
        );
        regex::Regex::new(&pattern).expect("govalidator's URL pattern compiles")
    })
}

/// govalidator's `IsURL` (maintainer URLs).
pub fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().count() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    let temp = if s.contains(':') && !s.contains("://") { format!("http://{s}") } else { s.into() };
    let Ok(u) = go_url_parse(&temp, false) else { return false };
    if u.host.starts_with('.') {
        return false;
    }
    if u.host.is_empty() && !u.path.is_empty() && !u.path.contains('.') {
        return false;
    }
    url_regex().is_match(s)
}

/// govalidator's `IsEmail` (maintainer e-mails).
pub fn is_email(s: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let u = r"\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}";
        let atext = format!(r"([a-zA-Z]|[0-9]|[!#\$%&'\*\+\-/=\?\^_`{{\|}}~]|[{u}])");
        let local = format!(r"({atext}+(\.{atext}+)*)");
        let ws = r"((([\x20\x09])*(\x0d\x0a))?([\x20\x09])+)";
        let qtext = format!(
            r"(([\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\x21|[\x23-\x5b]|[\x5d-\x7e]|[{u}])|(\\([\x01-\x09\x0b\x0c\x0d-\x7f]|[{u}])))"
        );
        let quoted = format!(r"((\x22)({ws}?{qtext})*({ws})?(\x22))");
        let alnum = format!(r"([a-zA-Z]|[0-9]|[{u}])");
        let inner = format!(r"([a-zA-Z]|[0-9]|-|\.|_|~|[{u}])");
        let alpha = format!(r"([a-zA-Z]|[{u}])");
        let pattern = format!(
            r"^(({local})|{quoted})@(({alnum}|({alnum}{inner}*{alnum}))\.)+({alpha}|({alpha}{inner}*{alpha}))\.?$"
        );
        regex::Regex::new(&pattern).expect("govalidator's e-mail pattern compiles")
    });
    re.is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slog_quoting_follows_go() {
        // Observed with helm 4.1.4's lint log lines.
        assert_eq!(slog_text("plain"), "plain");
        assert_eq!(slog_text("ok-dash_1.2/x:y"), "ok-dash_1.2/x:y");
        assert_eq!(slog_text(""), "\"\"");
        assert_eq!(slog_text("a=b"), "\"a=b\"");
        assert_eq!(slog_text("q\"x"), "\"q\\\"x\"");
        assert_eq!(slog_text("nl\nx"), "\"nl\\nx\"");
        assert_eq!(slog_text("é ü"), "\"é ü\"");
        assert_eq!(slog_text("\u{7f}"), "\u{7f}");
    }

    #[test]
    fn value_warnings_log_as_helm_logs_them() {
        // Layouts observed with helm 4.1.4.
        assert_eq!(
            warning_record("returned non-bool value tag=t1 chart=s").to_string(),
            "level=WARN msg=\"returned non-bool value\" tag=t1 chart=s"
        );
        assert_eq!(
            warning_record("ImportValues missing table from chart chart=s error=\"x\"").to_string(),
            "level=WARN msg=\"ImportValues missing table from chart\" chart=s error=x"
        );
        assert_eq!(
            warning_record("warning: skipped value for coal.c: Not a table.").to_string(),
            "level=INFO msg=\"warning: skipped value for coal.c: Not a table.\""
        );
    }

    #[test]
    fn go_paths() {
        assert_eq!(go_clean("deps/"), "deps");
        assert_eq!(go_clean("./a/../b//c/."), "b/c");
        assert_eq!(go_clean("/../a"), "/a");
        assert_eq!(go_clean(""), ".");
        assert_eq!(go_base("a/b"), "b");
        assert_eq!(go_base("a/"), "a");
    }

    #[test]
    fn request_urls_as_go_parses_them() {
        assert!(is_request_url("https://example.com/icon.png"));
        assert!(is_request_url("http://ok.com"));
        assert!(is_request_url("foo:bar"));
        assert!(!is_request_url("not a url"));
        assert!(!is_request_url("x"));
        assert!(!is_request_url("/just/a/path"));
        assert!(!is_request_url("http://a b.com/"));
        assert!(!is_request_url("http://a.com/%zz"));
        assert!(!is_request_url("http://a.com:x/"));
    }

    #[test]
    fn emails_and_urls_as_govalidator_sees_them() {
        assert!(is_email("a@b.com"));
        assert!(is_email("first.last+tag@sub.example.org"));
        assert!(!is_email("notanemail"));
        assert!(!is_email("a@b"));
        assert!(is_url("https://github.com/helm"));
        assert!(is_url("example.com"));
        assert!(!is_url("::bad"));
        assert!(!is_url("ab"));
    }

    #[test]
    fn objects_decode_like_helms_stub() {
        let heads = decode_objects(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 123\n  namespace: true\n",
        );
        let h = heads[0].clone().expect("decodes").expect("not empty");
        assert_eq!(
            (h.api_version.as_str(), h.name.as_str(), h.namespace.as_str()),
            ("v1", "123", "true")
        );
        // Observed with helm 4.1.4.
        assert_eq!(
            decode_objects("hello")[0],
            Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type rules.k8sYamlStruct".into())
        );
        assert_eq!(
            decode_objects("kind: [1]")[0],
            Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field k8sYamlStruct.Kind of type string".into())
        );
        assert_eq!(
            decode_objects("metadata: x")[0],
            Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata".into())
        );
        assert_eq!(
            decode_objects("metadata:\n  name: {a: 1}")[0],
            Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field k8sYamlMetadata.Metadata.Name of type string".into())
        );
        // The document a bad separator would end is lost with it (observed with helm 4.1.4).
        assert_eq!(
            decode_objects("kind: A\n--- x\nkind: B\n"),
            vec![Err("invalid Yaml document separator: x".into())]
        );
        let two = decode_objects("kind: A\n---\nkind: B\n--- x\n");
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].clone().expect("ok").expect("some").kind, "A");
        let big = decode_objects(
            "kind: Pod\nmetadata:\n  name: 12345678901234567890123456789012345678901234567890123456789012345678901234567890\n",
        );
        assert_eq!(big[0].clone().expect("ok").expect("some").name, "+Inf");
        let nan = decode_objects("kind: Pod\nmetadata:\n  name: .nan\n");
        assert_eq!(nan[0].clone().expect("ok").expect("some").name, "NaN");
        assert_eq!(decode_objects("# only a comment\n"), vec![Ok(None)]);
    }

    #[test]
    fn json_objects_fail_like_go() {
        assert_eq!(
            decode_objects("{{ .Values.x }}\nkind: [\n")[0],
            Err("json: offset 2: invalid character '{' looking for beginning of object key string"
                .into())
        );
        let ok = decode_objects("{\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"A\"}}");
        assert_eq!(ok[0].clone().expect("ok").expect("some").name, "A");
        assert_eq!(decode_objects("{\"kind\": ")[0], Err("unexpected EOF".into()));
        // A value JSON cannot decode is read again as YAML (observed with helm 4.1.4: the
        // kind becomes "5", and what follows in the file is never read).
        let again = decode_objects("{\"apiVersion\": \"v1\"}\n{\"kind\": 5}\n{\"kind\": \"x\"}\n{");
        assert_eq!(again.len(), 2);
        assert_eq!(again[1].clone().expect("ok").expect("some").kind, "5");
        assert_eq!(
            decode_objects("{\"apiVersion\": \"v1\", \"kind\": \"A\"}\n{\"kind\": [}\n")[1],
            Err("json: offset 45: invalid character '}' looking for beginning of value".into())
        );
        // After two good values the stream is JSON for sure: no YAML retry, no offset.
        assert_eq!(
            decode_objects("{}\n{}\n{\"kind\": [}")[2],
            Err("invalid character '}' looking for beginning of value".into())
        );
    }

    #[test]
    fn duplicate_keys_as_go_yaml_strict_reports_them() {
        assert_eq!(
            duplicate_keys("apiVersion: v2\nname: dup\nversion: 1.0.0\nname: dup\n"),
            ["line 4: key \"name\" already set in map"]
        );
        assert_eq!(
            duplicate_keys("a:\n  x: 1\n  x: 2\nb: [1, 1]\n"),
            ["line 3: key \"x\" already set in map"]
        );
        assert!(duplicate_keys("a: 1\n'1': 2\n1: 3\n").is_empty());
    }

    #[test]
    fn strict_chart_yaml_names_the_first_unknown_field_in_json_order() {
        let text = "apiVersion: v2\nname: n\nversion: 1.0.0\nmaintainers:\n- name: x\n  foo: 1\ndependencies:\n- name: d\n  bar: 2\n";
        assert_eq!(
            strict_chart_yaml(text),
            Err("error unmarshaling JSON: while decoding JSON: json: unknown field \"bar\"".into())
        );
        assert_eq!(strict_chart_yaml("Name: x\nVERSION: 1.0.0\n"), Ok(()));
    }

    #[test]
    fn versions_below_the_floor_are_reported_normalised() {
        let md = |v: &str| Metadata { version: v.into(), ..Metadata::default() };
        assert_eq!(
            check_version(&md("v0.0.0-0")),
            Err("version 0.0.0-0 is less than or equal to 0.0.0-0".into())
        );
        assert_eq!(
            check_version(&md("1.2.3.4")),
            Err("version '1.2.3.4' is not a valid SemVer".into())
        );
        assert_eq!(check_version(&md("00.1.0")), Ok(()));
    }
}
