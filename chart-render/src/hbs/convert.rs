//! Between [`Val`] and the JSON handlebars navigates: the JSON form of a template's data, the
//! exact value behind a handlebars path, and values back from JSON.

use std::rc::Rc;

use chart_core::Value;
use handlebars::JsonValue as Json;

use crate::objects::Files;
use crate::value::{Object, Val};

/// Deepest nesting converted (values read from YAML stop at 1000; deeper means a cycle made by a
/// Go template's `set`).
const MAX_DEPTH: usize = 5_000;
/// Most nodes converted for one value (maps shared many times over would otherwise multiply).
const MAX_NODES: usize = 20_000_000;

/// Go field names looked up on objects besides their JSON form, so that paths written with Go's
/// names (`Capabilities.HelmVersion.GitCommit`) find them.
const FIELDS: &[&str] = &[
    "APIVersions",
    "GitCommit",
    "GitTreeState",
    "GoVersion",
    "HelmVersion",
    "KubeClientVersion",
    "KubeVersion",
    "Major",
    "Minor",
    "Version",
];

/// The JSON form of `v`: maps and lists as they are, `Files` as a map from path to text, other
/// objects as `toJson` sees them plus their Go fields.
pub(super) fn to_json(v: &Val) -> Result<Json, String> {
    let mut nodes = 0;
    json_of(v, 0, &mut nodes)
}

fn json_of(v: &Val, depth: usize, nodes: &mut usize) -> Result<Json, String> {
    *nodes += 1;
    if depth > MAX_DEPTH || *nodes > MAX_NODES {
        return Err(format!(
            "the template data is nested deeper than {MAX_DEPTH} or has more than {MAX_NODES} \
             values (a map that contains itself?)"
        ));
    }
    Ok(match v {
        Val::NoValue | Val::Nil => Json::Null,
        Val::Bool(b) => Json::Bool(*b),
        Val::Int(i) | Val::Int64(i) => Json::from(*i),
        Val::Float(f) => Json::from(*f),
        Val::Str(s) => Json::String(s.to_string()),
        Val::Bytes(_) => value_json(&v.to_value()),
        Val::List(l) => Json::Array(
            l.items.iter().map(|x| json_of(x, depth + 1, nodes)).collect::<Result<_, _>>()?,
        ),
        Val::Map(m) => Json::Object(
            m.map
                .borrow()
                .iter()
                .map(|(k, x)| Ok((k.clone(), json_of(x, depth + 1, nodes)?)))
                .collect::<Result<_, String>>()?,
        ),
        Val::Obj(o) => {
            if let Some(files) = o.as_any().downcast_ref::<Files>() {
                return Ok(Json::Object(
                    files.0.iter().map(|(k, b)| (k.clone(), Json::String(text(b)))).collect(),
                ));
            }
            let mut j = value_json(&o.to_value());
            if let Json::Object(map) = &mut j {
                for name in FIELDS {
                    if let Some(f) = o.field(name) {
                        map.insert((*name).to_string(), json_of(&f, depth + 1, nodes)?);
                    }
                }
            }
            j
        }
    })
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::String(s) => Json::String(s.clone()),
        Value::List(l) => Json::Array(l.iter().map(value_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, x)| (k.clone(), value_json(x))).collect()),
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The value at `path` (handlebars' resolved path segments) under `root`, if `root` has one
/// there. Follows what [`to_json`] produced, so a path that resolved in the JSON resolves here.
pub(super) fn walk(root: &Val, path: &[String]) -> Option<Val> {
    let mut cur = root.clone();
    for seg in path {
        cur = step(&cur, seg)?;
    }
    Some(cur)
}

fn step(v: &Val, seg: &str) -> Option<Val> {
    match v {
        Val::Map(m) => m.map.borrow().get(seg).cloned(),
        Val::List(l) => l.items.get(seg.parse::<usize>().ok()?).cloned(),
        Val::Obj(o) => {
            if let Some(files) = o.as_any().downcast_ref::<Files>() {
                return files.0.get(seg).map(|b| Val::str(text(b)));
            }
            obj_step(o, seg)
        }
        _ => None,
    }
}

fn obj_step(o: &Rc<dyn Object>, seg: &str) -> Option<Val> {
    if let Some(f) = o.field(seg) {
        return Some(f);
    }
    if let Some(x) = o.map_index(seg) {
        return Some(x);
    }
    let idx = seg.parse::<usize>().ok()?;
    o.entries()?.into_iter().nth(idx).map(|(_, x)| x)
}

/// A value from JSON. Whole numbers become Go `int` when they are literals written in the
/// template (as Go's number constants do) and `int64` otherwise; other numbers `float64`.
pub(super) fn from_json(j: &Json, literal: bool) -> Val {
    match j {
        Json::Null => Val::Nil,
        Json::Bool(b) => Val::Bool(*b),
        Json::Number(n) => match (n.as_i64(), literal) {
            (Some(i), true) => Val::Int(i),
            (Some(i), false) => Val::Int64(i),
            (None, _) => Val::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Val::str(s.as_str()),
        Json::Array(a) => Val::list(a.iter().map(|x| from_json(x, literal)).collect()),
        Json::Object(m) => {
            Val::map(m.iter().map(|(k, x)| (k.clone(), from_json(x, literal))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(yaml: &str) -> Val {
        Val::from_value(&chart_core::yaml::parse_values(yaml).expect("yaml"))
    }

    #[test]
    fn json_keeps_numbers_apart_and_walk_finds_the_exact_value() {
        let v = val("a: {b: [1, 2.5, x]}\nnum: 3\n");
        let j = to_json(&v).expect("converts");
        assert_eq!(j["a"]["b"][2], Json::String("x".into()));
        assert!(j["num"].is_f64());
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matches!(walk(&v, &path(&["num"])), Some(Val::Float(f)) if f == 3.0));
        assert!(matches!(walk(&v, &path(&["a", "b", "1"])), Some(Val::Float(f)) if f == 2.5));
        assert!(walk(&v, &path(&["a", "z"])).is_none());
        assert!(matches!(from_json(&Json::from(4), true), Val::Int(4)));
        assert!(matches!(from_json(&Json::from(4), false), Val::Int64(4)));
        assert!(matches!(from_json(&Json::from(4.0), false), Val::Float(_)));
    }

    #[test]
    fn a_map_that_contains_itself_is_an_error_not_a_stack_overflow() {
        let err = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(|| {
                let v = val("a: 1");
                if let Val::Map(m) = &v {
                    m.map.borrow_mut().insert("self".into(), v.clone());
                }
                let err = to_json(&v).expect_err("cycle");
                // Break the cycle so the map is freed.
                if let Val::Map(m) = &v {
                    m.map.borrow_mut().remove("self");
                }
                err
            })
            .expect("thread")
            .join()
            .expect("no panic");
        assert!(err.contains("contains itself"), "{err}");
    }
}
