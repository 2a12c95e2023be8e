//! Sprig's numeric conversions (`atoi`, `int`, `int64`, `float64`, `toDecimal`), the spf13/cast
//! rules the math functions share, and Go's `strconv` number parsing underneath them.
//!
//! cast never fails in sprig: whatever it cannot convert becomes 0. Strings are parsed the Go way:
//! integers with base prefixes (`0x1A`, `0o17`, `017`, `0b101`) and `_` digit separators, an
//! all-zero fraction trimmed first (`"3.00"` is 3, `"4.7"` is 0); floats with Go's grammar (hex
//! floats, `Inf`, `NaN`), out-of-range values giving 0.

use super::{Env, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    r.add("atoi", &[Ty::Str], atoi);
    r.add("int", &[Ty::Any], int);
    r.add("int64", &[Ty::Any], int64);
    r.add("float64", &[Ty::Any], float64);
    r.add("toDecimal", &[Ty::Any], to_decimal);
}

// ---------------------------------------------------------------------------------------------
// Argument access shared by this family's files. The evaluator hands bodies the declared types,
// so the fallbacks only guard against a caller that did not.

/// Argument `i`, or nil when absent.
pub(crate) fn arg(args: &[Val], i: usize) -> Val {
    args.get(i).cloned().unwrap_or(Val::Nil)
}

/// Argument `i` declared `string`.
pub(crate) fn str_arg(args: &[Val], i: usize) -> &str {
    args.get(i).and_then(Val::as_str).unwrap_or("")
}

/// Argument `i` declared `int` or `int64`.
pub(crate) fn int_arg(args: &[Val], i: usize) -> i64 {
    match args.get(i) {
        Some(Val::Int(n) | Val::Int64(n)) => *n,
        Some(v) => to_int64(v),
        None => 0,
    }
}

/// Argument `i` declared `float64`.
pub(crate) fn float_arg(args: &[Val], i: usize) -> f64 {
    args.get(i).map(to_float64).unwrap_or(0.0)
}

/// Argument `i` declared `bool`.
pub(crate) fn bool_arg(args: &[Val], i: usize) -> bool {
    matches!(args.get(i), Some(Val::Bool(true)))
}

// ---------------------------------------------------------------------------------------------
// The template functions.

/// `atoi`: `strconv.Atoi` with the error dropped, so bad text is 0 and out-of-range text is
/// clamped to the int64 limits.
fn atoi(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let n = match parse_int(str_arg(&args, 0), 10, 64) {
        Ok(n) | Err((n, _)) => n,
    };
    Ok(Val::Int(n))
}

fn int(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int(to_int(&arg(&args, 0))))
}

fn int64(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(to_int64(&arg(&args, 0))))
}

fn float64(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Float(to_float64(&arg(&args, 0))))
}

/// `toDecimal`: the `%v` text of the value read as an octal number (`"0777"` is 511), 0 when it
/// is not one.
fn to_decimal(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut text = String::new();
    arg(&args, 0).write_v(&mut text, false);
    Ok(Val::Int64(parse_int(&text, 8, 64).unwrap_or(0)))
}

// ---------------------------------------------------------------------------------------------
// spf13/cast.

/// `cast.ToInt64`: integers as they are, floats truncated (as Go converts on amd64, NaN and
/// out-of-range values give the minimum int64), bools 1/0, strings parsed with base prefixes after
/// trimming an all-zero fraction, everything else (nil, lists, maps, objects) 0.
pub(crate) fn to_int64(v: &Val) -> i64 {
    match v {
        Val::Int(n) | Val::Int64(n) => *n,
        Val::Float(f) => float_to_int64(*f),
        Val::Bool(b) => i64::from(*b),
        Val::Str(s) => parse_int(trim_zero_decimal(s), 0, 64).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToInt` (Go's `int` is 64 bits wide on the platforms Helm ships for).
pub(crate) fn to_int(v: &Val) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64`: numbers converted, bools 1/0, strings parsed with `strconv.ParseFloat`
/// (0 when that fails or overflows), everything else 0.
pub(crate) fn to_float64(v: &Val) -> f64 {
    match v {
        Val::Int(n) | Val::Int64(n) => *n as f64,
        Val::Float(f) => *f,
        Val::Bool(b) => f64::from(u8::from(*b)),
        Val::Str(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Go's `int64(f)` as the amd64 instruction does it: truncation, and the "integer indefinite"
/// value (the minimum int64) for NaN and anything out of range.
pub(crate) fn float_to_int64(f: f64) -> i64 {
    // 2^63 is exactly representable; every float at or above it (and NaN) is out of range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) { i64::MIN } else { f as i64 }
}

/// cast's `trimZeroDecimal`: drops a fraction made only of zeros (`"10.00"` → `"10"`).
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Go's strconv.

/// Why Go's `strconv` rejected a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumError {
    /// `invalid syntax`.
    Syntax,
    /// `value out of range`.
    Range,
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// `strconv.underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    if let [b'+' | b'-', rest @ ..] = b {
        b = rest;
    }
    // What came last: '^' start, '0' digit or prefix, '_' underscore, '!' anything else.
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(lower(b[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(b[1]) == b'x';
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || hex && (b'a'..=b'f').contains(&lower(c)) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// `strconv.ParseUint`. On error, also the value Go returns with it (the maximum on overflow).
pub(crate) fn parse_uint(s: &str, base: u32, bit_size: u32) -> Result<u64, (u64, NumError)> {
    const SYNTAX: Result<u64, (u64, NumError)> = Err((0, NumError::Syntax));
    let b = s.as_bytes();
    if b.is_empty() {
        return SYNTAX;
    }
    let base0 = base == 0;
    let (base, digits) = if !base0 {
        (base, b)
    } else if b[0] != b'0' {
        (10, b)
    } else if b.len() >= 3 && lower(b[1]) == b'b' {
        (2, &b[2..])
    } else if b.len() >= 3 && lower(b[1]) == b'o' {
        (8, &b[2..])
    } else if b.len() >= 3 && lower(b[1]) == b'x' {
        (16, &b[2..])
    } else {
        (8, &b[1..])
    };
    if !(2..=36).contains(&base) {
        return SYNTAX;
    }
    let max_val = if bit_size == 0 || bit_size >= 64 { u64::MAX } else { (1u64 << bit_size) - 1 };
    let cutoff = u64::MAX / u64::from(base) + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            _ if lower(c).is_ascii_lowercase() => lower(c) - b'a' + 10,
            _ => return SYNTAX,
        };
        if u32::from(d) >= base {
            return SYNTAX;
        }
        if n >= cutoff {
            return Err((max_val, NumError::Range));
        }
        n *= u64::from(base);
        match n.checked_add(u64::from(d)) {
            Some(n1) if n1 <= max_val => n = n1,
            _ => return Err((max_val, NumError::Range)),
        }
    }
    if underscores && !underscore_ok(s) {
        return SYNTAX;
    }
    Ok(n)
}

/// `strconv.ParseInt` (`bit_size` 0 means 64). On error, also the value Go returns with it:
/// 0 for bad syntax, the clamped limit for out-of-range numbers.
pub(crate) fn parse_int(s: &str, base: u32, bit_size: u32) -> Result<i64, (i64, NumError)> {
    let (neg, body) = match s.as_bytes().first() {
        None => return Err((0, NumError::Syntax)),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
    };
    let un = match parse_uint(body, base, bit_size) {
        Ok(n) => Ok(n),
        Err((n, NumError::Range)) => Err(n),
        Err((_, NumError::Syntax)) => return Err((0, NumError::Syntax)),
    };
    let bits = if bit_size == 0 || bit_size > 64 { 64 } else { bit_size };
    let cutoff = 1u64 << (bits - 1);
    let un = match un {
        Ok(n) => n,
        Err(n) => n.max(cutoff),
    };
    if !neg && un >= cutoff {
        return Err(((cutoff - 1) as i64, NumError::Range));
    }
    if neg && un > cutoff {
        return Err(((cutoff as i64).wrapping_neg(), NumError::Range));
    }
    let n = un as i64;
    Ok(if neg { n.wrapping_neg() } else { n })
}

/// `strconv.ParseFloat(s, 64)`: Go's float grammar (decimal and hex with `_` separators, `Inf`,
/// `Infinity`, `NaN`), correctly rounded; overflow is a range error.
pub(crate) fn parse_float(s: &str) -> Result<f64, NumError> {
    if let Some((f, used)) = special_float(s) {
        return if used == s.len() { Ok(f) } else { Err(NumError::Syntax) };
    }
    let b = s.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'+') => {
            i = 1;
            false
        }
        Some(b'-') => {
            i = 1;
            true
        }
        _ => false,
    };
    let hex = b.len() >= i + 2 && b[i] == b'0' && lower(b[i + 1]) == b'x';
    if hex {
        i += 2;
    }
    let (mut int_digits, mut frac_digits) = (String::new(), String::new());
    let (mut saw_dot, mut saw_digits, mut underscores) = (false, false, false);
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if saw_dot {
                break;
            }
            saw_dot = true;
        } else if c.is_ascii_digit() || hex && (b'a'..=b'f').contains(&lower(c)) {
            saw_digits = true;
            if saw_dot { &mut frac_digits } else { &mut int_digits }.push(char::from(c));
        } else {
            break;
        }
        i += 1;
    }
    if !saw_digits {
        return Err(NumError::Syntax);
    }
    let mut exp: i64 = 0;
    let exp_char = if hex { b'p' } else { b'e' };
    if i < b.len() && lower(b[i]) == exp_char {
        i += 1;
        let mut exp_neg = false;
        match b.get(i) {
            Some(b'+') => i += 1,
            Some(b'-') => {
                exp_neg = true;
                i += 1;
            }
            _ => {}
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(NumError::Syntax);
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if exp < 100_000 {
                exp = exp * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if exp_neg {
            exp = -exp;
        }
    } else if hex {
        return Err(NumError::Syntax);
    }
    if underscores && !underscore_ok(&s[..i]) {
        return Err(NumError::Syntax);
    }
    if i != b.len() {
        return Err(NumError::Syntax);
    }
    let magnitude = if hex {
        hex_float(&int_digits, &frac_digits, exp)
    } else {
        let int_part = if int_digits.is_empty() { "0" } else { int_digits.as_str() };
        let text = format!("{int_part}.{frac_digits}0e{exp}");
        text.parse::<f64>().map_err(|_| NumError::Syntax)?
    };
    if magnitude.is_infinite() {
        return Err(NumError::Range);
    }
    Ok(if neg { -magnitude } else { magnitude })
}

/// Go's `special`: `[+-]inf`, `[+-]infinity`, `nan` (any case), with the bytes used.
fn special_float(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let common = |rest: &[u8], word: &[u8]| {
        rest.iter().zip(word).take_while(|(a, w)| a.to_ascii_lowercase() == **w).count()
    };
    let (sign, skip) = match b.first()? {
        b'+' => (1.0, 1),
        b'-' => (-1.0, 1),
        b'i' | b'I' => (1.0, 0),
        b'n' | b'N' => {
            return (common(b, b"nan") == 3).then_some((f64::NAN, 3));
        }
        _ => return None,
    };
    let mut n = common(&b[skip..], b"infinity");
    if 3 < n && n < 8 {
        n = 3;
    }
    (n == 3 || n == 8).then_some((sign * f64::INFINITY, skip + n))
}

/// The value of hex mantissa digits times `2^exp`, correctly rounded (nearest, ties to even).
fn hex_float(int_digits: &str, frac_digits: &str, exp: i64) -> f64 {
    // All digits read as one integer M: the value is M * 2^(exp - 4 * fraction digits). Keep the
    // first 30 significant hex digits (120 bits) and remember whether a dropped one was nonzero;
    // that is enough to round correctly.
    let mut mant: u128 = 0;
    let mut kept = 0;
    let mut sticky = false;
    let mut e2 = exp - 4 * frac_digits.len() as i64;
    for c in int_digits.chars().chain(frac_digits.chars()) {
        let d = c.to_digit(16).unwrap_or(0);
        if mant == 0 && d == 0 {
            continue;
        }
        if kept < 30 {
            mant = (mant << 4) | u128::from(d);
            kept += 1;
        } else {
            sticky |= d != 0;
            e2 += 4;
        }
    }
    compose_float(mant, sticky, e2)
}

/// `mant * 2^e2` (plus a little more when `sticky`) rounded to the nearest float64.
fn compose_float(mant: u128, sticky: bool, e2: i64) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let bitlen = i64::from(128 - mant.leading_zeros());
    // The exponent of the leading bit.
    let top = bitlen - 1 + e2;
    if top > 1023 {
        return f64::INFINITY;
    }
    // How many bits of precision the result has: 53 when normal, fewer when subnormal.
    let bits = if top >= -1022 { 53 } else { top + 1075 };
    if bits < 0 {
        return 0.0;
    }
    let shift = bitlen - bits;
    let mut m: u128 = if shift <= 0 {
        mant << (-shift) as u32
    } else {
        let kept = if shift >= 128 { 0 } else { mant >> shift as u32 };
        let rem = if shift >= 128 { mant } else { mant & ((1u128 << shift as u32) - 1) };
        let half = 1u128 << (shift - 1).min(127) as u32;
        let round_up = rem > half || (rem == half && (sticky || kept & 1 == 1));
        kept + u128::from(round_up)
    };
    if top >= -1022 {
        let mut top = top;
        if m >= 1u128 << 53 {
            m >>= 1;
            top += 1;
        }
        if top > 1023 {
            return f64::INFINITY;
        }
        let biased = (top + 1023) as u64;
        f64::from_bits((biased << 52) | (m as u64 & ((1u64 << 52) - 1)))
    } else {
        // Subnormal: the raw bits are the mantissa; a carry into bit 52 is the smallest normal.
        f64::from_bits(m as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};
    use std::time::UNIX_EPOCH;

    fn call(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: Vec<Val>) -> Val {
        let mut random = SeededRandom(1);
        let clock = FixedClock(UNIX_EPOCH);
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args).expect("no error")
    }

    fn s(text: &str) -> Val {
        Val::str(text)
    }

    #[test]
    fn atoi_like_helm() {
        // helm: {{ atoi "42" }} {{ atoi "x" }} {{ atoi " 7" }} {{ atoi "3.9" }} → 42 0 0 0
        let got: Vec<String> =
            ["42", "x", " 7", "3.9"].iter().map(|t| call(atoi, vec![s(t)]).fmt_v()).collect();
        assert_eq!(got, ["42", "0", "0", "0"]);
        // helm: overflow clamps, a sign is fine, underscores are not.
        assert_eq!(call(atoi, vec![s("99999999999999999999")]).fmt_v(), "9223372036854775807");
        assert_eq!(call(atoi, vec![s("-99999999999999999999")]).fmt_v(), "-9223372036854775808");
        assert_eq!(call(atoi, vec![s("+5")]).fmt_v(), "5");
        assert_eq!(call(atoi, vec![s("1_0")]).fmt_v(), "0");
        assert!(matches!(call(atoi, vec![s("3")]), Val::Int(3)));
    }

    #[test]
    fn int_from_strings_like_helm() {
        // helm: {{ int "42" }} {{ int "4.7" }} {{ int "abc" }} {{ int "0x1A" }} → 42 0 0 26
        let cases = [
            ("42", 42),
            ("4.7", 0),
            ("abc", 0),
            ("0x1A", 26),
            ("1_000", 1000),
            ("3.00", 3),
            ("3.", 0),
            (".0", 0),
            ("0b101", 5),
            (" 5", 0),
            ("+5", 5),
            ("-0x10", -16),
            ("0X1a", 26),
            ("00", 0),
            ("08", 0),
            ("1e3", 0),
            ("  ", 0),
            ("10.000", 10),
            ("-3.0", -3),
            (".00", 0),
            ("0_7", 7),
            ("0x_1", 1),
            ("1_", 0),
            ("9223372036854775807", i64::MAX),
            ("9223372036854775808", 0),
        ];
        for (text, want) in cases {
            assert_eq!(to_int64(&s(text)), want, "{text}");
        }
        assert!(matches!(call(int, vec![s("3")]), Val::Int(3)));
        assert!(matches!(call(int64, vec![s("3")]), Val::Int64(3)));
    }

    #[test]
    fn int_from_other_values_like_helm() {
        // helm: {{ int64 1e300 }} {{ int64 -1e300 }} → both -9223372036854775808; NaN as well.
        assert_eq!(to_int64(&Val::Float(1e300)), i64::MIN);
        assert_eq!(to_int64(&Val::Float(-1e300)), i64::MIN);
        assert_eq!(to_int64(&Val::Float(f64::NAN)), i64::MIN);
        assert_eq!(to_int64(&Val::Float(f64::INFINITY)), i64::MIN);
        assert_eq!(to_int64(&Val::Float(-2.9)), -2);
        // helm: {{ int64 (list 1) }} {{ int64 (dict) }} {{ int nil }} {{ int true }} → 0 0 0 1
        assert_eq!(to_int64(&Val::list(vec![Val::Int(1)])), 0);
        assert_eq!(to_int64(&Val::map(Default::default())), 0);
        assert_eq!(to_int64(&Val::Nil), 0);
        assert_eq!(to_int64(&Val::Bool(true)), 1);
    }

    #[test]
    fn float64_like_helm() {
        // helm: {{ float64 "3.5" }} {{ float64 2 }} {{ float64 "x" }} {{ float64 "1e3" }}
        assert_eq!(call(float64, vec![s("3.5")]).fmt_v(), "3.5");
        assert_eq!(call(float64, vec![Val::Int(2)]).fmt_v(), "2");
        assert_eq!(call(float64, vec![s("x")]).fmt_v(), "0");
        assert_eq!(call(float64, vec![s("1e3")]).fmt_v(), "1000");
        let cases = [
            ("0x1p4", "16"),
            ("1_0.5", "10.5"),
            ("inf", "+Inf"),
            ("Inf", "+Inf"),
            ("0x10", "0"),
            ("1e400", "0"),
            ("-Infinity", "-Inf"),
            ("nan", "NaN"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1_000", "1000"),
            ("_1", "0"),
            (" 1.5", "0"),
            ("+nan", "0"),
            ("infin", "0"),
            ("1e-400", "0"),
            ("0x1.8p1", "3"),
            ("0x1p-1080", "0"),
            ("1__0", "0"),
            ("1_.5", "0"),
            ("0x1_0p0", "16"),
            ("1e+5", "100000"),
            ("1e", "0"),
            ("0.1", "0.1"),
            ("100000000", "1e+08"),
            ("1e21", "1e+21"),
        ];
        for (text, want) in cases {
            assert_eq!(call(float64, vec![s(text)]).fmt_v(), want, "{text}");
        }
        assert_eq!(to_float64(&Val::Bool(true)), 1.0);
        assert_eq!(to_float64(&Val::Nil), 0.0);
    }

    #[test]
    fn hex_floats_round_correctly() {
        assert_eq!(parse_float("0x1p-1074"), Ok(f64::from_bits(1)));
        assert_eq!(parse_float("0x1p-1075"), Ok(0.0));
        assert_eq!(parse_float("0x1.8p-1075"), Ok(f64::from_bits(1)));
        assert_eq!(parse_float("0x1.fffffffffffff8p0"), Ok(2.0));
        assert_eq!(parse_float("0x1.fffffffffffff7p0"), Ok(f64::from_bits(0x3FFF_FFFF_FFFF_FFFF)));
        assert_eq!(parse_float("0x1p1024"), Err(NumError::Range));
        assert_eq!(parse_float("0x.8p1"), Ok(1.0));
    }

    #[test]
    fn to_decimal_like_helm() {
        // helm: {{ toDecimal "0777" }} {{ toDecimal 777 }} {{ toDecimal "8" }} {{ toDecimal "-10" }}
        //       {{ toDecimal 1.5 }} {{ toDecimal "0o7" }} {{ toDecimal "1_0" }} → 511 511 0 -8 0 0 0
        let got: Vec<String> =
            [s("0777"), Val::Int(777), s("8"), s("-10"), Val::Float(1.5), s("0o7"), s("1_0")]
                .into_iter()
                .map(|v| call(to_decimal, vec![v]).fmt_v())
                .collect();
        assert_eq!(got, ["511", "511", "0", "-8", "0", "0", "0"]);
    }
}
