//! Helm-compatible rendering of chart templates.
//!
//! This crate will hold chartkit's own Go `text/template` engine (lexer, parser, evaluator) with
//! Go's builtins, sprig and Helm's functions, and the walk over a chart tree that `helm template`
//! performs. **It does not render anything yet**: the engine is the subject of a later issue and
//! nothing in this crate should be relied on until then.
//!
//! Charts are loaded and their values computed by [`chart_core`].

#![doc(html_root_url = "https://docs.rs/chart-render/0.1.0")]

pub use chart_core;
