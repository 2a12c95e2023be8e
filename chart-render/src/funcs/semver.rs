//! Sprig's `semver` and `semverCompare`, with Masterminds/semver v3 semantics as Helm 4.1.4
//! builds them in (see [`chart_core::semver_loose`], which parses, orders and checks).
//!
//! `semver` returns a `*semver.Version` object whose methods templates can call (`Major`,
//! `Compare`, `IncMinor`, ...).

use std::any::Any;
use std::rc::Rc;

use chart_core::semver_loose::{Constraints, SemverError, Version};

use super::conv::str_arg;
use super::{Env, FnError, FnResult, Registry, Sig, Ty};
use crate::value::{Object, Val};

pub(crate) fn register(r: &mut Registry) {
    r.add("semver", &[Ty::Str], semver);
    r.add("semverCompare", &[Ty::Str, Ty::Str], semver_compare);
}

fn semver(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let v = Version::parse(str_arg(&args, 0)).map_err(fail)?;
    Ok(Val::Obj(Rc::new(SemverObject { v, pointer: true })))
}

/// `semverCompare constraint version`: whether the version satisfies the constraint.
fn semver_compare(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let c = Constraints::parse(str_arg(&args, 0)).map_err(fail)?;
    let v = Version::parse(str_arg(&args, 1)).map_err(fail)?;
    Ok(Val::Bool(c.check(&v)))
}

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

/// Masterminds' error as the function's error.
fn fail(e: SemverError) -> FnError {
    FnError::new(e.to_string())
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
                Ok(SemverObject::value(v.set_prerelease(str_arg(&args, 0)).map_err(fail)?))
            }
            "SetMetadata" => {
                Ok(SemverObject::value(v.set_metadata(str_arg(&args, 0)).map_err(fail)?))
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

// Masterminds' fixed error texts, which the tests expect verbatim.
#[cfg(test)]
const INVALID: &str = "invalid semantic version";
#[cfg(test)]
const SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
#[cfg(test)]
const INVALID_PRERELEASE: &str = "invalid prerelease string";
#[cfg(test)]
const INVALID_METADATA: &str = "invalid metadata string";

#[cfg(test)]
mod tests {
    use super::*;

    use crate::funcs::testing::run;

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
