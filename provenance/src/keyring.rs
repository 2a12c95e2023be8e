//! Keyrings: the keys a signature is checked against, and where a signing key is chosen.

use std::path::{Path, PathBuf};

use crate::backend::{self, Cert};
use crate::error::{KeyringError, ProvenanceError};
use crate::message;

/// A set of OpenPGP keys (certificates), public or secret, read from a keyring file.
///
/// Reads what Helm reads, a binary OpenPGP keyring (GnuPG's `pubring.gpg` or `secring.gpg`,
/// `gpg --export` output), and also what Helm 4.1.4 refuses: ASCII-armored keyrings
/// (`gpg --export --armor`), several armored blocks concatenated included.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    certs: Vec<Cert>,
}

/// A key of a [`Keyring`], as [`Keyring::keys`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyInfo {
    /// The primary key's fingerprint, upper-case hex.
    pub fingerprint: String,
    /// The user ids (`Name (Comment) <email>`).
    pub user_ids: Vec<String>,
    /// Whether the primary key's secret part is in the keyring.
    pub has_secret: bool,
}

/// Whether `data` starts (after white space) with an armor line.
fn is_armored(data: &[u8]) -> bool {
    let start = data.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(data.len());
    data[start..].starts_with(b"-----BEGIN PGP ")
}

impl Keyring {
    /// An empty keyring (every signature is then by an unknown entity).
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Reads a keyring from bytes: binary OpenPGP packets or ASCII armor.
    ///
    /// A binary keyring is read as Go's `ReadKeyRing` reads it: keys that do not parse are
    /// skipped; data that is not OpenPGP at all (a GnuPG keybox, say) fails with Helm's
    /// `openpgp: invalid data: tag byte does not have MSB set`.
    pub fn from_bytes(data: &[u8]) -> Result<Keyring, KeyringError> {
        if is_armored(data) {
            return Keyring::from_armored(data);
        }
        if data.first().is_some_and(|b| b & 0x80 == 0) {
            return Err(KeyringError::NotOpenPgp);
        }
        let certs = backend::parse_keyring(data).map_err(KeyringError::Malformed)?;
        Ok(Keyring { certs })
    }

    fn from_armored(data: &[u8]) -> Result<Keyring, KeyringError> {
        let mut certs = Vec::new();
        let mut rest = data;
        const END: &[u8] = b"-----END PGP ";
        while is_armored(rest) {
            let block = message::decode_armor(rest)
                .ok_or_else(|| KeyringError::Malformed("armor invalid".into()))?;
            if let Some(e) = block.error {
                return Err(KeyringError::Malformed(e));
            }
            certs.extend(backend::parse_keyring(&block.bytes).map_err(KeyringError::Malformed)?);
            // Move past this block's end line.
            let Some(at) = rest.windows(END.len()).position(|w| w == END) else { break };
            let after = &rest[at + END.len()..];
            rest = match after.iter().position(|&b| b == b'\n') {
                Some(nl) => &after[nl + 1..],
                None => &after[after.len()..],
            };
        }
        if certs.is_empty() {
            return Err(KeyringError::Malformed("no keys found".into()));
        }
        Ok(Keyring { certs })
    }

    /// Reads a keyring file (see [`Keyring::from_bytes`]).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Keyring, KeyringError> {
        let path = path.as_ref();
        let data = std::fs::read(path)
            .map_err(|source| KeyringError::Io { path: path.to_path_buf(), source })?;
        Keyring::from_bytes(&data)
    }

    /// How many keys (certificates) the keyring holds.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Whether the keyring holds no key.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The keys, in keyring order.
    pub fn keys(&self) -> Vec<KeyInfo> {
        self.certs
            .iter()
            .map(|c| KeyInfo {
                fingerprint: c.fingerprint(),
                user_ids: c.user_ids(),
                has_secret: c.has_secret_primary(),
            })
            .collect()
    }

    /// Adds the keys of `other`.
    pub fn extend(&mut self, other: Keyring) {
        self.certs.extend(other.certs);
    }

    pub(crate) fn certs(&self) -> &[Cert] {
        &self.certs
    }

    /// Chooses the key to sign with as `helm package --sign --key NAME` does: the first key
    /// with a user id equal to `name`, else the one key with a user id containing it. Fails
    /// with `more than one key contain the id "NAME"` when several user ids contain it and
    /// none equals it, and with `private key not found` when none does (or `name` is empty).
    ///
    /// The key found signs with its primary key, as Helm's does; see
    /// [`SigningKey::with_subkey`] to sign with a subkey instead.
    pub fn signing_key(&self, name: &str) -> Result<SigningKey, ProvenanceError> {
        if name.is_empty() {
            return Err(ProvenanceError::KeyNotFound);
        }
        let mut candidate = None;
        let mut matches = 0;
        for cert in &self.certs {
            for uid in cert.user_ids() {
                if uid == name {
                    return Ok(SigningKey::new(cert.clone()));
                }
                if uid.contains(name) {
                    matches += 1;
                    candidate = Some(cert);
                }
            }
        }
        if matches > 1 {
            return Err(ProvenanceError::AmbiguousKey { id: name.to_owned() });
        }
        candidate.map(|c| SigningKey::new(c.clone())).ok_or(ProvenanceError::KeyNotFound)
    }
}

/// A secret key chosen to sign with (see [`Keyring::signing_key`]).
#[derive(Debug, Clone)]
pub struct SigningKey {
    cert: Cert,
    /// The subkey to sign with (its fingerprint); the primary key when `None`.
    subkey: Option<String>,
}

impl SigningKey {
    fn new(cert: Cert) -> SigningKey {
        SigningKey { cert, subkey: None }
    }

    /// Signs with the subkey whose fingerprint or key id (hex) is `handle` instead of the
    /// primary key. Helm always signs with the primary key, so this is for keys whose primary
    /// key may not sign; the subkey must carry the signing flag and its secret part.
    pub fn with_subkey(mut self, handle: &str) -> Result<SigningKey, ProvenanceError> {
        let fpr = self
            .cert
            .signing_subkey(handle)
            .ok_or_else(|| ProvenanceError::NoSuchSubkey(handle.to_owned()))?;
        self.subkey = Some(fpr);
        Ok(self)
    }

    /// The primary key's fingerprint.
    pub fn fingerprint(&self) -> String {
        self.cert.fingerprint()
    }

    /// The key's user ids.
    pub fn user_ids(&self) -> Vec<String> {
        self.cert.user_ids()
    }

    /// The name Helm shows when asking for the passphrase: the first user id, or `Unknown`.
    pub fn name(&self) -> String {
        self.user_ids().into_iter().find(|u| !u.is_empty()).unwrap_or_else(|| "Unknown".into())
    }

    /// Whether the secret key is protected by a passphrase (and not yet unlocked).
    pub fn is_encrypted(&self) -> bool {
        self.cert.secret_is_encrypted(self.subkey.as_deref())
    }

    /// Checks that the secret part is present, as Helm does before signing.
    pub fn check_secret(&self) -> Result<(), ProvenanceError> {
        let present = match &self.subkey {
            None => self.cert.has_secret_primary(),
            Some(_) => true,
        };
        if present { Ok(()) } else { Err(ProvenanceError::NotASecretKey) }
    }

    /// Unlocks a passphrase-protected secret key. Does nothing when it is not protected.
    pub fn unlock(&mut self, passphrase: &[u8]) -> Result<(), ProvenanceError> {
        self.check_secret()?;
        if !self.is_encrypted() {
            return Ok(());
        }
        self.cert
            .unlock(self.subkey.as_deref(), passphrase)
            .map_err(|()| ProvenanceError::WrongPassphrase)
    }

    pub(crate) fn sign_text(
        &self,
        text: &[u8],
        time: Option<std::time::SystemTime>,
    ) -> Result<Vec<u8>, ProvenanceError> {
        self.check_secret()?;
        if self.is_encrypted() {
            return Err(ProvenanceError::PassphraseNeeded { name: self.name() });
        }
        self.cert.sign_text(self.subkey.as_deref(), text, time)
    }
}

/// Helm's default keyring: `$HOME/.gnupg/pubring.gpg`.
pub fn default_keyring_path() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".gnupg/pubring.gpg")
}
