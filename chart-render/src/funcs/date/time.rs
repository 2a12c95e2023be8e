//! Go's `time.Time` and `time.Duration`: instants with a location and an optional monotonic
//! reading, civil-date arithmetic over Go's whole range, and Go's duration text.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

use super::zone::{Location, ZoneInfo};

/// Seconds from 0001-01-01 (Go's zero time) to the Unix epoch.
pub(crate) const ZERO_TO_UNIX: i64 = 62_135_596_800;

/// Nanoseconds in a second.
pub(crate) const NANOS: i64 = 1_000_000_000;

/// A civil date and time (in some zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    /// The year (astronomical: 0 is 1 BC).
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
    /// 0 to 23.
    pub hour: u32,
    /// 0 to 59.
    pub minute: u32,
    /// 0 to 59.
    pub second: u32,
    /// 0 (Sunday) to 6.
    pub weekday: u32,
    /// 1 to 366.
    pub yday: u32,
}

/// Days from 1970-01-01 to the given civil date (any day/month overflow carries over).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i128 {
    // Normalise the month into [1, 12], carrying into the year, as Go's Date does.
    let m0 = month - 1;
    let year = i128::from(year) + i128::from(m0.div_euclid(12));
    let month = i128::from(m0.rem_euclid(12) + 1);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + i128::from(day) - 1
}

/// The civil date and time of `secs` seconds after 1970-01-01 00:00:00 (no zone).
pub(crate) fn civil_from_secs(secs: i128) -> Civil {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i128::from(month <= 2);
    let year = i64::try_from(year).unwrap_or(if year < 0 { i64::MIN } else { i64::MAX });
    let jan1 = days_from_civil(year, 1, 1);
    Civil {
        year,
        month,
        day,
        hour: sod / 3600,
        minute: sod / 60 % 60,
        second: sod % 60,
        weekday: (days + 4).rem_euclid(7) as u32,
        yday: (days - jan1 + 1).clamp(1, 366) as u32,
    }
}

/// The UTC civil date and time of a Unix time.
pub(crate) fn civil_from_unix(unix: i64) -> Civil {
    civil_from_secs(i128::from(unix))
}

/// Whether a year is a leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in a month.
pub(crate) fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `time.Time`.
#[derive(Debug, Clone)]
pub(crate) struct GoTime {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second.
    pub nsec: u32,
    /// The location used for display.
    pub loc: Location,
    /// The monotonic clock reading (`time.Now()` has one).
    pub mono: Option<i64>,
}

thread_local! {
    /// The clock reading of the first `now` (Go's monotonic readings count from process start).
    static MONO_START: Cell<Option<i128>> = const { Cell::new(None) };
}

fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

impl GoTime {
    /// Go's `time.Now()`: local time with a monotonic reading.
    pub fn now(clock: SystemTime) -> GoTime {
        let ns = unix_nanos(clock);
        let start = MONO_START.with(|s| match s.get() {
            Some(v) => v,
            None => {
                s.set(Some(ns - 1));
                ns - 1
            }
        });
        let mut t = GoTime::from_unix_nanos(ns, Location::local());
        t.mono = Some(clamp_i64(ns - start));
        t
    }

    /// A time from Unix nanoseconds.
    pub fn from_unix_nanos(ns: i128, loc: Location) -> GoTime {
        GoTime {
            secs: clamp_i64(ns.div_euclid(i128::from(NANOS))),
            nsec: ns.rem_euclid(i128::from(NANOS)) as u32,
            loc,
            mono: None,
        }
    }

    /// Go's `time.Unix(sec, 0)` (local time).
    pub fn unix(secs: i64) -> GoTime {
        GoTime { secs, nsec: 0, loc: Location::local(), mono: None }
    }

    /// Go's zero `time.Time{}` (0001-01-01 00:00:00 UTC).
    pub fn zero() -> GoTime {
        GoTime { secs: -ZERO_TO_UNIX, nsec: 0, loc: Location::utc(), mono: None }
    }

    /// Nanoseconds since the Unix epoch.
    pub fn unix_nanos(&self) -> i128 {
        i128::from(self.secs) * i128::from(NANOS) + i128::from(self.nsec)
    }

    /// The zone in effect at this instant.
    pub fn zone(&self) -> ZoneInfo {
        self.loc.lookup(self.secs)
    }

    /// The civil date and time in the time's location.
    pub fn civil(&self) -> Civil {
        civil_from_secs(i128::from(self.secs) + i128::from(self.zone().offset))
    }

    /// Go's `t.In(loc)` (also `UTC()` and `Local()`): same instant, no monotonic reading.
    pub fn in_location(&self, loc: Location) -> GoTime {
        GoTime { secs: self.secs, nsec: self.nsec, loc, mono: None }
    }

    /// Go's `time.Date(...)`: a civil time in `loc`, with Go's normalisation and its choice of
    /// offset around zone transitions.
    #[allow(clippy::too_many_arguments)]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Location,
    ) -> GoTime {
        let local_secs = days_from_civil(year, month, 1) * 86_400
            + (i128::from(day) - 1) * 86_400
            + i128::from(hour) * 3600
            + i128::from(min) * 60
            + i128::from(sec)
            + i128::from(nsec).div_euclid(i128::from(NANOS));
        let nsec = i128::from(nsec).rem_euclid(i128::from(NANOS)) as u32;
        let unix = clamp_i64(local_secs);
        let mut offset = loc.lookup(unix).offset;
        if offset != 0 {
            let second = loc.lookup(unix.saturating_sub(i64::from(offset))).offset;
            if second != offset {
                offset = second;
            }
        }
        GoTime { secs: clamp_i64(local_secs - i128::from(offset)), nsec, loc, mono: None }
    }

    /// Go's `t.Add(d)`.
    pub fn add(&self, d: i64) -> GoTime {
        let mut t = GoTime::from_unix_nanos(self.unix_nanos() + i128::from(d), self.loc.clone());
        t.mono = self.mono.and_then(|m| m.checked_add(d));
        t
    }

    /// Go's `t.AddDate(years, months, days)`.
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> GoTime {
        let c = self.civil();
        GoTime::date(
            c.year.saturating_add(years),
            i64::from(c.month).saturating_add(months),
            i64::from(c.day).saturating_add(days),
            i64::from(c.hour),
            i64::from(c.minute),
            i64::from(c.second),
            i64::from(self.nsec),
            self.loc.clone(),
        )
    }

    /// Go's `t.Sub(u)`: monotonic readings when both have one, saturating at the limits.
    pub fn sub(&self, u: &GoTime) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return clamp_i64(i128::from(a) - i128::from(b));
        }
        clamp_i64(self.unix_nanos() - u.unix_nanos())
    }

    /// Go's `t.Compare(u)`.
    pub fn compare(&self, u: &GoTime) -> std::cmp::Ordering {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a.cmp(&b);
        }
        self.unix_nanos().cmp(&u.unix_nanos())
    }

    /// Go's `t.Truncate(d)` / `t.Round(d)`, relative to the zero time as Go computes them.
    pub fn round_to(&self, d: i64, round: bool) -> GoTime {
        let mut t = self.clone();
        t.mono = None;
        if d <= 0 {
            return t;
        }
        let since_zero = self.unix_nanos() + i128::from(ZERO_TO_UNIX) * i128::from(NANOS);
        let r = since_zero.rem_euclid(i128::from(d));
        let shift = if round && r + r >= i128::from(d) { i128::from(d) - r } else { -r };
        GoTime::from_unix_nanos(self.unix_nanos() + shift, self.loc.clone())
    }

    /// Go's `t.IsZero()`.
    pub fn is_zero(&self) -> bool {
        self.secs == -ZERO_TO_UNIX && self.nsec == 0
    }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST` and the monotonic
    /// reading as `m=±s.nnnnnnnnn`.
    pub fn go_string(&self) -> String {
        let mut s = super::layout::format(self, "2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let u = m.unsigned_abs();
            let (secs, frac) = (u / 1_000_000_000, u % 1_000_000_000);
            s.push_str(&format!(" m={sign}{secs}.{frac:09}"));
        }
        s
    }
}

/// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
pub(crate) fn duration_string(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        if u == 0 {
            return "0s".to_string();
        }
        let (prec, unit) = if u < 1_000 {
            (0, "ns")
        } else if u < 1_000_000 {
            (3, "µs")
        } else {
            (6, "ms")
        };
        let (int, frac) = split_frac(u, prec);
        out.push_str(&int.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (secs, frac) = split_frac(u, 9);
        u = secs;
        let s = format!("{}{frac}s", u % 60);
        u /= 60;
        if u > 0 {
            let m = u % 60;
            u /= 60;
            if u > 0 {
                out.push_str(&format!("{u}h"));
            }
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&s);
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Splits `v` into `v / 10^prec` and its fraction as `.ddd` without trailing zeros (Go's
/// `fmtFrac`).
fn split_frac(v: u64, prec: u32) -> (u64, String) {
    let p = 10u64.pow(prec);
    let (int, frac) = (v / p, v % p);
    if frac == 0 {
        return (int, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (int, format!(".{}", digits.trim_end_matches('0')))
}

/// Go's `Duration.Round(m)`.
pub(crate) fn duration_round(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let r = d % m;
    let less_than_half = |x: i64| x.unsigned_abs() + x.unsigned_abs() < m.unsigned_abs();
    if d < 0 {
        let r = -r;
        if less_than_half(r) {
            return d + r;
        }
        return d.checked_sub(m - r).unwrap_or(i64::MIN);
    }
    if less_than_half(r) {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

/// Go's `Duration.Truncate(m)`.
pub(crate) fn duration_truncate(d: i64, m: i64) -> i64 {
    if m <= 0 { d } else { d - d % m }
}

/// The `quote` of Go's time package: bytes outside printable ASCII become `\xNN`.
pub(crate) fn time_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(b as char);
        }
    }
    out.push('"');
    out
}

/// Go's `leadingInt`: the leading digits and the rest, or `None` on overflow past 2^63.
pub(crate) fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go's `time.ParseDuration`.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig.as_bytes()));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = rest;
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some((b'.', rest)) = s.split_first() {
            s = rest;
            let before = s.len();
            let mut overflow = false;
            let mut i = 0;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if f > (i64::MAX as u64) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(s[i] - b'0');
                        if y > 1 << 63 {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            s = &s[i..];
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let i = s.iter().position(|c| *c == b'.' || c.is_ascii_digit()).unwrap_or(s.len());
        if i == 0 {
            return Err(format!("time: missing unit in duration {}", time_quote(orig.as_bytes())));
        }
        let (unit_text, rest) = s.split_at(i);
        s = rest;
        let unit: u64 = match unit_text {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000, // us, µs (U+00B5), μs (U+03BC)
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(unit_text),
                    time_quote(orig.as_bytes())
                ));
            }
        };
        if v > (1 << 63) / unit {
            return Err(invalid());
        }
        let mut v = v * unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > i64::MAX as u64 {
        return Err(invalid());
    }
    Ok(d as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let c = civil_from_unix(1_700_000_000);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second),
            (2023, 11, 14, 22, 13, 20)
        );
        assert_eq!((c.weekday, c.yday), (2, 318));
        let z = civil_from_unix(-ZERO_TO_UNIX);
        assert_eq!((z.year, z.month, z.day, z.weekday), (1, 1, 1, 1));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 13, 1), days_from_civil(2025, 1, 1));
        assert_eq!(days_from_civil(2024, 3, 0), days_from_civil(2024, 2, 29));
        let far = civil_from_unix(i64::MAX);
        assert!(far.year > 200_000_000_000);
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(90 * NANOS), "1m30s");
        assert_eq!(duration_string(3661 * NANOS), "1h1m1s");
        assert_eq!(duration_string(-NANOS), "-1s");
        assert_eq!(duration_string(1_500_000), "1.5ms");
        assert_eq!(duration_string(1_500), "1.5µs");
        assert_eq!(duration_string(15), "15ns");
        assert_eq!(duration_string(3_723_500_000_000), "1h2m3.5s");
        assert_eq!(duration_string(i64::MIN), "-2562047h47m16.854775808s");
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1h"), Ok(3_600 * NANOS));
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400 * NANOS));
        assert_eq!(parse_duration("1h2m3.5s"), Ok(3_723_500_000_000));
        assert_eq!(parse_duration("300µs"), Ok(300_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("bad"), Err("time: invalid duration \"bad\"".to_string()));
        assert_eq!(parse_duration("5"), Err("time: missing unit in duration \"5\"".to_string()));
        assert_eq!(
            parse_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".to_string())
        );
        assert_eq!(
            parse_duration("9999999999h").unwrap_err(),
            "time: invalid duration \"9999999999h\""
        );
        assert_eq!(parse_duration("-2562047h47m16.854775808s"), Ok(i64::MIN));
        assert_eq!(time_quote("日\"".as_bytes()), "\"\\xe6\\x97\\xa5\\\"\"");
    }

    #[test]
    fn rounding() {
        assert_eq!(duration_round(1_499_999_999, NANOS), NANOS);
        assert_eq!(duration_round(1_500_000_000, NANOS), 2 * NANOS);
        assert_eq!(duration_round(-1_500_000_000, NANOS), -2 * NANOS);
        assert_eq!(duration_round(i64::MAX, 3600 * NANOS), i64::MAX);
        assert_eq!(duration_truncate(-1_500_000_000, NANOS), -NANOS);
    }
}
