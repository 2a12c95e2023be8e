//! Dependencies as Helm processes them before rendering: aliases applied, charts enabled or
//! disabled by `tags` and `condition` (conditions win over tags), disabled subcharts removed,
//! and `import-values` copied from children into parents.

use crate::chart::Chart;
use crate::coalesce::{self, CoalesceError, Warnings};
use crate::semver_loose::is_compatible_range;
use crate::value::{Map, Value};

/// A declared dependency that has no chart under `charts/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
    missing.join(", ")
)]
#[non_exhaustive]
pub struct MissingDependencies {
    /// Names of the missing dependencies.
    pub missing: Vec<String>,
}

/// Helm's `CheckDependencies`: every dependency declared in Chart.yaml must have a chart of that
/// name (aliases aside) under `charts/`.
pub fn check_dependencies(chart: &Chart) -> Result<(), MissingDependencies> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.clone())
        .collect();
    if missing.is_empty() { Ok(()) } else { Err(MissingDependencies { missing }) }
}

/// Applies aliases, conditions and tags, removes disabled subcharts, then imports values, as
/// Helm's `ProcessDependenciesWithMerge` does before install and template. `vals` are the
/// user-supplied values.
pub fn process_dependencies(
    chart: &mut Chart,
    vals: &Map,
    warnings: &mut Warnings,
) -> Result<(), CoalesceError> {
    process_enabled(chart, vals, "", warnings)?;
    process_import_values_tree(chart, warnings)
}

fn process_enabled(
    c: &mut Chart,
    v: &Map,
    path: &str,
    w: &mut Warnings,
) -> Result<(), CoalesceError> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Charts under charts/ that no Chart.yaml entry claims are kept as they are. Claimed charts
    // are moved (copied only when several entries, e.g. aliases, claim the same chart).
    let existing = std::mem::take(&mut c.dependencies);
    let claims: Vec<Option<usize>> = c
        .metadata
        .dependencies
        .iter()
        .map(|req| {
            existing.iter().position(|ch| {
                ch.name() == req.name && is_compatible_range(&req.version, &ch.metadata.version)
            })
        })
        .collect();
    let mut remaining = vec![0usize; existing.len()];
    for i in claims.iter().flatten() {
        remaining[*i] += 1;
    }
    let mut slots: Vec<Option<Chart>> = Vec::with_capacity(existing.len());
    let mut deps: Vec<Chart> = Vec::new();
    for (i, ch) in existing.into_iter().enumerate() {
        if remaining[i] == 0 {
            deps.push(ch);
            slots.push(None);
        } else {
            slots.push(Some(ch));
        }
    }
    for (req, claim) in c.metadata.dependencies.iter_mut().zip(&claims) {
        if let Some(i) = *claim {
            remaining[i] -= 1;
            let mut copy = if remaining[i] == 0 { slots[i].take() } else { slots[i].clone() };
            if let Some(copy) = copy.as_mut()
                && !req.alias.is_empty()
            {
                copy.metadata.name = req.alias.clone();
            }
            deps.extend(copy);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = deps;
    for req in &mut c.metadata.dependencies {
        req.enabled = true;
    }
    let cvals = coalesce::coalesce_values(c, v, w)?;
    process_tags(c, &cvals, w);
    process_conditions(c, &cvals, path, w);

    let removed: Vec<String> =
        c.metadata.dependencies.iter().filter(|r| !r.enabled).map(|r| r.name.clone()).collect();
    c.dependencies.retain(|d| !removed.iter().any(|r| r == d.name()));
    c.metadata.dependencies.retain(|d| !removed.contains(&d.name));
    for t in &mut c.dependencies {
        let sub_path = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub_path, w)?;
    }
    Ok(())
}

fn process_tags(c: &mut Chart, cvals: &Map, w: &mut Warnings) {
    let Some(tags) = coalesce::table(cvals, "tags") else {
        return;
    };
    for r in &mut c.metadata.dependencies {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match tags.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => w.push(format!("returned non-bool value tag={k} chart={}", r.name)),
                None => {}
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

fn process_conditions(c: &mut Chart, cvals: &Map, path: &str, w: &mut Warnings) {
    for r in &mut c.metadata.dependencies {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            match coalesce::path_value(cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    r.enabled = *b;
                    break;
                }
                Some(_) => w.push(format!("returned non-bool value path={cond} chart={}", r.name)),
                None => {}
            }
        }
    }
}

fn process_import_values_tree(c: &mut Chart, w: &mut Warnings) -> Result<(), CoalesceError> {
    for d in &mut c.dependencies {
        process_import_values_tree(d, w)?;
    }
    process_import_values(c, w)
}

/// `{a: {b: data}}` for `a.b`; `data` itself for `.`.
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(part.to_owned(), Value::Map(cur));
        cur = m;
    }
    cur
}

fn process_import_values(c: &mut Chart, w: &mut Warnings) -> Result<(), CoalesceError> {
    if c.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = coalesce::merge_values(c, &Map::new(), w)?;
    let mut imported = Map::new();
    for r in &mut c.metadata.dependencies {
        let mut normalized = Vec::new();
        for iv in &r.import_values {
            match iv {
                Value::Map(m) => {
                    let show = |k: &str| m.get(k).map_or("<nil>".to_owned(), |v| v.to_string());
                    let (child, parent) = (show("child"), show("parent"));
                    let mut entry = Map::new();
                    entry.insert("child".into(), Value::String(child.clone()));
                    entry.insert("parent".into(), Value::String(parent.clone()));
                    normalized.push(Value::Map(entry));
                    match coalesce::table(&cvals, &format!("{}.{child}", r.name)) {
                        Some(t) => coalesce::merge_tables(
                            &mut imported,
                            path_to_map(&parent, t.clone()),
                            w,
                        ),
                        None => w.push(format!(
                            "ImportValues missing table from chart chart={} error=\"{}\"",
                            r.name,
                            not_a_table(&cvals, &r.name, &child)
                        )),
                    }
                }
                Value::String(s) => {
                    let child = format!("exports.{s}");
                    let mut entry = Map::new();
                    entry.insert("child".into(), Value::String(child.clone()));
                    entry.insert("parent".into(), Value::String(".".into()));
                    normalized.push(Value::Map(entry));
                    match coalesce::table(&cvals, &format!("{}.{child}", r.name)) {
                        Some(t) => coalesce::merge_tables(&mut imported, t.clone(), w),
                        None => w.push(format!(
                            "ImportValues missing table error=\"{}\"",
                            not_a_table(&cvals, &r.name, &child)
                        )),
                    }
                }
                _ => {}
            }
        }
        r.import_values = normalized;
    }
    let mut values = cvals;
    coalesce::merge_tables(&mut values, imported, w);
    c.values = values;
    Ok(())
}

/// Helm's `ErrNoTable` text for a child path that is not a table under the chart's values: the
/// first segment that is missing or not a map, `"seg" is not a table`.
fn not_a_table(cvals: &Map, chart: &str, child: &str) -> String {
    let mut t = match cvals.get(chart).and_then(Value::as_map) {
        Some(t) => t,
        None => return format!("{chart:?} is not a table"),
    };
    for seg in child.split('.') {
        match t.get(seg).and_then(Value::as_map) {
            Some(next) => t = next,
            None => return format!("{seg:?} is not a table"),
        }
    }
    format!("{child:?} is not a table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_to_map_nests() {
        let mut d = Map::new();
        d.insert("k".into(), Value::Int(1));
        let m = path_to_map("a.b", d.clone());
        assert_eq!(Value::Map(m).get_path("a.b.k"), Some(&Value::Int(1)));
        assert_eq!(path_to_map(".", d.clone()), d);
    }
}
