//! What changes between two Helm releases and against the live cluster: manifest splitting and
//! ordering, release diffs, Kubernetes three-way patches, drift, and Helm's release records.
//!
//! ```
//! use release_diff::{diff_manifests, three_way_patch, apply_patch, ParseOptions, PatchOptions};
//!
//! let old = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n\
//!            spec: {template: {spec: {containers: [{name: app, image: 'app:1'}]}}}\n";
//! let new = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n\
//!            spec: {template: {spec: {containers: [{name: app, image: 'app:2'}]}}}\n";
//! let d = diff_manifests(old, new, &ParseOptions::with_namespace("prod")).unwrap();
//! let change = d.changed().next().unwrap();
//! assert_eq!(change.id.to_string(), "prod, web, Deployment (apps)");
//!
//! // The live object has a sidecar injected by a webhook: the patch keeps it.
//! let y = |s| chart_core::yaml::yaml_to_json(s).unwrap();
//! let live = y("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {template: {spec: \
//!               {containers: [{name: app, image: 'app:1'}, {name: proxy, image: envoy}]}}}}");
//! let (o, m) = (&change.old.as_ref().unwrap().value, &change.new.as_ref().unwrap().value);
//! let patch = three_way_patch(o, m, &live, &PatchOptions::default()).unwrap();
//! let result = apply_patch(&live, &patch).unwrap();
//! let containers = result.get_path("spec.template.spec.containers").unwrap();
//! assert_eq!(containers, &y("[{name: app, image: 'app:2'}, {name: proxy, image: envoy}]"));
//! ```
//!
//! # Concepts
//! - [`parse_manifests`] splits a rendered stream exactly as Helm does ([`split_manifests`]),
//!   identifies each object by [`ObjectRef`] (namespace defaulted like Helm's client), puts hooks
//!   apart and orders by Helm's install and uninstall orders ([`Manifests::install_order`]).
//! - [`diff_releases`] compares two releases: added, removed, kept (`helm.sh/resource-policy:
//!   keep`), changed; [`render_diff`] and [`render_json`] report it like the helm-diff plugin.
//! - [`three_way_patch`], [`two_way_patch`] and [`apply_patch`]: strategic merge patch for
//!   built-in kinds, with merge keys and strategies generated from the Kubernetes OpenAPI
//!   definitions (`data/patch-meta.tsv`, made by `scripts/gen-patch-meta.py`), and JSON merge
//!   patch for custom resources (three-way, or Helm 3's two-way by [`PatchOptions`]).
//! - [`detect_drift`]: fields of a live object that differ from what the release set.
//! - [`Release`], [`decode_release`], [`encode_release`]: Helm's stored release records.
//!
//! # Errors
//! Bad input is an error, never a panic: [`Error`] for manifests and records, [`PatchError`]
//! (with the Kubernetes wording) for patches.
//!
//! # Input safety
//! Decompressed release records are limited to 64 MiB. Patch computation recurses along the
//! objects' nesting, which the YAML reader limits (1000 levels by default).

mod diff;
mod drift;
mod error;
mod object;
mod patch;
mod record;
mod report;
mod schema;

pub use chart_core;
pub use diff::{Change, ObjectChange, ReleaseDiff, diff_manifests, diff_releases, objects_equal};
pub use drift::{Drift, DriftOptions, detect_drift};
pub use error::{Error, PatchError};
pub use object::{
    INSTALL_ORDER, Manifests, NormalizeOptions, Object, ObjectRef, ParseOptions, UNINSTALL_ORDER,
    kind_cmp, normalize, object_from_value, parse_manifests, split_manifests,
};
pub use patch::{
    CustomResourcePatch, Patch, PatchOptions, PatchType, apply_patch, patch_type_for,
    three_way_patch, two_way_patch,
};
pub use record::{
    HistoryEntry, Release, decode_release, encode_release, history, release_from_object,
    release_to_secret,
};
pub use report::{ReportOptions, render_diff, render_json};
pub use schema::is_builtin_kind;

pub(crate) use patch::merge::json_eq as merge_json_eq;
