//! Helm's `--set` family: the `key=value` line parsers (Helm's `pkg/strvals`) and the way
//! `helm install/template` applies a whole values command line (`pkg/cli/values`).
//!
//! A set line is a comma-separated list of assignments. Keys are dotted paths (`a.b.c`) with list
//! indexes (`a[0].b[2]`); a backslash escapes the next character anywhere (`a\.b=x\,y`). Values
//! are read according to the flag:
//!
//! | flag            | function              | value                                               |
//! |-----------------|-----------------------|-----------------------------------------------------|
//! | `--set`         | [`parse_set`]         | `int64`, `true`/`false`, `null`, else a string; `{a,b}` is a list |
//! | `--set-string`  | [`parse_set_string`]  | always a string (`{a,b}` still a list)              |
//! | `--set-json`    | [`parse_set_json`]    | one JSON value (numbers become `float64`)           |
//! | `--set-file`    | [`parse_set_file`]    | what the reader makes of the path                   |
//! | `--set-literal` | [`parse_set_literal`] | the whole rest of the line after the first `=`      |
//!
//! [`ValueOptions::merge_values`] applies `-f` files and all of these in Helm's order.
//!
//! # Input safety
//! Helm's own limits apply: a list index above [`MAX_INDEX`] and a key nested deeper than
//! [`MAX_NESTED_NAME_LEVEL`] dotted levels are errors. chartkit adds three limits Helm lacks, so
//! that hostile input can neither overflow the stack nor make a short line allocate gigabytes:
//! [`MAX_DEPTH`] nested containers along one key, [`MAX_LIST_GROWTH`] list elements created by
//! indexes in one line, and [`MAX_JSON_DEPTH`] nested JSON containers (Go allows 10000).

use std::io::Read;
use std::path::PathBuf;

use crate::coalesce::merge_maps;
use crate::gofmt::{go_quote, go_quote_bytes, go_quote_runes};
use crate::yaml::YamlError;
use crate::{Map, Value};

/// The largest list index a set line may use (Helm's `strvals.MaxIndex`).
pub const MAX_INDEX: i64 = 65536;

/// The deepest nesting of dotted key names (Helm's `strvals.MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// The deepest nesting of maps and lists along one key, counting list indexes too (a chartkit
/// limit: Helm does not count `[0][0]...` or `a[0].b[0]...` levels).
pub const MAX_DEPTH: usize = 100;

/// How many list elements the indexes of one set line may create in total (a chartkit limit:
/// Helm lets every `x[65536]` allocate 65537 elements).
pub const MAX_LIST_GROWTH: usize = 1 << 20;

/// The deepest nesting of arrays and objects in a JSON value (Go's decoder allows 10000).
pub const MAX_JSON_DEPTH: usize = 1000;

/// A set line, values file or `--set-file` source Helm would refuse.
///
/// The `Display` text is Helm's message: the parser errors read as `strvals` words them (`key "a"
/// has no value`), and [`ValueOptions::merge_values`] wraps them as the `helm` command does
/// (`failed parsing --set data: key "a" has no value`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetError {
    /// A key with no `=` after it (`a`, `a.b`).
    #[error("key {} has no value", go_quote(.key))]
    NoValue {
        /// The last key name read.
        key: String,
    },
    /// A key followed by a comma (`a,b=1`, `a=1,,b=2`); Helm sets it to `""` before failing.
    #[error("key {} has no value (cannot end with ,)", go_quote(.key))]
    NoValueComma {
        /// The key before the comma.
        key: String,
    },
    /// A dotted key whose inner part set nothing (`a.=1`, `a..b=1`).
    #[error("key map {} has no value", go_quote(.key))]
    EmptyMap {
        /// The key before the dot.
        key: String,
    },
    /// A list index that is not a decimal integer (`a[x]=1`), with Go's `strconv.Atoi` wording.
    #[error(
        "error parsing index: strconv.Atoi: parsing {}: {}",
        go_quote(.text),
        if *.out_of_range { "value out of range" } else { "invalid syntax" }
    )]
    BadIndex {
        /// The text between the brackets.
        text: String,
        /// The text is an integer that does not fit in 64 bits.
        out_of_range: bool,
    },
    /// A negative list index (`a[-1]=1`).
    #[error("negative {index} index not allowed")]
    NegativeIndex {
        /// The index.
        index: i64,
    },
    /// A list index above [`MAX_INDEX`].
    #[error("index of {index} is greater than maximum supported index of {}", MAX_INDEX)]
    IndexTooLarge {
        /// The index.
        index: i64,
    },
    /// More than [`MAX_NESTED_NAME_LEVEL`] dotted levels in one key.
    #[error(
        "value name nested level is greater than maximum supported nested level of {}",
        MAX_NESTED_NAME_LEVEL
    )]
    NameTooDeep,
    /// Characters between `]` and the next `[`, `.` or `=` (`a[0]x=1`).
    #[error("unexpected data at end of array index: {}", go_quote_runes(.data))]
    DataAfterIndex {
        /// The unexpected characters (Helm prints them as a Go `[]rune`: `['x']`).
        data: String,
    },
    /// A `{a,b` list without its closing brace.
    #[error("list must terminate with '}}'")]
    UnterminatedList,
    /// A key walks into a value of the wrong kind (`a=1,a.b=2`, `a.b=1,a[0]=2`). Helm reports
    /// the failed Go type assertion.
    #[error("unable to parse key: interface conversion: interface {{}} is {found}, not {expected}")]
    TypeMismatch {
        /// Go's name for the type found (`int64`, `nil`, `map[string]interface {}`, ...).
        found: &'static str,
        /// Go's name for the type needed (`[]interface {}` or `map[string]interface {}`).
        expected: &'static str,
    },
    /// A `--set-json` value that is not valid JSON, with Go's `encoding/json` message.
    #[error("{message}")]
    Json {
        /// Go's message (`invalid character 'x' looking for beginning of value`, `unexpected EOF`).
        message: String,
    },
    /// More than [`MAX_DEPTH`] nested maps and lists along one key (a chartkit limit).
    #[error("value nesting depth is greater than maximum supported depth of {}", MAX_DEPTH)]
    NestingTooDeep,
    /// The indexes of one line would create more than [`MAX_LIST_GROWTH`] list elements (a
    /// chartkit limit).
    #[error("list indexes would create more than {} list elements", MAX_LIST_GROWTH)]
    ListsTooLarge,
    /// A file (or standard input, `-`) could not be read; Go's `open x: no such file or
    /// directory` / `read x: is a directory`.
    #[error("{op} {path}: {}", go_io_message(.source))]
    Io {
        /// `open` or `read`.
        op: &'static str,
        /// The path as given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A source path Go's `url.Parse` refuses (`parse "::": missing protocol scheme`).
    #[error("parse {}: {message}", go_quote(.url))]
    Url {
        /// The text Go tried to parse.
        url: String,
        /// Go's reason.
        message: String,
    },
    /// An `http://`, `https://` or `oci://` source, which Helm downloads; chartkit's default
    /// reader does not fetch (pass a reader to [`ValueOptions::merge_values_with`]).
    #[error("cannot read {url}: fetching remote values is not supported by this reader")]
    Remote {
        /// The URL.
        url: String,
    },
    /// A `--set`, `--set-string`, `--set-file` or `--set-literal` line failed.
    #[error("failed parsing {flag} data: {source}")]
    Flag {
        /// The flag (`--set`, `--set-string`, `--set-file`, `--set-literal`).
        flag: &'static str,
        /// The parser's error.
        #[source]
        source: Box<SetError>,
    },
    /// A `--set-json key=value` line failed. Helm prints the line, not the reason.
    #[error("failed parsing --set-json data {value}")]
    SetJson {
        /// The line as given.
        value: String,
        /// The parser's error.
        #[source]
        source: Box<SetError>,
    },
    /// A `--set-json '{...}'` object failed to decode. Helm prints the line, not the reason.
    #[error("failed parsing --set-json data JSON: {value}")]
    SetJsonObject {
        /// The line as given.
        value: String,
        /// The decoder's error.
        #[source]
        source: Box<SetError>,
    },
    /// A `-f` values file is not valid YAML or not a map.
    #[error("failed to parse {path}: cannot unmarshal yaml document: {source}")]
    ValuesFile {
        /// The path as given.
        path: String,
        /// The YAML reader's error.
        #[source]
        source: YamlError,
    },
}

/// Parses a `--set` line (`a=1,b.c[0]=x`) into `dest`, as Helm's `strvals.ParseInto` does.
///
/// Values are typed: `true`/`false` (any case) become booleans, `null` (any case) becomes
/// [`Value::Null`] (which deletes the key when coalesced with chart defaults), `0` and decimal
/// integers that fit an `int64` and do not start with `0` become [`Value::Int`], everything else
/// (`1.5`, `1e3`, `0x10`, `010`, `1_000`, `""`) stays a string. `{a,b}` makes a list.
///
/// On error `dest` may hold the assignments made before the failing one (as in Helm).
///
/// ```
/// use chart_core::{values::parse_set, Map, Value};
/// let mut m = Map::new();
/// parse_set("a.b[1]=2,c={x,y},d=null", &mut m).unwrap();
/// assert_eq!(Value::Map(m).to_string(), "map[a:map[b:[<nil> 2]] c:[x y] d:<nil>]");
/// ```
pub fn parse_set(s: &str, dest: &mut Map) -> Result<(), SetError> {
    run(s, dest, Mode::Typed)
}

/// Parses a `--set-string` line into `dest` (Helm's `strvals.ParseIntoString`): like
/// [`parse_set`], but every value is a string (`null` is `"null"`).
pub fn parse_set_string(s: &str, dest: &mut Map) -> Result<(), SetError> {
    run(s, dest, Mode::Strings)
}

/// Parses a `--set-json` line (`a={"b":[1,2]},c=null`) into `dest` (Helm's `strvals.ParseJSON`).
///
/// Each value is one JSON value read as Go's `json.Decoder` reads a stream: numbers become
/// `float64`, an empty value is `null`, and whatever follows the JSON value (after optional
/// spaces and one comma) starts the next key, so `a=1 b=2` sets both.
pub fn parse_set_json(s: &str, dest: &mut Map) -> Result<(), SetError> {
    run(s, dest, Mode::Json)
}

/// Parses a `--set-literal` line into `dest` (Helm's `strvals.ParseLiteralInto`): the key ends
/// at the first `=` and everything after it, commas and backslashes included, is the string.
pub fn parse_set_literal(s: &str, dest: &mut Map) -> Result<(), SetError> {
    run(s, dest, Mode::Literal)
}

/// Parses a `--set-file` line (`key=path,other={p1,p2}`) into `dest` (Helm's
/// `strvals.ParseIntoFile`): `read` turns each path, after unescaping, into the value. Helm's
/// reader returns the file's content as a string; see [`read_values_source`].
pub fn parse_set_file(
    s: &str,
    dest: &mut Map,
    read: &mut dyn FnMut(&str) -> Result<Value, SetError>,
) -> Result<(), SetError> {
    run(s, dest, Mode::File(read))
}

/// A whole helm-style values command line, applied in Helm's order by
/// [`merge_values`](Self::merge_values): `-f` files, then every `--set-json`, `--set`,
/// `--set-string`, `--set-file` and `--set-literal`, each flag's lines in the order given.
///
/// ```
/// use chart_core::values::ValueOptions;
/// let mut opts = ValueOptions::default();
/// opts.json_values.push(r#"a={"x":1}"#.into());
/// opts.values.push("a.y=2".into());
/// opts.string_values.push("a.z=3".into());
/// let v = chart_core::Value::Map(opts.merge_values().unwrap());
/// assert_eq!(v.to_json(true).unwrap(), r#"{"a":{"x":1,"y":2,"z":"3"}}"#);
/// ```
#[non_exhaustive]
#[derive(Default, Debug, Clone)]
pub struct ValueOptions {
    /// `-f/--values`: YAML files, deep-merged in order (`-` reads standard input).
    pub value_files: Vec<PathBuf>,
    /// `--set-json`: `key=jsonvalue` lines, or whole JSON objects (`{"a":1}`) merged as maps.
    pub json_values: Vec<String>,
    /// `--set`: typed `key=value` lines.
    pub values: Vec<String>,
    /// `--set-string`: `key=value` lines whose values stay strings.
    pub string_values: Vec<String>,
    /// `--set-file`: `key=path` lines; each value is the file's content.
    pub file_values: Vec<String>,
    /// `--set-literal`: `key=value` lines whose whole rest is the string.
    pub literal_values: Vec<String>,
}

impl ValueOptions {
    /// Merges every source into one map as Helm's `values.Options.MergeValues` does, reading
    /// files with [`read_values_source`] (local files and standard input; no downloads).
    pub fn merge_values(&self) -> Result<Map, SetError> {
        self.merge_values_with(&mut read_values_source)
    }

    /// Like [`merge_values`](Self::merge_values), with `read` turning each `-f` and `--set-file`
    /// path into bytes (to fetch URLs, sandbox paths, or serve fixtures).
    pub fn merge_values_with(
        &self,
        read: &mut dyn FnMut(&str) -> Result<Vec<u8>, SetError>,
    ) -> Result<Map, SetError> {
        let mut base = Map::new();
        for path in &self.value_files {
            let path = path.to_string_lossy();
            let bytes = read(&path)?;
            let text = String::from_utf8_lossy(&bytes);
            let file_error = |source| SetError::ValuesFile { path: path.to_string(), source };
            match crate::yaml::parse_values(&text).map_err(file_error)? {
                Value::Map(m) => merge_maps(&mut base, m),
                Value::Null => {}
                other => {
                    let message = format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} \
                         into Go value of type map[string]interface {{}}",
                        other.json_kind()
                    );
                    return Err(file_error(YamlError { message, line: None, column: None }));
                }
            }
        }
        for line in &self.json_values {
            let trimmed = line.trim();
            if trimmed.starts_with('{') {
                let object_error = |source| SetError::SetJsonObject {
                    value: line.clone(),
                    source: Box::new(source),
                };
                match json::decode_all(trimmed) {
                    Ok(Value::Map(m)) => merge_maps(&mut base, m),
                    Ok(_) => {
                        let message = "json: cannot unmarshal value into map".to_owned();
                        return Err(object_error(SetError::Json { message }));
                    }
                    Err(message) => return Err(object_error(SetError::Json { message })),
                }
            } else {
                parse_set_json(line, &mut base).map_err(|source| SetError::SetJson {
                    value: line.clone(),
                    source: Box::new(source),
                })?;
            }
        }
        let flag = |flag: &'static str| {
            move |source: SetError| SetError::Flag { flag, source: Box::new(source) }
        };
        for line in &self.values {
            parse_set(line, &mut base).map_err(flag("--set"))?;
        }
        for line in &self.string_values {
            parse_set_string(line, &mut base).map_err(flag("--set-string"))?;
        }
        let mut read_string = |path: &str| {
            read(path).map(|bytes| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        for line in &self.file_values {
            parse_set_file(line, &mut base, &mut read_string).map_err(flag("--set-file"))?;
        }
        for line in &self.literal_values {
            parse_set_literal(line, &mut base).map_err(flag("--set-literal"))?;
        }
        Ok(base)
    }
}

/// Reads a `-f` / `--set-file` source the way Helm's `readFile` does for local sources: `-`
/// (after trimming spaces) is standard input, anything else is parsed as a URL first (so a bad
/// `%` escape or a colon in the first path segment fails as in Helm) and then read as a file
/// path. `http`, `https` and `oci` URLs give [`SetError::Remote`].
pub fn read_values_source(path: &str) -> Result<Vec<u8>, SetError> {
    if path.trim() == "-" {
        let mut buf = Vec::new();
        return std::io::stdin()
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|source| SetError::Io { op: "read", path: path.to_owned(), source });
    }
    let scheme = go_url_scheme(path)?;
    if matches!(scheme.as_str(), "http" | "https" | "oci") {
        return Err(SetError::Remote { url: path.to_owned() });
    }
    let mut file = std::fs::File::open(path).map_err(|source| SetError::Io {
        op: "open",
        path: path.to_owned(),
        source,
    })?;
    let mut buf = Vec::new();
    file.read_to_end(&mut buf).map_err(|source| SetError::Io {
        op: "read",
        path: path.to_owned(),
        source,
    })?;
    Ok(buf)
}

// ---------------------------------------------------------------------------------------------
// The line parser.

/// How values are read.
enum Mode<'r> {
    /// `--set`: typed values.
    Typed,
    /// `--set-string`: strings.
    Strings,
    /// `--set-json`: JSON values.
    Json,
    /// `--set-literal`: no escapes, no commas, the rest of the line is the value.
    Literal,
    /// `--set-file`: the reader makes the value.
    File(&'r mut dyn FnMut(&str) -> Result<Value, SetError>),
}

/// Why a parsing step stopped: the input ended (which ends the line successfully, as Go's
/// `io.EOF` does) or it failed.
enum Halt {
    Eof,
    Fail(SetError),
}

impl From<SetError> for Halt {
    fn from(e: SetError) -> Self {
        Halt::Fail(e)
    }
}

type Step<T = ()> = Result<T, Halt>;

/// Why `{a,b}` list reading stopped.
enum ListHalt {
    /// Nothing after `=`.
    Eof,
    /// The value does not start with `{`.
    NotList,
    Fail(SetError),
}

const LIST_TYPE: &str = "[]interface {}";
const MAP_TYPE: &str = "map[string]interface {}";

struct Parser<'s, 'r> {
    src: &'s str,
    pos: usize,
    mode: Mode<'r>,
    /// List elements created so far (for [`MAX_LIST_GROWTH`]).
    grown: usize,
}

fn run(src: &str, dest: &mut Map, mode: Mode<'_>) -> Result<(), SetError> {
    let mut p = Parser { src, pos: 0, mode, grown: 0 };
    loop {
        match p.key(dest, 0, 0) {
            Ok(()) => {}
            Err(Halt::Eof) => return Ok(()),
            Err(Halt::Fail(e)) => return Err(e),
        }
    }
}

/// Sets `key` unless it is empty (Helm ignores empty keys).
fn set(data: &mut Map, key: String, v: Value) {
    if !key.is_empty() {
        data.insert(key, v);
    }
}

fn mismatch(found: &Value, expected: &'static str) -> Halt {
    let found = if found.is_null() { "nil" } else { found.go_type_name() };
    Halt::Fail(SetError::TypeMismatch { found, expected })
}

fn check_depth(depth: usize) -> Step {
    if depth >= MAX_DEPTH { Err(SetError::NestingTooDeep.into()) } else { Ok(()) }
}

impl Parser<'_, '_> {
    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.src.get(self.pos..)?.chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn unread(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    /// Reads up to (and consumes) the first of `stops`, unescaping `\x` outside literal mode.
    /// The stop is `None` at the end of the input.
    fn until(&mut self, stops: &[char]) -> (String, Option<char>) {
        let escapes = !self.literal();
        let mut v = String::new();
        loop {
            match self.next_char() {
                None => return (v, None),
                Some(c) if stops.contains(&c) => return (v, Some(c)),
                Some('\\') if escapes => match self.next_char() {
                    None => return (v, None),
                    Some(c) => v.push(c),
                },
                Some(c) => v.push(c),
            }
        }
    }

    /// One assignment into `data`: a key path and its value.
    fn key(&mut self, data: &mut Map, level: usize, depth: usize) -> Step {
        let stops: &[char] = if self.literal() { &['=', '[', '.'] } else { &['=', '[', ',', '.'] };
        let (k, last) = self.until(stops);
        match last {
            None if k.is_empty() => Err(Halt::Eof),
            None => Err(SetError::NoValue { key: k }.into()),
            Some('[') => {
                let i = self.index()?;
                check_depth(depth)?;
                match data.get_mut(&k) {
                    Some(Value::List(list)) => self.list_item(list, i, level, depth + 1),
                    Some(other) => Err(mismatch(other, LIST_TYPE)),
                    None => {
                        let mut list = Vec::new();
                        let r = self.list_item(&mut list, i, level, depth + 1);
                        set(data, k, Value::List(list));
                        r
                    }
                }
            }
            Some('=') => self.assign(data, k),
            Some(',') => {
                set(data, k.clone(), Value::String(String::new()));
                Err(SetError::NoValueComma { key: k }.into())
            }
            Some(_) => {
                // '.': descend into a map.
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(SetError::NameTooDeep.into());
                }
                check_depth(depth)?;
                match data.get_mut(&k) {
                    Some(Value::Map(inner)) => {
                        let r = self.key(inner, level, depth + 1);
                        if r.is_ok() && inner.is_empty() {
                            return Err(SetError::EmptyMap { key: k }.into());
                        }
                        r
                    }
                    Some(other) => Err(mismatch(other, MAP_TYPE)),
                    None => {
                        let mut inner = Map::new();
                        let r = self.key(&mut inner, level, depth + 1);
                        if inner.is_empty() {
                            return match r {
                                Ok(()) => Err(SetError::EmptyMap { key: k }.into()),
                                Err(e) => Err(e),
                            };
                        }
                        set(data, k, Value::Map(inner));
                        r
                    }
                }
            }
        }
    }

    /// The value after `key=`.
    fn assign(&mut self, data: &mut Map, k: String) -> Step {
        match self.mode {
            Mode::Literal => {
                let v = self.rest();
                set(data, k, Value::String(v));
                Ok(())
            }
            Mode::Json => {
                if self.empty_val() {
                    set(data, k, Value::Null);
                    return Ok(());
                }
                let v = self.json_value()?;
                set(data, k, v);
                self.empty_val();
                Ok(())
            }
            _ => match self.val_list() {
                Ok(list) => {
                    set(data, k, Value::List(list));
                    Ok(())
                }
                Err(ListHalt::Eof) => {
                    set(data, k, Value::String(String::new()));
                    Err(Halt::Eof)
                }
                Err(ListHalt::NotList) => {
                    let rs = self.val();
                    match self.read(&rs) {
                        Ok(v) => {
                            set(data, k, v);
                            Ok(())
                        }
                        Err(e) => {
                            set(data, k, Value::Null);
                            Err(e.into())
                        }
                    }
                }
                Err(ListHalt::Fail(e)) => Err(e.into()),
            },
        }
    }

    /// What follows `[i]`: a value, another index or a dotted key.
    fn list_item(&mut self, list: &mut Vec<Value>, i: i64, level: usize, depth: usize) -> Step {
        if i < 0 {
            return Err(SetError::NegativeIndex { index: i }.into());
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return Err(SetError::DataAfterIndex { data: k }.into());
        }
        // `i` is not negative; an index beyond memory is simply "not present yet".
        let existing = usize::try_from(i).ok().filter(|&u| u < list.len());
        match last {
            None => Err(Halt::Eof),
            Some('=') => {
                let v = match self.mode {
                    Mode::Literal => Value::String(self.rest()),
                    Mode::Json => {
                        if self.empty_val() {
                            Value::Null
                        } else {
                            let v = self.json_value()?;
                            self.empty_val();
                            v
                        }
                    }
                    _ => match self.val_list() {
                        Ok(l) => Value::List(l),
                        Err(ListHalt::Eof) => Value::String(String::new()),
                        Err(ListHalt::NotList) => {
                            let rs = self.val();
                            self.read(&rs)?
                        }
                        Err(ListHalt::Fail(e)) => return Err(e.into()),
                    },
                };
                self.set_index(list, i, v)
            }
            Some('[') => {
                let next = self.index()?;
                check_depth(depth)?;
                let mut inner = match existing.map(|u| &mut list[u]) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::List(l)) => std::mem::take(l),
                    Some(other) => return Err(mismatch(other, LIST_TYPE)),
                };
                match self.list_item(&mut inner, next, level, depth + 1) {
                    Ok(()) => self.set_index(list, i, Value::List(inner)),
                    Err(e) => {
                        // Go edits the existing inner list in place; keep those edits.
                        if let Some(slot @ Value::List(_)) = existing.map(|u| &mut list[u]) {
                            *slot = Value::List(inner);
                        }
                        Err(e)
                    }
                }
            }
            Some(_) => {
                // '.': a map inside the list (level is not counted here, as in Helm).
                check_depth(depth)?;
                match existing {
                    Some(u) => {
                        let slot = &mut list[u];
                        if !matches!(slot, Value::Map(_)) {
                            *slot = Value::empty_map();
                        }
                        match slot {
                            Value::Map(inner) => self.key(inner, level, depth + 1),
                            _ => Ok(()),
                        }
                    }
                    None => {
                        let mut inner = Map::new();
                        self.key(&mut inner, level, depth + 1)?;
                        self.set_index(list, i, Value::Map(inner))
                    }
                }
            }
        }
    }

    fn set_index(&mut self, list: &mut Vec<Value>, i: i64, v: Value) -> Step {
        if i < 0 {
            return Err(SetError::NegativeIndex { index: i }.into());
        }
        if i > MAX_INDEX {
            return Err(SetError::IndexTooLarge { index: i }.into());
        }
        let i = usize::try_from(i).map_err(|_| SetError::IndexTooLarge { index: i })?;
        if list.len() <= i {
            self.grown += i + 1 - list.len();
            if self.grown > MAX_LIST_GROWTH {
                return Err(SetError::ListsTooLarge.into());
            }
            list.resize(i + 1, Value::Null);
        }
        list[i] = v;
        Ok(())
    }

    /// The index inside `[...]`, parsed as Go's `strconv.Atoi` does.
    fn index(&mut self) -> Step<i64> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Halt::Eof);
        }
        text.parse::<i64>().map_err(|e| {
            let out_of_range = matches!(
                e.kind(),
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
            );
            Halt::Fail(SetError::BadIndex { text, out_of_range })
        })
    }

    /// Skips spaces; true (having consumed it) at a comma or the end of the input.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.next_char() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(c) => {
                    self.unread(c);
                    return false;
                }
            }
        }
    }

    fn json_value(&mut self) -> Step<Value> {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        let (v, used) = json::decode_prefix(rest).map_err(|message| SetError::Json { message })?;
        self.pos += used;
        Ok(v)
    }

    /// The rest of the line (literal mode).
    fn rest(&mut self) -> String {
        let v = self.src.get(self.pos..).unwrap_or_default().to_owned();
        self.pos = self.src.len();
        v
    }

    /// A plain value, up to the next unescaped comma.
    fn val(&mut self) -> String {
        self.until(&[',']).0
    }

    /// A `{a,b,c}` list, if the value starts with `{`.
    fn val_list(&mut self) -> Result<Vec<Value>, ListHalt> {
        match self.next_char() {
            None => return Err(ListHalt::Eof),
            Some('{') => {}
            Some(c) => {
                self.unread(c);
                return Err(ListHalt::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListHalt::Fail(SetError::UnterminatedList)),
                Some('}') => {
                    if let Some(c) = self.next_char() {
                        if c != ',' {
                            self.unread(c);
                        }
                    }
                    list.push(self.read(&rs).map_err(ListHalt::Fail)?);
                    return Ok(list);
                }
                Some(_) => list.push(self.read(&rs).map_err(ListHalt::Fail)?),
            }
        }
    }

    /// Turns a raw value into a [`Value`] according to the mode.
    fn read(&mut self, raw: &str) -> Result<Value, SetError> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(raw)),
            Mode::File(read) => read(raw),
            Mode::Strings | Mode::Json | Mode::Literal => Ok(Value::String(raw.to_owned())),
        }
    }
}

/// Helm's `typedVal`: booleans and `null` in any case, `int64` unless the text starts with `0`
/// (except `"0"` itself), else the string.
fn typed_val(s: &str) -> Value {
    if fold_eq(s, "true") {
        return Value::Bool(true);
    }
    if fold_eq(s, "false") {
        return Value::Bool(false);
    }
    if fold_eq(s, "null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::Int(0);
    }
    if !s.is_empty() && !s.starts_with('0') {
        if let Ok(i) = s.parse::<i64>() {
            return Value::Int(i);
        }
    }
    Value::String(s.to_owned())
}

/// Go's `strings.EqualFold` against a lower-case ASCII word (`ſ` folds to `s`).
fn fold_eq(s: &str, word: &str) -> bool {
    let mut a = s.chars();
    let mut b = word.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(w)) if x.to_ascii_lowercase() == w || (w == 's' && x == 'ſ') => {}
            _ => return false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Go's quoting, error texts and URL checks, as they appear in Helm's messages.

/// An I/O error's text as Go prints it (`no such file or directory`), without Rust's
/// ` (os error N)` suffix.
fn go_io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    if e.raw_os_error().is_none() {
        return text;
    }
    let text = match text.rfind(" (os error ") {
        Some(at) => &text[..at],
        None => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The lower-cased scheme of `raw` as Go's `url.Parse` finds it, with the checks on the way that
/// can fail for a file path (control characters, a colon in the first segment, bad `%` escapes).
/// Authority (`//host`) syntax is not validated.
fn go_url_scheme(raw: &str) -> Result<String, SetError> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let fail = |url: &str, message: String| SetError::Url { url: url.to_owned(), message };
    if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(fail(u, "net/url: invalid control character in URL".into()));
    }
    let mut scheme = String::new();
    let mut rest = u;
    for (i, b) in u.bytes().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err(fail(u, "missing protocol scheme".into())),
            b':' => {
                scheme = u[..i].to_ascii_lowercase();
                rest = &u[i + 1..];
                break;
            }
            _ => break,
        }
    }
    if u != "*" {
        let path = if rest.ends_with('?') && rest.matches('?').count() == 1 {
            &rest[..rest.len() - 1]
        } else {
            rest.split_once('?').map_or(rest, |(p, _)| p)
        };
        let rooted = path.starts_with('/');
        // With a scheme, a rootless path is opaque and not checked further.
        if rooted || scheme.is_empty() {
            let segment = path.split('/').next().unwrap_or_default();
            if !rooted && segment.contains(':') {
                let message = "first path segment in URL cannot contain colon".to_owned();
                return Err(fail(u, message));
            }
            check_url_escapes(path).map_err(|m| fail(u, m))?;
        }
    }
    if !frag.is_empty() {
        check_url_escapes(frag).map_err(|m| fail(raw, m))?;
    }
    Ok(scheme)
}

fn check_url_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                let end = (i + 3).min(b.len());
                return Err(format!("invalid URL escape {}", go_quote_bytes(&b[i..end])));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON the way Go's encoding/json reads it into interface{}.

pub(crate) mod json {
    use super::{MAX_JSON_DEPTH, go_quote};
    use crate::{Map, Value};

    /// Decodes the JSON value at the start of `s` as a `json.Decoder` reading a stream does:
    /// returns the value and the bytes it used. Whatever follows a complete value is left alone
    /// (`1b` decodes `1`), as the decoder only complains about it on the next call.
    pub(super) fn decode_prefix(s: &str) -> Result<(Value, usize), String> {
        let mut d = Decoder::new(s, "unexpected EOF");
        d.skip_ws();
        let v = d.value()?;
        match d.range_error {
            Some(e) => Err(e),
            None => Ok((v, d.pos)),
        }
    }

    /// Decodes all of `s` as `json.Unmarshal` does (only whitespace may follow the value).
    pub(crate) fn decode_all(s: &str) -> Result<Value, String> {
        match decode_all_partial(s)? {
            (_, Some(e)) => Err(e),
            (v, None) => Ok(v),
        }
    }

    /// [`decode_all`] keeping what Go keeps when a number does not fit a `float64`: the whole
    /// value with that number as nil, and the error `json.Unmarshal` returns with it.
    pub(crate) fn decode_all_partial(s: &str) -> Result<(Value, Option<String>), String> {
        let mut d = Decoder::new(s, "unexpected end of JSON input");
        d.skip_ws();
        let v = d.value()?;
        d.skip_ws();
        if let Some(c) = d.peek() {
            return Err(invalid(c, "after top-level value"));
        }
        Ok((v, d.range_error))
    }

    /// Go's `quoteChar` of a byte in scanner errors.
    fn quote_byte(c: u8) -> String {
        match c {
            b'\'' => "'\\''".to_owned(),
            b'"' => "'\"'".to_owned(),
            _ => {
                let q = go_quote(&char::from(c).to_string());
                format!("'{}'", &q[1..q.len() - 1])
            }
        }
    }

    fn invalid(c: u8, context: &str) -> String {
        format!("invalid character {} {context}", quote_byte(c))
    }

    struct Decoder<'a> {
        s: &'a str,
        pos: usize,
        depth: usize,
        eof_message: &'static str,
        /// A number out of `float64` range: Go reports it only when the syntax is valid.
        range_error: Option<String>,
    }

    impl<'a> Decoder<'a> {
        fn new(s: &'a str, eof_message: &'static str) -> Self {
            Decoder { s, pos: 0, depth: 0, eof_message, range_error: None }
        }

        fn peek(&self) -> Option<u8> {
            self.s.as_bytes().get(self.pos).copied()
        }

        fn eof(&self) -> String {
            self.eof_message.to_owned()
        }

        fn skip_ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        fn value(&mut self) -> Result<Value, String> {
            match self.peek() {
                None => Err(self.eof()),
                Some(b'{') => self.object(),
                Some(b'[') => self.array(),
                Some(b'"') => self.string().map(Value::String),
                Some(b'-' | b'0'..=b'9') => self.number(),
                Some(b't') => self.literal("true", Value::Bool(true)),
                Some(b'f') => self.literal("false", Value::Bool(false)),
                Some(b'n') => self.literal("null", Value::Null),
                Some(c) => Err(invalid(c, "looking for beginning of value")),
            }
        }

        fn enter(&mut self) -> Result<(), String> {
            self.pos += 1;
            self.depth += 1;
            if self.depth > MAX_JSON_DEPTH {
                return Err("exceeded max depth".to_owned());
            }
            self.skip_ws();
            Ok(())
        }

        fn object(&mut self) -> Result<Value, String> {
            self.enter()?;
            let mut m = Map::new();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::Map(m));
            }
            loop {
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b'"') => {}
                    Some(c) => {
                        return Err(invalid(c, "looking for beginning of object key string"));
                    }
                }
                let k = self.string()?;
                self.skip_ws();
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b':') => self.pos += 1,
                    Some(c) => return Err(invalid(c, "after object key")),
                }
                self.skip_ws();
                let v = self.value()?;
                m.insert(k, v);
                self.skip_ws();
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        self.depth -= 1;
                        return Ok(Value::Map(m));
                    }
                    Some(c) => return Err(invalid(c, "after object key:value pair")),
                }
            }
        }

        fn array(&mut self) -> Result<Value, String> {
            self.enter()?;
            let mut l = Vec::new();
            if self.peek() == Some(b']') {
                self.pos += 1;
                self.depth -= 1;
                return Ok(Value::List(l));
            }
            loop {
                l.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    Some(b']') => {
                        self.pos += 1;
                        self.depth -= 1;
                        return Ok(Value::List(l));
                    }
                    Some(c) => return Err(invalid(c, "after array element")),
                }
            }
        }

        fn literal(&mut self, word: &'static str, v: Value) -> Result<Value, String> {
            for expected in word.bytes().skip(1) {
                self.pos += 1;
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(c) if c == expected => {}
                    Some(c) => {
                        let context =
                            format!("in literal {word} (expecting {})", quote_byte(expected));
                        return Err(invalid(c, &context));
                    }
                }
            }
            self.pos += 1;
            Ok(v)
        }

        fn digits(&mut self) {
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }

        /// At least one digit, else the error for `context`.
        fn required_digits(&mut self, context: &str) -> Result<(), String> {
            match self.peek() {
                None => Err(self.eof()),
                Some(b'0'..=b'9') => {
                    self.digits();
                    Ok(())
                }
                Some(c) => Err(invalid(c, context)),
            }
        }

        fn number(&mut self) -> Result<Value, String> {
            let start = self.pos;
            if self.peek() == Some(b'-') {
                self.pos += 1;
            }
            match self.peek() {
                None => return Err(self.eof()),
                Some(b'0') => self.pos += 1,
                Some(b'1'..=b'9') => self.digits(),
                Some(c) => return Err(invalid(c, "in numeric literal")),
            }
            if self.peek() == Some(b'.') {
                self.pos += 1;
                self.required_digits("after decimal point in numeric literal")?;
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.pos += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                self.required_digits("in exponent of numeric literal")?;
            }
            let text = &self.s[start..self.pos];
            let f = text.parse::<f64>().unwrap_or(f64::INFINITY);
            if !f.is_finite() {
                // Go records the first such error, leaves the value nil and decodes on.
                if self.range_error.is_none() {
                    self.range_error = Some(format!(
                        "json: cannot unmarshal number {text} into Go value of type float64"
                    ));
                }
                return Ok(Value::Null);
            }
            Ok(Value::Float(f))
        }

        /// Four hex digits at `at`, as Go's `getu4` reads them after `\u`.
        fn hex4(&self, at: usize) -> Option<u32> {
            let h = self.s.get(at..at + 4)?;
            if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(h, 16).ok()
        }

        fn string(&mut self) -> Result<String, String> {
            self.pos += 1; // the opening quote
            let mut out = String::new();
            let mut run = self.pos;
            loop {
                match self.peek() {
                    None => return Err(self.eof()),
                    Some(b'"') => {
                        out.push_str(&self.s[run..self.pos]);
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(c) if c < 0x20 => return Err(invalid(c, "in string literal")),
                    Some(b'\\') => {
                        out.push_str(&self.s[run..self.pos]);
                        self.pos += 1;
                        self.escape(&mut out)?;
                        run = self.pos;
                    }
                    Some(_) => self.pos += 1,
                }
            }
        }

        /// One escape, after its backslash.
        fn escape(&mut self, out: &mut String) -> Result<(), String> {
            let Some(c) = self.peek() else { return Err(self.eof()) };
            self.pos += 1;
            let simple = match c {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    for k in 0..4 {
                        match self.s.as_bytes().get(self.pos + k) {
                            None => return Err(self.eof()),
                            Some(h) if h.is_ascii_hexdigit() => {}
                            Some(&h) => {
                                return Err(invalid(h, "in \\u hexadecimal character escape"));
                            }
                        }
                    }
                    let r = self.hex4(self.pos).unwrap_or(0xFFFD);
                    self.pos += 4;
                    let ch = if (0xD800..0xE000).contains(&r) {
                        let low = if self.s.as_bytes().get(self.pos..self.pos + 2) == Some(b"\\u") {
                            self.hex4(self.pos + 2)
                        } else {
                            None
                        };
                        match low {
                            Some(lo) if r < 0xDC00 && (0xDC00..0xE000).contains(&lo) => {
                                self.pos += 6;
                                char::from_u32(0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00))
                                    .unwrap_or('\u{FFFD}')
                            }
                            _ => '\u{FFFD}',
                        }
                    } else {
                        char::from_u32(r).unwrap_or('\u{FFFD}')
                    };
                    out.push(ch);
                    return Ok(());
                }
                other => return Err(invalid(other, "in string escape code")),
            };
            out.push(simple);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    //! Expected results were taken from runs of the real helm v4.1.4
    //! (`helm template r ./c --set ...` with a template printing `.Values` with types).

    use super::*;

    fn set(f: fn(&str, &mut Map) -> Result<(), SetError>, s: &str) -> Result<String, String> {
        let mut m = Map::new();
        f(s, &mut m).map(|()| Value::Map(m).to_string()).map_err(|e| e.to_string())
    }

    fn typed(s: &str) -> Value {
        let mut m = Map::new();
        match parse_set(&format!("a={s}"), &mut m) {
            Ok(()) => m.remove("a").unwrap_or(Value::String("<missing>".into())),
            Err(e) => Value::String(format!("error: {e}")),
        }
    }

    #[test]
    fn typed_values_follow_helm() {
        // helm: a=1e3 -> string, 0x10 -> string, 010 -> string, +1 -> int64(1), -5 -> int64,
        // 99999999999999999999 -> string, 1_000 -> string, True -> bool, Null -> nil,
        // -01 -> int64(-1), -0 -> int64(0), 00 -> string, falſe -> bool(false).
        assert_eq!(typed("1e3"), Value::from("1e3"));
        assert_eq!(typed("0x10"), Value::from("0x10"));
        assert_eq!(typed("010"), Value::from("010"));
        assert_eq!(typed("+1"), Value::Int(1));
        assert_eq!(typed("-5"), Value::Int(-5));
        assert_eq!(typed("99999999999999999999"), Value::from("99999999999999999999"));
        assert_eq!(typed("9223372036854775807"), Value::Int(i64::MAX));
        assert_eq!(typed("-9223372036854775808"), Value::Int(i64::MIN));
        assert_eq!(typed("9223372036854775808"), Value::from("9223372036854775808"));
        assert_eq!(typed("1_000"), Value::from("1_000"));
        assert_eq!(typed("True"), Value::Bool(true));
        assert_eq!(typed("NULL"), Value::Null);
        assert_eq!(typed("-01"), Value::Int(-1));
        assert_eq!(typed("-0"), Value::Int(0));
        assert_eq!(typed("0"), Value::Int(0));
        assert_eq!(typed("00"), Value::from("00"));
        assert_eq!(typed("falſe"), Value::Bool(false));
        assert_eq!(typed("1.5"), Value::from("1.5"));
        assert_eq!(typed(" 1"), Value::from(" 1"));
        assert_eq!(typed("+"), Value::from("+"));
        assert_eq!(typed(""), Value::from(""));
    }

    #[test]
    fn structure_follows_helm() {
        let ok = |s: &str, want: &str| assert_eq!(set(parse_set, s), Ok(want.to_owned()), "{s}");
        ok("a=1,", "map[a:1]");
        ok(".a=1", "map[]");
        ok("=1", "map[]");
        ok("a.=", "map[]");
        ok("a[0]", "map[a:[]]");
        ok("a[0", "map[]");
        ok("a[0][1", "map[a:[]]");
        ok("a[0].", "map[a:[]]");
        ok("b.a[0]", "map[b:map[a:[]]]");
        ok("a[0]=1,a[0].", "map[a:[map[]]]");
        ok("a[2]=x", "map[a:[<nil> <nil> x]]");
        ok("a[0][1]=2", "map[a:[[<nil> 2]]]");
        ok("a[0]={x,y}", "map[a:[[x y]]]");
        ok("a[1].b=1,a[0].c=2", "map[a:[map[c:2] map[b:1]]]");
        ok("a[0]=x,a[0].b=1", "map[a:[map[b:1]]]");
        ok("a[1]=1,a[0][0]=2", "map[a:[[2] 1]]");
        ok("a[0].b=1,a[0]=null,a[0][0]=1", "map[a:[[1]]]");
        ok("a[+1]=1", "map[a:[<nil> 1]]");
        ok("a[01]=1", "map[a:[<nil> 1]]");
        ok("l={}", "map[l:[]]");
        ok("a={,}", "map[a:[ ]]");
        ok("a={x},", "map[a:[x]]");
        ok("a={a\\,b,c}", "map[a:[a,b c]]");
        ok("a={a\\}b}", "map[a:[a}b]]");
        ok("a=b=c", "map[a:b=c]");
        ok("a\\,b=1", "map[a,b:1]");
        ok("a\\.b=1", "map[a.b:1]");
        ok("a\\=b=1", "map[a=b:1]");
        ok("a\\[0]=1", "map[a[0]:1]");
        ok("a=x\\,y", "map[a:x,y]");
        ok("a=\\", "map[a:]");
        ok("a=", "map[a:]");
        ok("a.b=,c=1", "map[a:map[b:] c:1]");
        ok("a{b=1", "map[a{b:1]");
        ok("a]b[0]=1", "map[a]b:[1]]");
        ok("a.b=1,a=2", "map[a:2]");
        ok("a[0]=1,a=x", "map[a:x]");
        ok("a[5]=1,a[1]=2", "map[a:[<nil> 2 <nil> <nil> <nil> 1]]");
    }

    #[test]
    fn errors_follow_helm() {
        let err = |s: &str, want: &str| assert_eq!(set(parse_set, s), Err(want.to_owned()), "{s}");
        err("a", r#"key "a" has no value"#);
        err("a,", r#"key "a" has no value (cannot end with ,)"#);
        err("a=1,,b=2", r#"key "" has no value (cannot end with ,)"#);
        err("a.b", r#"key "b" has no value"#);
        err("a.=1", r#"key map "a" has no value"#);
        err("a..b=1", r#"key map "a" has no value"#);
        err("a[x]=1", r#"error parsing index: strconv.Atoi: parsing "x": invalid syntax"#);
        err("a[]=1", r#"error parsing index: strconv.Atoi: parsing "": invalid syntax"#);
        err(
            "a[99999999999999999999]=1",
            r#"error parsing index: strconv.Atoi: parsing "99999999999999999999": value out of range"#,
        );
        err("a[-1]=1", "negative -1 index not allowed");
        err("a[0][-1]=1", "negative -1 index not allowed");
        err("a[65537]=1", "index of 65537 is greater than maximum supported index of 65536");
        err("a[70000].b", r#"key "b" has no value"#);
        err("a[0]x=1", "unexpected data at end of array index: ['x']");
        err("a[0]]=1", "unexpected data at end of array index: [']']");
        err("a={1,2", "list must terminate with '}'");
        err("a={x\\", "list must terminate with '}'");
        err("a={1,2}x", r#"key "x" has no value"#);
        err("a={1,{2}}", r#"key "}" has no value"#);
        err("\\=1", r#"key "=1" has no value"#);
        let conv = "unable to parse key: interface conversion: interface {} is";
        err("a[0]=1,a.b=2", &format!("{conv} []interface {{}}, not map[string]interface {{}}"));
        err("a.b=1,a[0]=2", &format!("{conv} map[string]interface {{}}, not []interface {{}}"));
        err("a=1,a.b=2", &format!("{conv} int64, not map[string]interface {{}}"));
        err("a=x,a[0]=1", &format!("{conv} string, not []interface {{}}"));
        err("a=null,a.b=1", &format!("{conv} nil, not map[string]interface {{}}"));
        err("a[0]=1,a[0][0]=2", &format!("{conv} int64, not []interface {{}}"));
    }

    #[test]
    fn nesting_limits() {
        // helm: 31 names (30 dots) are fine, 32 fail.
        let names = |n: usize| vec!["a"; n].join(".") + "=1";
        assert_eq!(
            set(parse_set, &names(32)),
            Err("value name nested level is greater than maximum supported nested level of 30"
                .into())
        );
        assert!(set(parse_set, &names(31)).is_ok());
        assert!(set(parse_set_literal, &names(32)).is_err());
        // Helm does not count list levels; chartkit stops at MAX_DEPTH.
        assert!(set(parse_set, &format!("a{}=1", "[0]".repeat(50))).is_ok());
        assert_eq!(
            set(parse_set, &format!("a{}=1", "[0]".repeat(200))),
            Err(SetError::NestingTooDeep.to_string())
        );
        assert_eq!(
            set(parse_set, &format!("a{}=1", "[0].b".repeat(200))),
            Err(SetError::NestingTooDeep.to_string())
        );
        assert_eq!(
            set(parse_set, &"x[65536]=1,".repeat(20)),
            Ok(set(parse_set, "x[65536]=1").unwrap_or_default())
        );
        let many: String = (0..20).map(|i| format!("x{i}[65536]=1,")).collect();
        assert_eq!(set(parse_set, &many), Err(SetError::ListsTooLarge.to_string()));
        assert_eq!(
            set(parse_set_json, &format!("a={}", "[".repeat(2000))),
            Err("exceeded max depth".into())
        );
    }

    #[test]
    fn set_string_and_literal() {
        assert_eq!(set(parse_set_string, "a=null,b=1,c=true"), Ok("map[a:null b:1 c:true]".into()));
        assert_eq!(set(parse_set_string, "a={1,2}"), Ok("map[a:[1 2]]".into()));
        let mut m = Map::new();
        parse_set_string("a=1", &mut m).ok();
        assert_eq!(m.get("a"), Some(&Value::from("1")));

        let lit = |s: &str| set(parse_set_literal, s);
        assert_eq!(lit("a=x,y.z=1"), Ok("map[a:x,y.z=1]".into()));
        assert_eq!(lit("a,b=1"), Ok("map[a,b:1]".into()));
        assert_eq!(lit("a.b=1\\,2"), Ok("map[a:map[b:1\\,2]]".into()));
        assert_eq!(lit("a\\.b=1"), Ok("map[a\\:map[b:1]]".into()));
        assert_eq!(lit("a[0][1]=x"), Ok("map[a:[[<nil> x]]]".into()));
        assert_eq!(lit("a={1,2}"), Ok("map[a:{1,2}]".into()));
        assert_eq!(lit("=x"), Ok("map[]".into()));
        assert_eq!(lit("a[0][1"), Ok("map[a:[]]".into()));
        assert_eq!(lit("a"), Err(r#"key "a" has no value"#.into()));
        assert_eq!(lit("a.=1"), Err(r#"key map "a" has no value"#.into()));
        assert_eq!(lit("a[0]]=1"), Err("unexpected data at end of array index: [']']".into()));
    }

    #[test]
    fn set_json_reads_a_stream() {
        let js = |s: &str| {
            let mut m = Map::new();
            parse_set_json(s, &mut m)
                .map(|()| Value::Map(m).to_json(false).unwrap_or_default())
                .map_err(|e| e.to_string())
        };
        assert_eq!(js("a=1"), Ok(r#"{"a":1}"#.into()));
        assert_eq!(js("a="), Ok(r#"{"a":null}"#.into()));
        assert_eq!(js("a= ,b=1"), Ok(r#"{"a":null,"b":1}"#.into()));
        assert_eq!(js("a=1 b=2"), Ok(r#"{"a":1,"b":2}"#.into()));
        assert_eq!(js("a=1b=2"), Ok(r#"{"a":1,"b":2}"#.into()));
        assert_eq!(js(r#"a="x"b=2"#), Ok(r#"{"a":"x","b":2}"#.into()));
        assert_eq!(js("a=truex=1"), Ok(r#"{"a":true,"x":1}"#.into()));
        assert_eq!(js(r#"a=  "x"  ,  b=1"#), Ok(r#"{"  b":1,"a":"x"}"#.into()));
        assert_eq!(js(r#"a.b[1]={"c":null}"#), Ok(r#"{"a":{"b":[null,{"c":null}]}}"#.into()));
        assert_eq!(js(r#"a="\ud800""#), Ok("{\"a\":\"\u{FFFD}\"}".into()));
        assert_eq!(js(r#"a="\ud83d\ude00""#), Ok("{\"a\":\"\u{1F600}\"}".into()));
        assert_eq!(js("a=[1,2]x=1"), Ok(r#"{"a":[1,2],"x":1}"#.into()));
        assert_eq!(js("[1]"), Ok("{}".into()));
        assert_eq!(js("a=01"), Err(r#"key "1" has no value"#.into()));
        assert_eq!(
            js("a=1e400"),
            Err("json: cannot unmarshal number 1e400 into Go value of type float64".into())
        );
        assert_eq!(js("a=[1,"), Err("unexpected EOF".into()));
        assert_eq!(js("a=nul"), Err("unexpected EOF".into()));
        assert_eq!(
            js("a=nux"),
            Err("invalid character 'x' in literal null (expecting 'l')".into())
        );
        assert_eq!(js("a=x"), Err("invalid character 'x' looking for beginning of value".into()));
        assert_eq!(js(r#"a="x",,b=1"#), Err(r#"key "" has no value (cannot end with ,)"#.into()));
        let mut m = Map::new();
        assert!(parse_set_json("a=-0", &mut m).is_ok());
        assert!(matches!(m.get("a"), Some(Value::Float(f)) if f.is_sign_negative()));
    }

    #[test]
    fn set_file_uses_the_reader() {
        let mut seen = Vec::new();
        let mut read = |p: &str| {
            seen.push(p.to_owned());
            if p == "missing" {
                Err(SetError::Io {
                    op: "open",
                    path: p.into(),
                    source: std::io::ErrorKind::NotFound.into(),
                })
            } else {
                Ok(Value::String(format!("<{p}>")))
            }
        };
        let mut m = Map::new();
        parse_set_file("a=x\\.txt,b={p,q},c=", &mut m, &mut read).ok();
        assert_eq!(Value::Map(m).to_string(), "map[a:<x.txt> b:[<p> <q>] c:]");
        let mut m = Map::new();
        assert!(parse_set_file("a=missing", &mut m, &mut read).is_err());
        assert_eq!(seen, ["x.txt", "p", "q", "missing"]);
    }

    #[test]
    fn merge_maps_is_deep_and_later_wins() {
        let mut a = Map::new();
        parse_set("a.b=1,a.c=2,l={1}", &mut a).ok();
        let mut b = Map::new();
        parse_set("a.b=null,a.d=3,l={2}", &mut b).ok();
        merge_maps(&mut a, b);
        assert_eq!(Value::Map(a).to_string(), "map[a:map[b:<nil> c:2 d:3] l:[2]]");
    }

    #[test]
    fn value_options_apply_in_helm_order() {
        let mut o = ValueOptions::default();
        o.literal_values.push("a.g=6".into());
        o.file_values.push("a.h=/x".into());
        o.string_values.push("a.f=5".into());
        o.values.push("a.e=4".into());
        o.json_values.push(r#"{"a":{"c":2}}"#.into());
        o.json_values.push("a.d=3".into());
        let mut read = |p: &str| Ok(format!("file {p}").into_bytes());
        let m = o.merge_values_with(&mut read).map(Value::Map);
        // helm: {a: {c: float64(2), d: float64(3), e: int64(4), f: string(5), g: string(6)}}
        assert_eq!(
            m.map(|v| v.to_string()).map_err(|e| e.to_string()),
            Ok("map[a:map[c:2 d:3 e:4 f:5 g:6 h:file /x]]".into())
        );
    }

    #[test]
    fn value_options_error_messages() {
        let run = |f: &dyn Fn(&mut ValueOptions)| {
            let mut o = ValueOptions::default();
            f(&mut o);
            o.merge_values().map(|_| ()).map_err(|e| e.to_string())
        };
        assert_eq!(
            run(&|o| o.values.push("a".into())),
            Err(r#"failed parsing --set data: key "a" has no value"#.into())
        );
        assert_eq!(
            run(&|o| o.string_values.push("a".into())),
            Err(r#"failed parsing --set-string data: key "a" has no value"#.into())
        );
        assert_eq!(
            run(&|o| o.literal_values.push("a".into())),
            Err(r#"failed parsing --set-literal data: key "a" has no value"#.into())
        );
        assert_eq!(
            run(&|o| o.json_values.push("a=01".into())),
            Err("failed parsing --set-json data a=01".into())
        );
        assert_eq!(
            run(&|o| o.json_values.push(r#"{"a":1} x"#.into())),
            Err(r#"failed parsing --set-json data JSON: {"a":1} x"#.into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=/nonexist/x".into())),
            Err("failed parsing --set-file data: open /nonexist/x: no such file or directory"
                .into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=::".into())),
            Err(r#"failed parsing --set-file data: parse "::": missing protocol scheme"#.into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=my_file:1.txt".into())),
            Err(r#"failed parsing --set-file data: parse "my_file:1.txt": first path segment in URL cannot contain colon"#.into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=x%zz#y".into())),
            Err(r#"failed parsing --set-file data: parse "x%zz": invalid URL escape "%zz""#.into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=x#%zz".into())),
            Err(r#"failed parsing --set-file data: parse "x#%zz": invalid URL escape "%zz""#.into())
        );
        assert_eq!(
            run(&|o| o.file_values.push("a=/".into())),
            Err("failed parsing --set-file data: read /: is a directory".into())
        );
        assert_eq!(
            run(&|o| o.value_files.push("/nonexist.yaml".into())),
            Err("open /nonexist.yaml: no such file or directory".into())
        );
    }

    #[test]
    fn go_quoting() {}

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn all_parsers(s: &str) {
            let mut m = Map::new();
            let _ = parse_set(s, &mut m);
            let _ = parse_set_string(s, &mut m);
            let _ = parse_set_json(s, &mut m);
            let _ = parse_set_literal(s, &mut m);
            let mut read = |p: &str| Ok(Value::String(p.to_owned()));
            let _ = parse_set_file(s, &mut m, &mut read);
            let mut fresh = Map::new();
            let _ = parse_set(s, &mut fresh);
            let mut o = ValueOptions::default();
            o.json_values.push(s.to_owned());
            o.values.push(s.to_owned());
            o.literal_values.push(s.to_owned());
            let _ = o.merge_values();
        }

        proptest! {
            #[test]
            fn parsers_never_panic(s in "[a-c0-9=,.{}\\[\\]\\\\\" :%#+ſé\u{a0}nul-]{0,60}") {
                all_parsers(&s);
            }

            #[test]
            fn arbitrary_strings_never_panic(s in any::<String>()) {
                all_parsers(&s);
            }
        }
    }
}
