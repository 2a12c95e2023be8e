//! Versions and version constraints as Helm 4 handles them (Masterminds/semver v3.4).
//!
//! [`Version::parse`] is Masterminds' `NewVersion`: more lenient than SemVer 2 — a leading `v`,
//! and missing minor/patch (`1`, `v1.2`) are accepted, numeric segments may have leading zeros —
//! but numeric pre-release identifiers may not (`1.2.3-01`). Strict SemVer 2 is
//! [`is_strict_semver2`], which `helm lint` checks.
//!
//! [`Constraints::parse`] is Masterminds' `NewConstraint` (`>=1.2 <2`, `^1.2`, `~1.2.3`, `1.x`,
//! `1.2 - 1.4`, `a || b`), and [`Constraints::check`] its `Check`: a version with a pre-release
//! only satisfies an AND group in which some constraint has a pre-release
//! (`>=1.20.0-0 <2.0.0` accepts `1.21.0-beta.1`).
//!
//! ```
//! use chart_core::semver_loose::{Constraints, Version};
//!
//! let v = Version::parse("v1.21.0-beta.1").unwrap();
//! assert_eq!(v.to_string(), "1.21.0-beta.1");
//! assert!(Constraints::parse(">=1.20.0-0 <2.0.0").unwrap().check(&v));
//! assert!(!Constraints::parse(">=1.20.0").unwrap().check(&v));
//! ```

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex_lite::Regex;

/// Why a version or constraint was rejected; `Display` is Masterminds' message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SemverError {
    /// `ErrInvalidSemVer`: the text does not have the shape of a version.
    #[error("invalid semantic version")]
    InvalidVersion,
    /// `ErrSegmentStartsZero`: a numeric pre-release identifier has a leading zero.
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    /// `ErrInvalidPrerelease`: a pre-release (given to [`Version::set_prerelease`]) is not
    /// dot-separated identifiers of `[0-9A-Za-z-]`.
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    /// `ErrInvalidMetadata`: build metadata (given to [`Version::set_metadata`]) is not
    /// dot-separated identifiers of `[0-9A-Za-z-]`.
    #[error("invalid metadata string")]
    InvalidMetadata,
    /// A major, minor or patch number (the digits given) does not fit in 64 bits.
    #[error(
        "error parsing version segment: strconv.ParseUint: parsing \"{0}\": value out of range"
    )]
    SegmentOutOfRange(String),
    /// The text (or one `||` alternative of it, given) is not a constraint.
    #[error("improper constraint: {0}")]
    ImproperConstraint(String),
    /// A constraint's version is not a valid version (`>=1.2.3-01`).
    #[error("constraint parser error")]
    ConstraintParser,
}

// ---------------------------------------------------------------------------------------------
// Versions.

/// A version as Masterminds' `Version` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number (0 when absent).
    pub minor: u64,
    /// Patch number (0 when absent).
    pub patch: u64,
    /// Pre-release, without the `-`.
    pub pre: String,
    /// Build metadata, without the `+`.
    pub metadata: String,
    /// The text as written (for a version made by a method, its normal form, keeping a `v`).
    pub original: String,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Whether `s` is dot-separated non-empty identifiers of `[0-9A-Za-z-]`.
fn dotted_idents(s: &str) -> bool {
    s.split('.').all(|p| !p.is_empty() && p.chars().all(is_ident_char))
}

/// Masterminds' `validatePrerelease` (of a non-empty pre-release).
fn validate_prerelease(p: &str) -> Result<(), SemverError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(SemverError::InvalidPrerelease);
        }
        if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(SemverError::SegmentStartsZero);
            }
        } else if !part.chars().all(is_ident_char) {
            return Err(SemverError::InvalidPrerelease);
        }
    }
    Ok(())
}

/// Masterminds' `validateMetadata` (of non-empty metadata).
fn validate_metadata(m: &str) -> Result<(), SemverError> {
    if m.split('.').all(|p| p.chars().all(is_ident_char)) {
        Ok(())
    } else {
        Err(SemverError::InvalidMetadata)
    }
}

/// `strconv.ParseUint(segment, 10, 64)` for a segment of digits.
fn parse_segment(digits: &str) -> Result<u64, SemverError> {
    digits.parse::<u64>().map_err(|_| SemverError::SegmentOutOfRange(digits.to_string()))
}

/// Parses like Masterminds' `NewVersion`; `None` where Helm reports the version invalid
/// ([`Version::parse`] says why).
pub fn parse(text: &str) -> Option<Version> {
    Version::parse(text).ok()
}

/// Whether `text` is a strict SemVer 2.0.0 version (no `v`, three numbers, no leading zeros).
pub fn is_strict_semver2(text: &str) -> bool {
    semver::Version::parse(text).is_ok()
}

impl Version {
    /// `semver.NewVersion` (coercing): `v?N(.N)?(.N)?(-pre)?(+meta)?`, leading zeros allowed in
    /// the numbers but not in numeric pre-release identifiers.
    pub fn parse(text: &str) -> Result<Version, SemverError> {
        let rest = text.strip_prefix('v').unwrap_or(text);
        let (rest, metadata) = match rest.split_once('+') {
            Some((r, m)) if dotted_idents(m) => (r, m),
            Some(_) => return Err(SemverError::InvalidVersion),
            None => (rest, ""),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) if dotted_idents(p) => (c, p),
            Some(_) => return Err(SemverError::InvalidVersion),
            None => (rest, ""),
        };
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() > 3
            || nums.iter().any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(SemverError::InvalidVersion);
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

    /// A modified copy whose `original` is rebuilt from the new version, keeping a `v` of
    /// `prefix`.
    fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    /// `IncPatch`: the next patch release (a pre-release becomes its release); pre-release and
    /// metadata are dropped.
    pub fn inc_patch(&self) -> Version {
        let mut next = self.clone();
        if self.pre.is_empty() {
            next.patch = self.patch.wrapping_add(1);
        }
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    /// `IncMinor`: the next minor release, patch 0, without pre-release and metadata.
    pub fn inc_minor(&self) -> Version {
        let mut next = self.clone();
        next.minor = self.minor.wrapping_add(1);
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    /// `IncMajor`: the next major release, minor and patch 0, without pre-release and metadata.
    pub fn inc_major(&self) -> Version {
        let mut next = self.clone();
        next.major = self.major.wrapping_add(1);
        next.minor = 0;
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.original_v_prefix())
    }

    /// `SetPrerelease`: a copy with pre-release `pre` (empty for none).
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, SemverError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        let next = Version { pre: pre.to_string(), ..self.clone() };
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// `SetMetadata`: a copy with build metadata `metadata` (empty for none).
    pub fn set_metadata(&self, metadata: &str) -> Result<Version, SemverError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        let next = Version { metadata: metadata.to_string(), ..self.clone() };
        Ok(next.with_original(self.original_v_prefix()))
    }

    /// Compares by major, minor, patch, then pre-release (a release sorts after its
    /// pre-releases); build metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
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
    /// The normalised form `major.minor.patch[-pre][+metadata]` (no leading `v`).
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
// Constraints.

/// Go RE2's `\s`.
const WS: &str = r"[\t\n\f\r ]";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// Masterminds' `cvRegex` (a `|` inside its classes is a literal, as in the original).
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";

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

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    // regex-lite: these ASCII patterns mean the same there, and compiling them costs a
    // fraction of what the full engine's compiler costs (every `template` of a chart with
    // dependencies compiles them once; the texts matched are a few bytes).
    let re = |p: String| Regex::new(&p).expect("the constraint patterns are valid");
    Patterns {
        constraint: re(format!("^{WS}*({OPS}){WS}*({CV}){WS}*$")),
        range: re(format!("{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")),
        find: re(format!("({OPS}){WS}*({CV})")),
        valid: re(format!(
            "^({WS}*({OPS}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({CV}){WS}*)*$"
        )),
    }
});

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

/// One comparison of an AND group.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A version constraint as Masterminds/semver v3 parses it: OR groups of AND-ed comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints {
    /// Each group's terms, and whether any of them has a pre-release.
    groups: Vec<(Vec<Term>, bool)>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_term(text: &str) -> Result<Term, SemverError> {
    let m = PATTERNS
        .constraint
        .captures(text)
        .ok_or_else(|| SemverError::ImproperConstraint(text.to_string()))?;
    let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
    term_of(group(1), group(2), group(3), group(4), group(5), group(6))
}

/// A term from the constraint pattern's groups: the operator, the whole version, its major,
/// `.minor`, `.patch` and `-pre-release`.
fn term_of(
    op: &str,
    whole: &str,
    major: &str,
    minor: &str,
    patch: &str,
    pre: &str,
) -> Result<Term, SemverError> {
    let op = match op {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
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
        whole.to_string()
    };
    let con = Version::parse(&version).map_err(|_| SemverError::ConstraintParser)?;
    Ok(Term { op, con, minor_dirty, patch_dirty, dirty })
}

impl Constraints {
    /// `semver.NewConstraint`. An empty text is improper, so a Chart.yaml dependency without
    /// `version` matches no subchart (observed with helm 4.1.4: aliases and conditions then do
    /// not apply to it by name).
    pub fn parse(text: &str) -> Result<Constraints, SemverError> {
        parse_simple(text).unwrap_or_else(|| parse_with_patterns(text))
    }

    /// `Check`: whether `v` satisfies all terms of some OR group. A version with a pre-release
    /// only satisfies a group in which some term has a pre-release.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|(terms, has_pre)| terms.iter().all(|t| t.check(v, *has_pre)))
    }
}

/// `semver.NewConstraint` with Masterminds' patterns, for any constraint text.
fn parse_with_patterns(text: &str) -> Result<Constraints, SemverError> {
    // Hyphen ranges become `>= A, <= B`.
    let mut text = text.to_string();
    let ranges: Vec<(String, String, String)> = PATTERNS
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
        if !PATTERNS.valid.is_match(alt) {
            return Err(SemverError::ImproperConstraint(alt.to_string()));
        }
        let mut found: Vec<&str> = PATTERNS.find.find_iter(alt).map(|m| m.as_str()).collect();
        if found.is_empty() {
            found.push(alt);
        }
        let terms = found.iter().map(|t| parse_term(t)).collect::<Result<Vec<_>, _>>()?;
        let has_pre = terms.iter().any(|t| !t.con.pre.is_empty());
        groups.push((terms, has_pre));
    }
    Ok(Constraints { groups })
}

/// The most common constraints (`1.2.3`, `2.x.x`, `^1.2`, `>=1.0`, `~1.2.x`, `<1.25-0`: one
/// operator and a version of up to three numeric or wildcard parts, with an optional pre-release
/// and build) without the patterns, whose compiling costs far more than the rest of a render's
/// dependency processing (and each `semverCompare` call compiles them). `None` for anything else.
fn parse_simple(text: &str) -> Option<Result<Constraints, SemverError>> {
    let ws = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let t = text.trim_matches(ws);
    let (op, rest) = [">=", "<=", "^", "~", ">", "<", "="]
        .iter()
        .find_map(|op| t.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", t));
    let cv = rest.trim_start_matches(ws);
    let digits = cv.strip_prefix('v').unwrap_or(cv);
    // `-pre` and `+build`: dot-separated identifiers of ASCII letters, digits and `-`.
    let (core, suffix) = digits.split_at(digits.find(['-', '+']).unwrap_or(digits.len()));
    let (pre, build) = suffix.split_at(suffix.find('+').unwrap_or(suffix.len()));
    let idents_ok = |s: &str| {
        s.split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    if (!pre.is_empty() && !idents_ok(&pre[1..])) || (!build.is_empty() && !idents_ok(&build[1..]))
    {
        return None;
    }
    let mut parts = core.split('.');
    let major = parts.next()?;
    let minor = parts.next();
    let patch = parts.next();
    let part_ok = |p: &str| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'x' | b'X' | b'*'))
    };
    if parts.next().is_some()
        || !part_ok(major)
        || !minor.is_none_or(part_ok)
        || !patch.is_none_or(part_ok)
    {
        return None;
    }
    // `.minor` and `.patch` with their dots, as the pattern's groups hold them.
    let minor_at = cv.len() - digits.len() + major.len();
    let minor = minor.map(|m| &cv[minor_at..minor_at + 1 + m.len()]);
    let patch_at = minor_at + minor.map_or(0, str::len);
    let patch = patch.map(|p| &cv[patch_at..patch_at + 1 + p.len()]);
    let term = term_of(op, cv, major, minor.unwrap_or(""), patch.unwrap_or(""), pre);
    Some(term.map(|term| {
        let has_pre = !term.con.pre.is_empty();
        Constraints { groups: vec![(vec![term], has_pre)] }
    }))
}

impl Term {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
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

/// Helm's `IsCompatibleRange`: whether `version` parses and satisfies `constraint`.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Version {
        Version::parse(text).expect("valid")
    }

    #[test]
    fn accepts_what_helm_accepts() {
        // Observed with helm 4.1.4: these versions load.
        for v in ["1", "1.0", "v1.2", "01.2.3", "0.1.0", "1.2.3-alpha.1+b.5"] {
            assert!(parse(v).is_some(), "{v}");
        }
        // ... and these are "chart.metadata.version ... is invalid".
        for v in ["1.2.3-01", "1.2.3.4", "latest", "", "1.2.3-", "1..2"] {
            assert!(parse(v).is_none(), "{v}");
        }
    }

    #[test]
    fn parse_errors_like_helm() {
        // helm: {{ semver "..." }} error texts.
        for t in ["x.y", "", "1.2.3+a..b", "1.2.3.4", "1.2.3aaa", "V1.2.3", "1.2.3-"] {
            assert_eq!(Version::parse(t), Err(SemverError::InvalidVersion), "{t}");
        }
        assert_eq!(Version::parse("1.2.3-01"), Err(SemverError::SegmentStartsZero));
        let big = Version::parse("99999999999999999999.0.0").expect_err("too big");
        assert_eq!(
            big.to_string(),
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": \
             value out of range"
        );
    }

    #[test]
    fn coerces_and_keeps_original() {
        let v = p("v1.2");
        assert_eq!((v.major, v.minor, v.patch), (1, 2, 0));
        assert_eq!((v.to_string().as_str(), v.original.as_str()), ("1.2.0", "v1.2"));
        assert_eq!(p("01.02.03").to_string(), "1.2.3");
        let v = p("v1.2.3-beta.1+b.2");
        assert_eq!((v.pre.as_str(), v.metadata.as_str()), ("beta.1", "b.2"));
    }

    #[test]
    fn ordering() {
        assert!(p("1.2.3-alpha").compare(&p("1.2.3")).is_lt());
        assert!(p("1.2.3-alpha.2").compare(&p("1.2.3-alpha.10")).is_lt());
        assert!(p("v2").compare(&p("1.9.9")).is_gt());
        assert!(p("1.2.3+a").compare(&p("1.2.3+b")).is_eq());
        // helm: (semver A).Compare (semver B) is 1 for each pair; Masterminds v1 (and this
        // module before v3 semantics) put `alpha.x` before `alpha`.
        for (a, b) in [
            ("1.0.0-alpha.x", "1.0.0-alpha"),
            ("1.0.0-alpha.1", "1.0.0-alpha"),
            ("1.0.0-10", "1.0.0-9"),
            ("1.0.0-a", "1.0.0-9"),
        ] {
            assert!(p(a).compare(&p(b)).is_gt(), "{a} > {b}");
        }
    }

    #[test]
    fn increments_and_setters() {
        let v = p("v1.2.3-a+b");
        assert_eq!(
            (v.inc_patch().to_string(), v.inc_patch().original),
            ("1.2.3".into(), "v1.2.3".into())
        );
        assert_eq!(p("1.2.3").inc_patch().to_string(), "1.2.4");
        assert_eq!(p("1.2.3").inc_minor().to_string(), "1.3.0");
        assert_eq!(p("1.2.3").inc_major().to_string(), "2.0.0");
        assert_eq!(p("1.2.3").set_prerelease("x.1").map(|v| v.to_string()), Ok("1.2.3-x.1".into()));
        assert_eq!(p("1.2.3+m").set_metadata("").map(|v| v.to_string()), Ok("1.2.3".into()));
        assert_eq!(p("1.2.3").set_prerelease("a..b"), Err(SemverError::InvalidPrerelease));
        assert_eq!(p("1.2.3").set_prerelease("01"), Err(SemverError::SegmentStartsZero));
        assert_eq!(p("1.2.3").set_metadata("a_b"), Err(SemverError::InvalidMetadata));
    }

    #[test]
    fn constraints_like_helm() {
        // Each row: helm's `semverCompare` result, or its `IsCompatibleRange` (dependencies).
        let cases = [
            ("^1.2.0", "1.9.9", true),
            ("^1.2.0", "2.0.0", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.4", false),
            ("^0.0", "0.0.9", true),
            ("^1.x", "1.5.0", true),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("~1", "1.9.0", true),
            ("~1.2", "1.3.0", false),
            ("~0", "0.5.0", true),
            ("~1.0.0", "2.5.0", false),
            ("<1.0 || >=2.0", "1.5.0", false),
            ("<1.0 || >=2.0", "2.1.0", true),
            ("<1 || >=3", "3.1.0", true),
            ("1.2.x", "1.2.7", true),
            ("1.2.*", "1.3.0", false),
            ("2.x.x", "2.31.4", true),
            ("2.x.x", "3.0.0", false),
            ("*", "9.9.9", true),
            ("v1.2", "1.2.0", true),
            ("=1.2.0", "v1.2.0", true),
            ("=1", "1.9.9", true),
            (">=1.19-0", "v1.35.0", true),
            (">1.x", "2.0.0", true),
            ("> 1", "1.5.0", false),
            ("< 1.x", "0.9.0", true),
            ("!=1.2", "1.2.5", false),
            ("<=1.2", "1.2.5", true),
            (">= 1.2, < 2", "1.5.0", true),
            ("1.2 - 1.4", "1.4.9", true),
            ("1.2 - 1.4.5", "1.4.6", false),
            // Pre-releases: decided per AND group, not per term.
            (">=1.20.0", "1.21.0-beta.1", false),
            (">=1.20.0-0", "1.21.0-beta.1", true),
            (">=1.20.0-0 <2.0.0", "1.21.0-beta.1", true),
            (">=1.20.0-0, <2.0.0", "1.21.0-beta.1", true),
            (">=1.0.0 <=1.2.0-0", "1.1.0-alpha", true),
            (">=1.20.0-0 || <1.0.0", "1.21.0-beta.1", true),
            (">=1.0.0 || >=1.20.0-0", "1.21.0-beta.1", true),
            ("<1.0.0 || >=1.20.0", "1.21.0-beta.1", false),
            (">1.0.0-alpha", "1.0.0-alpha.x", true),
        ];
        for (c, v, want) in cases {
            let got = Constraints::parse(c).map(|c| c.check(&p(v)));
            assert_eq!(got, Ok(want), "{c} / {v}");
            assert_eq!(is_compatible_range(c, v), want, "{c} / {v}");
        }
    }

    /// The forms charts pass to `semverCompare` most (counted over the corpus) take the
    /// pattern-free path and read as the patterns read them.
    #[test]
    fn common_chart_constraints_take_the_simple_path() {
        for c in [
            "<1.25-0",
            ">=1.20.0-0",
            ">= 1.23-0",
            "<v3.7.0-0",
            "<v3.7.0-rc.1",
            "<v3.20.0-ea.7",
            ">=1",
            ">= v1.19.0-0",
            "^1.2.3+build.5",
            "~1.2.x-alpha",
        ] {
            let simple = parse_simple(c).unwrap_or_else(|| panic!("{c} is not simple"));
            assert_eq!(simple, parse_with_patterns(c), "{c}");
        }
        for c in ["1.2-", "1.2-a..b", "1.2+", ">=1.0, <2.0", "1.2 - 1.4", "!=1.0"] {
            assert!(parse_simple(c).is_none(), "{c}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// The pattern-free reading of simple constraints gives what the patterns give.
        #[test]
        fn simple_constraints_read_as_the_patterns_read_them(
            text in "[ \t]?(>=|<=|[=^~<>]|=>|~>|!=)?[ ]?v?[0-9xX*|]{1,3}(\\.[0-9xX*]{0,2}){0,3}[ -]?[0-9]?(-[0-9a-zA-Z.-]{0,6})?(\\+[0-9a-zA-Z.-]{0,4})?[ ]?",
        ) {
            if let Some(simple) = parse_simple(&text) {
                let want = parse_with_patterns(&text);
                proptest::prop_assert_eq!(simple, want, "{:?}", text);
            }
        }
    }

    #[test]
    fn constraint_errors_like_helm() {
        let err = |c: &str| Constraints::parse(c).expect_err("improper").to_string();
        // helm: error calling semverCompare: improper constraint: (empty) / foo
        assert_eq!(err(""), "improper constraint: ");
        assert_eq!(err("foo"), "improper constraint: foo");
        assert_eq!(err("not a range"), "improper constraint: not a range");
        // helm: {{ semverCompare "<1|2" "1.0.0" }} → constraint parser error
        assert_eq!(err("<1|2"), "constraint parser error");
        // An improper constraint or version is never compatible.
        assert!(!is_compatible_range("", "1.0.0"));
        assert!(!is_compatible_range("not a range", "1.0.0"));
        assert!(!is_compatible_range(">=1", "latest"));
    }
}
