//! Sprig's reflection functions: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`,
//! `deepEqual`. Types print as Go's `%T` (`[]interface {}`, `map[string]interface {}`, `<nil>`),
//! kinds as `reflect.Kind` (`slice`, `map`, `invalid` for nil).

use super::conv::{arg, str_arg};
use super::{Env, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    r.add("typeOf", &[Ty::Any], type_of);
    r.add("typeIs", &[Ty::Str, Ty::Any], type_is);
    r.add("typeIsLike", &[Ty::Str, Ty::Any], type_is_like);
    r.add("kindOf", &[Ty::Any], kind_of);
    r.add("kindIs", &[Ty::Str, Ty::Any], kind_is);
    r.add("deepEqual", &[Ty::Any, Ty::Any], deep_equal);
}

fn type_of(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(arg(&args, 0).type_name()))
}

fn type_is(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(str_arg(&args, 0) == arg(&args, 1).type_name()))
}

/// `typeIsLike t v`: the type is `t` or `*t`.
fn type_is_like(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let (target, actual) = (str_arg(&args, 0), arg(&args, 1).type_name());
    Ok(Val::Bool(target == actual || actual.strip_prefix('*') == Some(target)))
}

fn kind_of(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::str(arg(&args, 0).kind_name()))
}

fn kind_is(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(str_arg(&args, 0) == arg(&args, 1).kind_name()))
}

/// `deepEqual a b`: Go's `reflect.DeepEqual`, types included (`1` and `1.0` differ).
fn deep_equal(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(arg(&args, 0).deep_equal(&arg(&args, 1))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funcs::{FixedClock, SeededRandom};
    use crate::value::{Elem, MapKind};
    use std::collections::BTreeMap;
    use std::time::UNIX_EPOCH;

    type Body = fn(&mut Env<'_>, Vec<Val>) -> FnResult;

    fn out(f: Body, args: Vec<Val>) -> String {
        let mut random = SeededRandom(1);
        let clock = FixedClock(UNIX_EPOCH);
        let mut env = Env { random: &mut random, clock: &clock, lint: None };
        f(&mut env, args).expect("no error").fmt_v()
    }

    fn s(t: &str) -> Val {
        Val::str(t)
    }

    #[test]
    fn type_of_like_helm() {
        // helm: typeOf of values i: 1, f: 1.5, s: x, b: true, l: [], m: {}, nul: null
        //       → float64 float64 string bool []interface {} map[string]interface {} <nil>
        let values = [
            Val::Float(1.0),
            Val::Float(1.5),
            s("x"),
            Val::Bool(true),
            Val::list(vec![]),
            Val::map(BTreeMap::new()),
            Val::Nil,
        ];
        let got: Vec<String> = values.into_iter().map(|v| out(type_of, vec![v])).collect();
        let want =
            ["float64", "float64", "string", "bool", "[]interface {}", "map[string]interface {}"];
        assert_eq!(got[..6], want);
        assert_eq!(got[6], "<nil>");
        // helm: {{ typeOf 1 }} {{ typeOf (until 2) }} → int []int
        assert_eq!(out(type_of, vec![Val::Int(1)]), "int");
        assert_eq!(out(type_of, vec![Val::typed_list(Elem::Int, vec![])]), "[]int");
    }

    #[test]
    fn kinds_like_helm() {
        // helm: {{ kindOf 1 }} {{ kindOf 1.5 }} {{ kindOf (int64 1) }} {{ kindOf true }}
        //       {{ kindOf nil }} → int float64 int64 bool invalid
        let values = [Val::Int(1), Val::Float(1.5), Val::Int64(1), Val::Bool(true), Val::Nil];
        let got: Vec<String> = values.into_iter().map(|v| out(kind_of, vec![v])).collect();
        assert_eq!(got, ["int", "float64", "int64", "bool", "invalid"]);
        // helm: {{ kindOf (dict) }} {{ kindOf (list) }} → map slice; .Values is a map too
        assert_eq!(out(kind_of, vec![Val::map_of(MapKind::Values, BTreeMap::new())]), "map");
        assert_eq!(out(kind_of, vec![Val::list(vec![])]), "slice");
        // helm: {{ kindIs "map" .Values.m }} {{ kindIs "float64" .Values.n }}
        //       {{ kindIs "int" .Values.n }} → true true false
        assert_eq!(out(kind_is, vec![s("map"), Val::map(BTreeMap::new())]), "true");
        assert_eq!(out(kind_is, vec![s("float64"), Val::Float(3.0)]), "true");
        assert_eq!(out(kind_is, vec![s("int"), Val::Float(3.0)]), "false");
    }

    #[test]
    fn type_is_like_helm() {
        // helm: {{ typeIsLike "string" "x" }} {{ typeIsLike "map[string]interface {}" .Values.m }}
        //       {{ typeIsLike "*string" "x" }} → true true false
        assert_eq!(out(type_is_like, vec![s("string"), s("x")]), "true");
        let m = Val::map(BTreeMap::new());
        assert_eq!(out(type_is_like, vec![s("map[string]interface {}"), m]), "true");
        assert_eq!(out(type_is_like, vec![s("*string"), s("x")]), "false");
        assert_eq!(out(type_is, vec![s("int"), Val::Int(1)]), "true");
        assert_eq!(out(type_is, vec![s("int"), Val::Int64(1)]), "false");
    }

    #[test]
    fn deep_equal_like_helm() {
        // helm: {{ deepEqual .Values.l (list "a") }} with l: [a] → true
        let l = Val::list(vec![s("a")]);
        assert_eq!(out(deep_equal, vec![l.clone(), Val::list(vec![s("a")])]), "true");
        assert_eq!(out(deep_equal, vec![Val::Int(1), Val::Float(1.0)]), "false");
        assert_eq!(out(deep_equal, vec![l, Val::str_list(["a"])]), "false");
    }
}
