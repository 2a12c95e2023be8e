//! Kubernetes objects of a release: splitting a manifest stream as Helm does, identity, hooks,
//! install and uninstall order, and normalisation for comparisons.

use std::fmt;

use chart_core::{Map, Value};

use crate::error::Error;
use chart_core::manifest;
pub use chart_core::manifest::{INSTALL_ORDER, UNINSTALL_ORDER, kind_cmp, split_manifests};

/// Built-in kinds that live outside namespaces; their objects get no default namespace.
/// Kubernetes API discovery knows this, the OpenAPI document does not.
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
];

/// The identity of an object: apiVersion, kind, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub struct ObjectRef {
    /// `apiVersion` (`apps/v1`).
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, defaulted to the release namespace for namespaced kinds; empty for
    /// cluster-scoped kinds.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

impl ObjectRef {
    /// A reference from its parts.
    pub fn new(api_version: &str, kind: &str, namespace: &str, name: &str) -> ObjectRef {
        ObjectRef {
            api_version: api_version.into(),
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// The API group, or `v1` for the core group (as the helm-diff plugin shows it).
    pub fn group(&self) -> &str {
        match self.api_version.rsplit_once('/') {
            Some((g, _)) => g,
            None => &self.api_version,
        }
    }

    /// Whether the object's kind is a cluster-scoped built-in kind.
    pub fn is_cluster_scoped(&self) -> bool {
        CLUSTER_SCOPED.contains(&self.kind.as_str())
    }
}

/// `namespace, name, Kind (group)`, the helm-diff plugin's object header.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}, {} ({})", self.namespace, self.name, self.kind, self.group())
    }
}

/// One object of a manifest stream.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Object {
    /// Who it is.
    pub id: ObjectRef,
    /// The object, with numbers as JSON numbers.
    pub value: Value,
    /// The template it came from (the `# Source:` comment Helm writes), if any.
    pub source: Option<String>,
    /// The hook events (`helm.sh/hook`), empty for ordinary resources.
    pub hook_events: Vec<String>,
    /// `helm.sh/hook-weight` (0 when absent or not a number).
    pub hook_weight: i64,
}

impl Object {
    /// A string annotation of the object.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.value.get("metadata")?.get("annotations")?.get(key)?.as_str()
    }

    /// Whether `helm.sh/resource-policy: keep` tells Helm not to delete the object.
    pub fn is_kept(&self) -> bool {
        self.annotation("helm.sh/resource-policy").is_some_and(|p| p.trim() == "keep")
    }

    /// Whether this is a hook.
    pub fn is_hook(&self) -> bool {
        !self.hook_events.is_empty()
    }
}

/// Options of [`parse_manifests`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The release namespace, given to namespaced objects without one (`default` when empty).
    pub namespace: String,
}

impl ParseOptions {
    /// Options with this release namespace.
    pub fn with_namespace(namespace: &str) -> ParseOptions {
        ParseOptions { namespace: namespace.into() }
    }
}

/// The objects of a release's manifest, hooks apart.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Manifests {
    /// Ordinary resources, in stream order.
    pub resources: Vec<Object>,
    /// Hooks (objects with a known `helm.sh/hook` event), in stream order.
    pub hooks: Vec<Object>,
}

impl Manifests {
    /// Resources in Helm's install order (stable within a kind).
    pub fn install_order(&self) -> Vec<&Object> {
        let mut v: Vec<&Object> = self.resources.iter().collect();
        v.sort_by(|a, b| kind_cmp(INSTALL_ORDER, &a.id.kind, &b.id.kind));
        v
    }

    /// Resources in Helm's uninstall order (stable within a kind).
    pub fn uninstall_order(&self) -> Vec<&Object> {
        let mut v: Vec<&Object> = self.resources.iter().collect();
        v.sort_by(|a, b| kind_cmp(UNINSTALL_ORDER, &a.id.kind, &b.id.kind));
        v
    }
}

/// Reads one object, giving it its identity (namespace defaulting as Helm's client does).
pub fn object_from_value(value: Value, namespace: &str) -> Object {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let meta = value.get("metadata");
    let mut id = ObjectRef {
        api_version: s(value.get("apiVersion")),
        kind: s(value.get("kind")),
        namespace: s(meta.and_then(|m| m.get("namespace"))),
        name: s(meta.and_then(|m| m.get("name"))),
    };
    if id.namespace.is_empty() && !id.is_cluster_scoped() {
        id.namespace = if namespace.is_empty() { "default".into() } else { namespace.into() };
    }
    let mut obj = Object { id, value, source: None, hook_events: Vec::new(), hook_weight: 0 };
    if let Some((events, true)) = obj.annotation("helm.sh/hook").map(manifest::hook_events) {
        obj.hook_events = events;
    }
    obj.hook_weight = manifest::hook_weight(obj.annotation("helm.sh/hook-weight"));
    obj
}

/// Splits a rendered manifest stream (`helm template` output, a release's manifest) into
/// objects, hooks apart. Documents that hold nothing (only comments) are skipped.
///
/// ```
/// use release_diff::{parse_manifests, ParseOptions};
/// let m = parse_manifests(
///     "# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
///     &ParseOptions::with_namespace("prod"),
/// ).unwrap();
/// assert_eq!(m.resources[0].id.to_string(), "prod, a, ConfigMap (v1)");
/// assert_eq!(m.resources[0].source.as_deref(), Some("c/templates/cm.yaml"));
/// ```
pub fn parse_manifests(text: &str, options: &ParseOptions) -> Result<Manifests, Error> {
    let mut out = Manifests::default();
    for (index, doc) in split_manifests(text).into_iter().enumerate() {
        let value =
            chart_core::yaml::yaml_to_json(doc).map_err(|source| Error::Yaml { index, source })?;
        match value {
            Value::Null => continue,
            Value::Map(_) => {}
            other => return Err(Error::NotAnObject { index, found: other.json_kind() }),
        }
        let mut obj = object_from_value(value, &options.namespace);
        obj.source =
            doc.lines().find_map(|l| l.strip_prefix("# Source: ").map(|s| s.trim().to_string()));
        if obj.is_hook() {
            out.hooks.push(obj);
        } else {
            out.resources.push(obj);
        }
    }
    Ok(out)
}

/// Options of [`normalize`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct NormalizeOptions {
    /// Drop keys whose value is null, an empty map or an empty list (default true).
    pub drop_empty: bool,
    /// Turn strings that read as numbers into numbers, so `"8080"` and `8080` compare equal
    /// (default true).
    pub unquote_numbers: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions { drop_empty: true, unquote_numbers: true }
    }
}

/// Normalises a value for comparison: integers become JSON numbers, and (by option) empty
/// values are dropped and quoted numbers unquoted. Maps are always in key order.
///
/// ```
/// use release_diff::{normalize, NormalizeOptions};
/// let y = |s| chart_core::yaml::yaml_to_json(s).unwrap();
/// let o = NormalizeOptions::default();
/// assert_eq!(normalize(&y("{b: '1', a: {}, c: null}"), &o), normalize(&y("{b: 1}"), &o));
/// ```
pub fn normalize(v: &Value, options: &NormalizeOptions) -> Value {
    match v {
        Value::Int(i) => Value::Float(*i as f64),
        Value::String(s) if options.unquote_numbers => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && !s.is_empty() && s.trim() == s => Value::Float(f),
            _ => v.clone(),
        },
        Value::List(l) => Value::List(l.iter().map(|x| normalize(x, options)).collect()),
        Value::Map(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                let n = normalize(x, options);
                if options.drop_empty && is_empty(&n) {
                    continue;
                }
                out.insert(k.clone(), n);
            }
            Value::Map(out)
        }
        other => other.clone(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Map(m) => m.is_empty(),
        Value::List(l) => l.is_empty(),
        _ => false,
    }
}
