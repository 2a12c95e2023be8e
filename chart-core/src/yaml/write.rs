//! The YAML writer: Helm's `toYaml`, byte for byte.
//!
//! Helm's `toYaml` is `sigs.k8s.io/yaml.Marshal` with the final newline trimmed. That function
//! does not write YAML from the Go value directly: it encodes the value as JSON, parses the JSON
//! back with go-yaml v2 (so integral numbers come back as integers and every other number as a
//! `float64`), and writes the result with go-yaml v2's encoder. Every step leaves a mark on the
//! text:
//!
//! - JSON: NaN and infinities are rejected (`json: unsupported value: NaN`).
//! - JSON parsed as YAML: the YAML reader rejects DEL, the C1 controls other than NEL, U+FFFE
//!   and U+FFFF, which `encoding/json` leaves raw; a raw NEL (U+0085) inside a JSON string is a
//!   line break to YAML and is folded like one; a map key whose JSON text is longer than 1024
//!   characters or spans a NEL cannot be a simple key, and the parse fails.
//! - go-yaml v2's encoder: map keys are sorted "naturally" (symbols, then digit runs by
//!   value, then letters); strings that YAML 1.1 would read as something else are
//!   double-quoted; multi-line strings become literal blocks; long scalars are folded at
//!   spaces past column 80.
//!
//! This module reproduces the composite directly from a [`Value`], without the detour.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::value::{UnsupportedJsonValue, Value};

/// `sigs.k8s.io/yaml.Marshal`: the full text including the final newline (`"{}\n"` for an
/// empty map, `"null\n"` for nil). Helm's `toYaml` is this text without its final newline.
///
/// Fails only for NaN and infinities (`json: unsupported value: NaN`). The rarer failures of
/// the YAML stage (control characters such as DEL in a string, see [`marshal`]) give an empty
/// string, which is what `toYaml` prints for them; use [`marshal`] to see those errors.
///
/// ```
/// use chart_core::{yaml::to_yaml, Value};
/// let v = Value::from_json(serde_json::json!({"b": "yes", "a": [1, 2.5], "10": "x", "9": null}));
/// assert_eq!(to_yaml(&v).unwrap(), "\"9\": null\n\"10\": x\na:\n- 1\n- 2.5\nb: \"yes\"\n");
/// ```
pub fn to_yaml(v: &Value) -> Result<String, UnsupportedJsonValue> {
    match marshal(v) {
        Ok(text) => Ok(text),
        Err(MarshalError::Json(e)) => Err(e),
        Err(MarshalError::Yaml(_)) => Ok(String::new()),
    }
}

/// `sigs.k8s.io/yaml.Marshal` with all of its errors, as Helm's `mustToYaml` reports them.
///
/// ```
/// use chart_core::{yaml::marshal, Value};
/// let err = marshal(&Value::String("a\u{7f}".into())).unwrap_err();
/// assert_eq!(err.to_string(), "yaml: control characters are not allowed");
/// let err = marshal(&Value::Float(f64::NAN)).unwrap_err();
/// assert_eq!(err.to_string(), "error marshaling into JSON: json: unsupported value: NaN");
/// ```
pub fn marshal(v: &Value) -> Result<String, MarshalError> {
    let mut e = Emitter::new(false);
    match e.document(v) {
        Ok(()) => Ok(e.out),
        Err(Abort) => Err(diagnose(v)),
    }
}

/// Helm's `toYamlPretty`: go-yaml v3's encoder with an indent of 2, writing the value directly
/// (not through JSON): sequences are indented under their key, long lines are not folded, and
/// floats print as Go's `%v` (`1e+06`). The final newline is kept, as in [`marshal`].
///
/// ```
/// use chart_core::{yaml::to_yaml_pretty, Value};
/// let v = Value::from_json(serde_json::json!({"a": [1, {"b": [2]}], "n": 1000000.0}));
/// assert_eq!(to_yaml_pretty(&v).unwrap(), "a:\n  - 1\n  - b:\n      - 2\n\"n\": 1e+06\n");
/// ```
pub fn to_yaml_pretty(v: &Value) -> Result<String, MarshalError> {
    let mut e = Emitter::new(true);
    match e.document(v) {
        Ok(()) => Ok(e.out),
        Err(Abort) => Err(diagnose(v)),
    }
}

/// Why [`marshal`] failed, with the message Go gives.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarshalError {
    /// `encoding/json` refused a NaN or an infinity.
    #[error("error marshaling into JSON: {0}")]
    Json(UnsupportedJsonValue),
    /// go-yaml could not read back the JSON text (control characters, a key it cannot take as
    /// a simple key, a document marker after a NEL). The text is go-yaml's message.
    #[error("{0}")]
    Yaml(String),
}

/// go-yaml v2's `best_width`: scalars are folded at the first space past this column.
const BEST_WIDTH: usize = 80;
/// go-yaml v2's `best_indent`.
const BEST_INDENT: i32 = 2;
/// The longest key go-yaml writes as a simple key (`key: value`), in bytes.
const MAX_SIMPLE_KEY_LEN: usize = 128;
/// The longest JSON text (quotes included) of a key that go-yaml still reads as a simple key.
const MAX_JSON_KEY_CHARS: usize = 1024;

/// Something in the value makes `Marshal` fail; [`diagnose`] finds what.
struct Abort;

/// The scalar styles go-yaml's encoder and emitter pick for strings (never folded `>`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The state of go-yaml's emitter that matters for block-style output.
struct Emitter {
    out: String,
    /// Characters (not bytes) written on the current line.
    column: usize,
    /// Whether the last thing written was whitespace (no separating space needed).
    whitespace: bool,
    /// Whether only indentation (and indicators such as `-`) is on the current line.
    indention: bool,
    /// The current indentation; -1 before the root node.
    indent: i32,
    /// go-yaml v3 with indent 2 (`toYamlPretty`) instead of v2 through JSON (`toYaml`).
    pretty: bool,
}

impl Emitter {
    fn new(pretty: bool) -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            pretty,
        }
    }

    fn document(&mut self, v: &Value) -> Result<(), Abort> {
        self.node(v, false)?;
        // The implicit document end.
        self.write_indent();
        Ok(())
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_ascii(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.len();
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Writes a line break from the text: `\n` as a newline, the other breaks verbatim.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.put_ascii(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    /// Emits a node; `mapping` is go-yaml's mapping context (the node is a map's value).
    fn node(&mut self, v: &Value, mapping: bool) -> Result<(), Abort> {
        match v {
            Value::Null => self.raw_plain("null"),
            Value::Bool(b) => self.raw_plain(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let mut buf = itoa_buf();
                self.raw_plain(format_i64(*i, &mut buf));
            }
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(Abort);
                }
                self.float(*f);
            }
            Value::String(s) => {
                let s = prepare(s, false).ok_or(Abort)?;
                self.string(&s, false);
            }
            Value::List(items) if items.is_empty() => self.empty_flow("[", "]"),
            Value::Map(m) if m.is_empty() => self.empty_flow("{", "}"),
            Value::List(items) => {
                let saved = self.indent;
                let indentless = mapping && !self.indention && !self.pretty;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, false)?;
                }
                self.indent = saved;
            }
            Value::Map(m) => {
                let saved = self.indent;
                self.increase_indent(false, false);
                let mut entries: Vec<(&str, &Value)> =
                    m.iter().map(|(k, v)| (k.as_str(), v)).collect();
                sort_keys(&mut entries);
                for (k, v) in entries {
                    self.write_indent();
                    let k = prepare(k, true).ok_or(Abort)?;
                    if k.len() <= MAX_SIMPLE_KEY_LEN && !has_break(&k) {
                        self.string(&k, true);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.string(&k, false);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(v, true)?;
                }
                self.indent = saved;
            }
        }
        Ok(())
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    /// A plain scalar known to need no analysis (null, booleans, numbers).
    fn raw_plain(&mut self, text: &str) {
        if !self.whitespace {
            self.put(' ');
        }
        self.put_ascii(text);
        self.whitespace = false;
        self.indention = false;
    }

    /// A `float64` after its trip through JSON: integral JSON numbers come back as integers.
    fn float(&mut self, f: f64) {
        if self.pretty {
            self.raw_plain(&crate::gofmt::format_float_g(f));
            return;
        }
        if f.fract() == 0.0 && f.abs() < 1e15 {
            let mut buf = itoa_buf();
            self.raw_plain(format_i64(f as i64, &mut buf));
            return;
        }
        let json = crate::gofmt::format_float_json(f);
        if let Ok(i) = json.parse::<i64>() {
            let mut buf = itoa_buf();
            self.raw_plain(format_i64(i, &mut buf));
        } else if json.parse::<u64>().is_ok() {
            self.raw_plain(&json);
        } else {
            self.raw_plain(&crate::gofmt::format_float_g(f));
        }
    }

    /// A string scalar: go-yaml's `stringv` picks the style, the emitter may override it.
    /// `simple_key` is set for a map key written as `key:` (never folded, never a block).
    fn string(&mut self, s: &str, simple_key: bool) {
        let requested = if s.contains('\n') {
            Style::Literal
        } else if resolves_to_string(s) && !is_base60_float(s) {
            Style::Plain
        } else {
            Style::DoubleQuoted
        };
        let a = analyze(s);
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (s.is_empty() && simple_key)) {
            style = Style::SingleQuoted;
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::DoubleQuoted;
        }

        let saved = self.indent;
        self.increase_indent(true, false);
        let allow_breaks = !simple_key && !self.pretty;
        match style {
            Style::Plain => self.write_plain(s, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(s, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(s, allow_breaks),
            Style::Literal => self.write_literal(s),
        }
        self.indent = saved;
    }

    /// Writes text holding no line breaks as it is.
    fn put_text(&mut self, s: &str, chars: usize) {
        self.out.push_str(s);
        self.column += chars;
    }

    fn write_plain(&mut self, s: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // A plain scalar holds no line breaks; it folds only at a space past the best width.
        let chars = char_count(s);
        if !allow_breaks || self.column + chars <= BEST_WIDTH + 1 {
            self.put_text(s, chars);
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.peek().is_some_and(|&n| n != ' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ' ' {
                let next = chars.peek().map(|&(_, n)| n);
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && next.is_some_and(|n| n != ' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // go-yaml's `is_bom` looks at the start of the text whatever the position, so a
        // leading BOM escapes every character.
        let bom = s.starts_with('\u{feff}');
        let mut spaces = false;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                let next = chars.peek().map(|&(_, n)| n);
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && next.is_some() {
                    self.write_indent();
                    if next == Some(' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_escape(&mut self, c: char) {
        self.put('\\');
        let short = match c {
            '\0' => '0',
            '\u{7}' => 'a',
            '\u{8}' => 'b',
            '\t' => 't',
            '\n' => 'n',
            '\u{b}' => 'v',
            '\u{c}' => 'f',
            '\r' => 'r',
            '\u{1b}' => 'e',
            '"' => '"',
            '\\' => '\\',
            '\u{85}' => 'N',
            '\u{a0}' => '_',
            '\u{2028}' => 'L',
            '\u{2029}' => 'P',
            _ => {
                let v = c as u32;
                let (letter, digits) = if v <= 0xff {
                    ('x', 2)
                } else if v <= 0xffff {
                    ('u', 4)
                } else {
                    ('U', 8)
                };
                self.put(letter);
                let _ = write!(self.out, "{v:0digits$X}");
                self.column += digits;
                return;
            }
        };
        self.put(short);
    }

    fn write_literal(&mut self, s: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an explicit indentation when the text starts with a space or a
        // break, and the chomping indicator.
        if s.starts_with(|c: char| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
        }
        let mut rev = s.chars().rev();
        let chomp = match rev.next() {
            Some(last) if is_break(last) => match rev.next() {
                None => Some("+"),
                Some(prev) if is_break(prev) => Some("+"),
                Some(_) => None,
            },
            _ => Some("-"),
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        // Each line is indented unless empty; the breaks are copied.
        let mut rest = s;
        while !rest.is_empty() {
            let end = rest.find(is_break).unwrap_or(rest.len());
            if end > 0 {
                self.write_indent();
                self.put_text(&rest[..end], char_count(&rest[..end]));
                self.indention = false;
            }
            rest = &rest[end..];
            if let Some(c) = rest.chars().next() {
                self.write_break(c);
                self.indention = true;
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

/// The number of characters of `s` (go-yaml's columns count characters).
fn char_count(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// Formats an `i64` into `buf` without allocating.
fn format_i64(i: i64, buf: &mut [u8; 20]) -> &str {
    let mut n = i.unsigned_abs();
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        pos -= 1;
        buf[pos] = b'-';
    }
    // Only ASCII digits and '-' were written.
    std::str::from_utf8(&buf[pos..]).unwrap_or("0")
}

// ---------------------------------------------------------------------------------------------
// The JSON -> YAML trip of strings.

/// Characters the YAML reader refuses but `encoding/json` writes raw.
fn is_reader_rejected(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// How many characters `encoding/json` (with HTML escaping) writes for `c`.
fn json_escaped_chars(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        '\0'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => 6,
        _ => 1,
    }
}

/// The string go-yaml holds after reading the JSON text of `s`, or `None` when the read fails.
fn prepare(s: &str, key: bool) -> Option<Cow<'_, str>> {
    // A key's JSON text (quotes included) must fit in 1024 characters; a character takes at
    // most six, so only long keys need counting.
    if key
        && s.len() > (MAX_JSON_KEY_CHARS - 2) / 6
        && s.chars().map(json_escaped_chars).sum::<usize>() + 2 > MAX_JSON_KEY_CHARS
    {
        return None;
    }
    // Everything below 0x7f is either fine or escaped by JSON.
    if s.bytes().all(|b| b < 0x7f) {
        return Some(Cow::Borrowed(s));
    }
    let mut has_nel = false;
    for c in s.chars() {
        if is_reader_rejected(c) {
            return None;
        }
        has_nel |= c == '\u{85}';
    }
    if !has_nel {
        return Some(Cow::Borrowed(s));
    }
    if key {
        // The key spans two lines: not a simple key any more.
        return None;
    }
    match fold_nel(s) {
        NelFold::Folded(folded, _) => Some(Cow::Owned(folded)),
        NelFold::DocumentMarker(_) => None,
    }
}

/// The result of reading a JSON string holding raw NELs as a YAML double-quoted scalar.
enum NelFold {
    /// The folded text and the number of line breaks read.
    Folded(String, usize),
    /// A `---` or `...` marker started a line after this many breaks.
    DocumentMarker(usize),
}

/// Folds the raw NELs of a JSON string the way go-yaml's double-quoted scanner does: a NEL is
/// a line break, the spaces around it go, a single break becomes a space and each further one
/// a newline. (JSON escapes every other break, tab and control character.)
fn fold_nel(s: &str) -> NelFold {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut lines = 0;
    let mut line_start = false;
    loop {
        if line_start
            && (rest.starts_with("---") || rest.starts_with("..."))
            && matches!(rest[3..].chars().next(), Some(' ' | '\u{85}'))
        {
            return NelFold::DocumentMarker(lines);
        }
        let end = rest.find([' ', '\u{85}']).unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        if rest.is_empty() {
            break;
        }
        let mut spaces = 0;
        let mut leading_break = false;
        let mut trailing_breaks = 0;
        while let Some(c) = rest.chars().next().filter(|&c| c == ' ' || c == '\u{85}') {
            rest = &rest[c.len_utf8()..];
            if c == ' ' {
                if !leading_break {
                    spaces += 1;
                }
                line_start = false;
            } else {
                lines += 1;
                if leading_break {
                    trailing_breaks += 1;
                } else {
                    leading_break = true;
                }
                line_start = true;
            }
        }
        if leading_break {
            if trailing_breaks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', trailing_breaks));
            }
        } else {
            out.extend(std::iter::repeat_n(' ', spaces));
        }
        if rest.is_empty() {
            break;
        }
    }
    NelFold::Folded(out, lines)
}

/// Finds why `Marshal` fails on `v`, in the order Go meets the problems: the JSON encoding
/// first, then the YAML reading of the JSON text (keys in byte order).
fn diagnose(v: &Value) -> MarshalError {
    fn non_finite(v: &Value) -> Option<f64> {
        match v {
            Value::Float(f) if !f.is_finite() => Some(*f),
            Value::List(l) => l.iter().find_map(non_finite),
            Value::Map(m) => m.values().find_map(non_finite),
            _ => None,
        }
    }
    if let Some(f) = non_finite(v) {
        return MarshalError::Json(UnsupportedJsonValue(f));
    }

    /// Reads one JSON string; `lines` counts the line breaks (NELs) read so far.
    fn read_string(s: &str, key: bool, lines: &mut usize) -> Option<String> {
        if s.chars().any(is_reader_rejected) {
            return Some("yaml: control characters are not allowed".into());
        }
        match fold_nel(s) {
            NelFold::DocumentMarker(n) => {
                Some(format!("yaml: line {}: found unexpected document indicator", *lines + n + 1))
            }
            NelFold::Folded(_, n) => {
                *lines += n;
                let too_long =
                    s.chars().map(json_escaped_chars).sum::<usize>() + 2 > MAX_JSON_KEY_CHARS;
                if key && (n > 0 || too_long) {
                    Some(if *lines == 0 {
                        "yaml: did not find expected ',' or '}'".into()
                    } else {
                        format!("yaml: line {}: did not find expected ',' or '}}'", *lines)
                    })
                } else {
                    None
                }
            }
        }
    }
    fn walk(v: &Value, lines: &mut usize) -> Option<String> {
        match v {
            Value::String(s) => read_string(s, false, lines),
            Value::List(l) => l.iter().find_map(|item| walk(item, lines)),
            Value::Map(m) => m
                .iter()
                .find_map(|(k, item)| read_string(k, true, lines).or_else(|| walk(item, lines))),
            _ => None,
        }
    }
    let mut lines = 0;
    MarshalError::Yaml(
        walk(v, &mut lines).unwrap_or_else(|| "unknown problem generating YAML content".into()),
    )
}

// ---------------------------------------------------------------------------------------------
// Scalar analysis (go-yaml's `yaml_emitter_analyze_scalar`, block context only).

/// go-yaml's `is_break`.
fn is_break(c: char) -> bool {
    if c.is_ascii() {
        c == '\n' || c == '\r'
    } else {
        matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
    }
}

/// Whether `s` holds a line break (a byte test first: breaks start with `\n`, `\r`, C2 or E2).
fn has_break(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'\n' | b'\r' | 0xc2 | 0xe2)) && s.chars().any(is_break)
}

/// go-yaml's `is_printable`: what may appear unescaped (note: not tab, not astral planes).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

/// What the emitter may do with a scalar.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    // Fast path: printable ASCII without blanks, indicators or a final ':' allows everything.
    let b = s.as_bytes();
    if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
        let indicator_first = matches!(
            first,
            b'#' | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b'?'
                | b':'
                | b'-'
                | b'.'
        );
        if !indicator_first && last != b':' && b.iter().all(|&c| c > b' ' && c < 0x7f) {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: true,
            };
        }
    }
    if s.is_ascii() {
        analyze_chars(s, s.as_bytes())
    } else {
        analyze_chars(s, &s.chars().collect::<Vec<char>>())
    }
}

/// [`analyze`] over the characters of `s` (its bytes when it is ASCII).
fn analyze_chars<C: Copy + Into<char>>(s: &str, chars: &[C]) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut preceded_by_whitespace = true;
    let mut previous_space = false;
    let mut previous_break = false;

    let mut first = true;
    for (i, &c) in chars.iter().enumerate() {
        let c: char = c.into();
        // Most characters only end a run of spaces or breaks.
        if i > 0
            && c > ' '
            && c != ':'
            && c != '#'
            && (c < '\u{7f}' || (is_printable(c) && !is_break(c)))
        {
            previous_space = false;
            previous_break = false;
            preceded_by_whitespace = false;
            first = false;
            continue;
        }
        let next: Option<char> = chars.get(i + 1).map(|&n| n.into());
        let followed_by_whitespace = matches!(next, None | Some(' ' | '\t'));
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= next.is_none();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= next.is_none();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t' | '\0') || is_break(c);
        first = false;
    }

    Analysis {
        multiline: line_breaks,
        block_plain_allowed: !(leading_space
            || leading_break
            || trailing_space
            || trailing_break
            || break_space
            || space_break
            || special_characters
            || line_breaks
            || block_indicators),
        single_quoted_allowed: !(break_space || space_break || special_characters),
        block_allowed: !(trailing_space || space_break || special_characters),
    }
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2's `resolve`: would a plain scalar with this text read back as a string?

/// Whether go-yaml v2 resolves the plain scalar `s` to `!!str` (so it may be written plain);
/// the resolver is the reader's, so writing and reading agree by construction.
fn resolves_to_string(s: &str) -> bool {
    super::read::resolve_plain(s, true) == super::read::Plain::Str
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'+' | b'-' | b'0'..=b'9')) || !b.contains(&b':') {
        return false;
    }
    let mut i = usize::from(matches!(b[0], b'+' | b'-'));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2's key order (`keyList.Less` in sorter.go).

/// Sorts map keys the way go-yaml v2 does. Its comparison is not always transitive (digit runs
/// with leading zeros), where Go's own output then depends on map iteration order; a stable
/// merge sort from byte order gives one of the orders Go can produce and never panics.
fn sort_keys<'a>(entries: &mut [(&'a str, &'a Value)]) {
    if entries.windows(2).all(|w| !key_less(w[1].0, w[0].0)) {
        return;
    }
    let mut buf = entries.to_vec();
    merge_sort(entries, &mut buf);
}

fn merge_sort<'a>(v: &mut [(&'a str, &'a Value)], buf: &mut [(&'a str, &'a Value)]) {
    let n = v.len();
    if n <= 12 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && key_less(v[j].0, v[j - 1].0) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], &mut buf[..mid]);
    merge_sort(&mut v[mid..], &mut buf[mid..]);
    buf[..n].copy_from_slice(v);
    let (left, right) = buf[..n].split_at(mid);
    let (mut i, mut j) = (0, 0);
    for slot in v.iter_mut() {
        if j < right.len() && (i == left.len() || key_less(right[j].0, left[i].0)) {
            *slot = right[j];
            j += 1;
        } else {
            *slot = left[i];
            i += 1;
        }
    }
}

/// go-yaml v2's map key comparison (`keyList.Less`) for two string keys: whether `a` is
/// written before `b`. Letters come after everything else and compare by code point; runs of
/// digits compare by value (`"9"` before `"10"`); other characters come first.
///
/// It is not transitive for some keys with zeros inside digit runs, so a set of such keys has
/// no single order; Go's output for them depends on map iteration order.
///
/// ```
/// use chart_core::yaml::key_less;
/// assert!(key_less("_", "9") && key_less("9", "10") && key_less("10", "B") && key_less("B", "a"));
/// ```
pub fn key_less(a: &str, b: &str) -> bool {
    let mut ai = a.char_indices();
    let mut bi = b.char_indices();
    loop {
        let ((ia, ca), (ib, cb)) = match (ai.next(), bi.next()) {
            (Some(x), Some(y)) => (x, y),
            (None, Some(_)) => return true,
            _ => return false,
        };
        if ca == cb {
            continue;
        }
        let (al, bl) = (is_letter(ca), is_letter(cb));
        if al && bl {
            return ca < cb;
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ca == '0' || cb == '0' {
            // A zero inside a number (after a non-zero digit) counts from a leading 1.
            for p in a[..ia].chars().rev().take_while(|&p| is_digit(p)) {
                if p != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |s: &str, n: &mut i64| {
            let mut len = 0usize;
            for d in s.chars().take_while(|&d| is_digit(d)) {
                *n = n.wrapping_mul(10).wrapping_add(i64::from(d as u32) - i64::from(b'0'));
                len += 1;
            }
            len
        };
        let alen = run(&a[ia..], &mut an);
        let blen = run(&b[ib..], &mut bn);
        if an != bn {
            return an < bn;
        }
        if alen != blen {
            return alen < blen;
        }
        return ca < cb;
    }
}

/// Go's `unicode.IsLetter` (Unicode 15.0, as in the Go release Helm 4.1.4 is built with).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(LETTERS, c as u32)
}

/// Go's `unicode.IsDigit` (category Nd).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_ranges(DIGITS, c as u32)
}

/// Whether `c` is in a table of inclusive start/end pairs sorted by start.
fn in_ranges(table: &[u32], c: u32) -> bool {
    let pairs = table.len() / 2;
    // The first pair whose end is at or after c.
    let (mut lo, mut hi) = (0, pairs);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if table[2 * mid + 1] < c {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo < pairs && table[2 * lo] <= c
}

/// Non-ASCII letters (Unicode 15.0 categories Lu, Ll, Lt, Lm, Lo) as inclusive start/end pairs.
#[rustfmt::skip]
const LETTERS: &[u32] = &[
    0x000aa, 0x000aa, 0x000b5, 0x000b5, 0x000ba, 0x000ba, 0x000c0, 0x000d6, 0x000d8, 0x000f6,
    0x000f8, 0x002c1, 0x002c6, 0x002d1, 0x002e0, 0x002e4, 0x002ec, 0x002ec, 0x002ee, 0x002ee,
    0x00370, 0x00374, 0x00376, 0x00377, 0x0037a, 0x0037d, 0x0037f, 0x0037f, 0x00386, 0x00386,
    0x00388, 0x0038a, 0x0038c, 0x0038c, 0x0038e, 0x003a1, 0x003a3, 0x003f5, 0x003f7, 0x00481,
    0x0048a, 0x0052f, 0x00531, 0x00556, 0x00559, 0x00559, 0x00560, 0x00588, 0x005d0, 0x005ea,
    0x005ef, 0x005f2, 0x00620, 0x0064a, 0x0066e, 0x0066f, 0x00671, 0x006d3, 0x006d5, 0x006d5,
    0x006e5, 0x006e6, 0x006ee, 0x006ef, 0x006fa, 0x006fc, 0x006ff, 0x006ff, 0x00710, 0x00710,
    0x00712, 0x0072f, 0x0074d, 0x007a5, 0x007b1, 0x007b1, 0x007ca, 0x007ea, 0x007f4, 0x007f5,
    0x007fa, 0x007fa, 0x00800, 0x00815, 0x0081a, 0x0081a, 0x00824, 0x00824, 0x00828, 0x00828,
    0x00840, 0x00858, 0x00860, 0x0086a, 0x00870, 0x00887, 0x00889, 0x0088e, 0x008a0, 0x008c9,
    0x00904, 0x00939, 0x0093d, 0x0093d, 0x00950, 0x00950, 0x00958, 0x00961, 0x00971, 0x00980,
    0x00985, 0x0098c, 0x0098f, 0x00990, 0x00993, 0x009a8, 0x009aa, 0x009b0, 0x009b2, 0x009b2,
    0x009b6, 0x009b9, 0x009bd, 0x009bd, 0x009ce, 0x009ce, 0x009dc, 0x009dd, 0x009df, 0x009e1,
    0x009f0, 0x009f1, 0x009fc, 0x009fc, 0x00a05, 0x00a0a, 0x00a0f, 0x00a10, 0x00a13, 0x00a28,
    0x00a2a, 0x00a30, 0x00a32, 0x00a33, 0x00a35, 0x00a36, 0x00a38, 0x00a39, 0x00a59, 0x00a5c,
    0x00a5e, 0x00a5e, 0x00a72, 0x00a74, 0x00a85, 0x00a8d, 0x00a8f, 0x00a91, 0x00a93, 0x00aa8,
    0x00aaa, 0x00ab0, 0x00ab2, 0x00ab3, 0x00ab5, 0x00ab9, 0x00abd, 0x00abd, 0x00ad0, 0x00ad0,
    0x00ae0, 0x00ae1, 0x00af9, 0x00af9, 0x00b05, 0x00b0c, 0x00b0f, 0x00b10, 0x00b13, 0x00b28,
    0x00b2a, 0x00b30, 0x00b32, 0x00b33, 0x00b35, 0x00b39, 0x00b3d, 0x00b3d, 0x00b5c, 0x00b5d,
    0x00b5f, 0x00b61, 0x00b71, 0x00b71, 0x00b83, 0x00b83, 0x00b85, 0x00b8a, 0x00b8e, 0x00b90,
    0x00b92, 0x00b95, 0x00b99, 0x00b9a, 0x00b9c, 0x00b9c, 0x00b9e, 0x00b9f, 0x00ba3, 0x00ba4,
    0x00ba8, 0x00baa, 0x00bae, 0x00bb9, 0x00bd0, 0x00bd0, 0x00c05, 0x00c0c, 0x00c0e, 0x00c10,
    0x00c12, 0x00c28, 0x00c2a, 0x00c39, 0x00c3d, 0x00c3d, 0x00c58, 0x00c5a, 0x00c5d, 0x00c5d,
    0x00c60, 0x00c61, 0x00c80, 0x00c80, 0x00c85, 0x00c8c, 0x00c8e, 0x00c90, 0x00c92, 0x00ca8,
    0x00caa, 0x00cb3, 0x00cb5, 0x00cb9, 0x00cbd, 0x00cbd, 0x00cdd, 0x00cde, 0x00ce0, 0x00ce1,
    0x00cf1, 0x00cf2, 0x00d04, 0x00d0c, 0x00d0e, 0x00d10, 0x00d12, 0x00d3a, 0x00d3d, 0x00d3d,
    0x00d4e, 0x00d4e, 0x00d54, 0x00d56, 0x00d5f, 0x00d61, 0x00d7a, 0x00d7f, 0x00d85, 0x00d96,
    0x00d9a, 0x00db1, 0x00db3, 0x00dbb, 0x00dbd, 0x00dbd, 0x00dc0, 0x00dc6, 0x00e01, 0x00e30,
    0x00e32, 0x00e33, 0x00e40, 0x00e46, 0x00e81, 0x00e82, 0x00e84, 0x00e84, 0x00e86, 0x00e8a,
    0x00e8c, 0x00ea3, 0x00ea5, 0x00ea5, 0x00ea7, 0x00eb0, 0x00eb2, 0x00eb3, 0x00ebd, 0x00ebd,
    0x00ec0, 0x00ec4, 0x00ec6, 0x00ec6, 0x00edc, 0x00edf, 0x00f00, 0x00f00, 0x00f40, 0x00f47,
    0x00f49, 0x00f6c, 0x00f88, 0x00f8c, 0x01000, 0x0102a, 0x0103f, 0x0103f, 0x01050, 0x01055,
    0x0105a, 0x0105d, 0x01061, 0x01061, 0x01065, 0x01066, 0x0106e, 0x01070, 0x01075, 0x01081,
    0x0108e, 0x0108e, 0x010a0, 0x010c5, 0x010c7, 0x010c7, 0x010cd, 0x010cd, 0x010d0, 0x010fa,
    0x010fc, 0x01248, 0x0124a, 0x0124d, 0x01250, 0x01256, 0x01258, 0x01258, 0x0125a, 0x0125d,
    0x01260, 0x01288, 0x0128a, 0x0128d, 0x01290, 0x012b0, 0x012b2, 0x012b5, 0x012b8, 0x012be,
    0x012c0, 0x012c0, 0x012c2, 0x012c5, 0x012c8, 0x012d6, 0x012d8, 0x01310, 0x01312, 0x01315,
    0x01318, 0x0135a, 0x01380, 0x0138f, 0x013a0, 0x013f5, 0x013f8, 0x013fd, 0x01401, 0x0166c,
    0x0166f, 0x0167f, 0x01681, 0x0169a, 0x016a0, 0x016ea, 0x016f1, 0x016f8, 0x01700, 0x01711,
    0x0171f, 0x01731, 0x01740, 0x01751, 0x01760, 0x0176c, 0x0176e, 0x01770, 0x01780, 0x017b3,
    0x017d7, 0x017d7, 0x017dc, 0x017dc, 0x01820, 0x01878, 0x01880, 0x01884, 0x01887, 0x018a8,
    0x018aa, 0x018aa, 0x018b0, 0x018f5, 0x01900, 0x0191e, 0x01950, 0x0196d, 0x01970, 0x01974,
    0x01980, 0x019ab, 0x019b0, 0x019c9, 0x01a00, 0x01a16, 0x01a20, 0x01a54, 0x01aa7, 0x01aa7,
    0x01b05, 0x01b33, 0x01b45, 0x01b4c, 0x01b83, 0x01ba0, 0x01bae, 0x01baf, 0x01bba, 0x01be5,
    0x01c00, 0x01c23, 0x01c4d, 0x01c4f, 0x01c5a, 0x01c7d, 0x01c80, 0x01c88, 0x01c90, 0x01cba,
    0x01cbd, 0x01cbf, 0x01ce9, 0x01cec, 0x01cee, 0x01cf3, 0x01cf5, 0x01cf6, 0x01cfa, 0x01cfa,
    0x01d00, 0x01dbf, 0x01e00, 0x01f15, 0x01f18, 0x01f1d, 0x01f20, 0x01f45, 0x01f48, 0x01f4d,
    0x01f50, 0x01f57, 0x01f59, 0x01f59, 0x01f5b, 0x01f5b, 0x01f5d, 0x01f5d, 0x01f5f, 0x01f7d,
    0x01f80, 0x01fb4, 0x01fb6, 0x01fbc, 0x01fbe, 0x01fbe, 0x01fc2, 0x01fc4, 0x01fc6, 0x01fcc,
    0x01fd0, 0x01fd3, 0x01fd6, 0x01fdb, 0x01fe0, 0x01fec, 0x01ff2, 0x01ff4, 0x01ff6, 0x01ffc,
    0x02071, 0x02071, 0x0207f, 0x0207f, 0x02090, 0x0209c, 0x02102, 0x02102, 0x02107, 0x02107,
    0x0210a, 0x02113, 0x02115, 0x02115, 0x02119, 0x0211d, 0x02124, 0x02124, 0x02126, 0x02126,
    0x02128, 0x02128, 0x0212a, 0x0212d, 0x0212f, 0x02139, 0x0213c, 0x0213f, 0x02145, 0x02149,
    0x0214e, 0x0214e, 0x02183, 0x02184, 0x02c00, 0x02ce4, 0x02ceb, 0x02cee, 0x02cf2, 0x02cf3,
    0x02d00, 0x02d25, 0x02d27, 0x02d27, 0x02d2d, 0x02d2d, 0x02d30, 0x02d67, 0x02d6f, 0x02d6f,
    0x02d80, 0x02d96, 0x02da0, 0x02da6, 0x02da8, 0x02dae, 0x02db0, 0x02db6, 0x02db8, 0x02dbe,
    0x02dc0, 0x02dc6, 0x02dc8, 0x02dce, 0x02dd0, 0x02dd6, 0x02dd8, 0x02dde, 0x02e2f, 0x02e2f,
    0x03005, 0x03006, 0x03031, 0x03035, 0x0303b, 0x0303c, 0x03041, 0x03096, 0x0309d, 0x0309f,
    0x030a1, 0x030fa, 0x030fc, 0x030ff, 0x03105, 0x0312f, 0x03131, 0x0318e, 0x031a0, 0x031bf,
    0x031f0, 0x031ff, 0x03400, 0x04dbf, 0x04e00, 0x0a48c, 0x0a4d0, 0x0a4fd, 0x0a500, 0x0a60c,
    0x0a610, 0x0a61f, 0x0a62a, 0x0a62b, 0x0a640, 0x0a66e, 0x0a67f, 0x0a69d, 0x0a6a0, 0x0a6e5,
    0x0a717, 0x0a71f, 0x0a722, 0x0a788, 0x0a78b, 0x0a7ca, 0x0a7d0, 0x0a7d1, 0x0a7d3, 0x0a7d3,
    0x0a7d5, 0x0a7d9, 0x0a7f2, 0x0a801, 0x0a803, 0x0a805, 0x0a807, 0x0a80a, 0x0a80c, 0x0a822,
    0x0a840, 0x0a873, 0x0a882, 0x0a8b3, 0x0a8f2, 0x0a8f7, 0x0a8fb, 0x0a8fb, 0x0a8fd, 0x0a8fe,
    0x0a90a, 0x0a925, 0x0a930, 0x0a946, 0x0a960, 0x0a97c, 0x0a984, 0x0a9b2, 0x0a9cf, 0x0a9cf,
    0x0a9e0, 0x0a9e4, 0x0a9e6, 0x0a9ef, 0x0a9fa, 0x0a9fe, 0x0aa00, 0x0aa28, 0x0aa40, 0x0aa42,
    0x0aa44, 0x0aa4b, 0x0aa60, 0x0aa76, 0x0aa7a, 0x0aa7a, 0x0aa7e, 0x0aaaf, 0x0aab1, 0x0aab1,
    0x0aab5, 0x0aab6, 0x0aab9, 0x0aabd, 0x0aac0, 0x0aac0, 0x0aac2, 0x0aac2, 0x0aadb, 0x0aadd,
    0x0aae0, 0x0aaea, 0x0aaf2, 0x0aaf4, 0x0ab01, 0x0ab06, 0x0ab09, 0x0ab0e, 0x0ab11, 0x0ab16,
    0x0ab20, 0x0ab26, 0x0ab28, 0x0ab2e, 0x0ab30, 0x0ab5a, 0x0ab5c, 0x0ab69, 0x0ab70, 0x0abe2,
    0x0ac00, 0x0d7a3, 0x0d7b0, 0x0d7c6, 0x0d7cb, 0x0d7fb, 0x0f900, 0x0fa6d, 0x0fa70, 0x0fad9,
    0x0fb00, 0x0fb06, 0x0fb13, 0x0fb17, 0x0fb1d, 0x0fb1d, 0x0fb1f, 0x0fb28, 0x0fb2a, 0x0fb36,
    0x0fb38, 0x0fb3c, 0x0fb3e, 0x0fb3e, 0x0fb40, 0x0fb41, 0x0fb43, 0x0fb44, 0x0fb46, 0x0fbb1,
    0x0fbd3, 0x0fd3d, 0x0fd50, 0x0fd8f, 0x0fd92, 0x0fdc7, 0x0fdf0, 0x0fdfb, 0x0fe70, 0x0fe74,
    0x0fe76, 0x0fefc, 0x0ff21, 0x0ff3a, 0x0ff41, 0x0ff5a, 0x0ff66, 0x0ffbe, 0x0ffc2, 0x0ffc7,
    0x0ffca, 0x0ffcf, 0x0ffd2, 0x0ffd7, 0x0ffda, 0x0ffdc, 0x10000, 0x1000b, 0x1000d, 0x10026,
    0x10028, 0x1003a, 0x1003c, 0x1003d, 0x1003f, 0x1004d, 0x10050, 0x1005d, 0x10080, 0x100fa,
    0x10280, 0x1029c, 0x102a0, 0x102d0, 0x10300, 0x1031f, 0x1032d, 0x10340, 0x10342, 0x10349,
    0x10350, 0x10375, 0x10380, 0x1039d, 0x103a0, 0x103c3, 0x103c8, 0x103cf, 0x10400, 0x1049d,
    0x104b0, 0x104d3, 0x104d8, 0x104fb, 0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057a,
    0x1057c, 0x1058a, 0x1058c, 0x10592, 0x10594, 0x10595, 0x10597, 0x105a1, 0x105a3, 0x105b1,
    0x105b3, 0x105b9, 0x105bb, 0x105bc, 0x10600, 0x10736, 0x10740, 0x10755, 0x10760, 0x10767,
    0x10780, 0x10785, 0x10787, 0x107b0, 0x107b2, 0x107ba, 0x10800, 0x10805, 0x10808, 0x10808,
    0x1080a, 0x10835, 0x10837, 0x10838, 0x1083c, 0x1083c, 0x1083f, 0x10855, 0x10860, 0x10876,
    0x10880, 0x1089e, 0x108e0, 0x108f2, 0x108f4, 0x108f5, 0x10900, 0x10915, 0x10920, 0x10939,
    0x10980, 0x109b7, 0x109be, 0x109bf, 0x10a00, 0x10a00, 0x10a10, 0x10a13, 0x10a15, 0x10a17,
    0x10a19, 0x10a35, 0x10a60, 0x10a7c, 0x10a80, 0x10a9c, 0x10ac0, 0x10ac7, 0x10ac9, 0x10ae4,
    0x10b00, 0x10b35, 0x10b40, 0x10b55, 0x10b60, 0x10b72, 0x10b80, 0x10b91, 0x10c00, 0x10c48,
    0x10c80, 0x10cb2, 0x10cc0, 0x10cf2, 0x10d00, 0x10d23, 0x10e80, 0x10ea9, 0x10eb0, 0x10eb1,
    0x10f00, 0x10f1c, 0x10f27, 0x10f27, 0x10f30, 0x10f45, 0x10f70, 0x10f81, 0x10fb0, 0x10fc4,
    0x10fe0, 0x10ff6, 0x11003, 0x11037, 0x11071, 0x11072, 0x11075, 0x11075, 0x11083, 0x110af,
    0x110d0, 0x110e8, 0x11103, 0x11126, 0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172,
    0x11176, 0x11176, 0x11183, 0x111b2, 0x111c1, 0x111c4, 0x111da, 0x111da, 0x111dc, 0x111dc,
    0x11200, 0x11211, 0x11213, 0x1122b, 0x1123f, 0x11240, 0x11280, 0x11286, 0x11288, 0x11288,
    0x1128a, 0x1128d, 0x1128f, 0x1129d, 0x1129f, 0x112a8, 0x112b0, 0x112de, 0x11305, 0x1130c,
    0x1130f, 0x11310, 0x11313, 0x11328, 0x1132a, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339,
    0x1133d, 0x1133d, 0x11350, 0x11350, 0x1135d, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144a,
    0x1145f, 0x11461, 0x11480, 0x114af, 0x114c4, 0x114c5, 0x114c7, 0x114c7, 0x11580, 0x115ae,
    0x115d8, 0x115db, 0x11600, 0x1162f, 0x11644, 0x11644, 0x11680, 0x116aa, 0x116b8, 0x116b8,
    0x11700, 0x1171a, 0x11740, 0x11746, 0x11800, 0x1182b, 0x118a0, 0x118df, 0x118ff, 0x11906,
    0x11909, 0x11909, 0x1190c, 0x11913, 0x11915, 0x11916, 0x11918, 0x1192f, 0x1193f, 0x1193f,
    0x11941, 0x11941, 0x119a0, 0x119a7, 0x119aa, 0x119d0, 0x119e1, 0x119e1, 0x119e3, 0x119e3,
    0x11a00, 0x11a00, 0x11a0b, 0x11a32, 0x11a3a, 0x11a3a, 0x11a50, 0x11a50, 0x11a5c, 0x11a89,
    0x11a9d, 0x11a9d, 0x11ab0, 0x11af8, 0x11c00, 0x11c08, 0x11c0a, 0x11c2e, 0x11c40, 0x11c40,
    0x11c72, 0x11c8f, 0x11d00, 0x11d06, 0x11d08, 0x11d09, 0x11d0b, 0x11d30, 0x11d46, 0x11d46,
    0x11d60, 0x11d65, 0x11d67, 0x11d68, 0x11d6a, 0x11d89, 0x11d98, 0x11d98, 0x11ee0, 0x11ef2,
    0x11f02, 0x11f02, 0x11f04, 0x11f10, 0x11f12, 0x11f33, 0x11fb0, 0x11fb0, 0x12000, 0x12399,
    0x12480, 0x12543, 0x12f90, 0x12ff0, 0x13000, 0x1342f, 0x13441, 0x13446, 0x14400, 0x14646,
    0x16800, 0x16a38, 0x16a40, 0x16a5e, 0x16a70, 0x16abe, 0x16ad0, 0x16aed, 0x16b00, 0x16b2f,
    0x16b40, 0x16b43, 0x16b63, 0x16b77, 0x16b7d, 0x16b8f, 0x16e40, 0x16e7f, 0x16f00, 0x16f4a,
    0x16f50, 0x16f50, 0x16f93, 0x16f9f, 0x16fe0, 0x16fe1, 0x16fe3, 0x16fe3, 0x17000, 0x187f7,
    0x18800, 0x18cd5, 0x18d00, 0x18d08, 0x1aff0, 0x1aff3, 0x1aff5, 0x1affb, 0x1affd, 0x1affe,
    0x1b000, 0x1b122, 0x1b132, 0x1b132, 0x1b150, 0x1b152, 0x1b155, 0x1b155, 0x1b164, 0x1b167,
    0x1b170, 0x1b2fb, 0x1bc00, 0x1bc6a, 0x1bc70, 0x1bc7c, 0x1bc80, 0x1bc88, 0x1bc90, 0x1bc99,
    0x1d400, 0x1d454, 0x1d456, 0x1d49c, 0x1d49e, 0x1d49f, 0x1d4a2, 0x1d4a2, 0x1d4a5, 0x1d4a6,
    0x1d4a9, 0x1d4ac, 0x1d4ae, 0x1d4b9, 0x1d4bb, 0x1d4bb, 0x1d4bd, 0x1d4c3, 0x1d4c5, 0x1d505,
    0x1d507, 0x1d50a, 0x1d50d, 0x1d514, 0x1d516, 0x1d51c, 0x1d51e, 0x1d539, 0x1d53b, 0x1d53e,
    0x1d540, 0x1d544, 0x1d546, 0x1d546, 0x1d54a, 0x1d550, 0x1d552, 0x1d6a5, 0x1d6a8, 0x1d6c0,
    0x1d6c2, 0x1d6da, 0x1d6dc, 0x1d6fa, 0x1d6fc, 0x1d714, 0x1d716, 0x1d734, 0x1d736, 0x1d74e,
    0x1d750, 0x1d76e, 0x1d770, 0x1d788, 0x1d78a, 0x1d7a8, 0x1d7aa, 0x1d7c2, 0x1d7c4, 0x1d7cb,
    0x1df00, 0x1df1e, 0x1df25, 0x1df2a, 0x1e030, 0x1e06d, 0x1e100, 0x1e12c, 0x1e137, 0x1e13d,
    0x1e14e, 0x1e14e, 0x1e290, 0x1e2ad, 0x1e2c0, 0x1e2eb, 0x1e4d0, 0x1e4eb, 0x1e7e0, 0x1e7e6,
    0x1e7e8, 0x1e7eb, 0x1e7ed, 0x1e7ee, 0x1e7f0, 0x1e7fe, 0x1e800, 0x1e8c4, 0x1e900, 0x1e943,
    0x1e94b, 0x1e94b, 0x1ee00, 0x1ee03, 0x1ee05, 0x1ee1f, 0x1ee21, 0x1ee22, 0x1ee24, 0x1ee24,
    0x1ee27, 0x1ee27, 0x1ee29, 0x1ee32, 0x1ee34, 0x1ee37, 0x1ee39, 0x1ee39, 0x1ee3b, 0x1ee3b,
    0x1ee42, 0x1ee42, 0x1ee47, 0x1ee47, 0x1ee49, 0x1ee49, 0x1ee4b, 0x1ee4b, 0x1ee4d, 0x1ee4f,
    0x1ee51, 0x1ee52, 0x1ee54, 0x1ee54, 0x1ee57, 0x1ee57, 0x1ee59, 0x1ee59, 0x1ee5b, 0x1ee5b,
    0x1ee5d, 0x1ee5d, 0x1ee5f, 0x1ee5f, 0x1ee61, 0x1ee62, 0x1ee64, 0x1ee64, 0x1ee67, 0x1ee6a,
    0x1ee6c, 0x1ee72, 0x1ee74, 0x1ee77, 0x1ee79, 0x1ee7c, 0x1ee7e, 0x1ee7e, 0x1ee80, 0x1ee89,
    0x1ee8b, 0x1ee9b, 0x1eea1, 0x1eea3, 0x1eea5, 0x1eea9, 0x1eeab, 0x1eebb, 0x20000, 0x2a6df,
    0x2a700, 0x2b739, 0x2b740, 0x2b81d, 0x2b820, 0x2cea1, 0x2ceb0, 0x2ebe0, 0x2f800, 0x2fa1d,
    0x30000, 0x3134a, 0x31350, 0x323af,
];

/// Non-ASCII decimal digits (Unicode 15.0 category Nd) as inclusive start/end pairs.
#[rustfmt::skip]
const DIGITS: &[u32] = &[
    0x00660, 0x00669, 0x006f0, 0x006f9, 0x007c0, 0x007c9, 0x00966, 0x0096f, 0x009e6, 0x009ef,
    0x00a66, 0x00a6f, 0x00ae6, 0x00aef, 0x00b66, 0x00b6f, 0x00be6, 0x00bef, 0x00c66, 0x00c6f,
    0x00ce6, 0x00cef, 0x00d66, 0x00d6f, 0x00de6, 0x00def, 0x00e50, 0x00e59, 0x00ed0, 0x00ed9,
    0x00f20, 0x00f29, 0x01040, 0x01049, 0x01090, 0x01099, 0x017e0, 0x017e9, 0x01810, 0x01819,
    0x01946, 0x0194f, 0x019d0, 0x019d9, 0x01a80, 0x01a89, 0x01a90, 0x01a99, 0x01b50, 0x01b59,
    0x01bb0, 0x01bb9, 0x01c40, 0x01c49, 0x01c50, 0x01c59, 0x0a620, 0x0a629, 0x0a8d0, 0x0a8d9,
    0x0a900, 0x0a909, 0x0a9d0, 0x0a9d9, 0x0a9f0, 0x0a9f9, 0x0aa50, 0x0aa59, 0x0abf0, 0x0abf9,
    0x0ff10, 0x0ff19, 0x104a0, 0x104a9, 0x10d30, 0x10d39, 0x11066, 0x1106f, 0x110f0, 0x110f9,
    0x11136, 0x1113f, 0x111d0, 0x111d9, 0x112f0, 0x112f9, 0x11450, 0x11459, 0x114d0, 0x114d9,
    0x11650, 0x11659, 0x116c0, 0x116c9, 0x11730, 0x11739, 0x118e0, 0x118e9, 0x11950, 0x11959,
    0x11c50, 0x11c59, 0x11d50, 0x11d59, 0x11da0, 0x11da9, 0x11f50, 0x11f59, 0x16a60, 0x16a69,
    0x16ac0, 0x16ac9, 0x16b50, 0x16b59, 0x1d7ce, 0x1d7ff, 0x1e140, 0x1e149, 0x1e2f0, 0x1e2f9,
    0x1e4f0, 0x1e4f9, 0x1e950, 0x1e959, 0x1fbf0, 0x1fbf9,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(j)
    }

    fn y(j: serde_json::Value) -> String {
        to_yaml(&v(j)).expect("marshal")
    }

    // Every expected text below was produced by helm v4.1.4 (`toYaml`, plus the final newline
    // that `toYaml` trims).

    #[test]
    fn key_order() {
        assert_eq!(
            y(serde_json::json!({"b":1,"a":2,"_":3,"9":4,"10":5,"B":6})),
            "_: 3\n\"9\": 4\n\"10\": 5\nB: 6\na: 2\nb: 1\n"
        );
        assert_eq!(
            y(serde_json::json!({"": 1, " ": 2, "true": 3, "1": 4, "a b": 5, "k:v": 6, "-": 7,
                "?": 8, "a: b": 9})),
            "\"\": 1\n' ': 2\n'-': 7\n'?': 8\n\"1\": 4\na b: 5\n'a: b': 9\nk:v: 6\n\"true\": 3\n"
        );
    }

    #[test]
    fn quoting() {
        for s in ["true", "yes", "on", "y", "n", "1e3", "012", "0x10", "~", "null", "", "1.0"] {
            assert_eq!(y(serde_json::json!(s)), format!("\"{s}\"\n"), "{s:?}");
        }
        for s in ["1_000", "2024-01-15", "10:30", ".5", "+1", "0b101", "0o17", "08", "1:20:30"] {
            assert_eq!(y(serde_json::json!(s)), format!("\"{s}\"\n"), "{s:?}");
        }
        for s in ["2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "Yes", "NULL", "1_"] {
            assert_eq!(y(serde_json::json!(s)), format!("\"{s}\"\n"), "{s:?}");
        }
        for s in [".1_0", "1.e5", "+.5", ".inf", "-.inf", "99999999999999999999"] {
            assert_eq!(y(serde_json::json!(s)), format!("\"{s}\"\n"), "{s:?}");
        }
        for s in ["@at", "a: b", "- x", "#c", " lead", "trail ", "a #b", "-", "- ", "a:", "---"] {
            assert_eq!(y(serde_json::json!(s)), format!("'{s}'\n"), "{s:?}");
        }
        for s in ["--- a", "...", "[a]"] {
            assert_eq!(y(serde_json::json!(s)), format!("'{s}'\n"), "{s:?}");
        }
        for s in ["a#b", "-a", "?a", ":a", "a,b", "a[b]", "é", "\u{a0}", "<<", ".", "2001-13-14"] {
            assert_eq!(y(serde_json::json!(s)), format!("{s}\n"), "{s:?}");
        }
        for s in ["2001-02-30", "0xFFFFFFFFFFFFFFFFFFFF", "yES", "nULL", "_1", "._5", "1e"] {
            assert_eq!(y(serde_json::json!(s)), format!("{s}\n"), "{s:?}");
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(y(serde_json::json!("a\tb")), "\"a\\tb\"\n");
        assert_eq!(y(serde_json::json!("emoji 😀")), "\"emoji \\U0001F600\"\n");
        assert_eq!(y(serde_json::json!("\u{feff}ab")), "\"\\uFEFF\\x61\\x62\"\n");
        assert_eq!(y(serde_json::json!({"k": "x\u{0}y"})), "k: \"x\\0y\"\n");
        assert_eq!(y(serde_json::json!({"k": "\u{1b}"})), "k: \"\\e\"\n");
        assert_eq!(y(serde_json::json!({"k": "a\r\nb"})), "k: \"a\\r\\nb\"\n");
        assert_eq!(y(serde_json::json!({"k": "a\u{2028}b"})), "k: 'a\u{2028}  b'\n");
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(y(serde_json::json!("a\nb")), "|-\n  a\n  b\n");
        assert_eq!(y(serde_json::json!("a\nb\n")), "|\n  a\n  b\n");
        assert_eq!(y(serde_json::json!("a\nb\n\n")), "|+\n  a\n  b\n\n");
        assert_eq!(y(serde_json::json!("\n")), "|2+\n\n");
        assert_eq!(y(serde_json::json!(" a\nb")), "|2-\n   a\n  b\n");
        assert_eq!(y(serde_json::json!({"k": "a\n b"})), "k: |-\n  a\n   b\n");
        assert_eq!(y(serde_json::json!({"k": "a \nb"})), "k: \"a \\nb\"\n");
        assert_eq!(y(serde_json::json!({"k": "a\n\tb"})), "k: \"a\\n\\tb\"\n");
        assert_eq!(
            y(serde_json::json!({"k": "line1\nline2   \nline3"})),
            "k: \"line1\\nline2   \\nline3\"\n"
        );
    }

    #[test]
    fn numbers_and_collections() {
        assert_eq!(y(serde_json::json!(1000)), "1000\n");
        assert_eq!(to_yaml(&Value::Float(12345678901.0)).ok(), Some("12345678901\n".into()));
        assert_eq!(to_yaml(&Value::Float(1e21)).ok(), Some("1e+21\n".into()));
        assert_eq!(to_yaml(&Value::Float(2.5)).ok(), Some("2.5\n".into()));
        assert_eq!(to_yaml(&Value::Float(1e-7)).ok(), Some("1e-07\n".into()));
        assert_eq!(to_yaml(&Value::Float(1e20)).ok(), Some("1e+20\n".into()));
        assert_eq!(to_yaml(&Value::Float(1e19)).ok(), Some("10000000000000000000\n".into()));
        assert_eq!(to_yaml(&Value::Float(2e19)).ok(), Some("2e+19\n".into()));
        assert_eq!(to_yaml(&Value::Float(-1e19)).ok(), Some("-1e+19\n".into()));
        assert_eq!(to_yaml(&Value::Float(-0.0)).ok(), Some("0\n".into()));
        assert_eq!(y(serde_json::json!(null)), "null\n");
        assert_eq!(y(serde_json::json!(true)), "true\n");
        assert_eq!(y(serde_json::json!([])), "[]\n");
        assert_eq!(y(serde_json::json!({})), "{}\n");
        assert_eq!(y(serde_json::json!([[1, 2], []])), "- - 1\n  - 2\n- []\n");
        assert_eq!(y(serde_json::json!([{"a": 1, "b": [1]}])), "- a: 1\n  b:\n  - 1\n");
        assert_eq!(
            y(serde_json::json!({"k": [1, 2], "m": {"x": {}}})),
            "k:\n- 1\n- 2\nm:\n  x: {}\n"
        );
    }

    #[test]
    fn folding() {
        let words = "word ".repeat(30);
        let words = words.trim_end();
        let line1 = "word ".repeat(16);
        let line1 = line1.trim_end();
        let rest14 = "word ".repeat(14);
        let rest14 = rest14.trim_end();
        assert_eq!(y(serde_json::json!({"k": words})), format!("k: {line1}\n  {rest14}\n"));
        assert_eq!(
            y(serde_json::json!({"a": {"b": {"c": words}}})),
            format!(
                "a:\n  b:\n    c: {}\n      {}\n",
                "word ".repeat(15).trim_end(),
                "word ".repeat(15).trim_end()
            )
        );
        assert_eq!(
            y(serde_json::json!({"k": format!("@{words}")})),
            format!("k: '@{line1}\n  {rest14}'\n")
        );
        let x = "x".repeat(100);
        assert_eq!(y(serde_json::json!({"k": format!("{x} y")})), format!("k: {x}\n  y\n"));
        let ab = "ab  ".repeat(40);
        let ab = ab.trim_end();
        assert_eq!(y(serde_json::json!({"k": ab})), format!("k: {ab}\n"));
    }

    #[test]
    fn complex_keys() {
        let k = "k".repeat(130);
        assert_eq!(y(serde_json::json!({k.clone(): 1})), format!("? {k}\n: 1\n"));
        assert_eq!(y(serde_json::json!({"a\nb": 1})), "? |-\n  a\n  b\n: 1\n");
        assert_eq!(y(serde_json::json!({"a\nb": {"x": 1}})), "? |-\n  a\n  b\n: x: 1\n");
        assert_eq!(y(serde_json::json!({"a\nb": [1, 2]})), "? |-\n  a\n  b\n: - 1\n  - 2\n");
        assert_eq!(y(serde_json::json!({"a\u{2028}b": "v"})), "? 'a\u{2028}  b'\n: v\n");
    }

    #[test]
    fn json_trip_failures_and_nel() {
        assert_eq!(y(serde_json::json!("\u{7f}")), "");
        assert_eq!(y(serde_json::json!({"k": "a\u{85}b"})), "k: a b\n");
        assert_eq!(y(serde_json::json!({"k": "a \u{85}  b"})), "k: a b\n");
        assert_eq!(y(serde_json::json!({"k": "a\u{85}\u{85}b"})), "k: |-\n  a\n  b\n");
        assert_eq!(y(serde_json::json!({"k": "a\u{85}---"})), "k: a ---\n");
        assert_eq!(y(serde_json::json!({"k": "a\u{85} --- b"})), "k: a --- b\n");
        assert_eq!(y(serde_json::json!({"k": "a\u{85}--- b"})), "");
        assert_eq!(y(serde_json::json!({"a\u{85}b": 1})), "");
        assert_eq!(y(serde_json::json!({"k": "\u{85}"})), "k: ' '\n");
        assert_eq!(y(serde_json::json!({"k".repeat(1022): 1})).len(), 1022 + 7);
        assert_eq!(y(serde_json::json!({"k".repeat(1023): 1})), "");
        assert_eq!(y(serde_json::json!({"<".repeat(170): 1})).len(), 170 + 7);
        assert_eq!(y(serde_json::json!({"<".repeat(171): 1})), "");
        let msg = |j| marshal(&v(j)).map_err(|e| e.to_string());
        assert_eq!(
            msg(serde_json::json!({"a": {"x": "a\u{85}--- b"}})),
            Err("yaml: line 2: found unexpected document indicator".into())
        );
        assert_eq!(
            msg(serde_json::json!([1, "a\u{85}\u{85}... b"])),
            Err("yaml: line 3: found unexpected document indicator".into())
        );
        assert_eq!(
            msg(serde_json::json!({"k": "x", "\u{85}k": 1})),
            Err("yaml: line 1: did not find expected ',' or '}'".into())
        );
        assert_eq!(
            marshal(&Value::List(vec![Value::Float(f64::NAN)])).map_err(|e| e.to_string()),
            Err("error marshaling into JSON: json: unsupported value: NaN".into())
        );
        assert_eq!(to_yaml(&Value::Float(f64::INFINITY)), Err(UnsupportedJsonValue(f64::INFINITY)));
    }

    #[test]
    fn go_sorter() {
        assert!(key_less("a2", "a10"));
        assert!(key_less("_", "9"));
        assert!(key_less("9", "B"));
        assert!(key_less("1", "01"));
        assert!(!key_less("01", "1"));
        assert!(key_less("ab", "abc"));
        assert!(is_letter('é') && is_letter('中') && !is_letter('٣') && is_digit('٣'));
        assert!(!is_letter('1') && !is_digit('a'));
    }

    #[test]
    fn resolve_rules() {
        assert!(!resolves_to_string("1e-400"));
        assert!(resolves_to_string("1e400"));
        assert!(!resolves_to_string("0b-101"));
        assert!(resolves_to_string("2001-12-14T21:59:43"));
        assert!(!resolves_to_string("2001-12-14T21:59:43Z"));
        assert!(!resolves_to_string("2000-02-29"));
        assert!(resolves_to_string("2001-02-29"));
        assert!(
            is_base60_float("190:20:30.15") && !is_base60_float("1:60") && is_base60_float("1:6")
        );
    }
}
