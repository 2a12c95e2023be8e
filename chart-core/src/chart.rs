//! The chart tree: a chart, its templates, files, default values, schema and subcharts, built
//! from a list of files the way Helm's `LoadFiles` builds it.

use std::fmt;
use std::path::Path;

use crate::load::{BufferedFile, LoadLimits, ReadError};
use crate::metadata::{self, Lock, Metadata, MetadataError, RawMetadata};
use crate::value::Map;
use crate::yaml::{self, YamlError};

/// A loaded chart.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Chart {
    /// Chart.yaml (with requirements.yaml merged in for v1 charts).
    pub metadata: Metadata,
    /// Chart.lock (or requirements.lock), if present.
    pub lock: Option<Lock>,
    /// Files under `templates/`, in load order.
    pub templates: Vec<BufferedFile>,
    /// The parsed `values.yaml` (empty when absent).
    pub values: Map,
    /// The raw `values.schema.json`, if present.
    pub schema: Option<Vec<u8>>,
    /// Every other file: what templates see as `.Files`.
    pub files: Vec<BufferedFile>,
    /// The raw files `helm show` prints verbatim (values.yaml), exactly as loaded. Helm keeps
    /// every file here; chartkit keeps only these, so loading does not hold two copies of a chart.
    pub raw: Vec<BufferedFile>,
    /// Subcharts found under `charts/` (directories and archives), sorted by directory name.
    pub dependencies: Vec<Chart>,
    /// Non-fatal findings while loading (Helm prints these as warnings).
    pub warnings: Vec<String>,
}

impl Chart {
    /// The chart's name from Chart.yaml.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Whether this chart is a library chart.
    pub fn is_library(&self) -> bool {
        self.metadata.is_library()
    }

    /// The raw text of `values.yaml`, if the chart has one.
    pub fn raw_values_file(&self) -> Option<&[u8]> {
        self.raw.iter().find(|f| f.name == "values.yaml").map(|f| f.data.as_slice())
    }

    /// Walks the chart and all its subcharts depth-first, parent first, with each chart's path
    /// in Helm's `ChartFullPath` form (`parent/charts/sub`).
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&str, &'a Chart)) {
        fn go<'a>(c: &'a Chart, path: &str, f: &mut dyn FnMut(&str, &'a Chart)) {
            f(path, c);
            for d in &c.dependencies {
                go(d, &format!("{path}/charts/{}", d.name()), f);
            }
        }
        go(self, self.name(), f);
    }
}

/// An error loading a chart. `Display` prints Helm's message; the alternate form (`{:#}`) adds
/// the file and line where one is known.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// Reading files from disk or an archive failed (I/O, limits, hostile paths).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The chart has no Chart.yaml.
    #[error("Chart.yaml file is missing")]
    MissingChartYaml,
    /// Chart.yaml, requirements.yaml, Chart.lock or requirements.lock could not be decoded.
    #[error("cannot load {file}: {source}")]
    Metadata {
        /// The file inside the chart (`Chart.yaml`).
        file: String,
        /// What was wrong.
        #[source]
        source: MetadataError,
    },
    /// values.yaml is not valid YAML or not a mapping.
    #[error("cannot load values.yaml: {}", source.helm_message())]
    Values {
        /// What was wrong, with line and column when known.
        #[source]
        source: YamlError,
    },
    /// Chart.yaml decoded but failed Helm's validation.
    #[error("{0}")]
    Invalid(MetadataError),
    /// The chart's apiVersion is not one Helm 4 loads (`v1` or `v2`).
    #[error("invalid chart apiVersion")]
    UnsupportedApiVersion(String),
    /// A subchart archive's file name does not match its directory entry.
    #[error("error unpacking subchart tar in {parent}: expected {expected}, got {got}")]
    SubchartArchiveName {
        /// The parent chart's name.
        parent: String,
        /// The entry name under `charts/`.
        expected: String,
        /// The file name found.
        got: String,
    },
    /// A subchart failed to load.
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        /// The subchart's entry under `charts/`.
        name: String,
        /// The parent chart's name.
        parent: String,
        /// Why it failed.
        #[source]
        source: Box<LoadError>,
    },
    /// Subchart archives are nested deeper than [`LoadLimits::max_depth`].
    #[error("subcharts nested more than {0} levels deep")]
    TooDeep(usize),
}

impl LoadError {
    /// The file inside the chart tree this error is about (`charts/sub/values.yaml`), if any.
    pub fn file(&self) -> Option<String> {
        match self {
            LoadError::Metadata { file, .. } => Some(file.clone()),
            LoadError::Values { .. } => Some("values.yaml".into()),
            LoadError::Invalid(_) | LoadError::MissingChartYaml => Some("Chart.yaml".into()),
            LoadError::Subchart { name, source, .. } => {
                source.file().map(|f| format!("charts/{name}/{f}"))
            }
            _ => None,
        }
    }

    /// Line and column (1-based) of the problem, if known.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            LoadError::Values { source } => Some((source.line?, source.column.unwrap_or(1))),
            LoadError::Metadata { source: MetadataError::Yaml(y), .. } => {
                Some((y.line?, y.column.unwrap_or(1)))
            }
            LoadError::Subchart { source, .. } => source.position(),
            _ => None,
        }
    }

    /// A multi-line report: Helm's message, then `--> file:line:col`.
    pub fn report(&self) -> String {
        let mut s = self.to_string();
        if let Some(file) = self.file() {
            s.push_str("\n  --> ");
            s.push_str(&file);
            if let Some((l, c)) = self.position() {
                s.push_str(&format!(":{l}:{c}"));
            }
        }
        s
    }
}

/// Shown by `{:#}`: [`LoadError::report`].
pub struct Report<'a>(pub &'a LoadError);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.report())
    }
}

/// Builds a chart from its files (paths relative to the chart root), as Helm's `LoadFiles`.
pub fn from_files(files: Vec<BufferedFile>, limits: &LoadLimits) -> Result<Chart, LoadError> {
    from_files_at_depth(files, limits, 0)
}

fn from_files_at_depth(
    files: Vec<BufferedFile>,
    limits: &LoadLimits,
    depth: usize,
) -> Result<Chart, LoadError> {
    if depth > limits.max_depth {
        return Err(LoadError::TooDeep(limits.max_depth));
    }
    let mut raw_md: Option<RawMetadata> = None;
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let md = raw_md.get_or_insert_with(RawMetadata::default);
        let text = text_of(f);
        metadata::decode_metadata_into(&text, md)
            .map_err(|source| LoadError::Metadata { file: "Chart.yaml".into(), source })?;
        if md.meta.api_version.is_empty() {
            md.meta.api_version = metadata::API_VERSION_V1.to_owned();
        }
    }

    let mut c = Chart::default();
    let mut subcharts: std::collections::BTreeMap<String, Vec<BufferedFile>> = Default::default();
    for f in files {
        if f.name == "values.yaml" {
            c.raw.push(f.clone());
        }
        match f.name.as_str() {
            "Chart.yaml" => {}
            "Chart.lock" => {
                c.lock =
                    Some(metadata::parse_lock(&text_of(&f)).map_err(|source| {
                        LoadError::Metadata { file: "Chart.lock".into(), source }
                    })?);
            }
            "values.yaml" => {
                let v = yaml::parse_values(&text_of(&f))
                    .map_err(|source| LoadError::Values { source })?;
                c.values = match v {
                    crate::Value::Map(m) => m,
                    _ => Map::new(),
                };
            }
            "values.schema.json" => c.schema = Some(f.data),
            "requirements.yaml" => {
                let md = raw_md.get_or_insert_with(RawMetadata::default);
                if md.meta.api_version != metadata::API_VERSION_V1 {
                    c.warnings.push(
                        "Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.".into(),
                    );
                }
                metadata::decode_metadata_into(&text_of(&f), md).map_err(|source| {
                    LoadError::Metadata { file: "requirements.yaml".into(), source }
                })?;
                if md.meta.api_version == metadata::API_VERSION_V1 {
                    c.files.push(f);
                }
            }
            "requirements.lock" => {
                c.lock = Some(metadata::parse_lock(&text_of(&f)).map_err(|source| {
                    LoadError::Metadata { file: "requirements.lock".into(), source }
                })?);
                let md = raw_md.get_or_insert_with(RawMetadata::default);
                if md.meta.api_version != metadata::API_VERSION_V1 {
                    c.warnings.push(
                        "Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.".into(),
                    );
                }
                if md.meta.api_version == metadata::API_VERSION_V1 {
                    c.files.push(f);
                }
            }
            name if name.starts_with("templates/") => c.templates.push(f),
            name if name.starts_with("charts/") => {
                if name.ends_with(".prov") {
                    c.files.push(f);
                    continue;
                }
                let rest = &name["charts/".len()..];
                let (cname, inner) = match rest.split_once('/') {
                    Some((a, b)) => (a.to_owned(), Some(b.to_owned())),
                    None => (rest.to_owned(), None),
                };
                let entry = subcharts.entry(cname.clone()).or_default();
                // Files directly in charts/ keep their own name; files inside a directory are
                // re-rooted at that directory.
                match inner {
                    Some(inner) => entry.push(BufferedFile { name: inner, data: f.data }),
                    None => entry.push(BufferedFile { name: cname, data: f.data }),
                }
            }
            _ => c.files.push(f),
        }
    }

    let Some(mut raw_md) = raw_md else {
        return Err(LoadError::MissingChartYaml);
    };
    if !matches!(raw_md.meta.api_version.as_str(), "v1" | "v2") {
        return Err(LoadError::UnsupportedApiVersion(raw_md.meta.api_version.clone()));
    }
    metadata::validate(&mut raw_md).map_err(LoadError::Invalid)?;
    c.warnings.extend(
        raw_md.meta.unknown_fields.keys().map(|k| format!("Chart.yaml: unknown field {k:?}")),
    );
    c.metadata = raw_md.meta;

    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let wrap = |e: LoadError, c: &Chart| LoadError::Subchart {
            name: n.clone(),
            parent: c.name().to_owned(),
            source: Box::new(e),
        };
        let sub = if n.ends_with(".tgz") {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::SubchartArchiveName {
                    parent: c.name().to_owned(),
                    expected: n.clone(),
                    got: file.name.clone(),
                });
            }
            crate::load::read_archive_bytes(&file.data, limits)
                .map_err(LoadError::from)
                .and_then(|fs| from_files_at_depth(fs, limits, depth + 1))
        } else {
            // Files sitting directly in charts/ (no directory) are not part of any chart.
            let inner: Vec<BufferedFile> = files.into_iter().filter(|f| f.name != n).collect();
            from_files_at_depth(inner, limits, depth + 1)
        };
        c.dependencies.push(sub.map_err(|e| wrap(e, &c))?);
    }
    Ok(c)
}

fn text_of(f: &BufferedFile) -> std::borrow::Cow<'_, str> {
    crate::load::utf8_lossy(&f.data)
}

/// Loads a chart from a directory or a `.tgz` file, as `helm` does with a local path.
///
/// ```no_run
/// let chart = chart_core::load("examples/hello").unwrap();
/// println!("{} {}", chart.metadata.name, chart.metadata.version);
/// ```
pub fn load(path: impl AsRef<Path>) -> Result<Chart, LoadError> {
    load_with_limits(path, &LoadLimits::default())
}

/// [`load`] with explicit limits.
pub fn load_with_limits(path: impl AsRef<Path>, limits: &LoadLimits) -> Result<Chart, LoadError> {
    let path = path.as_ref();
    let meta = std::fs::metadata(path)
        .map_err(|e| ReadError::Io { path: path.to_path_buf(), source: e })?;
    if meta.is_dir() {
        from_files(crate::load::read_dir(path, limits)?, limits)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| ReadError::Io { path: path.to_path_buf(), source: e })?;
        load_archive(std::io::BufReader::new(file), limits)
    }
}

/// Loads a chart from a gzipped tar stream.
pub fn load_archive(r: impl std::io::Read, limits: &LoadLimits) -> Result<Chart, LoadError> {
    from_files(crate::load::read_archive(r, limits)?, limits)
}

/// Loads a chart from the bytes of a `.tgz`.
pub fn load_bytes(bytes: &[u8]) -> Result<Chart, LoadError> {
    let limits = LoadLimits::default();
    from_files(crate::load::read_archive_bytes(bytes, &limits)?, &limits)
}
