//! Go's `encoding/base64` standard decoding (with its error offsets) and `encoding/pem`.

use crate::funcs::base64_std;

/// A failed base64 decoding: Go's `base64.CorruptInputError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CorruptInput(pub usize);

impl std::fmt::Display for CorruptInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.0)
    }
}

fn decode_char(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n` skipped anywhere,
/// trailing bits ignored, errors at Go's byte offsets.
pub(crate) fn decode_std(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let mut buf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing_err = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(CorruptInput(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = decode_char(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(CorruptInput(si - 1));
            }
            // Padding: only after two or three characters of a quantum.
            match j {
                0 | 1 => return Err(CorruptInput(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(CorruptInput(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(CorruptInput(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(CorruptInput(si));
            }
            dlen = j;
            break;
        }
        let val = (u32::from(buf[0]) << 18)
            | (u32::from(buf[1]) << 12)
            | (u32::from(buf[2]) << 6)
            | u32::from(buf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(e) = trailing_err {
            return Err(e);
        }
        if dlen < 4 {
            // Go stops at the padding (anything after it was the error above).
            return Ok(out);
        }
    }
    Ok(out)
}

/// The capacity Go's `DecodeString` allocates for `n` input bytes (`DecodedLen`), which Go's
/// panics about slicing past it print.
pub(crate) fn decoded_cap(n: usize) -> usize {
    n / 4 * 3
}

/// Go's `pem.EncodeToMemory` of a block without headers.
pub(crate) fn encode(kind: &str, der: &[u8]) -> String {
    let b64 = base64_std(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * kind.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

/// A decoded PEM block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// The type from the `BEGIN` line.
    pub kind: String,
    /// The decoded body.
    pub bytes: Vec<u8>,
}

/// Go's `getLine`: the line without its end and trailing spaces/tabs, and the rest.
fn get_line(data: &[u8]) -> (&[u8], &[u8]) {
    let (mut i, j) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (i, i + 1),
        None => (data.len(), data.len()),
    };
    if j > i && i > 0 && data[i - 1] == b'\r' {
        i -= 1;
    }
    let mut line = &data[..i];
    while let [rest @ .., b' ' | b'\t'] = line {
        line = rest;
    }
    (line, &data[j..])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Go's `pem.Decode`: the first well-formed block in `data`, skipping malformed ones.
pub(crate) fn decode(data: &[u8]) -> Option<Block> {
    const START: &[u8] = b"\n-----BEGIN ";
    const END: &[u8] = b"\n-----END ";
    const EOL: &[u8] = b"-----";
    let mut rest = data;
    loop {
        if rest.starts_with(&START[1..]) {
            rest = &rest[START.len() - 1..];
        } else if let Some(i) = find(rest, START) {
            rest = &rest[i + START.len()..];
        } else {
            return None;
        }
        let (type_line, after) = get_line(rest);
        rest = after;
        let Some(kind) = type_line.strip_suffix(EOL) else {
            continue;
        };
        // Headers ("Key: value" lines) come before the body.
        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (line, next) = get_line(rest);
            if !line.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }
        let (end_index, trailer_index) = if !has_headers && rest.starts_with(&END[1..]) {
            (0, END.len() - 1)
        } else {
            match find(rest, END) {
                Some(i) => (i, i + END.len()),
                None => continue,
            }
        };
        let trailer = &rest[trailer_index..];
        let trailer_len = kind.len() + EOL.len();
        if trailer.len() < trailer_len {
            continue;
        }
        let (end_line, rest_of_end) = trailer.split_at(trailer_len);
        if !end_line.starts_with(kind) || !end_line.ends_with(EOL) {
            continue;
        }
        if !get_line(rest_of_end).0.is_empty() {
            continue;
        }
        let body: Vec<u8> =
            rest[..end_index].iter().copied().filter(|b| *b != b' ' && *b != b'\t').collect();
        let Ok(bytes) = decode_std(&body) else {
            continue;
        };
        return Some(Block { kind: String::from_utf8_lossy(kind).into_owned(), bytes });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_errors_match_go() {
        // Offsets as helm's decryptAES printed them.
        assert_eq!(decode_std(b"YWJjZA"), Err(CorruptInput(4)));
        assert_eq!(decode_std(b"YWJjZA="), Err(CorruptInput(7)));
        assert_eq!(decode_std(b"YWJjZA==YQ=="), Err(CorruptInput(8)));
        assert_eq!(decode_std(b"YW=jZA=="), Err(CorruptInput(2)));
        assert_eq!(decode_std(b"!!!"), Err(CorruptInput(0)));
        assert_eq!(decode_std(b"YWJj\nZA==").unwrap(), b"abcd");
        assert_eq!(decode_std(b"YWJjZB==").unwrap(), b"abcd");
        assert_eq!(decode_std(b"").unwrap(), b"");
        assert_eq!(decoded_cap("YWJj\nZA==".len()), 6);
    }

    #[test]
    fn pem_round_trips_and_skips_junk() {
        let pem = encode("TEST", &[1u8; 100]);
        assert!(pem.starts_with("-----BEGIN TEST-----\nAQEB"));
        assert!(pem.ends_with("\n-----END TEST-----\n"));
        assert!(pem.lines().all(|l| l.len() <= 64));
        let block = decode(pem.as_bytes()).unwrap();
        assert_eq!(block.kind, "TEST");
        assert_eq!(block.bytes, vec![1u8; 100]);
        let noisy = format!("junk\n-----BEGIN X-----\n!!\n-----END X-----\n{pem}");
        assert_eq!(decode(noisy.as_bytes()).unwrap().kind, "TEST");
        assert_eq!(decode(b"no pem here"), None);
        let crlf = pem.replace('\n', "\r\n");
        assert_eq!(decode(crlf.as_bytes()).unwrap().bytes, vec![1u8; 100]);
    }
}
