//! What changes between two releases: objects added, removed (or kept by
//! `helm.sh/resource-policy: keep`), changed and unchanged.

use std::collections::BTreeMap;

use chart_core::Value;

use crate::error::Error;
use crate::object::{
    Manifests, NormalizeOptions, Object, ObjectRef, ParseOptions, normalize, parse_manifests,
};

/// How an object changes between two releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Change {
    /// Only in the new release.
    Added,
    /// Only in the old release: Helm deletes it.
    Removed,
    /// Only in the old release, but annotated `helm.sh/resource-policy: keep`: Helm leaves it.
    Kept,
    /// In both, different after normalisation.
    Changed,
    /// In both, equal after normalisation.
    Unchanged,
}

impl Change {
    /// `added`, `removed`, `kept`, `changed`, `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Kept => "kept",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        }
    }
}

/// One object's change.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ObjectChange {
    /// Who it is.
    pub id: ObjectRef,
    /// What happens to it.
    pub change: Change,
    /// The object in the old release.
    pub old: Option<Object>,
    /// The object in the new release.
    pub new: Option<Object>,
}

/// The difference between two releases' resources (hooks are not compared: Helm re-creates them).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ReleaseDiff {
    /// Every object of either release, ordered as the helm-diff plugin orders them (by
    /// `namespace, name, kind (group)`).
    pub changes: Vec<ObjectChange>,
}

impl ReleaseDiff {
    fn with(&self, c: Change) -> impl Iterator<Item = &ObjectChange> {
        self.changes.iter().filter(move |x| x.change == c)
    }

    /// Objects only in the new release.
    pub fn added(&self) -> impl Iterator<Item = &ObjectChange> {
        self.with(Change::Added)
    }

    /// Objects Helm deletes: in the old release only, and not kept.
    pub fn removed(&self) -> impl Iterator<Item = &ObjectChange> {
        self.with(Change::Removed)
    }

    /// Objects that left the manifests but stay in the cluster (`helm.sh/resource-policy: keep`).
    pub fn kept(&self) -> impl Iterator<Item = &ObjectChange> {
        self.with(Change::Kept)
    }

    /// Objects in both releases that differ.
    pub fn changed(&self) -> impl Iterator<Item = &ObjectChange> {
        self.with(Change::Changed)
    }

    /// Whether anything is added, removed, kept or changed.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.change != Change::Unchanged)
    }
}

/// Whether two objects are the same after normalisation (key order, empty vs missing, quoted
/// numbers).
pub fn objects_equal(a: &Value, b: &Value) -> bool {
    let o = NormalizeOptions::default();
    normalize(a, &o) == normalize(b, &o)
}

/// Compares the resources of two releases.
pub fn diff_releases(old: &Manifests, new: &Manifests) -> ReleaseDiff {
    let mut by_id: BTreeMap<String, (ObjectRef, Option<&Object>, Option<&Object>)> =
        BTreeMap::new();
    for o in &old.resources {
        by_id.entry(o.id.to_string()).or_insert((o.id.clone(), None, None)).1 = Some(o);
    }
    for n in &new.resources {
        by_id.entry(n.id.to_string()).or_insert((n.id.clone(), None, None)).2 = Some(n);
    }
    let changes = by_id
        .into_values()
        .map(|(id, old, new)| {
            let change = match (old, new) {
                (Some(o), None) if o.is_kept() => Change::Kept,
                (Some(_), None) => Change::Removed,
                (None, _) => Change::Added,
                (Some(o), Some(n)) if objects_equal(&o.value, &n.value) => Change::Unchanged,
                (Some(_), Some(_)) => Change::Changed,
            };
            ObjectChange { id, change, old: old.cloned(), new: new.cloned() }
        })
        .collect();
    ReleaseDiff { changes }
}

/// Parses two manifest streams with the same options and compares them.
///
/// ```
/// use release_diff::{diff_manifests, ParseOptions};
/// let old = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n";
/// let new = "kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\ndata: {x: '2'}\n";
/// let d = diff_manifests(old, new, &ParseOptions::default()).unwrap();
/// assert_eq!(d.changed().count(), 1);
/// ```
pub fn diff_manifests(old: &str, new: &str, options: &ParseOptions) -> Result<ReleaseDiff, Error> {
    Ok(diff_releases(&parse_manifests(old, options)?, &parse_manifests(new, options)?))
}
