//! `Chart.yaml`, `Chart.lock` and their v1 predecessors `requirements.yaml` / `requirements.lock`,
//! decoded the way Helm 4 decodes them and validated with Helm's rules and messages.
//!
//! Helm unmarshals these files with sigs.k8s.io/yaml into Go structs: YAML 1.1 scalars are
//! resolved first, a number or boolean written where the struct has a string becomes that
//! string (`appVersion: 1.10` is `"1.1"`, floats printed with `float32` precision), JSON field
//! names match case-insensitively, and a value of the wrong shape is an error naming the field.
//! Fields Helm does not know are ignored by Helm; chartkit keeps them in
//! [`Metadata::unknown_fields`] so lint can warn about them.

use crate::value::{Map, Value};
use crate::yaml;

/// Chart API version `v1` (Helm 2 charts, dependencies in requirements.yaml).
pub const API_VERSION_V1: &str = "v1";
/// Chart API version `v2` (Helm 3 and 4 charts).
pub const API_VERSION_V2: &str = "v2";

/// A maintainer entry of Chart.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Maintainer {
    /// User or organisation name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Contact e-mail.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// Contact URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// A dependency declared in Chart.yaml (v2) or requirements.yaml (v1), or locked in Chart.lock.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Dependency {
    /// The chart's name; must match the name in the dependency's own Chart.yaml.
    pub name: String,
    /// A version or SemVer range.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Repository URL (or `file://`, `oci://`, `@alias`).
    pub repository: String,
    /// Comma-separated value paths that resolve to booleans enabling the chart.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Tags enabling the chart in groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Set by dependency processing: whether the chart is loaded.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enabled: bool,
    /// Values to import from the child into the parent: strings or `{child, parent}` maps.
    #[serde(rename = "import-values", skip_serializing_if = "Vec::is_empty")]
    pub import_values: Vec<Value>,
    /// Name under which the chart is used (its values key and template name).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub alias: String,
}

impl Dependency {
    /// The name the dependency is known by in its parent: the alias if set, else the name.
    pub fn effective_name(&self) -> &str {
        if self.alias.is_empty() { &self.name } else { &self.alias }
    }
}

/// The contents of Chart.yaml.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Metadata {
    /// The chart name. Required.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Project home page.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub home: String,
    /// Source code URLs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Chart version (SemVer). Required.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// One-sentence description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Search keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Maintainers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub maintainers: Vec<Maintainer>,
    /// Icon URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icon: String,
    /// `v1` or `v2`. Required (a missing one means `v1`, as Helm 2 allowed).
    #[serde(rename = "apiVersion", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Condition enabling the chart (Helm 2 era field).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Tags enabling the chart (Helm 2 era field).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tags: String,
    /// Version of the packaged application.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_version: String,
    /// Whether the chart is deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Free-form annotations.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub annotations: std::collections::BTreeMap<String, String>,
    /// SemVer constraint on the Kubernetes version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kube_version: String,
    /// Declared dependencies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// `application` (default when empty) or `library`.
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub chart_type: String,
    /// Top-level keys Helm does not know (Helm drops them silently; lint warns).
    #[serde(skip)]
    pub unknown_fields: Map,
}

impl Metadata {
    /// Whether this is a library chart.
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }
}

/// The contents of Chart.lock / requirements.lock.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Lock {
    /// When the lock was generated (RFC 3339 text, kept as written).
    pub generated: String,
    /// Digest of the dependencies in Chart.yaml.
    pub digest: String,
    /// Locked dependencies.
    pub dependencies: Vec<Dependency>,
}

/// An error decoding or validating chart metadata. `Display` gives Helm's message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The file is not valid YAML.
    #[error("{0}")]
    Yaml(#[from] yaml::YamlError),
    /// A field has the wrong shape, as Go's JSON decoder reports it.
    #[error(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go struct field {field} of type {expected}"
    )]
    WrongType {
        /// JSON kind found: `string`, `number`, `bool`, `array`, `object`.
        found: &'static str,
        /// `Struct.path.to.field`, as Go names it.
        field: String,
        /// The Go type expected.
        expected: &'static str,
    },
    /// The top level of the document is not a mapping.
    #[error(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go value of type {target}"
    )]
    NotAMapping {
        /// JSON kind found.
        found: &'static str,
        /// The Go type name (`v2.Metadata`).
        target: &'static str,
    },
    /// Helm's metadata validation failed (`validation: ...`).
    #[error("validation: {0}")]
    Validation(String),
}

/// Field-by-field decoder with Go's `encoding/json` + sigs.k8s.io/yaml conventions.
struct Decoder<'a> {
    strukt: &'a str,
}

impl Decoder<'_> {
    fn err(&self, v: &Value, path: &str, expected: &'static str) -> MetadataError {
        MetadataError::WrongType {
            found: v.json_kind(),
            field: format!("{}.{}", self.strukt, path),
            expected,
        }
    }

    /// A string field: sigs.k8s.io/yaml turns YAML numbers and booleans into their text.
    fn string(&self, v: &Value, path: &str) -> Result<String, MetadataError> {
        match v {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s.clone()),
            Value::Int(i) => Ok(i.to_string()),
            Value::Float(f) => Ok(crate::gofmt::format_float_g32(*f)),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(self.err(v, path, "string")),
        }
    }

    fn bool(&self, v: &Value, path: &str) -> Result<bool, MetadataError> {
        match v {
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(*b),
            _ => Err(self.err(v, path, "bool")),
        }
    }

    fn strings(&self, v: &Value, path: &str) -> Result<Vec<String>, MetadataError> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::List(l) => l.iter().map(|x| self.string(x, path)).collect(),
            _ => Err(self.err(v, path, "[]string")),
        }
    }

    fn string_map(
        &self,
        v: &Value,
        path: &str,
    ) -> Result<std::collections::BTreeMap<String, String>, MetadataError> {
        match v {
            Value::Null => Ok(Default::default()),
            Value::Map(m) => {
                m.iter().map(|(k, x)| Ok((k.clone(), self.string(x, path)?))).collect()
            }
            _ => Err(self.err(v, path, "map[string]string")),
        }
    }
}

/// Looks a JSON field up the way Go's decoder assigns it: every key equal to the name up to
/// case is assigned in key order (sorted, as sigs.k8s.io/yaml's JSON has them), so the last wins.
fn field<'v>(m: &'v Map, name: &str) -> Option<&'v Value> {
    m.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).next_back()
}

/// The fields of Helm's `Metadata` (JSON names; matched without regard to case).
pub(crate) const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];

fn decode_dependency(
    d: &Decoder<'_>,
    v: &Value,
    path: &str,
) -> Result<Option<Dependency>, MetadataError> {
    let m = match v {
        Value::Null => return Ok(None),
        Value::Map(m) => m,
        other => return Err(d.err(other, path, "v2.Dependency")),
    };
    let get = |n: &str| field(m, n).unwrap_or(&Value::Null);
    let import_values = match get("import-values") {
        Value::Null => Vec::new(),
        Value::List(l) => l.iter().cloned().map(Value::into_json_numbers).collect(),
        other => return Err(d.err(other, &format!("{path}.import-values"), "[]interface {}")),
    };
    Ok(Some(Dependency {
        name: d.string(get("name"), &format!("{path}.name"))?,
        version: d.string(get("version"), &format!("{path}.version"))?,
        repository: d.string(get("repository"), &format!("{path}.repository"))?,
        condition: d.string(get("condition"), &format!("{path}.condition"))?,
        tags: d.strings(get("tags"), &format!("{path}.tags"))?,
        enabled: d.bool(get("enabled"), &format!("{path}.enabled"))?,
        import_values,
        alias: d.string(get("alias"), &format!("{path}.alias"))?,
    }))
}

/// Dependencies list; `None` entries are YAML nulls, which validation rejects.
fn decode_dependencies(
    d: &Decoder<'_>,
    v: &Value,
    path: &str,
) -> Result<Vec<Option<Dependency>>, MetadataError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::List(l) => l.iter().map(|x| decode_dependency(d, x, path)).collect(),
        other => Err(d.err(other, path, "[]*v2.Dependency")),
    }
}

/// Chart.yaml decoded but not yet validated; nulls in lists are kept so validation can report
/// them as Helm does.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawMetadata {
    pub(crate) meta: Metadata,
    pub(crate) null_maintainer: bool,
    pub(crate) null_dependency: bool,
}

fn document_map(text: &str, target: &'static str) -> Result<Map, MetadataError> {
    match yaml::parse_document(text)? {
        Value::Null => Ok(Map::new()),
        Value::Map(m) => Ok(m),
        other => Err(MetadataError::NotAMapping { found: other.json_kind(), target }),
    }
}

/// Decodes Chart.yaml text into `into` (fields present in the text overwrite it, as Go's
/// decoder does), without validating.
pub(crate) fn decode_metadata_into(
    text: &str,
    into: &mut RawMetadata,
) -> Result<(), MetadataError> {
    let m = document_map(text, "v2.Metadata")?;
    let d = Decoder { strukt: "Metadata" };
    let md = &mut into.meta;
    for (key, v) in &m {
        let Some(name) = METADATA_FIELDS.iter().find(|f| f.eq_ignore_ascii_case(key)) else {
            md.unknown_fields.insert(key.clone(), v.clone());
            continue;
        };
        // Go assigns in key order, so a later key folding to the same field wins; the map
        // iterates in sorted order, which is the order Go's JSON text had.
        let name = *name;
        match name {
            "name" => md.name = d.string(v, name)?,
            "home" => md.home = d.string(v, name)?,
            "sources" => md.sources = d.strings(v, name)?,
            "version" => md.version = d.string(v, name)?,
            "description" => md.description = d.string(v, name)?,
            "keywords" => md.keywords = d.strings(v, name)?,
            "maintainers" => {
                into.null_maintainer = false;
                md.maintainers = match v {
                    Value::Null => Vec::new(),
                    Value::List(l) => {
                        let mut out = Vec::new();
                        for x in l {
                            match x {
                                Value::Null => into.null_maintainer = true,
                                Value::Map(mm) => {
                                    let g = |n: &str| field(mm, n).unwrap_or(&Value::Null);
                                    out.push(Maintainer {
                                        name: d.string(g("name"), "maintainers.name")?,
                                        email: d.string(g("email"), "maintainers.email")?,
                                        url: d.string(g("url"), "maintainers.url")?,
                                    });
                                }
                                other => {
                                    return Err(d.err(other, "maintainers", "v2.Maintainer"));
                                }
                            }
                        }
                        out
                    }
                    other => return Err(d.err(other, name, "[]*v2.Maintainer")),
                };
            }
            "icon" => md.icon = d.string(v, name)?,
            "apiVersion" => md.api_version = d.string(v, name)?,
            "condition" => md.condition = d.string(v, name)?,
            "tags" => md.tags = d.string(v, name)?,
            "appVersion" => md.app_version = d.string(v, name)?,
            "deprecated" => md.deprecated = d.bool(v, name)?,
            "annotations" => md.annotations = d.string_map(v, name)?,
            "kubeVersion" => md.kube_version = d.string(v, name)?,
            "dependencies" => {
                let deps = decode_dependencies(&d, v, name)?;
                into.null_dependency = deps.iter().any(Option::is_none);
                md.dependencies = deps.into_iter().flatten().collect();
            }
            "type" => md.chart_type = d.string(v, name)?,
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a lock file (Chart.lock or requirements.lock).
pub fn parse_lock(text: &str) -> Result<Lock, MetadataError> {
    let m = document_map(text, "v2.Lock")?;
    let d = Decoder { strukt: "Lock" };
    let get = |n: &str| field(&m, n).unwrap_or(&Value::Null);
    let generated = match get("generated") {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => return Err(d.err(other, "generated", "time.Time")),
    };
    Ok(Lock {
        generated,
        digest: d.string(get("digest"), "digest")?,
        dependencies: decode_dependencies(&d, get("dependencies"), "dependencies")?
            .into_iter()
            .flatten()
            .collect(),
    })
}

/// Decodes and validates Chart.yaml text, as Helm does when loading a chart.
///
/// ```
/// let md = chart_core::metadata::parse_chart_yaml(
///     "apiVersion: v2\nname: web\nversion: 1.2.3\nappVersion: 1.10\n",
/// ).unwrap();
/// assert_eq!(md.app_version, "1.1");
/// ```
pub fn parse_chart_yaml(text: &str) -> Result<Metadata, MetadataError> {
    let mut raw = RawMetadata::default();
    decode_metadata_into(text, &mut raw)?;
    if raw.meta.api_version.is_empty() {
        raw.meta.api_version = API_VERSION_V1.to_owned();
    }
    validate(&mut raw)?;
    Ok(raw.meta)
}

/// Go's `unicode.IsSpace` → `' '`, non-printable characters dropped (Helm's `sanitizeString`).
fn sanitize(s: &mut String) {
    use crate::gofmt::is_go_print;
    if s.chars().all(|c| !c.is_whitespace() && is_go_print(c) || c == ' ') {
        return;
    }
    *s = s
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_go_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect();
}

fn is_alias_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Validates metadata as Helm's `Metadata.Validate` does, sanitising strings in place.
pub(crate) fn validate(raw: &mut RawMetadata) -> Result<(), MetadataError> {
    let md = &mut raw.meta;
    for s in [
        &mut md.name,
        &mut md.description,
        &mut md.home,
        &mut md.icon,
        &mut md.condition,
        &mut md.tags,
        &mut md.app_version,
        &mut md.kube_version,
    ] {
        sanitize(s);
    }
    md.sources.iter_mut().chain(md.keywords.iter_mut()).for_each(sanitize);
    let v = |m: &str| Err(MetadataError::Validation(m.to_owned()));
    if md.api_version.is_empty() {
        return v("chart.metadata.apiVersion is required");
    }
    if md.name.is_empty() {
        return v("chart.metadata.name is required");
    }
    if md.name == "." || md.name == ".." {
        return Err(MetadataError::Validation(format!(
            "chart.metadata.name {:?} is not allowed",
            md.name
        )));
    }
    if md.name.contains('/') || md.name.contains(std::path::MAIN_SEPARATOR) {
        return Err(MetadataError::Validation(format!(
            "chart.metadata.name {:?} is invalid",
            md.name
        )));
    }
    if md.version.is_empty() {
        return v("chart.metadata.version is required");
    }
    if crate::semver_loose::parse(&md.version).is_none() {
        return Err(MetadataError::Validation(format!(
            "chart.metadata.version {:?} is invalid",
            md.version
        )));
    }
    if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
        return v("chart.metadata.type must be application or library");
    }
    if raw.null_maintainer {
        return v("maintainers must not contain empty or null nodes");
    }
    for m in &mut md.maintainers {
        sanitize(&mut m.name);
        sanitize(&mut m.email);
        sanitize(&mut m.url);
    }
    if raw.null_dependency {
        return v("dependencies must not contain empty or null nodes");
    }
    let mut seen = std::collections::BTreeSet::new();
    for d in &mut md.dependencies {
        for s in [&mut d.name, &mut d.version, &mut d.repository, &mut d.condition] {
            sanitize(s);
        }
        d.tags.iter_mut().for_each(sanitize);
        if !d.alias.is_empty() && !is_alias_name(&d.alias) {
            return Err(MetadataError::Validation(format!(
                "dependency {:?} has disallowed characters in the alias",
                d.name
            )));
        }
        if !seen.insert(d.effective_name().to_owned()) {
            return Err(MetadataError::Validation(format!(
                "more than one dependency with name or alias {:?}",
                d.effective_name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_become_strings_like_sigs_yaml() {
        // Observed with helm 4.1.4: appVersion 3.14159265 -> "3.1415927", description 1e21
        // -> "1e+21", annotations values 0x10 -> "16", keywords [1, 2.50, yes] -> [1 2.5 true].
        let md = parse_chart_yaml(
            "apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: 3.14159265\ndescription: 1e21\nannotations: {a: 1.5, b: true, c: 0x10, d: 1000000}\nkeywords: [1, 2.50, yes]\n",
        )
        .expect("valid");
        assert_eq!(md.app_version, "3.1415927");
        assert_eq!(md.description, "1e+21");
        assert_eq!(md.annotations["c"], "16");
        assert_eq!(md.annotations["d"], "1000000");
        assert_eq!(md.keywords, ["1", "2.5", "true"]);
    }

    #[test]
    fn validation_messages_match_helm() {
        let e = |t: &str| parse_chart_yaml(t).expect_err("invalid").to_string();
        assert_eq!(
            e("apiVersion: v2\nname: a/b\nversion: 0.1.0\n"),
            "validation: chart.metadata.name \"a/b\" is invalid"
        );
        assert_eq!(
            e("apiVersion: v2\nname: c\nversion: 1.2.3.4\n"),
            "validation: chart.metadata.version \"1.2.3.4\" is invalid"
        );
        assert_eq!(
            e("apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: d\n- name: d\n"),
            "validation: more than one dependency with name or alias \"d\""
        );
        assert_eq!(
            e("apiVersion: v2\nname: c\nversion: 0.1.0\ndeprecated: \"yes\"\n"),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"
        );
    }

    #[test]
    fn sanitize_drops_non_printables_like_go() {
        // Helm's sanitizeString: unicode.IsSpace -> ' ', unicode.IsPrint kept, the rest dropped.
        let md = parse_chart_yaml(
            "apiVersion: v2\nname: c\nversion: 0.1.0\ndescription: \"a\\u200bb\\tc\\u00a0d\"\n",
        )
        .expect("valid");
        assert_eq!(md.description, "ab c d");
    }

    #[test]
    fn keys_match_case_insensitively_and_unknown_are_kept() {
        let md =
            parse_chart_yaml("apiVersion: v2\nName: c\nVERSION: 0.1.0\nfoo: bar\n").expect("valid");
        assert_eq!(md.name, "c");
        assert_eq!(md.version, "0.1.0");
        assert_eq!(md.unknown_fields.get("foo"), Some(&Value::from("bar")));
    }
}
