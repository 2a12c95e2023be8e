//! Strategic-merge metadata (patch strategies and merge keys) of the built-in Kubernetes kinds,
//! read from `data/patch-meta.tsv`, which `scripts/gen-patch-meta.py` generates from the
//! Kubernetes OpenAPI definitions.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../data/patch-meta.tsv");

/// The type of a value as far as patching is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Ty {
    /// No metadata: maps merge key by key, lists are replaced.
    #[default]
    Unknown,
    /// A known struct type (index into the type table).
    Struct(u32),
    /// A map whose values are of the given struct type.
    MapOf(u32),
}

/// How a field is patched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Strategy {
    /// No strategy given: maps merge, lists are replaced.
    #[default]
    Default,
    /// `patchStrategy: merge`.
    Merge,
    /// `patchStrategy: replace`.
    Replace,
}

/// What the metadata says about one field.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FieldMeta {
    /// The type of the value (of each item for lists).
    pub ty: Ty,
    pub strategy: Strategy,
    pub retain_keys: bool,
    pub merge_key: Option<&'static str>,
}

struct Field {
    name: &'static str,
    meta: FieldMeta,
}

struct Table {
    types: Vec<Vec<Field>>,
    kinds: HashMap<(&'static str, &'static str), u32>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut ids: HashMap<&'static str, u32> = HashMap::new();
        let mut types: Vec<Vec<Field>> = Vec::new();
        let mut id = |name: &'static str, types: &mut Vec<Vec<Field>>| -> u32 {
            *ids.entry(name).or_insert_with(|| {
                types.push(Vec::new());
                (types.len() - 1) as u32
            })
        };
        let mut kinds = HashMap::new();
        for line in DATA.lines() {
            let cols: Vec<&'static str> = line.split('\t').collect();
            match cols.as_slice() {
                ["K", gv, kind, ty] => {
                    let t = id(ty, &mut types);
                    kinds.insert((*gv, *kind), t);
                }
                ["F", ty, field, shape, target, strategy, key] => {
                    let owner = id(ty, &mut types);
                    let target = (*target != "-").then(|| id(target, &mut types));
                    let ty = match (target, *shape) {
                        (Some(t), "m") => Ty::MapOf(t),
                        (Some(t), _) => Ty::Struct(t),
                        (None, _) => Ty::Unknown,
                    };
                    let mut meta = FieldMeta {
                        ty,
                        merge_key: (*key != "-").then_some(*key),
                        ..FieldMeta::default()
                    };
                    for s in strategy.split(',') {
                        match s {
                            "merge" => meta.strategy = Strategy::Merge,
                            "replace" => meta.strategy = Strategy::Replace,
                            "retainKeys" => meta.retain_keys = true,
                            _ => {}
                        }
                    }
                    types[owner as usize].push(Field { name: field, meta });
                }
                _ => {}
            }
        }
        Table { types, kinds }
    })
}

/// The type of a top-level object of this apiVersion and kind, if it is a built-in kind.
pub(crate) fn root_type(api_version: &str, kind: &str) -> Option<Ty> {
    table().kinds.get(&(api_version, kind)).map(|t| Ty::Struct(*t))
}

/// The metadata of field `key` of a value of type `ty`.
pub(crate) fn lookup(ty: Ty, key: &str) -> FieldMeta {
    match ty {
        Ty::Unknown => FieldMeta::default(),
        Ty::MapOf(t) => FieldMeta { ty: Ty::Struct(t), ..FieldMeta::default() },
        Ty::Struct(t) => table().types[t as usize]
            .iter()
            .find(|f| f.name == key)
            .map(|f| f.meta)
            .unwrap_or_default(),
    }
}

/// Whether `apiVersion`/`kind` is a built-in kind with strategic-merge metadata (every built-in
/// kind carries at least `metadata`'s finalizers and owner references).
///
/// ```
/// assert!(release_diff::is_builtin_kind("apps/v1", "Deployment"));
/// assert!(!release_diff::is_builtin_kind("example.com/v1", "Widget"));
/// ```
pub fn is_builtin_kind(api_version: &str, kind: &str) -> bool {
    root_type(api_version, kind).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_merge_by_name() {
        let dep = root_type("apps/v1", "Deployment").expect("known");
        let spec = lookup(dep, "spec").ty;
        let tmpl = lookup(spec, "template").ty;
        let pod = lookup(tmpl, "spec").ty;
        let c = lookup(pod, "containers");
        assert_eq!(c.strategy, Strategy::Merge);
        assert_eq!(c.merge_key, Some("name"));
        let ports = lookup(c.ty, "ports");
        assert_eq!(ports.merge_key, Some("containerPort"));
        let vols = lookup(pod, "volumes");
        assert!(vols.retain_keys);
        assert!(lookup(spec, "strategy").retain_keys);
    }
}
