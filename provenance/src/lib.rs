//! Sign and verify Helm chart provenance (`.prov`) files, interchangeable with
//! `helm package --sign` and `helm verify`.
//!
//! ```
//! use chart_provenance::{Keyring, ProvenanceError, provenance_body, verify};
//!
//! // The text Helm signs: the chart metadata, `...`, and the archive's checksum.
//! let archive = b"not really a tgz";
//! let body = provenance_body("name: demo\nversion: 0.1.0\n", "demo-0.1.0.tgz", archive);
//! assert_eq!(
//!     body,
//!     "name: demo\nversion: 0.1.0\n\n...\nfiles:\n  demo-0.1.0.tgz: \
//!      sha256:847968c222abfd4f4071e145de76aa2ee8566c863f8cb560f1f2dcaca04202bd\n"
//! );
//!
//! // A clear-signed message whose signature no key of the keyring made fails as in Helm.
//! let prov = format!("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{body}\n\
//!                     -----BEGIN PGP SIGNATURE-----\n\n\n-----END PGP SIGNATURE-----");
//! let err = verify(archive, prov.as_bytes(), "demo-0.1.0.tgz", &Keyring::new()).unwrap_err();
//! assert!(matches!(err, ProvenanceError::UnknownSigner));
//! assert_eq!(err.to_string(), "openpgp: signature made by unknown entity");
//! ```
//!
//! # Concepts
//! - [`provenance_body`]: the signed text, built exactly as Helm builds it (chart metadata as
//!   sigs.k8s.io/yaml writes Helm's struct, `...`, then `files:` with `NAME-VERSION.tgz:
//!   sha256:HEX`); [`parse_body`] reads it back.
//! - [`ClearSigned`]: the clear-signed message, read with the tolerance of Helm's Go library
//!   (text before the start line, CRLF, trailing white space, any or no `Hash:` header).
//! - [`Keyring`]: binary keyrings as Helm reads them, and ASCII-armored ones, which Helm 4.1.4
//!   refuses; [`Keyring::signing_key`] chooses a key by user id as `--key` does, and
//!   [`SigningKey::unlock`] takes a passphrase.
//! - [`sign_archive`] / [`sign_chart_file`] make the `.prov`; [`verify`] / [`verify_chart`]
//!   check one and report the signer and the chart metadata ([`Verification`]).
//!
//! # Errors
//! Every failure is a [`ProvenanceError`] whose `Display` is the message Helm prints for the
//! same failure: `openpgp: signature made by unknown entity`, `openpgp: invalid signature: RSA
//! verification failure`, `sha256 sum does not match for NAME: "sha256:..." != "sha256:..."`,
//! `signature block not found`, `message block must have at least two parts`, ...
//!
//! # Input safety
//! Parsing never panics and does no unbounded recursion; the signature armor, packets and
//! keyrings are read from memory with their lengths checked.
//!
//! # OpenPGP backend and licence
//! The OpenPGP work (keys, signatures) is done by [sequoia-openpgp] with its pure-Rust
//! cryptography backend (`crypto-rust`), so the crate builds with the Rust toolchain and a C
//! compiler alone (no Nettle, no OpenSSL). **sequoia-openpgp is licensed LGPL-2.0-or-later**;
//! this crate (Apache-2.0) links it statically, so a program embedding it must meet the LGPL's
//! terms for that part. The backend sits behind a small internal module, so it can be
//! replaced without changing this crate's API.
//!
//! [sequoia-openpgp]: https://sequoia-pgp.org/

mod backend;
mod body;
mod error;
mod keyring;
mod message;
mod sign;
mod verify;

pub use body::{ProvenanceBody, digest, metadata_yaml, parse_body, provenance_body};
pub use error::{KeyringError, ProvenanceError};
pub use keyring::{KeyInfo, Keyring, SigningKey, default_keyring_path};
pub use message::{ClearSigned, dash_escape};
pub use sign::{SignOptions, sign_archive, sign_body, sign_chart_file};
pub use verify::{Signer, Verification, verify, verify_at, verify_chart, verify_chart_with};
