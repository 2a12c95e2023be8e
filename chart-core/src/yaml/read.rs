//! The YAML reader (being written; see the module docs of `yaml`).

use crate::Value;

/// A YAML document Helm would refuse, with go-yaml's / sigs.k8s.io's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct YamlError {
    /// The message as Helm prints it after `cannot unmarshal yaml document: `.
    pub message: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
}

/// Reads a values file the way Helm 4 does. (Not implemented yet.)
pub fn parse_values(_src: &str) -> Result<Value, YamlError> {
    Err(YamlError { message: "not implemented".into(), line: None, column: None })
}
