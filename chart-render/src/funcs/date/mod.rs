//! sprig's date functions (`now`, `date`, `dateInZone`, `toDate`, `ago`, `duration`, ...) with Go's
//! `time.Time` semantics: layout-based formatting and parsing, IANA zones, monotonic readings,
//! and the methods templates call on times (`.Year`, `.Format`, `.Add`, ...).

use std::any::Any;
use std::rc::Rc;

use chart_core::Value;

use super::{Env, FnError, FnResult, Registry, Sig, Ty};
use crate::value::{Object, Val};

mod layout;
mod time;
mod zone;

pub(crate) use time::civil_from_unix;
use time::{GoTime, NANOS, duration_round, duration_string, duration_truncate, parse_duration};
use zone::Location;

pub(crate) fn register(r: &mut Registry) {
    r.add("now", &[], now);
    r.add("date", &[Ty::Str, Ty::Any], date);
    r.add("dateInZone", &[Ty::Str, Ty::Any, Ty::Str], date_in_zone);
    r.add("date_in_zone", &[Ty::Str, Ty::Any, Ty::Str], date_in_zone);
    r.add("htmlDate", &[Ty::Any], html_date);
    r.add("htmlDateInZone", &[Ty::Any, Ty::Str], html_date_in_zone);
    r.add("ago", &[Ty::Any], ago);
    r.add("duration", &[Ty::Any], duration);
    r.add("durationRound", &[Ty::Any], duration_round_fn);
    r.add("toDate", &[Ty::Str, Ty::Str], to_date);
    r.add("mustToDate", &[Ty::Str, Ty::Str], must_to_date);
    // `time.Time` parameters: `Ty` cannot name the type, so the bodies check it.
    r.add("unixEpoch", &[Ty::Any], unix_epoch);
    r.add("dateModify", &[Ty::Str, Ty::Any], date_modify);
    r.add("date_modify", &[Ty::Str, Ty::Any], date_modify);
    r.add("mustDateModify", &[Ty::Str, Ty::Any], must_date_modify);
    r.add("must_date_modify", &[Ty::Str, Ty::Any], must_date_modify);
}

/// A Go `time.Time` value in a template.
#[derive(Debug, Clone)]
pub(crate) struct TimeObj(GoTime);

/// A Go `time.Duration` (what `.Sub` returns).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DurationObj(i64);

/// A Go `time.Month` (prints as its name).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthObj(u32);

/// A Go `time.Weekday` (prints as its name).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WeekdayObj(u32);

/// A Go `*time.Location`.
#[derive(Debug, Clone)]
pub(crate) struct LocationObj(Location);

fn time_val(t: GoTime) -> Val {
    Val::Obj(Rc::new(TimeObj(t)))
}

fn duration_val(d: i64) -> Val {
    Val::Obj(Rc::new(DurationObj(d)))
}

/// The time an argument holds, if it is one.
fn as_time(v: &Val) -> Option<&GoTime> {
    match v {
        Val::Obj(o) => o.as_any().downcast_ref::<TimeObj>().map(|t| &t.0),
        _ => None,
    }
}

/// A `time.Time` parameter, with text/template's conversion errors.
fn time_param<'v>(v: &'v Val, want: &str) -> Result<&'v GoTime, FnError> {
    if let Some(t) = as_time(v) {
        return Ok(t);
    }
    Err(super::crypto::struct_arg_error(v, want))
}

fn int_of(v: &Val) -> i64 {
    match v {
        Val::Int(i) | Val::Int64(i) => *i,
        _ => 0,
    }
}

const MONTHS: [&str; 12] = [
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
const DAYS: [&str; 7] =
    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const SIG_STR: Sig = Sig { params: &[Ty::Str], variadic: None };
const SIG_INT64: Sig = Sig { params: &[Ty::Int64], variadic: None };
const SIG_ANY: Sig = Sig { params: &[Ty::Any], variadic: None };
const SIG_DATE: Sig = Sig { params: &[Ty::Int, Ty::Int, Ty::Int], variadic: None };

impl Object for TimeObj {
    fn type_name(&self) -> String {
        "time.Time".to_string()
    }

    fn kind(&self) -> &'static str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Val> {
        let t = &self.0;
        let c = || t.civil();
        let nanos = t.unix_nanos();
        let clamp = |v: i128| i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
        Some(match name {
            "Year" => Val::Int(c().year),
            "Month" => Val::Obj(Rc::new(MonthObj(c().month))),
            "Day" => Val::Int(i64::from(c().day)),
            "Hour" => Val::Int(i64::from(c().hour)),
            "Minute" => Val::Int(i64::from(c().minute)),
            "Second" => Val::Int(i64::from(c().second)),
            "Nanosecond" => Val::Int(i64::from(t.nsec)),
            "YearDay" => Val::Int(i64::from(c().yday)),
            "Weekday" => Val::Obj(Rc::new(WeekdayObj(c().weekday))),
            "Unix" => Val::Int64(t.secs),
            "UnixMilli" => Val::Int64(clamp(nanos.div_euclid(1_000_000))),
            "UnixMicro" => Val::Int64(clamp(nanos.div_euclid(1_000))),
            "UnixNano" => Val::Int64(nanos as i64),
            "UTC" => time_val(t.in_location(Location::utc())),
            "Local" => time_val(t.in_location(Location::local())),
            "Location" => Val::Obj(Rc::new(LocationObj(t.loc.clone()))),
            "IsZero" => Val::Bool(t.is_zero()),
            "IsDST" => Val::Bool(t.zone().dst),
            "String" => Val::str(t.go_string()),
            _ => return None,
        })
    }

    fn method(&self, name: &str) -> Option<Sig> {
        match name {
            "Format" => Some(SIG_STR),
            "Add" | "Round" | "Truncate" => Some(SIG_INT64),
            "AddDate" => Some(SIG_DATE),
            "Sub" | "After" | "Before" | "Equal" | "Compare" | "In" => Some(SIG_ANY),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Val>) -> Result<Val, FnError> {
        let t = &self.0;
        let arg = args.first().unwrap_or(&Val::Nil);
        match name {
            "Format" => Ok(Val::str(layout::format(t, arg.as_str().unwrap_or_default()))),
            "Add" => Ok(time_val(t.add(int_of(arg)))),
            "Round" => Ok(time_val(t.round_to(int_of(arg), true))),
            "Truncate" => Ok(time_val(t.round_to(int_of(arg), false))),
            "AddDate" => Ok(time_val(t.add_date(
                int_of(arg),
                int_of(args.get(1).unwrap_or(&Val::Nil)),
                int_of(args.get(2).unwrap_or(&Val::Nil)),
            ))),
            "Sub" => Ok(duration_val(t.sub(time_param(arg, "time.Time")?))),
            "After" => Ok(Val::Bool(t.compare(time_param(arg, "time.Time")?).is_gt())),
            "Before" => Ok(Val::Bool(t.compare(time_param(arg, "time.Time")?).is_lt())),
            "Equal" => Ok(Val::Bool(t.compare(time_param(arg, "time.Time")?).is_eq())),
            "Compare" => Ok(Val::Int(t.compare(time_param(arg, "time.Time")?) as i64)),
            "In" => match arg {
                Val::Obj(o) => match o.as_any().downcast_ref::<LocationObj>() {
                    Some(l) => Ok(time_val(t.in_location(l.0.clone()))),
                    None => Err(FnError::new(format!(
                        "wrong type for value; expected *time.Location; got {}",
                        arg.type_name()
                    ))),
                },
                // A nil *time.Location makes Go's In panic.
                Val::Nil | Val::NoValue => {
                    Err(FnError::new("time: missing Location in call to Time.In"))
                }
                other => Err(FnError::new(format!(
                    "wrong type for value; expected *time.Location; got {}",
                    other.type_name()
                ))),
            },
            _ => Err(FnError::new(format!("can't call method {name}"))),
        }
    }

    fn fmt_v(&self) -> String {
        self.0.go_string()
    }

    /// `encoding/json` writes times as RFC 3339 with nanoseconds.
    fn to_value(&self) -> Value {
        Value::String(layout::format(&self.0, "2006-01-02T15:04:05.999999999Z07:00"))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for DurationObj {
    fn type_name(&self) -> String {
        "time.Duration".to_string()
    }

    fn kind(&self) -> &'static str {
        "int64"
    }

    fn field(&self, name: &str) -> Option<Val> {
        let d = self.0;
        let split = |unit: i64| (d / unit) as f64 + (d % unit) as f64 / unit as f64;
        Some(match name {
            "Hours" => Val::Float(split(3_600 * NANOS)),
            "Minutes" => Val::Float(split(60 * NANOS)),
            "Seconds" => Val::Float(split(NANOS)),
            "Milliseconds" => Val::Int64(d / 1_000_000),
            "Microseconds" => Val::Int64(d / 1_000),
            "Nanoseconds" => Val::Int64(d),
            "Abs" => duration_val(if d == i64::MIN { i64::MAX } else { d.abs() }),
            "String" => Val::str(duration_string(d)),
            _ => return None,
        })
    }

    fn method(&self, name: &str) -> Option<Sig> {
        matches!(name, "Round" | "Truncate").then_some(SIG_INT64)
    }

    fn call_method(&self, name: &str, args: Vec<Val>) -> Result<Val, FnError> {
        let m = int_of(args.first().unwrap_or(&Val::Nil));
        match name {
            "Round" => Ok(duration_val(duration_round(self.0, m))),
            "Truncate" => Ok(duration_val(duration_truncate(self.0, m))),
            _ => Err(FnError::new(format!("can't call method {name}"))),
        }
    }

    fn fmt_v(&self) -> String {
        duration_string(self.0)
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }

    fn to_value(&self) -> Value {
        Value::Int(self.0)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for MonthObj {
    fn type_name(&self) -> String {
        "time.Month".to_string()
    }

    fn kind(&self) -> &'static str {
        "int"
    }

    fn field(&self, name: &str) -> Option<Val> {
        (name == "String").then(|| Val::str(self.fmt_v()))
    }

    fn fmt_v(&self) -> String {
        let name = (self.0 as usize).checked_sub(1).and_then(|i| MONTHS.get(i));
        name.map_or_else(|| format!("%!Month({})", self.0), |m| m.to_string())
    }

    fn to_value(&self) -> Value {
        Value::Int(i64::from(self.0))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for WeekdayObj {
    fn type_name(&self) -> String {
        "time.Weekday".to_string()
    }

    fn kind(&self) -> &'static str {
        "int"
    }

    fn field(&self, name: &str) -> Option<Val> {
        (name == "String").then(|| Val::str(self.fmt_v()))
    }

    fn fmt_v(&self) -> String {
        DAYS.get(self.0 as usize)
            .map_or_else(|| format!("%!Weekday({})", self.0), |d| d.to_string())
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }

    fn to_value(&self) -> Value {
        Value::Int(i64::from(self.0))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for LocationObj {
    fn type_name(&self) -> String {
        "*time.Location".to_string()
    }

    fn field(&self, name: &str) -> Option<Val> {
        (name == "String").then(|| Val::str(self.0.name()))
    }

    fn fmt_v(&self) -> String {
        self.0.name().to_string()
    }

    /// `encoding/json` sees no exported fields.
    fn to_value(&self) -> Value {
        Value::Map(chart_core::Map::new())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn str_arg(args: &[Val], i: usize) -> &str {
    args.get(i).and_then(Val::as_str).unwrap_or_default()
}

fn arg(args: &[Val], i: usize) -> &Val {
    args.get(i).unwrap_or(&Val::Nil)
}

fn clock_now(env: &Env<'_>) -> GoTime {
    GoTime::now(env.clock.now())
}

/// sprig's reading of a `date` argument: a time, or Unix seconds as an int; anything else is
/// the current time.
fn date_arg(env: &Env<'_>, v: &Val) -> GoTime {
    match v {
        Val::Int(i) | Val::Int64(i) => GoTime::unix(*i),
        _ => as_time(v).cloned().unwrap_or_else(|| clock_now(env)),
    }
}

/// sprig's `dateInZone`: unknown zones are UTC.
fn format_in_zone(env: &Env<'_>, layout: &str, date: &Val, zone: &str) -> String {
    let t = date_arg(env, date);
    let loc = Location::load(zone).unwrap_or_else(Location::utc);
    layout::format(&t.in_location(loc), layout)
}

fn now(env: &mut Env<'_>, _args: Vec<Val>) -> FnResult {
    Ok(time_val(clock_now(env)))
}

fn date(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(format_in_zone(env, str_arg(&args, 0), arg(&args, 1), "Local")))
}

fn date_in_zone(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(format_in_zone(env, str_arg(&args, 0), arg(&args, 1), str_arg(&args, 2))))
}

fn html_date(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(format_in_zone(env, "2006-01-02", arg(&args, 0), "Local")))
}

fn html_date_in_zone(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(format_in_zone(env, "2006-01-02", arg(&args, 0), str_arg(&args, 1))))
}

/// `ago`: time since the date, rounded to the second.
fn ago(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let t = date_arg(env, arg(&args, 0));
    let since = clock_now(env).sub(&t);
    Ok(Val::str(duration_string(duration_round(since, NANOS))))
}

/// Go's `strconv.ParseInt(s, 10, 64)` as sprig uses it: the value Go returns even on error
/// (0 for bad syntax, the limit for out-of-range numbers).
fn parse_int_lenient(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s.as_bytes()),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    let mut v: i128 = 0;
    for d in digits {
        v = (v * 10 + i128::from(d - b'0')).min(i128::from(u64::MAX));
    }
    let v = if neg { -v } else { v };
    i64::try_from(v).unwrap_or(if neg { i64::MIN } else { i64::MAX })
}

/// `duration`: seconds (a string or an int64) as a Go duration.
fn duration(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let secs = match arg(&args, 0) {
        Val::Str(s) => parse_int_lenient(s),
        Val::Int64(i) => *i,
        _ => 0,
    };
    Ok(Val::str(duration_string(secs.wrapping_mul(NANOS))))
}

/// `durationRound`: the largest whole unit (`y`, `mo`, `d`, `h`, `m`, `s`) of a duration.
fn duration_round_fn(env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let v = arg(&args, 0);
    let d = match v {
        Val::Str(s) => parse_duration(s).unwrap_or(0),
        Val::Int64(i) => *i,
        _ => match as_time(v) {
            Some(t) => clock_now(env).sub(t),
            None => 0,
        },
    };
    let u = d.unsigned_abs();
    const HOUR: u64 = 3_600_000_000_000;
    let units: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    let text = units
        .iter()
        .find(|(size, _)| u > *size)
        .map_or_else(|| "0s".to_string(), |(size, unit)| format!("{}{unit}", u / size));
    Ok(Val::str(text))
}

fn to_date(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let t = layout::parse_in_location(str_arg(&args, 0), str_arg(&args, 1), &Location::local())
        .unwrap_or_else(|_| GoTime::zero());
    Ok(time_val(t))
}

fn must_to_date(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    layout::parse_in_location(str_arg(&args, 0), str_arg(&args, 1), &Location::local())
        .map(time_val)
        .map_err(FnError::new)
}

/// `unixEpoch`: the Unix time of a `time.Time`, as a string.
fn unix_epoch(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(time_param(arg(&args, 0), "time.Time")?.secs.to_string()))
}

/// `dateModify`: the time moved by a Go duration; a bad duration leaves it unchanged.
fn date_modify(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let t = time_param(arg(&args, 1), "time.Time")?;
    Ok(time_val(match parse_duration(str_arg(&args, 0)) {
        Ok(d) => t.add(d),
        Err(_) => t.clone(),
    }))
}

fn must_date_modify(_env: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let t = time_param(arg(&args, 1), "time.Time")?;
    let d = parse_duration(str_arg(&args, 0)).map_err(FnError::new)?;
    Ok(time_val(t.add(d)))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};

    const NOW: u64 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

    fn call(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: Vec<Val>) -> FnResult {
        let mut random = SeededRandom(1);
        let clock = FixedClock(UNIX_EPOCH + Duration::from_millis(NOW * 1000 + 250));
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args)
    }

    fn text(f: fn(&mut Env<'_>, Vec<Val>) -> FnResult, args: Vec<Val>) -> String {
        call(f, args).unwrap().fmt_v()
    }

    fn s(v: &str) -> Val {
        Val::str(v)
    }

    /// Whether the process's local zone is UTC (as in the conformance runs, TZ=UTC).
    fn local_is_utc() -> bool {
        Location::local().lookup(0).offset == 0
            && Location::local().lookup(1_690_000_000).offset == 0
    }

    #[test]
    fn conformance_cases() {
        assert_eq!(
            text(
                date_in_zone,
                vec![s("2006-01-02T15:04:05Z07:00"), Val::Int(1_700_000_000), s("UTC")]
            ),
            "2023-11-14T22:13:20Z"
        );
        let t = call(to_date, vec![s("2006-01-02T15:04:05Z07:00"), s("2024-03-15T10:00:00+02:00")])
            .unwrap();
        assert_eq!(
            text(date_in_zone, vec![s("2006-01-02 15:04"), t, s("UTC")]),
            "2024-03-15 08:00"
        );
        let t =
            call(to_date, vec![s("2006-01-02T15:04:05Z07:00"), s("2024-03-15T10:00:00Z")]).unwrap();
        assert_eq!(text(unix_epoch, vec![t]), "1710496800");
        assert_eq!(
            call(unix_epoch, vec![call(now, vec![]).unwrap()]).unwrap().as_str(),
            Some("1700000000")
        );
        let bad = call(to_date, vec![s("2006-01-02"), s("bad")]).unwrap();
        assert_eq!(bad.fmt_v(), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(bad.type_name(), "time.Time");
        assert_eq!(text(ago, vec![Val::Int(0)]), "472222h13m20s");
        assert_eq!(
            text(html_date_in_zone, vec![Val::Int(1_700_000_000), s("bogus/zone")]),
            "2023-11-14"
        );
        if local_is_utc() {
            let t = call(to_date, vec![s("2006-01-02"), s("2024-03-15")]).unwrap();
            assert_eq!(text(date, vec![s("Jan 2, 2006"), t]), "Mar 15, 2024");
            assert_eq!(text(html_date, vec![Val::Int(1_700_000_000)]), "2023-11-14");
        }
    }

    #[test]
    fn named_zones_when_the_system_has_them() {
        if !std::path::Path::new("/usr/share/zoneinfo/America/New_York").exists() {
            return;
        }
        assert_eq!(
            text(
                date_in_zone,
                vec![s("2006-01-02 15:04 MST"), Val::Int(1_700_000_000), s("America/New_York")]
            ),
            "2023-11-14 17:13 EST"
        );
        assert_eq!(
            text(html_date_in_zone, vec![Val::Int(1_700_000_000), s("Asia/Tokyo")]),
            "2023-11-15"
        );
        // helm: names are case-sensitive, unknown zones are UTC.
        assert_eq!(
            text(date_in_zone, vec![s("MST"), Val::Int(1_700_000_000), s("america/new_york")]),
            "UTC"
        );
        assert_eq!(
            text(date_in_zone, vec![s("MST"), Val::Int(1_700_000_000), s("Asia/Dubai")]),
            "+04"
        );
    }

    #[test]
    fn now_and_its_methods() {
        let n = call(now, vec![]).unwrap();
        assert_eq!(n.type_name(), "time.Time");
        assert_eq!(n.kind_name(), "struct");
        let Val::Obj(o) = &n else { panic!() };
        let v = o.fmt_v();
        // Go's Time.String() of time.Now(): local zone and a monotonic reading.
        assert!(v.starts_with("2023-11-14 ") && v.contains(".25 ") && v.contains(" m=+"), "{v}");
        if local_is_utc() {
            assert!(v.starts_with("2023-11-14 22:13:20.25 +0000 UTC m=+"), "{v}");
        }
        assert_eq!(o.field("Year").unwrap().fmt_v(), "2023");
        let month = o.field("Month").unwrap();
        assert_eq!(
            (month.fmt_v(), month.type_name()),
            ("November".to_string(), "time.Month".to_string())
        );
        let utc = o.field("UTC").unwrap();
        let Val::Obj(u) = &utc else { panic!() };
        assert_eq!(u.fmt_v(), "2023-11-14 22:13:20.25 +0000 UTC");
        assert_eq!(u.field("Weekday").unwrap().fmt_v(), "Tuesday");
        assert_eq!(u.field("Location").unwrap().fmt_v(), "UTC");
        assert_eq!(u.call_method("Format", vec![s("3:04PM")]).unwrap().as_str(), Some("10:13PM"));
        let later = u.call_method("Add", vec![Val::Int64(90 * NANOS)]).unwrap();
        let d = later.clone();
        let Val::Obj(l) = &later else { panic!() };
        assert_eq!(l.call_method("Sub", vec![utc.clone()]).unwrap().fmt_v(), "1m30s");
        assert_eq!(u.call_method("Before", vec![d]).unwrap().fmt_v(), "true");
        assert_eq!(
            u.call_method("AddDate", vec![Val::Int(0), Val::Int(1), Val::Int(20)]).unwrap().fmt_v(),
            "2024-01-03 22:13:20.25 +0000 UTC"
        );
        assert_eq!(
            u.call_method("Truncate", vec![Val::Int64(3600 * NANOS)]).unwrap().fmt_v(),
            "2023-11-14 22:00:00 +0000 UTC"
        );
        assert_eq!(
            u.call_method("Sub", vec![s("x")]).unwrap_err().message,
            "can't handle \"x\" for arg of type time.Time"
        );
        assert_eq!(u.to_value(), Value::String("2023-11-14T22:13:20.25Z".to_string()));
    }

    #[test]
    fn date_modify_keeps_the_monotonic_reading() {
        // helm: `now | dateModify "1h"` prints m=+3600.0...; a bad duration changes nothing.
        let n = call(now, vec![]).unwrap();
        let later = call(date_modify, vec![s("1h"), n.clone()]).unwrap().fmt_v();
        assert!(later.contains(" m=+3600."), "{later}");
        let t = call(to_date, vec![s("2006"), s("2020")]).unwrap();
        assert_eq!(call(date_modify, vec![s("bad"), t.clone()]).unwrap().fmt_v(), t.fmt_v());
        assert_eq!(
            call(date_modify, vec![s("-1.5h"), t.clone()]).unwrap().fmt_v().get(..19),
            Some("2019-12-31 22:30:00")
        );
        assert_eq!(
            call(must_date_modify, vec![s("bad"), t.clone()]).unwrap_err().message,
            "time: invalid duration \"bad\""
        );
        assert_eq!(
            call(unix_epoch, vec![s("x")]).unwrap_err().message,
            "can't handle \"x\" for arg of type time.Time"
        );
        assert_eq!(
            call(unix_epoch, vec![Val::Float(5.0)]).unwrap_err().message,
            "wrong type for value; expected time.Time; got float64"
        );
        assert_eq!(
            call(unix_epoch, vec![Val::Nil]).unwrap_err().message,
            "wrong type for value; expected time.Time; got interface {}"
        );
        assert_eq!(
            call(must_to_date, vec![s("2006-01-02"), s("bad")]).unwrap_err().message,
            "parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
    }

    #[test]
    fn durations_match_helm() {
        let dr = |v: Val| text(duration_round_fn, vec![v]);
        assert_eq!(dr(s("2400h")), "3mo");
        assert_eq!(dr(s("1h")), "60m");
        assert_eq!(dr(s("61m")), "1h");
        assert_eq!(dr(Val::Int(5)), "0s");
        assert_eq!(dr(Val::Int64(5_000_000_000)), "5s");
        assert_eq!(dr(Val::Float(5.5)), "0s");
        assert_eq!(dr(s("-3h5m")), "3h");
        assert_eq!(dr(s("bad")), "0s");
        assert_eq!(dr(s("8761h")), "1y");
        let du = |v: Val| text(duration, vec![v]);
        assert_eq!(du(Val::Int(5)), "0s");
        assert_eq!(du(Val::Int64(90)), "1m30s");
        assert_eq!(du(s("3661")), "1h1m1s");
        assert_eq!(du(s("x")), "0s");
        assert_eq!(du(Val::Float(5.0)), "0s");
        assert_eq!(du(Val::Int64(-1)), "-1s");
        assert_eq!(du(s("9223372036854775807")), "-1s");
        assert_eq!(du(s("99999999999999999999")), "-1s");
        assert_eq!(text(ago, vec![call(now, vec![]).unwrap()]), "0s");
    }
}
