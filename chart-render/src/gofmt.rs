//! Go's `fmt` formatting of template values (`printf`, `print`, `println`, `%v`).

use crate::value::Val;

/// Go's `%s` of a value (placeholder until the full formatter lands).
pub(crate) fn fmt_s(v: &Val) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        Val::Nil | Val::NoValue => "%!s(<nil>)".into(),
        Val::Bool(_) | Val::Int(_) | Val::Int64(_) | Val::Float(_) => {
            format!("%!s({}={})", v.type_name(), v.fmt_v())
        }
        Val::List(l) => {
            let items: Vec<String> = l.items.iter().map(fmt_s).collect();
            format!("[{}]", items.join(" "))
        }
        Val::Map(m) => {
            let items: Vec<String> =
                m.map.borrow().iter().map(|(k, v)| format!("{k}:{}", fmt_s(v))).collect();
            format!("map[{}]", items.join(" "))
        }
        _ => v.fmt_v(),
    }
}
