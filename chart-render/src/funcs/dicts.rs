//! Sprig's dictionary functions: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`, `keys`,
//! `values`, `pick`, `omit`, `merge`, `mergeOverwrite` (and `must*` forms), `deepCopy`,
//! `mustDeepCopy`, `dig`.
//!
//! Maps are shared as Go maps are: `set`, `unset` and the merges change the map every holder sees
//! and return that same map. Go iterates maps in random order, so the order of `keys` and
//! `values` is unspecified there; here it is the keys' byte order.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::conv::{arg, str_arg};
use super::defaults::empty;
use super::{Env, FnError, FnResult, Registry, Ty};
use crate::value::{Dict, List, MapKind, Val};

/// How deeply `merge` and `deepCopy` follow nested maps and lists. A map that contains itself
/// makes Go recurse until its stack overflows; this turns that into an error.
const MAX_NESTING: usize = 1000;

pub(crate) fn register(r: &mut Registry) {
    r.add_variadic("dict", &[], Ty::Any, dict);
    r.add("get", &[Ty::Map, Ty::Str], get);
    r.add("set", &[Ty::Map, Ty::Str, Ty::Any], set);
    r.add("unset", &[Ty::Map, Ty::Str], unset);
    r.add("hasKey", &[Ty::Map, Ty::Str], has_key);
    r.add_variadic("pluck", &[Ty::Str], Ty::Map, pluck);
    r.add_variadic("keys", &[], Ty::Map, keys);
    r.add("values", &[Ty::Map], values);
    r.add_variadic("pick", &[Ty::Map], Ty::Str, pick);
    r.add_variadic("omit", &[Ty::Map], Ty::Str, omit);
    r.add_variadic("merge", &[Ty::Map], Ty::Map, merge);
    r.add_variadic("mustMerge", &[Ty::Map], Ty::Map, merge);
    r.add_variadic("mergeOverwrite", &[Ty::Map], Ty::Map, merge_overwrite);
    r.add_variadic("mustMergeOverwrite", &[Ty::Map], Ty::Map, merge_overwrite);
    r.add("deepCopy", &[Ty::Any], deep_copy);
    r.add("mustDeepCopy", &[Ty::Any], deep_copy);
    r.add_variadic("dig", &[], Ty::Any, dig);
}

/// The map argument `i` (declared `map[string]interface {}`); a fresh empty map if the caller
/// passed something else.
fn map_arg(args: &[Val], i: usize) -> Rc<Dict> {
    match args.get(i) {
        Some(Val::Map(m)) => Rc::clone(m),
        _ => Rc::new(Dict { kind: MapKind::Any, map: Default::default() }),
    }
}

/// Sprig's `strval`, which `dict` applies to keys: strings as they are, `[]byte` as text, values
/// with a `String` method through it, anything else as `%v` (nil is `<nil>`).
fn strval(v: &Val) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Val::Obj(o) => o.fmt_v(),
        other => {
            let mut out = String::new();
            other.write_v(&mut out, false);
            out
        }
    }
}

/// `dict k v ...`: a new map; keys go through `strval`, a key without a value maps to `""`.
fn dict(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut map = BTreeMap::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Val::str(""));
        map.insert(strval(&pair[0]), value);
    }
    Ok(Val::map(map))
}

/// `get map key`: the value, or `""` when the key is absent.
fn get(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let value = map_arg(&args, 0).map.borrow().get(str_arg(&args, 1)).cloned();
    Ok(value.unwrap_or_else(|| Val::str("")))
}

fn set(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let m = map_arg(&args, 0);
    m.map.borrow_mut().insert(str_arg(&args, 1).to_string(), arg(&args, 2));
    Ok(Val::Map(m))
}

fn unset(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let m = map_arg(&args, 0);
    m.map.borrow_mut().remove(str_arg(&args, 1));
    Ok(Val::Map(m))
}

/// `hasKey map key`: whether the key is present (even with a nil value).
fn has_key(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::Bool(map_arg(&args, 0).map.borrow().contains_key(str_arg(&args, 1))))
}

/// `pluck key map...`: the values of `key` in the maps that have it.
fn pluck(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let key = str_arg(&args, 0);
    let found = (1..args.len()).filter_map(|i| map_arg(&args, i).map.borrow().get(key).cloned());
    Ok(Val::list(found.collect()))
}

/// `keys map...`: a `[]string` of every map's keys, map after map.
fn keys(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let mut out: Vec<String> = Vec::new();
    for i in 0..args.len() {
        out.extend(map_arg(&args, i).map.borrow().keys().cloned());
    }
    Ok(Val::str_list(out))
}

fn values(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    Ok(Val::list(map_arg(&args, 0).map.borrow().values().cloned().collect()))
}

/// `pick map key...`: a new map with just those keys (the ones present).
fn pick(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let src = map_arg(&args, 0);
    let src = src.map.borrow();
    let picked = (1..args.len())
        .filter_map(|i| {
            let k = str_arg(&args, i);
            src.get(k).map(|v| (k.to_string(), v.clone()))
        })
        .collect();
    Ok(Val::map(picked))
}

/// `omit map key...`: a new map without those keys.
fn omit(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let src = map_arg(&args, 0);
    let omitted: Vec<&str> = (1..args.len()).map(|i| str_arg(&args, i)).collect();
    let kept = src
        .map
        .borrow()
        .iter()
        .filter(|(k, _)| !omitted.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Val::map(kept))
}

// ---------------------------------------------------------------------------------------------
// merge and mergeOverwrite: dario.cat/mergo's `Merge` / `MergeWithOverwrite` of maps.

/// Merges `src` into `dst` as mergo does for `map[string]interface {}`:
/// - a nil source value is skipped (set to nil with `overwrite`);
/// - a map source value is merged into a map destination value, recursively (the destination
///   map is changed in place);
/// - otherwise the source value is stored when `overwrite` is set, the key is missing, or the
///   destination value is empty; a non-empty destination holding a map (with a map source) or
///   any value (with a list source) is kept even with `overwrite`... except that with
///   `overwrite` a list source replaces it.
///
/// Source maps and lists are stored as they are, not copied (so later changes to them show).
fn mergo(dst: &Rc<Dict>, src: &Rc<Dict>, overwrite: bool, depth: usize) -> Result<(), FnError> {
    if depth > MAX_NESTING {
        return Err(nesting_error("merge"));
    }
    // A snapshot: `dst` and `src` may be the same map.
    let entries: Vec<(String, Val)> =
        src.map.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, sv) in entries {
        let dv = dst.map.borrow().get(&key).cloned();
        if sv.is_nil() {
            if overwrite {
                store(dst, key, Val::Nil)?;
            }
            continue;
        }
        match (&sv, &dv) {
            (Val::Map(sm), Some(Val::Map(dm))) => mergo(dm, sm, overwrite, depth + 1)?,
            (Val::List(_) | Val::Bytes(_), _) if overwrite => {
                store(dst, key, sv)?;
                continue;
            }
            _ => {}
        }
        // Decided on the destination value as it is now: merging into a destination map may
        // have filled it.
        if let Some(d) = &dv {
            if !empty(d) {
                let keep = matches!(sv, Val::List(_) | Val::Bytes(_))
                    || matches!((&sv, d), (Val::Map(_), Val::Map(_)));
                if keep {
                    continue;
                }
            }
        }
        if overwrite || dv.as_ref().is_none_or(empty) {
            store(dst, key, sv)?;
        }
    }
    Ok(())
}

/// `dst[key] = value`, with Go's panic when the map holds only strings.
fn store(dst: &Rc<Dict>, key: String, value: Val) -> Result<(), FnError> {
    if dst.kind == MapKind::Str && !matches!(value, Val::Str(_)) {
        let ty = if value.is_nil() { "interface {}".to_string() } else { value.type_name() };
        return Err(FnError::new(format!(
            "reflect.Value.SetMapIndex: value of type {ty} is not assignable to type string"
        )));
    }
    dst.map.borrow_mut().insert(key, value);
    Ok(())
}

fn nesting_error(what: &str) -> FnError {
    FnError::new(format!("{what}: values nested more than {MAX_NESTING} deep (a chartkit limit)"))
}

fn merge_all(args: &[Val], overwrite: bool) -> FnResult {
    let dst = map_arg(args, 0);
    for i in 1..args.len() {
        mergo(&dst, &map_arg(args, i), overwrite, 0)?;
    }
    Ok(Val::Map(dst))
}

/// `merge dst src...`: fills `dst`'s missing and empty keys from each source, recursively;
/// returns `dst` itself.
fn merge(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    merge_all(&args, false)
}

/// `mergeOverwrite dst src...`: source values win, even empty ones (`""`, `0`, nil).
fn merge_overwrite(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    merge_all(&args, true)
}

// ---------------------------------------------------------------------------------------------
// deepCopy and dig.

/// A copy sharing no map with `v` (lists are never changed in place, but the maps inside them
/// are copied too). Map and list types are kept (`common.Values` stays `common.Values`).
fn copy_value(v: &Val, depth: usize) -> Result<Val, FnError> {
    if depth > MAX_NESTING {
        return Err(nesting_error("deepCopy"));
    }
    Ok(match v {
        Val::Map(m) => {
            let mut copied = BTreeMap::new();
            for (k, item) in m.map.borrow().iter() {
                copied.insert(k.clone(), copy_value(item, depth + 1)?);
            }
            Val::map_of(m.kind, copied)
        }
        Val::List(l) => {
            let items =
                l.items.iter().map(|x| copy_value(x, depth + 1)).collect::<Result<_, _>>()?;
            Val::List(Rc::new(List { elem: l.elem, items }))
        }
        other => other.clone(),
    })
}

/// `deepCopy v`: a deep copy. Nil is an error (copystructure asks it for its type).
fn deep_copy(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let v = arg(&args, 0);
    if v.is_nil() {
        return Err(FnError::new("reflect: call of reflect.Value.Type on zero Value"));
    }
    copy_value(&v, 0)
}

/// Go's message for a failed `x.(T)` on an `interface {}`.
fn conversion_error(v: &Val, want: &str) -> FnError {
    let got = if v.is_nil() { "nil".to_string() } else { v.type_name() };
    FnError::new(format!("interface conversion: interface {{}} is {got}, not {want}"))
}

/// The value as sprig's `x.(map[string]interface{})` sees it: Helm's `common.Values` and
/// `map[string]string` are other types and fail.
fn plain_map(v: &Val) -> Result<Rc<Dict>, FnError> {
    match v {
        Val::Map(m) if m.kind == MapKind::Any => Ok(Rc::clone(m)),
        other => Err(conversion_error(other, "map[string]interface {}")),
    }
}

/// `dig key... default map`: follows the keys through nested maps; the default when a key is
/// missing, the value (even nil) when all are found.
fn dig(_: &mut Env<'_>, args: Vec<Val>) -> FnResult {
    let [keys @ .., default, map] = &args[..] else {
        return Err(FnError::new("dig needs at least three arguments"));
    };
    if keys.is_empty() {
        return Err(FnError::new("dig needs at least three arguments"));
    }
    let mut current = plain_map(map)?;
    let keys: Vec<&str> = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| conversion_error(k, "string")))
        .collect::<Result<_, _>>()?;
    for (i, key) in keys.iter().enumerate() {
        let Some(step) = current.map.borrow().get(*key).cloned() else {
            return Ok(default.clone());
        };
        if i + 1 == keys.len() {
            return Ok(step);
        }
        current = plain_map(&step)?;
    }
    Ok(default.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::funcs::testing::{err, out, run};

    use Val::Int as I;

    fn s(t: &str) -> Val {
        Val::str(t)
    }

    /// `dict k v ...` as the template function builds it.
    fn d(pairs: Vec<Val>) -> Val {
        run(dict, pairs).expect("dict")
    }

    #[test]
    fn dict_like_helm() {
        // helm: {{ dict }} → map[]; {{ dict "a" }} → map[a:];
        //       {{ dict 1 2 nil 3 true 4 1.5 5 }} → map[1:2 1.5:5 <nil>:3 true:4]
        //       {{ dict (list 1 2) 3 }} → map[[1 2]:3]
        assert_eq!(out(dict, vec![]), "map[]");
        assert_eq!(out(dict, vec![s("a")]), "map[a:]");
        let args = vec![I(1), I(2), Val::Nil, I(3), Val::Bool(true), I(4), Val::Float(1.5), I(5)];
        assert_eq!(out(dict, args), "map[1:2 1.5:5 <nil>:3 true:4]");
        assert_eq!(out(dict, vec![Val::list(vec![I(1), I(2)]), I(3)]), "map[[1 2]:3]");
    }

    #[test]
    fn get_set_unset_has_key_like_helm() {
        // helm: {{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} → map[a:1 b:2]
        let m = d(vec![s("a"), I(1)]);
        run(set, vec![m.clone(), s("b"), I(2)]).expect("set");
        assert_eq!(m.fmt_v(), "map[a:1 b:2]");
        // helm: unset on a map shows in every holder: {"b":2}
        run(unset, vec![m.clone(), s("a")]).expect("unset");
        assert_eq!(m.fmt_v(), "map[b:2]");
        // helm: {{ get (dict "a" 1) "b" | typeOf }} → string (the empty string)
        assert!(matches!(run(get, vec![m.clone(), s("zz")]), Ok(Val::Str(x)) if x.is_empty()));
        assert_eq!(out(get, vec![m.clone(), s("b")]), "2");
        // helm: {{ hasKey .Values.m "a" }} {{ hasKey .Values.m "nul" }} {{ hasKey .Values.m "zz" }}
        //       with nul: null → true true false
        let v = d(vec![s("a"), I(1), s("nul"), Val::Nil]);
        assert_eq!(out(has_key, vec![v.clone(), s("a")]), "true");
        assert_eq!(out(has_key, vec![v.clone(), s("nul")]), "true");
        assert_eq!(out(has_key, vec![v, s("zz")]), "false");
    }

    #[test]
    fn pluck_keys_values_pick_omit_like_helm() {
        // helm: {{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} → [1 3]
        let args =
            vec![s("a"), d(vec![s("a"), I(1)]), d(vec![s("b"), I(2)]), d(vec![s("a"), I(3)])];
        assert_eq!(out(pluck, args), "[1 3]");
        // helm: {{ keys (dict "a" 1) (dict "b" 2) | sortAlpha }} → [a b]; typed []string
        let k = run(keys, vec![d(vec![s("b"), I(1)]), d(vec![s("a"), I(2)])]).expect("keys");
        assert_eq!(k.type_name(), "[]string");
        assert_eq!(k.fmt_v(), "[b a]");
        // helm: {{ values (dict "a" 1 "b" 2) | len }} {{ values (dict "a" "only") }} → 2 [only]
        assert_eq!(out(values, vec![d(vec![s("a"), s("only")])]), "[only]");
        // helm: {{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "zz" }} → map[a:1 c:3]
        let abc = d(vec![s("a"), I(1), s("b"), I(2), s("c"), I(3)]);
        assert_eq!(out(pick, vec![abc.clone(), s("a"), s("c"), s("zz")]), "map[a:1 c:3]");
        // helm: {{ omit (dict "a" 1 "b" 2 "c" 3) "a" "zz" }} → map[b:2 c:3]
        assert_eq!(out(omit, vec![abc.clone(), s("a"), s("zz")]), "map[b:2 c:3]");
        // pick and omit build new maps.
        let picked = run(pick, vec![abc.clone(), s("a")]).expect("pick");
        run(set, vec![picked, s("new"), I(1)]).expect("set");
        assert_eq!(abc.fmt_v(), "map[a:1 b:2 c:3]");
    }

    #[test]
    fn merge_like_helm() {
        // helm: {{ $d := dict "a" 1 "n" (dict "x" 1) }}
        //       {{ merge $d (dict "a" 2 "b" 3 "n" (dict "x" 9 "y" 8)) }} → map[a:1 b:3 n:map[x:1 y:8]]
        let dst = d(vec![s("a"), I(1), s("n"), d(vec![s("x"), I(1)])]);
        let src = d(vec![s("a"), I(2), s("b"), I(3), s("n"), d(vec![s("x"), I(9), s("y"), I(8)])]);
        assert_eq!(out(merge, vec![dst.clone(), src]), "map[a:1 b:3 n:map[x:1 y:8]]");
        assert_eq!(dst.fmt_v(), "map[a:1 b:3 n:map[x:1 y:8]]");
        // helm: {{ merge (dict "a" "" "b" 0 "c" nil) (dict "a" "A" "b" 5 "c" "C") }}
        //       → map[a:A b:5 c:C]
        let dst = d(vec![s("a"), s(""), s("b"), I(0), s("c"), Val::Nil]);
        let src = d(vec![s("a"), s("A"), s("b"), I(5), s("c"), s("C")]);
        assert_eq!(out(merge, vec![dst, src]), "map[a:A b:5 c:C]");
        // helm: {{ merge (dict) (dict "a" 1) (dict "a" 2 "b" 2) }} → map[a:1 b:2]
        let args = vec![d(vec![]), d(vec![s("a"), I(1)]), d(vec![s("a"), I(2), s("b"), I(2)])];
        assert_eq!(out(merge, args), "map[a:1 b:2]");
        // helm: {{ merge (dict "a" (list) "b" (list 1) "c" "x" "d" "")
        //       (dict "a" (list 2) "b" (list 3) "c" (list 4) "d" (list 5) "e" (list)) }}
        //       → map[a:[2] b:[1] c:x d:[5] e:[]]
        let l = |items: Vec<Val>| Val::list(items);
        let dst = d(vec![s("a"), l(vec![]), s("b"), l(vec![I(1)]), s("c"), s("x"), s("d"), s("")]);
        let src = d(vec![
            s("a"),
            l(vec![I(2)]),
            s("b"),
            l(vec![I(3)]),
            s("c"),
            l(vec![I(4)]),
            s("d"),
            l(vec![I(5)]),
            s("e"),
            l(vec![]),
        ]);
        assert_eq!(out(merge, vec![dst, src]), "map[a:[2] b:[1] c:x d:[5] e:[]]");
        // helm: {{ merge (dict "n" (dict)) (dict "n" (dict "a" 1)) }} → map[n:map[a:1]];
        //       {{ merge (dict "n" "x") (dict "n" (dict "a" 1)) }} → map[n:x];
        //       {{ merge (dict "n" (dict "a" 1)) (dict "n" "x") }} → map[n:map[a:1]];
        //       {{ merge (dict "n" nil) (dict "n" nil) }} → map[n:<nil>];
        //       {{ merge (dict) (dict "n" nil) }} → map[]
        let cases = vec![
            (vec![s("n"), d(vec![])], vec![s("n"), d(vec![s("a"), I(1)])], "map[n:map[a:1]]"),
            (vec![s("n"), s("x")], vec![s("n"), d(vec![s("a"), I(1)])], "map[n:x]"),
            (vec![s("n"), d(vec![s("a"), I(1)])], vec![s("n"), s("x")], "map[n:map[a:1]]"),
            (vec![s("n"), Val::Nil], vec![s("n"), Val::Nil], "map[n:<nil>]"),
            (vec![], vec![s("n"), Val::Nil], "map[]"),
        ];
        for (dst, src, want) in cases {
            assert_eq!(out(merge, vec![d(dst), d(src)]), want);
        }
        // helm: {{ merge (dict "a" false "b" 0.0) (dict "a" true "b" 2) }} → map[a:true b:2]
        let dst = d(vec![s("a"), Val::Bool(false), s("b"), Val::Float(0.0)]);
        let src = d(vec![s("a"), Val::Bool(true), s("b"), I(2)]);
        assert_eq!(out(merge, vec![dst, src]), "map[a:true b:2]");
        // helm: {{ $d := dict "a" 1 }}{{ merge $d $d }} → map[a:1]
        let same = d(vec![s("a"), I(1)]);
        assert_eq!(out(merge, vec![same.clone(), same.clone()]), "map[a:1]");
        assert_eq!(out(merge_overwrite, vec![same.clone(), same]), "map[a:1]");
    }

    #[test]
    fn merge_shares_source_maps_like_helm() {
        // helm: {{ $s := dict "a" 1 }}{{ $d := merge (dict) (dict "n" $s) }}
        //       {{ $_ := set $s "b" 2 }}{{ $d }} → map[n:map[a:1 b:2]]
        let shared = d(vec![s("a"), I(1)]);
        let merged = run(merge, vec![d(vec![]), d(vec![s("n"), shared.clone()])]).expect("merge");
        run(set, vec![shared, s("b"), I(2)]).expect("set");
        assert_eq!(merged.fmt_v(), "map[n:map[a:1 b:2]]");
        // helm: {{ $e := dict }}{{ $s := dict "n" $e }}{{ $d := merge (dict "n" (dict)) $s }}
        //       {{ $_ := set $e "q" 1 }}{{ $d }} → map[n:map[q:1]]
        let e = d(vec![]);
        let merged =
            run(merge, vec![d(vec![s("n"), d(vec![])]), d(vec![s("n"), e.clone()])]).expect("m");
        run(set, vec![e, s("q"), I(1)]).expect("set");
        assert_eq!(merged.fmt_v(), "map[n:map[q:1]]");
    }

    #[test]
    fn merge_overwrite_like_helm() {
        // helm: {{ mergeOverwrite (dict "a" 1 "b" 2) (dict "a" "" "b" 0) }} → map[a: b:0]
        let dst = d(vec![s("a"), I(1), s("b"), I(2)]);
        assert_eq!(
            out(merge_overwrite, vec![dst, d(vec![s("a"), s(""), s("b"), I(0)])]),
            "map[a: b:0]"
        );
        // helm: {{ mergeOverwrite (dict "a" 1) (dict "a" nil) }} → map[a:<nil>]
        let dst = d(vec![s("a"), I(1)]);
        assert_eq!(out(merge_overwrite, vec![dst, d(vec![s("a"), Val::Nil])]), "map[a:<nil>]");
        // helm: {{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) }} → map[a:2]
        let dst = d(vec![s("a"), I(1)]);
        assert_eq!(out(merge_overwrite, vec![dst, d(vec![s("a"), I(2)])]), "map[a:2]");
        // helm: {{ mergeOverwrite (dict "a" (list 1) "c" "x" "n" (dict "p" 1))
        //       (dict "a" (list) "c" (dict "z" 1) "n" "str") }} → map[a:[] c:map[z:1] n:str]
        let dst =
            d(vec![s("a"), Val::list(vec![I(1)]), s("c"), s("x"), s("n"), d(vec![s("p"), I(1)])]);
        let src =
            d(vec![s("a"), Val::list(vec![]), s("c"), d(vec![s("z"), I(1)]), s("n"), s("str")]);
        assert_eq!(out(merge_overwrite, vec![dst, src]), "map[a:[] c:map[z:1] n:str]");
        // helm: {{ mergeOverwrite (dict "a" (dict "x" 1 "y" 2)) (dict "a" (dict "x" 0 "z" nil)) }}
        //       → map[a:map[x:0 y:2 z:<nil>]]
        let dst = d(vec![s("a"), d(vec![s("x"), I(1), s("y"), I(2)])]);
        let src = d(vec![s("a"), d(vec![s("x"), I(0), s("z"), Val::Nil])]);
        assert_eq!(out(merge_overwrite, vec![dst, src]), "map[a:map[x:0 y:2 z:<nil>]]");
    }

    #[test]
    fn self_containing_maps_do_not_overflow_the_stack() {
        let m = d(vec![]);
        run(set, vec![m.clone(), s("self"), m.clone()]).expect("set");
        assert!(err(merge, vec![m.clone(), m.clone()]).contains("chartkit limit"));
        assert!(err(deep_copy, vec![m.clone()]).contains("chartkit limit"));
        // Break the cycle so the map can be dropped.
        run(unset, vec![m, s("self")]).expect("unset");
    }

    #[test]
    fn deep_copy_like_helm() {
        // helm: {{ $c := deepCopy .Values.m }}{{ $_ := set $c "x" 1 }}{{ .Values.m }} {{ $c }}
        //       → map[a:x] map[a:x x:1]
        let m = d(vec![s("a"), s("x")]);
        let c = run(deep_copy, vec![m.clone()]).expect("copy");
        run(set, vec![c.clone(), s("x"), I(1)]).expect("set");
        assert_eq!(m.fmt_v(), "map[a:x]");
        assert_eq!(c.fmt_v(), "map[a:x x:1]");
        // helm: {{ typeOf (deepCopy .Values) }} → common.Values;
        //       {{ typeOf (deepCopy (list 1)) }} → []interface {}
        let values = Val::map_of(MapKind::Values, BTreeMap::new());
        assert_eq!(run(deep_copy, vec![values]).expect("copy").type_name(), "common.Values");
        // Maps inside lists are copied too.
        let inner = d(vec![s("k"), I(1)]);
        let copied = run(deep_copy, vec![Val::list(vec![inner.clone()])]).expect("copy");
        let Val::List(l) = &copied else { panic!("a list") };
        run(set, vec![l.items[0].clone(), s("k"), I(2)]).expect("set");
        assert_eq!(inner.fmt_v(), "map[k:1]");
        // helm: {{ deepCopy nil }} → reflect: call of reflect.Value.Type on zero Value
        assert_eq!(
            err(deep_copy, vec![Val::Nil]),
            "reflect: call of reflect.Value.Type on zero Value"
        );
    }

    #[test]
    fn dig_like_helm() {
        let m = d(vec![s("a"), s("x"), s("k"), Val::Nil, s("n"), d(vec![s("b"), s("deep")])]);
        // helm: {{ dig "n" "b" "dflt" $m }} → deep; a missing key → dflt; a nil value → nil
        assert_eq!(out(dig, vec![s("n"), s("b"), s("dflt"), m.clone()]), "deep");
        assert_eq!(out(dig, vec![s("q"), s("b"), s("d"), m.clone()]), "d");
        assert!(matches!(run(dig, vec![s("k"), s("d"), m.clone()]), Ok(Val::Nil)));
        // helm: {{ dig "a" .Values.m }} → dig needs at least three arguments
        assert_eq!(err(dig, vec![s("a"), m.clone()]), "dig needs at least three arguments");
        // helm: {{ dig 1 "d" .Values.m }} → interface conversion: interface {} is int, not string
        assert_eq!(
            err(dig, vec![I(1), s("d"), m.clone()]),
            "interface conversion: interface {} is int, not string"
        );
        // helm: {{ dig "a" "b" "d" .Values.m }} (a: x) → ... is string, not map[string]interface {}
        assert_eq!(
            err(dig, vec![s("a"), s("b"), s("d"), m.clone()]),
            "interface conversion: interface {} is string, not map[string]interface {}"
        );
        // helm: {{ dig "k" "b" "d" .Values.m }} (k: null) → ... is nil, not map[string]interface {}
        assert_eq!(
            err(dig, vec![s("k"), s("b"), s("d"), m]),
            "interface conversion: interface {} is nil, not map[string]interface {}"
        );
        // helm: {{ dig "a" "dflt" .Values }} → ... is common.Values, not map[string]interface {}
        let values = Val::map_of(MapKind::Values, BTreeMap::new());
        assert_eq!(
            err(dig, vec![s("a"), s("dflt"), values]),
            "interface conversion: interface {} is common.Values, not map[string]interface {}"
        );
        // helm: {{ dig "a" "d" nil }} → ... is nil, not map[string]interface {}
        assert_eq!(
            err(dig, vec![s("a"), s("d"), Val::Nil]),
            "interface conversion: interface {} is nil, not map[string]interface {}"
        );
    }
}
