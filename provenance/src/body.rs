//! The signed text of a `.prov` file: the chart's metadata, a `...` line, and the checksums.

use std::collections::BTreeMap;

use chart_core::metadata::Metadata;
use chart_core::{Value, yaml};
use sha2::{Digest, Sha256};

use crate::error::ProvenanceError;

/// The SHA-256 of `data` as lower-case hex, as Helm's `provenance.Digest` computes it.
///
/// ```
/// assert_eq!(
///     chart_provenance::digest(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn digest(data: &[u8]) -> String {
    let sum = Sha256::digest(data);
    let mut out = String::with_capacity(64);
    for b in sum {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// Chart metadata as Helm writes it into a `.prov` file: sigs.k8s.io/yaml of Helm's
/// `Metadata` struct (JSON field names, keys sorted, empty fields left out). Unlike the
/// archive's Chart.yaml, a v1 chart's dependencies (from its requirements.yaml) are included,
/// as they are in the metadata Helm loads.
pub fn metadata_yaml(md: &Metadata) -> Result<String, ProvenanceError> {
    let json = serde_json::to_value(md).map_err(|e| ProvenanceError::Metadata(e.to_string()))?;
    yaml::marshal(&Value::from_json(json)).map_err(|e| ProvenanceError::Metadata(e.to_string()))
}

/// The text Helm signs for the archive `file_name` whose bytes are `archive`: `metadata_yaml`
/// (as [`metadata_yaml`] writes it), a `...` line, and `files:` with the one entry
/// `FILE: sha256:HEX`.
///
/// ```
/// let body = chart_provenance::provenance_body("name: a\n", "a-1.0.0.tgz", b"");
/// assert_eq!(
///     body,
///     "name: a\n\n...\nfiles:\n  a-1.0.0.tgz: \
///      sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
/// );
/// ```
pub fn provenance_body(metadata_yaml: &str, file_name: &str, archive: &[u8]) -> String {
    let mut files = chart_core::Map::new();
    files.insert(file_name.to_owned(), Value::String(format!("sha256:{}", digest(archive))));
    let mut sums = chart_core::Map::new();
    sums.insert("files".to_owned(), Value::Map(files));
    // A map of strings always marshals; fall back to the plain layout for safety.
    let sums_yaml = yaml::marshal(&Value::Map(sums))
        .unwrap_or_else(|_| format!("files:\n  {file_name}: sha256:{}\n", digest(archive)));
    format!("{metadata_yaml}\n...\n{sums_yaml}")
}

/// The two parts of a signed provenance text, read as Helm reads them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProvenanceBody {
    /// The chart metadata from the first part, when it parses as a Chart.yaml (Helm ignores
    /// this part when verifying).
    pub metadata: Option<Metadata>,
    /// `files:`: archive file name to checksum (`sha256:HEX`), as written.
    pub files: BTreeMap<String, String>,
}

/// Splits a signed text at its first `\n...\n` and reads the second part as Helm's
/// `SumCollection` (sigs.k8s.io/yaml: YAML converted to JSON, then decoded; field names match
/// without regard to case, a `null` checksum is the empty string).
///
/// ```
/// let body = chart_provenance::parse_body(b"name: a\nversion: 1.0.0\n\n...\nfiles:\n  a-1.0.0.tgz: sha256:00\n")
///     .unwrap();
/// assert_eq!(body.files["a-1.0.0.tgz"], "sha256:00");
/// assert_eq!(body.metadata.unwrap().name, "a");
/// assert!(chart_provenance::parse_body(b"name: a\n").is_err());
/// ```
pub fn parse_body(plaintext: &[u8]) -> Result<ProvenanceBody, ProvenanceError> {
    const SEP: &[u8] = b"\n...\n";
    let split = plaintext.windows(SEP.len()).position(|w| w == SEP);
    let Some(at) = split else {
        return Err(ProvenanceError::MissingFilesSection);
    };
    let first = &plaintext[..at];
    let rest = &plaintext[at + SEP.len()..];
    let second = match rest.windows(SEP.len()).position(|w| w == SEP) {
        Some(end) => &rest[..end],
        None => rest,
    };
    let files = parse_sums(&String::from_utf8_lossy(second))?;
    let metadata = std::str::from_utf8(first)
        .ok()
        .and_then(|t| chart_core::metadata::parse_chart_yaml(t).ok());
    Ok(ProvenanceBody { metadata, files })
}

const SUMS_TYPE: &str = "provenance.SumCollection";

fn json_error(text: String) -> ProvenanceError {
    ProvenanceError::InvalidFilesSection(format!(
        "error unmarshaling JSON: while decoding JSON: json: {text}"
    ))
}

fn parse_sums(text: &str) -> Result<BTreeMap<String, String>, ProvenanceError> {
    let doc = yaml::yaml_to_json(text)
        .map_err(|e| ProvenanceError::InvalidFilesSection(e.message.clone()))?;
    let mut files = BTreeMap::new();
    let map = match &doc {
        Value::Null => return Ok(files),
        Value::Map(m) => m,
        other => {
            return Err(json_error(format!(
                "cannot unmarshal {} into Go value of type {SUMS_TYPE}",
                other.json_kind()
            )));
        }
    };
    // encoding/json matches field names without regard to case; the exact name wins.
    let entry = map
        .get("files")
        .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case("files")).map(|(_, v)| v));
    if let Some((key, v)) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case("images")) {
        if !matches!(v, Value::Map(_) | Value::Null) {
            return Err(json_error(format!(
                "cannot unmarshal {} into Go struct field SumCollection.{key} of type map[string]string",
                v.json_kind()
            )));
        }
    }
    match entry {
        None | Some(Value::Null) => {}
        Some(Value::Map(m)) => {
            for (name, sum) in m {
                let sum = match sum {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => {
                        return Err(json_error(format!(
                            "cannot unmarshal {} into Go struct field SumCollection.files of type string",
                            other.json_kind()
                        )));
                    }
                };
                files.insert(name.clone(), sum);
            }
        }
        Some(other) => {
            return Err(json_error(format!(
                "cannot unmarshal {} into Go struct field SumCollection.files of type map[string]string",
                other.json_kind()
            )));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_shapes() {
        assert!(parse_sums("").expect("empty").is_empty());
        assert!(parse_sums("files: {}").expect("empty map").is_empty());
        assert_eq!(parse_sums("Files:\n  a: b\n").expect("any case")["a"], "b");
        let err = parse_sums("files: [1]").expect_err("list").to_string();
        assert!(err.ends_with("cannot unmarshal array into Go struct field SumCollection.files of type map[string]string"), "{err}");
        let err = parse_sums("- a").expect_err("top list").to_string();
        assert!(err.ends_with("into Go value of type provenance.SumCollection"), "{err}");
        let err = parse_sums("files:\n  a: 1\n").expect_err("number").to_string();
        assert!(err.contains("cannot unmarshal number"), "{err}");
        assert!(parse_sums("files: [").is_err());
    }
}
