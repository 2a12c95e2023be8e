//! Sprig's `semver` and `semverCompare`, with Masterminds/semver v3 semantics as Helm 4.1.4
//! builds them in: loose versions (`v1`, `1.2`, `01.2.3` are accepted and coerced), Masterminds'
//! constraint grammar (`>=1.2 <2`, `^1.2`, `~1.2.3`, `1.x`, `1.2 - 1.4`, `a || b`), and
//! pre-release versions matching only an AND group in which some constraint has a pre-release.
//!
//! `semver` returns a `*semver.Version` object whose methods templates can call (`Major`,
//! `Compare`, `IncMinor`, ...).
//!
//! chart-core's `semver_loose` is not used here: its constraints check pre-releases per term
//! (helm: `semverCompare ">=1.20.0-0 <2.0.0" "1.21.0-beta.1"` is true) and it orders
//! pre-release identifiers as semver v1 did (helm: `1.0.0-alpha.x` is after `1.0.0-alpha`).

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::OnceLock;

use regex::Regex;

use super::conv::str_arg;
use super::{Env, FnError, FnResult, Registry, Sig, Ty};
use crate::value::{Object, Val};

pub(crate) fn register(r: &mut Registry) {
    r.add("semver", &[Ty::Str], semver);
    r.add("semverCompare", &[Ty::Str, Ty::Str], semver_compare);
}

fn semver(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let v = Version::parse(str_arg(&args, 0)).map_err(FnError::new)?;
    Ok(Val::Obj(Rc::new(SemverObject { v, pointer: true })))
}

/// `semverCompare constraint version`: whether the version satisfies the constraint.
fn semver_compare(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let c = Constraints::parse(str_arg(&args, 0)).map_err(FnError::new)?;
    let v = Version::parse(str_arg(&args, 1)).map_err(FnError::new)?;
    Ok(Val::Bool(c.check(&v)))
}

// ---------------------------------------------------------------------------------------------
// Versions.

const INVALID: &str = "invalid semantic version";
const SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
const INVALID_PRERELEASE: &str = "invalid prerelease string";
const INVALID_METADATA: &str = "invalid metadata string";

/// A version as Masterminds' `Version` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Whether `s` is dot-separated non-empty identifiers of `[0-9A-Za-z-]`.
fn dotted_idents(s: &str) -> bool {
    s.split('.').all(|p| !p.is_empty() && p.chars().all(is_ident_char))
}

fn validate_prerelease(p: &str) -> Result<(), &'static str> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(INVALID_PRERELEASE);
        }
        if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(SEGMENT_STARTS_ZERO);
            }
        } else if !part.chars().all(is_ident_char) {
            return Err(INVALID_PRERELEASE);
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), &'static str> {
    if m.split('.').all(|p| p.chars().all(is_ident_char)) { Ok(()) } else { Err(INVALID_METADATA) }
}

/// `strconv.ParseUint(segment, 10, 64)` for a segment of digits.
fn parse_segment(digits: &str) -> Result<u64, String> {
    digits.parse::<u64>().map_err(|_| {
        format!(
            "error parsing version segment: strconv.ParseUint: parsing \"{digits}\": value out \
             of range"
        )
    })
}

impl Version {
    /// `semver.NewVersion` (coercing): `v?N(.N)?(.N)?(-pre)?(+meta)?`, leading zeros allowed in
    /// the numbers but not in numeric pre-release identifiers.
    fn parse(text: &str) -> Result<Version, String> {
        let rest = text.strip_prefix('v').unwrap_or(text);
        let (rest, metadata) = match rest.split_once('+') {
            Some((r, m)) if dotted_idents(m) => (r, m),
            Some(_) => return Err(INVALID.into()),
            None => (rest, ""),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) if dotted_idents(p) => (c, p),
            Some(_) => return Err(INVALID.into()),
            None => (rest, ""),
        };
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() > 3
            || nums.iter().any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(INVALID.into());
        }
        let mut parsed = [0u64; 3];
        for (slot, digits) in parsed.iter_mut().zip(&nums) {
            *slot = parse_segment(digits)?;
        }
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(Version {
            major: parsed[0],
            minor: parsed[1],
            patch: parsed[2],
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: text.to_string(),
        })
    }

    fn original_v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') { "v" } else { "" }
    }

    /// A modified copy whose `Original` is rebuilt from the new version (keeping a `v`).
    fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    fn inc_patch(&self) -> Version {
        let mut next = self.clone();
        if self.pre.is_empty() {
            next.patch = self.patch.wrapping_add(1);
        }
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    fn inc_minor(&self) -> Version {
        let mut next = self.clone();
        next.minor = self.minor.wrapping_add(1);
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    fn inc_major(&self) -> Version {
        let mut next = self.clone();
        next.major = self.major.wrapping_add(1);
        next.minor = 0;
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    /// Major, minor, patch, then pre-release (a release sorts after its pre-releases); build
    /// metadata is ignored.
    fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch)).then_with(|| match (
            self.pre.is_empty(),
            o.pre.is_empty(),
        ) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        })
    }
}

/// Masterminds v3's `comparePrerelease`: identifier by identifier; a missing identifier sorts
/// first, numbers before words, numbers numerically, words by bytes.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i).copied().unwrap_or(""), b.get(i).copied().unwrap_or(""));
        let ord = if x == y {
            Ordering::Equal
        } else if x.is_empty() {
            Ordering::Less
        } else if y.is_empty() {
            Ordering::Greater
        } else {
            match (x.parse::<u64>(), y.parse::<u64>()) {
                (Ok(m), Ok(n)) => m.cmp(&n),
                (Ok(_), Err(_)) => Ordering::Less,
                (Err(_), Ok(_)) => Ordering::Greater,
                (Err(_), Err(_)) => x.cmp(y),
            }
        };
        if ord.is_ne() {
            return ord;
        }
    }
    Ordering::Equal
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The template object.

/// `*semver.Version` (`pointer`), or the `semver.Version` value its `Inc*`/`Set*` methods
/// return, which lacks the pointer methods (`Original`, `Compare`, `LessThan`, ...).
#[derive(Debug)]
struct SemverObject {
    v: Version,
    pointer: bool,
}

const ONE_VERSION: &[Ty] = &[Ty::Any];
const ONE_STRING: &[Ty] = &[Ty::Str];

impl SemverObject {
    fn value(v: Version) -> Val {
        Val::Obj(Rc::new(SemverObject { v, pointer: false }))
    }

    /// The `*semver.Version` argument of a comparison method.
    fn version_arg(args: &[Val]) -> Result<&Version, FnError> {
        match args.first() {
            None | Some(Val::Nil | Val::NoValue) => Err(FnError::new(
                "runtime error: invalid memory address or nil pointer dereference",
            )),
            Some(Val::Obj(o)) => match o.as_any().downcast_ref::<SemverObject>() {
                Some(s) if s.pointer => Ok(&s.v),
                _ => Err(wrong_type(&o.type_name())),
            },
            Some(other) => Err(wrong_type(&other.type_name())),
        }
    }
}

fn wrong_type(got: &str) -> FnError {
    FnError::new(format!("wrong type for value; expected *semver.Version; got {got}"))
}

impl Object for SemverObject {
    fn type_name(&self) -> String {
        if self.pointer { "*semver.Version".into() } else { "semver.Version".into() }
    }

    fn kind(&self) -> &'static str {
        if self.pointer { "ptr" } else { "struct" }
    }

    fn field(&self, name: &str) -> Option<Val> {
        let v = &self.v;
        Some(match name {
            // Go returns uint64; the value model's closest integer type is int64.
            "Major" => Val::Int64(v.major as i64),
            "Minor" => Val::Int64(v.minor as i64),
            "Patch" => Val::Int64(v.patch as i64),
            "Prerelease" => Val::str(v.pre.as_str()),
            "Metadata" => Val::str(v.metadata.as_str()),
            "String" | "Value" => Val::str(v.to_string()),
            "Original" if self.pointer => Val::str(v.original.as_str()),
            "IncPatch" => SemverObject::value(v.inc_patch()),
            "IncMinor" => SemverObject::value(v.inc_minor()),
            "IncMajor" => SemverObject::value(v.inc_major()),
            "MarshalJSON" => Val::Bytes(format!("\"{v}\"").into_bytes().into()),
            "MarshalText" => Val::Bytes(v.to_string().into_bytes().into()),
            _ => return None,
        })
    }

    fn method(&self, name: &str) -> Option<Sig> {
        let params = match name {
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal"
            | "Compare"
                if self.pointer =>
            {
                ONE_VERSION
            }
            "SetPrerelease" | "SetMetadata" => ONE_STRING,
            _ => return None,
        };
        Some(Sig { params, variadic: None })
    }

    fn call_method(&self, name: &str, args: Vec<Val>) -> Result<Val, FnError> {
        let v = &self.v;
        match name {
            "SetPrerelease" => {
                let pre = str_arg(&args, 0);
                if !pre.is_empty() {
                    validate_prerelease(pre).map_err(FnError::new)?;
                }
                let next = Version { pre: pre.to_string(), ..v.clone() };
                Ok(SemverObject::value(next.with_original(v.original_v_prefix())))
            }
            "SetMetadata" => {
                let meta = str_arg(&args, 0);
                if !meta.is_empty() {
                    validate_metadata(meta).map_err(FnError::new)?;
                }
                let next = Version { metadata: meta.to_string(), ..v.clone() };
                Ok(SemverObject::value(next.with_original(v.original_v_prefix())))
            }
            _ if self.method(name).is_some() => {
                let ord = v.compare(SemverObject::version_arg(&args)?);
                Ok(match name {
                    "LessThan" => Val::Bool(ord.is_lt()),
                    "LessThanEqual" => Val::Bool(ord.is_le()),
                    "GreaterThan" => Val::Bool(ord.is_gt()),
                    "GreaterThanEqual" => Val::Bool(ord.is_ge()),
                    "Equal" => Val::Bool(ord.is_eq()),
                    _ => Val::Int(ord as i64),
                })
            }
            _ => Err(FnError::new(format!("can't call method {name}"))),
        }
    }

    fn fmt_v(&self) -> String {
        self.v.to_string()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Constraints.

/// Go RE2's `\s`.
const WS: &str = r"[\t\n\f\r ]";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

/// Masterminds' `cvRegex` (a `|` inside its classes is a literal, as in the original).
fn cv() -> String {
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?".to_string()
}

struct Patterns {
    /// One constraint, anchored: `^\s*(op)\s*(cv)\s*$`.
    constraint: Regex,
    /// A hyphen range `A - B`.
    range: Regex,
    /// Finds the constraints of an AND group.
    find: Regex,
    /// Validates an AND group.
    valid: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let cv = cv();
        Some(Patterns {
            constraint: Regex::new(&format!("^{WS}*({OPS}){WS}*({cv}){WS}*$")).ok()?,
            range: Regex::new(&format!("{WS}*({cv}){WS}+-{WS}+({cv}){WS}*")).ok()?,
            find: Regex::new(&format!("({OPS}){WS}*({cv})")).ok()?,
            valid: Regex::new(&format!(
                "^({WS}*({OPS}){WS}*({cv}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({cv}){WS}*)*$"
            ))
            .ok()?,
        })
    })
    .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

#[derive(Debug)]
struct Term {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// OR groups of AND-ed terms, with whether each group mentions a pre-release.
#[derive(Debug)]
struct Constraints {
    groups: Vec<(Vec<Term>, bool)>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_term(p: &Patterns, text: &str) -> Result<Term, String> {
    let m = p.constraint.captures(text).ok_or_else(|| format!("improper constraint: {text}"))?;
    let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
    let op = match group(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (major, minor, patch, pre) = (group(3), group(4), group(5), group(6));
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let version = if is_x(major) {
        dirty = true;
        format!("0.0.0{pre}")
    } else if minor.is_empty() || is_x(&minor[1..]) {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if patch.is_empty() || is_x(&patch[1..]) {
        patch_dirty = true;
        dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        group(2).to_string()
    };
    let con = Version::parse(&version).map_err(|_| "constraint parser error".to_string())?;
    Ok(Term { op, con, minor_dirty, patch_dirty, dirty })
}

impl Constraints {
    /// `semver.NewConstraint`.
    fn parse(text: &str) -> Result<Constraints, String> {
        let p = patterns().ok_or_else(|| "constraint parser error".to_string())?;
        // Hyphen ranges become `>= A, <= B`.
        let mut text = text.to_string();
        let ranges: Vec<(String, String, String)> = p
            .range
            .captures_iter(&text)
            .map(|c| {
                let g = |i: usize| c.get(i).map_or("", |m| m.as_str()).to_string();
                (g(0), g(1), g(11))
            })
            .collect();
        for (whole, from, to) in ranges {
            text = text.replacen(&whole, &format!(">= {from}, <= {to} "), 1);
        }
        let mut groups = Vec::new();
        for alt in text.split("||") {
            if !p.valid.is_match(alt) {
                return Err(format!("improper constraint: {alt}"));
            }
            let mut found: Vec<&str> = p.find.find_iter(alt).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(alt);
            }
            let terms = found.iter().map(|t| parse_term(p, t)).collect::<Result<Vec<_>, _>>()?;
            let has_pre = terms.iter().any(|t| !t.con.pre.is_empty());
            groups.push((terms, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Check`: some OR group whose terms all hold.
    fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|(terms, has_pre)| terms.iter().all(|t| t.check(v, *has_pre)))
    }
}

impl Term {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        // A pre-release only matches groups that ask for pre-releases.
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c).is_eq()
                }
            }
            Op::NotEqual => self.not_equal(v),
            Op::Greater => {
                if !self.dirty {
                    v.compare(c).is_gt()
                } else if v.major != c.major {
                    v.major > c.major
                } else if self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c).is_gt()
                }
            }
            Op::Less => v.compare(c).is_lt(),
            Op::GreaterEqual => v.compare(c).is_ge(),
            Op::LessEqual => {
                if !self.dirty {
                    v.compare(c).is_le()
                } else {
                    !(v.major > c.major
                        || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
                }
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            } else if self.minor_dirty {
                return false;
            } else if c.patch != v.patch && !self.patch_dirty {
                return true;
            } else if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre).is_ne();
                }
                return false;
            }
        }
        !v.compare(c).is_eq()
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return false;
        }
        // ~0.0.0 accepts everything.
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        v.major == c.major && (v.minor == c.minor || self.minor_dirty)
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        v.patch == c.patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};
    use std::time::UNIX_EPOCH;

    type Body = fn(&mut Env<'_>, Vec<Val>) -> FnResult;

    fn run(f: Body, args: Vec<Val>) -> FnResult {
        let mut random = SeededRandom(1);
        let clock = FixedClock(UNIX_EPOCH);
        let mut env = Env { random: &mut random, clock: &clock };
        f(&mut env, args)
    }

    fn compare(c: &str, v: &str) -> Result<bool, String> {
        match run(semver_compare, vec![Val::str(c), Val::str(v)]) {
            Ok(Val::Bool(b)) => Ok(b),
            Ok(other) => Err(format!("not a bool: {other:?}")),
            Err(e) => Err(e.message),
        }
    }

    fn sv(text: &str) -> Val {
        run(semver, vec![Val::str(text)]).expect("a version")
    }

    fn obj(v: &Val) -> &dyn Object {
        match v {
            Val::Obj(o) => o.as_ref(),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn field(v: &Val, name: &str) -> Val {
        obj(v).field(name).unwrap_or_else(|| panic!("no field {name}"))
    }

    /// A method call's `%v`, or its error.
    fn call(v: &Val, name: &str, args: Vec<Val>) -> Result<String, String> {
        obj(v).call_method(name, args).map(|r| r.fmt_v()).map_err(|e| e.message)
    }

    #[test]
    fn constraints_like_helm() {
        // Each row: helm's semverCompare result.
        let cases = [
            ("^1.2.0", "1.9.9", true),
            ("^1.2.0", "2.0.0", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("~1", "1.9.0", true),
            ("<1.0 || >=2.0", "1.5.0", false),
            ("<1.0 || >=2.0", "2.1.0", true),
            ("1.2.x", "1.2.7", true),
            ("1.2.*", "1.3.0", false),
            ("*", "9.9.9", true),
            (">=1.20.0", "1.21.0-beta.1", false),
            (">=1.20.0-0", "1.21.0-beta.1", true),
            ("v1.2", "1.2.0", true),
            ("=1.2.0", "v1.2.0", true),
            (">=1.19-0", "v1.35.0", true),
            (">=1.20.0-0 <2.0.0", "1.21.0-beta.1", true),
            (">=1.20.0-0, <2.0.0", "1.21.0-beta.1", true),
            ("^1.x", "1.5.0", true),
            (">1.x", "2.0.0", true),
            ("!=1.2", "1.2.5", false),
            ("<=1.2", "1.2.5", true),
            ("1.2 - 1.4", "1.4.9", true),
            (">=1.0.0 <=1.2.0-0", "1.1.0-alpha", true),
            ("~0", "0.5.0", true),
            ("^0.0.3", "0.0.4", false),
            ("^0.0", "0.0.9", true),
            ("~1.2", "1.3.0", false),
            ("> 1", "1.5.0", false),
            ("< 1.x", "0.9.0", true),
            ("=1", "1.9.9", true),
        ];
        for (c, v, want) in cases {
            assert_eq!(compare(c, v), Ok(want), "{c} / {v}");
        }
    }

    #[test]
    fn compare_errors_like_helm() {
        // helm: error calling semverCompare: improper constraint: (empty) / foo
        assert_eq!(compare("", "1.0.0"), Err("improper constraint: ".into()));
        assert_eq!(compare("foo", "1.0.0"), Err("improper constraint: foo".into()));
        // helm: {{ semverCompare ">=1.0" "notaversion" }} → invalid semantic version
        assert_eq!(compare(">=1.0", "notaversion"), Err(INVALID.into()));
        // helm: {{ semverCompare ">=1.0" "1.0.0-01" }} → version segment starts with 0
        assert_eq!(compare(">=1.0", "1.0.0-01"), Err(SEGMENT_STARTS_ZERO.into()));
        // helm: {{ semverCompare "<1|2" "1.0.0" }} → constraint parser error
        assert_eq!(compare("<1|2", "1.0.0"), Err("constraint parser error".into()));
    }

    #[test]
    fn versions_like_helm() {
        // helm: {{ (semver "1.2").Patch }} {{ semver "v1" }} → 0 1.0.0
        assert_eq!(field(&sv("1.2"), "Patch").fmt_v(), "0");
        assert_eq!(sv("v1").fmt_v(), "1.0.0");
        // helm: {{ semver "01.02.03" }} → 1.2.3
        assert_eq!(sv("01.02.03").fmt_v(), "1.2.3");
        // helm: semver "v1.2.3-beta.1+b.2": prints 1.2.3-beta.1+b.2, Original v1.2.3-beta.1+b.2,
        //       Prerelease beta.1, Metadata b.2, typeOf *semver.Version, kindOf ptr
        let v = sv("v1.2.3-beta.1+b.2");
        assert_eq!(v.fmt_v(), "1.2.3-beta.1+b.2");
        assert_eq!(field(&v, "Original").fmt_v(), "v1.2.3-beta.1+b.2");
        assert_eq!(field(&v, "Prerelease").fmt_v(), "beta.1");
        assert_eq!(field(&v, "Metadata").fmt_v(), "b.2");
        assert_eq!(v.type_name(), "*semver.Version");
        assert_eq!(v.kind_name(), "ptr");
        // A 300-character pre-release is fine (no length limit in Helm 4.1.4).
        let long = format!("1.2.3-{}", "a".repeat(300));
        assert_eq!(sv(&long).fmt_v(), long);
    }

    #[test]
    fn version_errors_like_helm() {
        let parse_err = |t: &str| run(semver, vec![Val::str(t)]).expect_err("invalid").message;
        // helm: semver "x.y", "", "1.2.3+a..b", "1.2.3.4", "1.2.3aaa" → invalid semantic version
        for t in ["x.y", "", "1.2.3+a..b", "1.2.3.4", "1.2.3aaa", "V1.2.3"] {
            assert_eq!(parse_err(t), INVALID, "{t}");
        }
        // helm: semver "1.2.3-01" → version segment starts with 0
        assert_eq!(parse_err("1.2.3-01"), SEGMENT_STARTS_ZERO);
        // helm: semver "99999999999999999999.0.0" → error parsing version segment: ...
        assert_eq!(
            parse_err("99999999999999999999.0.0"),
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": \
             value out of range"
        );
    }

    #[test]
    fn methods_like_helm() {
        // helm: {{ (semver "1.2.3").Compare (semver "1.3.0") }}
        //       {{ (semver "2.0.0").Compare (semver "1.3.0") }} → -1 1
        assert_eq!(call(&sv("1.2.3"), "Compare", vec![sv("1.3.0")]), Ok("-1".into()));
        assert_eq!(call(&sv("2.0.0"), "Compare", vec![sv("1.3.0")]), Ok("1".into()));
        // helm: alpha.x > alpha, alpha.1 > alpha, 10 > 9, a > 9 → 1 1 1 1
        for (a, b) in [
            ("1.0.0-alpha.x", "1.0.0-alpha"),
            ("1.0.0-alpha.1", "1.0.0-alpha"),
            ("1.0.0-10", "1.0.0-9"),
            ("1.0.0-a", "1.0.0-9"),
        ] {
            assert_eq!(call(&sv(a), "Compare", vec![sv(b)]), Ok("1".into()));
        }
        // helm: LessThanEqual 1.2.3/1.2.3 → true; GreaterThanEqual 1.2.3/1.2.4 → false
        assert_eq!(call(&sv("1.2.3"), "LessThanEqual", vec![sv("1.2.3")]), Ok("true".into()));
        assert_eq!(call(&sv("1.2.3"), "GreaterThanEqual", vec![sv("1.2.4")]), Ok("false".into()));
        // helm: Compare nil → runtime error: invalid memory address or nil pointer dereference
        assert_eq!(
            call(&sv("1.2.3"), "Compare", vec![Val::Nil]),
            Err("runtime error: invalid memory address or nil pointer dereference".into())
        );
        // helm: Compare of an IncMajor value → wrong type for value; expected *semver.Version;
        //       got semver.Version
        let value = field(&sv("1.2.3"), "IncMajor");
        assert_eq!(
            call(&sv("1.2.3"), "Compare", vec![value]),
            Err("wrong type for value; expected *semver.Version; got semver.Version".into())
        );
    }

    #[test]
    fn increments_and_setters_like_helm() {
        // helm: {{ (semver "v1.2.3-a+b").IncPatch }} → 1.2.3; {{ typeOf (semver "1.2.3").IncMajor }}
        //       {{ kindOf ... }} → semver.Version struct; {{ (semver "1.2.3").IncMinor }} → 1.3.0
        let inc = field(&sv("v1.2.3-a+b"), "IncPatch");
        assert_eq!(inc.fmt_v(), "1.2.3");
        let major = field(&sv("1.2.3"), "IncMajor");
        assert_eq!((major.type_name(), major.kind_name()), ("semver.Version".into(), "struct"));
        assert_eq!(major.fmt_v(), "2.0.0");
        assert_eq!(field(&sv("1.2.3"), "IncMinor").fmt_v(), "1.3.0");
        assert_eq!(field(&sv("1.2.3"), "IncPatch").fmt_v(), "1.2.4");
        // helm: `.Original` of a semver.Version value: can't evaluate field Original
        assert!(obj(&inc).field("Original").is_none());
        assert!(obj(&inc).method("Compare").is_none());
        // helm: SetPrerelease "a..b" → invalid prerelease string; "01" → version segment starts
        //       with 0; SetMetadata "a_b" → invalid metadata string
        assert_eq!(
            call(&sv("1.2.3"), "SetPrerelease", vec![Val::str("a..b")]),
            Err(INVALID_PRERELEASE.into())
        );
        assert_eq!(
            call(&sv("1.2.3"), "SetPrerelease", vec![Val::str("01")]),
            Err(SEGMENT_STARTS_ZERO.into())
        );
        assert_eq!(
            call(&sv("1.2.3"), "SetMetadata", vec![Val::str("a_b")]),
            Err(INVALID_METADATA.into())
        );
        // helm: SetMetadata "" → 1.2.3; SetPrerelease "x.1" → 1.2.3-x.1; Value → 1.2.3;
        //       MarshalJSON → [34 49 46 50 46 51 34]; MarshalText → [49 46 50 46 51]
        let meta = call(&sv("1.2.3"), "SetMetadata", vec![Val::str("")]);
        assert_eq!(meta, Ok("1.2.3".into()));
        let pre = call(&sv("1.2.3"), "SetPrerelease", vec![Val::str("x.1")]);
        assert_eq!(pre, Ok("1.2.3-x.1".into()));
        assert_eq!(field(&sv("1.2.3"), "Value").fmt_v(), "1.2.3");
        assert_eq!(field(&sv("1.2.3"), "MarshalJSON").fmt_v(), "[34 49 46 50 46 51 34]");
        assert_eq!(field(&sv("1.2.3"), "MarshalText").fmt_v(), "[49 46 50 46 51]");
        // helm: {{ toJson (semver "1.2.3") }} {{ toJson (semver "1.2.3").IncMajor }}
        //       → "1.2.3" "2.0.0"
        let json = |v: &Val| v.to_value().to_json(true).expect("json");
        assert_eq!(json(&sv("1.2.3")), "\"1.2.3\"");
        assert_eq!(json(&major), "\"2.0.0\"");
    }
}
