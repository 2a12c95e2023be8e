//! The little DER (ASN.1) the certificate functions need: a writer for the structures Go's
//! `crypto/x509` emits, and a strict reader for the keys and certificates templates pass back in.

/// Universal tags used here.
pub(super) const BOOLEAN: u8 = 0x01;
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const NULL: u8 = 0x05;
pub(super) const OID: u8 = 0x06;
pub(super) const UTF8_STRING: u8 = 0x0c;
pub(super) const PRINTABLE_STRING: u8 = 0x13;
pub(super) const UTC_TIME: u8 = 0x17;
pub(super) const GENERALIZED_TIME: u8 = 0x18;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;

/// A context-specific constructed tag (`[n] EXPLICIT`).
pub(super) const fn explicit(n: u8) -> u8 {
    0xa0 | n
}

/// A context-specific primitive tag (`[n] IMPLICIT` of a primitive type).
pub(super) const fn implicit(n: u8) -> u8 {
    0x80 | n
}

/// One TLV.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A constructed value of the concatenated parts.
pub(super) fn cons(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

/// `SEQUENCE { parts }`.
pub(super) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    cons(SEQUENCE, parts)
}

/// A non-negative `INTEGER` from its big-endian magnitude.
pub(super) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let digits = &magnitude[skip..];
    let mut content = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    tlv(INTEGER, &content)
}

/// A small `INTEGER`.
pub(super) fn small_int(v: u8) -> Vec<u8> {
    uint(&[v])
}

/// `BIT STRING` with no unused bits.
pub(super) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

/// `OCTET STRING`.
pub(super) fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, bytes)
}

/// The DER of an `OBJECT IDENTIFIER` given its dotted arcs.
pub(super) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
    push_base128(&mut content, first);
    for arc in arcs.iter().skip(2) {
        push_base128(&mut content, *arc);
    }
    tlv(OID, &content)
}

fn push_base128(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut n = 0;
    loop {
        tmp[n] = (v & 0x7f) as u8;
        n += 1;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        out.push(if i > 0 { tmp[i] | 0x80 } else { tmp[i] });
    }
}

/// The dotted form of an `OBJECT IDENTIFIER`'s content (for error messages).
pub(super) fn oid_to_string(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    for b in content {
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (v / 40).min(2);
                arcs.push(first);
                arcs.push(v - first * 40);
            } else {
                arcs.push(v);
            }
            v = 0;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// One element read by [`Reader`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The content octets.
    pub content: &'a [u8],
    /// The whole encoding (tag, length and content).
    pub raw: &'a [u8],
}

/// Why DER could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DerError {
    /// The input ended inside an element.
    Truncated,
    /// A length that is not minimal DER, or indefinite.
    BadLength,
    /// A different tag than expected.
    Tag,
    /// Bytes left after the outermost element.
    Trailing,
    /// A value that breaks its type's rules.
    Value,
}

/// A cursor over consecutive DER elements.
#[derive(Debug, Clone)]
pub(super) struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the elements in `data`.
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn any(&mut self) -> Result<Tlv<'a>, DerError> {
        let data = self.data;
        let (&tag, rest) = data.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::Tag); // high tag numbers are never used here
        }
        let (&first, mut rest) = rest.split_first().ok_or(DerError::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return Err(if n == 0 || n > 4 {
                    DerError::BadLength
                } else {
                    DerError::Truncated
                });
            }
            let mut len = 0usize;
            for b in &rest[..n] {
                len = (len << 8) | usize::from(*b);
            }
            if rest[0] == 0 || len < 0x80 {
                return Err(DerError::BadLength);
            }
            rest = &rest[n..];
            len
        };
        if rest.len() < len {
            return Err(DerError::Truncated);
        }
        let header = data.len() - rest.len();
        let raw = &data[..header + len];
        self.data = &data[header + len..];
        Ok(Tlv { tag, content: &rest[..len], raw })
    }

    /// Reads the next element, which must have `tag`.
    pub fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, DerError> {
        if self.peek_tag() != Some(tag) {
            return Err(if self.is_empty() { DerError::Truncated } else { DerError::Tag });
        }
        self.any()
    }

    /// Reads a constructed element with `tag` and returns a reader over its content.
    pub fn nested(&mut self, tag: u8) -> Result<Reader<'a>, DerError> {
        Ok(Reader::new(self.expect(tag)?.content))
    }

    /// Reads the element with `tag` if it comes next.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(tag) { self.any().map(Some) } else { Ok(None) }
    }

    /// Reads a non-negative `INTEGER` and returns its magnitude (no leading zero).
    pub fn uint(&mut self) -> Result<&'a [u8], DerError> {
        let c = self.expect(INTEGER)?.content;
        check_integer(c)?;
        if c[0] & 0x80 != 0 {
            return Err(DerError::Value);
        }
        Ok(if c[0] == 0 { &c[1..] } else { c })
    }

    /// Reads a small non-negative `INTEGER`.
    pub fn small_uint(&mut self) -> Result<u64, DerError> {
        let m = self.uint()?;
        if m.len() > 8 {
            return Err(DerError::Value);
        }
        Ok(m.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// Requires that nothing is left.
    pub fn finish(&self) -> Result<(), DerError> {
        if self.is_empty() { Ok(()) } else { Err(DerError::Trailing) }
    }
}

/// Checks the minimal-encoding rule of an `INTEGER`'s content.
pub(super) fn check_integer(c: &[u8]) -> Result<(), DerError> {
    match c {
        [] => Err(DerError::Value),
        [0, b, ..] if b & 0x80 == 0 => Err(DerError::Value),
        [0xff, b, ..] if b & 0x80 != 0 => Err(DerError::Value),
        _ => Ok(()),
    }
}

/// Reads exactly one element with `tag` from `data`.
pub(super) fn single(data: &[u8], tag: u8) -> Result<Tlv<'_>, DerError> {
    let mut r = Reader::new(data);
    let t = r.expect(tag)?;
    r.finish()?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_integers_are_minimal() {
        assert_eq!(tlv(OCTET_STRING, &[1, 2]), vec![4, 2, 1, 2]);
        let long = tlv(OCTET_STRING, &[0u8; 300]);
        assert_eq!(&long[..4], &[4, 0x82, 1, 44]);
        assert_eq!(uint(&[0, 0, 0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
        assert_eq!(uint(&[0, 5]), vec![2, 1, 5]);
    }

    #[test]
    fn oids_round_trip() {
        let o = oid(&[1, 2, 840, 113549, 1, 1, 11]);
        assert_eq!(o, vec![6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]);
        assert_eq!(oid_to_string(&o[2..]), "1.2.840.113549.1.1.11");
    }

    #[test]
    fn reader_rejects_bad_der() {
        assert_eq!(Reader::new(&[0x30, 0x81, 0x05]).any().unwrap_err(), DerError::BadLength);
        assert_eq!(Reader::new(&[0x30, 0x05, 0]).any().unwrap_err(), DerError::Truncated);
        assert_eq!(Reader::new(&[0x02, 0x02, 0, 1]).uint().unwrap_err(), DerError::Value);
        assert_eq!(single(&[0x05, 0, 0], NULL).unwrap_err(), DerError::Trailing);
        let mut r = Reader::new(&[0x02, 0x02, 0, 0x80]);
        assert_eq!(r.uint().unwrap(), &[0x80]);
        assert!(r.is_empty());
    }
}
