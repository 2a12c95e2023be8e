//! Helm's own functions: `toYaml`, `toYamlPretty`, `mustToYaml`, `fromYaml`, `fromYamlArray`,
//! `toJson`, `mustToJson`, `fromJson`, `fromJsonArray`, `mustFromJson`, `toToml`, `fromToml`,
//! `required`, `fail` (which in lint mode record their message and return `""`),
//! `getHostByName` (answering `""` as Helm does without `--enable-dns`), and the signatures of
//! `include`, `tpl` and `lookup`, which the evaluator runs itself.

use std::collections::BTreeMap;

use chart_core::Value;

use crate::funcs::{FnError, Registry, Ty};
use crate::lint::LintNote;
use crate::template::{WARN_END, WARN_START};
use crate::value::Val;

mod toml;

pub(crate) fn register(r: &mut Registry) {
    // Run by the evaluator; the bodies are never called.
    r.add("include", &[Ty::Str, Ty::Any], |_, _| Ok(Val::str("")));
    r.add("tpl", &[Ty::Str, Ty::Any], |_, _| Ok(Val::str("")));
    r.add("lookup", &[Ty::Str, Ty::Str, Ty::Str, Ty::Str], |_, _| Ok(Val::map(BTreeMap::new())));

    r.add("required", &[Ty::Str, Ty::Any], |env, a| {
        let mut it = a.into_iter();
        let warn = it.next().unwrap_or_default();
        let val = it.next().unwrap_or_default();
        let missing: Option<fn(String) -> LintNote> = match &val {
            Val::Nil | Val::NoValue => Some(LintNote::MissingRequired),
            Val::Str(s) if s.is_empty() => Some(LintNote::MissingRequiredString),
            _ => None,
        };
        let Some(note) = missing else { return Ok(val) };
        let warn = warn.as_str().unwrap_or("");
        match env.lint.as_deref_mut() {
            // Helm's lint mode logs the message and goes on with an empty string.
            Some(notes) => {
                notes.push(note(warn.to_string()));
                Ok(Val::str(""))
            }
            None => Err(wrap_warn(warn)),
        }
    });
    r.add("fail", &[Ty::Str], |env, a| {
        let msg = a[0].as_str().unwrap_or("");
        match env.lint.as_deref_mut() {
            Some(notes) => {
                notes.push(LintNote::Fail(msg.to_string()));
                Ok(Val::str(""))
            }
            None => Err(wrap_warn(msg)),
        }
    });
    r.add("getHostByName", &[Ty::Str], |_, _| Ok(Val::str("")));

    r.add("toYaml", &[Ty::Any], |_, a| {
        Ok(Val::from(match chart_core::yaml::marshal(&a[0].to_value()) {
            Ok(s) => trim_newline(s),
            Err(_) => String::new(),
        }))
    });
    r.add("mustToYaml", &[Ty::Any], |_, a| match chart_core::yaml::marshal(&a[0].to_value()) {
        Ok(s) => Ok(Val::from(trim_newline(s))),
        Err(e) => Err(FnError::new(e.to_string())),
    });
    r.add("toYamlPretty", &[Ty::Any], |_, a| {
        Ok(Val::from(match chart_core::yaml::to_yaml_pretty(&a[0].to_value()) {
            Ok(s) => trim_newline(s),
            Err(_) => String::new(),
        }))
    });
    r.add("fromYaml", &[Ty::Str], |_, a| {
        let text = a[0].as_str().unwrap_or("");
        Ok(match chart_core::yaml::yaml_to_json(text) {
            Ok(Value::Map(m)) => Val::from_value(&Value::Map(m)),
            Ok(Value::Null) => Val::map(BTreeMap::new()),
            Ok(other) => error_map(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                other.json_kind()
            )),
            Err(e) => error_map(e.message),
        })
    });
    r.add("fromYamlArray", &[Ty::Str], |_, a| {
        let text = a[0].as_str().unwrap_or("");
        Ok(match chart_core::yaml::yaml_to_json(text) {
            Ok(Value::List(l)) => Val::from_value(&Value::List(l)),
            Ok(Value::Null) => Val::list(Vec::new()),
            Ok(other) => Val::list(vec![Val::from(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                other.json_kind()
            ))]),
            Err(e) => Val::list(vec![Val::from(e.message)]),
        })
    });
    r.add("toJson", &[Ty::Any], |_, a| {
        Ok(Val::from(a[0].to_value().to_json(true).unwrap_or_default()))
    });
    r.add("mustToJson", &[Ty::Any], |_, a| match a[0].to_value().to_json(true) {
        Ok(s) => Ok(Val::from(s)),
        Err(e) => Err(FnError::new(format!(
            "json: unsupported value: {}",
            chart_core::gofmt::format_float_g(e.0)
        ))),
    });
    r.add("fromJson", &[Ty::Str], |_, a| {
        let text = a[0].as_str().unwrap_or("");
        Ok(match chart_core::values::unmarshal_json_partial(text) {
            Ok((Value::Map(m), err)) => {
                let v = Val::from_value(&Value::Map(m));
                if let (Some(e), Val::Map(d)) = (err, &v) {
                    d.map.borrow_mut().insert("Error".into(), Val::from(e));
                }
                v
            }
            Ok((Value::Null, None)) => Val::map(BTreeMap::new()),
            Ok((Value::Null, Some(e))) => error_map(e),
            Ok((other, _)) => error_map(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                other.json_kind()
            )),
            Err(e) => error_map(e),
        })
    });
    r.add("fromJsonArray", &[Ty::Str], |_, a| {
        let text = a[0].as_str().unwrap_or("");
        Ok(match chart_core::values::unmarshal_json(text) {
            Ok(Value::List(l)) => Val::from_value(&Value::List(l)),
            Ok(Value::Null) => Val::list(Vec::new()),
            Ok(other) => Val::list(vec![Val::from(format!(
                "json: cannot unmarshal {} into Go value of type []interface {{}}",
                other.json_kind()
            ))]),
            Err(e) => Val::list(vec![Val::from(e)]),
        })
    });
    r.add("mustFromJson", &[Ty::Str], |_, a| {
        match chart_core::values::unmarshal_json(a[0].as_str().unwrap_or("")) {
            Ok(v) => Ok(Val::from_value(&v)),
            Err(e) => Err(FnError::new(e)),
        }
    });
    r.add("toToml", &[Ty::Any], |_, a| Ok(Val::from(toml::encode(&a[0]))));
    r.add("fromToml", &[Ty::Str], |_, a| {
        Ok(match toml::decode(a[0].as_str().unwrap_or("")) {
            Ok(v) => v,
            Err(e) => error_map(e),
        })
    });
}

fn wrap_warn(msg: &str) -> FnError {
    FnError::new(format!("{WARN_START}{msg}{WARN_END}"))
}

fn trim_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

fn error_map(msg: String) -> Val {
    let mut m = BTreeMap::new();
    m.insert("Error".to_string(), Val::from(msg));
    Val::map(m)
}
