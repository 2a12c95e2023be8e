//! Sprig's encoding functions: `b64enc`, `b64dec`, `b32enc`, `b32dec`.
//!
//! The decoders follow Go's `encoding/base64` and `encoding/base32` `StdEncoding` exactly, padding
//! rules and error positions included, because sprig returns the decoder's error text
//! (`illegal base64 data at input byte 4`) as the function's result instead of failing.
//! Decoded bytes that are not UTF-8 go through `String::from_utf8_lossy` ([`Val::Str`] holds
//! UTF-8 only).

use super::{Registry, Ty, base64_std};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    r.add("b64enc", &[Ty::Str], |_, a| Ok(Val::str(base64_std(arg_str(&a).as_bytes()))));
    r.add("b64dec", &[Ty::Str], |_, a| Ok(Val::str(decoded(base64_decode(arg_str(&a))))));
    r.add("b32enc", &[Ty::Str], |_, a| Ok(Val::str(base32_encode(arg_str(&a).as_bytes()))));
    r.add("b32dec", &[Ty::Str], |_, a| Ok(Val::str(decoded(base32_decode(arg_str(&a))))));
}

fn arg_str(a: &[Val]) -> &str {
    match a.first() {
        Some(Val::Str(s)) => s,
        _ => "",
    }
}

/// sprig's result: the decoded text, or the decoder's error message.
fn decoded(r: Result<Vec<u8>, String>) -> String {
    match r {
        Ok(b) => String::from_utf8(b)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => e,
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

fn corrupt(kind: &str, at: usize) -> String {
    format!("illegal {kind} data at input byte {at}")
}

/// Go's `base64.StdEncoding.DecodeString` (padding required, `\r` and `\n` skipped, trailing bits
/// ignored).
fn base64_decode(src: &str) -> Result<Vec<u8>, String> {
    let src = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        // One quantum of up to four symbols (Go's decodeQuantum).
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Input ends in the middle of a quantum: padding was required.
                return Err(corrupt("base64", si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(corrupt("base64", si - 1));
            }
            // Padding: the quantum ends here.
            match j {
                0 | 1 => return Err(corrupt("base64", si - 1)),
                2 => {
                    // "==" is expected; the first '=' is consumed.
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(corrupt("base64", src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(corrupt("base64", si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(corrupt("base64", si));
            }
            dlen = j;
            break;
        }
        let val = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
    }
    Ok(out)
}

/// Go's `base32.StdEncoding.EncodeToString`.
fn base32_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(5) * 8);
    for chunk in src.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let symbols = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < symbols {
                out.push(char::from(B32[((n >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines stripped first, padding required).
fn base32_decode(src: &str) -> Result<Vec<u8>, String> {
    let src: Vec<u8> = src.bytes().filter(|&b| b != b'\n' && b != b'\r').collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                // The end came before the quantum did: padding was missing.
                return Err(corrupt("base32", olen - rest.len() - j));
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                // Padding: it must run to the end of the quantum.
                if rest.len() + j < 7 {
                    return Err(corrupt("base32", olen));
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(corrupt("base32", olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(corrupt("base32", olen - rest.len() - 1));
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => dbuf[j] = v as u8,
                None => return Err(corrupt("base32", olen - rest.len() - 1)),
            }
            j += 1;
        }
        let n = dbuf.iter().fold(0u64, |acc, &d| (acc << 5) | u64::from(d));
        let bytes = n.to_be_bytes();
        let count = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[3..3 + count]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::funcs::{Env, FixedClock, SeededRandom, registry};

    fn call(name: &str, arg: &str) -> String {
        let mut rnd = SeededRandom(1);
        let clock = FixedClock(SystemTime::UNIX_EPOCH);
        let mut env = Env { random: &mut rnd, clock: &clock, lint: None };
        let f = registry().get(name).unwrap();
        (f.body)(&mut env, vec![Val::str(arg)]).unwrap().fmt_v()
    }

    // Expectations printed by helm v4.1.4.

    #[test]
    fn encodes() {
        assert_eq!(call("b32enc", "a"), "ME======");
        assert_eq!(call("b32enc", "ab"), "MFRA====");
        assert_eq!(call("b64enc", "a"), "YQ==");
        assert_eq!(call("b64enc", "ab"), "YWI=");
        assert_eq!(call("b32enc", ""), "");
        assert_eq!(call("b64dec", &call("b64enc", "hi")), "hi");
    }

    #[test]
    fn base64_decoding_matches_go() {
        assert_eq!(call("b64dec", "aGk="), "hi");
        assert_eq!(call("b64dec", "aG\nk="), "hi");
        assert_eq!(call("b64dec", "aR=="), "i");
        assert_eq!(call("b64dec", "aGkx\r\n"), "hi1");
        assert_eq!(call("b64dec", ""), "");
        assert_eq!(call("b64dec", "aGk"), "illegal base64 data at input byte 0");
        assert_eq!(call("b64dec", "a!"), "illegal base64 data at input byte 1");
        assert_eq!(call("b64dec", "aGk=="), "illegal base64 data at input byte 4");
        assert_eq!(call("b64dec", "aGk=aGk="), "illegal base64 data at input byte 4");
        assert_eq!(call("b64dec", "="), "illegal base64 data at input byte 0");
    }

    #[test]
    fn base32_decoding_matches_go() {
        assert_eq!(call("b32dec", "NBUQ===="), "hi");
        assert_eq!(call("b32dec", "NBUQ"), "illegal base32 data at input byte 0");
        assert_eq!(call("b32dec", "nbuq===="), "illegal base32 data at input byte 0");
        assert_eq!(call("b32dec", "NB1Q===="), "illegal base32 data at input byte 2");
    }
    /// `b64enc (DECODER input)` as helm printed it, for inputs around the padding and error rules.
    #[test]
    fn decoders_match_helm_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("b64dec", "aGk=", "aGk="),
            ("b64dec", "aGk", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDA="),
            ("b64dec", "aG==", "aA=="),
            ("b64dec", "a===", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDE="),
            ("b64dec", "aGVsbG8=", "aGVsbG8="),
            ("b64dec", "aGVsbG8", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDQ="),
            ("b64dec", "aGVsbA==x", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDg="),
            ("b64dec", "aGVs\nbA==", "aGVsbA=="),
            ("b64dec", "aGVsbA=\n=", "aGVsbA=="),
            ("b64dec", "aGVsbA=", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDc="),
            ("b64dec", "YQ", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDA="),
            ("b64dec", "YQ=", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDM="),
            ("b64dec", "YQ==\n", "YQ=="),
            ("b64dec", "Y", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDA="),
            ("b64dec", "====", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDA="),
            ("b64dec", "aGk=\r\n\r\n", "aGk="),
            ("b64dec", "aGVs bG8=", "aWxsZWdhbCBiYXNlNjQgZGF0YSBhdCBpbnB1dCBieXRlIDQ="),
            ("b64dec", "aGk=\n", "aGk="),
            ("b64dec", "QUJD\nREVG", "QUJDREVG"),
            ("b64dec", "QUJDREVGR0g=", "QUJDREVGR0g="),
            ("b64dec", "QUJDREVGR0hJ", "QUJDREVGR0hJ"),
            ("b32dec", "NBUQ====", "aGk="),
            ("b32dec", "NBUQ===", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDc="),
            ("b32dec", "NBUQ=====", "aGk="),
            ("b32dec", "MFRGG===", "YWJj"),
            ("b32dec", "MFRGGZA=", "YWJjZA=="),
            ("b32dec", "MFRGGZDF", "YWJjZGU="),
            ("b32dec", "MFRGGZDFMY======", "YWJjZGVm"),
            ("b32dec", "MFRG\nGZDF", "YWJjZGU="),
            ("b32dec", "ME======", "YQ=="),
            ("b32dec", "M=======", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDE="),
            ("b32dec", "MFR=====", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDM="),
            ("b32dec", "MFRGG=", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDY="),
            ("b32dec", "MFRGGZDF====", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDg="),
            ("b32dec", "MY======", "Zg=="),
            ("b32dec", "MZXW6===", "Zm9v"),
            ("b32dec", "AAAAAAAA", "AAAAAAA="),
            ("b32dec", "ME====== ", "YQ=="),
            ("b32dec", "ME=====A", "aWxsZWdhbCBiYXNlMzIgZGF0YSBhdCBpbnB1dCBieXRlIDY="),
        ];
        for (f, input, want) in cases {
            assert_eq!(call("b64enc", &call(f, input)), *want, "{f} {input:?}");
        }
    }
}
