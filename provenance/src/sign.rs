//! Signing: the provenance text for an archive, clear-signed as `helm package --sign` does.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::body::{metadata_yaml, provenance_body};
use crate::error::ProvenanceError;
use crate::keyring::SigningKey;
use crate::message;

/// Switches for signing; the defaults sign as Helm does.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SignOptions {
    /// The signature's creation time; the current time when `None`.
    pub time: Option<SystemTime>,
}

impl SignOptions {
    /// Options that sign as Helm does, at the current time.
    pub fn new() -> SignOptions {
        SignOptions::default()
    }

    /// Sets [`SignOptions::time`].
    pub fn with_time(mut self, time: SystemTime) -> SignOptions {
        self.time = Some(time);
        self
    }
}

/// Clear-signs `body` (a provenance text, see [`provenance_body`]) with `key`: SHA-512, a
/// version-4 text signature, dash-escaped lines, a `Hash: SHA512` header and no armor
/// headers, laid out byte for byte as Helm writes `.prov` files.
pub fn sign_body(
    body: &str,
    key: &SigningKey,
    opts: &SignOptions,
) -> Result<String, ProvenanceError> {
    let escaped = message::dash_escape(body);
    let signed = message::signed_bytes_of(&escaped);
    let signature = key.sign_text(&signed, opts.time)?;
    Ok(message::encode(&escaped, "SHA512", &signature))
}

/// The provenance document for the chart archive `archive` named `file_name`
/// (`NAME-VERSION.tgz`), signed with `key`, as `helm package --sign` makes it: the archive is
/// loaded to read its metadata, which is written as Helm writes it, followed by the archive's
/// SHA-256.
pub fn sign_archive(
    archive: &[u8],
    file_name: &str,
    key: &SigningKey,
    opts: &SignOptions,
) -> Result<String, ProvenanceError> {
    key.check_secret()?;
    let chart = chart_core::chart::load_bytes(archive).map_err(ProvenanceError::LoadChart)?;
    let md = metadata_yaml(&chart.metadata)?;
    sign_body(&provenance_body(&md, file_name, archive), key, opts)
}

/// Signs the chart archive at `path` and writes `PATH.prov` beside it; returns that path.
pub fn sign_chart_file(
    path: &Path,
    key: &SigningKey,
    opts: &SignOptions,
) -> Result<PathBuf, ProvenanceError> {
    let archive = std::fs::read(path).map_err(|source| ProvenanceError::Read {
        what: "failed to read chart archive",
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prov = sign_archive(&archive, &name, key, opts)?;
    let mut out = path.as_os_str().to_owned();
    out.push(".prov");
    let out = PathBuf::from(out);
    std::fs::write(&out, prov)
        .map_err(|source| ProvenanceError::Write { path: out.clone(), source })?;
    Ok(out)
}
