//! Helm chart repositories.
//!
//! This crate will own `index.yaml` (generate, merge, parse), search, SemVer resolution,
//! `Chart.lock`, repository credentials and the HTTP / OCI / object-storage transports.
//! **It has no functionality yet**; it exists so the workspace has its final shape.

pub use chart_core;
