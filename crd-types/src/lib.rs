//! Rust types for Helm-related Kubernetes custom resources.
//!
//! This crate will hold FluxHelmRelease, Flux's HelmRelease and the Helm 3 CRD proposal types,
//! with kube-rs derives behind a feature. **It has no types yet**; it exists so the workspace has
//! its final shape.

pub use chart_core;
