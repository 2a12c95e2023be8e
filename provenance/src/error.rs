//! Why signing or verifying failed. `Display` is the message `helm` prints after `Error: `.

use std::path::PathBuf;

use chart_core::gofmt::go_quote;

/// Why a keyring could not be read. `Display` is the text helm prints after
/// `failed to load keyring: `.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// The keyring file could not be read.
    #[error("open {}: {}", path.display(), chart_core::gofmt::go_io_error(source))]
    Io {
        /// The keyring path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The data is neither an OpenPGP packet stream nor ASCII armor (a GnuPG keybox
    /// `pubring.kbx`, for instance).
    #[error("openpgp: invalid data: tag byte does not have MSB set")]
    NotOpenPgp,
    /// The data is OpenPGP but holds no usable key; the text is the OpenPGP library's reason.
    #[error("openpgp: invalid data: {0}")]
    Malformed(String),
}

/// A failure to sign or verify a chart. `Display` is the message `helm package --sign` or
/// `helm verify` prints after `Error: ` for the same failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProvenanceError {
    /// The `.prov` file holds no complete clear-signed message (no start line, no signature,
    /// a header other than `Hash`, no end line, an armor that does not parse).
    #[error("signature block not found")]
    SignatureBlockNotFound,
    /// No signature in the message was made by a key in the keyring (or by one allowed to
    /// sign).
    #[error("openpgp: signature made by unknown entity")]
    UnknownSigner,
    /// The signature does not match the signed text (it or the text was altered).
    #[error("openpgp: invalid signature: {algorithm} verification failure")]
    InvalidSignature {
        /// The public-key algorithm as Go names it (`RSA`, `EdDSA`, `ECDSA`, ...).
        algorithm: String,
    },
    /// The signature packets are truncated or malformed; the text is what Go's OpenPGP reader
    /// says (`unexpected EOF`, `openpgp: invalid data: ...`).
    #[error("{0}")]
    MalformedSignature(String),
    /// The signature has expired.
    #[error("openpgp: signature expired")]
    SignatureExpired,
    /// The signing key has expired.
    #[error("openpgp: key expired")]
    KeyExpired,
    /// The signing key has been revoked.
    #[error("openpgp: signature made by revoked key")]
    KeyRevoked,
    /// The signed text has no `...` line, so no files section.
    #[error("message block must have at least two parts")]
    MissingFilesSection,
    /// The files section is not the YAML helm expects (a map of file name to checksum);
    /// the text is sigs.k8s.io/yaml's message.
    #[error("{0}")]
    InvalidFilesSection(String),
    /// The files section has no entry for the archive's file name.
    #[error("provenance does not contain a SHA for a file named {}", go_quote(file))]
    NoEntryForFile {
        /// The archive's file name.
        file: String,
    },
    /// The archive's SHA-256 is not the one the provenance records.
    #[error("sha256 sum does not match for {file}: {} != {}", go_quote(expected), go_quote(actual))]
    ShaMismatch {
        /// The archive's file name.
        file: String,
        /// The checksum in the provenance file (`sha256:HEX`, as written there).
        expected: String,
        /// The archive's checksum (`sha256:HEX`).
        actual: String,
    },
    /// The chart path does not exist or cannot be examined.
    #[error("stat {}: {}", path.display(), chart_core::gofmt::go_io_error(source))]
    ChartStat {
        /// The path as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The chart path is a directory.
    #[error("unpacked charts cannot be verified")]
    UnpackedChart,
    /// The chart path does not end in `.tgz`.
    #[error("chart must be a tgz file")]
    NotTgz,
    /// The `.prov` file beside the archive does not exist or cannot be examined.
    #[error("could not load provenance file {p}: stat {p}: {e}", p = path.display(), e = chart_core::gofmt::go_io_error(source))]
    ProvenanceFile {
        /// The provenance path (`CHART.tgz.prov`).
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be read.
    #[error("{what}: read {}: {}", path.display(), chart_core::gofmt::go_io_error(source))]
    Read {
        /// What was being read (`failed to read chart archive`, ...).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The keyring could not be read.
    #[error("failed to load keyring: {0}")]
    Keyring(#[source] KeyringError),
    /// No key to sign with: no `--key` given, or no user id contains it.
    #[error("private key not found")]
    KeyNotFound,
    /// More than one key has a user id containing the `--key` text, and none equals it.
    #[error("more than one key contain the id {}", go_quote(id))]
    AmbiguousKey {
        /// The text given with `--key`.
        id: String,
    },
    /// The key found has no secret part.
    #[error("provided key is not a private key. Try providing a keyring with secret keys")]
    NotASecretKey,
    /// The chosen subkey does not exist, cannot sign or has no secret part.
    #[error("no signing-capable secret subkey {0} in the key")]
    NoSuchSubkey(String),
    /// The secret key is protected and no passphrase was given.
    #[error(
        "the key {} is protected by a passphrase; give it with --passphrase-file",
        go_quote(name)
    )]
    PassphraseNeeded {
        /// The key's first user id.
        name: String,
    },
    /// The passphrase does not unlock the secret key.
    #[error("openpgp: invalid data: private key checksum failure")]
    WrongPassphrase,
    /// Reading the passphrase failed.
    #[error("{0}")]
    Passphrase(String),
    /// The archive could not be loaded to read its metadata for signing.
    #[error("failed to load chart for signing: {0}")]
    LoadChart(#[source] chart_core::LoadError),
    /// The chart metadata could not be written as YAML.
    #[error("failed to marshal chart metadata: {0}")]
    Metadata(String),
    /// The OpenPGP library could not make the signature.
    #[error("failed to either sign or armor message block: {0}")]
    Sign(String),
    /// Writing the `.prov` file failed.
    #[error("open {}: {}", path.display(), chart_core::gofmt::go_io_error(source))]
    Write {
        /// The provenance path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
