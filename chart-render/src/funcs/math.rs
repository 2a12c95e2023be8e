//! Sprig's arithmetic: the int64 family (`add`, `sub`, `mul`, `div`, `mod`, `max`, `min`...), the
//! float family (`floor`, `ceil`, `round`, `maxf`, `minf`), the decimal family (`addf`, `subf`,
//! `mulf`, `divf`, `add1f`), and the integer sequences (`until`, `untilStep`, `seq`).
//!
//! The int64 family converts every operand with spf13/cast first, so floats are truncated
//! (`mul 0.1 3` is 0) and arithmetic wraps around as Go's does. The decimal family converts
//! operands to float64, then to the shortest decimal that round-trips, and computes exactly with
//! shopspring/decimal's rules (division rounded half away from zero at 16 decimal places), so
//! `addf 0.1 0.2` is exactly 0.3.

use super::conv::{arg, float_arg, int_arg, to_float64, to_int64};
use super::{Env, FnError, FnResult, Registry, Ty};
use crate::value::{Elem, Val};

/// The most items `until`, `untilStep` and `seq` produce. Helm has no limit (and runs out of
/// memory); this one keeps a hostile template from doing the same.
pub(crate) const MAX_SEQUENCE_ITEMS: i128 = 10_000_000;

pub(crate) fn register(r: &mut Registry) {
    r.add_variadic("add", &[], Ty::Any, add);
    r.add("add1", &[Ty::Any], add1);
    r.add("sub", &[Ty::Any, Ty::Any], sub);
    r.add("div", &[Ty::Any, Ty::Any], div);
    r.add("mod", &[Ty::Any, Ty::Any], modulo);
    r.add_variadic("mul", &[Ty::Any], Ty::Any, mul);
    r.add_variadic("max", &[Ty::Any], Ty::Any, max);
    r.add_variadic("biggest", &[Ty::Any], Ty::Any, max);
    r.add_variadic("min", &[Ty::Any], Ty::Any, min);
    r.add_variadic("maxf", &[Ty::Any], Ty::Any, maxf);
    r.add_variadic("minf", &[Ty::Any], Ty::Any, minf);
    r.add("floor", &[Ty::Any], floor);
    r.add("ceil", &[Ty::Any], ceil);
    r.add_variadic("round", &[Ty::Any, Ty::Int], Ty::Float64, round);
    r.add_variadic("addf", &[], Ty::Any, addf);
    r.add("add1f", &[Ty::Any], add1f);
    r.add_variadic("subf", &[Ty::Any], Ty::Any, subf);
    r.add_variadic("mulf", &[Ty::Any], Ty::Any, mulf);
    r.add_variadic("divf", &[Ty::Any], Ty::Any, divf);
    r.add("until", &[Ty::Int], until);
    r.add("untilStep", &[Ty::Int, Ty::Int, Ty::Int], until_step);
    r.add_variadic("seq", &[], Ty::Int, seq);
}

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

// ---------------------------------------------------------------------------------------------
// int64 arithmetic.

fn add(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(args.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v)))))
}

fn add1(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(to_int64(&arg(&args, 0)).wrapping_add(1)))
}

fn sub(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(to_int64(&arg(&args, 0)).wrapping_sub(to_int64(&arg(&args, 1)))))
}

/// `div`: truncating division; the minimum int64 divided by -1 wraps to itself, as in Go.
fn div(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let (a, b) = (to_int64(&arg(&args, 0)), to_int64(&arg(&args, 1)));
    if b == 0 {
        return Err(FnError::new(DIVIDE_BY_ZERO));
    }
    Ok(Val::Int64(a.wrapping_div(b)))
}

/// `mod`: Go's `%`, whose sign follows the dividend.
fn modulo(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let (a, b) = (to_int64(&arg(&args, 0)), to_int64(&arg(&args, 1)));
    if b == 0 {
        return Err(FnError::new(DIVIDE_BY_ZERO));
    }
    Ok(Val::Int64(a.wrapping_rem(b)))
}

fn mul(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(args.iter().fold(1i64, |acc, v| acc.wrapping_mul(to_int64(v)))))
}

fn max(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(args.iter().map(to_int64).max().unwrap_or(0)))
}

fn min(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Int64(args.iter().map(to_int64).min().unwrap_or(0)))
}

// ---------------------------------------------------------------------------------------------
// float64 functions.

fn maxf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut it = args.iter().map(to_float64);
    let first = it.next().unwrap_or(0.0);
    Ok(Val::Float(it.fold(first, go_max)))
}

fn minf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut it = args.iter().map(to_float64);
    let first = it.next().unwrap_or(0.0);
    Ok(Val::Float(it.fold(first, go_min)))
}

/// Go's `math.Max`: +Inf wins over NaN, NaN over numbers, +0 over -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { y } else { x }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins over NaN, NaN over numbers, -0 over +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() { x } else { y }
    } else if x < y {
        x
    } else {
        y
    }
}

fn floor(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Float(to_float64(&arg(&args, 0)).floor()))
}

fn ceil(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Float(to_float64(&arg(&args, 0)).ceil()))
}

/// `round value places [roundOn]`: scales by `10^places` (Go's `math.Pow`), rounds up when the
/// fractional part is at least `roundOn` (0.5 by default; for negative numbers the fraction is
/// negative, so `round -2.5 0` is -3), and scales back.
fn round(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let val = to_float64(&arg(&args, 0));
    let places = int_arg(&args, 1) as f64;
    let round_on = if args.len() > 2 { float_arg(&args, 2) } else { 0.5 };
    let pow = go_pow10(places);
    let digit = pow * val;
    let frac = digit - digit.trunc();
    let rounded = if frac >= round_on { digit.ceil() } else { digit.floor() };
    Ok(Val::Float(rounded / pow))
}

/// Go's `math.Pow(10, y)` for an integral `y`: repeated squaring of the mantissa, then `Ldexp`,
/// which for large exponents differs in the last bit from a correctly rounded power.
fn go_pow10(y: f64) -> f64 {
    if y == 0.0 {
        return 1.0;
    }
    if y == 1.0 {
        return 10.0;
    }
    let yi = y.abs().trunc();
    if yi >= 9_223_372_036_854_775_808.0 {
        return if y > 0.0 { f64::INFINITY } else { 0.0 };
    }
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let (mut x1, mut xe) = frexp(10.0);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// Go's `math.Frexp` for finite nonzero values: a fraction in [0.5, 1) and a power of two.
fn frexp(f: f64) -> (f64, i64) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let (f, mut exp) = normalize(f);
    let bits = f.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1022;
    (f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52)), exp)
}

/// Scales a subnormal up into the normal range (Go's `normalize`).
fn normalize(f: f64) -> (f64, i64) {
    if f.abs() < f64::MIN_POSITIVE { (f * (1u64 << 52) as f64, -52) } else { (f, 0) }
}

/// Go's `math.Ldexp`.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (frac, e) = normalize(frac);
    let mut exp = exp.saturating_add(e);
    let bits = frac.to_bits();
    exp = exp.saturating_add(((bits >> 52) & 0x7ff) as i64 - 1023);
    if exp < -1075 {
        return 0.0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let mut m = 1.0;
    if exp < -1022 {
        exp += 53;
        m = 1.0 / (1u64 << 53) as f64;
    }
    m * f64::from_bits((bits & !(0x7ff << 52)) | (((exp + 1023) as u64) << 52))
}

// ---------------------------------------------------------------------------------------------
// Decimal arithmetic.

fn decimal_fold(
    first: &Val,
    rest: &[Val],
    op: fn(decimal::Decimal, decimal::Decimal) -> Result<decimal::Decimal, String>,
) -> FnResult {
    let mut acc = decimal::Decimal::from_f64(to_float64(first)).map_err(FnError::new)?;
    for v in rest {
        let d = decimal::Decimal::from_f64(to_float64(v)).map_err(FnError::new)?;
        acc = op(acc, d).map_err(FnError::new)?;
    }
    Ok(Val::Float(acc.to_f64()))
}

fn addf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    decimal_fold(&Val::Float(0.0), &args, |a, b| Ok(a.add(&b)))
}

fn add1f(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    decimal_fold(&arg(&args, 0), &[Val::Int(1)], |a, b| Ok(a.add(&b)))
}

fn subf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    decimal_fold(&arg(&args, 0), args.get(1..).unwrap_or_default(), |a, b| Ok(a.sub(&b)))
}

fn mulf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    decimal_fold(&arg(&args, 0), args.get(1..).unwrap_or_default(), |a, b| Ok(a.mul(&b)))
}

fn divf(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    decimal_fold(&arg(&args, 0), args.get(1..).unwrap_or_default(), |a, b| a.div(&b))
}

/// Just enough of shopspring/decimal: an arbitrary-precision integer scaled by a power of ten.
mod decimal {
    use chart_core::gofmt::format_float_g;
    use num_bigint::BigInt;
    use num_traits::{Signed, Zero};

    /// shopspring's `DivisionPrecision`: decimal places kept by division.
    const DIVISION_PRECISION: i64 = 16;

    /// `value * 10^exp`.
    #[derive(Debug, Clone)]
    pub(super) struct Decimal {
        value: BigInt,
        exp: i64,
    }

    fn pow10(n: i64) -> BigInt {
        BigInt::from(10u8).pow(u32::try_from(n).unwrap_or(u32::MAX))
    }

    impl Decimal {
        /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
        pub(super) fn from_f64(f: f64) -> Result<Decimal, String> {
            if !f.is_finite() {
                return Err(format!("Cannot create a Decimal from {}", format_float_g(f)));
            }
            if f == 0.0 {
                return Ok(Decimal { value: BigInt::zero(), exp: 0 });
            }
            // Rust's `{:e}` prints the shortest round-tripping digits: `-1.2345e-5`.
            let text = format!("{f:e}");
            let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
            let exp: i64 = exp.parse().unwrap_or(0);
            let frac_len = mantissa.split_once('.').map_or(0, |(_, frac)| frac.len()) as i64;
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let mut value = BigInt::parse_bytes(digits.as_bytes(), 10).unwrap_or_default();
            if f < 0.0 {
                value = -value;
            }
            Ok(Decimal { value, exp: exp - frac_len })
        }

        /// Both values scaled to the smaller exponent.
        fn rescale_pair(&self, o: &Decimal) -> (BigInt, BigInt, i64) {
            let exp = self.exp.min(o.exp);
            let a = &self.value * pow10(self.exp - exp);
            let b = &o.value * pow10(o.exp - exp);
            (a, b, exp)
        }

        pub(super) fn add(&self, o: &Decimal) -> Decimal {
            let (a, b, exp) = self.rescale_pair(o);
            Decimal { value: a + b, exp }
        }

        pub(super) fn sub(&self, o: &Decimal) -> Decimal {
            let (a, b, exp) = self.rescale_pair(o);
            Decimal { value: a - b, exp }
        }

        pub(super) fn mul(&self, o: &Decimal) -> Decimal {
            Decimal { value: &self.value * &o.value, exp: self.exp + o.exp }
        }

        /// `DivRound(o, 16)`: the quotient rounded half away from zero at 16 decimal places.
        pub(super) fn div(&self, o: &Decimal) -> Result<Decimal, String> {
            if o.value.is_zero() {
                return Err("decimal division by 0".into());
            }
            // q * 10^-16 is the truncated quotient; the remainder decides the rounding.
            let e = self.exp - o.exp + DIVISION_PRECISION;
            let (aa, bb) = if e < 0 {
                (self.value.clone(), &o.value * pow10(-e))
            } else {
                (&self.value * pow10(e), o.value.clone())
            };
            let q = &aa / &bb;
            let r = &aa % &bb;
            let twice_r: BigInt = r.abs() * 2;
            let value = if twice_r < bb.abs() {
                q
            } else if self.value.is_negative() != o.value.is_negative() {
                q - 1
            } else {
                q + 1
            };
            Ok(Decimal { value, exp: -DIVISION_PRECISION })
        }

        /// `Float64()`: the nearest float64 (infinite when too large).
        pub(super) fn to_f64(&self) -> f64 {
            if self.value.is_zero() {
                return 0.0;
            }
            let digits = self.value.to_string();
            let ndigits = digits.trim_start_matches('-').len() as i64;
            let magnitude = self.exp.saturating_add(ndigits);
            let neg = self.value.is_negative();
            if magnitude > 400 {
                return if neg { f64::NEG_INFINITY } else { f64::INFINITY };
            }
            if magnitude < -400 {
                return if neg { -0.0 } else { 0.0 };
            }
            format!("{digits}e{}", self.exp).parse().unwrap_or(0.0)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sequences.

/// Go's `untilStep` loop, refusing to produce more than [`MAX_SEQUENCE_ITEMS`] items (or a loop
/// whose counter would wrap around, which in Go never ends).
fn until_step_items(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FnError> {
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let count = if stop < start {
        if step >= 0 { 0 } else { (start - stop + (-step) - 1) / -step }
    } else if step <= 0 {
        0
    } else {
        (stop - start + step - 1) / step
    };
    let too_many = || {
        FnError::new(format!("sequence of more than {MAX_SEQUENCE_ITEMS} items (a chartkit limit)"))
    };
    if count > MAX_SEQUENCE_ITEMS {
        return Err(too_many());
    }
    if count > 0 {
        // In Go the counter then wraps around and the loop never stops.
        let next = start + count * step;
        if next > i128::from(i64::MAX) || next < i128::from(i64::MIN) {
            return Err(too_many());
        }
    }
    Ok((0..count).map(|k| (start + k * step) as i64).collect())
}

fn int_list(items: Vec<i64>) -> Val {
    Val::typed_list(Elem::Int, items.into_iter().map(Val::Int).collect())
}

/// `until n`: `[]int` from 0 towards `n` (exclusive), counting down for negative `n`.
fn until(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let count = int_arg(&args, 0);
    let step = if count < 0 { -1 } else { 1 };
    Ok(int_list(until_step_items(0, count, step)?))
}

fn until_step(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let (start, stop, step) = (int_arg(&args, 0), int_arg(&args, 1), int_arg(&args, 2));
    Ok(int_list(until_step_items(start, stop, step)?))
}

/// `seq`: like GNU seq, a STRING of space-separated numbers: `seq 5` (from 1), `seq 2 5`,
/// `seq 1 2 10` (with a step); `seq 0` is `"1 0"`. Other argument counts give `""`.
fn seq(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let p: Vec<i64> = (0..args.len()).map(|i| int_arg(&args, i)).collect();
    let items = match p[..] {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step_items(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_items(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                Vec::new()
            } else {
                until_step_items(start, end.wrapping_add(inc), step)?
            }
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = items.iter().map(i64::to_string).collect();
    Ok(Val::str(text.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::funcs::testing::{Body, err, out, run};

    use Val::{Float as F, Int as I};

    fn s(t: &str) -> Val {
        Val::str(t)
    }

    #[test]
    fn integer_arithmetic_truncates_like_helm() {
        // helm: {{ add 1.5 2.7 }} (values floats) → 3; {{ add "3" "4" }} {{ add "x" 1 }} → 7 1
        assert_eq!(out(add, vec![F(1.5), F(2.7)]), "3");
        assert_eq!(out(add, vec![s("3"), s("4")]), "7");
        assert_eq!(out(add, vec![s("x"), I(1)]), "1");
        assert_eq!(out(add, vec![Val::Nil, I(1)]), "1");
        assert!(matches!(run(add, vec![I(1)]), Ok(Val::Int64(1))));
        // helm: {{ mul 2 3 4 }} {{ mul 1.5 2 }} → 24 2; {{ mul 0.1 3 }} → 0
        assert_eq!(out(mul, vec![I(2), I(3), I(4)]), "24");
        assert_eq!(out(mul, vec![F(1.5), I(2)]), "2");
        assert_eq!(out(mul, vec![F(0.1), I(3)]), "0");
        // helm: {{ div 7 2 }} {{ div -7 2 }} {{ div 1.9 1 }} → 3 -3 1; {{ div 7.0 2.0 }} → 3
        assert_eq!(out(div, vec![I(7), I(2)]), "3");
        assert_eq!(out(div, vec![I(-7), I(2)]), "-3");
        assert_eq!(out(div, vec![F(1.9), I(1)]), "1");
        assert_eq!(out(div, vec![F(7.0), F(2.0)]), "3");
        // helm: {{ mod -7 2 }} {{ mod 7 -2 }} {{ mod 7.9 3 }} → -1 1 1
        assert_eq!(out(modulo, vec![I(-7), I(2)]), "-1");
        assert_eq!(out(modulo, vec![I(7), I(-2)]), "1");
        assert_eq!(out(modulo, vec![F(7.9), I(3)]), "1");
        // helm: {{ sub 0 2.5 }} → -2; {{ mul 12345678901.0 1000 }} → 12345678901000
        assert_eq!(out(sub, vec![I(0), F(2.5)]), "-2");
        assert_eq!(out(mul, vec![F(12345678901.0), I(1000)]), "12345678901000");
        // helm: wrap-around as in Go.
        assert_eq!(out(div, vec![Val::Int64(i64::MIN), I(-1)]), "-9223372036854775808");
        assert_eq!(out(mul, vec![I(i64::MAX), I(2)]), "-2");
        assert_eq!(out(add1, vec![I(i64::MAX)]), "-9223372036854775808");
        // helm: {{ max 1 "5" 3.9 }} {{ min 3 "x" }} → 5 0
        assert_eq!(out(max, vec![I(1), s("5"), F(3.9)]), "5");
        assert_eq!(out(min, vec![I(3), s("x")]), "0");
    }

    #[test]
    fn division_by_zero_is_an_error() {
        // helm: error calling div: runtime error: integer divide by zero (and mod)
        assert_eq!(err(div, vec![I(1), I(0)]), "runtime error: integer divide by zero");
        assert_eq!(err(modulo, vec![I(7), I(0)]), "runtime error: integer divide by zero");
        assert_eq!(err(div, vec![I(1), s("x")]), "runtime error: integer divide by zero");
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14159 is the conformance case's number, not π.
    fn floats_like_helm() {
        // helm: {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 2.5 0 }} {{ round 3.14159 2 }}
        //       {{ round -2.5 0 }} → 1 2 3 3.14 -3
        assert_eq!(out(floor, vec![F(1.7)]), "1");
        assert_eq!(out(ceil, vec![F(1.2)]), "2");
        assert_eq!(out(round, vec![F(2.5), I(0)]), "3");
        assert_eq!(out(round, vec![F(3.14159), I(2)]), "3.14");
        assert_eq!(out(round, vec![F(-2.5), I(0)]), "-3");
        // helm: {{ round 2.675 2 }} {{ round 0.5 0 }} {{ round 1.5 0 }} {{ round 1.2345 3 0.4 }}
        //       → 2.68 1 2 1.235
        assert_eq!(out(round, vec![F(2.675), I(2)]), "2.68");
        assert_eq!(out(round, vec![F(0.5), I(0)]), "1");
        assert_eq!(out(round, vec![F(1.5), I(0)]), "2");
        assert_eq!(out(round, vec![F(1.2345), I(3), F(0.4)]), "1.235");
        // helm: {{ round 1.5 -1 }} {{ round 123.456 -2 }} {{ round 0.000001 30 }}
        //       {{ round (float64 "inf") 2 }} {{ round 2.5 0 0.6 }} {{ floor "2.5" }} {{ ceil nil }}
        //       → 0 100 1e-06 +Inf 2 2 0
        assert_eq!(out(round, vec![F(1.5), I(-1)]), "0");
        assert_eq!(out(round, vec![F(123.456), I(-2)]), "100");
        assert_eq!(out(round, vec![F(0.000001), I(30)]), "1e-06");
        assert_eq!(out(round, vec![F(f64::INFINITY), I(2)]), "+Inf");
        assert_eq!(out(round, vec![F(2.5), I(0), F(0.6)]), "2");
        assert_eq!(out(floor, vec![s("2.5")]), "2");
        assert_eq!(out(ceil, vec![Val::Nil]), "0");
        // helm: {{ maxf 1 2.5 2 }} {{ minf 1.5 -3 2 }} → 2.5 -3
        assert_eq!(out(maxf, vec![I(1), F(2.5), I(2)]), "2.5");
        assert_eq!(out(minf, vec![F(1.5), I(-3), I(2)]), "-3");
        // helm: {{ maxf 1 NaN }} {{ minf -0.0 0 }} {{ maxf -0.0 0 }} {{ maxf 1 }} {{ minf -Inf NaN }}
        //       → NaN -0 0 1 -Inf
        assert_eq!(out(maxf, vec![I(1), F(f64::NAN)]), "NaN");
        assert_eq!(out(minf, vec![F(-0.0), I(0)]), "-0");
        assert_eq!(out(maxf, vec![F(-0.0), I(0)]), "0");
        assert_eq!(out(maxf, vec![I(1)]), "1");
        assert_eq!(out(minf, vec![F(f64::NEG_INFINITY), F(f64::NAN)]), "-Inf");
    }

    #[test]
    fn go_pow_matches_exact_powers() {
        for p in 0..=22 {
            assert_eq!(go_pow10(f64::from(p)), format!("1e{p}").parse::<f64>().expect("float"));
        }
        assert_eq!(go_pow10(400.0), f64::INFINITY);
        assert_eq!(go_pow10(-400.0), 0.0);
    }

    #[test]
    fn decimals_like_helm() {
        // helm: {{ addf 0.1 0.2 }} {{ mulf 0.1 3 }} → 0.3 0.3
        assert_eq!(out(addf, vec![F(0.1), F(0.2)]), "0.3");
        assert_eq!(out(mulf, vec![F(0.1), I(3)]), "0.3");
        // helm: {{ mulf "1.5" 2.0 }} → 3; {{ addf 12345678901 1 }} {{ addf 1e21 0 }}
        //       → 1.2345678902e+10 1e+21
        assert_eq!(out(mulf, vec![s("1.5"), F(2.0)]), "3");
        assert_eq!(out(addf, vec![I(12345678901), I(1)]), "1.2345678902e+10");
        assert_eq!(out(addf, vec![F(1e21), I(0)]), "1e+21");
        // helm: {{ divf 1 3 }} {{ divf 2 3 }} {{ divf -2 3 }} {{ divf 10 4 }} {{ divf 1e300 1e-300 }}
        //       {{ mulf 1e200 1e200 }} {{ subf 1 0.9 }} {{ add1f 0.1 }} {{ addf }} {{ subf 5 }}
        //       {{ mulf 1.1 1.1 1.1 }} {{ divf 1 7 7 }}
        let cases: Vec<(Body, Vec<Val>, &str)> = vec![
            (divf, vec![I(1), I(3)], "0.3333333333333333"),
            (divf, vec![I(2), I(3)], "0.6666666666666667"),
            (divf, vec![I(-2), I(3)], "-0.6666666666666667"),
            (divf, vec![I(10), I(4)], "2.5"),
            (divf, vec![F(1e300), F(1e-300)], "+Inf"),
            (mulf, vec![F(1e200), F(1e200)], "+Inf"),
            (subf, vec![I(1), F(0.9)], "0.1"),
            (add1f, vec![F(0.1)], "1.1"),
            (addf, vec![], "0"),
            (subf, vec![I(5)], "5"),
            (mulf, vec![F(1.1), F(1.1), F(1.1)], "1.331"),
            (divf, vec![I(1), I(7), I(7)], "0.0204081632653061"),
        ];
        for (f, args, want) in cases {
            assert_eq!(out(f, args.clone()), want, "{args:?}");
        }
    }

    #[test]
    fn decimal_errors_like_helm() {
        // helm: error calling addf: Cannot create a Decimal from +Inf
        assert_eq!(err(addf, vec![F(f64::INFINITY), I(1)]), "Cannot create a Decimal from +Inf");
        assert_eq!(err(mulf, vec![F(f64::NAN)]), "Cannot create a Decimal from NaN");
        // helm: error calling divf: decimal division by 0
        assert_eq!(err(divf, vec![I(1), I(0)]), "decimal division by 0");
    }

    #[test]
    fn sequences_like_helm() {
        // helm: {{ seq 5 }}|{{ seq 2 5 }}|{{ seq 1 2 10 }}|{{ seq 5 1 }}|{{ seq 0 }}|{{ seq 10 -3 1 }}
        //       → 1 2 3 4 5|2 3 4 5|1 3 5 7 9|5 4 3 2 1|1 0|10 7 4 1
        let cases: Vec<(Vec<i64>, &str)> = vec![
            (vec![5], "1 2 3 4 5"),
            (vec![2, 5], "2 3 4 5"),
            (vec![1, 2, 10], "1 3 5 7 9"),
            (vec![5, 1], "5 4 3 2 1"),
            (vec![0], "1 0"),
            (vec![10, -3, 1], "10 7 4 1"),
            // helm: {{ seq }} {{ seq 1 2 3 4 }} {{ seq 5 2 1 }} {{ seq 1 0 5 }} {{ seq -3 }}
            (vec![], ""),
            (vec![1, 2, 3, 4], ""),
            (vec![5, 2, 1], ""),
            (vec![1, 0, 5], ""),
            (vec![-3], "1 0 -1 -2 -3"),
        ];
        for (p, want) in cases {
            let got = run(seq, p.iter().map(|n| I(*n)).collect()).expect("seq");
            assert_eq!(got.as_str(), Some(want), "{p:?}");
        }
        // helm: {{ until 3 }} {{ until -3 }} {{ until 0 }} {{ typeOf (until 3) }}
        //       → [0 1 2] [0 -1 -2] [] []int
        assert_eq!(out(until, vec![I(3)]), "[0 1 2]");
        assert_eq!(out(until, vec![I(-3)]), "[0 -1 -2]");
        assert_eq!(out(until, vec![I(0)]), "[]");
        assert_eq!(run(until, vec![I(3)]).expect("until").type_name(), "[]int");
        // helm: {{ untilStep 0 10 3 }} {{ untilStep 10 0 -4 }} {{ untilStep 0 5 0 }}
        //       → [0 3 6 9] [10 6 2] []
        assert_eq!(out(until_step, vec![I(0), I(10), I(3)]), "[0 3 6 9]");
        assert_eq!(out(until_step, vec![I(10), I(0), I(-4)]), "[10 6 2]");
        assert_eq!(out(until_step, vec![I(0), I(5), I(0)]), "[]");
    }

    #[test]
    fn huge_sequences_are_refused() {
        assert!(err(until, vec![I(i64::MAX)]).contains("chartkit limit"));
        assert!(err(seq, vec![I(1), I(i64::MAX - 1)]).contains("chartkit limit"));
        // helm: `seq MIN MAX` wraps its end around and is empty.
        assert_eq!(out(seq, vec![I(i64::MIN), I(i64::MAX)]), "");
        // A counter that would wrap around in Go (an endless loop there).
        assert!(err(until_step, vec![I(i64::MAX - 1), I(i64::MAX), I(5)]).contains("limit"));
        assert_eq!(
            out(until_step, vec![I(i64::MAX - 10), I(i64::MAX), I(5)]),
            "[9223372036854775797 9223372036854775802]"
        );
    }
}
