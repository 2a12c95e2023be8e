//! Chart parameters: every value a user can set on a chart, as a `--set` path with its type,
//! default and description, and a commented values file made from them.
//!
//! The defaults and types come from `values.yaml` as Helm reads it ([`Chart::values`]). YAML
//! comments do not survive that reader, so the descriptions come from a line-based scan of the
//! raw text, which follows indentation to know which key a comment sits above. Two comment
//! conventions are understood:
//!
//! - bitnami's readme-generator: `## @param path [modifiers] description`, `## @skip path`
//!   (a settable value left out of the README), `## @extra path description` (documented but
//!   absent from values.yaml) and `## @section Title`. The modifiers are `array`, `object`,
//!   `string`, `nullable` and `default: text`. A single `#` is accepted too.
//! - helm-docs: `# -- description` in the comment lines directly above a key or list item
//!   (further `#` lines continue it; `# @default -- text`, `# @section -- title`, `# @raw` and a
//!   `(type)` prefix are read), and the older `# path -- description` anywhere in the file.
//!
//! `values.schema.json` adds `description` and `type` where the comments say nothing, and the
//! properties it declares that values.yaml lacks.
//!
//! Subcharts contribute their parameters under their alias (or name); the parent's values win
//! over the subchart's, as Helm coalesces them.
//!
//! ```
//! # use chart_core::load::BufferedFile;
//! let files = vec![
//!     BufferedFile { name: "Chart.yaml".into(), data: b"apiVersion: v2\nname: web\nversion: 1.0.0\n".to_vec() },
//!     BufferedFile { name: "values.yaml".into(), data: b"image:\n  # -- Image tag\n  tag: \"1.0\"\n".to_vec() },
//! ];
//! let chart = chart_core::chart::from_files(files, &Default::default()).unwrap();
//! let params = chart_core::params::chart_params(&chart).unwrap();
//! assert_eq!(params.params[0].path, "image.tag");
//! assert_eq!(params.params[0].description, "Image tag");
//! assert!(params.values_file().unwrap().contains("  # -- Image tag\n  tag: \"1.0\"\n"));
//! ```
//!
//! # Which paths are parameters
//! Every scalar and `null` is one, and so is every empty map. A list is one parameter as a whole
//! (its items appear on their own only where a comment documents them, as `list[0].key`). A
//! non-empty map is a parameter when a comment or the schema documents it; its keys always are.
//!
//! # The values file
//! [`ChartParams::values_file`] writes the chart's defaults with their descriptions as
//! `# --` comments (so the file follows helm-docs itself). Entries that must not be set for the
//! render to stay the chart's own are commented out: `null` defaults (a `null` given by the user
//! deletes the key) and the defaults of subcharts that are disabled by default (Helm does not
//! merge them into the parent's values).

use std::collections::{BTreeMap, HashMap};

use crate::chart::Chart;
use crate::semver_loose::is_compatible_range;
use crate::value::{Map, Value};
use crate::yaml;

/// The type of a parameter's default as Helm reads values.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamType {
    /// A string.
    String,
    /// A number (Helm reads every YAML number as a `float64`).
    Number,
    /// A boolean.
    Bool,
    /// A list.
    List,
    /// A map.
    Map,
    /// `null` (or an empty value).
    Null,
}

impl ParamType {
    /// The type of a value.
    pub fn of(v: &Value) -> ParamType {
        match v {
            Value::Null => ParamType::Null,
            Value::Bool(_) => ParamType::Bool,
            Value::Int(_) | Value::Float(_) => ParamType::Number,
            Value::String(_) => ParamType::String,
            Value::List(_) => ParamType::List,
            Value::Map(_) => ParamType::Map,
        }
    }

    /// The lower-case name: `string`, `number`, `bool`, `list`, `map` or `null`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Number => "number",
            ParamType::Bool => "bool",
            ParamType::List => "list",
            ParamType::Map => "map",
            ParamType::Null => "null",
        }
    }
}

/// Where a parameter's description comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DocSource {
    /// A readme-generator `## @param` line.
    Param,
    /// A readme-generator `## @skip` line.
    Skip,
    /// A readme-generator `## @extra` line.
    Extra,
    /// A helm-docs `# --` comment (or the older `# path -- text`).
    HelmDocs,
    /// `values.schema.json`.
    Schema,
}

impl DocSource {
    /// `param`, `skip`, `extra`, `helm-docs` or `schema`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocSource::Param => "param",
            DocSource::Skip => "skip",
            DocSource::Extra => "extra",
            DocSource::HelmDocs => "helm-docs",
            DocSource::Schema => "schema",
        }
    }
}

/// One settable parameter.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Param {
    /// The path as `--set` takes it: keys joined by `.`, list items as `[0]`, and `\` before a
    /// `.`, `[`, `,`, `=` or `\` inside a key.
    pub path: String,
    /// The default value, or `None` for a parameter that is documented (`@extra`, the schema)
    /// but has no value in values.yaml.
    pub default: Option<Value>,
    /// The description (empty when undocumented).
    pub description: String,
    /// Where the description comes from; `None` when undocumented.
    pub source: Option<DocSource>,
    /// The type the documentation declares (`map`, `list`, `string`, `nullable`, a helm-docs
    /// `(type)`, the schema's `type`), comma separated, when it declares one.
    pub declared_type: Option<String>,
    /// A default documented in words (`[default: text]`, `# @default -- text`); the real
    /// default is [`Param::default`].
    pub documented_default: Option<String>,
    /// The documentation section (`@section`).
    pub section: Option<String>,
    /// The chart whose values hold the parameter, as Helm's chart path (`top/charts/sub`).
    pub chart: String,
}

impl Param {
    /// The type of the default; `None` when there is no default.
    pub fn value_type(&self) -> Option<ParamType> {
        self.default.as_ref().map(ParamType::of)
    }

    /// The parameter as a map with camel-case keys (`path`, `type`, `default`, `description`,
    /// `source`, `declaredType`, `documentedDefault`, `section`, `chart`), for JSON and YAML
    /// output. `type` and `default` are left out when there is no default; the other optional
    /// fields when unset.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("path".into(), Value::from(self.path.as_str()));
        if let Some(d) = &self.default {
            m.insert("type".into(), Value::from(ParamType::of(d).as_str()));
            m.insert("default".into(), d.clone());
        }
        m.insert("description".into(), Value::from(self.description.as_str()));
        if let Some(s) = self.source {
            m.insert("source".into(), Value::from(s.as_str()));
        }
        let mut opt = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), Value::from(v.as_str()));
            }
        };
        opt("declaredType", &self.declared_type);
        opt("documentedDefault", &self.documented_default);
        opt("section", &self.section);
        m.insert("chart".into(), Value::from(self.chart.as_str()));
        Value::Map(m)
    }
}

/// Why parameters could not be listed or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// A chart's `values.schema.json` is not JSON.
    #[error("cannot read values.schema.json of chart {chart}: {source}")]
    Schema {
        /// The chart path (`top/charts/sub`).
        chart: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A default could not be written as YAML.
    #[error("cannot write the default of {path}: {source}")]
    Yaml {
        /// The parameter.
        path: String,
        /// What went wrong.
        #[source]
        source: yaml::MarshalError,
    },
    /// Two charts given to [`values_file`] have the same name, so their values would share a key.
    #[error("two charts are named {0:?}: their values would share one key")]
    DuplicateChart(String),
}

/// The parameters of a chart and what is needed to write its values file.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ChartParams {
    /// The chart's name.
    pub name: String,
    /// The chart's version.
    pub version: String,
    /// The parameters, in the order of the values files (the chart's first, then its
    /// subcharts'), documented-only ones at their documented place.
    pub params: Vec<Param>,
    model: Model,
}

/// The parameters of `chart` and its subcharts.
pub fn chart_params(chart: &Chart) -> Result<ChartParams, ParamsError> {
    let model = Model::build(chart)?;
    let mut params = Vec::new();
    model.emit_map(&model.full, &mut Vec::new(), &mut params);
    for p in model.doc_only_paths() {
        if !params.iter().any(|q| q.path == format_path(&p)) {
            params.push(model.param(&p, None));
        }
    }
    Ok(ChartParams {
        name: chart.name().to_owned(),
        version: chart.metadata.version.clone(),
        params,
        model,
    })
}

impl ChartParams {
    /// The parameters as a list of maps ([`Param::to_value`]).
    pub fn to_value(&self) -> Value {
        Value::List(self.params.iter().map(Param::to_value).collect())
    }

    /// The chart's defaults as a commented values file (see the module documentation).
    pub fn values_file(&self) -> Result<String, ParamsError> {
        let mut w = Writer::new(&self.model);
        w.header(self);
        w.map(&self.model.full, Some(&self.model.live), &mut Vec::new(), 0)?;
        Ok(w.out)
    }
}

/// One values file for several charts, each chart's values under a key named after it. One
/// chart gives [`ChartParams::values_file`].
pub fn values_file(charts: &[ChartParams]) -> Result<String, ParamsError> {
    if let [one] = charts {
        return one.values_file();
    }
    let mut out = String::new();
    for (i, c) in charts.iter().enumerate() {
        if charts[..i].iter().any(|o| o.name == c.name) {
            return Err(ParamsError::DuplicateChart(c.name.clone()));
        }
        let mut w = Writer::new(&c.model);
        if i > 0 {
            w.out.push('\n');
        }
        w.header(c);
        let key = yaml_key(&c.name);
        if w.model.has_live_child(&c.model.full, Some(&c.model.live)) {
            w.out.push_str(&format!("{key}:\n"));
            w.map(&c.model.full, Some(&c.model.live), &mut Vec::new(), 2)?;
        } else {
            w.out.push_str(&format!("{key}: {{}}\n"));
            w.map(&c.model.full, None, &mut Vec::new(), 2)?;
        }
        out.push_str(&w.out);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/// One step of a path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Seg {
    Key(String),
    Index(usize),
}

type Path = Vec<Seg>;

/// A path in `--set` syntax.
fn format_path(p: &[Seg]) -> String {
    let mut s = String::new();
    for seg in p {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                for c in k.chars() {
                    if matches!(c, '.' | '[' | ',' | '=' | '\\') {
                        s.push('\\');
                    }
                    s.push(c);
                }
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Splits a documented path (`a.b[0].c`, `a\.b`, helm-docs' `a."b.c"`) into steps.
fn parse_path(text: &str) -> Option<Path> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut after_index = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => cur.push(chars.next()?),
            _ if quoted => cur.push(c),
            '.' => {
                if !after_index {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
                after_index = false;
            }
            '[' => {
                if !after_index || !cur.is_empty() {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    n.push(d);
                }
                out.push(Seg::Index(n.trim().parse().ok()?));
                after_index = true;
            }
            _ => {
                after_index = false;
                cur.push(c);
            }
        }
    }
    if !after_index || !cur.is_empty() {
        out.push(Seg::Key(cur));
    }
    if quoted || out.iter().any(|s| matches!(s, Seg::Key(k) if k.is_empty())) {
        return None;
    }
    Some(out)
}

/// The value at `path` under `v`.
fn lookup<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match (v, seg) {
        (Value::Map(m), Seg::Key(k)) => m.get(k),
        (Value::List(l), Seg::Index(i)) => l.get(*i),
        _ => None,
    })
}

fn lookup_map<'a>(m: &'a Map, path: &[Seg]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(k) = first else { return None };
    lookup(m.get(k)?, rest)
}

/// Finds a documented path in the values, trying keys that contain dots where a plain split
/// finds nothing (readme-generator writes `annotations.prometheus.io/scrape`).
fn resolve(m: &Map, path: &[Seg]) -> Option<Path> {
    fn in_value(v: &Value, path: &[Seg], out: &mut Path, budget: &mut usize) -> bool {
        let Some((first, rest)) = path.split_first() else { return true };
        match (v, first) {
            (Value::Map(m), Seg::Key(_)) => in_map(m, path, out, budget),
            (Value::List(l), Seg::Index(i)) => {
                let Some(item) = l.get(*i) else { return false };
                out.push(first.clone());
                if in_value(item, rest, out, budget) {
                    return true;
                }
                out.pop();
                false
            }
            _ => false,
        }
    }
    fn in_map(m: &Map, path: &[Seg], out: &mut Path, budget: &mut usize) -> bool {
        // Join the first key with the following ones: `a`, `a.b`, `a.b.c`...
        let mut key = String::new();
        for (n, seg) in path.iter().enumerate() {
            let Seg::Key(k) = seg else { break };
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            if n > 0 {
                key.push('.');
            }
            key.push_str(k);
            if let Some(next) = m.get(&key) {
                out.push(Seg::Key(key.clone()));
                if in_value(next, &path[n + 1..], out, budget) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
    let mut out = Vec::new();
    let mut budget = 10_000;
    in_map(m, path, &mut out, &mut budget).then_some(out)
}

/// A key as go-yaml writes it (quoted where YAML 1.1 would read something else).
fn yaml_key(k: &str) -> String {
    if k == "<<" {
        // go-yaml writes it plain, and reads it back as a merge key.
        return "\"<<\"".to_owned();
    }
    let mut m = Map::new();
    m.insert(k.to_owned(), Value::Null);
    let text = yaml::to_yaml(&Value::Map(m)).unwrap_or_default();
    match text.strip_suffix(": null\n") {
        Some(key) if !key.contains('\n') => key.to_owned(),
        _ => format!("{k:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Documentation of one path
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
struct Doc {
    description: String,
    source: Option<DocSource>,
    declared_type: Option<String>,
    documented_default: Option<String>,
    section: Option<String>,
}

impl Doc {
    /// Fills what `self` lacks from `other` (which has lower priority).
    fn fill(&mut self, other: Doc) {
        if self.description.is_empty() && !other.description.is_empty() {
            self.description = other.description;
            self.source = other.source;
        }
        if self.source.is_none() {
            self.source = other.source;
        }
        self.declared_type = self.declared_type.take().or(other.declared_type);
        self.documented_default = self.documented_default.take().or(other.documented_default);
        self.section = self.section.take().or(other.section);
    }
}

/// A type name from documentation, in this module's words.
fn normalize_type(t: &str) -> String {
    match t.trim() {
        "object" => "map".into(),
        "array" => "list".into(),
        "boolean" => "bool".into(),
        other => other.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// The values.yaml scanner
// ---------------------------------------------------------------------------------------------

/// A key or list item found in the text, with the comment lines right above it.
#[derive(Debug)]
struct Node {
    path: Path,
    line: usize,
    comments: Vec<String>,
}

/// A readme-generator annotation.
#[derive(Debug, PartialEq)]
enum Tag {
    Param,
    Skip,
    Extra,
}

#[derive(Debug)]
struct Annotation {
    tag: Tag,
    path: String,
    modifiers: Vec<String>,
    description: String,
    section: Option<String>,
    line: usize,
}

/// A helm-docs `# path -- description` comment with the comment lines that follow it.
#[derive(Debug)]
struct KeyComment {
    path: String,
    lines: Vec<String>,
    line: usize,
}

#[derive(Debug, Default)]
struct Scan {
    nodes: Vec<Node>,
    annotations: Vec<Annotation>,
    key_comments: Vec<KeyComment>,
}

#[derive(Debug)]
struct Frame {
    col: usize,
    seg: Seg,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Splits `key: rest` (plain, `"double"` or `'single'` quoted key); `None` when the text is not
/// a mapping entry.
fn split_key(s: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(body) = s.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = body.char_indices();
        let end = loop {
            let (i, c) = chars.next()?;
            match c {
                '"' => break i + 1,
                '\\' => {
                    let (_, e) = chars.next()?;
                    key.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                c => key.push(c),
            }
        };
        (key, &body[end..])
    } else if let Some(body) = s.strip_prefix('\'') {
        let mut key = String::new();
        let mut rest = body;
        loop {
            let i = rest.find('\'')?;
            key.push_str(&rest[..i]);
            if rest[i + 1..].starts_with('\'') {
                key.push('\'');
                rest = &rest[i + 2..];
            } else {
                rest = &rest[i + 1..];
                break;
            }
        }
        (key, rest)
    } else {
        if s.starts_with(['{', '[', '?', '#', '&', '*', '!', '|', '>', '%', '@', '`']) {
            return None;
        }
        let bytes = s.as_bytes();
        let mut found = None;
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
                return None;
            }
            if *b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) {
                found = Some(i);
                break;
            }
        }
        let i = found?;
        return Some((s[..i].trim_end().to_owned(), &s[i + 1..]));
    };
    let after = after.trim_start_matches([' ', '\t']);
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, rest))
}

/// Whether the text after a key or dash holds the value itself (`Some(true)` for a block scalar
/// `|`/`>`), or the value follows on the next lines (`None`).
fn inline_value(rest: &str) -> Option<bool> {
    let mut v = rest.trim();
    // Anchors and tags come before a nested block as well as before a scalar.
    while v.starts_with(['&', '!']) {
        v = v.find([' ', '\t']).map_or("", |i| v[i..].trim_start());
    }
    if v.is_empty() || v.starts_with('#') { None } else { Some(v.starts_with(['|', '>'])) }
}

/// Parses a readme-generator line (`## @param path [mods] text`), with `#` or `##`.
fn parse_annotation(
    comment: &str,
    section: &mut Option<String>,
    line: usize,
) -> Option<Annotation> {
    let body = comment.strip_prefix("##").or_else(|| comment.strip_prefix('#'))?;
    let body = body.trim_start().strip_prefix('@')?;
    let (word, rest) = body.split_once([' ', '\t']).unwrap_or((body, ""));
    let tag = match word {
        "param" => Tag::Param,
        "skip" => Tag::Skip,
        "extra" => Tag::Extra,
        "section" => {
            *section = Some(rest.trim().to_owned());
            return None;
        }
        _ => return None,
    };
    let rest = rest.trim_start();
    let (path, mut rest) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    if path.is_empty() {
        return None;
    }
    rest = rest.trim_start();
    let mut modifiers = Vec::new();
    if tag != Tag::Skip
        && rest.starts_with('[')
        && let Some(end) = rest.find(']')
    {
        modifiers = rest[1..end]
            .split(',')
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .collect();
        rest = rest[end + 1..].trim_start();
    }
    Some(Annotation {
        tag,
        path: path.to_owned(),
        modifiers,
        description: rest.trim_end().to_owned(),
        section: section.clone(),
        line,
    })
}

/// The key of a helm-docs `# key -- text` line; empty for `# -- text`; `None` for other lines.
fn helm_docs_key(comment: &str) -> Option<&str> {
    let body = comment.strip_prefix('#')?;
    let body = body.trim_start();
    if let Some(rest) = body.strip_prefix("--") {
        return (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some("");
    }
    let (key, rest) = body.split_once([' ', '\t'])?;
    let rest = rest.trim_start().strip_prefix("--")?;
    let ok = (rest.is_empty() || rest.starts_with([' ', '\t']))
        && key.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"');
    ok.then_some(key)
}

/// Scans values.yaml text: keys with their paths, comments and annotations.
fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    // The column a value started at, and whether it is a block scalar (`|`, `>`).
    let mut skip_deeper: Option<(usize, bool)> = None;
    let mut section: Option<String> = None;
    let mut comments: Vec<(usize, String)> = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let lineno = n + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let col = indent_of(line);
        let trimmed = &line[col..];
        if let Some((c, block)) = skip_deeper {
            let blank = trimmed.trim().is_empty();
            if block && (blank || col > c) {
                continue;
            }
            // After an inline value, deeper lines continue it, but comments stay comments.
            if !block && !blank && col > c && !trimmed.starts_with('#') {
                continue;
            }
            if !blank && col <= c {
                skip_deeper = None;
            }
        }
        if trimmed.trim().is_empty() {
            pending.clear();
            continue;
        }
        if trimmed.starts_with('#') {
            let c = trimmed.trim_end().to_owned();
            if let Some(a) = parse_annotation(&c, &mut section, lineno) {
                out.annotations.push(a);
            }
            comments.push((lineno, c.clone()));
            pending.push(c);
            continue;
        }
        if col == 0
            && (trimmed.starts_with("---") || trimmed.starts_with("..."))
            && blank_or_comment(&trimmed[3..])
        {
            frames.clear();
            pending.clear();
            continue;
        }
        if col == 0 && trimmed.starts_with('%') {
            continue;
        }
        let mut col = col;
        let mut rest = trimmed;
        loop {
            if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
                frames.retain(|f| f.col <= col);
                let index = match frames.last() {
                    Some(Frame { col: c, seg: Seg::Index(i) }) if *c == col => {
                        let i = *i + 1;
                        frames.pop();
                        i
                    }
                    _ => 0,
                };
                frames.push(Frame { col, seg: Seg::Index(index) });
                out.nodes.push(Node {
                    path: frames.iter().map(|f| f.seg.clone()).collect(),
                    line: lineno,
                    comments: std::mem::take(&mut pending),
                });
                let after = &rest[1..];
                let inner = after.trim_start_matches([' ', '\t']);
                let dash_col = col;
                col += 1 + (after.len() - inner.len());
                rest = inner;
                if rest.is_empty() {
                    break;
                }
                if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
                    continue;
                }
                if split_key(rest).is_none() {
                    if let Some(block) = inline_value(rest) {
                        skip_deeper = Some((dash_col, block));
                    }
                    break;
                }
                continue;
            }
            if let Some((key, value)) = split_key(rest) {
                frames.retain(|f| f.col < col);
                frames.push(Frame { col, seg: Seg::Key(key) });
                out.nodes.push(Node {
                    path: frames.iter().map(|f| f.seg.clone()).collect(),
                    line: lineno,
                    comments: std::mem::take(&mut pending),
                });
                if let Some(block) = inline_value(value) {
                    skip_deeper = Some((col, block));
                }
            } else {
                // A scalar or flow value on a line of its own, or something we do not follow.
                pending.clear();
                skip_deeper = Some((col.saturating_sub(1), false));
            }
            break;
        }
    }
    // helm-docs' older form: `# path -- text` plus the comment lines right after it.
    let mut i = 0;
    while i < comments.len() {
        let (line, c) = &comments[i];
        match helm_docs_key(c) {
            Some(key) if !key.is_empty() => {
                let mut lines = vec![format!("# -- {}", helm_docs_rest(c))];
                let mut j = i + 1;
                while j < comments.len()
                    && comments[j].0 == comments[j - 1].0 + 1
                    && helm_docs_key(&comments[j].1).is_none()
                {
                    lines.push(comments[j].1.clone());
                    j += 1;
                }
                out.key_comments.push(KeyComment { path: key.to_owned(), lines, line: *line });
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

/// The text after ` -- ` on a helm-docs line.
fn helm_docs_rest(comment: &str) -> &str {
    comment.split_once("--").map_or("", |(_, r)| r.trim_start())
}

/// Whether the rest of a line is blank or a comment.
fn blank_or_comment(s: &str) -> bool {
    let s = s.trim_start();
    s.is_empty() || s.starts_with('#')
}

/// helm-docs' reading of the comment lines above a key: the last group starting with `# --`.
fn parse_helm_docs(lines: &[String]) -> Option<Doc> {
    let start = lines.iter().rposition(|l| l.starts_with("# --"))?;
    let first = &lines[start];
    if helm_docs_key(first) != Some("") {
        return None;
    }
    let mut doc = Doc { source: Some(DocSource::HelmDocs), ..Doc::default() };
    let mut desc = helm_docs_rest(first).trim_end().to_owned();
    if let Some(body) = desc.strip_prefix('(')
        && let Some(end) = body.find(')')
        && end > 0
    {
        doc.declared_type = Some(normalize_type(&body[..end]));
        desc = body[end + 1..].trim_start().to_owned();
    }
    let mut raw = false;
    for l in &lines[start + 1..] {
        let body = l.strip_prefix('#').unwrap_or(l);
        let word = body.trim_start();
        if let Some(v) = l.strip_prefix("# @default -- ") {
            doc.documented_default = Some(v.to_owned());
        } else if let Some(v) = l.strip_prefix("# @section -- ") {
            doc.section = Some(v.to_owned());
        } else if word.starts_with("@notationType") || word.starts_with("@ignore") {
        } else if !raw && body.starts_with([' ', '\t']) && word == "@raw" {
            raw = true;
        } else {
            let text = body.strip_prefix([' ', '\t']).unwrap_or(body);
            desc.push(if raw { '\n' } else { ' ' });
            desc.push_str(text);
        }
    }
    doc.description = desc;
    Some(doc)
}

/// The documentation a readme-generator annotation gives.
fn annotation_doc(a: &Annotation) -> Doc {
    let mut types = Vec::new();
    let mut documented_default = None;
    for m in &a.modifiers {
        if let Some(d) = m.strip_prefix("default:") {
            documented_default = Some(d.trim().to_owned());
        } else {
            types.push(normalize_type(m));
        }
    }
    Doc {
        description: a.description.clone(),
        source: Some(match a.tag {
            Tag::Param => DocSource::Param,
            Tag::Skip => DocSource::Skip,
            Tag::Extra => DocSource::Extra,
        }),
        declared_type: (!types.is_empty()).then(|| types.join(",")),
        documented_default,
        section: a.section.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// values.schema.json
// ---------------------------------------------------------------------------------------------

/// Descriptions and types of the properties a schema declares.
fn schema_docs(schema: &serde_json::Value) -> Vec<(Path, Doc)> {
    fn walk(
        node: &serde_json::Value,
        root: &serde_json::Value,
        path: &mut Path,
        depth: usize,
        budget: &mut usize,
        out: &mut Vec<(Path, Doc)>,
    ) {
        if depth > 64 || *budget == 0 {
            return;
        }
        *budget -= 1;
        let mut node = node;
        for _ in 0..16 {
            match node.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#')) {
                Some(pointer) => match root.pointer(pointer) {
                    Some(target) => node = target,
                    None => break,
                },
                None => break,
            }
        }
        if !path.is_empty() {
            let description =
                node.get("description").and_then(|d| d.as_str()).unwrap_or_default().trim();
            let ty = match node.get("type") {
                Some(serde_json::Value::String(t)) => Some(normalize_type(t)),
                Some(serde_json::Value::Array(ts)) => Some(
                    ts.iter()
                        .filter_map(|t| t.as_str())
                        .map(normalize_type)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                _ => None,
            };
            if !description.is_empty() || ty.is_some() {
                out.push((
                    path.clone(),
                    Doc {
                        description: description.to_owned(),
                        source: (!description.is_empty()).then_some(DocSource::Schema),
                        declared_type: ty,
                        ..Doc::default()
                    },
                ));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(serde_json::Value::Array(branches)) = node.get(key) {
                for b in branches {
                    walk(b, root, path, depth + 1, budget, out);
                }
            }
        }
        if let Some(serde_json::Value::Object(props)) = node.get("properties") {
            for (k, v) in props {
                path.push(Seg::Key(k.clone()));
                walk(v, root, path, depth + 1, budget, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(schema, schema, &mut Vec::new(), 0, &mut 100_000, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// The model: defaults of the whole tree, documentation and order
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct Model {
    /// Every chart's defaults, subcharts under their keys, the parent's values winning.
    full: Map,
    /// The same without the subcharts that are disabled by default: what Helm merges.
    live: Map,
    docs: HashMap<Path, Doc>,
    /// (chart rank, line) of each path, for ordering.
    order: HashMap<Path, (usize, usize)>,
    /// Chart paths by their key prefix, parents first.
    charts: Vec<(Path, String)>,
    /// Key prefixes of the subcharts that Helm disables when no values are given.
    disabled: Vec<Path>,
    /// Documented paths that are not in `full`, by their nearest map ancestor.
    doc_only: BTreeMap<Path, Vec<Path>>,
    /// Documented paths inside lists, by the list's path.
    list_docs: HashMap<Path, Vec<Path>>,
}

/// A chart's subcharts with the key their values live under, as Helm pairs Chart.yaml
/// dependencies with the charts in `charts/` (unclaimed charts keep their own name).
fn subcharts(chart: &Chart) -> Vec<(String, &Chart)> {
    let mut claimed = vec![false; chart.dependencies.len()];
    let mut out: Vec<(String, &Chart)> = Vec::new();
    for req in &chart.metadata.dependencies {
        let found = chart.dependencies.iter().position(|c| {
            c.name() == req.name && is_compatible_range(&req.version, &c.metadata.version)
        });
        if let Some(i) = found {
            claimed[i] = true;
            let key = if req.alias.is_empty() { &req.name } else { &req.alias };
            out.push((key.clone(), &chart.dependencies[i]));
        }
    }
    for (c, claimed) in chart.dependencies.iter().zip(claimed) {
        if !claimed {
            out.push((c.name().to_owned(), c));
        }
    }
    let mut seen = Vec::new();
    out.retain(|(k, _)| {
        let new = !seen.contains(k);
        seen.push(k.clone());
        new
    });
    out
}

/// Adds documentation for a path, below what is already there.
fn add(docs: &mut HashMap<Path, Doc>, p: Path, d: Doc) {
    match docs.get_mut(&p) {
        Some(old) => old.fill(d),
        None => {
            docs.insert(p, d);
        }
    }
}

/// `top` over `base`: maps merge, anything else in `top` replaces.
fn merge_over(base: &mut Value, top: Value) {
    match (base, top) {
        (Value::Map(b), Value::Map(t)) => {
            for (k, v) in t {
                match b.get_mut(&k) {
                    Some(bv) => merge_over(bv, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, t) => *b = t,
    }
}

/// Puts a subchart's values under `key`, below what the parent already has there.
fn overlay(dst: &mut Map, key: &str, sub: Map) {
    match dst.get_mut(key) {
        Some(Value::Map(parent)) => {
            let top = std::mem::take(parent);
            let mut merged = Value::Map(sub);
            merge_over(&mut merged, Value::Map(top));
            dst.insert(key.to_owned(), merged);
        }
        None | Some(Value::Null) => {
            dst.insert(key.to_owned(), Value::Map(sub));
        }
        Some(_) => {}
    }
}

/// Which subcharts Helm keeps with no user values: `All` when that could not be worked out.
#[derive(Clone, Copy)]
enum Enabled<'a> {
    All,
    Tree(&'a Chart),
}

impl Model {
    fn build(chart: &Chart) -> Result<Model, ParamsError> {
        let opts = crate::ComputeOptions { skip_schema_validation: true };
        let processed = crate::compute_values(chart, &Map::new(), &opts).ok().map(|c| c.chart);
        let enabled = processed.as_ref().map_or(Enabled::All, Enabled::Tree);
        let mut m = Model::default();
        let (full, live) = m.level(chart, Vec::new(), chart.name().to_owned(), enabled)?;
        m.full = full;
        m.live = live;
        m.index();
        Ok(m)
    }

    /// Reads one chart of the tree; returns its (full, live) values.
    fn level(
        &mut self,
        chart: &Chart,
        prefix: Path,
        chart_path: String,
        enabled: Enabled<'_>,
    ) -> Result<(Map, Map), ParamsError> {
        let rank = self.charts.len();
        self.charts.push((prefix.clone(), chart_path.clone()));
        let mut docs: HashMap<Path, Doc> = HashMap::new();
        let at = |p: &[Seg]| -> Path { prefix.iter().cloned().chain(p.iter().cloned()).collect() };
        if let Some(raw) = chart.raw_values_file() {
            let text = String::from_utf8_lossy(raw);
            let scan = scan(&text);
            for node in &scan.nodes {
                self.order.entry(at(&node.path)).or_insert((rank, node.line));
            }
            for a in &scan.annotations {
                let Some(parsed) = parse_path(&a.path) else { continue };
                let p = resolve(&chart.values, &parsed).unwrap_or(parsed);
                self.order.entry(at(&p)).or_insert((rank, a.line));
                add(&mut docs, p, annotation_doc(a));
            }
            for node in &scan.nodes {
                if let Some(d) = parse_helm_docs(&node.comments)
                    && lookup_map(&chart.values, &node.path).is_some()
                {
                    add(&mut docs, node.path.clone(), d);
                }
            }
            for k in &scan.key_comments {
                if let Some(p) = parse_path(&k.path).and_then(|p| resolve(&chart.values, &p))
                    && let Some(d) = parse_helm_docs(&k.lines)
                {
                    self.order.entry(at(&p)).or_insert((rank, k.line));
                    add(&mut docs, p, d);
                }
            }
        }
        if let Some(schema) = &chart.schema {
            let json: serde_json::Value = serde_json::from_slice(schema)
                .map_err(|source| ParamsError::Schema { chart: chart_path.clone(), source })?;
            for (p, d) in schema_docs(&json) {
                // A schema property absent from values.yaml is listed only when described.
                if d.source.is_some() || lookup_map(&chart.values, &p).is_some() {
                    add(&mut docs, p, d);
                }
            }
        }
        for (p, d) in docs {
            add(&mut self.docs, at(&p), d);
        }

        let mut full = chart.values.clone();
        let mut live = chart.values.clone();
        for (key, sub) in subcharts(chart) {
            let sub_enabled = match enabled {
                Enabled::All => Some(Enabled::All),
                Enabled::Tree(t) => {
                    t.dependencies.iter().find(|d| d.name() == key).map(Enabled::Tree)
                }
            };
            let mut sub_prefix = prefix.clone();
            sub_prefix.push(Seg::Key(key.clone()));
            let sub_path = format!("{chart_path}/charts/{key}");
            let (sub_full, sub_live) =
                self.level(sub, sub_prefix, sub_path, sub_enabled.unwrap_or(Enabled::All))?;
            overlay(&mut full, &key, sub_full);
            if sub_enabled.is_some() {
                overlay(&mut live, &key, sub_live);
            } else {
                let mut p = prefix.clone();
                p.push(Seg::Key(key.clone()));
                self.disabled.push(p);
            }
        }
        Ok((full, live))
    }

    /// Indexes documented paths that are missing from the values or inside lists.
    fn index(&mut self) {
        let root = Value::Map(std::mem::take(&mut self.full));
        let mut paths: Vec<&Path> =
            self.docs.iter().filter(|(_, d)| d.source.is_some()).map(|(p, _)| p).collect();
        paths.sort();
        for p in paths {
            if p.is_empty() {
                continue;
            }
            if lookup(&root, p).is_none() {
                let mut anc = p.len() - 1;
                while !matches!(lookup(&root, &p[..anc]), Some(Value::Map(_))) {
                    anc -= 1;
                }
                self.doc_only.entry(p[..anc].to_vec()).or_default().push(p.clone());
            } else if let Some(i) = p.iter().position(|s| matches!(s, Seg::Index(_))) {
                self.list_docs.entry(p[..i].to_vec()).or_default().push(p.clone());
            }
        }
        if let Value::Map(m) = root {
            self.full = m;
        }
        let order = &self.order;
        let key = |p: &Path| order.get(p).copied().unwrap_or((usize::MAX, usize::MAX));
        for v in self.doc_only.values_mut().chain(self.list_docs.values_mut()) {
            v.sort_by_key(|p| key(p));
        }
    }

    /// The section of the path, or else of the first of its descendants that has one.
    fn first_section(&self, v: &Value, path: &mut Path) -> Option<String> {
        if let Some(s) = self.docs.get(path.as_slice()).and_then(|d| d.section.clone()) {
            return Some(s);
        }
        let Value::Map(m) = v else { return None };
        for child in self.children(m, path) {
            let found = match child {
                Child::Key(k) => {
                    path.push(Seg::Key(k.clone()));
                    let found = m.get(&k).and_then(|v| self.first_section(v, path));
                    path.pop();
                    found
                }
                Child::DocOnly(p) => self.docs.get(&p).and_then(|d| d.section.clone()),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Whether a comment or the schema describes the path (a declared type alone does not).
    fn documented(&self, p: &[Seg]) -> bool {
        self.docs.get(p).is_some_and(|d| d.source.is_some())
    }

    fn order_of(&self, p: &Path) -> (usize, usize) {
        self.order.get(p).copied().unwrap_or((usize::MAX, usize::MAX))
    }

    /// The entries of the map at `path`: its keys and the documented-only paths below it, in
    /// file order.
    fn children(&self, m: &Map, path: &mut Path) -> Vec<Child> {
        let mut out: Vec<((usize, usize), Child)> = m
            .keys()
            .map(|k| {
                path.push(Seg::Key(k.clone()));
                let o = self.order_of(path);
                path.pop();
                (o, Child::Key(k.clone()))
            })
            .collect();
        if let Some(extra) = self.doc_only.get(path.as_slice()) {
            out.extend(extra.iter().map(|p| (self.order_of(p), Child::DocOnly(p.clone()))));
        }
        out.sort_by_key(|a| a.0);
        out.into_iter().map(|(_, c)| c).collect()
    }

    fn doc_only_paths(&self) -> Vec<Path> {
        self.doc_only.values().flatten().cloned().collect()
    }

    fn param(&self, path: &Path, default: Option<&Value>) -> Param {
        let doc = self.docs.get(path).cloned().unwrap_or_default();
        let chart = self
            .charts
            .iter()
            .rev()
            .find(|(prefix, _)| path.len() > prefix.len() && path.starts_with(prefix))
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        Param {
            path: format_path(path),
            default: default.cloned(),
            description: doc.description,
            source: doc.source,
            declared_type: doc.declared_type,
            documented_default: doc.documented_default,
            section: doc.section,
            chart,
        }
    }

    fn emit_map(&self, m: &Map, path: &mut Path, out: &mut Vec<Param>) {
        for child in self.children(m, path) {
            match child {
                Child::Key(k) => {
                    path.push(Seg::Key(k.clone()));
                    if let Some(v) = m.get(&k) {
                        self.emit_value(v, path, out);
                    }
                    path.pop();
                }
                Child::DocOnly(p) => out.push(self.param(&p, None)),
            }
        }
    }

    fn emit_value(&self, v: &Value, path: &mut Path, out: &mut Vec<Param>) {
        match v {
            Value::Map(m) => {
                if m.is_empty() || self.documented(path) {
                    out.push(self.param(path, Some(v)));
                }
                self.emit_map(m, path, out);
            }
            Value::List(_) => {
                out.push(self.param(path, Some(v)));
                for p in self.list_docs.get(path.as_slice()).into_iter().flatten() {
                    let item = lookup(v, &p[path.len()..]);
                    out.push(self.param(p, item));
                }
            }
            _ => out.push(self.param(path, Some(v))),
        }
    }

    /// Whether a map written from `full` keeps at least one live, non-null entry.
    fn has_live_child(&self, full: &Map, live: Option<&Map>) -> bool {
        let Some(live) = live else { return false };
        full.iter().any(|(k, v)| !v.is_null() && live.contains_key(k))
    }
}

enum Child {
    Key(String),
    DocOnly(Path),
}

// ---------------------------------------------------------------------------------------------
// The values file writer
// ---------------------------------------------------------------------------------------------

struct Writer<'a> {
    model: &'a Model,
    out: String,
    section: Option<String>,
    /// Inside a commented-out entry: the column of its `#`.
    commented_at: Option<usize>,
}

impl<'a> Writer<'a> {
    fn new(model: &'a Model) -> Writer<'a> {
        Writer { model, out: String::new(), section: None, commented_at: None }
    }

    fn header(&mut self, c: &ChartParams) {
        self.out.push_str(&format!(
            "# Parameters of chart {} {}, written by `chartkit params gen`.\n\
             # Every value is the chart's default, so `-f` with this file renders the chart unchanged.\n\
             # Commented-out entries are null by default or belong to a subchart that is disabled\n\
             # by default.\n\n",
            c.name, c.version
        ));
    }

    /// One line of YAML at `indent`, behind a `#` inside a commented-out entry.
    fn line(&mut self, indent: usize, text: &str) {
        match self.commented_at {
            Some(col) => {
                let inner = indent.saturating_sub(col);
                let sep = if text.is_empty() { "" } else { " " };
                self.out.push_str(&format!(
                    "{}#{sep}{}{text}\n",
                    " ".repeat(col),
                    " ".repeat(inner)
                ));
            }
            None if text.is_empty() => self.out.push('\n'),
            None => self.out.push_str(&format!("{}{text}\n", " ".repeat(indent))),
        }
    }

    /// Ends the paragraph: one empty line, never two, none inside a commented-out entry.
    fn blank(&mut self) {
        if self.commented_at.is_none() && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn comment(&mut self, indent: usize, text: &str) {
        for l in text.split('\n') {
            self.line(indent, &if l.is_empty() { "#".to_owned() } else { format!("# {l}") });
        }
    }

    /// Writes the entries of `full`; `live` is `None` when they are all to be commented out.
    fn map(
        &mut self,
        full: &Map,
        live: Option<&Map>,
        path: &mut Path,
        indent: usize,
    ) -> Result<(), ParamsError> {
        let model = self.model;
        let children = model.children(full, path);
        for (n, child) in children.into_iter().enumerate() {
            match child {
                Child::DocOnly(p) => {
                    if let Some(d) = model.docs.get(&p) {
                        self.describe(d, indent, n, path.is_empty());
                    }
                    let rel = format_path(&p[path.len()..]);
                    self.comment(indent, &format!("{rel}:"));
                    self.blank();
                }
                Child::Key(k) => {
                    let Some(v) = full.get(&k) else { continue };
                    path.push(Seg::Key(k.clone()));
                    let lv = live.and_then(|l| l.get(&k));
                    let res = self.entry(&k, v, lv, path, indent, n);
                    path.pop();
                    res?;
                }
            }
        }
        Ok(())
    }

    /// The description comment (and section header) above an entry.
    fn describe(&mut self, doc: &Doc, indent: usize, n: usize, top: bool) {
        if let Some(s) = &doc.section
            && self.section.as_ref() != Some(s)
        {
            self.section = Some(s.clone());
            if n > 0 || !top {
                self.blank();
            }
            self.comment(indent, &format!("== {s} =="));
        } else if top && n > 0 {
            self.blank();
        }
        if !doc.description.is_empty() {
            let mut lines = doc.description.split('\n');
            let first = lines.next().unwrap_or_default();
            self.comment(indent, &format!("-- {first}"));
            for l in lines {
                self.comment(indent, l);
            }
        }
    }

    fn entry(
        &mut self,
        key: &str,
        v: &Value,
        live: Option<&Value>,
        path: &mut Path,
        indent: usize,
        n: usize,
    ) -> Result<(), ParamsError> {
        let model = self.model;
        let mut doc = model.docs.get(path.as_slice()).cloned().unwrap_or_default();
        if doc.section.is_none() {
            doc.section = model.first_section(v, path);
        }
        if let Some((_, chart)) = model.charts.iter().find(|(p, _)| p == path) {
            let state = if model.disabled.contains(path) { ", disabled by default" } else { "" };
            let note = format!("Values of subchart {chart}{state}.");
            doc.description = if doc.description.is_empty() {
                note
            } else {
                format!("{}\n{note}", doc.description)
            };
        }
        self.describe(&doc, indent, n, path.len() == 1);
        for p in model.list_docs.get(path.as_slice()).into_iter().flatten() {
            if let Some(d) = model.docs.get(p)
                && !d.description.is_empty()
            {
                let rel = format_path(&p[path.len()..]);
                self.comment(indent, &format!("{rel}: {}", d.description.replace('\n', " ")));
            }
        }
        let starts_comment = (live.is_none() || v.is_null()) && self.commented_at.is_none();
        if starts_comment {
            self.commented_at = Some(indent);
        }
        let res = self.value(key, v, live, path, indent);
        if starts_comment {
            self.commented_at = None;
            self.blank();
        }
        res
    }

    fn value(
        &mut self,
        key: &str,
        v: &Value,
        live: Option<&Value>,
        path: &mut Path,
        indent: usize,
    ) -> Result<(), ParamsError> {
        if let Value::Map(m) = v
            && !m.is_empty()
        {
            let live_map = live.and_then(Value::as_map);
            let yk = yaml_key(key);
            if self.commented_at.is_some() || self.model.has_live_child(m, live_map) {
                self.line(indent, &format!("{yk}:"));
                self.map(m, live_map, path, indent + 2)?;
            } else {
                // Nothing below is set: an empty map keeps the key (a bare `key:` is null).
                self.line(indent, &format!("{yk}: {{}}"));
                self.map(m, None, path, indent + 2)?;
                self.blank();
            }
            return Ok(());
        }
        // The value as go-yaml writes it under a key (block scalars, folding), then the real key.
        let mut one = Map::new();
        one.insert("k".to_owned(), v.clone());
        let text = yaml::marshal(&Value::Map(one))
            .map_err(|source| ParamsError::Yaml { path: format_path(path), source })?;
        let text = text.strip_prefix("k:").unwrap_or(&text);
        for (i, l) in text.lines().enumerate() {
            if i == 0 {
                self.line(indent, &format!("{}:{l}", yaml_key(key)));
            } else {
                self.line(indent, l);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::BufferedFile;

    fn chart(files: &[(&str, &str)]) -> Chart {
        let files = files
            .iter()
            .map(|(n, d)| BufferedFile { name: (*n).into(), data: d.as_bytes().to_vec() })
            .collect();
        crate::chart::from_files(files, &Default::default()).expect("chart loads")
    }

    const CHART_YAML: &str = "apiVersion: v2\nname: web\nversion: 1.0.0\n";

    fn params(values: &str) -> Vec<Param> {
        chart_params(&chart(&[("Chart.yaml", CHART_YAML), ("values.yaml", values)]))
            .expect("params")
            .params
    }

    fn find<'a>(ps: &'a [Param], path: &str) -> &'a Param {
        ps.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no {path} in {ps:#?}"))
    }

    proptest::proptest! {
        /// The scanner and the whole pipeline take any text without panicking, and the values
        /// file they write reads back.
        #[test]
        fn any_values_text_is_handled(text in "([ ]{0,4}(- |#|## @param |# -- )?[a-c\"'\\[\\]{}|>:.&*!-]{0,6}( [a-c0-9:#-]{0,4})?\n){0,12}") {
            let _ = scan(&text);
            let files = vec![
                BufferedFile { name: "Chart.yaml".into(), data: CHART_YAML.as_bytes().to_vec() },
                BufferedFile { name: "values.yaml".into(), data: text.as_bytes().to_vec() },
            ];
            if let Ok(c) = crate::chart::from_files(files, &Default::default()) {
                let cp = chart_params(&c).expect("params");
                let file = cp.values_file().expect("values file");
                proptest::prop_assert!(yaml::parse_values(&file).is_ok(), "{}", file);
            }
        }
    }

    fn value_tree() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-1000i32..1000).prop_map(|n| Value::Float(f64::from(n) / 4.0)),
            "(yes|on|1e3|null|~|[a-z #:-]{0,8}|a\nb|)".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::List),
                proptest::collection::btree_map(
                    "(on|y|n|a\\.b|[a-d]{1,3}|1|a b|#x|-)",
                    inner,
                    0..4
                )
                .prop_map(Value::Map),
            ]
        })
    }

    /// The defaults without the map entries that are `null` (outside lists).
    fn without_nulls(v: &Value) -> Value {
        match v {
            Value::Map(m) => Value::Map(
                m.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), without_nulls(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    proptest::proptest! {
        /// The values file holds every non-null default exactly, whatever the keys and scalars.
        #[test]
        fn values_file_round_trips(v in value_tree()) {
            let mut top = Map::new();
            top.insert("root".into(), v);
            let text = yaml::to_yaml(&Value::Map(top)).expect("yaml");
            let c = chart(&[("Chart.yaml", CHART_YAML), ("values.yaml", &text)]);
            let file = chart_params(&c).expect("params").values_file().expect("file");
            let back = yaml::parse_values(&file).expect("reads back");
            proptest::prop_assert_eq!(back, without_nulls(&Value::Map(c.values.clone())), "{}", file);
        }
    }

    #[test]
    fn paths_escape_set_syntax() {
        let p = vec![Seg::Key("a.b".into()), Seg::Key("c".into()), Seg::Index(2)];
        assert_eq!(format_path(&p), "a\\.b.c[2]");
        assert_eq!(parse_path("a\\.b.c[2]"), Some(p.clone()));
        assert_eq!(parse_path("\"a.b\".c[2]"), Some(p));
        assert_eq!(
            parse_path("m[0].path.type"),
            Some(vec![
                Seg::Key("m".into()),
                Seg::Index(0),
                Seg::Key("path".into()),
                Seg::Key("type".into())
            ])
        );
        assert_eq!(parse_path("a..b"), None);
        assert_eq!(parse_path("a[x]"), None);
    }

    #[test]
    fn split_key_forms() {
        assert_eq!(split_key("a: 1"), Some(("a".into(), " 1")));
        assert_eq!(split_key("a:"), Some(("a".into(), "")));
        assert_eq!(split_key("\"a.b\": x"), Some(("a.b".into(), " x")));
        assert_eq!(split_key("'it''s': x"), Some(("it's".into(), " x")));
        assert_eq!(split_key("http://x"), None);
        assert_eq!(split_key("a #b: c"), None);
        assert_eq!(split_key("{a: 1}"), None);
    }

    #[test]
    fn scanner_follows_indentation_lists_and_block_scalars() {
        let text = "a:\n  b: 1\n      # deeper comment\n  # -- about c\n  c:\n  - x\n  - name: y\n    v: |\n      # not a comment\n      k: v\n    w: 2\nd:\n- 1\n";
        let s = scan(text);
        let paths: Vec<String> = s.nodes.iter().map(|n| format_path(&n.path)).collect();
        assert_eq!(
            paths,
            [
                "a",
                "a.b",
                "a.c",
                "a.c[0]",
                "a.c[1]",
                "a.c[1].name",
                "a.c[1].v",
                "a.c[1].w",
                "d",
                "d[0]"
            ]
        );
        assert_eq!(s.nodes[2].comments, ["# deeper comment", "# -- about c"]);
    }

    #[test]
    fn bitnami_annotations() {
        let ps = params(
            "## @section Images\n## @param image.registry [default: REGISTRY] Image registry\n## @skip image.tag Image tag\n## @param image.pullSecrets [array,nullable] Secrets\n## @extra image.extra Not in values\nimage:\n  registry: docker.io\n  tag: 1.0.0\n  pullSecrets: []\n",
        );
        let r = find(&ps, "image.registry");
        assert_eq!(r.description, "Image registry");
        assert_eq!(r.source, Some(DocSource::Param));
        assert_eq!(r.documented_default.as_deref(), Some("REGISTRY"));
        assert_eq!(r.section.as_deref(), Some("Images"));
        assert_eq!(r.default, Some(Value::from("docker.io")));
        let t = find(&ps, "image.tag");
        assert_eq!((t.source, t.description.as_str()), (Some(DocSource::Skip), "Image tag"));
        assert_eq!(t.value_type(), Some(ParamType::String));
        let s = find(&ps, "image.pullSecrets");
        assert_eq!(s.declared_type.as_deref(), Some("list,nullable"));
        assert_eq!(s.value_type(), Some(ParamType::List));
        let e = find(&ps, "image.extra");
        assert_eq!((e.source, e.default.as_ref()), (Some(DocSource::Extra), None));
        assert_eq!(ps.len(), 4);
    }

    #[test]
    fn helm_docs_comments() {
        let ps = params(
            "# -- (string) Override the name\n# continued\nnameOverride:\n\n# podLabels -- Old style\npodLabels: {}\n# -- Security context\n# @default -- See values\nsecurityContext:\n  runAsUser: 1000\n# @raw\nlist:\n  # -- first item\n  - a\n  - b\n",
        );
        let n = find(&ps, "nameOverride");
        assert_eq!(n.description, "Override the name continued");
        assert_eq!(n.declared_type.as_deref(), Some("string"));
        assert_eq!(n.value_type(), Some(ParamType::Null));
        assert_eq!(find(&ps, "podLabels").description, "Old style");
        let s = find(&ps, "securityContext");
        assert_eq!(s.documented_default.as_deref(), Some("See values"));
        assert_eq!(s.value_type(), Some(ParamType::Map));
        assert_eq!(find(&ps, "securityContext.runAsUser").source, None);
        assert_eq!(find(&ps, "list[0]").description, "first item");
        assert_eq!(find(&ps, "list").source, None);
        assert!(!ps.iter().any(|p| p.path == "list[1]"));
    }

    #[test]
    fn keys_with_dots_resolve() {
        let ps = params(
            "## @param podAnnotations.prometheus.io/scrape Scrape\npodAnnotations:\n  prometheus.io/scrape: \"true\"\n",
        );
        assert_eq!(find(&ps, "podAnnotations.prometheus\\.io/scrape").description, "Scrape");
    }

    #[test]
    fn schema_fills_descriptions_and_types() {
        let c = chart(&[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", "# -- From comment\na: 1\nb: x\n"),
            (
                "values.schema.json",
                r##"{"properties":{"a":{"description":"From schema","type":"integer"},
                    "b":{"$ref":"#/$defs/b"},"c":{"description":"Only in schema","type":["string","null"]}},
                    "$defs":{"b":{"description":"Referenced","type":"string"}}}"##,
            ),
        ]);
        let ps = chart_params(&c).expect("params").params;
        let a = find(&ps, "a");
        assert_eq!(a.description, "From comment");
        assert_eq!(a.declared_type.as_deref(), Some("integer"));
        assert_eq!(find(&ps, "b").description, "Referenced");
        let only = find(&ps, "c");
        assert_eq!((only.default.as_ref(), only.source), (None, Some(DocSource::Schema)));
        assert_eq!(only.declared_type.as_deref(), Some("string,null"));
    }

    #[test]
    fn bad_schema_is_an_error() {
        let c = chart(&[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", "a: 1\n"),
            ("values.schema.json", "{"),
        ]);
        let err = chart_params(&c).unwrap_err();
        assert!(err.to_string().starts_with("cannot read values.schema.json of chart web: "));
    }

    #[test]
    fn subcharts_under_alias_with_parent_winning() {
        let c = chart(&[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: db\n  version: 1.x\n  alias: primary\n  condition: primary.enabled\n- name: db\n  version: 1.x\n  alias: replica\n  condition: replica.enabled\n",
            ),
            (
                "values.yaml",
                "primary:\n  # -- Parent says\n  port: 1\nreplica:\n  enabled: false\n",
            ),
            ("charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.2.0\n"),
            (
                "charts/db/values.yaml",
                "## @param port Port\nport: 5432\n## @param user User\nuser: u\n",
            ),
        ]);
        let cp = chart_params(&c).expect("params");
        let ps = &cp.params;
        let port = find(ps, "primary.port");
        assert_eq!(
            (port.description.as_str(), port.default.clone()),
            ("Parent says", Some(Value::Float(1.0)))
        );
        assert_eq!(port.chart, "top/charts/primary");
        assert_eq!(find(ps, "replica.user").description, "User");
        assert_eq!(find(ps, "replica.port").default, Some(Value::Float(5432.0)));
        let file = cp.values_file().expect("file");
        // replica is disabled by default: only the parent's own value stays live.
        assert!(file.contains("replica:\n  enabled: false\n"), "{file}");
        assert!(file.contains("  # -- Port\n  # port: 5432\n"), "{file}");
        assert!(file.contains("primary:\n  # -- Parent says\n  port: 1\n"), "{file}");
    }

    #[test]
    fn values_file_reads_back_as_the_defaults() {
        let values = "\"<<\": merge\na:\n  b: null\n  c: {}\nlist:\n- x: 1\n  z: [1, 2]\ns: |\n  two\n  lines\nnone: null\nq: \"yes\"\n\"on\": 1\nlong: \"a very long string that go-yaml folds past column eighty when it writes it out again\"\n";
        let c = chart(&[("Chart.yaml", CHART_YAML), ("values.yaml", values)]);
        let file = chart_params(&c).expect("params").values_file().expect("file");
        assert!(file.contains("a:\n  # b: null\n\n  c: {}\n"), "{file}");
        assert!(file.contains("# none: null\n"), "{file}");
        let back = yaml::parse_values(&file).expect("reads back");
        let mut want = c.values.clone();
        want.remove("none");
        if let Some(Value::Map(a)) = want.get_mut("a") {
            a.remove("b");
        }
        assert_eq!(back.as_map(), Some(&want));
    }

    #[test]
    fn several_charts_under_their_names() {
        let a = chart_params(&chart(&[("Chart.yaml", CHART_YAML), ("values.yaml", "x: 1\n")]))
            .expect("a");
        let b = chart_params(&chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: api\nversion: 2.0.0\n"),
            ("values.yaml", "n: null\n"),
        ]))
        .expect("b");
        let file = values_file(&[a.clone(), b]).expect("file");
        let back = yaml::parse_values(&file).expect("reads back");
        assert_eq!(back.get_path("web.x"), Some(&Value::Float(1.0)));
        assert_eq!(back.get_path("api"), Some(&Value::empty_map()));
        let err = values_file(&[a.clone(), a]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "two charts are named \"web\": their values would share one key"
        );
    }
}
