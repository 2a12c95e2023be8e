//! Patches between object versions: strategic merge patch for built-in kinds, JSON merge patch
//! for custom resources and unknown kinds.

pub(crate) mod merge;
pub(crate) mod strategic;

use chart_core::Value;

use crate::error::PatchError;
use crate::schema::{self, Ty};

/// The kind of a patch, as `kubectl patch --type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PatchType {
    /// `application/strategic-merge-patch+json`: built-in kinds.
    Strategic,
    /// `application/merge-patch+json` (RFC 7386): custom resources and unknown kinds.
    Merge,
}

impl PatchType {
    /// The name `kubectl patch --type` takes (`strategic`, `merge`).
    pub fn as_str(self) -> &'static str {
        match self {
            PatchType::Strategic => "strategic",
            PatchType::Merge => "merge",
        }
    }

    /// The HTTP content type of a patch of this kind.
    pub fn content_type(self) -> &'static str {
        match self {
            PatchType::Strategic => "application/strategic-merge-patch+json",
            PatchType::Merge => "application/merge-patch+json",
        }
    }
}

/// A computed patch and its kind.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Patch {
    /// How the patch is to be applied.
    pub patch_type: PatchType,
    /// The patch document (a map; empty when nothing changes).
    pub patch: Value,
}

impl Patch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.patch.as_map().is_none_or(|m| m.is_empty())
    }
}

/// How custom resources and unknown kinds are patched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CustomResourcePatch {
    /// Three-way JSON merge patch (original, modified, current), as `kubectl apply` computes it.
    #[default]
    ThreeWay,
    /// Helm 3's two-way JSON merge patch from original to modified; live-only changes to fields
    /// the chart sets are not reverted.
    HelmTwoWay,
}

/// Options of [`three_way_patch`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PatchOptions {
    /// How custom resources and unknown kinds are patched.
    pub custom_resources: CustomResourcePatch,
}

fn type_of(objects: &[&Value]) -> Option<Ty> {
    objects.iter().find_map(|o| {
        let av = o.get("apiVersion").and_then(Value::as_str)?;
        let kind = o.get("kind").and_then(Value::as_str)?;
        Some(schema::root_type(av, kind))
    })?
}

/// The patch type Kubernetes uses for this object: strategic for built-in kinds, merge otherwise.
pub fn patch_type_for(object: &Value) -> PatchType {
    if type_of(&[object]).is_some() { PatchType::Strategic } else { PatchType::Merge }
}

/// The three-way patch that turns `current` (the live object) into `modified` (the new manifest)
/// while keeping fields that only the live object has, deleting what `original` (the last
/// applied manifest) had and `modified` drops. Built-in kinds get a strategic merge patch
/// (`CreateThreeWayMergePatch`), other kinds a JSON merge patch.
///
/// ```
/// use release_diff::{three_way_patch, apply_patch, PatchOptions};
/// let y = |s| chart_core::yaml::yaml_to_json(s).unwrap();
/// let original = y("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1', b: '2'}}");
/// let modified = y("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '3'}}");
/// let current = y("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, uid: x}, data: {a: '1', b: '2'}}");
/// let p = three_way_patch(&original, &modified, &current, &PatchOptions::default()).unwrap();
/// assert_eq!(p.patch, y("{data: {a: '3', b: null}}"));
/// let result = apply_patch(&current, &p).unwrap();
/// assert_eq!(result, y("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, uid: x}, data: {a: '3'}}"));
/// ```
pub fn three_way_patch(
    original: &Value,
    modified: &Value,
    current: &Value,
    options: &PatchOptions,
) -> Result<Patch, PatchError> {
    let (original, modified, current) = (json(original), json(modified), json(current));
    match type_of(&[&modified, &current, &original]) {
        Some(ty) => Ok(Patch {
            patch_type: PatchType::Strategic,
            patch: strategic::three_way(&original, &modified, &current, ty)?,
        }),
        None => {
            let patch = match options.custom_resources {
                CustomResourcePatch::ThreeWay => merge::three_way(&original, &modified, &current),
                CustomResourcePatch::HelmTwoWay => merge::two_way(&original, &modified),
            };
            Ok(Patch { patch_type: PatchType::Merge, patch })
        }
    }
}

/// The two-way patch that turns `original` into `modified` (`CreateTwoWayMergePatch` for
/// built-in kinds, `CreateMergePatch` otherwise).
pub fn two_way_patch(original: &Value, modified: &Value) -> Result<Patch, PatchError> {
    let (original, modified) = (json(original), json(modified));
    match type_of(&[&modified, &original]) {
        Some(ty) => Ok(Patch {
            patch_type: PatchType::Strategic,
            patch: strategic::two_way(&original, &modified, ty)?,
        }),
        None => {
            Ok(Patch { patch_type: PatchType::Merge, patch: merge::two_way(&original, &modified) })
        }
    }
}

/// Applies a patch to an object, as `kubectl patch --local --type strategic|merge` does. A
/// strategic patch uses the metadata of the object's kind (none for unknown kinds).
pub fn apply_patch(object: &Value, patch: &Patch) -> Result<Value, PatchError> {
    let object = json(object);
    match patch.patch_type {
        PatchType::Strategic => {
            let ty = type_of(&[&object]).unwrap_or(Ty::Unknown);
            strategic::apply(&object, &json(&patch.patch), ty)
        }
        PatchType::Merge => Ok(merge::apply(&object, &patch.patch)),
    }
}

/// Integers as JSON numbers, as objects are after a trip through JSON.
fn json(v: &Value) -> Value {
    v.clone().into_json_numbers()
}
