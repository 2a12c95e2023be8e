//! Go's `fmt` formatting of template values (`printf`, `print`, `println`, `%v`).
//!
//! This follows `fmt/print.go` and `fmt/format.go`: every verb Go has for the types a template can
//! hold (`%v %+v %#v %T %s %q %d %b %o %O %x %X %c %U %e %E %f %F %g %G %t %p %%`), the flags
//! `+ - # 0 space`, width and precision (also as `*` arguments), explicit argument indexes
//! (`%[2]d`) and Go's in-band error forms (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`,
//! `%!(NOVERB)`, `%!(BADWIDTH)`, `%!(BADPREC)`, `%!d(BADINDEX)`). Verbs apply element by element
//! inside slices and maps, as Go's reflection-based printer does.

use std::fmt::Write as _;

use chart_core::gofmt::{format_float_g, go_quote, is_go_print};

use crate::value::{Elem, Val};

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Go's bound on widths and precisions written in a format (`tooLarge`).
const TOO_LARGE: i64 = 1_000_000;

/// The flags, width and precision of one verb (Go's `fmtFlags` plus `wid`/`prec`).
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    wid: Option<usize>,
    prec: Option<usize>,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    /// `%+v`: Go prints struct field names with it; template values have no plain structs
    /// (objects print through their own `%v`), so it only clears `+` for the operands.
    plus_v: bool,
    sharp_v: bool,
}

/// Go's `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Val]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// Go's `fmt.Sprint`: operands in their `%v` form, with a space between two operands when neither
/// is a string.
pub(crate) fn sprint(args: &[Val]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = is_string_kind(arg);
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// Go's `fmt.Sprintln`: operands in their `%v` form separated by spaces, then a newline.
pub(crate) fn sprintln(args: &[Val]) -> String {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// One value formatted with one verb and no flags (`fmt.Sprintf("%q", v)`).
pub(crate) fn fmt_verb(v: &Val, verb: char) -> String {
    let mut p = Printer::default();
    p.print_arg(v, verb);
    p.buf
}

fn is_string_kind(v: &Val) -> bool {
    match v {
        Val::Str(_) => true,
        Val::Obj(o) => o.kind() == "string",
        _ => false,
    }
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| {
        if c.len_utf8() > 1 {
            return c != '\u{feff}';
        }
        !((c < ' ' && c != '\t') || c == '`' || c == '\u{7f}')
    })
}

/// Go's `strconv.QuoteToASCII` (`%+q`), and `strconv.QuoteRuneToASCII` with `'` as the quote.
fn quote_ascii(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
            out.push(c);
        } else if c.is_ascii() && is_go_print(c) {
            out.push(c);
        } else {
            match c {
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{b}' => out.push_str("\\v"),
                c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                    let _ = write!(out, "\\x{:02x}", u32::from(c));
                }
                c if u32::from(c) < 0x10000 => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => {
                    let _ = write!(out, "\\U{:08x}", u32::from(c));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// Go's `%q` of a rune (`strconv.QuoteRune`).
fn quote_rune(c: char, ascii: bool) -> String {
    if ascii {
        return quote_ascii(c.encode_utf8(&mut [0; 4]), '\'');
    }
    chart_core::gofmt::go_quote_rune(c)
}

/// The rune Go's `%c` and `%q` print for an integer: invalid code points become U+FFFD.
fn rune_of(u: u64) -> char {
    u32::try_from(u).ok().and_then(char::from_u32).unwrap_or('\u{fffd}')
}

/// Decimal digits of a float magnitude: `0.d1d2d3... × 10^dp`, no leading or trailing zeros
/// (Go's `decimalSlice`). Zero has no digits.
struct Decimal {
    d: Vec<u8>,
    dp: i32,
}

/// Digits after which a double's exact decimal expansion has only zeros (at most 767
/// significant and 1074 fractional digits).
const EXACT_DIGITS: usize = 1100;

impl Decimal {
    /// Builds from digits that may have leading or trailing zeros.
    fn from_digits(mut digits: Vec<u8>, mut dp: i32) -> Decimal {
        let lead = digits.iter().take_while(|&&b| b == b'0').count();
        if lead == digits.len() {
            return Decimal { d: Vec::new(), dp: 0 };
        }
        digits.drain(..lead);
        dp -= lead as i32;
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        Decimal { d: digits, dp }
    }

    /// Parses Rust's or Go's exponent form `d.ddde±x` / `de+xx`, or a plain decimal `ddd.ddd`.
    fn parse(s: &str) -> Decimal {
        let (mant, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i32>().unwrap_or(0)),
            None => (s, 0),
        };
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        let mut digits = Vec::with_capacity(int.len() + frac.len());
        digits.extend_from_slice(int.as_bytes());
        digits.extend_from_slice(frac.as_bytes());
        Decimal::from_digits(digits, int.len() as i32 + exp)
    }

    /// The shortest digits that read back as `abs` (Go's Ryu shortest, with its tie-breaking).
    fn shortest(abs: f64) -> Decimal {
        Decimal::parse(&format_float_g(abs))
    }

    /// `abs` correctly rounded (ties to even) to `n >= 1` significant digits.
    fn significant(abs: f64, n: usize) -> Decimal {
        if abs == 0.0 {
            return Decimal { d: Vec::new(), dp: 0 };
        }
        // Rust's formatter refuses precisions above u16::MAX; past EXACT_DIGITS every digit of a
        // double is 0 anyway.
        let p = (n - 1).min(EXACT_DIGITS);
        let mut s = format!("{abs:.p$e}");
        if n - 1 > p
            && let Some(e) = s.find('e')
        {
            s.insert_str(e, &"0".repeat(n - 1 - p));
        }
        Decimal::parse(&s)
    }

    /// `abs` correctly rounded (ties to even) to `frac` digits after the decimal point.
    fn fixed(abs: f64, frac: usize) -> Decimal {
        let p = frac.min(EXACT_DIGITS);
        let mut s = format!("{abs:.p$}");
        s.push_str(&"0".repeat(frac - p));
        Decimal::parse(&s)
    }
}

/// Go's `%e`: `d.ddddde±dd`.
fn fmt_e(out: &mut String, d: &Decimal, prec: usize, e: char) {
    out.push(d.d.first().map_or('0', |&b| b as char));
    if prec > 0 {
        out.push('.');
        let m = d.d.len().min(prec + 1);
        for &b in d.d.iter().take(m).skip(1) {
            out.push(b as char);
        }
        for _ in m.max(1)..=prec {
            out.push('0');
        }
    }
    out.push(e);
    let mut exp = if d.d.is_empty() { 0 } else { d.dp - 1 };
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    let _ = write!(out, "{exp}");
}

/// Go's `%f`: `ddd.ddd`.
fn fmt_f(out: &mut String, d: &Decimal, prec: usize) {
    if d.dp > 0 {
        let dp = d.dp as usize;
        let m = d.d.len().min(dp);
        for &b in &d.d[..m] {
            out.push(b as char);
        }
        for _ in m..dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i64 {
            let j = i64::from(d.dp) + i - 1;
            let ch = if j >= 0 && (j as usize) < d.d.len() { d.d[j as usize] as char } else { '0' };
            out.push(ch);
        }
    }
}

/// Go's `strconv.AppendFloat(v, fmt, prec, 64)`: the number with its sign (`-` only, or `+Inf`).
fn format_float(v: f64, fmt: char, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let mut out = String::new();
    match fmt {
        'b' => return format_float_b(v),
        'x' | 'X' => return format_float_x(v, fmt, prec),
        _ => {}
    }
    if v.is_sign_negative() {
        out.push('-');
    }
    let abs = v.abs();
    match (fmt, prec) {
        ('e' | 'E', None) => {
            let d = Decimal::shortest(abs);
            let p = d.d.len().saturating_sub(1);
            fmt_e(&mut out, &d, p, fmt);
        }
        ('e' | 'E', Some(p)) => fmt_e(&mut out, &Decimal::significant(abs, p + 1), p, fmt),
        ('f', None) => {
            let d = Decimal::shortest(abs);
            let p = (d.d.len() as i64 - i64::from(d.dp)).max(0) as usize;
            fmt_f(&mut out, &d, p);
        }
        ('f', Some(p)) => fmt_f(&mut out, &Decimal::fixed(abs, p), p),
        (_, prec) => {
            // 'g' / 'G'
            let e = if fmt == 'G' { 'E' } else { 'e' };
            let (d, shortest) = match prec {
                None => (Decimal::shortest(abs), true),
                Some(p) => (Decimal::significant(abs, p.max(1)), false),
            };
            let nd = d.d.len() as i64;
            let dp = i64::from(d.dp);
            let mut p = match prec {
                None => nd,
                Some(p) => p.max(1) as i64,
            };
            let mut eprec = p;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                fmt_e(&mut out, &d, (p - 1).max(0) as usize, e);
            } else {
                if p > dp {
                    p = nd;
                }
                fmt_f(&mut out, &d, (p - dp).max(0) as usize);
            }
        }
    }
    out
}

/// The mantissa (with its implicit bit) and unbiased binary exponent of a finite float.
fn float_parts(v: f64) -> (u64, i32) {
    let bits = v.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    (mant, exp - 1023)
}

/// Go's `%b` of a float: `-ddddp±ddd` (decimal mantissa, binary exponent).
fn format_float_b(v: f64) -> String {
    let (mant, exp) = float_parts(v);
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let exp = exp - 52;
    if exp >= 0 { format!("{sign}{mant}p+{exp}") } else { format!("{sign}{mant}p{exp}") }
}

/// Go's `%x` / `%X` of a float: `-0x1.yyyyp±dd`.
fn format_float_x(v: f64, fmt: char, prec: Option<usize>) -> String {
    let (mut mant, mut exp) = float_parts(v);
    if mant == 0 {
        exp = 0;
    }
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if let Some(p) = prec.filter(|&p| p < 15) {
        let shift = (p * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex = if fmt == 'X' { UDIGITS } else { LDIGITS };
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    out.push('0');
    out.push(fmt);
    out.push((b'0' + ((mant >> 60) & 1) as u8) as char);
    mant <<= 4;
    match prec {
        None if mant != 0 => {
            out.push('.');
            while mant != 0 {
                out.push(hex[((mant >> 60) & 15) as usize] as char);
                mant <<= 4;
            }
        }
        Some(p) if p > 0 => {
            out.push('.');
            for _ in 0..p {
                out.push(hex[((mant >> 60) & 15) as usize] as char);
                mant <<= 4;
            }
        }
        _ => {}
    }
    out.push(if fmt == 'X' { 'P' } else { 'p' });
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    let _ = write!(out, "{exp}");
    out
}

/// Go's `pp`: the output buffer and the state of the verb being printed.
#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
    erroring: bool,
}

impl Printer {
    // ----- padding (fmt.pad / fmt.padString / fmt.writePadding) -----

    fn write_padding(&mut self, n: usize) {
        let pad = if self.f.zero && !self.f.minus { '0' } else { ' ' };
        self.buf.extend(std::iter::repeat_n(pad, n));
    }

    fn pad(&mut self, s: &str) {
        let Some(wid) = self.f.wid.filter(|&w| w > 0) else {
            self.buf.push_str(s);
            return;
        };
        let n = wid.saturating_sub(s.chars().count());
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(n);
        } else {
            self.write_padding(n);
            self.buf.push_str(s);
        }
    }

    /// Pads with spaces whatever the `0` flag says (numbers pad their own zeros).
    fn pad_spaces(&mut self, s: &str) {
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(s);
        self.f.zero = zero;
    }

    // ----- fmt.go primitives -----

    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        match self.f.prec {
            Some(p) => s.char_indices().nth(p).map_or(s, |(i, _)| &s[..i]),
            None => s,
        }
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn fmt_bool(&mut self, b: bool) {
        self.pad(if b { "true" } else { "false" });
    }

    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let length = self.f.prec.map_or(b.len(), |p| p.min(b.len()));
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        let wid = self.f.wid.unwrap_or(0);
        if wid > width && !self.f.minus {
            self.write_padding(wid - width);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[usize::from(c >> 4)] as char);
            self.buf.push(digits[usize::from(c & 0xf)] as char);
        }
        if wid > width && self.f.minus {
            self.write_padding(wid - width);
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let q = format!("`{s}`");
            self.pad(&q);
            return;
        }
        let q = if self.f.plus { quote_ascii(s, '"') } else { go_quote(s) };
        self.pad(&q);
    }

    fn fmt_unicode(&mut self, u: u64) {
        let prec = self.f.prec.filter(|&p| p > 4).unwrap_or(4);
        // Zero padding by hand: a width argument above u16::MAX makes Rust's formatter panic.
        let hex = format!("{u:X}");
        let mut s = format!("U+{}{hex}", "0".repeat(prec.saturating_sub(hex.len())));
        if self.f.sharp {
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
                if is_go_print(c) {
                    s.push_str(" '");
                    s.push(c);
                    s.push('\'');
                }
            }
        }
        self.pad_spaces(&s);
    }

    fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { (u as i64).unsigned_abs() } else { u };
        let mut prec = 0usize;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid.unwrap_or(0));
                self.f.zero = zero;
                return;
            }
        } else if self.f.zero && !self.f.minus {
            if let Some(w) = self.f.wid {
                prec = w;
                if negative || self.f.plus || self.f.space {
                    prec = prec.saturating_sub(1);
                }
            }
        }
        // Digits right to left.
        let mut rev: Vec<u8> = Vec::with_capacity(prec.max(24));
        let b = u64::from(base);
        while u >= b {
            rev.push(digits[(u % b) as usize]);
            u /= b;
        }
        rev.push(digits[u as usize]);
        while prec > rev.len() {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let s: String = rev.into_iter().map(char::from).collect();
        self.pad_spaces(&s);
    }

    fn fmt_float_raw(&mut self, v: f64, verb: char, default_prec: Option<usize>) {
        let prec = self.f.prec.or(default_prec);
        let mut num = format_float(v, verb, prec);
        if !num.starts_with(['-', '+']) {
            num.insert(0, '+');
        }
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        let body = &num[1..];
        if body.starts_with('I') || body.starts_with('N') {
            if body.starts_with('N') && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad_spaces(&num);
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits: i64 = match verb {
                'v' | 'g' | 'G' | 'x' => prec.map_or(6, |p| p as i64),
                _ => 0,
            };
            let mut tail = String::new();
            let mut head = String::with_capacity(num.len() + 8);
            let mut has_point = false;
            let mut saw_nonzero = false;
            for (i, c) in num.char_indices() {
                if i == 0 {
                    head.push(c);
                    continue;
                }
                match c {
                    '.' => {
                        has_point = true;
                        head.push(c);
                    }
                    'p' | 'P' => {
                        tail.push_str(&num[i..]);
                        break;
                    }
                    'e' | 'E' if verb != 'x' && verb != 'X' => {
                        tail.push_str(&num[i..]);
                        break;
                    }
                    _ => {
                        if c != '0' {
                            saw_nonzero = true;
                        }
                        if saw_nonzero {
                            digits -= 1;
                        }
                        head.push(c);
                    }
                }
            }
            if !has_point {
                if head.len() == 2 && head.ends_with('0') {
                    digits -= 1;
                }
                head.push('.');
            }
            while digits > 0 {
                head.push('0');
                digits -= 1;
            }
            head.push_str(&tail);
            num = head;
        }
        if self.f.plus || !num.starts_with('+') {
            let wid = self.f.wid.unwrap_or(0);
            let len = num.len();
            if self.f.zero && !self.f.minus && wid > len {
                let (sign, rest) = num.split_at(1);
                self.buf.push_str(sign);
                self.write_padding(wid - len);
                self.buf.push_str(rest);
                return;
            }
            self.pad(&num);
            return;
        }
        let rest = num[1..].to_owned();
        self.pad(&rest);
    }

    // ----- print.go: per-type dispatch -----

    fn bad_verb(&mut self, verb: char, arg: &Val) {
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if arg.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&arg.type_name());
            self.buf.push('=');
            self.print_arg(arg, 'v');
        }
        self.buf.push(')');
        self.erroring = false;
    }

    fn fmt_bool_verb(&mut self, b: bool, verb: char, arg: &Val) {
        match verb {
            't' | 'v' => self.fmt_bool(b),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `pp.fmtInteger`: `arg` is the value for error messages (`None` for a byte of a `[]byte`).
    fn fmt_int_verb(&mut self, u: u64, signed: bool, verb: char, arg: Option<&Val>) {
        match verb {
            'v' if self.f.sharp_v && !signed => {
                let sharp = self.f.sharp;
                self.f.sharp = true;
                self.fmt_integer(u, 16, false, 'v', LDIGITS);
                self.f.sharp = sharp;
            }
            'v' | 'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => {
                let c = rune_of(u);
                self.pad(c.encode_utf8(&mut [0; 4]));
            }
            'q' => {
                let q = quote_rune(rune_of(u), self.f.plus);
                self.pad(&q);
            }
            'U' => self.fmt_unicode(u),
            _ => match arg {
                Some(a) => self.bad_verb(verb, a),
                None => {
                    // A byte of a []byte: Go reports it as a uint8.
                    self.erroring = true;
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(uint8=");
                    self.f.sharp_v = false;
                    self.fmt_integer(u, 10, false, 'v', LDIGITS);
                    self.buf.push(')');
                    self.erroring = false;
                }
            },
        }
    }

    fn fmt_float_verb(&mut self, v: f64, verb: char, arg: &Val) {
        match verb {
            'v' => self.fmt_float_raw(v, 'g', None),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float_raw(v, verb, None),
            'f' | 'e' | 'E' => self.fmt_float_raw(v, verb, Some(6)),
            'F' => self.fmt_float_raw(v, 'f', Some(6)),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_string_verb(&mut self, s: &str, verb: char, arg: &Val) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s),
            'v' | 's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_string: &str) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str(type_string);
                    self.buf.push('{');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        let sharp = self.f.sharp;
                        self.f.sharp = true;
                        self.fmt_integer(u64::from(c), 16, false, 'v', LDIGITS);
                        self.f.sharp = sharp;
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(u64::from(c), 10, false, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => {
                let s = String::from_utf8_lossy(b);
                let s = self.truncate(&s).to_owned();
                self.pad(&s);
            }
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => {
                let s = String::from_utf8_lossy(b).into_owned();
                self.fmt_q(&s);
            }
            _ => {
                // Reflection: a slice of uint8 printed element by element.
                if self.f.sharp_v {
                    self.buf.push_str("[]uint8{");
                } else {
                    self.buf.push('[');
                }
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.fmt_int_verb(u64::from(c), false, verb, None);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
        }
    }

    fn fmt_pointer(&mut self, v: &Val, verb: char) {
        let addr = match v {
            Val::Map(m) => std::rc::Rc::as_ptr(m) as *const u8 as usize,
            Val::List(l) => std::rc::Rc::as_ptr(l) as *const u8 as usize,
            Val::Bytes(b) => b.as_ptr() as usize,
            Val::Obj(o) if o.kind() == "ptr" || o.kind() == "map" || o.kind() == "slice" => {
                std::rc::Rc::as_ptr(o) as *const u8 as usize
            }
            _ => {
                self.bad_verb(verb, v);
                return;
            }
        };
        let sharp = self.f.sharp;
        self.f.sharp = !sharp;
        self.fmt_integer(addr as u64, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    /// Go's `handleMethods` for values with a `String` method: true when it printed.
    fn handle_stringer(&mut self, v: &Val, verb: char) -> bool {
        if self.erroring || self.f.sharp_v {
            return false;
        }
        match (v, verb) {
            (Val::Obj(o), 'v' | 's' | 'x' | 'X' | 'q') => {
                let s = o.fmt_v();
                self.fmt_string_verb(&s, verb, v);
                true
            }
            _ => false,
        }
    }

    /// Go's `printArg`: a top-level operand.
    fn print_arg(&mut self, v: &Val, verb: char) {
        if v.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, v),
            }
            return;
        }
        match verb {
            'T' => {
                let t = v.type_name();
                self.fmt_s(&t);
                return;
            }
            'p' => {
                self.fmt_pointer(v, 'p');
                return;
            }
            _ => {}
        }
        match v {
            Val::Bytes(b) => self.fmt_bytes(b, verb, "[]byte"),
            Val::Obj(_) => {
                if !self.handle_stringer(v, verb) {
                    self.print_value(v, verb, 0);
                }
            }
            _ => self.print_value(v, verb, 0),
        }
    }

    /// Go's `printValue`: an operand or an element of a slice or map (`depth > 0`).
    fn print_value(&mut self, v: &Val, verb: char, depth: usize) {
        if depth > 0 && self.handle_stringer(v, verb) {
            return;
        }
        match v {
            Val::NoValue | Val::Nil => {
                if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Val::Bool(b) => self.fmt_bool_verb(*b, verb, v),
            Val::Int(i) | Val::Int64(i) => self.fmt_int_verb(*i as u64, true, verb, Some(v)),
            Val::Float(x) => self.fmt_float_verb(*x, verb, v),
            Val::Str(s) => self.fmt_string_verb(s, verb, v),
            Val::Bytes(b) => self.fmt_bytes(b, verb, "[]uint8"),
            Val::List(l) => {
                let sharp_v = self.f.sharp_v;
                if sharp_v {
                    self.buf.push_str(l.elem.type_name());
                    self.buf.push('{');
                } else {
                    self.buf.push('[');
                }
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if sharp_v { ", " } else { " " });
                    }
                    if l.elem == Elem::Any && item.is_nil() {
                        self.print_value(&Val::Nil, verb, depth + 1);
                    } else {
                        self.print_value(item, verb, depth + 1);
                    }
                }
                self.buf.push(if sharp_v { '}' } else { ']' });
            }
            Val::Map(m) => {
                let sharp_v = self.f.sharp_v;
                if sharp_v {
                    self.buf.push_str(m.kind.type_name());
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                let entries: Vec<(String, Val)> =
                    m.map.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                for (i, (k, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if sharp_v { ", " } else { " " });
                    }
                    let key = Val::str(k.as_str());
                    self.print_value(&key, verb, depth + 1);
                    self.buf.push(':');
                    self.print_value(item, verb, depth + 1);
                }
                self.buf.push(if sharp_v { '}' } else { ']' });
            }
            Val::Obj(o) => {
                // No formatting methods apply: Go would print the fields by reflection, which
                // the object's own `%v` stands for.
                if matches!(verb, 'v' | 's') {
                    let s = o.fmt_v();
                    self.pad(&s);
                } else {
                    self.bad_verb(verb, v);
                }
            }
        }
    }

    // ----- doPrintf -----

    fn do_printf(&mut self, format: &str, args: &[Val]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut reordered = false;
        let mut i = 0usize;
        'format: while i < end {
            let mut good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'
            self.f = Flags::default();
            // Flags, and the fast path for a simple lower-case verb.
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < args.len() {
                            if c == b'v' || c == b'w' {
                                self.set_v_flags();
                            }
                            self.print_arg(&args[arg_num], char::from(c));
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Argument index, width.
            let mut after_index;
            (arg_num, i, after_index) =
                arg_number(arg_num, format, i, args.len(), &mut reordered, &mut good_arg_num);
            if i < end && fb[i] == b'*' {
                i += 1;
                let (n, ok, next) = int_from_arg(args, arg_num);
                arg_num = next;
                self.f.wid = None;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                } else if n < 0 {
                    self.f.wid = Some(n.unsigned_abs() as usize);
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = Some(n as usize);
                }
                after_index = false;
            } else {
                let (n, present, next) = parse_num(fb, i, end);
                i = next;
                self.f.wid = present.then_some(n);
                if after_index && present {
                    good_arg_num = false;
                }
            }

            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                (arg_num, i, after_index) =
                    arg_number(arg_num, format, i, args.len(), &mut reordered, &mut good_arg_num);
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (n, ok, next) = int_from_arg(args, arg_num);
                    arg_num = next;
                    self.f.prec = (ok && n >= 0).then_some(n as usize);
                    if self.f.prec.is_none() {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (n, present, next) = parse_num(fb, i, end);
                    i = next;
                    self.f.prec = Some(if present { n } else { 0 });
                }
            }

            if !after_index {
                (arg_num, i, after_index) =
                    arg_number(arg_num, format, i, args.len(), &mut reordered, &mut good_arg_num);
            }
            let _ = after_index;

            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let Some(verb) = format[i..].chars().next() else { break };
            i += verb.len_utf8();

            match verb {
                '%' => self.buf.push('%'),
                _ if !good_arg_num => {
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(BADINDEX)");
                }
                _ if arg_num >= args.len() => {
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(MISSING)");
                }
                _ => {
                    if verb == 'v' || verb == 'w' {
                        self.set_v_flags();
                    }
                    self.print_arg(&args[arg_num], verb);
                    arg_num += 1;
                }
            }
        }

        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    /// `%#v` and `%+v` are flagless formats of their own.
    fn set_v_flags(&mut self) {
        self.f.sharp_v = self.f.sharp;
        self.f.sharp = false;
        self.f.plus_v = self.f.plus;
        self.f.plus = false;
    }
}

/// Go's `parsenum`: `(number, present, next index)`; an absurdly long number is "absent" and
/// consumes the rest of the format.
fn parse_num(fb: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    let mut num: i64 = 0;
    let mut present = false;
    let mut i = start;
    while i < end && fb[i].is_ascii_digit() {
        if num > TOO_LARGE {
            return (0, false, end);
        }
        num = num * 10 + i64::from(fb[i] - b'0');
        present = true;
        i += 1;
    }
    (num as usize, present, i)
}

/// Go's `argNumber`: an explicit `[n]` index at `i`, if any. Returns the argument to use next,
/// the new position and whether an index was found.
fn arg_number(
    arg_num: usize,
    format: &str,
    i: usize,
    num_args: usize,
    reordered: &mut bool,
    good_arg_num: &mut bool,
) -> (usize, usize, bool) {
    let fb = format.as_bytes();
    if fb.len() <= i || fb[i] != b'[' {
        return (arg_num, i, false);
    }
    *reordered = true;
    let rest = &fb[i..];
    // parseArgNumber
    let (index, wid, ok) = 'parse: {
        if rest.len() < 3 {
            break 'parse (0i64, 1usize, false);
        }
        for j in 1..rest.len() {
            if rest[j] == b']' {
                let (n, present, next) = parse_num(rest, 1, j);
                if !present || next != j {
                    break 'parse (0, j + 1, false);
                }
                break 'parse (n as i64 - 1, j + 1, true);
            }
        }
        (0, 1, false)
    };
    if ok && index >= 0 && (index as usize) < num_args {
        return (index as usize, i + wid, true);
    }
    *good_arg_num = false;
    (arg_num, i + wid, ok)
}

/// Go's `intFromArg`: a `*` width or precision operand. Returns `(value, is_int, next arg)`.
fn int_from_arg(args: &[Val], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= args.len() {
        return (0, false, arg_num);
    }
    let (n, ok) = match &args[arg_num] {
        Val::Int(n) | Val::Int64(n) => (*n, true),
        _ => (0, false),
    };
    if !(-TOO_LARGE..=TOO_LARGE).contains(&n) {
        return (0, false, arg_num + 1);
    }
    (n, ok, arg_num + 1)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn s(x: &str) -> Val {
        Val::str(x)
    }

    fn map(entries: &[(&str, Val)]) -> Val {
        Val::map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    // Every expectation below was printed by helm v4.1.4 (`printf` in a template).

    #[test]
    #[allow(clippy::approx_constant)] // 3.14159 is the literal the conformance case prints
    fn basic_verbs() {
        let args = [
            s("s"),
            Val::Int(42),
            Val::Float(3.14159),
            Val::Int(255),
            s("q"),
            Val::Bool(true),
            Val::Int(7),
            s("ab"),
        ];
        assert_eq!(
            sprintf("%s|%d|%5.2f|%x|%q|%t|%03d|%-4s|", &args),
            "s|42| 3.14|ff|\"q\"|true|007|ab  |"
        );
    }

    #[test]
    fn errors_in_band() {
        assert_eq!(sprintf("%s %s", &[s("one")]), "one %!s(MISSING)");
        assert_eq!(sprintf("%d", &[Val::Float(5.0)]), "%!d(float64=5)");
        assert_eq!(
            sprintf("%v|%s|%d", &[Val::Nil, Val::Nil, Val::Nil]),
            "<nil>|%!s(<nil>)|%!d(<nil>)"
        );
        assert_eq!(sprintf("%d", &[Val::Int(1), Val::Int(2)]), "1%!(EXTRA int=2)");
        assert_eq!(sprintf("%d %", &[Val::Int(1)]), "1 %!(NOVERB)");
        assert_eq!(sprintf("%*d", &[s("x"), Val::Int(1)]), "%!(BADWIDTH)1");
        assert_eq!(sprintf("%.*d", &[s("x"), Val::Int(1)]), "%!(BADPREC)1");
        assert_eq!(sprintf("%[3]d", &[Val::Int(1)]), "%!d(BADINDEX)");
        assert_eq!(sprintf("%z", &[Val::Int(1)]), "%!z(int=1)");
        assert_eq!(sprintf("%5d", &[s("x")]), "%!d(string=    x)");
    }

    #[test]
    fn nested_values_apply_the_verb() {
        let m = map(&[("a", Val::Float(1.0))]);
        assert_eq!(sprintf("%s", &[m]), "map[a:%!s(float64=1)]");
        let l = Val::list(vec![Val::Int(1), Val::Nil, s("x")]);
        assert_eq!(sprintf("%d", std::slice::from_ref(&l)), "[1 <nil> %!d(string=x)]");
        assert_eq!(sprintf("%5v", std::slice::from_ref(&l)), "[    1 <nil>     x]");
        assert_eq!(sprintf("%#v", &[l]), "[]interface {}{1, interface {}(nil), \"x\"}");
        let m = map(&[("b", s("x")), ("a", Val::Int(1))]);
        assert_eq!(
            sprintf("%#v", std::slice::from_ref(&m)),
            "map[string]interface {}{\"a\":1, \"b\":\"x\"}"
        );
        assert_eq!(sprintf("%x", &[m]), "map[61:1 62:78]");
        let sl = Val::str_list(["ab", "c"]);
        assert_eq!(sprintf("%x %T", &[sl.clone(), sl]), "[6162 63] []string");
    }

    #[test]
    fn integers() {
        let n = Val::Int(-42);
        assert_eq!(
            sprintf("%b|%o|%O|%x|%X|%#x|%#o|%#b|%+d|% d|%08d|%-8d|%.5d|%8.5d", &vec![n; 14]),
            "-101010|-52|-0o52|-2a|-2A|-0x2a|-052|-0b101010|-42|-42|-0000042|-42     \
             |-00042|  -00042"
        );
        assert_eq!(
            sprintf("%c|%q|%U|%#U", &vec![Val::Int(0x1F600); 4]),
            "😀|'😀'|U+1F600|U+1F600 '😀'"
        );
        assert_eq!(sprintf("%.0d|%5.0d|", &[Val::Int(0), Val::Int(0)]), "|     |");
        assert_eq!(sprintf("%+q|%c", &[Val::Int(0xe9), Val::Int(-1)]), "'\\u00e9'|\u{fffd}");
        assert_eq!(sprintf("%x", &[Val::Int64(i64::MIN)]), "-8000000000000000");
    }

    #[test]
    fn floats() {
        let v = Val::Float(1234.5678);
        assert_eq!(
            sprintf(
                "%e|%E|%f|%.2f|%g|%G|%.3g|%10.3f|%-10.1f|%+.1f|%010.2f|%#g|%#.3e",
                &vec![v; 13]
            ),
            "1.234568e+03|1.234568E+03|1234.567800|1234.57|1234.5678|1234.5678|1.23e+03|  1234.568\
             |1234.6    |+1234.6|0001234.57|1234.5678|1.235e+03"
        );
        assert_eq!(
            sprintf(
                "%v|%v|%v|%g|%.0f",
                &[
                    Val::Float(1e6),
                    Val::Float(1e21),
                    Val::Float(0.00001),
                    Val::Float(100000.0),
                    Val::Float(2.5)
                ]
            ),
            "1e+06|1e+21|1e-05|100000|2"
        );
        assert_eq!(
            sprintf("%b|%x|%X|%.2x", &vec![Val::Float(1.0); 4]),
            "4503599627370496p-52|0x1p+00|0X1P+00|0x1.00p+00"
        );
        assert_eq!(sprintf("%x", &[Val::Float(3.5)]), "0x1.cp+01");
        assert_eq!(
            sprintf("%.3g|%.3g|%g", &[Val::Float(1.0), Val::Float(1e-5), Val::Float(0.0)]),
            "1|1e-05|0"
        );
        assert_eq!(
            sprintf(
                "%f|%+f|%5.1f",
                &[Val::Float(f64::NAN), Val::Float(f64::INFINITY), Val::Float(f64::NEG_INFINITY)]
            ),
            "NaN|+Inf| -Inf"
        );
        assert_eq!(sprintf("%.2f|%v", &[Val::Float(-0.001), Val::Float(-0.0)]), "-0.00|-0");
        assert_eq!(sprintf("%#v|%#v", &[Val::Float(1.0), Val::Float(1e6)]), "1|1e+06");
    }

    #[test]
    fn strings_and_bytes() {
        assert_eq!(
            sprintf(
                "%.2s|%5.1s|%-5s|%x|% X|%# x|%q|%#q|%+q",
                &[
                    s("héllo"),
                    s("héllo"),
                    s("é"),
                    s("hé"),
                    s("hé"),
                    s("hi"),
                    s("a\"\n"),
                    s("a\"b"),
                    s("é")
                ]
            ),
            "hé|    h|é    |68c3a9|68 C3 A9|0x68 0x69|\"a\\\"\\n\"|`a\"b`|\"\\u00e9\""
        );
        let b = Val::Bytes(b"hi".as_slice().into());
        assert_eq!(
            sprintf("%v|%s|%x|%d|%q|%#v|%c", &vec![b; 7]),
            "[104 105]|hi|6869|[104 105]|\"hi\"|[]byte{0x68, 0x69}|[h i]"
        );
        assert_eq!(sprintf("%f", &[Val::Bytes(b"h".as_slice().into())]), "[%!f(uint8=104)]");
    }

    #[test]
    #[allow(clippy::approx_constant)] // the literal helm was given
    fn types_widths_indexes() {
        let args = [Val::Int(1), Val::Float(1.5), s("s"), Val::Nil, map(&[])];
        assert_eq!(
            sprintf("%T %T %T %T %T", &args),
            "int float64 string <nil> map[string]interface {}"
        );
        assert_eq!(sprintf("%[2]d %[1]d %d", &[Val::Int(1), Val::Int(2)]), "2 1 2");
        assert_eq!(
            sprintf(
                "%*d|%-*d|%.*f",
                &[
                    Val::Int(4),
                    Val::Int(1),
                    Val::Int(3),
                    Val::Int(2),
                    Val::Int(1),
                    Val::Float(2.25)
                ]
            ),
            "   1|2  |2.2"
        );
        assert_eq!(sprintf("%*d", &[Val::Int(-3), Val::Int(1)]), "1  ");
        assert_eq!(
            sprintf("%6.2v|%t|%v", &[Val::Float(3.14159), Val::Int(1), Val::Bool(false)]),
            "   3.1|%!t(int=1)|false"
        );
        assert_eq!(sprintf("100%%", &[]), "100%");
        assert_eq!(sprintf("%-05d|%05s", &[Val::Int(3), s("ab")]), "3    |000ab");
    }

    #[test]
    fn print_and_println() {
        assert_eq!(sprint(&[s("a"), Val::Int(1), Val::Int(2), s("b"), s("c")]), "a1 2bc");
        assert_eq!(sprint(&[Val::str_list(["a b", "c"])]), "[a b c]");
        assert_eq!(sprint(&[Val::Nil, Val::Nil]), "<nil> <nil>");
        assert_eq!(sprintln(&[s("a"), Val::Int(1)]), "a 1\n");
        let m = Val::map(BTreeMap::new());
        assert_eq!(fmt_verb(&m, 'v'), "map[]");
    }
    proptest::proptest! {
        /// Any format with any operands prints something, never panics.
        #[test]
        fn sprintf_never_panics(
            format in "[%#+\\- 0.*\\[\\]1-9vdsxXqfeEgGtTcUobOp!éw]{0,24}",
            ints in proptest::collection::vec(-1_000_000i64..1_000_000, 0..4),
            float in proptest::num::f64::ANY,
            text in "\\PC{0,6}",
        ) {
            let mut args: Vec<Val> = ints.into_iter().map(Val::Int).collect();
            args.push(Val::Float(float));
            args.push(Val::str(text));
            args.push(Val::list(vec![Val::Nil, Val::Int64(-1)]));
            let _ = sprintf(&format, &args);
        }
    }
    /// Precisions beyond what Rust's own formatter accepts (u16::MAX) are Go's too: the exact
    /// digits, then zeros (found by `sprintf_never_panics`).
    #[test]
    fn huge_precisions_pad_with_zeros() {
        let f = sprintf("%.70000f", &[Val::Float(1.5)]);
        assert_eq!(f.len(), 70_002);
        assert!(f.starts_with("1.50") && f[3..].bytes().all(|b| b == b'0'));
        let e = sprintf("%.70000e", &[Val::Float(1.5)]);
        assert!(e.starts_with("1.50") && e.ends_with("0e+00") && e.len() == 70_006);
        let u = sprintf("%.70000U", &[Val::Int(65)]);
        assert!(u.starts_with("U+000") && u.ends_with("041") && u.len() == 70_002);
    }

    /// Flag, width, index and error corners, as helm printed them.
    #[test]
    fn corner_table_matches_helm() {
        let cases: Vec<(&str, Vec<Val>, &str)> = vec![
            ("%08.3f", vec![Val::Float(-1.5)], "-001.500"),
            ("%+08d", vec![Val::Int(5)], "+0000005"),
            ("% x", vec![s("hi")], "68 69"),
            ("%#X", vec![s("hi")], "0X6869"),
            ("%-8.3s|", vec![s("hello")], "hel     |"),
            ("%8T|", vec![s("x")], "  string|"),
            ("%.1T", vec![s("x")], "s"),
            ("%c", vec![Val::Int(65)], "A"),
            ("%U", vec![Val::Int(-1)], "U+FFFFFFFFFFFFFFFF"),
            ("%o", vec![Val::Float(1.5)], "%!o(float64=1.5)"),
            ("%5t|", vec![Val::Bool(true)], " true|"),
            ("%-5t|", vec![Val::Bool(true)], "true |"),
            ("%q", vec![Val::Bool(true)], "%!q(bool=true)"),
            ("%x", vec![Val::Bool(true)], "%!x(bool=true)"),
            ("%e", vec![Val::Int(5)], "%!e(int=5)"),
            ("%6.2f", vec![Val::Float(f64::INFINITY)], "  +Inf"),
            ("%[2]*[1]d", vec![Val::Int(7), Val::Int(5)], "    7"),
            ("%[1]d %[1]x", vec![Val::Int(255)], "255 ff"),
            ("%!", vec![Val::Int(1)], "%!!(int=1)"),
            ("%[", vec![Val::Int(1)], "%!(NOVERB)"),
            ("%[0]d", vec![Val::Int(1)], "%!d(BADINDEX)"),
            ("%[x]d", vec![Val::Int(1)], "%!d(BADINDEX)"),
            ("%.[2]d", vec![Val::Int(1), Val::Int(2)], "2"),
            ("%3[1]d", vec![Val::Int(1)], "  1"),
            ("%-+ #0d", vec![Val::Int(5)], "+5"),
            ("%[2]d %d", vec![Val::Int(1), Val::Int(2), Val::Int(3)], "2 3"),
            ("%*d", vec![Val::Int(1000001), Val::Int(1)], "%!(BADWIDTH)1"),
            ("%.*d", vec![Val::Int(-1), Val::Int(5)], "%!(BADPREC)5"),
            ("%10.4v", vec![s("hello")], "      hell"),
            (
                "%#v",
                vec![map(&[("a", Val::list(vec![Val::Int(1), s("x"), Val::Nil]))])],
                "map[string]interface {}{\"a\":[]interface {}{1, \"x\", interface {}(nil)}}",
            ),
            ("%#v", vec![s("a\"b")], "\"a\\\"b\""),
            ("%#v", vec![Val::Bool(true)], "true"),
            ("%#q", vec![s("a`b")], "\"a`b\""),
            ("%x", vec![Val::Float(-1.5)], "-0x1.8p+00"),
            ("%.0e", vec![Val::Float(0.0)], "0e+00"),
            ("%g", vec![Val::Float(1e-7)], "1e-07"),
            ("%G", vec![Val::Float(1e21)], "1E+21"),
            ("%.2g", vec![Val::Float(123456.0)], "1.2e+05"),
            ("%#.0f", vec![Val::Float(3.0)], "3."),
            ("%+.2e", vec![Val::Float(-0.0)], "-0.00e+00"),
            ("%5.1q", vec![s("héllo")], "  \"h\""),
            ("%-#10x", vec![Val::Int(255)], "0xff      "),
            ("%#o", vec![Val::Int(0)], "0"),
            ("%#x", vec![Val::Int(0)], "0x0"),
            ("%+x", vec![s("a")], "61"),
            ("%010s", vec![s("ab")], "00000000ab"),
            ("%-010d", vec![Val::Int(5)], "5         "),
            (
                "%x",
                vec![Val::list(vec![Val::Int(1), s("ab"), Val::Float(2.5)])],
                "[1 6162 0x1.4p+01]",
            ),
            ("%d", vec![Val::list(vec![Val::Bool(true)])], "[%!d(bool=true)]"),
            ("%s", vec![Val::list(vec![Val::Int(1)])], "[%!s(int=1)]"),
            ("%c", vec![Val::list(vec![Val::Int(104), Val::Int(105)])], "[h i]"),
            ("%q", vec![Val::list(vec![s("a"), Val::Int(1)])], "[\"a\" '\\x01']"),
            ("% d", vec![Val::list(vec![Val::Int(1), Val::Int(-1)])], "[ 1 -1]"),
            ("%v", vec![Val::list(vec![map(&[("k", Val::list(vec![]))])])], "[map[k:[]]]"),
            ("%T", vec![Val::list(vec![Val::Int(1)])], "[]interface {}"),
            ("%T", vec![map(&[])], "map[string]interface {}"),
            ("%p", vec![Val::Nil], "%!p(<nil>)"),
            ("%d", vec![s("x"), s("y")], "%!d(string=x)%!(EXTRA string=y)"),
        ];
        for (format, args, want) in cases {
            assert_eq!(sprintf(format, &args), want, "{format:?} {args:?}");
        }
    }
}
