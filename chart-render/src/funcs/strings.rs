//! Go's printing builtins (`print`, `printf`, `println`, `html`, `js`, `urlquery`) and sprig's
//! string functions (`strings.go` and the string entries of `functions.go`, with the goutils and
//! xstrings helpers they call).
//!
//! Several goutils helpers walk strings byte by byte (`initials`, `nospace`, `abbrev`, `wrap`,
//! `trunc`, `substr`), so their results can split a multi-byte character. Go strings may hold such
//! bytes; [`Val::Str`] cannot, so those results go through `String::from_utf8_lossy`.

use std::collections::BTreeMap;

use super::{Env, FnError, FnResult, Registry, Ty};
use crate::gofmt;
use crate::value::{Elem, MapKind, Val};

/// The largest string or list these functions build (Helm has no limit; a template should not be
/// able to exhaust memory with `repeat`, `indent` or `randAlpha`).
pub(crate) const MAX_LEN: usize = 10_000_000;

pub(crate) fn register(r: &mut Registry) {
    use Ty::{Any, Int, Str};
    // Go's text/template builtins.
    r.add_variadic("print", &[], Any, |_, a| Ok(Val::str(gofmt::sprint(&a))));
    r.add_variadic("printf", &[Str], Any, |_, a| {
        Ok(Val::str(gofmt::sprintf(arg_str(&a, 0), a.get(1..).unwrap_or(&[]))))
    });
    r.add_variadic("println", &[], Any, |_, a| Ok(Val::str(gofmt::sprintln(&a))));
    r.add_variadic("html", &[], Any, |_, a| Ok(Val::str(html_escape(&eval_args(a)))));
    r.add_variadic("js", &[], Any, |_, a| Ok(Val::str(js_escape(&eval_args(a)))));
    r.add_variadic("urlquery", &[], Any, |_, a| Ok(Val::str(query_escape(&eval_args(a)))));

    // sprig.
    r.add("hello", &[], |_, _| Ok(Val::str("Hello!")));
    r.add("abbrev", &[Int, Str], abbrev);
    r.add("abbrevboth", &[Int, Int, Str], abbrevboth);
    r.add("trunc", &[Int, Str], trunc);
    r.add("trim", &[Str], |_, a| Ok(Val::str(arg_str(&a, 0).trim_matches(go_is_space))));
    r.add("upper", &[Str], |_, a| Ok(Val::str(map_chars(arg_str(&a, 0), go_to_upper))));
    r.add("lower", &[Str], |_, a| Ok(Val::str(map_chars(arg_str(&a, 0), go_to_lower))));
    r.add("title", &[Str], |_, a| Ok(Val::str(title(arg_str(&a, 0)))));
    r.add("untitle", &[Str], |_, a| Ok(Val::str(untitle(arg_str(&a, 0)))));
    r.add("substr", &[Int, Int, Str], substr);
    r.add("repeat", &[Int, Str], |_, a| Ok(Val::str(go_repeat(arg_str(&a, 1), arg_int(&a, 0))?)));
    r.add("trimall", &[Str, Str], trim_all);
    r.add("trimAll", &[Str, Str], trim_all);
    r.add("trimSuffix", &[Str, Str], |_, a| {
        let (suffix, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Val::str(s.strip_suffix(suffix).unwrap_or(s)))
    });
    r.add("trimPrefix", &[Str, Str], |_, a| {
        let (prefix, s) = (arg_str(&a, 0), arg_str(&a, 1));
        Ok(Val::str(s.strip_prefix(prefix).unwrap_or(s)))
    });
    r.add("nospace", &[Str], |_, a| Ok(Val::str(delete_white_space(arg_str(&a, 0)))));
    r.add("initials", &[Str], |_, a| Ok(Val::str(initials(arg_str(&a, 0)))));
    r.add("randAlphaNum", &[Int], |e, a| random_string(e, arg_int(&a, 0), Charset::AlphaNum));
    r.add("randAlpha", &[Int], |e, a| random_string(e, arg_int(&a, 0), Charset::Alpha));
    r.add("randAscii", &[Int], |e, a| random_string(e, arg_int(&a, 0), Charset::Ascii));
    r.add("randNumeric", &[Int], |e, a| random_string(e, arg_int(&a, 0), Charset::Numeric));
    r.add("swapcase", &[Str], |_, a| Ok(Val::str(swap_case(arg_str(&a, 0)))));
    r.add("shuffle", &[Str], shuffle);
    r.add("snakecase", &[Str], |_, a| Ok(Val::str(camel_to_lower(arg_str(&a, 0), '_'))));
    r.add("kebabcase", &[Str], |_, a| Ok(Val::str(camel_to_lower(arg_str(&a, 0), '-'))));
    r.add("camelcase", &[Str], |_, a| Ok(Val::str(to_pascal_case(arg_str(&a, 0)))));
    r.add("wrap", &[Int, Str], |_, a| {
        Ok(Val::str(wrap_custom(arg_str(&a, 1), arg_int(&a, 0), "", false)))
    });
    r.add("wrapWith", &[Int, Str, Str], |_, a| {
        Ok(Val::str(wrap_custom(arg_str(&a, 2), arg_int(&a, 0), arg_str(&a, 1), true)))
    });
    r.add("contains", &[Str, Str], |_, a| Ok(Val::Bool(arg_str(&a, 1).contains(arg_str(&a, 0)))));
    r.add("hasPrefix", &[Str, Str], |_, a| {
        Ok(Val::Bool(arg_str(&a, 1).starts_with(arg_str(&a, 0))))
    });
    r.add("hasSuffix", &[Str, Str], |_, a| Ok(Val::Bool(arg_str(&a, 1).ends_with(arg_str(&a, 0)))));
    r.add_variadic("quote", &[], Any, |_, a| Ok(Val::str(quote(&a))));
    r.add_variadic("squote", &[], Any, |_, a| Ok(Val::str(squote(&a))));
    r.add_variadic("cat", &[], Any, |_, a| Ok(Val::str(cat(&a))));
    r.add("indent", &[Int, Str], |_, a| Ok(Val::str(indent(arg_int(&a, 0), arg_str(&a, 1))?)));
    r.add("nindent", &[Int, Str], |_, a| {
        Ok(Val::str(format!("\n{}", indent(arg_int(&a, 0), arg_str(&a, 1))?)))
    });
    r.add("replace", &[Str, Str, Str], replace);
    r.add("plural", &[Str, Str, Int], |_, a| {
        Ok(Val::str(if arg_int(&a, 2) == 1 { arg_str(&a, 0) } else { arg_str(&a, 1) }))
    });
    r.add("toString", &[Any], |_, a| Ok(Val::str(strval(a.first().unwrap_or(&Val::Nil)))));
    r.add("split", &[Str, Str], |_, a| Ok(split_map(go_split(arg_str(&a, 1), arg_str(&a, 0), -1))));
    r.add("splitList", &[Str, Str], |_, a| {
        Ok(Val::str_list(go_split(arg_str(&a, 1), arg_str(&a, 0), -1)))
    });
    r.add("splitn", &[Str, Int, Str], |_, a| {
        Ok(split_map(go_split(arg_str(&a, 2), arg_str(&a, 0), arg_int(&a, 1))))
    });
    r.add("toStrings", &[Any], |_, a| Ok(strslice(a.first().unwrap_or(&Val::Nil))));
    r.add("join", &[Str, Any], join);
    r.add("sortAlpha", &[Any], sort_alpha);
}

// ---------------------------------------------------------------------------------------------
// Argument access. The evaluator has converted arguments to the declared types; these accessors
// only guard against a contract breach without panicking.

fn arg_str(a: &[Val], i: usize) -> &str {
    match a.get(i) {
        Some(Val::Str(s)) => s,
        _ => "",
    }
}

fn arg_int(a: &[Val], i: usize) -> i64 {
    match a.get(i) {
        Some(Val::Int(n) | Val::Int64(n)) => *n,
        _ => 0,
    }
}

/// A string from bytes that Go would keep as they are (see the module documentation).
fn from_bytes(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn too_long(what: &str, len: u128) -> FnError {
    FnError::new(format!("{what}: result of {len} bytes exceeds the limit of {MAX_LEN} bytes"))
}

// ---------------------------------------------------------------------------------------------
// Go's `unicode` predicates and simple case mappings, as the Go functions above use them.

/// `unicode.IsSpace`.
pub(crate) fn go_is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.IsSpace` of a byte read as a Latin-1 rune (goutils' byte loops).
fn byte_is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// Letters Unicode calls uppercase or lowercase without being in `Lu`/`Ll` (circled letters,
/// Roman numerals, modifier letters): Go's `IsUpper`/`IsLower` say no to them.
fn other_case(c: char) -> bool {
    matches!(u32::from(c),
        0xaa | 0xba | 0x2b0..=0x2b8 | 0x2c0..=0x2c1 | 0x2e0..=0x2e4 | 0x345 | 0x37a
        | 0x1d2c..=0x1d6a | 0x1d78 | 0x1d9b..=0x1dbf | 0x2071 | 0x207f | 0x2090..=0x209c
        | 0x2160..=0x217f | 0x24b6..=0x24e9 | 0x2c7c..=0x2c7d | 0xa69c..=0xa69d | 0xa770
        | 0xa7f8..=0xa7f9 | 0xab5c..=0xab5f | 0x1f130..=0x1f149 | 0x1f150..=0x1f169
        | 0x1f170..=0x1f189)
}

/// `unicode.IsUpper` (category Lu).
fn go_is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    c.is_uppercase() && !other_case(c)
}

/// `unicode.IsLower` (category Ll).
fn go_is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    c.is_lowercase() && !other_case(c)
}

/// `unicode.IsTitle` (category Lt).
fn go_is_title(c: char) -> bool {
    matches!(u32::from(c),
        0x1c5 | 0x1c8 | 0x1cb | 0x1f2 | 0x1f88..=0x1f8f | 0x1f98..=0x1f9f | 0x1fa8..=0x1faf
        | 0x1fbc | 0x1fcc | 0x1ffc)
}

/// `unicode.IsLetter` (category L).
pub(crate) fn go_is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic() && !c.is_numeric()
}

/// `unicode.IsNumber` (category N).
fn go_is_number(c: char) -> bool {
    c.is_numeric()
}

/// `unicode.IsDigit` (category Nd).
pub(crate) fn go_is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    c.is_numeric()
        && !matches!(u32::from(c),
            0xb2 | 0xb3 | 0xb9 | 0xbc..=0xbe | 0x2070..=0x209f | 0x2150..=0x218f
            | 0x2460..=0x24ff | 0x2776..=0x2793 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303a
            | 0x3192..=0x3195 | 0x3220..=0x3229 | 0x3248..=0x324f | 0x3251..=0x325f
            | 0x3280..=0x3289 | 0x32b1..=0x32bf)
}

/// `unicode.IsPunct` (category P).
fn go_is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(u32::from(c),
        0xa1 | 0xa7 | 0xab | 0xb6 | 0xb7 | 0xbb | 0xbf | 0x37e | 0x387 | 0x55a..=0x55f
        | 0x589..=0x58a | 0x5be | 0x5c0 | 0x5c3 | 0x5c6 | 0x5f3..=0x5f4 | 0x609..=0x60a
        | 0x60c..=0x60d | 0x61b | 0x61d..=0x61f | 0x66a..=0x66d | 0x6d4 | 0x964..=0x965
        | 0x970 | 0xe4f | 0xe5a..=0xe5b | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051
        | 0x2053..=0x205e | 0x207d..=0x207e | 0x208d..=0x208e | 0x2308..=0x230b
        | 0x2329..=0x232a | 0x2768..=0x2775 | 0x27c5..=0x27c6 | 0x27e6..=0x27ef
        | 0x2983..=0x2998 | 0x29d8..=0x29db | 0x29fc..=0x29fd | 0x2cf9..=0x2cfc
        | 0x2cfe..=0x2cff | 0x2e00..=0x2e2e | 0x2e30..=0x2e4f | 0x3001..=0x3003
        | 0x3008..=0x3011 | 0x3014..=0x301f | 0x3030 | 0x303d | 0x30a0 | 0x30fb
        | 0xfe10..=0xfe19 | 0xfe30..=0xfe52 | 0xfe54..=0xfe61 | 0xfe63 | 0xfe68
        | 0xfe6a..=0xfe6b | 0xff01..=0xff03 | 0xff05..=0xff0a | 0xff0c..=0xff0f
        | 0xff1a..=0xff1b | 0xff1f..=0xff20 | 0xff3b..=0xff3d | 0xff3f | 0xff5b | 0xff5d
        | 0xff5f..=0xff65)
}

/// The simple (one-to-one) uppercase mapping when the full mapping has several characters.
fn simple_upper_of_multi(c: char) -> char {
    let u = u32::from(c);
    let mapped = match u {
        0x1f80..=0x1f87 | 0x1f90..=0x1f97 | 0x1fa0..=0x1fa7 => u + 8,
        0x1fb3 => 0x1fbc,
        0x1fc3 => 0x1fcc,
        0x1ff3 => 0x1ffc,
        _ => u,
    };
    char::from_u32(mapped).unwrap_or(c)
}

/// `unicode.ToUpper`: Unicode's simple uppercase mapping (`ß` stays `ß`).
pub(crate) fn go_to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => simple_upper_of_multi(c),
    }
}

/// `unicode.ToLower`: Unicode's simple lowercase mapping.
pub(crate) fn go_to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// `unicode.ToTitle`: like uppercase except for the digraphs (`ǆ` → `ǅ`) and Georgian.
fn go_to_title(c: char) -> char {
    let mapped = match u32::from(c) {
        0x1c4..=0x1c6 => 0x1c5,
        0x1c7..=0x1c9 => 0x1c8,
        0x1ca..=0x1cc => 0x1cb,
        0x1f1..=0x1f3 => 0x1f2,
        0x10d0..=0x10fa | 0x10fd..=0x10ff => return c,
        _ => return go_to_upper(c),
    };
    char::from_u32(mapped).unwrap_or(c)
}

fn map_chars(s: &str, f: fn(char) -> char) -> String {
    s.chars().map(f).collect()
}

// ---------------------------------------------------------------------------------------------
// Go builtins.

/// text/template's `evalArgs`: one string argument as it is, otherwise `fmt.Sprint` of the
/// arguments with a missing value printed as `<no value>`.
fn eval_args(mut args: Vec<Val>) -> String {
    if let [Val::Str(s)] = args.as_slice() {
        return s.to_string();
    }
    for a in &mut args {
        if a.is_nil() {
            *a = Val::str("<no value>");
        }
    }
    gofmt::sprint(&args)
}

/// Go's `template.HTMLEscapeString`.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c if c.is_ascii() || chart_core::gofmt::is_go_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Conversions to strings (sprig's `strval` and `strslice`).

/// sprig's `strval` (`toString`): strings and byte slices as they are, `fmt.Stringer`s through
/// their method, everything else as `%v`.
pub(crate) fn strval(v: &Val) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Val::Obj(o) => o.fmt_v(),
        _ => gofmt::fmt_verb(v, 'v'),
    }
}

/// sprig's `strslice` (`toStrings`): a `[]string` from any slice (nils dropped), or from one
/// value.
pub(crate) fn strslice(v: &Val) -> Val {
    match v {
        Val::List(l) if l.elem == Elem::Str => v.clone(),
        Val::List(l) => Val::str_list(l.items.iter().filter(|x| !x.is_nil()).map(strval)),
        Val::Bytes(b) => Val::str_list(b.iter().map(u8::to_string)),
        v if v.is_nil() => Val::str_list(Vec::<String>::new()),
        v => Val::str_list([strval(v)]),
    }
}

fn strslice_items(v: &Val) -> Vec<String> {
    match strslice(v) {
        Val::List(l) => l.items.iter().map(|x| x.as_str().unwrap_or_default().to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn join(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    Ok(Val::str(strslice_items(a.get(1).unwrap_or(&Val::Nil)).join(arg_str(&a, 0))))
}

fn sort_alpha(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let v = a.first().unwrap_or(&Val::Nil);
    match v {
        Val::List(_) | Val::Bytes(_) => {
            let mut items = strslice_items(v);
            items.sort_unstable();
            Ok(Val::str_list(items))
        }
        Val::Obj(o) if o.kind() == "slice" => {
            let mut items = strslice_items(v);
            items.sort_unstable();
            Ok(Val::str_list(items))
        }
        _ => Ok(Val::str_list([strval(v)])),
    }
}

fn quote(args: &[Val]) -> String {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| chart_core::gofmt::go_quote(&strval(v)))
        .collect();
    parts.join(" ")
}

fn squote(args: &[Val]) -> String {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", gofmt::fmt_verb(v, 'v')))
        .collect();
    parts.join(" ")
}

fn cat(args: &[Val]) -> String {
    let parts: Vec<String> =
        args.iter().filter(|v| !v.is_nil()).map(|v| gofmt::fmt_verb(v, 'v')).collect();
    parts.join(" ")
}

// ---------------------------------------------------------------------------------------------
// Slicing and repetition, with Go's panics.

/// Go's `strings.Repeat`, bounded by [`MAX_LEN`].
pub(crate) fn go_repeat(s: &str, count: i64) -> Result<String, FnError> {
    if count < 0 {
        return Err(FnError::new("strings: negative Repeat count"));
    }
    let total = s.len() as u128 * count as u128;
    if total > MAX_LEN as u128 {
        return Err(too_long("repeat", total));
    }
    Ok(s.repeat(count as usize))
}

fn trunc(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (c, s) = (arg_int(&a, 0), arg_str(&a, 1));
    let len = s.len() as i64;
    let b = s.as_bytes();
    let out = if c < 0 && len + c > 0 {
        &b[(len + c) as usize..]
    } else if c >= 0 && len > c {
        &b[..c as usize]
    } else {
        b
    };
    Ok(Val::str(from_bytes(out.to_vec())))
}

fn substr(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (start, end, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
    let len = s.len() as i64;
    let b = s.as_bytes();
    let oob =
        |m: String| Err(FnError::new(format!("runtime error: slice bounds out of range {m}")));
    let out = if start < 0 {
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        &b[..end as usize]
    } else if end < 0 || end > len {
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        &b[start as usize..]
    } else {
        if start > end {
            return oob(format!("[{start}:{end}]"));
        }
        &b[start as usize..end as usize]
    };
    Ok(Val::str(from_bytes(out.to_vec())))
}

/// goutils' `AbbreviateFull` on bytes; `None` for its errors (which sprig turns into `""`).
fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    let marker = b"...";
    if offset <= 4 {
        let mut out = s[..(max_width - 3) as usize].to_vec();
        out.extend_from_slice(marker);
        return Some(out);
    }
    if max_width < 7 {
        return None;
    }
    let mut out = marker.to_vec();
    if offset + max_width - 3 < len {
        out.extend(abbreviate_full(&s[offset as usize..], 0, max_width - 3).unwrap_or_default());
    } else {
        out.extend_from_slice(&s[(len - (max_width - 3)) as usize..]);
    }
    Some(out)
}

fn abbrev(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (width, s) = (arg_int(&a, 0), arg_str(&a, 1));
    if width < 4 {
        return Ok(Val::str(s));
    }
    Ok(Val::str(from_bytes(abbreviate_full(s.as_bytes(), 0, width).unwrap_or_default())))
}

fn abbrevboth(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (left, right, s) = (arg_int(&a, 0), arg_int(&a, 1), arg_str(&a, 2));
    if right < 4 || left > 0 && right < 7 {
        return Ok(Val::str(s));
    }
    Ok(Val::str(from_bytes(abbreviate_full(s.as_bytes(), left, right).unwrap_or_default())))
}

fn trim_all(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (cutset, s) = (arg_str(&a, 0), arg_str(&a, 1));
    Ok(Val::str(s.trim_matches(|c| cutset.contains(c))))
}

fn indent(spaces: i64, v: &str) -> Result<String, FnError> {
    let pad = go_repeat(" ", spaces)?;
    let lines = v.bytes().filter(|&b| b == b'\n').count() as u128 + 1;
    let total = v.len() as u128 + lines * pad.len() as u128;
    if total > MAX_LEN as u128 {
        return Err(too_long("indent", total));
    }
    let mut out = String::with_capacity(total as usize);
    out.push_str(&pad);
    for (i, line) in v.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(out)
}

fn replace(_: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let (old, new, src) = (arg_str(&a, 0), arg_str(&a, 1), arg_str(&a, 2));
    // An empty `old` inserts `new` around every character: bound that growth.
    let n = if old.is_empty() { src.chars().count() as u128 + 1 } else { 0 };
    let total = src.len() as u128 + n * new.len() as u128;
    if total > MAX_LEN as u128 {
        return Err(too_long("replace", total));
    }
    Ok(Val::str(src.replace(old, new)))
}

// ---------------------------------------------------------------------------------------------
// Splitting.

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all; an empty `sep` splits into characters).
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let count = s.chars().count();
        let n = if n < 0 || n as usize > count { count } else { n as usize };
        let mut out: Vec<String> = Vec::with_capacity(n);
        let mut rest = s;
        for _ in 1..n {
            let Some(c) = rest.chars().next() else { break };
            out.push(c.to_string());
            rest = &rest[c.len_utf8()..];
        }
        if n > 0 {
            out.push(rest.to_owned());
        }
        return out;
    }
    if n < 0 {
        s.split(sep).map(str::to_owned).collect()
    } else {
        s.splitn(n as usize, sep).map(str::to_owned).collect()
    }
}

/// sprig's `split`/`splitn` result: a `map[string]string` keyed `_0`, `_1`, ...
fn split_map(parts: Vec<String>) -> Val {
    let entries: BTreeMap<String, Val> =
        parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), Val::str(p))).collect();
    Val::map_of(MapKind::Str, entries)
}

// ---------------------------------------------------------------------------------------------
// Word and case functions (goutils, strings.Title, xstrings).

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if go_is_letter(c) || go_is_digit(c) {
            return false;
        }
        go_is_space(c)
    }
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) { go_to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils' `Uncapitalize` with whitespace delimiters.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if go_is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                go_to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils' `SwapCase`.
fn swap_case(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|c| {
            if go_is_upper(c) || go_is_title(c) {
                whitespace = false;
                go_to_lower(c)
            } else if go_is_lower(c) {
                if whitespace {
                    whitespace = false;
                    go_to_title(c)
                } else {
                    go_to_upper(c)
                }
            } else {
                whitespace = go_is_space(c);
                c
            }
        })
        .collect()
}

/// goutils' `Initials` (a byte loop: each byte is read as a Latin-1 rune).
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut last_was_gap = true;
    for &b in s.as_bytes() {
        if byte_is_space(b) {
            last_was_gap = true;
        } else if last_was_gap {
            out.push(char::from(b));
            last_was_gap = false;
        }
    }
    out
}

/// goutils' `DeleteWhiteSpace` (a byte loop: each kept byte is re-encoded as a Latin-1 rune,
/// unless there was no whitespace at all).
fn delete_white_space(s: &str) -> String {
    if !s.bytes().any(byte_is_space) {
        return s.to_owned();
    }
    s.bytes().filter(|&b| !byte_is_space(b)).map(char::from).collect()
}

/// goutils' `WrapCustom` (byte offsets, as goutils has them).
fn wrap_custom(s: &str, wrap_length: i64, new_line: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let new_line = if new_line.is_empty() { b"\n".as_slice() } else { new_line.as_bytes() };
    let wrap_length = wrap_length.max(1).min(s.len() as i64 + 1) as usize;
    let b = s.as_bytes();
    let input_len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(input_len + input_len / wrap_length * new_line.len());
    while input_len - offset > wrap_length {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = wrap_length + offset + 1;
        let space_at = b[offset..end].iter().rposition(|&c| c == b' ').map(|i| i + offset);
        if let Some(at) = space_at {
            out.extend_from_slice(&b[offset..at]);
            out.extend_from_slice(new_line);
            offset = at + 1;
        } else if wrap_long_words {
            let end = wrap_length + offset;
            out.extend_from_slice(&b[offset..end]);
            out.extend_from_slice(new_line);
            offset += wrap_length;
        } else {
            let end = wrap_length + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                Some(i) => {
                    out.extend_from_slice(&b[offset..end + i]);
                    out.extend_from_slice(new_line);
                    offset = end + i + 1;
                }
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = input_len;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    from_bytes(out)
}

/// xstrings' `isConnector`.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || go_is_space(c)
}

/// xstrings v1.5 `ToCamelCase`: words joined with their first letters upper-cased
/// (`http_server` → `HttpServer`).
fn to_pascal_case(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut r0 = '\0';
    let mut first_upper = false;
    for c in chars.by_ref() {
        r0 = c;
        if !is_connector(c) {
            first_upper = go_is_upper(c);
            r0 = go_to_upper(c);
            break;
        }
        out.push(c);
    }
    let rest: Vec<char> = chars.collect();
    if rest.is_empty() {
        // Nothing after the first word character (or connectors only): xstrings writes the last
        // rune it read once more (`_` → `__`).
        out.push(r0);
        return out;
    }
    for r in rest {
        let r1 = r0;
        r0 = r;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = go_is_upper(r0);
            r0 = go_to_upper(r0);
        } else {
            if first_upper {
                if go_is_upper(r0) {
                    r0 = go_to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordType {
    Invalid,
    Number,
    UpperCase,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `isAlphabet`: a letter that is not CJK.
fn is_alphabet(c: char) -> bool {
    if !go_is_letter(c) {
        return false;
    }
    !matches!(u32::from(c), 0x4e00..=0x9fcc | 0x3400..=0x4d85 | 0x20000..=0x2b81d)
}

/// xstrings' `nextValidRune`: the next rune that is not U+FFFD (Go's `RuneError`), with the bytes
/// it took; `prev` when there is none.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != '\u{fffd}' {
            return (c, size);
        }
    }
    (prev, size)
}

/// xstrings' `nextWord`: the type of the next word, the word and the rest.
fn next_word(s: &str) -> (WordType, &str, &str) {
    if s.is_empty() {
        return (WordType::Invalid, "", "");
    }
    let (mut r, size) = next_valid_rune(s, '\u{fffd}');
    let mut offset = size;
    if r == '\u{fffd}' {
        return (WordType::Invalid, &s[..offset], &s[offset..]);
    }
    let mut rest = &s[size..];
    // Extends the word while `pred` holds for the next valid rune.
    fn extend(rest: &mut &str, offset: &mut usize, r: &mut char, pred: &dyn Fn(char) -> bool) {
        while !rest.is_empty() {
            let (c, sz) = next_valid_rune(rest, *r);
            *r = c;
            if !pred(c) {
                break;
            }
            *offset += sz;
            *rest = &rest[sz..];
        }
    }
    let wt;
    if is_connector(r) {
        wt = WordType::Connector;
        extend(&mut rest, &mut offset, &mut r, &is_connector);
    } else if go_is_punct(r) {
        wt = WordType::Punct;
        extend(&mut rest, &mut offset, &mut r, &go_is_punct);
    } else if go_is_upper(r) {
        wt = WordType::UpperCase;
        if !rest.is_empty() {
            let (c, sz) = next_valid_rune(rest, r);
            r = c;
            if go_is_upper(c) {
                let mut prev_size = sz;
                offset += sz;
                rest = &rest[sz..];
                while !rest.is_empty() {
                    let (c, sz) = next_valid_rune(rest, r);
                    r = c;
                    if !go_is_upper(c) {
                        break;
                    }
                    prev_size = sz;
                    offset += sz;
                    rest = &rest[sz..];
                }
                // "HTTPStatus": the S starts the next word.
                if !rest.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    rest = &s[offset..];
                }
            } else if is_alphabet(c) {
                offset += sz;
                rest = &rest[sz..];
                extend(&mut rest, &mut offset, &mut r, &|c| is_alphabet(c) && !go_is_upper(c));
            }
        }
    } else if is_alphabet(r) {
        wt = WordType::Alphabet;
        extend(&mut rest, &mut offset, &mut r, &|c| is_alphabet(c) && !go_is_upper(c));
    } else if go_is_number(r) {
        wt = WordType::Number;
        extend(&mut rest, &mut offset, &mut r, &go_is_number);
    } else {
        wt = WordType::Other;
        extend(&mut rest, &mut offset, &mut r, &|c| {
            !(is_connector(c) || is_alphabet(c) || go_is_number(c) || go_is_punct(c))
        });
    }
    (wt, &s[..offset], rest)
}

/// xstrings' `toLower` of one word into `out`.
fn word_to_lower(out: &mut String, wt: WordType, word: &str, connector: char) {
    if wt != WordType::UpperCase && wt != WordType::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if go_is_upper(c) {
            out.push(go_to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (`snakecase`, `kebabcase`).
fn camel_to_lower(s: &str, connector: char) -> String {
    use WordType::*;
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Connector {
            word_to_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, rest) = next_word(rest);
        match prev {
            Number => {
                while wt == Alphabet || wt == Number {
                    word_to_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Punct && wt != Connector {
                    out.push(connector);
                }
            }
            Connector => word_to_lower(&mut out, prev, last, connector),
            Punct => {}
            _ => {
                if wt != Number {
                    if wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rest) = next_word(rest);
                // A number is part of the previous word ("Bld4Floor" → "bld4_floor")...
                if wt != Alphabet {
                    word_to_lower(&mut out, Number, last, connector);
                    if wt != Connector && wt != Punct {
                        out.push(connector);
                    }
                    continue;
                }
                // ...unless lower-case letters follow it ("HTTP2xx" → "http_2xx").
                out.push(connector);
                word_to_lower(&mut out, Number, last, connector);
                while wt == Alphabet || wt == Number {
                    word_to_lower(&mut out, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Connector && wt != Punct {
                    out.push(connector);
                }
            }
        }
    }
    word_to_lower(&mut out, wt, word, connector);
    out
}

// ---------------------------------------------------------------------------------------------
// Randomness.

/// A uniformly random integer in `[0, n)` (`n > 0`).
pub(crate) fn random_below(env: &mut Env<'_>, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let x = env.random.next_u64();
        if x < zone {
            return x % n;
        }
    }
}

#[derive(Clone, Copy)]
enum Charset {
    AlphaNum,
    Alpha,
    Numeric,
    Ascii,
}

/// goutils' `CryptoRandom*`: characters drawn from `' '..='z'` (or `' '..='~'` for ASCII) and
/// kept when they belong to the set. Negative counts give `""` (sprig drops goutils' error).
fn random_string(env: &mut Env<'_>, count: i64, set: Charset) -> FnResult {
    if count <= 0 {
        return Ok(Val::str(""));
    }
    if count as u128 > MAX_LEN as u128 {
        return Err(too_long("random string", count as u128));
    }
    let mut out = String::with_capacity(count as usize);
    while out.len() < count as usize {
        let c = match set {
            Charset::Ascii => char::from(32 + random_below(env, 95) as u8),
            _ => char::from(b' ' + random_below(env, 91) as u8),
        };
        let keep = match set {
            Charset::AlphaNum => c.is_ascii_alphanumeric(),
            Charset::Alpha => c.is_ascii_alphabetic(),
            Charset::Numeric => c.is_ascii_digit(),
            Charset::Ascii => true,
        };
        if keep {
            out.push(c);
        }
    }
    Ok(Val::str(out))
}

/// xstrings' `Shuffle`: a Fisher–Yates shuffle of the characters.
fn shuffle(env: &mut Env<'_>, a: Vec<Val>) -> FnResult {
    let mut chars: Vec<char> = arg_str(&a, 0).chars().collect();
    for i in (1..chars.len()).rev() {
        let j = random_below(env, i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    Ok(Val::str(chars.into_iter().collect::<String>()))
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::funcs::{FixedClock, SeededRandom, registry};

    /// Calls a registered function the way the evaluator does (arguments already converted).
    fn call(name: &str, args: Vec<Val>) -> FnResult {
        let mut rnd = SeededRandom(7);
        let clock = FixedClock(SystemTime::UNIX_EPOCH);
        let mut env = Env { random: &mut rnd, clock: &clock, lint: None };
        let f = registry().get(name).unwrap_or_else(|| panic!("{name} is not registered"));
        (f.body)(&mut env, args)
    }

    fn s(x: &str) -> Val {
        Val::str(x)
    }

    fn ok(name: &str, args: Vec<Val>) -> String {
        call(name, args).unwrap().fmt_v()
    }

    fn err(name: &str, args: Vec<Val>) -> String {
        call(name, args).unwrap_err().message
    }

    // Every expectation below is what helm v4.1.4 printed for the same call.

    #[test]
    fn printing_builtins() {
        assert_eq!(ok("printf", vec![s("%s-%s"), s("y"), s("x")]), "y-x");
        assert_eq!(ok("println", vec![s("a"), Val::Int(1)]), "a 1\n");
        assert_eq!(ok("print", vec![Val::str_list(["a b", "c"])]), "[a b c]");
        assert_eq!(ok("printf", vec![s("%v")]), "%!v(MISSING)");
        assert_eq!(
            ok("html", vec![s("<a href=\"x\">Tom & Jerry's</a>")]),
            "&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(ok("html", vec![Val::Nil, Val::Int(1), s("<")]), "&lt;no value&gt;1&lt;");
        assert_eq!(ok("html", vec![s("\0x")]), "\u{fffd}x");
        assert_eq!(
            ok("js", vec![s("it's \"q\" <tag> & \\ =")]),
            "it\\'s \\\"q\\\" \\u003Ctag\\u003E \\u0026 \\\\ \\u003D"
        );
        assert_eq!(
            ok("js", vec![s("a\u{1}\u{7f}é\u{200b}\u{2028}<\u{e0001}")]),
            "a\\u0001\u{7f}é\\u200B\\u2028\\u003C\\uE0001"
        );
        assert_eq!(ok("js", vec![Val::Int(1), s("a"), Val::Nil]), "1a\\u003Cno value\\u003E");
        assert_eq!(ok("urlquery", vec![s("a"), Val::Int(1), s("b")]), "a1b");
        assert_eq!(ok("urlquery", vec![s("a b&c=d/é~-_.")]), "a+b%26c%3Dd%2F%C3%A9~-_.");
        assert_eq!(ok("urlquery", vec![Val::Nil]), "%3Cno+value%3E");
    }

    #[test]
    fn trimming_and_case() {
        assert_eq!(ok("trim", vec![s("  \t a b \n ")]), "a b");
        assert_eq!(ok("trim", vec![s("\u{a0} a \u{85}")]), "a");
        assert_eq!(ok("trimPrefix", vec![s("ab"), s("ababc")]), "abc");
        assert_eq!(ok("trimSuffix", vec![s(".yaml"), s("x.yaml.yaml")]), "x.yaml");
        assert_eq!(ok("trimAll", vec![s("$-"), s("$-a$b-$")]), "a$b");
        assert_eq!(ok("trimall", vec![s("x"), s("xxaxx")]), "a");
        assert_eq!(
            ok("title", vec![s("hello wORLD foo-bar o'neil")]),
            "Hello WORLD Foo-Bar O'Neil"
        );
        assert_eq!(
            ok("title", vec![s("ǆemal ßtraße élan 1st a_b x-y")]),
            "ǅemal ßtraße Élan 1st A_b X-Y"
        );
        assert_eq!(ok("title", vec![s("hello\u{a0}world")]), "Hello\u{a0}World");
        assert_eq!(ok("untitle", vec![s("Hello World ABC")]), "hello world aBC");
        assert_eq!(ok("untitle", vec![s("Élan ABC")]), "élan aBC");
        assert_eq!(ok("upper", vec![s("ßtraße ǆ ﬀ")]), "ßTRAßE Ǆ ﬀ");
        assert_eq!(ok("lower", vec![s("İSTANBUL ǅ")]), "istanbul ǆ");
        assert_eq!(ok("swapcase", vec![s("Hello World 123 ÀÉ")]), "hELLO wORLD 123 àé");
        assert_eq!(ok("swapcase", vec![s("ǅa hello World")]), "ǆA HELLO wORLD");
        assert_eq!(ok("swapcase", vec![s("a\u{a0}b")]), "A\u{a0}B");
    }

    #[test]
    fn byte_wise_goutils_helpers() {
        assert_eq!(ok("initials", vec![s("First Try  here")]), "FTh");
        assert_eq!(ok("initials", vec![s("éa b")]), "Ãb");
        assert_eq!(ok("initials", vec![s("a\u{a0}b")]), "ab");
        assert_eq!(ok("nospace", vec![s(" a\tb\nc ")]), "abc");
        assert_eq!(ok("nospace", vec![s("é")]), "é");
        assert_eq!(ok("nospace", vec![s("é x")]), "Ã©x");
        assert_eq!(ok("nospace", vec![s("à")]), "Ã");
    }

    #[test]
    fn camel_snake_kebab() {
        let camel = |x| ok("camelcase", vec![s(x)]);
        assert_eq!(camel("http_server"), "HttpServer");
        assert_eq!(camel("foo-bar baz"), "FooBarBaz");
        assert_eq!(camel("_x_y"), "_XY");
        assert_eq!(camel("GOLANG_IS_GREAT"), "GolangIsGreat");
        assert_eq!(camel("_complex__case_"), "_Complex_Case_");
        assert_eq!(camel("a"), "A");
        assert_eq!(camel("_"), "__");
        assert_eq!(camel("HTTPServer"), "Httpserver");
        assert_eq!(camel("AbC_dE"), "AbCDE");
        assert_eq!(camel("éa_éb"), "ÉaÉb");
        assert_eq!(camel("x-"), "X-");
        let snake = |x| ok("snakecase", vec![s(x)]);
        assert_eq!(snake("FirstName"), "first_name");
        assert_eq!(snake("HTTPServerID"), "http_server_id");
        assert_eq!(snake("http2xx"), "http_2xx");
        assert_eq!(snake("HTTP20xOK"), "http_20x_ok");
        assert_eq!(snake("Duration2m3s"), "duration_2m3s");
        assert_eq!(snake("Bld4Floor3rd"), "bld4_floor_3rd");
        assert_eq!(snake("a b-c_d"), "a_b_c_d");
        assert_eq!(snake("foo.bar$baz"), "foo.bar_$_baz");
        assert_eq!(snake("ÀbcDéf"), "àbc_déf");
        assert_eq!(snake("x1"), "x1");
        assert_eq!(snake("A1B"), "a1_b");
        assert_eq!(snake("日本Go"), "日本_go");
        let kebab = |x| ok("kebabcase", vec![s(x)]);
        assert_eq!(kebab("FirstName"), "first-name");
        assert_eq!(kebab("HTTPServerID"), "http-server-id");
        assert_eq!(kebab("a_b"), "a-b");
        assert_eq!(kebab("__a__B"), "--a--b");
    }

    #[test]
    fn slicing_functions() {
        let sub = |a: i64, b: i64, x: &str| call("substr", vec![Val::Int(a), Val::Int(b), s(x)]);
        assert_eq!(sub(1, 3, "abcdef").unwrap().fmt_v(), "bc");
        assert_eq!(sub(2, -1, "abcdef").unwrap().fmt_v(), "cdef");
        assert_eq!(sub(-1, 2, "abcdef").unwrap().fmt_v(), "ab");
        assert_eq!(sub(4, 99, "abcdef").unwrap().fmt_v(), "ef");
        assert_eq!(sub(0, -1, "abc").unwrap().fmt_v(), "abc");
        assert_eq!(sub(-5, 2, "abc").unwrap().fmt_v(), "ab");
        let oob = |r: FnResult| r.unwrap_err().message;
        assert_eq!(oob(sub(4, 2, "abcdef")), "runtime error: slice bounds out of range [4:2]");
        assert_eq!(oob(sub(5, 9, "abc")), "runtime error: slice bounds out of range [5:3]");
        assert_eq!(oob(sub(5, -1, "abc")), "runtime error: slice bounds out of range [5:3]");
        assert_eq!(
            oob(sub(-1, 9, "abc")),
            "runtime error: slice bounds out of range [:9] with length 3"
        );
        assert_eq!(oob(sub(-1, -2, "abc")), "runtime error: slice bounds out of range [:-2]");
        let tr = |n: i64, x: &str| ok("trunc", vec![Val::Int(n), s(x)]);
        assert_eq!(tr(-3, "abcdef"), "def");
        assert_eq!(tr(-10, "abc"), "abc");
        assert_eq!(tr(0, "abc"), "");
        assert_eq!(
            tr(63, "averyveryveryveryveryverylongreleasename-chartnamethatislong-too"),
            "averyveryveryveryveryverylongreleasename-chartnamethatislong-to"
        );
        let ab = |n: i64, x: &str| ok("abbrev", vec![Val::Int(n), s(x)]);
        assert_eq!(ab(5, "hello world"), "he...");
        assert_eq!(ab(3, "hello"), "hello");
        assert_eq!(ab(20, "hello"), "hello");
        assert_eq!(ab(4, "héllo wörld"), "h...");
        let abb = |l: i64, r: i64, x: &str| ok("abbrevboth", vec![Val::Int(l), Val::Int(r), s(x)]);
        assert_eq!(abb(5, 10, "1234567890abcdefghij"), "...6789...");
        assert_eq!(abb(0, 4, "abcdefgh"), "a...");
        assert_eq!(abb(1, 5, "abcdefgh"), "abcdefgh");
        assert_eq!(abb(10, 7, "abcdefghijklmnopq"), "...k...");
    }

    #[test]
    fn repeat_indent_replace() {
        assert_eq!(ok("repeat", vec![Val::Int(3), s("ab")]), "ababab");
        assert_eq!(ok("repeat", vec![Val::Int(0), s("x")]), "");
        assert_eq!(err("repeat", vec![Val::Int(-1), s("x")]), "strings: negative Repeat count");
        assert!(err("repeat", vec![Val::Int(1 << 40), s("x")]).contains("exceeds the limit"));
        assert_eq!(ok("indent", vec![Val::Int(2), s("a\n")]), "  a\n  ");
        assert_eq!(ok("nindent", vec![Val::Int(4), s("a: 1\nb: 2")]), "\n    a: 1\n    b: 2");
        assert_eq!(ok("indent", vec![Val::Int(0), s("a")]), "a");
        assert_eq!(ok("nindent", vec![Val::Int(0), s("b")]), "\nb");
        assert_eq!(err("indent", vec![Val::Int(-2), s("a")]), "strings: negative Repeat count");
        assert_eq!(err("nindent", vec![Val::Int(-1), s("x")]), "strings: negative Repeat count");
        assert_eq!(ok("replace", vec![s(""), s("-"), s("abc")]), "-a-b-c-");
        assert_eq!(ok("replace", vec![s("a"), s(""), s("banana")]), "bnn");
        assert_eq!(ok("plural", vec![s("one"), s("many"), Val::Int(1)]), "one");
        assert_eq!(ok("plural", vec![s("one"), s("many"), Val::Int(0)]), "many");
    }

    #[test]
    fn wrapping() {
        let wrap = |n: i64, x: &str| ok("wrap", vec![Val::Int(n), s(x)]);
        assert_eq!(
            wrap(10, "The quick brown fox jumps over the lazy dog"),
            "The quick\nbrown fox\njumps over\nthe lazy\ndog"
        );
        assert_eq!(wrap(5, "a verylongword b"), "a\nverylongword\nb");
        assert_eq!(wrap(0, "ab cd"), "ab\ncd");
        assert_eq!(wrap(3, "  ab   cd  "), "ab \ncd \n");
        assert_eq!(wrap(10, ""), "");
        let with = |n: i64, sep: &str, x: &str| ok("wrapWith", vec![Val::Int(n), s(sep), s(x)]);
        assert_eq!(with(5, "<br>", "a verylongword b"), "a<br>veryl<br>ongwo<br>rd b");
        assert_eq!(with(3, "", "abcdefg"), "abc\ndef\ng");
    }

    #[test]
    fn quoting_and_conversion() {
        let yaml_like = Val::list(vec![
            Val::Float(1.0),
            Val::Float(2.5),
            s("x"),
            Val::Nil,
            Val::map([("k".to_owned(), s("v"))].into_iter().collect()),
        ]);
        assert_eq!(
            ok("quote", vec![s("a\"b"), Val::Int(5), Val::Float(1.5), Val::Bool(true)]),
            "\"a\\\"b\" \"5\" \"1.5\" \"true\""
        );
        assert_eq!(ok("quote", vec![Val::Nil]), "");
        assert_eq!(ok("quote", vec![]), "");
        assert_eq!(ok("quote", vec![Val::list(vec![Val::Int(1), s("a")])]), "\"[1 a]\"");
        assert_eq!(ok("quote", vec![s("é\n\t")]), "\"é\\n\\t\"");
        assert_eq!(ok("quote", vec![s("é\u{200b}\u{1}")]), "\"é\\u200b\\x01\"");
        assert_eq!(ok("quote", vec![yaml_like.clone()]), "\"[1 2.5 x <nil> map[k:v]]\"");
        assert_eq!(ok("squote", vec![s("it's"), Val::Int(1), Val::Nil]), "'it's' '1'");
        assert_eq!(
            ok("cat", vec![s("a"), Val::Nil, Val::Int(1), Val::list(vec![Val::Int(2)])]),
            "a 1 [2]"
        );
        assert_eq!(ok("toString", vec![Val::Float(1.5e10)]), "1.5e+10");
        assert_eq!(ok("toString", vec![Val::Nil]), "<nil>");
        assert_eq!(ok("toString", vec![yaml_like]), "[1 2.5 x <nil> map[k:v]]");
        let strs = call(
            "toStrings",
            vec![Val::list(vec![Val::Int(1), s("a"), Val::Nil, Val::Float(2.5), Val::Bool(true)])],
        )
        .unwrap();
        assert_eq!(strs.type_name(), "[]string");
        assert_eq!(strs.fmt_v(), "[1 a 2.5 true]");
        assert_eq!(ok("toStrings", vec![Val::Nil]), "[]");
        assert_eq!(ok("toStrings", vec![s("x")]), "[x]");
        let b = Val::Bytes(b"hi".as_slice().into());
        assert_eq!(ok("toStrings", vec![b.clone()]), "[104 105]");
        assert_eq!(ok("join", vec![s(","), b.clone()]), "104,105");
        assert_eq!(ok("toString", vec![b.clone()]), "hi");
        assert_eq!(ok("quote", vec![b.clone()]), "\"hi\"");
        assert_eq!(ok("squote", vec![b.clone()]), "'[104 105]'");
        assert_eq!(ok("cat", vec![b]), "[104 105]");
    }

    #[test]
    fn joining_splitting_sorting() {
        let mixed =
            Val::list(vec![s("a"), Val::Int(1), Val::Bool(true), Val::Nil, Val::Float(2.5)]);
        assert_eq!(ok("join", vec![s(","), mixed]), "a,1,true,2.5");
        assert_eq!(ok("join", vec![s(","), s("notalist")]), "notalist");
        assert_eq!(ok("join", vec![s("-"), Val::Nil]), "");
        assert_eq!(ok("join", vec![s(","), Val::Int(5)]), "5");
        let split = call("split", vec![s(","), s("a,b")]).unwrap();
        assert_eq!(split.type_name(), "map[string]string");
        assert_eq!(split.fmt_v(), "map[_0:a _1:b]");
        assert_eq!(ok("splitn", vec![s(","), Val::Int(2), s("a,b,c")]), "map[_0:a _1:b,c]");
        assert_eq!(ok("splitn", vec![s(","), Val::Int(0), s("a,b")]), "map[]");
        assert_eq!(ok("splitn", vec![s(","), Val::Int(-1), s("a,b")]), "map[_0:a _1:b]");
        assert_eq!(ok("split", vec![s(""), s("")]), "map[]");
        assert_eq!(ok("splitList", vec![s(""), s("abc")]), "[a b c]");
        assert_eq!(ok("splitList", vec![s(","), s("a,b,,c")]), "[a b  c]");
        let sort = |v: Val| ok("sortAlpha", vec![v]);
        assert_eq!(
            sort(Val::list(vec![s("b"), Val::Int(1), s("a"), Val::Float(2.5)])),
            "[1 2.5 a b]"
        );
        assert_eq!(
            sort(Val::list(["b", "B", "a", "é", "Z", "10", "9"].into_iter().map(s).collect())),
            "[10 9 B Z a b é]"
        );
        assert_eq!(sort(Val::Nil), "[<nil>]");
        assert_eq!(sort(s("x")), "[x]");
        assert_eq!(
            sort(Val::map([("a".to_owned(), Val::Int(1))].into_iter().collect())),
            "[map[a:1]]"
        );
    }

    #[test]
    fn predicates_and_fail() {
        assert_eq!(ok("contains", vec![s(""), s("a")]), "true");
        assert_eq!(ok("contains", vec![s("B"), s("abc")]), "false");
        assert_eq!(ok("hasPrefix", vec![s("ca"), s("cat")]), "true");
        assert_eq!(ok("hasSuffix", vec![s("at"), s("cat")]), "true");
        assert_eq!(ok("hasPrefix", vec![s("x"), s("cat")]), "false");
        // Helm replaces sprig's `fail` with one that marks the message for its error report.
        assert_eq!(err("fail", vec![s("boom")]), "HELM_ERR_STARTboomHELM_ERR_END");
        assert_eq!(ok("hello", vec![]), "Hello!");
    }

    #[test]
    fn random_strings() {
        let alpha = ok("randAlpha", vec![Val::Int(12)]);
        assert_eq!(alpha.len(), 12);
        assert!(alpha.chars().all(|c| c.is_ascii_alphabetic()));
        let num = ok("randNumeric", vec![Val::Int(7)]);
        assert!(num.len() == 7 && num.chars().all(|c| c.is_ascii_digit()));
        let an = ok("randAlphaNum", vec![Val::Int(50)]);
        assert!(an.len() == 50 && an.chars().all(|c| c.is_ascii_alphanumeric()));
        let ascii = ok("randAscii", vec![Val::Int(50)]);
        assert!(ascii.len() == 50 && ascii.chars().all(|c| (' '..='~').contains(&c)));
        assert_eq!(ok("randAlphaNum", vec![Val::Int(-1)]), "");
        assert_eq!(ok("randAlpha", vec![Val::Int(0)]), "");
        assert!(err("randAlpha", vec![Val::Int(1 << 40)]).contains("exceeds the limit"));
        let shuffled = ok("shuffle", vec![s("héllo")]);
        let mut a: Vec<char> = shuffled.chars().collect();
        let mut b: Vec<char> = "héllo".chars().collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        assert_eq!(ok("shuffle", vec![s("")]), "");
    }
    proptest::proptest! {
        /// The byte-offset helpers never panic, whatever the counts and however multi-byte the
        /// text.
        #[test]
        fn byte_offset_functions_never_panic(
            text in "[a é日\\n-]{0,12}",
            a in -20i64..20,
            b in -20i64..20,
        ) {
            let _ = call("substr", vec![Val::Int(a), Val::Int(b), s(&text)]);
            let _ = call("trunc", vec![Val::Int(a), s(&text)]);
            let _ = call("abbrev", vec![Val::Int(a), s(&text)]);
            let _ = call("abbrevboth", vec![Val::Int(a), Val::Int(b), s(&text)]);
            let _ = call("wrap", vec![Val::Int(a), s(&text)]);
            let _ = call("wrapWith", vec![Val::Int(a), s("<>"), s(&text)]);
            let _ = call("indent", vec![Val::Int(a), s(&text)]);
            let _ = call("splitn", vec![s(" "), Val::Int(a), s(&text)]);
            let _ = call("snakecase", vec![s(&text)]);
            let _ = call("camelcase", vec![s(&text)]);
        }
    }
}
