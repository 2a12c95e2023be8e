//! Helm release records as Helm 3 and 4 store them: the release JSON, gzip-compressed and
//! base64-encoded, in `sh.helm.release.v1.NAME.vN` Secrets (type `helm.sh/release.v1`) or
//! ConfigMaps.

use std::io::{Read as _, Write as _};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chart_core::{Map, Value};

use crate::error::Error;

/// Limit on the decompressed size of a release record (Kubernetes objects are at most 1 MiB,
/// compressed; 64 MiB leaves room while stopping gzip bombs).
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A Helm release as stored by Helm 3/4. Fields Helm writes that this type does not name are
/// kept in `extra` and written back.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Release {
    /// Release name.
    pub name: String,
    /// Release namespace.
    pub namespace: String,
    /// Revision (`vN`).
    pub version: i64,
    /// `info`: `status`, `first_deployed`, `last_deployed`, `deleted`, `description`, `notes`.
    pub info: Value,
    /// The chart as Helm stores it (`metadata`, `templates`, `values`, `schema`, `files`, ...).
    pub chart: Value,
    /// The user-supplied values (`config`).
    pub config: Value,
    /// The rendered manifest.
    pub manifest: String,
    /// The hooks (`name`, `kind`, `path`, `manifest`, `events`, `last_run`, `weight`, ...).
    pub hooks: Vec<Value>,
    /// Other top-level fields, written back as they were.
    pub extra: Map,
}

/// One line of `helm history`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEntry {
    /// Revision.
    pub revision: i64,
    /// `info.last_deployed`.
    pub updated: String,
    /// `info.status` (`deployed`, `superseded`, `failed`, ...).
    pub status: String,
    /// `chart.metadata.name`-`chart.metadata.version`.
    pub chart: String,
    /// `chart.metadata.appVersion`.
    pub app_version: String,
    /// `info.description`.
    pub description: String,
}

fn s(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}

impl Release {
    /// The release status (`info.status`).
    pub fn status(&self) -> &str {
        self.info.get("status").and_then(Value::as_str).unwrap_or_default()
    }

    /// `helm get manifest`: the rendered manifest.
    pub fn get_manifest(&self) -> &str {
        &self.manifest
    }

    /// `helm get values`: the user-supplied values, or with `all` the chart's default values
    /// with the user-supplied ones merged over them.
    pub fn get_values(&self, all: bool) -> Value {
        let user = self.config.as_map().cloned().unwrap_or_default();
        if !all {
            return Value::Map(user);
        }
        let mut base =
            self.chart.get("values").and_then(Value::as_map).cloned().unwrap_or_default();
        chart_core::coalesce::merge_maps(&mut base, user);
        Value::Map(base)
    }

    /// The name of the Secret or ConfigMap Helm stores this revision in.
    pub fn storage_name(&self) -> String {
        format!("sh.helm.release.v1.{}.v{}", self.name, self.version)
    }

    /// The release as Helm's JSON value.
    pub fn to_value(&self) -> Value {
        let mut m = self.extra.clone();
        m.insert("name".into(), Value::String(self.name.clone()));
        m.insert("namespace".into(), Value::String(self.namespace.clone()));
        m.insert("version".into(), Value::Float(self.version as f64));
        m.insert("info".into(), self.info.clone());
        m.insert("chart".into(), self.chart.clone());
        m.insert("config".into(), self.config.clone());
        m.insert("manifest".into(), Value::String(self.manifest.clone()));
        if !self.hooks.is_empty() {
            m.insert("hooks".into(), Value::List(self.hooks.clone()));
        }
        Value::Map(m)
    }

    /// A release from Helm's JSON value.
    pub fn from_value(v: Value) -> Result<Release, Error> {
        let Value::Map(mut m) = v else {
            return Err(Error::Record("the release is not a JSON object".into()));
        };
        let version = match m.remove("version") {
            Some(Value::Float(f)) if f.fract() == 0.0 => f as i64,
            Some(Value::Int(i)) => i,
            None => 0,
            Some(_) => return Err(Error::Record("version is not an integer".into())),
        };
        let hooks = match m.remove("hooks") {
            Some(Value::List(l)) => l,
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(Error::Record("hooks is not a list".into())),
        };
        Ok(Release {
            name: s(m.get("name")),
            namespace: s(m.get("namespace")),
            manifest: s(m.get("manifest")),
            version,
            info: m.remove("info").unwrap_or_default(),
            chart: m.remove("chart").unwrap_or_default(),
            config: m.remove("config").unwrap_or_default(),
            hooks,
            extra: {
                m.remove("name");
                m.remove("namespace");
                m.remove("manifest");
                m
            },
        })
    }

    /// This release's line of `helm history`.
    pub fn history_entry(&self) -> HistoryEntry {
        let meta = self.chart.get("metadata");
        HistoryEntry {
            revision: self.version,
            updated: s(self.info.get("last_deployed")),
            status: s(self.info.get("status")),
            chart: format!(
                "{}-{}",
                s(meta.and_then(|m| m.get("name"))),
                s(meta.and_then(|m| m.get("version")))
            ),
            app_version: s(meta.and_then(|m| m.get("appVersion"))),
            description: s(self.info.get("description")),
        }
    }
}

/// `helm history`: the revisions of one release, oldest first.
pub fn history(releases: &[Release]) -> Vec<HistoryEntry> {
    let mut v: Vec<HistoryEntry> = releases.iter().map(Release::history_entry).collect();
    v.sort_by_key(|e| e.revision);
    v
}

/// Helm's `encodeRelease`: JSON, gzip (best compression), base64. This is the text of a
/// ConfigMap's `data.release`; a Secret's `data.release` is this text base64-encoded once more
/// by Kubernetes.
pub fn encode_release(release: &Release) -> Result<String, Error> {
    let json = release.to_value().to_json(false).map_err(|e| Error::Record(e.to_string()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(json.as_bytes())?;
    Ok(STANDARD.encode(gz.finish()?))
}

/// Helm's `decodeRelease`: base64, gunzip when gzip-compressed, JSON.
///
/// ```
/// use release_diff::{decode_release, encode_release, Release};
/// let mut r = Release::default();
/// r.name = "web".into();
/// r.version = 3;
/// r.manifest = "---\nkind: ConfigMap\n".into();
/// let text = encode_release(&r).unwrap();
/// assert_eq!(decode_release(&text).unwrap(), r);
/// ```
pub fn decode_release(data: &str) -> Result<Release, Error> {
    let bytes = STANDARD.decode(data.trim())?;
    let json = if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut out)?;
        if out.len() as u64 > MAX_RECORD_BYTES {
            return Err(Error::Record("the release is larger than 64 MiB".into()));
        }
        out
    } else {
        bytes
    };
    let v: serde_json::Value = serde_json::from_slice(&json)?;
    Release::from_value(Value::from_json(v))
}

/// Reads a release from the Secret or ConfigMap object Helm stored it in.
pub fn release_from_object(object: &Value) -> Result<Release, Error> {
    let data = object
        .get("data")
        .and_then(|d| d.get("release"))
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Record("the object has no data.release".into()))?;
    match object.get("kind").and_then(Value::as_str) {
        Some("Secret") => {
            let inner = STANDARD.decode(data.trim())?;
            let inner = String::from_utf8(inner).map_err(|e| Error::Record(e.to_string()))?;
            decode_release(&inner)
        }
        _ => decode_release(data),
    }
}

/// The Secret Helm's Secret driver writes for a release (`type: helm.sh/release.v1`, labels
/// `name`, `owner: helm`, `status`, `version`).
pub fn release_to_secret(release: &Release) -> Result<Value, Error> {
    let text = encode_release(release)?;
    let obj = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": release.storage_name(),
            "namespace": release.namespace,
            "labels": {
                "name": release.name,
                "owner": "helm",
                "status": release.status(),
                "version": release.version.to_string(),
            },
        },
        "type": "helm.sh/release.v1",
        "data": { "release": STANDARD.encode(text.as_bytes()) },
    });
    Ok(Value::from_json(obj))
}
