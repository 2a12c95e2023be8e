//! Splitting, ordering and diffing the manifests of Helm releases.
//!
//! This crate will own manifest diffs between two releases, Kubernetes JSON-merge and
//! strategic-merge three-way patches, and drift detection. **It has no functionality yet**; it
//! exists so the workspace has its final shape.

pub use chart_core;
