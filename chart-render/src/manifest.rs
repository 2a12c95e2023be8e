//! From rendered templates to what `helm template` prints: documents split on `---`, hooks
//! separated, resources sorted in Helm 4.1.4's install order, `# Source:` headers.

use std::collections::BTreeMap;
use std::fmt;

use chart_core::Value;

pub use chart_core::manifest::{INSTALL_ORDER, split_manifests};
use chart_core::manifest::{hook_events, hook_weight};

/// One document of the rendered output.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Manifest {
    /// The template it came from (`mychart/templates/deployment.yaml`).
    pub source: String,
    /// The document, trimmed.
    pub content: String,
    /// Its `kind`.
    pub kind: String,
    /// Its `metadata.name`.
    pub name: String,
    /// The hook events (`helm.sh/hook`), empty for ordinary resources.
    pub hook_events: Vec<String>,
    /// `helm.sh/hook-weight` (0 when absent or not a number).
    pub hook_weight: i64,
}

impl Manifest {
    /// Whether this is a test hook (`helm.sh/hook: test`).
    pub fn is_test(&self) -> bool {
        self.hook_events.iter().any(|e| e == "test" || e == "test-success")
    }
}

/// A rendered document Helm cannot read as a Kubernetes object head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The template the document came from.
    pub source: String,
    /// The decoding error as Helm words it.
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YAML parse error on {}: {}", self.source, self.message)
    }
}

impl std::error::Error for ManifestError {}

/// Resources and hooks of a release, sorted as Helm sorts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sorted {
    /// Ordinary resources, in install order.
    pub manifests: Vec<Manifest>,
    /// Hooks, in install order of their kinds.
    pub hooks: Vec<Manifest>,
    /// Hooks skipped because one of their events is unknown.
    pub unknown_hooks: Vec<Manifest>,
}

/// Helm's `lessByKind` with the install order.
fn kind_less(a: &str, b: &str) -> std::cmp::Ordering {
    chart_core::manifest::kind_cmp(INSTALL_ORDER, a, b)
}

/// Helm's `SortManifests`: reads each document's head, separates hooks, sorts both by kind
/// (stable). `templates` maps template names to their rendered text; partials and NOTES.txt
/// must already be out.
pub fn sort_manifests(templates: &BTreeMap<String, String>) -> Result<Sorted, ManifestError> {
    sort_manifests_with(templates, &Heads::default())
}

/// [`sort_manifests`], taking the heads of documents already read from `heads` (as
/// [`render_chart`](crate::render::render_chart) reads them while it renders) and reading the
/// others.
pub fn sort_manifests_with(
    templates: &BTreeMap<String, String>,
    heads: &Heads,
) -> Result<Sorted, ManifestError> {
    sort_outputs(templates.iter(), heads)
}

fn sort_outputs<'t>(
    templates: impl Iterator<Item = (&'t String, &'t String)>,
    heads: &Heads,
) -> Result<Sorted, ManifestError> {
    let mut out = Sorted::default();
    let mut docs: Vec<(&String, &str)> = Vec::new();
    for (path, text) in templates {
        if !has_documents(path, text) {
            continue;
        }
        docs.extend(split_manifests(text).into_iter().map(|d| (path, d)));
    }
    // Reading the heads is most of the work here, and each document is read on its own.
    let known = |d: &str| heads.by_doc.get(d);
    let heads = crate::par::map_weighted(
        &docs,
        |(_, d)| if known(d).is_some() { 0 } else { d.len() },
        32 * 1024,
        8 << 20,
        |(_, d)| match known(d) {
            Some(h) => h.clone(),
            None => read_head(d),
        },
    );
    for (&(path, doc), head) in docs.iter().zip(heads) {
        {
            let head = head.map_err(|message| ManifestError { source: path.clone(), message })?;
            let mut m = Manifest {
                source: path.clone(),
                content: doc.to_string(),
                kind: head.kind,
                name: head.name,
                hook_events: Vec::new(),
                hook_weight: 0,
            };
            let Some(hooks) = head.annotations.get("helm.sh/hook") else {
                out.manifests.push(m);
                continue;
            };
            m.hook_weight =
                hook_weight(head.annotations.get("helm.sh/hook-weight").map(String::as_str));
            let (events, all_known) = hook_events(hooks);
            m.hook_events = events;
            if all_known { out.hooks.push(m) } else { out.unknown_hooks.push(m) }
        }
    }
    out.manifests.sort_by(|a, b| kind_less(&a.kind, &b.kind));
    out.hooks.sort_by(|a, b| kind_less(&a.kind, &b.kind));
    Ok(out)
}

/// Whether `sort_manifests` reads documents from this template's output (partials and blank
/// outputs have none).
fn has_documents(path: &str, text: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    !base.starts_with('_') && !text.trim().is_empty()
}

/// Heads of rendered documents read ahead of [`sort_manifests_with`], keyed by the document's
/// text (so documents a post-renderer changed are simply read again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heads {
    by_doc: std::collections::HashMap<String, Result<Head, String>>,
}

impl Heads {
    /// How many distinct documents were read.
    pub fn len(&self) -> usize {
        self.by_doc.len()
    }

    /// Whether none were.
    pub fn is_empty(&self) -> bool {
        self.by_doc.is_empty()
    }

    /// Reads the heads of the documents of `(template name, output)` pairs as they arrive,
    /// until the sender is dropped or `stop` is set (checked between documents).
    pub(crate) fn read_ahead(
        rx: std::sync::mpsc::Receiver<(String, String)>,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Heads {
        use std::sync::atomic::Ordering;
        let mut heads = Heads::default();
        for (path, text) in rx {
            if path.ends_with("/NOTES.txt") || !has_documents(&path, &text) {
                continue;
            }
            for doc in split_manifests(&text) {
                if stop.load(Ordering::Relaxed) {
                    return heads;
                }
                if !heads.by_doc.contains_key(doc) {
                    heads.by_doc.insert(doc.to_string(), read_head(doc));
                }
            }
        }
        heads
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    kind: String,
    name: String,
    annotations: BTreeMap<String, String>,
}

/// Decodes a document into Helm's `SimpleHead` (`apiVersion`, `kind`, `metadata.name`,
/// `metadata.annotations`) with `sigs.k8s.io/yaml` and `encoding/json`'s errors.
fn read_head(doc: &str) -> Result<Head, String> {
    let v = chart_core::yaml::yaml_to_json(doc).map_err(|e| e.message)?;
    let decode = |what: &str, field: &str, ty: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go struct field {field} of type {ty}"
        )
    };
    let mut head = Head { kind: String::new(), name: String::new(), annotations: BTreeMap::new() };
    let m = match v {
        Value::Map(m) => m,
        Value::Null => return Ok(head),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                other.json_kind()
            ));
        }
    };
    // encoding/json matches field names case-insensitively.
    let get = |m: &chart_core::Map, key: &str| -> Option<Value> {
        m.get(key)
            .cloned()
            .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone()))
    };
    let string = |v: Option<Value>, field: &str| -> Result<String, String> {
        match v {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(decode(other.json_kind(), field, "string")),
        }
    };
    string(get(&m, "apiVersion"), "SimpleHead.apiVersion")?;
    head.kind = string(get(&m, "kind"), "SimpleHead.kind")?;
    match get(&m, "metadata") {
        None | Some(Value::Null) => {}
        Some(Value::Map(md)) => {
            head.name = string(get(&md, "name"), "SimpleHead.metadata.name")?;
            match get(&md, "annotations") {
                None | Some(Value::Null) => {}
                Some(Value::Map(a)) => {
                    for (k, v) in a {
                        let s = string(Some(v), "SimpleHead.metadata.annotations")?;
                        head.annotations.insert(k, s);
                    }
                }
                Some(other) => {
                    return Err(decode(
                        other.json_kind(),
                        "SimpleHead.metadata.annotations",
                        "map[string]string",
                    ));
                }
            }
        }
        Some(other) => {
            return Err(decode(
                other.json_kind(),
                "SimpleHead.metadata",
                "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
            ));
        }
    }
    Ok(head)
}

/// One `---\n# Source: NAME\nCONTENT\n` block.
pub fn source_block(source: &str, content: &str) -> String {
    format!("---\n# Source: {source}\n{content}\n")
}

/// Resources rendered more than once (same kind and name), with the templates they came from.
/// `helm template` prints them all; installing such a release fails, so callers (linters,
/// operators) can report them before that. Hooks are not counted.
pub fn duplicate_resources(sorted: &Sorted) -> Vec<(String, String, Vec<String>)> {
    let mut seen: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for m in &sorted.manifests {
        if m.name.is_empty() {
            continue;
        }
        seen.entry((m.kind.as_str(), m.name.as_str())).or_default().push(m.source.clone());
    }
    seen.into_iter()
        .filter(|(_, sources)| sources.len() > 1)
        .map(|((kind, name), sources)| (kind.to_string(), name.to_string(), sources))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::split_manifests;

    #[test]
    fn duplicates_are_found_by_kind_and_name() {
        let mut t = std::collections::BTreeMap::new();
        t.insert(
            "c/templates/a.yaml".to_string(),
            "kind: ConfigMap\nmetadata:\n  name: x\n---\nkind: ConfigMap\nmetadata:\n  name: x\n---\nkind: Secret\nmetadata:\n  name: x\n".to_string(),
        );
        let sorted = super::sort_manifests(&t).expect("sorts");
        let d = super::duplicate_resources(&sorted);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].0.as_str(), d[0].1.as_str(), d[0].2.len()), ("ConfigMap", "x", 2));
    }

    #[test]
    fn split_follows_helm_separator_rules() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2"]);
        // The whitespace after a separator eats the newline a following `---` would need: helm
        // keeps that `---` as a document of its own.
        assert_eq!(split_manifests("---\na: 1\n  \n---   \n\n---\n"), vec!["a: 1", "---"]);
        assert_eq!(split_manifests("a: '---'\nb: x---y"), vec!["a: '---'\nb: x---y"]);
        assert_eq!(split_manifests("a: 1\n---b: 2"), vec!["a: 1", "b: 2"]);
    }
}

/// Options of [`template_output`], after `helm template`'s flags.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct OutputOptions {
    /// `--include-crds`: print the charts' `crds/` files first.
    pub include_crds: bool,
    /// `--skip-tests`: leave out test hooks.
    pub skip_tests: bool,
    /// `--no-hooks`: leave out all hooks.
    pub no_hooks: bool,
    /// `--show-only`: only these templates (paths inside the top chart, glob patterns allowed).
    pub show_only: Vec<String>,
}

/// Why [`template_output`] failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputError {
    /// A rendered document is not a Kubernetes object.
    Manifest(ManifestError),
    /// A `--show-only` pattern matched nothing.
    NotFound(String),
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Manifest(e) => e.fmt(f),
            OutputError::NotFound(p) => write!(f, "could not find template {p} in chart"),
        }
    }
}

impl std::error::Error for OutputError {}

/// The CRD files of a chart tree with Helm's names (`top/crds/x.yaml`,
/// `top/charts/sub/crds/y.yaml`), parents first.
pub fn crd_objects(chart: &chart_core::chart::Chart) -> Vec<(String, String)> {
    fn walk(c: &chart_core::chart::Chart, path: &str, out: &mut Vec<(String, String)>) {
        for f in &c.files {
            if f.name.starts_with("crds/")
                && [".yaml", ".yml", ".json"].iter().any(|e| f.name.ends_with(e))
            {
                out.push((
                    format!("{path}/{}", f.name),
                    String::from_utf8_lossy(&f.data).into_owned(),
                ));
            }
        }
        for d in &c.dependencies {
            walk(d, &format!("{path}/charts/{}", d.name()), out);
        }
    }
    let mut out = Vec::new();
    walk(chart, chart.name(), &mut out);
    out
}

/// What `helm template` prints for rendered templates (NOTES.txt files are left out).
pub fn template_output(
    templates: &BTreeMap<String, String>,
    chart: &chart_core::chart::Chart,
    opts: &OutputOptions,
) -> Result<String, OutputError> {
    template_output_with(templates, chart, opts, &Heads::default())
}

/// [`template_output`] with heads already read (see [`Rendered::heads`](crate::render::Rendered)).
pub fn template_output_with(
    templates: &BTreeMap<String, String>,
    chart: &chart_core::chart::Chart,
    opts: &OutputOptions,
    heads: &Heads,
) -> Result<String, OutputError> {
    let files = templates.iter().filter(|(k, _)| !k.ends_with("/NOTES.txt"));
    let sorted = sort_outputs(files, heads).map_err(OutputError::Manifest)?;
    let mut manifest = String::new();
    if opts.include_crds {
        for (name, data) in crd_objects(chart) {
            manifest.push_str(&source_block(&name, &data));
        }
    }
    for m in &sorted.manifests {
        manifest.push_str(&source_block(&m.source, &m.content));
    }
    let mut all = manifest.trim().to_string();
    all.push('\n');
    if !opts.no_hooks {
        for h in &sorted.hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            all.push_str(&source_block(&h.source, &h.content));
        }
    }
    if opts.show_only.is_empty() {
        return Ok(all);
    }
    // Helm splits its own output again and keeps the blocks whose source matches.
    let blocks = split_manifests(&all);
    let mut out = String::new();
    for pattern in &opts.show_only {
        let pattern = pattern.replace('\\', "/");
        let mut found = false;
        for b in &blocks {
            let Some(rest) = b.strip_prefix("# Source: ") else { continue };
            let line = rest.lines().next().unwrap_or("");
            let Some((_, path)) = line.split_once('/') else { continue };
            if path_match(&pattern, path) {
                out.push_str("---\n");
                out.push_str(b);
                out.push('\n');
                found = true;
            }
        }
        if !found {
            return Err(OutputError::NotFound(pattern));
        }
    }
    Ok(out)
}

/// Go's `filepath.Match` (`*` and `?` do not cross `/`; `[...]` classes; `\` escapes).
pub fn path_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => {
                (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != '/').any(|i| go(rest, &s[i..]))
            }
            Some(('?', rest)) => s.first().is_some_and(|&c| c != '/') && go(rest, &s[1..]),
            Some(('[', rest)) => {
                let Some(&c) = s.first() else { return false };
                let Some(end) = rest.iter().position(|&x| x == ']') else { return false };
                let (class, after) = (&rest[..end], &rest[end + 1..]);
                let (neg, class) = match class.first() {
                    Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != neg && c != '/' && go(after, &s[1..])
            }
            Some(('\\', rest)) => match rest.split_first() {
                Some((&x, r)) => s.first() == Some(&x) && go(r, &s[1..]),
                None => false,
            },
            Some((&x, rest)) => s.first() == Some(&x) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    go(&p, &s)
}

/// The rendered `NOTES.txt` as `helm install` prints it: the top chart's, or with `sub_notes`
/// (`--render-subchart-notes`) every chart's, parents first, separated by a newline. `None` when
/// the chart has no notes. (`helm template` never prints notes.)
pub fn notes(
    templates: &BTreeMap<String, String>,
    top_chart: &str,
    sub_notes: bool,
) -> Option<String> {
    let top = format!("{top_chart}/templates/NOTES.txt");
    let mut picked: Vec<(&String, &String)> = templates
        .iter()
        .filter(|(k, _)| k.ends_with("/NOTES.txt") && (sub_notes || **k == top))
        .collect();
    if picked.is_empty() {
        return None;
    }
    picked.sort_by_key(|(k, _)| (k.matches('/').count(), (*k).clone()));
    Some(picked.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("\n"))
}
