//! chart-core's integration tests: data-driven suites over the shared corpora
//! (`../shared`, or `$CHARTKIT_SHARED`) and differential tests against the real helm.

mod support;

mod archive;
mod coalesce_helm;
mod create_names;
mod package;
mod show;
mod strvals;
mod values_golden;
mod yaml_read;
mod yaml_write;
