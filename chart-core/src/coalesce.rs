//! Coalescing values the way Helm 4 does: user values over chart defaults over subchart
//! defaults, `null` deleting defaults, globals copied down to every subchart.
//!
//! Two flavours exist in Helm and both are here: *coalescing* ([`coalesce_values`]) removes keys
//! whose user value is `null`, *merging* ([`merge_values`]) keeps the nulls (Helm uses it while
//! processing dependencies, before the final coalesce).

use crate::chart::Chart;
use crate::value::{Map, Value};

/// The key under which global values live.
pub const GLOBAL_KEY: &str = "global";

/// An error while coalescing: a subchart's values key holds a non-map.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CoalesceError {
    /// `type mismatch on sub: %!t(string=x)` — the value named after a subchart is not a map.
    #[error("type mismatch on {name}: %!t({type_name}={value})")]
    TypeMismatch {
        /// The subchart name.
        name: String,
        /// Go type of the offending value.
        type_name: &'static str,
        /// The value as `%v` prints it.
        value: String,
    },
}

/// Collects the warnings Helm prints while coalescing (`warning: skipped value for ...`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Warnings(pub Vec<String>);

impl Warnings {
    pub(crate) fn push(&mut self, s: String) {
        self.0.push(s);
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() { b.to_owned() } else { format!("{a}.{b}") }
}

/// Coalesces `vals` (user-supplied) with the chart's defaults and all subcharts' defaults,
/// dropping keys the user set to `null` (Helm's `CoalesceValues`).
pub fn coalesce_values(
    chart: &Chart,
    vals: &Map,
    warnings: &mut Warnings,
) -> Result<Map, CoalesceError> {
    let mut dest = vals.clone();
    coalesce(chart, &mut dest, "", false, warnings)?;
    Ok(dest)
}

/// Like [`coalesce_values`] but keeps `null`s (Helm's `MergeValues`).
pub fn merge_values(
    chart: &Chart,
    vals: &Map,
    warnings: &mut Warnings,
) -> Result<Map, CoalesceError> {
    let mut dest = vals.clone();
    coalesce(chart, &mut dest, "", true, warnings)?;
    Ok(dest)
}

fn coalesce(
    ch: &Chart,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    w: &mut Warnings,
) -> Result<(), CoalesceError> {
    coalesce_chart_values(ch, dest, prefix, merge, w);
    coalesce_deps(ch, dest, prefix, merge, w)
}

fn coalesce_deps(
    ch: &Chart,
    dest: &mut Map,
    prefix: &str,
    merge: bool,
    w: &mut Warnings,
) -> Result<(), CoalesceError> {
    for sub in &ch.dependencies {
        let name = sub.name();
        let mut dv = match dest.remove(name) {
            None => Map::new(),
            Some(Value::Map(m)) => m,
            Some(other) => {
                let err = CoalesceError::TypeMismatch {
                    name: name.to_owned(),
                    type_name: other.go_type_name(),
                    value: other.to_string(),
                };
                dest.insert(name.to_owned(), other);
                return Err(err);
            }
        };
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(&mut dv, dest, &sub_prefix, w);
        let res = coalesce(sub, &mut dv, &sub_prefix, merge, w);
        dest.insert(name.to_owned(), Value::Map(dv));
        res?;
    }
    Ok(())
}

/// Copies the globals of `src` (the parent's values) into `dest` (a subchart's values); the
/// parent's globals win over the subchart's own.
fn coalesce_globals(dest: &mut Map, src: &Map, prefix: &str, w: &mut Warnings) {
    let mut dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(Value::Map(m)) => m.clone(),
        Some(_) => {
            w.push(format!(
                "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    let empty = Map::new();
    let sg = match src.get(GLOBAL_KEY) {
        None => &empty,
        Some(Value::Map(m)) => m,
        Some(_) => {
            w.push(format!(
                "warning: skipping globals because source {GLOBAL_KEY} is not a table."
            ));
            return;
        }
    };
    for (key, val) in sg {
        match val {
            Value::Map(vm) => {
                let mut vv = vm.clone();
                match dg.get(key) {
                    None => {
                        dg.insert(key.clone(), Value::Map(vv));
                    }
                    Some(Value::Map(destv)) => {
                        let sub_prefix = concat_prefix(prefix, key);
                        coalesce_tables_full_key(&mut vv, destv.clone(), &sub_prefix, true, w);
                        dg.insert(key.clone(), Value::Map(vv));
                    }
                    Some(_) => w.push(format!(
                        "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                    )),
                }
            }
            _ => {
                if matches!(dg.get(key), Some(Value::Map(_))) {
                    w.push(format!("key {key} is table. Skipping"));
                } else {
                    dg.insert(key.clone(), val.clone());
                }
            }
        }
    }
    dest.insert(GLOBAL_KEY.to_owned(), Value::Map(dg));
}

/// Removes `null` entries recursively.
fn clean_nil_values(m: &mut Map) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        if let Value::Map(sub) = v {
            clean_nil_values(sub);
        }
    }
}

/// Merges a chart's default values into `v` (whose values win).
fn coalesce_chart_values(ch: &Chart, v: &mut Map, prefix: &str, merge: bool, w: &mut Warnings) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    for (key, val) in &ch.values {
        match v.get_mut(key) {
            Some(value) => {
                if value.is_null() && !merge {
                    v.remove(key);
                } else if let Value::Map(dest) = value {
                    match val {
                        Value::Map(src) => {
                            let merge = merge || ch.dependencies.iter().any(|d| d.name() == key);
                            let mut src = src.clone();
                            if !merge && !prefix.is_empty() {
                                clean_nil_values(&mut src);
                            }
                            coalesce_tables_full_key(
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, key),
                                merge,
                                w,
                            );
                        }
                        Value::Null => {}
                        _ => w.push(format!(
                            "warning: skipped value for {sub_prefix}.{key}: Not a table."
                        )),
                    }
                }
            }
            None => {
                let mut val = val.clone();
                if !merge && !prefix.is_empty() {
                    if val.is_null() {
                        continue;
                    }
                    if let Value::Map(sub) = &mut val {
                        clean_nil_values(sub);
                    }
                }
                v.insert(key.clone(), val);
            }
        }
    }
}

/// Helm's `CoalesceTables`: fills `dst` from `src`; `dst` wins; a `null` in `dst` deletes the
/// key when `src` had a value for it.
pub fn coalesce_tables(dst: &mut Map, src: Map, w: &mut Warnings) {
    coalesce_tables_full_key(dst, src, "", false, w);
}

/// Helm's `MergeTables`: like [`coalesce_tables`] but `null`s in `dst` are kept.
pub fn merge_tables(dst: &mut Map, src: Map, w: &mut Warnings) {
    coalesce_tables_full_key(dst, src, "", true, w);
}

fn coalesce_tables_full_key(
    dst: &mut Map,
    mut src: Map,
    prefix: &str,
    merge: bool,
    w: &mut Warnings,
) {
    let src_non_nil: std::collections::BTreeSet<String> =
        src.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k.clone()).collect();
    for (key, val) in dst.iter() {
        if val.is_null() {
            src.insert(key.clone(), Value::Null);
        }
    }
    for (key, val) in src {
        let full_key = concat_prefix(prefix, &key);
        match dst.get_mut(&key) {
            Some(dv) if !merge && dv.is_null() && src_non_nil.contains(&key) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => match (dv, val) {
                (Value::Map(dm), Value::Map(sm)) => {
                    coalesce_tables_full_key(dm, sm, &full_key, merge, w);
                }
                (_, val @ Value::Map(_)) => w.push(format!(
                    "warning: cannot overwrite table with non table for {full_key} ({val})"
                )),
                (Value::Map(_), val) if !val.is_null() => w.push(format!(
                    "warning: destination for {full_key} is a table. Ignoring non-table value ({val})"
                )),
                _ => {}
            },
        }
    }
}

/// Helm's `MergeMaps` for values files and documents: `b` over `a`, maps merged recursively.
pub fn merge_maps(a: &mut Map, b: Map) {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Map(am)), Value::Map(bm)) => merge_maps(am, bm),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

/// Looks up a nested table by dotted path (Helm's `Values.Table`).
pub fn table<'a>(vals: &'a Map, path: &str) -> Option<&'a Map> {
    let mut t = vals;
    for part in path.split('.') {
        t = t.get(part)?.as_map()?;
    }
    Some(t)
}

/// Looks up a non-table value by dotted path (Helm's `Values.PathValue`).
pub fn path_value<'a>(vals: &'a Map, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return None;
    }
    let (table_path, key) = match path.rsplit_once('.') {
        Some((t, k)) => (Some(t), k),
        None => (None, path),
    };
    let t = match table_path {
        Some(tp) => table(vals, tp)?,
        None => vals,
    };
    t.get(key).filter(|v| !matches!(v, Value::Map(_)))
}
