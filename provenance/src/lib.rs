//! Helm chart provenance (`.prov`) files.
//!
//! This crate will sign and verify `.prov` files with sequoia-openpgp, interoperable with
//! `helm package --sign` and `helm verify`. **It has no functionality yet**; it exists so the
//! workspace has its final shape.

pub use chart_core;
