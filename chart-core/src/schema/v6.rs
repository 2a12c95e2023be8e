//! Validation messages in the words of santhosh-tekuri/jsonschema v6, the validator Helm 4 uses:
//! `got string, want integer`, `missing properties 'a', 'b'`, `minimum: got 1, want 3`, and a
//! failed `anyOf`/`oneOf` followed by its subschemas' failures, indented.
//!
//! The errors themselves come from the `jsonschema` crate; only their wording is Helm's. Kinds
//! without a counterpart here keep the crate's wording.

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value as J;

use crate::gofmt::{format_float_g, go_quote};

/// `at '<pointer>': <message>` for each error, with consecutive `required` failures at one
/// place joined as v6 reports them (`missing properties 'a', 'c'`).
pub(super) fn messages<'a>(errors: impl Iterator<Item = ValidationError<'a>>) -> Vec<String> {
    let errors: Vec<ValidationError<'a>> = errors.collect();
    messages_of(&errors)
}

fn messages_of(errors: &[ValidationError<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The place and the names of the run of `required` failures being joined.
    let mut missing: Option<(String, Vec<String>)> = None;
    let flush = |missing: &mut Option<(String, Vec<String>)>, out: &mut Vec<String>| {
        if let Some((at, names)) = missing.take() {
            out.push(format!("at '{at}': {}", missing_message(&names)));
        }
    };
    for e in errors {
        let at = e.instance_path().to_string();
        if let ValidationErrorKind::Required { property: J::String(name) } = e.kind() {
            match &mut missing {
                Some((place, names)) if *place == at => names.push(name.clone()),
                _ => {
                    flush(&mut missing, &mut out);
                    missing = Some((at, vec![name.clone()]));
                }
            }
            continue;
        }
        flush(&mut missing, &mut out);
        out.push(format!("at '{at}': {}", message(e)));
    }
    flush(&mut missing, &mut out);
    out
}

fn missing_message(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quote(n)).collect();
    if quoted.len() == 1 {
        format!("missing property {}", quoted[0])
    } else {
        format!("missing properties {}", quoted.join(", "))
    }
}

/// One error's message (with the nested failures of `anyOf`/`oneOf` on the lines after it).
fn message(e: &ValidationError<'_>) -> String {
    let inst = e.instance();
    let got = |limit: &dyn std::fmt::Display, name: &str, value: String| {
        format!("{name}: got {value}, want {limit}")
    };
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let want = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => {
                    set.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or ")
                }
            };
            format!("got {}, want {want}", type_name(inst))
        }
        ValidationErrorKind::Minimum { limit } => got(&number(limit), "minimum", number(inst)),
        ValidationErrorKind::Maximum { limit } => got(&number(limit), "maximum", number(inst)),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            got(&number(limit), "exclusiveMinimum", number(inst))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            got(&number(limit), "exclusiveMaximum", number(inst))
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            got(&format_float_g(*multiple_of), "multipleOf", number(inst))
        }
        ValidationErrorKind::MinLength { limit } => got(limit, "minLength", length(inst)),
        ValidationErrorKind::MaxLength { limit } => got(limit, "maxLength", length(inst)),
        ValidationErrorKind::MinItems { limit } => got(limit, "minItems", length(inst)),
        ValidationErrorKind::MaxItems { limit } => got(limit, "maxItems", length(inst)),
        ValidationErrorKind::MinProperties { limit } => got(limit, "minProperties", length(inst)),
        ValidationErrorKind::MaxProperties { limit } => got(limit, "maxProperties", length(inst)),
        ValidationErrorKind::Pattern { pattern } => match inst.as_ref() {
            J::String(s) => format!("{} does not match pattern {}", quote(s), quote(pattern)),
            _ => e.to_string(),
        },
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|n| quote(n)).collect();
            format!("additional properties {} not allowed", names.join(", "))
        }
        ValidationErrorKind::Enum { options } => match options.as_ref() {
            J::Array(opts) if opts.iter().all(|o| o.is_string() || o.is_number()) => {
                let shown: Vec<String> = opts.iter().map(scalar).collect();
                format!("value must be one of {}", shown.join(", "))
            }
            _ => "'enum' failed".into(),
        },
        ValidationErrorKind::Constant { expected_value } => match expected_value.as_ref() {
            v @ (J::String(_) | J::Number(_)) => format!("value must be {}", scalar(v)),
            _ => "'const' failed".into(),
        },
        ValidationErrorKind::UniqueItems => match inst.as_ref() {
            J::Array(items) => equal_pair(items)
                .map_or_else(|| e.to_string(), |(i, j)| format!("items at {i} and {j} are equal")),
            _ => e.to_string(),
        },
        ValidationErrorKind::Not { .. } => "'not' failed".into(),
        ValidationErrorKind::FalseSchema => "false schema".into(),
        ValidationErrorKind::AnyOf { context } => nested("'anyOf' failed", context),
        ValidationErrorKind::OneOfNotValid { context } => {
            nested("'oneOf' failed, none matched", context)
        }
        ValidationErrorKind::OneOfMultipleValid { context } => {
            let valid: Vec<String> = context
                .iter()
                .enumerate()
                .filter(|(_, errs)| errs.is_empty())
                .map(|(i, _)| i.to_string())
                .collect();
            if valid.len() >= 2 {
                format!("'oneOf' failed, subschemas {} matched", valid.join(", "))
            } else {
                e.to_string()
            }
        }
        _ => e.to_string(),
    }
}

/// A group's heading, then each subschema's failures on their own lines, indented.
fn nested(heading: &str, context: &[Vec<ValidationError<'static>>]) -> String {
    let mut s = heading.to_string();
    for errs in context {
        for m in messages_of(errs) {
            s.push_str("\n  - ");
            s.push_str(&m.replace('\n', "\n  "));
        }
    }
    s
}

/// v6's name of an instance's JSON type (every number is a `number`: Helm's values reach the
/// validator as `float64`s).
fn type_name(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

/// A number as Go's `%v` prints a `float64`.
fn number(v: &J) -> String {
    v.as_f64().map_or_else(|| v.to_string(), format_float_g)
}

/// The length v6 reports: characters of a string, items of an array, properties of an object.
fn length(v: &J) -> String {
    match v {
        J::String(s) => s.chars().count().to_string(),
        J::Array(a) => a.len().to_string(),
        J::Object(o) => o.len().to_string(),
        other => other.to_string(),
    }
}

/// A string or number as v6 shows it in a message.
fn scalar(v: &J) -> String {
    match v {
        J::String(s) => quote(s),
        other => number(other),
    }
}

/// v6's quoting: Go's `%q` with single quotes (`'it\'s'`).
fn quote(s: &str) -> String {
    let q = go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// The first two equal items, as v6 finds them.
fn equal_pair(items: &[J]) -> Option<(usize, usize)> {
    (0..items.len()).flat_map(|i| (i + 1..items.len()).map(move |j| (i, j))).find(|&(i, j)| {
        // Numbers by value (`1` equals `1.0`); numbers the quick path cannot compare
        // exactly are compared as JSON.
        super::quick::json_eq(&items[i], &items[j]).unwrap_or_else(|_| items[i] == items[j])
    })
}
