//! Go's layout-based `Time.Format` and `time.ParseInLocation`, driven by the reference time
//! `Mon Jan 2 15:04:05 MST 2006`.

use super::time::{GoTime, days_in, is_leap, leading_int, time_quote};
use super::zone::Location;

/// One element of a layout (Go's `std*` constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000`: that many digits, trailing zeros kept.
    Frac0 {
        digits: usize,
        sep: u8,
    },
    /// `.999`: up to that many digits, trailing zeros dropped.
    Frac9 {
        digits: usize,
        sep: u8,
    },
}

impl Std {
    fn is_iso(self) -> bool {
        matches!(
            self,
            Std::Iso8601TZ
                | Std::Iso8601SecondsTZ
                | Std::Iso8601ShortTZ
                | Std::Iso8601ColonTZ
                | Std::Iso8601ColonSecondsTZ
        )
    }
}

const LONG_DAYS: [&str; 7] =
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Go's `nextStdChunk`: where the first layout element starts, the element, and where it
/// ends; `None` when there is none.
fn next_std_chunk(layout: &[u8]) -> Option<(usize, Std, usize)> {
    let at = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s.as_bytes());
    let lower_after = |i: usize| layout.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..layout.len() {
        match layout[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    return Some((i, Std::LongMonth, i + 7));
                }
                if !lower_after(i + 3) {
                    return Some((i, Std::Month, i + 3));
                }
            }
            b'M' if layout.len() >= i + 3 => {
                if at(i, "Mon") {
                    if at(i, "Monday") {
                        return Some((i, Std::LongWeekDay, i + 6));
                    }
                    if !lower_after(i + 3) {
                        return Some((i, Std::WeekDay, i + 3));
                    }
                }
                if at(i, "MST") {
                    return Some((i, Std::TZ, i + 3));
                }
            }
            b'0' => {
                if let Some(c @ b'1'..=b'6') = layout.get(i + 1) {
                    let std = [
                        Std::ZeroMonth,
                        Std::ZeroDay,
                        Std::ZeroHour12,
                        Std::ZeroMinute,
                        Std::ZeroSecond,
                        Std::Year,
                    ][usize::from(c - b'1')];
                    return Some((i, std, i + 2));
                }
                if at(i, "002") {
                    return Some((i, Std::ZeroYearDay, i + 3));
                }
            }
            b'1' => {
                if layout.get(i + 1) == Some(&b'5') {
                    return Some((i, Std::Hour, i + 2));
                }
                return Some((i, Std::NumMonth, i + 1));
            }
            b'2' => {
                if at(i, "2006") {
                    return Some((i, Std::LongYear, i + 4));
                }
                return Some((i, Std::Day, i + 1));
            }
            b'_' => {
                if layout.get(i + 1) == Some(&b'2') {
                    if at(i + 1, "2006") {
                        return Some((i + 1, Std::LongYear, i + 5));
                    }
                    return Some((i, Std::UnderDay, i + 2));
                }
                if at(i, "__2") {
                    return Some((i, Std::UnderYearDay, i + 3));
                }
            }
            b'3' => return Some((i, Std::Hour12, i + 1)),
            b'4' => return Some((i, Std::Minute, i + 1)),
            b'5' => return Some((i, Std::Second, i + 1)),
            b'P' if layout.get(i + 1) == Some(&b'M') => return Some((i, Std::PM, i + 2)),
            b'p' if layout.get(i + 1) == Some(&b'm') => return Some((i, Std::Pm, i + 2)),
            b'-' => {
                for (s, std) in [
                    ("-070000", Std::NumSecondsTz),
                    ("-07:00:00", Std::NumColonSecondsTZ),
                    ("-0700", Std::NumTZ),
                    ("-07:00", Std::NumColonTZ),
                    ("-07", Std::NumShortTZ),
                ] {
                    if at(i, s) {
                        return Some((i, std, i + s.len()));
                    }
                }
            }
            b'Z' => {
                for (s, std) in [
                    ("Z070000", Std::Iso8601SecondsTZ),
                    ("Z07:00:00", Std::Iso8601ColonSecondsTZ),
                    ("Z0700", Std::Iso8601TZ),
                    ("Z07:00", Std::Iso8601ColonTZ),
                    ("Z07", Std::Iso8601ShortTZ),
                ] {
                    if at(i, s) {
                        return Some((i, std, i + s.len()));
                    }
                }
            }
            sep @ (b'.' | b',') => {
                if let Some(&ch @ (b'0' | b'9')) = layout.get(i + 1) {
                    let mut j = i + 1;
                    while j < layout.len() && layout[j] == ch {
                        j += 1;
                    }
                    if !layout.get(j).is_some_and(u8::is_ascii_digit) {
                        // Go keeps the digit count in 12 bits.
                        let digits = (j - (i + 1)) & 0xfff;
                        let std = if ch == b'0' {
                            Std::Frac0 { digits, sep }
                        } else {
                            Std::Frac9 { digits, sep }
                        };
                        return Some((i, std, j));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Go's `appendInt`: `-` for negatives, zero-padded to `width` digits.
fn push_int(out: &mut Vec<u8>, x: i64, width: usize) {
    if x < 0 {
        out.push(b'-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push(b'0');
    }
    out.extend_from_slice(digits.as_bytes());
}

/// Go's `appendNano`.
fn push_nano(out: &mut Vec<u8>, nanos: u32, digits: usize, sep: u8, trim: bool) {
    if trim && (digits == 0 || nanos == 0) {
        return;
    }
    let start = out.len();
    out.push(sep);
    push_int(out, i64::from(nanos), 9);
    if digits < 9 {
        out.truncate(out.len() - 9 + digits);
    }
    if trim {
        while out.len() > start && out.last() == Some(&b'0') {
            out.pop();
        }
        if out.len() > start && out.last() == Some(&sep) {
            out.pop();
        }
    }
}

/// Go's `Time.Format`.
pub(crate) fn format(t: &GoTime, layout: &str) -> String {
    let zone = t.zone();
    let c = t.civil();
    let offset = zone.offset;
    let mut out: Vec<u8> = Vec::with_capacity(layout.len() + 10);
    let mut rest = layout.as_bytes();
    while !rest.is_empty() {
        let Some((start, std, end)) = next_std_chunk(rest) else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(&rest[..start]);
        rest = &rest[end..];
        let hour12 = match c.hour % 12 {
            0 => 12,
            h => h,
        };
        match std {
            Std::Year => push_int(&mut out, (c.year % 100).abs(), 2),
            Std::LongYear => push_int(&mut out, c.year, 4),
            Std::Month => out.extend_from_slice(&LONG_MONTHS[c.month as usize - 1].as_bytes()[..3]),
            Std::LongMonth => out.extend_from_slice(LONG_MONTHS[c.month as usize - 1].as_bytes()),
            Std::NumMonth => push_int(&mut out, i64::from(c.month), 0),
            Std::ZeroMonth => push_int(&mut out, i64::from(c.month), 2),
            Std::WeekDay => out.extend_from_slice(&LONG_DAYS[c.weekday as usize].as_bytes()[..3]),
            Std::LongWeekDay => out.extend_from_slice(LONG_DAYS[c.weekday as usize].as_bytes()),
            Std::Day => push_int(&mut out, i64::from(c.day), 0),
            Std::UnderDay => {
                if c.day < 10 {
                    out.push(b' ');
                }
                push_int(&mut out, i64::from(c.day), 0);
            }
            Std::ZeroDay => push_int(&mut out, i64::from(c.day), 2),
            Std::UnderYearDay => {
                if c.yday < 100 {
                    out.push(b' ');
                    if c.yday < 10 {
                        out.push(b' ');
                    }
                }
                push_int(&mut out, i64::from(c.yday), 0);
            }
            Std::ZeroYearDay => push_int(&mut out, i64::from(c.yday), 3),
            Std::Hour => push_int(&mut out, i64::from(c.hour), 2),
            Std::Hour12 => push_int(&mut out, i64::from(hour12), 0),
            Std::ZeroHour12 => push_int(&mut out, i64::from(hour12), 2),
            Std::Minute => push_int(&mut out, i64::from(c.minute), 0),
            Std::ZeroMinute => push_int(&mut out, i64::from(c.minute), 2),
            Std::Second => push_int(&mut out, i64::from(c.second), 0),
            Std::ZeroSecond => push_int(&mut out, i64::from(c.second), 2),
            Std::PM => out.extend_from_slice(if c.hour >= 12 { b"PM" } else { b"AM" }),
            Std::Pm => out.extend_from_slice(if c.hour >= 12 { b"pm" } else { b"am" }),
            Std::Iso8601TZ
            | Std::Iso8601SecondsTZ
            | Std::Iso8601ShortTZ
            | Std::Iso8601ColonTZ
            | Std::Iso8601ColonSecondsTZ
            | Std::NumTZ
            | Std::NumSecondsTz
            | Std::NumShortTZ
            | Std::NumColonTZ
            | Std::NumColonSecondsTZ => {
                if offset == 0 && std.is_iso() {
                    out.push(b'Z');
                    continue;
                }
                let mut zone_min = offset / 60;
                let mut abs_offset = offset;
                if zone_min < 0 {
                    out.push(b'-');
                    zone_min = -zone_min;
                    abs_offset = -abs_offset;
                } else {
                    out.push(b'+');
                }
                push_int(&mut out, i64::from(zone_min / 60), 2);
                let colon = matches!(
                    std,
                    Std::Iso8601ColonTZ
                        | Std::NumColonTZ
                        | Std::Iso8601ColonSecondsTZ
                        | Std::NumColonSecondsTZ
                );
                if colon {
                    out.push(b':');
                }
                if !matches!(std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
                    push_int(&mut out, i64::from(zone_min % 60), 2);
                }
                if matches!(
                    std,
                    Std::Iso8601SecondsTZ
                        | Std::NumSecondsTz
                        | Std::NumColonSecondsTZ
                        | Std::Iso8601ColonSecondsTZ
                ) {
                    if matches!(std, Std::NumColonSecondsTZ | Std::Iso8601ColonSecondsTZ) {
                        out.push(b':');
                    }
                    push_int(&mut out, i64::from(abs_offset % 60), 2);
                }
            }
            Std::TZ => {
                if !zone.abbrev.is_empty() {
                    out.extend_from_slice(zone.abbrev.as_bytes());
                    continue;
                }
                let mut zone_min = offset / 60;
                if zone_min < 0 {
                    out.push(b'-');
                    zone_min = -zone_min;
                } else {
                    out.push(b'+');
                }
                push_int(&mut out, i64::from(zone_min / 60), 2);
                push_int(&mut out, i64::from(zone_min % 60), 2);
            }
            Std::Frac0 { digits, sep } => push_nano(&mut out, t.nsec, digits, sep, false),
            Std::Frac9 { digits, sep } => push_nano(&mut out, t.nsec, digits, sep, true),
        }
    }
    // Layouts are UTF-8 and everything inserted is ASCII, and elements only split at ASCII.
    String::from_utf8_lossy(&out).into_owned()
}

/// A failure of Go's `time.Parse` (its `*ParseError` text).
fn parse_error(
    layout: &str,
    value: &str,
    layout_elem: &[u8],
    value_elem: &[u8],
    message: &str,
) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value.as_bytes()),
            time_quote(layout.as_bytes()),
            time_quote(value_elem),
            time_quote(layout_elem)
        )
    } else {
        format!("parsing time {}{message}", time_quote(value.as_bytes()))
    }
}

/// Go's `getnum`: one or two digits (`fixed` requires two).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d = |i: usize| s.get(i).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
    let first = d(0)?;
    match d(1) {
        Some(second) => Some((first * 10 + second, &s[2..])),
        None if fixed => None,
        None => Some((first, &s[1..])),
    }
}

/// Go's `getnum3`.
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && s.get(i).is_some_and(u8::is_ascii_digit) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's `atoi` in the time package.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let (q, rem) = leading_int(s)?;
    if !rem.is_empty() {
        return None;
    }
    let x = q as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

/// Go's `skip`: removes `prefix` from `value`, runs of spaces matching runs of spaces.
fn skip<'a>(mut value: &'a [u8], mut prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    while let Some((&p, prest)) = prefix.split_first() {
        if p == b' ' {
            if value.first().is_some_and(|c| *c != b' ') {
                return Err(value);
            }
            while prefix.first() == Some(&b' ') {
                prefix = &prefix[1..];
            }
            while value.first() == Some(&b' ') {
                value = &value[1..];
            }
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = prest;
        value = &value[1..];
    }
    Ok(value)
}

/// Go's `lookup` of a name table, case-insensitively.
fn lookup_name<'a>(table: &[&str], value: &'a [u8], short: bool) -> Option<(usize, &'a [u8])> {
    table.iter().enumerate().find_map(|(i, name)| {
        let name = if short { &name.as_bytes()[..3] } else { name.as_bytes() };
        let head = value.get(..name.len())?;
        head.eq_ignore_ascii_case(name).then(|| (i, &value[name.len()..]))
    })
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        if value.len() == 3 {
            return Some(3);
        }
        return Some(3 + parse_signed_offset(&value[3..]));
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value.iter().take(6).take_while(|c| c.is_ascii_uppercase()).count();
    match upper {
        3 => Some(3),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        5 if value[4] == b'T' => Some(5),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: `+03`, `-4` (hours up to 23).
fn parse_signed_offset(value: &[u8]) -> usize {
    let Some((&sign, rest)) = value.split_first() else {
        return 0;
    };
    if sign != b'-' && sign != b'+' {
        return 0;
    }
    match leading_int(rest) {
        Some((x, rem)) if rem.len() != rest.len() && x <= 23 => value.len() - rem.len(),
        _ => 0,
    }
}

/// Go's `parseNanoseconds`.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Option<&'static str>> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(None);
    }
    let nbytes = nbytes.min(10);
    let digits = value.get(1..nbytes).ok_or(None)?;
    let ns = atoi(digits).ok_or(None)?;
    if ns < 0 {
        return Err(Some("fractional second"));
    }
    Ok(ns * 10i64.pow((10 - nbytes) as u32))
}

/// Go's `time.ParseInLocation(layout, value, loc)`.
pub(crate) fn parse_in_location(
    layout: &str,
    value: &str,
    loc: &Location,
) -> Result<GoTime, String> {
    let mut lay = layout.as_bytes();
    let mut val = value.as_bytes();
    let (mut am_set, mut pm_set) = (false, false);
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Location> = None;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name: Option<String> = None;
    loop {
        let chunk = next_std_chunk(lay);
        let (prefix_end, std_end) = match chunk {
            Some((s, _, e)) => (s, e),
            None => (lay.len(), lay.len()),
        };
        let prefix = &lay[..prefix_end];
        let std_str = &lay[prefix_end..std_end];
        val = skip(val, prefix).map_err(|v| parse_error(layout, value, prefix, v, ""))?;
        let Some((_, std, _)) = chunk else {
            if !val.is_empty() {
                return Err(parse_error(
                    layout,
                    value,
                    b"",
                    val,
                    &format!(": extra text: {}", time_quote(val)),
                ));
            }
            break;
        };
        lay = &lay[std_end..];
        let hold = val;
        let mut range_err: Option<&str> = None;
        let ok: Option<()> = (|| {
            match std {
                Std::Year => {
                    let p = val.get(..2)?;
                    val = &val[2..];
                    year = atoi(p)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if val.len() < 4 || !val[0].is_ascii_digit() {
                        return None;
                    }
                    let p = &val[..4];
                    val = &val[4..];
                    year = atoi(p)?;
                }
                Std::Month | Std::LongMonth => {
                    let (m, rest) = lookup_name(&LONG_MONTHS, val, std == Std::Month)?;
                    month = m as i64 + 1;
                    val = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(val, std == Std::ZeroMonth)?;
                    month = m;
                    val = rest;
                    if !(1..=12).contains(&month) {
                        range_err = Some("month");
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let (_, rest) = lookup_name(&LONG_DAYS, val, std == Std::WeekDay)?;
                    val = rest;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && val.first() == Some(&b' ') {
                        val = &val[1..];
                    }
                    let (d, rest) = getnum(val, std == Std::ZeroDay)?;
                    day = d;
                    val = rest;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && val.first() == Some(&b' ') {
                            val = &val[1..];
                        }
                    }
                    let (d, rest) = getnum3(val, std == Std::ZeroYearDay)?;
                    yday = d;
                    val = rest;
                }
                Std::Hour => {
                    let (h, rest) = getnum(val, false)?;
                    hour = h;
                    val = rest;
                    if !(0..24).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(val, std == Std::ZeroHour12)?;
                    hour = h;
                    val = rest;
                    if !(0..=12).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(val, std == Std::ZeroMinute)?;
                    min = m;
                    val = rest;
                    if !(0..60).contains(&min) {
                        range_err = Some("minute");
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(val, std == Std::ZeroSecond)?;
                    sec = s;
                    val = rest;
                    if !(0..60).contains(&sec) {
                        range_err = Some("second");
                        return Some(());
                    }
                    // A fractional second in the value that the layout does not have.
                    if val.len() >= 2 && matches!(val[0], b'.' | b',') && val[1].is_ascii_digit() {
                        if let Some((_, Std::Frac0 { .. } | Std::Frac9 { .. }, _)) =
                            next_std_chunk(lay)
                        {
                            return Some(());
                        }
                        let mut n = 2;
                        while n < val.len() && val[n].is_ascii_digit() {
                            n += 1;
                        }
                        match parse_nanoseconds(val, n) {
                            Ok(ns) => nsec = ns,
                            Err(Some(e)) => range_err = Some(e),
                            Err(None) => return None,
                        }
                        val = &val[n..];
                    }
                }
                Std::PM | Std::Pm => {
                    let p = val.get(..2)?;
                    val = &val[2..];
                    let (pm, am): (&[u8], &[u8]) =
                        if std == Std::PM { (b"PM", b"AM") } else { (b"pm", b"am") };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return None;
                    }
                }
                Std::Iso8601TZ
                | Std::Iso8601ShortTZ
                | Std::Iso8601ColonTZ
                | Std::Iso8601SecondsTZ
                | Std::Iso8601ColonSecondsTZ
                | Std::NumTZ
                | Std::NumShortTZ
                | Std::NumColonTZ
                | Std::NumSecondsTz
                | Std::NumColonSecondsTZ => {
                    if std.is_iso() && val.first() == Some(&b'Z') {
                        val = &val[1..];
                        z = Some(Location::utc());
                        return Some(());
                    }
                    let (sign, hh, mm, ss, rest): (u8, &[u8], &[u8], &[u8], &[u8]) = match std {
                        Std::Iso8601ColonTZ | Std::NumColonTZ => {
                            if val.len() < 6 || val[3] != b':' {
                                return None;
                            }
                            (val[0], &val[1..3], &val[4..6], b"00", &val[6..])
                        }
                        Std::NumShortTZ | Std::Iso8601ShortTZ => {
                            if val.len() < 3 {
                                return None;
                            }
                            (val[0], &val[1..3], b"00", b"00", &val[3..])
                        }
                        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
                            if val.len() < 9 || val[3] != b':' || val[6] != b':' {
                                return None;
                            }
                            (val[0], &val[1..3], &val[4..6], &val[7..9], &val[9..])
                        }
                        Std::Iso8601SecondsTZ | Std::NumSecondsTz => {
                            if val.len() < 7 {
                                return None;
                            }
                            (val[0], &val[1..3], &val[3..5], &val[5..7], &val[7..])
                        }
                        _ => {
                            if val.len() < 5 {
                                return None;
                            }
                            (val[0], &val[1..3], &val[3..5], b"00", &val[5..])
                        }
                    };
                    val = rest;
                    let (hr, _) = getnum(hh, true)?;
                    let (mi, _) = getnum(mm, true)?;
                    let (se, _) = getnum(ss, true)?;
                    if hr > 24 {
                        range_err = Some("time zone offset hour");
                    }
                    if mi > 60 {
                        range_err = Some("time zone offset minute");
                    }
                    if se > 60 {
                        range_err = Some("time zone offset second");
                    }
                    let off = (hr * 60 + mi) * 60 + se;
                    zone_offset = Some(match sign {
                        b'+' => off,
                        b'-' => -off,
                        _ => return None,
                    });
                }
                Std::TZ => {
                    if val.starts_with(b"UTC") {
                        z = Some(Location::utc());
                        val = &val[3..];
                        return Some(());
                    }
                    let n = parse_time_zone(val)?;
                    zone_name = Some(String::from_utf8_lossy(&val[..n]).into_owned());
                    val = &val[n..];
                }
                Std::Frac0 { digits, .. } => {
                    let ndigit = 1 + digits;
                    if val.len() < ndigit {
                        return None;
                    }
                    match parse_nanoseconds(val, ndigit) {
                        Ok(ns) => nsec = ns,
                        Err(Some(e)) => range_err = Some(e),
                        Err(None) => return None,
                    }
                    val = &val[ndigit..];
                }
                Std::Frac9 { .. } => {
                    if val.len() < 2 || !matches!(val[0], b'.' | b',') || !val[1].is_ascii_digit() {
                        return Some(());
                    }
                    let mut i = 0;
                    while i + 1 < val.len() && val[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    match parse_nanoseconds(val, 1 + i) {
                        Ok(ns) => nsec = ns,
                        Err(Some(e)) => range_err = Some(e),
                        Err(None) => return None,
                    }
                    val = &val[1 + i..];
                }
            }
            Some(())
        })();
        if let Some(e) = range_err {
            return Err(parse_error(layout, value, std_str, val, &format!(": {e} out of range")));
        }
        if ok.is_none() {
            return Err(parse_error(layout, value, std_str, hold, ""));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }
    let rest_err = |msg: &str| parse_error(layout, value, b"", val, msg);
    if yday >= 0 {
        let (mut d, mut m) = (0i64, 0i64);
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(rest_err(": day-of-year out of range"));
        }
        if m == 0 {
            // Days before each month in a common year.
            const BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
            m = (yday - 1) / 31 + 1;
            if BEFORE[m as usize] < yday {
                m += 1;
            }
            d = yday - BEFORE[m as usize - 1];
        }
        if month >= 0 && month != m {
            return Err(rest_err(": day-of-year does not match month"));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(rest_err(": day-of-year does not match day"));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > i64::from(days_in(month.clamp(1, 12) as u32, year)) {
        return Err(rest_err(": day out of range"));
    }
    if let Some(z) = z {
        return Ok(GoTime::date(year, month, day, hour, min, sec, nsec, z));
    }
    if let Some(offset) = zone_offset {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Location::utc());
        t.secs = t.secs.saturating_sub(offset);
        let local = loc.lookup(t.secs);
        let name_ok = zone_name.as_deref().is_none_or(|n| n == local.abbrev);
        if i64::from(local.offset) == offset && name_ok {
            t.loc = loc.clone();
        } else {
            t.loc = Location::fixed(zone_name.as_deref().unwrap_or(""), offset as i32);
        }
        return Ok(t);
    }
    if let Some(name) = zone_name {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Location::utc());
        if let Some(offset) = loc.lookup_name(&name, t.secs) {
            t.secs = t.secs.saturating_sub(i64::from(offset));
            t.loc = loc.clone();
            return Ok(t);
        }
        let mut offset = 0i64;
        if name.len() > 3 && name.starts_with("GMT") {
            offset = atoi(&name.as_bytes()[3..]).unwrap_or(0) * 3600;
        }
        t.loc = Location::fixed(&name, offset as i32);
        return Ok(t);
    }
    Ok(GoTime::date(year, month, day, hour, min, sec, nsec, loc.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(secs: i64, nsec: u32) -> GoTime {
        GoTime { secs, nsec, loc: Location::utc(), mono: None }
    }

    const ALL: &str = "Monday January Jan Mon 1 01 2 _2 02 __2 002 15 3 03 4 04 5 05 2006 06 PM pm MST Z0700 Z070000 Z07 Z07:00 Z07:00:00 -0700 -070000 -07 -07:00 -07:00:00 .0 .000 .999 ,999999999 .9";

    #[test]
    fn formats_every_layout_element_like_helm() {
        // helm: date (TZ=UTC) of 2009-02-03T04:05:06.007008009+05:30.
        let t = utc(1_233_614_106, 7_008_009);
        assert_eq!(
            format(&t, ALL),
            "Monday February Feb Mon 2 02 2  2 02  33 033 22 10 10 35 35 6 06 2009 09 PM pm UTC Z Z Z Z Z +0000 +000000 +00 +00:00 +00:00:00 .0 .007 .007 ,007008009 "
        );
        // helm: dateInZone ... "Asia/Kolkata" of 2009-02-03 14:05:06 UTC.
        let ist = Location::fixed("IST", 19_800);
        let t = GoTime { secs: 1_233_669_906, nsec: 0, loc: ist, mono: None };
        assert_eq!(
            format(&t, ALL),
            "Tuesday February Feb Tue 2 02 3  3 03  34 034 19 7 07 35 35 6 06 2009 09 PM pm IST +0530 +053000 +05 +05:30 +05:30:00 +0530 +053000 +05 +05:30 +05:30:00 .0 .000   "
        );
        assert_eq!(
            format(&GoTime::zero(), "2006-01-02 15:04:05.999999999 -0700 MST"),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        // An unnamed fixed zone prints its offset for MST.
        let fixed =
            GoTime { secs: 1_710_489_600, nsec: 0, loc: Location::fixed("", 7200), mono: None };
        assert_eq!(
            format(&fixed, "2006-01-02 15:04:05 -0700 MST"),
            "2024-03-15 10:00:00 +0200 +0200"
        );
        assert_eq!(format(&utc(0, 0), "Janet Month _2006 Jan"), "Janet Month _1970 Jan");
    }

    #[test]
    fn parses_like_helm() {
        let u = Location::utc();
        let t = parse_in_location("2006-01-02", "2024-03-15", &u).unwrap();
        assert_eq!(t.secs, 1_710_460_800);
        let t = parse_in_location("2006-01-02T15:04:05Z07:00", "2024-03-15T10:00:00+02:00", &u)
            .unwrap();
        assert_eq!(t.go_string(), "2024-03-15 10:00:00 +0200 +0200");
        assert_eq!(t.secs, 1_710_489_600);
        let t = parse_in_location("2006-01-02T15:04:05Z07:00", "2024-03-15T10:00:00Z", &u).unwrap();
        assert_eq!(t.secs, 1_710_496_800);
        let t = parse_in_location(
            "2006-01-02T15:04:05.999999999Z07:00",
            "2009-02-03T04:05:06.007008009+05:30",
            &u,
        )
        .unwrap();
        assert_eq!(t.go_string(), "2009-02-03 04:05:06.007008009 +0530 +0530");
        // Zone abbreviations: UTC, unknown (offset 0), GMT+n.
        let p = |v: &str| parse_in_location("2006-01-02 MST", v, &u).unwrap().go_string();
        assert_eq!(p("2024-03-15 EST"), "2024-03-15 00:00:00 +0000 EST");
        assert_eq!(p("2024-03-15 UTC"), "2024-03-15 00:00:00 +0000 UTC");
        assert_eq!(p("2024-03-15 GMT+3"), "2024-03-15 03:00:00 +0300 GMT+3");
        // A fraction the layout does not have.
        let t = parse_in_location("15:04:05", "01:02:03.5", &u).unwrap();
        assert_eq!((t.nsec, t.civil().year), (500_000_000, 0));
        let t = parse_in_location("Jan _2 3:04PM 06", "feb  9 12:30AM 70", &u).unwrap();
        assert_eq!(format(&t, "2006-01-02 15:04"), "1970-02-09 00:30");
        let t = parse_in_location("2006 002", "2024 060", &u).unwrap();
        assert_eq!(format(&t, "01-02"), "02-29");
    }

    #[test]
    fn parse_errors_are_gos() {
        let u = Location::utc();
        let e = |l: &str, v: &str| parse_in_location(l, v, &u).unwrap_err();
        assert_eq!(
            e("2006-01-02", "bad"),
            "parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
        assert_eq!(
            e("2006-01-02", "2024-13-01"),
            "parsing time \"2024-13-01\": month out of range"
        );
        assert_eq!(e("2006-01-02", "2023-02-29"), "parsing time \"2023-02-29\": day out of range");
        assert_eq!(
            e("2006-01-02", "2024-01-02x"),
            "parsing time \"2024-01-02x\": extra text: \"x\""
        );
        assert_eq!(
            e("2006-01-02", "2024/01/02"),
            "parsing time \"2024/01/02\" as \"2006-01-02\": cannot parse \"/01/02\" as \"-\""
        );
        assert_eq!(e("15", "24"), "parsing time \"24\": hour out of range");
        assert_eq!(
            e("2006", "日本"),
            "parsing time \"\\xe6\\x97\\xa5\\xe6\\x9c\\xac\" as \"2006\": cannot parse \"\\xe6\\x97\\xa5\\xe6\\x9c\\xac\" as \"2006\""
        );
        // Slicing a multi-byte value in the middle must not panic.
        assert!(parse_in_location("06", "日", &u).is_err());
        assert!(parse_in_location("PM", "日", &u).is_err());
        assert!(parse_in_location("3PM", "3am", &u).is_err());
    }
}
