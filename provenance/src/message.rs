//! Clear-signed text in and out (RFC 4880 section 7), read the way Helm's OpenPGP library reads it.
//!
//! Reading follows Go's `openpgp/clearsign.Decode`: anything before the
//! `-----BEGIN PGP SIGNED MESSAGE-----` line is ignored, the only headers allowed are `Hash`
//! (any value, or none) and `SaltedHash`, lines may end in CRLF, a leading `- ` is removed,
//! trailing spaces and tabs are not signed, and the signature's armor is checked only as far as
//! its `-----BEGIN` line and headers (its CRC line is ignored). Writing produces exactly what
//! `helm package --sign` writes.

use crate::error::ProvenanceError;

/// The first line of a clear-signed message.
const BEGIN_MESSAGE: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----";
/// The line that ends the signed text and starts the signature.
const BEGIN_SIGNATURE: &[u8] = b"-----BEGIN PGP SIGNATURE-----";
/// The line that ends the signature (looked for with the newline before it).
const END_SIGNATURE: &[u8] = b"\n-----END PGP SIGNATURE-----";

/// A clear-signed message taken apart: the text as the signer meant it, the exact bytes the
/// signature covers, and the signature packets.
///
/// ```
/// let prov = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- -x\nname: a  \n\
///             -----BEGIN PGP SIGNATURE-----\n\nwsE=\n-----END PGP SIGNATURE-----";
/// let msg = chart_provenance::ClearSigned::parse(prov.as_bytes()).unwrap();
/// assert_eq!(msg.plaintext(), b"-x\nname: a\n");
/// assert_eq!(msg.signed_bytes(), b"-x\r\nname: a");
/// assert_eq!(msg.hash_headers(), ["SHA512"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearSigned {
    hash_headers: Vec<String>,
    plaintext: Vec<u8>,
    signed: Vec<u8>,
    signature: Armored,
}

/// The decoded body of the signature's armor: the bytes before the first base64 error, and
/// that error (Go's decoder reports it only when the reader gets that far).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Armored {
    pub(crate) bytes: Vec<u8>,
    pub(crate) error: Option<String>,
}

impl ClearSigned {
    /// Finds the first clear-signed message in `data` and takes it apart.
    ///
    /// Fails with [`ProvenanceError::SignatureBlockNotFound`] (helm's `signature block not
    /// found`) where Go's decoder finds no message: no start line, a header other than `Hash`
    /// or `SaltedHash`, no signature, no `-----END PGP SIGNATURE-----`, or an armor header
    /// that does not parse. Never panics.
    pub fn parse(data: &[u8]) -> Result<ClearSigned, ProvenanceError> {
        decode(data).ok_or(ProvenanceError::SignatureBlockNotFound)
    }

    /// The values of the `Hash:` headers (unchecked, as in Helm), in order.
    pub fn hash_headers(&self) -> &[String] {
        &self.hash_headers
    }

    /// The signed text as its author wrote it: each line (dash-escape removed, trailing spaces
    /// and tabs dropped) followed by `\n`.
    pub fn plaintext(&self) -> &[u8] {
        &self.plaintext
    }

    /// The bytes the signature is computed over: the same lines joined by CRLF, with no line
    /// break after the last one.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// The binary signature packets from the armor (as far as they decode).
    pub fn signature_bytes(&self) -> &[u8] {
        &self.signature.bytes
    }

    pub(crate) fn armored(&self) -> &Armored {
        &self.signature
    }
}

/// Go's `getLine`: the first line (without `\n` or `\r\n`) and the rest after it.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        None => (data, &data[data.len()..]),
        Some(i) => {
            let end = if i > 0 && data[i - 1] == b'\r' { i - 1 } else { i };
            (&data[..end], &data[i + 1..])
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_right_space_tab(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = line {
        line = rest;
    }
    line
}

fn decode(data: &[u8]) -> Option<ClearSigned> {
    let mut rest = if data.starts_with(BEGIN_MESSAGE) {
        &data[BEGIN_MESSAGE.len()..]
    } else {
        let mut start = Vec::with_capacity(BEGIN_MESSAGE.len() + 1);
        start.push(b'\n');
        start.extend_from_slice(BEGIN_MESSAGE);
        let i = find(data, &start)?;
        &data[i + start.len()..]
    };
    let (suffix, after) = get_line(rest);
    if !suffix.is_empty() {
        return None;
    }
    rest = after;

    let mut hash_headers = Vec::new();
    loop {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = get_line(rest);
        rest = after;
        if line.is_empty() {
            break;
        }
        if line.iter().any(|&b| !(0x20..=0x7e).contains(&b)) {
            return None;
        }
        let colon = line.iter().position(|&b| b == b':')?;
        // The line is printable ASCII, so these conversions cannot fail.
        let key = std::str::from_utf8(&line[..colon]).ok()?.trim();
        let val = std::str::from_utf8(&line[colon + 1..]).ok()?;
        match key {
            "Hash" => hash_headers.extend(val.split(',').map(|v| v.trim().to_owned())),
            "SaltedHash" => {}
            _ => return None,
        }
    }

    let mut plaintext = Vec::new();
    let mut signed = Vec::new();
    let mut first = true;
    loop {
        let start = rest;
        let (line, after) = get_line(rest);
        if line.is_empty() && after.is_empty() {
            return None;
        }
        if line == BEGIN_SIGNATURE {
            rest = start;
            break;
        }
        rest = after;
        if first {
            first = false;
        } else {
            signed.extend_from_slice(b"\r\n");
        }
        let line = line.strip_prefix(b"- ").unwrap_or(line);
        let line = trim_right_space_tab(line);
        signed.extend_from_slice(line);
        plaintext.extend_from_slice(line);
        plaintext.push(b'\n');
    }

    let mut end = find(rest, END_SIGNATURE)? + END_SIGNATURE.len();
    while end < rest.len() && matches!(rest[end], b'\r' | b'\n') {
        end += 1;
    }
    let signature = decode_armor(&rest[..end])?;
    Some(ClearSigned { hash_headers, plaintext, signed, signature })
}

/// Go's `bufio.Reader.ReadLine` over `data` with a 100-byte buffer: the line without its line
/// ending, whether it was cut at the buffer size, and the rest. `None` at the end of the data.
fn read_line(data: &[u8]) -> Option<(&[u8], bool, &[u8])> {
    const BUF: usize = 100;
    if data.is_empty() {
        return None;
    }
    match data.iter().take(BUF).position(|&b| b == b'\n') {
        Some(i) => {
            let line = &data[..i];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            Some((line, false, &data[i + 1..]))
        }
        None if data.len() <= BUF => {
            let line = data.strip_suffix(b"\r").unwrap_or(data);
            Some((line, false, &data[data.len()..]))
        }
        None => {
            // A `\r` at the buffer's end is held back for the next read, as bufio does.
            let cut = if data[BUF - 1] == b'\r' { BUF - 1 } else { BUF };
            Some((&data[..cut], true, &data[cut..]))
        }
    }
}

fn trim_space(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() || *first == 0x0b {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() || *last == 0x0b {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Go's `armor.Decode` followed by reading the whole body: the block's start line and headers
/// must parse (else `None`); body lines are then read until an `-----END ` line or a
/// five-character `=` checksum line and base64-decoded, keeping the first error.
pub(crate) fn decode_armor(data: &[u8]) -> Option<Armored> {
    const START: &[u8] = b"-----BEGIN ";
    let mut rest = data;
    'next_block: loop {
        // Skip leading garbage up to a `-----BEGIN ` line.
        let mut ignore_next = false;
        loop {
            let ignore_this = ignore_next;
            let (line, prefix, after) = read_line(rest)?;
            rest = after;
            ignore_next = prefix;
            if prefix || ignore_this {
                continue;
            }
            let line = trim_space(line);
            if line.len() > START.len() + 5 && line.starts_with(START) {
                break;
            }
        }
        // Headers, up to an empty line; a line without a colon starts the search again.
        let mut continuation = false;
        loop {
            let is_continuation = continuation;
            let (line, prefix, after) = read_line(rest)?;
            rest = after;
            continuation = prefix;
            if is_continuation {
                continue;
            }
            let line = trim_space(line);
            if line.is_empty() {
                break;
            }
            if !line.contains(&b':') {
                continue 'next_block;
            }
        }
        return Some(decode_armor_body(rest));
    }
}

fn decode_armor_body(mut rest: &[u8]) -> Armored {
    let mut text = Vec::new();
    let mut error = None;
    while let Some((line, prefix, after)) = read_line(rest) {
        rest = after;
        if prefix {
            error = Some("openpgp: invalid data: armor invalid".to_owned());
            break;
        }
        if line.starts_with(b"-----END ") || (line.len() == 5 && line[0] == b'=') {
            break;
        }
        if line.len() > 96 {
            error = Some("openpgp: invalid data: armor invalid".to_owned());
            break;
        }
        text.extend(line.iter().filter(|&&b| b != b'\r' && b != b'\n'));
    }
    let (bytes, b64_error) = base64_decode_go(&text);
    Armored { bytes, error: b64_error.or(error) }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Go's `base64.StdEncoding` stream decoder: the bytes decoded before the first error, and
/// that error's text (`illegal base64 data at input byte N`, or `unexpected EOF` for a
/// trailing partial group).
pub(crate) fn base64_decode_go(text: &[u8]) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut i = 0;
    while i < text.len() {
        let chunk = &text[i..text.len().min(i + 4)];
        if chunk.len() < 4 {
            // A short final group: an illegal character in it is reported first.
            if let Some(j) = chunk.iter().position(|&c| b64_value(c).is_none()) {
                return (out, Some(format!("illegal base64 data at input byte {}", i + j)));
            }
            return (out, Some("unexpected EOF".to_owned()));
        }
        let mut vals = [0u8; 4];
        let mut n = 4;
        for (j, &c) in chunk.iter().enumerate() {
            match b64_value(c) {
                Some(v) => vals[j] = v,
                None if c == b'=' && j >= 2 => {
                    // Padding: `xx==` or `xxx=`, and nothing may follow it.
                    let ok = match j {
                        2 => chunk[3] == b'=',
                        _ => true,
                    };
                    if !ok {
                        return (out, Some(format!("illegal base64 data at input byte {}", i + 3)));
                    }
                    if i + 4 < text.len() {
                        return (out, Some(format!("illegal base64 data at input byte {}", i + 4)));
                    }
                    n = j;
                    break;
                }
                None => {
                    return (out, Some(format!("illegal base64 data at input byte {}", i + j)));
                }
            }
        }
        let word = (u32::from(vals[0]) << 18)
            | (u32::from(vals[1]) << 12)
            | (u32::from(vals[2]) << 6)
            | u32::from(vals[3]);
        let bytes = word.to_be_bytes();
        out.extend_from_slice(&bytes[1..n]);
        i += 4;
    }
    (out, None)
}

/// Standard base64 with padding.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let word = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(B64[((word >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Dash-escapes `text` as a clear-signing encoder writes it: a line starting with `-` gets
/// `- ` in front, and spaces, tabs and carriage returns at the end of each line are dropped
/// (they are not signed). The result ends with a line break.
pub fn dash_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.trim_end_matches([' ', '\t', '\r']);
        if body.starts_with('-') {
            out.push_str("- ");
        }
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The whole clear-signed document around an already escaped `escaped_text` (which ends with a
/// line break) and the binary signature packets: Helm's layout, with a `Hash:` header, a blank
/// line before the signature, 64-column base64, no armor headers, no CRC line and no line
/// break after the last line.
pub(crate) fn encode(escaped_text: &str, hash_name: &str, signature: &[u8]) -> String {
    let b64 = base64_encode(signature);
    let mut out = String::with_capacity(escaped_text.len() + b64.len() + 128);
    out.push_str("-----BEGIN PGP SIGNED MESSAGE-----\nHash: ");
    out.push_str(hash_name);
    out.push_str("\n\n");
    out.push_str(escaped_text);
    out.push_str("\n-----BEGIN PGP SIGNATURE-----\n\n");
    for (i, chunk) in b64.as_bytes().chunks(64).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Base64 text is ASCII, so each chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    out.push_str("\n-----END PGP SIGNATURE-----");
    out
}

/// The bytes a signature over the escaped text `escaped_text` must cover, as the verifier will
/// compute them: the message is parsed back the way [`ClearSigned::parse`] reads it.
pub(crate) fn signed_bytes_of(escaped_text: &str) -> Vec<u8> {
    let probe = encode(escaped_text, "SHA512", &[]);
    decode(probe.as_bytes()).map(|m| m.signed).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for n in 0..20 {
            let data: Vec<u8> = (0..n).map(|i| (i * 37 + 5) as u8).collect();
            let enc = base64_encode(&data);
            assert_eq!(base64_decode_go(enc.as_bytes()), (data, None));
        }
    }

    #[test]
    fn base64_errors_like_go() {
        assert_eq!(base64_decode_go(b"QUJD").0, b"ABC");
        assert_eq!(base64_decode_go(b"QUJDR").1.as_deref(), Some("unexpected EOF"));
        assert_eq!(
            base64_decode_go(b"QU*D").1.as_deref(),
            Some("illegal base64 data at input byte 2")
        );
        assert_eq!(
            base64_decode_go(b"QQ==QUJD").1.as_deref(),
            Some("illegal base64 data at input byte 4")
        );
    }

    #[test]
    fn dash_escape_and_parse_back() {
        let text = "- a\n-b\nc \t\n--\n\n";
        let esc = dash_escape(text);
        assert_eq!(esc, "- - a\n- -b\nc\n- --\n\n");
        let m = decode(encode(&esc, "SHA512", b"x").as_bytes()).expect("parses");
        assert_eq!(m.plaintext, b"- a\n-b\nc\n--\n\n\n");
        assert_eq!(m.signed, b"- a\r\n-b\r\nc\r\n--\r\n\r\n");
        assert_eq!(m.signature.bytes, b"x");
    }

    #[test]
    fn leading_text_crlf_and_headers() {
        let src = "junk\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256, SHA512\r\n\r\n\
                   a  \r\nb\r\n-----BEGIN PGP SIGNATURE-----\r\nVersion: x\r\n\r\nAA==\r\n\
                   =abcd\r\n-----END PGP SIGNATURE-----\r\n";
        let m = ClearSigned::parse(src.as_bytes()).expect("parses");
        assert_eq!(m.hash_headers, ["SHA256", "SHA512"]);
        assert_eq!(m.signed, b"a\r\nb");
        assert_eq!(m.signature.bytes, [0]);
        assert!(ClearSigned::parse(b"").is_err());
        let other_header = src.replace("Hash: SHA256", "Comment: x");
        assert!(ClearSigned::parse(other_header.as_bytes()).is_err());
        let no_end = src.replace("-----END PGP SIGNATURE-----", "");
        assert!(ClearSigned::parse(no_end.as_bytes()).is_err());
    }
}
