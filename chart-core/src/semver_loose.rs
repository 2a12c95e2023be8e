//! Chart versions as Helm parses them (Masterminds/semver v3 `NewVersion`): more lenient than
//! SemVer 2 — a leading `v`, and missing minor/patch (`1`, `v1.2`) are accepted, numeric
//! segments may have leading zeros — but numeric pre-release identifiers may not (`1.2.3-01`).
//! Strict SemVer 2 is [`is_strict_semver2`], which `helm lint` checks.

use std::cmp::Ordering;

/// A version parsed the Masterminds way.
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
    /// The text as written.
    pub original: String,
}

fn ident_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn dotted_ok(s: &str) -> bool {
    s.split('.').all(ident_ok)
}

/// Parses like Masterminds' `NewVersion`; `None` where Helm reports the version invalid.
pub fn parse(text: &str) -> Option<Version> {
    let s = text.strip_prefix('v').unwrap_or(text);
    let (rest, metadata) = match s.split_once('+') {
        Some((r, m)) => {
            if !dotted_ok(m) {
                return None;
            }
            (r, m)
        }
        None => (s, ""),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => {
            if !dotted_ok(p) {
                return None;
            }
            // Numeric identifiers must not have leading zeros.
            if p.split('.').any(|id| {
                id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit())
            }) {
                return None;
            }
            (c, p)
        }
        None => (rest, ""),
    };
    let mut nums = [0u64; 3];
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        nums[i] = p.parse().ok()?;
    }
    Some(Version {
        major: nums[0],
        minor: nums[1],
        patch: nums[2],
        pre: pre.to_owned(),
        metadata: metadata.to_owned(),
        original: text.to_owned(),
    })
}

/// Whether `text` is a strict SemVer 2.0.0 version (no `v`, three numbers, no leading zeros).
pub fn is_strict_semver2(text: &str) -> bool {
    semver::Version::parse(text).is_ok()
}

fn cmp_pre_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    if b.is_empty() {
        return if num(a).is_some() { Ordering::Greater } else { Ordering::Less };
    }
    if a.is_empty() {
        return if num(b).is_some() { Ordering::Less } else { Ordering::Greater };
    }
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

impl Version {
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
            (false, false) => {
                let a: Vec<&str> = self.pre.split('.').collect();
                let b: Vec<&str> = o.pre.split('.').collect();
                (0..a.len().max(b.len()))
                    .map(|i| {
                        cmp_pre_part(
                            a.get(i).copied().unwrap_or(""),
                            b.get(i).copied().unwrap_or(""),
                        )
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn ordering() {
        let p = |s| parse(s).expect("valid");
        assert!(p("1.2.3-alpha").compare(&p("1.2.3")).is_lt());
        assert!(p("1.2.3-alpha.2").compare(&p("1.2.3-alpha.10")).is_lt());
        assert!(p("v2").compare(&p("1.9.9")).is_gt());
    }
}

/// A version constraint as Masterminds/semver v3 parses it (`>=1.2 <2`, `^1.2`, `~1.2.3`,
/// `1.x`, `1.2 - 1.4`, `a || b`). Versions with a pre-release only satisfy a comparison whose
/// own version has a pre-release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    ors: Vec<Vec<Term>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_term(text: &str) -> Option<Term> {
    let ops: [(&str, Op); 11] = [
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("~", Op::Tilde),
        ("^", Op::Caret),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(p, op)| text.strip_prefix(p).map(|r| (*op, r)))
        .unwrap_or((Op::Eq, text));
    let rest = rest.trim_start();
    let body = rest.strip_prefix('v').unwrap_or(rest);
    // Split off pre-release/metadata from the numeric part.
    let cut = body.find(['-', '+']).unwrap_or(body.len());
    let (nums, tail) = body.split_at(cut);
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    for p in &parts {
        if !is_x(p) && !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let seg = |i: usize| parts.get(i).copied().unwrap_or("");
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(seg(0)) {
        dirty = true;
        format!("0.0.0{tail}")
    } else if seg(1).is_empty() || is_x(seg(1)) {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{tail}", seg(0))
    } else if seg(2).is_empty() || is_x(seg(2)) {
        patch_dirty = true;
        dirty = true;
        format!("{}.{}.0{tail}", seg(0), seg(1))
    } else {
        format!("{nums}{tail}")
    };
    let con = parse(&ver)?;
    Some(Term { op, con, minor_dirty, patch_dirty, dirty })
}

impl Constraint {
    /// Parses a constraint; `None` when Masterminds would report it improper, which includes
    /// an empty constraint (so a Chart.yaml dependency without `version` matches no subchart:
    /// observed with helm 4.1.4, aliases and conditions then do not apply to it by name).
    pub fn parse(text: &str) -> Option<Constraint> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let mut ors = Vec::new();
        for alt in text.split("||") {
            let alt = rewrite_hyphen_range(alt.trim());
            let mut terms = Vec::new();
            // Terms are separated by commas or spaces; an operator may be followed by spaces.
            let mut pending_op = String::new();
            for tok in alt.split([',', ' ']).filter(|t| !t.is_empty()) {
                if tok.chars().all(|c| "<>=!~^".contains(c)) {
                    pending_op.push_str(tok);
                    continue;
                }
                let full = format!("{pending_op}{tok}");
                pending_op.clear();
                terms.push(parse_term(&full)?);
            }
            if !pending_op.is_empty() {
                return None;
            }
            if terms.is_empty() {
                terms.push(parse_term("*")?);
            }
            ors.push(terms);
        }
        Some(Constraint { ors })
    }

    /// Whether `v` satisfies the constraint.
    pub fn matches(&self, v: &Version) -> bool {
        self.ors.iter().any(|and| and.iter().all(|t| t.matches(v)))
    }
}

fn rewrite_hyphen_range(s: &str) -> String {
    // "1.2 - 1.4.5" means ">= 1.2, <= 1.4.5".
    if let Some((a, b)) = s.split_once(" - ") {
        format!(">={}, <={}", a.trim(), b.trim())
    } else {
        s.to_owned()
    }
}

impl Term {
    fn matches(&self, v: &Version) -> bool {
        if !v.pre.is_empty() && self.con.pre.is_empty() {
            return false;
        }
        let c = &self.con;
        let cmp = v.compare(c);
        match self.op {
            Op::Eq => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    cmp.is_eq()
                }
            }
            Op::Ne => {
                if self.dirty {
                    !self.tilde(v)
                } else {
                    !cmp.is_eq()
                }
            }
            Op::Gt => {
                if self.minor_dirty {
                    v.major > c.major
                } else if self.patch_dirty {
                    v.major > c.major || (v.major == c.major && v.minor > c.minor)
                } else {
                    cmp.is_gt()
                }
            }
            Op::Lt => cmp.is_lt(),
            Op::Ge => cmp.is_ge(),
            Op::Le => {
                if self.minor_dirty {
                    v.major <= c.major
                } else if self.patch_dirty {
                    v.major < c.major || (v.major == c.major && v.minor <= c.minor)
                } else {
                    cmp.is_le()
                }
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
                if cmp.is_lt() {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    v.major == c.major
                } else if c.minor > 0 || self.patch_dirty {
                    v.major == 0 && v.minor == c.minor
                } else {
                    v.major == 0 && v.minor == 0 && v.patch == c.patch
                }
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        if v.minor != c.minor && !self.minor_dirty {
            return false;
        }
        true
    }
}

/// Helm's `IsCompatibleRange`: whether `version` parses and satisfies `constraint`.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraint::parse(constraint), parse(version)) {
        (Some(c), Some(v)) => c.matches(&v),
        _ => false,
    }
}

#[cfg(test)]
mod constraint_tests {
    use super::*;

    #[test]
    fn masterminds_semantics() {
        let m = |c: &str, v: &str| is_compatible_range(c, v);
        assert!(!m("", "1.0.0"));
        assert!(m("2.x.x", "2.31.4"));
        assert!(!m("2.x.x", "3.0.0"));
        assert!(m("^1.2.3", "1.9.0"));
        assert!(!m("^1.2.3", "2.0.0"));
        assert!(m("~1.2.3", "1.2.9"));
        assert!(!m("~1.2.3", "1.3.0"));
        assert!(m(">=1.20.0", "1.21.0"));
        assert!(!m(">=1.20.0", "1.21.0-beta.1"));
        assert!(m(">=1.20.0-0", "1.21.0-beta.1"));
        assert!(m(">= 1.2, < 2", "1.5.0"));
        assert!(m("1.2 - 1.4.5", "1.4.0"));
        assert!(m("<1 || >=3", "3.1.0"));
        assert!(!m("<1 || >=3", "2.0.0"));
        assert!(m("*", "0.0.1"));
        assert!(!m("not a range", "1.0.0"));
    }
}
