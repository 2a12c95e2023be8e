//! Go's number formatting, which Helm's output depends on byte for byte.
//!
//! * [`format_float_g`]: `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `fmt`'s `%v`
//!   prints for a `float64` (`1e+06`, `0.1`, `1.2345678901234568e+20`).
//! * [`format_float_json`]: what `encoding/json` writes for a `float64` (`1000`, `1e+21`, `1e-7`).
//! * [`format_float_g32`]: `strconv.FormatFloat(f, 'g', -1, 32)`, used by sigs.k8s.io/yaml when a
//!   float becomes a map key.

/// Shortest round-trip decimal digits of `abs` (no sign) and the decimal exponent of the first
/// digit, as `(digits, exp)` where the value is `0.d1d2d3... * 10^(exp+1)`.
fn shortest_digits(repr_e: &str) -> (String, i32) {
    // `repr_e` looks like "1.2345e-7" or "5e0".
    let (mant, exp) = repr_e.split_once('e').unwrap_or((repr_e, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp)
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
    if exp < -4 || exp >= 6 {
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
    let (digits, exp) = shortest_digits(&format!("{:e}", f.abs()));
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
    let (digits, exp) = shortest_digits(&format!("{:e}", f32v.abs()));
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
    let (digits, exp) = shortest_digits(&format!("{:e}", abs));
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if abs == 0.0 {
        out.push('0');
        return out;
    }
    if abs < 1e-6 || abs >= 1e21 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        assert_eq!(format_float_g(1.0), "1");
        assert_eq!(format_float_g(1e21), "1e+21");
        assert_eq!(format_float_g(123456789012345678901.0), "1.2345678901234568e+20");
        assert_eq!(format_float_g(0.000001), "1e-06");
        assert_eq!(format_float_g(12345678901.0), "1.2345678901e+10");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(-0.0), "-0");
        assert_eq!(format_float_g(1e100), "1e+100");
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
}
