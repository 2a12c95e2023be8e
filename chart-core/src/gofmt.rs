//! Go's number formatting, which Helm's output depends on byte for byte.
//!
//! * [`format_float_g`]: `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `fmt`'s `%v`
//!   prints for a `float64` (`1e+06`, `0.1`, `1.2345678901234568e+20`).
//! * [`format_float_json`]: what `encoding/json` writes for a `float64` (`1000`, `1e+21`, `1e-7`).
//! * `go_quote` and friends (crate-internal): `strconv.Quote` / `%q` of strings, bytes and runes.
//! * [`format_float_g32`]: `strconv.FormatFloat(f, 'g', -1, 32)`, used by sigs.k8s.io/yaml when a
//!   float becomes a map key.

/// Shortest round-trip decimal digits of `abs` (no sign) and the decimal exponent of the first
/// digit, as `(digits, exp)` where the value is `d1.d2d3... * 10^exp`.
fn shortest_digits(repr_e: &str) -> (String, i32) {
    // `repr_e` looks like "1.2345e-7" or "5e0".
    let (mant, exp) = repr_e.split_once('e').unwrap_or((repr_e, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp)
}

/// Shortest digits as Go's strconv picks them: like Rust's, except that when the exact binary
/// value lies exactly halfway between two equally short candidates that both round-trip, Go
/// takes the even one where Rust rounds up (e.g. 868845670801422.25).
fn go_shortest(abs: f64, is_f32: bool) -> (String, i32) {
    let repr = if is_f32 { format!("{:e}", abs as f32) } else { format!("{abs:e}") };
    let (digits, exp) = shortest_digits(&repr);
    if abs.fract() == 0.0 && abs < 9.007_199_254_740_992e15 {
        return (digits, exp); // small integers are exact: no ties
    }
    // The exact expansion of a binary float has at most ~770 significant digits.
    let (exact, exact_exp) = shortest_digits(&format!("{abs:.800e}"));
    if exact_exp != exp || exact.len() <= digits.len() {
        return (digits, exp);
    }
    let n = digits.len();
    let (head, tail) = exact.split_at(n);
    let halfway = tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0');
    if !halfway || head.bytes().last().is_some_and(|b| (b - b'0') % 2 == 1) {
        return (digits, exp);
    }
    // `head` is the even candidate; keep it if it round-trips.
    let candidate = format!("{}.{}e{exp}", &head[..1], &head[1..]);
    let round_trips = if is_f32 {
        candidate.parse::<f32>().is_ok_and(|v| v == abs as f32)
    } else {
        candidate.parse::<f64>().is_ok_and(|v| v == abs)
    };
    if round_trips { (head.to_owned(), exp) } else { (digits, exp) }
}

fn format_g(neg: bool, zero: bool, digits: &str, exp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if zero {
        out.push('0');
        return out;
    }
    // strconv: with the shortest precision, %e is used when exp < -4 || exp >= 6.
    let dp = exp + 1;
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
        return out;
    }
    out.push_str(&fixed(digits, dp));
    out
}

/// Fixed notation of `0.digits * 10^dp` with no trailing zeros beyond the digits.
fn fixed(digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else if (dp as usize) >= digits.len() {
        out.push_str(digits);
        for _ in 0..(dp as usize - digits.len()) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`: Go's `%v` of a `float64`.
///
/// ```
/// use chart_core::gofmt::format_float_g;
/// assert_eq!(format_float_g(1e6), "1e+06");
/// assert_eq!(format_float_g(123456.0), "123456");
/// assert_eq!(format_float_g(0.0001), "0.0001");
/// assert_eq!(format_float_g(0.00001), "1e-05");
/// assert_eq!(format_float_g(-2.5), "-2.5");
/// ```
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let neg = f.is_sign_negative();
    let (digits, exp) = go_shortest(f.abs(), false);
    format_g(neg, f == 0.0, &digits, exp)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that round-trip through `float32`.
pub fn format_float_g32(f: f64) -> String {
    let f32v = f as f32;
    if f32v.is_nan() {
        return "NaN".into();
    }
    if f32v.is_infinite() {
        return if f32v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let neg = f32v.is_sign_negative();
    let (digits, exp) = go_shortest(f64::from(f32v.abs()), true);
    format_g(neg, f32v == 0.0, &digits, exp)
}

/// What Go's `encoding/json` writes for a finite `float64`: fixed notation unless the magnitude
/// is below `1e-6` or at least `1e21`, then exponent notation with a two-digit-minimum exponent
/// cleaned of a leading zero (`1e-7`, `1e+21`).
///
/// ```
/// use chart_core::gofmt::format_float_json;
/// assert_eq!(format_float_json(1000.0), "1000");
/// assert_eq!(format_float_json(12345678901.0), "12345678901");
/// assert_eq!(format_float_json(1e21), "1e+21");
/// assert_eq!(format_float_json(1e-7), "1e-7");
/// assert_eq!(format_float_json(0.5), "0.5");
/// ```
pub fn format_float_json(f: f64) -> String {
    let abs = f.abs();
    let neg = f.is_sign_negative();
    let (digits, exp) = go_shortest(abs, false);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if abs == 0.0 {
        out.push('0');
        return out;
    }
    if !(1e-6..1e21).contains(&abs) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.unsigned_abs().to_string());
        return out;
    }
    out.push_str(&fixed(&digits, exp + 1));
    out
}

// ---------------------------------------------------------------------------------------------
// Go's `strconv.Quote` family (`%q`), which Helm's error messages print keys and names with.

/// Whether Go's `unicode.IsPrint` holds (letters, marks, numbers, punctuation, symbols and the
/// ASCII space). Unassigned code points are treated as printable.
pub fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = u32::from(c);
    let format_or_private = matches!(
        u,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            | 0xE000..=0xF8FF
            | 0xFDD0..=0xFDEF
            | 0xF0000..=0x10FFFF
    );
    !format_or_private && (u & 0xFFFE) != 0xFFFE
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if is_go_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if u32::from(c) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\x{:02x}", u32::from(c)))
        }
        c if u32::from(c) < 0x10000 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
    }
}

/// Go's `strconv.Quote` (`%q` of a string).
pub fn go_quote(s: &str) -> String {
    go_quote_bytes(s.as_bytes())
}

/// Go's `strconv.Quote` of bytes that may not be UTF-8 (bad bytes print as `\xNN`).
pub fn go_quote_bytes(b: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in b.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped(&mut out, c, '"');
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a `rune`.
pub fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

/// Go's `%q` of a `[]rune`: `['a' 'b']`.
pub fn go_quote_runes(s: &str) -> String {
    let parts: Vec<String> = s.chars().map(go_quote_rune).collect();
    format!("[{}]", parts.join(" "))
}

/// The text Go prints for an I/O error (`no such file or directory`, `permission denied`):
/// the operating system's message in lower case, without Rust's `(os error N)` suffix.
///
/// ```
/// let e = std::io::Error::from(std::io::ErrorKind::NotFound);
/// assert_eq!(chart_core::gofmt::go_io_error(&e), "entity not found");
/// ```
pub fn go_io_error(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match (e.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(i)) => &text[..i],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)] // the literal is exact; Rust just prints it shorter
    fn g_format_matches_go() {
        assert_eq!(format_float_g(1.0), "1");
        assert_eq!(format_float_g(1e21), "1e+21");
        assert_eq!(format_float_g(123456789012345678901.0), "1.2345678901234568e+20");
        assert_eq!(format_float_g(0.000001), "1e-06");
        assert_eq!(format_float_g(12345678901.0), "1.2345678901e+10");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(-0.0), "-0");
        assert_eq!(format_float_g(1e100), "1e+100");
        // Exactly halfway between two 16-digit candidates: Go rounds to even.
        assert_eq!(format_float_g(868845670801422.25), "8.688456708014222e+14");
        assert_eq!(format_float_json(868845670801422.25), "868845670801422.2");
    }

    #[test]
    fn g32_format_matches_go() {
        assert_eq!(format_float_g32(1.5), "1.5");
        assert_eq!(format_float_g32(0.1), "0.1");
        assert_eq!(format_float_g32(1000.0), "1000");
    }

    #[test]
    fn json_format_matches_go() {
        assert_eq!(format_float_json(-1.5), "-1.5");
        assert_eq!(format_float_json(1.2345e-7), "1.2345e-7");
        assert_eq!(format_float_json(1e20), "100000000000000000000");
        assert_eq!(format_float_json(-0.0), "-0");
    }

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{7f}é\u{a0}\u{1F600}"), r#""a\"b\\c\n\x7fé\u00a0😀""#);
        assert_eq!(go_quote_runes("x'\"\t"), r#"['x' '\'' '"' '\t']"#);
        assert_eq!(go_quote_bytes(b"%\xc3"), r#""%\xc3""#);
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("ä\u{1}\u{7f}\u{200b}"), r#""ä\x01\x7f\u200b""#);
        assert_eq!(go_quote("\t\r"), r#""\t\r""#);
    }
}
