//! The OpenPGP backend: everything that touches sequoia-openpgp lives here, behind a few
//! functions and the opaque [`Cert`], so the rest of the crate (and its public API) never names
//! a sequoia type and the backend could be replaced.
//!
//! Behaviour follows Go's `ProtonMail/go-crypto` as Helm 4 uses it: `CheckDetachedSignature`
//! (signature packets read one by one, the first whose issuer has a signing key in the keyring
//! is checked, an unknown issuer moves on to the next) and `ReadKeyRing`.

use std::time::SystemTime;

use sequoia_openpgp as openpgp;

use openpgp::KeyID;
use openpgp::cert::amalgamation::key::PrimaryKey;
use openpgp::crypto::Password;
use openpgp::packet::Signature;
use openpgp::parse::Parse;
use openpgp::serialize::SerializeInto;
use openpgp::types::{HashAlgorithm, PublicKeyAlgorithm, SignatureType};

use crate::error::ProvenanceError;

/// One key (certificate) of a keyring, possibly with secret key material.
#[derive(Clone)]
pub(crate) struct Cert(openpgp::Cert);

impl std::fmt::Debug for Cert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cert({})", self.fingerprint())
    }
}

impl Cert {
    /// The primary key's fingerprint, upper-case hex without spaces (Go's `%X`).
    pub(crate) fn fingerprint(&self) -> String {
        self.0.fingerprint().to_hex()
    }

    /// The user ids that carry a self-signature, in keyring order.
    pub(crate) fn user_ids(&self) -> Vec<String> {
        self.0
            .userids()
            .filter(|u| u.self_signatures().next().is_some())
            .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
            .collect()
    }

    /// Whether the primary key's secret part is present.
    pub(crate) fn has_secret_primary(&self) -> bool {
        self.0.primary_key().key().has_secret()
    }

    /// Whether the key `fpr` (the primary when `None`) has an encrypted secret part.
    pub(crate) fn secret_is_encrypted(&self, fpr: Option<&str>) -> bool {
        self.0
            .keys()
            .secret()
            .find(|k| fpr.is_none_or(|f| k.key().fingerprint().to_hex() == f))
            .is_some_and(|k| k.key().secret().is_encrypted())
    }

    /// The fingerprint of a subkey with a secret part and the signing flag, matched by
    /// fingerprint or key id (hex, any case, `0x` allowed).
    pub(crate) fn signing_subkey(&self, handle: &str) -> Option<String> {
        let want = handle.trim_start_matches("0x").to_ascii_uppercase();
        self.0
            .keys()
            .subkeys()
            .secret()
            .filter(|k| {
                let fpr = k.key().fingerprint().to_hex();
                let id = k.key().keyid().to_hex();
                fpr == want || id == want
            })
            .find(|k| {
                newest(k.self_signatures())
                    .and_then(|s| s.key_flags())
                    .is_some_and(|f| f.for_signing())
            })
            .map(|k| k.key().fingerprint().to_hex())
    }

    /// Decrypts the secret part of key `fpr` (the primary when `None`) with `passphrase`.
    pub(crate) fn unlock(&mut self, fpr: Option<&str>, passphrase: &[u8]) -> Result<(), ()> {
        let password = Password::from(passphrase);
        let key = self
            .0
            .keys()
            .secret()
            .find(|k| fpr.is_none_or(|f| k.key().fingerprint().to_hex() == f))
            .map(|k| k.key().clone())
            .ok_or(())?;
        if !key.secret().is_encrypted() {
            return Ok(());
        }
        let decrypted = key.decrypt_secret(&password).map_err(|_| ())?;
        let packet: openpgp::Packet = if fpr.is_none() {
            decrypted.role_into_primary().into()
        } else {
            decrypted.role_into_subordinate().into()
        };
        let (cert, _) = self.0.clone().insert_packets(std::iter::once(packet)).map_err(|_| ())?;
        self.0 = cert;
        Ok(())
    }

    /// Signs `text` (already in canonical form: CRLF line ends) with key `fpr` (the primary
    /// when `None`): a version-4 text signature with SHA-512, as Helm makes it. Returns the
    /// binary signature packet.
    pub(crate) fn sign_text(
        &self,
        fpr: Option<&str>,
        text: &[u8],
        time: Option<SystemTime>,
    ) -> Result<Vec<u8>, ProvenanceError> {
        let key = self
            .0
            .keys()
            .secret()
            .find(|k| fpr.is_none_or(|f| k.key().fingerprint().to_hex() == f))
            .map(|k| k.key().clone())
            .ok_or(ProvenanceError::NotASecretKey)?;
        let mut signer = key.into_keypair().map_err(|e| ProvenanceError::Sign(error_text(&e)))?;
        let mut builder = openpgp::packet::signature::SignatureBuilder::new(SignatureType::Text)
            .set_hash_algo(HashAlgorithm::SHA512);
        if let Some(t) = time {
            builder = builder
                .set_signature_creation_time(t)
                .map_err(|e| ProvenanceError::Sign(error_text(&e)))?;
        }
        let sig = builder
            .sign_message(&mut signer, text)
            .map_err(|e| ProvenanceError::Sign(error_text(&e)))?;
        openpgp::Packet::from(sig).to_vec().map_err(|e| ProvenanceError::Sign(error_text(&e)))
    }
}

fn error_text(e: &openpgp::anyhow::Error) -> String {
    e.to_string()
}

/// The newest of some signatures by creation time.
fn newest<'a>(sigs: impl Iterator<Item = &'a Signature>) -> Option<&'a Signature> {
    sigs.max_by_key(|s| s.signature_creation_time())
}

/// Reads a binary OpenPGP keyring (public or secret keys, any mix), skipping keys that do not
/// parse, as Go's `ReadKeyRing` does. Errors only when nothing usable was found and something
/// failed.
pub(crate) fn parse_keyring(data: &[u8]) -> Result<Vec<Cert>, String> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    let parser = openpgp::cert::CertParser::from_bytes(data).map_err(|e| error_text(&e))?;
    let mut certs = Vec::new();
    let mut last_error = None;
    for c in parser {
        match c {
            Ok(c) => certs.push(Cert(c)),
            Err(e) => last_error = Some(error_text(&e)),
        }
    }
    match (certs.is_empty(), last_error) {
        (true, Some(e)) => Err(e),
        _ => Ok(certs),
    }
}

/// The signer found by [`verify`].
pub(crate) struct Verified {
    /// Index of the certificate in the keyring.
    pub(crate) cert: usize,
    /// Fingerprint of the key (primary or subkey) that made the signature.
    pub(crate) key_fingerprint: String,
    /// When the signature was made.
    pub(crate) created: Option<SystemTime>,
}

/// Go's name for a public-key algorithm in `... verification failure` messages.
fn go_algorithm_name(a: PublicKeyAlgorithm) -> String {
    #[allow(deprecated)]
    match a {
        PublicKeyAlgorithm::RSAEncryptSign | PublicKeyAlgorithm::RSASign => "RSA".into(),
        PublicKeyAlgorithm::DSA => "DSA".into(),
        PublicKeyAlgorithm::ECDSA => "ECDSA".into(),
        PublicKeyAlgorithm::EdDSA => "EdDSA".into(),
        PublicKeyAlgorithm::Ed25519 => "ed25519".into(),
        PublicKeyAlgorithm::Ed448 => "ed448".into(),
        other => other.to_string(),
    }
}

/// Packet tags Go's reader knows and returns (so a non-signature one is an error); other tags
/// are skipped, as Go skips unknown packets.
fn known_tag(tag: u8) -> bool {
    matches!(tag, 1..=14 | 17..=21)
}

/// Where the next packet of `data` (from `pos`) lies: `Ok(None)` at the clean end,
/// `Ok(Some((tag, start, end)))`, or the error Go's reader gives (`unexpected EOF` when the
/// data ends inside a header or body).
fn next_packet(data: &[u8], pos: usize) -> Result<Option<(u8, usize, usize)>, String> {
    const EOF: &str = "unexpected EOF";
    let Some(&ctb) = data.get(pos) else { return Ok(None) };
    if ctb & 0x80 == 0 {
        return Err("openpgp: invalid data: tag byte does not have MSB set".into());
    }
    let byte = |i: usize| data.get(i).copied().map(usize::from).ok_or_else(|| EOF.to_owned());
    if ctb & 0x40 == 0 {
        let tag = (ctb & 0x3f) >> 2;
        let (len, hdr) = match ctb & 3 {
            0 => (byte(pos + 1)?, 2),
            1 => ((byte(pos + 1)? << 8) | byte(pos + 2)?, 3),
            2 => {
                let mut l = 0usize;
                for i in 1..=4 {
                    l = (l << 8) | byte(pos + i)?;
                }
                (l, 5)
            }
            _ => (data.len() - pos - 1, 1),
        };
        let end = (pos + hdr).checked_add(len).ok_or_else(|| EOF.to_owned())?;
        if end > data.len() {
            return Err(EOF.into());
        }
        return Ok(Some((tag, pos, end)));
    }
    let tag = ctb & 0x3f;
    let mut at = pos + 1;
    loop {
        let first = byte(at)?;
        let (len, hdr, partial) = match first {
            0..=191 => (first, 1, false),
            192..=223 => (((first - 192) << 8) + byte(at + 1)? + 192, 2, false),
            255 => {
                let mut l = 0usize;
                for i in 1..=4 {
                    l = (l << 8) | byte(at + i)?;
                }
                (l, 5, false)
            }
            _ => (1usize << (first & 0x1f), 1, true),
        };
        let end = (at + hdr).checked_add(len).ok_or_else(|| EOF.to_owned())?;
        if end > data.len() {
            return Err(EOF.into());
        }
        at = end;
        if !partial {
            return Ok(Some((tag, pos, end)));
        }
    }
}

/// Go's canonical text hashing for text signatures: a `\n` not preceded by `\r` becomes
/// `\r\n`; a `\r` and the byte after it pass unchanged.
fn canonical_text(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut after_cr = false;
    for &b in data {
        if after_cr {
            after_cr = false;
        } else if b == b'\r' {
            after_cr = true;
        } else if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn key_ids(sig: &Signature) -> Vec<KeyID> {
    sig.get_issuers().into_iter().map(KeyID::from).collect()
}

/// A signing-capable key of the keyring matched by key id: (cert index, key).
type Candidate<'a> = (
    usize,
    openpgp::packet::Key<openpgp::packet::key::PublicParts, openpgp::packet::key::UnspecifiedRole>,
    Option<&'a Signature>,
    bool,
);

/// Keys whose id is `id` and whose newest binding signature allows signing, as Go's
/// `KeysByIdUsage(id, KeyFlagSign)` chooses them.
fn keys_by_id<'a>(keyring: &'a [Cert], id: &KeyID) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    for (i, Cert(cert)) in keyring.iter().enumerate() {
        for ka in cert.keys() {
            if &ka.key().keyid() != id {
                continue;
            }
            let primary = ka.primary();
            let binding = if primary {
                newest(
                    cert.userids()
                        .flat_map(|u| u.self_signatures().collect::<Vec<_>>())
                        .chain(ka.self_signatures()),
                )
            } else {
                newest(ka.self_signatures())
            };
            let can_sign = binding.and_then(|s| s.key_flags()).is_some_and(|f| f.for_signing());
            if can_sign {
                out.push((i, ka.key().clone(), binding, primary));
            }
        }
    }
    out
}

/// Go's `CheckDetachedSignature` over the decoded signature packets `packets` (with `decode_error`,
/// the armor's base64 error, met where the packets run out) and the signed bytes `signed`.
pub(crate) fn verify(
    keyring: &[Cert],
    packets: &[u8],
    decode_error: Option<&str>,
    signed: &[u8],
    now: SystemTime,
) -> Result<Verified, ProvenanceError> {
    let mut pos = 0;
    let fail = |e: String| {
        ProvenanceError::MalformedSignature(match decode_error {
            Some(d) if e == "unexpected EOF" => d.to_owned(),
            _ => e,
        })
    };
    let (sig, candidates) = loop {
        let Some((tag, start, end)) = next_packet(packets, pos).map_err(fail)? else {
            return match decode_error {
                Some(d) => Err(ProvenanceError::MalformedSignature(d.to_owned())),
                None => Err(ProvenanceError::UnknownSigner),
            };
        };
        pos = end;
        if tag != 2 {
            if known_tag(tag) {
                return Err(ProvenanceError::MalformedSignature(
                    "openpgp: invalid data: non signature packet found".into(),
                ));
            }
            continue;
        }
        let sig = match openpgp::Packet::from_bytes(&packets[start..end]) {
            Ok(openpgp::Packet::Signature(s)) => s,
            Ok(openpgp::Packet::Unknown(u)) => {
                return Err(ProvenanceError::MalformedSignature(format!(
                    "openpgp: invalid data: {}",
                    u.error()
                )));
            }
            Ok(_) => {
                return Err(ProvenanceError::MalformedSignature(
                    "openpgp: invalid data: non signature packet found".into(),
                ));
            }
            Err(e) => {
                return Err(ProvenanceError::MalformedSignature(format!(
                    "openpgp: invalid data: {}",
                    error_text(&e)
                )));
            }
        };
        let ids = key_ids(&sig);
        if ids.is_empty() {
            return Err(ProvenanceError::MalformedSignature(
                "openpgp: invalid data: signature doesn't have an issuer".into(),
            ));
        }
        let candidates: Vec<_> = ids.iter().flat_map(|id| keys_by_id(keyring, id)).collect();
        if !candidates.is_empty() {
            break (sig, candidates);
        }
    };

    let data = match sig.typ() {
        SignatureType::Binary => std::borrow::Cow::Borrowed(signed),
        SignatureType::Text => std::borrow::Cow::Owned(canonical_text(signed)),
        other => {
            return Err(ProvenanceError::MalformedSignature(format!(
                "openpgp: unsupported feature: unsupported signature type: {}",
                u8::from(other)
            )));
        }
    };
    let mut last = None;
    for (cert_index, key, binding, primary) in candidates {
        if key.pk_algo() != sig.pk_algo() {
            last = Some(ProvenanceError::MalformedSignature(
                "openpgp: invalid argument: public key and signature use different algorithms"
                    .into(),
            ));
            continue;
        }
        let ok = sig
            .hash_algo()
            .context()
            .map(|c| {
                let mut ctx = c.for_signature(sig.version());
                if let Some(salt) = sig.salt() {
                    ctx.update(salt);
                }
                ctx.update(&data);
                ctx
            })
            .and_then(|ctx| sig.verify_hash(&key, ctx));
        if ok.is_err() {
            last = Some(ProvenanceError::InvalidSignature {
                algorithm: go_algorithm_name(key.pk_algo()),
            });
            continue;
        }
        let Cert(cert) = &keyring[cert_index];
        check_details(cert, &key, &sig, binding, primary, now)?;
        return Ok(Verified {
            cert: cert_index,
            key_fingerprint: key.fingerprint().to_hex(),
            created: sig.signature_creation_time(),
        });
    }
    Err(last.unwrap_or(ProvenanceError::UnknownSigner))
}

/// Go's `checkSignatureDetails`: revocation, then key expiry, then signature expiry.
fn check_details(
    cert: &openpgp::Cert,
    key: &openpgp::packet::Key<
        openpgp::packet::key::PublicParts,
        openpgp::packet::key::UnspecifiedRole,
    >,
    sig: &Signature,
    binding: Option<&Signature>,
    primary: bool,
    now: SystemTime,
) -> Result<(), ProvenanceError> {
    let primary_revoked = cert.primary_key().self_revocations().next().is_some();
    let sub_revoked = !primary
        && cert
            .keys()
            .subkeys()
            .find(|k| k.key().fingerprint() == key.fingerprint())
            .is_some_and(|k| k.self_revocations().next().is_some());
    if primary_revoked || sub_revoked {
        return Err(ProvenanceError::KeyRevoked);
    }
    let primary_binding = newest(
        cert.userids()
            .flat_map(|u| u.self_signatures().collect::<Vec<_>>())
            .chain(cert.primary_key().self_signatures()),
    );
    let expired = |s: Option<&Signature>, k| {
        s.and_then(|s| s.key_expiration_time(k)).is_some_and(|t| t <= now)
    };
    if expired(primary_binding, cert.primary_key().key().role_as_unspecified()) {
        return Err(ProvenanceError::KeyExpired);
    }
    if !primary && expired(binding, key) {
        return Err(ProvenanceError::KeyExpired);
    }
    let sig_expired = |s: &Signature| s.signature_expiration_time().is_some_and(|t| t <= now);
    if sig_expired(sig)
        || primary_binding.is_some_and(sig_expired)
        || (!primary && binding.is_some_and(sig_expired))
    {
        return Err(ProvenanceError::SignatureExpired);
    }
    Ok(())
}
