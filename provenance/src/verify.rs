//! Verifying: a `.prov` file's signature against a keyring, then the archive's checksum.

use std::path::Path;
use std::time::SystemTime;

use chart_core::metadata::Metadata;

use crate::backend;
use crate::body::{digest, parse_body};
use crate::error::ProvenanceError;
use crate::keyring::Keyring;
use crate::message::ClearSigned;

/// Who signed a provenance file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signer {
    /// The signing key's primary fingerprint, upper-case hex (what `helm verify` prints).
    pub fingerprint: String,
    /// The fingerprint of the key that made the signature (a subkey's, or the primary's).
    pub key_fingerprint: String,
    /// The signer's user ids (`Name (Comment) <email>`).
    pub user_ids: Vec<String>,
}

/// A verified chart archive.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Verification {
    /// Who signed it.
    pub signer: Signer,
    /// The archive's file name the checksum was found under.
    pub file_name: String,
    /// The archive's checksum, `sha256:HEX`.
    pub file_hash: String,
    /// The chart metadata the provenance file records (`None` when that part is not a
    /// Chart.yaml; Helm does not read it).
    pub metadata: Option<Metadata>,
    /// When the signature was made.
    pub signed_at: Option<SystemTime>,
}

impl Verification {
    /// The lines `helm verify` prints: `Signed by: ...` for each user id, the fingerprint and
    /// the verified hash, each ending in a line break.
    pub fn helm_report(&self) -> String {
        let mut out = String::new();
        for uid in &self.signer.user_ids {
            out.push_str(&format!("Signed by: {uid}\n"));
        }
        out.push_str(&format!("Using Key With Fingerprint: {}\n", self.signer.fingerprint));
        out.push_str(&format!("Chart Hash Verified: {}\n", self.file_hash));
        out
    }
}

/// Verifies the provenance `prov` of the archive `archive` named `file_name`, as Helm's
/// `Signatory.Verify` does: the clear-signed message must parse, its signature must be by a
/// key of `keyring` and match, the signed text must have a files section, and the entry for
/// `file_name` must be the archive's SHA-256.
pub fn verify(
    archive: &[u8],
    prov: &[u8],
    file_name: &str,
    keyring: &Keyring,
) -> Result<Verification, ProvenanceError> {
    verify_at(archive, prov, file_name, keyring, SystemTime::now())
}

/// [`verify`] with the time expiry is judged at.
pub fn verify_at(
    archive: &[u8],
    prov: &[u8],
    file_name: &str,
    keyring: &Keyring,
    now: SystemTime,
) -> Result<Verification, ProvenanceError> {
    let msg = ClearSigned::parse(prov)?;
    let armored = msg.armored();
    let found = backend::verify(
        keyring.certs(),
        &armored.bytes,
        armored.error.as_deref(),
        msg.signed_bytes(),
        now,
    )?;
    let cert = &keyring.certs()[found.cert];
    let sum = format!("sha256:{}", digest(archive));
    let body = parse_body(msg.plaintext())?;
    match body.files.get(file_name) {
        None => return Err(ProvenanceError::NoEntryForFile { file: file_name.to_owned() }),
        Some(sha) if *sha != sum => {
            return Err(ProvenanceError::ShaMismatch {
                file: file_name.to_owned(),
                expected: sha.clone(),
                actual: sum,
            });
        }
        Some(_) => {}
    }
    Ok(Verification {
        signer: Signer {
            fingerprint: cert.fingerprint(),
            key_fingerprint: found.key_fingerprint,
            user_ids: cert.user_ids(),
        },
        file_name: file_name.to_owned(),
        file_hash: sum,
        metadata: body.metadata,
        signed_at: found.created,
    })
}

/// Verifies the chart archive at `chart` against `CHART.prov` beside it, as `helm verify`
/// does, with the checks in Helm's order: the archive must exist, not be a directory and end
/// in `.tgz`; the `.prov` file must exist; the keyring (see [`Keyring::from_file`]) must load
/// (`failed to load keyring: ...`); then [`verify`].
pub fn verify_chart(chart: &Path, keyring: &Path) -> Result<Verification, ProvenanceError> {
    check_chart_path(chart)?;
    let prov_path = prov_path(chart);
    std::fs::metadata(&prov_path)
        .map_err(|source| ProvenanceError::ProvenanceFile { path: prov_path.clone(), source })?;
    let ring = Keyring::from_file(keyring).map_err(ProvenanceError::Keyring)?;
    verify_chart_with(chart, &ring)
}

/// [`verify_chart`] with a keyring already loaded.
pub fn verify_chart_with(chart: &Path, keyring: &Keyring) -> Result<Verification, ProvenanceError> {
    check_chart_path(chart)?;
    let prov_path = prov_path(chart);
    std::fs::metadata(&prov_path)
        .map_err(|source| ProvenanceError::ProvenanceFile { path: prov_path.clone(), source })?;
    let read = |what, path: &Path| {
        std::fs::read(path).map_err(|source| ProvenanceError::Read {
            what,
            path: path.to_path_buf(),
            source,
        })
    };
    let archive = read("failed to read chart archive", chart)?;
    let prov = read("failed to read provenance file", &prov_path)?;
    let name = chart.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    verify(&archive, &prov, &name, keyring)
}

fn prov_path(chart: &Path) -> std::path::PathBuf {
    let mut p = chart.as_os_str().to_owned();
    p.push(".prov");
    p.into()
}

fn check_chart_path(chart: &Path) -> Result<(), ProvenanceError> {
    let meta = std::fs::metadata(chart)
        .map_err(|source| ProvenanceError::ChartStat { path: chart.to_path_buf(), source })?;
    if meta.is_dir() {
        return Err(ProvenanceError::UnpackedChart);
    }
    let tgz = chart.extension().is_some_and(|e| e.eq_ignore_ascii_case("tgz"));
    if !tgz {
        return Err(ProvenanceError::NotTgz);
    }
    Ok(())
}
