//! sprig's certificate functions: `genCA`, `genSelfSignedCert`, `genSignedCert` (and their
//! `WithKey` forms) and `buildCustomCert`, producing the certificates Go's
//! `x509.CreateCertificate` produces from sprig's templates.

use std::any::Any;
use std::net::IpAddr;
use std::rc::Rc;

use chart_core::Value;
use chart_core::gofmt::go_quote;

use super::der::{self, DerError, Reader};
use super::keys::{self, PrivateKey};
use super::pem;
use crate::funcs::date::civil_from_unix;
use crate::funcs::{Env, FnError, FnResult};
use crate::value::{Object, Val};

/// sprig's `certificate` struct: PEM `Cert` and `Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Certificate {
    /// The PEM certificate.
    pub cert: String,
    /// The PEM private key.
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> String {
        "sprig.certificate".to_string()
    }

    fn kind(&self) -> &'static str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Val> {
        match name {
            "Cert" => Some(Val::str(self.cert.as_str())),
            "Key" => Some(Val::str(self.key.as_str())),
            _ => None,
        }
    }

    fn fmt_v(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn to_value(&self) -> Value {
        let mut m = chart_core::Map::new();
        m.insert("Cert".to_string(), Value::String(self.cert.clone()));
        m.insert("Key".to_string(), Value::String(self.key.clone()));
        Value::Map(m)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The parts of a parsed certificate that signing with it needs.
#[derive(Debug, Clone)]
struct Parent {
    /// The DER of the subject name (the child's issuer).
    subject: Vec<u8>,
    /// The subject key identifier, if the certificate has one.
    subject_key_id: Option<Vec<u8>>,
    /// The `SubjectPublicKeyInfo` DER, when it is a key type Go understands.
    spki: Option<Vec<u8>>,
}

/// What sprig's `getBaseCertTemplate` fills in.
#[derive(Debug, Clone)]
struct Template {
    serial: [u8; 16],
    subject: Vec<u8>,
    not_before: i64,
    not_after: i64,
    is_ca: bool,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
}

/// Go's `asn1` `isPrintable` (without `*` and `&`), which picks `PrintableString`.
fn is_printable(c: char) -> bool {
    c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)
}

/// `pkix.Name{CommonName: cn}` as an RDN sequence.
fn name_der(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let tag = if cn.chars().all(is_printable) { der::PRINTABLE_STRING } else { der::UTF8_STRING };
    let atv = der::seq(&[&der::oid(&[2, 5, 4, 3]), &der::tlv(tag, cn.as_bytes())]);
    der::seq(&[&der::cons(der::SET, &[&atv])])
}

/// A time as `asn1` marshals it: `UTCTime` from 1950 to 2049, else `GeneralizedTime`.
fn time_der(unix: i64) -> Result<Vec<u8>, String> {
    let c = civil_from_unix(unix);
    let body = format!("{:02}{:02}{:02}{:02}{:02}Z", c.month, c.day, c.hour, c.minute, c.second);
    if (1950..2050).contains(&c.year) {
        Ok(der::tlv(der::UTC_TIME, format!("{:02}{body}", c.year % 100).as_bytes()))
    } else if (0..=9999).contains(&c.year) {
        Ok(der::tlv(der::GENERALIZED_TIME, format!("{:04}{body}", c.year).as_bytes()))
    } else {
        Err("asn1: cannot represent time as GeneralizedTime".to_string())
    }
}

/// Go's `net.ParseIP`, then the form a certificate stores (4 bytes for IPv4 and IPv4-mapped).
fn parse_ip(s: &str) -> Option<Vec<u8>> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.octets().to_vec()),
        IpAddr::V6(v6) => Some(match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets().to_vec(),
        }),
    }
}

/// The items of a `[]interface {}` argument (nil is empty).
fn items(v: &Val) -> &[Val] {
    match v {
        Val::List(l) => &l.items,
        _ => &[],
    }
}

/// sprig's `getNetIPs`.
fn net_ips(v: &Val) -> Result<Vec<Vec<u8>>, String> {
    items(v)
        .iter()
        .map(|ip| {
            let Val::Str(s) = ip else {
                return Err(format!("error parsing ip: {} is not a string", ip.fmt_v()));
            };
            parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}"))
        })
        .collect()
}

/// sprig's `getAlternateDNSStrs`.
fn dns_names(v: &Val) -> Result<Vec<String>, String> {
    items(v)
        .iter()
        .map(|d| match d {
            Val::Str(s) => Ok(s.to_string()),
            other => Err(format!(
                "error processing alternate dns name: {} is not a string",
                other.fmt_v()
            )),
        })
        .collect()
}

/// The current time in Unix nanoseconds from the Env's clock (`time.Now()`).
fn now_unix_nanos(env: &Env<'_>) -> i128 {
    match env.clock.now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// sprig's `getBaseCertTemplate`.
fn base_template(
    env: &mut Env<'_>,
    cn: &str,
    ips: &Val,
    dns: &Val,
    days: i64,
) -> Result<Template, String> {
    let ips = net_ips(ips)?;
    let dns = dns_names(dns)?;
    let mut serial = [0u8; 16];
    env.random.fill(&mut serial);
    let now = now_unix_nanos(env);
    // time.Hour * 24 * time.Duration(days) wraps like Go's int64 arithmetic; x509 then drops
    // the fraction of a second.
    let validity = i128::from(86_400_000_000_000i64.wrapping_mul(days));
    let secs = |ns: i128| i64::try_from(ns.div_euclid(1_000_000_000)).unwrap_or(i64::MAX);
    Ok(Template {
        serial,
        subject: name_der(cn),
        not_before: secs(now),
        not_after: secs(now + validity),
        is_ca: false,
        ips,
        dns,
    })
}

/// One extension.
fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let crit = if critical { der::tlv(der::BOOLEAN, &[0xff]) } else { Vec::new() };
    der::seq(&[&der::oid(oid), &crit, &der::octets(value)])
}

/// The extensions Go's `buildCertExtensions` writes for sprig's templates.
fn extensions(
    t: &Template,
    subject_is_empty: bool,
    authority_key_id: Option<&[u8]>,
    subject_key_id: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let mut exts = Vec::new();
    // digitalSignature | keyEncipherment (| keyCertSign), bits reversed into a BIT STRING.
    let usage: &[u8] = if t.is_ca { &[0x03, 0x02, 0x02, 0xa4] } else { &[0x03, 0x02, 0x05, 0xa0] };
    exts.push(extension(&[2, 5, 29, 15], true, usage));
    let server_auth = der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]);
    let client_auth = der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]);
    exts.push(extension(&[2, 5, 29, 37], false, &der::seq(&[&server_auth, &client_auth])));
    let constraints =
        if t.is_ca { der::seq(&[&der::tlv(der::BOOLEAN, &[0xff])]) } else { der::seq(&[]) };
    exts.push(extension(&[2, 5, 29, 19], true, &constraints));
    if let Some(id) = subject_key_id {
        exts.push(extension(&[2, 5, 29, 14], false, &der::octets(id)));
    }
    if let Some(id) = authority_key_id {
        exts.push(extension(&[2, 5, 29, 35], false, &der::seq(&[&der::tlv(der::implicit(0), id)])));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for d in &t.dns {
            if !d.is_ascii() {
                return Err(format!("x509: {} cannot be encoded as an IA5String", go_quote(d)));
            }
            names.push(der::tlv(der::implicit(2), d.as_bytes()));
        }
        for ip in &t.ips {
            names.push(der::tlv(der::implicit(7), ip));
        }
        let refs: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
        exts.push(extension(&[2, 5, 29, 17], subject_is_empty, &der::seq(&refs)));
    }
    let refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();
    Ok(der::seq(&refs))
}

/// Go's `x509.CreateCertificate` for sprig's templates; returns the PEM certificate.
fn create_certificate(
    t: &Template,
    signee: &PrivateKey,
    parent: &Parent,
    signer: &PrivateKey,
) -> Result<String, String> {
    let sig_alg = signer.signature_algorithm()?;
    let (pk_alg, pk_bits) = signee.public_key_info()?;
    let authority_key_id = match &parent.subject_key_id {
        Some(id) if parent.subject != t.subject && !id.is_empty() => Some(id.as_slice()),
        _ => None,
    };
    let subject_key_id = t.is_ca.then(|| keys::subject_key_id(&pk_bits));
    if let Some(spki) = &parent.spki {
        if signer.spki().ok().as_ref() != Some(spki) {
            return Err("x509: provided PrivateKey doesn't match parent's PublicKey".to_string());
        }
    }
    let empty_subject = der::seq(&[]);
    let exts =
        extensions(t, t.subject == empty_subject, authority_key_id, subject_key_id.as_deref())?;
    let tbs = der::seq(&[
        &der::cons(der::explicit(0), &[&der::small_int(2)]),
        &der::uint(&t.serial),
        &sig_alg,
        &parent.subject,
        &der::seq(&[&time_der(t.not_before)?, &time_der(t.not_after)?]),
        &t.subject,
        &der::seq(&[&pk_alg, &der::bit_string(&pk_bits)]),
        &der::cons(der::explicit(3), &[&exts]),
    ]);
    let signature = signer.sign(&tbs)?;
    let cert = der::seq(&[&tbs, &sig_alg, &der::bit_string(&signature)]);
    Ok(pem::encode("CERTIFICATE", &cert))
}

/// The error texts of Go's certificate parser, by the part that failed.
fn malformed(part: &str) -> impl Fn(DerError) -> String + '_ {
    move |_| format!("x509: malformed {part}")
}

/// The parts of `x509.ParseCertificate` sprig relies on.
fn parse_certificate(der_bytes: &[u8]) -> Result<Parent, String> {
    let mut outer = Reader::new(der_bytes);
    let mut cert = outer.nested(der::SEQUENCE).map_err(malformed("certificate"))?;
    outer.finish().map_err(|_| "x509: trailing data".to_string())?;
    let mut tbs = cert.nested(der::SEQUENCE).map_err(malformed("tbs certificate"))?;
    cert.nested(der::SEQUENCE).map_err(malformed("signature algorithm identifier"))?;
    cert.expect(der::BIT_STRING).map_err(malformed("signature"))?;
    if let Some(v) = tbs.optional(der::explicit(0)).map_err(malformed("version"))? {
        let version = Reader::new(v.content).small_uint().map_err(malformed("version"))?;
        if version > 2 {
            return Err(format!("x509: invalid version {}", version + 1));
        }
    }
    let serial = tbs.expect(der::INTEGER).map_err(malformed("serial number"))?;
    der::check_integer(serial.content).map_err(malformed("serial number"))?;
    tbs.nested(der::SEQUENCE).map_err(malformed("signature algorithm identifier"))?;
    tbs.expect(der::SEQUENCE).map_err(malformed("issuer"))?;
    let mut validity = tbs.nested(der::SEQUENCE).map_err(malformed("validity"))?;
    for _ in 0..2 {
        match validity.any().map_err(malformed("validity"))?.tag {
            der::UTC_TIME | der::GENERALIZED_TIME => {}
            _ => return Err("x509: malformed validity".to_string()),
        }
    }
    let subject = tbs.expect(der::SEQUENCE).map_err(malformed("subject"))?.raw.to_vec();
    let spki = tbs.expect(der::SEQUENCE).map_err(malformed("spki"))?;
    let mut spki_r = Reader::new(spki.content);
    let mut alg = spki_r.nested(der::SEQUENCE).map_err(malformed("spki"))?;
    let alg_oid = alg.expect(der::OID).map_err(malformed("spki"))?;
    spki_r.expect(der::BIT_STRING).map_err(malformed("spki"))?;
    let known =
        [&[1u64, 2, 840, 113549, 1, 1, 1][..], &[1, 2, 840, 10045, 2, 1], &[1, 3, 101, 112]]
            .iter()
            .any(|o| der::oid(o)[2..] == *alg_oid.content);
    tbs.optional(der::implicit(1)).map_err(malformed("issuerUniqueID"))?;
    tbs.optional(der::implicit(2)).map_err(malformed("subjectUniqueID"))?;
    let mut subject_key_id = None;
    if let Some(exts) = tbs.optional(der::explicit(3)).map_err(malformed("extensions"))? {
        let mut list = Reader::new(exts.content);
        let mut list = list.nested(der::SEQUENCE).map_err(malformed("extensions"))?;
        let skid_oid = der::oid(&[2, 5, 29, 14]);
        while !list.is_empty() {
            let mut ext = list.nested(der::SEQUENCE).map_err(malformed("extension"))?;
            let oid = ext.expect(der::OID).map_err(malformed("extension OID field"))?;
            ext.optional(der::BOOLEAN).map_err(malformed("extension critical field"))?;
            let value =
                ext.expect(der::OCTET_STRING).map_err(malformed("extension value field"))?;
            if oid.raw == skid_oid.as_slice() {
                let id = der::single(value.content, der::OCTET_STRING)
                    .map_err(|_| "x509: invalid subject key identifier".to_string())?;
                subject_key_id = Some(id.content.to_vec());
            }
        }
    }
    Ok(Parent { subject, subject_key_id, spki: known.then(|| spki.raw.to_vec()) })
}

/// Builds a certificate of `t` for `signee`, signed by `signer` as `parent` (the template itself
/// when self-signed), as sprig's `getCertAndKey`.
fn cert_and_key(
    t: &Template,
    signee: &PrivateKey,
    parent: Option<&Parent>,
    signer: &PrivateKey,
) -> FnResult {
    let own;
    let parent = match parent {
        Some(p) => p,
        None => {
            own = Parent { subject: t.subject.clone(), subject_key_id: None, spki: None };
            &own
        }
    };
    let cert = create_certificate(t, signee, parent, signer)
        .map_err(|e| FnError::new(format!("error creating certificate: {e}")))?;
    Ok(Val::Obj(Rc::new(Certificate { cert, key: signee.to_pem() })))
}

fn int_arg(v: &Val) -> i64 {
    match v {
        Val::Int(i) | Val::Int64(i) => *i,
        _ => 0,
    }
}

fn str_arg(v: &Val) -> &str {
    v.as_str().unwrap_or_default()
}

/// The `certificate` argument of `genSignedCert`: Go rejects anything else before the call.
fn certificate_arg(v: &Val) -> Result<Certificate, FnError> {
    match v {
        Val::Obj(o) => match o.as_any().downcast_ref::<Certificate>() {
            Some(c) => Ok(c.clone()),
            None => Err(super::struct_arg_error(v, "sprig.certificate")),
        },
        _ => Err(super::struct_arg_error(v, "sprig.certificate")),
    }
}

fn rsa_2048(env: &mut Env<'_>) -> Result<PrivateKey, FnError> {
    keys::generate_rsa(env.random, 2048)
        .map_err(|e| FnError::new(format!("error generating rsa key: {e}")))
}

fn pem_key(text: &str) -> Result<PrivateKey, FnError> {
    keys::parse_private_key_pem(text).map_err(|e| FnError::new(format!("parsing private key: {e}")))
}

fn ca_with_key(env: &mut Env<'_>, cn: &str, days: i64, key: &PrivateKey) -> FnResult {
    let mut t = base_template(env, cn, &Val::Nil, &Val::Nil, days).map_err(FnError::new)?;
    t.is_ca = true;
    cert_and_key(&t, key, None, key)
}

/// `genCA cn days`.
pub(super) fn gen_ca(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let key = rsa_2048(env)?;
    ca_with_key(env, str_arg(&args[0]), int_arg(&args[1]), &key)
}

/// `genCAWithKey cn days key`.
pub(super) fn gen_ca_with_key(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let key = pem_key(str_arg(&args[2]))?;
    ca_with_key(env, str_arg(&args[0]), int_arg(&args[1]), &key)
}

fn self_signed(env: &mut Env<'_>, args: &[Val], key: Option<&PrivateKey>) -> FnResult {
    let t = base_template(env, str_arg(&args[0]), &args[1], &args[2], int_arg(&args[3]))
        .map_err(FnError::new)?;
    let generated;
    let key = match key {
        Some(k) => k,
        None => {
            generated = rsa_2048(env)?;
            &generated
        }
    };
    cert_and_key(&t, key, None, key)
}

/// `genSelfSignedCert cn ips dns days`.
pub(super) fn gen_self_signed_cert(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    self_signed(env, &args, None)
}

/// `genSelfSignedCertWithKey cn ips dns days key`.
pub(super) fn gen_self_signed_cert_with_key(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let key = pem_key(str_arg(&args[4]))?;
    self_signed(env, &args, Some(&key))
}

fn signed(env: &mut Env<'_>, args: &[Val], ca: &Certificate, key: Option<&PrivateKey>) -> FnResult {
    let block = pem::decode(ca.cert.as_bytes())
        .ok_or_else(|| FnError::new("unable to decode certificate"))?;
    let parent = parse_certificate(&block.bytes).map_err(|e| {
        FnError::new(format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))
    })?;
    let signer = keys::parse_private_key_pem(&ca.key)
        .map_err(|e| FnError::new(format!("error parsing private key: {e}")))?;
    let t = base_template(env, str_arg(&args[0]), &args[1], &args[2], int_arg(&args[3]))
        .map_err(FnError::new)?;
    let generated;
    let key = match key {
        Some(k) => k,
        None => {
            generated = rsa_2048(env)?;
            &generated
        }
    };
    cert_and_key(&t, key, Some(&parent), &signer)
}

/// `genSignedCert cn ips dns days ca`.
pub(super) fn gen_signed_cert(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let ca = certificate_arg(&args[4])?;
    signed(env, &args, &ca, None)
}

/// `genSignedCertWithKey cn ips dns days ca key`.
pub(super) fn gen_signed_cert_with_key(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let ca = certificate_arg(&args[4])?;
    let key = pem_key(str_arg(&args[5]))?;
    signed(env, &args, &ca, Some(&key))
}

/// `buildCustomCert b64cert b64key`.
pub(super) fn build_custom_cert(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let cert = pem::decode_std(str_arg(&args[0]).as_bytes())
        .map_err(|_| FnError::new("unable to decode base64 certificate"))?;
    let key = pem::decode_std(str_arg(&args[1]).as_bytes())
        .map_err(|_| FnError::new("unable to decode base64 private key"))?;
    let block = pem::decode(&cert).ok_or_else(|| FnError::new("unable to decode certificate"))?;
    parse_certificate(&block.bytes)
        .map_err(|e| FnError::new(format!("error parsing certificate: decodedCert.Bytes: {e}")))?;
    let key_text = String::from_utf8_lossy(&key).into_owned();
    keys::parse_private_key_pem(&key_text)
        .map_err(|e| FnError::new(format!("error parsing private key: {e}")))?;
    Ok(Val::Obj(Rc::new(Certificate {
        cert: String::from_utf8_lossy(&cert).into_owned(),
        key: key_text,
    })))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};

    fn call(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: Vec<Val>) -> FnResult {
        let mut random = SeededRandom(42);
        // 2023-11-14 22:13:20 UTC
        let clock = FixedClock(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args)
    }

    fn cert_of(v: &Val) -> Certificate {
        match v {
            Val::Obj(o) => o.as_any().downcast_ref::<Certificate>().unwrap().clone(),
            other => panic!("not a certificate: {other:?}"),
        }
    }

    /// The DER of the certificate's TBS fields, in order.
    fn tbs_fields(cert_pem: &str) -> Vec<Vec<u8>> {
        let der = pem::decode(cert_pem.as_bytes()).unwrap().bytes;
        let mut outer = Reader::new(&der);
        let mut cert = outer.nested(der::SEQUENCE).unwrap();
        let mut tbs = cert.nested(der::SEQUENCE).unwrap();
        let mut fields = Vec::new();
        while !tbs.is_empty() {
            fields.push(tbs.any().unwrap().raw.to_vec());
        }
        fields
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    const HELM_EC_KEY: &str = "-----BEGIN EC PRIVATE KEY-----\n\
        MHcCAQEEIN/UTFzq+waShrYipHtzPAjgKGZvZdMnM+dVuo36xWH3oAoGCCqGSM49\n\
        AwEHoUQDQgAEao7cZ4owqTz3+QaZeODudf9l4/pjtPOO+zu7lN4DIl/nZlZaJLB3\n\
        Ryy/80c93GDYd2JcE7kd2PDxRCU7rIaltw==\n\
        -----END EC PRIVATE KEY-----\n";

    #[test]
    fn ca_and_signed_cert_have_sprigs_contents() {
        // One RSA CA (the only RSA generation here), then an EC-keyed leaf it signs.
        let ca = cert_of(&call(gen_ca, vec![Val::str("ca"), Val::Int(10)]).unwrap());
        assert!(ca.cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(ca.key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let f = tbs_fields(&ca.cert);
        // version 3, 16-byte serial, sha256WithRSA, issuer == subject == CN=ca.
        assert_eq!(hex(&f[0]), "a003020102");
        assert_eq!(hex(&f[2]), "300d06092a864886f70d01010b0500");
        assert_eq!(hex(&f[3]), "300d310b300906035504031302".to_string() + "6361");
        assert_eq!(f[3], f[5]);
        // 2023-11-14 22:13:20 for 10 days, as UTCTime.
        assert_eq!(
            f[4],
            der::seq(&[
                &der::tlv(der::UTC_TIME, b"231114221320Z"),
                &der::tlv(der::UTC_TIME, b"231124221320Z")
            ])
        );
        // Key usage with certSign, both ext key usages, CA:TRUE and a SHA-256 key id.
        let exts = hex(&f[7]);
        assert!(exts.contains("300e0603551d0f0101ff0404030202a4"), "{exts}");
        assert!(
            exts.contains("301d0603551d250416301406082b0601050507030106082b06010505070302"),
            "{exts}"
        );
        assert!(exts.contains("300f0603551d130101ff040530030101ff"), "{exts}");
        assert!(exts.contains("0603551d0e04160414"), "{exts}");
        // The private key parses back to the key the certificate holds.
        let key = keys::parse_private_key_pem(&ca.key).unwrap();
        assert_eq!(key.spki().unwrap(), f[6]);

        let ca_val = Val::Obj(Rc::new(ca.clone()));
        let ips =
            Val::list(vec![Val::str("10.0.0.1"), Val::str("::1"), Val::str("::ffff:1.2.3.4")]);
        let dns = Val::list(vec![Val::str("a.example")]);
        let leaf = cert_of(
            &call(
                gen_signed_cert_with_key,
                vec![Val::str("srv"), ips, dns, Val::Int(5), ca_val.clone(), Val::str(HELM_EC_KEY)],
            )
            .unwrap(),
        );
        assert_eq!(leaf.key, HELM_EC_KEY);
        let lf = tbs_fields(&leaf.cert);
        assert_eq!(lf[3], f[5], "issuer is the CA's subject");
        let lexts = hex(&lf[7]);
        assert!(lexts.contains("300e0603551d0f0101ff0404030205a0"), "{lexts}");
        assert!(lexts.contains("300c0603551d130101ff04023000"), "{lexts}");
        // The authority key id is the CA's subject key id.
        let skid_at = exts.find("0603551d0e04160414").unwrap() + 18;
        assert!(lexts.contains(&format!("0603551d23041830168014{}", &exts[skid_at..skid_at + 40])));
        // SAN: DNS name, then IPv4, IPv6, and the IPv4-mapped address as 4 bytes.
        assert!(
            lexts.contains(
                "8209612e6578616d706c6587040a000001871000000000000000000000000000000001870401020304"
            ),
            "{lexts}"
        );

        // Signing with a key that is not the CA's fails as Go does.
        let mismatched = Certificate { cert: ca.cert.clone(), key: HELM_EC_KEY.to_string() };
        let err = call(
            gen_signed_cert_with_key,
            vec![
                Val::str("x"),
                Val::Nil,
                Val::Nil,
                Val::Int(1),
                Val::Obj(Rc::new(mismatched)),
                Val::str(HELM_EC_KEY),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
        );

        // buildCustomCert accepts the pair back unchanged.
        let b64 = |s: &str| Val::str(crate::funcs::base64_std(s.as_bytes()));
        let built = cert_of(&call(build_custom_cert, vec![b64(&ca.cert), b64(&ca.key)]).unwrap());
        assert_eq!(built, ca);
        assert_eq!(Val::Obj(Rc::new(built)).type_name(), "sprig.certificate");
    }

    #[test]
    fn self_signed_with_ec_key_uses_ecdsa() {
        let c = cert_of(
            &call(
                gen_self_signed_cert_with_key,
                vec![Val::str("x"), Val::Nil, Val::Nil, Val::Int(1), Val::str(HELM_EC_KEY)],
            )
            .unwrap(),
        );
        let f = tbs_fields(&c.cert);
        assert_eq!(hex(&f[2]), "300a06082a8648ce3d040302");
        // Not a CA: no subject key id, no SAN.
        let exts = hex(&f[7]);
        assert!(!exts.contains("0603551d0e"));
        assert!(!exts.contains("0603551d11"));
    }

    #[test]
    fn argument_errors_are_sprigs() {
        let err = |f, args| call(f, args).unwrap_err().message;
        assert_eq!(
            err(
                gen_self_signed_cert,
                vec![Val::str("y"), Val::list(vec![Val::str("1.2.3")]), Val::Nil, Val::Int(1)]
            ),
            "error parsing ip: 1.2.3"
        );
        assert_eq!(
            err(
                gen_self_signed_cert,
                vec![Val::str("y"), Val::list(vec![Val::Int(1)]), Val::Nil, Val::Int(1)]
            ),
            "error parsing ip: 1 is not a string"
        );
        assert_eq!(
            err(
                gen_self_signed_cert,
                vec![Val::str("y"), Val::Nil, Val::list(vec![Val::Int(1)]), Val::Int(1)]
            ),
            "error processing alternate dns name: 1 is not a string"
        );
        assert_eq!(
            err(gen_ca_with_key, vec![Val::str("x"), Val::Int(1), Val::str("junk")]),
            "parsing private key: no PEM data in input"
        );
        assert_eq!(
            err(gen_signed_cert, vec![Val::str("y"), Val::Nil, Val::Nil, Val::Int(1), Val::Nil]),
            "wrong type for value; expected sprig.certificate; got interface {}"
        );
        assert_eq!(
            err(
                gen_signed_cert,
                vec![Val::str("y"), Val::Nil, Val::Nil, Val::Int(1), Val::str("s")]
            ),
            "can't handle \"s\" for arg of type sprig.certificate"
        );
        let map = Val::map(Default::default());
        assert_eq!(
            err(gen_signed_cert, vec![Val::str("y"), Val::Nil, Val::Nil, Val::Int(1), map]),
            "wrong type for value; expected sprig.certificate; got map[string]interface {}"
        );
        assert_eq!(
            err(build_custom_cert, vec![Val::str("!!"), Val::str("x")]),
            "unable to decode base64 certificate"
        );
        assert_eq!(
            err(build_custom_cert, vec![Val::str("eA=="), Val::str("!!")]),
            "unable to decode base64 private key"
        );
        assert_eq!(
            err(build_custom_cert, vec![Val::str("eA=="), Val::str("eA==")]),
            "unable to decode certificate"
        );
        let bad = crate::funcs::base64_std(
            b"-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n",
        );
        assert_eq!(
            err(build_custom_cert, vec![Val::str(bad), Val::str("eA==")]),
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate"
        );
    }

    #[test]
    fn validity_wraps_like_go_durations() {
        // helm: genCA with 3000000 days ends in 2056 (time.Duration overflow), 100000 in 2300.
        let t = |days| {
            let mut random = SeededRandom(1);
            // helm's notBefore: 2026-11-21 07:09:48 UTC.
            let clock = FixedClock(UNIX_EPOCH + Duration::from_secs(1_795_244_988));
            let mut env = Env { random: &mut random, clock: &clock, lint: None };
            let t = base_template(&mut env, "x", &Val::Nil, &Val::Nil, days).unwrap();
            time_der(t.not_after).unwrap()
        };
        assert_eq!(t(3_000_000), der::tlv(der::GENERALIZED_TIME, b"20561107130556Z"));
        assert_eq!(t(100_000), der::tlv(der::GENERALIZED_TIME, b"23000906070948Z"));
        assert_eq!(t(-5), der::tlv(der::UTC_TIME, b"261116070948Z"));
    }
}
