//! Sprig's list functions: `list`, `first`, `rest`, `last`, `initial`, `append`/`push`,
//! `prepend`, `concat`, `reverse`, `uniq`, `without`, `has`, `compact`, `slice`, `chunk`, and
//! their `must*` forms.
//!
//! Like sprig (which uses reflection), they accept any slice (`[]string`, `[]int`, `[]byte`...)
//! and return a new `[]interface {}`; the input is never changed. A nil list makes most of them
//! fail with Go's nil pointer panic, since sprig asks nil for its kind. The `must*` forms behave
//! exactly like the plain ones: in sprig the plain ones panic with the same error.

use super::conv::{arg, int_arg, to_int};
use super::defaults::empty;
use super::{Env, FnError, FnResult, Registry, Ty};
use crate::value::Val;

pub(crate) fn register(r: &mut Registry) {
    r.add_variadic("list", &[], Ty::Any, list);
    r.add_variadic("tuple", &[], Ty::Any, list);
    for name in ["append", "push", "mustAppend", "mustPush"] {
        r.add(name, &[Ty::Any, Ty::Any], push);
    }
    r.add("prepend", &[Ty::Any, Ty::Any], prepend);
    r.add("mustPrepend", &[Ty::Any, Ty::Any], prepend);
    r.add("first", &[Ty::Any], first);
    r.add("mustFirst", &[Ty::Any], first);
    r.add("rest", &[Ty::Any], rest);
    r.add("mustRest", &[Ty::Any], rest);
    r.add("last", &[Ty::Any], last);
    r.add("mustLast", &[Ty::Any], last);
    r.add("initial", &[Ty::Any], initial);
    r.add("mustInitial", &[Ty::Any], initial);
    r.add("reverse", &[Ty::Any], reverse);
    r.add("mustReverse", &[Ty::Any], reverse);
    r.add("uniq", &[Ty::Any], uniq);
    r.add("mustUniq", &[Ty::Any], uniq);
    r.add("compact", &[Ty::Any], compact);
    r.add("mustCompact", &[Ty::Any], compact);
    r.add_variadic("without", &[Ty::Any], Ty::Any, without);
    r.add_variadic("mustWithout", &[Ty::Any], Ty::Any, without);
    r.add("has", &[Ty::Any, Ty::Any], has);
    r.add("mustHas", &[Ty::Any, Ty::Any], has);
    r.add_variadic("slice", &[Ty::Any], Ty::Any, slice);
    r.add_variadic("mustSlice", &[Ty::Any], Ty::Any, slice);
    r.add_variadic("concat", &[], Ty::Any, concat);
    r.add("chunk", &[Ty::Int, Ty::Any], chunk);
    r.add("mustChunk", &[Ty::Int, Ty::Any], chunk);
}

/// Go's panic when sprig asks a nil interface for its type's kind.
pub(crate) const NIL_DEREFERENCE: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// The elements of a Go slice as `reflect.Value.Index(i).Interface()` yields them, or `Err` with
/// the value's kind name for the caller's message. Nil is Go's nil pointer panic.
///
/// `[]byte` elements are `uint8` in Go; they come out as `int` here (the value model has no
/// `uint8`), which prints the same.
fn elements(v: &Val) -> Result<Result<Vec<Val>, &'static str>, FnError> {
    match v {
        Val::Nil | Val::NoValue => Err(FnError::new(NIL_DEREFERENCE)),
        Val::List(l) => Ok(Ok(l.items.clone())),
        Val::Bytes(b) => Ok(Ok(b.iter().map(|x| Val::Int(i64::from(*x))).collect())),
        other => Ok(Err(other.kind_name())),
    }
}

/// [`elements`], with `message` built from the kind of a non-slice.
fn items_or(v: &Val, message: impl FnOnce(&str) -> String) -> Result<Vec<Val>, FnError> {
    elements(v)?.map_err(|kind| FnError::new(message(kind)))
}

fn list(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::list(args))
}

/// `append`/`push list v`: a copy of the list with `v` added at the end.
fn push(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut items = items_or(&arg(&args, 0), |k| format!("Cannot push on type {k}"))?;
    items.push(arg(&args, 1));
    Ok(Val::list(items))
}

fn prepend(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot prepend on type {k}"))?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(arg(&args, 1));
    out.extend(items);
    Ok(Val::list(out))
}

/// `first`: the first element, nil for an empty list.
fn first(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot find first on type {k}"))?;
    Ok(items.into_iter().next().unwrap_or(Val::Nil))
}

fn last(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot find last on type {k}"))?;
    Ok(items.into_iter().next_back().unwrap_or(Val::Nil))
}

/// `rest`: all but the first element (an empty `[]interface {}` for an empty list).
fn rest(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot find rest on type {k}"))?;
    Ok(Val::list(items.into_iter().skip(1).collect()))
}

fn initial(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut items = items_or(&arg(&args, 0), |k| format!("Cannot find initial on type {k}"))?;
    items.pop();
    Ok(Val::list(items))
}

fn reverse(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut items = items_or(&arg(&args, 0), |k| format!("Cannot find reverse on type {k}"))?;
    items.reverse();
    Ok(Val::list(items))
}

/// Whether `needle` is deeply equal (types included) to an element of `haystack`.
fn in_list(haystack: &[Val], needle: &Val) -> bool {
    haystack.iter().any(|h| needle.deep_equal(h))
}

/// `uniq`: the elements without repeats, first occurrence kept. Equality is Go's
/// `reflect.DeepEqual`, so `1`, `1.0` and `int64 1` all stay.
fn uniq(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot find uniq on type {k}"))?;
    let mut out: Vec<Val> = Vec::new();
    for item in items {
        if !in_list(&out, &item) {
            out.push(item);
        }
    }
    Ok(Val::list(out))
}

/// `compact`: the elements that are not empty (see `empty`).
fn compact(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot compact on type {k}"))?;
    Ok(Val::list(items.into_iter().filter(|v| !empty(v)).collect()))
}

/// `without list v...`: the elements not deeply equal to any of the `v`s.
fn without(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let items = items_or(&arg(&args, 0), |k| format!("Cannot find without on type {k}"))?;
    let omit = args.get(1..).unwrap_or_default();
    Ok(Val::list(items.into_iter().filter(|v| !in_list(omit, v)).collect()))
}

/// `has needle list`: false for a nil list.
fn has(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let haystack = arg(&args, 1);
    if haystack.is_nil() {
        return Ok(Val::Bool(false));
    }
    let items = items_or(&haystack, |k| format!("Cannot find has on type {k}"))?;
    Ok(Val::Bool(in_list(&items, &arg(&args, 0))))
}

/// `slice list [start [end]]`: Go's `list[start:end]`, of the list's own type; nil for an
/// empty list. Out-of-range indexes are Go's panic.
fn slice(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    const OUT_OF_BOUNDS: &str = "reflect.Value.Slice: slice index out of bounds";
    let v = arg(&args, 0);
    let len = match &v {
        Val::Nil | Val::NoValue => return Err(FnError::new(NIL_DEREFERENCE)),
        Val::List(l) => l.items.len(),
        Val::Bytes(b) => b.len(),
        other => {
            return Err(FnError::new(format!(
                "list should be type of slice or array but {}",
                other.kind_name()
            )));
        }
    };
    if len == 0 {
        return Ok(Val::Nil);
    }
    let start = if args.len() > 1 { to_int(&args[1]) } else { 0 };
    let end = if args.len() > 2 { to_int(&args[2]) } else { len as i64 };
    let (start, end) = match (usize::try_from(start), usize::try_from(end)) {
        (Ok(s), Ok(e)) if s <= e && e <= len => (s, e),
        _ => return Err(FnError::new(OUT_OF_BOUNDS)),
    };
    Ok(match v {
        Val::List(l) => Val::typed_list(l.elem, l.items[start..end].to_vec()),
        Val::Bytes(b) => Val::Bytes(b[start..end].into()),
        other => other,
    })
}

/// `concat list...`: the elements of every list, in order (`[]` when there are none).
fn concat(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut out = Vec::new();
    for v in &args {
        out.extend(items_or(v, |k| format!("Cannot concat type {k} as list"))?);
    }
    Ok(Val::list(out))
}

/// `chunk size list`: the list cut into lists of `size` elements, the last one shorter.
///
/// Sprig computes the chunk count and lengths in float64, so a size of 0 or below usually ends in
/// Go's `makeslice` panic; the arithmetic here follows it step by step. (Go types the result
/// `[][]interface {}`; here it is a list of lists.)
fn chunk(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    const MAKESLICE: &str = "runtime error: makeslice: len out of range";
    let size = int_arg(&args, 0);
    let items = items_or(&arg(&args, 1), |k| format!("Cannot chunk type {k}"))?;
    let len = items.len() as i64;
    let (lf, sf) = (len as f64, size as f64);
    let count = super::conv::float_to_int64(((lf - 1.0) / sf).floor() + 1.0);
    if count < 0 {
        return Err(FnError::new(MAKESLICE));
    }
    let mut out = Vec::new();
    for i in 0..count {
        let mut clen = size;
        if i == count - 1 {
            clen = super::conv::float_to_int64((lf % sf).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(FnError::new(MAKESLICE));
        }
        let begin = i.saturating_mul(size);
        let mut part = Vec::new();
        for j in 0..clen {
            let ix = usize::try_from(begin.saturating_add(j)).ok();
            match ix.and_then(|ix| items.get(ix)) {
                Some(v) => part.push(v.clone()),
                None => return Err(FnError::new("reflect: slice index out of range")),
            }
        }
        out.push(Val::list(part));
    }
    Ok(Val::list(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Elem;
    use std::collections::BTreeMap;

    use crate::funcs::testing::{err, out, run};

    use Val::{Float as F, Int as I};

    fn l(items: Vec<Val>) -> Val {
        Val::list(items)
    }

    fn s(t: &str) -> Val {
        Val::str(t)
    }

    fn strs(items: &[&str]) -> Val {
        Val::str_list(items.iter().copied())
    }

    #[test]
    fn first_rest_last_initial_like_helm() {
        // helm: {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ rest (list) }}
        //       {{ initial (list) }} → [2 3] [1 2] [] []
        assert_eq!(out(rest, vec![l(vec![I(1), I(2), I(3)])]), "[2 3]");
        assert_eq!(out(initial, vec![l(vec![I(1), I(2), I(3)])]), "[1 2]");
        assert_eq!(out(rest, vec![l(vec![])]), "[]");
        assert_eq!(out(initial, vec![l(vec![])]), "[]");
        // helm: {{ typeOf (rest (list)) }} {{ typeOf (first (list)) }} → []interface {} <nil>
        assert_eq!(run(rest, vec![l(vec![])]).expect("rest").type_name(), "[]interface {}");
        assert!(matches!(run(first, vec![l(vec![])]), Ok(Val::Nil)));
        // helm: values list [x, 'y']: {{ first .Values.l }} {{ last .Values.l }} → x y
        assert_eq!(out(first, vec![l(vec![s("x"), s("y")])]), "x");
        assert_eq!(out(last, vec![l(vec![s("x"), s("y")])]), "y");
        // helm: {{ mustLast (list 1 2) }} {{ mustRest (list 1 2) }} {{ mustInitial (list 1 2) }}
        assert_eq!(out(last, vec![l(vec![I(1), I(2)])]), "2");
        assert_eq!(out(rest, vec![l(vec![I(1), I(2)])]), "[2]");
        assert_eq!(out(initial, vec![l(vec![I(1), I(2)])]), "[1]");
    }

    #[test]
    fn errors_like_helm() {
        // helm: [{{ first .Values.nope }}] → error calling first: runtime error: invalid memory
        // address or nil pointer dereference; the same for append, concat and chunk.
        assert_eq!(err(first, vec![Val::Nil]), NIL_DEREFERENCE);
        assert_eq!(err(push, vec![Val::Nil, I(1)]), NIL_DEREFERENCE);
        assert_eq!(err(concat, vec![l(vec![I(1)]), Val::Nil]), NIL_DEREFERENCE);
        assert_eq!(err(chunk, vec![I(2), Val::Nil]), NIL_DEREFERENCE);
        // helm: {{ mustAppend "str" 1 }} → Cannot push on type string;
        //       {{ append (dict "a" 1) 2 }} → Cannot push on type map
        assert_eq!(err(push, vec![s("str"), I(1)]), "Cannot push on type string");
        assert_eq!(err(push, vec![Val::map(BTreeMap::new()), I(2)]), "Cannot push on type map");
        // helm: {{ mustFirst "x" }} → Cannot find first on type string;
        //       {{ mustPrepend 5 1 }} → Cannot prepend on type int
        assert_eq!(err(first, vec![s("x")]), "Cannot find first on type string");
        assert_eq!(err(prepend, vec![I(5), I(1)]), "Cannot prepend on type int");
        // helm: has/mustHas/reverse/uniq/compact/mustWithout/last/rest/initial/chunk/concat of
        // non-lists.
        assert_eq!(err(has, vec![I(1), s("abc")]), "Cannot find has on type string");
        assert_eq!(err(has, vec![I(1), I(5)]), "Cannot find has on type int");
        assert_eq!(err(reverse, vec![s("abc")]), "Cannot find reverse on type string");
        assert_eq!(err(uniq, vec![I(5)]), "Cannot find uniq on type int");
        assert_eq!(err(compact, vec![I(5)]), "Cannot compact on type int");
        assert_eq!(err(without, vec![I(5), I(1)]), "Cannot find without on type int");
        assert_eq!(err(last, vec![I(5)]), "Cannot find last on type int");
        assert_eq!(err(rest, vec![I(5)]), "Cannot find rest on type int");
        assert_eq!(err(initial, vec![I(5)]), "Cannot find initial on type int");
        assert_eq!(err(chunk, vec![I(2), s("abc")]), "Cannot chunk type string");
        assert_eq!(err(concat, vec![l(vec![I(1)]), s("x")]), "Cannot concat type string as list");
    }

    #[test]
    fn append_prepend_concat_like_helm() {
        // helm: {{ append (list 1 2) 3 }} {{ append .Values.l "z" }} → [1 2 3] [x z]
        assert_eq!(out(push, vec![l(vec![I(1), I(2)]), I(3)]), "[1 2 3]");
        assert_eq!(out(push, vec![l(vec![s("x")]), s("z")]), "[x z]");
        // helm: {{ typeOf (append .Values.l 1) }} → []interface {}, also from a []string
        let appended = run(push, vec![strs(&["a"]), I(1)]).expect("append");
        assert_eq!(appended.type_name(), "[]interface {}");
        // helm: {{ prepend (list 2 3) 1 }} → [1 2 3]
        assert_eq!(out(prepend, vec![l(vec![I(2), I(3)]), I(1)]), "[1 2 3]");
        // helm: {{ concat (list 1) (list 2 3) (list) .Values.l }} → [1 2 3 a];
        //       {{ concat }} {{ typeOf concat }} → [] []interface {}
        let lists = vec![l(vec![I(1)]), l(vec![I(2), I(3)]), l(vec![]), l(vec![s("a")])];
        assert_eq!(out(concat, lists), "[1 2 3 a]");
        assert_eq!(out(concat, vec![]), "[]");
        assert_eq!(run(concat, vec![]).expect("concat").type_name(), "[]interface {}");
    }

    #[test]
    fn reverse_uniq_without_has_compact_like_helm() {
        // helm: {{ reverse (list 1 2 3) }} {{ reverse (list) }} → [3 2 1] []
        assert_eq!(out(reverse, vec![l(vec![I(1), I(2), I(3)])]), "[3 2 1]");
        assert_eq!(out(reverse, vec![l(vec![])]), "[]");
        // helm: {{ uniq (list 1 2 1 "1" 2 "a" "a") }} → [1 2 1 a]
        let items = vec![I(1), I(2), I(1), s("1"), I(2), s("a"), s("a")];
        assert_eq!(out(uniq, vec![l(items)]), "[1 2 1 a]");
        // helm: {{ uniq (list 1 1.0 (int64 1)) }} → [1 1 1]
        assert_eq!(out(uniq, vec![l(vec![I(1), F(1.0), Val::Int64(1)])]), "[1 1 1]");
        // helm: {{ uniq (list (dict "a" 1) (dict "a" 1) (dict "a" 2)) }} → [map[a:1] map[a:2]]
        let d = |n| Val::map(BTreeMap::from([("a".to_string(), I(n))]));
        assert_eq!(out(uniq, vec![l(vec![d(1), d(1), d(2)])]), "[map[a:1] map[a:2]]");
        // helm: {{ without (list 1 2 3 1) 1 3 }} {{ has "a" (splitList "," "a,b") }}
        //       {{ has 1 (list 1.0) }} → [2] true false
        assert_eq!(out(without, vec![l(vec![I(1), I(2), I(3), I(1)]), I(1), I(3)]), "[2]");
        assert_eq!(out(has, vec![s("a"), strs(&["a", "b"])]), "true");
        assert_eq!(out(has, vec![I(1), l(vec![F(1.0)])]), "false");
        // helm: {{ has 1 .Values.nope }} → false
        assert_eq!(out(has, vec![I(1), Val::Nil]), "false");
        // helm: {{ compact (list 0 "" nil false (list) (dict) 1 "a") }} → [1 a]
        let mixed = vec![
            I(0),
            s(""),
            Val::Nil,
            Val::Bool(false),
            l(vec![]),
            Val::map(BTreeMap::new()),
            I(1),
            s("a"),
        ];
        assert_eq!(out(compact, vec![l(mixed)]), "[1 a]");
    }

    #[test]
    fn slice_like_helm() {
        // helm: {{ slice (list 1 2 3 4) 1 3 }} {{ slice (list 1 2 3 4) 2 }} {{ slice (list 1 2 3) }}
        //       → [2 3] [3 4] [1 2 3]
        let four = l(vec![I(1), I(2), I(3), I(4)]);
        assert_eq!(out(slice, vec![four.clone(), I(1), I(3)]), "[2 3]");
        assert_eq!(out(slice, vec![four, I(2)]), "[3 4]");
        assert_eq!(out(slice, vec![l(vec![I(1), I(2), I(3)])]), "[1 2 3]");
        // helm: {{ slice (list 1 2) 3 }}, {{ slice (list 1 2 3) 2 1 }}, {{ slice (list 1 2) -1 }}
        //       → reflect.Value.Slice: slice index out of bounds
        let oob = "reflect.Value.Slice: slice index out of bounds";
        assert_eq!(err(slice, vec![l(vec![I(1), I(2)]), I(3)]), oob);
        assert_eq!(err(slice, vec![l(vec![I(1), I(2), I(3)]), I(2), I(1)]), oob);
        assert_eq!(err(slice, vec![l(vec![I(1), I(2)]), I(-1)]), oob);
        // helm: {{ slice "abcdef" 1 3 }} → list should be type of slice or array but string
        assert_eq!(
            err(slice, vec![s("abcdef"), I(1), I(3)]),
            "list should be type of slice or array but string"
        );
        // helm: {{ typeOf (slice (list) 1) }} → <nil>;
        //       {{ slice (splitList "," "a,b,c") 1 | typeOf }} → []string
        assert!(matches!(run(slice, vec![l(vec![]), I(1)]), Ok(Val::Nil)));
        let sliced = run(slice, vec![strs(&["a", "b", "c"]), I(1)]).expect("slice");
        assert!(matches!(&sliced, Val::List(l) if l.elem == Elem::Str && l.items.len() == 2));
    }

    #[test]
    fn chunk_like_helm() {
        // helm: {{ chunk 2 (list 1 2 3) }} {{ chunk 3 (list) }} {{ chunk -3 (list 1 2) }}
        //       → [[1 2] [3]] [] []
        assert_eq!(out(chunk, vec![I(2), l(vec![I(1), I(2), I(3)])]), "[[1 2] [3]]");
        assert_eq!(out(chunk, vec![I(3), l(vec![])]), "[]");
        assert_eq!(out(chunk, vec![I(-3), l(vec![I(1), I(2)])]), "[]");
        assert_eq!(out(chunk, vec![I(2), l(vec![I(1), I(2)])]), "[[1 2]]");
        // helm: {{ chunk 0 (list 1 2) }}, {{ chunk -1 (list 1 2 3) }}
        //       → runtime error: makeslice: len out of range
        let makeslice = "runtime error: makeslice: len out of range";
        assert_eq!(err(chunk, vec![I(0), l(vec![I(1), I(2)])]), makeslice);
        assert_eq!(err(chunk, vec![I(-1), l(vec![I(1), I(2), I(3)])]), makeslice);
        assert_eq!(err(chunk, vec![I(0), l(vec![])]), makeslice);
    }

    #[test]
    fn list_builds_interface_slices() {
        // helm: {{ len (list nil nil) }} {{ list nil }} → 2 [<nil>]
        assert_eq!(out(list, vec![Val::Nil]), "[<nil>]");
        assert_eq!(run(list, vec![]).expect("list").type_name(), "[]interface {}");
    }
}
