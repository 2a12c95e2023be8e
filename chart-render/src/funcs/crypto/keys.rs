//! Private keys as sprig handles them: generation (`genPrivateKey`), the PEM blocks sprig writes
//! (`pemBlockForKey`), parsing (`parsePrivateKeyPEM`), and the public-key and signing halves
//! `x509.CreateCertificate` needs.

use num_bigint_dig::BigUint;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rsa::RsaPrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use sha2::{Digest, Sha256};

use super::der::{self, DerError, Reader};
use super::pem;
use super::rng::EnvRng;
use crate::funcs::RandomSource;

/// `rsaEncryption`.
pub(super) const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
/// `id-ecPublicKey`.
const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
/// `prime256v1` (P-256).
const OID_P256: &[u64] = &[1, 2, 840, 10045, 3, 1, 7];
/// `secp384r1` (P-384).
const OID_P384: &[u64] = &[1, 3, 132, 0, 34];
/// `id-Ed25519`.
const OID_ED25519: &[u64] = &[1, 3, 101, 112];
/// `sha256WithRSAEncryption`.
const OID_SHA256_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 11];
/// `ecdsa-with-SHA256`.
const OID_ECDSA_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
/// `ecdsa-with-SHA384`.
const OID_ECDSA_SHA384: &[u64] = &[1, 2, 840, 10045, 4, 3, 3];

/// A DSA key (sprig can generate and parse them, but not sign certificates with them).
#[derive(Debug, Clone)]
pub(super) struct DsaKey {
    p: BigUint,
    q: BigUint,
    g: BigUint,
    y: BigUint,
    x: BigUint,
}

/// A private key of one of the kinds sprig handles.
#[derive(Debug, Clone)]
pub(super) enum PrivateKey {
    /// `*rsa.PrivateKey`.
    Rsa(Box<RsaPrivateKey>),
    /// `*ecdsa.PrivateKey` on P-256.
    P256(p256::SecretKey),
    /// `*ecdsa.PrivateKey` on P-384.
    P384(p384::SecretKey),
    /// `ed25519.PrivateKey`.
    Ed25519(Box<ed25519_dalek::SigningKey>),
    /// `*dsa.PrivateKey`.
    Dsa(Box<DsaKey>),
}

/// Generates an RSA key of `bits` bits (`rsa.GenerateKey`): two primes of `bits/2` bits whose
/// product has exactly `bits` bits, public exponent 65537.
///
/// The sizes sprig uses (2048 for certificates, 4096 for `genPrivateKey`) find their primes with
/// `crypto-primes` (sieve, then Baillie-PSW on fixed-size Montgomery arithmetic), several times
/// faster than the `rsa` crate's own search, which is what made certificate-generating charts
/// slower than helm.
pub(super) fn generate_rsa(
    random: &mut dyn RandomSource,
    bits: usize,
) -> Result<PrivateKey, String> {
    let key = match bits {
        2048 => rsa_from_primes::<{ crypto_bigint::U1024::LIMBS }>(random, bits),
        4096 => rsa_from_primes::<{ crypto_bigint::U2048::LIMBS }>(random, bits),
        _ => RsaPrivateKey::new(&mut EnvRng(random), bits).map_err(|e| e.to_string()),
    };
    key.map(|k| PrivateKey::Rsa(Box::new(k)))
}

/// A random prime of `bits` bits whose two top bits are set, as Go's `GenerateKey` draws them:
/// the product of two such primes always has exactly `2 * bits` bits. (With only the top bit
/// set, 39% of pairs gave a modulus a bit short, and both primes were drawn again.)
fn prime_of_full_size<const LIMBS: usize>(
    rng: &mut impl rand_core::CryptoRngCore,
    bits: usize,
) -> crypto_bigint::Uint<LIMBS> {
    use crypto_primes::hazmat::{Sieve, random_odd_uint};
    loop {
        let start: crypto_bigint::Uint<LIMBS> =
            random_odd_uint(rng, bits) | (crypto_bigint::Uint::<LIMBS>::ONE << (bits - 2));
        // The sieve counts up from `start` and stops at `bits` bits: every candidate keeps both
        // top bits.
        for candidate in Sieve::new(&start, bits, false) {
            if crypto_primes::is_prime_with_rng(rng, &candidate) {
                return candidate;
            }
        }
    }
}

/// A fixed-size integer as a `BigUint`.
fn to_big<const LIMBS: usize>(u: &crypto_bigint::Uint<LIMBS>) -> BigUint {
    let bytes: Vec<u8> = u.as_words().iter().flat_map(|w| w.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

fn rsa_from_primes<const LIMBS: usize>(
    random: &mut dyn RandomSource,
    bits: usize,
) -> Result<RsaPrivateKey, String> {
    let half = bits / 2;
    let e = BigUint::from(65_537u32);
    // Like Go, retry until the modulus has exactly `bits` bits and the key is valid.
    for _ in 0..64 {
        // The two primes are searched at the same time: q on a second thread with a generator
        // seeded from the same source.
        let mut q_rng = super::rng::HashDrbg::from_source(&mut *random);
        let mut rng = EnvRng(&mut *random);
        let (p, q): (crypto_bigint::Uint<LIMBS>, crypto_bigint::Uint<LIMBS>) =
            std::thread::scope(|s| {
                let q = std::thread::Builder::new()
                    .spawn_scoped(s, move || prime_of_full_size(&mut q_rng, half));
                let p = prime_of_full_size(&mut rng, half);
                let q = match q.map(|h| h.join()) {
                    Ok(Ok(q)) => q,
                    _ => prime_of_full_size(&mut rng, half),
                };
                (p, q)
            });
        if p == q {
            continue;
        }
        let (p, q) = (to_big(&p), to_big(&q));
        if (&p * &q).bits() != bits {
            continue;
        }
        if let Ok(k) = RsaPrivateKey::from_p_q(p, q, e.clone()) {
            return Ok(k);
        }
    }
    Err("crypto/rsa: generated key exponent too large".into())
}

/// Generates a P-256 key (`ecdsa.GenerateKey(elliptic.P256(), rand.Reader)`).
pub(super) fn generate_p256(random: &mut dyn RandomSource) -> PrivateKey {
    PrivateKey::P256(p256::SecretKey::random(&mut EnvRng(random)))
}

/// Generates an Ed25519 key from a random seed.
pub(super) fn generate_ed25519(random: &mut dyn RandomSource) -> PrivateKey {
    let mut seed = [0u8; 32];
    random.fill(&mut seed);
    PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed)))
}

/// Generates DSA parameters (L=2048, N=256) and a key, as Go's `dsa.GenerateParameters` and
/// `dsa.GenerateKey` do.
pub(super) fn generate_dsa(random: &mut dyn RandomSource) -> PrivateKey {
    const L: usize = 2048;
    const N: usize = 256;
    const ROUNDS: usize = 20;
    let one = BigUint::from(1u32);
    let mut q_bytes = [0u8; N / 8];
    let mut p_bytes = [0u8; L / 8];
    let (p, q) = 'primes: loop {
        random.fill(&mut q_bytes);
        q_bytes[0] |= 0x80;
        q_bytes[N / 8 - 1] |= 1;
        let q = BigUint::from_bytes_be(&q_bytes);
        if !num_bigint_dig::prime::probably_prime(&q, ROUNDS) {
            continue;
        }
        for _ in 0..4 * L {
            random.fill(&mut p_bytes);
            p_bytes[0] |= 0x80;
            p_bytes[L / 8 - 1] |= 1;
            let mut p = BigUint::from_bytes_be(&p_bytes);
            let rem = &p % &q;
            // p - (p mod q - 1) is 1 mod q.
            p = p + &one - rem;
            if p.bits() < L {
                continue;
            }
            if !num_bigint_dig::prime::probably_prime(&p, ROUNDS) {
                continue;
            }
            break 'primes (p, q);
        }
    };
    let e = (&p - &one) / &q;
    let mut h = BigUint::from(2u32);
    let g = loop {
        let g = h.modpow(&e, &p);
        if g != one {
            break g;
        }
        h += &one;
    };
    let mut x_bytes = [0u8; N / 8];
    let x = loop {
        random.fill(&mut x_bytes);
        let x = BigUint::from_bytes_be(&x_bytes);
        if x != BigUint::from(0u32) && x < q {
            break x;
        }
    };
    let y = g.modpow(&x, &p);
    PrivateKey::Dsa(Box::new(DsaKey { p, q, g, y, x }))
}

/// `d mod (prime - 1)` (zero for a degenerate prime rather than a panic).
fn crt_exponent(d: &BigUint, prime: &BigUint) -> BigUint {
    let one = BigUint::from(1u32);
    if *prime <= one { BigUint::from(0u32) } else { d % (prime - &one) }
}

fn be(n: &BigUint) -> Vec<u8> {
    n.to_bytes_be()
}

impl PrivateKey {
    /// The PEM sprig writes for the key (`pemBlockForKey`).
    pub(super) fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa(k) => {
                let (p, q) = match k.primes() {
                    [p, q, ..] => (p.clone(), q.clone()),
                    _ => (BigUint::from(0u32), BigUint::from(0u32)),
                };
                let dp = crt_exponent(k.d(), &p);
                let dq = crt_exponent(k.d(), &q);
                let qinv = k.crt_coefficient().unwrap_or_default();
                let body = der::seq(&[
                    &der::small_int(0),
                    &der::uint(&be(k.n())),
                    &der::uint(&be(k.e())),
                    &der::uint(&be(k.d())),
                    &der::uint(&be(&p)),
                    &der::uint(&be(&q)),
                    &der::uint(&be(&dp)),
                    &der::uint(&be(&dq)),
                    &der::uint(&be(&qinv)),
                ]);
                pem::encode("RSA PRIVATE KEY", &body)
            }
            PrivateKey::P256(_) | PrivateKey::P384(_) => {
                pem::encode("EC PRIVATE KEY", &self.ec_der())
            }
            PrivateKey::Ed25519(k) => {
                let body = der::seq(&[
                    &der::small_int(0),
                    &der::seq(&[&der::oid(OID_ED25519)]),
                    &der::octets(&der::octets(&k.to_bytes())),
                ]);
                pem::encode("PRIVATE KEY", &body)
            }
            PrivateKey::Dsa(k) => {
                let body = der::seq(&[
                    &der::small_int(0),
                    &der::uint(&be(&k.p)),
                    &der::uint(&be(&k.q)),
                    &der::uint(&be(&k.g)),
                    &der::uint(&be(&k.y)),
                    &der::uint(&be(&k.x)),
                ]);
                pem::encode("DSA PRIVATE KEY", &body)
            }
        }
    }

    /// `x509.MarshalECPrivateKey` (SEC 1).
    fn ec_der(&self) -> Vec<u8> {
        let (secret, curve, point) = match self {
            PrivateKey::P256(k) => (
                k.to_bytes().to_vec(),
                OID_P256,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            PrivateKey::P384(k) => (
                k.to_bytes().to_vec(),
                OID_P384,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            _ => return Vec::new(),
        };
        der::seq(&[
            &der::small_int(1),
            &der::octets(&secret),
            &der::cons(der::explicit(0), &[&der::oid(curve)]),
            &der::cons(der::explicit(1), &[&der::bit_string(&point)]),
        ])
    }

    /// The `SubjectPublicKeyInfo` algorithm identifier and the key bits (Go's
    /// `marshalPublicKey`), or Go's error for key types certificates cannot hold.
    pub(super) fn public_key_info(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        match self {
            PrivateKey::Rsa(k) => Ok((
                der::seq(&[&der::oid(OID_RSA), &der::tlv(der::NULL, &[])]),
                der::seq(&[&der::uint(&be(k.n())), &der::uint(&be(k.e()))]),
            )),
            PrivateKey::P256(k) => Ok((
                der::seq(&[&der::oid(OID_EC), &der::oid(OID_P256)]),
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            )),
            PrivateKey::P384(k) => Ok((
                der::seq(&[&der::oid(OID_EC), &der::oid(OID_P384)]),
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            )),
            PrivateKey::Ed25519(k) => {
                Ok((der::seq(&[&der::oid(OID_ED25519)]), k.verifying_key().to_bytes().to_vec()))
            }
            PrivateKey::Dsa(_) => {
                Err("x509: unsupported public key type: *dsa.PublicKey".to_string())
            }
        }
    }

    /// The `SubjectPublicKeyInfo` DER.
    pub(super) fn spki(&self) -> Result<Vec<u8>, String> {
        let (alg, bits) = self.public_key_info()?;
        Ok(der::seq(&[&alg, &der::bit_string(&bits)]))
    }

    /// The signature algorithm identifier Go picks for a signing key (`signingParamsForKey`),
    /// or Go's error for keys that cannot sign.
    pub(super) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(_) => {
                Ok(der::seq(&[&der::oid(OID_SHA256_RSA), &der::tlv(der::NULL, &[])]))
            }
            PrivateKey::P256(_) => Ok(der::seq(&[&der::oid(OID_ECDSA_SHA256)])),
            PrivateKey::P384(_) => Ok(der::seq(&[&der::oid(OID_ECDSA_SHA384)])),
            PrivateKey::Ed25519(_) => Ok(der::seq(&[&der::oid(OID_ED25519)])),
            PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".to_string())
            }
        }
    }

    /// Signs `msg` with the algorithm [`PrivateKey::signature_algorithm`] names.
    pub(super) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        use ed25519_dalek::Signer as _;
        match self {
            PrivateKey::Rsa(k) => {
                let digest = Sha256::digest(msg);
                k.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest).map_err(|e| e.to_string())
            }
            PrivateKey::P256(k) => {
                let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k).sign(msg);
                let (r, s) = sig.split_bytes();
                Ok(der::seq(&[&der::uint(&r), &der::uint(&s)]))
            }
            PrivateKey::P384(k) => {
                let sig: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k).sign(msg);
                let (r, s) = sig.split_bytes();
                Ok(der::seq(&[&der::uint(&r), &der::uint(&s)]))
            }
            PrivateKey::Ed25519(k) => Ok(k.sign(msg).to_bytes().to_vec()),
            PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".to_string())
            }
        }
    }
}

/// The `SubjectKeyId` Go 1.25 derives for CA certificates: the first 160 bits of the SHA-256 of
/// the public key bits.
pub(super) fn subject_key_id(public_key_bits: &[u8]) -> Vec<u8> {
    Sha256::digest(public_key_bits)[..20].to_vec()
}

/// Go's `asn1` error text for DER that did not parse (a simplified form of Go's messages).
fn asn1_error(e: DerError, what: &str) -> String {
    match e {
        DerError::Truncated => "asn1: syntax error: data truncated".to_string(),
        DerError::BadLength => "asn1: syntax error: non-minimal length".to_string(),
        DerError::Tag => format!("asn1: structure error: tags don't match {what}"),
        DerError::Trailing => "x509: trailing data after ASN.1 of private key".to_string(),
        DerError::Value => format!("asn1: structure error: invalid value in {what}"),
    }
}

fn big(m: &[u8]) -> BigUint {
    BigUint::from_bytes_be(m)
}

/// `x509.ParsePKCS1PrivateKey`.
fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    let parse = || -> Result<Vec<BigUint>, DerError> {
        let mut outer = Reader::new(der);
        let mut r = outer.nested(der::SEQUENCE)?;
        outer.finish()?;
        let version = r.small_uint()?;
        let mut parts = vec![BigUint::from(version)];
        for _ in 0..8 {
            parts.push(big(r.uint()?));
        }
        Ok(parts)
    };
    let parts = parse().map_err(|e| match e {
        DerError::Trailing => "x509: trailing data after ASN.1 of private key".to_string(),
        e => asn1_error(e, "pkcs1PrivateKey"),
    })?;
    if parts[0] > BigUint::from(1u32) {
        return Err("x509: unsupported private key version".to_string());
    }
    let zero = BigUint::from(0u32);
    let (n, e, d, p, q) =
        (parts[1].clone(), parts[2].clone(), parts[3].clone(), parts[4].clone(), parts[5].clone());
    if n == zero || d == zero || p == zero || q == zero {
        return Err("x509: private key contains zero or negative value".to_string());
    }
    RsaPrivateKey::from_components(n, e, d, vec![p, q])
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|e| format!("crypto/rsa: {e}"))
}

/// `x509.ParseECPrivateKey` (with the curve from PKCS#8 parameters when `curve` is given).
fn parse_sec1(der: &[u8], curve: Option<&[u8]>) -> Result<PrivateKey, String> {
    // (version, private key octets, curve OID)
    type Sec1 = (u64, Vec<u8>, Option<Vec<u8>>);
    let parse = || -> Result<Sec1, DerError> {
        let mut outer = Reader::new(der);
        let mut r = outer.nested(der::SEQUENCE)?;
        outer.finish()?;
        let version = r.small_uint()?;
        let secret = r.expect(der::OCTET_STRING)?.content.to_vec();
        let oid = match r.optional(der::explicit(0))? {
            Some(t) => Some(der::single(t.content, der::OID)?.content.to_vec()),
            None => None,
        };
        Ok((version, secret, oid))
    };
    let (version, secret, oid) = parse().map_err(|e| {
        format!("x509: failed to parse EC private key: {}", asn1_error(e, "ecPrivateKey"))
    })?;
    if version != 1 {
        return Err(format!("x509: unknown EC private key version {version}"));
    }
    let oid = oid.or_else(|| curve.map(<[u8]>::to_vec));
    let p256 = &der::oid(OID_P256)[2..];
    let p384 = &der::oid(OID_P384)[2..];
    let bad = || "x509: invalid elliptic curve private key value".to_string();
    match oid.as_deref() {
        Some(o) if o == p256 => {
            p256::SecretKey::from_slice(&secret).map(PrivateKey::P256).map_err(|_| bad())
        }
        Some(o) if o == p384 => {
            p384::SecretKey::from_slice(&secret).map(PrivateKey::P384).map_err(|_| bad())
        }
        _ => Err("x509: unknown elliptic curve".to_string()),
    }
}

/// `x509.ParsePKCS8PrivateKey`.
fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    // (algorithm OID, algorithm parameters, private key octets)
    type Pkcs8 = (Vec<u8>, Option<Vec<u8>>, Vec<u8>);
    let parse = || -> Result<Pkcs8, DerError> {
        let mut outer = Reader::new(der);
        let mut r = outer.nested(der::SEQUENCE)?;
        outer.finish()?;
        r.small_uint()?;
        let mut alg = r.nested(der::SEQUENCE)?;
        let oid = alg.expect(der::OID)?.content.to_vec();
        let params = if alg.is_empty() { None } else { Some(alg.any()?.raw.to_vec()) };
        let key = r.expect(der::OCTET_STRING)?.content.to_vec();
        Ok((oid, params, key))
    };
    let (oid, params, key) = parse().map_err(|e| asn1_error(e, "pkcs8"))?;
    if oid == der::oid(OID_RSA)[2..] {
        return parse_pkcs1(&key)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}"));
    }
    if oid == der::oid(OID_EC)[2..] {
        let curve =
            params.as_deref().and_then(|p| der::single(p, der::OID).ok()).map(|t| t.content);
        return parse_sec1(&key, curve)
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"));
    }
    if oid == der::oid(OID_ED25519)[2..] {
        if params.is_some() {
            return Err("x509: invalid Ed25519 private key parameters".to_string());
        }
        let seed = der::single(&key, der::OCTET_STRING)
            .map_err(|e| format!("x509: invalid Ed25519 private key: {}", asn1_error(e, "")))?;
        let seed: [u8; 32] = seed.content.try_into().map_err(|_| {
            format!("x509: invalid Ed25519 private key length: {}", seed.content.len())
        })?;
        return Ok(PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed))));
    }
    Err(format!(
        "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
        der::oid_to_string(&oid)
    ))
}

/// sprig's DSA key format (`DSAKeyFormat`).
fn parse_dsa(der: &[u8]) -> Result<PrivateKey, String> {
    let parse = || -> Result<DsaKey, DerError> {
        let mut outer = Reader::new(der);
        let mut r = outer.nested(der::SEQUENCE)?;
        r.small_uint()?;
        let (p, q, g, y, x) =
            (big(r.uint()?), big(r.uint()?), big(r.uint()?), big(r.uint()?), big(r.uint()?));
        Ok(DsaKey { p, q, g, y, x })
    };
    parse().map(|k| PrivateKey::Dsa(Box::new(k))).map_err(|e| asn1_error(e, "DSAKeyFormat"))
}

/// sprig's `parsePrivateKeyPEM`, with its error texts.
pub(super) fn parse_private_key_pem(text: &str) -> Result<PrivateKey, String> {
    let block = pem::decode(text.as_bytes()).ok_or("no PEM data in input")?;
    if block.kind == "PRIVATE KEY" {
        return parse_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {}", block.kind));
    };
    match prefix {
        "RSA" => {
            parse_pkcs1(&block.bytes).map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => parse_sec1(&block.bytes, None)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => {
            parse_dsa(&block.bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}"))
        }
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::SeededRandom;

    /// Primes drawn for a key have their two top bits set, so any two of them multiply to
    /// exactly twice their size; and a 2048-bit key comes out of one draw of each.
    #[test]
    fn primes_fill_their_size() {
        let mut random = SeededRandom(7);
        let mut rng = EnvRng(&mut random);
        for _ in 0..20 {
            let p: crypto_bigint::U256 = prime_of_full_size(&mut rng, 256);
            let q: crypto_bigint::U256 = prime_of_full_size(&mut rng, 256);
            assert!(p.bit(255).into() && p.bit(254).into(), "{p}");
            assert!(crypto_primes::is_prime_with_rng(&mut rng, &p));
            let n = to_big(&p) * to_big(&q);
            assert_eq!(n.bits(), 512);
        }
        let mut random = SeededRandom(8);
        let key = generate_rsa(&mut random, 2048).expect("a key");
        let PrivateKey::Rsa(k) = key else { panic!("an RSA key") };
        assert_eq!(k.n().bits(), 2048);
    }

    /// An Ed25519 key printed by helm's `genPrivateKey "ed25519"`.
    const HELM_ED25519: &str = "-----BEGIN PRIVATE KEY-----\n\
        MC4CAQAwBQYDK2VwBCIEIBkIIz1GNrjxP46hc+pbn+2FJiEvaaxOKYznCUK5QBu7\n\
        -----END PRIVATE KEY-----\n";

    /// A P-256 key printed by helm's `genPrivateKey "ecdsa"`.
    const HELM_EC: &str = "-----BEGIN EC PRIVATE KEY-----\n\
        MHcCAQEEIN/UTFzq+waShrYipHtzPAjgKGZvZdMnM+dVuo36xWH3oAoGCCqGSM49\n\
        AwEHoUQDQgAEao7cZ4owqTz3+QaZeODudf9l4/pjtPOO+zu7lN4DIl/nZlZaJLB3\n\
        Ryy/80c93GDYd2JcE7kd2PDxRCU7rIaltw==\n\
        -----END EC PRIVATE KEY-----\n";

    #[test]
    fn helm_keys_round_trip_byte_for_byte() {
        for pem in [HELM_ED25519, HELM_EC] {
            let key = parse_private_key_pem(pem).unwrap();
            assert_eq!(key.to_pem(), pem);
        }
    }

    #[test]
    fn generated_keys_have_sprig_block_types_and_parse_back() {
        let mut r = SeededRandom(11);
        let ec = generate_p256(&mut r).to_pem();
        assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{ec}");
        let ed = generate_ed25519(&mut r).to_pem();
        assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"), "{ed}");
        for pem in [ec, ed] {
            assert_eq!(parse_private_key_pem(&pem).unwrap().to_pem(), pem);
        }
    }

    #[test]
    fn parse_errors_are_sprigs() {
        let err = |s: &str| parse_private_key_pem(s).unwrap_err();
        assert_eq!(err("junk"), "no PEM data in input");
        assert_eq!(
            err("-----BEGIN FOO-----\nYWJj\n-----END FOO-----\n"),
            "no private key data in PEM block of type FOO"
        );
        assert_eq!(
            err("-----BEGIN FOO PRIVATE KEY-----\nYWJj\n-----END FOO PRIVATE KEY-----\n"),
            "invalid private key type FOO PRIVATE KEY"
        );
        assert!(
            err("-----BEGIN RSA PRIVATE KEY-----\nYWJj\n-----END RSA PRIVATE KEY-----\n")
                .starts_with(
                    "parsing RSA private key from PEM: asn1: structure error: tags don't match"
                )
        );
        assert!(
            err("-----BEGIN EC PRIVATE KEY-----\nYWJj\n-----END EC PRIVATE KEY-----\n").starts_with(
                "parsing EC private key from PEM: x509: failed to parse EC private key: asn1: structure error: tags don't match"
            )
        );
        assert!(
            err("-----BEGIN PRIVATE KEY-----\nYWJj\n-----END PRIVATE KEY-----\n")
                .starts_with("decoding PEM as PKCS#8: asn1: structure error: tags don't match")
        );
    }

    #[test]
    fn dsa_keys_cannot_sign_or_be_certified() {
        let k = PrivateKey::Dsa(Box::new(DsaKey {
            p: BigUint::from(23u32),
            q: BigUint::from(11u32),
            g: BigUint::from(4u32),
            y: BigUint::from(8u32),
            x: BigUint::from(3u32),
        }));
        assert_eq!(
            k.signature_algorithm().unwrap_err(),
            "x509: certificate private key does not implement crypto.Signer"
        );
        assert_eq!(k.spki().unwrap_err(), "x509: unsupported public key type: *dsa.PublicKey");
        let pem = k.to_pem();
        assert!(pem.starts_with("-----BEGIN DSA PRIVATE KEY-----\n"));
        assert_eq!(parse_private_key_pem(&pem).unwrap().to_pem(), pem);
    }
}
