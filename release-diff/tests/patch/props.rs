//! Properties: applying a computed three-way patch to the live object yields the new manifest
//! plus the live-only fields; applying a two-way patch to the old object gives the new one.

use chart_core::{Map, Value};
use proptest::prelude::*;
use release_diff::{PatchOptions, apply_patch, three_way_patch, two_way_patch};

fn s(x: &str) -> Value {
    Value::String(x.into())
}

fn map(entries: Vec<(String, Value)>) -> Value {
    Value::Map(entries.into_iter().collect())
}

/// A nested JSON object with keys `a`..`e` (live-only keys start with `z`, so never collide).
fn tree(depth: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        (0i32..5).prop_map(|i| Value::Float(i as f64)),
        "[a-c]{0,2}".prop_map(Value::String),
        proptest::collection::vec((0i32..3).prop_map(|i| Value::Float(i as f64)), 0..3)
            .prop_map(Value::List),
    ];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        proptest::collection::btree_map("[a-e]", inner, 0..4).prop_map(Value::Map)
    })
}

fn object(kind: &str, body: Value) -> Value {
    let mut m = Map::new();
    m.insert("apiVersion".into(), s(if kind == "Widget" { "example.com/v1" } else { "v1" }));
    m.insert("kind".into(), s(kind));
    m.insert("metadata".into(), map(vec![("name".into(), s("x"))]));
    m.insert("spec".into(), body);
    Value::Map(m)
}

/// Adds live-only keys (`z...`) to every map of `v`.
fn with_live_fields(v: &Value, seed: u32) -> Value {
    match v {
        Value::Map(m) => {
            let mut out: Map =
                m.iter().map(|(k, x)| (k.clone(), with_live_fields(x, seed + 1))).collect();
            out.insert(format!("z{seed}"), Value::Float(seed as f64));
            Value::Map(out)
        }
        other => other.clone(),
    }
}

/// `modified` with the live-only keys of `current` put back where `modified` still has the map.
fn expected(modified: &Value, current: &Value) -> Value {
    match (modified, current) {
        (Value::Map(m), Value::Map(c)) => {
            let mut out: Map = m
                .iter()
                .map(|(k, v)| (k.clone(), c.get(k).map_or_else(|| v.clone(), |cv| expected(v, cv))))
                .collect();
            for (k, v) in c {
                if k.starts_with('z') {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Map(out)
        }
        _ => modified.clone(),
    }
}

fn containers() -> impl Strategy<Value = Vec<Value>> {
    proptest::sample::subsequence(vec!["app", "web", "db", "cache", "log"], 1..5)
        .prop_flat_map(|names| {
            let n = names.len();
            (
                Just(names),
                proptest::collection::vec("[a-c]:[1-3]", n),
                proptest::collection::vec(
                    proptest::sample::subsequence(vec!["A", "B", "C", "D"], 0..4),
                    n,
                ),
            )
        })
        .prop_shuffle_names()
}

trait ShuffleNames {
    fn prop_shuffle_names(self) -> BoxedStrategy<Vec<Value>>;
}

impl<S> ShuffleNames for S
where
    S: Strategy<Value = (Vec<&'static str>, Vec<String>, Vec<Vec<&'static str>>)> + 'static,
{
    fn prop_shuffle_names(self) -> BoxedStrategy<Vec<Value>> {
        self.prop_map(|(names, images, envs)| {
            names
                .iter()
                .zip(images)
                .zip(envs)
                .map(|((n, i), e)| {
                    let env: Vec<Value> = e
                        .iter()
                        .map(|k| {
                            map(vec![("name".into(), s(k)), ("value".into(), s(&k.to_lowercase()))])
                        })
                        .collect();
                    let mut c = vec![("name".into(), s(n)), ("image".into(), s(&i))];
                    if !env.is_empty() {
                        c.push(("env".into(), Value::List(env)));
                    }
                    map(c)
                })
                .collect()
        })
        .prop_shuffle()
        .boxed()
    }
}

fn deployment(containers: Vec<Value>, labels: Vec<&str>) -> Value {
    let labels = map(labels.iter().map(|l| (l.to_string(), s("1"))).collect());
    let pod = map(vec![("containers".into(), Value::List(containers))]);
    let tmpl = map(vec![("spec".into(), pod)]);
    let mut m = Map::new();
    m.insert("apiVersion".into(), s("apps/v1"));
    m.insert("kind".into(), s("Deployment"));
    m.insert("metadata".into(), map(vec![("name".into(), s("web")), ("labels".into(), labels)]));
    m.insert("spec".into(), map(vec![("template".into(), tmpl)]));
    Value::Map(m)
}

/// The live object: the original plus a server label, a defaulted field in every container and
/// an injected sidecar.
fn live(original: &Value) -> Value {
    let mut v = original.clone();
    if let Some(Value::Map(meta)) = v.as_map_mut().and_then(|m| m.get_mut("metadata")) {
        if let Some(Value::Map(l)) = meta.get_mut("labels") {
            l.insert("live-label".into(), s("x"));
        }
    }
    let containers = v
        .as_map_mut()
        .and_then(|m| m.get_mut("spec"))
        .and_then(Value::as_map_mut)
        .and_then(|m| m.get_mut("template"))
        .and_then(Value::as_map_mut)
        .and_then(|m| m.get_mut("spec"))
        .and_then(Value::as_map_mut)
        .and_then(|m| m.get_mut("containers"));
    if let Some(Value::List(cs)) = containers {
        for c in cs.iter_mut() {
            if let Value::Map(c) = c {
                c.insert("terminationMessagePath".into(), s("/dev/termination-log"));
            }
        }
        cs.push(map(vec![("name".into(), s("live-sidecar")), ("image".into(), s("envoy"))]));
    }
    v
}

fn containers_of(v: &Value) -> Vec<Value> {
    v.get_path("spec.template.spec.containers")
        .and_then(Value::as_list)
        .map(<[Value]>::to_vec)
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn three_way_merge_patch_keeps_live_fields(o in tree(3), m in tree(3), seed in 0u32..3) {
        let original = object("Widget", o);
        let modified = object("Widget", m);
        let current = with_live_fields(&original, seed);
        let p = three_way_patch(&original, &modified, &current, &PatchOptions::default()).unwrap();
        let result = apply_patch(&current, &p).unwrap();
        prop_assert_eq!(result, expected(&modified, &current));
    }

    #[test]
    fn two_way_merge_patch_gives_new(o in tree(3), m in tree(3)) {
        let (old, new) = (object("Widget", o), object("Widget", m));
        let p = two_way_patch(&old, &new).unwrap();
        prop_assert_eq!(apply_patch(&old, &p).unwrap(), new.into_json_numbers());
    }

    #[test]
    fn three_way_strategic_patch_keeps_live_fields(
        oc in containers(), mc in containers(),
        ol in proptest::sample::subsequence(vec!["a", "b", "c"], 0..3),
        ml in proptest::sample::subsequence(vec!["a", "b", "c"], 0..3),
    ) {
        let original = deployment(oc, ol);
        let modified = deployment(mc.clone(), ml.clone());
        let current = live(&original);
        let p = three_way_patch(&original, &modified, &current, &PatchOptions::default()).unwrap();
        let result = apply_patch(&current, &p).unwrap();
        // Labels: the new ones plus the live one.
        let labels = result.get_path("metadata.labels").and_then(Value::as_map).cloned().unwrap_or_default();
        let mut want: Vec<String> = ml.iter().map(|l| l.to_string()).collect();
        want.push("live-label".into());
        want.sort();
        prop_assert_eq!(labels.keys().cloned().collect::<Vec<_>>(), want);
        // Containers: the new ones in the new order (each with the new image and env), the
        // sidecar kept; defaulted fields kept on containers that stay.
        let got = containers_of(&result);
        let names: Vec<&str> = got.iter().filter_map(|c| c.get("name").and_then(Value::as_str)).collect();
        let mut want_names: Vec<&str> = mc.iter().filter_map(|c| c.get("name").and_then(Value::as_str)).collect();
        prop_assert!(names.contains(&"live-sidecar"));
        let without: Vec<&str> = names.iter().copied().filter(|n| *n != "live-sidecar").collect();
        prop_assert_eq!(&without, &want_names);
        want_names.push("live-sidecar");
        for c in &mc {
            let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
            let g = got.iter().find(|x| x.get("name").and_then(Value::as_str) == Some(name)).unwrap();
            prop_assert_eq!(g.get("image"), c.get("image"));
            prop_assert_eq!(g.get("env"), c.get("env"));
        }
    }

    #[test]
    fn two_way_strategic_patch_gives_new(
        oc in containers(), mc in containers(),
        ol in proptest::sample::subsequence(vec!["a", "b", "c"], 0..3),
        ml in proptest::sample::subsequence(vec!["a", "b", "c"], 0..3),
    ) {
        let (old, new) = (deployment(oc, ol), deployment(mc, ml));
        let p = two_way_patch(&old, &new).unwrap();
        prop_assert_eq!(apply_patch(&old, &p).unwrap(), new);
    }
}
