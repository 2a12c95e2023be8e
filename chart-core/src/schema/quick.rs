//! A fast path for the usual outcome of schema validation: values that satisfy a schema written
//! with the everyday keywords.
//!
//! Compiling a schema with the `jsonschema` crate (which also checks the schema against its
//! draft's meta-schema) costs far more than a chart's render for the large schemas real charts
//! ship (150 KB for bitnami/redis). This module instead walks the schema document as it is:
//!
//! - [`prepare`] checks the whole document the way the meta-schema would, for the keywords this
//!   module understands, and gives up (`None`) on anything else: another draft, a keyword it does
//!   not implement (`format`, `patternProperties`, `if`, ...), a `$ref` that is not a local JSON
//!   pointer, a nested `$id`. Unknown keywords (`form`, `hidden`, ...) are ignored, as every
//!   validator ignores them.
//! - [`is_valid`] then decides exactly, or gives up ([`Bail`]) where it cannot (an integral float
//!   beyond 2^53, a `pattern` outside the plain subset, ...).
//!
//! Only a definite "valid" is used: anything else goes to the full validator, which also writes
//! the messages. So this module never changes an outcome, only how fast a valid one is reached;
//! a property test checks it against the full validator.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde_json::Value as J;

use crate::value::{Map, Value};

/// This module cannot decide: the caller must use the full validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

type R<T> = Result<T, Bail>;

/// The drafts handled here (draft 4 differs in too many details to be worth it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Draft {
    D6,
    D7,
    D2019,
    D2020,
}

/// A schema document that passed [`prepare`].
#[derive(Debug)]
pub(crate) struct Doc {
    root: J,
    draft: Draft,
}

/// Deeper than this (in schema plus instance steps) and we give up: it guards `$ref` cycles
/// that never descend into the instance.
const MAX_DEPTH: usize = 200;

/// Checks `root` for the quick path: its draft (from `$schema`, 2020-12 when absent, as the
/// `jsonschema` crate decides) is 6 or later and every schema in it uses only keywords this
/// module implements, well formed as the meta-schema demands.
pub(crate) fn prepare(root: J) -> Option<Doc> {
    let draft = match root.get("$schema") {
        None => Draft::D2020,
        Some(J::String(uri)) => match uri.trim_end_matches('#') {
            "https://json-schema.org/draft/2020-12/schema"
            | "http://json-schema.org/draft/2020-12/schema"
            | "https://json-schema.org/schema"
            | "http://json-schema.org/schema" => Draft::D2020,
            "https://json-schema.org/draft/2019-09/schema"
            | "http://json-schema.org/draft/2019-09/schema" => Draft::D2019,
            "https://json-schema.org/draft-07/schema"
            | "http://json-schema.org/draft-07/schema" => Draft::D7,
            "https://json-schema.org/draft-06/schema"
            | "http://json-schema.org/draft-06/schema" => Draft::D6,
            _ => return None,
        },
        Some(_) => return None,
    };
    let doc = Doc { root, draft };
    let mut meta = Meta { doc: &doc, checked: HashSet::new(), depth: 0 };
    meta.schema(&doc.root, true).ok()?;
    Some(doc)
}

/// Whether `values` satisfy the document: `Ok(true)` and `Ok(false)` are exact; [`Bail`] when
/// this module cannot tell.
pub(crate) fn is_valid(doc: &Doc, values: &Map) -> R<bool> {
    let mut v = Validator { doc, regexes: RefCell::new(HashMap::new()), depth: 0 };
    v.object_schema(&doc.root, Inst::Map(values))
}

/// The keywords of drafts 6 to 2020-12 this module does not implement: a schema using one is
/// left to the full validator.
const UNSUPPORTED: &[&str] = &[
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$recursiveAnchor",
    "$recursiveRef",
    "$vocabulary",
    "additionalItems",
    "contains",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "format",
    "id",
    "if",
    "maxContains",
    "minContains",
    "multipleOf",
    "patternProperties",
    "prefixItems",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];

const SIMPLE_TYPES: &[&str] =
    &["array", "boolean", "integer", "null", "number", "object", "string"];

/// The meta-schema check of [`prepare`].
struct Meta<'d> {
    doc: &'d Doc,
    /// `$ref` targets already checked (or being checked).
    checked: HashSet<&'d str>,
    depth: usize,
}

impl<'d> Meta<'d> {
    fn schema(&mut self, s: &'d J, root: bool) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        let r = match s {
            J::Bool(_) => Ok(()),
            J::Object(m) => m.iter().try_for_each(|(k, v)| self.keyword(k, v, root)),
            _ => Err(Bail),
        };
        self.depth -= 1;
        r
    }

    fn schemas(&mut self, v: &'d J) -> R<()> {
        match v {
            J::Array(items) if !items.is_empty() => {
                items.iter().try_for_each(|s| self.schema(s, false))
            }
            _ => Err(Bail),
        }
    }

    fn keyword(&mut self, k: &str, v: &'d J, root: bool) -> R<()> {
        let ok = match k {
            "$schema" => root && v.is_string(),
            "$id" => root && v.as_str().is_some_and(plain_uri),
            "$ref" => {
                let r = v.as_str().ok_or(Bail)?;
                let target = resolve(&self.doc.root, r)?;
                if self.checked.insert(r) {
                    self.schema(target, false)?;
                }
                true
            }
            "$comment" | "title" | "description" => v.is_string(),
            "default" | "const" => true,
            "examples" => v.is_array(),
            "deprecated" | "readOnly" | "writeOnly" | "uniqueItems" => v.is_boolean(),
            "definitions" | "$defs" | "properties" => {
                let m = v.as_object().ok_or(Bail)?;
                m.values().try_for_each(|s| self.schema(s, false))?;
                true
            }
            "additionalProperties" | "not" | "items" => {
                self.schema(v, false)?;
                true
            }
            "allOf" | "anyOf" | "oneOf" => {
                self.schemas(v)?;
                true
            }
            "type" => match v {
                J::String(t) => SIMPLE_TYPES.contains(&t.as_str()),
                J::Array(ts) => {
                    !ts.is_empty()
                        && ts.iter().all(|t| t.as_str().is_some_and(|t| SIMPLE_TYPES.contains(&t)))
                        && all_distinct(ts, json_eq)?
                }
                _ => false,
            },
            "enum" => match v {
                J::Array(a) => !a.is_empty() && all_distinct(a, json_eq)?,
                _ => false,
            },
            "required" => match v {
                J::Array(a) => a.iter().all(J::is_string) && all_distinct(a, json_eq)?,
                _ => false,
            },
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => v.is_number(),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => v.is_u64(),
            "pattern" => v.as_str().and_then(plain_regex).is_some(),
            _ => !UNSUPPORTED.contains(&k),
        };
        if ok { Ok(()) } else { Err(Bail) }
    }
}

/// Whether the items of an array (of the schema's or of the values) are pairwise distinct under
/// `eq`.
fn all_distinct<T>(items: &[T], eq: impl Fn(&T, &T) -> R<bool>) -> R<bool> {
    for (i, a) in items.iter().enumerate() {
        for b in &items[i + 1..] {
            if eq(a, b)? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// An absolute `http(s)` URI made of characters every URI grammar accepts.
fn plain_uri(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/:#".contains(&b))
}

/// The schema a `$ref` names, for refs of the form `#` or `#/json/pointer` (without
/// percent-escapes), which resolve within the document whatever its base URI.
fn resolve<'d>(root: &'d J, r: &str) -> R<&'d J> {
    let pointer = r.strip_prefix('#').ok_or(Bail)?;
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(Bail);
    }
    if !pointer.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b)) {
        return Err(Bail);
    }
    let mut at = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        at = match at {
            J::Object(m) => m.get(&token).ok_or(Bail)?,
            J::Array(a) => a.get(token.parse::<usize>().map_err(|_| Bail)?).ok_or(Bail)?,
            _ => return Err(Bail),
        };
        // A nested `$id` would start a resource with a base of its own.
        if at.get("$id").is_some() {
            return Err(Bail);
        }
    }
    Ok(at)
}

/// A `pattern` compiled, when it is written in a subset where ECMA-262 (JSON Schema's dialect)
/// and the Rust engine agree: plain characters, classes of plain characters, groups,
/// alternation, anchors, `.` and counted or open repetition, with escapes only of syntax
/// characters. `None` for anything else.
fn plain_regex(p: &str) -> Option<regex_lite::Regex> {
    let b = p.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                let next = *b.get(i + 1)?;
                if !b"^$\\.*+?()[]{}|/".contains(&next) {
                    return None;
                }
                i += 2;
                continue;
            }
            b'[' if in_class => return None,
            b'[' => {
                in_class = true;
                if b.get(i + 1) == Some(&b']') || b.get(i + 1) == Some(&b'^') {
                    return None;
                }
            }
            b']' if in_class => in_class = false,
            b'(' if !in_class && b.get(i + 1) == Some(&b'?') => return None,
            b'{' if !in_class => {
                // Only `{n}`, `{n,}` and `{n,m}`, which both dialects read as repetition.
                let close = p[i..].find('}')? + i;
                let inner = &p[i + 1..close];
                let (lo, hi) = inner.split_once(',').unwrap_or((inner, "0"));
                if lo.is_empty() || !lo.bytes().all(|d| d.is_ascii_digit()) {
                    return None;
                }
                if !hi.bytes().all(|d| d.is_ascii_digit()) {
                    return None;
                }
                i = close + 1;
                continue;
            }
            b'}' if !in_class => return None,
            _ if c.is_ascii_alphanumeric() || b" ^$|()]*+?.,:_-=/@#!%&'<>~\"".contains(&c) => {}
            _ => return None,
        }
        i += 1;
    }
    if in_class {
        return None;
    }
    regex_lite::Regex::new(p).ok()
}

/// An instance value as JSON sees it.
#[derive(Clone, Copy)]
enum Inst<'v> {
    Null,
    Bool(bool),
    Num(Num),
    Str(&'v str),
    List(&'v [Value]),
    Map(&'v Map),
}

/// A JSON number: an integer, or a float that is not one.
#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53

impl Num {
    /// Our number as the full validator sees it (`Value::to_serde_json`): integral floats below
    /// 2^53 are integers; larger integral floats are left to the full validator.
    fn of_float(f: f64) -> R<Num> {
        if !f.is_finite() {
            return Err(Bail);
        }
        if f.fract() == 0.0 {
            if f.abs() < EXACT { Ok(Num::I(f as i64)) } else { Err(Bail) }
        } else {
            Ok(Num::F(f))
        }
    }

    fn of_json(n: &serde_json::Number) -> R<Num> {
        if let Some(i) = n.as_i64() {
            Ok(Num::I(i))
        } else if n.is_u64() {
            Err(Bail)
        } else {
            Num::of_float(n.as_f64().ok_or(Bail)?)
        }
    }

    fn cmp(self, other: Num) -> R<Ordering> {
        let mixed = |i: i64, f: f64| {
            if i.unsigned_abs() <= 1 << 53 {
                (i as f64).partial_cmp(&f).ok_or(Bail)
            } else {
                Err(Bail)
            }
        };
        match (self, other) {
            (Num::I(a), Num::I(b)) => Ok(a.cmp(&b)),
            (Num::I(a), Num::F(b)) => mixed(a, b),
            (Num::F(a), Num::I(b)) => mixed(b, a).map(Ordering::reverse),
            (Num::F(a), Num::F(b)) => a.partial_cmp(&b).ok_or(Bail),
        }
    }
}

impl<'v> Inst<'v> {
    fn of(v: &'v Value) -> R<Inst<'v>> {
        Ok(match v {
            Value::Null => Inst::Null,
            Value::Bool(b) => Inst::Bool(*b),
            Value::Int(i) => Inst::Num(Num::I(*i)),
            Value::Float(f) => Inst::Num(Num::of_float(*f)?),
            Value::String(s) => Inst::Str(s),
            Value::List(l) => Inst::List(l),
            Value::Map(m) => Inst::Map(m),
        })
    }

    fn has_type(self, t: &str) -> bool {
        matches!(
            (self, t),
            (Inst::Null, "null")
                | (Inst::Bool(_), "boolean")
                | (Inst::Num(_), "number")
                | (Inst::Num(Num::I(_)), "integer")
                | (Inst::Str(_), "string")
                | (Inst::List(_), "array")
                | (Inst::Map(_), "object")
        )
    }
}

/// JSON equality of two schema values (numbers by value).
pub(super) fn json_eq(a: &J, b: &J) -> R<bool> {
    Ok(match (a, b) {
        (J::Number(x), J::Number(y)) => Num::of_json(x)?.cmp(Num::of_json(y)?)? == Ordering::Equal,
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && {
                for (p, q) in x.iter().zip(y) {
                    if !json_eq(p, q)? {
                        return Ok(false);
                    }
                }
                true
            }
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && {
                for (k, p) in x {
                    match y.get(k) {
                        Some(q) if json_eq(p, q)? => {}
                        _ => return Ok(false),
                    }
                }
                true
            }
        }
        _ => a == b,
    })
}

/// JSON equality of a schema value and an instance.
fn inst_eq(a: &J, b: Inst<'_>) -> R<bool> {
    Ok(match (a, b) {
        (J::Null, Inst::Null) => true,
        (J::Bool(x), Inst::Bool(y)) => *x == y,
        (J::Number(x), Inst::Num(y)) => Num::of_json(x)?.cmp(y)? == Ordering::Equal,
        (J::String(x), Inst::Str(y)) => x == y,
        (J::Array(x), Inst::List(y)) => {
            x.len() == y.len() && {
                for (p, q) in x.iter().zip(y) {
                    if !inst_eq(p, Inst::of(q)?)? {
                        return Ok(false);
                    }
                }
                true
            }
        }
        (J::Object(x), Inst::Map(y)) => {
            x.len() == y.len() && {
                for (k, p) in x {
                    match y.get(k) {
                        Some(q) if inst_eq(p, Inst::of(q)?)? => {}
                        _ => return Ok(false),
                    }
                }
                true
            }
        }
        _ => false,
    })
}

/// JSON equality of two instances.
fn values_eq(a: Inst<'_>, b: Inst<'_>) -> R<bool> {
    Ok(match (a, b) {
        (Inst::Null, Inst::Null) => true,
        (Inst::Bool(x), Inst::Bool(y)) => x == y,
        (Inst::Num(x), Inst::Num(y)) => x.cmp(y)? == Ordering::Equal,
        (Inst::Str(x), Inst::Str(y)) => x == y,
        (Inst::List(x), Inst::List(y)) => {
            x.len() == y.len() && {
                for (p, q) in x.iter().zip(y) {
                    if !values_eq(Inst::of(p)?, Inst::of(q)?)? {
                        return Ok(false);
                    }
                }
                true
            }
        }
        (Inst::Map(x), Inst::Map(y)) => {
            x.len() == y.len() && {
                for ((k, p), (l, q)) in x.iter().zip(y) {
                    if k != l || !values_eq(Inst::of(p)?, Inst::of(q)?)? {
                        return Ok(false);
                    }
                }
                true
            }
        }
        _ => false,
    })
}

struct Validator<'d> {
    doc: &'d Doc,
    regexes: RefCell<HashMap<&'d str, regex_lite::Regex>>,
    depth: usize,
}

impl<'d> Validator<'d> {
    fn schema(&mut self, s: &'d J, inst: Inst<'_>) -> R<bool> {
        match s {
            J::Bool(b) => Ok(*b),
            _ => self.object_schema(s, inst),
        }
    }

    fn object_schema(&mut self, s: &'d J, inst: Inst<'_>) -> R<bool> {
        let m = s.as_object().ok_or(Bail)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        let r = self.keywords(m, inst);
        self.depth -= 1;
        r
    }

    fn keywords(&mut self, m: &'d serde_json::Map<String, J>, inst: Inst<'_>) -> R<bool> {
        if let Some(r) = m.get("$ref") {
            let target = resolve(&self.doc.root, r.as_str().ok_or(Bail)?)?;
            let ok = self.schema(target, inst)?;
            // Up to draft 7 a `$ref` replaces the keywords beside it.
            if !ok || self.doc.draft <= Draft::D7 {
                return Ok(ok);
            }
        }
        for (k, v) in m {
            if !self.keyword(m, k, v, inst)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `inst` satisfies keyword `k` (valued `v`) of schema `m`.
    fn keyword(
        &mut self,
        m: &'d serde_json::Map<String, J>,
        k: &str,
        v: &'d J,
        inst: Inst<'_>,
    ) -> R<bool> {
        let count = |v: &J| v.as_u64().ok_or(Bail);
        let limit = |v: &J| match v {
            J::Number(n) => Num::of_json(n),
            _ => Err(Bail),
        };
        Ok(match (k, inst) {
            ("type", _) => match v {
                J::String(t) => inst.has_type(t),
                J::Array(ts) => ts.iter().any(|t| t.as_str().is_some_and(|t| inst.has_type(t))),
                _ => return Err(Bail),
            },
            ("enum", _) => {
                let mut any = false;
                for e in v.as_array().ok_or(Bail)? {
                    if inst_eq(e, inst)? {
                        any = true;
                        break;
                    }
                }
                any
            }
            ("const", _) => inst_eq(v, inst)?,
            ("minimum", Inst::Num(n)) => n.cmp(limit(v)?)? != Ordering::Less,
            ("maximum", Inst::Num(n)) => n.cmp(limit(v)?)? != Ordering::Greater,
            ("exclusiveMinimum", Inst::Num(n)) => n.cmp(limit(v)?)? == Ordering::Greater,
            ("exclusiveMaximum", Inst::Num(n)) => n.cmp(limit(v)?)? == Ordering::Less,
            ("minLength", Inst::Str(s)) => s.chars().count() as u64 >= count(v)?,
            ("maxLength", Inst::Str(s)) => s.chars().count() as u64 <= count(v)?,
            ("pattern", Inst::Str(s)) => {
                // ECMA-262's `.` also stops at `\r`, U+2028 and U+2029; the Rust engine's does not.
                if s.contains(['\r', '\u{2028}', '\u{2029}']) {
                    return Err(Bail);
                }
                let p = v.as_str().ok_or(Bail)?;
                let mut cache = self.regexes.borrow_mut();
                if !cache.contains_key(p) {
                    cache.insert(p, plain_regex(p).ok_or(Bail)?);
                }
                cache[p].is_match(s)
            }
            ("minItems", Inst::List(l)) => l.len() as u64 >= count(v)?,
            ("maxItems", Inst::List(l)) => l.len() as u64 <= count(v)?,
            ("uniqueItems", Inst::List(l)) => {
                !v.as_bool().ok_or(Bail)?
                    || all_distinct(l, |a, b| values_eq(Inst::of(a)?, Inst::of(b)?))?
            }
            ("items", Inst::List(l)) => {
                for item in l {
                    if !self.schema(v, Inst::of(item)?)? {
                        return Ok(false);
                    }
                }
                true
            }
            ("minProperties", Inst::Map(map)) => map.len() as u64 >= count(v)?,
            ("maxProperties", Inst::Map(map)) => map.len() as u64 <= count(v)?,
            ("required", Inst::Map(map)) => {
                let names = v.as_array().ok_or(Bail)?;
                names.iter().all(|n| n.as_str().is_some_and(|n| map.contains_key(n)))
            }
            ("properties", Inst::Map(map)) => {
                for (name, sub) in v.as_object().ok_or(Bail)? {
                    if let Some(item) = map.get(name) {
                        if !self.schema(sub, Inst::of(item)?)? {
                            return Ok(false);
                        }
                    }
                }
                true
            }
            ("additionalProperties", Inst::Map(map)) => {
                let declared = match m.get("properties") {
                    None => None,
                    Some(p) => Some(p.as_object().ok_or(Bail)?),
                };
                for (name, item) in map {
                    if !declared.is_some_and(|d| d.contains_key(name))
                        && !self.schema(v, Inst::of(item)?)?
                    {
                        return Ok(false);
                    }
                }
                true
            }
            ("allOf", _) => {
                for s in v.as_array().ok_or(Bail)? {
                    if !self.schema(s, inst)? {
                        return Ok(false);
                    }
                }
                true
            }
            ("anyOf", _) => {
                let mut bailed = false;
                for s in v.as_array().ok_or(Bail)? {
                    match self.schema(s, inst) {
                        Ok(true) => return Ok(true),
                        Ok(false) => {}
                        Err(Bail) => bailed = true,
                    }
                }
                if bailed {
                    return Err(Bail);
                }
                false
            }
            ("oneOf", _) => {
                let mut passed = 0;
                for s in v.as_array().ok_or(Bail)? {
                    if self.schema(s, inst)? {
                        passed += 1;
                    }
                }
                passed == 1
            }
            ("not", _) => !self.schema(v, inst)?,
            // Checked by `prepare`; annotations; keywords of other instance types.
            _ if UNSUPPORTED.contains(&k) => return Err(Bail),
            _ => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn full(schema: &J, values: &Map) -> Option<bool> {
        let v = jsonschema::validator_for(schema).ok()?;
        Some(v.is_valid(&Value::Map(values.clone()).to_serde_json()))
    }

    fn quick(schema: &J, values: &Map) -> Option<bool> {
        is_valid(&prepare(schema.clone())?, values).ok()
    }

    fn map(v: J) -> Map {
        match Value::from_json(v) {
            Value::Map(m) => m,
            _ => unreachable!("a test passes an object"),
        }
    }

    #[test]
    fn decides_everyday_schemas() {
        let schema = json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "required": ["image"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 1},
                "image": {"$ref": "#/definitions/image"},
                "mode": {"enum": ["a", "b"]},
                "ports": {"type": "array", "items": {"type": "integer"}, "uniqueItems": true}
            },
            "additionalProperties": false,
            "definitions": {"image": {"type": "object", "properties": {"tag": {"type": "string", "pattern": "^v[0-9]+$"}}}}
        });
        let good =
            map(json!({"replicas": 2, "image": {"tag": "v1"}, "mode": "a", "ports": [80, 443]}));
        assert_eq!(quick(&schema, &good), Some(true));
        for bad in [
            json!({"replicas": 0, "image": {}}),
            json!({"replicas": 1.5, "image": {}}),
            json!({"image": {"tag": "1"}}),
            json!({"image": {}, "mode": "c"}),
            json!({"image": {}, "ports": [80, 80.0]}),
            json!({"image": {}, "extra": 1}),
            json!({"replicas": 1}),
        ] {
            assert_eq!(quick(&schema, &map(bad.clone())), Some(false), "{bad}");
            assert_eq!(full(&schema, &map(bad.clone())), Some(false), "{bad}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_full_validator() {
        for schema in [
            json!({"$schema": "http://json-schema.org/draft-04/schema#"}),
            json!({"$schema": "https://example.com/custom"}),
            json!({"properties": {"a": {"format": "email"}}}),
            json!({"properties": {"a": {"type": "strnig"}}}),
            json!({"properties": {"a": {"$ref": "other.json#/x"}}}),
            json!({"properties": {"a": {"pattern": "(?i)x"}}}),
            json!({"$defs": {"x": {"$id": "https://example.com/x"}}}),
            json!({"$defs": {"x": {"type": 5}}, "properties": {"a": {"$ref": "#/$defs/x"}}}),
        ] {
            assert!(prepare(schema.clone()).is_none(), "{schema}");
        }
        // An integral float beyond 2^53 is not judged here.
        let doc = prepare(json!({"properties": {"a": {"type": "integer"}}})).unwrap();
        let mut values = Map::new();
        values.insert("a".into(), Value::Float(1e300));
        assert_eq!(is_valid(&doc, &values), Err(Bail));
    }

    #[test]
    fn a_ref_cycle_gives_up_instead_of_recursing_forever() {
        let doc = prepare(json!({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}));
        if let Some(doc) = doc {
            assert_eq!(is_valid(&doc, &Map::new()), Err(Bail));
        }
    }

    fn leaf_value() -> impl Strategy<Value = J> {
        prop_oneof![
            Just(J::Null),
            any::<bool>().prop_map(J::Bool),
            (-3i64..4).prop_map(|i| json!(i)),
            prop::sample::select(vec![0.5, 1.0, -2.0, 2.5, 1e20]).prop_map(|f| json!(f)),
            prop::sample::select(vec!["", "a", "ab", "v1", "é", "a\rb", "IfNotPresent"])
                .prop_map(|s| json!(s)),
        ]
    }

    fn value() -> impl Strategy<Value = J> {
        leaf_value().prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(J::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec!["a", "b", "c"]).prop_map(String::from),
                    inner,
                    0..3
                )
                .prop_map(|m| J::Object(m.into_iter().collect())),
            ]
        })
    }

    fn leaf_schema() -> impl Strategy<Value = J> {
        let types = prop::sample::select(vec![
            "null", "boolean", "integer", "number", "string", "array", "object",
        ]);
        prop_oneof![
            Just(json!({})),
            any::<bool>().prop_map(J::Bool),
            types.clone().prop_map(|t| json!({ "type": t })),
            (types.clone(), types).prop_map(|(a, b)| json!({ "type": [a, b] })),
            prop::collection::vec(leaf_value(), 1..3).prop_map(|e| json!({ "enum": e })),
            leaf_value().prop_map(|c| json!({ "const": c })),
            (
                prop::sample::select(vec![
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum"
                ]),
                prop::sample::select(vec![json!(0), json!(1), json!(1.5), json!(-1.0)])
            )
                .prop_map(|(k, n)| json!({ k: n })),
            (
                prop::sample::select(vec![
                    "minLength",
                    "maxLength",
                    "minItems",
                    "maxItems",
                    "minProperties",
                    "maxProperties"
                ]),
                0u64..3
            )
                .prop_map(|(k, n)| json!({ k: n })),
            any::<bool>().prop_map(|b| json!({ "uniqueItems": b })),
            prop::sample::select(vec![
                "^a",
                "b$",
                "^v[0-9]+$",
                "a|b",
                ".",
                "^(a|ab){1,}$",
                "x{2}",
                "a{",
                "[^a]"
            ])
            .prop_map(|p| json!({ "pattern": p })),
            prop::collection::vec(prop::sample::select(vec!["a", "b"]), 0..3)
                .prop_map(|r| json!({ "required": r })),
            Just(json!({ "$ref": "#/definitions/d" })),
            Just(json!({ "format": "email" })),
            Just(json!({ "description": "x", "form": true, "default": 1 })),
        ]
    }

    fn schema() -> impl Strategy<Value = J> {
        leaf_schema().prop_recursive(3, 24, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone(), prop::option::of(inner.clone())).prop_map(
                    |(a, b, extra)| {
                        let mut s = json!({ "properties": { "a": a, "b": b } });
                        if let Some(e) = extra {
                            s["additionalProperties"] = e;
                        }
                        s
                    }
                ),
                inner.clone().prop_map(|s| json!({ "items": s })),
                inner.clone().prop_map(|s| json!({ "not": s })),
                (
                    prop::sample::select(vec!["allOf", "anyOf", "oneOf"]),
                    prop::collection::vec(inner.clone(), 1..3)
                )
                    .prop_map(|(k, v)| json!({ k: v })),
                (inner.clone(), inner).prop_map(|(a, b)| {
                    // Two keywords side by side, `$ref` among them or not.
                    let mut s = a.as_object().cloned().unwrap_or_default();
                    if let J::Object(b) = b {
                        for (k, v) in b {
                            s.entry(k).or_insert(v);
                        }
                    }
                    J::Object(s)
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Whatever the quick path decides, the full validator decides the same.
        #[test]
        fn agrees_with_the_full_validator(
            body in schema(),
            def in schema(),
            draft in prop::sample::select(vec![
                None,
                Some("http://json-schema.org/draft-06/schema#"),
                Some("http://json-schema.org/draft-07/schema#"),
                Some("https://json-schema.org/draft/2019-09/schema"),
                Some("https://json-schema.org/draft/2020-12/schema"),
                Some("http://json-schema.org/schema#"),
            ]),
            values in prop::collection::btree_map(
                prop::sample::select(vec!["a", "b", "c"]).prop_map(String::from),
                value(),
                0..3,
            ),
        ) {
            let mut root = match body {
                J::Object(m) => m,
                J::Bool(b) => {
                    let mut m = serde_json::Map::new();
                    if !b {
                        m.insert("not".into(), json!({}));
                    }
                    m
                }
                _ => unreachable!(),
            };
            root.insert("definitions".into(), json!({ "d": def }));
            if let Some(d) = draft {
                root.insert("$schema".into(), json!(d));
            }
            let root = J::Object(root);
            let values = map(J::Object(values.into_iter().collect()));
            if let Some(q) = quick(&root, &values) {
                prop_assert_eq!(Some(q), full(&root, &values), "schema {} values {:?}", root, values);
            }
        }
    }
}
