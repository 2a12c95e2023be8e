//! Reports of a [`ReleaseDiff`]: a unified diff per object like the helm-diff plugin's, or JSON.

use std::fmt::Write as _;

use chart_core::{Map, Value};
use similar::{ChangeTag, TextDiff};

use crate::diff::{Change, ObjectChange, ReleaseDiff};
use crate::object::{NormalizeOptions, Object, normalize};

/// Options of [`render_diff`] and [`render_json`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReportOptions {
    /// Lines of context around changes; `None` shows whole objects (helm-diff's default).
    pub context: Option<usize>,
    /// Show the values of Secrets' `data` and `stringData` instead of masking them.
    pub show_secrets: bool,
    /// ANSI colours (for a terminal).
    pub color: bool,
    /// Also list objects that did not change.
    pub show_unchanged: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// The text shown for one side of an object: YAML with keys sorted,
/// Secrets masked unless asked, led by its `# Source:` comment.
fn object_text(obj: Option<&Object>, masked: Option<&Value>) -> String {
    let Some(obj) = obj else { return String::new() };
    let opts = NormalizeOptions { drop_empty: false, unquote_numbers: false };
    let v = normalize(masked.unwrap_or(&obj.value), &opts);
    let mut out = String::new();
    if let Some(src) = &obj.source {
        let _ = writeln!(out, "# Source: {src}");
    }
    out.push_str(&chart_core::yaml::to_yaml(&v).unwrap_or_default());
    out
}

fn secret_len(v: &Value, base64: bool) -> usize {
    let s = v.as_str().unwrap_or_default();
    if base64 {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.decode(s).map(|b| b.len()).unwrap_or(s.len())
    } else {
        s.len()
    }
}

/// helm-diff's masking: changed keys show `-------- # (N bytes)` (old) and
/// `++++++++ # (N bytes)` (new), unchanged ones `REDACTED # (N bytes)`.
fn mask_secrets(old: Option<&Object>, new: Option<&Object>) -> (Option<Value>, Option<Value>) {
    let is_secret = |o: Option<&Object>| o.is_some_and(|o| o.id.kind == "Secret");
    if !is_secret(old) && !is_secret(new) {
        return (None, None);
    }
    let mut o = old.map(|o| o.value.clone());
    let mut n = new.map(|o| o.value.clone());
    for (field, b64) in [("data", true), ("stringData", false)] {
        let od = o.as_ref().and_then(|v| v.get(field)).and_then(Value::as_map).cloned();
        let nd = n.as_ref().and_then(|v| v.get(field)).and_then(Value::as_map).cloned();
        let mask = |mine: &Option<Map>, other: &Option<Map>, mark: &str| -> Option<Value> {
            let m = mine.as_ref()?;
            let mut out = Map::new();
            for (k, v) in m {
                let same = other.as_ref().and_then(|x| x.get(k)) == Some(v);
                let label = if same { "REDACTED" } else { mark };
                out.insert(
                    k.clone(),
                    Value::String(format!("{label} # ({} bytes)", secret_len(v, b64))),
                );
            }
            Some(Value::Map(out))
        };
        let om = mask(&od, &nd, "--------");
        let nm = mask(&nd, &od, "++++++++");
        if let (Some(Value::Map(v)), Some(m)) = (o.as_mut(), om) {
            v.insert(field.into(), m);
        }
        if let (Some(Value::Map(v)), Some(m)) = (n.as_mut(), nm) {
            v.insert(field.into(), m);
        }
    }
    (o, n)
}

fn header(c: &ObjectChange) -> String {
    let what = match c.change {
        Change::Added => "has been added",
        Change::Removed => "has been removed",
        Change::Kept => {
            "has been removed from the manifests but is kept (helm.sh/resource-policy: keep)"
        }
        Change::Changed => "has changed",
        Change::Unchanged => "has not changed",
    };
    format!("{} {what}:", c.id)
}

/// The unified diff of one object's two texts, each line led by `  `, `- ` or `+ `; with a
/// context, far-away unchanged lines are left out and `...` marks the gaps.
fn unified(old: &str, new: &str, context: Option<usize>, color: bool, out: &mut String) {
    let diff = TextDiff::from_lines(old, new);
    let paint = |tag: ChangeTag| match (color, tag) {
        (true, ChangeTag::Delete) => (RED, RESET),
        (true, ChangeTag::Insert) => (GREEN, RESET),
        _ => ("", ""),
    };
    let line = |tag: ChangeTag, text: &str, out: &mut String| {
        let sign = match tag {
            ChangeTag::Delete => "- ",
            ChangeTag::Insert => "+ ",
            ChangeTag::Equal => "  ",
        };
        let (a, b) = paint(tag);
        let text = text.strip_suffix('\n').unwrap_or(text);
        let _ = writeln!(out, "{a}{sign}{text}{b}");
    };
    match context {
        None => {
            for ch in diff.iter_all_changes() {
                line(ch.tag(), ch.value(), out);
            }
        }
        Some(n) => {
            for (i, group) in diff.grouped_ops(n).iter().enumerate() {
                if i > 0 {
                    out.push_str("...\n");
                }
                for op in group {
                    for ch in diff.iter_changes(op) {
                        line(ch.tag(), ch.value(), out);
                    }
                }
            }
        }
    }
}

fn texts(c: &ObjectChange, options: &ReportOptions) -> (String, String) {
    let (mo, mn) = if options.show_secrets {
        (None, None)
    } else {
        mask_secrets(c.old.as_ref(), c.new.as_ref())
    };
    (object_text(c.old.as_ref(), mo.as_ref()), object_text(c.new.as_ref(), mn.as_ref()))
}

/// The helm-diff-like text report: for each object that changes, a header
/// (`default, web, Deployment (apps) has changed:`) and its unified diff.
///
/// ```
/// use release_diff::{diff_manifests, render_diff, ParseOptions, ReportOptions};
/// let old = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n";
/// let new = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '2'}\n";
/// let d = diff_manifests(old, new, &ParseOptions::default()).unwrap();
/// let text = render_diff(&d, &ReportOptions::default());
/// assert!(text.starts_with("default, a, ConfigMap (v1) has changed:\n"));
/// assert!(text.contains("-   x: \"1\"\n+   x: \"2\"\n"));
/// ```
pub fn render_diff(diff: &ReleaseDiff, options: &ReportOptions) -> String {
    let mut out = String::new();
    for c in &diff.changes {
        if c.change == Change::Unchanged && !options.show_unchanged {
            continue;
        }
        let h = header(c);
        if options.color {
            let _ = writeln!(out, "{YELLOW}{h}{RESET}");
        } else {
            let _ = writeln!(out, "{h}");
        }
        let (old, new) = texts(c, options);
        let new = if c.change == Change::Kept { old.clone() } else { new };
        unified(&old, &new, options.context, options.color, &mut out);
        out.push('\n');
    }
    out
}

/// The report as JSON: a list of `{apiVersion, kind, namespace, name, change, diff}` objects
/// (`diff` being the unified diff without colour), for machines.
pub fn render_json(diff: &ReleaseDiff, options: &ReportOptions) -> String {
    let mut list = Vec::new();
    for c in &diff.changes {
        if c.change == Change::Unchanged && !options.show_unchanged {
            continue;
        }
        let (old, new) = texts(c, options);
        let mut text = String::new();
        unified(&old, &new, options.context, false, &mut text);
        list.push(serde_json::json!({
            "apiVersion": c.id.api_version,
            "kind": c.id.kind,
            "namespace": c.id.namespace,
            "name": c.id.name,
            "change": c.change.as_str(),
            "diff": text,
        }));
    }
    serde_json::to_string_pretty(&list).unwrap_or_default()
}
