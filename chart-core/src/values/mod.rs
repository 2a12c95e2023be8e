//! Values: Helm's `--set` family parsers, coalescing and schema validation.
mod strvals;
pub use strvals::*;
