//! [`Val`]: the values a template works with, with the Go types the template can observe.
//!
//! Templates can tell Go's types apart (`typeOf`, `kindIs`, comparison errors, `printf "%T"`), so
//! the engine keeps them: `int` (literals, `len`) apart from `int64` (sprig arithmetic, `--set`)
//! and `float64` (every YAML number), `[]interface {}` apart from `[]string`, and a missing map
//! entry (a nil `interface {}`) apart from "no value at all" (Go's invalid `reflect.Value`).
//!
//! Maps are shared and mutable, as Go maps are: `set`, `unset` and `merge` change the map every
//! holder sees. Lists are shared and never changed in place (sprig copies them).

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use chart_core::Value;
use chart_core::gofmt::format_float_g;

/// The element type of a Go slice held in a [`Val::List`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Elem {
    /// `[]interface {}`.
    Any,
    /// `[]string`.
    Str,
    /// `[]int`.
    Int,
    /// `[]int64`.
    Int64,
    /// `[]float64`.
    Float64,
}

impl Elem {
    /// Go's name of the slice type (`[]interface {}`).
    pub fn type_name(self) -> &'static str {
        match self {
            Elem::Any => "[]interface {}",
            Elem::Str => "[]string",
            Elem::Int => "[]int",
            Elem::Int64 => "[]int64",
            Elem::Float64 => "[]float64",
        }
    }
}

/// The Go type of a map held in a [`Val::Map`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MapKind {
    /// `map[string]interface {}`.
    Any,
    /// Helm's `common.Values` (a named `map[string]interface {}`): `.Values`, `.Template`.
    Values,
    /// `map[string]string` (sprig `split`).
    Str,
}

impl MapKind {
    /// Go's name of the map type.
    pub fn type_name(self) -> &'static str {
        match self {
            MapKind::Any => "map[string]interface {}",
            MapKind::Values => "common.Values",
            MapKind::Str => "map[string]string",
        }
    }
}

/// A Go slice: its element type and its items.
#[derive(Debug, Clone)]
pub struct List {
    /// The element type.
    pub elem: Elem,
    /// The items.
    pub items: Vec<Val>,
}

/// A Go map with string keys, shared and mutable. Keys iterate in byte order, as Go sorts them.
#[derive(Debug)]
pub struct Dict {
    /// The Go type of the map.
    pub kind: MapKind,
    /// The entries.
    pub map: RefCell<BTreeMap<String, Val>>,
}

/// A value with Go-visible methods and fields: Helm's `.Chart`, `.Capabilities`, `.Files`, sprig's
/// semantic versions and times.
pub trait Object: fmt::Debug {
    /// Go's `%T` of the value (`*chart.Metadata`).
    fn type_name(&self) -> String;
    /// `reflect.Kind` name (`struct`, `ptr`, `map`, `slice`).
    fn kind(&self) -> &'static str {
        "ptr"
    }
    /// A field (or niladic method result), `None` when there is none of that name.
    fn field(&self, name: &str) -> Option<Val> {
        let _ = name;
        None
    }
    /// The parameters of a method of that name, `None` when there is no such method.
    fn method(&self, name: &str) -> Option<crate::funcs::Sig> {
        let _ = name;
        None
    }
    /// Calls a method after the engine converted `args` to the types [`Object::method`] declared.
    fn call_method(&self, name: &str, args: Vec<Val>) -> Result<Val, crate::funcs::FnError> {
        let _ = args;
        Err(crate::funcs::FnError::new(format!("can't call method {name}")))
    }
    /// Go's `%v` of the value.
    fn fmt_v(&self) -> String;
    /// Go's `%v` of the value inside a map or slice, where `fmt` prints a pointer's address
    /// instead of the value it points to.
    fn fmt_nested(&self) -> String {
        self.fmt_v()
    }
    /// Go's truth of the value (structs and non-nil pointers are true).
    fn truthy(&self) -> bool {
        true
    }
    /// The length, for values `len` accepts.
    fn length(&self) -> Option<usize> {
        None
    }
    /// The value under a key, for map-like values (`.Files.name`).
    fn map_index(&self, key: &str) -> Option<Val> {
        let _ = key;
        None
    }
    /// Key/value pairs in iteration order, for values `range` accepts.
    fn entries(&self) -> Option<Vec<(Val, Val)>> {
        None
    }
    /// The value `encoding/json` (and so `toJson`, `toYaml`) sees: by default the `%v` text.
    fn to_value(&self) -> Value {
        Value::String(self.fmt_v())
    }
    /// Downcasting support.
    fn as_any(&self) -> &dyn Any;
}

/// A value inside a running template.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Val {
    /// No value at all (Go's invalid `reflect.Value`): the result of a pipeline that produced a nil
    /// interface. Prints as `<no value>`.
    #[default]
    NoValue,
    /// A nil `interface {}`: a missing map key, a YAML `null`, the `nil` literal.
    Nil,
    /// `bool`.
    Bool(bool),
    /// Go `int`: number literals, `len`, `int`.
    Int(i64),
    /// Go `int64`: sprig arithmetic, `--set` numbers, `int64`.
    Int64(i64),
    /// `float64`: YAML and JSON numbers, float literals.
    Float(f64),
    /// `string`.
    Str(std::sync::Arc<str>),
    /// `[]byte`.
    Bytes(Rc<[u8]>),
    /// A slice.
    List(Rc<List>),
    /// A map.
    Map(Rc<Dict>),
    /// A value with fields and methods.
    Obj(Rc<dyn Object>),
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::NoValue => f.write_str("NoValue"),
            Val::Nil => f.write_str("Nil"),
            Val::Bool(b) => write!(f, "Bool({b})"),
            Val::Int(i) => write!(f, "Int({i})"),
            Val::Int64(i) => write!(f, "Int64({i})"),
            Val::Float(x) => write!(f, "Float({x})"),
            Val::Str(s) => write!(f, "Str({s:?})"),
            Val::Bytes(b) => write!(f, "Bytes({b:?})"),
            Val::List(l) => write!(f, "List({:?}, {:?})", l.elem, l.items),
            Val::Map(m) => write!(f, "Map({:?}, {:?})", m.kind, m.map.borrow()),
            Val::Obj(o) => write!(f, "Obj({o:?})"),
        }
    }
}

impl Val {
    /// A string value.
    pub fn str(s: impl Into<std::sync::Arc<str>>) -> Val {
        Val::Str(s.into())
    }

    /// A `[]interface {}`.
    pub fn list(items: Vec<Val>) -> Val {
        Val::List(Rc::new(List { elem: Elem::Any, items }))
    }

    /// A slice with the given element type.
    pub fn typed_list(elem: Elem, items: Vec<Val>) -> Val {
        Val::List(Rc::new(List { elem, items }))
    }

    /// A `[]string`.
    pub fn str_list<I, S>(items: I) -> Val
    where
        I: IntoIterator<Item = S>,
        S: Into<std::sync::Arc<str>>,
    {
        Val::typed_list(Elem::Str, items.into_iter().map(|s| Val::Str(s.into())).collect())
    }

    /// A new `map[string]interface {}`.
    pub fn map(entries: BTreeMap<String, Val>) -> Val {
        Val::map_of(MapKind::Any, entries)
    }

    /// A new map of the given Go type.
    pub fn map_of(kind: MapKind, entries: BTreeMap<String, Val>) -> Val {
        Val::Map(Rc::new(Dict { kind, map: RefCell::new(entries) }))
    }

    /// Converts chart data: numbers that are `int64` in [`Value`] stay `int64`, maps become
    /// `map[string]interface {}`.
    pub fn from_value(v: &Value) -> Val {
        match v {
            Value::Null => Val::Nil,
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(i) => Val::Int64(*i),
            Value::Float(f) => Val::Float(*f),
            Value::String(s) => Val::str(s.as_str()),
            Value::List(l) => Val::list(l.iter().map(Val::from_value).collect()),
            Value::Map(m) => {
                Val::map(m.iter().map(|(k, v)| (k.clone(), Val::from_value(v))).collect())
            }
        }
    }

    /// Converts back to chart data for serialising (`toYaml`, `toJson`). Go's `int` and `int64`
    /// become [`Value::Int`]; objects become their `%v` string, except those that serialise as
    /// maps; `[]byte` becomes its base64 text, as `encoding/json` writes it.
    pub fn to_value(&self) -> Value {
        match self {
            Val::NoValue | Val::Nil => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) | Val::Int64(i) => Value::Int(*i),
            Val::Float(f) => Value::Float(*f),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Bytes(b) => Value::String(crate::funcs::base64_std(b)),
            Val::List(l) => Value::List(l.items.iter().map(Val::to_value).collect()),
            Val::Map(m) => {
                Value::Map(m.map.borrow().iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
            Val::Obj(o) => o.to_value(),
        }
    }

    /// Go's `%T`.
    pub fn type_name(&self) -> String {
        match self {
            Val::NoValue | Val::Nil => "<nil>".into(),
            Val::Bool(_) => "bool".into(),
            Val::Int(_) => "int".into(),
            Val::Int64(_) => "int64".into(),
            Val::Float(_) => "float64".into(),
            Val::Str(_) => "string".into(),
            Val::Bytes(_) => "[]uint8".into(),
            Val::List(l) => l.elem.type_name().into(),
            Val::Map(m) => m.kind.type_name().into(),
            Val::Obj(o) => o.type_name(),
        }
    }

    /// `reflect.Kind` name, as sprig's `kindOf` prints it (`invalid` for nil).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Val::NoValue | Val::Nil => "invalid",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Int64(_) => "int64",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::Bytes(_) | Val::List(_) => "slice",
            Val::Map(_) => "map",
            Val::Obj(o) => o.kind(),
        }
    }

    /// Go's `text/template` truth: false for zero numbers, empty strings and collections, nil.
    pub fn truthy(&self) -> bool {
        match self {
            Val::NoValue | Val::Nil => false,
            Val::Bool(b) => *b,
            Val::Int(i) | Val::Int64(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Bytes(b) => !b.is_empty(),
            Val::List(l) => !l.items.is_empty(),
            Val::Map(m) => !m.map.borrow().is_empty(),
            Val::Obj(o) => o.truthy(),
        }
    }

    /// Whether this is nil (either form).
    pub fn is_nil(&self) -> bool {
        matches!(self, Val::NoValue | Val::Nil)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether two values are the same Go value (`reflect.DeepEqual`).
    pub fn deep_equal(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::NoValue | Val::Nil, Val::NoValue | Val::Nil) => true,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Int(a), Val::Int(b)) | (Val::Int64(a), Val::Int64(b)) => a == b,
            (Val::Float(a), Val::Float(b)) => a == b,
            (Val::Str(a), Val::Str(b)) => a == b,
            (Val::Bytes(a), Val::Bytes(b)) => a == b,
            (Val::List(a), Val::List(b)) => {
                a.elem == b.elem
                    && a.items.len() == b.items.len()
                    && a.items.iter().zip(&b.items).all(|(x, y)| x.deep_equal(y))
            }
            (Val::Map(a), Val::Map(b)) => {
                if Rc::ptr_eq(a, b) {
                    return true;
                }
                let (a_map, b_map) = (a.map.borrow(), b.map.borrow());
                a.kind == b.kind
                    && a_map.len() == b_map.len()
                    && a_map
                        .iter()
                        .zip(b_map.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.deep_equal(vb))
            }
            (Val::Obj(a), Val::Obj(b)) => Rc::ptr_eq(a, b) || a.fmt_v() == b.fmt_v(),
            _ => false,
        }
    }

    /// Go's `%v` of the value as it prints at the top of an action (`<no value>` for no value).
    pub fn fmt_v(&self) -> String {
        let mut s = String::new();
        self.write_v(&mut s, true);
        s
    }

    /// Appends Go's `%v`; `top` says whether this is the outermost value (only there does a nil
    /// interface print `<no value>` rather than `<nil>`).
    pub fn write_v(&self, out: &mut String, top: bool) {
        match self {
            Val::NoValue if top => out.push_str("<no value>"),
            Val::NoValue | Val::Nil => out.push_str("<nil>"),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Int(i) | Val::Int64(i) => out.push_str(&i.to_string()),
            Val::Float(f) => out.push_str(&format_float_g(*f)),
            Val::Str(s) => out.push_str(s),
            Val::Bytes(b) => {
                out.push('[');
                for (i, x) in b.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(&x.to_string());
                }
                out.push(']');
            }
            Val::List(l) => {
                out.push('[');
                for (i, x) in l.items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    x.write_v(out, false);
                }
                out.push(']');
            }
            Val::Map(m) => {
                out.push_str("map[");
                for (i, (k, v)) in m.map.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(k);
                    out.push(':');
                    v.write_v(out, false);
                }
                out.push(']');
            }
            Val::Obj(o) if top => out.push_str(&o.fmt_v()),
            Val::Obj(o) => out.push_str(&o.fmt_nested()),
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fmt_v())
    }
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::str(s)
    }
}

impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::str(s)
    }
}

impl From<bool> for Val {
    fn from(b: bool) -> Val {
        Val::Bool(b)
    }
}
