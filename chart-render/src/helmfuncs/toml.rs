//! TOML for `toToml` (BurntSushi/toml's encoder layout) and `fromToml`.

use std::collections::BTreeMap;

use crate::value::Val;

/// BurntSushi's encoder output, or its error text (which `toToml` returns as the result).
pub(crate) fn encode(v: &Val) -> String {
    let mut e = Encoder { out: String::new() };
    match v {
        Val::Map(m) => {
            let entries: Vec<(String, Val)> =
                m.map.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            match e.table(&[], &entries) {
                Ok(()) => e.out,
                Err(msg) => msg,
            }
        }
        _ => "toml: top-level values must be Go maps or structs".into(),
    }
}

struct Encoder {
    out: String,
}

fn is_table(v: &Val) -> bool {
    matches!(v, Val::Map(_))
}

fn is_array_of_tables(v: &Val) -> bool {
    match v {
        Val::List(l) => !l.items.is_empty() && l.items.iter().all(is_table),
        _ => false,
    }
}

fn quote_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        quote_str(k)
    }
}

fn quote_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_path(key: &[String]) -> String {
    key.iter().map(|k| quote_key(k)).collect::<Vec<_>>().join(".")
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn table(&mut self, key: &[String], entries: &[(String, Val)]) -> Result<(), String> {
        // Plain values first, then tables and arrays of tables, each group in key order.
        for (k, v) in entries {
            if v.is_nil() || is_table(v) || is_array_of_tables(v) {
                continue;
            }
            let mut sub = key.to_vec();
            sub.push(k.clone());
            self.out.push_str(&format!("{}{} = ", Self::indent(&sub), quote_key(k)));
            self.element(v)?;
            self.newline();
        }
        for (k, v) in entries {
            let mut sub = key.to_vec();
            sub.push(k.clone());
            match v {
                Val::Map(m) => {
                    if sub.len() == 1 {
                        self.newline();
                    }
                    self.out.push_str(&format!("{}[{}]", Self::indent(&sub), key_path(&sub)));
                    self.newline();
                    let inner: Vec<(String, Val)> =
                        m.map.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    self.table(&sub, &inner)?;
                }
                Val::List(l) if is_array_of_tables(v) => {
                    for item in &l.items {
                        if let Val::Map(m) = item {
                            self.newline();
                            self.out.push_str(&format!(
                                "{}[[{}]]",
                                Self::indent(&sub),
                                key_path(&sub)
                            ));
                            self.newline();
                            let inner: Vec<(String, Val)> = m
                                .map
                                .borrow()
                                .iter()
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect();
                            self.table(&sub, &inner)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn element(&mut self, v: &Val) -> Result<(), String> {
        match v {
            Val::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Val::Int(i) | Val::Int64(i) => self.out.push_str(&i.to_string()),
            Val::Float(f) => self.out.push_str(&float(*f)),
            Val::Str(s) => self.out.push_str(&quote_str(s)),
            Val::List(l) => {
                self.out.push('[');
                for (i, x) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    if x.is_nil() {
                        return Err("toml: cannot encode array with nil element".into());
                    }
                    self.element(x)?;
                }
                self.out.push(']');
            }
            Val::Map(m) => {
                self.out.push('{');
                let mut first = true;
                for (k, x) in m.map.borrow().iter() {
                    if x.is_nil() {
                        continue;
                    }
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    self.out.push_str(&format!("{} = ", quote_key(k)));
                    self.element(x)?;
                }
                self.out.push('}');
            }
            other => self.out.push_str(&quote_str(&other.fmt_v())),
        }
        Ok(())
    }
}

fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{f}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// Parses TOML into a map, as `fromToml` does; the error text on failure.
pub(crate) fn decode(text: &str) -> Result<Val, String> {
    let table: ::toml::Table =
        text.parse().map_err(|e: ::toml::de::Error| format!("toml: {}", e.message()))?;
    Ok(convert(&::toml::Value::Table(table)))
}

fn convert(v: &::toml::Value) -> Val {
    match v {
        ::toml::Value::String(s) => Val::str(s.as_str()),
        ::toml::Value::Integer(i) => Val::Int64(*i),
        ::toml::Value::Float(f) => Val::Float(*f),
        ::toml::Value::Boolean(b) => Val::Bool(*b),
        ::toml::Value::Datetime(d) => Val::from(d.to_string()),
        ::toml::Value::Array(a) => Val::list(a.iter().map(convert).collect()),
        ::toml::Value::Table(t) => {
            let m: BTreeMap<String, Val> = t.iter().map(|(k, v)| (k.clone(), convert(v))).collect();
            Val::map(m)
        }
    }
}
