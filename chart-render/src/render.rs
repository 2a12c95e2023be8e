//! Rendering a whole chart tree as `helm template` does: every template of the chart and its
//! subcharts parsed into one set (so `define`s are shared), then each non-partial template
//! executed with its chart's objects.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::rc::Rc;

use chart_core::chart::Chart;
use chart_core::{ComputedValues, Map};

use crate::funcs::registry;
use crate::hbs::{self, HbsError};
use crate::objects::{Capabilities, Files, KubeVersion, chart_map};
use crate::template::exec::Host;
use crate::template::{ExecError, ExecOptions, Limits, OptsHost, ParseError, TemplateSet};
use crate::value::{MapKind, Val};

/// The release a chart is rendered for, and the cluster it pretends to target.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReleaseInfo {
    /// `.Release.Name`.
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.Revision`.
    pub revision: i64,
    /// `.Release.IsUpgrade` (`--is-upgrade`).
    pub is_upgrade: bool,
    /// `.Release.IsInstall` unless `is_upgrade` is set (Helm's lint renders with neither).
    pub is_install: bool,
    /// `.Capabilities.KubeVersion` (`--kube-version`).
    pub kube_version: KubeVersion,
    /// Extra `.Capabilities.APIVersions` (`--api-versions`).
    pub api_versions: Vec<String>,
}

impl ReleaseInfo {
    /// A first install of release `name` into `namespace`, against Helm's default cluster.
    pub fn new(name: &str, namespace: &str) -> ReleaseInfo {
        ReleaseInfo {
            name: name.into(),
            namespace: namespace.into(),
            revision: 1,
            is_upgrade: false,
            is_install: true,
            kube_version: KubeVersion::default(),
            api_versions: Vec::new(),
        }
    }
}

/// A failure to render a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RenderError {
    /// A template does not parse.
    Parse(ParseError),
    /// A template failed while executing.
    Exec(ExecError),
    /// A `.hbs` template does not parse or failed while rendering.
    Handlebars(HbsError),
    /// Rendering could not run (the rendering thread could not start).
    Internal(String),
    /// The chart's `kubeVersion` constraint does not admit the Kubernetes version rendered for
    /// (see [`check_kube_version`]).
    IncompatibleKubeVersion {
        /// The chart's `kubeVersion`, as written in Chart.yaml.
        required: String,
        /// `.Capabilities.KubeVersion.Version`.
        kube: String,
    },
}

impl fmt::Display for RenderError {
    /// Helm's wording: `parse error at (FILE:LINE): MSG`, or the execution error as Helm 4 prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Parse(e) => {
                let msg = e.message.rsplit(": ").next().unwrap_or(&e.message);
                write!(f, "parse error at ({}:{}): {msg}", e.name, e.line)
            }
            RenderError::Exec(e) => f.write_str(&e.helm_message()),
            RenderError::Handlebars(e) if f.alternate() => write!(f, "{e:#}"),
            RenderError::Handlebars(e) => write!(f, "{e}"),
            RenderError::Internal(m) => f.write_str(m),
            RenderError::IncompatibleKubeVersion { required, kube } => write!(
                f,
                "chart requires kubeVersion: {required} which is incompatible with Kubernetes {kube}"
            ),
        }
    }
}

impl std::error::Error for RenderError {}

/// The check Helm makes before it renders a release (`helm template`, `install`, `upgrade`, but
/// not `lint`): the chart's `kubeVersion`, a Masterminds semver constraint, must admit the
/// Kubernetes version of `release`, taken without its pre-release or build
/// ([`KubeVersion::normalized`]). A constraint that does not parse admits nothing, as in Helm.
/// Only the top chart's constraint counts: Helm does not check the subcharts'. [`render_chart`]
/// leaves this to the caller, since lint renders without it.
///
/// ```
/// use chart_render::{ReleaseInfo, check_kube_version};
/// let mut chart = chart_core::chart::Chart::default();
/// chart.metadata.kube_version = "<1.20".into();
/// let err = check_kube_version(&chart, &ReleaseInfo::new("rel", "ns")).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "chart requires kubeVersion: <1.20 which is incompatible with Kubernetes v1.35.0"
/// );
/// chart.metadata.kube_version = ">=1.25.0-0".into();
/// assert!(check_kube_version(&chart, &ReleaseInfo::new("rel", "ns")).is_ok());
/// ```
pub fn check_kube_version(chart: &Chart, release: &ReleaseInfo) -> Result<(), RenderError> {
    use chart_core::semver_loose::{Constraints, Version};
    let required = &chart.metadata.kube_version;
    if required.is_empty() {
        return Ok(());
    }
    let kube = release.kube_version.normalized();
    let admitted = match (Constraints::parse(required), Version::parse(&kube)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    };
    if admitted {
        Ok(())
    } else {
        Err(RenderError::IncompatibleKubeVersion { required: required.clone(), kube })
    }
}

/// What rendering produced: each executed template's raw text, keyed by Helm's name
/// (`mychart/templates/deployment.yaml`, `mychart/charts/sub/templates/x.yaml`), with Helm's
/// removal of `<no value>` applied. Partials (`_*.tpl`) are not executed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rendered {
    /// Template name → output, in name order.
    pub templates: BTreeMap<String, String>,
    /// The heads of the output's documents, read on another thread while rendering went on;
    /// pass them to [`template_output_with`](crate::manifest::template_output_with) or
    /// [`sort_manifests_with`](crate::manifest::sort_manifests_with).
    pub heads: crate::manifest::Heads,
}

/// Renders every template of `values.chart` (the dependency-processed tree) with the computed
/// values, as `helm template` does before splitting the output into manifests.
pub fn render_chart(
    values: &ComputedValues,
    release: &ReleaseInfo,
    opts: &mut ExecOptions,
) -> Result<Rendered, RenderError> {
    // Deeply nested includes need a deep stack; rendering runs on its own thread with one.
    // Meanwhile, when there is another core, this thread reads the heads of the documents
    // rendered so far (most of what sorting the output costs) while later templates render.
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = if crate::par::threads() > 1 {
            let (tx, rx) = std::sync::mpsc::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let stop = &stop;
        let handle = std::thread::Builder::new()
            .name("chartkit-render".into())
            .stack_size(512 << 20)
            .spawn_scoped(scope, move || {
                let rendered = render_on_this_thread(values, release, opts, tx);
                // What is not read yet is read by the sorting, on all cores.
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                rendered
            });
        match handle {
            Ok(h) => {
                // The sender goes with the rendering thread (also if it panics), which ends this.
                let heads =
                    rx.map(|rx| crate::manifest::Heads::read_ahead(rx, stop)).unwrap_or_default();
                let result = h
                    .join()
                    .unwrap_or_else(|_| Err(RenderError::Internal("rendering panicked".into())));
                result.map(|mut r| {
                    r.heads = heads;
                    r
                })
            }
            Err(e) => Err(RenderError::Internal(format!("cannot start the rendering thread: {e}"))),
        }
    })
}

struct Renderable {
    text: String,
    dot: Val,
    base_path: String,
}

fn render_on_this_thread(
    values: &ComputedValues,
    release: &ReleaseInfo,
    opts: &mut ExecOptions,
    heads: Option<std::sync::mpsc::Sender<(String, String)>>,
) -> Result<Rendered, RenderError> {
    let caps = Val::Obj(Rc::new(Capabilities::new(&release.kube_version, &release.api_versions)));
    let mut rel = BTreeMap::new();
    rel.insert("Name".to_string(), Val::str(release.name.as_str()));
    rel.insert("Namespace".to_string(), Val::str(release.namespace.as_str()));
    rel.insert("IsUpgrade".to_string(), Val::Bool(release.is_upgrade));
    rel.insert("IsInstall".to_string(), Val::Bool(release.is_install && !release.is_upgrade));
    rel.insert("Revision".to_string(), Val::Int(release.revision));
    rel.insert("Service".to_string(), Val::str("Helm"));
    let rel = Val::map(rel);

    let root_values = values_val(&values.values);
    let mut templates: HashMap<String, Renderable> = HashMap::new();
    collect(&values.chart, true, values.chart.name(), root_values, &caps, &rel, &mut templates);

    let mut keys: Vec<String> = templates.keys().cloned().collect();
    sort_templates(&mut keys);

    // `.hbs` templates belong to the handlebars engine and never reach the Go parser.
    let hbs_sources: Vec<hbs::Source<'_>> = keys
        .iter()
        .filter(|k| hbs::is_hbs(k))
        .map(|k| hbs::Source { name: k, chart: chart_of(&templates[k]), text: &templates[k].text })
        .collect();
    let hbs_engine = if hbs_sources.is_empty() {
        None
    } else {
        Some(hbs::Engine::new(&hbs_sources).map_err(RenderError::Handlebars)?)
    };

    let mut set = TemplateSet::new();
    let files: Vec<(&str, &str)> = keys
        .iter()
        .filter(|k| !hbs::is_hbs(k))
        .map(|k| (k.as_str(), templates[k].text.as_str()))
        .collect();
    for trees in crate::template::batch::parse_files(&files, opts.preparsed.as_deref())
        .map_err(RenderError::Parse)?
    {
        for t in trees {
            set.add(t);
        }
    }
    let set = std::sync::Arc::new(set);
    let limits = opts.limits.clone();
    let mut host = OptsHost { opts };
    let mut out = BTreeMap::new();
    for k in &keys {
        let base = k.rsplit('/').next().unwrap_or(k);
        if base.starts_with('_') {
            continue;
        }
        let r = &templates[k];
        if let Val::Map(m) = &r.dot {
            let mut t = BTreeMap::new();
            t.insert("Name".to_string(), Val::str(k.as_str()));
            t.insert("BasePath".to_string(), Val::str(r.base_path.as_str()));
            m.map.borrow_mut().insert("Template".into(), Val::map_of(MapKind::Values, t));
        }
        if let Some(engine) = hbs_engine.as_ref().filter(|_| hbs::is_hbs(k)) {
            let text =
                engine.render(k, chart_of(r), &r.dot, &limits).map_err(RenderError::Handlebars)?;
            out.insert(k.clone(), text);
            continue;
        }
        let text =
            execute(&set, k, r.dot.clone(), &limits, &mut host).map_err(RenderError::Exec)?;
        let text = if text.contains("<no value>") { text.replace("<no value>", "") } else { text };
        if let Some(tx) = &heads {
            // A reader that has stopped only means the sorting reads these heads itself.
            let _ = tx.send((k.clone(), text.clone()));
        }
        out.insert(k.clone(), text);
    }
    Ok(Rendered { templates: out, heads: Default::default() })
}

fn execute(
    set: &std::sync::Arc<TemplateSet>,
    name: &str,
    dot: Val,
    limits: &Limits,
    host: &mut dyn Host,
) -> Result<String, ExecError> {
    match set.get(name) {
        Some(tree) => crate::template::run(set, tree, dot, limits, host),
        None => Ok(String::new()),
    }
}

/// The path of the chart a template belongs to (`mychart/charts/sub`).
fn chart_of(r: &Renderable) -> &str {
    r.base_path.strip_suffix("/templates").unwrap_or(&r.base_path)
}

/// The top `.Values`: Helm's `common.Values`.
fn values_val(m: &Map) -> Val {
    Val::map_of(MapKind::Values, m.iter().map(|(k, v)| (k.clone(), Val::from_value(v))).collect())
}

/// Walks the chart tree: builds each chart's objects and lists its templates under their full
/// names. Returns the chart's top-level data (for its parent's `.Subcharts`).
fn collect(
    chart: &Chart,
    is_root: bool,
    path: &str,
    vals: Val,
    caps: &Val,
    rel: &Val,
    out: &mut HashMap<String, Renderable>,
) -> Val {
    let mut subcharts = BTreeMap::new();
    for dep in &chart.dependencies {
        // A subchart's `.Values` is its parent's `.Values.<name>` map itself (changes made by
        // templates are shared, as in Helm).
        let sub_vals = match &vals {
            Val::Map(m) => match m.map.borrow().get(dep.name()) {
                Some(v @ Val::Map(_)) => v.clone(),
                _ => Val::map_of(MapKind::Values, BTreeMap::new()),
            },
            _ => Val::map_of(MapKind::Values, BTreeMap::new()),
        };
        let sub_path = format!("{path}/charts/{}", dep.name());
        let sub_dot = collect(dep, false, &sub_path, sub_vals, caps, rel, out);
        subcharts.insert(dep.name().to_string(), sub_dot);
    }
    let mut top = BTreeMap::new();
    top.insert("Capabilities".to_string(), caps.clone());
    top.insert("Chart".to_string(), chart_map(chart, is_root));
    top.insert("Files".to_string(), Val::Obj(Rc::new(Files::from_chart(chart))));
    top.insert("Release".to_string(), rel.clone());
    top.insert("Subcharts".to_string(), Val::map(subcharts));
    top.insert("Values".to_string(), vals);
    let dot = Val::map_of(MapKind::Values, top);
    let library = chart.is_library();
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if library && !base.starts_with('_') {
            continue;
        }
        out.insert(
            format!("{path}/{}", t.name),
            Renderable {
                text: chart_core::load::utf8_lossy(&t.data).into_owned(),
                dot: dot.clone(),
                base_path: format!("{path}/templates"),
            },
        );
    }
    dot
}

/// Helm's `sortTemplates`: deeper paths first, then reverse name order.
fn sort_templates(keys: &mut [String]) {
    keys.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

/// Whether `name` is a function templates may call (for linters and editors).
pub fn is_function(name: &str) -> bool {
    registry().get(name).is_some()
}
