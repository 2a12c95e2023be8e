//! Sprig's defaults family: `default`, `empty`, `coalesce`, `all`, `any`, `ternary`, and its JSON
//! encoders `toPrettyJson`, `toRawJson`, `mustToPrettyJson`, `mustToRawJson`.
//!
//! (`toJson`, `mustToJson`, `fromJson` are Helm's own; `compact` lives with the lists.)

use super::conv::{arg, bool_arg};
use super::{Env, FnError, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    r.add_variadic("default", &[Ty::Any], Ty::Any, default);
    r.add("empty", &[Ty::Any], empty_fn);
    r.add_variadic("coalesce", &[], Ty::Any, coalesce);
    r.add_variadic("all", &[], Ty::Any, all);
    r.add_variadic("any", &[], Ty::Any, any);
    r.add("ternary", &[Ty::Any, Ty::Any, Ty::Bool], ternary);
    r.add("toPrettyJson", &[Ty::Any], to_pretty_json);
    r.add("mustToPrettyJson", &[Ty::Any], must_to_pretty_json);
    r.add("toRawJson", &[Ty::Any], to_raw_json);
    r.add("mustToRawJson", &[Ty::Any], to_raw_json);
}

/// Sprig's `empty`: nil, `false`, zero numbers, and empty strings, lists and maps are empty;
/// structs and non-nil pointers never are.
pub(crate) fn empty(v: &Val) -> bool {
    match v {
        Val::NoValue | Val::Nil => true,
        Val::Bool(b) => !b,
        Val::Int(n) | Val::Int64(n) => *n == 0,
        Val::Float(f) => *f == 0.0,
        Val::Str(s) => s.is_empty(),
        Val::Bytes(b) => b.is_empty(),
        Val::List(l) => l.items.is_empty(),
        Val::Map(m) => m.map.borrow().is_empty(),
        Val::Obj(o) => match o.kind() {
            "map" | "slice" | "array" | "string" => o.length() == Some(0),
            _ => false,
        },
    }
}

/// `default d [given]`: `given` unless it is missing or empty.
fn default(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    match args.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(arg(&args, 0)),
    }
}

fn empty_fn(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(empty(&arg(&args, 0))))
}

/// `coalesce v...`: the first non-empty value, nil when there is none.
fn coalesce(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(args.into_iter().find(|v| !empty(v)).unwrap_or(Val::Nil))
}

/// `all v...`: whether no value is empty (true for none).
fn all(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(args.iter().all(|v| !empty(v))))
}

/// `any v...`: whether some value is not empty (false for none).
fn any(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(args.iter().any(|v| !empty(v))))
}

/// `ternary vt vf cond`.
fn ternary(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(if bool_arg(&args, 2) { arg(&args, 0) } else { arg(&args, 1) })
}

/// `json.MarshalIndent(v, "", "  ")`, which (unlike `to_json_pretty`) escapes `<`, `>` and `&`
/// as `encoding/json` does by default. Those characters only occur inside JSON strings, so
/// escaping them in the whole text is the same as escaping them in each string.
fn pretty_json(v: &Val) -> Result<String, FnError> {
    let text = v.to_value().to_json_pretty().map_err(|e| FnError::new(e.to_string()))?;
    Ok(text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

/// `toPrettyJson`: indented JSON, `""` when the value cannot be encoded (NaN, infinities).
fn to_pretty_json(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(pretty_json(&arg(&args, 0)).unwrap_or_default()))
}

fn must_to_pretty_json(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(pretty_json(&arg(&args, 0))?))
}

/// `toRawJson`/`mustToRawJson`: compact JSON without HTML escaping. Both fail on values JSON
/// cannot hold (`json: unsupported value: NaN`): sprig's `toRawJson` panics with the error.
fn to_raw_json(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let text = arg(&args, 0).to_value().to_json(false).map_err(|e| FnError::new(e.to_string()))?;
    Ok(Val::str(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::funcs::testing::{out, run};

    fn s(t: &str) -> Val {
        Val::str(t)
    }

    fn map(entries: &[(&str, Val)]) -> Val {
        Val::map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn default_like_helm() {
        // helm: default "d" of a missing value, "", 0, false, {} → d; of "set" → set
        for given in [Val::Nil, s(""), Val::Float(0.0), Val::Bool(false), map(&[])] {
            assert_eq!(out(default, vec![s("d"), given.clone()]), "d", "{given:?}");
        }
        assert_eq!(out(default, vec![s("d"), s("set")]), "set");
        // helm: {{ default true false }} → true; {{ default "d" "0" }} → 0;
        //       {{ default "d" (int64 0) }} → d; {{ default "d" (list nil) }} → [<nil>]
        assert_eq!(out(default, vec![Val::Bool(true), Val::Bool(false)]), "true");
        assert_eq!(out(default, vec![s("d"), s("0")]), "0");
        assert_eq!(out(default, vec![s("d"), Val::Int64(0)]), "d");
        assert_eq!(out(default, vec![s("d"), Val::list(vec![Val::Nil])]), "[<nil>]");
        assert_eq!(out(default, vec![s("d")]), "d");
        assert_eq!(out(default, vec![s("d"), s(" ")]), " ");
    }

    #[test]
    fn empty_all_any_coalesce_like_helm() {
        // helm: {{ empty (int64 0) }} {{ empty (float64 0) }} {{ empty (toString 0) }}
        //       → true true false
        assert_eq!(out(empty_fn, vec![Val::Int64(0)]), "true");
        assert_eq!(out(empty_fn, vec![Val::Float(0.0)]), "true");
        assert_eq!(out(empty_fn, vec![s("0")]), "false");
        // helm: {{ all 1 "a" true }} {{ all 1 "" }} {{ any 0 "" "x" }} {{ any 0 nil }}
        //       → true false true false
        assert_eq!(out(all, vec![Val::Int(1), s("a"), Val::Bool(true)]), "true");
        assert_eq!(out(all, vec![Val::Int(1), s("")]), "false");
        assert_eq!(out(any, vec![Val::Int(0), s(""), s("x")]), "true");
        assert_eq!(out(any, vec![Val::Int(0), Val::Nil]), "false");
        // helm: {{ coalesce (list) (dict) (list 1) }} → [1]
        let args = vec![Val::list(vec![]), map(&[]), Val::list(vec![Val::Int(1)])];
        assert_eq!(out(coalesce, args), "[1]");
        assert!(matches!(run(coalesce, vec![Val::Int(0)]), Ok(Val::Nil)));
    }

    #[test]
    fn ternary_like_helm() {
        // helm: {{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }} → yes no
        assert_eq!(out(ternary, vec![s("yes"), s("no"), Val::Bool(true)]), "yes");
        assert_eq!(out(ternary, vec![s("yes"), s("no"), Val::Bool(false)]), "no");
    }

    #[test]
    fn json_like_helm() {
        // helm: {{ toPrettyJson (dict "a" "<&>" "b" (list 1 2) "c" (dict) "d" (list)) }}
        let v = map(&[
            ("a", s("<&>")),
            ("b", Val::list(vec![Val::Int(1), Val::Int(2)])),
            ("c", map(&[])),
            ("d", Val::list(vec![])),
        ]);
        let want = "{\n  \"a\": \"\\u003c\\u0026\\u003e\",\n  \"b\": [\n    1,\n    2\n  ],\n  \
                    \"c\": {},\n  \"d\": []\n}";
        assert_eq!(out(to_pretty_json, vec![v]), want);
        // helm: {{ toRawJson (dict "a" "<&>") }} → {"a":"<&>"}
        assert_eq!(out(to_raw_json, vec![map(&[("a", s("<&>"))])]), "{\"a\":\"<&>\"}");
        // helm: toPrettyJson of NaN → ""; toRawJson, mustToRawJson and mustToPrettyJson fail.
        let nan = Val::Float(f64::NAN);
        assert_eq!(out(to_pretty_json, vec![nan.clone()]), "");
        let msg = "json: unsupported value: NaN";
        assert_eq!(run(to_raw_json, vec![nan.clone()]).expect_err("fails").message, msg);
        assert_eq!(run(must_to_pretty_json, vec![nan]).expect_err("fails").message, msg);
    }
}
