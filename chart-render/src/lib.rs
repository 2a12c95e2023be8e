//! Helm-compatible rendering of chart templates.
//!
//! chartkit's own implementation of Go's `text/template` (lexer → parser → AST → evaluator), with
//! Go's builtins, sprig v3 and Helm's functions, producing what Helm 4.1.4 produces byte for byte.
//!
//! Charts are loaded and their values computed by [`chart_core`]. Templates named `*.hbs` opt in
//! to a second engine, handlebars ([`hbs`]).

#![doc(html_root_url = "https://docs.rs/chart-render/0.1.0")]

pub use chart_core;

mod builtins;
pub mod funcs;
mod fxhash;
mod gofmt;
pub mod hbs;
mod helmfuncs;
pub mod lint;
pub mod manifest;
mod objects;
mod par;
pub mod render;
pub mod template;
pub mod value;

pub use objects::{DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, KubeVersion};
pub use render::{ReleaseInfo, RenderError, Rendered, check_kube_version, render_chart};
pub use template::{ExecError, ExecOptions, Limits, Lookup, NoCluster, ParseError, TemplateSet};
pub use value::Val;

/// How many threads chartkit's parallel work (parsing, reading rendered documents) uses: the
/// available parallelism, at most 8. Read once per process, since the standard library reads
/// cgroup files each time it is asked.
///
/// ```
/// assert!(chart_render::worker_threads() >= 1);
/// ```
pub fn worker_threads() -> usize {
    par::threads()
}
