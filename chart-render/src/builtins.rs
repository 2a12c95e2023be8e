//! Go's `text/template` builtins that compare and inspect values: `not`, `len`, `index`, `eq`,
//! `ne`, `lt`, `le`, `gt`, `ge`, `call` (`and` and `or` short-circuit inside the evaluator;
//! `print`, `printf`, `println`, `html`, `js` and `urlquery` live with the string functions).

use crate::funcs::{Env, FnError, FnResult, Registry, Ty};
use crate::value::{MapKind, Val};

pub(crate) fn register(r: &mut Registry) {
    // The evaluator implements `and` and `or` itself (they return an operand and short-circuit);
    // the bodies here are never called.
    r.add_variadic("and", &[Ty::Value], Ty::Value, |_, a| {
        Ok(a.into_iter().next().unwrap_or_default())
    });
    r.add_variadic("or", &[Ty::Value], Ty::Value, |_, a| {
        Ok(a.into_iter().next().unwrap_or_default())
    });
    r.add("not", &[Ty::Value], |_, a| Ok(Val::Bool(!a[0].truthy())));
    r.add("len", &[Ty::Value], len);
    r.add_variadic("index", &[Ty::Value], Ty::Value, index);
    r.add_variadic("eq", &[Ty::Value], Ty::Value, eq);
    r.add("ne", &[Ty::Value, Ty::Value], |e, a| Ok(Val::Bool(!eq(e, a)?.truthy())));
    r.add("lt", &[Ty::Value, Ty::Value], |_, a| Ok(Val::Bool(lt(&a[0], &a[1])?)));
    r.add("le", &[Ty::Value, Ty::Value], |_, a| Ok(Val::Bool(le(&a[0], &a[1])?)));
    r.add("gt", &[Ty::Value, Ty::Value], |_, a| Ok(Val::Bool(!le(&a[0], &a[1])?)));
    r.add("ge", &[Ty::Value, Ty::Value], |_, a| Ok(Val::Bool(!lt(&a[0], &a[1])?)));
    r.add_variadic("call", &[Ty::Value], Ty::Value, |_, a| match &a[0] {
        Val::Nil | Val::NoValue => Err(FnError::new("call of nil")),
        v => Err(FnError::new(format!("non-function of type {}", v.type_name()))),
    });
}

fn len(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let n = match &a[0] {
        Val::Nil | Val::NoValue => return Err(FnError::new("len of nil pointer")),
        Val::Str(s) => s.len(),
        Val::Bytes(b) => b.len(),
        Val::List(l) => l.items.len(),
        Val::Map(m) => m.map.borrow().len(),
        Val::Obj(o) => match o.length() {
            Some(n) => n,
            None => return Err(FnError::new(format!("len of type {}", o.type_name()))),
        },
        v => return Err(FnError::new(format!("len of type {}", v.type_name()))),
    };
    Ok(Val::Int(n as i64))
}

fn index_arg(index: &Val, cap: usize) -> Result<usize, FnError> {
    let x = match index {
        Val::Int(i) | Val::Int64(i) => *i,
        Val::Nil | Val::NoValue => return Err(FnError::new("cannot index slice/array with nil")),
        v => {
            return Err(FnError::new(format!(
                "cannot index slice/array with type {}",
                v.type_name()
            )));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(FnError::new(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn map_key(index: &Val) -> Result<&str, FnError> {
    match index {
        Val::Str(s) => Ok(s),
        Val::Nil | Val::NoValue => Err(FnError::new("value is nil; should be of type string")),
        v => Err(FnError::new(format!("value has type {}; should be string", v.type_name()))),
    }
}

fn index(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let mut it = a.into_iter();
    let mut item = it.next().unwrap_or_default();
    if item.is_nil() {
        return Err(FnError::new("index of untyped nil"));
    }
    for idx in it {
        item = match &item {
            Val::Nil | Val::NoValue => return Err(FnError::new("index of nil pointer")),
            Val::List(l) => {
                let x = index_arg(&idx, l.items.len())?;
                match l.items.get(x) {
                    Some(v) => v.clone(),
                    None => return Err(FnError::new("reflect: slice index out of range")),
                }
            }
            Val::Bytes(b) => {
                let x = index_arg(&idx, b.len())?;
                match b.get(x) {
                    Some(v) => Val::Int(i64::from(*v)),
                    None => return Err(FnError::new("reflect: slice index out of range")),
                }
            }
            Val::Str(s) => {
                let x = index_arg(&idx, s.len())?;
                match s.as_bytes().get(x) {
                    Some(v) => Val::Int(i64::from(*v)),
                    None => return Err(FnError::new("reflect: string index out of range")),
                }
            }
            Val::Map(m) => {
                let k = map_key(&idx)?;
                let v = m.map.borrow().get(k).cloned();
                v.unwrap_or(if m.kind == MapKind::Str { Val::str("") } else { Val::Nil })
            }
            Val::Obj(o) => {
                let k = map_key(&idx)?;
                match o.map_index(k) {
                    Some(v) => v,
                    None if o.entries().is_some() => Val::Nil,
                    None => {
                        return Err(FnError::new(format!(
                            "can't index item of type {}",
                            o.type_name()
                        )));
                    }
                }
            }
            v => return Err(FnError::new(format!("can't index item of type {}", v.type_name()))),
        };
    }
    Ok(item)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: &Val) -> Kind {
    match v {
        Val::Bool(_) => Kind::Bool,
        Val::Int(_) | Val::Int64(_) => Kind::Int,
        Val::Float(_) => Kind::Float,
        Val::Str(_) => Kind::Str,
        _ => Kind::Invalid,
    }
}

fn incompatible(a: &Val, b: &Val) -> FnError {
    FnError::new(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

fn comparable(v: &Val) -> bool {
    !matches!(v, Val::Map(_) | Val::List(_) | Val::Bytes(_))
}

/// Go's `%s` of a value, as it appears in `non-comparable type` errors.
fn fmt_s(v: &Val) -> String {
    crate::gofmt::fmt_verb(v, 's')
}

fn eq(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let arg1 = &a[0];
    if a.len() < 2 {
        return Err(FnError::new("missing argument for comparison"));
    }
    let k1 = basic_kind(arg1);
    for arg in &a[1..] {
        let k2 = basic_kind(arg);
        let truth = if k1 != k2 {
            if !arg1.is_nil() && !arg.is_nil() {
                return Err(incompatible(arg1, arg));
            }
            false
        } else {
            match (arg1, arg) {
                (Val::Bool(x), Val::Bool(y)) => x == y,
                (Val::Float(x), Val::Float(y)) => x == y,
                (Val::Int(x) | Val::Int64(x), Val::Int(y) | Val::Int64(y)) => x == y,
                (Val::Str(x), Val::Str(y)) => x == y,
                _ => {
                    if arg1.is_nil() || arg.is_nil() {
                        arg1.is_nil() == arg.is_nil()
                    } else if std::mem::discriminant(arg1) != std::mem::discriminant(arg)
                        || arg1.type_name() != arg.type_name()
                    {
                        return Err(FnError::new(format!(
                            "non-comparable types {}: {}, {}: {}",
                            fmt_s(arg1),
                            arg1.type_name(),
                            arg.type_name(),
                            fmt_s(arg)
                        )));
                    } else if !comparable(arg) {
                        return Err(FnError::new(format!(
                            "non-comparable type {}: {}",
                            fmt_s(arg),
                            arg.type_name()
                        )));
                    } else if let (Val::Obj(x), Val::Obj(y)) = (arg1, arg) {
                        std::rc::Rc::ptr_eq(x, y)
                    } else {
                        false
                    }
                }
            }
        };
        if truth {
            return Ok(Val::Bool(true));
        }
    }
    Ok(Val::Bool(false))
}

fn lt(a: &Val, b: &Val) -> Result<bool, FnError> {
    let bad = || FnError::new("invalid type for comparison");
    let k1 = basic_kind(a);
    if k1 == Kind::Invalid {
        return Err(bad());
    }
    let k2 = basic_kind(b);
    if k2 == Kind::Invalid {
        return Err(bad());
    }
    if k1 != k2 {
        return Err(incompatible(a, b));
    }
    Ok(match (a, b) {
        (Val::Float(x), Val::Float(y)) => x < y,
        (Val::Int(x) | Val::Int64(x), Val::Int(y) | Val::Int64(y)) => x < y,
        (Val::Str(x), Val::Str(y)) => x < y,
        _ => return Err(bad()),
    })
}

fn le(a: &Val, b: &Val) -> Result<bool, FnError> {
    if lt(a, b)? {
        return Ok(true);
    }
    let mut env_rng = crate::funcs::SeededRandom(1);
    let clock = crate::funcs::SystemClock;
    let mut env = Env { random: &mut env_rng, clock: &clock, lint: None };
    Ok(eq(&mut env, vec![a.clone(), b.clone()])?.truthy())
}
