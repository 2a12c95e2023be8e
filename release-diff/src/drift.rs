//! Drift: fields of live objects that differ from what the release set.

use chart_core::Value;

use crate::merge_json_eq;
use crate::schema::{self, Strategy, Ty, lookup};

/// Server-owned fields ignored by default (JSON pointers; `*` matches one segment).
const SERVER_FIELDS: &[&str] = &[
    "/status",
    "/metadata/managedFields",
    "/metadata/resourceVersion",
    "/metadata/uid",
    "/metadata/generation",
    "/metadata/creationTimestamp",
    "/metadata/selfLink",
    "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
    "/metadata/annotations/deployment.kubernetes.io~1revision",
];

/// Options of [`detect_drift`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DriftOptions {
    /// JSON pointers (RFC 6901) of fields to ignore, with everything below them; a segment `*`
    /// matches any one key or list index.
    pub ignore: Vec<String>,
    /// Also ignore the fields the server owns (`/status`, `/metadata/managedFields`, uid,
    /// resourceVersion, ...). Default true.
    pub ignore_server_fields: bool,
}

impl Default for DriftOptions {
    fn default() -> Self {
        DriftOptions { ignore: Vec::new(), ignore_server_fields: true }
    }
}

/// One drifted field.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Drift {
    /// Where (a JSON pointer; list items of keyed lists are addressed by index in the release's
    /// object).
    pub pointer: String,
    /// What the release set.
    pub expected: Value,
    /// What the live object has (`None` when the field is missing).
    pub actual: Option<Value>,
}

fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

fn matches(rule: &str, pointer: &str) -> bool {
    let r: Vec<&str> = rule.split('/').skip(1).collect();
    let p: Vec<&str> = pointer.split('/').skip(1).collect();
    r.len() <= p.len() && r.iter().zip(&p).all(|(a, b)| *a == "*" || a == b)
}

/// Which fields of `live` differ from `desired` (what the release set). Only fields the release
/// sets are compared, so defaults the server or controllers add and fields they own are not
/// drift; lists merged by key (containers by name, ports by containerPort, ...) are matched by
/// key, other lists by position.
///
/// ```
/// use release_diff::{detect_drift, DriftOptions};
/// let y = |s| chart_core::yaml::yaml_to_json(s).unwrap();
/// let desired = y("{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2}}");
/// let live = y("{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 5, paused: false}, status: {x: 1}}");
/// let d = detect_drift(&desired, &live, &DriftOptions::default());
/// assert_eq!(d.len(), 1);
/// assert_eq!(d[0].pointer, "/spec/replicas");
/// ```
pub fn detect_drift(desired: &Value, live: &Value, options: &DriftOptions) -> Vec<Drift> {
    let ty = desired
        .get("apiVersion")
        .and_then(Value::as_str)
        .zip(desired.get("kind").and_then(Value::as_str))
        .and_then(|(a, k)| schema::root_type(a, k))
        .unwrap_or(Ty::Unknown);
    let mut rules: Vec<&str> = options.ignore.iter().map(String::as_str).collect();
    if options.ignore_server_fields {
        rules.extend(SERVER_FIELDS);
    }
    let mut out = Vec::new();
    walk(desired, Some(live), ty, String::new(), &rules, &mut out);
    out
}

fn walk(
    want: &Value,
    have: Option<&Value>,
    ty: Ty,
    pointer: String,
    rules: &[&str],
    out: &mut Vec<Drift>,
) {
    if rules.iter().any(|r| matches(r, &pointer)) {
        return;
    }
    let drift = |out: &mut Vec<Drift>| {
        out.push(Drift { pointer: pointer.clone(), expected: want.clone(), actual: have.cloned() })
    };
    match (want, have) {
        (Value::Null, None | Some(Value::Null)) => {}
        (Value::Map(w), Some(Value::Map(h))) => {
            for (k, v) in w {
                let meta = lookup(ty, k);
                let p = format!("{pointer}/{}", escape(k));
                match (v, h.get(k)) {
                    (Value::List(wl), Some(Value::List(hl))) => {
                        walk_list(wl, hl, meta.ty, meta.strategy, meta.merge_key, p, rules, out)
                    }
                    (Value::Map(m), None) if m.is_empty() => {}
                    (Value::List(l), None) if l.is_empty() => {}
                    _ => walk(v, h.get(k), meta.ty, p, rules, out),
                }
            }
        }
        (Value::List(w), Some(Value::List(h))) => {
            walk_list(w, h, Ty::Unknown, Strategy::Default, None, pointer, rules, out)
        }
        (w, Some(h)) if merge_json_eq(w, h) => {}
        _ => drift(out),
    }
}

#[allow(clippy::too_many_arguments)]
fn walk_list(
    want: &[Value],
    have: &[Value],
    ty: Ty,
    strategy: Strategy,
    merge_key: Option<&str>,
    pointer: String,
    rules: &[&str],
    out: &mut Vec<Drift>,
) {
    if rules.iter().any(|r| matches(r, &pointer)) {
        return;
    }
    for (i, w) in want.iter().enumerate() {
        let p = format!("{pointer}/{i}");
        let found = match (strategy, merge_key) {
            (Strategy::Merge, Some(k)) => {
                let key = w.get(k);
                have.iter().find(|h| key.is_some() && h.get(k).is_some_and(|x| Some(x) == key))
            }
            (Strategy::Merge, None) => {
                have.iter().find(|h| merge_json_eq(h, w)).or_else(|| have.get(i))
            }
            _ => have.get(i),
        };
        walk(w, found, ty, p, rules, out);
    }
}
