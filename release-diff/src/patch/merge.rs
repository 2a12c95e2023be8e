//! JSON merge patch (RFC 7386): creating two-way patches as `evanphx/json-patch`'s
//! `CreateMergePatch` does, three-way patches as `k8s.io/apimachinery/pkg/util/jsonmergepatch`
//! does, and applying patches with the `json-patch` crate.

use chart_core::{Map, Value};

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(&norm(a)) == std::mem::discriminant(&norm(b))
}

fn norm(v: &Value) -> Value {
    match v {
        Value::Int(i) => Value::Float(*i as f64),
        Value::Map(_) => Value::Map(Map::new()),
        Value::List(_) => Value::List(Vec::new()),
        Value::String(_) => Value::String(String::new()),
        Value::Bool(_) => Value::Bool(false),
        Value::Float(_) => Value::Float(0.0),
        Value::Null => Value::Null,
    }
}

/// Deep equality with integers and floats compared as numbers.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let f = |v: &Value| match v {
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                _ => f64::NAN,
            };
            f(a) == f(b)
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && json_eq(va, vb))
        }
        _ => a == b,
    }
}

/// The merge patch that turns map `a` into map `b`.
fn diff(a: &Map, b: &Map) -> Map {
    let mut patch = Map::new();
    for (k, bv) in b {
        match a.get(k) {
            None => {
                patch.insert(k.clone(), bv.clone());
            }
            Some(av) if !same_kind(av, bv) => {
                patch.insert(k.clone(), bv.clone());
            }
            Some(Value::Map(am)) => {
                if let Value::Map(bm) = bv {
                    let d = diff(am, bm);
                    if !d.is_empty() {
                        patch.insert(k.clone(), Value::Map(d));
                    }
                }
            }
            Some(av) => {
                if !json_eq(av, bv) {
                    patch.insert(k.clone(), bv.clone());
                }
            }
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            patch.insert(k.clone(), Value::Null);
        }
    }
    patch
}

fn as_map(v: &Value) -> Map {
    match v {
        Value::Map(m) => m.clone(),
        _ => Map::new(),
    }
}

/// `CreateMergePatch(original, modified)`: the two-way JSON merge patch.
pub(crate) fn two_way(original: &Value, modified: &Value) -> Value {
    match (original, modified) {
        (Value::Map(a), Value::Map(b)) => Value::Map(diff(a, b)),
        _ if json_eq(original, modified) => Value::Map(Map::new()),
        _ => modified.clone(),
    }
}

/// `keepOrDeleteNullInObj`: only the deletions (`keep_null`) or only the rest.
fn filter_nulls(m: &Map, keep_null: bool) -> Map {
    let mut out = Map::new();
    for (k, v) in m {
        match v {
            Value::Null => {
                if keep_null {
                    out.insert(k.clone(), Value::Null);
                }
            }
            Value::Map(sub) if sub.is_empty() => {
                if !keep_null {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Map(sub) => {
                let f = filter_nulls(sub, keep_null);
                if !f.is_empty() {
                    out.insert(k.clone(), Value::Map(f));
                }
            }
            _ => {
                if !keep_null {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    out
}

/// `MergeMergePatches`: `second` merged into `first`, keeping nulls.
fn merge_patches(first: &mut Map, second: Map) {
    for (k, v) in second {
        match (first.get_mut(&k), v) {
            (Some(Value::Map(a)), Value::Map(b)) => merge_patches(a, b),
            (_, v) => {
                first.insert(k, v);
            }
        }
    }
}

/// `CreateThreeWayJSONMergePatch(original, modified, current)`: deletions from original to
/// modified plus changes and additions from current to modified.
pub(crate) fn three_way(original: &Value, modified: &Value, current: &Value) -> Value {
    let current_patch = diff(&as_map(current), &as_map(modified));
    let original_patch = diff(&as_map(original), &as_map(modified));
    let mut deletions = filter_nulls(&original_patch, true);
    let additions = filter_nulls(&current_patch, false);
    merge_patches(&mut deletions, additions);
    Value::Map(deletions)
}

/// Applies a JSON merge patch (RFC 7386) with the `json-patch` crate.
pub(crate) fn apply(target: &Value, patch: &Value) -> Value {
    let mut doc = target.to_serde_json();
    json_patch::merge(&mut doc, &patch.to_serde_json());
    Value::from_json(doc)
}
