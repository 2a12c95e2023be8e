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

/// go-yaml v2 `Unmarshal` of the first document. (Not implemented yet.)
pub fn parse_document(_src: &str) -> Result<Value, YamlError> {
    Err(YamlError { message: "not implemented".into(), line: None, column: None })
}

/// sigs.k8s.io/yaml `YAMLToJSON` then `json.Unmarshal`. (Not implemented yet.)
pub fn yaml_to_json(_src: &str) -> Result<Value, YamlError> {
    Err(YamlError { message: "not implemented".into(), line: None, column: None })
}

#[cfg(test)]
mod scratch {
    use saphyr_parser::Parser;

    #[test]
    fn scratch_dump() {
        let Ok(inputs) = std::fs::read_to_string("/tmp/yp/scratch.txt") else { return };
        for src in inputs.split("\n=====\n") {
            println!("=== {src:?}");
            let mut p = Parser::new_from_str(src);
            for _ in 0..60 {
                match p.next_event() {
                    None => break,
                    Some(Ok((ev, span))) => {
                        println!("  {ev:?} @{}:{}-{}:{}", span.start.line(), span.start.col(), span.end.line(), span.end.col());
                        if matches!(ev, saphyr_parser::Event::StreamEnd) { break; }
                    }
                    Some(Err(e)) => {
                        println!("  ERR {} @{}:{} idx{}", e.info(), e.marker().line(), e.marker().col(), e.marker().index());
                        break;
                    }
                }
            }
        }
    }
}
