//! sprig's crypto functions as Helm 4.1.4 (sprig v3.3.0) has them: hashes, `bcrypt` and
//! `htpasswd`, `derivePassword`, AES, random bytes and UUIDs, private keys and certificates.
//!
//! Every random byte comes from the `Env`'s random source, so tests are deterministic.

use chart_core::gofmt::go_quote;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::{Env, FnError, FnResult, Registry, Ty, base64_std};
use crate::value::Val;

mod cert;
mod der;
mod keys;
mod pem;
mod rng;

pub(crate) use rng::below as random_below;

/// The most bytes `randBytes` makes (Go has no limit; a template must not exhaust memory).
const MAX_RANDOM_BYTES: i64 = 10_000_000;

pub(crate) fn register(r: &mut Registry) {
    r.add("sha1sum", &[Ty::Str], sha1sum);
    r.add("sha256sum", &[Ty::Str], sha256sum);
    r.add("sha512sum", &[Ty::Str], sha512sum);
    r.add("adler32sum", &[Ty::Str], adler32sum);
    r.add("bcrypt", &[Ty::Str], bcrypt);
    r.add("htpasswd", &[Ty::Str, Ty::Str], htpasswd);
    // The counter is a Go uint32, which `Ty` cannot express: the body converts it.
    r.add("derivePassword", &[Ty::Any, Ty::Str, Ty::Str, Ty::Str, Ty::Str], derive_password);
    r.add("encryptAES", &[Ty::Str, Ty::Str], encrypt_aes);
    r.add("decryptAES", &[Ty::Str, Ty::Str], decrypt_aes);
    r.add("randBytes", &[Ty::Int], rand_bytes);
    r.add("uuidv4", &[], uuidv4);
    r.add("randInt", &[Ty::Int, Ty::Int], rand_int);
    r.add("genPrivateKey", &[Ty::Str], gen_private_key);
    r.add("genCA", &[Ty::Str, Ty::Int], cert::gen_ca);
    r.add("genCAWithKey", &[Ty::Str, Ty::Int, Ty::Str], cert::gen_ca_with_key);
    r.add("genSelfSignedCert", &[Ty::Str, Ty::List, Ty::List, Ty::Int], cert::gen_self_signed_cert);
    r.add(
        "genSelfSignedCertWithKey",
        &[Ty::Str, Ty::List, Ty::List, Ty::Int, Ty::Str],
        cert::gen_self_signed_cert_with_key,
    );
    // The CA is a Go `sprig.certificate`, which `Ty` cannot express: the body checks it.
    r.add("genSignedCert", &[Ty::Str, Ty::List, Ty::List, Ty::Int, Ty::Any], cert::gen_signed_cert);
    r.add(
        "genSignedCertWithKey",
        &[Ty::Str, Ty::List, Ty::List, Ty::Int, Ty::Any, Ty::Str],
        cert::gen_signed_cert_with_key,
    );
    r.add("buildCustomCert", &[Ty::Str, Ty::Str], cert::build_custom_cert);
}

/// text/template's error for an argument whose Go type `Ty` cannot name (`time.Time`,
/// `sprig.certificate`). The engine cannot tell a literal from a computed value, so this picks
/// the likelier source: a literal for strings and ints (`can't handle "x" for arg of type ...`),
/// a missing map entry for nil, and a computed value otherwise.
pub(crate) fn struct_arg_error(v: &Val, want: &str) -> FnError {
    FnError::new(match v {
        Val::Nil | Val::NoValue => {
            format!("wrong type for value; expected {want}; got interface {{}}")
        }
        Val::Str(s) => format!("can't handle {} for arg of type {want}", go_quote(s)),
        Val::Int(i) => format!("can't handle {i} for arg of type {want}"),
        other => format!("wrong type for value; expected {want}; got {}", other.type_name()),
    })
}

fn str_arg(args: &[Val], i: usize) -> &str {
    args.get(i).and_then(Val::as_str).unwrap_or_default()
}

fn int_arg(args: &[Val], i: usize) -> i64 {
    match args.get(i) {
        Some(Val::Int(v) | Val::Int64(v)) => *v,
        _ => 0,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha1sum(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(hex(&Sha1::digest(str_arg(&args, 0).as_bytes()))))
}

fn sha256sum(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(hex(&Sha256::digest(str_arg(&args, 0).as_bytes()))))
}

fn sha512sum(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(hex(&Sha512::digest(str_arg(&args, 0).as_bytes()))))
}

/// Go's `hash/adler32` checksum.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that cannot overflow before reducing.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// `adler32sum`: the checksum as a decimal string.
fn adler32sum(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(adler32(str_arg(&args, 0).as_bytes()).to_string()))
}

/// bcrypt's base64 alphabet, without padding.
fn bcrypt_base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

/// `golang.org/x/crypto/bcrypt.GenerateFromPassword` at sprig's cost (10), `$2a$` form.
fn bcrypt_hash(password: &[u8], salt: [u8; 16]) -> Result<String, String> {
    const COST: u32 = 10;
    if password.len() > 72 {
        return Err("bcrypt: password length exceeds 72 bytes".to_string());
    }
    // Like Go (and C bcrypt), the key includes a trailing NUL.
    let mut key = password.to_vec();
    key.push(0);
    let mut state = blowfish::Blowfish::bc_init_state();
    state.salted_expand_key(&salt, &key);
    for _ in 0..1u32 << COST {
        state.bc_expand_key(&key);
        state.bc_expand_key(&salt);
    }
    // "OrpheanBeholderScryDoubt"
    let mut ctext: [u32; 6] =
        [0x4f72_7068, 0x6561_6e42, 0x6568_6f6c, 0x6465_7253, 0x6372_7944, 0x6f75_6274];
    let mut out = [0u8; 24];
    for (i, pair) in ctext.chunks_exact_mut(2).enumerate() {
        let mut lr = [pair[0], pair[1]];
        for _ in 0..64 {
            lr = state.bc_encrypt(lr);
        }
        out[i * 8..i * 8 + 4].copy_from_slice(&lr[0].to_be_bytes());
        out[i * 8 + 4..i * 8 + 8].copy_from_slice(&lr[1].to_be_bytes());
    }
    // Only 23 of the 24 bytes are encoded (bug compatibility with C bcrypt).
    Ok(format!("$2a${COST:02}${}{}", bcrypt_base64(&salt), bcrypt_base64(&out[..23])))
}

/// sprig's `bcrypt`: the error text is returned as the result, as sprig does.
fn bcrypt_string(env: &mut Env<'_>, password: &str) -> String {
    let mut salt = [0u8; 16];
    env.random.fill(&mut salt);
    bcrypt_hash(password.as_bytes(), salt)
        .unwrap_or_else(|e| format!("failed to encrypt string with bcrypt: {e}"))
}

fn bcrypt(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(bcrypt_string(env, str_arg(&args, 0))))
}

/// `htpasswd user password` (sprig v3.3.0 has no hash-algorithm argument).
fn htpasswd(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let user = str_arg(&args, 0);
    if user.contains(':') {
        return Ok(Val::str(format!("invalid username: {user}")));
    }
    Ok(Val::str(format!("{user}:{}", bcrypt_string(env, str_arg(&args, 1)))))
}

/// The Go `uint32` the `derivePassword` counter becomes, with text/template's errors.
fn uint32_arg(v: &Val) -> Result<u32, FnError> {
    match v {
        // A number literal: Go's SetUint keeps the low 32 bits.
        Val::Int(i) if *i >= 0 => Ok(*i as u32),
        Val::Int(i) => Err(FnError::new(format!("expected unsigned integer; found {i}"))),
        // A string literal (a string from values would say `got string`).
        Val::Str(s) => {
            Err(FnError::new(format!("expected unsigned integer; found {}", go_quote(s))))
        }
        // A missing map entry (a literal nil would say `cannot assign nil to uint32`).
        Val::Nil | Val::NoValue => {
            Err(FnError::new("wrong type for value; expected uint32; got interface {}"))
        }
        other => Err(FnError::new(format!(
            "wrong type for value; expected uint32; got {}",
            other.type_name()
        ))),
    }
}

const PASSWORD_TEMPLATES: &[(&str, &[&str])] = &[
    ("maximum", &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"]),
    (
        "long",
        &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
    ),
    ("medium", &["CvcnoCvc", "CvcCvcno"]),
    ("short", &["Cvcn"]),
    ("basic", &["aaanaaan", "aannaaan", "aaannaaa"]),
    ("pin", &["nnnn"]),
];

fn template_characters(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// The Master Password algorithm sprig implements.
fn master_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    const SEED: &[u8] = b"com.lyndir.masterpassword";
    let Some((_, templates)) = PASSWORD_TEMPLATES.iter().find(|(k, _)| *k == kind) else {
        return format!("cannot find password template {kind}");
    };
    let len32 = |s: &str| (s.len() as u32).to_be_bytes();
    let salt = [SEED, &len32(user), user.as_bytes()].concat();
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2, 64).map_err(|e| e.to_string()).and_then(|p| {
        scrypt::scrypt(password.as_bytes(), &salt, &p, &mut key).map_err(|e| e.to_string())
    });
    if let Err(e) = derived {
        return format!("failed to derive password: {e}");
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password: invalid key length".to_string();
    };
    mac.update(&[SEED, &len32(site), site.as_bytes(), &counter.to_be_bytes()].concat());
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_characters(*c);
            chars[usize::from(seed[i + 1]) % chars.len()] as char
        })
        .collect()
}

fn derive_password(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let counter = uint32_arg(args.first().unwrap_or(&Val::Nil))?;
    Ok(Val::str(master_password(
        counter,
        str_arg(&args, 1),
        str_arg(&args, 2),
        str_arg(&args, 3),
        str_arg(&args, 4),
    )))
}

/// sprig's AES key: the password's bytes, zero-padded or cut to 32.
fn aes_key(password: &str) -> aes::Aes256 {
    use aes::cipher::KeyInit;
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    aes::Aes256::new(&key.into())
}

/// `encryptAES password plaintext`: AES-256-CBC, PKCS#7 padding, random IV first, base64.
fn encrypt_aes(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    use aes::cipher::BlockEncrypt;
    let plaintext = str_arg(&args, 1).as_bytes();
    if plaintext.is_empty() {
        return Ok(Val::str(""));
    }
    let cipher = aes_key(str_arg(&args, 0));
    let pad = 16 - plaintext.len() % 16;
    let mut out = vec![0u8; 16];
    env.random.fill(&mut out);
    let mut prev: [u8; 16] = out[..16].try_into().unwrap_or_default();
    let mut content = plaintext.to_vec();
    content.resize(plaintext.len() + pad, pad as u8);
    for block in content.chunks_exact(16) {
        let mut b = [0u8; 16];
        for (i, x) in b.iter_mut().enumerate() {
            *x = block[i] ^ prev[i];
        }
        let mut ga = b.into();
        cipher.encrypt_block(&mut ga);
        prev = ga.into();
        out.extend_from_slice(&prev);
    }
    Ok(Val::str(base64_std(&out)))
}

/// `decryptAES password ciphertext`, with the panics Go's slicing produces on bad input.
fn decrypt_aes(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    use aes::cipher::BlockDecrypt;
    let crypt64 = str_arg(&args, 1);
    if crypt64.is_empty() {
        return Ok(Val::str(""));
    }
    let cipher = aes_key(str_arg(&args, 0));
    let crypt = pem::decode_std(crypt64.as_bytes()).map_err(|e| FnError::new(e.to_string()))?;
    if crypt.len() < 16 {
        let cap = pem::decoded_cap(crypt64.len());
        return Err(FnError::new(if cap < 16 {
            format!("runtime error: slice bounds out of range [:16] with capacity {cap}")
        } else {
            format!("runtime error: slice bounds out of range [16:{}]", crypt.len())
        }));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(FnError::new("crypto/cipher: input not full blocks"));
    }
    let mut prev: [u8; 16] = iv.try_into().unwrap_or_default();
    let mut plain = Vec::with_capacity(body.len());
    for block in body.chunks_exact(16) {
        let mut ga = <[u8; 16]>::try_from(block).unwrap_or_default().into();
        cipher.decrypt_block(&mut ga);
        let b: [u8; 16] = ga.into();
        plain.extend(b.iter().zip(prev.iter()).map(|(x, p)| x ^ p));
        prev = block.try_into().unwrap_or_default();
    }
    let Some(&pad) = plain.last() else {
        return Err(FnError::new("runtime error: index out of range [-1]"));
    };
    let end = plain.len() as i64 - i64::from(pad);
    if end < 0 {
        return Err(FnError::new(format!("runtime error: slice bounds out of range [:{end}]")));
    }
    plain.truncate(end as usize);
    // Go strings may hold any bytes; template strings here are UTF-8.
    Ok(Val::str(String::from_utf8_lossy(&plain).into_owned()))
}

fn rand_bytes(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let count = int_arg(&args, 0);
    if count < 0 {
        return Err(FnError::new("runtime error: makeslice: len out of range"));
    }
    if count > MAX_RANDOM_BYTES {
        return Err(FnError::new(format!(
            "randBytes: {count} bytes is more than the limit of {MAX_RANDOM_BYTES}"
        )));
    }
    let mut buf = vec![0u8; count as usize];
    env.random.fill(&mut buf);
    Ok(Val::str(base64_std(&buf)))
}

/// `uuidv4`: a random (version 4, RFC 4122 variant) UUID in lower-case hex.
fn uuidv4(env: &mut Env<'_>, _args: Vec<Val>) -> FnResult {
    let mut b = [0u8; 16];
    env.random.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(Val::str(format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])))
}

/// `randInt min max`: `rand.Intn(max-min) + min`, which panics unless `max > min`.
fn rand_int(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let (min, max) = (int_arg(&args, 0), int_arg(&args, 1));
    let n = max.wrapping_sub(min);
    if n <= 0 {
        return Err(FnError::new("invalid argument to Intn"));
    }
    let r = rng::below(env.random, n as u64) as i64;
    Ok(Val::Int(r.wrapping_add(min)))
}

/// `genPrivateKey type`: failures and unknown types come back as the string, as in sprig.
fn gen_private_key(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let key = match str_arg(&args, 0) {
        "" | "rsa" => match keys::generate_rsa(env.random, 4096) {
            Ok(k) => k,
            Err(e) => return Ok(Val::str(format!("failed to generate private key: {e}"))),
        },
        "dsa" => keys::generate_dsa(env.random),
        "ecdsa" => keys::generate_p256(env.random),
        "ed25519" => keys::generate_ed25519(env.random),
        other => return Ok(Val::str(format!("Unknown type {other}"))),
    };
    Ok(Val::str(key.to_pem()))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};

    fn call(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: Vec<Val>) -> FnResult {
        let mut random = SeededRandom(99);
        let clock = FixedClock(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args)
    }

    fn s(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: &[&str]) -> String {
        let v = call(f, args.iter().map(|a| Val::str(*a)).collect()).unwrap();
        v.as_str().unwrap().to_string()
    }

    #[test]
    fn hashes_match_helm() {
        assert_eq!(s(sha1sum, &["abc"]), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            s(sha256sum, &["日本"]),
            "cf2abf0c5be326cb922a70f8163f91079c4d9aa8655c60ead89ad545c9de2e92"
        );
        assert_eq!(
            s(sha512sum, &["abc"]),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(s(adler32sum, &["hello"]), "103547413");
        assert_eq!(s(adler32sum, &[""]), "1");
        assert_eq!(s(adler32sum, &["abc"]), "38600999");
        assert_eq!(adler32(&vec![0xff; 100_000]), {
            // Reference: the plain definition, reducing every byte.
            let (mut a, mut b) = (1u64, 0u64);
            for _ in 0..100_000 {
                a = (a + 0xff) % 65521;
                b = (b + a) % 65521;
            }
            ((b << 16) | a) as u32
        });
    }

    #[test]
    fn bcrypt_matches_go() {
        // A Go x/crypto/bcrypt hash helm printed for `htpasswd "user" "pass"`; recompute it
        // from its salt.
        let helm = "$2a$10$E0n8q8EjxBMvf0KS1xsk0e2K877xUGEEnGqJTeMmf8v28C3ddjzJW";
        let salt = decode_bcrypt_salt(&helm[7..29]);
        assert_eq!(bcrypt_base64(&salt), &helm[7..29]);
        assert_eq!(bcrypt_hash(b"pass", salt).unwrap(), helm);
        // More helm hashes: 72 bytes (Go hashes the trailing NUL too), UTF-8, empty.
        for (password, helm) in [
            ("a".repeat(72), "$2a$10$kLJ9PrGUF4JpTpMVSWGoNOFA0QRJlkvw9bow6ZBoJc4XpMm7cbzky"),
            ("日本".to_string(), "$2a$10$nW6FYNjsDx71cn/mOZotZe3ReevoDRJzrXiyd8PhuAKNJRqlpsuwm"),
            (String::new(), "$2a$10$tpC5R0nq6MFwHrjjSV/2auFZ/zwxR.PfDH2m6vlDhdYaOsjU6oy.m"),
        ] {
            let salt = decode_bcrypt_salt(&helm[7..29]);
            assert_eq!(bcrypt_hash(password.as_bytes(), salt).unwrap(), helm);
        }
        assert_eq!(
            s(bcrypt, &[&"a".repeat(73)]),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
        let h = s(htpasswd, &["user", "pass"]);
        assert!(h.starts_with("user:$2a$10$") && h.len() == 65, "{h}");
        assert_eq!(s(htpasswd, &["us:er", "pass"]), "invalid username: us:er");
    }

    /// Inverse of [`bcrypt_base64`] for 16 bytes (tests only).
    fn decode_bcrypt_salt(text: &str) -> [u8; 16] {
        const A: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut bits: Vec<u8> = Vec::new();
        let mut acc = 0u32;
        let mut n = 0;
        for c in text.bytes() {
            acc = (acc << 6) | A.iter().position(|x| *x == c).unwrap() as u32;
            n += 6;
            if n >= 8 {
                n -= 8;
                bits.push((acc >> n) as u8);
            }
        }
        bits[..16].try_into().unwrap()
    }

    #[test]
    fn derive_password_matches_helm() {
        let args = |c: Val| {
            vec![
                c,
                Val::str("long"),
                Val::str("password"),
                Val::str("user"),
                Val::str("example.com"),
            ]
        };
        assert_eq!(
            call(derive_password, args(Val::Int(1))).unwrap().as_str(),
            Some("ZedaFaxcZaso9*")
        );
        // Go keeps the low 32 bits of a literal.
        assert_eq!(
            call(derive_password, args(Val::Int(4_294_967_297))).unwrap().as_str(),
            Some("ZedaFaxcZaso9*")
        );
        assert_eq!(
            call(derive_password, args(Val::Int(-1))).unwrap_err().message,
            "expected unsigned integer; found -1"
        );
        assert_eq!(
            call(derive_password, args(Val::Int64(1))).unwrap_err().message,
            "wrong type for value; expected uint32; got int64"
        );
        assert_eq!(
            call(derive_password, args(Val::Nil)).unwrap_err().message,
            "wrong type for value; expected uint32; got interface {}"
        );
        assert_eq!(
            call(derive_password, args(Val::str("1"))).unwrap_err().message,
            "expected unsigned integer; found \"1\""
        );
        assert_eq!(
            call(derive_password, args(Val::Float(5.0))).unwrap_err().message,
            "wrong type for value; expected uint32; got float64"
        );
        // Every template kind, as helm printed them.
        for (counter, kind, password, user, site, helm) in [
            (1, "maximum", "pw", "üser", "site", "F1%O7W@BC6IgF0QQeMyk"),
            (7, "medium", "pw", "u", "s", "TizNud3/"),
            (2, "short", "", "", "", "Ned9"),
            (3, "basic", "p", "u", "s", "MeI4DWz7"),
            (0, "pin", "p", "u", "s", "9426"),
            (5, "long", "日本", "x", "y", "ZatdQomi0)Jipi"),
        ] {
            assert_eq!(master_password(counter, kind, password, user, site), helm);
        }
        let mut bad = args(Val::Int(1));
        bad[1] = Val::str("nope");
        assert_eq!(
            call(derive_password, bad).unwrap().as_str(),
            Some("cannot find password template nope")
        );
    }

    #[test]
    fn aes_round_trips_and_fails_like_go() {
        let enc = s(encrypt_aes, &["secretkey", "plaintext"]);
        assert_eq!(s(decrypt_aes, &["secretkey", &enc]), "plaintext");
        assert_eq!(s(encrypt_aes, &["k", ""]), "");
        assert_eq!(s(decrypt_aes, &["k", ""]), "");
        assert_eq!(s(encrypt_aes, &["k", "0123456789abcdef"]).len(), 64);
        // helm's output for a 34-byte password (cut to 32) and a fixed ciphertext.
        assert_eq!(
            s(
                decrypt_aes,
                &[
                    "0123456789012345678901234567890123",
                    "RkPbcTukY+wGkJeaVqCyGfT7XggxH6qCrGko/c6gJoA="
                ]
            ),
            "x"
        );
        let err =
            |c: &str| call(decrypt_aes, vec![Val::str("k"), Val::str(c)]).unwrap_err().message;
        assert_eq!(err("!!!"), "illegal base64 data at input byte 0");
        assert_eq!(err("YWJj"), "runtime error: slice bounds out of range [:16] with capacity 3");
        assert_eq!(
            err("YWJj\nZA=="),
            "runtime error: slice bounds out of range [:16] with capacity 6"
        );
        assert_eq!(
            err("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
            "crypto/cipher: input not full blocks"
        );
        assert_eq!(err("AAAAAAAAAAAAAAAAAAAAAA=="), "runtime error: index out of range [-1]");
    }

    #[test]
    fn random_functions() {
        assert_eq!(call(rand_bytes, vec![Val::Int(0)]).unwrap().as_str(), Some(""));
        let v = call(rand_bytes, vec![Val::Int(3)]).unwrap();
        assert_eq!(v.as_str().unwrap().len(), 4);
        assert_eq!(
            call(rand_bytes, vec![Val::Int(-1)]).unwrap_err().message,
            "runtime error: makeslice: len out of range"
        );
        assert!(call(rand_bytes, vec![Val::Int(MAX_RANDOM_BYTES + 1)]).is_err());
        let u = s(uuidv4, &[]);
        let b = u.as_bytes();
        assert_eq!(u.len(), 36);
        assert_eq!((b[8], b[13], b[14], b[18], b[23]), (b'-', b'-', b'4', b'-', b'-'));
        assert!(matches!(b[19], b'8' | b'9' | b'a' | b'b'), "{u}");
        assert_eq!(
            call(rand_int, vec![Val::Int(5), Val::Int(5)]).unwrap_err().message,
            "invalid argument to Intn"
        );
        assert!(matches!(call(rand_int, vec![Val::Int(5), Val::Int(6)]).unwrap(), Val::Int(5)));
        for _ in 0..20 {
            let Val::Int(v) = call(rand_int, vec![Val::Int(-3), Val::Int(3)]).unwrap() else {
                panic!()
            };
            assert!((-3..3).contains(&v));
        }
    }

    #[test]
    fn private_keys() {
        assert_eq!(s(gen_private_key, &["foo"]), "Unknown type foo");
        assert!(s(gen_private_key, &["ecdsa"]).starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        assert!(s(gen_private_key, &["ed25519"]).starts_with("-----BEGIN PRIVATE KEY-----\n"));
    }
}
